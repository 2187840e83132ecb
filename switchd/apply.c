// SPDX-License-Identifier: GPL-2.0-only
/* The datapath side of the configuration: open bridges, attach ports,
 * reconcile to the store, age, react to links. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>

#include "lib/log.h"
#include "lib/netlink.h"
#include "switchd/switchd.h"

static int slowpath_on(struct sw_bridge *b, const struct sw_slowpath *sp)
{
	if (sp->host_cpu < 0)
		return dp_slowpath_clear(b->dp);
	return dp_slowpath_set(b->dp, sp->host_cpu, sp->ctl_cpu, sp->queue);
}

struct sw_bridge *sw_bridge_find(const char *name)
{
	struct sw_bridge *b;

	for (b = sw->bridges; b; b = b->next)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

int sw_bridge_open(const struct cfg_bridge *cfg, struct sw_bridge **out,
		   char *err, size_t errlen)
{
	struct dp_bridge_opts o = {
		.sz = sizeof(o),
		.pin_root = sw->pin_root,
		.fdb_capacity = cfg->fdb_capacity,
		.create = true,
	};
	struct sw_bridge *b = sw_bridge_find(cfg->name);
	int ret;

	/* The FDB's size is fixed when its map is made: another capacity
	 * means another datapath. Learned entries go; the caller's
	 * reconciliation attaches the ports again. */
	if (b && dp_fdb_capacity(b->dp) != cfg->fdb_capacity) {
		log_warn(
			"bridge %s: rebuilding the datapath for an FDB of %u entries",
			cfg->name, cfg->fdb_capacity);
		sw_bridge_destroy(cfg->name);
		sw->rebuilds++;
		b = NULL;
	}
	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b)
			return -ENOMEM;
		b->dp = dp_bridge_open(cfg->name, &o);
		if (!b->dp) {
			ret = -errno;
			snprintf(err, errlen, "%s", dp_error());
			free(b);
			return ret;
		}
		snprintf(b->name, sizeof(b->name), "%s", cfg->name);
		b->next = sw->bridges;
		sw->bridges = b;
		{
			struct sw_slowpath sp;

			sw_slowpath_get(&sp);
			if (slowpath_on(b, &sp))
				log_warn("bridge %s: slow path: %s", cfg->name,
					 dp_error());
		}
		if (dp_fdb_capacity(b->dp) != cfg->fdb_capacity) {
			/* pinned before with another capacity */
			return sw_bridge_open(cfg, out, err, errlen);
		}
	}
	ret = dp_bridge_set_learn_limit(b->dp, cfg->learn_limit);
	if (ret) {
		snprintf(err, errlen, "%s", dp_error());
		return ret;
	}
	if (out)
		*out = b;
	return 0;
}

void sw_bridge_destroy(const char *name)
{
	struct sw_bridge **pp, *b;

	for (pp = &sw->bridges; (b = *pp); pp = &b->next) {
		if (strcmp(b->name, name))
			continue;
		*pp = b->next;
		if (dp_bridge_destroy(b->dp))
			log_warn("bridge %s: %s", name, dp_error());
		free(b);
		return;
	}
}

/* The datapath's form of a port's VLAN settings. */
int sw_port_vlan(const struct cfg_port *p, struct dp_port_vlan *v)
{
	memset(v, 0, sizeof(*v));
	v->trunk = p->trunk;
	v->tpid = p->tpid;
	v->pvid = p->trunk ? p->native_vlan : p->access_vlan;
	if (p->trunk && p->allowed[0])
		return dp_vlan_list_parse(p->allowed, &v->allowed);
	return 0;
}

/* Set the port's VLANs in the datapath, if they differ (a change flushes
 * the port's learned entries; a restart must not). */
static int port_vlans_apply(struct sw_bridge *br, int ifindex,
			    const struct cfg_port *p, char *err, size_t errlen)
{
	struct dp_port_vlan want, have;
	int ret;

	ret = sw_port_vlan(p, &want);
	if (!ret && dp_port_get_vlan(br->dp, ifindex, &have))
		memset(&have, 0xff, sizeof(have));
	if (!ret) {
		/* as the datapath keeps them: the native VLAN is a member,
		 * VLAN 0 never is */
		dp_vlan_add(&want.allowed, want.pvid);
		want.allowed.bits[0] &= ~1ULL;
		if (have.trunk == want.trunk && have.tpid == want.tpid &&
		    have.pvid == want.pvid &&
		    !memcmp(&have.allowed, &want.allowed, sizeof(want.allowed)))
			return 0;
		ret = dp_port_set_vlan(br->dp, ifindex, &want);
	}
	if (ret)
		snprintf(err, errlen, "%s", dp_error());
	return ret;
}

