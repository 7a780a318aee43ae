/* route.h: maps a decoded path to a page and its arguments. */
#ifndef FAZHI_ROUTE_H
#define FAZHI_ROUTE_H

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
	/* The credit tools: the calculator and the penalty-record look-up. */
	ROUTE_CREDIT_CHECK,	/* /credit/check?date=... */
	ROUTE_CREDIT_LOOKUP,	/* /credit/lookup?q= */
	ROUTE_API_CREDIT_CHECK,	/* /api/v1/credit/check: the same, as JSON */
	ROUTE_API_CREDIT_LOOKUP,	/* /api/v1/credit/lookup */
	ROUTE_REDIRECT,		/* /cases -> /cases/, and so on */
	ROUTE_ERROR,		/* /_error/<status>: nginx's own errors, internal */
	ROUTE_NOT_FOUND
};

struct route {
	enum route_kind	 kind;
	char		 id[ROUTE_MAX_ID + 1];	/* ROUTE_CASE only */
	const char	*location;		/* ROUTE_REDIRECT only */
	int		 status;		/* ROUTE_ERROR only */
};

void	route_match(const char *, struct route *);
int	route_valid_id(const char *);

#endif
