/*
 * console.c: `fazhi console`, the FastCGI application the bureau's staff
 * sign in to, behind its own nginx server block. This file is the server
 * (socket, loop, request and answer), the session check, the routing and
 * the dashboard; signin.c and accounts.c hold the other pages.
 *
 * NOTE: one process serves one request at a time, on purpose, rather than
 * the master and workers of `fazhi serve`. Staff are a handful of people
 * making a few requests a minute; every request may write the staff
 * database, and one writer means no lock waits or retries between
 * processes, and a failure count or a session read and updated by the same
 * process that answers. What the public site's supervision buys (several
 * cores, a snapshot swapped under load) the console does not need; the
 * price is that a sign-in's Argon2id work (about 0.1 s) holds up the next
 * request for that long. If the console ever needs more, serve.c's master
 * can fork console workers over a database that stays the one writer.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <lauxlib.h>

#include "auth.h"
#include "console.h"
#include "datadir.h"
#include "form.h"
#include "http.h"
#include "log.h"
#include "priv.h"
#include "snap.h"
#include "staff.h"
#include "tpl.h"

/* Large: kept off the stack. */
static struct http_req	 console_http;
static struct form	 console_form;
static char		 console_body[FORM_MAX_BODY + 1];

static volatile sig_atomic_t console_stopping;

static void
console_on_signal(int sig)
{
	(void)sig;
	console_stopping = 1;
}

/*
 * Opens the listening unix socket at path, mode 0600, or 0660 with group
 * (nginx's, in production), refusing when another server answers there.
 * Returns the fd, or -1 (logged).
 */
static int
console_listen(const char *path, const char *group)
{
	struct sockaddr_un sun;
	struct group	*gr = NULL;
	struct stat	 st;
	mode_t		 old;
	int		 fd = -1, probe = -1;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("%s: socket path too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (group != NULL && (gr = getgrnam(group)) == NULL) {
		log_warnx("%s: no such group", group);
		return -1;
	}
	if ((probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("socket");
		goto fail;
	}
	if (connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		log_warnx("%s: another server is already listening there", path);
		goto fail;
	}
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);			/* stale: nobody answers */
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		log_warn("%s", path);
		goto fail;
	}
	umask(old);
	if (gr != NULL && (chown(path, (uid_t)-1, gr->gr_gid) == -1 ||
	    chmod(path, 0660) == -1)) {
		log_warn("%s", path);
		goto fail;
	}
	if (listen(fd, CONSOLE_BACKLOG) == -1 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		log_warn("%s", path);
		goto fail;
	}
	close(probe);
	return fd;
fail:
	if (probe != -1)
		close(probe);
	if (fd != -1)
		close(fd);
	return -1;
}

/* Now: the Unix time, or the one written in the test clock file. */
static int64_t
console_now(const struct console *con)
{
	FILE		*f;
	long long	 t;

	if (con->clock_file == NULL || (f = fopen(con->clock_file, "r")) == NULL)
		return (int64_t)time(NULL);
	if (fscanf(f, "%lld", &t) != 1)
		t = (long long)time(NULL);
	fclose(f);
	return (int64_t)t;
}

/*
 * Opens the snapshot again when `fazhi publish` has renamed a new one into
 * place (a new inode): the dashboard lists what is live now. Returns 0, or
 * -1 (logged) with the previous snapshot kept.
 */
static int
console_snapshot(struct console *con)
{
	struct snap	*s;
	struct stat	 st;

	if (stat(con->snap_path, &st) == -1) {
		log_warn("%s", con->snap_path);
		return con->snap != NULL ? 0 : -1;
	}
	if (con->snap != NULL && st.st_dev == con->snap_dev &&
	    st.st_ino == con->snap_ino)
		return 0;
	if ((s = snap_open(con->snap_path)) == NULL)
		return con->snap != NULL ? 0 : -1;
	snap_close(con->snap);
	con->snap = s;
	con->snap_dev = st.st_dev;
	con->snap_ino = st.st_ino;
	return 0;
}

