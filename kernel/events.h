/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FDB events for the daemon (doc/events.md): a source learned, or moved to
 * another port, written to the bridge's ring buffer. Only the learning path
 * calls this; a full ring drops the event, counted, never the frame.
 */
#ifndef XBR_EVENTS_H
#define XBR_EVENTS_H

#include "maps.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, XBR_EVENTS_SIZE);
} events SEC(".maps") __weak;

static __always_inline void event_fdb(struct xbr_port_stats *st, __u8 type,
				      const struct xbr_fdb_key *k,
				      __u32 ifindex, __u32 old, __u64 now)
{
	struct xbr_event *e = NULL;

	/* A full ring (no reader, or one far behind, as under a flood of
	 * new sources) is seen without taking the ring's lock. */
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) <=
	    XBR_EVENTS_SIZE - 2 * sizeof(*e))
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		st->reserved[XBR_STAT_EVENTS_LOST]++;
		return;
	}
	e->time_ns = now;
	e->ifindex = ifindex;
	e->old_ifindex = old;
	__builtin_memcpy(e->mac, k->mac, 6);
	e->vid = k->vid;
	e->type = type;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	bpf_ringbuf_submit(e, 0);
}

#endif /* XBR_EVENTS_H */
