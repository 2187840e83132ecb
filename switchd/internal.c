// SPDX-License-Identifier: GPL-2.0-only
/*
 * Internal ports: the host's own ports on the switched network, a veth
 * pair each (NAME for the host's addresses, NAME-br a port of the bridge).
 * Their commands, their line of the running config, the pair, and the
 * host port's own MAC in the datapath.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/netlink.h"
#include "switchd/switchd.h"

/* ---- the veth pair ---- */

/* The host stack answers ARP on an internal port only for its own
 * addresses, so that VLANs stay apart at the host too. */
static void internal_sysctls(const char *name)
{
	static const char *const set[][2] = { { "arp_ignore", "1" },
					      { "arp_announce", "2" } };
	char path[128];
	unsigned int i;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(set); i++) {
		snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/%s",
			 name, set[i][0]);
		f = fopen(path, "we");
		if (!f || fputs(set[i][1], f) < 0)
			log_warn("%s: cannot set %s", name, set[i][0]);
		if (f)
			fclose(f);
	}
}

/* The host side's address: locally administered, from the bridge's and the
 * port's names (FNV-1a), so that it is the same every time the pair is
 * made and hosts' ARP caches stay right. */
void sw_internal_mac(const struct cfg_port *p, uint8_t mac[6])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[] = { p->bridge, "/", p->internal };
	unsigned int i;
	const char *c;

	for (i = 0; i < 3; i++)
		for (c = parts[i]; *c; c++)
			h = (h ^ (uint8_t)*c) * 0x100000001b3ULL;
	mac[0] = 0x02;
	for (i = 1; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
}

int sw_internal_create(const struct cfg_port *p, char *err, size_t errlen)
{
	uint8_t mac[6];
	int ret;

	if (if_nametoindex(p->ifname))
		return 0;
	sw_internal_mac(p, mac);
	ret = netlink_veth_create(p->internal, p->ifname, mac);
	if (ret) {
		snprintf(err, errlen, "cannot create the veth pair %s/%s: %s",
			 p->internal, p->ifname, strerror(-ret));
		return ret;
	}
	internal_sysctls(p->internal);
	log_info("internal port %s created (bridge side %s)", p->internal,
		 p->ifname);
	return 0;
}

void sw_internal_delete(const struct cfg_port *p)
{
	if (p->internal[0] && if_nametoindex(p->ifname) &&
	    netlink_link_delete(p->ifname))
		log_warn("cannot delete internal port %s", p->internal);
}

bool sw_internal_own(const struct cfg_port *p)
{
	struct netlink_link host;
	uint8_t mac[6];
	int side = (int)if_nametoindex(p->ifname);

	sw_internal_mac(p, mac);
	return side && !netlink_link_by_name(p->internal, &host) &&
	       host.peer_ifindex == side && !memcmp(host.mac, mac, 6);
}

bool sw_internal_host_side(const char *ifname)
{
	struct cfg_port *ps = NULL;
	bool found = false;
	int n, i;

	n = store_ports(sw->store, NULL, &ps);
	for (i = 0; i < n; i++)
		if (!strcmp(ps[i].internal, ifname))
			found = true;
	free(ps);
	return found;
}

int sw_internal_names(struct sw_internal_name **out)
{
	struct cfg_port *ps = NULL;
	int n, i, k = 0;

	*out = NULL;
	n = store_ports(sw->store, NULL, &ps);
	if (n < 0)
		return n;
	*out = calloc((size_t)(n ? n : 1), sizeof(**out));
	for (i = 0; *out && i < n; i++) {
		if (!ps[i].internal[0])
			continue;
		(*out)[k].ifindex = (int)if_nametoindex(ps[i].ifname);
		snprintf((*out)[k].name, sizeof((*out)[k].name), "%s",
			 ps[i].internal);
		k++;
	}
	free(ps);
	return *out ? k : -ENOMEM;
}

