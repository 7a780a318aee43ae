/* test_route.c: unit tests for route.c, the URL map. */
/* checks: 330 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"
#include "unit.h"

/* Checks that path maps to kind with no id or location left over. */
static void
check_kind(const char *path, enum route_kind kind, const char *what)
{
	struct route	 r;

	memset(&r, 0x5A, sizeof(r));
	route_match(path, &r);
	UNIT_CHECK(r.kind == kind, "%s: \"%s\" has kind %d (got %d)",
	    what, path, (int)kind, (int)r.kind);
	if (kind != ROUTE_CASE && kind != ROUTE_MATERIAL && kind != ROUTE_GUIDE &&
	    kind != ROUTE_FEED && kind != ROUTE_FEED_DOMAIN && kind != ROUTE_EXPORT &&
	    kind != ROUTE_API_CASE && kind != ROUTE_API_MATERIAL &&
	    kind != ROUTE_API_GUIDE && kind != ROUTE_LAW && kind != ROUTE_API_LAW)
		UNIT_CHECK(r.id[0] == '\0', "%s: \"%s\" has no id", what, path);
	if (kind != ROUTE_REDIRECT)
		UNIT_CHECK(r.location == NULL,
		    "%s: \"%s\" has no location", what, path);
}

static void
check_not_found(const char *path, const char *what)
{
	check_kind(path, ROUTE_NOT_FOUND, what);
}

/* Returns a malloc'd "/cases/" followed by n characters of id. */
static char *
case_path(size_t n)
{
	char	*s;

	if ((s = malloc(7 + n + 1)) == NULL)
		abort();
	memcpy(s, "/cases/", 7);
	memset(s + 7, 'a', n);
	s[7 + n] = '\0';
	return s;
}

/* The other sections: a list at /NAME/, an item at /NAME/<id>. */
static void
test_sections(void)
{
	struct route	 r;

	check_kind("/pufa/", ROUTE_PUFA, "materials");
	check_kind("/credit/", ROUTE_CREDIT, "credit guides");
	check_kind("/laws/", ROUTE_LAWS, "the laws");
	check_kind("/laws/xiaofang-fa", ROUTE_LAW, "one law");
	check_kind("/laws", ROUTE_REDIRECT, "laws without its slash");
	check_not_found("/laws/XiaoFang", "a law id is lower case");
	/* The credit tools come before the guides at /credit/<id>. */
	check_kind("/credit/check", ROUTE_CREDIT_CHECK, "credit calculator");
	check_kind("/credit/lookup", ROUTE_CREDIT_LOOKUP, "penalty look-up");
	check_kind("/credit/check.ics", ROUTE_CREDIT_ICS, "the calculator's calendar event");
	check_kind("/api/v1/credit/check", ROUTE_API_CREDIT_CHECK, "calculator API");
	check_kind("/api/v1/credit/lookup", ROUTE_API_CREDIT_LOOKUP, "look-up API");
	check_kind("/credit/checks", ROUTE_GUIDE, "a guide id that starts like a tool");
	check_kind("/api/v1/credit/", ROUTE_API_NOT_FOUND, "the API's folder");
	check_kind("/api/v1/credit/checks", ROUTE_API_GUIDE, "a guide id that starts like a tool, in the API");
	UNIT_CHECK(ROUTE_IS_API(ROUTE_API_CREDIT_CHECK) && ROUTE_IS_API(ROUTE_API_CREDIT_LOOKUP), "the credit tools' API answers in JSON");
	check_kind("/_error/429", ROUTE_ERROR, "nginx's rate limit");
	check_kind("/about", ROUTE_ABOUT, "about");
	check_kind("/mode", ROUTE_MODE, "display mode");
	check_kind("/pufa", ROUTE_REDIRECT, "materials without slash");
	check_kind("/credit", ROUTE_REDIRECT, "credit without slash");
	route_match("/pufa", &r);
	UNIT_STREQ(r.location, "/pufa/", "/pufa redirects to /pufa/");
	route_match("/pufa/2026-xianfa-day", &r);
	UNIT_CHECK(r.kind == ROUTE_MATERIAL, "/pufa/<id> is a material");
	UNIT_STREQ(r.id, "2026-xianfa-day", "the material's id");
	route_match("/credit/penalty-repair", &r);
	UNIT_CHECK(r.kind == ROUTE_GUIDE, "/credit/<id> is a guide");
	UNIT_STREQ(r.id, "penalty-repair", "the guide's id");
	check_not_found("/pufa/Bad", "material with a bad id");
	check_not_found("/credit/a/b", "guide path with a slash");
	check_not_found("/pufax/", "unknown section");
	check_not_found("/about/", "about with a slash");
}

