// SPDX-License-Identifier: GPL-2.0-only
/*
 * The state machines of 802.1D-2004 clause 17 for one bridge: Port
 * Information (PIM), Port Role Selection (PRS), Port Role Transitions
 * (PRT), Port State Transition (PST), Topology Change (TCM), Port Protocol
 * Migration (PPM), Bridge Detection (BDM), Port Transmit (PTX); Port
 * Receive and Port Timers are stp_sm_rx() and stp_sm_tick(). Each machine
 * is a function that makes at most one transition; stp_sm_run() calls
 * them until none moves. The names of states and variables are the
 * standard's. doc/stp.md says what is and is not implemented.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "datapath/dp.h"
#include "lib/log.h"
#include "switchd/stp.h"

enum { PIM_DISABLED, PIM_AGED, PIM_CURRENT };
enum {
	PRT_INIT,
	PRT_DISABLE,
	PRT_DISABLED,
	PRT_ROOT,
	PRT_DESIGNATED,
	PRT_BLOCK,
	PRT_ALTERNATE
};
enum { PST_DISCARDING, PST_LEARNING, PST_FORWARDING };
enum { TCM_INACTIVE, TCM_LEARNING, TCM_ACTIVE };
enum { PPM_CHECKING_RSTP, PPM_SELECTING_STP, PPM_SENSING };
enum { BDM_EDGE, BDM_NOT_EDGE };

enum rcvd_info {
	SUPERIOR_DESIGNATED,
	REPEATED_DESIGNATED,
	INFERIOR_DESIGNATED,
	INFERIOR_ROOT_ALTERNATE,
	OTHER_INFO
};

#define FOREACH_PORT(b, q) for (q = (b)->ports; q; q = q->next)

static const char *const role_names[] = {
	[STP_ROLE_DISABLED] = "disabled",
	[STP_ROLE_ROOT] = "root",
	[STP_ROLE_DESIGNATED] = "designated",
	[STP_ROLE_ALTERNATE] = "alternate",
	[STP_ROLE_BACKUP] = "backup",
};

const char *stp_role_name(enum stp_role r)
{
	return role_names[r];
}

static bool rstp_version(const struct stp_bridge *b)
{
	return b->mode == STP_MODE_RSTP;
}

static uint16_t port_id(const struct stp_port *p)
{
	return (uint16_t)(p->priority << 8 | (p->num & 0xfff));
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* The four components a port's information is judged by (17.6). */
static int vec_cmp4(const struct stp_vec *a, const struct stp_vec *b)
{
	int r = cmp_u64(a->root, b->root);

	if (!r)
		r = cmp_u64(a->cost, b->cost);
	if (!r)
		r = cmp_u64(a->bridge, b->bridge);
	if (!r)
		r = cmp_u64(a->port, b->port);
	return r;
}

/* All five, for role selection: < 0 when a is better. */
int stp_vec_cmp(const struct stp_vec *a, const struct stp_vec *b)
{
	int r = vec_cmp4(a, b);

	return r ? r : cmp_u64(a->rx_port, b->rx_port);
}

static bool times_eq(const struct stp_times *a, const struct stp_times *b)
{
	return a->msg_age == b->msg_age && a->max_age == b->max_age &&
	       a->hello == b->hello && a->fwd_delay == b->fwd_delay;
}

#define ADDR(id) ((id)&0xffffffffffffULL)

/* ---- the variables the machines derive (17.20) ---- */

static int hello_time(const struct stp_port *p)
{
	return p->desg_times.hello ? p->desg_times.hello : 1;
}

static int fwd_delay(const struct stp_port *p)
{
	return p->desg_times.fwd_delay;
}

static int max_age(const struct stp_port *p)
{
	return p->desg_times.max_age;
}

static int forward_delay(const struct stp_port *p)
{
	return p->send_rstp ? hello_time(p) : fwd_delay(p);
}

static int edge_delay(const struct stp_port *p)
{
	return p->p2p ? STP_MIGRATE_TIME : max_age(p);
}

static bool all_synced(const struct stp_bridge *b)
{
	const struct stp_port *q;

	FOREACH_PORT(b, q)
	if (!q->selected || q->role != q->selected_role || q->updt_info ||
	    !(q->synced || q->role == STP_ROLE_ROOT))
		return false;
	return true;
}

