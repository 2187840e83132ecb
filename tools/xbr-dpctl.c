// SPDX-License-Identifier: GPL-2.0-only
/*
 * xbr-dpctl: drive the datapath library directly, for development, the
 * integration tests and the demo. It bypasses xbr-switchd and its
 * configuration store.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datapath/dp.h"
#include "lib/log.h"

static const char *pin_root = DP_PIN_ROOT;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xbr-dpctl [-r PIN_ROOT] [-d] BRIDGE COMMAND [ARGS]\n"
		"\n"
		"  BRIDGE create [--fdb-capacity N]\n"
		"  BRIDGE destroy\n"
		"  BRIDGE port add IFNAME [--pvid N] [--learn-limit N] [--no-learn]\n"
		"                         [--native|--generic]\n"
		"  BRIDGE port remove IFNAME\n"
		"  BRIDGE port learn-limit IFNAME N\n"
		"  BRIDGE port down IFNAME on|off     (takes and sends nothing)\n"
		"  BRIDGE port isolated IFNAME on|off\n"
		"  BRIDGE port protect IFNAME on|off  (drop sources the limit refuses)\n"
		"  BRIDGE port stp-state IFNAME forwarding|learning|discarding\n"
		"  BRIDGE port flood-off IFNAME none|KIND[,KIND..]  (unknown-unicast,\n"
		"                         multicast, broadcast: the floods it refuses)\n"
		"  BRIDGE port storm IFNAME broadcast|multicast|unknown-unicast PPS\n"
		"                         (storm control; 0: none)\n"
		"  BRIDGE port mirror IFNAME rx|tx|both DEST  (a source: copies to DEST)\n"
		"  BRIDGE port mirror IFNAME destination [TX_SOURCE]\n"
		"  BRIDGE port mirror IFNAME none\n"
		"  BRIDGE ports\n"
		"  BRIDGE learn-limit N\n"
		"  BRIDGE fdb show [--port IFNAME] [--vlan N]\n"
		"  BRIDGE fdb add MAC VLAN IFNAME      (a static entry)\n"
		"  BRIDGE fdb del MAC VLAN\n"
		"  BRIDGE fdb flush [--port IFNAME] [--vlan N] [--static]\n"
		"  BRIDGE fdb age SECONDS\n"
		"  BRIDGE fdb fill COUNT IFNAME [VLAN]  (learned entries 02:xx:.., for load tests)\n"
		"  BRIDGE stats [IFNAME]\n"
		"\n"
		"  -r PIN_ROOT  where bridges are pinned (default %s)\n"
		"  -d           debug logging (libbpf and the verifier)\n",
		DP_PIN_ROOT);
}

static int fail(const char *what)
{
	fprintf(stderr, "xbr-dpctl: %s%s%s\n", what, *dp_error() ? ": " : "",
		dp_error());
	return 1;
}

static int parse_u32(const char *s, const char *what, __u32 max, __u32 *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = s ? strtoul(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || v > max || s[0] == '-') {
		fprintf(stderr, "xbr-dpctl: invalid %s '%s' (0 to %u)\n", what,
			s ? s : "", max);
		return -EINVAL;
	}
	*out = (__u32)v;
	return 0;
}

static int ifindex_of(const char *name)
{
	unsigned int i = if_nametoindex(name);

	if (!i)
		fprintf(stderr, "xbr-dpctl: no interface named '%s'\n", name);
	return (int)i;
}

static const char *mode_name(enum dp_xdp_mode m)
{
	return m == DP_XDP_NATIVE    ? "native"
	       : m == DP_XDP_GENERIC ? "generic"
				     : "-";
}

static int cmd_port_add(struct dp_bridge *br, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "pvid", required_argument, NULL, 'p' },
		{ "learn-limit", required_argument, NULL, 'l' },
		{ "no-learn", no_argument, NULL, 'n' },
		{ "native", no_argument, NULL, 'N' },
		{ "generic", no_argument, NULL, 'G' },
		{}
	};
	struct dp_port_opts o = { .sz = sizeof(o) };
	enum dp_xdp_mode mode;
	__u32 v;
	int c, ifindex;

	optind = 0; /* glibc: reinitialise, argv[0] is the subcommand */
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_u32(optarg, "VLAN", XBR_VID_MAX, &v) || !v)
				return 2;
			o.pvid = (__u16)v;
			break;
		case 'l':
			if (parse_u32(optarg, "limit", UINT32_MAX, &v))
				return 2;
			o.learn_limit = v;
			break;
		case 'n':
			o.no_learn = true;
			break;
		case 'N':
			o.mode = DP_XDP_NATIVE;
			break;
		case 'G':
			o.mode = DP_XDP_GENERIC;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	ifindex = ifindex_of(argv[optind]);
	if (!ifindex)
		return 1;
	if (dp_port_add(br, ifindex, &o, &mode))
		return fail("port add");
	printf("%s: added to %s (%s XDP)\n", argv[optind], dp_bridge_name(br),
	       mode_name(mode));
	return 0;
}

