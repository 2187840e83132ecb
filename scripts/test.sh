#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The whole test suite: install dependencies, build, run `make check`.
# Run as root (the tests load BPF programs and make network namespaces).
set -e
top="$(cd "$(dirname "$0")/.." && pwd)"
"$top/scripts/deps.sh"
"$top/scripts/build.sh"
cd "$top"
rc=0
make -j"$(nproc)" check || rc=$?
# One closing line: "N passed, N failed, N skipped" counted by test program.
if [ -f test-suite.log ]; then
	pass=$(sed -n 's/^# PASS: *//p' test-suite.log)
	fail=$(sed -n 's/^# FAIL: *//p' test-suite.log)
	skip=$(sed -n 's/^# SKIP: *//p' test-suite.log)
	err=$(sed -n 's/^# ERROR: *//p' test-suite.log)
	[ "$rc" = 0 ] || cat test-suite.log
	echo "${pass:-0} passed, $((${fail:-0} + ${err:-0})) failed, ${skip:-0} skipped"
fi
exit $rc
