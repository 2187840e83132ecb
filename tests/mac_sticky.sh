#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Sticky addresses (issue 12, item 6): on a port with `mac sticky`, the
# addresses it learns become static entries, saved (the running config has
# them as `port IFNAME mac sticky MAC vlan VID`) and kept over a restart;
# the port's learn limit still applies; `no port IFNAME mac sticky` makes
# them learned entries again.
#
#   h1 -- s1 == br0 == s2 -- h2
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

hosts="1 2"
hosts_sandbox xsc
rmdir "$T"
T=$(mktemp -d /tmp/xsc.XXXXXX)

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1 learn-limit 2
 port s2
 port s1 mac sticky
 exit
CONF
daemon_start

conf() { cli -c configure -c "bridge br0" -c "$@"; }
running() { cli -c "show running-config"; }
# the state of MAC's entry: "static", "" (learned) or "none"
state_of() {
	cli -j -c "show mac address-table" | python3 -c "
import json,sys
s = [e['state'] for e in json.load(sys.stdin) if e['mac'] == '$1']
print(s[0] if s else 'none')"
}
refused() {
	cli -j -c "show interfaces s1 counters" |
		python3 -c "import json,sys; print(json.load(sys.stdin)[0]['learn_refused'])"
}
has_line() { grep -qx -- "$1" <<<"$(running)"; }
refused_some() { [ "$(refused)" -gt 0 ]; }
is_static() { [ "$(state_of "$1")" = static ]; }
# eventually DESCRIPTION SECONDS COMMAND...: passes when the command
# succeeds within that time
eventually() {
	local what=$1 secs=$2
	shift 2
	if wait_for "$secs" "$@"; then ok "$what"; else not_ok "$what"; fi
}
m1=$(mac_of 1)
m2=$(mac_of 2)
X1=02:00:00:00:aa:01
X2=02:00:00:00:aa:02

eventually "h1 pings h2" 10 ping_ok 1 2
eventually "fault 12.6: h1's address is sticky in the running config" 5 \
	has_line " port s1 mac sticky $m1 vlan 1"
check_eq "fault 12.6: and a static entry" "$(state_of "$m1")" static
check_eq "h2's, on a port without sticky, stays learned" "$(state_of "$m2")" ""

h 1 "$RAWPKT" send eth0 ff:ff:ff:ff:ff:ff $X1 1
eventually "a second source on s1 is sticky too" 5 \
	has_line " port s1 mac sticky $X1 vlan 1"
h 1 "$RAWPKT" send eth0 ff:ff:ff:ff:ff:ff $X2 1
eventually "fault 12.6: a third is refused: the learn limit of 2 still applies" \
	5 refused_some
check_eq "and is in no table" "$(state_of $X2)" none
check_not "nor in the running config" has_line " port s1 mac sticky $X2 vlan 1"

# a restart with nothing pinned: the store alone brings them back
daemon_stop
pins_remove
daemon_start
eventually "fault 12.6: after a restart from nothing, h1's address is static" \
	10 is_static "$m1"
check "and sticky in the running config" has_line " port s1 mac sticky $X1 vlan 1"
h 1 "$RAWPKT" send eth0 ff:ff:ff:ff:ff:ff $X2 1
eventually "fault 12.6: the sticky addresses still count against the limit" \
	5 refused_some
check_eq "the third is still refused" "$(state_of $X2)" none

before=$(running)
check_not "a sticky address on a port without sticky: refused" \
	conf "port s2 mac sticky 02:00:00:00:bb:01 vlan 1"
check_not "removing one that is not there: refused" \
	conf "no port s1 mac sticky 02:00:00:00:bb:01 vlan 1"
check_not "a multicast sticky address: refused" \
	conf "port s1 mac sticky 01:00:5e:00:00:01 vlan 1"
check_eq "and nothing changed" "$(running)" "$before"

check "no port s1 mac sticky" conf "no port s1 mac sticky"
check_not "fault 12.6: no sticky line is left" grep -q "mac sticky" <<<"$(running)"
check_eq "fault 12.6: h1's address is learned again" "$(state_of "$m1")" ""
check_eq "and the second's" "$(state_of $X1)" ""
eventually "h1 still pings h2" 10 ping_ok 1 2
finish
