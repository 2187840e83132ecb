// SPDX-License-Identifier: GPL-2.0-only
/* The slow path (doc/slowpath.md): CPUMAP entries, settings, counters,
 * and the internal ports' MACs it delivers to. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"

static void drops_link_path(struct dp_bridge *br, char *buf, size_t len)
{
	snprintf(buf, len, "%s/links/cpumap_drops", br->dir);
}

int dp_slowpath_clear(struct dp_bridge *br)
{
	struct xbr_slow_cfg cfg = { 0 };
	char path[PATH_MAX];
	__u32 cpu, zero = 0;

	if (bpf_map_update_elem(bpf_map__fd(br->skel->maps.slow_cfg), &zero,
				&cfg, BPF_ANY))
		return dp_fail(-errno, "cannot clear the slow path: %s",
			       strerror(errno));
	for (cpu = 0; cpu < XBR_SLOW_MAX_CPUS; cpu++)
		bpf_map_delete_elem(bpf_map__fd(br->skel->maps.slow_cpus),
				    &cpu);
	drops_link_path(br, path, sizeof(path));
	unlink(path);
	return 0;
}

/* Whether the datapath has exactly this slow path already. */
static bool slowpath_is(struct dp_bridge *br, int host_cpu, int ctl_cpu,
			__u32 qsize)
{
	int fd = bpf_map__fd(br->skel->maps.slow_cpus);
	struct bpf_cpumap_val v;
	struct xbr_slow_cfg cfg;
	char path[PATH_MAX];
	__u32 zero = 0, cpu;

	if (bpf_map_lookup_elem(bpf_map__fd(br->skel->maps.slow_cfg), &zero,
				&cfg) ||
	    !(cfg.flags & XBR_SLOW_F_ENABLED) ||
	    cfg.host_cpu != (__u32)host_cpu ||
	    !!(cfg.flags & XBR_SLOW_F_CONTROL) != (ctl_cpu >= 0) ||
	    (ctl_cpu >= 0 && cfg.ctl_cpu != (__u32)ctl_cpu))
		return false;
	cpu = (__u32)host_cpu;
	if (bpf_map_lookup_elem(fd, &cpu, &v) || v.qsize != qsize)
		return false;
	cpu = (__u32)ctl_cpu;
	if (ctl_cpu >= 0 &&
	    (bpf_map_lookup_elem(fd, &cpu, &v) || v.qsize != qsize))
		return false;
	drops_link_path(br, path, sizeof(path));
	return access(path, F_OK) == 0;
}

int dp_slowpath_set(struct dp_bridge *br, int host_cpu, int ctl_cpu,
		    __u32 qsize)
{
	int fd = bpf_map__fd(br->skel->maps.slow_cpus);
	struct bpf_cpumap_val v = {
		.qsize = qsize,
		.bpf_prog.fd = bpf_program__fd(br->skel->progs.xbr_slowpath),
	};
	struct xbr_slow_cfg cfg = { .flags = XBR_SLOW_F_ENABLED };
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info), zero = 0, cpu;
	int ncpu = libbpf_num_possible_cpus(), err;
	struct bpf_link *link;
	char path[PATH_MAX];

	if (host_cpu < 0 || host_cpu >= ncpu || host_cpu >= XBR_SLOW_MAX_CPUS ||
	    ctl_cpu >= ncpu || ctl_cpu >= XBR_SLOW_MAX_CPUS)
		return dp_fail(-EINVAL, "this machine has CPUs 0-%d", ncpu - 1);
	if (ctl_cpu == host_cpu)
		return dp_fail(
			-EINVAL,
			"the control CPU must not be the host CPU: control frames would wait behind host frames");
	if (qsize < 16 || qsize > 16384)
		return dp_fail(-EINVAL,
			       "queue size %u is out of range 16-16384", qsize);
	if (slowpath_is(br, host_cpu, ctl_cpu, qsize))
		return 0; /* a daemon restart keeps what is queued */
	err = dp_slowpath_clear(br);
	if (err)
		return err;
	cpu = (__u32)host_cpu;
	if (bpf_map_update_elem(fd, &cpu, &v, BPF_ANY))
		goto err_cpu;
	cfg.host_cpu = cpu;
	if (ctl_cpu >= 0) {
		cpu = (__u32)ctl_cpu;
		if (bpf_map_update_elem(fd, &cpu, &v, BPF_ANY))
			goto err_cpu;
		cfg.ctl_cpu = cpu;
		cfg.flags |= XBR_SLOW_F_CONTROL;
	}
	if (!bpf_obj_get_info_by_fd(fd, &info, &len))
		cfg.cpumap_id = info.id;
	/* what the CPUMAP cannot queue, counted by a pinned tracepoint */
	link = bpf_program__attach_trace(br->skel->progs.xbr_cpumap_drops);
	if (link) {
		drops_link_path(br, path, sizeof(path));
		if (bpf_link__pin(link, path))
			dp_fail(0, "cannot pin the drop counter");
		bpf_link__destroy(link);
	}
	if (bpf_map_update_elem(bpf_map__fd(br->skel->maps.slow_cfg), &zero,
				&cfg, BPF_ANY)) {
		err = dp_fail(-errno, "cannot set the slow path: %s",
			      strerror(errno));
		dp_slowpath_clear(br);
		return err;
	}
	return 0;

err_cpu:
	err = dp_fail(-errno, "cannot give CPU %u a slow-path queue: %s", cpu,
		      strerror(errno));
	dp_slowpath_clear(br);
	return err;
}

int dp_slowpath_stats(struct dp_bridge *br, __u32 cpu,
		      struct xbr_slow_stats *out)
{
	if (bpf_map_lookup_elem(bpf_map__fd(br->skel->maps.slow_stats), &cpu,
				out))
		return -errno;
	return 0;
}

static __u64 mac_key(const __u8 mac[6])
{
	__u64 k = 0;

	memcpy(&k, mac, 6);
	return k;
}

int dp_host_port_set(struct dp_bridge *br, const __u8 mac[6], int ifindex)
{
	__u64 k = mac_key(mac);
	__u32 v = (__u32)ifindex;

	if (bpf_map_update_elem(bpf_map__fd(br->skel->maps.host_ports), &k, &v,
				BPF_ANY))
		return dp_fail(-errno, "cannot record the internal port: %s",
			       strerror(errno));
	return 0;
}

void dp_host_port_del(struct dp_bridge *br, const __u8 mac[6])
{
	__u64 k = mac_key(mac);

	bpf_map_delete_elem(bpf_map__fd(br->skel->maps.host_ports), &k);
}
