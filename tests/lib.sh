# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the shell tests; sourced. A test calls sandbox "$@" first:
# it skips (77) without root and re-runs the test in a network namespace
# of its own, so the switch's ports never meet the host's interfaces.

passed=0
failed=0
DPCTL=${XBR_DPCTL:-tools/xbr-dpctl}
RAWPKT=${XBR_RAWPKT:-tests/rawpkt}

sandbox() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: needs root (BPF, network namespaces)"
		exit 77
	fi
	if [ -z "${XBR_SANDBOXED:-}" ]; then
		XBR_SANDBOXED=1 exec unshare -n -- "$0" "$@"
	fi
	ip link set lo up
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