/* Sets field key of the table on top of the stack to s (when not NULL). */
void
console_setstr(struct console_req *c, const char *key, const char *s)
{
	lua_State	*L = tpl_state(c->con->tpl);

	if (s == NULL)
		return;
	lua_pushstring(L, s);
	lua_setfield(L, -2, key);
}

/*
 * Pushes a new page context: the title, the path, the clock and, when signed
 * in, who (user) and the CSRF token every form of the page carries.
 */
void
console_ctx(struct console_req *c, const char *title)
{
	lua_State	*L = tpl_state(c->con->tpl);

	lua_createtable(L, 0, 16);
	console_setstr(c, "title", title);
	console_setstr(c, "path", c->path);
	lua_pushinteger(L, c->now);
	lua_setfield(L, -2, "now");
	if (!c->signed_in)
		return;
	lua_createtable(L, 0, 4);
	console_setstr(c, "name", c->me.name);
	console_setstr(c, "display", c->me.display[0] ? c->me.display : c->me.name);
	console_setstr(c, "role", staff_role_name(c->me.role));
	console_setstr(c, "role_label", staff_role_label(c->me.role));
	lua_setfield(L, -2, "user");
	console_setstr(c, "csrf", c->csrf);
}

/*
 * Renders template name with the context on top of the stack (popped) as the
 * answer, with this status. A template that fails gives a plain 500.
 */
void
console_render(struct console_req *c, const char *name, int status)
{
	static const char fallback[] = "<!DOCTYPE html><html lang=\"zh-CN\">"
	    "<title>服务器内部错误</title><p>服务器内部错误，请稍后再试。</p>";

	c->status = status;
	if (tpl_render(c->con->tpl, name, &c->body, &c->len) == -1) {
		c->status = 500;
		c->body = fallback;
		c->len = sizeof(fallback) - 1;
	}
}

/* Answers with the error page: status and a message in Chinese. */
void
console_error(struct console_req *c, int status, const char *message)
{
	const char	*title = status == 403 ? "禁止访问" : status == 404 ?
			    "页面不存在" : status == 429 ? "请求过于频繁" :
			    status >= 500 ? "服务器内部错误" : "请求有误";

	console_ctx(c, title);
	console_setstr(c, "message", message);
	lua_pushinteger(tpl_state(c->con->tpl), status);
	lua_setfield(tpl_state(c->con->tpl), -2, "status");
	console_render(c, "error", status);
}

/* Answers 303 See Other to loc (a path of the console): after every POST. */
void
console_redirect(struct console_req *c, const char *loc)
{
	c->status = 303;
	c->location = loc;
	c->body = "";
	c->len = 0;
}

/* Answers 303 to a location made from fmt (at most 255 bytes). */
void
console_redirectf(struct console_req *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(c->location_buf, sizeof(c->location_buf), fmt, ap);
	va_end(ap);
	console_redirect(c, c->location_buf);
}

/*
 * Adds a Set-Cookie: HttpOnly and SameSite=Strict always, Secure when the
 * request came over HTTPS. max_age < 0: a cookie for the browser session
 * (the server decides when the session ends); 0 removes it.
 */
void
console_set_cookie(struct console_req *c, const char *name, const char *value,
    const char *path, int max_age)
{
	char	 age[32] = "";

	if (c->ncookies == CONSOLE_MAX_COOKIES)
		return;		/* cannot happen: no page sets more */
	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%d", max_age);
	snprintf(c->cookie[c->ncookies++], CONSOLE_COOKIE_SIZE,
	    "%s=%s; Path=%s%s; HttpOnly; SameSite=Strict%s", name, value, path,
	    age, c->https ? "; Secure" : "");
}

/*
 * The value of cookie name from the request, copied into buf, or NULL when
 * it is absent or longer than the buffer.
 */
