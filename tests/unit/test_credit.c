/*
 * test_credit.c: unit tests for credit.c: unified social credit codes, dates
 * and month arithmetic, reading the calculator's form, the calculator
 * applied to the shipped rules (content/credit, built into a snapshot), and
 * a regime's texts read in one query (snap_credit_texts).
 */
/* checks: 461 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <sqlite3.h>

#include "build.h"
#include "credit.h"
#include "snap.h"
#include "unit.h"

/* ---- unified social credit codes ---------------------------------------- */

static void
test_codes(void)
{
	static const struct {
		const char		*code;
		enum credit_code_state	 want;
		char			 check;	/* the expected check character */
		const char		*what;
	} t[] = {
		{ "91310110666007217T", CREDIT_CODE_OK, 'T', "valid (reference)" },
		{ "91310115591693856A", CREDIT_CODE_OK, 'A', "valid (reference)" },
		{ "91330903L4L6FNG5KJ", CREDIT_CODE_OK, 'J', "valid (sample feed)" },
		{ "91350203M0001FUE2P", CREDIT_CODE_CHECK, 'J',
		    "early pilot code: check fails, a warning" },
		{ "91310110666007217A", CREDIT_CODE_CHECK, 'T', "wrong check character" },
		{ "913101106660072170", CREDIT_CODE_CHECK, 'T', "wrong check digit" },
		{ "91310110I66007217T", CREDIT_CODE_CHAR, 0, "I is not a symbol" },
		{ "91310110O66007217T", CREDIT_CODE_CHAR, 0, "O is not a symbol" },
		{ "91310110Z66007217T", CREDIT_CODE_CHAR, 0, "Z is not a symbol" },
		{ "91310110S66007217T", CREDIT_CODE_CHAR, 0, "S is not a symbol" },
		{ "91310110V66007217T", CREDIT_CODE_CHAR, 0, "V is not a symbol" },
		{ "91310110666007217t", CREDIT_CODE_CHAR, 0, "lower case" },
		{ "9131A110666007217T", CREDIT_CODE_AREA, 0, "letter in the area code" },
		{ "91310110666007217", CREDIT_CODE_LENGTH, 0, "17 characters" },
		{ "91310110666007217TT", CREDIT_CODE_LENGTH, 0, "19 characters" },
		{ "", CREDIT_CODE_LENGTH, 0, "empty" },
	};
	size_t	 i;
	char	 want;
	int	 pos;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		want = 0;
		UNIT_CHECK(credit_code_verdict(t[i].code, &pos, &want) == t[i].want,
		    "code %s: %s", t[i].code, t[i].what);
		if (t[i].check != 0)
			UNIT_CHECK(want == t[i].check, "code %s: check character "
			    "computed as %c (got %c)", t[i].code, t[i].check, want);
	}
	credit_code_verdict("91310110Z66007217T", &pos, NULL);
	UNIT_CHECK(pos == 8, "the bad character's position is reported (%d)", pos);
	UNIT_CHECK(credit_code_check("91310110666007217T", NULL) == 1 &&
	    credit_code_check("91310110666007217A", &want) == -1 &&
	    credit_code_check("91310110I66007217T", NULL) == 0,
	    "credit_code_check: 1 valid, -1 check character, 0 form");
}

/* ---- dates -------------------------------------------------------------- */

static void
test_dates(void)
{
	static const struct { const char *s; int ok; } valid[] = {
		{ "2024-02-29", 1 }, { "2023-02-29", 0 }, { "2000-02-29", 1 },
		{ "1900-02-29", 0 }, { "2024-13-01", 0 }, { "2024-04-31", 0 },
		{ "2024-1-01", 0 }, { "2024-01-01x", 0 }, { "abcd-ef-gh", 0 },
		{ "", 0 }, { "1989-12-31", 0 }, { "1990-01-01", 1 },
		{ "2100-12-31", 1 }, { "2101-01-01", 0 }, { "2024/01/01", 0 },
	};
	static const struct { const char *from; int months; const char *want; } add[] = {
		{ "2024-08-31", 6, "2025-02-28" },	/* month end: February */
		{ "2023-11-30", 3, "2024-02-29" },	/* into a leap February */
		{ "2024-02-29", 12, "2025-02-28" },	/* from 29 February */
		{ "2024-02-29", 48, "2028-02-29" },
		{ "2024-01-31", 1, "2024-02-29" },
		{ "2023-01-31", 1, "2023-02-28" },
		{ "2026-03-31", 3, "2026-06-30" },	/* June has 30 days */
		{ "2025-12-15", 1, "2026-01-15" },	/* over the year's end */
		{ "2024-05-31", 0, "2024-05-31" },
		{ "2023-05-01", 36, "2026-05-01" },
		{ "2024-03-31", -1, "2024-02-29" },
	};
	static const struct { const char *from; int days; const char *want; } days[] = {
		{ "2024-02-28", 1, "2024-02-29" }, { "2023-02-28", 1, "2023-03-01" },
		{ "2024-12-31", 1, "2025-01-01" }, { "2025-02-28", 1, "2025-03-01" },
	};
	char	 out[CREDIT_DATE_SIZE];
	size_t	 i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		UNIT_CHECK(credit_date_valid(valid[i].s) == valid[i].ok,
		    "date \"%s\" is %svalid", valid[i].s, valid[i].ok ? "" : "not ");
	for (i = 0; i < sizeof(add) / sizeof(add[0]); i++) {
		strcpy(out, "?");
		UNIT_CHECK(credit_add_months(add[i].from, add[i].months, out) == 0,
		    "%s + %d months is a date", add[i].from, add[i].months);
		UNIT_STREQ(out, add[i].want, "%s + %d months", add[i].from,
		    add[i].months);
	}
	for (i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		strcpy(out, "?");
		UNIT_CHECK(credit_add_days(days[i].from, days[i].days, out) == 0,
		    "%s + %d days is a date", days[i].from, days[i].days);
		UNIT_STREQ(out, days[i].want, "%s + %d day", days[i].from,
		    days[i].days);
	}
	UNIT_CHECK(credit_add_months("2023-02-29", 1, out) == -1,
	    "months after a day that does not exist: -1");
}

