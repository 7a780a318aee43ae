/*
 * api.c: what other systems read: the JSON API v1 (one envelope, errors as
 * JSON with a machine code), Atom feeds, the sitemap, robots.txt and the bulk
 * exports. JSON is written by lua-cjson (tpl_json), XML by libxml2's writer
 * (feed.c); nothing here pastes strings into either.
 *
 * The envelope: {"data": <object|array>, "meta": {...}}; an error is
 * {"error": {"code": "<machine code>", "message": "<中文>"}}, with "field"
 * naming the query parameter at fault when there is one. docs/api.md
 * describes both; req.c writes both (req_json, req_json_field_error) and
 * has checked the query's parameter names before a handler here runs.
 */
#include <sys/stat.h>

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "api.h"
#include "buf.h"
#include "export.h"
#include "feed.h"
#include "http.h"
#include "log.h"
#include "mem.h"
#include "req.h"
#include "route.h"
#include "search.h"
#include "snap.h"
#include "tool.h"
#include "tpl.h"

/* Most filters a list has (api_list_query handles 0, 2 or 4). */
#define API_MAX_FILTERS	4

static const char	 json_type[] = "application/json; charset=utf-8";
static const char	 atom_type[] = "application/atom+xml; charset=utf-8";
static const char	 xml_type[] = "application/xml; charset=utf-8";
static const char	 text_type[] = "text/plain; charset=utf-8";

/* Sets t.url (the page) and t.api (its API address) for item kind/id. */
static void
api_set_urls(struct req_env *env, lua_State *L, const char *kind,
    const char *id)
{
	const struct route_section *sec = route_section(kind);

	if (sec == NULL)
		return;
	lua_pushfstring(L, "%s%s%s", snap_site_url(env->snap), sec->base, id);
	lua_setfield(L, -2, "url");
	lua_pushfstring(L, "/api/v1/%s/%s", sec->name, id);
	lua_setfield(L, -2, "api");
}

/*
 * Sets url and api on the row on top of the stack, an item of kind, or when
 * kind is NULL of the kind the row names. The row keeps its id and kind
 * alive, so their strings outlive the pops.
 */
static void
api_row_urls(struct req_env *env, lua_State *L, const char *kind)
{
	const char	*id, *k;

	lua_getfield(L, -1, "id");
	lua_getfield(L, -2, "kind");
	id = lua_tostring(L, -2);
	k = kind != NULL ? kind : lua_tostring(L, -1);
	lua_pop(L, 2);
	if (id != NULL && k != NULL)
		api_set_urls(env, L, k, id);
}

/*
 * Adds url and api to each row of the array on top of the stack: items of
 * kind, or when kind is NULL of the kind each row names.
 */
static void
api_rows_urls(struct req_env *env, lua_State *L, const char *kind)
{
	lua_Integer	 i, n = (lua_Integer)lua_rawlen(L, -1);

	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		api_row_urls(env, L, kind);
		lua_pop(L, 1);
	}
}

/* Replaces an empty array on top of the stack by the empty-array mark. */
static void
api_array(lua_State *L)
{
	if (lua_rawlen(L, -1) == 0) {
		lua_pop(L, 1);
		tpl_push_empty_array(L);
	}
}

/* ---- lists ----------------------------------------------------------- */

/* A list filter: its parameter, its format, and the code list it names. */
struct api_filter {
	const char	*name;
	int		(*valid)(const char *);
	int		 known;		/* 1: must be a code of q */
	enum snap_q	 q;
};

struct api_list {
	const char		*path;		/* /api/v1/cases */
	const char		*kind;		/* case */
	const struct api_filter	*f;
	int			 nf;		/* 0, 2 or 4: API_MAX_FILTERS at most */
	enum snap_list		 list;
	enum snap_q		 rows;		/* one row by id */
};

static const struct api_filter api_case_filters[] = {
	{ "domain", route_valid_id, 1, SNAP_Q_DOMAIN_NAME },
	{ "town", route_valid_id, 1, SNAP_Q_TOWN_NAME },
	{ "year", req_valid_year, 0, SNAP_Q__MAX },
	{ "procedure", req_valid_procedure, 0, SNAP_Q__MAX },
};
static const struct api_filter api_material_filters[] = {
	{ "kind", req_valid_kind, 0, SNAP_Q__MAX },
	{ "topic", route_valid_id, 1, SNAP_Q_TOPIC_NAME },
};
static const struct api_list api_lists[] = {
	{ "/api/v1/cases", "case", api_case_filters, 4, SNAP_LIST_CASE,
	    SNAP_Q_CASE_ROW },
	{ "/api/v1/pufa", "material", api_material_filters, 2,
	    SNAP_LIST_MATERIAL, SNAP_Q_MATERIAL_ROW },
	{ "/api/v1/credit", "guide", NULL, 0, SNAP_LIST_GUIDE,
	    SNAP_Q_GUIDE_ROW },
};

/*
 * Reads list l's filters into v (NULL when absent or empty). Returns 0, or
 * -1 after answering 400: bad_filter for a malformed value,
 * unknown_filter_value for a code the site does not list.
 */
