/* snap.h: read-only access to a published snapshot (one SQLite file). */
#ifndef FAZHI_SNAP_H
#define FAZHI_SNAP_H

#include <stdint.h>

#include <lua.h>

/* Bumped whenever the builder changes the tables; serve refuses other versions. */
#define SNAP_SCHEMA_VERSION	"12"

/* The kinds of an item's list entries, in page order (content.c, pack.c). */
enum snap_part {
	SNAP_PART_SECTION,	/* a: key, b: heading, c: safe HTML */
	SNAP_PART_BASIS,	/* a: law title, b: article (or NULL), c: law id (or NULL) */
	SNAP_PART_KEYWORD,	/* a: the keyword */
	SNAP_PART_STEP,		/* a: step title, c: safe HTML */
	SNAP_PART_DOCUMENT,	/* c: safe HTML */
	SNAP_PART_FAQ,		/* a: question, c: answer, safe HTML */
	SNAP_PART__MAX
};

enum snap_q {
	SNAP_Q_LATEST_CASES,	/* limit */
	SNAP_Q_CASE,		/* id */
	SNAP_Q_CAMPAIGNS_NEXT,	/* today, limit: upcoming and current */
	SNAP_Q_CAMPAIGNS_PAST,	/* today, limit */
	SNAP_Q_MATERIAL,	/* id */
	SNAP_Q_GUIDE,		/* id */
	SNAP_Q_SEARCH_WINDOW,	/* match, most, terms, map, min share:
				 * docid, kind, score (NULL: under the share) */
	SNAP_Q_SEARCH_RELAXED,	/* the same, for a relaxed query (map given) */
	SNAP_Q_SEARCH_ITEM,	/* docid */
	SNAP_Q_SEARCH_MARKS,	/* match, docid: title, snippet, keywords, marked */
	SNAP_Q_SEARCH_EXACT,	/* id, normalized decision number (or its tail) */
	SNAP_Q_SYNONYM,		/* word: its official terms, its town */
	SNAP_Q_VOCAB,		/* fewest, most characters: words */
	SNAP_Q_POPULAR,		/* the staff's popular searches, in order */
	SNAP_Q_PARTS,		/* id: sections, basis, keywords, steps ... */
	SNAP_Q_RELATED,		/* id */
	SNAP_Q_SITE,
	SNAP_Q_NAV,
	SNAP_Q_FILINGS,
	SNAP_Q_HELP,
	SNAP_Q_DOMAINS,
	SNAP_Q_TOWNS,
	SNAP_Q_TOPICS,
	SNAP_Q_ASSETS,
	/* Feeds, sitemap, exports and the API: */
	SNAP_Q_LAST_CHANGE,	/* now: the latest publish-at that has passed */
	SNAP_Q_NEXT_CHANGE,	/* now: the first publish-at still to come */
	SNAP_Q_SITEMAP,		/* limit, built at: visible items' and laws' id,
				 * kind, stamp */
	SNAP_Q_EXPORT_IDS,	/* kind */
	SNAP_Q_DOMAIN_NAME,	/* code */
	SNAP_Q_TOWN_NAME,	/* code */
	SNAP_Q_TOPIC_NAME,	/* code */
	SNAP_Q_SITE_VALUE,	/* key of site.xml: name, organiser ... */
	/* The credit section: regimes, their texts, penalty records. */
	SNAP_Q_CREDIT_REGIMES,	/* every regime, oldest first */
	SNAP_Q_CREDIT_REGIME,	/* id */
	SNAP_Q_CREDIT_ITEMS,	/* regime: every text, by part (snap_credit_texts) */
	SNAP_Q_CREDIT_RULES,	/* regime, ord of its tier, unpublished and period rule
				 * (-1: none): their texts, with their list */
	SNAP_Q_PENALTY_NUMBER,	/* decision number */
	SNAP_Q_PENALTY_CODE,	/* credit code, limit */
	/* Laws (content/laws) and the articles items cite: */
	SNAP_Q_LAWS,		/* every law, by kind and title, with counts */
	SNAP_Q_LAW,		/* id */
	SNAP_Q_LAW_CHANGES,	/* id: its amendment history, oldest first */
	SNAP_Q_LAW_BY_NAME,	/* text: the law whose short name or title it holds */
	SNAP_Q_LAW_ARTICLE,	/* law id, article n: one article */
	SNAP_Q_LAW_IDS,		/* every law's id, for the export */
	SNAP_Q_LAW_CHOICES,	/* limit (unused): the console's choice of laws */
	/* The staff console: */
	SNAP_Q_STAFF_ITEMS,	/* limit: every item, drafts included, newest first */
	/* The lists of lists.c (snap_list_*): one row of a list by id. */
	SNAP_Q_CASE_ROW,	/* id: a case as /cases/ lists it */
	SNAP_Q_MATERIAL_ROW,	/* id: a material as /pufa/ lists it */
	SNAP_Q_GUIDE_ROW,	/* id: a guide as /credit/ lists it */
	SNAP_Q_FEED_ROW,	/* id: an item as a feed lists it, with its stamp */
	SNAP_Q_HOME_GUIDES,	/* limit: the newest guides */
	SNAP_Q_LIST_KEY,	/* list, f1..f4 ('' any): key, n, stamp */
	SNAP_Q_LIST_IDS,	/* key, first and last chunk: chunk, ids */
	SNAP_Q_ITEM_PUBLISHED,	/* id: published */
	SNAP_Q_LIST_LATE,	/* lists_at, now, limit: items public since */
	SNAP_Q_LIST_FACET1,	/* list, f1..f4, lists_at, now: code, name, n */
	SNAP_Q_LIST_FACET2,
	SNAP_Q_LIST_FACET3,
	SNAP_Q_LIST_FACET4,
	SNAP_Q_LIST_SLOW_COUNT,	/* list, f1..f4 (clock): n, stamp */
	SNAP_Q_LIST_SLOW_IDS,	/* list, f1..f4, offset, limit (clock): id */
	SNAP_Q_LIST_SLOW_FACET1, /* list, f1..f4 (clock): code, name, n */
	SNAP_Q_LIST_SLOW_FACET2,
	SNAP_Q_LIST_SLOW_FACET3,
	SNAP_Q_LIST_SLOW_FACET4,
	/* Laws with the counts of lists.c (snap_laws, snap_law_*): */
	SNAP_Q_LAWS_FAST,	/* -, lists_at, now: as SNAP_Q_LAWS */
	SNAP_Q_LAW_ARTICLES_FAST, /* id, lists_at, now: its cited articles, in
				 * order, each with cited: the citations of
				 * visible items */
	SNAP_Q_LAW_ARTICLES_SLOW, /* id (clock): the same */
	SNAP_Q_LAW_CITERS_FAST,	/* id, lists_at, now, most: visible items citing
				 * it by article, newest first, at most most an
				 * article */
	SNAP_Q_LAW_CITERS_SLOW,	/* id, -, -, most (clock): the same */
	SNAP_Q__MAX
};

