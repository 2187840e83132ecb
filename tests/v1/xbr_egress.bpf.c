// SPDX-License-Identifier: GPL-2.0-only
/*
 * The devmap egress program of the flood domain: runs once per copy of a
 * flooded frame when the redirect is flushed. The ingress program left the
 * frame with one outer 802.1Q tag holding its VLAN and priority; here each
 * copy is dropped at a port outside the VLAN, or made what its port sends
 * (tag popped, TPID rewritten, or left), and counted. Unicast frames do
 * not pass here: the ingress program tags and counts them itself.
 */
#include "maps.h"
#include "vlan.h"

SEC("xdp/devmap")
int xbr_egress(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 ifindex = ctx->egress_ifindex;
	struct xbr_port_stats *st;
	struct xbr_vlan_set *set;
	struct xbr_port *port;
	__u16 tci, vid;
	int err = 0;

	port = bpf_map_lookup_elem(&ports, &ifindex);
	if (!port || !(port->flags & XBR_PORT_F_ENABLED))
		return XDP_DROP;
	if (data + 18 > end)
		return XDP_DROP;
	tci = bpf_ntohs(*(__be16 *)(data + 14));
	vid = tci & VLAN_VID_MASK;
	set = bpf_map_lookup_elem(&port_vlans, &port->slot);
	if (!vlan_member(set, vid))
		return XDP_DROP; /* outside this port's VLANs */
	if (!vlan_tagged_on(port, vid))
		err = tag_pop(ctx);
	else if (port->tpid != XBR_TPID_8021Q)
		err = tag_write(ctx, port->tpid, tci);
	if (err)
		return XDP_DROP;
	st = bpf_map_lookup_elem(&port_stats, &port->slot);
	if (st) {
		st->tx_packets++;
		st->tx_bytes += ctx->data_end - ctx->data;
	}
	return XDP_PASS;
}
