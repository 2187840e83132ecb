#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Mirroring (issue 12, item 5): monitor session N source interface X
# [rx|tx|both] destination interface Y. Copies of what X receives (as
# received) and sends (as sent) leave by Y, unicast and flood, tags as they
# were; the original delivery is unchanged; Y takes no part in switching.
#
#   h1 -- s1 (access 10) == br0 == s2 (access 10) -- h2
#   h3 -- s3 (trunk 10)  ==/  \== s4 (the destination) -- h4
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

hosts="1 2 3 4"
hosts_sandbox xmr

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1 access vlan 10
 port s2 access vlan 10
 port s3 trunk allowed vlan 10
 port s4 access vlan 10
 exit
CONF
daemon_start

conf() { cli -c configure -c "bridge br0" -c "$@"; }
BC=ff:ff:ff:ff:ff:ff
T10=8100:10

# frames SRC DST TAGS -- WANT_1 .. WANT_4: 5 frames from host SRC to DST
# (a MAC, or hN for host N's) with TAGS; how many each host receives
# with the tags WANT_N ("-": any frame to DST).
frames() {
	local src=$1 dst=$2 tags=$3 i want out=""
	shift 4
	[[ $dst == h? ]] && dst=$(mac_of "${dst#h}")
	for i in $hosts; do
		rm -f "$T/ready$i"
		want=${!i}
		[ "$want" = - ] && want=
		h "$i" "$RAWPKT" count eth0 "$dst" 800 "$T/ready$i" $want \
			>"$T/count$i" &
	done
	for i in $hosts; do wait_for 5 test -e "$T/ready$i"; done
	h "$src" "$RAWPKT" send eth0 "$dst" "$(mac_of "$src")" 5 "$tags"
	wait
	for i in $hosts; do out="$out $(cat "$T/count$i")"; done
	echo $out
}
copies() {
	cli -j -c "show monitor session $1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["copies"])'
}
drops() {
	cli -j -c "show interfaces $1 counters" |
		python3 -c "import json,sys; print(json.load(sys.stdin)[0]['drops']['$2'])"
}
learn_all() {
	h 1 "$RAWPKT" send eth0 $BC "$(mac_of 1)" 1 untagged
	h 2 "$RAWPKT" send eth0 $BC "$(mac_of 2)" 1 untagged
	h 3 "$RAWPKT" send eth0 $BC "$(mac_of 3)" 1 $T10
	wait_for 5 sh -c "$CLI -s $T/sock -c 'show mac address-table' | grep -c ' s[123] ' | grep -qx 3"
}

# Bad input: a clear error, and nothing changes.
check_not "fault 12.5: a destination that is its own source is refused" \
	conf "monitor session 1 source interface s1 destination interface s1"
check_not "fault 12.5: a destination that is not a port is refused" \
	conf "monitor session 1 source interface s1 destination interface s9"
check_not "fault 12.5: session 0 is out of range" \
	conf "monitor session 0 source interface s1 destination interface s4"
check_not "fault 12.5: session 67 is out of range" \
	conf "monitor session 67 source interface s1 destination interface s4"
check_eq "and none of them made a session" "$(cli -c "show monitor")" \
	"no monitor session"
check_eq "the error names the fault" \
	"$(conf "monitor session 1 source interface s1 destination interface s1" 2>&1 | grep '^%')" \
	"% s1 cannot be the destination of its own mirror"

learn_all
check_eq "before any session: a unicast frame reaches its port only" \
	"$(frames 1 h2 untagged -- - - - -)" "0 5 0 0"

# rx: what s1 receives, as received, unicast and flood.
check "monitor session 1 source interface s1 rx destination interface s4" \
	conf "monitor session 1 source interface s1 rx destination interface s4"
check_eq "fault 12.5: rx unicast: h2 gets it, h4 a copy as received, h3 nothing" \
	"$(frames 1 h2 untagged -- - untagged - untagged)" "0 5 0 5"
check_eq "fault 12.5: rx flood: everyone in VLAN 10 as before, h4 a copy" \
	"$(frames 1 $BC untagged -- - untagged $T10 untagged)" "0 5 5 5"
check_eq "nothing that s1 sends is copied (rx only)" \
	"$(frames 2 h1 untagged -- untagged - - -)" "5 0 0 0"
check_eq "show monitor counts the copies" "$(copies 1)" 10

# The destination takes no part in switching.
check_eq "fault 12.5: a frame from h4 goes nowhere" \
	"$(frames 4 $BC untagged -- - - - -)" "0 0 0 0"
check "counted as mirror-destination on s4" test "$(drops s4 mirror_destination)" -ge 5
check_not "and s4 learned nothing" grep -q ' s4 ' <<<"$(cli -c "show mac address-table")"
check_eq "fault 12.5: a flood from a port that is no source does not reach s4" \
	"$(frames 2 $BC untagged -- - - - -)" "5 0 5 0"

# rx on a trunk: the copy keeps its tag.
check "no monitor session 1" conf "no monitor session 1"
check "monitor session 2 source interface s3 rx destination interface s4" \
	conf "monitor session 2 source interface s3 rx destination interface s4"
learn_all
check_eq "fault 12.5: rx tagged: h1 gets it untagged, h4 tagged as received" \
	"$(frames 3 h1 $T10 -- untagged - - $T10)" "5 0 0 5"

# tx: what s3 sends, as it sent it (tagged), unicast and flood.
check "monitor session 2 source interface s3 tx ... (a source changes direction)" \
	conf "monitor session 2 source interface s3 tx destination interface s4"
