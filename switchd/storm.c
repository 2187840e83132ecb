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

#include "lib/log.h"
#include "switchd/switchd.h"

/* The kinds, by XBR_STORM_*: their words, in commands and in show. */
static const struct {
	const char *word;
} kinds[XBR_STORM_KINDS] = {
	[XBR_STORM_BCAST] = { "broadcast" },
	[XBR_STORM_MCAST] = { "multicast" },
	[XBR_STORM_UNKNOWN] = { "unknown-unicast" },
};

/* Bits on the wire of a 64-byte frame: preamble and start (8 bytes), the
 * frame, the gap (12 bytes). A limit in percent assumes frames this small:
 * the most frames per second the link can carry. */
#define WIRE_BITS_MIN ((8 + 64 + 12) * 8)

/* A percentage of a link of speed Mb/s in frames per second, 1 at least. */
static __u32 percent_pps(unsigned long speed, __u32 percent)
{
	unsigned long long pps = (unsigned long long)speed * 1000000ULL *
				 percent / (100ULL * WIRE_BITS_MIN);

	if (pps > XBR_STORM_PPS_MAX)
		return XBR_STORM_PPS_MAX;
	return pps ? (__u32)pps : 1;
}

/* The kind's limit in frames per second now; 0: none (or, in percent, a
 * link that says no speed). */
static __u32 storm_pps(const struct cfg_port *p, __u32 k)
{
	unsigned long speed;

	if (!(p->storm_percent & (1U << k)) || !p->storm[k])
		return p->storm[k];
	speed = sw_link_speed(p->ifname, NULL);
	if (!speed)
		log_warn(
			"port %s: storm-control %s %u percent: the link says no speed; not policed",
			p->ifname, kinds[k].word, p->storm[k]);
	return speed ? percent_pps(speed, p->storm[k]) : 0;
}

int sw_storm_apply(struct sw_bridge *br, int ifindex, const struct cfg_port *p,
		   char *err, size_t errlen)
{
	__u32 k;

	for (k = 0; k < XBR_STORM_KINDS; k++)
		if (dp_port_set_storm(br->dp, ifindex, k, storm_pps(p, k))) {
			snprintf(err, errlen, "%s", dp_error());
			return -EIO;
		}
	return 0;
}

/* [no] port IFNAME storm-control KIND [LIMIT [percent]] */
static int do_port_storm(struct cmd_call *c)
{
	const char *ifname = cmd_arg(c, "IFNAME");
	bool percent = cmd_has(c, "percent");
	struct cfg_port p;
	unsigned long v;
	__u32 k;

	if (c->no && (store_port_get(sw->store, ifname, &p) ||
		      strcmp(p.bridge, c->s->bridge)))
		return sw_say(c, -ENOENT, "%s is not a port of bridge %s",
			      ifname, c->s->bridge);
	sw_port_current(c->s->bridge, ifname, &p);
	for (k = 0; k < XBR_STORM_KINDS; k++)
		if (cmd_has(c, kinds[k].word))
			break;
	if (k == XBR_STORM_KINDS)
		return -EINVAL; /* the grammar has one */
	v = c->no ? 0 : cmd_num(c, kinds[k].word, 0);
	if (percent && v > 100)
		return sw_say(c, -EINVAL, "a percentage is 1 to 100, not %lu",
			      v);
	/* at boot the link may not be there yet: its apply step says so */
	if (percent && !c->s->boot && !sw_link_speed(ifname, NULL))
		return sw_say(
			c, -EINVAL,
			"%s says no link speed: give the limit in frames per second",
			ifname);
	p.storm[k] = (uint32_t)v;
	if (percent)
		p.storm_percent |= 1U << k;
	else
		p.storm_percent &= ~(1U << k);
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
				out_printf(o,
					   " port %s storm-control %s %u%s\n",
					   ps[i].ifname, kinds[k].word,
					   ps[i].storm[k],
					   ps[i].storm_percent & (1U << k)
						   ? " percent"
						   : "");
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
		out_uint(o, "limit_pps", " %11llu", d.pps[k]);
		if (p->storm_percent & (1U << k))
			out_uint(o, "percent", " %3llu%%", p->storm[k]);
		else
			out_text(o, " %4s", "-");
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
	out_text(o, "%-15s %-15s %-15s %11s %4s %15s %15s\n", "interface",
		 "bridge", "kind", "limit-pps", "%", "passed", "dropped");
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
	  "<broadcast|multicast|unknown-unicast> {(1-1000000000) [percent]}",
	  "Remove configuration\nA port\nInterface name\n"
	  "The most flooded frames per second it takes in|No limit\n" KINDS_HELP
	  "Frames per second; the excess is dropped (storm-control)\n"
	  "The limit is a percentage (1-100) of the link's speed in "
	  "64-byte frames",
	  do_port_storm },
	SW_SHOW("storm-control [IFNAME]",
		"Storm control: limits, frames passed and dropped\n"
		"Only this port",
		do_show_storm),
};

SW_FEATURE(storm, .config_bridge = storm_config);