static int cmd_ports(struct dp_bridge *br)
{
	struct dp_port_info p[XBR_MAX_PORTS];
	int i, n = dp_port_list(br, p, XBR_MAX_PORTS);

	printf("%-16s %8s %5s %5s %8s %7s %5s %s\n", "port", "ifindex", "slot",
	       "pvid", "xdp", "learn", "down", "limit");
	for (i = 0; i < n; i++) {
		printf("%-16s %8u %5u %5u %8s %7s %5s ",
		       p[i].attached ? p[i].name : "(absent)", p[i].ifindex,
		       p[i].port.slot, p[i].port.pvid, mode_name(p[i].mode),
		       p[i].port.flags & XBR_PORT_F_LEARN ? "on" : "off",
		       p[i].port.flags & XBR_PORT_F_DOWN ? "yes" : "no");
		if (p[i].port.learn_limit)
			printf("%u\n", p[i].port.learn_limit);
		else
			printf("-\n");
	}
	return 0;
}

struct show_ctx {
	int ifindex;
	__u16 vid;
	unsigned long n;
};

static int show_one(const struct dp_fdb_entry *e, void *ctx)
{
	struct show_ctx *s = ctx;
	char mac[18], name[IF_NAMESIZE];

	if ((s->ifindex && (int)e->ifindex != s->ifindex) ||
	    (s->vid && e->vid != s->vid))
		return 0;
	dp_mac_format(e->mac, mac);
	if (!if_indextoname(e->ifindex, name))
		snprintf(name, sizeof(name), "#%u", e->ifindex);
	printf("%-17s %5u %-16s %-7s %llu\n", mac, e->vid, name,
	       e->flags & XBR_FDB_F_STATIC ? "static" : "dynamic",
	       e->age_ns / 1000000000ULL);
	s->n++;
	return 0;
}

/* --port IFNAME, --vlan N and --static, shared by fdb show and flush. */
static int fdb_filter_args(int argc, char **argv, struct dp_fdb_filter *f)
{
	static const struct option lo[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "vlan", required_argument, NULL, 'v' },
		{ "static", no_argument, NULL, 's' },
		{}
	};
	__u32 v;
	int c;

	optind = 0; /* glibc: reinitialise, argv[0] is the subcommand */
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			f->ifindex = ifindex_of(optarg);
			if (!f->ifindex)
				return -ENODEV;
			break;
		case 'v':
			if (parse_u32(optarg, "VLAN", XBR_VID_MAX, &v) || !v)
				return -EINVAL;
			f->vid = (__u16)v;
			break;
		case 's':
			f->include_static = true;
			break;
		default:
			return -EINVAL;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

