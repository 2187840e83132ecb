// SPDX-License-Identifier: GPL-2.0-only
/*
 * rawpkt: send Ethernet frames, or count received frames to a MAC, on an
 * interface through an AF_PACKET socket. For the integration tests.
 *
 *   rawpkt send IFNAME DST SRC COUNT [TAGS [LENGTH]]
 *   rawpkt count IFNAME DST MILLISECONDS READYFILE [TAGS]
 *
 * TAGS: "untagged", or tags outer first, "TPID:VID[:PCP]" joined by ",":
 * 8100:10:5 or 88a8:100,8100:5. count prints how many frames addressed to
 * DST arrived (frames the interface itself sent are not counted), and
 * with TAGS only those carrying exactly those tags (a PCP left out is not
 * compared); it creates READYFILE once it listens, so a test can wait for
 * that instead of sleeping. send makes frames of 64 bytes plus 4 per tag,
 * or of LENGTH bytes (up to 2048, the frame check sequence not counted).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <stdbool.h>
#include <unistd.h>

#include "datapath/dp.h"

static int open_on(const char *ifname, struct sockaddr_ll *sll)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_protocol = htons(ETH_P_ALL);
	sll->sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll->sll_ifindex || bind(fd, (void *)sll, sizeof(*sll)) < 0) {
		fprintf(stderr, "rawpkt: cannot bind to %s\n", ifname);
		exit(1);
	}
	return fd;
}

struct tag {
	unsigned int tpid, vid, pcp;
	bool any_pcp;
};

/* "8100:10:5,8100:20" -> tags; "untagged" -> none. -1 if malformed. */
static int parse_tags(const char *text, struct tag *t, int max)
{
	char buf[128], *sp, *one;
	int n = 0, k;

	if (!strcmp(text, "untagged"))
		return 0;
	snprintf(buf, sizeof(buf), "%s", text);
	for (one = strtok_r(buf, ",", &sp); one && n < max;
	     one = strtok_r(NULL, ",", &sp)) {
		t[n].pcp = 0;
		k = sscanf(one, "%x:%u:%u", &t[n].tpid, &t[n].vid, &t[n].pcp);
		if (k < 2)
			return -1;
		t[n].any_pcp = k == 2;
		n++;
	}
	return n;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll, from;
	unsigned char f[2048];
	unsigned char dst[6], src[6];
	socklen_t fl;
	long end, n = 0, count;
	ssize_t r;
	int fd, i;

	if (argc >= 6 && argc <= 8 && !strcmp(argv[1], "send")) {
		struct tag t[4];
		int nt = argc >= 7 ? parse_tags(argv[6], t, 4) : 0, off = 12;
		long len = argc == 8 ? atol(argv[7]) : 64 + (long)nt * 4;

		if (dp_mac_parse(argv[3], dst) || dp_mac_parse(argv[4], src) ||
		    nt < 0 || len < 64 || len > (long)sizeof(f)) {
			fprintf(stderr, "rawpkt: bad address or tags\n");
			return 2;
		}
		count = atol(argv[5]);
		fd = open_on(argv[2], &sll);
		memset(f, 0, sizeof(f));
		memcpy(f, dst, 6);
		memcpy(f + 6, src, 6);
		for (i = 0; i < nt; i++) {
			f[off] = (unsigned char)(t[i].tpid >> 8);
			f[off + 1] = (unsigned char)t[i].tpid;
			f[off + 2] =
				(unsigned char)(t[i].pcp << 5 | t[i].vid >> 8);
			f[off + 3] = (unsigned char)t[i].vid;
			off += 4;
		}
		f[off] = 0x88; /* local experimental ethertype */
		f[off + 1] = 0xb5;
		for (i = 0; i < count; i++)
			if (send(fd, f, (size_t)len, 0) != len) {
				perror("send");
				return 1;
			}
		return 0;
	}
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "count")) {
		struct tag want[4];
		int nw = argc == 7 ? parse_tags(argv[6], want, 4) : -2, on = 1;

		if (dp_mac_parse(argv[3], dst) || nw == -1) {
			fprintf(stderr, "rawpkt: bad address or tags\n");
			return 2;
		}
		fd = open_on(argv[2], &sll);
		setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof(on));
		close(open(argv[5], O_CREAT | O_WRONLY, 0600));
		end = now_ms() + atol(argv[4]);
		for (;;) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			long left = end - now_ms();

			if (left <= 0 || poll(&p, 1, (int)left) <= 0)
				break;
			char cbuf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
			struct iovec iov = { .iov_base = f,
					     .iov_len = sizeof(f) };
			struct msghdr mh = {
				.msg_name = &from,
				.msg_namelen = sizeof(from),
				.msg_iov = &iov,
				.msg_iovlen = 1,
				.msg_control = cbuf,
				.msg_controllen = sizeof(cbuf),
			};
			struct tag got[4];
			struct cmsghdr *cm;
			int ng = 0, k, off = 12;
			bool same;

			r = recvmsg(fd, &mh, 0);
			(void)fl;
			if (r < 14 || from.sll_pkttype == PACKET_OUTGOING ||
			    memcmp(f, dst, 6))
				continue;
			/* the outer tag, if the kernel took it off */
			for (cm = CMSG_FIRSTHDR(&mh); cm;
			     cm = CMSG_NXTHDR(&mh, cm)) {
				struct tpacket_auxdata *a =
					(void *)CMSG_DATA(cm);

				if (cm->cmsg_level != SOL_PACKET ||
				    cm->cmsg_type != PACKET_AUXDATA ||
				    !(a->tp_status & TP_STATUS_VLAN_VALID))
					continue;
				got[ng].tpid =
					a->tp_status & TP_STATUS_VLAN_TPID_VALID
						? a->tp_vlan_tpid
						: 0x8100;
				got[ng].vid = a->tp_vlan_tci & 0xfff;
				got[ng].pcp = a->tp_vlan_tci >> 13;
				ng++;
			}
			/* and those still in the frame */
			while (ng < 4 && off + 4 <= r &&
			       ((f[off] == 0x81 && f[off + 1] == 0x00) ||
				(f[off] == 0x88 && f[off + 1] == 0xa8))) {
				got[ng].tpid =
					(unsigned)(f[off] << 8 | f[off + 1]);
				got[ng].vid =
					(unsigned)((f[off + 2] & 0x0f) << 8 |
						   f[off + 3]);
				got[ng].pcp = f[off + 2] >> 5;
				ng++;
				off += 4;
			}
			same = nw < 0 || ng == nw;
			for (k = 0; same && nw > 0 && k < nw; k++)
				same = got[k].tpid == want[k].tpid &&
				       got[k].vid == want[k].vid &&
				       (want[k].any_pcp ||
					got[k].pcp == want[k].pcp);
			if (same)
				n++;
		}
		printf("%ld\n", n);
		return 0;
	}
	fprintf(stderr,
		"usage: rawpkt send IFNAME DST SRC COUNT [TAGS [LENGTH]]\n"
		"       rawpkt count IFNAME DST MILLISECONDS READYFILE [TAGS]\n");
	return 2;
}
