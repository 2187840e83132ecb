/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command language engine: modes, command specs with help per token,
 * typed values, matching (exact word or unique prefix), completion and `?`
 * help. It knows no command: each feature of switchd registers its table
 * (see switchd.h), and the value types it names (core.c).
 *
 * A spec is a line of words, each with one line of help, in order:
 *   keyword            a word typed as it is (or a unique prefix of it)
 *   TYPE               a value of a registered type ("VID", "IFNAME")
 *   (lo-hi)            a number in a range
 *   [ ... ]            optional words (one group may span several)
 *   <a|b|c>            one of the words (a help line for each)
 *   [no] ...           first word only: the command has a "no" form, whose
 *                      handler sees c->no; words in { ... } belong to the
 *                      positive form only, and a help line "text|no text"
 *                      gives a word its help in the "no" form.
 */
#ifndef XBR_CMD_H
#define XBR_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datapath/dp.h"
#include "switchd/out.h"

enum cmd_mode { MODE_EXEC = 0, MODE_CONFIG, MODE_BRIDGE, MODE_MAX };

#define MODE_BIT(m)  (1U << (m))
#define MODES_CONFIG (MODE_BIT(MODE_CONFIG) | MODE_BIT(MODE_BRIDGE))
#define MODES_ALL    ((1U << MODE_MAX) - 1)

struct cmd_session;

#define CMD_HISTORY 64 /* lines that show history keeps */

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
	bool boot;	 /* reading the startup file: the store only */
	bool close;	 /* exit in exec mode: the client leaves */
	bool term_fixed; /* terminal length N set: pages of term_length */
	unsigned int term_length;   /* 0: no pager */
	char *history[CMD_HISTORY]; /* the session's last lines, oldest first */
	int nhistory;
	cmd_more_fn more;
	void *more_ctx;
	void (*more_free)(void *ctx);
	/* Events (switchd/events.c): the line being run and who sent it
	 * (the peer's uid; -1 unknown); the category a monitor streams
	 * (NULL: none), set by the command, ended by the client. */
	const char *line;
	int uid;
	const char *monitor;
};

/* A line the session ran, for show history; the session's lines freed. */
void cmd_history_add(struct cmd_session *s, const char *line);
void cmd_session_free(struct cmd_session *s);

/* Drop a pending continuation. */
void cmd_more_cancel(struct cmd_session *s);

/* A value as its type parsed it: handlers never parse again. */
struct cmd_value {
	unsigned long num;	   /* numbers, VLAN ids */
	uint8_t mac[6];		   /* MAC addresses */
	struct xbr_vlan_set vlans; /* VLAN lists ("none": empty) */
};

typedef void (*cmd_add_fn)(void *ctx, const char *name);

/* A type of value that specs name; ranges "(lo-hi)" are built in. */
struct cmd_type {
	const char *name; /* as in specs: "VID" */
	const char *desc; /* for errors: "a VLAN id 1-4094" */
	/* 0 when w is a value of the type, with *v filled if v is set */
	int (*parse)(const char *w, struct cmd_value *v);
	/* the values it can complete to (NULL: none) */
	void (*complete)(struct cmd_session *s, cmd_add_fn add, void *ctx);
};

/* Types are registered before the tables that name them. */
int cmd_type_register(const struct cmd_type *t);

struct cmd_variant;

#define CMD_MAX_WORDS 32

struct cmd_call {
	struct cmd_session *s;
	const struct cmd_variant *v;
	bool no; /* the "no" form */
	int argc;
	const char *argv[CMD_MAX_WORDS]; /* as typed; keywords completed */
	struct cmd_value val[CMD_MAX_WORDS];
};

typedef int (*cmd_fn)(struct cmd_call *c);

struct cmd_def {
	unsigned int modes; /* MODE_BIT()s */
	const char *spec;   /* "show mac address-table [vlan VID] [count]" */
	const char *help;   /* one line per word of spec, in order */
	cmd_fn fn;
};

/* Value of the token named name: a value token ("IFNAME"), or the token
 * after the keyword name ("vlan" -> its VID). NULL when absent. */
const char *cmd_arg(const struct cmd_call *c, const char *name);
/* The same, parsed. */
const struct cmd_value *cmd_value(const struct cmd_call *c, const char *name);
/* A number's value, or absent when it is not there. */
unsigned long cmd_num(const struct cmd_call *c, const char *name,
		      unsigned long absent);
bool cmd_has(const struct cmd_call *c, const char *keyword);

/* Load a table of commands; 0 or -EINVAL (a bad spec, logged). */
int cmd_register(const struct cmd_def *defs, size_t n);
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

/* Print every command's mode and spec, one a line, its "no" form and
 * alternatives written out (for documentation checks). */
void cmd_list(struct out *o);

/* A decimal number in [lo, hi]: 0 or -EINVAL. */
int cmd_parse_uint(const char *s, unsigned long lo, unsigned long hi,
		   unsigned long *out);

#endif /* XBR_CMD_H */