static bool re_rooted(const struct stp_port *p)
{
	const struct stp_port *q;

	FOREACH_PORT(p->br, q)
	if (q != p && q->rr_while)
		return false;
	return true;
}

static void set_sync_tree(struct stp_bridge *b)
{
	struct stp_port *q;

	FOREACH_PORT(b, q)
	q->sync = true;
}

static void set_reroot_tree(struct stp_bridge *b)
{
	struct stp_port *q;

	FOREACH_PORT(b, q)
	q->re_root = true;
}

static void set_tc_prop_tree(struct stp_port *p)
{
	struct stp_port *q;

	FOREACH_PORT(p->br, q)
	if (q != p)
		q->tc_prop = true;
}

static void new_tc_while(struct stp_port *p)
{
	struct stp_bridge *b = p->br;

	if (p->tc_while)
		return;
	if (p->send_rstp) {
		p->tc_while = hello_time(p) + 1;
		p->new_info = true;
	} else {
		p->tc_while = b->root_times.max_age + b->root_times.fwd_delay;
	}
}

/* ---- Port Information (17.27) ---- */

static enum rcvd_info rcv_info(struct stp_port *p)
{
	const struct stp_bpdu *m = &p->rx;
	int c;

	p->msg_pri = m->vec;
	p->msg_pri.rx_port = port_id(p);
	p->msg_times = m->times;
	c = vec_cmp4(&p->msg_pri, &p->port_pri);
	if (m->role == STP_ROLE_DESIGNATED) {
		/* superior: better, or from the designated bridge and port
		 * this port's information already came from */
		if (c < 0 ||
		    (c > 0 && ADDR(m->vec.bridge) == ADDR(p->port_pri.bridge) &&
		     (m->vec.port & 0xfff) == (p->port_pri.port & 0xfff)))
			return SUPERIOR_DESIGNATED;
		if (c == 0)
			return times_eq(&p->msg_times, &p->port_times)
				       ? REPEATED_DESIGNATED
				       : SUPERIOR_DESIGNATED;
		return INFERIOR_DESIGNATED;
	}
	if ((m->role == STP_ROLE_ROOT || m->role == STP_ROLE_ALTERNATE ||
	     m->role == STP_ROLE_BACKUP) &&
	    c >= 0)
		return INFERIOR_ROOT_ALTERNATE;
	return OTHER_INFO;
}

static void record_proposal(struct stp_port *p)
{
	if (p->rx.role == STP_ROLE_DESIGNATED && (p->rx.flags & STP_F_PROPOSAL))
		p->proposed = true;
}

static void set_tc_flags(struct stp_port *p)
{
	if (p->rx.flags & STP_F_TC)
		p->rcvd_tc = true;
	if (p->rx.type == STP_BPDU_CONFIG && (p->rx.flags & STP_F_TCA))
		p->rcvd_tc_ack = true;
}

static void updt_rcvd_info_while(struct stp_port *p)
{
	if (p->port_times.msg_age + 1 <= p->port_times.max_age)
		p->rcvd_info_while =
			3 * (p->port_times.hello ? p->port_times.hello : 1);
	else
		p->rcvd_info_while = 0;
}

static bool better_or_same_info(const struct stp_port *p, enum stp_info is)
{
	if (is == STP_INFO_RECEIVED && p->info_is == STP_INFO_RECEIVED)
		return vec_cmp4(&p->msg_pri, &p->port_pri) <= 0;
	if (is == STP_INFO_MINE && p->info_is == STP_INFO_MINE)
		return vec_cmp4(&p->desg_pri, &p->port_pri) <= 0;
	return false;
}

static void pim_disabled(struct stp_port *p)
{
	p->pim = PIM_DISABLED;
	p->rcvd_msg = false;
	p->proposing = p->proposed = p->agree = p->agreed = false;
	p->rcvd_info_while = 0;
	p->info_is = STP_INFO_DISABLED;
	p->reselect = true;
	p->selected = false;
}

static void pim_aged(struct stp_port *p)
{
	p->pim = PIM_AGED;
	p->info_is = STP_INFO_AGED;
	p->reselect = true;
	p->selected = false;
}

static void pim_update(struct stp_port *p)
{
	p->proposing = p->proposed = false;
	p->agreed = p->agreed && better_or_same_info(p, STP_INFO_MINE);
	p->synced = p->synced && p->agreed;
	p->port_pri = p->desg_pri;
	p->port_times = p->desg_times;
	p->updt_info = false;
	p->info_is = STP_INFO_MINE;
	p->new_info = true;
	p->pim = PIM_CURRENT;
}

