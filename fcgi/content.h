/* content.h: the content folder -> the tables of a snapshot database. */
#ifndef FAZHI_CONTENT_H
#define FAZHI_CONTENT_H

#include <stdint.h>

#include <sqlite3.h>

/* Most keywords one item may carry (the case-library convention). */
#define CONTENT_MAX_KEYWORDS	7
/* Length of the plain-text summary kept for lists, in bytes (~120 characters). */
#define CONTENT_SUMMARY_BYTES	360
/* Most files in one content folder. */
#define CONTENT_MAX_FILES	200000

struct content_stats {
	uint64_t	 hash;		/* FNV-1a over every file read: the snapshot id */
	long		 items;		/* cases, guides and materials */
	long		 penalties;	/* penalty records */
};

int	content_schema(sqlite3 *);
int	content_load(sqlite3 *, const char *, const char *,
	    struct content_stats *);
int	content_load_site(sqlite3 *, const char *);

#endif