const char *
console_cookie(const struct console_req *c, const char *name, char *buf,
    size_t bufsz)
{
	const char	*p = c->cookies, *end;
	size_t		 n = strlen(name), len;

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			p += n + 1;
			end = strchr(p, ';');
			len = end ? (size_t)(end - p) : strlen(p);
			if (len >= bufsz)
				return NULL;
			memcpy(buf, p, len);
			buf[len] = '\0';
			return buf;
		}
		if ((p = strchr(p, ';')) != NULL)
			p++;
	}
	return NULL;
}

/* A field of the POST body, or NULL. */
const char *
console_field(const struct console_req *c, const char *key)
{
	return c->form != NULL ? form_get(c->form, key) : NULL;
}

/*
 * Appends an audit entry for this request: account is who it concerns
 * (NULL: the signed-in account, or "-"). Returns 0, or -1 (logged).
 */
int
console_audit(struct console_req *c, const char *action, const char *account,
    const char *detail)
{
	struct staff_audit	 e;

	memset(&e, 0, sizeof(e));
	e.time = c->now;
	e.account = account ? account : c->signed_in ? c->me.name : "-";
	e.address = c->addr;
	e.action = action;
	e.detail = detail;
	return staff_audit(c->con->staff, &e);
}

/*
 * Is the POST's csrf field the token of this session's forms? When not, the
 * answer is a 403, the refusal is audited, and nothing else is done.
 */
int
console_csrf_ok(struct console_req *c)
{
	if (c->signed_in && auth_csrf_check(c->token,
	    console_field(c, "csrf")) == 0)
		return 1;
	console_audit(c, "csrf-refused", NULL, c->path);
	console_error(c, 403, "表单已失效或来源不明，操作没有执行。请回到上一页，"
	    "刷新后重新提交。");
	return 0;
}

/*
 * Starts a new session for a, inside the caller's transaction: a fresh
 * token (never one the client offered), its hash in the database, the
 * cookie on the answer. Returns 0, or -1.
 */
int
console_start_session(struct console_req *c, const struct staff_account *a)
{
	char	 hash[AUTH_HASH_HEX];

	if (auth_new_token(c->token) == -1 ||
	    auth_token_hash(c->token, hash) == -1 ||
	    staff_session_add(c->con->staff, hash, a->id, c->now, c->addr) == -1)
		return -1;
	if (auth_csrf_token(c->token, c->csrf) == -1)
		return -1;
	c->me = *a;
	c->signed_in = 1;
	console_set_cookie(c, CONSOLE_COOKIE, c->token, "/", -1);
	return 0;
}

/*
 * Checks password against the signed-in account again before an account
 * change. A wrong one counts as a sign-in failure (it may lock the account
 * and end its sessions). Returns 0 when right, -1 when not.
 */
int
console_reauth(struct console_req *c, const char *password)
{
	struct staff_account	 a;

	if (staff_account_by_id(c->con->staff, c->me.id, &a) != 0)
		return -1;
	if (password != NULL && a.locked_until <= c->now &&
	    auth_verify_password(a.hash, password) == 0) {
		if (a.failed > 0)	/* a right password ends a run of failures */
			staff_account_set_failures(c->con->staff, a.id, 0, 0);
		return 0;
	}
	if (staff_begin(c->con->staff) == 0) {
		if (signin_failure(c, &a, "reauth-failed") == 0)
			staff_commit(c->con->staff);
		staff_rollback(c->con->staff);
	}
	return -1;
}

/* Ends the session of hash because it ran out; audited. */
static void
console_expire(struct console_req *c, const char *hash, const char *name,
    const char *why)
{
	if (staff_begin(c->con->staff) == -1)
		return;
	if (staff_session_delete(c->con->staff, hash) == 0 &&
	    console_audit(c, "session-expired", name, why) == 0)
		staff_commit(c->con->staff);
	staff_rollback(c->con->staff);
	c->expired = 1;
}

