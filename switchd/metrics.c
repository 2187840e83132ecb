// SPDX-License-Identifier: GPL-2.0-only
/*
 * Metrics in the Prometheus text exposition format (version 0.0.4),
 * served by an opt-in, read-only HTTP listener: metrics listen ADDRESS
 * PORT. It answers GET /metrics and nothing else; it never blocks the
 * event loop (non-blocking sockets, the reply built at once and written as
 * the client takes it), holds at most METRICS_CONNS connections (a new one
 * past that closes the oldest that is still reading), reads at most
 * METRICS_REQUEST bytes of a request and closes a connection idle for
 * METRICS_IDLE seconds. doc/events.md says why a listener and what is in it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "lib/log.h"
#include "switchd/switchd.h"

#define METRICS_KEY	"metrics" /* its row of the store's meta table */
#define METRICS_CONNS	8
#define METRICS_REQUEST 4096
#define METRICS_IDLE	10 /* seconds */

struct mconn {
	int fd; /* 0: a free slot (fd 0 is never a socket of ours) */
	time_t since;
	size_t len, sent;
	bool replying;
	char req[METRICS_REQUEST];
	struct out reply;
};

static struct mconn conns[METRICS_CONNS];
static int listen_fd = -1;
static bool paused; /* out of descriptors: accepting again at the tick */
static bool retry;  /* the configured address could not be bound at boot */

/* ---- the exposition ---- */

/* A label's value: backslash, double quote and newline escaped. */
static void label(struct out *o, const char *name, const char *value,
		  bool first)
{
	const char *p;

	out_printf(o, "%s%s=\"", first ? "" : ",", name);
	for (p = value; *p; p++) {
		if (*p == '\\' || *p == '"')
			out_printf(o, "\\%c", *p);
		else if (*p == '\n')
			out_printf(o, "\\n");
		else
			out_printf(o, "%c", *p);
	}
	out_printf(o, "\"");
}

