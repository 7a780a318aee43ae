/*
 * fts.c: the full-text tokenizer the search index and its queries share,
 * and the builder that turns what a reader typed into an FTS5 query.
 *
 * Chinese has no spaces between words, and readers search with one
 * character ("罚") as often as with two ("噪音") or a phrase. So every Han
 * character is a token, and the index also holds, at the same position, the
 * pair it starts ("噪音" at the position of "噪"). A query of two or more
 * characters looks for pairs, which are far rarer than single characters,
 * and ends with its last character alone so that a match covers, and
 * highlights, every character typed:
 *
 *   index:  噪 音 扰 民          (and, colocated: 噪音 音扰 扰民)
 *   query:  "噪音扰民" -> 噪音 音扰 扰民 民  (consecutive positions)
 *
 * Runs of Latin letters and runs of digits are words of their own ("GB50016"
 * is "gb" "50016", as "GB 50016" is). Full-width letters and digits fold to
 * ASCII, Latin, Greek and Cyrillic to lower case; punctuation, symbols,
 * emoji and bytes that are not UTF-8 separate tokens and are never tokens.
 * SQLite has no tokenizer that does this (unicode61 keeps a run of Chinese
 * as one token; trigram cannot find one or two characters), hence this one.
 */
#include <math.h>
#include <string.h>

#include <opencc.h>

#include "buf.h"
#include "fts.h"
#include "mem.h"

enum fts_class {
	FTS_SEP,	/* punctuation, space, symbols, emoji, invalid bytes */
	FTS_TAG,	/* FTS_TAG_MARK: a tag follows */
	FTS_WORD,	/* letters of alphabetic scripts */
	FTS_DIGIT,	/* 0-9 */
	FTS_HAN		/* Han, kana, hangul: one character, one token */
};

/*
 * Decodes the UTF-8 character at s (n bytes left) into *cp. Returns its
 * length, or -1 (with *cp 0) for a byte that does not start a valid,
 * shortest-form character; the caller skips that one byte.
 */
static int
fts_decode(const unsigned char *s, int n, unsigned int *cp)
{
	unsigned int	 c = s[0], min;
	int		 len, i;

	*cp = 0;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, c &= 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, c &= 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, c &= 0x07, min = 0x10000;
	else
		return -1;
	if (len > n)
		return -1;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	return len;
}

