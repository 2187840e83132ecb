#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The daemon's boot, store, control socket and client under hostile
# input: the faults of issue 8 that lost configuration or stalled the
# daemon, each check named with its fault number (F1 ... F13).
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

HOSTNS=xio$$
hosts="1 2"
cleanup_more=hosts_remove
daemon_sandbox
# This test's own names for what it makes outside its namespace.
rm -rf "$T"
T=$(mktemp -d /tmp/xio.XXXXXX)
PIN=/sys/fs/bpf/xio$$
hosts_make
running() { cli -c "show running-config"; }
# A new boot, as the store sees it: the startup file applies again.
reboot() {
	daemon_stop
	sqlite3 "$T/config.db" "UPDATE meta SET value = 'boot-$RANDOM' WHERE key = 'boot_id'"
}
logged() { grep -qF -- "$1" "$T/switchd.log"; }

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1
 port s2
 internal-port mgmt
 exit
end
CONF
good=$(cat "$T/startup.conf")

# --- F13: ready (socket, READY=1) only once the ports are built ---
cat >"$T/ready.py" <<'PY'
import os, socket, subprocess, sys, time
t, switchd, pin = sys.argv[1:4]
ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
ns.bind(t + "/notify")
ns.settimeout(10)
env = dict(os.environ, NOTIFY_SOCKET=t + "/notify")
log = open(t + "/switchd.log", "a")
p = subprocess.Popen([switchd, "-v", "-d", t + "/config.db", "-s",
                      t + "/sock", "-c", t + "/startup.conf", "-p", pin],
                     env=env, stderr=log)
print(p.pid, flush=True)
until = time.monotonic() + 10
while time.monotonic() < until:
    c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        c.connect(t + "/sock")
        break
    except OSError:
        pass
    finally:
        c.close()
try:
    built = socket.if_nametoindex("mgmt") > 0
except OSError:
    built = False
print("built" if built else "not-built", flush=True)
try:
    print(ns.recv(64).decode(), flush=True)
except socket.timeout:
    print("no-notify", flush=True)
p.wait()
PY
coproc READY { python3 "$T/ready.py" "$T" "$SWITCHD" "$PIN"; }
read -r daemon_pid <&"${READY[0]}"
read -r built <&"${READY[0]}"
read -r notified <&"${READY[0]}"
check_eq "F13: when the socket answers, the internal port is built" "$built" built
check_eq "F13: READY=1 is sent to \$NOTIFY_SOCKET" "$notified" READY=1
check "the startup file was applied" sh -c "ip link show s1 | grep -q xdp"
if wait_for 10 ping_ok 1 2; then ok "h1 pings h2"; else not_ok "h1 pings h2"; fi

# From here the configuration has no internal port: a daemon's own veth
# pair is in the way of reading one back at a later boot (fault 6).
check "no internal-port mgmt" cli -c configure -c "bridge br0" -c "no internal-port mgmt"
check "write memory" cli -c "write memory"
saved=$(running)
good=$(cat "$T/startup.conf")

# --- extras: write memory's temporaries are removed at start ---
: >"$T/startup.conf.tmp.4242"
: >"$T/startup.conf.tmp.keep"
kill "$daemon_pid"
wait "$READY_PID"
daemon_pid=
daemon_start
check_not "a temporary file of an interrupted write memory is removed at start" \
	test -e "$T/startup.conf.tmp.4242"
check "a file that only looks like one is left alone" test -e "$T/startup.conf.tmp.keep"

# --- F13: a daemon serving the socket is no stale socket to take over ---
timeout 10 "$SWITCHD" -v -d "$T/other.db" -s "$T/sock" -c "$T/startup.conf" \
	-p "$PIN" 2>>"$T/switchd.log"
check_eq "F13: a second daemon on a served socket does not start" "$?" 1
check "F13: saying so" logged "another xbr-switchd serves $T/sock"
check "F13: the first one still serves" cli -c "show version"

