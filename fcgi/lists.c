/*
 * lists.c: the lists of the snapshot, computed once when it is built. The
 * snapshot never changes, so every list a reader can ask for (all items,
 * cases, materials, guides, each under any combination of its filters) is
 * written in page order (list_chunks: a position is a row and a line), and
 * each combination once with its count and its newest change (list_keys).
 * A page of any list is then a seek to a position, and a count or a facet
 * a look-up, however many items there are.
 *
 * Only items public at the build ("the base": published, publish-at
 * passed) are in these tables. Items whose publish-at comes later are
 * added at request time (snap.c): they are few.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "lists.h"
#include "log.h"
#include "mem.h"

static const char lists_schema[] =
    /* Each list under one combination of its filters ('' when not
     * filtered): its items (n) and when one of them last changed (stamp). */
    "CREATE TABLE list_keys(id INTEGER PRIMARY KEY, list TEXT NOT NULL,"
    " f1 TEXT NOT NULL, f2 TEXT NOT NULL, f3 INTEGER NOT NULL,"
    " f4 TEXT NOT NULL, n INTEGER NOT NULL, stamp INTEGER NOT NULL);"
    /* A look-up by the filters; a facet counts one filter under the others. */
    "CREATE UNIQUE INDEX list_keys_by_filters ON list_keys(list, f1, f2, f3, f4);"
    "CREATE INDEX list_keys_f1 ON list_keys(list, f2, f3, f4, f1);"
    "CREATE INDEX list_keys_f2 ON list_keys(list, f1, f3, f4, f2);"
    "CREATE INDEX list_keys_f3 ON list_keys(list, f1, f2, f4, f3);"
    /* The items of each key in page order, LISTS_CHUNK ids a row, one a
     * line: chunk c holds positions c * LISTS_CHUNK + 1 on. */
    "CREATE TABLE list_chunks(key INTEGER NOT NULL, chunk INTEGER NOT NULL,"
    " ids TEXT NOT NULL, PRIMARY KEY(key, chunk)) WITHOUT ROWID;"
    /* How many base items cite each law (the list of laws). */
    "CREATE TABLE law_counts(law TEXT PRIMARY KEY, items INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    /* The base's citations of each cited article (ord: the article's),
     * newest item first; how many there are. */
    "CREATE TABLE law_citers(law TEXT NOT NULL, ord INTEGER NOT NULL,"
    " pos INTEGER NOT NULL, n TEXT NOT NULL, label TEXT NOT NULL,"
    " cord INTEGER NOT NULL, item_id TEXT NOT NULL,"
    " PRIMARY KEY(law, ord, pos)) WITHOUT ROWID;"
    "CREATE TABLE law_cited(law TEXT NOT NULL, ord INTEGER NOT NULL,"
    " cited INTEGER NOT NULL, PRIMARY KEY(law, ord)) WITHOUT ROWID;"
    /* Campaigns by their end and their start (pages split them by today). */
    "CREATE INDEX items_campaign_end ON items("
    LISTS_CAMPAIGN_END ") WHERE kind = 'material' AND subkind = 'campaign';"
    "CREATE INDEX items_campaign_start ON items(event_start DESC, id)"
    " WHERE kind = 'material' AND subkind = 'campaign';";

/*
 * The base's items newest first, as every list but the guides orders them,
 * with their kind, their four filter values and their stamp: one pass
 * makes the list of all items and those of cases and materials.
 */
static const char lists_items_sql[] =
    "SELECT i.id, i.kind, coalesce(CASE i.kind WHEN 'case' THEN i.domain"
    " ELSE i.subkind END, ''), coalesce(CASE i.kind WHEN 'case' THEN i.town"
    " ELSE i.topic END, ''), i.year, coalesce(i.procedure, ''), " LISTS_STAMP
    " FROM items i WHERE " LISTS_BASE " ORDER BY i.published DESC, i.id DESC";
/* Guides on the same day are listed by id. */
static const char lists_guides_sql[] =
    "SELECT i.id, i.kind, '', '', '', '', " LISTS_STAMP " FROM items i"
    " WHERE i.kind = 'guide' AND " LISTS_BASE " ORDER BY i.published DESC, i.id";

/* Each kind's list and its filters (bits of the four values). */
static const struct {
	const char	*kind;
	unsigned	 filters;
} lists_kind[] = {
	{ "case", 0xf },	/* domain, town, year, procedure */
	{ "material", 0x3 },	/* kind, topic */
};

