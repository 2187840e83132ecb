# SPDX-License-Identifier: GPL-2.0-only
# Spanning tree peers for the interoperation tests (sourced after lib.sh):
# Linux bridges with kernel STP, Open vSwitch bridges with RSTP (the
# userspace datapath, an ovsdb-server and ovs-vswitchd of the test's own
# under $T/ovs), and the checks of a ring that all of them share.
#
# Timers everywhere: hello 1 s, forward delay 4 s, max age 6 s (the
# smallest the standard allows together: 2 * (fd - 1) >= max age >=
# 2 * (hello + 1)). Path cost 2000 on every ring link (802.1D-2004's cost
# of 10 Gb/s, what a veth reports), so that the Linux bridge's 802.1D-1998
# default (2) does not skew the tree.

STP_HELLO=1
STP_FD=4
STP_MAXAGE=6
STP_COST=2000

# Canonical bridge id, "PRIORITY/MAC" with the priority in decimal, of the
# forms the three bridges print: "1000.2:0:0:0:0:c" (Linux),
# "1.000.020000000001" (OVS), "4096.02:00:00:00:00:01" or
# "1000.0200.0000.0001" (xbr, either way).
bid_norm() {
	python3 - "$1" <<'PY'
import re, sys
s = sys.argv[1].strip().strip('"').lower()
m = re.fullmatch(r'([0-9a-f]+)\.([0-9a-f]{3})\.([0-9a-f]{12})', s)
if m:  # OVS
    prio, mac = int(m[1], 16) << 12 | int(m[2], 16), m[3]
else:
    prio, rest = re.split(r'[./]', s, maxsplit=1)
    parts = re.split(r'[:.-]', rest)
    mac = ''.join(p.rjust(2, '0') for p in parts) if len(parts) == 6 \
        else ''.join(parts).rjust(12, '0')
    # priorities are multiples of 4096: "1000" is hexadecimal, "4096" not
    try:
        hexa = int(prio, 16)
    except ValueError:
        hexa = 1
    prio = hexa if hexa % 4096 == 0 else int(prio)
print('%d/%s' % (prio, ':'.join(mac[i:i + 2] for i in range(0, 12, 2))))
PY
}

# --- Linux bridge (kernel STP, 802.1D-1998) ---

# lb_add NAME PRIORITY MAC: a Linux bridge with kernel STP, up.
lb_add() {
	ip link add "$1" type bridge stp_state 1 priority "$2" \
		hello_time $((STP_HELLO * 100)) forward_delay $((STP_FD * 100)) \
		max_age $((STP_MAXAGE * 100))
	ip link set "$1" address "$3"
	ip link set "$1" up
}

# lb_port BRIDGE IFNAME: IFNAME a port of the Linux bridge, ring cost.
lb_port() {
	ip link set "$2" master "$1"
	bridge link set dev "$2" cost "$STP_COST"
}

# lb_info BRIDGE FILE: a value of the bridge's STP from its sysfs
# directory (root_id, bridge_id, root_port, brif/IFNAME/port_no ...), read
# through a sysfs of this network namespace (iproute2 6.1 prints the
# bridge's own id as its root id).
lb_info() {
	unshare -m sh -c 'mount -t sysfs xsx /sys && cat "/sys/class/net/$1/bridge/$2" 2>/dev/null ||
		cat "/sys/class/net/$1/$2"' sh "$1" "$2"
}

# lb_state IFNAME: the Linux bridge port's state (blocking, listening,
# learning, forwarding, disabled).
lb_state() {
	bridge -j link show dev "$1" | python3 -c \
		"import json,sys; print(json.load(sys.stdin)[0]['state'])"
}

# The bridge netfilter hooks would drop bridged IP (DESIGN.md); off, when
# the module is there at all.
lb_nf_off() {
	local k
	for k in iptables ip6tables arptables; do
		sysctl -qw "net.bridge.bridge-nf-call-$k=0" 2>/dev/null || :
	done
}

# --- Open vSwitch (RSTP, userspace datapath) ---

have_ovs() {
	command -v ovs-vswitchd >/dev/null && command -v ovsdb-server >/dev/null &&
		command -v ovsdb-tool >/dev/null && command -v ovs-vsctl >/dev/null &&
		[ -f /usr/share/openvswitch/vswitch.ovsschema ]
}

