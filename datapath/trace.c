// SPDX-License-Identifier: GPL-2.0-only
/*
 * The packet trace (doc/events.md, "Packet trace"): a frame run through
 * the loaded programs with BPF_PROG_RUN, nothing sent. The ingress
 * program runs dry (kernel/trace.h: it learns and counts nothing); the
 * egress decision of each port the frame would leave by comes from the
 * egress program's own code, compiled into the plain XDP program
 * xbr_trace_egress (the kernel does not run a devmap program on demand).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"

#define META_LEN sizeof(struct xbr_trace_meta)

/* One frame through prog as received by port in; for the egress program,
 * leaving by port out. The decision in *rec, the frame as the program left
 * it in out (*out_len), the verdict in *action. */
static int trace_run(struct bpf_program *prog, __u32 in, __u32 port,
		     __u32 flags, const void *frame, __u32 len,
		     struct xbr_trace *rec, void *out, __u32 *out_len,
		     __u32 *action)
{
	__u8 data_in[META_LEN + DP_TRACE_FRAME_MAX];
	__u8 data_out[META_LEN + DP_TRACE_FRAME_MAX + 8];
	struct xbr_trace_meta m = {
		.magic = XBR_TRACE_MAGIC,
		.flags = flags,
		.port = port,
	};
	struct xdp_md ctx_in = {
		.data = META_LEN,
		.data_end = META_LEN + len,
		.ingress_ifindex = in,
	};
	struct xdp_md ctx_out = {};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data_in,
		    .data_size_in = META_LEN + len, .data_out = data_out,
		    .data_size_out = sizeof(data_out), .ctx_in = &ctx_in,
		    .ctx_size_in = sizeof(ctx_in), .ctx_out = &ctx_out,
		    .ctx_size_out = sizeof(ctx_out), .repeat = 1);

	if (len < DP_TRACE_FRAME_MIN || len > DP_TRACE_FRAME_MAX)
		return dp_fail(-EINVAL, "a frame of %u bytes: want %d to %d",
			       len, DP_TRACE_FRAME_MIN, DP_TRACE_FRAME_MAX);
	memcpy(data_in, &m, META_LEN);
	memcpy(data_in + META_LEN, frame, len);
	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &o))
		return dp_fail(-errno,
			       "cannot run the frame through the datapath: %s",
			       strerror(errno));
	if (o.data_size_out < META_LEN || ctx_out.data != META_LEN ||
	    ctx_out.data_end > o.data_size_out ||
	    ctx_out.data_end < ctx_out.data)
		return dp_fail(-EIO, "the datapath returned no trace");
	memcpy(&m, data_out, META_LEN);
	if (m.magic != XBR_TRACE_MAGIC || !m.rec.decided)
		return dp_fail(-EIO, "the datapath recorded no decision");
	*rec = m.rec;
	*action = o.retval;
	if (out) {
		*out_len = ctx_out.data_end - ctx_out.data;
		memcpy(out, data_out + ctx_out.data, *out_len);
	}
	return 0;
}

int dp_trace_ingress(struct dp_bridge *br, int ifindex, const void *frame,
		     __u32 len, bool dry, struct xbr_trace *rec, void *out,
		     __u32 *out_len)
{
	__u32 action;
	int err;

	err = trace_run(br->skel->progs.xbr_ingress, (__u32)ifindex, 0,
			dry ? XBR_TRACE_F_DRY : 0, frame, len, rec, out,
			out_len, &action);
	return err ? err : (int)action;
}

/* What port out does with the frame that port in received. */
static int trace_egress(struct dp_bridge *br, __u32 in, __u32 out,
			const void *frame, __u32 len, struct dp_trace_out *t)
{
	struct xbr_trace rec;
	__u32 action;
	int err;

	t->ifindex = out;
	err = trace_run(br->skel->progs.xbr_trace_egress, in, out, 0, frame,
			len, &rec, t->frame, &t->len, &action);
	if (err)
		return err;
	t->reason = action == XDP_PASS ? XBR_DROP_NONE : rec.reason;
	if (t->reason)
		t->len = 0;
	return 0;
}

static int cmp_out(const void *a, const void *b)
{
	const struct dp_trace_out *x = a, *y = b;

	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

/* The flood: a copy to every port of the flood devmap but the one it came
 * in by (BPF_F_EXCLUDE_INGRESS), each made what its port sends. */
static int trace_flood(struct dp_bridge *br, __u32 in, const void *frame,
		       __u32 len, struct dp_trace *t)
{
	int fd = bpf_map__fd(br->skel->maps.flood_ports);
	__u32 key, next, *keys;
	int n = 0, i, err = 0;
	bool first = true;

	keys = calloc(XBR_MAX_PORTS, sizeof(*keys));
	if (!keys)
		return dp_fail(-ENOMEM, "out of memory");
	while (n < XBR_MAX_PORTS &&
	       !bpf_map_get_next_key(fd, first ? NULL : &key, &next)) {
		first = false;
		key = next;
		if (key != in)
			keys[n++] = key;
	}
	t->out = calloc(n ? (size_t)n : 1, sizeof(*t->out));
	if (!t->out) {
		free(keys);
		return dp_fail(-ENOMEM, "out of memory");
	}
	for (i = 0; i < n && !err; i++)
		err = trace_egress(br, in, keys[i], frame, len, &t->out[i]);
	t->nout = i;
	free(keys);
	qsort(t->out, (size_t)t->nout, sizeof(*t->out), cmp_out);
	return err;
}

int dp_trace(struct dp_bridge *br, int ifindex, const void *frame, __u32 len,
	     struct dp_trace *t)
{
	const __u8 *f = frame;
	struct xbr_port p;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = dp_port_need(br, (__u32)ifindex, &p);
	if (ret)
		return ret;
	ret = dp_trace_ingress(br, ifindex, frame, len, true, &t->rec, NULL,
			       NULL);
	if (ret < 0)
		return ret;
	t->action = (__u32)ret;
	if (t->rec.vid && t->rec.vid <= XBR_VID_MAX) {
		t->dst_known = !dp_fdb_lookup(br, f, t->rec.vid, &t->dst);
		t->src_known = !dp_fdb_lookup(br, f + 6, t->rec.vid, &t->src);
	}
	switch (t->rec.kind) {
	case XBR_FWD_FLOOD:
		return trace_flood(br, (__u32)ifindex, frame, len, t);
	case XBR_FWD_UNICAST:
	case XBR_FWD_SLOW:
		if (!t->rec.egress)
			return 0;
		t->out = calloc(1, sizeof(*t->out));
		if (!t->out)
			return dp_fail(-ENOMEM, "out of memory");
		t->nout = 1;
		return trace_egress(br, (__u32)ifindex, t->rec.egress, frame,
				    len, t->out);
	default:
		return 0;
	}
}

void dp_trace_free(struct dp_trace *t)
{
	free(t->out);
	t->out = NULL;
	t->nout = 0;
}
