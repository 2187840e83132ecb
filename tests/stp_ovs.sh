#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Spanning tree with Open vSwitch's RSTP (issue 11): a ring of two xbr
# bridges and one OVS bridge (userspace datapath, its own ovsdb-server and
# ovs-vswitchd under the test's directory, ended on every exit path)
# converges with the right root and no loop: one port of the ring
# discarding, a broadcast received once per host, flood counters that stop
# growing, pings all round. First the same ring of three OVS bridges: the
# harness's own check. Skips without Open vSwitch (scripts/deps.sh
# installs openvswitch-switch).
#
#        h1                      h2
#        |s1                     |s2
#     [A: xa | oa] r1a ---- r1b [B: xb | ob]
#        r3a                     r2b
#          \                     /
#          r3c --- [C: oc] --- r2c
#                     |s3
#                     h3
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
. "${XBR_TESTS:-$(dirname "$0")}/stp_peers.sh"
sandbox "$@"
if ! have_ovs; then
	echo "SKIP: Open vSwitch is not installed (openvswitch-switch)"
	exit 77
fi

hosts="1 2 3"
hosts_sandbox xsx
cleanup_more=ovs_cleanup
ovs_cleanup() { ovs_stop; hosts_remove; }
ring_make
if ovs_start; then ok "ovsdb-server and ovs-vswitchd start"
else
	not_ok "ovsdb-server and ovs-vswitchd start"
	cat "$T"/ovs/*.log
	finish
	exit
fi

# --- the harness on a ring of three OVS bridges ---
ring_peers ovs oa ob oc
port_state() { ovs_state "$1"; }
ring_converge "OVS bridges alone" 40 r2c
check_eq "OVS bridges alone: the blocked port is C's towards B" \
	"$(ring_blocked)" r2c
check_eq "OVS bridges alone: C's root is A" \
	"$(bid_norm "$(ovs_bridge_status oc rstp_root_id)")" 4096/02:00:00:00:00:01
check_eq "OVS bridges alone: C's root port is r3c" \
	"$(ovs_port_status r3c rstp_port_role)" Root
check_why "OVS bridges alone: a broadcast reaches each host once" bcast_once 1
check_why "OVS bridges alone: pings all round" pings_all

# --- A and B become xbr bridges ---
vs del-br oa -- del-br ob
vs set bridge oc other_config:rstp-priority=4096
# a new network: what C learned of the old one goes
ovs-appctl -t "$OVSD/ovs-vswitchd.ctl" fdb/flush oc >/dev/null
xbr_ring_start
port_state() {
	case $1 in
	r2c | r3c) ovs_state "$1" ;;
	*) xbr_state "$1" ;;
	esac
}

# 1. OVS is root: the ring blocks on xbr's side.
oc_id=$(bid_norm "$(ovs_bridge_status oc rstp_bridge_id)")
ring_converge "OVS root" 60 r1b
check_eq "OVS root: the blocked port is xb's r1b" "$(ring_blocked)" r1b
check_eq "OVS root: xa's root is OVS" "$(xbr_root xa)" "$oc_id"
check_eq "OVS root: xb's root is OVS" "$(xbr_root xb)" "$oc_id"
check_eq "OVS root: OVS is its own root" \
	"$(bid_norm "$(ovs_bridge_status oc rstp_root_id)")" "$oc_id"
check_eq "xa's port r3a, facing OVS, speaks RSTP" \
	"$(xbr_stp xa protocol r3a)" rstp
xbr_ring_checks "OVS root"

# 2. xa becomes root (OVS steps back): the ring blocks on OVS's side,
# which must have understood xbr's BPDUs.
vs set bridge oc other_config:rstp-priority=61440
xa_id=$(bid_norm "$(xbr_stp xa bridge_id)")
ring_converge "xbr root" 60 r2c
check_eq "xbr root: OVS's root is xa" \
	"$(bid_norm "$(ovs_bridge_status oc rstp_root_id)")" "$xa_id"
check_eq "xbr root: OVS's root port is r3c" \
	"$(ovs_port_status r3c rstp_port_role)" Root
check_eq "xbr root: OVS's r2c is alternate" \
	"$(ovs_port_status r2c rstp_port_role)" Alternate
check_eq "xbr root: xb's root is xa" "$(xbr_root xb)" "$xa_id"
xbr_ring_checks "xbr root"
check "the daemon is still running" kill -0 "$daemon_pid"
finish
