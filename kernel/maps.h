/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every map of the datapath, declared once. The declarations are weak so
 * that each *.bpf.c can include this header and `bpftool gen object` links
 * them into one copy. Layouts come from xbr_abi.h.
 */
#ifndef XBR_MAPS_H
#define XBR_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xbr_abi.h"

/* {mac, vid} -> {port, last_seen, flags}; preallocated. Userspace sets
 * max_entries (the bridge's FDB capacity) before load. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct xbr_fdb_key);
	__type(value, struct xbr_fdb_val);
} fdb SEC(".maps") __weak;

/* ifindex -> port settings (XBR_PORT_F_ENABLED marks a port). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_MAX_IFINDEX);
	__type(key, __u32);
	__type(value, struct xbr_port);
} ports SEC(".maps") __weak;

/* slot -> the VLANs the port is in. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct xbr_vlan_set);
} port_vlans SEC(".maps") __weak;

/* slot -> ifindex, for userspace. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, __u32);
} port_slots SEC(".maps") __weak;

/* ifindex -> egress device and the egress program: the unicast
 * redirect target. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} tx_ports SEC(".maps") __weak;

/* ifindex -> egress device and the egress program: the flood domain,
 * used with BPF_F_BROADCAST; the egress program counts each copy. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} flood_ports SEC(".maps") __weak;

/* Mirroring (kernel/mirror.h): slot -> the ports a mirroring port's
 * copies name; and the ports a frame that a mirror copies as sent is
 * broadcast to (the sources of sent frames and the destinations). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct xbr_mirror);
} mirror SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} mirror_ports SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct xbr_port_stats);
} port_stats SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_MAX_PORTS + 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct xbr_port_state);
} port_state SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xbr_bridge_cfg);
} bridge_cfg SEC(".maps") __weak;

/* The slow path: CPUs by number, each with its queue and the cpumap
 * program; its settings; what it did, per CPU; internal ports by MAC. */
struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, XBR_SLOW_MAX_CPUS);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} slow_cpus SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xbr_slow_cfg);
} slow_cfg SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_SLOW_MAX_CPUS);
	__type(key, __u32);
	__type(value, struct xbr_slow_stats);
} slow_stats SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u64);   /* the MAC in the low 6 bytes, as in memory */
	__type(value, __u32); /* the internal port's ifindex (bridge side) */
} host_ports SEC(".maps") __weak;

/* Between the egress program and the xdp_devmap_xmit tracepoint. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xbr_xmit_scratch);
} xmit_scratch SEC(".maps") __weak;

/* The counters of the port that ifindex is, or NULL. */
static __always_inline struct xbr_port_stats *stats_of(__u32 ifindex)
{
	struct xbr_port *p = bpf_map_lookup_elem(&ports, &ifindex);

	if (!p || !(p->flags & XBR_PORT_F_ENABLED))
		return NULL;
	return bpf_map_lookup_elem(&port_stats, &p->slot);
}

#endif /* XBR_MAPS_H */
