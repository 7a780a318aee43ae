/*
 * req.c: the request layer. req_serve takes a parsed request, finds its
 * route, refuses what the route's entry in req_routes does not allow (the
 * method, an Accept without JSON, a query parameter it does not know or a
 * repeated one) and calls the entry's handler: a page of page.c or an
 * answer of api.c, which never call each other. The error answers, HTML or
 * JSON, the rendering of both, and the checks and Lua helpers the handlers
 * share are here too.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "api.h"
#include "buf.h"
#include "http.h"
#include "page.h"
#include "req.h"
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

/* The last resort when even a JSON error cannot be encoded. */
static const char	 fallback_json_500[] =
    "{\"error\":{\"code\":\"internal_error\",\"message\":\"服务器暂时无法处理请求。\"}}";

/* ---- Lua helpers -------------------------------------------------------- */

/* Sets t.key = value (nil when value is NULL) on the table on top of the stack. */
void
req_setstr(lua_State *L, const char *key, const char *value)
{
	lua_pushstring(L, value);
	lua_setfield(L, -2, key);
}

/* Sets t.key = value on the table on top of the stack. */
void
req_setint(lua_State *L, const char *key, lua_Integer value)
{
	lua_pushinteger(L, value);
	lua_setfield(L, -2, key);
}

/*
 * Reads the single count(*) row the stack's top array holds, and pops it.
 * The array is empty when the read failed: 0 then (req_serve answers 500).
 */
long
req_pop_count(lua_State *L)
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

/* ---- checks of parameter values ----------------------------------------- */

/*
 * Reads the integer parameter name as 1..max (absent: def). Returns it, or
 * 0 when it is not such a number.
 */
long
req_number(const struct http_req *req, const char *name, long def, long max)
{
	const char	*s = http_param(req, name);
	char		*end;
	long		 n;

	if (s == NULL)
		return def;
	if (*s < '1' || *s > '9' || strlen(s) > 9)
		return 0;
	n = strtol(s, &end, 10);
	return *end != '\0' || n > max ? 0 : n;
}

int
req_valid_year(const char *s)
{
	return strlen(s) == 4 && strspn(s, "0123456789") == 4;
}

int
req_valid_procedure(const char *s)
{
	return strcmp(s, "general") == 0 || strcmp(s, "simple") == 0;
}

int
req_valid_kind(const char *s)
{
	return strcmp(s, "article") == 0 || strcmp(s, "qa") == 0 ||
	    strcmp(s, "brochure") == 0 || strcmp(s, "campaign") == 0;
}

/* Is code a row of the code list q (domains, towns) that site.xml lists? */
static int
req_known(struct req_env *env, enum snap_q q, const char *code)
{
	lua_State	*L = tpl_state(env->tpl);
	int		 n;

	if (!route_valid_id(code))
		return 0;
	n = snap_rows(env->snap, L, q, "s", code);
	lua_pop(L, 1);
	return n == 1;
}

int
req_known_domain(struct req_env *env, const char *code)
{
	return req_known(env, SNAP_Q_DOMAIN_NAME, code);
}

int
req_known_town(struct req_env *env, const char *code)
{
	return req_known(env, SNAP_Q_TOWN_NAME, code);
}

/* ---- answers ------------------------------------------------------------ */

/* What to tell the reader for an error nginx found before fazhi saw it. */
static const char *
req_error_message(int status)
{
	switch (status) {
	case 400: return "请求格式不正确，请检查网址是否完整。";
	case 413: return "提交的内容过大。";
	case 414: return "请求的网址过长。";
	case 429: return "请求过于频繁，请稍后再试。";
	default: return "您访问的页面不存在。";
	}
}

/*
 * Whether u may be sent back as a Location on this site: a path of ours
 * (not //host or /\\host), no control characters (no header splitting),
 * at most REQ_MAX_LOCATION bytes (the answer's head has room for it).
 */
