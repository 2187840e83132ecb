// SPDX-License-Identifier: GPL-2.0-only
/* Logging to stderr or syslog, with syslog's levels. */
#include <stdarg.h>
#include <stdio.h>

#include "lib/log.h"

static const char *log_ident = "xbr";
static int log_max = LOG_INFO;
static bool log_syslog;

void log_init(const char *ident, int max_level, bool use_syslog)
{
	log_ident = ident;
	log_max = max_level;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(ident, LOG_PID, LOG_DAEMON);
}

static const char *const level_names[] = {
	[LOG_EMERG] = "emerg",	   [LOG_ALERT] = "alert",
	[LOG_CRIT] = "crit",	   [LOG_ERR] = "error",
	[LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
	[LOG_INFO] = "info",	   [LOG_DEBUG] = "debug",
};

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_max)
		return;
	va_start(ap, fmt);
	if (log_syslog) {
		vsyslog(level, fmt, ap);
	} else {
		fprintf(stderr, "%s: %s: ", log_ident, level_names[level & 7]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
