#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The interactive shell through a pseudo-terminal (tests/cli_pty.py).
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }

daemon_sandbox
veth_ports e f 3
daemon_start
python3 "$XBR_TESTS/cli_pty.py" "$CLI" "$T/sock"
