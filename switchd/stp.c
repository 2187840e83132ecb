// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spanning tree, the feature (doc/stp.md): the commands (spanning-tree
 * mode, priority, timers; per port cost, priority, edge, link type, BPDU
 * guard, root guard, BPDU filter), show spanning-tree, the running
 * config's lines; the bridges and ports the machines of stp_sm.c run on,
 * made from the store and the links; BPDUs in and out by a packet socket
 * on each port, in the event loop; the one-second tick; port states into
 * the datapath. The state file a restarted daemon resumes from is
 * stp_state.c's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "switchd/stp.h"
#include "switchd/switchd.h"

static const char *const mode_names[] = { "none", "rstp", "stp" };
static const char *const state_names[] = { "forwarding", "learning",
					   "discarding" };

static struct stp_bridge *bridges;
static int tick_fd = -1;

static struct stp_bridge *stp_bridge_find(const char *name)
{
	struct stp_bridge *b;

	for (b = bridges; b; b = b->next)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

/* The port of b whose MAC is mac, or NULL. */
struct stp_port *stp_port_of_mac(const struct stp_bridge *b,
				 const uint8_t mac[6])
{
	struct stp_port *p;

	for (p = b->ports; p; p = p->next)
		if (memcmp(mac, "\0\0\0\0\0\0", 6) && !memcmp(p->mac, mac, 6))
			return p;
	return NULL;
}

struct stp_port *stp_port_find(const char *ifname)
{
	struct stp_bridge *b;
	struct stp_port *p;

	for (b = bridges; b; b = b->next)
		for (p = b->ports; p; p = p->next)
			if (!strcmp(p->ifname, ifname))
				return p;
	return NULL;
}

/* ---- what the machines do to the world ---- */

void stp_set_state(struct stp_port *p, int state)
{
	struct sw_bridge *br = sw_bridge_find(p->br->name);

	if (p->dp_state == state)
		return;
	if (br && p->ifindex &&
	    dp_port_set_stp_state(br->dp, p->ifindex,
				  (enum dp_stp_state)state) &&
	    errno != ENOENT)
		log_warn("bridge %s: port %s: %s", p->br->name, p->ifname,
			 dp_error());
	log_debug("bridge %s: port %s: %s", p->br->name, p->ifname,
		  state_names[state]);
	p->dp_state = state;
	p->br->dirty = true;
}

void stp_flush(struct stp_port *p)
{
	struct sw_bridge *br = sw_bridge_find(p->br->name);
	struct dp_fdb_filter f = { .ifindex = p->ifindex };
	int n;

	if (!br || !p->ifindex)
		return;
	n = dp_fdb_flush(br->dp, &f);
	if (n > 0)
		log_debug("bridge %s: port %s: %d entries flushed", p->br->name,
			  p->ifname, n);
}

void stp_tx_bpdu(struct stp_port *p, enum stp_bpdu_type type)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET,
				  .sll_ifindex = p->ifindex,
				  .sll_halen = 6 };
	uint8_t f[STP_BPDU_FRAME];

	if (p->fd < 0)
		return;
	stp_bpdu_frame(p, type, f);
	memcpy(sa.sll_addr, stp_bpdu_dst, 6);
	if (sendto(p->fd, f, sizeof(f), MSG_DONTWAIT, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		log_debug("bridge %s: port %s: BPDU not sent: %s", p->br->name,
			  p->ifname, strerror(errno));
		return;
	}
	p->tx_bpdus++;
}

/* BPDU guard: an edge port that hears a BPDU is err-disabled. */
static void stp_guard(struct stp_port *p)
{
	struct cfg_port cp;

	if (store_port_get(sw->store, p->ifname, &cp))
		return;
	log_warn(
		"bridge %s: port %s: BPDU received on an edge port with BPDU guard",
		p->br->name, p->ifname);
	p->guarded = true;
	sw_errdisable_port(&cp, SW_ERRDIS_BPDU_GUARD);
}

/* ---- BPDUs in ---- */

