#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Malformed BPDUs (issue 11): a BPDU that is truncated, has the wrong
# protocol identifier, an 802.3 length that does not fit, a version that
# does not match its type, an unknown type, bad flags, or a message age not
# below its max age, sent into an RSTP bridge, changes nothing (root,
# roles, states, edge), is counted as malformed on the port that heard it,
# and the daemon keeps running. Each of them claims a root better than
# the bridge's own: trusted, it would take the root. A good BPDU after
# them still does.
#
#   h1 -- s1 [xm] s2 -- h2      h1 sends the BPDUs
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
. "${XBR_TESTS:-$(dirname "$0")}/stp_peers.sh"
sandbox "$@"

hosts="1 2"
hosts_sandbox xsx
daemon_start
if ! xconf xm "spanning-tree mode rstp" >"$T/mode.out" 2>&1; then
	not_ok "spanning-tree mode rstp refused: $(cat "$T/mode.out")"
	finish
	exit 1
fi
check "bridge xm: RSTP, short timers, ports s1 (edge) and s2" xconf xm \
	"spanning-tree max-age $STP_MAXAGE" \
	"spanning-tree hello-time $STP_HELLO" \
	"spanning-tree forward-delay $STP_FD" \
	"port s1" "port s1 spanning-tree edge" "port s2"

# What an operator reads of the tree: root, root port, and per port role,
# state and edge; the counters left out.
tree() {
	cli -j -c "show spanning-tree bridge xm" | python3 -c '
import json, sys
b = json.load(sys.stdin)["bridges"][0]
print(b.get("root_id"), b.get("root_port"), b.get("root_cost"), " ".join(
    "%s:%s:%s:%s" % (p["ifname"], p["role"], p["state"], p["edge"])
    for p in b["ports"]))'
}
malformed() { xbr_stp xm malformed "$1"; }
received() { xbr_stp xm bpdus_received "$1"; }

# bpdu CASE: h1 sends one BPDU of a bridge 02:00:00:00:00:99 of priority 0
# that says it is the root, made malformed as CASE says ("good": not).
bpdu() {
	h 1 python3 - "$1" <<'PY'
import socket, struct, sys
case = sys.argv[1]
bid = struct.pack("!H", 0) + bytes.fromhex("020000000099")
version, typ, flags = 2, 2, 0x3c          # RST BPDU, designated, learning, forwarding
msg_age, max_age = 0, 6
if case == "wrong-version":
    version = 0                             # an RST BPDU of version 0
elif case == "unknown-type":
    typ = 0x55
elif case == "bad-role":
    flags = 0x30                            # port role "unknown"
elif case == "config-flags":
    version, typ, flags = 0, 0, 0x7e       # reserved flags of a config BPDU
elif case == "message-age":
    msg_age = 6                             # not below max age
b = struct.pack("!HBBB", 0x0001 if case == "protocol-id" else 0,
                version, typ, flags)
b += bid + struct.pack("!I", 0) + bid
b += struct.pack("!HHHHH", 0x8001, msg_age * 256, max_age * 256, 1 * 256,
                 4 * 256)
if typ == 2:
    b += b"\0"                              # version 1 length
if case == "truncated":
    b = b[:30]
elif case == "truncated-config":
    b = struct.pack("!HBB", 0, 0, 0) + b[4:20]
llc = bytes([0x42, 0x42, 0x03])
length = len(llc) + len(b)
if case == "length-short":
    length = 3 + 20                         # less than a BPDU
elif case == "length-long":
    length = 1400                           # more than the frame holds
src = open("/sys/class/net/eth0/address").read().strip()
f = bytes.fromhex("0180c2000000" + src.replace(":", ""))
f += struct.pack("!H", length) + llc + b
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
s.send(f.ljust(60, b"\0"))
PY
}

if wait_for 30 eval '[ "$(xbr_stp xm state s2)" = forwarding ] &&
	[ "$(xbr_stp xm state s1)" = forwarding ]'; then
	ok "xm's ports forward"
else
	not_ok "xm's ports forward: $(tree)"
fi
before=$(tree)
own=$(xbr_stp xm bridge_id)
check_eq "xm is its own root" "$(xbr_stp xm root_id)" "$own"
for c in truncated truncated-config protocol-id length-short length-long \
	wrong-version unknown-type bad-role config-flags message-age; do
	m=$(malformed s1)
	r=$(received s1)
	bpdu "$c"
	# the daemon has handled the BPDU once it has counted it received
	if ! wait_for 5 eval '[ "$(received s1)" = $((r + 1)) ]'; then
		not_ok "$c: s1 received it (received $r -> $(received s1))"
		continue
	fi
	check_eq "$c: counted as malformed on s1" "$(malformed s1)" $((m + 1))
	check_eq "$c: nothing changed" "$(tree)" "$before"
done
check_eq "s2 counted none" "$(malformed s2)" 0
check "the daemon is still running" kill -0 "$daemon_pid"

# A good BPDU, the same but well formed: the claimed root wins.
m=$(malformed s1)
bpdu good
if wait_for 5 eval '[ "$(xbr_stp xm root_port)" = s1 ]'; then
	ok "a good BPDU after them is honoured: s1 is the root port"
else
	not_ok "a good BPDU after them is honoured: $(tree)"
fi
check_eq "the root is the bridge that sent it" \
	"$(bid_norm "$(xbr_stp xm root_id)")" 0/02:00:00:00:00:99
check_eq "and it is not counted as malformed" "$(malformed s1)" "$m"
finish
