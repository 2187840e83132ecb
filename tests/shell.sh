#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Issue 9, what a script sees of the shell: JSON that parses (one document,
# one array for several -c, errors as objects, snake_case keys, the MAC
# table as bridge -j fdb show has it), a running config that replays
# through xbr-cli -f and as a startup file, a trunk's native VLAN passing
# only when allowed, clear counters, --help and XBR_SOCKET.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
command -v bridge >/dev/null || { echo "SKIP: needs bridge (iproute2)"; exit 77; }

daemon_sandbox
veth_ports e f 4
daemon_start
running() { cli -c "show running-config"; }
# json EXPR COMMAND...: EXPR of the JSON (d) that the xbr-cli -j prints
json() {
	local expr=$1
	shift
	cli -j "$@" | python3 -c "import json,sys; d = json.load(sys.stdin); print($expr)"
}
counter() { json "d[0]$2" -c "show interfaces $1 counters"; }

cli -c "configure terminal" -c "bridge br0" -c "port e1" \
	-c "port e2 trunk allowed vlan 10,20" -c "port e3" \
	-c "port e4 trunk allowed vlan 30-40 native vlan none encapsulation dot1ad learn-limit 7" \
	-c "internal-port mgmt vlan 1" \
	-c "mac static 02:00:00:00:00:51 vlan 1 interface e1" -c "exit" \
	-c "bridge br1" -c "ageing-time 60" -c "end"

# --- fault 5 (native VLAN): untagged frames on a trunk whose native VLAN
# is not allowed are dropped, not switched into VLAN 1 ---
"$RAWPKT" send f2 ff:ff:ff:ff:ff:ff 02:00:00:00:00:a2 5
check_eq "fault 5: a native VLAN that is not allowed does not pass (dropped as untagged)" \
	"$(counter e2 "['drops']['untagged_on_trunk']")" 5
check_eq "fault 5: nothing was learned from it" \
	"$(cli -c "show mac address-table interface e2 count" | awk '{print $1}')" 0
check_eq "fault 5: show vlan 1 has no trunk in it" \
	"$(cli -c "show vlan 1" | awk 'NR > 1 {$1 = $2 = ""; print}')" "  e1(u) e3(u) mgmt(u)"
check "show interfaces says the native VLAN is not allowed" \
	grep -q "(not allowed)" <<<"$(cli -c "show interfaces e2")"
check_eq "and its JSON" "$(json "d[0]['native_vlan'], d[0]['native_vlan_allowed']" -c "show interfaces e2")" \
	"1 False"
cli -c "configure" -c "bridge br0" -c "port e2 trunk allowed vlan add 1" >/dev/null
"$RAWPKT" send f2 ff:ff:ff:ff:ff:ff 02:00:00:00:00:a2 5
check_eq "once allowed (add 1), the native VLAN passes" \
	"$(counter e2 "['drops']['untagged_on_trunk']")" 5
check "and its source is learned in VLAN 1" wait_for 5 test \
	"$(cli -c "show mac address-table vlan 1 interface e2 count" | awk '{print $1}')" = 1
cli -c "configure" -c "bridge br0" -c "port e2 trunk allowed vlan remove 1" >/dev/null

# --- clear counters: shown counters restart, the datapath's do not ---
"$RAWPKT" send f1 ff:ff:ff:ff:ff:ff 02:00:00:00:00:a1 3
check "e1 counted frames" test "$(counter e1 "['rx_packets']")" -ge 3
check "clear counters interface e1" cli -c "clear counters interface e1"
check_eq "e1 shows 0 received since the clear" "$(counter e1 "['rx_packets']")" 0
check "the datapath's own counter is untouched (hitless restart)" \
	test "$("$DPCTL" -r "$PIN" br0 stats e1 | sed -n 's/.*rx \([0-9]*\).*/\1/p' | head -1)" -ge 3
