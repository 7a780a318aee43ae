/*
 * page.c: the pages. Each handler gathers what its template needs from the
 * snapshot into one Lua table (the page's ctx) and names the template.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "http.h"
#include "log.h"
#include "page.h"
#include "route.h"
#include "snap.h"
#include "tpl.h"

static const char	 html_type[] = "text/html; charset=utf-8";
static const char	 json_type[] = "application/json; charset=utf-8";

/* Used only when the error template itself fails: the last resort. */
static const char	 fallback_500[] =
    "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\">"
    "<title>服务器错误</title><h1>服务器暂时无法处理请求</h1>"
    "<p><a href=\"/\">返回首页</a></p></html>\n";

static void
page_render(struct page_env *env, const char *name, int status,
    const char *type, struct page_out *out);

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
	lua_newtable(L);
	page_setint(L, "status", status);
	page_setstr(L, "message", message);
	page_render(env, "error", status, html_type, out);
}

/*
 * Renders template name with the ctx on top of the stack into out. A failed
 * render becomes the 500 page; a failed 500 page becomes fallback_500.
 */
static void
page_render(struct page_env *env, const char *name, int status,
    const char *type, struct page_out *out)
{
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

static void
page_home(struct page_env *env, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	lua_newtable(L);
	snap_rows(env->snap, L, SNAP_Q_LATEST_CASES, "i",
	    (int64_t)PAGE_HOME_CASES);
	lua_setfield(L, -2, "latest");
	page_render(env, "home", 200, html_type, out);
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

static void
page_cases(struct page_env *env, const struct http_req *req,
    struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);
	long		 page, total, pages;

	if ((page = page_number(req)) == 0) {
		page_error(env, 400, "页码应为 1 到 10000 之间的整数。", out);
		return;
	}
	snap_rows(env->snap, L, SNAP_Q_CASES_COUNT, "");
	total = page_pop_count(L);
	pages = (total + PAGE_CASES_PER_PAGE - 1) / PAGE_CASES_PER_PAGE;
	if (page > 1 && page > pages) {
		page_error(env, 404, "没有这一页。", out);
		return;
	}
	lua_newtable(L);
	page_setint(L, "page", page);
	page_setint(L, "pages", pages);
	page_setint(L, "total", total);
	snap_rows(env->snap, L, SNAP_Q_CASES_PAGE, "ii",
	    (int64_t)PAGE_CASES_PER_PAGE,
	    (int64_t)(page - 1) * PAGE_CASES_PER_PAGE);
	lua_setfield(L, -2, "cases");
	page_render(env, "cases", 200, html_type, out);
}

static void
page_case(struct page_env *env, const char *id, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	if (snap_rows(env->snap, L, SNAP_Q_CASE, "s", id) < 1) {
		lua_pop(L, 1);
		page_error(env, 404, "没有找到这个案例，它可能尚未发布或已被移除。", out);
		return;
	}
	lua_rawgeti(L, -1, 1);
	lua_remove(L, -2);		/* ctx = the case row */
	snap_parts(env->snap, L, id);
	snap_rows(env->snap, L, SNAP_Q_RELATED, "s", id);
	lua_setfield(L, -2, "related");
	page_render(env, "case", 200, html_type, out);
}

static void
page_healthz(struct page_env *env, time_t now, struct page_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	snap_rows(env->snap, L, SNAP_Q_ITEM_COUNT, "");
	lua_Integer items = page_pop_count(L);
	lua_newtable(L);
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

/*
 * Answers one request. status is http_parse()'s result (0 when the request
 * line was good). Fills out; the caller writes it and calls page_done().
 */
void
page_serve(struct page_env *env, struct http_req *req, int status,
    struct page_out *out)
{
	struct route	 r;
	time_t		 now = page_now(env);

	memset(out, 0, sizeof(*out));
	snap_clock(env->snap, (int64_t)now, env->preview);
	lua_settop(tpl_state(env->tpl), 0);
	if (status != 0) {
		page_error(env, status, req->error, out);
		return;
	}
	if (req->method == HTTP_OTHER) {
		page_error(env, 405, "本站只接受 GET 和 HEAD 请求。", out);
		return;
	}
	route_match(req->path, &r);
	switch (r.kind) {
	case ROUTE_HOME:
		page_home(env, out);
		break;
	case ROUTE_CASES:
		page_cases(env, req, out);
		break;
	case ROUTE_CASE:
		page_case(env, r.id, out);
		break;
	case ROUTE_HEALTHZ:
		page_healthz(env, now, out);
		break;
	case ROUTE_REDIRECT:
		out->status = 301;
		out->type = html_type;
		out->location = r.location;
		break;
	case ROUTE_ERROR:
		page_error(env, r.status, page_error_message(r.status), out);
		break;
	case ROUTE_NOT_FOUND:
		page_error(env, 404, page_error_message(404), out);
		break;
	}
}

/* Releases what page_serve() rendered. */
void
page_done(struct page_env *env, struct page_out *out)
{
	if (out->rendered)
		tpl_release(env->tpl);
	lua_settop(tpl_state(env->tpl), 0);
}
