#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Rapid Spanning Tree (issue 11): the root is the bridge of the lowest
# priority, then of the lowest MAC; a port's role follows the path costs.
# On the ring of tests/stp_lib.sh.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
. "${XBR_TESTS:-$(dirname "$0")}/stp_lib.sh"
hosts_sandbox xst

conf() { cli -c configure -c "bridge $1" -c "${@:2}"; }
ring_start
want="a1:designated:forwarding a3:designated:forwarding b1:root:forwarding b2:designated:forwarding c2:alternate:discarding c3:root:forwarding"
if wait_for 30 ring_converged "$want"; then ok "the ring converges"; else not_ok "the ring converges: '$(stp_ring)'"; fi
A=4096.02:00:00:00:0a:01
check_eq "by priority: A (4096) is the root of all three" "$(stp_roots)" "A:$A B:$A C:$A"

check "B takes priority 0" conf B "spanning-tree priority 0"
B=0.02:00:00:00:0b:01
if wait_for 15 roots_are "A:$B B:$B C:$B"; then
	ok "by priority: B (0) becomes the root of all three"
else
	not_ok "B the root: $(stp_roots)"
fi
# B the root: A and C reach it directly; the A-C link is blocked at C
# (A's bridge id is lower: a3 designated)
want_b="a1:root:forwarding a3:designated:forwarding b1:designated:forwarding b2:designated:forwarding c2:root:forwarding c3:alternate:discarding"
if wait_for 15 ring_converged "$want_b"; then ok "and the roles follow"; else not_ok "roles with B the root: '$(stp_ring)'"; fi

check "A and B back to the default priority" conf A "no spanning-tree priority"
check "(B too)" conf B "no spanning-tree priority"
A=32768.02:00:00:00:0a:01
if wait_for 15 roots_are "A:$A B:$A C:$A"; then
	ok "by MAC: with equal priorities A, of the lowest MAC, is the root"
else
	not_ok "A the root by MAC: $(stp_roots)"
fi
if wait_for 15 ring_converged "$want"; then ok "and the roles are as at first"; else not_ok "roles: '$(stp_ring)'"; fi

check "C's direct link to A costs 100000" conf C "port c3 spanning-tree cost 100000"
want_cost="a1:designated:forwarding a3:designated:forwarding b1:root:forwarding b2:designated:forwarding c2:root:forwarding c3:alternate:discarding"
if wait_for 15 ring_converged "$want_cost"; then
	ok "by cost: C's root port is c2 (via B, 4000), c3 the alternate"
else
	not_ok "roles by cost: '$(stp_ring)'"
fi
check_eq "C's root path cost is 4000 (two 10 Gb/s veth links)" \
	"$(cli -j -c "show spanning-tree bridge C" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bridges"][0]["root_cost"])')" 4000
check "no port c3 spanning-tree cost" conf C "no port c3 spanning-tree cost"
if wait_for 15 ring_converged "$want"; then ok "the cost by speed again: c3 the root port"; else not_ok "roles: '$(stp_ring)'"; fi
for pair in "1 2" "2 3" "3 1"; do
	set -- $pair
	if wait_for 10 ping_ok "$1" "$2"; then ok "h$1 pings h$2"; else not_ok "h$1 pings h$2"; fi
done
finish