/*
 * The lists of lists.c, each with up to SNAP_LIST_FILTERS filters: every
 * item by kind (newest first, as the feeds list them); cases by domain,
 * town, year and procedure; materials by kind and topic; guides.
 */
enum snap_list {
	SNAP_LIST_ALL,
	SNAP_LIST_CASE,
	SNAP_LIST_MATERIAL,
	SNAP_LIST_GUIDE,
	SNAP_LIST__MAX
};
#define SNAP_LIST_FILTERS	4
/*
 * Items made public since the snapshot was built (a publish-at passed) that
 * the lists take in at request time; with more, the lists are read from the
 * items themselves, more slowly, until the next build.
 */
#define SNAP_MAX_LATE		64
/*
 * Items a law's page and its API answer list under each article, newest
 * first (snap_law_citers); the search for the article finds them all.
 */
#define SNAP_LAW_CITERS		20

struct snap;

/* One match of a search: the index's row, the item's kind, its rank. */
struct snap_hit {
	int64_t		 docid;		/* newer items have larger ones */
	char		 kind[12];	/* case, guide, material */
	double		 score;		/* fts.c's BM25: lower is better */
};
struct credit_rules;

struct snap	*snap_open(const char *);
void		 snap_close(struct snap *);
void		 snap_clock(struct snap *, int64_t, int);
int		 snap_failed(const struct snap *);
const char	*snap_id(const struct snap *);
const char	*snap_site_url(const struct snap *);
int64_t		 snap_built_at(const struct snap *);
int64_t		 snap_int(struct snap *, enum snap_q);
int64_t		 snap_last_change(struct snap *);
int		 snap_rows(struct snap *, lua_State *, enum snap_q,
		    const char *, ...);
int		 snap_search_window(struct snap *, const char *, int,
		    const char *, int, struct snap_hit *);
int		 snap_synonym(struct snap *, const char *, const char **,
		    const char **);
int		 snap_vocab(struct snap *, int, int, char ***);
int		 snap_search_items(struct snap *, lua_State *,
		    const struct snap_hit *, int, const char *);
int		 snap_push_site(struct snap *, lua_State *);
int		 snap_parts(struct snap *, lua_State *, const char *, int,
		    int *);
int		 snap_credit_texts(struct snap *, lua_State *, const char *);
const struct credit_rules *snap_credit_rules(const struct snap *);
long		 snap_list_count(struct snap *, enum snap_list,
		    const char *const *, int64_t *);
int		 snap_list_page(struct snap *, lua_State *, enum snap_list,
		    const char *const *, enum snap_q, long, long);
int		 snap_list_facet(struct snap *, lua_State *, enum snap_list,
		    int, const char *const *);
int		 snap_list_fast(struct snap *);
const char	*snap_query_sql(enum snap_q);
int		 snap_laws(struct snap *, lua_State *);
int		 snap_law_articles(struct snap *, lua_State *, const char *);
int		 snap_law_citers(struct snap *, lua_State *, const char *, int);

#endif
