/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The layouts shared by the BPF programs (kernel/) and userspace
 * (datapath/): map keys and values, counters, drop reasons. This is the one
 * place they are defined; both sides include this header.
 *
 * Rules: fixed-width fields, explicit padding, no bitfields, no bool; a
 * size assert on every struct.
 *
 * Versions (doc/datapath.md): a pinned bridge records the layout version
 * it was made with in "bridge_cfg". A new field goes into reserved room,
 * a new counter into a reserved counter slot, a new drop reason into a
 * reserved drop slot: none of these changes a map's layout, and the
 * version stays. A change that does alter a layout, or what a map's
 * entries mean, raises XBR_ABI_VERSION and comes with its migration in
 * datapath/migrate.c, which converts the pinned maps of every older
 * version while the old programs forward.
 */
#ifndef XBR_ABI_H
#define XBR_ABI_H

#include <linux/types.h>

/* 1: the first releases (no version recorded). 2: reserved room; the
 * egress program, on both devmaps, makes every frame what its port sends
 * (no bookkeeping tag on flooded frames). */
#define XBR_ABI_VERSION 2

#define XBR_MAX_PORTS	 256   /* port slots per bridge */
#define XBR_MAX_IFINDEX	 65536 /* ports are interfaces with a lower index */
#define XBR_VID_MAX	 4094  /* highest usable VLAN id */
#define XBR_DEFAULT_PVID 1

/* The learned count of the whole bridge lives after the port slots. */
#define XBR_STATE_BRIDGE XBR_MAX_PORTS

/*
 * An existing dynamic entry is rewritten by the datapath only when it has
 * moved or when its timestamp is older than this (no write per packet).
 */
#define XBR_FDB_REFRESH_NS 1000000000ULL

/* Map names, also the file names under /sys/fs/bpf/xbr/<bridge>/. */
#define XBR_MAP_FDB	    "fdb"
#define XBR_MAP_PORTS	    "ports"
#define XBR_MAP_PORT_SLOTS  "port_slots"
#define XBR_MAP_TX_PORTS    "tx_ports"
#define XBR_MAP_FLOOD_PORTS "flood_ports"
#define XBR_MAP_STATS	    "port_stats"
#define XBR_MAP_STATE	    "port_state"
#define XBR_MAP_CONFIG	    "bridge_cfg"
#define XBR_MAP_PORT_VLANS  "port_vlans"

/* ---- the slow path (doc/slowpath.md) ---- */

#define XBR_SLOW_MAX_CPUS  64
#define XBR_SLOW_F_ENABLED (1U << 0) /* host frames go to host_cpu */
#define XBR_SLOW_F_CONTROL (1U << 1) /* control frames go to ctl_cpu */

/* "slow_cfg": an array of one. */
struct xbr_slow_cfg {
	__u32 flags; /* XBR_SLOW_F_* */
	__u32 ctl_cpu;
	__u32 host_cpu;
	__u32 cpumap_id; /* whose drops the tracepoint counts */
};

/* "slow_stats": per slow-path CPU (an array indexed by CPU). */
struct xbr_slow_stats {
	__u64 host;    /* frames the cpumap program sent to the host */
	__u64 control; /* control frames it passed to the stack */
	__u64 drops;   /* frames the cpumap could not queue for it */
	__u64 reserved;
};

/* ---- FDB ---- */

struct xbr_fdb_key {
	__u8 mac[6];
	__u16 vid; /* host order */
};

#define XBR_FDB_F_STATIC (1U << 0) /* configured; never learned over */
#define XBR_FDB_F_LOCAL	 (1U << 1) /* an internal port's own MAC: for the host \
				    */

struct xbr_fdb_val {
	__u32 ifindex;	 /* egress port */
	__u32 flags;	 /* XBR_FDB_F_* */
	__u64 last_seen; /* bpf_ktime_get_coarse_ns() (CLOCK_MONOTONIC) */
};

/* ---- ports ---- */

#define XBR_PORT_F_LEARN   (1U << 0) /* learn source MACs on this port */
#define XBR_PORT_F_ENABLED (1U << 1) /* this entry is a port */
#define XBR_PORT_F_TRUNK   (1U << 2) /* trunk mode; else access */
/* Down: shut down or err-disabled. It takes no frame in and sends none out
 * (doc/datapath.md); the daemon knows which of the two, and why. */
