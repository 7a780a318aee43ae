/*
 * ask.h: what a citizen typed, as the search understands it: question frames
 * and function words dropped, everyday words and place names joined by the
 * official terms of the synonym list (content/search/synonyms.xml), and the
 * strict and the relaxed FTS5 query built from that.
 */
#ifndef FAZHI_ASK_H
#define FAZHI_ASK_H

#include <stddef.h>

struct buf;
struct snap;

/* Before a town code in the index's tags: "t-taohua" (content.c writes it). */
#define ASK_TOWN_TAG		"t-"
/* Longest word of the synonym list, in characters (fazhi check refuses more). */
#define ASK_MAX_WORD_CHARS	12
/* Official terms one word of the synonym list brings in; more are ignored. */
#define ASK_MAX_MEANS		6
/* Units (words and character pairs) of one query; more are dropped. */
#define ASK_MAX_UNITS		24
/* Phrases of one query's FTS5 expression, under FTS_MAX_PHRASES. */
#define ASK_MAX_PHRASES		48
/* Bytes of one phrase: a word of the list, or a term of the reader's. */
#define ASK_MAX_PHRASE		128
/*
 * The share of the query's weight, in percent, that an item must match for
 * the relaxed search: about half, so that a question's three content words
 * find what two of them find, and nonsense with one common character
 * finds nothing.
 */
#define ASK_MIN_SHARE		50
/* Weight of a word (of the list, or Latin or digits) and of a character pair. */
#define ASK_WORD_WEIGHT		2
#define ASK_PAIR_WEIGHT		1
/*
 * Matches the relaxed search looks at, newest first: it is an OR of every
 * pair, which common characters make large; this bounds its time.
 */
#define ASK_RELAX_SCAN		1000
/* Shortest word, in characters, a "did you mean" corrects: shorter ones
 * are a character away from too many others. */
#define ASK_MIN_TYPO_CHARS	3

/* One unit: a group of phrases of which any one may match. */
struct ask_unit {
	char		 phrase[ASK_MAX_MEANS + 2][ASK_MAX_PHRASE];
	int		 nphrase;
	int		 weight;
	int		 listed;	/* from the synonym list */
	int		 town;		/* phrase[nphrase - 1] is a town tag */
};

/* A query, understood. */
struct ask {
	struct ask_unit	 unit[ASK_MAX_UNITS];
	int		 nunit;
	int		 number;	/* looks like a decision number or an id */
	int		 dropped;	/* question words were dropped */
};

/*
 * How ask_parse reads a reader's text: words looked up in the synonym list
 * of the snapshot in hand (lookup returns the tab-separated official terms
 * of word, "" for an official term itself, NULL when not listed, and sets
 * *town to a town code or NULL).
 */
typedef const char *(*ask_lookup_fn)(void *, const char *word,
    const char **town);

int	ask_parse(struct ask *, const char *, ask_lookup_fn, void *);
int	ask_strict(const struct ask *, struct buf *);
int	ask_relaxed(const struct ask *, struct buf *, struct buf *);
int	ask_is_number(const char *);
int	ask_suggest(const char *, const char *const *, int, struct buf *);

#endif
