#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Every command the daemon declares is in doc/cli.md (verbatim, with its
# mode) and in xbr-cli(8) (each of its keywords).
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
top="$XBR_TESTS/.."
command -v man >/dev/null || { echo "SKIP: needs man"; exit 77; }
man_text=$(MANWIDTH=200 man -l "$top/packaging/man/xbr-cli.8" 2>/dev/null | col -b)
doc="$top/doc/cli.md"

while IFS=$'\t' read -r mode spec; do
	if grep -F "| \`$spec\` |" "$doc" | grep -q "$mode"; then
		ok "doc/cli.md: $mode: $spec"
	else
		not_ok "doc/cli.md lacks $mode: $spec"
	fi
	missing=""
	for w in $spec; do
		w=${w#[}
		w=${w%]}
		case "$w" in
		[a-z]*) grep -qw -- "$w" <<<"$man_text" || missing="$missing $w" ;;
		esac
	done
	check_eq "xbr-cli(8) has the words of: $spec" "$missing" ""
done < <("$SWITCHD" --commands)
finish
