#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write doc/performance.md from the JSON of scripts/bench.sh:
   scripts/bench-doc.py bench.json > doc/performance.md
The profile in it was taken by hand (perf record, see the text) and is
kept here as measured data; take it again when the datapath changes."""
import json
import sys

# perf record -e cpu-clock -F 5000 -C 0 during one thread of known unicast
PROFILE_MPPS = 2.75
PROFILE = [  # symbol, share of the CPU
    ("`bpf_prog_..._xbr_ingress` (the program's own code, inlined array lookups included)", 16.1),
    ("FDB hash lookups: `lookup_nulls_elem_raw`, `htab_map_hash`, `__htab_map_lookup_elem`, `memcmp`", 11.5),
    ("`dev_hash_map_redirect` (unicast devmap)", 1.8),
    ("`bpf_ktime_get_coarse_ns` (learning timestamps)", 0.5),
]

b = json.load(open(sys.argv[1]))
m, rows, l, c = b["machine"], b["cases"], b["learning"], b["control_plane"]
by = {r["case"]: r for r in rows}
med = lambda name: by[name]["median_mpps"]
ceil1 = med("ceiling (bare XDP redirect)")
r1 = med("xbr known unicast") / med("Linux bridge")
r2 = med("xbr known unicast, 2 threads") / med("Linux bridge, 2 threads")
fdbr = 100 * med("xbr, FDB of 1,000,000, 1 source") / med("xbr, FDB of 1,000, 1 source")
b2 = med("xbr broadcast to 2 ports (all copies)")
b8 = med("xbr broadcast to 8 ports (all copies)")
cns = 1000 / ceil1
budget = cns / 9
need = 100 * 4 * med("Linux bridge") / ceil1
frame_ns = 1000 / PROFILE_MPPS
lookups_ns = PROFILE[1][1] / 100 * frame_ns

print("""# Performance

The figures below come from one run of `./scripts/bench.sh` (%(rounds)d
rounds of %(secs)g s per case, 64-byte frames) on this machine:

- %(cpu)s, %(cpus)d CPUs (a virtual machine shared with other work), Linux %(kernel)s
- every case on its own veth pairs with two queues, made so from the start:
  `xbr-pktgen` (BPF_PROG_RUN with live frames, XDP_TX) -> port A -> switch
  under test -> port B -> XDP sink; the rounds interleave the cases
- the Linux bridge with `bridge-nf-call-*` off and the destination as a
  static FDB entry; xbr with a static entry for the destination, learning,
  counters and VLAN handling on (ports in access mode, VLAN 1)

Run it again with `./scripts/bench.sh` (or `make bench`) and write this
page with `scripts/bench-doc.py bench.json > doc/performance.md`. The
numbers move by 10-20%% from run to run on this machine; the ratios within
one run are what to compare.

## Forwarding

| case | threads | median Mpps | min-max | of the ceiling |
| --- | --- | --- | --- | --- |""" % dict(rounds=m["rounds"], secs=m["seconds_per_trial"],
                                         cpu=m["cpu"], cpus=m["cpus"], kernel=m["kernel"]))
for r in rows:
    print("| %s | %d | %.3f | %.3f-%.3f | %s |" % (
        r["case"], r["threads"], r["median_mpps"], r["min_mpps"], r["max_mpps"],
        "%.1f%%" % (100 * r["ratio_to_ceiling"]) if r["ratio_to_ceiling"] else "-"))
print("""
- xbr against the Linux bridge: %.2fx with one generator thread, %.2fx with
  two.
- An FDB of 1,000,000 entries against one of 1,000: %.1f%% of the rate.
  65,536 active sources cost more: each frame's two lookups then miss the
  CPU cache.
- Broadcast counts every copy delivered: to 2 ports %.2f Mpps of copies
  (%.2f Mpps in), to 8 ports %.2f Mpps of copies.
""" % (r1, r2, fdbr, b2, b2 / 2, b8))
print("""## Address learning (RFC 2889, 5.8)

{:,} frames, each from a new source, at full rate: {:,} learned in
{:.3f} s, **{:,} new addresses per second**, {} frames lost between port
A's receive counter and the sink.
""".format(l["sources"], l["learned"], l["seconds"], l["learned_per_second"], l["lost"]))
print("""## Control plane

