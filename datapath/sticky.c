// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sticky addresses (port IFNAME mac sticky): a learned entry made static
 * in place, and back. The port's learned count keeps counting it, so its
 * learn limit still applies; the bridge's does not (a static entry is not
 * the bridge's learning).
 */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"

int dp_fdb_set_static(struct dp_bridge *br, const __u8 mac[6], __u16 vid,
		      bool on)
{
	int fd = bpf_map__fd(br->skel->maps.fdb);
	struct xbr_fdb_key key = { .vid = vid };
	__u64 *bridge = &br->state[XBR_STATE_BRIDGE].learned;
	struct xbr_fdb_val v;
	char text[18];

	memcpy(key.mac, mac, 6);
	dp_mac_format(mac, text);
	if (bpf_map_lookup_elem(fd, &key, &v))
		return dp_fail(-ENOENT, "no entry for %s in VLAN %u", text,
			       vid);
	if (v.flags & XBR_FDB_F_LOCAL)
		return dp_fail(-EINVAL, "%s in VLAN %u is a local entry", text,
			       vid);
	if (!!(v.flags & XBR_FDB_F_STATIC) == on)
		return 0;
	v.flags = on ? v.flags | XBR_FDB_F_STATIC : v.flags & ~XBR_FDB_F_STATIC;
	v.last_seen = dp_now_ns();
	if (bpf_map_update_elem(fd, &key, &v, BPF_EXIST))
		return dp_fail(-errno, "cannot change the entry for %s: %s",
			       text, strerror(errno));
	dp_fdb_changed(br);
	if (on && __atomic_load_n(bridge, __ATOMIC_RELAXED))
		__atomic_fetch_sub(bridge, 1, __ATOMIC_RELAXED);
	else if (!on)
		__atomic_fetch_add(bridge, 1, __ATOMIC_RELAXED);
	return 0;
}

int dp_port_set_learned(struct dp_bridge *br, int ifindex, __u64 n)
{
	int slot = dp_port_slot(br, (__u32)ifindex);

	if (slot < 0)
		return dp_fail(-ENOENT,
			       "interface %d is not a port of bridge %s",
			       ifindex, br->name);
	__atomic_store_n(&br->state[slot].learned, n, __ATOMIC_RELAXED);
	return 0;
}
