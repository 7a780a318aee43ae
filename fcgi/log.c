/* log.c: stderr logging, one line per event: time, role[pid], level, message. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *log_role = "fazhi";
static int	 log_pid;		/* set by log_init: getpid() once */

/* Sets the role shown on every line ("master", "worker", "build"). */
void
log_init(const char *role)
{
	log_role = role;
	log_pid = (int)getpid();
}

/* The current UTC time as text, formatted once per second. */
static const char *
log_stamp(void)
{
	static char	 stamp[32];
	static time_t	 last = -1;
	struct tm	 tm;
	time_t		 now = time(NULL);

	if (now != last) {
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = now;
	}
	return stamp;
}

/*
 * Formats one whole line and writes it with a single write(2), so lines from
 * the master and its workers never interleave mid-line.
 */
static void
log_line(const char *level, const char *errstr, const char *fmt, va_list ap)
{
	char		 line[1024];
	int		 n, m;

	n = snprintf(line, sizeof(line), "%s %s[%d] %s ", log_stamp(), log_role,
	    log_pid ? log_pid : (int)getpid(), level);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	m = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (m < 0)
		return;
	n = (size_t)(n + m) >= sizeof(line) - 2 ? (int)sizeof(line) - 2 : n + m;
	if (errstr != NULL)
		n += snprintf(line + n, sizeof(line) - n, ": %s", errstr);
	if ((size_t)n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return;		/* nowhere left to report it */
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_line("INFO", NULL, fmt, ap);
	va_end(ap);
}

/* Logs a warning with strerror(errno) appended. */
void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_line("WARN", strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_line("WARN", NULL, fmt, ap);
	va_end(ap);
}

/* One access line: method, path, status, bytes of body, microseconds. */
void
log_access(const char *method, const char *uri, int status, size_t bytes,
    long usec)
{
	log_info("access %s %.512s %d %zu %ldus", method, uri, status, bytes,
	    usec);
}
