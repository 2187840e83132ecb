// SPDX-License-Identifier: GPL-2.0-only
/*
 * The startup file. At boot it is read line by line, of any length, into
 * the store; it holds configuration commands only, and `end` ends it. It
 * must be a regular file: a directory, a FIFO or a device is refused
 * before anything is read, so that nothing can stall the daemon or pass
 * for an empty configuration.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/path.h"
#include "lib/text.h"
#include "switchd/startup.h"
#include "switchd/switchd.h"

#define TMP_INFIX ".tmp."

static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "not a regular file";
}

/* Open path for reading if it is a regular file: the fd, or -errno with
 * the reason in err. Opened non-blocking, so a FIFO cannot hold us. */
static int open_regular(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		goto err;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		snprintf(err, errlen, "%s: %s, not a regular file", path,
			 file_kind(st.st_mode));
		goto err;
	}
	if (fcntl(fd, F_SETFL, 0)) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		goto err;
	}
	return fd;
err:
	close(fd);
	return ret;
}

/* The session that reads a startup file, and the line that ended it. */
struct boot {
	struct cmd_session s;
	int lineno, ended;
};

/* One line of the file (its newline removed) in the boot session: 0, or
 * -errno with the message (not yet escaped) in why. */
static int load_line(struct boot *b, char *line, size_t len, char *why,
		     size_t whylen)
{
	struct cmd_session *s = &b->s;
	size_t nul = text_nul_column(line, len);
	int ret;

	if (nul) {
		snprintf(why, whylen,
			 "a NUL byte at column %zu: the line is refused", nul);
		return -EINVAL;
	}
	if (text_is_comment(line))
		return 0;
	if (b->ended) {
		snprintf(
			why, whylen,
			"'%s': a startup file holds configuration commands only, and this one ended at line %d",
			line, b->ended);
		return -EINVAL;
	}
	out_reset(&s->out);
	ret = cmd_execute(s, line);
	cmd_more_cancel(s);
	if (!ret && s->mode == MODE_EXEC)
		b->ended = b->lineno;
	if (ret) {
		size_t n = s->out.len;

		while (n && s->out.buf[n - 1] == '\n')
			n--;
		if (n)
			snprintf(why, whylen, "%.*s", (int)n,
				 s->out.buf + (s->out.buf[0] == '%' ? 2 : 0));
		else
			snprintf(why, whylen, "error %d", ret);
	}
	return ret;
}

/* "path[:line]: why" into err, control characters escaped. */
static void say_where(char *err, size_t errlen, const char *path, int lineno,
		      const char *why)
{
	char msg[2048];
	int n;

	if (lineno)
		n = snprintf(msg, sizeof(msg), "%s:%d: %s", path, lineno, why);
	else
		n = snprintf(msg, sizeof(msg), "%s: %s", path, why);
	if (n >= (int)sizeof(msg))
		n = (int)sizeof(msg) - 1;
	text_escape(err, errlen, msg, (size_t)n);
}

int startup_load(const char *path, char *err, size_t errlen)
{
	struct boot b = { .s = { .mode = MODE_CONFIG, .boot = true } };
	char why[1024], *line = NULL;
	size_t cap = 0;
	int fd, ret = 0;
	ssize_t n;
	FILE *f;

	fd = open_regular(path, why, sizeof(why));
	if (fd < 0) {
		text_escape(err, errlen, why, strlen(why));
		return fd;
	}
	f = fdopen(fd, "r");
	if (!f) {
		ret = -errno;
		close(fd);
		say_where(err, errlen, path, 0, strerror(-ret));
		return ret;
	}
	/* fault 3: every feature's settings, not only the tables */
	if (store_begin(sw->store) || store_clear(sw->store) ||
	    sw_clear_all()) {
		say_where(err, errlen, path, 0, store_error(sw->store));
		store_rollback(sw->store);
		fclose(f);
		return -EIO;
	}
	errno = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		b.lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		ret = load_line(&b, line, (size_t)n, why, sizeof(why));
		if (ret) {
			say_where(err, errlen, path, b.lineno, why);
			/* a line's error, whatever its errno, is no
			 * missing file (-ENOENT) */
			ret = -EINVAL;
			break;
		}
	}
	if (!ret && ferror(f)) {
		ret = errno ? -errno : -EIO;
		snprintf(why, sizeof(why), "read error after line %d: %s",
			 b.lineno, strerror(-ret));
		say_where(err, errlen, path, 0, why);
	}
	free(line);
	fclose(f);
	out_free(&b.s.out);
	if (ret) {
		store_rollback(sw->store);
		return ret;
	}
	if (store_commit(sw->store)) {
		say_where(err, errlen, path, 0, store_error(sw->store));
		store_rollback(sw->store);
		return -EIO;
	}
	return 0;
}

int startup_show(struct cmd_session *s, const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd, err;

	fd = open_regular(path, buf, sizeof(buf));
	if (fd == -ENOENT) {
		out_printf(&s->out, "%% no startup configuration (%s)\n", buf);
		return fd;
	}
	if (fd < 0) {
		out_printf(&s->out, "%% %s\n", buf);
		return fd;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		out_printf(&s->out, "%.*s", (int)n, buf);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		out_printf(&s->out, "%% %s: %s\n", path, strerror(-err));
	return err;
}

/* The file a save replaces: path, or what the symbolic link at path
 * names (the link stays a link). */
static const char *save_target(const char *path, char *buf)
{
	struct stat st;

	if (!lstat(path, &st) && S_ISLNK(st.st_mode) && realpath(path, buf))
		return buf;
	return path;
}

/* Replace the startup file atomically: temporary file, fsync, rename. */
int startup_save(struct cmd_session *s, const char *path)
{
	struct out cfg = { 0 };
	char tmp[4096], real[PATH_MAX];
	int fd, err = 0;

	path = save_target(path, real);
	cmds_running_config(&cfg);
	path_mkdir_parent(path, 0755);
	snprintf(tmp, sizeof(tmp), "%s" TMP_INFIX "%d", path, getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	if (write(fd, cfg.buf, cfg.len) != (ssize_t)cfg.len || fsync(fd))
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
out:
	out_free(&cfg);
	if (err) {
		out_printf(&s->out, "%% cannot write %s: %s\n", path,
			   strerror(-err));
		return err;
	}
	out_printf(&s->out, "Saved the running configuration to %s\n", path);
	return 0;
}

/* name is base TMP_INFIX digits: a temporary file of startup_save(). */
static bool is_temporary(const char *name, const char *base)
{
	size_t bl = strlen(base), il = strlen(TMP_INFIX);
	const char *p = name + bl + il;

	if (strncmp(name, base, bl) || strncmp(name + bl, TMP_INFIX, il) || !*p)
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

void startup_clean(const char *path)
{
	char dir[4096], real[PATH_MAX];
	const char *base;
	struct dirent *de;
	char *slash;
	DIR *d;

	path = save_target(path, real);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash) {
		base = path + (slash - dir) + 1;
		if (slash == dir)
			slash++;
		*slash = '\0';
	} else {
		base = path;
		snprintf(dir, sizeof(dir), ".");
	}
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!is_temporary(de->d_name, base))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0))
			log_warn("cannot remove %s/%s: %s", dir, de->d_name,
				 strerror(errno));
		else
			log_info(
				"removed %s/%s, left by an interrupted write memory",
				dir, de->d_name);
	}
	closedir(d);
}
