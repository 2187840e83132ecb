#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Rapid Spanning Tree under review (issue 11) on the ring of stp_lib.sh:
# a port added to a running bridge, a link that silently stops carrying
# BPDUs, a state file that cannot be trusted.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
. "${XBR_TESTS:-$(dirname "$0")}/stp_lib.sh"
hosts_sandbox xsr

conf() { cli -c configure -c "bridge $1" -c "${@:2}"; }
ring_start
want="a1:designated:forwarding a3:designated:forwarding b1:root:forwarding b2:designated:forwarding c2:alternate:discarding c3:root:forwarding"
if wait_for 30 ring_converged "$want"; then ok "the ring converges"; else not_ok "the ring converges: '$(stp_ring)'"; fi

# Fault 1: a port added to a running RSTP bridge started its machines
# without BEGIN: it spoke STP (802.1D-1998), so it never found itself an
# edge port and forwarded only after twice the forward delay.
ip link add c9 type veth peer name x9
ip link set c9 up
ip link set x9 up
check "a new port c9 on the running bridge C" conf C "port c9"
edge_fwd() { [ "$(stp_port c9) $(stp_detail c9 edge)" = "designated forwarding True" ]; }
if wait_for 6 edge_fwd; then
	ok "fault 1: c9, hearing no BPDU, is an edge port, forwarding after the migrate time"
else
	not_ok "fault 1: c9 is $(stp_port c9), edge $(stp_detail c9 edge)"
fi
check_eq "fault 1: the port added speaks RSTP" "$(stp_detail c9 protocol)" rstp
finish