#define XBR_PORT_F_DOWN (1U << 3)
/* Isolated: its frames never leave by another isolated port. */
#define XBR_PORT_F_ISOLATED (1U << 4)
/* Floods the port does not receive (known unicast it always does). */
#define XBR_PORT_F_NO_UCAST (1U << 5) /* unknown unicast */
#define XBR_PORT_F_NO_MCAST (1U << 6) /* multicast */
#define XBR_PORT_F_NO_BCAST (1U << 7) /* broadcast */
/* A frame whose source the port's learn limit refuses is dropped
 * (port security: violation protect, restrict, shutdown). */
#define XBR_PORT_F_PROTECT (1U << 8)
/* The spanning tree's port state (doc/stp.md): forwarding is neither bit,
 * learning is NOFWD, discarding is both. A port that does not forward
 * takes in nothing but BPDUs (to the control path) and sends nothing. */
#define XBR_PORT_F_STP_NOFWD   (1U << 9)
#define XBR_PORT_F_STP_NOLEARN (1U << 10)
#define XBR_PORT_F_STP_MASK    (XBR_PORT_F_STP_NOFWD | XBR_PORT_F_STP_NOLEARN)
#define XBR_PORT_F_FLOOD_OFF \
	(XBR_PORT_F_NO_UCAST | XBR_PORT_F_NO_MCAST | XBR_PORT_F_NO_BCAST)

#define XBR_TPID_8021Q	0x8100
#define XBR_TPID_8021AD 0x88a8

/* "ports": an array indexed by ifindex (an array lookup is inlined by the
 * verifier; a hash lookup is not). "port_slots" maps a slot back to its
 * ifindex (0: free), so that userspace walks slots, not indexes. */
struct xbr_port {
	__u32 slot;	   /* index into port_stats / port_state */
	__u16 pvid;	   /* access VLAN, or trunk native VLAN (0: none) */
	__u16 tpid;	   /* host order: XBR_TPID_8021Q or _8021AD */
	__u32 flags;	   /* XBR_PORT_F_* */
	__u32 learn_limit; /* dynamic entries on this port, 0: no limit */
	__u32 reserved[4]; /* zero; room for per-port settings */
};

/* "port_vlans": per slot, the VLANs the port is a member of. */
struct xbr_vlan_set {
	__u64 bits[64]; /* bit v: VLAN v */
};

/*
 * "port_state": a mmapable array of XBR_MAX_PORTS + 1 entries (the last one
 * is the whole bridge). The datapath adds to "learned" atomically, userspace
 * subtracts atomically through its mapping when it removes an entry; "aged"
 * is written by userspace only.
 */
struct xbr_port_state {
	__u64 learned; /* dynamic FDB entries now on the port */
	__u64 aged;    /* entries removed by ageing */
};

/* "bridge_cfg": an array of one. */
struct xbr_bridge_cfg {
	__u32 learn_limit; /* dynamic entries in the bridge, 0: no limit */
	__u32 flags;
	__u32 version; /* XBR_ABI_VERSION of the pinned maps */
	__u32 pad;
	__u32 tx_ports_id;    /* the ids of the devmaps, whose redirect */
	__u32 flood_ports_id; /* errors the datapath counts */
	__u64 reserved[5];    /* zero; room for bridge settings */
};

/* ---- counters ---- */

/*
 * Drop reasons: one list, expanded into the enum here and into the names
 * userspace prints (datapath/stats.c).
 */
#define XBR_DROP_REASONS(X)                                                    \
	X(XBR_DROP_TRUNCATED, "truncated")	   /* header cut short */      \
	X(XBR_DROP_SRC_MAC, "invalid-source")	   /* mcast, bcast or zero */  \
	X(XBR_DROP_VLAN_RESERVED, "reserved-vlan") /* VID 4095 */              \
	X(XBR_DROP_SAME_PORT, "same-port")	   /* dest on ingress port */  \
	X(XBR_DROP_NO_EGRESS, "no-egress")	   /* redirect target gone */  \
	X(XBR_DROP_NOT_PORT, "not-a-port")	   /* prog on unknown dev */   \
	X(XBR_DROP_TAGGED, "tagged-on-access")	   /* tag on an access port */ \
	X(XBR_DROP_UNTAGGED, "untagged-on-trunk")  /* and no native VLAN */    \
	X(XBR_DROP_VLAN_NOT_ALLOWED, "vlan-not-allowed")                       \
	X(XBR_DROP_EGRESS_VLAN,                                                \
	  "egress-not-member")			/* unicast, not in VLAN */     \
	X(XBR_DROP_TAG_OP, "tag-failed")	/* push/pop not possible */    \
	X(XBR_DROP_REDIRECT, "redirect-failed") /* the kernel refused it */    \
	X(XBR_DROP_TX, "tx-failed") /* the egress device did not take it */    \
	X(XBR_DROP_PORT_DOWN, "port-down") /* in or out by a port down */      \
	X(XBR_DROP_ISOLATED, "isolated")   /* isolated to isolated */          \
	X(XBR_DROP_FLOOD_OFF, "flood-off") /* a flood the port refuses */      \
	X(XBR_DROP_SRC_REFUSED, "source-refused") /* port security */          \
	X(XBR_DROP_STP_DISCARDING,                                             \
	  "stp-discarding") /* in or out by a port not forwarding */

