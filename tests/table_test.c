// SPDX-License-Identifier: GPL-2.0-only
/*
 * Table tests of the ingress program through BPF_PROG_RUN on the real
 * object: one row per branch, with the frame, the ingress port, the
 * expected verdict and egress, the counters that must change (and no
 * other), and the FDB entries that must (or must not) exist afterwards.
 * Rows run in order and share the FDB, like frames on a real switch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "tests/testlib.h"

#define NPORTS	 9
#define NOT_PORT (-1) /* the peer of p0: an interface, not a port */
#define ABSENT	 (-2)

#define A     "02:00:00:00:00:0a"
#define B     "02:00:00:00:00:0b"
#define C     "02:00:00:00:00:0c"
#define D     "02:00:00:00:00:0d"
#define E     "02:00:00:00:00:0e"
#define F     "02:00:00:00:00:0f"
#define G     "02:00:00:00:00:10"
#define H     "02:00:00:00:00:11"
#define S     "02:00:00:00:00:55"
#define V1    "02:00:00:00:01:01"
#define V2    "02:00:00:00:01:02"
#define V3    "02:00:00:00:01:03"
#define V4    "02:00:00:00:01:04"
#define L     "02:00:00:00:02:01" /* an internal port's own MAC, on p1 */
#define W     "02:00:00:00:00:21"
#define W2    "02:00:00:00:00:22"
#define DN    "02:00:00:00:00:23"
#define I2    "02:00:00:00:00:24" /* a station on p2, isolated */
#define I0    "02:00:00:00:00:25" /* a station on p0, isolated */
#define PS    "02:00:00:00:00:26" /* a new source on p2, at its limit */
#define M0    "02:00:00:00:00:27" /* a station on p0 (mirroring) */
#define M1    "02:00:00:00:00:28" /* a static entry on p8, a destination */
#define M2    "02:00:00:00:00:29" /* a static entry on p2 */
#define R     "02:00:00:00:00:30" /* an active station (refresh) */
#define X     "02:00:00:00:00:77"
#define U     "02:99:99:99:99:99"
#define BC    "ff:ff:ff:ff:ff:ff"
#define MC    "01:00:5e:00:00:01"
#define STP   "01:80:c2:00:00:00"
#define LLDP  "01:80:c2:00:00:0e"
#define NOTLL "01:80:c2:00:00:10"
#define ZERO  "00:00:00:00:00:00"

#define Q  0x8100
#define AD 0x88a8

static struct dp_bridge *br;
static int port[NPORTS]; /* ifindex of p0..p4 */
static int p0_peer;
static int fdb_fd;

struct fdb_expect {
	const char *mac; /* NULL: no check */
	__u16 vid;
	int port; /* port index, or ABSENT */
	bool is_static;
};

struct delta {
	__u64 flooded, learned, moved, refused, punted;
	int drop;  /* reason counted once, or 0 */
	int storm; /* 1 + XBR_STORM_* of a flood storm control dropped */
};

struct row {
	const char *name;
	void (*before)(void);
	int in; /* port index or NOT_PORT */
	struct tl_frame_spec f;
	__u32 action;
	__u8 kind;
	int egress; /* port index for XBR_FWD_UNICAST */
	__u16 vid;  /* expected VLAN (not checked for drops at parse) */
	struct delta d;
	struct fdb_expect fdb[2];
	bool (*after)(void);
	const char *out12; /* the output frame from byte 12, in hex */
};

/* ---- hooks ---- */

static void add_static_s(void)
{
	__u8 mac[6];

	tl_mac(S, mac);
	if (dp_fdb_add_static(br, mac, 1, port[2]))
		fprintf(stderr, "static add: %s\n", dp_error());
}

static void static_v4_vlan20_on_p5(void)
{
	__u8 mac[6];

	tl_mac(V4, mac);
	if (dp_fdb_add_static(br, mac, 20, port[5]))
		fprintf(stderr, "static add: %s\n", dp_error());
}

/* The slow path: host CPU 0 only, then with control CPU 1, then none. */
static void slow_host_only(void)
{
	__u8 mac[6];

	tl_mac(L, mac);
	if (dp_fdb_add_local(br, mac, 1, port[1]) ||
	    dp_host_port_set(br, mac, port[1]) ||
	    dp_slowpath_set(br, 0, -1, 64))
		fprintf(stderr, "slow path: %s\n", dp_error());
}

static void slow_with_control(void)
{
	if (dp_slowpath_set(br, 0, 1, 64))
		fprintf(stderr, "slow path: %s\n", dp_error());
}

static void slow_off(void)
{
	dp_slowpath_clear(br);
}

static void limit_p2(void)
{
	dp_port_set_learn_limit(br, port[2], 1);
}

static void limit_bridge(void)
{
	dp_bridge_set_learn_limit(br, (__u32)dp_bridge_learned(br));
}

static bool unlimit_bridge(void)
{
	return dp_bridge_set_learn_limit(br, 0) == 0;
}

