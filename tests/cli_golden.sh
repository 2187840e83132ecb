#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Golden transcripts: each tests/cli/NAME.in runs through `xbr-cli -t -f`
# against a fresh daemon, and the transcript must equal NAME.refout.
# XBR_REGOLD=1 writes the .refout files instead (review the diff!).
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"

daemon_sandbox
# The ports the transcripts use: e1..e3 (their peers f1..f3 are up).
veth_ports e f 3
# Addresses of their own, so that show interfaces status is the same
# every run.
for i in 1 2 3; do ip link set "e$i" address "02:00:00:00:0e:0$i"; done

for in in "$XBR_TESTS"/cli/*.in; do
	name=$(basename "$in" .in)
	rm -f "$T/config.db"* "$T/startup.conf"
	daemon_start
	cli -t -f "$in" >"$T/$name.out" 2>&1
	daemon_stop
	pins_remove
	if [ -n "${XBR_REGOLD:-}" ]; then
		cp "$T/$name.out" "${in%.in}.refout"
	fi
	if diff -u "${in%.in}.refout" "$T/$name.out"; then
		ok "transcript $name"
	else
		not_ok "transcript $name"
	fi
done
finish