static void
test_home(void)
{
	check_kind("/", ROUTE_HOME, "home");
}

static void
test_healthz(void)
{
	check_kind("/healthz", ROUTE_HEALTHZ, "health check");
	check_not_found("/healthz/", "health check with a slash");
}

static void
test_cases_redirect(void)
{
	struct route	 r;

	route_match("/cases", &r);
	UNIT_CHECK(r.kind == ROUTE_REDIRECT, "/cases is a redirect");
	UNIT_STREQ(r.location, "/cases/", "/cases redirects to /cases/");
}

static void
test_cases_list(void)
{
	check_kind("/cases/", ROUTE_CASES, "case list");
}

static void
test_case(void)
{
	struct route	 r;

	route_match("/cases/2023-001", &r);
	UNIT_CHECK(r.kind == ROUTE_CASE, "/cases/2023-001 is a case");
	UNIT_STREQ(r.id, "2023-001", "/cases/2023-001 has id 2023-001");
	UNIT_CHECK(r.location == NULL, "/cases/2023-001 has no location");
}

static void
test_case_letters(void)
{
	struct route	 r;

	route_match("/cases/fine-2024-x9", &r);
	UNIT_CHECK(r.kind == ROUTE_CASE,
	    "an id of letters, digits, - is a case");
	UNIT_STREQ(r.id, "fine-2024-x9", "the id is copied whole");
}

static void
test_case_bad_ids(void)
{
	check_not_found("/cases/2023-001/", "id with a trailing slash");
	check_not_found("/cases/Bad", "id with upper case");
	check_not_found("/cases/-x", "id starting with -");
	check_not_found("/cases/a_b", "id with _");
	check_not_found("/cases/../x", "id with ..");
	check_not_found("/cases/..", "id of ..");
	check_not_found("/cases/a.b", "id with .");
	check_not_found("/cases/a b", "id with a space");
	check_not_found("/cases/案", "id in Chinese");
	check_not_found("/cases/a/b", "id with a slash");
	check_not_found("/cases//", "double slash");
}

static void
test_case_max_id(void)
{
	char		*path = case_path(ROUTE_MAX_ID);
	struct route	 r;

	route_match(path, &r);
	UNIT_CHECK(r.kind == ROUTE_CASE, "id of ROUTE_MAX_ID chars is a case");
	UNIT_CHECK(strlen(r.id) == ROUTE_MAX_ID && strcmp(r.id, path + 7) == 0,
	    "id of ROUTE_MAX_ID chars is copied whole");
	free(path);
}

static void
test_case_too_long_id(void)
{
	char	*path = case_path(ROUTE_MAX_ID + 1);

	check_not_found(path, "id of ROUTE_MAX_ID+1 chars");
	free(path);
}

static void
test_case_very_long_id(void)
{
	char	*path = case_path(10000);

	check_not_found(path, "id of 10000 chars");
	free(path);
}

static void
test_unknown(void)
{
	check_not_found("", "empty path");
	check_not_found("/casesX", "/casesX");
	check_not_found("/cases2023-001", "/cases without its slash");
	check_not_found("/Cases/", "upper-case /Cases/");
	check_not_found("/index.html", "unknown file");
	check_not_found("//", "double slash");
	check_not_found("/healthzX", "/healthz with a suffix");
	check_not_found("/aboutus", "unknown page");
	check_not_found("/cases/?x", "/cases/ with a literal ?");
}

static void
test_error_pages(void)
{
	static const int	 codes[] = { 400, 404, 413, 414 };
	struct route		 r;
	char			 path[32];
	size_t			 i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		snprintf(path, sizeof(path), "/_error/%d", codes[i]);
		route_match(path, &r);
		UNIT_CHECK(r.kind == ROUTE_ERROR && r.status == codes[i],
		    "%s is the %d error page", path, codes[i]);
	}
}

static void
test_error_pages_unknown(void)
{
	check_not_found("/_error/500", "unlisted error status");
	check_not_found("/_error/", "error page without a status");
	check_not_found("/_error/4040", "error status with a suffix");
	check_not_found("/_error/404/", "error page with a slash");
}

