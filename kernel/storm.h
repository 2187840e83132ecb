/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Storm control (doc/datapath.md): the floods a port receives, by kind
 * (broadcast, multicast, unknown unicast), pass a token bucket each, in
 * frames per second; the excess is dropped on ingress. Read only for a
 * port with XBR_PORT_F_STORM, and only for a frame about to be flooded:
 * known unicast never comes here.
 *
 * One bucket per port and kind, shared by every CPU (struct xbr_storm):
 * per-CPU buckets with a share of the rate each let through a share only
 * when the frames come in on one CPU (doc/performance.md).
 */
#ifndef XBR_STORM_H
#define XBR_STORM_H

#include "maps.h"
#include "parse.h"

/* slot -> the port's buckets. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct xbr_storm);
} storm SEC(".maps") __weak;

/* Compare-and-swap attempts before a frame is let through uncounted
 * against the bucket: another CPU moved tat each time, so frames are
 * passing; the bucket catches up with the next frame. */
#define STORM_CAS_TRIES 4

static __always_inline __u32 storm_kind(const __u8 *dmac)
{
	if (mac_is_broadcast(dmac))
		return XBR_STORM_BCAST;
	if (mac_is_multicast(dmac))
		return XBR_STORM_MCAST;
	return XBR_STORM_UNKNOWN;
}

/*
 * Whether a flood received on port goes over its kind's rate: 1 (drop it,
 * counted in st) or 0. GCRA: a frame passes when the bucket's theoretical
 * arrival time is no later than now plus the burst; it moves that time on
 * by one frame's share of a second. The coarse clock is enough: its tick
 * (1-10 ms) is well inside the burst of 100 ms, and the long-run rate
 * stays exact; it costs half of what bpf_ktime_get_ns() does here
 * (doc/performance.md). The burst is 100 ms, not less, because a loaded
 * machine stalls the receive path for longer than 10 ms at times: with a
 * burst of 10 ms, what passed fell to 84-96% of the limit then.
 */
static __noinline int storm_over(const struct xbr_port *port,
				 struct xbr_port_stats *st, const __u8 *dmac)
{
	__u32 kind = storm_kind(dmac), slot = port->slot;
	__u64 now, tat, next;
	struct xbr_storm *b;
	int i;

	b = bpf_map_lookup_elem(&storm, &slot);
	if (!b || kind >= XBR_STORM_KINDS || !b->interval[kind])
		return 0;
	now = bpf_ktime_get_coarse_ns();
	for (i = 0; i < STORM_CAS_TRIES; i++) {
		tat = b->tat[kind];
		if (tat > now + XBR_STORM_BURST_NS) {
			st->reserved[XBR_STAT_STORM + kind]++;
			return 1;
		}
		next = (tat > now ? tat : now) + b->interval[kind];
		if (__sync_val_compare_and_swap(&b->tat[kind], tat, next) ==
		    tat)
			break;
	}
	__sync_fetch_and_add(&b->passed[kind], 1);
	return 0;
}

#endif /* XBR_STORM_H */
