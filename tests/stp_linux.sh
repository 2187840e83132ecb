#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Spanning tree with the Linux bridge's kernel STP (802.1D-1998), issue 11:
# a ring of two xbr bridges and one Linux bridge. xbr speaks STP on the
# port that hears the Linux bridge, no loop forms (one port of the ring
# discarding, a broadcast received once per host, flood counters that
# stop growing), every bridge agrees on the right root, pings work.
# First the same ring of three Linux bridges: the harness's own check.
#
#        h1                      h2
#        |s1                     |s2
#     [A: xa | l1] r1a ---- r1b [B: xb | l2]
#        r3a                     r2b
#          \                     /
#          r3c --- [C: lc] --- r2c
#                     |s3
#                     h3
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
. "${XBR_TESTS:-$(dirname "$0")}/stp_peers.sh"
sandbox "$@"

hosts="1 2 3"
hosts_sandbox xsx
lb_nf_off
ring_make

# --- the harness on a ring of three Linux bridges ---
ring_peers lb l1 l2 lc
port_state() { peer_state "$(lb_state "$1")"; }
ring_converge "Linux bridges alone" 40 r2c
check_eq "Linux bridges alone: the blocked port is C's towards B" \
	"$(ring_blocked)" r2c
check_eq "Linux bridges alone: C's root is A" \
	"$(bid_norm "$(lb_info lc root_id)")" 4096/02:00:00:00:00:01
check_eq "Linux bridges alone: C's root port is r3c" \
	"$(($(lb_info lc root_port)))" "$(($(lb_info lc brif/r3c/port_no)))"
check_why "Linux bridges alone: a broadcast reaches each host once" bcast_once 1
check_why "Linux bridges alone: pings all round" pings_all

# --- A and B become xbr bridges ---
ip link del l1
ip link del l2
ip link set lc type bridge priority 4096
# a new network: what C learned of the old one goes
ip link set lc type bridge fdb_flush
xbr_ring_start
port_state() {
	case $1 in
	r2c | r3c) peer_state "$(lb_state "$1")" ;;
	*) xbr_state "$1" ;;
	esac
}

# 1. The Linux bridge is root: the ring blocks on xbr's side.
lc_id=$(bid_norm "$(lb_info lc bridge_id)")
ring_converge "Linux root" 60 r1b
check_eq "Linux root: the blocked port is xb's r1b" "$(ring_blocked)" r1b
check_eq "Linux root: xa's root is the Linux bridge" "$(xbr_root xa)" "$lc_id"
check_eq "Linux root: xb's root is the Linux bridge" "$(xbr_root xb)" "$lc_id"
check_eq "Linux root: the Linux bridge is its own root" \
	"$(bid_norm "$(lb_info lc root_id)")" "$lc_id"
check_eq "xa's port r3a, facing the Linux bridge, speaks STP" \
	"$(xbr_stp xa protocol r3a)" stp
check_eq "xb's port r1b, facing xa, speaks RSTP" \
	"$(xbr_stp xb protocol r1b)" rstp
xbr_ring_checks "Linux root"

# 2. xa becomes root (the Linux bridge steps back): the ring blocks on the
# Linux bridge's side, which must have understood xbr's BPDUs.
ip link set lc type bridge priority 61440
xa_id=$(bid_norm "$(xbr_stp xa bridge_id)")
ring_converge "xbr root" 60 r2c
check_eq "xbr root: the Linux bridge's root is xa" \
	"$(bid_norm "$(lb_info lc root_id)")" "$xa_id"
check_eq "xbr root: the Linux bridge's root port is r3c" \
	"$(($(lb_info lc root_port)))" "$(($(lb_info lc brif/r3c/port_no)))"
check_eq "xbr root: xb's root is xa" "$(xbr_root xb)" "$xa_id"
xbr_ring_checks "xbr root"
check "the daemon is still running" kill -0 "$daemon_pid"
finish
