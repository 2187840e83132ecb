// SPDX-License-Identifier: GPL-2.0-only
/* The configuration store in sqlite. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/path.h"
#include "switchd/store.h"
#include "switchd/schema.h"

struct store {
	sqlite3 *db;
	char *path;
	dev_t dev; /* of the file opened, to notice it deleted or replaced */
	ino_t ino;
	char err[512];
};

#define NMIGRATIONS ((int)(sizeof(schema_migrations) / sizeof(char *)))

static int fail(struct store *s, int err)
{
	snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(s->db));
	return err;
}

const char *store_error(struct store *s)
{
	return s->err;
}

static int exec_sql(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof(s->err), "%s", msg ? msg : "?");
		sqlite3_free(msg);
		return -EIO;
	}
	return 0;
}

/*
 * Prepare sql and bind the arguments described by fmt: 't' text, 'i'
 * integer (int64_t), 'b' a 6-byte MAC bound as its text.
 */
static sqlite3_stmt *prepare(struct store *s, const char *sql, const char *fmt,
			     va_list ap)
{
	sqlite3_stmt *st;
	char mac[18];
	int i;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fail(s, 0);
		return NULL;
	}
	for (i = 0; fmt && fmt[i]; i++) {
		switch (fmt[i]) {
		case 't':
			sqlite3_bind_text(st, i + 1, va_arg(ap, const char *),
					  -1, SQLITE_TRANSIENT);
			break;
		case 'i':
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'b':
			dp_mac_format(va_arg(ap, const uint8_t *), mac);
			sqlite3_bind_text(st, i + 1, mac, -1, SQLITE_TRANSIENT);
			break;
		}
	}
	return st;
}

/* Run a statement that returns no rows. 0, -ENOENT (no row changed, when
 * must_change), -EEXIST (constraint) or -EIO. */
static int run(struct store *s, bool must_change, const char *sql,
	       const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	st = prepare(s, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return -EIO;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return fail(s, -EEXIST);
	if (rc != SQLITE_DONE)
		return fail(s, -EIO);
	if (must_change && !sqlite3_changes(s->db))
		return -ENOENT;
	return 0;
}

static int migrate(struct store *s)
{
	sqlite3_stmt *st;
	int version = 0, i, err;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) ||
	    sqlite3_step(st) != SQLITE_ROW)
		return fail(s, -EIO);
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > NMIGRATIONS) {
		snprintf(
			s->err, sizeof(s->err),
			"the store has schema version %d, newer than this xbr-switchd knows (%d)",
			version, NMIGRATIONS);
		return -EPROTO;
	}
	for (i = version; i < NMIGRATIONS; i++) {
		char pragma[64];

		err = exec_sql(s, "BEGIN IMMEDIATE");
		if (err)
			return err;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
			 i + 1);
		err = exec_sql(s, schema_migrations[i]);
		if (!err)
			err = exec_sql(s, pragma);
		if (err) {
			exec_sql(s, "ROLLBACK");
			return err;
		}
		err = exec_sql(s, "COMMIT");
		if (err)
			return err;
	}
	return 0;
}

/* PRAGMA quick_check: 0 when "ok", else -EUCLEAN with its first findings
 * in s->err. */
static int quick_check(struct store *s)
{
	sqlite3_stmt *st;
	size_t len = 0;
	int rc, n = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(5)", -1, &st, NULL))
		return fail(s, -EUCLEAN);
	s->err[0] = '\0';
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		if (t && !strcmp(t, "ok") && !n)
			continue;
		if (len < sizeof(s->err))
			len += (size_t)snprintf(s->err + len,
						sizeof(s->err) - len, "%s%s",
						n ? "; " : "", t ? t : "?");
		n++;
	}
	if (rc != SQLITE_DONE && !n) {
		fail(s, 0);
		n++;
	}
	sqlite3_finalize(st);
	return n ? -EUCLEAN : 0;
}

/* The file at the store's path is still the one open. */
static int still_there(struct store *s)
{
	struct stat st;

	if (stat(s->path, &st) == 0 && st.st_dev == s->dev &&
	    st.st_ino == s->ino)
		return 0;
	snprintf(
		s->err, sizeof(s->err),
		"%s was deleted or replaced while xbr-switchd runs: nothing can be saved in it; "
		"save with 'write memory' and restart xbr-switchd",
		s->path);
	return -ESTALE;
}

