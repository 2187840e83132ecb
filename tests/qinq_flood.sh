#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Fault 15: on 802.1ad ports a full-size (1518-byte) customer frame with
# its own 802.1Q tag is delivered when it is flooded. The flood path must
# not grow the frame by a tag of its own: between two access ports it
# leaves as big as it came, and on a trunk (MTU 1504, as on any QinQ
# switch) with the S-tag it leaves with. And frames the datapath loses
# after its decision are counted under a drop reason, not as sent:
# "tx-failed" when the egress device does not take a frame the egress
# program passed, "redirect-failed" when the kernel refuses the redirect.
#
#   h1 s1 802.1ad access 100    h3 s3 802.1ad trunk 100, no native, MTU 1504
#   h2 s2 802.1ad access 100
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

HOSTNS=xdp8q$$
hosts="1 2 3"
cleanup_more=hosts_remove
daemon_sandbox
PIN=/sys/fs/bpf/xdp8-q$$
hosts_make
ip link set s3 mtu 1504
h 3 ip link set eth0 mtu 1504

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1 access vlan 100
 port s1 encapsulation dot1ad
 port s2 access vlan 100
 port s2 encapsulation dot1ad
 port s3 trunk allowed vlan 100
 port s3 trunk native vlan none
 port s3 encapsulation dot1ad
 exit
CONF
daemon_start
wait_for 10 cli -c "show interfaces s3" || not_ok "the daemon took its ports"

BC=03:aa:00:00:00:01
# full SRC COUNT TAGS -- WANT_1 WANT_2 WANT_3: frames of 1518 bytes from
# host SRC; what each host receives ("-": nothing may arrive).
full() {
	local src=$1 n=$2 tags=$3 i out=""
	shift 4
	for i in $hosts; do
		rm -f "$T/ready$i"
		local want=${!i}
		if [ "$want" = - ]; then
			h "$i" "$RAWPKT" count eth0 $BC 800 "$T/ready$i" >"$T/count$i" &
		else
			h "$i" "$RAWPKT" count eth0 $BC 800 "$T/ready$i" "$want" >"$T/count$i" &
		fi
	done
	for i in $hosts; do wait_for 5 test -e "$T/ready$i"; done
	h "$src" "$RAWPKT" send eth0 $BC "$(mac_of "$src")" "$n" "$tags" 1518
	wait
	for i in $hosts; do out="$out $(cat "$T/count$i")"; done
	echo $out
}
counter() { cli -j -c "show interfaces $1 counters" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['$2'])"; }
drops() { cli -j -c "show interfaces $1 counters" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['drops']['$2'])"; }

check_eq "fault 15: a flooded 1518-byte customer frame reaches the access port whole and the trunk in an S-tag" \
	"$(full 1 5 8100:5:3 -- - 8100:5:3 88a8:100,8100:5:3)" "0 5 5"
check_eq "fault 15: and from the trunk, S-tag off, to both access ports" \
	"$(full 3 4 88a8:100,8100:5:3 -- 8100:5:3 8100:5:3 -)" "4 4 0"
check_eq "s2 counts what it sent" "$(counter s2 tx_packets)" 9
check_eq "s3 counts what it sent" "$(counter s3 tx_packets)" 5

# The trunk's peer back at MTU 1500: a full-size customer frame cannot
# leave there with its S-tag. The egress device refuses it after the
# egress program passed it: counted as tx-failed, not as sent.
h 3 ip link set eth0 mtu 1500
check_eq "a frame too big for the trunk's peer still reaches the access port" \
	"$(full 1 3 8100:5:3 -- - 8100:5:3 -)" "0 3 0"
check_eq "the trunk counts it as tx-failed" "$(drops s3 tx_failed)" 3
check_eq "and not as sent" "$(counter s3 tx_packets) $(counter s3 tx_bytes)" "5 7610"
# A unicast frame bigger than its egress device: the kernel refuses the
# redirect; counted on the port it came in on. (A flooded copy too big
# for a port is skipped by the kernel without a word: doc/datapath.md.)
ip link set s1 mtu 2000
h 1 ip link set eth0 mtu 2000
h 1 "$RAWPKT" send eth0 "$(mac_of 3)" "$(mac_of 1)" 2 untagged 1800
redirect_failed() { [ "$(drops s1 redirect_failed)" = "$1" ]; }
wait_for 5 redirect_failed 2
check_eq "a unicast frame too big for its port is counted as redirect-failed" \
	"$(drops s1 redirect_failed)" 2
finish
