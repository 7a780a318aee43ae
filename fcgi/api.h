/* api.h: answers for other systems: JSON API v1, Atom feeds, sitemap, robots.txt, exports. */
#ifndef FAZHI_API_H
#define FAZHI_API_H

#include <stddef.h>

/* Most items one page of an API list may hold (?per_page=). */
#define API_MAX_PER_PAGE	50

struct req_env;
struct req_out;

/*
 * A new endpoint: a ROUTE_API_* kind in route.h (inside the ROUTE_API_ range,
 * so that its errors are JSON), its address in route.c, its entry in req.c's
 * req_routes (the parameters it knows: req.c refuses any other, and any
 * repeated) and a handler here that pushes its envelope and calls req_json,
 * or req_json_error (req_json_field_error when one parameter is at fault)
 * for a failure. docs/api.md describes the envelope and the error codes.
 */
void	api_serve_list(struct req_env *, struct req_out *);
void	api_serve_item(struct req_env *, struct req_out *);
void	api_serve_law(struct req_env *, struct req_out *);
void	api_serve_feed(struct req_env *, struct req_out *);
void	api_serve_export(struct req_env *, struct req_out *);
void	api_search(struct req_env *, struct req_out *);
void	api_laws(struct req_env *, struct req_out *);
void	api_sitemap(struct req_env *, struct req_out *);
void	api_robots(struct req_env *, struct req_out *);
void	api_credit_check(struct req_env *, struct req_out *);
void	api_credit_lookup(struct req_env *, struct req_out *);
int	api_write_exports(struct req_env *, const char *, size_t);

#endif
