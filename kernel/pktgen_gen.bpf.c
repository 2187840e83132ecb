// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generator: run by BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES on a
 * template frame, it writes the source and destination index into the
 * last three bytes of each MAC (so n_src and n_dst distinct addresses
 * cycle) and sends the frame out with XDP_TX. The second byte of the
 * source is the CPU, so threads never share a source address.
 */
#include "pktgen_maps.h"

const volatile __u32 n_src = 1;
const volatile __u32 n_dst = 1;

static __always_inline void put_index(__u8 *mac, __u32 idx)
{
	mac[3] = (__u8)(idx >> 16);
	mac[4] = (__u8)(idx >> 8);
	mac[5] = (__u8)idx;
}

SEC("xdp")
int xbr_pktgen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u8 *eth = data;
	struct pktgen_stats *st;
	__u32 zero = 0;

	if (data + 14 > end)
		return XDP_DROP;
	st = bpf_map_lookup_elem(&stats, &zero);
	if (!st)
		return XDP_DROP;
	if (n_dst > 1) {
		put_index(eth, (__u32)st->dst_idx);
		if (++st->dst_idx >= n_dst)
			st->dst_idx = 0;
	}
	if (n_src > 1) {
		put_index(eth + 6, (__u32)st->src_idx);
		eth[7] = (__u8)bpf_get_smp_processor_id();
		if (++st->src_idx >= n_src)
			st->src_idx = 0;
	}
	st->packets++;
	st->bytes += end - data;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