static void stp_rx(struct stp_port *p)
{
	struct stp_bridge *b = p->br;
	struct sockaddr_ll sa;
	socklen_t salen = sizeof(sa);
	uint8_t f[1600];
	struct stp_bpdu m;
	const char *why;
	ssize_t n;
	size_t len;

	while ((n = recvfrom(p->fd, f, sizeof(f), MSG_DONTWAIT,
			     (struct sockaddr *)&sa, &salen)) >= 0) {
		salen = sizeof(sa);
		if (sa.sll_pkttype == PACKET_OUTGOING || n < 17 ||
		    memcmp(f, stp_bpdu_dst, 6) || f[14] != 0x42 || f[15] != 0x42 ||
		    f[16] != 0x03)
			continue;
		if (p->bpdufilter)
			continue;
		p->rx_bpdus++;
		len = (size_t)n - 17;
		/* an 802.3 length field says how much is the BPDU; one
		 * that passes the frame's end is wrong */
		if (((size_t)f[12] << 8 | f[13]) < 0x600) {
			size_t l = ((size_t)f[12] << 8 | f[13]);

			len = l < 3 || l - 3 > len ? 0 : l - 3;
		}
		if (stp_bpdu_parse(f + 17, len, &m, &why)) {
			p->malformed++;
			log_debug("bridge %s: port %s: BPDU ignored: %s",
				  b->name, p->ifname, why);
			continue;
		}
		/* our own, looped back to the port that sent it */
		if (m.type != STP_BPDU_TCN && m.vec.bridge == b->id &&
		    (m.vec.port & 0xfff) == p->num)
			continue;
		if (p->admin_edge && p->bpduguard) {
			stp_guard(p);
			return;
		}
		if (b->mode == STP_MODE_STP && m.type == STP_BPDU_RST) {
			/* an STP bridge hears an RST BPDU as a
			 * configuration BPDU */
			if (m.role != STP_ROLE_DESIGNATED)
				continue;
			m.type = STP_BPDU_CONFIG;
			m.flags &= STP_F_TC;
		}
		stp_sm_rx(p, &m);
	}
}

/* ---- ports and bridges from the store and the links ---- */

