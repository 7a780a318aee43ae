/*
 * accounts.c: the administrator's accounts pages: the list with a form to
 * add an account, and one page per account to disable, enable, change its
 * role or reset its password. Every change asks for the administrator's
 * own password again (a session left open is not enough to hand out
 * accounts), runs in one transaction with its audit entry, and ends the
 * sessions it makes stale.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <lua.h>

#include "auth.h"
#include "console.h"
#include "http.h"
#include "staff.h"
#include "tpl.h"

/* One account as the pages show it, pushed as a table. */
static void
accounts_push(struct console_req *c, const struct staff_account *a)
{
	lua_State	*L = tpl_state(c->con->tpl);
	const char	*state = a->disabled ? "disabled" :
			    a->locked_until > c->now ? "locked" : "active";
	time_t		 t = (time_t)(a->locked_until + 8 * 3600);	/* China time */
	struct tm	 tm;
	char		 when[32];

	lua_createtable(L, 0, 8);
	console_setstr(c, "name", a->name);
	console_setstr(c, "display", a->display);
	console_setstr(c, "role", staff_role_name(a->role));
	console_setstr(c, "role_label", staff_role_label(a->role));
	console_setstr(c, "state", state);
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	console_setstr(c, "locked_text", when);
	lua_pushboolean(L, a->id == c->me.id);
	lua_setfield(L, -2, "is_me");
}

struct accounts_walk {
	struct console_req	*c;
	int			 n;
};

static int
accounts_add_row(const struct staff_account *a, void *arg)
{
	struct accounts_walk	*w = arg;

	accounts_push(w->c, a);
	lua_rawseti(tpl_state(w->c->con->tpl), -2, ++w->n);
	return 0;
}

/* The roles, for the form's choice. */
static void
accounts_roles(struct console_req *c)
{
	lua_State	*L = tpl_state(c->con->tpl);
	int		 i;

	lua_createtable(L, STAFF_ROLE__MAX, 0);
	for (i = 0; i < STAFF_ROLE__MAX; i++) {
		lua_createtable(L, 0, 2);
		console_setstr(c, "value", staff_role_name((enum staff_role)i));
		console_setstr(c, "label", staff_role_label((enum staff_role)i));
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "roles");
}

/* The list page, with the add form (refilled, and its problem, after a POST). */
static void
accounts_page(struct console_req *c, const char *error, int status)
{
	lua_State		*L = tpl_state(c->con->tpl);
	struct accounts_walk	 w = { c, 0 };

	console_ctx(c, "账号管理");
	lua_newtable(L);
	if (staff_account_each(c->con->staff, accounts_add_row, &w) == -1) {
		lua_pop(L, 2);
		console_error(c, 500, "无法读取账号。");
		return;
	}
	lua_setfield(L, -2, "accounts");
	accounts_roles(c);
	lua_pushinteger(L, AUTH_MIN_PASSWORD);
	lua_setfield(L, -2, "min_password");
	console_setstr(c, "error", error);
	console_setstr(c, "done", http_param(c->http, "done"));
	console_setstr(c, "added", http_param(c->http, "name"));
	if (error != NULL) {
		console_setstr(c, "form_name", console_field(c, "name"));
		console_setstr(c, "form_display", console_field(c, "display"));
		console_setstr(c, "form_role", console_field(c, "role"));
	}
	console_render(c, "accounts", status);
}

void
accounts_list(struct console_req *c)
{
	accounts_page(c, NULL, 200);
}

/* What is wrong with the add form's fields, or NULL. */
static const char *
accounts_add_problem(struct console_req *c, enum staff_role *role)
{
	const char	*name = console_field(c, "name");
	const char	*display = console_field(c, "display");

	if (name == NULL || !staff_valid_name(name))
		return "用户名须为 1 至 32 个英文字母、数字或 . _ -，以字母开头。";
	if (display != NULL && strlen(display) > STAFF_MAX_DISPLAY)
		return "显示名称过长（最多约 20 个汉字）。";
	if (staff_role_parse(console_field(c, "role"), role) == -1)
		return "请选择角色。";
	return signin_new_password_problem(console_field(c, "password"),
	    console_field(c, "again"));
}

/* POST /console/accounts: adds an account. */
void
accounts_add(struct console_req *c)
{
	enum staff_role	 role;
	const char	*problem, *name = console_field(c, "name");
	char		 hash[STAFF_HASH_SIZE], detail[96];
	int		 rc;

	if (console_reauth(c, console_field(c, "current")) == -1) {
		accounts_page(c, "您的密码不正确，账号没有添加。", 400);
		return;
	}
	if ((problem = accounts_add_problem(c, &role)) != NULL) {
		accounts_page(c, problem, 400);
		return;
	}
	if (auth_hash_password(console_field(c, "password"), hash,
	    sizeof(hash)) == -1 || staff_begin(c->con->staff) == -1)
		goto fail;
	if ((rc = staff_account_add(c->con->staff, name,
	    console_field(c, "display"), role, hash, c->now)) == 1) {
		staff_rollback(c->con->staff);
		accounts_page(c, "这个用户名已被使用。", 400);
		return;
	}
	snprintf(detail, sizeof(detail), "account=%s role=%s", name,
	    staff_role_name(role));
	if (rc == -1 || console_audit(c, "account-add", NULL, detail) == -1 ||
	    staff_commit(c->con->staff) == -1)
		goto fail;
	console_redirectf(c, CONSOLE_PREFIX "accounts?done=add&name=%s", name);
	return;
fail:
	staff_rollback(c->con->staff);
	console_error(c, 500, "账号暂时无法添加，请稍后再试。");
}