check "e2's counters are not cleared by it" test "$(counter e2 "['drops']['untagged_on_trunk']")" = 5
"$RAWPKT" send f1 ff:ff:ff:ff:ff:ff 02:00:00:00:00:a1 2
check_eq "frames after the clear count from 0" "$(counter e1 "['rx_packets']")" 2
check "clear counters (every port)" cli -c "clear counters"
check_eq "e2's drops are cleared too" "$(counter e2 "['drops']['untagged_on_trunk']")" 0
check_not "clear counters of no port is refused" cli -c "clear counters interface nosuch"
# A port removed and added again starts from zero in the datapath: a clear
# of the old one must not be taken off the new one's counters.
"$RAWPKT" send f3 ff:ff:ff:ff:ff:ff 02:00:00:00:00:a3 4
cli -c "clear counters interface e3" >/dev/null
cli -c "configure" -c "bridge br0" -c "no port e3" -c "port e3" -c "end" >/dev/null
"$RAWPKT" send f3 ff:ff:ff:ff:ff:ff 02:00:00:00:00:a3 6
check_eq "a port added again counts from its new start, not less an old clear" \
	"$(counter e3 "['rx_packets']")" 6

# --- JSON: every show command is one document ---
for cmd in "show version" "show bridge" "show bridge br0" "show interfaces" \
	"show interfaces status" "show interfaces e1 counters" "show interfaces mgmt" \
	"show vlan" "show vlan 10" "show mac address-table" "show mac address-table count" \
	"show slow-path" "show history"; do
	check "JSON: $cmd is one document" json "''" -c "$cmd"
done
for cmd in "show running-config" "show startup-config"; do
	out=$(cli -j -c "$cmd")
	rc=$?
	check_eq "JSON: $cmd says it has no JSON form, exit $rc" \
		"$(python3 -c 'import json,sys; print("no JSON form" in json.load(sys.stdin)["error"])' <<<"$out")" True
	check "JSON: and fails" test "$rc" != 0
done
check_eq "JSON: several -c are one array" \
	"$(json "len(d), type(d[0]).__name__, 'version' in d[1]" -c "show bridge" -c "show version")" \
	"2 list True"
out=$(cli -j -c "show version" -c "show frob" -c "show bridge")
rc=$?
check_eq "JSON: an error in several -c ends the array with an error object" \
	"$(python3 -c 'import json,sys; d = json.load(sys.stdin); print(len(d), sorted(d[1]))' <<<"$out")" \
	"2 ['error']"
check "JSON: and the exit status says so" test "$rc" != 0
check_eq "JSON: an error is an object with error" \
	"$(cli -j -c "show interfaces nosuch" | python3 -c 'import json,sys; print(json.load(sys.stdin)["error"])')" \
	"nosuch is not a port"
check_eq "JSON: a refused word says where" \
	"$(cli -j -c "show vlan 5000" | python3 -c 'import json,sys; print(json.load(sys.stdin)["error"])')" \
	"Invalid input at '5000': want a VLAN id 1-4094"
check_not "JSON: filters are refused with -j" cli -j -c "show vlan | count"
check "JSON: every key is snake_case" python3 -c '
import json, re, subprocess, sys
cli, sock = sys.argv[1:3]
def keys(d):
    if isinstance(d, dict):
        for k, v in d.items():
            yield k
            yield from keys(v)
    elif isinstance(d, list):
        for v in d:
            yield from keys(v)
cmds = ["show bridge", "show interfaces", "show interfaces status",
        "show interfaces e1 counters", "show vlan", "show mac address-table",
        "show slow-path", "show version"]
d = json.loads(subprocess.check_output([cli, "-s", sock, "-j"] +
                                       sum((["-c", c] for c in cmds), [])))
bad = [k for k in keys(d) if not re.fullmatch(r"[a-z][a-z0-9_]*", k)]
assert not bad, bad
' "$CLI" "$T/sock"

