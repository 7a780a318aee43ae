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
#include "http.h"
#include "log.h"
#include "page.h"
#include "route.h"
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

/* Sets ctx.key = value on the table on top of the stack. */
static void
page_setstr(lua_State *L, const char *key, const char *value)
{
	lua_pushstring(L, value);
	lua_setfield(L, -2, key);
}

static void
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
 * Where the display-mode switch returns to: this very address as the
 * client sent it (filters and page included), unless it is an error page,
 * the switch itself, not a path of this site, or longer than
 * PAGE_MAX_NEXT.
 */
static const char *
page_next(const struct http_req *req)
{
	const char	*u = req->uri;

	if (u[0] != '/' || u[1] == '/' || u[1] == '\\' ||
	    strncmp(u, "/_error/", 8) == 0 || strncmp(u, "/mode", 5) == 0 ||
	    strlen(u) > PAGE_MAX_NEXT)
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

/* Reads the single count(*) row the stack's top array holds, and pops it. */
static long
page_pop_count(lua_State *L)
{
	long	 n;

	lua_rawgeti(L, -1, 1);
	lua_getfield(L, -1, "n");
	n = (long)lua_tointeger(L, -1);
	lua_pop(L, 3);
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
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	snap_rows(env->snap, L, SNAP_Q_LATEST_CASES, "i", (int64_t)PAGE_HOME_CASES);
	lua_setfield(L, -2, "latest");
	snap_rows(env->snap, L, SNAP_Q_FACET_DOMAIN, "ssss", NULL, NULL, NULL, NULL);
	lua_setfield(L, -2, "by_domain");
	snap_rows(env->snap, L, SNAP_Q_CAMPAIGNS_NEXT, "si", env->today,
	    (int64_t)3);
	lua_setfield(L, -2, "campaigns");
	snap_rows(env->snap, L, SNAP_Q_GUIDES, "");
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
	static const struct { enum snap_q q; const char *name; } facets[] = {
		{ SNAP_Q_FACET_DOMAIN, "domains" }, { SNAP_Q_FACET_TOWN, "towns" },
		{ SNAP_Q_FACET_YEAR, "years" },
		{ SNAP_Q_FACET_PROCEDURE, "procedures" } };
	lua_State	*L = tpl_state(env->tpl);
	const char	*v[4], *w[4];
	long		 page;
	int		 i;

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	if (page_filters(L, env->req, f, 4, v) == -1) {
		page_error(env, 400, "筛选条件的格式不正确。", out);
		return;
	}
	snap_rows(env->snap, L, SNAP_Q_CASES_COUNT, "ssss", v[0], v[1], v[2], v[3]);
	if ((page = page_paging(env, page_pop_count(L), out)) == 0)
		return;
	/* Each facet counts under the other filters, not its own. */
	for (i = 0; i < 4; i++) {
		memcpy(w, v, sizeof(w));
		w[i] = NULL;
		snap_rows(env->snap, L, facets[i].q, "ssss", w[0], w[1], w[2], w[3]);
		lua_setfield(L, -2, facets[i].name);
	}
	snap_rows(env->snap, L, SNAP_Q_CASES_PAGE, "ssssii", v[0], v[1], v[2],
	    v[3], (int64_t)PAGE_PER_PAGE, (int64_t)(page - 1) * PAGE_PER_PAGE);
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
	page_render(env, name, 200, html_type, out);
}

/* /pufa/: materials by kind and topic; campaigns upcoming and past. */
static void
page_pufa(struct page_env *env, struct page_out *out)
{
	static const struct page_filter f[] = {
		{ "kind", page_valid_kind }, { "topic", route_valid_id } };
	lua_State	*L = tpl_state(env->tpl);
	const char	*v[2];
	long		 page;

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	if (page_filters(L, env->req, f, 2, v) == -1) {
		page_error(env, 400, "筛选条件的格式不正确。", out);
		return;
	}
	snap_rows(env->snap, L, SNAP_Q_MATERIALS_COUNT, "ss", v[0], v[1]);
	if ((page = page_paging(env, page_pop_count(L), out)) == 0)
		return;
	snap_rows(env->snap, L, SNAP_Q_FACET_KIND, "ss", NULL, v[1]);
	lua_setfield(L, -2, "kinds");
	snap_rows(env->snap, L, SNAP_Q_FACET_TOPIC, "ss", v[0], NULL);
	lua_setfield(L, -2, "topics");
	snap_rows(env->snap, L, SNAP_Q_MATERIALS_PAGE, "ssii", v[0], v[1],
	    (int64_t)PAGE_PER_PAGE, (int64_t)(page - 1) * PAGE_PER_PAGE);
	lua_setfield(L, -2, "materials");
	snap_rows(env->snap, L, SNAP_Q_CAMPAIGNS_NEXT, "si", env->today,
	    (int64_t)PAGE_CAMPAIGNS);
	lua_setfield(L, -2, "upcoming");
	snap_rows(env->snap, L, SNAP_Q_CAMPAIGNS_PAST, "si", env->today,
	    (int64_t)PAGE_CAMPAIGNS);
	lua_setfield(L, -2, "past");
	page_render(env, "pufa", 200, html_type, out);
}

static void
page_credit(struct page_env *env, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	snap_rows(env->snap, L, SNAP_Q_GUIDES, "");
	lua_setfield(L, -2, "guides");
	page_render(env, "credit", 200, html_type, out);
}

static void
page_about(struct page_env *env, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	snap_rows(env->snap, L, SNAP_Q_FACET_DOMAIN, "ssss", NULL, NULL, NULL, NULL);
	lua_setfield(L, -2, "by_domain");
	page_render(env, "about", 200, html_type, out);
}

/*
 * /search?q=: items whose title, summary or keywords contain the text.
 * Surrounding spaces are dropped; an empty query shows the form alone.
 */
static void
page_search(struct page_env *env, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);
	const char	*q = http_param(env->req, "q");
	char		 text[PAGE_MAX_QUERY + 1];
	size_t		 n;
	long		 page;

	if (q == NULL)
		q = "";
	while (*q == ' ')
		q++;
	if ((n = strlen(q)) > PAGE_MAX_QUERY) {
		page_error(env, 400, "搜索内容过长，请缩短到 40 个字以内。", out);
		return;
	}
	memcpy(text, q, n + 1);
	while (n > 0 && text[n - 1] == ' ')
		text[--n] = '\0';
	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	page_setstr(L, "q", text);
	if (n == 0) {
		page_setint(L, "total", 0);
		page_render(env, "search", 200, html_type, out);
		return;
	}
	snap_rows(env->snap, L, SNAP_Q_SEARCH_COUNT, "s", text);
	if ((page = page_paging(env, page_pop_count(L), out)) == 0)
		return;
	snap_rows(env->snap, L, SNAP_Q_SEARCH, "sii", text,
	    (int64_t)PAGE_PER_PAGE, (int64_t)(page - 1) * PAGE_PER_PAGE);
	lua_setfield(L, -2, "results");
	page_render(env, "search", 200, html_type, out);
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
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
	    strpbrk(next, "\r\n") != NULL)
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
	lua_State	*L = tpl_state(env->tpl);

	snap_rows(env->snap, L, SNAP_Q_ITEM_COUNT, "");
	lua_Integer items = page_pop_count(L);
	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	page_setstr(L, "status", "ok");
	page_setstr(L, "snapshot", snap_id(env->snap));
	page_setint(L, "items", items);
	page_setint(L, "uptime", (lua_Integer)(now - env->started));
	page_render(env, "healthz", 200, json_type, out);
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
	case ROUTE_SEARCH:	page_search(env, out); break;
	case ROUTE_MODE:	page_mode(env, out); break;
	case ROUTE_HEALTHZ:	page_healthz(env, now, out); break;
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

	at = snap_int(env->snap, SNAP_Q_LAST_CHANGE);
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

/*
 * Answers one request. status is http_parse()'s result (0 when the request
 * line was good). Fills out; the caller writes it and calls page_done().
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
	if (page_api_refuse(env, req, status, &r, out))
		return;
	if (status != 0) {
		page_error(env, status, req->error, out);
		return;
	}
	if (req->method == HTTP_OTHER) {
		page_error(env, 405, "本站只接受 GET 和 HEAD 请求。", out);
		return;
	}
	page_route(env, &r, now, out);
	if (out->status == 200)
		out->last_modified = page_last_modified(env, now);
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
