// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mirroring (SPAN): monitor sessions of a bridge, each with its sources
 * (what they receive, send, or both) and one destination port that takes
 * part in no switching while it is one. The commands, their lines of the
 * running config, show monitor, and the ports' mirror settings in the
 * datapath (datapath/mirror.c, kernel/mirror.h).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "switchd/switchd.h"

static const char *const roles[] = { "", "rx", "tx", "both", "destination" };

static const char *role_word(unsigned int role)
{
	return role < ARRAY_SIZE(roles) ? roles[role] : "?";
}

/* The row of ifname in ms, or NULL. */
static const struct cfg_monitor *row_of(const struct cfg_monitor *ms, int n,
					const char *ifname)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(ms[i].ifname, ifname))
			return &ms[i];
	return NULL;
}

/* The session's port of a role: the destination, or its source of sent
 * frames (tx or both); NULL when it has none. */
static const struct cfg_monitor *session_port(const struct cfg_monitor *ms,
					      int n, unsigned int session,
					      bool dest)
{
	int i;

	for (i = 0; i < n; i++) {
		if (ms[i].session != session)
			continue;
		if (dest ? ms[i].role == CFG_MONITOR_DEST
			 : ms[i].role == CFG_MONITOR_TX ||
				    ms[i].role == CFG_MONITOR_BOTH)
			return &ms[i];
	}
	return NULL;
}

/* The ifindex of a port of br that is attached, or 0. */
static __u32 attached_index(struct sw_bridge *br, const struct cfg_monitor *m)
{
	struct dp_port_info info;
	int ifindex;

	if (!m)
		return 0;
	ifindex = (int)if_nametoindex(m->ifname);
	if (!ifindex || dp_port_get(br->dp, ifindex, &info) || !info.attached)
		return 0;
	return (__u32)ifindex;
}

/* What the store says a port's part is, in the datapath's form. */
static __u32 port_mirror(struct sw_bridge *br, const struct cfg_monitor *ms,
			 int n, const char *ifname, struct xbr_mirror *m)
{
	const struct cfg_monitor *r = row_of(ms, n, ifname);
	__u32 dest, flags = 0;

	memset(m, 0, sizeof(*m));
	if (!r)
		return 0;
	dest = attached_index(br, session_port(ms, n, r->session, true));
	if (r->role == CFG_MONITOR_DEST) {
		m->tx_source = attached_index(
			br, session_port(ms, n, r->session, false));
		return XBR_PORT_F_MIRROR_DST;
	}
	if (!dest)
		return 0; /* a session whose destination is absent */
	if (r->role & CFG_MONITOR_RX) {
		flags |= XBR_PORT_F_MIRROR_RX;
		m->rx_dest = dest;
	}
	if (r->role & CFG_MONITOR_TX) {
		flags |= XBR_PORT_F_MIRROR_TX;
		m->tx_dest = dest;
	}
	return flags;
}

/*
 * Make the bridge's datapath mirror what the store says: every port's
 * flags and the ports they name, where they differ. Destinations first,
 * so that a source never copies to a port that still switches.
 */
int sw_mirror_apply(struct sw_bridge *br, char *err, size_t errlen)
{
	struct dp_port_info info[XBR_MAX_PORTS];
	struct cfg_monitor *ms = NULL;
	struct xbr_mirror want, have;
	__u32 flags, now;
	int n, np, i, pass, ret = 0;

	n = store_monitors(sw->store, br->name, &ms);
	if (n < 0) {
		snprintf(err, errlen, "the store: %s", store_error(sw->store));
		return n;
	}
	np = dp_port_list(br->dp, info, XBR_MAX_PORTS);
	for (pass = 0; pass < 2 && !ret; pass++) {
		for (i = 0; i < np && i < XBR_MAX_PORTS && !ret; i++) {
			if (!info[i].attached)
				continue;
			flags = port_mirror(br, ms, n, info[i].name, &want);
			if ((pass == 0) != !!(flags & XBR_PORT_F_MIRROR_DST))
				continue;
			if (!dp_port_get_mirror(br->dp, (int)info[i].ifindex,
						&now, &have) &&
			    now == flags && !memcmp(&have, &want, sizeof(want)))
				continue;
			ret = dp_port_set_mirror(br->dp, (int)info[i].ifindex,
						 flags, &want);
			if (ret)
				snprintf(err, errlen, "%s", dp_error());
		}
	}
	free(ms);
	return ret;
}