/* One account's page, with its forms (and a problem after a POST). */
static void
accounts_one_page(struct console_req *c, const struct staff_account *a,
    const char *error, int status)
{
	lua_State	*L = tpl_state(c->con->tpl);

	console_ctx(c, a->name);
	accounts_push(c, a);
	lua_setfield(L, -2, "account");
	lua_pushinteger(L, AUTH_MIN_PASSWORD);
	lua_setfield(L, -2, "min_password");
	console_setstr(c, "error", error);
	console_setstr(c, "done", http_param(c->http, "done"));
	accounts_roles(c);
	console_render(c, "account", status);
}

/*
 * Carries out action on account a inside one transaction with its audit
 * entry. Returns 0, or -1.
 */
static int
accounts_change(struct console_req *c, const struct staff_account *a,
    const char *action, const char *hash)
{
	struct staff	*s = c->con->staff;
	enum staff_role	 role = a->role;
	char		 detail[96];
	int		 rc;

	snprintf(detail, sizeof(detail), "account=%s", a->name);
	if (strcmp(action, "role") == 0) {
		staff_role_parse(console_field(c, "role"), &role); /* checked */
		snprintf(detail, sizeof(detail), "account=%s role=%s->%s",
		    a->name, staff_role_name(a->role), staff_role_name(role));
	}
	if (staff_begin(s) == -1)
		return -1;
	if (strcmp(action, "disable") == 0)
		rc = staff_account_set_disabled(s, a->id, 1) == 0 &&
		    staff_session_delete_account(s, a->id) == 0 &&
		    console_audit(c, "account-disable", NULL, detail) == 0;
	else if (strcmp(action, "enable") == 0)
		rc = staff_account_set_disabled(s, a->id, 0) == 0 &&
		    console_audit(c, "account-enable", NULL, detail) == 0;
	else if (strcmp(action, "role") == 0)	/* its sessions see it at once */
		rc = staff_account_set_role(s, a->id, role) == 0 &&
		    console_audit(c, "account-role", NULL, detail) == 0;
	else
		rc = staff_account_set_hash(s, a->id, hash) == 0 &&
		    staff_session_delete_account(s, a->id) == 0 &&
		    console_audit(c, "password-reset", NULL, detail) == 0;
	if (!rc || staff_commit(s) == -1) {
		staff_rollback(s);
		return -1;
	}
	return 0;
}

/* Checks a POST to an account's page. Returns NULL, or the problem. */
static const char *
accounts_one_problem(struct console_req *c, const struct staff_account *a,
    const char *action)
{
	enum staff_role	 role;

	if (action == NULL || (strcmp(action, "disable") != 0 &&
	    strcmp(action, "enable") != 0 && strcmp(action, "reset") != 0 &&
	    strcmp(action, "role") != 0))
		return "未知的操作。";
	if (strcmp(action, "disable") == 0 && a->id == c->me.id)
		return "不能停用自己正在使用的账号。";
	if (strcmp(action, "role") == 0) {
		if (staff_role_parse(console_field(c, "role"), &role) == -1)
			return "请选择角色。";
		if (a->id == c->me.id && role != STAFF_ROLE_ADMIN)
			return "不能取消自己的管理员角色（否则可能没有人能管理账号）。";
	}
	if (strcmp(action, "reset") == 0)
		return signin_new_password_problem(console_field(c, "password"),
		    console_field(c, "again"));
	return NULL;
}

/* GET or POST /console/accounts/NAME. */
void
accounts_one(struct console_req *c, const char *name)
{
	struct staff_account	 a;
	const char		*action = console_field(c, "action");
	const char		*problem;
	char			 hash[STAFF_HASH_SIZE] = "";

	if (!staff_valid_name(name) ||
	    staff_account_get(c->con->staff, name, &a) != 0) {
		console_error(c, 404, "没有这个账号。");
		return;
	}
	if (c->method != CONSOLE_POST) {
		accounts_one_page(c, &a, NULL, 200);
		return;
	}
	if (console_reauth(c, console_field(c, "current")) == -1) {
		accounts_one_page(c, &a, "您的密码不正确，操作没有执行。", 400);
		return;
	}
	if ((problem = accounts_one_problem(c, &a, action)) != NULL) {
		accounts_one_page(c, &a, problem, 400);
		return;
	}
	if ((strcmp(action, "reset") == 0 &&
	    auth_hash_password(console_field(c, "password"), hash,
	    sizeof(hash)) == -1) || accounts_change(c, &a, action, hash) == -1) {
		console_error(c, 500, "操作暂时无法完成，请稍后再试。");
		return;
	}
	console_redirectf(c, CONSOLE_PREFIX "accounts/%s?done=%s", a.name, action);
}