/* The host stack answers ARP on an internal port only for its own
 * addresses, so that VLANs stay apart at the host too. */
static void internal_sysctls(const char *name)
{
	static const char *const set[][2] = { { "arp_ignore", "1" },
					      { "arp_announce", "2" } };
	char path[128];
	unsigned int i;
	FILE *f;

	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
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

bool sw_internal_own(const struct cfg_port *p)
{
	struct netlink_link host;
	uint8_t mac[6];
	int side = (int)if_nametoindex(p->ifname);

	sw_internal_mac(p, mac);
	return side && !netlink_link_by_name(p->internal, &host) &&
	       host.peer_ifindex == side && !memcmp(host.mac, mac, 6);
}

/* The interface holds the default route of the host (IPv4 or IPv6). */
static bool has_default_route(const char *ifname)
{
	char line[512], name[IF_NAMESIZE + 1], dest[64];
	unsigned int plen;
	bool found = false;
	FILE *f;

	f = fopen("/proc/net/route", "re");
	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%16s %63s", name, dest) == 2 &&
			!strcmp(name, ifname) && !strcmp(dest, "00000000");
	if (f)
		fclose(f);
	f = fopen("/proc/net/ipv6_route", "re");
	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%63s %x %*s %*s %*s %*s %*s %*s %*s %16s",
			       dest, &plen, name) == 3 &&
			!plen && !strcmp(name, ifname);
	if (f)
		fclose(f);
	return found;
}

int sw_port_refused(const char *ifname, char *err, size_t errlen)
{
	struct cfg_port *ps = NULL;
	int n, i;
	bool internal = false;

	n = store_ports(sw->store, NULL, &ps);
	for (i = 0; i < n; i++)
		if (!strcmp(ps[i].internal, ifname))
			internal = true;
	free(ps);
	/* fault 10: its peer is in the bridge already: a loop */
	if (internal) {
		snprintf(err, errlen, "%s is the host side of an internal port",
			 ifname);
		return -EINVAL;
	}
	/* fault 10: XDP would take the host's own traffic */
	if (has_default_route(ifname)) {
		snprintf(
			err, errlen,
			"%s carries the host's default route: its addresses and routes would be cut off (move them to an internal port first)",
			ifname);
		return -EINVAL;
	}
	return 0;
}