int store_claim(const char *path, long *holder)
{
	char lock[PATH_MAX], pid[32];
	ssize_t n;
	int fd, err;

	*holder = 0;
	if (snprintf(lock, sizeof(lock), "%s.lock", path) >= (int)sizeof(lock))
		return -ENAMETOOLONG;
	path_mkdir_parent(path, 0750);
	/* left open for the life of the process: the lock goes with it */
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		err = errno;
		if (err == EWOULDBLOCK) {
			n = pread(fd, pid, sizeof(pid) - 1, 0);
			if (n > 0) {
				pid[n] = '\0';
				*holder = strtol(pid, NULL, 10);
			}
			err = EBUSY;
		}
		close(fd);
		return -err;
	}
	/* the lock is what counts; the pid only names the holder to a
	 * second daemon */
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0)
		n = pwrite(fd, pid, (size_t)n, 0);
	return 0;
}

struct store *store_open(const char *path, char *err, size_t errlen)
{
	struct store *s = calloc(1, sizeof(*s));
	struct stat st;
	int ret = -EIO;

	if (!s || !(s->path = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto err;
	}
	path_mkdir_parent(path, 0750);
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto err;
	}
	sqlite3_busy_timeout(s->db, 5000);
	ret = quick_check(s);
	if (ret) {
		snprintf(err, errlen, "%s is corrupt (%s)", path, s->err);
		goto err;
	}
	ret = exec_sql(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
			  "PRAGMA foreign_keys=ON;");
	if (!ret)
		ret = migrate(s);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, s->err);
		goto err;
	}
	if (stat(path, &st)) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto err;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	return s;
err:
	store_close(s);
	errno = -ret;
	return NULL;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

/* Savepoints, so that a command's transaction can nest in the one of the
 * startup file that runs it. */
int store_begin(struct store *s)
{
	int err = still_there(s);

	if (err)
		return err;
	return exec_sql(s, "SAVEPOINT xbr");
}

int store_total_changes(struct store *s)
{
	return sqlite3_total_changes(s->db);
}

int store_commit(struct store *s)
{
	return exec_sql(s, "RELEASE xbr");
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		exec_sql(s, "ROLLBACK TO xbr; RELEASE xbr");
}

int store_clear(struct store *s)
{
	return exec_sql(s, "DELETE FROM monitor; DELETE FROM static_mac; DELETE FROM stp_port; "
			   "DELETE FROM stp_bridge; DELETE FROM port; "
			   "DELETE FROM bridge;");
}

int store_meta_get(struct store *s, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *st;
	int ret = -ENOENT;

	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?",
			       -1, &st, NULL))
		return fail(s, -EIO);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(buf, len, "%s", sqlite3_column_text(st, 0));
		ret = 0;
	}
	sqlite3_finalize(st);
	return ret;
}

int store_meta_set(struct store *s, const char *key, const char *value)
{
	return run(s, false,
		   "INSERT INTO meta (key, value) VALUES (?, ?) "
		   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		   "tt", key, value);
}

/* ---- rows into structs ---- */

typedef void (*row_fn)(sqlite3_stmt *st, void *item);

/* Collect the rows of a query into a malloc'd array of item_size items. */
static int select_rows(struct store *s, void **out, size_t item_size, row_fn fn,
		       const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st;
	size_t n = 0, cap = 0;
	char *items = NULL, *grown;
	int rc;

	st = prepare(s, sql, fmt, ap);
	if (!st)
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(items, cap * item_size);
			if (!grown) {
				rc = SQLITE_NOMEM;
				break;
			}
			items = grown;
		}
		memset(items + n * item_size, 0, item_size);
		fn(st, items + n * item_size);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(items);
		return fail(s, -EIO);
	}
	*out = items;
	return (int)n;
}

static int select_all(struct store *s, void **out, size_t item_size, row_fn fn,
		      const char *sql, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = select_rows(s, out, item_size, fn, sql, fmt, ap);
	va_end(ap);
	return n;
}

/* The first row of a query into *one; -ENOENT if there is none. */
static int select_one(struct store *s, void *one, size_t item_size, row_fn fn,
		      const char *sql, const char *fmt, ...)
{
	void *list = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = select_rows(s, &list, item_size, fn, sql, fmt, ap);
	va_end(ap);
	if (n > 0)
		memcpy(one, list, item_size);
	free(list);
	return n < 0 ? n : n ? 0 : -ENOENT;
}

