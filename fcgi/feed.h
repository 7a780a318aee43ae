/* feed.h: Atom feeds (RFC 4287, paged as RFC 5005) and the sitemap, as XML text. */
#ifndef FAZHI_FEED_H
#define FAZHI_FEED_H

#include <stddef.h>
#include <stdint.h>

/* Entries on one page of a feed; older entries are on the next pages. */
#define FEED_PER_PAGE		20
/*
 * Addresses one sitemap file may list, and sitemap files one index may list
 * (the sitemaps.org protocol's own limit).
 */
#define FEED_SITEMAP_MAX	50000

struct buf;

struct feed_entry {
	const char	*id;		/* stable: the item's canonical address */
	const char	*title;
	const char	*link;		/* the item's page, absolute */
	const char	*summary;	/* plain text */
	const char	*published;	/* YYYY-MM-DD (China time), or NULL */
	int64_t		 updated;	/* Unix time */
};

struct feed {
	const char	*id;		/* the feed's first page, absolute */
	const char	*title;
	const char	*subtitle;	/* or NULL */
	const char	*author;	/* the organiser */
	const char	*self;		/* this page, absolute */
	const char	*alternate;	/* the HTML page it follows, absolute */
	const char	*first, *previous, *next, *last; /* RFC 5005, or NULL */
	int64_t		 updated;	/* Unix time */
	const struct feed_entry *entries;
	size_t		 n;
};

struct feed_url {
	const char	*loc;		/* absolute address */
	int64_t		 lastmod;	/* Unix time, or 0 when unknown */
};

int	feed_atom(const struct feed *, struct buf *);
int	feed_sitemap(const struct feed_url *, size_t, struct buf *);
int	feed_sitemap_index(const struct feed_url *, size_t, struct buf *);

#endif
