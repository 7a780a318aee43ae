/*
 * test_pack.c: unit tests for pack.c: an item's list entries packed at
 * build (pack_build, on a small database of its own) and set on a Lua table
 * (pack_set), and values that are not what pack_build writes refused.
 */
/* checks: 28 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>
#include <msgpack.h>
#include <sqlite3.h>

#include "pack.h"
#include "snap.h"
#include "unit.h"

static const char schema[] =
    "CREATE TABLE items(id TEXT PRIMARY KEY, published TEXT) WITHOUT ROWID;"
    "CREATE TEMP TABLE parts(item_id TEXT NOT NULL, part INTEGER NOT NULL,"
    " ord INTEGER NOT NULL, a TEXT, b TEXT, c TEXT,"
    " PRIMARY KEY(item_id, part, ord)) WITHOUT ROWID;"
    "CREATE TABLE laws(id TEXT PRIMARY KEY, title TEXT, short TEXT,"
    " effective TEXT);"
    "CREATE TABLE law_articles(law TEXT, n TEXT, label TEXT, verified INTEGER,"
    " html TEXT, summary TEXT);"
    "CREATE TABLE law_cites(item_id TEXT, ord INTEGER, law TEXT, n TEXT,"
    " label TEXT);"
    "CREATE TABLE images(item_id TEXT, ord INTEGER, src TEXT, srcset TEXT,"
    " width INTEGER, height INTEGER, alt TEXT, caption TEXT);"
    "CREATE TABLE attachments(item_id TEXT, ord INTEGER, href TEXT, title TEXT,"
    " type TEXT, bytes INTEGER, size TEXT);"
    "CREATE TABLE related(item_id TEXT, ord INTEGER);"
    "INSERT INTO items VALUES('a', '2020-05-01'), ('b', '2022-01-01'),"
    " ('c', '2019-01-01');"
    /* in no order: pack_build reads them in the key's */
    "INSERT INTO parts VALUES('a', 2, 2, '罚款', NULL, NULL),"
    " ('a', 0, 1, 'facts', '案情', '<p>一</p>'),"
    " ('a', 2, 1, '占道经营', NULL, NULL),"
    " ('a', 1, 1, '行政处罚法', NULL, 'xzcf'),"
    " ('c', 5, 1, '问', NULL, '<p>答</p>');"
    "INSERT INTO laws VALUES('xzcf', '中华人民共和国行政处罚法', '行政处罚法',"
    " '2021-07-15');"
    "INSERT INTO law_articles VALUES('xzcf', '28', '第二十八条', 1, '<p>x</p>',"
    " NULL), ('xzcf', '33', '第三十三条', 0, NULL, '摘要');"
    "INSERT INTO law_cites VALUES('a', 2, 'xzcf', '28', '第二十八条第一款'),"
    " ('a', 1, 'xzcf', '33', '第三十三条'), ('b', 1, 'xzcf', '33', '第三十三条');"
    "INSERT INTO images VALUES('c', 1, '/media/x.jpg', '/media/x.jpg 800w',"
    " 800, 600, '现场', NULL);"
    "INSERT INTO attachments VALUES('c', 1, '/media/y.pdf', '决定书', 'PDF',"
    " 12345, '12 KB');"
    "INSERT INTO related VALUES('a', 1), ('a', 2), ('a', 3);";

/*
 * The packed lists of item id, read as a worker does, set on a new table:
 * both values, and *related.
 */
static int
unpack(sqlite3 *db, lua_State *L, const char *id, int *related)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	lua_newtable(L);
	if (sqlite3_prepare_v2(db, "SELECT parts, page, related FROM item_data"
	    " WHERE item_id = ?1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    pack_set(L, -1, sqlite3_column_blob(st, 0),
	    (size_t)sqlite3_column_bytes(st, 0)) == 0) {
		rc = pack_set(L, -1, sqlite3_column_blob(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1));
		*related = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return rc;
}

