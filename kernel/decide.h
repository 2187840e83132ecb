/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The decisions that the ingress program (xbr_ingress) and the egress
 * program (xbr_egress) share, each written once: which VLAN a frame
 * received on a port belongs to, whether it may leave by a port, and what
 * that port makes of it (tag push, pop or rewrite).
 */
#ifndef XBR_DECIDE_H
#define XBR_DECIDE_H

#include "maps.h"
#include "parse.h"
#include "stp.h"
#include "vlan.h"

/* A frame's VLAN as its ingress port sees it (doc/vlan.md). */
struct vclass {
	__u16 vid;
	__u8 pcp;
	__u8 has_tag;	  /* the outer tag has the port's TPID */
	__u32 isolated;	  /* XBR_PORT_F_ISOLATED of the ingress port, or 0 */
	const __u8 *dmac; /* the destination, in the frame */
};

/*
 * Classify a parsed frame received on port. Returns XBR_DROP_NONE or the
 * reason to drop it; vc->vid is set either way (for the trace). Whether
 * the port carries the VLAN is the ingress program's own check.
 */
static __always_inline int vlan_classify(const struct xbr_port *port,
					 const struct l2 *l2, struct vclass *vc)
{
	/* Only a tag with the port's own TPID is a tag; one with VID 0
	 * gives a priority, not a VLAN. */
	vc->isolated = port->flags & XBR_PORT_F_ISOLATED;
	vc->dmac = l2->eth->h_dest;
	vc->has_tag = l2->outer_tpid && l2->outer_tpid == bpf_htons(port->tpid);
	vc->pcp = vc->has_tag ? l2->outer_pcp : 0;
	if (vc->has_tag && l2->outer_vid) {
		vc->vid = l2->outer_vid;
		if (!(port->flags & XBR_PORT_F_TRUNK))
			return XBR_DROP_TAGGED;
		if (vc->vid > XBR_VID_MAX)
			return XBR_DROP_VLAN_RESERVED;
		return XBR_DROP_NONE;
	}
	vc->vid = port->pvid;
	return vc->vid ? XBR_DROP_NONE : XBR_DROP_UNTAGGED;
}

/*
 * A flood that ep refuses (port IFNAME flood ... off): broadcast,
 * multicast, or a unicast frame whose destination is not known on ep (a
 * copy of an unknown unicast flood; a known unicast frame for ep is
 * always let through). Read only for a port with flood control.
 */
static __always_inline int flood_refused(const struct xbr_port *ep,
					 const struct vclass *vc)
{
	struct xbr_fdb_key key = { .vid = vc->vid };
	const struct xbr_port *dp;
	struct xbr_fdb_val *e;
	__u32 off;

	if (mac_is_broadcast(vc->dmac))
		off = XBR_PORT_F_NO_BCAST;
	else if (mac_is_multicast(vc->dmac))
		off = XBR_PORT_F_NO_MCAST;
	else
		off = XBR_PORT_F_NO_UCAST;
	if (!(ep->flags & off))
		return 0;
	if (off != XBR_PORT_F_NO_UCAST)
		return 1;
	mac_copy(key.mac, vc->dmac);
	e = bpf_map_lookup_elem(&fdb, &key);
	dp = e ? bpf_map_lookup_elem(&ports, &e->ifindex) : NULL;
	return !dp || dp->slot != ep->slot;
}

/*
 * The egress decision: may a frame of VLAN vc leave by port ep? Returns
 * XBR_DROP_NONE or the reason it may not. The ingress program asks it for
 * a known unicast frame (to drop it there, counted on the ingress port);
 * the egress program asks it for every frame, unicast or flooded, in
 * egress_decide(). A per-port egress rule (isolation, port state) is one
 * more check here: a port down or not forwarding (spanning tree) sends
 * nothing, a mirror's destination nothing (its copies are
 * mirror_egress()'s), an isolated port nothing
 * that came in by an isolated port, a port with flood control not the
 * floods it refuses.
 */
