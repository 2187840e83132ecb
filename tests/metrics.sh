#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Metrics (issue 14, item 4): off by default; metrics listen serves GET
# /metrics in the Prometheus text format, which python3-prometheus-client's
# parser reads; its figures are those of show interfaces counters after
# real frames; a port whose name needs escaping is labelled right; a bad
# request, a huge one and many idle connections leave the daemon serving;
# a bad address changes nothing; no metrics listen stops it.
#
#   h1 -- s1 == br0 == s2 -- h2, and a port named x"m\e
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c "import prometheus_client.parser" 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	echo "SKIP: needs python3-prometheus-client"
	exit 77
fi

hosts="1 2"
hosts_sandbox xme
ODD='x"m\e'
ip link add "$ODD" type veth peer name xme-peer

cat >"$T/startup.conf" <<'CONF'
bridge br0
 port s1
 port s2
 exit
CONF
daemon_start
conf() { cli -c configure -c "$@"; }
URL=http://127.0.0.1:9417/metrics

# scrape [URL]: the body, or fails.
scrape() {
	"$PY" -c "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())" "${1:-$URL}"
}
# status REQUEST-BYTES: the HTTP status line's code for a raw request.
status() {
	"$PY" - "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", 9417), timeout=5)
s.sendall(sys.argv[1].encode().decode("unicode_escape").encode("latin-1"))
print(s.recv(4096).split(b"\r\n")[0].split()[1].decode())
PY
}

check_not "off by default: nothing listens" scrape
check_not "a bad address is refused" conf "metrics listen 300.1.1.1 9417"
check_not "an address not on this host is refused" conf "metrics listen 192.0.2.200 9417"
check_not "and a port 0" conf "metrics listen 127.0.0.1 0"
check_not "and nothing of them is kept" grep -q metrics <<<"$(cli -c "show running-config")"
check "metrics listen 127.0.0.1 9417" conf "metrics listen 127.0.0.1 9417"
check "it answers" scrape
check_not "then an address not on this host is refused" conf "metrics listen 192.0.2.200 9417"
check "in the running config, as it was" grep -qx "metrics listen 127.0.0.1 9417" \
	<<<"$(cli -c "show running-config")"
check "and it still answers there" scrape
check "the port with an odd name joins" conf "bridge br0" -c "port $ODD"

if wait_for 10 ping_ok 1 2; then ok "h1 pings h2"; else not_ok "h1 pings h2"; fi
h 1 ping -c 5 -i 0.2 -q 192.0.2.2 >/dev/null

# The figures, once nothing moves: the counters shown before and after
# the scrape agree, and the scrape says the same.
cat >"$T/compare.py" <<'PY'
import json, sys
from prometheus_client.parser import text_string_to_metric_families as parse
text = open(sys.argv[1]).read()
shown = json.load(open(sys.argv[2]))
fams = {f.name: f for f in parse(text)}
bad = []
def val(fam, **labels):
    m = [s.value for s in fams[fam].samples
         if all(s.labels.get(k) == v for k, v in labels.items())]
    return m[0] if len(m) == 1 else None
for p in shown:
    for key, fam in [("rx_packets", "xbr_port_rx_packets"),
                     ("rx_bytes", "xbr_port_rx_bytes"),
                     ("tx_packets", "xbr_port_tx_packets"),
                     ("tx_bytes", "xbr_port_tx_bytes"),
                     ("flooded", "xbr_port_flooded"),
                     ("learn_events", "xbr_port_learned"),
                     ("mac_entries", "xbr_port_fdb_entries")]:
        got = val(fam, bridge=p["bridge"], port=p["ifname"])
        if got != p[key]:
            bad.append("%s %s: %s, shown %s" % (fam, p["ifname"], got, p[key]))
    for reason, n in p["drops"].items():
        got = val("xbr_port_drops", port=p["ifname"], reason=reason.replace("_", "-"))
        if got != n:
            bad.append("drops %s %s: %s, shown %s" % (p["ifname"], reason, got, n))
for name, fam in fams.items():
    if not fam.documentation or fam.type not in ("counter", "gauge"):
        bad.append("%s: no HELP or TYPE" % name)
    for s in fam.samples:
        if fam.type == "counter" and not s.name.endswith("_total"):
            bad.append("%s: a counter without _total" % s.name)
print("; ".join(bad) or "same")
PY
figures() {
	cli -j -c "show interfaces counters" >"$T/a.json" &&
		scrape >"$T/m.txt" &&
		cli -j -c "show interfaces counters" >"$T/b.json" &&
		cmp -s "$T/a.json" "$T/b.json" &&
		[ "$("$PY" "$T/compare.py" "$T/m.txt" "$T/a.json")" = same ]
}
if wait_for 10 figures; then ok "the scrape parses and its figures are show interfaces counters'"
else not_ok "the scrape against show interfaces counters: $("$PY" "$T/compare.py" "$T/m.txt" "$T/a.json")"; fi
check "h1's frames are counted" grep -Eq '^xbr_port_rx_packets_total\{bridge="br0",port="s1"\} [1-9]' "$T/m.txt"
check "the odd name is escaped in its label" grep -qF 'port="x\"m\\e"' "$T/m.txt"
check "FDB size: two hosts learned" grep -qx 'xbr_bridge_fdb_entries{bridge="br0"} 2' "$T/m.txt"
check "FDB capacity" grep -qx 'xbr_bridge_fdb_capacity{bridge="br0"} 65536' "$T/m.txt"
check "ports of the bridge" grep -qx 'xbr_bridge_ports{bridge="br0"} 3' "$T/m.txt"
check "drops by reason" grep -q '^xbr_port_drops_total{bridge="br0",port="s1",reason="invalid-source"} 0$' "$T/m.txt"
check "slow-path figures" grep -q '^# TYPE xbr_slowpath_drops_total counter$' "$T/m.txt"
cli -c "clear counters" >/dev/null
check "clear counters resets no metric (counters only go up)" \
	grep -Eq '^xbr_port_rx_packets_total\{bridge="br0",port="s1"\} [1-9]' <<<"$(scrape)"

check_eq "a bad request: 400" "$(status 'NONSENSE\r\n\r\n')" 400
check_eq "another method: 405" "$(status 'POST /metrics HTTP/1.1\r\n\r\n')" 405
check_eq "another path: 404" "$(status 'GET /config HTTP/1.1\r\n\r\n')" 404
check_eq "a huge request: 431" "$("$PY" - <<'PY'
import socket
s = socket.create_connection(("127.0.0.1", 9417), timeout=5)
try:
    s.sendall(b"GET /metrics HTTP/1.1\r\nX: " + b"a" * 1000000)
except OSError:
    pass
print(s.recv(4096).split(b"\r\n")[0].split()[1].decode())
PY
)" 431
check "many idle connections, and a scrape still answers" "$PY" - <<'PY'
import socket, urllib.request
idle = [socket.create_connection(("127.0.0.1", 9417)) for _ in range(64)]
body = urllib.request.urlopen("http://127.0.0.1:9417/metrics", timeout=5).read()
assert b"xbr_port_rx_packets_total" in body
PY
check "the daemon serves the shell still" cli -c "show bridge"
check "and the metrics" scrape

check "no metrics listen" conf "no metrics listen"
check_not "nothing listens any more" scrape
check_not "nor is it in the running config" grep -q metrics <<<"$(cli -c "show running-config")"
finish
