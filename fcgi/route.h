/* route.h: maps a decoded path to a page and its arguments. */
#ifndef FAZHI_ROUTE_H
#define FAZHI_ROUTE_H

#include "snap.h"

/* Longest item id: lower-case letters, digits and '-', as content file names. */
#define ROUTE_MAX_ID	64

enum route_kind {
	ROUTE_HOME,		/* / */
	ROUTE_CASES,		/* /cases/ */
	ROUTE_CASE,		/* /cases/<id> */
	ROUTE_PUFA,		/* /pufa/ */
	ROUTE_MATERIAL,		/* /pufa/<id> */
	ROUTE_CREDIT,		/* /credit/ */
	ROUTE_GUIDE,		/* /credit/<id> */
	ROUTE_ABOUT,		/* /about */
	ROUTE_SEARCH,		/* /search?q= */
	ROUTE_MODE,		/* /mode?set=elder|normal&next=/path */
	ROUTE_HEALTHZ,		/* /healthz */
	ROUTE_LAWS,		/* /laws/ */
	ROUTE_LAW,		/* /laws/<id> */
	/* The credit tools: the calculator and the penalty-record look-up. */
	ROUTE_CREDIT_CHECK,	/* /credit/check?date=... */
	ROUTE_CREDIT_LOOKUP,	/* /credit/lookup?q= */
	ROUTE_CREDIT_ICS,	/* /credit/check.ics?date=...: the calendar event */
	ROUTE_REDIRECT,		/* /cases -> /cases/, and so on */
	ROUTE_ERROR,		/* /_error/<status>: nginx's own errors, internal */
	ROUTE_NOT_FOUND,
	/* Feeds and web conventions: */
	ROUTE_FEED,		/* /feeds/<all|cases|pufa|credit>.atom */
	ROUTE_FEED_DOMAIN,	/* /feeds/cases/<domain>.atom */
	ROUTE_SITEMAP,		/* /sitemap.xml; /sitemap-<id>.xml, id digits */
	ROUTE_ROBOTS,		/* /robots.txt */
	ROUTE_EXPORT,		/* /export/<cases|pufa|credit>.json */
	/* JSON API v1: every ROUTE_API_* answers in JSON, errors included; new
	 * ones go between ROUTE_API_CASES and ROUTE_API_NOT_FOUND (ROUTE_IS_API). */
	ROUTE_API_CASES,	/* /api/v1/cases */
	ROUTE_API_CASE,		/* /api/v1/cases/<id> */
	ROUTE_API_PUFA,		/* /api/v1/pufa */
	ROUTE_API_MATERIAL,	/* /api/v1/pufa/<id> */
	ROUTE_API_CREDIT,	/* /api/v1/credit */
	ROUTE_API_GUIDE,	/* /api/v1/credit/<id> */
	ROUTE_API_CREDIT_CHECK,	/* /api/v1/credit/check: the calculator */
	ROUTE_API_CREDIT_LOOKUP,	/* /api/v1/credit/lookup */
	ROUTE_API_SEARCH,	/* /api/v1/search?q= */
	ROUTE_API_LAWS,		/* /api/v1/laws */
	ROUTE_API_LAW,		/* /api/v1/laws/<id> */
	ROUTE_API_NOT_FOUND	/* any other /api/ path */
};

/* Is this route answered in JSON (its errors too)? */
#define ROUTE_IS_API(k)	((k) >= ROUTE_API_CASES && (k) <= ROUTE_API_NOT_FOUND)

/* What a section offers besides its list and items (route_section.flags). */
#define ROUTE_SEC_SEARCH	0x1	/* searched: /search?section=NAME */
#define ROUTE_SEC_FEED		0x2	/* /feeds/NAME.atom */
#define ROUTE_SEC_EXPORT	0x4	/* /export/NAME.json */

/*
 * A section: a list at /NAME/ and its items at /NAME/<id>, the same in the
 * API at /api/v1/NAME. The one table of them (route.c) is what the pages,
 * the API, search, the feeds, the exports and the templates (view.lua, as
 * sections) all read.
 */
struct route_section {
	const char	*name;		/* cases */
	const char	*base;		/* /cases/: the list's address */
	const char	*kind;		/* case: the kind of its items */
	const char	*title;		/* 典型案例 */
	const char *const *filters;	/* its list's, in their canonical order */
	enum snap_q	 item;		/* the snapshot's query for one item */
	enum route_kind	 list, page;	/* /cases/, /cases/<id> */
	enum route_kind	 api_list, api_item;	/* /api/v1/cases, /api/v1/cases/<id> */
	int		 flags;		/* ROUTE_SEC_* */
};

/* How many sections route_sections holds. */
#define ROUTE_NSECTIONS	4

extern const struct route_section route_sections[ROUTE_NSECTIONS];

struct route {
	enum route_kind	 kind;
	const struct route_section *section;	/* the section's list, item, feed, export */
	char		 id[ROUTE_MAX_ID + 1];	/* item id; feed, domain or export name */
	const char	*location;		/* ROUTE_REDIRECT only */
	int		 status;		/* ROUTE_ERROR only */
};

void	route_match(const char *, struct route *);
int	route_valid_id(const char *);
int	route_is_api_path(const char *);
const struct route_section *route_section(const char *);

#endif