/* ctx[list][i][f] as an integer, or -1. */
static lua_Integer
ifield(lua_State *L, const char *list, int i, const char *f)
{
	lua_Integer	 n = -1;

	if (lua_getfield(L, -1, list) == LUA_TTABLE &&
	    lua_rawgeti(L, -1, i) == LUA_TTABLE &&
	    lua_getfield(L, -1, f) == LUA_TNUMBER && lua_isinteger(L, -1))
		n = lua_tointeger(L, -1);
	lua_settop(L, 1);
	return n;
}

/* ctx[list][i][field], or NULL. */
static const char *
field(lua_State *L, const char *list, int i, const char *f)
{
	const char	*s = NULL;

	if (lua_getfield(L, -1, list) == LUA_TTABLE &&
	    lua_rawgeti(L, -1, i) == LUA_TTABLE &&
	    lua_getfield(L, -1, f) == LUA_TSTRING)
		s = lua_tostring(L, -1);
	lua_settop(L, 1);
	return s;
}

static size_t
len(lua_State *L, const char *list)
{
	size_t	 n = (size_t)-1;

	if (lua_getfield(L, -1, list) == LUA_TTABLE)
		n = lua_rawlen(L, -1);
	lua_pop(L, 1);
	return n;
}

static void
test_build(lua_State *L)
{
	sqlite3	*db;
	int	 related = -1;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		UNIT_CHECK(0, "the test database: %s", sqlite3_errmsg(db));
		return;
	}
	UNIT_CHECK(pack_build(db) == 0, "pack_build packs three items");
	UNIT_CHECK(sqlite3_exec(db, "SELECT 1 FROM parts", NULL, NULL, NULL) !=
	    SQLITE_OK, "and drops the table of rows");

	UNIT_CHECK(unpack(db, L, "a", &related) == 0, "item a unpacks");
	UNIT_CHECK(len(L, "sections") == 1 && len(L, "basis") == 1 &&
	    len(L, "keywords") == 2 && len(L, "steps") == 0 &&
	    len(L, "documents") == 0 && len(L, "faqs") == 0 &&
	    len(L, "images") == 0 && len(L, "attachments") == 0,
	    "every list, empty ones as empty arrays");
	UNIT_STREQ(field(L, "sections", 1, "key"), "facts", "a section's key");
	UNIT_STREQ(field(L, "sections", 1, "html"), "<p>一</p>",
	    "its HTML, as written");
	UNIT_STREQ(field(L, "keywords", 1, "word"), "占道经营",
	    "entries in their order");
	UNIT_STREQ(field(L, "keywords", 2, "word"), "罚款", "the second too");
	UNIT_CHECK(field(L, "basis", 1, "article") == NULL &&
	    field(L, "basis", 1, "law_id") != NULL,
	    "a NULL field is left out, the others kept");
	UNIT_CHECK(related == 3, "a names 3 related items");
	UNIT_CHECK(len(L, "cites") == 2 && strcmp(field(L, "cites", 1, "n"),
	    "33") == 0 && strcmp(field(L, "cites", 2, "n"), "28") == 0,
	    "its cited articles, in its order");
	UNIT_CHECK(ifield(L, "cites", 1, "verified") == 0 &&
	    field(L, "cites", 1, "html") == NULL &&
	    strcmp(field(L, "cites", 1, "summary"), "摘要") == 0,
	    "an unverified article: its summary, no text");
	UNIT_STREQ(field(L, "cites", 2, "title"), "中华人民共和国行政处罚法",
	    "each with its law's title");
	UNIT_CHECK(ifield(L, "cites", 1, "changed") == 1,
	    "published before the version in force: changed");
	lua_settop(L, 0);

	UNIT_CHECK(unpack(db, L, "b", &related) == 0 && len(L, "sections") == 0 &&
	    len(L, "faqs") == 0 && related == 0,
	    "an item without entries: empty lists");
	UNIT_CHECK(ifield(L, "cites", 1, "changed") == 0,
	    "published after it: not changed");
	lua_settop(L, 0);
	UNIT_CHECK(unpack(db, L, "c", &related) == 0 && len(L, "faqs") == 1 &&
	    len(L, "cites") == 0, "c: its question and answer, no citation");
	UNIT_STREQ(field(L, "faqs", 1, "a"), "<p>答</p>", "the answer");
	UNIT_CHECK(ifield(L, "images", 1, "width") == 800 &&
	    field(L, "images", 1, "caption") == NULL &&
	    strcmp(field(L, "images", 1, "alt"), "现场") == 0,
	    "its image: integers as integers, no caption");
	UNIT_CHECK(ifield(L, "attachments", 1, "bytes") == 12345,
	    "its attachment");
	lua_settop(L, 0);
	sqlite3_close(db);
}