void sw_internal_delete(const struct cfg_port *p)
{
	if (p->internal[0] && if_nametoindex(p->ifname) &&
	    netlink_link_delete(p->ifname))
		log_warn("cannot delete internal port %s", p->internal);
}

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
static int internal_local(struct sw_bridge *br, int ifindex,
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

/* The store's static entries on one port (fault 4: an interface that
 * comes back, or appears after start, gets them at once). */
static void port_statics(struct sw_bridge *br, const struct cfg_port *p,
			 int ifindex)
{
	struct cfg_mac *ms = NULL;
	int n, i;

	n = store_macs(sw->store, br->name, &ms);
	for (i = 0; i < n; i++)
		if (!strcmp(ms[i].ifname, p->ifname) &&
		    dp_fdb_add_static(br->dp, ms[i].mac, ms[i].vid, ifindex))
			log_warn("bridge %s: static entry: %s", br->name,
				 dp_error());
	free(ms);
}

int sw_port_attach(struct sw_bridge *br, const struct cfg_port *p, char *err,
		   size_t errlen)
{
	struct dp_port_opts o = {
		.sz = sizeof(o),
		.learn_limit = p->learn_limit,
	};
	struct dp_port_info info;
	int ifindex, ret;

	if (p->internal[0]) {
		ret = sw_internal_create(p, err, errlen);
		if (ret)
			return ret;
	}
	ifindex = (int)if_nametoindex(p->ifname);
	if (!ifindex) {
		snprintf(err, errlen, "no interface named %s", p->ifname);
		return -ENODEV;
	}
	if (!dp_port_get(br->dp, ifindex, &info)) {
		if (!info.attached) {
			/* a leftover of a deleted interface with this index */
			dp_port_remove(br->dp, ifindex);
		} else {
			ret = dp_port_set_learn_limit(br->dp, ifindex,
						      p->learn_limit);
			if (ret) {
				snprintf(err, errlen, "%s", dp_error());
				return ret;
			}
			ret = port_vlans_apply(br, ifindex, p, err, errlen);
			if (!ret)
				ret = internal_local(br, ifindex, p, err,
						     errlen);
			return ret;
		}
	}
	ret = dp_port_add(br->dp, ifindex, &o, NULL);
	if (ret) {
		snprintf(err, errlen, "%s", dp_error());
		return ret;
	}
	ret = port_vlans_apply(br, ifindex, p, err, errlen);
	if (!ret)
		ret = internal_local(br, ifindex, p, err, errlen);
	if (!ret)
		port_statics(br, p, ifindex);
	return ret;
}

void sw_port_detach(struct sw_bridge *br, const char *ifname)
{
	int ifindex = (int)if_nametoindex(ifname);

	if (ifindex && dp_port_remove(br->dp, ifindex) && errno != ENOENT)
		log_warn("%s: %s", ifname, dp_error());
}

/* Datapath ports of br that the store does not have are removed. */
static void drop_unknown_ports(struct sw_bridge *br, struct cfg_port *ports,
			       int nports)
{
	struct dp_port_info info[XBR_MAX_PORTS];
	int n, i, j;
	bool known;

	n = dp_port_list(br->dp, info, XBR_MAX_PORTS);
	for (i = 0; i < n && i < XBR_MAX_PORTS; i++) {
		known = false;
		for (j = 0; j < nports && info[i].attached; j++)
			if (!strcmp(info[i].name, ports[j].ifname))
				known = true;
		if (!known) {
			log_info(
				"bridge %s: removing port %s (ifindex %u) that the configuration does not have",
				br->name,
				info[i].attached ? info[i].name : "(gone)",
				info[i].ifindex);
			dp_port_remove(br->dp, (int)info[i].ifindex);
		}
	}
}

/* Static entries: the store's, and no others. */
struct statics {
	struct cfg_mac *macs;
	int n;
	struct dp_bridge *dp;
};

static int drop_unknown_static(const struct dp_fdb_entry *e, void *ctx)
{
	struct statics *st = ctx;
	char name[IF_NAMESIZE];
	int i;

	if (!(e->flags & XBR_FDB_F_STATIC) || (e->flags & XBR_FDB_F_LOCAL))
		return 0; /* learned, or an internal port's own */
	if (!if_indextoname(e->ifindex, name))
		name[0] = '\0';
	for (i = 0; i < st->n; i++)
		if (!memcmp(st->macs[i].mac, e->mac, 6) &&
		    st->macs[i].vid == e->vid &&
		    !strcmp(st->macs[i].ifname, name))
			return 0;
	dp_fdb_del(st->dp, e->mac, e->vid);
	return 0;
}

/* Additions: the store's ports and static entries of one bridge. */
static void reconcile_add(struct sw_bridge *br)
{
	struct cfg_port *ports = NULL;
	struct statics st = { 0 };
	char err[512];
	int n, i, ifindex;

	n = store_ports(sw->store, br->name, &ports);
	for (i = 0; i < n; i++) {
		int ret = sw_port_attach(br, &ports[i], err, sizeof(err));

		if (ret == -ENODEV)
			log_warn("bridge %s: port %s is absent", br->name,
				 ports[i].ifname);
		else if (ret)
			log_err("bridge %s: port %s: %s", br->name,
				ports[i].ifname, err);
	}
	free(ports);

	st.dp = br->dp;
	st.n = store_macs(sw->store, br->name, &st.macs);
	if (st.n < 0)
		st.n = 0;
	dp_fdb_dump(br->dp, drop_unknown_static, &st);
	for (i = 0; i < st.n; i++) {
		ifindex = (int)if_nametoindex(st.macs[i].ifname);
		if (ifindex && dp_fdb_add_static(br->dp, st.macs[i].mac,
						 st.macs[i].vid, ifindex))
			log_warn("bridge %s: static entry: %s", br->name,
				 dp_error());
	}
	free(st.macs);
}

static bool in_store(const struct cfg_bridge *bridges, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(bridges[i].name, name))
			return true;
	return false;
}

/*
 * Removals first (bridges and ports the store does not have), then
 * additions, so that a port can move from one bridge to another.
 */
