#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The slow path: frames for the host (an internal port's own MAC) are
# handled on the host CPU, control frames on the control CPU; a flood
# toward the host fills the host CPU's queue (the drops are counted) while
# every control frame still gets through. Without a control CPU, control
# frames stay on the receiving CPU; without a slow path, all of it does.
#
#   h1 s1 (VLAN 10): floods the appliance   h2 s2 (VLAN 10): control frames
#   mgmt10 (VLAN 10): 192.0.2.100
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
PKTGEN=${XBR_PKTGEN:-tools/xbr-pktgen}
[ "$(nproc)" -ge 2 ] || { echo "SKIP: needs two CPUs"; exit 77; }

HOSTNS=xbrsl$$
hosts="1 2"
cleanup_more=hosts_remove
daemon_sandbox
hosts_make

cat >"$T/startup.conf" <<'CONF'
slow-path host-cpu 1 control-cpu 0 queue 64
bridge br0
 port s1 access vlan 10
 port s2 access vlan 10
 internal-port mgmt10 vlan 10
 exit
CONF
daemon_start
wait_for 10 ip link show mgmt10 # the socket may come first (fault 13)
ip addr add 192.0.2.100/24 dev mgmt10
check_eq "the running config has it" "$(cli -c "show running-config" | grep slow-path)" \
	"slow-path host-cpu 1 control-cpu 0 queue 64"
check_eq "the internal port's MAC is a local entry, on its host side's name (issue 9)" \
	"$(cli -c "show mac address-table" | awk '$5 == "mgmt10" {print $4}')" local

slow() {	# CPU FIELD
	cli -j -c "show slow-path" | python3 -c "
import json, sys
d = json.load(sys.stdin)
print([c['$2'] for c in d['cpus'] if c['cpu'] == $1][0])"
}
if wait_for 10 ping_ok 1 100; then ok "h1 reaches the appliance through the slow path"
else not_ok "h1 reaches the appliance through the slow path"; fi
check "the host CPU delivered them" test "$(slow 1 host)" -gt 0

# 100 control frames from h2 while h1 floods the appliance's MAC
mgmt=$(ip -br link show mgmt10 | awk '{print $3}')
"$RAWPKT" count s2 01:80:c2:00:00:0e 4000 "$T/ready" >"$T/ctl" &
counter=$!
wait_for 5 test -e "$T/ready"
host0=$(slow 1 host)
flooding() { test "$(slow 1 host)" -gt $((host0 + 1000)); }
h 1 "$PKTGEN" run -i eth0 --dst "$mgmt" --src "$(mac_of 1)" -d 2 --warmup 0 >/dev/null &
gen=$!
# The control frames go once the flood reaches the host CPU.
wait_for 5 flooding
for i in $(seq 20); do
	h 2 "$RAWPKT" send eth0 01:80:c2:00:00:0e "$(mac_of 2)" 5
	sleep 0.02
done
wait $gen
wait $counter
check "the flood overran the host CPU's queue, and that is counted" test "$(slow 1 dropped)" -gt 0
check_eq "every control frame reached the stack meanwhile" "$(cat "$T/ctl")" 100
check_eq "through the control CPU" "$(slow 0 control)" 100

check "without a control CPU" cli -c configure -c "slow-path host-cpu 1"
before=$(slow 1 host)
rm -f "$T/ready"
"$RAWPKT" count s2 01:80:c2:00:00:0e 1000 "$T/ready" >"$T/ctl" &
counter=$!
wait_for 5 test -e "$T/ready"
h 2 "$RAWPKT" send eth0 01:80:c2:00:00:0e "$(mac_of 2)" 5
wait $counter
check_eq "control frames reach the stack on the CPU they arrive at" "$(cat "$T/ctl")" 5
check_eq "and the host CPU saw none of them" "$(cli -j -c "show slow-path" | python3 -c 'import json,sys; print(sum(c["control"] for c in json.load(sys.stdin)["cpus"]))')" 0
if wait_for 10 ping_ok 2 100; then ok "host frames still go through the host CPU"
else not_ok "host frames still go through the host CPU"; fi
check "and are counted there" test "$(slow 1 host)" -gt "$before"

check "no slow-path" cli -c configure -c "no slow-path"
check_eq "show slow-path says so" "$(cli -c "show slow-path" | cut -c1-15)" "slow path: off "
if wait_for 10 ping_ok 1 100; then ok "the appliance is reached on the fast path"
else not_ok "the appliance is reached on the fast path"; fi
check_not "a CPU the machine does not have is refused" cli -c configure -c "slow-path host-cpu 63"
check_not "one CPU for both is refused" cli -c configure -c "slow-path host-cpu 1 control-cpu 1"
check_eq "and nothing changed" "$(cli -c "show slow-path" | cut -c1-15)" "slow path: off "
finish