static void pim_receive(struct stp_port *p)
{
	switch (rcv_info(p)) {
	case SUPERIOR_DESIGNATED:
		p->agreed = p->proposing = false;
		record_proposal(p);
		set_tc_flags(p);
		p->agree =
			p->agree && better_or_same_info(p, STP_INFO_RECEIVED);
		p->port_pri = p->msg_pri;
		p->port_times = p->msg_times;
		updt_rcvd_info_while(p);
		p->info_is = STP_INFO_RECEIVED;
		p->reselect = true;
		p->selected = false;
		break;
	case REPEATED_DESIGNATED:
		record_proposal(p);
		set_tc_flags(p);
		updt_rcvd_info_while(p);
		break;
	case INFERIOR_DESIGNATED:
		/* recordDispute() */
		if (p->rx.type == STP_BPDU_RST &&
		    (p->rx.flags & STP_F_LEARNING)) {
			p->disputed = true;
			p->agreed = false;
		}
		break;
	case INFERIOR_ROOT_ALTERNATE:
		/* recordAgreement() */
		if (rstp_version(p->br) && p->p2p &&
		    p->rx.type == STP_BPDU_RST && (p->rx.flags & STP_F_AGREE)) {
			p->agreed = true;
			p->proposing = false;
		} else {
			p->agreed = false;
		}
		set_tc_flags(p);
		break;
	case OTHER_INFO:
		break;
	}
	p->rcvd_msg = false;
	p->pim = PIM_CURRENT;
}

static bool pim(struct stp_port *p)
{
	if (!p->enabled && p->info_is != STP_INFO_DISABLED) {
		pim_disabled(p);
		return true;
	}
	switch (p->pim) {
	case PIM_DISABLED:
		if (p->rcvd_msg) {
			pim_disabled(p);
			return true;
		}
		if (p->enabled) {
			pim_aged(p);
			return true;
		}
		return false;
	case PIM_AGED:
		if (p->selected && p->updt_info) {
			pim_update(p);
			return true;
		}
		return false;
	default:
		if (p->selected && p->updt_info) {
			pim_update(p);
			return true;
		}
		if (p->info_is == STP_INFO_RECEIVED && !p->rcvd_info_while &&
		    !p->updt_info && !p->rcvd_msg) {
			log_info("bridge %s: port %s: information aged out",
				 p->br->name, p->ifname);
			pim_aged(p);
			return true;
		}
		if (p->rcvd_msg && !p->updt_info) {
			pim_receive(p);
			return true;
		}
		return false;
	}
}

/* ---- Port Role Selection (17.28) ---- */

static void updt_roles_tree(struct stp_bridge *b)
{
	struct stp_vec best = { .root = b->id, .bridge = b->id }, cand;
	struct stp_port *q, *root = NULL;
	bool was_root = b->root_port == NULL && b->root_pri.root == b->id;

	FOREACH_PORT(b, q)
	{
		q->root_inconsistent = false;
		if (q->info_is != STP_INFO_RECEIVED ||
		    ADDR(q->port_pri.bridge) == ADDR(b->id))
			continue;
		cand = q->port_pri;
		/* the root path cost saturates: wrapped round, the dearest
		 * path would look the cheapest */
		cand.cost = cand.cost > UINT32_MAX - q->cost
				    ? UINT32_MAX
				    : cand.cost + q->cost;
		cand.rx_port = port_id(q);
		if (stp_vec_cmp(&cand, &best) >= 0)
			continue;
		if (q->rootguard) {
			/* root guard: never the root port (802.1Q
			 * restrictedRole) */
			q->root_inconsistent = true;
			continue;
		}
		best = cand;
		root = q;
	}
	b->root_pri = best;
	b->root_port = root;
	if (root) {
		b->root_times = root->port_times;
		b->root_times.msg_age++;
	} else {
		b->root_times = b->times;
	}
	if (was_root != (root == NULL))
		log_info("bridge %s: %s", b->name,
			 root ? "no longer the root bridge"
			      : "this bridge is now the root bridge");

	FOREACH_PORT(b, q)
	{
		q->desg_pri = (struct stp_vec){ .root = best.root,
						.cost = best.cost,
						.bridge = b->id,
						.port = port_id(q),
						.rx_port = port_id(q) };
		q->desg_times = b->root_times;
		q->desg_times.hello = b->times.hello;
		switch (q->info_is) {
		case STP_INFO_DISABLED:
			q->selected_role = STP_ROLE_DISABLED;
			break;
		case STP_INFO_AGED:
			q->updt_info = true;
			q->selected_role = STP_ROLE_DESIGNATED;
			break;
		case STP_INFO_MINE:
			q->selected_role = STP_ROLE_DESIGNATED;
			if (vec_cmp4(&q->port_pri, &q->desg_pri) ||
			    !times_eq(&q->port_times, &q->desg_times))
				q->updt_info = true;
			break;
		case STP_INFO_RECEIVED:
			if (q == root) {
				q->selected_role = STP_ROLE_ROOT;
				q->updt_info = false;
			} else if (vec_cmp4(&q->desg_pri, &q->port_pri) >= 0 ||
				   q->root_inconsistent) {
				q->selected_role =
					ADDR(q->port_pri.bridge) == ADDR(b->id)
						? STP_ROLE_BACKUP
						: STP_ROLE_ALTERNATE;
				q->updt_info = false;
			} else {
				q->selected_role = STP_ROLE_DESIGNATED;
				q->updt_info = true;
			}
			break;
		}
	}
}