| figure | value |
| --- | --- |
| `show mac address-table` of 100,000 entries through `xbr-cli` | %.3f s |
| a startup file of 64 ports, from the daemon's start to every port attached | %.3f s |
| `bridge port add`, from the command to the first forwarded frame | %.2f ms |
| xbr-switchd resident memory with 1,000,000 FDB entries | %.1f MiB |
| ... after showing all 1,000,000 entries; the peak while showing them | %.1f MiB; %.1f MiB |

The table is sorted in place and streamed a part at a time as the client
reads it, so the peak is the sorted entries, not their text.
""" % (c["show_mac_100k_seconds"], c["startup_64_ports_seconds"],
       c["port_add_to_first_frame_ms"], c["rss_1m_entries_mib"],
       c["rss_1m_after_full_show_mib"], c["rss_peak_mib"]))
x1 = 100 * by["xbr known unicast"]["ratio_to_ceiling"]
x2 = 100 * by["xbr known unicast, 2 threads"]["ratio_to_ceiling"]
print("""## Targets

| target | result |
| --- | --- |
| xbr known unicast >= 90%% of the ceiling, 1 and 2 threads | **missed**: %.0f%% and %.0f%% |
| >= 4x the Linux bridge | %s with 1 thread (%.2fx), %s with 2 (%.2fx) |
| FDB of 1,000,000 >= 85%% of the rate with 1,000 | %s: %.1f%% |
| `show mac address-table` of 100,000 in < 1 s | %s: %.3f s |
""" % (x1, x2, "met" if r1 >= 4 else "**missed**", r1, "met" if r2 >= 4 else "**missed**", r2,
       "met" if fdbr >= 85 else "**missed**", fdbr,
       "met" if c["show_mac_100k_seconds"] < 1 else "**missed**", c["show_mac_100k_seconds"]))
print("""### Why 90%% of the ceiling cannot be reached on this topology

The ceiling program does one thing per frame: `bpf_redirect_map` on a
DEVMAP. Everything else in the ceiling's per-frame cost is the veth
pipeline (generator XDP_TX, veth NAPI, redirect flush, veth transmit, the
sink), about %.0f ns per frame at its rate in this run. 90%% of the ceiling
leaves a switch %.0f ns per frame on top of that.

`perf record -e cpu-clock -F 5000 -C 0` (this machine has no hardware
counters) while xbr forwarded one thread's known unicast at %.2f Mpps
(%.0f ns a frame), with the kernel's symbols for BPF programs:

| symbol | share | ns per frame |
| --- | --- | --- |""" % (cns, budget, PROFILE_MPPS, frame_ns))
for sym, share in PROFILE:
    print("| %s | %.1f%% | %.0f |" % (sym, share, share / 100 * frame_ns))
rest = 100 - sum(s for _, s in PROFILE)
print("| the veth pipeline, the generator and the sink (the rest) | %.0f%% | %.0f |" % (rest, rest / 100 * frame_ns))
print("""
The two FDB lookups are the least any learning switch does per frame: one
to learn or confirm the source, one to find the destination. They alone
take %.0f ns, more than the %.0f ns that 90%% allows, before the program has
parsed a header or counted a frame. `kernel.bpf_stats_enabled` says the
same from another side: 61 ns per run for the ceiling's program, 147 ns
for `xbr_ingress`, both with the cost of the measurement.

What was cut, measured this way: the port table became an array the
verifier inlines (it was a hash), unicast frames no longer run a devmap
egress program (the ingress program counts and tags them), and MAC keys
are built with two loads instead of twelve byte loads. Together these took
xbr from 58%% of the ceiling (the first measurement) to %.0f%% in this run.
The 4x-the-bridge target needs %.0f%% of the ceiling with one thread in this
run, so it stands or falls with the same arithmetic: %s""" % (
    lookups_ns, budget, x1, need,
    "it held with one thread (%.2fx) and %s with two (%.2fx)." % (
        r1, "held" if r2 >= 4 else "not", r2) if r1 >= 4 else
    "it was missed%s with one thread (%.2fx) and %s with two (%.2fx); other runs land on either side of 4x." % (
        " by a hair" if r1 >= 3.9 else "", r1, "held" if r2 >= 4 else "missed", r2)))
