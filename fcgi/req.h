/*
 * req.h: the request layer. One request's environment, its answer and its
 * parameters; the table that dispatches it to a page (page.c) or an API
 * handler (api.c), which sit on this layer side by side; the error answers,
 * HTML or JSON; and the helpers both kinds of handler share.
 */
#ifndef FAZHI_REQ_H
#define FAZHI_REQ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <lua.h>

#include "buf.h"

/* Cases per page of /cases/, materials per page of /pufa/, API default. */
#define REQ_PER_PAGE		10
/* Highest page number accepted in ?page=. */
#define REQ_MAX_PAGE		10000
/* Longest address an answer may send as Location (a redirect's target). */
#define REQ_MAX_LOCATION	512
/* Longest Set-Cookie an answer may send. */
#define REQ_MAX_COOKIE		128
/* Lua stack slots a handler may use at most (api_feed: about 20). */
#define REQ_STACK		48

struct http_req;
struct route;
struct snap;
struct tpl;

/* How a route answers, its errors included. */
enum req_format {
	REQ_HTML,		/* pages; feeds, sitemap and robots.txt err in HTML too */
	REQ_JSON		/* the API and /healthz */
};

/*
 * The answer to one request. worker.c writes it; req_serve fills it and
 * req_done releases it. The buffers are the request's: req_serve resets
 * them, keeping their memory for the next request.
 */
struct req_out {
	int		 status;	/* HTTP status */
	const char	*type;		/* Content-Type */
	const char	*location;	/* Location, for redirects */
	const char	*cookie;	/* Set-Cookie, or NULL */
	const char	*body;		/* the template state's, or text */
	size_t		 len;
	int		 rendered;	/* body must be released with tpl_release */
	int64_t		 last_modified;	/* Unix time, set for a 200 answer */
	const char	*accel;		/* X-Accel-Redirect: nginx sends this file */
	int		 private;	/* Cache-Control: private, no-store */
	struct buf	 text;		/* a body written in C: feed, calendar, robots */
	char		 location_buf[REQ_MAX_LOCATION + 1];	/* a made Location */
	char		 cookie_buf[REQ_MAX_COOKIE];		/* a made Set-Cookie */
	char		 accel_buf[REQ_MAX_LOCATION];		/* a made X-Accel */
};

/*
 * What a worker serves (set once by worker.c) and the request in hand (set
 * by req_serve for each request).
 */
struct req_env {
	struct snap	*snap;
	struct tpl	*tpl;
	time_t		 started;	/* for /healthz uptime */
	int		 preview;	/* show drafts and future items */
	const char	*clock_file;	/* tests: a file holding "now" */
	const char	*export_dir;	/* bulk exports are written here, or NULL */
	/* The request in hand, set by req_serve: */
	const struct http_req *req;
	const struct route *route;	/* where it goes; its id for an item */
	time_t		 now;		/* the clock that decides what is public */
	char		 today[16];	/* YYYY-MM-DD in China time */
};

/* Serving */
time_t	req_clock(const char *);
void	req_serve(struct req_env *, struct http_req *, int, struct req_out *);
void	req_done(struct req_env *, struct req_out *);
void	req_free(struct req_out *);
void	req_reset(struct req_out *);
int64_t	req_last_modified(struct req_env *);

/* Answers */
void	req_render(struct req_env *, const char *, int, const char *,
	    struct req_out *);
void	req_page_error(struct req_env *, int, const char *, struct req_out *);
void	req_not_found(struct req_env *, struct req_out *);
void	req_server_error(struct req_env *, struct req_out *);
void	req_json(struct req_env *, int, struct req_out *);
void	req_json_error(struct req_env *, int, const char *, const char *,
	    struct req_out *);
void	req_json_field_error(struct req_env *, int, const char *, const char *,
	    const char *, struct req_out *);
void	req_text(struct req_out *, const char *);
void	req_redirect(struct req_out *, int, const char *);
int	req_local_path(const char *);

/* Parameters */
long	req_number(const struct http_req *, const char *, long, long);
int	req_valid_year(const char *);
int	req_valid_procedure(const char *);
int	req_valid_kind(const char *);
int	req_known_domain(struct req_env *, const char *);
int	req_known_town(struct req_env *, const char *);

/* Lua helpers */
void	req_setstr(lua_State *, const char *, const char *);
void	req_setint(lua_State *, const char *, lua_Integer);
long	req_pop_count(lua_State *);

#endif