/* ---- the form ----------------------------------------------------------- */

#define TODAY	"2026-11-28"

/* A complete, sound form; tests change one field. */
static struct credit_input
good_input(void)
{
	struct credit_input	 in;

	memset(&in, 0, sizeof(in));
	in.date = "2025-06-30";
	in.procedure = "general";
	in.kinds[0] = "fine";
	in.nkinds = 1;
	in.fine = "5000";
	in.domain = "shirong";
	in.tier = "";
	in.fulfilled = "2025-07-10";
	return in;
}

/* Reads in and checks its first problem is field/code (NULL: none). */
static void
check_read(const struct credit_input *in, const char *field, const char *code,
    const char *what)
{
	struct credit_problem	 p[8];
	struct credit_case	 c;
	int			 n = credit_read(in, TODAY, &c, p, 8);

	if (field == NULL) {
		UNIT_CHECK(n == 0, "form: %s: no problem (got %d%s%s)", what, n,
		    n ? ", first " : "", n ? p[0].field : "");
		return;
	}
	UNIT_CHECK(n >= 1 && strcmp(p[0].field, field) == 0 &&
	    strcmp(p[0].code, code) == 0, "form: %s: %s/%s (got %s/%s)", what,
	    field, code, n ? p[0].field : "-", n ? p[0].code : "-");
}

/*
 * Amounts as people type them: full-width digits, thousands separators
 * (ASCII or full-width), and the forms that must still be refused.
 */
static void
test_amounts(void)
{
	static const struct {
		const char	*s;
		int		 rc;
		double		 want;
	} t[] = {
		{ "30000", 0, 30000 }, { "30,000", 0, 30000 },
		{ "\xef\xbc\x93\xef\xbc\x90\xef\xbc\x8c\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90",
		    0, 30000 },			/* ３０，０００ */
		{ "1,234,567.50", 0, 1234567.5 },
		{ "\xef\xbc\x95\xef\xbc\x90\xef\xbc\x8e\xef\xbc\x95", 0, 50.5 },	/* ５０．５ */
		{ "3,00", -1, 0 }, { ",300", -1, 0 }, { "300,", -1, 0 },
		{ "30,0000", -1, 0 }, { "1,234.5,6", -1, 0 }, { "30 000", -1, 0 },
		{ "\xef\xbc\x8d\xef\xbc\x95", -2, 0 },	/* －５ */
		{ "\xef\xbc\x8f", -1, 0 },		/* ／ */
	};
	char	 longer[CREDIT_MAX_FINE_TEXT + 1];
	double	 v;
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = 0;
		UNIT_CHECK(credit_read_amount(t[i].s, &v) == t[i].rc &&
		    (t[i].rc != 0 || v == t[i].want), "amount %s: %d", t[i].s,
		    t[i].rc);
	}
	memset(longer, '0', CREDIT_MAX_FINE_TEXT);
	longer[CREDIT_MAX_FINE_TEXT] = '\0';
	UNIT_CHECK(credit_read_amount(longer, &v) == -1,
	    "amount of CREDIT_MAX_FINE_TEXT bytes is refused");
	longer[CREDIT_MAX_FINE_TEXT - 1] = '\0';
	UNIT_CHECK(credit_read_amount(longer, &v) == -1,
	    "amount of CREDIT_MAX_FINE_TEXT - 1 zeros: too many digits, not too long");
}

