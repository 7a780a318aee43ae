/* page.h: one handler per page: route -> snapshot queries -> template. */
#ifndef FAZHI_PAGE_H
#define FAZHI_PAGE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <lua.h>

#include "buf.h"

/* Cases per page of /cases/, materials per page of /pufa/. */
#define PAGE_PER_PAGE		10
/* Latest cases on the home page. */
#define PAGE_HOME_CASES		6
/* Newest credit-repair guides on the home page. */
#define PAGE_HOME_GUIDES	3
/* Campaigns shown as upcoming, and as past. */
#define PAGE_CAMPAIGNS		6
/* Longest address the display-mode switch returns to; longer ones go home. */
#define PAGE_MAX_NEXT		512
/* Highest page number accepted in ?page=. */
#define PAGE_MAX_PAGE		10000
/* Problems the calculator's form reports at once. */
#define PAGE_CREDIT_PROBLEMS	12
/* Longest look-up text accepted, in bytes: a decision number of 64 characters. */
#define PAGE_MAX_LOOKUP		192
/* Most records one credit code's look-up shows, newest first. */
#define PAGE_LOOKUP_RECORDS	20
/* How long the display-mode cookie lasts, in seconds (a year). */
#define PAGE_MODE_MAX_AGE	31536000

struct http_req;
struct snap;
struct tpl;

struct page_env {
	struct snap	*snap;
	struct tpl	*tpl;
	time_t		 started;	/* for /healthz uptime */
	int		 preview;	/* show drafts and future items */
	const char	*clock_file;	/* tests: a file holding "now" */
	const char	*export_dir;	/* bulk exports are written here, or NULL */
	struct buf	 xml;		/* body of a feed, sitemap or robots.txt */
	/* The request in hand, set by page_serve: */
	const struct http_req *req;
	char		 today[16];	/* YYYY-MM-DD in China time */
};

struct page_out {
	int		 status;	/* HTTP status */
	const char	*type;		/* Content-Type */
	const char	*location;	/* Location, for redirects */
	const char	*cookie;	/* Set-Cookie, or NULL */
	const char	*body;		/* owned by the template state */
	size_t		 len;
	int		 rendered;	/* body must be released with tpl_release */
	int64_t		 last_modified;	/* Unix time, set for a 200 answer */
	const char	*accel;		/* X-Accel-Redirect: nginx sends this file */
	int		 private;	/* Cache-Control: private, no-store */
};

void	page_setstr(lua_State *, const char *, const char *);
void	page_setint(lua_State *, const char *, lua_Integer);
long	page_pop_count(lua_State *);
int	page_valid_year(const char *);
int	page_known_domain(struct page_env *, const char *);
int	page_valid_procedure(const char *);
int	page_valid_kind(const char *);
void	page_not_found(struct page_env *, struct page_out *);
void	page_bad_request(struct page_env *, const char *, struct page_out *);
void	page_server_error(struct page_env *, struct page_out *);
void	page_serve(struct page_env *, struct http_req *, int, struct page_out *);
void	page_done(struct page_env *, struct page_out *);

#endif