static void text_col(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

static void bridge_row(sqlite3_stmt *st, void *item)
{
	struct cfg_bridge *b = item;

	text_col(st, 0, b->name, sizeof(b->name));
	b->ageing_time = (uint32_t)sqlite3_column_int64(st, 1);
	b->learn_limit = (uint32_t)sqlite3_column_int64(st, 2);
	b->fdb_capacity = (uint32_t)sqlite3_column_int64(st, 3);
}

#define BRIDGE_COLS \
	"SELECT name, ageing_time, learn_limit, fdb_capacity FROM bridge"

int store_bridges(struct store *s, struct cfg_bridge **out)
{
	return select_all(s, (void **)out, sizeof(**out), bridge_row,
			  BRIDGE_COLS " ORDER BY name", NULL);
}

int store_bridge_get(struct store *s, const char *name, struct cfg_bridge *b)
{
	return select_one(s, b, sizeof(*b), bridge_row,
			  BRIDGE_COLS " WHERE name = ?", "t", name);
}

int store_bridge_put(struct store *s, const struct cfg_bridge *b)
{
	return run(
		s, false,
		"INSERT INTO bridge (name, ageing_time, learn_limit, fdb_capacity) "
		"VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
		"ageing_time = excluded.ageing_time, "
		"learn_limit = excluded.learn_limit, "
		"fdb_capacity = excluded.fdb_capacity",
		"tiii", b->name, (int64_t)b->ageing_time,
		(int64_t)b->learn_limit, (int64_t)b->fdb_capacity);
}

int store_bridge_del(struct store *s, const char *name)
{
	return run(s, true, "DELETE FROM bridge WHERE name = ?", "t", name);
}

void cfg_port_default(struct cfg_port *p, const char *bridge,
		      const char *ifname)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->bridge, sizeof(p->bridge), "%s", bridge);
	snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
	p->access_vlan = 1;
	p->native_vlan = 1;
	p->tpid = XBR_TPID_8021Q;
}

static void port_row(sqlite3_stmt *st, void *item)
{
	struct cfg_port *p = item;

	text_col(st, 0, p->bridge, sizeof(p->bridge));
	text_col(st, 1, p->ifname, sizeof(p->ifname));
	p->learn_limit = (uint32_t)sqlite3_column_int64(st, 2);
	p->trunk = sqlite3_column_int(st, 3);
	p->access_vlan = (uint16_t)sqlite3_column_int(st, 4);
	p->native_vlan = (uint16_t)sqlite3_column_int(st, 5);
	text_col(st, 6, p->allowed, sizeof(p->allowed));
	p->tpid = (uint16_t)sqlite3_column_int(st, 7);
	text_col(st, 8, p->internal, sizeof(p->internal));
	p->shutdown = sqlite3_column_int(st, 9);
	p->isolated = sqlite3_column_int(st, 10);
	p->violation = (uint8_t)sqlite3_column_int(st, 11);
	p->flood_off = (uint32_t)sqlite3_column_int64(st, 12);
	p->storm[XBR_STORM_BCAST] = (uint32_t)sqlite3_column_int64(st, 13);
	p->storm[XBR_STORM_MCAST] = (uint32_t)sqlite3_column_int64(st, 14);
	p->storm[XBR_STORM_UNKNOWN] = (uint32_t)sqlite3_column_int64(st, 15);
	p->mac_sticky = sqlite3_column_int(st, 16);
	p->storm_percent = (uint32_t)sqlite3_column_int64(st, 17);
}

#define PORT_COLS                                                    \
	"SELECT bridge, ifname, learn_limit, trunk, access_vlan, "   \
	"native_vlan, allowed, tpid, internal, shutdown, isolated, " \
	"violation, flood_off, storm_broadcast, storm_multicast, "   \
	"storm_unknown_unicast, mac_sticky, storm_percent FROM port"

int store_ports(struct store *s, const char *bridge, struct cfg_port **out)
{
	if (!bridge)
		return select_all(s, (void **)out, sizeof(**out), port_row,
				  PORT_COLS " ORDER BY bridge, seq", NULL);
	return select_all(s, (void **)out, sizeof(**out), port_row,
			  PORT_COLS " WHERE bridge = ? ORDER BY seq", "t",
			  bridge);
}

int store_port_get(struct store *s, const char *ifname, struct cfg_port *p)
{
	return select_one(s, p, sizeof(*p), port_row,
			  PORT_COLS " WHERE ifname = ?", "t", ifname);
}

