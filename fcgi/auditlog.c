/*
 * auditlog.c: the audit log in the console, read-only: a page with filters
 * (account, action, dates) and the same entries as a CSV file. The
 * administrator reads every entry; other staff read their own. Nothing here
 * or anywhere writes the log but staff_audit().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lua.h>

#include "buf.h"
#include "console.h"
#include "http.h"
#include "itemform.h"
#include "log.h"
#include "staff.h"
#include "tpl.h"

/* China time is UTC+8 all year: the log shows and filters days as staff live them. */
#define AUDITLOG_TZ	(8 * 3600)

/* Actions on no item, in the order the filter offers them, with their names. */
static const struct auditlog_action {
	const char	*action;
	const char	*label;
} auditlog_actions[] = {
	{ "signin", "登录" },
	{ "signin-failed", "登录失败" },
	{ "signin-throttled", "登录受限（同一地址失败过多）" },
	{ "account-locked", "账号锁定" },
	{ "signout", "退出登录" },
	{ "session-expired", "登录过期" },
	{ "csrf-refused", "拒绝来源不明的表单" },
	{ "reauth-failed", "确认身份失败" },
	{ "password-change", "修改密码" },
	{ "password-reset", "重置密码" },
	{ "account-add", "添加账号" },
	{ "account-disable", "停用账号" },
	{ "account-enable", "启用账号" },
	{ "account-role", "更改角色" },
	{ "media-upload", "上传图片或附件" },
	{ "media-update", "修改替代文字或说明" },
	{ "media-remove", "移除图片或附件" },
	{ "media-refused", "拒绝上传或修改" },
};

/*
 * What staff do to an item of any kind: written as "<kind>-<verb>"
 * (case-approve, material-restore-refused …) and named "<verb>（<kind>）".
 */
static const struct auditlog_action auditlog_verbs[] = {
	{ "save", "保存" },
	{ "submit", "提交审核" },
	{ "return", "退回修改" },
	{ "return-refused", "拒绝退回" },
	{ "approve", "签发发布" },
	{ "approve-refused", "拒绝签发" },
	{ "approve-failed", "签发后发布失败" },
	{ "withdraw", "撤稿" },
	{ "withdraw-refused", "拒绝撤稿" },
	{ "restore", "恢复旧版本" },
	{ "restore-refused", "拒绝恢复旧版本" },
	{ "delete", "删除草稿" },
	{ "delete-refused", "拒绝删除" },
	{ "undelete", "恢复已删除的草稿" },
	{ "undelete-refused", "拒绝恢复删除" },
};
#define AUDITLOG_N(a)	(sizeof(a) / sizeof((a)[0]))
/* Room for an action ("material-undelete-refused") and for its name. */
#define AUDITLOG_ACTION_SIZE	64
#define AUDITLOG_LABEL_SIZE	128

/*
 * The name of action into out: from the table, as "<verb>（<kind>）" for an
 * item's, or the action itself when unknown. Returns out.
 */
static const char *
auditlog_label(const char *action, char *out, size_t outsz)
{
	size_t	 i, n;
	int	 k;

	for (i = 0; i < AUDITLOG_N(auditlog_actions); i++)
		if (strcmp(auditlog_actions[i].action, action) == 0)
			return auditlog_actions[i].label;
	for (k = 0; k < itemform_nkinds; k++) {
		n = strlen(itemform_kinds[k].kind);
		if (strncmp(action, itemform_kinds[k].kind, n) != 0 || action[n] != '-')
			continue;
		for (i = 0; i < AUDITLOG_N(auditlog_verbs); i++)
			if (strcmp(auditlog_verbs[i].action, action + n + 1) == 0) {
				snprintf(out, outsz, "%s（%s）", auditlog_verbs[i].label,
				    itemform_kinds[k].label);
				return out;
			}
	}
	return action;
}

/* Unix time t as China time, "2026-12-06 11:13:05". */
void
auditlog_time(int64_t t, char *out, size_t outsz)
{
	time_t		 tt = (time_t)(t + AUDITLOG_TZ);
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	strftime(out, outsz, "%Y-%m-%d %H:%M:%S", &tm);
}

/*
 * Reads a "YYYY-MM-DD" date parameter as the Unix time its day starts in
 * China (plus days). Returns 0 (*t = 0 when absent), or -1 when malformed.
 */
