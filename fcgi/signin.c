/*
 * signin.c: the console's sign-in, sign-out and change-password pages.
 *
 * Every failed sign-in gets the same answer, whether the account does not
 * exist, is disabled, is locked or the password is wrong, and takes the same
 * work (an unknown account is checked against a dummy hash), so that no
 * answer tells whether an account exists. An account is locked for
 * CONSOLE_LOCK_SECONDS after CONSOLE_MAX_FAILURES failures in a row; an
 * address is refused after CONSOLE_ADDR_MAX_FAILURES failures within
 * CONSOLE_ADDR_WINDOW, counted from the audit log (nginx limits the rate of
 * requests to the sign-in address as well).
 */
#include <stdio.h>
#include <string.h>

#include <lua.h>

#include "auth.h"
#include "console.h"
#include "http.h"
#include "log.h"
#include "staff.h"
#include "tpl.h"

/* The one answer to every failed sign-in, whatever the reason. */
static const char *
signin_failed_message(void)
{
	static char	 msg[160];

	snprintf(msg, sizeof(msg), "用户名或密码不正确。连续多次输错后，账号会被"
	    "暂时锁定 %d 分钟。", CONSOLE_LOCK_SECONDS / 60);
	return msg;
}

/*
 * The sign-in form's CSRF token, from its own cookie (set here when absent):
 * a page on another site cannot sign a browser in to an account of its
 * choosing. Returns 0, or -1.
 */
static int
signin_form_token(struct console_req *c, char csrf[AUTH_HASH_HEX])
{
	char	 token[AUTH_TOKEN_HEX];

	if (console_cookie(c, CONSOLE_SIGNIN_COOKIE, token, sizeof(token)) ==
	    NULL || auth_csrf_token(token, csrf) == -1) {
		auth_new_token(token);
		console_set_cookie(c, CONSOLE_SIGNIN_COOKIE, token,
		    CONSOLE_PREFIX "signin", CONSOLE_SIGNIN_COOKIE_AGE);
	}
	return auth_csrf_token(token, csrf);
}

/* Renders the sign-in form with an error or a notice, and this status. */
static void
signin_form(struct console_req *c, const char *error, int status)
{
	char		 csrf[AUTH_HASH_HEX];
	const char	*notice = NULL;

	if (signin_form_token(c, csrf) == -1) {
		console_error(c, 500, "无法生成登录表单。");
		return;
	}
	if (http_param(c->http, "expired") != NULL)
		notice = "登录已过期，请重新登录。";
	else if (http_param(c->http, "out") != NULL)
		notice = "您已退出登录。";
	c->signed_in = 0;	/* the form is the same for everyone */
	console_ctx(c, "登录");
	console_setstr(c, "csrf", csrf);
	console_setstr(c, "error", error);
	console_setstr(c, "notice", error ? NULL : notice);
	console_setstr(c, "name", console_field(c, "name"));
	console_render(c, "signin", status);
}

void
signin_get(struct console_req *c)
{
	if (c->signed_in) {
		console_redirect(c, CONSOLE_PREFIX);
		return;
	}
	signin_form(c, NULL, 200);
}

/*
 * Counts one failure against account a (inside the caller's transaction),
 * and locks it at CONSOLE_MAX_FAILURES, ending its sessions. action is the
 * audit entry's ("signin-failed", "reauth-failed"). Returns 0, or -1.
 */
int
signin_failure(struct console_req *c, struct staff_account *a,
    const char *action)
{
	char	 detail[96];
	int	 failed = a->failed + 1;

	if (a->locked_until > c->now)
		return console_audit(c, action, a->name, "account locked");
	if (failed < CONSOLE_MAX_FAILURES) {
		snprintf(detail, sizeof(detail), "wrong password (%d in a row)",
		    failed);
		if (staff_account_set_failures(c->con->staff, a->id, failed, 0) == -1)
			return -1;
		return console_audit(c, action, a->name, detail);
	}
	snprintf(detail, sizeof(detail), "%d failures in a row; locked for %d s",
	    failed, CONSOLE_LOCK_SECONDS);
	if (staff_account_set_failures(c->con->staff, a->id, 0,
	    c->now + CONSOLE_LOCK_SECONDS) == -1 ||
	    staff_session_delete_account(c->con->staff, a->id) == -1 ||
	    console_audit(c, action, a->name, "wrong password") == -1)
		return -1;
	return console_audit(c, "account-locked", a->name, detail);
}

