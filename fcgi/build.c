/*
 * build.c: the publishing commands. `build` writes the snapshot, `check`
 * reports every problem without writing anything, and `publish` builds,
 * shows what changed, swaps the snapshot in, has the running server load it
 * and confirms that it serves it -- or puts everything back as it was.
 *
 * A snapshot is written under a temporary name and renamed into place only
 * when the whole content set is valid, so the live one is never half new.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "build.h"
#include "content.h"
#include "log.h"
#include "snap.h"
#include "xml.h"

struct build_opts {
	const char	*content;	/* content folder */
	const char	*output;	/* snapshot path */
	const char	*pidfile;	/* the running server's pid (publish) */
	const char	*url;		/* its /healthz (publish) */
	const char	*today;		/* date penalty records are checked against */
};

/* Writes the meta table: schema version, snapshot id, build time, counts. */
static int
build_meta(sqlite3 *db, const struct content_stats *st)
{
	char	 sql[512], when[32];
	time_t	 now = time(NULL);

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	snprintf(sql, sizeof(sql), "INSERT INTO meta VALUES('schema', '%s'), "
	    "('snapshot_id', '%016" PRIx64 "'), ('built_at', '%s'), "
	    "('items', '%ld'), ('penalties', '%ld')", SNAP_SCHEMA_VERSION,
	    st->hash, when, st->items, st->penalties);
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* fsyncs path (a file, or a folder so a rename in it is durable). */
static void
build_fsync(const char *path)
{
	int	 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return;
	if (fsync(fd) == -1)
		log_warn("fsync %s", path);
	close(fd);
}

static void
build_fsync_dir(const char *file)
{
	char	 dir[4096], *slash;

	snprintf(dir, sizeof(dir), "%s", file);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		build_fsync(dir);
	} else
		build_fsync(".");
}

/*
 * Builds the content folder into a database at path (":memory:" to only
 * check). Returns 0 when the content is valid and, for a file, written;
 * -1 otherwise, with the file removed.
 */
static int
build_into(const struct build_opts *o, const char *path,
    struct content_stats *st)
{
	sqlite3	*db = NULL;
	int	 rc = -1;

	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		log_warnx("%s: %s", path, sqlite3_errmsg(db));
		goto done;
	}
	/* 16 KiB pages keep a section's HTML inside its b-tree cell. */
	sqlite3_exec(db, "PRAGMA page_size=16384; PRAGMA journal_mode=OFF;"
	    " PRAGMA synchronous=OFF;", NULL, NULL, NULL);
	if (content_schema(db) == -1 ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		goto done;
	if (content_load(db, o->content, o->today, st) == -1 ||
	    build_meta(db, st) == -1 || xml_errors() > 0)
		goto done;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		rc = 0;
done:
	sqlite3_close(db);
	if (rc == -1 && strcmp(path, ":memory:") != 0)
		unlink(path);
	return rc;
}

/* ", N warning(s)" when check or build warned of something, else "". */
static const char *
build_warned(void)
{
	static char	 said[32];
	int		 n = xml_warnings();

	if (n == 0)
		return "";
	snprintf(said, sizeof(said), ", %d warning%s", n, n == 1 ? "" : "s");
	return said;
}

/* Says why nothing was written. */
static void
build_failed(const char *out)
{
	if (xml_errors() > 0)
		fprintf(stderr, "%d error%s; the snapshot %s was not changed\n",
		    xml_errors(), xml_errors() == 1 ? "" : "s", out);
	else
		fprintf(stderr, "build failed; the snapshot %s was not changed\n",
		    out);
}

/* The temporary name a snapshot is written under before the rename. */
static int
build_tmpname(char *dst, size_t n, const char *out)
{
	int	 len = snprintf(dst, n, "%s.tmp.%d", out, (int)getpid());

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

/* Parses the options every command shares. Returns 0, or -1 on misuse. */
static int
build_opts(int argc, char **argv, struct build_opts *o)
{
	static const struct option opts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "snapshot", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "today", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 } };
	int	 c;

	memset(o, 0, sizeof(*o));
	o->content = "content";
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1)
		switch (c) {
		case 'c': o->content = optarg; break;
		case 'o': o->output = optarg; break;
		case 'p': o->pidfile = optarg; break;
		case 'u': o->url = optarg; break;
		case 't': o->today = optarg; break;
		default: return -1;
		}
	return 0;
}

/* `fazhi build`: content -> snapshot. Exit 0, or 1 with every error printed. */
int
build_main(int argc, char **argv)
{
	struct build_opts	 o;
	struct content_stats	 st;
	char			 tmp[4096];

	log_init("build");
	if (build_opts(argc, argv, &o) == -1 || o.output == NULL || optind != argc) {
		fprintf(stderr, "usage: fazhi build [--content DIR] --output FILE\n");
		return 1;
	}
	if (build_tmpname(tmp, sizeof(tmp), o.output) == -1)
		return 1;
	xml_init();
	if (build_into(&o, tmp, &st) == -1) {
		build_failed(o.output);
		return 1;
	}
	build_fsync(tmp);
	if (rename(tmp, o.output) == -1) {
		log_warn("rename %s", o.output);
		unlink(tmp);
		return 1;
	}
	build_fsync_dir(o.output);
	printf("built %s: %ld items, %ld penalty records, snapshot %016" PRIx64
	    "\n", o.output, st.items, st.penalties, st.hash);
	return 0;
}

