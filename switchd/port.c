// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ports and their settings: the commands (port, its VLAN mode, shutdown,
 * isolation, flood control, the learn limit's violation action, the exec
 * shortcut for scripts), their lines of the running config, attaching
 * ports to the datapath, and link events. What show says of them is
 * interfaces.c's.
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <stddef.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/netlink.h"
#include "switchd/switchd.h"

/* ---- the datapath ---- */

/* A trunk's native VLAN passes only when it is allowed, as on the
 * switches operators know: the datapath then has it as the PVID. */
static bool native_active(const struct cfg_port *p,
			  const struct xbr_vlan_set *allowed)
{
	return p->native_vlan && dp_vlan_has(allowed, p->native_vlan);
}

/* A port's VLAN settings in the datapath's form; -EINVAL for a bad list. */
int sw_port_vlan(const struct cfg_port *p, struct dp_port_vlan *v)
{
	int ret = 0;

	memset(v, 0, sizeof(*v));
	v->trunk = p->trunk;
	v->tpid = p->tpid;
	if (!p->trunk) {
		v->pvid = p->access_vlan;
		return 0;
	}
	if (p->allowed[0])
		ret = dp_vlan_list_parse(p->allowed, &v->allowed);
	if (!ret && native_active(p, &v->allowed))
		v->pvid = p->native_vlan;
	return ret;
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

/* The port takes and sends nothing: shut down, or err-disabled. */
static bool port_down(const struct cfg_port *p)
{
	return p->shutdown || sw_errdisabled(p->ifname);
}

/* Set the port's flags (down, isolated) in the datapath where they
 * differ; a port that goes down loses its learned entries (its stations
 * are elsewhere when it comes back). */
static int port_flags_apply(struct sw_bridge *br, int ifindex,
			    const struct dp_port_info *info,
			    const struct cfg_port *p, char *err, size_t errlen)
{
	struct dp_fdb_filter f = { .ifindex = ifindex };
	bool down = port_down(p);
	bool protect = p->violation != CFG_VIOLATION_FORWARD;
	__u32 flags = info->port.flags;
	int ret = 0;

	if (!!(flags & XBR_PORT_F_ISOLATED) != p->isolated)
		ret = dp_port_set_isolated(br->dp, ifindex, p->isolated);
	if (!ret && (flags & XBR_PORT_F_FLOOD_OFF) != p->flood_off)
		ret = dp_port_set_flood(br->dp, ifindex, p->flood_off);
	if (!ret && !!(flags & XBR_PORT_F_PROTECT) != protect)
		ret = dp_port_set_protect(br->dp, ifindex, protect);
	if (!ret && !!(flags & XBR_PORT_F_DOWN) != down) {
		ret = dp_port_set_down(br->dp, ifindex, down);
		if (!ret && down)
			dp_fdb_flush(br->dp, &f);
	}
	if (ret)
		snprintf(err, errlen, "%s", dp_error());
	return ret;
}

/* The settings that follow the port once it is in the datapath. */
static int port_settings(struct sw_bridge *br, int ifindex,
			 const struct cfg_port *p, char *err, size_t errlen)
{
	int ret = port_vlans_apply(br, ifindex, p, err, errlen);

	if (!ret)
		ret = sw_storm_apply(br, ifindex, p, err, errlen);
	if (!ret)
		ret = sw_internal_local(br, ifindex, p, err, errlen);
	return ret;
}

int sw_port_attach(struct sw_bridge *br, const struct cfg_port *p, char *err,
		   size_t errlen)
{
	struct dp_port_opts o = {
		.sz = sizeof(o),
		.learn_limit = p->learn_limit,
		.down = port_down(p),
		.isolated = p->isolated,
		.flood_off = p->flood_off,
		.protect = p->violation != CFG_VIOLATION_FORWARD,
		.stp_state = sw_stp_port_start(br->name, p->ifname),
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
		if (info.attached) {
			ret = dp_port_set_learn_limit(br->dp, ifindex,
						      p->learn_limit);
			if (ret) {
				snprintf(err, errlen, "%s", dp_error());
				return ret;
			}
			ret = port_flags_apply(br, ifindex, &info, p, err,
					       errlen);
			if (ret)
				return ret;
			return port_settings(br, ifindex, p, err, errlen);
		}
		/* a leftover of a deleted interface with this index */
		dp_port_remove(br->dp, ifindex);
	}
	ret = dp_port_add(br->dp, ifindex, &o, NULL);
	if (ret) {
		snprintf(err, errlen, "%s", dp_error());
		return ret;
	}
	sw_event_port(br->name, p->ifname, true, NULL);
	sw_counters_forget(br->name, p->ifname);
	ret = port_settings(br, ifindex, p, err, errlen);
	if (!ret)
		sw_mac_port_statics(br, p, ifindex);
	if (!ret) /* a new port (or index): its and its sessions' mirrors */
		ret = sw_mirror_port_attached(br, err, errlen);
	return ret;
}

static void port_detach(struct sw_bridge *br, const char *ifname)
{
	int ifindex = (int)if_nametoindex(ifname);

	if (!ifindex)
		return;
	if (!dp_port_remove(br->dp, ifindex))
		sw_event_port(br->name, ifname, false, NULL);
	else if (errno != ENOENT)
		log_warn("%s: %s", ifname, dp_error());
}

/* Datapath ports of the store's bridges that the store does not have are
 * removed. */
static void port_reconcile_remove(const struct cfg_bridge *bs, int nb)
{
	struct dp_port_info info[XBR_MAX_PORTS];
	struct cfg_port *ports = NULL;
	struct sw_bridge *br;
	int b, n, np, i, j;
	bool known;

	for (b = 0; b < nb; b++) {
		br = sw_bridge_find(bs[b].name);
		if (!br)
			continue;
		np = store_ports(sw->store, br->name, &ports);
		n = dp_port_list(br->dp, info, XBR_MAX_PORTS);
		for (i = 0; i < n && i < XBR_MAX_PORTS; i++) {
			known = false;
			for (j = 0; j < np && info[i].attached; j++)
				if (!strcmp(info[i].name, ports[j].ifname))
					known = true;
			if (known)
				continue;
			log_info(
				"bridge %s: removing port %s (ifindex %u) that the configuration does not have",
				br->name,
				info[i].attached ? info[i].name : "(gone)",
				info[i].ifindex);
			if (!dp_port_remove(br->dp, (int)info[i].ifindex))
				sw_event_port(br->name,
					      info[i].attached ? info[i].name
							       : "(gone)",
					      false,
					      "not in the configuration");
		}
		free(ports);
		ports = NULL;
	}
}

/* The store's ports, attached. */
static void port_reconcile_add(const struct cfg_bridge *bs, int nb)
{
	struct cfg_port *ports = NULL;
	struct sw_bridge *br;
	char err[SW_ERRLEN];
	int n, i, ret;

	(void)bs;
	(void)nb;
	for (br = sw->bridges; br; br = br->next) {
		n = store_ports(sw->store, br->name, &ports);
		for (i = 0; i < n; i++) {
			ret = sw_port_attach(br, &ports[i], err, sizeof(err));
			if (ret == -ENODEV)
				log_warn("bridge %s: port %s is absent",
					 br->name, ports[i].ifname);
			else if (ret)
				log_err("bridge %s: port %s: %s", br->name,
					ports[i].ifname, err);
		}
		free(ports);
		ports = NULL;
	}
}

/* Whether a port's link was up at its last event, by ifindex. */
static unsigned char link_was_up[XBR_MAX_IFINDEX / 8];

/* Records up; true when the link was not up before. */
static bool link_came_up(int ifindex, bool up)
{
	unsigned char bit = (unsigned char)(1U << (ifindex % 8));
	bool was;

	if (ifindex <= 0 || ifindex >= XBR_MAX_IFINDEX)
		return false;
	was = link_was_up[ifindex / 8] & bit;
	if (up)
		link_was_up[ifindex / 8] |= bit;
	else
		link_was_up[ifindex / 8] &= (unsigned char)~bit;
	return up && !was;
}

void sw_link_event(const char *ifname, int ifindex, bool up, bool gone)
{
	struct dp_fdb_filter f = { .ifindex = ifindex };
	struct dp_port_info info;
	struct cfg_port p;
	struct sw_bridge *br;
	char err[SW_ERRLEN];
	int ret;

	if (store_port_get(sw->store, ifname, &p))
		return; /* not a port */
	br = sw_bridge_find(p.bridge);
	if (!br)
		return;
	if (gone) {
		link_came_up(ifindex, false);
		if (!dp_port_remove(br->dp, ifindex))
			sw_event_port(
				br->name, ifname, false,
				"interface deleted; absent until it returns");
		sw_stp_link(ifname);
		return;
	}
	if (dp_port_get(br->dp, ifindex, &info) || !info.attached) {
		ret = sw_port_attach(br, &p, err, sizeof(err));
		if (!ret)
			log_info("port %s: interface is back, attached",
				 ifname);
		else
			log_warn("port %s: cannot attach: %s", ifname, err);
		link_came_up(ifindex, up); /* the attach made it ready */
		sw_stp_link(ifname);
		return;
	}
	/* A veth port's peer may have come up only now. */
	if (link_came_up(ifindex, up) && dp_port_link_up(br->dp, ifindex))
		log_warn("port %s: %s", ifname, dp_error());
	sw_event_link(br->name, ifname, up);
	if (!up) {
		ret = dp_fdb_flush(br->dp, &f);
		if (ret > 0)
			log_info(
				"port %s: link down, %d dynamic entries flushed",
				ifname, ret);
	}
	sw_stp_link(ifname);
}

/* ---- adding, changing and removing a port ---- */

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

/* Why an interface cannot be a new port: -EINVAL, said; or 0. */
static int port_refused(struct cmd_call *c, const char *ifname)
{
	int ifindex = (int)if_nametoindex(ifname), ret;

	/* loopback, or no Ethernet: no port at all (an interface that does
	 * not exist, or no longer, is taken, and checked when it appears) */
	ret = ifindex ? dp_port_kind_check(ifindex) : 0;
	if (ret && ret != -ENODEV)
		return sw_say(c, -EINVAL, "%s", dp_error());
	/* fault 10: its peer is in the bridge already: a loop */
	if (sw_internal_host_side(ifname))
		return sw_say(c, -EINVAL,
			      "%s is the host side of an internal port",
			      ifname);
	/* fault 10: XDP would take the host's own traffic */
	if (has_default_route(ifname))
		return sw_say(
			c, -EINVAL,
			"%s carries the host's default route: its addresses and routes would be cut off (move them to an internal port first)",
			ifname);
	return 0;
}

struct port_txn {
	const struct cfg_port *p;
	struct cfg_port old; /* as it was, when it existed */
	bool existed;
	struct cfg_bridge b;
	struct sw_bridge *br;
};

static int port_store(struct cmd_call *c, void *ctx)
{
	struct port_txn *t = ctx;
	const struct cfg_port *p = t->p;
	struct dp_port_vlan check;
	int ret;

	if (sw_port_vlan(p, &check))
		return sw_say(c, -EINVAL, "%s", dp_error());
	if (store_bridge_get(sw->store, p->bridge, &t->b))
		return sw_say(c, -ENOENT, "no bridge named %s", p->bridge);
	t->existed = !store_port_get(sw->store, p->ifname, &t->old);
	if (t->existed && strcmp(t->old.bridge, p->bridge))
		return sw_say(c, -EBUSY, "%s is a port of bridge %s", p->ifname,
			      t->old.bridge);
	if (!t->existed && !p->internal[0]) {
		ret = port_refused(c, p->ifname);
		if (ret)
			return ret;
	}
	if (store_port_put(sw->store, p))
		return sw_store_err(c);
	return 0;
}

static int port_attach(struct cmd_call *c, void *ctx)
{
	struct port_txn *t = ctx;
	char err[SW_ERRLEN];
	int ret;

	t->br = sw_bridge_find(t->b.name);
	if (!t->br && sw_bridge_open(&t->b, &t->br, err, sizeof(err)))
		return sw_say(c, -EIO, "bridge %s: %s", t->b.name, err);
	ret = sw_port_attach(t->br, t->p, err, sizeof(err));
	if (ret == -ENODEV)
		return sw_say(c, ret, "%s", err);
	if (ret)
		return sw_say(c, ret, "%s: %s", t->p->ifname, err);
	return 0;
}

static void port_undo(struct cmd_call *c, void *ctx)
{
	struct port_txn *t = ctx;
	char err[SW_ERRLEN];

	(void)c;
	if (!t->br)
		return;
	if (t->existed)
		sw_port_attach(t->br, &t->old, err, sizeof(err));
	else
		port_detach(t->br, t->p->ifname);
}

int sw_port_apply(struct cmd_call *c, const struct cfg_port *p)
{
	static const struct sw_txn txn = { port_store, port_attach, port_undo,
					   NULL };
	struct port_txn t = { .p = p };

	return sw_txn_run(c, &txn, &t);
}

void sw_port_current(const char *bridge, const char *ifname, struct cfg_port *p)
{
	if (store_port_get(sw->store, ifname, p) || strcmp(p->bridge, bridge))
		cfg_port_default(p, bridge, ifname);
}

static int port_remove_store(struct cmd_call *c, void *ctx)
{
	struct port_txn *t = ctx;

	if (store_port_get(sw->store, t->p->ifname, &t->old) ||
	    strcmp(t->old.bridge, t->p->bridge))
		return sw_say(c, -ENOENT, "%s is not a port of bridge %s",
			      t->p->ifname, t->p->bridge);
	if (store_port_del(sw->store, t->p->ifname))
		return sw_store_err(c);
	return 0;
}

/* What is removed: the port, and an internal port's pair with it. */
static void port_remove_done(struct cmd_call *c, void *ctx)
{
	struct port_txn *t = ctx;
	struct sw_bridge *br = sw_bridge_find(t->old.bridge);
	char err[SW_ERRLEN];
	uint8_t mac[6];

	(void)c;
	sw_errdisable_reset(t->old.ifname);
	if (br) {
		port_detach(br, t->old.ifname);
		/* its monitor session went with it, or lost a source */
		if (sw_mirror_apply(br, err, sizeof(err)))
			log_err("bridge %s: mirroring: %s", br->name, err);
	}
	if (br && t->old.internal[0]) {
		sw_internal_mac(&t->old, mac);
		dp_host_port_del(br->dp, mac);
	}
	sw_internal_delete(&t->old);
}

int sw_port_remove(struct cmd_call *c, const char *bridge, const char *ifname)
{
	static const struct sw_txn txn = { port_remove_store, NULL, NULL,
					   port_remove_done };
	struct cfg_port p;
	struct port_txn t = { .p = &p };

	cfg_port_default(&p, bridge, ifname);
	return sw_txn_run(c, &txn, &t);
}

/* [no] port IFNAME [learn-limit N] */
static int do_port(struct cmd_call *c)
{
	const char *ifname = cmd_arg(c, "IFNAME");
	struct cfg_port p;

	if (c->no)
		return sw_port_remove(c, c->s->bridge, ifname);
	sw_port_current(c->s->bridge, ifname, &p);
	/* fault 10: without learn-limit, the port keeps its own */
	p.learn_limit = (uint32_t)cmd_num(c, "learn-limit", p.learn_limit);
	return sw_port_apply(c, &p);
}

/* The trunk's allowed list: LIST, or the port's with LIST added or
 * removed; -EINVAL (said) when it does not fit the store's column. */
static int port_allowed(struct cmd_call *c, struct cfg_port *p,
			const struct xbr_vlan_set *list)
{
	struct xbr_vlan_set set = { 0 };
	char text[8 * XBR_VID_MAX];
	size_t i;

	if (p->trunk && p->allowed[0])
		dp_vlan_list_parse(p->allowed, &set);
	if (cmd_has(c, "add")) {
		for (i = 0; i < ARRAY_SIZE(set.bits); i++)
			set.bits[i] |= list->bits[i];
	} else if (cmd_has(c, "remove")) {
		for (i = 0; i < ARRAY_SIZE(set.bits); i++)
			set.bits[i] &= ~list->bits[i];
	} else {
		set = *list;
	}
	dp_vlan_list_format(&set, text, sizeof(text));
	if (strlen(text) >= sizeof(p->allowed))
		return sw_say(
			c, -EINVAL,
			"the allowed list '%.40s...' has %zu characters, %zu at most: use ranges",
			text, strlen(text), sizeof(p->allowed) - 1);
	snprintf(p->allowed, sizeof(p->allowed), "%s", text);
	return 0;
}

/* [no] port IFNAME shutdown | isolated: a yes/no setting of a port */
static int do_port_switch(struct cmd_call *c)
{
	const char *ifname = cmd_arg(c, "IFNAME");
	struct cfg_port p;

	if (c->no && (store_port_get(sw->store, ifname, &p) ||
		      strcmp(p.bridge, c->s->bridge)))
		return sw_say(c, -ENOENT, "%s is not a port of bridge %s",
			      ifname, c->s->bridge);
	sw_port_current(c->s->bridge, ifname, &p);
	if (cmd_has(c, "shutdown")) {
		/* either form brings a port out of err-disabled */
		sw_errdisable_reset(ifname);
		p.shutdown = !c->no;
	} else {
		p.isolated = !c->no;
	}
	return sw_port_apply(c, &p);
}

const struct sw_flood sw_floods[SW_NFLOODS] = {
	{ "unknown-unicast", "unknown_unicast", XBR_PORT_F_NO_UCAST },
	{ "multicast", "multicast", XBR_PORT_F_NO_MCAST },
	{ "broadcast", "broadcast", XBR_PORT_F_NO_BCAST },
};

/* port IFNAME flood unknown-unicast|multicast|broadcast on|off */
static int do_port_flood(struct cmd_call *c)
{
	struct cfg_port p;
	size_t i;

	sw_port_current(c->s->bridge, cmd_arg(c, "IFNAME"), &p);
	for (i = 0; i < SW_NFLOODS; i++) {
		if (!cmd_has(c, sw_floods[i].word))
			continue;
		if (cmd_has(c, "off"))
			p.flood_off |= sw_floods[i].flag;
		else
			p.flood_off &= ~sw_floods[i].flag;
	}
	return sw_port_apply(c, &p);
}

/* " flood-off broadcast,multicast": the floods a port refuses, or "". */
void sw_port_flood_text(const struct cfg_port *p, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < SW_NFLOODS && n < len; i++)
		if (p->flood_off & sw_floods[i].flag)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? "," : " flood-off ",
					      sw_floods[i].word);
}

