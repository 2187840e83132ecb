#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The packet trace (issue 14, item 2): for each kind of decision, what
# `trace` says a frame does is what the same frame, sent for real from a
# host, does: which hosts get it, with which tags, or which drop counter
# counts it. A trace learns nothing and counts nothing, and real frames
# forwarded while traces run lose nothing. Bad input is refused.
#
#   h1 s1 access 10        h4 s4 trunk 10,20, no native
#   h2 s2 access 10        h5 s5 trunk 10, native 10
#   h3 s3 access 20        h6 s6 access 10, shut down
#   xtrm10: an internal port in VLAN 10, with a slow path (added late)
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

hosts="1 2 3 4 5 6"
hosts_sandbox xtr

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1 access vlan 10
 port s2 access vlan 10
 port s3 access vlan 20
 port s4 trunk allowed vlan 10,20
 port s4 trunk native vlan none
 port s5 trunk allowed vlan 10
 port s5 trunk native vlan 10
 port s6 access vlan 10
 port s6 shutdown
 exit
CONF
daemon_start

# Floods go to a multicast address nobody's stack sends to.
BC=03:aa:00:00:00:01
UNKNOWN=02:ee:00:00:00:99

# trace_json HOST DST [TAGS]: the trace of a frame from host HOST's MAC
# to DST, received by its port sN, tagged as TAGS (8100:VID) or not.
trace_json() {
	local vlan=""
	[ -n "${3:-}" ] && vlan="vlan ${3#8100:}"
	cli -j -c "trace bridge br0 interface s$1 src $(mac_of "$1") dst $2 $vlan"
}

# predict JSON: for each host, "-" if the trace sends it nothing, else
# the tags of the frame its port sends (as rawpkt reads them).
predict() {
	python3 -c '
import json, sys
t = json.loads(sys.argv[1])
sent = {}
for e in t.get("egress", []):
    if e["sent"]:
        tags = ",".join("%s:%d:%d" % ("88a8" if g["tpid"] == "802.1ad" else "8100",
                                     g["vid"], g["pcp"]) for g in e["frame"]["tags"])
        sent[e["interface"]] = tags or "untagged"
print(" ".join(sent.get("s" + h, "-") for h in sys.argv[2].split()))
' "$1" "$hosts"
}