static void family(struct out *o, const char *name, const char *type,
		   const char *help)
{
	out_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A port's counters as the datapath has them: clear counters, which is
 * the shell's view, does not reset them (counters only ever go up). */
struct mport {
	struct cfg_port p;
	__u32 ifindex; /* 0: the interface is gone */
	struct dp_port_counters k;
};

#define PORT_FIELD(f) offsetof(struct dp_port_counters, f)

static const struct mfamily {
	const char *name, *type, *help;
	size_t off;
} port_families[] = {
	{ "xbr_port_rx_packets_total", "counter", "Frames the port received",
	  PORT_FIELD(s.rx_packets) },
	{ "xbr_port_rx_bytes_total", "counter",
	  "Bytes of the frames the port received (no FCS)",
	  PORT_FIELD(s.rx_bytes) },
	{ "xbr_port_tx_packets_total", "counter", "Frames the port sent",
	  PORT_FIELD(s.tx_packets) },
	{ "xbr_port_tx_bytes_total", "counter",
	  "Bytes of the frames the port sent (no FCS)",
	  PORT_FIELD(s.tx_bytes) },
	{ "xbr_port_flooded_total", "counter",
	  "Frames the port received and the bridge flooded",
	  PORT_FIELD(s.flooded) },
	{ "xbr_port_punted_total", "counter",
	  "Frames the port received and passed to the host's stack",
	  PORT_FIELD(s.punted) },
	{ "xbr_port_learned_total", "counter",
	  "Source addresses learned on the port", PORT_FIELD(s.learned) },
	{ "xbr_port_moved_total", "counter",
	  "Source addresses that moved to the port", PORT_FIELD(s.moved) },
	{ "xbr_port_learn_refused_total", "counter",
	  "Source addresses not learned: a learn limit or a full table",
	  PORT_FIELD(s.learn_refused) },
	{ "xbr_port_events_lost_total", "counter",
	  "Learn and move events the datapath had no room for (the frames went on)",
	  PORT_FIELD(s.reserved[XBR_STAT_EVENTS_LOST]) },
	{ "xbr_port_mirror_copies_total", "counter",
	  "Copies a monitor session sent by the port (its destination)",
	  PORT_FIELD(s.reserved[XBR_STAT_MIRRORED]) },
	{ "xbr_port_aged_total", "counter",
	  "Entries of the port removed by ageing", PORT_FIELD(aged) },
	{ "xbr_port_fdb_entries", "gauge",
	  "Dynamic MAC address table entries on the port now",
	  PORT_FIELD(fdb_entries) },
};

static void port_labels(struct out *o, const struct mport *m)
{
	out_printf(o, "{");
	label(o, "bridge", m->p.bridge, true);
	label(o, "port", sw_port_name(&m->p), false);
}

static void port_metrics(struct out *o, const struct mport *ms, int n)
{
	size_t f;
	int i, r;

	for (f = 0; f < ARRAY_SIZE(port_families); f++) {
		family(o, port_families[f].name, port_families[f].type,
		       port_families[f].help);
		for (i = 0; i < n; i++) {
			out_printf(o, "%s", port_families[f].name);
			port_labels(o, &ms[i]);
			out_printf(o, "} %llu\n",
				   *(const unsigned long long
					     *)((const char *)&ms[i].k +
						port_families[f].off));
		}
	}
	family(o, "xbr_port_drops_total", "counter",
	       "Frames dropped, by reason (doc/datapath.md)");
	for (i = 0; i < n; i++) {
		for (r = 0; r < XBR_DROP_MAX; r++) {
			if (!sw_drop_on_port(r))
				continue;
			out_printf(o, "xbr_port_drops_total");
			port_labels(o, &ms[i]);
			label(o, "reason", dp_drop_reason_name(r), false);
			out_printf(o, "} %llu\n", ms[i].k.s.drops[r]);
		}
	}
}

/* The counters of a bridge's ports, read at once, to the ports read from
 * the store. */
struct mcollect {
	const char *bridge;
	struct mport *ms;
	int n;
};

static int port_collect(__u32 ifindex, const struct dp_port_counters *k,
			void *ctx)
{
	const struct mcollect *c = ctx;
	int i;

	for (i = 0; i < c->n; i++)
		if (c->ms[i].ifindex == ifindex &&
		    !strcmp(c->ms[i].p.bridge, c->bridge))
			c->ms[i].k = *k;
	return 0;
}

/* The configured ports, their counters (zero when not attached). */
static int ports_read(struct mport **out)
{
	struct cfg_port *ps = NULL;
	struct mcollect c;
	struct sw_bridge *b;
	int n = store_ports(sw->store, NULL, &ps), i;

	*out = NULL;
	if (n < 0)
		return n;
	c.ms = calloc((size_t)(n ? n : 1), sizeof(*c.ms));
	if (!c.ms) {
		free(ps);
		return -ENOMEM;
	}
	c.n = n;
	for (i = 0; i < n; i++) {
		c.ms[i].p = ps[i];
		c.ms[i].ifindex = if_nametoindex(ps[i].ifname);
	}
	for (b = sw->bridges; b; b = b->next) {
		c.bridge = b->name;
		dp_port_counters_all(b->dp, port_collect, &c);
	}
	free(ps);
	*out = c.ms;
	return n;
}

static void bridge_metrics(struct out *o, const struct mport *ms, int np)
{
	static const char *const names[] = { "xbr_bridge_fdb_entries",
					     "xbr_bridge_fdb_capacity",
					     "xbr_bridge_ports" };
	static const char *const helps[] = {
		"Dynamic MAC address table entries in the bridge now",
		"Entries the MAC address table can hold",
		"Ports configured on the bridge"
	};
	struct sw_bridge *b;
	unsigned long long v;
	size_t f;
	int i;

	for (f = 0; f < ARRAY_SIZE(names); f++) {
		family(o, names[f], "gauge", helps[f]);
		for (b = sw->bridges; b; b = b->next) {
			v = 0;
			if (f == 0)
				v = dp_bridge_learned(b->dp);
			else if (f == 1)
				v = dp_fdb_capacity(b->dp);
			else
				for (i = 0; i < np; i++)
					v += !strcmp(ms[i].p.bridge, b->name);
			out_printf(o, "%s{", names[f]);
			label(o, "bridge", b->name, true);
			out_printf(o, "} %llu\n", v);
		}
	}
}

/* What each CPU of the slow path handled, per bridge. */
static void slowpath_metrics(struct out *o)
{
	static const char *const names[] = {
		"xbr_slowpath_host_frames_total",
		"xbr_slowpath_control_frames_total", "xbr_slowpath_drops_total"
	};
	static const char *const helps[] = {
		"Frames the slow path delivered to the host (internal ports)",
		"Control frames the slow path passed to the stack",
		"Frames the slow path's CPU queue could not take"
	};
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	struct xbr_slow_stats s;
	struct sw_bridge *b;
	char cpu[16];
	size_t f;
	long c;

	if (ncpu > XBR_SLOW_MAX_CPUS)
		ncpu = XBR_SLOW_MAX_CPUS;
	for (f = 0; f < ARRAY_SIZE(names); f++) {
		family(o, names[f], "counter", helps[f]);
		for (b = sw->bridges; b; b = b->next) {
			for (c = 0; c < ncpu; c++) {
				if (dp_slowpath_stats(b->dp, (__u32)c, &s))
					continue;
				snprintf(cpu, sizeof(cpu), "%ld", c);
				out_printf(o, "%s{", names[f]);
				label(o, "bridge", b->name, true);
				label(o, "cpu", cpu, false);
				out_printf(o, "} %llu\n",
					   f == 0   ? s.host
					   : f == 1 ? s.control
						    : s.drops);
			}
		}
	}
}

/* The whole exposition. */
static void metrics_write(struct out *o)
{
	struct mport *ms;
	int n = ports_read(&ms);

	family(o, "xbr_build_info", "gauge", "The version of xbr-switchd");
	out_printf(o, "xbr_build_info{");
	label(o, "version", PACKAGE_VERSION, true);
	out_printf(o, "} 1\n");
	if (n >= 0) {
		port_metrics(o, ms, n);
		bridge_metrics(o, ms, n);
	}
	slowpath_metrics(o);
	free(ms);
}

/* ---- the listener ---- */

static void conn_close(struct mconn *m)
{
	epoll_ctl(sw->epfd, EPOLL_CTL_DEL, m->fd, NULL);
	close(m->fd);
	out_free(&m->reply);
	m->fd = 0;
}

static void listen_close(void)
{
	size_t i;

	for (i = 0; i < METRICS_CONNS; i++)
		if (conns[i].fd)
			conn_close(&conns[i]);
	if (listen_fd >= 0) {
		epoll_ctl(sw->epfd, EPOLL_CTL_DEL, listen_fd, NULL);
		close(listen_fd);
	}
	listen_fd = -1;
	paused = retry = false;
}

/* "ADDRESS PORT" into a socket address; -EINVAL if it is none. */
static int addr_parse(const char *text, struct sockaddr_storage *sa,
		      socklen_t *len)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
	char addr[64];
	unsigned int port;

	memset(sa, 0, sizeof(*sa));
	if (sscanf(text, "%63s %u", addr, &port) != 2 || !port || port > 65535)
		return -EINVAL;
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return 0;
	}
	return -EINVAL;
}

