/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control socket protocol between xbr-cli and xbr-switchd: a
 * SOCK_SEQPACKET UNIX socket, one message per request. A request is a
 * header and the text of one line. The reply is any number of CTL_DATA
 * messages (output, at most CTL_CHUNK bytes each) and one CTL_END, whose
 * header carries the status (0 or -errno) and whose text is the mode part
 * of the prompt ("", "(config)", "(config-br-br0)"); its flags say
 * CTL_F_CLOSE when the shell is to close (exit in exec mode), and its
 * lines the page length the session asks for (terminal length).
 *
 * A command that streams (monitor ...) sends CTL_DATA messages flagged
 * CTL_F_STREAM as things happen, and its CTL_END only once the client
 * sends CTL_STOP (the user's Ctrl-C). CTL_STOP also cuts a long output
 * short; it has no reply of its own, and nothing under way, it is
 * ignored.
 */
#ifndef XBR_CTL_PROTO_H
#define XBR_CTL_PROTO_H

#include <stdint.h>

#define CTL_CHUNK    60000
#define CTL_MAX_LINE 1024

enum ctl_type {
	CTL_EXEC = 1,	  /* run the line */
	CTL_COMPLETE = 2, /* completions of the line's last word */
	CTL_HELP = 3,	  /* what may follow: the "?" key */
	CTL_STOP = 4,	  /* end the command under way (Ctrl-C) */
	CTL_DATA = 16,
	CTL_END = 17,
};

#define CTL_F_JSON   (1U << 0) /* request: JSON output */
#define CTL_F_CLOSE  (1U << 1) /* CTL_END: the session is over */
#define CTL_F_STREAM (1U << 2) /* CTL_DATA: of a stream, until CTL_STOP */

#define CTL_LINES_TERMINAL UINT32_MAX /* the terminal's height */

struct ctl_hdr {
	uint32_t type;
	uint32_t flags;
	int32_t status;
	uint32_t lines; /* CTL_END: a page, CTL_LINES_TERMINAL or 0: none */
};

_Static_assert(sizeof(struct ctl_hdr) == 16, "ctl header");

#endif /* XBR_CTL_PROTO_H */
