#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Two xbr bridges joined by an 802.1Q trunk (a veth pair, both ends xbr
# ports), VLANs 10 and 20 on each side, and the appliance's management
# address on an internal port in VLAN 99 of br0, reached from br1:
#
#   h1 (10) h2 (20) -- br0 == t0 ==trunk 10,20,99== t1 == br1 -- h3 (10) h4 (20) h5 (99)
#                       |
#                     mgmt99 (99): 203.0.113.1
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

HOSTNS=xbrtr$$
hosts="1 2 3 4 5"
cleanup_more=hosts_remove
daemon_sandbox
hosts_make
h 5 ip addr add 203.0.113.5/24 dev eth0
ip link add t0 type veth peer name t1
ip link set t0 up
ip link set t1 up

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1 access vlan 10
 port s2 access vlan 20
 port t0 trunk allowed vlan 10,20,99
 port t0 trunk native vlan none
 internal-port mgmt99 vlan 99
 exit
bridge br1
 port s3 access vlan 10
 port s4 access vlan 20
 port s5 access vlan 99
 port t1 trunk allowed vlan 10,20,99
 port t1 trunk native vlan none
 exit
CONF
daemon_start
wait_for 10 ip link show mgmt99
ip addr add 203.0.113.1/24 dev mgmt99

for pair in "1 3" "3 1" "2 4" "4 2"; do
	set -- $pair
	if wait_for 10 ping_ok "$1" "$2"; then ok "h$1 pings h$2 across the trunk"
	else not_ok "h$1 pings h$2 across the trunk"; fi
done
for pair in "1 4" "3 2" "1 2" "3 4"; do
	set -- $pair
	check_not "h$1 does not reach h$2 in the other VLAN" ping_ok "$1" "$2"
done
reach() { h "$1" ping -c 1 -W 1 "$2"; }
if wait_for 10 reach 5 203.0.113.1; then ok "h5 reaches the appliance's management address over the trunk"
else not_ok "h5 reaches the appliance's management address over the trunk"; fi
check_eq "br1 learned h1 in VLAN 10 on the trunk" \
	"$(cli -c "show mac address-table bridge br1 vlan 10" | awk -v m="$(mac_of 1)" '$3 == m {print $5}')" t1
check_eq "and h5 in VLAN 99 on its port" \
	"$(cli -c "show mac address-table bridge br1 vlan 99" | awk -v m="$(mac_of 5)" '$3 == m {print $5}')" s5
finish
