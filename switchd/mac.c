// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MAC address table: static entries (their commands, their lines of
 * the running config, their place in the datapath), and show and clear.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "switchd/switchd.h"

/* ---- static entries in the datapath ---- */

void sw_mac_port_statics(struct sw_bridge *br, const struct cfg_port *p,
			 int ifindex)
{
	struct cfg_mac *ms = NULL;
	int n, i;

	/* fault 4: an interface that comes back, or appears after start,
	 * gets its entries at once */
	n = store_macs(sw->store, br->name, &ms);
	for (i = 0; i < n; i++)
		if (!strcmp(ms[i].ifname, p->ifname) &&
		    dp_fdb_add_static(br->dp, ms[i].mac, ms[i].vid, ifindex))
			log_warn("bridge %s: static entry: %s", br->name,
				 dp_error());
	free(ms);
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

static void mac_reconcile(const struct cfg_bridge *bs, int nb)
{
	struct statics st = { 0 };
	struct sw_bridge *br;
	int i, ifindex;

	(void)bs;
	(void)nb;
	for (br = sw->bridges; br; br = br->next) {
		st.dp = br->dp;
		st.n = store_macs(sw->store, br->name, &st.macs);
		if (st.n < 0)
			st.n = 0;
		dp_fdb_dump(br->dp, drop_unknown_static, &st);
		for (i = 0; i < st.n; i++) {
			ifindex = (int)if_nametoindex(st.macs[i].ifname);
			if (ifindex &&
			    dp_fdb_add_static(br->dp, st.macs[i].mac,
					      st.macs[i].vid, ifindex))
				log_warn("bridge %s: static entry: %s",
					 br->name, dp_error());
		}
		free(st.macs);
		st.macs = NULL;
	}
}

/* ---- [no] mac static MAC vlan VID [interface IFNAME] ---- */

/* The port of the entry's bridge named by the command: an interface, or
 * an internal port by its host side (as show prints it), whose bridge
 * side the entry then names. 0 or -ENOENT. */
static int mac_port(struct cfg_mac *m)
{
	struct cfg_port *ps = NULL;
	int n, i, ret = -ENOENT;

	n = store_ports(sw->store, m->bridge, &ps);
	for (i = 0; i < n && ret; i++) {
		if (!strcmp(ps[i].ifname, m->ifname) ||
		    !strcmp(ps[i].internal, m->ifname)) {
			snprintf(m->ifname, sizeof(m->ifname), "%s",
				 ps[i].ifname);
			ret = 0;
		}
	}
	free(ps);
	return ret;
}

static int mac_store(struct cmd_call *c, void *ctx)
{
	struct sw_mac_txn *t = ctx;

	if (t->m.mac[0] & 1)
		return sw_say(c, -EINVAL, "%s is a multicast address",
			      cmd_arg(c, "MAC"));
	if (mac_port(&t->m))
		return sw_say(c, -ENOENT, "%s is not a port of bridge %s",
			      t->m.ifname, t->m.bridge);
	if (store_mac_put(sw->store, &t->m))
		return sw_store_err(c);
	return 0;
}

int sw_mac_apply(struct cmd_call *c, void *ctx)
{
	struct sw_mac_txn *t = ctx;

	t->br = sw_bridge_find(t->m.bridge);
	t->ifindex = (int)if_nametoindex(t->m.ifname);
	if (t->br && t->ifindex &&
	    dp_fdb_add_static(t->br->dp, t->m.mac, t->m.vid, t->ifindex))
		return sw_say(c, -EIO, "%s", dp_error());
	return 0;
}

void sw_mac_undo(struct cmd_call *c, void *ctx)
{
	struct sw_mac_txn *t = ctx;

	(void)c;
	if (t->br && t->ifindex)
		dp_fdb_del(t->br->dp, t->m.mac, t->m.vid);
}

static int no_mac_store(struct cmd_call *c, void *ctx)
{
	struct sw_mac_txn *t = ctx;

	if (store_mac_del(sw->store, t->m.bridge, t->m.mac, t->m.vid))
		return sw_say(c, -ENOENT, "no static entry %s in VLAN %u",
			      cmd_arg(c, "MAC"), t->m.vid);
	return 0;
}

void sw_mac_del_done(struct cmd_call *c, void *ctx)
{
	struct sw_mac_txn *t = ctx;
	struct sw_bridge *br = sw_bridge_find(t->m.bridge);

	(void)c;
	if (br)
		dp_fdb_del(br->dp, t->m.mac, t->m.vid);
}

static int do_mac_static(struct cmd_call *c)
{
	static const struct sw_txn add = { mac_store, sw_mac_apply, sw_mac_undo,
					   NULL };
	static const struct sw_txn del = { no_mac_store, NULL, NULL,
					   sw_mac_del_done };
	struct sw_mac_txn t = { 0 };

	snprintf(t.m.bridge, sizeof(t.m.bridge), "%s", c->s->bridge);
	memcpy(t.m.mac, cmd_value(c, "MAC")->mac, 6);
	t.m.vid = (uint16_t)cmd_num(c, "VID", 0);
	if (!c->no)
		snprintf(t.m.ifname, sizeof(t.m.ifname), "%s",
			 cmd_arg(c, "IFNAME"));
	return sw_txn_run(c, c->no ? &del : &add, &t);
}

static void mac_config(struct out *o, const struct cfg_bridge *b)
{
	struct cfg_mac *ms = NULL;
	char mac[18];
	int n, i;

	n = store_macs(sw->store, b->name, &ms);
	for (i = 0; i < n; i++) {
		if (ms[i].sticky)
			continue; /* sticky.c's */
		dp_mac_format(ms[i].mac, mac);
		out_printf(o, " mac static %s vlan %u interface %s\n", mac,
			   ms[i].vid, ms[i].ifname);
	}
	free(ms);
}

/* ---- show and clear ---- */

/* [bridge NAME] [vlan VID] [interface IFNAME] of show and clear. */
static int mac_filter(struct cmd_call *c, const char **bridge,
		      struct dp_fdb_filter *f)
{
	const char *ifname = cmd_arg(c, "interface");

	*bridge = cmd_arg(c, "bridge");
	f->vid = (__u16)cmd_num(c, "vlan", 0);
	if (ifname) {
		f->ifindex = sw_port_index(ifname);
		if (!f->ifindex)
			return sw_say(c, -ENODEV, "no interface named %s",
				      ifname);
	}
	if (*bridge && !sw_bridge_find(*bridge))
		return sw_say(c, -ENOENT, "no bridge named %s", *bridge);
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
			return sw_say(c, n, "%s", dp_error());
		total += n;
	}
	out_printf(&c->s->out, "%d dynamic %s cleared\n", total,
		   total == 1 ? "entry" : "entries");
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
	__u32 cur;			/* bridge being collected */
	struct sw_internal_name *hosts; /* internal ports, by host side */
	int nhosts;
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

/* Heapsort's step: the item at root sinks to its place among the first
 * n. */
static void mac_sift(struct mac_item *a, size_t root, size_t n)
{
	struct mac_item t;
	size_t child;

	for (; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && mac_cmp(&a[child], &a[child + 1]) < 0)
			child++;
		if (mac_cmp(&a[root], &a[child]) >= 0)
			break;
		t = a[root], a[root] = a[child], a[child] = t;
	}
}

