// SPDX-License-Identifier: GPL-2.0-only
/*
 * xbr-pktgen: a packet generator and sink built on XDP, for load-testing a
 * port (this kernel has no pktgen).
 *
 * The generator runs an XDP program through BPF_PROG_RUN with
 * BPF_F_TEST_XDP_LIVE_FRAMES: the program rewrites the addresses of a
 * template frame and returns XDP_TX, which the kernel carries out, so the
 * frame leaves the interface. One thread per CPU makes long calls (each
 * call costs some milliseconds to set up) and is stopped by a signal when
 * the time is up. The sink is an XDP program that counts and drops.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "config.h"
#include "datapath/dp.h"
#include "pktgen.skel.h"
#include "xbr_pktgen.h"

#define MAX_THREADS 64
#define MAX_SINKS   16

struct opts {
	const char *ifname;
	const char *out_ifname;
	const char *sinks;
	int size; /* on the wire, FCS included */
	__u8 src[6], dst[6];
	__u32 n_src, n_dst;
	int vid, pcp;
	int threads;
	double duration, warmup;
	unsigned long long count;
	unsigned long long rate; /* frames per second offered, 0: all it can */
	bool json;
	bool first; /* sink: report when the first frame arrives */
	bool egress_prog; /* forward: an empty egress program on OUT */
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s,
			       .tv_nsec =
				       (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR && !stopping)
		;
}

/* A decimal number, the whole word: 0 or -EINVAL. */
static int parse_ull(const char *w, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(w, &end, 10);
	return !*w || *end || errno || *w == '-' ? -EINVAL : 0;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* Sum the per-CPU counters of a stats map. */
static void read_stats(struct bpf_map *map, __u64 *packets, __u64 *bytes)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	struct pktgen_stats *v = calloc((size_t)ncpu, sizeof(*v));
	__u32 zero = 0;

	*packets = *bytes = 0;
	if (v && !bpf_map_lookup_elem(bpf_map__fd(map), &zero, v)) {
		for (i = 0; i < ncpu; i++) {
			*packets += v[i].packets;
			*bytes += v[i].bytes;
		}
	}
	free(v);
}

/* ---- the frame ---- */