static void
test_form(void)
{
	struct credit_input	 in;
	struct credit_problem	 p[8];
	struct credit_case	 c;
	int			 i;

	in = good_input();
	check_read(&in, NULL, NULL, "a complete form");
	UNIT_CHECK(credit_read(&in, TODAY, &c, p, 8) == 0 &&
	    strcmp(c.decided, "2025-06-30") == 0 && c.fine == 5000 &&
	    c.kinds == 1u << CREDIT_K_FINE && c.procedure == CREDIT_PROC_GENERAL &&
	    c.tier == CREDIT_TIER_UNKNOWN && strcmp(c.fulfilled, "2025-07-10") == 0,
	    "form: fields read into the case");
	in = good_input(); in.date = NULL;
	check_read(&in, "date", "missing", "no decision date");
	in = good_input(); in.date = "";
	check_read(&in, "date", "missing", "empty decision date");
	in = good_input(); in.date = "2025-02-30";
	check_read(&in, "date", "invalid", "a day that does not exist");
	in = good_input(); in.date = "<script>";
	check_read(&in, "date", "invalid", "garbage date");
	in = good_input(); in.date = "2026-11-29"; in.fulfilled = NULL;
	check_read(&in, "date", "future", "a decision after today");
	in = good_input(); in.fulfilled = "2025-06-29";
	check_read(&in, "fulfilled", "order", "fulfilled before the decision");
	in = good_input(); in.fulfilled = "2026-12-01";
	check_read(&in, "fulfilled", "future", "fulfilled after today");
	in = good_input(); in.published = "2025-06-01";
	check_read(&in, "published", "order", "published before the decision");
	in = good_input(); in.fine = "-100";
	check_read(&in, "fine", "negative", "negative fine");
	for (i = 0; i < 5; i++) {
		static const char *const bad[] = { "abc", "1e3", "12.345", "1.", ".5" };
		in = good_input(); in.fine = bad[i];
		check_read(&in, "fine", "invalid", bad[i]);
	}
	in = good_input(); in.fine = "10000000001";
	check_read(&in, "fine", "range", "a fine over CREDIT_MAX_FINE");
	in = good_input(); in.fine = "10000000000";
	check_read(&in, NULL, NULL, "a fine of exactly CREDIT_MAX_FINE");
	in = good_input(); in.fine = NULL;
	check_read(&in, "fine", "missing", "罚款 without an amount");
	in = good_input(); in.kinds[0] = "warning";
	check_read(&in, "fine", "contradiction", "an amount without 罚款");
	in = good_input(); in.kinds[0] = "flogging";
	check_read(&in, "kind", "unknown", "unknown kind");
	in = good_input(); in.kinds[0] = NULL; in.nkinds = 0; in.fine = NULL;
	check_read(&in, "kind", "missing", "no kind");
	in = good_input(); in.nkinds = CREDIT_K__MAX + 1;
	for (i = 0; i < in.nkinds; i++)
		in.kinds[i] = "fine";
	check_read(&in, "kind", "too_many", "more kind= values than kinds");
	in = good_input(); in.procedure = NULL;
	check_read(&in, "procedure", "missing", "no procedure");
	in = good_input(); in.procedure = "secret";
	check_read(&in, "procedure", "invalid", "unknown procedure");
	in = good_input(); in.procedure = "simple"; in.kinds[1] = "licence-revoked";
	in.nkinds = 2;
	check_read(&in, "procedure", "contradiction", "simple with a revocation");
	in = good_input(); in.procedure = "simple"; in.fine = "3000.01";
	check_read(&in, "procedure", "contradiction", "simple with a large fine");
	in = good_input(); in.procedure = "simple"; in.fine = "3000";
	check_read(&in, NULL, NULL, "simple with a 3000 yuan fine");
	in = good_input(); in.procedure = "simple"; in.fine = "3000";
	in.party = "organisation";
	check_read(&in, NULL, NULL, "simple, 3000 yuan, an organisation");
	in = good_input(); in.procedure = "simple"; in.fine = "200.01";
	in.party = "person";
	check_read(&in, "procedure", "contradiction",
	    "simple, over 200 yuan, a person (行政处罚法 Art. 51)");
	in = good_input(); in.procedure = "simple"; in.fine = "200";
	in.party = "person";
	check_read(&in, NULL, NULL, "simple, 200 yuan, a person");
	in = good_input(); in.party = "robot";
	check_read(&in, "party", "invalid", "unknown party");
	test_amounts();
	in = good_input(); in.domain = NULL;
	check_read(&in, "domain", "missing", "no domain");
	in = good_input(); in.tier = "huge";
	check_read(&in, "tier", "invalid", "unknown tier");
	in = good_input(); in.date = NULL; in.fine = "-1";
	UNIT_CHECK(credit_read(&in, TODAY, &c, p, 1) == 2,
	    "form: every problem is counted, even past the room given");
}

/* ---- the calculator on the shipped rules -------------------------------- */

struct calc {
	const char	*what;
	const char	*date, *published, *fulfilled, *proc, *kinds, *fine;
	const char	*domain, *tier;
	const char	*regime;	/* NULL: no regime covers the date */
	int		 published_ok;	/* published at all */
	const char	*min_end, *max_end;
	enum credit_repair repair;
	const char	*earliest;
};

