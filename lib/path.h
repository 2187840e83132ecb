/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers for file paths. */
#ifndef XBR_PATH_H
#define XBR_PATH_H

#include <sys/types.h>

/*
 * Make the directory that holds path (one level, as mkdir does), with mode,
 * if it is not there. 0, or -errno when it could not be made.
 */
int path_mkdir_parent(const char *path, mode_t mode);

#endif /* XBR_PATH_H */
