#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A smoke run of xbr-pktgen: a few thousand frames through the bare
# forwarder and through an xbr bridge reach the sink, all of them, and the
# xbr counters agree. Figures, not timings: nothing here measures speed.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
sandbox "$@"
PKTGEN=${XBR_PKTGEN:-tools/xbr-pktgen}
PIN=/sys/fs/bpf/xbr-t$$
trap 'kill $fwd 2>/dev/null; pins_remove' EXIT
trap 'exit 1' INT TERM HUP

ip link add gA type veth peer name pA
ip link add pB type veth peer name sB
for i in gA pA pB sB; do ip link set "$i" up; done
field() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }

check "--help" "$PKTGEN" --help
check_not "a bad option is refused" "$PKTGEN" run -i gA --size 9
check_not "a missing interface is refused" "$PKTGEN" run -i nosuch0 -n 10

"$PKTGEN" forward -i pA -o pB >/dev/null &
fwd=$!
wait_for 5 sh -c "ip link show pA | grep -q xdp"
out=$("$PKTGEN" run -i gA -n 5000 --sink sB -j)
check_eq "5000 frames injected through the bare forwarder" "$(field injected <<<"$out")" 5000
check_eq "and 5000 delivered" "$(field delivered <<<"$out")" 5000
kill $fwd
wait $fwd 2>/dev/null

"$DPCTL" -r "$PIN" pg create >/dev/null
"$DPCTL" -r "$PIN" pg port add pA >/dev/null
"$DPCTL" -r "$PIN" pg port add pB >/dev/null
"$DPCTL" -r "$PIN" pg fdb add 02:00:00:02:00:00 1 pB
out=$("$PKTGEN" run -i gA -n 4000 --src-macs 100 --sink sB -j)
check_eq "4000 frames from 100 sources delivered through xbr" "$(field delivered <<<"$out")" 4000
stats=$("$DPCTL" -r "$PIN" pg stats pA)
check_eq "xbr received them" "$(awk '$1 == "rx" {print $2}' <<<"$stats")" 4000
check_eq "and learned the 100 sources" "$(awk '/fdb-entries/ {print $2}' <<<"$stats")" 100
out=$("$PKTGEN" run -i gA -n 3000 --dst ff:ff:ff:ff:ff:ff --sink sB -j)
check_eq "broadcast is flooded to the other port" "$(field delivered <<<"$out")" 3000
finish