/*
 * Finds the session of the request's cookie. A session that has been idle
 * longer than CONSOLE_IDLE_SECONDS, is older than
 * CONSOLE_MAX_SESSION_SECONDS, or whose account is disabled, is deleted.
 */
static void
console_session(struct console_req *c)
{
	struct staff_session	 s;
	char			 hash[AUTH_HASH_HEX];

	if (console_cookie(c, CONSOLE_COOKIE, c->token, sizeof(c->token)) == NULL ||
	    auth_token_hash(c->token, hash) == -1 ||
	    staff_session_get(c->con->staff, hash, &s) != 0)
		return;
	if (staff_account_by_id(c->con->staff, s.account, &c->me) != 0)
		return;
	if (c->me.disabled)
		console_expire(c, hash, c->me.name, "account disabled");
	else if (c->now - s.last_seen > CONSOLE_IDLE_SECONDS)
		console_expire(c, hash, c->me.name, "idle");
	else if (c->now - s.created > CONSOLE_MAX_SESSION_SECONDS)
		console_expire(c, hash, c->me.name, "too old");
	else if (auth_csrf_token(c->token, c->csrf) == 0 &&
	    staff_session_touch(c->con->staff, hash, c->now) == 0)
		c->signed_in = 1;
}

/*
 * Pushes the rows of snapshot query q (SNAP_Q_STAFF_ITEMS: limited to
 * CONSOLE_DASHBOARD_ITEMS) from the live snapshot. 0, or -1: nothing pushed.
 */
int
console_snapshot_rows(struct console_req *c, int q)
{
	lua_State	*L = tpl_state(c->con->tpl);

	if (console_snapshot(c->con) == -1)
		return -1;
	if (snap_rows(c->con->snap, L, q, "i",
	    (int64_t)CONSOLE_DASHBOARD_ITEMS) == -1) {
		lua_pop(L, 1);		/* the empty array it pushes anyway */
		return -1;
	}
	return 0;
}

/* 我的工作台: who is signed in, and every item of the live snapshot. */
static void
console_home(struct console_req *c)
{
	lua_State	*L = tpl_state(c->con->tpl);

	if (console_snapshot(c->con) == -1) {
		console_error(c, 500, "无法读取线上内容。");
		return;
	}
	console_ctx(c, "我的工作台");
	console_setstr(c, "done", http_param(c->http, "done"));
	console_setstr(c, "site_url", snap_site_url(c->con->snap));
	if (snap_rows(c->con->snap, L, SNAP_Q_STAFF_ITEMS, "i",
	    (int64_t)CONSOLE_DASHBOARD_ITEMS) == -1) {
		lua_pop(L, 2);
		console_error(c, 500, "无法读取线上内容。");
		return;
	}
	lua_setfield(L, -2, "items");
	if (c->me.role != STAFF_ROLE_ADMIN && items_push_rows(c, NULL) == 0)
		lua_setfield(L, -2, "work");
	lua_pushinteger(L, CONSOLE_DASHBOARD_ITEMS);
	lua_setfield(L, -2, "items_max");
	console_render(c, "home", 200);
}

static void
console_accounts_one(struct console_req *c)
{
	accounts_one(c, c->path + strlen(CONSOLE_PREFIX "accounts/"));
}

