/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared between the files of libxbrdp only. */
#ifndef XBR_DP_PRIV_H
#define XBR_DP_PRIV_H

#include <limits.h>

#include "datapath/dp.h"
#include "xbr.skel.h"

struct dp_bridge {
	char name[DP_BRIDGE_NAME_MAX + 1];
	char dir[PATH_MAX]; /* <pin_root>/<name> */
	struct xbr *skel;
	struct xbr_port_state *state; /* mmap of port_state */
	size_t state_len;
	__u64 *gen; /* mmap of fdb_gen */
	size_t gen_len;
	int nr_cpus;
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

#endif /* XBR_DP_PRIV_H */