static const struct calc calcs[] = {
	/* Regime boundaries: the decision date decides. */
	{ "last day of Order 58", "2026-03-31", "", "2026-04-10", "general", "fine",
	    "5000", "shirong", "general", "ndrc-order-58", 1, "2026-06-30",
	    "2029-03-31", CREDIT_REPAIR_FROM, "2026-07-01" },
	{ "first day of Order 36", "2026-04-01", "", "2026-04-10", "general", "fine",
	    "5000", "shirong", "general", "ndrc-order-36", 1, "2026-07-01",
	    "2027-04-01", CREDIT_REPAIR_FROM, "2026-07-02" },
	{ "last day of the 2019 notice", "2023-04-30", "", "2023-05-05", "general",
	    "fine", "5000", "shirong", "", "ndrc-2019-527", 1, "2023-07-30",
	    "2024-04-30", CREDIT_REPAIR_FROM, "2023-07-31" },
	{ "first day of Order 58", "2023-05-01", "", "2023-05-05", "general",
	    "fine", "5000", "shirong", "", "ndrc-order-58", 1, "2023-08-01",
	    "2026-05-01", CREDIT_REPAIR_FROM, "2023-08-02" },
	{ "first day of the 2019 notice", "2019-07-01", "", "2019-07-02", "general",
	    "warning", "", "shirong", "", "ndrc-2019-527", 1, "2019-10-01",
	    "2020-07-01", CREDIT_REPAIR_FROM, "2019-10-02" },
	{ "before any regime", "2019-06-30", "", "", "general", "warning", "",
	    "shirong", "", NULL, 0, "", "", 0, "" },
	/* Tiers. */
	{ "2019 serious", "2020-01-10", "", "2020-01-20", "general", "fine", "200000",
	    "shirong", "serious", "ndrc-2019-527", 1, "2020-07-10", "2023-01-10",
	    CREDIT_REPAIR_FROM, "2020-07-11" },
	{ "2019 minor counts as general", "2020-01-10", "", "2020-01-20", "general",
	    "fine", "200", "shirong", "minor", "ndrc-2019-527", 1, "2020-04-10",
	    "2021-01-10", CREDIT_REPAIR_FROM, "2020-04-11" },
	{ "Order 36 minor: in principle unpublished, at most 3 months", "2026-05-10",
	    "", "2026-05-12", "general", "fine", "500", "shirong", "minor",
	    "ndrc-order-36", 0, "2026-05-10", "2026-08-10", CREDIT_REPAIR_FROM,
	    "2026-05-12" },
	{ "Order 36 serious", "2026-05-10", "", "2026-05-12", "general", "fine",
	    "500000", "shirong", "serious", "ndrc-order-36", 1, "2027-05-10",
	    "2029-05-10", CREDIT_REPAIR_FROM, "2027-05-11" },
	{ "Order 36 summary procedure: assumed minor", "2026-05-10", "", "2026-05-10",
	    "simple", "warning", "", "shirong", "", "ndrc-order-36", 0, "2026-05-10",
	    "2026-08-10", CREDIT_REPAIR_FROM, "2026-05-11" },
	{ "Order 36 criticism only: assumed minor", "2026-05-10", "", "2026-05-10",
	    "general", "criticism", "", "shirong", "", "ndrc-order-36", 0,
	    "2026-05-10", "2026-08-10", CREDIT_REPAIR_FROM, "2026-05-11" },
	{ "Order 36 counts from the decision even with a publication date",
	    "2026-05-10", "2026-06-01", "2026-05-20", "general", "fine", "8000",
	    "shirong", "general", "ndrc-order-36", 1, "2026-08-10", "2027-05-10",
	    CREDIT_REPAIR_FROM, "2026-08-11" },
	/* Order 58's domains with a one-year minimum, and 29 February. */
	{ "Order 58 work safety, serious, from 29 February", "2024-02-29", "",
	    "2024-03-05", "general", "fine", "50000", "yingji", "serious",
	    "ndrc-order-58", 1, "2025-02-28", "2027-02-28", CREDIT_REPAIR_FROM,
	    "2025-03-01" },
	{ "Order 58 fire, serious", "2024-06-15", "", "2024-06-20", "general", "fine",
	    "50000", "xiaofang", "serious", "ndrc-order-58", 1, "2025-06-15",
	    "2027-06-15", CREDIT_REPAIR_FROM, "2025-06-16" },
	{ "Order 58 fire, general: still one year", "2024-06-15", "", "2024-06-20",
	    "general", "fine", "50000", "xiaofang", "general", "ndrc-order-58", 1,
	    "2025-06-15", "2027-06-15", CREDIT_REPAIR_FROM, "2025-06-16" },
	{ "Order 58 work safety, general, small fine: three months (Zhejiang)",
	    "2024-06-15", "", "2024-06-20", "general", "fine", "50000", "yingji",
	    "general", "ndrc-order-58", 1, "2024-09-15", "2027-06-15",
	    CREDIT_REPAIR_FROM, "2024-09-16" },
	{ "Order 58 other domain, serious: three months", "2024-06-15", "",
	    "2024-06-20", "general", "fine", "50000", "shirong", "serious",
	    "ndrc-order-58", 1, "2024-09-15", "2027-06-15", CREDIT_REPAIR_FROM,
	    "2024-09-16" },
	{ "Order 58 work safety, fine of 100000", "2024-06-15", "", "2024-06-20",
	    "general", "fine", "100000", "yingji", "", "ndrc-order-58", 1,
	    "2025-06-15", "2027-06-15", CREDIT_REPAIR_FROM, "2025-06-16" },
	{ "Order 58 work safety, fine just under 100000", "2024-06-15", "",
	    "2024-06-20", "general", "fine", "99999.99", "yingji", "",
	    "ndrc-order-58", 1, "2024-09-15", "2027-06-15", CREDIT_REPAIR_FROM,
	    "2024-09-16" },
	/* Fulfilment. */
	{ "fulfilled after the minimum period", "2024-06-15", "", "2024-12-01",
	    "general", "fine", "2000", "shirong", "", "ndrc-order-58", 1,
	    "2024-09-15", "2027-06-15", CREDIT_REPAIR_FROM, "2024-12-01" },
	{ "not yet fulfilled", "2024-06-15", "", "", "general", "fine", "2000",
	    "shirong", "", "ndrc-order-58", 1, "2024-09-15", "2027-06-15",
	    CREDIT_REPAIR_FROM, "2024-09-16" },
	{ "fulfilled after the maximum period: moot", "2020-01-10", "", "2021-03-01",
	    "general", "fine", "2000", "shirong", "", "ndrc-2019-527", 1,
	    "2020-04-10", "2021-01-10", CREDIT_REPAIR_MOOT, "2021-03-01" },
	/* Market regulation (SAMR Order 45) against other domains. */
	{ "market regulation: periods from publication", "2024-08-31", "", "2024-09-05",
	    "general", "fine", "20000", "shichang", "", "samr-order-45", 1, "",
	    "2027-08-31", CREDIT_REPAIR_UNKNOWN, "" },
	{ "market regulation with its publication date", "2024-08-31", "2024-09-20",
	    "2024-09-05", "general", "fine", "20000", "shichang", "",
	    "samr-order-45", 1, "", "2027-09-20", CREDIT_REPAIR_UNKNOWN, "" },
	{ "market regulation: summary procedure not published", "2024-08-31", "", "",
	    "simple", "fine", "200", "shichang", "", "samr-order-45", 0, "", "",
	    CREDIT_REPAIR_NOT_PUBLISHED, "" },
	{ "market regulation: warning only not published", "2024-08-31", "", "",
	    "general", "warning", "", "shichang", "", "samr-order-45", 0, "", "",
	    CREDIT_REPAIR_NOT_PUBLISHED, "" },
	{ "market regulation: criticism only, 3 months into 29 February",
	    "2023-11-20", "2023-11-30", "", "general", "criticism", "", "shichang",
	    "", "samr-order-45", 1, "", "2024-02-29", CREDIT_REPAIR_UNKNOWN, "" },
	{ "market regulation before its rules: the 2019 notice", "2021-08-31", "",
	    "2021-09-01", "general", "fine", "2000", "shichang", "", "ndrc-2019-527",
	    1, "2021-11-30", "2022-08-31", CREDIT_REPAIR_FROM, "2021-12-01" },
	{ "same penalty, other domain: Order 58", "2024-08-31", "", "2024-09-05",
	    "general", "fine", "20000", "shirong", "", "ndrc-order-58", 1,
	    "2024-11-30", "2027-08-31", CREDIT_REPAIR_FROM, "2024-12-01" },
};

