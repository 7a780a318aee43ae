/*
 * test_lists.c: the queries of the lists (lists.c, snap.c's snap_list_* and
 * snap_law*) read by position and by index, never by a pass over the items:
 * SQLite's own query plan, on a snapshot of the shipped content, says so.
 * A page of any list then costs the same however many items there are.
 */
/* checks: 19 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "build.h"
#include "fts.h"
#include "snap.h"
#include "snapshot.h"
#include "unit.h"

/*
 * Writes query q's plan, one step a line, into plan (n bytes). Returns the
 * number of steps that read a whole table of items, citations or list
 * rows: SCAN of anything but a subquery, the laws (a few dozen) or the
 * past campaigns' partial index read in order up to its LIMIT.
 */
static int
plan(sqlite3 *db, enum snap_q q, char *plan, size_t n)
{
	sqlite3_stmt	*st;
	char		 sql[8192];
	const char	*d;
	size_t		 len = 0;
	int		 scans = 0;

	plan[0] = '\0';
	snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s", snap_query_sql(q));
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(plan, n, "%s", sqlite3_errmsg(db));
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		d = (const char *)sqlite3_column_text(st, 3);
		if (len < n)
			len += snprintf(plan + len, n - len, "%s\n", d);
		if (strncmp(d, "SCAN ", 5) == 0 && d[5] != '(' &&
		    strcmp(d, "SCAN l") != 0 &&
		    strstr(d, "INDEX items_campaign_start") == NULL)
			scans++;
	}
	sqlite3_finalize(st);
	return scans;
}

int
main(void)
{
	/* Each query, and what its plan must use. */
	static const struct {
		enum snap_q	 q;
		const char	*name;
		const char	*uses;
	} want[] = {
		{ SNAP_Q_LIST_KEY, "a list's key", "INDEX list_keys_by_filters" },
		{ SNAP_Q_LIST_IDS, "a page by position",
		    "PRIMARY KEY (key=? AND chunk>? AND chunk<?)" },
		{ SNAP_Q_LIST_LATE, "items public since the build",
		    "INDEX items_by_publish_at" },
		{ SNAP_Q_LIST_FACET1, "facet 1", "INDEX list_keys_f1" },
		{ SNAP_Q_LIST_FACET2, "facet 2", "INDEX list_keys_f2" },
		{ SNAP_Q_LIST_FACET3, "facet 3", "INDEX list_keys_f3" },
		{ SNAP_Q_LIST_FACET4, "facet 4", "INDEX list_keys_by_filters" },
		{ SNAP_Q_CASE_ROW, "a case's row", "PRIMARY KEY (id=?)" },
		{ SNAP_Q_FEED_ROW, "a feed's row", "PRIMARY KEY (id=?)" },
		{ SNAP_Q_HOME_GUIDES, "the home page's guides", "INDEX items_by_date" },
		{ SNAP_Q_CAMPAIGNS_NEXT, "campaigns to come",
		    "INDEX items_campaign_end" },
		{ SNAP_Q_CAMPAIGNS_PAST, "past campaigns",
		    "INDEX items_campaign_start" },
		{ SNAP_Q_LAWS_FAST, "the laws' counts (law_counts)",
		    "SEARCH k USING PRIMARY KEY (law=?)" },
		{ SNAP_Q_LAW_ARTICLES_FAST, "an article's count (law_cited)",
		    "SEARCH k USING PRIMARY KEY (law=? AND ord=?)" },
		{ SNAP_Q_LAW_CITERS_FAST, "an article's first citers",
		    "PRIMARY KEY (law=? AND ord=? AND pos<?)" },
	};
	sqlite3	*db;
	char	 path[4096], p[8192];
	size_t	 i;
	int	 scans;

	if (build_snapshot(path, sizeof(path)) != 0 ||
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    fts_register(db) == -1) {
		UNIT_CHECK(0, "the shipped content builds and opens");
		return unit_done();
	}
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		scans = plan(db, want[i].q, p, sizeof(p));
		UNIT_CHECK(scans == 0 && strstr(p, want[i].uses) != NULL,
		    "%s: %s, no pass over a table", want[i].name, want[i].uses);
		if (scans != 0 || strstr(p, want[i].uses) == NULL)
			printf("# %s", p);
	}
	/* The slow forms (preview, a test's clock) do pass over the items:
	 * the check above can tell. */
	UNIT_CHECK(plan(db, SNAP_Q_LIST_SLOW_IDS, p, sizeof(p)) > 0,
	    "the items read whole: seen as a pass");
	UNIT_CHECK(plan(db, SNAP_Q_LIST_SLOW_COUNT, p, sizeof(p)) > 0,
	    "a count over the items: seen as a pass");
	UNIT_CHECK(sqlite3_exec(db, "SELECT 1 FROM list_chunks LIMIT 1", NULL,
	    NULL, NULL) == SQLITE_OK, "the snapshot has the lists");
	UNIT_CHECK(sqlite3_exec(db, "SELECT value FROM meta WHERE key = "
	    "'lists_at'", NULL, NULL, NULL) == SQLITE_OK, "and their base");
	sqlite3_close(db);
	unlink(path);
	return unit_done();
}
