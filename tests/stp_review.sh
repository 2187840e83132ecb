#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Rapid Spanning Tree under review (issue 11) on the ring of stp_lib.sh:
# a port added to a running bridge, a link that silently stops carrying
# BPDUs, a state file that cannot be trusted.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
. "${XBR_TESTS:-$(dirname "$0")}/stp_lib.sh"
hosts_sandbox xsr

conf() { cli -c configure -c "bridge $1" -c "${@:2}"; }
ring_start
want="a1:designated:forwarding a3:designated:forwarding b1:root:forwarding b2:designated:forwarding c2:alternate:discarding c3:root:forwarding"
if wait_for 30 ring_converged "$want"; then ok "the ring converges"; else not_ok "the ring converges: '$(stp_ring)'"; fi

# Fault 1: a port added to a running RSTP bridge started its machines
# without BEGIN: it spoke STP (802.1D-1998), so it never found itself an
# edge port and forwarded only after twice the forward delay.
ip link add c9 type veth peer name x9
ip link set c9 up
ip link set x9 up
check "a new port c9 on the running bridge C" conf C "port c9"
edge_fwd() { [ "$(stp_port c9) $(stp_detail c9 edge)" = "designated forwarding True" ]; }
if wait_for 6 edge_fwd; then
	ok "fault 1: c9, hearing no BPDU, is an edge port, forwarding after the migrate time"
else
	not_ok "fault 1: c9 is $(stp_port c9), edge $(stp_detail c9 edge)"
fi
check_eq "fault 1: the port added speaks RSTP" "$(stp_detail c9 protocol)" rstp

# Info expiry: the link A-B silently stops carrying BPDUs from A (a tc
# qdisc drops them, the link stays up). B ages out A's information on
# b1 after three hello times and takes the root through C; b1 turns
# designated, and A, hearing B claim the link with worse information,
# disputes it: one of a1 and b1 discards, no loop.
# (the frames forwarded by XDP pass no qdisc; what the daemon sends
# does: a queue of no room drops the BPDUs alone)
tc qdisc replace dev a1 root pfifo limit 0
t0=$(date +%s%N)
b_via_c() { [ "$(stp_port b2)" = "root forwarding" ]; }
if wait_for 10 b_via_c; then
	ok "B ages out A's information on b1: b2 is its root port"
else
	not_ok "b2 is $(stp_port b2)"
fi
echo "# b2 the root port $((($(date +%s%N) - t0) / 1000000)) ms after the BPDUs stopped"
disputed() {
	[ "$(stp_port b1) $(stp_port c2)" = "designated forwarding designated forwarding" ] &&
		[ "$(stp_port a1)" != "designated forwarding" ]
}
if wait_for 15 disputed; then
	ok "b1 and c2 designated and forwarding, A's a1 disputed: not forwarding"
else
	not_ok "after the expiry: '$(stp_ring)'"
fi
check_eq "a broadcast reaches each host once" "$(broadcast_copies 1000)" "1 1"
for pair in "1 2" "2 3" "3 1"; do
	set -- $pair
	if wait_for 5 ping_ok "$1" "$2"; then ok "h$1 pings h$2"; else not_ok "h$1 pings h$2"; fi
done
tc qdisc del dev a1 root
if wait_for 15 ring_converged "$want c9:designated:forwarding"; then
	ok "the BPDUs back: the ring as at first"
else
	not_ok "the BPDUs back: '$(stp_ring)'"
fi

# Fault 2: the state file a restarted daemon resumes from was trusted
# blindly: a role out of range was taken (and its name read out of
# bounds), a time in the future made an old file look recent, and a
# port left out of it resumed with no state (speaking STP). Such a file
# is ignored: the bridge starts afresh and converges.
daemon_stop
sed -i 's/^c2 [0-9]* /c2 9 /' "$T/stp-C.state"
read -r magic version when rest <"$T/stp-B.state"
sed -i "1s/^xbr-stp 1 $when /xbr-stp 1 $((when + 100000)) /" "$T/stp-B.state"
sed -i '/^s1 /d' "$T/stp-A.state"
daemon_start
check_eq "fault 2: no bridge resumed from its spoilt state file" \
	"$(grep -c 'bridge [ABC]: spanning tree resumed' "$T/switchd.log")" 0
check "fault 2: (A: a port missing)" grep -q "bridge A: spanning tree state file .*ignored (a port of the bridge not in it)" "$T/switchd.log"
check_eq "fault 2: A's s1, left out of the file, speaks RSTP" "$(stp_detail s1 protocol)" rstp
check "fault 2: the daemon says why" grep -q "bridge C: spanning tree state file .*ignored (a value out of range)" "$T/switchd.log"
check "fault 2: (B: written in the future)" grep -q "bridge B: spanning tree state file .*ignored (written in the future)" "$T/switchd.log"
if wait_for 20 ring_converged "$want c9:designated:forwarding"; then
	ok "fault 2: the ring converges"
