#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Events (issue 14, item 1; doc/events.md) with real frames: a source
# learned, moved between two ports (both named), flapping, aged; link
# down and up; ports attached and detached by name; a configuration
# change with the peer's uid; the learn limit's refusals; show logging
# last N; monitor mac address-table receiving a move live and ending on
# SIGINT; and events the datapath had no room for counted, not one frame
# lost.
#
#   g1 -> p1  [bridge ev]  p2 <- g2
#                          p3 -> s3 (sink)
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
PKTGEN=${XBR_PKTGEN:-tools/xbr-pktgen}

daemon_sandbox
PIN=/sys/fs/bpf/xev-t$$
mon_pid=
mon_stop() { [ -z "$mon_pid" ] || kill "$mon_pid" 2>/dev/null; }
cleanup_more=mon_stop

ip link add g1 type veth peer name p1
ip link add g2 type veth peer name p2
ip link add s3 type veth peer name p3
for i in g1 p1 g2 p2 s3 p3; do ip link set "$i" up; done

SINK=02:00:00:0e:00:03
M1=02:00:00:0e:00:01
MAGE=02:00:00:0e:00:0a
cat >"$T/startup.conf" <<CONF
mac address-table flapping moves 3 window 60
bridge ev
 port p1
 port p2
 port p3
 mac static $SINK vlan 1 interface p3
 exit
CONF
daemon_start
wait_for 10 sh -c "ip link show p3 | grep -q xdp"

# Frames from a port's far end: send IF SRC [COUNT] (to the sink's MAC).
send() {
	"$PKTGEN" run -i "$1" --src "$2" --dst "$SINK" -n "${3:-1}" >/dev/null
}
logging() { cli -c "show logging"; }
logged() { logging | grep -q -- "$1"; }

# fault 14.1 (the issue's item 1): a source learned is an event, with
# its port's name; so are the ports attached at start, by name
send g1 "$MAGE"
send g1 "$M1"
check "learned: $M1 on p1" wait_for 5 logged "$M1 vlan 1 learned on p1"
check "port attached, by name" logged "bridge ev: p3 attached"

# monitor mac address-table streams a move as it happens
"$CLI" -s "$T/sock" -c "monitor mac address-table" >"$T/monitor" 2>&1 &
mon_pid=$!
check "monitor started" wait_for 5 grep -q Monitoring "$T/monitor"
send g2 "$M1"
check "moved: both ports named" \
	wait_for 5 logged "$M1 vlan 1 moved from p1 to p2"
check "monitor received the move live" \
	wait_for 5 grep -q "$M1 vlan 1 moved from p1 to p2" "$T/monitor"
kill -INT "$mon_pid"
wait "$mon_pid"
check_eq "monitor ends on SIGINT, status 0" "$?" 0
mon_pid=
check "the daemon serves on after the monitor" cli -c "show bridge"

# the same in the interactive shell: Ctrl-C ends the monitor, and the
# session goes on (a pseudo-terminal drives it)
pty_monitor() {
	python3 - "$CLI" "$T/sock" "$PKTGEN" "$M1" "$SINK" <<'PY'
import os, pty, re, select, subprocess, sys, time
cli, sock, pktgen, mac, sink = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "dumb"
    os.execv(cli, [cli, "-s", sock])
buf = ""
def until(pattern, timeout=5.0):
    global buf
    end = time.time() + timeout
    while not re.search(pattern, buf):
        left = end - time.time()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            sys.exit("timed out waiting for %r in %r" % (pattern, buf))
        buf += os.read(fd, 4096).decode(errors="replace")
    buf = buf[re.search(pattern, buf).end():]
until(r"# $")
os.write(fd, b"monitor mac address-table\r")
until("Monitoring")
subprocess.run([pktgen, "run", "-i", "g1", "--src", mac, "--dst", sink,
                "-n", "1"], check=True, stdout=subprocess.DEVNULL)
until(mac + " vlan 1 moved from p2 to p1")
os.write(fd, b"\x03")
until(r"# $")
os.write(fd, b"show bridge\r")
until(r"\bev\b")
os.write(fd, b"exit\r")
os.waitpid(pid, 0)
PY
}
check "interactive: monitor shows a move, Ctrl-C ends it, the shell goes on" \
	pty_monitor

# flapping: more than 3 moves in 60 s (p1 -> p2 -> p1 so far); a
# monitor with -j gets it as a JSON object on a line of its own
"$CLI" -j -s "$T/sock" -c "monitor mac address-table" >"$T/monitor.json" &
mon_pid=$!
# JSON has no banner: the daemon's debug log says it took the command
monitors() { [ "$(grep -c 'command: monitor mac' "$T/switchd.log")" -ge "$1" ]; }
check "JSON monitor started" wait_for 5 monitors 3
for i in g2 g1; do send "$i" "$M1"; done
check "flapping detected" \
	wait_for 5 logged "$M1 vlan 1 flapping between p2 and p1: 4 moves in 60 s"
