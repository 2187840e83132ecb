#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Rates (issue 14, item 3): xbr-pktgen offers a known rate into pA, which
# floods it to pB; show interfaces counters rates shows it, within 10%,
# in and out, over both windows; clear counters and a port removed and
# added make no negative or huge rate.
#
#   gA (xbr-pktgen, 20000 frames/s) -- pA == br0 == pB -- sB (sink)
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
PKTGEN=${XBR_PKTGEN:-tools/xbr-pktgen}
RATE=20000
BITS=$((RATE * 60 * 8)) # 64 bytes on the wire: 60 counted, FCS not

gen_stop() {
	[ -n "${gen:-}" ] || return 0
	kill "$gen" 2>/dev/null
	wait "$gen" 2>/dev/null
	gen=
}
cleanup_more=gen_stop
daemon_sandbox
PIN=/sys/fs/bpf/xme-t$$

ip link add gA type veth peer name pA
ip link add pB type veth peer name sB
for i in gA pA pB sB; do ip link set "$i" up; done
printf 'bridge br0\n exit\n' >"$T/startup.conf"
daemon_start
conf() { cli -c configure -c "bridge br0" -c "$@"; }

# rate PORT WINDOW KEY: the port's figure over the window (30 or 300).
rate() {
	cli -j -c "show interfaces counters rates" | python3 -c "
import json, sys
p = [p for p in json.load(sys.stdin) if p['ifname'] == '$1'][0]
print([w for w in p['rates'] if w['window'] == $2][0]['$3'])"
}
# near GOT WANT: within 10%.
near() { [ "$1" -ge $(($2 * 9 / 10)) ] && [ "$1" -le $(($2 * 11 / 10)) ]; }
check_near() {
	if near "$2" "$3"; then ok "$1: $2"; else not_ok "$1: got $2, want $3 within 10%"; fi
}
covers() { [ "$(rate "$1" 30 seconds)" -ge "$2" ]; }

check "no traffic, no port: an empty table" cli -c "show interfaces counters rates"
# The generator first, then the ports: their windows hold only traffic.
"$PKTGEN" run -i gA --rate $RATE -d 30 --warmup 0 --sink sB -j >"$T/gen.json" &
gen=$!
check "pA and pB become ports under load" conf "port pA" -c "port pB"
wait_for 15 covers pA 5 || not_ok "the window of pA covers 5 s"
wait_for 5 covers pB 5 || not_ok "the window of pB covers 5 s"
check_near "pA takes in the offered frames a second (30 s window)" "$(rate pA 30 rx_pps)" $RATE
check_near "and the bits a second" "$(rate pA 30 rx_bps)" $BITS
check_near "pB sends them out" "$(rate pB 30 tx_pps)" $RATE
check_near "and their bits" "$(rate pB 30 tx_bps)" $BITS
check_near "the 5 min window, as long as the port, says the same" "$(rate pA 300 rx_pps)" $RATE
check_eq "nothing is dropped" "$(rate pA 30 drops_ps)" 0
check "the text says it: a line per window" grep -Eq '^pA +30 s +[0-9]+ s +[0-9]+' \
	<<<"$(cli -c "show interfaces pA counters rates")"
check "and the second window on the next line" grep -Eq '^ +5 min +[0-9]+ s' \
	<<<"$(cli -c "show interfaces pA counters rates")"

check "clear counters" cli -c "clear counters"
check_near "the rate after clear counters" "$(rate pA 30 rx_pps)" $RATE
wait_for 3 sh -c "[ \"\$(cli -j -c 'show interfaces pA counters' | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"rx_packets\"])')\" -gt 0 ]"
check_near "and a second later, as the counters start from 0" "$(rate pA 30 rx_pps)" $RATE

# A port removed and added: its counters start again from 0 (a reset a
# rate must not take for a wrap: no huge rate, no negative one).
# settled PORT BEFORE: polled until the port's window has started again
# (it covers less than BEFORE seconds) and its rate is the offered one;
# fails at once on a rate above it (what a reset taken for a wrap shows).
settled() {
	local until=$(($(date +%s) + 15)) r s again=
	while [ "$(date +%s)" -lt "$until" ]; do
		s=$(rate "$1" 30 seconds)
		r=$(rate "$1" 30 rx_pps)
		[ "$r" -le $((RATE * 11 / 10)) ] || { echo "$r"; return 1; }
		[ "$s" -lt "$2" ] && again=1
		[ -n "$again" ] && [ "$s" -ge 2 ] && near "$r" $RATE && { echo "$r"; return 0; }
		sleep 0.2
	done
	echo "$r (${again:-never} started again)"
	return 1
}
before=$(rate pA 30 seconds)
check "pA removed and added" conf "no port pA" -c "port pA"
if r=$(settled pA "$before"); then ok "pA's rate after it came back, never huge on the way: $r"
else not_ok "pA's rate after it came back: $r, want $RATE within 10%, never more"; fi
check_near "and over 5 min: what it counted since" "$(rate pA 300 rx_pps)" $RATE

check_not "an unknown port is refused" cli -c "show interfaces nosuch0 counters rates"
gen_stop
finish
