#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Rapid Spanning Tree failover (issue 11) on the ring of tests/stp_lib.sh:
# h2 pings h3 every 10 ms across A (the B-C link is blocked at c2); the
# forwarding link a1-b1 goes down; the alternate path takes over. The log
# says how many pings were lost and how long the ring took to reconverge;
# RSTP's promise on point-to-point links is well under a second.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
. "${XBR_TESTS:-$(dirname "$0")}/stp_lib.sh"
hosts_sandbox xst

ring_start
want="a1:designated:forwarding a3:designated:forwarding b1:root:forwarding b2:designated:forwarding c2:alternate:discarding c3:root:forwarding"
if wait_for 30 ring_converged "$want"; then ok "the ring converges"; else not_ok "the ring converges: '$(stp_ring)'"; fi
if wait_for 10 ping_ok 2 3; then ok "h2 pings h3 (through A)"; else not_ok "h2 pings h3"; fi

# 300 pings, 10 ms apart; the link goes down once 100 are answered
h 2 stdbuf -oL ping -i 0.01 -c 300 -W 1 192.0.2.3 >"$T/ping" 2>&1 &
ping_pid=$!
wait_for 10 answered 100
t0=$(date +%s%N)
ip link set a1 down
after="a1:disabled:discarding a3:designated:forwarding b1:disabled:discarding b2:root:forwarding c2:designated:forwarding c3:root:forwarding"
if wait_for 10 ring_converged "$after"; then
	ok "the alternate port c2 takes over: B's root port is b2"
else
	not_ok "the ring reconverges: '$(stp_ring)'"
fi
t1=$(date +%s%N)
wait "$ping_pid"
read -r lost sent <<<"$(ping_lost)"
echo "# failover: $lost of $sent pings lost (10 ms apart: about $((lost * 10)) ms without a path);"
echo "# the daemon showed the new topology $(((t1 - t0) / 1000000)) ms after the link went down (polled every 100 ms)"
echo "# measured by: tests/stp_failover.sh (ping -i 0.01 across the ring, ip link set a1 down)"
check "well under a second lost (at most 50 pings of 10 ms)" test "$lost" -le 50
check "h2 still reaches h3" ping_ok 2 3
check "and h1 reaches h2 (round the other way)" ping_ok 1 2
check_eq "a broadcast still reaches each host once" "$(broadcast_copies 1000)" "1 1"

ip link set a1 up
if wait_for 30 ring_converged "$want"; then ok "the link back: the ring as before"; else not_ok "the link back: '$(stp_ring)'"; fi
if wait_for 10 ping_ok 2 3; then ok "h2 pings h3 again"; else not_ok "h2 pings h3 again"; fi
check_eq "and a broadcast reaches each host once" "$(broadcast_copies 1000)" "1 1"
finish
