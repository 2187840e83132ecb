// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events (doc/events.md): what happened on the switch, in one format.
 * sw_event() is the one way to report one: it goes to the daemon's log
 * (at most SW_EV_LOG_RATE a second), into a bounded ring that show
 * logging prints, and to the sessions that monitor its category. The
 * datapath's events (sources learned and moved) come through each
 * bridge's ring buffer; ageing, MAC flapping, learn-limit refusals, link
 * and port changes and configuration changes are reported here or by the
 * features that see them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#include "lib/log.h"
#include "switchd/ctl.h"
#include "switchd/switchd.h"

/* The ring show logging prints: a fixed size, the oldest overwritten. */
#define SW_EV_KEPT 1024
/* At most this many events a second reach the log; the others are
 * counted and said once the second is over (the ring has them all). */
#define SW_EV_LOG_RATE 100
/* Learn-limit refusals and events the datapath lost: said at most once
 * per port (per bridge) in this many seconds, with the count. */
#define SW_EV_COUNT_INTERVAL 10
/* MAC flapping: more than FLAP_MOVES moves of one source in FLAP_WINDOW
 * seconds (doc/events.md says why); the table that counts them is fixed,
 * a slot per hash of {bridge, MAC, VLAN}. */
#define FLAP_MOVES  3
#define FLAP_WINDOW 10
#define FLAP_SLOTS  4096
#define FLAP_KEY    "mac-flapping"

static struct sw_event ring[SW_EV_KEPT];
static unsigned long long ev_total; /* events reported since start */
static time_t log_second;
static unsigned int log_count, log_suppressed;

static const char *const severity_names[] = {
	[LOG_EMERG] = "emerg",	   [LOG_ALERT] = "alert",
	[LOG_CRIT] = "crit",	   [LOG_ERR] = "error",
	[LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
	[LOG_INFO] = "info",	   [LOG_DEBUG] = "debug",
};

/* The log's share: SW_EV_LOG_RATE a second, then a count. */
static bool log_allowed(void)
{
	time_t now = sw_now_s();

	if (now != log_second) {
		if (log_suppressed)
			log_warn(
				"events: %u not logged in the last second (more than %d); show logging has them",
				log_suppressed, SW_EV_LOG_RATE);
		log_second = now;
		log_count = 0;
		log_suppressed = 0;
	}
	if (log_count < SW_EV_LOG_RATE) {
		log_count++;
		return true;
	}
	log_suppressed++;
	return false;
}

static void event_add(const struct timespec *when, int severity,
		      const char *category, const char *fmt, va_list ap)
{
	struct sw_event *e = &ring[ev_total % SW_EV_KEPT];

	e->seq = ++ev_total;
	e->time = *when;
	e->severity =
		severity < 0 || severity > LOG_DEBUG ? LOG_INFO : severity;
	snprintf(e->category, sizeof(e->category), "%s", category);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	if (log_allowed())
		log_msg(e->severity, "%s: %s", e->category, e->text);
	ctl_monitor_event(e);
}

void sw_event(int severity, const char *category, const char *fmt, ...)
{
	struct timespec now;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &now);
	va_start(ap, fmt);
	event_add(&now, severity, category, fmt, ap);
	va_end(ap);
}

/* An event that happened at `when` (the datapath's time of it). */
static void event_at(const struct timespec *when, int severity,
		     const char *category, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void event_at(const struct timespec *when, int severity,
		     const char *category, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	event_add(when, severity, category, fmt, ap);
	va_end(ap);
}

void sw_event_format(const struct sw_event *e, struct out *o)
{
	char when[64];
	struct tm tm;

	gmtime_r(&e->time.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), sizeof(when) - strlen(when), ".%03ldZ",
		 e->time.tv_nsec / 1000000);
	out_open(o, NULL, '{');
	out_uint(o, "seq", NULL, e->seq);
	out_str(o, "time", "%s", when);
	out_str(o, "severity", " %-7s", severity_names[e->severity]);
	out_str(o, "category", " %-6s", e->category);
	out_str(o, "message", " %s\n", e->text);
	out_close(o, '}');
}

/* ---- names ---- */

/*
 * A port by name: the interface's, or its index when it is gone. Names
 * are cached for a second (a flood of events asks for the same few); a
 * port's change of name shows within that second.
 */
