#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Demo: three hosts in network namespaces on an xbr switch. Installs what is
# needed, builds, starts xbr-switchd with a startup config for the
# topology, and shows an operator's session: ports, the MAC table filling
# as the hosts talk, counters, a MAC move as events say it, and a daemon
# restart that loses no ping.
# Then VLANs: two bridges joined by an 802.1Q trunk, hosts in VLANs 10 and
# 20 on both, and the appliance's management address on an internal port
# in VLAN 99. Then RSTP: a second trunk between the two bridges, blocked,
# taking over when the first goes down under a ping. Everything it made is
# removed at the end, unless --keep.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
keep=0
[ "${1:-}" = "--keep" ] && keep=1

"$top/scripts/deps.sh"
"$top/scripts/build.sh" >/dev/null
switchd="$top/switchd/xbr-switchd"
cli_bin="$top/cli/xbr-cli"
run=/run/xbr-demo
pin=/sys/fs/bpf/xbr-demo
hosts="1 2 3"
vhosts="1 2 3 4 5"

stop_daemon() {
	if [ -f "$run/pid" ]; then
		kill "$(cat "$run/pid")" 2>/dev/null || true
		while kill -0 "$(cat "$run/pid")" 2>/dev/null; do sleep 0.1; done
		rm -f "$run/pid"
	fi
}
cleanup() {
	for b in demo west east; do
		[ -S "$run/sock" ] && "$cli_bin" -s "$run/sock" -c configure \
			-c "no bridge $b" >/dev/null 2>&1 || true
	done
	stop_daemon
	"$top/tools/xbr-dpctl" -r "$pin" demo destroy >/dev/null 2>&1 || true
	rm -rf "$pin" "$run"
	for i in $hosts; do
		ip netns del "xbr-demo-h$i" 2>/dev/null || true
		ip link del "xbrdemo-p$i" 2>/dev/null || true
	done
	for i in $vhosts; do
		ip netns del "xbr-demo-v$i" 2>/dev/null || true
		ip link del "xbrdemo-v$i" 2>/dev/null || true
	done
	ip link del xbrdemo-tw 2>/dev/null || true
	ip link del xbrdemo-tw2 2>/dev/null || true
	ip link del demomgmt 2>/dev/null || true
}
if [ "$keep" = 0 ]; then trap cleanup EXIT; fi
cleanup

if [ -t 1 ]; then
	say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
	say() { printf '\n== %s\n' "$*"; }
fi
start_daemon() {
	"$switchd" -c "$run/startup.conf" -d "$run/config.db" -s "$run/sock" \
		-p "$pin" 2>>"$run/switchd.log" &
	echo $! >"$run/pid"
	for _ in $(seq 100); do [ -S "$run/sock" ] && return; sleep 0.1; done
	echo "xbr-switchd did not start:"; cat "$run/switchd.log"; exit 1
}
# An operator's commands, shown as typed at the switch's prompt.
session() { printf '%s\n' "$@" | "$cli_bin" -s "$run/sock" -t -f -; }

say "three hosts, each behind a veth into the switch"
for i in $hosts; do
	ns="xbr-demo-h$i"
	ip netns add "$ns"
	ip link add "xbrdemo-p$i" type veth peer name eth0 netns "$ns"
	ip link set "xbrdemo-p$i" up
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add "192.0.2.$i/24" dev eth0
	ip -n "$ns" link set eth0 up
	echo "host h$i: 192.0.2.$i, MAC $(ip -n "$ns" -br link show eth0 | awk '{print $3}') <-> switch port xbrdemo-p$i"
done

say "xbr-switchd starts with this startup config"
mkdir -p "$run"
cat >"$run/startup.conf" <<'CONF'
bridge demo
 port xbrdemo-p1
 port xbrdemo-p2
 port xbrdemo-p3
 exit
CONF
cat "$run/startup.conf"
start_daemon

say "the operator looks at the switch"
session "show bridge" "show interfaces" "show mac address-table"

say "the hosts talk: ping between every pair"
for pair in "1 2" "1 3" "2 3"; do
	set -- $pair
	ip netns exec "xbr-demo-h$1" ping -c 3 -i 0.2 -W 1 "192.0.2.$2" |
		grep -E 'transmitted' | sed "s/^/h$1 -> h$2: /"
done

say "the MAC table has filled, and the counters moved"
session "show mac address-table" "show interfaces xbrdemo-p1 counters"

say "where would a frame go? trace runs it through the loaded datapath (nothing sent, nothing learned)"
h2mac=$(ip -n xbr-demo-h2 -br link show eth0 | awk '{print $3}')
session "trace bridge demo interface xbrdemo-p1 src 02:00:00:00:00:01 dst $h2mac" \
	"trace bridge demo interface xbrdemo-p1 src 02:00:00:00:00:01 dst ff:ff:ff:ff:ff:ff"
say "h2 takes h1's MAC for a moment (a VM that moved, a duplicate MAC): events say so"
mac_of() { ip -n "xbr-demo-h$1" -br link show eth0 | awk '{print $3}'; }
mac1=$(mac_of 1)
mac2=$(mac_of 2)
ip -n xbr-demo-h2 link set eth0 address "$mac1"
ip netns exec xbr-demo-h2 ping -c 1 -W 1 192.0.2.3 >/dev/null || true
ip -n xbr-demo-h2 link set eth0 address "$mac2"
# the hosts forget what h2's ARP said meanwhile
for i in $hosts; do ip -n "xbr-demo-h$i" neigh flush all; done
ip netns exec xbr-demo-h1 ping -c 1 -W 1 192.0.2.3 >/dev/null || true
for _ in $(seq 20); do
	[ "$("$cli_bin" -s "$run/sock" -c "show logging | include moved | count")" -ge 2 ] && break
	sleep 0.1
