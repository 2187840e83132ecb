// SPDX-License-Identifier: GPL-2.0-only
/* The command language engine. doc/switchd.md describes the grammar. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "switchd/cmd.h"

#define MAX_WORDS 32

enum tok_type {
	T_KEYWORD,
	T_NAME, /* a bridge name */
	T_IFNAME,
	T_MAC,
	T_VID,
	T_RANGE,    /* (lo-hi) */
	T_VLANLIST, /* 10,20,30-40, all or none */
};

struct cmd_token {
	enum tok_type type;
	char *text; /* the keyword, or the value's name */
	char *help;
	unsigned long lo, hi;
	int group; /* optional group, -1 for none */
};

struct cmd_variant {
	const struct cmd_def *def;
	int n;
	struct cmd_token *tok[MAX_WORDS];
};

static struct cmd_variant *variants;
static size_t nvariants;
static struct cmd_token **all_tokens; /* owned, for freeing */
static size_t ntokens;
static cmd_names_fn names_fn;

/* ---- output ---- */

static void out_grow(struct out *o, size_t need)
{
	char *nb;
	size_t cap = o->cap ? o->cap : 1024;

	while (cap < o->len + need + 1)
		cap *= 2;
	if (cap == o->cap)
		return;
	nb = realloc(o->buf, cap);
	if (!nb)
		abort(); /* out of memory: nothing sensible is left */
	o->buf = nb;
	o->cap = cap;
}

static void out_vprintf(struct out *o, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	/* One pass when the text fits the room there is (it mostly does). */
	out_grow(o, 256);
	va_copy(ap2, ap);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t)n >= o->cap - o->len) {
		out_grow(o, (size_t)n);
		vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
	}
	o->len += (size_t)n;
}

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
}

void out_reset(struct out *o)
{
	o->len = 0;
	o->need_comma = false;
	if (o->buf)
		o->buf[0] = '\0';
}

void out_sent(struct out *o)
{
	o->len = 0;
	if (o->buf)
		o->buf[0] = '\0';
}

void cmd_more_cancel(struct cmd_session *s)
{
	if (s->more_free && s->more_ctx)
		s->more_free(s->more_ctx);
	s->more = NULL;
	s->more_ctx = NULL;
	s->more_free = NULL;
}

void out_free(struct out *o)
{
	free(o->buf);
	memset(o, 0, sizeof(*o));
}

static void json_key(struct out *o, const char *key)
{
	if (o->need_comma)
		out_printf(o, ",");
	if (key)
		out_printf(o, "\"%s\":", key);
}

void out_json_open(struct out *o, const char *key, char bracket)
{
	if (!o->json)
		return;
	json_key(o, key);
	out_printf(o, "%c", bracket);
	o->need_comma = false;
}

void out_json_close(struct out *o, char bracket)
{
	if (!o->json)
		return;
	out_printf(o, "%c", bracket);
	o->need_comma = true;
}

void out_json_str(struct out *o, const char *key, const char *value)
{
	const char *p;

	if (!o->json)
		return;
	json_key(o, key);
	out_printf(o, "\"");
	for (p = value; *p; p++) {
		if (*p == '"' || *p == '\\')
			out_printf(o, "\\%c", *p);
		else if ((unsigned char)*p < 0x20)
			out_printf(o, "\\u%04x", *p);
		else
			out_printf(o, "%c", *p);
	}
	out_printf(o, "\"");
	o->need_comma = true;
}

void out_json_uint(struct out *o, const char *key, unsigned long long v)
{
	if (!o->json)
		return;
	json_key(o, key);
	out_printf(o, "%llu", v);
	o->need_comma = true;
}