/* Listen as text says ("" : not at all); 0 or -errno with err set. */
static int listen_on(const char *text, char *err, size_t errlen)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sockaddr_storage sa;
	socklen_t len;
	int fd, one = 1;

	listen_close();
	if (!text[0])
		return 0;
	if (addr_parse(text, &sa, &len)) {
		snprintf(err, errlen, "metrics: %s is no address and port",
			 text);
		return -EINVAL;
	}
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (sa.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	ev.data.fd = fd;
	if (bind(fd, (struct sockaddr *)&sa, len) ||
	    listen(fd, METRICS_CONNS) ||
	    epoll_ctl(sw->epfd, EPOLL_CTL_ADD, fd, &ev))
		goto fail;
	listen_fd = fd;
	log_info("metrics: serving GET /metrics on %s", text);
	return 0;
fail:
	snprintf(err, errlen, "metrics: cannot listen on %s: %s", text,
		 strerror(errno));
	if (fd >= 0)
		close(fd);
	return -errno;
}

static void metrics_get(char *text, size_t len)
{
	if (store_meta_get(sw->store, METRICS_KEY, text, len))
		text[0] = '\0';
}

/* A slot for a new connection: a free one, or the oldest still reading
 * (a slow client never keeps a scrape out). */
static struct mconn *conn_slot(void)
{
	struct mconn *old = NULL;
	size_t i;

