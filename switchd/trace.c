// SPDX-License-Identifier: GPL-2.0-only
/*
 * The packet trace: where a frame would go and why, from the loaded
 * datapath itself (datapath/trace.c), nothing sent and nothing learned.
 * Its command, `trace bridge NAME interface IFNAME ...` (doc/events.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switchd/switchd.h"

/* A command line is at most 1024 characters: a frame in hex within it. */
#define TRACE_HEX_MAX 480
#define TRACE_PAD     60 /* the friendly form pads a frame to this */

/* ---- the frame ---- */

/* What a frame is, as a switch port reads it. */
struct trace_l2 {
	int ntags;
	__u16 tpid[2], vid[2], pcp[2];
	__u16 ethertype;
};

static __u16 be16(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

static void l2_read(const __u8 *f, __u32 len, struct trace_l2 *l)
{
	__u32 off = 12;

	memset(l, 0, sizeof(*l));
	while (off + 2 <= len) {
		__u16 t = be16(f + off);

		if (l->ntags == 2 ||
		    (t != XBR_TPID_8021Q && t != XBR_TPID_8021AD) ||
		    off + 6 > len) {
			l->ethertype = t;
			return;
		}
		l->tpid[l->ntags] = t;
		l->vid[l->ntags] = be16(f + off + 2) & 0xfff;
		l->pcp[l->ntags] = be16(f + off + 2) >> 13;
		l->ntags++;
		off += 4;
	}
}

/* A frame: what it says, then its bytes in hex. */
static void frame_out(struct out *o, const char *key, const __u8 *f, __u32 len,
		      const char *indent)
{
	char mac[18], *hex;
	struct trace_l2 l;
	__u32 i, k;
	int t;

	l2_read(f, len, &l);
	hex = malloc(2 * (size_t)len + 1);
	if (!hex)
		return;
	for (i = 0; i < len; i++)
		sprintf(hex + 2 * i, "%02x", f[i]);
	out_open(o, key, '{');
	dp_mac_format(f + 6, mac);
	out_str(o, "src", "%s", mac);
	dp_mac_format(f, mac);
	out_str(o, "dst", " > %s", mac);
	out_open(o, "tags", '[');
	for (t = 0; t < l.ntags; t++) {
		out_open(o, NULL, '{');
		out_str(o, "tpid", ", %s",
			l.tpid[t] == XBR_TPID_8021AD ? "802.1ad" : "802.1Q");
		out_uint(o, "vid", " vlan %llu", l.vid[t]);
		out_uint(o, "pcp", " pcp %llu", l.pcp[t]);
		out_close(o, '}');
	}
	out_close(o, ']');
	out_uint(o, "ethertype", ", ethertype 0x%04llx", l.ethertype);
	out_uint(o, "length", ", %llu bytes\n", len);
	out_str(o, "hex", NULL, hex);
	for (i = 0; i < len * 2; i += 64) {
		k = len * 2 - i < 64 ? len * 2 - i : 64;
		out_text(o, "%s%.*s\n", indent, (int)k, hex + i);
	}
	out_close(o, '}');
	free(hex);
}

/* What the port made of the frame's tags. */
static const char *tag_change(const __u8 *in, __u32 in_len, const __u8 *out,
			      __u32 out_len)
{
	struct trace_l2 a, b;

	l2_read(in, in_len, &a);
	l2_read(out, out_len, &b);
	if (b.ntags > a.ntags)
		return "pushed";
	if (b.ntags < a.ntags)
		return "popped";
	if (a.ntags && (a.tpid[0] != b.tpid[0] || a.vid[0] != b.vid[0] ||
			a.pcp[0] != b.pcp[0]))
		return "rewritten";
	return "none";
}

/* ---- the frame from the command's words ---- */

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	return (ch | 0x20) - 'a' + 10; /* HEX took only hex digits */
}

/* frame HEX */
static int frame_from_hex(struct cmd_call *c, __u8 *f, __u32 *len)
{
	const char *h = cmd_arg(c, "frame");
	size_t n, i;

	if (!strncmp(h, "0x", 2) || !strncmp(h, "0X", 2))
		h += 2;
	n = strlen(h);
	if (n % 2)
		return sw_say(
			c, -EINVAL,
			"the frame has an odd number of hex digits (%zu): two a byte",
			n);
	if (n / 2 < DP_TRACE_FRAME_MIN)
		return sw_say(
			c, -EINVAL,
			"the frame is too short: %zu bytes, at least %d (an Ethernet header)",
			n / 2, DP_TRACE_FRAME_MIN);
	if (n / 2 > TRACE_HEX_MAX)
		return sw_say(c, -EINVAL,
			      "the frame is too long: %zu bytes, at most %d",
			      n / 2, TRACE_HEX_MAX);
	for (i = 0; i < n / 2; i++)
		f[i] = (__u8)(hex_value(h[2 * i]) << 4 |
			      hex_value(h[2 * i + 1]));
	*len = (__u32)(n / 2);
	return 0;
}

