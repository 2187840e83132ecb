// SPDX-License-Identifier: GPL-2.0-only
/*
 * xbr-switchd: owns the datapath and the configuration; serves xbr-cli.
 * One process, one epoll loop. doc/switchd.md describes it.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sysexits.h>
#include <unistd.h>

#include "config.h"
#include "lib/log.h"
#include "lib/netlink.h"
#include "switchd/ctl.h"
#include "switchd/startup.h"
#include "switchd/switchd.h"

struct switchd *sw;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xbr-switchd [options]\n"
		"  -c, --config FILE    startup configuration (default %s)\n"
		"  -d, --db FILE        configuration store (default %s)\n"
		"  -s, --socket PATH    control socket (default %s)\n"
		"  -p, --pin-root DIR   where datapaths are pinned (default %s)\n"
		"  -S, --syslog         log to syslog instead of stderr\n"
		"  -v, --verbose        debug logging\n"
		"  -V, --version        print the version\n"
		"      --commands       list the command language and exit\n"
		"  -h, --help           this text\n",
		SWITCHD_STARTUP_PATH, STORE_DEFAULT_PATH, SWITCHD_SOCK_PATH,
		DP_PIN_ROOT);
}

static void read_boot_id(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, (int)len, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

/*
 * The rule of doc/switchd.md: at the first start of a boot the startup
 * file (if there is one) is the configuration; later starts keep the
 * store. A file with an error, or that is not a regular file, changes
 * nothing.
 */
static void boot_config(void)
{
	char boot[64], seen[64] = "", err[1024];
	bool first = false;
	int ret;

	startup_clean(sw->startup_path);
	read_boot_id(boot, sizeof(boot));
	if (store_meta_get(sw->store, "boot_id", seen, sizeof(seen)) ||
	    strcmp(seen, boot))
		first = true;
	if (first) {
		ret = startup_load(sw->startup_path, err, sizeof(err));
		if (ret == -ENOENT)
			log_info(
				"no startup configuration at %s; keeping the store",
				sw->startup_path);
		else if (ret)
			log_err("startup configuration not applied, the store kept: %s",
				err);
		else
			log_info("startup configuration %s applied",
				 sw->startup_path);
	} else {
		log_info(
			"restarted in the same boot: the store is the configuration");
	}
	if (store_meta_set(sw->store, "boot_id", boot))
		log_warn("cannot record the boot id: %s",
			 store_error(sw->store));
}

/*
 * Tell systemd (Type=notify) that we serve: one datagram to $NOTIFY_SOCKET,
 * a path or, with a leading '@', an abstract name. Without the variable,
 * nothing to do.
 */
