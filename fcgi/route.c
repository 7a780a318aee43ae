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
	{ "/api/v1/credit/check", ROUTE_API_CREDIT_CHECK },
	{ "/api/v1/credit/lookup", ROUTE_API_CREDIT_LOOKUP },
};

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
	for (i = 0; i < sizeof(route_fixed) / sizeof(route_fixed[0]); i++)
		if (strcmp(path, route_fixed[i].path) == 0) {
			r->kind = route_fixed[i].kind;
			return;
		}
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