# --- one daemon a store, whatever socket each serves ---
timeout 10 "$SWITCHD" -v -d "$T/config.db" -s "$T/sock2" \
	-c "$T/startup.conf" -p "$PIN" 2>>"$T/switchd.log"
check_eq "a second daemon on the store, on another socket, does not start" "$?" 1
check "saying which daemon holds it" \
	logged "another xbr-switchd (pid $daemon_pid) uses the store $T/config.db"
check_not "it serves no socket" test -S "$T/sock2"
check "the first one still serves" cli -c "show version"
# ... nor one with a store and a socket of its own on the same datapaths
before=$(running)
timeout 10 "$SWITCHD" -v -d "$T/other.db" -s "$T/sock2" \
	-c "$T/other.conf" -p "$PIN" 2>>"$T/switchd.log"
check_eq "a second daemon on the pin root does not start" "$?" 1
check "saying so" logged "another xbr-switchd manages the datapaths under $PIN"
check_not "it serves no socket" test -S "$T/sock2"
check "the first one's bridge is still pinned" test -d "$PIN/br0"
check_eq "and its configuration is as it was" "$(running)" "$before"
# Two started at once on one store and one socket, none running: both
# find the socket dead; exactly one serves, the other says why.
daemon_stop
pids=
for i in 1 2; do
	"$SWITCHD" -v -d "$T/config.db" -s "$T/sock" -c "$T/startup.conf" \
		-p "$PIN" 2>>"$T/switchd.log" &
	pids="$pids $!"
done
wait_for 30 test -S "$T/sock"
sleep 1
alive=0 lost=
for p in $pids; do
	if kill -0 "$p" 2>/dev/null; then
		alive=$((alive + 1))
		daemon_pid=$p
	else
		wait "$p"
		lost=$?
	fi
done
check_eq "two daemons started at once on one store: one runs" "$alive" 1
check_eq "the other stops with an error" "$lost" 1
for p in $pids; do # none left running, whatever the checks found
	[ "$p" = "$daemon_pid" ] || kill "$p" 2>/dev/null
done
check "and serves" cli -c "show version"
daemon_stop
# A daemon that cannot serve its socket (a path longer than a socket's)
# fails with status 1, having claimed the store and the pin root: a
# service manager sees a failure, not a clean stop.
timeout 20 "$SWITCHD" -v -d "$T/config.db" -s "$T/$(printf 's%.0s' $(seq 120))" \
	-c "$T/startup.conf" -p "$PIN" 2>>"$T/switchd.log"
check_eq "a control socket that cannot be made: exit status 1" "$?" 1

# --- F1: a directory at the startup path is no empty configuration ---
reboot
mv "$T/startup.conf" "$T/startup.save"
mkdir "$T/startup.conf"
daemon_start
check_eq "F1: a directory at the startup path keeps the store" "$(running)" "$saved"
check "F1: and the log says why" logged "startup.conf: a directory, not a regular file"
check_not "F1: show startup-config fails" cli -c "show startup-config"
check "F1: saying it is a directory" sh -c "'$CLI' -s '$T/sock' -c 'show startup-config' 2>&1 | grep -q 'a directory'"
rmdir "$T/startup.conf"

# --- F9: a FIFO at the startup path does not block the daemon ---
reboot
mkfifo "$T/startup.conf"
if daemon_start; then ok "F9: a FIFO at the startup path: the daemon serves"
else not_ok "F9: a FIFO at the startup path: the daemon serves"; fi
check_eq "F9: the store is kept" "$(running)" "$saved"
check "F9: and the log says why" logged "startup.conf: a FIFO, not a regular file"
rm -f "$T/startup.conf"

# --- F2: a long line is one line, never cut in two ---
reboot
# n characters of a comment: where the old readers cut a line.
comment() { printf '!'; printf 'x%.0s' $(seq 2 "$1"); }
{
	grep -v '^end$' <<<"$good"
	echo "$(comment 1023)bridge hidden"
} >"$T/startup.conf"
daemon_start
check_eq "F2: a 1,036-character comment hides no command" "$(running)" "$saved"
check_not "F2: no bridge from its tail" cli -c "show bridge hidden"
reboot
{
	echo "bridge br0"
	echo " ageing-time 100 $(printf 'x%.0s' $(seq 1 1100))"
} >"$T/startup.conf"
daemon_start
check "F2: a long command line is refused with its line number" \
	logged "startup.conf:2: Line too long"
