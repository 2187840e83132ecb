/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Layer 2 parsing with a cursor. Every read is bounds-checked against the
 * end of the frame; a parser returns 0 or -1 (truncated).
 */
#ifndef XBR_PARSE_H
#define XBR_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif

#define VLAN_VID_MASK 0x0fff

struct cursor {
	void *pos;
	void *end;
};

struct vlan_tag {
	__be16 tci;
	__be16 proto; /* the ethertype that follows the tag */
};

/* What parse_l2() found. Tag fields are zero when absent. */
struct l2 {
	struct ethhdr *eth;
	__be16 outer_tpid; /* 0, ETH_P_8021Q or ETH_P_8021AD */
	__u16 outer_vid;
	__u8 outer_pcp;
	__be16 inner_tpid;
	__u16 inner_vid;
	__be16 proto; /* ethertype after the tags */
};

static __always_inline void *cursor_pull(struct cursor *c, __u32 len)
{
	void *p = c->pos;

	if (p + len > c->end)
		return NULL;
	c->pos = p + len;
	return p;
}

static __always_inline int is_vlan_tpid(__be16 proto)
{
	return proto == bpf_htons(ETH_P_8021Q) ||
	       proto == bpf_htons(ETH_P_8021AD);
}

/* Ethernet header and up to two VLAN tags (802.1Q or 802.1ad). */
static __always_inline int parse_l2(struct cursor *c, struct l2 *l2)
{
	struct vlan_tag *tag;

	l2->eth = cursor_pull(c, sizeof(struct ethhdr));
	if (!l2->eth)
		return -1;
	l2->proto = l2->eth->h_proto;
	if (!is_vlan_tpid(l2->proto))
		return 0;

	tag = cursor_pull(c, sizeof(*tag));
	if (!tag)
		return -1;
	l2->outer_tpid = l2->proto;
	l2->outer_vid = bpf_ntohs(tag->tci) & VLAN_VID_MASK;
	l2->outer_pcp = bpf_ntohs(tag->tci) >> 13;
	l2->proto = tag->proto;
	if (!is_vlan_tpid(l2->proto))
		return 0;

	tag = cursor_pull(c, sizeof(*tag));
	if (!tag)
		return -1;
	l2->inner_tpid = l2->proto;
	l2->inner_vid = bpf_ntohs(tag->tci) & VLAN_VID_MASK;
	l2->proto = tag->proto;
	return 0;
}

/* A MAC as a 4-byte and a 2-byte load (packet loads may be unaligned on
 * the architectures XDP runs on; the key side is aligned). */
static __always_inline void mac_copy(__u8 *dst, const __u8 *src)
{
	*(__u32 *)dst = *(const __u32 *)src;
	*(__u16 *)(dst + 4) = *(const __u16 *)(src + 4);
}

static __always_inline int mac_is_multicast(const __u8 *mac)
{
	return mac[0] & 1; /* broadcast included */
}

static __always_inline int mac_is_broadcast(const __u8 *mac)
{
	return (mac[0] & mac[1] & mac[2] & mac[3] & mac[4] & mac[5]) == 0xff;
}

static __always_inline int mac_is_zero(const __u8 *mac)
{
	return !(*(const __u32 *)mac | *(const __u16 *)(mac + 4));
}

/* 01:80:c2:00:00:00 to 01:80:c2:00:00:0f: never forwarded by a bridge. */
static __always_inline int mac_is_link_local(const __u8 *mac)
{
	return mac[0] == 0x01 && mac[1] == 0x80 && mac[2] == 0xc2 &&
	       mac[3] == 0 && mac[4] == 0 && (mac[5] & 0xf0) == 0;
}

#endif /* XBR_PARSE_H */
