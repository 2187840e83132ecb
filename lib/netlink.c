// SPDX-License-Identifier: GPL-2.0-only
/* rtnetlink queries through libmnl, and veth peer preparation. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/ethtool.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/veth.h>

#include "lib/log.h"
#include "lib/netlink.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

/* Send one request on a socket of protocol proto and run cb over the
 * reply. 0 or -errno. */
static int request_on(int proto, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	unsigned int portid, seq;
	ssize_t n;
	int ret;

	nl = mnl_socket_open(proto);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out_close;
	}
	portid = mnl_socket_get_portid(nl);
	/* The ACK ends the exchange (MNL_CB_STOP) for non-dump requests. */
	nlh->nlmsg_flags |= NLM_F_ACK;
	seq = nlh->nlmsg_seq = (unsigned int)time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out_close;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			ret = -errno;
			break;
		}
		ret = mnl_cb_run(buf, n, seq, portid, cb, data);
		if (ret <= MNL_CB_STOP) {
			ret = ret < 0 ? -errno : 0;
			break;
		}
	}
out_close:
	mnl_socket_close(nl);
	return ret;
}

static int netlink_request(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	return request_on(NETLINK_ROUTE, nlh, cb, data);
}

static int link_info_attr(const struct nlattr *attr, void *data)
{
	struct netlink_link *l = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND)
		snprintf(l->kind, sizeof(l->kind), "%s",
			 mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

static int link_attr(const struct nlattr *attr, void *data)
{
	struct netlink_link *l = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		snprintf(l->name, sizeof(l->name), "%s",
			 mnl_attr_get_str(attr));
		break;
	case IFLA_MTU:
		l->mtu = mnl_attr_get_u32(attr);
		break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(attr) == 6)
			memcpy(l->mac, mnl_attr_get_payload(attr), 6);
		break;
	case IFLA_LINK:
		l->peer_ifindex = (int)mnl_attr_get_u32(attr);
		break;
	case IFLA_LINK_NETNSID:
		l->peer_nsid = (int)mnl_attr_get_u32(attr);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(attr, link_info_attr, l);
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct netlink_link *l = data;

	memset(l, 0, sizeof(*l));
	l->ifindex = ifm->ifi_index;
	l->type = ifm->ifi_type;
	l->up = ifm->ifi_flags & IFF_UP;
	l->carrier = ifm->ifi_flags & IFF_LOWER_UP;
	l->peer_nsid = NETLINK_NSID_LOCAL;
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr, l);
	/* A device names itself as its link; a veth's peer in another
	 * namespace may well have the same ifindex as the veth. */
	if (l->peer_ifindex == l->ifindex && l->peer_nsid == NETLINK_NSID_LOCAL)
		l->peer_ifindex = 0;
	return MNL_CB_OK;
}

static int link_query(int ifindex, const char *name, struct netlink_link *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	int ret;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	out->ifindex = 0;
	ret = netlink_request(nlh, link_cb, out);
	if (ret == -ENODEV || (!ret && !out->ifindex))
		return -ENODEV;
	return ret;
}

int netlink_link_get(int ifindex, struct netlink_link *out)
{
	if (ifindex <= 0)
		return -ENODEV;
	return link_query(ifindex, NULL, out);
}

int netlink_link_by_name(const char *name, struct netlink_link *out)
{
	if (!name || !*name || strlen(name) >= IF_NAMESIZE)
		return -ENODEV;
	return link_query(0, name, out);
}

/* ---- making and removing links ---- */

static int ack_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

/* RTM_NEWLINK or RTM_DELLINK of a link by name, with flags to change. */
static int link_by_name(uint16_t type, const char *name, unsigned int flags,
			unsigned int change)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_flags = flags;
	ifm->ifi_change = change;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return netlink_request(nlh, ack_cb, NULL);
}

static int link_up(const char *name)
{
	return link_by_name(RTM_NEWLINK, name, IFF_UP, IFF_UP);
}

int netlink_veth_create(const char *name, const char *peer, const uint8_t *mac)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *info, *data, *peer_attr;
	struct ifinfomsg *ifm, *pifm;
	int err;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_attr = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_nest_end(nlh, peer_attr);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	err = netlink_request(nlh, ack_cb, NULL);
	if (!err)
		err = link_up(name);
	if (!err)
		err = link_up(peer);
	return err;
}

int netlink_link_delete(const char *name)
{
	return link_by_name(RTM_DELLINK, name, 0, 0);
}

/* ---- link events ---- */

int netlink_monitor_open(void)
{
	struct mnl_socket *nl =
		mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int fd;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return -errno;
	}
	/* The fd outlives the small wrapper, which only held it. */
	fd = dup(mnl_socket_get_fd(nl));
	mnl_socket_close(nl);
	return fd < 0 ? -errno : fd;
}