/* The pages: a path (a prefix when it ends in '/' past the root), who may. */
static const struct console_route {
	const char	*path;
	int		 prefix;	/* matches path and anything under it */
	int		 admin;		/* administrators only */
	void		(*get)(struct console_req *);
	void		(*post)(struct console_req *);
	void		(*any)(struct console_req *);	/* a prefix's pages, either method */
} console_routes[] = {
	{ CONSOLE_PREFIX, 0, 0, console_home, NULL, NULL },
	{ CONSOLE_PREFIX "signout", 0, 0, NULL, signin_signout, NULL },
	{ CONSOLE_PREFIX "password", 0, 0, signin_password_get, signin_password_post, NULL },
	{ CONSOLE_PREFIX "audit", 0, 0, auditlog_page, NULL, NULL },
	{ CONSOLE_PREFIX "audit.csv", 0, 0, auditlog_csv, NULL, NULL },
	{ CONSOLE_PREFIX "accounts", 0, 1, accounts_list, accounts_add, NULL },
	{ CONSOLE_PREFIX "accounts/", 1, 1, NULL, NULL, console_accounts_one },
	{ CONSOLE_PREFIX "cases", 0, 0, NULL, NULL, items_page },
	{ CONSOLE_PREFIX "cases/", 1, 0, NULL, NULL, items_page },
	{ CONSOLE_PREFIX "guides", 0, 0, NULL, NULL, items_page },
	{ CONSOLE_PREFIX "guides/", 1, 0, NULL, NULL, items_page },
	{ CONSOLE_PREFIX "pufa", 0, 0, NULL, NULL, items_page },
	{ CONSOLE_PREFIX "pufa/", 1, 0, NULL, NULL, items_page },
	{ CONSOLE_PREFIX "media/", 1, 0, NULL, NULL, mediapage_page },
};


/*
 * Sends the request to its page. Sign-in is open to all; every other page
 * needs a session (a GET without one goes to sign-in), administrators'
 * pages the admin role, and every POST the session's CSRF token: checked
 * here, once, so that no page can forget.
 */
static void
console_dispatch(struct console_req *c)
{
	const struct console_route *r = NULL;
	size_t		 i, n;

	if (strcmp(c->path, CONSOLE_PREFIX "signin") == 0) {
		if (c->method == CONSOLE_POST)
			signin_post(c);
		else if (c->method == CONSOLE_OTHER)
			console_error(c, 405, "不支持这种请求方法。");
		else
			signin_get(c);
		return;
	}
	for (i = 0; i < sizeof(console_routes) / sizeof(console_routes[0]); i++) {
		n = strlen(console_routes[i].path);
		if (console_routes[i].prefix ?
		    strncmp(c->path, console_routes[i].path, n) == 0 && c->path[n] :
		    strcmp(c->path, console_routes[i].path) == 0) {
			r = &console_routes[i];
			break;
		}
	}
	if (r == NULL) {
		console_error(c, 404, "没有这个页面。");
		return;
	}
	if (!c->signed_in) {
		if (c->method == CONSOLE_POST)
			console_error(c, 403, "请先登录。");
		else
			console_redirect(c, c->expired ? CONSOLE_PREFIX
			    "signin?expired=1" : CONSOLE_PREFIX "signin");
		return;
	}
	if (r->admin && c->me.role != STAFF_ROLE_ADMIN) {
		console_error(c, 403, "只有管理员可以使用这个页面。");
		return;
	}
	if (c->method == CONSOLE_POST && !console_csrf_ok(c))
		return;
	if (r->any != NULL && (c->method == CONSOLE_GET ||
	    c->method == CONSOLE_HEAD || c->method == CONSOLE_POST))
		r->any(c);
	else if (c->method == CONSOLE_POST && r->post != NULL)
		r->post(c);
	else if ((c->method == CONSOLE_GET || c->method == CONSOLE_HEAD) &&
	    r->get != NULL)
		r->get(c);
	else
		console_error(c, 405, "不支持这种请求方法。");
}

/*
 * Reads all of CONTENT_LENGTH into buf (room for max bytes): a length
 * missing or malformed is 411, over max 413 (with too_large), a short body
 * 400. Returns 0 with *lenp set, or the status with the error answered.
 */
