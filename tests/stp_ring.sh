#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Rapid Spanning Tree (issue 11) on a ring of three xbr bridges
# (tests/stp_lib.sh): it converges with exactly one port alternate and
# discarding, a broadcast sent once reaches each host once, the flood
# counters stop growing (no loop), and every host reaches every other.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
. "${XBR_TESTS:-$(dirname "$0")}/stp_lib.sh"
hosts_sandbox xst

start=$(date +%s%N)
ring_start
want="a1:designated:forwarding a3:designated:forwarding b1:root:forwarding b2:designated:forwarding c2:alternate:discarding c3:root:forwarding"
if wait_for 30 ring_converged "$want"; then
	ok "the ring converges: A root, c2 the one alternate port"
else
	not_ok "the ring converges: got '$(stp_ring)'"
fi
echo "# converged $((($(date +%s%N) - start) / 1000000)) ms after the daemon started"
check_eq "exactly one port is discarding" \
	"$(stp_ring | tr ' ' '\n' | grep -c ':discarding$')" 1
check "show spanning-tree names the root and the root port" \
	grep -Pzq 'Bridge C: spanning tree rstp\n  Root ID +4096\.02:00:00:00:0a:01\n +cost 2000, port c3\n' \
	<<<"$(cli -c "show spanning-tree")"
check "and says the alternate port is discarding" \
	grep -q '^c2 \+alternate \+discarding ' <<<"$(cli -c "show spanning-tree bridge C")"

f0=$(flooded_sum)
check_eq "a broadcast sent once is received once by each host" \
	"$(broadcast_copies 1000)" "1 1"
f1=$(flooded_sum)
check "it was flooded" test "$f1" -gt "$f0"
check_eq "and no copy comes round again" "$(broadcast_copies 700 | cut -d' ' -f1)" 1
f2=$(flooded_sum)
check "the flood counters stop growing (one more broadcast: a few floods)" \
	test $((f2 - f1)) -le 3
echo "# flood counters: $f0, $f1 after one broadcast, $f2 after another"

for pair in "1 2" "2 3" "3 1" "2 1" "3 2" "1 3"; do
	set -- $pair
	if wait_for 10 ping_ok "$1" "$2"; then ok "h$1 pings h$2"; else not_ok "h$1 pings h$2"; fi
done
check "the alternate port dropped what it received" \
	test "$(cli -j -c "show interfaces c2 counters" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["drops"]["stp_discarding"])')" -gt 0
check "c2 sent nothing but the daemon's BPDUs" \
	test "$(cli -j -c "show interfaces c2 counters" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["tx_packets"])')" -eq 0
check "role changes are logged with the port" grep -q "bridge C: port c2: role .* -> alternate" "$T/switchd.log"
check "topology changes are logged with the port" grep -q "bridge .: topology change .* port " "$T/switchd.log"
finish
