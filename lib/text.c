// SPDX-License-Identifier: GPL-2.0-only
/* Text that came from a user or a file, made safe to print. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lib/text.h"

size_t text_escape(char *dst, size_t size, const char *src, size_t len)
{
	size_t i, n = 0;
	char esc[5];

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];
		const char *p = esc;

		if ((c < 0x20 && c != '\n') || c == 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", c);
		else {
			esc[0] = (char)c;
			esc[1] = '\0';
		}
		for (; *p; p++, n++)
			if (n + 1 < size)
				dst[n] = *p;
	}
	if (size)
		dst[n < size ? n : size - 1] = '\0';
	return n;
}

bool text_is_comment(const char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	return !*line || *line == '!' || *line == '#';
}

size_t text_nul_column(const char *line, size_t len)
{
	const char *nul = memchr(line, '\0', len);

	return nul ? (size_t)(nul - line) + 1 : 0;
}
