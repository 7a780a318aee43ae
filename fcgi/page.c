/*
 * page.c: the pages. Each handler gathers what its template needs from the
 * snapshot into one Lua table (the page's ctx) and names the template;
 * req.c has checked the query's parameter names before, and req_render
 * adds what every page needs: the display mode and the current path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "buf.h"
#include "credit.h"
#include "http.h"
#include "ics.h"
#include "log.h"
#include "page.h"
#include "req.h"
#include "route.h"
#include "search.h"
#include "snap.h"
#include "tool.h"
#include "tpl.h"

/* Fields a page's ctx table is made with room for: growing it rehashes. */
#define PAGE_CTX_FIELDS	16

static const char	 html_type[] = "text/html; charset=utf-8";
static const char	 json_type[] = "application/json; charset=utf-8";

/* A query filter: its parameter, and which values it accepts. */
struct page_filter {
	const char	*name;
	int		(*valid)(const char *);
};

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
			req_setstr(L, f[i].name, vals[i]);
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
page_paging(struct req_env *env, long total, struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);
	long		 page, pages = (total + REQ_PER_PAGE - 1) / REQ_PER_PAGE;

	if ((page = req_number(env->req, "page", 1, REQ_MAX_PAGE)) == 0) {
		req_page_error(env, 400, "页码应为 1 到 10000 之间的整数。", out);
		return 0;
	}
	if (page > 1 && page > pages) {
		req_page_error(env, 404, "没有这一页。", out);
		return 0;
	}
	req_setint(L, "page", page);
	req_setint(L, "pages", pages);
	req_setint(L, "total", total);
	return page;
}

void
page_home(struct req_env *env, struct req_out *out)
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
	req_render(env, "home", 200, html_type, out);
}

/* /cases/: filters by domain, town, year and procedure, with counts. */
void
page_cases(struct req_env *env, struct req_out *out)
{
	static const struct page_filter f[] = {
		{ "domain", route_valid_id }, { "town", route_valid_id },
		{ "year", req_valid_year }, { "procedure", req_valid_procedure } };
	static const char *const facets[] = { "domains", "towns", "years",
		"procedures" };
	lua_State	*L = tpl_state(env->tpl);
	const char	*v[SNAP_LIST_FILTERS];
	int64_t		 stamp;
	long		 page;
	int		 i;

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	if (page_filters(L, env->req, f, 4, v) == -1) {
		req_page_error(env, 400, "筛选条件的格式不正确。", out);
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
	    (page - 1) * REQ_PER_PAGE, REQ_PER_PAGE);
	lua_setfield(L, -2, "cases");
	req_render(env, "cases", 200, html_type, out);
}

/*
 * /cases/<id>, /pufa/<id>, /credit/<id>: one item of the route's section,
 * its parts and its related items, rendered by the template named after
 * its kind; 404 when no such visible item.
 */
void
page_item(struct req_env *env, struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);
	const char	*id = env->route->id, *name = env->route->section->kind;
	enum snap_q	 q = env->route->section->item;
	int		 related;

	if (snap_rows(env->snap, L, q, "s", id) < 1) {
		lua_pop(L, 1);
		req_page_error(env, 404, "没有找到这一内容，它可能尚未发布或已被移除。", out);
		return;
	}
	lua_rawgeti(L, -1, 1);
	lua_remove(L, -2);		/* ctx = the item's row */
	snap_parts(env->snap, L, id, 1, &related);
	if (related > 0)
		snap_rows(env->snap, L, SNAP_Q_RELATED, "s", id);
	else
		lua_createtable(L, 0, 0);
	lua_setfield(L, -2, "related");
	req_render(env, name, 200, html_type, out);
}

/* /laws/: every law the site cites, by kind, with counts. */
void
page_laws(struct req_env *env, struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	snap_laws(env->snap, L);
	lua_setfield(L, -2, "laws");
	req_render(env, "laws", 200, html_type, out);
}

/*
 * /laws/<id>: a law's facts, its history, the articles the site cites and,
 * for each, the visible items that apply it. 404 when there is no such law.
 */
void
page_law(struct req_env *env, struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);
	const char	*id = env->route->id;

	if (snap_rows(env->snap, L, SNAP_Q_LAW, "s", id) < 1) {
		lua_pop(L, 1);
		req_page_error(env, 404, "没有找到这部法律法规。", out);
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
	req_render(env, "law", 200, html_type, out);
}

/* /pufa/: materials by kind and topic; campaigns upcoming and past. */
void
page_pufa(struct req_env *env, struct req_out *out)
{
	static const struct page_filter f[] = {
		{ "kind", req_valid_kind }, { "topic", route_valid_id } };
	lua_State	*L = tpl_state(env->tpl);
	const char	*v[SNAP_LIST_FILTERS] = { NULL, NULL, NULL, NULL };
	int64_t		 stamp;
	long		 page;

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	if (page_filters(L, env->req, f, 2, v) == -1) {
		req_page_error(env, 400, "筛选条件的格式不正确。", out);
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
	    (page - 1) * REQ_PER_PAGE, REQ_PER_PAGE);
	lua_setfield(L, -2, "materials");
	snap_rows(env->snap, L, SNAP_Q_CAMPAIGNS_NEXT, "si", env->today,
	    (int64_t)PAGE_CAMPAIGNS);
	lua_setfield(L, -2, "upcoming");
	snap_rows(env->snap, L, SNAP_Q_CAMPAIGNS_PAST, "si", env->today,
	    (int64_t)PAGE_CAMPAIGNS);
	lua_setfield(L, -2, "past");
	req_render(env, "pufa", 200, html_type, out);
}

