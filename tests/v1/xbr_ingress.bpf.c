// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XDP program on every bridge port: parse, classify the VLAN, learn the
 * source, forward by destination. doc/datapath.md states the rules.
 */
#include "maps.h"
#include "parse.h"
#include "vlan.h"

/* Set by userspace between open and load; off, the tracing code is pruned
 * by the verifier and costs nothing. */
const volatile __u32 xbr_trace_enabled = 0;

static __always_inline void trace_decision(__u32 action, __u8 kind, __u8 reason,
					   __u32 egress, __u16 vid)
{
	struct xbr_trace *t;
	__u32 zero = 0;

	if (!xbr_trace_enabled)
		return;
	t = bpf_map_lookup_elem(&trace, &zero);
	if (!t)
		return;
	t->action = action;
	t->kind = kind;
	t->reason = reason;
	t->egress = egress;
	t->vid = vid;
	t->seq++;
}

static __always_inline int drop(struct xbr_port_stats *st,
				enum xbr_drop_reason reason, __u16 vid)
{
	if (reason < XBR_DROP_MAX)
		st->drops[reason]++;
	trace_decision(XDP_DROP, XBR_FWD_DROP, reason, 0, vid);
	return XDP_DROP;
}

static __always_inline struct xbr_port_state *state_of(__u32 slot)
{
	return bpf_map_lookup_elem(&port_state, &slot);
}

static __always_inline int under_limit(struct xbr_port_state *s, __u32 limit)
{
	return !limit || (s && s->learned < limit);
}

/* The learned count of the port that an entry points at. */
static __always_inline void account_remove(__u32 ifindex)
{
	struct xbr_port_state *s;
	struct xbr_port *p;

	p = bpf_map_lookup_elem(&ports, &ifindex);
	if (!p || !(p->flags & XBR_PORT_F_ENABLED))
		return;
	s = state_of(p->slot);
	if (s)
		__sync_fetch_and_add(&s->learned, -1);
}

static __always_inline void learn(const struct xbr_port *port,
				  struct xbr_port_stats *st, __u32 ifindex,
				  const __u8 *smac, __u16 vid)
{
	struct xbr_port_state *ps, *bs;
	struct xbr_bridge_cfg *cfg;
	struct xbr_fdb_key key = { .vid = vid };
	struct xbr_fdb_val val = {}, *e;
	__u32 zero = 0, old;
	__u64 now;

	if (!(port->flags & XBR_PORT_F_LEARN))
		return;
	mac_copy(key.mac, smac);
	now = bpf_ktime_get_coarse_ns();
	ps = state_of(port->slot);

	e = bpf_map_lookup_elem(&fdb, &key);
	if (e) {
		if (e->flags & XBR_FDB_F_STATIC)
			return;
		if (e->ifindex == ifindex) {
			if (now - e->last_seen > XBR_FDB_REFRESH_NS)
				e->last_seen = now;
			return;
		}
		/* Moved. A port at its limit may not take the address; the
		 * old entry goes too, so frames for it flood rather than
		 * follow a stale port. */
		old = e->ifindex;
		if (!under_limit(ps, port->learn_limit)) {
			st->learn_refused++;
			if (!bpf_map_delete_elem(&fdb, &key)) {
				account_remove(old);
				bs = state_of(XBR_STATE_BRIDGE);
				if (bs)
					__sync_fetch_and_add(&bs->learned, -1);
			}
			return;
		}
		e->ifindex = ifindex;
		e->last_seen = now;
		account_remove(old);
		if (ps)
			__sync_fetch_and_add(&ps->learned, 1);
		st->moved++;
		return;
	}

	cfg = bpf_map_lookup_elem(&bridge_cfg, &zero);
	bs = state_of(XBR_STATE_BRIDGE);
	if (!under_limit(ps, port->learn_limit) ||
	    (cfg && !under_limit(bs, cfg->learn_limit))) {
		st->learn_refused++;
		return;
	}
	val.ifindex = ifindex;
	val.last_seen = now;
	/* Fails when the table is full (or another CPU won the race). */
	if (bpf_map_update_elem(&fdb, &key, &val, BPF_NOEXIST)) {
		st->learn_refused++;
		return;
	}
	if (ps)
		__sync_fetch_and_add(&ps->learned, 1);
	if (bs)
		__sync_fetch_and_add(&bs->learned, 1);
	st->learned++;
}

