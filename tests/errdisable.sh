#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Err-disabled ports and port security (issue 12, items 7 and 6): a new
# source at a port's learn limit with violation shutdown err-disables the
# port; show interfaces status says why; no shutdown brings it back, and
# so does the cause's recovery interval. Violation protect drops the new
# source's frames, restrict also logs them, forward lets them pass.
#
#   h1 -- s1 (learn-limit 1 violation shutdown) == br0 == s2 -- h2
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

hosts="1 2"
hosts_sandbox xpf

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1 learn-limit 1 violation shutdown
 port s2
 exit
CONF
daemon_start

conf() { cli -c configure -c "$@"; }
field() {
	cli -j -c "show interfaces status" |
		python3 -c "import json,sys; print([p.get('$2', '') for p in json.load(sys.stdin) if p['ifname'] == '$1'][0])"
}
state_is() { [ "$(field "$1" state)" = "$2" ]; }
# h1 takes a new MAC address: a new source at s1's limit.
new_mac() {
	h 1 ip link set eth0 address "$1"
	h 1 ip neigh flush dev eth0
	ping_ok 1 2 >/dev/null 2>&1 || :
}

if wait_for 10 ping_ok 1 2; then ok "h1 pings h2"; else not_ok "h1 pings h2"; fi
check_eq "s1 is up" "$(field s1 state)" up
new_mac 02:00:00:00:aa:01
if wait_for 10 state_is s1 err-disabled; then ok "fault 12.7: a new source at the limit err-disables s1"
else not_ok "fault 12.7: a new source at the limit err-disables s1"; fi
check_eq "show interfaces status says why (JSON)" "$(field s1 errdisable_cause)" learn-limit
check "and in its table" grep -q '^s1 .*err-disabled .*(err-disabled: learn-limit)$' \
	<<<"$(cli -c "show interfaces status")"
check "show errdisable recovery lists s1, never recovered" \
	grep -q '^s1 *learn-limit *never' <<<"$(cli -c "show errdisable recovery")"
check_eq "and in its JSON" "$(cli -j -c "show errdisable recovery" |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["ports"][0]["ifname"], d["ports"][0]["cause"], d["causes"][0]["recovery"])')" \
	"s1 learn-limit False"
check_not "h1 does not reach h2" ping_ok 1 2
check_eq "s1 holds no entries" "$(cli -c "show mac address-table interface s1 count")" "0 entries"
check_eq "s2 is still up" "$(field s2 state)" up

check "no port s1 shutdown brings it back" conf "bridge br0" -c "no port s1 shutdown"
check_eq "s1 is up" "$(field s1 state)" up
if wait_for 10 ping_ok 1 2; then ok "h1 pings h2 again"; else not_ok "h1 pings h2 again"; fi

check_not "an interval of 0 is refused" conf "errdisable recovery cause learn-limit interval 0"
check_not "a learn limit of 0 with a violation action is refused" \
	conf "bridge br0" -c "port s1 learn-limit 0 violation shutdown"
check "errdisable recovery cause learn-limit interval 1" \
	conf "errdisable recovery cause learn-limit interval 1"
check "the running config has both" grep -Pzq \
	'errdisable recovery cause learn-limit interval 1\n(.|\n)* port s1 learn-limit 1 violation shutdown\n' \
	<<<"$(cli -c "show running-config")"
new_mac 02:00:00:00:aa:02
if wait_for 10 state_is s1 err-disabled; then ok "s1 err-disabled again"
else not_ok "s1 err-disabled again"; fi
if wait_for 10 state_is s1 up; then ok "fault 12.7: the recovery interval brings it back"
else not_ok "fault 12.7: the recovery interval brings it back"; fi
if wait_for 10 ping_ok 1 2; then ok "and h1 pings h2"; else not_ok "and h1 pings h2"; fi

check "port s1 learn-limit 1 violation forward" conf "bridge br0" -c "port s1 learn-limit 1 violation forward"
new_mac 02:00:00:00:aa:03
if wait_for 10 ping_ok 1 2; then ok "with violation forward, a new source's frames pass"
else not_ok "with violation forward, a new source's frames pass"; fi
check_not "but it is not learned" grep -q 02:00:00:00:aa:03 <<<"$(cli -c "show mac address-table")"
# (a violation is looked for every second: give it three)
if wait_for 3 state_is s1 err-disabled; then not_ok "and s1 stays up"
else ok "and s1 stays up"; fi

# fault 12.6: the other violation actions
check "port s1 learn-limit 1 violation protect" conf "bridge br0" -c "port s1 learn-limit 1 violation protect"
new_mac 02:00:00:00:aa:04
check_not "with violation protect, a new source's frames are dropped" ping_ok 1 2
check "and counted as source-refused" test "$(cli -j -c "show interfaces s1 counters" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["drops"]["source_refused"])')" -gt 0
if wait_for 3 state_is s1 err-disabled; then not_ok "and s1 stays up"
else ok "and s1 stays up"; fi
check "port s1 learn-limit 1 violation restrict" conf "bridge br0" -c "port s1 learn-limit 1 violation restrict"
new_mac 02:00:00:00:aa:05
check_not "with violation restrict, they are dropped too" ping_ok 1 2
if wait_for 10 grep -q "port s1: .* frames of sources past its learn limit of 1 dropped" "$T/switchd.log"
then ok "and logged"; else not_ok "and logged"; fi
check_eq "the running config says restrict" \
	"$(cli -c "show running-config" | grep -c '^ port s1 learn-limit 1 violation restrict$')" 1
finish