# jfield JSON EXPR: EXPR of the parsed JSON t.
jfield() { python3 -c 'import json,sys; t=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$@"; }
counter() {
	cli -j -c "show interfaces $1 counters" |
		python3 -c "import json,sys; c=json.load(sys.stdin)[0]; print(eval(sys.argv[1]))" "$2"
}

# compare NAME SENDER DST SEND_TAGS: the trace's hosts and tags, then the
# real frames'. Each host that the trace sends to gets all 3, with the
# tags the trace shows; every other host gets none.
compare() {
	local name=$1 src=$2 dst=$3 tags=${4:-untagged} json want expect="" w
	json=$(trace_json "$src" "$dst" "$([ "$tags" = untagged ] || echo "$tags")")
	want=$(predict "$json")
	for w in $want; do
		if [ "$w" = - ]; then expect="$expect 0"; else expect="$expect 3"; fi
	done
	# shellcheck disable=SC2086
	check_eq "$name: the real frames go where the trace says ($want)" \
		"$(seen "$src" "$dst" 3 "$tags" -- $want)" "${expect# }"
	LAST=$json
}

# h2 becomes known in VLAN 10 on s2, h3 in VLAN 20 on s3, h4 in VLAN 10
# on s4.
h 2 "$RAWPKT" send eth0 $BC "$(mac_of 2)" 1
h 3 "$RAWPKT" send eth0 $BC "$(mac_of 3)" 1
h 4 "$RAWPKT" send eth0 $BC "$(mac_of 4)" 1 8100:10
known() { cli -c "show mac address-table" | grep -q "$1"; }
for i in 2 3 4; do wait_for 5 known "$(mac_of $i)"; done

compare "known unicast" 1 "$(mac_of 2)"
check_eq "the trace: forward to s2, an FDB hit" \
	"$(jfield "$LAST" 't["verdict"], t["egress_interface"], t["destination"]["known"], t["destination"]["interface"]')" \
	"('forward', 's2', True, 's2')"
compare "unknown unicast" 1 $UNKNOWN
check_eq "the trace: a flood in VLAN 10, s2 and s5 untagged, s4 tagged" \
	"$(jfield "$LAST" 't["verdict"], t["vlan"], t["destination"]["known"], [(e["interface"], e.get("tag"), e.get("reason")) for e in t["egress"]]')" \
	"('flood', 10, False, [('s2', 'none', None), ('s3', None, 'egress-not-member'), ('s4', 'pushed', None), ('s5', 'none', None), ('s6', None, 'port-down')])"
compare "broadcast, tagged 20 on the trunk" 4 $BC 8100:20
check_eq "the trace: the tag popped for s3" \
	"$(jfield "$LAST" '[(e["interface"], e["frame"]["tags"]) for e in t["egress"] if e["sent"]]')" \
	"[('s3', [])]"
compare "tag push: access to trunk" 1 "$(mac_of 4)"
check_eq "the trace: to s4, tag pushed" \
	"$(jfield "$LAST" 't["egress_interface"], t["egress"][0]["tag"], t["egress"][0]["frame"]["tags"]')" \
	"('s4', 'pushed', [{'tpid': '802.1Q', 'vid': 10, 'pcp': 0}])"
compare "tag pop: trunk to access" 4 "$(mac_of 3)" 8100:20
check_eq "the trace: tag popped, frame 4 bytes shorter" \
	"$(jfield "$LAST" 't["egress"][0]["tag"], t["frame"]["length"] - t["egress"][0]["frame"]["length"]')" \
	"('popped', 4)"

# drops: the trace's reason, and the real frames counted by that reason
drop_case() {
	local name=$1 src=$2 tags=$3 reason=$4 before
	before=$(counter "s$src" "c['drops']['${reason//-/_}']")
	compare "$name" "$src" $BC "$tags"
	check_eq "$name: the trace says drop, $reason" \
		"$(jfield "$LAST" 't["verdict"], t["reason"], len(t.get("egress", []))')" \
		"('drop', '$reason', 0)"
	check_eq "$name: the real frames are counted as $reason" \
		"$(counter "s$src" "c['drops']['${reason//-/_}']")" $((before + 3))
}
drop_case "VLAN not allowed on the trunk" 4 8100:30 vlan-not-allowed
drop_case "tagged on an access port" 1 8100:10 tagged-on-access
drop_case "a port down" 6 untagged port-down

# link-local: to the host's stack on the port, never forwarded
before=$(counter s1 "c['punted']")
compare "link-local" 1 01:80:c2:00:00:0e
check_eq "the trace: to the host stack, no egress" \
	"$(jfield "$LAST" 't["verdict"], len(t.get("egress", []))')" "('host-stack', 0)"
check_eq "the real frames were punted" "$(counter s1 "c['punted']")" $((before + 3))

# A trace of a new source learns nothing and counts nothing.
NEW=02:77:00:00:00:01
rx=$(counter s1 "c['rx_packets']")
table=$(cli -c "show mac address-table")
out=$(cli -c "trace bridge br0 interface s1 src $NEW dst $UNKNOWN")
check "the trace says the source is not in the table" grep -q "source: *$NEW  not in the table" <<<"$out"
check_eq "a trace learns nothing: the table is as it was" "$(cli -c "show mac address-table")" "$table"
check_eq "and counts nothing on its port" "$(counter s1 "c['rx_packets']")" "$rx"
check_eq "the raw form (frame HEX) traces the same" \
	"$(cli -j -c "trace bridge br0 interface s1 frame $(echo "$UNKNOWN$NEW" | tr -d :)0800$(printf '%092d' 0)" |
		python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["verdict"], len(t["egress"]))')" "flood 5"

# Real frames forwarded while traces of the same flow run lose nothing:
# the switch takes each on s1 and sends each by s2, no drop counted
# (what h2's own stack then makes of a burst is not the switch's).
# counts PORT: packets in (s1) or out (s2), and drops of every reason
counts() {
	counter "$1" "'%d %d' % (c['$2_packets'], sum(c['drops'].values()))"
}
read -r in0 indrop0 <<<"$(counts s1 rx)"
read -r out0 outdrop0 <<<"$(counts s2 tx)"
touch "$T/tracing"
(while [ -e "$T/tracing" ]; do
	cli -c "trace bridge br0 interface s1 src $(mac_of 1) dst $(mac_of 2)" >/dev/null && echo >>"$T/traces"
done) &
tracer=$!
wait_for 10 test -s "$T/traces"
before=$(wc -l <"$T/traces")
# bursts of 100 until at least 1,000 frames went and 3 traces ran meanwhile
N=0
while [ $N -lt 1000 ] || [ $(($(wc -l <"$T/traces") - before)) -lt 3 ]; do
	h 1 "$RAWPKT" send eth0 "$(mac_of 2)" "$(mac_of 1)" 100
	N=$((N + 100))
	[ $N -ge 20000 ] && break
