/* api.h: answers for other systems: JSON API v1, Atom feeds, sitemap, robots.txt, exports. */
#ifndef FAZHI_API_H
#define FAZHI_API_H

#include <stddef.h>

/* Most items one page of an API list may hold (?per_page=). */
#define API_MAX_PER_PAGE	50

struct page_env;
struct page_out;
struct route;

/*
 * A new endpoint: a ROUTE_API_* kind in route.h (inside the ROUTE_API_ range,
 * so that its errors are JSON), its address in route.c's route_api table or
 * route_machine, and a handler that refuses parameters it does not know
 * (api_params_only), pushes its envelope and calls api_answer, or api_error
 * (api_field_error when one parameter is at fault) for a failure. docs/api.md describes the envelope
 * and the error codes.
 */
void	api_route(struct page_env *, const struct route *, struct page_out *);
void	api_answer(struct page_env *, int, struct page_out *);
void	api_error(struct page_env *, int, const char *, const char *,
	    struct page_out *);
void	api_field_error(struct page_env *, int, const char *, const char *,
	    const char *, struct page_out *);
int	api_params_only(struct page_env *, const char *const *,
	    struct page_out *);
int	api_accepts_json(const char *);
int	api_write_exports(struct page_env *, const char *, size_t);

#endif