struct monitor_ctx {
	netlink_link_fn fn;
	void *ctx;
};

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor_ctx *m = data;
	struct netlink_link l;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return MNL_CB_OK;
	link_cb(nlh, &l);
	m->fn(&l, nlh->nlmsg_type == RTM_DELLINK, m->ctx);
	return MNL_CB_OK;
}

int netlink_monitor_read(int fd, netlink_link_fn fn, void *ctx)
{
	struct monitor_ctx m = { .fn = fn, .ctx = ctx };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		mnl_cb_run(buf, (size_t)n, 0, 0, monitor_cb, &m);
	}
}

/* ---- finding a network namespace by its id ---- */

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *tb[NETNSA_MAX + 1] = {};
	struct nlattr *attr;
	int *nsid = data;

	mnl_attr_for_each (attr, nlh, sizeof(struct rtgenmsg)) {
		int type = mnl_attr_get_type(attr);

		if (type <= NETNSA_MAX)
			tb[type] = attr;
	}
	if (tb[NETNSA_NSID])
		*nsid = (int)mnl_attr_get_u32(tb[NETNSA_NSID]);
	return MNL_CB_OK;
}

/* The id under which this namespace knows the namespace of fd. */
static int nsid_of_fd(int fd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	int nsid = NETLINK_NSID_LOCAL;

	nlh->nlmsg_type = RTM_GETNSID;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	if (netlink_request(nlh, nsid_cb, &nsid) < 0)
		return NETLINK_NSID_LOCAL;
	return nsid;
}

static int try_ns_path(const char *path, int nsid)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (nsid_of_fd(fd) == nsid)
		return fd;
	close(fd);
	return -1;
}

/* An fd of the namespace this one calls nsid: named ones first, then
 * those of running processes. -1 if none is found. */
static int netns_fd_by_nsid(int nsid)
{
	static const char *const dirs[] = { "/run/netns", "/var/run/netns" };
	char path[512];
	struct dirent *de;
	unsigned int i;
	DIR *d;
	int fd;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		d = opendir(dirs[i]);
		if (!d)
			continue;
		fd = -1;
		while (fd < 0 && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i],
				 de->d_name);
			fd = try_ns_path(path, nsid);
		}
		closedir(d);
		if (fd >= 0)
			return fd;
	}
	d = opendir("/proc");
	if (!d)
		return -1;
	fd = -1;
	while (fd < 0 && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		fd = try_ns_path(path, nsid);
	}
	closedir(d);
	return fd;
}

/* ---- generic netlink: a device's XDP features (the "netdev" family) ---- */

/* From the kernel's uapi linux/netdev.h, which older headers lack. */
#define NETDEV_FAMILY		   "netdev"
#define NETDEV_CMD_DEV_GET_	   1
#define NETDEV_A_DEV_IFINDEX_	   1
#define NETDEV_A_DEV_XDP_FEATURES_ 3
#define NETDEV_XDP_ACT_NDO_XMIT_   (1ULL << 2)

/* One attribute of a generic netlink reply: a u16 or a u64. */
struct genl_want {
	uint16_t type;
	enum mnl_attr_data_type kind;
	bool found;
	uint64_t val;
};

static int want_attr(const struct nlattr *attr, void *data)
{
	struct genl_want *w = data;

	if (mnl_attr_get_type(attr) != w->type ||
	    mnl_attr_validate(attr, w->kind) < 0)
		return MNL_CB_OK;
	w->val = w->kind == MNL_TYPE_U16 ? mnl_attr_get_u16(attr)
					 : mnl_attr_get_u64(attr);
	w->found = true;
	return MNL_CB_OK;
}

static int want_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), want_attr, data);
	return MNL_CB_OK;
}

