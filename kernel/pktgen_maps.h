/* SPDX-License-Identifier: GPL-2.0-only */
/* The maps of the load-test programs, declared once (weak, as in maps.h). */
#ifndef XBR_PKTGEN_MAPS_H
#define XBR_PKTGEN_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xbr_pktgen.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pktgen_stats);
} stats SEC(".maps") __weak;

/* The ceiling forwarder's one egress port, with or without an egress
 * program (forward --egress-program). */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} fwd_port SEC(".maps") __weak;

#endif /* XBR_PKTGEN_MAPS_H */
