/*
 * publish.c: putting content before the public and taking it off again.
 *
 * `publish` checks and builds the content folder, says what changes for the
 * public, swaps the snapshot in, has every backend load it and confirms each
 * through its /healthz -- or puts the old snapshot back everywhere.
 *
 * `withdraw ID --reason TEXT` (撤稿) takes one item off every output at once.
 * It works on the live snapshot itself, not on the content folder, so that
 * nothing else waiting there (another edit, a broken file) goes out with it
 * or stops it; and it marks the item's file as a draft, so that the next
 * publish keeps it off.
 *
 * Both append what they did, or failed to do, to the publishing log (publog.c)
 * and refuse to change anything when the log cannot be written.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "build.h"
#include "content.h"
#include "hosts.h"
#include "lists.h"
#include "log.h"
#include "publish.h"
#include "publog.h"
#include "route.h"
#include "xml.h"

struct publish_backend {
	const char	*pidfile;	/* its master's pid file */
	const char	*url;		/* its /healthz, or NULL: not confirmed */
	pid_t		 pid;		/* its master, 0: not running */
};

struct publish {
	const char	*content;	/* content folder */
	const char	*snapshot;	/* the live snapshot's path */
	const char	*today;		/* date penalty records are checked against */
	const char	*by;		/* who, as given with --by */
	const char	*reason;	/* why (withdraw) */
	char		 prev[4096];	/* where the previous snapshot is kept */
	char		 tmp[4096];	/* where the new one is written */
	char		 log[4096];	/* the publishing log */
	int		 logfd;
	struct publish_backend be[PUBLISH_MAX_BACKENDS];
	int		 nbe;		/* backends named by --pid */
	int		 nurl;		/* --url given, in the order of --pid */
	struct hosts	 hosts;		/* --hosts: other hosts to send it to */
	struct buf	 items;		/* what changed, for the log */
};

/* Parses the options publish and withdraw share. 0, or -1 on misuse. */
static int
publish_opts(int argc, char **argv, struct publish *p)
{
	static const struct option opts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "snapshot", required_argument, NULL, 's' },
		{ "pid", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "log", required_argument, NULL, 'l' },
		{ "today", required_argument, NULL, 't' },
		{ "by", required_argument, NULL, 'b' },
		{ "reason", required_argument, NULL, 'r' },
		{ "hosts", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 } };
	const char	*logpath = NULL, *hosts = NULL;
	int		 c;

	memset(p, 0, sizeof(*p));
	p->content = "content";
	p->logfd = -1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (c) {
		case 'c': p->content = optarg; break;
		case 's': p->snapshot = optarg; break;
		case 'p':
			if (p->nbe == PUBLISH_MAX_BACKENDS)
				return -1;
			p->be[p->nbe++].pidfile = optarg;
			break;
		case 'u':
			if (p->nurl == PUBLISH_MAX_BACKENDS)
				return -1;
			p->be[p->nurl++].url = optarg;
			break;
		case 'l': logpath = optarg; break;
		case 't': p->today = optarg; break;
		case 'b': p->by = optarg; break;
		case 'r': p->reason = optarg; break;
		case 'H': hosts = optarg; break;
		default: return -1;
		}
	if (hosts != NULL && hosts_read(hosts, &p->hosts) == -1)
		return -1;
	if (p->snapshot == NULL || (p->nurl != 0 && p->nurl != p->nbe) ||
	    snprintf(p->prev, sizeof(p->prev), "%s.prev", p->snapshot) >=
	    (int)sizeof(p->prev) || build_tmpname(p->tmp, sizeof(p->tmp),
	    p->snapshot) == -1)
		return -1;
	if (logpath != NULL)
		snprintf(p->log, sizeof(p->log), "%s", logpath);
	else
		publog_default(p->log, sizeof(p->log), p->snapshot);
	return 0;
}

/* Records an event in the publishing log; says so when it cannot. */
static void
publish_record(struct publish *p, const char *action, uint64_t id,
    const char *reason)
{
	struct publog_entry	 e;
	char			 snap[24];

	snprintf(snap, sizeof(snap), "%016" PRIx64, id);
	e.action = action;
	e.by = p->by;
	e.snapshot = snap;
	e.items = p->items.data != NULL ? p->items.data : "";
	e.reason = reason;
	if (publog_write(p->logfd, &e) == -1)
		fprintf(stderr, "could not record this in the publishing log %s\n",
		    p->log);
}

