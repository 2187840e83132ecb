#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Administrative shutdown (issue 12, item 4): a port shut down takes in
# and sends out nothing, keeps its settings, says admin-down, stays down
# across a restart, and comes back with no shutdown.
#
#   h1 -- s1 == br0 == s2 -- h2
#                 \== s3 -- h3
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

hosts="1 2 3"
hosts_sandbox xpf

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1
 port s2 learn-limit 5
 port s3
 exit
CONF
daemon_start

conf() { cli -c configure -c "bridge br0" -c "$@"; }
state() {
	cli -j -c "show interfaces $1" |
		python3 -c 'import json,sys; p=json.load(sys.stdin)[0]; print(p["state"], p["shutdown"])'
}
counter() {
	cli -j -c "show interfaces $1 counters" |
		python3 -c "import json,sys; p=json.load(sys.stdin)[0]; print(p$2)"
}
learned_on() {
	cli -c "show mac address-table" | awk -v m="$(mac_of "$1")" '$3 == m {print $5}'
}

if wait_for 10 ping_ok 1 2; then ok "h1 pings h2"; else not_ok "h1 pings h2"; fi
check_eq "h2 is learned on s2" "$(learned_on 2)" s2

check "port s2 shutdown" conf "port s2 shutdown"
check_eq "fault 12.4: show interfaces says admin-down (JSON)" "$(state s2)" "admin-down True"
check "and the table says admin-down" \
	grep -q '^s2 .* admin-down ' <<<"$(cli -c "show interfaces")"
check "and show interfaces status too" \
	grep -q '^s2 .* admin-down ' <<<"$(cli -c "show interfaces status")"
check_eq "its learned entries are gone" "$(learned_on 2)" ""
check_not "fault 12.4: h1 no longer reaches h2" ping_ok 1 2
check_not "nor h2 h1" ping_ok 2 1
check_eq "a frame from h2 is dropped as port-down, nothing learned" \
	"$(learned_on 2)" ""
check "and counted as port-down" test "$(counter s2 "['drops']['port_down']")" -gt 0
h 1 ip neigh flush dev eth0
tx=$(counter s2 "['tx_packets']")
if wait_for 10 ping_ok 1 3; then ok "h1 still pings h3"; else not_ok "h1 still pings h3"; fi
check_eq "the port down got none of the ARP floods" "$(counter s2 "['tx_packets']")" "$tx"
check "the running config says shutdown and keeps the settings" \
	grep -Pzq ' port s2 learn-limit 5\n port s2 shutdown\n' <<<"$(cli -c "show running-config")"

check_not "no port s9 shutdown: not a port" conf "no port s9 shutdown"
check_eq "and says so" "$(conf "no port s9 shutdown" 2>&1 | tail -1)" \
	"% s9 is not a port of bridge br0"
check_not "s9 was not added" grep -q s9 <<<"$(cli -c "show running-config")"

daemon_stop
daemon_start
check_eq "after a restart s2 is still admin-down" "$(state s2)" "admin-down True"
check_not "and forwards nothing" ping_ok 1 2

check "no port s2 shutdown" conf "no port s2 shutdown"
check_eq "s2 is up" "$(state s2)" "up False"
if wait_for 10 ping_ok 1 2; then ok "h1 pings h2 again"; else not_ok "h1 pings h2 again"; fi
check_not "the shutdown line is gone" \
	grep -q 'shutdown' <<<"$(cli -c "show running-config")"
check "the learn limit stayed" \
	grep -q ' port s2 learn-limit 5$' <<<"$(cli -c "show running-config")"
finish