int
console_read_body(struct console_req *c, FCGX_Request *r, char *buf,
    unsigned long max, const char *too_large, unsigned long *lenp)
{
	const char	*clen = FCGX_GetParam("CONTENT_LENGTH", r->envp);
	char		*end;
	unsigned long	 len;
	int		 got = 0, n;

	errno = 0;
	if (clen == NULL || *clen == '\0' ||
	    ((len = strtoul(clen, &end, 10)), *end != '\0' || errno != 0)) {
		console_error(c, 411, "请求缺少内容长度。");
		return 411;
	}
	if (len > max) {
		console_error(c, 413, too_large);
		return 413;
	}
	while ((unsigned long)got < len && (n = FCGX_GetStr(buf + got,
	    (int)len - got, r->in)) > 0)
		got += n;
	if ((unsigned long)got != len) {
		console_error(c, 400, "提交的内容不完整。");
		return 400;
	}
	*lenp = len;
	return 0;
}

/*
 * Reads the POST body into console_form: a form of at most FORM_MAX_BODY
 * bytes, all of CONTENT_LENGTH (a short body is refused, never half-used).
 * Returns 0, or an HTTP status (400, 411, 413, 415) with the error answered.
 */
static int
console_read_form(struct console_req *c, FCGX_Request *r)
{
	const char	*type = FCGX_GetParam("CONTENT_TYPE", r->envp);
	unsigned long	 len;
	int		 status;

	if (type != NULL && strncasecmp(type, "multipart/form-data", 19) == 0)
		return mediapage_read(c, r, type, &console_form);
	if (type == NULL || strncasecmp(type, "application/x-www-form-urlencoded",
	    33) != 0 || (type[33] != '\0' && type[33] != ';')) {
		console_error(c, 415, "只接受普通表单提交。");
		return 415;
	}
	if ((status = console_read_body(c, r, console_body, FORM_MAX_BODY,
	    "提交的内容过多。", &len)) != 0)
		return status;
	if ((status = form_parse(&console_form, console_body, len)) != 0) {
		console_error(c, status, console_form.error);
		return status;
	}
	c->form = &console_form;
	return 0;
}

static const char *
console_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	default: return "Internal Server Error";
	}
}

/*
 * Writes the answer: never cached by anyone (every console page is about
 * who asks), no body for HEAD.
 */
static void
console_answer(struct console_req *c, FCGX_Request *r)
{
	char	 head[1024 + CONSOLE_MAX_COOKIES * (CONSOLE_COOKIE_SIZE + 16)];
	int	 i, n;

	/* NOTE: FCGX_FPrintF's own printf lacks %zu; libc's formats the head. */
	n = snprintf(head, sizeof(head), "Status: %d %s\r\n"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n"
	    "Cache-Control: no-store\r\nX-Robots-Tag: noindex\r\n%s%s%s%s%s%s%s%s%s%s",
	    c->status, console_reason(c->status),
	    c->type ? c->type : "text/html; charset=utf-8", c->len,
	    c->disposition ? "Content-Disposition: " : "",
	    c->disposition ? c->disposition : "", c->disposition ? "\r\n" : "",
	    c->status == 405 ? "Allow: GET, HEAD, POST\r\n" : "",
	    c->location ? "Location: " : "", c->location ? c->location : "",
	    c->location ? "\r\n" : "",
	    c->accel ? "X-Accel-Redirect: " : "", c->accel ? c->accel : "",
	    c->accel ? "\r\n" : "");
	for (i = 0; i < c->ncookies && n < (int)sizeof(head); i++)
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		    "Set-Cookie: %s\r\n", c->cookie[i]);
	if (n >= (int)sizeof(head))
		n = (int)sizeof(head) - 1;	/* cannot happen: the parts are bounded */
	FCGX_PutStr(head, n, r->out);
	FCGX_PutS("\r\n", r->out);
	if (c->method != CONSOLE_HEAD && c->len > 0)
		FCGX_PutStr(c->body, (int)c->len, r->out);
}

static enum console_method
console_method(const char *m)
{
	if (m == NULL)
		return CONSOLE_OTHER;
	if (strcmp(m, "GET") == 0)
		return CONSOLE_GET;
	if (strcmp(m, "HEAD") == 0)
		return CONSOLE_HEAD;
	if (strcmp(m, "POST") == 0)
		return CONSOLE_POST;
	return CONSOLE_OTHER;
}

