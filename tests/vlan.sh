#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# VLANs with real frames through xbr-switchd: hosts in network namespaces
# on access ports of VLANs 10 and 20, 802.1Q trunks, and an 802.1ad
# tunnel. Tagged frames are made and read with raw sockets (this kernel
# has no VLAN devices).
#
#   h1 s1 access 10      h4 s4 trunk 10,20, no native
#   h2 s2 access 10      h5 s5 trunk all, native 1
#   h3 s3 access 20      h6 s6 802.1ad access 100 (QinQ tunnel)
#                        h7 s7 802.1ad trunk 100, no native
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

HOSTNS=xbrvl$$
hosts="1 2 3 4 5 6 7"
cleanup_more=hosts_remove
daemon_sandbox
hosts_make

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1 access vlan 10
 port s2 access vlan 10
 port s3 access vlan 20
 port s4 trunk allowed vlan 10,20
 port s4 trunk native vlan none
 port s5 trunk allowed vlan all
 port s6 access vlan 100
 port s6 encapsulation dot1ad
 port s7 trunk allowed vlan 100
 port s7 trunk native vlan none
 port s7 encapsulation dot1ad
 exit
CONF
daemon_start
vlan_line() { cli -c "show vlan $1" | tail -n +2 | awk '{$1=$1; print}'; }
check_eq "show vlan 10" "$(vlan_line 10)" "br0 10 s1(u) s2(u) s4(t) s5(t)"
check_eq "show vlan 100" "$(vlan_line 100)" "br0 100 s5(t) s6(u) s7(t)"
check_eq "show vlan 1" "$(vlan_line 1)" "br0 1 s5(u)"

if wait_for 10 ping_ok 1 2; then ok "h1 pings h2 in VLAN 10"; else not_ok "h1 pings h2 in VLAN 10"; fi
check_not "h1 does not reach h3 in VLAN 20" ping_ok 1 3

# Floods go to a multicast address nobody's stack sends to (an ARP
# broadcast of a host's own would be counted too).
BC=03:aa:00:00:00:01

check_eq "a broadcast in VLAN 10 reaches VLAN 10 only, tagged on trunks" \
	"$(seen 1 $BC 5 untagged -- - untagged - 8100:10:0 8100:10:0 - -)" "0 5 0 5 5 0 0"
h 3 "$RAWPKT" send eth0 $BC "$(mac_of 3)" 1	# h3 becomes known in VLAN 20
check_eq "trunk to access: tag 20 popped, only h3 gets it" \
	"$(seen 4 "$(mac_of 3)" 4 8100:20 -- - - untagged - - - -)" "0 0 4 0 0 0 0"
check_eq "the priority bits stay when a frame goes on tagged" \
	"$(seen 5 $BC 3 8100:10:5 -- untagged untagged - 8100:10:5 - - -)" "3 3 0 3 0 0 0"

drops() { cli -j -c "show interfaces $1 counters" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['drops']['${2//-/_}'])"; }
before=$(drops s4 vlan-not-allowed)
check_eq "VLAN 30 is not on the trunk: nobody gets it" \
	"$(seen 4 $BC 3 8100:30 -- - - - - - - -)" "0 0 0 0 0 0 0"
check_eq "and s4 counts it" "$(drops s4 vlan-not-allowed)" $((before + 3))
before=$(drops s4 untagged-on-trunk)
check_eq "an untagged frame on a trunk without native VLAN goes nowhere" \
	"$(seen 4 $BC 2 untagged -- - - - - - - -)" "0 0 0 0 0 0 0"
check_eq "and is counted" "$(drops s4 untagged-on-trunk)" $((before + 2))
before=$(drops s1 tagged-on-access)
check_eq "a tagged frame on an access port goes nowhere" \
	"$(seen 1 $BC 2 8100:10 -- - - - - - - -)" "0 0 0 0 0 0 0"
check_eq "and is counted" "$(drops s1 tagged-on-access)" $((before + 2))

check_eq "QinQ: the customer's tag crosses in an S-tag" \
	"$(seen 6 $BC 3 8100:5:3 -- - - - - 8100:100,8100:5:3 - 88a8:100,8100:5:3)" "0 0 0 0 3 0 3"
check_eq "QinQ: back to the tunnel, S-tag off, customer's tag untouched" \
	"$(seen 7 "$(mac_of 6)" 3 88a8:100,8100:5:3 -- - - - - - 8100:5:3 -)" "0 0 0 0 0 3 0"

# the same MAC in two VLANs on two ports
mac=02:aa:00:00:00:01
h 4 "$RAWPKT" send eth0 $BC $mac 1 8100:10
h 5 "$RAWPKT" send eth0 $BC $mac 1 8100:20
check_eq "the same MAC is learned in VLAN 10 on s4 and in VLAN 20 on s5" \
	"$(cli -c "show mac address-table" | awk -v m=$mac '$3 == m {print $2 "/" $5}' | tr '\n' ' ')" \
	"10/s4 20/s5 "
check_eq "filter by VLAN" "$(cli -c "show mac address-table vlan 20" | awk -v m=$mac '$3 == m {print $5}')" s5

check "an access port moves to VLAN 20" cli -c configure -c "bridge br0" -c "port s1 access vlan 20"
if wait_for 10 ping_ok 1 3; then ok "now h1 pings h3"; else not_ok "now h1 pings h3"; fi
check_not "and no longer h2" ping_ok 1 2
finish
