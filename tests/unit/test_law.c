/* test_law.c: unit tests for law.c, article numbers and their labels. */
/* checks: 62 */
#include <stdio.h>
#include <string.h>

#include "law.h"
#include "unit.h"

static void
check_numeral(int n, const char *want)
{
	char	 out[64];

	UNIT_CHECK(law_numeral(out, sizeof(out), n) == 0, "%d has a numeral", n);
	UNIT_STREQ(out, want, "%d is %s", n, want);
}

static void
check_label(int a, int sub, int p, int it, const char *want)
{
	struct law_ref	 r = { a, sub, p, it };
	char		 out[LAW_LABEL_MAX];

	UNIT_CHECK(law_label(out, sizeof(out), &r) == 0, "label of %d", a);
	UNIT_STREQ(out, want, "label %s", want);
}

static void
check_query(const char *q, int want_at, int want_article, int want_sub)
{
	int	 a = 0, s = 0, at;

	at = law_query_article(q, &a, &s);
	UNIT_CHECK(at == want_at && (at < 0 || (a == want_article &&
	    s == want_sub)), "\"%s\": at %d article %d-%d (got %d, %d-%d)", q,
	    want_at, want_article, want_sub, at, a, s);
}

int
main(void)
{
	struct law_ref	 big = { LAW_MAX_ARTICLE, LAW_MAX_SUB, LAW_MAX_PARAGRAPH,
	    LAW_MAX_ITEM };
	char		 out[LAW_LABEL_MAX];
	int		 a, s;

	check_numeral(1, "一");
	check_numeral(10, "十");
	check_numeral(11, "十一");
	check_numeral(20, "二十");
	check_numeral(28, "二十八");
	check_numeral(51, "五十一");
	check_numeral(100, "一百");
	check_numeral(105, "一百零五");
	check_numeral(110, "一百一十");
	check_numeral(276, "二百七十六");
	check_numeral(1005, "一千零五");
	check_numeral(1050, "一千零五十");
	check_numeral(1254, "一千二百五十四");
	check_numeral(LAW_MAX_ARTICLE, "九千九百九十九");
	UNIT_CHECK(law_numeral(out, sizeof(out), 0) == -1, "0 has no numeral");
	UNIT_CHECK(law_numeral(out, sizeof(out), LAW_MAX_ARTICLE + 1) == -1,
	    "LAW_MAX_ARTICLE + 1 has no numeral");
	UNIT_CHECK(law_numeral(out, 4, 1254) == -1, "a short buffer is refused");

	check_label(51, 0, 0, 0, "第五十一条");
	check_label(276, 1, 0, 0, "第二百七十六条之一");
	check_label(28, 0, 1, 0, "第二十八条第一款");
	check_label(64, 0, 1, 2, "第六十四条第一款第二项");
	UNIT_CHECK(law_label(out, sizeof(out), &big) == 0,
	    "the longest label fits LAW_LABEL_MAX");
	big.item = LAW_MAX_ITEM + 1;
	UNIT_CHECK(law_label(out, sizeof(out), &big) == -1,
	    "an item past LAW_MAX_ITEM is refused");
	big.item = 1;
	big.paragraph = LAW_MAX_PARAGRAPH + 1;
	UNIT_CHECK(law_label(out, sizeof(out), &big) == -1,
	    "a paragraph past LAW_MAX_PARAGRAPH is refused");

	UNIT_CHECK(law_article_parse("51", &a, &s) == 0 && a == 51 && s == 0,
	    "\"51\" is article 51");
	UNIT_CHECK(law_article_parse("276-1", &a, &s) == 0 && a == 276 && s == 1,
	    "\"276-1\" is article 276 之一");
	UNIT_CHECK(law_article_parse("9999", &a, &s) == 0 && a == LAW_MAX_ARTICLE,
	    "LAW_MAX_ARTICLE is an article");
	UNIT_CHECK(law_article_parse("10000", &a, &s) == -1,
	    "past LAW_MAX_ARTICLE is not");
	UNIT_CHECK(law_article_parse("276-10", &a, &s) == -1,
	    "past LAW_MAX_SUB is not");
	UNIT_CHECK(law_article_parse("0", &a, &s) == -1, "0 is not an article");
	UNIT_CHECK(law_article_parse("051", &a, &s) == -1, "a leading zero is not");
	UNIT_CHECK(law_article_parse("五十一", &a, &s) == -1,
	    "Chinese numerals are not how content writes it");
	UNIT_CHECK(law_article_parse("第51条", &a, &s) == -1, "nor 第51条");
	UNIT_CHECK(law_article_parse("-1", &a, &s) == -1, "nor -1");
	UNIT_CHECK(law_article_parse("51-", &a, &s) == -1, "nor 51-");

	check_query("消防法第二十八条", (int)strlen("消防法"), 28, 0);
	check_query("行政处罚法 51条", (int)strlen("行政处罚法"), 51, 0);
	check_query("行政处罚法第51条", (int)strlen("行政处罚法"), 51, 0);
	check_query("民法典第一千二百五十四条", (int)strlen("民法典"), 1254, 0);
	check_query("刑法第二百七十六条之一", (int)strlen("刑法"), 276, 1);
	check_query("城乡规划法 第 64 条", (int)strlen("城乡规划法 "), 64, 0);
	check_query("消防通道", -1, 0, 0);
	check_query("2024年7号", -1, 0, 0);
	check_query("第一百万条", -1, 0, 0);
	return unit_done();
}