int sw_mirror_port_attached(struct sw_bridge *br, char *err, size_t errlen)
{
	struct cfg_monitor *ms = NULL;
	int n = store_monitors(sw->store, br->name, &ms);

	free(ms);
	if (n < 0) {
		snprintf(err, errlen, "the store: %s", store_error(sw->store));
		return n;
	}
	/* a port comes with no mirror flags: with no session in the bridge
	 * there is nothing to make (and a startup of many ports does not
	 * walk every port once per port) */
	return n ? sw_mirror_apply(br, err, errlen) : 0;
}

static void mirror_reconcile(const struct cfg_bridge *bs, int nb)
{
	char err[SW_ERRLEN];
	struct sw_bridge *br;

	(void)bs;
	(void)nb;
	for (br = sw->bridges; br; br = br->next)
		if (sw_mirror_apply(br, err, sizeof(err)))
			log_err("bridge %s: mirroring: %s", br->name, err);
}

static int mirror_clear(void)
{
	struct cfg_monitor *ms = NULL;
	int n, i, ret = 0;

	n = store_monitors(sw->store, NULL, &ms);
	if (n < 0)
		return -EIO;
	for (i = 0; i < n && !ret; i++)
		if (store_monitor_del(sw->store, ms[i].bridge, ms[i].session) ==
		    -EIO)
			ret = -EIO;
	free(ms);
	return ret;
}

/* An internal port is named by its host side, as show prints it; the
 * store has its bridge side. */
static void port_by_name(const char *bridge, const char *name, char *out)
{
	struct cfg_port *ps = NULL;
	int n, i;

	snprintf(out, IF_NAMESIZE, "%s", name);
	n = store_ports(sw->store, bridge, &ps);
	for (i = 0; i < n; i++)
		if (ps[i].internal[0] && !strcmp(ps[i].internal, name))
			snprintf(out, IF_NAMESIZE, "%s", ps[i].ifname);
	free(ps);
}

static const char *shown(const char *ifname, char buf[IF_NAMESIZE])
{
	struct cfg_port p;

	if (store_port_get(sw->store, ifname, &p) || !p.internal[0])
		return ifname;
	snprintf(buf, IF_NAMESIZE, "%s", p.internal);
	return buf;
}

/* ---- [no] monitor session N source interface X [rx|tx|both]
 *      destination interface Y ---- */

struct monitor_txn {
	const char *bridge;
	unsigned int session;
	const char *src, *dst; /* the store's names; NULL: the no form */
	char src_name[IF_NAMESIZE], dst_name[IF_NAMESIZE];
	unsigned int dir; /* CFG_MONITOR_RX, _TX or _BOTH */
};

/* The value after "WORD interface". */
static const char *interface_after(const struct cmd_call *c, const char *word)
{
	int i;

	for (i = 0; i + 2 < c->argc; i++)
		if (!strcmp(c->argv[i], word))
			return c->argv[i + 2];
	return NULL;
}

/* A port of this bridge: 0, or -ENOENT said. */
static int monitor_port(struct cmd_call *c, const char *bridge,
			const char *ifname)
{
	struct cfg_port p;

	if (store_port_get(sw->store, ifname, &p) || strcmp(p.bridge, bridge))
		return sw_say(c, -ENOENT, "%s is not a port of bridge %s",
			      ifname, bridge);
	return 0;
}

/* Why the session may not take the source and destination: -errno said,
 * or 0. */
