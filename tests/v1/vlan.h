/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VLAN membership and the tag operations of ingress and egress. The
 * operations move the head of the frame, so every packet pointer taken
 * before them is stale afterwards.
 */
#ifndef XBR_VLAN_H
#define XBR_VLAN_H

#include "maps.h"
#include "parse.h"

static __always_inline int vlan_member(const struct xbr_vlan_set *set,
				       __u16 vid)
{
	if (!set || vid > XBR_VID_MAX)
		return 0;
	return (set->bits[(vid >> 6) & 63] >> (vid & 63)) & 1;
}

/* Whether port p sends VLAN vid tagged. */
static __always_inline int vlan_tagged_on(const struct xbr_port *p, __u16 vid)
{
	return (p->flags & XBR_PORT_F_TRUNK) && vid != p->pvid;
}

/* Write the outer tag in place (there must be one). */
static __always_inline int tag_write(struct xdp_md *ctx, __u16 tpid, __u16 tci)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__be16 *t = data + 12;

	if ((void *)(t + 2) > end)
		return -1;
	t[0] = bpf_htons(tpid);
	t[1] = bpf_htons(tci);
	return 0;
}

/* Remove the outer tag: the addresses move 4 bytes toward the payload. */
static __always_inline int tag_pop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 m0, m1, m2;

	if (data + 16 > end)
		return -1;
	m0 = *(__u32 *)data;
	m1 = *(__u32 *)(data + 4);
	m2 = *(__u32 *)(data + 8);
	if (bpf_xdp_adjust_head(ctx, 4))
		return -1;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + 12 > end)
		return -1;
	*(__u32 *)data = m0;
	*(__u32 *)(data + 4) = m1;
	*(__u32 *)(data + 8) = m2;
	return 0;
}

/* Insert an outer tag after the addresses. */
static __always_inline int tag_push(struct xdp_md *ctx, __u16 tpid, __u16 tci)
{
	void *data, *end;
	__u32 m0, m1, m2;

	if (bpf_xdp_adjust_head(ctx, -4))
		return -1;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + 18 > end)
		return -1;
	m0 = *(__u32 *)(data + 4);
	m1 = *(__u32 *)(data + 8);
	m2 = *(__u32 *)(data + 12);
	*(__u32 *)data = m0;
	*(__u32 *)(data + 4) = m1;
	*(__u32 *)(data + 8) = m2;
	return tag_write(ctx, tpid, tci);
}

#endif /* XBR_VLAN_H */
