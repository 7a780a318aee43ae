/*
 * page.c: the pages. Each handler checks its query parameters, gathers what
 * its template needs from the snapshot into one Lua table (the page's ctx)
 * and names the template. page_render adds what every page needs: the
 * display mode and the current path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "api.h"
#include "buf.h"
#include "credit.h"
#include "fts.h"
#include "http.h"
#include "ics.h"
#include "log.h"
#include "page.h"
#include "route.h"
#include "search.h"
#include "snap.h"
#include "tpl.h"

/* Fields a page's ctx table is made with room for: growing it rehashes. */
#define PAGE_CTX_FIELDS	16

static const char	 html_type[] = "text/html; charset=utf-8";
static const char	 json_type[] = "application/json; charset=utf-8";

/* Used only when the error template itself fails: the last resort. */
static const char	 fallback_500[] =
    "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\">"
    "<title>服务器错误</title><h1>服务器暂时无法处理请求</h1>"
    "<p><a href=\"/\">返回首页</a></p></html>\n";

static void	page_render(struct page_env *, const char *, int, const char *,
		    struct page_out *);
static int64_t	page_last_modified(struct page_env *, time_t);

/* Sets t.key = value (nil when value is NULL) on the table on top of the stack. */
void
page_setstr(lua_State *L, const char *key, const char *value)
{
	lua_pushstring(L, value);
	lua_setfield(L, -2, key);
}

/* Sets t.key = value on the table on top of the stack. */
void
page_setint(lua_State *L, const char *key, lua_Integer value)
{
	lua_pushinteger(L, value);
	lua_setfield(L, -2, key);
}

/* What to tell the reader for an error nginx found before fazhi saw it. */
static const char *
page_error_message(int status)
{
	switch (status) {
	case 400: return "请求格式不正确，请检查网址是否完整。";
	case 413: return "提交的内容过大。";
	case 414: return "请求的网址过长。";
	case 429: return "请求过于频繁，请稍后再试。";
	default: return "您访问的页面不存在。";
	}
}

/* Renders the error page for status with a message for the reader. */
static void
page_error(struct page_env *env, int status, const char *message,
    struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	lua_settop(L, 0);
	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	page_setint(L, "status", status);
	page_setstr(L, "message", message);
	page_render(env, "error", status, html_type, out);
}

/* The HTML error pages, for the handlers of api.c. */
void
page_not_found(struct page_env *env, struct page_out *out)
{
	page_error(env, 404, page_error_message(404), out);
}

void
page_bad_request(struct page_env *env, const char *message,
    struct page_out *out)
{
	page_error(env, 400, message, out);
}

void
page_server_error(struct page_env *env, struct page_out *out)
{
	page_error(env, 500, "页面生成出错，请稍后再试。", out);
}

/*
 * Whether u may be sent back as a Location on this site: a path of ours
 * (not //host or /\\host), no control characters (no header splitting),
 * at most PAGE_MAX_NEXT bytes (the answer's head has room for it).
 */
static int
page_local_path(const char *u)
{
	size_t	 i;

	if (u[0] != '/' || u[1] == '/' || u[1] == '\\')
		return 0;
	for (i = 0; u[i] != '\0'; i++)
		if (i == PAGE_MAX_NEXT || (unsigned char)u[i] < 0x20 ||
		    u[i] == 0x7f)
			return 0;
	return 1;
}

/*
 * Where the display-mode switch returns to: this very address as the
 * client sent it (filters and page included), unless it is an error page,
 * the switch itself, not a path of this site, or longer than
 * PAGE_MAX_NEXT.
 */
static const char *
page_next(const struct http_req *req)
{
	const char	*u = req->uri;

	if (!page_local_path(u) || strncmp(u, "/_error/", 8) == 0 ||
	    strncmp(u, "/mode", 5) == 0)
		return "/";
	return u;
}

/*
 * Renders template name with the ctx on top of the stack into out, after
 * adding ctx.mode ("elder" or "normal"), ctx.path, ctx.next (page_next)
 * and ctx.today. A failed render
 * becomes the 500 page; a failed 500 page becomes fallback_500.
 */
static void
page_render(struct page_env *env, const char *name, int status,
    const char *type, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	page_setstr(L, "mode", env->req->elder ? "elder" : "normal");
	page_setstr(L, "path", env->req->path);
	page_setstr(L, "next", page_next(env->req));
	page_setstr(L, "today", env->today);
	out->status = status;
	out->type = type;
	if (tpl_render(env->tpl, name, &out->body, &out->len) == 0) {
		out->rendered = 1;
		return;
	}
	if (strcmp(name, "error") != 0 || status != 500) {
		page_error(env, 500, "页面生成出错，请稍后再试。", out);
		return;
	}
	out->body = fallback_500;
	out->len = sizeof(fallback_500) - 1;
}

/*
 * Reads ?page= as 1..PAGE_MAX_PAGE (absent: 1). Returns the page, or 0 when
 * the value is not such a number.
 */
static long
page_number(const struct http_req *req)
{
	const char	*s = http_param(req, "page");
	char		*end;
	long		 n;

	if (s == NULL)
		return 1;
	if (*s < '1' || *s > '9')
		return 0;
	n = strtol(s, &end, 10);
	return *end != '\0' || n > PAGE_MAX_PAGE ? 0 : n;
}

/*
 * Reads the single count(*) row the stack's top array holds, and pops it.
 * The array is empty when the read failed: 0 then (page_serve answers 500).
 */
long
page_pop_count(lua_State *L)
{
	long	 n = 0;

	if (lua_rawgeti(L, -1, 1) == LUA_TTABLE) {
		lua_getfield(L, -1, "n");
		n = (long)lua_tointeger(L, -1);
		lua_pop(L, 1);
	}
	lua_pop(L, 2);
	return n;
}

/* A query filter: its parameter, and which values it accepts. */
struct page_filter {
	const char	*name;
	int		(*valid)(const char *);
};

int
page_valid_year(const char *s)
{
	return strlen(s) == 4 && strspn(s, "0123456789") == 4;
}

/* Is code a domain that site.xml lists? */
int
page_known_domain(struct page_env *env, const char *code)
{
	lua_State	*L = tpl_state(env->tpl);
	int		 n;

	if (!route_valid_id(code))
		return 0;
	n = snap_rows(env->snap, L, SNAP_Q_DOMAIN_NAME, "s", code);
	lua_pop(L, 1);
	return n == 1;
}

int
page_valid_procedure(const char *s)
{
	return strcmp(s, "general") == 0 || strcmp(s, "simple") == 0;
}