/*
 * Checks that each of the n paths names a file or folder inside content,
 * reporting those that do not, and rewrites each as content/REST, the way
 * problems name files, so that ./content/x.xml or an absolute path finds
 * them too. Returns the number of paths reported.
 */
static int
build_check_paths(const char *content, char **paths, int n)
{
	char	 top[PATH_MAX], real[PATH_MAX], *fixed;
	size_t	 len;
	int	 i, bad = 0;

	if (realpath(content, top) == NULL)
		return 0;	/* the check itself says the folder is missing */
	len = strlen(top);
	for (i = 0; i < n; i++) {
		if (realpath(paths[i], real) == NULL) {
			xml_error(paths[i], 1, 1, "找不到这个文件或文件夹 / no such file "
			    "or folder");
			bad++;
		} else if (strncmp(real, top, len) != 0 ||
		    (real[len] != '\0' && real[len] != '/')) {
			xml_error(paths[i], 1, 1, "不在内容文件夹 %s 里，check 只检查这个"
			    "文件夹里的文件（别的内容文件夹用 --content 指定） / not inside "
			    "the content folder %s, the only one check reads (name "
			    "another with --content)", content, content);
			bad++;
		} else if (asprintf(&fixed, "%s%s", content, real + len) != -1)
			paths[i] = fixed;	/* kept until the process ends */
	}
	return bad;
}

/*
 * `fazhi check [PATH...]`: validates the whole content folder in memory and
 * prints every problem; with PATHs, only problems in those files or folders.
 */
int
build_check_main(int argc, char **argv)
{
	struct build_opts	 o;
	struct content_stats	 st;

	log_init("check");
	if (build_opts(argc, argv, &o) == -1) {
		fprintf(stderr, "usage: fazhi check [--content DIR] [PATH...]\n");
		return 1;
	}
	xml_init();
	if (build_check_paths(o.content, argv + optind, argc - optind) > 0) {
		fprintf(stderr, "%d error%s\n", xml_errors(),
		    xml_errors() == 1 ? "" : "s");
		return 1;
	}
	xml_only((const char *const *)argv + optind, argc - optind);
	if (build_into(&o, ":memory:", &st) == -1 && xml_errors() == 0) {
		fprintf(stderr, "check failed\n");
		return 1;
	}
	if (xml_errors() > 0) {
		fprintf(stderr, "%d error%s%s\n", xml_errors(),
		    xml_errors() == 1 ? "" : "s", build_warned());
		return 1;
	}
	printf("%s: %ld items and %ld penalty records, no errors%s\n",
	    o.content, st.items, st.penalties, build_warned());
	return 0;
}

/* The pid in pidfile when that process is alive, else 0. */
static pid_t
build_server_pid(const char *pidfile)
{
	FILE	*f;
	long	 pid = 0;

	if (pidfile == NULL || (f = fopen(pidfile, "r")) == NULL)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 1 || kill((pid_t)pid, 0) == -1)
		pid = 0;
	fclose(f);
	return (pid_t)pid;
}

/*
 * GETs url, which must be http://IPV4:PORT/PATH, and returns 1 when the
 * response contains needle, 0 when it does not, -1 when the server could not
 * be asked. Only for loopback checks: no DNS, no TLS, one second at most.
 */
static int
build_http_has(const char *url, const char *needle)
{
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	char			 host[64], req[512], resp[16384];
	const char		*path;
	size_t			 got = 0;
	ssize_t			 n;
	int			 fd, port, rc = -1;

	if (sscanf(url, "http://%63[0-9.]:%d", host, &port) != 2 ||
	    (path = strchr(url + 7, '/')) == NULL)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1 ||
	    (fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path,
	    host);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		goto done;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < sizeof(resp) - 1 && poll(&pfd, 1, 1000) == 1 &&
	    (n = read(fd, resp + got, sizeof(resp) - 1 - got)) > 0)
		got += (size_t)n;
	resp[got] = '\0';
	rc = got > 0 ? strstr(resp, needle) != NULL : -1;
done:
	close(fd);
	return rc;
}

