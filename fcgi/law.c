/*
 * law.c: the numbers of a law's articles, paragraphs (款) and items (项):
 * "51" and "276-1" as content writes them, 第五十一条 and 第二百七十六条之一
 * as the law and the pages do, and "51条" or "第五十一条" as a reader types
 * them into the search. Pure string work, no I/O.
 */
#include <stdio.h>
#include <string.h>

#include "law.h"

static const char *const law_digits[] = { "零", "一", "二", "三", "四", "五",
    "六", "七", "八", "九" };
static const char *const law_units[] = { "", "十", "百", "千" };

/*
 * Reads a decimal number of 1..max with no sign, space or leading zero.
 * Returns 0 and sets *n, or -1.
 */
int
law_number_parse(const char *s, int max, int *n)
{
	long	 v = 0;
	size_t	 i;

	if (s == NULL || s[0] < '1' || s[0] > '9')
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i == 4)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return -1;
	*n = (int)v;
	return 0;
}

/*
 * Reads an article number as content writes it: "51", or "276-1" for
 * 第二百七十六条之一. Returns 0 and sets *article and *sub (0 when none),
 * or -1 when s is not such a number within LAW_MAX_ARTICLE and LAW_MAX_SUB.
 */
int
law_article_parse(const char *s, int *article, int *sub)
{
	char		 head[8];
	const char	*dash;
	size_t		 n;

	*sub = 0;
	if (s == NULL)
		return -1;
	if ((dash = strchr(s, '-')) == NULL)
		return law_number_parse(s, LAW_MAX_ARTICLE, article);
	if ((n = (size_t)(dash - s)) == 0 || n >= sizeof(head))
		return -1;
	memcpy(head, s, n);
	head[n] = '\0';
	if (law_number_parse(head, LAW_MAX_ARTICLE, article) == -1 ||
	    law_number_parse(dash + 1, LAW_MAX_SUB, sub) == -1)
		return -1;
	return 0;
}

/*
 * Writes n (1..LAW_MAX_ARTICLE) in Chinese numerals as the laws number their
 * articles: 十, 十一, 二十, 一百零五, 一百一十, 一千二百五十四. Returns 0,
 * or -1 when n is out of range or out is too small.
 */
int
law_numeral(char *out, size_t size, int n)
{
	int	 d[4], i, top, zero = 0;
	size_t	 len = 0;
	int	 w;

	if (n < 1 || n > LAW_MAX_ARTICLE || size == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < 4; i++, n /= 10)
		d[i] = n % 10;
	for (top = 3; d[top] == 0; top--)
		;
	for (i = top; i >= 0; i--) {
		if (d[i] == 0) {
			zero = 1;
			continue;
		}
		if (zero) {
			w = snprintf(out + len, size - len, "%s", law_digits[0]);
			if (w < 0 || (size_t)w >= size - len)
				return -1;
			len += (size_t)w;
			zero = 0;
		}
		/* 十一, not 一十一, when the tens lead */
		w = snprintf(out + len, size - len, "%s%s",
		    i == 1 && i == top && d[i] == 1 ? "" : law_digits[d[i]],
		    law_units[i]);
		if (w < 0 || (size_t)w >= size - len)
			return -1;
		len += (size_t)w;
	}
	return 0;
}

/*
 * Writes the label of r: 第五十一条, 第二百七十六条之一, 第二十八条第一款,
 * 第六十四条第一款第二项. Returns 0, or -1 when a number is out of range.
 */
int
law_label(char *out, size_t size, const struct law_ref *r)
{
	char	 a[48], s[16] = "", p[32] = "", it[32] = "";
	int	 w;

	if (law_numeral(a, sizeof(a), r->article) == -1)
		return -1;
	if (r->sub > 0 && (r->sub > LAW_MAX_SUB ||
	    law_numeral(s, sizeof(s), r->sub) == -1))
		return -1;
	if (r->paragraph > 0 && (r->paragraph > LAW_MAX_PARAGRAPH ||
	    law_numeral(p, sizeof(p), r->paragraph) == -1))
		return -1;
	if (r->item > 0 && (r->item > LAW_MAX_ITEM ||
	    law_numeral(it, sizeof(it), r->item) == -1))
		return -1;
	w = snprintf(out, size, "第%s条%s%s%s%s%s%s%s%s", a, *s ? "之" : "",
	    s, *p ? "第" : "", p, *p ? "款" : "", *it ? "第" : "", it,
	    *it ? "项" : "");
	return w < 0 || (size_t)w >= size ? -1 : 0;
}

/* The value of the Chinese digit at s (its length into *len), or -1. */
static int
law_cn_digit(const char *s, size_t *len)
{
	int	 i;

	for (i = 0; i < 10; i++)
		if (strncmp(s, law_digits[i], strlen(law_digits[i])) == 0) {
			*len = strlen(law_digits[i]);
			return i;
		}
	if (strncmp(s, "两", strlen("两")) == 0) {
		*len = strlen("两");
		return 2;
	}
	return -1;
}

/*
 * Reads a number in Chinese numerals at s (一千二百五十四, 五十一, 十):
 * its value, and its length in bytes into *len; -1 when s does not start
 * with one or it is past LAW_MAX_ARTICLE.
 */
static int
law_cn_number(const char *s, size_t *len)
{
	size_t	 at = 0, n;
	int	 total = 0, digit = -1, d, u, any = 0;

	for (;;) {
		if ((d = law_cn_digit(s + at, &n)) >= 0) {
			digit = d;
			at += n;
			any = 1;
			continue;
		}
		for (u = 3; u >= 1; u--)
			if (strncmp(s + at, law_units[u], strlen(law_units[u])) == 0)
				break;
		if (u == 0)
			break;
		total += (digit < 0 ? 1 : digit) * (u == 1 ? 10 : u == 2 ? 100 : 1000);
		digit = -1;
		at += strlen(law_units[u]);
		any = 1;
	}
	if (!any)
		return -1;
	if (digit > 0)
		total += digit;
	*len = at;
	return total >= 1 && total <= LAW_MAX_ARTICLE ? total : -1;
}

/*
 * Finds an article reference in a reader's text s: 第五十一条, 第51条,
 * 51条 (with or without 第, in Chinese or Arabic numerals; spaces between
 * are allowed), and a trailing 之一. Sets *article and *sub (0 when none).
 * Returns the offset in s where the reference starts, or -1 when there is
 * none.
 */
int
law_query_article(const char *s, int *article, int *sub)
{
	size_t	 i, at, n;
	int	 v;

	for (i = 0; s[i] != '\0'; i++) {
		at = i;
		if (strncmp(s + at, "第", strlen("第")) == 0)
			at += strlen("第");
		while (s[at] == ' ')
			at++;
		if (s[at] >= '1' && s[at] <= '9') {
			for (v = 0, n = 0; s[at + n] >= '0' && s[at + n] <= '9' &&
			    n < 5; n++)
				v = v * 10 + (s[at + n] - '0');
			if (v > LAW_MAX_ARTICLE)
				v = -1;
		} else
			v = law_cn_number(s + at, &n);
		if (v < 1)
			continue;
		at += n;
		while (s[at] == ' ')
			at++;
		if (strncmp(s + at, "条", strlen("条")) != 0)
			continue;
		at += strlen("条");
		*article = v;
		*sub = 0;
		if (strncmp(s + at, "之", strlen("之")) == 0 &&
		    (v = law_cn_number(s + at + strlen("之"), &n)) > 0 &&
		    v <= LAW_MAX_SUB)
			*sub = v;
		return (int)i;
	}
	return -1;
}
