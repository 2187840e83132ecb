// SPDX-License-Identifier: GPL-2.0-only
/* The slow path (doc/slowpath.md): CPUMAP entries, settings, counters,
 * and the internal ports' MACs it delivers to. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"

static void drops_link_path(struct dp_bridge *br, char *buf, size_t len)
{
	snprintf(buf, len, "%s/links/cpumap_drops", br->dir);
}

static __u32 prog_id(int fd)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

int dp_trace_link_ensure(struct dp_bridge *br, struct bpf_program *prog,
			 const char *name)
{
	struct bpf_link_info li = { 0 };
	__u32 len = sizeof(li), want = prog_id(bpf_program__fd(prog));
	struct bpf_link *link;
	char path[PATH_MAX];
	int fd, err;

	snprintf(path, sizeof(path), "%s/links", br->dir);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return dp_fail(-errno, "cannot create %s: %s", path,
			       strerror(errno));
	snprintf(path, sizeof(path), "%s/links/%s", br->dir, name);
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		err = bpf_obj_get_info_by_fd(fd, &li, &len);
		close(fd);
		if (!err && want && li.prog_id == want)
			return 0; /* runs this build's program already */
	}
	/* The new link is pinned over the old one, which goes with it. */
	link = bpf_program__attach_trace(prog);
	if (!link)
		return dp_fail(-errno, "cannot attach %s: %s",
			       bpf_program__name(prog), strerror(errno));
	err = dp_pin_replace(path, bpf_link__fd(link));
	bpf_link__destroy(link);
	if (err)
		return dp_fail(err, "cannot pin %s at %s: %s",
			       bpf_program__name(prog), path, strerror(-err));
	return 0;
}

/* The CPUMAP entry of cpu runs this build's program, same queue size;
 * replacing an entry lets its old queue drain, nothing is dropped. */
static int cpu_upgrade(struct dp_bridge *br, __u32 cpu)
{
	int fd = bpf_map__fd(br->skel->maps.slow_cpus);
	int prog = bpf_program__fd(br->skel->progs.xbr_slowpath);
	struct bpf_cpumap_val v;

	if (bpf_map_lookup_elem(fd, &cpu, &v))
		return dp_fail(-errno, "slow-path CPU %u has no queue: %s", cpu,
			       strerror(errno));
	if (v.bpf_prog.id == prog_id(prog))
		return 0;
	v.bpf_prog.fd = prog;
	if (bpf_map_update_elem(fd, &cpu, &v, BPF_EXIST))
		return dp_fail(-errno, "cannot upgrade slow-path CPU %u: %s",
			       cpu, strerror(errno));
	return 0;
}

int dp_slowpath_upgrade(struct dp_bridge *br)
{
	struct xbr_slow_cfg cfg;
	__u32 zero = 0;
	int err;

	if (bpf_map_lookup_elem(bpf_map__fd(br->skel->maps.slow_cfg), &zero,
				&cfg))
		return dp_fail(-errno, "cannot read the slow path: %s",
			       strerror(errno));
	if (!(cfg.flags & XBR_SLOW_F_ENABLED))
		return 0;
	err = cpu_upgrade(br, cfg.host_cpu);
	if (!err && (cfg.flags & XBR_SLOW_F_CONTROL))
		err = cpu_upgrade(br, cfg.ctl_cpu);
	if (!err)
		err = dp_trace_link_ensure(br, br->skel->progs.xbr_cpumap_drops,
					   "cpumap_drops");
	return err;
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
	return true;
}

int dp_slowpath_check(int host_cpu, int ctl_cpu, __u32 qsize)
{
	int ncpu = libbpf_num_possible_cpus();

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
	return 0;
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
	int err;

	err = dp_slowpath_check(host_cpu, ctl_cpu, qsize);
	if (err)
		return err;
	/* The same settings (a daemon restart): what is queued stays, the
	 * programs become this build's. */
	if (slowpath_is(br, host_cpu, ctl_cpu, qsize))
		return dp_slowpath_upgrade(br);
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
	err = dp_trace_link_ensure(br, br->skel->progs.xbr_cpumap_drops,
				   "cpumap_drops");
	if (err) {
		dp_slowpath_clear(br);
		return err;
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