/* Answers one request. */
static void
console_handle(struct console *con, FCGX_Request *r)
{
	static struct console_req c;
	const char	*method = FCGX_GetParam("REQUEST_METHOD", r->envp);
	const char	*uri = FCGX_GetParam("REQUEST_URI", r->envp);
	const char	*https = FCGX_GetParam("HTTPS", r->envp);
	struct timespec	 t0, t1;
	int		 status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&c, 0, sizeof(c));
	c.con = con;
	c.now = console_now(con);
	c.method = console_method(method);
	c.addr = FCGX_GetParam("REMOTE_ADDR", r->envp);
	c.addr = c.addr != NULL ? c.addr : "-";
	c.https = https != NULL && *https != '\0';
	c.cookies = FCGX_GetParam("HTTP_COOKIE", r->envp);
	c.http = &console_http;
	status = http_parse(&console_http, method, uri);
	c.path = console_http.path;
	if (status != 0)
		console_error(&c, status, console_http.error);
	else if (strncmp(c.path, CONSOLE_PREFIX, strlen(CONSOLE_PREFIX)) != 0)
		console_error(&c, 404, "没有这个页面。");
	else if (c.method != CONSOLE_POST || console_read_form(&c, r) == 0) {
		console_session(&c);
		console_dispatch(&c);
	}
	console_answer(&c, r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_access(method ? method : "-", uri ? uri : "-", c.status, c.len,
	    (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000);
	tpl_release(con->tpl);
}

/* Serves until SIGTERM or SIGINT; each request in hand is finished first. */
static void
console_serve(struct console *con, int fd)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	FCGX_Request	 r;
	int		 rc;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, fd, 0) != 0) {
		log_warnx("FCGX_Init failed");
		return;
	}
	while (!console_stopping) {
		/* wait in poll, not in accept: a signal ends the wait cleanly */
		if (poll(&pfd, 1, -1) == -1) {
			if (errno != EINTR)
				log_warn("poll");
			continue;
		}
		if ((rc = FCGX_Accept_r(&r)) < 0) {
			if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR)
				continue;
			log_warnx("FCGX_Accept_r: %d", rc);
			break;
		}
		console_handle(con, &r);
		FCGX_Finish_r(&r);
	}
}

/* Opens the templates against the snapshot's site. Returns 0, or -1. */
static int
console_open(struct console *con, const char *luadir, const char *tpldir)
{
	if (console_snapshot(con) == -1)
		return -1;
	if ((con->tpl = tpl_open(luadir, tpldir)) == NULL)
		return -1;
	if (snap_push_site(con->snap, tpl_state(con->tpl)) == -1 ||
	    tpl_compile(con->tpl) == -1)
		return -1;
	return 0;
}

/*
 * The folder of uploaded files: --media, or media/ beside the staff
 * database. Made (0755: nginx reads it) when missing. Returns 0, or -1.
 */
static int
console_media_dir(struct console *con, const char *db)
{
	static char	 dir[4096];
	const char	*slash = strrchr(db, '/');

	if (con->media_dir == NULL) {
		snprintf(dir, sizeof(dir), "%.*smedia", slash ? (int)(slash - db + 1) :
		    0, db);
		con->media_dir = dir;
	}
	if (mkdir(con->media_dir, 0755) == -1 && errno != EEXIST) {
		log_warn("%s", con->media_dir);
		return -1;
	}
	return 0;
}

static int
console_usage(void)
{
	fprintf(stderr, "usage: fazhi console --socket PATH --staff-db FILE "
	    "--snapshot FILE --content DIR [--lua DIR] [--templates DIR] "
	    "[--public-templates DIR]\n"
	    "                     [--socket-group GROUP] [--user NAME] [--clock FILE] [--media DIR]\n"
	    "                     [--pid FILE [--url http://127.0.0.1:PORT/healthz]]... "
	    "[--hosts FILE]\n");
	return 1;
}