check_eq "F2: and nothing of the file applies" "$(running)" "$saved"
printf 'configure\n%sbridge hidden\nend\n' "$(comment 1025)" >"$T/long.cli"
check "F2: xbr-cli -t -f reads a long comment as one line" cli -t -f "$T/long.cli"
check_not "F2: and runs nothing of it" cli -c "show bridge hidden"
printf 'configure\nbridge br0\n ageing-time 100 %s\n' "$(printf 'x%.0s' $(seq 1 1100))" >"$T/long.cli"
check_not "F2: xbr-cli -f refuses a long command line" cli -f "$T/long.cli"
check "F2: saying so" sh -c "'$CLI' -s '$T/sock' -f '$T/long.cli' 2>&1 | grep -q 'long.cli:3: % line too long (1117 characters'"
check_eq "F2: and changes nothing" "$(running)" "$saved"

# --- F5: exec commands do not run from a startup file ---
reboot
printf '%s\nwrite memory\nbridge br7\n' "$good" >"$T/startup.conf"
cp "$T/startup.conf" "$T/exec.conf"
daemon_start
check "F5: write memory in a startup file is refused" \
	logged "startup.conf:$(($(wc -l <<<"$good") + 1)): 'write memory': a startup file holds configuration commands only, and this one ended at line $(wc -l <<<"$good")"
check_eq "F5: the startup file was not overwritten" "$(cat "$T/startup.conf")" "$(cat "$T/exec.conf")"
check_eq "F5: and nothing of it applied" "$(running)" "$saved"
echo "$good" >"$T/startup.conf"

# --- F9: NUL bytes and control characters ---
printf 'configure\nbridge bnul\0 junk\n' >"$T/nul.cli"
check_not "F9: a NUL byte in a -f line fails the batch" cli -f "$T/nul.cli"
check "F9: saying where" sh -c "'$CLI' -s '$T/sock' -f '$T/nul.cli' 2>&1 | grep -q 'nul.cli:2: % a NUL byte at column 12'"
check_not "F9: and the line before the NUL is not run" cli -c "show bridge bnul"
err=$(cli -c "$(printf 'show \033[2Jbridge')" 2>&1)
check "F9: an error escapes the control characters it echoes" \
	grep -qF "'\x1b[2Jbridge'" <<<"$err"
check_not "F9: none reaches the terminal raw" grep -q "$(printf '\033')" <<<"$err"
check_not "F9: nor the daemon's log" grep -q "$(printf '\033')" "$T/switchd.log"

# --- F7: a store deleted while the daemon runs ---
rm -f "$T/config.db" "$T/config.db-wal" "$T/config.db-shm"
check_not "F7: a change with the store deleted is refused" \
	cli -c configure -c "bridge br0" -c "ageing-time 100"
check "F7: saying so" sh -c "'$CLI' -s '$T/sock' -c configure -c 'bridge br0' -c 'ageing-time 100' 2>&1 | grep -q 'was deleted or replaced'"
check_eq "F7: the running config did not change" "$(running)" "$saved"
check "F7: write memory still saves it" cli -c "write memory"
daemon_stop
daemon_start
check_eq "F7: a restart rebuilds the store from the saved file" "$(running)" "$saved"

# --- F7: a corrupt store is refused, kept, and the datapath forwards ---
daemon_stop
python3 - "$T/config.db" <<'PY'
import sys
# Page 2 onwards: a b-tree page header of garbage.
with open(sys.argv[1], "r+b") as f:
    f.seek(0, 2)
    pages = f.tell() // 4096
    for p in range(1, pages):
        f.seek(p * 4096)
        f.write(b"\xde\xad\xbe\xef" * 8)
