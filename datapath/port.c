// SPDX-License-Identifier: GPL-2.0-only
/* Bridge ports: attach the XDP program, join the forwarding maps, leave. */
#include <errno.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>

#include "datapath/dp_priv.h"
#include "lib/log.h"
#include "lib/netlink.h"

int dp_port_read(struct dp_bridge *br, __u32 ifindex, struct xbr_port *p)
{
	if (ifindex >= XBR_MAX_IFINDEX ||
	    bpf_map_lookup_elem(bpf_map__fd(br->skel->maps.ports), &ifindex,
				p) ||
	    !(p->flags & XBR_PORT_F_ENABLED))
		return -ENOENT;
	return 0;
}

static int port_write(struct dp_bridge *br, __u32 ifindex,
		      const struct xbr_port *p)
{
	if (bpf_map_update_elem(bpf_map__fd(br->skel->maps.ports), &ifindex, p,
				BPF_ANY))
		return -errno;
	return 0;
}

int dp_port_slots(struct dp_bridge *br, __u32 *ifindexes)
{
	int fd = bpf_map__fd(br->skel->maps.port_slots);
	__u32 slot;

	for (slot = 0; slot < XBR_MAX_PORTS; slot++)
		if (bpf_map_lookup_elem(fd, &slot, &ifindexes[slot]))
			return -errno;
	return 0;
}

static int slot_set(struct dp_bridge *br, __u32 slot, __u32 ifindex)
{
	if (bpf_map_update_elem(bpf_map__fd(br->skel->maps.port_slots), &slot,
				&ifindex, BPF_ANY))
		return -errno;
	return 0;
}

static int vlans_write(struct dp_bridge *br, __u32 slot,
		       const struct xbr_vlan_set *set)
{
	if (bpf_map_update_elem(bpf_map__fd(br->skel->maps.port_vlans), &slot,
				set, BPF_ANY))
		return -errno;
	return 0;
}

int dp_port_need(struct dp_bridge *br, __u32 ifindex, struct xbr_port *p)
{
	if (dp_port_read(br, ifindex, p))
		return dp_fail(-ENOENT,
			       "interface %u is not a port of bridge %s",
			       ifindex, br->name);
	return 0;
}

int dp_port_write(struct dp_bridge *br, __u32 ifindex, const struct xbr_port *p)
{
	return port_write(br, ifindex, p);
}

int dp_port_vlans_write(struct dp_bridge *br, __u32 slot,
			const struct xbr_vlan_set *set)
{
	return vlans_write(br, slot, set);
}

int dp_port_slot(struct dp_bridge *br, __u32 ifindex)
{
	struct xbr_port p;

	if (dp_port_read(br, ifindex, &p))
		return -ENOENT;
	return (int)p.slot;
}

static int lowest_free_slot(struct dp_bridge *br)
{
	__u32 ifindexes[XBR_MAX_PORTS];
	int i, err;

	err = dp_port_slots(br, ifindexes);
	if (err)
		return err;
	for (i = 0; i < XBR_MAX_PORTS; i++)
		if (!ifindexes[i])
			return i;
	return -ENOSPC;
}

static int slot_reset(struct dp_bridge *br, __u32 slot)
{
	static const struct xbr_mirror no_mirror;
	struct xbr_port_stats *zero;
	int err = 0;

	zero = calloc((size_t)br->nr_cpus, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	if (bpf_map_update_elem(bpf_map__fd(br->skel->maps.port_stats), &slot,
				zero, BPF_ANY))
		err = -errno;
	free(zero);
	if (!err)
		err = dp_storm_reset(br, slot);
	__atomic_store_n(&br->state[slot].learned, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&br->state[slot].aged, 0, __ATOMIC_RELAXED);
	if (!err && bpf_map_update_elem(bpf_map__fd(br->skel->maps.mirror),
					&slot, &no_mirror, BPF_ANY))
		err = -errno;
	return err;
}

static enum dp_xdp_mode attached_mode(int ifindex, __u32 *prog_id)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	*prog_id = 0;
	if (bpf_xdp_query(ifindex, 0, &q))
		return DP_XDP_AUTO;
	*prog_id = q.prog_id;
	if (q.attach_mode == XDP_ATTACHED_SKB)
		return DP_XDP_GENERIC;
	if (q.attach_mode == XDP_ATTACHED_DRV)
		return DP_XDP_NATIVE;
	return DP_XDP_AUTO;
}