/* src MAC dst MAC [vlan VID] [ethertype HEX]: tagged with the port's
 * TPID when a VLAN is given, padded to 60 bytes. */
static int frame_from_words(struct cmd_call *c, const struct xbr_port *p,
			    __u8 *f, __u32 *len)
{
	const char *et = cmd_arg(c, "ethertype");
	unsigned long type = 0x0800, vid = cmd_num(c, "vlan", 0);
	__u32 off = 12;

	if (et) {
		type = strtoul(et, NULL, 16);
		if (strlen(et) > 6 || type > 0xffff || type < 0x0600)
			return sw_say(c, -EINVAL,
				      "ethertype %s: want 0600 to ffff (hex)",
				      et);
	}
	memset(f, 0, TRACE_PAD);
	memcpy(f, cmd_value(c, "dst")->mac, 6);
	memcpy(f + 6, cmd_value(c, "src")->mac, 6);
	if (vid) {
		f[off++] = (__u8)(p->tpid >> 8);
		f[off++] = (__u8)p->tpid;
		f[off++] = (__u8)(vid >> 8);
		f[off++] = (__u8)vid;
	}
	f[off++] = (__u8)(type >> 8);
	f[off++] = (__u8)type;
	*len = TRACE_PAD;
	return 0;
}

/* ---- trace bridge NAME interface IFNAME ... ---- */

/* A port's name as show interfaces gives it (an internal port by its
 * host side). */
static void port_name(int ifindex, char name[IF_NAMESIZE])
{
	struct sw_internal_name *in;
	int n = sw_internal_names(&in), i;

	if (!if_indextoname((unsigned int)ifindex, name))
		snprintf(name, IF_NAMESIZE, "ifindex %d", ifindex);
	for (i = 0; i < n; i++)
		if (in[i].ifindex == ifindex)
			snprintf(name, IF_NAMESIZE, "%s", in[i].name);
	free(in);
}

/* An FDB entry of one of the frame's addresses. */
static void entry_out(struct out *o, const char *key, const char *label,
		      const __u8 *mac, bool known, const struct dp_fdb_entry *e)
{
	char m[18], name[IF_NAMESIZE];

	dp_mac_format(mac, m);
	out_open(o, key, '{');
	out_str(o, "mac", label, m);
	out_bool(o, "known", NULL, known);
	if (mac[0] & 1) {
		out_text(o, "  %s: flooded, never in the table\n",
			 mac[0] == 0xff && mac[1] == 0xff ? "broadcast"
							  : "multicast");
	} else if (known) {
		port_name((int)e->ifindex, name);
		out_str(o, "interface", "  in the table: %s", name);
		out_str(o, "type", ", %s\n",
			e->flags & XBR_FDB_F_LOCAL    ? "local"
			: e->flags & XBR_FDB_F_STATIC ? "static"
						      : "dynamic");
	} else {
		out_text(o, "  not in the table (a trace learns nothing)\n");
	}
	out_close(o, '}');
}

static const char *const kind_names[] = {
	[XBR_FWD_DROP] = "drop",      [XBR_FWD_UNICAST] = "forward",
	[XBR_FWD_FLOOD] = "flood",    [XBR_FWD_PUNT] = "host-stack",
	[XBR_FWD_SLOW] = "slow-path",
};

static void verdict_out(struct out *o, const struct dp_trace *t, const __u8 *f)
{
	const struct xbr_trace *r = &t->rec;
	char name[IF_NAMESIZE];

	out_str(o, "verdict", "verdict:     %s",
		r->kind < ARRAY_SIZE(kind_names) ? kind_names[r->kind] : "?");
	switch (r->kind) {
	case XBR_FWD_DROP:
		out_str(o, "reason", ": %s", dp_drop_reason_name(r->reason));
		break;
	case XBR_FWD_UNICAST:
		port_name((int)r->egress, name);
		out_str(o, "egress_interface", " to %s (known unicast)", name);
		break;
	case XBR_FWD_FLOOD:
		out_text(o, f[0] & 1 ? " (%s)" : " (%s: destination unknown)",
			 f[0] == 0xff && f[1] == 0xff ? "broadcast"
			 : f[0] & 1		      ? "multicast"
						      : "unknown unicast");
		out_text(o, " in VLAN %u", r->vid);
		break;
	case XBR_FWD_PUNT:
		out_text(o, " (a link-local control frame: never forwarded)");
		break;
	case XBR_FWD_SLOW:
		out_text(o, r->egress ? " (for the host: the slow path's CPU)"
				      : " (a control frame: the control CPU)");
		break;
	}
	out_text(o, "\n");
}

