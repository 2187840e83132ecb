// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XDP program on every bridge port: parse, classify the VLAN, learn the
 * source, forward by destination. doc/datapath.md states the rules.
 */
#include "decide.h"
#include "direct.h"
#include "events.h"
#include "fdb_cache.h"
#include "trace.h"
#include "storm.h"

/* A dry trace counts here instead of on its port: what it adds is never
 * read. A variable of this object, never pinned nor shared. */
static struct xbr_port_stats trace_scratch_stats;

static __always_inline int drop(struct xbr_port_stats *st,
				struct xbr_trace_meta *tm,
				enum xbr_drop_reason reason, __u16 vid)
{
	if (reason < XBR_DROP_MAX)
		st->drops[reason]++;
	trace_record(tm, XDP_DROP, XBR_FWD_DROP, reason, 0, vid);
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

/*
 * Learn the source. The cache slot of a source seen on this port within
 * the refresh interval (or of a static entry) proves that the FDB lookup
 * would change nothing, and skips it. Returns 1 when the port's learn
 * limit refused the source (a new one, or one that moved here), else 0.
 */
static __always_inline int learn(const struct xbr_port *port,
				 struct xbr_port_stats *st, __u32 ifindex,
				 const __u8 *smac, __u16 vid, __u64 *gen)
{
	struct xbr_port_state *ps, *bs;
	struct xbr_bridge_cfg *cfg;
	struct xbr_fdb_val val = {}, *e;
	struct fdb_cache_slot *c;
	union fdb_key64 key;
	__u32 zero = 0, old;
	__u64 now, jif;

	if (!stp_learns(port))
		return 0;
	key.v = fdb_key_num(smac, vid);
	jif = bpf_jiffies64();
	c = fdb_cache_slot(key.v);
	if (fdb_cache_hit(c, key.v, *gen) &&
	    ((c->flags & XBR_FDB_F_STATIC) ||
	     (c->ifindex == ifindex &&
	      jif - c->seen <= XBR_FDB_CACHE_FRESH_JIFFIES)))
		return 0;

	now = bpf_ktime_get_coarse_ns();
	e = bpf_map_lookup_elem(&fdb, &key.k);
	if (e) {
		if (e->flags & XBR_FDB_F_STATIC) {
			fdb_cache_fill(c, key.v, *gen, e, 0);
			return 0;
		}
		if (e->ifindex == ifindex) {
			if (now - e->last_seen > XBR_FDB_REFRESH_NS)
				e->last_seen = now;
			fdb_cache_fill(c, key.v, *gen, e, jif);
			return 0;
		}
		/* Moved. A port at its limit may not take the address; the
		 * old entry goes too, so frames for it flood rather than
		 * follow a stale port. Either way the generation moves on,
		 * after the change. */
		old = e->ifindex;
		ps = state_of(port->slot);
		if (!under_limit(ps, port->learn_limit)) {
			st->learn_refused++;
			if (!bpf_map_delete_elem(&fdb, &key.k)) {
				fdb_gen_bump(gen);
				account_remove(old);
				bs = state_of(XBR_STATE_BRIDGE);
				if (bs)
					__sync_fetch_and_add(&bs->learned, -1);
			}
			return 1;
		}
		e->ifindex = ifindex;
		e->last_seen = now;
		fdb_gen_bump(gen);
		account_remove(old);
		if (ps)
			__sync_fetch_and_add(&ps->learned, 1);
		st->moved++;
		event_fdb(st, XBR_EV_MOVED, &key.k, ifindex, old, now);
		return 0;
	}

	ps = state_of(port->slot);
	cfg = bpf_map_lookup_elem(&bridge_cfg, &zero);
	bs = state_of(XBR_STATE_BRIDGE);
	if (!under_limit(ps, port->learn_limit)) {
		st->learn_refused++;
		return 1;
	}
	if (cfg && !under_limit(bs, cfg->learn_limit)) {
		st->learn_refused++;
		return 0;
	}
	val.ifindex = ifindex;
	val.last_seen = now;
	/* Fails when the table is full (or another CPU won the race). */
	if (bpf_map_update_elem(&fdb, &key.k, &val, BPF_NOEXIST)) {
		st->learn_refused++;
		return 0;
	}
	fdb_cache_fill(c, key.v, *gen, &val, jif);
	if (ps)
		__sync_fetch_and_add(&ps->learned, 1);
	if (bs)
		__sync_fetch_and_add(&bs->learned, 1);
	st->learned++;
	event_fdb(st, XBR_EV_LEARNED, &key.k, ifindex, 0, now);
	return 0;
}

/*
 * What learn() would answer, changing nothing: for a dry trace, whose
 * source the port's learn limit would refuse (new, or moved here, at the
 * limit).
 */
static __always_inline int learn_refuses(const struct xbr_port *port,
					 __u32 ifindex, const __u8 *smac,
					 __u16 vid)
{
	struct xbr_fdb_val *e;
	union fdb_key64 key;

	if (!stp_learns(port))
		return 0;
	key.v = fdb_key_num(smac, vid);
	e = bpf_map_lookup_elem(&fdb, &key.k);
	if (e && ((e->flags & XBR_FDB_F_STATIC) || e->ifindex == ifindex))
		return 0;
	return !under_limit(state_of(port->slot), port->learn_limit);
}

/*
 * The destination's port and flags: from the cache, or from the FDB (and
 * then into the cache). 0: unknown.
 */
static __always_inline __u32 fdb_dest(const __u8 *dmac, __u16 vid, __u64 gen,
				      __u32 *flags)
{
	struct fdb_cache_slot *c;
	union fdb_key64 key;
	struct xbr_fdb_val *e;

	key.v = fdb_key_num(dmac, vid);
	c = fdb_cache_slot(key.v);
	if (fdb_cache_hit(c, key.v, gen)) {
		*flags = c->flags;
		return c->ifindex;
	}
	e = bpf_map_lookup_elem(&fdb, &key.k);
	if (!e)
		return 0;
	fdb_cache_fill(c, key.v, gen, e, 0);
	*flags = e->flags;
	return e->ifindex;
}

/*
 * Flood in the frame's VLAN: the frame goes as it came. The egress
 * program derives the VLAN again from the ingress port and the frame, and
 * makes each copy what its port sends, or drops it at a port outside the
 * VLAN (doc/vlan.md): no bookkeeping tag, so no copy is ever bigger than
 * it leaves. A port with storm control first drops what goes over its
 * kind's rate.
 */
static __always_inline int flood(struct xdp_md *ctx,
				 const struct xbr_port *port,
				 struct xbr_port_stats *st,
				 struct xbr_trace_meta *tm, const __u8 *dmac,
				 __u16 vid)
{
	struct xbr_poll_state *ps = poll_of(port->flags, tm != NULL);

	if ((port->flags & XBR_PORT_F_STORM) && storm_over(port, st, dmac))
		return drop(st, tm, XBR_DROP_STORM, vid);
	st->flooded++;
	trace_record(tm, XDP_REDIRECT, XBR_FWD_FLOOD, 0, 0, vid);
	/* a port's queue holds unicast sent without the egress program in
	 * this poll: the flood waits for the next (kernel/direct.h) */
	if (!flood_now(ps)) { /* ps is not NULL then */
		st->reserved[XBR_STAT_DEFERRED]++;
		if (flood_later(ps, ctx->ingress_ifindex) == XDP_REDIRECT)
			return XDP_REDIRECT;
		return drop(st, tm, XBR_DROP_REDIRECT, vid);
	}
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
static __always_inline int control(struct xbr_trace_meta *tm, __u16 vid)
{
	struct xbr_slow_cfg *cfg = slow_cfg_get();

	if (cfg && (cfg->flags & XBR_SLOW_F_CONTROL) &&
	    bpf_redirect_map(&slow_cpus, cfg->ctl_cpu, 0) == XDP_REDIRECT) {
		trace_record(tm, XDP_REDIRECT, XBR_FWD_SLOW, 0, 0, vid);
		return XDP_REDIRECT;
	}
	trace_record(tm, XDP_PASS, XBR_FWD_PUNT, 0, 0, vid);
	return XDP_PASS;
}

/*
 * Send a known unicast frame to its port, as it came: the egress program
 * makes it what the port sends and counts it, as for a flooded frame (one
 * program for every frame a port sends: the kernel runs the program of
 * the first frame queued to a device for all frames queued with it).
 */
static __always_inline int unicast(struct xdp_md *ctx,
				   struct xbr_port_stats *st,
				   struct xbr_trace_meta *tm, __u32 in_flags,
				   __u32 egress, int local,
				   const struct vclass *vc)
{
	/* the poll's record: a frame from a native port (kernel/direct.h);
	 * a trace shows the usual way, which decides the same */
	struct xbr_poll_state *ps = poll_of(in_flags, tm != NULL);
	struct xbr_port *ep;
	int reason, act;

	ep = bpf_map_lookup_elem(&ports, &egress);
	reason = ep ? egress_check(ep, vc) : XBR_DROP_NO_EGRESS;
	if (reason)
		return drop(st, tm, reason, vc->vid);
	/* a mirror copies it: flags of the two values loaded (a trace
	 * shows the frame's own way; its metadata is the trace's); not in a
	 * poll that sent unicast without the egress program, whose queues
	 * the copies would join */
	if (!tm && ((in_flags & XBR_PORT_F_MIRROR_RX) ||
		    (ep->flags & XBR_PORT_F_MIRROR_TX)) &&
	    !(ps && ps->any)) {
		act = mirror_unicast(ctx, egress, in_flags);
		if (act == XDP_REDIRECT) {
			poll_flooded(ps);
			return XDP_REDIRECT;
		}
	}
	if (local) {
		/* For the host: the slow path's CPU delivers it. */
		struct xbr_slow_cfg *cfg = slow_cfg_get();

		if (cfg && (cfg->flags & XBR_SLOW_F_ENABLED) &&
		    bpf_redirect_map(&slow_cpus, cfg->host_cpu, 0) ==
			    XDP_REDIRECT) {
			trace_record(tm, XDP_REDIRECT, XBR_FWD_SLOW, 0, egress,
				     vc->vid);
			return XDP_REDIRECT;
		}
	}
	if (unicast_goes_direct(ps)) {
		act = unicast_direct(ctx, ps, ep, egress, vc);
		if (act == XDP_REDIRECT || act == XDP_DROP)
			return act; /* a tag op that failed is counted on ep */
		/* no tx_direct entry: the usual way, unless this poll's
		 * queues hold frames without the program */
		if (ps->any)
			return drop(st, tm, XBR_DROP_NO_EGRESS, vc->vid);
	}
	if (bpf_redirect_map(&tx_ports, egress, 0) != XDP_REDIRECT)
		return drop(st, tm, XBR_DROP_NO_EGRESS, vc->vid);
	poll_flooded(ps);
	trace_record(tm, XDP_REDIRECT, XBR_FWD_UNICAST, 0, egress, vc->vid);
	return XDP_REDIRECT;
}

/* The program, for a frame traced (tm) or not (tm NULL). */
static __always_inline int ingress(struct xdp_md *ctx,
				   struct xbr_trace_meta *tm)
{
	struct cursor c = {
		.pos = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	__u32 ifindex = ctx->ingress_ifindex;
	struct xbr_vlan_set *vset;
	struct xbr_port_stats *st;
	__u32 egress, flags = 0;
	struct xbr_port *port;
	struct xbr_xmit_scratch *xs;
	struct vclass vc;
	struct l2 l2 = {};
	int reason, refused;
	__u32 zero = 0;
	__u64 gen;
	__u16 vid;

	/* Between flushes: a flush of this CPU starts from nothing (an
	 * egress program in generic mode runs with no flush at all). */
	xs = bpf_map_lookup_elem(&xmit_scratch, &zero);
	if (xs)
		xs->ifindex = 0;

	port = bpf_map_lookup_elem(&ports, &ifindex);
	if (!port || !(port->flags & XBR_PORT_F_ENABLED)) {
		/* Attached but not (or no longer) a port: not ours. */
		trace_record(tm, XDP_PASS, XBR_FWD_DROP, XBR_DROP_NOT_PORT, 0,
			     0);
		return XDP_PASS;
	}
	/* a dry trace counts nothing, learns nothing (tm is NULL for every
	 * frame from a device) */
	st = trace_dry(tm) ? &trace_scratch_stats
			   : bpf_map_lookup_elem(&port_stats, &port->slot);
	if (!st)
		return XDP_PASS;
	st->rx_packets++;
	st->rx_bytes += c.end - c.pos;
	/* A port down takes nothing, control frames neither, nor does a
	 * mirror's destination; the flags are of the value loaded above. */
	if (port->flags & (XBR_PORT_F_DOWN | XBR_PORT_F_MIRROR_DST))
		return drop(st, tm,
			    port->flags & XBR_PORT_F_DOWN
				    ? XBR_DROP_PORT_DOWN
				    : XBR_DROP_MIRROR_DEST,
			    0);

	if (parse_l2(&c, &l2) < 0)
		return drop(st, tm, XBR_DROP_TRUNCATED, 0);

	/* A BPDU is for the spanning tree whatever VLAN it would be in: it
	 * is looked at only on the way to a drop. */
	reason = vlan_classify(port, &l2, &vc);
	vid = vc.vid;
	if (reason)
		goto refuse;
	if (vc.has_tag && l2.outer_vid) {
		vset = bpf_map_lookup_elem(&port_vlans, &port->slot);
		if (!vlan_member(vset, vid)) {
			reason = XBR_DROP_VLAN_NOT_ALLOWED;
			goto refuse;
		}
	}

	if (mac_is_multicast(l2.eth->h_source) || mac_is_zero(l2.eth->h_source))
		return drop(st, tm, XBR_DROP_SRC_MAC, vid);

	gen = fdb_gen_read();
	/* port security: a source the learn limit refuses goes no further
	 * (a dry trace asks, and learns nothing) */
	refused =
		trace_dry(tm)
			? learn_refuses(port, ifindex, l2.eth->h_source, vid)
			: learn(port, st, ifindex, l2.eth->h_source, vid, &gen);
	if (refused && (port->flags & XBR_PORT_F_PROTECT))
		return drop(st, tm, XBR_DROP_SRC_REFUSED, vid);

	/* Not forwarding (spanning tree): learned above if learning. */
	if (stp_blocked(port)) {
		reason = XBR_DROP_STP_DISCARDING;
		goto refuse;
	}
	if (mac_is_link_local(l2.eth->h_dest))
		goto punt;
	/* multicast, or a destination not known: one flood path */
	egress = mac_is_multicast(l2.eth->h_dest)
			 ? 0
			 : fdb_dest(l2.eth->h_dest, vid, gen, &flags);
	if (!egress)
		return flood(ctx, port, st, tm, l2.eth->h_dest, vid);
	if (egress == ifindex)
		return drop(st, tm, XBR_DROP_SAME_PORT, vid);
	return unicast(ctx, st, tm, port->flags, egress,
		       flags & XBR_FDB_F_LOCAL, &vc);

refuse:
	if (!stp_is_bpdu(l2.eth->h_dest))
		return drop(st, tm, reason, vid);
punt:
	st->punted++;
	return control(tm, vid);
}

/*
 * Metadata of the size of a mirror's or a waiting flood's (8 bytes) that
 * a frame brings in is not this pass's: another bridge's, or left in a
 * recycled buffer (a BPF_PROG_RUN generator's pages keep the frame header
 * an earlier pass wrote). The egress program would take it for its own
 * (a unicast target, an ingress port) and drop the frame: it goes.
 */
static __always_inline void meta_forget(struct xdp_md *ctx)
{
	if (ctx->data - ctx->data_meta == sizeof(struct xbr_mirror_meta))
		bpf_xdp_adjust_meta(ctx, (int)sizeof(struct xbr_mirror_meta));
}

SEC("xdp")
int xbr_ingress(struct xdp_md *ctx)
{
	struct xbr_trace_meta *tm = trace_meta(ctx);

	/* Two copies of the program: every frame from a device takes the
	 * one built without a trace, where no trace check is left; all it
	 * pays is trace_meta()'s compare (and meta_forget()'s). */
	if (tm)
		return ingress(ctx, tm);
	meta_forget(ctx);
	return ingress(ctx, NULL);
}

char LICENSE[] SEC("license") = "GPL";