/* The violation actions, by CFG_VIOLATION_*. */
static const char *const violations[] = { "forward", "shutdown", "protect",
					  "restrict" };

/* port IFNAME learn-limit N violation forward|protect|restrict|shutdown */
static int do_port_violation(struct cmd_call *c)
{
	struct cfg_port p;
	uint8_t v;

	sw_port_current(c->s->bridge, cmd_arg(c, "IFNAME"), &p);
	p.learn_limit = (uint32_t)cmd_num(c, "learn-limit", p.learn_limit);
	for (v = 0; v < ARRAY_SIZE(violations); v++)
		if (cmd_has(c, violations[v]))
			p.violation = v;
	return sw_port_apply(c, &p);
}

/* port IFNAME access vlan ... | trunk allowed vlan ... | trunk native
 * vlan | encapsulation: each word that is there changes the port. */
static int do_port_vlan(struct cmd_call *c)
{
	const struct cmd_value *list = cmd_value(c, "VLANLIST");
	struct cfg_port p;

	sw_port_current(c->s->bridge, cmd_arg(c, "IFNAME"), &p);
	if (cmd_has(c, "access")) {
		p.trunk = false;
		p.access_vlan = (uint16_t)cmd_num(c, "VID", 1);
	}
	if (list && port_allowed(c, &p, &list->vlans))
		return -EINVAL;
	if (list)
		p.trunk = true;
	if (cmd_has(c, "native")) {
		p.trunk = true;
		p.native_vlan = (uint16_t)cmd_num(c, "VID", 0); /* 0: none */
	}
	if (cmd_has(c, "encapsulation"))
		p.tpid =
			cmd_has(c, "dot1ad") ? XBR_TPID_8021AD : XBR_TPID_8021Q;
	p.learn_limit = (uint32_t)cmd_num(c, "learn-limit", p.learn_limit);
	return sw_port_apply(c, &p);
}

