/* test_ask.c: how a citizen's text is read: question words, the synonym
 * list, the strict and relaxed queries, decision numbers, "did you mean". */
/* checks: 34 */
#include <string.h>

#include "ask.h"
#include "buf.h"
#include "fts.h"
#include "unit.h"

/* A small synonym list, in the form the snapshot keeps (words folded). */
static const struct {
	const char	*word, *means, *town;
} list[] = {
	{ "小摊小贩", "占道经营\t流动摊贩", NULL },
	{ "工地", "建筑施工", NULL },
	{ "半夜", "夜间", NULL },
	{ "干活", "施工", NULL },
	{ "桃花岛", "桃花镇", "taohua" },
	{ "的士", "出租汽车", NULL },
	{ "占道经营", "", NULL },
	{ "一二三四五六七", "甲\t乙\t丙\t丁\t戊\t己\t庚\t辛", NULL },
};

static const char *
lookup(void *arg, const char *word, const char **town)
{
	size_t	 i;

	(void)arg;
	for (i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		if (strcmp(list[i].word, word) == 0) {
			*town = list[i].town;
			return list[i].means;
		}
	return NULL;
}

/* The strict query of text, or "(none)". */
static const char *
strict(const char *text)
{
	static struct buf	 b;
	static struct ask	 a;

	if (ask_parse(&a, text, lookup, NULL) == 0 || ask_strict(&a, &b) <= 0)
		return "(none)";
	return b.data;
}

/* The relaxed query of text and its map, "query | map". */
static const char *
relaxed(const char *text)
{
	static struct buf	 b, map, out;
	static struct ask	 a;

	ask_parse(&a, text, lookup, NULL);
	if (ask_relaxed(&a, &b, &map) <= 0)
		return "(none)";
	buf_reset(&out);
	buf_printf(&out, "%s | %s", b.data, map.data);
	return out.data;
}

static void
test_questions(void)
{
	UNIT_STREQ(strict("噪音怎么办"), "((\"噪音\"))", "怎么办 is dropped");
	UNIT_STREQ(strict("可以举报吗"), "((\"举报\"))", "可以…吗 is dropped");
	UNIT_STREQ(strict("信用修复怎么弄"), "((\"信用修复\"))",
	    "怎么弄 is a question frame, not 怎么 and a word 弄");
	UNIT_STREQ(strict("噪音咋整"), "((\"噪音\"))", "咋整 is dropped");
	UNIT_STREQ(strict("我家楼上的噪音"), "((\"楼上\") AND (\"噪音\"))",
	    "我家 and 的 split the words around them");
	UNIT_STREQ(strict("被罰了以後還能貸款嗎"),
	    "((\"罚\") AND (\"以后\") AND (\"贷款\"))",
	    "Traditional is folded before the question words are found");
	UNIT_STREQ(strict("怎么办"), "((\"怎么办\"))",
	    "a question word alone is searched as typed");
	UNIT_STREQ(strict("的士拒载"), "((\"的士\" OR \"出租汽车\") AND (\"拒载\"))",
	    "a listed word keeps a character that is a function word elsewhere");
}

static void
test_expansion(void)
{
	UNIT_STREQ(strict("小摊小贩"),
	    "((\"小摊小贩\" OR \"占道经营\" OR \"流动摊贩\"))",
	    "an everyday word matches as itself or its official terms");
	UNIT_STREQ(strict("工地半夜还在干活能投诉吗"),
	    "((\"工地\" OR \"建筑施工\") AND (\"半夜\" OR \"夜间\") AND "
	    "(\"干活\" OR \"施工\") AND (\"投诉\"))",
	    "a question: its listed words, expanded, and the rest");
	UNIT_STREQ(strict("桃花岛民宿"),
	    "((\"桃花岛\" OR \"桃花镇\" OR \"\x1et-taohua\") AND (\"民宿\"))",
	    "a place name: its town's name and the town's tag");
	UNIT_STREQ(strict("占道经营"), "((\"占道经营\"))",
	    "an official term brings nothing more");
	UNIT_STREQ(strict("一二三四五六七"),
	    "((\"一二三四五六七\" OR \"甲\" OR \"乙\" OR \"丙\" OR \"丁\" OR "
	    "\"戊\" OR \"己\"))", "at most ASK_MAX_MEANS (%d) official terms",
	    ASK_MAX_MEANS);
}

static void
test_limits(void)
{
	struct ask	 a;
	struct buf	 b = { 0 }, text = { 0 };
	int		 i;

	for (i = 0; i < ASK_MAX_UNITS + 6; i++)
		buf_printf(&text, "词%d ", i);
	UNIT_CHECK(ask_parse(&a, text.data, lookup, NULL) == ASK_MAX_UNITS,
	    "at most ASK_MAX_UNITS (%d) words", ASK_MAX_UNITS);
	buf_reset(&text);
	for (i = 0; i < 8; i++)
		buf_puts(&text, "一二三四五六七 ");
	ask_parse(&a, text.data, lookup, NULL);
	i = ask_strict(&a, &b);
	UNIT_CHECK(i <= ASK_MAX_PHRASES && i > ASK_MAX_PHRASES - (ASK_MAX_MEANS + 1) &&
	    unit_count(b.data, "\"") == 2 * i, "at most ASK_MAX_PHRASES (%d) "
	    "phrases, whole words only: %d", ASK_MAX_PHRASES, i);
	UNIT_CHECK(ask_parse(&a, "一二三四五六七", lookup, NULL) == 1 &&
	    a.unit[0].listed, "a listed word of 7 characters is found");
	buf_free(&b);
	buf_free(&text);
}

static void
test_relaxed(void)
{
	UNIT_STREQ(relaxed("施工噪声"),
	    "(\"施工\" OR \"工噪\" OR \"噪声\") | 011121",
	    "a plain word's character pairs, each a group of weight %d",
	    ASK_PAIR_WEIGHT);
	UNIT_STREQ(relaxed("小摊小贩 罚款"),
	    "(\"小摊小贩\" OR \"占道经营\" OR \"流动摊贩\" OR \"罚款\") | 02020211",
	    "a listed word is one group of weight %d", ASK_WORD_WEIGHT);
	UNIT_STREQ(relaxed("噪声 罚 gb"),
	    "(\"噪声\" OR \"罚\" OR \"gb\") | 011122",
	    "a character alone weighs a pair; a Latin word, a word");
	UNIT_STREQ(relaxed("舟普综执罚决字〔2024〕第7号"), "(none)",
	    "never for a decision number");
	UNIT_STREQ(relaxed("2023-001"), "(none)", "never for an item's id");
}

static void
test_numbers(void)
{
	UNIT_CHECK(ask_is_number("舟普综执罚决字〔2024〕第7号"), "a decision number");
	UNIT_CHECK(ask_is_number("(2024)7号"), "its tail, in brackets");
	UNIT_CHECK(ask_is_number("（２０２４）７号"), "full-width");
	UNIT_CHECK(ask_is_number("2023-001"), "an item's id");
	UNIT_CHECK(!ask_is_number("罚款2000元"), "an amount is not a number");
	UNIT_CHECK(!ask_is_number("GB 50016"), "nor a standard");
	UNIT_CHECK(!ask_is_number("repair"), "nor a Latin word");
	UNIT_STREQ(strict("(2024)7号"), "((\"(2024)7号\"))",
	    "a number is searched as typed, one unit");
}

static void
test_suggest(void)
{
	static const char *const vocab[] = { "行政处罚", "信用修复", "占道经营",
	    "罚款", "违法建设" };
	struct buf	 out = { 0 };
	const int	 n = sizeof(vocab) / sizeof(vocab[0]);

	UNIT_CHECK(ask_suggest("行政出罚", vocab, n, &out) == 1 &&
	    strcmp(out.data, "行政处罚") == 0, "行政出罚 -> 行政处罚");
	UNIT_CHECK(ask_suggest("申请信用修夏", vocab, n, &out) == 1 &&
	    strcmp(out.data, "申请信用修复") == 0,
	    "a typo inside a longer word is replaced in place");
	UNIT_CHECK(ask_suggest("罚钱", vocab, n, &out) == 0,
	    "words under ASK_MIN_TYPO_CHARS (%d) are not corrected",
	    ASK_MIN_TYPO_CHARS);
	UNIT_CHECK(ask_suggest("行政出发", vocab, n, &out) == 0,
	    "two characters off: no suggestion");
	UNIT_CHECK(ask_suggest("鲲鹏展翅", vocab, n, &out) == 0,
	    "nonsense: no suggestion");
	buf_free(&out);
}

int
main(void)
{
	test_questions();
	test_expansion();
	test_limits();
	test_relaxed();
	test_numbers();
	test_suggest();
	return unit_done();
}
