// SPDX-License-Identifier: GPL-2.0-only
/*
 * xbr-cli: the shell of an xbr switch. A thin client: every line, TAB
 * completion and `?` help goes to xbr-switchd, which holds the grammar.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <getopt.h>
#include <regex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli/cli.h"
#include "config.h"
#include "lib/ctl_proto.h"
#include "lib/text.h"

#define DEFAULT_SOCK "/run/xbr/xbr.sock"

static int ctl_fd = -1;
static const char *sock_path = DEFAULT_SOCK;
static char mode_prompt[128];
static char hostname[64] = "xbr";
bool json;	     /* -j */
static bool closing; /* the daemon said the session is over */
static volatile sig_atomic_t got_int, got_tstp;

void say_error(const char *fmt, ...)
{
	char msg[512];
	const char *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!json) {
		fprintf(stderr, "%% %s\n", msg);
		return;
	}
	fputs("{\"error\":\"", stdout);
	for (p = msg; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if ((unsigned char)*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	fputs("\"}\n", stdout);
}

static int connect_daemon(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = errno;

		close(fd);
		if (err == ENOENT || err == ECONNREFUSED)
			fprintf(stderr,
				"xbr-cli: xbr-switchd is not running (no answer at %s)\n",
				sock_path);
		else if (err == EACCES)
			fprintf(stderr,
				"xbr-cli: permission denied at %s: run as root or as a member of group xbr\n",
				sock_path);
		else
			fprintf(stderr, "xbr-cli: cannot connect to %s: %s\n",
				sock_path, strerror(err));
		return -err;
	}
	return fd;
}

/*
 * What a request brings back. The data of a short reply is held in buf
 * until its status says whether it is output or an error. With stream, a
 * reply longer than one message is output: it is written to stdout as it
 * comes, so that a table of any size costs one message of memory.
 */
struct reply {
	bool stream;
	bool streamed; /* the data went to stdout already */
	char *buf;     /* the data not streamed, NUL-terminated */
	size_t len;
};

static void reply_free(struct reply *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = 0;
}

static int reply_add(struct reply *r, const char *data, size_t n)
{
	char *nb;

	if (r->stream && r->len) {
		sink_write(r->buf, r->len);
		reply_free(r);
		r->streamed = true;
	}
	if (r->streamed) {
		sink_write(data, n);
		return 0;
	}
	nb = realloc(r->buf, r->len + n + 1);
	if (!nb)
		return -ENOMEM;
	memcpy(nb + r->len, data, n);
	r->len += n;
	nb[r->len] = '\0';
	r->buf = nb;
	return 0;
}

/* A stream (monitor) is output as it comes, not paged (the pager would
 * stop it), and not held: its status is known (it runs). */
static void reply_stream_now(struct reply *r)
{
	pager = false;
	if (!r->streamed && r->len) {
		sink_write(r->buf, r->len);
		reply_free(r);
	}
	r->streamed = true;
	fflush(stdout);
}

/* The signal mask while waiting for the daemon: the keys' signals come
 * then (interactive: only then). */
static sigset_t reply_mask;

/*
 * Wait until the daemon's reply can be read. Ctrl-C meanwhile asks the
 * daemon to stop what it does (a monitor, a long output), once: its END
 * follows. 0, or -1 when the connection failed.
 */