/* exec: bridge [NAME] port add|remove IFNAME, for scripts */
static int do_exec_port(struct cmd_call *c)
{
	const char *ifname = cmd_arg(c, "IFNAME");
	struct cfg_bridge b;
	struct cfg_port p;

	if (sw_which_bridge(c, &b))
		return -ENOENT;
	if (cmd_has(c, "remove"))
		return sw_port_remove(c, b.name, ifname);
	sw_port_current(b.name, ifname, &p);
	return sw_port_apply(c, &p);
}

/* An action other than forward for a new source at the learn limit. */
static bool has_violation(const struct cfg_port *p)
{
	return p->violation && p->violation < ARRAY_SIZE(violations);
}

/* A port's line of the running config, one line whole: only what is not
 * the default. A port with a violation action is made by its learn-limit
 * line, which carries the limit: no line of its own unless it has VLAN
 * settings, and never the limit twice. */
static void port_config(struct out *o, const struct cfg_port *p)
{
	bool ad = p->tpid == XBR_TPID_8021AD;

	if (has_violation(p) && !p->trunk && p->access_vlan == 1 && !ad) {
		out_printf(o, " port %s learn-limit %u violation %s\n",
			   p->ifname, p->learn_limit, violations[p->violation]);
		return;
	}

	out_printf(o, " port %s", p->ifname);
	if (p->trunk)
		out_printf(o, " trunk allowed vlan %s",
			   p->allowed[0] ? p->allowed : "none");
	if (p->trunk && p->native_vlan == 0)
		out_printf(o, " native vlan none");
	else if (p->trunk && p->native_vlan != 1)
		out_printf(o, " native vlan %u", p->native_vlan);
	if (!p->trunk && (p->access_vlan != 1 || ad))
		out_printf(o, " access vlan %u", p->access_vlan);
	if (ad)
		out_printf(o, " encapsulation dot1ad");
	if (p->learn_limit && !has_violation(p))
		out_printf(o, " learn-limit %u", p->learn_limit);
	out_printf(o, "\n");
	if (has_violation(p))
		out_printf(o, " port %s learn-limit %u violation %s\n",
			   p->ifname, p->learn_limit, violations[p->violation]);
}