static int cmd_fdb(struct dp_bridge *br, int argc, char **argv)
{
	struct dp_fdb_filter f = {};
	__u8 mac[6];
	__u32 v;
	int ifindex, n;

	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[0], "show")) {
		struct show_ctx s = {};

		if (fdb_filter_args(argc, argv, &f))
			return 2;
		s.ifindex = f.ifindex;
		s.vid = f.vid;
		printf("%-17s %5s %-16s %-7s %s\n", "mac", "vlan", "port",
		       "type", "age(s)");
		if (dp_fdb_dump(br, show_one, &s))
			return fail("fdb show");
		printf("%lu entries\n", s.n);
		return 0;
	}
	if (!strcmp(argv[0], "add") && argc == 4) {
		if (dp_mac_parse(argv[1], mac))
			return fail("fdb add");
		if (parse_u32(argv[2], "VLAN", XBR_VID_MAX, &v))
			return 2;
		ifindex = ifindex_of(argv[3]);
		if (!ifindex)
			return 1;
		if (dp_fdb_add_static(br, mac, (__u16)v, ifindex))
			return fail("fdb add");
		return 0;
	}
	if (!strcmp(argv[0], "del") && argc == 3) {
		if (dp_mac_parse(argv[1], mac))
			return fail("fdb del");
		if (parse_u32(argv[2], "VLAN", XBR_VID_MAX, &v))
			return 2;
		if (dp_fdb_del(br, mac, (__u16)v))
			return fail("fdb del");
		return 0;
	}
	if (!strcmp(argv[0], "flush")) {
		if (fdb_filter_args(argc, argv, &f))
			return 2;
		n = dp_fdb_flush(br, &f);
		if (n < 0)
			return fail("fdb flush");
		printf("%d entries removed\n", n);
		return 0;
	}
	if (!strcmp(argv[0], "fill") && (argc == 3 || argc == 4)) {
		__u32 count, i, added = 0;
		__u32 vid = 1;

		if (parse_u32(argv[1], "count", 1U << 26, &count) ||
		    (argc == 4 &&
		     parse_u32(argv[3], "VLAN", XBR_VID_MAX, &vid)))
			return 2;
		ifindex = ifindex_of(argv[2]);
		if (!ifindex)
			return 1;
		for (i = 0; i < count; i++) {
			__u8 m[6] = { 0x02,
				      0xfe,
				      (__u8)(i >> 24),
				      (__u8)(i >> 16),
				      (__u8)(i >> 8),
				      (__u8)i };
			int e = dp_fdb_learn(br, m, (__u16)vid, ifindex);

			if (e == -EEXIST)
				continue;
			if (e)
				return fail("fdb fill");
			added++;
		}
		printf("%u entries added\n", added);
		return 0;
	}
	if (!strcmp(argv[0], "age") && argc == 2) {
		if (parse_u32(argv[1], "seconds", 1000000, &v))
			return 2;
		n = dp_fdb_age(br, (__u64)v * 1000000000ULL);
		if (n < 0)
			return fail("fdb age");
		printf("%d entries aged out\n", n);
		return 0;
	}
	usage(stderr);
	return 2;
}

static void print_counters(const char *name, const struct dp_port_counters *c)
{
	const struct xbr_port_stats *s = &c->s;
	int r;

	printf("%s\n", name);
	printf("  rx %llu packets %llu bytes   tx %llu"
	       " packets %llu bytes\n",
	       s->rx_packets, s->rx_bytes, s->tx_packets, s->tx_bytes);
	printf("  flooded %llu  learned %llu  moved %llu"
	       "  learn-refused %llu  punted %llu\n",
	       s->flooded, s->learned, s->moved, s->learn_refused, s->punted);
	printf("  fdb-entries %llu  aged %llu  floods-deferred %llu\n",
	       c->fdb_entries, c->aged, s->reserved[XBR_STAT_DEFERRED]);
	printf("  drops:");
	for (r = 1; r < XBR_DROP_MAX; r++)
		printf(" %s %llu", dp_drop_reason_name(r), s->drops[r]);
	printf("\n");
}

static int cmd_stats(struct dp_bridge *br, int argc, char **argv)
{
	struct dp_port_info p[XBR_MAX_PORTS];
	struct dp_port_counters c;
	int i, n, ifindex;

	if (argc == 1) {
		ifindex = ifindex_of(argv[0]);
		if (!ifindex)
			return 1;
		if (dp_port_counters(br, ifindex, &c))
			return fail("stats");
		print_counters(argv[0], &c);
		return 0;
	}
	n = dp_port_list(br, p, XBR_MAX_PORTS);
	for (i = 0; i < n && i < XBR_MAX_PORTS; i++) {
		if (dp_port_counters(br, (int)p[i].ifindex, &c))
			return fail("stats");
		print_counters(p[i].attached ? p[i].name : "(absent)", &c);
	}
	printf("bridge %s: %llu learned entries, capacity %u\n",
	       dp_bridge_name(br), dp_bridge_learned(br), dp_fdb_capacity(br));
	return 0;
}

