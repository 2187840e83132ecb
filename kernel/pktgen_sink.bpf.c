// SPDX-License-Identifier: GPL-2.0-only
/* The sink: counts what arrives and drops it. */
#include "pktgen_maps.h"

SEC("xdp")
int xbr_sink(struct xdp_md *ctx)
{
	struct pktgen_stats *st;
	__u32 zero = 0;

	st = bpf_map_lookup_elem(&stats, &zero);
	if (st) {
		st->packets++;
		st->bytes += ctx->data_end - ctx->data;
	}
	return XDP_DROP;
}