PY
sum=$(md5sum <"$T/config.db")
timeout 10 "$SWITCHD" -v -d "$T/config.db" -s "$T/sock" -c "$T/startup.conf" \
	-p "$PIN" 2>>"$T/switchd.log"
check_eq "F7: a corrupt store: the daemon refuses to start (EX_CONFIG)" "$?" 78
check "F7: saying the store is corrupt" logged "config.db is corrupt"
check_eq "F7: the store is left as it is" "$(md5sum <"$T/config.db")" "$sum"
check "F7: the datapath is still pinned" test -d "$PIN/br0"
if ping_ok 1 2; then ok "F7: and forwarding"; else not_ok "F7: and forwarding"; fi
mv "$T/config.db" "$T/config.db.corrupt"
rm -f "$T/config.db-wal" "$T/config.db-shm"
daemon_start
check_eq "F7: moved aside, the startup file is the configuration" "$(running)" "$saved"

# --- F12: xbr-cli prints a large table as it comes, not held whole ---
check "fdb-capacity 200000" cli -c configure -c "bridge br0" -c "fdb-capacity 200000"
# In a VLAN of their own, apart from what the hosts may still be learned.
check "100,000 entries learned on s2 in VLAN 7" "$DPCTL" -r "$PIN" br0 fdb fill 100000 s2 7
n=$(cli -c "show mac address-table vlan 7 count" | awk '{print $1}')
check_eq "F12: the count says so" "$n" 100000
# Peak RSS by GNU time: it forks nothing bigger than itself.
peak_rss() { /usr/bin/time -f %M -o "$T/rss" "$@" >"$T/table" && cat "$T/rss"; }
rss=$(peak_rss "$CLI" -s "$T/sock" -c "show mac address-table vlan 7")
check_eq "F12: xbr-cli prints the whole table" "$(wc -l <"$T/table")" $((n + 2))
check "F12: xbr-cli holds $rss KB at most for $n entries (under 4 MB)" test "$rss" -lt 4096
rss=$(peak_rss "$CLI" -s "$T/sock" -j -c "show mac address-table vlan 7")
check_eq "F12: xbr-cli -j prints the whole table" \
	"$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <"$T/table")" "$n"
check "F12: xbr-cli -j holds $rss KB at most for $n entries (under 4 MB)" test "$rss" -lt 4096

# --- F8: out of descriptors, accept pauses and resumes ---
# With no bridge the daemon needs a dozen descriptors: it has a few more.
check "no bridge br0" cli -c configure -c "no bridge br0"
daemon_stop
(ulimit -n 24 && exec "$SWITCHD" -v -d "$T/config.db" -s "$T/sock" \
	-c "$T/startup.conf" -p "$PIN" 2>>"$T/switchd.log") &
daemon_pid=$!
wait_for 10 test -S "$T/sock"
coproc HOLD { python3 -c '
import socket, sys
held = []
for i in range(16):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    c.settimeout(2)
    try:
        c.connect(sys.argv[1])
    except OSError:
        break
    held.append(c)
print(len(held), flush=True)
sys.stdin.read()
' "$T/sock"; }
read -r nheld <&"${HOLD[0]}"
cli -c "show version" >"$T/late.out" 2>&1 &
late=$!
if wait_for 10 logged "cannot accept a client (Too many open files): paused"
then ok "F8: out of descriptors: accept paused, and logged"
else not_ok "F8: out of descriptors: accept paused, and logged ($nheld held)"; fi
cpu=$(python3 -c '
import sys, time
def ticks():
    f = open("/proc/%s/stat" % sys.argv[1]).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])
a = ticks(); time.sleep(1); print(ticks() - a)' "$daemon_pid")
check "F8: and the daemon does not spin (${cpu} ticks of CPU in 1 s)" test "$cpu" -lt 20
eval "exec ${HOLD[1]}>&-"
wait "$HOLD_PID"
if wait "$late"; then ok "F8: a client that waited is served once descriptors free"
else not_ok "F8: a client that waited is served once descriptors free"; fi
check "F8: accepting again, logged" logged "accepting clients again"

finish
