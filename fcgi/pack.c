/*
 * pack.c: an item's lists, packed into MessagePack values when a snapshot is
 * built, and unpacked into a page's Lua table when it is read.
 *
 * The builder writes each list entry (a section, a legal basis, a keyword,
 * a step, a document, a question and its answer) as a row of the temporary
 * table parts (content.c); pack_build turns an item's rows into one map,
 * list name to array of entries, each entry a map of its fields. A second
 * map holds the lists only the item's page shows, read at build by their
 * queries: its cited articles with their texts, its images, its
 * attachments. Both go to item_data with how many related items the item
 * names (their visibility is decided at request time, so they are read
 * then, and only when there are some). A page reads one row instead of
 * five queries' dozen.
 */
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <msgpack.h>
#include <sqlite3.h>

#include "log.h"
#include "pack.h"
#include "snap.h"

/* Each kind of list entry: its list's name in a page, its fields' names. */
static const struct {
	const char	*name;
	const char	*fields[3];	/* for the columns a, b and c of parts */
} pack_part[SNAP_PART__MAX] = {
	[SNAP_PART_SECTION] = { "sections", { "key", "title", "html" } },
	[SNAP_PART_BASIS] = { "basis", { "law", "article", "law_id" } },
	[SNAP_PART_KEYWORD] = { "keywords", { "word", NULL, NULL } },
	[SNAP_PART_STEP] = { "steps", { "title", NULL, "html" } },
	[SNAP_PART_DOCUMENT] = { "documents", { NULL, NULL, "html" } },
	[SNAP_PART_FAQ] = { "faqs", { "q", NULL, "a" } },
};

/*
 * The lists only a page shows: each a query of item ?1's rows, packed as an
 * array of maps, column name to value. A cited article is "changed" when
 * the law's version in force took effect after the item was published.
 */
static const struct {
	const char	*name;
	const char	*sql;
} pack_page[] = {
	{ "cites", "SELECT c.law, c.n, c.label, l.title, l.short, l.effective,"
	    " a.label AS article_label, a.verified, a.html, a.summary,"
	    " (SELECT published FROM items WHERE id = ?1) < l.effective"
	    " AS changed FROM law_cites c JOIN laws l ON l.id = c.law"
	    " JOIN law_articles a ON a.law = c.law AND a.n = c.n"
	    " WHERE c.item_id = ?1 ORDER BY c.ord" },
	{ "images", "SELECT src, srcset, width, height, alt, caption"
	    " FROM images WHERE item_id = ?1 ORDER BY ord" },
	{ "attachments", "SELECT href, title, type, bytes, size"
	    " FROM attachments WHERE item_id = ?1 ORDER BY ord" },
};
#define PACK_PAGE_LISTS	(int)(sizeof(pack_page) / sizeof(pack_page[0]))

/*
 * A table with rowids: its rows, a few KiB with an item's article texts,
 * stay whole in their 16 KiB pages. (WITHOUT ROWID keeps a row's first 4 KiB
 * or so in the b-tree and spills the rest to an overflow page of its own:
 * at 100 000 items, twice the size.)
 */
static const char pack_schema[] =
    "CREATE TABLE item_data(item_id TEXT PRIMARY KEY, parts BLOB NOT NULL,"
    " page BLOB NOT NULL, related INTEGER NOT NULL);";

/* Every item, in the order of parts' key, with its related items' count. */
static const char pack_items_sql[] =
    "SELECT i.id, (SELECT count(*) FROM related WHERE item_id = i.id)"
    " FROM items i ORDER BY i.id";

/* A buffer that remembers a failed write (out of memory). */
struct pack_buf {
	msgpack_sbuffer	 sb;
	int		 failed;
};

static int
pack_write(void *data, const char *buf, size_t len)
{
	struct pack_buf	*b = data;

	if (!b->failed && msgpack_sbuffer_write(&b->sb, buf, len) != 0)
		b->failed = 1;
	return 0;
}