int sw_reconcile(void)
{
	struct cfg_bridge *bridges = NULL;
	struct cfg_port *ports = NULL;
	struct sw_bridge *b, *next;
	struct dirent *de;
	char err[512];
	DIR *d;
	int n, np, i;

	n = store_bridges(sw->store, &bridges);
	if (n < 0)
		return n;

	for (b = sw->bridges; b; b = next) {
		next = b->next;
		if (!in_store(bridges, n, b->name))
			sw_bridge_destroy(b->name);
	}
	d = opendir(sw->pin_root);
	while (d && (de = readdir(d))) {
		struct dp_bridge_opts o = { .sz = sizeof(o),
					    .pin_root = sw->pin_root };
		struct dp_bridge *dp;

		if (de->d_name[0] == '.' || in_store(bridges, n, de->d_name) ||
		    !dp_bridge_exists(de->d_name, sw->pin_root))
			continue;
		log_info(
			"removing pinned bridge %s that the configuration does not have",
			de->d_name);
		dp = dp_bridge_open(de->d_name, &o);
		if (dp)
			dp_bridge_destroy(dp);
	}
	if (d)
		closedir(d);

	for (i = 0; i < n; i++) {
		if (sw_bridge_open(&bridges[i], &b, err, sizeof(err))) {
			log_err("bridge %s: %s", bridges[i].name, err);
			continue;
		}
		np = store_ports(sw->store, b->name, &ports);
		drop_unknown_ports(b, ports, np < 0 ? 0 : np);
		free(ports);
		ports = NULL;
	}
	for (b = sw->bridges; b; b = b->next)
		reconcile_add(b);
	free(bridges);
	if (sw_slowpath_apply(err, sizeof(err)))
		log_err("slow path: %s", err);
	return 0;
}

void sw_age_all(void)
{
	struct cfg_bridge cfg;
	struct sw_bridge *b;
	int n;

	for (b = sw->bridges; b; b = b->next) {
		if (store_bridge_get(sw->store, b->name, &cfg))
			continue;
		n = dp_fdb_age(b->dp, (__u64)cfg.ageing_time * 1000000000ULL);
		if (n > 0)
			log_debug("bridge %s: %d entries aged out", b->name, n);
	}
}

void sw_slowpath_get(struct sw_slowpath *sp)
{
	char text[64];

	sp->host_cpu = sp->ctl_cpu = -1;
	sp->queue = 0;
	if (!store_meta_get(sw->store, "slowpath", text, sizeof(text)) &&
	    sscanf(text, "%d %d %u", &sp->host_cpu, &sp->ctl_cpu, &sp->queue) !=
		    3)
		sp->host_cpu = -1;
}

int sw_slowpath_apply(char *err, size_t errlen)
{
	struct sw_slowpath sp;
	struct sw_bridge *b;
	int ret = 0;

	sw_slowpath_get(&sp);
	for (b = sw->bridges; b; b = b->next) {
		if (slowpath_on(b, &sp) && !ret) {
			ret = -EINVAL;
			snprintf(err, errlen, "bridge %s: %s", b->name,
				 dp_error());
		}
	}
	return ret;
}

void sw_arm_ageing(void)
{
	struct cfg_bridge *bs = NULL;
	struct itimerspec its = { 0 };
	unsigned int period = 10;
	int n, i;

	if (sw->ageing_fd <= 0)
		return;
	n = store_bridges(sw->store, &bs);
	for (i = 0; i < n; i++)
		if (bs[i].ageing_time / 10 < period)
			period = bs[i].ageing_time / 10;
	free(bs);
	if (!period)
		period = 1;
	its.it_value.tv_sec = period;
	its.it_interval.tv_sec = period;
	if (timerfd_settime(sw->ageing_fd, 0, &its, NULL))
		log_warn("ageing timer: %s", strerror(errno));
}

void sw_link_event(const char *ifname, int ifindex, bool up, bool gone)
{
	struct dp_fdb_filter f = { .ifindex = ifindex };
	struct dp_port_info info;
	struct cfg_port p;
	struct sw_bridge *br;
	char err[512];
	int ret;

	if (store_port_get(sw->store, ifname, &p))
		return; /* not a port */
	br = sw_bridge_find(p.bridge);
	if (!br)
		return;
	if (gone) {
		if (!dp_port_remove(br->dp, ifindex))
			log_info(
				"port %s: interface deleted; absent until it returns",
				ifname);
		return;
	}
	if (dp_port_get(br->dp, ifindex, &info) || !info.attached) {
		ret = sw_port_attach(br, &p, err, sizeof(err));
		if (!ret)
			log_info("port %s: interface is back, attached",
				 ifname);
		else
			log_warn("port %s: cannot attach: %s", ifname, err);
		return;
	}
	if (!up) {
		ret = dp_fdb_flush(br->dp, &f);
		if (ret > 0)
			log_info(
				"port %s: link down, %d dynamic entries flushed",
				ifname, ret);
	}
}

void sw_close_all(void)
{
	struct sw_bridge *b;

	while ((b = sw->bridges)) {
		sw->bridges = b->next;
		dp_bridge_close(b->dp);
		free(b);
	}
}
