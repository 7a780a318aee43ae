/*
 * test_snap.c: a failed snapshot read. Every read of snap.c marks the
 * request when SQLite fails (snap_failed), the mark lasts until the next
 * request starts, and req_serve then answers 500 -- the error page, or
 * JSON for the API and /healthz -- whatever the handler made of the read.
 * The failure is real: the snapshot's pages are overwritten in place while
 * it is open, as a damaged disk would leave them.
 */
/* checks: 45 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lua.h>
#include <sqlite3.h>

#include "buf.h"
#include "build.h"
#include "fts.h"
#include "http.h"
#include "req.h"
#include "snap.h"
#include "tpl.h"
#include "snapshot.h"
#include "unit.h"

/* What req_serve says when a read failed (req.c, req_read_failed). */
#define READ_FAILED	"暂时无法读取网站数据"

/* A clock long before anything shipped was published (2001-09-09). */
#define SNAP_TEST_PAST	1000000000

static struct http_req	 req;

/* Opens the snapshot and the templates as a worker does (worker_open). */
static int
env_open(struct req_env *env, const char *path)
{
	memset(env, 0, sizeof(*env));
	env->started = time(NULL);
	if ((env->snap = snap_open(path)) == NULL ||
	    (env->tpl = tpl_open("lua", "lua/templates")) == NULL ||
	    snap_push_site(env->snap, tpl_state(env->tpl)) == -1 ||
	    tpl_compile(env->tpl) == -1)
		return -1;
	return 0;
}

/* Runs one SQL query of a single integer on the file at path, or -1. */
static long
sql_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	long		 v = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto done;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
done:
	sqlite3_close(db);
	return v;
}

/*
 * Overwrites pages [first, first + n) of the open snapshot at path with
 * zeros, in place: SQLite then finds pages of no known type. Returns 0 or -1.
 */
static int
damage(const char *path, long first, long n)
{
	long	 size = sql_int(path, "PRAGMA page_size"), i;
	char	*zero;
	int	 fd, rc = 0;

	if (size <= 0 || first < 2 || (zero = calloc(1, (size_t)size)) == NULL)
		return -1;
	if ((fd = open(path, O_WRONLY)) == -1) {
		free(zero);
		return -1;
	}
	for (i = first; i < first + n && rc == 0; i++)
		if (pwrite(fd, zero, (size_t)size, (i - 1) * size) != size)
			rc = -1;
	close(fd);
	free(zero);
	return rc;
}

/*
 * Serves uri into out, as a worker would, out zeroed first (the caller
 * calls done).
 */
static void
serve(struct req_env *env, const char *uri, struct req_out *out)
{
	memset(out, 0, sizeof(*out));
	req_serve(env, &req, http_parse(&req, "GET", uri), out);
}

/* Releases what serve made. */
static void
done(struct req_env *env, struct req_out *out)
{
	req_done(env, out);
	req_free(out);
}

/* Is out the 500 of a failed read, as HTML (json 0) or as JSON? */
static int
is_read_failure(const struct req_out *out, int json)
{
	const char	*type = json ? "application/json" : "text/html";

	return out->status == 500 && strncmp(out->type, type, strlen(type)) == 0 &&
	    out->last_modified == 0 && out->accel == NULL &&
	    memmem(out->body, out->len, READ_FAILED, strlen(READ_FAILED)) != NULL &&
	    (!json || memmem(out->body, out->len, "\"internal_error\"", 16) != NULL);
}

/* Serves uri and checks that it is (want 500) or is not a failed read. */
static void
check_uri(struct req_env *env, const char *uri, int want)
{
	struct req_out	 out;
	int		 json = strncmp(uri, "/api/", 5) == 0 ||
			    strcmp(uri, "/healthz") == 0;

	serve(env, uri, &out);
	if (want == 500)
		UNIT_CHECK(is_read_failure(&out, json), "%s: a failed read is a "
		    "500 %s (got %d)", uri, json ? "in JSON" : "page", out.status);
	else
		UNIT_CHECK(out.status == want && !snap_failed(env->snap),
		    "%s: %d, nothing failed (got %d)", uri, want, out.status);
	done(env, &out);
}

/*
 * One damaged b-tree: the packed lists of every item (item_data). An item's
 * own row still reads, so its page would be a 200 with no sections; it must
 * be a 500, and the next request, which reads no lists, is not.
 */
static void
test_parts_damaged(struct req_env *env, const char *path)
{
	lua_State	*L = tpl_state(env->tpl);
	long		 root;
	struct req_out	 out;

	serve(env, "/cases/2023-001", &out);
	UNIT_CHECK(out.status == 200, "/cases/2023-001 before the damage: 200");
	done(env, &out);
	root = sql_int(path, "SELECT rootpage FROM sqlite_master "
	    "WHERE name = 'item_data'");
	UNIT_CHECK(root > 1 && damage(path, root, 1) == 0,
	    "the item_data table's root page %ld overwritten in place", root);

	snap_clock(env->snap, time(NULL), 0);
	UNIT_CHECK(snap_rows(env->snap, L, SNAP_Q_CASE, "s", "2023-001") == 1 &&
	    !snap_failed(env->snap), "the item's row still reads");
	lua_rawgeti(L, -1, 1);
	UNIT_CHECK(snap_parts(env->snap, L, "2023-001", 1, NULL) == -1 &&
	    snap_failed(env->snap), "its lists do not, and the request is marked");
	snap_rows(env->snap, L, SNAP_Q_CASE, "s", "2023-002");
	UNIT_CHECK(snap_failed(env->snap), "a good read after a failed one "
	    "leaves the mark");
	snap_clock(env->snap, time(NULL), 0);
	UNIT_CHECK(!snap_failed(env->snap), "the next request starts unmarked");
	lua_settop(L, 0);

	check_uri(env, "/cases/2023-001", 500);
	check_uri(env, "/api/v1/cases/2023-001", 500);
	check_uri(env, "/credit/penalty-repair", 500);
	check_uri(env, "/cases/", 200);
	check_uri(env, "/api/v1/cases", 200);
	check_uri(env, "/cases/2023-002", 500);
}

