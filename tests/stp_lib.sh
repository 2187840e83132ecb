# SPDX-License-Identifier: GPL-2.0-only
# The ring of the spanning-tree tests (sourced after lib.sh): three
# bridges of one daemon, A, B and C, each with a host, joined in a ring
# by point-to-point veth links:
#
#        h1 - s1 [A] a1 ====== b1 [B] s2 - h2
#                 a3           b2
#                  \\          //
#                   c3 [C] c2
#                      s3 - h3
#
# A has priority 4096 (the root); B and C the default, B's MACs lower
# than C's: C's port c2 is the one alternate, discarding. Timers are the
# shortest the standard allows (hello 1, forward delay 4, max age 6);
# HELLO=2 makes the hello time 2.

hosts="1 2 3"

ring_links() {
	ip link add a1 address 02:00:00:00:0a:01 type veth peer name b1 \
		address 02:00:00:00:0b:01
	ip link add b2 address 02:00:00:00:0b:02 type veth peer name c2 \
		address 02:00:00:00:0c:02
	ip link add c3 address 02:00:00:00:0c:03 type veth peer name a3 \
		address 02:00:00:00:0a:03
	for l in a1 b1 b2 c2 c3 a3; do ip link set "$l" up; done
}

# bridge_conf NAME PRIORITY HOSTPORT RINGPORT...
bridge_conf() {
	local p
	echo "bridge $1"
	echo " spanning-tree mode rstp"
	echo " spanning-tree priority $2"
	echo " spanning-tree max-age 6"
	echo " spanning-tree hello-time ${HELLO:-1}"
	echo " spanning-tree forward-delay 4"
	echo " port $3"
	echo " port $3 spanning-tree edge"
	shift 3
	for p in "$@"; do echo " port $p"; done
	echo " exit"
}

ring_start() {
	ring_links
	{
		bridge_conf A 4096 s1 a1 a3
		bridge_conf B 32768 s2 b1 b2
		bridge_conf C 32768 s3 c2 c3
	} >"$T/startup.conf"
	daemon_start
}

# role and state of a port: "alternate discarding"
stp_port() {
	cli -j -c "show spanning-tree" | python3 -c '
import json, sys
for b in json.load(sys.stdin)["bridges"]:
    for p in b.get("ports", []):
        if p["ifname"] == sys.argv[1]:
            print(p["role"], p["state"])' "$1"
}

# every ring port with its role and state, one line
stp_ring() {
	cli -j -c "show spanning-tree" | python3 -c '
import json, sys
print(" ".join("%s:%s:%s" % (p["ifname"], p["role"], p["state"])
               for b in json.load(sys.stdin)["bridges"]
               for p in b.get("ports", []) if not p["ifname"].startswith("s")))'
}

ring_converged() {
	[ "$(stp_ring)" = "$1" ]
}

# the sum of the flood counters of every port of the three bridges
flooded_sum() {
	cli -j -c "show interfaces counters" | python3 -c '
import json, sys
print(sum(p.get("flooded", 0) for p in json.load(sys.stdin)))'
}

# broadcast_copies: h1 sends one broadcast; "N2 N3": the copies h2 and h3
# received within MS milliseconds.
broadcast_copies() {
	local ms=$1 i
	for i in 2 3; do
		h "$i" "$RAWPKT" count eth0 ff:ff:ff:ff:ff:ff "$ms" \
			"$T/ready$i" >"$T/count$i" &
	done
	wait_for 10 test -e "$T/ready2" -a -e "$T/ready3"
	h 1 "$RAWPKT" send eth0 ff:ff:ff:ff:ff:ff 02:00:00:00:01:01 1
	wait
	rm -f "$T/ready2" "$T/ready3"
	echo "$(cat "$T/count2") $(cat "$T/count3")"
}

# root id of every bridge, one line: "A:4096.02:00:00:00:0a:01 B:..."
stp_roots() {
	cli -j -c "show spanning-tree" | python3 -c '
import json, sys
print(" ".join("%s:%s" % (b["bridge"], b.get("root_id"))
               for b in json.load(sys.stdin)["bridges"]))'
}

roots_are() {
	[ "$(stp_roots)" = "$1" ]
}

# send_bpdu HOST [ROOTPRIO [LEN]]: host sends one configuration BPDU of
# a bridge 02:00:00:00:00:01 that claims to be the root with ROOTPRIO
# (default 0), cut to LEN bytes of BPDU if given.
send_bpdu() {
	h "$1" python3 - "${2:-0}" "${3:-35}" <<'PY'
import socket, struct, sys
prio, cut = int(sys.argv[1]), int(sys.argv[2])
bid = struct.pack("!H", prio) + bytes.fromhex("020000000001")
bpdu = struct.pack("!HBBB", 0, 0, 0, 0) + bid + struct.pack("!I", 0) + bid
bpdu += struct.pack("!HHHHH", 0x8001, 0, 20 * 256, 1 * 256, 15 * 256)
bpdu = bpdu[:cut]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
src = open("/sys/class/net/eth0/address").read().strip()
llc = bytes([0x42, 0x42, 0x03])
f = bytes.fromhex("0180c2000000") + bytes.fromhex(src.replace(":", ""))
f += struct.pack("!H", len(llc) + len(bpdu)) + llc + bpdu
s.send(f.ljust(60, b"\0"))
PY
}

# a value of a port in show spanning-tree detail: stp_detail PORT KEY
stp_detail() {
	cli -j -c "show spanning-tree detail" | python3 -c '
import json, sys
for b in json.load(sys.stdin)["bridges"]:
    for p in b.get("ports", []):
        if p["ifname"] == sys.argv[1]:
            print(p[sys.argv[2]])' "$1" "$2"
}

# the pings of a ping running into $T/ping answered so far: at least N
answered() {
	[ "$(grep -c 'bytes from' "$T/ping")" -ge "$1" ]
}

# the lost pings of $T/ping, once it ended: "LOST SENT"
ping_lost() {
	local sent got
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$T/ping")
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$T/ping")
	echo "$((sent - got)) $sent"
}