static int
api_read_filters(struct req_env *env, const struct api_list *l,
    const char **v, struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);
	int		 i, n;

	for (i = 0; i < l->nf; i++) {
		v[i] = http_param(env->req, l->f[i].name);
		if (v[i] != NULL && v[i][0] == '\0')
			v[i] = NULL;
		if (v[i] == NULL)
			continue;
		if (!l->f[i].valid(v[i])) {
			req_json_field_error(env, 400, "bad_filter", "筛选条件的格式不正确。",
			    l->f[i].name, out);
			return -1;
		}
		if (l->f[i].known) {
			n = snap_rows(env->snap, L, l->f[i].q, "s", v[i]);
			lua_pop(L, 1);
			if (n < 1) {
				req_json_field_error(env, 400, "unknown_filter_value",
				    "筛选条件中有本站没有的代码。", l->f[i].name, out);
				return -1;
			}
		}
	}
	return 0;
}

/*
 * Pushes l's count (rows == 0, as a one-row array like a count query's) or
 * the rows of its page, with the filters in v.
 */
static int
api_list_query(struct req_env *env, const struct api_list *l,
    const char **v, int rows, long limit, long offset)
{
	lua_State	*L = tpl_state(env->tpl);
	const char	*f[SNAP_LIST_FILTERS] = { NULL, NULL, NULL, NULL };
	int64_t		 stamp;
	int		 i;

	for (i = 0; i < l->nf; i++)
		f[i] = v[i];
	if (rows)
		return snap_list_page(env->snap, L, l->list, f, l->rows, offset,
		    limit);
	lua_createtable(L, 1, 0);
	lua_createtable(L, 0, 1);
	lua_pushinteger(L, snap_list_count(env->snap, l->list, f, &stamp));
	lua_setfield(L, -2, "n");
	lua_rawseti(L, -2, 1);
	return 1;
}

/*
 * Pushes the address of page of list l with filters v. Filter values have
 * passed their format check ([a-z0-9-] only), so they need no escaping.
 */
static void
api_list_link(lua_State *L, const struct api_list *l, const char **v,
    long page, long per)
{
	luaL_Buffer	 b;
	char		 num[32];
	int		 i;
	char		 sep = '?';

	luaL_buffinit(L, &b);
	luaL_addstring(&b, l->path);
	for (i = 0; i < l->nf; i++) {
		if (v[i] == NULL)
			continue;
		luaL_addchar(&b, sep);
		luaL_addstring(&b, l->f[i].name);
		luaL_addchar(&b, '=');
		luaL_addstring(&b, v[i]);
		sep = '&';
	}
	if (page > 1) {
		snprintf(num, sizeof(num), "%cpage=%ld", sep, page);
		luaL_addstring(&b, num);
		sep = '&';
	}
	if (per != REQ_PER_PAGE) {
		snprintf(num, sizeof(num), "%cper_page=%ld", sep, per);
		luaL_addstring(&b, num);
	}
	luaL_pushresult(&b);
}

/* Sets meta (paging, filters) and links on the envelope on top of the stack. */
static void
api_list_meta(lua_State *L, const struct api_list *l, const char **v,
    long page, long per, long total, long pages)
{
	int	 i;

	lua_createtable(L, 0, 5);
	req_setint(L, "page", page);
	req_setint(L, "per_page", per);
	req_setint(L, "total", total);
	req_setint(L, "pages", pages);
	lua_createtable(L, 0, l->nf);
	for (i = 0; i < l->nf; i++)
		if (v[i] != NULL)
			req_setstr(L, l->f[i].name, v[i]);
	lua_setfield(L, -2, "filters");
	lua_setfield(L, -2, "meta");
	lua_createtable(L, 0, 3);
	api_list_link(L, l, v, page, per);
	lua_setfield(L, -2, "self");
	if (page < pages) {
		api_list_link(L, l, v, page + 1, per);
		lua_setfield(L, -2, "next");
	}
	if (page > 1) {
		api_list_link(L, l, v, page - 1, per);
		lua_setfield(L, -2, "prev");
	}
	lua_setfield(L, -2, "links");
}

/* A list: the same filters and paging as its page, plus ?per_page=. */
static void
api_list(struct req_env *env, const struct api_list *l, struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);
	const char	*v[4] = { NULL, NULL, NULL, NULL };
	long		 page, per, total, pages;

	if (api_read_filters(env, l, v, out) == -1)
		return;
	if ((page = req_number(env->req, "page", 1, REQ_MAX_PAGE)) == 0) {
		req_json_field_error(env, 400, "bad_page", "页码应为 1 到 10000 之间的整数。",
		    "page", out);
		return;
	}
	if ((per = req_number(env->req, "per_page", REQ_PER_PAGE,
	    API_MAX_PER_PAGE)) == 0) {
		req_json_field_error(env, 400, "bad_per_page", "每页条数应为 1 到 50 之间的"
		    "整数。", "per_page", out);
		return;
	}
	api_list_query(env, l, v, 0, 0, 0);
	total = req_pop_count(L);
	pages = (total + per - 1) / per;
	if (page > 1 && page > pages) {
		req_json_field_error(env, 404, "page_not_found", "没有这一页。", "page", out);
		return;
	}
	lua_createtable(L, 0, 3);
	api_list_query(env, l, v, 1, per, (page - 1) * per);
	api_rows_urls(env, L, l->kind);
	api_array(L);
	lua_setfield(L, -2, "data");
	api_list_meta(L, l, v, page, per, total, pages);
	req_json(env, 200, out);
}

