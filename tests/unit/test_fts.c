/* test_fts.c: the search tokenizer, the query builder, real FTS5 matching. */
/* checks: 95 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ask.h"
#include "buf.h"
#include "fts.h"
#include "unit.h"

/* Tokens as text: "a b +ab" (a "+" marks a colocated token). */
static int
collect(void *arg, int colocated, const char *tok, int n, int start, int end)
{
	struct buf	*b = arg;

	if (start < 0 || end <= start)
		return buf_puts(b, "<bad offsets>");
	if (b->len > 0)
		buf_add(b, " ", 1);
	if (colocated)
		buf_add(b, "+", 1);
	return buf_add(b, tok, n);
}

static const char *
toks(const char *text, int len, enum fts_mode mode)
{
	static struct buf	 b;

	buf_reset(&b);
	buf_add(&b, "", 0);
	fts_tokenize(text, len < 0 ? (int)strlen(text) : len, mode, collect, &b);
	return b.data;
}

#define DOC(s)	toks((s), -1, FTS_DOCUMENT)
#define QRY(s)	toks((s), -1, FTS_QUERY)

/* Offsets of each token, as "start-end" pairs. */
static int
offsets(void *arg, int colocated, const char *tok, int n, int start, int end)
{
	(void)colocated, (void)tok, (void)n;
	return buf_printf(arg, "%s%d-%d", ((struct buf *)arg)->len ? " " : "",
	    start, end);
}

static void
test_tokens(void)
{
	struct buf	 b = { 0 };

	UNIT_STREQ(DOC("噪音"), "噪 +噪音 音", "document: characters and pairs");
	UNIT_STREQ(QRY("噪音"), "噪音 音", "query: the pair, then the last character");
	UNIT_STREQ(QRY("罚"), "罚", "query: one character");
	UNIT_STREQ(QRY("噪音扰民"), "噪音 音扰 扰民 民", "query: a phrase of pairs");
	UNIT_STREQ(DOC("违建，拆除"), "违 +违建 建 拆 +拆除 除",
	    "punctuation ends a run of pairs");
	UNIT_STREQ(DOC("GB 50016"), "gb 50016", "a standard's code");
	UNIT_STREQ(DOC("GB50016-2014"), "gb 50016 2014",
	    "letters and digits are words of their own");
	UNIT_STREQ(DOC("ＧＢ５００１６"), "gb 50016", "full-width letters and digits");
	UNIT_STREQ(DOC("（ＡＢＣ）"), "abc", "full-width brackets are punctuation");
	UNIT_STREQ(DOC("舟普综执罚决字〔2023〕第12号"),
	    "舟 +舟普 普 +普综 综 +综执 执 +执罚 罚 +罚决 决 +决字 字 2023 12 号",
	    "a decision number: 第 before a digit is no token");
	UNIT_STREQ(QRY("舟普综执罚决字[2023]第１２号"),
	    "舟普 普综 综执 执罚 罚决 决字 字 2023 12 号",
	    "a decision number typed with other brackets and full-width digits");
	UNIT_STREQ(DOC("罚款100元"), "罚 +罚款 款 100 元", "Chinese and digits");
	UNIT_STREQ(DOC("Ünïcode ΑΒΓ Шаг"), "ünïcode αβγ шаг",
	    "Latin, Greek and Cyrillic capitals fold");
	UNIT_STREQ(DOC("消防😀通道"), "消 +消防 防 通 +通道 道", "an emoji separates");
	UNIT_STREQ(DOC("a\xe2\x80\x8b" "b"), "a b", "a zero-width space separates");
	UNIT_STREQ(DOC("一　二"), "一 二", "the ideographic space separates");
	UNIT_STREQ(DOC("  ，。！？、；：“”《》 "), "", "punctuation only: no token");
	UNIT_STREQ(DOC(""), "", "empty text");
	UNIT_STREQ(DOC("ひらがな한국"), "ひ +ひら ら +らが が +がな な +な한 한 +한국 국",
	    "kana and hangul are characters too");
	UNIT_STREQ(DOC("\xf0\xa0\x80\x80\xe4\xb8\x80"), "\xf0\xa0\x80\x80 "
	    "+\xf0\xa0\x80\x80\xe4\xb8\x80 \xe4\xb8\x80", "extension B characters");
	UNIT_STREQ(DOC("\x1e" "case \x1eguojia-anquan \x1e" "2024"),
	    "\x1e" "case \x1eguojia-anquan \x1e" "2024", "tags: one token each, mark included");
	UNIT_STREQ(DOC("a\x1e \x1e"), "a", "a mark alone is no tag");
	UNIT_STREQ(DOC("AND OR NOT NEAR * ( ) \" ^ : {title}"),
	    "and or not near title", "query syntax is text");

	/* Bytes that are not UTF-8 separate and never reach a token. */
	UNIT_STREQ(DOC("a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d"), "a b c d",
	    "invalid, overlong and surrogate bytes separate");
	UNIT_STREQ(DOC("中\xe4\xb8"), "中", "a character cut short at the end");
	UNIT_STREQ(toks("ab\0cd", 5, FTS_DOCUMENT), "ab cd", "a NUL byte separates");
	UNIT_STREQ(DOC("\xf4\x90\x80\x80x"), "x", "past U+10FFFF");

	buf_reset(&b);
	fts_tokenize("噪音 ab", (int)strlen("噪音 ab"), FTS_DOCUMENT, offsets, &b);
	UNIT_STREQ(b.data, "0-3 0-6 3-6 7-9", "offsets cover the bytes of each token");
	buf_free(&b);
}