static bool prs(struct stp_bridge *b)
{
	struct stp_port *q;
	bool any = false;

	FOREACH_PORT(b, q)
	any = any || q->reselect;
	if (!any)
		return false;
	FOREACH_PORT(b, q)
	q->reselect = false;
	updt_roles_tree(b);
	FOREACH_PORT(b, q)
	q->selected = true;
	return true;
}

/* ---- Port Role Transitions (17.29) ---- */

static void set_role(struct stp_port *p, enum stp_role r)
{
	if (p->role == r)
		return;
	log_info("bridge %s: port %s: role %s -> %s", p->br->name, p->ifname,
		 role_names[p->role], role_names[r]);
	p->role = r;
	p->br->dirty = true;
}

static bool prt_disabled(struct stp_port *p)
{
	switch (p->prt) {
	case PRT_INIT:
		set_role(p, STP_ROLE_DISABLED);
		p->learn = p->forward = false;
		p->synced = false;
		p->sync = p->re_root = true;
		p->rr_while = fwd_delay(p);
		p->fd_while = max_age(p);
		p->prt = PRT_DISABLE;
		return true;
	case PRT_DISABLE:
		if (!p->learning && !p->forwarding) {
			p->prt = PRT_DISABLED;
			goto disabled;
		}
		return false;
	default:
		if (p->fd_while != max_age(p) || p->sync || p->re_root ||
		    !p->synced)
			goto disabled;
		return false;
	}
disabled:
	p->fd_while = max_age(p);
	p->synced = true;
	p->rr_while = 0;
	p->sync = p->re_root = false;
	return true;
}

static bool prt_root(struct stp_port *p)
{
	struct stp_bridge *b = p->br;

	if (p->proposed && !p->agree) {
		set_sync_tree(b);
		p->proposed = false;
		return true;
	}
	if ((all_synced(b) && !p->agree) || (p->proposed && p->agree)) {
		p->proposed = p->sync = false;
		p->agree = true;
		p->new_info = true;
		return true;
	}
	if (!p->forward && !p->re_root) {
		set_reroot_tree(b);
		return true;
	}
	if (p->re_root && p->forward) {
		p->re_root = false;
		return true;
	}
	if ((!p->fd_while ||
	     (re_rooted(p) && !p->rb_while && rstp_version(b))) &&
	    !p->learn) {
		p->fd_while = forward_delay(p);
		p->learn = true;
		return true;
	}
	if ((!p->fd_while ||
	     (re_rooted(p) && !p->rb_while && rstp_version(b))) &&
	    p->learn && !p->forward) {
		p->fd_while = 0;
		p->forward = true;
		return true;
	}
	if (p->rr_while != fwd_delay(p)) {
		p->rr_while = fwd_delay(p);
		return true;
	}
	return false;
}