done
traces=$(($(wc -l <"$T/traces") - before))
rm -f "$T/tracing"
wait $tracer
check "traces ran while the frames went ($traces)" test "$traces" -ge 3
check_eq "$N frames in by s1 while traces ran, none dropped" \
	"$(counts s1 rx)" "$((in0 + N)) $indrop0"
check_eq "and all $N out by s2, none dropped" "$(counts s2 tx)" "$((out0 + N)) $outdrop0"

# Port security: a frame whose source the port's learn limit refuses is
# dropped (violation protect); a dry trace asks the limit, learns nothing.
check "s1: learn limit 1, violation protect" cli -c configure -c "bridge br0" \
	-c "port s1 learn-limit 1 violation protect"
h 1 "$RAWPKT" send eth0 $BC "$(mac_of 1)" 1
wait_for 5 known "$(mac_of 1)"
NEW2=02:77:00:00:00:02
check_eq "the trace of a new source on s1 at its limit: drop, source-refused" \
	"$(jfield "$(cli -j -c "trace bridge br0 interface s1 src $NEW2 dst $BC")" 't["verdict"], t["reason"]')" \
	"('drop', 'source-refused')"
check_eq "the trace of h1, known there: a flood" "$(jfield "$(trace_json 1 $BC)" 't["verdict"]')" flood
refused() { counter s1 "c['drops']['source_refused']"; }
before=$(refused)
h 1 "$RAWPKT" send eth0 $BC $NEW2 3
refused_by() { [ "$(refused)" -ge $((before + $1)) ]; }
check "the real frames of the new source are dropped as source-refused" wait_for 5 refused_by 3
check_not "and the source is not learned" known $NEW2
check "no more learn limit on s1" cli -c configure -c "bridge br0" -c "port s1 learn-limit 0"

# The slow path: a frame for the appliance (an internal port's own MAC)
# goes by the slow path's CPU to the internal port, as the trace says.
check "a slow path, and an internal port in VLAN 10" cli -c configure \
	-c "slow-path host-cpu 0" -c "bridge br0" -c "internal-port xtrm10 vlan 10"
wait_for 10 ip link show xtrm10
ip addr add 192.0.2.100/24 dev xtrm10
check_eq "the trace: by the slow path to xtrm10, a local entry" \
	"$(jfield "$(trace_json 1 "$(ip -br link show xtrm10 | awk '{print $3}')")" \
		't["verdict"], t["destination"]["type"], [e["interface"] for e in t["egress"] if e["sent"]]')" \
	"('slow-path', 'local', ['xtrm10'])"
slow_host() {
	cli -j -c "show slow-path" | python3 -c 'import json,sys; print(sum(c["host"] for c in json.load(sys.stdin)["cpus"]))'
}
host0=$(slow_host)
if wait_for 10 h 1 ping -c 1 -W 1 192.0.2.100; then ok "h1 reaches the appliance"
else not_ok "h1 reaches the appliance"; fi
check "by the slow path's CPU" test "$(slow_host)" -gt "$host0"

# Bad input: a clear error, nothing traced.
bad() {
	local what=$1 want=$2 out
	shift 2
	out=$(cli -c "$*" 2>&1)
	check "$what: $want" grep -q "$want" <<<"$out"
}
bad "odd hex" "odd number of hex digits" "trace bridge br0 interface s1 frame 0123456789abcdef0123456789a"
bad "too short" "too short: 13 bytes" "trace bridge br0 interface s1 frame $(printf '%026d' 0)"
bad "too long" "too long: 481 bytes" "trace bridge br0 interface s1 frame $(printf '%0962d' 0)"
bad "not hex" "hex digits" "trace bridge br0 interface s1 frame 00zz"
ip link add xtrx type veth peer name xtry
bad "a non-port" "xtrx is not a port of bridge br0" "trace bridge br0 interface xtrx frame $(printf '%028d' 0)"
ip link del xtrx
bad "no such interface" "no interface named nosuch" "trace bridge br0 interface nosuch frame $(printf '%028d' 0)"
bad "no such bridge" "no bridge named br9" "trace bridge br9 interface s1 frame $(printf '%028d' 0)"
bad "a bad ethertype" "ethertype 12: want 0600 to ffff" "trace bridge br0 interface s1 src $NEW dst $BC ethertype 12"
finish
