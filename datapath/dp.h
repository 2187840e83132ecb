/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libxbrdp: the only code that touches the datapath's BPF objects.
 *
 * Functions return 0 (or a count) on success and -errno on failure; those
 * returning a pointer return NULL and set errno. After a failure,
 * dp_error() says what went wrong in words meant for an operator.
 */
#ifndef XBR_DP_H
#define XBR_DP_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "xbr_abi.h"

#define DP_PIN_ROOT		"/sys/fs/bpf/xbr"
#define DP_DEFAULT_FDB_CAPACITY 65536
#define DP_BRIDGE_NAME_MAX	15

struct dp_bridge;

struct dp_bridge_opts {
	size_t sz;	      /* sizeof(struct dp_bridge_opts) */
	const char *pin_root; /* default DP_PIN_ROOT */
	__u32 fdb_capacity;   /* on creation; default DP_DEFAULT_FDB_CAPACITY */
	bool create;	      /* create the bridge if it is not pinned */
};

/* The text of the last failure in this thread. */
const char *dp_error(void);

/*
 * Open the bridge pinned under <pin_root>/<name>/, or create it (with
 * opts->create). A bridge opened again keeps forwarding throughout: its
 * ports' links are moved to the programs loaded now.
 */
struct dp_bridge *dp_bridge_open(const char *name,
				 const struct dp_bridge_opts *opts);
/* Release this process's hold; the bridge stays pinned and forwarding. */
void dp_bridge_close(struct dp_bridge *br);
/* Detach every port, unpin everything, and free br. */
int dp_bridge_destroy(struct dp_bridge *br);
bool dp_bridge_exists(const char *name, const char *pin_root);
/*
 * One manager a pin root: an exclusive lock (flock) on its directory
 * (made if need be), held until the process ends. -EBUSY: another process
 * holds it. Tools that change one bridge at a time do not take it.
 */
int dp_root_claim(const char *pin_root);

const char *dp_bridge_name(const struct dp_bridge *br);
/* A bridge name: a letter, then letters, digits, '_', '-', '.'; at most
 * DP_BRIDGE_NAME_MAX characters (it names a directory under the pin root). */
bool dp_bridge_name_valid(const char *name);
__u32 dp_fdb_capacity(const struct dp_bridge *br);
int dp_bridge_get_config(struct dp_bridge *br, struct xbr_bridge_cfg *cfg);
int dp_bridge_set_learn_limit(struct dp_bridge *br, __u32 limit);

/* ---- ports ---- */

enum dp_xdp_mode {
	DP_XDP_AUTO = 0, /* native if the driver has it, else generic */
	DP_XDP_NATIVE,
	DP_XDP_GENERIC,
};

struct dp_port_opts {
	size_t sz;	   /* sizeof(struct dp_port_opts) */
	__u16 pvid;	   /* default XBR_DEFAULT_PVID */
	__u32 learn_limit; /* 0: no limit */
	bool no_learn;
	enum dp_xdp_mode mode;
	bool down;	 /* starts down: takes and sends nothing */
	bool isolated;	 /* starts isolated */
	__u32 flood_off; /* XBR_PORT_F_NO_*: floods it does not receive */
	bool protect;	 /* drops frames of sources its learn limit refuses */
	int stp_state;	 /* enum dp_stp_state it starts in */
};

struct dp_port_info {
	__u32 ifindex;
	char name[IF_NAMESIZE]; /* "" when the interface is gone */
	struct xbr_port port;
	enum dp_xdp_mode mode; /* how the program is attached now */
	bool attached;	       /* false: the interface went away */
};

/* Whether ifindex may be a port at all, as the Linux bridge has it (no
 * loopback, Ethernet only): 0, or -errno with dp_error() saying why.
 * dp_port_add() asks it too. */
int dp_port_kind_check(int ifindex);
/* Make ifindex a port; *mode (may be NULL) says how XDP was attached. */
int dp_port_add(struct dp_bridge *br, int ifindex,
		const struct dp_port_opts *opts, enum dp_xdp_mode *mode);
/* The port's link came up: a veth port's peer made ready again to receive
 * redirected frames (see netlink_veth_prepare_peer). */
