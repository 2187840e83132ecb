#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Datapath faults of issue 8, through xbr-switchd:
#  fault 14: a port whose MTU is above what XDP on it allows is refused
#            with the MTU and the limit named, and nothing changes.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
[ "$(nproc)" -ge 2 ] || { echo "SKIP: needs two CPUs"; exit 77; }

HOSTNS=xdp8f$$
hosts="1 2"
cleanup_more=hosts_remove
daemon_sandbox
PIN=/sys/fs/bpf/xdp8-f$$
hosts_make

cat >"$T/startup.conf" <<'CONF'
slow-path host-cpu 1 queue 64
bridge br0
 port s1
 exit
CONF
daemon_start
wait_for 10 cli -c "show interfaces s1" || not_ok "the daemon took s1"

# fault 14
h 2 ip link set eth0 mtu 9000
out=$(cli -c configure -c "bridge br0" -c "port s2" 2>&1)
check "fault 14: refused with the MTU and the limit named" \
	grep -qE 'MTU 9000, above [0-9]+, the most XDP' <<<"$out"
check_eq "and s2 is no port" "$(cli -c 'show running-config' | grep -c 'port s2')" 0
h 2 ip link set eth0 mtu 1500
check "with the peer's MTU lowered s2 is taken" cli -c configure -c "bridge br0" -c "port s2"
finish
