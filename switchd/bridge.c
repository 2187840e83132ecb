// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bridges: their commands (bridge, its ageing time, learn limit and FDB
 * capacity; show bridge), their lines of the running config, and their
 * datapaths (open, rebuild, destroy, age).
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>

#include "lib/log.h"
#include "switchd/switchd.h"

/* ---- the datapath ---- */

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
		if (sw_slowpath_on(b))
			log_warn("bridge %s: slow path: %s", cfg->name,
				 dp_error());
		if (sw_events_bridge_open(b))
			log_warn("bridge %s: events: %s", cfg->name,
				 dp_error());
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
		sw_events_bridge_close(b);
		if (dp_bridge_destroy(b->dp))
			log_warn("bridge %s: %s", name, dp_error());
		free(b);
		return;
	}
}

static bool in_store(const struct cfg_bridge *bridges, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(bridges[i].name, name))
			return true;
	return false;
}

/* Bridges the store does not have go (open or only pinned); the store's
 * are opened. */
static void bridge_reconcile(const struct cfg_bridge *bs, int n)
{
	struct sw_bridge *b, *next;
	struct dirent *de;
	char err[SW_ERRLEN];
	DIR *d;
	int i;

	for (b = sw->bridges; b; b = next) {
		next = b->next;
		if (!in_store(bs, n, b->name))
			sw_bridge_destroy(b->name);
	}
	d = opendir(sw->pin_root);
	while (d && (de = readdir(d))) {
		struct dp_bridge_opts o = { .sz = sizeof(o),
					    .pin_root = sw->pin_root };
		struct dp_bridge *dp;

		if (de->d_name[0] == '.' || in_store(bs, n, de->d_name) ||
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
	for (i = 0; i < n; i++)
		if (sw_bridge_open(&bs[i], NULL, err, sizeof(err)))
			log_err("bridge %s: %s", bs[i].name, err);
}

void sw_age_all(void)
{
	struct cfg_bridge cfg;
	struct sw_bridge *b;
	int n;

	for (b = sw->bridges; b; b = b->next) {
		if (store_bridge_get(sw->store, b->name, &cfg))
			continue;
		n = sw_events_age(b, (__u64)cfg.ageing_time * 1000000000ULL);
		if (n > 0)
			log_debug("bridge %s: %d entries aged out", b->name, n);
	}
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

void sw_close_all(void)
{
	struct sw_bridge *b;

	while ((b = sw->bridges)) {
		sw->bridges = b->next;
		sw_events_bridge_close(b);
		dp_bridge_close(b->dp);
		free(b);
	}
}

/* ---- bridge NAME, no bridge NAME ---- */

struct bridge_txn {
	const char *name;
	struct cfg_bridge b;
	bool created;
	struct cfg_port *ports; /* no bridge: what goes with it */
	int nports;
};

static int bridge_store(struct cmd_call *c, void *ctx)
{
	struct bridge_txn *t = ctx;
	int ret;

	/* fault 12: only "no such bridge" means a new one */
	ret = store_bridge_get(sw->store, t->name, &t->b);
	if (ret && ret != -ENOENT)
		return sw_store_err(c);
	t->created = ret == -ENOENT;
	if (t->created && store_bridge_put(sw->store, &t->b))
		return sw_store_err(c);
	return 0;
}

static int bridge_apply(struct cmd_call *c, void *ctx)
{
	struct bridge_txn *t = ctx;
	char err[SW_ERRLEN];

	if (t->created && sw_bridge_open(&t->b, NULL, err, sizeof(err)))
		return sw_say(c, -EIO, "bridge %s: %s", t->name, err);
	return 0;
}

static void bridge_undo(struct cmd_call *c, void *ctx)
{
	struct bridge_txn *t = ctx;

	(void)c;
	if (t->created)
		sw_bridge_destroy(t->name);
}

static void bridge_enter(struct cmd_call *c, void *ctx)
{
	struct bridge_txn *t = ctx;

	c->s->mode = MODE_BRIDGE;
	snprintf(c->s->bridge, sizeof(c->s->bridge), "%s", t->name);
}

static int no_bridge_store(struct cmd_call *c, void *ctx)
{
	struct bridge_txn *t = ctx;

	t->nports = store_ports(sw->store, t->name, &t->ports);
	if (store_bridge_del(sw->store, t->name))
		return sw_say(c, -ENOENT, "no bridge named %s", t->name);
	return 0;
}

static void no_bridge_done(struct cmd_call *c, void *ctx)
{
	struct bridge_txn *t = ctx;
	int i;

	sw_bridge_destroy(t->name);
	for (i = 0; i < t->nports; i++)
		sw_internal_delete(&t->ports[i]);
	if (c->s->mode == MODE_BRIDGE && !strcmp(c->s->bridge, t->name))
		c->s->mode = MODE_CONFIG;
}

static int do_bridge(struct cmd_call *c)
{
	static const struct sw_txn add = { bridge_store, bridge_apply,
					   bridge_undo, bridge_enter };
	static const struct sw_txn del = { no_bridge_store, NULL, NULL,
					   no_bridge_done };
	struct bridge_txn t = {
		.name = cmd_arg(c, "NAME"),
		.b = { .ageing_time = CFG_DEFAULT_AGEING,
		       .fdb_capacity = DP_DEFAULT_FDB_CAPACITY },
	};
	int ret;

	snprintf(t.b.name, sizeof(t.b.name), "%s", t.name);
	ret = sw_txn_run(c, c->no ? &del : &add, &t);
	free(t.ports);
	return ret;
}

/* ---- the bridge's settings ---- */

struct bridge_value {
	const char *keyword;
	size_t off; /* of its uint32_t in struct cfg_bridge */
	uint32_t dflt;
	bool to_datapath;
};

#define FIELD(name) offsetof(struct cfg_bridge, name)

static const struct bridge_value bridge_values[] = {
	{ "ageing-time", FIELD(ageing_time), CFG_DEFAULT_AGEING, false },
	{ "learn-limit", FIELD(learn_limit), 0, true },
	{ "fdb-capacity", FIELD(fdb_capacity), DP_DEFAULT_FDB_CAPACITY, true },
};

struct value_txn {
	const struct bridge_value *bv;
	struct cfg_bridge b;
	uint32_t value, old;
	bool open; /* the bridge's datapath is open */
};

static uint32_t *value_of(struct value_txn *t)
{
	return (uint32_t *)((char *)&t->b + t->bv->off);
}

static int value_store(struct cmd_call *c, void *ctx)
{
	struct value_txn *t = ctx;
	int ret = sw_which_bridge(c, &t->b);

	if (ret)
		return ret;
	t->old = *value_of(t);
	*value_of(t) = t->value;
	if (store_bridge_put(sw->store, &t->b))
		return sw_store_err(c);
	t->open = t->bv->to_datapath && sw_bridge_find(t->b.name);
	return 0;
}

static int value_apply(struct cmd_call *c, void *ctx)
{
	struct value_txn *t = ctx;
	char err[SW_ERRLEN];

	if (t->open && sw_bridge_open(&t->b, NULL, err, sizeof(err)))
		return sw_say(c, -EIO, "%s", err);
	return 0;
}

static void value_undo(struct cmd_call *c, void *ctx)
{
	struct value_txn *t = ctx;
	char err[SW_ERRLEN];

	(void)c;
	*value_of(t) = t->old;
	if (t->open)
		sw_bridge_open(&t->b, NULL, err, sizeof(err));
}

/* [no] ageing-time | learn-limit | fdb-capacity */
static int do_bridge_value(struct cmd_call *c)
{
	static const struct sw_txn txn = { value_store, value_apply, value_undo,
					   NULL };
	const char *keyword = c->argv[c->no ? 1 : 0];
	unsigned int rebuilds = sw->rebuilds;
	struct value_txn t = { 0 };
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bridge_values); i++)
		if (!strcmp(bridge_values[i].keyword, keyword))
			t.bv = &bridge_values[i];
	t.value =
		c->no ? t.bv->dflt : (uint32_t)cmd_num(c, keyword, t.bv->dflt);
	ret = sw_txn_run(c, &txn, &t);
	if (c->s->boot)
		return ret;
	if (!ret)
		sw_arm_ageing();
	/* A rebuilt datapath gets its ports and static entries back; a
	 * change that failed before the datapath touches nothing else
	 * (fault 12). */
	if (sw->rebuilds != rebuilds)
		sw_reconcile();
	return ret;
}

static void bridge_config(struct out *o, const struct cfg_bridge *b)
{
	const struct bridge_value *bv;
	uint32_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bridge_values); i++) {
		bv = &bridge_values[i];
		v = *(const uint32_t *)((const char *)b + bv->off);
		if (v != bv->dflt)
			out_printf(o, " %s %u\n", bv->keyword, v);
	}
}