int
req_local_path(const char *u)
{
	size_t	 i;

	if (u[0] != '/' || u[1] == '/' || u[1] == '\\')
		return 0;
	for (i = 0; u[i] != '\0'; i++)
		if (i == REQ_MAX_LOCATION || (unsigned char)u[i] < 0x20 ||
		    u[i] == 0x7f)
			return 0;
	return 1;
}

/*
 * Where the display-mode switch returns to: this very address as the
 * client sent it (filters and page included), unless it is an error page,
 * the switch itself, not a path of this site, or longer than
 * REQ_MAX_LOCATION.
 */
static const char *
req_next(const struct http_req *req)
{
	const char	*u = req->uri;

	if (!req_local_path(u) || strncmp(u, "/_error/", 8) == 0 ||
	    strncmp(u, "/mode", 5) == 0)
		return "/";
	return u;
}

/*
 * Renders template name with the ctx on top of the stack into out, after
 * adding ctx.mode ("elder" or "normal"), ctx.path, ctx.next (req_next)
 * and ctx.today. A failed render becomes the 500 page; a failed 500 page
 * becomes fallback_500.
 */
void
req_render(struct req_env *env, const char *name, int status,
    const char *type, struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	req_setstr(L, "mode", env->req->elder ? "elder" : "normal");
	req_setstr(L, "path", env->req->path);
	req_setstr(L, "next", req_next(env->req));
	req_setstr(L, "today", env->today);
	out->status = status;
	out->type = type;
	if (tpl_render(env->tpl, name, &out->body, &out->len) == 0) {
		out->rendered = 1;
		return;
	}
	if (strcmp(name, "error") != 0 || status != 500) {
		req_page_error(env, 500, "页面生成出错，请稍后再试。", out);
		return;
	}
	out->body = fallback_500;
	out->len = sizeof(fallback_500) - 1;
}

/*
 * Renders the error page for status with a message for the reader. What
 * the handler had pushed stays below it until req_done clears the stack.
 */
void
req_page_error(struct req_env *env, int status, const char *message,
    struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, 6);	/* and req_render's four */
	req_setint(L, "status", status);
	req_setstr(L, "message", message);
	req_render(env, "error", status, html_type, out);
}

void
req_not_found(struct req_env *env, struct req_out *out)
{
	req_page_error(env, 404, req_error_message(404), out);
}

void
req_server_error(struct req_env *env, struct req_out *out)
{
	req_page_error(env, 500, "页面生成出错，请稍后再试。", out);
}

/*
 * Answers with the table on top of the stack (popped) as JSON, with status:
 * for a success the envelope {data = ..., meta = {...}}. An empty array
 * must be pushed with tpl_push_empty_array, or it is written as {}. When the
 * table cannot be encoded the answer is the JSON 500.
 */
void
req_json(struct req_env *env, int status, struct req_out *out)
{
	out->status = status;
	out->type = json_type;
	if (tpl_json(env->tpl, &out->body, &out->len) == 0) {
		out->rendered = 1;
		return;
	}
	out->status = 500;
	out->body = fallback_json_500;
	out->len = sizeof(fallback_json_500) - 1;
}

/*
 * Answers with the JSON error status, machine code and message (Chinese, for
 * people), and field, the query parameter at fault, when there is one (may
 * be NULL). What the handler had pushed stays below it until req_done.
 */
void
req_json_field_error(struct req_env *env, int status, const char *code,
    const char *message, const char *field, struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, 1);
	lua_createtable(L, 0, 3);
	req_setstr(L, "code", code);
	req_setstr(L, "message", message);
	if (field != NULL)
		req_setstr(L, "field", field);
	lua_setfield(L, -2, "error");
	req_json(env, status, out);
}

/* req_json_field_error for an error that is about no one parameter. */
void
req_json_error(struct req_env *env, int status, const char *code,
    const char *message, struct req_out *out)
{
	req_json_field_error(env, status, code, message, NULL, out);
}