int
page_valid_kind(const char *s)
{
	return strcmp(s, "article") == 0 || strcmp(s, "qa") == 0 ||
	    strcmp(s, "brochure") == 0 || strcmp(s, "campaign") == 0;
}

/*
 * Reads the filters (NULL when absent or empty) into vals and sets them as
 * ctx.filters. Returns 0, or -1 when a value is malformed.
 */
static int
page_filters(lua_State *L, const struct http_req *req,
    const struct page_filter *f, int n, const char **vals)
{
	int	 i;

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	for (i = 0; i < n; i++) {
		vals[i] = http_param(req, f[i].name);
		if (vals[i] != NULL && vals[i][0] == '\0')
			vals[i] = NULL;
		if (vals[i] != NULL && !f[i].valid(vals[i])) {
			lua_pop(L, 1);
			return -1;
		}
		if (vals[i] != NULL)
			page_setstr(L, f[i].name, vals[i]);
	}
	lua_setfield(L, -2, "filters");
	return 0;
}

/*
 * The paging every list shares: checks ?page= against total, sets ctx.page,
 * ctx.pages and ctx.total. Returns the page, or 0 after rendering the 400
 * or 404 page.
 */
static long
page_paging(struct page_env *env, long total, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);
	long		 page, pages = (total + PAGE_PER_PAGE - 1) / PAGE_PER_PAGE;

	if ((page = page_number(env->req)) == 0) {
		page_error(env, 400, "页码应为 1 到 10000 之间的整数。", out);
		return 0;
	}
	if (page > 1 && page > pages) {
		page_error(env, 404, "没有这一页。", out);
		return 0;
	}
	page_setint(L, "page", page);
	page_setint(L, "pages", pages);
	page_setint(L, "total", total);
	return page;
}

static void
page_home(struct page_env *env, struct page_out *out)
{
	static const char *const any[SNAP_LIST_FILTERS];
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	snap_list_page(env->snap, L, SNAP_LIST_CASE, any, SNAP_Q_CASE_ROW, 0,
	    PAGE_HOME_CASES);
	lua_setfield(L, -2, "latest");
	snap_list_facet(env->snap, L, SNAP_LIST_CASE, 0, any);
	lua_setfield(L, -2, "by_domain");
	snap_rows(env->snap, L, SNAP_Q_CAMPAIGNS_NEXT, "si", env->today,
	    (int64_t)3);
	lua_setfield(L, -2, "campaigns");
	snap_rows(env->snap, L, SNAP_Q_HOME_GUIDES, "i",
	    (int64_t)PAGE_HOME_GUIDES);
	lua_setfield(L, -2, "guides");
	page_render(env, "home", 200, html_type, out);
}

/* /cases/: filters by domain, town, year and procedure, with counts. */
static void
page_cases(struct page_env *env, struct page_out *out)
{
	static const struct page_filter f[] = {
		{ "domain", route_valid_id }, { "town", route_valid_id },
		{ "year", page_valid_year }, { "procedure", page_valid_procedure } };
	static const char *const facets[] = { "domains", "towns", "years",
		"procedures" };
	lua_State	*L = tpl_state(env->tpl);
	const char	*v[SNAP_LIST_FILTERS];
	int64_t		 stamp;
	long		 page;
	int		 i;

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	if (page_filters(L, env->req, f, 4, v) == -1) {
		page_error(env, 400, "筛选条件的格式不正确。", out);
		return;
	}
	if ((page = page_paging(env, snap_list_count(env->snap, SNAP_LIST_CASE,
	    v, &stamp), out)) == 0)
		return;
	/* Each facet counts under the other filters, not its own. */
	for (i = 0; i < 4; i++) {
		snap_list_facet(env->snap, L, SNAP_LIST_CASE, i, v);
		lua_setfield(L, -2, facets[i]);
	}
	snap_list_page(env->snap, L, SNAP_LIST_CASE, v, SNAP_Q_CASE_ROW,
	    (page - 1) * PAGE_PER_PAGE, PAGE_PER_PAGE);
	lua_setfield(L, -2, "cases");
	page_render(env, "cases", 200, html_type, out);
}

/*
 * One item: row q for id, its parts and its related items, rendered by
 * template name; 404 when no such visible item.
 */
static void
page_item(struct page_env *env, enum snap_q q, const char *id,
    const char *name, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	if (snap_rows(env->snap, L, q, "s", id) < 1) {
		lua_pop(L, 1);
		page_error(env, 404, "没有找到这一内容，它可能尚未发布或已被移除。", out);
		return;
	}
	lua_rawgeti(L, -1, 1);
	lua_remove(L, -2);		/* ctx = the item's row */
	snap_parts(env->snap, L, id);
	snap_rows(env->snap, L, SNAP_Q_RELATED, "s", id);
	lua_setfield(L, -2, "related");
	snap_rows(env->snap, L, SNAP_Q_ITEM_CITES, "s", id);
	lua_setfield(L, -2, "cites");
	snap_rows(env->snap, L, SNAP_Q_IMAGES, "s", id);
	lua_setfield(L, -2, "images");
	snap_rows(env->snap, L, SNAP_Q_ATTACHMENTS, "s", id);
	lua_setfield(L, -2, "attachments");
	page_render(env, name, 200, html_type, out);
}

/* /laws/: every law the site cites, by kind, with counts. */
static void
page_laws(struct page_env *env, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	snap_laws(env->snap, L);
	lua_setfield(L, -2, "laws");
	page_render(env, "laws", 200, html_type, out);
}

/*
 * /laws/<id>: a law's facts, its history, the articles the site cites and,
 * for each, the visible items that apply it. 404 when there is no such law.
 */
static void
page_law(struct page_env *env, const char *id, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	if (snap_rows(env->snap, L, SNAP_Q_LAW, "s", id) < 1) {
		lua_pop(L, 1);
		page_error(env, 404, "没有找到这部法律法规。", out);
		return;
	}
	lua_rawgeti(L, -1, 1);
	lua_remove(L, -2);		/* ctx = the law's row */
	snap_rows(env->snap, L, SNAP_Q_LAW_CHANGES, "s", id);
	lua_setfield(L, -2, "changes");
	snap_law_articles(env->snap, L, id);
	lua_setfield(L, -2, "articles");
	snap_law_citers(env->snap, L, id, SNAP_LAW_CITERS);
	lua_setfield(L, -2, "citers");
	page_render(env, "law", 200, html_type, out);
}

