/*
 * worker.c: one worker process. It opens the snapshot and compiles the
 * templates once, then serves one request at a time until the master closes
 * its control pipe; a request in hand is always finished first.
 *
 * NOTE: the master never signals workers to stop (but for the watchdog's
 * SIGKILL of a worker stuck on one request, serve.c). A signal that lands while
 * libfcgi waits for a fresh connection's first bytes makes it drop that
 * connection, so workers instead wait on the listening socket together with
 * the control pipe and only call FCGX_Accept_r when a connection is waiting
 * (the socket is non-blocking: a worker that loses the race gets EAGAIN).
 * The one signal a worker does get, the template budget's tick (tpl.c), comes
 * only while it runs in user mode and restarts what it interrupts.
 */
#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <xxhash.h>

#include "buf.h"
#include "conn.h"
#include "head.h"
#include "http.h"
#include "log.h"
#include "req.h"
#include "route.h"
#include "sandbox.h"
#include "score.h"
#include "snap.h"
#include "tcp.h"
#include "tpl.h"
#include "worker.h"

static struct http_req	 worker_req;	/* large: kept off the stack */

/*
 * Opens the snapshot and compiles the templates against its site
 * description. Returns 0 and fills env, or -1 (logged).
 */
int
worker_open(const struct worker_cfg *cfg, struct req_env *env)
{
	memset(env, 0, sizeof(*env));
	env->started = cfg->started;
	env->export_dir = cfg->export_dir;
	env->preview = cfg->preview;
	env->clock_file = cfg->clock_file;
	env->tpl = NULL;
	if ((env->snap = snap_open(cfg->snapshot)) == NULL)
		return -1;
	if ((env->tpl = tpl_open(cfg->luadir, cfg->tpldir)) == NULL)
		goto fail;
	if (snap_push_site(env->snap, tpl_state(env->tpl)) == -1)
		goto fail;
	lua_pushboolean(tpl_state(env->tpl), cfg->preview);
	lua_setfield(tpl_state(env->tpl), -2, "preview");
	if (tpl_compile(env->tpl) == -1)
		goto fail;
	return 0;
fail:
	tpl_close(env->tpl);
	snap_close(env->snap);
	return -1;
}

/* Checks that a worker could start on cfg. Returns 0, or -1 (logged). */
int
worker_check(const struct worker_cfg *cfg)
{
	struct req_env	 env;

	if (worker_open(cfg, &env) == -1)
		return -1;
	tpl_close(env.tpl);
	snap_close(env.snap);
	return 0;
}

/*
 * The validators of a 200 answer: a strong ETag, a 64-bit hash of its body
 * seeded with its type (what the client would get, display mode included,
 * so any change to the bytes changes it), and Last-Modified (page.c).
 * XXH3 reads a page's body in a fraction of a microsecond.
 */
static void
worker_validators(const struct req_out *out, char *etag, size_t etagsz,
    char *lastmod, size_t lmsz)
{
	uint64_t	 h;
	time_t		 t = (time_t)out->last_modified;
	struct tm	 tm;

	h = XXH3_64bits_withSeed(out->body, out->len,
	    XXH3_64bits(out->type, strlen(out->type)));
	snprintf(etag, etagsz, "\"%016" PRIx64 "\"", h);
	gmtime_r(&t, &tm);
	strftime(lastmod, lmsz, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Does the If-None-Match list hold etag (weak comparison, RFC 9110 13.1.2)? */
static int
worker_etag_matches(const char *list, const char *etag)
{
	const char	*p = list;
	size_t		 n = strlen(etag);

	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0)
			return 1;
		while (*p != '\0' && *p != ',')
			p++;
	}
	return 0;
}

/*
 * Is a 200 answer not modified for the client's conditional headers? If-None-
 * Match decides when present; If-Modified-Since only without it (RFC 9110
 * 13.2.2).
 */
static int
worker_not_modified(FCGX_Request *r, const char *etag, int64_t last_modified)
{
	const char	*inm = FCGX_GetParam("HTTP_IF_NONE_MATCH", r->envp);
	const char	*ims = FCGX_GetParam("HTTP_IF_MODIFIED_SINCE", r->envp);
	struct tm	 tm;
	char		*end;

	if (inm != NULL)
		return worker_etag_matches(inm, etag);
	if (ims == NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm)) == NULL ||
	    *end != '\0')
		return 0;
	return last_modified <= (int64_t)timegm(&tm);
}

