/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Layouts shared by the load-test programs and xbr-pktgen. */
#ifndef XBR_XBR_PKTGEN_H
#define XBR_XBR_PKTGEN_H

#include <linux/types.h>

/* Per-CPU counters of the generator and of each sink. */
struct pktgen_stats {
	__u64 packets;
	__u64 bytes;
	__u64 src_idx; /* generator: the next source index */
	__u64 dst_idx;
};

#ifndef __bpf__
_Static_assert(sizeof(struct pktgen_stats) == 32, "pktgen stats");
#endif

#endif /* XBR_XBR_PKTGEN_H */
