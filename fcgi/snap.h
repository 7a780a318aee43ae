/* snap.h: read-only access to a published snapshot (one SQLite file). */
#ifndef FAZHI_SNAP_H
#define FAZHI_SNAP_H

#include <stdint.h>

#include <lua.h>

/* Bumped whenever the builder changes the tables; serve refuses other versions. */
#define SNAP_SCHEMA_VERSION	"10"

/* The kinds of rows in the parts table: an item's lists, in page order. */
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
	SNAP_Q_CASES_COUNT,	/* domain, town, year, procedure (each or NULL) */
	SNAP_Q_CASES_PAGE,	/* the same filters, limit, offset */
	SNAP_Q_FACET_DOMAIN,	/* the filters; counts per value */
	SNAP_Q_FACET_TOWN,
	SNAP_Q_FACET_YEAR,
	SNAP_Q_FACET_PROCEDURE,
	SNAP_Q_CASE,		/* id */
	SNAP_Q_MATERIALS_COUNT,	/* kind, topic (each or NULL) */
	SNAP_Q_MATERIALS_PAGE,	/* the same filters, limit, offset */
	SNAP_Q_FACET_KIND,	/* the filters; counts per value */
	SNAP_Q_FACET_TOPIC,
	SNAP_Q_CAMPAIGNS_NEXT,	/* today, limit: upcoming and current */
	SNAP_Q_CAMPAIGNS_PAST,	/* today, limit */
	SNAP_Q_MATERIAL,	/* id */
	SNAP_Q_GUIDES,
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
	SNAP_Q_IMAGES,		/* id: src, srcset, width, height, alt, caption */
	SNAP_Q_ATTACHMENTS,	/* id: href, title, type, bytes, size */
	SNAP_Q_ITEM_COUNT,
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
	SNAP_Q_FEED_COUNT,	/* kind, domain (each or NULL): n, stamp */
	SNAP_Q_FEED,		/* kind, domain, limit, offset */
	SNAP_Q_SITEMAP,		/* limit, built at: visible items' and laws' id,
				 * kind, stamp */
	SNAP_Q_EXPORT_IDS,	/* kind */
	SNAP_Q_GUIDES_COUNT,
	SNAP_Q_GUIDES_PAGE,	/* limit, offset */
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
	SNAP_Q_LAW_ARTICLES,	/* id: its cited articles, in order */
	SNAP_Q_LAW_CITERS,	/* id: visible items citing it, by article */
	SNAP_Q_ITEM_CITES,	/* item id: its cited articles with their texts */
	SNAP_Q_LAW_BY_NAME,	/* text: the law whose short name or title it holds */
	SNAP_Q_LAW_ARTICLE,	/* law id, article n: one article */
	SNAP_Q_LAW_IDS,		/* every law's id, for the export */
	SNAP_Q_LAW_CHOICES,	/* limit (unused): the console's choice of laws */
	/* The staff console: */
	SNAP_Q_STAFF_ITEMS,	/* limit: every item, drafts included, newest first */
	SNAP_Q__MAX
};

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
int		 snap_parts(struct snap *, lua_State *, const char *);
int		 snap_credit_texts(struct snap *, lua_State *, const char *);
const struct credit_rules *snap_credit_rules(const struct snap *);

#endif