static int reply_wait(bool *stopped)
{
	struct ctl_hdr stop = { .type = CTL_STOP };
	struct pollfd p = { .fd = ctl_fd, .events = POLLIN };

	for (;;) {
		if (got_int && !*stopped) {
			got_int = 0;
			*stopped = true;
			if (send(ctl_fd, &stop, sizeof(stop), MSG_NOSIGNAL) < 0)
				return -1;
		}
		if (ppoll(&p, 1, NULL, &reply_mask) > 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

/*
 * Send one request; the reply's data goes to r (NULL: dropped). Returns
 * the status of the command, or -EPIPE when the daemon went away.
 */
static int request(uint32_t type, uint32_t flags, const char *line,
		   struct reply *r)
{
	char msg[sizeof(struct ctl_hdr) + CTL_CHUNK + 1];
	struct ctl_hdr *h = (struct ctl_hdr *)msg;
	size_t len = strlen(line);
	bool stopped = false;
	ssize_t n;

	if (len > CTL_MAX_LINE) {
		say_error("Line too long (%d characters at most)",
			  CTL_MAX_LINE);
		return -EINVAL;
	}
	memset(h, 0, sizeof(*h));
	h->type = type;
	h->flags = flags;
	memcpy(msg + sizeof(*h), line, len);
	/* A refused client finds the reason waiting even if send fails. */
	send(ctl_fd, msg, sizeof(*h) + len, MSG_NOSIGNAL);
	for (;;) {
		n = reply_wait(&stopped);
		if (n < 0)
			goto gone;
		n = recv(ctl_fd, msg, sizeof(msg) - 1, 0);
		if (n < (ssize_t)sizeof(*h))
			goto gone;
		msg[n] = '\0';
		n -= (ssize_t)sizeof(*h);
		if (h->type == CTL_END) {
			snprintf(mode_prompt, sizeof(mode_prompt), "%s",
				 msg + sizeof(*h));
			closing = h->flags & CTL_F_CLOSE;
			page = h->lines;
			return h->status;
		}
		if (r && reply_add(r, msg + sizeof(*h), (size_t)n))
			return -ENOMEM;
		if (r && (h->flags & CTL_F_STREAM))
			reply_stream_now(r);
	}
gone:
	fprintf(stderr, "xbr-cli: the connection to xbr-switchd was lost\n");
	return -EPIPE;
}

/*
 * Run a line through its filters into r (the caller prints r.buf, an
 * error's text): output to stdout as it comes. The status, or -EINVAL
 * for a bad filter (said).
 */
static int run_filtered(const char *line, uint32_t flags, struct reply *r)
{
	char *cmd = strdup(line);
	int ret;

	memset(r, 0, sizeof(*r));
	r->stream = true;
	if (!cmd)
		return -ENOMEM;
	ret = filters_parse(cmd);
	if (!ret) {
		/* the whole line: the daemon's history keeps its filters */
		ret = request(CTL_EXEC, flags, line, r);
		if (!ret && r->buf) {
			sink_write(r->buf, r->len);
			reply_free(r);
		}
	}
	sink_end();
	free(cmd);
	return ret;
}

/* Run a line: output to stdout, an error to stderr (in JSON, stdout). */
static int run_line(const char *line, uint32_t flags)
{
	struct reply r;
	int ret = run_filtered(line, flags, &r);

	if (r.buf)
		fputs(r.buf, json ? stdout : stderr);
	reply_free(&r);
	return ret;
}

/* ---- interactive ---- */

static char **cands;
static int ncands;

static void cands_free(void)
{
	int i;

	for (i = 0; i < ncands; i++)
		free(cands[i]);
	free(cands);
	cands = NULL;
	ncands = 0;
}

static char *cand_generator(const char *text, int state)
{
	static int next;

	(void)text;
	if (!state)
		next = 0;
	if (next < ncands)
		return strdup(cands[next++]);
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	char line[CTL_MAX_LINE + 1], *p, *nl;
	struct reply r = { 0 };

	(void)start;
	rl_attempted_completion_over = 1;
	snprintf(line, sizeof(line), "%.*s", end, rl_line_buffer);
	cands_free();
	if (request(CTL_COMPLETE, 0, line, &r) || !r.buf)
		goto out;
	for (p = r.buf; *p; p = nl + 1) {
		char **grown;

		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		grown = realloc(cands, (size_t)(ncands + 1) * sizeof(*grown));
		if (!grown)
			break;
		cands = grown;
		cands[ncands++] = strdup(p);
	}
out:
	reply_free(&r);
	return rl_completion_matches(text, cand_generator);
}

static int help_key(int count, int key)
{
	char line[CTL_MAX_LINE + 1];
	struct reply r = { 0 };

	(void)count;
	(void)key;
	snprintf(line, sizeof(line), "%.*s", rl_point, rl_line_buffer);
	request(CTL_HELP, 0, line, &r);
	printf("?\n%s", r.buf ? r.buf : "");
	reply_free(&r);
	rl_on_new_line();
	rl_redisplay();
	return 0;
}

static const char *prompt(void)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s%s# ", hostname, mode_prompt);
	return p;
}

static uint32_t run_flags;
static bool done;

/* A line typed (NULL: end of input, Ctrl-D). */
static void on_line(char *line)
{
	if (!line) {
		printf("\n");
		done = true;
		return;
	}
	if (*line)
		add_history(line);
	pager = isatty(STDOUT_FILENO);
	/* exit in exec mode: the daemon closes the session */
	if (run_line(line, run_flags) == -EPIPE || closing)
		done = true;
	pager = false;
	free(line);
	rl_set_prompt(prompt());
}

static void on_signal(int sig)
{
	if (sig == SIGINT)
		got_int = 1;
	else
		got_tstp = 1;
}

/* Ctrl-C drops the line being typed; Ctrl-Z, as end, goes back to exec
 * mode too. */
static void interrupted(bool to_exec)
{
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	rl_point = rl_end = 0;
	printf("%s\n", to_exec ? "^Z" : "^C");
	if (to_exec && mode_prompt[0])
		request(CTL_EXEC, 0, "end", NULL);
	rl_set_prompt(prompt());
	rl_on_new_line();
	rl_redisplay();
}

static int interactive(uint32_t flags)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char hist[512] = "";
	const char *home = getenv("HOME");
	sigset_t sigs, waiting;
	fd_set in;
	int n;

	if (home)
		snprintf(hist, sizeof(hist), "%s/.xbr_history", home);
	rl_readline_name = "xbr-cli";
	rl_attempted_completion_function = complete;
	rl_catch_signals = 0;
	rl_bind_key('?', help_key);
	using_history();
	if (hist[0])
		read_history(hist);
	run_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	/* The keys' signals come only while the shell waits for input
	 * (pselect), never between a check of them and the wait. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTSTP);
	sigprocmask(SIG_BLOCK, &sigs, &waiting);
	reply_mask = waiting;
	request(CTL_EXEC, 0, "", NULL); /* the prompt of the mode */
	rl_callback_handler_install(prompt(), on_line);
	while (!done) {
		FD_ZERO(&in);
		FD_SET(STDIN_FILENO, &in);
		n = pselect(STDIN_FILENO + 1, &in, NULL, NULL, NULL, &waiting);
		if (n < 0 && errno != EINTR)
			break;
		if (got_int || got_tstp) {
			interrupted(got_tstp);
			got_int = got_tstp = 0;
			continue;
		}
		if (n > 0 && FD_ISSET(STDIN_FILENO, &in))
			rl_callback_read_char();
	}
	rl_callback_handler_remove();
	sigprocmask(SIG_SETMASK, &waiting, NULL);
	if (hist[0])
		write_history(hist);
	cands_free();
	return 0;
}

/* A line a -f file may not send: why, or NULL. Comments (as the daemon
 * reads them) of any length are fine; they are not sent. */
static const char *line_refused(const char *line, size_t len, bool *skip,
				char *why, size_t whylen)
{
	size_t nul = text_nul_column(line, len);

	*skip = text_is_comment(line);
	if (nul) {
		snprintf(why, whylen,
			 "a NUL byte at column %zu: the line is refused", nul);
		return why;
	}
	if (len > CTL_MAX_LINE && !*skip) {
		snprintf(why, whylen,
			 "line too long (%zu characters, %d at most)", len,
			 CTL_MAX_LINE);
		return why;
	}
	return NULL;
}

/* Print text with its control characters escaped. */
static void put_escaped(FILE *f, const char *text, size_t len)
{
	size_t need = text_escape(NULL, 0, text, len);
	char *b = malloc(need + 1);

	if (!b)
		return;
	text_escape(b, need + 1, text, len);
	fputs(b, f);
	free(b);
}

/* -f FILE (or standard input): every line in order; stop at an error.
 * As a transcript (-t), each line is echoed after its prompt and an error
 * does not stop the rest; the exit status still tells of it. Lines are
 * read whole, of any length: none is ever cut in two. */
static int batch(const char *path, uint32_t flags, bool transcript)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	int lineno = 0, ret = 0, failed = 0, docs = 0;
	bool array = json && !transcript; /* -j: one array of the answers */
	char *line = NULL, why[128];
	const char *refused;
	size_t cap = 0;
	struct reply r;
	ssize_t len;
	bool skip;

	if (transcript) {
		request(CTL_EXEC, 0, "", NULL);
		setvbuf(stdout, NULL, _IOLBF, 0);
	}
	if (!f) {
		fprintf(stderr, "xbr-cli: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (array)
		printf("[\n");
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		refused = line_refused(line, (size_t)len, &skip, why,
				       sizeof(why));
		if (transcript) {
			printf("%s", prompt());
			put_escaped(stdout, line, (size_t)len);
			printf("\n");
		}
		if (refused && transcript) {
			printf("%% %s\n", refused);
			failed++;
			continue;
		}
		if (refused && array) { /* the array's last member */
			if (docs++)
				printf(",\n");
			say_error("%s:%d: %s", path, lineno, refused);
			ret = -EINVAL;
			break;
		}
		if (refused) {
			fprintf(stderr, "%s:%d: %% %s\n", path, lineno,
				refused);
			ret = -EINVAL;
			break;
		}
		if (skip)
			continue;
		if (array && docs++)
			printf(",\n");
		fflush(stdout);
		ret = run_filtered(line, flags, &r);
		if (ret && transcript && ret != -EPIPE) {
			fputs(r.buf ? r.buf : "", stdout);
			reply_free(&r);
			failed++;
			continue;
		}
		if (ret && json) {
			fputs(r.buf ? r.buf : "", stdout);
			reply_free(&r);
			break;
		}
		if (ret) {
			fprintf(stderr, "%s:%d: %s", path, lineno,
				r.buf ? r.buf : "failed\n");
			reply_free(&r);
			break;
		}
		if (r.buf)
			fputs(r.buf, stdout);
		reply_free(&r);
	}
	/* a directory (EISDIR) or a read error is no end of file */
	if (!ret && ferror(f)) {
		fprintf(stderr, "xbr-cli: %s: %s\n", path, strerror(errno));
		ret = -EIO;
	}
	if (array)
		printf("]\n");
	free(line);
	if (f != stdin)
		fclose(f);
	return ret || failed ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xbr-cli [-s SOCKET] [-j] [-c COMMAND... | -f FILE [-t]]\n"
		"  -c COMMAND   run one command (several -c run in order, in one session)\n"
		"  -f FILE      run the commands in FILE ('-': standard input)\n"
		"  -t           with -f: echo each command after its prompt and go on\n"
		"               past errors (a transcript)\n"
		"  -j           JSON output: one document (several -c, -f: one array);\n"
		"               an error is {\"error\": \"...\"}\n"
		"  -s SOCKET    the control socket (default $XBR_SOCKET, else %s)\n"
		"  -V, --version\n"
		"               print the version\n"
		"  -h, --help   print this help\n"
		"  --complete LINE\n"
		"               print the words that may end LINE, one a line (what\n"
		"               TAB offers there; for shell completion)\n"
		"With neither -c nor -f: an interactive shell (TAB completes, ? helps).\n"
		"A command may end in filters: | include RE, | exclude RE, | begin RE,\n"
		"| count.\n",
		DEFAULT_SOCK);
}

