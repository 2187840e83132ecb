// SPDX-License-Identifier: GPL-2.0-only
/*
 * The devmap egress program: runs once per frame and egress port when the
 * redirect is flushed, for unicast and flooded frames alike. It counts what
 * each port transmits.
 */
#include "maps.h"

SEC("xdp/devmap")
int xbr_egress(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->egress_ifindex;
	struct xbr_port_stats *st;
	struct xbr_port *port;

	port = bpf_map_lookup_elem(&ports, &ifindex);
	if (!port)
		return XDP_PASS;
	st = bpf_map_lookup_elem(&port_stats, &port->slot);
	if (st) {
		st->tx_packets++;
		st->tx_bytes += ctx->data_end - ctx->data;
	}
	return XDP_PASS;
}
