/* test_http.c: unit tests for http.c, the decoder of the request line. */
/* checks: 191 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "unit.h"

#define GUARD_BYTE	0xA5

/*
 * A request followed by guard bytes. It lives on the heap so valgrind sees a
 * write past its end; the guard catches one that stops in the padding.
 */
struct guarded {
	struct http_req	 req;
	unsigned char	 guard[64];
};

static struct guarded	*g;
static struct http_req	*req;

/* Parses method and uri into the guarded request; returns the status. */
static int
parse(const char *method, const char *uri)
{
	memset(g, GUARD_BYTE, sizeof(*g));
	return http_parse(req, method, uri);
}

/* Returns 1 when no byte after the arena changed since parse(). */
static int
guard_intact(void)
{
	const unsigned char	*p = (const unsigned char *)g;
	size_t			 i;

	for (i = offsetof(struct guarded, req.arena) + sizeof(req->arena);
	    i < sizeof(*g); i++)
		if (p[i] != GUARD_BYTE)
			return 0;
	return 1;
}

/* Returns a malloc'd string: prefix, then unit repeated until len bytes. */
static char *
repeat(const char *prefix, const char *unit, size_t len)
{
	size_t	 n = strlen(prefix), u = strlen(unit);
	char	*s;

	if ((s = malloc(len + 1)) == NULL)
		abort();
	memcpy(s, prefix, n);
	for (; n < len; n += u)
		memcpy(s + n, unit, len - n < u ? len - n : u);
	s[len] = '\0';
	return s;
}

static void
test_get(void)
{
	int	 rc = parse("GET", "/");

	UNIT_CHECK(rc == 0, "GET / parses");
	UNIT_CHECK(req->method == HTTP_GET, "GET is HTTP_GET");
	UNIT_STREQ(req->path, "/", "GET / has path /");
	UNIT_CHECK(req->nparams == 0, "GET / has no parameters");
	UNIT_CHECK(req->error == NULL, "GET / sets no error");
}

static void
test_head(void)
{
	int	 rc = parse("HEAD", "/cases/");

	UNIT_CHECK(rc == 0 && req->method == HTTP_HEAD, "HEAD is HTTP_HEAD");
	UNIT_STREQ(req->path, "/cases/", "HEAD keeps its path");
}

/* Other methods still parse: the 405 is the page's answer, not the parser's. */
static void
test_other_methods(void)
{
	static const char *const methods[] = { "POST", "PUT", "DELETE",
	    "get", "GETX", "", NULL };
	int	 i, rc;

	for (i = 0; methods[i] != NULL; i++) {
		rc = parse(methods[i], "/");
		UNIT_CHECK(rc == 0 && req->method == HTTP_OTHER,
		    "method \"%s\" is HTTP_OTHER", methods[i]);
	}
	rc = parse(NULL, "/");
	UNIT_CHECK(rc == 0 && req->method == HTTP_OTHER,
	    "a missing method is HTTP_OTHER");
}

static void
test_plain_path(void)
{
	int	 rc = parse("GET", "/cases/2023-001");

	UNIT_CHECK(rc == 0, "plain path parses");
	UNIT_STREQ(req->path, "/cases/2023-001", "plain path is kept as is");
	UNIT_CHECK(req->nparams == 0, "plain path has no parameters");
}

static void
test_percent_chinese(void)
{
	int	 rc = parse("GET", "/cases/%E6%A1%88");

	UNIT_CHECK(rc == 0, "percent-encoded Chinese parses");
	UNIT_STREQ(req->path, "/cases/案", "%%E6%%A1%%88 decodes to 案");
	rc = parse("GET", "/cases/%e6%a1%88");
	UNIT_STREQ(rc == 0 ? req->path : NULL, "/cases/案",
	    "lower-case hex digits decode too");
}

static void
test_percent_ascii(void)
{
	int	 rc = parse("GET", "/a%20b%2Fc");

	UNIT_STREQ(rc == 0 ? req->path : NULL, "/a b/c",
	    "%%20 and %%2F decode in the path");
}

/* Raw UTF-8 (not percent-encoded) is accepted too. */
static void
test_raw_utf8_path(void)
{
	int	 rc = parse("GET", "/案例");

	UNIT_STREQ(rc == 0 ? req->path : NULL, "/案例",
	    "raw UTF-8 in the path is kept");
}

static void
test_plus_in_path(void)
{
	int	 rc = parse("GET", "/a+b");

	UNIT_STREQ(rc == 0 ? req->path : NULL, "/a+b",
	    "+ in the path stays a plus");
}

