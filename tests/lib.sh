# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the shell tests; sourced. A test calls sandbox "$@" first:
# it skips (77) without root and re-runs the test in a network namespace
# of its own, so the switch's ports never meet the host's interfaces.

passed=0
failed=0
DPCTL=${XBR_DPCTL:-tools/xbr-dpctl}
RAWPKT=${XBR_RAWPKT:-tests/rawpkt}
SWITCHD=${XBR_SWITCHD:-switchd/xbr-switchd}
CLI=${XBR_CLI:-cli/xbr-cli}

sandbox() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: needs root (BPF, network namespaces)"
		exit 77
	fi
	if [ -z "${XBR_SANDBOXED:-}" ]; then
		XBR_SANDBOXED=1 exec unshare -n -u -- "$0" "$@"
	fi
	ip link set lo up
	hostname xbr-test
	# No IPv6: its neighbour discovery would be learned and counted.
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	sysctl -qw net.ipv6.conf.default.disable_ipv6=1
}

# The place of a daemon test: $T for its files, $PIN for its datapaths,
# removed with the daemon on exit. A test that makes more sets cleanup_more.
daemon_sandbox() {
	T=$(mktemp -d)
	PIN=/sys/fs/bpf/xbr-t$$
	trap 'daemon_stop; pins_remove; ${cleanup_more:-:}; rm -rf "$T"' EXIT
	trap 'exit 1' INT TERM HUP
}

# Veth pairs ${1}1..${1}N with peers ${2}1..${2}N, all up.
veth_ports() {
	local i
	for i in $(seq 1 "$3"); do
		ip link add "$1$i" type veth peer name "$2$i"
		ip link set "$1$i" up
		ip link set "$2$i" up
	done
}

# A daemon of the test's own: store, socket, startup file and pin root
# under $T and $PIN (see daemon_sandbox).
daemon_start() {
	"$SWITCHD" -v -d "$T/config.db" -s "$T/sock" -c "$T/startup.conf" \
		-p "$PIN" "$@" 2>>"$T/switchd.log" &
	daemon_pid=$!
	wait_for 30 test -S "$T/sock"
}

daemon_stop() {
	[ -n "${daemon_pid:-}" ] || return 0
	kill "${1:--TERM}" "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null
	daemon_pid=
	rm -f "$T/sock"
}

cli() {
	"$CLI" -s "$T/sock" "$@"
}

# Remove every pinned bridge under $PIN, and $PIN.
pins_remove() {
	local b
	for b in "$PIN"/*; do
		[ -d "$b" ] && "$DPCTL" -r "$PIN" "$(basename "$b")" destroy >/dev/null 2>&1
	done
	rm -rf "$PIN"
}

ok() {
	passed=$((passed + 1))
	echo "ok - $*"
}

not_ok() {
	failed=$((failed + 1))
	echo "FAIL - $*"
}

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$what"; else not_ok "$what"; fi
}

# check_not DESCRIPTION COMMAND...: passes when the command fails.
check_not() {
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then not_ok "$what"; else ok "$what"; fi
}

# check_eq DESCRIPTION GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: got '$2', want '$3'"; fi
}

# wait_for SECONDS COMMAND...: poll until the command succeeds.
wait_for() {
	local until=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$until" ] && return 1
		sleep 0.1
	done
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}

# Test hosts: host N lives in the namespace $HOSTNS-hN, with eth0 at
# 192.0.2.N/24 (IPv6 off); its veth peer sN, up, is here to become a port.
# A test sets HOSTNS (unique per run) and hosts (the list of N).
h() { ip netns exec "$HOSTNS-h$1" "${@:2}"; }
mac_of() { h "$1" cat /sys/class/net/eth0/address; }
ping_ok() { h "$1" ping -c 1 -W 1 "192.0.2.$2"; }

host_link() {
	ip link add "s$1" type veth peer name eth0 netns "$HOSTNS-h$1"
	ip link set "s$1" up
	h "$1" ip addr add "192.0.2.$1/24" dev eth0
	h "$1" ip link set eth0 up
}

hosts_make() {
	local i
	for i in $hosts; do
		ip netns add "$HOSTNS-h$i"
		h "$i" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		h "$i" ip link set lo up
		host_link "$i"
	done
}

# A daemon test with the hosts $hosts (hosts_make), their namespaces and
# the daemon's pins named with PREFIX (and the test's pid), all removed on
# exit: hosts_sandbox PREFIX.
hosts_sandbox() {
	HOSTNS=$1$$
	cleanup_more=hosts_remove
	daemon_sandbox
	PIN=/sys/fs/bpf/$1-t$$
	hosts_make
}

hosts_remove() {
	local i
	for i in $hosts; do ip netns del "$HOSTNS-h$i" 2>/dev/null; done
}

# seen SENDER DST COUNT SEND_TAGS -- WANT_TAGS_1 ... WANT_TAGS_N: how
# many of COUNT frames from host SENDER to DST (tagged SEND_TAGS, as
# rawpkt takes them, or untagged) each of the hosts $hosts (1 to N)
# receives with the tags it wants; "-" for a host that must get nothing.
seen() {
	local src=$1 dst=$2 n=$3 tags=$4 i out=""
	shift 5
	for i in $hosts; do
		rm -f "$T/ready$i"
		local want=${!i}
		if [ "$want" = - ]; then
			h "$i" "$RAWPKT" count eth0 "$dst" 800 "$T/ready$i" >"$T/count$i" &
		else
			h "$i" "$RAWPKT" count eth0 "$dst" 800 "$T/ready$i" "$want" >"$T/count$i" &
		fi
	done
	for i in $hosts; do wait_for 5 test -e "$T/ready$i"; done
	if [ "$tags" = untagged ]; then
		h "$src" "$RAWPKT" send eth0 "$dst" "$(mac_of "$src")" "$n"
	else
		h "$src" "$RAWPKT" send eth0 "$dst" "$(mac_of "$src")" "$n" "$tags"
	fi
	wait
	for i in $hosts; do out="$out $(cat "$T/count$i")"; done
	echo $out
}
