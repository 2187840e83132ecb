// SPDX-License-Identifier: GPL-2.0-only
/* The FDB from userspace: static entries, batched dump, flush, ageing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"

#define FDB_BATCH 4096

static void counter_dec(__u64 *c)
{
	__u64 v = __atomic_load_n(c, __ATOMIC_RELAXED);

	while (v &&
	       !__atomic_compare_exchange_n(c, &v, v - 1, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

void dp_account_removed(struct dp_bridge *br, const struct xbr_fdb_val *v,
			bool aged)
{
	int slot;

	if (v->flags & XBR_FDB_F_STATIC)
		return;
	counter_dec(&br->state[XBR_STATE_BRIDGE].learned);
	slot = dp_port_slot(br, v->ifindex);
	if (slot < 0)
		return;
	counter_dec(&br->state[slot].learned);
	if (aged)
		__atomic_fetch_add(&br->state[slot].aged, 1, __ATOMIC_RELAXED);
}

void dp_fdb_changed(struct dp_bridge *br)
{
	__atomic_fetch_add(br->gen, 1, __ATOMIC_SEQ_CST);
}

static int fdb_fd(struct dp_bridge *br)
{
	return bpf_map__fd(br->skel->maps.fdb);
}

static int check_key(const __u8 mac[6], __u16 vid)
{
	char text[18];

	dp_mac_format(mac, text);
	if (mac[0] & 1)
		return dp_fail(-EINVAL, "%s is a multicast address", text);
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return dp_fail(-EINVAL, "%s is not a valid address", text);
	if (vid < 1 || vid > XBR_VID_MAX)
		return dp_fail(-EINVAL, "VLAN %u is out of range 1-%d", vid,
			       XBR_VID_MAX);
	return 0;
}

static int fdb_add_flags(struct dp_bridge *br, const __u8 mac[6], __u16 vid,
			 int ifindex, __u32 flags)
{
	struct xbr_fdb_val old, val = {
		.ifindex = (__u32)ifindex,
		.flags = flags,
		.last_seen = dp_now_ns(),
	};
	struct xbr_fdb_key key = { .vid = vid };
	int err, tries;

	err = check_key(mac, vid);
	if (err)
		return err;
	if (dp_port_slot(br, (__u32)ifindex) < 0)
		return dp_fail(-ENOENT,
			       "interface %d is not a port of bridge %s",
			       ifindex, br->name);
	memcpy(key.mac, mac, 6);
	/* Take out what is there (learned, maybe) and put the static entry
	 * in its place; the datapath may learn it again in between. */
	for (tries = 0; tries < 4; tries++) {
		if (!bpf_map_lookup_and_delete_elem(fdb_fd(br), &key, &old)) {
			dp_fdb_changed(br);
			dp_account_removed(br, &old, false);
		}
		if (!bpf_map_update_elem(fdb_fd(br), &key, &val, BPF_NOEXIST)) {
			dp_fdb_changed(br);
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	if (errno == E2BIG)
		return dp_fail(-ENOSPC,
			       "the MAC address table is full (%u entries)",
			       dp_fdb_capacity(br));
	return dp_fail(-errno, "cannot add the entry: %s", strerror(errno));
}

int dp_fdb_add_static(struct dp_bridge *br, const __u8 mac[6], __u16 vid,
		      int ifindex)
{
	return fdb_add_flags(br, mac, vid, ifindex, XBR_FDB_F_STATIC);
}

int dp_fdb_add_local(struct dp_bridge *br, const __u8 mac[6], __u16 vid,
		     int ifindex)
{
	return fdb_add_flags(br, mac, vid, ifindex,
			     XBR_FDB_F_STATIC | XBR_FDB_F_LOCAL);
}

int dp_fdb_learn(struct dp_bridge *br, const __u8 mac[6], __u16 vid,
		 int ifindex)
{
	struct xbr_fdb_val val = {
		.ifindex = (__u32)ifindex,
		.last_seen = dp_now_ns(),
	};
	struct xbr_fdb_key key = { .vid = vid };
	struct xbr_bridge_cfg cfg;
	struct xbr_port port;
	__u32 k = (__u32)ifindex;
	int err;

	err = check_key(mac, vid);
	if (err)
		return err;
	if (dp_port_read(br, k, &port))
		return dp_fail(-ENOENT,
			       "interface %d is not a port of bridge %s",
			       ifindex, br->name);
	err = dp_bridge_get_config(br, &cfg);
	if (err)
		return err;
	if ((port.learn_limit &&
	     br->state[port.slot].learned >= port.learn_limit) ||
	    (cfg.learn_limit &&
	     br->state[XBR_STATE_BRIDGE].learned >= cfg.learn_limit))
		return dp_fail(-ENOSPC, "at the learn limit");
	memcpy(key.mac, mac, 6);
	if (bpf_map_update_elem(fdb_fd(br), &key, &val, BPF_NOEXIST)) {
		if (errno == EEXIST)
			return -EEXIST;
		return dp_fail(-ENOSPC,
			       "the MAC address table is full (%u entries)",
			       dp_fdb_capacity(br));
	}
	__atomic_fetch_add(&br->state[port.slot].learned, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&br->state[XBR_STATE_BRIDGE].learned, 1,
			   __ATOMIC_RELAXED);
	return 0;
}

int dp_fdb_del(struct dp_bridge *br, const __u8 mac[6], __u16 vid)
{
	struct xbr_fdb_key key = { .vid = vid };
	struct xbr_fdb_val old;
	char text[18];

	memcpy(key.mac, mac, 6);
	if (bpf_map_lookup_and_delete_elem(fdb_fd(br), &key, &old)) {
		dp_mac_format(mac, text);
		return dp_fail(-ENOENT, "no entry for %s in VLAN %u", text,
			       vid);
	}
	dp_fdb_changed(br);
	dp_account_removed(br, &old, false);
	return 0;
}

static void entry_of(const struct xbr_fdb_key *k, const struct xbr_fdb_val *v,
		     __u64 now, struct dp_fdb_entry *e)
{
	memcpy(e->mac, k->mac, 6);
	e->vid = k->vid;
	e->ifindex = v->ifindex;
	e->flags = v->flags;
	e->age_ns = now > v->last_seen ? now - v->last_seen : 0;
}

int dp_fdb_lookup(struct dp_bridge *br, const __u8 mac[6], __u16 vid,
		  struct dp_fdb_entry *out)
{
	struct xbr_fdb_key key = { .vid = vid };
	struct xbr_fdb_val v;

	memcpy(key.mac, mac, 6);
	if (bpf_map_lookup_elem(fdb_fd(br), &key, &v))
		return -ENOENT;
	entry_of(&key, &v, dp_now_ns(), out);
	return 0;
}

/* Read the table in batches of FDB_BATCH, calling fn on each batch. */
typedef int (*batch_fn)(struct dp_bridge *br, const struct xbr_fdb_key *keys,
			const struct xbr_fdb_val *vals, __u32 n, void *ctx);

static int fdb_walk(struct dp_bridge *br, batch_fn fn, void *ctx)
{
	LIBBPF_OPTS(bpf_map_batch_opts, bo);
	struct xbr_fdb_key *keys;
	struct xbr_fdb_val *vals;
	__u64 in_batch = 0, out_batch = 0;
	bool first = true;
	__u32 n;
	int err = 0, ret;

	keys = calloc(FDB_BATCH, sizeof(*keys));
	vals = calloc(FDB_BATCH, sizeof(*vals));
	if (!keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		n = FDB_BATCH;
		ret = bpf_map_lookup_batch(fdb_fd(br), first ? NULL : &in_batch,
					   &out_batch, keys, vals, &n, &bo);
		if (ret && errno != ENOENT) {
			err = dp_fail(-errno, "cannot read the MAC table: %s",
				      strerror(errno));
			break;
		}
		if (n) {
			err = fn(br, keys, vals, n, ctx);
			if (err)
				break;
		}
		if (ret) /* ENOENT: that was the last batch */
			break;
		in_batch = out_batch;
		first = false;
	}
out:
	free(keys);
	free(vals);
	return err;
}

struct dump_ctx {
	dp_fdb_cb cb;
	void *ctx;
	__u64 now;
};

static int dump_batch(struct dp_bridge *br, const struct xbr_fdb_key *keys,
		      const struct xbr_fdb_val *vals, __u32 n, void *ctx)
{
	struct dump_ctx *d = ctx;
	struct dp_fdb_entry e;
	__u32 i;
	int ret;

	for (i = 0; i < n; i++) {
		entry_of(&keys[i], &vals[i], d->now, &e);
		ret = d->cb(&e, d->ctx);
		if (ret)
			return ret;
	}
	return 0;
}

int dp_fdb_dump(struct dp_bridge *br, dp_fdb_cb cb, void *ctx)
{
	struct dump_ctx d = { .cb = cb, .ctx = ctx, .now = dp_now_ns() };

	return fdb_walk(br, dump_batch, &d);
}

/*
 * Removal of what a walk selected. Keys are gathered first and removed
 * after the walk, so that the walk never sees the table change under it.
 */
struct sweep {
	const struct dp_fdb_filter *filter; /* flush */
	__u64 max_age;			    /* ageing, when no filter */
	dp_fdb_cb aged;			    /* ageing: each entry removed */
	void *ctx;
	__u64 now;
	struct xbr_fdb_key *keys;
	size_t n, cap;
};

static bool sweep_match(const struct sweep *s, const struct xbr_fdb_key *k,
			const struct xbr_fdb_val *v)
{
	const struct dp_fdb_filter *f = s->filter;

	if (!f)
		return !(v->flags & XBR_FDB_F_STATIC) &&
		       s->now > v->last_seen &&
		       s->now - v->last_seen > s->max_age;
	if ((v->flags & XBR_FDB_F_STATIC) && !f->include_static)
		return false;
	if (f->ifindex && v->ifindex != (__u32)f->ifindex)
		return false;
	return !f->vid || k->vid == f->vid;
}

static int sweep_batch(struct dp_bridge *br, const struct xbr_fdb_key *keys,
		       const struct xbr_fdb_val *vals, __u32 n, void *ctx)
{
	struct sweep *s = ctx;
	struct xbr_fdb_key *grown;
	__u32 i;

	for (i = 0; i < n; i++) {
		if (!sweep_match(s, &keys[i], &vals[i]))
			continue;
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 1024;
			grown = realloc(s->keys, s->cap * sizeof(*grown));
			if (!grown)
				return -ENOMEM;
			s->keys = grown;
		}
		s->keys[s->n++] = keys[i];
	}
	return 0;
}

