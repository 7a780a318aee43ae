/*
 * snap.c: the request side of the snapshot. Opens the file read-only and
 * immutable (it is replaced whole, never changed in place), prepares every
 * query once per worker, and turns result rows into Lua tables.
 *
 * A read that fails (a damaged file, an I/O error, memory) is remembered
 * until the next request starts (snap_clock): snap_failed() tells the one
 * place that sends the answer (req_serve) to make it a 500, whatever the
 * handler did with the read's own return value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <sqlite3.h>

#include "credit.h"
#include "buf.h"
#include "esc.h"
#include "ask.h"
#include "fts.h"
#include "lists.h"
#include "log.h"
#include "mem.h"
#include "pack.h"
#include "snap.h"

/* Bytes of the snapshot mapped into memory at most (SQLite's own cap is 2 GiB). */
#define SNAP_MMAP_SIZE	"2147418112"
/* Spare fields in each row table: a page adds about this many to its ctx. */
#define SNAP_ROW_SLACK	12

/*
 * Items visible now: published, and their publish-at has come; in preview,
 * every item. The clock's two parameters have fixed numbers, past any query's
 * own (?1, ?2 ...), and snap_rows binds them from snap_clock.
 */
#define SNAP_P_NOW	10
#define SNAP_P_PREVIEW	11
#define VISIBLE	"(?11 OR (i.status = 'published' AND i.publish_at <= ?10))"
/*
 * Full-text search (fts.c builds ?1, the MATCH expression). A search looks
 * at no more than ?2 matches, the newest (docids follow the publication
 * date): that bounds the work of a one-character query that matches nearly
 * everything. fts.c's BM25 weighs title 10, keywords 5, body 1, tags 0; ?3 is
 * the number of the reader's terms.
 */
/* Tokens in a result's snippet: about as many characters of Chinese. */
#define SNAP_SNIPPET_TOKENS	"48"
#define SEARCH_MATCHES \
	"FROM search JOIN search_docs i ON i.docid = search.rowid " \
	"WHERE search MATCH ?1 AND " VISIBLE " "
#define MATERIAL_COLS \
	"i.id, i.title, i.published, i.summary, i.subkind AS kind, " \
	"i.topic AS topic_code, i.topic_name AS topic, i.event_start, " \
	"i.event_end, i.event_place FROM items i "
/* lists.c's index items_campaign_end holds it. */
#define CAMPAIGN_END	LISTS_CAMPAIGN_END
#define CASE_COLS \
	"i.id, i.title, i.published, i.summary, i.procedure, " \
	"i.domain AS domain_code, i.domain_name AS domain, " \
	"i.town AS town_code, i.town_name AS town FROM items i "

/* When an item last changed in a way a reader sees (lists.h). */
#define STAMP	LISTS_STAMP
#define PENALTY_COLS \
	"p.number, p.party, p.credit_code, p.decided, p.kinds, p.fine, " \
	"p.severity, p.domain AS domain_code, d.name AS domain, p.fulfilled " \
	"FROM penalties p LEFT JOIN domains d ON d.code = p.domain "

/*
 * The lists (lists.c). ?1 is the list (all, case, material, guide), ?2 to
 * ?5 its filters ('' for any): a case's domain, town, year and procedure, a
 * material's kind and topic. An item's value for each filter:
 */
#define LIST_F1 "CASE i.kind WHEN 'case' THEN i.domain " \
	"WHEN 'material' THEN i.subkind ELSE '' END"
#define LIST_F2 "CASE i.kind WHEN 'case' THEN i.town " \
	"WHEN 'material' THEN i.topic ELSE '' END"
#define LIST_F3 "CASE i.kind WHEN 'case' THEN i.year ELSE '' END"
#define LIST_F4 "CASE i.kind WHEN 'case' THEN i.procedure ELSE '' END"
#define LIST_MATCH \
	"(?1 = 'all' OR i.kind = ?1) AND (?2 = '' OR (CASE WHEN ?1 = 'all' " \
	"THEN i.kind ELSE " LIST_F1 " END) = ?2) AND " \
	"(?3 = '' OR " LIST_F2 " = ?3) AND (?4 = '' OR i.year = ?4) AND " \
	"(?5 = '' OR " LIST_F4 " = ?5) "
/* Items public since the build: ?6 the build (lists_at), ?7 now. */
#define LIST_LATE \
	"i.status = 'published' AND i.publish_at > ?6 AND i.publish_at <= ?7 "
/* A facet's names: a case's domain and town, a material's topic. */
#define LIST_NAME1 "CASE WHEN ?1 = 'case' THEN (SELECT name FROM domains " \
	"WHERE code = v) END"
#define LIST_NAME2 "CASE ?1 WHEN 'case' THEN (SELECT name FROM towns " \
	"WHERE code = v) WHEN 'material' THEN (SELECT name FROM topics " \
	"WHERE code = v) END"
/*
 * Counts per value of filter column col under the others (the condition
 * others, on list_keys): the base's, plus the items public since the build
 * (expr is their value).
 */
#define LIST_FACET(col, others, expr, name) \
	"SELECT v AS code, " name " AS name, sum(n) AS n FROM (" \
	"SELECT " col " AS v, n FROM list_keys WHERE list = ?1 AND " others \
	" AND " col " <> '' UNION ALL SELECT " expr " AS v, count(*) " \
	"FROM items i WHERE " LIST_LATE " AND " LIST_MATCH "GROUP BY v) " \
	"GROUP BY v ORDER BY v"
#define LIST_SLOW_FACET(expr, name) \
	"SELECT v AS code, " name " AS name, n FROM (SELECT " expr \
	" AS v, count(*) AS n FROM items i WHERE " VISIBLE " AND " LIST_MATCH \
	"GROUP BY v) WHERE v <> '' ORDER BY v"

/* Items public since the build: ?2 the build (lists_at), ?3 now. */
#define LAW_LATE \
	"i.status = 'published' AND i.publish_at > ?2 AND i.publish_at <= ?3"

