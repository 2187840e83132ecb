/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared between the files of libxbrdp only. */
#ifndef XBR_DP_PRIV_H
#define XBR_DP_PRIV_H

#include <limits.h>

#include "datapath/dp.h"
#include "xbr.skel.h"

struct map_rule;

/* A pinned map being migrated to the map of the same name in skel. */
struct dp_migrated {
	struct bpf_map *map;
	int old_fd;
	const struct map_rule *rule;
};

#define DP_MIGRATE_MAX 8

struct dp_bridge {
	char name[DP_BRIDGE_NAME_MAX + 1];
	char dir[PATH_MAX]; /* <pin_root>/<name> */
	struct xbr *skel;
	struct xbr_port_state *state; /* mmap of port_state */
	size_t state_len;
	__u64 *gen; /* mmap of fdb_gen */
	size_t gen_len;
	int nr_cpus;
	__u32 pinned_version; /* of the maps found pinned; 0: none */
	struct dp_migrated migrated[DP_MIGRATE_MAX];
	int nr_migrated;
	struct ring_buffer *ev_rb; /* events.c */
	dp_event_cb ev_cb;
	void *ev_ctx;
	int ev_read; /* in the read under way */
	bool direct_ok; /* the poll's end is seen: direct.c */
};

/* Record the text of a failure; returns err (a -errno) for tail calls. */
int dp_fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Path of a port's pinned link. */
void dp_link_path(struct dp_bridge *br, __u32 ifindex, char *buf, size_t len);
/* A port's entry: 0, or -ENOENT when ifindex is no port. */
int dp_port_read(struct dp_bridge *br, __u32 ifindex, struct xbr_port *p);
/* The ifindex in every slot (0: free): XBR_MAX_PORTS of them. */
int dp_port_slots(struct dp_bridge *br, __u32 *ifindexes);
/* dp_port_read with the operator's message on failure. */
int dp_port_need(struct dp_bridge *br, __u32 ifindex, struct xbr_port *p);
int dp_port_write(struct dp_bridge *br, __u32 ifindex,
		  const struct xbr_port *p);
int dp_port_vlans_write(struct dp_bridge *br, __u32 slot,
			const struct xbr_vlan_set *set);
/* The slot of a port, or -ENOENT. */
int dp_port_slot(struct dp_bridge *br, __u32 ifindex);
/* After any change to an FDB entry's port or flags, or its removal: the
 * datapath's FDB caches no longer serve what they hold (kernel/fdb_cache.h). */
void dp_fdb_changed(struct dp_bridge *br);
/* Keep learned counts right after userspace removed an entry. */
void dp_account_removed(struct dp_bridge *br, const struct xbr_fdb_val *v,
			bool aged);
/* Move the port's pinned link to the current program. */
int dp_port_relink(struct dp_bridge *br, __u32 ifindex);
__u64 dp_now_ns(void);

/* A slot's storm buckets emptied of a former port's rates (storm.c). */
int dp_storm_reset(struct dp_bridge *br, __u32 slot);

/* A map of this process's programs alone (internal, or the FDB cache):
 * never pinned, reused nor migrated. */
bool dp_map_private(struct dp_bridge *br, const struct bpf_map *map);

/* Migration of a pinned bridge of an older layout (migrate.c): before
 * load, reuse what stays and note what migrates; after load, copy; pin
 * the new maps in place of the old; release the old. */
int dp_migrate_prepare(struct dp_bridge *br);
int dp_migrate_copy(struct dp_bridge *br);
int dp_migrate_pin(struct dp_bridge *br);
void dp_migrate_done(struct dp_bridge *br);
/* Pin fd at path, atomically replacing what is pinned there. */
int dp_pin_replace(const char *path, int fd);
/* Attach a tracing program and pin its link at links/<name>, replacing a
 * link of another program there; nothing when this one runs already. */
/* Known unicast without the egress program (direct.c): before the load;
 * after it, before the ports are relinked (every port's tx_direct entry,
 * the flood queues, the poll's end); the bridge's flag again (after a
 * mirror changed, a port removed); a port's native flag (its entry
 * written before); its tx_direct entry. */
int dp_direct_prepare(struct dp_bridge *br);
int dp_direct_open(struct dp_bridge *br);
int dp_direct_update(struct dp_bridge *br);
int dp_direct_port(struct dp_bridge *br, __u32 ifindex, bool native);
int dp_direct_entry(struct dp_bridge *br, __u32 ifindex);

int dp_trace_link_ensure(struct dp_bridge *br, struct bpf_program *prog,
			 const char *name);
/* Make the slow path (if set) run this build's programs. */
int dp_slowpath_upgrade(struct dp_bridge *br);

#endif /* XBR_DP_PRIV_H */
