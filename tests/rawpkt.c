// SPDX-License-Identifier: GPL-2.0-only
/*
 * rawpkt: send Ethernet frames, or count received frames to a MAC, on an
 * interface through an AF_PACKET socket. For the integration tests.
 *
 *   rawpkt send IFNAME DST SRC COUNT
 *   rawpkt count IFNAME DST MILLISECONDS READYFILE
 *
 * count prints how many frames addressed to DST arrived (frames the
 * interface itself sent are not counted); it creates READYFILE once it
 * listens, so a test can wait for that instead of sleeping.
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
#include <time.h>
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

	if (argc == 6 && !strcmp(argv[1], "send")) {
		if (dp_mac_parse(argv[3], dst) || dp_mac_parse(argv[4], src)) {
			fprintf(stderr, "rawpkt: %s\n", dp_error());
			return 2;
		}
		count = atol(argv[5]);
		fd = open_on(argv[2], &sll);
		memset(f, 0, 64);
		memcpy(f, dst, 6);
		memcpy(f + 6, src, 6);
		f[12] = 0x88;	/* local experimental ethertype */
		f[13] = 0xb5;
		for (i = 0; i < count; i++)
			if (send(fd, f, 64, 0) != 64) {
				perror("send");
				return 1;
			}
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "count")) {
		if (dp_mac_parse(argv[3], dst)) {
			fprintf(stderr, "rawpkt: %s\n", dp_error());
			return 2;
		}
		fd = open_on(argv[2], &sll);
		close(open(argv[5], O_CREAT | O_WRONLY, 0600));
		end = now_ms() + atol(argv[4]);
		for (;;) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			long left = end - now_ms();

			if (left <= 0 || poll(&p, 1, (int)left) <= 0)
				break;
			fl = sizeof(from);
			r = recvfrom(fd, f, sizeof(f), 0, (void *)&from, &fl);
			if (r >= 14 && from.sll_pkttype != PACKET_OUTGOING &&
			    !memcmp(f, dst, 6))
				n++;
		}
		printf("%ld\n", n);
		return 0;
	}
	fprintf(stderr, "usage: rawpkt send IFNAME DST SRC COUNT\n"
			"       rawpkt count IFNAME DST MILLISECONDS READYFILE\n");
	return 2;
}