/* Write an entry behind the datapath's back (as the datapath would). */
static void raw_put(const char *m, __u16 vid, __u32 ifindex, __u64 age_ns,
		    __u32 flags)
{
	struct xbr_fdb_key k = { .vid = vid };
	struct xbr_fdb_val v = { .ifindex = ifindex, .flags = flags };
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	v.last_seen =
		(__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec - age_ns;
	tl_mac(m, k.mac);
	if (bpf_map_update_elem(fdb_fd, &k, &v, BPF_ANY))
		fprintf(stderr, "raw fdb write failed\n");
}

static __u64 raw_last_seen(const char *m, __u16 vid)
{
	struct xbr_fdb_key k = { .vid = vid };
	struct xbr_fdb_val v = {};

	tl_mac(m, k.mac);
	bpf_map_lookup_elem(fdb_fd, &k, &v);
	return v.last_seen;
}

/* An entry whose port is no longer in the egress map (the peer of p0). */
static void stale_x(void)
{
	raw_put(X, 1, (__u32)p0_peer, 0, XBR_FDB_F_STATIC);
}

static bool drop_x(void)
{
	__u8 mac[6];

	tl_mac(X, mac);
	return dp_fdb_del(br, mac, 1) == 0;
}

static __u64 d_seen_before;

static void age_a_5s_d_half(void)
{
	raw_put(A, 1, (__u32)port[0], 5000000000ULL, 0);
	raw_put(D, 1, (__u32)port[0], 500000000ULL, 0);
	d_seen_before = raw_last_seen(D, 1);
}

/* A stale entry is refreshed; a fresh one is not written. */
static bool refreshed(void)
{
	struct dp_fdb_entry e;
	__u8 mac[6];

	tl_mac(A, mac);
	if (dp_fdb_lookup(br, mac, 1, &e) || e.age_ns > 1000000000ULL)
		return false;
	return raw_last_seen(D, 1) == d_seen_before;
}

/* A port down (shut down or err-disabled); DN is a static entry on it. */
static void down_p1(void)
{
	__u8 mac[6];

	tl_mac(DN, mac);
	if (dp_port_set_down(br, port[1], true) ||
	    dp_fdb_add_static(br, mac, 1, port[1]))
		fprintf(stderr, "port down: %s\n", dp_error());
}

static bool up_p1(void)
{
	__u8 mac[6];

	tl_mac(DN, mac);
	return dp_port_set_down(br, port[1], false) == 0 &&
	       dp_fdb_del(br, mac, 1) == 0;
}

/* Spanning tree (issue 11): p1 discarding, then learning; SD a static
 * entry on p1. */
#define SD "02:00:00:00:00:27"
#define SL "02:00:00:00:00:28" /* a source on p1 while it learns */

static void stp_p1(enum dp_stp_state state)
{
	__u8 mac[6];

	tl_mac(SD, mac);
	if (dp_port_set_stp_state(br, port[1], state) ||
	    (dp_fdb_lookup(br, mac, 1, &(struct dp_fdb_entry){}) &&
	     dp_fdb_add_static(br, mac, 1, port[1])))
		fprintf(stderr, "stp state: %s\n", dp_error());
}

static void discard_p1(void)
{
	stp_p1(DP_STP_DISCARDING);
}

static void learn_p1(void)
{
	stp_p1(DP_STP_LEARNING);
}

static bool forward_p1(void)
{
	__u8 mac[6];

	tl_mac(SD, mac);
	return dp_port_set_stp_state(br, port[1], DP_STP_FORWARDING) == 0 &&
	       dp_fdb_del(br, mac, 1) == 0;
}

/* p0 and p2 isolated; I2 a static entry on p2. */
static void isolate_p0_p2(void)
{
	__u8 mac[6];

	tl_mac(I2, mac);
	if (dp_port_set_isolated(br, port[0], true) ||
	    dp_port_set_isolated(br, port[2], true) ||
	    dp_fdb_add_static(br, mac, 1, port[2]))
		fprintf(stderr, "isolated: %s\n", dp_error());
}

static bool unisolate(void)
{
	__u8 mac[6];

	tl_mac(I2, mac);
	return dp_port_set_isolated(br, port[0], false) == 0 &&
	       dp_port_set_isolated(br, port[2], false) == 0 &&
	       dp_fdb_del(br, mac, 1) == 0;
}

/* Port security on p2 (at its learn limit of 1). */
static void protect_p2(void)
{
	if (dp_port_set_protect(br, port[2], true))
		fprintf(stderr, "protect: %s\n", dp_error());
}

static bool unprotect_p2(void)
{
	return dp_port_set_protect(br, port[2], false) == 0;
}

/* Storm control on p1: one frame a second of each kind; the bucket
 * holds 10 ms beyond that, so the first frame passes and the next not. */
static void storm_p1(void)
{
	__u32 k;

	for (k = 0; k < XBR_STORM_KINDS; k++)
		if (dp_port_set_storm(br, port[1], k, 1))
			fprintf(stderr, "storm: %s\n", dp_error());
}

static bool unstorm_p1(void)
{
	__u32 k;

	for (k = 0; k < XBR_STORM_KINDS; k++)
		if (dp_port_set_storm(br, port[1], k, 0))
			return false;
	return true;
}

/* Mirroring: p8 the destination of a session whose rx source is p0; M1
 * a static entry on p8, M2 on p2. */
static void mirror_p0_to_p8(void)
{
	struct xbr_mirror src = { .rx_dest = (__u32)port[8] }, dst = { 0 };
	__u8 m1[6], m2[6];

	tl_mac(M1, m1);
	tl_mac(M2, m2);
	if (dp_fdb_add_static(br, m1, 1, port[8]) ||
	    dp_fdb_add_static(br, m2, 1, port[2]) ||
	    dp_port_set_mirror(br, port[8], XBR_PORT_F_MIRROR_DST, &dst) ||
	    dp_port_set_mirror(br, port[0], XBR_PORT_F_MIRROR_RX, &src))
		fprintf(stderr, "mirror: %s\n", dp_error());
}

static bool unmirror(void)
{
	__u8 m1[6], m2[6];
	__u32 flags = 1;
	struct xbr_mirror m;

	tl_mac(M1, m1);
	tl_mac(M2, m2);
	return dp_port_set_mirror(br, port[0], 0, NULL) == 0 &&
	       dp_port_set_mirror(br, port[8], 0, NULL) == 0 &&
	       dp_port_get_mirror(br, port[0], &flags, &m) == 0 && !flags &&
	       !m.rx_dest && dp_fdb_del(br, m1, 1) == 0 &&
	       dp_fdb_del(br, m2, 1) == 0;
}

/* ---- the table ---- */

static const struct row rows[] = {
	{ "broadcast floods and learns the source",
	  NULL,
	  0,
	  { BC, A },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1, .learned = 1 },
	  { { A, 1, 0 } } },
	{ "unknown unicast floods",
	  NULL,
	  0,
	  { U, A },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1 },
	  { { U, 1, ABSENT } } },
	{ "reply to a known address goes to its port only",
	  NULL,
	  1,
	  { A, B },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  0,
	  1,
	  { .learned = 1 },
	  { { B, 1, 1 } } },
	{ "known unicast",
	  NULL,
	  0,
	  { B, A },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  1,
	  1,
	  {},
	  { { A, 1, 0 } } },
	{ "destination on the ingress port is dropped",
	  NULL,
	  1,
	  { B, C },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .learned = 1, .drop = XBR_DROP_SAME_PORT },
	  { { C, 1, 1 } } },
	{ "a station that moves is learned on its new port",
	  NULL,
	  2,
	  { U, A },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1, .moved = 1 },
	  { { A, 1, 2 } } },
	{ "multicast destination floods",
	  NULL,
	  0,
	  { MC, D },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1, .learned = 1 },
	  { { D, 1, 0 } } },
	{ "multicast source is dropped, not learned",
	  NULL,
	  0,
	  { BC, MC },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .drop = XBR_DROP_SRC_MAC },
	  { { MC, 1, ABSENT } } },
	{ "broadcast source is dropped",
	  NULL,
	  0,
	  { A, BC },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .drop = XBR_DROP_SRC_MAC },
	  { { BC, 1, ABSENT } } },
	{ "zero source is dropped",
	  NULL,
	  0,
	  { A, ZERO },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .drop = XBR_DROP_SRC_MAC },
	  { { ZERO, 1, ABSENT } } },
	{ "STP BPDU goes to the stack, never flooded; source learned",
	  NULL,
	  0,
	  { STP, A, .proto = 0x0026 },
	  XDP_PASS,
	  XBR_FWD_PUNT,
	  0,
	  1,
	  { .punted = 1, .moved = 1 },
	  { { A, 1, 0 } } },
	{ "LLDP goes to the stack",
	  NULL,
	  1,
	  { LLDP, B, .proto = 0x88cc },
	  XDP_PASS,
	  XBR_FWD_PUNT,
	  0,
	  1,
	  { .punted = 1 } },
	{ "01:80:c2:00:00:10 is not link-local: flooded",
	  NULL,
	  1,
	  { NOTLL, B },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1 } },
	{ "802.1Q tag names the VLAN; learned in that VLAN",
	  NULL,
	  0,
	  { BC, A, Q, 10 },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  10,
	  { .flooded = 1, .learned = 1 },
	  { { A, 10, 0 }, { A, 1, 0 } } },
	{ "lookup is per VLAN: known in VLAN 10",
	  NULL,
	  1,
	  { A, B, Q, 10 },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  0,
	  10,
	  { .learned = 1 },
	  { { B, 10, 1 } } },
	{ "lookup is per VLAN: unknown in VLAN 20 floods",
	  NULL,
	  1,
	  { A, B, Q, 20 },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  20,
	  { .flooded = 1, .learned = 1 },
	  { { A, 20, ABSENT } } },
	{ "priority tag (VID 0) belongs to the PVID",
	  NULL,
	  0,
	  { B, A, Q, 0, .pcp1 = 5 },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  1,
	  1,
	  {} },
	{ "double 802.1Q tag: the outer tag names the VLAN",
	  NULL,
	  0,
	  { BC, A, Q, 30, Q, 40 },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  30,
	  { .flooded = 1, .learned = 1 },
	  { { A, 30, 0 }, { A, 40, ABSENT } } },
	{ "untagged frame on a port with PVID 7",
	  NULL,
	  3,
	  { BC, D },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  7,
	  { .flooded = 1, .learned = 1 },
	  { { D, 7, 3 } } },
	{ "802.1ad frame on an 802.1Q port belongs to the PVID",
	  NULL,
	  3,
	  { BC, C, AD, 100, Q, 5 },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  7,
	  { .flooded = 1, .learned = 1 },
	  { { C, 7, 3 }, { C, 100, ABSENT } } },
	{ "VID 4095 is reserved: dropped",
	  NULL,
	  0,
	  { BC, E, Q, 4095 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  4095,
	  { .drop = XBR_DROP_VLAN_RESERVED },
	  { { E, 4095, ABSENT } } },
	{ "14-byte untagged frame is a whole header: flooded",
	  NULL,
	  0,
	  { BC, A, .len = 14 },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1 } },
	{ "runt of 14 bytes with a VLAN TPID: truncated",
	  NULL,
	  0,
	  { BC, E, Q, 10, .len = 14 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  0,
	  { .drop = XBR_DROP_TRUNCATED },
	  { { E, 10, ABSENT }, { E, 1, ABSENT } } },
	{ "runt of 15 bytes: truncated tag",
	  NULL,
	  0,
	  { BC, E, Q, 10, .len = 15 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  0,
	  { .drop = XBR_DROP_TRUNCATED } },
	{ "runt of 16 bytes: truncated tag",
	  NULL,
	  0,
	  { BC, E, Q, 10, .len = 16 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  0,
	  { .drop = XBR_DROP_TRUNCATED } },
	{ "runt of 17 bytes: truncated tag",
	  NULL,
	  0,
	  { BC, E, Q, 10, .len = 17 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  0,
	  { .drop = XBR_DROP_TRUNCATED },
	  { { E, 10, ABSENT } } },
	{ "18 bytes hold a whole tag: forwarded",
	  NULL,
	  0,
	  { BC, E, Q, 10, .len = 18 },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  10,
	  { .flooded = 1, .learned = 1 },
	  { { E, 10, 0 } } },
	{ "double tag with the inner tag cut short: truncated",
	  NULL,
	  0,
	  { BC, F, Q, 10, Q, 11, .len = 21 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  0,
	  { .drop = XBR_DROP_TRUNCATED },
	  { { F, 10, ABSENT } } },
	{ "802.1ad tag cut short: truncated",
	  NULL,
	  0,
	  { BC, F, AD, 10, .len = 16 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  0,
	  { .drop = XBR_DROP_TRUNCATED },
	  { { F, 1, ABSENT } } },
	{ "a static entry is never learned over",
	  add_static_s,
	  0,
	  { BC, S },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1 },
	  { { S, 1, 2, true } } },
	{ "a static destination is forwarded to its port",
	  NULL,
	  0,
	  { S, A },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  2,
	  1,
	  {},
	  { { S, 1, 2, true } } },
	{ "a port with learning off learns nothing",
	  NULL,
	  4,
	  { BC, E },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1 },
	  { { E, 1, ABSENT } } },
	{ "port learn limit: first address learned",
	  limit_p2,
	  2,
	  { BC, F },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1, .learned = 1 },
	  { { F, 1, 2 } } },
	{ "port learn limit: next address refused, frame still flooded",
	  NULL,
	  2,
	  { BC, G },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1, .refused = 1 },
	  { { G, 1, ABSENT } } },
	{ "a move into a port at its limit removes the old entry",
	  NULL,
	  2,
	  { U, B },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1, .refused = 1 },
	  { { B, 1, ABSENT } } },
	{ "bridge learn limit refuses new addresses",
	  limit_bridge,
	  1,
	  { BC, H },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1, .refused = 1 },
	  { { H, 1, ABSENT } },
	  unlimit_bridge },
	{ "entry pointing to a device not in the egress map: no-egress",
	  stale_x,
	  0,
	  { X, A },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .drop = XBR_DROP_NO_EGRESS },
	  {},
	  drop_x },
	{ "frame on an interface that is not a port is passed, not counted",
	  NULL,
	  NOT_PORT,
	  { BC, H },
	  XDP_PASS,
	  XBR_FWD_DROP,
	  0,
	  0,
	  {},
	  { { H, 1, ABSENT } } },
	{ "stale entry refreshed, fresh entry not rewritten",
	  age_a_5s_d_half,
	  0,
	  { BC, A },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1 },
	  { { A, 1, 0 } } },
	{ "(then the fresh entry's station talks)",
	  NULL,
	  0,
	  { S, D },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  2,
	  1,
	  {},
	  { { D, 1, 0 } },
	  refreshed },

	/* VLANs: p5 access 10; p6 trunk {10, 20}, no native; p7 802.1ad
	 * trunk {100}; p8 802.1ad access port in 100 (a QinQ tunnel). */
	{ "a tagged frame on an access port is dropped",
	  NULL,
	  5,
	  { BC, V1, Q, 10 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  10,
	  { .drop = XBR_DROP_TAGGED },
	  { { V1, 10, ABSENT } } },
	{ "an untagged frame on a trunk without native VLAN is dropped",
	  NULL,
	  6,
	  { BC, V2 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  0,
	  { .drop = XBR_DROP_UNTAGGED },
	  { { V2, 1, ABSENT } } },
	{ "a VLAN the trunk does not carry is dropped",
	  NULL,
	  6,
	  { BC, V2, Q, 30 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  30,
	  { .drop = XBR_DROP_VLAN_NOT_ALLOWED },
	  { { V2, 30, ABSENT } } },
	{ "untagged on an access port: flooded as it came, no tag added",
	  NULL,
	  5,
	  { BC, V1 },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  10,
	  { .flooded = 1, .learned = 1 },
	  { { V1, 10, 5 } },
	  NULL,
	  "88b5" },
	/* Unicast frames leave the ingress program as they came; the
	 * egress program tags them (test_egress). */
	{ "trunk to access: to p5 as it came",
	  NULL,
	  6,
	  { V1, V2, Q, 10, .pcp1 = 5 },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  5,
	  10,
	  { .learned = 1 },
	  { { V2, 10, 6 } },
	  NULL,
	  "8100a00a88b5" },
	{ "access to trunk: to p6 as it came",
	  NULL,
	  5,
	  { V2, V1 },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  6,
	  10,
	  {},
	  {},
	  NULL,
	  "88b5" },
	{ "trunk to trunk: to p6 as it came",
	  NULL,
	  0,
	  { V2, V3, Q, 10, .pcp1 = 6 },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  6,
	  10,
	  { .learned = 1 },
	  { { V3, 10, 0 } },
	  NULL,
	  "8100c00a88b5" },
	{ "flooded with a tag keeps its priority",
	  NULL,
	  6,
	  { BC, V2, Q, 20, .pcp1 = 3 },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  20,
	  { .flooded = 1, .learned = 1 },
	  { { V2, 20, 6 } },
	  NULL,
	  "8100601488b5" },
	{ "QinQ: the customer's tag is payload on an 802.1ad port",
	  NULL,
	  7,
	  { BC, V3, AD, 100, Q, 5 },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  100,
	  { .flooded = 1, .learned = 1 },
	  { { V3, 100, 7 } },
	  NULL,
	  "88a800648100000588b5" },
	{ "QinQ: a tunnel port's frame to the 802.1ad trunk as it came",
	  NULL,
	  8,
	  { V3, V4, Q, 5 },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  7,
	  100,
	  { .learned = 1 },
	  { { V4, 100, 8 } },
	  NULL,
	  "8100000588b5" },
	{ "QinQ: back to the tunnel port as it came",
	  NULL,
	  7,
	  { V4, V3, AD, 100, Q, 5 },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  8,
	  100,
	  {},
	  {},
	  NULL,
	  "88a800648100000588b5" },
	{ "slow path: a frame for the host goes to the host CPU's queue",
	  slow_host_only,
	  0,
	  { L, A },
	  XDP_REDIRECT,
	  XBR_FWD_SLOW,
	  1,
	  1,
	  {},
	  { { L, 1, 1, true } } },
	{ "slow path: with no control CPU, control frames stay here",
	  NULL,
	  0,
	  { LLDP, A, .proto = 0x88cc },
	  XDP_PASS,
	  XBR_FWD_PUNT,
	  -1,
	  1,
	  { .punted = 1 } },
	{ "slow path: with a control CPU, control frames go to its queue",
	  slow_with_control,
	  0,
	  { LLDP, A, .proto = 0x88cc },
	  XDP_REDIRECT,
	  XBR_FWD_SLOW,
	  -1,
	  1,
	  { .punted = 1 } },
	{ "no slow path: a frame for the host is ordinary unicast",
	  slow_off,
	  0,
	  { L, A },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  1,
	  1,
	  {},
	  { { L, 1, 1, true } } },
	{ "a static entry on a port outside the VLAN: egress-not-member",
	  static_v4_vlan20_on_p5,
	  6,
	  { V4, V2, Q, 20 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  20,
	  { .drop = XBR_DROP_EGRESS_VLAN } },
	/* fault 12.4: shutdown */
	{ "a port down takes nothing in, a BPDU neither; nothing learned",
	  down_p1,
	  1,
	  { STP, W, .proto = 0x0026 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  0,
	  { .drop = XBR_DROP_PORT_DOWN },
	  { { W, 1, ABSENT } } },
	{ "known unicast to a port down: dropped, counted on ingress",
	  NULL,
	  0,
	  { DN, W2 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .learned = 1, .drop = XBR_DROP_PORT_DOWN },
	  { { W2, 1, 0 } },
	  up_p1 },
	{ "the port back up forwards again",
	  NULL,
	  1,
	  { W2, W },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  0,
	  1,
	  { .learned = 1 },
	  { { W, 1, 1 } } },
	/* issue 11: spanning-tree port states */
	{ "discarding: a frame is dropped, its source not learned",
	  discard_p1,
	  1,
	  { BC, SL },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .drop = XBR_DROP_STP_DISCARDING },
	  { { SL, 1, ABSENT } } },
	{ "discarding: a BPDU goes to the stack; its source not learned",
	  NULL,
	  1,
	  { STP, SL, .proto = 0x0026 },
	  XDP_PASS,
	  XBR_FWD_PUNT,
	  0,
	  1,
	  { .punted = 1 },
	  { { SL, 1, ABSENT } } },
	{ "discarding: LLDP is dropped",
	  NULL,
	  1,
	  { LLDP, SL, .proto = 0x88cc },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .drop = XBR_DROP_STP_DISCARDING } },
	{ "known unicast to a discarding port: dropped, counted on ingress",
	  NULL,
	  0,
	  { SD, W2 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .drop = XBR_DROP_STP_DISCARDING } },
	{ "learning: the source is learned, the frame dropped",
	  learn_p1,
	  1,
	  { W2, SL },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .learned = 1, .drop = XBR_DROP_STP_DISCARDING },
	  { { SL, 1, 1 } } },
	{ "known unicast to a learning port: dropped",
	  NULL,
	  0,
	  { SL, W2 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .drop = XBR_DROP_STP_DISCARDING },
	  {},
	  forward_p1 },
	{ "forwarding again: known unicast to it is forwarded",
	  NULL,
	  0,
	  { SL, W2 },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  1,
	  1,
	  {} },
	{ "a BPDU on a trunk without native VLAN goes to the stack",
	  NULL,
	  6,
	  { STP, V2, .proto = 0x0026 },
	  XDP_PASS,
	  XBR_FWD_PUNT,
	  0,
	  0,
	  { .punted = 1 },
	  { { V2, 1, ABSENT } } },
	/* fault 12.1: isolation */
	{ "isolated to isolated: dropped, counted on ingress",
	  isolate_p0_p2,
	  0,
	  { I2, I0 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .learned = 1, .drop = XBR_DROP_ISOLATED },
	  { { I0, 1, 0 } } },
	{ "isolated to a port not isolated: forwarded",
	  NULL,
	  0,
	  { W, I0 },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  1,
	  1,
	  {} },
	{ "not isolated to isolated: forwarded",
	  NULL,
	  1,
	  { I2, W },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  2,
	  1,
	  {},
	  {},
	  unisolate },
	{ "no longer isolated: forwarded",
	  NULL,
	  2,
	  { I0, I2 },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  0,
	  1,
	  { .refused = 1 }, /* p2 is at its learn limit */
	  { { I2, 1, ABSENT } } },
	/* fault 12.6: port security */
	{ "violation protect: a new source at the limit is dropped",
	  protect_p2,
	  2,
	  { BC, PS },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .refused = 1, .drop = XBR_DROP_SRC_REFUSED },
	  { { PS, 1, ABSENT } },
	  unprotect_p2 },
	{ "without it, the same frame is forwarded (refused, not learned)",
	  NULL,
	  2,
	  { BC, PS },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1, .refused = 1 },
	  { { PS, 1, ABSENT } } },
	/* fault 12.3: storm control */
	{ "storm control: a broadcast within its rate floods",
	  storm_p1,
	  1,
	  { BC, W },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1 } },
	{ "storm control: the next, over the rate, is dropped",
	  NULL,
	  1,
	  { BC, W },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .drop = XBR_DROP_STORM, .storm = 1 + XBR_STORM_BCAST } },
	{ "storm control: multicast has a bucket of its own",
	  NULL,
	  1,
	  { MC, W },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1 } },
	{ "storm control: unknown unicast within its rate floods",
	  NULL,
	  1,
	  { U, W },
	  XDP_REDIRECT,
	  XBR_FWD_FLOOD,
	  0,
	  1,
	  { .flooded = 1 } },
	{ "storm control: unknown unicast over its rate is dropped",
	  NULL,
	  1,
	  { U, W },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .drop = XBR_DROP_STORM, .storm = 1 + XBR_STORM_UNKNOWN } },
	{ "storm control: known unicast is not policed",
	  NULL,
	  1,
	  { I0, W },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  0,
	  1,
	  {},
	  {},
	  unstorm_p1 },
	/* fault 12.5: mirroring */
	{ "a mirror's destination takes nothing in, learns nothing",
	  mirror_p0_to_p8,
	  8,
	  { BC, X },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  0,
	  { .drop = XBR_DROP_MIRROR_DEST },
	  { { X, 1, ABSENT } } },
	{ "unicast to a mirror's destination: dropped on the ingress port",
	  NULL,
	  0,
	  { M1, M0 },
	  XDP_DROP,
	  XBR_FWD_DROP,
	  0,
	  1,
	  { .learned = 1, .drop = XBR_DROP_MIRROR_DEST },
	  { { M0, 1, 0 } } },
	{ "unicast from an rx source: sent (broadcast for the copy), not a flood",
	  NULL,
	  0,
	  { M2, M0 },
	  XDP_REDIRECT,
	  XBR_FWD_UNICAST,
	  2,
	  1,
	  {},
	  { { M0, 1, 0 } },
	  unmirror },
};