/* /pufa/: materials by kind and topic; campaigns upcoming and past. */
static void
page_pufa(struct page_env *env, struct page_out *out)
{
	static const struct page_filter f[] = {
		{ "kind", page_valid_kind }, { "topic", route_valid_id } };
	lua_State	*L = tpl_state(env->tpl);
	const char	*v[SNAP_LIST_FILTERS] = { NULL, NULL, NULL, NULL };
	int64_t		 stamp;
	long		 page;

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	if (page_filters(L, env->req, f, 2, v) == -1) {
		page_error(env, 400, "筛选条件的格式不正确。", out);
		return;
	}
	if ((page = page_paging(env, snap_list_count(env->snap,
	    SNAP_LIST_MATERIAL, v, &stamp), out)) == 0)
		return;
	snap_list_facet(env->snap, L, SNAP_LIST_MATERIAL, 0, v);
	lua_setfield(L, -2, "kinds");
	snap_list_facet(env->snap, L, SNAP_LIST_MATERIAL, 1, v);
	lua_setfield(L, -2, "topics");
	snap_list_page(env->snap, L, SNAP_LIST_MATERIAL, v, SNAP_Q_MATERIAL_ROW,
	    (page - 1) * PAGE_PER_PAGE, PAGE_PER_PAGE);
	lua_setfield(L, -2, "materials");
	snap_rows(env->snap, L, SNAP_Q_CAMPAIGNS_NEXT, "si", env->today,
	    (int64_t)PAGE_CAMPAIGNS);
	lua_setfield(L, -2, "upcoming");
	snap_rows(env->snap, L, SNAP_Q_CAMPAIGNS_PAST, "si", env->today,
	    (int64_t)PAGE_CAMPAIGNS);
	lua_setfield(L, -2, "past");
	page_render(env, "pufa", 200, html_type, out);
}

/* /credit/: the guides, PAGE_PER_PAGE a page, and the tools. */
static void
page_credit(struct page_env *env, struct page_out *out)
{
	static const char *const any[SNAP_LIST_FILTERS];
	lua_State	*L = tpl_state(env->tpl);
	int64_t		 stamp;
	long		 page;

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	lua_createtable(L, 0, 0);
	lua_setfield(L, -2, "filters");
	if ((page = page_paging(env, snap_list_count(env->snap, SNAP_LIST_GUIDE,
	    any, &stamp), out)) == 0)
		return;
	snap_list_page(env->snap, L, SNAP_LIST_GUIDE, any, SNAP_Q_GUIDE_ROW,
	    (page - 1) * PAGE_PER_PAGE, PAGE_PER_PAGE);
	lua_setfield(L, -2, "guides");
	page_render(env, "credit", 200, html_type, out);
}

static void
page_about(struct page_env *env, struct page_out *out)
{
	static const char *const any[SNAP_LIST_FILTERS];
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	snap_list_facet(env->snap, L, SNAP_LIST_CASE, 0, any);
	lua_setfield(L, -2, "by_domain");
	page_render(env, "about", 200, html_type, out);
}

/*
 * /search?q=&section=&domain=&year=&page=: full-text search (search.c).
 * An empty query shows the form alone; an item's id or a case's decision
 * number goes straight to it (303); a wrong parameter is a 400 page with the
 * message next to the form.
 */
static void
page_search(struct page_env *env, struct page_out *out)
{
	static char	 url[ROUTE_MAX_ID + 32];
	lua_State	*L = tpl_state(env->tpl);
	struct search	 s;
	int		 rc;

	rc = search_read(env, &s);
	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	page_setstr(L, "q", s.q);
	if (rc == -1 || s.q[0] == '\0') {
		if (rc == -1) {
			page_setstr(L, "error", s.message);
			page_setstr(L, "error_field", s.field);
		}
		page_render(env, "search", rc == -1 ? 400 : 200, html_type, out);
		return;
	}
	if (search_exact(env, &s, url, sizeof(url))) {
		lua_settop(L, 0);
		out->status = 303;
		out->type = html_type;
		out->location = url;
		return;
	}
	page_setstr(L, "section", s.section);
	page_setstr(L, "domain", s.domain);
	page_setstr(L, "year", s.year);
	page_setstr(L, "town", s.town);
	if ((rc = search_run(env, L, &s)) == -1)
		page_server_error(env, out);
	else if (rc == 2)
		page_not_found(env, out);
	else {
		if (rc == 1)
			page_setstr(L, "error", "请输入要查找的文字或数字，"
			    "标点符号和空格不能单独搜索。");
		page_render(env, "search", rc == 1 ? 400 : 200, html_type, out);
	}
}

/*
 * /mode?set=elder|normal&next=/path: remembers the display mode in a cookie
 * (no session, nothing else) and goes back to the page the reader was on.
 * next must be a path on this site; anything else goes home.
 */
static void
page_mode(struct page_env *env, struct page_out *out)
{
	static char	 cookie[128];
	const char	*set = http_param(env->req, "set");
	const char	*next = http_param(env->req, "next");

	if (set == NULL || (strcmp(set, "elder") != 0 && strcmp(set, "normal") != 0)) {
		page_error(env, 400, "显示模式只能是长者模式或标准模式。", out);
		return;
	}
	if (next == NULL || !page_local_path(next))
		next = "/";
	if (strcmp(set, "elder") == 0)
		snprintf(cookie, sizeof(cookie), "fazhi_mode=elder; Path=/; "
		    "Max-Age=%d; SameSite=Lax; HttpOnly", PAGE_MODE_MAX_AGE);
	else
		snprintf(cookie, sizeof(cookie), "fazhi_mode=; Path=/; Max-Age=0; "
		    "SameSite=Lax; HttpOnly");
	out->status = 303;
	out->type = html_type;
	out->location = next;
	out->cookie = cookie;
}

static void
page_healthz(struct page_env *env, time_t now, struct page_out *out)
{
	static const char *const any[SNAP_LIST_FILTERS];
	lua_State	*L = tpl_state(env->tpl);
	int64_t		 stamp;
	lua_Integer	 items = snap_list_count(env->snap, SNAP_LIST_ALL, any,
			    &stamp);

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	page_setstr(L, "status", "ok");
	page_setstr(L, "snapshot", snap_id(env->snap));
	page_setint(L, "items", items);
	page_setint(L, "uptime", (lua_Integer)(now - env->started));
	page_render(env, "healthz", 200, json_type, out);
}

/* ---- The credit tools: the calculator and the record look-up ----------- */

static const char *const page_why[] = { "date", "domain", "domain_early" };
static const char *const page_repair[] = { "not_published", "from", "never",
    "unknown", "moot" };
