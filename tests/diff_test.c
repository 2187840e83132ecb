// SPDX-License-Identifier: GPL-2.0-only
/*
 * Differential test: random frames through the XDP program (BPF_PROG_RUN)
 * and through a small reference model of a learning switch written here
 * from the rules in doc/datapath.md. Every verdict and egress set must
 * agree, and so must the FDB, the learned counts and the counters at the
 * end. Along the way, userspace changes the FDB under the datapath's
 * FDB cache (kernel/fdb_cache.h) between frames: flushes by port, VLAN or
 * all, static adds over learned entries and static deletes, and ageing
 * that removes what was learned before a point in time and keeps what was
 * learned after it; ports set down and up again (shut down or
 * err-disabled: fault 12.4), isolated and not (fault 12.1), floods
 * refused and taken again (fault 12.2), spanning-tree port states
 * (issue 11: discarding, learning, forwarding); the model and the
 * datapath are compared after each.
 *
 * XBR_DIFF_SEED and XBR_DIFF_FRAMES override the seed and the frame count;
 * the seed is printed so a failure can be replayed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "tests/testlib.h"

#define NPORTS	   4
#define CAPACITY   48
#define POOL	   24 /* unicast MACs that send and receive */
#define LIMIT_PORT 3
#define LIMIT	   4
#define OP_EVERY   997
#define AGE_FRAMES 300
#define AGE_GAP_NS 200000000ULL /* between the two halves of an ageing step */

/* p0: 802.1Q trunk of every VLAN, native 1; p1: access port in VLAN 2;
 * p2: trunk of 1-3, no native; p3: 802.1ad access port in VLAN 1. */
static const bool trunk[NPORTS] = { true, false, true, false };
static const __u16 pvid[NPORTS] = { 1, 2, 0, 1 };
static const __u16 tpid[NPORTS] = { 0x8100, 0x8100, 0x8100, 0x88a8 };

static bool m_member(int p, __u16 vid)
{
	if (vid < 1 || vid > XBR_VID_MAX)
		return false;
	if (p == 0)
		return true;
	if (p == 2)
		return vid <= 3;
	return vid == pvid[p];
}

/* ---- random ---- */

static __u64 rng;

static __u32 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (__u32)(rng >> 11);
}

static int chance(int percent)
{
	return (int)(rnd() % 100) < percent;
}

/* ---- the model ---- */

struct m_entry {
	__u8 mac[6];
	__u16 vid;
	int port;
	int stamp; /* the ageing epoch it was learned or moved in */
	bool is_static;
	bool used;
};

struct m_counters {
	__u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
	__u64 flooded, learned, moved, refused, punted;
	__u64 drops[XBR_DROP_SLOTS];
};

static struct m_entry table[CAPACITY];
static int m_learned[NPORTS], m_total, m_entries, epoch;
static struct m_counters mc[NPORTS];
static bool m_down[NPORTS];	  /* shut down or err-disabled */
static bool m_isolated[NPORTS];	  /* sends nothing of another isolated */
static __u32 m_flood_off[NPORTS]; /* XBR_PORT_F_NO_*: floods refused */
static int m_stp[NPORTS];	  /* enum dp_stp_state */

struct verdict {
	__u32 action;
	__u8 kind;
	__u8 reason;
	int egress; /* unicast: port index */
	__u16 vid;  /* flood: its VLAN */
};

static struct m_entry *m_find(const __u8 *mac, __u16 vid)
{
	int i;

	for (i = 0; i < CAPACITY; i++)
		if (table[i].used && table[i].vid == vid &&
		    !memcmp(table[i].mac, mac, 6))
			return &table[i];
	return NULL;
}

static void m_remove(struct m_entry *e)
{
	if (!e->is_static) {
		m_learned[e->port]--;
		m_total--;
	}
	e->used = false;
	m_entries--;
}