/* Each read of snap.c on a snapshot whose every page but the first is gone. */
static void
test_every_read_marks(struct req_env *env)
{
	lua_State	*L = tpl_state(env->tpl);
	struct snap	*s = env->snap;
	struct snap_hit	 hits[4] = { { 1, "case", 0 } };
	struct buf	 q = { 0 };

	snap_clock(s, time(NULL), 0);
	UNIT_CHECK(snap_rows(s, L, SNAP_Q_LATEST_CASES, "i", (int64_t)6) == -1 &&
	    lua_istable(L, -1) && lua_rawlen(L, -1) == 0 && snap_failed(s),
	    "snap_rows: -1, an empty array, the request marked");
	/* An earlier clock than any request so far: it has to be read again. */
	snap_clock(s, SNAP_TEST_PAST, 0);
	UNIT_CHECK(snap_last_change(s) == 0 && snap_failed(s),
	    "snap_last_change: marked");
	snap_clock(s, SNAP_TEST_PAST, 0);
	UNIT_CHECK(snap_last_change(s) == 0 && snap_failed(s),
	    "snap_last_change: a failed read is not kept for the next request");
	snap_clock(s, time(NULL), 0);
	lua_newtable(L);
	UNIT_CHECK(snap_parts(s, L, "2023-001", 1, NULL) == -1 && snap_failed(s),
	    "snap_parts: marked");
	snap_clock(s, time(NULL), 0);
	UNIT_CHECK(snap_credit_texts(s, L, "ndrc-order-58") == -1 && snap_failed(s),
	    "snap_credit_texts: marked");
	snap_clock(s, time(NULL), 0);
	UNIT_CHECK(snap_push_site(s, L) == -1 && snap_failed(s),
	    "snap_push_site: marked");
	snap_clock(s, time(NULL), 0);
	UNIT_CHECK(fts_query(&q, "噪声") > 0 && snap_search_window(s, q.data, 1, NULL, 4,
	    hits) == -1 && snap_failed(s), "snap_search_window: marked");
	snap_clock(s, time(NULL), 0);
	UNIT_CHECK(snap_search_items(s, L, hits, 1, q.data) == -1 &&
	    snap_failed(s), "snap_search_items: marked");
	buf_free(&q);
	lua_settop(L, 0);
}

/* Every answer that reads the snapshot, on the same damaged file. */
static void
test_every_answer(struct req_env *env)
{
	static const char *const reads[] = { "/", "/cases/", "/cases/?domain=shirong",
	    "/cases/2023-001", "/pufa/", "/credit/", "/credit/penalty-repair",
	    "/about", "/search?q=%E5%99%AA%E5%A3%B0", "/healthz",
	    "/feeds/all.atom", "/feeds/cases/shirong.atom",
	    "/credit/lookup?q=9133090381B621CLXP",
	    "/credit/check?date=2026-03-31&procedure=general&kind=fine&fine=5000"
	    "&domain=shirong", "/api/v1/cases", "/api/v1/cases/2023-001",
	    "/api/v1/pufa?topic=guojia-anquan", "/api/v1/credit",
	    "/api/v1/search?q=%E5%99%AA%E5%A3%B0",
	    "/api/v1/credit/lookup?q=9133090381B621CLXP",
	    "/api/v1/credit/check?date=2026-03-31&procedure=general&kind=fine"
	    "&fine=5000&domain=shirong", NULL };
	size_t		 i;

	for (i = 0; reads[i] != NULL; i++)
		check_uri(env, reads[i], 500);
	/* Answers that read nothing are what they always were. */
	check_uri(env, "/robots.txt", 200);
	check_uri(env, "/no-such-page", 404);
	/* The sitemap is files the master writes (export.c): none without --export. */
	check_uri(env, "/sitemap.xml", 404);
}

int
main(void)
{
	struct req_env	 env;
	char		 path[4096];
	long		 pages;

	if (build_snapshot(path, sizeof(path)) != 0 || env_open(&env, path) == -1) {
		UNIT_CHECK(0, "the shipped content builds and opens");
		return unit_done();
	}
	pages = sql_int(path, "PRAGMA page_count");
	test_parts_damaged(&env, path);
	UNIT_CHECK(pages > 2 && damage(path, 2, pages - 1) == 0,
	    "every page but the first overwritten in place");
	test_every_read_marks(&env);
	test_every_answer(&env);
	tpl_close(env.tpl);
	snap_close(env.snap);
	unlink(path);
	return unit_done();
}