static void
test_valid_id(void)
{
	UNIT_CHECK(route_valid_id("a"), "one letter is a valid id");
	UNIT_CHECK(route_valid_id("0"), "one digit is a valid id");
	UNIT_CHECK(route_valid_id("2023-001"), "2023-001 is a valid id");
	UNIT_CHECK(route_valid_id("a-"), "a trailing - is allowed");
	UNIT_CHECK(route_valid_id("a--b"), "a double - is allowed");
}

static void
test_invalid_id(void)
{
	UNIT_CHECK(!route_valid_id(""), "empty id is invalid");
	UNIT_CHECK(!route_valid_id("-"), "lone - is invalid");
	UNIT_CHECK(!route_valid_id("A"), "upper case is invalid");
	UNIT_CHECK(!route_valid_id("a_b"), "_ is invalid");
	UNIT_CHECK(!route_valid_id("a.xml"), ". is invalid");
	UNIT_CHECK(!route_valid_id("a/b"), "/ is invalid");
	UNIT_CHECK(!route_valid_id("\xe6\xa1\x88"), "non-ASCII is invalid");
}

static void
test_valid_id_length(void)
{
	char	*path = case_path(ROUTE_MAX_ID + 1);

	UNIT_CHECK(route_valid_id(path + 8),
	    "id of ROUTE_MAX_ID chars is valid");
	UNIT_CHECK(!route_valid_id(path + 7),
	    "id of ROUTE_MAX_ID+1 chars is invalid");
	free(path);
}

/* Checks that path maps to kind with id. */
static void
check_named(const char *path, enum route_kind kind, const char *id)
{
	struct route	 r;

	memset(&r, 0x5A, sizeof(r));
	route_match(path, &r);
	UNIT_CHECK(r.kind == kind, "\"%s\" has kind %d (got %d)", path, (int)kind,
	    (int)r.kind);
	UNIT_STREQ(r.id, id, "\"%s\" names \"%s\"", path, id);
}

/* Feeds, sitemap, robots.txt and exports. */
static void
test_machine(void)
{
	check_named("/feeds/all.atom", ROUTE_FEED, "all");
	check_named("/feeds/cases.atom", ROUTE_FEED, "cases");
	check_named("/feeds/pufa.atom", ROUTE_FEED, "pufa");
	check_named("/feeds/credit.atom", ROUTE_FEED, "credit");
	check_named("/feeds/cases/shirong.atom", ROUTE_FEED_DOMAIN, "shirong");
	check_named("/export/cases.json", ROUTE_EXPORT, "cases");
	check_named("/export/credit.json", ROUTE_EXPORT, "credit");
	check_named("/export/laws.json", ROUTE_EXPORT, "laws");
	check_kind("/sitemap.xml", ROUTE_SITEMAP, "sitemap");
	check_kind("/robots.txt", ROUTE_ROBOTS, "robots");
	check_not_found("/feeds/other.atom", "unknown feed");
	check_not_found("/feeds/.atom", "empty feed name");
	check_not_found("/feeds/all.rss", "other suffix");
	check_not_found("/feeds/cases/Shirong.atom", "domain not an id");
	check_not_found("/feeds/cases/a/b.atom", "nested domain");
	check_not_found("/export/all.json", "no export of everything");
	check_not_found("/export/cases.xml", "export suffix");
	check_not_found("/sitemap.xml/", "sitemap slash");
	check_named("/sitemap-2.xml", ROUTE_SITEMAP, "2");
	check_named("/sitemap-10.xml", ROUTE_SITEMAP, "10");
	check_not_found("/sitemap-0.xml", "no sitemap file 0");
	check_not_found("/sitemap-01.xml", "a sitemap file number has no leading 0");
	check_not_found("/sitemap-x.xml", "a sitemap file has a number");
	check_not_found("/sitemap-.xml", "a sitemap file number is not empty");
	check_not_found("/sitemap-1-2.xml", "a sitemap file has one number");
}