/* ---- checking ---- */

static int port_index(__u32 ifindex)
{
	int i;

	for (i = 0; i < NPORTS; i++)
		if ((__u32)port[i] == ifindex)
			return i;
	return ABSENT;
}

static void counters_all(struct dp_port_counters c[NPORTS])
{
	int i;

	for (i = 0; i < NPORTS; i++)
		if (dp_port_counters(br, port[i], &c[i]))
			fprintf(stderr, "counters: %s\n", dp_error());
}

static void check_counters(const struct row *r, int len, int out_len,
			   const struct dp_port_counters *before,
			   const struct dp_port_counters *after)
{
	struct xbr_port_stats want;
	const __u64 *w, *g;
	size_t k;
	int i;

	for (i = 0; i < NPORTS; i++) {
		want = before[i].s;
		if (i == r->in) {
			want.rx_packets++;
			want.rx_bytes += (__u64)len;
			want.flooded += r->d.flooded;
			want.learned += r->d.learned;
			want.moved += r->d.moved;
			want.learn_refused += r->d.refused;
			want.punted += r->d.punted;
			if (r->d.drop)
				want.drops[r->d.drop]++;
			k = XBR_STAT_STORM + (size_t)r->d.storm;
			if (r->d.storm)
				want.reserved[k - 1]++;
		}
		/* What a port sends is counted by the egress program, when
		 * the frame leaves (test_egress). */
		w = (const __u64 *)&want;
		g = (const __u64 *)&after[i].s;
		for (k = 0; k < sizeof(want) / sizeof(__u64); k++)
			TL_CHECK(w[k] == g[k],
				 "%s: port p%d counter #%zu is %llu, want %llu",
				 r->name, i, k, g[k], w[k]);
	}
}