static int stp_socket(struct stp_port *p)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_802_2),
				  .sll_ifindex = p->ifindex };
	struct packet_mreq mr = { .mr_ifindex = p->ifindex,
				  .mr_type = PACKET_MR_MULTICAST,
				  .mr_alen = 6 };
	struct epoll_event ev = { .events = EPOLLIN };
	int fd;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    htons(ETH_P_802_2));
	if (fd < 0)
		return -errno;
	memcpy(mr.mr_address, stp_bpdu_dst, 6);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
		       sizeof(mr))) {
		int err = -errno;

		close(fd);
		return err;
	}
	ev.data.fd = fd;
	if (sw->epfd >= 0 && epoll_ctl(sw->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void stp_port_close(struct stp_port *p)
{
	if (p->fd >= 0)
		close(p->fd); /* leaves the epoll set with it */
	p->fd = -1;
}

/* The interface's flags and MAC; false when it is not up and running. */
static bool link_up(const char *ifname, uint8_t mac[6])
{
	static int fd = -1;
	struct ifreq ifr = { 0 };
	bool up;

	if (fd < 0)
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		return false;
	up = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
	if (!ioctl(fd, SIOCGIFHWADDR, &ifr))
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return up;
}

/* Path cost by link speed (Mb/s, ethtool's): 802.1D-2004 table 17-3
 * (20 Tb/s / speed). */
static uint32_t cost_by_speed(unsigned long mbps)
{
	unsigned long long c;

	if (!mbps)
		mbps = 1000; /* unknown: as a gigabit link */
	c = 20000000ULL / (unsigned long long)mbps;
	return c < 1 ? 1 : c > STP_MAX_COST ? STP_MAX_COST : (uint32_t)c;
}

static struct stp_port *stp_port_new(struct stp_bridge *b, const char *ifname)
{
	struct stp_port *p = calloc(1, sizeof(*p)), **tail;

	if (!p)
		return NULL;
	p->br = b;
	p->fd = -1;
	p->dp_state = -1;
	p->desg_times = b->times;
	snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
	for (tail = &b->ports; *tail; tail = &(*tail)->next)
		;
	*tail = p;
	return p;
}

/* A port's settings, link and attachment as they are now; true when
 * something the machines select by changed. */
static bool stp_port_update(struct stp_port *p, const struct cfg_port *cp,
			    uint16_t num)
{
	struct sw_bridge *br = sw_bridge_find(p->br->name);
	struct cfg_stp_port sp;
	struct dp_port_info info;
	uint32_t cost;
	int ifindex = (int)if_nametoindex(p->ifname);
	bool attached, enabled, edge, changed = false;
	uint8_t mac[6] = { 0 };
	/* speed and duplex asked in the daemon's own network namespace
	 * (sysfs may be another namespace's) */
	bool half = false;
	unsigned long mbps = sw_link_speed(p->ifname, &half);

	store_stp_port_get(sw->store, p->ifname, &sp);
	attached = br && ifindex && !dp_port_get(br->dp, ifindex, &info) &&
		   info.attached;
	enabled = attached && link_up(p->ifname, mac) && !cp->shutdown &&
		  !sw_errdisabled(p->ifname);
	if (!sw_errdisabled(p->ifname))
		p->guarded = false;
	if (ifindex != p->ifindex || (attached && p->fd < 0)) {
		stp_port_close(p);
		p->ifindex = ifindex;
		p->dp_state =
			attached ? (int)dp_stp_state_of(info.port.flags) : -1;
		if (attached) {
			p->fd = stp_socket(p);
			if (p->fd < 0)
				log_warn(
					"bridge %s: port %s: no BPDU socket: %s",
					p->br->name, p->ifname,
					strerror(-p->fd));
		}
	}
	if (memcmp(mac, "\0\0\0\0\0\0", 6))
		memcpy(p->mac, mac, 6);
	/* the port number is its datapath slot's: it stays when another
	 * port leaves, and across a daemon restart */
	if (attached)
		num = (uint16_t)(info.port.slot + 1);
	else if (p->num)
		num = p->num;
	if (num != p->num || sp.priority != p->priority) {
		p->num = num;
		p->priority = sp.priority;
		changed = true;
	}
	cost = sp.cost ? sp.cost : cost_by_speed(mbps);
	if (cost != p->cost || sp.cost != p->admin_cost) {
		p->cost = cost;
		p->admin_cost = sp.cost;
		changed = true;
	}
	edge = sp.flags & CFG_STP_EDGE;
	p->bpduguard = sp.flags & CFG_STP_BPDUGUARD;
	if (p->rootguard != !!(sp.flags & CFG_STP_ROOTGUARD)) {
		p->rootguard = sp.flags & CFG_STP_ROOTGUARD;
		changed = true;
	}
	if (edge != p->admin_edge ||
	    p->bpdufilter != !!(sp.flags & CFG_STP_BPDUFILTER)) {
		p->admin_edge = edge;
		p->bpdufilter = sp.flags & CFG_STP_BPDUFILTER;
		p->oper_edge = edge || p->bpdufilter;
		p->bdm = p->oper_edge ? 0 : 1; /* BDM_EDGE, BDM_NOT_EDGE */
	}
	p->auto_edge = true;
	p->link = sp.flags & CFG_STP_P2P      ? STP_LINK_P2P
		  : sp.flags & CFG_STP_SHARED ? STP_LINK_SHARED
					      : STP_LINK_AUTO;
	/* a link without a duplex (virtual) is point-to-point */
	p->p2p = p->link == STP_LINK_P2P ||
		 (p->link == STP_LINK_AUTO && !half);
	if (enabled != p->enabled) {
		log_info("bridge %s: port %s: %s", p->br->name, p->ifname,
			 enabled ? "enabled" : "disabled");
		p->enabled = enabled;
		changed = true;
	}
	return changed;
}

static void stp_bridge_free(struct stp_bridge *b, bool forward)
{
	struct stp_port *p, *next;

	for (p = b->ports; p; p = next) {
		next = p->next;
		if (forward)
			stp_set_state(p, DP_STP_FORWARDING);
		stp_port_close(p);
		free(p);
	}
	free(b);
}

static void stp_tick_arm(void)
{
	struct itimerspec second = { { 1, 0 }, { 1, 0 } };
	struct epoll_event ev = { .events = EPOLLIN };

	if (tick_fd >= 0 || sw->epfd < 0)
		return;
	tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	ev.data.fd = tick_fd;
	if (tick_fd < 0 || timerfd_settime(tick_fd, 0, &second, NULL) ||
	    epoll_ctl(sw->epfd, EPOLL_CTL_ADD, tick_fd, &ev))
		log_err("spanning tree: no timer: %s", strerror(errno));
}

/* A bridge of the store with spanning tree on: its settings, its ports. */
static void stp_bridge_sync(const struct cfg_stp_bridge *cb)
{
	struct stp_bridge *b = stp_bridge_find(cb->bridge);
	struct stp_times t = { 0, cb->max_age, cb->hello, cb->fwd_delay };
	struct cfg_port *ports = NULL;
	struct stp_port *p, *lowest, **pp2;
	bool fresh = false, changed = false, born;
	uint64_t id;
	int n, i;

	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b)
			return;
		snprintf(b->name, sizeof(b->name), "%s", cb->bridge);
		b->next = bridges;
		bridges = b;
		fresh = true;
	}
	if (b->mode != cb->mode)
		fresh = true;
	b->mode = cb->mode;
	if (memcmp(&t, &b->times, sizeof(t))) {
		b->times = t;
		changed = true;
	}
	b->priority = cb->priority;

	n = store_ports(sw->store, b->name, &ports);
	for (p = b->ports; p; p = p->next)
		p->seen = false;
	for (i = 0; i < n; i++) {
		p = stp_port_find(ports[i].ifname);
		if (p && p->br != b)
			p = NULL; /* moved: a new port here */
		born = !p;
		if (!p)
			p = stp_port_new(b, ports[i].ifname);
		if (!p)
			continue;
		p->seen = true;
		changed |= stp_port_update(p, &ports[i], (uint16_t)(i + 1));
		/* a port new to a running bridge: its machines begin */
		if (born && !fresh)
			stp_sm_port_begin(p);
	}
	free(ports);
	for (pp2 = &b->ports; *pp2;) {
		p = *pp2;
		if (p->seen) {
			pp2 = &p->next;
			continue;
		}
		*pp2 = p->next;
		stp_port_close(p);
		free(p);
		changed = true;
	}

	/* the bridge address: the lowest MAC of its ports when it starts;
	 * it stays while that port does, so a port added or removed does
	 * not change the bridge id under the neighbours */
	lowest = NULL;
	for (p = b->ports; p; p = p->next)
		if (memcmp(p->mac, "\0\0\0\0\0\0", 6) &&
		    (!lowest || memcmp(p->mac, lowest->mac, 6) < 0))
			lowest = p;
	if (lowest && !stp_port_of_mac(b, b->mac))
		memcpy(b->mac, lowest->mac, 6);
	id = (uint64_t)b->priority << 48;
	for (i = 0; i < 6; i++)
		id |= (uint64_t)b->mac[i] << (8 * (5 - i));
	if (id != b->id) {
		b->id = id;
		changed = true;
	}
	stp_tick_arm();
	if (fresh) {
		log_info("bridge %s: spanning tree %s", b->name,
			 mode_names[b->mode]);
		if (!stp_resume(b))
			stp_sm_begin(b);
		return;
	}
	if (changed)
		for (p = b->ports; p; p = p->next)
			p->reselect = true;
	stp_sm_run(b);
}

