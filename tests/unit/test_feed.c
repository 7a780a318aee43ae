/* test_feed.c: unit tests for feed.c (Atom, sitemap) and tpl_json (the API's JSON). */
/* checks: 28 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <libxml/parser.h>

#include "buf.h"
#include "feed.h"
#include "tpl.h"
#include "unit.h"

/* Is text well-formed XML whose root element is root? */
static int
well_formed(const struct buf *b, const char *root)
{
	xmlDocPtr	 doc;
	int		 ok;

	doc = xmlReadMemory(b->data, (int)b->len, "test.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	ok = doc != NULL && strcmp((const char *)xmlDocGetRootElement(doc)->name,
	    root) == 0;
	xmlFreeDoc(doc);
	return ok;
}

static void
test_atom(void)
{
	struct feed_entry e[2] = {
		{ "https://x.example/cases/a", "<script>&\"标题\"</script>",
		    "https://x.example/cases/a", "摘要 <b>&amp;</b>", "2024-05-14",
		    1715616000 },
		{ "https://x.example/cases/b", "二", "https://x.example/cases/b",
		    "", NULL, 0 },
	};
	struct feed	 f = { "https://x.example/feeds/cases.atom", "标题 & 题",
	    NULL, "某局", "https://x.example/feeds/cases.atom?page=2",
	    "https://x.example/cases/", "https://x.example/feeds/cases.atom",
	    "https://x.example/feeds/cases.atom", NULL,
	    "https://x.example/feeds/cases.atom?page=2", 1715616000, e, 2 };
	struct buf	 b = { 0 };

	UNIT_CHECK(feed_atom(&f, &b) == 0, "feed_atom writes a feed");
	UNIT_CHECK(well_formed(&b, "feed"), "the feed is well-formed XML");
	UNIT_CHECK(strstr(b.data, "<feed xmlns=\"http://www.w3.org/2005/Atom\"") != NULL,
	    "in the Atom namespace");
	UNIT_CHECK(strstr(b.data, "&lt;script&gt;&amp;&quot;标题&quot;&lt;/script&gt;") != NULL,
	    "markup in a title is escaped by the writer");
	UNIT_CHECK(strstr(b.data, "<script") == NULL, "no raw markup");
	UNIT_CHECK(strstr(b.data, "<updated>2024-05-13T16:00:00Z</updated>") != NULL,
	    "updated is RFC 3339 UTC");
	UNIT_CHECK(strstr(b.data, "<published>2024-05-14T00:00:00+08:00</published>")
	    != NULL, "published is the day in China");
	UNIT_CHECK(unit_count(b.data, "<published>") == 1,
	    "published only when known");
	UNIT_CHECK(unit_count(b.data, "<entry>") == 2, "two entries");
	UNIT_CHECK(unit_count(b.data, "rel=\"previous\"") == 1 &&
	    unit_count(b.data, "rel=\"next\"") == 0 &&
	    unit_count(b.data, "rel=\"first\"") == 1 &&
	    unit_count(b.data, "rel=\"last\"") == 1, "RFC 5005 links only when set");
	UNIT_CHECK(unit_count(b.data, "<subtitle>") == 0, "no subtitle when NULL");
	buf_free(&b);
}

/* A sitemap of n addresses. Returns the number of <url> written, or -1. */
static long
sitemap_of(size_t n)
{
	struct feed_url	*u;
	struct buf	 b = { 0 };
	long		 urls = -1;
	size_t		 i;

	if ((u = calloc(n, sizeof(*u))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		u[i].loc = "https://x.example/cases/2023-001";
		u[i].lastmod = i % 2 ? 1715616000 : 0;
	}
	if (feed_sitemap(u, n, &b) == 0 && well_formed(&b, "urlset"))
		urls = unit_count(b.data, "<url>");
	free(u);
	buf_free(&b);
	return urls;
}

static void
test_sitemap(void)
{
	UNIT_CHECK(sitemap_of(3) == 3, "a sitemap lists its addresses");
	UNIT_CHECK(sitemap_of(FEED_SITEMAP_MAX) == FEED_SITEMAP_MAX,
	    "FEED_SITEMAP_MAX addresses fit");
	UNIT_CHECK(sitemap_of(FEED_SITEMAP_MAX + 1) == FEED_SITEMAP_MAX,
	    "past FEED_SITEMAP_MAX the sitemap stops (the protocol's limit)");
}

/* A sitemap index: its files, each with its newest change when known. */
static void
test_sitemap_index(void)
{
	struct feed_url	 maps[2] = {
		{ "https://x.example/sitemap-1.xml", 1715616000 },
		{ "https://x.example/sitemap-2.xml", 0 } };
	struct buf	 b = { 0 };

	UNIT_CHECK(feed_sitemap_index(maps, 2, &b) == 0 &&
	    well_formed(&b, "sitemapindex"), "a sitemap index is well-formed XML");
	UNIT_CHECK(unit_count(b.data,
	    "<sitemap><loc>https://x.example/sitemap-") == 2, "it names each file");
	UNIT_CHECK(unit_count(b.data, "<lastmod>2024-05-13T16:00:00Z</lastmod>")
	    == 1, "with lastmod only when known");
	buf_free(&b);
}

/* Encodes the Lua expression src with tpl_json. */
static void
check_json(struct tpl *t, const char *src, const char *want, const char *what)
{
	lua_State	*L = tpl_state(t);
	const char	*out = NULL;
	size_t		 len;

	lua_settop(L, 0);
	if (luaL_loadstring(L, src) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
		UNIT_CHECK(0, "%s: %s", what, lua_tostring(L, -1));
		return;
	}
	UNIT_CHECK(tpl_json(t, &out, &len) == 0, "%s: encodes", what);
	UNIT_STREQ(out, want, "%s", what);
	tpl_release(t);
}

static void
test_json(void)
{
	struct tpl	*t;
	lua_State	*L;

	if ((t = tpl_open("lua", "lua/templates")) == NULL) {
		UNIT_CHECK(0, "tpl_open");
		return;
	}
	L = tpl_state(t);
	tpl_push_empty_array(L);
	lua_setglobal(L, "EMPTY");
	check_json(t, "return { data = EMPTY }", "{\"data\":[]}",
	    "the empty-array mark is written as []");
	check_json(t, "return { a = { EMPTY, EMPTY } }", "{\"a\":[[],[]]}",
	    "every mark is replaced");
	check_json(t, "return { 1, 2 }", "[1,2]", "an array");
	check_json(t, "return { s = '\\0[]' .. 'x' }", "{\"s\":\"\\u0000[]x\"}",
	    "a string that only starts like the mark stays a string");
	check_json(t, "return { s = '中文' }", "{\"s\":\"中文\"}", "UTF-8 as it is");
	lua_settop(L, 0);
	luaL_loadstring(L, "return { f = function() end }");
	lua_pcall(L, 0, 1, 0);
	{
		const char	*out;
		size_t		 len;

		UNIT_CHECK(tpl_json(t, &out, &len) == -1,
		    "a value JSON cannot hold is an error, not a crash");
	}
	tpl_close(t);
}

int
main(void)
{
	test_atom();
	test_sitemap();
	test_sitemap_index();
	test_json();
	return unit_done();
}
