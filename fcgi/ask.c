/*
 * ask.c: a citizen's question turned into a search. People type
 * "工地半夜还在干活能投诉吗", not "施工噪声": the question frame and the
 * function words need not match; an everyday word of the synonym list may
 * match as itself or as any official term it stands for; a place name
 * (an island, a scenic area) as its town. Each word left is a unit; the
 * strict query wants every unit, the relaxed one (tried when the strict
 * one finds nothing) any of the units and the character pairs of the
 * words that are not listed, an item then needing ASK_MIN_SHARE of the
 * query's weight (fts.c's fazhi_rank checks it).
 */
#include <stdio.h>
#include <string.h>

#include "ask.h"
#include "buf.h"
#include "fts.h"

/*
 * Question frames and function words, Simplified (the reader's text is
 * folded first), longer before shorter where one starts another. Single
 * characters are only those that are hardly ever part of an official term
 * a reader would type; a word of the synonym list is matched first, so a
 * listed word that holds one of them (的士) keeps it.
 */
static const char *const ask_stopwords[] = {
	"可不可以", "多长时间", "怎么处理", "怎么回事",
	"怎么办", "怎么样", "为什么", "能不能", "是不是", "有没有", "会不会",
	"要不要", "多少钱", "该怎么", "哪个部门", "找哪个", "去哪里",
	"怎么", "如何", "什么", "哪里", "哪儿", "哪个", "哪些", "多久", "多少",
	"可以", "能否", "是否", "请问", "应该", "需要", "我们", "我家", "我的",
	"自己", "一下", "咋办", "还能", "还在", "已经", "为啥", "怎样", "别人",
	"他们", "人家",
	"吗", "呢", "了", "的", "被", "我", "吧", "啊", "呀", "么", "还", "在",
	"能", "会", "要", "该", "谁", "和", "与", "或", "把", "给", "就", "都",
	"也", "又", "很", "咋", "啥", "嘛", "哦",
	NULL
};

/* The reader's text as tokens: Han characters one by one, Latin and digit
 * runs whole, folded as the index folds them. */
#define ASK_MAX_TOKENS	64
struct ask_tokens {
	char		 tok[ASK_MAX_TOKENS][FTS_MAX_TOKEN + 1];
	int		 han[ASK_MAX_TOKENS];
	int		 n;
};

static int
ask_token(void *arg, int colocated, const char *tok, int n, int start, int end)
{
	struct ask_tokens	*t = arg;

	(void)start, (void)end;
	if (colocated || t->n == ASK_MAX_TOKENS)
		return 0;
	memcpy(t->tok[t->n], tok, n);
	t->tok[t->n][n] = '\0';
	t->han[t->n] = (unsigned char)tok[0] >= 0x80;
	t->n++;
	return 0;
}

/* Writes tokens [i, j) into dst as one word: Han characters run together,
 * a space around anything else. Returns 0, or -1 when it does not fit. */
static int
ask_join(const struct ask_tokens *t, int i, int j, char *dst, size_t size)
{
	size_t	 len = 0, n;
	int	 k;

	for (k = i; k < j; k++) {
		n = strlen(t->tok[k]);
		if (k > i && !(t->han[k] && t->han[k - 1]))
			dst[len++] = ' ';
		if (len + n + 2 > size)
			return -1;
		memcpy(dst + len, t->tok[k], n);
		len += n;
	}
	dst[len] = '\0';
	return 0;
}

/* The length, in tokens, of the stop word at token i, or 0. */
static int
ask_stopword(const struct ask_tokens *t, int i)
{
	char	 w[ASK_MAX_PHRASE];
	int	 k, len;

	for (k = 0; ask_stopwords[k] != NULL; k++) {
		len = (int)strlen(ask_stopwords[k]) / 3;	/* all 3-byte Han */
		if (i + len <= t->n && ask_join(t, i, i + len, w, sizeof(w)) == 0 &&
		    strcmp(w, ask_stopwords[k]) == 0)
			return len;
	}
	return 0;
}

/* Adds a unit of one phrase, text. Returns the unit, or NULL when full. */
static struct ask_unit *
ask_unit(struct ask *a, const char *text, int weight)
{
	struct ask_unit	*u;

	if (a->nunit == ASK_MAX_UNITS)
		return NULL;
	u = &a->unit[a->nunit++];
	memset(u, 0, sizeof(*u));
	snprintf(u->phrase[0], sizeof(u->phrase[0]), "%s", text);
	u->nphrase = 1;
	u->weight = weight;
	return u;
}

/* Adds the official terms (tab-separated) and the town tag of a listed
 * word to unit u. */
