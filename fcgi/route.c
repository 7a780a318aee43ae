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

/* Fills r with the page for path (decoded). Never fails: unknown is 404. */
void
route_match(const char *path, struct route *r)
{
	static const char	 cases[] = "/cases/";
	const char		*id;

	r->kind = ROUTE_NOT_FOUND;
	r->id[0] = '\0';
	r->location = NULL;
	r->status = 0;
	if (strcmp(path, "/") == 0)
		r->kind = ROUTE_HOME;
	else if (strcmp(path, "/healthz") == 0)
		r->kind = ROUTE_HEALTHZ;
	else if (strcmp(path, "/_error/400") == 0 || strcmp(path, "/_error/404") == 0 ||
	    strcmp(path, "/_error/413") == 0 || strcmp(path, "/_error/414") == 0) {
		r->kind = ROUTE_ERROR;
		r->status = atoi(path + 8);
	} else if (strcmp(path, "/cases") == 0) {
		r->kind = ROUTE_REDIRECT;
		r->location = cases;
	} else if (strncmp(path, cases, sizeof(cases) - 1) == 0) {
		id = path + sizeof(cases) - 1;
		if (*id == '\0')
			r->kind = ROUTE_CASES;
		else if (route_valid_id(id)) {
			r->kind = ROUTE_CASE;
			strcpy(r->id, id);	/* fits: checked by route_valid_id */
		}
	}
}