int dp_port_link_up(struct dp_bridge *br, int ifindex);
/* Detach, stop forwarding to it, drop its FDB entries (static ones too). */
int dp_port_remove(struct dp_bridge *br, int ifindex);
int dp_port_get(struct dp_bridge *br, int ifindex, struct dp_port_info *info);
/* Up to max ports into out, by slot; returns how many there are. */
int dp_port_list(struct dp_bridge *br, struct dp_port_info *out, int max);
int dp_port_set_learn_limit(struct dp_bridge *br, int ifindex, __u32 limit);
/* Down (shut down or err-disabled): the port takes in and sends out
 * nothing; its settings and entries stay. */
int dp_port_set_down(struct dp_bridge *br, int ifindex, bool down);
/* Isolated: no frame that came in by an isolated port leaves by an
 * isolated port, unicast or flooded. */
int dp_port_set_isolated(struct dp_bridge *br, int ifindex, bool isolated);
/* The floods the port does not receive: XBR_PORT_F_NO_UCAST (unknown
 * unicast), _NO_MCAST, _NO_BCAST; 0: every flood. Known unicast always
 * passes. */
int dp_port_set_flood(struct dp_bridge *br, int ifindex, __u32 off);
/* Port security: a frame whose source the port's learn limit refuses
 * (new, or moved to the port) is dropped as source-refused, not
 * forwarded. */
int dp_port_set_protect(struct dp_bridge *br, int ifindex, bool protect);

/* The spanning tree's port state (doc/stp.md). Forwarding is what a port
 * of a bridge without spanning tree is. */
enum dp_stp_state {
	DP_STP_FORWARDING = 0,
	DP_STP_LEARNING,   /* learns, forwards nothing */
	DP_STP_DISCARDING, /* takes in BPDUs only, sends nothing */
};
/* The port flags of a state, and back. */
__u32 dp_stp_flags(enum dp_stp_state state);
enum dp_stp_state dp_stp_state_of(__u32 flags);
/* Takes effect for the next frame, in and out. */
int dp_port_set_stp_state(struct dp_bridge *br, int ifindex,
			  enum dp_stp_state state);
/* Storm control: at most pps flooded frames of a kind (XBR_STORM_*) per
 * second received on the port, the excess dropped (storm-control); 0: not
 * policed. A new rate starts with a full bucket. */
int dp_port_set_storm(struct dp_bridge *br, int ifindex, __u32 kind, __u32 pps);
struct dp_storm {
	__u32 pps[XBR_STORM_KINDS];
	__u64 passed[XBR_STORM_KINDS];	/* let through by the buckets */
	__u64 dropped[XBR_STORM_KINDS]; /* over the rate */
};
int dp_port_storm(struct dp_bridge *br, int ifindex, struct dp_storm *out);
/* Mirroring (doc/datapath.md, "Mirroring"): a port's XBR_PORT_F_MIRROR_*
 * flags and the ports they name (m: ifindexes). An rx source's received
 * frames are copied to m->rx_dest, a tx source's sent frames to
 * m->tx_dest; a destination (m->tx_source: the source whose sent frames
 * it copies, 0: none) takes in nothing, sends only the copies, and loses
 * its learned entries. flags 0: no part in mirroring. */
int dp_port_set_mirror(struct dp_bridge *br, int ifindex, __u32 flags,
		       const struct xbr_mirror *m);
int dp_port_get_mirror(struct dp_bridge *br, int ifindex, __u32 *flags,
		       struct xbr_mirror *m);

/* A port's VLANs (doc/vlan.md). A new port is an 802.1Q access port in
 * its pvid (default 1). */
struct dp_port_vlan {
	bool trunk;
	__u16 tpid; /* XBR_TPID_8021Q (0 means it) or _8021AD */
	__u16 pvid; /* access VLAN; trunk: native, 0 for none */
	struct xbr_vlan_set allowed; /* trunk: the VLANs it carries */
};

/* Set a port's VLANs; its learned entries are flushed. The native VLAN of
 * a trunk is one of its VLANs. */
int dp_port_set_vlan(struct dp_bridge *br, int ifindex,
		     const struct dp_port_vlan *v);
int dp_port_get_vlan(struct dp_bridge *br, int ifindex, struct dp_port_vlan *v);

