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
#define XBR_MAP_STORM	    "storm"
#define XBR_MAP_MIRROR	    "mirror"
#define XBR_MAP_MIRROR_DEVS "mirror_ports"
#define XBR_MAP_EVENTS	    "events"

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
/* Storm control: the port's floods pass its token buckets ("storm"). */
#define XBR_PORT_F_STORM (1U << 11)
/* Mirroring (doc/datapath.md, "Mirroring"): what the port receives is
 * copied, what it sends is copied, or it is a session's destination (it
 * takes in nothing and sends only the copies). */
#define XBR_PORT_F_MIRROR_RX  (1U << 12)
#define XBR_PORT_F_MIRROR_TX  (1U << 13)
#define XBR_PORT_F_MIRROR_DST (1U << 14)
#define XBR_PORT_F_MIRROR \
	(XBR_PORT_F_MIRROR_RX | XBR_PORT_F_MIRROR_TX | XBR_PORT_F_MIRROR_DST)
/* The port's program runs in its driver (native XDP): what it redirects
 * waits in the egress devices' queues until the driver's poll ends
 * (doc/datapath.md, "Unicast without the egress program"). Set by
 * libxbrdp after the attach; a port without it sends every frame through
 * the egress program. */
#define XBR_PORT_F_NATIVE (1U << 15)
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

/* "mirror": per slot, the ports a mirroring port's copies name
 * (ifindexes, 0: none). A source has the destination of its session for
 * what it receives and what it sends; a destination has the source whose
 * sent frames it copies (one per session). */
struct xbr_mirror {
	__u32 rx_dest;
	__u32 tx_dest;
	__u32 tx_source;
	__u32 pad;
};

/* The metadata (data_meta) of a unicast frame that a mirror copies: it is
 * broadcast, and only its target and the destinations take it. */
#define XBR_MIRROR_MAGIC 0x5350414eU /* "SPAN" */
struct xbr_mirror_meta {
	__u32 magic;
	__u32 target; /* the ifindex the frame is for */
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
	__u32 tx_ports_id;    /* the ids of the maps whose redirect */
	__u32 flood_ports_id; /* errors the datapath counts */
	__u32 tx_direct_id;
	__u32 flood_defer_id;
	__u64 reserved[4]; /* zero; room for bridge settings */
};

/* bridge cfg flags: known unicast from a native port may leave without
 * the egress program ("tx_direct"): set by libxbrdp while the poll's end
 * is seen (xbr_poll_end on the napi_poll tracepoint is attached), no port
 * mirrors, and the kernel is not PREEMPT_RT. */
#define XBR_CFG_F_DIRECT (1U << 0)

/*
 * "poll_state": per CPU, what the driver's poll under way has queued to
 * the ports' devices: a port's queue takes the program of its first frame
 * for every frame queued with it until the poll ends, so frames without
 * the egress program and frames with it must never share a queue in one
 * poll. any: a frame went without it; flooded: a frame went with it.
 * xbr_poll_end (the napi_poll tracepoint) clears both.
 */
struct xbr_poll_state {
	__u32 any;
	__u32 flooded;
	__u32 epoch;	 /* polls ended on this CPU */
	__u32 defer_in; /* the ingress port of the floods that wait: one
			 * device's poll, so one port (for their losses) */
};

/*
 * "direct_queue": per CPU and slot, the lengths of the frames queued to
 * the port's device without the egress program, in order, until the
 * xdp_devmap_xmit tracepoint counts them as sent or lost (head: pushed by
 * the ingress program; tail: taken by the tracepoint). A device's queue
 * holds at most XBR_XMIT_BULK frames and is flushed before the next is
 * added, so XBR_DIRECT_QUEUE holds them all.
 */
#define XBR_DIRECT_QUEUE 32

struct xbr_direct_queue {
	__u32 head;
	__u32 tail;
	__u32 epoch; /* the poll_state epoch of the last push: a push in a
		      * later poll starts from empty (every frame of an
		      * earlier poll was flushed at its end) */
	__u32 pad;
	__u32 len[XBR_DIRECT_QUEUE];
};

/* The metadata of a flood that waited for the next poll: its ingress
 * port, which the egress program reads instead of the context's (a
 * CPUMAP thread's flush names the first frame's ingress device for all). */
#define XBR_DEFER_MAGIC 0x4c415445U /* "LATE" */
struct xbr_defer_meta {
	__u32 magic;
	__u32 ingress;
};

/* ---- storm control (doc/datapath.md) ---- */

/* The kinds of flood policed, in this order everywhere. */
#define XBR_STORM_BCAST	  0 /* broadcast */
#define XBR_STORM_MCAST	  1 /* multicast, link-local control frames apart */
#define XBR_STORM_UNKNOWN 2 /* unicast to a destination not in the FDB */
#define XBR_STORM_KINDS	  3
/* Floods dropped over their rate: reserved[XBR_STAT_STORM + kind] of
 * struct xbr_port_stats. */
#define XBR_STAT_STORM	  0
#define XBR_STORM_PPS_MAX 1000000000 /* the clock counts nanoseconds */
/* What a bucket holds beyond the rate: this much time of it. */
#define XBR_STORM_BURST_NS 100000000ULL /* 100 ms */

/*
 * "storm": an array indexed by port slot, one bucket per kind shared by
 * every CPU. A bucket is a theoretical arrival time (GCRA, the token
 * bucket as a clock): a frame passes when tat is no later than now plus
 * the burst, and moves tat on by 1 s / pps; the datapath updates tat by
 * compare-and-swap and passed by an atomic add. Userspace writes pps and
 * interval.
 */