#define NAME_CACHE 256

static struct {
	__u32 ifindex;
	time_t at; /* monotonic s */
	char name[IF_NAMESIZE];
} names[NAME_CACHE];

static const char *port_name(__u32 ifindex, char buf[IF_NAMESIZE + 16])
{
	typeof(names[0]) *n = &names[ifindex % NAME_CACHE];
	time_t now = sw_now_s();

	if (n->ifindex != ifindex || n->at != now) {
		if (!if_indextoname(ifindex, n->name)) {
			snprintf(buf, IF_NAMESIZE + 16, "ifindex %u (gone)",
				 ifindex);
			n->ifindex = 0;
			return buf;
		}
		n->ifindex = ifindex;
		n->at = now;
	}
	snprintf(buf, IF_NAMESIZE + 16, "%s", n->name);
	return buf;
}

static const char *vlan_text(__u16 vid, char buf[16])
{
	snprintf(buf, 16, "vlan %u", vid);
	return buf;
}

/* ---- MAC flapping ---- */

struct flap {
	const struct sw_bridge *br;
	__u8 mac[6];
	__u16 vid;
	__u64 start_ns; /* of the window */
	unsigned int moves;
	bool said; /* in this window */
};

static struct flap *flaps; /* FLAP_SLOTS, made at the first move */
static unsigned int flap_moves = FLAP_MOVES, flap_window = FLAP_WINDOW;

static void flap_load(void);

static unsigned int flap_hash(const struct sw_bridge *br, const __u8 *mac,
			      __u16 vid)
{
	unsigned int h = (unsigned int)(uintptr_t)br ^ vid;
	int i;

	for (i = 0; i < 6; i++)
		h = h * 31 + mac[i];
	return (h ^ (h >> 15)) % FLAP_SLOTS;
}

static void flap_count(const struct sw_bridge *br, const struct xbr_event *e,
		       const struct timespec *when, const char *from,
		       const char *to)
{
	char mac[18], vlan[16];
	struct flap *f;

	if (!flaps) {
		flaps = calloc(FLAP_SLOTS, sizeof(*flaps));
		if (!flaps)
			return;
		flap_load();
	}
	f = &flaps[flap_hash(br, e->mac, e->vid)];
	if (f->br != br || memcmp(f->mac, e->mac, 6) || f->vid != e->vid ||
	    e->time_ns - f->start_ns > (__u64)flap_window * 1000000000ULL) {
		/* another source, or a new window */
		f->br = br;
		memcpy(f->mac, e->mac, 6);
		f->vid = e->vid;
		f->start_ns = e->time_ns;
		f->moves = 0;
		f->said = false;
	}
	if (++f->moves <= flap_moves || f->said)
		return;
	f->said = true;
	dp_mac_format(e->mac, mac);
	event_at(
		when, LOG_WARNING, "mac",
		"bridge %s: %s %s flapping between %s and %s: %u moves in %u s",
		br->name, mac, vlan_text(e->vid, vlan), from, to, f->moves,
		flap_window);
}

/* ---- the datapath's events ---- */

/* CLOCK_MONOTONIC ns (the datapath's clock) as the time of day. */
static void mono_to_real(__u64 ns, struct timespec *out)
{
	struct timespec mono, real;
	__s64 delta;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	delta = (__s64)ns - ((__s64)mono.tv_sec * 1000000000LL + mono.tv_nsec);
	delta += (__s64)real.tv_sec * 1000000000LL + real.tv_nsec;
	out->tv_sec = delta / 1000000000LL;
	out->tv_nsec = delta % 1000000000LL;
}

static void on_dp_event(const struct xbr_event *e, void *ctx)
{
	const struct sw_bridge *br = ctx;
	char mac[18], vlan[16], to[IF_NAMESIZE + 16], from[IF_NAMESIZE + 16];
	struct timespec when;

	mono_to_real(e->time_ns, &when);
	dp_mac_format(e->mac, mac);
	port_name(e->ifindex, to);
	switch (e->type) {
	case XBR_EV_LEARNED:
		event_at(&when, LOG_INFO, "mac",
			 "bridge %s: %s %s learned on %s", br->name, mac,
			 vlan_text(e->vid, vlan), to);
		break;
	case XBR_EV_MOVED:
		port_name(e->old_ifindex, from);
		event_at(&when, LOG_NOTICE, "mac",
			 "bridge %s: %s %s moved from %s to %s", br->name, mac,
			 vlan_text(e->vid, vlan), from, to);
		flap_count(br, e, &when, from, to);
		break;
	default:
		break;
	}
}