/* Every port of a bridge without spanning tree forwards. */
static void stp_off(const char *bridge)
{
	struct dp_port_info info[XBR_MAX_PORTS];
	struct sw_bridge *br = sw_bridge_find(bridge);
	int n, i;

	if (!br)
		return;
	n = dp_port_list(br->dp, info, XBR_MAX_PORTS);
	for (i = 0; i < n && i < XBR_MAX_PORTS; i++)
		if (info[i].port.flags & XBR_PORT_F_STP_MASK)
			dp_port_set_stp_state(br->dp, (int)info[i].ifindex,
					      DP_STP_FORWARDING);
}

/* Make the running bridges what the store says. */
static void stp_sync(bool all)
{
	char path[256];
	struct cfg_bridge *bs = NULL;
	struct cfg_stp_bridge cb;
	struct stp_bridge **pp, *b;
	int n, i;

	n = store_bridges(sw->store, &bs);
	for (pp = &bridges; *pp;) {
		bool keep = false;

		b = *pp;
		for (i = 0; i < n; i++)
			if (!strcmp(bs[i].name, b->name) &&
			    !store_stp_bridge_get(sw->store, b->name, &cb) &&
			    cb.mode != STP_MODE_NONE)
				keep = true;
		if (keep) {
			pp = &b->next;
			continue;
		}
		*pp = b->next;
		log_info("bridge %s: spanning tree off", b->name);
		stp_state_path(b, path, sizeof(path));
		unlink(path);
		stp_bridge_free(b, sw_bridge_find(b->name) != NULL);
	}
	for (i = 0; i < n; i++) {
		if (store_stp_bridge_get(sw->store, bs[i].name, &cb))
			continue;
		if (cb.mode != STP_MODE_NONE)
			stp_bridge_sync(&cb);
		else if (all)
			stp_off(bs[i].name);
	}
	free(bs);
}

static void stp_reconcile(const struct cfg_bridge *bs, int n)
{
	(void)bs;
	(void)n;
	stp_sync(true);
}

int sw_stp_port_start(const char *bridge, const char *ifname)
{
	struct stp_port *p = stp_port_find(ifname);
	struct cfg_stp_bridge cb;

	if (p && p->br == stp_bridge_find(bridge) && p->dp_state >= 0)
		return p->dp_state;
	if (store_stp_bridge_get(sw->store, bridge, &cb) ||
	    cb.mode == STP_MODE_NONE)
		return DP_STP_FORWARDING;
	return DP_STP_DISCARDING;
}

