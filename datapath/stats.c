// SPDX-License-Identifier: GPL-2.0-only
/* Counters: per-CPU port counters summed, learned/aged state, reason names. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"

#define XBR_NAME_ENTRY(e, s) [e] = s,
static const char *const drop_names[XBR_DROP_MAX] = {
	[XBR_DROP_NONE] = "none", XBR_DROP_REASONS(XBR_NAME_ENTRY)
};
#undef XBR_NAME_ENTRY

const char *dp_drop_reason_name(int reason)
{
	if (reason < 0 || reason >= XBR_DROP_MAX)
		return NULL;
	return drop_names[reason];
}

int dp_port_counters(struct dp_bridge *br, int ifindex,
		     struct dp_port_counters *out)
{
	struct xbr_port_stats *percpu;
	__u64 *sum, *one;
	int slot, cpu, err = 0;
	__u32 key;
	size_t i;

	slot = dp_port_slot(br, (__u32)ifindex);
	if (slot < 0)
		return dp_fail(-ENOENT,
			       "interface %d is not a port of bridge %s",
			       ifindex, br->name);
	percpu = calloc((size_t)br->nr_cpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	key = (__u32)slot;
	if (bpf_map_lookup_elem(bpf_map__fd(br->skel->maps.port_stats), &key,
				percpu)) {
		err = dp_fail(-errno, "cannot read the counters: %s",
			      strerror(errno));
		goto out;
	}
	memset(out, 0, sizeof(*out));
	/* Every field is a __u64: add them up as arrays. */
	sum = (__u64 *)&out->s;
	for (cpu = 0; cpu < br->nr_cpus; cpu++) {
		one = (__u64 *)&percpu[cpu];
		for (i = 0; i < sizeof(out->s) / sizeof(__u64); i++)
			sum[i] += one[i];
	}
	out->fdb_entries =
		__atomic_load_n(&br->state[slot].learned, __ATOMIC_RELAXED);
	out->aged = __atomic_load_n(&br->state[slot].aged, __ATOMIC_RELAXED);
out:
	free(percpu);
	return err;
}

__u64 dp_bridge_learned(struct dp_bridge *br)
{
	return __atomic_load_n(&br->state[XBR_STATE_BRIDGE].learned,
			       __ATOMIC_RELAXED);
}