/* Each penalty kind: what it does under Order 58 (work safety) and Order 45. */
static const struct {
	const char	*kind;
	int		 year_in_work_safety;	/* Order 58 yingji: 12-month minimum */
	int		 never_in_market;	/* Order 45: never stopped early */
	int		 unpublished_in_market;	/* Order 45 (general procedure) */
} kind_rows[] = {
	{ "warning", 0, 0, 1 },
	{ "criticism", 0, 0, 0 },
	{ "fine", 0, 0, 0 },
	{ "confiscate-gains", 0, 0, 0 },
	{ "confiscate-property", 0, 0, 0 },
	{ "licence-suspended", 1, 0, 0 },
	{ "qualification-lowered", 1, 1, 0 },
	{ "licence-revoked", 1, 1, 0 },
	{ "business-restricted", 1, 1, 0 },
	{ "suspension", 1, 1, 0 },
	{ "closure", 1, 0, 0 },
	{ "employment-ban", 1, 1, 0 },
};

/*
 * Issue 13: each numbered case, as a business owner would enter it, with
 * the answer the rule gives and where the rule comes from. status is as of
 * on; "" for the cases about the form's other parts (6, 7: integration).
 */
static const struct issue_row {
	const char	*what, *source;
	const char	*date, *published, *fulfilled, *proc, *kinds, *fine;
	const char	*domain, *tier;
	int		 rc;		/* credit_assess: 0, or -2 to ask the tier */
	const char	*regime, *apply_regime;
	enum credit_tier tier_got;
	int		 tier_assumed, published_ok;
	const char	*min_end, *max_end, *earliest;
	const char	*on;
	enum credit_status status;
} issue13[] = {
	{ .what = "1. Order 36 counts from the decision, not publication",
	  .source = "Order 36 final text as reported 2025-11-26: 公示期限自司法、"
	    "行政公务文书认定之日起开始计算",
	  .date = "2026-10-15", .published = "2026-10-27", .fulfilled = "",
	  .proc = "general", .kinds = "fine", .fine = "30000", .domain = "jianshe",
	  .tier = "general", .regime = "ndrc-order-36", .apply_regime = "ndrc-order-36",
	  .tier_got = CREDIT_TIER_GENERAL, .published_ok = 1,
	  .min_end = "2027-01-15", .max_end = "2027-10-15", .earliest = "2027-01-16",
	  .on = TODAY, .status = CREDIT_ST_WAIT },
	{ .what = "2. Order 36, tier left empty, licence revoked: serious, inferred",
	  .source = "Order 36 as reported: 吊销许可证件、责令停产停业、责令关闭、"
	    "限制从业 are serious; serious 1 to 3 years",
	  .date = "2026-05-29", .published = "", .fulfilled = "",
	  .proc = "general", .kinds = "licence-revoked", .fine = "",
	  .domain = "jianshe", .tier = "", .regime = "ndrc-order-36",
	  .apply_regime = "ndrc-order-36", .tier_got = CREDIT_TIER_SERIOUS,
	  .tier_assumed = 1, .published_ok = 1, .min_end = "2027-05-29",
	  .max_end = "2029-05-29", .earliest = "2027-05-30", .on = TODAY,
	  .status = CREDIT_ST_WAIT },
	{ .what = "2. Order 36, tier left empty, a fine only: the reader is asked",
	  .source = "Order 36 as reported: 巨额罚款 serious, 较大数额罚款 general; "
	    "the amounts are set by each sector",
	  .date = "2026-05-29", .published = "", .fulfilled = "",
	  .proc = "general", .kinds = "fine", .fine = "30000", .domain = "jianshe",
	  .tier = "", .rc = -2 },
	{ .what = "3. Order 58, warning only: not published",
	  .source = "not-published rule of ndrc-order-58.xml (article unverified)",
	  .date = "2024-06-15", .published = "", .fulfilled = "",
	  .proc = "general", .kinds = "warning", .fine = "", .domain = "shirong",
	  .tier = "", .regime = "ndrc-order-58", .apply_regime = "ndrc-order-36",
	  .tier_got = CREDIT_TIER_GENERAL, .tier_assumed = 1, .published_ok = 0,
	  .min_end = "2024-09-15", .max_end = "2027-06-15", .earliest = "2024-09-16",
	  .on = TODAY, .status = CREDIT_ST_NOT_PUBLISHED },
	{ .what = "3. Order 58, criticism only: not published",
	  .source = "not-published rule of ndrc-order-58.xml (article unverified)",
	  .date = "2024-06-15", .published = "", .fulfilled = "",
	  .proc = "general", .kinds = "criticism", .fine = "", .domain = "shirong",
	  .tier = "", .regime = "ndrc-order-58", .apply_regime = "ndrc-order-36",
	  .tier_got = CREDIT_TIER_GENERAL, .tier_assumed = 1, .published_ok = 0,
	  .min_end = "2024-09-15", .max_end = "2027-06-15", .earliest = "2024-09-16",
	  .on = TODAY, .status = CREDIT_ST_NOT_PUBLISHED },
	{ .what = "4. Order 58, fire, general tier: one-year minimum",
	  .source = "Shenzhen guidance on Order 58: 特种设备、安全生产、消防 "
	    "minimum one year",
	  .date = "2025-02-10", .published = "", .fulfilled = "2025-02-20",
	  .proc = "general", .kinds = "fine", .fine = "5000", .domain = "xiaofang",
	  .tier = "general", .regime = "ndrc-order-58", .apply_regime = "ndrc-order-36",
	  .tier_got = CREDIT_TIER_GENERAL, .published_ok = 1,
	  .min_end = "2026-02-10", .max_end = "2028-02-10", .earliest = "2026-02-11",
	  .on = TODAY, .status = CREDIT_ST_CAN_APPLY },
	{ .what = "4. Order 58, work safety, general tier, small fine: three months",
	  .source = "Wenzhou guidance: in Zhejiang only serious work-safety "
	    "penalties take one year",
	  .date = "2025-02-10", .published = "", .fulfilled = "2025-02-20",
	  .proc = "general", .kinds = "fine", .fine = "5000", .domain = "yingji",
	  .tier = "general", .regime = "ndrc-order-58", .apply_regime = "ndrc-order-36",
	  .tier_got = CREDIT_TIER_GENERAL, .published_ok = 1,
	  .min_end = "2025-05-10", .max_end = "2028-02-10", .earliest = "2025-05-11",
	  .on = TODAY, .status = CREDIT_ST_CAN_APPLY },
	{ .what = "5. Order 36, not carried out, past the maximum: sector rules",
	  .source = "Order 36 as reported: records not carried out follow the "
	    "sector's own rules",
	  .date = "2026-04-10", .published = "", .fulfilled = "",
	  .proc = "general", .kinds = "fine", .fine = "30000", .domain = "jianshe",
	  .tier = "general", .regime = "ndrc-order-36", .apply_regime = "ndrc-order-36",
	  .tier_got = CREDIT_TIER_GENERAL, .published_ok = 1,
	  .min_end = "2026-07-10", .max_end = "2027-04-10", .earliest = "2026-07-11",
	  .on = "2027-04-11", .status = CREDIT_ST_UNFULFILLED },
	{ .what = "5. Order 36, carried out, past the maximum: ended",
	  .source = "Order 36 as reported: general 3 months to 1 year",
	  .date = "2026-04-10", .published = "", .fulfilled = "2026-04-20",
	  .proc = "general", .kinds = "fine", .fine = "30000", .domain = "jianshe",
	  .tier = "general", .regime = "ndrc-order-36", .apply_regime = "ndrc-order-36",
	  .tier_got = CREDIT_TIER_GENERAL, .published_ok = 1,
	  .min_end = "2026-07-10", .max_end = "2027-04-10", .earliest = "2026-07-11",
	  .on = "2027-04-11", .status = CREDIT_ST_ENDED },
	{ .what = "5. Order 36, a warning is nothing to carry out: ended",
	  .source = "Order 36 as reported: minor at most 3 months",
	  .date = "2026-04-10", .published = "", .fulfilled = "",
	  .proc = "simple", .kinds = "warning", .fine = "", .domain = "jianshe",
	  .tier = "", .regime = "ndrc-order-36", .apply_regime = "ndrc-order-36",
	  .tier_got = CREDIT_TIER_MINOR, .tier_assumed = 1, .published_ok = 0,
	  .min_end = "2026-04-10", .max_end = "2026-07-10", .earliest = "2026-04-11",
	  .on = "2026-07-11", .status = CREDIT_ST_NOT_PUBLISHED },
	{ .what = "8. March 2025 decision applied for now: Order 58 periods, "
	    "Order 36 application",
	  .source = "transition rule of ndrc-order-36.xml (unverified), as the "
	    "guide repair-timing says",
	  .date = "2025-03-10", .published = "", .fulfilled = "2025-04-01",
	  .proc = "general", .kinds = "fine", .fine = "5000", .domain = "shirong",
	  .tier = "general", .regime = "ndrc-order-58", .apply_regime = "ndrc-order-36",
	  .tier_got = CREDIT_TIER_GENERAL, .published_ok = 1,
	  .min_end = "2025-06-10", .max_end = "2028-03-10", .earliest = "2025-06-11",
	  .on = TODAY, .status = CREDIT_ST_CAN_APPLY },
};