/* --complete LINE: the daemon's candidates for the last word of LINE. */
static int complete_once(const char *line)
{
	struct reply r = { 0 };
	int ret = request(CTL_COMPLETE, 0, line, &r);

	if (!ret && r.buf)
		fputs(r.buf, stdout);
	reply_free(&r);
	return ret ? 1 : 0;
}

/* Several -c: each in turn, to the first error; with -j one array.
 * Ctrl-C (SIGINT) ends a monitor, and the command, with status 0. */
static int run_commands(const char **cmds, int n, uint32_t flags)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int i, ret = 0;
	sigset_t sigs;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	/* it comes only while waiting for the daemon (ppoll) */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, &reply_mask);
	if (json && n > 1)
		printf("[\n");
	for (i = 0; i < n && !ret; i++) {
		if (json && n > 1 && i)
			printf(",\n");
		fflush(stdout);
		ret = run_line(cmds[i], flags) ? 1 : 0;
	}
	if (json && n > 1)
		printf("]\n");
	return ret;
}

int main(int argc, char **argv)
{
	enum { OPT_COMPLETE = 256 };
	static const struct option lo[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ "complete", required_argument, NULL, OPT_COMPLETE },
		{}
	};
	const char *cmds[32], *file = NULL, *completing = NULL;
	bool transcript = false;
	uint32_t flags = 0;
	int c, ncmds = 0;

	if (getenv("XBR_SOCKET") && *getenv("XBR_SOCKET"))
		sock_path = getenv("XBR_SOCKET");
	while ((c = getopt_long(argc, argv, "s:c:f:jtVh", lo, NULL)) != -1) {
		switch (c) {
		case OPT_COMPLETE:
			completing = optarg;
			break;
		case 's':
			sock_path = optarg;
			break;
		case 'c':
			if (ncmds == 32) {
				fprintf(stderr, "xbr-cli: too many -c\n");
				return 2;
			}
			cmds[ncmds++] = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'j':
			flags |= CTL_F_JSON;
			json = true;
			break;
		case 't':
			transcript = true;
			break;
		case 'V':
			printf("xbr-cli %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (ncmds && file) {
		fprintf(stderr, "xbr-cli: -c and -f: give one or the other\n");
		return 2;
	}
	gethostname(hostname, sizeof(hostname) - 1);
	ctl_fd = connect_daemon();
	if (ctl_fd < 0)
		return 1;
	if (completing)
		return complete_once(completing);
	if (ncmds)
		return run_commands(cmds, ncmds, flags);
	if (file)
		return batch(file, flags, transcript);
	if (!isatty(STDIN_FILENO))
		return batch("-", flags, transcript);
	return interactive(flags);
}
