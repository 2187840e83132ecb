// SPDX-License-Identifier: GPL-2.0-only
/*
 * The spanning tree's state file (doc/stp.md, "Restarts"): what a
 * restarted daemon resumes from, next to the control socket, one per
 * bridge; written every second and when the daemon stops, read and
 * checked whole before anything of it is taken.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "switchd/stp.h"
#include "switchd/switchd.h"

void stp_state_path(const struct stp_bridge *b, char *buf, size_t len)
{
	const char *slash = strrchr(sw->sock_path, '/');
	int dir = slash ? (int)(slash - sw->sock_path) : 1;

	snprintf(buf, len, "%.*s/stp-%s.state", dir,
		 slash ? sw->sock_path : ".", b->name);
}

void stp_save(struct stp_bridge *b)
{
	char path[256], tmp[272];
	struct stp_port *p;
	FILE *f;

	stp_state_path(b, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return;
	fprintf(f, "xbr-stp 1 %lld %llx %d\n", (long long)sw_now_s(),
		(unsigned long long)b->id, b->mode);
	for (p = b->ports; p; p = p->next)
		fprintf(f, "%s %d %d %d %llx %u %llx %u %u %u %u %u %d %d\n",
			p->ifname, p->role, p->info_is, p->dp_state,
			(unsigned long long)p->port_pri.root, p->port_pri.cost,
			(unsigned long long)p->port_pri.bridge,
			p->port_pri.port, p->port_times.msg_age,
			p->port_times.max_age, p->port_times.hello,
			p->port_times.fwd_delay, p->oper_edge, p->send_rstp);
	if (fclose(f) || rename(tmp, path))
		unlink(tmp);
	b->dirty = false;
}

/* One port's line of the state file. */
struct stp_saved {
	struct stp_port *p;
	int role, info, state, edge, rstp;
	struct stp_vec pri;
	struct stp_times times;
};

/* Read and check one port's line: NULL, or why it cannot be trusted. */
static const char *stp_saved_read(FILE *f, struct stp_bridge *b,
				  struct stp_saved *s)
{
	unsigned long long root, bridge;
	unsigned int cost, port, age, max, hello, fwd;
	char name[IF_NAMESIZE];

	if (fscanf(f, "%15s %d %d %d %llx %u %llx %u %u %u %u %u %d %d\n", name,
		   &s->role, &s->info, &s->state, &root, &cost, &bridge, &port,
		   &age, &max, &hello, &fwd, &s->edge, &s->rstp) != 14)
		return "a line cut short";
	s->p = stp_port_find(name);
	if (!s->p || s->p->br != b)
		return "a port not of this bridge";
	if (s->role < STP_ROLE_DISABLED || s->role > STP_ROLE_BACKUP ||
	    s->info < STP_INFO_DISABLED || s->info > STP_INFO_RECEIVED ||
	    s->state < DP_STP_FORWARDING || s->state > DP_STP_DISCARDING ||
	    (s->edge != 0 && s->edge != 1) || (s->rstp != 0 && s->rstp != 1))
		return "a value out of range";
	if (port > 0xffff || age >= max || max < 6 || max > 40 || !hello ||
	    hello > 10 || fwd < 4 || fwd > 30)
		return "a port id or timer out of range";
	if (s->p->dp_state != s->state)
		return "it does not match the datapath";
	s->pri = (struct stp_vec){ root, cost, bridge, (uint16_t)port, 0 };
	s->times = (struct stp_times){ (uint16_t)age, (uint16_t)max,
				       (uint16_t)hello, (uint16_t)fwd };
	return NULL;
}

/* The bridge id of before a restart, when its address is still one of
 * b's ports' (the bridge address stays while that port does). */
static bool stp_adopt_id(struct stp_bridge *b, uint64_t id)
{
	uint8_t mac[6];
	int i;

	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)(id >> (8 * (5 - i)));
	if (id >> 48 != b->priority || !stp_port_of_mac(b, mac))
		return false;
	memcpy(b->mac, mac, 6);
	b->id = id;
	return true;
}

/*
 * Resume from the state file when it is recent (written less than three
 * hello times ago, before the neighbours age out what this bridge sent),
 * of the same bridge and mode, every line of it sound, and the datapath
 * still holds the states it recorded. Otherwise the machines start from
 * BEGIN; nothing of such a file is taken.
 */
bool stp_resume(struct stp_bridge *b)
{
	struct stp_saved saved[XBR_MAX_PORTS], *s;
	const char *why = NULL;
	struct stp_port *q;
	unsigned long long id;
	int mode, n = 0, c, i;
	long long when;
	char path[256];
	FILE *f;

	stp_state_path(b, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fscanf(f, "xbr-stp 1 %lld %llx %d\n", &when, &id, &mode) != 3)
		why = "not a state file";
	else if ((id != b->id && !stp_adopt_id(b, id)) || mode != (int)b->mode)
		why = "of another bridge id or mode";
	else if (sw_now_s() < when)
		why = "written in the future";
	else if (sw_now_s() - when > 3 * b->times.hello) {
		fclose(f); /* old: the neighbours have aged it out */
		return false;
	}
	while (!why && (c = fgetc(f)) != EOF) {
		ungetc(c, f);
		if (n == XBR_MAX_PORTS)
			why = "too many ports";
		else
			why = stp_saved_read(f, b, &saved[n++]);
	}
	fclose(f);
	for (i = 0; !why && i < n; i++)
		for (c = 0; c < i; c++)
			if (saved[c].p == saved[i].p)
				why = "a port twice";
	if (!why && !n)
		why = "no port";
	for (q = b->ports; !why && q; q = q->next) {
		for (i = 0; i < n && saved[i].p != q; i++)
			;
		if (i == n)
			why = "a port of the bridge not in it";
	}
	if (why) {
		log_info(
			"bridge %s: spanning tree state file %s ignored (%s); starting afresh",
			b->name, path, why);
		return false;
	}
	for (s = saved; s < saved + n; s++) {
		s->p->role = (enum stp_role)s->role;
		s->p->info_is = s->p->enabled ? (enum stp_info)s->info
					      : STP_INFO_DISABLED;
		s->p->port_pri = s->pri;
		s->p->port_times = s->times;
		s->p->oper_edge = s->edge;
		s->p->send_rstp = s->rstp;
	}
	log_info("bridge %s: spanning tree resumed from %s (%d ports)", b->name,
		 path, n);
	stp_sm_resume(b);
	return true;
}
