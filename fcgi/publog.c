/*
 * publog.c: the publishing log. Every publish and every withdrawal, done or
 * failed, appends one line -- when (China time), what, who (the name given
 * with --by and the Unix user who ran it), which snapshot went live, which
 * items changed, and why -- and nothing ever rewrites a line. `fazhi log`
 * prints it. Fields are separated by tabs; a tab or line break inside one is
 * written as a space, so a line is always one event.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "publog.h"

/* China Standard Time, the time publicity staff live in (UTC+8, no DST). */
#define PUBLOG_UTC_OFFSET	(8 * 3600)

/* The default log: publish.log beside the snapshot. */
void
publog_default(char *dst, size_t n, const char *snapshot)
{
	const char	*slash = strrchr(snapshot, '/');

	if (slash == NULL)
		snprintf(dst, n, "publish.log");
	else
		snprintf(dst, n, "%.*s/publish.log", (int)(slash - snapshot),
		    snapshot);
}

/*
 * Opens the log for appending, creating it (mode 0640). Done before anything
 * changes, so that a change that cannot be recorded is not made. Returns the
 * descriptor, or -1 with the reason logged.
 */
int
publog_open(const char *path)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0640)) == -1)
		log_warn("publishing log %s", path);
	return fd;
}

/* Appends s to b as one field: tabs and line breaks become spaces. */
static int
publog_field(struct buf *b, const char *s)
{
	size_t	 i, n = s == NULL ? 0 : strnlen(s, PUBLOG_MAX_FIELD);
	int	 rc = buf_add(b, "\t", 1);

	for (i = 0; i < n && rc == 0; i++)
		rc = buf_add(b, (unsigned char)s[i] < 0x20 ? " " : s + i, 1);
	if (rc == 0 && n == 0)
		rc = buf_add(b, "-", 1);
	return rc;
}

/* The Unix user running this command. */
static const char *
publog_user(void)
{
	static char	 name[64];
	struct passwd	*pw = getpwuid(getuid());

	if (pw != NULL)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	else
		snprintf(name, sizeof(name), "uid %d", (int)getuid());
	return name;
}

/*
 * Appends one event as one write(2) and syncs it to disk. Returns 0, or -1
 * with the reason logged.
 */
int
publog_write(int fd, const struct publog_entry *e)
{
	struct buf	 line = { 0 };
	char		 when[40];
	time_t		 t = time(NULL) + PUBLOG_UTC_OFFSET;
	struct tm	 tm;
	int		 rc = -1;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S+08:00", &tm);
	if (buf_puts(&line, when) == -1 || publog_field(&line, e->action) == -1 ||
	    publog_field(&line, e->by != NULL ? e->by : publog_user()) == -1 ||
	    publog_field(&line, publog_user()) == -1 ||
	    publog_field(&line, e->snapshot) == -1 ||
	    publog_field(&line, e->items) == -1 ||
	    publog_field(&line, e->reason) == -1 || buf_add(&line, "\n", 1) == -1)
		goto done;
	if (write(fd, line.data, line.len) != (ssize_t)line.len || fsync(fd) == -1)
		log_warn("publishing log");
	else
		rc = 0;
done:
	buf_free(&line);
	return rc;
}

/* Prints one logged line, its fields aligned and named. */
static void
publog_print(char *line)
{
	static const char *const names[] = { "", "", "by ", "as ", "snapshot ",
	    "", "reason: " };
	char		*f, *next = line;
	int		 i;

	line[strcspn(line, "\n")] = '\0';
	for (i = 0; (f = strsep(&next, "\t")) != NULL; i++) {
		if (i >= (int)(sizeof(names) / sizeof(names[0])) ||
		    strcmp(f, "-") == 0)
			continue;
		printf(i == 0 ? "%s%s" : "  %s%s", names[i], f);
	}
	putchar('\n');
}

/* Whether a logged line names the item whose ":ID" is needle. */
static int
publog_names(const char *line, const char *needle)
{
	const char	*p;
	size_t		 n = strlen(needle);

	for (p = strstr(line, needle); p != NULL; p = strstr(p + 1, needle))
		if (p[n] == ' ' || p[n] == '\t' || p[n] == '\n' || p[n] == '\0')
			return 1;
	return 0;
}

/*
 * `fazhi log [--snapshot FILE | --log FILE] [--item ID]`: prints the
 * publishing log, oldest first; with --item, only the events that name ID.
 */
int
publog_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "snapshot", required_argument, NULL, 's' },
		{ "log", required_argument, NULL, 'l' },
		{ "item", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 } };
	const char	*snapshot = "build/site.db", *logpath = NULL, *item = NULL;
	char		 path[4096], *line = NULL, needle[128];
	size_t		 cap = 0;
	FILE		*f;
	int		 c;

	log_init("log");
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (c) {
		case 's': snapshot = optarg; break;
		case 'l': logpath = optarg; break;
		case 'i': item = optarg; break;
		default: goto usage;
		}
	if (optind != argc)
		goto usage;
	if (logpath == NULL)
		publog_default(path, sizeof(path), snapshot);
	else
		snprintf(path, sizeof(path), "%s", logpath);
	if ((f = fopen(path, "r")) == NULL) {
		if (errno != ENOENT) {
			log_warn("%s", path);
			return 1;
		}
		printf("nothing published yet: %s does not exist\n", path);
		return 0;
	}
	snprintf(needle, sizeof(needle), ":%s", item != NULL ? item : "");
	while (getline(&line, &cap, f) != -1)
		if (item == NULL || publog_names(line, needle))
			publog_print(line);
	free(line);
	fclose(f);
	return 0;
usage:
	fprintf(stderr, "usage: fazhi log [--snapshot FILE | --log FILE] "
	    "[--item ID]\n");
	return 1;
}
