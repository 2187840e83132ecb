// SPDX-License-Identifier: GPL-2.0-only
/*
 * v1_bridge: pin a bridge as the first release (layout version 1, commit
 * fea36ee) made it, for the upgrade test. The BPF object is built from
 * that release's kernel sources, kept unchanged in tests/v1/; this loader
 * does what that release's library did when it created a bridge, added
 * ports, a static entry and a slow path: same maps, same pins, same links.
 *
 *   v1_bridge PIN_ROOT NAME [port IFNAME VID]... [static MAC VID IFNAME]...
 *             [slowpath CPU QSIZE]
 *
 * A port is an 802.1Q access port in VLAN VID.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "lib/netlink.h"
#include "tests/v1/xbr_abi.h"
#include "xbr_v1.skel.h"

static struct xbr_v1 *skel;
static char dir[512];
static __u32 next_slot;

static int fail(const char *what)
{
	fprintf(stderr, "v1_bridge: %s: %s\n", what, strerror(errno));
	return 1;
}

static int pin_all(void)
{
	char path[600];
	struct bpf_map *map;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return fail(dir);
	bpf_object__for_each_map (map, skel->obj) {
		if (bpf_map__is_internal(map))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, bpf_map__name(map));
		if (bpf_map__pin(map, path))
			return fail(path);
	}
	snprintf(path, sizeof(path), "%s/links", dir);
	if (mkdir(path, 0700) && errno != EEXIST)
		return fail(path);
	return 0;
}

static int update(struct bpf_map *map, const void *key, const void *val)
{
	return bpf_map_update_elem(bpf_map__fd(map), key, val, BPF_ANY);
}

static int port_add(const char *ifname, __u16 vid)
{
	struct xbr_port port = {
		.slot = next_slot++,
		.pvid = vid,
		.tpid = XBR_TPID_8021Q,
		.flags = XBR_PORT_F_LEARN | XBR_PORT_F_ENABLED,
	};
	struct xbr_vlan_set set = { 0 };
	struct netlink_link link;
	struct bpf_devmap_val tx = { 0 }, flood = { 0 };
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = XDP_FLAGS_DRV_MODE);
	__u32 key;
	const char *what;
	char path[600];
	int fd;

	if (netlink_link_by_name(ifname, &link) ||
	    netlink_veth_prepare_peer(&link, &what))
		return fail(ifname);
	key = (__u32)link.ifindex;
	set.bits[vid >> 6] |= 1ULL << (vid & 63);
	tx.ifindex = key;
	flood.ifindex = key;
	flood.bpf_prog.fd = bpf_program__fd(skel->progs.xbr_egress);
	if (update(skel->maps.port_vlans, &port.slot, &set) ||
	    update(skel->maps.ports, &key, &port) ||
	    update(skel->maps.port_slots, &port.slot, &key) ||
	    update(skel->maps.tx_ports, &key, &tx) ||
	    update(skel->maps.flood_ports, &key, &flood))
		return fail("port maps");
	fd = bpf_link_create(bpf_program__fd(skel->progs.xbr_ingress),
			     link.ifindex, BPF_XDP, &lo);
	if (fd < 0)
		return fail("attach");
	snprintf(path, sizeof(path), "%s/links/%u", dir, key);
	if (bpf_obj_pin(fd, path))
		return fail(path);
	close(fd);
	return 0;
}

static int static_add(const char *mac, __u16 vid, const char *ifname)
{
	struct xbr_fdb_key k = { .vid = vid };
	struct xbr_fdb_val v = { .flags = XBR_FDB_F_STATIC };
	unsigned int b[6];
	int i;

	if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return fail("MAC");
	for (i = 0; i < 6; i++)
		k.mac[i] = (__u8)b[i];
	v.ifindex = if_nametoindex(ifname);
	return update(skel->maps.fdb, &k, &v) ? fail("static entry") : 0;
}

static int slowpath(__u32 cpu, __u32 qsize)
{
	struct bpf_cpumap_val v = {
		.qsize = qsize,
		.bpf_prog.fd = bpf_program__fd(skel->progs.xbr_slowpath),
	};
	struct xbr_slow_cfg cfg = { .flags = XBR_SLOW_F_ENABLED,
				    .host_cpu = cpu };
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info), zero = 0;
	struct bpf_link *link;
	char path[600];

	if (update(skel->maps.slow_cpus, &cpu, &v))
		return fail("cpumap");
	if (!bpf_obj_get_info_by_fd(bpf_map__fd(skel->maps.slow_cpus), &info,
				    &len))
		cfg.cpumap_id = info.id;
	link = bpf_program__attach_trace(skel->progs.xbr_cpumap_drops);
	snprintf(path, sizeof(path), "%s/links/cpumap_drops", dir);
	if (!link || bpf_link__pin(link, path))
		return fail("drop counter");
	bpf_link__destroy(link);
	return update(skel->maps.slow_cfg, &zero, &cfg) ? fail("slow_cfg") : 0;
}

int main(int argc, char **argv)
{
	int i, err = 0;

	if (argc < 3) {
		fprintf(stderr,
			"usage: v1_bridge PIN_ROOT NAME [port IFNAME VID]... [static MAC VID IFNAME]... [slowpath CPU QSIZE]\n");
		return 2;
	}
	if (mkdir(argv[1], 0700) && errno != EEXIST)
		return fail(argv[1]);
	snprintf(dir, sizeof(dir), "%s/%s", argv[1], argv[2]);
	skel = xbr_v1__open_and_load();
	if (!skel)
		return fail("load");
	err = pin_all();
	for (i = 3; !err && i < argc; i++) {
		if (!strcmp(argv[i], "port") && i + 2 < argc) {
			err = port_add(argv[i + 1], (__u16)atoi(argv[i + 2]));
			i += 2;
		} else if (!strcmp(argv[i], "static") && i + 3 < argc) {
			err = static_add(argv[i + 1], (__u16)atoi(argv[i + 2]),
					 argv[i + 3]);
			i += 3;
		} else if (!strcmp(argv[i], "slowpath") && i + 2 < argc) {
			err = slowpath((__u32)atoi(argv[i + 1]),
				       (__u32)atoi(argv[i + 2]));
			i += 2;
		} else {
			fprintf(stderr, "v1_bridge: cannot read '%s'\n",
				argv[i]);
			err = 2;
		}
	}
	xbr_v1__destroy(skel);
	return err;
}