/* The transmit counters of a unicast frame's egress port. */
static __always_inline void count_tx(const struct xbr_port *p, __u64 len)
{
	struct xbr_port_stats *est;

	est = bpf_map_lookup_elem(&port_stats, &p->slot);
	if (est) {
		est->tx_packets++;
		est->tx_bytes += len;
	}
}

static __always_inline __u64 frame_len(struct xdp_md *ctx)
{
	return ctx->data_end - ctx->data;
}

/*
 * Flood in the frame's VLAN. The frame leaves with one outer 802.1Q tag
 * holding the VLAN and priority; the egress program makes each copy what
 * its port wants (doc/vlan.md).
 */
static __always_inline int flood(struct xdp_md *ctx, struct xbr_port_stats *st,
				 int has_tag, __u16 vid, __u8 pcp)
{
	__u16 tci = (__u16)(pcp << 13) | vid;

	if (has_tag ? tag_write(ctx, XBR_TPID_8021Q, tci)
		    : tag_push(ctx, XBR_TPID_8021Q, tci))
		return drop(st, XBR_DROP_TAG_OP, vid);
	st->flooded++;
	trace_decision(XDP_REDIRECT, XBR_FWD_FLOOD, 0, 0, vid);
	return bpf_redirect_map(&flood_ports, 0,
				BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
}

static __always_inline struct xbr_slow_cfg *slow_cfg_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&slow_cfg, &zero);
}

/* A control frame: to the control CPU's queue, or to the stack here
 * (with no slow path, or with one slow-path CPU: then control frames
 * never wait behind host frames). */
static __always_inline int control(__u16 vid)
{
	struct xbr_slow_cfg *cfg = slow_cfg_get();

	if (cfg && (cfg->flags & XBR_SLOW_F_CONTROL) &&
	    bpf_redirect_map(&slow_cpus, cfg->ctl_cpu, 0) == XDP_REDIRECT) {
		trace_decision(XDP_REDIRECT, XBR_FWD_SLOW, 0, 0, vid);
		return XDP_REDIRECT;
	}
	trace_decision(XDP_PASS, XBR_FWD_PUNT, 0, 0, vid);
	return XDP_PASS;
}

/* Send a known unicast frame to its port, tagged as that port wants. */
static __always_inline int unicast(struct xdp_md *ctx,
				   struct xbr_port_stats *st, __u32 egress,
				   int local, int has_tag, __u16 vid, __u8 pcp)
{
	struct xbr_vlan_set *eset;
	struct xbr_port *ep;
	int err = 0;

	ep = bpf_map_lookup_elem(&ports, &egress);
	if (!ep || !(ep->flags & XBR_PORT_F_ENABLED))
		return drop(st, XBR_DROP_NO_EGRESS, vid);
	eset = bpf_map_lookup_elem(&port_vlans, &ep->slot);
	if (!vlan_member(eset, vid))
		return drop(st, XBR_DROP_EGRESS_VLAN, vid);
	if (vlan_tagged_on(ep, vid)) {
		__u16 tci = (__u16)(pcp << 13) | vid;

		err = has_tag ? tag_write(ctx, ep->tpid, tci)
			      : tag_push(ctx, ep->tpid, tci);
	} else if (has_tag) {
		err = tag_pop(ctx);
	}
	if (err)
		return drop(st, XBR_DROP_TAG_OP, vid);
	if (local) {
		/* For the host: the slow path's CPU delivers it. */
		struct xbr_slow_cfg *cfg = slow_cfg_get();

		if (cfg && (cfg->flags & XBR_SLOW_F_ENABLED) &&
		    bpf_redirect_map(&slow_cpus, cfg->host_cpu, 0) ==
			    XDP_REDIRECT) {
			count_tx(ep, frame_len(ctx));
			trace_decision(XDP_REDIRECT, XBR_FWD_SLOW, 0, egress,
				       vid);
			return XDP_REDIRECT;
		}
	}
	if (bpf_redirect_map(&tx_ports, egress, 0) != XDP_REDIRECT)
		return drop(st, XBR_DROP_NO_EGRESS, vid);
	count_tx(ep, frame_len(ctx));
	trace_decision(XDP_REDIRECT, XBR_FWD_UNICAST, 0, egress, vid);
	return XDP_REDIRECT;
}