static struct nlmsghdr *genl_put(char *buf, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

/* The XDP features of a link of this namespace. 0 or -errno (-ENOENT:
 * the kernel does not report them). */
static int xdp_features(int ifindex, uint64_t *features)
{
	struct genl_want family = { CTRL_ATTR_FAMILY_ID, MNL_TYPE_U16 };
	struct genl_want feat = { NETDEV_A_DEV_XDP_FEATURES_, MNL_TYPE_U64 };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = genl_put(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NETDEV_FAMILY);
	ret = request_on(NETLINK_GENERIC, nlh, want_cb, &family);
	if (ret)
		return ret;
	if (!family.found)
		return -ENOENT;
	nlh = genl_put(buf, (uint16_t)family.val, NETDEV_CMD_DEV_GET_);
	mnl_attr_put_u32(nlh, NETDEV_A_DEV_IFINDEX_, (uint32_t)ifindex);
	ret = request_on(NETLINK_GENERIC, nlh, want_cb, &feat);
	if (!ret && !feat.found)
		ret = -ENOENT;
	*features = feat.val;
	return ret;
}

/* ---- ethtool ---- */

static int ethtool_set(int sock, const char *ifname, __u32 cmd, __u32 value)
{
	struct ethtool_value ev = { .cmd = cmd, .data = value };
	struct ifreq ifr = {};

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	return ioctl(sock, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
}

struct ethtool_step {
	__u32 cmd, value;
	const char *what; /* for the error */
};

/* The steps, in order, on the link ifindex of this namespace. */
static int ethtool_steps(int ifindex, const struct ethtool_step *steps,
			 size_t n, const char **what)
{
	char name[IF_NAMESIZE];
	int sock, ret = 0;
	size_t i;

	*what = "find the veth peer";
	if (!if_indextoname((unsigned int)ifindex, name))
		return -errno;
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -errno;
	for (i = 0; i < n && !ret; i++) {
		*what = steps[i].what;
		ret = ethtool_set(sock, name, steps[i].cmd, steps[i].value);
	}
	close(sock);
	return ret;
}

static int peer_prepare_here(int peer_ifindex, void *arg, const char **what)
{
	static const struct ethtool_step steps[] = {
		{ ETHTOOL_SGRO, 1, "turn GRO on at the veth peer" },
		{ ETHTOOL_STXCSUM, 0,
		  "turn TX checksum offload off at the veth peer" },
	};

	(void)arg;
	return ethtool_steps(peer_ifindex, steps, 2, what);
}

/* Run fn on the veth's peer, in the peer's network namespace. */
static int peer_run(const struct netlink_link *veth,
		    int (*fn)(int peer_ifindex, void *arg, const char **what),
		    void *arg, const char **what)
{
	int self = -1, peer_ns = -1, ret, back;

	if (veth->peer_nsid == NETLINK_NSID_LOCAL)
		return fn(veth->peer_ifindex, arg, what);

	*what = "find the network namespace of the veth peer";
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	peer_ns = netns_fd_by_nsid(veth->peer_nsid);
	if (peer_ns < 0) {
		ret = -ENOENT;
		goto out;
	}
	*what = "enter the network namespace of the veth peer";
	if (setns(peer_ns, CLONE_NEWNET) < 0) {
		ret = -errno;
		goto out;
	}
	ret = fn(veth->peer_ifindex, arg, what);
	back = setns(self, CLONE_NEWNET);
	if (back < 0 && !ret) {
		*what = "return to the own network namespace";
		ret = -errno;
	}
out:
	if (peer_ns >= 0)
		close(peer_ns);
	close(self);
	return ret;
}

/*
 * GRO turned on at a peer that is down, while the veth itself is up, makes
 * the peer receive once up, but the kernel (6.18, veth_set_features) leaves
 * the veth without NETDEV_XDP_ACT_NDO_XMIT: the devmaps then skip it
 * silently, for unicast and flood alike, until GRO changes again while the
 * peer is up. So, when the peer is up: GRO off and on again. *arg says
 * whether it was.
 */
static int peer_gro_kick_here(int peer_ifindex, void *arg, const char **what)
{
	static const struct ethtool_step steps[] = {
		{ ETHTOOL_SGRO, 0, "turn GRO off at the veth peer" },
		{ ETHTOOL_SGRO, 1, "turn GRO on again at the veth peer" },
	};
	struct netlink_link peer;
	int ret;

	*what = "read the veth peer";
	ret = netlink_link_get(peer_ifindex, &peer);
	if (ret)
		return ret;
	*(bool *)arg = peer.up;
	return peer.up ? ethtool_steps(peer_ifindex, steps, 2, what) : 0;
}

int netlink_veth_prepare_peer(const struct netlink_link *veth,
			      const char **what)
{
	uint64_t features;
	bool peer_up = false;
	int ret;

	*what = "";
	log_debug("%s: kind '%s' peer %d nsid %d", veth->name, veth->kind,
		  veth->peer_ifindex, veth->peer_nsid);
	if (strcmp(veth->kind, "veth") || !veth->peer_ifindex)
		return 0;
	ret = peer_run(veth, peer_prepare_here, NULL, what);
	if (ret)
		return ret;
	if (xdp_features(veth->ifindex, &features) ||
	    (features & NETDEV_XDP_ACT_NDO_XMIT_))
		return 0; /* ready, or the kernel does not say */
	ret = peer_run(veth, peer_gro_kick_here, &peer_up, what);
	if (!ret && peer_up)
		log_info(
			"%s: GRO set again at its veth peer, now up, so that frames can be redirected to %s",
			veth->name, veth->name);
	return ret;
}

static int peer_mtu_here(int peer_ifindex, void *arg, const char **what)
{
	struct netlink_link peer;
	int ret;

	*what = "read the veth peer";
	ret = netlink_link_get(peer_ifindex, &peer);
	if (!ret)
		*(unsigned int *)arg = peer.mtu;
	return ret;
}

int netlink_veth_peer_mtu(const struct netlink_link *veth, unsigned int *mtu)
{
	const char *what;

	if (strcmp(veth->kind, "veth") || !veth->peer_ifindex)
		return -ENOENT;
	return peer_run(veth, peer_mtu_here, mtu, &what);
}
