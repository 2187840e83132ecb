// SPDX-License-Identifier: GPL-2.0-only
/*
 * Known unicast without the egress program (kernel/direct.h,
 * doc/datapath.md): the tracing program that sees a poll's end, the
 * CPUMAP whose threads flood what waited for it, each port's entry in
 * tx_direct and its XBR_PORT_F_NATIVE, and the bridge's XBR_CFG_F_DIRECT.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"
#include "lib/log.h"

/* Queue of each CPU's flood_defer entry: floods that wait, a poll's worth
 * and more. */
#define DEFER_QSIZE 512

/*
 * A PREEMPT_RT kernel (/sys/kernel/realtime) runs NAPI threads, softirq
 * threads and CPUMAP threads of one CPU so that one may preempt another
 * in the middle of its poll: the CPU's bulk queues and its poll's record
 * are shared, so one thread's end of poll could clear the record while
 * another's queue still holds frames without the egress program. There
 * every frame takes the egress program.
 */
static bool kernel_rt(void)
{
	FILE *f = fopen("/sys/kernel/realtime", "r");
	int c = f ? fgetc(f) : EOF;

	if (f)
		fclose(f);
	return c == '1';
}

int dp_direct_prepare(struct dp_bridge *br)
{
	/* until a step of dp_direct_open() fails */
	br->direct_ok = !kernel_rt();
	if (!br->direct_ok)
		log_info("bridge %s: a PREEMPT_RT kernel: known unicast takes "
			 "the egress program",
			 br->name);
	return bpf_map__set_max_entries(br->skel->maps.flood_defer,
					(__u32)br->nr_cpus);
}

/* cpu's flood queue runs this load's xbr_flood_later; replacing an
 * entry lets its old queue drain. */
static int defer_cpu(struct dp_bridge *br, __u32 cpu)
{
	struct bpf_program *prog = br->skel->progs.xbr_flood_later;
	struct bpf_prog_info info = {};
	struct bpf_cpumap_val v = {};
	__u32 len = sizeof(info);
	int fd = bpf_map__fd(br->skel->maps.flood_defer);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return -errno;
	if (!bpf_map_lookup_elem(fd, &cpu, &v) && v.bpf_prog.id == info.id)
		return 0;
	memset(&v, 0, sizeof(v));
	v.qsize = DEFER_QSIZE;
	v.bpf_prog.fd = bpf_program__fd(prog);
	return bpf_map_update_elem(fd, &cpu, &v, BPF_ANY) ? -errno : 0;
}

int dp_direct_open(struct dp_bridge *br)
{
	__u32 ifindexes[XBR_MAX_PORTS], slot, cpu;
	int err = 0;

	/* every port's entry first: a port of an older build's bridge
	 * relinked before another must find the other's */
	if (!dp_port_slots(br, ifindexes))
		for (slot = 0; slot < XBR_MAX_PORTS && !err; slot++)
			if (ifindexes[slot])
				err = dp_direct_entry(br, ifindexes[slot]);
	for (cpu = 0; cpu < (__u32)br->nr_cpus && !err; cpu++) {
		err = defer_cpu(br, cpu);
		if (err)
			dp_fail(err, "cannot make the flood queue of CPU %u: %s",
				cpu, strerror(-err));
	}
	if (!err)
		err = dp_trace_link_ensure(br, br->skel->progs.xbr_poll_end,
					   "poll_end");
	if (!err)
		err = dp_trace_link_ensure(br, br->skel->progs.xbr_defer_drops,
					   "defer_drops");
	if (err)
		br->direct_ok = false;
	dp_direct_update(br);
	return err;
}

int dp_direct_update(struct dp_bridge *br)
{
	struct xbr_bridge_cfg cfg;
	__u32 ifindexes[XBR_MAX_PORTS], slot, zero = 0;
	int fd = bpf_map__fd(br->skel->maps.bridge_cfg);
	bool on = br->direct_ok;
	struct xbr_port p;

	/* a mirror's copies are broadcasts through the egress program, as
	 * floods are, without a poll of their own: no direct unicast on a
	 * bridge with a monitor session */
	if (on && dp_port_slots(br, ifindexes))
		on = false;
	for (slot = 0; on && slot < XBR_MAX_PORTS; slot++)
		if (ifindexes[slot] && !dp_port_read(br, ifindexes[slot], &p) &&
		    (p.flags & XBR_PORT_F_MIRROR))
			on = false;
	if (bpf_map_lookup_elem(fd, &zero, &cfg))
		return dp_fail(-errno, "cannot read the bridge's settings: %s",
			       strerror(errno));
	if (!!(cfg.flags & XBR_CFG_F_DIRECT) == on)
		return 0;
	cfg.flags = on ? cfg.flags | XBR_CFG_F_DIRECT
		       : cfg.flags & ~XBR_CFG_F_DIRECT;
	if (bpf_map_update_elem(fd, &zero, &cfg, BPF_ANY))
		return dp_fail(-errno, "cannot write the bridge's settings: %s",
			       strerror(errno));
	log_debug("bridge %s: known unicast %s the egress program", br->name,
		  on ? "without" : "through");
	return 0;
}

int dp_direct_entry(struct dp_bridge *br, __u32 ifindex)
{
	struct bpf_devmap_val dv = { .ifindex = ifindex };

	if (bpf_map_update_elem(bpf_map__fd(br->skel->maps.tx_direct),
				&ifindex, &dv, BPF_ANY))
		return -errno;
	return 0;
}

int dp_direct_port(struct dp_bridge *br, __u32 ifindex, bool native)
{
	struct xbr_port p;
	int err = dp_port_read(br, ifindex, &p);

	if (err)
		return err;
	if (!!(p.flags & XBR_PORT_F_NATIVE) == native)
		return 0;
	p.flags = native ? p.flags | XBR_PORT_F_NATIVE
			 : p.flags & ~XBR_PORT_F_NATIVE;
	return dp_port_write(br, ifindex, &p);
}