/* The JSON API: lists, items, and every other /api/ path a JSON 404. */
static void
test_api(void)
{
	char	 path[ROUTE_MAX_ID + 32];

	check_kind("/api/v1/cases", ROUTE_API_CASES, "api cases");
	check_kind("/api/v1/pufa", ROUTE_API_PUFA, "api pufa");
	check_kind("/api/v1/credit", ROUTE_API_CREDIT, "api credit");
	check_named("/api/v1/cases/2023-001", ROUTE_API_CASE, "2023-001");
	check_named("/api/v1/pufa/qa-x", ROUTE_API_MATERIAL, "qa-x");
	check_named("/api/v1/credit/penalty-repair", ROUTE_API_GUIDE, "penalty-repair");
	check_kind("/api/v1/laws", ROUTE_API_LAWS, "api laws");
	check_named("/api/v1/laws/xiaofang-fa", ROUTE_API_LAW, "xiaofang-fa");
	check_kind("/api/v1/cases/", ROUTE_API_NOT_FOUND, "api trailing slash");
	check_kind("/api/v1/cases/Bad", ROUTE_API_NOT_FOUND, "api bad id");
	check_kind("/api/v1/casesx", ROUTE_API_NOT_FOUND, "api prefix only");
	check_kind("/api/v1/cases/a/b", ROUTE_API_NOT_FOUND, "api nested");
	check_kind("/api/v2/cases", ROUTE_API_NOT_FOUND, "api v2");
	check_kind("/api", ROUTE_API_NOT_FOUND, "api root");
	check_kind("/api/", ROUTE_API_NOT_FOUND, "api root slash");
	check_not_found("/apix", "not the api");
	snprintf(path, sizeof(path), "/api/v1/cases/%0*d", ROUTE_MAX_ID, 0);
	check_named(path, ROUTE_API_CASE, path + 14);
	snprintf(path, sizeof(path), "/api/v1/cases/%0*d", ROUTE_MAX_ID + 1, 0);
	check_kind(path, ROUTE_API_NOT_FOUND, "api id over ROUTE_MAX_ID");
	UNIT_CHECK(ROUTE_IS_API(ROUTE_API_CASES) && ROUTE_IS_API(ROUTE_API_NOT_FOUND) &&
	    !ROUTE_IS_API(ROUTE_FEED) && !ROUTE_IS_API(ROUTE_CASES),
	    "ROUTE_IS_API covers exactly the ROUTE_API_ kinds");
}

/*
 * The table of sections: each section's list, items, API and, when it has
 * them, feed and export are where route_match finds them, and carry it.
 */
static void
test_section_table(void)
{
	const struct route_section *sec;
	struct route	 r;
	char		 path[128];
	size_t		 i;

	for (i = 0; i < ROUTE_NSECTIONS; i++) {
		sec = &route_sections[i];
		route_match(sec->base, &r);
		UNIT_CHECK(r.kind == sec->list && r.section == sec, "%s: its list",
		    sec->base);
		snprintf(path, sizeof(path), "%sx-1", sec->base);
		route_match(path, &r);
		UNIT_CHECK(r.kind == sec->page && r.section == sec &&
		    strcmp(r.id, "x-1") == 0, "%s: an item", path);
		snprintf(path, sizeof(path), "/api/v1/%s", sec->name);
		route_match(path, &r);
		UNIT_CHECK(r.kind == sec->api_list && r.section == sec, "%s", path);
		snprintf(path, sizeof(path), "/api/v1/%s/x-1", sec->name);
		route_match(path, &r);
		UNIT_CHECK(r.kind == sec->api_item && r.section == sec &&
		    strcmp(r.id, "x-1") == 0, "%s", path);
		UNIT_CHECK(route_section(sec->name) == sec &&
		    route_section(sec->kind) == sec, "%s: found by name and kind",
		    sec->name);
		snprintf(path, sizeof(path), "/feeds/%s.atom", sec->name);
		route_match(path, &r);
		UNIT_CHECK((sec->flags & ROUTE_SEC_FEED) ? r.kind == ROUTE_FEED &&
		    r.section == sec : r.kind == ROUTE_NOT_FOUND, "%s", path);
		snprintf(path, sizeof(path), "/export/%s.json", sec->name);
		route_match(path, &r);
		UNIT_CHECK((sec->flags & ROUTE_SEC_EXPORT) ? r.kind == ROUTE_EXPORT &&
		    r.section == sec : r.kind == ROUTE_NOT_FOUND, "%s", path);
	}
	UNIT_CHECK(route_section("nope") == NULL, "no section named nope");
}

int
main(void)
{
	test_section_table();
	test_machine();
	test_api();
	test_home();
	test_sections();
	test_healthz();
	test_cases_redirect();
	test_cases_list();
	test_case();
	test_case_letters();
	test_case_bad_ids();
	test_case_max_id();
	test_case_too_long_id();
	test_case_very_long_id();
	test_unknown();
	test_error_pages();
	test_error_pages_unknown();
	test_valid_id();
	test_invalid_id();
	test_valid_id_length();
	return unit_done();
}