#define XBR_ENUM_ENTRY(e, s) e,
enum xbr_drop_reason {
	XBR_DROP_NONE = 0,
	XBR_DROP_REASONS(XBR_ENUM_ENTRY) XBR_DROP_MAX
};
#undef XBR_ENUM_ENTRY

/* Room for drop reasons: XBR_DROP_MAX may grow up to it. */
#define XBR_DROP_SLOTS 32

/* "port_stats": per-CPU array indexed by port slot. Every field is a
 * __u64 (userspace sums them as an array); new counters take reserved
 * slots. */
struct xbr_port_stats {
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 tx_packets;
	__u64 tx_bytes;
	__u64 flooded;	     /* frames received and flooded */
	__u64 learned;	     /* new entries learned */
	__u64 moved;	     /* entries that moved to this port */
	__u64 learn_refused; /* learning refused: limit or table full */
	__u64 punted;	     /* passed to the stack (link-local) */
	__u64 reserved[7];   /* zero; room for counters */
	__u64 drops[XBR_DROP_SLOTS];
};

/*
 * "xmit_scratch": per CPU, what the egress program did in the flush under
 * way (the frames queued to one device: the egress program runs for each,
 * the device takes what it can, then the xdp_devmap_xmit tracepoint fires,
 * all on one CPU at once), so that the tracepoint can count the frames the
 * device did not take. A flush holds at most XBR_XMIT_BULK frames (the
 * kernel's DEV_MAP_BULK_SIZE).
 */
#define XBR_XMIT_BULK 16

struct xbr_xmit_scratch {
	__u32 ifindex;	/* the device; 0: no flush under way */
	__u32 filtered; /* frames the egress program dropped */
	__u32 passed;	/* frames it passed, in order ... */
	__u32 pad;
	__u32 len[XBR_XMIT_BULK]; /* ... and their lengths */
};

/* ---- the forwarding decision, recorded only when tracing is enabled ---- */

enum xbr_fwd_kind {
	XBR_FWD_DROP = 0,
	XBR_FWD_UNICAST = 1,
	XBR_FWD_FLOOD = 2,
	XBR_FWD_PUNT = 3,
	XBR_FWD_SLOW = 4, /* to the slow path's CPUMAP */
};

struct xbr_trace {
	__u32 action; /* XDP verdict */
	__u32 egress; /* egress ifindex for XBR_FWD_UNICAST */
	__u16 vid;
	__u8 kind;   /* enum xbr_fwd_kind */
	__u8 reason; /* enum xbr_drop_reason for XBR_FWD_DROP */
	__u32 seq;   /* frames traced so far */
};

#ifndef __bpf__
_Static_assert(sizeof(struct xbr_fdb_key) == 8, "fdb key");
_Static_assert(sizeof(struct xbr_fdb_val) == 16, "fdb value");
_Static_assert(sizeof(struct xbr_port) == 32, "port");
_Static_assert(sizeof(struct xbr_port_state) == 16, "port state");
_Static_assert(sizeof(struct xbr_bridge_cfg) == 64, "bridge cfg");
_Static_assert(XBR_DROP_MAX <= XBR_DROP_SLOTS, "drop reasons: no room left");
_Static_assert(sizeof(struct xbr_port_stats) == (16 + XBR_DROP_SLOTS) * 8,
	       "port stats");
_Static_assert(sizeof(struct xbr_trace) == 16, "trace");
_Static_assert(sizeof(struct xbr_xmit_scratch) == 16 + 4 * XBR_XMIT_BULK,
	       "xmit scratch");
_Static_assert(sizeof(struct xbr_vlan_set) == 512, "vlan set");
_Static_assert(sizeof(struct xbr_slow_cfg) == 16, "slow cfg");
_Static_assert(sizeof(struct xbr_slow_stats) == 32, "slow stats");

#endif

#endif /* XBR_ABI_H */