check_eq "fault 12.5: tx unicast: h3 gets it tagged, h4 a copy as sent (tagged)" \
	"$(frames 1 h3 untagged -- - - $T10 $T10)" "0 0 5 5"
check_eq "tx only: what s3 receives is not copied" \
	"$(frames 3 h1 $T10 -- untagged - - -)" "5 0 0 0"
check_eq "fault 12.5: tx flood: h4 gets s3's copy, tagged" \
	"$(frames 2 $BC untagged -- untagged - $T10 $T10)" "5 0 5 5"

# Several sources; both directions.
check "monitor session 2 source interface s1 rx ... (a second source)" \
	conf "monitor session 2 source interface s1 rx destination interface s4"
check_eq "fault 12.5: s1 to s3: one copy per session (as s1 received it)" \
	"$(frames 1 h3 untagged -- - - $T10 untagged)" "0 0 5 5"
check_not "fault 12.5: a second source of sent frames in one session is refused" \
	conf "monitor session 2 source interface s2 tx destination interface s4"
check_not "fault 12.5: another destination for the session is refused" \
	conf "monitor session 2 source interface s2 rx destination interface s1"
check_not "fault 12.5: a source as another session's destination is refused" \
	conf "monitor session 3 source interface s2 rx destination interface s1"
check "no monitor session 2" conf "no monitor session 2"
check "monitor session 3 source interface s2 destination interface s4 (both)" \
	conf "monitor session 3 source interface s2 destination interface s4"
learn_all
check_eq "fault 12.5: both: what s2 receives is copied" \
	"$(frames 2 h1 untagged -- untagged - - untagged)" "5 0 0 5"
check_eq "fault 12.5: both: and what s2 sends" \
	"$(frames 3 h2 $T10 -- - untagged - untagged)" "0 5 0 5"

# show, running config, removal.
json=$(cli -j -c "show monitor")
check_eq "show monitor -j" "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1])[0]; print(d["session"], d["bridge"], d["destination"], [(s["interface"], s["direction"]) for s in d["sources"]])' "$json")" \
	"3 br0 s4 [('s2', 'both')]"
check "show monitor session 3 (text)" grep -q 'destination: s4' <<<"$(cli -c "show monitor session 3")"
check_not "show monitor session 9: no such session" cli -c "show monitor session 9"
check "the running config has the session" \
	grep -qx ' monitor session 3 source interface s2 both destination interface s4' \
	<<<"$(cli -c "show running-config")"
check "no port s2 ends its session (its last source)" conf "no port s2"
check_eq "no session is left" "$(cli -c "show monitor")" "no monitor session"
check_eq "fault 12.5: s4 switches again once no destination: h4 reaches h1" \
	"$(frames 4 $BC untagged -- untagged - $T10 -)" "5 0 5 0"
check_not "no monitor session 3: none" conf "no monitor session 3"

# A session from the startup file survives a restart of the daemon.
check "port s2 back" conf "port s2 access vlan 10"
check "monitor session 4 source interface s1 rx destination interface s4" \
	conf "monitor session 4 source interface s1 rx destination interface s4"
cli -c "show running-config" >"$T/startup.conf"
daemon_stop
rm -f "$T/config.db"*
daemon_start
learn_all
check_eq "fault 12.5: from the startup file: h4 copies what s1 receives" \
	"$(frames 1 h2 untagged -- - untagged - untagged)" "0 5 0 5"

# Frames from an XDP generator (BPF_PROG_RUN live frames) whose pages
# come back through an XDP sink arrive with stale metadata: a mirror
# copies them too (fault 12.5b).
PKTGEN=${XBR_PKTGEN:-tools/xbr-pktgen}
for pair in "xmrg s5" "xmrk s6"; do
	set -- $pair
	ip link add "$1" numtxqueues 2 numrxqueues 2 type veth peer name "$2" \
		numtxqueues 2 numrxqueues 2
	ip link set "$1" up
	ip link set "$2" up
done
check "ports s5 and s6, a static entry on s6" \
	conf "port s5 access vlan 10" -c "port s6 access vlan 10" \
	-c "mac static 02:00:00:02:00:00 vlan 10 interface s6"
check "monitor session 4 source interface s5 rx ..." \
	conf "monitor session 4 source interface s5 rx destination interface s4"
before=$(copies 4)
sent=$("$PKTGEN" run -i xmrg -n 5000 --sink xmrk -j |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["delivered"])')
check "the generator's frames reach s6's sink" test "$sent" -ge 4000
copied() { [ "$(($(copies 4) - before))" -ge "$sent" ]; }
check "fault 12.5b: and s4 sends a copy of each" wait_for 5 copied

# An internal port is a destination by its host side: the host sees the
# copies there.
check "internal-port xmrm vlan 10" conf "internal-port xmrm vlan 10"
check "monitor session 5 source interface s2 rx destination interface xmrm" \
	conf "monitor session 5 source interface s2 rx destination interface xmrm"
check "show monitor names it by its host side" \
	grep -q 'destination: xmrm,' <<<"$(cli -c "show monitor session 5")"
rm -f "$T/readym"
"$RAWPKT" count xmrm "$(mac_of 1)" 800 "$T/readym" >"$T/countm" &
counter_pid=$!
wait_for 5 test -e "$T/readym"
h 2 "$RAWPKT" send eth0 "$(mac_of 1)" "$(mac_of 2)" 5 untagged
wait $counter_pid
check_eq "fault 12.5: the host side of the internal port gets the copies" \
	"$(cat "$T/countm")" 5
finish