	for (i = 0; i < METRICS_CONNS; i++) {
		if (!conns[i].fd)
			return &conns[i];
		if (!conns[i].replying && (!old || conns[i].since < old->since))
			old = &conns[i];
	}
	if (old)
		conn_close(old);
	return old;
}

static void conn_accept(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct mconn *m;
	int fd;

	while ((fd = accept4(listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		m = conn_slot();
		ev.data.fd = fd;
		if (!m || epoll_ctl(sw->epfd, EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);
			continue;
		}
		memset(m, 0, sizeof(*m));
		m->fd = fd;
		m->since = time(NULL);
	}
	if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
	    errno == ENOMEM) {
		/* the connection waits in the backlog: no busy loop on it */
		struct epoll_event off = { .events = 0, .data.fd = listen_fd };

		epoll_ctl(sw->epfd, EPOLL_CTL_MOD, listen_fd, &off);
		paused = true;
	}
}

/* Write what the client takes; closed when all is sent or it fails. */
static void conn_write(struct mconn *m)
{
	ssize_t n;

	while (m->sent < m->reply.len) {
		n = send(m->fd, m->reply.buf + m->sent, m->reply.len - m->sent,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0)
			break;
		m->sent += (size_t)n;
	}
	conn_close(m);
}

static void conn_reply(struct mconn *m, const char *status, const char *extra)
{
	struct epoll_event ev = { .events = EPOLLOUT, .data.fd = m->fd };
	struct out body = { 0 };

	if (!strcmp(status, "200 OK"))
		metrics_write(&body);
	else
		out_printf(&body, "%s\n", status);
	out_printf(&m->reply,
		   "HTTP/1.1 %s\r\n"
		   "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		   "Content-Length: %zu\r\n%sConnection: close\r\n\r\n",
		   status, body.len, extra);
	out_printf(&m->reply, "%.*s", (int)body.len, body.buf ? body.buf : "");
	out_free(&body);
	m->replying = true;
	shutdown(m->fd, SHUT_RD);
	epoll_ctl(sw->epfd, EPOLL_CTL_MOD, m->fd, &ev);
	conn_write(m);
}

/* A whole request's first line: GET /metrics, with its HTTP version. */
static void conn_request(struct mconn *m)
{
	char method[16], path[256], version[16];

	if (sscanf(m->req, "%15s %255s %15s", method, path, version) != 3 ||
	    strncmp(version, "HTTP/1.", 7))
		conn_reply(m, "400 Bad Request", "");
	else if (strcmp(method, "GET"))
		conn_reply(m, "405 Method Not Allowed", "Allow: GET\r\n");
	else if (strcmp(path, "/metrics"))
		conn_reply(m, "404 Not Found", "");
	else
		conn_reply(m, "200 OK", "");
}

static void conn_read(struct mconn *m)
{
	ssize_t n;

	for (;;) {
		n = recv(m->fd, m->req + m->len, sizeof(m->req) - 1 - m->len,
			 MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			conn_close(m);
			return;
		}
		m->len += (size_t)n;
		m->req[m->len] = '\0';
		if (strstr(m->req, "\r\n\r\n") || strstr(m->req, "\n\n")) {
			conn_request(m);
			return;
		}
		if (m->len == sizeof(m->req) - 1) {
			conn_reply(m, "431 Request Header Fields Too Large",
				   "");
			return;
		}
	}
}

bool sw_metrics_handle(int fd, uint32_t events)
{
	size_t i;

	if (fd < 0)
		return false;
	if (fd == listen_fd) {
		conn_accept();
		return true;
	}
	for (i = 0; i < METRICS_CONNS; i++) {
		if (conns[i].fd != fd)
			continue;
		if (conns[i].replying)
			conn_write(&conns[i]);
		else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			conn_read(&conns[i]);
		return true;
	}
	return false;
}

void sw_metrics_tick(void)
{
	struct epoll_event on = { .events = EPOLLIN, .data.fd = listen_fd };
	char text[128], err[SW_ERRLEN];
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < METRICS_CONNS; i++)
		if (conns[i].fd && now - conns[i].since > METRICS_IDLE)
			conn_close(&conns[i]);
	if (paused && !epoll_ctl(sw->epfd, EPOLL_CTL_MOD, listen_fd, &on))
		paused = false;
	if (retry && now % METRICS_IDLE == 0) {
		metrics_get(text, sizeof(text));
		if (!listen_on(text, err, sizeof(err)))
			log_info("metrics: %s bound at last", text);
		else
			retry = true; /* said once, at boot */
	}
}