static bool prt_designated(struct stp_port *p)
{
	struct stp_bridge *b = p->br;
	bool go = (!p->fd_while || p->agreed || p->oper_edge) &&
		  (!p->rr_while || !p->re_root) && !p->sync;

	if (!p->forward && !p->agreed && !p->proposing && !p->oper_edge) {
		p->proposing = true;
		p->edge_delay_while = edge_delay(p);
		p->new_info = true;
		return true;
	}
	if (all_synced(b) && (p->proposed || !p->agree)) {
		p->proposed = p->sync = false;
		p->agree = true;
		p->new_info = true;
		return true;
	}
	if ((!p->learning && !p->forwarding && !p->synced) ||
	    (p->agreed && !p->synced) || (p->oper_edge && !p->synced) ||
	    (p->sync && p->synced)) {
		p->rr_while = 0;
		p->synced = true;
		p->sync = false;
		return true;
	}
	if (!p->rr_while && p->re_root) {
		p->re_root = false;
		return true;
	}
	if (((p->sync && !p->synced) || (p->re_root && p->rr_while) ||
	     p->disputed) &&
	    !p->oper_edge && (p->learn || p->forward)) {
		p->learn = p->forward = p->disputed = false;
		p->fd_while = forward_delay(p);
		return true;
	}
	if (go && !p->learn) {
		p->learn = true;
		p->fd_while = forward_delay(p);
		return true;
	}
	if (go && p->learn && !p->forward) {
		p->forward = true;
		p->fd_while = 0;
		p->agreed = p->send_rstp;
		return true;
	}
	return false;
}

static bool prt_alternate(struct stp_port *p)
{
	struct stp_bridge *b = p->br;

	if (p->prt == PRT_BLOCK) {
		if (p->learning || p->forwarding)
			return false;
		p->prt = PRT_ALTERNATE;
		goto alternate;
	}
	if (p->proposed && !p->agree) {
		set_sync_tree(b);
		p->proposed = false;
		return true;
	}
	if ((all_synced(b) && !p->agree) || (p->proposed && p->agree)) {
		p->proposed = false;
		p->agree = true;
		p->new_info = true;
		return true;
	}
	if (p->role == STP_ROLE_BACKUP && p->rb_while != 2 * hello_time(p)) {
		p->rb_while = 2 * hello_time(p);
		return true;
	}
	if (p->fd_while != forward_delay(p) || p->sync || p->re_root ||
	    !p->synced)
		goto alternate;
	return false;
alternate:
	p->fd_while = forward_delay(p);
	p->synced = true;
	p->rr_while = 0;
	p->sync = p->re_root = false;
	return true;
}

static bool prt(struct stp_port *p)
{
	if (p->prt == PRT_INIT)
		return prt_disabled(p);
	if (!p->selected || p->updt_info)
		return false;
	if (p->selected_role != p->role) {
		set_role(p, p->selected_role);
		switch (p->role) {
		case STP_ROLE_DISABLED:
			p->learn = p->forward = false;
			p->prt = PRT_DISABLE;
			break;
		case STP_ROLE_ROOT:
			p->rr_while = fwd_delay(p);
			p->prt = PRT_ROOT;
			break;
		case STP_ROLE_DESIGNATED:
			p->prt = PRT_DESIGNATED;
			break;
		default:
			p->learn = p->forward = false;
			p->prt = PRT_BLOCK;
			break;
		}
		return true;
	}
	switch (p->prt) {
	case PRT_DISABLE:
	case PRT_DISABLED:
		return prt_disabled(p);
	case PRT_ROOT:
		return prt_root(p);
	case PRT_DESIGNATED:
		return prt_designated(p);
	default:
		return prt_alternate(p);
	}
}

/* ---- Port State Transition (17.30) ---- */

static bool pst(struct stp_port *p)
{
	switch (p->pst) {
	case PST_DISCARDING:
		if (!p->learn)
			return false;
		p->pst = PST_LEARNING;
		p->learning = true;
		stp_set_state(p, DP_STP_LEARNING);
		return true;
	case PST_LEARNING:
		if (!p->learn) {
			p->pst = PST_DISCARDING;
			p->learning = p->forwarding = false;
			stp_set_state(p, DP_STP_DISCARDING);
			return true;
		}
		if (!p->forward)
			return false;
		p->pst = PST_FORWARDING;
		p->forwarding = true;
		stp_set_state(p, DP_STP_FORWARDING);
		return true;
	default:
		if (p->forward)
			return false;
		p->pst = PST_DISCARDING;
		p->learning = p->forwarding = false;
		stp_set_state(p, DP_STP_DISCARDING);
		return true;
	}
}

/* ---- Topology Change (17.31) ---- */