/* One key: its row id, its items so far, its newest stamp. */
struct lists_key {
	char		*text;		/* NULL: a free slot */
	int64_t		 id;
	int64_t		 n;
	int64_t		 stamp;
	const char	*f[4];		/* into text */
};

/* One item of one key, in the key's order. */
struct lists_row {
	uint32_t	 key;
	uint32_t	 item;		/* in ids */
};

struct lists_map {
	struct lists_key *k;
	size_t		  cap;		/* a power of two */
	size_t		  used;
	/* Every row, to write key by key (appending to list_items' b-tree is
	 * several times faster than inserting all over it). */
	struct lists_row *rows;
	size_t		  nrows, caprows;
	char		**ids;
	size_t		  nids, capids;
	struct buf	  text;		/* lists_key's */
};

static uint64_t
lists_hash(const char *s)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* The slot of text in m (free when not there). */
static struct lists_key *
lists_slot(struct lists_map *m, const char *text)
{
	size_t	 i = lists_hash(text) & (m->cap - 1);

	while (m->k[i].text != NULL && strcmp(m->k[i].text, text) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->k[i];
}

/* Doubles m. Returns 0, or -1 out of memory. */
static int
lists_grow(struct lists_map *m)
{
	struct lists_map	 g;
	size_t			 i;

	memset(&g, 0, sizeof(g));
	g.cap = m->cap ? m->cap * 2 : 1024;
	if ((g.k = mem_calloc(g.cap, sizeof(*g.k))) == NULL)
		return -1;
	for (i = 0; i < m->cap; i++)
		if (m->k[i].text != NULL)
			*lists_slot(&g, m->k[i].text) = m->k[i];
	mem_free(m->k);
	m->k = g.k;
	m->cap = g.cap;
	return 0;
}

static void
lists_free(struct lists_map *m)
{
	size_t	 i;

	for (i = 0; i < m->cap; i++)
		mem_free(m->k[i].text);
	mem_free(m->k);
	for (i = 0; i < m->nids; i++)
		mem_free(m->ids[i]);
	mem_free(m->ids);
	mem_free(m->rows);
	buf_free(&m->text);
}

/* Grows array *a of *cap elements of size sz to hold one more than n. */
static int
lists_room(void *a, size_t *cap, size_t n, size_t sz)
{
	void	*g;
	size_t	 c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 4096;
	if ((g = mem_realloc(*(void **)a, c * sz)) == NULL)
		return -1;
	*(void **)a = g;
	*cap = c;
	return 0;
}

/* Keeps item id as the next item; returns its number, or -1. */
static long
lists_item(struct lists_map *m, const char *id)
{
	if (lists_room(&m->ids, &m->capids, m->nids, sizeof(*m->ids)) == -1 ||
	    (m->ids[m->nids] = mem_strdup(id)) == NULL)
		return -1;
	return (long)m->nids++;
}

/*
 * Writes list_chunks key by key, each in its order: the rows were kept in
 * the lists' order, so a key's rows are in order among themselves.
 */
static int
lists_write_items(sqlite3 *db, struct lists_map *m)
{
	sqlite3_stmt	*st = NULL;
	struct buf	 b = { 0 };
	uint32_t	*at, *order = NULL, key;
	size_t		 i, j;
	int		 rc = -1;

	if ((at = mem_calloc(m->used + 2, sizeof(*at))) == NULL ||
	    (order = mem_calloc(m->nrows + 1, sizeof(*order))) == NULL)
		goto done;
	for (i = 0; i < m->cap; i++)
		if (m->k[i].text != NULL)
			at[m->k[i].id + 1] = (uint32_t)m->k[i].n;
	for (i = 1; i <= m->used + 1; i++)
		at[i] += at[i - 1];	/* at[key]: where its rows start */
	for (i = 0; i < m->nrows; i++)
		order[at[m->rows[i].key]++] = (uint32_t)i;
	if (sqlite3_prepare_v2(db, "INSERT INTO list_chunks VALUES(?1, ?2, ?3)",
	    -1, &st, NULL) != SQLITE_OK)
		goto done;
	rc = 0;
	for (i = 0; i < m->nrows && rc == 0; i = j) {
		key = m->rows[order[i]].key;
		buf_reset(&b);
		for (j = i; j < m->nrows && j - i < LISTS_CHUNK &&
		    m->rows[order[j]].key == key; j++)
			if (buf_printf(&b, "%s%s", j > i ? "\n" : "",
			    m->ids[m->rows[order[j]].item]) == -1)
				rc = -1;
		/* The chunk's number: its key's rows before it, by the chunk.
		 * at[key - 1] is where the key's rows start: placing them moved
		 * each at[k] to the start of k + 1. */
		sqlite3_bind_int64(st, 1, key);
		sqlite3_bind_int64(st, 2, (int64_t)((i - at[key - 1]) / LISTS_CHUNK));
		sqlite3_bind_text(st, 3, b.data, (int)b.len, SQLITE_STATIC);
		if (rc == 0 && sqlite3_step(st) != SQLITE_DONE)
			rc = -1;
		sqlite3_reset(st);
	}
done:
	sqlite3_finalize(st);
	buf_free(&b);
	mem_free(at);
	mem_free(order);
	return rc;
}

/*
 * The key of list name with filter values f where mask says (the others
 * ''), made when new. Returns it, or NULL out of memory or too long.
 */
static struct lists_key *
lists_key(struct lists_map *m, const char *name, const char **f,
    unsigned mask)
{
	struct lists_key	*k;
	char			*p;
	int			 i;

	/* One string to hash: the list and the values, \037 between. */
	buf_reset(&m->text);
	if (buf_printf(&m->text, "%s\037%s\037%s\037%s\037%s", name,
	    mask & 1 ? f[0] : "", mask & 2 ? f[1] : "", mask & 4 ? f[2] : "",
	    mask & 8 ? f[3] : "") == -1)
		return NULL;
	if ((m->used + 1) * 2 > m->cap && lists_grow(m) == -1)
		return NULL;
	if ((k = lists_slot(m, m->text.data))->text != NULL)
		return k;
	if ((k->text = mem_strndup(m->text.data, m->text.len)) == NULL)
		return NULL;
	for (p = k->text, i = 0; i < 4; i++) {
		p = strchr(p, '\037') + 1;
		k->f[i] = p;
	}
	k->id = (int64_t)++m->used;
	return k;
}

/*
 * Adds item (its stamp) to list name under every combination of the
 * filter values f that the bits of filters allow, the empty one included.
 */
static int
lists_add(struct lists_map *m, const char *name, const char **f,
    unsigned filters, long item, int64_t stamp)
{
	struct lists_key	*k;
	unsigned		 mask;

	for (mask = 0; mask <= filters; mask++) {
		if ((mask & ~filters) != 0)
			continue;
		if ((k = lists_key(m, name, f, mask)) == NULL ||
		    lists_room(&m->rows, &m->caprows, m->nrows,
		    sizeof(*m->rows)) == -1)
			return -1;
		k->n++;
		if (stamp > k->stamp)
			k->stamp = stamp;
		m->rows[m->nrows].key = (uint32_t)k->id;
		m->rows[m->nrows++].item = (uint32_t)item;
	}
	return 0;
}

/*
 * Reads the base's items by query sql (guides 1: the guides' list; else
 * all items, and the lists of their kinds) into m.
 */
static int
lists_read(sqlite3 *db, struct lists_map *m, const char *sql, int guides,
    int64_t at)
{
	sqlite3_stmt	*st;
	const char	*f[4], *kind;
	char		 year[16];
	int64_t		 stamp;
	long		 item;
	size_t		 j;
	int		 rc, i;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, at);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kind = (const char *)sqlite3_column_text(st, 1);
		for (i = 0; i < 4; i++)
			f[i] = (const char *)sqlite3_column_text(st, i + 2);
		snprintf(year, sizeof(year), "%s", f[2]);
		f[2] = year;
		stamp = sqlite3_column_int64(st, 6);
		if ((item = lists_item(m, (const char *)sqlite3_column_text(st,
		    0))) == -1)
			break;
		if (guides) {
			if (lists_add(m, "guide", f, 0, item, stamp) == -1)
				break;
			continue;
		}
		/* Every item, by kind (the feeds); then its kind's list. */
		if (lists_add(m, "all", &kind, 0x1, item, stamp) == -1)
			break;
		for (j = 0; j < sizeof(lists_kind) / sizeof(lists_kind[0]); j++)
			if (strcmp(kind, lists_kind[j].kind) == 0 &&
			    lists_add(m, kind, f, lists_kind[j].filters, item,
			    stamp) == -1)
				break;
		if (j < sizeof(lists_kind) / sizeof(lists_kind[0]))
			break;		/* lists_add failed */
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Writes m's keys into list_keys. */
static int
lists_write_keys(sqlite3 *db, struct lists_map *m)
{
	sqlite3_stmt	*st;
	size_t		 i;
	int		 j, rc = 0;
	char		*name;

	if (sqlite3_prepare_v2(db, "INSERT INTO list_keys VALUES(?1, ?2, ?3, ?4,"
	    " ?5, ?6, ?7, ?8)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (i = 0; i < m->cap && rc == 0; i++) {
		if ((name = m->k[i].text) == NULL)
			continue;
		sqlite3_bind_int64(st, 1, m->k[i].id);
		sqlite3_bind_text(st, 2, name, (int)strcspn(name, "\037"),
		    SQLITE_STATIC);
		for (j = 0; j < 4; j++)
			sqlite3_bind_text(st, 3 + j, m->k[i].f[j],
			    (int)strcspn(m->k[i].f[j], "\037"), SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, m->k[i].n);
		sqlite3_bind_int64(st, 8, m->k[i].stamp);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = -1;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * Records the base: the build's time (lists_at: later publish-ats are not
 * in it) and its latest publish-at (lists_change: before it, the base
 * holds items not yet public). Counts the base items citing each law.
 */
static int
lists_meta(sqlite3 *db, int64_t at)
{
	static const char *const sql[] = {
		"INSERT INTO meta VALUES('lists_at', ?1), ('lists_change',"
		" (SELECT coalesce(max(i.publish_at), 0) FROM items i WHERE "
		LISTS_BASE "))",
		/* The window's rows come in its partitions' order: the
		 * table's, with no sort of its own. */
		"INSERT INTO law_citers SELECT c.law, a.ord, row_number() OVER"
		" (PARTITION BY c.law, a.ord ORDER BY i.published DESC, i.id,"
		" c.ord), c.n, c.label, c.ord, c.item_id FROM law_cites c"
		" JOIN items i ON i.id = c.item_id JOIN law_articles a ON"
		" a.law = c.law AND a.n = c.n WHERE " LISTS_BASE,
		"INSERT INTO law_cited SELECT law, ord, count(*) FROM law_citers"
		" GROUP BY law, ord",
		/* content.c lets an item cite only articles the law lists. */
		"INSERT INTO law_counts SELECT law, count(DISTINCT item_id)"
		" FROM law_citers GROUP BY law" };
	sqlite3_stmt	*st;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]) && rc == 0; i++) {
		if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) != SQLITE_OK)
			return -1;
		sqlite3_bind_int64(st, 1, at);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = -1;
		sqlite3_finalize(st);
	}
	return rc;
}