/* Writes cp as UTF-8 into dst (room for 4). Returns its length. */
static int
fts_encode(unsigned int cp, char *dst)
{
	if (cp < 0x80) {
		dst[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		dst[0] = (char)(0xC0 | (cp >> 6));
		dst[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		dst[0] = (char)(0xE0 | (cp >> 12));
		dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		dst[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	dst[0] = (char)(0xF0 | (cp >> 18));
	dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	dst[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Traditional to Simplified, character by character: OpenCC's t2s
 * conversion of each Han character of FTS_T2S_FIRST..FTS_T2S_LAST on its
 * own, asked once per process (one call over all of them, a newline after
 * each so that no phrase spans two). A character OpenCC turns into more or
 * fewer than one is kept. Readers type 罰款 and 執法; content quotes
 * Traditional sources: both must find the Simplified form.
 */
#define FTS_T2S_FIRST	0x3400
#define FTS_T2S_LAST	0x9FFF
#define FTS_T2S_CONFIG	"t2s.json"
static unsigned int	*fts_t2s;	/* [cp - FTS_T2S_FIRST]: the folded cp */
static int		 fts_t2s_tried;

/* Reads OpenCC's answer out, one line per character asked. */
static void
fts_t2s_read(const char *out)
{
	unsigned int	 cp, to;
	const char	*nl;
	int		 len;

	for (cp = FTS_T2S_FIRST; cp <= FTS_T2S_LAST && *out != '\0'; cp++) {
		if ((nl = strchr(out, '\n')) == NULL)
			break;
		len = fts_decode((const unsigned char *)out, (int)(nl - out), &to);
		fts_t2s[cp - FTS_T2S_FIRST] = len > 0 && len == nl - out ? to : cp;
		out = nl + 1;
	}
}

/*
 * Builds the folding table. Returns 0, or -1 when OpenCC or its data is
 * missing (then characters are not folded).
 */
int
fts_fold_init(void)
{
	opencc_t	 cc;
	char		*in, *out, *p;
	unsigned int	 cp, n = FTS_T2S_LAST - FTS_T2S_FIRST + 1;

	if (fts_t2s_tried)
		return fts_t2s != NULL ? 0 : -1;
	fts_t2s_tried = 1;
	if ((cc = opencc_open(FTS_T2S_CONFIG)) == (opencc_t)-1)
		return -1;
	if ((in = mem_alloc(n * 5 + 1)) == NULL ||
	    (fts_t2s = mem_calloc(n, sizeof(*fts_t2s))) == NULL)
		goto fail;
	for (p = in, cp = FTS_T2S_FIRST; cp <= FTS_T2S_LAST; cp++) {
		p += fts_encode(cp, p);
		*p++ = '\n';
	}
	if ((out = opencc_convert_utf8(cc, in, (size_t)(p - in))) == NULL)
		goto fail;
	fts_t2s_read(out);
	opencc_convert_utf8_free(out);
	mem_free(in);
	opencc_close(cc);
	return 0;
fail:
	mem_free(in);
	mem_free(fts_t2s);
	fts_t2s = NULL;
	opencc_close(cc);
	return -1;
}

/* Full-width forms to ASCII, capitals to small letters, Traditional to
 * Simplified. */
static unsigned int
fts_fold(unsigned int c)
{
	if (c >= FTS_T2S_FIRST && c <= FTS_T2S_LAST) {
		if (!fts_t2s_tried)
			fts_fold_init();
		return fts_t2s != NULL ? fts_t2s[c - FTS_T2S_FIRST] : c;
	}
	if (c >= 0xFF01 && c <= 0xFF5E)		/* Ａ０！ -> A0! */
		c -= 0xFEE0;
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) ||	/* Latin-1 */
	    (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) ||	/* Greek */
	    (c >= 0x410 && c <= 0x42F))			/* Cyrillic */
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

static enum fts_class
fts_class(unsigned int c)
{
	if (c == FTS_TAG_MARK)
		return FTS_TAG;
	if (c >= '0' && c <= '9')
		return FTS_DIGIT;
	if ((c >= 'a' && c <= 'z') ||
	    (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
	    (c >= 0x386 && c <= 0x3FF) || (c >= 0x400 && c <= 0x52F))
		return FTS_WORD;
	if ((c >= 0x2E80 && c <= 0x2FDF) ||	/* radicals */
	    (c >= 0x3005 && c <= 0x3007) ||	/* 々 〆 〇 */
	    (c >= 0x3040 && c <= 0x318F) ||	/* kana, bopomofo, jamo */
	    (c >= 0x3400 && c <= 0x4DBF) ||	/* extension A */
	    (c >= 0x4E00 && c <= 0x9FFF) ||	/* unified ideographs */
	    (c >= 0xAC00 && c <= 0xD7AF) ||	/* hangul */
	    (c >= 0xF900 && c <= 0xFAFF) ||	/* compatibility ideographs */
	    (c >= 0x20000 && c <= 0x323AF))	/* extensions B to H */
		return FTS_HAN;
	return FTS_SEP;
}

/* The character at text[i], folded and classed. */
struct fts_char {
	unsigned int	 cp;
	int		 len;		/* bytes in the input */
	enum fts_class	 cls;
};

static void
fts_next(const char *text, int n, int i, struct fts_char *ch)
{
	if (i >= n) {
		ch->len = 0;
		ch->cls = FTS_SEP;
		return;
	}
	ch->len = fts_decode((const unsigned char *)text + i, n - i, &ch->cp);
	if (ch->len < 0) {
		ch->len = 1;
		ch->cls = FTS_SEP;
		return;
	}
	ch->cp = fts_fold(ch->cp);
	ch->cls = fts_class(ch->cp);
}

/* A Latin or digit run being gathered. */
struct fts_run {
	char		 tok[FTS_MAX_TOKEN];
	int		 len, start, end;
	enum fts_class	 cls;		/* FTS_SEP: no run */
};

static int
fts_flush(struct fts_run *run, fts_token_fn fn, void *arg)
{
	int	 rc = 0;

	if (run->cls != FTS_SEP && run->len > 0)
		rc = fn(arg, 0, run->tok, run->len, run->start, run->end);
	run->cls = FTS_SEP;
	run->len = 0;
	return rc;
}

/* Adds ch (at offset i) to the run, cutting at FTS_MAX_TOKEN bytes. */
static void
fts_extend(struct fts_run *run, const struct fts_char *ch, int i)
{
	char	 u[4];
	int	 n = fts_encode(ch->cp, u);

	if (run->cls == FTS_SEP) {
		run->cls = ch->cls;
		run->start = i;
	}
	if (run->len + n <= FTS_MAX_TOKEN) {
		memcpy(run->tok + run->len, u, n);
		run->len += n;
	}
	run->end = i + ch->len;
}

/*
 * The tag at text[i], FTS_TAG_MARK and the letters, digits and '-' after it:
 * one token. Returns fn's value; sets *len to the bytes it took.
 */
static int
fts_tag(const char *text, int n, int i, int *len, fts_token_fn fn, void *arg)
{
	int	 j = i + 1;

	while (j < n && j - i < FTS_MAX_TOKEN && ((text[j] >= 'a' && text[j] <= 'z') ||
	    (text[j] >= '0' && text[j] <= '9') || text[j] == '-'))
		j++;
	*len = j - i;
	return j - i > 1 ? fn(arg, 0, text + i, j - i, i, j) : 0;
}

/*
 * A Han character c at offset i, with nx the character after it: in a
 * document, c and, colocated, the pair c+nx; in a query, the pair, or c alone
 * when nothing Han follows.
 */
static int
fts_han(const struct fts_char *c, const struct fts_char *nx, int i,
    enum fts_mode mode, fts_token_fn fn, void *arg)
{
	char	 t[8];
	int	 n = fts_encode(c->cp, t), rc;

	if (mode == FTS_DOCUMENT || nx->cls != FTS_HAN) {
		if ((rc = fn(arg, 0, t, n, i, i + c->len)) != 0 ||
		    nx->cls != FTS_HAN)
			return rc;
	}
	n += fts_encode(nx->cp, t + n);
	return fn(arg, mode == FTS_DOCUMENT, t, n, i, i + c->len + nx->len);
}

/*
 * 第 before a digit is no token: "〔2024〕第7号" and "(2024)7号" are one
 * decision number, and readers type it either way.
 */
#define FTS_ORDINAL	0x7B2C

/*
 * Splits text (n bytes, any bytes at all) into tokens for mode and hands each
 * to fn. Returns 0, or the first non-zero value fn returned.
 */
int
fts_tokenize(const char *text, int n, enum fts_mode mode, fts_token_fn fn,
    void *arg)
{
	struct fts_run	 run = { .cls = FTS_SEP };
	struct fts_char	 ch, nx;
	int		 i = 0, rc = 0;

	fts_next(text, n, 0, &ch);
	while (rc == 0 && i < n) {
		fts_next(text, n, i + ch.len, &nx);
		if (ch.cls == FTS_WORD || ch.cls == FTS_DIGIT) {
			if (run.cls != ch.cls)
				rc = fts_flush(&run, fn, arg);
			fts_extend(&run, &ch, i);
		} else if (ch.cls == FTS_TAG) {
			if ((rc = fts_flush(&run, fn, arg)) == 0)
				rc = fts_tag(text, n, i, &ch.len, fn, arg);
			fts_next(text, n, i + ch.len, &nx);
		} else if ((rc = fts_flush(&run, fn, arg)) == 0 &&
		    ch.cls == FTS_HAN && !(ch.cp == FTS_ORDINAL &&
		    nx.cls == FTS_DIGIT))
			rc = fts_han(&ch, &nx, i, mode, fn, arg);
		i += ch.len;
		ch = nx;
	}
	return rc == 0 ? fts_flush(&run, fn, arg) : rc;
}

/* FTS5's side: one stateless tokenizer object, xToken behind fts_token_fn. */
struct fts_call {
	void	*ctx;
	int	(*xtoken)(void *, int, const char *, int, int, int);
};

static int
fts_to_fts5(void *arg, int colocated, const char *tok, int n, int start, int end)
{
	struct fts_call	*call = arg;

	return call->xtoken(call->ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, tok,
	    n, start, end);
}

static int
fts_xtokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
    int (*xtoken)(void *, int, const char *, int, int, int))
{
	struct fts_call	 call = { ctx, xtoken };

	(void)t;
	return fts_tokenize(text, n, (flags & FTS5_TOKENIZE_QUERY) ? FTS_QUERY :
	    FTS_DOCUMENT, fts_to_fts5, &call);
}

static int	fts_instance;

static int
fts_xcreate(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ctx;
	(void)argv;
	if (argc != 0)
		return SQLITE_ERROR;
	*out = (Fts5Tokenizer *)&fts_instance;
	return SQLITE_OK;
}

static void
fts_xdelete(Fts5Tokenizer *t)
{
	(void)t;
}

/* ---- ranking --------------------------------------------------------- */

/* Weights of the index's columns (content.c): title, keywords, body, tags. */
static const double	 fts_weight[] = { 10.0, 5.0, 1.0, 0.0 };
#define FTS_NCOLUMNS	(int)(sizeof(fts_weight) / sizeof(fts_weight[0]))
/* BM25's constants, as FTS5's own bm25() has them. */
#define FTS_K1		1.2
#define FTS_B		0.75

/* What one query's ranking computes once: for all its rows. */
struct fts_rankdata {
	double	 avgdl;			/* tokens per row, on average */
	int	 nphrase;
	double	 idf[FTS_MAX_PHRASES];
	int	 df[FTS_MAX_PHRASES];	/* rows that hold it, to dfcap */
	int	 dfcap;
	sqlite3_int64 rows;
	/* A relaxed query's map (ask.c): each phrase's group and weight. */
	int	 mapped;		/* phrases the map covers; 0: none */
	int	 group[FTS_MAX_PHRASES], weight[FTS_MAX_PHRASES];
	int	 total;			/* the weight of every group */
	int	 min_share;		/* percent of total a row must match */
};

/*
 * Reads a relaxed query's map: two bytes a phrase, '0' + its group and
 * '0' + its weight. A group's weight counts once, and only when one of its
 * phrases is in the index at all: a character pair across two words of a
 * question ("下有" of "楼下有人") can match nothing, and would only raise
 * the share the rest must reach. Nor does one in more than a
 * 1/FTS_COMMON_PART of the rows ("没有", "内容"): matching it says nothing
 * of what the reader asked. A query with no group left (nonsense, or only
 * common words) has no weight, and no row passes.
 */
#define FTS_COMMON_PART	3
static void
fts_rankmap(struct fts_rankdata *d, const unsigned char *map, int min_share)
{
	int	 p, seen[FTS_MAX_PHRASES] = { 0 };

	d->min_share = min_share;
	for (p = 0; p < d->nphrase && map != NULL && map[2 * p] != '\0' &&
	    map[2 * p + 1] != '\0'; p++) {
		d->group[p] = (map[2 * p] - '0') & (FTS_MAX_PHRASES - 1);
		d->weight[p] = map[2 * p + 1] - '0';
		d->mapped = p + 1;
		if (d->df[p] == 0 || d->df[p] * FTS_COMMON_PART > d->rows)
			d->weight[p] = 0;	/* in no row, or in most */
		else if (!seen[d->group[p]]++)
			d->total += d->weight[p];
	}
}

/* Does the row in hand match min_share percent of the map's weight? */
static int
fts_share_ok(const Fts5ExtensionApi *api, Fts5Context *fts,
    const struct fts_rankdata *d)
{
	int	 hit[FTS_MAX_PHRASES] = { 0 }, p, col, off, i, n, got = 0;

	if (d->mapped == 0)
		return 1;
	if (api->xInstCount(fts, &n) != SQLITE_OK)
		return 0;
	for (i = 0; i < n; i++)
		if (api->xInst(fts, i, &p, &col, &off) == SQLITE_OK &&
		    p < d->mapped && d->weight[p] > 0 && !hit[d->group[p]]) {
			hit[d->group[p]] = 1;
			got += d->weight[p];
		}
	return d->total > 0 && got * 100 >= d->min_share * d->total;
}

/* A phrase's rows being counted, up to cap. */
struct fts_df {
	int	 n, cap;
};

/* Counts rows for xQueryPhrase, stopping at the cap. */
static int
fts_df_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
	struct fts_df	*df = arg;

	(void)api, (void)fts;
	return ++df->n >= df->cap ? SQLITE_DONE : SQLITE_OK;
}

/*
 * The ranking data of the query in hand: the average row length and, when
 * terms (the reader's phrases, first in the query) are more than one, each
 * one's inverse document frequency. Returns NULL when out of memory.
 */
static struct fts_rankdata *
fts_rankdata(const Fts5ExtensionApi *api, Fts5Context *fts, int terms)
{
	struct fts_rankdata	*d;
	struct fts_df		 df;
	sqlite3_int64		 rows = 0, tokens = 0;
	int			 p;

	if ((d = sqlite3_malloc(sizeof(*d))) == NULL)
		return NULL;
	memset(d, 0, sizeof(*d));
	api->xRowCount(fts, &rows);
	api->xColumnTotalSize(fts, -1, &tokens);
	d->avgdl = rows > 0 && tokens > 0 ? (double)tokens / rows : 1.0;
	d->rows = rows;
	d->nphrase = api->xPhraseCount(fts);
	if (d->nphrase > FTS_MAX_PHRASES)
		d->nphrase = FTS_MAX_PHRASES;
	for (p = 0; p < d->nphrase; p++) {
		d->idf[p] = 1.0;
		if (terms < 2 || p >= terms)
			continue;
		df.n = 0;
		df.cap = d->dfcap = terms > 2 ? FTS_MAX_DF_SUM / terms + 1 :
		    FTS_MAX_DF;
		api->xQueryPhrase(fts, p, &df, fts_df_row);
		d->df[p] = df.n;
		d->idf[p] = log((rows - df.n + 0.5) / (df.n + 0.5));
		if (d->idf[p] <= 0)
			d->idf[p] = 1e-6;
	}
	return d;
}

/*
 * fazhi_rank(search, terms[, map, min_share]): BM25, as FTS5's bm25()
 * computes it, with the column weights above, and lower is better; with a
 * map (a relaxed query, ask.c), NULL for a row that matches less than
 * min_share percent of the query's weight. Two things differ, both for
 * speed: a query of one phrase skips IDF (a constant factor: the order is
 * the same), and a phrase's document count for IDF stops at FTS_MAX_DF (a
 * term in more rows than that counts as that common), where bm25() walks
 * every row that holds it, ~4 ms for a character in 95 000 of 100 000 rows.
 * A query of more than two phrases (a question, expanded) counts at most
 * FTS_MAX_DF_SUM rows over all of them (each FTS_MAX_DF_SUM / n + 1): a dozen
 * phrases' counts would otherwise cost ~2 ms at 100 000 items, and past a
 * few hundred rows a phrase is common enough for its rank.
 */
static void
fts_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
    int argc, sqlite3_value **argv)
{
	struct fts_rankdata	*d = api->xGetAuxdata(fts, 0);
	double			 freq[FTS_MAX_PHRASES] = { 0 }, score = 0;
	int			 n, i, p, col, off, len = 0, terms;

	if (d == NULL) {
		/* A map needs each phrase's document count: two terms or more. */
		terms = argc > 0 ? sqlite3_value_int(argv[0]) : 1;
		if ((d = fts_rankdata(api, fts, argc > 2 && terms < 2 ? 2 :
		    terms)) == NULL ||
		    api->xSetAuxdata(fts, d, sqlite3_free) != SQLITE_OK) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		if (argc > 2)
			fts_rankmap(d, sqlite3_value_text(argv[1]),
			    sqlite3_value_int(argv[2]));
	}
	if (!fts_share_ok(api, fts, d)) {
		sqlite3_result_null(ctx);
		return;
	}
	if (api->xInstCount(fts, &n) != SQLITE_OK ||
	    api->xColumnSize(fts, -1, &len) != SQLITE_OK) {
		sqlite3_result_error(ctx, "fazhi_rank: cannot read the row", -1);
		return;
	}
	for (i = 0; i < n; i++)
		if (api->xInst(fts, i, &p, &col, &off) == SQLITE_OK &&
		    p < d->nphrase && col >= 0 && col < FTS_NCOLUMNS)
			freq[p] += fts_weight[col];
	for (p = 0; p < d->nphrase; p++)
		if (freq[p] > 0)
			score += d->idf[p] * freq[p] * (FTS_K1 + 1) / (freq[p] +
			    FTS_K1 * (1 - FTS_B + FTS_B * len / d->avgdl));
	sqlite3_result_double(ctx, -score);
}

/*
 * Registers the tokenizer as FTS_TOKENIZER, and the ranking function as
 * FTS_RANK, on db: the builder before it fills the index, each worker before
 * it queries it. Returns 0, or -1.
 */
int
fts_register(sqlite3 *db)
{
	static fts5_tokenizer	 tok = { fts_xcreate, fts_xdelete,
				    fts_xtokenize };
	fts5_api		*api = NULL;
	sqlite3_stmt		*st;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (api == NULL || api->iVersion < 2 || fts_fold_init() == -1)
		return -1;
	return api->xCreateTokenizer(api, FTS_TOKENIZER, NULL, &tok, NULL) ==
	    SQLITE_OK && api->xCreateFunction(api, FTS_RANK, NULL, fts_rank,
	    NULL) == SQLITE_OK ? 0 : -1;
}

static int
fts_count(void *arg, int colocated, const char *tok, int n, int start, int end)
{
	(void)tok, (void)n, (void)start, (void)end;
	if (!colocated)
		(*(int *)arg)++;
	return 0;
}

/* Appends s (n bytes) as an FTS5 string: in double quotes, quotes doubled. */
int
fts_quote(struct buf *b, const char *s, size_t n)
{
	size_t	 i;

	if (buf_add(b, "\"", 1) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if ((s[i] == '"' && buf_add(b, "\"", 1) == -1) ||
		    buf_add(b, s + i, 1) == -1)
			return -1;
	return buf_add(b, "\"", 1);
}

/*
 * The length of the space (ASCII blank or U+3000) at s, or 0. FTS_TAG_MARK
 * counts as one, so that no term of a reader's can name a tag.
 */
static size_t
fts_space(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
	    *s == FTS_TAG_MARK)
		return 1;
	return strncmp(s, "\xe3\x80\x80", 3) == 0 ? 3 : 0;
}

/*
 * Appends to b an FTS5 query for what a reader typed: each space-separated
 * term that holds at least one token becomes a quoted phrase, all of them
 * required. Nothing the reader typed is read as query syntax: AND, NEAR, *,
 * quotes, parentheses and column names are text like any other. Returns the
 * number of phrases (0: nothing searchable was typed), or -1 when memory
 * runs out.
 */
int
fts_query(struct buf *b, const char *text)
{
	size_t	 n;
	int	 terms = 0, tokens;

	for (;;) {
		while ((n = fts_space(text)) > 0)
			text += n;
		if (*text == '\0')
			return terms;
		for (n = 0; text[n] != '\0' && fts_space(text + n) == 0; n++)
			;
		tokens = 0;
		fts_tokenize(text, (int)n, FTS_QUERY, fts_count, &tokens);
		if (tokens > 0) {
			if ((terms > 0 && buf_puts(b, " AND ") == -1) ||
			    fts_quote(b, text, n) == -1)
				return -1;
			terms++;
		}
		text += n;
	}
}

/*
 * Appends " AND "<FTS_TAG_MARK>value"": the item must carry the tag value
 * (content.c writes an item's kind, domain code and year as tags: one token
 * each, that no text a reader can send can hold). Returns 0, or -1.
 */
int
fts_filter(struct buf *b, const char *value)
{
	struct buf	 tag = { 0 };
	int		 rc;

	rc = *value == '\0' || buf_printf(&tag, "%c%s", FTS_TAG_MARK, value) == -1 ||
	    buf_puts(b, " AND ") == -1 || fts_quote(b, tag.data, tag.len) == -1 ?
	    -1 : 0;
	buf_free(&tag);
	return rc;
}

/* Runs tokens together; two digit runs in a row keep a '-' between them
 * ("2024" "7" is 2024-7, not 20247: the year and the number). */
static int
fts_append(void *arg, int colocated, const char *tok, int n, int start, int end)
{
	struct buf	*b = arg;

	(void)start, (void)end;
	if (colocated)
		return 0;
	if (b->len > 0 && b->data[b->len - 1] >= '0' && b->data[b->len - 1] <= '9' &&
	    tok[0] >= '0' && tok[0] <= '9' && buf_add(b, "-", 1) == -1)
		return -1;
	return buf_add(b, tok, n);
}

/*
 * Sets b to text's tokens run together: the form in which two spellings of
 * one decision number compare equal ("舟普综执罚决字〔2023〕第12号",
 * "舟普综执罚决字[2023]第１２号" and "舟普综执罚决字(2023)12号" all give
 * "舟普综执罚决字2023-12号").
 * Returns 0, or -1 when memory runs out.
 */
int
fts_normalize(struct buf *b, const char *text)
{
	buf_reset(b);
	if (fts_tokenize(text, (int)strlen(text), FTS_DOCUMENT, fts_append, b) != 0)
		return -1;
	return buf_add(b, "", 0);
}