/* A topology change counted and logged; the TC flag repeated by the
 * BPDUs of one change (while its tcWhile runs) is the same change. */
static void tc_log(struct stp_port *p, const char *what)
{
	struct stp_bridge *b = p->br;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!strcmp(what, "received on") && b->tc_count &&
	    !strcmp(b->last_tc_port, p->ifname) &&
	    ts.tv_sec - b->last_tc <=
		    b->root_times.max_age + b->root_times.fwd_delay) {
		b->last_tc = ts.tv_sec;
		return;
	}
	b->tc_count++;
	p->tc_count++;
	snprintf(b->last_tc_port, sizeof(b->last_tc_port), "%s", p->ifname);
	b->last_tc = ts.tv_sec;
	log_info("bridge %s: topology change %s port %s", b->name, what,
		 p->ifname);
}

static void flush_if_asked(struct stp_port *p)
{
	if (p->fdb_flush) {
		stp_flush(p);
		p->fdb_flush = false;
	}
}

static bool tcm(struct stp_port *p)
{
	bool rd = p->role == STP_ROLE_ROOT || p->role == STP_ROLE_DESIGNATED;

	switch (p->tcm) {
	case TCM_INACTIVE:
		if (p->learn && !p->fdb_flush) {
			p->tcm = TCM_LEARNING;
			p->rcvd_tc = p->rcvd_tcn = p->rcvd_tc_ack = false;
			p->tc_prop = false;
			return true;
		}
		return false;
	case TCM_LEARNING:
		if (rd && p->forward && !p->oper_edge) {
			/* DETECTED */
			tc_log(p, "detected: forwarding");
			new_tc_while(p);
			set_tc_prop_tree(p);
			p->new_info = true;
			p->tcm = TCM_ACTIVE;
			return true;
		}
		if (!rd && !(p->learn || p->learning) &&
		    !(p->rcvd_tc || p->rcvd_tcn || p->rcvd_tc_ack ||
		      p->tc_prop)) {
			p->tcm = TCM_INACTIVE;
			p->fdb_flush = true;
			p->tc_while = 0;
			p->tc_ack = false;
			flush_if_asked(p);
			return true;
		}
		if (p->rcvd_tc || p->rcvd_tcn || p->rcvd_tc_ack || p->tc_prop) {
			p->rcvd_tc = p->rcvd_tcn = p->rcvd_tc_ack = false;
			p->tc_prop = false;
			return true;
		}
		return false;
	default:
		if (!rd || p->oper_edge) {
			p->tcm = TCM_LEARNING;
			p->rcvd_tc = p->rcvd_tcn = p->rcvd_tc_ack = false;
			p->tc_prop = false;
			return true;
		}
		if (p->rcvd_tcn || p->rcvd_tc) {
			if (p->rcvd_tcn)
				new_tc_while(p); /* NOTIFIED_TCN */
			tc_log(p, "received on");
			p->rcvd_tcn = p->rcvd_tc = false;
			if (p->role == STP_ROLE_DESIGNATED)
				p->tc_ack = true;
			set_tc_prop_tree(p);
			return true;
		}
		if (p->tc_prop && !p->oper_edge) {
			/* PROPAGATING */
			new_tc_while(p);
			p->fdb_flush = true;
			p->tc_prop = false;
			flush_if_asked(p);
			return true;
		}
		if (p->rcvd_tc_ack) {
			p->tc_while = 0;
			p->rcvd_tc_ack = false;
			return true;
		}
		return false;
	}
}

/* ---- Port Protocol Migration (17.24) ---- */

static void ppm_checking(struct stp_port *p)
{
	p->ppm = PPM_CHECKING_RSTP;
	p->mcheck = false;
	p->send_rstp = rstp_version(p->br);
	p->mdelay_while = STP_MIGRATE_TIME;
}