void out_json_bool(struct out *o, const char *key, bool v)
{
	if (!o->json)
		return;
	json_key(o, key);
	out_printf(o, "%s", v ? "true" : "false");
	o->need_comma = true;
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

static bool valid_name(const char *w)
{
	size_t i, n = strlen(w);

	if (!n || n > DP_BRIDGE_NAME_MAX || !isalpha((unsigned char)w[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)w[i]) && !strchr("_-.", w[i]))
			return false;
	return true;
}

static bool valid_ifname(const char *w)
{
	size_t n = strlen(w);

	return n && n < IF_NAMESIZE && !strchr(w, '/') && strcmp(w, ".") &&
	       strcmp(w, "..");
}

static bool valid_value(const struct cmd_token *t, const char *w)
{
	__u8 mac[6];

	switch (t->type) {
	case T_NAME:
		return valid_name(w);
	case T_IFNAME:
		return valid_ifname(w);
	case T_MAC:
		return strlen(w) == 17 && !dp_mac_parse(w, mac);
	case T_VID:
		return !cmd_parse_uint(w, 1, XBR_VID_MAX, NULL);
	case T_RANGE:
		return !cmd_parse_uint(w, t->lo, t->hi, NULL);
	case T_VLANLIST: {
		struct xbr_vlan_set set;

		return !strcmp(w, "none") || !dp_vlan_list_parse(w, &set);
	}
	case T_KEYWORD:
		break;
	}
	return false;
}

static const char *value_desc(const struct cmd_token *t, char *buf, size_t len)
{
	switch (t->type) {
	case T_NAME:
		return "a name: a letter, then letters, digits, '_', '-', '.' (15 at most)";
	case T_IFNAME:
		return "an interface name";
	case T_MAC:
		return "a MAC address aa:bb:cc:dd:ee:ff";
	case T_VID:
		return "a VLAN id 1-4094";
	case T_RANGE:
		snprintf(buf, len, "a number %lu-%lu", t->lo, t->hi);
		return buf;
	case T_VLANLIST:
		return "VLANs 1-4094 as 10,20,30-40, all or none";
	case T_KEYWORD:
		break;
	}
	return "?";
}

/* ---- loading specs ---- */

static struct cmd_token *token_new(const char *word, const char *help,
				   int group)
{
	struct cmd_token *t = calloc(1, sizeof(*t));
	struct cmd_token **grown;

	if (!t)
		return NULL;
	t->group = group;
	t->text = strdup(word);
	t->help = strdup(help);
	if (!strcmp(word, "NAME"))
		t->type = T_NAME;
	else if (!strcmp(word, "IFNAME"))
		t->type = T_IFNAME;
	else if (!strcmp(word, "MAC"))
		t->type = T_MAC;
	else if (!strcmp(word, "VID"))
		t->type = T_VID;
	else if (!strcmp(word, "VLANLIST"))
		t->type = T_VLANLIST;
	else if (sscanf(word, "(%lu-%lu)", &t->lo, &t->hi) == 2)
		t->type = T_RANGE;
	else
		t->type = T_KEYWORD;
	grown = realloc(all_tokens, (ntokens + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	all_tokens = grown;
	all_tokens[ntokens++] = t;
	return t;
}

static int add_variant(const struct cmd_def *def, struct cmd_token **toks,
		       int n, unsigned int mask)
{
	struct cmd_variant v = { .def = def }, *grown;
	int i;

	for (i = 0; i < n; i++)
		if (toks[i]->group < 0 || (mask & (1U << toks[i]->group)))
			v.tok[v.n++] = toks[i];
	grown = realloc(variants, (nvariants + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	variants = grown;
	variants[nvariants++] = v;
	return 0;
}

static int load_def(const struct cmd_def *def)
{
	struct cmd_token *toks[MAX_WORDS];
	char spec[512], help[2048], *sp, *hp, *word, *hline;
	unsigned int mask;
	int n = 0, groups = 0, group = -1, err;
	size_t len;

	snprintf(spec, sizeof(spec), "%s", def->spec);
	snprintf(help, sizeof(help), "%s", def->help);
	hp = help;
	for (word = strtok_r(spec, " ", &sp); word;
	     word = strtok_r(NULL, " ", &sp)) {
		if (word[0] == '[') {
			group = groups++;
			word++;
		}
		len = strlen(word);
		bool closes = len && word[len - 1] == ']';

		if (closes)
			word[len - 1] = '\0';
		hline = hp;
		hp = strchr(hp, '\n');
		if (!hline[0] || n == MAX_WORDS || groups > 8) {
			log_err("command '%s': help or tokens missing",
				def->spec);
			return -EINVAL;
		}
		if (hp)
			*hp++ = '\0';
		else
			hp = hline + strlen(hline);
		toks[n] = token_new(word, hline, group);
		if (!toks[n])
			return -ENOMEM;
		n++;
		if (closes)
			group = -1;
	}
	for (mask = 0; mask < (1U << groups); mask++) {
		err = add_variant(def, toks, n, mask);
		if (err)
			return err;
	}
	return 0;
}

int cmd_register(const struct cmd_def *defs, size_t n, cmd_names_fn names)
{
	size_t i;
	int err;

	names_fn = names;
	for (i = 0; i < n; i++) {
		err = load_def(&defs[i]);
		if (err)
			return err;
	}
	return 0;
}

void cmd_list(struct out *o)
{
	static const char *const mode_names[MODE_MAX] = { "exec", "config",
							  "bridge" };
	const struct cmd_def *last = NULL;
	size_t i;
	int m;

	for (i = 0; i < nvariants; i++) {
		if (variants[i].def == last)
			continue;
		last = variants[i].def;
		for (m = 0; m < MODE_MAX; m++)
			if (last->modes & MODE_BIT(m))
				out_printf(o, "%s\t%s\n", mode_names[m],
					   last->spec);
	}
}

void cmd_unregister_all(void)
{
	size_t i;

	for (i = 0; i < ntokens; i++) {
		free(all_tokens[i]->text);
		free(all_tokens[i]->help);
		free(all_tokens[i]);
	}
	free(all_tokens);
	free(variants);
	all_tokens = NULL;
	variants = NULL;
	ntokens = nvariants = 0;
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
	return valid_value(t, w) ? M_VALUE : M_NONE;
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

static void match_start(struct cmd_session *s, struct match *m)
{
	size_t i;

	m->n = 0;
	for (i = 0; i < nvariants && m->n < 4096; i++)
		if (variants[i].def->modes & MODE_BIT(s->mode))
			m->alive[m->n++] = i;
}

/* "% Ambiguous command at 'c': could be clear configure copy" */
static void ambiguous_message(struct out *err, const struct match *m, size_t n,
			      int pos, const char *word)
{
	const char *seen[64];
	size_t i, j, nseen = 0;

	for (i = 0; i < n && nseen < 64; i++) {
		const char *t = variants[m->alive[i]].tok[pos]->text;

		for (j = 0; j < nseen && strcmp(seen[j], t); j++)
			;
		if (j == nseen)
			seen[nseen++] = t;
	}
	out_printf(err, "%% Ambiguous command at '%s': could be", word);
	for (j = 0; j < nseen; j++)
		out_printf(err, " %s", seen[j]);
	out_printf(err, "\n");
}

/*
 * Narrow m to the variants that take word at position pos, best match
 * class first. 0, or -EINVAL with a message in err (when err is set).
 */
static int match_step(struct match *m, int pos, const char *word,
		      struct out *err)
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
		if (!err)
			return -EINVAL;
		if (!pos)
			out_printf(err, "%% Unknown command: %s\n", word);
		else if (!longer)
			out_printf(err, "%% Too many words at '%s'\n", word);
		else if (bad)
			out_printf(err, "%% Invalid value '%s': want %s\n",
				   word, value_desc(bad, desc, sizeof(desc)));
		else
			out_printf(err, "%% Invalid input at '%s'\n", word);
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
		if (err)
			ambiguous_message(err, m, k, pos, word);
		return -EINVAL;
	}
	m->n = k;
	return 0;
}

int cmd_execute(struct cmd_session *s, const char *line)
{
	char buf[1024], *words[MAX_WORDS];
	struct cmd_call call = { .s = s };
	const struct cmd_variant *v = NULL;
	struct match *m;
	int n, i, ret;
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
	m = malloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	match_start(s, m);
	for (i = 0; i < n; i++) {
		ret = match_step(m, i, words[i], &s->out);
		if (ret)
			goto out;
	}
	for (j = 0; j < m->n; j++) {
		if (variants[m->alive[j]].n == n) {
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
	call.argc = n;
	for (i = 0; i < n; i++)
		call.argv[i] = v->tok[i]->type == T_KEYWORD ? v->tok[i]->text
							    : words[i];
	ret = v->def->fn(&call);
out:
	free(m);
	return ret;
}

const char *cmd_arg(const struct cmd_call *c, const char *name)
{
	int i;

	for (i = 0; i < c->argc; i++) {
		const struct cmd_token *t = c->v->tok[i];

		if (t->type != T_KEYWORD && !strcmp(t->text, name))
			return c->argv[i];
		if (t->type == T_KEYWORD && !strcmp(t->text, name) &&
		    i + 1 < c->argc && c->v->tok[i + 1]->type != T_KEYWORD)
			return c->argv[i + 1];
	}
	return NULL;
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
	int n, i;

	snprintf(buf, len, "%s", line);
	n = split(buf, words);
	if (n < 0)
		return -1;
	*partial = "";
	if (n && !trailing)
		*partial = words[--n];
	match_start(s, m);
	for (i = 0; i < n; i++)
		if (match_step(m, i, words[i], NULL))
			return -1;
	return n;
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
		else if (names_fn)
			names_fn(s, v->tok[pos]->text, cand_add, &c);
	}
	qsort(c.item, (size_t)c.n, sizeof(c.item[0]), cand_cmp);
	for (i = 0; i < c.n; i++) {
		out_printf(o, "%s\n", c.item[i]);
		free(c.item[i]);
	}
	free(m);
}

static int tok_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct cmd_token *const *)a)->text,
		      (*(const struct cmd_token *const *)b)->text);
}

void cmd_help(struct cmd_session *s, const char *line, struct out *o)
{
	const struct cmd_token *seen[256];
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
		if (*partial && match_word(t, partial) == M_NONE &&
		    (t->type == T_KEYWORD || !valid_value(t, partial)))
			continue;
		for (i = 0; i < nseen; i++)
			if (!strcmp(seen[i]->text, t->text))
				dup = true;
		if (dup || nseen == 256)
			continue;
		seen[nseen++] = t;
	}
	qsort(seen, (size_t)nseen, sizeof(seen[0]), tok_cmp);
	for (i = 0; i < nseen; i++)
		out_printf(o, "  %-22s %s\n", seen[i]->text, seen[i]->help);
	if (cr)
		out_printf(o, "  %-22s %s\n", "<cr>", "");
	if (!nseen && !cr)
		out_printf(o, "%% There is no such command\n");
	free(m);
}
