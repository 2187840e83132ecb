// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bridge's FDB events (doc/events.md): the ring buffer that the
 * learning path writes, read in bounded batches.
 */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"

/* The callback stops a read after this many events: the caller's loop
 * serves its other work, and reads again (the fd stays readable). */
#define DP_EVENTS_BATCH 4096
#define DP_EVENTS_STOP	(-EAGAIN)

static int event_sample(void *ctx, void *data, size_t len)
{
	struct dp_bridge *br = ctx;

	if (len < sizeof(struct xbr_event))
		return 0;
	br->ev_cb((const struct xbr_event *)data, br->ev_ctx);
	return ++br->ev_read >= DP_EVENTS_BATCH ? DP_EVENTS_STOP : 0;
}

int dp_events_open(struct dp_bridge *br, dp_event_cb cb, void *ctx)
{
	if (!br->ev_rb) {
		br->ev_rb = ring_buffer__new(bpf_map__fd(br->skel->maps.events),
					     event_sample, br, NULL);
		if (!br->ev_rb)
			return dp_fail(
				-errno,
				"cannot read the events of bridge %s: %s",
				br->name, strerror(errno));
	}
	br->ev_cb = cb;
	br->ev_ctx = ctx;
	return ring_buffer__epoll_fd(br->ev_rb);
}

int dp_events_read(struct dp_bridge *br)
{
	int err;

	if (!br->ev_rb)
		return 0;
	br->ev_read = 0;
	err = ring_buffer__consume(br->ev_rb);
	if (err < 0 && err != DP_EVENTS_STOP)
		return dp_fail(err, "cannot read the events of bridge %s: %s",
			       br->name, strerror(-err));
	return br->ev_read;
}

void dp_events_close(struct dp_bridge *br)
{
	ring_buffer__free(br->ev_rb);
	br->ev_rb = NULL;
}
