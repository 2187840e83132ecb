// SPDX-License-Identifier: GPL-2.0-only
/*
 * xbr-cli: the shell of an xbr switch. A thin client: every line, TAB
 * completion and `?` help goes to xbr-switchd, which holds the grammar.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "config.h"
#include "lib/ctl_proto.h"
#include "lib/text.h"

#define DEFAULT_SOCK "/run/xbr/xbr.sock"

static int ctl_fd = -1;
static const char *sock_path = DEFAULT_SOCK;
static char mode_prompt[128];
static char hostname[64] = "xbr";

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
		fwrite(r->buf, 1, r->len, stdout);
		reply_free(r);
		r->streamed = true;
	}
	if (r->streamed) {
		fwrite(data, 1, n, stdout);
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
	ssize_t n;

	if (len > CTL_MAX_LINE) {
		fprintf(stderr, "%% Line too long (%d characters at most)\n",
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
		n = recv(ctl_fd, msg, sizeof(msg) - 1, 0);
		if (n < (ssize_t)sizeof(*h))
			goto gone;
		msg[n] = '\0';
		n -= (ssize_t)sizeof(*h);
		if (h->type == CTL_END) {
			snprintf(mode_prompt, sizeof(mode_prompt), "%s",
				 msg + sizeof(*h));
			return h->status;
		}
		if (r && reply_add(r, msg + sizeof(*h), (size_t)n))
			return -ENOMEM;
	}
gone:
	fprintf(stderr, "xbr-cli: the connection to xbr-switchd was lost\n");
	return -EPIPE;
}

/* Run a line: output to stdout, or to stderr when it failed. */
static int run_line(const char *line, uint32_t flags)
{
	struct reply r = { .stream = true };
	int ret = request(CTL_EXEC, flags, line, &r);

	if (r.buf)
		fputs(r.buf, ret ? stderr : stdout);
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

static int interactive(uint32_t flags)
{
	char hist[512] = "";
	const char *home = getenv("HOME");
	char *line;
	int ret;

	if (home)
		snprintf(hist, sizeof(hist), "%s/.xbr_history", home);
	rl_readline_name = "xbr-cli";
	rl_attempted_completion_function = complete;
	rl_bind_key('?', help_key);
	using_history();
	if (hist[0])
		read_history(hist);
	request(CTL_EXEC, 0, "", NULL); /* the prompt of the mode */
	while ((line = readline(prompt()))) {
		if (*line)
			add_history(line);
		ret = run_line(line, flags);
		if (ret == -EPIPE) {
			free(line);
			break;
		}
		/* "exit" in exec mode leaves the shell */
		if (!ret && !mode_prompt[0] &&
		    (!strcmp(line, "exit") || !strcmp(line, "quit"))) {
			free(line);
			break;
		}
		free(line);
	}
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
	int lineno = 0, ret = 0, failed = 0;
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
		if (refused) {
			fprintf(stderr, "%s:%d: %% %s\n", path, lineno,
				refused);
			ret = -EINVAL;
			break;
		}
		if (skip)
			continue;
		memset(&r, 0, sizeof(r));
		r.stream = true;
		ret = request(CTL_EXEC, flags, line, &r);
		if (ret && transcript && ret != -EPIPE) {
			fputs(r.buf ? r.buf : "", stdout);
			reply_free(&r);
			failed++;
			continue;
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
	free(line);
	if (f != stdin)
		fclose(f);
	return ret || failed ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xbr-cli [-s SOCKET] [-j] [-c COMMAND]... [-f FILE]\n"
		"  -c COMMAND   run one command (several -c run in order, in one session)\n"
		"  -f FILE      run the commands in FILE ('-': standard input)\n"
		"  -t           with -f: echo each command after its prompt and go on\n"
		"               past errors (a transcript)\n"
		"  -j           JSON output\n"
		"  -s SOCKET    the control socket (default %s)\n"
		"  -V, --version\n"
		"               print the version\n"
		"  --complete LINE\n"
		"               print the words that may end LINE, one a line (what\n"
		"               TAB offers there; for shell completion)\n"
		"With neither -c nor -f: an interactive shell (TAB completes, ? helps).\n",
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
	int c, ncmds = 0, i, ret = 0;

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
	gethostname(hostname, sizeof(hostname) - 1);
	ctl_fd = connect_daemon();
	if (ctl_fd < 0)
		return 1;
	if (completing)
		return complete_once(completing);
	for (i = 0; i < ncmds && !ret; i++)
		ret = run_line(cmds[i], flags) ? 1 : 0;
	if (ncmds)
		return ret;
	if (file)
		return batch(file, flags, transcript);
	if (!isatty(STDIN_FILENO))
		return batch("-", flags, transcript);
	return interactive(flags);
}