/* ---- search ---------------------------------------------------------- */

/* Removes field name from each row of the array on top of the stack. */
static void
api_rows_drop(lua_State *L, const char *name)
{
	lua_Integer	 i, n = (lua_Integer)lua_rawlen(L, -1);

	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		lua_pushnil(L);
		lua_setfield(L, -2, name);
		lua_pop(L, 1);
	}
}

/*
 * Moves the search's fields (search_run) from the table on top into the
 * envelope below it: results become data, the rest meta. Pops the table.
 */
static void
api_search_envelope(struct req_env *env, lua_State *L)
{
	static const char *const meta[] = { "q", "section", "domain", "year",
	    "page", "pages", "per_page", "total", "capped", "counts", "exact",
	    "town", "partial", "corrected", "suggestion", "expanded", "law", NULL };
	int	 i;

	lua_getfield(L, -1, "results");
	api_rows_urls(env, L, NULL);
	api_rows_drop(L, "docid");	/* the index's own number */
	api_array(L);
	lua_setfield(L, -3, "data");
	lua_createtable(L, 0, 17);
	for (i = 0; meta[i] != NULL; i++) {
		lua_getfield(L, -2, meta[i]);
		if (strcmp(meta[i], "expanded") == 0 && lua_istable(L, -1))
			api_array(L);
		lua_setfield(L, -2, meta[i]);
	}
	lua_setfield(L, -3, "meta");
	lua_pop(L, 1);
}

/*
 * /api/v1/search: the page's search (search.c) as JSON, the same results
 * in the same order. An item's id or decision number is not a redirect
 * here: meta.exact names the item, and the results hold it too.
 */
void
api_search(struct req_env *env, struct req_out *out)
{
	char		 url[ROUTE_MAX_ID + 32];
	lua_State	*L = tpl_state(env->tpl);
	struct search	 s;
	int		 rc;

	if (search_read(env, &s) == -1) {
		req_json_field_error(env, 400, s.code, s.message, s.field, out);
		return;
	}
	if (s.q[0] == '\0') {
		req_json_field_error(env, 400, "missing_query", "请提供要搜索的文字（q）。",
		    "q", out);
		return;
	}
	lua_createtable(L, 0, 3);
	lua_createtable(L, 0, 16);
	req_setstr(L, "q", s.q);
	if (s.section != NULL)
		req_setstr(L, "section", s.section);
	if (s.domain != NULL)
		req_setstr(L, "domain", s.domain);
	if (s.year != NULL)
		req_setstr(L, "year", s.year);
	if (s.town != NULL)
		req_setstr(L, "town", s.town);
	if (search_exact(env, &s, url, sizeof(url))) {
		lua_pushfstring(L, "%s%s", snap_site_url(env->snap), url);
		lua_setfield(L, -2, "exact");
	}
	if ((rc = search_run(env, L, &s)) == 1)
		req_json_field_error(env, 400, "empty_query", "请输入要查找的文字或数字，"
		    "标点符号和空格不能单独搜索。", "q", out);
	else if (rc == 2)
		req_json_field_error(env, 404, "page_not_found", "没有这一页。", "page", out);
	else if (rc == -1)
		req_json_error(env, 500, "internal_error", "服务器暂时无法处理请求。", out);
	else {
		api_search_envelope(env, L);
		req_json(env, 200, out);
	}
}

/* ---- items ----------------------------------------------------------- */

/* Turns keywords [{word = w}] on top of the stack into [w]. */
static void
api_flatten_keywords(lua_State *L)
{
	lua_Integer	 i, n = (lua_Integer)lua_rawlen(L, -1);

	lua_createtable(L, (int)n, 0);
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, -2, i);
		lua_getfield(L, -1, "word");
		lua_rawseti(L, -3, i);
		lua_pop(L, 1);
	}
	lua_remove(L, -2);
}

/*
 * Pushes item id of section sec as the API shows it: its row, its parts
 * (sections, basis, keywords, steps, documents, faqs; [] when it has none)
 * and its related items, each with url and api. Returns 0, or -1 with
 * nothing pushed when no such visible item exists.
 */
static int
api_push_item(struct req_env *env, const struct route_section *sec,
    const char *id)
{
	static const char *const lists[] = { "sections", "basis", "keywords",
	    "steps", "documents", "faqs", NULL };
	lua_State	*L = tpl_state(env->tpl);
	int		 i;

	if (snap_rows(env->snap, L, sec->item, "s", id) < 1) {
		lua_pop(L, 1);
		return -1;
	}
	lua_rawgeti(L, -1, 1);
	lua_remove(L, -2);
	lua_pushnil(L);
	lua_setfield(L, -2, "status");		/* visible means published */
	lua_pushnil(L);
	lua_setfield(L, -2, "publish_at");
	api_set_urls(env, L, sec->kind, id);
	snap_parts(env->snap, L, id, 0, NULL);
	for (i = 0; lists[i] != NULL; i++) {
		lua_getfield(L, -1, lists[i]);
		if (strcmp(lists[i], "keywords") == 0)
			api_flatten_keywords(L);
		api_array(L);
		lua_setfield(L, -2, lists[i]);
	}
	snap_rows(env->snap, L, SNAP_Q_RELATED, "s", id);
	api_rows_urls(env, L, NULL);
	api_array(L);
	lua_setfield(L, -2, "related");
	return 0;
}

