/* SPDX-License-Identifier: GPL-2.0-only */
/* Text that came from a user or a file, made safe to print. */
#ifndef XBR_TEXT_H
#define XBR_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Copy len bytes of src to dst (size bytes, always terminated) with every
 * control character but the newline, and DEL, written as \xNN, so that
 * nothing a user typed can drive the terminal that shows an error. The
 * length the whole text needs, as snprintf returns it.
 */
size_t text_escape(char *dst, size_t size, const char *src, size_t len);

/* A line of the command language that does nothing: blank, or a comment
 * ("!" or "#" first), of any length. */
bool text_is_comment(const char *line);

/* The column (from 1) of the first NUL byte in a line of len bytes read
 * from a file, or 0: such a line is refused, never cut at the NUL. */
size_t text_nul_column(const char *line, size_t len);

#endif /* XBR_TEXT_H */