static void egress_out(struct out *o, const struct dp_trace *t, const __u8 *f,
		       __u32 len)
{
	char name[IF_NAMESIZE];
	const char *change;
	int i;

	if (!t->nout)
		return;
	out_text(o, "egress:\n");
	out_open(o, "egress", '[');
	for (i = 0; i < t->nout; i++) {
		const struct dp_trace_out *e = &t->out[i];

		port_name((int)e->ifindex, name);
		out_open(o, NULL, '{');
		out_str(o, "interface", "  %-10s ", name);
		out_bool(o, "sent", NULL, !e->reason);
		if (e->reason) {
			out_str(o, "reason", "not sent: %s\n",
				dp_drop_reason_name(e->reason));
			out_close(o, '}');
			continue;
		}
		change = tag_change(f, len, e->frame, e->len);
		out_str(o, "tag", NULL, change);
		if (strcmp(change, "none"))
			out_text(o, "sent, tag %s\n", change);
		else
			out_text(o, "sent as received\n");
		out_text(o, "             ");
		frame_out(o, "frame", e->frame, e->len, "             ");
		out_close(o, '}');
	}
	out_close(o, ']');
}

static int do_trace(struct cmd_call *c)
{
	const char *bname = cmd_arg(c, "NAME"), *ifname = cmd_arg(c, "IFNAME");
	struct out *o = &c->s->out;
	struct dp_port_info info;
	__u8 f[DP_TRACE_FRAME_MAX];
	struct sw_bridge *br;
	struct dp_trace t;
	__u32 len = 0;
	int ifindex, err;

	br = sw_bridge_find(bname);
	if (!br)
		return sw_say(c, -ENOENT, "no bridge named %s", bname);
	ifindex = sw_port_index(ifname);
	if (!ifindex)
		return sw_say(c, -ENODEV, "no interface named %s", ifname);
	if (dp_port_get(br->dp, ifindex, &info))
		return sw_say(c, -ENOENT, "%s is not a port of bridge %s",
			      ifname, bname);
	err = cmd_arg(c, "frame") ? frame_from_hex(c, f, &len)
				  : frame_from_words(c, &info.port, f, &len);
	if (err)
		return err;
	err = dp_trace(br->dp, ifindex, f, len, &t);
	if (err) {
		dp_trace_free(&t);
		return sw_say(c, err, "%s", dp_error());
	}
	out_open(o, NULL, '{');
	out_str(o, "bridge", "trace on bridge %s", bname);
	out_str(o, "interface", ", interface %s", ifname);
	out_text(o, " (the loaded datapath; nothing sent, nothing learned)\n");
	out_text(o, "frame:       ");
	frame_out(o, "frame", f, len, "             ");
	if (t.rec.kind != XBR_FWD_DROP || t.rec.vid)
		out_uint(o, "vlan", "vlan:        %llu\n", t.rec.vid);
	if (t.rec.vid) {
		entry_out(o, "source", "source:      %s", f + 6, t.src_known,
			  &t.src);
		entry_out(o, "destination", "destination: %s", f, t.dst_known,
			  &t.dst);
	}
	verdict_out(o, &t, f);
	egress_out(o, &t, f, len);
	out_close(o, '}');
	dp_trace_free(&t);
	return 0;
}

static const struct cmd_def trace_cmds[] = {
	{ MODE_BIT(MODE_EXEC), "trace bridge NAME interface IFNAME frame HEX",
	  "Trace a frame through the datapath (nothing sent, nothing learned)\n"
	  "The bridge\nBridge name\n"
	  "The port that receives the frame\nInterface name\n"
	  "The frame, from its destination MAC on\n"
	  "The frame's bytes in hex (14 to 480)",
	  do_trace },
	{ MODE_BIT(MODE_EXEC),
	  "trace bridge NAME interface IFNAME src MAC dst MAC [vlan VID] [ethertype HEX]",
	  "Trace a frame through the datapath (nothing sent, nothing learned)\n"
	  "The bridge\nBridge name\n"
	  "The port that receives the frame\nInterface name\n"
	  "The source address\nMAC address\n"
	  "The destination address\nMAC address\n"
	  "Tagged, with the port's TPID (without: untagged)\nVLAN id\n"
	  "The ethertype (default 0800)\nEthertype in hex",
	  do_trace },
};

SW_FEATURE(trace);
