/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers for the C tests: a private network namespace, veths, frames,
 * BPF_PROG_RUN, and checks that count failures. */
#ifndef XBR_TESTLIB_H
#define XBR_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "datapath/dp.h"

#define TL_SKIP 77

/* Skip unless root; move into a new network namespace; arrange cleanup
 * of every bridge opened through tl_bridge() on any exit. */
void tl_init(const char *test_name);
/* A veth pair, both ends up; returns the ifindex of `name`. */
int tl_veth(const char *name, const char *peer);
/* Make a port a trunk carrying every VLAN, native VLAN native (0: none),
 * with TPID tpid. */
void tl_trunk_all(struct dp_bridge *br, int ifindex, __u16 native, __u16 tpid);
/* A bridge named uniquely for this run (prefix + pid). */
struct dp_bridge *tl_bridge(const char *prefix, __u32 capacity);
/* Destroy it now (it is also destroyed at exit if still open). */
void tl_bridge_done(struct dp_bridge *br);

struct tl_frame_spec {
	const char *dst;
	const char *src;
	__u16 tpid1, vid1; /* 0: no tag */
	__u16 tpid2, vid2;
	__u8 pcp1;   /* priority bits of the first tag */
	__u16 proto; /* ethertype after the tags; 0: 0x88b5 */
	int len;     /* total length; 0: 64; may cut headers short */
};

/* Build a frame into buf (at least 1600 bytes); returns its length. */
int tl_frame(const struct tl_frame_spec *s, __u8 *buf);

struct tl_result {
	__u32 action;
	struct xbr_trace trace;
	__u8 out[DP_TRACE_FRAME_MAX]; /* the frame as the program left it */
	__u32 out_len;
};

/* Run the ingress program on one frame as if received on ifindex. */
int tl_run(struct dp_bridge *br, int ifindex, const __u8 *frame, int len,
	   struct tl_result *res);

void tl_mac(const char *s, __u8 mac[6]);

/* Checks: print a line for a failure, count it. */
extern int tl_failed, tl_passed;
#define TL_CHECK(cond, ...)                                                  \
	do {                                                                 \
		if (cond) {                                                  \
			tl_passed++;                                         \
		} else {                                                     \
			tl_failed++;                                         \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)
/* Print the closing line and return the exit code. */
int tl_finish(void);

#endif /* XBR_TESTLIB_H */