static void
ask_means(struct ask_unit *u, const char *means, const char *town)
{
	const char	*p = means, *tab;
	size_t		 n;

	while (*p != '\0' && u->nphrase < ASK_MAX_MEANS + 1) {
		tab = strchr(p, '\t');
		n = tab != NULL ? (size_t)(tab - p) : strlen(p);
		if (n > 0 && n < ASK_MAX_PHRASE)
			snprintf(u->phrase[u->nphrase++], ASK_MAX_PHRASE, "%.*s",
			    (int)n, p);
		p += n + (tab != NULL);
	}
	if (town != NULL && *town != '\0') {
		snprintf(u->phrase[u->nphrase++], ASK_MAX_PHRASE, "%c%s%s",
		    FTS_TAG_MARK, ASK_TOWN_TAG, town);
		u->town = 1;
	}
}

/* The longest word of the synonym list at token i, as a listed word. */
struct ask_found {
	char		 word[ASK_MAX_PHRASE];
	const char	*means, *town;
	int		 len;		/* in tokens; 0: none */
};

static void
ask_listed(const struct ask_tokens *t, int i, ask_lookup_fn lookup, void *arg,
    struct ask_found *f)
{
	for (f->len = t->han[i] ? ASK_MAX_WORD_CHARS : 0; f->len >= 2; f->len--) {
		if (i + f->len > t->n ||
		    ask_join(t, i, i + f->len, f->word, sizeof(f->word)) == -1)
			continue;
		f->town = NULL;
		if ((f->means = lookup(arg, f->word, &f->town)) != NULL)
			return;
	}
	f->len = 0;
}

/* Ends the plain run [*from, i) of t as a unit. */
static void
ask_plain(struct ask *a, const struct ask_tokens *t, int *from, int i)
{
	char	 w[ASK_MAX_PHRASE];

	if (*from >= 0 && *from < i && ask_join(t, *from, i, w, sizeof(w)) == 0)
		ask_unit(a, w, ASK_WORD_WEIGHT);
	*from = -1;
}

/*
 * Reads one space-separated term of the reader's into units: at each
 * token, the longest listed word, else a stop word (when drop), else the
 * token joins the plain run that either ends.
 */
static void
ask_term(struct ask *a, const char *term, size_t n, int drop,
    ask_lookup_fn lookup, void *arg)
{
	struct ask_tokens	 t;
	struct ask_found	 f;
	struct ask_unit		*u;
	int			 i = 0, len, from = -1;

	t.n = 0;
	fts_tokenize(term, (int)n, FTS_DOCUMENT, ask_token, &t);
	while (i < t.n) {
		ask_listed(&t, i, lookup, arg, &f);
		if (f.len > 0) {
			ask_plain(a, &t, &from, i);
			if ((u = ask_unit(a, f.word, ASK_WORD_WEIGHT)) != NULL) {
				u->listed = 1;
				ask_means(u, f.means, f.town);
			}
			i += f.len;
		} else if (drop && (len = ask_stopword(&t, i)) > 0) {
			ask_plain(a, &t, &from, i);
			a->dropped = 1;
			i += len;
		} else {
			if (from == -1)
				from = i;
			i++;
		}
	}
	ask_plain(a, &t, &from, i);
}

/* A term of a decision number or an id: one unit, as typed, when it holds
 * anything searchable. */
static void
ask_plain_term(struct ask *a, const char *term, size_t n)
{
	struct ask_tokens	 t;
	char			 w[ASK_MAX_PHRASE];

	t.n = 0;
	fts_tokenize(term, (int)n, FTS_DOCUMENT, ask_token, &t);
	if (t.n > 0 && n < sizeof(w)) {
		memcpy(w, term, n);
		w[n] = '\0';
		ask_unit(a, w, ASK_WORD_WEIGHT);
	}
}

/* Is s a space (ASCII blank, U+3000) or a question or sentence mark? */
static size_t
ask_space(const char *s)
{
	static const char *const marks[] = { "\xe3\x80\x80", "？", "，", "。",
	    "！", "、", "；", NULL };
	int	 k;

	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '?' ||
	    *s == ',' || *s == '!' || *s == ';' || *s == FTS_TAG_MARK)
		return 1;
	for (k = 0; marks[k] != NULL; k++)
		if (strncmp(s, marks[k], strlen(marks[k])) == 0)
			return strlen(marks[k]);
	return 0;
}

/*
 * Does text look like an item's id or a decision number: digits with 号,
 * 字 or a bracket, or only letters, digits and '-' with a '-'? Those are
 * looked for as typed: never relaxed, never expanded.
 */