static void check_fdb(const struct row *r)
{
	struct dp_fdb_entry e;
	__u8 mac[6];
	int i, got;

	for (i = 0; i < 2; i++) {
		const struct fdb_expect *x = &r->fdb[i];

		if (!x->mac)
			continue;
		tl_mac(x->mac, mac);
		got = dp_fdb_lookup(br, mac, x->vid, &e)
			      ? ABSENT
			      : port_index(e.ifindex);
		TL_CHECK(got == x->port, "%s: %s vlan %u on p%d, want p%d",
			 r->name, x->mac, x->vid, got, x->port);
		if (got != ABSENT)
			TL_CHECK(!!(e.flags & XBR_FDB_F_STATIC) == x->is_static,
				 "%s: %s static flag", r->name, x->mac);
	}
}

/* Every port's learned count equals its dynamic entries in the FDB. */
struct tally {
	__u64 n[NPORTS];
	__u64 total;
};

static int tally_one(const struct dp_fdb_entry *e, void *ctx)
{
	struct tally *t = ctx;
	int i = port_index(e->ifindex);

	if (e->flags & XBR_FDB_F_STATIC)
		return 0;
	t->total++;
	if (i >= 0)
		t->n[i]++;
	return 0;
}

static void check_accounting(const char *when)
{
	struct dp_port_counters c[NPORTS];
	struct tally t = {};
	int i;

	dp_fdb_dump(br, tally_one, &t);
	counters_all(c);
	for (i = 0; i < NPORTS; i++)
		TL_CHECK(c[i].fdb_entries == t.n[i],
			 "%s: p%d counts %llu learned entries, FDB holds %llu",
			 when, i, c[i].fdb_entries, t.n[i]);
	TL_CHECK(dp_bridge_learned(br) == t.total,
		 "%s: bridge counts %llu learned entries, FDB holds %llu", when,
		 dp_bridge_learned(br), t.total);
}