void sw_stp_link(const char *ifname)
{
	struct cfg_port cp;
	struct stp_port *p;

	if (store_port_get(sw->store, ifname, &cp) ||
	    !stp_bridge_find(cp.bridge))
		return;
	p = stp_port_find(ifname);
	if (p && p->br == stp_bridge_find(cp.bridge) &&
	    stp_port_update(p, &cp, p->num)) {
		for (p = p->br->ports; p; p = p->next)
			p->reselect = true;
	}
	stp_sync(false);
}

bool sw_stp_event(int fd)
{
	struct stp_bridge *b;
	struct stp_port *p;
	uint64_t ticks;

	if (fd < 0)
		return false;
	if (fd == tick_fd) {
		if (read(fd, &ticks, sizeof(ticks)) <= 0)
			return true;
		stp_sync(false);
		for (b = bridges; b; b = b->next) {
			stp_sm_tick(b);
			stp_save(b);
		}
		return true;
	}
	for (b = bridges; b; b = b->next)
		for (p = b->ports; p; p = p->next)
			if (p->fd == fd) {
				stp_rx(p);
				return true;
			}
	return false;
}

void sw_stp_stop(void)
{
	struct stp_bridge *b;

	while ((b = bridges)) {
		stp_save(b);
		bridges = b->next;
		stp_bridge_free(b, false);
	}
	if (tick_fd >= 0)
		close(tick_fd);
	tick_fd = -1;
}

/* ---- commands ---- */

struct stp_txn {
	struct cfg_stp_bridge b;
	struct cfg_stp_port p;
	bool port;
};

static int stp_txn_store(struct cmd_call *c, void *ctx)
{
	struct stp_txn *t = ctx;

	if (t->port ? store_stp_port_put(sw->store, &t->p)
		    : store_stp_bridge_put(sw->store, &t->b))
		return sw_store_err(c);
	return 0;
}

static void stp_txn_done(struct cmd_call *c, void *ctx)
{
	(void)ctx;
	if (!c->s->boot)
		stp_sync(true);
}

static const struct sw_txn stp_txn = { stp_txn_store, NULL, NULL,
				       stp_txn_done };

/* The rule of 17.14: 2 * (forward-delay - 1) >= max-age >= 2 * (hello + 1) */
static int timers_check(struct cmd_call *c, const struct cfg_stp_bridge *b)
{
	if (2 * (b->fwd_delay - 1) >= b->max_age &&
	    b->max_age >= 2 * (b->hello + 1))
		return 0;
	return sw_say(
		c, -EINVAL,
		"hello-time %u, forward-delay %u, max-age %u: the timers must keep 2 * (forward-delay - 1) >= max-age >= 2 * (hello-time + 1)",
		b->hello, b->fwd_delay, b->max_age);
}

static int do_stp_bridge(struct cmd_call *c)
{
	struct stp_txn t = { 0 };
	unsigned long v;

	if (store_stp_bridge_get(sw->store, c->s->bridge, &t.b))
		return sw_store_failed(c);
	if (cmd_has(c, "mode")) {
		t.b.mode = c->no		? STP_MODE_NONE
			   : cmd_has(c, "rstp") ? STP_MODE_RSTP
			   : cmd_has(c, "stp")	? STP_MODE_STP
						: STP_MODE_NONE;
	} else if (cmd_has(c, "priority")) {
		v = cmd_num(c, "priority", STP_DEF_PRIORITY);
		if (c->no)
			v = STP_DEF_PRIORITY;
		if (v % 4096)
			return sw_say(
				c, -EINVAL,
				"bridge priority %lu: a multiple of 4096 (0, 4096, ... 61440)",
				v);
		t.b.priority = (uint16_t)v;
	} else if (cmd_has(c, "hello-time")) {
		t.b.hello = (uint8_t)(c->no ? STP_DEF_HELLO
					    : cmd_num(c, "hello-time", 0));
	} else if (cmd_has(c, "forward-delay")) {
		t.b.fwd_delay =
			(uint8_t)(c->no ? STP_DEF_FWD_DELAY
					: cmd_num(c, "forward-delay", 0));
	} else {
		t.b.max_age = (uint8_t)(c->no ? STP_DEF_MAX_AGE
					      : cmd_num(c, "max-age", 0));
	}
	if (timers_check(c, &t.b))
		return -EINVAL;
	return sw_txn_run(c, &stp_txn, &t);
}