/* Builds the shipped content into a snapshot and opens it. */
static struct snap *
open_rules(char *path, size_t n)
{
	char	*argv[] = { "build", "--content", "content", "--output", path, NULL };
	int	 fd;

	snprintf(path, n, "%s/fazhi-credit-XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp");
	if ((fd = mkstemp(path)) == -1)
		return NULL;
	close(fd);
	if (build_main(5, argv) != 0)
		return NULL;
	return snap_open(path);
}

/* The case of a calc row, read through credit_read as the form would be. */
static int
calc_case(const struct calc *t, struct credit_case *c)
{
	struct credit_input	 in;
	struct credit_problem	 p[8];
	char			 kinds[128], *k, *save = NULL;
	int			 n;

	memset(&in, 0, sizeof(in));
	in.date = t->date;
	in.published = t->published;
	in.fulfilled = t->fulfilled;
	in.procedure = t->proc;
	in.fine = t->fine;
	in.domain = t->domain;
	in.tier = t->tier;
	snprintf(kinds, sizeof(kinds), "%s", t->kinds);
	for (k = strtok_r(kinds, " ", &save); k != NULL && in.nkinds < CREDIT_K__MAX;
	    k = strtok_r(NULL, " ", &save))
		in.kinds[in.nkinds++] = k;
	n = credit_read(&in, TODAY, c, p, 8);
	if (n > 0)
		printf("#   %s: %s: %s\n", t->what, p[0].field, p[0].message);
	return n;
}