# --- the MAC table's JSON as bridge -j fdb show: learned, static, local ---
ip link add xlbr type bridge
ip link add l1 type veth peer name m1
ip link set l1 master xlbr
for d in xlbr l1 m1; do ip link set "$d" up; done
"$RAWPKT" send m1 ff:ff:ff:ff:ff:ff 02:00:00:00:00:c1 1
bridge fdb add 02:00:00:00:00:c2 dev l1 master static
"$RAWPKT" send f1 ff:ff:ff:ff:ff:ff 02:00:00:00:00:c1 1
wait_for 5 sh -c "bridge fdb show br xlbr | grep -q 02:00:00:00:00:c1"
wait_for 5 sh -c "'$CLI' -s '$T/sock' -c 'show mac address-table bridge br0' | grep -q 02:00:00:00:00:c1"
check "the MAC table's JSON has bridge -j fdb show's keys and values" python3 -c '
import json, subprocess, sys
cli, sock, lmac = sys.argv[1:4]
lin = json.loads(subprocess.check_output(["bridge", "-j", "fdb", "show", "br", "xlbr"]))
xbr = json.loads(subprocess.check_output([cli, "-s", sock, "-j", "-c",
                                          "show mac address-table bridge br0"]))
def pick(rows, mac):
    return next(r for r in rows if r["mac"] == mac)
pairs = {
    "learned": (pick(lin, "02:00:00:00:00:c1"), pick(xbr, "02:00:00:00:00:c1")),
    "static": (pick(lin, "02:00:00:00:00:c2"), pick(xbr, "02:00:00:00:00:51")),
    "local": (pick(lin, lmac), next(r for r in xbr if r["ifname"] == "mgmt")),
}
for kind, (l, x) in pairs.items():
    missing = set(l) - set(x)
    extra = set(x) - set(l) - {"vlan", "age"}  # the documented extensions
    assert not missing and not extra, (kind, missing, extra)
    for k in ("flags", "state"):
        assert l[k] == x[k], (kind, k, l[k], x[k])
    assert x["master"] == "br0" and l["master"] == "xlbr", kind
' "$CLI" "$T/sock" "$(cat /sys/class/net/l1/address 2>/dev/null || ip -br link show l1 | awk '{print $3}')"
ip link del xlbr
ip link del l1

check_eq "an internal port is addressed by its host side in the MAC table" \
	"$(cli -c "show mac address-table interface mgmt" | awk 'NR == 2 {print $4, $5}')" "local mgmt"

# --- the running config replays: through xbr-cli -f, and at boot ---
# (a port with a violation action is one line that carries its limit)
cli -c "configure" -c "bridge br0" -c "port e3 learn-limit 4 violation protect" >/dev/null
running >"$T/saved.conf"
check_eq "a violation action is written once, with its limit" \
	"$(grep -c '^ port e3' "$T/saved.conf")" 1
check_eq "no port is written twice" \
	"$(grep -o '^ port [^ ]*' "$T/saved.conf" | sort | uniq -d)" ""
daemon_stop
pins_remove
ip link del mgmt 2>/dev/null
rm -f "$T/config.db"*
daemon_start
check "a saved running config replays through xbr-cli -f" cli -f "$T/saved.conf"
check_eq "and rebuilds the same switch" "$(running)" "$(cat "$T/saved.conf")"
daemon_stop
pins_remove
ip link del mgmt 2>/dev/null
rm -f "$T/config.db"*
cp "$T/saved.conf" "$T/startup.conf"
daemon_start
check_eq "as a startup file, it rebuilds the same switch" "$(running)" "$(cat "$T/saved.conf")"

# --- the client: --help, XBR_SOCKET ---
check "xbr-cli --help prints the usage" sh -c "'$CLI' --help | grep -q '^usage: xbr-cli'"
check_eq "XBR_SOCKET names the socket" \
	"$(XBR_SOCKET="$T/sock" "$CLI" -c "show version" | cut -c1-4)" "xbr "
check_not "a bad option still fails" "$CLI" --frob
finish
