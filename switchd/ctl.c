// SPDX-License-Identifier: GPL-2.0-only
/* The control socket: sessions of xbr-cli, one mode each. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/ctl_proto.h"
#include "lib/log.h"
#include "lib/path.h"
#include "lib/text.h"
#include "switchd/ctl.h"
#include "switchd/switchd.h"

#define CTL_GROUP "xbr"
/* A monitor's output waiting for a slow client, at most: events past it
 * are counted, and the count said when there is room again. */
#define CTL_MONITOR_MAX (256 * 1024)

struct session {
	struct session *next;
	int fd;
	struct cmd_session cs;
	size_t sent;	  /* of cs.out, queued for the client */
	bool end_pending; /* CTL_END still to send */
	bool refused;	  /* told why; waits for the client to go */
	int32_t status;
	unsigned long long mon_lost; /* events a slow monitor missed */
};

static struct session *sessions;
static int ctl_epfd = -1;
/* Out of descriptors, accept is paused (the listening socket off the
 * loop) until a session closes or the retry timer fires. */
static int ctl_lfd = -1, retry_fd = -1;
static bool paused, exhausted;

/* Remove a socket at path (nothing else). */
static void unlink_socket(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
}

int ctl_claim(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, ret = 0;

	if (lstat(path, &st) || !S_ISSOCK(st.st_mode) ||
	    strlen(path) >= sizeof(sa.sun_path))
		return 0;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A full backlog (EAGAIN) is a daemon too, a busy one. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
	    errno == EAGAIN)
		ret = -EADDRINUSE;
	else
		unlink(path);
	close(fd);
	return ret;
}

static void listen_events(uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = ctl_lfd };

	epoll_ctl(ctl_epfd, EPOLL_CTL_MOD, ctl_lfd, &ev);
}

static void accept_pause(int err)
{
	struct itimerspec again = { .it_value.tv_sec = 1 };

	if (!exhausted)
		log_warn(
			"control socket: cannot accept a client (%s): paused until descriptors are free",
			strerror(err));
	exhausted = true;
	paused = true;
	listen_events(0);
	timerfd_settime(retry_fd, 0, &again, NULL);
}

static void accept_resume(void)
{
	if (!paused)
		return;
	paused = false;
	listen_events(EPOLLIN);
}

int ctl_listen(const char *path, int epfd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN };
	struct group *gr;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_err("control socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	path_mkdir_parent(path, 0755);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink_socket(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 16) < 0) {
		log_err("control socket %s: %s", path, strerror(errno));
		close(fd);
		return -errno;
	}
	/* root, and the group xbr when there is one, may connect */
	gr = getgrnam(CTL_GROUP);
	if (gr && chown(path, 0, gr->gr_gid))
		log_warn("chown %s: %s", path, strerror(errno));
	chmod(path, 0660);
	ctl_epfd = epfd;
	ctl_lfd = fd;
	/* Made now: when it is needed, there may be no descriptor left. */
	retry_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (retry_fd < 0)
		goto err;
	ev.data.fd = retry_fd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, retry_fd, &ev) < 0)
		goto err;
	ev.data.fd = fd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		goto err;
	return fd;
err:
	log_err("control socket %s: %s", path, strerror(errno));
	if (retry_fd >= 0)
		close(retry_fd);
	close(fd);
	return -errno;
}

/* May this peer drive the switch? root, our own user, or group xbr.
 * *uid: the peer's, -1 unknown. */
static bool peer_allowed(int fd, int *uid, char *why, size_t len)
{
	struct ucred cr;
	socklen_t l = sizeof(cr);
	struct passwd *pw;
	struct group *gr;
	gid_t groups[64];
	int n = 64, i;

	*uid = -1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &l) < 0) {
		snprintf(why, len, "cannot tell who is asking");
		return false;
	}
	*uid = (int)cr.uid;
	if (cr.uid == 0 || cr.uid == geteuid())
		return true;
	gr = getgrnam(CTL_GROUP);
	pw = getpwuid(cr.uid);
	if (gr && cr.gid == gr->gr_gid)
		return true;
	if (gr && pw && getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) >= 0)
		for (i = 0; i < n; i++)
			if (groups[i] == gr->gr_gid)
				return true;
	snprintf(
		why, len,
		"permission denied: user %s (uid %u) is neither root nor in group %s",
		pw ? pw->pw_name : "?", cr.uid, CTL_GROUP);
	return false;
}