/* "10,20,30-40" or "all" into a set; and back, shortest form. */
int dp_vlan_list_parse(const char *text, struct xbr_vlan_set *set);
void dp_vlan_list_format(const struct xbr_vlan_set *set, char *buf, size_t len);

static inline void dp_vlan_add(struct xbr_vlan_set *s, __u16 vid)
{
	if (vid <= XBR_VID_MAX)
		s->bits[vid >> 6] |= 1ULL << (vid & 63);
}

static inline bool dp_vlan_has(const struct xbr_vlan_set *s, __u16 vid)
{
	return vid <= XBR_VID_MAX && (s->bits[vid >> 6] >> (vid & 63)) & 1;
}

/* ---- FDB ---- */

struct dp_fdb_entry {
	__u8 mac[6];
	__u16 vid;
	__u32 ifindex;
	__u32 flags;  /* XBR_FDB_F_* */
	__u64 age_ns; /* since the datapath last saw the source */
};

/* Matches every entry when zeroed; by_* fields narrow it. */
struct dp_fdb_filter {
	int ifindex;	     /* 0: any port */
	__u16 vid;	     /* 0: any VLAN */
	bool include_static; /* flushes remove dynamic entries only unless set
			      */
};

int dp_fdb_add_static(struct dp_bridge *br, const __u8 mac[6], __u16 vid,
		      int ifindex);
/* A static entry for an internal port's own MAC: its frames take the
 * slow path when there is one. */
int dp_fdb_add_local(struct dp_bridge *br, const __u8 mac[6], __u16 vid,
		     int ifindex);
int dp_fdb_del(struct dp_bridge *br, const __u8 mac[6], __u16 vid);
/* Insert a dynamic entry as the datapath learns one, limits and counts
 * included (for load tests and benchmarks); -EEXIST, -ENOSPC (full or at
 * a limit). */
int dp_fdb_learn(struct dp_bridge *br, const __u8 mac[6], __u16 vid,
		 int ifindex);
int dp_fdb_lookup(struct dp_bridge *br, const __u8 mac[6], __u16 vid,
		  struct dp_fdb_entry *out);
/* Sticky addresses (sticky.c): an existing entry made static, or dynamic
 * again, in place; it stays counted in its port's learned entries (the
 * learn limit still applies), not in the bridge's. */
int dp_fdb_set_static(struct dp_bridge *br, const __u8 mac[6], __u16 vid,
		      bool on);
/* Set the port's count of learned entries (for the learn limit): its
 * dynamic entries and the static entries that count as learned. */
int dp_port_set_learned(struct dp_bridge *br, int ifindex, __u64 n);
/* Remove matching entries; returns how many. */
int dp_fdb_flush(struct dp_bridge *br, const struct dp_fdb_filter *f);
/* Calls cb for every entry (read in batches); a non-zero return from cb
 * stops the walk and is returned. */
typedef int (*dp_fdb_cb)(const struct dp_fdb_entry *e, void *ctx);
int dp_fdb_dump(struct dp_bridge *br, dp_fdb_cb cb, void *ctx);
/* Remove dynamic entries older than ageing_ns; returns how many. */
int dp_fdb_age(struct dp_bridge *br, __u64 ageing_ns);
/* The same; aged (may be NULL) is told of each entry removed, its return
 * ignored. */
int dp_fdb_age_each(struct dp_bridge *br, __u64 ageing_ns, dp_fdb_cb aged,
		    void *ctx);

/* ---- the slow path (doc/slowpath.md) ---- */

/*
 * Frames for the host (to an internal port's own MAC, entered with
 * dp_fdb_add_local) go to host_cpu's queue; control frames to ctl_cpu's,
 * or, with ctl_cpu < 0, to the stack on the receiving CPU, so that they
 * never wait behind host frames. qsize: 16-16384.
 */
int dp_slowpath_set(struct dp_bridge *br, int host_cpu, int ctl_cpu,
		    __u32 qsize);
/* Whether dp_slowpath_set() takes these settings on this machine, with no
 * bridge needed: 0, or -EINVAL with the reason in dp_error(). */
int dp_slowpath_check(int host_cpu, int ctl_cpu, __u32 qsize);
int dp_slowpath_clear(struct dp_bridge *br);
int dp_slowpath_stats(struct dp_bridge *br, __u32 cpu,
		      struct xbr_slow_stats *out);
