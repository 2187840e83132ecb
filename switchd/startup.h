/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The startup file: read into the store at the first start of a boot,
 * shown by `show startup-config`, written by `write memory`.
 */
#ifndef XBR_STARTUP_H
#define XBR_STARTUP_H

#include <stddef.h>

#include "switchd/cmd.h"

/*
 * Read the startup file into the store, all of it or nothing: one
 * transaction on a cleared store. Only the store changes; the caller
 * reconciles the datapath to it. 0, -ENOENT when there is no file, or
 * another -errno with "file[:line]: message" in err.
 */
int startup_load(const char *path, char *err, size_t errlen);
/* `show startup-config`: the file into s->out; 0 or -errno, said there. */
int startup_show(struct cmd_session *s, const char *path);
/* `write memory`: the running config to path, atomically. */
int startup_save(struct cmd_session *s, const char *path);
/* Remove the temporary files an interrupted `write memory` left. */
void startup_clean(const char *path);

#endif /* XBR_STARTUP_H */