# ovs_start: ovsdb-server and ovs-vswitchd of this test, all their files
# under $T/ovs; ovs_stop (on every exit path) ends both.
ovs_start() {
	OVSD=$T/ovs
	mkdir -p "$OVSD"
	export OVS_RUNDIR=$OVSD OVS_LOGDIR=$OVSD OVS_DBDIR=$OVSD \
		OVS_SYSCONFDIR=$OVSD OVS_PKGDATADIR=/usr/share/openvswitch
	ovsdb-tool create "$OVSD/conf.db" \
		/usr/share/openvswitch/vswitch.ovsschema || return 1
	ovsdb-server "$OVSD/conf.db" --remote="punix:$OVSD/db.sock" \
		--unixctl="$OVSD/ovsdb-server.ctl" \
		--log-file="$OVSD/ovsdb-server.log" 2>/dev/null &
	ovsdb_pid=$!
	wait_for 10 test -S "$OVSD/db.sock" || return 1
	vs --no-wait init || return 1
	ovs-vswitchd "unix:$OVSD/db.sock" --unixctl="$OVSD/ovs-vswitchd.ctl" \
		--log-file="$OVSD/ovs-vswitchd.log" 2>/dev/null &
	vswitchd_pid=$!
	wait_for 10 test -S "$OVSD/ovs-vswitchd.ctl"
}

ovs_stop() {
	local p
	for p in ${vswitchd_pid:-} ${ovsdb_pid:-}; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	vswitchd_pid=
	ovsdb_pid=
}

vs() { ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=20 "$@"; }

# ovs_add NAME PRIORITY MAC: an OVS bridge of the userspace datapath
# with RSTP.
ovs_add() {
	vs add-br "$1" -- set bridge "$1" datapath_type=netdev \
		rstp_enable=true other_config:rstp-priority="$2" \
		other_config:rstp-address="$3" \
		other_config:rstp-forward-delay="$STP_FD" \
		other_config:rstp-max-age="$STP_MAXAGE"
}

# ovs_port BRIDGE IFNAME: IFNAME a port of the OVS bridge; a host's
# port (s*) is an edge port.
ovs_port() {
	local edge=false
	case $2 in s*) edge=true ;; esac
	vs add-port "$1" "$2" -- set port "$2" \
		other_config:rstp-path-cost="$STP_COST" \
		other_config:rstp-port-admin-edge=$edge
}

# ovs_port_status IFNAME KEY: rstp_port_role, rstp_port_state, ...
ovs_port_status() { vs get port "$1" "rstp_status:$2" | tr -d '"'; }

# ovs_state IFNAME: the OVS port's state as ring_states counts it.
ovs_state() { peer_state "$(ovs_port_status "$1" rstp_port_state)"; }

# ovs_bridge_status BRIDGE KEY: rstp_root_id, rstp_bridge_id, ...
ovs_bridge_status() { vs get bridge "$1" "rstp_status:$2" | tr -d '"'; }

# --- a ring's checks, whatever its bridges ---

# ring_make: the links of the ring A - B - C - A of the tests' picture,
# r1a-r1b, r2b-r2c, r3c-r3a, up; the ports of A, B and C with the hosts'.
ring_make() {
	local l
	ip link add r1a type veth peer name r1b
	ip link add r2b type veth peer name r2c
	ip link add r3c type veth peer name r3a
	for l in r1a r1b r2b r2c r3c r3a; do ip link set "$l" up; done
	ring_ports="r1a r1b r2b r2c r3c r3a"
	bridge_a="s1 r1a r3a"
	bridge_b="s2 r1b r2b"
	bridge_c="s3 r2c r3c"
}

# ring_peers lb|ovs A B C: the ring of three Linux or OVS bridges named
# A (priority 4096, the root), B (8192) and C (12288) on the ring's links.
ring_peers() {
	local kind=$1 p
	${kind}_add "$2" 4096 02:00:00:00:00:01
	${kind}_add "$3" 8192 02:00:00:00:00:02
	${kind}_add "$4" 12288 02:00:00:00:00:03
	for p in $bridge_a; do ${kind}_port "$2" "$p"; done
	for p in $bridge_b; do ${kind}_port "$3" "$p"; done
	for p in $bridge_c; do ${kind}_port "$4" "$p"; done
}

# Ring ports are named by the caller; port_state IFNAME prints one of
# "forwarding", "discarding" (blocking, listening, alternate...),
# "learning". The caller defines it for its ring's members.

# ring_states: "IFNAME:state ..." of the ring ports $ring_ports.
ring_states() {
	local p s=
	for p in $ring_ports; do s="$s $p:$(port_state "$p")"; done
	echo "${s# }"
}