static void
api_item(struct req_env *env, const char *section, const char *id,
    struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, 2);
	if (api_push_item(env, route_section(section), id) == -1) {
		req_json_error(env, 404, "not_found", "没有找到这一内容，它可能尚未发布或已被移除。", out);
		return;
	}
	lua_setfield(L, -2, "data");
	lua_createtable(L, 0, 0);
	lua_setfield(L, -2, "meta");
	req_json(env, 200, out);
}

/* ---- laws ------------------------------------------------------------ */

/* Turns field name of the row on top of the stack from 0/1 into a boolean. */
static void
api_boolean(lua_State *L, const char *name)
{
	lua_getfield(L, -1, name);
	lua_pushboolean(L, lua_tointeger(L, -1) != 0);
	lua_setfield(L, -3, name);
	lua_pop(L, 1);
}

/*
 * Sets cited_by on each article of the array on top of the stack: the rows
 * of the citers array at index citers whose n is the article's.
 */
static void
api_law_citers(struct req_env *env, lua_State *L, int citers)
{
	lua_Integer	 i, j, k, n = (lua_Integer)lua_rawlen(L, -1);
	lua_Integer	 m = (lua_Integer)lua_rawlen(L, citers);
	int		 same;

	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		api_boolean(L, "verified");
		lua_newtable(L);
		for (j = 1, k = 0; j <= m; j++) {
			lua_rawgeti(L, citers, j);
			lua_getfield(L, -1, "n");
			lua_getfield(L, -4, "n");
			same = lua_rawequal(L, -1, -2);
			lua_pop(L, 2);
			if (same) {
				api_row_urls(env, L, NULL);
				lua_pushnil(L);
				lua_setfield(L, -2, "n");
				lua_rawseti(L, -2, ++k);
			} else
				lua_pop(L, 1);
		}
		api_array(L);
		lua_setfield(L, -2, "cited_by");
		lua_pop(L, 1);
	}
}

/*
 * Pushes law id in full: its facts, url and api, its history (changes)
 * and the articles the site cites, each with its text (html and plain;
 * null when unverified, with a summary) and the visible items citing it.
 * Returns 0, or -1 with nothing pushed when there is no such law.
 */
static int
api_push_law(struct req_env *env, const char *id, int most)
{
	lua_State	*L = tpl_state(env->tpl);
	int		 citers;

	if (snap_rows(env->snap, L, SNAP_Q_LAW, "s", id) < 1) {
		lua_pop(L, 1);
		return -1;
	}
	lua_rawgeti(L, -1, 1);
	lua_remove(L, -2);
	api_set_urls(env, L, "law", id);
	snap_rows(env->snap, L, SNAP_Q_LAW_CHANGES, "s", id);
	api_array(L);
	lua_setfield(L, -2, "changes");
	snap_law_citers(env->snap, L, id, most);
	citers = lua_gettop(L);
	snap_law_articles(env->snap, L, id);
	api_law_citers(env, L, citers);
	api_array(L);
	lua_setfield(L, -3, "articles");
	lua_pop(L, 1);
	return 0;
}

/* /api/v1/laws: every law the site cites, by kind and title, with counts. */
void
api_laws(struct req_env *env, struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);
	lua_Integer	 n;

	lua_createtable(L, 0, 2);
	snap_laws(env->snap, L);
	n = (lua_Integer)lua_rawlen(L, -1);
	api_rows_urls(env, L, "law");
	api_array(L);
	lua_setfield(L, -2, "data");
	lua_createtable(L, 0, 1);
	req_setint(L, "total", n);
	lua_setfield(L, -2, "meta");
	req_json(env, 200, out);
}

/* /api/v1/laws/<id>: one law (api_push_law); 404 when there is none. */
static void
api_law(struct req_env *env, const char *id, struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, 2);
	if (api_push_law(env, id, SNAP_LAW_CITERS) == -1) {
		req_json_error(env, 404, "not_found", "没有找到这部法律法规。", out);
		return;
	}
	lua_setfield(L, -2, "data");
	lua_createtable(L, 0, 0);
	lua_setfield(L, -2, "meta");
	req_json(env, 200, out);
}

/* ---- feeds ----------------------------------------------------------- */

/* Pushes site.xml's value for key ("" when missing); returns it. */
static const char *
api_site(struct req_env *env, const char *key)
{
	lua_State	*L = tpl_state(env->tpl);

	snap_rows(env->snap, L, SNAP_Q_SITE_VALUE, "s", key);
	lua_rawgeti(L, -1, 1);
	if (lua_istable(L, -1))
		lua_getfield(L, -1, "value");
	else
		lua_pushliteral(L, "");
	lua_replace(L, -3);
	lua_pop(L, 1);
	return lua_tostring(L, -1);
}