static void
test_calc_row(const struct credit_rules *rules, const struct calc *t)
{
	struct credit_case	 c;
	struct credit_answer	 a;
	int			 rc;

	if (calc_case(t, &c) != 0) {
		UNIT_CHECK(0, "calc: %s: the form reads", t->what);
		return;
	}
	rc = credit_assess(rules, &c, &a);
	if (t->regime == NULL) {
		UNIT_CHECK(rc == -1, "calc: %s: no regime", t->what);
		return;
	}
	UNIT_CHECK(rc == 0 && strcmp(a.regime->id, t->regime) == 0,
	    "calc: %s: regime %s (got %s)", t->what, t->regime,
	    rc == 0 ? a.regime->id : "none");
	if (rc != 0)
		return;
	UNIT_CHECK(a.published == t->published_ok, "calc: %s: published %d",
	    t->what, t->published_ok);
	UNIT_STREQ(a.min_end, t->min_end, "calc: %s: minimum period ends", t->what);
	UNIT_STREQ(a.max_end, t->max_end, "calc: %s: maximum period ends", t->what);
	UNIT_CHECK(a.repair == t->repair, "calc: %s: repair %d (got %d)", t->what,
	    (int)t->repair, (int)a.repair);
	UNIT_STREQ(a.earliest, t->earliest, "calc: %s: earliest application",
	    t->what);
}

/* One row of issue13: read as the form would read it, then assessed. */
static void
test_issue_row(const struct credit_rules *rules, const struct issue_row *t)
{
	struct calc	 in = { t->what, t->date, t->published, t->fulfilled,
	    t->proc, t->kinds, t->fine, t->domain, t->tier, NULL, 0, NULL, NULL,
	    0, NULL };
	struct credit_case c;
	struct credit_answer a;
	int		 rc;

	if (calc_case(&in, &c) != 0) {
		UNIT_CHECK(0, "%s: the form reads", t->what);
		return;
	}
	rc = credit_assess(rules, &c, &a);
	UNIT_CHECK(rc == t->rc, "%s: assess returns %d (got %d) [%s]", t->what,
	    t->rc, rc, t->source);
	if (rc != 0 || t->rc != 0)
		return;
	UNIT_STREQ(a.regime->id, t->regime, "%s: periods from", t->what);
	UNIT_STREQ(a.apply_regime->id, t->apply_regime, "%s: application under",
	    t->what);
	UNIT_CHECK(a.tier == t->tier_got && a.tier_assumed == t->tier_assumed,
	    "%s: tier %d, inferred %d (got %d, %d)", t->what, (int)t->tier_got,
	    t->tier_assumed, (int)a.tier, a.tier_assumed);
	UNIT_CHECK(a.published == t->published_ok, "%s: published %d", t->what,
	    t->published_ok);
	UNIT_STREQ(a.min_end, t->min_end, "%s: minimum period ends", t->what);
	UNIT_STREQ(a.max_end, t->max_end, "%s: maximum period ends", t->what);
	UNIT_STREQ(a.earliest, t->earliest, "%s: earliest application", t->what);
	UNIT_CHECK(credit_status(&a, t->on) == t->status, "%s: status on %s: %d "
	    "(got %d) [%s]", t->what, t->on, (int)t->status,
	    (int)credit_status(&a, t->on), t->source);
}

/* One kind alone, general procedure, fine 1000 when it is 罚款. */
static int
kind_answer(const struct credit_rules *rules, const char *kind,
    const char *domain, struct credit_answer *a)
{
	struct calc	 t = { "kind", "2024-06-15", "", "2024-06-20", "general",
	    kind, strcmp(kind, "fine") == 0 ? "1000" : "", domain, "", NULL, 0,
	    NULL, NULL, 0, NULL };
	struct credit_case c;

	return calc_case(&t, &c) == 0 ? credit_assess(rules, &c, a) : -1;
}

static void
test_kinds(const struct credit_rules *rules)
{
	struct credit_answer	 a;
	size_t			 i;

	for (i = 0; i < sizeof(kind_rows) / sizeof(kind_rows[0]); i++) {
		if (kind_answer(rules, kind_rows[i].kind, "yingji", &a) == 0)
			UNIT_STREQ(a.min_end, kind_rows[i].year_in_work_safety ?
			    "2025-06-15" : "2024-09-15", "kind %s, work safety "
			    "(Order 58): minimum period", kind_rows[i].kind);
		else
			UNIT_CHECK(0, "kind %s, work safety: assessed", kind_rows[i].kind);
		if (kind_answer(rules, kind_rows[i].kind, "shichang", &a) != 0) {
			UNIT_CHECK(0, "kind %s, market: assessed", kind_rows[i].kind);
			continue;
		}
		UNIT_CHECK(a.published == !kind_rows[i].unpublished_in_market,
		    "kind %s, market (Order 45): %spublished", kind_rows[i].kind,
		    kind_rows[i].unpublished_in_market ? "not " : "");
		if (a.published)
			UNIT_CHECK((a.repair == CREDIT_REPAIR_NEVER) ==
			    kind_rows[i].never_in_market, "kind %s, market: %s",
			    kind_rows[i].kind, kind_rows[i].never_in_market ?
			    "never repaired early" : "repair not ruled out");
	}
}