static void run_row(const struct row *r)
{
	struct dp_port_counters before[NPORTS], after[NPORTS];
	struct tl_result res;
	__u8 frame[1600];
	int len, in;

	if (r->before)
		r->before();
	len = tl_frame(&r->f, frame);
	in = r->in == NOT_PORT ? p0_peer : port[r->in];
	counters_all(before);
	if (tl_run(br, in, frame, len, &res)) {
		TL_CHECK(0, "%s: BPF_PROG_RUN failed", r->name);
		return;
	}
	counters_all(after);
	TL_CHECK(res.action == r->action, "%s: verdict %u, want %u", r->name,
		 res.action, r->action);
	TL_CHECK(res.trace.decided, "%s: no decision traced", r->name);
	TL_CHECK(res.trace.kind == r->kind, "%s: decision %u, want %u", r->name,
		 res.trace.kind, r->kind);
	if (r->kind == XBR_FWD_UNICAST)
		TL_CHECK(res.trace.egress == (__u32)port[r->egress],
			 "%s: egress ifindex %u, want p%d (%d)", r->name,
			 res.trace.egress, r->egress, port[r->egress]);
	if (r->kind == XBR_FWD_DROP && r->d.drop)
		TL_CHECK(res.trace.reason == r->d.drop,
			 "%s: drop reason %u, want %d", r->name,
			 res.trace.reason, r->d.drop);
	if (r->in == NOT_PORT)
		TL_CHECK(res.trace.reason == XBR_DROP_NOT_PORT, "%s: reason %u",
			 r->name, res.trace.reason);
	else if (r->d.drop != XBR_DROP_TRUNCATED)
		TL_CHECK(res.trace.vid == r->vid, "%s: VLAN %u, want %u",
			 r->name, res.trace.vid, r->vid);
	check_counters(r, len, (int)res.out_len, before, after);
	if (r->out12) {
		char hex[128] = "";
		__u32 k;

		for (k = 12; k < res.out_len && k < 12 + strlen(r->out12) / 2;
		     k++)
			snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex),
				 "%02x", res.out[k]);
		TL_CHECK(!strcmp(hex, r->out12),
			 "%s: output from byte 12 is %s, want %s", r->name, hex,
			 r->out12);
	}
	check_fdb(r);
	if (r->after)
		TL_CHECK(r->after(), "%s: check after the frame", r->name);
	check_accounting(r->name);
}

