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

/* Batched lookups of the first n entries of an array map; 0 or -errno. */
static int array_read(int fd, void *keys, void *values, __u32 n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 count = n, batch;
	int err;

	err = bpf_map_lookup_batch(fd, NULL, &batch, keys, values, &count,
				   &opts);
	if (err && errno != ENOENT)
		return -errno;
	return count == n ? 0 : -EIO;
}

int dp_port_counters_all(struct dp_bridge *br, dp_port_counters_cb cb,
			 void *ctx)
{
	size_t one = sizeof(struct xbr_port_stats), i;
	__u32 keys[XBR_MAX_PORTS], ifindexes[XBR_MAX_PORTS];
	struct dp_port_counters k;
	const __u64 *v;
	__u64 *sum;
	char *stats;
	int slot, cpu, err;

	stats = malloc((size_t)XBR_MAX_PORTS * (size_t)br->nr_cpus * one);
	if (!stats)
		return -ENOMEM;
	err = array_read(bpf_map__fd(br->skel->maps.port_slots), keys,
			 ifindexes, XBR_MAX_PORTS);
	if (!err)
		err = array_read(bpf_map__fd(br->skel->maps.port_stats), keys,
				 stats, XBR_MAX_PORTS);
	if (err) {
		err = dp_fail(err, "cannot read the counters: %s",
			      strerror(-err));
		goto out;
	}
	for (slot = 0; slot < XBR_MAX_PORTS && !err; slot++) {
		if (!ifindexes[slot])
			continue;
		memset(&k, 0, sizeof(k));
		sum = (__u64 *)&k.s;
		for (cpu = 0; cpu < br->nr_cpus; cpu++) {
			v = (const __u64 *)(stats +
					    ((size_t)slot *
						     (size_t)br->nr_cpus +
					     (size_t)cpu) *
						    one);
			for (i = 0; i < one / sizeof(__u64); i++)
				sum[i] += v[i];
		}
		k.fdb_entries = __atomic_load_n(&br->state[slot].learned,
						__ATOMIC_RELAXED);
		k.aged = __atomic_load_n(&br->state[slot].aged,
					 __ATOMIC_RELAXED);
		err = cb(ifindexes[slot], &k, ctx);
	}
out:
	free(stats);
	return err;
}

__u64 dp_bridge_learned(struct dp_bridge *br)
{
	return __atomic_load_n(&br->state[XBR_STATE_BRIDGE].learned,
			       __ATOMIC_RELAXED);
}