/* pack_set on data packed here, which pack_build would never write. */
static int
bad(lua_State *L, const char *data, size_t n)
{
	int	 rc, top;

	lua_newtable(L);
	top = lua_gettop(L);
	rc = pack_set(L, -1, data, n);
	rc = rc == -1 && lua_gettop(L) == top ? 0 : -1;
	lua_settop(L, 0);
	return rc;
}

static void
test_refused(lua_State *L)
{
	msgpack_sbuffer	 sb;
	msgpack_packer	 pk;
	char		*big;
	int		 i;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str(&pk, 8);
	msgpack_pack_str_body(&pk, "sections", 8);
	msgpack_pack_array(&pk, 0);
	UNIT_CHECK(bad(L, sb.data, sb.size - 1) == 0,
	    "a value cut short: refused, the stack as it was");
	msgpack_sbuffer_write(&sb, "\xc0", 1);
	UNIT_CHECK(bad(L, sb.data, sb.size) == 0, "bytes after the value");

	msgpack_sbuffer_clear(&sb);
	msgpack_pack_array(&pk, 0);
	UNIT_CHECK(bad(L, sb.data, sb.size) == 0, "an array, not a map");

	msgpack_sbuffer_clear(&sb);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_array(&pk, 0);
	UNIT_CHECK(bad(L, sb.data, sb.size) == 0, "a key that is not a string");

	msgpack_sbuffer_clear(&sb);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str(&pk, 1);
	msgpack_pack_str_body(&pk, "x", 1);
	msgpack_pack_true(&pk);
	UNIT_CHECK(bad(L, sb.data, sb.size) == 0, "a value of another type");

	/* an array that says it has 2^31 entries, and has none */
	msgpack_sbuffer_clear(&sb);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str(&pk, 1);
	msgpack_pack_str_body(&pk, "x", 1);
	msgpack_sbuffer_write(&sb, "\xdd\x80\x00\x00\x00", 5);
	UNIT_CHECK(bad(L, sb.data, sb.size) == 0,
	    "an array of 2^31 entries announced, none there");

	/* nested deeper than anything written: refused, not a crash */
	msgpack_sbuffer_clear(&sb);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str(&pk, 1);
	msgpack_pack_str_body(&pk, "x", 1);
	for (i = 0; i < 100000; i++)
		msgpack_pack_array(&pk, 1);
	msgpack_pack_nil(&pk);
	UNIT_CHECK(bad(L, sb.data, sb.size) == 0, "100 000 nested arrays");

	if ((big = calloc(1, PACK_MAX_BYTES + 1)) != NULL) {
		big[0] = (char)0x80;		/* an empty map, then zeros */
		UNIT_CHECK(bad(L, big, PACK_MAX_BYTES + 1) == 0,
		    "a value past PACK_MAX_BYTES");
		free(big);
	}
	msgpack_sbuffer_destroy(&sb);
}

int
main(void)
{
	lua_State	*L = luaL_newstate();

	if (L == NULL)
		return 1;
	test_build(L);
	test_refused(L);
	lua_close(L);
	return unit_done();
}
