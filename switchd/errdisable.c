// SPDX-License-Identifier: GPL-2.0-only
/*
 * Err-disabled ports: one mechanism for every cause that shuts a port
 * down by itself (the learn limit's violation action, BPDU guard;
 * MAC-flap protection is meant to be a cause too). An err-disabled port
 * is down in the datapath as a port shut down is (XBR_PORT_F_DOWN), until
 * its cause's recovery interval has passed, or until shutdown or no
 * shutdown. The state lives in the daemon, not in the store: a daemon
 * that starts again brings the port back up. The commands: errdisable
 * recovery, show errdisable recovery; the timer that watches for
 * violations and brings ports back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "switchd/switchd.h"

static const char *const cause_names[SW_ERRDIS_MAX] = {
	[SW_ERRDIS_LEARN_LIMIT] = "learn-limit",
	[SW_ERRDIS_BPDU_GUARD] = "bpdu-guard",
};

/* A port the timer knows: err-disabled, or watched for a violation. */
struct errdis {
	char ifname[IF_NAMESIZE];
	enum sw_errdis_cause cause;
	bool disabled;
	time_t since;  /* monotonic seconds, when err-disabled */
	__u64 refused; /* learn refusals seen so far */
	bool seen;     /* refused is set */
};

/* A cause's row of the store's meta table: its interval, "" for none. */
#define RECOVERY_KEY "errdisable-recovery %s"

static struct errdis *eds;
static size_t neds;

static struct errdis *errdis_find(const char *ifname, bool make)
{
	struct errdis *grown;
	size_t i;

