// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frames lost after the forwarding decision, counted under a drop reason
 * rather than as forwarded (doc/datapath.md):
 *  - xbr_redirect_err (tp_btf/xdp_redirect_err): the kernel refused a
 *    redirect of the ingress program to one of this bridge's maps (a frame
 *    too big for the egress device, a device gone): "redirect-failed" on
 *    the ingress port;
 *  - xbr_devmap_xmit (tp_btf/xdp_devmap_xmit): a port's device did not
 *    take frames that the egress program passed and counted as sent:
 *    "tx-failed" on that port, and they are taken off its tx counters;
 *    frames sent without the egress program (kernel/direct.h) are counted
 *    here, sent or "tx-failed", from the lengths the ingress program
 *    queued.
 */
#include "direct.h"
#include <bpf/bpf_tracing.h>

/* The kernel's types, only the fields read here (CO-RE relocates them). */
struct net_device {
	int ifindex;
} __attribute__((preserve_access_index));


static __always_inline void direct_unqueue(__u32 ifindex)
{
	struct xbr_direct_queue *q;
	struct xbr_port *p;

	p = bpf_map_lookup_elem(&ports, &ifindex);
	if (!p || !(p->flags & XBR_PORT_F_ENABLED))
		return;
	q = bpf_map_lookup_elem(&direct_queue, &p->slot);
	if (q && q->head != q->tail)
		q->head--;
}

/* A flush of frames the egress program did not see (kernel/direct.h):
 * the first sent of the port's queued lengths were sent, the next drops
 * lost. */
static __always_inline void direct_xmit(__u32 out, __u32 sent, __u32 drops)
{
	struct xbr_direct_queue *q;
	struct xbr_port_stats *st;
	__u32 n, i, tail, ok;
	struct xbr_port *p;
	__u64 bytes = 0;

	p = bpf_map_lookup_elem(&ports, &out);
	if (!p || !(p->flags & XBR_PORT_F_ENABLED))
		return;
	q = bpf_map_lookup_elem(&direct_queue, &p->slot);
	st = bpf_map_lookup_elem(&port_stats, &p->slot);
	if (!q || !st)
		return;
	tail = q->tail;
	n = q->head - tail;
	if (n > sent + drops)
		n = sent + drops;
	ok = n < sent ? n : sent;
	/* the lengths summed in a register, the counters written once */
	for (i = 0; i < XBR_DIRECT_QUEUE; i++) {
		if (i >= ok)
			break;
		bytes += q->len[(tail + i) & (XBR_DIRECT_QUEUE - 1)];
	}
	st->tx_packets += ok;
	st->tx_bytes += bytes;
	st->drops[XBR_DROP_TX] += n - ok;
	q->tail = tail + n;
}

SEC("tp_btf/xdp_redirect_err")
int BPF_PROG(xbr_redirect_err, const struct net_device *dev, const void *xdp,
	     const void *tgt, int err, int map_type, __u32 id, __u32 index)
{
	struct xbr_bridge_cfg *cfg;
	struct xbr_slow_cfg *slow;
	struct xbr_port_stats *st;
	__u32 zero = 0;

	/* Only a redirect to one of this bridge's maps (their ids are
	 * recorded by userspace). */
	cfg = bpf_map_lookup_elem(&bridge_cfg, &zero);
	slow = bpf_map_lookup_elem(&slow_cfg, &zero);
	if (!cfg || !id ||
	    (id != cfg->tx_ports_id && id != cfg->flood_ports_id &&
	     id != cfg->tx_direct_id && id != cfg->flood_defer_id &&
	     !(slow && id == slow->cpumap_id)))
		return 0;
	/* the length the ingress program queued for it goes again: the
	 * frame never reached the device's queue */
	if (id == cfg->tx_direct_id)
		direct_unqueue(index);
	st = stats_of((__u32)dev->ifindex);
	if (st)
		st->drops[XBR_DROP_REDIRECT]++;
	return 0;
}

SEC("tp_btf/xdp_devmap_xmit")
int BPF_PROG(xbr_devmap_xmit, const struct net_device *from_dev,
	     const struct net_device *to_dev, int sent, int drops, int err)
{
	struct xbr_xmit_scratch *x;
	struct xbr_port_stats *st;
	__u32 zero = 0, out, passed, i;

	x = bpf_map_lookup_elem(&xmit_scratch, &zero);
	if (!x)
		return 0;
	out = x->ifindex;
	passed = x->passed;
	x->ifindex = 0; /* this flush is over */
	if (sent < 0 || drops < 0)
		return 0;
	/* A flush in which no egress program of this bridge ran: frames
	 * sent without it, if the port has any queued. */
	if (out != (__u32)to_dev->ifindex) {
		direct_xmit((__u32)to_dev->ifindex, (__u32)sent, (__u32)drops);
		return 0;
	}
	if ((__u32)sent >= passed)
		return 0;
	st = stats_of(out);
	if (!st)
		return 0;
	/* The device took a prefix of the frames; the rest are lost. */
	st->drops[XBR_DROP_TX] += passed - (__u32)sent;
	st->tx_packets -= passed - (__u32)sent;
	for (i = 0; i < XBR_XMIT_BULK; i++)
		if (i >= (__u32)sent && i < passed)
			st->tx_bytes -= x->len[i];
	return 0;
}