SEC("xdp")
int xbr_ingress(struct xdp_md *ctx)
{
	struct cursor c = {
		.pos = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	__u32 ifindex = ctx->ingress_ifindex;
	struct xbr_vlan_set *vset;
	struct xbr_port_stats *st;
	struct xbr_fdb_key dkey;
	struct xbr_fdb_val *dst;
	struct xbr_port *port;
	struct l2 l2 = {};
	int has_tag;
	__u16 vid;
	__u8 pcp;

	port = bpf_map_lookup_elem(&ports, &ifindex);
	if (!port || !(port->flags & XBR_PORT_F_ENABLED)) {
		/* Attached but not (or no longer) a port: not ours. */
		trace_decision(XDP_PASS, XBR_FWD_DROP, XBR_DROP_NOT_PORT, 0, 0);
		return XDP_PASS;
	}
	st = bpf_map_lookup_elem(&port_stats, &port->slot);
	if (!st)
		return XDP_PASS;
	st->rx_packets++;
	st->rx_bytes += c.end - c.pos;

	if (parse_l2(&c, &l2) < 0)
		return drop(st, XBR_DROP_TRUNCATED, 0);

	/* Only a tag with the port's own TPID is a tag (doc/vlan.md); one
	 * with VID 0 gives a priority, not a VLAN. */
	has_tag = l2.outer_tpid && l2.outer_tpid == bpf_htons(port->tpid);
	pcp = has_tag ? l2.outer_pcp : 0;
	if (has_tag && l2.outer_vid) {
		if (!(port->flags & XBR_PORT_F_TRUNK))
			return drop(st, XBR_DROP_TAGGED, l2.outer_vid);
		vid = l2.outer_vid;
		if (vid > XBR_VID_MAX)
			return drop(st, XBR_DROP_VLAN_RESERVED, vid);
		vset = bpf_map_lookup_elem(&port_vlans, &port->slot);
		if (!vlan_member(vset, vid))
			return drop(st, XBR_DROP_VLAN_NOT_ALLOWED, vid);
	} else {
		vid = port->pvid;
		if (!vid)
			return drop(st, XBR_DROP_UNTAGGED, 0);
	}

	if (mac_is_multicast(l2.eth->h_source) || mac_is_zero(l2.eth->h_source))
		return drop(st, XBR_DROP_SRC_MAC, vid);

	learn(port, st, ifindex, l2.eth->h_source, vid);

	if (mac_is_link_local(l2.eth->h_dest)) {
		st->punted++;
		return control(vid);
	}
	if (mac_is_multicast(l2.eth->h_dest))
		return flood(ctx, st, has_tag, vid, pcp);

	mac_copy(dkey.mac, l2.eth->h_dest);
	dkey.vid = vid;
	dst = bpf_map_lookup_elem(&fdb, &dkey);
	if (!dst)
		return flood(ctx, st, has_tag, vid, pcp);
	if (dst->ifindex == ifindex)
		return drop(st, XBR_DROP_SAME_PORT, vid);
	return unicast(ctx, st, dst->ifindex, dst->flags & XBR_FDB_F_LOCAL,
		       has_tag, vid, pcp);
}

char LICENSE[] SEC("license") = "GPL";