int
console_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "staff-db", required_argument, NULL, 'd' },
		{ "snapshot", required_argument, NULL, 'n' },
		{ "content", required_argument, NULL, 'c' },
		{ "lua", required_argument, NULL, 'l' },
		{ "templates", required_argument, NULL, 't' },
		{ "public-templates", required_argument, NULL, 'T' },
		{ "clock", required_argument, NULL, 'k' },
		{ "socket-group", required_argument, NULL, 'g' },
		{ "pid", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "media", required_argument, NULL, 'm' },
		{ "user", required_argument, NULL, 'U' },
		{ "hosts", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	static struct console con;
	static char	 public_tpldir[4096], deflua[2048], deftpl[2048];
	struct sigaction sa;
	struct stat	 st;
	const char	*sock = NULL, *db = NULL, *luadir = deflua, *group = NULL;
	const char	*tpldir = deftpl, *user = NULL;
	struct priv	 priv;
	int		 ch, fd = -1, rc = 1;

	log_init("console");
	snprintf(deflua, sizeof(deflua), "%s/lua", datadir());
	snprintf(deftpl, sizeof(deftpl), "%s/lua/console", datadir());
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's': sock = optarg; break;
		case 'd': db = optarg; break;
		case 'n': con.snap_path = optarg; break;
		case 'c': con.content_dir = optarg; break;
		case 'l': luadir = optarg; break;
		case 't': tpldir = optarg; break;
		case 'T': con.public_tpldir = optarg; break;
		case 'k': con.clock_file = optarg; break;
		case 'g': group = optarg; break;
		case 'm': con.media_dir = optarg; break;
		case 'U': user = optarg; break;
		case 'H': con.hosts_file = optarg; break;
		case 'p':
			if (con.nbackends == CONSOLE_MAX_BACKENDS)
				return console_usage();
			con.pid_files[con.nbackends++] = optarg;
			break;
		case 'u':
			if (con.nbackends == 0)	/* --url follows its --pid */
				return console_usage();
			con.urls[con.nbackends - 1] = optarg;
			break;
		default: return console_usage();
		}
	}
	if (optind != argc || sock == NULL || db == NULL ||
	    con.snap_path == NULL || con.content_dir == NULL)
		return console_usage();
	con.luadir = luadir;
	if (con.public_tpldir == NULL) {
		snprintf(public_tpldir, sizeof(public_tpldir), "%s/templates", luadir);
		con.public_tpldir = public_tpldir;
	}
	if (readlink("/proc/self/exe", con.exe, sizeof(con.exe) - 1) == -1) {
		log_warn("/proc/self/exe");
		return 1;
	}
	if (stat(con.content_dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		log_warnx("%s: not a content folder", con.content_dir);
		return 1;
	}
	/*
	 * With --user, root opens the socket and nothing else: the staff
	 * database, the media folder and the templates are the user's.
	 */
	if (priv_lookup(&priv, user) == -1)
		return 1;
	if (priv.name != NULL && ((fd = console_listen(sock, group)) == -1 ||
	    priv_chown(&priv, sock) == -1))
		goto done;
	if (priv_drop(&priv) == -1)
		goto done;
	if (console_media_dir(&con, db) == -1)
		goto done;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = console_on_signal;	/* no SA_RESTART: poll returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);	/* the snapshot is reopened when it changes */
	if (auth_init() == -1 || (con.staff = staff_open(db)) == NULL ||
	    console_open(&con, luadir, tpldir) == -1 ||
	    (fd == -1 && (fd = console_listen(sock, group)) == -1))
		goto done;
	log_info("serving the console on %s", sock);
	console_serve(&con, fd);
	rc = 0;
done:
	if (fd != -1) {
		close(fd);
		unlink(sock);
	}
	tpl_close(con.tpl);
	snap_close(con.snap);
	staff_close(con.staff);
	return rc;
}