/* ---- metrics listen ADDRESS PORT, and no metrics listen ---- */

static void metrics_reconcile(const struct cfg_bridge *bs, int n)
{
	char text[128], err[SW_ERRLEN];

	(void)bs;
	(void)n;
	metrics_get(text, sizeof(text));
	if (listen_fd >= 0 || retry || !text[0])
		return; /* a configuration command changes it */
	if (listen_on(text, err, sizeof(err))) {
		log_err("%s; trying again every %d s", err, METRICS_IDLE);
		retry = true;
	}
}

static int metrics_clear(void)
{
	return store_meta_set(sw->store, METRICS_KEY, "") ? -EIO : 0;
}

static int metrics_store(struct cmd_call *c, void *ctx)
{
	if (store_meta_set(sw->store, METRICS_KEY, ctx))
		return sw_store_err(c);
	return 0;
}

static int metrics_apply(struct cmd_call *c, void *ctx)
{
	char err[SW_ERRLEN];

	if (listen_on(ctx, err, sizeof(err)))
		return sw_say(c, -EINVAL, "%s", err);
	return 0;
}

static void metrics_undo(struct cmd_call *c, void *ctx)
{
	char text[128], err[SW_ERRLEN];

	(void)c;
	(void)ctx;
	metrics_get(text, sizeof(text)); /* as the store has it again */
	if (listen_on(text, err, sizeof(err)))
		log_err("%s", err);
}

static int do_metrics_listen(struct cmd_call *c)
{
	static const struct sw_txn txn = { metrics_store, metrics_apply,
					   metrics_undo, NULL };
	char text[128] = "";

	if (!c->no)
		snprintf(text, sizeof(text), "%s %lu", cmd_arg(c, "ADDRESS"),
			 cmd_num(c, "(1-65535)", 0));
	return sw_txn_run(c, &txn, text);
}

static void metrics_config(struct out *o)
{
	char text[128];

	metrics_get(text, sizeof(text));
	if (text[0])
		out_printf(o, "metrics listen %s\n!\n", text);
}

void sw_metrics_close(void)
{
	listen_close();
}

static const struct cmd_def metrics_cmds[] = {
	{ MODE_BIT(MODE_CONFIG), "[no] metrics listen {ADDRESS (1-65535)}",
	  "Remove configuration\n"
	  "Prometheus metrics\n"
	  "Serve GET /metrics over HTTP (read-only)|Stop serving them\n"
	  "The local address to listen on\nTCP port",
	  do_metrics_listen },
};

SW_FEATURE(metrics, .config = metrics_config,
	   .reconcile_add = metrics_reconcile, .clear = metrics_clear);
