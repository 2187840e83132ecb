/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The configuration store: sqlite (WAL, synchronous=FULL, foreign keys),
 * schema from the numbered files in schema/, applied by PRAGMA
 * user_version. All SQL of the daemon lives in store.c.
 */
#ifndef XBR_STORE_H
#define XBR_STORE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "datapath/dp.h"

#define STORE_DEFAULT_PATH "/var/lib/xbr/config.db"

struct store;

struct cfg_bridge {
	char name[DP_BRIDGE_NAME_MAX + 1];
	uint32_t ageing_time; /* seconds */
	uint32_t learn_limit; /* 0: none */
	uint32_t fdb_capacity;
};

struct cfg_port {
	char bridge[DP_BRIDGE_NAME_MAX + 1];
	char ifname[IF_NAMESIZE];
	uint32_t learn_limit;
	bool trunk;
	uint16_t access_vlan;	    /* access mode's VLAN */
	uint16_t native_vlan;	    /* trunk's untagged VLAN, 0: none */
	uint16_t tpid;		    /* 0x8100 or 0x88a8 */
	char allowed[256];	    /* trunk's VLANs: "10,20-30", "" for none */
	char internal[IF_NAMESIZE]; /* internal port: the host side */
	bool shutdown;		    /* shut down: forwards nothing */
	bool isolated;		    /* sends nothing of another isolated */
	uint8_t violation;  /* CFG_VIOLATION_*: a new source at the limit */
	uint32_t flood_off; /* XBR_PORT_F_NO_*: floods refused */
	uint32_t storm[XBR_STORM_KINDS]; /* floods per second, 0: no limit */
	uint32_t storm_percent; /* bit k: storm[k] is a percent of the speed */
	bool mac_sticky; /* learned addresses become static entries */
};

/* The bridge side of an internal port NAME. */
#define CFG_INTERNAL_SUFFIX   "-br"
#define CFG_INTERNAL_NAME_MAX (IF_NAMESIZE - 1 - 3)

/* What a new source at a port's learn limit does (port security). */
#define CFG_VIOLATION_FORWARD  0 /* not learned, its frames forwarded */
#define CFG_VIOLATION_SHUTDOWN 1 /* the port is err-disabled */
#define CFG_VIOLATION_PROTECT  2 /* its frames dropped, counted */
#define CFG_VIOLATION_RESTRICT 3 /* and logged */

/* A port as it is when first added. */
void cfg_port_default(struct cfg_port *p, const char *bridge,
		      const char *ifname);

struct cfg_mac {
	char bridge[DP_BRIDGE_NAME_MAX + 1];
	uint8_t mac[6];
	uint16_t vid;
	char ifname[IF_NAMESIZE];
	bool sticky; /* learned on a port with mac sticky */
};

/* A port's part in a monitor session (mirroring). */
#define CFG_MONITOR_RX	 1 /* a source: what it receives */
#define CFG_MONITOR_TX	 2 /* what it sends */
#define CFG_MONITOR_BOTH 3
#define CFG_MONITOR_DEST 4  /* the session's destination */
#define CFG_MONITOR_MAX	 66 /* sessions are 1 to this */

struct cfg_monitor {
	char bridge[DP_BRIDGE_NAME_MAX + 1];
	unsigned int session;
	char ifname[IF_NAMESIZE];
	unsigned int role; /* CFG_MONITOR_* */
};

#define CFG_DEFAULT_AGEING 300

/*
 * One daemon a store: an exclusive lock (flock) on PATH.lock, held until
 * the process ends, however it ends. 0: taken; -EBUSY: another process
 * holds it, *holder its pid as it wrote it there (0 when unknown); another
 * error: the lock could not be taken at all (a filesystem without flock).
 */
int store_claim(const char *path, long *holder);

/*
 * NULL on failure with errno set and the reason in err. A store that fails
 * PRAGMA quick_check is refused with EUCLEAN and left as it is.
 */
struct store *store_open(const char *path, char *err, size_t errlen);
void store_close(struct store *s);
/* The text of the last failure. */
const char *store_error(struct store *s);

/* -ESTALE when the file was deleted or replaced since store_open(): what
 * would be written could not be read back. */
int store_begin(struct store *s);
int store_commit(struct store *s);
/* Rows inserted, updated or deleted since the store was opened. */
int store_total_changes(struct store *s);
void store_rollback(struct store *s);
/* Remove the whole configuration (in the caller's transaction). */
int store_clear(struct store *s);

int store_meta_get(struct store *s, const char *key, char *buf, size_t len);
int store_meta_set(struct store *s, const char *key, const char *value);

/* Lists are malloc'd arrays (free them); the return is the count or -errno.
 * bridge may be NULL for "all bridges". Ports come in the order added. */
int store_bridges(struct store *s, struct cfg_bridge **out);
int store_bridge_get(struct store *s, const char *name, struct cfg_bridge *b);
int store_bridge_put(struct store *s, const struct cfg_bridge *b);
int store_bridge_del(struct store *s, const char *name);

int store_ports(struct store *s, const char *bridge, struct cfg_port **out);
/* -ENOENT when the interface is no port of any bridge. */
int store_port_get(struct store *s, const char *ifname, struct cfg_port *p);
int store_port_put(struct store *s, const struct cfg_port *p);
int store_port_del(struct store *s, const char *ifname);

/* By bridge, session, then the destination before the sources (in the
 * order added); bridge NULL: every bridge. */
int store_monitors(struct store *s, const char *bridge,
		   struct cfg_monitor **out);
/* Add the port to a session, or change its role there. */
int store_monitor_put(struct store *s, const struct cfg_monitor *m);
/* -ENOENT when the bridge has no such session. */
int store_monitor_del(struct store *s, const char *bridge,
		      unsigned int session);

int store_macs(struct store *s, const char *bridge, struct cfg_mac **out);
int store_mac_put(struct store *s, const struct cfg_mac *m);
int store_mac_del(struct store *s, const char *bridge, const uint8_t mac[6],
		  uint16_t vid);

/* Spanning tree (doc/stp.md): a bridge's settings; its defaults when the
 * store has none (mode 0: none), those of 802.1D-2004 table 17-1. */
#define STP_DEF_PRIORITY      32768
#define STP_DEF_PORT_PRIORITY 128
#define STP_DEF_HELLO	      2
#define STP_DEF_FWD_DELAY     15
#define STP_DEF_MAX_AGE	      20

struct cfg_stp_bridge {
	char bridge[DP_BRIDGE_NAME_MAX + 1];
	uint8_t mode; /* enum stp_mode */
	uint16_t priority;
	uint8_t hello, fwd_delay, max_age;
};

#define CFG_STP_EDGE	   (1U << 0)
#define CFG_STP_P2P	   (1U << 1)
#define CFG_STP_SHARED	   (1U << 2)
#define CFG_STP_BPDUGUARD  (1U << 3)
#define CFG_STP_ROOTGUARD  (1U << 4)
#define CFG_STP_BPDUFILTER (1U << 5)

struct cfg_stp_port {
	char ifname[IF_NAMESIZE];
	uint32_t cost; /* 0: by the link's speed */
	uint16_t priority;
	uint32_t flags; /* CFG_STP_* */
};

int store_stp_bridge_get(struct store *s, const char *bridge,
			 struct cfg_stp_bridge *b);
int store_stp_bridge_put(struct store *s, const struct cfg_stp_bridge *b);
int store_stp_port_get(struct store *s, const char *ifname,
		       struct cfg_stp_port *p);
int store_stp_port_put(struct store *s, const struct cfg_stp_port *p);

#endif /* XBR_STORE_H */
