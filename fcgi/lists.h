/* lists.h: every list's pages, counts and facets, computed when a snapshot is built. */
#ifndef FAZHI_LISTS_H
#define FAZHI_LISTS_H

#include <stdint.h>

#include <sqlite3.h>

/* The base of the lists: items public at the build's time (?1). */
#define LISTS_BASE	"(i.status = 'published' AND i.publish_at <= ?1)"
/*
 * When an item last changed in a way a reader sees, as Unix time: its updated
 * (or published) date at midnight China time, or the moment its publish-at
 * made it public, whichever is later. Feeds and the sitemap show it.
 */
#define LISTS_STAMP \
	"max(unixepoch(coalesce(i.updated, i.published)) - 28800, i.publish_at)"
/* The last day of a campaign. */
#define LISTS_CAMPAIGN_END \
	"substr(coalesce(event_end, event_start), 1, 10)"

/* Ids a row of list_chunks holds: a page reads one or two of them. */
#define LISTS_CHUNK	64

int	lists_build(sqlite3 *, int64_t);
int	lists_rebuild(sqlite3 *, int64_t);

#endif
