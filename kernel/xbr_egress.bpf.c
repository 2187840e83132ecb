// SPDX-License-Identifier: GPL-2.0-only
/*
 * The devmap egress program of every port, in both devmaps (unicast and
 * flood): runs once per frame a port sends, when the redirect is flushed.
 * The frame is as it was received: its VLAN is derived again from the
 * ingress port (ctx->ingress_ifindex is the receiving device, in native
 * and in generic mode, and after the slow path's CPU; a flood that waited
 * for the next poll names it in its metadata: kernel/direct.h) and the
 * frame, and
 * egress_decide() drops it at a port outside the VLAN (a flooded copy) or
 * makes it what the port sends (egress_frame(), kernel/decide.h). It
 * counts what the port sends.
 */
#include "direct.h"

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
	__u32 out = ctx->egress_ifindex;
	struct xbr_port_stats *st;
	struct xbr_port *ep = NULL;
	int reason, copy = MIRROR_NONE;
	__u32 len;

	reason = egress_frame(ctx, egress_ingress(ctx), out, &ep, &copy);
	if (reason == XBR_DROP_NOT_PORT || !ep) {
		/* the ingress program let it pass: a race with a change */
		xmit_note(out, 0, 0);
		return XDP_DROP;
	}
	st = bpf_map_lookup_elem(&port_stats, &ep->slot);
	if (!st || reason) {
		/* Outside the port's VLANs, a port down or blocked, an isolated
		 * port for a frame of another, a flood the port refuses, a
		 * frame a mirror broadcast for another port: outside the flood
		 * domain, no loss (a unicast frame was checked by the ingress
		 * program). */
		if (st && reason != XBR_DROP_EGRESS_VLAN &&
		    reason != XBR_DROP_PORT_DOWN &&
		    reason != XBR_DROP_STP_DISCARDING &&
		    reason != XBR_DROP_ISOLATED && reason != XBR_DROP_FLOOD_OFF &&
		    reason != XBR_DROP_MIRROR_DEST)
			st->drops[reason]++;
		xmit_note(out, 0, 0);
		return XDP_DROP;
	}
	len = ctx->data_end - ctx->data;
	st->tx_packets++;
	st->tx_bytes += len;
	if (copy == MIRROR_COPY)
		st->reserved[XBR_STAT_MIRRORED]++;
	xmit_note(out, len, 1);
	return XDP_PASS;
}
