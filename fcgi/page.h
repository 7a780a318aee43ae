/* page.h: one handler per page: route -> snapshot queries -> template. */
#ifndef FAZHI_PAGE_H
#define FAZHI_PAGE_H

/* Latest cases on the home page. */
#define PAGE_HOME_CASES		6
/* Newest credit-repair guides on the home page. */
#define PAGE_HOME_GUIDES	3
/* Campaigns shown as upcoming, and as past. */
#define PAGE_CAMPAIGNS		6
/* How long the display-mode cookie lasts, in seconds (a year). */
#define PAGE_MODE_MAX_AGE	31536000

struct req_env;
struct req_out;

/*
 * The pages, each called by req.c (req_routes) once the query's parameter
 * names have passed; a new page is a route there and a handler here.
 */
void	page_home(struct req_env *, struct req_out *);
void	page_cases(struct req_env *, struct req_out *);
void	page_pufa(struct req_env *, struct req_out *);
void	page_credit(struct req_env *, struct req_out *);
void	page_item(struct req_env *, struct req_out *);
void	page_laws(struct req_env *, struct req_out *);
void	page_law(struct req_env *, struct req_out *);
void	page_about(struct req_env *, struct req_out *);
void	page_search(struct req_env *, struct req_out *);
void	page_mode(struct req_env *, struct req_out *);
void	page_healthz(struct req_env *, struct req_out *);
void	page_credit_check(struct req_env *, struct req_out *);
void	page_credit_lookup(struct req_env *, struct req_out *);
void	page_credit_ics(struct req_env *, struct req_out *);

#endif
