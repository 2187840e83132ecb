/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rapid Spanning Tree (IEEE 802.1D-2004 clause 17), the daemon's engine:
 * the state machines of one bridge (stp_sm.c) and what the feature file
 * (stp.c) gives them: BPDUs out, port states and FDB flushes into the
 * datapath, log lines. doc/stp.md describes it.
 */
#ifndef XBR_SWITCHD_STP_H
#define XBR_SWITCHD_STP_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

/* spanning-tree mode */
enum stp_mode { STP_MODE_NONE = 0, STP_MODE_RSTP, STP_MODE_STP };

/* Ranges of 802.1D-2004 table 17-1 and 17.13 (the defaults, STP_DEF_*,
 * are the store's: switchd/store.h) */
#define STP_MIGRATE_TIME      3
#define STP_TX_HOLD_COUNT     6
#define STP_MAX_COST	      200000000

enum stp_role {
	STP_ROLE_DISABLED = 0,
	STP_ROLE_ROOT,
	STP_ROLE_DESIGNATED,
	STP_ROLE_ALTERNATE,
	STP_ROLE_BACKUP,
};

enum stp_info {
	STP_INFO_DISABLED = 0,
	STP_INFO_MINE,
	STP_INFO_AGED,
	STP_INFO_RECEIVED
};

/* What a port is told: auto from the link, or forced. */
enum stp_link { STP_LINK_AUTO = 0, STP_LINK_P2P, STP_LINK_SHARED };

/* A priority vector (17.5, 17.6): compared in this order. */
struct stp_vec {
	uint64_t root;	  /* root bridge id: priority << 48 | MAC */
	uint32_t cost;	  /* root path cost */
	uint64_t bridge;  /* designated bridge id */
	uint16_t port;	  /* designated port id */
	uint16_t rx_port; /* the receiving port's id (selection only) */
};

struct stp_times {
	uint16_t msg_age, max_age, hello, fwd_delay; /* seconds */
};

/* A received BPDU, decoded and checked. */
enum stp_bpdu_type { STP_BPDU_CONFIG, STP_BPDU_TCN, STP_BPDU_RST };

struct stp_bpdu {
	enum stp_bpdu_type type;
	uint8_t flags;
	enum stp_role role; /* RST: from the flags; config: designated */
	struct stp_vec vec;
	struct stp_times times;
};

/* RST BPDU flags (9.3.3) */
#define STP_F_TC       0x01
#define STP_F_PROPOSAL 0x02
#define STP_F_ROLE_SH  2
#define STP_F_LEARNING 0x10
#define STP_F_FWDING   0x20
#define STP_F_AGREE    0x40
#define STP_F_TCA      0x80

struct stp_bridge;

struct stp_port {
	struct stp_port *next;
	struct stp_bridge *br;
	char ifname[IF_NAMESIZE];
	int ifindex;
	uint8_t mac[6];
	uint16_t num; /* port number, 1-4095 */
	int fd;	      /* packet socket, -1: none */
	bool seen;    /* still in the store (sync) */

	/* configuration */
	uint16_t priority;   /* 0-240 */
	uint32_t admin_cost; /* 0: by speed */
	uint32_t cost;	     /* in use */
	bool admin_edge, auto_edge;
	enum stp_link link;
	bool bpduguard, rootguard, bpdufilter;

	/* the machines' variables (17.19) */
	bool enabled; /* portEnabled */
	bool p2p;     /* operPointToPointMAC */
	enum stp_role role, selected_role;
	enum stp_info info_is;
	struct stp_vec port_pri, desg_pri, msg_pri;
	struct stp_times port_times, desg_times, msg_times;
	struct stp_bpdu rx; /* the message being handled */
	bool agree, agreed, disputed, fdb_flush, forward, forwarding, learn,
		learning, mcheck, new_info, oper_edge, proposed, proposing,
		rcvd_bpdu, rcvd_msg, rcvd_rstp, rcvd_stp, rcvd_tc, rcvd_tc_ack,
		rcvd_tcn, re_root, reselect, selected, send_rstp, sync, synced,
		tc_ack, tc_prop, updt_info;
	int tx_count;
	/* timers (17.17), seconds */
	int edge_delay_while, fd_while, hello_when, mdelay_while, rb_while,
		rcvd_info_while, rr_while, tc_while;
	/* machine states */
	int pim, prt, pst, tcm, ppm, bdm;

