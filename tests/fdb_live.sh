#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The FDB cache live (kernel/fdb_cache.h): two generator threads, one per
# CPU, send to one destination through xbr while the daemon moves its
# entry between ports, deletes it, and flushes it, as fast as the shell
# can ask. After each round a burst is sent and counted per port: every
# frame reaches the port the FDB names, none the port it named before;
# with no entry, the frames flood to both ports.
#
#   gA ==2 queues==> pA  [bridge lv]  pB -> sB (sink)
#                                     pC -> sC (sink)
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
PKTGEN=${XBR_PKTGEN:-tools/xbr-pktgen}
[ "$(nproc)" -ge 2 ] || { echo "SKIP: needs two CPUs"; exit 77; }

daemon_sandbox
PIN=/sys/fs/bpf/xfdb-t$$
DST=02:00:00:02:00:00
BURST=20000

ip link add gA numtxqueues 2 numrxqueues 2 type veth peer name pA \
	numtxqueues 2 numrxqueues 2
ip link add pB type veth peer name sB
ip link add pC type veth peer name sC
for i in gA pA pB sB pC sC; do ip link set "$i" up; done

cat >"$T/startup.conf" <<CONF
bridge lv
 port pA
 port pB
 port pC
 mac static $DST vlan 1 interface pB
 exit
CONF
daemon_start

# pA's counters: frames received, and of them flooded, "R F".
on_a() { cli -j -c "show interfaces pA counters" | python3 -c "import json,sys; d=json.load(sys.stdin)[0]; print(d['rx_packets'], d['flooded'])"; }
# A burst of the generator: the frames each sink got, and how many pA
# received and the bridge flooded meanwhile, "B C R F".
burst() {
	local r0 f0 r1 f1
	read -r r0 f0 < <(on_a)
	"$PKTGEN" run -i gA -t 2 -n "$BURST" --sink sB,sC -j |
		python3 -c 'import json,sys; s=json.load(sys.stdin)["sinks"]; print(s["sB"], s["sC"], end=" ")'
	read -r r1 f1 < <(on_a)
	echo $((r1 - r0)) $((f1 - f0))
}
to() { cli -c configure -c "bridge lv" -c "mac static $DST vlan 1 interface $1"; }
learn_on_b() {
	"$PKTGEN" run -i sB --src "$DST" --dst ff:ff:ff:ff:ff:ff -n 4 >/dev/null
}
unicast_to() { # port, "B C R F"
	set -- "$1" $2
	[ "$5" = 0 ] || return 1
	if [ "$1" = pB ]; then [ "$2" -gt 0 ] && [ "$3" = 0 ]; else [ "$3" -gt 0 ] && [ "$2" = 0 ]; fi
}
# Every frame pA received was flooded by the bridge (none sent by a stale
# unicast answer) and reached both ports; a loaded machine may drop some
# at the ports' queues, which the counters of the decision do not see.
flooded() {
	set -- $1
	[ "$3" -gt $((BURST / 2)) ] && [ "$4" = "$3" ] &&
		[ "$1" -gt $((BURST / 2)) ] && [ "$2" -gt $((BURST / 2)) ]
}
wait_for 10 sh -c "ip link show pC | grep -q xdp"
got=$(burst)
check "at the start every frame goes to pB ($got)" unicast_to pB "$got"

# Traffic on both CPUs for the length of a round, while ops run.
round() {
	"$PKTGEN" run -i gA -t 2 -d 1.5 --warmup 0 >/dev/null &
	gen=$!
	while kill -0 "$gen" 2>/dev/null; do
		"$@"
	done
	wait "$gen"
}
moves() { to pC; to pB; }
flushes() {
	cli -c configure -c "bridge lv" -c "no mac static $DST vlan 1" 2>/dev/null
	learn_on_b
	cli -c "clear mac address-table dynamic interface pB" >/dev/null
	to pB
}

for final in pC pB; do
	round moves
	[ "$final" = pC ] && to pC
	got=$(burst)
	check "after moves under traffic, ending on $final, every frame goes to $final ($got)" \
		unicast_to "$final" "$got"
done

round flushes
cli -c configure -c "bridge lv" -c "no mac static $DST vlan 1"
got=$(burst)
check "after a static delete under traffic, the frames flood ($got)" flooded "$got"

learn_on_b
got=$(burst)
check "a learned entry on pB takes them ($got)" unicast_to pB "$got"
cli -c "clear mac address-table dynamic interface pB" >/dev/null
got=$(burst)
check "after a flush of pB, the frames flood ($got)" flooded "$got"

round flushes
cli -c "clear mac address-table dynamic interface pB" >/dev/null
cli -c configure -c "bridge lv" -c "no mac static $DST vlan 1"
got=$(burst)
check "after flushes under traffic, the frames flood ($got)" flooded "$got"
finish