/* Ends the session the client came with, if any (a new one replaces it). */
static void
signin_drop_old(struct console_req *c)
{
	char	 token[AUTH_TOKEN_HEX], hash[AUTH_HASH_HEX];

	if (console_cookie(c, CONSOLE_COOKIE, token, sizeof(token)) != NULL &&
	    auth_token_hash(token, hash) == 0)
		staff_session_delete(c->con->staff, hash);
}

/*
 * Checks name and password, within the caller's transaction. Returns 1 and
 * fills a when they are right and the account may sign in, 0 when not (the
 * failure recorded), -1 on a database error.
 */
static int
signin_check(struct console_req *c, const char *name, const char *pw,
    struct staff_account *a)
{
	int	 found;

	found = staff_valid_name(name) &&
	    staff_account_get(c->con->staff, name, a) == 0;
	if (found && !a->disabled && a->locked_until <= c->now &&
	    auth_verify_password(a->hash, pw) == 0)
		return 1;
	if (!found || a->disabled || a->locked_until > c->now)
		auth_verify_dummy(pw);		/* the same work as a wrong password */
	if (!found)
		return console_audit(c, "signin-failed",
		    staff_valid_name(name) ? name : "-", "unknown account") == 0 ?
		    0 : -1;
	if (a->disabled)
		return console_audit(c, "signin-failed", a->name,
		    "account disabled") == 0 ? 0 : -1;
	return signin_failure(c, a, "signin-failed") == 0 ? 0 : -1;
}

/* Is this address over its sign-in failures? Refused and audited if so. */
static int
signin_throttled(struct console_req *c)
{
	int64_t	 n;
	char	 msg[160];

	n = staff_audit_count(c->con->staff, c->addr, "signin-failed",
	    c->now - CONSOLE_ADDR_WINDOW);
	if (n >= 0 && n < CONSOLE_ADDR_MAX_FAILURES)
		return 0;
	console_audit(c, "signin-throttled", "-", "too many failures from this address");
	snprintf(msg, sizeof(msg), "来自您所在网络地址的登录失败次数过多，请 %d 分钟"
	    "后再试。", CONSOLE_ADDR_WINDOW / 60);
	signin_form(c, msg, 429);
	return 1;
}

void
signin_post(struct console_req *c)
{
	struct staff_account	 a;
	const char		*name = console_field(c, "name");
	const char		*pw = console_field(c, "password");
	char			 token[AUTH_TOKEN_HEX];
	int			 ok;

	if (console_cookie(c, CONSOLE_SIGNIN_COOKIE, token, sizeof(token)) == NULL ||
	    auth_csrf_check(token, console_field(c, "csrf")) == -1) {
		console_audit(c, "csrf-refused", "-", c->path);
		console_error(c, 403, "登录表单已失效，请重新打开登录页面再试。");
		return;
	}
	if (signin_throttled(c))
		return;
	if (name == NULL || pw == NULL || *name == '\0' || *pw == '\0') {
		signin_form(c, "请填写用户名和密码。", 200);
		return;
	}
	if (staff_begin(c->con->staff) == -1)
		goto fail;
	if ((ok = signin_check(c, name, pw, &a)) == -1)
		goto fail;
	if (ok == 0) {
		if (staff_commit(c->con->staff) == -1)
			goto fail;
		signin_form(c, signin_failed_message(), 200);
		return;
	}
	signin_drop_old(c);
	if (staff_session_purge(c->con->staff, c->now - CONSOLE_IDLE_SECONDS,
	    c->now - CONSOLE_MAX_SESSION_SECONDS) == -1 || (a.failed > 0 && staff_account_set_failures(c->con->staff, a.id, 0,
	    0) == -1) || console_start_session(c, &a) == -1 ||
	    console_audit(c, "signin", a.name, NULL) == -1 ||
	    staff_commit(c->con->staff) == -1)
		goto fail;
	console_set_cookie(c, CONSOLE_SIGNIN_COOKIE, "", CONSOLE_PREFIX "signin", 0);
	console_redirect(c, CONSOLE_PREFIX);
	return;
fail:
	staff_rollback(c->con->staff);
	c->ncookies = 0;
	c->signed_in = 0;
	console_error(c, 500, "登录暂时无法完成，请稍后再试。");
}