static bool ppm(struct stp_port *p)
{
	switch (p->ppm) {
	case PPM_CHECKING_RSTP:
		if (p->mdelay_while != STP_MIGRATE_TIME && !p->enabled) {
			ppm_checking(p);
			return true;
		}
		if (!p->mdelay_while) {
			p->ppm = PPM_SENSING;
			p->rcvd_rstp = p->rcvd_stp = false;
			return true;
		}
		return false;
	case PPM_SELECTING_STP:
		if (!p->mdelay_while || !p->enabled || p->mcheck) {
			p->ppm = PPM_SENSING;
			p->rcvd_rstp = p->rcvd_stp = false;
			return true;
		}
		return false;
	default:
		if (!p->enabled || p->mcheck ||
		    (rstp_version(p->br) && !p->send_rstp && p->rcvd_rstp)) {
			ppm_checking(p);
			return true;
		}
		if (p->send_rstp && p->rcvd_stp) {
			log_info(
				"bridge %s: port %s: an STP (802.1D-1998) bridge: speaking STP",
				p->br->name, p->ifname);
			p->ppm = PPM_SELECTING_STP;
			p->send_rstp = false;
			p->mdelay_while = STP_MIGRATE_TIME;
			return true;
		}
		return false;
	}
}

/* ---- Bridge Detection (17.25) ---- */

static bool admin_edge(const struct stp_port *p)
{
	return p->admin_edge || p->bpdufilter;
}

static bool bdm(struct stp_port *p)
{
	if (p->bdm == BDM_EDGE) {
		if ((!p->enabled && !admin_edge(p)) || !p->oper_edge) {
			p->bdm = BDM_NOT_EDGE;
			p->oper_edge = false;
			return true;
		}
		return false;
	}
	if ((!p->enabled && admin_edge(p)) ||
	    (!p->edge_delay_while && p->auto_edge && p->send_rstp &&
	     p->proposing)) {
		p->bdm = BDM_EDGE;
		p->oper_edge = true;
		return true;
	}
	return false;
}

/* ---- Port Transmit (17.26) ---- */

static bool ptx(struct stp_port *p)
{
	bool can;

	if (!p->enabled || p->bpdufilter)
		return false;
	if (!p->selected || p->updt_info)
		return false;
	if (!p->hello_when) {
		/* TRANSMIT_PERIODIC */
		p->new_info = p->new_info || p->role == STP_ROLE_DESIGNATED ||
			      (p->role == STP_ROLE_ROOT && p->tc_while);
		p->hello_when = hello_time(p);
		return true;
	}
	can = p->new_info && p->tx_count < STP_TX_HOLD_COUNT;
	if (can && p->send_rstp) {
		p->new_info = false;
		stp_tx_bpdu(p, STP_BPDU_RST);
		p->tx_count++;
		p->tc_ack = false;
	} else if (can && p->role == STP_ROLE_ROOT) {
		p->new_info = false;
		stp_tx_bpdu(p, STP_BPDU_TCN);
		p->tx_count++;
	} else if (can && p->role == STP_ROLE_DESIGNATED) {
		p->new_info = false;
		stp_tx_bpdu(p, STP_BPDU_CONFIG);
		p->tx_count++;
		p->tc_ack = false;
	} else {
		return false;
	}
	p->hello_when = hello_time(p);
	return true;
}

/* ---- the bridge ---- */

void stp_sm_port_begin(struct stp_port *p)
{
	p->desg_times = p->br->times;
	p->role = p->selected_role = STP_ROLE_DISABLED;
	p->prt = PRT_INIT;
	pim_disabled(p);
	p->updt_info = false;
	p->pst = PST_DISCARDING;
	p->learn = p->forward = p->learning = p->forwarding = false;
	p->tcm = TCM_INACTIVE;
	p->fdb_flush = false;
	p->tc_while = 0;
	ppm_checking(p);
	p->bdm = admin_edge(p) ? BDM_EDGE : BDM_NOT_EDGE;
	p->oper_edge = admin_edge(p);
	p->new_info = true;
	p->tx_count = 0;
	p->hello_when = 0;
	p->edge_delay_while = STP_MIGRATE_TIME;
	p->rcvd_msg = p->rcvd_bpdu = false;
	p->rcvd_tc = p->rcvd_tcn = p->rcvd_tc_ack = p->tc_prop = false;
	p->agree = p->agreed = p->sync = p->synced = p->disputed = false;
	p->re_root = false;
	stp_set_state(p, DP_STP_DISCARDING);
}

void stp_sm_begin(struct stp_bridge *b)
{
	struct stp_port *p;

	b->root_pri = (struct stp_vec){ .root = b->id, .bridge = b->id };
	b->root_times = b->times;
	b->root_port = NULL;
	FOREACH_PORT(b, p)
	stp_sm_port_begin(p);
	stp_sm_run(b);
}