/* "none" or "broadcast,multicast" into XBR_PORT_F_NO_* flags; -1: bad. */
static long flood_flags(const char *text)
{
	static const char *const kinds[] = { "unknown-unicast", "multicast",
					     "broadcast" };
	static const __u32 flags[] = { XBR_PORT_F_NO_UCAST, XBR_PORT_F_NO_MCAST,
				       XBR_PORT_F_NO_BCAST };
	char buf[128], *w, *save = NULL;
	long off = 0;
	size_t i;

	if (!strcmp(text, "none"))
		return 0;
	snprintf(buf, sizeof(buf), "%s", text);
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < 3 && strcmp(w, kinds[i]); i++)
			;
		if (i == 3)
			return -1;
		off |= flags[i];
	}
	return off;
}

/* port mirror IFNAME rx|tx|both DEST | destination [TX_SOURCE] | none */
static int cmd_port_mirror(struct dp_bridge *br, int argc, char **argv)
{
	static const char *const words[] = { "none", "rx", "tx", "both",
					     "destination" };
	static const __u32 flags[] = { 0, XBR_PORT_F_MIRROR_RX,
				       XBR_PORT_F_MIRROR_TX,
				       XBR_PORT_F_MIRROR_RX |
					       XBR_PORT_F_MIRROR_TX,
				       XBR_PORT_F_MIRROR_DST };
	struct xbr_mirror m = { 0 };
	int ifindex, other = 0;
	size_t w;

	for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		if (!strcmp(argv[1], words[w]))
			break;
	if (w == sizeof(words) / sizeof(words[0]) || (w == 0 && argc != 2) ||
	    (w >= 1 && w <= 3 && argc != 3)) {
		fprintf(stderr,
			"port mirror: IFNAME rx|tx|both DEST, IFNAME destination [TX_SOURCE], or IFNAME none\n");
		return 2;
	}
	ifindex = ifindex_of(argv[0]);
	if (argc == 3)
		other = ifindex_of(argv[2]);
	if (!ifindex || (argc == 3 && !other))
		return 1;
	if (flags[w] & XBR_PORT_F_MIRROR_RX)
		m.rx_dest = (__u32)other;
	if (flags[w] & XBR_PORT_F_MIRROR_TX)
		m.tx_dest = (__u32)other;
	if (flags[w] & XBR_PORT_F_MIRROR_DST)
		m.tx_source = (__u32)other;
	return dp_port_set_mirror(br, ifindex, flags[w], &m)
		       ? fail("port mirror")
		       : 0;
}

