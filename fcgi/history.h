/* history.h: an item's versions in the console: history, field-by-field diff, restore, reversible delete, preview. */
#ifndef FAZHI_HISTORY_H
#define FAZHI_HISTORY_H

#include <stdint.h>

/* Most fields (top-level elements and attributes) a version is split into. */
#define HISTORY_MAX_FIELDS	48
/*
 * Most lines of one field compared line by line; past it the field's old
 * lines are all shown removed and its new ones added.
 */
#define HISTORY_DIFF_MAX_LINES	400
/* Most versions listed on the history page, newest first. */
#define HISTORY_MAX_VERSIONS	500

struct console_req;
struct staff_item;

int	 history_route(struct console_req *, const char *, const char *,
	    const char *);
int	 history_refuse_deleted(struct console_req *, const char *,
	    const char *);
int	 history_push_review(struct console_req *, const struct staff_item *);
int	 history_push_diff(struct console_req *, const char *, const char *);

/* preview.c */
void	 preview_page(struct console_req *, const char *, const char *);

#endif