int sw_events_bridge_open(struct sw_bridge *b)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fd = dp_events_open(b->dp, on_dp_event, b);

	if (fd < 0)
		return fd;
	b->ev_fd = fd;
	ev.data.fd = fd;
	if (sw->epfd > 0 && epoll_ctl(sw->epfd, EPOLL_CTL_ADD, fd, &ev) &&
	    errno != EEXIST)
		return -errno;
	dp_events_read(b->dp); /* what waited while no one read */
	return 0;
}

void sw_events_bridge_close(struct sw_bridge *b)
{
	if (b->ev_fd > 0 && sw->epfd > 0)
		epoll_ctl(sw->epfd, EPOLL_CTL_DEL, b->ev_fd, NULL);
	b->ev_fd = 0;
	if (flaps) /* its slots may name it */
		for (int i = 0; i < FLAP_SLOTS; i++)
			if (flaps[i].br == b)
				flaps[i].br = NULL;
}

bool sw_events_handle(int fd)
{
	struct sw_bridge *b;

	for (b = sw->bridges; b; b = b->next) {
		if (b->ev_fd != fd || fd <= 0)
			continue;
		if (dp_events_read(b->dp) < 0)
			log_warn("bridge %s: %s", b->name, dp_error());
		return true;
	}
	return false;
}

/* ---- ageing ---- */

static int on_aged(const struct dp_fdb_entry *e, void *ctx)
{
	const struct sw_bridge *br = ctx;
	char mac[18], vlan[16], port[IF_NAMESIZE + 16];

	dp_mac_format(e->mac, mac);
	sw_event(LOG_INFO, "mac", "bridge %s: %s %s aged out on %s", br->name,
		 mac, vlan_text(e->vid, vlan), port_name(e->ifindex, port));
	return 0;
}

int sw_events_age(struct sw_bridge *b, __u64 ageing_ns)
{
	return dp_fdb_age_each(b->dp, ageing_ns, on_aged, b);
}

/* ---- counts the datapath keeps: learn-limit refusals, events lost ---- */

struct counted {
	const struct sw_bridge *br;
	__u32 ifindex; /* 0: the bridge's own line (events lost) */
	__u64 refused; /* a port's counters as last read */
	__u64 lost;
	__u64 unsaid; /* refused (a port) or lost (the bridge), not said yet */
	time_t said;  /* when last said (monotonic s) */
};

static struct counted *counts;
static size_t ncounts;
static unsigned long long ev_lost; /* by the datapath, since start */

static struct counted *counted_find(const struct sw_bridge *br, __u32 ifindex)
{
	struct counted *grown;
	size_t i;