static void
pack_str(msgpack_packer *pk, const char *s, size_t n)
{
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

/*
 * Packs the rows of parts that belong to item id, read from st (stepped
 * already: *rc is its last step) in the order of the key, into b, and sets
 * *rc to the step after them. Returns 0, or -1 when out of memory.
 */
static int
pack_parts(sqlite3_stmt *st, int *rc, const char *id, struct pack_buf *b)
{
	struct pack_buf	 list[SNAP_PART__MAX];
	msgpack_packer	 out, pk[SNAP_PART__MAX];
	unsigned	 n[SNAP_PART__MAX] = { 0 }, m;
	int		 k, i;

	for (k = 0; k < SNAP_PART__MAX; k++) {
		msgpack_sbuffer_init(&list[k].sb);
		list[k].failed = 0;
		msgpack_packer_init(&pk[k], &list[k], pack_write);
	}
	for (; *rc == SQLITE_ROW && strcmp((const char *)
	    sqlite3_column_text(st, 0), id) == 0; *rc = sqlite3_step(st)) {
		k = sqlite3_column_int(st, 1);
		if (k < 0 || k >= SNAP_PART__MAX)
			continue;
		for (i = 0, m = 0; i < 3; i++)
			m += pack_part[k].fields[i] != NULL &&
			    sqlite3_column_type(st, i + 2) != SQLITE_NULL;
		msgpack_pack_map(&pk[k], m);
		for (i = 0; i < 3; i++) {
			if (pack_part[k].fields[i] == NULL ||
			    sqlite3_column_type(st, i + 2) == SQLITE_NULL)
				continue;
			pack_str(&pk[k], pack_part[k].fields[i],
			    strlen(pack_part[k].fields[i]));
			pack_str(&pk[k], (const char *)sqlite3_column_text(st,
			    i + 2), (size_t)sqlite3_column_bytes(st, i + 2));
		}
		n[k]++;
	}
	msgpack_sbuffer_clear(&b->sb);
	msgpack_packer_init(&out, b, pack_write);
	msgpack_pack_map(&out, SNAP_PART__MAX);
	for (k = 0; k < SNAP_PART__MAX; k++) {
		pack_str(&out, pack_part[k].name, strlen(pack_part[k].name));
		msgpack_pack_array(&out, n[k]);
		pack_write(b, list[k].sb.data, list[k].sb.size);
		b->failed |= list[k].failed;
		msgpack_sbuffer_destroy(&list[k].sb);
	}
	return b->failed ? -1 : 0;
}

/* Packs column i of st's row into pk: an integer, a number or text. */
static void
pack_column(msgpack_packer *pk, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		msgpack_pack_int64(pk, sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		msgpack_pack_double(pk, sqlite3_column_double(st, i));
		break;
	default:
		pack_str(pk, (const char *)sqlite3_column_text(st, i),
		    (size_t)sqlite3_column_bytes(st, i));
	}
}

/*
 * Packs every row of st (bound) into b as an array of maps, column name to
 * value, NULLs left out, and resets st. Returns 0, or -1 on a database
 * error or out of memory.
 */
static int
pack_rows(sqlite3_stmt *st, struct pack_buf *b)
{
	struct pack_buf	 rows = { .failed = 0 };
	msgpack_packer	 pk, out;
	const char	*name;
	unsigned	 n = 0, m;
	int		 i, rc, cols = sqlite3_column_count(st);

	msgpack_sbuffer_init(&rows.sb);
	msgpack_packer_init(&pk, &rows, pack_write);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0, m = 0; i < cols; i++)
			m += sqlite3_column_type(st, i) != SQLITE_NULL;
		msgpack_pack_map(&pk, m);
		for (i = 0; i < cols; i++) {
			if (sqlite3_column_type(st, i) == SQLITE_NULL)
				continue;
			name = sqlite3_column_name(st, i);
			pack_str(&pk, name, strlen(name));
			pack_column(&pk, st, i);
		}
		n++;
	}
	sqlite3_reset(st);
	msgpack_packer_init(&out, b, pack_write);
	msgpack_pack_array(&out, n);
	pack_write(b, rows.sb.data, rows.sb.size);
	b->failed |= rows.failed;
	msgpack_sbuffer_destroy(&rows.sb);
	return rc == SQLITE_DONE && !b->failed ? 0 : -1;
}

/* Packs the lists only item id's page shows into b. Returns 0, or -1. */
static int
pack_page_lists(sqlite3_stmt **page, const char *id, struct pack_buf *b)
{
	msgpack_packer	 out;
	int		 k;

	msgpack_sbuffer_clear(&b->sb);
	msgpack_packer_init(&out, b, pack_write);
	msgpack_pack_map(&out, PACK_PAGE_LISTS);
	for (k = 0; k < PACK_PAGE_LISTS; k++) {
		pack_str(&out, pack_page[k].name, strlen(pack_page[k].name));
		sqlite3_bind_text(page[k], 1, id, -1, SQLITE_STATIC);
		if (pack_rows(page[k], b) == -1)
			return -1;
	}
	return 0;
}

/*
 * Packs every item's lists into item_data, then drops parts. Returns 0, or
 * -1 (logged).
 */