/* Refuse an interface that carries an XDP program of someone else's. */
static int check_foreign(const char *ifname, int ifindex)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), id;
	int fd;

	if (bpf_xdp_query(ifindex, 0, &q))
		return 0;
	id = q.prog_id	     ? q.prog_id
	     : q.drv_prog_id ? q.drv_prog_id
	     : q.skb_prog_id ? q.skb_prog_id
			     : q.hw_prog_id;
	if (!id)
		return 0;
	fd = bpf_prog_get_fd_by_id(id);
	if (fd >= 0) {
		bpf_obj_get_info_by_fd(fd, &info, &len);
		close(fd);
	}
	if (!strcmp(info.name, "xbr_ingress"))
		return dp_fail(
			-EBUSY,
			"interface %s is already a port of another xbr bridge",
			ifname);
	return dp_fail(
		-EBUSY,
		"interface %s already has an XDP program attached (id %u, name '%s'); xbr will not replace it",
		ifname, id, info.name);
}

/*
 * The largest MTU the peer of a veth may have while XDP (without frags)
 * is on the veth, as veth_xdp_set() computes it: a page, less the XDP
 * headroom and the cache-line aligned skb_shared_info of this kernel
 * (from its BTF), less the Ethernet header. -1 when unknown.
 */
static int veth_xdp_max_mtu(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int id, shinfo = -1;

	if (!btf)
		return -1;
	id = btf__find_by_name_kind(btf, "skb_shared_info", BTF_KIND_STRUCT);
	if (id > 0)
		shinfo = (int)btf__resolve_size(btf, id);
	btf__free(btf);
	if (shinfo < 0)
		return -1;
	return getpagesize() - XDP_PACKET_HEADROOM - ((shinfo + 63) & ~63) -
	       ETH_HLEN;
}

/* Why the driver refused XDP with ERANGE: an MTU too large for it. */
static int mtu_refused(const struct netlink_link *link)
{
	unsigned int mtu;
	int max;

	if (!netlink_veth_peer_mtu(link, &mtu)) {
		max = veth_xdp_max_mtu();
		if (max > 0 && mtu > (unsigned int)max)
			return dp_fail(
				-ERANGE,
				"cannot attach XDP to %s: its veth peer has MTU %u, above %d, the most XDP on a veth allows; lower the peer's MTU to %d or less",
				link->name, mtu, max, max);
		if (max > 0 && link->mtu > (unsigned int)max)
			return dp_fail(
				-ERANGE,
				"cannot attach XDP to %s: its MTU %u is above %d, the most XDP on a veth allows; lower it to %d or less",
				link->name, link->mtu, max, max);
	}
	return dp_fail(
		-ERANGE,
		"cannot attach XDP to %s: its MTU %u is above what XDP on its driver allows; lower it",
		link->name, link->mtu);
}

static int attach(struct dp_bridge *br, const struct netlink_link *link,
		  enum dp_xdp_mode want)
{
	const char *ifname = link->name;
	int ifindex = link->ifindex;
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	int prog = bpf_program__fd(br->skel->progs.xbr_ingress);
	char path[PATH_MAX];
	int fd, err;

	lo.flags = want == DP_XDP_NATIVE    ? XDP_FLAGS_DRV_MODE
		   : want == DP_XDP_GENERIC ? XDP_FLAGS_SKB_MODE
					    : 0;
	fd = bpf_link_create(prog, ifindex, BPF_XDP, &lo);
	if (fd < 0 && want == DP_XDP_AUTO &&
	    (errno == EOPNOTSUPP || errno == EINVAL)) {
		lo.flags = XDP_FLAGS_SKB_MODE;
		fd = bpf_link_create(prog, ifindex, BPF_XDP, &lo);
	}
	if (fd < 0 && errno == ERANGE)
		return mtu_refused(link);
	if (fd < 0)
		return dp_fail(-errno, "cannot attach XDP to %s: %s", ifname,
			       strerror(errno));

