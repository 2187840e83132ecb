// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ports as an operator sees them: show interfaces (the table, the
 * counters, the status lines), show vlan, and clear counters (a baseline
 * per port kept here; the datapath's counters are never touched).
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

/* ---- show ---- */

/* "access 10", "trunk 10,20 native 1", with " dot1ad" for 802.1ad; a
 * native VLAN that is not allowed (and so does not pass) says so. */
static void port_vlans_text(const struct cfg_port *p, char *buf, size_t len)
{
	const char *ad = p->tpid == XBR_TPID_8021AD ? " dot1ad" : "";
	const char *allowed = p->allowed[0] ? p->allowed : "none";
	struct dp_port_vlan v;

	sw_port_vlan(p, &v);
	if (p->internal[0])
		snprintf(buf, len, "access %u internal", p->access_vlan);
	else if (!p->trunk)
		snprintf(buf, len, "access %u%s", p->access_vlan, ad);
	else if (p->native_vlan)
		snprintf(buf, len, "trunk %s native %u%s%s", allowed,
			 p->native_vlan, v.pvid ? "" : " (not allowed)", ad);
	else
		snprintf(buf, len, "trunk %s%s", allowed, ad);
}

const char *sw_port_name(const struct cfg_port *p)
{
	return p->internal[0] ? p->internal : p->ifname;
}

/* The port named name (or an internal port's host side): 0 or -ENOENT. */
static int port_find(const char *name, struct cfg_port *out)
{
	struct cfg_port *ps = NULL;
	int n, i, ret = -ENOENT;

	if (!store_port_get(sw->store, name, out))
		return 0;
	n = store_ports(sw->store, NULL, &ps);
	for (i = 0; i < n; i++) {
		if (!strcmp(ps[i].internal, name)) {
			*out = ps[i];
			ret = 0;
		}
	}
	free(ps);
	return ret;
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
		out_str(o, "ifname", " %s", sw_port_name(&ps[j]));
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
			sw_port_vlan(&ps[j], &pv[j]);
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

static const char *port_state(struct sw_bridge *br, const struct cfg_port *p,
			      struct dp_port_info *info)
{
	struct netlink_link l;
	int ifindex = (int)if_nametoindex(p->ifname);

	memset(info, 0, sizeof(*info));
	if (!ifindex || !br || dp_port_get(br->dp, ifindex, info) ||
	    !info->attached)
		return "absent";
	if (netlink_link_get(ifindex, &l))
		return "absent";
	if (p->shutdown)
		return "admin-down";
	if (sw_errdisabled(p->ifname))
		return "err-disabled";
	return l.up && l.carrier ? "up" : "down";
}

/* ---- counters, and clear counters ---- */

/* The counters at the last clear counters of a port: shown counters are
 * the datapath's less these (the datapath's own stay whole, so that a
 * restarted daemon takes them over as they are). */
struct port_base {
	char bridge[DP_BRIDGE_NAME_MAX + 1];
	char ifname[IF_NAMESIZE];
	struct dp_port_counters k;
};

static struct port_base *bases;
static size_t nbases;

static struct port_base *port_base(const char *bridge, const char *ifname,
				   bool make)
{
	struct port_base *grown;
	size_t i;

	for (i = 0; i < nbases; i++)
		if (!strcmp(bases[i].bridge, bridge) &&
		    !strcmp(bases[i].ifname, ifname))
			return &bases[i];
	if (!make)
		return NULL;
	grown = realloc(bases, (nbases + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	bases = grown;
	memset(&bases[nbases], 0, sizeof(bases[0]));
	snprintf(bases[nbases].bridge, sizeof(bases[0].bridge), "%s", bridge);
	snprintf(bases[nbases].ifname, sizeof(bases[0].ifname), "%s", ifname);
	return &bases[nbases++];
}

void sw_counters_forget(const char *bridge, const char *ifname)
{
	struct port_base *b = port_base(bridge, ifname, false);

	if (b)
		*b = bases[--nbases];
}

/* The port's counters since the last clear (zero when not attached). A
 * counter below its base was reset (a new datapath): shown whole. */
static void port_counters_get(struct sw_bridge *br,
			      const struct dp_port_info *info,
			      const struct cfg_port *p,
			      struct dp_port_counters *k)
{
	const struct port_base *b = port_base(p->bridge, p->ifname, false);
	__u64 *v = (__u64 *)k;
	const __u64 *base = b ? (const __u64 *)&b->k : NULL;
	size_t i, gauge = offsetof(struct dp_port_counters, fdb_entries) /
			  sizeof(__u64);

	memset(k, 0, sizeof(*k));
	if (!info->attached)
		return;
	dp_port_counters(br->dp, (int)info->ifindex, k);
	for (i = 0; base && i < sizeof(*k) / sizeof(__u64); i++)
		if (i != gauge && v[i] >= base[i])
			v[i] -= base[i];
}

/* "invalid-source" as a JSON key: "invalid_source". */
static void snake_case(const char *name, char *buf, size_t len)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < len; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	buf[i] = '\0';
}

/* A port's counters (show interfaces IFNAME counters): events counted
 * since the last clear; a reason that cannot happen on a port (a frame
 * from an interface that is no port) is not shown. */
static void port_counters(struct out *o, const struct dp_port_counters *k)
{
	char key[32];
	int r;

	out_uint(o, "rx_packets", "  rx %llu packets", k->s.rx_packets);
	out_uint(o, "rx_bytes", " %llu bytes", k->s.rx_bytes);
	out_uint(o, "tx_packets", ", tx %llu packets", k->s.tx_packets);
	out_uint(o, "tx_bytes", " %llu bytes\n", k->s.tx_bytes);
	out_uint(o, "flooded", "  flooded %llu", k->s.flooded);
	out_uint(o, "punted", ", punted %llu\n", k->s.punted);
	out_uint(o, "learn_events", "  learning events: learned %llu",
		 k->s.learned);
	out_uint(o, "move_events", ", moved %llu", k->s.moved);
	out_uint(o, "learn_refused", ", refused %llu", k->s.learn_refused);
	out_uint(o, "aged_events", ", aged out %llu\n", k->aged);
	out_open(o, "drops", '{');
	out_text(o, "  drops:");
	for (r = 1; r < XBR_DROP_MAX; r++) {
		if (!sw_drop_on_port(r))
			continue;
		snake_case(dp_drop_reason_name(r), key, sizeof(key));
		out_text(o, " %s", dp_drop_reason_name(r));
		out_uint(o, key, " %llu", k->s.drops[r]);
	}
	out_text(o, "\n");
	out_close(o, '}');
}

/* The datapath's view of a port: its state, its XDP mode. */
struct port_view {
	struct sw_bridge *br;
	struct dp_port_info info;
	const char *state, *xdp;
	bool native_passes; /* a trunk's native VLAN is allowed */
	char vlans[sizeof(((struct cfg_port *)0)->allowed) + 64];
	char shown[sizeof(((struct cfg_port *)0)->allowed) + 128]; /* text */
};

static void port_view(const struct cfg_port *p, struct port_view *v)
{
	struct dp_port_vlan dv;
	char fl[64];

	v->native_passes = p->trunk && !sw_port_vlan(p, &dv) && dv.pvid;
	v->br = sw_bridge_find(p->bridge);
	v->state = port_state(v->br, p, &v->info);
	v->xdp = !v->info.attached		 ? "none"
		 : v->info.mode == DP_XDP_NATIVE ? "native"
						 : "generic";
	port_vlans_text(p, v->vlans, sizeof(v->vlans));
	sw_port_flood_text(p, fl, sizeof(fl));
	snprintf(v->shown, sizeof(v->shown), "%s%s%s", v->vlans,
		 p->isolated ? " isolated" : "", fl);
}

/* Text: a value wrapped in its column of width: the first part in the
 * row (wrapped_first), the others after it on lines of their own, at
 * column col (wrapped_rest). */
static int wrap_part(const char *value, int width, size_t *n)
{
	int shown;

	*n = out_wrap(value, (size_t)width);
	for (shown = (int)*n; shown && value[shown - 1] == ' '; shown--)
		;
	return shown;
}

static void wrapped_first(struct out *o, const char *value, int width)
{
	size_t n;
	int shown = wrap_part(value, width, &n);

	out_text(o, " %-*.*s", width, shown, value);
}

static void wrapped_rest(struct out *o, const char *value, int width, int col)
{
	size_t n;
	int shown;

	wrap_part(value, width, &n);
	for (value += n; *value; value += n) {
		shown = wrap_part(value, width, &n);
		out_text(o, "%*s%.*s\n", col, "", shown, value);
	}
}

#define VLANS_WIDTH 24
#define VLANS_COL   54 /* where the vlans column of show interfaces is */

static void port_show(struct out *o, const struct cfg_port *p, bool counters)
{
	struct dp_port_counters k;
	struct port_view v;
	size_t i;

	port_view(p, &v);
	port_counters_get(v.br, &v.info, p, &k);
	out_open(o, NULL, '{');
	out_str(o, "ifname", counters ? "%s" : "%-15s", sw_port_name(p));
	if (p->internal[0])
		out_str(o, "bridge_side", NULL, p->ifname);
	out_str(o, "bridge", counters ? " (bridge %s)" : " %-15s", p->bridge);
	out_str(o, "state", counters ? " is %s\n" : " %-12s", v.state);
	out_bool(o, "shutdown", NULL, p->shutdown);
	out_bool(o, "isolated", NULL, p->isolated);
	out_open(o, "flood", '{');
	for (i = 0; i < SW_NFLOODS; i++)
		out_bool(o, sw_floods[i].key, NULL,
			 !(p->flood_off & sw_floods[i].flag));
	out_close(o, '}');
	out_str(o, "xdp", NULL, v.xdp);
	if (!counters) {
		out_str(o, NULL, " %-8s", v.info.attached ? v.xdp : "-");
		wrapped_first(o, v.shown, VLANS_WIDTH);
	}
	out_str(o, "mode", NULL, p->trunk ? "trunk" : "access");
	if (p->trunk) {
		out_str(o, "allowed", NULL, p->allowed);
		out_uint(o, "native_vlan", NULL, p->native_vlan);
		out_bool(o, "native_vlan_allowed", NULL, v.native_passes);
	} else {
		out_uint(o, "access_vlan", NULL, p->access_vlan);
	}
	out_str(o, "encapsulation", NULL,
		p->tpid == XBR_TPID_8021AD ? "dot1ad" : "dot1q");
	out_uint(o, "learn_limit", counters ? NULL : " %11llu", p->learn_limit);
	out_uint(o, "mac_entries", counters ? NULL : " %11llu\n",
		 k.fdb_entries);
	if (!counters)
		wrapped_rest(o, v.shown, VLANS_WIDTH, VLANS_COL);
	if (counters)
		port_counters(o, &k);
	out_close(o, '}');
}

unsigned long sw_link_speed(const char *ifname, bool *half)
{
	struct ethtool_cmd ec = { .cmd = ETHTOOL_GSET };
	struct ifreq ifr = { .ifr_data = (char *)&ec };
	unsigned long speed = 0;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool got;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	got = fd >= 0 && !ioctl(fd, SIOCETHTOOL, &ifr);
	if (got && ethtool_cmd_speed(&ec) != (__u32)SPEED_UNKNOWN)
		speed = ethtool_cmd_speed(&ec);
	if (half)
		*half = got && ec.duplex == DUPLEX_HALF;
	if (fd >= 0)
		close(fd);
	return speed;
}

#define STATUS_VLANS_WIDTH 20
#define STATUS_VLANS_COL   36

/* show interfaces status: a line per port */
static void port_status(struct out *o, const struct cfg_port *p)
{
	const char *name = sw_port_name(p);
	struct netlink_link l = { 0 };
	unsigned long speed = sw_link_speed(name, NULL);
	char mac[18] = "-";
	struct port_view v;
	int ifindex = (int)if_nametoindex(name);

	port_view(p, &v);
	if (ifindex && !netlink_link_get(ifindex, &l))
		dp_mac_format(l.mac, mac);
	out_open(o, NULL, '{');
	out_str(o, "ifname", "%-15s", name);
	out_str(o, "state", " %-12s", v.state);
	out_bool(o, "shutdown", NULL, p->shutdown);
	out_str(o, "mode", " %-6s",
		p->internal[0] ? "host"
		: p->trunk     ? "trunk"
			       : "access");
	out_str(o, "vlans", NULL, v.vlans);
	out_bool(o, "isolated", NULL, p->isolated);
	wrapped_first(o, v.shown, STATUS_VLANS_WIDTH);
	out_str(o, "xdp", " %-7s", v.info.attached ? v.xdp : "-");
	if (speed)
		out_uint(o, "speed_mbps", " %7llu", speed);
	else
		out_text(o, " %7s", "-");
	out_uint(o, "mtu", " %5llu", l.mtu);
	out_str(o, "mac", " %s", mac);
	if (sw_errdisabled(p->ifname))
		out_str(o, "errdisable_cause", " (err-disabled: %s)",
			sw_errdisabled(p->ifname));
	out_text(o, "\n");
	wrapped_rest(o, v.shown, STATUS_VLANS_WIDTH, STATUS_VLANS_COL);
	out_close(o, '}');
}

int sw_ports_named(struct cmd_call *c, struct cfg_port **ps)
{
	const char *only = cmd_arg(c, "IFNAME");
	struct cfg_port one;
	int n;

	*ps = NULL;
	if (only && port_find(only, &one))
		return sw_say(c, -ENOENT, "%s is not a port", only);
	if (only) {
		*ps = malloc(sizeof(one));
		if (!*ps)
			return -ENOMEM;
		**ps = one;
		return 1;
	}
	n = store_ports(sw->store, NULL, ps);
	if (n < 0)
		return sw_say(c, -EIO, "%s", store_error(sw->store));
	return n;
}

static int do_show_interfaces(struct cmd_call *c)
{
	bool counters = cmd_has(c, "counters"), status = cmd_has(c, "status");
	struct out *o = &c->s->out;
	struct cfg_port *ps;
	int n = sw_ports_named(c, &ps), i;

	if (n < 0)
		return n;
	out_open(o, NULL, '[');
	if (status)
		out_text(o, "%-15s %-12s %-6s %-20s %-7s %7s %5s %s\n",
			 "interface", "state", "mode", "vlans", "xdp", "speed",
			 "mtu", "mac");
	else if (!counters)
		out_text(o, "%-15s %-15s %-12s %-8s %-24s %11s %11s\n",
			 "interface", "bridge", "state", "xdp", "vlans",
			 "learn-limit", "mac-entries");
	for (i = 0; i < n; i++) {
		if (status)
			port_status(o, &ps[i]);
		else
			port_show(o, &ps[i], counters);
	}
	out_close(o, ']');
	free(ps);
	return 0;
}

/* clear counters [interface IFNAME] */
static int do_clear_counters(struct cmd_call *c)
{
	struct port_base *b;
	struct port_view v;
	struct cfg_port *ps;
	int n = sw_ports_named(c, &ps), i;

	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		b = port_base(ps[i].bridge, ps[i].ifname, true);
		port_view(&ps[i], &v);
		if (b && v.info.attached)
			dp_port_counters(v.br->dp, (int)v.info.ifindex, &b->k);
		else if (b)
			memset(&b->k, 0, sizeof(b->k));
	}
	free(ps);
	return 0;
}

static const struct cmd_def interfaces_cmds[] = {
	SW_SHOW("interfaces [IFNAME] [counters]",
		"Bridge ports\nOnly this port (an internal port by its host "
		"side)\nTraffic counters",
		do_show_interfaces),
	SW_SHOW("interfaces status",
		"Bridge ports\nA line per port: state, "
		"mode, VLANs, XDP, speed, MTU, MAC",
		do_show_interfaces),
	{ MODE_BIT(MODE_EXEC), "clear counters [interface IFNAME]",
	  "Reset information\nThe ports' counters, as shown from now on\n"
	  "Only one port\nInterface name",
	  do_clear_counters },
	SW_SHOW("vlan [VID]", "VLANs and their ports\nOnly this VLAN",
		do_show_vlan),
};

SW_FEATURE(interfaces);
