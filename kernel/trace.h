/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The packet trace (doc/events.md): a frame run through the loaded
 * programs with BPF_PROG_RUN carries struct xbr_trace_meta in its XDP
 * metadata, and the programs record their decision there. A frame from a
 * device has no metadata (data_meta == data, or past data where the
 * driver has none), so the one test a real frame pays is a compare of two
 * pointers of its context.
 */
#ifndef XBR_TRACE_H
#define XBR_TRACE_H

#include "maps.h"

/* The trace metadata of a traced frame; NULL for every other frame. */
static __always_inline struct xbr_trace_meta *trace_meta(struct xdp_md *ctx)
{
	struct xbr_trace_meta *m = (void *)(long)ctx->data_meta;

	if ((void *)(m + 1) > (void *)(long)ctx->data)
		return NULL;
	return m->magic == XBR_TRACE_MAGIC ? m : NULL;
}

static __always_inline int trace_dry(const struct xbr_trace_meta *m)
{
	return m && (m->flags & XBR_TRACE_F_DRY);
}

/* Record the decision of a traced frame; nothing for any other. */
static __always_inline void trace_record(struct xbr_trace_meta *m, __u32 action,
					 __u8 kind, __u8 reason, __u32 egress,
					 __u16 vid)
{
	if (!m)
		return;
	m->rec.action = action;
	m->rec.kind = kind;
	m->rec.reason = reason;
	m->rec.egress = egress;
	m->rec.vid = vid;
	m->rec.decided = 1;
}

#endif /* XBR_TRACE_H */