/* Ends the session on the server and removes the cookie. */
void
signin_signout(struct console_req *c)
{
	char	 hash[AUTH_HASH_HEX];

	if (auth_token_hash(c->token, hash) == -1 ||
	    staff_begin(c->con->staff) == -1)
		goto fail;
	if (staff_session_delete(c->con->staff, hash) == -1 ||
	    console_audit(c, "signout", NULL, NULL) == -1 ||
	    staff_commit(c->con->staff) == -1)
		goto fail;
	console_set_cookie(c, CONSOLE_COOKIE, "", "/", 0);
	console_redirect(c, CONSOLE_PREFIX "signin?out=1");
	return;
fail:
	staff_rollback(c->con->staff);
	console_error(c, 500, "退出登录暂时无法完成，请稍后再试。");
}

static void
signin_password_form(struct console_req *c, const char *error, int status)
{
	console_ctx(c, "修改密码");
	console_setstr(c, "error", error);
	lua_pushinteger(tpl_state(c->con->tpl), AUTH_MIN_PASSWORD);
	lua_setfield(tpl_state(c->con->tpl), -2, "min_password");
	console_render(c, "password", status);
}

void
signin_password_get(struct console_req *c)
{
	signin_password_form(c, NULL, 200);
}

/*
 * Checks a new password and its repetition. Returns NULL when acceptable,
 * else what is wrong, in Chinese.
 */
const char *
signin_new_password_problem(const char *pw, const char *again)
{
	static char	 msg[128];

	if (pw == NULL || !auth_password_acceptable(pw)) {
		snprintf(msg, sizeof(msg), "新密码至少需要 %d 个字符"
		    "（不能含控制字符）。", AUTH_MIN_PASSWORD);
		return msg;
	}
	if (again == NULL || strcmp(pw, again) != 0)
		return "两次输入的新密码不一致。";
	return NULL;
}

/*
 * Changes the signed-in account's password, after the current one: every
 * session of the account ends, and this browser gets a new one.
 */
void
signin_password_post(struct console_req *c)
{
	const char	*pw = console_field(c, "new");
	const char	*problem;
	char		 hash[STAFF_HASH_SIZE];

	if (console_reauth(c, console_field(c, "current")) == -1) {
		signin_password_form(c, "当前密码不正确。", 400);
		return;
	}
	if ((problem = signin_new_password_problem(pw, console_field(c, "again")))
	    != NULL) {
		signin_password_form(c, problem, 400);
		return;
	}
	if (auth_hash_password(pw, hash, sizeof(hash)) == -1 ||
	    staff_begin(c->con->staff) == -1)
		goto fail;
	if (staff_account_set_hash(c->con->staff, c->me.id, hash) == -1 ||
	    staff_session_delete_account(c->con->staff, c->me.id) == -1 ||
	    console_start_session(c, &c->me) == -1 ||
	    console_audit(c, "password-change", NULL, NULL) == -1 ||
	    staff_commit(c->con->staff) == -1)
		goto fail;
	console_redirect(c, CONSOLE_PREFIX "?done=password");
	return;
fail:
	staff_rollback(c->con->staff);
	c->ncookies = 0;
	console_error(c, 500, "密码暂时无法修改，请稍后再试。");
}
