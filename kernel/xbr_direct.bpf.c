// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unicast without the egress program (kernel/direct.h): the end of a
 * driver's poll, and the thread that floods what waited for it.
 */
#include "direct.h"
#include <bpf/bpf_tracing.h>

/* The napi_poll tracepoint fires when a driver's poll returns, the
 * devices' queues flushed at its end (xdp_do_flush()) and their program
 * forgotten: this CPU's next poll starts from nothing. (An fentry program
 * on xdp_do_flush would say the same, but not every kernel lets tracing
 * programs attach to functions.) */
SEC("tp_btf/napi_poll")
int BPF_PROG(xbr_poll_end, void *napi, int work, int budget)
{
	struct xbr_poll_state *ps;

	/* budget 0: netpoll (netconsole), which may poll in the middle of
	 * a driver's own poll on this CPU, its queues not flushed */
	if (!budget)
		return 0;
	ps = poll_state_get();
	if (!ps)
		return 0;
	ps->epoch++;
	ps->flooded = 0;
	ps->any = 0;
	return 0;
}

/* A flood that waited and was lost after all: "redirect-failed" on its
 * ingress port, as a flood that could not be queued. */
static __always_inline int lost(__u32 ifindex)
{
	struct xbr_port_stats *st = stats_of(ifindex);

	if (st)
		__sync_fetch_and_add(&st->drops[XBR_DROP_REDIRECT], 1);
	return XDP_DROP;
}

/* A flood that waited: this CPU's flood_defer thread floods it as the
 * ingress program would have. Its context names the frame's own ingress
 * device, but the devices' queues of this thread's flush name the first
 * frame's for all: its ingress port goes into its metadata, which the
 * egress program reads and removes (egress_ingress()). Here the metadata
 * is valid whatever the receiving driver supports. */
SEC("xdp/cpumap")
int xbr_flood_later(struct xdp_md *ctx)
{
	__u32 in = *(volatile __u32 *)&ctx->ingress_ifindex;
	int old = (int)(ctx->data - ctx->data_meta);
	struct xbr_defer_meta *m;

	/* what the frame came with is no one's here (kernel/mirror.h) */
	if (old > 0 && bpf_xdp_adjust_meta(ctx, old))
		return lost(in);
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*m)))
		return lost(in);
	m = (void *)(long)ctx->data_meta;
	if ((void *)(m + 1) > (void *)(long)ctx->data)
		return lost(in);
	m->magic = XBR_DEFER_MAGIC;
	m->ingress = in;
	return bpf_redirect_map(&flood_ports, 0,
				BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
}

/* Floods that waited and found their CPU's queue full: lost, counted as
 * "redirect-failed" on their ingress port (one device's poll). */
SEC("tp_btf/xdp_cpumap_enqueue")
int BPF_PROG(xbr_defer_drops, int map_id, unsigned int processed,
	     unsigned int drops, int to_cpu)
{
	struct xbr_bridge_cfg *cfg;
	struct xbr_port_stats *st;
	struct xbr_poll_state *ps;
	__u32 zero = 0;

	cfg = bpf_map_lookup_elem(&bridge_cfg, &zero);
	if (!drops || !cfg || (__u32)map_id != cfg->flood_defer_id)
		return 0;
	ps = poll_state_get();
	st = ps ? stats_of(ps->defer_in) : NULL;
	if (st)
		st->drops[XBR_DROP_REDIRECT] += drops;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