	/* what the datapath holds now */
	int dp_state; /* enum dp_stp_state, -1: not written yet */

	/* counters */
	uint64_t tx_bpdus, rx_bpdus, malformed, tc_count;
	bool guarded; /* shut by BPDU guard */
	bool root_inconsistent;
};

struct stp_bridge {
	struct stp_bridge *next;
	char name[16];
	enum stp_mode mode;
	uint16_t priority;
	uint8_t mac[6];
	uint64_t id;
	struct stp_times times; /* BridgeTimes */
	struct stp_port *ports;
	/* the root (17.18) */
	struct stp_vec root_pri;
	struct stp_times root_times;
	struct stp_port *root_port;
	bool begin;
	uint64_t tc_count;
	long long last_tc; /* monotonic seconds of the last one */
	char last_tc_port[IF_NAMESIZE];
	bool dirty; /* something worth saving changed */
};

/* ---- stp_sm.c: the machines ---- */
/* Start the machines (BEGIN), all ports as they are now. */
void stp_sm_begin(struct stp_bridge *b);
/* Start the machines of one port (BEGIN for it alone): a port added to
 * a running bridge. */
void stp_sm_port_begin(struct stp_port *p);
/* Run every machine until nothing changes. */
void stp_sm_run(struct stp_bridge *b);
/* One second has passed. */
void stp_sm_tick(struct stp_bridge *b);
/* A BPDU received (decoded and checked) on p. */
void stp_sm_rx(struct stp_port *p, const struct stp_bpdu *m);
/* Take up after a restart: each port's role, information and
 * datapath state restored by stp.c, no BEGIN. */
void stp_sm_resume(struct stp_bridge *b);
const char *stp_role_name(enum stp_role r);
int stp_vec_cmp(const struct stp_vec *a, const struct stp_vec *b);

/* ---- stp_bpdu.c: BPDUs on the wire (clause 9) ---- */

/* The spanning tree's group address, and the size of the frame a port
 * sends (the shortest Ethernet frame). */
extern const uint8_t stp_bpdu_dst[6];
#define STP_BPDU_FRAME 60
/* The frame p sends now, of the given type, into f. */
void stp_bpdu_frame(const struct stp_port *p, enum stp_bpdu_type type,
		    uint8_t f[STP_BPDU_FRAME]);
/* Decode a BPDU (after the LLC header): 0, or -EINVAL when it is
 * malformed (why in *why). */
int stp_bpdu_parse(const uint8_t *d, size_t len, struct stp_bpdu *m,
		   const char **why);

/* ---- stp.c: the bridges and ports, seconds ---- */
struct stp_port *stp_port_find(const char *ifname);
/* The port of b whose MAC is mac, or NULL. */
struct stp_port *stp_port_of_mac(const struct stp_bridge *b,
				 const uint8_t mac[6]);

/* ---- stp_state.c: the state file a restarted daemon resumes from ---- */
void stp_state_path(const struct stp_bridge *b, char *buf, size_t len);
void stp_save(struct stp_bridge *b);
/* true: b's machines resumed from a sound, recent file */
bool stp_resume(struct stp_bridge *b);

/* ---- stp.c: what the machines do to the world ---- */
void stp_tx_bpdu(struct stp_port *p, enum stp_bpdu_type type);
/* enum dp_stp_state */
void stp_set_state(struct stp_port *p, int state);
void stp_flush(struct stp_port *p);

#endif /* XBR_SWITCHD_STP_H */
