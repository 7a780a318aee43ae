/*
 * credit.c: credit repair. Checks unified social credit codes, reads the
 * calculator's form, and applies the rules of content/credit/ (loaded by
 * snap.c into struct credit_rules) to one penalty decision. Pure: no I/O,
 * no allocation; dates are "YYYY-MM-DD" strings, which compare as dates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "credit.h"

/* The 31 symbols of GB 32100-2015, in value order: digits, then letters but I O S V Z. */
static const char credit_symbols[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/*
 * The largest fine of a summary procedure (简易程序), in yuan, under
 * 《中华人民共和国行政处罚法》 (2021) Art. 51: 200 for a person, 3 000 for
 * an organisation. A bigger one cannot be a summary decision; when the
 * party is not given, the organisation's limit is the one that can hold.
 */
#define CREDIT_SIMPLE_MAX_FINE_PERSON	200.0
#define CREDIT_SIMPLE_MAX_FINE_ORG	3000.0

/* Kinds that leave nothing to carry out: a warning, a criticism. */
#define CREDIT_NOTHING_TO_DO	((1u << CREDIT_K_WARNING) | (1u << CREDIT_K_CRITICISM))

const struct credit_kind_name credit_kinds[CREDIT_K__MAX] = {
	[CREDIT_K_WARNING] = { "warning", "警告" },
	[CREDIT_K_CRITICISM] = { "criticism", "通报批评" },
	[CREDIT_K_FINE] = { "fine", "罚款" },
	[CREDIT_K_CONFISCATE_GAINS] = { "confiscate-gains", "没收违法所得" },
	[CREDIT_K_CONFISCATE_PROPERTY] = { "confiscate-property", "没收非法财物" },
	[CREDIT_K_LICENCE_SUSPENDED] = { "licence-suspended", "暂扣许可证件" },
	[CREDIT_K_QUALIFICATION] = { "qualification-lowered", "降低资质等级" },
	[CREDIT_K_LICENCE_REVOKED] = { "licence-revoked", "吊销许可证件" },
	[CREDIT_K_RESTRICTION] = { "business-restricted", "限制开展生产经营活动" },
	[CREDIT_K_SUSPENSION] = { "suspension", "责令停产停业" },
	[CREDIT_K_CLOSURE] = { "closure", "责令关闭" },
	[CREDIT_K_BAN] = { "employment-ban", "限制从业" },
};

static const char *const credit_tiers[] = { "", "minor", "general", "serious" };
static const char *const credit_confs[] = { "verified", "partial", "unverified" };

/*
 * Says where code fails GB 32100-2015: its length, a character outside the
 * 31 symbols, a non-digit in the area code (positions 3-8), or the check
 * character, 31 - (sum of value * 3^(i-1)) mod 31, mod 31. *pos (when not
 * NULL) gets the 0-based position of a bad character; *want (when not
 * NULL) the check character the first 17 call for.
 */
enum credit_code_state
credit_code_verdict(const char *code, int *pos, char *want)
{
	const char	*p;
	int		 i, sum = 0, weight = 1, c;

	if (strlen(code) != CREDIT_CODE_LEN)
		return CREDIT_CODE_LENGTH;
	for (i = 0; i < CREDIT_CODE_LEN; i++) {
		if (pos != NULL)
			*pos = i;
		if ((p = strchr(credit_symbols, code[i])) == NULL)
			return CREDIT_CODE_CHAR;
		if (i >= 2 && i <= 7 && (code[i] < '0' || code[i] > '9'))
			return CREDIT_CODE_AREA;
		if (i < CREDIT_CODE_LEN - 1) {
			sum += (int)(p - credit_symbols) * weight;
			weight = weight * 3 % 31;
		}
	}
	c = (31 - sum % 31) % 31;
	if (want != NULL)
		*want = credit_symbols[c];
	return credit_symbols[c] == code[CREDIT_CODE_LEN - 1] ?
	    CREDIT_CODE_OK : CREDIT_CODE_CHECK;
}

/*
 * Returns 1 when code is valid, 0 when its form is wrong, and -1 when only
 * the check character is wrong, with the expected one written to *want.
 */
int
credit_code_check(const char *code, char *want)
{
	switch (credit_code_verdict(code, NULL, want)) {
	case CREDIT_CODE_OK:
		return 1;
	case CREDIT_CODE_CHECK:
		return -1;
	default:
		return 0;
	}
}

/* The kind whose code (or, by_name, Chinese name) is s, or -1. */
static int
credit_kind_find(const char *s, int by_name)
{
	int	 k;

	for (k = 0; k < CREDIT_K__MAX; k++)
		if (strcmp(s, by_name ? credit_kinds[k].name :
		    credit_kinds[k].code) == 0)
			return k;
	return -1;
}

int
credit_kind_by_code(const char *code)
{
	return credit_kind_find(code, 0);
}

int
credit_kind_by_name(const char *name)
{
	return credit_kind_find(name, 1);
}

/*
 * The kind bits of a list of names (or codes, when sep is " ") separated
 * by sep, such as the feed's "罚款、没收违法所得". Unknown ones are skipped.
 */
unsigned
credit_kinds_by_names(const char *list, const char *sep)
{
	char		 word[64];
	const char	*end;
	size_t		 n, seplen = strlen(sep);
	unsigned	 bits = 0;
	int		 k;

	while (list != NULL && *list != '\0') {
		end = strstr(list, sep);
		n = end != NULL ? (size_t)(end - list) : strlen(list);
		if (n > 0 && n < sizeof(word)) {
			memcpy(word, list, n);
			word[n] = '\0';
			k = strcmp(sep, " ") == 0 ? credit_kind_by_code(word) :
			    credit_kind_by_name(word);
			if (k >= 0)
				bits |= 1u << k;
		}
		list = end != NULL ? end + seplen : NULL;
	}
	return bits;
}

const char *
credit_tier_code(enum credit_tier t)
{
	return credit_tiers[t];
}

/* The tier named code ("minor" ...), or CREDIT_TIER_UNKNOWN. */
enum credit_tier
credit_tier_by_code(const char *code)
{
	int	 t;

	for (t = CREDIT_TIER_MINOR; t <= CREDIT_TIER_SERIOUS; t++)
		if (code != NULL && strcmp(code, credit_tiers[t]) == 0)
			return (enum credit_tier)t;
	return CREDIT_TIER_UNKNOWN;
}

const char *
credit_conf_code(enum credit_conf c)
{
	return credit_confs[c];
}

/* The confidence named code; verified when it names none. */
enum credit_conf
credit_conf_by_code(const char *code)
{
	int	 i;

	for (i = CREDIT_CONF_PARTIAL; i <= CREDIT_CONF_UNVERIFIED; i++)
		if (code != NULL && strcmp(code, credit_confs[i]) == 0)
			return (enum credit_conf)i;
	return CREDIT_CONF_VERIFIED;
}

/*
 * Reads s, "YYYY-MM-DD", into tm (UTC midnight). Returns 0, or -1 when it
 * is not that form, or not a day of the calendar (2023-02-29), or outside
 * CREDIT_MIN_YEAR..CREDIT_MAX_YEAR.
 */
static int
credit_date_tm(const char *s, struct tm *tm)
{
	struct tm	 check;
	const char	*end;
	time_t		 t;
	int		 i;

	if (s == NULL || strlen(s) != 10)
		return -1;
	for (i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	memset(tm, 0, sizeof(*tm));
	if ((end = strptime(s, "%Y-%m-%d", tm)) == NULL || *end != '\0')
		return -1;
	/* strptime takes 02-30; the round trip through timegm does not. */
	check = *tm;
	t = timegm(&check);
	gmtime_r(&t, &check);
	if (check.tm_mday != tm->tm_mday || check.tm_mon != tm->tm_mon ||
	    tm->tm_year + 1900 < CREDIT_MIN_YEAR ||
	    tm->tm_year + 1900 > CREDIT_MAX_YEAR)
		return -1;
	return 0;
}

/* Returns 1 when s is a real day written "YYYY-MM-DD", else 0. */
int
credit_date_valid(const char *s)
{
	struct tm	 tm;

	return credit_date_tm(s, &tm) == 0;
}

/*
 * Writes to out (CREDIT_DATE_SIZE) the day months after date. A period of
 * months ends on the same day of the month it ends in; when that month is
 * too short, on its last day (2024-08-31 + 6 months = 2025-02-28). Returns
 * 0, or -1 when date is not valid.
 */
int
credit_add_months(const char *date, int months, char *out)
{
	struct tm	 tm, last;
	time_t		 t;
	int		 total;

	if (credit_date_tm(date, &tm) == -1)
		return -1;
	total = tm.tm_year * 12 + tm.tm_mon + months;
	/* Day 0 of the next month is the last day of this one: libc's timegm
	 * knows the lengths of months and leap years. */
	memset(&last, 0, sizeof(last));
	last.tm_year = total / 12;
	last.tm_mon = total % 12 + 1;
	last.tm_mday = 0;
	t = timegm(&last);
	gmtime_r(&t, &last);
	if (tm.tm_mday < last.tm_mday)
		last.tm_mday = tm.tm_mday;
	strftime(out, CREDIT_DATE_SIZE, "%Y-%m-%d", &last);
	return 0;
}

/* Writes to out the day days after date. Returns 0, or -1 when date is not valid. */
int
credit_add_days(const char *date, int days, char *out)
{
	struct tm	 tm;
	time_t		 t;

	if (credit_date_tm(date, &tm) == -1)
		return -1;
	t = timegm(&tm) + (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(out, CREDIT_DATE_SIZE, "%Y-%m-%d", &tm);
	return 0;
}

/* Adds a problem to probs (room for max) unless full; returns the new count. */
static int
credit_problem(struct credit_problem *probs, int n, int max, const char *field,
    const char *code, const char *message)
{
	if (n < max) {
		probs[n].field = field;
		probs[n].code = code;
		probs[n].message = message;
	}
	return n + 1;
}

/* A value that was sent and is not empty. */
static int
credit_given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/*
 * Reads an optional date field into dst: empty when absent. Checks it is
 * a date no later than today and, when after is given, no earlier than it.
 */
static int
credit_read_date(const char *field, const char *value, const char *today,
    const char *after, const char *order_msg, char *dst,
    struct credit_problem *probs, int n, int max)
{
	dst[0] = '\0';
	if (!credit_given(value))
		return n;
	if (!credit_date_valid(value))
		return credit_problem(probs, n, max, field, "invalid",
		    "日期应为“年-月-日”的形式，如 2025-06-30，且是日历上存在的日子。");
	if (strcmp(value, today) > 0)
		return credit_problem(probs, n, max, field, "future",
		    "日期不能晚于今天。");
	if (after != NULL && after[0] != '\0' && strcmp(value, after) < 0)
		return credit_problem(probs, n, max, field, "order", order_msg);
	memcpy(dst, value, CREDIT_DATE_SIZE);
	return n;
}

/*
 * Copies s to out (CREDIT_MAX_FINE_TEXT bytes) in ASCII: full-width digits
 * (０-９), point (．), comma (，) and minus (－) become their ASCII forms.
 * Returns 0, or -1 when s does not fit.
 */
static int
credit_amount_ascii(const char *s, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		 n = 0;
	unsigned	 c;

	for (; *p != '\0'; n++) {
		if (n + 1 >= CREDIT_MAX_FINE_TEXT)
			return -1;
		/* U+FF0C..U+FF19 are EF BC 8C..99: ， － ． ／ ０..９ */
		if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x8C && p[2] <= 0x99) {
			c = p[2] - 0x8C + ',';
			out[n] = c == '/' ? '?' : (char)c;
			p += 3;
		} else
			out[n] = (char)*p++;
	}
	out[n] = '\0';
	return 0;
}

/*
 * Drops the thousands separators of s in place: each comma must follow a
 * digit and be followed by exactly three digits before the next comma or
 * the point ("30,000", "1,234,567.50"). Returns 0, or -1 when they are
 * misplaced ("3,00", ",300", "300,").
 */
static int
credit_amount_ungroup(char *s)
{
	char	*r, *w = s;
	int	 run = 0, grouped = 0;

	for (r = s; *r != '\0' && *r != '.'; r++) {
		if (*r == ',') {
			if (run == 0 || (grouped && run != 3) || (!grouped && run > 3))
				return -1;
			grouped = 1;
			run = 0;
			continue;
		}
		run = *r >= '0' && *r <= '9' ? run + 1 : 0;
		*w++ = *r;
	}
	if (grouped && run != 3)
		return -1;
	memmove(w, r, strlen(r) + 1);
	return strchr(s, ',') != NULL ? -1 : 0;
}

/*
 * Reads an amount in yuan: digits, and at most two decimals; full-width
 * digits and thousands separators are taken ("３０，０００", "30,000").
 * Returns 0, -1 when it is not such a number, or -2 when it is negative.
 */
int
credit_read_amount(const char *s, double *fine)
{
	char		 buf[CREDIT_MAX_FINE_TEXT];
	const char	*p = buf;
	int		 digits = 0, decimals = -1;

	if (credit_amount_ascii(s, buf) == -1)
		return -1;
	if (*p == '-')
		return -2;
	if (credit_amount_ungroup(buf) == -1)
		return -1;
	for (; *p != '\0'; p++) {
		if (*p == '.' && decimals == -1 && digits > 0)
			decimals = 0;
		else if (*p >= '0' && *p <= '9')
			decimals >= 0 ? decimals++ : digits++;
		else
			return -1;
	}
	if (digits == 0 || decimals == 0 || decimals > 2 || digits > 12)
		return -1;
	*fine = strtod(buf, NULL);
	return 0;
}

/* The kind= values: known, not repeated past the number of kinds. */
static int
credit_read_kinds(const struct credit_input *in, struct credit_case *c,
    struct credit_problem *probs, int n, int max)
{
	int	 i, k;

	if (in->nkinds > CREDIT_K__MAX)
		return credit_problem(probs, n, max, "kind", "too_many",
		    "处罚种类选择的项目过多。");
	for (i = 0; i < in->nkinds; i++) {
		if (!credit_given(in->kinds[i]))
			continue;
		if ((k = credit_kind_by_code(in->kinds[i])) < 0)
			return credit_problem(probs, n, max, "kind", "unknown",
			    "处罚种类不在可选范围内，请从列表中选择。");
		c->kinds |= 1u << k;
	}
	if (c->kinds == 0)
		return credit_problem(probs, n, max, "kind", "missing",
		    "请至少选择一种处罚种类。");
	return n;
}

/* The fine: needed with 罚款, refused without it. */
static int
credit_read_fine_field(const struct credit_input *in, struct credit_case *c,
    struct credit_problem *probs, int n, int max)
{
	int	 fined = (c->kinds & (1u << CREDIT_K_FINE)) != 0, rc;

	if (!credit_given(in->fine))
		return fined ? credit_problem(probs, n, max, "fine", "missing",
		    "选择了罚款，请填写罚款金额（元）。") : n;
	if (!fined && c->kinds != 0)
		return credit_problem(probs, n, max, "fine", "contradiction",
		    "填写了罚款金额，但处罚种类中没有选择“罚款”。");
	if ((rc = credit_read_amount(in->fine, &c->fine)) == -2)
		return credit_problem(probs, n, max, "fine", "negative",
		    "罚款金额不能是负数。");
	if (rc == -1)
		return credit_problem(probs, n, max, "fine", "invalid",
		    "请用数字填写罚款金额（元），最多两位小数，如 5000、30,000 或 5000.50。");
	if (c->fine > CREDIT_MAX_FINE)
		return credit_problem(probs, n, max, "fine", "range",
		    "罚款金额超出了可以计算的范围（100 亿元）。");
	return n;
}

/* Procedure against kinds: a summary decision is a warning or a small fine. */
static int
credit_read_procedure(const struct credit_input *in, struct credit_case *c,
    struct credit_problem *probs, int n, int max)
{
	unsigned	 simple_kinds = (1u << CREDIT_K_WARNING) | (1u << CREDIT_K_FINE);

	if (!credit_given(in->procedure))
		return credit_problem(probs, n, max, "procedure", "missing",
		    "请选择处罚适用的程序：普通程序或简易程序。");
	if (strcmp(in->procedure, "general") == 0)
		c->procedure = CREDIT_PROC_GENERAL;
	else if (strcmp(in->procedure, "simple") == 0)
		c->procedure = CREDIT_PROC_SIMPLE;
	else
		return credit_problem(probs, n, max, "procedure", "invalid",
		    "程序只能是普通程序或简易程序。");
	if (c->procedure == CREDIT_PROC_SIMPLE && (c->kinds & ~simple_kinds))
		return credit_problem(probs, n, max, "procedure", "contradiction",
		    "简易程序只能给予警告或者较小数额的罚款，与所选的处罚种类矛盾。");
	if (c->procedure == CREDIT_PROC_SIMPLE && c->party == CREDIT_PARTY_PERSON &&
	    c->fine > CREDIT_SIMPLE_MAX_FINE_PERSON)
		return credit_problem(probs, n, max, "procedure", "contradiction",
		    "对个人适用简易程序的罚款不超过 200 元，与填写的罚款金额矛盾。");
	if (c->procedure == CREDIT_PROC_SIMPLE && c->fine > CREDIT_SIMPLE_MAX_FINE_ORG)
		return credit_problem(probs, n, max, "procedure", "contradiction",
		    "简易程序的罚款不超过 3000 元（对个人不超过 200 元），与填写的罚款金额矛盾。");
	return n;
}

/* Who was penalised: optional; a person or an organisation. */
static int
credit_read_party(const struct credit_input *in, struct credit_case *c,
    struct credit_problem *probs, int n, int max)
{
	if (!credit_given(in->party))
		return n;
	if (strcmp(in->party, "person") == 0)
		c->party = CREDIT_PARTY_PERSON;
	else if (strcmp(in->party, "organisation") == 0)
		c->party = CREDIT_PARTY_ORG;
	else
		return credit_problem(probs, n, max, "party", "invalid",
		    "受处罚的一方只能是个人或者单位。");
	return n;
}

/*
 * Reads the calculator's form into c, against today ("YYYY-MM-DD"). Each
 * problem goes into probs (room for max), in the order of the form. Returns
 * the number of problems, which may exceed max; 0 when c is complete.
 */
int
credit_read(const struct credit_input *in, const char *today,
    struct credit_case *c, struct credit_problem *probs, int max)
{
	struct credit_problem	 kp[2];	/* kinds and fine: one problem each at most */
	int			 n = 0, nk, i;

	memset(c, 0, sizeof(*c));
	memcpy(c->applied, today, CREDIT_DATE_SIZE);
	if (!credit_given(in->date))
		n = credit_problem(probs, n, max, "date", "missing",
		    "请填写处罚决定日期。");
	else
		n = credit_read_date("date", in->date, today, NULL, NULL,
		    c->decided, probs, n, max);
	/* The procedure is checked against the kinds and the fine, which come
	 * after it on the form: read them first, report them in form order. */
	nk = credit_read_kinds(in, c, kp, 0, 2);
	nk = credit_read_fine_field(in, c, kp, nk, 2);
	n = credit_read_party(in, c, probs, n, max);
	n = credit_read_procedure(in, c, probs, n, max);
	for (i = 0; i < nk; i++)
		n = credit_problem(probs, n, max, kp[i].field, kp[i].code,
		    kp[i].message);
	if (!credit_given(in->domain))
		n = credit_problem(probs, n, max, "domain", "missing",
		    "请选择执法领域。");
	else if (strlen(in->domain) >= sizeof(c->domain))
		n = credit_problem(probs, n, max, "domain", "unknown",
		    "执法领域不在可选范围内，请从列表中选择。");
	else
		strcpy(c->domain, in->domain);	/* fits: checked above */
	if (credit_given(in->tier) &&
	    (c->tier = credit_tier_by_code(in->tier)) == CREDIT_TIER_UNKNOWN)
		n = credit_problem(probs, n, max, "tier", "invalid",
		    "失信程度只能是轻微、一般、严重或“不清楚”。");
	n = credit_read_date("published", in->published, today, c->decided,
	    "公示日期不能早于处罚决定日期。", c->published, probs, n, max);
	n = credit_read_date("fulfilled", in->fulfilled, today, c->decided,
	    "履行完毕日期不能早于处罚决定日期。", c->fulfilled, probs, n, max);
	return n;
}

/* Returns 1 when code is one of the space-separated codes in list. */
static int
credit_domain_in(const char *list, const char *code)
{
	size_t		 n = strlen(code);
	const char	*p;

	for (p = list; n > 0 && (p = strstr(p, code)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/*
 * Returns 1 when every condition of r holds for c. tier is the case's;
 * CREDIT_TIER_UNKNOWN for tier rules, whose tier is what they give.
 */
static int
credit_rule_holds(const struct credit_rule *r, const struct credit_case *c,
    enum credit_tier tier)
{
	if (tier != CREDIT_TIER_UNKNOWN && r->tier != CREDIT_TIER_UNKNOWN &&
	    r->tier != tier)
		return 0;
	if (r->procedure != CREDIT_PROC_ANY && r->procedure != c->procedure)
		return 0;
	if (r->any_kinds != 0 && (r->any_kinds & c->kinds) == 0)
		return 0;
	if (r->only_kinds != 0 && (c->kinds & ~r->only_kinds) != 0)
		return 0;
	if (r->domains[0] != '\0' && !credit_domain_in(r->domains, c->domain))
		return 0;
	if (r->min_fine >= 0 && ((c->kinds & (1u << CREDIT_K_FINE)) == 0 ||
	    c->fine < r->min_fine))
		return 0;
	return 1;
}

/* The first of n rules that holds, or NULL. */
static const struct credit_rule *
credit_first(const struct credit_rule *rules, int n,
    const struct credit_case *c, enum credit_tier tier)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (credit_rule_holds(&rules[i], c, tier))
			return &rules[i];
	return NULL;
}

static int
credit_in_force(const struct credit_regime *r, const char *day)
{
	return strcmp(day, r->from) >= 0 &&
	    (r->until[0] == '\0' || strcmp(day, r->until) <= 0);
}

/*
 * The regime for c on day: one whose scope names c's domain and is in
 * force that day; else the general one in force then. NULL when no regime
 * covers the day.
 */
static const struct credit_regime *
credit_regime_on(const struct credit_rules *rules,
    const struct credit_case *c, const char *day, enum credit_why *why)
{
	const struct credit_regime *general = NULL;
	int		 i, later = 0;

	for (i = 0; i < rules->n; i++) {
		const struct credit_regime *r = &rules->r[i];
		int scoped = r->domains[0] != '\0';

		if (scoped && !credit_domain_in(r->domains, c->domain))
			continue;
		if (!credit_in_force(r, day)) {
			later |= scoped && strcmp(day, r->from) < 0;
			continue;
		}
		if (scoped) {
			*why = CREDIT_WHY_DOMAIN;
			return r;
		}
		general = r;
	}
	*why = later ? CREDIT_WHY_DOMAIN_EARLY : CREDIT_WHY_DATE;
	return general;
}

/*
 * The regime whose conditions, documents and offices an application on
 * c->applied follows (the transition rule, in this one place): the one in
 * force that day when it says it takes such applications, else r itself.
 * The application cannot come before the earliest day it may be made.
 */
static const struct credit_regime *
credit_apply_regime(const struct credit_rules *rules,
    const struct credit_case *c, const struct credit_answer *a)
{
	const struct credit_regime *later;
	const char	*day = c->applied;
	enum credit_why	 why;

	if (day[0] == '\0')
		return a->regime;
	if (a->earliest[0] != '\0' && strcmp(a->earliest, day) > 0)
		day = a->earliest;
	later = credit_regime_on(rules, c, day, &why);
	return later != NULL && later != a->regime && later->transition &&
	    strcmp(later->from, a->regime->from) > 0 ? later : a->regime;
}

/*
 * The tier: the given one, or the first tier rule's, or the default.
 * Returns 0, or -1 when none of them gives one: the reader must say.
 */
static int
credit_tier_for(const struct credit_regime *r, const struct credit_case *c,
    struct credit_answer *a)
{
	const struct credit_rule *t;

	a->tier = c->tier;
	a->tier_rule = -1;
	if (c->tier != CREDIT_TIER_UNKNOWN)
		return 0;
	a->tier_assumed = 1;
	if ((t = credit_first(r->tiers, r->ntiers, c, CREDIT_TIER_UNKNOWN)) != NULL) {
		a->tier = t->tier;
		a->tier_rule = t->ord;
	} else
		a->tier = r->default_tier;
	return a->tier == CREDIT_TIER_UNKNOWN ? -1 : 0;
}

/* The ends of the periods and what repair can do, once a->period is set. */
static void
credit_periods(const struct credit_regime *r, const struct credit_case *c,
    struct credit_answer *a)
{
	char	 after[CREDIT_DATE_SIZE];

	/* A date that cannot be computed is left empty: "unknown", never garbage. */
	if (a->period->min_months >= 0 && credit_add_months(a->base,
	    a->period->min_months, a->min_end) == -1)
		a->min_end[0] = '\0';
	if (a->period->max_months >= 0 && credit_add_months(a->base,
	    a->period->max_months, a->max_end) == -1)
		a->max_end[0] = '\0';
	if ((a->never_kinds = c->kinds & r->never_early) != 0) {
		a->repair = CREDIT_REPAIR_NEVER;
		return;
	}
	if (a->min_end[0] == '\0') {
		a->repair = CREDIT_REPAIR_UNKNOWN;
		return;
	}
	/* The minimum period's last day is min_end: one may apply the day after. */
	if (credit_add_days(a->min_end, 1, after) == -1) {
		a->repair = CREDIT_REPAIR_UNKNOWN;
		return;
	}
	a->fulfil_first = a->unfulfilled;
	memcpy(a->earliest, !a->fulfil_first && strcmp(c->fulfilled, after) > 0 ?
	    c->fulfilled : after, CREDIT_DATE_SIZE);
	a->repair = a->max_end[0] != '\0' && strcmp(a->earliest, a->max_end) > 0 ?
	    CREDIT_REPAIR_MOOT : CREDIT_REPAIR_FROM;
}

/* credit_assess once the regime and tier are known: publication and periods. */
static int
credit_assess_periods(const struct credit_regime *r,
    const struct credit_case *c, struct credit_answer *a)
{
	if ((a->unpublished = credit_first(r->unpublished, r->nunpublished, c,
	    a->tier)) != NULL)
		a->published = 0;
	if ((a->period = credit_first(r->periods, r->nperiods, c, a->tier)) == NULL)
		return -1;
	a->base_estimated = r->from_publication && c->published[0] == '\0';
	memcpy(a->base, r->from_publication && !a->base_estimated ? c->published :
	    c->decided, CREDIT_DATE_SIZE);
	if (!a->published && !a->unpublished->in_principle) {
		a->period = NULL;
		a->repair = CREDIT_REPAIR_NOT_PUBLISHED;
		return 0;
	}
	credit_periods(r, c, a);
	return 0;
}

/*
 * Applies rules to c (complete, from credit_read or a record) and fills a.
 * Returns 0; -1 when no regime covers the decision date or the regime has
 * no period rule that holds (fazhi check refuses such rules); -2 when the
 * tier was not given and the regime's rules cannot tell it.
 */
int
credit_assess(const struct credit_rules *rules, const struct credit_case *c,
    struct credit_answer *a)
{
	const struct credit_regime *r;
	int		 rc;

	memset(a, 0, sizeof(*a));
	a->published = 1;
	if ((r = a->regime = credit_regime_on(rules, c, c->decided,
	    &a->why)) == NULL)
		return -1;
	a->apply_regime = r;
	a->unfulfilled = c->fulfilled[0] == '\0' &&
	    (c->kinds & ~CREDIT_NOTHING_TO_DO) != 0;
	if (credit_tier_for(r, c, a) == -1)
		return -2;
	rc = credit_assess_periods(r, c, a);
	if (rc == 0)
		a->apply_regime = credit_apply_regime(rules, c, a);
	return rc;
}

/*
 * Where publication of an assessed case stands on day today. Past the
 * maximum period it has ended, unless the decision was not carried out and
 * the regime leaves such records to the sector's own rules.
 */
enum credit_status
credit_status(const struct credit_answer *a, const char *today)
{
	if (!a->published)
		return CREDIT_ST_NOT_PUBLISHED;
	if (a->max_end[0] != '\0' && strcmp(today, a->max_end) > 0)
		return a->unfulfilled && a->regime->unfulfilled ?
		    CREDIT_ST_UNFULFILLED : CREDIT_ST_ENDED;
	switch (a->repair) {
	case CREDIT_REPAIR_NEVER:
	case CREDIT_REPAIR_MOOT:
		return CREDIT_ST_UNTIL_END;
	case CREDIT_REPAIR_FROM:
		if (strcmp(today, a->earliest) < 0)
			return CREDIT_ST_WAIT;
		return a->fulfil_first ? CREDIT_ST_FULFIL_FIRST :
		    CREDIT_ST_CAN_APPLY;
	default:
		return CREDIT_ST_UNKNOWN;
	}
}
