// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the features of switchd share: the value types of the command
 * language, the session's modes, the transaction of a configuration
 * change, and the walks over features (command tables, running config,
 * reconciliation) in one fixed order.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "switchd/switchd.h"

/* The order of the running config, of reconciliation and of the command
 * tables (the order in which an ambiguous word's choices are named). */
static const struct sw_feature *const features[] = {
	&sw_feature_slowpath, &sw_feature_errdisable, &sw_feature_bridge,
	&sw_feature_port,     &sw_feature_interfaces, &sw_feature_internal,
	&sw_feature_mac,      &sw_feature_mirror,     &sw_feature_system,     &sw_feature_stp,
	&sw_feature_trace,
	&sw_feature_storm,
	&sw_feature_sticky, &sw_feature_events,
	&sw_feature_rates, &sw_feature_metrics,
};

#define for_each_feature(f, i) \
	for ((i) = 0; (i) < ARRAY_SIZE(features) && ((f) = features[i]); (i)++)

/* ---- messages and the transaction ---- */

int sw_say(struct cmd_call *c, int err, const char *fmt, ...)
{
	char buf[SW_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out_printf(&c->s->out, "%% %s\n", buf);
	return err;
}

int sw_store_err(struct cmd_call *c)
{
	return sw_say(c, -EIO, "configuration store: %s",
		      store_error(sw->store));
}

int sw_store_failed(struct cmd_call *c)
{
	store_rollback(sw->store);
	return sw_store_err(c);
}

int sw_txn_run(struct cmd_call *c, const struct sw_txn *t, void *ctx)
{
	bool dp = !c->s->boot && t->apply; /* the datapath follows by
					    * reconciliation at boot */
	int ret, changes;

	if (store_begin(sw->store))
		return sw_store_failed(c);
	changes = store_total_changes(sw->store);
	ret = t->store ? t->store(c, ctx) : 0;
	if (ret) {
		store_rollback(sw->store);
		return ret;
	}
	ret = dp ? t->apply(c, ctx) : 0;
	if (ret) {
		store_rollback(sw->store);
		if (t->undo)
			t->undo(c, ctx);
		return ret;
	}
	if (store_commit(sw->store)) {
		ret = sw_store_failed(c);
		if (dp && t->undo)
			t->undo(c, ctx);
		return ret;
	}
	/* a change is an event; entering a bridge that is there is none */
	if (store_total_changes(sw->store) != changes)
		sw_event_config(c->s);
	if (t->done)
		t->done(c, ctx);
	return 0;
}

int sw_which_bridge(struct cmd_call *c, struct cfg_bridge *b)
{
	const char *name = cmd_arg(c, "NAME");
	struct cfg_bridge *all = NULL;
	int n;

	if (!name && c->s->mode == MODE_BRIDGE)
		name = c->s->bridge;
	if (name) {
		if (store_bridge_get(sw->store, name, b))
			return sw_say(c, -ENOENT, "no bridge named %s", name);
		return 0;
	}
	n = store_bridges(sw->store, &all);
	if (n == 1)
		*b = all[0];
	free(all);
	if (n == 1)
		return 0;
	return sw_say(c, -EINVAL,
		      n ? "there are %d bridges: name one"
			: "there is no bridge: create one first",
		      n);
}

/* ---- value types ---- */

static int parse_name(const char *w, struct cmd_value *v)
{
	(void)v;
	return dp_bridge_name_valid(w) ? 0 : -EINVAL;
}

static int parse_ifname(const char *w, struct cmd_value *v)
{
	size_t n = strlen(w);

	(void)v;
	return n && n < IF_NAMESIZE && !strchr(w, '/') && strcmp(w, ".") &&
			       strcmp(w, "..")
		       ? 0
		       : -EINVAL;
}

static int parse_mac(const char *w, struct cmd_value *v)
{
	struct cmd_value tmp;

	if (!v)
		v = &tmp;
	return strlen(w) == 17 && !dp_mac_parse(w, v->mac) ? 0 : -EINVAL;
}

static int parse_vid(const char *w, struct cmd_value *v)
{
	return cmd_parse_uint(w, 1, XBR_VID_MAX, v ? &v->num : NULL);
}

static int parse_vlanlist(const char *w, struct cmd_value *v)
{
	static struct xbr_vlan_set tmp;
	struct xbr_vlan_set *set = v ? &v->vlans : &tmp;

	if (!strcmp(w, "none")) {
		memset(set, 0, sizeof(*set));
		return 0;
	}
	return dp_vlan_list_parse(w, set) ? -EINVAL : 0;
}

static int parse_address(const char *w, struct cmd_value *v)
{
	unsigned char buf[sizeof(struct in6_addr)];

	(void)v;
	return inet_pton(AF_INET, w, buf) == 1 ||
			       inet_pton(AF_INET6, w, buf) == 1
		       ? 0
		       : -EINVAL;
}

static void complete_ifname(struct cmd_session *s, cmd_add_fn add, void *ctx)
{
	struct if_nameindex *ifs, *i;

	(void)s;
	ifs = if_nameindex();
	for (i = ifs; i && i->if_index; i++)
		add(ctx, i->if_name);
	if (ifs)
		if_freenameindex(ifs);
}

static void complete_bridge(struct cmd_session *s, cmd_add_fn add, void *ctx)
{
	struct cfg_bridge *bs = NULL;
	int n, k;

	(void)s;
	n = store_bridges(sw->store, &bs);
	for (k = 0; k < n; k++)
		add(ctx, bs[k].name);
	free(bs);
}

/* Hex digits, 0x allowed before them (a frame, an ethertype). */
static int parse_hex(const char *w, struct cmd_value *v)
{
	(void)v;
	if (!strncmp(w, "0x", 2) || !strncmp(w, "0X", 2))
		w += 2;
	return *w && strspn(w, "0123456789abcdefABCDEF") == strlen(w) ? 0
								      : -EINVAL;
}

static const struct cmd_type value_types[] = {
	{ "NAME",
	  "a name: a letter, then letters, digits, '_', '-', '.' (15 at most)",
	  parse_name, complete_bridge },
	{ "IFNAME", "an interface name", parse_ifname, complete_ifname },
	{ "MAC", "a MAC address aa:bb:cc:dd:ee:ff", parse_mac, NULL },
	{ "VID", "a VLAN id 1-4094", parse_vid, NULL },
	{ "VLANLIST", "VLANs 1-4094 as 10,20,30-40, all or none",
	  parse_vlanlist, NULL },
	{ "HEX", "hex digits (0x before them allowed)", parse_hex, NULL },
	{ "ADDRESS", "an IPv4 or IPv6 address", parse_address, NULL },
};

/* ---- the session's modes ---- */

/* In configuration mode already (a saved running config replayed, whose
 * first line it is), configure changes nothing. */
static int do_configure(struct cmd_call *c)
{
	c->s->mode = MODE_CONFIG;
	return 0;
}

/* Up one mode; in exec mode, the shell closes. */
static int do_exit(struct cmd_call *c)
{
	if (c->s->mode == MODE_BRIDGE)
		c->s->mode = MODE_CONFIG;
	else if (c->s->mode == MODE_CONFIG)
		c->s->mode = MODE_EXEC;
	else
		c->s->close = true;
	return 0;
}

/* "do" alone; "do COMMAND" is the engine's (cmd.c). */
static int do_do(struct cmd_call *c)
{
	return sw_say(c, -EINVAL, "Incomplete command: do what?");
}

static int do_terminal_length(struct cmd_call *c)
{
	c->s->term_fixed = !c->no;
	c->s->term_length = (unsigned int)cmd_num(c, "length", 0);
	return 0;
}

static int do_show_history(struct cmd_call *c)
{
	struct out *o = &c->s->out;
	int i;

	out_open(o, NULL, '[');
	/* this very line is the last: it is not shown */
	for (i = 0; i + 1 < c->s->nhistory; i++)
		out_str(o, "", "  %s\n", c->s->history[i]);
	out_close(o, ']');
	return 0;
}

static int do_end(struct cmd_call *c)
{
	c->s->mode = MODE_EXEC;
	return 0;
}

static const struct cmd_def session_cmds[] = {
	{ MODE_BIT(MODE_EXEC) | MODE_BIT(MODE_CONFIG), "configure [terminal]",
	  "Enter configuration mode\nFrom this terminal", do_configure },
	{ MODE_BIT(MODE_EXEC), "<exit|quit>",
	  "Leave the shell\nLeave the shell", do_exit },
	{ MODES_CONFIG, "exit", "Up one mode", do_exit },
	{ MODES_CONFIG, "end", "Back to exec mode", do_end },
	{ MODES_CONFIG, "do", "Run an exec command (do show ...)", do_do },
	{ MODE_BIT(MODE_EXEC), "[no] terminal length {(0-512)}",
	  "Back to the default\nThis terminal\n"
	  "Lines of a page (0: no pager)|Page by the terminal's height\n"
	  "Lines",
	  do_terminal_length },
	SW_SHOW("history", "The lines of this session", do_show_history),
};

/* ---- the walks over features ---- */

int cmds_init(void)
{
	const struct sw_feature *f;
	size_t i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(value_types) && !err; i++)
		err = cmd_type_register(&value_types[i]);
	if (!err)
		err = cmd_register(session_cmds, ARRAY_SIZE(session_cmds));
	for_each_feature(f, i) if (!err) err = cmd_register(f->cmds, f->ncmds);
	return err;
}