static int
auditlog_day(const char *s, int days, int64_t *t)
{
	struct tm	 tm;
	char		*end;

	*t = 0;
	if (s == NULL || *s == '\0')
		return 0;
	memset(&tm, 0, sizeof(tm));
	if (strlen(s) != 10 || (end = strptime(s, "%Y-%m-%d", &tm)) == NULL ||
	    *end != '\0' || tm.tm_year < 100 || tm.tm_year > 1100)
		return -1;
	*t = (int64_t)timegm(&tm) + (int64_t)days * 86400 - AUDITLOG_TZ;
	return 0;
}

/* An empty parameter is no filter. */
static const char *
auditlog_param(const struct console_req *c, const char *key)
{
	const char	*v = http_param(c->http, key);

	return v != NULL && *v != '\0' ? v : NULL;
}

/*
 * The filter of the request. Staff other than administrators see their own
 * entries only, whatever they ask for. Returns NULL, or what is wrong.
 */
static const char *
auditlog_filter(const struct console_req *c, struct staff_audit_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->account = c->me.role == STAFF_ROLE_ADMIN ?
	    auditlog_param(c, "account") : c->me.name;
	f->action = auditlog_param(c, "action");
	if (auditlog_day(http_param(c->http, "from"), 0, &f->from) == -1 ||
	    auditlog_day(http_param(c->http, "to"), 1, &f->until) == -1)
		return "日期应写成 2026-12-01 这样的格式。";
	return NULL;
}

/* Pushes one entry as a table onto the array on top of the stack. */
static int
auditlog_push(const struct staff_audit_row *r, void *arg)
{
	struct console_req	*c = arg;
	lua_State		*L = tpl_state(c->con->tpl);
	char			 when[32], label[AUDITLOG_LABEL_SIZE];

	auditlog_time(r->e.time, when, sizeof(when));
	lua_createtable(L, 0, 8);
	console_setstr(c, "time", when);
	console_setstr(c, "account", r->e.account);
	console_setstr(c, "address", r->e.address);
	console_setstr(c, "action", r->e.action);
	console_setstr(c, "label", auditlog_label(r->e.action, label, sizeof(label)));
	console_setstr(c, "item", r->e.item);
	if (r->e.version > 0) {
		lua_pushinteger(L, r->e.version);
		lua_setfield(L, -2, "version");
	}
	console_setstr(c, "detail", r->e.detail);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	return 0;
}

/* Appends choice n of the action filter to the table on top of the stack. */
static void
auditlog_choice(struct console_req *c, int n, const char *action, const char *label)
{
	lua_State	*L = tpl_state(c->con->tpl);

	lua_createtable(L, 0, 2);
	console_setstr(c, "value", action);
	console_setstr(c, "label", label);
	lua_rawseti(L, -2, n);
}

/* The filter form's choices and the filter as asked, for the page. */
static void
auditlog_form(struct console_req *c, const struct staff_audit_filter *f)
{
	lua_State	*L = tpl_state(c->con->tpl);
	char		 action[AUDITLOG_ACTION_SIZE], label[AUDITLOG_LABEL_SIZE];
	size_t		 i;
	int		 k, n = 0;

	lua_createtable(L, (int)AUDITLOG_N(auditlog_actions), 0);
	for (i = 0; i < AUDITLOG_N(auditlog_actions); i++)
		auditlog_choice(c, ++n, auditlog_actions[i].action,
		    auditlog_actions[i].label);
	for (k = 0; k < itemform_nkinds; k++)
		for (i = 0; i < AUDITLOG_N(auditlog_verbs); i++) {
			snprintf(action, sizeof(action), "%s-%s",
			    itemform_kinds[k].kind, auditlog_verbs[i].action);
			auditlog_choice(c, ++n, action,
			    auditlog_label(action, label, sizeof(label)));
		}
	lua_setfield(L, -2, "actions");
	console_setstr(c, "f_account", f->account);
	console_setstr(c, "f_action", f->action);
	console_setstr(c, "f_from", auditlog_param(c, "from"));
	console_setstr(c, "f_to", auditlog_param(c, "to"));
	lua_pushboolean(L, c->me.role == STAFF_ROLE_ADMIN);
	lua_setfield(L, -2, "all");
}