int
pack_build(sqlite3 *db)
{
	sqlite3_stmt	*items = NULL, *parts = NULL, *ins = NULL;
	sqlite3_stmt	*page[PACK_PAGE_LISTS] = { NULL };
	struct pack_buf	 lists = { .failed = 0 }, shown = { .failed = 0 };
	const char	*id;
	int		 rc, prc = SQLITE_DONE, k, ret = -1;

	msgpack_sbuffer_init(&lists.sb);
	msgpack_sbuffer_init(&shown.sb);
	if (sqlite3_exec(db, pack_schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, pack_items_sql, -1, &items, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "SELECT item_id, part, a, b, c"
	    " FROM parts ORDER BY item_id, part, ord", -1, &parts, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "INSERT INTO item_data"
	    " VALUES(?1, ?2, ?3, ?4)", -1, &ins, NULL) != SQLITE_OK)
		goto done;
	for (k = 0; k < PACK_PAGE_LISTS; k++)
		if (sqlite3_prepare_v2(db, pack_page[k].sql, -1, &page[k],
		    NULL) != SQLITE_OK)
			goto done;
	prc = sqlite3_step(parts);
	while ((rc = sqlite3_step(items)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(items, 0);
		/* rows of no item: content.c writes none, so never */
		while (prc == SQLITE_ROW && strcmp((const char *)
		    sqlite3_column_text(parts, 0), id) < 0)
			prc = sqlite3_step(parts);
		if (pack_parts(parts, &prc, id, &lists) == -1 ||
		    pack_page_lists(page, id, &shown) == -1)
			goto done;
		sqlite3_bind_text(ins, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_blob(ins, 2, lists.sb.data, (int)lists.sb.size,
		    SQLITE_STATIC);
		sqlite3_bind_blob(ins, 3, shown.sb.data, (int)shown.sb.size,
		    SQLITE_STATIC);
		sqlite3_bind_int(ins, 4, sqlite3_column_int(items, 1));
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto done;
		sqlite3_reset(ins);
	}
	if (rc == SQLITE_DONE && (prc == SQLITE_DONE || prc == SQLITE_ROW) &&
	    sqlite3_exec(db, "DROP TABLE parts", NULL, NULL, NULL) == SQLITE_OK)
		ret = 0;
done:
	if (ret == -1)
		log_warnx("packing the items' lists: %s", lists.failed ||
		    shown.failed ? "out of memory" : sqlite3_errmsg(db));
	sqlite3_finalize(items);
	sqlite3_finalize(parts);
	sqlite3_finalize(ins);
	for (k = 0; k < PACK_PAGE_LISTS; k++)
		sqlite3_finalize(page[k]);
	msgpack_sbuffer_destroy(&lists.sb);
	msgpack_sbuffer_destroy(&shown.sb);
	return ret;
}

/* Pushes o: a string, a number, an array or a map of them. 0 or -1. */
static int
pack_push(lua_State *L, const msgpack_object *o)
{
	uint32_t	 i;

	if (!lua_checkstack(L, 3))	/* a map's table, key and value */
		return -1;
	switch (o->type) {
	case MSGPACK_OBJECT_STR:
		lua_pushlstring(L, o->via.str.ptr, o->via.str.size);
		return 0;
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		if (o->via.u64 > INT64_MAX)
			return -1;
		lua_pushinteger(L, (lua_Integer)o->via.u64);
		return 0;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		lua_pushinteger(L, (lua_Integer)o->via.i64);
		return 0;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		lua_pushnumber(L, (lua_Number)o->via.f64);
		return 0;
	case MSGPACK_OBJECT_ARRAY:
		lua_createtable(L, (int)o->via.array.size, 0);
		for (i = 0; i < o->via.array.size; i++) {
			if (pack_push(L, &o->via.array.ptr[i]) == -1)
				return -1;
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		return 0;
	case MSGPACK_OBJECT_MAP:
		lua_createtable(L, 0, (int)o->via.map.size);
		for (i = 0; i < o->via.map.size; i++) {
			if (o->via.map.ptr[i].key.type != MSGPACK_OBJECT_STR ||
			    pack_push(L, &o->via.map.ptr[i].key) == -1 ||
			    pack_push(L, &o->via.map.ptr[i].val) == -1)
				return -1;
			lua_rawset(L, -3);
		}
		return 0;
	default:
		return -1;
	}
}

/*
 * Sets each field of the packed map data (len bytes) on the table at index
 * t: a page's ctx gets its lists. Returns 0, or -1 when data is not one
 * whole map of such values (a damaged snapshot): the stack is as it was,
 * and fields set before the fault stay.
 */
int
pack_set(lua_State *L, int t, const void *data, size_t len)
{
	msgpack_unpacked	 u;
	size_t			 off = 0;
	uint32_t		 i;
	int			 top = lua_gettop(L), rc = -1;

	t = lua_absindex(L, t);
	if (len > PACK_MAX_BYTES)
		return -1;
	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, data, len, &off) != MSGPACK_UNPACK_SUCCESS ||
	    off != len || u.data.type != MSGPACK_OBJECT_MAP)
		goto done;
	for (i = 0; i < u.data.via.map.size; i++) {
		if (u.data.via.map.ptr[i].key.type != MSGPACK_OBJECT_STR ||
		    pack_push(L, &u.data.via.map.ptr[i].key) == -1 ||
		    pack_push(L, &u.data.via.map.ptr[i].val) == -1)
			goto done;
		lua_rawset(L, t);
	}
	rc = 0;
done:
	lua_settop(L, top);
	msgpack_unpacked_destroy(&u);
	return rc;
}
