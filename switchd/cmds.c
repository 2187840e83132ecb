// SPDX-License-Identifier: GPL-2.0-only
/*
 * The commands of xbr: declared once here, with help for every token, for
 * the shell, one-shot commands and the startup file alike. Configuration
 * commands change the store and the datapath in one transaction.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "lib/log.h"
#include "lib/netlink.h"
#include "switchd/switchd.h"

#define ERRLEN 512

/* ---- helpers ---- */

static int say_err(struct cmd_call *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int say_err(struct cmd_call *c, int err, const char *fmt, ...)
{
	char buf[ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out_printf(&c->s->out, "%% %s\n", buf);
	return err;
}

static int store_failed(struct cmd_call *c)
{
	store_rollback(sw->store);
	return say_err(c, -EIO, "configuration store: %s",
		       store_error(sw->store));
}

/* Commit, or undo with the given function. */
static int commit(struct cmd_call *c)
{
	if (store_commit(sw->store))
		return store_failed(c);
	return 0;
}

/* The bridge a command is about: its own argument, the bridge mode's, or
 * the only bridge there is. */
static int which_bridge(struct cmd_call *c, struct cfg_bridge *b)
{
	const char *name = cmd_arg(c, "NAME");
	struct cfg_bridge *all = NULL;
	int n;

	if (!name && c->s->mode == MODE_BRIDGE)
		name = c->s->bridge;
	if (name) {
		if (store_bridge_get(sw->store, name, b))
			return say_err(c, -ENOENT, "no bridge named %s", name);
		return 0;
	}
	n = store_bridges(sw->store, &all);
	if (n == 1)
		*b = all[0];
	free(all);
	if (n == 1)
		return 0;
	return say_err(c, -EINVAL,
		       n ? "there are %d bridges: name one"
			 : "there is no bridge: create one first",
		       n);
}

static struct sw_bridge *open_bridge(struct cmd_call *c,
				     const struct cfg_bridge *b)
{
	struct sw_bridge *br = sw_bridge_find(b->name);
	char err[ERRLEN];

	if (!br && sw_bridge_open(b, &br, err, sizeof(err))) {
		say_err(c, -EIO, "bridge %s: %s", b->name, err);
		return NULL;
	}
	return br;
}

/* ---- modes ---- */

static int do_configure(struct cmd_call *c)
{
	c->s->mode = MODE_CONFIG;
	return 0;
}

static int do_exit(struct cmd_call *c)
{
	if (c->s->mode == MODE_BRIDGE)
		c->s->mode = MODE_CONFIG;
	else
		c->s->mode = MODE_EXEC;
	return 0;
}

static int do_end(struct cmd_call *c)
{
	c->s->mode = MODE_EXEC;
	return 0;
}

/* ---- bridges ---- */

static int do_bridge(struct cmd_call *c)
{
	const char *name = cmd_arg(c, "NAME");
	struct cfg_bridge b = { .ageing_time = CFG_DEFAULT_AGEING,
				.fdb_capacity = DP_DEFAULT_FDB_CAPACITY };
	char err[ERRLEN];
	bool created;
	int ret;

	if (store_begin(sw->store))
		return store_failed(c);
	/* fault 12: only "no such bridge" means a new one */
	ret = store_bridge_get(sw->store, name, &b);
	if (ret && ret != -ENOENT)
		return store_failed(c);
	created = ret == -ENOENT;
	if (created) {
		snprintf(b.name, sizeof(b.name), "%s", name);
		if (store_bridge_put(sw->store, &b))
			return store_failed(c);
		if (!c->s->boot && sw_bridge_open(&b, NULL, err, sizeof(err))) {
			store_rollback(sw->store);
			return say_err(c, -EIO, "bridge %s: %s", name, err);
		}
	}
	if (store_commit(sw->store)) {
		if (created && !c->s->boot)
			sw_bridge_destroy(name);
		return store_failed(c);
	}
	c->s->mode = MODE_BRIDGE;
	snprintf(c->s->bridge, sizeof(c->s->bridge), "%s", name);
	return 0;
}

static int do_no_bridge(struct cmd_call *c)
{
	const char *name = cmd_arg(c, "NAME");
	struct cfg_port *ps = NULL;
	int np, i;

	if (store_begin(sw->store))
		return store_failed(c);
	np = store_ports(sw->store, name, &ps);
	if (store_bridge_del(sw->store, name)) {
		store_rollback(sw->store);
		free(ps);
		return say_err(c, -ENOENT, "no bridge named %s", name);
	}
	if (commit(c)) {
		free(ps);
		return -EIO;
	}
	sw_bridge_destroy(name);
	for (i = 0; i < np; i++)
		sw_internal_delete(&ps[i]);
	free(ps);
	if (c->s->mode == MODE_BRIDGE && !strcmp(c->s->bridge, name))
		c->s->mode = MODE_CONFIG;
	return 0;
}

/* Set one uint32_t field of the bridge's settings (at offset off). */
static int set_bridge_value(struct cmd_call *c, size_t off, uint32_t value,
			    bool to_datapath)
{
	struct cfg_bridge b;
	struct sw_bridge *br;
	char err[ERRLEN];
	uint32_t old, *field;

	if (store_begin(sw->store))
		return store_failed(c);
	if (which_bridge(c, &b)) {
		store_rollback(sw->store);
		return -ENOENT;
	}
	field = (uint32_t *)((char *)&b + off);
	old = *field;
	*field = value;
	if (store_bridge_put(sw->store, &b))
		return store_failed(c);
	br = c->s->boot ? NULL : sw_bridge_find(b.name);
	if (to_datapath && br && sw_bridge_open(&b, NULL, err, sizeof(err))) {
		store_rollback(sw->store);
		return say_err(c, -EIO, "%s", err);
	}
	if (store_commit(sw->store)) {
		*field = old;
		if (to_datapath && br)
			sw_bridge_open(&b, NULL, err, sizeof(err));
		return store_failed(c);
	}
	return 0;
}

#define FIELD(name) offsetof(struct cfg_bridge, name)

static int do_ageing(struct cmd_call *c)
{
	unsigned long v = CFG_DEFAULT_AGEING;

	int ret;

	if (!cmd_has(c, "no"))
		cmd_parse_uint(cmd_arg(c, "ageing-time"), 10, 1000000, &v);
	ret = set_bridge_value(c, FIELD(ageing_time), (uint32_t)v, false);
	if (!ret && !c->s->boot)
		sw_arm_ageing();
	return ret;
}

static int do_bridge_learn_limit(struct cmd_call *c)
{
	unsigned long v = 0;

	if (!cmd_has(c, "no"))
		cmd_parse_uint(cmd_arg(c, "learn-limit"), 0, UINT32_MAX, &v);
	return set_bridge_value(c, FIELD(learn_limit), (uint32_t)v, true);
}

static int do_fdb_capacity(struct cmd_call *c)
{
	unsigned long v = DP_DEFAULT_FDB_CAPACITY;
	unsigned int rebuilds = sw->rebuilds;
	int ret;

	if (!cmd_has(c, "no"))
		cmd_parse_uint(cmd_arg(c, "fdb-capacity"), 1024, 1U << 24, &v);
	ret = set_bridge_value(c, FIELD(fdb_capacity), (uint32_t)v, true);
	/* A rebuilt datapath gets its ports and static entries back; a
	 * change that failed before the datapath touches nothing else
	 * (fault 12). */
	if (!c->s->boot && sw->rebuilds != rebuilds)
		sw_reconcile();
	return ret;
}

/* ---- the slow path ---- */

/* slow-path host-cpu N [control-cpu M] [queue Q] | no slow-path */
static int do_slow_path(struct cmd_call *c)
{
	struct sw_slowpath sp = { -1, -1, 256 };
	unsigned long v;
	char text[64], err[ERRLEN];

	if (!cmd_has(c, "no")) {
		cmd_parse_uint(cmd_arg(c, "host-cpu"), 0, 63, &v);
		sp.host_cpu = (int)v;
		if (!cmd_parse_uint(cmd_arg(c, "control-cpu"), 0, 63, &v))
			sp.ctl_cpu = (int)v;
		if (!cmd_parse_uint(cmd_arg(c, "queue"), 16, 16384, &v))
			sp.queue = (unsigned int)v;
	}
	snprintf(text, sizeof(text), "%d %d %u", sp.host_cpu, sp.ctl_cpu,
		 sp.queue);
	if (store_begin(sw->store) ||
	    store_meta_set(sw->store, "slowpath", text))
		return store_failed(c);
	if (!c->s->boot && sw_slowpath_apply(err, sizeof(err))) {
		store_rollback(sw->store);
		sw_slowpath_apply(text, sizeof(text)); /* as it was */
		return say_err(c, -EINVAL, "%s", err);
	}
	if (store_commit(sw->store)) {
		sw_slowpath_apply(text, sizeof(text));
		return store_failed(c);
	}
	return 0;
}

static int do_show_slow_path(struct cmd_call *c)
{
	struct out *o = &c->s->out;
	struct xbr_slow_stats one, sum;
	struct sw_slowpath sp;
	struct sw_bridge *b;
	int cpus[2], n = 0, i;

	sw_slowpath_get(&sp);
	out_json_open(o, NULL, '{');
	out_json_bool(o, "enabled", sp.host_cpu >= 0);
	if (sp.host_cpu < 0) {
		out_json_close(o, '}');
		if (!o->json)
			out_printf(
				o,
				"slow path: off (every frame is handled on the CPU that received it)\n");
		return 0;
	}
	out_json_uint(o, "host_cpu", (unsigned)sp.host_cpu);
	if (sp.ctl_cpu >= 0)
		out_json_uint(o, "control_cpu", (unsigned)sp.ctl_cpu);
	out_json_uint(o, "queue", sp.queue);
	if (!o->json) {
		out_printf(o, "slow path: host frames on CPU %d, ",
			   sp.host_cpu);
		if (sp.ctl_cpu >= 0)
			out_printf(o, "control frames on CPU %d", sp.ctl_cpu);
		else
			out_printf(o, "control frames on the receiving CPU");
		out_printf(o, ", queue %u\n%4s %12s %12s %12s\n", sp.queue,
			   "cpu", "host", "control", "dropped");
	}
	cpus[n++] = sp.host_cpu;
	if (sp.ctl_cpu >= 0)
		cpus[n++] = sp.ctl_cpu;
	out_json_open(o, "cpus", '[');
	for (i = 0; i < n; i++) {
		memset(&sum, 0, sizeof(sum));
		for (b = sw->bridges; b; b = b->next) {
			if (dp_slowpath_stats(b->dp, (__u32)cpus[i], &one))
				continue;
			sum.host += one.host;
			sum.control += one.control;
			sum.drops += one.drops;
		}
		out_json_open(o, NULL, '{');
		out_json_uint(o, "cpu", (unsigned)cpus[i]);
		out_json_uint(o, "host", sum.host);
		out_json_uint(o, "control", sum.control);
		out_json_uint(o, "dropped", sum.drops);
		out_json_close(o, '}');
		if (!o->json)
			out_printf(o, "%4d %12llu %12llu %12llu\n", cpus[i],
				   sum.host, sum.control, sum.drops);
	}
	out_json_close(o, ']');
	out_json_close(o, '}');
	return 0;
}

/* ---- ports ---- */

/*
 * Add a port or change its settings, as one transaction: the store, then
 * the datapath; if either fails, both stay as they were.
 */
static int port_apply(struct cmd_call *c, const struct cfg_port *p)
{
	struct dp_port_vlan check;
	struct cfg_port old;
	struct cfg_bridge b;
	struct sw_bridge *br;
	char err[ERRLEN];
	bool existed;
	int ret;

	if (sw_port_vlan(p, &check))
		return say_err(c, -EINVAL, "%s", dp_error());
	if (store_begin(sw->store))
		return store_failed(c);
	if (store_bridge_get(sw->store, p->bridge, &b)) {
		store_rollback(sw->store);
		return say_err(c, -ENOENT, "no bridge named %s", p->bridge);
	}
	existed = !store_port_get(sw->store, p->ifname, &old);
	if (existed && strcmp(old.bridge, p->bridge)) {
		store_rollback(sw->store);
		return say_err(c, -EBUSY, "%s is a port of bridge %s",
			       p->ifname, old.bridge);
	}
	if (!existed && !p->internal[0] &&
	    sw_port_refused(p->ifname, err, sizeof(err))) {
		store_rollback(sw->store);
		return say_err(c, -EINVAL, "%s", err);
	}
	if (store_port_put(sw->store, p))
		return store_failed(c);
	if (c->s->boot) /* the datapath follows by reconciliation */
		return commit(c);
	br = open_bridge(c, &b);
	if (!br) {
		store_rollback(sw->store);
		return -EIO;
	}
	ret = sw_port_attach(br, p, err, sizeof(err));
	if (ret) {
		store_rollback(sw->store);
		if (existed)
			sw_port_attach(br, &old, err, sizeof(err));
		if (ret == -ENODEV)
			return say_err(c, ret, "%s", err);
		return say_err(c, ret, "%s: %s", p->ifname, err);
	}
	if (store_commit(sw->store)) {
		if (existed)
			sw_port_attach(br, &old, err, sizeof(err));
		else
			sw_port_detach(br, p->ifname);
		return store_failed(c);
	}
	return 0;
}

/* The port's settings now, or those of a new port. */
static void port_current(const char *bridge, const char *ifname,
			 struct cfg_port *p)
{
	if (store_port_get(sw->store, ifname, p) || strcmp(p->bridge, bridge))
		cfg_port_default(p, bridge, ifname);
}

static int port_remove(struct cmd_call *c, const char *bridge,
		       const char *ifname)
{
	struct cfg_port p; /* what is removed (an internal pair too) */
	struct sw_bridge *br;

	if (store_begin(sw->store))
		return store_failed(c);
	if (store_port_get(sw->store, ifname, &p) || strcmp(p.bridge, bridge)) {
		store_rollback(sw->store);
		return say_err(c, -ENOENT, "%s is not a port of bridge %s",
			       ifname, bridge);
	}
	if (store_port_del(sw->store, ifname))
		return store_failed(c);
	if (commit(c))
		return -EIO;
	br = sw_bridge_find(bridge);
	if (br)
		sw_port_detach(br, ifname);
	if (br && p.internal[0]) {
		uint8_t mac[6];

		sw_internal_mac(&p, mac);
		dp_host_port_del(br->dp, mac);
	}
	sw_internal_delete(&p);
	return 0;
}

/* internal-port NAME [vlan VID]: a veth pair, NAME for the host and
 * NAME-br a port of this bridge, in VLAN VID (1) untagged. */
static int do_internal_port(struct cmd_call *c)
{
	const char *name = cmd_arg(c, "IFNAME");
	unsigned long vid = 1;
	char side[IF_NAMESIZE];
	struct cfg_port p;

	if (strlen(name) > CFG_INTERNAL_NAME_MAX)
		return say_err(
			c, -EINVAL,
			"an internal port's name has %d characters at most",
			CFG_INTERNAL_NAME_MAX);
	snprintf(side, sizeof(side), "%s" CFG_INTERNAL_SUFFIX, name);
	cmd_parse_uint(cmd_arg(c, "VID"), 1, XBR_VID_MAX, &vid);
	port_current(c->s->bridge, side, &p);
	snprintf(p.internal, sizeof(p.internal), "%s", name);
	/* fault 6: the pair this daemon made (a saved configuration loaded
	 * again) is no other interface */
	if (!sw_internal_own(&p) &&
	    (if_nametoindex(name) || if_nametoindex(side)))
		return say_err(c, -EEXIST,
			       "an interface named %s or %s exists already",
			       name, side);
	p.trunk = false;
	p.access_vlan = (uint16_t)vid;
	return port_apply(c, &p);
}

static int do_no_internal_port(struct cmd_call *c)
{
	const char *name = cmd_arg(c, "IFNAME");
	char side[IF_NAMESIZE];
	struct cfg_port p;

	snprintf(side, sizeof(side), "%.*s" CFG_INTERNAL_SUFFIX,
		 CFG_INTERNAL_NAME_MAX, name);
	if (store_port_get(sw->store, side, &p) || strcmp(p.internal, name) ||
	    strcmp(p.bridge, c->s->bridge))
		return say_err(c, -ENOENT, "no internal port %s in bridge %s",
			       name, c->s->bridge);
	return port_remove(c, c->s->bridge, side);
}

static int do_port(struct cmd_call *c)
{
	unsigned long limit;
	struct cfg_port p;

	port_current(c->s->bridge, cmd_arg(c, "IFNAME"), &p);
	/* fault 10: without learn-limit, the port keeps its own */
	if (!cmd_parse_uint(cmd_arg(c, "learn-limit"), 0, UINT32_MAX, &limit))
		p.learn_limit = (uint32_t)limit;
	return port_apply(c, &p);
}

/* port IFNAME access vlan | trunk allowed vlan | trunk native vlan |
 * encapsulation */
static int do_port_vlan(struct cmd_call *c)
{
	const char *list = cmd_arg(c, "VLANLIST");
	struct xbr_vlan_set set;
	unsigned long vid = 0;
	struct cfg_port p;

	port_current(c->s->bridge, cmd_arg(c, "IFNAME"), &p);
	cmd_parse_uint(cmd_arg(c, "VID"), 1, XBR_VID_MAX, &vid);
	if (cmd_has(c, "access")) {
		p.trunk = false;
		p.access_vlan = (uint16_t)vid;
	} else if (cmd_has(c, "allowed")) {
		p.trunk = true;
		p.allowed[0] = '\0';
		if (strcmp(list, "none")) {
			dp_vlan_list_parse(list, &set);
			dp_vlan_list_format(&set, p.allowed, sizeof(p.allowed));
		}
	} else if (cmd_has(c, "native")) {
		p.trunk = true;
		p.native_vlan = (uint16_t)vid; /* 0 for "none" */
	} else {
		p.tpid =
			cmd_has(c, "dot1ad") ? XBR_TPID_8021AD : XBR_TPID_8021Q;
	}
	return port_apply(c, &p);
}

static int do_no_port(struct cmd_call *c)
{
	return port_remove(c, c->s->bridge, cmd_arg(c, "IFNAME"));
}

/* exec: bridge [NAME] port add|remove IFNAME, for scripts */
static int do_exec_port(struct cmd_call *c)
{
	struct cfg_bridge b;
	struct cfg_port p;

	if (which_bridge(c, &b))
		return -ENOENT;
	if (cmd_has(c, "remove"))
		return port_remove(c, b.name, cmd_arg(c, "IFNAME"));
	port_current(b.name, cmd_arg(c, "IFNAME"), &p);
	return port_apply(c, &p);
}

/* ---- static MAC entries ---- */

static int do_mac_static(struct cmd_call *c)
{
	struct cfg_mac m = { 0 };
	struct cfg_port p;
	struct sw_bridge *br;
	unsigned long vid;
	int ifindex;

	snprintf(m.bridge, sizeof(m.bridge), "%s", c->s->bridge);
	dp_mac_parse(cmd_arg(c, "MAC"), m.mac);
	cmd_parse_uint(cmd_arg(c, "VID"), 1, XBR_VID_MAX, &vid);
	m.vid = (uint16_t)vid;
	snprintf(m.ifname, sizeof(m.ifname), "%s", cmd_arg(c, "IFNAME"));
	if (m.mac[0] & 1)
		return say_err(c, -EINVAL, "%s is a multicast address",
			       cmd_arg(c, "MAC"));
	if (store_begin(sw->store))
		return store_failed(c);
	if (store_port_get(sw->store, m.ifname, &p) ||
	    strcmp(p.bridge, m.bridge)) {
		store_rollback(sw->store);
		return say_err(c, -ENOENT, "%s is not a port of bridge %s",
			       m.ifname, m.bridge);
	}
	if (store_mac_put(sw->store, &m))
		return store_failed(c);
	br = c->s->boot ? NULL : sw_bridge_find(m.bridge);
	ifindex = (int)if_nametoindex(m.ifname);
	if (br && ifindex && dp_fdb_add_static(br->dp, m.mac, m.vid, ifindex)) {
		store_rollback(sw->store);
		return say_err(c, -EIO, "%s", dp_error());
	}
	if (store_commit(sw->store)) {
		if (br && ifindex)
			dp_fdb_del(br->dp, m.mac, m.vid);
		return store_failed(c);
	}
	return 0;
}

static int do_no_mac_static(struct cmd_call *c)
{
	struct sw_bridge *br;
	unsigned long vid;
	uint8_t mac[6];

	dp_mac_parse(cmd_arg(c, "MAC"), mac);
	cmd_parse_uint(cmd_arg(c, "VID"), 1, XBR_VID_MAX, &vid);
	if (store_begin(sw->store))
		return store_failed(c);
	if (store_mac_del(sw->store, c->s->bridge, mac, (uint16_t)vid)) {
		store_rollback(sw->store);
		return say_err(c, -ENOENT, "no static entry %s in VLAN %lu",
			       cmd_arg(c, "MAC"), vid);
	}
	if (commit(c))
		return -EIO;
	br = sw_bridge_find(c->s->bridge);
	if (br)
		dp_fdb_del(br->dp, mac, (uint16_t)vid);
	return 0;
}

/* ---- the MAC table ---- */

/* [bridge NAME] [vlan VID] [interface IFNAME] of show and clear. */
static int mac_filter(struct cmd_call *c, const char **bridge,
		      struct dp_fdb_filter *f)
{
	const char *ifname = cmd_arg(c, "interface");
	unsigned long vid = 0;

	*bridge = cmd_arg(c, "bridge");
	cmd_parse_uint(cmd_arg(c, "vlan"), 1, XBR_VID_MAX, &vid);
	f->vid = (__u16)vid;
	if (ifname) {
		f->ifindex = (int)if_nametoindex(ifname);
		if (!f->ifindex)
			return say_err(c, -ENODEV, "no interface named %s",
				       ifname);
	}
	if (*bridge && !sw_bridge_find(*bridge))
		return say_err(c, -ENOENT, "no bridge named %s", *bridge);
	return 0;
}

static int do_clear_mac(struct cmd_call *c)
{
	struct dp_fdb_filter f = { 0 };
	const char *bridge;
	struct sw_bridge *b;
	int n, total = 0, err;

	err = mac_filter(c, &bridge, &f);
	if (err)
		return err;
	for (b = sw->bridges; b; b = b->next) {
		if (bridge && strcmp(bridge, b->name))
			continue;
		n = dp_fdb_flush(b->dp, &f);
		if (n < 0)
			return say_err(c, n, "%s", dp_error());
		total += n;
	}
	out_printf(&c->s->out, "%d dynamic %s cleared\n", total,
		   total == 1 ? "entry" : "entries");
	return 0;
}

/* ---- show ---- */

static int do_show_version(struct cmd_call *c)
{
	struct out *o = &c->s->out;

	out_json_open(o, NULL, '{');
	out_json_str(o, "version", PACKAGE_VERSION);
	out_json_close(o, '}');
	if (!o->json)
		out_printf(o, "xbr %s: XDP Ethernet switch\n", PACKAGE_VERSION);
	return 0;
}

static int do_show_bridge(struct cmd_call *c)
{
	const char *only = cmd_arg(c, "NAME");
	struct cfg_bridge *bs = NULL;
	struct cfg_port *ps = NULL;
	struct out *o = &c->s->out;
	struct sw_bridge *br;
	int n, i, np, shown = 0;

	n = store_bridges(sw->store, &bs);
	if (n < 0)
		return say_err(c, -EIO, "%s", store_error(sw->store));
	out_json_open(o, NULL, '[');
	if (!o->json)
		out_printf(o, "%-15s %5s %7s %11s %14s %10s\n", "bridge",
			   "ports", "ageing", "learn-limit", "learned",
			   "capacity");
	for (i = 0; i < n; i++) {
		if (only && strcmp(only, bs[i].name))
			continue;
		shown++;
		br = sw_bridge_find(bs[i].name);
		np = store_ports(sw->store, bs[i].name, &ps);
		free(ps);
		out_json_open(o, NULL, '{');
		out_json_str(o, "name", bs[i].name);
		out_json_uint(o, "ports", (unsigned)np);
		out_json_uint(o, "ageing_time", bs[i].ageing_time);
		out_json_uint(o, "learn_limit", bs[i].learn_limit);
		out_json_uint(o, "learned", br ? dp_bridge_learned(br->dp) : 0);
		out_json_uint(o, "fdb_capacity",
			      br ? dp_fdb_capacity(br->dp)
				 : bs[i].fdb_capacity);
		out_json_close(o, '}');
		if (!o->json)
			out_printf(o, "%-15s %5d %7u %11u %14llu %10u\n",
				   bs[i].name, np, bs[i].ageing_time,
				   bs[i].learn_limit,
				   br ? dp_bridge_learned(br->dp) : 0ULL,
				   br ? dp_fdb_capacity(br->dp)
				      : bs[i].fdb_capacity);
	}
	out_json_close(o, ']');
	free(bs);
	if (only && !shown)
		return say_err(c, -ENOENT, "no bridge named %s", only);
	return 0;
}

/* "access 10", "trunk 10,20 native 1", with " dot1ad" for 802.1ad. */
static void port_vlans_text(const struct cfg_port *p, char *buf, size_t len)
{
	const char *ad = p->tpid == XBR_TPID_8021AD ? " dot1ad" : "";

	if (p->internal[0])
		snprintf(buf, len, "access %u internal", p->access_vlan);
	else if (!p->trunk)
		snprintf(buf, len, "access %u%s", p->access_vlan, ad);
	else if (p->native_vlan)
		snprintf(buf, len, "trunk %s native %u%s",
			 p->allowed[0] ? p->allowed : "none", p->native_vlan,
			 ad);
	else
		snprintf(buf, len, "trunk %s%s",
			 p->allowed[0] ? p->allowed : "none", ad);
}

static int do_show_vlan(struct cmd_call *c)
{
	struct dp_port_vlan *pv = NULL;
	struct cfg_bridge *bs = NULL;
	struct cfg_port *ps = NULL;
	struct out *o = &c->s->out;
	unsigned long only = 0;
	int nb, np, i, j, shown = 0;
	unsigned int v;
	bool any;

	cmd_parse_uint(cmd_arg(c, "VID"), 1, XBR_VID_MAX, &only);
	nb = store_bridges(sw->store, &bs);
	out_json_open(o, NULL, '[');
	if (!o->json)
		out_printf(o, "%-15s %4s  %s\n", "bridge", "vlan",
			   "ports (t: tagged, u: untagged)");
	for (i = 0; i < nb; i++) {
		np = store_ports(sw->store, bs[i].name, &ps);
		pv = calloc((size_t)(np > 0 ? np : 1), sizeof(*pv));
		for (j = 0; pv && j < np; j++) {
			sw_port_vlan(&ps[j], &pv[j]);
			dp_vlan_add(&pv[j].allowed, pv[j].pvid);
		}
		for (v = 1; pv && v <= XBR_VID_MAX; v++) {
			if (only && v != only)
				continue;
			any = false;
			for (j = 0; j < np; j++) {
				bool tagged = pv[j].trunk && v != pv[j].pvid;

				if (!dp_vlan_has(&pv[j].allowed, (__u16)v))
					continue;
				if (!any) {
					out_json_open(o, NULL, '{');
					out_json_str(o, "bridge", bs[i].name);
					out_json_uint(o, "vlan", v);
					out_json_open(o, "ports", '[');
					if (!o->json)
						out_printf(o, "%-15s %4u ",
							   bs[i].name, v);
					any = true;
					shown++;
				}
				out_json_open(o, NULL, '{');
				out_json_str(o, "ifname", ps[j].ifname);
				out_json_bool(o, "tagged", tagged);
				out_json_close(o, '}');
				if (!o->json)
					out_printf(o, " %s(%s)", ps[j].ifname,
						   tagged ? "t" : "u");
			}
			if (any) {
				out_json_close(o, ']');
				out_json_close(o, '}');
				if (!o->json)
					out_printf(o, "\n");
			}
		}
		free(pv);
		free(ps);
		ps = NULL;
	}
	out_json_close(o, ']');
	free(bs);
	if (only && !shown && !o->json)
		out_printf(o, "(no port is in VLAN %lu)\n", only);
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

static int do_show_interfaces(struct cmd_call *c)
{
	const char *only = cmd_arg(c, "IFNAME");
	bool counters = cmd_has(c, "counters");
	struct cfg_port *ps = NULL, one;
	struct out *o = &c->s->out;
	struct dp_port_counters k;
	struct dp_port_info info;
	struct sw_bridge *br;
	const char *state;
	int n, i, r;

	if (only && store_port_get(sw->store, only, &one))
		return say_err(c, -ENOENT, "%s is not a port", only);
	n = store_ports(sw->store, NULL, &ps);
	if (n < 0)
		return say_err(c, -EIO, "%s", store_error(sw->store));
	out_json_open(o, NULL, '[');
	if (!o->json && !counters)
		out_printf(o, "%-15s %-15s %-7s %-8s %-24s %11s %8s\n",
			   "interface", "bridge", "state", "xdp", "vlans",
			   "learn-limit", "learned");
	for (i = 0; i < n; i++) {
		if (only && strcmp(only, ps[i].ifname))
			continue;
		br = sw_bridge_find(ps[i].bridge);
		state = port_state(br, ps[i].ifname, &info);
		memset(&k, 0, sizeof(k));
		if (info.attached)
			dp_port_counters(br->dp, (int)info.ifindex, &k);
		out_json_open(o, NULL, '{');
		out_json_str(o, "ifname", ps[i].ifname);
		out_json_str(o, "bridge", ps[i].bridge);
		out_json_str(o, "state", state);
		out_json_str(o, "xdp",
			     !info.attached		  ? "none"
			     : info.mode == DP_XDP_NATIVE ? "native"
							  : "generic");
		out_json_str(o, "mode", ps[i].trunk ? "trunk" : "access");
		if (ps[i].trunk) {
			out_json_str(o, "allowed", ps[i].allowed);
			out_json_uint(o, "native_vlan", ps[i].native_vlan);
		} else {
			out_json_uint(o, "access_vlan", ps[i].access_vlan);
		}
		out_json_str(o, "encapsulation",
			     ps[i].tpid == XBR_TPID_8021AD ? "dot1ad"
							   : "dot1q");
		out_json_uint(o, "learn_limit", ps[i].learn_limit);
		out_json_uint(o, "learned", k.fdb_entries);
		if (counters) {
			out_json_uint(o, "rx_packets", k.s.rx_packets);
			out_json_uint(o, "rx_bytes", k.s.rx_bytes);
			out_json_uint(o, "tx_packets", k.s.tx_packets);
			out_json_uint(o, "tx_bytes", k.s.tx_bytes);
			out_json_uint(o, "flooded", k.s.flooded);
			out_json_uint(o, "learned_total", k.s.learned);
			out_json_uint(o, "moved", k.s.moved);
			out_json_uint(o, "learn_refused", k.s.learn_refused);
			out_json_uint(o, "punted", k.s.punted);
			out_json_uint(o, "aged", k.aged);
			out_json_open(o, "drops", '{');
			for (r = 1; r < XBR_DROP_MAX; r++)
				out_json_uint(o, dp_drop_reason_name(r),
					      k.s.drops[r]);
			out_json_close(o, '}');
		}
		out_json_close(o, '}');
		if (o->json)
			continue;
		if (!counters) {
			char vlans[64];

			port_vlans_text(&ps[i], vlans, sizeof(vlans));
			out_printf(o,
				   "%-15s %-15s %-7s %-8s %-24s %11u %8llu\n",
				   ps[i].ifname, ps[i].bridge, state,
				   !info.attached		? "-"
				   : info.mode == DP_XDP_NATIVE ? "native"
								: "generic",
				   vlans, ps[i].learn_limit, k.fdb_entries);
			continue;
		}
		out_printf(o, "%s (bridge %s) is %s\n", ps[i].ifname,
			   ps[i].bridge, state);
		out_printf(
			o,
			"  rx %llu packets %llu bytes, tx %llu packets %llu bytes\n",
			k.s.rx_packets, k.s.rx_bytes, k.s.tx_packets,
			k.s.tx_bytes);
		out_printf(
			o,
			"  flooded %llu, learned %llu, moved %llu, learn-refused %llu, aged %llu, punted %llu\n",
			k.s.flooded, k.s.learned, k.s.moved, k.s.learn_refused,
			k.aged, k.s.punted);
		out_printf(o, "  drops:");
		for (r = 1; r < XBR_DROP_MAX; r++)
			out_printf(o, " %s %llu", dp_drop_reason_name(r),
				   k.s.drops[r]);
		out_printf(o, "\n");
	}
	out_json_close(o, ']');
	free(ps);
	return 0;
}

/*
 * The MAC table is collected (entries that pass the filter, from every
 * bridge), sorted, and written a part at a time as the client takes it.
 */
#define MAC_PART 2048 /* lines a part */

struct mac_item {
	struct dp_fdb_entry e;
	__u32 bridge; /* index into names */
};

struct mac_stream {
	const struct dp_fdb_filter *f;
	char (*names)[DP_BRIDGE_NAME_MAX + 1];
	struct mac_item *items;
	size_t n, cap, next;
	__u32 cur; /* bridge being collected */
};

static int mac_collect(const struct dp_fdb_entry *e, void *ctx)
{
	struct mac_stream *m = ctx;
	struct mac_item *grown;

	if ((m->f->ifindex && (int)e->ifindex != m->f->ifindex) ||
	    (m->f->vid && e->vid != m->f->vid))
		return 0;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		grown = realloc(m->items, m->cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		m->items = grown;
	}
	m->items[m->n].e = *e;
	m->items[m->n].bridge = m->cur;
	m->n++;
	return 0;
}

/* By bridge, VLAN, then MAC, as a switch lists its table. */
static int mac_cmp(const void *a, const void *b)
{
	const struct mac_item *x = a, *y = b;

	if (x->bridge != y->bridge)
		return x->bridge < y->bridge ? -1 : 1;
	if (x->e.vid != y->e.vid)
		return x->e.vid < y->e.vid ? -1 : 1;
	return memcmp(x->e.mac, y->e.mac, 6);
}

/* In place (glibc's qsort would allocate a copy of the whole table). */
static void mac_sort(struct mac_item *a, size_t n)
{
	struct mac_item t;
	size_t start, end, root, child;

	for (start = n / 2; n > 1 && start-- > 0;) {
		for (root = start; (child = 2 * root + 1) < n; root = child) {
			if (child + 1 < n &&
			    mac_cmp(&a[child], &a[child + 1]) < 0)
				child++;
			if (mac_cmp(&a[root], &a[child]) >= 0)
				break;
			t = a[root], a[root] = a[child], a[child] = t;
		}
	}
	for (end = n; end > 1;) {
		end--;
		t = a[0], a[0] = a[end], a[end] = t;
		for (root = 0; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end &&
			    mac_cmp(&a[child], &a[child + 1]) < 0)
				child++;
			if (mac_cmp(&a[root], &a[child]) >= 0)
				break;
			t = a[root], a[root] = a[child], a[child] = t;
		}
	}
}

static void mac_print(struct out *o, const char *bridge,
		      const struct dp_fdb_entry *e)
{
	bool is_static = e->flags & XBR_FDB_F_STATIC;
	const char *type = e->flags & XBR_FDB_F_LOCAL ? "local"
			   : is_static		      ? "static"
						      : "dynamic";
	char mac[18], ifname[IF_NAMESIZE];

	dp_mac_format(e->mac, mac);
	if (!if_indextoname(e->ifindex, ifname))
		snprintf(ifname, sizeof(ifname), "#%u", e->ifindex);
	if (o->json) {
		out_json_open(o, NULL, '{');
		out_json_str(o, "mac", mac);
		out_json_str(o, "ifname", ifname);
		out_json_uint(o, "vlan", e->vid);
		out_json_open(o, "flags", '[');
		if (is_static)
			out_json_str(o, NULL, "static");
		if (e->flags & XBR_FDB_F_LOCAL)
			out_json_str(o, NULL, "local");
		out_json_close(o, ']');
		out_json_str(o, "master", bridge);
		out_json_str(o, "state", type);
		if (!is_static)
			out_json_uint(o, "age", e->age_ns / 1000000000ULL);
		out_json_close(o, '}');
	} else if (is_static) {
		out_printf(o, "%-15s %4u  %-17s  %-7s  %-15s %6s\n", bridge,
			   e->vid, mac, type, ifname, "-");
	} else {
		out_printf(o, "%-15s %4u  %-17s  %-7s  %-15s %6llu\n", bridge,
			   e->vid, mac, "dynamic", ifname,
			   e->age_ns / 1000000000ULL);
	}
}

static void mac_stream_free(void *ctx)
{
	struct mac_stream *m = ctx;

	free(m->items);
	free(m->names);
	free(m);
}

/* The next part of the table; false after the last. */
static bool mac_more(struct cmd_session *s)
{
	struct mac_stream *m = s->more_ctx;
	struct out *o = &s->out;
	size_t end = m->next + MAC_PART;

	for (; m->next < m->n && m->next < end; m->next++)
		mac_print(o, m->names[m->items[m->next].bridge],
			  &m->items[m->next].e);
	if (m->next < m->n)
		return true;
	out_json_close(o, ']');
	if (o->json)
		out_printf(o, "\n");
	else
		out_printf(o, "%zu %s\n", m->n,
			   m->n == 1 ? "entry" : "entries");
	return false;
}

static int do_show_mac(struct cmd_call *c)
{
	bool count = cmd_has(c, "count");
	struct dp_fdb_filter f = { 0 };
	struct out *o = &c->s->out;
	struct mac_stream *m;
	const char *bridge;
	struct sw_bridge *b;
	__u32 nb = 0;
	int err;

	err = mac_filter(c, &bridge, &f);
	if (err)
		return err;
	for (b = sw->bridges; b; b = b->next)
		nb++;
	m = calloc(1, sizeof(*m));
	if (m)
		m->names = calloc(nb ? nb : 1, sizeof(*m->names));
	if (!m || !m->names) {
		free(m);
		return say_err(c, -ENOMEM, "out of memory");
	}
	/* Room for every entry there can be, reserved once: untouched pages
	 * of a large allocation cost no memory, and no realloc doubles it. */
	for (b = sw->bridges; b; b = b->next)
		if (!bridge || !strcmp(bridge, b->name))
			m->cap += dp_fdb_capacity(b->dp);
	m->items = malloc((m->cap ? m->cap : 1) * sizeof(*m->items));
	if (!m->items) {
		mac_stream_free(m);
		return say_err(c, -ENOMEM, "out of memory");
	}
	m->f = &f;
	for (b = sw->bridges; b; b = b->next, m->cur++) {
		snprintf(m->names[m->cur], sizeof(m->names[m->cur]), "%s",
			 b->name);
		if (bridge && strcmp(bridge, b->name))
			continue;
		err = dp_fdb_dump(b->dp, mac_collect, m);
		if (err) {
			mac_stream_free(m);
			return say_err(c, -EIO, "%s",
				       err == -ENOMEM ? "out of memory"
						      : dp_error());
		}
	}
	m->f = NULL;
	if (count) {
		out_json_open(o, NULL, '{');
		out_json_uint(o, "count", m->n);
		out_json_close(o, '}');
		if (!o->json)
			out_printf(o, "%zu %s\n", m->n,
				   m->n == 1 ? "entry" : "entries");
		mac_stream_free(m);
		return 0;
	}
	mac_sort(m->items, m->n);
	out_json_open(o, NULL, '[');
	if (!o->json)
		out_printf(o, "%-15s %4s  %-17s  %-7s  %-15s %6s\n", "bridge",
			   "vlan", "mac", "type", "interface", "age");
	/* The first part now; the socket asks for the rest. */
	c->s->more = mac_more;
	c->s->more_ctx = m;
	c->s->more_free = mac_stream_free;
	if (!mac_more(c->s))
		cmd_more_cancel(c->s);
	return 0;
}

/* A port's lines of the running config: only what is not the default. */
static void port_config(struct out *o, const struct cfg_port *p)
{
	if (p->internal[0]) {
		out_printf(o, " internal-port %s", p->internal);
		if (p->access_vlan != 1)
			out_printf(o, " vlan %u", p->access_vlan);
		out_printf(o, "\n");
		return;
	}
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
	if (p->trunk && p->native_vlan != 1) {
		if (p->native_vlan)
			out_printf(o, " port %s trunk native vlan %u\n",
				   p->ifname, p->native_vlan);
		else
			out_printf(o, " port %s trunk native vlan none\n",
				   p->ifname);
	}
	if (p->tpid == XBR_TPID_8021AD)
		out_printf(o, " port %s encapsulation dot1ad\n", p->ifname);
}

void cmds_running_config(struct out *o)
{
	struct cfg_bridge *bs = NULL;
	struct cfg_port *ps = NULL;
	struct cfg_mac *ms = NULL;
	char mac[18];
	int nb, np, nm, i, j;

	out_printf(o, "! xbr running configuration\n!\n");
	{
		struct sw_slowpath sp;

		sw_slowpath_get(&sp);
		if (sp.host_cpu >= 0) {
			out_printf(o, "slow-path host-cpu %d", sp.host_cpu);
			if (sp.ctl_cpu >= 0)
				out_printf(o, " control-cpu %d", sp.ctl_cpu);
			out_printf(o, " queue %u\n!\n", sp.queue);
		}
	}
	nb = store_bridges(sw->store, &bs);
	for (i = 0; i < nb; i++) {
		out_printf(o, "bridge %s\n", bs[i].name);
		if (bs[i].ageing_time != CFG_DEFAULT_AGEING)
			out_printf(o, " ageing-time %u\n", bs[i].ageing_time);
		if (bs[i].learn_limit)
			out_printf(o, " learn-limit %u\n", bs[i].learn_limit);
		if (bs[i].fdb_capacity != DP_DEFAULT_FDB_CAPACITY)
			out_printf(o, " fdb-capacity %u\n", bs[i].fdb_capacity);
		np = store_ports(sw->store, bs[i].name, &ps);
		for (j = 0; j < np; j++)
			port_config(o, &ps[j]);
		free(ps);
		ps = NULL;
		nm = store_macs(sw->store, bs[i].name, &ms);
		for (j = 0; j < nm; j++) {
			dp_mac_format(ms[j].mac, mac);
			out_printf(o, " mac static %s vlan %u interface %s\n",
				   mac, ms[j].vid, ms[j].ifname);
		}
		free(ms);
		ms = NULL;
		out_printf(o, " exit\n!\n");
	}
	free(bs);
	out_printf(o, "end\n");
}

static int do_show_running(struct cmd_call *c)
{
	cmds_running_config(&c->s->out);
	return 0;
}

static int do_show_startup(struct cmd_call *c)
{
	char buf[4096];
	ssize_t n;
	int fd = open(sw->startup_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return say_err(c, -errno, "no startup configuration (%s: %s)",
			       sw->startup_path, strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		out_printf(&c->s->out, "%.*s", (int)n, buf);
	close(fd);
	return 0;
}

/* Replace the startup file atomically: temporary file, fsync, rename. */
static int do_write_memory(struct cmd_call *c)
{
	struct out cfg = { 0 };
	char tmp[4096], *slash;
	int fd, err = 0;

	cmds_running_config(&cfg);
	snprintf(tmp, sizeof(tmp), "%s", sw->startup_path);
	slash = strrchr(tmp, '/');
	if (slash && slash != tmp) {
		*slash = '\0';
		mkdir(tmp, 0755);
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", sw->startup_path, getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	if (write(fd, cfg.buf, cfg.len) != (ssize_t)cfg.len || fsync(fd))
		err = -errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, sw->startup_path))
		err = -errno;
	if (err)
		unlink(tmp);
out:
	out_free(&cfg);
	if (err)
		return say_err(c, err, "cannot write %s: %s", sw->startup_path,
			       strerror(-err));
	out_printf(&c->s->out, "Saved the running configuration to %s\n",
		   sw->startup_path);
	return 0;
}

/* ---- the table ---- */

static const struct cmd_def commands[] = {
	/* exec */
	{ MODE_BIT(MODE_EXEC), "configure [terminal]",
	  "Enter configuration mode\nFrom this terminal", do_configure },
	{ MODE_BIT(MODE_EXEC), "show version",
	  "Show information\nThe version of xbr", do_show_version },
	{ MODE_BIT(MODE_EXEC), "show bridge [NAME]",
	  "Show information\nBridges\nOnly this bridge", do_show_bridge },
	{ MODE_BIT(MODE_EXEC), "show interfaces [IFNAME] [counters]",
	  "Show information\nBridge ports\nOnly this port\nTraffic counters",
	  do_show_interfaces },
	{ MODE_BIT(MODE_EXEC),
	  "show mac address-table [bridge NAME] [vlan VID] [interface IFNAME] [count]",
	  "Show information\nMAC address information\nThe MAC address table\n"
	  "Only one bridge\nBridge name\nOnly one VLAN\nVLAN id\n"
	  "Only one port\nInterface name\nHow many entries, not the entries",
	  do_show_mac },
	{ MODE_BIT(MODE_EXEC), "show vlan [VID]",
	  "Show information\nVLANs and their ports\nOnly this VLAN",
	  do_show_vlan },
	{ MODE_BIT(MODE_EXEC), "show slow-path",
	  "Show information\nThe slow path: its CPUs and what each handled",
	  do_show_slow_path },
	{ MODE_BIT(MODE_EXEC), "show running-config",
	  "Show information\nThe configuration in force", do_show_running },
	{ MODE_BIT(MODE_EXEC), "show startup-config",
	  "Show information\nThe configuration read at boot", do_show_startup },
	{ MODE_BIT(MODE_EXEC),
	  "clear mac address-table dynamic [bridge NAME] [vlan VID] [interface IFNAME]",
	  "Reset information\nMAC address information\nThe MAC address table\n"
	  "Learned entries (static ones stay)\nOnly one bridge\nBridge name\n"
	  "Only one VLAN\nVLAN id\nOnly one port\nInterface name",
	  do_clear_mac },
	{ MODE_BIT(MODE_EXEC), "write memory",
	  "Save information\nSave the running config as the startup config",
	  do_write_memory },
	{ MODE_BIT(MODE_EXEC), "copy running-config startup-config",
	  "Copy a configuration\nThe configuration in force\n"
	  "The configuration read at boot",
	  do_write_memory },
	{ MODE_BIT(MODE_EXEC), "bridge port add IFNAME",
	  "Bridge operations\nBridge ports (of the only bridge)\nAdd a port\n"
	  "Interface name",
	  do_exec_port },
	{ MODE_BIT(MODE_EXEC), "bridge port remove IFNAME",
	  "Bridge operations\nBridge ports (of the only bridge)\n"
	  "Remove a port\nInterface name",
	  do_exec_port },
	{ MODE_BIT(MODE_EXEC), "bridge NAME port add IFNAME",
	  "Bridge operations\nBridge name\nBridge ports\nAdd a port\n"
	  "Interface name",
	  do_exec_port },
	{ MODE_BIT(MODE_EXEC), "bridge NAME port remove IFNAME",
	  "Bridge operations\nBridge name\nBridge ports\nRemove a port\n"
	  "Interface name",
	  do_exec_port },
	{ MODE_BIT(MODE_EXEC), "exit", "Leave the shell", do_exit },
	{ MODE_BIT(MODE_EXEC), "quit", "Leave the shell", do_exit },

	/* config */
	{ MODE_BIT(MODE_CONFIG), "bridge NAME",
	  "Configure a bridge (created if new)\nBridge name", do_bridge },
	{ MODE_BIT(MODE_CONFIG),
	  "slow-path host-cpu (0-63) [control-cpu (0-63)] [queue (16-16384)]",
	  "Frames for the host and control frames to CPUs of their own\n"
	  "The CPU that delivers frames for the host (internal ports)\nCPU\n"
	  "The CPU for control frames (without: the receiving CPU)\nCPU\n"
	  "The length of each CPU's queue (default 256)\nFrames",
	  do_slow_path },
	{ MODE_BIT(MODE_CONFIG), "no slow-path",
	  "Remove configuration\nThe slow path: every frame on its receiving CPU",
	  do_slow_path },
	{ MODE_BIT(MODE_CONFIG), "no bridge NAME",
	  "Remove configuration\nA bridge, its ports and its datapath\n"
	  "Bridge name",
	  do_no_bridge },

	/* bridge */
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME [learn-limit (0-4294967295)]",
	  "Add a port, or set its options\nInterface name\n"
	  "Most learned MAC entries on the port\nEntries (0: no limit)",
	  do_port },
	{ MODE_BIT(MODE_BRIDGE), "no port IFNAME",
	  "Remove configuration\nA port\nInterface name", do_no_port },
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME access vlan VID",
	  "A port\nInterface name\nAccess mode: one VLAN, untagged\nIn VLAN\n"
	  "VLAN id",
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME trunk allowed vlan VLANLIST",
	  "A port\nInterface name\nTrunk mode: VLANs tagged\n"
	  "The VLANs it carries\nVLANs\nAs 10,20,30-40, all or none",
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME trunk native vlan VID",
	  "A port\nInterface name\nTrunk mode: VLANs tagged\n"
	  "The VLAN it sends and takes untagged\nVLAN\nVLAN id",
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME trunk native vlan none",
	  "A port\nInterface name\nTrunk mode: VLANs tagged\n"
	  "The VLAN it sends and takes untagged\nVLAN\n"
	  "None: untagged frames are dropped",
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME encapsulation dot1q",
	  "A port\nInterface name\nThe tag protocol\n802.1Q (TPID 0x8100)",
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE), "port IFNAME encapsulation dot1ad",
	  "A port\nInterface name\nThe tag protocol\n"
	  "802.1ad (TPID 0x88a8): QinQ, a customer's tag is payload",
	  do_port_vlan },
	{ MODE_BIT(MODE_BRIDGE), "internal-port IFNAME [vlan VID]",
	  "A port for the host: a veth pair, IFNAME for addresses, IFNAME-br "
	  "in the bridge\nName of the host side (12 characters at most)\n"
	  "In VLAN (default 1)\nVLAN id",
	  do_internal_port },
	{ MODE_BIT(MODE_BRIDGE), "no internal-port IFNAME",
	  "Remove configuration\nAn internal port, and its veth pair\n"
	  "Name of the host side",
	  do_no_internal_port },
	{ MODE_BIT(MODE_BRIDGE), "ageing-time (10-1000000)",
	  "How long a learned entry lives unseen\nSeconds", do_ageing },
	{ MODE_BIT(MODE_BRIDGE), "no ageing-time",
	  "Remove configuration\nThe ageing time (back to 300 s)", do_ageing },
	{ MODE_BIT(MODE_BRIDGE), "learn-limit (0-4294967295)",
	  "Most learned MAC entries in the bridge\nEntries (0: no limit)",
	  do_bridge_learn_limit },
	{ MODE_BIT(MODE_BRIDGE), "no learn-limit",
	  "Remove configuration\nThe bridge's learn limit",
	  do_bridge_learn_limit },
	{ MODE_BIT(MODE_BRIDGE), "fdb-capacity (1024-16777216)",
	  "Room in the MAC address table (rebuilds the datapath: learned entries go)\n"
	  "Entries",
	  do_fdb_capacity },
	{ MODE_BIT(MODE_BRIDGE), "no fdb-capacity",
	  "Remove configuration\nThe capacity (back to 65536)",
	  do_fdb_capacity },
	{ MODE_BIT(MODE_BRIDGE), "mac static MAC vlan VID interface IFNAME",
	  "MAC address table\nA static entry\nMAC address\nIn VLAN\nVLAN id\n"
	  "On port\nInterface name",
	  do_mac_static },
	{ MODE_BIT(MODE_BRIDGE), "no mac static MAC vlan VID",
	  "Remove configuration\nMAC address table\nA static entry\n"
	  "MAC address\nIn VLAN\nVLAN id",
	  do_no_mac_static },

	{ MODES_CONFIG, "exit", "Leave this mode", do_exit },
	{ MODES_CONFIG, "end", "Back to exec mode", do_end },
};