static const char *const page_status[] = { "not_published", "ended",
    "can_apply", "wait", "fulfil_first", "until_end", "unfulfilled", "unknown" };

/*
 * Sets ctx.tier_rule, ctx.unpublished_rule and ctx.period_rule: the text
 * and confidence of each rule that answer a applied, all in one query.
 */
static void
page_credit_rules(struct page_env *env, const struct credit_answer *a)
{
	lua_State	*L = tpl_state(env->tpl);
	char		 key[32];
	int		 i, n;

	n = snap_rows(env->snap, L, SNAP_Q_CREDIT_RULES, "siii", a->regime->id,
	    (int64_t)a->tier_rule, (int64_t)(a->unpublished != NULL ?
	    a->unpublished->ord : -1), (int64_t)(a->period != NULL ?
	    a->period->ord : -1));
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		lua_getfield(L, -1, "list");
		snprintf(key, sizeof(key), "%s_rule", lua_tostring(L, -1));
		lua_pop(L, 1);
		lua_pushnil(L);			/* the rule is its text and confidence */
		lua_setfield(L, -2, "list");
		lua_setfield(L, -3, key);
	}
	lua_pop(L, 1);
}

/*
 * Sets the regime's row and its item lists (sources ... guides, one query
 * for all of them) as field key of the table on top of the stack.
 */
static void
page_credit_regime(struct page_env *env, const char *id, const char *key)
{
	lua_State	*L = tpl_state(env->tpl);

	snap_rows(env->snap, L, SNAP_Q_CREDIT_REGIME, "s", id);
	lua_rawgeti(L, -1, 1);
	lua_remove(L, -2);
	if (lua_type(L, -1) == LUA_TTABLE)
		snap_credit_texts(env->snap, L, id);
	lua_setfield(L, -2, key);
}

/* Pushes the names of the kinds in bits as an array. */
static void
page_kind_names(lua_State *L, unsigned bits)
{
	int	 k, n = 0;

	lua_createtable(L, CREDIT_K__MAX, 0);
	for (k = 0; k < CREDIT_K__MAX; k++)
		if (bits & (1u << k)) {
			lua_createtable(L, 0, 2);
			page_setstr(L, "code", credit_kinds[k].code);
			page_setstr(L, "name", credit_kinds[k].name);
			lua_rawseti(L, -2, ++n);
		}
}

/* Sets key to s unless s is empty. */
static void
page_setdate(lua_State *L, const char *key, const char *s)
{
	if (s[0] != '\0')
		page_setstr(L, key, s);
}

/*
 * Pushes the calculator's answer for c as one table: what the page shows
 * and what the API returns, the same fields for both.
 */
static void
page_push_answer(struct page_env *env, const struct credit_case *c,
    const struct credit_answer *a, int full)
{
	lua_State	*L = tpl_state(env->tpl);
	const char	*id = a->regime->id;

	lua_createtable(L, 0, 24);
	page_setstr(L, "regime_id", id);
	page_setstr(L, "why", page_why[a->why]);
	page_setstr(L, "tier", credit_tier_code(a->tier));
	lua_pushboolean(L, a->tier_assumed);
	lua_setfield(L, -2, "tier_assumed");
	lua_pushboolean(L, a->published);
	lua_setfield(L, -2, "published");
	page_setstr(L, "counted_from", a->base);
	lua_pushboolean(L, a->base_estimated);
	lua_setfield(L, -2, "counted_from_estimated");
	page_setdate(L, "min_end", a->min_end);
	page_setdate(L, "max_end", a->max_end);
	page_setstr(L, "repair", page_repair[a->repair]);
	page_setdate(L, "earliest", a->earliest);
	lua_pushboolean(L, a->fulfil_first);
	lua_setfield(L, -2, "fulfil_first");
	lua_pushboolean(L, a->unfulfilled);
	lua_setfield(L, -2, "unfulfilled");
	if (a->apply_regime != a->regime)
		page_setstr(L, "apply_regime_id", a->apply_regime->id);
	page_setstr(L, "status", page_status[credit_status(a, env->today)]);
	if (a->never_kinds != 0) {
		page_kind_names(L, a->never_kinds);
		lua_setfield(L, -2, "never_kinds");
	}
	if (!full)
		return;
	page_setstr(L, "decided", c->decided);
	page_kind_names(L, c->kinds);
	lua_setfield(L, -2, "kinds");
	page_credit_rules(env, a);
	page_credit_regime(env, id, "regime");
	if (a->apply_regime != a->regime)
		page_credit_regime(env, a->apply_regime->id, "apply_regime");
}

/* Collects the calculator's parameters; kind may repeat. */
static void
page_credit_input(const struct http_req *req, struct credit_input *in)
{
	size_t	 i;

	memset(in, 0, sizeof(*in));
	in->date = http_param(req, "date");
	in->published = http_param(req, "published");
	in->fulfilled = http_param(req, "fulfilled");
	in->procedure = http_param(req, "procedure");
	in->fine = http_param(req, "fine");
	in->domain = http_param(req, "domain");
	in->tier = http_param(req, "tier");
	in->party = http_param(req, "party");
	for (i = 0; i < req->nparams; i++)
		if (strcmp(req->params[i].key, "kind") == 0) {
			if (in->nkinds <= CREDIT_K__MAX)
				in->kinds[in->nkinds] = req->params[i].val;
			in->nkinds++;
		}
}

/*
 * Sets ctx.form: the values as sent, to fill the form in again; a date
 * field only with a real date, which is all <input type="date"> may hold.
 */
static void
page_credit_form(lua_State *L, const struct credit_input *in)
{
	static const char *const keys[] = { "date", "published", "fulfilled",
	    "procedure", "fine", "domain", "tier", "party" };
	const char	*vals[] = { in->date, in->published, in->fulfilled,
	    in->procedure, in->fine, in->domain, in->tier, in->party };
	int		 i;

	lua_createtable(L, 0, 10);
	for (i = 0; i < (int)(sizeof(keys) / sizeof(keys[0])); i++)
		if (vals[i] != NULL && (i > 2 || credit_date_valid(vals[i])))
			page_setstr(L, keys[i], vals[i]);
	lua_createtable(L, 0, CREDIT_K__MAX);
	for (i = 0; i < in->nkinds && i <= CREDIT_K__MAX; i++) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, in->kinds[i] ? in->kinds[i] : "");
	}
	lua_setfield(L, -2, "kinds");
	lua_setfield(L, -2, "form");
}

