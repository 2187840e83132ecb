/* SPDX-License-Identifier: GPL-2.0-only */
/* What xbr-cli's files share: xbr-cli.c (the session with the daemon)
 * and output.c (filters and the pager). */
#ifndef XBR_CLI_H
#define XBR_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/ctl_proto.h"

extern bool json;     /* -j */
extern uint32_t page; /* terminal length, or CTL_LINES_TERMINAL */
extern bool pager;    /* interactive, on a terminal */

/* "% why" on stderr, or with -j {"error": "why"} on stdout. */
void say_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The filters of "COMMAND | FILTER [| FILTER]" (line is cut at the first
 * '|'); 0, or -1 with the error said. */
int filters_parse(char *line);
/* Output as it comes, through the filters and the pager; then the end of
 * it (a count said, the filters freed). */
void sink_write(const char *data, size_t n);
void sink_end(void);

#endif /* XBR_CLI_H */