	for (i = 0; i < ncounts; i++)
		if (counts[i].br == br && counts[i].ifindex == ifindex)
			return &counts[i];
	grown = realloc(counts, (ncounts + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	counts = grown;
	memset(&counts[ncounts], 0, sizeof(counts[0]));
	counts[ncounts].br = br;
	counts[ncounts].ifindex = ifindex;
	counts[ncounts].said = -SW_EV_COUNT_INTERVAL;
	return &counts[ncounts++];
}

/* Ports that are gone, or of a bridge that is gone, are forgotten. */
static void counted_prune(void)
{
	struct dp_port_info info;
	struct sw_bridge *b;
	size_t i = 0;

	while (i < ncounts) {
		for (b = sw->bridges; b && b != counts[i].br; b = b->next)
			;
		if (b && (!counts[i].ifindex ||
			  !dp_port_get(b->dp, (int)counts[i].ifindex, &info))) {
			i++;
			continue;
		}
		counts[i] = counts[--ncounts];
	}
}

/* How much a counter grew since it was last read (0 when it was reset:
 * its port made again). */
static __u64 grown_by(__u64 *last, __u64 now)
{
	__u64 d = now >= *last ? now - *last : 0;

	*last = now;
	return d;
}

static const char *limit_text(__u32 limit, char *buf, size_t len)
{
	if (!limit)
		return "the bridge's learn limit, or a full table";
	snprintf(buf, len, "learn limit %u, or a full table", limit);
	return buf;
}

static void bridge_counts(struct sw_bridge *b, time_t now)
{
	struct dp_port_info ports[XBR_MAX_PORTS];
	struct dp_port_counters pc;
	char name[IF_NAMESIZE + 16], limit[64];
	struct counted *c, *bc;
	__u64 lost;
	int n, i;

	bc = counted_find(b, 0);
	if (!bc)
		return;
	n = dp_port_list(b->dp, ports, XBR_MAX_PORTS);
	for (i = 0; i < n && i < XBR_MAX_PORTS; i++) {
		if (!ports[i].attached ||
		    dp_port_counters(b->dp, (int)ports[i].ifindex, &pc))
			continue;
		c = counted_find(b, ports[i].ifindex);
		if (!c)
			return;
		c->unsaid += grown_by(&c->refused, pc.s.learn_refused);
		lost = grown_by(&c->lost, pc.s.reserved[XBR_STAT_EVENTS_LOST]);
		bc->unsaid += lost;
		ev_lost += lost;
		if (c->unsaid && now - c->said >= SW_EV_COUNT_INTERVAL) {
			sw_event(LOG_WARNING, "mac",
				 "bridge %s: %s refused %llu new sources (%s)",
				 b->name, port_name(ports[i].ifindex, name),
				 (unsigned long long)c->unsaid,
				 limit_text(ports[i].port.learn_limit, limit,
					    sizeof(limit)));
			c->unsaid = 0;
			c->said = now;
		}
	}
	if (bc->unsaid && now - bc->said >= SW_EV_COUNT_INTERVAL) {
		sw_event(
			LOG_WARNING, "mac",
			"bridge %s: %llu datapath events lost (the daemon read too slowly; no frame was)",
			b->name, (unsigned long long)bc->unsaid);
		bc->unsaid = 0;
		bc->said = now;
	}
}

void sw_events_tick(void)
{
	time_t now = sw_now_s();
	struct sw_bridge *b;

	counted_prune();
	for (b = sw->bridges; b; b = b->next) {
		/* what the loop left waiting, if its wakeup was missed */
		dp_events_read(b->dp);
		bridge_counts(b, now);
	}
	log_allowed(); /* says what was not logged last second */
}

/* ---- link state ---- */

struct link_seen {
	char ifname[IF_NAMESIZE];
	bool up;
};

static struct link_seen *links;
static size_t nlinks;

void sw_event_link(const char *bridge, const char *ifname, bool up)
{
	struct link_seen *l = NULL, *grown;
	size_t i;

	for (i = 0; i < nlinks && !l; i++)
		if (!strcmp(links[i].ifname, ifname))
			l = &links[i];
	if (l && l->up == up)
		return;
	if (!l) {
		grown = realloc(links, (nlinks + 1) * sizeof(*grown));
		if (!grown)
			return;
		links = grown;
		l = &links[nlinks++];
		snprintf(l->ifname, sizeof(l->ifname), "%s", ifname);
		l->up = up;
		if (up)
			return; /* first seen, as a port comes: nothing new */
	}
	l->up = up;
	sw_event(up ? LOG_NOTICE : LOG_WARNING, "link", "bridge %s: %s link %s",
		 bridge, ifname, up ? "up" : "down");
}

void sw_event_port(const char *bridge, const char *ifname, bool attached,
		   const char *why)
{
	size_t i;

	if (!attached)
		for (i = 0; i < nlinks; i++)
			if (!strcmp(links[i].ifname, ifname))
				links[i] = links[--nlinks];
	sw_event(LOG_NOTICE, "port", "bridge %s: %s %s%s%s", bridge, ifname,
		 attached ? "attached" : "detached", why ? ": " : "",
		 why ? why : "");
}

/* ---- configuration changes ---- */

void sw_event_config(const struct cmd_session *s)
{
	char user[64] = "", mode[64] = "";

	if (s->boot || !s->line)
		return;
	if (s->uid >= 0)
		snprintf(user, sizeof(user), "uid %d", s->uid);
	else
		snprintf(user, sizeof(user), "the daemon");
	if (s->mode == MODE_BRIDGE)
		snprintf(mode, sizeof(mode), "(config-br-%s) ", s->bridge);
	sw_event(LOG_NOTICE, "config", "%s: %s%s", user, mode, s->line);
}

/* ---- [no] mac address-table flapping moves N window S ---- */

static void flap_load(void)
{
	char text[64] = "";
	unsigned int m, w;

	flap_moves = FLAP_MOVES;
	flap_window = FLAP_WINDOW;
	if (!store_meta_get(sw->store, FLAP_KEY, text, sizeof(text)) &&
	    sscanf(text, "%u %u", &m, &w) == 2 && m && w) {
		flap_moves = m;
		flap_window = w;
	}
}

static int flap_store(struct cmd_call *c, void *ctx)
{
	if (store_meta_set(sw->store, FLAP_KEY, ctx))
		return sw_store_err(c);
	return 0;
}

static void flap_done(struct cmd_call *c, void *ctx)
{
	(void)c;
	(void)ctx;
	flap_load();
}

static int do_flapping(struct cmd_call *c)
{
	static const struct sw_txn txn = { flap_store, NULL, NULL, flap_done };
	char text[64] = "";

	if (!c->no)
		snprintf(text, sizeof(text), "%lu %lu", cmd_num(c, "moves", 0),
			 cmd_num(c, "window", 0));
	return sw_txn_run(c, &txn, text);
}

static int flap_clear(void)
{
	if (store_meta_set(sw->store, FLAP_KEY, ""))
		return -EIO;
	flap_load();
	return 0;
}

static void flap_config(struct out *o)
{
	flap_load();
	if (flap_moves == FLAP_MOVES && flap_window == FLAP_WINDOW)
		return;
	out_printf(o, "mac address-table flapping moves %u window %u\n!\n",
		   flap_moves, flap_window);
}

/* ---- show logging [last N] ---- */

static int do_show_logging(struct cmd_call *c)
{
	unsigned long long kept = ev_total < SW_EV_KEPT ? ev_total : SW_EV_KEPT;
	unsigned long long last = cmd_num(c, "last", kept), seq;
	struct out *o = &c->s->out;

	if (last > kept)
		last = kept;
	flap_load();
	out_open(o, NULL, '{');
	out_uint(o, "events", "Events: %llu", ev_total);
	out_uint(o, "kept", ", the last %llu kept", kept);
	out_uint(o, "shown", ", %llu shown", last);
	out_uint(o, "lost", "; lost by the datapath: %llu\n", ev_lost);
	out_uint(o, "flap_moves", "MAC flapping: more than %llu moves",
		 flap_moves);
	out_uint(o, "flap_window", " in %llu s\n", flap_window);
	out_open(o, "log", '[');
	for (seq = ev_total - last + 1; seq <= ev_total; seq++)
		sw_event_format(&ring[(seq - 1) % SW_EV_KEPT], o);
	out_close(o, ']');
	out_close(o, '}');
	return 0;
}

/* ---- monitor mac address-table ---- */

static int do_monitor(struct cmd_call *c)
{
	c->s->monitor = "mac";
	out_text(&c->s->out,
		 "Monitoring MAC address table events (Ctrl-C to stop)\n");
	return 0;
}

static const struct cmd_def events_cmds[] = {
	SW_SHOW("logging [last (1-1024)]",
		"Events: what happened, newest last\nOnly the newest\n"
		"How many",
		do_show_logging),
	{ MODE_BIT(MODE_EXEC), "monitor mac address-table",
	  "Stream events as they happen, until Ctrl-C\nMAC address events\n"
	  "Sources learned, moved, aged, flapping and refused",
	  do_monitor },
	{ MODE_BIT(MODE_CONFIG),
	  "[no] mac address-table flapping {moves (1-1000) window (1-3600)}",
	  "Remove configuration|Put back the default (more than 3 moves in "
	  "10 s)\nMAC addresses\nThe MAC address table\n"
	  "When a source is flapping (an event says it)\n"
	  "Flapping: more than this many moves of one source\nMoves\n"
	  "Within this many seconds\nSeconds",
	  do_flapping },
};

SW_FEATURE(events, .config = flap_config, .clear = flap_clear);