/* The pid in pidfile when that process is alive, else 0. */
static pid_t
publish_server_pid(const char *pidfile)
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
publish_http_has(const char *url, const char *needle)
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

/* Waits up to PUBLISH_CONFIRM_MS for url to report snapshot id. */
static int
publish_confirm(const char *url, uint64_t id)
{
	struct timespec	 ts = { 0, 100 * 1000000L };
	char		 needle[64];
	int		 waited;

	snprintf(needle, sizeof(needle), "\"snapshot\":\"%016" PRIx64 "\"", id);
	for (waited = 0; waited < PUBLISH_CONFIRM_MS; waited += 100) {
		if (publish_http_has(url, needle) == 1)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/*
 * Has every running backend load the snapshot now at the snapshot path
 * (SIGHUP to each at once), then confirms each that has a /healthz address.
 * Returns the number of backends running, or -1 when one did not confirm.
 */
static int
publish_reload(struct publish *p, uint64_t id)
{
	int	 i, running = 0;

	for (i = 0; i < p->nbe; i++)
		if ((p->be[i].pid = publish_server_pid(p->be[i].pidfile)) > 0) {
			kill(p->be[i].pid, SIGHUP);
			running++;
		}
	for (i = 0; i < p->nbe; i++) {
		if (p->be[i].pid == 0) {
			if (p->nbe > 1)
				printf("backend %d (%s) is not running; it will "
				    "serve the new snapshot when it starts\n", i + 1,
				    p->be[i].pidfile);
			continue;
		}
		if (p->be[i].url == NULL)
			continue;
		if (publish_confirm(p->be[i].url, id) == -1) {
			fprintf(stderr, "backend %d (%s) did not start serving "
			    "snapshot %016" PRIx64 " within %d s\n", i + 1,
			    p->be[i].url, id, PUBLISH_CONFIRM_MS / 1000);
			return -1;
		}
		if (p->nbe > 1)
			printf("backend %d (%s) serves it\n", i + 1, p->be[i].url);
	}
	return running;
}

/*
 * Sends the snapshot now at the snapshot path to every host of --hosts, has
 * each load it and confirms each through its /healthz. Returns the number
 * of hosts, or -1 when one failed (said which).
 */
static int
publish_hosts(struct publish *p, uint64_t id)
{
	struct hosts_host	*h;
	int			 i;

	for (i = 0; i < p->hosts.n; i++) {
		if (hosts_copy(&p->hosts.h[i], p->snapshot) == -1)
			return -1;
		p->hosts.h[i].copied = 1;
	}
	for (i = 0; i < p->hosts.n; i++)
		if (hosts_reload(&p->hosts.h[i]) == -1)
			return -1;
	for (i = 0; i < p->hosts.n; i++) {
		h = &p->hosts.h[i];
		if (publish_confirm(h->url, id) == -1) {
			fprintf(stderr, "host %s (%s) did not start serving "
			    "snapshot %016" PRIx64 " within %d s\n", h->name,
			    h->url, id, PUBLISH_CONFIRM_MS / 1000);
			return -1;
		}
		printf("host %s (%s) serves it\n", h->name, h->url);
	}
	return p->hosts.n;
}

/*
 * Waits until the backend whose /healthz is url serves the bulk exports
 * and the sitemap of the snapshot it now serves: its master's writer writes
 * them after the reload (export.c), and until then they answer 503. They
 * are beside its /healthz (.../healthz -> .../export/cases.json,
 * .../sitemap.xml). Returns 1 when all are served, 0 when not within
 * PUBLISH_EXPORT_MS or on another answer.
 */
static int
publish_wait_backend(const char *url)
{
	static const char *const files[] = { "export/cases.json",
	    "export/pufa.json", "export/credit.json", "export/laws.json",
	    "sitemap.xml", NULL };
	static const char *const needles[] = { "{\"data\":", "{\"data\":",
	    "{\"data\":", "{\"data\":", "<sitemapindex", NULL };
	struct timespec	 ts = { 0, 100 * 1000000L };
	char		 addr[512];
	size_t		 n;
	int		 i = 0, waited;

	if (url == NULL || (n = strlen(url)) < 7 ||
	    strcmp(url + n - 7, "healthz") != 0)
		return 1;	/* nothing to ask */
	for (waited = 0; files[i] != NULL && waited < PUBLISH_EXPORT_MS;
	    waited += 100) {
		snprintf(addr, sizeof(addr), "%.*s%s", (int)(n - 7), url, files[i]);
		if (publish_http_has(addr, needles[i]) == 1)
			i++;
		else if (publish_http_has(addr, "HTTP/1.1 503 ") == 1)
			nanosleep(&ts, NULL);	/* being written */
		else
			break;
	}
	return files[i] == NULL;
}

/*
 * Waits until every backend and host with a /healthz address serves the new
 * exports and sitemap. Not being served yet is reported, not fatal: the
 * writers carry on.
 */
static void
publish_wait_exports(const struct publish *p)
{
	int	 i, ok = 1;

	for (i = 0; i < p->nbe; i++)
		if (p->be[i].pid > 0 && p->be[i].url != NULL)
			ok &= publish_wait_backend(p->be[i].url);
	for (i = 0; i < p->hosts.n; i++)
		ok &= publish_wait_backend(p->hosts.h[i].url);
	printf(ok ? "exports written\n" : "exports not yet written; the "
	    "server writes them and answers 503 until then\n");
}

/*
 * Prints what the snapshot at p->tmp changes for the public against the live
 * one, as of now: items added, updated, withdrawn (still in the content but
 * a draft or scheduled later), removed (no longer in the content), and
 * changes that stay out of public view (draft, scheduled). Collects the same
 * in p->items for the log. Returns the number of lines, or -1 when the two
 * cannot be compared (a snapshot of another version).
 */
static int
publish_diff(struct publish *p)
{
	static const char sql[] =
	    "WITH o AS (SELECT id, title, hash, status = 'published' AND"
	    " publish_at <= ?1 AS pub FROM old.items),"
	    " n AS (SELECT id, title, hash, status, status = 'published' AND"
	    " publish_at <= ?1 AS pub FROM main.items)"
	    " SELECT 'added', n.id, n.title FROM n LEFT JOIN o ON o.id = n.id"
	    " WHERE n.pub AND o.pub IS NOT 1"
	    " UNION ALL SELECT 'updated', n.id, n.title FROM n JOIN o"
	    " ON o.id = n.id WHERE n.pub AND o.pub AND n.hash != o.hash"
	    " UNION ALL SELECT 'withdrawn', n.id, n.title FROM n JOIN o"
	    " ON o.id = n.id WHERE o.pub AND NOT n.pub"
	    " UNION ALL SELECT 'removed', o.id, o.title FROM o LEFT JOIN n"
	    " ON n.id = o.id WHERE n.id IS NULL"
	    " UNION ALL SELECT CASE n.status WHEN 'published' THEN 'scheduled'"
	    " ELSE 'draft' END, n.id, n.title FROM n LEFT JOIN o ON o.id = n.id"
	    " WHERE NOT n.pub AND o.pub IS NOT 1 AND o.hash IS NOT n.hash"
	    " ORDER BY 1, 2";
	sqlite3		*db;
	sqlite3_stmt	*st = NULL;
	char		*attach;
	int		 n = -1;

	if (sqlite3_open_v2(p->tmp, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto done;
	attach = sqlite3_mprintf("ATTACH %Q AS old", p->snapshot);
	if (sqlite3_exec(db, attach, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_free(attach);
		goto done;
	}
	sqlite3_free(attach);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	for (n = 0; sqlite3_step(st) == SQLITE_ROW; n++) {
		printf("  %-9s %s  %s\n", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
		if (n < PUBLISH_LOG_ITEMS)
			buf_printf(&p->items, "%s%s:%s", n ? " " : "",
			    sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
	}
	if (n > PUBLISH_LOG_ITEMS)
		buf_printf(&p->items, " +%d more", n - PUBLISH_LOG_ITEMS);
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Prints the changes the new snapshot brings. */
static void
publish_changes(struct publish *p)
{
	int	 n;

	printf("changes since the live snapshot:\n");
	if (access(p->snapshot, F_OK) != 0 || (n = publish_diff(p)) == -1) {
		printf("  (no comparable live snapshot: everything is new)\n");
		buf_reset(&p->items);
		buf_puts(&p->items, "all");
	} else if (n == 0)
		printf("  (no item changed)\n");
}

/*
 * Waits until no cache can serve an answer from the old snapshot. nginx
 * counts a copy's lifetime in whole seconds: a copy made during second s is
 * served until second s + PUBLISH_CACHE_SECONDS ends. Every old copy was
 * made before now plus PUBLISH_INFLIGHT_MS, so the end of the second after
 * that one's lifetime is the last moment any of them can be served.
 */
static void
publish_settle(void)
{
	struct timespec	 now, until;

	clock_gettime(CLOCK_REALTIME, &now);
	until.tv_sec = now.tv_sec + (now.tv_nsec / 1000000L +
	    PUBLISH_INFLIGHT_MS) / 1000 + 1 + PUBLISH_CACHE_SECONDS;
	until.tv_nsec = 50 * 1000000L;	/* past nginx's next clock update */
	while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL) ==
	    EINTR)
		;
}

/* Puts the previous snapshot back and has every backend load it again. */
static void
publish_rollback(struct publish *p)
{
	int	 i;

	if (rename(p->prev, p->snapshot) == -1) {
		log_warn("rename %s", p->prev);
		return;
	}
	for (i = 0; i < p->nbe; i++)
		if (p->be[i].pid > 0)
			kill(p->be[i].pid, SIGHUP);
	fprintf(stderr, "the previous snapshot %s is back in place\n",
	    p->snapshot);
	for (i = 0; i < p->hosts.n; i++)
		if (p->hosts.h[i].copied &&
		    hosts_copy(&p->hosts.h[i], p->snapshot) == 0 &&
		    hosts_reload(&p->hosts.h[i]) == 0)
			fprintf(stderr, "host %s: the previous snapshot is back\n",
			    p->hosts.h[i].name);
}

/*
 * Root publishing over a snapshot that belongs to another user (the servers'
 * user, when scripts/run was started by root) gives the new snapshot (path)
 * and a publishing log it creates (fd) to that user, so that the console,
 * as that user, can publish the next one.
 */
static void
publish_owner(const char *snapshot, int fd, const char *path)
{
	struct stat	 st, own;

	if (geteuid() != 0 || stat(snapshot, &st) == -1 || st.st_uid == 0)
		return;
	if (fd != -1 && (fstat(fd, &own) == -1 || own.st_uid != 0))
		return;
	if ((fd != -1 ? fchown(fd, st.st_uid, st.st_gid) :
	    chown(path, st.st_uid, st.st_gid)) == -1)
		log_warn("%s", path);
}

/*
 * Swaps the snapshot written at p->tmp in (the live one kept at p->prev),
 * has every backend serve it and confirms each. Any failure puts the old
 * snapshot back. Returns the number of backends running, or -1.
 */
static int
publish_swap(struct publish *p, uint64_t id)
{
	int	 had_old = access(p->snapshot, F_OK) == 0, running, n;

	publish_owner(p->snapshot, -1, p->tmp);
	build_fsync(p->tmp);
	unlink(p->prev);
	if ((had_old && link(p->snapshot, p->prev) == -1) ||
	    rename(p->tmp, p->snapshot) == -1) {
		log_warn("%s", p->snapshot);
		unlink(p->tmp);
		return -1;
	}
	build_fsync_dir(p->snapshot);
	if ((running = publish_reload(p, id)) != -1 && p->hosts.n > 0)
		running = (n = publish_hosts(p, id)) == -1 ? -1 : running + n;
	if (running == -1 && had_old)
		publish_rollback(p);
	if (running > 0)
		publish_settle();
	return running;
}

/* Says where the new snapshot now is and who serves it; st: what it holds. */
static void
publish_done(const struct publish *p, int running, uint64_t id,
    const struct content_stats *st)
{
	char	 counts[96] = "";

	if (st != NULL)
		snprintf(counts, sizeof(counts), ": %ld items, %ld penalty records",
		    st->items, st->penalties);
	if (running == 0)
		printf("published %016" PRIx64 "%s to %s; no server is running, "
		    "the next one will serve it\n", id, counts, p->snapshot);
	else {
		printf("published %016" PRIx64 "%s; the server%s serve%s it, and no "
		    "cached copy of the previous snapshot remains\n", id, counts,
		    running > 1 ? "s" : "", running > 1 ? "" : "s");
		publish_wait_exports(p);
	}
}

static void
publish_usage(void)
{
	fprintf(stderr, "usage: fazhi publish [--content DIR] --snapshot FILE "
	    "[--log FILE] [--by NAME]\n"
	    "                     [--pid FILE [--url http://127.0.0.1:PORT/"
	    "healthz]]... [--hosts FILE]\n");
}

/* `fazhi publish`: content folder -> checked snapshot -> every backend. */
int
publish_main(int argc, char **argv)
{
	struct publish		 p;
	struct content_stats	 st = { 0 };
	char			 why[64];
	int			 running;

	log_init("publish");
	if (publish_opts(argc, argv, &p) == -1 || optind != argc) {
		publish_usage();
		return 1;
	}
	if ((p.logfd = publog_open(p.log)) == -1) {
		fprintf(stderr, "nothing was published: the publishing log %s "
		    "cannot be written\n", p.log);
		return 1;
	}
	publish_owner(p.snapshot, p.logfd, p.log);
	xml_init();
	if (build_write(p.content, p.today, p.tmp, &st) == -1) {
		build_failed(p.snapshot);
		snprintf(why, sizeof(why), "%d error%s in the content",
		    xml_errors(), xml_errors() == 1 ? "" : "s");
		publish_record(&p, "publish-failed", st.hash, why);
		return 1;
	}
	publish_changes(&p);
	if ((running = publish_swap(&p, st.hash)) == -1) {
		publish_record(&p, "publish-failed", st.hash,
		    "not served; the previous snapshot is back");
		return 1;
	}
	publish_record(&p, "publish", st.hash, NULL);
	publish_done(&p, running, st.hash, &st);
	buf_free(&p.items);
	close(p.logfd);
	return 0;
}

/* FNV-1a over s, continuing from h: the id of a patched snapshot. */
static uint64_t
publish_fnv(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* Copies the file from to the new file to. 0, or -1 with the reason logged. */
static int
publish_copy(const char *from, const char *to)
{
	char	 b[65536];
	ssize_t	 n = 0;
	int	 in, out = -1, rc = -1;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) == -1)
		goto done;
	while ((n = read(in, b, sizeof(b))) > 0)
		if (write(out, b, (size_t)n) != n)
			break;
	rc = n == 0 ? 0 : -1;
done:
	if (rc == -1)
		log_warn("copy %s to %s", from, to);
	if (in != -1)
		close(in);
	if (out != -1)
		close(out);
	return rc;
}

/* What the live snapshot has of one item. */
struct publish_item {
	char	 kind[16];	/* case, guide or material */
	char	 title[512];
	int	 published;	/* status="published" */
};

/*
 * Looks item id up in the live snapshot. Returns 1 when it is there, 0 when
 * it is not, -1 when the snapshot cannot be read.
 */
static int
publish_find(const char *snapshot, const char *id, struct publish_item *it)
{
	sqlite3		*db;
	sqlite3_stmt	*st = NULL;
	int		 rc = -1;

	if (sqlite3_open_v2(snapshot, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "SELECT kind, title, status ="
	    " 'published' FROM items WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		snprintf(it->kind, sizeof(it->kind), "%s",
		    sqlite3_column_text(st, 0));
		snprintf(it->title, sizeof(it->title), "%s",
		    sqlite3_column_text(st, 1));
		it->published = sqlite3_column_int(st, 2);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
done:
	if (rc == -1)
		log_warnx("%s: %s", snapshot, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

/*
 * Makes item id a draft in the snapshot copy at p->tmp: in items and in the
 * search index's visibility (the two places a snapshot decides what is
 * public), with a new snapshot id (*id) and build time, so that every page,
 * ETag and export moves; and computes its lists again (lists.c). Returns 0,
 * or -1.
 */
static int
publish_patch(struct publish *p, const char *item, uint64_t *id)
{
	static const char sql[] = "BEGIN;"
	    "UPDATE items SET status = 'draft' WHERE id = ?1;"
	    "UPDATE search_docs SET status = 'draft' WHERE item_id = ?1;"
	    "UPDATE meta SET value = ?2 WHERE key = 'snapshot_id';"
	    "UPDATE meta SET value = ?3 WHERE key = 'built_at';"
	    "COMMIT;";
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	const char	*next = sql;
	char		 old[24] = "", hex[24], when[32];
	time_t		 now = time(NULL);
	int		 rc = -1;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (publish_copy(p->snapshot, p->tmp) == -1 ||
	    sqlite3_open_v2(p->tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		goto done;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key ="
	    " 'snapshot_id'", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(old, sizeof(old), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	*id = publish_fnv(publish_fnv(0xcbf29ce484222325ULL, old), item);
	snprintf(hex, sizeof(hex), "%016" PRIx64, *id);
	for (rc = 0; rc == 0 && *next != '\0'; ) {
		if (sqlite3_prepare_v2(db, next, -1, &st, &next) != SQLITE_OK) {
			rc = -1;
			break;
		}
		sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, hex, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, when, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = -1;
		sqlite3_finalize(st);
	}
	/* The lists, counts and facets the build computed hold it too. */
	if (rc == 0)
		rc = lists_rebuild(db, (int64_t)now);
done:
	if (rc == -1) {
		log_warnx("%s: %s", p->tmp, db ? sqlite3_errmsg(db) : "not copied");
		unlink(p->tmp);
	}
	sqlite3_close(db);
	return rc;
}

/*
 * Finds the value of the root element's status attribute in the XML text s
 * (after the declaration, comments and processing instructions). Returns a
 * pointer to the value and its length in *n, or NULL.
 */
static const char *
publish_status_attr(const char *s, size_t *n)
{
	const char	*p = s, *end, *v;
	char		 q;

	for (;;) {
		p += strspn(p, " \t\r\n");
		if (strncmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3;
		else if (strncmp(p, "<?", 2) == 0 && (end = strstr(p, "?>")))
			p = end + 2;
		else if (strncmp(p, "<!--", 4) == 0 && (end = strstr(p, "-->")))
			p = end + 3;
		else
			break;
	}
	if (*p != '<')
		return NULL;
	for (p++; *p != '\0' && *p != '>'; p++) {
		if (*p == '"' || *p == '\'') {		/* skip a quoted value */
			if ((p = strchr(p + 1, *p)) == NULL)
				return NULL;
			continue;
		}
		if (strncmp(p, "status", 6) != 0 || strchr(" \t\r\n", p[-1]) == NULL)
			continue;
		v = p + 6 + strspn(p + 6, " \t\r\n");
		if (*v != '=')
			continue;
		v += 1 + strspn(v + 1, " \t\r\n");
		if ((q = *v) != '"' && q != '\'')
			return NULL;
		if ((end = strchr(v + 1, q)) == NULL)
			return NULL;
		*n = (size_t)(end - v - 1);
		return v + 1;
	}
	return NULL;
}

/*
 * Sets status="draft" on the root element of the item file at path, keeping
 * every other byte; the original and its mode are left in *orig and *mode to
 * put back. Returns 1 when
 * the file was changed, 0 when there is no such file (a deleted file stays
 * off anyway), -1 on failure.
 */
static int
publish_mark_draft(const char *path, struct buf *orig, mode_t *mode)
{
	struct buf	 out = { 0 };
	struct stat	 sb;
	const char	*v;
	char		 b[8192];
	size_t		 n;
	ssize_t		 r = 0;
	int		 fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &sb) == 0 && sb.st_size <= XML_MAX_FILE)
		while ((r = read(fd, b, sizeof(b))) > 0)
			if (buf_add(orig, b, (size_t)r) == -1)
				break;
	close(fd);
	*mode = sb.st_mode & 07777;
	if (r != 0 || orig->data == NULL ||
	    (v = publish_status_attr(orig->data, &n)) == NULL)
		goto done;
	if (buf_add(&out, orig->data, (size_t)(v - orig->data)) == 0 &&
	    buf_puts(&out, "draft") == 0 && buf_puts(&out, v + n) == 0 &&
	    build_write_file(path, out.data, out.len, *mode) == 0)
		rc = 1;
done:
	buf_free(&out);
	return rc;
}

/* The content file of an item of kind id, in dst. */
static void
publish_item_path(char *dst, size_t n, const char *content, const char *kind,
    const char *id)
{
	const char	*folder = strcmp(kind, "case") == 0 ? "cases" :
	    strcmp(kind, "guide") == 0 ? "guides" : "pufa";

	snprintf(dst, n, "%s/%s/%s.xml", content, folder, id);
}

/* Checks withdraw's arguments and finds the item. 0, or -1 with a message. */
static int
publish_withdraw_args(struct publish *p, const char *id,
    struct publish_item *it)
{
	if (!route_valid_id(id)) {
		fprintf(stderr, "\"%s\" is not an item id (the last part of its "
		    "address, e.g. 2023-002)\n", id);
		return -1;
	}
	if (p->reason == NULL || p->reason[strspn(p->reason, " \t")] == '\0' ||
	    strlen(p->reason) > PUBLISH_MAX_REASON) {
		fprintf(stderr, "give the reason for the record: --reason TEXT "
		    "(at most %d bytes)\n", PUBLISH_MAX_REASON);
		return -1;
	}
	switch (publish_find(p->snapshot, id, it)) {
	case 0:
		fprintf(stderr, "%s: no item \"%s\" in the live snapshot %s\n",
		    id, id, p->snapshot);
		return -1;
	case -1:
		return -1;
	}
	if (!it->published) {
		fprintf(stderr, "%s is already a draft: nothing of it is public\n",
		    id);
		return -1;
	}
	return 0;
}

/*
 * `fazhi withdraw ID --reason TEXT [--by NAME]`: takes item ID off every
 * output at once and records who did it, when and why.
 */
int
publish_withdraw_main(int argc, char **argv)
{
	struct publish		 p;
	struct publish_item	 it;
	struct buf		 orig = { 0 };
	char			 path[4096];
	uint64_t		 id = 0;
	mode_t			 mode = 0644;
	int			 marked = 0, running = -1;

	log_init("withdraw");
	if (publish_opts(argc, argv, &p) == -1 || optind + 1 != argc) {
		fprintf(stderr, "usage: fazhi withdraw ID --reason TEXT [--by NAME]"
		    " [--content DIR] --snapshot FILE [--log FILE]\n"
		    "                      [--pid FILE [--url http://127.0.0.1:"
		    "PORT/healthz]]... [--hosts FILE]\n");
		return 1;
	}
	if (publish_withdraw_args(&p, argv[optind], &it) == -1)
		return 1;
	if ((p.logfd = publog_open(p.log)) == -1) {
		fprintf(stderr, "nothing was withdrawn: the publishing log %s "
		    "cannot be written\n", p.log);
		return 1;
	}
	publish_owner(p.snapshot, p.logfd, p.log);
	buf_printf(&p.items, "withdrawn:%s", argv[optind]);
	publish_item_path(path, sizeof(path), p.content, it.kind, argv[optind]);
	if (publish_patch(&p, argv[optind], &id) == -1 ||
	    (marked = publish_mark_draft(path, &orig, &mode)) == -1) {
		fprintf(stderr, "could not mark %s as a draft\n", path);
		unlink(p.tmp);
		goto fail;
	}
	if ((running = publish_swap(&p, id)) == -1)
		goto fail;
	publish_record(&p, "withdraw", id, p.reason);
	printf("withdrawn %s  %s\n", argv[optind], it.title);
	if (marked)
		printf("%s now says status=\"draft\"; set it back to \"published\" "
		    "and publish to restore the item\n", path);
	publish_done(&p, running, id, NULL);
	buf_free(&orig);
	return 0;
fail:
	if (marked == 1 &&
	    build_write_file(path, orig.data, orig.len, mode) == -1)
		fprintf(stderr, "could not put %s back as it was\n", path);
	publish_record(&p, "withdraw-failed", id, p.reason);
	fprintf(stderr, "%s was not withdrawn; the live site is unchanged\n",
	    argv[optind]);
	buf_free(&orig);
	return 1;
}