static const char *const snap_sql[SNAP_Q__MAX] = {
	[SNAP_Q_LATEST_CASES] = "SELECT " CASE_COLS
	    "WHERE i.kind = 'case' AND " VISIBLE " "
	    "ORDER BY i.published DESC, i.id DESC LIMIT ?1",
	[SNAP_Q_CASE] = "SELECT i.updated, i.status, i.publish_at, i.decision, "
	    CASE_COLS
	    "WHERE i.id = ?1 AND i.kind = 'case' AND " VISIBLE,
	/* lists.c's partial indexes: the campaigns still to end, few; the
	 * past ones from the latest start back. */
	[SNAP_Q_CAMPAIGNS_NEXT] = "SELECT " MATERIAL_COLS
	    "INDEXED BY items_campaign_end "
	    "WHERE i.kind = 'material' AND i.subkind = 'campaign' AND " VISIBLE
	    " AND " CAMPAIGN_END " >= ?1 ORDER BY i.event_start, i.id LIMIT ?2",
	[SNAP_Q_CAMPAIGNS_PAST] = "SELECT " MATERIAL_COLS
	    "INDEXED BY items_campaign_start WHERE i.kind = 'material' AND i.subkind = 'campaign' AND " VISIBLE
	    " AND " CAMPAIGN_END " < ?1 ORDER BY i.event_start DESC, i.id LIMIT ?2",
	[SNAP_Q_MATERIAL] = "SELECT i.updated, " MATERIAL_COLS
	    "WHERE i.id = ?1 AND i.kind = 'material' AND " VISIBLE,
	[SNAP_Q_GUIDE] = "SELECT i.id, i.title, i.published, i.updated, i.summary "
	    "FROM items i WHERE i.id = ?1 AND i.kind = 'guide' AND " VISIBLE,
	[SNAP_Q_SEARCH_WINDOW] = "SELECT search.rowid, i.kind, " FTS_RANK
	    "(search, ?3, ?4, ?5) " SEARCH_MATCHES "ORDER BY search.rowid DESC "
	    "LIMIT ?2",
	/* The relaxed query (ask.c): the share is checked before the join, on
	 * the newest ?2 matches, most of which an OR of pairs turns away. */
	[SNAP_Q_SEARCH_RELAXED] = "SELECT s.rowid, i.kind, s.score FROM (SELECT "
	    "rowid, " FTS_RANK "(search, ?3, ?4, ?5) AS score FROM search WHERE "
	    "search MATCH ?1 ORDER BY rowid DESC LIMIT ?2) s JOIN search_docs i "
	    "ON i.docid = s.rowid WHERE s.score IS NOT NULL AND " VISIBLE,
	[SNAP_Q_SEARCH_ITEM] = "SELECT it.id, it.kind, it.title, it.published, "
	    "it.summary, it.domain AS domain_code, it.domain_name AS domain "
	    "FROM search_docs d JOIN items it ON it.id = d.item_id "
	    "WHERE d.docid = ?1",
	/* Marks are U+0001 and U+0002, which XML content cannot hold. */
	[SNAP_Q_SEARCH_MARKS] = "SELECT highlight(search, 0, char(1), char(2)), "
	    "snippet(search, 2, char(1), char(2), '…', " SNAP_SNIPPET_TOKENS "), "
	    "highlight(search, 1, char(1), char(2)) "
	    "FROM search WHERE search MATCH ?1 AND rowid = ?2",
	/* A number's tail ("2024-7号") goes to its case only when one case
	 * has it: the same year and number can differ in their prefix. */
	[SNAP_Q_SEARCH_EXACT] = "SELECT i.id, i.kind FROM items i "
	    "WHERE i.id = ?1 AND " VISIBLE " UNION ALL SELECT i.id, i.kind "
	    "FROM numbers n JOIN items i ON i.id = n.item_id "
	    "WHERE n.norm = ?2 AND " VISIBLE " UNION ALL SELECT i.id, i.kind "
	    "FROM numbers n JOIN items i ON i.id = n.item_id "
	    "WHERE n.tail = ?2 AND " VISIBLE " AND (SELECT count(*) FROM numbers "
	    "WHERE tail = ?2) = 1 LIMIT 1",
	[SNAP_Q_SYNONYM] = "SELECT means, town FROM synonyms WHERE word = ?1",
	/* A keyword counts only while its item is visible. */
	[SNAP_Q_VOCAB] = "SELECT DISTINCT v.word FROM vocab v LEFT JOIN items i"
	    " ON i.id = v.item WHERE v.chars BETWEEN ?1 AND ?2 AND"
	    " (v.item IS NULL OR " VISIBLE ")",
	[SNAP_Q_POPULAR] = "SELECT q FROM popular ORDER BY ord",
	/* An item's lists, packed at build (pack.c): one row. */
	[SNAP_Q_PARTS] = "SELECT parts, page, related FROM item_data "
	    "WHERE item_id = ?1",
	[SNAP_Q_RELATED] = "SELECT i.id, i.kind, i.title, i.published "
	    "FROM related r JOIN items i ON i.id = r.target "
	    "WHERE r.item_id = ?1 AND " VISIBLE " ORDER BY r.ord",
	[SNAP_Q_SITE] = "SELECT key, value FROM site",
	[SNAP_Q_NAV] = "SELECT label, href FROM nav ORDER BY ord",
	[SNAP_Q_FILINGS] = "SELECT label, href FROM filings ORDER BY ord",
	[SNAP_Q_HELP] = "SELECT name, phone, note, address, hours FROM help "
	    "ORDER BY ord",
	[SNAP_Q_DOMAINS] = "SELECT code, name FROM domains ORDER BY ord",
	[SNAP_Q_TOWNS] = "SELECT code, name FROM towns ORDER BY ord",
	[SNAP_Q_TOPICS] = "SELECT code, name FROM topics ORDER BY ord",
	[SNAP_Q_ASSETS] = "SELECT name, url FROM assets",
	/* One seek down items_by_publish_at, however many items (not VISIBLE:
	 * its OR would make it a scan). ?1 is now; preview shows the same. */
	[SNAP_Q_LAST_CHANGE] = "SELECT publish_at FROM items "
	    "WHERE status = 'published' AND publish_at <= ?1 "
	    "ORDER BY publish_at DESC LIMIT 1",
	/* The same seek the other way: when the next one comes. */
	[SNAP_Q_NEXT_CHANGE] = "SELECT publish_at FROM items "
	    "WHERE status = 'published' AND publish_at > ?1 "
	    "ORDER BY publish_at LIMIT 1",
	/* Laws after the items, stamped with the snapshot's build (?2). */
	[SNAP_Q_SITEMAP] = "SELECT * FROM (SELECT i.id, i.kind, " STAMP " AS stamp "
	    "FROM items i WHERE " VISIBLE " ORDER BY i.kind, i.published DESC, "
	    "i.id DESC) UNION ALL SELECT * FROM (SELECT id, 'law', ?2 FROM laws "
	    "ORDER BY id) LIMIT ?1",
	[SNAP_Q_LAW_IDS] = "SELECT id FROM laws ORDER BY kind_ord, title",
	/* ?1 is console_snapshot_rows' limit, which every law is under. */
	[SNAP_Q_LAW_CHOICES] = "SELECT id AS code, title || '（' || kind_name || "
	    "'）' AS name FROM laws WHERE ?1 > 0 ORDER BY kind_ord, title",
	[SNAP_Q_EXPORT_IDS] = "SELECT i.id FROM items i WHERE i.kind = ?1 AND "
	    VISIBLE " ORDER BY i.published DESC, i.id DESC",
	[SNAP_Q_DOMAIN_NAME] = "SELECT name FROM domains WHERE code = ?1",
	[SNAP_Q_TOWN_NAME] = "SELECT name FROM towns WHERE code = ?1",
	[SNAP_Q_TOPIC_NAME] = "SELECT name FROM topics WHERE code = ?1",
	[SNAP_Q_SITE_VALUE] = "SELECT value FROM site WHERE key = ?1",
	[SNAP_Q_CREDIT_REGIMES] = "SELECT id, title, document, from_date, "
	    "until_date, scope, count_day FROM credit_regimes "
	    "ORDER BY from_date, id",
	[SNAP_Q_CREDIT_REGIME] = "SELECT id, title, document, from_date, "
	    "until_date, scope, count_day, count_conf AS count_confidence, "
	    "count_text, never_conf AS never_confidence, never_text "
	    "FROM credit_regimes WHERE id = ?1",
	[SNAP_Q_CREDIT_ITEMS] = "SELECT part, text, href, conf "
	    "FROM credit_items WHERE regime = ?1 ORDER BY part, ord",
	[SNAP_Q_CREDIT_RULES] = "SELECT list, text, conf AS confidence "
	    "FROM credit_rules WHERE regime = ?1 AND ((list = 'tier' AND ord = ?2)"
	    " OR (list = 'unpublished' AND ord = ?3) OR (list = 'period' AND "
	    "ord = ?4))",
	/* ?1 as fts_normalize gives it: any brackets, with or without 第. */
	[SNAP_Q_PENALTY_NUMBER] = "SELECT " PENALTY_COLS "WHERE p.number = "
	    "(SELECT number FROM penalty_numbers WHERE norm = ?1)",
	[SNAP_Q_PENALTY_CODE] = "SELECT " PENALTY_COLS "WHERE p.credit_code = ?1 "
	    "ORDER BY p.decided DESC, p.number LIMIT ?2",
	[SNAP_Q_LAWS] = "SELECT l.id, l.title, l.short, l.kind, l.kind_name, "
	    "l.validity, l.validity_name, l.effective, "
	    "(SELECT count(*) FROM law_articles a WHERE a.law = l.id) AS articles, "
	    "(SELECT count(DISTINCT c.item_id) FROM law_cites c JOIN items i ON "
	    "i.id = c.item_id WHERE c.law = l.id AND " VISIBLE ") AS items "
	    "FROM laws l ORDER BY l.kind_ord, l.title",
	[SNAP_Q_LAW] = "SELECT id, title, short, kind, kind_name, issuer, adopted, "
	    "effective, validity, validity_name, source, source_name, checked, "
	    "checked_note FROM laws WHERE id = ?1",
	[SNAP_Q_LAW_CHANGES] = "SELECT date, effective, text FROM law_changes "
	    "WHERE law = ?1 ORDER BY ord",
	/* The longest name wins: 行政处罚法 before 处罚法. */
	[SNAP_Q_LAW_BY_NAME] = "SELECT id, title, short FROM laws WHERE "
	    "instr(?1, short) > 0 OR instr(?1, title) > 0 "
	    "ORDER BY length(short) DESC LIMIT 1",
	[SNAP_Q_LAW_ARTICLE] = "SELECT n, label, verified, html, summary "
	    "FROM law_articles WHERE law = ?1 AND n = ?2",
	[SNAP_Q_STAFF_ITEMS] = "SELECT i.id, i.kind, i.title, i.status, "
	    "i.published, i.publish_at FROM items i "
	    "ORDER BY i.published DESC, i.id LIMIT ?1",
	[SNAP_Q_CASE_ROW] = "SELECT " CASE_COLS "WHERE i.id = ?1",
	[SNAP_Q_MATERIAL_ROW] = "SELECT " MATERIAL_COLS "WHERE i.id = ?1",
	[SNAP_Q_GUIDE_ROW] = "SELECT i.id, i.title, i.published, i.summary "
	    "FROM items i WHERE i.id = ?1",
	[SNAP_Q_FEED_ROW] = "SELECT i.id, i.kind, i.title, i.published, "
	    "i.summary, " STAMP " AS stamp FROM items i WHERE i.id = ?1",
	[SNAP_Q_HOME_GUIDES] = "SELECT i.id, i.title, i.published, i.summary "
	    "FROM items i WHERE i.kind = 'guide' AND " VISIBLE
	    " ORDER BY i.published DESC, i.id LIMIT ?1",
	[SNAP_Q_LIST_KEY] = "SELECT id, n, stamp FROM list_keys WHERE list = ?1 "
	    "AND f1 = ?2 AND f2 = ?3 AND f3 = ?4 AND f4 = ?5",
	[SNAP_Q_LIST_IDS] = "SELECT chunk, ids FROM list_chunks "
	    "WHERE key = ?1 AND chunk >= ?2 AND chunk <= ?3 ORDER BY chunk",
	[SNAP_Q_ITEM_PUBLISHED] = "SELECT published FROM items WHERE id = ?1",
	/* One seek down items_by_publish_at: none, most of the time. */
	[SNAP_Q_LIST_LATE] = "SELECT i.id, i.kind, i.published, "
	    "coalesce(" LIST_F1 ", ''), coalesce(" LIST_F2 ", ''), "
	    "CAST(" LIST_F3 " AS TEXT), coalesce(" LIST_F4 ", ''), " STAMP
	    " FROM items i WHERE i.status = 'published' AND i.publish_at > ?1 "
	    "AND i.publish_at <= ?2 ORDER BY i.published DESC, i.id DESC LIMIT ?3",
	[SNAP_Q_LIST_FACET1] = LIST_FACET("f1", "f2 = ?3 AND f3 = ?4 AND "
	    "f4 = ?5", LIST_F1, LIST_NAME1),
	[SNAP_Q_LIST_FACET2] = LIST_FACET("f2", "f1 = ?2 AND f3 = ?4 AND "
	    "f4 = ?5", LIST_F2, LIST_NAME2),
	[SNAP_Q_LIST_FACET3] = LIST_FACET("f3", "f1 = ?2 AND f2 = ?3 AND "
	    "f4 = ?5", LIST_F3, "v"),
	[SNAP_Q_LIST_FACET4] = LIST_FACET("f4", "f1 = ?2 AND f2 = ?3 AND "
	    "f3 = ?4", LIST_F4, "v"),
	[SNAP_Q_LIST_SLOW_COUNT] = "SELECT count(*) AS n, max(" STAMP ") AS stamp "
	    "FROM items i WHERE " VISIBLE " AND " LIST_MATCH,
	[SNAP_Q_LIST_SLOW_IDS] = "SELECT i.id FROM items i WHERE " VISIBLE " AND "
	    LIST_MATCH "ORDER BY i.published DESC, "
	    "CASE WHEN ?1 = 'guide' THEN i.id END, i.id DESC LIMIT ?7 OFFSET ?6",
	[SNAP_Q_LIST_SLOW_FACET1] = LIST_SLOW_FACET(LIST_F1, LIST_NAME1),
	[SNAP_Q_LIST_SLOW_FACET2] = LIST_SLOW_FACET(LIST_F2, LIST_NAME2),
	[SNAP_Q_LIST_SLOW_FACET3] = LIST_SLOW_FACET(LIST_F3, "v"),
	[SNAP_Q_LIST_SLOW_FACET4] = LIST_SLOW_FACET(LIST_F4, "v"),
	/* The items public since the build citing a law: few, so read from
	 * them (CROSS JOIN: items first) and their citations by item (+c.law
	 * keeps law_cites_by_law out), not from the law's citations. */
	[SNAP_Q_LAWS_FAST] = "SELECT l.id, l.title, l.short, l.kind, l.kind_name, "
	    "l.validity, l.validity_name, l.effective, "
	    "(SELECT count(*) FROM law_articles a WHERE a.law = l.id) AS articles, "
	    "coalesce((SELECT k.items FROM law_counts k WHERE k.law = l.id), 0) + "
	    "(SELECT count(DISTINCT c.item_id) FROM items i CROSS JOIN law_cites c "
	    "ON c.item_id = i.id WHERE " LAW_LATE " AND +c.law = l.id) AS items "
	    "FROM laws l ORDER BY l.kind_ord, l.title",
	[SNAP_Q_LAW_ARTICLES_FAST] = "SELECT a.n, a.label, a.verified, a.html, "
	    "a.text, a.summary, coalesce((SELECT k.cited FROM law_cited k WHERE "
	    "k.law = a.law AND k.ord = a.ord), 0) + (SELECT count(*) FROM items i "
	    "CROSS JOIN law_cites c ON c.item_id = i.id WHERE " LAW_LATE
	    " AND +c.law = a.law AND +c.n = a.n) AS cited "
	    "FROM law_articles a WHERE a.law = ?1 ORDER BY a.ord",
	[SNAP_Q_LAW_ARTICLES_SLOW] = "SELECT a.n, a.label, a.verified, a.html, "
	    "a.text, a.summary, (SELECT count(*) FROM law_cites c JOIN items i ON "
	    "i.id = c.item_id WHERE c.law = a.law AND c.n = a.n AND " VISIBLE
	    ") AS cited FROM law_articles a WHERE a.law = ?1 ORDER BY a.ord",
	/* The base's first ?4 of each article (law_citers), and the few made
	 * public since, ranked again together. */
	[SNAP_Q_LAW_CITERS_FAST] = "SELECT n, label, id, kind, title, published "
	    "FROM (SELECT a.ord, x.*, row_number() OVER (PARTITION BY a.ord "
	    "ORDER BY x.published DESC, x.id, x.cord) AS r FROM (SELECT lc.n, "
	    "lc.label, lc.cord, i.id, i.kind, i.title, i.published FROM "
	    "law_articles a2 CROSS JOIN law_citers lc ON lc.law = a2.law AND "
	    "lc.ord = a2.ord AND lc.pos <= ?4 JOIN items i ON i.id = lc.item_id "
	    "WHERE a2.law = ?1 UNION ALL SELECT c.n, c.label, c.ord, i.id, i.kind, "
	    "i.title, i.published FROM items i CROSS JOIN law_cites c ON "
	    "c.item_id = i.id WHERE " LAW_LATE " AND +c.law = ?1) x "
	    "JOIN law_articles a ON a.law = ?1 AND a.n = x.n) WHERE r <= ?4 "
	    "ORDER BY ord, r",
	[SNAP_Q_LAW_CITERS_SLOW] = "SELECT n, label, id, kind, title, published "
	    "FROM (SELECT c.n, c.label, i.id, i.kind, i.title, i.published, a.ord, "
	    "row_number() OVER (PARTITION BY a.ord ORDER BY i.published DESC, "
	    "i.id, c.ord) AS r FROM law_cites c JOIN items i ON i.id = c.item_id "
	    "JOIN law_articles a ON a.law = c.law AND a.n = c.n WHERE c.law = ?1 "
	    "AND " VISIBLE ") WHERE r <= ?4 ORDER BY ord, r",
};

