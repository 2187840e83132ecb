#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Turn the numbered migrations into a C array, in order: schema_migrations[i]
# takes the store from user_version i to i + 1.
echo "/* Generated from the files in schema/ by schema/embed.sh. */"
echo "static const char *const schema_migrations[] = {"
for f in "$@"; do
	printf '\t/* %s */\n' "$(basename "$f")"
	grep -v '^--' "$f" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' \
		-e 's/^/\t"/' -e 's/$/\\n"/'
	printf '\t,\n'
done
echo "};"
