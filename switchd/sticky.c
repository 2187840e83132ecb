// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sticky addresses: on a port with `mac sticky`, what the datapath learns
 * becomes a static entry, saved in the store as a sticky row of static_mac
 * (shown in the running config as `port IFNAME mac sticky MAC vlan VID`),
 * so that it survives a restart. Every second the daemon walks the FDB
 * for the dynamic entries of sticky ports and makes them static in place;
 * they stay counted in the port's learned entries, so its learn limit
 * still applies. `no port IFNAME mac sticky` makes them dynamic again:
 * they age as any learned entry.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "switchd/switchd.h"

/* A sticky port of a bridge, as the walk sees it. */
struct sticky_port {
	char ifname[IF_NAMESIZE];
	int ifindex;
	__u64 learned; /* entries counted as learned (dynamic and sticky) */
	int dynamic;   /* found by the walk */
	int stuck;     /* static entries of its sticky rows, found */
	int rows;      /* its sticky rows in the store */
};

struct sticky_walk {
	struct sticky_port *ports;
	int nports;
	struct cfg_mac *rows; /* the bridge's static entries */
	int nrows;
	struct cfg_mac *found; /* dynamic entries of sticky ports */
	int nfound, capfound;
	const char *bridge;
};

static struct sticky_port *walk_port(struct sticky_walk *w, int ifindex)
{
	int i;

	for (i = 0; i < w->nports; i++)
		if (w->ports[i].ifindex == ifindex)
			return &w->ports[i];
	return NULL;
}

static struct cfg_mac *row_of(struct cfg_mac *rows, int n, const __u8 *mac,
			      __u16 vid)
{
	int i;

	for (i = 0; i < n; i++)
		if (!memcmp(rows[i].mac, mac, 6) && rows[i].vid == vid)
			return &rows[i];
	return NULL;
}