static void
test_limits(void)
{
	char	 word[FTS_MAX_TOKEN * 2 + 1], want[FTS_MAX_TOKEN + 1];

	memset(word, 'x', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	memset(want, 'x', FTS_MAX_TOKEN);
	want[FTS_MAX_TOKEN] = '\0';
	UNIT_STREQ(DOC(word), want, "a run longer than FTS_MAX_TOKEN is cut, once");
	word[FTS_MAX_TOKEN] = '\0';
	UNIT_STREQ(DOC(word), want, "a run of exactly FTS_MAX_TOKEN is kept whole");
}

static const char *
query(const char *text)
{
	static struct buf	 b;
	int			 n;

	buf_reset(&b);
	buf_add(&b, "", 0);
	n = fts_query(&b, text);
	if (n == 0)
		return "(none)";
	return b.data;
}

static void
test_query(void)
{
	struct buf	 b = { 0 };

	UNIT_STREQ(query("噪音"), "\"噪音\"", "one term");
	UNIT_STREQ(query("  噪音　扰民 "), "\"噪音\" AND \"扰民\"",
	    "spaces, the ideographic one too, separate terms");
	UNIT_STREQ(query("a\"b"), "\"a\"\"b\"", "quotes are doubled");
	UNIT_STREQ(query("a\x1e" "case"), "\"a\" AND \"case\"",
	    "a tag mark in a reader's text separates: it never starts a tag");
	UNIT_STREQ(query("\" ( ) * ^ ："), "(none)", "syntax alone: nothing to search");
	UNIT_STREQ(query(""), "(none)", "empty");
	UNIT_STREQ(query("NEAR(a b)"), "\"NEAR(a\" AND \"b)\"",
	    "NEAR stays inside quotes");
	fts_normalize(&b, "舟普综执罚决字〔2023〕第12号");
	UNIT_STREQ(b.data, "舟普综执罚决字2023-12号", "normalized decision number");
	fts_normalize(&b, " 舟普综执罚决字[2023]第１２号 ");
	UNIT_STREQ(b.data, "舟普综执罚决字2023-12号", "another spelling, the same");
	fts_normalize(&b, "舟普综执罚决字【2023】12号");
	UNIT_STREQ(b.data, "舟普综执罚决字2023-12号", "without 第, other brackets");
	fts_normalize(&b, "舟普綜執罰決字（2023）第12號");
	UNIT_STREQ(b.data, "舟普综执罚决字2023-12号", "Traditional, full-width brackets");
	fts_normalize(&b, "(2023)1号");
	UNIT_STREQ(b.data, "2023-1号", "the year and the number stay apart");
	fts_normalize(&b, "第一");
	UNIT_STREQ(b.data, "第一", "第 before a character stays");
	buf_reset(&b);
	fts_filter(&b, "guojia-anquan");
	UNIT_STREQ(b.data, " AND \"\x1eguojia-anquan\"", "a filter: one tag");
	buf_reset(&b);
	fts_filter(&b, "x\" OR \"y");
	UNIT_STREQ(b.data, " AND \"\x1ex\"\" OR \"\"y\"", "a hostile filter value");
	buf_reset(&b);
	UNIT_CHECK(fts_filter(&b, "") == -1, "a filter of nothing is refused");
	buf_free(&b);
}

/* Rows of the test index that match q, as "1 3". */
static const char *
matches(sqlite3 *db, const char *q)
{
	static struct buf	 b;
	sqlite3_stmt		*st;
	int			 rc;

	buf_reset(&b);
	buf_add(&b, "", 0);
	if (sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1 "
	    "ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		return "(prepare failed)";
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		buf_printf(&b, "%s%d", b.len ? " " : "", sqlite3_column_int(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? b.data : "(error)";
}

static const char *
search(sqlite3 *db, const char *text)
{
	struct buf	 q = { 0 };
	const char	*r;

	buf_add(&q, "", 0);
	if (fts_query(&q, text) <= 0)
		r = "(none)";
	else
		r = matches(db, q.data);
	buf_free(&q);
	return r;
}

static void
test_fts5(void)
{
	static const char *const docs[] = {
		"夜间施工噪音扰民，执法队员依法处罚。",		/* 1 */
		"违建拆除：违法建设限期拆除",			/* 2 */
		"依据 GB 50016 消防通道不得占用",		/* 3 */
		"决定书文号：舟普综执罚决字〔2023〕第12号",	/* 4 */
		"噪声监测；音乐节",				/* 5 */
		"罚款 and \"quotes\" near (x)",			/* 6 */
	};
	sqlite3		*db;
	sqlite3_stmt	*st;
	char		*hl;
	size_t		 i;

	UNIT_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK && fts_register(db) == 0,
	    "the tokenizer registers with FTS5");
	UNIT_CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tags,"
	    " tokenize='" FTS_TOKENIZER "')", NULL, NULL, NULL) == SQLITE_OK,
	    "an index with the tokenizer");
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body, tags) VALUES(?1, ?2,"
		    " ?3)", -1, &st, NULL);
		sqlite3_bind_int(st, 1, (int)i + 1);
		sqlite3_bind_text(st, 2, docs[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, i % 2 ? "\x1e" "case \x1eguojia-anquan" :
		    "\x1e" "case \x1eguojia", -1, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	UNIT_STREQ(search(db, "罚"), "1 4 6", "one character");
	UNIT_STREQ(search(db, "噪音"), "1", "two characters: not 噪声 + 音乐");
	UNIT_STREQ(search(db, "违建"), "2", "违建");
	UNIT_STREQ(search(db, "噪音扰民"), "1", "a phrase");
	UNIT_STREQ(search(db, "扰民噪音"), "", "the phrase's order counts");
	UNIT_STREQ(search(db, "噪音 处罚"), "1", "two terms, both required");
	UNIT_STREQ(search(db, "GB 50016"), "3", "GB 50016");
	UNIT_STREQ(search(db, "gb50016"), "3", "gb50016 without the space");
	UNIT_STREQ(search(db, "ＧＢ５００１６"), "3", "full-width");
	UNIT_STREQ(search(db, "舟普综执罚决字〔2023〕第12号"), "4", "a decision number");
	UNIT_STREQ(search(db, "舟普综执罚决字(2023)第１２号"), "4",
	    "a decision number with other brackets");
	UNIT_STREQ(search(db, "第13号"), "", "another number does not match");
	UNIT_STREQ(search(db, "(2023)12号"), "4", "a number without 第");
	UNIT_STREQ(search(db, "2023 第12号"), "4", "the year apart, with 第");
	UNIT_STREQ(search(db, "夜間施工噪音"), "1", "Traditional finds Simplified");
	UNIT_STREQ(search(db, "違建"), "2", "違建 finds 违建");
	UNIT_STREQ(search(db, "執罰決字"), "4", "執罰決字 finds 执罚决字");
	UNIT_STREQ(search(db, "\"quotes\""), "6", "quotes");
	UNIT_STREQ(search(db, "near (x)"), "6", "NEAR and parentheses are words");
	UNIT_STREQ(search(db, "AND"), "6", "AND is a word");
	UNIT_STREQ(search(db, "*"), "(none)", "a star alone is nothing to search");
	UNIT_STREQ(search(db, "\"unbalanced"), "", "an unbalanced quote");
	UNIT_STREQ(search(db, "guojia"), "", "the filter tags are not searched");
	UNIT_STREQ(search(db, "case"), "", "nor a tag's word");
	UNIT_STREQ(matches(db, "\"罚\" AND \"\x1eguojia\""), "1", "a tag filter");
	UNIT_STREQ(matches(db, "\"罚\" AND \"\x1eguojia-anquan\""), "4 6",
	    "a longer code is another tag");

	hl = NULL;
	if (sqlite3_prepare_v2(db, "SELECT highlight(t, 0, '[', ']') FROM t WHERE "
	    "t MATCH '\"噪音\"'", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		hl = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	UNIT_STREQ(hl, "夜间施工[噪音]扰民，执法队员依法处罚。",
	    "the highlight covers every character typed");
	free(hl);
	hl = NULL;
	sqlite3_exec(db, "INSERT INTO t(rowid, body) VALUES(7, '違法建設罰款')",
	    NULL, NULL, NULL);
	if (sqlite3_prepare_v2(db, "SELECT highlight(t, 0, '[', ']') FROM t WHERE "
	    "t MATCH '\"违法建设\"' AND rowid = 7", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		hl = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	UNIT_STREQ(hl, "[違法建設]罰款", "Traditional content: found by the "
	    "Simplified, marked as written");
	free(hl);
	sqlite3_close(db);
}

/* fazhi_rank of row 1 for match, with terms as its second argument. */
static double
rank(sqlite3 *db, const char *match, int terms)
{
	sqlite3_stmt	*st;
	double		 r = 1e9;	/* no row: a value no rank has */

	if (sqlite3_prepare_v2(db, "SELECT " FTS_RANK "(t, ?2) FROM t WHERE t MATCH ?1"
	    " AND rowid = 1", -1, &st, NULL) != SQLITE_OK)
		return r;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, terms);
	if (sqlite3_step(st) == SQLITE_ROW)
		r = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return r;
}

/* The phrases "x" AND "x" ... n times. */
static const char *
xs(int n)
{
	static struct buf	 b;

	buf_reset(&b);
	buf_add(&b, "", 0);
	while (n-- > 0)
		buf_puts(&b, n ? "\"x\" AND " : "\"x\"");
	return b.data;
}

/*
 * The ranking's limits: a phrase's document count for IDF stops at
 * FTS_MAX_DF, and phrases past FTS_MAX_PHRASES count as none. Row 1 is
 * "y x"; every other of the rows holds "x" alone.
 */
static void
test_rank_limits(void)
{
	const int	 rows = FTS_MAX_DF * 5 / 2;
	double		 k1 = 1.2, b = 0.75, avgdl, tf, idf_x, idf_y, want;
	sqlite3		*db;
	int		 i;

	sqlite3_open(":memory:", &db);
	fts_register(db);
	sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tags, tokenize='"
	    FTS_TOKENIZER "'); BEGIN; INSERT INTO t(rowid, body) VALUES(1, 'y x')",
	    NULL, NULL, NULL);
	for (i = 2; i <= rows; i++)
		sqlite3_exec(db, "INSERT INTO t(body) VALUES('x')", NULL, NULL, NULL);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);

	/* BM25 as fts.c computes it: weight 10 for column 0, row 1 two tokens long. */
	avgdl = (double)(rows + 1) / rows;
	tf = 10 * (k1 + 1) / (10 + k1 * (1 - b + b * 2 / avgdl));
	idf_y = log((rows - 1 + 0.5) / 1.5);
	idf_x = log((rows - FTS_MAX_DF + 0.5) / (FTS_MAX_DF + 0.5));
	want = -(idf_y * tf + idf_x * tf);
	UNIT_CHECK(fabs(rank(db, "\"y\" AND \"x\"", 2) - want) < 1e-9,
	    "IDF counts a phrase's rows up to FTS_MAX_DF (%d): %f, want %f",
	    FTS_MAX_DF, rank(db, "\"y\" AND \"x\"", 2), want);
	UNIT_CHECK(rank(db, "\"y\" AND \"x\"", 2) + idf_y * tf < -0.1 * tf,
	    "x, in every row, still weighs: counted in full it would weigh ~0");
	{
		int	 cap = FTS_MAX_DF_SUM / 3 + 1;
		double	 idf3 = log((rows - cap + 0.5) / (cap + 0.5));

		want = -(idf_y * tf + 2 * idf3 * tf);
		UNIT_CHECK(fabs(rank(db, "\"y\" AND \"x\" AND \"x\"", 3) - want) <
		    1e-9, "three phrases count FTS_MAX_DF_SUM (%d) rows in all: "
		    "%f, want %f", FTS_MAX_DF_SUM, rank(db, "\"y\" AND \"x\" AND "
		    "\"x\"", 3), want);
	}
	UNIT_CHECK(fabs(rank(db, "\"y\"", 1) + tf) < 1e-9,
	    "one phrase: no IDF, the same order as bm25()");
	UNIT_CHECK(rank(db, xs(FTS_MAX_PHRASES + 6), FTS_MAX_PHRASES + 6) ==
	    rank(db, xs(FTS_MAX_PHRASES), FTS_MAX_PHRASES + 6),
	    "phrases past FTS_MAX_PHRASES (%d) count as none", FTS_MAX_PHRASES);
	UNIT_CHECK(rank(db, xs(FTS_MAX_PHRASES), FTS_MAX_PHRASES) <
	    rank(db, xs(FTS_MAX_PHRASES - 1), FTS_MAX_PHRASES),
	    "up to FTS_MAX_PHRASES, each phrase counts");
	sqlite3_close(db);
}

/* fazhi_rank's share: the row matches ASK_MIN_SHARE-style thresholds of
 * its map, or is NULL. Row 1 is "y x". */
static int
shared_row(sqlite3 *db, const char *match, const char *map, int min, int row)
{
	sqlite3_stmt	*st;
	int		 r = -1;

	if (sqlite3_prepare_v2(db, "SELECT " FTS_RANK "(t, 9, ?2, ?3) IS NOT NULL"
	    " FROM t WHERE t MATCH ?1 AND rowid = ?4", -1, &st, NULL) != SQLITE_OK)
		return r;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, map, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, min);
	sqlite3_bind_int(st, 4, row);
	if (sqlite3_step(st) == SQLITE_ROW)
		r = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return r;
}

#define shared(db, match, map, min)	shared_row(db, match, map, min, 1)

/* The relaxed query's threshold, as fazhi_rank applies it. */
static void
test_share(void)
{
	sqlite3	*db;

	sqlite3_open(":memory:", &db);
	fts_register(db);
	sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tags, tokenize='"
	    FTS_TOKENIZER "'); INSERT INTO t(rowid, body) VALUES(1, 'y x');"
	    " INSERT INTO t(rowid, body) VALUES(2, 'z w v'), (3, 'c'), (4, 'c'),"
	    " (5, 'c'), (6, 'c'), (7, 'c')", NULL, NULL, NULL);
	/* y matches, z does not: y's weight over the whole. */
	UNIT_CHECK(shared(db, "\"y\" OR \"z\"", "0111", 50) == 1,
	    "half the weight matched: 50%% passes");
	UNIT_CHECK(shared(db, "\"y\" OR \"z\"", "0111", 51) == 0,
	    "half the weight matched: 51%% does not");
	UNIT_CHECK(shared(db, "\"y\" OR \"z\"", "0111", ASK_MIN_SHARE) ==
	    (ASK_MIN_SHARE <= 50), "ASK_MIN_SHARE (%d%%): half the weight %s",
	    ASK_MIN_SHARE, ASK_MIN_SHARE <= 50 ? "passes" : "does not pass");
	UNIT_CHECK(shared(db, "\"y\" OR \"z\" OR \"w\"", "011121", 50) == 0,
	    "one of three groups: under half");
	UNIT_CHECK(shared(db, "\"y\" OR \"z\" OR \"w\"", "021121", 50) == 1,
	    "a word weighs two pairs: 2 of 4 is half");
	UNIT_CHECK(shared(db, "\"z\" OR \"y\" OR \"w\"", "010111", 50) == 1,
	    "phrases of one group (a word and its official term) count once");
	UNIT_CHECK(shared(db, "\"y\" OR \"x\" OR \"w\" OR \"v\"", "01111121",
	    50) == 1, "two of three groups, by weight 2 of 3");
	UNIT_CHECK(shared(db, "\"y\" OR \"q\"", "0111", 100) == 1,
	    "a phrase in no row at all does not count: y is all there is");
	UNIT_CHECK(shared(db, "\"q\" OR \"y\"", "0111", 50) == 1,
	    "nor as the first phrase");
	UNIT_CHECK(shared(db, "\"y\"", "01", 100) == 1,
	    "one phrase: its document count is known too");
	UNIT_CHECK(shared(db, "\"y\" OR \"c\"", "0111", 100) == 1,
	    "a phrase in more than a third of the rows does not count");
	UNIT_CHECK(shared(db, "\"c\" OR \"y\"", "0111", 100) == 1,
	    "nor when it comes first");
	sqlite3_exec(db, "INSERT INTO t(rowid, body) VALUES(8, 'c y'), (9, 'c'),"
	    " (10, 'c'), (11, 'c'), (12, 'c')", NULL, NULL, NULL);
	UNIT_CHECK(shared_row(db, "\"c\"", "01", 1, 8) == 0,
	    "a query of common words alone: no row passes");
	sqlite3_close(db);
}

int
main(void)
{
	test_tokens();
	test_limits();
	test_query();
	test_fts5();
	test_rank_limits();
	test_share();
	return unit_done();
}
