#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Spanning-tree guards (issue 11): BPDU guard err-disables an edge port
# that hears a BPDU, and its recovery interval brings it back; root guard
# keeps a port from becoming the root port; a malformed BPDU is counted
# and changes nothing.
#
#   h1 - s1 (edge, bpduguard) [A] s2 (root-guard) - h2
#                                  s3 (an edge port by itself) - h3
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
. "${XBR_TESTS:-$(dirname "$0")}/stp_lib.sh"
hosts_sandbox xst

cat >"$T/startup.conf" <<'CONF'
bridge A
 spanning-tree mode rstp
 spanning-tree max-age 6
 spanning-tree hello-time 1
 spanning-tree forward-delay 4
 port s1
 port s1 spanning-tree edge
 port s1 spanning-tree bpduguard
 port s2
 port s2 spanning-tree root-guard
 port s3
 exit
CONF
daemon_start
conf() { cli -c configure -c "$@"; }
state() {
	cli -j -c "show interfaces $1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])'
}
state_is() { [ "$(state "$1")" = "$2" ]; }
port_is() { [ "$(stp_port "$1")" = "$2" ]; }
detail_is() { [ "$(stp_detail "$1" "$2")" = "$3" ]; }
own=$(cli -j -c "show spanning-tree" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bridges"][0]["bridge_id"])')

if wait_for 20 ping_ok 1 2; then ok "h1 pings h2"; else not_ok "h1 pings h2"; fi
check_eq "s1 is an edge port, forwarding" "$(stp_port s1)" "designated forwarding"

if wait_for 15 port_is s3 "designated forwarding"; then
	ok "s3, not configured edge, hears no BPDU: forwarding after the migrate time"
else
	not_ok "s3: $(stp_port s3)"
fi
check_eq "as an edge port it found by itself (automatic edge)" \
	"$(stp_detail s3 edge) $(stp_detail s3 admin_edge)" "True False"

send_bpdu 1
if wait_for 10 state_is s1 err-disabled; then
	ok "BPDU guard: a BPDU on the edge port s1 err-disables it"
else
	not_ok "BPDU guard: s1 is $(state s1)"
fi
check "show errdisable recovery names it, cause bpdu-guard" \
	grep -q '^s1 \+bpdu-guard ' <<<"$(cli -c "show errdisable recovery")"
check "and the log says so" grep -q "port s1: err-disabled (bpdu-guard)" "$T/switchd.log"
check_not "h1 no longer reaches h2" ping_ok 1 2

check "errdisable recovery cause bpdu-guard interval 2" \
	conf "errdisable recovery cause bpdu-guard interval 2"
if wait_for 15 state_is s1 up; then ok "the recovery interval brings s1 back"; else not_ok "s1 back: $(state s1)"; fi
if wait_for 15 ping_ok 1 2; then ok "and h1 reaches h2 again"; else not_ok "h1 reaches h2 again"; fi

send_bpdu 2
if wait_for 10 detail_is s2 root_inconsistent True; then
	ok "root guard: a superior BPDU on s2 makes it root inconsistent"
else
	not_ok "root guard: s2 root_inconsistent $(stp_detail s2 root_inconsistent)"
fi
check_eq "s2 is alternate and discarding, not the root port" "$(stp_port s2)" "alternate discarding"
check_eq "the bridge stays its own root" \
	"$(cli -j -c "show spanning-tree" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bridges"][0]["root_id"])')" "$own"
if wait_for 20 port_is s2 "designated forwarding"; then
	ok "once that BPDU ages out, s2 forwards again"
else
	not_ok "s2 after the BPDU aged: $(stp_port s2)"
fi

before=$(stp_detail s3 malformed)
send_bpdu 3 0 20
if wait_for 10 detail_is s3 malformed $((before + 1)); then
	ok "a truncated BPDU is counted as malformed"
else
	not_ok "malformed: $(stp_detail s3 malformed), was $before"
fi
check_eq "and changes nothing: s3 still an edge port, forwarding" \
	"$(stp_port s3) $(stp_detail s3 edge)" "designated forwarding True"
check_eq "nor the root" \
	"$(cli -j -c "show spanning-tree" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bridges"][0]["root_id"])')" "$own"
finish