static __u16 ip_csum(const __u8 *h, int len)
{
	__u32 sum = 0;
	int i;

	for (i = 0; i < len; i += 2)
		sum += (__u32)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* A UDP datagram from 198.18.0.1 to 198.18.0.2 (RFC 2544's range). */
static int build_frame(const struct opts *o, __u8 *f)
{
	int len = o->size - 4, off = 12, ip;
	__u16 csum;

	memset(f, 0, (size_t)len);
	memcpy(f, o->dst, 6);
	memcpy(f + 6, o->src, 6);
	if (o->vid >= 0) {
		f[off] = 0x81;
		f[off + 1] = 0x00;
		f[off + 2] = (__u8)((o->pcp << 5) | (o->vid >> 8));
		f[off + 3] = (__u8)o->vid;
		off += 4;
	}
	f[off] = 0x08;
	f[off + 1] = 0x00;
	ip = off + 2;
	f[ip] = 0x45;
	f[ip + 2] = (__u8)((len - ip) >> 8);
	f[ip + 3] = (__u8)(len - ip);
	f[ip + 8] = 64;
	f[ip + 9] = 17;
	memcpy(f + ip + 12, (__u8[]){ 198, 18, 0, 1 }, 4);
	memcpy(f + ip + 16, (__u8[]){ 198, 18, 0, 2 }, 4);
	csum = ip_csum(f + ip, 20);
	f[ip + 10] = (__u8)(csum >> 8);
	f[ip + 11] = (__u8)csum;
	f[ip + 20] = 0x04; /* ports 1234 -> 5678 */
	f[ip + 21] = 0xd2;
	f[ip + 22] = 0x16;
	f[ip + 23] = 0x2e;
	f[ip + 24] = (__u8)((len - ip - 20) >> 8);
	f[ip + 25] = (__u8)(len - ip - 20);
	return len;
}

/* ---- generator threads ---- */

struct gen_thread {
	pthread_t tid;
	int cpu, queue, prog_fd, ifindex, len;
	const __u8 *frame;
	unsigned long long repeat; /* 0: until stopped */
	unsigned long long pps;	   /* this thread's paced rate, 0: none */
	int err;
};

/* Paced: a tenth of a second's frames at a time, each chunk sent when
 * its time has come, so that the offered rate is pps on average. */
static __u32 gen_chunk(struct gen_thread *t, unsigned long long sent, double t0)
{
	unsigned long long chunk = t->pps / 10 ? t->pps / 10 : 1;
	double due = t0 + (double)sent / (double)t->pps, now = now_s();

	if (due > now)
		sleep_s(due - now);
	if (t->repeat && chunk > t->repeat - sent)
		chunk = t->repeat - sent;
	return (__u32)chunk;
}

static void *gen_main(void *arg)
{
	struct gen_thread *t = arg;
	struct xdp_md ctx = {
		.data_end = (__u32)t->len,
		.ingress_ifindex = (__u32)t->ifindex,
		.rx_queue_index = (__u32)t->queue,
	};
	unsigned long long sent = 0;
	double t0 = now_s();
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(t->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	while (!stopping) {
		LIBBPF_OPTS(bpf_test_run_opts, ro, .data_in = t->frame,
			    .data_size_in = (__u32)t->len, .ctx_in = &ctx,
			    .ctx_size_in = sizeof(ctx),
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
			    .batch_size = 64);

		ro.repeat = t->repeat ? (__u32)t->repeat : 0x7fffffff;
		if (t->pps)
			ro.repeat = gen_chunk(t, sent, t0);
		if ((__u32)ro.repeat < ro.batch_size)
			ro.batch_size = (__u32)ro.repeat;
		if (bpf_prog_test_run_opts(t->prog_fd, &ro) && errno != EINTR) {
			t->err = -errno;
			break;
		}
		sent += ro.repeat;
		if (t->repeat && (!t->pps || sent >= t->repeat))
			break;
	}
	return NULL;
}

/* ---- sinks ---- */

struct sink {
	char name[IF_NAMESIZE];
	struct pktgen *skel;
	struct bpf_link *link;
	__u64 p0, b0;
};

static int sinks_attach(const char *list, struct sink *s, int max)
{
	char buf[512], *sp, *name;
	int n = 0, ifindex;

	snprintf(buf, sizeof(buf), "%s", list);
	for (name = strtok_r(buf, ",", &sp); name && n < max;
	     name = strtok_r(NULL, ",", &sp)) {
		ifindex = (int)if_nametoindex(name);
		if (!ifindex) {
			fprintf(stderr, "xbr-pktgen: no interface named %s\n",
				name);
			return -ENODEV;
		}
		snprintf(s[n].name, sizeof(s[n].name), "%s", name);
		s[n].skel = pktgen__open_and_load();
		if (!s[n].skel)
			return -errno;
		s[n].link = bpf_program__attach_xdp(s[n].skel->progs.xbr_sink,
						    ifindex);
		if (!s[n].link) {
			fprintf(stderr,
				"xbr-pktgen: cannot attach the sink to %s: %s\n",
				name, strerror(errno));
			pktgen__destroy(s[n].skel);
			return -errno;
		}
		n++;
	}
	return n;
}

static void sinks_mark(struct sink *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		read_stats(s[i].skel->maps.stats, &s[i].p0, &s[i].b0);
}

/* Frames (and bytes, when perb) each sink counted since the mark. */
static __u64 sinks_delta(struct sink *s, int n, __u64 *per, __u64 *perb)
{
	__u64 p, b, total = 0;
	int i;

	for (i = 0; i < n; i++) {
		read_stats(s[i].skel->maps.stats, &p, &b);
		per[i] = p - s[i].p0;
		if (perb)
			perb[i] = b - s[i].b0;
		total += per[i];
	}
	return total;
}

static void sinks_detach(struct sink *s, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		bpf_link__destroy(s[i].link);
		pktgen__destroy(s[i].skel);
	}
}

/* ---- commands ---- */

static int cmd_run(struct opts *o)
{
	struct gen_thread th[MAX_THREADS] = { 0 };
	struct sink sinks[MAX_SINKS] = { 0 };
	__u64 g0, g1, gb, delivered = 0, per[MAX_SINKS] = { 0 };
	__u64 perb[MAX_SINKS] = { 0 };
	int ifindex, len, i, nsinks = 0, ncpu, err = 0;
	struct pktgen *gen;
	double t0, t1, secs;
	__u8 frame[1600];

	ifindex = (int)if_nametoindex(o->ifname);
	if (!ifindex) {
		fprintf(stderr, "xbr-pktgen: no interface named %s\n",
			o->ifname);
		return 1;
	}
	ncpu = libbpf_num_possible_cpus();
	if (o->threads < 1 || o->threads > MAX_THREADS || o->threads > ncpu) {
		fprintf(stderr, "xbr-pktgen: threads must be 1 to %d\n", ncpu);
		return 2;
	}
	if (o->sinks) {
		nsinks = sinks_attach(o->sinks, sinks, MAX_SINKS);
		if (nsinks < 0)
			return 1;
	}
	gen = pktgen__open();
	if (!gen) {
		err = -errno;
		goto out_sinks;
	}
	gen->rodata->n_src = o->n_src;
	gen->rodata->n_dst = o->n_dst;
	if (pktgen__load(gen)) {
		fprintf(stderr, "xbr-pktgen: cannot load the generator\n");
		err = -EINVAL;
		goto out_gen;
	}
	len = build_frame(o, frame);
	for (i = 0; i < o->threads; i++) {
		th[i].cpu = i;
		th[i].queue = i;
		th[i].prog_fd = bpf_program__fd(gen->progs.xbr_pktgen);
		th[i].ifindex = ifindex;
		th[i].frame = frame;
		th[i].len = len;
		th[i].repeat = o->count ? (o->count + (unsigned)o->threads -
					   1) / (unsigned)o->threads
					: 0;
		th[i].pps = (o->rate + (unsigned)o->threads - 1) /
			    (unsigned)o->threads;
		pthread_create(&th[i].tid, NULL, gen_main, &th[i]);
	}
	if (!o->count) {
		sleep_s(o->warmup);
	}
	read_stats(gen->maps.stats, &g0, &gb);
	sinks_mark(sinks, nsinks);
	t0 = now_s();
	if (!o->count) {
		sleep_s(o->duration);
		stopping = 1;
		for (i = 0; i < o->threads; i++)
			pthread_kill(th[i].tid, SIGUSR1);
	}
	for (i = 0; i < o->threads; i++) {
		pthread_join(th[i].tid, NULL);
		if (th[i].err && !err) {
			err = th[i].err;
			fprintf(stderr, "xbr-pktgen: BPF_PROG_RUN: %s\n",
				strerror(-err));
		}
	}
	t1 = now_s();
	read_stats(gen->maps.stats, &g1, &gb);
	/* what is still in flight reaches the sinks now */
	if (nsinks)
		sleep_s(0.1);
	delivered = sinks_delta(sinks, nsinks, per, perb);
	secs = t1 - t0;
	if (o->json) {
		printf("{\"interface\":\"%s\",\"size\":%d,\"threads\":%d,"
		       "\"seconds\":%.3f,\"injected\":%llu,\"injected_mpps\":%.4f",
		       o->ifname, o->size, o->threads, secs,
		       (unsigned long long)(g1 - g0),
		       (double)(g1 - g0) / secs / 1e6);
		if (nsinks) {
			printf(",\"delivered\":%llu,\"delivered_mpps\":%.4f,\"sinks\":{",
			       (unsigned long long)delivered,
			       (double)delivered / secs / 1e6);
			for (i = 0; i < nsinks; i++)
				printf("%s\"%s\":%llu", i ? "," : "",
				       sinks[i].name,
				       (unsigned long long)per[i]);
			/* bytes as received (no FCS): tells tagged frames */
			printf("},\"sink_bytes\":{");
			for (i = 0; i < nsinks; i++)
				printf("%s\"%s\":%llu", i ? "," : "",
				       sinks[i].name,
				       (unsigned long long)perb[i]);
			printf("}");
		}
		printf("}\n");
	} else {
		printf("injected  %llu frames of %d bytes in %.2f s: %.3f Mpps (%d thread%s)\n",
		       (unsigned long long)(g1 - g0), o->size, secs,
		       (double)(g1 - g0) / secs / 1e6, o->threads,
		       o->threads > 1 ? "s" : "");
		for (i = 0; i < nsinks; i++)
			printf("delivered %llu frames to %s: %.3f Mpps\n",
			       (unsigned long long)per[i], sinks[i].name,
			       (double)per[i] / secs / 1e6);
	}
out_gen:
	pktgen__destroy(gen);
out_sinks:
	sinks_detach(sinks, nsinks);
	return err ? 1 : 0;
}

static int cmd_sink(struct opts *o)
{
	struct sink sinks[MAX_SINKS] = { 0 };
	__u64 per[MAX_SINKS], last = 0, total;
	double t0 = now_s(), end = o->duration > 0 ? t0 + o->duration : 0;
	int n = sinks_attach(o->ifname, sinks, MAX_SINKS), i;

	if (n < 0)
		return 1;
	sinks_mark(sinks, n);
	if (o->first) {
		printf("ready\n");
		fflush(stdout);
		while (!stopping && (!end || now_s() < end) &&
		       !sinks_delta(sinks, n, per, NULL))
			sleep_s(0.0002);
		printf("first frame at %.6f\n", now_s());
		sinks_detach(sinks, n);
		return 0;
	}
	while (!stopping && (!end || now_s() < end)) {
		sleep_s(1);
		total = sinks_delta(sinks, n, per, NULL);
		printf("%.0f s: %.3f Mpps", now_s() - t0,
		       (double)(total - last) / 1e6);
		for (i = 0; i < n; i++)
			printf("  %s %llu", sinks[i].name,
			       (unsigned long long)per[i]);
		printf("\n");
		fflush(stdout);
		last = total;
	}
	sinks_detach(sinks, n);
	return 0;
}

static int cmd_forward(struct opts *o)
{
	int in = (int)if_nametoindex(o->ifname);
	int out = o->out_ifname ? (int)if_nametoindex(o->out_ifname) : 0;
	struct bpf_link *link;
	struct pktgen *skel;
	struct bpf_devmap_val oi = { .ifindex = (__u32)out };
	__u32 zero = 0;

	if (!in || !out) {
		fprintf(stderr, "xbr-pktgen: forward needs -i IN and -o OUT\n");
		return 2;
	}
	skel = pktgen__open_and_load();
	if (!skel)
		return 1;
	if (o->egress_prog)
		oi.bpf_prog.fd = bpf_program__fd(skel->progs.xbr_fwd_egress);
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.fwd_port), &zero, &oi,
				BPF_ANY)) {
		fprintf(stderr, "xbr-pktgen: %s: %s\n", o->out_ifname,
			strerror(errno));
		pktgen__destroy(skel);
		return 1;
	}
	link = bpf_program__attach_xdp(skel->progs.xbr_fwd, in);
	if (!link) {
		fprintf(stderr, "xbr-pktgen: cannot attach to %s: %s\n",
			o->ifname, strerror(errno));
		pktgen__destroy(skel);
		return 1;
	}
	printf("forwarding %s -> %s\n", o->ifname, o->out_ifname);
	fflush(stdout);
	if (o->duration > 0)
		sleep_s(o->duration);
	else
		while (!stopping)
			pause();
	bpf_link__destroy(link);
	pktgen__destroy(skel);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xbr-pktgen run -i IFNAME [options]   send frames out of IFNAME\n"
		"       xbr-pktgen sink -i IF[,IF...] [-d SEC]  count and drop what arrives\n"
		"       xbr-pktgen forward -i IN -o OUT [-d SEC] [--egress-program]\n"
		"                                    bare XDP redirect (a ceiling), optionally\n"
		"                                    through an egress program that does nothing\n"
		"       xbr-pktgen -V | --version | -h | --help\n"
		"\n"
		"run options:\n"
		"  -s, --size BYTES      frame size on the wire, FCS included (64-1518; 64)\n"
		"      --src MAC         first source address (02:00:00:01:00:00)\n"
		"      --dst MAC         first destination address (02:00:00:02:00:00)\n"
		"      --src-macs N      distinct sources, cycled (1); the second byte\n"
		"                        of a source is the sending CPU\n"
		"      --dst-macs N      distinct destinations, cycled (1)\n"
		"      --vlan VID        an 802.1Q tag; --pcp P its priority (0)\n"
		"  -t, --threads N       one per CPU from CPU 0 (1); use a veth with as\n"
		"                        many queues, made so from the start\n"
		"  -d, --duration SEC    how long (5)\n"
		"  -n, --count N         about N frames instead of a duration\n"
		"  -r, --rate PPS        offer PPS frames a second, paced (as fast\n"
		"                        as it can without)\n"
		"      --warmup SEC      run before measuring (0.5)\n"
		"      --sink IF[,IF...] attach sinks there and report what arrives\n"
		"  -j, --json            one JSON object\n"
		"\n"
		"sink options:\n"
		"  -d, --duration SEC    how long (until interrupted)\n"
		"      --first           print \"ready\", then the CLOCK_MONOTONIC time at\n"
		"                        which the first frame arrives, and exit\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "size", required_argument, NULL, 's' },
		{ "src", required_argument, NULL, 'S' },
		{ "dst", required_argument, NULL, 'D' },
		{ "src-macs", required_argument, NULL, 'A' },
		{ "dst-macs", required_argument, NULL, 'B' },
		{ "vlan", required_argument, NULL, 'v' },
		{ "pcp", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "duration", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "rate", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "sink", required_argument, NULL, 'K' },
		{ "json", no_argument, NULL, 'j' },
		{ "first", no_argument, NULL, 'F' },
		{ "egress-program", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct opts o = {
		.size = 64,
		.n_src = 1,
		.n_dst = 1,
		.vid = -1,
		.threads = 1,
		.duration = 0,
		.warmup = 0.5,
		.src = { 0x02, 0, 0, 0x01, 0, 0 },
		.dst = { 0x02, 0, 0, 0x02, 0, 0 },
	};
	struct sigaction sa = { .sa_handler = on_signal };
	const char *cmd;
	int c;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("xbr-pktgen %s\n", PACKAGE_VERSION);
		return 0;
	}
	cmd = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "i:o:s:t:d:n:r:jh", lo, NULL)) !=
	       -1) {
		switch (c) {
		case 'i':
			o.ifname = optarg;
			break;
		case 'o':
			o.out_ifname = optarg;
			break;
		case 's':
			o.size = atoi(optarg);
			break;
		case 'S':
		case 'D':
			if (dp_mac_parse(optarg, c == 'S' ? o.src : o.dst)) {
				fprintf(stderr, "xbr-pktgen: %s\n", dp_error());
				return 2;
			}
			break;
		case 'A':
			o.n_src = (__u32)strtoul(optarg, NULL, 0);
			break;
		case 'B':
			o.n_dst = (__u32)strtoul(optarg, NULL, 0);
			break;
		case 'v':
			o.vid = atoi(optarg);
			break;
		case 'p':
			o.pcp = atoi(optarg);
			break;
		case 't':
			o.threads = atoi(optarg);
			break;
		case 'd':
			o.duration = atof(optarg);
			break;
		case 'n':
			o.count = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			if (parse_ull(optarg, &o.rate) || !o.rate) {
				fprintf(stderr,
					"xbr-pktgen: --rate takes frames a second, 1 or more\n");
				return 2;
			}
			break;
		case 'w':
			o.warmup = atof(optarg);
			break;
		case 'K':
			o.sinks = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 'F':
			o.first = true;
			break;
		case 'E':
			o.egress_prog = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!o.ifname || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (o.size < 64 || o.size > 1518 || o.n_src < 1 || o.n_dst < 1 ||
	    o.n_src > (1U << 24) || o.n_dst > (1U << 24) || o.vid > 4095 ||
	    o.pcp < 0 || o.pcp > 7 || o.duration < 0 || o.warmup < 0) {
		fprintf(stderr,
			"xbr-pktgen: a value is out of range (see --help)\n");
		return 2;
	}
	libbpf_set_print(libbpf_quiet);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!strcmp(cmd, "run")) {
		if (!o.duration)
			o.duration = 5;
		return cmd_run(&o);
	}
	if (!strcmp(cmd, "sink"))
		return cmd_sink(&o);
	if (!strcmp(cmd, "forward"))
		return cmd_forward(&o);
	usage(stderr);
	return 2;
}
