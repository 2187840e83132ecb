// SPDX-License-Identifier: GPL-2.0-only
/*
 * The devmap egress program of every port, in both devmaps (unicast and
 * flood): runs once per frame a port sends, when the redirect is flushed.
 * The frame is as it was received: its VLAN is derived again from the
 * ingress port (ctx->ingress_ifindex is the receiving device, in native
 * and in generic mode, and after the slow path's CPU) and the frame, and
 * egress_decide() drops it at a port outside the VLAN (a flooded copy) or
 * makes it what the port sends. It counts what the port sends.
 */
#include "decide.h"

/* What this flush did, for the xdp_devmap_xmit tracepoint
 * (xbr_losses.bpf.c): a frame dropped here, or passed with its length. */
static __always_inline void xmit_note(__u32 out, __u32 len, int passed)
{
	struct xbr_xmit_scratch *x;
	__u32 zero = 0;

	x = bpf_map_lookup_elem(&xmit_scratch, &zero);
	if (!x)
		return;
	if (x->ifindex != out) {
		x->ifindex = out;
		x->filtered = 0;
		x->passed = 0;
	}
	if (!passed) {
		x->filtered++;
		return;
	}
	if (x->passed < XBR_XMIT_BULK)
		x->len[x->passed] = len;
	x->passed++;
}

SEC("xdp/devmap")
int xbr_egress(struct xdp_md *ctx)
{
	struct cursor c = {
		.pos = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	__u32 in = ctx->ingress_ifindex, out = ctx->egress_ifindex;
	struct xbr_port_stats *st;
	struct xbr_port *ip, *ep;
	struct vclass vc;
	struct l2 l2 = {};
	int reason;
	__u32 len;

	ep = bpf_map_lookup_elem(&ports, &out);
	ip = bpf_map_lookup_elem(&ports, &in);
	if (!ep || !(ep->flags & XBR_PORT_F_ENABLED) || !ip ||
	    !(ip->flags & XBR_PORT_F_ENABLED) || parse_l2(&c, &l2) < 0 ||
	    vlan_classify(ip, &l2, &vc)) {
		/* the ingress program let it pass: a race with a change */
		xmit_note(out, 0, 0);
		return XDP_DROP;
	}
	reason = egress_decide(ctx, ep, &vc);
	st = bpf_map_lookup_elem(&port_stats, &ep->slot);
	if (!st || reason) {
		/* Outside the port's VLANs, a port down or blocked, an isolated
		 * port for a frame of another, a flood the port refuses:
		 * outside the flood domain, no loss (a unicast frame was
		 * checked by the ingress program). */
		if (st && reason != XBR_DROP_EGRESS_VLAN &&
		    reason != XBR_DROP_PORT_DOWN &&
		    reason != XBR_DROP_STP_DISCARDING &&
		    reason != XBR_DROP_ISOLATED && reason != XBR_DROP_FLOOD_OFF)
			st->drops[reason]++;
		xmit_note(out, 0, 0);
		return XDP_DROP;
	}
	len = ctx->data_end - ctx->data;
	st->tx_packets++;
	st->tx_bytes += len;
	xmit_note(out, len, 1);
	return XDP_PASS;
}