/* The bridge's ports, in the order they were added. */
static void ports_config(struct out *o, const struct cfg_bridge *b)
{
	struct cfg_port *ps = NULL;
	size_t k;
	int n, i;

	n = store_ports(sw->store, b->name, &ps);
	for (i = 0; i < n; i++) {
		if (ps[i].internal[0])
			sw_internal_config(o, &ps[i]);
		else
			port_config(o, &ps[i]);
		if (ps[i].internal[0] && has_violation(&ps[i]))
			out_printf(o, " port %s learn-limit %u violation %s\n",
				   ps[i].ifname, ps[i].learn_limit,
				   violations[ps[i].violation]);
		if (ps[i].isolated)
			out_printf(o, " port %s isolated\n", ps[i].ifname);
		for (k = 0; k < SW_NFLOODS; k++)
			if (ps[i].flood_off & sw_floods[k].flag)
				out_printf(o, " port %s flood %s off\n",
					   ps[i].ifname, sw_floods[k].word);
		if (ps[i].shutdown)
			out_printf(o, " port %s shutdown\n", ps[i].ifname);
	}
	free(ps);
}

#define NATIVE_HELP                                                            \
	"The VLAN it sends and takes untagged (when allowed)\nVLAN\nVLAN id\n" \
	"None: untagged frames are dropped\n"
