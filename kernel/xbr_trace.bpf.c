// SPDX-License-Identifier: GPL-2.0-only
/*
 * The egress side of the packet trace. The kernel refuses BPF_PROG_RUN of
 * a devmap program (xdp/devmap: -EINVAL), so this plain XDP program, never
 * attached, runs the egress program's own code, egress_frame() of
 * kernel/decide.h, on a traced frame: the port it leaves by in the
 * metadata (the context of a plain program has no egress_ifindex), the
 * port it came in by as ingress_ifindex. It counts nothing; the frame as
 * the port would send it is returned with the decision.
 */
#include "decide.h"
#include "trace.h"

SEC("xdp")
int xbr_trace_egress(struct xdp_md *ctx)
{
	struct xbr_trace_meta *m = trace_meta(ctx);
	struct xbr_port *ep = NULL;
	__u32 out;
	int reason, copy;

	if (!m)
		return XDP_ABORTED;
	out = m->port;
	reason = egress_frame(ctx, ctx->ingress_ifindex, out, &ep, &copy);
	/* a tag pushed or popped moved the metadata with the frame */
	m = trace_meta(ctx);
	if (!m)
		return XDP_ABORTED;
	trace_record(m, reason ? XDP_DROP : XDP_PASS,
		     reason ? XBR_FWD_DROP : XBR_FWD_UNICAST, (__u8)reason, out,
		     0);
	return reason ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
