// SPDX-License-Identifier: GPL-2.0-only
/*
 * xbr-cli's output: a command's filters (| include RE, | exclude RE,
 * | begin RE, | count) and the --More-- pager, as the reply comes.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"

uint32_t page = CTL_LINES_TERMINAL; /* terminal length */
bool pager;			    /* interactive, on a terminal */

enum filter_kind { F_INCLUDE, F_EXCLUDE, F_BEGIN, F_COUNT };

#define MAX_FILTERS 4

static const char *const filter_names[] = { "include", "exclude", "begin",
					    "count" };

struct filter {
	enum filter_kind kind;
	regex_t re;
	bool begun; /* begin: a line matched */
};

/* Where a command's output goes: its filters, then the page. */
static struct sink {
	struct filter f[MAX_FILTERS];
	int nf;
	unsigned long counted;
	char *part; /* a line not ended yet */
	size_t plen;
	unsigned int shown; /* lines of this page */
	bool quit;	    /* q at the pager: the rest is dropped */
} sink;

static void sink_reset(void)
{
	int i;

	for (i = 0; i < sink.nf; i++)
		if (sink.f[i].kind != F_COUNT)
			regfree(&sink.f[i].re);
	free(sink.part);
	memset(&sink, 0, sizeof(sink));
}

/*
 * The filters of "COMMAND | FILTER [| FILTER]" (line is cut at the first
 * '|': no word of the language has one, and the daemon runs only what is
 * before it); 0, or -1 with the error said.
 */
int filters_parse(char *line)
{
	char *bar = strchr(line, '|'), *next, *word, *re;
	size_t i, len;
	int hit;

	sink_reset();
	if (!bar)
		return 0;
	if (json) {
		say_error(
			"Output filters work on text: drop -j, or filter the JSON");
		return -1;
	}
	*bar = '\0';
	for (; bar; bar = next) {
		struct filter *f = &sink.f[sink.nf];

		next = strchr(bar + 1, '|');
		if (next)
			*next = '\0';
		word = bar + 1 + strspn(bar + 1, " \t");
		len = strcspn(word, " \t");
		re = word + len + strspn(word + len, " \t");
		re[strcspn(re, "\n")] = '\0';
		while (*re && (re[strlen(re) - 1] == ' ' ||
			       re[strlen(re) - 1] == '\t'))
			re[strlen(re) - 1] = '\0';
		for (hit = -1, i = 0; len && i < 4; i++) {
			if (strncmp(filter_names[i], word, len))
				continue;
			hit = hit == -1 ? (int)i : -2;
		}
		if (hit < 0 || sink.nf == MAX_FILTERS) {
			say_error(
				"Invalid input at '%.*s': want include, exclude, begin or count after |",
				(int)len, word);
			return -1;
		}
		f->kind = (enum filter_kind)hit;
		if (f->kind == F_COUNT && *re) {
			say_error(
				"Invalid input at '%s': count takes no expression",
				re);
			return -1;
		}
		if (f->kind != F_COUNT && !*re) {
			say_error(
				"Incomplete command: %s needs a regular expression",
				filter_names[hit]);
			return -1;
		}
		if (f->kind != F_COUNT &&
		    regcomp(&f->re, re, REG_EXTENDED | REG_NOSUB)) {
			say_error(
				"Invalid input at '%s': not a regular expression",
				re);
			return -1;
		}
		sink.nf++;
	}
	return 0;
}

static unsigned int page_lines(void)
{
	struct winsize ws;

	if (page != CTL_LINES_TERMINAL)
		return page;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row > 1)
		return ws.ws_row;
	return 24;
}

/* --More--: a key from the terminal; false to stop (q, or Ctrl-C). */
static bool pager_more(void)
{
	struct termios old, raw;
	bool go = true;
	char k = ' ';

	fputs("--More--", stdout);
	fflush(stdout);
	tcgetattr(STDIN_FILENO, &old);
	raw = old;
	/* Ctrl-C here is a key (3): the signal waits for the prompt */
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	if (read(STDIN_FILENO, &k, 1) != 1 || k == 'q' || k == 'Q' || k == 3)
		go = false;
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	fputs("\r        \r", stdout);
	/* Enter: one more line; any other key: a page */
	sink.shown = k == '\r' || k == '\n' ? page_lines() - 2 : 0;
	return go;
}

/* One whole line of output (with its newline), through the filters. */
static void sink_line(const char *line, size_t n)
{
	struct filter *f;
	unsigned int lines;
	char *l;
	int i;

	if (sink.quit)
		return;
	l = strndup(line, n);
	if (!l)
		return;
	l[strcspn(l, "\n")] = '\0';
	for (i = 0; i < sink.nf; i++) {
		f = &sink.f[i];
		if (f->kind == F_COUNT) {
			sink.counted++;
			break;
		}
		if (f->kind == F_BEGIN && !f->begun)
			f->begun = !regexec(&f->re, l, 0, NULL, 0);
		if ((f->kind == F_INCLUDE && regexec(&f->re, l, 0, NULL, 0)) ||
		    (f->kind == F_EXCLUDE && !regexec(&f->re, l, 0, NULL, 0)) ||
		    (f->kind == F_BEGIN && !f->begun))
			break;
	}
	free(l);
	if (i < sink.nf)
		return;
	lines = pager ? page_lines() : 0;
	if (lines > 1 && sink.shown >= lines - 1 && !pager_more()) {
		sink.quit = true;
		return;
	}
	fwrite(line, 1, n, stdout);
	sink.shown++;
}

/* Output as it comes: cut into lines when filters or the pager need
 * them; a part of a line waits for its end. */
void sink_write(const char *data, size_t n)
{
	const char *nl;
	char *grown;
	size_t k;

	if (!sink.nf && !pager) {
		fwrite(data, 1, n, stdout);
		return;
	}
	while (n) {
		nl = memchr(data, '\n', n);
		k = nl ? (size_t)(nl - data) + 1 : n;
		if (!sink.plen && nl) {
			sink_line(data, k);
		} else {
			grown = realloc(sink.part, sink.plen + k);
			if (!grown)
				return;
			sink.part = grown;
			memcpy(sink.part + sink.plen, data, k);
			sink.plen += k;
			if (nl) {
				sink_line(sink.part, sink.plen);
				sink.plen = 0;
			}
		}
		data += k;
		n -= k;
	}
}

/* The output is whole: its last part, and a count. */
void sink_end(void)
{
	int i;

	if (sink.plen)
		sink_line(sink.part, sink.plen);
	sink.plen = 0;
	for (i = 0; i < sink.nf; i++)
		if (sink.f[i].kind == F_COUNT && !sink.quit)
			printf("%lu\n", sink.counted);
	sink_reset();
}
