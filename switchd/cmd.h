/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command language engine: modes, command specs with help per token,
 * matching (exact word or unique prefix), completion and `?` help. The
 * commands themselves are declared in cmds.c.
 */
#ifndef XBR_CMD_H
#define XBR_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "datapath/dp.h"

enum cmd_mode { MODE_EXEC = 0, MODE_CONFIG, MODE_BRIDGE, MODE_MAX };

#define MODE_BIT(m)  (1U << (m))
#define MODES_CONFIG (MODE_BIT(MODE_CONFIG) | MODE_BIT(MODE_BRIDGE))
#define MODES_ALL    ((1U << MODE_MAX) - 1)

/* Output of one command: text, or JSON when the session asked for it. */
struct out {
	char *buf;
	size_t len, cap;
	bool json;
	bool need_comma; /* JSON: a value was written at this level */
};

void out_printf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void out_reset(struct out *o);
/* Empty the buffer of text that was sent, in the middle of a JSON value. */
void out_sent(struct out *o);
void out_free(struct out *o);
/* JSON building, no-ops in text mode. */
void out_json_open(struct out *o, const char *key, char bracket);
void out_json_close(struct out *o, char bracket);
void out_json_str(struct out *o, const char *key, const char *value);
void out_json_uint(struct out *o, const char *key, unsigned long long v);
void out_json_bool(struct out *o, const char *key, bool v);

struct cmd_session;

/*
 * A command with long output writes a first part and leaves the rest to a
 * continuation: it is called each time what is in out has been sent, to
 * write the next part, and returns false after the last. Memory then holds
 * one part of the text, not all of it.
 */
typedef bool (*cmd_more_fn)(struct cmd_session *s);

struct cmd_session {
	enum cmd_mode mode;
	char bridge[DP_BRIDGE_NAME_MAX + 1]; /* MODE_BRIDGE */
	struct out out;
	bool boot; /* reading the startup file: the store only */
	cmd_more_fn more;
	void *more_ctx;
	void (*more_free)(void *ctx);
};

/* Drop a pending continuation. */
void cmd_more_cancel(struct cmd_session *s);

struct cmd_token;
struct cmd_variant;

struct cmd_call {
	struct cmd_session *s;
	const struct cmd_variant *v;
	int argc;
	const char *argv[32]; /* as typed; keywords completed */
};

typedef int (*cmd_fn)(struct cmd_call *c);

struct cmd_def {
	unsigned int modes; /* MODE_BIT()s */
	const char *spec;   /* "show mac address-table [vlan VID] [count]" */
	const char *help;   /* one line per token of spec, in order */
	cmd_fn fn;
};

/* Value of the token named name: a value token ("IFNAME"), or the token
 * after the keyword name ("vlan" -> its VID). NULL when absent. */
const char *cmd_arg(const struct cmd_call *c, const char *name);
bool cmd_has(const struct cmd_call *c, const char *keyword);

/* Supplies the names a value token can complete to. */
typedef void (*cmd_names_fn)(struct cmd_session *s, const char *type,
			     void (*add)(void *ctx, const char *name),
			     void *ctx);

/* Load a table of commands; 0 or -EINVAL (a bad spec, logged). */
int cmd_register(const struct cmd_def *defs, size_t n, cmd_names_fn names);
void cmd_unregister_all(void);

/*
 * Run one line in the session's mode. Output (and error text, starting with
 * "% ") goes to s->out. Returns 0, or -errno for an error the caller
 * reports as the status. Blank lines and "!" comments do nothing.
 */
int cmd_execute(struct cmd_session *s, const char *line);
/* Newline-separated completions of the line's last word. */
void cmd_complete(struct cmd_session *s, const char *line, struct out *o);
/* "?": what may come next, one "word  help" line each. */
void cmd_help(struct cmd_session *s, const char *line, struct out *o);

/* Print every command's mode and spec, one a line (for documentation
 * checks). */
void cmd_list(struct out *o);

/* Value checks shared with handlers. */
int cmd_parse_uint(const char *s, unsigned long lo, unsigned long hi,
		   unsigned long *out);

#endif /* XBR_CMD_H */