static __always_inline int egress_check(const struct xbr_port *ep,
					const struct vclass *vc)
{
	struct xbr_vlan_set *set;

	if (!(ep->flags & XBR_PORT_F_ENABLED))
		return XBR_DROP_NO_EGRESS;
	/* one test of the flags loaded when no port rule applies */
	if (ep->flags & (XBR_PORT_F_DOWN | XBR_PORT_F_ISOLATED |
			 XBR_PORT_F_FLOOD_OFF | XBR_PORT_F_STP_NOFWD |
			 XBR_PORT_F_MIRROR_DST)) {
		if (ep->flags & XBR_PORT_F_DOWN)
			return XBR_DROP_PORT_DOWN;
		/* a mirror's destination sends only its copies */
		if (ep->flags & XBR_PORT_F_MIRROR_DST)
			return XBR_DROP_MIRROR_DEST;
		if (stp_blocked(ep))
			return XBR_DROP_STP_DISCARDING;
		if ((ep->flags & XBR_PORT_F_ISOLATED) && vc->isolated)
			return XBR_DROP_ISOLATED;
		if ((ep->flags & XBR_PORT_F_FLOOD_OFF) && flood_refused(ep, vc))
			return XBR_DROP_FLOOD_OFF;
	}
	set = bpf_map_lookup_elem(&port_vlans, &ep->slot);
	if (!vlan_member(set, vc->vid))
		return XBR_DROP_EGRESS_VLAN;
	return XBR_DROP_NONE;
}

/*
 * The frame made what ep sends, the decision made: tag pushed, popped or
 * rewritten; XBR_DROP_NONE, or XBR_DROP_TAG_OP. A frame is changed once,
 * as it leaves: by the egress program, or for known unicast that leaves
 * without it by the ingress program right before the redirect
 * (kernel/direct.h); the frame grows only by a tag it leaves with.
 */
static __always_inline int egress_rewrite(struct xdp_md *ctx,
					  const struct xbr_port *ep,
					  const struct vclass *vc)
{
	__u16 tci = (__u16)(vc->pcp << 13) | vc->vid;
	int err = 0;

	if (vlan_tagged_on(ep, vc->vid))
		err = vc->has_tag ? tag_write(ctx, ep->tpid, tci)
				  : tag_push(ctx, ep->tpid, tci);
	else if (vc->has_tag)
		err = tag_pop(ctx);
	return err ? XBR_DROP_TAG_OP : XBR_DROP_NONE;
}

/* The decision, then the frame made what ep sends. */
static __always_inline int egress_decide(struct xdp_md *ctx,
					 const struct xbr_port *ep,
					 const struct vclass *vc)
{
	int reason = egress_check(ep, vc);

	return reason ? reason : egress_rewrite(ctx, ep, vc);
}

#include "mirror.h"

/*
 * What the egress program does with a frame that came in by port in and
 * leaves by port out: the frame as it was received, its VLAN derived again
 * from in and the frame, then egress_decide(). The egress program runs it
 * for every frame a port sends; the packet trace (kernel/trace.h) runs
 * the same for a traced frame. *epp: out's entry. XBR_DROP_NOT_PORT: in
 * or out is no port, or the frame does not parse (for a real frame, a
 * race with a change: the ingress program let it pass). *copy: what a
 * mirror made of it (enum mirror_verdict): a copy is sent as
 * mirror_egress() made it, a frame broadcast for another port is
 * XBR_DROP_MIRROR_DEST.
 */
static __always_inline int egress_frame(struct xdp_md *ctx, __u32 in, __u32 out,
					struct xbr_port **epp, int *copy)
{
	struct cursor c = {
		.pos = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	struct xbr_port *ip, *ep;
	struct vclass vc;
	struct l2 l2 = {};

	ep = bpf_map_lookup_elem(&ports, &out);
	ip = bpf_map_lookup_elem(&ports, &in);
	if (!ep || !(ep->flags & XBR_PORT_F_ENABLED) || !ip ||
	    !(ip->flags & XBR_PORT_F_ENABLED) || parse_l2(&c, &l2) < 0 ||
	    vlan_classify(ip, &l2, &vc))
		return XBR_DROP_NOT_PORT;
	*epp = ep;
	*copy = MIRROR_NONE;
	/* mirroring: flags of the two values loaded */
	if ((ip->flags & XBR_PORT_F_MIRROR_RX) ||
	    (ep->flags & (XBR_PORT_F_MIRROR_TX | XBR_PORT_F_MIRROR_DST)))
		*copy = mirror_egress(ctx, ip, in, ep, out, &vc);
	if (*copy == MIRROR_DROP)
		return XBR_DROP_MIRROR_DEST;
	if (*copy == MIRROR_COPY)
		return XBR_DROP_NONE;
	return egress_decide(ctx, ep, &vc);
}

#endif /* XBR_DECIDE_H */