/* Completions for value tokens. */
static void names(struct cmd_session *s, const char *type,
		  void (*add)(void *ctx, const char *name), void *ctx)
{
	struct if_nameindex *ifs, *i;
	struct cfg_bridge *bs = NULL;
	int n, k;

	if (!strcmp(type, "IFNAME")) {
		ifs = if_nameindex();
		for (i = ifs; i && i->if_index; i++)
			add(ctx, i->if_name);
		if (ifs)
			if_freenameindex(ifs);
	} else if (!strcmp(type, "NAME")) {
		n = store_bridges(sw->store, &bs);
		for (k = 0; k < n; k++)
			add(ctx, bs[k].name);
		free(bs);
	}
}

int cmds_init(void)
{
	return cmd_register(commands, sizeof(commands) / sizeof(commands[0]),
			    names);
}

/* The startup file: one transaction for the whole file, on a cleared
 * store. A line that fails rolls it all back. Only the store changes here;
 * the caller reconciles the datapath to it. */
int cmds_load_file(const char *path, char *err, size_t errlen)
{
	struct cmd_session s = { .mode = MODE_CONFIG, .boot = true };
	char line[1024];
	int lineno = 0, ret = 0;
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	/* fault 3: the slow path is configuration too */
	if (store_begin(sw->store) || store_clear(sw->store) ||
	    store_meta_set(sw->store, "slowpath", "")) {
		snprintf(err, errlen, "%s", store_error(sw->store));
		fclose(f);
		return -EIO;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		out_reset(&s.out);
		ret = cmd_execute(&s, line);
		cmd_more_cancel(&s);
		if (ret) {
			size_t n = s.out.len;

			while (n && s.out.buf[n - 1] == '\n')
				s.out.buf[--n] = '\0';
			snprintf(err, errlen, "%s:%d: %s", path, lineno,
				 s.out.buf
					 ? s.out.buf +
						   (s.out.buf[0] == '%' ? 2 : 0)
					 : "error");
			break;
		}
	}
	fclose(f);
	out_free(&s.out);
	if (ret) {
		store_rollback(sw->store);
		return ret;
	}
	if (store_commit(sw->store)) {
		snprintf(err, errlen, "%s", store_error(sw->store));
		return -EIO;
	}
	return 0;
}