static int do_stp_port(struct cmd_call *c)
{
	const char *ifname = cmd_arg(c, "IFNAME");
	struct stp_txn t = { .port = true };
	struct cfg_port cp;
	uint32_t flag = 0;
	unsigned long v;

	if (store_port_get(sw->store, ifname, &cp) ||
	    strcmp(cp.bridge, c->s->bridge))
		return sw_say(c, -ENOENT, "%s is not a port of bridge %s",
			      ifname, c->s->bridge);
	if (store_stp_port_get(sw->store, ifname, &t.p))
		return sw_store_failed(c);
	if (cmd_has(c, "cost")) {
		t.p.cost = c->no ? 0 : (uint32_t)cmd_num(c, "cost", 0);
	} else if (cmd_has(c, "priority")) {
		v = c->no ? STP_DEF_PORT_PRIORITY : cmd_num(c, "priority", 0);
		if (v % 16)
			return sw_say(
				c, -EINVAL,
				"port priority %lu: a multiple of 16 (0, 16, ... 240)",
				v);
		t.p.priority = (uint16_t)v;
	} else if (cmd_has(c, "link-type")) {
		t.p.flags &= ~(CFG_STP_P2P | CFG_STP_SHARED);
		if (!c->no)
			t.p.flags |= cmd_has(c, "shared") ? CFG_STP_SHARED
							  : CFG_STP_P2P;
	} else {
		flag = cmd_has(c, "edge")	  ? CFG_STP_EDGE
		       : cmd_has(c, "bpduguard")  ? CFG_STP_BPDUGUARD
		       : cmd_has(c, "root-guard") ? CFG_STP_ROOTGUARD
						  : CFG_STP_BPDUFILTER;
		if (c->no)
			t.p.flags &= ~flag;
		else
			t.p.flags |= flag;
	}
	return sw_txn_run(c, &stp_txn, &t);
}

/* ---- show spanning-tree ---- */

static void id_text(uint64_t id, char *buf, size_t len)
{
	uint8_t mac[6];
	char m[18];
	int i;

	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)(id >> (8 * (5 - i)));
	dp_mac_format(mac, m);
	snprintf(buf, len, "%llu.%s", (unsigned long long)(id >> 48), m);
}

static void show_id(struct out *o, const char *key, const char *label,
		    uint64_t id)
{
	char text[40];

	id_text(id, text, sizeof(text));
	out_text(o, "  %-14s", label);
	out_str(o, key, "%s\n", text);
}

static const char *port_state(const struct stp_port *p)
{
	return p->dp_state < 0 ? "discarding" : state_names[p->dp_state];
}

static void show_port(struct out *o, const struct stp_port *p, bool detail)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%u.%u", p->priority, p->num);
	out_open(o, NULL, '{');
	out_str(o, "ifname", "%-15s", p->ifname);
	out_str(o, "role", " %-10s",
		p->root_inconsistent ? "alternate" : stp_role_name(p->role));
	out_str(o, "state", " %-10s", port_state(p));
	out_uint(o, "cost", " %9llu", p->cost);
	out_str(o, "port_id", " %-8s", pid);
	out_uint(o, "priority", NULL, p->priority);
	out_bool(o, "edge", NULL, p->oper_edge);
	out_text(o, " %-4s", p->oper_edge ? "yes" : "no");
	out_str(o, "link_type", " %-6s", p->p2p ? "p2p" : "shared");
	out_str(o, "protocol", " %-4s", p->send_rstp ? "rstp" : "stp");
	out_uint(o, "bpdus_sent", " %8llu", p->tx_bpdus);
	out_uint(o, "bpdus_received", " %8llu", p->rx_bpdus);
	out_uint(o, "malformed", " %6llu\n", p->malformed);
	if (detail) {
		char id[40];

		id_text(p->port_pri.root, id, sizeof(id));
		out_str(o, "designated_root", "    designated root %s", id);
		out_uint(o, "designated_cost", " cost %llu", p->port_pri.cost);
		id_text(p->port_pri.bridge, id, sizeof(id));
		out_str(o, "designated_bridge", ", bridge %s", id);
		out_uint(o, "designated_port", " port 0x%04llx\n",
			 p->port_pri.port);
		out_bool(o, "admin_edge", "    edge configured %s",
			 p->admin_edge);
		out_bool(o, "bpduguard", ", bpduguard %s", p->bpduguard);
		out_bool(o, "root_guard", ", root-guard %s", p->rootguard);
		out_bool(o, "bpdufilter", ", bpdufilter %s", p->bpdufilter);
		out_bool(o, "root_inconsistent", ", root inconsistent %s\n",
			 p->root_inconsistent);
		out_uint(o, "topology_changes", "    topology changes %llu",
			 p->tc_count);
		out_bool(o, "enabled", ", enabled %s", p->enabled);
		out_bool(o, "proposing", ", proposing %s", p->proposing);
		out_bool(o, "agreed", ", agreed %s\n", p->agreed);
	}
	out_close(o, '}');
}