/* Answers 200 with the text the handler wrote into out->text, of type. */
void
req_text(struct req_out *out, const char *type)
{
	out->status = 200;
	out->type = type;
	out->body = out->text.data != NULL ? out->text.data : "";
	out->len = out->text.len;
}

/* Answers a redirect with status to location, which outlives the answer. */
void
req_redirect(struct req_out *out, int status, const char *location)
{
	out->status = status;
	out->type = html_type;
	out->location = location;
}

/* ---- the routes --------------------------------------------------------- */

/*
 * The query parameters each route knows. Anything else is refused (400),
 * and so is a parameter given twice, unless the route says it may repeat:
 * nginx's micro-cache keys on the whole address, so an address that names
 * the same answer in another way must not reach fazhi as a new one. Not
 * even utm_* and the like: no link of the site adds them, and a campaign
 * that did would be told at once.
 */
static const char *const req_p_none[] = { NULL };
static const char *const req_p_search[] = { "q", "section", "domain", "year",
    "town", "page", NULL };
static const char *const req_p_mode[] = { "set", "next", NULL };
static const char *const req_p_credit_check[] = { "date", "procedure", "kind",
    "fine", "domain", "tier", "published", "fulfilled", "party", NULL };
static const char *const req_p_lookup[] = { "q", NULL };
static const char *const req_p_page[] = { "page", NULL };
static const char *const req_p_api_list[] = { "page", "per_page", NULL };

static void	req_redirect_route(struct req_env *, struct req_out *);
static void	req_error_route(struct req_env *, struct req_out *);
static void	req_api_not_found(struct req_env *, struct req_out *);

/*
 * Every route: how it answers, the parameters it knows (NULL: any, for
 * answers that read nothing and are the same whatever the query) besides,
 * for a list, its section's filters (route.c), the one it lets repeat, and
 * its handler.
 */