struct xbr_storm {
	__u32 pps[4];	   /* by XBR_STORM_*, 0: not policed; [3] zero */
	__u64 interval[4]; /* ns per frame: 1 s / pps, 0 with pps 0 */
	__u64 tat[4];	   /* ns, bpf_ktime_get_coarse_ns() */
	__u64 passed[4];   /* frames let through */
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
	  "stp-discarding") /* in or out by a port not forwarding */ \
	X(XBR_DROP_STORM, "storm-control")	  /* a flood over its rate */ \
	/* in by a mirror's destination, or unicast to it */                   \
	X(XBR_DROP_MIRROR_DEST, "mirror-destination")

#define XBR_ENUM_ENTRY(e, s) e,
enum xbr_drop_reason {
	XBR_DROP_NONE = 0,
	XBR_DROP_REASONS(XBR_ENUM_ENTRY) XBR_DROP_MAX
};
#undef XBR_ENUM_ENTRY

/* xbr_port_stats.reserved[] slots in use. */
#define XBR_STAT_MIRRORED 3

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
	/* [3]: mirrored copies the port sent (a mirror's destination);
	 * the others zero, room for counters */
	__u64 reserved[7];
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

/*
 * ---- events (doc/events.md) ----
 *
 * "events": a ring buffer (BPF_MAP_TYPE_RINGBUF) of XBR_EVENTS_SIZE bytes
 * per bridge, written on the learning path only (a source learned, or
 * moved to another port), read by the daemon. When it is full the event
 * is dropped, never the frame, and counted in the receiving port's
 * xbr_port_stats.reserved[XBR_STAT_EVENTS_LOST].
 */
#define XBR_EVENTS_SIZE	     (256 * 1024) /* a power of 2, pages */
#define XBR_STAT_EVENTS_LOST 4

/* Floods from the port that waited for the next poll (kernel/direct.h):
 * xbr_port_stats.reserved[XBR_STAT_DEFERRED]. */
#define XBR_STAT_DEFERRED 5

enum xbr_event_type {
	XBR_EV_LEARNED = 1, /* a new dynamic entry */
	XBR_EV_MOVED = 2,   /* an entry moved from old_ifindex to ifindex */
};

struct xbr_event {
	__u64 time_ns;	   /* bpf_ktime_get_coarse_ns() (CLOCK_MONOTONIC) */
	__u32 ifindex;	   /* the port the source is on now */
	__u32 old_ifindex; /* XBR_EV_MOVED: the port it was on */
	__u8 mac[6];
	__u16 vid;
	__u8 type; /* enum xbr_event_type */
	__u8 pad[7];
};

/* ---- the packet trace (doc/events.md, "Packet trace") ---- */

enum xbr_fwd_kind {
	XBR_FWD_DROP = 0,
	XBR_FWD_UNICAST = 1,
	XBR_FWD_FLOOD = 2,
	XBR_FWD_PUNT = 3,
	XBR_FWD_SLOW = 4, /* to the slow path's CPUMAP */
};

/* A decision, as the program that took it records it. */
struct xbr_trace {
	__u32 action; /* XDP verdict */
	__u32 egress; /* egress ifindex for XBR_FWD_UNICAST and _SLOW */
	__u16 vid;
	__u8 kind;     /* enum xbr_fwd_kind */
	__u8 reason;   /* enum xbr_drop_reason for XBR_FWD_DROP */
	__u32 decided; /* 1 once the program recorded its decision */
};

/*
 * A traced frame carries this in its XDP metadata (BPF_PROG_RUN's ctx_in
 * with data > 0; a frame from a device has no metadata: data_meta ==
 * data), and the program writes its decision into it, returned with the
 * frame (data_out starts at the metadata). So a trace touches no map and
 * no other frame, on any CPU.
 */
#define XBR_TRACE_MAGIC 0x78627274U /* "xbrt" */
#define XBR_TRACE_F_DRY (1U << 0)   /* learn nothing, count nothing */

struct xbr_trace_meta {
	__u32 magic; /* XBR_TRACE_MAGIC */
	__u32 flags; /* XBR_TRACE_F_* */
	__u32 port;  /* the egress trace: the port the frame leaves by */
	__u32 pad;
	struct xbr_trace rec; /* out: the decision */
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
_Static_assert(sizeof(struct xbr_trace_meta) == 32,
	       "trace meta: XDP allows 32");
_Static_assert(sizeof(struct xbr_storm) == 112, "storm");
_Static_assert(sizeof(struct xbr_event) == 32, "event");
_Static_assert(sizeof(struct xbr_xmit_scratch) == 16 + 4 * XBR_XMIT_BULK,
	       "xmit scratch");
_Static_assert(sizeof(struct xbr_vlan_set) == 512, "vlan set");
_Static_assert(sizeof(struct xbr_poll_state) == 16, "poll state");
_Static_assert(sizeof(struct xbr_direct_queue) == 16 + 4 * XBR_DIRECT_QUEUE,
	       "direct queue");
_Static_assert(sizeof(struct xbr_defer_meta) == 8, "defer meta");
_Static_assert(XBR_DIRECT_QUEUE > XBR_XMIT_BULK &&
		       !(XBR_DIRECT_QUEUE & (XBR_DIRECT_QUEUE - 1)),
	       "direct queue: more than a flush, a power of two");
_Static_assert(sizeof(struct xbr_slow_cfg) == 16, "slow cfg");
_Static_assert(sizeof(struct xbr_mirror) == 16, "mirror");
_Static_assert(sizeof(struct xbr_mirror_meta) == 8, "mirror meta");
_Static_assert(sizeof(struct xbr_slow_stats) == 32, "slow stats");

#endif

#endif /* XBR_ABI_H */