static long
worker_usec_since(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000000L +
	    (t1.tv_nsec - t0->tv_nsec) / 1000;
}

/*
 * The caching headers of out into extra: validators for a 200 answer (which
 * becomes a 304 when the client's copy is current), the file nginx is to
 * send, and no-store for preview and for a server error: a 500 (a failed
 * template, a failed snapshot read) is a moment's fault, which neither
 * nginx's micro-cache nor a browser may keep. Returns 1 when no body is to
 * be sent.
 */
static int
worker_caching(FCGX_Request *r, struct req_out *out, char *extra,
    size_t extrasz)
{
	char	 etag[24], lastmod[40];
	int	 no_body = 0;

	extra[0] = '\0';
	if (out->status == 200 && out->accel == NULL) {
		worker_validators(out, etag, sizeof(etag), lastmod, sizeof(lastmod));
		snprintf(extra, extrasz, "ETag: %s\r\nLast-Modified: %s\r\n",
		    etag, lastmod);
		if (worker_not_modified(r, etag, out->last_modified)) {
			out->status = 304;
			no_body = 1;
		}
	}
	if (out->accel != NULL)
		snprintf(extra, extrasz, "X-Accel-Redirect: %s\r\n", out->accel);
	if (out->private && out->cookie == NULL)
		strncat(extra, "Cache-Control: private, no-store\r\n",
		    extrasz - strlen(extra) - 1);
	else if (out->status >= 500)
		strncat(extra, "Cache-Control: no-store\r\n",
		    extrasz - strlen(extra) - 1);
	return no_body;
}

/*
 * /metrics, for nginx's internal metrics server only: it alone sets the
 * FastCGI parameter FAZHI_METRICS (nginx/fazhi.conf.in); elsewhere the
 * address is not found. The scoreboard's sums in Prometheus text format
 * (score.c). Returns 1 when it answered out.
 */
static int
worker_metrics(struct req_env *env, FCGX_Request *r, struct req_out *out)
{
	const char		*p = FCGX_GetParam("FAZHI_METRICS", r->envp);

	if (p == NULL || strcmp(p, "1") != 0 ||
	    strcmp(worker_req.path, "/metrics") != 0)
		return 0;
	env->req = &worker_req;
	req_reset(out);
	if (score_text(&out->text, snap_id(env->snap), snap_built_at(env->snap))
	    == -1) {
		log_warnx("/metrics: no scoreboard, or out of memory");
		req_server_error(env, out);
		return 1;
	}
	req_text(out, "text/plain; version=0.0.4; charset=utf-8");
	out->last_modified = (int64_t)time(NULL);
	out->private = 1;
	return 1;
}

/*
 * Answers the request in r: headers, then the body unless it is HEAD, in one
 * write (conn.c), and ends it. out is the worker's one answer, made afresh by
 * req_serve for each request.
 */