static int run(struct dp_bridge *br, int argc, char **argv)
{
	__u32 v;
	int ifindex;

	if (!strcmp(argv[0], "port") && argc >= 2) {
		if (!strcmp(argv[1], "add"))
			return cmd_port_add(br, argc - 1, argv + 1);
		if (!strcmp(argv[1], "remove") && argc == 3) {
			ifindex = ifindex_of(argv[2]);
			if (!ifindex)
				return 1;
			return dp_port_remove(br, ifindex) ? fail("port remove")
							   : 0;
		}
		if (!strcmp(argv[1], "learn-limit") && argc == 4) {
			ifindex = ifindex_of(argv[2]);
			if (!ifindex ||
			    parse_u32(argv[3], "limit", UINT32_MAX, &v))
				return 2;
			return dp_port_set_learn_limit(br, ifindex, v)
				       ? fail("port learn-limit")
				       : 0;
		}
		if (!strcmp(argv[1], "flood-off") && argc == 4) {
			long off = flood_flags(argv[3]);

			ifindex = ifindex_of(argv[2]);
			if (!ifindex)
				return 1;
			if (off < 0) {
				fprintf(stderr,
					"port flood-off: none, or unknown-unicast, multicast, broadcast separated by commas\n");
				return 2;
			}
			return dp_port_set_flood(br, ifindex, (__u32)off)
				       ? fail("port flood-off")
				       : 0;
		}
		if (!strcmp(argv[1], "stp-state") && argc == 4) {
			static const char *const states[] = { "forwarding",
							      "learning",
							      "discarding" };
			int st;

			ifindex = ifindex_of(argv[2]);
			if (!ifindex)
				return 1;
			for (st = 0; st < 3 && strcmp(argv[3], states[st]);
			     st++)
				;
			if (st == 3) {
				fprintf(stderr,
					"port stp-state: forwarding, learning or discarding\n");
				return 2;
			}
			return dp_port_set_stp_state(br, ifindex,
						     (enum dp_stp_state)st)
				       ? fail("port stp-state")
				       : 0;
		}
		if (!strcmp(argv[1], "storm") && argc == 5) {
			static const char *const kinds[XBR_STORM_KINDS] = {
				"broadcast", "multicast", "unknown-unicast"
			};
			__u32 k;

			for (k = 0; k < XBR_STORM_KINDS; k++)
				if (!strcmp(argv[3], kinds[k]))
					break;
			ifindex = ifindex_of(argv[2]);
			if (!ifindex)
				return 1;
			if (k == XBR_STORM_KINDS) {
				fprintf(stderr,
					"port storm: broadcast, multicast or unknown-unicast\n");
				return 2;
			}
			if (parse_u32(argv[4], "rate", XBR_STORM_PPS_MAX, &v))
				return 2;
			return dp_port_set_storm(br, ifindex, k, v)
				       ? fail("port storm")
				       : 0;
		}
		if ((!strcmp(argv[1], "down") || !strcmp(argv[1], "isolated") ||
		     !strcmp(argv[1], "protect")) &&
		    argc == 4) {
			bool on = !strcmp(argv[3], "on");
			int (*set)(struct dp_bridge *, int, bool) =
				!strcmp(argv[1], "down") ? dp_port_set_down
				: !strcmp(argv[1], "isolated")
					? dp_port_set_isolated
					: dp_port_set_protect;

			ifindex = ifindex_of(argv[2]);
			if (!ifindex)
				return 1;
			if (strcmp(argv[3], "on") && strcmp(argv[3], "off")) {
				fprintf(stderr, "port %s: on or off\n",
					argv[1]);
				return 2;
			}
			if (set(br, ifindex, on))
				return fail(argv[1]);
			return 0;
		}
		if (!strcmp(argv[1], "mirror") && argc >= 4 && argc <= 5)
			return cmd_port_mirror(br, argc - 2, argv + 2);
	} else if (!strcmp(argv[0], "ports") && argc == 1) {
		return cmd_ports(br);
	} else if (!strcmp(argv[0], "learn-limit") && argc == 2) {
		if (parse_u32(argv[1], "limit", UINT32_MAX, &v))
			return 2;
		return dp_bridge_set_learn_limit(br, v) ? fail("learn-limit")
							: 0;
	} else if (!strcmp(argv[0], "fdb")) {
		return cmd_fdb(br, argc - 1, argv + 1);
	} else if (!strcmp(argv[0], "stats") && argc <= 2) {
		return cmd_stats(br, argc - 1, argv + 1);
	}
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct dp_bridge_opts o = { .sz = sizeof(o) };
	const char *name;
	struct dp_bridge *br;
	int c, level = LOG_WARNING, ret;
	__u32 cap = 0;

	while ((c = getopt(argc, argv, "+r:dh")) != -1) {
		switch (c) {
		case 'r':
			pin_root = optarg;
			break;
		case 'd':
			level = LOG_DEBUG;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	log_init("xbr-dpctl", level, false);
	if (argc - optind < 2) {
		usage(stderr);
		return 2;
	}
	name = argv[optind];
	argc -= optind + 1;
	argv += optind + 1;
	o.pin_root = pin_root;

	if (!strcmp(argv[0], "create")) {
		if (argc == 3 && !strcmp(argv[1], "--fdb-capacity")) {
			if (parse_u32(argv[2], "capacity", 1U << 26, &cap) ||
			    !cap)
				return 2;
		} else if (argc != 1) {
			usage(stderr);
			return 2;
		}
		if (dp_bridge_exists(name, pin_root)) {
			fprintf(stderr, "xbr-dpctl: bridge %s exists\n", name);
			return 1;
		}
		o.create = true;
		o.fdb_capacity = cap;
		br = dp_bridge_open(name, &o);
		if (!br)
			return fail("create");
		printf("bridge %s created (fdb capacity %u)\n", name,
		       dp_fdb_capacity(br));
		dp_bridge_close(br);
		return 0;
	}
	br = dp_bridge_open(name, &o);
	if (!br)
		return fail("open");
	if (!strcmp(argv[0], "destroy") && argc == 1)
		return dp_bridge_destroy(br) ? fail("destroy") : 0;
	ret = run(br, argc, argv);
	dp_bridge_close(br);
	return ret;
}