void cmds_running_config(struct out *o)
{
	const struct sw_feature *f;
	struct cfg_bridge *bs = NULL;
	int nb, b;
	size_t i;

	/* configure terminal first: the text replays as it is through
	 * xbr-cli -f, and as a startup file (already in that mode) */
	out_printf(o, "! xbr running configuration\n!\nconfigure terminal\n");
	for_each_feature(f, i) if (f->config) f->config(o);
	nb = store_bridges(sw->store, &bs);
	for (b = 0; b < nb; b++) {
		out_printf(o, "bridge %s\n", bs[b].name);
		for_each_feature(f, i) if (f->config_bridge)
			f->config_bridge(o, &bs[b]);
		out_printf(o, " exit\n!\n");
	}
	free(bs);
	out_printf(o, "end\n");
}

int sw_reconcile(void)
{
	const struct sw_feature *f;
	struct cfg_bridge *bs = NULL;
	size_t i;
	int n;

	n = store_bridges(sw->store, &bs);
	if (n < 0)
		return n;
	for_each_feature(f, i) if (f->reconcile_remove)
		f->reconcile_remove(bs, n);
	for_each_feature(f, i) if (f->reconcile_add) f->reconcile_add(bs, n);
	free(bs);
	return 0;
}

/* Every feature's part of the store that its tables do not hold. */
int sw_clear_all(void)
{
	const struct sw_feature *f;
	size_t i;

	for_each_feature(f, i) if (f->clear && f->clear()) return -EIO;
	return 0;
}

time_t sw_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}
