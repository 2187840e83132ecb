#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Flood control (issue 12, item 2): port IFNAME flood unknown-unicast|
# multicast|broadcast on|off chooses the floods a port receives; known
# unicast it always receives, and what it sends is not touched.
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
 port s2
 port s2 flood broadcast off
 port s3
 exit
CONF
daemon_start

conf() { cli -c configure -c "bridge br0" -c "$@"; }
flood_json() {
	cli -j -c "show interfaces $1" |
		python3 -c "import json,sys; print(json.load(sys.stdin)[0]['flood']['$2'])"
}
neigh() { h "$1" ip neigh replace "192.0.2.$2" lladdr "$(mac_of "$2")" dev eth0; }

if wait_for 10 ping_ok 1 3; then ok "h1 pings h3"; else not_ok "h1 pings h3"; fi
check_eq "fault 12.2: s2 refuses broadcast (JSON)" "$(flood_json s2 broadcast)" False
check_eq "but takes multicast" "$(flood_json s2 multicast)" True
check "show interfaces says it (wrapped in its column)" \
	grep -q 'access 1 flood-off .*broadcast' <<<"$(cli -c "show interfaces s2" | tr -s ' \n' ' ')"
check_not "fault 12.2: h1's ARP broadcast does not reach h2" ping_ok 1 2
if wait_for 10 ping_ok 2 3; then ok "h2 still sends broadcast and gets its known unicast"
else not_ok "h2 still sends broadcast and gets its known unicast"; fi
neigh 1 2
if wait_for 10 ping_ok 1 2; then ok "known unicast reaches s2"
else not_ok "known unicast reaches s2"; fi

check "port s2 flood broadcast on" conf "port s2 flood broadcast on"
h 1 ip neigh flush dev eth0
if wait_for 10 ping_ok 1 2; then ok "h1's ARP reaches h2 again"
else not_ok "h1's ARP reaches h2 again"; fi

check "port s3 flood unknown-unicast off" conf "port s3 flood unknown-unicast off"
check "clear mac address-table dynamic" cli -c "clear mac address-table dynamic"
neigh 1 3
neigh 3 1
check_not "fault 12.2: a frame for h3, not yet learned, is not flooded to s3" ping_ok 1 3
if wait_for 10 ping_ok 3 2; then ok "h3 talks, and is learned"
else not_ok "h3 talks, and is learned"; fi
if wait_for 10 ping_ok 1 3; then ok "then h1 reaches h3 by known unicast"
else not_ok "then h1 reaches h3 by known unicast"; fi
check "the running config has the line" \
	grep -q '^ port s3 flood unknown-unicast off$' <<<"$(cli -c "show running-config")"
check_not "and no line for s2's broadcast" \
	grep -q 's2 flood' <<<"$(cli -c "show running-config")"

before=$(cli -c "show running-config")
check_not "port s3 flood anycast off: refused" conf "port s3 flood anycast off"
check_not "port s3 flood broadcast maybe: refused" conf "port s3 flood broadcast maybe"
check_eq "and nothing changed" "$(cli -c "show running-config")" "$before"
finish
