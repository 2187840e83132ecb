// SPDX-License-Identifier: GPL-2.0-only
/* VLANs of ports (doc/vlan.md), and VLAN lists as text: "10,20,30-40". */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"

int dp_port_get_vlan(struct dp_bridge *br, int ifindex, struct dp_port_vlan *v)
{
	struct xbr_port p;
	int err = dp_port_need(br, (__u32)ifindex, &p);

	if (err)
		return err;
	memset(v, 0, sizeof(*v));
	v->trunk = p.flags & XBR_PORT_F_TRUNK;
	v->tpid = p.tpid;
	v->pvid = p.pvid;
	if (bpf_map_lookup_elem(bpf_map__fd(br->skel->maps.port_vlans), &p.slot,
				&v->allowed))
		return dp_fail(-errno, "cannot read the VLANs of port %d: %s",
			       ifindex, strerror(errno));
	return 0;
}

int dp_port_set_vlan(struct dp_bridge *br, int ifindex,
		     const struct dp_port_vlan *v)
{
	struct dp_fdb_filter learned = { .ifindex = ifindex };
	struct xbr_vlan_set set = { 0 };
	__u32 key = (__u32)ifindex;
	struct xbr_port p;
	int err;

	err = dp_port_need(br, key, &p);
	if (err)
		return err;
	if (v->tpid && v->tpid != XBR_TPID_8021Q && v->tpid != XBR_TPID_8021AD)
		return dp_fail(-EINVAL,
			       "TPID 0x%04x is neither 802.1Q nor 802.1ad",
			       v->tpid);
	if (v->pvid > XBR_VID_MAX || (!v->trunk && !v->pvid))
		return dp_fail(-EINVAL, "VLAN %u is out of range 1-%d", v->pvid,
			       XBR_VID_MAX);
	if (v->trunk)
		set = v->allowed;
	set.bits[0] &= ~1ULL; /* VLAN 0 is no VLAN */
	if (v->pvid)
		dp_vlan_add(&set, v->pvid);
	p.tpid = v->tpid ? v->tpid : XBR_TPID_8021Q;
	p.pvid = v->pvid;
	if (v->trunk)
		p.flags |= XBR_PORT_F_TRUNK;
	else
		p.flags &= ~XBR_PORT_F_TRUNK;
	/* The new set first: for a moment the port may carry both. */
	err = dp_port_vlans_write(br, p.slot, &set);
	if (!err)
		err = dp_port_write(br, key, &p);
	if (err)
		return dp_fail(err, "cannot set the VLANs of port %d: %s",
			       ifindex, strerror(-err));
	err = dp_fdb_flush(br, &learned);
	return err < 0 ? err : 0;
}

int dp_vlan_list_parse(const char *text, struct xbr_vlan_set *set)
{
	const char *p = text;
	unsigned long lo, hi, v;
	char *end;

	memset(set, 0, sizeof(*set));
	if (!strcmp(text, "all")) {
		for (v = 1; v <= XBR_VID_MAX; v++)
			dp_vlan_add(set, (__u16)v);
		return 0;
	}
	while (*p) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		lo = strtoul(p, &end, 10);
		hi = lo;
		if (*end == '-') {
			p = end + 1;
			if (!isdigit((unsigned char)*p))
				goto bad;
			hi = strtoul(p, &end, 10);
		}
		if (lo < 1 || hi > XBR_VID_MAX || lo > hi)
			goto bad;
		for (v = lo; v <= hi; v++)
			dp_vlan_add(set, (__u16)v);
		p = end;
		if (*p == ',' && p[1])
			p++;
		else if (*p)
			goto bad;
	}
	if (p == text)
		goto bad;
	return 0;
bad:
	return dp_fail(
		-EINVAL,
		"invalid VLAN list '%s': want VLANs 1-%d as 10,20,30-40 or all",
		text, XBR_VID_MAX);
}

void dp_vlan_list_format(const struct xbr_vlan_set *set, char *buf, size_t len)
{
	size_t n = 0;
	int v, start;

	buf[0] = '\0';
	for (v = 1; v <= XBR_VID_MAX; v++) {
		if (!dp_vlan_has(set, (__u16)v))
			continue;
		start = v;
		while (v + 1 <= XBR_VID_MAX && dp_vlan_has(set, (__u16)(v + 1)))
			v++;
		if (start == 1 && v == XBR_VID_MAX) {
			snprintf(buf, len, "all");
			return;
		}
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%d",
					      n ? "," : "", start);
		if (v != start && n < len)
			n += (size_t)snprintf(buf + n, len - n, "-%d", v);
	}
}
