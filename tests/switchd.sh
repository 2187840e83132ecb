#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# xbr-switchd and xbr-cli as an operator meets them: startup file at boot,
# the MAC table filling, JSON, the running-config round trip, the boot
# rule, a broken startup file, kill -9 under traffic, socket refusal,
# link events, and teardown.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

HOSTNS=xbrsw$$
hosts="1 2 3"
cleanup_more=hosts_remove
daemon_sandbox
hosts_make
running() { cli -c "show running-config"; }
count_on() { cli -c "show mac address-table interface $1 count" | awk '{print $1}'; }
# count_is PORT N, for wait_for: evaluated at every poll
count_is() { test "$(count_on "$1")" = "$2"; }

# --- first boot: the startup file is the configuration ---
cat >"$T/startup.conf" <<'CONF'
! three hosts' switch
bridge br0
 ageing-time 120
 port s1
 port s2
 exit
CONF
daemon_start
check_eq "the startup file was applied at first boot" \
	"$(cli -c "show interfaces" | awk 'NR > 1 {print $1, $2, $3, $4}' | tr '\n' ' ')" \
	"s1 br0 up native s2 br0 up native "
if wait_for 10 ping_ok 1 2; then ok "h1 pings h2"; else not_ok "h1 pings h2"; fi
check_eq "the MAC table shows h1 on s1" \
	"$(cli -c "show mac address-table" | awk -v m="$(mac_of 1)" '$3 == m {print $1, $2, $4, $5}')" \
	"br0 1 dynamic s1"
check "JSON MAC table has the keys of bridge -j fdb show" python3 -c '
import json, sys
rows = json.loads(sys.stdin.read())
assert rows and all({"mac", "ifname", "vlan", "flags"} <= set(r) for r in rows)
assert any(r["ifname"] == "s2" and r["vlan"] == 1 for r in rows)
' <<<"$(cli -j -c "show mac address-table")"
check_eq "JSON count" "$(cli -j -c "show mac address-table count")" '{"count":2}'

check "a script adds a port" cli -c "bridge port add s3"
if wait_for 10 ping_ok 1 3; then ok "h1 pings h3 through the new port"
else not_ok "h1 pings h3 through the new port"; fi
check "clear dynamic entries of one port" cli -c "clear mac address-table dynamic interface s1"
check_eq "s1 has no entries left" "$(count_on s1)" 0

# --- bad input changes nothing ---
before=$(running)
for bad in "bridge port add nosuch0" "configure terminal extra" "show mac address-table vlan 0" \
	"bridge port remove s9" "write" "no"; do
	check_not "refused: $bad" cli -c "$bad"
done
check_not "a bad line in a batch stops it" cli -c configure -c "bridge br0" -c "port s1 learn-limit x"
check_eq "after the refusals the running config is the same" "$(running)" "$before"

# --- ageing: a station that falls silent leaves the table ---
check "ageing-time 10" cli -c configure -c "bridge br0" -c "ageing-time 10"
wait_for 10 ping_ok 2 3
check "h3 is in the table" test "$(count_on s3)" -gt 0
if wait_for 30 count_is s3 0; then ok "its entry ages out after 10 s"
else not_ok "its entry ages out after 10 s"; fi
check_eq "and is counted as aged" \
	"$(cli -j -c "show interfaces s3 counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["aged_events"] > 0)')" True
check "back to the default" cli -c configure -c "bridge br0" -c "no ageing-time"

# --- a big table: capacity, and replies streamed in chunks ---
check "fdb-capacity 200000" cli -c configure -c "bridge br0" -c "fdb-capacity 200000"
check_eq "show bridge reports it" \
	"$(cli -c "show bridge br0" | awk 'NR == 2 {print $6}')" 200000
if wait_for 10 ping_ok 1 2; then ok "the rebuilt bridge forwards"
else not_ok "the rebuilt bridge forwards"; fi
check "100,000 entries learned on s2" "$DPCTL" -r "$PIN" br0 fdb fill 100000 s2
n=$(cli -c "show mac address-table count" | awk '{print $1}')
check "the count says so" test "$n" -ge 100000
start=$(date +%s.%N)
lines=$(cli -c "show mac address-table" | wc -l)
echo "# show mac address-table, $n entries: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.3f", b - a}') s"
check_eq "the whole table comes through the socket" "$lines" $((n + 2))
check "sorted by VLAN, then MAC" sh -c "'$CLI' -s '$T/sock' -c 'show mac address-table' | sed '1d;\$d' | awk '{print \$2, \$3}' | sort -c -k1,1n -k2,2"
check_eq "and as JSON" \
	"$(cli -j -c "show mac address-table" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "$n"
check "clear them" cli -c "clear mac address-table dynamic interface s2"
check_eq "gone" "$(count_on s2)" 0
check "no fdb-capacity" cli -c configure -c "bridge br0" -c "no fdb-capacity"
check "port s2 learn-limit 5" cli -c configure -c "bridge br0" -c "port s2 learn-limit 5"
check_not "learning 10 addresses on s2 stops at its limit" "$DPCTL" -r "$PIN" br0 fdb fill 10 s2
check_eq "s2 holds 5" "$(count_on s2)" 5
check "port s2 without a limit" cli -c configure -c "bridge br0" -c "port s2" -c end \
	-c "clear mac address-table dynamic"

