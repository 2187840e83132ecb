// SPDX-License-Identifier: GPL-2.0-only
/* Mirroring (SPAN): a port's part in a session (kernel/mirror.h). */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"
#include "lib/log.h"

int dp_port_get_mirror(struct dp_bridge *br, int ifindex, __u32 *flags,
		       struct xbr_mirror *m)
{
	struct xbr_port p;
	int err = dp_port_need(br, (__u32)ifindex, &p);

	if (err)
		return err;
	*flags = p.flags & XBR_PORT_F_MIRROR;
	if (bpf_map_lookup_elem(bpf_map__fd(br->skel->maps.mirror), &p.slot, m))
		return dp_fail(-errno, "cannot read the mirror of port %d: %s",
			       ifindex, strerror(errno));
	return 0;
}

/* In mirror_ports (a tx source or a destination) or not. */
static int mirror_port_set(struct dp_bridge *br, __u32 ifindex, bool in)
{
	struct bpf_devmap_val dv = {
		.ifindex = ifindex,
		.bpf_prog.fd = bpf_program__fd(br->skel->progs.xbr_egress),
	};
	int fd = bpf_map__fd(br->skel->maps.mirror_ports);

	if (in && bpf_map_update_elem(fd, &ifindex, &dv, BPF_ANY))
		return -errno;
	if (!in && bpf_map_delete_elem(fd, &ifindex) && errno != ENOENT)
		return -errno;
	return 0;
}

int dp_port_set_mirror(struct dp_bridge *br, int ifindex, __u32 flags,
		       const struct xbr_mirror *m)
{
	struct dp_fdb_filter learned = { .ifindex = ifindex };
	static const struct xbr_mirror none;
	int fd = bpf_map__fd(br->skel->maps.mirror);
	__u32 key = (__u32)ifindex, was;
	bool listed = flags & (XBR_PORT_F_MIRROR_TX | XBR_PORT_F_MIRROR_DST);
	struct xbr_port p;
	int err;

	if (flags & ~XBR_PORT_F_MIRROR)
		return dp_fail(-EINVAL,
			       "mirror flags 0x%x: not XBR_PORT_F_MIRROR_*",
			       flags);
	err = dp_port_need(br, key, &p);
	if (err)
		return err;
	if (!flags)
		m = &none;
	was = p.flags & XBR_PORT_F_MIRROR;
	/* what the flags name first, then the flags; off in reverse */
	if (listed)
		err = mirror_port_set(br, key, true);
	if (!err && bpf_map_update_elem(fd, &p.slot, m, BPF_ANY))
		err = -errno;
	if (!err) {
		p.flags = (p.flags & ~XBR_PORT_F_MIRROR) | flags;
		err = dp_port_write(br, key, &p);
	}
	if (!err && !listed)
		err = mirror_port_set(br, key, false);
	if (err)
		return dp_fail(err, "cannot set the mirror of port %d: %s",
			       ifindex, strerror(-err));
	/* a destination's stations are no longer reached through it */
	if ((flags & XBR_PORT_F_MIRROR_DST) && !(was & XBR_PORT_F_MIRROR_DST))
		dp_fdb_flush(br, &learned);
	/* known unicast takes the egress program while a port mirrors (and
	 * a mirror's copy never joins a poll's queues of frames without it:
	 * kernel/direct.h) */
	if (dp_direct_update(br))
		log_warn("bridge %s: %s", br->name, dp_error());
	return 0;
}