/* ---- show bridge ---- */

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
		return sw_say(c, -EIO, "%s", store_error(sw->store));
	out_open(o, NULL, '[');
	out_text(o, "%-15s %5s %7s %11s %14s %10s\n", "bridge", "ports",
		 "ageing", "learn-limit", "mac-entries", "capacity");
	for (i = 0; i < n; i++) {
		if (only && strcmp(only, bs[i].name))
			continue;
		shown++;
		br = sw_bridge_find(bs[i].name);
		np = store_ports(sw->store, bs[i].name, &ps);
		free(ps);
		out_open(o, NULL, '{');
		out_str(o, "name", "%-15s", bs[i].name);
		out_uint(o, "ports", " %5llu", (unsigned)np);
		out_uint(o, "ageing_time", " %7llu", bs[i].ageing_time);
		out_uint(o, "learn_limit", " %11llu", bs[i].learn_limit);
		out_uint(o, "mac_entries", " %14llu",
			 br ? dp_bridge_learned(br->dp) : 0);
		out_uint(o, "fdb_capacity", " %10llu\n",
			 br ? dp_fdb_capacity(br->dp) : bs[i].fdb_capacity);
		out_close(o, '}');
	}
	out_close(o, ']');
	free(bs);
	if (only && !shown)
		return sw_say(c, -ENOENT, "no bridge named %s", only);
	return 0;
}