	snprintf(path, sizeof(path), "%s/links", br->dir);
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		err = dp_fail(-errno, "cannot create %s: %s", path,
			      strerror(errno));
		goto err_detach;
	}
	dp_link_path(br, (__u32)ifindex, path, sizeof(path));
	unlink(path);
	if (bpf_obj_pin(fd, path)) {
		err = dp_fail(-errno, "cannot pin the link of %s at %s: %s",
			      ifname, path, strerror(errno));
		goto err_detach;
	}
	close(fd);
	return 0;

err_detach:
	bpf_link_detach(fd);
	close(fd);
	return err;
}

/* Detach the port's program and remove its pinned link. */
static void detach(struct dp_bridge *br, __u32 ifindex)
{
	char path[PATH_MAX];
	int fd;

	dp_link_path(br, ifindex, path, sizeof(path));
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		bpf_link_detach(fd);
		close(fd);
	}
	unlink(path);
}

int dp_port_relink(struct dp_bridge *br, __u32 ifindex)
{
	struct bpf_devmap_val dv = {
		.ifindex = ifindex,
		.bpf_prog.fd = bpf_program__fd(br->skel->progs.xbr_egress),
	};
	char path[PATH_MAX];
	int fd, err = 0;
	__u32 id;

	dp_link_path(br, ifindex, path, sizeof(path));
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	if (bpf_link_update(fd, bpf_program__fd(br->skel->progs.xbr_ingress),
			    NULL))
		err = -errno; /* -ENOLINK: the interface went away */
	close(fd);
	if (!err &&
	    (bpf_map_update_elem(bpf_map__fd(br->skel->maps.flood_ports),
				 &ifindex, &dv, BPF_EXIST) ||
	     bpf_map_update_elem(bpf_map__fd(br->skel->maps.tx_ports), &ifindex,
				 &dv, BPF_EXIST)))
		err = -errno;
	/* a mirror's port, if it is one */
	if (!err &&
	    bpf_map_update_elem(bpf_map__fd(br->skel->maps.mirror_ports),
				&ifindex, &dv, BPF_EXIST) &&
	    errno != ENOENT)
		err = -errno;
	/* a port of an older build's bridge becomes native here */
	if (!err)
		err = dp_direct_port(br, ifindex,
				     attached_mode((int)ifindex, &id) ==
					     DP_XDP_NATIVE);
	return err;
}

/* A veth port's peer made able to receive redirected frames. */
static int prepare_peer(const struct netlink_link *link)
{
	const char *what;
	int err;

	err = netlink_veth_prepare_peer(link, &what);
	if (err)
		return dp_fail(
			err,
			"%s: cannot %s: %s (frames redirected to it would be lost)",
			link->name, what, strerror(-err));
	return 0;
}

/* As the Linux bridge: no loopback (the host's own traffic would meet
 * the program), nothing that does not carry Ethernet frames. */
static int link_kind_check(const struct netlink_link *link)
{
	if (link->type == ARPHRD_LOOPBACK)
		return dp_fail(-ELOOP,
			       "%s is the loopback interface: it cannot be a port",
			       link->name);
	if (link->type != ARPHRD_ETHER)
		return dp_fail(-EINVAL,
			       "%s carries no Ethernet frames (link type %u): it cannot be a port",
			       link->name, link->type);
	return 0;
}

int dp_port_kind_check(int ifindex)
{
	struct netlink_link link;
	int err = netlink_link_get(ifindex, &link);

	if (err)
		return dp_fail(err, "no interface with index %d", ifindex);
	return link_kind_check(&link);
}