/* GET /console/audit: one page of entries, newest first. */
void
auditlog_page(struct console_req *c)
{
	lua_State			*L = tpl_state(c->con->tpl);
	struct staff_audit_filter	 f;
	const char			*problem, *p = http_param(c->http, "page");
	long				 page = 1;
	int64_t				 total;
	char				*end;

	if ((problem = auditlog_filter(c, &f)) != NULL) {
		console_error(c, 400, problem);
		return;
	}
	if (p != NULL && ((page = strtol(p, &end, 10)) < 1 ||
	    page > CONSOLE_AUDIT_MAX_PAGE || *end != '\0')) {
		console_error(c, 400, "页码不正确。");
		return;
	}
	if ((total = staff_audit_total(c->con->staff, &f)) == -1) {
		console_error(c, 500, "无法读取审计日志。");
		return;
	}
	console_ctx(c, "审计日志");
	auditlog_form(c, &f);
	lua_pushinteger(L, total);
	lua_setfield(L, -2, "total");
	lua_pushinteger(L, page);
	lua_setfield(L, -2, "page");
	lua_pushinteger(L, (total + CONSOLE_AUDIT_PER_PAGE - 1) / CONSOLE_AUDIT_PER_PAGE);
	lua_setfield(L, -2, "pages");
	lua_newtable(L);
	if (staff_audit_each(c->con->staff, &f, CONSOLE_AUDIT_PER_PAGE,
	    (page - 1) * CONSOLE_AUDIT_PER_PAGE, auditlog_push, c) == -1) {
		lua_pop(L, 2);
		console_error(c, 500, "无法读取审计日志。");
		return;
	}
	lua_setfield(L, -2, "entries");
	console_render(c, "audit", 200);
}

/*
 * Appends s as one CSV field (RFC 4180): quoted when it holds a comma, a
 * quote or a line break. A field that starts like a formula (= + - @, tab,
 * carriage return) gets a leading apostrophe, so that a spreadsheet shows it
 * as text and never runs it (OWASP, "CSV Injection").
 */
static int
auditlog_csv_field(struct buf *b, const char *s, int last)
{
	const char	*p;
	int		 rc = 0;

	s = s != NULL ? s : "";
	if (strpbrk(s, ",\"\r\n") != NULL) {
		rc |= buf_puts(b, "\"");
		if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
			rc |= buf_puts(b, "'");
		for (p = s; *p != '\0'; p++)
			rc |= *p == '"' ? buf_puts(b, "\"\"") : buf_add(b, p, 1);
		rc |= buf_puts(b, "\"");
	} else {
		if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
			rc |= buf_puts(b, "'");
		rc |= buf_puts(b, s);
	}
	return rc | buf_puts(b, last ? "\r\n" : ",");
}

static struct buf	 auditlog_out;	/* the CSV of the request in hand */

static int
auditlog_csv_row(const struct staff_audit_row *r, void *arg)
{
	struct buf	*b = arg;
	char		 when[32], version[24] = "", label[AUDITLOG_LABEL_SIZE];

	auditlog_time(r->e.time, when, sizeof(when));
	if (r->e.version > 0)
		snprintf(version, sizeof(version), "%lld", (long long)r->e.version);
	return (auditlog_csv_field(b, when, 0) | auditlog_csv_field(b, r->e.account, 0) |
	    auditlog_csv_field(b, r->e.address, 0) | auditlog_csv_field(b, r->e.action, 0) |
	    auditlog_csv_field(b, auditlog_label(r->e.action, label, sizeof(label)), 0) |
	    auditlog_csv_field(b, r->e.item, 0) | auditlog_csv_field(b, version, 0) |
	    auditlog_csv_field(b, r->e.detail, 1)) ? -1 : 0;
}

/*
 * GET /console/audit.csv: the filtered entries as a CSV download, newest
 * first, at most CONSOLE_AUDIT_CSV_MAX; UTF-8 with a byte-order mark, which
 * spreadsheet programs need to read Chinese text.
 */
void
auditlog_csv(struct console_req *c)
{
	struct staff_audit_filter	 f;
	const char			*problem;

	if ((problem = auditlog_filter(c, &f)) != NULL) {
		console_error(c, 400, problem);
		return;
	}
	buf_reset(&auditlog_out);
	if (buf_puts(&auditlog_out, "\xEF\xBB\xBF时间（北京时间）,账号,地址,操作,"
	    "操作名称,条目,版本,详情\r\n") == -1 ||
	    staff_audit_each(c->con->staff, &f, CONSOLE_AUDIT_CSV_MAX, 0,
	    auditlog_csv_row, &auditlog_out) != 0) {
		console_error(c, 500, "无法导出审计日志。");
		return;
	}
	c->status = 200;
	c->type = "text/csv; charset=utf-8";
	c->disposition = "attachment; filename=\"audit.csv\"";
	c->body = auditlog_out.data;
	c->len = auditlog_out.len;
}
