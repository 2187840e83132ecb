/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's private header: its state, the core that features share
 * (core.c), and what each feature file offers the others. A feature (see
 * doc/adding-a-feature.md) is one file: its commands with their help, its
 * handlers, its lines of the running config, and its datapath steps.
 */
#ifndef XBR_SWITCHD_H
#define XBR_SWITCHD_H

#include <net/if.h>
#include <stdbool.h>
#include <time.h>

#include "datapath/dp.h"
#include "switchd/cmd.h"
#include "switchd/store.h"

#define SWITCHD_SOCK_PATH "/run/xbr/xbr.sock"
#ifndef XBR_CONFDIR
#define XBR_CONFDIR "/etc/xbr"
#endif
#define SWITCHD_STARTUP_PATH XBR_CONFDIR "/startup.conf"

/* A bridge the daemon has open. */
struct sw_bridge {
	struct sw_bridge *next;
	struct dp_bridge *dp;
	char name[DP_BRIDGE_NAME_MAX + 1];
	int ev_fd; /* its events (events.c); 0: none */
};

struct switchd {
	struct store *store;
	const char *store_path;
	const char *startup_path;
	const char *sock_path;
	const char *pin_root;
	struct sw_bridge *bridges;
	int ageing_fd;	       /* timerfd of the ageing sweep */
	int errdisable_fd;     /* timerfd of err-disabled ports, 1 s */
	int epfd;	       /* the event loop's epoll */
	unsigned int rebuilds; /* datapaths made again (another capacity) */
};

extern struct switchd *sw;

/* ---- core.c: what every feature uses ---- */

/* A feature of the switch: its file declares one, core.c lists them in
 * the order their parts of the running config are written. */
struct sw_feature {
	const struct cmd_def *cmds;
	size_t ncmds;
	/* Its lines of the running config: before the bridges, and in the
	 * block of each bridge. */
	void (*config)(struct out *o);
	void (*config_bridge)(struct out *o, const struct cfg_bridge *b);
	/* Make the datapath what the store says: first every feature's
	 * removals, then every feature's additions (so that a port can move
	 * from one bridge to another). bs: the store's bridges. */
	void (*reconcile_remove)(const struct cfg_bridge *bs, int n);
	void (*reconcile_add)(const struct cfg_bridge *bs, int n);
	/* The startup file starts from an empty store: clear what is not in
	 * its tables (in the caller's transaction); 0 or -EIO. */
	int (*clear)(void);
};

/* A row of a command table: show SPEC, its help after "show"'s. */
#define SW_SHOW(spec, help, fn)                                        \
	{                                                              \
		MODES_ALL, "show " spec, "Show information\n" help, fn \
	}

/* The feature NAME, with its command table NAME_cmds and its hooks. */
#define SW_FEATURE(name, ...)                                               \
	const struct sw_feature sw_feature_##name = { .cmds = name##_cmds,  \
						      .ncmds = ARRAY_SIZE(  \
							      name##_cmds), \
						      __VA_ARGS__ }

extern const struct sw_feature sw_feature_bridge, sw_feature_port,
	sw_feature_internal, sw_feature_mac, sw_feature_slowpath,
	sw_feature_system, sw_feature_errdisable, sw_feature_interfaces,
	sw_feature_stp, sw_feature_trace, sw_feature_storm,
	sw_feature_sticky, sw_feature_mirror, sw_feature_events,
	sw_feature_rates, sw_feature_metrics;