int dp_port_add(struct dp_bridge *br, int ifindex,
		const struct dp_port_opts *opts, enum dp_xdp_mode *mode)
{
	struct xbr_port port = {
		.pvid = XBR_DEFAULT_PVID,
		.tpid = XBR_TPID_8021Q,
		.flags = XBR_PORT_F_LEARN | XBR_PORT_F_ENABLED,
	};
	struct xbr_vlan_set vset = { 0 };
	/* both devmaps run the egress program: the kernel runs the program
	 * of a device's first queued frame for all frames queued with it */
	struct bpf_devmap_val dv = {
		.ifindex = (__u32)ifindex,
		.bpf_prog.fd = bpf_program__fd(br->skel->progs.xbr_egress),
	};
	static const struct xbr_port none;
	int tx_fd = bpf_map__fd(br->skel->maps.tx_ports);
	int flood_fd = bpf_map__fd(br->skel->maps.flood_ports);
	enum dp_xdp_mode want = DP_XDP_AUTO, got;
	struct netlink_link link;
	__u32 key = (__u32)ifindex, id;
	int slot, err;

	if (opts && opts->sz < sizeof(*opts))
		return dp_fail(-EINVAL, "dp_port_opts: bad size");
	err = netlink_link_get(ifindex, &link);
	if (err)
		return dp_fail(err, "no interface with index %d", ifindex);
	err = link_kind_check(&link);
	if (err)
		return err;
	if (opts) {
		if (opts->pvid)
			port.pvid = opts->pvid;
		if (opts->no_learn)
			port.flags &= ~XBR_PORT_F_LEARN;
		port.learn_limit = opts->learn_limit;
		if (opts->down)
			port.flags |= XBR_PORT_F_DOWN;
		if (opts->isolated)
			port.flags |= XBR_PORT_F_ISOLATED;
		port.flags |= opts->flood_off & XBR_PORT_F_FLOOD_OFF;
		if (opts->protect)
			port.flags |= XBR_PORT_F_PROTECT;
		port.flags |= dp_stp_flags(opts->stp_state);
		want = opts->mode;
	}
	if (port.pvid > XBR_VID_MAX)
		return dp_fail(-EINVAL, "VLAN %u is out of range 1-%d",
			       port.pvid, XBR_VID_MAX);
	if (ifindex >= XBR_MAX_IFINDEX)
		return dp_fail(
			-ERANGE,
			"%s has interface index %d; xbr takes ports below %d",
			link.name, ifindex, XBR_MAX_IFINDEX);
	if (dp_port_slot(br, key) >= 0)
		return dp_fail(-EEXIST, "%s is already a port of bridge %s",
			       link.name, br->name);
	/* A link pinned for a port that is no longer one is a leftover. */
	detach(br, key);
	err = check_foreign(link.name, ifindex);
	if (err)
		return err;
	slot = lowest_free_slot(br);
	if (slot < 0)
		return dp_fail(slot, "bridge %s has no free port (%d at most)",
			       br->name, XBR_MAX_PORTS);

	err = prepare_peer(&link);
	if (err)
		return err;

	port.slot = (__u32)slot;
	dp_vlan_add(&vset, port.pvid);
	err = vlans_write(br, port.slot, &vset);
	if (!err)
		err = slot_reset(br, port.slot);
	if (err)
		return dp_fail(err, "cannot reset the counters of slot %d: %s",
			       slot, strerror(-err));
	err = port_write(br, key, &port);
	if (!err)
		err = slot_set(br, port.slot, key);
	if (err) {
		dp_fail(err, "cannot add %s to the port table: %s", link.name,
			strerror(-err));
		goto err_ports;
	}
	if (bpf_map_update_elem(tx_fd, &key, &dv, BPF_ANY) ||
	    bpf_map_update_elem(flood_fd, &key, &dv, BPF_ANY) ||
	    dp_direct_entry(br, key)) {
		err = dp_fail(-errno, "cannot add %s to the egress maps: %s",
			      link.name, strerror(errno));
		goto err_tx;
	}
	err = attach(br, &link, want);
	if (err)
		goto err_tx;

	got = attached_mode(ifindex, &id);
	if (mode)
		*mode = got;
	/* known unicast from it may leave without the egress program once
	 * its frames are known to wait for the poll's end */
	err = dp_direct_port(br, key, got == DP_XDP_NATIVE);
	if (err) {
		detach(br, key);
		dp_fail(err, "cannot add %s to the direct egress map: %s",
			link.name, strerror(-err));
		goto err_tx;
	}
	log_info("bridge %s: port %s added (slot %d, %s XDP)", br->name,
		 link.name, slot, got == DP_XDP_NATIVE ? "native" : "generic");
	return 0;

err_tx:
	bpf_map_delete_elem(tx_fd, &key);
	bpf_map_delete_elem(flood_fd, &key);
	bpf_map_delete_elem(bpf_map__fd(br->skel->maps.tx_direct), &key);
err_ports:
	port_write(br, key, &none);
	slot_set(br, port.slot, 0);
	return err;
}

