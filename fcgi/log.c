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

/*
 * Access lines held by a process that asked for it (log_hold): written
 * together by log_flush, or when the next would not fit, so that under load
 * one write(2) carries dozens of them. Any other line writes them first.
 */
_Static_assert(LOG_HOLD_MAX >= LOG_LINE_MAX, "a held line always fits");
static char	 log_held[LOG_HOLD_MAX];
static size_t	 log_nheld;
static int	 log_holding;

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

/* Holds access lines from now on (on), or writes them as they come. */
void
log_hold(int on)
{
	log_flush();
	log_holding = on;
}

/* Writes the held lines, whole, with one write(2). */
void
log_flush(void)
{
	if (log_nheld > 0)
		(void)!write(STDERR_FILENO, log_held, log_nheld); /* else nowhere */
	log_nheld = 0;
}

/*
 * Formats one whole line and writes it with a single write(2), so lines from
 * the master and its workers never interleave mid-line; an access line
 * (hold) is held instead while log_hold is on.
 */
static void
log_line(int hold, const char *level, const char *errstr, const char *fmt,
    va_list ap)
{
	char		 line[LOG_LINE_MAX];
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
	if (hold && log_holding) {
		if ((size_t)n > sizeof(log_held) - log_nheld)
			log_flush();
		memcpy(log_held + log_nheld, line, n);
		log_nheld += n;
		return;
	}
	log_flush();
	if (write(STDERR_FILENO, line, n) < 0)
		return;		/* nowhere left to report it */
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_line(0, "INFO", NULL, fmt, ap);
	va_end(ap);
}

/* Logs a warning with strerror(errno) appended. */
void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_line(0, "WARN", strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_line(0, "WARN", NULL, fmt, ap);
	va_end(ap);
}

/* An INFO line that log_hold may hold. */
static void __attribute__((format(printf, 1, 2)))
log_info_held(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_line(1, "INFO", NULL, fmt, ap);
	va_end(ap);
}

/* One access line: method, path, status, bytes of body, microseconds. */
void
log_access(const char *method, const char *uri, int status, size_t bytes,
    long usec)
{
	log_info_held("access %s %.512s %d %zu %ldus", method, uri, status,
	    bytes, usec);
}