static int monitor_refused(struct cmd_call *c, const struct monitor_txn *t,
			   const struct cfg_monitor *ms, int n)
{
	const struct cfg_monitor *s, *d, *tx;
	char name[IF_NAMESIZE];

	if (monitor_port(c, t->bridge, t->src) ||
	    monitor_port(c, t->bridge, t->dst))
		return -ENOENT;
	if (!strcmp(t->src, t->dst))
		return sw_say(c, -EINVAL,
			      "%s cannot be the destination of its own mirror",
			      shown(t->src, name));
	d = session_port(ms, n, t->session, true);
	if (d && strcmp(d->ifname, t->dst))
		return sw_say(
			c, -EBUSY,
			"monitor session %u has destination %s (remove the session first: no monitor session %u)",
			t->session, shown(d->ifname, name), t->session);
	s = row_of(ms, n, t->src);
	if (s && (s->session != t->session || s->role == CFG_MONITOR_DEST))
		return sw_say(c, -EBUSY, "%s is the %s of monitor session %u",
			      shown(t->src, name),
			      s->role == CFG_MONITOR_DEST ? "destination"
							  : "source",
			      s->session);
	d = row_of(ms, n, t->dst);
	if (d && (d->session != t->session || d->role != CFG_MONITOR_DEST))
		return sw_say(c, -EBUSY, "%s is the %s of monitor session %u",
			      shown(t->dst, name),
			      d->role == CFG_MONITOR_DEST ? "destination"
							  : "source",
			      d->session);
	tx = session_port(ms, n, t->session, false);
	if ((t->dir & CFG_MONITOR_TX) && tx && strcmp(tx->ifname, t->src))
		return sw_say(
			c, -EBUSY,
			"monitor session %u copies what %s sends already: a session copies what one port sends (and what any number receive)",
			t->session, shown(tx->ifname, name));
	return 0;
}

static int monitor_store(struct cmd_call *c, void *ctx)
{
	struct monitor_txn *t = ctx;
	struct cfg_monitor *ms = NULL, m = { 0 };
	int n, ret;

	if (!t->src) {
		ret = store_monitor_del(sw->store, t->bridge, t->session);
		if (ret == -ENOENT)
			return sw_say(c, ret,
				      "bridge %s has no monitor session %u",
				      t->bridge, t->session);
		return ret ? sw_store_err(c) : 0;
	}
	n = store_monitors(sw->store, t->bridge, &ms);
	if (n < 0)
		return sw_store_err(c);
	ret = monitor_refused(c, t, ms, n);
	free(ms);
	if (ret)
		return ret;
	snprintf(m.bridge, sizeof(m.bridge), "%s", t->bridge);
	m.session = t->session;
	snprintf(m.ifname, sizeof(m.ifname), "%s", t->dst);
	m.role = CFG_MONITOR_DEST;
	if (store_monitor_put(sw->store, &m))
		return sw_store_err(c);
	snprintf(m.ifname, sizeof(m.ifname), "%s", t->src);
	m.role = t->dir;
	if (store_monitor_put(sw->store, &m))
		return sw_store_err(c);
	return 0;
}

static int monitor_apply(struct cmd_call *c, void *ctx)
{
	struct monitor_txn *t = ctx;
	struct sw_bridge *br = sw_bridge_find(t->bridge);
	char err[SW_ERRLEN];

	if (br && sw_mirror_apply(br, err, sizeof(err)))
		return sw_say(c, -EIO, "%s", err);
	return 0;
}

static void monitor_undo(struct cmd_call *c, void *ctx)
{
	struct monitor_txn *t = ctx;
	struct sw_bridge *br = sw_bridge_find(t->bridge);
	char err[SW_ERRLEN];

	(void)c;
	if (br) /* as the store has it again */
		sw_mirror_apply(br, err, sizeof(err));
}

static int do_monitor(struct cmd_call *c)
{
	static const struct sw_txn txn = { monitor_store, monitor_apply,
					   monitor_undo, NULL };
	struct monitor_txn t = {
		.bridge = c->s->bridge,
		.session = (unsigned int)cmd_num(c, "session", 0),
		.dir = CFG_MONITOR_BOTH,
	};

	if (!c->no) {
		t.src = interface_after(c, "source");
		t.dst = interface_after(c, "destination");
		if (t.src && t.dst) {
			port_by_name(t.bridge, t.src, t.src_name);
			port_by_name(t.bridge, t.dst, t.dst_name);
			t.src = t.src_name;
			t.dst = t.dst_name;
		}
		if (cmd_has(c, "rx"))
			t.dir = CFG_MONITOR_RX;
		else if (cmd_has(c, "tx"))
			t.dir = CFG_MONITOR_TX;
		if (!t.src || !t.dst)
			return sw_say(c, -EINVAL, "a source and a destination");
	}
	return sw_txn_run(c, &txn, &t);
}