/* Bytes of a date, YYYY-MM-DD and its NUL. */
#define SNAP_DATE_SIZE	11

/* An item made public since the build (SNAP_Q_LIST_LATE's row). */
struct snap_late {
	char		*col[7];	/* id, kind, published, filters 1-4 */
	int64_t		 stamp;
};
#define LATE_ID		0
#define LATE_KIND	1
#define LATE_PUBLISHED	2
#define LATE_F		3

struct snap {
	sqlite3		*db;
	sqlite3_stmt	*st[SNAP_Q__MAX];	/* prepared once, reset per use */
	char		 id[96];		/* meta.snapshot_id */
	char		 url[256];		/* site.url: the public address */
	int64_t		 built_at;		/* meta.built_at, Unix time */
	int64_t		 now;			/* ?10, Unix time */
	int		 preview;		/* ?11, drafts shown */
	int64_t		 change;		/* snap_last_change() for now in */
	int64_t		 change_from;		/* [change_from, */
	int64_t		 change_until;		/*  change_until) */
	struct credit_rules *rules;		/* content/credit, read at open */
	int		 failed;		/* a read of this request failed */
	int64_t		 lists_at;		/* meta: the lists' base, */
	int64_t		 lists_change;		/* and its latest publish-at */
	struct snap_late late[SNAP_MAX_LATE];	/* items public since the build */
	int		 nlate;			/* -1: more than SNAP_MAX_LATE */
	int64_t		 late_for;		/* snap_last_change() they are for */
};

