#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Variants of issue 8's faults that their own tests do not try: the same
# mistake in a sibling place. Each check names the fault it is a variant
# of (F5, F1, ...) as issue 8 numbers them.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

daemon_sandbox
rm -rf "$T"
T=$(mktemp -d /tmp/xrv.XXXXXX)
PIN=/sys/fs/bpf/xrv$$
running() { cli -c "show running-config"; }
# A new boot, as the store sees it: the startup file applies again; the
# log from here is the next daemon's.
reboot() {
	daemon_stop
	: >"$T/switchd.log"
	sqlite3 "$T/config.db" "UPDATE meta SET value = 'boot-$RANDOM' WHERE key = 'boot_id'"
}
logged() { grep -qF -- "$1" "$T/switchd.log"; }
veth_ports a b 2

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port a1
 port a2
 internal-port mgmt
 exit
CONF
# --- fault 11's slow path, with no bridge yet: bad settings are refused
# by the command, not stored and left for the first bridge to fail on ---
mv "$T/startup.conf" "$T/first.conf"
daemon_start
ncpu=$(awk -F- '{print $NF + 1}' /sys/devices/system/cpu/possible)
check_not "slow-path on a CPU the machine does not have, with no bridge" \
	cli -c configure -c "slow-path host-cpu $ncpu"
check_not "one CPU for both, with no bridge" \
	cli -c configure -c "slow-path host-cpu 0 control-cpu 0"
check_eq "neither is stored" "$(cli -j -c "show slow-path")" '{"enabled":false}'
reboot
mv "$T/first.conf" "$T/startup.conf"

daemon_start
saved=$(running)
check "the startup file was applied" grep -q "port a2" <<<"$saved"

# --- F5 variant: "do" runs no exec command from a startup file ---
reboot
printf 'bridge br0\n port a1\n exit\ndo write memory\nbridge br1\n' \
	>"$T/startup.conf"
cp "$T/startup.conf" "$T/do.conf"
daemon_start
check "F5: do write memory in a startup file is refused" \
	logged "startup.conf:4: 'do': a startup file holds configuration commands only"
check_eq "F5: the startup file was not overwritten by do" \
	"$(cat "$T/startup.conf")" "$(cat "$T/do.conf")"
check_eq "F5: and nothing of it applied" "$(running)" "$saved"

# --- F1 variant: a line's error is no missing startup file ---
reboot
printf 'bridge br0\n port a1\n mac static 02:00:00:00:00:01 vlan 1 interface a9\n' \
	>"$T/startup.conf"
daemon_start
check_not "F1: a failing line is not logged as no startup configuration" \
	logged "no startup configuration at $T/startup.conf"
check "F1: it is logged as the error it is, with its line" \
	logged "startup configuration not applied, the store kept: $T/startup.conf:3: a9 is not a port of bridge br0"
check_eq "F1: and the store is kept" "$(running)" "$saved"

# --- F4 variant: a static entry on an internal port, by the name that
# show prints (its host side), set, saved and loaded again ---
check "a static entry on the internal port by its host side" \
	cli -c configure -c "bridge br0" \
	-c "mac static 02:00:00:00:00:02 vlan 1 interface mgmt"
check_eq "the MAC table shows it on mgmt" \
	"$(cli -c "show mac address-table interface mgmt" | awk '$4 == "static" {print $3, $5}')" \
	"02:00:00:00:00:02 mgmt"
check "write memory" cli -c "write memory"
saved=$(running)
reboot
daemon_start
check "the saved file loads at the next boot" \
	logged "startup configuration $T/startup.conf applied"
check_eq "and rebuilds the same switch" "$(running)" "$saved"

# --- F1 variant in the client: a directory given to xbr-cli -f is no
# empty file, and -f is not dropped for -c ---
mkdir "$T/dir.cli"
check_not "F1: xbr-cli -f on a directory fails" cli -f "$T/dir.cli"
check "F1: saying it is a directory" sh -c \
	"'$CLI' -s '$T/sock' -f '$T/dir.cli' 2>&1 | grep -q 'dir.cli: Is a directory'"
check_not "F1: and as a transcript (-t) too" cli -t -f "$T/dir.cli"
printf 'configure\nbridge br9\n' >"$T/br9.cli"
check_not "-c with -f is refused, not half ignored" \
	cli -c "show version" -f "$T/br9.cli"
check_not "and runs nothing" cli -c "show bridge br9"

# --- issue 9's JSON seam: -j with -f (or a pipe) is one document, as
# several -c are ---
printf 'show version\n! a comment\nconfigure\nshow bridge br0\n' >"$T/json.cli"
ndocs() { python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }
check_eq "JSON: -j -f answers one array, a member for each command" \
	"$(cli -j -f "$T/json.cli" | ndocs)" 3
check_eq "JSON: and so does a pipe" "$(cli -j <"$T/json.cli" | ndocs)" 3
printf 'show version\nshow bridge nope\nshow version\n' >"$T/bad.cli"
check_eq "JSON: an error ends the array with an error object" \
	"$(cli -j -f "$T/bad.cli" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d), "error" in d[-1])')" \
	"2 True"

printf 'show version\nshow bridge br0 \0\n' >"$T/nul.cli"
check_eq "JSON: a line -f refuses (F9's NUL) is an error object in the array" \
	"$(cli -j -f "$T/nul.cli" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d), d[-1]["error"])')" \
	"2 $T/nul.cli:2: a NUL byte at column 17: the line is refused"

# --- F9 variant: a NUL byte in a request on the control socket (any
# client, not only xbr-cli -f) is refused, not run up to the NUL ---
cat >"$T/raw.py" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
status = 0
for line in (b"configure", b"no bridge br0\0 junk"):
    s.send(struct.pack("IIiI", 1, 0, 0, 0) + line)
    while True:
        m = s.recv(70000)
        kind, _, status, _ = struct.unpack("IIiI", m[:16])
        if kind == 17:
            break
        sys.stdout.write(m[16:].decode())
sys.exit(status != 0)
PY
check_not "F9: a request with a NUL byte fails" python3 "$T/raw.py" "$T/sock"
check "F9: saying where" sh -c "python3 '$T/raw.py' '$T/sock' | grep -q 'a NUL byte at column 14'"
check "F9: and the part before the NUL did not run" cli -c "show bridge br0"

# --- F1's neighbour, write memory: a symbolic link at the startup path
# (a file kept elsewhere) stays a link; the file it names is saved ---
mkdir "$T/etc"
mv "$T/startup.conf" "$T/etc/real.conf"
ln -s etc/real.conf "$T/startup.conf"
check "write memory through a symbolic link" cli -c "write memory"
check "the link is still a link" test -L "$T/startup.conf"
check_eq "and the file it names has the running config" \
	"$(cat "$T/etc/real.conf")" "$(running)"

finish