int dp_port_link_up(struct dp_bridge *br, int ifindex)
{
	struct netlink_link link;
	int err;

	if (dp_port_slot(br, (__u32)ifindex) < 0)
		return dp_fail(-ENOENT,
			       "interface %d is not a port of bridge %s",
			       ifindex, br->name);
	err = netlink_link_get(ifindex, &link);
	if (err)
		return dp_fail(err, "no interface with index %d", ifindex);
	return prepare_peer(&link);
}

int dp_port_remove(struct dp_bridge *br, int ifindex)
{
	static const struct xbr_port none;
	struct dp_fdb_filter all_of_port = {
		.ifindex = ifindex,
		.include_static = true,
	};
	__u32 key = (__u32)ifindex;
	char name[IF_NAMESIZE];
	int slot, err;

	slot = dp_port_slot(br, key);
	if (slot < 0)
		return dp_fail(-ENOENT,
			       "interface %d is not a port of bridge %s",
			       ifindex, br->name);
	detach(br, key);
	bpf_map_delete_elem(bpf_map__fd(br->skel->maps.tx_ports), &key);
	bpf_map_delete_elem(bpf_map__fd(br->skel->maps.flood_ports), &key);
	bpf_map_delete_elem(bpf_map__fd(br->skel->maps.tx_direct), &key);
	bpf_map_delete_elem(bpf_map__fd(br->skel->maps.mirror_ports), &key);
	err = dp_fdb_flush(br, &all_of_port);
	if (err < 0)
		return err;
	err = port_write(br, key, &none);
	if (!err)
		err = slot_set(br, (__u32)slot, 0);
	if (err)
		return dp_fail(err, "cannot remove port %d: %s", ifindex,
			       strerror(-err));
	__atomic_store_n(&br->state[slot].learned, 0, __ATOMIC_RELAXED);
	/* a mirroring port gone may let unicast go direct again */
	if (dp_direct_update(br))
		log_warn("bridge %s: %s", br->name, dp_error());
	if (!if_indextoname(key, name))
		snprintf(name, sizeof(name), "(gone)");
	log_info("bridge %s: port %s removed (ifindex %d)", br->name, name,
		 ifindex);
	return 0;
}

static int port_info(struct dp_bridge *br, __u32 ifindex,
		     const struct xbr_port *p, struct dp_port_info *info)
{
	struct bpf_link_info li = {};
	char path[PATH_MAX];
	__u32 len = sizeof(li), id;
	int fd;

	memset(info, 0, sizeof(*info));
	info->ifindex = ifindex;
	info->port = *p;
	dp_link_path(br, ifindex, path, sizeof(path));
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		if (!bpf_obj_get_info_by_fd(fd, &li, &len) && li.xdp.ifindex)
			info->attached = true;
		close(fd);
	}
	if (info->attached) {
		if (!if_indextoname(ifindex, info->name))
			info->name[0] = '\0';
		info->mode = attached_mode((int)ifindex, &id);
	}
	return 0;
}

int dp_port_get(struct dp_bridge *br, int ifindex, struct dp_port_info *info)
{
	struct xbr_port p;
	__u32 key = (__u32)ifindex;

	int err = dp_port_need(br, key, &p);

	if (err)
		return err;
	return port_info(br, key, &p, info);
}