/* /credit/: the guides, REQ_PER_PAGE a page, and the tools. */
void
page_credit(struct req_env *env, struct req_out *out)
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
	    (page - 1) * REQ_PER_PAGE, REQ_PER_PAGE);
	lua_setfield(L, -2, "guides");
	req_render(env, "credit", 200, html_type, out);
}

void
page_about(struct req_env *env, struct req_out *out)
{
	static const char *const any[SNAP_LIST_FILTERS];
	lua_State	*L = tpl_state(env->tpl);

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	snap_list_facet(env->snap, L, SNAP_LIST_CASE, 0, any);
	lua_setfield(L, -2, "by_domain");
	req_render(env, "about", 200, html_type, out);
}

/*
 * /search?q=&section=&domain=&year=&page=: full-text search (search.c).
 * An empty query shows the form alone; an item's id or a case's decision
 * number goes straight to it (303); a wrong parameter is a 400 page with the
 * message next to the form.
 */
void
page_search(struct req_env *env, struct req_out *out)
{
	lua_State	*L = tpl_state(env->tpl);
	struct search	 s;
	int		 rc;

	rc = search_read(env, &s);
	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	req_setstr(L, "q", s.q);
	if (rc == -1 || s.q[0] == '\0') {
		if (rc == -1) {
			req_setstr(L, "error", s.message);
			req_setstr(L, "error_field", s.field);
		}
		req_render(env, "search", rc == -1 ? 400 : 200, html_type, out);
		return;
	}
	if (search_exact(env, &s, out->location_buf, sizeof(out->location_buf))) {
		req_redirect(out, 303, out->location_buf);
		return;
	}
	req_setstr(L, "section", s.section);
	req_setstr(L, "domain", s.domain);
	req_setstr(L, "year", s.year);
	req_setstr(L, "town", s.town);
	if ((rc = search_run(env, L, &s)) == -1)
		req_server_error(env, out);
	else if (rc == 2)
		req_not_found(env, out);
	else {
		if (rc == 1)
			req_setstr(L, "error", "请输入要查找的文字或数字，"
			    "标点符号和空格不能单独搜索。");
		req_render(env, "search", rc == 1 ? 400 : 200, html_type, out);
	}
}

/*
 * /mode?set=elder|normal&next=/path: remembers the display mode in a cookie
 * (no session, nothing else) and goes back to the page the reader was on.
 * next must be a path on this site; anything else goes home.
 */
void
page_mode(struct req_env *env, struct req_out *out)
{
	const char	*set = http_param(env->req, "set");
	const char	*next = http_param(env->req, "next");

	if (set == NULL || (strcmp(set, "elder") != 0 && strcmp(set, "normal") != 0)) {
		req_page_error(env, 400, "显示模式只能是长者模式或标准模式。", out);
		return;
	}
	if (next == NULL || !req_local_path(next))
		next = "/";
	if (strcmp(set, "elder") == 0)
		snprintf(out->cookie_buf, sizeof(out->cookie_buf), "fazhi_mode=elder; Path=/; "
		    "Max-Age=%d; SameSite=Lax; HttpOnly", PAGE_MODE_MAX_AGE);
	else
		snprintf(out->cookie_buf, sizeof(out->cookie_buf), "fazhi_mode=; "
		    "Path=/; Max-Age=0; "
		    "SameSite=Lax; HttpOnly");
	req_redirect(out, 303, next);
	out->cookie = out->cookie_buf;
}

/* /healthz: the snapshot in service, its item count, the uptime. */
void
page_healthz(struct req_env *env, struct req_out *out)
{
	static const char *const any[SNAP_LIST_FILTERS];
	lua_State	*L = tpl_state(env->tpl);
	int64_t		 stamp;
	lua_Integer	 items = snap_list_count(env->snap, SNAP_LIST_ALL, any,
			    &stamp);

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	req_setstr(L, "status", "ok");
	req_setstr(L, "snapshot", snap_id(env->snap));
	req_setint(L, "items", items);
	req_setint(L, "uptime", (lua_Integer)(env->now - env->started));
	req_render(env, "healthz", 200, json_type, out);
}

/* ---- The credit tools: the calculator and the record look-up ----------- */

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
			req_setstr(L, keys[i], vals[i]);
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
		req_setstr(L, "field", p[i].field);
		req_setstr(L, "code", p[i].code);
		req_setstr(L, "message", p[i].message);
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