static int walk_entry(const struct dp_fdb_entry *e, void *ctx)
{
	struct sticky_walk *w = ctx;
	struct sticky_port *p = walk_port(w, (int)e->ifindex);
	struct cfg_mac *row, *grown;

	if (!p || (e->flags & XBR_FDB_F_LOCAL))
		return 0;
	row = row_of(w->rows, w->nrows, e->mac, e->vid);
	if (e->flags & XBR_FDB_F_STATIC) {
		if (row && row->sticky)
			p->stuck++;
		return 0;
	}
	p->dynamic++;
	if (row)
		return 0; /* a configured entry of a port that is absent */
	if (w->nfound == w->capfound) {
		w->capfound = w->capfound ? 2 * w->capfound : 64;
		grown = realloc(w->found, (size_t)w->capfound * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		w->found = grown;
	}
	row = &w->found[w->nfound++];
	memset(row, 0, sizeof(*row));
	snprintf(row->bridge, sizeof(row->bridge), "%s", w->bridge);
	memcpy(row->mac, e->mac, 6);
	row->vid = e->vid;
	snprintf(row->ifname, sizeof(row->ifname), "%s", p->ifname);
	row->sticky = true;
	return 0;
}

/* Save the entries found as sticky rows, in one transaction; 0 or -EIO. */
static int sticky_save(const struct sticky_walk *w)
{
	int i;

	if (store_begin(sw->store))
		return -EIO;
	for (i = 0; i < w->nfound; i++)
		if (store_mac_put(sw->store, &w->found[i])) {
			store_rollback(sw->store);
			return -EIO;
		}
	return store_commit(sw->store) ? -EIO : 0;
}

/* The bridge's sticky ports attached now, with their counts; how many. */
static int sticky_ports(struct sw_bridge *br, struct sticky_walk *w)
{
	struct dp_port_counters k;
	struct cfg_port *ps = NULL;
	struct sticky_port *sp;
	int n, i, j;

	n = store_ports(sw->store, br->name, &ps);
	w->ports = calloc(n > 0 ? (size_t)n : 1, sizeof(*w->ports));
	for (i = 0; w->ports && i < n; i++) {
		sp = &w->ports[w->nports];
		sp->ifindex = (int)if_nametoindex(ps[i].ifname);
		if (!ps[i].mac_sticky || !sp->ifindex ||
		    dp_port_counters(br->dp, sp->ifindex, &k))
			continue;
		snprintf(sp->ifname, sizeof(sp->ifname), "%s", ps[i].ifname);
		sp->learned = k.fdb_entries;
		for (j = 0; j < w->nrows; j++)
			if (w->rows[j].sticky &&
			    !strcmp(w->rows[j].ifname, sp->ifname))
				sp->rows++;
		w->nports++;
	}
	free(ps);
	return w->nports;
}

/*
 * Walk the FDB of a bridge with sticky ports, when a port's count says
 * there is something to do (a dynamic entry, or a count that is not its
 * sticky rows: a restart without pins, a sticky entry removed): save and
 * make static what they learned, and set each port's count to what it
 * holds.
 */
static void sticky_bridge(struct sw_bridge *br)
{
	struct sticky_walk w = { .bridge = br->name };
	struct sticky_port *sp;
	bool walk = false;
	int i;

	w.nrows = store_macs(sw->store, br->name, &w.rows);
	if (w.nrows < 0)
		w.nrows = 0;
	if (sticky_ports(br, &w) > 0)
		for (i = 0; i < w.nports; i++)
			walk |= w.ports[i].learned != (__u64)w.ports[i].rows;
	if (walk && dp_fdb_dump(br->dp, walk_entry, &w))
		log_warn("bridge %s: sticky addresses: the walk failed",
			 br->name);
	else if (walk && w.nfound && sticky_save(&w))
		log_warn("bridge %s: sticky addresses not saved: %s", br->name,
			 store_error(sw->store));
	else if (walk) {
		/* made static, each stays counted as learned: it was
		 * among the port's dynamic entries */
		for (i = 0; i < w.nfound; i++)
			dp_fdb_set_static(br->dp, w.found[i].mac,
					  w.found[i].vid, true);
		for (i = 0; i < w.nports; i++) {
			sp = &w.ports[i];
			dp_port_set_learned(br->dp, sp->ifindex,
					    (__u64)(sp->dynamic + sp->stuck));
		}
		if (w.nfound)
			log_info("bridge %s: %d addresses made sticky",
				 br->name, w.nfound);
	}
	free(w.found);
	free(w.ports);
	free(w.rows);
}

/* After the static entries are in (mac.c's reconciliation comes first):
 * the sticky ports' counts, before a restarted datapath learns much. */
static void sticky_reconcile(const struct cfg_bridge *bs, int nb)
{
	(void)bs;
	(void)nb;
	sw_sticky_tick();
}

void sw_sticky_tick(void)
{
	struct sw_bridge *br;

	for (br = sw->bridges; br; br = br->next)
		sticky_bridge(br);
}

/* ---- the commands ---- */

/* The sticky rows of a port, or of every port (ifname NULL). */
static int sticky_rows(const char *bridge, const char *ifname,
		       struct cfg_mac **out)
{
	struct cfg_mac *ms = NULL;
	int n, i, k = 0;

	n = store_macs(sw->store, bridge, &ms);
	for (i = 0; i < n; i++)
		if (ms[i].sticky && (!ifname || !strcmp(ms[i].ifname, ifname)))
			ms[k++] = ms[i];
	*out = ms;
	return n < 0 ? n : k;
}

struct unstick_txn {
	struct cfg_port p;
	struct cfg_mac *rows;
	int n;
};

static int unstick_store(struct cmd_call *c, void *ctx)
{
	struct unstick_txn *t = ctx;
	int i;

	t->n = sticky_rows(t->p.bridge, t->p.ifname, &t->rows);
	if (t->n < 0 || store_port_put(sw->store, &t->p))
		return sw_store_err(c);
	for (i = 0; i < t->n; i++)
		if (store_mac_del(sw->store, t->p.bridge, t->rows[i].mac,
				  t->rows[i].vid))
			return sw_store_err(c);
	return 0;
}

/* The port's sticky entries, dynamic again (they stay counted as
 * learned): aged as any learned entry. */
static void unstick_done(struct cmd_call *c, void *ctx)
{
	struct unstick_txn *t = ctx;
	struct sw_bridge *br = sw_bridge_find(t->p.bridge);
	int i;

	(void)c;
	if (!br)
		return;
	for (i = 0; i < t->n; i++)
		dp_fdb_set_static(br->dp, t->rows[i].mac, t->rows[i].vid,
				  false);
}

/* [no] port IFNAME mac sticky */
static int do_port_sticky(struct cmd_call *c)
{
	static const struct sw_txn unstick = { unstick_store, NULL, NULL,
					       unstick_done };
	const char *ifname = cmd_arg(c, "IFNAME");
	struct unstick_txn t = { 0 };
	struct sw_bridge *br;
	int ret;

	if (c->no && (store_port_get(sw->store, ifname, &t.p) ||
		      strcmp(t.p.bridge, c->s->bridge)))
		return sw_say(c, -ENOENT, "%s is not a port of bridge %s",
			      ifname, c->s->bridge);
	sw_port_current(c->s->bridge, ifname, &t.p);
	t.p.mac_sticky = !c->no;
	if (!c->no)
		return sw_port_apply(c, &t.p);
	/* what it learned until now is sticky too, and counted right */
	br = sw_bridge_find(c->s->bridge);
	if (br && !c->s->boot)
		sticky_bridge(br);
	ret = sw_txn_run(c, &unstick, &t);
	free(t.rows);
	return ret;
}

static int stick_store(struct cmd_call *c, void *ctx)
{
	struct sw_mac_txn *t = ctx;
	struct cfg_port p;

	if (store_port_get(sw->store, t->m.ifname, &p) ||
	    strcmp(p.bridge, t->m.bridge))
		return sw_say(c, -ENOENT, "%s is not a port of bridge %s",
			      t->m.ifname, t->m.bridge);
	if (!p.mac_sticky)
		return sw_say(c, -EINVAL,
			      "%s has no sticky addresses (port %s mac sticky)",
			      p.ifname, p.ifname);
	if (t->m.mac[0] & 1)
		return sw_say(c, -EINVAL, "%s is a multicast address",
			      cmd_arg(c, "MAC"));
	if (store_mac_put(sw->store, &t->m))
		return sw_store_err(c);
	return 0;
}

static int unstick_one_store(struct cmd_call *c, void *ctx)
{
	struct sw_mac_txn *t = ctx;
	struct cfg_mac *rows = NULL, *row;
	int n = sticky_rows(t->m.bridge, t->m.ifname, &rows), ret = 0;

	row = n > 0 ? row_of(rows, n, t->m.mac, t->m.vid) : NULL;
	if (!row)
		ret = sw_say(c, -ENOENT,
			     "no sticky address %s in VLAN %u on %s",
			     cmd_arg(c, "MAC"), t->m.vid, t->m.ifname);
	else if (store_mac_del(sw->store, t->m.bridge, t->m.mac, t->m.vid))
		ret = sw_store_err(c);
	free(rows);
	return ret;
}

/* [no] port IFNAME mac sticky MAC vlan VID: one sticky address, as the
 * running config has it */
static int do_sticky_address(struct cmd_call *c)
{
	static const struct sw_txn add = { stick_store, sw_mac_apply,
					   sw_mac_undo, NULL };
	static const struct sw_txn del = { unstick_one_store, NULL, NULL,
					   sw_mac_del_done };
	struct sw_mac_txn t = { 0 };

	snprintf(t.m.bridge, sizeof(t.m.bridge), "%s", c->s->bridge);
	snprintf(t.m.ifname, sizeof(t.m.ifname), "%s", cmd_arg(c, "IFNAME"));
	memcpy(t.m.mac, cmd_value(c, "MAC")->mac, 6);
	t.m.vid = (uint16_t)cmd_num(c, "VID", 0);
	t.m.sticky = true;
	return sw_txn_run(c, c->no ? &del : &add, &t);
}

static void sticky_config(struct out *o, const struct cfg_bridge *b)
{
	struct cfg_port *ps = NULL;
	struct cfg_mac *rows = NULL;
	int np, nr, i, j;
	char mac[18];

	np = store_ports(sw->store, b->name, &ps);
	nr = sticky_rows(b->name, NULL, &rows);
	for (i = 0; i < np; i++) {
		if (!ps[i].mac_sticky)
			continue;
		out_printf(o, " port %s mac sticky\n", ps[i].ifname);
		for (j = 0; j < nr; j++) {
			if (strcmp(rows[j].ifname, ps[i].ifname))
				continue;
			dp_mac_format(rows[j].mac, mac);
			out_printf(o, " port %s mac sticky %s vlan %u\n",
				   ps[i].ifname, mac, rows[j].vid);
		}
	}
	free(rows);
	free(ps);
}

static const struct cmd_def sticky_cmds[] = {
	{ MODE_BIT(MODE_BRIDGE), "[no] port IFNAME mac sticky",
	  "Remove configuration\nA port\nInterface name\nMAC addresses\n"
	  "Learned addresses become static entries, saved|"
	  "Its sticky addresses become learned ones again",
	  do_port_sticky },
	{ MODE_BIT(MODE_BRIDGE), "[no] port IFNAME mac sticky MAC vlan VID",
	  "Remove configuration\nA port\nInterface name\nMAC addresses\n"
	  "A sticky address (as the running config has it)\nMAC address\n"
	  "In VLAN\nVLAN id",
	  do_sticky_address },
};

SW_FEATURE(sticky, .config_bridge = sticky_config,
	   .reconcile_add = sticky_reconcile);
