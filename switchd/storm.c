// SPDX-License-Identifier: GPL-2.0-only
/*
 * Storm control: the most flooded frames per second (broadcast, multicast,
 * unknown unicast) a port takes in; the datapath drops the excess on
 * ingress (kernel/storm.h). The command, its lines of the running config,
 * its apply step (called when a port is attached or changed), and show
 * storm-control.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switchd/switchd.h"

/* The kinds, by XBR_STORM_*: their words, in commands and in show. */
static const struct {
	const char *word;
} kinds[XBR_STORM_KINDS] = {
	[XBR_STORM_BCAST] = { "broadcast" },
	[XBR_STORM_MCAST] = { "multicast" },
	[XBR_STORM_UNKNOWN] = { "unknown-unicast" },
};

int sw_storm_apply(struct sw_bridge *br, int ifindex, const struct cfg_port *p,
		   char *err, size_t errlen)
{
	__u32 k;

	for (k = 0; k < XBR_STORM_KINDS; k++)
		if (dp_port_set_storm(br->dp, ifindex, k, p->storm[k])) {
			snprintf(err, errlen, "%s", dp_error());
			return -EIO;
		}
	return 0;
}

/* [no] port IFNAME storm-control KIND [LIMIT] */
static int do_port_storm(struct cmd_call *c)
{
	const char *ifname = cmd_arg(c, "IFNAME");
	struct cfg_port p;
	__u32 k;

	if (c->no && (store_port_get(sw->store, ifname, &p) ||
		      strcmp(p.bridge, c->s->bridge)))
		return sw_say(c, -ENOENT, "%s is not a port of bridge %s",
			      ifname, c->s->bridge);
	sw_port_current(c->s->bridge, ifname, &p);
	for (k = 0; k < XBR_STORM_KINDS; k++)
		if (cmd_has(c, kinds[k].word))
			p.storm[k] =
				c->no ? 0
				      : (uint32_t)cmd_num(c, kinds[k].word, 0);
	return sw_port_apply(c, &p);
}

static void storm_config(struct out *o, const struct cfg_bridge *b)
{
	struct cfg_port *ps = NULL;
	int n, i;
	__u32 k;

	n = store_ports(sw->store, b->name, &ps);
	for (i = 0; i < n; i++)
		for (k = 0; k < XBR_STORM_KINDS; k++)
			if (ps[i].storm[k])
				out_printf(o, " port %s storm-control %s %u\n",
					   ps[i].ifname, kinds[k].word,
					   ps[i].storm[k]);
	free(ps);
}

/* One port's rows: a kind with a limit each. */
static void storm_show_port(struct out *o, const struct cfg_port *p)
{
	struct sw_bridge *br = sw_bridge_find(p->bridge);
	int ifindex = (int)if_nametoindex(p->ifname);
	struct dp_storm d;
	__u32 k;

	if (!br || !ifindex || dp_port_storm(br->dp, ifindex, &d))
		memset(&d, 0, sizeof(d));
	for (k = 0; k < XBR_STORM_KINDS; k++) {
		if (!p->storm[k])
			continue;
		out_open(o, NULL, '{');
		out_str(o, "interface", "%-15s", p->ifname);
		out_str(o, "bridge", " %-15s", p->bridge);
		out_str(o, "kind", " %-15s", kinds[k].word);
		out_uint(o, "limit_pps", " %11llu", p->storm[k]);
		out_uint(o, "passed", " %15llu", d.passed[k]);
		out_uint(o, "dropped", " %15llu", d.dropped[k]);
		out_text(o, "\n");
		out_close(o, '}');
	}
}

/* show storm-control [IFNAME] */
static int do_show_storm(struct cmd_call *c)
{
	const char *only = cmd_arg(c, "IFNAME");
	struct out *o = &c->s->out;
	struct cfg_port *ps = NULL, one;
	int n, i;

	if (only) {
		if (store_port_get(sw->store, only, &one))
			return sw_say(c, -ENOENT, "%s is not a port", only);
		ps = &one;
		n = 1;
	} else {
		n = store_ports(sw->store, NULL, &ps);
		if (n < 0)
			return sw_say(c, -EIO, "%s", store_error(sw->store));
	}
	out_open(o, NULL, '[');
	out_text(o, "%-15s %-15s %-15s %11s %15s %15s\n", "interface", "bridge",
		 "kind", "limit-pps", "passed", "dropped");
	for (i = 0; i < n; i++)
		storm_show_port(o, &ps[i]);
	out_close(o, ']');
	if (!only)
		free(ps);
	return 0;
}

#define KINDS_HELP                                                \
	"Broadcast frames\nMulticast frames (link-local control " \
	"frames apart)\nFrames for a destination not yet learned\n"

static const struct cmd_def storm_cmds[] = {
	{ MODE_BIT(MODE_BRIDGE),
	  "[no] port IFNAME storm-control "
	  "<broadcast|multicast|unknown-unicast> {(1-1000000000)}",
	  "Remove configuration\nA port\nInterface name\n"
	  "The most flooded frames per second it takes in|No limit\n" KINDS_HELP
	  "Frames per second; the excess is dropped (storm-control)",
	  do_port_storm },
	SW_SHOW("storm-control [IFNAME]",
		"Storm control: limits, frames passed and dropped\n"
		"Only this port",
		do_show_storm),
};

SW_FEATURE(storm, .config_bridge = storm_config);
