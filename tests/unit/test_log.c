/* test_log.c: unit tests for log.c (lines on stderr, held access lines). */
/* checks: 12 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "unit.h"

static char	 got[4 * LOG_HOLD_MAX];

/* Everything written to stderr (a pipe) since the last call. */
static const char *
drain(int fd)
{
	ssize_t	 n;
	size_t	 len = 0;

	while ((n = read(fd, got + len, sizeof(got) - 1 - len)) > 0)
		len += (size_t)n;
	got[len] = '\0';
	return got;
}

int
main(void)
{
	char		 uri[600], big[3 * LOG_LINE_MAX];
	const char	*s;
	int		 p[2], i, err, lines, first;

	if (pipe2(p, O_NONBLOCK) == -1 || (err = dup(STDERR_FILENO)) == -1)
		return 1;
	dup2(p[1], STDERR_FILENO);
	log_init("worker");

	log_access("GET", "/cases/", 200, 42, 7);
	s = drain(p[0]);
	UNIT_CHECK(strstr(s, "INFO access GET /cases/ 200 42 7us\n") != NULL,
	    "not holding: an access line is written at once");

	log_hold(1);
	log_access("GET", "/a", 200, 1, 1);
	log_access("HEAD", "/b", 200, 0, 1);
	UNIT_CHECK(*drain(p[0]) == '\0', "holding: access lines wait");
	log_flush();
	s = drain(p[0]);
	UNIT_CHECK(unit_count(s, "INFO access ") == 2 && strstr(s, "GET /a ") <
	    strstr(s, "HEAD /b "), "log_flush writes them, in order");
	UNIT_CHECK(*drain(p[0]) == '\0', "and keeps none back");

	log_access("GET", "/c", 404, 9, 1);
	log_warnx("snapshot read failed");
	s = drain(p[0]);
	UNIT_CHECK(strstr(s, "GET /c 404") != NULL && strstr(s, "GET /c 404") <
	    strstr(s, "WARN snapshot read failed"),
	    "a warning writes the held lines first, then itself");

	/* Lines of ~540 bytes: the buffer fills after a few, and none is cut. */
	memset(uri, 'x', sizeof(uri) - 1);
	uri[0] = '/';
	uri[sizeof(uri) - 1] = '\0';
	lines = LOG_HOLD_MAX / 500 + 3;
	for (i = 0; i < lines; i++)
		log_access("GET", uri, 200, (size_t)i, 1);
	s = drain(p[0]);
	first = unit_count(s, "INFO access ");
	UNIT_CHECK(first > 0 && strlen(s) <= LOG_HOLD_MAX,
	    "a full buffer is written before the line that would not fit");
	UNIT_CHECK(s[strlen(s) - 1] == '\n' && first == unit_count(s, "\n"),
	    "only whole lines are written");
	log_flush();
	UNIT_CHECK(first + unit_count(drain(p[0]), "INFO access ") == lines,
	    "log_flush writes the rest: %d lines in all", lines);

	log_hold(0);
	log_access("GET", "/d", 200, 1, 1);
	s = drain(p[0]);
	UNIT_CHECK(strstr(s, "GET /d 200") != NULL,
	    "log_hold(0): written at once again");
	log_hold(1);
	log_access("GET", "/e", 200, 1, 1);
	log_hold(0);
	s = drain(p[0]);
	UNIT_CHECK(strstr(s, "GET /e 200") != NULL,
	    "log_hold(0) writes what was held");

	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_warnx("%s", big);
	s = drain(p[0]);
	UNIT_CHECK(strlen(s) == LOG_LINE_MAX - 1 && s[strlen(s) - 1] == '\n' &&
	    unit_count(s, "\n") == 1, "a line past LOG_LINE_MAX (%d) is cut to "
	    "one whole line: %zu bytes", LOG_LINE_MAX, strlen(s));
	errno = ENOENT;
	log_warn("%s", big);
	s = drain(p[0]);
	UNIT_CHECK(strlen(s) == LOG_LINE_MAX - 1 && s[strlen(s) - 1] == '\n' &&
	    unit_count(s, "\n") == 1, "and so is one with its error's text");

	dup2(err, STDERR_FILENO);
	return unit_done();
}