int sw_port_index(const char *ifname)
{
	struct sw_internal_name *in;
	int n = sw_internal_names(&in), i, ifindex = 0;

	for (i = 0; i < n; i++)
		if (!strcmp(in[i].name, ifname))
			ifindex = in[i].ifindex;
	free(in);
	return ifindex ? ifindex : (int)if_nametoindex(ifname);
}

/* ---- the host port in the datapath ---- */

struct local_old {
	struct dp_bridge *dp;
	int ifindex;
};

static int drop_local(const struct dp_fdb_entry *e, void *ctx)
{
	struct local_old *l = ctx;

	if ((e->flags & XBR_FDB_F_LOCAL) && (int)e->ifindex == l->ifindex)
		dp_fdb_del(l->dp, e->mac, e->vid);
	return 0;
}

/* An internal port's own MAC is a local entry in its VLAN (alone: a VLAN
 * change leaves none behind), so its frames can take the slow path. Other
 * entries on the port stay (fault 4: static ones among them). */
int sw_internal_local(struct sw_bridge *br, int ifindex,
		      const struct cfg_port *p, char *err, size_t errlen)
{
	struct local_old old = { br->dp, ifindex };
	uint8_t mac[6];

	if (!p->internal[0])
		return 0;
	sw_internal_mac(p, mac);
	dp_fdb_dump(br->dp, drop_local, &old);
	if (dp_fdb_add_local(br->dp, mac, p->access_vlan, ifindex) ||
	    dp_host_port_set(br->dp, mac, ifindex)) {
		snprintf(err, errlen, "%s", dp_error());
		return -EIO;
	}
	return 0;
}

/* ---- [no] internal-port NAME [vlan VID] ---- */

static int do_internal_port(struct cmd_call *c)
{
	const char *name = cmd_arg(c, "IFNAME");
	char side[IF_NAMESIZE];
	struct cfg_port p;

	if (strlen(name) > CFG_INTERNAL_NAME_MAX && !c->no)
		return sw_say(
			c, -EINVAL,
			"an internal port's name has %d characters at most",
			CFG_INTERNAL_NAME_MAX);
	snprintf(side, sizeof(side), "%.*s" CFG_INTERNAL_SUFFIX,
		 CFG_INTERNAL_NAME_MAX, name);
	if (c->no) {
		if (store_port_get(sw->store, side, &p) ||
		    strcmp(p.internal, name) || strcmp(p.bridge, c->s->bridge))
			return sw_say(c, -ENOENT,
				      "no internal port %s in bridge %s", name,
				      c->s->bridge);
		return sw_port_remove(c, c->s->bridge, side);
	}
	sw_port_current(c->s->bridge, side, &p);
	snprintf(p.internal, sizeof(p.internal), "%s", name);
	/* fault 6: the pair this daemon made (a saved configuration loaded
	 * again) is no other interface */
	if (!sw_internal_own(&p) &&
	    (if_nametoindex(name) || if_nametoindex(side)))
		return sw_say(c, -EEXIST,
			      "an interface named %s or %s exists already",
			      name, side);
	p.trunk = false;
	p.access_vlan = (uint16_t)cmd_num(c, "VID", 1);
	return sw_port_apply(c, &p);
}

void sw_internal_config(struct out *o, const struct cfg_port *p)
{
	out_printf(o, " internal-port %s", p->internal);
	if (p->access_vlan != 1)
		out_printf(o, " vlan %u", p->access_vlan);
	out_printf(o, "\n");
}

static const struct cmd_def internal_cmds[] = {
	{ MODE_BIT(MODE_BRIDGE), "[no] internal-port IFNAME {[vlan VID]}",
	  "Remove configuration\n"
	  "A port for the host: a veth pair, IFNAME for addresses, IFNAME-br "
	  "in the bridge|An internal port, and its veth pair\n"
	  "Name of the host side (12 characters at most)|Name of the host side\n"
	  "In VLAN (default 1)\nVLAN id",
	  do_internal_port },
};

SW_FEATURE(internal);