static const struct req_route {
	enum route_kind		 kind;
	enum req_format		 format;
	const char *const	*params;
	int			 filters;	/* the section's filters too */
	const char		*repeats;
	void			(*serve)(struct req_env *, struct req_out *);
} req_routes[] = {
	{ ROUTE_HOME, REQ_HTML, req_p_none, 0, NULL, page_home },
	{ ROUTE_CASES, REQ_HTML, req_p_page, 1, NULL, page_cases },
	{ ROUTE_CASE, REQ_HTML, req_p_none, 0, NULL, page_item },
	{ ROUTE_PUFA, REQ_HTML, req_p_page, 1, NULL, page_pufa },
	{ ROUTE_MATERIAL, REQ_HTML, req_p_none, 0, NULL, page_item },
	{ ROUTE_CREDIT, REQ_HTML, req_p_page, 1, NULL, page_credit },
	{ ROUTE_GUIDE, REQ_HTML, req_p_none, 0, NULL, page_item },
	{ ROUTE_ABOUT, REQ_HTML, req_p_none, 0, NULL, page_about },
	{ ROUTE_SEARCH, REQ_HTML, req_p_search, 0, NULL, page_search },
	{ ROUTE_MODE, REQ_HTML, req_p_mode, 0, NULL, page_mode },
	{ ROUTE_HEALTHZ, REQ_JSON, req_p_none, 0, NULL, page_healthz },
	{ ROUTE_LAWS, REQ_HTML, req_p_none, 0, NULL, page_laws },
	{ ROUTE_LAW, REQ_HTML, req_p_none, 0, NULL, page_law },
	{ ROUTE_CREDIT_CHECK, REQ_HTML, req_p_credit_check, 0, "kind",
	    page_credit_check },
	{ ROUTE_CREDIT_LOOKUP, REQ_HTML, req_p_lookup, 0, NULL, page_credit_lookup },
	{ ROUTE_CREDIT_ICS, REQ_HTML, req_p_credit_check, 0, "kind",
	    page_credit_ics },
	{ ROUTE_REDIRECT, REQ_HTML, NULL, 0, NULL, req_redirect_route },
	{ ROUTE_ERROR, REQ_HTML, NULL, 0, NULL, req_error_route },
	{ ROUTE_NOT_FOUND, REQ_HTML, NULL, 0, NULL, req_not_found },
	{ ROUTE_FEED, REQ_HTML, req_p_page, 0, NULL, api_serve_feed },
	{ ROUTE_FEED_DOMAIN, REQ_HTML, req_p_page, 0, NULL, api_serve_feed },
	{ ROUTE_SITEMAP, REQ_HTML, req_p_none, 0, NULL, api_sitemap },
	{ ROUTE_ROBOTS, REQ_HTML, req_p_none, 0, NULL, api_robots },
	{ ROUTE_EXPORT, REQ_HTML, req_p_none, 0, NULL, api_serve_export },
	{ ROUTE_API_CASES, REQ_JSON, req_p_api_list, 1, NULL, api_serve_list },
	{ ROUTE_API_CASE, REQ_JSON, req_p_none, 0, NULL, api_serve_item },
	{ ROUTE_API_PUFA, REQ_JSON, req_p_api_list, 1, NULL, api_serve_list },
	{ ROUTE_API_MATERIAL, REQ_JSON, req_p_none, 0, NULL, api_serve_item },
	{ ROUTE_API_CREDIT, REQ_JSON, req_p_api_list, 1, NULL, api_serve_list },
	{ ROUTE_API_GUIDE, REQ_JSON, req_p_none, 0, NULL, api_serve_item },
	{ ROUTE_API_CREDIT_CHECK, REQ_JSON, req_p_credit_check, 0, "kind",
	    api_credit_check },
	{ ROUTE_API_CREDIT_LOOKUP, REQ_JSON, req_p_lookup, 0, NULL,
	    api_credit_lookup },
	{ ROUTE_API_SEARCH, REQ_JSON, req_p_search, 0, NULL, api_search },
	{ ROUTE_API_LAWS, REQ_JSON, req_p_none, 0, NULL, api_laws },
	{ ROUTE_API_LAW, REQ_JSON, req_p_none, 0, NULL, api_serve_law },
	{ ROUTE_API_NOT_FOUND, REQ_JSON, NULL, 0, NULL, req_api_not_found },
};

/* The entry of req_routes for kind; every kind has one. */
static const struct req_route *
req_route(enum route_kind kind)
{
	size_t	 i;

	for (i = 0; i < sizeof(req_routes) / sizeof(req_routes[0]); i++)
		if (req_routes[i].kind == kind)
			return &req_routes[i];
	return NULL;
}

/* /cases -> /cases/ and the like. */
static void
req_redirect_route(struct req_env *env, struct req_out *out)
{
	req_redirect(out, 301, env->route->location);
}

/* /_error/<status>: the page for an error nginx found. */
static void
req_error_route(struct req_env *env, struct req_out *out)
{
	req_page_error(env, env->route->status,
	    req_error_message(env->route->status), out);
}

static void
req_api_not_found(struct req_env *env, struct req_out *out)
{
	req_json_error(env, 404, "not_found", "没有这个接口，请查看接口说明。", out);
}

/* Is key a query parameter of route rt, a list of the request's section? */
static int
req_known_param(struct req_env *env, const struct req_route *rt,
    const char *key)
{
	const char *const	*p;

	for (p = rt->params; *p != NULL; p++)
		if (strcmp(key, *p) == 0)
			return 1;
	if (!rt->filters || env->route->section == NULL)
		return 0;
	for (p = env->route->section->filters; *p != NULL; p++)
		if (strcmp(key, *p) == 0)
			return 1;
	return 0;
}