static void show_bridge(struct out *o, const char *name, bool detail)
{
	struct stp_bridge *b = stp_bridge_find(name);
	struct stp_port *p;

	out_open(o, NULL, '{');
	out_str(o, "bridge", "Bridge %s", name);
	out_str(o, "mode", ": spanning tree %s\n",
		mode_names[b ? b->mode : STP_MODE_NONE]);
	if (!b) {
		out_close(o, '}');
		return;
	}
	show_id(o, "root_id", "Root ID", b->root_pri.root);
	out_uint(o, "root_cost", "                cost %llu, ",
		 b->root_pri.cost);
	if (b->root_port)
		out_str(o, "root_port", "port %s\n", b->root_port->ifname);
	else
		out_text(o, "%s\n", "this bridge is the root");
	show_id(o, "bridge_id", "Bridge ID", b->id);
	out_uint(o, "hello_time", "  Timers        hello %llu s",
		 b->times.hello);
	out_uint(o, "max_age", ", max age %llu s", b->times.max_age);
	out_uint(o, "forward_delay", ", forward delay %llu s\n",
		 b->times.fwd_delay);
	out_uint(o, "topology_changes", "  Topology changes %llu", b->tc_count);
	if (b->tc_count) {
		out_str(o, "last_change_port", ", last on port %s",
			b->last_tc_port);
		out_uint(o, "last_change_ago", " %llu s ago",
			 (unsigned long long)(sw_now_s() - b->last_tc));
	}
	out_text(o,
		 "\n\n%-15s %-10s %-10s %9s %-8s %-4s %-6s %-4s %8s %8s %6s\n",
		 "Interface", "Role", "State", "Cost", "Prio.Nbr", "Edge",
		 "Link", "Prot", "Sent", "Received", "Malf.");
	out_open(o, "ports", '[');
	for (p = b->ports; p; p = p->next)
		show_port(o, p, detail);
	out_close(o, ']');
	out_close(o, '}');
}

static int do_show_stp(struct cmd_call *c)
{
	struct out *o = &c->s->out;
	struct cfg_bridge *bs = NULL, one;
	const char *name = cmd_arg(c, "NAME");
	bool detail = cmd_has(c, "detail");
	int n, i;

	if (name && store_bridge_get(sw->store, name, &one))
		return sw_say(c, -ENOENT, "no bridge named %s", name);
	out_open(o, NULL, '{');
	out_open(o, "bridges", '[');
	if (name) {
		show_bridge(o, name, detail);
	} else {
		n = store_bridges(sw->store, &bs);
		for (i = 0; i < n; i++) {
			if (i)
				out_text(o, "\n");
			show_bridge(o, bs[i].name, detail);
		}
		free(bs);
	}
	out_close(o, ']');
	out_close(o, '}');
	return 0;
}

/* ---- the running config ---- */

static void stp_config_bridge(struct out *o, const struct cfg_bridge *cb)
{
	struct cfg_stp_bridge b;
	struct cfg_stp_port sp;
	struct cfg_port *ports = NULL;
	static const struct {
		uint32_t flag;
		const char *word;
	} words[] = { { CFG_STP_EDGE, "edge" },
		      { CFG_STP_P2P, "link-type point-to-point" },
		      { CFG_STP_SHARED, "link-type shared" },
		      { CFG_STP_BPDUGUARD, "bpduguard" },
		      { CFG_STP_ROOTGUARD, "root-guard" },
		      { CFG_STP_BPDUFILTER, "bpdufilter" } };
	int n, i;
	size_t w;

	if (store_stp_bridge_get(sw->store, cb->name, &b))
		return;
	if (b.mode != STP_MODE_NONE)
		out_printf(o, " spanning-tree mode %s\n", mode_names[b.mode]);
	if (b.priority != STP_DEF_PRIORITY)
		out_printf(o, " spanning-tree priority %u\n", b.priority);
	/* in an order whose every line, read back from the defaults, keeps
	 * the timers' rule */
	if (b.fwd_delay > STP_DEF_FWD_DELAY)
		out_printf(o, " spanning-tree forward-delay %u\n", b.fwd_delay);
	if (b.hello < STP_DEF_HELLO)
		out_printf(o, " spanning-tree hello-time %u\n", b.hello);
	if (b.max_age != STP_DEF_MAX_AGE)
		out_printf(o, " spanning-tree max-age %u\n", b.max_age);
	if (b.hello > STP_DEF_HELLO)
		out_printf(o, " spanning-tree hello-time %u\n", b.hello);
	if (b.fwd_delay < STP_DEF_FWD_DELAY)
		out_printf(o, " spanning-tree forward-delay %u\n", b.fwd_delay);
	n = store_ports(sw->store, cb->name, &ports);
	for (i = 0; i < n; i++) {
		if (store_stp_port_get(sw->store, ports[i].ifname, &sp))
			continue;
		if (sp.cost)
			out_printf(o, " port %s spanning-tree cost %u\n",
				   sp.ifname, sp.cost);
		if (sp.priority != STP_DEF_PORT_PRIORITY)
			out_printf(o, " port %s spanning-tree priority %u\n",
				   sp.ifname, sp.priority);
		for (w = 0; w < ARRAY_SIZE(words); w++)
			if (sp.flags & words[w].flag)
				out_printf(o, " port %s spanning-tree %s\n",
					   sp.ifname, words[w].word);
	}
	free(ports);
}

