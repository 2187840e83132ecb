/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mirroring (SPAN): copies of what a source port receives (as it received
 * it) and of what it sends (as it sent it) leave by the session's
 * destination port. doc/datapath.md, "Mirroring", states the rules.
 *
 * Copies are devmap broadcasts: a destination is in the flood devmap, so a
 * flood reaches it as one more copy; a unicast frame that a mirror copies
 * is broadcast (to every port when its ingress port is an rx source, else
 * to "mirror_ports": the tx sources and the destinations) with its target
 * in the frame's metadata, and every port but the target and the
 * destinations drops its copy. The egress program decides at the
 * destination whether a frame is a copy, and of what. A port with no
 * XBR_PORT_F_MIRROR_* flag never gets here.
 */
#ifndef XBR_MIRROR_H
#define XBR_MIRROR_H

/* Included by decide.h after egress_decide(), which a tx copy runs. */

/* The unicast target that the frame's metadata names, or 0. */
static __always_inline __u32 mirror_target(struct xdp_md *ctx)
{
	struct xbr_mirror_meta *m = (void *)(long)ctx->data_meta;
	void *data = (void *)(long)ctx->data;

	/* ours is the whole metadata, never a part of someone else's */
	if (ctx->data - ctx->data_meta != sizeof(*m) ||
	    (void *)(m + 1) > data || m->magic != XBR_MIRROR_MAGIC)
		return 0;
	return m->target;
}

/*
 * Ingress: a known unicast frame for target that a mirror copies (the
 * ingress port is an rx source, or the target a tx source). It is
 * broadcast with its target in its metadata; XDP_ABORTED when the
 * metadata cannot be written (the caller then sends it uncopied).
 */
static __always_inline int mirror_unicast(struct xdp_md *ctx, __u32 target,
					  __u32 in_flags)
{
	int old = (int)(ctx->data - ctx->data_meta);
	struct xbr_mirror_meta *m;
	void *data;

	/* What the frame came with is no one's here (frames that a
	 * BPF_PROG_RUN generator sends carry their whole headroom as
	 * metadata): ours replaces it. */
	if (old > 0 && bpf_xdp_adjust_meta(ctx, old))
		return XDP_ABORTED;
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*m)))
		return XDP_ABORTED;
	m = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if ((void *)(m + 1) > data)
		return XDP_ABORTED;
	m->magic = XBR_MIRROR_MAGIC;
	m->target = target;
	if (in_flags & XBR_PORT_F_MIRROR_RX)
		return bpf_redirect_map(&flood_ports, 0,
					BPF_F_BROADCAST |
						BPF_F_EXCLUDE_INGRESS);
	return bpf_redirect_map(&mirror_ports, 0,
				BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
}

enum mirror_verdict {
	MIRROR_NONE = 0, /* not mirroring's: the port's own egress decision */
	MIRROR_COPY,	 /* a copy, made what it leaves as: send it */
	MIRROR_DROP,	 /* not for this port: drop it, uncounted */
};

/*
 * Egress, for a frame from ip (in) at ep (out) when either has a mirror
 * flag. At a destination: a copy as received when ip is an rx source of
 * its session; else a copy as the session's tx source sends it (the
 * unicast target of the metadata, or, for a flood, the session's tx
 * source, when that port sends this frame); else nothing. At another
 * port: a unicast frame broadcast for a mirror leaves by its target only.
 */
static __always_inline int mirror_egress(struct xdp_md *ctx,
					 const struct xbr_port *ip, __u32 in,
					 const struct xbr_port *ep, __u32 out,
					 const struct vclass *vc)
{
	__u32 target = mirror_target(ctx);
	const struct xbr_port *tp;
	struct xbr_mirror *mi;

	if (!(ep->flags & XBR_PORT_F_MIRROR_DST))
		return target && target != out ? MIRROR_DROP : MIRROR_NONE;
	if (ep->flags & XBR_PORT_F_DOWN)
		return MIRROR_DROP;
	if (ip->flags & XBR_PORT_F_MIRROR_RX) {
		mi = bpf_map_lookup_elem(&mirror, &ip->slot);
		if (mi && mi->rx_dest == out)
			return MIRROR_COPY;
	}
	if (!target) {
		mi = bpf_map_lookup_elem(&mirror, &ep->slot);
		target = mi ? mi->tx_source : 0;
	}
	if (!target || target == in)
		return MIRROR_DROP;
	tp = bpf_map_lookup_elem(&ports, &target);
	if (!tp || !(tp->flags & XBR_PORT_F_MIRROR_TX))
		return MIRROR_DROP;
	mi = bpf_map_lookup_elem(&mirror, &tp->slot);
	if (!mi || mi->tx_dest != out)
		return MIRROR_DROP;
	/* what the source sends: its egress decision, its tags */
	return egress_decide(ctx, tp, vc) ? MIRROR_DROP : MIRROR_COPY;
}

#endif /* XBR_MIRROR_H */