static void
worker_answer(struct req_env *env, FCGX_Request *r, struct req_out *out)
{
	struct timespec	 t0;
	const char	*method, *uri;
	struct route	 rt;
	char		 extra[600], head[HEAD_MAX];
	long		 usec;
	int		 status, no_body, kind, hlen;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	method = FCGX_GetParam("REQUEST_METHOD", r->envp);
	uri = FCGX_GetParam("REQUEST_URI", r->envp);
	score_begin(uri);
	status = http_parse(&worker_req, method, uri);
	worker_req.elder = http_cookie_has(FCGX_GetParam("HTTP_COOKIE", r->envp),
	    "fazhi_mode=elder");
	worker_req.accept = FCGX_GetParam("HTTP_ACCEPT", r->envp);
	kind = SCORE_ROUTE_INVALID;
	if (status == 0 && worker_metrics(env, r, out))
		kind = SCORE_ROUTE_METRICS;
	else {
		if (status == 0) {
			route_match(worker_req.path, &rt);
			kind = (int)rt.kind;
		}
		req_serve(env, &worker_req, status, out);
	}
	no_body = worker_caching(r, out, extra, sizeof(extra)) ||
	    worker_req.method == HTTP_HEAD;
	if ((hlen = head_format(out, extra, head, sizeof(head))) == -1) {
		/* never a cut head: a 500, whose head is short */
		log_warnx("%.512s: the answer's headers are longer than %d "
		    "bytes; answering 500", uri ? uri : "-", HEAD_MAX);
		req_done(env, out);
		req_reset(out);
		req_server_error(env, out);
		no_body = worker_caching(r, out, extra, sizeof(extra)) ||
		    worker_req.method == HTTP_HEAD;
		hlen = head_format(out, extra, head, sizeof(head));
	}
	usec = worker_usec_since(&t0);
	/* before conn_answer, which frees the request's parameters */
	log_access(method ? method : "-", uri ? uri : "-", out->status, out->len,
	    usec);
	conn_answer(r, head, hlen > 0 ? (size_t)hlen : 0, out->body,
	    no_body ? 0 : out->len);
	score_end(kind, out->status, usec, tpl_render_usec(env->tpl));
	req_done(env, out);
}

/* The API's answer to a failure, as req.c gives it. */
static const char	 worker_json_500[] = "{\"error\":{\"code\":"
    "\"internal_error\",\"message\":\"服务器暂时无法处理请求。\"}}";

/* Keeps body of type as the answer of kind for a worker the sandbox ends. */
static int
worker_sandbox_answer(enum sandbox_kind kind, const char *type,
    const char *body, size_t len)
{
	struct buf	 b = { 0 };
	int		 rc;

	buf_printf(&b, "Status: 500 Internal Server Error\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nCache-Control: no-store\r\n\r\n", type, len);
	buf_add(&b, body, len);
	rc = b.data != NULL ? sandbox_set_answer(kind, b.data, b.len) : -1;
	buf_free(&b);
	return rc;
}

/*
 * Drops the worker to its sandbox (sandbox.c), after rendering the site's
 * 500 page for the request a forbidden call would end. Returns 0, or -1
 * (logged).
 */
static int
worker_sandbox(const struct worker_cfg *cfg, struct req_env *env,
    int listen_fd)
{
	struct sandbox_cfg	 sb;
	struct req_out		 out;
	int			 rc;

	if (cfg->no_sandbox)
		return 0;
	http_parse(&worker_req, "GET", "/");
	env->req = &worker_req;
	memset(&out, 0, sizeof(out));
	req_server_error(env, &out);
	rc = worker_sandbox_answer(SANDBOX_HTML, out.type, out.body, out.len);
	req_done(env, &out);
	req_free(&out);
	if (rc == -1 || worker_sandbox_answer(SANDBOX_JSON,
	    "application/json; charset=utf-8", worker_json_500,
	    sizeof(worker_json_500) - 1) == -1) {
		log_warnx("sandbox: no answer for a refused call");
		return -1;
	}
	memset(&sb, 0, sizeof(sb));
	sb.listen_fd = listen_fd;
	sb.deny = cfg->sandbox_deny;
	/* Workers write nothing: the master writes the exports (export.c). */
	sb.write = NULL;
	if (sandbox_add_read(&sb, cfg->export_dir) == -1 ||
	    sandbox_add_read(&sb, cfg->snapshot) == -1 ||
	    sandbox_add_read(&sb, cfg->luadir) == -1 ||
	    sandbox_add_read(&sb, cfg->tpldir) == -1 ||
	    sandbox_add_read(&sb, cfg->clock_file) == -1)
		return -1;
	return sandbox_enter(&sb);
}

/* Which prebuilt answer fits a request for uri: JSON for the API. */
static enum sandbox_kind
worker_kind(const char *uri)
{
	if (uri != NULL && (strncmp(uri, "/api/", 5) == 0 ||
	    strncmp(uri, "/export/", 8) == 0 || strncmp(uri, "/healthz", 8) == 0))
		return SANDBOX_JSON;
	return SANDBOX_HTML;
}

