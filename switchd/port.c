// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ports and their VLANs: the commands (port, its VLAN mode, the exec
 * shortcut for scripts; show interfaces, show vlan), their lines of the
 * running config, attaching ports to the datapath, and link events.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/netlink.h"
#include "switchd/switchd.h"

/* ---- the datapath ---- */

/* A port's VLAN settings in the datapath's form; -EINVAL for a bad list. */
static int port_vlan(const struct cfg_port *p, struct dp_port_vlan *v)
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

	ret = port_vlan(p, &want);
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

/* The settings that follow the port once it is in the datapath. */
static int port_settings(struct sw_bridge *br, int ifindex,
			 const struct cfg_port *p, char *err, size_t errlen)
{
	int ret = port_vlans_apply(br, ifindex, p, err, errlen);

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
	ret = port_settings(br, ifindex, p, err, errlen);
	if (!ret)
		sw_mac_port_statics(br, p, ifindex);
	return ret;
}

static void port_detach(struct sw_bridge *br, const char *ifname)
{
	int ifindex = (int)if_nametoindex(ifname);

	if (ifindex && dp_port_remove(br->dp, ifindex) && errno != ENOENT)
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
			dp_port_remove(br->dp, (int)info[i].ifindex);
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

	if (port_vlan(p, &check))
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
	uint8_t mac[6];

	(void)c;
	if (br)
		port_detach(br, t->old.ifname);
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

/* port IFNAME access vlan | trunk allowed vlan | trunk native vlan |
 * encapsulation */
static int do_port_vlan(struct cmd_call *c)
{
	const struct cmd_value *list = cmd_value(c, "VLANLIST");
	struct cfg_port p;

	sw_port_current(c->s->bridge, cmd_arg(c, "IFNAME"), &p);
	if (cmd_has(c, "access")) {
		p.trunk = false;
		p.access_vlan = (uint16_t)cmd_num(c, "VID", 1);
	} else if (list) {
		p.trunk = true;
		dp_vlan_list_format(&list->vlans, p.allowed, sizeof(p.allowed));
	} else if (cmd_has(c, "native")) {
		p.trunk = true;
		p.native_vlan = (uint16_t)cmd_num(c, "VID", 0); /* 0: none */
	} else {
		p.tpid =
			cmd_has(c, "dot1ad") ? XBR_TPID_8021AD : XBR_TPID_8021Q;
	}
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

/* A port's lines of the running config: only what is not the default. */
static void port_config(struct out *o, const struct cfg_port *p)
{
	out_printf(o, " port %s", p->ifname);
	if (p->learn_limit)
		out_printf(o, " learn-limit %u", p->learn_limit);
	out_printf(o, "\n");
	if (!p->trunk && p->access_vlan != 1)
		out_printf(o, " port %s access vlan %u\n", p->ifname,
			   p->access_vlan);
	if (p->trunk)
		out_printf(o, " port %s trunk allowed vlan %s\n", p->ifname,
			   p->allowed[0] ? p->allowed : "none");
	if (p->trunk && p->native_vlan == 0)
		out_printf(o, " port %s trunk native vlan none\n", p->ifname);
	else if (p->trunk && p->native_vlan != 1)
		out_printf(o, " port %s trunk native vlan %u\n", p->ifname,
			   p->native_vlan);
	if (p->tpid == XBR_TPID_8021AD)
		out_printf(o, " port %s encapsulation dot1ad\n", p->ifname);
}

/* The bridge's ports, in the order they were added. */
static void ports_config(struct out *o, const struct cfg_bridge *b)
{
	struct cfg_port *ps = NULL;
	int n, i;

	n = store_ports(sw->store, b->name, &ps);
	for (i = 0; i < n; i++) {
		if (ps[i].internal[0])
			sw_internal_config(o, &ps[i]);
		else
			port_config(o, &ps[i]);
	}
	free(ps);
}

/* ---- show ---- */

/* "access 10", "trunk 10,20 native 1", with " dot1ad" for 802.1ad. */
static void port_vlans_text(const struct cfg_port *p, char *buf, size_t len)
{
	const char *ad = p->tpid == XBR_TPID_8021AD ? " dot1ad" : "";
	const char *allowed = p->allowed[0] ? p->allowed : "none";

	if (p->internal[0])
		snprintf(buf, len, "access %u internal", p->access_vlan);
	else if (!p->trunk)
		snprintf(buf, len, "access %u%s", p->access_vlan, ad);
	else if (p->native_vlan)
		snprintf(buf, len, "trunk %s native %u%s", allowed,
			 p->native_vlan, ad);
	else
		snprintf(buf, len, "trunk %s%s", allowed, ad);
}

/* One VLAN of a bridge: its ports, tagged or not; false if it has none. */
static bool vlan_show(struct out *o, const char *bridge, unsigned int v,
		      const struct cfg_port *ps, const struct dp_port_vlan *pv,
		      int np)
{
	bool any = false, tagged;
	int j;

	for (j = 0; j < np; j++) {
		if (!dp_vlan_has(&pv[j].allowed, (__u16)v))
			continue;
		tagged = pv[j].trunk && v != pv[j].pvid;
		if (!any) {
			out_open(o, NULL, '{');
			out_str(o, "bridge", "%-15s", bridge);
			out_uint(o, "vlan", " %4llu ", v);
			out_open(o, "ports", '[');
			any = true;
		}
		out_open(o, NULL, '{');
		out_str(o, "ifname", " %s", ps[j].ifname);
		out_bool(o, "tagged", NULL, tagged);
		out_text(o, "(%s)", tagged ? "t" : "u");
		out_close(o, '}');
	}
	if (any) {
		out_close(o, ']');
		out_close(o, '}');
		out_text(o, "\n");
	}
	return any;
}

static int do_show_vlan(struct cmd_call *c)
{
	unsigned long only = cmd_num(c, "VID", 0);
	struct dp_port_vlan *pv = NULL;
	struct cfg_bridge *bs = NULL;
	struct cfg_port *ps = NULL;
	struct out *o = &c->s->out;
	int nb, np, i, j, shown = 0;
	unsigned int v;

	nb = store_bridges(sw->store, &bs);
	out_open(o, NULL, '[');
	out_text(o, "%-15s %4s  %s\n", "bridge", "vlan",
		 "ports (t: tagged, u: untagged)");
	for (i = 0; i < nb; i++) {
		np = store_ports(sw->store, bs[i].name, &ps);
		pv = calloc((size_t)(np > 0 ? np : 1), sizeof(*pv));
		for (j = 0; pv && j < np; j++) {
			port_vlan(&ps[j], &pv[j]);
			dp_vlan_add(&pv[j].allowed, pv[j].pvid);
		}
		for (v = 1; pv && v <= XBR_VID_MAX; v++)
			if ((!only || v == only) &&
			    vlan_show(o, bs[i].name, v, ps, pv, np))
				shown++;
		free(pv);
		free(ps);
		ps = NULL;
	}
	out_close(o, ']');
	free(bs);
	if (only && !shown)
		out_text(o, "(no port is in VLAN %lu)\n", only);
	return 0;
}

static const char *port_state(struct sw_bridge *br, const char *ifname,
			      struct dp_port_info *info)
{
	struct netlink_link l;
	int ifindex = (int)if_nametoindex(ifname);

	memset(info, 0, sizeof(*info));
	if (!ifindex || !br || dp_port_get(br->dp, ifindex, info) ||
	    !info->attached)
		return "absent";
	if (netlink_link_get(ifindex, &l))
		return "absent";
	return l.up && l.carrier ? "up" : "down";
}

/* A port's counters (show interfaces IFNAME counters). */
static void port_counters(struct out *o, const struct dp_port_counters *k)
{
	int r;

	out_uint(o, "rx_packets", "  rx %llu packets", k->s.rx_packets);
	out_uint(o, "rx_bytes", " %llu bytes", k->s.rx_bytes);
	out_uint(o, "tx_packets", ", tx %llu packets", k->s.tx_packets);
	out_uint(o, "tx_bytes", " %llu bytes\n", k->s.tx_bytes);
	out_uint(o, "flooded", "  flooded %llu", k->s.flooded);
	out_uint(o, "learned_total", ", learned %llu", k->s.learned);
	out_uint(o, "moved", ", moved %llu", k->s.moved);
	out_uint(o, "learn_refused", ", learn-refused %llu",
		 k->s.learn_refused);
	/* the text has aged before punted, JSON the other way round */
	out_uint(o, "punted", NULL, k->s.punted);
	out_uint(o, "aged", ", aged %llu", k->aged);
	out_uint(o, NULL, ", punted %llu\n", k->s.punted);
	out_open(o, "drops", '{');
	out_text(o, "  drops:");
	for (r = 1; r < XBR_DROP_MAX; r++) {
		out_text(o, " %s", dp_drop_reason_name(r));
		out_uint(o, dp_drop_reason_name(r), " %llu", k->s.drops[r]);
	}
	out_text(o, "\n");
	out_close(o, '}');
}

static void port_show(struct out *o, const struct cfg_port *p, bool counters)
{
	struct sw_bridge *br = sw_bridge_find(p->bridge);
	struct dp_port_counters k = { 0 };
	struct dp_port_info info;
	const char *state = port_state(br, p->ifname, &info);
	const char *xdp = !info.attached	       ? "none"
			  : info.mode == DP_XDP_NATIVE ? "native"
						       : "generic";
	char vlans[64];

	if (info.attached)
		dp_port_counters(br->dp, (int)info.ifindex, &k);
	port_vlans_text(p, vlans, sizeof(vlans));
	out_open(o, NULL, '{');
	out_str(o, "ifname", counters ? "%s" : "%-15s", p->ifname);
	out_str(o, "bridge", counters ? " (bridge %s)" : " %-15s", p->bridge);
	out_str(o, "state", counters ? " is %s\n" : " %-7s", state);
	out_str(o, "xdp", NULL, xdp);
	if (!counters) {
		out_str(o, NULL, " %-8s", info.attached ? xdp : "-");
		out_str(o, NULL, " %-24s", vlans);
	}
	out_str(o, "mode", NULL, p->trunk ? "trunk" : "access");
	if (p->trunk) {
		out_str(o, "allowed", NULL, p->allowed);
		out_uint(o, "native_vlan", NULL, p->native_vlan);
	} else {
		out_uint(o, "access_vlan", NULL, p->access_vlan);
	}
	out_str(o, "encapsulation", NULL,
		p->tpid == XBR_TPID_8021AD ? "dot1ad" : "dot1q");
	out_uint(o, "learn_limit", counters ? NULL : " %11llu", p->learn_limit);
	out_uint(o, "learned", counters ? NULL : " %8llu\n", k.fdb_entries);
	if (counters)
		port_counters(o, &k);
	out_close(o, '}');
}

static int do_show_interfaces(struct cmd_call *c)
{
	const char *only = cmd_arg(c, "IFNAME");
	bool counters = cmd_has(c, "counters");
	struct cfg_port *ps = NULL, one;
	struct out *o = &c->s->out;
	int n, i;

	if (only && store_port_get(sw->store, only, &one))
		return sw_say(c, -ENOENT, "%s is not a port", only);
	n = store_ports(sw->store, NULL, &ps);
	if (n < 0)
		return sw_say(c, -EIO, "%s", store_error(sw->store));
	out_open(o, NULL, '[');
	if (!counters)
		out_text(o, "%-15s %-15s %-7s %-8s %-24s %11s %8s\n",
			 "interface", "bridge", "state", "xdp", "vlans",
			 "learn-limit", "learned");
	for (i = 0; i < n; i++)
		if (!only || !strcmp(only, ps[i].ifname))
			port_show(o, &ps[i], counters);
	out_close(o, ']');
	free(ps);
	return 0;
}

static const struct cmd_def port_cmds[] = {
	SW_SHOW("interfaces [IFNAME] [counters]",
		"Bridge ports\nOnly this port\nTraffic counters",
		do_show_interfaces),
	SW_SHOW("vlan [VID]", "VLANs and their ports\nOnly this VLAN",
		do_show_vlan),
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
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME access vlan VID",
	  "A port\nInterface name\nAccess mode: one VLAN, untagged\nIn VLAN\n"
	  "VLAN id",
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME trunk allowed vlan VLANLIST",
	  "A port\nInterface name\nTrunk mode: VLANs tagged\n"
	  "The VLANs it carries\nVLANs\nAs 10,20,30-40, all or none",
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME trunk native vlan <VID|none>",
	  "A port\nInterface name\nTrunk mode: VLANs tagged\n"
	  "The VLAN it sends and takes untagged\nVLAN\nVLAN id\n"
	  "None: untagged frames are dropped",
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME encapsulation <dot1q|dot1ad>",
	  "A port\nInterface name\nThe tag protocol\n802.1Q (TPID 0x8100)\n"
	  "802.1ad (TPID 0x88a8): QinQ, a customer's tag is payload",
	  do_port_vlan },
};

SW_FEATURE(port, .config_bridge = ports_config,
	   .reconcile_remove = port_reconcile_remove,
	   .reconcile_add = port_reconcile_add);
