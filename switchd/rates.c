// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rates: every second the daemon reads each port's counters once (all of
 * a bridge's in two batched map reads) and keeps what it read: the last 30
 * seconds, a sample a second, and the last 5 minutes, a sample every ten.
 * A rate is the difference of two samples over the time between them:
 * the mean over the window, exact, as operators know them from IOS's
 * load-interval (30 s at least, 5 minutes by default; doc/events.md).
 *
 * The samples are the datapath's own counters, which clear counters does
 * not touch (it keeps a baseline in interfaces.c), so it changes no rate.
 * A counter that went down (a port removed and added, a datapath made
 * again) starts the port's samples afresh: a rate is never negative, and
 * never counts what was before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "switchd/switchd.h"

enum {
	RATE_RX_PKTS,
	RATE_RX_BYTES,
	RATE_TX_PKTS,
	RATE_TX_BYTES,
	RATE_DROPS,
	RATE_NVAL
};

#define RATE_RING   31 /* samples per window: its ends included */
#define RATE_COARSE 10 /* the long window keeps one sample in ten */

/* The windows: their length in seconds, their ring's step in ticks. */
static const struct rate_window {
	unsigned int seconds, step;
	const char *text;
} windows[] = {
	{ 30, 1, "30 s" },
	{ 300, RATE_COARSE, "5 min" },
};

#define RATE_NWINDOWS ARRAY_SIZE(windows)

struct rate_sample {
	__u64 t; /* CLOCK_MONOTONIC, ns */
	__u64 v[RATE_NVAL];
};

struct rate_ring {
	struct rate_sample s[RATE_RING];
	unsigned int n, next; /* samples held; where the next goes */
};

/* A port of an open bridge, by its bridge and ifindex. */
struct port_rates {
	struct port_rates *next;
	char bridge[DP_BRIDGE_NAME_MAX + 1];
	__u32 ifindex;
	bool seen; /* in the last tick */
	unsigned int ticks;
	struct rate_sample last;
	struct rate_ring ring[RATE_NWINDOWS];
};

static struct port_rates *rates;

bool sw_drop_on_port(int reason)
{
	return reason > XBR_DROP_NONE && reason < XBR_DROP_MAX &&
	       reason != XBR_DROP_NOT_PORT && reason != XBR_DROP_FLOOD_OFF;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

static struct port_rates *rates_find(const char *bridge, __u32 ifindex,
				     bool make)
{
	struct port_rates *r;

	for (r = rates; r; r = r->next)
		if (r->ifindex == ifindex && !strcmp(r->bridge, bridge))
			return r;
	if (!make)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	snprintf(r->bridge, sizeof(r->bridge), "%s", bridge);
	r->ifindex = ifindex;
	r->next = rates;
	rates = r;
	return r;
}

static void ring_push(struct rate_ring *ring, const struct rate_sample *s)
{
	ring->s[ring->next] = *s;
	ring->next = (ring->next + 1) % RATE_RING;
	if (ring->n < RATE_RING)
		ring->n++;
}

/* A counter below its last sample: the port's counters started again. */
static bool went_down(const struct port_rates *r, const struct rate_sample *s)
{
	int i;

	for (i = 0; i < RATE_NVAL; i++)
		if (s->v[i] < r->last.v[i])
			return true;
	return false;
}

/* One port's counters, read with all the bridge's at once. */
struct rates_tick {
	const char *bridge;
	__u64 now;
};

static int rates_sample(__u32 ifindex, const struct dp_port_counters *k,
			void *ctx)
{
	const struct rates_tick *t = ctx;
	struct rate_sample s = { .t = t->now };
	struct port_rates *r;
	size_t w;
	int i;

	s.v[RATE_RX_PKTS] = k->s.rx_packets;
	s.v[RATE_RX_BYTES] = k->s.rx_bytes;
	s.v[RATE_TX_PKTS] = k->s.tx_packets;
	s.v[RATE_TX_BYTES] = k->s.tx_bytes;
	for (i = 0; i < XBR_DROP_MAX; i++)
		if (sw_drop_on_port(i))
			s.v[RATE_DROPS] += k->s.drops[i];
	r = rates_find(t->bridge, ifindex, true);
	if (!r)
		return 0;
	if (r->ticks && went_down(r, &s)) {
		log_debug("rates: %s port %u: counters started again",
			  t->bridge, ifindex);
		memset(r->ring, 0, sizeof(r->ring));
		r->ticks = 0;
	}
	for (w = 0; w < RATE_NWINDOWS; w++)
		if (r->ticks % windows[w].step == 0)
			ring_push(&r->ring[w], &s);
	r->ticks++;
	r->last = s;
	r->seen = true;
	return 0;
}

void sw_rates_tick(void)
{
	struct rates_tick t = { .now = now_ns() };
	struct port_rates *r, **pp;
	struct sw_bridge *b;

	for (r = rates; r; r = r->next)
		r->seen = false;
	for (b = sw->bridges; b; b = b->next) {
		t.bridge = b->name;
		if (!dp_port_counters_all(b->dp, rates_sample, &t))
			continue;
		/* not read this time: its ports keep their samples */
		log_debug("rates: bridge %s: %s", b->name, dp_error());
		for (r = rates; r; r = r->next)
			if (!strcmp(r->bridge, b->name))
				r->seen = true;
	}
	/* ports removed, or of a bridge no longer open */
	for (pp = &rates; (r = *pp);) {
		if (r->seen) {
			pp = &r->next;
			continue;
		}
		*pp = r->next;
		free(r);
	}
}

/* ---- show interfaces counters rates ---- */

/* One window's rates: per second, over the seconds it covers so far. */
struct rate {
	__u64 v[RATE_NVAL];
	__u64 seconds;
};

/* The oldest sample no older than the window (a half step of timer
 * jitter allowed), against the newest of all: the port's last. */
static void rate_get(const struct port_rates *r, size_t w, struct rate *out)
{
	const struct rate_ring *ring = &r->ring[w];
	__u64 limit =
		(windows[w].seconds * 2ULL + windows[w].step) * 500000000ULL;
	const struct rate_sample *base = NULL, *s;
	unsigned int k;
	__u64 dt;
	int i;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < ring->n && !base; k++) {
		s = &ring->s[(ring->next + RATE_RING - ring->n + k) %
			     RATE_RING];
		if (r->last.t - s->t <= limit)
			base = s;
	}
	if (!base || base->t >= r->last.t)
		return;
	dt = r->last.t - base->t;
	for (i = 0; i < RATE_NVAL; i++)
		out->v[i] = (__u64)((double)(r->last.v[i] - base->v[i]) * 1e9 /
					    (double)dt +
				    0.5);
	out->v[RATE_RX_BYTES] *= 8; /* bits */
	out->v[RATE_TX_BYTES] *= 8;
	out->seconds = (dt + 500000000ULL) / 1000000000ULL;
}