static void
test_plus_in_query(void)
{
	int	 rc = parse("GET", "/cases/?q=a+b&c%2Bd=x+%2B+y");

	UNIT_CHECK(rc == 0, "query with + parses");
	UNIT_STREQ(http_param(req, "q"), "a b",
	    "+ in a query value is a space");
	UNIT_STREQ(http_param(req, "c+d"), "x + y",
	    "%%2B in a query is a plus, + a space");
}

static void
test_plus_in_query_key(void)
{
	int	 rc = parse("GET", "/?a+b=1");

	UNIT_STREQ(rc == 0 ? http_param(req, "a b") : NULL, "1",
	    "+ in a query key is a space");
}

static void
test_query_not_in_path(void)
{
	int	 rc = parse("GET", "/cases/?q=1");

	UNIT_STREQ(rc == 0 ? req->path : NULL, "/cases/",
	    "the query is not part of the path");
}

static void
check_400(const char *uri, const char *what)
{
	int	 rc = parse("GET", uri);

	UNIT_CHECK(rc == 400, "%s: %s is 400", what, uri);
	UNIT_CHECK(req->error != NULL && req->error[0] != '\0',
	    "%s: %s sets an error", what, uri);
	UNIT_CHECK(guard_intact(), "%s: %s stays in the arena", what, uri);
}

static void
test_bad_escapes(void)
{
	check_400("/%zz", "bad hex digits");
	check_400("/%4", "one hex digit at the end");
	check_400("/%4/", "one hex digit then a slash");
	check_400("/a%", "trailing percent");
	check_400("/%g0", "non-hex first digit");
	check_400("/?q=%zz", "bad escape in a query value");
	check_400("/?%zz=1", "bad escape in a query key");
	check_400("/?q=%", "trailing percent in a query");
}

static void
test_bad_utf8(void)
{
	check_400("/%ff", "invalid byte 0xFF");
	check_400("/%c0%af", "overlong slash");
	check_400("/%e0%80%af", "overlong three-byte slash");
	check_400("/%ed%a0%80", "surrogate U+D800");
	check_400("/%f4%90%80%80", "code point above U+10FFFF");
	check_400("/%e6%a1", "truncated three-byte sequence");
	check_400("/%80", "lone continuation byte");
	check_400("/?q=%ff", "invalid UTF-8 in a query value");
}

static void
test_control_chars(void)
{
	check_400("/%00", "NUL");
	check_400("/a%00b", "NUL inside the path");
	check_400("/%0a", "newline");
	check_400("/%0d%0aSet-Cookie:x", "CRLF injection");
	check_400("/%09", "tab");
	check_400("/%7f", "DEL");
	check_400("/?q=%00", "NUL in a query value");
	check_400("/?q=%7F", "DEL in a query value");
	check_400("/a\tb", "raw tab");
}

static void
test_not_absolute(void)
{
	check_400("", "empty URI");
	check_400("cases/", "relative URI");
	check_400("http://example.com/", "absolute-form URI");
	check_400("*", "asterisk URI");
}

static void
test_missing_uri(void)
{
	int	 rc = parse("GET", NULL);

	UNIT_CHECK(rc == 400 && req->error != NULL, "a missing URI is 400");
}

static void
test_max_uri(void)
{
	char	*uri = repeat("/", "a", HTTP_MAX_URI);
	int	 rc = parse("GET", uri);

	UNIT_CHECK(rc == 0, "URI of HTTP_MAX_URI bytes is accepted");
	UNIT_CHECK(req->path != NULL && strlen(req->path) == HTTP_MAX_URI,
	    "URI of HTTP_MAX_URI bytes keeps its whole path");
	UNIT_CHECK(guard_intact(),
	    "URI of HTTP_MAX_URI bytes stays in the arena");
	free(uri);
}

static void
test_too_long_uri(void)
{
	char	*uri = repeat("/", "a", HTTP_MAX_URI + 1);
	int	 rc = parse("GET", uri);

	UNIT_CHECK(rc == 414, "URI of HTTP_MAX_URI+1 bytes is 414");
	UNIT_CHECK(req->error != NULL, "too long URI sets an error");
	free(uri);
}