#define ENCAP_HELP                                          \
	"The tag protocol\n802.1Q (TPID 0x8100)\n"          \
	"802.1ad (TPID 0x88a8): QinQ, a customer's tag is " \
	"payload\n"
#define AD_HELP                                                               \
	"The tag protocol\n802.1ad (TPID 0x88a8): QinQ, a customer's tag is " \
	"payload\n"
#define LIMIT_HELP "Most learned MAC entries on the port\nEntries (0: no limit)"

static const struct cmd_def port_cmds[] = {
	{ MODE_BIT(MODE_EXEC), "bridge [NAME] port <add|remove> IFNAME",
	  "Bridge operations\nBridge name (without: the only bridge)\n"
	  "Bridge ports\nAdd a port\nRemove a port\nInterface name",
	  do_exec_port },
	{ MODE_BIT(MODE_BRIDGE),
	  "[no] port IFNAME {[learn-limit (0-4294967295)]}",
	  "Remove configuration\nAdd a port, or set its options|A port\n"
	  "Interface name\nMost learned MAC entries on the port\n"
	  "Entries (0: no limit)",
	  do_port },
	{ MODE_BIT(MODE_BRIDGE), "[no] port IFNAME shutdown",
	  "Remove configuration\nA port\nInterface name\n"
	  "Take in and send out nothing, keep the settings|Bring it back up",
	  do_port_switch },
	{ MODE_BIT(MODE_BRIDGE),
	  "port IFNAME learn-limit (1-4294967295) violation "
	  "<forward|protect|restrict|shutdown>",
	  "A port\nInterface name\nMost learned MAC entries on the port\n"
	  "Entries\nWhat a new source at the limit does\n"
	  "Not learned, its frames forwarded (the default)\n"
	  "Its frames dropped (counted as source-refused)\n"
	  "Its frames dropped, and logged\n"
	  "Err-disables the port (errdisable recovery cause learn-limit)",
	  do_port_violation },
	{ MODE_BIT(MODE_BRIDGE),
	  "port IFNAME flood <unknown-unicast|multicast|broadcast> <on|off>",
	  "A port\nInterface name\nWhich floods the port receives\n"
	  "Frames for a destination not yet learned\nMulticast frames\n"
	  "Broadcast frames\nReceives them (the default)\n"
	  "Does not (known unicast it always receives)",
	  do_port_flood },
	{ MODE_BIT(MODE_BRIDGE), "[no] port IFNAME isolated",
	  "Remove configuration\nA port\nInterface name\n"
	  "Send nothing that came in by another isolated port|"
	  "No longer isolated",
	  do_port_switch },
	{ MODE_BIT(MODE_BRIDGE),
	  "port IFNAME access vlan VID [encapsulation dot1ad] "
	  "[learn-limit (0-4294967295)]",
	  "A port\nInterface name\nAccess mode: one VLAN, untagged\nIn VLAN\n"
	  "VLAN id\n" AD_HELP LIMIT_HELP,
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE),
	  "port IFNAME trunk allowed vlan VLANLIST [native vlan <VID|none>] "
	  "[encapsulation dot1ad] [learn-limit (0-4294967295)]",
	  "A port\nInterface name\nTrunk mode: VLANs tagged\n"
	  "The VLANs it carries\nVLANs\nAs 10,20,30-40, all or none\n" NATIVE_HELP
		  AD_HELP LIMIT_HELP,
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE),
	  "port IFNAME trunk allowed vlan <add|remove> VLANLIST",
	  "A port\nInterface name\nTrunk mode: VLANs tagged\n"
	  "The VLANs it carries\nVLANs\nAdd to the list\nRemove from the list\n"
	  "As 10,20,30-40",
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME trunk native vlan <VID|none>",
	  "A port\nInterface name\nTrunk mode: VLANs tagged\n" NATIVE_HELP,
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME encapsulation <dot1q|dot1ad>",
	  "A port\nInterface name\n" ENCAP_HELP, do_port_vlan },
};

SW_FEATURE(port, .config_bridge = ports_config,
	   .reconcile_remove = port_reconcile_remove,
	   .reconcile_add = port_reconcile_add);
