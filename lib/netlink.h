/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one netlink module (rtnetlink through libmnl), and the link
 * preparation that follows from what it reports.
 */
#ifndef XBR_NETLINK_H
#define XBR_NETLINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#define NETLINK_NSID_LOCAL (-1)

struct netlink_link {
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16]; /* IFLA_INFO_KIND: "veth", ... ; "" if none */
	uint8_t mac[6];
	unsigned int mtu;
	unsigned short type; /* ifi_type: ARPHRD_ETHER, ARPHRD_LOOPBACK, ... */
	bool up;	  /* IFF_UP */
	bool carrier;	  /* IFF_LOWER_UP */
	int peer_ifindex; /* IFLA_LINK (a veth's peer), 0 if none */
	int peer_nsid;	  /* IFLA_LINK_NETNSID or NETLINK_NSID_LOCAL */
};

/* 0 or -errno (-ENODEV when there is no such link). */
int netlink_link_get(int ifindex, struct netlink_link *out);
int netlink_link_by_name(const char *name, struct netlink_link *out);

/*
 * Make a veth port a working XDP redirect target: a frame redirected into
 * veth A is received by its peer B, which drops it unless B has NAPI (an
 * XDP program or GRO). B also gets TX checksum offload off, or frames it
 * sends leave the bridge with partial checksums after the XDP hop. B may be
 * in another network namespace; it is entered for the change and left.
 * A peer that was down when GRO was turned on leaves A no redirect target
 * even once up (the kernel's veth_set_features); when B is up, GRO is then
 * turned off and on again. Call it again when B comes up.
 * 0 or -errno; *what names the step that failed.
 */
int netlink_veth_prepare_peer(const struct netlink_link *veth,
			      const char **what);

/* The MTU of a veth's peer, wherever it is. 0 or -errno (-ENOENT: not a
 * veth). */
int netlink_veth_peer_mtu(const struct netlink_link *veth, unsigned int *mtu);

/* A veth pair, both ends up, in this namespace; name gets the address mac
 * unless it is NULL. 0 or -errno (-EEXIST). */
int netlink_veth_create(const char *name, const char *peer, const uint8_t *mac);
/* Delete a link (a veth's peer goes with it). 0 or -errno. */
int netlink_link_delete(const char *name);

/* Link events: a socket subscribed to RTMGRP_LINK, and a reader that
 * calls fn for each RTM_NEWLINK / RTM_DELLINK it holds. */
typedef void (*netlink_link_fn)(const struct netlink_link *l, bool gone,
				void *ctx);
int netlink_monitor_open(void);
int netlink_monitor_read(int fd, netlink_link_fn fn, void *ctx);

#endif /* XBR_NETLINK_H */