int store_port_put(struct store *s, const struct cfg_port *p)
{
	return run(
		s, false,
		"INSERT INTO port (bridge, ifname, learn_limit, trunk, "
		"access_vlan, native_vlan, allowed, tpid, internal, shutdown, "
		"isolated, violation, flood_off, storm_broadcast, "
		"storm_multicast, storm_unknown_unicast, mac_sticky, "
		"storm_percent, seq) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"(SELECT COALESCE(MAX(seq), 0) + 1 FROM port)) "
		"ON CONFLICT (bridge, ifname) DO UPDATE SET "
		"learn_limit = excluded.learn_limit, trunk = excluded.trunk, "
		"access_vlan = excluded.access_vlan, "
		"native_vlan = excluded.native_vlan, "
		"allowed = excluded.allowed, tpid = excluded.tpid, "
		"internal = excluded.internal, shutdown = excluded.shutdown, "
		"isolated = excluded.isolated, violation = excluded.violation, "
		"flood_off = excluded.flood_off, "
		"storm_broadcast = excluded.storm_broadcast, "
		"storm_multicast = excluded.storm_multicast, "
		"storm_unknown_unicast = excluded.storm_unknown_unicast, "
		"mac_sticky = excluded.mac_sticky, "
		"storm_percent = excluded.storm_percent",
		"ttiiiititiiiiiiiii", p->bridge, p->ifname,
		(int64_t)p->learn_limit, (int64_t)p->trunk,
		(int64_t)p->access_vlan, (int64_t)p->native_vlan, p->allowed,
		(int64_t)p->tpid, p->internal, (int64_t)p->shutdown,
		(int64_t)p->isolated, (int64_t)p->violation,
		(int64_t)p->flood_off, (int64_t)p->storm[XBR_STORM_BCAST],
		(int64_t)p->storm[XBR_STORM_MCAST],
		(int64_t)p->storm[XBR_STORM_UNKNOWN], (int64_t)p->mac_sticky,
		(int64_t)p->storm_percent);
}

int store_port_del(struct store *s, const char *ifname)
{
	return run(s, true, "DELETE FROM port WHERE ifname = ?", "t", ifname);
}

static void mac_row(sqlite3_stmt *st, void *item)
{
	struct cfg_mac *m = item;
	char text[18];

	text_col(st, 0, m->bridge, sizeof(m->bridge));
	text_col(st, 1, text, sizeof(text));
	if (dp_mac_parse(text, m->mac))
		memset(m->mac, 0, 6);
	m->vid = (uint16_t)sqlite3_column_int(st, 2);
	text_col(st, 3, m->ifname, sizeof(m->ifname));
	m->sticky = sqlite3_column_int(st, 4);
}

int store_macs(struct store *s, const char *bridge, struct cfg_mac **out)
{
	return select_all(
		s, (void **)out, sizeof(**out), mac_row,
		"SELECT bridge, mac, vid, ifname, sticky FROM static_mac "
		"WHERE bridge = ? ORDER BY vid, mac",
		"t", bridge);
}

int store_mac_put(struct store *s, const struct cfg_mac *m)
{
	return run(s, false,
		   "INSERT INTO static_mac (bridge, mac, vid, ifname, sticky) "
		   "VALUES (?, ?, ?, ?, ?) ON CONFLICT (bridge, mac, vid) "
		   "DO UPDATE SET ifname = excluded.ifname, "
		   "sticky = excluded.sticky",
		   "tbiti", m->bridge, m->mac, (int64_t)m->vid, m->ifname,
		   (int64_t)m->sticky);
}

int store_mac_del(struct store *s, const char *bridge, const uint8_t mac[6],
		  uint16_t vid)
{
	return run(
		s, true,
		"DELETE FROM static_mac WHERE bridge = ? AND mac = ? AND vid = ?",
		"tbi", bridge, mac, (int64_t)vid);
}

/* ---- spanning tree ---- */

static void stp_bridge_row(sqlite3_stmt *st, void *item)
{
	struct cfg_stp_bridge *b = item;

	text_col(st, 0, b->bridge, sizeof(b->bridge));
	b->mode = (uint8_t)sqlite3_column_int(st, 1);
	b->priority = (uint16_t)sqlite3_column_int(st, 2);
	b->hello = (uint8_t)sqlite3_column_int(st, 3);
	b->fwd_delay = (uint8_t)sqlite3_column_int(st, 4);
	b->max_age = (uint8_t)sqlite3_column_int(st, 5);
}

int store_stp_bridge_get(struct store *s, const char *bridge,
			 struct cfg_stp_bridge *b)
{
	int ret;

