#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Three hosts in network namespaces on an xbr bridge built through the
# datapath library (xbr-dpctl): every pair pings, the FDB shows each host
# on its port, unknown unicast reaches every other port and never its
# ingress, a removed port gets nothing and loses its entries, and adding it
# back works.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

br="it$$"
tmp=$(mktemp -d)
HOSTNS=xbrit$$
hosts="1 2 3"

cleanup() {
	"$DPCTL" "$br" destroy >/dev/null 2>&1
	rm -rf "/sys/fs/bpf/xbr/$br"
	rmdir /sys/fs/bpf/xbr 2>/dev/null
	hosts_remove
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
hosts_make

check "create bridge" "$DPCTL" "$br" create
for i in $hosts; do check "add port s$i" "$DPCTL" "$br" port add "s$i"; done
check_eq "three ports attached in native mode" \
	"$("$DPCTL" "$br" ports | grep -c ' native ')" 3
check_not "adding a port twice is refused" "$DPCTL" "$br" port add s1
check_not "adding a missing interface is refused" "$DPCTL" "$br" port add nosuch0
# as the Linux bridge: no loopback, nothing that carries no Ethernet frames
check_not "adding the loopback interface is refused" "$DPCTL" "$br" port add lo
check_not "and no program is left on it" sh -c "ip link show lo | grep -q xdp"
ip tuntap add "tn$$" mode tun && ip link set "tn$$" up
check_not "adding a tun device (no Ethernet) is refused" "$DPCTL" "$br" port add "tn$$"
ip link del "tn$$"

for a in $hosts; do
	for b in $hosts; do
		[ "$a" = "$b" ] && continue
		if wait_for 10 ping_ok "$a" "$b"; then ok "h$a pings h$b"
		else not_ok "h$a pings h$b"; fi
	done
done

fdb=$("$DPCTL" "$br" fdb show)
for i in $hosts; do
	check_eq "FDB has h$i on s$i" \
		"$(echo "$fdb" | awk -v m="$(mac_of "$i")" '$1 == m {print $2, $3, $4}')" \
		"1 s$i dynamic"
done

# flood_counts SRC_HOST DST_MAC: frames to DST_MAC seen by each host
flood_counts() {
	local src=$1 dst=$2 i out=""
	for i in $hosts; do
		rm -f "$tmp/ready$i"
		h "$i" "$RAWPKT" count eth0 "$dst" 1500 "$tmp/ready$i" >"$tmp/count$i" &
	done
	for i in $hosts; do wait_for 5 test -e "$tmp/ready$i"; done
	h "$src" "$RAWPKT" send eth0 "$dst" "$(mac_of "$src")" 5
	wait
	for i in $hosts; do out="$out $(cat "$tmp/count$i")"; done
	echo $out
}

before=$("$DPCTL" "$br" stats s1 | awk '/flooded/ {print $2}')
check_eq "unknown unicast reaches every other port, not its ingress" \
	"$(flood_counts 1 02:ee:ee:ee:ee:01)" "0 5 5"
after=$("$DPCTL" "$br" stats s1 | awk '/flooded/ {print $2}')
check "the ingress port counts the floods" test "$after" -ge $((before + 5))
check_eq "a known destination gets the frames, nobody else" \
	"$(flood_counts 1 "$(mac_of 2)")" "0 5 0"

check "remove port s3" "$DPCTL" "$br" port remove s3
check_eq "s3's FDB entries are gone" \
	"$("$DPCTL" "$br" fdb show --port s3 | tail -1)" "0 entries"
check_not "s3 has no XDP program any more" sh -c "ip link show s3 | grep -q xdp"
check_not "h1 no longer reaches h3" ping_ok 1 3
check_eq "a flood no longer reaches the removed port" \
	"$(flood_counts 1 02:ee:ee:ee:ee:02)" "0 5 0"

check "add s3 back" "$DPCTL" "$br" port add s3
if wait_for 10 ping_ok 1 3; then ok "h1 pings h3 again"; else not_ok "h1 pings h3 again"; fi
check_eq "FDB has h3 on s3 again" \
	"$("$DPCTL" "$br" fdb show --port s3 | awk -v m="$(mac_of 3)" '$1 == m {print $3}')" s3

# Every xbr-dpctl call opens the pinned bridge again, loads the programs
# afresh and moves the port links to them: forwarding must not notice.
# -w, not -W: without a deadline ping waits for the last reply only
# max(2 x its slowest RTT, the interval), 10 ms here, and a reply that a
# loaded machine delays longer counts as lost though the switch forwarded
# it. With -w it waits for every reply; a frame really lost still shows,
# as more requests sent than replies received.
h 1 ping -c 300 -i 0.01 -w 30 192.0.2.2 >"$tmp/ping" 2>&1 &
pinger=$!
for n in $(seq 1 15); do "$DPCTL" "$br" ports >/dev/null; done
wait $pinger
check "re-opening the bridge 15 times under traffic loses no ping" \
	grep -q "^300 packets transmitted, 300 received," "$tmp/ping"

check "s3 moves to generic XDP" sh -c \
	"'$DPCTL' '$br' port remove s3 && '$DPCTL' '$br' port add s3 --generic"
check_eq "s3 is attached in generic mode" \
	"$("$DPCTL" "$br" ports | awk '$1 == "s3" {print $5}')" generic
if wait_for 10 ping_ok 1 3; then ok "h1 pings h3 through a generic-mode port"
else not_ok "h1 pings h3 through a generic-mode port"; fi
check_eq "a broadcast from the generic-mode port reaches the others" \
	"$(flood_counts 3 ff:ff:ff:ff:ff:ff)" "5 5 0"

check "destroy the bridge" "$DPCTL" "$br" destroy
check_not "its pins are gone" test -e "/sys/fs/bpf/xbr/$br"
check_not "its ports have no XDP program" sh -c "ip link show s1 | grep -q xdp"
finish