/* Pushes the absolute address of a feed's page (page 1 has no ?page=). */
static const char *
api_feed_url(struct req_env *env, const char *path, long page)
{
	lua_State	*L = tpl_state(env->tpl);

	if (page <= 1)
		return lua_pushfstring(L, "%s%s", snap_site_url(env->snap), path);
	return lua_pushfstring(L, "%s%s?page=%d", snap_site_url(env->snap), path,
	    (int)page);
}

/* Fills entries from the rows on top of the stack; their strings stay there. */
static size_t
api_feed_entries(struct req_env *env, struct feed_entry *e, size_t max)
{
	lua_State	*L = tpl_state(env->tpl);
	size_t		 i, n = lua_rawlen(L, -1);

	for (i = 0; i < n && i < max; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		api_row_urls(env, L, NULL);
		lua_getfield(L, -1, "url");
		e[i].id = e[i].link = lua_tostring(L, -1);
		lua_pop(L, 1);
		lua_getfield(L, -1, "title");
		e[i].title = lua_tostring(L, -1);
		lua_getfield(L, -2, "summary");
		e[i].summary = lua_tostring(L, -1);
		lua_getfield(L, -3, "published");
		e[i].published = lua_tostring(L, -1);
		lua_getfield(L, -4, "stamp");
		e[i].updated = (int64_t)lua_tointeger(L, -1);
		lua_pop(L, 5);		/* the row table holds the strings */
	}
	return i;
}

/*
 * Counts the visible items of a feed (kind and domain each NULL for any).
 * Returns the count; *updated is the latest entry's updated, or the
 * snapshot's build when the feed is empty.
 */
static long
api_feed_count(struct req_env *env, enum snap_list list, const char **f,
    int64_t *updated)
{
	long		 total;

	total = snap_list_count(env->snap, list, f, updated);
	if (total == 0)
		*updated = snap_built_at(env->snap);
	return total;
}

/*
 * Names feed f: author, subtitle, title (with the domain's name dname when
 * it is a domain's feed), id and the HTML page it follows.
 */
static void
api_feed_names(struct req_env *env, struct feed *f,
    const struct route_section *sec, const char *domain, const char *dname,
    const char *path)
{
	lua_State	*L = tpl_state(env->tpl);
	const char	*site = api_site(env, "name"), *page;

	f->author = api_site(env, "organiser");
	f->subtitle = api_site(env, "description");
	if (dname != NULL)
		f->title = lua_pushfstring(L, "%s · 典型案例 · %s", site, dname);
	else
		f->title = lua_pushfstring(L, "%s · %s", site,
		    sec != NULL ? sec->title : "最新发布");
	f->id = api_feed_url(env, path, 1);
	if (sec == NULL)
		page = "";
	else if (domain != NULL)
		page = lua_pushfstring(L, "cases/?domain=%s", domain);
	else
		page = lua_pushfstring(L, "%s/", sec->name);
	f->alternate = lua_pushfstring(L, "%s/%s", snap_site_url(env->snap), page);
}

/* This page's address and the RFC 5005 links to the others. */
static void
api_feed_paging(struct req_env *env, struct feed *f, const char *path,
    long page, long pages)
{
	f->self = api_feed_url(env, path, page);
	if (pages <= 1)
		return;
	f->first = f->id;
	f->last = api_feed_url(env, path, pages);
	if (page > 1)
		f->previous = api_feed_url(env, path, page - 1);
	if (page < pages)
		f->next = api_feed_url(env, path, page + 1);
}

/*
 * /feeds/<name>.atom and /feeds/cases/<domain>.atom: the newest items first,
 * FEED_PER_PAGE a page, with RFC 5005 links to the others. An unknown domain
 * or a page past the last is 404.
 */
static void
api_feed(struct req_env *env, const char *name, const char *domain,
    struct req_out *out)
{
	struct feed_entry entries[FEED_PER_PAGE];
	lua_State	*L = tpl_state(env->tpl);
	const struct route_section *sec = route_section(name);
	const char	*kind = sec ? sec->kind : NULL, *dname = NULL, *path;
	const char	*lf[SNAP_LIST_FILTERS] = { NULL, NULL, NULL, NULL };
	enum snap_list	 list;
	struct feed	 f;
	long		 page, pages;

