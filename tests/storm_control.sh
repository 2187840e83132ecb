#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Storm control (issue 12, item 3): port IFNAME storm-control KIND LIMIT
# lets at most LIMIT flooded frames of the kind per second in; xbr-pktgen
# offers far more, from two CPUs at once, and what reaches the other port
# must be within 10% of the limit. Known unicast is never policed.
#
#   gen -- pA == br0 == pB -- sink
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
PKTGEN=${XBR_PKTGEN:-tools/xbr-pktgen}

daemon_sandbox
rmdir "$T"
T=$(mktemp -d /tmp/xsc.XXXXXX)
PIN=/sys/fs/bpf/xsc-t$$

# two queues each, so that both CPUs receive (one generator thread each)
q="numtxqueues 2 numrxqueues 2"
ip link add gA $q type veth peer name pA $q
ip link add pB $q type veth peer name sB $q
for i in gA pA pB sB; do ip link set "$i" up; done
threads=$(($(nproc) >= 2 ? 2 : 1))

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port pA
 port pB
 port pA storm-control broadcast 20000
 exit
CONF
daemon_start

conf() { cli -c configure -c "bridge br0" -c "$@"; }
# offer DST for 2 s from every CPU; prints frames per second delivered
rate() {
	"$PKTGEN" run -i gA -d 2 -t "$threads" --dst "$1" --sink sB -j |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(int(r["delivered"] / r["seconds"]))'
}
# within 10% of LIMIT: within DESCRIPTION GOT LIMIT
within() {
	if [ "$2" -ge $(($3 * 9 / 10)) ] && [ "$2" -le $(($3 * 11 / 10)) ]; then
		ok "$1: $2 frames/s for a limit of $3"
	else
		not_ok "$1: $2 frames/s for a limit of $3"
	fi
}
storm_json() {
	cli -j -c "show storm-control pA" | python3 -c "
import json,sys
for r in json.load(sys.stdin):
    if r['kind'] == '$1': print(r['$2'])"
}
dropped_reason() {
	"$DPCTL" -r "$PIN" br0 stats pA | grep -o 'storm-control [0-9]*' | cut -d' ' -f2
}

wait_for 10 sh -c "ip link show pA | grep -q xdp"
within "fault 12.3: broadcast through a limit of 20000, $threads CPUs receiving" \
	"$(rate ff:ff:ff:ff:ff:ff)" 20000
check "show storm-control counts drops" test "$(storm_json broadcast dropped)" -gt 0
check "and what passed" test "$(storm_json broadcast passed)" -gt 20000
check "the drops have the reason storm-control" test "$(dropped_reason)" -gt 0
check_eq "show storm-control has the limit" "$(storm_json broadcast limit_pps)" 20000

check "port pA storm-control multicast 10000" conf "port pA storm-control multicast 10000"
within "fault 12.3: multicast through a limit of 10000" "$(rate 01:00:5e:00:00:01)" 10000
check "port pA storm-control unknown-unicast 5000" conf "port pA storm-control unknown-unicast 5000"
within "fault 12.3: unknown unicast through a limit of 5000" "$(rate 02:00:00:02:00:00)" 5000

# known unicast: the same destination, now a static entry on pB
check "mac static for the destination" conf "mac static 02:00:00:02:00:00 vlan 1 interface pB"
known=$(rate 02:00:00:02:00:00)
check "fault 12.3: known unicast is not policed ($known frames/s)" test "$known" -gt 50000
out=$("$PKTGEN" run -i gA -n 30000 -t "$threads" --sink sB -j)
check_eq "every known unicast frame delivered" \
	"$(python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["delivered"] == r["injected"])' <<<"$out")" True

check "no port pA storm-control broadcast" conf "no port pA storm-control broadcast"
check "without the limit, broadcast passes" test "$(rate ff:ff:ff:ff:ff:ff)" -gt 50000

before=$(cli -c "show running-config")
check_not "a limit of 0 is refused" conf "port pA storm-control multicast 0"
check_not "a limit beyond 1000000000 is refused" conf "port pA storm-control multicast 1000000001"
check_not "an unknown kind is refused" conf "port pA storm-control anycast 10"
check_not "no storm-control of a port that is none" conf "no port nosuch0 storm-control broadcast"
check_eq "and nothing changed" "$(cli -c "show running-config")" "$before"
check "the running config has the limits" \
	grep -q '^ port pA storm-control multicast 10000$' <<<"$before"

daemon_stop
daemon_start
wait_for 10 sh -c "ip link show pA | grep -q xdp"
check "after a restart, the limit stays" \
	grep -q '^ port pA storm-control unknown-unicast 5000$' <<<"$(cli -c "show running-config")"
check "mac static is gone" conf "no mac static 02:00:00:02:00:00 vlan 1"
within "and holds" "$(rate 02:00:00:02:00:00)" 5000

# a veth says 10000 Mb/s: 1% is 10^10 / 100 / (84 * 8) 64-byte frames/s
check "port pA storm-control broadcast 1 percent" conf "port pA storm-control broadcast 1 percent"
check_eq "fault 12.3: 1 percent of 10 Gb/s is 148809 frames/s" "$(storm_json broadcast limit_pps)" 148809
check "the running config keeps the percentage" \
	grep -q '^ port pA storm-control broadcast 1 percent$' <<<"$(cli -c "show running-config")"
within "fault 12.3: broadcast through 1 percent" "$(rate ff:ff:ff:ff:ff:ff)" 148809
check_not "101 percent is refused" conf "port pA storm-control broadcast 101 percent"
finish