else
	not_ok "fault 2: the ring converges: '$(stp_ring)'"
fi
check "show spanning-tree answers" cli -c "show spanning-tree"
check_eq "a broadcast reaches each host once" "$(broadcast_copies 1000)" "1 1"

# Proposal and agreement: while C takes the root (priority 0) and every
# bridge re-roots, no port forwards before its side of the link is in
# sync: h1 sends 300 broadcasts 10 ms apart through it all, and no host
# receives more copies than were sent (a loop, even a short one, would
# bring thousands).
counters=
for i in 2 3; do
	h "$i" "$RAWPKT" count eth0 ff:ff:ff:ff:ff:ff 5000 "$T/ready$i" >"$T/count$i" &
	counters="$counters $!"
done
wait_for 10 test -e "$T/ready2" -a -e "$T/ready3"
h 1 python3 - <<'PY' &
import socket, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
f = bytes.fromhex("ffffffffffff020000000101") + b"\x88\xb5" + bytes(46)
for _ in range(300):
    s.send(f)
    time.sleep(0.01)
PY
sender=$!
check "C takes priority 0" conf C "spanning-tree priority 0"
wait $sender $counters
rm -f "$T/ready2" "$T/ready3"
want_c="a1:designated:forwarding a3:root:forwarding b1:alternate:discarding b2:root:forwarding c2:designated:forwarding c3:designated:forwarding c9:designated:forwarding"
if wait_for 15 ring_converged "$want_c"; then ok "C the root: the roles follow"; else not_ok "C the root: '$(stp_ring)'"; fi
echo "# copies received while the ring re-rooted: h2 $(cat "$T/count2"), h3 $(cat "$T/count3") of 300"
check "no loop while converging: h2 got no more copies than were sent" test "$(cat "$T/count2")" -le 300
check "(nor h3)" test "$(cat "$T/count3")" -le 300

# Fault 4: the port number was the port's place in the bridge's list, so
# removing one port renumbered the others: A's a3 changed its port id
# under C's feet. It is the datapath slot's, and stays.
before="$(stp_detail a3 port_id) $(stp_detail c3 designated_port)"
check "s1 leaves A" conf A "no port s1"
s1_gone() { [ -z "$(stp_port s1)" ]; }
if wait_for 5 s1_gone; then ok "s1 is out of A's spanning tree"; else not_ok "s1 is still $(stp_port s1)"; fi
check_eq "fault 4: a3 keeps its port id, and C hears the same" \
	"$(stp_detail a3 port_id) $(stp_detail c3 designated_port)" "$before"

# Fault 5: the bridge address was the lowest MAC of the bridge's ports
# at every moment, so a port added with a lower MAC changed the bridge
# id on a running bridge (and the neighbours saw a new bridge). It stays
# while the port it came from does.
bridge_id_a() {
	cli -j -c "show spanning-tree bridge A" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["bridges"][0]["bridge_id"])'
}
id_a=$(bridge_id_a)
ip link add a9 address 02:00:00:00:00:a9 type veth peer name x8
ip link set a9 up
ip link set x8 up
check "a port of a lower MAC joins A" conf A "port a9"
a9_up() { [ "$(stp_port a9)" = "designated forwarding" ]; }
if wait_for 6 a9_up; then ok "a9 forwards"; else not_ok "a9 is $(stp_port a9)"; fi
check_eq "fault 5: A's bridge id stays" "$(bridge_id_a)" "$id_a"
# and across a restart: the state file's id is taken up again
daemon_stop
daemon_start
check_eq "fault 5: A resumed after the restart" \
	"$(grep -c 'bridge A: spanning tree resumed' "$T/switchd.log")" 1
check_eq "fault 5: with the same bridge id" "$(bridge_id_a)" "$id_a"

# Fault 3: the root path cost wrapped round 2^32: a root heard at cost
# 0xffffff00 on s2 (cost 2000) wrapped to a root path cost of 1744,
# cheaper than the path really is. It saturates.
send_bpdu 2 0 35 $((0xffffff00))
root_cost_b() {
	cli -j -c "show spanning-tree bridge B" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["bridges"][0]["root_cost"])'
}
b_root_s2() { [ "$(stp_port s2)" = "root forwarding" ]; }
if wait_for 5 b_root_s2; then ok "B takes the root heard on s2"; else not_ok "s2 is $(stp_port s2)"; fi
check_eq "fault 3: B's root path cost saturates" "$(root_cost_b)" 4294967295
finish