static void notify_ready(void)
{
	static const char msg[] = "READY=1";
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	size_t n;
	int fd;

	if (!path || !path[0])
		return;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sa.sun_path)) {
		log_warn("NOTIFY_SOCKET %s: not a socket path", path);
		return;
	}
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sendto(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL,
			     (struct sockaddr *)&sa, len) < 0)
		log_warn("cannot notify %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void on_link(const struct netlink_link *l, bool gone, void *ctx)
{
	(void)ctx;
	if (l->name[0])
		sw_link_event(l->name, l->ifindex, l->up && l->carrier, gone);
}

static int add_fd(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "pin-root", required_argument, NULL, 'p' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "commands", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct switchd d = {
		.store_path = STORE_DEFAULT_PATH,
		.startup_path = SWITCHD_STARTUP_PATH,
		.sock_path = SWITCHD_SOCK_PATH,
		.pin_root = DP_PIN_ROOT,
		.epfd = -1,
	};
	struct epoll_event evs[16];
	struct signalfd_siginfo si;
	int level = LOG_INFO, c, epfd, lfd, sfd, tfd, efd, nfd, n, i, ret = 1;
	long holder;
	int claim;
	struct itimerspec second = { { 1, 0 }, { 1, 0 } };
	bool use_syslog = false, stop = false, list = false;
	char err[512];
	uint64_t ticks;
	sigset_t mask;

	while ((c = getopt_long(argc, argv, "c:d:s:p:SvVh", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			d.startup_path = optarg;
			break;
		case 'd':
			d.store_path = optarg;
			break;
		case 's':
			d.sock_path = optarg;
			break;
		case 'p':
			d.pin_root = optarg;
			break;
		case 'S':
			use_syslog = true;
			break;
		case 'v':
			level = LOG_DEBUG;
			break;
		case 'V':
			printf("xbr-switchd %s\n", PACKAGE_VERSION);
			return 0;
		case 'C':
			list = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	log_init("xbr-switchd", level, use_syslog);
	if (list) {
		struct out o = { 0 };

		if (cmds_init())
			return 1;
		cmd_list(&o);
		fwrite(o.buf, 1, o.len, stdout);
		out_free(&o);
		cmd_unregister_all();
		return 0;
	}
	sw = &d;

	if (cmds_init()) {
		log_err("the command table is broken");
		return 1;
	}
	/* One daemon a store, whatever socket each serves: two would write
	 * one configuration and apply it to one datapath. */
	claim = store_claim(d.store_path, &holder);
	if (claim == -EBUSY) {
		if (holder > 0)
			log_err("another xbr-switchd (pid %ld) uses the store %s: not starting",
				holder, d.store_path);
		else
			log_err("another xbr-switchd uses the store %s: not starting",
				d.store_path);
		cmd_unregister_all();
		return 1;
	}
	if (claim)
		log_warn("cannot lock %s.lock (%s): a second daemon on this store would not be refused",
			 d.store_path, strerror(-claim));
	/* A socket left by a daemon that died is no sign of life: from here
	 * to reconcile's end there is none, so no one talks to us early. A
	 * daemon that answers there owns the store and the datapath. */
	if (ctl_claim(d.sock_path) == -EADDRINUSE) {
		log_err("another xbr-switchd serves %s: not starting",
			d.sock_path);
		cmd_unregister_all();
		return 1;
	}
	/* One daemon the datapaths of a pin root, whatever store it keeps:
	 * another would make them what its own configuration says. */
	claim = dp_root_claim(d.pin_root);
	if (claim == -EBUSY) {
		log_err("another xbr-switchd manages the datapaths under %s: not starting",
			d.pin_root);
		cmd_unregister_all();
		return 1;
	}
	if (claim)
		log_warn("%s: a second daemon on these datapaths would not be refused",
			 dp_error());
	d.store = store_open(d.store_path, err, sizeof(err));
	if (!d.store && errno == EUCLEAN) {
		log_err("configuration store %s; refused and left as it is, the datapath untouched and forwarding as pinned. "
			"Move the store aside to start from the startup file",
			err);
		cmd_unregister_all();
		return EX_CONFIG;
	}
	if (!d.store) {
		log_err("configuration store: %s", err);
		cmd_unregister_all();
		return 1;
	}
	boot_config();

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGPIPE);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	efd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	nfd = netlink_monitor_open();
	if (epfd < 0 || sfd < 0 || tfd < 0 || efd < 0 || nfd < 0 ||
	    timerfd_settime(efd, 0, &second, NULL)) {
		log_err("cannot set up the event loop: %s",
			strerror(nfd < 0 ? -nfd : errno));
		goto out;
	}
	d.epfd = epfd;
	add_fd(epfd, sfd);
	add_fd(epfd, tfd);
	add_fd(epfd, efd);
	add_fd(epfd, nfd);
	d.ageing_fd = tfd;
	sw_arm_ageing();
	/* Once, with the link monitor already open: what changes meanwhile
	 * waits on its socket for the loop. Only then the control socket,
	 * and readiness: whoever waits for either finds the ports built. */
	sw_reconcile();
	lfd = ctl_listen(d.sock_path, epfd);
	if (lfd < 0)
		goto out;
	log_info("xbr-switchd %s ready on %s", PACKAGE_VERSION, d.sock_path);
	notify_ready();

	while (!stop) {
		n = epoll_wait(epfd, evs, 16, -1);
		if (n < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == lfd) {
				ctl_accept(lfd);
			} else if (fd == sfd) {
				while (read(sfd, &si, sizeof(si)) == sizeof(si))
					if (si.ssi_signo == SIGTERM ||
					    si.ssi_signo == SIGINT)
						stop = true;
					else if (si.ssi_signo == SIGHUP)
						log_info(
							"SIGHUP: nothing to reload; the store is the configuration");
			} else if (fd == tfd) {
				if (read(tfd, &ticks, sizeof(ticks)) > 0)
					sw_age_all();
			} else if (fd == efd) {
				if (read(efd, &ticks, sizeof(ticks)) > 0) {
					sw_errdisable_tick();
					sw_sticky_tick();
					sw_events_tick();
					sw_rates_tick();
					sw_metrics_tick();
				}
			} else if (fd == nfd) {
				if (netlink_monitor_read(nfd, on_link, NULL) ==
				    -ENOBUFS) {
					log_warn(
						"link events lost; reconciling");
					sw_reconcile();
				}
			} else if (!sw_stp_event(fd) && !sw_events_handle(fd) &&
				   !sw_metrics_handle(fd, evs[i].events)) {
				ctl_handle(fd, evs[i].events);
			}
		}
	}
	log_info("stopping; the datapath stays pinned and forwarding");
	sw_stp_stop();
	ctl_close_all();
	sw_metrics_close();
	unlink(d.sock_path);
	ret = 0;
out:
	sw_close_all();
	store_close(d.store);
	cmd_unregister_all();
	return ret;
}
