#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Bash completion (issue 13): xbr-cli -c '...' completes from the daemon's
# grammar, the same words TAB offers in the shell; the options of
# xbr-cli, xbr-switchd and xbr-pktgen complete from their --help.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
daemon_sandbox
script="$XBR_TESTS/../packaging/completion/xbr-cli"
bc=/usr/share/bash-completion/bash_completion
PKTGEN=${XBR_PKTGEN:-tools/xbr-pktgen}
[ -r "$bc" ] || { echo "SKIP: needs bash-completion"; exit 77; }

# complete FUNCTION WORD...: what bash offers for the last WORD, one a line,
# as bash calls FUNCTION at TAB (the line is the words, the cursor at its
# end).
complete_words() {
	bash -c '
		. "$1" && . "$2" || exit 1
		f=$3
		shift 3
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="${COMP_WORDS[*]}"
		COMP_POINT=${#COMP_LINE}
		prev=""
		[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
		"$f" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "$prev"
		printf "%s\n" "${COMPREPLY[@]}"
	' complete "$bc" "$script" "$@"
}
has() { grep -qxF -- "$2" <<<"$1"; }

veth_ports sw hp 2
daemon_start
cli -c configure -c "bridge br0" -c "port sw1" -c "port sw2" >/dev/null

got=$(complete_words _xbr_cli "$CLI" -s "$T/sock" -c "'show int")
check_eq "-c 'show int<TAB>: the one word, inside the quotes" \
	"$got" "show interfaces "
got=$(complete_words _xbr_cli "$CLI" -s "$T/sock" -c "show")
check_eq "-c show<TAB>, unquoted: the space escaped" "$got" 'show\ '
got=$(complete_words _xbr_cli "$CLI" -s "$T/sock" -c "'show interfaces 'co")
check_eq "-c 'show interfaces 'co<TAB>: the whole word, quoted" "$got" \
	'show\ interfaces\ counters\ '
# Every word the daemon offers, and only those, for several lines.
for line in "" "sh" "show " "show interfaces " "show mac address-table " \
	"configure" "show bridge "; do
	want=$(cli --complete "$line" | sed "s|^|${line% *}${line:+ }|; s|^ ||")
	[[ $line == *" "* ]] || want=$(cli --complete "$line")
	got=$(complete_words _xbr_cli "$CLI" -s "$T/sock" -c "'$line" |
		sed 's/ $//')
	[ -n "$want" ] || not_ok "the daemon offers no word for '$line'"
	check_eq "-c '$line<TAB>: the daemon's words" "$got" "$want"
done
check "the daemon knows the bridge's ports: show interfaces <TAB>" \
	has "$(cli --complete 'show interfaces ')" sw1

got=$(complete_words _xbr_cli "$CLI" -)
for o in -c -f -j -s -t -V --version --complete; do
	check "xbr-cli -<TAB> offers $o" has "$got" "$o"
done
got=$(complete_words _xbr_switchd "$SWITCHD" --)
for o in --config --db --socket --pin-root --syslog --verbose --version \
	--commands --help; do
	check "xbr-switchd --<TAB> offers $o" has "$got" "$o"
done
got=$(complete_words _xbr_pktgen "$PKTGEN" "")
for o in run sink forward --version; do
	check "xbr-pktgen <TAB> offers $o" has "$got" "$o"
done
got=$(complete_words _xbr_pktgen "$PKTGEN" run --s)
for o in --size --src --src-macs --sink; do
	check "xbr-pktgen run --s<TAB> offers $o" has "$got" "$o"
done
got=$(complete_words _xbr_pktgen "$PKTGEN" sink -i sw1,s)
check "xbr-pktgen sink -i sw1,s<TAB> offers sw1,sw2" has "$got" sw1,sw2
finish
