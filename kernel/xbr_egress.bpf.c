// SPDX-License-Identifier: GPL-2.0-only
/*
 * The devmap egress program of the flood domain: runs once per copy of a
 * flooded frame when the redirect is flushed, and counts what each port
 * transmits. Unicast frames do not pass it: the ingress program counts
 * them, which saves a program run per frame.
 */
#include "maps.h"

SEC("xdp/devmap")
int xbr_egress(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->egress_ifindex;
	struct xbr_port_stats *st;
	struct xbr_port *port;

	port = bpf_map_lookup_elem(&ports, &ifindex);
	if (!port || !(port->flags & XBR_PORT_F_ENABLED))
		return XDP_PASS;
	st = bpf_map_lookup_elem(&port_stats, &port->slot);
	if (st) {
		st->tx_packets++;
		st->tx_bytes += ctx->data_end - ctx->data;
	}
	return XDP_PASS;
}
