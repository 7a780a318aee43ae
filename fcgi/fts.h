/* fts.h: the full-text tokenizer for Chinese and the safe query builder. */
#ifndef FAZHI_FTS_H
#define FAZHI_FTS_H

#include <stddef.h>

#include <sqlite3.h>

/*
 * Starts a tag in the index's tags column ("\x1ecase \x1eshirong \x1e2024"):
 * the tag is one token, mark included. XML content cannot hold this byte
 * and http.c refuses it in a request, so no text matches a tag but a filter.
 */
#define FTS_TAG_MARK	'\x1e'
/* Longest token kept, in bytes: a longer Latin or digit run is cut here. */
#define FTS_MAX_TOKEN	64
/* The tokenizer's name in CREATE VIRTUAL TABLE ... tokenize='fazhi'. */
#define FTS_TOKENIZER	"fazhi"
/* The ranking function: fazhi_rank(search, terms), BM25 (fts.c). */
#define FTS_RANK	"fazhi_rank"
/* Phrases of one query that the ranking weighs; more count as none. */
#define FTS_MAX_PHRASES	64
/* Rows counted for a phrase's IDF at most: past it, a term is "common". */
#define FTS_MAX_DF	10000
/* Rows counted for IDF over all phrases of a query of more than two. */
#define FTS_MAX_DF_SUM	2500

/* How fts_tokenize splits: for the index, or for a query. */
enum fts_mode {
	FTS_DOCUMENT,	/* each Han character, plus the pair it starts */
	FTS_QUERY	/* pairs of Han characters, the last one alone */
};

/*
 * Receives one token: its normalised bytes, and where it stands in the
 * input (start inclusive, end exclusive). colocated: at the same position as
 * the token before it. Returns 0 to go on, anything else to stop.
 */
typedef int (*fts_token_fn)(void *, int colocated, const char *, int,
    int start, int end);

int	fts_tokenize(const char *, int, enum fts_mode, fts_token_fn, void *);
int	fts_register(sqlite3 *);

struct buf;
int	fts_query(struct buf *, const char *);
int	fts_filter(struct buf *, const char *);
int	fts_normalize(struct buf *, const char *);
int	fts_fold_init(void);
int	fts_quote(struct buf *, const char *, size_t);

#endif