	for (i = 0; i < neds; i++)
		if (!strcmp(eds[i].ifname, ifname))
			return &eds[i];
	if (!make)
		return NULL;
	grown = realloc(eds, (neds + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	eds = grown;
	memset(&eds[neds], 0, sizeof(eds[0]));
	snprintf(eds[neds].ifname, sizeof(eds[0].ifname), "%s", ifname);
	return &eds[neds++];
}

const char *sw_errdisabled(const char *ifname)
{
	const struct errdis *e = errdis_find(ifname, false);

	return e && e->disabled ? cause_names[e->cause] : NULL;
}

void sw_errdisable_reset(const char *ifname)
{
	struct errdis *e = errdis_find(ifname, false);

	if (e)
		*e = eds[--neds];
}

/* The recovery interval of a cause in seconds; 0: none. */
static unsigned int recovery_interval(enum sw_errdis_cause cause)
{
	char key[64], text[32];
	unsigned int v;

	snprintf(key, sizeof(key), RECOVERY_KEY, cause_names[cause]);
	if (store_meta_get(sw->store, key, text, sizeof(text)) ||
	    sscanf(text, "%u", &v) != 1)
		return 0;
	return v;
}

/* Make the datapath what the port's state says (down or up). */
static void errdis_apply(const struct cfg_port *p)
{
	struct sw_bridge *br = sw_bridge_find(p->bridge);
	char err[SW_ERRLEN];
	int ret;

	if (!br)
		return;
	ret = sw_port_attach(br, p, err, sizeof(err));
	if (ret && ret != -ENODEV)
		log_err("port %s: %s", p->ifname, err);
}

/* The port's learn refusals, and whether it is at its limit. */
static int port_refused(const struct cfg_port *p, __u64 *refused, bool *full)
{
	struct sw_bridge *br = sw_bridge_find(p->bridge);
	int ifindex = (int)if_nametoindex(p->ifname);
	struct dp_port_counters k;

	if (!br || !ifindex || dp_port_counters(br->dp, ifindex, &k))
		return -ENOENT;
	*refused = k.s.learn_refused;
	*full = k.fdb_entries >= p->learn_limit;
	return 0;
}

/* A port with violation shutdown: err-disabled when it refused to learn
 * a new source at its limit since the last look; with violation
 * restrict, that is logged. */
static void errdis_watch(const struct cfg_port *p)
{
	struct errdis *e = errdis_find(p->ifname, true);
	__u64 refused;
	bool full;

	if (!e || e->disabled || port_refused(p, &refused, &full))
		return;
	if (e->seen && refused > e->refused && full &&
	    p->violation == CFG_VIOLATION_RESTRICT)
		log_warn(
			"port %s: %llu frames of sources past its learn limit of %u dropped",
			p->ifname, (unsigned long long)(refused - e->refused),
			p->learn_limit);
	else if (e->seen && refused > e->refused && full) {
		e->disabled = true;
		e->cause = SW_ERRDIS_LEARN_LIMIT;
		e->since = sw_now_s();
		log_warn(
			"port %s: err-disabled (learn-limit: a new source at its limit of %u)",
			p->ifname, p->learn_limit);
		errdis_apply(p);
	}
	e->refused = refused;
	e->seen = true;
}

void sw_errdisable_port(const struct cfg_port *p, enum sw_errdis_cause cause)
{
	struct errdis *e = errdis_find(p->ifname, true);

	if (!e || e->disabled)
		return;
	e->disabled = true;
	e->cause = cause;
	e->since = sw_now_s();
	log_warn("port %s: err-disabled (%s)", p->ifname, cause_names[cause]);
	errdis_apply(p);
	sw_stp_link(p->ifname);
}

/* An err-disabled port whose cause's interval has passed comes back. */
static void errdis_recover(const struct cfg_port *p)
{
	struct errdis *e = errdis_find(p->ifname, false);
	unsigned int interval;

	if (!e || !e->disabled)
		return;
	interval = recovery_interval(e->cause);
	if (!interval || sw_now_s() - e->since < (time_t)interval)
		return;
	log_info("port %s: recovered from err-disabled (%s) after %u s",
		 p->ifname, cause_names[e->cause], interval);
	e->disabled = false;
	e->seen = false; /* refusals so far are not a new violation */
	errdis_apply(p);
	sw_stp_link(p->ifname);
}

void sw_errdisable_tick(void)
{
	struct cfg_port *ps = NULL;
	int n, i;

	n = store_ports(sw->store, NULL, &ps);
	for (i = 0; i < n; i++) {
		errdis_recover(&ps[i]);
		if ((ps[i].violation == CFG_VIOLATION_SHUTDOWN ||
		     ps[i].violation == CFG_VIOLATION_RESTRICT) &&
		    ps[i].learn_limit && !ps[i].shutdown)
			errdis_watch(&ps[i]);
		else if (!sw_errdisabled(ps[i].ifname))
			sw_errdisable_reset(ps[i].ifname);
	}
	free(ps);
}

/* ---- [no] errdisable recovery cause CAUSE [interval N] ---- */

/* The interval of a cause in the store ("": no recovery). */
static int recovery_set(enum sw_errdis_cause cause, const char *text)
{
	char key[64];

	snprintf(key, sizeof(key), RECOVERY_KEY, cause_names[cause]);
	return store_meta_set(sw->store, key, text);
}

struct recovery {
	enum sw_errdis_cause cause;
	char text[32];
};

static int recovery_store(struct cmd_call *c, void *ctx)
{
	const struct recovery *r = ctx;

	if (recovery_set(r->cause, r->text))
		return sw_store_err(c);
	return 0;
}

static int do_errdisable_recovery(struct cmd_call *c)
{
	static const struct sw_txn txn = { recovery_store, NULL, NULL, NULL };
	struct recovery r = { .cause = cmd_has(c, "bpdu-guard")
					       ? SW_ERRDIS_BPDU_GUARD
					       : SW_ERRDIS_LEARN_LIMIT };

	if (!c->no)
		snprintf(r.text, sizeof(r.text), "%lu",
			 cmd_num(c, "interval", 0));
	return sw_txn_run(c, &txn, &r);
}

/* A startup file without errdisable recovery means none. */
static int recovery_clear(void)
{
	int cause;

	for (cause = 0; cause < SW_ERRDIS_MAX; cause++)
		if (recovery_set((enum sw_errdis_cause)cause, ""))
			return -EIO;
	return 0;
}

static void recovery_config(struct out *o)
{
	unsigned int interval;
	int cause, any = 0;

	for (cause = 0; cause < SW_ERRDIS_MAX; cause++) {
		interval = recovery_interval((enum sw_errdis_cause)cause);
		if (!interval)
			continue;
		out_printf(o, "errdisable recovery cause %s interval %u\n",
			   cause_names[cause], interval);
		any = 1;
	}
	if (any)
		out_printf(o, "!\n");
}

/* show errdisable recovery: each cause's interval, and the ports
 * err-disabled now with the time until they come back. */
static int do_show_errdisable(struct cmd_call *c)
{
	struct out *o = &c->s->out;
	unsigned int interval;
	time_t left;
	size_t i;
	int cause;

	out_open(o, NULL, '{');
	out_open(o, "causes", '[');
	out_text(o, "%-15s %-9s %s\n", "cause", "recovery", "interval");
	for (cause = 0; cause < SW_ERRDIS_MAX; cause++) {
		interval = recovery_interval((enum sw_errdis_cause)cause);
		out_open(o, NULL, '{');
		out_str(o, "cause", "%-15s", cause_names[cause]);
		out_bool(o, "recovery", NULL, interval != 0);
		out_text(o, " %-9s", interval ? "enabled" : "disabled");
		out_uint(o, "interval", " %llu\n", interval);
		out_close(o, '}');
	}
	out_close(o, ']');
	out_open(o, "ports", '[');
	out_text(o, "\n%-15s %-15s %s\n", "interface", "cause",
		 "recovery in (s)");
	for (i = 0; i < neds; i++) {
		if (!eds[i].disabled)
			continue;
		interval = recovery_interval(eds[i].cause);
		left = eds[i].since + (time_t)interval - sw_now_s();
		out_open(o, NULL, '{');
		out_str(o, "ifname", "%-15s", eds[i].ifname);
		out_str(o, "cause", " %-15s", cause_names[eds[i].cause]);
		if (interval)
			out_uint(o, "recovery_in", " %llu\n",
				 (unsigned long long)(left > 0 ? left : 0));
		else
			out_text(o, " %s\n", "never (no recovery)");
		out_close(o, '}');
	}
	out_close(o, ']');
	out_close(o, '}');
	return 0;
}

static const struct cmd_def errdisable_cmds[] = {
	{ MODE_BIT(MODE_CONFIG),
	  "[no] errdisable recovery cause <learn-limit|bpdu-guard> "
	  "{interval (1-86400)}",
	  "Remove configuration\nErr-disabled ports\n"
	  "Bring err-disabled ports back by themselves|Bring them back only "
	  "by shutdown / no shutdown\nFor the ports err-disabled by\n"
	  "A new source at the port's learn limit (violation shutdown)\n"
	  "A BPDU on an edge port with BPDU guard (spanning-tree)\n"
	  "After\nSeconds",
	  do_errdisable_recovery },
	SW_SHOW("errdisable recovery",
		"Err-disabled ports\nThe recovery of each cause, and the ports "
		"err-disabled now",
		do_show_errdisable),
};

SW_FEATURE(errdisable, .config = recovery_config, .clear = recovery_clear);
