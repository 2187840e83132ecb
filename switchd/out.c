// SPDX-License-Identifier: GPL-2.0-only
/* The output of commands: one set of calls for text and JSON. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switchd/out.h"

static void out_grow(struct out *o, size_t need)
{
	char *nb;
	size_t cap = o->cap ? o->cap : 1024;

	while (cap < o->len + need + 1)
		cap *= 2;
	if (cap == o->cap)
		return;
	nb = realloc(o->buf, cap);
	if (!nb)
		abort(); /* out of memory: nothing sensible is left */
	o->buf = nb;
	o->cap = cap;
}

static void out_vprintf(struct out *o, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	/* One pass when the text fits the room there is (it mostly does). */
	out_grow(o, 256);
	va_copy(ap2, ap);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t)n >= o->cap - o->len) {
		out_grow(o, (size_t)n);
		vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
	}
	o->len += (size_t)n;
}

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
}

void out_text(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
}

void out_reset(struct out *o)
{
	o->len = 0;
	o->need_comma = false;
	if (o->buf)
		o->buf[0] = '\0';
}

void out_sent(struct out *o)
{
	o->len = 0;
	if (o->buf)
		o->buf[0] = '\0';
}

void out_free(struct out *o)
{
	free(o->buf);
	memset(o, 0, sizeof(*o));
}

/* JSON: the comma before a value, and its key. */
static void json_key(struct out *o, const char *key)
{
	if (o->need_comma)
		out_printf(o, ",");
	if (key)
		out_printf(o, "\"%s\":", key);
	o->need_comma = true;
}

void out_open(struct out *o, const char *key, char bracket)
{
	if (!o->json)
		return;
	json_key(o, key);
	out_printf(o, "%c", bracket);
	o->need_comma = false;
}

void out_close(struct out *o, char bracket)
{
	if (!o->json)
		return;
	out_printf(o, "%c", bracket == '{' || bracket == '}' ? '}' : ']');
	o->need_comma = true;
}

/* JSON: true when the value is to be written next (after its key; in an
 * array the key is ""). */
static bool json_value(struct out *o, const char *key)
{
	if (!o->json || !key)
		return false;
	json_key(o, *key ? key : NULL);
	return true;
}

void out_str(struct out *o, const char *key, const char *fmt, const char *value)
{
	const char *p;

	if (!o->json && fmt)
		out_printf(o, fmt, value);
	if (!json_value(o, key))
		return;
	out_printf(o, "\"");
	for (p = value; *p; p++) {
		if (*p == '"' || *p == '\\')
			out_printf(o, "\\%c", *p);
		else if ((unsigned char)*p < 0x20)
			out_printf(o, "\\u%04x", *p);
		else
			out_printf(o, "%c", *p);
	}
	out_printf(o, "\"");
}

void out_uint(struct out *o, const char *key, const char *fmt,
	      unsigned long long value)
{
	if (!o->json && fmt)
		out_printf(o, fmt, value);
	if (json_value(o, key))
		out_printf(o, "%llu", value);
}

void out_bool(struct out *o, const char *key, const char *fmt, bool value)
{
	if (!o->json && fmt)
		out_printf(o, fmt, value ? "true" : "false");
	if (json_value(o, key))
		out_printf(o, "%s", value ? "true" : "false");
}

size_t out_wrap(const char *value, size_t width)
{
	size_t len = strlen(value), i;

	if (len <= width || !width)
		return len;
	for (i = width; i > 0; i--)
		if (value[i - 1] == ',' || value[i - 1] == ' ')
			return i;
	return width;
}