#define STP_HELP  "Spanning tree\n"
#define PORT_HELP "Remove configuration\nA port\nInterface name\n" STP_HELP

static const struct cmd_def stp_cmds[] = {
	{ MODE_BIT(MODE_BRIDGE), "[no] spanning-tree mode {<rstp|stp|none>}",
	  "Remove configuration\n" STP_HELP
	  "The protocol the bridge runs|Run none (the default)\n"
	  "Rapid Spanning Tree (802.1w, 802.1D-2004)\n"
	  "Spanning Tree (802.1D-1998)\nNone: every port forwards",
	  do_stp_bridge },
	{ MODE_BIT(MODE_BRIDGE), "[no] spanning-tree priority {(0-61440)}",
	  "Remove configuration\n" STP_HELP
	  "The bridge priority (lower: more likely the root)|Back to 32768\n"
	  "A multiple of 4096",
	  do_stp_bridge },
	{ MODE_BIT(MODE_BRIDGE), "[no] spanning-tree hello-time {(1-10)}",
	  "Remove configuration\n" STP_HELP
	  "Seconds between BPDUs|Back to 2 s\nSeconds",
	  do_stp_bridge },
	{ MODE_BIT(MODE_BRIDGE), "[no] spanning-tree forward-delay {(4-30)}",
	  "Remove configuration\n" STP_HELP
	  "Seconds in listening and learning (STP)|Back to 15 s\nSeconds",
	  do_stp_bridge },
	{ MODE_BIT(MODE_BRIDGE), "[no] spanning-tree max-age {(6-40)}",
	  "Remove configuration\n" STP_HELP
	  "Seconds before received information ages out|Back to 20 s\n"
	  "Seconds",
	  do_stp_bridge },
	{ MODE_BIT(MODE_BRIDGE),
	  "[no] port IFNAME spanning-tree cost {(1-200000000)}",
	  PORT_HELP "The port's path cost|Back to the cost by link speed\n"
		    "Cost",
	  do_stp_port },
	{ MODE_BIT(MODE_BRIDGE),
	  "[no] port IFNAME spanning-tree priority {(0-240)}",
	  PORT_HELP "The port priority|Back to 128\nA multiple of 16",
	  do_stp_port },
	{ MODE_BIT(MODE_BRIDGE), "[no] port IFNAME spanning-tree edge",
	  PORT_HELP "An edge port (PortFast): forwards at once|"
		    "Not configured an edge port (detected by itself)",
	  do_stp_port },
	{ MODE_BIT(MODE_BRIDGE),
	  "[no] port IFNAME spanning-tree link-type "
	  "{<point-to-point|shared>}",
	  PORT_HELP "The link's type|Back to its duplex: full is "
		    "point-to-point\nPoint-to-point (rapid agreement)\n"
		    "Shared (timers only)",
	  do_stp_port },
	{ MODE_BIT(MODE_BRIDGE), "[no] port IFNAME spanning-tree bpduguard",
	  PORT_HELP "An edge port that hears a BPDU is err-disabled "
		    "(bpdu-guard)|No BPDU guard",
	  do_stp_port },
	{ MODE_BIT(MODE_BRIDGE), "[no] port IFNAME spanning-tree root-guard",
	  PORT_HELP "Never the root port: superior BPDUs make it alternate|"
		    "No root guard",
	  do_stp_port },
	{ MODE_BIT(MODE_BRIDGE), "[no] port IFNAME spanning-tree bpdufilter",
	  PORT_HELP "Send no BPDU, ignore those received (an edge port)|"
		    "No BPDU filter",
	  do_stp_port },
	SW_SHOW("spanning-tree [bridge NAME] [detail]",
		"Spanning tree: root, bridge, roles and states of ports\n"
		"One bridge\nBridge name\nWith each port's designated "
		"information and guards",
		do_show_stp),
};

SW_FEATURE(stp, .config_bridge = stp_config_bridge,
	   .reconcile_add = stp_reconcile);
