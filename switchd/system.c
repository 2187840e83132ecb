// SPDX-License-Identifier: GPL-2.0-only
/*
 * The system: show version, the running config and the startup file
 * (show, write memory; the file itself is switchd/startup.c's).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "switchd/startup.h"
#include "switchd/switchd.h"

static int do_show_version(struct cmd_call *c)
{
	struct out *o = &c->s->out;

	out_open(o, NULL, '{');
	out_str(o, "version", "xbr %s: XDP Ethernet switch\n", PACKAGE_VERSION);
	out_close(o, '}');
	return 0;
}

/* A configuration is the command language: it has no JSON form. */
static int no_json(struct cmd_call *c)
{
	return sw_say(c, -EOPNOTSUPP,
		      "show %s has no JSON form: it is the command language",
		      c->argv[1]);
}

static int do_show_running(struct cmd_call *c)
{
	if (c->s->out.json)
		return no_json(c);
	cmds_running_config(&c->s->out);
	return 0;
}

static int do_show_startup(struct cmd_call *c)
{
	if (c->s->out.json)
		return no_json(c);
	return startup_show(c->s, sw->startup_path);
}

static int do_write_memory(struct cmd_call *c)
{
	return startup_save(c->s, sw->startup_path);
}

static const struct cmd_def system_cmds[] = {
	SW_SHOW("version", "The version of xbr", do_show_version),
	SW_SHOW("running-config", "The configuration in force",
		do_show_running),
	SW_SHOW("startup-config", "The configuration read at boot",
		do_show_startup),
	{ MODE_BIT(MODE_EXEC), "write memory",
	  "Save information\nSave the running config as the startup config",
	  do_write_memory },
	{ MODE_BIT(MODE_EXEC), "copy running-config startup-config",
	  "Copy a configuration\nThe configuration in force\n"
	  "The configuration read at boot",
	  do_write_memory },
};

SW_FEATURE(system);
