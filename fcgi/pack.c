/*
 * pack.c: an item's lists, packed into MessagePack values when a snapshot is
 * built, and unpacked into a page's Lua table when it is read.
 *
 * The builder writes each list entry (a section, a legal basis, a keyword,
 * a step, a document, a question and its answer) as a row of the temporary
 * table parts (content.c); pack_build turns an item's rows into one map,
 * list name to array of entries, each entry a map of its fields. A second
 * map holds the lists only the item's page shows: its cited articles with
 * their texts, its images, its attachments. Each list is one query over
 * every item in the order of their ids, read alongside the items. Both
 * maps go to item_data with how many related items the item names (their
 * visibility is decided at request time, so they are read then, and only
 * when there are some). A page reads one row instead of five queries'
 * dozen.
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
 * The lists only a page shows: each a query of every item's rows, in the
 * order of the items' ids (column 0) and then of the page, packed as an
 * array of maps, column name to value. A cited article is "changed" when
 * the law's version in force took effect after the item was published.
 */
static const struct {
	const char	*name;
	const char	*sql;
} pack_page[] = {
	{ "cites", "SELECT c.item_id, c.law, c.n, c.label, l.title, l.short,"
	    " l.effective, a.label AS article_label, a.verified, a.html,"
	    " a.summary, i.published < l.effective AS changed"
	    " FROM law_cites c JOIN items i ON i.id = c.item_id"
	    " JOIN laws l ON l.id = c.law"
	    " JOIN law_articles a ON a.law = c.law AND a.n = c.n"
	    " ORDER BY c.item_id, c.ord" },
	{ "images", "SELECT item_id, src, srcset, width, height, alt, caption"
	    " FROM images ORDER BY item_id, ord" },
	{ "attachments", "SELECT item_id, href, title, type, bytes, size"
	    " FROM attachments ORDER BY item_id, ord" },
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

/* Every item, in the order of the ids, with its related items' count. */
static const char pack_items_sql[] =
    "SELECT i.id, (SELECT count(*) FROM related WHERE item_id = i.id)"
    " FROM items i ORDER BY i.id";

/* A buffer that remembers a failed write (out of memory). */
struct pack_buf {
	msgpack_sbuffer	 sb;
	int		 failed;
};

/* A query over every item's rows in the order of their ids (column 0). */
struct pack_stream {
	sqlite3_stmt	*st;
	int		 rc;		/* its last step */
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

/* Starts an empty buffer b, and pk writing into it. */
static void
pack_buf_init(struct pack_buf *b, msgpack_packer *pk)
{
	msgpack_sbuffer_init(&b->sb);
	b->failed = 0;
	msgpack_packer_init(pk, b, pack_write);
}

/*
 * Appends to b an array of the n entries packed in entries, and frees
 * entries. Returns 0, or -1 when out of memory (now or while packing them).
 */
static int
pack_array(struct pack_buf *b, unsigned n, struct pack_buf *entries)
{
	msgpack_packer	 out;

	msgpack_packer_init(&out, b, pack_write);
	msgpack_pack_array(&out, n);
	pack_write(b, entries->sb.data, entries->sb.size);
	b->failed |= entries->failed;
	msgpack_sbuffer_destroy(&entries->sb);
	return b->failed ? -1 : 0;
}

/*
 * Steps s past the rows of items before id. Returns 1 when it stands on a
 * row of id, 0 when past them or at the end.
 */
static int
pack_at(struct pack_stream *s, const char *id)
{
	int	 c = 1;

	while (s->rc == SQLITE_ROW && (c = strcmp((const char *)
	    sqlite3_column_text(s->st, 0), id)) < 0)
		s->rc = sqlite3_step(s->st);
	return s->rc == SQLITE_ROW && c == 0;
}

/*
 * Packs item id's rows of parts (kind, ord, a, b, c after the id) into b:
 * a map of every list, each an array of entries. Returns 0, or -1 when out
 * of memory.
 */
static int
pack_parts(struct pack_stream *s, const char *id, struct pack_buf *b)
{
	struct pack_buf	 list[SNAP_PART__MAX];
	msgpack_packer	 out, pk[SNAP_PART__MAX];
	unsigned	 n[SNAP_PART__MAX] = { 0 }, m;
	int		 k, i;

	for (k = 0; k < SNAP_PART__MAX; k++)
		pack_buf_init(&list[k], &pk[k]);
	for (; pack_at(s, id); s->rc = sqlite3_step(s->st)) {
		if ((k = sqlite3_column_int(s->st, 1)) < 0 ||
		    k >= SNAP_PART__MAX)
			continue;
		for (i = 0, m = 0; i < 3; i++)
			m += pack_part[k].fields[i] != NULL &&
			    sqlite3_column_type(s->st, i + 2) != SQLITE_NULL;
		msgpack_pack_map(&pk[k], m);
		for (i = 0; i < 3; i++) {
			if (pack_part[k].fields[i] == NULL ||
			    sqlite3_column_type(s->st, i + 2) == SQLITE_NULL)
				continue;
			pack_str(&pk[k], pack_part[k].fields[i],
			    strlen(pack_part[k].fields[i]));
			pack_str(&pk[k], (const char *)sqlite3_column_text(s->st,
			    i + 2), (size_t)sqlite3_column_bytes(s->st, i + 2));
		}
		n[k]++;
	}
	msgpack_packer_init(&out, b, pack_write);
	msgpack_pack_map(&out, SNAP_PART__MAX);
	for (k = 0; k < SNAP_PART__MAX; k++) {
		pack_str(&out, pack_part[k].name, strlen(pack_part[k].name));
		pack_array(b, n[k], &list[k]);
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
 * Packs item id's rows of s into b as an array of maps, column name to
 * value, the id and NULLs left out. Returns 0, or -1 when out of memory.
 */
static int
pack_rows(struct pack_stream *s, const char *id, struct pack_buf *b)
{
	struct pack_buf	 rows;
	msgpack_packer	 pk;
	const char	*name;
	unsigned	 n = 0, m;
	int		 i, cols = sqlite3_column_count(s->st);

	pack_buf_init(&rows, &pk);
	for (; pack_at(s, id); s->rc = sqlite3_step(s->st), n++) {
		for (i = 1, m = 0; i < cols; i++)
			m += sqlite3_column_type(s->st, i) != SQLITE_NULL;
		msgpack_pack_map(&pk, m);
		for (i = 1; i < cols; i++) {
			if (sqlite3_column_type(s->st, i) == SQLITE_NULL)
				continue;
			name = sqlite3_column_name(s->st, i);
			pack_str(&pk, name, strlen(name));
			pack_column(&pk, s->st, i);
		}
	}
	return pack_array(b, n, &rows);
}

/* Packs the lists only item id's page shows into b. Returns 0, or -1. */
static int
pack_page_lists(struct pack_stream *page, const char *id, struct pack_buf *b)
{
	msgpack_packer	 out;
	int		 k;

	msgpack_packer_init(&out, b, pack_write);
	msgpack_pack_map(&out, PACK_PAGE_LISTS);
	for (k = 0; k < PACK_PAGE_LISTS; k++) {
		pack_str(&out, pack_page[k].name, strlen(pack_page[k].name));
		if (pack_rows(&page[k], id, b) == -1)
			return -1;
	}
	return 0;
}

/* Prepares sql into s and takes its first step. Returns 0, or -1. */
static int
pack_open(sqlite3 *db, const char *sql, struct pack_stream *s)
{
	if (sqlite3_prepare_v2(db, sql, -1, &s->st, NULL) != SQLITE_OK)
		return -1;
	s->rc = sqlite3_step(s->st);
	return 0;
}

/* Did the stream end without a database error? */
static int
pack_ok(const struct pack_stream *s)
{
	return s->rc == SQLITE_ROW || s->rc == SQLITE_DONE;
}

/*
 * Packs every item's lists into item_data, then drops parts. Returns 0, or
 * -1 (logged).
 */
int
pack_build(sqlite3 *db)
{
	struct pack_stream	 items = { NULL, 0 }, parts = { NULL, 0 };
	struct pack_stream	 page[PACK_PAGE_LISTS];
	struct pack_buf		 lists = { .failed = 0 }, shown = { .failed = 0 };
	sqlite3_stmt		*ins = NULL;
	const char		*id;
	int			 k, ret = -1;

	memset(page, 0, sizeof(page));
	msgpack_sbuffer_init(&lists.sb);
	msgpack_sbuffer_init(&shown.sb);
	if (sqlite3_exec(db, pack_schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO item_data VALUES(?1, ?2, ?3,"
	    " ?4)", -1, &ins, NULL) != SQLITE_OK ||
	    pack_open(db, pack_items_sql, &items) == -1 ||
	    pack_open(db, "SELECT item_id, part, a, b, c FROM parts"
	    " ORDER BY item_id, part, ord", &parts) == -1)
		goto done;
	for (k = 0; k < PACK_PAGE_LISTS; k++)
		if (pack_open(db, pack_page[k].sql, &page[k]) == -1)
			goto done;
	for (; items.rc == SQLITE_ROW; items.rc = sqlite3_step(items.st)) {
		id = (const char *)sqlite3_column_text(items.st, 0);
		msgpack_sbuffer_clear(&lists.sb);
		msgpack_sbuffer_clear(&shown.sb);
		if (pack_parts(&parts, id, &lists) == -1 ||
		    pack_page_lists(page, id, &shown) == -1)
			goto done;
		sqlite3_bind_text(ins, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_blob(ins, 2, lists.sb.data, (int)lists.sb.size,
		    SQLITE_STATIC);
		sqlite3_bind_blob(ins, 3, shown.sb.data, (int)shown.sb.size,
		    SQLITE_STATIC);
		sqlite3_bind_int(ins, 4, sqlite3_column_int(items.st, 1));
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto done;
		sqlite3_reset(ins);
	}
	for (k = 0; k < PACK_PAGE_LISTS && pack_ok(&page[k]); k++)
		;
	if (items.rc == SQLITE_DONE && pack_ok(&parts) &&
	    k == PACK_PAGE_LISTS &&
	    sqlite3_exec(db, "DROP TABLE parts", NULL, NULL, NULL) == SQLITE_OK)
		ret = 0;
done:
	if (ret == -1)
		log_warnx("packing the items' lists: %s", lists.failed ||
		    shown.failed ? "out of memory" : sqlite3_errmsg(db));
	sqlite3_finalize(items.st);
	sqlite3_finalize(parts.st);
	for (k = 0; k < PACK_PAGE_LISTS; k++)
		sqlite3_finalize(page[k].st);
	sqlite3_finalize(ins);
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