/* In place (glibc's qsort would allocate a copy of the whole table). */
static void mac_sort(struct mac_item *a, size_t n)
{
	struct mac_item t;
	size_t start, end;

	for (start = n / 2; n > 1 && start-- > 0;)
		mac_sift(a, start, n);
	for (end = n; end > 1;) {
		end--;
		t = a[0], a[0] = a[end], a[end] = t;
		mac_sift(a, 0, end);
	}
}

/* The name of a port: an internal port's host side, or the interface's. */
static void mac_port_name(const struct mac_stream *m, __u32 ifindex,
			  char name[IF_NAMESIZE])
{
	int i;

	for (i = 0; i < m->nhosts; i++) {
		if (m->hosts[i].ifindex == (int)ifindex) {
			snprintf(name, IF_NAMESIZE, "%s", m->hosts[i].name);
			return;
		}
	}
	if (!if_indextoname(ifindex, name))
		snprintf(name, IF_NAMESIZE, "#%u", ifindex);
}

static void mac_print(struct out *o, const struct mac_stream *m,
		      const char *bridge, const struct dp_fdb_entry *e)
{
	bool is_static = e->flags & XBR_FDB_F_STATIC;
	const char *type = e->flags & XBR_FDB_F_LOCAL ? "local"
			   : is_static		      ? "static"
						      : "dynamic";
	char mac[18], ifname[IF_NAMESIZE];

	dp_mac_format(e->mac, mac);
	mac_port_name(m, e->ifindex, ifname);
	out_open(o, NULL, '{');
	out_str(o, NULL, "%-15s", bridge);
	out_uint(o, NULL, " %4llu", e->vid);
	out_str(o, "mac", "  %-17s", mac);
	out_str(o, NULL, "  %-7s", type);
	out_str(o, "ifname", "  %-15s", ifname);
	out_uint(o, "vlan", NULL, e->vid);
	/* as bridge -j fdb show has a learned, a static and a local entry */
	out_open(o, "flags", '[');
	out_close(o, ']');
	out_str(o, "master", NULL, bridge);
	out_str(o, "state", NULL,
		e->flags & XBR_FDB_F_LOCAL ? "permanent"
		: is_static		   ? "static"
					   : "");
	if (is_static)
		out_str(o, NULL, " %6s\n", "-");
	else
		out_uint(o, "age", " %6llu\n", e->age_ns / 1000000000ULL);
	out_close(o, '}');
}