/* Waits up to BUILD_CONFIRM_MS for url to report snapshot id. */
static int
build_confirm(const char *url, uint64_t id)
{
	struct timespec	 ts = { 0, 100 * 1000000L };
	char		 needle[64];
	int		 waited;

	snprintf(needle, sizeof(needle), "\"snapshot\":\"%016" PRIx64 "\"", id);
	for (waited = 0; waited < BUILD_CONFIRM_MS; waited += 100) {
		if (build_http_has(url, needle) == 1)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/*
 * Has the server write the bulk exports of the snapshot it now serves (it
 * writes each on its first request: see api.c), so that the first download
 * after a publish is sent from disk. url is the /healthz address; the
 * exports are beside it. A failure only delays the files to their first
 * request, so it is reported, not fatal.
 */
static void
build_warm_exports(const char *url)
{
	static const char *const sections[] = { "cases", "pufa", "credit", NULL };
	const char	*slash;
	char		 addr[512];
	int		 i, ok = 1;

	if ((slash = strchr(url + 7, '/')) == NULL)
		return;
	for (i = 0; sections[i] != NULL; i++) {
		snprintf(addr, sizeof(addr), "%.*s/export/%s.json",
		    (int)(slash - url), url, sections[i]);
		if (build_http_has(addr, "{\"data\":") != 1)
			ok = 0;
	}
	printf(ok ? "exports written\n" : "exports not yet written; the first "
	    "download of each will write it\n");
}

/*
 * Prints the items added, updated and removed since the live snapshot old,
 * and the change in penalty records. Returns the number of changed items,
 * or -1 when the two cannot be compared (a snapshot of another version).
 */
static int
build_diff(const char *newpath, const char *old)
{
	static const char sql[] =
	    "SELECT 'added', id, title FROM main.items WHERE id NOT IN"
	    " (SELECT id FROM old.items)"
	    " UNION ALL SELECT 'updated', n.id, n.title FROM main.items n"
	    " JOIN old.items o ON o.id = n.id WHERE n.hash != o.hash"
	    " UNION ALL SELECT 'removed', id, title FROM old.items WHERE id NOT IN"
	    " (SELECT id FROM main.items) ORDER BY 1, 2";
	sqlite3		*db;
	sqlite3_stmt	*st = NULL;
	char		*attach;
	int		 n = -1;

	if (sqlite3_open_v2(newpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto done;
	attach = sqlite3_mprintf("ATTACH %Q AS old", old);
	if (sqlite3_exec(db, attach, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_free(attach);
		goto done;
	}
	sqlite3_free(attach);
	for (n = 0; sqlite3_step(st) == SQLITE_ROW; n++)
		printf("  %-8s %s  %s\n", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Puts the previous snapshot back and has the server load it again. */
static void
build_rollback(const char *out, const char *prev, pid_t pid)
{
	if (rename(prev, out) == -1)
		log_warn("rename %s", prev);
	else if (pid > 0)
		kill(pid, SIGHUP);
	fprintf(stderr, "the previous snapshot %s is back in place\n", out);
}

/*
 * `fazhi publish`: check and build -> show what changed -> swap the snapshot
 * (the old one kept as FILE.prev) -> SIGHUP the server -> confirm through
 * /healthz that it serves the new one. Any failure puts the old one back.
 */
int
build_publish_main(int argc, char **argv)
{
	struct build_opts	 o;
	struct content_stats	 st;
	char			 tmp[4096], prev[4096];
	pid_t			 pid;
	int			 changed, had_old;

	log_init("publish");
	if (build_opts(argc, argv, &o) == -1 || o.output == NULL || optind != argc) {
		fprintf(stderr, "usage: fazhi publish [--content DIR] --snapshot FILE"
		    " [--pid FILE --url http://127.0.0.1:PORT/healthz]\n");
		return 1;
	}
	if (build_tmpname(tmp, sizeof(tmp), o.output) == -1 ||
	    snprintf(prev, sizeof(prev), "%s.prev", o.output) >= (int)sizeof(prev))
		return 1;
	xml_init();
	if (build_into(&o, tmp, &st) == -1) {
		build_failed(o.output);
		return 1;
	}
	had_old = access(o.output, F_OK) == 0;
	printf("changes since the live snapshot:\n");
	if (!had_old || (changed = build_diff(tmp, o.output)) == -1)
		printf("  (no comparable live snapshot: everything is new)\n");
	else if (changed == 0)
		printf("  (no item changed)\n");
	build_fsync(tmp);
	unlink(prev);
	if ((had_old && link(o.output, prev) == -1) || rename(tmp, o.output) == -1) {
		log_warn("%s", o.output);
		unlink(tmp);
		return 1;
	}
	build_fsync_dir(o.output);
	if ((pid = build_server_pid(o.pidfile)) == 0) {
		printf("published %016" PRIx64 " to %s; no server is running, the "
		    "next one will serve it\n", st.hash, o.output);
		return 0;
	}
	kill(pid, SIGHUP);
	if (o.url != NULL && build_confirm(o.url, st.hash) == -1) {
		fprintf(stderr, "the server did not start serving snapshot %016"
		    PRIx64 " within %d s\n", st.hash, BUILD_CONFIRM_MS / 1000);
		if (had_old)
			build_rollback(o.output, prev, pid);
		return 1;
	}
	printf("published %016" PRIx64 ": %ld items, %ld penalty records; the "
	    "server serves it\n", st.hash, st.items, st.penalties);
	if (o.url != NULL)
		build_warm_exports(o.url);
	return 0;
}
