#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Datapath faults of issue 8, through xbr-switchd:
#  fault 14: a port whose MTU is above what XDP on it allows is refused
#            with the MTU and the limit named, and nothing changes;
#  fault 11: the slow-path programs are upgraded when the daemon starts
#            again (not left as the old daemon loaded them), and a slow
#            path whose drop counter cannot be set up is refused, not
#            reported as set.
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

# fault 11: a restart upgrades the slow path's programs
cpumap_prog() {
	bpftool -j map lookup pinned "$PIN/br0/slow_cpus" key 1 0 0 0 |
		python3 -c "import json,sys; v=json.load(sys.stdin)['value']; print(int(v[7],16)<<24|int(v[6],16)<<16|int(v[5],16)<<8|int(v[4],16))"
}
link_prog() { bpftool -j link show pinned "$PIN/br0/links/cpumap_drops" | python3 -c "import json,sys; print(json.load(sys.stdin)['prog_id'])"; }
prog_alive() { bpftool prog show id "$1" >/dev/null 2>&1; }
slow1=$(cpumap_prog)
drops1=$(link_prog)
daemon_stop
daemon_start
wait_for 10 cli -c "show interfaces s1"
check "fault 11: after a restart the slow path's CPU runs the new daemon's program" \
	test "$(cpumap_prog)" != "$slow1"
check "fault 11: and its drop counter too" test "$(link_prog)" != "$drops1"
check_not "the old programs are gone" prog_alive "$slow1"

# fault 11: a drop counter that cannot be pinned is a failure
cli -c configure -c "no slow-path" >/dev/null
mkdir "$PIN/br0/links/cpumap_drops"
out=$(cli -c configure -c "slow-path host-cpu 1 queue 64" 2>&1)
st=$?
check_eq "fault 11: a slow path without its drop counter is refused" \
	"$st $(echo "$out" | grep -c 'cpumap_drops')" "1 1"
check_eq "and is not in the running config" "$(cli -c 'show running-config' | grep -c slow-path)" 0
rmdir "$PIN/br0/links/cpumap_drops"
check "with the way clear it is set" cli -c configure -c "slow-path host-cpu 1 queue 64"
finish
