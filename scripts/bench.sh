#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The benchmarks: install, build, then run scripts/bench.py in a network
# namespace of its own. Options go to bench.py (--rounds, --seconds,
# --json FILE, --quick, --budget-only). Run as root; it takes a few minutes.
# XBR_BENCH_PIN moves its bpffs pins (default /sys/fs/bpf/xbr-bench);
# XBR_BENCH_TOP measures the binaries of another build tree.
set -e
top="$(cd "$(dirname "$0")/.." && pwd)"
"$top/scripts/deps.sh"
"$top/scripts/build.sh" >/dev/null
pin="${XBR_BENCH_PIN:-/sys/fs/bpf/xbr-bench}"
export XBR_BENCH_PIN="$pin"
cleanup() {
	rm -rf "$pin" "$pin-d"
}
trap cleanup EXIT
cleanup
unshare -n python3 "$top/scripts/bench.py" "$@"
