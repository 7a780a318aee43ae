/* snap.h: read-only access to a published snapshot (one SQLite file). */
#ifndef FAZHI_SNAP_H
#define FAZHI_SNAP_H

#include <stdint.h>

#include <lua.h>

/* Bumped whenever the builder changes the tables; serve refuses other versions. */
#define SNAP_SCHEMA_VERSION	"2"

/* The kinds of rows in the parts table: an item's lists, in page order. */
enum snap_part {
	SNAP_PART_SECTION,	/* a: key, b: heading, c: safe HTML */
	SNAP_PART_BASIS,	/* a: law title, b: article (or NULL) */
	SNAP_PART_KEYWORD,	/* a: the keyword */
	SNAP_PART__MAX
};

enum snap_q {
	SNAP_Q_LATEST_CASES,	/* now, limit */
	SNAP_Q_CASES_COUNT,	/* now */
	SNAP_Q_CASES_PAGE,	/* now, limit, offset */
	SNAP_Q_CASE,		/* id, now */
	SNAP_Q_PARTS,		/* id: sections, basis, keywords */
	SNAP_Q_RELATED,		/* id, now */
	SNAP_Q_ITEM_COUNT,	/* now */
	SNAP_Q_SITE,
	SNAP_Q_NAV,
	SNAP_Q_FILINGS,
	SNAP_Q_DOMAINS,
	SNAP_Q_TOWNS,
	SNAP_Q__MAX
};

struct snap;

struct snap	*snap_open(const char *);
void		 snap_close(struct snap *);
const char	*snap_id(const struct snap *);
int		 snap_rows(struct snap *, lua_State *, enum snap_q,
		    const char *, ...);
int		 snap_push_site(struct snap *, lua_State *);
int		 snap_parts(struct snap *, lua_State *, const char *);

#endif