static void
test_status(const struct credit_rules *rules)
{
	struct credit_case	 c;
	struct credit_answer	 a;

	if (calc_case(&calcs[21], &c) != 0 || credit_assess(rules, &c, &a) != 0) {
		UNIT_CHECK(0, "status: the not-yet-fulfilled case assesses");
		return;
	}
	UNIT_CHECK(credit_status(&a, "2024-09-15") == CREDIT_ST_WAIT,
	    "status: before the earliest day, wait");
	UNIT_CHECK(credit_status(&a, "2024-09-16") == CREDIT_ST_FULFIL_FIRST,
	    "status: from the earliest day, but not fulfilled: fulfil first");
	UNIT_CHECK(credit_status(&a, "2027-06-16") == CREDIT_ST_ENDED,
	    "status: after the maximum period, ended");
	calc_case(&calcs[20], &c);
	credit_assess(rules, &c, &a);
	UNIT_CHECK(credit_status(&a, "2024-12-01") == CREDIT_ST_CAN_APPLY,
	    "status: fulfilled and past the minimum: can apply");
	calc_case(&calcs[25], &c);
	credit_assess(rules, &c, &a);
	UNIT_CHECK(credit_status(&a, TODAY) == CREDIT_ST_NOT_PUBLISHED,
	    "status: not published");
	kind_answer(rules, "suspension", "shichang", &a);
	UNIT_CHECK(credit_status(&a, "2025-01-01") == CREDIT_ST_UNTIL_END,
	    "status: never repaired early: published until the end");
}

/*
 * snap_credit_texts: every text of a regime, grouped by part in the order
 * of the rule file, as the one-query-per-part read had them.
 */
static void
test_texts(struct snap *s, const char *path, const struct credit_rules *rules)
{
	static const char *const parts[][2] = { { "source", "sources" },
	    { "condition", "conditions" }, { "document", "documents" },
	    { "where", "where" }, { "time", "times" }, { "note", "notes" } };
	lua_State	*L = luaL_newstate();
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	size_t		 k;
	int		 r, i, ok, total;

	sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	sqlite3_prepare_v2(db, "SELECT text, href, conf FROM credit_items WHERE"
	    " regime = ?1 AND part = ?2 ORDER BY ord", -1, &st, NULL);
	for (r = 0; r < rules->n && L != NULL && st != NULL; r++) {
		lua_newtable(L);
		UNIT_CHECK(snap_credit_texts(s, L, rules->r[r].id) == 0,
		    "texts of %s read", rules->r[r].id);
		for (k = 0, total = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
			lua_getfield(L, -1, parts[k][1]);
			ok = lua_istable(L, -1);
			sqlite3_bind_text(st, 1, rules->r[r].id, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, parts[k][0], -1, SQLITE_STATIC);
			for (i = 1; ok && sqlite3_step(st) == SQLITE_ROW; i++) {
				lua_rawgeti(L, -1, i);
				lua_getfield(L, -1, "text");
				lua_getfield(L, -2, "confidence");
				lua_getfield(L, -3, "href");
				ok = lua_isstring(L, -3) && strcmp(lua_tostring(L, -3),
				    (const char *)sqlite3_column_text(st, 0)) == 0 &&
				    strcmp(lua_tostring(L, -2), (const char *)
				    sqlite3_column_text(st, 2)) == 0 &&
				    lua_isnil(L, -1) == (sqlite3_column_type(st, 1) ==
				    SQLITE_NULL);
				lua_pop(L, 4);
			}
			ok = ok && lua_rawlen(L, -1) == (lua_Unsigned)(i - 1);
			total += i - 1;
			sqlite3_reset(st);
			UNIT_CHECK(ok, "%s of %s: each text, in order", parts[k][1],
			    rules->r[r].id);
			lua_pop(L, 1);
		}
		UNIT_CHECK(total > 0, "%s has texts", rules->r[r].id);
		lua_pop(L, 1);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (L != NULL)
		lua_close(L);
}

static void
test_calculator(void)
{
	char		 path[512];
	struct snap	*s = open_rules(path, sizeof(path));
	const struct credit_rules *rules;
	size_t		 i;

	UNIT_CHECK(s != NULL, "the shipped content builds and opens");
	if (s == NULL)
		return;
	rules = snap_credit_rules(s);
	UNIT_CHECK(rules->n == 4, "four regimes are loaded (got %d)", rules->n);
	for (i = 0; i < sizeof(calcs) / sizeof(calcs[0]); i++)
		test_calc_row(rules, &calcs[i]);
	for (i = 0; i < sizeof(issue13) / sizeof(issue13[0]); i++)
		test_issue_row(rules, &issue13[i]);
	test_kinds(rules);
	test_status(rules);
	test_texts(s, path, rules);
	snap_close(s);
	unlink(path);
}

int
main(void)
{
	test_codes();
	test_dates();
	test_form();
	test_calculator();
	return unit_done();
}