static void rates_show(struct out *o, const struct cfg_port *p)
{
	const struct port_rates *r = NULL;
	struct sw_bridge *b = sw_bridge_find(p->bridge);
	unsigned int ifindex = if_nametoindex(p->ifname);
	struct rate rt;
	size_t w;

	if (b && ifindex)
		r = rates_find(p->bridge, ifindex, false);
	out_open(o, NULL, '{');
	out_str(o, "ifname", "%-15s", sw_port_name(p));
	out_str(o, "bridge", NULL, p->bridge);
	out_open(o, "rates", '[');
	for (w = 0; w < RATE_NWINDOWS; w++) {
		if (r)
			rate_get(r, w, &rt);
		else
			memset(&rt, 0, sizeof(rt));
		if (w)
			out_text(o, "%-15s", "");
		out_open(o, NULL, '{');
		out_uint(o, "window", NULL, windows[w].seconds);
		out_str(o, NULL, " %-6s", windows[w].text);
		out_uint(o, "seconds", " %5llu s", rt.seconds);
		out_uint(o, "rx_pps", " %10llu", rt.v[RATE_RX_PKTS]);
		out_uint(o, "rx_bps", " %13llu", rt.v[RATE_RX_BYTES]);
		out_uint(o, "tx_pps", " %10llu", rt.v[RATE_TX_PKTS]);
		out_uint(o, "tx_bps", " %13llu", rt.v[RATE_TX_BYTES]);
		out_uint(o, "drops_ps", " %9llu\n", rt.v[RATE_DROPS]);
		out_close(o, '}');
	}
	out_close(o, ']');
	out_close(o, '}');
}

static int do_show_rates(struct cmd_call *c)
{
	struct out *o = &c->s->out;
	struct cfg_port *ps;
	int n = sw_ports_named(c, &ps), i;

	if (n < 0)
		return n;
	out_open(o, NULL, '[');
	out_text(o, "%-15s %-6s %7s %10s %13s %10s %13s %9s\n", "interface",
		 "window", "over", "rx pps", "rx bits/s", "tx pps", "tx bits/s",
		 "drops/s");
	for (i = 0; i < n; i++)
		rates_show(o, &ps[i]);
	out_close(o, ']');
	free(ps);
	return 0;
}

static const struct cmd_def rates_cmds[] = {
	SW_SHOW("interfaces [IFNAME] counters rates",
		"Bridge ports\nOnly this port (an internal port by its host "
		"side)\nTraffic counters\n"
		"Packets, bits and drops a second, over 30 s and 5 min",
		do_show_rates),
};

SW_FEATURE(rates);