	ret = select_one(s, b, sizeof(*b), stp_bridge_row,
			 "SELECT bridge, mode, priority, hello, fwd_delay, "
			 "max_age FROM stp_bridge WHERE bridge = ?",
			 "t", bridge);
	if (ret == -ENOENT) {
		memset(b, 0, sizeof(*b));
		snprintf(b->bridge, sizeof(b->bridge), "%s", bridge);
		b->priority = STP_DEF_PRIORITY;
		b->hello = STP_DEF_HELLO;
		b->fwd_delay = STP_DEF_FWD_DELAY;
		b->max_age = STP_DEF_MAX_AGE;
		return 0;
	}
	return ret;
}

int store_stp_bridge_put(struct store *s, const struct cfg_stp_bridge *b)
{
	return run(s, false,
		   "INSERT INTO stp_bridge (bridge, mode, priority, hello, "
		   "fwd_delay, max_age) VALUES (?, ?, ?, ?, ?, ?) "
		   "ON CONFLICT (bridge) DO UPDATE SET mode = excluded.mode, "
		   "priority = excluded.priority, hello = excluded.hello, "
		   "fwd_delay = excluded.fwd_delay, max_age = excluded.max_age",
		   "tiiiii", b->bridge, (int64_t)b->mode, (int64_t)b->priority,
		   (int64_t)b->hello, (int64_t)b->fwd_delay,
		   (int64_t)b->max_age);
}

static void stp_port_row(sqlite3_stmt *st, void *item)
{
	struct cfg_stp_port *p = item;

	text_col(st, 0, p->ifname, sizeof(p->ifname));
	p->cost = (uint32_t)sqlite3_column_int64(st, 1);
	p->priority = (uint16_t)sqlite3_column_int(st, 2);
	p->flags = (uint32_t)sqlite3_column_int64(st, 3);
}

int store_stp_port_get(struct store *s, const char *ifname,
		       struct cfg_stp_port *p)
{
	int ret;

	ret = select_one(s, p, sizeof(*p), stp_port_row,
			 "SELECT ifname, cost, priority, flags FROM stp_port "
			 "WHERE ifname = ?",
			 "t", ifname);
	if (ret == -ENOENT) {
		memset(p, 0, sizeof(*p));
		snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
		p->priority = STP_DEF_PORT_PRIORITY;
		return 0;
	}
	return ret;
}

int store_stp_port_put(struct store *s, const struct cfg_stp_port *p)
{
	return run(s, false,
		   "INSERT INTO stp_port (ifname, cost, priority, flags) "
		   "VALUES (?, ?, ?, ?) ON CONFLICT (ifname) DO UPDATE SET "
		   "cost = excluded.cost, priority = excluded.priority, "
		   "flags = excluded.flags",
		   "tiii", p->ifname, (int64_t)p->cost, (int64_t)p->priority,
		   (int64_t)p->flags);
}

static void monitor_row(sqlite3_stmt *st, void *item)
{
	struct cfg_monitor *m = item;

	text_col(st, 0, m->bridge, sizeof(m->bridge));
	m->session = (unsigned int)sqlite3_column_int(st, 1);
	text_col(st, 2, m->ifname, sizeof(m->ifname));
	m->role = (unsigned int)sqlite3_column_int(st, 3);
}

#define MONITOR_COLS "SELECT bridge, session, ifname, role FROM monitor"
#define MONITOR_ORDER                                                \
	" ORDER BY bridge, session, role = " /* destination first */ \
	"4 DESC, seq"

int store_monitors(struct store *s, const char *bridge,
		   struct cfg_monitor **out)
{
	if (!bridge)
		return select_all(s, (void **)out, sizeof(**out), monitor_row,
				  MONITOR_COLS MONITOR_ORDER, NULL);
	return select_all(s, (void **)out, sizeof(**out), monitor_row,
			  MONITOR_COLS " WHERE bridge = ?" MONITOR_ORDER, "t",
			  bridge);
}

int store_monitor_put(struct store *s, const struct cfg_monitor *m)
{
	return run(s, false,
		   "INSERT INTO monitor (bridge, session, ifname, role, seq) "
		   "VALUES (?, ?, ?, ?, "
		   "(SELECT COALESCE(MAX(seq), 0) + 1 FROM monitor)) "
		   "ON CONFLICT (bridge, ifname) DO UPDATE SET "
		   "session = excluded.session, role = excluded.role",
		   "titi", m->bridge, (int64_t)m->session, m->ifname,
		   (int64_t)m->role);
}

int store_monitor_del(struct store *s, const char *bridge, unsigned int session)
{
	return run(s, true,
		   "DELETE FROM monitor WHERE bridge = ? AND session = ?", "ti",
		   bridge, (int64_t)session);
}
