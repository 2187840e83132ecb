// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spanning tree: BPDUs on the wire (802.1D-2004 clause 9), both ways: the
 * frame a port sends (802.3 length, LLC, the BPDU) and the checks and
 * decoding of one received. The machines that decide what to send and
 * what a BPDU means are stp_sm.c's; the sockets are stp.c's.
 */
#include <errno.h>
#include <string.h>

#include "switchd/stp.h"

const uint8_t stp_bpdu_dst[6] = { 0x01, 0x80, 0xc2, 0, 0, 0 };

static void put16(uint8_t *d, uint16_t v)
{
	d[0] = (uint8_t)(v >> 8);
	d[1] = (uint8_t)v;
}

static void put32(uint8_t *d, uint32_t v)
{
	put16(d, (uint16_t)(v >> 16));
	put16(d + 2, (uint16_t)v);
}

static void put64(uint8_t *d, uint64_t v)
{
	put32(d, (uint32_t)(v >> 32));
	put32(d + 4, (uint32_t)v);
}

void stp_bpdu_frame(const struct stp_port *p, enum stp_bpdu_type type,
		    uint8_t f[STP_BPDU_FRAME])
{
	static const uint8_t role_bits[] = { [STP_ROLE_ALTERNATE] = 1,
					     [STP_ROLE_BACKUP] = 1,
					     [STP_ROLE_ROOT] = 2,
					     [STP_ROLE_DESIGNATED] = 3 };
	uint8_t *d = f + 17, flags = 0;
	size_t len;

	memset(f, 0, STP_BPDU_FRAME);
	memcpy(f, stp_bpdu_dst, 6);
	memcpy(f + 6, p->mac, 6);
	f[14] = f[15] = 0x42; /* LLC: the spanning tree's SAPs, UI */
	f[16] = 0x03;
	if (type == STP_BPDU_TCN) {
		d[3] = 0x80;
		len = 4;
	} else {
		if (p->tc_while)
			flags |= STP_F_TC;
		if (type == STP_BPDU_RST) {
			d[2] = 2;
			d[3] = 2;
			flags |= (uint8_t)(role_bits[p->role] << STP_F_ROLE_SH);
			if (p->proposing)
				flags |= STP_F_PROPOSAL;
			if (p->learning)
				flags |= STP_F_LEARNING;
			if (p->forwarding)
				flags |= STP_F_FWDING;
			if (p->agree)
				flags |= STP_F_AGREE;
			len = 36;
		} else {
			if (p->tc_ack)
				flags |= STP_F_TCA;
			len = 35;
		}
		d[4] = flags;
		put64(d + 5, p->desg_pri.root);
		put32(d + 13, p->desg_pri.cost);
		put64(d + 17, p->desg_pri.bridge);
		put16(d + 25, p->desg_pri.port);
		put16(d + 27, (uint16_t)(p->desg_times.msg_age << 8));
		put16(d + 29, (uint16_t)(p->desg_times.max_age << 8));
		put16(d + 31, (uint16_t)(p->desg_times.hello << 8));
		put16(d + 33, (uint16_t)(p->desg_times.fwd_delay << 8));
	}
	put16(f + 12, (uint16_t)(len + 3));
}

static uint16_t get16(const uint8_t *d)
{
	return (uint16_t)(d[0] << 8 | d[1]);
}

static uint32_t get32(const uint8_t *d)
{
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	       (uint32_t)d[2] << 8 | d[3];
}

static uint64_t get64(const uint8_t *d)
{
	return (uint64_t)get32(d) << 32 | get32(d + 4);
}

/* Timer values are in 1/256 s. */
static uint16_t secs(const uint8_t *d)
{
	return (uint16_t)(get16(d) >> 8);
}

int stp_bpdu_parse(const uint8_t *d, size_t len, struct stp_bpdu *m,
		   const char **why)
{
	static const enum stp_role roles[4] = { STP_ROLE_DISABLED,
						STP_ROLE_ALTERNATE,
						STP_ROLE_ROOT,
						STP_ROLE_DESIGNATED };
	uint8_t version, type;

	memset(m, 0, sizeof(*m));
	*why = "truncated";
	if (len < 4)
		return -EINVAL;
	*why = "wrong protocol identifier";
	if (get16(d))
		return -EINVAL;
	version = d[2];
	type = d[3];
	if (type == 0x80) {
		m->type = STP_BPDU_TCN;
		return 0;
	}
	*why = "unknown type";
	if (type != 0x00 && type != 0x02)
		return -EINVAL;
	*why = "version and type do not match";
	if (type == 0x02 && version < 2)
		return -EINVAL;
	*why = "truncated";
	if (len < (type == 0x02 ? 36U : 35U))
		return -EINVAL;
	m->type = type == 0x02 ? STP_BPDU_RST : STP_BPDU_CONFIG;
	m->flags = d[4];
	m->vec.root = get64(d + 5);
	m->vec.cost = get32(d + 13);
	m->vec.bridge = get64(d + 17);
	m->vec.port = get16(d + 25);
	m->times.msg_age = secs(d + 27);
	m->times.max_age = secs(d + 29);
	m->times.hello = secs(d + 31);
	m->times.fwd_delay = secs(d + 33);
	if (m->type == STP_BPDU_RST) {
		m->role = roles[(m->flags >> STP_F_ROLE_SH) & 3];
		*why = "bad flags (port role unknown)";
		if (m->role == STP_ROLE_DISABLED)
			return -EINVAL;
		*why = "version 1 length not 0";
		if (d[35])
			return -EINVAL;
	} else {
		m->role = STP_ROLE_DESIGNATED;
		*why = "bad flags";
		if (m->flags & ~(STP_F_TC | STP_F_TCA))
			return -EINVAL;
	}
	*why = "message age not below max age";
	if (get16(d + 27) >= get16(d + 29))
		return -EINVAL;
	*why = "timers out of range";
	if (m->times.max_age < 6 || m->times.max_age > 40 || !m->times.hello ||
	    m->times.hello > 10 || m->times.fwd_delay < 4 ||
	    m->times.fwd_delay > 30)
		return -EINVAL;
	return 0;
}
