/* route.c: the URL map; see DESIGN.md "URLs". Pure string work, no I/O. */
#include <stdlib.h>
#include <string.h>

#include "route.h"

/* Returns 1 when s is a well-formed item id: [a-z0-9][a-z0-9-]{0,63}. */
int
route_valid_id(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i == ROUTE_MAX_ID)
			return 0;
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))
			continue;
		if (s[i] != '-' || i == 0)
			return 0;
	}
	return i > 0;
}

/* The sections that list items at /NAME/ and show one at /NAME/<id>. */
static const struct {
	const char	*prefix;	/* "/cases/" */
	enum route_kind	 list, item;
} route_sections[] = {
	{ "/cases/", ROUTE_CASES, ROUTE_CASE },
	{ "/pufa/", ROUTE_PUFA, ROUTE_MATERIAL },
	{ "/credit/", ROUTE_CREDIT, ROUTE_GUIDE },
	{ "/laws/", ROUTE_LAWS, ROUTE_LAW },
};

/* Pages with a fixed path. */
static const struct {
	const char	*path;
	enum route_kind	 kind;
} route_fixed[] = {
	{ "/", ROUTE_HOME }, { "/healthz", ROUTE_HEALTHZ },
	{ "/about", ROUTE_ABOUT }, { "/mode", ROUTE_MODE },
	{ "/search", ROUTE_SEARCH },
	/* Before the /credit/<id> guides; content.c reserves these ids. */
	{ "/credit/check", ROUTE_CREDIT_CHECK },
	{ "/credit/lookup", ROUTE_CREDIT_LOOKUP },
	{ "/credit/check.ics", ROUTE_CREDIT_ICS },
	/* Before the /api/v1/credit/<id> guides, for the same reason. */
	{ "/api/v1/credit/check", ROUTE_API_CREDIT_CHECK },
	{ "/api/v1/credit/lookup", ROUTE_API_CREDIT_LOOKUP },
	{ "/api/v1/search", ROUTE_API_SEARCH },
};

/*
 * Feeds, sitemap, robots, exports and the JSON API v1. Returns 1 when path
 * is one of theirs (r filled), 0 to go on with the pages.
 */
static const struct {
	const char	*prefix;	/* "/api/v1/cases" */
	enum route_kind	 list, item;
} route_api[] = {
	{ "/api/v1/cases", ROUTE_API_CASES, ROUTE_API_CASE },
	{ "/api/v1/pufa", ROUTE_API_PUFA, ROUTE_API_MATERIAL },
	{ "/api/v1/credit", ROUTE_API_CREDIT, ROUTE_API_GUIDE },
	{ "/api/v1/laws", ROUTE_API_LAWS, ROUTE_API_LAW },
};

/* Copies the name between prefix and suffix into r->id when it is an id. */
static int
route_named(const char *path, const char *prefix, const char *suffix,
    struct route *r)
{
	size_t	 np = strlen(prefix), ns = strlen(suffix), n = strlen(path);

	if (n <= np + ns || strncmp(path, prefix, np) != 0 ||
	    strcmp(path + n - ns, suffix) != 0 || n - np - ns > ROUTE_MAX_ID)
		return 0;
	memcpy(r->id, path + np, n - np - ns);
	r->id[n - np - ns] = '\0';
	return route_valid_id(r->id);
}

/* Is path under /api/ (so that its errors are JSON)? */
int
route_is_api_path(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0;
}

/* Fills r->kind from the pages with a fixed path. Returns 1, or 0 if none. */
static int
route_fixed_path(const char *path, struct route *r)
{
	size_t	 i;

	for (i = 0; i < sizeof(route_fixed) / sizeof(route_fixed[0]); i++)
		if (strcmp(path, route_fixed[i].path) == 0) {
			r->kind = route_fixed[i].kind;
			return 1;
		}
	return 0;
}

static int
route_machine(const char *path, struct route *r)
{
	size_t	 i, n;

	if (route_fixed_path(path, r))
		return 1;

	if (strcmp(path, "/sitemap.xml") == 0 || strcmp(path, "/robots.txt") == 0) {
		r->kind = path[1] == 's' ? ROUTE_SITEMAP : ROUTE_ROBOTS;
		r->id[0] = '\0';
		return 1;
	}
	/* The sitemap index's files: /sitemap-1.xml ... */
	if (route_named(path, "/sitemap-", ".xml", r) &&
	    strspn(r->id, "0123456789") == strlen(r->id) && r->id[0] != '0') {
		r->kind = ROUTE_SITEMAP;
		return 1;
	}
	if (route_named(path, "/feeds/cases/", ".atom", r)) {
		r->kind = ROUTE_FEED_DOMAIN;
		return 1;
	}
	if (route_named(path, "/feeds/", ".atom", r) && (strcmp(r->id, "all") == 0 ||
	    strcmp(r->id, "cases") == 0 || strcmp(r->id, "pufa") == 0 ||
	    strcmp(r->id, "credit") == 0)) {
		r->kind = ROUTE_FEED;
		return 1;
	}
	if (route_named(path, "/export/", ".json", r) && (strcmp(r->id, "cases") == 0 ||
	    strcmp(r->id, "pufa") == 0 || strcmp(r->id, "credit") == 0 ||
	    strcmp(r->id, "laws") == 0)) {
		r->kind = ROUTE_EXPORT;
		return 1;
	}
	r->id[0] = '\0';
	if (!route_is_api_path(path))
		return 0;
	r->kind = ROUTE_API_NOT_FOUND;
	for (i = 0; i < sizeof(route_api) / sizeof(route_api[0]); i++) {
		n = strlen(route_api[i].prefix);
		if (strncmp(path, route_api[i].prefix, n) != 0)
			continue;
		if (path[n] == '\0')
			r->kind = route_api[i].list;
		else if (path[n] == '/' && route_valid_id(path + n + 1)) {
			r->kind = route_api[i].item;
			strcpy(r->id, path + n + 1);	/* fits: route_valid_id */
		}
		break;
	}
	return 1;
}

/* Fills r with the page for path (decoded). Never fails: unknown is 404. */
void
route_match(const char *path, struct route *r)
{
	const char	*id;
	size_t		 i, n;

	r->kind = ROUTE_NOT_FOUND;
	r->id[0] = '\0';
	r->location = NULL;
	r->status = 0;
	if (route_machine(path, r))
		return;
	if (strcmp(path, "/_error/400") == 0 || strcmp(path, "/_error/404") == 0 ||
	    strcmp(path, "/_error/413") == 0 || strcmp(path, "/_error/414") == 0 ||
	    strcmp(path, "/_error/429") == 0) {
		r->kind = ROUTE_ERROR;
		r->status = atoi(path + 8);
		return;
	}
	for (i = 0; i < sizeof(route_sections) / sizeof(route_sections[0]); i++) {
		n = strlen(route_sections[i].prefix);
		if (strncmp(path, route_sections[i].prefix, n - 1) != 0)
			continue;
		if (path[n - 1] == '\0') {		/* "/cases": add the slash */
			r->kind = ROUTE_REDIRECT;
			r->location = route_sections[i].prefix;
			return;
		}
		if (path[n - 1] != '/')
			continue;
		id = path + n;
		if (*id == '\0')
			r->kind = route_sections[i].list;
		else if (route_valid_id(id)) {
			r->kind = route_sections[i].item;
			strcpy(r->id, id);	/* fits: checked by route_valid_id */
		}
		return;
	}
}
