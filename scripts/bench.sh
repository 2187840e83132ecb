#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The benchmarks: install, build, then run scripts/bench.py in a network
# namespace of its own. Options go to bench.py (--rounds, --seconds,
# --json FILE, --quick). Run as root; it takes a few minutes.
set -e
top="$(cd "$(dirname "$0")/.." && pwd)"
"$top/scripts/deps.sh"
"$top/scripts/build.sh" >/dev/null
cleanup() {
	rm -rf /sys/fs/bpf/xbr-bench /sys/fs/bpf/xbr-bench-d
}
trap cleanup EXIT
cleanup
unshare -n python3 "$top/scripts/bench.py" "$@"