/*
 * Makes the epoll set a worker waits on: its control pipe, and the listening
 * socket with EPOLLEXCLUSIVE so that a new connection wakes one idle worker,
 * not all of them. Returns the epoll fd, or -1 (logged).
 */
static int
worker_epoll(int listen_fd, int ctl_fd)
{
	struct epoll_event	 ev;
	int			 ep;

	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		log_warn("epoll_create1");
		return -1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = ctl_fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, ctl_fd, &ev) == -1)
		goto fail;
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.fd = listen_fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev) == -1)
		goto fail;
	return ep;
fail:
	log_warn("epoll_ctl");
	close(ep);
	return -1;
}

/*
 * Waits for a connection or the end. Returns 1 to accept, 0 to stop. The
 * access lines held since the last wait are written when there is nothing
 * to do at once (log_hold).
 */
static int
worker_wait(int ep, int ctl_fd)
{
	struct epoll_event	 ev[2];
	int			 i, n, wait = 0;

	for (;;) {
		if ((n = epoll_wait(ep, ev, 2, wait)) == 0 && wait == 0) {
			log_flush();
			wait = -1;
			continue;
		}
		if (n == -1) {
			if (errno == EINTR)
				continue;
			log_warn("epoll_wait");
			return 0;
		}
		for (i = 0; i < n; i++)
			if (ev[i].data.fd == ctl_fd)
				return 0;	/* master closed the pipe, or died */
		if (n > 0)
			return 1;
	}
}

/*
 * Accepts a waiting connection into r, from an allowed address over TCP
 * (tcp.c). Returns 0, or -1 when there is none: another worker took it,
 * the address was refused, or the accept failed (logged).
 */
static int
worker_accept(const struct worker_cfg *cfg, FCGX_Request *r, int listen_fd)
{
	int	 fd;

	if (cfg->allow != NULL)
		fd = tcp_accept(listen_fd, cfg->allow);	/* logs a refusal */
	else if ((fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC)) == -1 &&
	    errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
	    errno != ECONNABORTED)
		log_warn("accept");
	if (fd == -1)
		return -1;
	conn_begin(r, fd);
	return 0;
}

/*
 * The worker process: opens everything, tells the master it is ready by
 * writing to ready_fd, then serves until ctl_fd reports hang-up. Exits 0 on
 * a normal stop, 2 when it could not start.
 */
void
worker_main(const struct worker_cfg *cfg, int listen_fd, int ctl_fd,
    int ready_fd)
{
	struct req_env	 env;
	struct req_out	 out;
	FCGX_Request	 r;
	pid_t		 pid = getpid();
	int		 rc, ep;

	log_init("worker");
	signal(SIGINT, SIG_IGN);	/* Ctrl-C is the master's to handle */
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);	/* a client gone is an error return */
	if (worker_open(cfg, &env) == -1)
		_exit(2);
	memset(&out, 0, sizeof(out));
	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, listen_fd, 0) != 0) {
		log_warnx("FCGX_Init failed");
		_exit(2);
	}
	if ((ep = worker_epoll(listen_fd, ctl_fd)) == -1 ||
	    worker_sandbox(cfg, &env, listen_fd) == -1)
		_exit(2);
	if (write(ready_fd, &pid, sizeof(pid)) != sizeof(pid))
		log_warn("ready pipe");
	close(ready_fd);
	log_hold(1);
	while (worker_wait(ep, ctl_fd)) {
		score_accept();		/* the watchdog sees a stalled read too */
		if (worker_accept(cfg, &r, listen_fd) == -1) {
			score_idle();
			continue;
		}
		if ((rc = FCGX_Accept_r(&r)) < 0) {
			score_idle();
			if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR)
				continue;	/* another worker took it */
			log_warnx("FCGX_Accept_r: %d", rc);
			break;
		}
		sandbox_request(r.ipcFd, r.requestId,
		    worker_kind(FCGX_GetParam("REQUEST_URI", r.envp)));
		worker_answer(&env, &r, &out);	/* and closes */
		sandbox_request(-1, 0, SANDBOX_HTML);
	}
	log_hold(0);
	req_free(&out);
	tpl_close(env.tpl);
	snap_close(env.snap);
	_exit(0);
}