/* ---- the parts that are not one frame ---- */

/* A full table refuses to learn and counts it; nothing else changes. */
static void test_capacity(void)
{
	struct dp_port_counters c;
	struct dp_bridge *small = tl_bridge("tc", 8);
	struct tl_frame_spec f = { BC, NULL };
	struct tl_result res;
	char src[18];
	__u8 frame[1600];
	int i, len, in;

	in = tl_veth("tc0", "tcx0");
	TL_CHECK(dp_port_add(small, in, NULL, NULL) == 0, "capacity: add %s",
		 dp_error());
	for (i = 0; i < 10; i++) {
		snprintf(src, sizeof(src), "02:00:00:00:01:%02x", i);
		f.src = src;
		len = tl_frame(&f, frame);
		TL_CHECK(!tl_run(small, in, frame, len, &res) &&
				 res.action == XDP_REDIRECT,
			 "capacity: frame %d not flooded", i);
	}
	dp_port_counters(small, in, &c);
	TL_CHECK(c.s.learned == 8 && c.s.learn_refused == 2,
		 "capacity 8: learned %llu refused %llu, want 8 and 2",
		 c.s.learned, c.s.learn_refused);
	TL_CHECK(dp_bridge_learned(small) == 8, "capacity: bridge count %llu",
		 dp_bridge_learned(small));
	tl_bridge_done(small);
}

/*
 * An active station's entry is refreshed while it talks: the FDB cache
 * skips the lookup only within its freshness window (500 jiffies, at most
 * 5 s), so the entry is never more than the refresh interval and that
 * window (6 s) behind. R talks every 100 ms for 7 s; its entry must then
 * be younger than 6.2 s.
 */
static void test_active_refresh(void)
{
	struct tl_frame_spec f = { BC, R };
	struct tl_result res;
	struct dp_fdb_entry e;
	__u8 frame[1600], mac[6];
	int i, len = tl_frame(&f, frame);

	for (i = 0; i < 70; i++) {
		tl_run(br, port[1], frame, len, &res);
		usleep(100000);
	}
	tl_run(br, port[1], frame, len, &res);
	tl_mac(R, mac);
	TL_CHECK(dp_fdb_lookup(br, mac, 1, &e) == 0 &&
			 e.age_ns < 6200000000ULL,
		 "an active station's entry is %llu ms old after 7 s of "
		 "frames",
		 (unsigned long long)e.age_ns / 1000000);
}

static void test_flush_and_age(void)
{
	struct dp_fdb_filter by_port = { .ifindex = port[3] };
	struct dp_fdb_filter by_vlan = { .vid = 10 };
	struct dp_fdb_filter all = {};
	struct dp_port_counters c;
	struct dp_fdb_entry e;
	__u8 mac[6];
	int n;

	n = dp_fdb_flush(br, &by_port);
	TL_CHECK(n == 2, "flush port p3 removed %d, want 2 (D and C in VLAN 7)",
		 n);
	check_accounting("flush by port");
	n = dp_fdb_flush(br, &by_vlan);
	TL_CHECK(n == 6, "flush VLAN 10 removed %d, want 6 (A, B, E, V1-V3)",
		 n);
	check_accounting("flush by VLAN");

	/* Ageing: an entry 10 s old goes at 5 s, a fresh one stays. G is
	 * learned by a frame, then made old. */
	{
		struct tl_frame_spec f = { BC, G };
		struct tl_result res;
		__u8 frame[1600];

		tl_run(br, port[1], frame, tl_frame(&f, frame), &res);
	}
	raw_put(G, 1, (__u32)port[1], 10000000000ULL, 0);
	dp_port_counters(br, port[1], &c);
	n = dp_fdb_age(br, 5000000000ULL);
	TL_CHECK(n == 1, "ageing removed %d entries, want 1", n);
	tl_mac(G, mac);
	TL_CHECK(dp_fdb_lookup(br, mac, 1, &e) == -2, "G survived ageing");
	tl_mac(A, mac);
	TL_CHECK(dp_fdb_lookup(br, mac, 1, &e) == 0, "A was aged too early");
	{
		struct dp_port_counters c2;

		dp_port_counters(br, port[1], &c2);
		TL_CHECK(c2.aged == c.aged + 1, "aged counter %llu, want %llu",
			 c2.aged, c.aged + 1);
	}
	check_accounting("ageing");

	n = dp_fdb_flush(br, &all);
	TL_CHECK(n > 0, "flush all removed %d", n);
	tl_mac(S, mac);
	TL_CHECK(dp_fdb_lookup(br, mac, 1, &e) == 0,
		 "flush of dynamic entries removed the static one");
	check_accounting("flush all");
	TL_CHECK(dp_bridge_learned(br) == 0, "entries left after flush");
}

/* Static entries: bad input is refused and changes nothing. */
static void test_static_errors(void)
{
	__u8 mc[6], a[6];

	tl_mac(MC, mc);
	tl_mac(A, a);
	TL_CHECK(dp_fdb_add_static(br, mc, 1, port[0]) == -22,
		 "multicast static entry accepted");
	TL_CHECK(dp_fdb_add_static(br, a, 0, port[0]) == -22,
		 "VLAN 0 accepted");
	TL_CHECK(dp_fdb_add_static(br, a, 4095, port[0]) == -22,
		 "VLAN 4095 accepted");
	TL_CHECK(dp_fdb_add_static(br, a, 1, p0_peer) == -2,
		 "static entry on a non-port accepted");
	TL_CHECK(dp_fdb_del(br, a, 99) == -2, "delete of a missing entry");
}

/* VLAN lists as operators write them. */
static void test_vlan_lists(void)
{
	static const char *const bad[] = { "",	  "0",	 "4095", "10-5", "a",
					   "10,", ",10", "1--2", "5-" };
	struct xbr_vlan_set set;
	char text[256];
	size_t i;

	TL_CHECK(!dp_vlan_list_parse("30-40,10,20,21,22", &set) &&
			 dp_vlan_has(&set, 10) && dp_vlan_has(&set, 35) &&
			 !dp_vlan_has(&set, 11) && !dp_vlan_has(&set, 41),
		 "VLAN list parse");
	dp_vlan_list_format(&set, text, sizeof(text));
	TL_CHECK(!strcmp(text, "10,20-22,30-40"), "VLAN list format: %s", text);
	TL_CHECK(!dp_vlan_list_parse("all", &set) && dp_vlan_has(&set, 1) &&
			 dp_vlan_has(&set, 4094) && !dp_vlan_has(&set, 0),
		 "VLAN list all");
	dp_vlan_list_format(&set, text, sizeof(text));
	TL_CHECK(!strcmp(text, "all"), "VLAN list format all: %s", text);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		TL_CHECK(dp_vlan_list_parse(bad[i], &set) == -22,
			 "VLAN list '%s' accepted", bad[i]);
}

/*
 * The egress decision, with frames carried out for real
 * (BPF_F_TEST_XDP_LIVE_FRAMES): each frame, unicast or a flooded copy,
 * passes the devmap egress program, which derives the VLAN from the
 * ingress port and the frame as received, and makes the frame what its
 * port sends. Per row: the length each port sends (0: nothing), as its
 * transmit counters show.
 */
static size_t cur_row; /* of egress_rows, under way */