	memset(&f, 0, sizeof(f));
	if ((page = req_number(env->req, "page", 1, REQ_MAX_PAGE)) == 0) {
		req_page_error(env, 400, "页码应为 1 到 10000 之间的整数。", out);
		return;
	}
	if (domain != NULL) {
		if (snap_rows(env->snap, L, SNAP_Q_DOMAIN_NAME, "s", domain) < 1) {
			req_not_found(env, out);
			return;
		}
		lua_rawgeti(L, -1, 1);
		lua_getfield(L, -1, "name");
		dname = lua_tostring(L, -1);	/* the row keeps it */
		path = lua_pushfstring(L, "/feeds/cases/%s.atom", domain);
	} else
		path = lua_pushfstring(L, "/feeds/%s.atom", name);
	/* A domain's cases are the case list's; the rest, all items by kind. */
	list = kind != NULL && strcmp(kind, "case") == 0 ? SNAP_LIST_CASE :
	    SNAP_LIST_ALL;
	lf[0] = list == SNAP_LIST_CASE ? domain : kind;
	pages = (api_feed_count(env, list, lf, &f.updated) + FEED_PER_PAGE - 1) /
	    FEED_PER_PAGE;
	if (page > 1 && page > pages) {
		req_not_found(env, out);
		return;
	}
	api_feed_names(env, &f, sec, domain, dname, path);
	api_feed_paging(env, &f, path, page, pages);
	snap_list_page(env->snap, L, list, lf, SNAP_Q_FEED_ROW,
	    (page - 1) * FEED_PER_PAGE, FEED_PER_PAGE);
	f.entries = entries;
	f.n = api_feed_entries(env, entries, FEED_PER_PAGE);
	if (feed_atom(&f, &out->text) == -1) {
		req_server_error(env, out);
		return;
	}
	req_text(out, atom_type);
}

/* ---- sitemap, robots.txt ---------------------------------------------- */

/* The site's own pages, listed in the sitemap before the items. */
static const char *const api_fixed_pages[] = { "/", "/cases/", "/pufa/",
    "/credit/", "/laws/", "/about" };
#define API_FIXED_PAGES	(sizeof(api_fixed_pages) / sizeof(api_fixed_pages[0]))

/* Writes len bytes of data to path. Returns 0, or -1 (logged). */
static int
api_write_file(const char *path, const char *data, size_t len)
{
	FILE	*f;
	int	 rc;

	if ((f = fopen(path, "w")) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	rc = fwrite(data, 1, len, f) == len ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == -1)
		log_warn("%s", path);
	return rc;
}

/*
 * Writes sitemap file number file (from 1) into dir: the addresses from
 * first on, at most per_file of them, of the site's own pages and the rows
 * (visible items and laws) in the array at index 1. Sets *map to the file's
 * address and newest change. Returns 0, or -1.
 */
static int
api_sitemap_file(struct req_env *env, const char *dir, size_t file,
    size_t first, size_t total, size_t per_file, struct feed_url *urls,
    struct feed_url *map, struct buf *b)
{
	lua_State	*L = tpl_state(env->tpl);
	char		 path[4400];
	size_t		 i, n;
	int		 top = lua_gettop(L), rc;

	map->lastmod = 0;
	for (n = 0, i = first; i < total && n < per_file; i++, n++) {
		memset(&urls[n], 0, sizeof(urls[n]));
		if (i < API_FIXED_PAGES) {
			urls[n].loc = lua_pushfstring(L, "%s%s",
			    snap_site_url(env->snap), api_fixed_pages[i]);
			continue;
		}
		lua_rawgeti(L, 1, (lua_Integer)(i - API_FIXED_PAGES) + 1);
		api_row_urls(env, L, NULL);
		lua_getfield(L, -1, "url");
		urls[n].loc = lua_tostring(L, -1);
		lua_getfield(L, -2, "stamp");
		urls[n].lastmod = lua_tointeger(L, -1);
		lua_pop(L, 3);		/* the row keeps url alive */
		if (urls[n].lastmod > map->lastmod)
			map->lastmod = urls[n].lastmod;
	}
	buf_reset(b);
	rc = feed_sitemap(urls, n, b);
	lua_settop(L, top);
	map->loc = lua_pushfstring(L, "%s/sitemap-%d.xml", snap_site_url(env->snap),
	    (int)file);
	if (rc == -1 || snprintf(path, sizeof(path), "%s/sitemap-%d.xml", dir,
	    (int)file) >= (int)sizeof(path))
		return -1;
	return api_write_file(path, b->data, b->len);
}

/*
 * Writes the sitemap into dir: sitemap-1.xml, sitemap-2.xml ... of at most
 * per_file addresses each (the site's pages, every visible item and every
 * law), and sitemap.xml, their index. Returns 0, or -1.
 */
static int
api_sitemap_write(struct req_env *env, const char *dir, size_t per_file)
{
	lua_State	*L = tpl_state(env->tpl);
	struct feed_url	*urls = NULL, *maps = NULL;
	struct buf	 b = { 0 };
	char		 path[4400];
	size_t		 total, files, f;
	int		 rc = -1;

	lua_settop(L, 0);
	snap_rows(env->snap, L, SNAP_Q_SITEMAP, "ii",
	    (int64_t)(per_file * FEED_SITEMAP_MAX - API_FIXED_PAGES),
	    snap_built_at(env->snap));
	total = lua_rawlen(L, 1) + API_FIXED_PAGES;
	files = (total + per_file - 1) / per_file;
	if (!lua_checkstack(L, (int)files + REQ_STACK) ||
	    (urls = mem_calloc(per_file, sizeof(*urls))) == NULL ||
	    (maps = mem_calloc(files, sizeof(*maps))) == NULL)
		goto done;
	for (f = 0; f < files; f++)
		if (api_sitemap_file(env, dir, f + 1, f * per_file, total,
		    per_file, urls, &maps[f], &b) == -1)
			goto done;
	buf_reset(&b);
	if (feed_sitemap_index(maps, files, &b) == -1 ||
	    snprintf(path, sizeof(path), "%s/sitemap.xml", dir) >=
	    (int)sizeof(path))
		goto done;
	rc = api_write_file(path, b.data, b.len);
done:
	buf_free(&b);
	mem_free(urls);
	mem_free(maps);
	lua_settop(L, 0);
	return rc;
}