void stp_sm_run(struct stp_bridge *b)
{
	struct stp_port *p;
	bool moved;
	int rounds = 0;

	do {
		moved = false;
		FOREACH_PORT(b, p)
		{
			moved |= ppm(p);
			moved |= bdm(p);
			moved |= pim(p);
		}
		moved |= prs(b);
		FOREACH_PORT(b, p)
		{
			moved |= prt(p);
			moved |= pst(p);
			moved |= tcm(p);
		}
		if (moved)
			continue;
		/* transmit once the rest is still */
		FOREACH_PORT(b, p)
		moved |= ptx(p);
	} while (moved && ++rounds < 1000);
	if (rounds >= 1000)
		log_warn("bridge %s: spanning tree machines did not settle",
			 b->name);
}

static void dec(int *t)
{
	if (*t > 0)
		(*t)--;
}

void stp_sm_tick(struct stp_bridge *b)
{
	struct stp_port *p;

	FOREACH_PORT(b, p)
	{
		dec(&p->hello_when);
		dec(&p->tc_while);
		dec(&p->fd_while);
		dec(&p->rcvd_info_while);
		dec(&p->rr_while);
		dec(&p->rb_while);
		dec(&p->mdelay_while);
		dec(&p->edge_delay_while);
		dec(&p->tx_count);
	}
	stp_sm_run(b);
}

/* Port Receive (17.23): the message waits in p->rx for PIM. */
void stp_sm_rx(struct stp_port *p, const struct stp_bpdu *m)
{
	if (!p->enabled)
		return;
	if (m->type == STP_BPDU_RST)
		p->rcvd_rstp = true;
	else
		p->rcvd_stp = true;
	p->oper_edge = false;
	p->edge_delay_while = STP_MIGRATE_TIME;
	if (m->type == STP_BPDU_TCN) {
		p->rcvd_tcn = true;
	} else {
		p->rx = *m;
		p->rcvd_msg = true;
	}
	stp_sm_run(p->br);
}

/*
 * After a restart: each port as the state file had it, and its state as
 * the datapath holds it. The machines take up from their steady states
 * (no BEGIN): a forwarding port stays forwarding, an alternate blocked,
 * and what the neighbours hear next is the same as before.
 */
void stp_sm_resume(struct stp_bridge *b)
{
	struct stp_port *p;

	updt_roles_tree(b);
	FOREACH_PORT(b, p)
	{
		bool fwd = p->dp_state == DP_STP_FORWARDING;

		p->selected = true;
		p->reselect = false;
		p->updt_info = false;
		p->rcvd_msg = false;
		p->pim = p->info_is == STP_INFO_DISABLED ? PIM_DISABLED
			 : p->info_is == STP_INFO_AGED	 ? PIM_AGED
							 : PIM_CURRENT;
		if (p->info_is == STP_INFO_RECEIVED)
			updt_rcvd_info_while(p);
		p->learn = p->learning = fwd || p->dp_state == DP_STP_LEARNING;
		p->forward = p->forwarding = fwd;
		p->pst = fwd	       ? PST_FORWARDING
			 : p->learning ? PST_LEARNING
				       : PST_DISCARDING;
		p->synced = true;
		p->agreed = fwd && p->role == STP_ROLE_DESIGNATED;
		p->agree = true;
		p->sync = p->re_root = p->proposing = p->proposed = false;
		switch (p->role) {
		case STP_ROLE_DISABLED:
			p->prt = PRT_DISABLED;
			p->fd_while = max_age(p);
			break;
		case STP_ROLE_ROOT:
			p->prt = PRT_ROOT;
			p->rr_while = fwd_delay(p);
			break;
		case STP_ROLE_DESIGNATED:
			p->prt = PRT_DESIGNATED;
			break;
		default:
			p->prt = PRT_ALTERNATE;
			p->fd_while = forward_delay(p);
			break;
		}
		p->tcm = p->learn ? TCM_LEARNING : TCM_INACTIVE;
		if (fwd &&
		    (p->role == STP_ROLE_ROOT ||
		     p->role == STP_ROLE_DESIGNATED) &&
		    !p->oper_edge)
			p->tcm = TCM_ACTIVE; /* no new topology change */
		p->ppm = PPM_SENSING;
		p->bdm = p->oper_edge ? BDM_EDGE : BDM_NOT_EDGE;
		p->new_info = true;
		p->hello_when = 0;
		p->tx_count = 0;
	}
	stp_sm_run(b);
}
