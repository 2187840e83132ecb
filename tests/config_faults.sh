#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Configuration the daemon must not lose or take wrongly (the faults of
# issue 8 that live in the daemon's commands; each check names its fault):
# an unsaved slow path at boot, static entries when a port's interface
# comes back, a saved internal port loaded while its pair exists, the
# options of an existing port, a port on an internal port's host side or
# on the host's uplink, a failed fdb-capacity, a store that cannot be read.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

daemon_sandbox
PIN=/sys/fs/bpf/xsw-t$$
running() { cli -c "show running-config"; }
new_boot() { sqlite3 "$T/config.db" "UPDATE meta SET value = 'boot-$1' WHERE key = 'boot_id'"; }
conf() { cli -c configure -c "bridge br0" "${@/#/-c}"; }
# static_on IFNAME MAC: the MAC table has the static entry on the port
static_on() {
	cli -c "show mac address-table interface $1" |
		awk -v m="$2" '$3 == m && $4 == "static" {f = 1} END {exit !f}'
}
veth_ports a b 3
# veth_again N: aN (and its peer bN) made again, up
veth_again() {
	ip link add "a$1" type veth peer name "b$1"
	ip link set "a$1" up
	ip link set "b$1" up
}

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port a1
 exit
CONF
daemon_start

# --- fault 3: an unsaved slow path does not survive a new boot ---
check "slow-path host-cpu 0 (not saved)" cli -c configure -c "slow-path host-cpu 0"
daemon_stop
new_boot 3
daemon_start
check_not "fault 3: after a new boot the startup file has no slow path" \
	grep -q slow-path <<<"$(running)"
check_eq "fault 3: and show slow-path says it is off" \
	"$(cli -j -c "show slow-path")" '{"enabled":false}'

# --- fault 4: static entries come back with their port's interface ---
check "a static entry on a1" conf "mac static 02:00:00:00:00:a1 vlan 1 interface a1"
check "it is in the MAC table" static_on a1 02:00:00:00:00:a1
ip link del a1
veth_again 1
if wait_for 10 static_on a1 02:00:00:00:00:a1; then
	ok "fault 4: the static entry is back when a1 is created again"
else not_ok "fault 4: the static entry is back when a1 is created again"; fi
check "port a3 and a static entry on it, then a3 deleted" \
	conf "port a3" "mac static 02:00:00:00:00:a3 vlan 1 interface a3"
ip link del a3
daemon_stop
daemon_start
# after the start's reconcile, which would add the entry itself
wait_for 10 grep -q "port a3 is absent" "$T/switchd.log"
veth_again 3
if wait_for 10 static_on a3 02:00:00:00:00:a3; then
	ok "fault 4: the static entry of a port that appears after start"
else not_ok "fault 4: the static entry of a port that appears after start"; fi
check "an internal port with a static entry" \
	conf "internal-port xswq" "mac static 02:00:00:00:00:0e vlan 1 interface xswq-br"
check "the internal port applied again" conf "internal-port xswq"
check "fault 4: applying an internal port again keeps its static entries" \
	static_on xswq-br 02:00:00:00:00:0e

# --- fault 10: port X on an existing port keeps its options ---
check "port a2 learn-limit 5" conf "port a2 learn-limit 5"
check "port a2 again" conf "port a2"
check "fault 10: port a2 keeps its learn limit" grep -q "port a2 learn-limit 5" <<<"$(running)"

# --- fault 10: both ends of an internal port's pair are never ports ---
out=$(conf "port xswq" 2>&1)
check_not "fault 10: port on an internal port's host side is refused" \
	grep -q "^ port xswq$" <<<"$(running)"
check "with a message that says why" grep -q "internal port" <<<"$out"

# --- fault 10: the host's uplink is not taken without a word ---
ip link add xswup type veth peer name xswupp
ip link set xswup up
ip link set xswupp up
ip addr add 198.51.100.1/24 dev xswup
ip route add default via 198.51.100.2
out=$(conf "port xswup" 2>&1)
check_not "fault 10: a port on the interface of the default route is refused" \
	grep -q "^ port xswup" <<<"$(running)"
check "with a message that names the default route" grep -q "default route" <<<"$out"
# ... and its sibling: the loopback interface, as the Linux bridge refuses
out=$(conf "port lo" 2>&1)
check_not "the loopback interface is refused as a port" \
	grep -q "^ port lo$" <<<"$(running)"
check "saying it is the loopback interface" grep -q "is the loopback interface" <<<"$out"
check_not "and no program is put on it" sh -c "ip link show lo | grep -q xdp"

# --- fault 6: a saved internal port loads while its pair exists ---
check "write memory" cli -c "write memory"
saved=$(running)
check "then an unsaved change" conf "no port a2"
daemon_stop
new_boot 6
daemon_start
check_eq "fault 6: the saved file loads while the pair exists" "$(running)" "$saved"
check_not "fault 6: and no error is logged" grep -q "not applied" "$T/switchd.log"

# --- fault 12: fdb-capacity that fails reconciles nothing ---
"$DPCTL" -r "$PIN" xswstray create >/dev/null
mkfifo "$T/in"
cli -t -f - <"$T/in" >"$T/session" 2>&1 &
session=$!
exec 3>"$T/in"
echo "configure" >&3
echo "bridge br0" >&3
wait_for 10 grep -q "bridge br0" "$T/session"
check "another session removes br0" cli -c configure -c "no bridge br0"
echo "fdb-capacity 2048" >&3
exec 3>&-
wait "$session"
check "the first session's fdb-capacity fails" grep -q "no bridge named br0" "$T/session"
check "fault 12: a failed fdb-capacity does not reconcile (the stray bridge stays)" \
	test -d "$PIN/xswstray"
"$DPCTL" -r "$PIN" xswstray destroy >/dev/null 2>&1

# --- fault 12: bridge NAME on a store it cannot read changes nothing ---
check "bridge br1 ageing-time 99" cli -c configure -c "bridge br1" -c "ageing-time 99"
sqlite3 "$T/config.db" "ALTER TABLE bridge RENAME TO bridge_rows;
	CREATE VIEW bridge AS SELECT name,
		CASE WHEN ageing_time = 99 THEN abs(-9223372036854775807 - 1)
		ELSE ageing_time END AS ageing_time, learn_limit, fdb_capacity
	FROM bridge_rows;"
out=$(cli -c configure -c "bridge br1" 2>&1)
check "fault 12: bridge NAME reports the read error of the store" \
	grep -q "integer overflow" <<<"$out"
sqlite3 "$T/config.db" "DROP VIEW bridge; ALTER TABLE bridge_rows RENAME TO bridge;"
check "fault 12: and br1 keeps its settings" grep -q "ageing-time 99" <<<"$(running)"

finish
