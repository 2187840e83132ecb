// SPDX-License-Identifier: GPL-2.0-only
/* The command language engine. doc/switchd.md describes the grammar. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "switchd/cmd.h"

#define MAX_WORDS  CMD_MAX_WORDS
#define MAX_TYPES  32
#define MAX_ALTS   8
#define MAX_GROUPS 8

enum tok_type {
	T_KEYWORD,
	T_VALUE, /* of a registered type */
	T_RANGE, /* (lo-hi) */
};

struct cmd_token {
	enum tok_type type;
	const struct cmd_type *vt; /* T_VALUE */
	char *text;		   /* the keyword, or the value's name */
	char *help;
	char *help_no; /* in the "no" form, when it differs */
	unsigned long lo, hi;
};

struct cmd_variant {
	const struct cmd_def *def;
	bool no;
	int n;
	struct cmd_token *tok[MAX_WORDS];
};

static struct cmd_variant *variants;
static size_t nvariants;
static struct cmd_token **all_tokens; /* owned, for freeing */
static size_t ntokens;
static const struct cmd_type *types[MAX_TYPES];
static size_t ntypes;
static const struct cmd_def **defs_seen; /* in order, for cmd_list */
static size_t ndefs;

void cmd_more_cancel(struct cmd_session *s)
{
	if (s->more_free && s->more_ctx)
		s->more_free(s->more_ctx);
	s->more = NULL;
	s->more_ctx = NULL;
	s->more_free = NULL;
}

void cmd_history_add(struct cmd_session *s, const char *line)
{
	char *copy;

	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line)
		return;
	copy = strdup(line);
	if (!copy)
		return;
	if (s->nhistory == CMD_HISTORY) {
		free(s->history[0]);
		memmove(s->history, s->history + 1,
			(CMD_HISTORY - 1) * sizeof(s->history[0]));
		s->nhistory--;
	}
	s->history[s->nhistory++] = copy;
}

void cmd_session_free(struct cmd_session *s)
{
	int i;

	cmd_more_cancel(s);
	for (i = 0; i < s->nhistory; i++)
		free(s->history[i]);
	s->nhistory = 0;
	out_free(&s->out);
}

/* ---- values ---- */

int cmd_parse_uint(const char *s, unsigned long lo, unsigned long hi,
		   unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v < lo || v > hi)
		return -EINVAL;
	if (out)
		*out = v;
	return 0;
}

int cmd_type_register(const struct cmd_type *t)
{
	if (ntypes == MAX_TYPES)
		return -ENOSPC;
	types[ntypes++] = t;
	return 0;
}

static const struct cmd_type *type_find(const char *name)
{
	size_t i;

	for (i = 0; i < ntypes; i++)
		if (!strcmp(types[i]->name, name))
			return types[i];
	return NULL;
}

/* 0 when w is a value of the token, parsed into v (if set). */
static int parse_value(const struct cmd_token *t, const char *w,
		       struct cmd_value *v)
{
	unsigned long n;

	switch (t->type) {
	case T_VALUE:
		return t->vt->parse(w, v);
	case T_RANGE:
		if (cmd_parse_uint(w, t->lo, t->hi, &n))
			return -EINVAL;
		if (v)
			v->num = n;
		return 0;
	case T_KEYWORD:
		break;
	}
	return -EINVAL;
}

static const char *value_desc(const struct cmd_token *t, char *buf, size_t len)
{
	if (t->type == T_VALUE)
		return t->vt->desc;
	snprintf(buf, len, "a number %lu-%lu", t->lo, t->hi);
	return buf;
}

/* ---- loading specs ---- */

static struct cmd_token *token_new(const char *word, char *help)
{
	struct cmd_token *t = calloc(1, sizeof(*t));
	struct cmd_token **grown;
	char *bar = strchr(help, '|');

	if (!t)
		return NULL;
	grown = realloc(all_tokens, (ntokens + 1) * sizeof(*grown));
	if (!grown) {
		free(t);
		return NULL;
	}
	all_tokens = grown;
	all_tokens[ntokens++] = t;
	if (bar)
		*bar++ = '\0';
	t->text = strdup(word);
	t->help = strdup(help);
	t->help_no = bar ? strdup(bar) : NULL;
	t->vt = type_find(word);
	if (t->vt)
		t->type = T_VALUE;
	else if (sscanf(word, "(%lu-%lu)", &t->lo, &t->hi) == 2)
		t->type = T_RANGE;
	else
		t->type = T_KEYWORD;
	if (!t->text || !t->help || (bar && !t->help_no))
		return NULL;
	return t;
}

