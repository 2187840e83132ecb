#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Rapid Spanning Tree across a daemon restart (issue 11): the port states
# stay in the pinned datapath and the daemon resumes from them and its
# state file, so the ring keeps its topology: the same roles and states,
# no topology change, no frame lost, no loop. Hello time 2: the daemon is
# back within three hello times.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
. "${XBR_TESTS:-$(dirname "$0")}/stp_lib.sh"
hosts_sandbox xst

HELLO=2
ring_start
want="a1:designated:forwarding a3:designated:forwarding b1:root:forwarding b2:designated:forwarding c2:alternate:discarding c3:root:forwarding"
if wait_for 30 ring_converged "$want"; then ok "the ring converges"; else not_ok "the ring converges: '$(stp_ring)'"; fi
if wait_for 10 ping_ok 2 3; then ok "h2 pings h3"; else not_ok "h2 pings h3"; fi
tcs() {
	cli -j -c "show spanning-tree" | python3 -c '
import json, sys
print(" ".join(str(b["topology_changes"]) for b in json.load(sys.stdin)["bridges"]))'
}

h 2 stdbuf -oL ping -i 0.01 -c 300 -W 1 192.0.2.3 >"$T/ping" 2>&1 &
ping_pid=$!
wait_for 10 answered 50
t0=$(date +%s%N)
daemon_stop
daemon_start
echo "# the daemon was back $((($(date +%s%N) - t0) / 1000000)) ms after it was stopped"
check_eq "each bridge resumed from its state file" \
	"$(grep -c 'spanning tree resumed from' "$T/switchd.log")" 3
check_eq "the same roles and states" "$(stp_ring)" "$want"
check_eq "no topology change since" "$(tcs)" "0 0 0"
check_not "no port went discarding and back" \
	grep -q "debug: bridge .: port [abc][0-9]: discarding" <(sed -n '/spanning tree resumed/,$p' "$T/switchd.log")
wait "$ping_pid"
read -r lost sent <<<"$(ping_lost)"
echo "# restart: $lost of $sent pings (10 ms apart) lost"
check "no ping lost across the restart" test "$lost" -le 2
check_eq "still no topology change, the hellos going on" "$(tcs)" "0 0 0"
check "BPDUs are sent again" test "$(stp_detail a1 bpdus_sent)" -gt 0
check_eq "a broadcast reaches each host once" "$(broadcast_copies 1000)" "1 1"

# Down longer than three hello times: the ring starts afresh and
# converges again, no loop on the way.
daemon_stop
rm -f "$T"/stp-*.state
daemon_start
check_eq "no state file: no resume" "$(grep -c 'spanning tree resumed from' "$T/switchd.log")" 3
if wait_for 30 ring_converged "$want"; then ok "and the ring converges again"; else not_ok "the ring converges again: '$(stp_ring)'"; fi
check_eq "a broadcast reaches each host once" "$(broadcast_copies 1000)" "1 1"
finish
