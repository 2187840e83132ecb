/* SPDX-License-Identifier: GPL-2.0-only */
/* The daemon's state, shared by its modules. */
#ifndef XBR_SWITCHD_H
#define XBR_SWITCHD_H

#include <stdbool.h>

#include "datapath/dp.h"
#include "switchd/cmd.h"
#include "switchd/store.h"

#define SWITCHD_SOCK_PATH    "/run/xbr/xbr.sock"
#define SWITCHD_STARTUP_PATH "/etc/xbr/startup.conf"

/* A bridge the daemon has open. */
struct sw_bridge {
	struct sw_bridge *next;
	struct dp_bridge *dp;
	char name[DP_BRIDGE_NAME_MAX + 1];
};

struct switchd {
	struct store *store;
	const char *store_path;
	const char *startup_path;
	const char *sock_path;
	const char *pin_root;
	struct sw_bridge *bridges;
	int ageing_fd;	       /* timerfd of the ageing sweep */
	unsigned int rebuilds; /* datapaths made again (another capacity) */
};

extern struct switchd *sw;

/* switchd/apply.c: the datapath side of the configuration. */
struct sw_bridge *sw_bridge_find(const char *name);
/* Open (or create) the datapath of a configured bridge. */
int sw_bridge_open(const struct cfg_bridge *b, struct sw_bridge **out,
		   char *err, size_t errlen);
void sw_bridge_destroy(const char *name);
/* Attach a configured port if its interface exists; 0 when attached,
 * -ENODEV when absent, other -errno with err set. */
int sw_port_attach(struct sw_bridge *br, const struct cfg_port *p, char *err,
		   size_t errlen);
void sw_port_detach(struct sw_bridge *br, const char *ifname);
/* The veth pair of an internal port: made if missing; removed. */
int sw_internal_create(const struct cfg_port *p, char *err, size_t errlen);
void sw_internal_delete(const struct cfg_port *p);
/* A port's VLAN settings in the datapath's form; -EINVAL for a bad list. */
int sw_port_vlan(const struct cfg_port *p, struct dp_port_vlan *v);
/* Make the datapath what the store says. */
int sw_reconcile(void);
void sw_age_all(void);
/* Sweep every tenth of the shortest ageing time (1 to 10 s); again after
 * an ageing time changes. */
void sw_arm_ageing(void);
/* A link event from netlink: name, ifindex, up (admin and carrier),
 * gone (deleted). */
void sw_link_event(const char *ifname, int ifindex, bool up, bool gone);
void sw_close_all(void);
/* The slow path as the store has it, on every open bridge. */
struct sw_slowpath {
	int host_cpu; /* -1: no slow path */
	int ctl_cpu;  /* -1: control frames on the receiving CPU */
	unsigned int queue;
};
void sw_slowpath_get(struct sw_slowpath *sp);
int sw_slowpath_apply(char *err, size_t errlen);
/* An internal port's host-side MAC (stable: derived from the names). */
void sw_internal_mac(const struct cfg_port *p, uint8_t mac[6]);
/* The internal port's veth pair exists, made by xbr for this port. */
bool sw_internal_own(const struct cfg_port *p);
/* Why an interface cannot be a new port (an internal port's host side,
 * the host's uplink): -EINVAL with err set, or 0. */
int sw_port_refused(const char *ifname, char *err, size_t errlen);

/* switchd/cmds.c */
int cmds_init(void);
/* The running config, in the command language. */
void cmds_running_config(struct out *o);
/* Read a startup file into the store: all of it or nothing. 0 or -errno,
 * with "file:line: message" in err. */
int cmds_load_file(const char *path, char *err, size_t errlen);

#endif /* XBR_SWITCHD_H */
