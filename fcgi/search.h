/* search.h: full-text search, shared by /search and /api/v1/search. */
#ifndef FAZHI_SEARCH_H
#define FAZHI_SEARCH_H

#include <stddef.h>

#include <lua.h>

/* Longest search text accepted, in bytes (40 Chinese characters). */
#define SEARCH_MAX_QUERY	120
/* Results on one page, of the site and of the API. */
#define SEARCH_PER_PAGE		10
/*
 * Matches one search ranks and counts at most: the newest this many (fifty
 * pages). A one-character query can match nearly every item; ranking them
 * all would cost ~100 ms on 100 000 items, ranking this many ~1 ms.
 */
#define SEARCH_MAX_MATCHES	500

struct req_env;

/* A search as asked: the parameters, checked. */
struct search {
	char		 q[SEARCH_MAX_QUERY + 1];	/* trimmed */
	const char	*section;	/* cases, pufa, credit, or NULL */
	const char	*domain;	/* a domain code of site.xml, or NULL */
	const char	*town;		/* a town code of site.xml, or NULL */
	const char	*year;		/* YYYY, or NULL */
	long		 page;		/* from 1 */
	int		 paged;		/* ?page= was given */
	/* When a parameter is wrong (search_read returned -1): */
	const char	*field;		/* its name */
	const char	*code;		/* a machine code for the API */
	const char	*message;	/* what to tell the reader */
};

int	search_read(struct req_env *, struct search *);
int	search_exact(struct req_env *, const struct search *, char *, size_t);
int	search_run(struct req_env *, lua_State *, const struct search *);

#endif