/*
 * Answers with file of the export set of the request's snapshot and moment
 * (export.c), which nginx sends from disk (X-Accel-Redirect): the worker
 * only looks. While the master's writer has not written that set yet, 503;
 * a set without the file, 404. Nothing without --export, nor in preview.
 */
static void
api_accel(struct req_env *env, const char *file, const char *type,
    struct req_out *out)
{
	static const char busy[] = "站点地图和导出文件正在生成，请稍后再试。\n";
	char		 set[EXPORT_SET_NAME], path[4400];

	if (env->export_dir == NULL || env->preview) {
		req_not_found(env, out);
		return;
	}
	if (export_set_name(env->snap, set, sizeof(set)) == -1 ||
	    snprintf(path, sizeof(path), "%s/%s", env->export_dir, set) >=
	    (int)sizeof(path) - 64) {
		req_server_error(env, out);
		return;
	}
	if (access(path, F_OK) == -1) {
		out->status = 503;
		out->type = text_type;
		out->body = busy;
		out->len = sizeof(busy) - 1;
		return;
	}
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "/%s", file);
	if (access(path, R_OK) == -1) {
		req_not_found(env, out);
		return;
	}
	snprintf(out->accel_buf, sizeof(out->accel_buf), "/_export/%s/%s", set,
	    file);
	out->status = 200;
	out->type = type;
	out->accel = out->accel_buf;
}

/* /sitemap.xml, the index, and /sitemap-N.xml (part "N"), from disk. */
void
api_sitemap(struct req_env *env, struct req_out *out)
{
	const char	*part = env->route->id;
	char		 file[ROUTE_MAX_ID + 16];

	if (part[0] == '\0')
		snprintf(file, sizeof(file), "sitemap.xml");
	else
		snprintf(file, sizeof(file), "sitemap-%s.xml", part);
	api_accel(env, file, xml_type, out);
}

/* /robots.txt: everything public may be indexed; preview nothing. */
void
api_robots(struct req_env *env, struct req_out *out)
{
	if (env->preview)
		buf_puts(&out->text, "User-agent: *\nDisallow: /\n");
	else
		buf_printf(&out->text, "User-agent: *\nDisallow: /api/\n"
		    "Disallow: /export/\nDisallow: /mode\nDisallow: /search\n\n"
		    "Sitemap: %s/sitemap.xml\n", snap_site_url(env->snap));
	req_text(out, text_type);
}

/* ---- bulk exports ----------------------------------------------------- */

/*
 * Writes the export of section sec -- every visible item in full, newest
 * first, in the API's envelope -- to path, in a set's folder that is not
 * yet in place (export.c). Items are encoded one at a time, so memory stays
 * bounded however large the section. Returns 0, or -1 (logged).
 */
static int
api_export_write(struct req_env *env, const struct route_section *sec,
    const char *path)
{
	lua_State	*L = tpl_state(env->tpl);
	struct buf	 b = { 0 };
	lua_Integer	 i, n;
	FILE		*f;
	int		 rc = -1, written = 0;

	if ((f = fopen(path, "w")) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	if (strcmp(sec->kind, "law") == 0)
		snap_rows(env->snap, L, SNAP_Q_LAW_IDS, "");
	else
		snap_rows(env->snap, L, SNAP_Q_EXPORT_IDS, "s", sec->kind);
	n = (lua_Integer)lua_rawlen(L, -1);
	/* The envelope's brackets around items that cjson encodes one by one. */
	buf_puts(&b, "{\"data\":[");
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		lua_getfield(L, -1, "id");
		if ((strcmp(sec->kind, "law") == 0 ? api_push_law(env,
		    lua_tostring(L, -1), INT_MAX) : api_push_item(env, sec,
		    lua_tostring(L, -1))) == 0) {
			if (written++ > 0)
				buf_puts(&b, ",");
			if (tpl_json_append(env->tpl, &b) == -1)
				goto done;
		}
		lua_pop(L, 2);
		if (fwrite(b.data, 1, b.len, f) != b.len)
			goto done;
		buf_reset(&b);
		lua_gc(L, LUA_GCSTEP, 0);
	}
	buf_puts(&b, "],\"meta\":");
	lua_createtable(L, 0, 4);
	req_setstr(L, "section", sec->name);
	req_setstr(L, "snapshot", snap_id(env->snap));
	req_setint(L, "total", n);
	req_setstr(L, "site", snap_site_url(env->snap));
	if (tpl_json_append(env->tpl, &b) == -1)
		goto done;
	buf_puts(&b, "}\n");
	/* Kept for the snapshot's life: never from a failed read. */
	if (fwrite(b.data, 1, b.len, f) == b.len && fflush(f) == 0 &&
	    !snap_failed(env->snap))
		rc = 0;
done:
	if (fclose(f) != 0)
		rc = -1;
	if (rc == -1)
		log_warnx("export %s: not written", path);
	buf_free(&b);
	lua_settop(L, 0);
	return rc;
}