static void session_free(struct session *s)
{
	struct session **pp;

	for (pp = &sessions; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	epoll_ctl(ctl_epfd, EPOLL_CTL_DEL, s->fd, NULL);
	close(s->fd);
	cmd_session_free(&s->cs);
	free(s);
	accept_resume();
}

static const char *prompt_of(const struct cmd_session *cs, char *buf,
			     size_t len)
{
	switch (cs->mode) {
	case MODE_CONFIG:
		return "(config)";
	case MODE_BRIDGE:
		snprintf(buf, len, "(config-br-%s)", cs->bridge);
		return buf;
	default:
		return "";
	}
}

/* Send what is queued; false when the client is gone. */
static bool session_flush(struct session *s)
{
	struct epoll_event ev = { .data.fd = s->fd };
	char msg[sizeof(struct ctl_hdr) + CTL_CHUNK];
	struct ctl_hdr *h = (struct ctl_hdr *)msg;
	char pb[64];
	const char *p;
	size_t n;

	for (;;) {
		/* All sent: a continuation writes the next part. */
		if (s->sent == s->cs.out.len && s->cs.more) {
			out_sent(&s->cs.out);
			s->sent = 0;
			if (!s->cs.more(&s->cs))
				cmd_more_cancel(&s->cs);
			continue;
		}
		if (s->sent == s->cs.out.len && !s->end_pending)
			break;
		memset(h, 0, sizeof(*h));
		if (s->sent < s->cs.out.len) {
			n = s->cs.out.len - s->sent;
			if (n > CTL_CHUNK)
				n = CTL_CHUNK;
			h->type = CTL_DATA;
			h->flags = s->cs.monitor ? CTL_F_STREAM : 0;
			memcpy(msg + sizeof(*h), s->cs.out.buf + s->sent, n);
		} else {
			h->type = CTL_END;
			h->status = s->status;
			h->flags = s->cs.close ? CTL_F_CLOSE : 0;
			h->lines = !s->cs.term_fixed ? CTL_LINES_TERMINAL
						     : s->cs.term_length;
			p = prompt_of(&s->cs, pb, sizeof(pb));
			n = strlen(p);
			memcpy(msg + sizeof(*h), p, n);
		}
		if (send(s->fd, msg, sizeof(*h) + n, MSG_NOSIGNAL) < 0) {
			if (errno != EAGAIN)
				return false;
			ev.events = EPOLLOUT;
			epoll_ctl(ctl_epfd, EPOLL_CTL_MOD, s->fd, &ev);
			return true;
		}
		if (h->type == CTL_DATA)
			s->sent += n;
		else
			s->end_pending = false;
	}
	out_reset(&s->cs.out);
	s->sent = 0;
	ev.events = EPOLLIN;
	epoll_ctl(ctl_epfd, EPOLL_CTL_MOD, s->fd, &ev);
	return true;
}

void ctl_accept(int lfd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct session *s;
	char why[256];
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		/* Left in the backlog, the client would wake us for ever. */
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM)
			accept_pause(errno);
		return;
	}
	if (exhausted) {
		log_info("control socket: accepting clients again");
		exhausted = false;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		close(fd);
		return;
	}
	s->fd = fd;
	s->next = sessions;
	sessions = s;
	ev.data.fd = fd;
	epoll_ctl(ctl_epfd, EPOLL_CTL_ADD, fd, &ev);
	if (!peer_allowed(fd, &s->cs.uid, why, sizeof(why))) {
		log_warn("control socket: %s", why);
		out_printf(&s->cs.out, "%% %s\n", why);
		s->status = -EACCES;
		s->end_pending = true;
		/* Closing now, with the client's request unread, would reset
		 * the connection before it reads why: shut our side and let
		 * the client hang up. */
		s->refused = true;
		if (!session_flush(s))
			session_free(s);
		else
			shutdown(fd, SHUT_WR);
	}
}

/* An error echoes what the user typed: no control character of it may
 * reach the terminal raw. */
static void escape_reply(struct out *o)
{
	size_t need = text_escape(NULL, 0, o->buf, o->len);
	char *b;

	if (need == o->len)
		return;
	b = malloc(need + 1);
	if (!b)
		return;
	text_escape(b, need + 1, o->buf, o->len);
	free(o->buf);
	o->buf = b;
	o->len = need;
	o->cap = need + 1;
}

/* An error in JSON: {"error": "..."}, its "% " lines joined. */
static void json_error(struct out *o)
{
	struct out e = { .json = true };
	char *text, *line, *save = NULL;
	size_t at = 0;

	for (line = o->buf ? strtok_r(o->buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "% ", 2))
			continue;
		out_printf(&e, "%s%s", at ? "; " : "", line + 2);
		at = e.len;
	}
	text = e.buf ? strdup(e.buf) : strdup("failed");
	out_reset(o);
	out_open(o, NULL, '{');
	out_str(o, "error", NULL, text ? text : "failed");
	out_close(o, '}');
	free(text);
	out_free(&e);
}

/* fault 9: a line with a NUL byte is refused, never run up to the NUL
 * with the rest lost: true when it was (said in s's reply). */
static bool refuse_nul(struct session *s, const char *line, size_t len)
{
	size_t nul = text_nul_column(line, len);

	if (!nul)
		return false;
	out_printf(&s->cs.out,
		   "%% a NUL byte at column %zu: the line is refused\n", nul);
	s->status = -EINVAL;
	if (s->cs.out.json)
		json_error(&s->cs.out);
	return true;
}

