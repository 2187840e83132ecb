// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "lib/log.h"
#include "tests/testlib.h"

int tl_failed, tl_passed;

#define TL_MAX_BRIDGES 8
static struct dp_bridge *tl_bridges[TL_MAX_BRIDGES];
static char tl_names[TL_MAX_BRIDGES][DP_BRIDGE_NAME_MAX + 1];

/* Last resort after a crash: remove the pins by path. */
static void remove_pins(void)
{
	char cmd[128];
	int i;

	for (i = 0; i < TL_MAX_BRIDGES; i++) {
		if (!tl_names[i][0])
			continue;
		snprintf(cmd, sizeof(cmd), "rm -rf %s/%s; rmdir %s 2>/dev/null",
			 DP_PIN_ROOT, tl_names[i], DP_PIN_ROOT);
		if (system(cmd)) {
			/* nothing more to do */
		}
	}
}

static void cleanup(void)
{
	int i;

	for (i = 0; i < TL_MAX_BRIDGES; i++) {
		if (tl_bridges[i])
			dp_bridge_destroy(tl_bridges[i]);
		tl_bridges[i] = NULL;
	}
	remove_pins();
}

static void on_signal(int sig)
{
	remove_pins();
	signal(sig, SIG_DFL);
	raise(sig);
}

void tl_init(const char *test_name)
{
	static const int sigs[] = { SIGINT,  SIGTERM, SIGSEGV, SIGABRT,
				    SIGPIPE, SIGBUS,  SIGHUP,  SIGQUIT };
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	log_init(test_name, getenv("XBR_TEST_DEBUG") ? LOG_DEBUG : LOG_WARNING,
		 false);
	if (geteuid() != 0) {
		printf("SKIP %s: needs root (BPF, network namespaces)\n",
		       test_name);
		exit(TL_SKIP);
	}
	if (unshare(CLONE_NEWNET) < 0) {
		printf("SKIP %s: cannot make a network namespace: %s\n",
		       test_name, strerror(errno));
		exit(TL_SKIP);
	}
	/* No IPv6: its neighbour discovery would add frames of its own to
	 * the counters the tests read. */
	if (system("ip link set lo up && "
		   "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && "
		   "sysctl -qw net.ipv6.conf.default.disable_ipv6=1")) {
		printf("SKIP %s: cannot set up the namespace\n", test_name);
		exit(TL_SKIP);
	}
	atexit(cleanup);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], on_signal);
}

int tl_veth(const char *name, const char *peer)
{
	char cmd[256];

	snprintf(
		cmd, sizeof(cmd),
		"ip link add %s type veth peer name %s && ip link set %s up && ip link set %s up",
		name, peer, name, peer);
	if (system(cmd)) {
		fprintf(stderr, "cannot create veth %s/%s\n", name, peer);
		exit(1);
	}
	return (int)if_nametoindex(name);
}

struct dp_bridge *tl_bridge(const char *prefix, __u32 capacity)
{
	struct dp_bridge_opts o = {
		.sz = sizeof(o),
		.create = true,
		.fdb_capacity = capacity,
	};
	struct dp_bridge *br;
	int i;

	for (i = 0; i < TL_MAX_BRIDGES && tl_names[i][0]; i++)
		;
	if (i == TL_MAX_BRIDGES)
		exit(1);
	snprintf(tl_names[i], sizeof(tl_names[i]), "%s%d", prefix,
		 (int)getpid() % 1000000);
	br = dp_bridge_open(tl_names[i], &o);
	if (!br) {
		fprintf(stderr, "cannot open bridge %s: %s\n", tl_names[i],
			dp_error());
		exit(1);
	}
	tl_bridges[i] = br;
	return br;
}

void tl_bridge_done(struct dp_bridge *br)
{
	int i;

	for (i = 0; i < TL_MAX_BRIDGES; i++) {
		if (tl_bridges[i] != br)
			continue;
		dp_bridge_destroy(br);
		tl_bridges[i] = NULL;
	}
}

void tl_trunk_all(struct dp_bridge *br, int ifindex, __u16 native, __u16 tpid)
{
	struct dp_port_vlan v = { .trunk = true, .tpid = tpid, .pvid = native };

	memset(v.allowed.bits, 0xff, sizeof(v.allowed.bits));
	if (dp_port_set_vlan(br, ifindex, &v)) {
		fprintf(stderr, "trunk: %s\n", dp_error());
		exit(1);
	}
}

void tl_mac(const char *s, __u8 mac[6])
{
	if (dp_mac_parse(s, mac)) {
		fprintf(stderr, "bad MAC in test: %s\n", s);
		exit(1);
	}
}

int tl_frame(const struct tl_frame_spec *s, __u8 *buf)
{
	int full = s->len ? s->len : 64, off = 12;
	__u16 proto = s->proto ? s->proto : 0x88b5;
	__u16 v;

	memset(buf, 0x5a, 1600);
	tl_mac(s->dst, buf);
	tl_mac(s->src, buf + 6);
	if (s->tpid1) {
		v = htons(s->tpid1);
		memcpy(buf + off, &v, 2);
		v = htons((__u16)(s->vid1 | (s->pcp1 << 13)));
		memcpy(buf + off + 2, &v, 2);
		off += 4;
	}
	if (s->tpid2) {
		v = htons(s->tpid2);
		memcpy(buf + off, &v, 2);
		v = htons(s->vid2);
		memcpy(buf + off + 2, &v, 2);
		off += 4;
	}
	v = htons(proto);
	memcpy(buf + off, &v, 2);
	return full;
}

int tl_run(struct dp_bridge *br, int ifindex, const __u8 *frame, int len,
	   struct tl_result *res)
{
	int ret;

	memset(&res->trace, 0, sizeof(res->trace));
	/* traced, not dry: it learns and counts as a real frame does */
	ret = dp_trace_ingress(br, ifindex, frame, (__u32)len, false,
			       &res->trace, res->out, &res->out_len);
	if (ret < 0)
		return ret;
	res->action = (__u32)ret;
	return 0;
}

int tl_finish(void)
{
	printf("%d passed, %d failed\n", tl_passed, tl_failed);
	return tl_failed ? 1 : 0;
}