/* Sets ctx.kind_list: every kind, for the form's boxes. */
static void
page_kind_list(lua_State *L)
{
	tool_push_kinds(L, (1u << CREDIT_K__MAX) - 1);
	lua_setfield(L, -2, "kind_list");
}

/*
 * /credit/check (api: /api/v1/credit/check): the calculator. Without any
 * parameter the page shows the empty form; a form with problems comes
 * back with each beside its field, status 400.
 */
void
page_credit_check(struct req_env *env, struct req_out *out)
{
	struct tool_check	 t;
	lua_State		*L = tpl_state(env->tpl);

	tool_check_input(env, &t);
	if (env->req->nparams > 0)
		tool_check(env, &t);
	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	page_credit_form(L, &t.in);
	page_kind_list(L);
	snap_rows(env->snap, L, SNAP_Q_CREDIT_REGIMES, "");
	lua_setfield(L, -2, "regimes");
	if (t.nproblems > 0)
		page_credit_problems(L, t.p, t.nproblems);
	else if (env->req->nparams > 0) {
		tool_push_answer(env, &t.c, &t.a, 1);
		lua_setfield(L, -2, "answer");
	}
	req_render(env, "credit_check", t.nproblems > 0 ? 400 : 200, html_type,
	    out);
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
 * for repair) of answer a to out->text. Its DTSTAMP, without a METHOD, is
 * when the information was last revised (RFC 5545 §3.8.7.2): the answer's
 * Last-Modified, so that the same answer is the same bytes all day.
 * Returns 0, or -1 when memory runs out (or the day after is past the
 * dates libc can count).
 */
static int
page_ics_write(struct req_env *env, const struct credit_case *c,
    const struct credit_answer *a, const char *title, struct req_out *out)
{
	struct buf	*b = &out->text;
	time_t		 now;
	char		 day[16], next[CREDIT_DATE_SIZE], stamp[32], uid[128];
	char		 desc[1024];
	const char	*url = snap_site_url(env->snap), *host;
	struct tm	 tm;
	int		 rc;

	snprintf(day, sizeof(day), "%.4s%.2s%.2s", a->earliest, a->earliest + 5,
	    a->earliest + 8);
	if (credit_add_days(a->earliest, 1, next) == -1)
		return -1;
	now = (time_t)req_last_modified(env);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	host = strstr(url, "://") != NULL ? strstr(url, "://") + 3 : url;
	snprintf(uid, sizeof(uid), "credit-%s-%s-%08lx@%s", c->decided,
	    a->earliest, page_query_hash(env->req), host);
	snprintf(desc, sizeof(desc), "处罚决定日期：%s。按《%s》，最短公示期届满、"
	    "履行完处罚决定后，可以申请信用修复。条件、材料和办理地点见：%s"
	    "/credit/check?%s", c->decided, title, url,
	    strchr(env->req->uri, '?') != NULL ? strchr(env->req->uri, '?') + 1 : "");
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
void
page_credit_ics(struct req_env *env, struct req_out *out)
{
	static const char calendar_type[] = "text/calendar; charset=utf-8";
	struct tool_check	 t;
	lua_State		*L = tpl_state(env->tpl);
	const char		*title;

	tool_check_input(env, &t);
	if (tool_check(env, &t) > 0) {
		req_page_error(env, 400, "计算条件有误，请回到信用修复计算器修改后再下载日历。", out);
		return;
	}
	if (t.a.repair != CREDIT_REPAIR_FROM || !t.a.published) {
		req_not_found(env, out);
		return;
	}
	snap_rows(env->snap, L, SNAP_Q_CREDIT_REGIME, "s", t.a.regime->id);
	lua_rawgeti(L, -1, 1);
	lua_getfield(L, -1, "title");
	title = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
	if (page_ics_write(env, &t.c, &t.a, title, out) == -1) {
		req_server_error(env, out);
		return;
	}
	req_text(out, calendar_type);
}

/*
 * /credit/lookup?q=: the look-up's form and the records it finds (tool.c).
 * Not found is 404 with guidance.
 */
void
page_credit_lookup(struct req_env *env, struct req_out *out)
{
	lua_State		*L = tpl_state(env->tpl);
	struct tool_lookup	 t;

	lua_createtable(L, 0, PAGE_CTX_FIELDS);
	if (tool_lookup(env, &t) == -1) {
		if (strcmp(t.code, "missing") == 0) {
			req_render(env, "credit_lookup", 200, html_type, out);
			return;
		}
		req_setstr(L, "q", strcmp(t.code, "too_long") == 0 ? "" : t.q);
		req_setstr(L, "error", t.problem);
		req_render(env, "credit_lookup", 400, html_type, out);
		return;
	}
	lua_setfield(L, -2, "records");
	req_setstr(L, "q", t.q);
	req_setstr(L, "by", t.is_code ? "credit_code" : "decision_number");
	if (t.warning[0] != '\0')
		req_setstr(L, "warning", t.warning);
	req_render(env, "credit_lookup", t.n < 1 ? 404 : 200, html_type, out);
}