struct egress_row {
	const char *name;
	int in;
	struct tl_frame_spec f;
	int out_len[NPORTS];
	unsigned int down;     /* bit i: port i is down for the row */
	unsigned int isolated; /* bit i: port i is isolated for the row */
	unsigned int fl_ports; /* bit i: port i refuses the floods fl_off */
	__u32 fl_off;	       /* XBR_PORT_F_NO_* */
	unsigned int blocked;  /* bit i: port i is discarding (spanning tree) */
};

static const struct egress_row egress_rows[] = {
	{ "unicast trunk to access: the tag is popped",
	  6,
	  { V1, V2, Q, 10, .pcp1 = 5 },
	  { 0, 0, 0, 0, 0, 60, 0, 0, 0 } },
	{ "unicast access to trunk: a tag is pushed",
	  5,
	  { V2, V1 },
	  { 0, 0, 0, 0, 0, 0, 68, 0, 0 } },
	{ "unicast trunk to trunk keeps the tag",
	  0,
	  { V2, V3, Q, 10, .pcp1 = 6 },
	  { 0, 0, 0, 0, 0, 0, 64, 0, 0 } },
	{ "unicast QinQ: a tunnel port's frame gets an S-tag",
	  8,
	  { V3, V4, Q, 5 },
	  { 0, 0, 0, 0, 0, 0, 0, 68, 0 } },
	{ "unicast QinQ: back to the tunnel port the S-tag goes",
	  7,
	  { V4, V3, AD, 100, Q, 5 },
	  { 0, 0, 0, 0, 0, 0, 0, 0, 60 } },
	{ "flood from an access port: tagged on the trunks of its VLAN",
	  5,
	  { MC, V1 },
	  { 68, 68, 68, 0, 0, 0, 68, 0, 0 } },
	{ "flood from a trunk: untagged on the access port, kept on trunks",
	  6,
	  { MC, V2, Q, 10, .pcp1 = 2 },
	  { 64, 64, 64, 0, 0, 60, 0, 0, 0 } },
	{ "flood from a QinQ tunnel: an S-tag on 802.1ad, a tag on 802.1Q",
	  8,
	  { MC, V4, Q, 5 },
	  { 68, 68, 68, 0, 0, 0, 0, 68, 0 } },
	{ "flood from an 802.1ad trunk: S-tag off at the tunnel port",
	  7,
	  { MC, V3, AD, 100, Q, 5 },
	  { 64, 64, 64, 0, 0, 0, 0, 0, 60 } },
	{ "flood in the native VLAN of the trunks: untagged everywhere",
	  1,
	  { MC, A },
	  { 64, 0, 64, 0, 64, 0, 0, 0, 0 } },
	/* fault 12.4: a port down is out of every flood, and no loss */
	{ "flood with a port down: it sends nothing, counts no drop",
	  1,
	  { MC, A },
	  { 64, 0, 0, 0, 64, 0, 0, 0, 0 },
	  1U << 2 },
	/* fault 12.1: an isolated port floods to the others only */
	{ "flood from an isolated port: not to the other isolated one",
	  0,
	  { MC, I0 },
	  { 0, 64, 0, 0, 64, 0, 0, 0, 0 },
	  0,
	  1U << 0 | 1U << 2 },
	{ "flood to isolated ports from one that is not: to all",
	  1,
	  { MC, A },
	  { 64, 0, 64, 0, 64, 0, 0, 0, 0 },
	  0,
	  1U << 0 | 1U << 2 },
	/* fault 12.2: flood control */
	{ "broadcast off: a broadcast skips the port",
	  1,
	  { BC, A },
	  { 64, 0, 0, 0, 64, 0, 0, 0, 0 },
	  0,
	  0,
	  1U << 2,
	  XBR_PORT_F_NO_BCAST },
	{ "broadcast off: multicast still reaches it",
	  1,
	  { MC, A },
	  { 64, 0, 64, 0, 64, 0, 0, 0, 0 },
	  0,
	  0,
	  1U << 2,
	  XBR_PORT_F_NO_BCAST },
	{ "multicast off: a multicast skips the port",
	  1,
	  { MC, A },
	  { 64, 0, 0, 0, 64, 0, 0, 0, 0 },
	  0,
	  0,
	  1U << 2,
	  XBR_PORT_F_NO_MCAST },
	{ "unknown unicast off: an unknown unicast flood skips the port",
	  1,
	  { U, A },
	  { 64, 0, 0, 0, 64, 0, 0, 0, 0 },
	  0,
	  0,
	  1U << 2,
	  XBR_PORT_F_NO_UCAST },
	{ "every flood off: known unicast still reaches the port",
	  1,
	  { S, A },
	  { 0, 0, 64, 0, 0, 0, 0, 0, 0 },
	  0,
	  0,
	  1U << 2,
	  XBR_PORT_F_FLOOD_OFF },
	/* issue 11: a port that does not forward is out of every flood */
	{ "flood with a port discarding: it sends nothing, counts no drop",
	  1,
	  { MC, A },
	  { 64, 0, 0, 0, 64, 0, 0, 0, 0 },
	  .blocked = 1U << 2 },
};

static int set_blocked(struct dp_bridge *b, int ifindex, bool on)
{
	return dp_port_set_stp_state(
		b, ifindex, on ? DP_STP_DISCARDING : DP_STP_FORWARDING);
}

static int set_flood_off(struct dp_bridge *b, int ifindex, bool on)
{
	return dp_port_set_flood(b, ifindex,
				 on ? egress_rows[cur_row].fl_off : 0);
}

/* The drops of flood copies that are no loss, which are never counted. */
static __u64 not_lost(const struct dp_port_counters *c)
{
	return c->s.drops[XBR_DROP_PORT_DOWN] + c->s.drops[XBR_DROP_ISOLATED] +
	       c->s.drops[XBR_DROP_FLOOD_OFF] +
	       c->s.drops[XBR_DROP_STP_DISCARDING];
}

static void ports_flag(unsigned int mask,
		       int (*set)(struct dp_bridge *, int, bool), bool on)
{
	int i;

	for (i = 0; i < NPORTS; i++)
		if ((mask & (1U << i)) && set(br, port[i], on))
			fprintf(stderr, "port flag: %s\n", dp_error());
}

static int run_live(struct dp_bridge *b, int ifindex, const __u8 *frame,
		    int len)
{
	struct xdp_md ctx = {
		.data_end = (__u32)len,
		.ingress_ifindex = (__u32)ifindex,
	};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
		    .data_size_in = (__u32)len, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = 1,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);

	return bpf_prog_test_run_opts(dp_ingress_prog_fd(b), &o) ? -errno : 0;
}