static int sweep_run(struct dp_bridge *br, struct sweep *s)
{
	struct xbr_fdb_val v;
	int removed = 0, err;
	size_t i;

	s->now = dp_now_ns();
	err = fdb_walk(br, sweep_batch, s);
	if (err)
		goto out;
	for (i = 0; i < s->n; i++) {
		if (bpf_map_lookup_and_delete_elem(fdb_fd(br), &s->keys[i], &v))
			continue; /* gone meanwhile */
		dp_fdb_changed(br);
		/* Seen again since the walk: put it back as it is. */
		if (!s->filter && !sweep_match(s, &s->keys[i], &v)) {
			if (!bpf_map_update_elem(fdb_fd(br), &s->keys[i], &v,
						 BPF_NOEXIST))
				continue;
		}
		dp_account_removed(br, &v, !s->filter);
		removed++;
		if (s->aged) {
			struct dp_fdb_entry e;

			entry_of(&s->keys[i], &v, s->now, &e);
			s->aged(&e, s->ctx);
		}
	}
	err = removed;
out:
	free(s->keys);
	return err;
}

int dp_fdb_flush(struct dp_bridge *br, const struct dp_fdb_filter *f)
{
	static const struct dp_fdb_filter all = {};
	struct sweep s = { .filter = f ? f : &all };

	return sweep_run(br, &s);
}

int dp_fdb_age(struct dp_bridge *br, __u64 ageing_ns)
{
	return dp_fdb_age_each(br, ageing_ns, NULL, NULL);
}

int dp_fdb_age_each(struct dp_bridge *br, __u64 ageing_ns, dp_fdb_cb aged,
		    void *ctx)
{
	struct sweep s = { .max_age = ageing_ns, .aged = aged, .ctx = ctx };

	return sweep_run(br, &s);
}