/*
 * Refuses a request whose query the route rt does not allow: a parameter
 * it does not know, or one given twice that may not repeat. Returns 0, or
 * -1 after answering 400 in the route's format (JSON: error.field names
 * the parameter).
 */
static int
req_params_check(struct req_env *env, const struct req_route *rt,
    struct req_out *out)
{
	const struct http_req	*req = env->req;
	size_t			 i, j;

	if (rt->params == NULL)
		return 0;
	for (i = 0; i < req->nparams; i++) {
		if (!req_known_param(env, rt, req->params[i].key)) {
			if (rt->format == REQ_JSON)
				req_json_field_error(env, 400, "unknown_parameter",
				    "请求中有本接口不认识的参数。",
				    req->params[i].key, out);
			else
				req_page_error(env, 400, "网址中有本页不认识的参数，"
				    "请检查网址是否完整。", out);
			return -1;
		}
	}
	for (i = 0; i < req->nparams; i++)
		for (j = 0; j < i; j++) {
			if (strcmp(req->params[i].key, req->params[j].key) != 0 ||
			    (rt->repeats != NULL &&
			    strcmp(req->params[i].key, rt->repeats) == 0))
				continue;
			if (rt->format == REQ_JSON)
				req_json_field_error(env, 400, "repeated_parameter",
				    "这个参数只能出现一次。", req->params[i].key, out);
			else
				req_page_error(env, 400, "网址中有重复的参数，"
				    "请检查网址是否完整。", out);
			return -1;
		}
	return 0;
}

/*
 * Does an Accept header allow JSON? An absent one does, and so does one
 * naming application/json, any application type or any type at all.
 * Parameters (q=) are not weighed.
 */
static int
req_accepts_json(const char *accept)
{
	if (accept == NULL || *accept == '\0')
		return 1;
	return strstr(accept, "application/json") != NULL ||
	    strstr(accept, "application/*") != NULL || strstr(accept, "*/*") != NULL;
}

/*
 * Refuses what fails before the handler: a bad request line (status), a
 * method other than GET and HEAD, under /api/ an Accept that rules JSON
 * out, and the query parameters rt does not allow. Errors under /api/ are
 * JSON. Returns 1 when out is answered.
 */
static int
req_refuse(struct req_env *env, const struct req_route *rt, int status,
    struct req_out *out)
{
	const struct http_req	*req = env->req;
	int			 api = ROUTE_IS_API(rt->kind);

	if (status != 0 && strncmp(req->uri, "/api/", 5) == 0)
		req_json_error(env, status, status == 414 ? "uri_too_long" :
		    "bad_request", req->error, out);
	else if (status != 0)
		req_page_error(env, status, req->error, out);
	else if (req->method == HTTP_OTHER && api)
		req_json_error(env, 405, "method_not_allowed",
		    "接口只接受 GET 和 HEAD 请求。", out);
	else if (req->method == HTTP_OTHER)
		req_page_error(env, 405, "本站只接受 GET 和 HEAD 请求。", out);
	else if (api && !req_accepts_json(req->accept))
		req_json_error(env, 406, "not_acceptable",
		    "接口只提供 JSON（application/json）。", out);
	else
		return req_params_check(env, rt, out) == -1;
	return 1;
}

/* ---- serving ------------------------------------------------------------ */

/*
 * The time that decides which items are public: the clock, or for tests
 * the Unix time written in clock_file (when not NULL), read on every
 * request and by the export writer.
 */
time_t
req_clock(const char *clock_file)
{
	FILE		*f;
	long long	 t;

	if (clock_file == NULL || (f = fopen(clock_file, "r")) == NULL)
		return time(NULL);
	if (fscanf(f, "%lld", &t) != 1)
		t = time(NULL);
	fclose(f);
	return (time_t)t;
}

/*
 * When what a public answer shows last changed, as Unix time: the snapshot's
 * build, the latest publish-at that has passed (a scheduled item appears by
 * itself) or the start of today in China (pages split campaigns by date),
 * whichever is latest. The validators of worker.c rest on it.
 */