int
ask_is_number(const char *text)
{
	static const char *const marks[] = { "号", "字", "〔", "【", "（", "[",
	    "(", NULL };
	int	 digit = 0, dash = 0, plain = 1, k;
	const char *p;

	for (p = text; *p != '\0'; p++) {
		digit |= (*p >= '0' && *p <= '9') || (strncmp(p, "\xef\xbc", 2) == 0 &&
		    (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99);
		dash |= *p == '-';
		plain &= (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || *p == '-';
	}
	if (plain)
		return dash;
	for (k = 0; digit && marks[k] != NULL; k++)
		if (strstr(text, marks[k]) != NULL)
			return 1;
	return 0;
}

/*
 * Reads what a reader typed into a: units, each a group of phrases any of
 * which may match. Question words are dropped unless nothing else is left;
 * a decision number or an id is one unit per space-separated term, as
 * typed. Returns the number of units (0: nothing searchable).
 */
int
ask_parse(struct ask *a, const char *text, ask_lookup_fn lookup, void *arg)
{
	const char	*p;
	size_t		 n;
	int		 pass;

	memset(a, 0, sizeof(*a));
	a->number = ask_is_number(text);
	for (pass = 0; pass < 2 && a->nunit == 0; pass++) {
		a->dropped = 0;
		for (p = text; *p != '\0'; p += n) {
			while ((n = ask_space(p)) > 0)
				p += n;
			for (n = 0; p[n] != '\0' && ask_space(p + n) == 0; n++)
				;
			if (n == 0)
				break;
			if (a->number)
				ask_plain_term(a, p, n);
			else
				ask_term(a, p, n, pass == 0, lookup, arg);
		}
	}
	if (a->nunit == 0)
		a->dropped = 0;
	return a->nunit;
}

/* An FTS5 expression being built: phrases, and for the relaxed one the
 * group and weight of each (fazhi_rank's map). */
struct ask_build {
	struct buf	*b, *map;
	int		 nphrase, ngroup;
};

/* Appends phrase s (n bytes) of group g, weight w. Returns 0, or -1. */
static int
ask_phrase(struct ask_build *x, const char *s, size_t n, int w)
{
	if (x->nphrase == ASK_MAX_PHRASES)
		return 0;
	if ((x->nphrase > 0 && buf_puts(x->b, x->map ? " OR " : "") == -1) ||
	    fts_quote(x->b, s, n) == -1 || (x->map != NULL &&
	    buf_printf(x->map, "%c%c", '0' + x->ngroup, '0' + w) == -1))
		return -1;
	x->nphrase++;
	return 0;
}

/*
 * Appends to b the strict FTS5 query of a: every unit, any of its phrases,
 * in parentheses (filters follow). Returns the number of phrases, 0 when a
 * has no unit, or -1 when memory runs out.
 */
int
ask_strict(const struct ask *a, struct buf *b)
{
	struct ask_build	 x = { b, NULL, 0, 0 };
	const struct ask_unit	*u;
	int			 i, k;

	buf_reset(b);
	if (a->nunit == 0)
		return 0;
	if (buf_puts(b, "(") == -1)
		return -1;
	for (i = 0; i < a->nunit; i++) {
		u = &a->unit[i];
		if (x.nphrase + u->nphrase > ASK_MAX_PHRASES)
			break;
		if (buf_puts(b, i > 0 ? " AND (" : "(") == -1)
			return -1;
		for (k = 0; k < u->nphrase; k++)
			if ((k > 0 && buf_puts(b, " OR ") == -1) ||
			    ask_phrase(&x, u->phrase[k], strlen(u->phrase[k]),
			    0) == -1)
				return -1;
		if (buf_puts(b, ")") == -1)
			return -1;
	}
	return buf_puts(b, ")") == -1 ? -1 : x.nphrase;
}

/* A plain word's tokens for the relaxed query: each character pair, and
 * each Latin or digit word, a group of its own. */
static int
ask_pair(void *arg, int colocated, const char *tok, int n, int start, int end)
{
	struct ask_build	*x = arg;
	int			 rc = 0, han = (unsigned char)tok[0] >= 0x80;

	(void)start, (void)end;
	if (colocated || !han) {
		rc = ask_phrase(x, tok, n, han ? ASK_PAIR_WEIGHT : ASK_WORD_WEIGHT);
		x->ngroup++;
	}
	return rc;
}

/* Does the plain word s hold two Han characters in a row? */
static int
ask_has_pair(const char *s)
{
	struct ask_tokens	 t;
	int			 i;

	t.n = 0;
	fts_tokenize(s, (int)strlen(s), FTS_DOCUMENT, ask_token, &t);
	for (i = 1; i < t.n; i++)
		if (t.han[i] && t.han[i - 1])
			return 1;
	return 0;
}

/*
 * Sets b to the relaxed FTS5 query of a, an OR of every listed word's
 * phrases and every pair and word of the plain ones, in parentheses; and
 * map to fazhi_rank's map of it: for each phrase, its group ('0' + group)
 * and weight ('0' + weight). Returns the number of phrases, 0, or -1.
 */
int
ask_relaxed(const struct ask *a, struct buf *b, struct buf *map)
{
	struct ask_build	 x = { b, map, 0, 0 };
	const struct ask_unit	*u;
	int			 i, k, w, rc = 0;

	buf_reset(b);
	buf_reset(map);
	if (a->nunit == 0 || a->number)
		return 0;
	if (buf_puts(b, "(") == -1)
		return -1;
	for (i = 0; i < a->nunit && rc == 0 && x.ngroup < ASK_MAX_UNITS; i++) {
		u = &a->unit[i];
		if (!u->listed && ask_has_pair(u->phrase[0])) {
			rc = fts_tokenize(u->phrase[0], (int)strlen(u->phrase[0]),
			    FTS_DOCUMENT, ask_pair, &x);
			continue;
		}
		/* A character alone weighs what a pair does; a word more. */
		w = !u->listed && (unsigned char)u->phrase[0][0] >= 0x80 &&
		    strlen(u->phrase[0]) <= 4 ? ASK_PAIR_WEIGHT : ASK_WORD_WEIGHT;
		for (k = 0; k < u->nphrase && rc == 0; k++)
			rc = ask_phrase(&x, u->phrase[k], strlen(u->phrase[k]), w);
		x.ngroup++;
	}
	if (rc != 0 || buf_puts(b, ")") == -1 || buf_add(map, "", 0) == -1)
		return -1;
	return x.nphrase;
}

/* Decodes the Han characters and words of s into cp (at most max).
 * Returns their number. */
#define ASK_MAX_CHARS	64
static int
ask_chars(const char *s, unsigned int *cp, int max)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 n = 0;

	while (*p != '\0' && n < max) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (*p >= 0xE0 && *p < 0xF0 && p[1] && p[2]) {
			cp[n++] = (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 |
			    (p[2] & 0x3Fu);
			p += 3;
		} else
			cp[n++] = *p++;
	}
	return n;
}

/* The position in text (n characters) where word (m) fits with exactly one
 * character different, or -1. */
static int
ask_one_off(const unsigned int *text, int n, const unsigned int *word, int m)
{
	int	 i, k, diff;

	for (i = 0; i + m <= n; i++) {
		for (diff = 0, k = 0; k < m && diff < 2; k++)
			diff += text[i + k] != word[k];
		if (diff == 1)
			return i;
	}
	return -1;
}

/*
 * "Did you mean": the word of words (n of them, the site's vocabulary in
 * the folded form) that text, a word of the reader's, differs from by one
 * character in ASK_MIN_TYPO_CHARS or more: 行政出罚 -> 行政处罚. The longest
 * such word wins, then the first. Sets out to text with that word in place.
 * Returns 1, or 0 when no word is one character off.
 */
int
ask_suggest(const char *text, const char *const *words, int n,
    struct buf *out)
{
	unsigned int	 t[ASK_MAX_CHARS], w[ASK_MAX_CHARS];
	int		 tn, wn, i, at, best = -1, bestlen = 0, bestat = 0;
	const char	*p;

	tn = ask_chars(text, t, ASK_MAX_CHARS);
	for (i = 0; i < n; i++) {
		wn = ask_chars(words[i], w, ASK_MAX_CHARS);
		if (wn < ASK_MIN_TYPO_CHARS || wn <= bestlen || wn > tn)
			continue;
		if ((at = ask_one_off(t, tn, w, wn)) >= 0)
			best = i, bestlen = wn, bestat = at;
	}
	if (best < 0)
		return 0;
	buf_reset(out);
	/* Han text only here: three bytes a character, no spaces. */
	for (p = text, i = 0; i < bestat && *p != '\0'; i++)
		p += (unsigned char)*p >= 0xE0 ? 3 : 1;
	if (buf_add(out, text, (size_t)(p - text)) == -1 ||
	    buf_puts(out, words[best]) == -1)
		return -1;
	for (i = 0; i < bestlen && *p != '\0'; i++)
		p += (unsigned char)*p >= 0xE0 ? 3 : 1;
	return buf_puts(out, p) == -1 ? -1 : 1;
}
