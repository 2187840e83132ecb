// SPDX-License-Identifier: GPL-2.0-only
/*
 * The slow path: frames for the host and control frames on CPUs of their
 * own. Its commands, its line of the running config, and its settings on
 * every bridge's datapath.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "switchd/switchd.h"

#define SLOWPATH_KEY "slowpath" /* its row of the store's meta table */

/* The slow path as the store has it. */
struct sw_slowpath {
	int host_cpu; /* -1: no slow path */
	int ctl_cpu;  /* -1: control frames on the receiving CPU */
	unsigned int queue;
};

static void slowpath_get(struct sw_slowpath *sp)
{
	char text[64];

	sp->host_cpu = sp->ctl_cpu = -1;
	sp->queue = 0;
	if (!store_meta_get(sw->store, SLOWPATH_KEY, text, sizeof(text)) &&
	    sscanf(text, "%d %d %u", &sp->host_cpu, &sp->ctl_cpu, &sp->queue) !=
		    3)
		sp->host_cpu = -1;
}

int sw_slowpath_on(struct sw_bridge *b)
{
	struct sw_slowpath sp;

	slowpath_get(&sp);
	if (sp.host_cpu < 0)
		return dp_slowpath_clear(b->dp);
	return dp_slowpath_set(b->dp, sp.host_cpu, sp.ctl_cpu, sp.queue);
}

/* On every open bridge. */
static int slowpath_apply_all(char *err, size_t errlen)
{
	struct sw_bridge *b;
	int ret = 0;

	for (b = sw->bridges; b; b = b->next) {
		if (sw_slowpath_on(b) && !ret) {
			ret = -EINVAL;
			snprintf(err, errlen, "bridge %s: %s", b->name,
				 dp_error());
		}
	}
	return ret;
}

static void slowpath_reconcile(const struct cfg_bridge *bs, int n)
{
	char err[SW_ERRLEN];

	(void)bs;
	(void)n;
	if (slowpath_apply_all(err, sizeof(err)))
		log_err("slow path: %s", err);
}

/* fault 3: a startup file without slow-path means none */
static int slowpath_clear(void)
{
	return store_meta_set(sw->store, SLOWPATH_KEY, "") ? -EIO : 0;
}

/* ---- [no] slow-path host-cpu N [control-cpu M] [queue Q] ---- */

static int slowpath_store(struct cmd_call *c, void *ctx)
{
	if (store_meta_set(sw->store, SLOWPATH_KEY, ctx))
		return sw_store_err(c);
	return 0;
}

static int slowpath_apply(struct cmd_call *c, void *ctx)
{
	char err[SW_ERRLEN];

	(void)ctx;
	if (slowpath_apply_all(err, sizeof(err)))
		return sw_say(c, -EINVAL, "%s", err);
	return 0;
}

static void slowpath_undo(struct cmd_call *c, void *ctx)
{
	char err[SW_ERRLEN];

	(void)c;
	(void)ctx;
	slowpath_apply_all(err, sizeof(err)); /* as the store has it again */
}

static int do_slow_path(struct cmd_call *c)
{
	static const struct sw_txn txn = { slowpath_store, slowpath_apply,
					   slowpath_undo, NULL };
	struct sw_slowpath sp = { -1, -1, 256 };
	char text[64];

	if (!c->no) {
		sp.host_cpu = (int)cmd_num(c, "host-cpu", 0);
		sp.ctl_cpu = (int)cmd_num(c, "control-cpu", (unsigned long)-1);
		sp.queue = (unsigned int)cmd_num(c, "queue", 256);
		/* checked here too: with no bridge yet, no datapath would
		 * (at boot reconciliation says it, for the machine it is) */
		if (!c->s->boot &&
		    dp_slowpath_check(sp.host_cpu, sp.ctl_cpu, sp.queue))
			return sw_say(c, -EINVAL, "%s", dp_error());
	}
	snprintf(text, sizeof(text), "%d %d %u", sp.host_cpu, sp.ctl_cpu,
		 sp.queue);
	return sw_txn_run(c, &txn, text);
}

static void slowpath_config(struct out *o)
{
	struct sw_slowpath sp;

	slowpath_get(&sp);
	if (sp.host_cpu < 0)
		return;
	out_printf(o, "slow-path host-cpu %d", sp.host_cpu);
	if (sp.ctl_cpu >= 0)
		out_printf(o, " control-cpu %d", sp.ctl_cpu);
	out_printf(o, " queue %u\n!\n", sp.queue);
}

/* ---- show slow-path ---- */

/* What one CPU of the slow path handled, on every bridge. */
static void slowpath_cpu(struct out *o, int cpu)
{
	struct xbr_slow_stats one, sum = { 0 };
	struct sw_bridge *b;

	for (b = sw->bridges; b; b = b->next) {
		if (dp_slowpath_stats(b->dp, (__u32)cpu, &one))
			continue;
		sum.host += one.host;
		sum.control += one.control;
		sum.drops += one.drops;
	}
	out_open(o, NULL, '{');
	out_uint(o, "cpu", "%4llu", (unsigned)cpu);
	out_uint(o, "host", " %12llu", sum.host);
	out_uint(o, "control", " %12llu", sum.control);
	out_uint(o, "dropped", " %12llu\n", sum.drops);
	out_close(o, '}');
}

static int do_show_slow_path(struct cmd_call *c)
{
	struct out *o = &c->s->out;
	struct sw_slowpath sp;

	slowpath_get(&sp);
	out_open(o, NULL, '{');
	out_bool(o, "enabled", NULL, sp.host_cpu >= 0);
	if (sp.host_cpu < 0) {
		out_close(o, '}');
		out_text(
			o,
			"slow path: off (every frame is handled on the CPU that received it)\n");
		return 0;
	}
	out_uint(o, "host_cpu", "slow path: host frames on CPU %llu, ",
		 (unsigned)sp.host_cpu);
	if (sp.ctl_cpu >= 0)
		out_uint(o, "control_cpu", "control frames on CPU %llu",
			 (unsigned)sp.ctl_cpu);
	else
		out_text(o, "control frames on the receiving CPU");
	out_uint(o, "queue", ", queue %llu\n", sp.queue);
	out_text(o, "%4s %12s %12s %12s\n", "cpu", "host", "control",
		 "dropped");
	out_open(o, "cpus", '[');
	slowpath_cpu(o, sp.host_cpu);
	if (sp.ctl_cpu >= 0)
		slowpath_cpu(o, sp.ctl_cpu);
	out_close(o, ']');
	out_close(o, '}');
	return 0;
}

static const struct cmd_def slowpath_cmds[] = {
	SW_SHOW("slow-path", "The slow path: its CPUs and what each handled",
		do_show_slow_path),
	{ MODE_BIT(MODE_CONFIG),
	  "[no] slow-path {host-cpu (0-63) [control-cpu (0-63)] [queue (16-16384)]}",
	  "Remove configuration\n"
	  "Frames for the host and control frames to CPUs of their own"
	  "|The slow path: every frame on its receiving CPU\n"
	  "The CPU that delivers frames for the host (internal ports)\nCPU\n"
	  "The CPU for control frames (without: the receiving CPU)\nCPU\n"
	  "The length of each CPU's queue (default 256)\nFrames",
	  do_slow_path },
};

SW_FEATURE(slowpath, .config = slowpath_config,
	   .reconcile_add = slowpath_reconcile, .clear = slowpath_clear);