int64_t
req_last_modified(struct req_env *env)
{
	int64_t	 t = snap_built_at(env->snap), at, midnight;
	time_t	 now = env->now;

	at = snap_last_change(env->snap);
	midnight = (int64_t)(now + 8 * 3600) / 86400 * 86400 - 8 * 3600;
	if (at > t)
		t = at;
	if (midnight > t)
		t = midnight;
	return t > (int64_t)now ? (int64_t)now : t;
}

/*
 * Replaces the answer to a request whose snapshot reads failed: whatever
 * the handler made of them (a page with short lists, a "not found", a
 * count of 0) is dropped for a 500, in JSON for the API and /healthz, the
 * error page for the rest. worker.c gives a 500 no validators and
 * Cache-Control: no-store.
 */
static void
req_read_failed(struct req_env *env, const struct req_route *rt,
    struct req_out *out)
{
	static const char	 message[] = "暂时无法读取网站数据，请稍后再试。";

	if (out->rendered)
		tpl_release(env->tpl);
	req_reset(out);
	if (rt->format == REQ_JSON)
		req_json_error(env, 500, "internal_error", message, out);
	else
		req_page_error(env, 500, message, out);
}

/*
 * Clears out for a new answer: the one place an answer starts afresh. Its
 * text buffer keeps its memory for the next request.
 */
void
req_reset(struct req_out *out)
{
	struct buf	 text = out->text;

	memset(out, 0, sizeof(*out));
	out->text = text;
	buf_reset(&out->text);
}

/*
 * Answers one request. status is http_parse()'s result (0 when the request
 * line was good). Fills out, which must be zeroed before its first request;
 * the caller writes it and calls req_done().
 *
 * NOTE: this is the one place where a failed snapshot read (snap_failed)
 * becomes a 500, for every page, API answer, feed, sitemap, export and
 * /healthz alike. Handlers may ignore what snap_rows returns; they must
 * only not crash on the empty array it then pushes. A 200 built from a
 * failed read would carry an ETag and be micro-cached by nginx.
 */
void
req_serve(struct req_env *env, struct http_req *req, int status,
    struct req_out *out)
{
	const struct req_route	*rt;
	struct route		 r;
	struct tm		 tm;
	time_t			 china;

	req_reset(out);
	env->req = req;
	env->route = &r;
	env->now = req_clock(env->clock_file);
	china = env->now + 8 * 3600;
	gmtime_r(&china, &tm);
	strftime(env->today, sizeof(env->today), "%Y-%m-%d", &tm);
	snap_clock(env->snap, (int64_t)env->now, env->preview);
	memset(&r, 0, sizeof(r));
	r.kind = ROUTE_NOT_FOUND;
	if (status == 0)
		route_match(req->path, &r);
	rt = req_route(r.kind);
	assert(rt != NULL);
	if (!lua_checkstack(tpl_state(env->tpl), REQ_STACK))
		req_server_error(env, out);
	else if (!req_refuse(env, rt, status, out)) {
		rt->serve(env, out);
		if (out->status == 200)
			out->last_modified = req_last_modified(env);
	}
	if (snap_failed(env->snap))
		req_read_failed(env, rt, out);
	out->private = env->preview;	/* preview is never cached */
	env->route = NULL;
}

/*
 * Releases what req_serve() rendered, once the answer is written, and
 * empties the Lua stack: the one place it is reset, for the handlers leave
 * there the strings their answer points to.
 */
void
req_done(struct req_env *env, struct req_out *out)
{
	if (out->rendered)
		tpl_release(env->tpl);
	out->rendered = 0;
	lua_settop(tpl_state(env->tpl), 0);
}

/* Frees the memory out keeps between requests. */
void
req_free(struct req_out *out)
{
	buf_free(&out->text);
}