# ring_settled: exactly one ring port discarding, all others forwarding.
ring_settled() {
	local st
	st=$(ring_states)
	echo "$st" >"$T/ring_states"
	[ "$(grep -o ':discarding' <<<"$st" | wc -l)" = 1 ] &&
		[ "$(grep -o ':forwarding' <<<"$st" | wc -l)" = \
			$(($(wc -w <<<"$ring_ports") - 1)) ]
}

# ring_stable: settled, and the same for two seconds more (two hellos of
# the ring's timers): a ring passes through a settled-looking state on the
# way to another (a new root's information still on its way round), and
# what the checks judge is where it stays.
ring_stable() {
	local a
	ring_settled || return 1
	a=$(cat "$T/ring_states")
	sleep 1
	ring_settled && [ "$(cat "$T/ring_states")" = "$a" ] || return 1
	sleep 1
	ring_settled && [ "$(cat "$T/ring_states")" = "$a" ]
}

# ring_blocked: the one discarding ring port.
ring_blocked() { ring_states | tr ' ' '\n' | sed -n 's/:discarding$//p'; }

# bcast_once FROM: one broadcast frame sent by host FROM reaches every
# other host of $hosts exactly once (a loop would bring it again and
# again), and not FROM itself.
bcast_once() {
	local i n bad=0 from=$1 pids=
	for i in $hosts; do
		rm -f "$T/bready$i"
		h "$i" "$RAWPKT" count eth0 ff:ff:ff:ff:ff:ff 1500 \
			"$T/bready$i" >"$T/bcount$i" &
		pids="$pids $!"
	done
	for i in $hosts; do wait_for 5 test -f "$T/bready$i"; done
	h "$from" "$RAWPKT" send eth0 ff:ff:ff:ff:ff:ff "$(mac_of "$from")" 1
	# shellcheck disable=SC2086
	wait $pids
	for i in $hosts; do
		n=$(cat "$T/bcount$i")
		echo "host $i received the broadcast $n times"
		if [ "$i" = "$from" ]; then
			[ "$n" = 0 ] || bad=1
		else
			[ "$n" = 1 ] || bad=1
		fi
	done
	return $bad
}

# pings_all: every host of $hosts pings every other.
pings_all() {
	local i j
	for i in $hosts; do
		for j in $hosts; do
			[ "$i" = "$j" ] && continue
			wait_for 10 ping_ok "$i" "$j" || {
				echo "h$i does not reach h$j: $(ring_states)"
				return 1
			}
		done
	done
}

# --- xbr (show spanning-tree -j) ---

# xbr_stp BRIDGE KEY [PORT]: a value of xbr's spanning tree of BRIDGE
# (KEY root_id, bridge_id, root_port, ...) or of its port PORT (KEY role,
# state, protocol, malformed, ...), from show spanning-tree -j; empty when
# there is no such value.
xbr_stp() {
	cli -j -c "show spanning-tree bridge $1 detail" | python3 -c '
import json, sys
d = json.load(sys.stdin)
br, key, port = sys.argv[1], sys.argv[2], sys.argv[3]
def named(o, name):
    return isinstance(o, dict) and name in (o.get("bridge"), o.get("name"),
                                            o.get("port"), o.get("interface"),
                                            o.get("ifname"))
def find(o, name):
    if named(o, name):
        return o
    for v in (o.values() if isinstance(o, dict) else
              o if isinstance(o, list) else ()):
        f = find(v, name)
        if f is not None:
            return f
    return None
b = find(d, br) or (d[0] if isinstance(d, list) and d else d)
o = find(b, port) if port else b
v = o.get(key) if isinstance(o, dict) else None
if v is None and isinstance(o, dict):
    for k in o:
        if isinstance(o[k], dict) and key in o[k]:
            v = o[k][key]
print("" if v is None else str(v).lower())
' "$1" "$2" "${3:-}"
}

# xbr_state IFNAME: the xbr port's state as ring_states counts it.
xbr_state() {
	local s
	s=$(xbr_stp "$(xbr_bridge_of "$1")" state "$1")
	case $s in
	blocking | listening | discarding) echo discarding ;;
	*) echo "$s" ;;
	esac
}

# peer_state WORD: a peer's port state as ring_states counts it.
peer_state() {
	case $1 in
	forwarding | Forwarding) echo forwarding ;;
	learning | Learning) echo learning ;;
	*) echo discarding ;;
	esac
}