done
session "show logging | include moved"

say "restart xbr-switchd while h1 pings h2 every 20 ms"
ip netns exec xbr-demo-h1 ping -c 100 -i 0.02 -W 1 192.0.2.2 >"$run/ping" &
pinger=$!
sleep 0.5
stop_daemon
echo "xbr-switchd stopped; the datapath forwards on its own"
start_daemon
echo "xbr-switchd started again"
wait $pinger
grep transmitted "$run/ping" | sed 's/^/h1 -> h2: /'
session "show running-config"

say "VLANs: two bridges joined by a trunk"
# v1 (10) v2 (20) -- west ==trunk 10,20,99== east -- v3 (10) v4 (20) v5 (99)
#                     demomgmt (99): the appliance, 203.0.113.1
for i in $vhosts; do
	ns="xbr-demo-v$i"
	ip netns add "$ns"
	ip link add "xbrdemo-v$i" type veth peer name eth0 netns "$ns"
	ip link set "xbrdemo-v$i" up
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
done
for i in 1 2 3 4; do ip -n "xbr-demo-v$i" addr add "198.51.100.$i/24" dev eth0; done
ip -n xbr-demo-v5 addr add 203.0.113.5/24 dev eth0
ip link add xbrdemo-tw type veth peer name xbrdemo-te
ip link set xbrdemo-tw up
ip link set xbrdemo-te up
echo "hosts v1-v4 share 198.51.100.0/24: only VLANs keep them apart"
session configure "bridge west" "port xbrdemo-v1 access vlan 10" \
	"port xbrdemo-v2 access vlan 20" \
	"port xbrdemo-tw trunk allowed vlan 10,20,99" \
	"internal-port demomgmt vlan 99" exit "bridge east" \
	"port xbrdemo-v3 access vlan 10" "port xbrdemo-v4 access vlan 20" \
	"port xbrdemo-v5 access vlan 99" \
	"port xbrdemo-te trunk allowed vlan 10,20,99" end "show vlan 10" \
	"show vlan 99"
ip addr add 203.0.113.1/24 dev demomgmt
echo "(the host gives the internal port demomgmt its address: 203.0.113.1)"
vping() {	# FROM TO-ADDRESS WHAT
	if ip netns exec "xbr-demo-v$1" ping -c 2 -i 0.2 -W 1 "$2" >/dev/null 2>&1
	then echo "v$1 -> $3: reached"; else echo "v$1 -> $3: no answer"; fi
}
vping 1 198.51.100.3 "v3 (both VLAN 10, across the trunk)"
vping 2 198.51.100.4 "v4 (both VLAN 20, across the trunk)"
vping 1 198.51.100.4 "v4 (VLAN 10 to VLAN 20)"
vping 5 203.0.113.1 "the appliance (VLAN 99, over the trunk to an internal port)"
session "show mac address-table bridge east"

say "RSTP: a second link between west and east, blocked until the first fails"
# v1 v2 -- west ==xbrdemo-tw / xbrdemo-te== east -- v3 v4 v5
#               ==xbrdemo-tw2/xbrdemo-te2==
session configure "bridge west" "port xbrdemo-v1 spanning-tree edge" \
	"port xbrdemo-v2 spanning-tree edge" "spanning-tree priority 4096" \
	"spanning-tree mode rstp" exit "bridge east" \
	"port xbrdemo-v3 spanning-tree edge" "port xbrdemo-v4 spanning-tree edge" \
	"port xbrdemo-v5 spanning-tree edge" "spanning-tree mode rstp" end
ip link add xbrdemo-tw2 type veth peer name xbrdemo-te2
ip link set xbrdemo-tw2 up
ip link set xbrdemo-te2 up
session configure "bridge west" "port xbrdemo-tw2 trunk allowed vlan 10,20,99" \
	exit "bridge east" "port xbrdemo-te2 trunk allowed vlan 10,20,99" end
# the role of a port of east: "alternate discarding"
east_port() {
	"$cli_bin" -s "$run/sock" -j -c "show spanning-tree bridge east" |
		python3 -c 'import json, sys
for p in json.load(sys.stdin)["bridges"][0]["ports"]:
    if p["ifname"] == sys.argv[1]: print(p["role"], p["state"])' "$1"
}
for _ in $(seq 100); do
	[ "$(east_port xbrdemo-te2)" = "alternate discarding" ] &&
		[ "$(east_port xbrdemo-te)" = "root forwarding" ] && break
	sleep 0.1
done
echo "a loop, and RSTP blocks it: east's second trunk port is the alternate"
session "show spanning-tree bridge east"
vping 1 198.51.100.3 "v3 (over the active trunk)"
echo "v1 pings v3 every 10 ms; the active link (xbrdemo-tw) goes down"
ip netns exec xbr-demo-v1 ping -c 300 -i 0.01 -W 1 198.51.100.3 >"$run/ping" &
pinger=$!
sleep 1
ip link set xbrdemo-tw down
wait $pinger || true
grep transmitted "$run/ping" | sed 's/^/v1 -> v3: /'
echo "the alternate took over at once:"
session "show spanning-tree bridge east"

if [ "$keep" = 1 ]; then
	say "left running; explore with:"
	echo "  $cli_bin -s $run/sock"
	echo "  ip netns exec xbr-demo-h1 ping 192.0.2.2"
	echo "  remove it all with: $0 (it cleans up before and after)"
else
	say "removing the demo (run with --keep to leave it up)"
fi
