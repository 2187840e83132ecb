#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A veth port whose peer comes up only after the port was attached gets
# frames. The daemon turns GRO on at the peer when it attaches the port;
# done while the port is up and its peer down, the kernel (6.18) leaves
# the port without the NDO_XMIT XDP feature even once the peer is up, and
# the devmaps drop every frame redirected to it, flood or unicast,
# silently and for good. This is what made tests/switchd.sh's "h1 pings
# h3 after the re-attach" fail under load: the daemon attached the
# re-created s3 after "ip link set s3 up" and before h3's end came up.
#
#   h1 -- s1 == br0 == s2 -- h2 (eth0 down until s2 is attached)
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

hosts="1 2"
hosts_sandbox xfl

attached() { cli -c "show interfaces $1" | grep -q " $2 .*native"; }

# --- at boot ---
h 2 ip link set eth0 down
cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1
 port s2
 exit
CONF
daemon_start
if wait_for 10 attached s2 down; then ok "s2 is attached while its peer is down"
else not_ok "s2 is attached while its peer is down"; fi
h 2 ip link set eth0 up
if wait_for 10 ping_ok 1 2; then ok "late peer: h1 pings h2 once h2's end is up"
else not_ok "late peer: h1 pings h2 once h2's end is up"; fi
check_eq "the MAC table shows h2 on s2" \
	"$(cli -c "show mac address-table" | awk -v m="$(mac_of 2)" '$3 == m {print $5}')" s2

# --- a re-created interface, attached again before the host's end is up ---
# The same MAC as before, so that h1's neighbour entry stays true.
mac2=$(mac_of 2)
ip link del s2
if wait_for 10 sh -c "'$CLI' -s '$T/sock' -c 'show interfaces s2' | grep -q absent"
then ok "s2 deleted, absent"; else not_ok "s2 deleted, absent"; fi
# Created up: the daemon sees s2 first already up (as under load, when
# it is slower than "ip link set s2 up"), its peer still down.
ip link add s2 up type veth peer name eth0 address "$mac2" netns "$HOSTNS-h2"
h 2 ip addr add 192.0.2.2/24 dev eth0
if wait_for 10 attached s2 down; then ok "the re-created s2 is attached, its peer down"
else not_ok "the re-created s2 is attached, its peer down"; fi
h 2 ip link set eth0 up
if wait_for 10 ping_ok 1 2; then ok "late peer: h1 pings h2 through the re-created s2"
else not_ok "late peer: h1 pings h2 through the re-created s2"; fi
check "the daemon says it repaired the peer" grep -q "s2: GRO set again at its veth peer" "$T/switchd.log"
finish
