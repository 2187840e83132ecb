#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# An upgrade without an outage (doc/datapath.md, "Versions"): a bridge
# pinned by the first release (layout version 1, built from tests/v1/ by
# tests/v1_bridge) is opened by this build while a host pings another
# every 10 ms. Its maps are migrated and its programs swapped, the slow
# path's too; not one ping is lost, and everything the old bridge knew
# (ports, VLANs, static and learned entries, counters) is still there.
#
#   h1 s1 access 10    h2 s2 access 10    h3 s3 access 20
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

V1=${XBR_V1_BRIDGE:-tests/v1_bridge}
HOSTNS=xdp8u$$
hosts="1 2 3"
cleanup_more=hosts_remove
daemon_sandbox
PIN=/sys/fs/bpf/xdp8-u$$
hosts_make
B=$PIN/br0
STATIC=02:00:00:00:00:99

if ! "$V1" "$PIN" br0 port s1 10 port s2 10 port s3 20 \
	static $STATIC 10 s2 slowpath 0 64; then
	not_ok "the first release's bridge is pinned"
	finish
	exit
fi
if wait_for 10 ping_ok 1 2; then ok "the old bridge forwards"; else not_ok "the old bridge forwards"; fi

# what the old bridge runs
prog_of_link() { bpftool -j link show pinned "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['prog_id'])"; }
cpumap_prog() {
	bpftool -j map lookup pinned "$B/slow_cpus" key 0 0 0 0 |
		python3 -c "import json,sys; v=json.load(sys.stdin)['value']; print(int(v[7],16)<<24|int(v[6],16)<<16|int(v[5],16)<<8|int(v[4],16))"
}
value_size() { bpftool -j map show pinned "$B/$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['bytes_value'])"; }
s1=$(ip -o link show s1 | cut -d: -f1)
old_port_prog=$(prog_of_link "$B/links/$s1")
old_slow_prog=$(cpumap_prog)
old_drops_prog=$(prog_of_link "$B/links/cpumap_drops")

# Phase 1: 100 pings through the old programs, all answered.
# -w: ping waits for every reply, not only 10 ms for the last one (see
# tests/integration.sh).
h 1 ping -q -i 0.01 -c 100 -w 30 192.0.2.2 >"$T/ping1" 2>&1
check_eq "100 pings through the old bridge" \
	"$(grep -o '[0-9]* packets transmitted, [0-9]* received' "$T/ping1")" \
	"100 packets transmitted, 100 received"

# Phase 2: pings every 10 ms; the upgrade happens among them.
h 1 ping -i 0.01 -c 1000 -w 60 192.0.2.2 >"$T/ping2" 2>&1 &
ping_pid=$!
replies() { [ "$(grep -c 'bytes from' "$T/ping2")" -ge "$1" ]; }
wait_for 20 replies 50
"$DPCTL" -r "$PIN" br0 ports >"$T/ports" 2>"$T/upgrade.err"
upgraded=$?
check_eq "this build opens the old bridge (the upgrade)" "$upgraded $(cat "$T/upgrade.err")" "0 "
if kill -0 $ping_pid 2>/dev/null; then
	ok "the upgrade happened while the pings ran"
else
	not_ok "the upgrade happened while the pings ran"
fi
wait $ping_pid
check_eq "not one of 1000 pings every 10 ms lost across the upgrade" \
	"$(grep -o '[0-9]* packets transmitted, [0-9]* received' "$T/ping2")" \
	"1000 packets transmitted, 1000 received"

check_eq "the maps have this build's layout" \
	"$(value_size ports) $(value_size port_stats) $(value_size bridge_cfg)" \
	"32 384 64"
check "the ports run this build's program" test "$(prog_of_link "$B/links/$s1")" != "$old_port_prog"
check "the slow path's CPU runs this build's program" test "$(cpumap_prog)" != "$old_slow_prog"
check "the slow path's drop counter is this build's" test "$(prog_of_link "$B/links/cpumap_drops")" != "$old_drops_prog"

ports=$(awk 'NR > 1 {print $1 "/" $4}' "$T/ports" | tr '\n' ' ')
check_eq "the ports and their VLANs are kept" "$ports" "s1/10 s2/10 s3/20 "
fdb=$("$DPCTL" -r "$PIN" br0 fdb show)
entry() { echo "$fdb" | awk -v m="$1" '$1 == m {print $2 "/" $3 "/" $4}'; }
check_eq "the static entry is kept" "$(entry $STATIC)" "10/s2/static"
check_eq "the learned entries are kept" "$(entry "$(mac_of 1)") $(entry "$(mac_of 2)")" \
	"10/s1/dynamic 10/s2/dynamic"
# Each ping is a frame received on s1: the 1,100 are all counted, but a
# frame or two the old programs counted between the copy of the counters
# and the swap (microseconds).
rx=$("$DPCTL" -r "$PIN" br0 stats s1 | awk '$1 == "rx" {print $2}')
check "the counters are kept (s1 received $rx of at least 1100 pings)" test "${rx:-0}" -ge 1098
check_not "VLAN 20 is still apart" ping_ok 1 3
# The first release pinned a map this build has not (trace, issue 14):
# removing the bridge removes its pin too, and the bridge's directory.
check "the old map trace is pinned" test -e "$B/trace"
check "the upgraded bridge is removed whole" "$DPCTL" -r "$PIN" br0 destroy
check_not "nothing of it stays pinned" test -e "$B"
finish