check "the JSON monitor got it" wait_for 5 grep -q flapping "$T/monitor.json"
kill -INT "$mon_pid"
wait "$mon_pid"
mon_pid=
json_lines_ok() {
	python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert ev and all(e["category"] == "mac" for e in ev), ev
assert any("flapping" in e["message"] for e in ev)' "$T/monitor.json"
}
check "monitor -j: one JSON object a line" json_lines_ok
check "events go to the daemon's log too" \
	grep -q "mac: bridge ev: $M1 vlan 1 moved from p1 to p2" "$T/switchd.log"

# link down and up of a port, by name
ip link set g2 down
check "link down" wait_for 5 logged "p2 link down"
ip link set g2 up
check "link up" wait_for 5 logged "p2 link up"

# a configuration change: who (the peer's uid) and the command
cli -c configure -c "bridge ev" -c "port p2 learn-limit 2" >/dev/null
check "config change with uid and command" \
	logged "config uid $(id -u): (config-br-ev) port p2 learn-limit 2"
check_not "entering a bridge that is there changes nothing, and is no event" \
	logged "config uid $(id -u): bridge ev"

# the learn limit's refusals: said, with a count, not one per frame
for i in 1 2 3 4 5 6; do send g2 "02:00:00:0e:01:0$i"; done
check "learn-limit refusals said" \
	wait_for 5 logged "p2 refused [0-9]* new sources (learn limit 2"
check_eq "refusals said once, not per source" \
	"$(logging | grep -c 'p2 refused')" 1

# show logging last N: the newest N, in JSON too
n=$(cli -j -c "show logging last 2" |
	python3 -c 'import json,sys; print(len(json.load(sys.stdin)["log"]))')
check_eq "show logging last 2 shows 2" "$n" 2
last=$(cli -j -c "show logging" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["log"][-1]["seq"])')
first=$(cli -j -c "show logging last 2" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["log"][0]["seq"])')
check_eq "show logging last 2 starts at the newest but one" "$first" \
	$((last - 1))
check_not "show logging rejects last 0" cli -c "show logging last 0"

# the daemon stopped reading: the ring fills, events are dropped and
# counted, and every frame still arrives
lost_before=$(cli -j -c "show logging" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["lost"])')
N=20000
kill -STOP "$daemon_pid"
got=$("$PKTGEN" run -i g1 --src 02:00:00:0f:00:00 --src-macs $N --dst "$SINK" \
	-n $N --sink s3 -j |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["sinks"]["s3"])')
kill -CONT "$daemon_pid"
check_eq "no frame lost while events were" "$got" $N
lost() {
	cli -j -c "show logging" | python3 -c '
import json, sys
print(json.load(sys.stdin)["lost"])'
}
more_lost() { [ "$(lost)" -gt $((lost_before + 10000)) ]; }
check "events dropped are counted (of 20000, more than 10000)" \
	wait_for 5 more_lost
check "the loss is an event" wait_for 5 logged "datapath events lost"

# a port detached, by name (removed from the configuration, and its
# interface deleted)
cli -c configure -c "bridge ev" -c "no port p3" >/dev/null
check "port detached, by name" logged "bridge ev: p3 detached"
ip link del g2
check "port whose interface is deleted: by name" \
	wait_for 5 logged "bridge ev: p2 detached: interface deleted"

check "the flapping setting is in the running config" \
	sh -c "'$CLI' -s '$T/sock' -c 'show running-config' | grep -qx 'mac address-table flapping moves 3 window 60'"

# ageing (10 s, swept every second): the source learned first ages out
cli -c configure -c "bridge ev" -c "ageing-time 10" >/dev/null
check "aged out, with its port" \
	wait_for 15 logged "$MAGE vlan 1 aged out on p1"

# A bridge pinned by the first release has no ring buffer: opened by
# this build, it gets one ("new in this build", datapath/migrate.c), and
# its sources are events.
V1=${XBR_V1_BRIDGE:-tests/v1_bridge}
ip link add q1 type veth peer name r1
ip link add q2 type veth peer name r2
for i in q1 r1 q2 r2; do ip link set "$i" up; done
cli -c configure -c "bridge old" -c "port q1" -c "port q2" >/dev/null
daemon_stop
"$DPCTL" -r "$PIN" old destroy >/dev/null
if "$V1" "$PIN" old port q1 1 port q2 1 && [ ! -e "$PIN/old/events" ]; then
	daemon_start
	check "an old bridge opened again gets the events map" \
		wait_for 5 test -e "$PIN/old/events"
	wait_for 10 sh -c "ip link show q2 | grep -q xdp"
	send r1 02:00:00:0e:00:0b
	check "and reports its sources" \
		wait_for 5 logged "bridge old: 02:00:00:0e:00:0b vlan 1 learned on q1"
else
	not_ok "the first release's bridge is pinned, without events"
fi

finish