static void
test_query_pairs(void)
{
	int	 rc = parse("GET", "/cases/?a=1&b=2");

	UNIT_CHECK(rc == 0 && req->nparams == 2,
	    "a=1&b=2 gives two parameters");
	UNIT_STREQ(req->params[0].key, "a", "first key is a");
	UNIT_STREQ(req->params[0].val, "1", "first value is 1");
	UNIT_STREQ(req->params[1].key, "b", "second key is b");
	UNIT_STREQ(req->params[1].val, "2", "second value is 2");
	UNIT_STREQ(http_param(req, "b"), "2", "http_param finds b");
	UNIT_CHECK(http_param(req, "c") == NULL,
	    "http_param of absent key is NULL");
}

static void
test_query_empty_value(void)
{
	int	 rc = parse("GET", "/?a=");

	UNIT_CHECK(rc == 0 && req->nparams == 1, "a= gives one parameter");
	UNIT_STREQ(http_param(req, "a"), "", "a= has an empty value");
}

static void
test_query_missing_value(void)
{
	int	 rc = parse("GET", "/?a&b=2");

	UNIT_CHECK(rc == 0 && req->nparams == 2, "a&b=2 gives two parameters");
	UNIT_STREQ(http_param(req, "a"), "", "a without = has an empty value");
	UNIT_STREQ(http_param(req, "b"), "2", "value after a bare key is kept");
}

static void
test_query_empty_pairs(void)
{
	int	 rc = parse("GET", "/?&a=1&&b=2&");

	UNIT_CHECK(rc == 0 && req->nparams == 2,
	    "empty pairs in &a=1&&b=2& are skipped");
	UNIT_STREQ(http_param(req, "a"), "1", "a=1 survives empty pairs");
	UNIT_STREQ(http_param(req, "b"), "2", "b=2 survives empty pairs");
}

static void
test_query_empty(void)
{
	int	 rc = parse("GET", "/cases/?");

	UNIT_CHECK(rc == 0 && req->nparams == 0,
	    "empty query has no parameters");
	UNIT_STREQ(req->path, "/cases/", "empty query leaves the path");
}

static void
test_query_empty_key(void)
{
	int	 rc = parse("GET", "/?=1");

	UNIT_CHECK(rc == 0 && req->nparams == 1, "=1 gives one parameter");
	UNIT_STREQ(http_param(req, ""), "1", "=1 has an empty key");
}

static void
test_query_equals_in_value(void)
{
	int	 rc = parse("GET", "/?a=b=c");

	UNIT_STREQ(rc == 0 ? http_param(req, "a") : NULL, "b=c",
	    "only the first = splits key and value");
}

static void
test_query_repeated_key(void)
{
	int	 rc = parse("GET", "/?k=first&k=second");

	UNIT_CHECK(rc == 0 && req->nparams == 2, "repeated key is kept twice");
	UNIT_STREQ(http_param(req, "k"), "first",
	    "http_param returns the first value");
}

static void
test_query_chinese(void)
{
	int	 rc = parse("GET", "/cases/?q=%E8%A1%8C%E6%94%BF");

	UNIT_STREQ(rc == 0 ? http_param(req, "q") : NULL, "行政",
	    "Chinese query value decodes");
}

/* Builds "/?p0=0&p1=1..." with n parameters. */
static char *
params_uri(size_t n)
{
	char	*s;
	size_t	 i, len = 0;

	if ((s = malloc(2 + n * 16 + 1)) == NULL)
		abort();
	len += (size_t)sprintf(s, "/?");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(s + len, "%sp%zu=%zu", i ? "&" : "",
		    i, i);
	return s;
}

static void
test_max_params(void)
{
	char	*uri = params_uri(HTTP_MAX_PARAMS);
	char	 key[16];
	int	 rc = parse("GET", uri);

	UNIT_CHECK(rc == 0 && req->nparams == HTTP_MAX_PARAMS,
	    "HTTP_MAX_PARAMS parameters are accepted");
	snprintf(key, sizeof(key), "p%d", HTTP_MAX_PARAMS - 1);
	UNIT_CHECK(http_param(req, key) != NULL, "the last parameter is found");
	free(uri);
}

static void
test_too_many_params(void)
{
	char	*uri = params_uri(HTTP_MAX_PARAMS + 1);
	int	 rc = parse("GET", uri);

	UNIT_CHECK(rc == 400, "HTTP_MAX_PARAMS+1 parameters is 400");
	UNIT_CHECK(req->error != NULL, "too many parameters sets an error");
	UNIT_CHECK(req->nparams <= HTTP_MAX_PARAMS,
	    "nparams never exceeds HTTP_MAX_PARAMS");
	free(uri);
}