#define SW_ERRLEN     512
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* "% message" for the user; returns err. */
int sw_say(struct cmd_call *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Say why the store failed; -EIO. In a step of a transaction (which
 * rolls back); elsewhere sw_store_failed() rolls back first. */
int sw_store_err(struct cmd_call *c);
int sw_store_failed(struct cmd_call *c);

/*
 * One configuration change, as one transaction: the store, then the
 * datapath; if either fails, both stay as they were.
 *   store:  checks and writes in the store (say what is wrong: 0 or -errno)
 *   apply:  the datapath step, skipped when reading the startup file
 *   undo:   put back what apply did, after the store rolled back (the
 *           datapath step or the commit failed)
 *   done:   after the commit (mode changes, removals that cannot fail)
 * Each may be NULL; ctx is the command's own state.
 */
struct sw_txn {
	int (*store)(struct cmd_call *c, void *ctx);
	int (*apply)(struct cmd_call *c, void *ctx);
	void (*undo)(struct cmd_call *c, void *ctx);
	void (*done)(struct cmd_call *c, void *ctx);
};
int sw_txn_run(struct cmd_call *c, const struct sw_txn *t, void *ctx);

/* The bridge a command is about: its NAME, the bridge mode's, or the only
 * bridge there is; 0 or -errno with the message said. */
int sw_which_bridge(struct cmd_call *c, struct cfg_bridge *b);
/* Make the datapath what the store says. */
int sw_reconcile(void);
/* Every feature's settings that the store's tables do not hold, cleared
 * (the startup file starts from nothing); 0 or -EIO. */
int sw_clear_all(void);

/* ---- bridge.c ---- */
struct sw_bridge *sw_bridge_find(const char *name);
/* Open (or create) the datapath of a configured bridge. */
int sw_bridge_open(const struct cfg_bridge *b, struct sw_bridge **out,
		   char *err, size_t errlen);
void sw_bridge_destroy(const char *name);
void sw_age_all(void);
/* Sweep every tenth of the shortest ageing time (1 to 10 s); again after
 * an ageing time changes. */
void sw_arm_ageing(void);
void sw_close_all(void);

/* ---- port.c ---- */
/* Attach a configured port if its interface exists; 0 when attached,
 * -ENODEV when absent, other -errno with err set. */
int sw_port_attach(struct sw_bridge *br, const struct cfg_port *p, char *err,
		   size_t errlen);
/* Add a port or change it (the store, then the datapath); remove one. */
int sw_port_apply(struct cmd_call *c, const struct cfg_port *p);
int sw_port_remove(struct cmd_call *c, const char *bridge, const char *ifname);
/* The port's settings now, or those of a new port. */
/* A port's VLAN settings in the datapath's form; -EINVAL for a bad list. */
int sw_port_vlan(const struct cfg_port *p, struct dp_port_vlan *v);
/* The kinds of flood a port may refuse: their words, JSON keys, flags. */
#define SW_NFLOODS 3
struct sw_flood {
	const char *word, *key;
	uint32_t flag;
};
extern const struct sw_flood sw_floods[SW_NFLOODS];
/* " flood-off broadcast,multicast": the floods a port refuses, or "". */
void sw_port_flood_text(const struct cfg_port *p, char *buf, size_t len);
void sw_port_current(const char *bridge, const char *ifname,
		     struct cfg_port *p);
/* A link event from netlink: name, ifindex, up (admin and carrier),
 * gone (deleted). */
void sw_link_event(const char *ifname, int ifindex, bool up, bool gone);

/* ---- core.c ---- */
/* CLOCK_MONOTONIC, in seconds: the daemon's one clock for intervals. */
time_t sw_now_s(void);

/* ---- interfaces.c ---- */
/* The link's speed in Mb/s as ethtool has it, 0 when it has none; when
 * half is given, whether ethtool says half duplex. */
unsigned long sw_link_speed(const char *ifname, bool *half);
/* The name an operator knows a port by: an internal port's host side. */
const char *sw_port_name(const struct cfg_port *p);
/* The ports a command names: IFNAME (or an internal port's host side), or
 * every port; their number (*ps to free), or -errno with the message said. */
int sw_ports_named(struct cmd_call *c, struct cfg_port **ps);
/* A port new in the datapath (added, or added again): its counters start
 * from zero there, so an earlier clear counters of the name is forgotten. */
void sw_counters_forget(const char *bridge, const char *ifname);

/* ---- rates.c ---- */
/* A drop reason that a port counts as a loss (not-a-port cannot happen on
 * a port; a flood the port refuses is no loss and never counted). */
bool sw_drop_on_port(int reason);
/* Every second: read each port's counters once, for its rates. */
void sw_rates_tick(void);

/* ---- metrics.c ---- */
/* Serve an event on a socket of the metrics listener; false if fd is none
 * of its sockets. */
bool sw_metrics_handle(int fd, uint32_t events);
/* Every second: close connections idle too long. */
void sw_metrics_tick(void);
void sw_metrics_close(void);

/* ---- errdisable.c ---- */
/* What err-disables a port (show errdisable recovery names them). */
enum sw_errdis_cause {
	SW_ERRDIS_LEARN_LIMIT, /* a new source at the learn limit */
	SW_ERRDIS_BPDU_GUARD,  /* a BPDU on an edge port with BPDU guard */
	SW_ERRDIS_MAX
};
/* The cause that err-disabled the port, or NULL. */
const char *sw_errdisabled(const char *ifname);
/* Forget the port's err-disabled state (shutdown, no shutdown, removed);
 * the caller applies the port. */
void sw_errdisable_reset(const char *ifname);
/* Err-disable a port for cause (it is applied: down in the datapath). */
void sw_errdisable_port(const struct cfg_port *p, enum sw_errdis_cause cause);
/* Every second: watch for violations, bring ports back. */
void sw_errdisable_tick(void);

/* ---- stp.c ---- */
/* The state a port of bridge starts in (enum dp_stp_state). */
int sw_stp_port_start(const char *bridge, const char *ifname);
/* A port's link changed (or it was attached, shut, err-disabled). */
void sw_stp_link(const char *ifname);
/* fd is the spanning tree's (a port's socket, its timer): handled. */
bool sw_stp_event(int fd);
/* Save what a restarted daemon resumes from (before it stops). */
void sw_stp_stop(void);

/* ---- storm.c ---- */
/* The port's storm control in the datapath, as p has it. */
int sw_storm_apply(struct sw_bridge *br, int ifindex, const struct cfg_port *p,
		   char *err, size_t errlen);

/* ---- sticky.c ---- */
/* Every second: the learned addresses of sticky ports made static. */
void sw_sticky_tick(void);

/* ---- internal.c ---- */
/* The veth pair of an internal port: made if missing; removed. */
int sw_internal_create(const struct cfg_port *p, char *err, size_t errlen);
void sw_internal_delete(const struct cfg_port *p);
/* The internal port's veth pair exists, made by xbr for this port. */
bool sw_internal_own(const struct cfg_port *p);
/* An internal port's host-side MAC (stable: derived from the names). */
void sw_internal_mac(const struct cfg_port *p, uint8_t mac[6]);
/* Its own MAC as a local entry and a host port, once attached. */
int sw_internal_local(struct sw_bridge *br, int ifindex,
		      const struct cfg_port *p, char *err, size_t errlen);
/* The running config's line of an internal port. */
void sw_internal_config(struct out *o, const struct cfg_port *p);
/* The interface is the host side of an internal port. */
bool sw_internal_host_side(const char *ifname);
/* Internal ports by the ifindex of their bridge side, for showing them by
 * their host side's name: their number (*out to free), or -errno. */
struct sw_internal_name {
	int ifindex; /* the bridge side's */
	char name[IF_NAMESIZE];
};
int sw_internal_names(struct sw_internal_name **out);
/* An interface by name, an internal port by its host side: the ifindex
 * of the port in the bridge, or 0. */
int sw_port_index(const char *ifname);

/* ---- mac.c ---- */
/* A static entry added or removed by a command (the steps of mac static,
 * and of sticky addresses): apply puts it in the datapath, undo takes it
 * out again, del_done removes it after the store has. */
struct sw_mac_txn {
	struct cfg_mac m;
	struct sw_bridge *br;
	int ifindex;
};
int sw_mac_apply(struct cmd_call *c, void *ctx);
void sw_mac_undo(struct cmd_call *c, void *ctx);
void sw_mac_del_done(struct cmd_call *c, void *ctx);
/* The store's static entries on one port, once it is attached. */
void sw_mac_port_statics(struct sw_bridge *br, const struct cfg_port *p,
			 int ifindex);

/* ---- slowpath.c ---- */
/* The slow path on one bridge, as the store has it (a bridge just opened). */
int sw_slowpath_on(struct sw_bridge *b);

/* ---- mirror.c ---- */
/* The bridge's mirroring in the datapath as the store has it (after a
 * port is attached or removed); 0 or -errno with err set. */
int sw_mirror_apply(struct sw_bridge *br, char *err, size_t errlen);
/* The same after a port was attached: nothing when the bridge has no
 * session. */
int sw_mirror_port_attached(struct sw_bridge *br, char *err, size_t errlen);
/* ---- events.c (doc/events.md) ---- */

/*
 * Report an event: severity is syslog's (LOG_WARNING, LOG_NOTICE,
 * LOG_INFO), category one word ("mac", "link", "port", "config", or the
 * feature's), then the text. It is logged (rate limited), kept for show
 * logging, and streamed to the sessions that monitor its category.
 */
void sw_event(int severity, const char *category, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct sw_event {
	unsigned long long seq; /* 1, 2, ... since the daemon started */
	struct timespec time;	/* CLOCK_REALTIME */
	int severity;
	char category[16];
	char text[200];
};

/* One event as show logging and monitor print it (text or JSON). */
void sw_event_format(const struct sw_event *e, struct out *o);
/* A bridge's datapath events: read from the loop (open, close); an fd of
 * the loop: true when it was the events of a bridge, read. */
int sw_events_bridge_open(struct sw_bridge *b);
void sw_events_bridge_close(struct sw_bridge *b);
bool sw_events_handle(int fd);
/* Every second: counted refusals and lost events said, stragglers read. */
void sw_events_tick(void);
/* Age a bridge's entries, an event for each; how many. */
int sw_events_age(struct sw_bridge *b, __u64 ageing_ns);
/* A port's link, said when it changes; a port attached or detached (why:
 * NULL or a few words). */
void sw_event_link(const char *bridge, const char *ifname, bool up);
void sw_event_port(const char *bridge, const char *ifname, bool attached,
		   const char *why);
/* A configuration command the session ran, with who ran it. */
void sw_event_config(const struct cmd_session *s);

/* ---- the entry points of main.c and ctl.c ---- */
int cmds_init(void);
/* The running config, in the command language. */
void cmds_running_config(struct out *o);

#endif /* XBR_SWITCHD_H */