/* A place in a spec: one word, or alternatives. */
struct slot {
	struct cmd_token *alt[MAX_ALTS];
	int nalt;
	int group;     /* optional group, -1 for none */
	bool pos_only; /* in { }: not in the "no" form */
};

struct spec {
	const struct cmd_def *def;
	struct slot slot[MAX_WORDS];
	int n, groups, nogroup;
};

static int add_variant(const struct cmd_variant *v)
{
	struct cmd_variant *grown;

	grown = realloc(variants, (nvariants + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	variants = grown;
	variants[nvariants++] = *v;
	return 0;
}

/* Every choice of alternatives from slot i on. */
static int expand(const struct spec *sp, unsigned int mask, int i,
		  struct cmd_variant *v)
{
	const struct slot *s;
	int a, n = v->n, err;

	for (; i < sp->n; i++) {
		s = &sp->slot[i];
		if ((s->group >= 0 && !(mask & (1U << s->group))) ||
		    (v->no && s->pos_only))
			continue;
		if (s->nalt > 1)
			break;
		v->tok[v->n++] = s->alt[0];
	}
	if (i == sp->n) {
		err = add_variant(v);
		v->n = n;
		return err;
	}
	s = &sp->slot[i];
	for (a = 0; a < s->nalt; a++) {
		v->tok[v->n++] = s->alt[a];
		err = expand(sp, mask, i + 1, v);
		v->n--;
		if (err)
			return err;
	}
	v->n = n;
	return 0;
}

/* A group of the positive form only: it is absent from "no" variants. */
static bool group_pos_only(const struct spec *sp, int g)
{
	int i;

	for (i = 0; i < sp->n; i++)
		if (sp->slot[i].group == g && !sp->slot[i].pos_only)
			return false;
	return true;
}

static int add_variants(const struct spec *sp)
{
	struct cmd_variant v = { .def = sp->def };
	unsigned int mask;
	int g, err;

	for (mask = 0; mask < (1U << sp->groups); mask++) {
		v.no = sp->nogroup >= 0 && (mask & (1U << sp->nogroup));
		for (g = 0; v.no && g < sp->groups; g++)
			if (g != sp->nogroup && (mask & (1U << g)) &&
			    group_pos_only(sp, g))
				break;
		if (v.no && g < sp->groups)
			continue; /* the same as without that group */
		v.n = 0;
		err = expand(sp, mask, 0, &v);
		if (err)
			return err;
	}
	return 0;
}

static int spec_error(const struct cmd_def *def)
{
	log_err("command '%s': a help line, a type or a bracket is wrong",
		def->spec);
	return -EINVAL;
}

/* The next help line of *hp, cut out of it; NULL when there is none. */
static char *help_line(char **hp)
{
	char *line = *hp, *nl;

	if (!line[0])
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*hp = nl + 1;
	} else {
		*hp = line + strlen(line);
	}
	return line;
}

static int load_def(const struct cmd_def *def)
{
	struct spec sp;
	char spec[512], help[2048], *save, *asave, *hp = help, *word, *alt, *h;
	int group = -1, braces = 0;
	size_t len;

	memset(&sp, 0, sizeof(sp));
	sp.def = def;
	sp.nogroup = -1;
	snprintf(spec, sizeof(spec), "%s", def->spec);
	snprintf(help, sizeof(help), "%s", def->help);
	for (word = strtok_r(spec, " ", &save); word;
	     word = strtok_r(NULL, " ", &save)) {
		struct slot *s = &sp.slot[sp.n];
		int closes = 0, unbraces = 0;

		if (sp.n == MAX_WORDS)
			return spec_error(def);
		for (; *word == '{' || *word == '['; word++) {
			if (*word == '{')
				braces++;
			else if (group < 0)
				group = sp.groups++;
			else
				return spec_error(def); /* no nesting */
		}
		for (len = strlen(word);
		     len && (word[len - 1] == ']' || word[len - 1] == '}');
		     len--) {
			if (word[len - 1] == ']')
				closes++;
			else
				unbraces++;
			word[len - 1] = '\0';
		}
		if (sp.groups > MAX_GROUPS || closes > 1 || unbraces > braces)
			return spec_error(def);
		if (!strcmp(word, "no") && !sp.n && group == 0 && closes)
			sp.nogroup = 0;
		s->group = group;
		s->pos_only = braces > 0;
		if (word[0] == '<' && word[strlen(word) - 1] == '>') {
			word[strlen(word) - 1] = '\0';
			word++;
		}
		for (alt = strtok_r(word, "|", &asave); alt;
		     alt = strtok_r(NULL, "|", &asave)) {
			h = help_line(&hp);
			if (!h || s->nalt == MAX_ALTS)
				return spec_error(def);
			s->alt[s->nalt] = token_new(alt, h);
			if (!s->alt[s->nalt++])
				return -ENOMEM;
		}
		if (!s->nalt)
			return spec_error(def);
		sp.n++;
		if (closes)
			group = -1;
		braces -= unbraces;
	}
	if (group >= 0 || braces)
		return spec_error(def);
	return add_variants(&sp);
}

int cmd_register(const struct cmd_def *defs, size_t n)
{
	const struct cmd_def **grown;
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		grown = realloc(defs_seen, (ndefs + 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		defs_seen = grown;
		defs_seen[ndefs++] = &defs[i];
		err = load_def(&defs[i]);
		if (err)
			return err;
	}
	return 0;
}

/* The spec's words from i on, with its "no" form and alternatives written
 * out: a line each. */
static void list_words(struct out *o, const char *mode, char **w, int n, int i,
		       bool no, char *line, size_t len)
{
	size_t at = strlen(line);
	char buf[128], *alt, *save;
	int braces = 0;

	for (; i < n; i++) {
		const char *word = w[i];

		if (!strcmp(word, "[no]")) {
			if (no)
				snprintf(line + strlen(line),
					 len - strlen(line), "no ");
			continue;
		}
		braces += word[0] == '{';
		if (!(no && braces)) {
			snprintf(buf, sizeof(buf), "%s",
				 word + (word[0] == '{'));
			buf[strcspn(buf, "}")] = '\0';
			if (strchr(buf, '<'))
				break;
			snprintf(line + strlen(line), len - strlen(line), "%s ",
				 buf);
		}
		braces -= strchr(word, '}') != NULL;
	}
	if (i == n) {
		line[strlen(line) - 1] = '\0'; /* the last space */
		out_printf(o, "%s\t%s\n", mode, line);
	} else {
		/* "[<a|b>]" and "<a|b>": one line per alternative */
		char *lt = strchr(buf, '<'), *gt = strchr(buf, '>');

		*gt = '\0';
		for (alt = strtok_r(lt + 1, "|", &save); alt;
		     alt = strtok_r(NULL, "|", &save)) {
			size_t mid = strlen(line);

			snprintf(line + mid, len - mid, "%.*s%s%s ",
				 (int)(lt - buf), buf, alt, gt + 1);
			list_words(o, mode, w, n, i + 1, no, line, len);
			line[mid] = '\0';
		}
	}
	line[at] = '\0';
}

void cmd_list(struct out *o)
{
	static const char *const mode_names[MODE_MAX] = { "exec", "config",
							  "bridge" };
	char spec[512], line[1024], *w[MAX_WORDS + 1], *save;
	size_t i;
	int m, n;

	for (i = 0; i < ndefs; i++) {
		snprintf(spec, sizeof(spec), "%s", defs_seen[i]->spec);
		n = 0;
		for (w[n] = strtok_r(spec, " ", &save); w[n] && n < MAX_WORDS;
		     w[++n] = strtok_r(NULL, " ", &save))
			;
		for (m = 0; m < MODE_MAX; m++) {
			if (!(defs_seen[i]->modes & MODE_BIT(m)))
				continue;
			line[0] = '\0';
			list_words(o, mode_names[m], w, n, 0, false, line,
				   sizeof(line));
			if (!strcmp(w[0], "[no]"))
				list_words(o, mode_names[m], w, n, 0, true,
					   line, sizeof(line));
		}
	}
}

void cmd_unregister_all(void)
{
	size_t i;

	for (i = 0; i < ntokens; i++) {
		free(all_tokens[i]->text);
		free(all_tokens[i]->help);
		free(all_tokens[i]->help_no);
		free(all_tokens[i]);
	}
	free(all_tokens);
	free(variants);
	free(defs_seen);
	all_tokens = NULL;
	variants = NULL;
	defs_seen = NULL;
	ntokens = nvariants = ndefs = ntypes = 0;
}

/* ---- matching ---- */

enum { M_NONE = 0, M_VALUE = 1, M_PARTIAL = 2, M_EXACT = 3 };

static int match_word(const struct cmd_token *t, const char *w)
{
	if (t->type == T_KEYWORD) {
		if (!strcmp(t->text, w))
			return M_EXACT;
		if (!strncmp(t->text, w, strlen(w)))
			return M_PARTIAL;
		return M_NONE;
	}
	return parse_value(t, w, NULL) ? M_NONE : M_VALUE;
}

static int split(char *line, char **words)
{
	char *sp, *w;
	int n = 0;

	for (w = strtok_r(line, " \t\r\n", &sp); w && n < MAX_WORDS;
	     w = strtok_r(NULL, " \t\r\n", &sp))
		words[n++] = w;
	return w ? -E2BIG : n;
}

struct match {
	size_t alive[4096];
	size_t n;
};

static void match_start(enum cmd_mode mode, struct match *m)
{
	size_t i;

	m->n = 0;
	for (i = 0; i < nvariants && m->n < 4096; i++)
		if (variants[i].def->modes & MODE_BIT(mode))
			m->alive[m->n++] = i;
}

/* "ambiguous, could be clear configure copy" (or the keywords that may
 * come at pos, for "want"): the distinct words of the variants at pos. */
static void words_at(char *why, size_t len, const struct match *m, size_t n,
		     int pos, const char *lead)
{
	const char *seen[64];
	size_t i, j, nseen = 0, at;

	for (i = 0; i < n && nseen < 64; i++) {
		const struct cmd_variant *v = &variants[m->alive[i]];
		const char *t;

		if (pos >= v->n || v->tok[pos]->type != T_KEYWORD)
			continue;
		t = v->tok[pos]->text;
		for (j = 0; j < nseen && strcmp(seen[j], t); j++)
			;
		if (j == nseen)
			seen[nseen++] = t;
	}
	at = (size_t)snprintf(why, len, "%s", lead);
	for (j = 0; j < nseen && at < len; j++)
		at += (size_t)snprintf(why + at, len - at, " %s", seen[j]);
}

/*
 * Narrow m to the variants that take word at position pos, best match
 * class first. 0, or -EINVAL with the reason in why (when why is set).
 */
static int match_step(struct match *m, int pos, const char *word, char *why,
		      size_t whylen)
{
	int cls[4096], best = M_NONE;
	const char *kw = NULL;
	const struct cmd_token *bad = NULL;
	bool ambiguous = false, longer = false;
	char desc[64];
	size_t i, k = 0;

	for (i = 0; i < m->n; i++) {
		const struct cmd_variant *v = &variants[m->alive[i]];

		cls[i] = M_NONE;
		if (pos >= v->n)
			continue;
		longer = true;
		cls[i] = match_word(v->tok[pos], word);
		if (cls[i] == M_NONE && v->tok[pos]->type != T_KEYWORD)
			bad = v->tok[pos];
		if (cls[i] > best)
			best = cls[i];
	}
	if (best == M_NONE) {
		if (!why)
			return -EINVAL;
		if (!pos)
			snprintf(why, whylen, "unknown command");
		else if (!longer)
			snprintf(why, whylen, "too many words");
		else if (bad)
			snprintf(why, whylen, "want %s",
				 value_desc(bad, desc, sizeof(desc)));
		else
			words_at(why, whylen, m, m->n, pos, "want one of:");
		return -EINVAL;
	}
	for (i = 0; i < m->n; i++) {
		if (cls[i] != best)
			continue;
		if (best == M_PARTIAL) {
			const char *t = variants[m->alive[i]].tok[pos]->text;

			if (kw && strcmp(kw, t))
				ambiguous = true;
			kw = t;
		}
		m->alive[k] = m->alive[i];
		k++;
	}
	if (ambiguous) {
		if (why)
			words_at(why, whylen, m, k, pos, "ambiguous, could be");
		return -EINVAL;
	}
	m->n = k;
	return 0;
}

/*
 * The one wording of a line the grammar refuses, as IOS has it: the line,
 * a caret under the offending word (text, not the startup file's one line
 * of log), and why.
 */
static void invalid_input(struct cmd_session *s, const char *line, size_t col,
			  const char *word, const char *why)
{
	struct out *o = &s->out;
	size_t i;

	if (s->boot)
		goto why;
	out_text(o, "  ");
	for (i = 0; line[i] && line[i] != '\n' && line[i] != '\r'; i++)
		out_text(o, "%c", line[i] == '\t' ? ' ' : line[i]);
	out_text(o, "\n  %*s^\n", (int)col, "");
why:
	out_printf(o, "%% Invalid input at '%s': %s\n", word, why);
}

/* "do COMMAND" in a configuration mode runs an exec command: true when
 * words (of n) are such a line. */
static bool is_do(enum cmd_mode mode, char **words, int n)
{
	return mode != MODE_EXEC && n > 1 && !strcmp(words[0], "do");
}

int cmd_execute(struct cmd_session *s, const char *line)
{
	char buf[1024], why[512], *words[MAX_WORDS];
	struct cmd_call call = { .s = s };
	const struct cmd_variant *v = NULL;
	enum cmd_mode mode = s->mode;
	struct match *m;
	int n, i, first = 0, ret;
	size_t j;

	if (strlen(line) >= sizeof(buf)) {
		out_printf(&s->out, "%% Line too long\n");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", line);
	n = split(buf, words);
	if (n < 0) {
		out_printf(&s->out, "%% Too many words\n");
		return -EINVAL;
	}
	if (!n || words[0][0] == '!' || words[0][0] == '#')
		return 0;
	if (is_do(mode, words, n) && s->boot) {
		out_printf(
			&s->out,
			"%% 'do': a startup file holds configuration commands only\n");
		return -EINVAL;
	}
	if (is_do(mode, words, n)) {
		mode = MODE_EXEC;
		first = 1;
	}
	m = malloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	match_start(mode, m);
	for (i = first; i < n; i++) {
		ret = match_step(m, i - first, words[i], why, sizeof(why));
		if (ret) {
			invalid_input(s, line, (size_t)(words[i] - buf),
				      words[i], why);
			goto out;
		}
	}
	for (j = 0; j < m->n; j++) {
		if (variants[m->alive[j]].n == n - first) {
			v = &variants[m->alive[j]];
			break;
		}
	}
	if (!v) {
		out_printf(&s->out, "%% Incomplete command\n");
		ret = -EINVAL;
		goto out;
	}
	call.v = v;
	call.no = v->no;
	call.argc = n - first;
	for (i = 0; i < call.argc; i++) {
		const char *w = words[i + first];

		call.argv[i] =
			v->tok[i]->type == T_KEYWORD ? v->tok[i]->text : w;
		if (v->tok[i]->type != T_KEYWORD)
			parse_value(v->tok[i], w, &call.val[i]);
	}
	if (first) {
		/* the exec command runs in exec mode; the session stays */
		mode = s->mode;
		s->mode = MODE_EXEC;
		ret = v->def->fn(&call);
		s->mode = mode;
		s->close = false;
	} else {
		ret = v->def->fn(&call);
	}
out:
	free(m);
	return ret;
}

/* The index of the value named name (see cmd_arg), or -1. */
static int arg_index(const struct cmd_call *c, const char *name)
{
	int i;

	for (i = 0; i < c->argc; i++) {
		const struct cmd_token *t = c->v->tok[i];

		if (t->type != T_KEYWORD && !strcmp(t->text, name))
			return i;
		if (t->type == T_KEYWORD && !strcmp(t->text, name) &&
		    i + 1 < c->argc && c->v->tok[i + 1]->type != T_KEYWORD)
			return i + 1;
	}
	return -1;
}

const char *cmd_arg(const struct cmd_call *c, const char *name)
{
	int i = arg_index(c, name);

	return i < 0 ? NULL : c->argv[i];
}

const struct cmd_value *cmd_value(const struct cmd_call *c, const char *name)
{
	int i = arg_index(c, name);

	return i < 0 ? NULL : &c->val[i];
}

unsigned long cmd_num(const struct cmd_call *c, const char *name,
		      unsigned long absent)
{
	int i = arg_index(c, name);

	return i < 0 ? absent : c->val[i].num;
}

bool cmd_has(const struct cmd_call *c, const char *keyword)
{
	int i;

	for (i = 0; i < c->argc; i++)
		if (c->v->tok[i]->type == T_KEYWORD &&
		    !strcmp(c->v->tok[i]->text, keyword))
			return true;
	return false;
}

/* ---- completion and help ---- */

struct cands {
	char *item[512];
	int n;
	const char *prefix;
};

static void cand_add(void *ctx, const char *name)
{
	struct cands *c = ctx;
	int i;

	if (strncmp(name, c->prefix, strlen(c->prefix)) || c->n == 512)
		return;
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->item[i], name))
			return;
	c->item[c->n++] = strdup(name);
}

static int cand_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The variants that take every complete word of line; *partial is the
 * word being typed ("" after a space). Returns the number of complete
 * words, or -1 when none matches.
 */
static int prepare(struct cmd_session *s, const char *line, char *buf,
		   size_t len, struct match *m, const char **partial)
{
	char *words[MAX_WORDS];
	size_t l = strlen(line);
	bool trailing = l && isspace((unsigned char)line[l - 1]);
	enum cmd_mode mode = s->mode;
	int n, i, first = 0;

	snprintf(buf, len, "%s", line);
	n = split(buf, words);
	if (n < 0)
		return -1;
	*partial = "";
	if (n && !trailing)
		*partial = words[--n];
	if (is_do(s->mode, words, n + 1)) {
		mode = MODE_EXEC;
		first = 1;
	}
	match_start(mode, m);
	for (i = first; i < n; i++)
		if (match_step(m, i - first, words[i], NULL, 0))
			return -1;
	return n - first;
}

void cmd_complete(struct cmd_session *s, const char *line, struct out *o)
{
	struct cands c = { .n = 0 };
	struct match *m = malloc(sizeof(*m));
	char buf[1024];
	int pos, i;
	size_t j;

	if (!m)
		return;
	pos = prepare(s, line, buf, sizeof(buf), m, &c.prefix);
	for (j = 0; pos >= 0 && j < m->n; j++) {
		const struct cmd_variant *v = &variants[m->alive[j]];

		if (pos >= v->n)
			continue;
		if (v->tok[pos]->type == T_KEYWORD)
			cand_add(&c, v->tok[pos]->text);
		else if (v->tok[pos]->vt && v->tok[pos]->vt->complete)
			v->tok[pos]->vt->complete(s, cand_add, &c);
	}
	qsort(c.item, (size_t)c.n, sizeof(c.item[0]), cand_cmp);
	for (i = 0; i < c.n; i++) {
		out_printf(o, "%s\n", c.item[i]);
		free(c.item[i]);
	}
	free(m);
}

/* A word that may come next, with its help in that form. */
struct next {
	const struct cmd_token *t;
	const char *help;
};

static int next_cmp(const void *a, const void *b)
{
	return strcmp(((const struct next *)a)->t->text,
		      ((const struct next *)b)->t->text);
}

void cmd_help(struct cmd_session *s, const char *line, struct out *o)
{
	struct next seen[256];
	struct match *m = malloc(sizeof(*m));
	const char *partial;
	char buf[1024];
	bool cr = false;
	int pos, nseen = 0, i;
	size_t j;

	if (!m)
		return;
	pos = prepare(s, line, buf, sizeof(buf), m, &partial);
	if (pos < 0) {
		out_printf(o, "%% There is no such command\n");
		free(m);
		return;
	}
	for (j = 0; j < m->n; j++) {
		const struct cmd_variant *v = &variants[m->alive[j]];
		const struct cmd_token *t;
		bool dup = false;

		if (pos == v->n && !*partial)
			cr = true;
		if (pos >= v->n)
			continue;
		t = v->tok[pos];
		if (*partial && match_word(t, partial) == M_NONE)
			continue;
		for (i = 0; i < nseen; i++)
			if (!strcmp(seen[i].t->text, t->text))
				dup = true;
		if (dup || nseen == 256)
			continue;
		seen[nseen].t = t;
		seen[nseen++].help = v->no && t->help_no ? t->help_no : t->help;
	}
	qsort(seen, (size_t)nseen, sizeof(seen[0]), next_cmp);
	for (i = 0; i < nseen; i++)
		out_printf(o, "  %-22s %s\n", seen[i].t->text, seen[i].help);
	if (cr)
		out_printf(o, "  %-22s %s\n", "<cr>", "");
	if (!nseen && !cr)
		out_printf(o, "%% There is no such command\n");
	free(m);
}