/* Empty pairs are not parameters, so many of them are not too many. */
static void
test_many_empty_pairs(void)
{
	char	*uri = repeat("/?a=1", "&", 200);
	int	 rc = parse("GET", uri);

	UNIT_CHECK(rc == 0 && req->nparams == 1,
	    "195 empty pairs do not count as parameters");
	free(uri);
}

/* The worst cases for the arena: a full-length URI of many tiny pieces. */
static void
test_arena_bare_keys(void)
{
	char	*uri = repeat("/?", "a&", HTTP_MAX_URI);
	int	 rc = parse("GET", uri);

	UNIT_CHECK(rc == 400, "full URI of a&a&... is 400 (too many)");
	UNIT_CHECK(guard_intact(), "full URI of a&a&... stays in the arena");
	free(uri);
}

static void
test_arena_escapes(void)
{
	char		*uri = repeat("/?q=", "%41", HTTP_MAX_URI);
	int		 rc = parse("GET", uri);
	const char	*q = http_param(req, "q");
	size_t		 want = (HTTP_MAX_URI - 4) / 3;

	UNIT_CHECK(rc == 0, "full URI of %%41 escapes parses");
	UNIT_CHECK(q != NULL && strlen(q) == want && strspn(q, "A") == want,
	    "full URI of %%41 escapes decodes every one");
	UNIT_CHECK(guard_intact(),
	    "full URI of %%41 escapes stays in the arena");
	free(uri);
}

static void
test_arena_path_escapes(void)
{
	char	*uri = repeat("/", "%41", HTTP_MAX_URI);
	int	 rc = parse("GET", uri);

	UNIT_CHECK(rc == 0 && strlen(req->path) == 1 + (HTTP_MAX_URI - 1) / 3,
	    "full path of %%41 escapes decodes every one");
	UNIT_CHECK(guard_intact(), "full path of %%41 stays in the arena");
	free(uri);
}

/*
 * The '?', each '=' and each '&' become NULs, and the last value adds one
 * more: a full-length query decodes to HTTP_MAX_URI + 1 bytes, the most the
 * arena must hold. Here: "/?" then "=&" 31 times, then "=vvv...".
 */
static void
test_arena_max_pairs(void)
{
	char		*uri = repeat("/?", "=&", HTTP_MAX_URI);
	char		*last;
	size_t		 vlen;
	int		 rc;

	last = uri + 2 + 2 * (HTTP_MAX_PARAMS - 1);
	vlen = HTTP_MAX_URI - (last - uri) - 1;
	memset(last, 'v', vlen + 1);
	last[0] = '=';
	rc = parse("GET", uri);
	UNIT_CHECK(rc == 0 && req->nparams == HTTP_MAX_PARAMS,
	    "full URI of HTTP_MAX_PARAMS empty-key pairs parses");
	UNIT_CHECK(req->nparams == HTTP_MAX_PARAMS &&
	    strlen(req->params[HTTP_MAX_PARAMS - 1].val) == vlen,
	    "full URI of empty-key pairs keeps the whole last value");
	UNIT_CHECK(guard_intact(),
	    "full URI of empty-key pairs stays in the arena");
	free(uri);
}

static void
test_arena_keys_and_values(void)
{
	char	*uri = repeat("/?", "a=b&", HTTP_MAX_URI);
	char	*last;
	int	 rc;

	last = uri + 2 + 4 * (HTTP_MAX_PARAMS - 1);
	memset(last, 'c', HTTP_MAX_URI - (last - uri));
	last[1] = '=';
	rc = parse("GET", uri);
	UNIT_CHECK(rc == 0 && req->nparams == HTTP_MAX_PARAMS,
	    "full URI of HTTP_MAX_PARAMS a=b pairs parses");
	UNIT_CHECK(guard_intact(), "full URI of a=b pairs stays in the arena");
	free(uri);
}

/* A parse after a failed one starts clean. */
static void
test_reuse(void)
{
	int	 rc;

	parse("GET", "/?a=1&b=%zz");
	rc = http_parse(req, "GET", "/x");
	UNIT_CHECK(rc == 0 && req->error == NULL && req->nparams == 0,
	    "a parse after a failure starts clean");
}