/* CTL_STOP: a stream ends, a long output is cut short; then the END.
 * Nothing under way: nothing to do. */
static void session_stop(struct session *s)
{
	if (s->cs.monitor) {
		s->cs.monitor = NULL;
		s->end_pending = true;
	}
	if (s->cs.more)
		cmd_more_cancel(&s->cs);
	if (!session_flush(s))
		session_free(s);
}

void ctl_monitor_event(const struct sw_event *e)
{
	struct session *s, *next;
	struct out *o;

	for (s = sessions; s; s = next) {
		next = s->next;
		if (!s->cs.monitor || strcmp(s->cs.monitor, e->category))
			continue;
		o = &s->cs.out;
		if (o->len - s->sent > CTL_MONITOR_MAX) {
			s->mon_lost++;
			continue;
		}
		if (s->mon_lost) {
			o->need_comma = false;
			out_open(o, NULL, '{');
			out_uint(
				o, "missed",
				"%% %llu events missed: the shell read too slowly\n",
				s->mon_lost);
			out_close(o, '}');
			out_printf(o, "%s", o->json ? "\n" : "");
			s->mon_lost = 0;
		}
		o->need_comma = false;
		sw_event_format(e, o);
		out_printf(o, "%s", o->json ? "\n" : "");
		if (!session_flush(s))
			session_free(s);
	}
}

static void session_request(struct session *s)
{
	char msg[sizeof(struct ctl_hdr) + CTL_MAX_LINE + 1];
	char shown[4 * CTL_MAX_LINE + 1]; /* the line for the log */
	struct ctl_hdr *h = (struct ctl_hdr *)msg;
	char *line = msg + sizeof(*h);
	ssize_t n;

	n = recv(s->fd, msg, sizeof(msg) - 1, 0);
	if (n <= 0) {
		if (n == 0 || errno != EAGAIN)
			session_free(s);
		return;
	}
	if (s->refused)
		return;
	if ((size_t)n < sizeof(*h)) {
		session_free(s);
		return;
	}
	if (h->type == CTL_STOP) {
		session_stop(s);
		return;
	}
	/* a new request ends a stream the client did not stop */
	s->cs.monitor = NULL;
	msg[n] = '\0';
	out_reset(&s->cs.out);
	s->cs.out.json = h->flags & CTL_F_JSON;
	s->status = 0;
	switch (h->type) {
	case CTL_EXEC:
		if (refuse_nul(s, line, (size_t)n - sizeof(*h)))
			break;
		text_escape(shown, sizeof(shown), line, strlen(line));
		log_debug("command: %s", shown);
		/* the client applies a line's output filters ("| include
		 * RE"): the history has them, the command ends before */
		cmd_history_add(&s->cs, line);
		line[strcspn(line, "|")] = '\0';
		/* the line as an event tells it: escaped, as for the log */
		text_escape(shown, sizeof(shown), line, strlen(line));
		s->cs.line = shown;
		s->status = cmd_execute(&s->cs, line);
		s->cs.line = NULL;
		if (s->status)
			s->cs.monitor = NULL;
		if (s->status && s->cs.out.json)
			json_error(&s->cs.out);
		if (s->status)
			escape_reply(&s->cs.out);
		if (s->cs.out.json && !s->cs.out.len && !s->status &&
		    !s->cs.monitor)
			out_printf(&s->cs.out, "{}");
		if (s->cs.out.json && s->cs.out.len && !s->cs.more &&
		    s->cs.out.buf[s->cs.out.len - 1] != '\n')
			out_printf(&s->cs.out, "\n");
		break;
	case CTL_COMPLETE:
		cmd_complete(&s->cs, line, &s->cs.out);
		break;
	case CTL_HELP:
		cmd_help(&s->cs, line, &s->cs.out);
		break;
	default:
		out_printf(&s->cs.out, "%% Unknown request %u\n", h->type);
		s->status = -EINVAL;
	}
	/* a monitor's end waits for CTL_STOP */
	s->end_pending = !s->cs.monitor;
	if (!session_flush(s))
		session_free(s);
}

bool ctl_handle(int fd, uint32_t events)
{
	struct session *s;
	uint64_t ticks;

	if (fd == retry_fd) {
		if (read(retry_fd, &ticks, sizeof(ticks)) > 0)
			accept_resume();
		return true;
	}

	for (s = sessions; s; s = s->next) {
		if (s->fd != fd)
			continue;
		if (events & (EPOLLERR | EPOLLHUP)) {
			session_free(s);
		} else if (events & EPOLLOUT) {
			if (!session_flush(s))
				session_free(s);
		} else if (events & EPOLLIN) {
			session_request(s);
		}
		return true;
	}
	return false;
}

void ctl_close_all(void)
{
	while (sessions)
		session_free(sessions);
	if (retry_fd >= 0)
		close(retry_fd);
	retry_fd = -1;
}