/*
 * Computes the lists of the items in db, public at Unix time at (the
 * build's), into their tables. Called inside the build's transaction,
 * after the content is loaded. Returns 0, or -1 (logged).
 */
int
lists_build(sqlite3 *db, int64_t at)
{
	struct lists_map	 m;
	int			 rc = -1;

	memset(&m, 0, sizeof(m));
	if (sqlite3_exec(db, lists_schema, NULL, NULL, NULL) != SQLITE_OK)
		goto done;
	if (lists_read(db, &m, lists_items_sql, 0, at) == -1 ||
	    lists_read(db, &m, lists_guides_sql, 1, at) == -1)
		goto done;
	if (lists_write_items(db, &m) == 0 && lists_write_keys(db, &m) == 0 &&
	    lists_meta(db, at) == 0)
		rc = 0;
done:
	if (rc == -1)
		log_warnx("lists: %s", sqlite3_errmsg(db));
	lists_free(&m);
	return rc;
}

/*
 * Computes the lists again in a snapshot whose items changed in place
 * (fazhi withdraw makes one a draft), as public at Unix time at, in one
 * transaction. Returns 0, or -1 (logged) with the snapshot unchanged.
 */
int
lists_rebuild(sqlite3 *db, int64_t at)
{
	if (sqlite3_exec(db, "BEGIN; DROP TABLE list_keys; DROP TABLE list_chunks;"
	    " DROP TABLE law_counts; DROP TABLE law_citers; DROP TABLE law_cited;"
	    " DROP INDEX items_campaign_end; DROP INDEX items_campaign_start;"
	    " DELETE FROM meta WHERE key IN ('lists_at', 'lists_change');",
	    NULL, NULL, NULL) != SQLITE_OK || lists_build(db, at) == -1 ||
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		log_warnx("lists: %s", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}