static void mac_stream_free(void *ctx)
{
	struct mac_stream *m = ctx;

	free(m->items);
	free(m->names);
	free(m->hosts);
	free(m);
}

/* "12 entries", in text. */
static void mac_count(struct out *o, size_t n)
{
	out_text(o, "%zu %s\n", n, n == 1 ? "entry" : "entries");
}

/* The next part of the table; false after the last. */
static bool mac_more(struct cmd_session *s)
{
	struct mac_stream *m = s->more_ctx;
	struct out *o = &s->out;
	size_t end = m->next + MAC_PART;

	for (; m->next < m->n && m->next < end; m->next++)
		mac_print(o, m, m->names[m->items[m->next].bridge],
			  &m->items[m->next].e);
	if (m->next < m->n)
		return true;
	out_close(o, ']');
	if (o->json) /* the reply's end, after its last part */
		out_printf(o, "\n");
	mac_count(o, m->n);
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
		return sw_say(c, -ENOMEM, "out of memory");
	}
	/* Room for every entry there can be, reserved once: untouched pages
	 * of a large allocation cost no memory, and no realloc doubles it. */
	for (b = sw->bridges; b; b = b->next)
		if (!bridge || !strcmp(bridge, b->name))
			m->cap += dp_fdb_capacity(b->dp);
	m->items = malloc((m->cap ? m->cap : 1) * sizeof(*m->items));
	if (!m->items) {
		mac_stream_free(m);
		return sw_say(c, -ENOMEM, "out of memory");
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
			return sw_say(c, -EIO, "%s",
				      err == -ENOMEM ? "out of memory"
						     : dp_error());
		}
	}
	m->f = NULL;
	if (count) {
		out_open(o, NULL, '{');
		out_uint(o, "count", NULL, m->n);
		out_close(o, '}');
		mac_count(o, m->n);
		mac_stream_free(m);
		return 0;
	}
	mac_sort(m->items, m->n);
	m->nhosts = sw_internal_names(&m->hosts);
	out_open(o, NULL, '[');
	out_text(o, "%-15s %4s  %-17s  %-7s  %-15s %6s\n", "bridge", "vlan",
		 "mac", "type", "interface", "age");
	/* The first part now; the socket asks for the rest. */
	c->s->more = mac_more;
	c->s->more_ctx = m;
	c->s->more_free = mac_stream_free;
	if (!mac_more(c->s))
		cmd_more_cancel(c->s);
	return 0;
}

static const struct cmd_def mac_cmds[] = {
	SW_SHOW("mac address-table [bridge NAME] [vlan VID] [interface IFNAME] [count]",
		"MAC address information\nThe MAC address table\n"
		"Only one bridge\nBridge name\nOnly one VLAN\nVLAN id\n"
		"Only one port\nInterface name\nHow many entries, not the entries",
		do_show_mac),
	{ MODE_BIT(MODE_EXEC),
	  "clear mac address-table dynamic [bridge NAME] [vlan VID] [interface IFNAME]",
	  "Reset information\nMAC address information\nThe MAC address table\n"
	  "Learned entries (static ones stay)\nOnly one bridge\nBridge name\n"
	  "Only one VLAN\nVLAN id\nOnly one port\nInterface name",
	  do_clear_mac },
	{ MODE_BIT(MODE_BRIDGE),
	  "[no] mac static MAC vlan VID {interface IFNAME}",
	  "Remove configuration\nMAC address table\nA static entry\n"
	  "MAC address\nIn VLAN\nVLAN id\nOn port\nInterface name",
	  do_mac_static },
};

SW_FEATURE(mac, .config_bridge = mac_config, .reconcile_add = mac_reconcile);
