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

/* The filters of the lists, each a query parameter of the page and the API. */
static const char *const route_case_filters[] = { "domain", "town", "year",
    "procedure", NULL };
static const char *const route_material_filters[] = { "kind", "topic", NULL };
static const char *const route_no_filters[] = { NULL };

/*
 * The sections, in the order search counts them. Laws are not items: they
 * are neither searched nor in the feeds.
 */
const struct route_section route_sections[ROUTE_NSECTIONS] = {
	{ "cases", "/cases/", "case", "典型案例", route_case_filters,
	    SNAP_Q_CASE, ROUTE_CASES, ROUTE_CASE, ROUTE_API_CASES,
	    ROUTE_API_CASE, ROUTE_SEC_SEARCH | ROUTE_SEC_FEED | ROUTE_SEC_EXPORT },
	{ "credit", "/credit/", "guide", "信用修复指南", route_no_filters,
	    SNAP_Q_GUIDE, ROUTE_CREDIT, ROUTE_GUIDE, ROUTE_API_CREDIT,
	    ROUTE_API_GUIDE, ROUTE_SEC_SEARCH | ROUTE_SEC_FEED | ROUTE_SEC_EXPORT },
	{ "pufa", "/pufa/", "material", "普法资料", route_material_filters,
	    SNAP_Q_MATERIAL, ROUTE_PUFA, ROUTE_MATERIAL, ROUTE_API_PUFA,
	    ROUTE_API_MATERIAL, ROUTE_SEC_SEARCH | ROUTE_SEC_FEED | ROUTE_SEC_EXPORT },
	{ "laws", "/laws/", "law", "法律法规", route_no_filters,
	    SNAP_Q_LAW, ROUTE_LAWS, ROUTE_LAW, ROUTE_API_LAWS,
	    ROUTE_API_LAW, ROUTE_SEC_EXPORT },
};

/* The section named name (cases) or whose items are of kind name (case). */
const struct route_section *
route_section(const char *name)
{
	size_t	 i;

	for (i = 0; i < ROUTE_NSECTIONS; i++)
		if (strcmp(route_sections[i].name, name) == 0 ||
		    strcmp(route_sections[i].kind, name) == 0)
			return &route_sections[i];
	return NULL;
}

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

/*
 * Feeds, sitemap, robots, exports and the JSON API v1. Returns 1 when path
 * is one of theirs (r filled), 0 to go on with the pages.
 */
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
	    ((r->section = route_section(r->id)) != NULL &&
	    strcmp(r->section->name, r->id) == 0 &&
	    (r->section->flags & ROUTE_SEC_FEED)))) {
		r->kind = ROUTE_FEED;
		return 1;
	}
	if (route_named(path, "/export/", ".json", r) &&
	    (r->section = route_section(r->id)) != NULL &&
	    strcmp(r->section->name, r->id) == 0 &&
	    (r->section->flags & ROUTE_SEC_EXPORT)) {
		r->kind = ROUTE_EXPORT;
		return 1;
	}
	r->section = NULL;
	r->id[0] = '\0';
	if (!route_is_api_path(path))
		return 0;
	r->kind = ROUTE_API_NOT_FOUND;
	if (strncmp(path, "/api/v1/", 8) != 0)
		return 1;
	for (i = 0; i < ROUTE_NSECTIONS; i++) {
		n = strlen(route_sections[i].name);
		if (strncmp(path + 8, route_sections[i].name, n) != 0)
			continue;
		path += 8 + n;
		if (*path == '\0')
			r->kind = route_sections[i].api_list;
		else if (*path == '/' && route_valid_id(path + 1)) {
			r->kind = route_sections[i].api_item;
			strcpy(r->id, path + 1);	/* fits: route_valid_id */
		}
		if (r->kind != ROUTE_API_NOT_FOUND)
			r->section = &route_sections[i];
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
	r->section = NULL;
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
	for (i = 0; i < ROUTE_NSECTIONS; i++) {
		n = strlen(route_sections[i].name);
		if (path[0] != '/' || strncmp(path + 1, route_sections[i].name, n) != 0)
			continue;
		r->section = &route_sections[i];
		if (path[n + 1] == '\0') {		/* "/cases": add the slash */
			r->kind = ROUTE_REDIRECT;
			r->location = route_sections[i].base;
			return;
		}
		if (path[n + 1] != '/')
			continue;
		id = path + n + 2;
		if (*id == '\0')
			r->kind = route_sections[i].list;
		else if (route_valid_id(id)) {
			r->kind = route_sections[i].page;
			strcpy(r->id, id);	/* fits: checked by route_valid_id */
		}
		return;
	}
	r->section = NULL;
}