# ring_converge WHAT SECONDS [BLOCKED]: wait until the ring settles and
# stays (with BLOCKED its one discarding port); passes or fails WHAT, with
# the time.
ring_converge() {
	local start want=${3:-}
	start=$(date +%s)
	# (eval runs in wait_for: the blocked port by a variable, not $3)
	if wait_for "$2" eval 'ring_stable && { [ -z "$want" ] ||
		tr " " "\n" <"$T/ring_states" | grep -qx "$want:discarding"; }'; then
		ok "$1: the ring settles ($(cat "$T/ring_states")) in $(($(date +%s) - start)) s"
	else
		not_ok "$1: the ring settles${3:+ with $3 blocked}: $(cat "$T/ring_states")"
	fi
}

# xconf BRIDGE COMMAND...: configure xbr's BRIDGE.
xconf() {
	local b=$1 a=() c
	shift
	for c in "$@"; do a+=(-c "$c"); done
	cli -c configure -c "bridge $b" "${a[@]}"
}

# xbr_add NAME PRIORITY PORT...: an xbr bridge with RSTP, the ring's
# timers, hosts' ports (s*) edge, ring ports of the ring's cost.
xbr_add() {
	local b=$1 prio=$2 p
	shift 2
	check "bridge $b: spanning tree with short timers" xconf "$b" \
		"spanning-tree mode rstp" "spanning-tree priority $prio" \
		"spanning-tree max-age $STP_MAXAGE" \
		"spanning-tree hello-time $STP_HELLO" \
		"spanning-tree forward-delay $STP_FD"
	for p in "$@"; do
		case $p in
		s*) check "bridge $b: port $p, edge" xconf "$b" "port $p" \
			"port $p spanning-tree edge" ;;
		*) check "bridge $b: port $p, cost $STP_COST" xconf "$b" \
			"port $p" "port $p spanning-tree cost $STP_COST" ;;
		esac
	done
}

# xbr_ring_start: the daemon, with bridges xa (priority 8192, ports
# $bridge_a) and xb (12288, $bridge_b). Fails the test when spanning
# tree cannot be turned on.
xbr_ring_start() {
	daemon_start
	if ! xconf xa "spanning-tree mode rstp" >"$T/mode.out" 2>&1; then
		not_ok "spanning-tree mode rstp refused: $(cat "$T/mode.out")"
		finish
		exit 1
	fi
	# shellcheck disable=SC2086
	xbr_add xa 8192 $bridge_a
	# shellcheck disable=SC2086
	xbr_add xb 12288 $bridge_b
}

xbr_bridge_of() {
	case " $bridge_a " in *" $1 "*) echo xa ;; esac
	case " $bridge_b " in *" $1 "*) echo xb ;; esac
	case " $bridge_c " in *" $1 "*) echo xc ;; esac
}
xbr_root() { bid_norm "$(xbr_stp "$1" root_id)"; }

# flooded: the frames xbr's ports have flooded, all added up.
flooded() {
	cli -j -c "show interfaces counters" | python3 -c '
import json, sys
def walk(o):
    if isinstance(o, dict):
        return sum(v if k == "flooded" and isinstance(v, int) else walk(v)
                   for k, v in o.items())
    return sum(walk(v) for v in o) if isinstance(o, list) else 0
print(walk(json.load(sys.stdin)))'
}

# flood_still: within 10 s, the flood counters stay the same for half a
# second (a frame circling a loop is flooded again and again).
flood_same() {
	local a b
	a=$(flooded)
	sleep 0.5
	b=$(flooded)
	echo "flooded: $a then $b"
	[ -n "$a" ] && [ "$a" = "$b" ]
}
flood_still() { wait_for 10 flood_same; }

# check_why DESCRIPTION COMMAND...: check, with what the command said
# when it fails.
check_why() {
	local what=$1
	shift
	if "$@" >"$T/why" 2>&1; then ok "$what"; else not_ok "$what: $(cat "$T/why")"; fi
}

# xbr_ring_checks WHAT: no loop and pings with the xbr bridges. A
# broadcast from every host first: it shows no loop from each place, and
# every bridge learns where each host is now (a peer may hold an entry of
# a path the tree used a moment while it converged: the Linux bridge ages
# those only while its topology change lasts, which short timers make a
# race).
xbr_ring_checks() {
	local i
	for i in $hosts; do
		check_why "$1: a broadcast from h$i reaches each host once" \
			bcast_once "$i"
	done
	check_why "$1: the flood counters stop growing" flood_still
	check_why "$1: pings all round" pings_all
}
