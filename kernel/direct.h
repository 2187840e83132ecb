/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Known unicast without the egress program (doc/datapath.md, "Unicast
 * without the egress program").
 *
 * The kernel runs a devmap egress program at a cost of its own, per frame,
 * whatever the program does. A known unicast frame needs none of it: the
 * ingress program has made the egress decision, so it makes the frame what
 * its port sends and redirects it by "tx_direct", whose entries have no
 * program. But a device's queue runs the program of the first frame queued
 * to it in a driver's poll for every frame queued with it until the poll
 * ends. So, per CPU ("poll_state"), a poll of a native port queues either
 * frames without the program or frames with it, never both:
 *  - any: a unicast frame went without the program; every unicast frame
 *    after it in the poll goes so too, a mirror's copy is not made, and a
 *    flood waits for the next poll: a CPUMAP entry of this CPU
 *    ("flood_defer"), whose thread floods it (xbr_flood_later);
 *  - flooded: a flood, a mirror's copy or a unicast frame went with the
 *    program; every unicast frame after it goes so too;
 *  - neither: a unicast frame goes without the program when the bridge
 *    lets it (XBR_CFG_F_DIRECT), else with it;
 *  - xbr_poll_end on the napi_poll tracepoint (fired when a driver's poll
 *    returns; the driver flushed the queues at its end) clears both.
 * A generic port's frames are sent at once, with no queue: they take the
 * program and leave the poll's record alone.
 * The xdp_devmap_xmit tracepoint counts what leaves without the program:
 * the ingress program queues each frame's length ("direct_queue").
 */
#ifndef XBR_DIRECT_H
#define XBR_DIRECT_H

#include "decide.h"

/* ifindex -> the port's device, no program: known unicast. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} tx_direct SEC(".maps") __weak;

/* CPU -> a queue whose thread floods what waited (xbr_flood_later).
 * Userspace sizes it for the CPUs there are. */
struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} flood_defer SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xbr_poll_state);
} poll_state SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct xbr_direct_queue);
} direct_queue SEC(".maps") __weak;

static __always_inline struct xbr_poll_state *poll_state_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&poll_state, &zero);
}

/* The bridge lets unicast leave without the egress program. */
static __always_inline int direct_on(void)
{
	struct xbr_bridge_cfg *cfg;
	__u32 zero = 0;

	cfg = bpf_map_lookup_elem(&bridge_cfg, &zero);
	return cfg && (cfg->flags & XBR_CFG_F_DIRECT);
}

/*
 * The poll's record of a frame from a native port, or NULL for a frame
 * that needs none (a trace, a generic port).
 */
static __always_inline struct xbr_poll_state *poll_of(__u32 in_flags,
						    int traced)
{
	if (traced || !(in_flags & XBR_PORT_F_NATIVE))
		return NULL;
	return poll_state_get();
}

/* How known unicast leaves in this poll: 1 without the program, 0 with
 * it (ps: poll_of()). */
static __always_inline int unicast_goes_direct(struct xbr_poll_state *ps)
{
	if (!ps)
		return 0;
	if (ps->any)
		return 1;
	return !ps->flooded && direct_on();
}

/* A frame through the egress program goes to a port's queue in this
 * poll (ps: poll_of(); the caller checked !ps->any). */
static __always_inline void poll_flooded(struct xbr_poll_state *ps)
{
	if (ps)
		ps->flooded = 1;
}

/*
 * Send known unicast for ep (the decision made) without the egress
 * program: XDP_REDIRECT; XDP_DROP, a tag that could not be written
 * (counted on ep); XDP_ABORTED, ep has no entry in tx_direct (a port
 * coming or going).
 */
static __always_inline int unicast_direct(struct xdp_md *ctx,
					  struct xbr_poll_state *ps,
					  const struct xbr_port *ep,
					  __u32 egress, const struct vclass *vc)
{
	struct xbr_port_stats *est;
	struct xbr_direct_queue *q;
	__u32 slot = ep->slot, len;

	if (slot >= XBR_MAX_PORTS)
		return XDP_ABORTED;
	q = bpf_map_lookup_elem(&direct_queue, &slot);
	if (!q)
		return XDP_ABORTED;
	/* the target first: a frame rewritten is never sent the usual way
	 * (the egress program would rewrite it again) */
	if (bpf_redirect_map(&tx_direct, egress, 0) != XDP_REDIRECT)
		return XDP_ABORTED;
	if (egress_rewrite(ctx, ep, vc)) {
		est = bpf_map_lookup_elem(&port_stats, &slot);
		if (est)
			est->drops[XBR_DROP_TAG_OP]++;
		return XDP_DROP;
	}
	len = ctx->data_end - ctx->data;
	if (q->epoch != ps->epoch) {
		q->epoch = ps->epoch;
		q->tail = q->head;
	}
	q->len[q->head & (XBR_DIRECT_QUEUE - 1)] = len;
	q->head++;
	ps->any = 1;
	return XDP_REDIRECT;
}

/*
 * May a flood (through the egress program) go out in this poll? 1: yes,
 * and the poll is marked flooded; 0: a port's queue holds frames without
 * the program, the flood waits (flood_later()). ps: poll_of().
 */
static __always_inline int flood_now(struct xbr_poll_state *ps)
{
	if (!ps)
		return 1;
	if (ps->any)
		return 0;
	ps->flooded = 1;
	return 1;
}

/* The flood to this CPU's flood_defer queue (its thread writes the
 * ingress port into its metadata: xbr_flood_later). ps: poll_of(). */
static __always_inline int flood_later(struct xbr_poll_state *ps,
				       __u32 ingress)
{
	ps->defer_in = ingress;
	return bpf_redirect_map(&flood_defer, bpf_get_smp_processor_id(), 0);
}

/* The ingress port of a frame in the egress program: a flood that waited
 * names it in its metadata, which goes (it is no one's beyond this
 * bridge); any other frame's is the context's. */
static __always_inline __u32 egress_ingress(struct xdp_md *ctx)
{
	/* read first, as it is: the verifier refuses a context field read
	 * through a pointer the compiler moved */
	__u32 in = *(volatile __u32 *)&ctx->ingress_ifindex;
	struct xbr_defer_meta *m = (void *)(long)ctx->data_meta;
	__u32 named;

	if (ctx->data - ctx->data_meta == sizeof(*m) &&
	    (void *)(m + 1) <= (void *)(long)ctx->data &&
	    m->magic == XBR_DEFER_MAGIC) {
		named = m->ingress;
		if (!bpf_xdp_adjust_meta(ctx, (int)sizeof(*m)))
			return named;
	}
	return in;
}

#endif /* XBR_DIRECT_H */