static void m_learn(int in, const __u8 *src, __u16 vid)
{
	struct m_entry *e = m_find(src, vid);
	int limit = in == LIMIT_PORT ? LIMIT : 0, i;

	if (e) {
		if (e->is_static || e->port == in)
			return;
		if (limit && m_learned[in] >= limit) {
			mc[in].refused++;
			m_remove(e);
			return;
		}
		m_learned[e->port]--;
		m_learned[in]++;
		e->port = in;
		e->stamp = epoch;
		mc[in].moved++;
		return;
	}
	if ((limit && m_learned[in] >= limit) || m_entries == CAPACITY) {
		mc[in].refused++;
		return;
	}
	for (i = 0; table[i].used; i++)
		;
	memcpy(table[i].mac, src, 6);
	table[i].vid = vid;
	table[i].port = in;
	table[i].stamp = epoch;
	table[i].is_static = false;
	table[i].used = true;
	m_entries++;
	m_learned[in]++;
	m_total++;
	mc[in].learned++;
}

static __u16 get16(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

static bool is_tpid(__u16 t)
{
	return t == 0x8100 || t == 0x88a8;
}

static struct verdict m_frame(int in, const __u8 *f, int len)
{
	struct verdict v = { .action = XDP_DROP, .kind = XBR_FWD_DROP };
	static const __u8 bpdu[6] = { 0x01, 0x80, 0xc2, 0, 0, 0 };
	const __u8 *dst = f, *src = f + 6;
	__u16 t1, vid = 0, tagvid = 0;
	bool has_tag = false;
	struct m_entry *e;

	mc[in].rx_packets++;
	mc[in].rx_bytes += (__u64)len;
	if (m_down[in]) {
		v.reason = XBR_DROP_PORT_DOWN;
		goto dropped;
	}
	t1 = get16(f + 12);
	if (is_tpid(t1)) {
		if (len < 18)
			goto truncated;
		if (is_tpid(get16(f + 16)) && len < 22)
			goto truncated;
		has_tag = t1 == tpid[in];
		tagvid = get16(f + 14) & 0xfff;
	}
	if (has_tag && tagvid) {
		if (!trunk[in]) {
			v.reason = XBR_DROP_TAGGED;
			goto refused;
		}
		if (tagvid == 4095) {
			v.reason = XBR_DROP_VLAN_RESERVED;
			goto refused;
		}
		if (!m_member(in, tagvid)) {
			v.reason = XBR_DROP_VLAN_NOT_ALLOWED;
			goto refused;
		}
		vid = tagvid;
	} else {
		vid = pvid[in];
		if (!vid) {
			v.reason = XBR_DROP_UNTAGGED;
			goto refused;
		}
	}
	if ((src[0] & 1) ||
	    !(src[0] | src[1] | src[2] | src[3] | src[4] | src[5])) {
		v.reason = XBR_DROP_SRC_MAC;
		goto dropped;
	}
	if (m_stp[in] != DP_STP_DISCARDING)
		m_learn(in, src, vid);
	if (m_stp[in] != DP_STP_FORWARDING) {
		v.reason = XBR_DROP_STP_DISCARDING;
		goto refused;
	}
	if (dst[0] == 1 && dst[1] == 0x80 && dst[2] == 0xc2 && !dst[3] &&
	    !dst[4] && dst[5] < 0x10) {
		mc[in].punted++;
		v.action = XDP_PASS;
		v.kind = XBR_FWD_PUNT;
		return v;
	}
	e = (dst[0] & 1) ? NULL : m_find(dst, vid);
	if (!e) {
		mc[in].flooded++;
		v.action = XDP_REDIRECT;
		v.kind = XBR_FWD_FLOOD;
		v.vid = vid;
		return v;
	}
	if (e->port == in) {
		v.reason = XBR_DROP_SAME_PORT;
		goto dropped;
	}
	if (m_down[e->port]) {
		v.reason = XBR_DROP_PORT_DOWN;
		goto dropped;
	}
	if (m_stp[e->port] != DP_STP_FORWARDING) {
		v.reason = XBR_DROP_STP_DISCARDING;
		goto dropped;
	}
	if (m_isolated[e->port] && m_isolated[in]) {
		v.reason = XBR_DROP_ISOLATED;
		goto dropped;
	}
	if (!m_member(e->port, vid)) {
		v.reason = XBR_DROP_EGRESS_VLAN;
		goto dropped;
	}
	/* the frame leaves as it came: the egress program tags and counts
	 * it when it is sent (not in BPF_PROG_RUN) */
	v.action = XDP_REDIRECT;
	v.kind = XBR_FWD_UNICAST;
	v.egress = e->port;
	return v;

truncated:
	v.reason = XBR_DROP_TRUNCATED;
	goto dropped;
refused:
	/* a BPDU the VLAN rules or the port state refuse is punted */
	if (!memcmp(dst, bpdu, 6)) {
		mc[in].punted++;
		v.action = XDP_PASS;
		v.kind = XBR_FWD_PUNT;
		v.reason = 0;
		return v;
	}
dropped:
	mc[in].drops[v.reason]++;
	return v;
}

/* ---- the datapath side ---- */

static struct dp_bridge *br;
static int port[NPORTS];
static __u8 pool[POOL][6];

static int port_index(__u32 ifindex)
{
	int i;

	for (i = 0; i < NPORTS; i++)
		if ((__u32)port[i] == ifindex)
			return i;
	return -1;
}

/* The flood set is every port in the flood map but the ingress port, that
 * is up, a member of the VLAN and not isolated from the ingress port (the
 * egress program drops the other copies). */
/* The flood flag that a flood to dst is refused by (fault 12.2). */
static __u32 flood_kind(const __u8 *dst)
{
	static const __u8 bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (!memcmp(dst, bc, 6))
		return XBR_PORT_F_NO_BCAST;
	return dst[0] & 1 ? XBR_PORT_F_NO_MCAST : XBR_PORT_F_NO_UCAST;
}

/* The datapath's port i refuses a flood to dst: its flag, and for
 * unicast, dst not known on it. */
static bool dp_refuses(int i, __u32 flags, const __u8 *dst, __u16 vid)
{
	__u32 kind = flood_kind(dst);
	struct dp_fdb_entry e;

	if (!(flags & kind))
		return false;
	return kind != XBR_PORT_F_NO_UCAST || dp_fdb_lookup(br, dst, vid, &e) ||
	       e.ifindex != (__u32)port[i];
}

static unsigned int dp_flood_set(int in, __u16 vid, const __u8 *dst)
{
	struct dp_port_info info;
	struct dp_port_vlan pv;
	char path[256];
	__u32 key, next, *prev = NULL;
	unsigned int set = 0;
	bool in_isolated;
	int fd, i;

	in_isolated = !dp_port_get(br, port[in], &info) &&
		      (info.port.flags & XBR_PORT_F_ISOLATED);
	snprintf(path, sizeof(path), "%s/%s/flood_ports", DP_PIN_ROOT,
		 dp_bridge_name(br));
	fd = bpf_obj_get(path);
	while (fd >= 0 && !bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		i = port_index(key);
		if (i >= 0 && i != in && !dp_port_get_vlan(br, port[i], &pv) &&
		    dp_vlan_has(&pv.allowed, vid) &&
		    !dp_port_get(br, port[i], &info) &&
		    !(info.port.flags & XBR_PORT_F_DOWN) &&
		    !(info.port.flags & XBR_PORT_F_STP_NOFWD) &&
		    !((info.port.flags & XBR_PORT_F_ISOLATED) && in_isolated) &&
		    !dp_refuses(i, info.port.flags, dst, vid))
			set |= 1U << i;
	}
	if (fd >= 0)
		close(fd);
	return set;
}

static unsigned int m_flood_set(int in, __u16 vid, const __u8 *dst)
{
	unsigned int set = 0;
	int i;

	for (i = 0; i < NPORTS; i++)
		if (i != in && !m_down[i] && m_member(i, vid) &&
		    m_stp[i] == DP_STP_FORWARDING &&
		    !(m_isolated[i] && m_isolated[in]) &&
		    !(m_flood_off[i] & flood_kind(dst)))
			set |= 1U << i;
	return set;
}

/* ---- frames ---- */

static void pick_dst(__u8 *d)
{
	static const __u8 bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	int r = (int)(rnd() % 100);

	if (r < 8) {
		memcpy(d, bc, 6);
	} else if (r < 13) {
		__u8 m[6] = { 0x01, 0x00, 0x5e, 0, 0, (__u8)rnd() };

		memcpy(d, m, 6);
	} else if (r < 18) {
		__u8 ll[6] = { 0x01, 0x80, 0xc2, 0, 0, (__u8)(rnd() % 0x14) };

		memcpy(d, ll, 6);
	} else if (r < 22) {
		__u8 never[6] = { 0x02, 0xee, 0, 0, 0, (__u8)(rnd() % 4) };

		memcpy(d, never, 6);
	} else {
		memcpy(d, pool[rnd() % POOL], 6);
	}
}

static void pick_src(__u8 *s)
{
	int r = (int)(rnd() % 100);

	memcpy(s, pool[rnd() % POOL], 6);
	if (r < 3)
		s[0] |= 1; /* multicast */
	else if (r < 4)
		memset(s, 0xff, 6); /* broadcast */
	else if (r < 5)
		memset(s, 0, 6); /* zero */
}

static const __u16 vids[] = { 0, 1, 2, 3, 3, 2, 4095 };

static int make_frame(__u8 *f)
{
	int r = (int)(rnd() % 100), off = 12, len;
	__u16 tci;

	memset(f, 0xa5, 256);
	pick_dst(f);
	pick_src(f + 6);
	if (r >= 40) { /* tagged: 802.1Q mostly, 802.1ad, double */
		__u16 t1 = chance(85) ? 0x8100 : 0x88a8;

		tci = (__u16)(vids[rnd() % (sizeof(vids) / sizeof(vids[0]))] |
			      (rnd() % 8) << 13);
		f[off] = t1 >> 8;
		f[off + 1] = t1 & 0xff;
		f[off + 2] = tci >> 8;
		f[off + 3] = tci & 0xff;
		off += 4;
		if (chance(20)) {
			tci = (__u16)(rnd() % 4096);
			f[off] = 0x81;
			f[off + 1] = 0x00;
			f[off + 2] = tci >> 8;
			f[off + 3] = tci & 0xff;
			off += 4;
		}
	}
	f[off] = 0x88;
	f[off + 1] = 0xb5;
	len = 60 + (int)(rnd() % 68);
	if (chance(5)) /* cut short somewhere in the headers */
		len = 14 + (int)(rnd() % (unsigned int)(off - 12 + 4));
	return len;
}

/* ---- comparing ---- */

static int mismatches;

static void compare_frame(unsigned long n, int in, const __u8 *dst,
			  const struct verdict *m, const struct tl_result *d)
{
	unsigned int dset, mset;
	bool same = d->action == m->action && d->trace.kind == m->kind;

	if (same && m->kind == XBR_FWD_DROP)
		same = d->trace.reason == m->reason;
	if (same && m->kind == XBR_FWD_UNICAST)
		same = port_index(d->trace.egress) == m->egress;
	if (same && m->kind == XBR_FWD_FLOOD) {
		dset = dp_flood_set(in, d->trace.vid, dst);
		mset = m_flood_set(in, m->vid, dst);
		same = dset == mset && d->trace.vid == m->vid;
	}
	if (same) {
		tl_passed++;
		return;
	}
	tl_failed++;
	if (mismatches++ < 10)
		fprintf(stderr,
			"frame %lu on p%d: datapath action %u kind %u reason %u egress %d; model action %u kind %u reason %u egress %d\n",
			n, in, d->action, d->trace.kind, d->trace.reason,
			port_index(d->trace.egress), m->action, m->kind,
			m->reason, m->egress);
}

struct fdb_cmp {
	int seen, bad;
};

static int cmp_entry(const struct dp_fdb_entry *e, void *ctx)
{
	struct fdb_cmp *c = ctx;
	struct m_entry *m = m_find(e->mac, e->vid);

	c->seen++;
	if (!m || m->port != port_index(e->ifindex) ||
	    m->is_static != !!(e->flags & XBR_FDB_F_STATIC)) {
		char t[18];

		dp_mac_format(e->mac, t);
		if (c->bad++ < 10)
			fprintf(stderr,
				"FDB: %s vlan %u on p%d in the datapath, %s in the model\n",
				t, e->vid, port_index(e->ifindex),
				m ? "elsewhere" : "absent");
	}
	return 0;
}

static void compare_state(const char *when)
{
	struct dp_port_counters c;
	struct fdb_cmp fc = {};
	int i;

	dp_fdb_dump(br, cmp_entry, &fc);
	TL_CHECK(!fc.bad && fc.seen == m_entries,
		 "%s: FDB differs (%d bad, %d entries vs %d in the model)",
		 when, fc.bad, fc.seen, m_entries);
	TL_CHECK(dp_bridge_learned(br) == (__u64)m_total,
		 "%s: bridge learned %llu, model %d", when,
		 dp_bridge_learned(br), m_total);
	for (i = 0; i < NPORTS; i++) {
		dp_port_counters(br, port[i], &c);
		TL_CHECK(c.fdb_entries == (__u64)m_learned[i],
			 "%s: p%d learned %llu, model %d", when, i,
			 c.fdb_entries, m_learned[i]);
		TL_CHECK(
			c.s.rx_packets == mc[i].rx_packets &&
				c.s.rx_bytes == mc[i].rx_bytes &&
				c.s.tx_packets == mc[i].tx_packets &&
				c.s.tx_bytes == mc[i].tx_bytes &&
				c.s.flooded == mc[i].flooded &&
				c.s.learned == mc[i].learned &&
				c.s.moved == mc[i].moved &&
				c.s.learn_refused == mc[i].refused &&
				c.s.punted == mc[i].punted &&
				!memcmp(c.s.drops, mc[i].drops,
					sizeof(c.s.drops)),
			"%s: p%d counters differ (rx %llu/%llu flooded %llu/%llu learned %llu/%llu moved %llu/%llu refused %llu/%llu punted %llu/%llu)",
			when, i, c.s.rx_packets, mc[i].rx_packets, c.s.flooded,
			mc[i].flooded, c.s.learned, mc[i].learned, c.s.moved,
			mc[i].moved, c.s.learn_refused, mc[i].refused,
			c.s.punted, mc[i].punted);
	}
}

/* A flush of dynamic entries by port, VLAN or all, in both. */
static void random_flush(bool all)
{
	struct dp_fdb_filter f = {};
	int r = all ? 2 : (int)(rnd() % 3), removed = 0, got, i;

	if (r == 0)
		f.ifindex = port[rnd() % NPORTS];
	else if (r == 1)
		f.vid = (__u16)(1 + rnd() % 3);
	for (i = 0; i < CAPACITY; i++) {
		struct m_entry *e = &table[i];

		if (!e->used || e->is_static)
			continue;
		if (f.ifindex && port[e->port] != f.ifindex)
			continue;
		if (f.vid && e->vid != f.vid)
			continue;
		m_remove(e);
		removed++;
	}
	got = dp_fdb_flush(br, &f);
	TL_CHECK(got == removed, "flush removed %d, model %d", got, removed);
}

/* A static entry in both; it replaces a learned one. */
static void add_static(int p, const __u8 *mac, __u16 vid)
{
	struct m_entry *e = m_find(mac, vid);
	int i, err;

	if (e)
		m_remove(e);
	err = dp_fdb_add_static(br, mac, vid, port[p]);
	if (m_entries == CAPACITY) {
		TL_CHECK(err == -ENOSPC, "static add to a full table: %d", err);
		return;
	}
	TL_CHECK(err == 0, "static add: %s", dp_error());
	for (i = 0; table[i].used; i++)
		;
	memcpy(table[i].mac, mac, 6);
	table[i].vid = vid;
	table[i].port = p;
	table[i].is_static = true;
	table[i].used = true;
	m_entries++;
}

static void random_static_add(void)
{
	add_static((int)(rnd() % NPORTS), pool[rnd() % POOL],
		   (__u16)(1 + rnd() % 3));
}

/* Delete one static entry. */
static void random_static_del(void)
{
	int i, n = 0, pick;

	for (i = 0; i < CAPACITY; i++)
		n += table[i].used && table[i].is_static;
	if (!n)
		return;
	pick = (int)(rnd() % (__u32)n);
	for (i = 0; i < CAPACITY; i++) {
		if (!table[i].used || !table[i].is_static || pick--)
			continue;
		TL_CHECK(dp_fdb_del(br, table[i].mac, table[i].vid) == 0,
			 "static delete: %s", dp_error());
		m_remove(&table[i]);
		return;
	}
}

static __u64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

static unsigned long n_frames;
/* flush, static add, static delete, ageing, a port flag (down, isolated,
 * flood) */
static int n_ops[5], n_aged;

/* One random frame through both. */
static void one_frame(void)
{
	struct tl_result res;
	struct verdict mv;
	__u8 frame[256];
	int len, in;

	in = (int)(rnd() % NPORTS);
	len = make_frame(frame);
	mv = m_frame(in, frame, len);
	if (tl_run(br, port[in], frame, len, &res)) {
		TL_CHECK(0, "BPF_PROG_RUN failed at frame %lu", n_frames);
		exit(tl_finish());
	}
	compare_frame(n_frames++, in, frame, &mv, &res);
}

/*
 * Ageing between frames: after a flush, frames learn, then the clock
 * moves on by AGE_GAP_NS, more frames learn, and ageing removes what was
 * learned (or moved) before the gap and keeps what came after. The
 * datapath stamps entries with the coarse clock, which never runs ahead
 * of CLOCK_MONOTONIC: waiting until the coarse clock has passed the gap
 * makes every later stamp fall after it. All of it takes far less than
 * the refresh interval, so no entry's stamp is refreshed meanwhile; if
 * the machine was too slow for that, the step ends in a flush instead.
 */
static void age_step(void)
{
	__u64 start, mark;
	int i, removed = 0, got;

	random_flush(true);
	start = clock_ns(CLOCK_MONOTONIC);
	for (i = 0; i < AGE_FRAMES; i++)
		one_frame();
	mark = clock_ns(CLOCK_MONOTONIC);
	while (clock_ns(CLOCK_MONOTONIC_COARSE) <= mark + AGE_GAP_NS)
		usleep(1000);
	epoch++;
	for (i = 0; i < AGE_FRAMES; i++)
		one_frame();
	if (clock_ns(CLOCK_MONOTONIC) - start > XBR_FDB_REFRESH_NS * 8 / 10) {
		random_flush(true);
		return;
	}
	for (i = 0; i < CAPACITY; i++) {
		if (table[i].used && !table[i].is_static &&
		    table[i].stamp < epoch) {
			m_remove(&table[i]);
			removed++;
		}
	}
	/* Older than the middle of the gap: learned before it. */
	got = dp_fdb_age(br,
			 clock_ns(CLOCK_MONOTONIC) - (mark + AGE_GAP_NS / 2));
	TL_CHECK(got == removed, "ageing removed %d, model %d", got, removed);
	n_aged += removed;
}

/* A port set down or up again, isolated or not, a flood refused or
 * taken again, or another spanning-tree state, in both. */
static void random_port_flag(void)
{
	int p = (int)(rnd() % NPORTS);

	if (chance(25)) {
		m_stp[p] = (int)(rnd() % 3);
		TL_CHECK(dp_port_set_stp_state(
				 br, port[p], (enum dp_stp_state)m_stp[p]) == 0,
			 "port stp state: %s", dp_error());
		return;
	}

	if (chance(34)) {
		static const __u32 kinds[] = { XBR_PORT_F_NO_UCAST,
					       XBR_PORT_F_NO_MCAST,
					       XBR_PORT_F_NO_BCAST };

		m_flood_off[p] ^= kinds[rnd() % 3];
		TL_CHECK(dp_port_set_flood(br, port[p], m_flood_off[p]) == 0,
			 "port flood: %s", dp_error());
		return;
	}
	if (chance(50)) {
		m_down[p] = !m_down[p];
		TL_CHECK(dp_port_set_down(br, port[p], m_down[p]) == 0,
			 "port down: %s", dp_error());
		return;
	}
	m_isolated[p] = !m_isolated[p];
	TL_CHECK(dp_port_set_isolated(br, port[p], m_isolated[p]) == 0,
		 "port isolated: %s", dp_error());
}

static void random_op(void)
{
	static const char *const what[] = { "flush", "static add",
					    "static delete", "ageing",
					    "port flag" };
	int r = (int)(rnd() % 10), op;
	char when[64];

	op = r < 3 ? 1 : r < 5 ? 2 : r < 7 ? 0 : r < 8 ? 3 : 4;
	if (op == 4)
		random_port_flag();
	else if (op == 1)
		random_static_add();
	else if (op == 2)
		random_static_del();
	else if (op == 0)
		random_flush(false);
	else
		age_step();
	n_ops[op]++;
	snprintf(when, sizeof(when), "after a %s at frame %lu", what[op],
		 n_frames);
	compare_state(when);
}

int main(void)
{
	unsigned long frames = 100000;
	unsigned long long seed;
	char name[16], peer[16];
	int i;

	tl_init("diff_test");
	rng = getenv("XBR_DIFF_SEED")
		      ? strtoull(getenv("XBR_DIFF_SEED"), NULL, 0)
		      : (__u64)time(NULL);
	if (!rng)
		rng = 1;
	if (getenv("XBR_DIFF_FRAMES"))
		frames = strtoul(getenv("XBR_DIFF_FRAMES"), NULL, 0);
	seed = (unsigned long long)rng;
	printf("seed %llu, %lu frames\n", seed, frames);

	br = tl_bridge("td", CAPACITY, true);
	for (i = 0; i < NPORTS; i++) {
		struct dp_port_opts o = {
			.sz = sizeof(o),
			.learn_limit = i == LIMIT_PORT ? LIMIT : 0,
		};
		struct dp_port_vlan pv = {
			.trunk = trunk[i],
			.tpid = tpid[i],
			.pvid = pvid[i],
		};
		int k;

		snprintf(name, sizeof(name), "dp%d", i);
		snprintf(peer, sizeof(peer), "dq%d", i);
		port[i] = tl_veth(name, peer);
		for (k = 1; k <= XBR_VID_MAX; k++)
			if (m_member(i, (__u16)k))
				dp_vlan_add(&pv.allowed, (__u16)k);
		if (dp_port_add(br, port[i], &o, NULL) ||
		    dp_port_set_vlan(br, port[i], &pv)) {
			fprintf(stderr, "port add: %s\n", dp_error());
			return 1;
		}
	}
	for (i = 0; i < POOL; i++) {
		__u8 m[6] = { 0x02, 0, 0, 0, 0x10, (__u8)i };

		memcpy(pool[i], m, 6);
	}
	add_static(0, pool[0], 1);
	add_static(2, pool[1], 2);
	add_static(1, pool[2], 3); /* p1 is not in VLAN 3 */

	while (n_frames < frames) {
		one_frame();
		if (n_frames % OP_EVERY == 0)
			random_op();
	}
	if (mismatches)
		fprintf(stderr, "%d of %lu frames differ (seed %llu)\n",
			mismatches, frames, seed);
	compare_state("end");
	printf("model: %d entries (%d learned) at the end\n", m_entries,
	       m_total);
	printf("%d flushes, %d static adds, %d static deletes, %d ageing steps (%d entries aged), %d port flags changed\n",
	       n_ops[0], n_ops[1], n_ops[2], n_ops[3], n_aged, n_ops[4]);
	return tl_finish();
}
