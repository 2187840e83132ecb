#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Port isolation (issue 12, item 1): frames of an isolated port never
# leave by another isolated port, unicast or flooded; isolated ports
# still reach every port that is not (the uplink).
#
#   h1 -- s1 (isolated) == br0 == s3 -- h3 (uplink)
#   h2 -- s2 (isolated) ==/
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

hosts="1 2 3"
hosts_sandbox xpf

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1
 port s1 isolated
 port s2 isolated
 port s3
 exit
CONF
daemon_start

conf() { cli -c configure -c "bridge br0" -c "$@"; }
iso_json() {
	cli -j -c "show interfaces $1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["isolated"])'
}
drops() {
	cli -j -c "show interfaces $1 counters" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["drops"]["isolated"])'
}

for pair in "1 3" "3 1" "2 3" "3 2"; do
	set -- $pair
	if wait_for 10 ping_ok "$1" "$2"; then ok "h$1 pings h$2 (the uplink is not isolated)"
	else not_ok "h$1 pings h$2 (the uplink is not isolated)"; fi
done
check_eq "fault 12.1: show interfaces says isolated (JSON)" "$(iso_json s1)" True
check "and the table says it" grep -q '^s1 .* access 1 isolated ' <<<"$(cli -c "show interfaces")"
check_eq "s3 is not isolated" "$(iso_json s3)" False

# A broadcast (ARP) of h1 does not reach h2 ...
h 1 ip neigh flush dev eth0
check_not "fault 12.1: h1 does not reach h2 (flood)" ping_ok 1 2
# ... and neither does a unicast frame to h2's learned address.
h 1 ip neigh replace 192.0.2.2 lladdr "$(mac_of 2)" dev eth0
before=$(drops s1)
check_not "fault 12.1: nor by unicast to a known address" ping_ok 1 2
check "which is counted as isolated on s1" test "$(drops s1)" -gt "$before"
check "the running config has both isolated lines" \
	grep -Pzq ' port s1\n port s1 isolated\n port s2\n port s2 isolated\n port s3\n' \
	<<<"$(cli -c "show running-config")"

check_not "no port s9 isolated: not a port" conf "no port s9 isolated"
check_not "and nothing was added" grep -q s9 <<<"$(cli -c "show running-config")"

check "no port s2 isolated" conf "no port s2 isolated"
if wait_for 10 ping_ok 1 2; then ok "h1 reaches h2 once s2 is no longer isolated"
else not_ok "h1 reaches h2 once s2 is no longer isolated"; fi
check_eq "s2 is not isolated" "$(iso_json s2)" False
check_not "its line is gone" grep -q 's2 isolated' <<<"$(cli -c "show running-config")"
finish