/*
 * Writes the export set of env's snapshot and clock into dir: one file per
 * section and the sitemap (per_file addresses a file). Run by the master's
 * writer (export.c), never by a worker. Returns 0, or -1 when a file could
 * not be written or a read failed.
 */
int
api_write_exports(struct req_env *env, const char *dir, size_t per_file)
{
	char	 path[4400];
	size_t	 i;

	if (!lua_checkstack(tpl_state(env->tpl), REQ_STACK))
		return -1;
	for (i = 0; i < ROUTE_NSECTIONS; i++)
		if ((route_sections[i].flags & ROUTE_SEC_EXPORT) &&
		    (snprintf(path, sizeof(path), "%s/%s.json", dir,
		    route_sections[i].name) >= (int)sizeof(path) ||
		    api_export_write(env, &route_sections[i], path) == -1))
			return -1;
	if (api_sitemap_write(env, dir, per_file) == -1)
		return -1;
	return snap_failed(env->snap) ? -1 : 0;
}

/* /export/<section>.json: the whole public section as one file, from disk. */
static void
api_export(struct req_env *env, const char *name, struct req_out *out)
{
	const struct route_section *sec = route_section(name);
	char		 file[ROUTE_MAX_ID + 16];

	if (sec == NULL) {
		req_not_found(env, out);
		return;
	}
	snprintf(file, sizeof(file), "%s.json", sec->name);
	api_accel(env, file, json_type, out);
}

/* ---- the credit tools ------------------------------------------------- */

/*
 * /api/v1/credit/check: the calculator (tool.c), its answer in the
 * envelope; the first problem of the form as the error.
 */
void
api_credit_check(struct req_env *env, struct req_out *out)
{
	struct tool_check	 t;
	lua_State		*L = tpl_state(env->tpl);

	tool_check_input(env, &t);
	if (tool_check(env, &t) > 0) {
		req_json_field_error(env, 400, t.p[0].code, t.p[0].message,
		    t.p[0].field, out);
		return;
	}
	lua_createtable(L, 0, 2);
	tool_push_answer(env, &t.c, &t.a, 1);
	lua_setfield(L, -2, "data");
	lua_createtable(L, 0, 1);
	req_setstr(L, "today", env->today);
	lua_setfield(L, -2, "meta");
	req_json(env, 200, out);
}

/*
 * /api/v1/credit/lookup?q=: the look-up (tool.c). data is the records,
 * meta the query, how it was read, today and any warning about the code.
 */
void
api_credit_lookup(struct req_env *env, struct req_out *out)
{
	lua_State		*L = tpl_state(env->tpl);
	struct tool_lookup	 t;

	lua_createtable(L, 0, 2);
	if (tool_lookup(env, &t) == -1) {
		req_json_field_error(env, 400, t.code, t.problem, "q", out);
		return;
	}
	if (t.n < 1) {
		req_json_field_error(env, 404, "not_found", "没有找到与输入完全一致的"
		    "处罚决定书文号或统一社会信用代码。", "q", out);
		return;
	}
	lua_setfield(L, -2, "data");
	lua_createtable(L, 0, 4);
	req_setstr(L, "q", t.q);
	req_setstr(L, "by", t.is_code ? "credit_code" : "decision_number");
	req_setstr(L, "today", env->today);
	if (t.warning[0] != '\0')
		req_setstr(L, "warning", t.warning);
	lua_setfield(L, -2, "meta");
	req_json(env, 200, out);
}

/* ---- the routes' handlers (req.c) ------------------------------------- */

/* /api/v1/<section>: the list of the route's section. */
void
api_serve_list(struct req_env *env, struct req_out *out)
{
	size_t	 i;

	for (i = 0; i < sizeof(api_lists) / sizeof(api_lists[0]); i++)
		if (strcmp(api_lists[i].kind, env->route->section->kind) == 0) {
			api_list(env, &api_lists[i], out);
			return;
		}
	req_server_error(env, out);
}

/* /api/v1/<section>/<id>: one item of the route's section. */
void
api_serve_item(struct req_env *env, struct req_out *out)
{
	api_item(env, env->route->section->name, env->route->id, out);
}

/* /api/v1/laws/<id>. */
void
api_serve_law(struct req_env *env, struct req_out *out)
{
	api_law(env, env->route->id, out);
}

/* /feeds/<name>.atom and /feeds/cases/<domain>.atom. */
void
api_serve_feed(struct req_env *env, struct req_out *out)
{
	if (env->route->kind == ROUTE_FEED_DOMAIN)
		api_feed(env, "cases", env->route->id, out);
	else
		api_feed(env, env->route->id, NULL, out);
}

/* /export/<section>.json. */
void
api_serve_export(struct req_env *env, struct req_out *out)
{
	api_export(env, env->route->id, out);
}
