#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Internal ports: the appliance's own addresses on the switched network,
# one internal port per VLAN (like SVIs). Hosts reach them by ping and
# TCP in both directions (TCP fails on a bad checksum), from their own
# VLAN only.
#
#   h1 s1 access 10: 192.0.2.1, 198.51.100.1   mgmt10 (VLAN 10): 192.0.2.100
#   h2 s2 access 20: 192.0.2.2, 198.51.100.2   mgmt20 (VLAN 20): 198.51.100.100
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

HOSTNS=xbrin$$
hosts="1 2"
cleanup_more=hosts_remove
daemon_sandbox
hosts_make
h 1 ip addr add 198.51.100.1/24 dev eth0
h 2 ip addr add 198.51.100.2/24 dev eth0

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1 access vlan 10
 port s2 access vlan 20
 internal-port mgmt10 vlan 10
 internal-port mgmt20 vlan 20
 exit
CONF
daemon_start
check "the internal ports exist on the host" ip link show mgmt10 up
check "both" ip link show mgmt20 up
# issue 9: an internal port is shown and addressed by its host side
check_eq "show interfaces lists them by their host side" \
	"$(cli -c "show interfaces" | awk '$1 ~ /^mgmt/ {print $1, $5, $6, $7}' | tr '\n' ';')" \
	"mgmt10 access 10 internal;mgmt20 access 20 internal;"
check "show interfaces takes the host side's name" cli -c "show interfaces mgmt10 counters"
check_eq "the running config has them" "$(cli -c "show running-config" | grep internal-port | tr '\n' ';')" \
	" internal-port mgmt10 vlan 10; internal-port mgmt20 vlan 20;"
ip addr add 192.0.2.100/24 dev mgmt10
ip addr add 198.51.100.100/24 dev mgmt20

reach() { h "$1" ping -c 1 -W 1 "$2"; }
if wait_for 10 reach 1 192.0.2.100; then ok "h1 pings the appliance in VLAN 10"
else not_ok "h1 pings the appliance in VLAN 10"; fi
if wait_for 10 reach 2 198.51.100.100; then ok "h2 pings the appliance in VLAN 20"
else not_ok "h2 pings the appliance in VLAN 20"; fi
check_not "h2 does not reach VLAN 10's address" reach 2 192.0.2.100
check_not "h1 does not reach VLAN 20's address" reach 1 198.51.100.100

# TCP: 200 KB each way through a one-connection echo server.
echo_server() {	# ADDRESS PORT READYFILE
	python3 - "$@" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(1)
open(sys.argv[3], "w").close()
s.settimeout(10)
c, _ = s.accept()
c.settimeout(10)
while True:
    d = c.recv(65536)
    if not d:
        break
    c.sendall(d)
c.close()
PY
}
echo_client() {	# ADDRESS PORT: prints "ok" when all came back unchanged
	python3 - "$@" <<'PY'
import os, socket, sys
data = os.urandom(200000)
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
c.sendall(data)
c.shutdown(socket.SHUT_WR)
back = b""
while True:
    d = c.recv(65536)
    if not d:
        break
    back += d
print("ok" if back == data else "differs (%d of %d bytes)" % (len(back), len(data)))
PY
}
echo_server 192.0.2.100 7000 "$T/ready1" &
server=$!
wait_for 5 test -e "$T/ready1"
check_eq "TCP from h1 to the appliance, 200 KB echoed intact" "$(h 1 bash -c "$(declare -f echo_client); echo_client 192.0.2.100 7000")" ok
wait $server
h 2 bash -c "$(declare -f echo_server); echo_server 198.51.100.2 7001 $T/ready2" &
server=$!
wait_for 5 test -e "$T/ready2"
check_eq "TCP from the appliance to h2, 200 KB echoed intact" "$(echo_client 198.51.100.2 7001)" ok
wait $server

check "no internal-port mgmt20" cli -c configure -c "bridge br0" -c "no internal-port mgmt20"
check_not "its veth pair is gone" ip link show mgmt20
check_not "an internal port's name must leave room for -br" \
	cli -c configure -c "bridge br0" -c "internal-port abcdefghijklm"
check_not "nor clash with an interface there is" \
	cli -c configure -c "bridge br0" -c "internal-port s1"

mac=$(ip -br link show mgmt10 | awk '{print $3}')
daemon_stop
ip link del mgmt10
daemon_start
# fault 13 of issue 8: the socket opens after the reconcile that makes it
check "a restarted daemon makes a missing internal port again" wait_for 10 ip link show mgmt10
check_eq "with the same MAC" "$(ip -br link show mgmt10 | awk '{print $3}')" "$mac"
ip addr add 192.0.2.100/24 dev mgmt10
if wait_for 10 reach 1 192.0.2.100; then ok "and h1 reaches the appliance again"
else not_ok "and h1 reaches the appliance again"; fi
check "no bridge br0" cli -c configure -c "no bridge br0"
check_not "takes its internal ports along" ip link show mgmt10
finish