# --- the running config round trip ---
check "copy running-config startup-config" cli -c "copy running-config startup-config"
check_eq "copy wrote the running config" "$(cat "$T/startup.conf")" "$(running)"
check "write memory" cli -c "write memory"
check_eq "the startup file is the running config" "$(cat "$T/startup.conf")" "$(running)"
check_eq "show startup-config" "$(cli -c "show startup-config")" "$(running)"
saved=$(running)
daemon_stop
rm -f "$T"/config.db*
pins_remove
daemon_start
check_eq "from the saved file alone, the same switch" "$(running)" "$saved"
if wait_for 10 ping_ok 1 3; then ok "h1 pings h3 after the rebuild"
else not_ok "h1 pings h3 after the rebuild"; fi

# --- within a boot the store is the configuration ---
check "an unsaved change" cli -c configure -c "bridge br0" -c "no port s3"
unsaved=$(running)
daemon_stop
daemon_start
check_eq "a restart keeps the unsaved change" "$(running)" "$unsaved"
daemon_stop
sqlite3 "$T/config.db" "UPDATE meta SET value = 'another-boot' WHERE key = 'boot_id'"
daemon_start
check_eq "after a reboot the startup file is the configuration again" \
	"$(running)" "$saved"

# --- a startup file with an error applies nothing ---
cp "$T/startup.conf" "$T/good.conf"
printf 'bridge br9\n port s1\n port s2 learn-limit lots\n exit\n' >"$T/startup.conf"
daemon_stop
sqlite3 "$T/config.db" "UPDATE meta SET value = 'yet-another-boot' WHERE key = 'boot_id'"
daemon_start
check "the error is reported as file:line" grep -q "startup.conf:3: Invalid input at 'lots'" "$T/switchd.log"
check_eq "and nothing of the file was applied" "$(running)" "$saved"
cp "$T/good.conf" "$T/startup.conf"

# --- kill -9 under traffic ---
# The kill waits until the pings flow (ten replies), not a fixed time.
rx_of_h1() { h 1 cat /sys/class/net/eth0/statistics/rx_packets; }
replies_since() { test "$(rx_of_h1)" -ge $(($1 + 10)); }
rx0=$(rx_of_h1)
# -w: ping waits for every reply (see tests/integration.sh).
h 1 ping -c 400 -i 0.01 -w 30 192.0.2.2 >"$T/ping" 2>&1 &
pinger=$!
wait_for 10 replies_since "$rx0"
daemon_stop -KILL
check "the store is intact after kill -9" \
	test "$(sqlite3 "$T/config.db" "PRAGMA integrity_check")" = ok
daemon_start
wait "$pinger"
check "no ping lost while the daemon was killed and restarted" grep -q "^400 packets transmitted, 400 received," "$T/ping"
check_eq "the restarted daemon has the same configuration" "$(running)" "$saved"

# --- who may use the socket ---
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$CLI" -s "$T/sock" -c "show version" 2>&1)
check_eq "an unprivileged user is refused by the socket's mode" "$?:$(echo "$out" | grep -c 'permission denied')" "1:1"
chmod 755 "$T"
chmod 666 "$T/sock"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$CLI" -s "$T/sock" -c "show version" 2>&1)
check_eq "and by the daemon's peer check when the mode lets it in" \
	"$?:$(echo "$out" | grep -c 'neither root nor in group xbr')" "1:1"
chmod 700 "$T"
check "root is served" cli -c "show version"
check_not "a client when no daemon runs" "$CLI" -s "$T/nosuch.sock" -c "show version"
check "and it says so" sh -c "'$CLI' -s '$T/nosuch.sock' -c 'show version' 2>&1 | grep -q 'not running'"

# --- link events ---
wait_for 10 ping_ok 1 2
check "s1 has entries" test "$(count_on s1)" -gt 0
h 1 ip link set eth0 down
if wait_for 10 count_is s1 0; then ok "link down flushes the port's entries"
else not_ok "link down flushes the port's entries"; fi
check_eq "the port shows down" "$(cli -c "show interfaces s1" | awk 'NR == 2 {print $3}')" down
h 1 ip link set eth0 up
ip link del s3
if wait_for 10 sh -c "'$CLI' -s '$T/sock' -c 'show interfaces s3' | grep -q absent"
then ok "a deleted interface stays configured, absent"
else not_ok "a deleted interface stays configured, absent"; fi
check_eq "still in the running config" "$(running | grep -c '^ port s3$')" 1
host_link 3
if wait_for 10 sh -c "'$CLI' -s '$T/sock' -c 'show interfaces s3' | grep -q ' up .*native'"
then ok "a re-created interface is attached again by itself"
else not_ok "a re-created interface is attached again by itself"; fi
if wait_for 10 ping_ok 1 3; then ok "h1 pings h3 after the re-attach"
else not_ok "h1 pings h3 after the re-attach"; fi

# --- teardown ---
check "no bridge br0" cli -c configure -c "no bridge br0"
check_not "its datapath is gone" test -e "$PIN/br0"
check_not "and its ports have no XDP" sh -c "ip link show s1 | grep -q xdp"
finish
