// SPDX-License-Identifier: GPL-2.0-only
/*
 * The system: show version, the running config and the startup file
 * (show, write memory), and reading the startup file at boot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "switchd/switchd.h"

static int do_show_version(struct cmd_call *c)
{
	struct out *o = &c->s->out;

	out_open(o, NULL, '{');
	out_str(o, "version", "xbr %s: XDP Ethernet switch\n", PACKAGE_VERSION);
	out_close(o, '}');
	return 0;
}

static int do_show_running(struct cmd_call *c)
{
	cmds_running_config(&c->s->out);
	return 0;
}

static int do_show_startup(struct cmd_call *c)
{
	char buf[4096];
	ssize_t n;
	int fd = open(sw->startup_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return sw_say(c, -errno, "no startup configuration (%s: %s)",
			      sw->startup_path, strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		out_printf(&c->s->out, "%.*s", (int)n, buf);
	close(fd);
	return 0;
}

/* Replace the startup file atomically: temporary file, fsync, rename. */
static int do_write_memory(struct cmd_call *c)
{
	struct out cfg = { 0 };
	char tmp[4096], *slash;
	int fd, err = 0;

	cmds_running_config(&cfg);
	snprintf(tmp, sizeof(tmp), "%s", sw->startup_path);
	slash = strrchr(tmp, '/');
	if (slash && slash != tmp) {
		*slash = '\0';
		mkdir(tmp, 0755);
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", sw->startup_path, getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	if (write(fd, cfg.buf, cfg.len) != (ssize_t)cfg.len || fsync(fd))
		err = -errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, sw->startup_path))
		err = -errno;
	if (err)
		unlink(tmp);
out:
	out_free(&cfg);
	if (err)
		return sw_say(c, err, "cannot write %s: %s", sw->startup_path,
			      strerror(-err));
	out_printf(&c->s->out, "Saved the running configuration to %s\n",
		   sw->startup_path);
	return 0;
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

/* The startup file: one transaction for the whole file, on a cleared
 * store. A line that fails rolls it all back. Only the store changes here;
 * the caller reconciles the datapath to it. */
int cmds_load_file(const char *path, char *err, size_t errlen)
{
	struct cmd_session s = { .mode = MODE_CONFIG, .boot = true };
	char line[1024];
	int lineno = 0, ret = 0;
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	/* fault 3: every feature's settings, not only the tables */
	if (store_begin(sw->store) || store_clear(sw->store) ||
	    sw_clear_all()) {
		snprintf(err, errlen, "%s", store_error(sw->store));
		fclose(f);
		return -EIO;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		out_reset(&s.out);
		ret = cmd_execute(&s, line);
		cmd_more_cancel(&s);
		if (ret) {
			size_t n = s.out.len;

			while (n && s.out.buf[n - 1] == '\n')
				s.out.buf[--n] = '\0';
			snprintf(err, errlen, "%s:%d: %s", path, lineno,
				 s.out.buf
					 ? s.out.buf +
						   (s.out.buf[0] == '%' ? 2 : 0)
					 : "error");
			break;
		}
	}
	fclose(f);
	out_free(&s.out);
	if (ret) {
		store_rollback(sw->store);
		return ret;
	}
	if (store_commit(sw->store)) {
		snprintf(err, errlen, "%s", store_error(sw->store));
		return -EIO;
	}
	return 0;
}
