// SPDX-License-Identifier: GPL-2.0-only
/*
 * The slow path (doc/slowpath.md). xbr_slowpath runs on a slow-path CPU
 * for each frame the ingress program queued there: a control frame goes to
 * the stack of the port it came in on (XDP_PASS builds its skb here, on
 * this CPU); a frame for the host goes to its internal port. It counts
 * both per CPU. xbr_cpumap_drops counts what the CPUMAP could not queue.
 */
#include "maps.h"
#include "parse.h"
#include <bpf/bpf_tracing.h>

static __always_inline struct xbr_slow_stats *this_cpu_stats(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&slow_stats, &cpu);
}

SEC("xdp/cpumap")
int xbr_slowpath(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct xbr_slow_stats *st = this_cpu_stats();
	__u64 mac = 0;
	__u32 *ifindex;

	if (data + 14 > end)
		return XDP_DROP;
	if (mac_is_link_local(data)) {
		if (st)
			__sync_fetch_and_add(&st->control, 1);
		return XDP_PASS;
	}
	__builtin_memcpy(&mac, data, 6);
	ifindex = bpf_map_lookup_elem(&host_ports, &mac);
	if (!ifindex)
		return XDP_DROP;
	if (st)
		__sync_fetch_and_add(&st->host, 1);
	return bpf_redirect_map(&tx_ports, *ifindex, 0);
}

SEC("tp_btf/xdp_cpumap_enqueue")
int BPF_PROG(xbr_cpumap_drops, int map_id, unsigned int processed,
	     unsigned int drops, int to_cpu)
{
	struct xbr_slow_cfg *cfg;
	struct xbr_slow_stats *st;
	__u32 zero = 0, cpu = (__u32)to_cpu;

	cfg = bpf_map_lookup_elem(&slow_cfg, &zero);
	if (!drops || !cfg || (__u32)map_id != cfg->cpumap_id)
		return 0;
	st = bpf_map_lookup_elem(&slow_stats, &cpu);
	if (st)
		__sync_fetch_and_add(&st->drops, drops);
	return 0;
}
