#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Demo: three hosts in network namespaces on an xbr switch. Installs what is
# needed, builds, switches frames between the hosts, and shows the MAC table
# and the counters. Everything it made is removed at the end, unless --keep.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
keep=0
[ "${1:-}" = "--keep" ] && keep=1

"$top/scripts/deps.sh"
"$top/scripts/build.sh" >/dev/null
dpctl="$top/tools/xbr-dpctl"
br=demo
hosts="1 2 3"

cleanup() {
	"$dpctl" "$br" destroy 2>/dev/null || true
	for i in $hosts; do
		ip netns del "xbr-demo-h$i" 2>/dev/null || true
		ip link del "xbrdemo-p$i" 2>/dev/null || true
	done
}
if [ "$keep" = 0 ]; then trap cleanup EXIT; fi
cleanup

if [ -t 1 ]; then
	say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
	say() { printf '\n== %s\n' "$*"; }
fi

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

say "create bridge '$br' and add the ports"
"$dpctl" "$br" create
for i in $hosts; do "$dpctl" "$br" port add "xbrdemo-p$i"; done
"$dpctl" "$br" ports

say "ping between every pair of hosts"
for pair in "1 2" "1 3" "2 3"; do
	set -- $pair
	ip netns exec "xbr-demo-h$1" ping -c 3 -i 0.2 -W 1 "192.0.2.$2" |
		grep -E 'transmitted|rtt' | sed "s/^/h$1 -> h$2: /"
done

say "the MAC address table: each host's MAC on its port"
"$dpctl" "$br" fdb show

say "counters per port"
"$dpctl" "$br" stats

if [ "$keep" = 1 ]; then
	say "left running; explore with:"
	echo "  $dpctl $br fdb show"
	echo "  ip netns exec xbr-demo-h1 ping 192.0.2.2"
	echo "  remove it all with: $0 (it cleans up before and after)"
else
	say "removing the demo (run with --keep to leave it up)"
fi