/* One line per source: " monitor session 1 source interface e1 both
 * destination interface e3". */
static void mirror_config(struct out *o, const struct cfg_bridge *b)
{
	char src[IF_NAMESIZE], dst[IF_NAMESIZE];
	const struct cfg_monitor *d;
	struct cfg_monitor *ms = NULL;
	int n, i;

	n = store_monitors(sw->store, b->name, &ms);
	for (i = 0; i < n; i++) {
		d = session_port(ms, n, ms[i].session, true);
		if (ms[i].role == CFG_MONITOR_DEST || !d)
			continue;
		out_printf(
			o,
			" monitor session %u source interface %s %s destination interface %s\n",
			ms[i].session, shown(ms[i].ifname, src),
			role_word(ms[i].role), shown(d->ifname, dst));
	}
	free(ms);
}

/* ---- show monitor [session N] ---- */

/* The copies a destination has sent, or 0 when it is absent. */
static unsigned long long copies_of(const struct cfg_monitor *d)
{
	struct sw_bridge *br = sw_bridge_find(d->bridge);
	struct dp_port_counters k;
	int ifindex = (int)if_nametoindex(d->ifname);

	if (!br || !ifindex || dp_port_counters(br->dp, ifindex, &k))
		return 0;
	return k.s.reserved[XBR_STAT_MIRRORED];
}

static void show_session(struct out *o, const struct cfg_monitor *ms, int n,
			 const struct cfg_monitor *d)
{
	char name[IF_NAMESIZE];
	int i;

	out_open(o, NULL, '{');
	out_uint(o, "session", "session %llu", d->session);
	out_str(o, "bridge", " (bridge %s)\n", d->bridge);
	out_str(o, "destination", "  destination: %s", shown(d->ifname, name));
	out_uint(o, "copies", ", %llu copies sent\n", copies_of(d));
	out_open(o, "sources", '[');
	for (i = 0; i < n; i++) {
		if (ms[i].session != d->session ||
		    strcmp(ms[i].bridge, d->bridge) ||
		    ms[i].role == CFG_MONITOR_DEST)
			continue;
		out_open(o, NULL, '{');
		out_str(o, "interface", "  source: %s",
			shown(ms[i].ifname, name));
		out_str(o, "direction", " %s\n", role_word(ms[i].role));
		out_close(o, '}');
	}
	out_close(o, ']');
	out_close(o, '}');
}

static int do_show_monitor(struct cmd_call *c)
{
	unsigned long want = cmd_num(c, "session", 0);
	struct out *o = &c->s->out;
	struct cfg_monitor *ms = NULL;
	int n, i, shown = 0;

	n = store_monitors(sw->store, NULL, &ms);
	if (n < 0)
		return sw_store_failed(c);
	out_open(o, NULL, '[');
	for (i = 0; i < n; i++) {
		if (ms[i].role != CFG_MONITOR_DEST ||
		    (want && ms[i].session != want))
			continue;
		show_session(o, ms, n, &ms[i]);
		shown++;
	}
	out_close(o, ']');
	free(ms);
	if (want && !shown)
		return sw_say(c, -ENOENT, "no monitor session %lu", want);
	if (!shown)
		out_text(o, "no monitor session\n");
	return 0;
}

static const struct cmd_def mirror_cmds[] = {
	SW_SHOW("monitor [session (1-66)]",
		"Mirroring: the monitor sessions, their ports and copies\n"
		"One session\nSession number",
		do_show_monitor),
	{ MODE_BIT(MODE_BRIDGE),
	  "[no] monitor session (1-66) {source interface IFNAME [<rx|tx|both>] "
	  "destination interface IFNAME}",
	  "Remove configuration\nMirroring (SPAN)\n"
	  "A monitor session of the bridge|Remove a monitor session\n"
	  "Session number\n"
	  "A port whose frames are copied\nA port\nInterface name\n"
	  "The frames it receives, as received\n"
	  "The frames it sends, as sent\nBoth (the default)\n"
	  "The port the copies leave by: it takes part in no switching\n"
	  "A port\nInterface name",
	  do_monitor },
};

SW_FEATURE(mirror, .config_bridge = mirror_config,
	   .reconcile_add = mirror_reconcile, .clear = mirror_clear);