/* Sets ctx.problems (in form order) and ctx.errors (field -> message). */
static void
page_credit_problems(lua_State *L, const struct credit_problem *p, int n)
{
	int	 i;

	lua_createtable(L, n, 0);
	lua_createtable(L, 0, n);
	for (i = 0; i < n; i++) {
		lua_createtable(L, 0, 3);
		page_setstr(L, "field", p[i].field);
		page_setstr(L, "code", p[i].code);
		page_setstr(L, "message", p[i].message);
		lua_rawseti(L, -3, i + 1);
		lua_getfield(L, -1, p[i].field);
		if (lua_isnil(L, -1)) {		/* the first for a field shows */
			lua_pushstring(L, p[i].message);
			lua_setfield(L, -3, p[i].field);
		}
		lua_pop(L, 1);
	}
	lua_setfield(L, -3, "errors");
	lua_setfield(L, -2, "problems");
}

/*
 * Reads and assesses the calculator's form. Returns the number of problems
 * (in p, room for PAGE_CREDIT_PROBLEMS); 0 with c and a filled.
 */
static int
page_credit_assess(struct page_env *env, const struct credit_input *in,
    struct credit_case *c, struct credit_answer *a, struct credit_problem *p)
{
	static char	 early[160];
	const struct credit_rules *rules = snap_credit_rules(env->snap);
	int		 n, rc = 0;

	n = credit_read(in, env->today, c, p, PAGE_CREDIT_PROBLEMS);
	if (c->domain[0] != '\0') {
		if (!page_known_domain(env, c->domain) && n < PAGE_CREDIT_PROBLEMS)
			p[n++] = (struct credit_problem){ "domain", "unknown",
			    "执法领域不在可选范围内，请从列表中选择。" };
	}
	if (n == 0 && (rc = credit_assess(rules, c, a)) == -1) {
		snprintf(early, sizeof(early), "本计算器只计算 %s 及以后作出的处罚"
		    "决定；更早的决定请向作出决定的机关咨询。", rules->n > 0 ?
		    rules->r[0].from : "");
		p[n++] = (struct credit_problem){ "date", "not_covered", early };
	} else if (n == 0 && rc == -2)
		p[n++] = (struct credit_problem){ "tier", "needed",
		    "请选择失信程度：按适用的规定，仅凭所填的处罚种类无法判断"
		    "属于轻微、一般还是严重。失信程度由作出处罚决定的机关认定，"
		    "一般写在信用修复告知书上；不清楚的，请先向该机关询问。" };
	return n < PAGE_CREDIT_PROBLEMS ? n : PAGE_CREDIT_PROBLEMS;
}

/* Sets ctx.kind_list: every kind, for the form's boxes. */
static void
page_kind_list(lua_State *L)
{
	page_kind_names(L, (1u << CREDIT_K__MAX) - 1);
	lua_setfield(L, -2, "kind_list");
}

/* The calculator's parameters, which its API accepts and no others. */
static const char *const page_credit_params[] = { "date", "procedure", "kind",
    "fine", "domain", "tier", "published", "fulfilled", "party", NULL };

/*
 * The name of a parameter other than kind= that the request repeats, or
 * NULL: each of them holds one value, and which one counts must not be
 * left to chance.
 */
static const char *
page_repeated_param(const struct http_req *req)
{
	size_t	 i, j;

	for (i = 0; i < req->nparams; i++)
		for (j = 0; j < i; j++)
			if (strcmp(req->params[i].key, "kind") != 0 &&
			    strcmp(req->params[i].key, req->params[j].key) == 0)
				return req->params[i].key;
	return NULL;
}

/*
 * /credit/check (api: /api/v1/credit/check): the calculator. Without any
 * parameter the page shows the empty form; a form with problems comes
 * back with each beside its field, status 400.
 */
static void
page_credit_check(struct page_env *env, int api, struct page_out *out)
{
	struct credit_problem	 p[PAGE_CREDIT_PROBLEMS];
	struct credit_input	 in;
	struct credit_case	 c;
	struct credit_answer	 a;
	lua_State		*L = tpl_state(env->tpl);
	int			 n = 0;

	const char		*twice;

	if (api && api_params_only(env, page_credit_params, out) == -1)
		return;
	if (api && (twice = page_repeated_param(env->req)) != NULL) {
		api_field_error(env, 400, "repeated_parameter", "这个参数只能出现"
		    "一次。", twice, out);
		return;
	}
	page_credit_input(env->req, &in);
	if (env->req->nparams > 0 || api)
		n = page_credit_assess(env, &in, &c, &a, p);
	if (api && n > 0) {
		api_field_error(env, 400, p[0].code, p[0].message, p[0].field, out);
		return;
	}
	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	if (api) {
		page_push_answer(env, &c, &a, 1);
		lua_setfield(L, -2, "data");
		lua_createtable(L, 0, 1);
		page_setstr(L, "today", env->today);
		lua_setfield(L, -2, "meta");
		api_answer(env, 200, out);
		return;
	}
	page_credit_form(L, &in);
	page_kind_list(L);
	snap_rows(env->snap, L, SNAP_Q_CREDIT_REGIMES, "");
	lua_setfield(L, -2, "regimes");
	if (n > 0)
		page_credit_problems(L, p, n);
	else if (env->req->nparams > 0) {
		page_push_answer(env, &c, &a, 1);
		lua_setfield(L, -2, "answer");
	}
	page_render(env, "credit_check", n > 0 ? 400 : 200, html_type, out);
}

/*
 * A short stable tag of the request's query, for the event's UID: the same
 * answer asked for twice is the same event (FNV-1a, 32 bits).
 */
