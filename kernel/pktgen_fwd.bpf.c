// SPDX-License-Identifier: GPL-2.0-only
/* The ceiling: every frame to one port through a DEVMAP, nothing else. */
#include "pktgen_maps.h"

SEC("xdp")
int xbr_fwd(struct xdp_md *ctx)
{
	return bpf_redirect_map(&fwd_port, 0, 0);
}

/* An egress program that does nothing: what the kernel's running of any
 * devmap program costs a frame (forward --egress-program). */
SEC("xdp/devmap")
int xbr_fwd_egress(struct xdp_md *ctx)
{
	return XDP_PASS;
}