/* The internal port (bridge side ifindex) that owns a host MAC. */
int dp_host_port_set(struct dp_bridge *br, const __u8 mac[6], int ifindex);
void dp_host_port_del(struct dp_bridge *br, const __u8 mac[6]);

/* ---- counters ---- */

struct dp_port_counters {
	struct xbr_port_stats s; /* summed over CPUs */
	__u64 fdb_entries;	 /* dynamic entries on the port now */
	__u64 aged;
};

int dp_port_counters(struct dp_bridge *br, int ifindex,
		     struct dp_port_counters *out);
/* Every port's counters at once (two batched map reads, for a sampler):
 * cb for each port by slot; a non-zero return stops the walk and is
 * returned. */
typedef int (*dp_port_counters_cb)(__u32 ifindex,
				   const struct dp_port_counters *k, void *ctx);
int dp_port_counters_all(struct dp_bridge *br, dp_port_counters_cb cb,
			 void *ctx);
/* Dynamic entries in the whole bridge now. */
__u64 dp_bridge_learned(struct dp_bridge *br);
/* "truncated", "invalid-source", ...; NULL past the last reason. */
const char *dp_drop_reason_name(int reason);

/* ---- the packet trace (doc/events.md) ---- */

#define DP_TRACE_FRAME_MIN 14	/* an Ethernet header */
#define DP_TRACE_FRAME_MAX 3500 /* what a port takes (doc/datapath.md) */

/*
 * Run a frame through the loaded ingress program as if port ifindex had
 * received it (BPF_PROG_RUN; nothing is sent). Dry: it learns and counts
 * nothing. Its decision in *rec; the frame as it left it in out (if not
 * NULL, DP_TRACE_FRAME_MAX bytes) and *out_len. Returns the XDP verdict
 * (>= 0) or -errno.
 */
int dp_trace_ingress(struct dp_bridge *br, int ifindex, const void *frame,
		     __u32 len, bool dry, struct xbr_trace *rec, void *out,
		     __u32 *out_len);

/* What a port does with a traced frame. */
struct dp_trace_out {
	__u32 ifindex;
	int reason; /* XBR_DROP_NONE: the port sends it, as in frame */
	__u32 len;
	__u8 frame[DP_TRACE_FRAME_MAX + 8];
};

struct dp_trace {
	__u32 action;		   /* the ingress program's verdict */
	struct xbr_trace rec;	   /* its decision */
	bool dst_known, src_known; /* entries in the frame's VLAN */
	struct dp_fdb_entry dst, src;
	int nout;
	struct dp_trace_out *out; /* the ports it would leave by, by ifindex */
};

/*
 * The whole trace of a frame received by port ifindex: the ingress
 * decision (dry: no entry learned, no counter moved), the FDB entries of
 * its addresses, and each port it would leave by with what that port's
 * egress program makes of it. dp_trace_free() after, success or not.
 */
int dp_trace(struct dp_bridge *br, int ifindex, const void *frame, __u32 len,
	     struct dp_trace *t);
void dp_trace_free(struct dp_trace *t);

/* ---- events (doc/events.md) ---- */

/*
 * The sources the datapath learned and moved, as it reports them through
 * the bridge's ring buffer (events it had no room for are counted in the
 * port's counters, s.reserved[XBR_STAT_EVENTS_LOST]).
 */
typedef void (*dp_event_cb)(const struct xbr_event *e, void *ctx);
/* Start reading: returns an fd that polls readable when events wait. */
int dp_events_open(struct dp_bridge *br, dp_event_cb cb, void *ctx);
/* Pass waiting events to the callback, a bounded batch; returns how many
 * (the fd stays readable while more wait). */
int dp_events_read(struct dp_bridge *br);
void dp_events_close(struct dp_bridge *br);

/* The ingress program's fd, for BPF_PROG_RUN. */
int dp_ingress_prog_fd(struct dp_bridge *br);

/* MAC text: "aa:bb:cc:dd:ee:ff". */
int dp_mac_parse(const char *s, __u8 mac[6]);
void dp_mac_format(const __u8 mac[6], char buf[18]);

#endif /* XBR_DP_H */
