/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The output of a command, text or JSON, written by the same calls (as
 * iproute2's print_*(PRINT_ANY, ...)): each value is given once, with its
 * JSON key and its text format. A NULL key writes the value in text only,
 * a NULL format in JSON only; the call does nothing in the other mode.
 */
#ifndef XBR_OUT_H
#define XBR_OUT_H

#include <stdbool.h>
#include <stddef.h>

struct out {
	char *buf;
	size_t len, cap;
	bool json;
	bool need_comma; /* JSON: a value was written at this level */
};

void out_printf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void out_reset(struct out *o);
/* Empty the buffer of text that was sent, in the middle of a JSON value. */
void out_sent(struct out *o);
void out_free(struct out *o);

/* Text only: nothing in JSON. */
void out_text(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A JSON object ('{') or array ('['), with a key inside an object (NULL
 * in an array); nothing in text. */
void out_open(struct out *o, const char *key, char bracket);
void out_close(struct out *o, char bracket);
/* One value: key for JSON, fmt (with one conversion of the value's type:
 * %s, %llu) for text. */
void out_str(struct out *o, const char *key, const char *fmt,
	     const char *value);
void out_uint(struct out *o, const char *key, const char *fmt,
	      unsigned long long value);
void out_bool(struct out *o, const char *key, const char *fmt, bool value);

/* Text: a long value is wrapped, never cut. The length of its first part
 * that fits width, broken after a ',' or a space when there is one. */
size_t out_wrap(const char *value, size_t width);

#endif /* XBR_OUT_H */