int dp_port_list(struct dp_bridge *br, struct dp_port_info *out, int max)
{
	__u32 ifindexes[XBR_MAX_PORTS];
	struct xbr_port p;
	int n = 0, slot;

	if (dp_port_slots(br, ifindexes))
		return 0;
	for (slot = 0; slot < XBR_MAX_PORTS; slot++) {
		if (!ifindexes[slot] || dp_port_read(br, ifindexes[slot], &p))
			continue;
		if (n < max)
			port_info(br, ifindexes[slot], &p, &out[n]);
		n++;
	}
	return n;
}

/* Write a port's changed value back; 0 or -errno, said. */
static int port_update(struct dp_bridge *br, int ifindex,
		       const struct xbr_port *p)
{
	int err = port_write(br, (__u32)ifindex, p);

	if (err)
		return dp_fail(err, "cannot update port %d: %s", ifindex,
			       strerror(-err));
	return 0;
}

int dp_port_set_learn_limit(struct dp_bridge *br, int ifindex, __u32 limit)
{
	struct xbr_port p;
	int err = dp_port_need(br, (__u32)ifindex, &p);

	if (err)
		return err;
	p.learn_limit = limit;
	return port_update(br, ifindex, &p);
}

/* A flag of the port's value on or off. */
static int port_flag(struct dp_bridge *br, int ifindex, __u32 flag, bool on)
{
	struct xbr_port p;
	int err = dp_port_need(br, (__u32)ifindex, &p);

	if (err)
		return err;
	if (on)
		p.flags |= flag;
	else
		p.flags &= ~flag;
	return port_update(br, ifindex, &p);
}

int dp_port_set_down(struct dp_bridge *br, int ifindex, bool down)
{
	return port_flag(br, ifindex, XBR_PORT_F_DOWN, down);
}

int dp_port_set_isolated(struct dp_bridge *br, int ifindex, bool isolated)
{
	return port_flag(br, ifindex, XBR_PORT_F_ISOLATED, isolated);
}

int dp_port_set_protect(struct dp_bridge *br, int ifindex, bool protect)
{
	return port_flag(br, ifindex, XBR_PORT_F_PROTECT, protect);
}

int dp_port_set_flood(struct dp_bridge *br, int ifindex, __u32 off)
{
	struct xbr_port p;
	int err;

	if (off & ~XBR_PORT_F_FLOOD_OFF)
		return dp_fail(-EINVAL, "flood flags 0x%x: not XBR_PORT_F_NO_*",
			       off);
	err = dp_port_need(br, (__u32)ifindex, &p);
	if (err)
		return err;
	p.flags = (p.flags & ~XBR_PORT_F_FLOOD_OFF) | off;
	return port_update(br, ifindex, &p);
}

__u32 dp_stp_flags(enum dp_stp_state state)
{
	switch (state) {
	case DP_STP_LEARNING:
		return XBR_PORT_F_STP_NOFWD;
	case DP_STP_DISCARDING:
		return XBR_PORT_F_STP_MASK;
	default:
		return 0;
	}
}

enum dp_stp_state dp_stp_state_of(__u32 flags)
{
	if (flags & XBR_PORT_F_STP_NOLEARN)
		return DP_STP_DISCARDING;
	if (flags & XBR_PORT_F_STP_NOFWD)
		return DP_STP_LEARNING;
	return DP_STP_FORWARDING;
}

int dp_port_set_stp_state(struct dp_bridge *br, int ifindex,
			  enum dp_stp_state state)
{
	struct xbr_port p;
	int err;

	if (state < DP_STP_FORWARDING || state > DP_STP_DISCARDING)
		return dp_fail(-EINVAL, "spanning-tree state %d: no such state",
			       (int)state);
	err = dp_port_need(br, (__u32)ifindex, &p);
	if (err)
		return err;
	p.flags = (p.flags & ~XBR_PORT_F_STP_MASK) | dp_stp_flags(state);
	return port_update(br, ifindex, &p);
}