static void
test_utf8_valid(void)
{
	UNIT_CHECK(http_utf8_valid("", 0), "empty string is valid UTF-8");
	UNIT_CHECK(http_utf8_valid("abc", 3), "ASCII is valid UTF-8");
	UNIT_CHECK(http_utf8_valid("\xc2\xa9", 2), "two-byte U+00A9 is valid");
	UNIT_CHECK(http_utf8_valid("\xdf\xbf", 2), "two-byte U+07FF is valid");
	UNIT_CHECK(http_utf8_valid("案", strlen("案")),
	    "three-byte 案 is valid");
	UNIT_CHECK(http_utf8_valid("\xe0\xa0\x80", 3),
	    "three-byte U+0800 is valid");
	UNIT_CHECK(http_utf8_valid("\xef\xbf\xbf", 3),
	    "three-byte U+FFFF is valid");
	UNIT_CHECK(http_utf8_valid("\xf0\x9f\x98\x80", 4),
	    "four-byte U+1F600 is valid");
	UNIT_CHECK(http_utf8_valid("\xf4\x8f\xbf\xbf", 4),
	    "four-byte U+10FFFF is valid");
	UNIT_CHECK(http_utf8_valid("a案\xc2\xa9\xf0\x9f\x98\x80z", 11),
	    "mixed lengths are valid");
}

static void
test_utf8_invalid(void)
{
	UNIT_CHECK(!http_utf8_valid("\xe6\xa1", 2),
	    "truncated 3-byte is invalid");
	UNIT_CHECK(!http_utf8_valid("\xe6", 1), "lone 3-byte lead is invalid");
	UNIT_CHECK(!http_utf8_valid("\xc2", 1), "truncated 2-byte is invalid");
	UNIT_CHECK(!http_utf8_valid("\xf0\x9f\x98", 3),
	    "truncated 4-byte is invalid");
	UNIT_CHECK(!http_utf8_valid("\xe6\xa1" "a", 3),
	    "3-byte cut by ASCII is invalid");
	UNIT_CHECK(!http_utf8_valid("\x80", 1), "lone continuation is invalid");
	UNIT_CHECK(!http_utf8_valid("\xc0\xaf", 2),
	    "overlong 2-byte is invalid");
	UNIT_CHECK(!http_utf8_valid("\xc1\xbf", 2), "overlong C1 is invalid");
	UNIT_CHECK(!http_utf8_valid("\xe0\x9f\xbf", 3),
	    "overlong 3-byte is invalid");
	UNIT_CHECK(!http_utf8_valid("\xf0\x8f\xbf\xbf", 4),
	    "overlong 4-byte is invalid");
	UNIT_CHECK(!http_utf8_valid("\xed\xa0\x80", 3), "surrogate is invalid");
	UNIT_CHECK(!http_utf8_valid("\xed\xbf\xbf", 3),
	    "low surrogate is invalid");
	UNIT_CHECK(!http_utf8_valid("\xf4\x90\x80\x80", 4),
	    "above U+10FFFF is invalid");
	UNIT_CHECK(!http_utf8_valid("\xf8\x88\x80\x80\x80", 5),
	    "five-byte form is invalid");
	UNIT_CHECK(!http_utf8_valid("\xff", 1), "0xFF is invalid");
	UNIT_CHECK(!http_utf8_valid("\xfe", 1), "0xFE is invalid");
}

/* The length, not a NUL, ends the string. */
static void
test_utf8_length(void)
{
	UNIT_CHECK(http_utf8_valid("案\xff", strlen("案")),
	    "bytes past n are not examined");
	UNIT_CHECK(!http_utf8_valid("案", 2),
	    "n inside a character is invalid");
}

int
main(void)
{
	if ((g = malloc(sizeof(*g))) == NULL)
		return 1;
	req = &g->req;
	test_get();
	test_head();
	test_other_methods();
	test_plain_path();
	test_percent_chinese();
	test_percent_ascii();
	test_raw_utf8_path();
	test_plus_in_path();
	test_plus_in_query();
	test_plus_in_query_key();
	test_query_not_in_path();
	test_bad_escapes();
	test_bad_utf8();
	test_control_chars();
	test_not_absolute();
	test_missing_uri();
	test_max_uri();
	test_too_long_uri();
	test_query_pairs();
	test_query_empty_value();
	test_query_missing_value();
	test_query_empty_pairs();
	test_query_empty();
	test_query_empty_key();
	test_query_equals_in_value();
	test_query_repeated_key();
	test_query_chinese();
	test_max_params();
	test_too_many_params();
	test_many_empty_pairs();
	test_arena_bare_keys();
	test_arena_escapes();
	test_arena_path_escapes();
	test_arena_max_pairs();
	test_arena_keys_and_values();
	test_reuse();
	test_utf8_valid();
	test_utf8_invalid();
	test_utf8_length();
	free(g);
	return unit_done();
}
