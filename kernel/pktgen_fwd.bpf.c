// SPDX-License-Identifier: GPL-2.0-only
/* The ceiling: every frame to one port through a DEVMAP, nothing else. */
#include "pktgen_maps.h"

SEC("xdp")
int xbr_fwd(struct xdp_md *ctx)
{
	return bpf_redirect_map(&fwd_port, 0, 0);
}
