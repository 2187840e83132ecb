// SPDX-License-Identifier: GPL-2.0-only
/* Storm control: a port's rates of flooded frames, by kind, and what its
 * buckets let through and dropped (doc/datapath.md). */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"

static int storm_fd(struct dp_bridge *br)
{
	return bpf_map__fd(br->skel->maps.storm);
}

int dp_storm_reset(struct dp_bridge *br, __u32 slot)
{
	static const struct xbr_storm none;

	if (bpf_map_update_elem(storm_fd(br), &slot, &none, BPF_ANY))
		return -errno;
	return 0;
}

int dp_port_set_storm(struct dp_bridge *br, int ifindex, __u32 kind, __u32 pps)
{
	struct xbr_storm b;
	struct xbr_port p;
	__u32 k, slot;
	bool on = false;
	int err;

	if (kind >= XBR_STORM_KINDS)
		return dp_fail(-EINVAL, "storm control kind %u: 0 to %u", kind,
			       XBR_STORM_KINDS - 1);
	if (pps > XBR_STORM_PPS_MAX)
		return dp_fail(
			-ERANGE,
			"storm control rate %u: at most %u frames per second",
			pps, XBR_STORM_PPS_MAX);
	err = dp_port_need(br, (__u32)ifindex, &p);
	if (err)
		return err;
	slot = p.slot;
	if (bpf_map_lookup_elem(storm_fd(br), &slot, &b))
		return dp_fail(-errno, "cannot read the storm buckets: %s",
			       strerror(errno));
	if (b.pps[kind] != pps) {
		/* a new rate starts with a full bucket */
		b.pps[kind] = pps;
		b.interval[kind] = pps ? 1000000000ULL / pps : 0;
		b.tat[kind] = 0;
		if (bpf_map_update_elem(storm_fd(br), &slot, &b, BPF_ANY))
			return dp_fail(-errno,
				       "cannot write the storm buckets: %s",
				       strerror(errno));
	}
	for (k = 0; k < XBR_STORM_KINDS; k++)
		on |= b.pps[k] != 0;
	if (!!(p.flags & XBR_PORT_F_STORM) == on)
		return 0;
	p.flags = on ? p.flags | XBR_PORT_F_STORM : p.flags & ~XBR_PORT_F_STORM;
	err = dp_port_write(br, (__u32)ifindex, &p);
	if (err)
		return dp_fail(err, "cannot update port %d: %s", ifindex,
			       strerror(-err));
	return 0;
}

int dp_port_storm(struct dp_bridge *br, int ifindex, struct dp_storm *out)
{
	struct dp_port_counters c;
	struct xbr_storm b;
	__u32 k, slot;
	int err;

	err = dp_port_counters(br, ifindex, &c);
	if (err)
		return err;
	slot = (__u32)dp_port_slot(br, (__u32)ifindex);
	if (bpf_map_lookup_elem(storm_fd(br), &slot, &b))
		return dp_fail(-errno, "cannot read the storm buckets: %s",
			       strerror(errno));
	memset(out, 0, sizeof(*out));
	for (k = 0; k < XBR_STORM_KINDS; k++) {
		out->pps[k] = b.pps[k];
		out->passed[k] = b.passed[k];
		out->dropped[k] = c.s.reserved[XBR_STAT_STORM + k];
	}
	return 0;
}