static unsigned long
page_query_hash(const struct http_req *req)
{
	uint32_t	 h = 2166136261u;
	const char	*p;
	size_t		 i;

	for (i = 0; i < req->nparams; i++) {
		for (p = req->params[i].key; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
		h = (h ^ '=') * 16777619u;
		for (p = req->params[i].val; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
		h = (h ^ '&') * 16777619u;
	}
	return (unsigned long)h;
}

/*
 * Writes the calendar (one all-day event on the earliest day of applying
 * for repair) of answer a to env->xml. Its DTSTAMP, without a METHOD, is
 * when the information was last revised (RFC 5545 §3.8.7.2): the answer's
 * Last-Modified, so that the same answer is the same bytes all day.
 * Returns 0, or -1 when memory runs out (or the day after is past the
 * dates libc can count).
 */
static int
page_ics_write(struct page_env *env, const struct credit_case *c,
    const struct credit_answer *a, const char *title, time_t now)
{
	struct buf	*b = &env->xml;
	char		 day[16], next[CREDIT_DATE_SIZE], stamp[32], uid[128];
	char		 desc[1024];
	const char	*url = snap_site_url(env->snap), *host;
	struct tm	 tm;
	int		 rc;

	snprintf(day, sizeof(day), "%.4s%.2s%.2s", a->earliest, a->earliest + 5,
	    a->earliest + 8);
	if (credit_add_days(a->earliest, 1, next) == -1)
		return -1;
	now = (time_t)page_last_modified(env, now);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	host = strstr(url, "://") != NULL ? strstr(url, "://") + 3 : url;
	snprintf(uid, sizeof(uid), "credit-%s-%s-%08lx@%s", c->decided,
	    a->earliest, page_query_hash(env->req), host);
	snprintf(desc, sizeof(desc), "处罚决定日期：%s。按《%s》，最短公示期届满、"
	    "履行完处罚决定后，可以申请信用修复。条件、材料和办理地点见：%s"
	    "/credit/check?%s", c->decided, title, url,
	    strchr(env->req->uri, '?') != NULL ? strchr(env->req->uri, '?') + 1 : "");
	buf_reset(b);
	rc = ics_line(b, "BEGIN", "VCALENDAR") | ics_line(b, "VERSION", "2.0") |
	    ics_line(b, "PRODID", "-//Fazhi//Credit repair calculator//ZH") |
	    ics_line(b, "CALSCALE", "GREGORIAN") |
	    ics_line(b, "BEGIN", "VEVENT") | ics_line(b, "UID", uid) |
	    ics_line(b, "DTSTAMP", stamp) |
	    ics_line(b, "DTSTART;VALUE=DATE", day);
	snprintf(day, sizeof(day), "%.4s%.2s%.2s", next, next + 5, next + 8);
	rc |= ics_line(b, "DTEND;VALUE=DATE", day) |
	    ics_text(b, "SUMMARY", "可以申请信用修复（最早日期）") |
	    ics_text(b, "DESCRIPTION", desc) |
	    ics_line(b, "END", "VEVENT") | ics_line(b, "END", "VCALENDAR");
	return rc;
}

/*
 * /credit/check.ics?...: the calculator's earliest day of applying for
 * repair as an iCalendar file, for the same parameters as /credit/check.
 * 400 when the form has problems, 404 when the answer has no such day.
 */
static void
page_credit_ics(struct page_env *env, time_t now, struct page_out *out)
{
	static const char calendar_type[] = "text/calendar; charset=utf-8";
	struct credit_problem	 p[PAGE_CREDIT_PROBLEMS];
	struct credit_input	 in;
	struct credit_case	 c;
	struct credit_answer	 a;
	lua_State		*L = tpl_state(env->tpl);
	const char		*title;

	page_credit_input(env->req, &in);
	if (page_repeated_param(env->req) != NULL ||
	    page_credit_assess(env, &in, &c, &a, p) > 0) {
		page_bad_request(env, "计算条件有误，请回到信用修复计算器修改后再下载日历。", out);
		return;
	}
	if (a.repair != CREDIT_REPAIR_FROM || !a.published) {
		page_not_found(env, out);
		return;
	}
	snap_rows(env->snap, L, SNAP_Q_CREDIT_REGIME, "s", a.regime->id);
	lua_rawgeti(L, -1, 1);
	lua_getfield(L, -1, "title");
	title = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
	if (page_ics_write(env, &c, &a, title, now) == -1) {
		page_server_error(env, out);
		return;
	}
	out->status = 200;
	out->type = calendar_type;
	out->body = env->xml.data;
	out->len = env->xml.len;
}

/*
 * Reads ?q= for the look-up into q (PAGE_MAX_LOOKUP + 1 bytes): spaces
 * around it dropped; letters and digits only make it a credit code
 * (*is_code), upper-cased and checked, a wrong check character only
 * written to warning. Returns NULL, or the problem, with its code in *code.
 */
static const char *
page_lookup_query(const struct http_req *req, char *q, int *is_code,
    const char **code, char *warning, size_t warnsz)
{
	const char	*s = http_param(req, "q");
	size_t		 n, i;
	char		 want;

	*is_code = 0;
	for (s = s ? s : ""; *s == ' '; s++)
		;
	if ((n = strlen(s)) > PAGE_MAX_LOOKUP) {
		*code = "too_long";
		return "查询内容过长：请输入完整的处罚决定书文号或 18 位统一社会信用代码。";
	}
	memcpy(q, s, n + 1);
	while (n > 0 && q[n - 1] == ' ')
		q[--n] = '\0';
	if (n == 0) {
		*code = "missing";
		return "请输入处罚决定书文号或统一社会信用代码。";
	}
	for (i = 0; i < n && ((q[i] >= '0' && q[i] <= '9') ||
	    (q[i] >= 'A' && q[i] <= 'Z') || (q[i] >= 'a' && q[i] <= 'z')); i++)
		;
	if (i < n)
		return NULL;		/* a decision number: 舟普综执罚决字〔…〕 */
	*is_code = 1;
	for (i = 0; i < n; i++)
		if (q[i] >= 'a' && q[i] <= 'z')
			q[i] = (char)(q[i] - 'a' + 'A');
	switch (credit_code_verdict(q, NULL, &want)) {
	case CREDIT_CODE_LENGTH:
		*code = "invalid_code";
		return "统一社会信用代码应为 18 位。";
	case CREDIT_CODE_CHAR:
		*code = "invalid_code";
		return "统一社会信用代码只由数字和大写字母组成，不含 I、O、Z、S、V。";
	case CREDIT_CODE_AREA:
		*code = "invalid_code";
		return "统一社会信用代码的第 3 至 8 位是行政区划代码，应为数字。";
	case CREDIT_CODE_CHECK:
		snprintf(warning, warnsz, "这个代码的校验位与按国家标准计算的结果"
		    "（%c）不符。部分早期代码确实如此，仍按原样查询；请核对是否输入有误。",
		    want);
		break;
	case CREDIT_CODE_OK:
		break;
	}
	return NULL;
}

/*
 * Pushes the title of regime id, read from the snapshot once per request
 * and kept in the table at stack index titles: the records of one code
 * mostly share a regime.
 */
static void
page_regime_title(struct page_env *env, int titles, const char *id)
{
	lua_State	*L = tpl_state(env->tpl);

	if (lua_getfield(L, titles, id) != LUA_TNIL)
		return;
	lua_pop(L, 1);
	snap_rows(env->snap, L, SNAP_Q_CREDIT_REGIME, "s", id);
	lua_rawgeti(L, -1, 1);
	if (lua_istable(L, -1))
		lua_getfield(L, -1, "title");
	else
		lua_pushnil(L);
	lua_replace(L, -3);		/* title, row */
	lua_pop(L, 1);
	lua_pushvalue(L, -1);
	lua_setfield(L, titles, id);
}

/*
 * Adds each record of the array on top of the stack its status as of
 * today: the calculator applied to it (summary decisions are not in the
 * feed, so as a general-procedure decision) as record.answer.
 */
static void
page_lookup_assess(struct page_env *env, int nrows)
{
	const struct credit_rules *rules = snap_credit_rules(env->snap);
	struct credit_answer	 a;
	struct credit_case	 c;
	lua_State		*L = tpl_state(env->tpl);
	int			 i, records, titles;

	records = lua_gettop(L);
	lua_newtable(L);
	titles = lua_gettop(L);
	for (i = 1; i <= nrows; i++) {
		lua_rawgeti(L, records, i);
		memset(&c, 0, sizeof(c));
		c.procedure = CREDIT_PROC_GENERAL;
		lua_getfield(L, -1, "decided");
		snprintf(c.decided, sizeof(c.decided), "%s", lua_tostring(L, -1));
		lua_getfield(L, -2, "fulfilled");
		snprintf(c.fulfilled, sizeof(c.fulfilled), "%s",
		    lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
		lua_getfield(L, -3, "kinds");
		c.kinds = credit_kinds_by_names(lua_tostring(L, -1), "、");
		lua_getfield(L, -4, "fine");
		c.fine = lua_isstring(L, -1) ? atof(lua_tostring(L, -1)) : 0;
		lua_getfield(L, -5, "domain_code");
		snprintf(c.domain, sizeof(c.domain), "%s", lua_tostring(L, -1));
		lua_getfield(L, -6, "severity");
		c.tier = credit_tier_by_code(lua_tostring(L, -1));
		lua_pop(L, 6);
		page_kind_names(L, c.kinds);
		lua_setfield(L, -2, "kind_list");
		memcpy(c.applied, env->today, CREDIT_DATE_SIZE);
		if (credit_assess(rules, &c, &a) == 0) {
			page_push_answer(env, &c, &a, 0);
			page_regime_title(env, titles, a.regime->id);
			lua_setfield(L, -2, "regime_title");
			lua_setfield(L, -2, "answer");
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);			/* titles */
}

/*
 * Replaces the look-up's ctx on top of the stack by the API envelope:
 * data the records, meta the query, how it was read, today and any
 * warning about the code.
 */
static void
page_lookup_envelope(struct page_env *env, const char *q, int is_code,
    const char *warning)
{
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, 2);
	lua_getfield(L, -2, "records");
	lua_setfield(L, -2, "data");
	lua_createtable(L, 0, 4);
	page_setstr(L, "q", q);
	page_setstr(L, "by", is_code ? "credit_code" : "decision_number");
	page_setstr(L, "today", env->today);
	if (warning[0] != '\0')
		page_setstr(L, "warning", warning);
	lua_setfield(L, -2, "meta");
	lua_remove(L, -2);
}

/*
 * /credit/lookup?q= (api: /api/v1/credit/lookup): published penalty
 * records by exact decision number or exact credit code, each with its
 * status today. Nothing partial, no lists of businesses: not found is 404
 * with guidance.
 */
static void
page_credit_lookup(struct page_env *env, int api, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);
	char		 q[PAGE_MAX_LOOKUP + 1], warning[256] = "";
	static const char *const params[] = { "q", NULL };
	struct buf	 norm = { 0 };
	const char	*why, *code = NULL;
	int		 is_code, n, status = 200;

	if (api && api_params_only(env, params, out) == -1)
		return;
	if (api && page_repeated_param(env->req) != NULL) {
		api_field_error(env, 400, "repeated_parameter", "这个参数只能出现"
		    "一次。", "q", out);
		return;
	}
	why = page_lookup_query(env->req, q, &is_code, &code, warning,
	    sizeof(warning));
	if (api && why != NULL) {
		api_field_error(env, 400, code, why, "q", out);
		return;
	}
	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	if (why != NULL && strcmp(code, "missing") == 0 && !api) {
		page_render(env, "credit_lookup", 200, html_type, out);
		return;
	}
	page_setstr(L, "q", why != NULL && strcmp(code, "too_long") == 0 ? "" : q);
	if (why != NULL) {
		page_setstr(L, "error", why);
		page_render(env, "credit_lookup", 400, html_type, out);
		return;
	}
	page_setstr(L, "by", is_code ? "credit_code" : "decision_number");
	if (warning[0] != '\0')
		page_setstr(L, "warning", warning);
	/* A decision number is compared as fts_normalize gives it: any
	 * brackets, half or full width, with or without 第. */
	if (!is_code)
		fts_normalize(&norm, q);	/* out of memory: finds nothing */
	n = is_code ? snap_rows(env->snap, L, SNAP_Q_PENALTY_CODE, "si", q,
	    (int64_t)PAGE_LOOKUP_RECORDS) : snap_rows(env->snap, L,
	    SNAP_Q_PENALTY_NUMBER, "s", norm.data != NULL ? norm.data : "");
	buf_free(&norm);
	page_lookup_assess(env, n);
	lua_setfield(L, -2, "records");
	if (n < 1)
		status = 404;
	if (api && status == 404) {
		api_field_error(env, 404, "not_found", "没有找到与输入完全一致的"
		    "处罚决定书文号或统一社会信用代码。", "q", out);
		return;
	}
	if (api) {
		page_lookup_envelope(env, q, is_code, warning);
		api_answer(env, 200, out);
		return;
	}
	page_render(env, "credit_lookup", status, html_type, out);
}

/*
 * The time that decides which items are public: the clock, or for tests
 * the Unix time written in env->clock_file, read on every request.
 */
static time_t
page_now(const struct page_env *env)
{
	FILE		*f;
	long long	 t;

	if (env->clock_file == NULL || (f = fopen(env->clock_file, "r")) == NULL)
		return time(NULL);
	if (fscanf(f, "%lld", &t) != 1)
		t = time(NULL);
	fclose(f);
	return (time_t)t;
}

/* Answers a route, once the request line has proved sound. */
static void
page_route(struct page_env *env, const struct route *r, time_t now,
    struct page_out *out)
{
	switch (r->kind) {
	case ROUTE_HOME:	page_home(env, out); break;
	case ROUTE_CASES:	page_cases(env, out); break;
	case ROUTE_CASE:
		page_item(env, SNAP_Q_CASE, r->id, "case", out);
		break;
	case ROUTE_PUFA:	page_pufa(env, out); break;
	case ROUTE_MATERIAL:
		page_item(env, SNAP_Q_MATERIAL, r->id, "material", out);
		break;
	case ROUTE_CREDIT:	page_credit(env, out); break;
	case ROUTE_GUIDE:
		page_item(env, SNAP_Q_GUIDE, r->id, "guide", out);
		break;
	case ROUTE_ABOUT:	page_about(env, out); break;
	case ROUTE_LAWS:	page_laws(env, out); break;
	case ROUTE_LAW:		page_law(env, r->id, out); break;
	case ROUTE_SEARCH:	page_search(env, out); break;
	case ROUTE_MODE:	page_mode(env, out); break;
	case ROUTE_HEALTHZ:	page_healthz(env, now, out); break;
	case ROUTE_CREDIT_CHECK:	page_credit_check(env, 0, out); break;
	case ROUTE_CREDIT_LOOKUP:	page_credit_lookup(env, 0, out); break;
	case ROUTE_CREDIT_ICS:	page_credit_ics(env, now, out); break;
	case ROUTE_API_CREDIT_CHECK:	page_credit_check(env, 1, out); break;
	case ROUTE_API_CREDIT_LOOKUP:	page_credit_lookup(env, 1, out); break;
	case ROUTE_REDIRECT:
		out->status = 301;
		out->type = html_type;
		out->location = r->location;
		break;
	case ROUTE_ERROR:
		page_error(env, r->status, page_error_message(r->status), out);
		break;
	case ROUTE_NOT_FOUND:
		page_error(env, 404, page_error_message(404), out);
		break;
	default:		/* feeds, sitemap, exports, JSON API: api.c */
		api_route(env, r, out);
		break;
	}
}

/*
 * When what a public answer shows last changed, as Unix time: the snapshot's
 * build, the latest publish-at that has passed (a scheduled item appears by
 * itself) or the start of today in China (pages split campaigns by date),
 * whichever is latest. The validators of worker.c rest on it.
 */
static int64_t
page_last_modified(struct page_env *env, time_t now)
{
	int64_t	 t = snap_built_at(env->snap), at, midnight;

	at = snap_last_change(env->snap);
	midnight = (int64_t)(now + 8 * 3600) / 86400 * 86400 - 8 * 3600;
	if (at > t)
		t = at;
	if (midnight > t)
		t = midnight;
	return t > (int64_t)now ? (int64_t)now : t;
}

/*
 * Requests that fail before routing (bad request line, other methods, an
 * Accept that rules JSON out) under /api/ get JSON errors. Returns 1 when
 * out is answered.
 */
static int
page_api_refuse(struct page_env *env, const struct http_req *req, int status,
    const struct route *r, struct page_out *out)
{
	if (status != 0 && strncmp(req->uri, "/api/", 5) == 0) {
		api_error(env, status, status == 414 ? "uri_too_long" :
		    "bad_request", req->error, out);
		return 1;
	}
	if (status != 0 || !ROUTE_IS_API(r->kind))
		return 0;
	if (req->method == HTTP_OTHER) {
		api_error(env, 405, "method_not_allowed", "接口只接受 GET 和 HEAD 请求。",
		    out);
		return 1;
	}
	if (!api_accepts_json(req->accept)) {
		api_error(env, 406, "not_acceptable", "接口只提供 JSON（application/json）。",
		    out);
		return 1;
	}
	return 0;
}

/* Answers route r, or the error that status or the method calls for. */
static void
page_dispatch(struct page_env *env, const struct route *r, int status,
    time_t now, struct page_out *out)
{
	const struct http_req	*req = env->req;

	if (page_api_refuse(env, req, status, r, out))
		return;
	if (status != 0) {
		page_error(env, status, req->error, out);
		return;
	}
	if (req->method == HTTP_OTHER) {
		page_error(env, 405, "本站只接受 GET 和 HEAD 请求。", out);
		return;
	}
	page_route(env, r, now, out);
	if (out->status == 200)
		out->last_modified = page_last_modified(env, now);
}

/*
 * Replaces the answer to a request whose snapshot reads failed: whatever
 * the handler made of them (a page with short lists, a "not found", a
 * count of 0) is dropped for a 500, in JSON for the API and /healthz, the
 * error page for the rest. worker.c gives a 500 no validators and
 * Cache-Control: no-store.
 */
static void
page_read_failed(struct page_env *env, const struct route *r,
    struct page_out *out)
{
	static const char	 message[] = "暂时无法读取网站数据，请稍后再试。";

	if (out->rendered)
		tpl_release(env->tpl);
	memset(out, 0, sizeof(*out));
	if (ROUTE_IS_API(r->kind) || r->kind == ROUTE_HEALTHZ)
		api_error(env, 500, "internal_error", message, out);
	else
		page_error(env, 500, message, out);
}

/*
 * Answers one request. status is http_parse()'s result (0 when the request
 * line was good). Fills out; the caller writes it and calls page_done().
 *
 * NOTE: this is the one place where a failed snapshot read (snap_failed)
 * becomes a 500, for every page, API answer, feed, sitemap, export and
 * /healthz alike. Handlers may ignore what snap_rows returns; they must
 * only not crash on the empty array it then pushes. A 200 built from a
 * failed read would carry an ETag and be micro-cached by nginx.
 */
void
page_serve(struct page_env *env, struct http_req *req, int status,
    struct page_out *out)
{
	struct route	 r;
	struct tm	 tm;
	time_t		 now = page_now(env), china = now + 8 * 3600;

	memset(out, 0, sizeof(*out));
	env->req = req;
	gmtime_r(&china, &tm);
	strftime(env->today, sizeof(env->today), "%Y-%m-%d", &tm);
	snap_clock(env->snap, (int64_t)now, env->preview);
	lua_settop(tpl_state(env->tpl), 0);
	r.kind = ROUTE_NOT_FOUND;
	if (status == 0)
		route_match(req->path, &r);
	page_dispatch(env, &r, status, now, out);
	if (snap_failed(env->snap))
		page_read_failed(env, &r, out);
	out->private = env->preview;	/* preview is never cached */
}

/* Releases what page_serve() rendered. */
void
page_done(struct page_env *env, struct page_out *out)
{
	if (out->rendered)
		tpl_release(env->tpl);
	lua_settop(tpl_state(env->tpl), 0);
}