/*
 * Starts a request's reads: sets the time and mode that decide which items
 * are visible, and forgets the previous request's failed read (snap_failed).
 */
void
snap_clock(struct snap *s, int64_t now, int preview)
{
	s->failed = 0;
	s->now = now;
	s->preview = preview;
}

/* Binds the clock where a statement asks for it. */
static void
snap_bind_clock(struct snap *s, sqlite3_stmt *st)
{
	if (sqlite3_bind_parameter_count(st) >= SNAP_P_PREVIEW) {
		sqlite3_bind_int64(st, SNAP_P_NOW, s->now);
		sqlite3_bind_int(st, SNAP_P_PREVIEW, s->preview);
	}
}

/*
 * Steps st, one of the prepared queries, and returns what sqlite3_step
 * returns. Anything but a row or the end is a failed read: it marks the
 * request (snap_failed), so that no caller can turn it into a short list
 * or a "not found" by looking only at what it got. The first failure of a
 * request is logged; on a damaged file the others say the same.
 */
static int
snap_step(struct snap *s, sqlite3_stmt *st)
{
	int	 rc, q;

	if ((rc = sqlite3_step(st)) == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	for (q = 0; q < SNAP_Q__MAX && s->st[q] != st; q++)
		;
	if (!s->failed)
		log_warnx("snapshot read failed, query %d: %s (%d)", q,
		    sqlite3_errmsg(s->db), rc);
	s->failed = 1;
	return rc;
}

/*
 * Did a read fail since the request started (snap_clock)? Then what the
 * request read is incomplete or wrong, and nothing made from it may be
 * sent, cached or written to disk.
 */
int
snap_failed(const struct snap *s)
{
	return s->failed;
}

/* Reads meta.key into dst. Returns 0, or -1 when it is missing. */
static int
snap_meta(struct snap *s, const char *key, char *dst, size_t dstsz)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?1",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(dst, dstsz, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Reads the build time and the site's public address. Returns 0 or -1. */
static int
snap_built(struct snap *s)
{
	struct tm	 tm;
	sqlite3_stmt	*st;
	char		 when[32], *end;

	if (snap_meta(s, "built_at", when, sizeof(when)) == -1)
		return -1;
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(when, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL || *end != '\0')
		return -1;
	s->built_at = (int64_t)timegm(&tm);
	if (sqlite3_prepare_v2(s->db, "SELECT value FROM site WHERE key = 'url'",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(s->url, sizeof(s->url), "%s",
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s->url[0] != '\0' ? 0 : -1;
}

/* Reads the base of the lists (lists.c). Returns 0, or -1 when missing. */
static int
snap_lists_meta(struct snap *s)
{
	char	 v[32];

	if (snap_meta(s, "lists_at", v, sizeof(v)) == -1)
		return -1;
	s->lists_at = strtoll(v, NULL, 10);
	if (snap_meta(s, "lists_change", v, sizeof(v)) == -1)
		return -1;
	s->lists_change = strtoll(v, NULL, 10);
	s->nlate = 0;
	s->late_for = INT64_MIN;
	return 0;
}

/* Copies column i of st (maybe NULL: "") into dst of size n. */
static void
snap_col(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const char	*v = (const char *)sqlite3_column_text(st, i);

	snprintf(dst, n, "%s", v != NULL ? v : "");
}

/* The regime of the rules with id, or NULL. */
static struct credit_regime *
snap_regime(struct credit_rules *rules, const char *id)
{
	int	 i;

	for (i = 0; i < rules->n; i++)
		if (strcmp(rules->r[i].id, id) == 0)
			return &rules->r[i];
	return NULL;
}

/* Reads one credit_rules row into the list it names. Returns 0, or -1. */
static int
snap_read_rule(struct credit_rules *rules, sqlite3_stmt *st)
{
	struct credit_regime	*r;
	struct credit_rule	*rule;
	const char		*list = (const char *)sqlite3_column_text(st, 1);
	char			 v[CREDIT_MAX_DOMAINS];
	int			*n;

	if ((r = snap_regime(rules, (const char *)sqlite3_column_text(st, 0))) ==
	    NULL)
		return -1;
	n = strcmp(list, "tier") == 0 ? &r->ntiers : strcmp(list,
	    "unpublished") == 0 ? &r->nunpublished : &r->nperiods;
	if (*n == CREDIT_MAX_RULES)
		return -1;
	rule = strcmp(list, "tier") == 0 ? &r->tiers[*n] : strcmp(list,
	    "unpublished") == 0 ? &r->unpublished[*n] : &r->periods[*n];
	(*n)++;
	rule->ord = sqlite3_column_int(st, 2);
	snap_col(st, 3, v, sizeof(v));
	rule->tier = credit_tier_by_code(v);
	snap_col(st, 4, v, sizeof(v));
	rule->procedure = strcmp(v, "general") == 0 ? CREDIT_PROC_GENERAL :
	    strcmp(v, "simple") == 0 ? CREDIT_PROC_SIMPLE : CREDIT_PROC_ANY;
	snap_col(st, 5, v, sizeof(v));
	rule->any_kinds = credit_kinds_by_names(v, " ");
	snap_col(st, 6, v, sizeof(v));
	rule->only_kinds = credit_kinds_by_names(v, " ");
	snap_col(st, 7, rule->domains, sizeof(rule->domains));
	rule->min_fine = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 :
	    sqlite3_column_double(st, 8);
	rule->min_months = sqlite3_column_type(st, 9) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(st, 9);
	rule->max_months = sqlite3_column_type(st, 10) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(st, 10);
	rule->in_principle = sqlite3_column_int(st, 11);
	snap_col(st, 12, v, sizeof(v));
	rule->conf = credit_conf_by_code(v);
	return 0;
}

/* Reads one credit_regimes row into the next regime. Returns 0, or -1. */
static int
snap_read_regime(struct credit_rules *rules, sqlite3_stmt *st)
{
	struct credit_regime	*r;
	char			 v[CREDIT_MAX_DOMAINS];

	if (rules->n == CREDIT_MAX_REGIMES)
		return -1;
	r = &rules->r[rules->n++];
	snap_col(st, 0, r->id, sizeof(r->id));
	snap_col(st, 1, r->from, sizeof(r->from));
	snap_col(st, 2, r->until, sizeof(r->until));
	snap_col(st, 3, r->domains, sizeof(r->domains));
	snap_col(st, 4, v, sizeof(v));
	r->from_publication = strcmp(v, "publication") == 0;
	snap_col(st, 5, v, sizeof(v));
	r->count_conf = credit_conf_by_code(v);
	snap_col(st, 6, v, sizeof(v));
	r->default_tier = credit_tier_by_code(v);
	snap_col(st, 7, v, sizeof(v));
	r->never_early = credit_kinds_by_names(v, " ");
	snap_col(st, 8, v, sizeof(v));
	r->never_conf = credit_conf_by_code(v);
	r->transition = sqlite3_column_int(st, 9);
	r->unfulfilled = sqlite3_column_int(st, 10);
	return 0;
}

/*
 * Reads the credit regimes and their rules into s->rules, once: they are
 * the same for every request. Returns 0, or -1 on a database error or when
 * the content exceeds the limits of struct credit_rules.
 */
static int
snap_read_rules(struct snap *s)
{
	static const char *const sql[2] = {
		"SELECT id, from_date, until_date, domains, count_day, count_conf,"
		" default_tier, never_kinds, never_conf, EXISTS(SELECT 1 FROM"
		" credit_items i WHERE i.regime = r.id AND i.part = 'transition'),"
		" EXISTS(SELECT 1 FROM credit_items i WHERE i.regime = r.id AND"
		" i.part = 'unfulfilled') FROM credit_regimes r"
		" ORDER BY from_date, id",
		"SELECT regime, list, ord, tier, procedure, any_kinds, only_kinds,"
		" domains, min_fine, min_months, max_months, in_principle, conf"
		" FROM credit_rules ORDER BY regime, list, ord" };
	sqlite3_stmt	*st;
	int		 i, step = SQLITE_DONE, rc = 0;

	for (i = 0; i < 2 && rc == 0; i++) {
		if (sqlite3_prepare_v2(s->db, sql[i], -1, &st, NULL) != SQLITE_OK)
			return -1;
		while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
			rc = i == 0 ? snap_read_regime(s->rules, st) :
			    snap_read_rule(s->rules, st);
		if (rc == 0 && step != SQLITE_DONE)
			rc = -1;	/* a failed read, not the end of the rules */
		sqlite3_finalize(st);
	}
	return rc;
}

/* The credit rules of the snapshot (content/credit), for credit_assess. */
const struct credit_rules *
snap_credit_rules(const struct snap *s)
{
	return s->rules;
}

/*
 * SQLite's process-wide settings, made before its first use in the process
 * (later calls change nothing). fazhi has one thread: the memory statistics
 * SQLite keeps by default, and the mutexes that guard them and its page
 * cache, are work for nothing on every step of every query.
 */
static void
snap_config(void)
{
	static int	 done;

	if (done)
		return;
	done = 1;
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * Opens the snapshot at path and prepares its queries. Returns NULL (logged)
 * when the file is missing, not a snapshot, or of another schema version.
 */
static void	snap_late_free(struct snap *);

struct snap *
snap_open(const char *path)
{
	struct snap	*s;
	char		 uri[4200], version[16];
	int		 i;

	if ((s = mem_calloc(1, sizeof(*s))) == NULL)
		return NULL;
	snap_config();
	s->now = time(NULL);
	s->change_until = INT64_MIN;		/* snap_last_change: not yet */
	snprintf(uri, sizeof(uri), "file:%s?mode=ro&immutable=1", path);
	/* NOMUTEX: a worker is single-threaded, so SQLite's locks are waste. */
	if (sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_warnx("%s: %s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	/*
	 * Read the file through a memory map: pages come straight from the
	 * page cache, where reads would copy each one into SQLite's own cache
	 * (a search over a large snapshot touches thousands).
	 */
	sqlite3_exec(s->db, "PRAGMA mmap_size = " SNAP_MMAP_SIZE, NULL, NULL, NULL);
	/*
	 * Sorts and groupings that need a temporary b-tree keep it in memory:
	 * by default SQLite would write it to a file in the temporary folder,
	 * and a worker writes no file (a sandbox may forbid it).
	 */
	sqlite3_exec(s->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	if (fts_register(s->db) == -1) {
		log_warnx("%s: cannot register the search tokenizer", path);
		goto fail;
	}
	if (snap_meta(s, "schema", version, sizeof(version)) == -1 ||
	    strcmp(version, SNAP_SCHEMA_VERSION) != 0 ||
	    snap_meta(s, "snapshot_id", s->id, sizeof(s->id)) == -1) {
		log_warnx("%s: not a snapshot of schema version %s", path,
		    SNAP_SCHEMA_VERSION);
		goto fail;
	}
	if (snap_built(s) == -1 || snap_lists_meta(s) == -1) {
		log_warnx("%s: no build time or site address", path);
		goto fail;
	}
	/*
	 * One read transaction for the worker's whole life: the file never
	 * changes, and each statement then skips starting and ending its own.
	 */
	if (sqlite3_exec(s->db, "BEGIN; SELECT 1 FROM meta LIMIT 1;", NULL, NULL,
	    NULL) != SQLITE_OK) {
		log_warnx("%s: %s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	if ((s->rules = mem_calloc(1, sizeof(*s->rules))) == NULL ||
	    snap_read_rules(s) == -1) {
		log_warnx("%s: the credit rules cannot be read", path);
		goto fail;
	}
	for (i = 0; i < SNAP_Q__MAX; i++)
		if (sqlite3_prepare_v3(s->db, snap_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
			log_warnx("%s: query %d: %s", path, i,
			    sqlite3_errmsg(s->db));
			goto fail;
		}
	return s;
fail:
	snap_close(s);
	return NULL;
}

void
snap_close(struct snap *s)
{
	int	 i;

	if (s == NULL)
		return;
	for (i = 0; i < SNAP_Q__MAX; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	snap_late_free(s);
	mem_free(s->rules);
	mem_free(s);
}

const char *
snap_id(const struct snap *s)
{
	return s->id;
}

/* The site's public address, without a trailing slash: https://host */
const char *
snap_site_url(const struct snap *s)
{
	return s->url;
}

/* When the snapshot was built, as Unix time. */
int64_t
snap_built_at(const struct snap *s)
{
	return s->built_at;
}

/*
 * Runs query q, whose one parameter (if any) is the clock's now, and returns
 * the first column of its first row as an integer: 0 when there is none or
 * on an error (snap_failed).
 */
int64_t
snap_int(struct snap *s, enum snap_q q)
{
	sqlite3_stmt	*st = s->st[q];
	int64_t		 v = 0;

	if (sqlite3_bind_parameter_count(st) == 1)
		sqlite3_bind_int64(st, 1, s->now);
	else
		snap_bind_clock(s, st);
	if (snap_step(s, st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

/*
 * The latest publish-at that has passed at the clock's now (0: none). The
 * snapshot never changes, so the answer holds until the next publish-at
 * comes: it is looked up again only then, or when the clock goes back.
 */
int64_t
snap_last_change(struct snap *s)
{
	int64_t	 change, next;

	if (s->now >= s->change_from && s->now < s->change_until)
		return s->change;
	change = snap_int(s, SNAP_Q_LAST_CHANGE);
	next = snap_int(s, SNAP_Q_NEXT_CHANGE);
	if (s->failed)
		return change;		/* not kept: a later request reads again */
	s->change = change;
	s->change_from = s->now;
	s->change_until = next > s->now ? next : INT64_MAX;
	return s->change;
}

/* Pushes the current row of st as a table keyed by column name. */
static void
snap_push_row(lua_State *L, sqlite3_stmt *st)
{
	int	 i, n = sqlite3_column_count(st);

	/* Room for what a handler adds when a row becomes a page's ctx. */
	lua_createtable(L, 0, n + SNAP_ROW_SLACK);
	for (i = 0; i < n; i++) {
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			lua_pushinteger(L, sqlite3_column_int64(st, i));
			break;
		case SQLITE_NULL:
			continue;
		default:
			lua_pushlstring(L, (const char *)sqlite3_column_text(st, i),
			    sqlite3_column_bytes(st, i));
		}
		lua_setfield(L, -2, sqlite3_column_name(st, i));
	}
}

/*
 * Runs query q with parameters described by types ('s' a string, 'i' an
 * int64), and the clock of snap_clock, and pushes an array of row tables.
 * Returns the number of rows, or -1 (logged, snap_failed; an empty array is
 * still pushed) on a database error.
 */
int
snap_rows(struct snap *s, lua_State *L, enum snap_q q, const char *types, ...)
{
	sqlite3_stmt	*st = s->st[q];
	va_list		 ap;
	int		 i, rc, n = 0;

	va_start(ap, types);
	for (i = 0; types[i] != '\0'; i++) {
		if (types[i] == 's')
			sqlite3_bind_text(st, i + 1, va_arg(ap, const char *),
			    -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	snap_bind_clock(s, st);
	lua_newtable(L);
	while ((rc = snap_step(s, st)) == SQLITE_ROW) {
		snap_push_row(L, st);
		lua_rawseti(L, -2, ++n);
	}
	if (rc != SQLITE_DONE)
		n = -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return n;
}

/*
 * Sets ctx.sections, ctx.basis, ctx.keywords, ctx.steps, ctx.documents and
 * ctx.faqs (each an array, maybe empty) on the table on top of the stack,
 * for item id, from its packed lists (pack.c); with page, also ctx.cites,
 * ctx.images and ctx.attachments, the lists only its page shows. When
 * related is not NULL, *related is how many related items it names.
 * Returns 0, or -1 (logged, snap_failed) on a database error or when the
 * lists are damaged or missing.
 */
int
snap_parts(struct snap *s, lua_State *L, const char *id, int page,
    int *related)
{
	sqlite3_stmt	*st = s->st[SNAP_Q_PARTS];
	int		 rc, i;

	if (related != NULL)
		*related = 0;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = snap_step(s, st)) == SQLITE_ROW) {
		for (i = 0; i <= page && rc == SQLITE_ROW; i++)
			if (pack_set(L, -1, sqlite3_column_blob(st, i),
			    (size_t)sqlite3_column_bytes(st, i)) == -1)
				rc = SQLITE_DONE;	/* damaged */
		if (rc == SQLITE_ROW && related != NULL)
			*related = sqlite3_column_int(st, 2);
	}
	if (rc == SQLITE_DONE) {
		/* every item has its row (pack_build) */
		if (!s->failed)
			log_warnx("snapshot read failed: the lists of item "
			    "%.64s are damaged or missing", id);
		s->failed = 1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Each part of credit_items: its array's name in ctx.regime. */
static const struct {
	const char	*part;
	const char	*name;
} snap_credit_part[] = {
	{ "source", "sources" }, { "condition", "conditions" },
	{ "document", "documents" }, { "where", "where" },
	{ "time", "times" }, { "note", "notes" },
	{ "transition", "transition" }, { "unfulfilled", "unfulfilled" },
	{ "guide", "guides" },
};
#define SNAP_CREDIT_PARTS \
	(int)(sizeof(snap_credit_part) / sizeof(snap_credit_part[0]))

/* The index in snap_credit_part of the part named s, or -1. */
static int
snap_credit_part_index(const char *s)
{
	int	 k;

	for (k = 0; k < SNAP_CREDIT_PARTS; k++)
		if (strcmp(snap_credit_part[k].part, s) == 0)
			return k;
	return -1;
}

/*
 * Sets sources, conditions, documents, where, times, notes, transition,
 * unfulfilled and guides (each an array of {text, href, confidence}; absent
 * when the regime has none) on the table on top of
 * the stack, for credit regime id: one query for all of them, grouped
 * here. Returns 0, or -1 (logged, snap_failed) on a database error.
 */
int
snap_credit_texts(struct snap *s, lua_State *L, const char *id)
{
	sqlite3_stmt	*st = s->st[SNAP_Q_CREDIT_ITEMS];
	int		 top = lua_gettop(L), k, rc, n[SNAP_CREDIT_PARTS] = { 0 };

	for (k = 0; k < SNAP_CREDIT_PARTS; k++)
		lua_newtable(L);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = snap_step(s, st)) == SQLITE_ROW) {
		if ((k = snap_credit_part_index((const char *)
		    sqlite3_column_text(st, 0))) == -1)
			continue;
		lua_createtable(L, 0, 3);
		lua_pushstring(L, (const char *)sqlite3_column_text(st, 1));
		lua_setfield(L, -2, "text");
		if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
			lua_pushstring(L, (const char *)sqlite3_column_text(st, 2));
			lua_setfield(L, -2, "href");
		}
		lua_pushstring(L, (const char *)sqlite3_column_text(st, 3));
		lua_setfield(L, -2, "confidence");
		lua_rawseti(L, top + 1 + k, ++n[k]);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	/* An empty part is left out, not an empty table (JSON's {}). */
	for (k = SNAP_CREDIT_PARTS - 1; k >= 0; k--)
		if (n[k] > 0)
			lua_setfield(L, top, snap_credit_part[k].name);
		else
			lua_pop(L, 1);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Pushes a table mapping each row's first column to its second, for query
 * q (two columns, no parameters). Returns 0, or -1 on a database error.
 */
static int
snap_push_map(struct snap *s, lua_State *L, enum snap_q q)
{
	sqlite3_stmt	*st = s->st[q];
	int		 rc;

	lua_newtable(L);
	while ((rc = snap_step(s, st)) == SQLITE_ROW) {
		lua_pushstring(L, (const char *)sqlite3_column_text(st, 0));
		lua_pushstring(L, (const char *)sqlite3_column_text(st, 1));
		lua_settable(L, -3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Pushes the site description: the site table's keys, plus nav, filings,
 * help, domains, towns and topics as arrays, and assets (name -> address). Returns 0, or -1 on a database error.
 */
int
snap_push_site(struct snap *s, lua_State *L)
{
	static const struct { enum snap_q q; const char *name; } lists[] = {
		{ SNAP_Q_NAV, "nav" }, { SNAP_Q_FILINGS, "filings" },
		{ SNAP_Q_HELP, "help" },
		{ SNAP_Q_DOMAINS, "domains" }, { SNAP_Q_TOWNS, "towns" },
		{ SNAP_Q_TOPICS, "topics" } };
	size_t	 i;

	if (snap_push_map(s, L, SNAP_Q_SITE) == -1)
		return -1;
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		if (snap_rows(s, L, lists[i].q, "") == -1)
			return -1;
		lua_setfield(L, -2, lists[i].name);
	}
	if (snap_push_map(s, L, SNAP_Q_ASSETS) == -1)
		return -1;
	lua_setfield(L, -2, "assets");
	return 0;
}

/* Sets field key of the table on top to the marked text t (esc_marked). */
static int
snap_set_marked(lua_State *L, struct buf *b, const unsigned char *t,
    const char *key, int html)
{
	buf_reset(b);
	if (esc_marked(b, t != NULL ? (const char *)t : "", html) == -1)
		return -1;
	lua_pushlstring(L, b->data != NULL ? b->data : "", b->len);
	lua_setfield(L, -2, key);
	return 0;
}

/*
 * Reads the newest matches of match (terms phrases of the reader's), at
 * most most, into hits: docid, kind and score, newest first. With map (a
 * relaxed query's, ask.c), only rows with ASK_MIN_SHARE of its weight,
 * among its newest ASK_RELAX_SCAN matches. Returns their number, or -1
 * (logged, snap_failed).
 */
int
snap_search_window(struct snap *s, const char *match, int terms,
    const char *map, int most, struct snap_hit *hits)
{
	sqlite3_stmt	*st = s->st[map != NULL ? SNAP_Q_SEARCH_RELAXED :
			    SNAP_Q_SEARCH_WINDOW];
	const char	*kind;
	int		 rc, n = 0;

	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, map != NULL ? ASK_RELAX_SCAN : most);
	sqlite3_bind_int(st, 3, terms);
	if (map != NULL) {
		sqlite3_bind_text(st, 4, map, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, ASK_MIN_SHARE);
	}
	snap_bind_clock(s, st);
	while (n < most && (rc = snap_step(s, st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 2) == SQLITE_NULL)
			continue;	/* under the relaxed query's share */
		hits[n].docid = sqlite3_column_int64(st, 0);
		kind = (const char *)sqlite3_column_text(st, 1);
		snprintf(hits[n].kind, sizeof(hits[n].kind), "%s", kind ? kind : "");
		hits[n].score = sqlite3_column_double(st, 2);
		n++;
	}
	if (n < most && rc != SQLITE_DONE)
		n = -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return n;
}

/*
 * A row matched in its keywords alone (nothing marked in its title or
 * snippet): sets keywords_html, the keywords with the matches marked, so
 * that the result says why it is there.
 */
static int
snap_keywords_matched(lua_State *L, struct buf *b, sqlite3_stmt *st)
{
	const unsigned char	*t = sqlite3_column_text(st, 0);
	const unsigned char	*sn = sqlite3_column_text(st, 1);
	const unsigned char	*k = sqlite3_column_text(st, 2);

	if ((t != NULL && strchr((const char *)t, 1) != NULL) ||
	    (sn != NULL && strchr((const char *)sn, 1) != NULL) || k == NULL ||
	    strchr((const char *)k, 1) == NULL)
		return 0;
	return snap_set_marked(L, b, k, "keywords_html", 1);
}

/* The official terms and town of word in the synonym list: 1 with *means
 * and *town set (valid until the next call), 0 when not listed, -1. */
int
snap_synonym(struct snap *s, const char *word, const char **means,
    const char **town)
{
	static char	 m[1024], t[80];
	sqlite3_stmt	*st = s->st[SNAP_Q_SYNONYM];
	const char	*v;
	int		 rc;

	sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
	if ((rc = snap_step(s, st)) == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(st, 0);
		snprintf(m, sizeof(m), "%s", v != NULL ? v : "");
		v = (const char *)sqlite3_column_text(st, 1);
		snprintf(t, sizeof(t), "%s", v != NULL ? v : "");
		*means = m;
		*town = t[0] != '\0' ? t : NULL;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Sets *words to the vocabulary's words of fewest to most characters, a
 * NULL-terminated array that lives until the next call. Returns their
 * number, or -1.
 */
int
snap_vocab(struct snap *s, int fewest, int most, char ***words)
{
	static char	**list;
	static int	  cap;
	sqlite3_stmt	 *st = s->st[SNAP_Q_VOCAB];
	char		**grown;
	int		  n = 0, rc;

	while (n < cap && list[n] != NULL)
		mem_free(list[n++]);
	n = 0;
	sqlite3_bind_int(st, 1, fewest);
	sqlite3_bind_int(st, 2, most);
	snap_bind_clock(s, st);
	while ((rc = snap_step(s, st)) == SQLITE_ROW) {
		if (n + 1 >= cap) {
			if ((grown = mem_realloc(list, (cap * 2 + 64) *
			    sizeof(*list))) == NULL)
				break;
			list = grown;
			cap = cap * 2 + 64;
		}
		if ((list[n] = mem_strdup((const char *)sqlite3_column_text(st,
		    0))) == NULL)
			break;
		list[++n] = NULL;
	}
	sqlite3_reset(st);
	*words = list;
	return rc == SQLITE_DONE ? n : -1;
}

/*
 * Pushes an array of the items of hits[0..n): each row as SNAP_Q_SEARCH_ITEM
 * gives it, with title_html and snippet_html (safe HTML, matches in <mark>)
 * and snippet (plain text), marked where text (the reader's phrases alone)
 * matches. Returns 0, or -1 (logged; an array is still pushed).
 */
int
snap_search_items(struct snap *s, lua_State *L, const struct snap_hit *hits,
    int n, const char *text)
{
	sqlite3_stmt	*st = s->st[SNAP_Q_SEARCH_MARKS];
	struct buf	 b = { 0 };
	int		 i, rc = 0;

	lua_createtable(L, n, 0);
	for (i = 0; i < n && rc == 0; i++) {
		if (snap_rows(s, L, SNAP_Q_SEARCH_ITEM, "i", hits[i].docid) != 1) {
			lua_pop(L, 1);
			rc = -1;
			break;
		}
		lua_rawgeti(L, -1, 1);
		lua_remove(L, -2);
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, hits[i].docid);
		if (snap_step(s, st) == SQLITE_ROW)
			rc = snap_set_marked(L, &b, sqlite3_column_text(st, 0),
			    "title_html", 1) | snap_set_marked(L, &b,
			    sqlite3_column_text(st, 1), "snippet_html", 1) |
			    snap_set_marked(L, &b, sqlite3_column_text(st, 1),
			    "snippet", 0) | snap_keywords_matched(L, &b, st);
		else
			rc = -1;
		sqlite3_reset(st);
		lua_rawseti(L, -2, i + 1);
	}
	sqlite3_clear_bindings(st);
	buf_free(&b);
	if (rc != 0)
		log_warnx("search items: %s", sqlite3_errmsg(s->db));
	return rc;
}

/* The SQL of query q: for EXPLAIN QUERY PLAN in the tests. */
const char *
snap_query_sql(enum snap_q q)
{
	return snap_sql[q];
}

/* ---- the lists (lists.c) ------------------------------------------------ */

static const char *const snap_list_name[SNAP_LIST__MAX] = {
	[SNAP_LIST_ALL] = "all", [SNAP_LIST_CASE] = "case",
	[SNAP_LIST_MATERIAL] = "material", [SNAP_LIST_GUIDE] = "guide",
};

static void
snap_late_free(struct snap *s)
{
	int	 i, j;

	for (i = 0; i < SNAP_MAX_LATE; i++)
		for (j = 0; j < 7; j++) {
			mem_free(s->late[i].col[j]);
			s->late[i].col[j] = NULL;
		}
}

/* Reads the items public since the build (at most SNAP_MAX_LATE + 1). */
static int
snap_late_read(struct snap *s)
{
	sqlite3_stmt	*st = s->st[SNAP_Q_LIST_LATE];
	const char	*v;
	int		 n = 0, j, rc;

	snap_late_free(s);
	sqlite3_bind_int64(st, 1, s->lists_at);
	sqlite3_bind_int64(st, 2, s->now);
	sqlite3_bind_int(st, 3, SNAP_MAX_LATE + 1);
	while ((rc = snap_step(s, st)) == SQLITE_ROW) {
		if (n == SNAP_MAX_LATE) {
			n = -1;
			break;
		}
		for (j = 0; j < 7; j++) {
			v = (const char *)sqlite3_column_text(st, j);
			if ((s->late[n].col[j] = mem_strdup(v ? v : "")) == NULL)
				s->failed = 1;
		}
		s->late[n++].stamp = sqlite3_column_int64(st, 7);
	}
	sqlite3_reset(st);
	return s->failed ? -1 : n;
}

/*
 * Can the lists be read from lists.c's tables now? Not in preview (drafts
 * are in no list), nor at a time before the base's latest publish-at (a
 * test's clock), nor with more than SNAP_MAX_LATE items public since the
 * build. Returns 1 (the items public since are in s->late), or 0.
 */
int
snap_list_fast(struct snap *s)
{
	int64_t	 change;

	if (s->preview || s->now < s->lists_change)
		return 0;
	if ((change = snap_last_change(s)) <= s->lists_at) {
		s->nlate = 0;
		s->late_for = change;
		return 1;
	}
	if (change != s->late_for) {
		s->nlate = snap_late_read(s);
		s->late_for = s->failed ? INT64_MIN : change;
	}
	return s->nlate >= 0;
}

/* Is late item l in list with filters f? */
static int
snap_late_in(const struct snap_late *l, enum snap_list list,
    const char *const *f)
{
	int	 i;

	if (list == SNAP_LIST_ALL)	/* its one filter: the kind */
		return f[0] == NULL || strcmp(f[0], l->col[LATE_KIND]) == 0;
	if (strcmp(l->col[LATE_KIND], snap_list_name[list]) != 0)
		return 0;
	for (i = 0; i < SNAP_LIST_FILTERS; i++)
		if (f[i] != NULL && strcmp(f[i], l->col[LATE_F + i]) != 0)
			return 0;
	return 1;
}

/* Binds the list and its filters ('' for any) to ?1 to ?5 of st. */
static void
snap_bind_list(sqlite3_stmt *st, enum snap_list list, const char *const *f)
{
	int	 i;

	sqlite3_bind_text(st, 1, snap_list_name[list], -1, SQLITE_STATIC);
	for (i = 0; i < SNAP_LIST_FILTERS; i++)
		sqlite3_bind_text(st, i + 2, f[i] != NULL ? f[i] : "", -1,
		    SQLITE_STATIC);
}

/*
 * Looks up the base's key of list with filters f: sets *n and *stamp (0
 * when no base item has them). Returns the key, or 0.
 */
static int64_t
snap_list_key(struct snap *s, enum snap_list list, const char *const *f,
    int64_t *n, int64_t *stamp)
{
	sqlite3_stmt	*st = s->st[SNAP_Q_LIST_KEY];
	int64_t		 key = 0;

	*n = *stamp = 0;
	snap_bind_list(st, list, f);
	if (snap_step(s, st) == SQLITE_ROW) {
		key = sqlite3_column_int64(st, 0);
		*n = sqlite3_column_int64(st, 1);
		*stamp = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return key;
}

/*
 * The number of visible items of list with filters f (SNAP_LIST_FILTERS of
 * them, each NULL for any); *stamp is the latest change among them (0 when
 * there are none).
 */
long
snap_list_count(struct snap *s, enum snap_list list, const char *const *f,
    int64_t *stamp)
{
	sqlite3_stmt	*st;
	int64_t		 n;
	int		 i;

	if (snap_list_fast(s)) {
		snap_list_key(s, list, f, &n, stamp);
		for (i = 0; i < s->nlate; i++)
			if (snap_late_in(&s->late[i], list, f)) {
				n++;
				if (s->late[i].stamp > *stamp)
					*stamp = s->late[i].stamp;
			}
		return (long)n;
	}
	st = s->st[SNAP_Q_LIST_SLOW_COUNT];
	snap_bind_list(st, list, f);
	snap_bind_clock(s, st);
	n = *stamp = 0;
	if (snap_step(s, st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
		*stamp = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return (long)n;
}

/* Appends the row of item id (query rows) to the array on top of L. */
static void
snap_list_row(struct snap *s, lua_State *L, enum snap_q rows, const char *id,
    int *n)
{
	if (snap_rows(s, L, rows, "s", id) == 1) {
		lua_rawgeti(L, -1, 1);
		lua_rawseti(L, -3, ++*n);
	}
	lua_pop(L, 1);
}

/* Does item a (published pa, id ia) come before b in list's order? */
static int
snap_list_before(enum snap_list list, const char *pa, const char *ia,
    const char *pb, const char *ib)
{
	int	 c = strcmp(pa, pb);

	if (c != 0)
		return c > 0;		/* newer first */
	c = strcmp(ia, ib);
	return list == SNAP_LIST_GUIDE ? c < 0 : c > 0;
}

/*
 * Reads the ids at positions [from, to) (from 0) of the base's key into
 * ids, pointing into b. Returns how many there are, or -1.
 */
static long
snap_list_window(struct snap *s, int64_t key, long from, long to,
    struct buf *b, const char **ids)
{
	sqlite3_stmt	*st = s->st[SNAP_Q_LIST_IDS];
	long		 first = from / LISTS_CHUNK, n = 0, skip;
	size_t		 i;
	int		 rc;

	buf_reset(b);
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_int64(st, 2, first);
	sqlite3_bind_int64(st, 3, (to - 1) / LISTS_CHUNK);
	while ((rc = snap_step(s, st)) == SQLITE_ROW)
		if (buf_add(b, sqlite3_column_text(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1)) == -1 ||
		    buf_add(b, "\n", 1) == -1)
			rc = SQLITE_NOMEM;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	/* One id a line: each line ends in a NUL, and the first skip go. */
	skip = from - first * LISTS_CHUNK;
	for (i = 0; i < b->len; i++)
		if (b->data[i] == '\n')
			b->data[i] = '\0';
	for (i = 0; i < b->len && n < to - from; i += strlen(&b->data[i]) + 1)
		if (skip > 0)
			skip--;
		else
			ids[n++] = &b->data[i];
	return n;
}

/*
 * Pushes the rows (by query rows, one id) of the items at offset to
 * offset + limit of list with filters f. The base's items are read by
 * their positions; the few public since the build are merged in: at most
 * k of them come before offset, so the base's items from offset - k on
 * and those k are all the page can hold. Returns the rows' number.
 */
static int
snap_list_merge(struct snap *s, lua_State *L, enum snap_list list,
    const char *const *f, enum snap_q rows, int64_t key, long offset,
    long limit)
{
	sqlite3_stmt		*st = s->st[SNAP_Q_ITEM_PUBLISHED];
	const struct snap_late	*late[SNAP_MAX_LATE];
	struct buf		 b = { 0 };
	const char		**ids, *v;
	char			(*pub)[SNAP_DATE_SIZE] = NULL;
	long			 from, at, nb = 0, x = 0;
	int			 k = 0, j = 0, n = 0, i;

	for (i = 0; i < s->nlate; i++)
		if (snap_late_in(&s->late[i], list, f))
			late[k++] = &s->late[i];
	from = offset > k ? offset - k : 0;
	if ((ids = mem_calloc(offset + limit - from + 1, sizeof(*ids))) == NULL ||
	    (k > 0 && (pub = mem_calloc(offset + limit - from + 1,
	    sizeof(*pub))) == NULL) || (key != 0 && (nb = snap_list_window(s,
	    key, from, offset + limit, &b, ids)) == -1)) {
		s->failed = 1;
		goto done;
	}
	/* The merge compares dates: the base's, read only when needed. */
	for (x = 0; k > 0 && x < nb; x++) {
		sqlite3_bind_text(st, 1, ids[x], -1, SQLITE_STATIC);
		v = snap_step(s, st) == SQLITE_ROW ?
		    (const char *)sqlite3_column_text(st, 0) : NULL;
		snprintf(pub[x], sizeof(pub[x]), "%s", v != NULL ? v : "");
		sqlite3_reset(st);
	}
	/* From the start, every late item counts; past it, those before the
	 * first base item read are before offset too. */
	at = from;
	x = 0;
	if (from > 0)
		while (j < k && nb > 0 && snap_list_before(list,
		    late[j]->col[LATE_PUBLISHED], late[j]->col[LATE_ID], pub[0],
		    ids[0]))
			j++, at++;
	while (n < limit && (x < nb || j < k)) {
		if (j < k && (x == nb || snap_list_before(list,
		    late[j]->col[LATE_PUBLISHED], late[j]->col[LATE_ID], pub[x],
		    ids[x]))) {
			if (at++ >= offset)
				snap_list_row(s, L, rows, late[j]->col[LATE_ID], &n);
			j++;
			continue;
		}
		if (at++ >= offset)
			snap_list_row(s, L, rows, ids[x], &n);
		x++;
	}
done:
	mem_free(ids);
	mem_free(pub);
	buf_free(&b);
	return s->failed ? -1 : n;
}

/*
 * Pushes an array of the rows (query rows: SNAP_Q_CASE_ROW ...) of the
 * visible items at offset to offset + limit of list with filters f, in the
 * list's order. Returns their number, or -1 (logged, snap_failed).
 */
int
snap_list_page(struct snap *s, lua_State *L, enum snap_list list,
    const char *const *f, enum snap_q rows, long offset, long limit)
{
	sqlite3_stmt	*st;
	int64_t		 key, n, stamp;
	int		 rc, got = 0;

	lua_createtable(L, (int)limit, 0);
	if (snap_list_fast(s)) {
		key = snap_list_key(s, list, f, &n, &stamp);
		return snap_list_merge(s, L, list, f, rows, key, offset, limit);
	}
	st = s->st[SNAP_Q_LIST_SLOW_IDS];
	snap_bind_list(st, list, f);
	sqlite3_bind_int64(st, 6, offset);
	sqlite3_bind_int64(st, 7, limit);
	snap_bind_clock(s, st);
	while ((rc = snap_step(s, st)) == SQLITE_ROW)
		snap_list_row(s, L, rows, (const char *)sqlite3_column_text(st,
		    0), &got);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? got : -1;
}

/*
 * Pushes the counts of list's visible items per value of filter slot
 * (0 to SNAP_LIST_FILTERS - 1) under the other filters of f (its own is
 * not applied): an array of {code, name, n} by code. Returns the rows'
 * number, or -1 (logged, snap_failed).
 */
int
snap_list_facet(struct snap *s, lua_State *L, enum snap_list list, int slot,
    const char *const *f)
{
	const char	*g[SNAP_LIST_FILTERS];
	sqlite3_stmt	*st;
	int		 fast = snap_list_fast(s), rc, n = 0;

	memcpy(g, f, sizeof(g));
	g[slot] = NULL;
	st = s->st[(fast ? SNAP_Q_LIST_FACET1 : SNAP_Q_LIST_SLOW_FACET1) + slot];
	snap_bind_list(st, list, g);
	if (fast) {
		sqlite3_bind_int64(st, 6, s->lists_at);
		sqlite3_bind_int64(st, 7, s->now);
	} else
		snap_bind_clock(s, st);
	lua_newtable(L);
	while ((rc = snap_step(s, st)) == SQLITE_ROW) {
		snap_push_row(L, st);
		lua_rawseti(L, -2, ++n);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? n : -1;
}

/* Can the counts of lists.c be read now (not in preview, nor before the
 * base's latest publish-at)? Items public since are counted from them. */
static int
snap_base_holds(const struct snap *s)
{
	return !s->preview && s->now >= s->lists_change;
}

/* Pushes every law, by kind and title, with counts (SNAP_Q_LAWS's rows). */
int
snap_laws(struct snap *s, lua_State *L)
{
	if (!snap_base_holds(s))
		return snap_rows(s, L, SNAP_Q_LAWS, "");
	return snap_rows(s, L, SNAP_Q_LAWS_FAST, "sii", "", s->lists_at, s->now);
}

/* Pushes law id's cited articles, each with cited: how many citations
 * visible items make of it. */
int
snap_law_articles(struct snap *s, lua_State *L, const char *id)
{
	if (!snap_base_holds(s))
		return snap_rows(s, L, SNAP_Q_LAW_ARTICLES_SLOW, "s", id);
	return snap_rows(s, L, SNAP_Q_LAW_ARTICLES_FAST, "sii", id, s->lists_at,
	    s->now);
}

/* Pushes the visible items citing law id, by article, newest first, at
 * most most an article: n, label, id, kind, title, published. */
int
snap_law_citers(struct snap *s, lua_State *L, const char *id, int most)
{
	return snap_rows(s, L, snap_base_holds(s) ? SNAP_Q_LAW_CITERS_FAST :
	    SNAP_Q_LAW_CITERS_SLOW, "siii", id, s->lists_at, s->now,
	    (int64_t)most);
}