static void test_egress(void)
{
	struct dp_port_counters before[NPORTS], after[NPORTS];
	__u8 frame[1600];
	size_t r;
	int i, len;

	for (r = 0; r < sizeof(egress_rows) / sizeof(egress_rows[0]); r++) {
		const struct egress_row *x = &egress_rows[r];

		len = tl_frame(&x->f, frame);
		ports_flag(x->down, dp_port_set_down, true);
		ports_flag(x->isolated, dp_port_set_isolated, true);
		cur_row = r;
		ports_flag(x->fl_ports, set_flood_off, true);
		ports_flag(x->blocked, set_blocked, true);
		counters_all(before);
		TL_CHECK(!run_live(br, port[x->in], frame, len),
			 "%s: live run failed", x->name);
		counters_all(after);
		ports_flag(x->down, dp_port_set_down, false);
		ports_flag(x->isolated, dp_port_set_isolated, false);
		ports_flag(x->fl_ports, set_flood_off, false);
		ports_flag(x->blocked, set_blocked, false);
		for (i = 0; i < NPORTS; i++) {
			__u64 n =
				after[i].s.tx_packets - before[i].s.tx_packets;
			__u64 b = after[i].s.tx_bytes - before[i].s.tx_bytes;

			TL_CHECK(
				n == !!x->out_len[i] &&
					b == (__u64)x->out_len[i],
				"%s: p%d sent %llu frames, %llu bytes; want %d bytes",
				x->name, i, n, b, x->out_len[i]);
			TL_CHECK(not_lost(&after[i]) == not_lost(&before[i]),
				 "%s: p%d counted a flood copy as a drop",
				 x->name, i);
		}
	}
}

/*
 * ctx->ingress_ifindex in the devmap egress program is the receiving
 * device in native and in generic mode: a frame sent into a port's peer
 * is flooded in the VLAN of the port it came in on, tagged on the trunk.
 */
static void test_flood_mode(enum dp_xdp_mode mode, const char *what)
{
	struct dp_port_opts o = { .sz = sizeof(o), .mode = mode };
	struct dp_port_vlan access = { .pvid = 10 }, trunk = { .trunk = true };
	struct dp_port_vlan other = { .pvid = 20 };
	struct tl_frame_spec f = { MC, A };
	struct dp_port_counters c1, c2;
	struct dp_bridge *b = tl_bridge("tm", 0);
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	char name[16], peer[16];
	__u8 frame[1600];
	int g[3], i, fd, len, tries;

	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "tg%d", i);
		snprintf(peer, sizeof(peer), "th%d", i);
		g[i] = tl_veth(name, peer);
		TL_CHECK(!dp_port_add(b, g[i], &o, NULL), "%s: add: %s", what,
			 dp_error());
	}
	dp_vlan_add(&trunk.allowed, 10);
	TL_CHECK(!dp_port_set_vlan(b, g[0], &access) &&
			 !dp_port_set_vlan(b, g[1], &trunk) &&
			 !dp_port_set_vlan(b, g[2], &other),
		 "%s: VLANs: %s", what, dp_error());
	len = tl_frame(&f, frame);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	sll.sll_ifindex = (int)if_nametoindex("th0");
	TL_CHECK(fd >= 0 && sendto(fd, frame, (size_t)len, 0, (void *)&sll,
				   sizeof(sll)) == len,
		 "%s: send", what);
	for (tries = 0; tries < 200; tries++) {
		dp_port_counters(b, g[1], &c1);
		if (c1.s.tx_packets)
			break;
		usleep(10000);
	}
	dp_port_counters(b, g[2], &c2);
	TL_CHECK(c1.s.tx_packets == 1 && c1.s.tx_bytes == (__u64)len + 4,
		 "%s: the trunk sent %llu frames, %llu bytes; want 1, %d", what,
		 c1.s.tx_packets, c1.s.tx_bytes, len + 4);
	TL_CHECK(c2.s.tx_packets == 0, "%s: VLAN 20 got a VLAN 10 frame", what);
	if (fd >= 0)
		close(fd);
	tl_bridge_done(b);
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "tg%d", i);
		snprintf(peer, sizeof(peer), "ip link del %s", name);
		if (system(peer))
			fprintf(stderr, "cannot remove %s\n", name);
	}
}

/* Removing a port takes its entries, static ones too. */
static void test_port_remove(void)
{
	struct dp_fdb_entry e;
	__u8 s[6];

	tl_mac(S, s);
	TL_CHECK(dp_port_remove(br, port[2]) == 0, "remove p2: %s", dp_error());
	TL_CHECK(dp_fdb_lookup(br, s, 1, &e) == -2,
		 "static entry of a removed port survived");
	TL_CHECK(dp_port_remove(br, port[2]) == -2, "second remove");
	TL_CHECK(dp_port_add(br, port[2], NULL, NULL) == 0, "re-add p2: %s",
		 dp_error());
}

int main(void)
{
	struct dp_port_opts pvid7 = { .sz = sizeof(pvid7), .pvid = 7 };
	struct dp_port_opts nolearn = { .sz = sizeof(nolearn), .no_learn = 1 };
	char name[16], peer[16];
	size_t i;
	int err;

	tl_init("table_test");
	br = tl_bridge("tt", 0);
	for (i = 0; i < NPORTS; i++) {
		snprintf(name, sizeof(name), "tp%zu", i);
		snprintf(peer, sizeof(peer), "tq%zu", i);
		port[i] = tl_veth(name, peer);
		err = dp_port_add(br, port[i],
				  i == 3   ? &pvid7
				  : i == 4 ? &nolearn
					   : NULL,
				  NULL);
		if (err) {
			fprintf(stderr, "port add: %s\n", dp_error());
			return 1;
		}
		if (i <= 2)
			tl_trunk_all(br, port[i], 1, 0);
	}
	{
		struct dp_port_vlan access10 = { .pvid = 10 };
		struct dp_port_vlan trunk = { .trunk = true };
		struct dp_port_vlan trunk_ad = { .trunk = true,
						 .tpid = XBR_TPID_8021AD };
		struct dp_port_vlan tunnel = { .pvid = 100,
					       .tpid = XBR_TPID_8021AD };

		dp_vlan_add(&trunk.allowed, 10);
		dp_vlan_add(&trunk.allowed, 20);
		dp_vlan_add(&trunk_ad.allowed, 100);
		if (dp_port_set_vlan(br, port[5], &access10) ||
		    dp_port_set_vlan(br, port[6], &trunk) ||
		    dp_port_set_vlan(br, port[7], &trunk_ad) ||
		    dp_port_set_vlan(br, port[8], &tunnel)) {
			fprintf(stderr, "VLANs: %s\n", dp_error());
			return 1;
		}
		TL_CHECK(dp_port_set_vlan(
				 br, port[5],
				 &(struct dp_port_vlan){ .pvid = 4095 }) == -22,
			 "access VLAN 4095 accepted");
		TL_CHECK(dp_port_set_vlan(
				 br, port[5],
				 &(struct dp_port_vlan){
					 .pvid = 10, .tpid = 0x9100 }) == -22,
			 "TPID 0x9100 accepted");
	}
	p0_peer = (int)if_nametoindex("tq0");
	{
		char path[256];

		snprintf(path, sizeof(path), "%s/%s/fdb", DP_PIN_ROOT,
			 dp_bridge_name(br));
		fdb_fd = bpf_obj_get(path);
	}

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run_row(&rows[i]);
	test_egress();
	test_flood_mode(DP_XDP_NATIVE, "native");
	test_flood_mode(DP_XDP_GENERIC, "generic");
	test_static_errors();
	test_vlan_lists();
	test_flush_and_age();
	test_port_remove();
	test_capacity();
	/* last: it takes 7 s, which would age the entries the tests above
	 * count on */
	test_active_refresh();
	printf("%zu rows\n", sizeof(rows) / sizeof(rows[0]));
	return tl_finish();
}