static const struct cmd_def bridge_cmds[] = {
	SW_SHOW("bridge [NAME]", "Bridges\nOnly this bridge", do_show_bridge),
	{ MODE_BIT(MODE_CONFIG), "[no] bridge NAME",
	  "Remove configuration\n"
	  "Configure a bridge (created if new)|A bridge, its ports and its datapath\n"
	  "Bridge name",
	  do_bridge },
	{ MODE_BIT(MODE_BRIDGE), "[no] ageing-time {(10-1000000)}",
	  "Remove configuration\n"
	  "How long a learned entry lives unseen|The ageing time (back to 300 s)\n"
	  "Seconds",
	  do_bridge_value },
	{ MODE_BIT(MODE_BRIDGE), "[no] learn-limit {(0-4294967295)}",
	  "Remove configuration\n"
	  "Most learned MAC entries in the bridge|The bridge's learn limit\n"
	  "Entries (0: no limit)",
	  do_bridge_value },
	{ MODE_BIT(MODE_BRIDGE), "[no] fdb-capacity {(1024-16777216)}",
	  "Remove configuration\n"
	  "Room in the MAC address table (rebuilds the datapath: learned entries go)"
	  "|The capacity (back to 65536)\n"
	  "Entries",
	  do_bridge_value },
};

SW_FEATURE(bridge, .config_bridge = bridge_config,
	   .reconcile_remove = bridge_reconcile);
