/* test_esc.c: unit tests for esc.c (HTML escaping) and buf.c (byte buffers). */
/* checks: 89 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "esc.h"
#include "unit.h"

/* Escapes s[0..n) into a fresh buffer; the caller frees it. */
static struct buf
escape(const char *s, size_t n)
{
	struct buf	 b = { 0 };

	if (esc_html(&b, s, n) == -1)
		buf_free(&b);
	return b;
}

/* Escapes the NUL-terminated s and compares the result with want. */
static void
check_esc(const char *s, const char *want, const char *what)
{
	struct buf	 b = escape(s, strlen(s));

	UNIT_STREQ(b.len > 0 ? b.data : "", want, "esc_html: %s", what);
	UNIT_CHECK(b.len == strlen(want), "esc_html: %s has length %zu", what,
	    strlen(want));
	buf_free(&b);
}

static void
test_esc_each_special(void)
{
	check_esc("&", "&amp;", "ampersand");
	check_esc("<", "&lt;", "less-than");
	check_esc(">", "&gt;", "greater-than");
	check_esc("\"", "&quot;", "double quote");
	check_esc("'", "&#39;", "single quote");
}

static void
test_esc_all_specials(void)
{
	check_esc("&<>\"'", "&amp;&lt;&gt;&quot;&#39;", "all five specials");
	check_esc("<<<>>>", "&lt;&lt;&lt;&gt;&gt;&gt;", "runs of specials");
	check_esc("&amp;", "&amp;amp;", "an entity is escaped again");
}

static void
test_esc_mixed(void)
{
	check_esc("<script>alert('x')</script>",
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "a script tag");
	check_esc("a=\"1\" b='2'", "a=&quot;1&quot; b=&#39;2&#39;",
	    "attribute quotes");
	check_esc("x<", "x&lt;", "special at the end");
	check_esc("<x", "&lt;x", "special at the start");
}

static void
test_esc_chinese(void)
{
	check_esc("行政处罚决定书", "行政处罚决定书", "Chinese text");
	check_esc("《中华人民共和国行政处罚法》第三十三条",
	    "《中华人民共和国行政处罚法》第三十三条", "a law citation");
	check_esc("案<例>&“引号”", "案&lt;例&gt;&amp;“引号”",
	    "Chinese text with specials");
}

/* Every byte but the five specials and NUL passes through unchanged. */
static void
test_esc_other_bytes(void)
{
	char		 in[256];
	struct buf	 b;
	size_t		 n = 0;
	int		 c;

	for (c = 1; c < 256; c++)
		if (esc_html_entity((unsigned char)c) == NULL)
			in[n++] = (char)c;
	b = escape(in, n);
	UNIT_CHECK(n == 250, "250 bytes besides NUL need no escaping");
	UNIT_CHECK(b.len == n && memcmp(b.data, in, n) == 0,
	    "esc_html leaves all other bytes untouched");
	buf_free(&b);
}

static void
test_esc_empty(void)
{
	struct buf	 b = { 0 };
	int		 rc = esc_html(&b, "", 0);

	UNIT_CHECK(rc == 0 && b.len == 0, "esc_html of \"\" adds nothing");
	buf_free(&b);
}

static void
test_esc_embedded_nul(void)
{
	static const char	 in[] = "a\0<b\0";
	static const char	 want[] = "a\0&lt;b\0";
	struct buf		 b = escape(in, sizeof(in) - 1);

	UNIT_CHECK(b.len == sizeof(want) - 1 &&
	    memcmp(b.data, want, sizeof(want) - 1) == 0,
	    "esc_html copies NUL bytes and goes on by length");
	buf_free(&b);
}

static void
test_esc_length_limit(void)
{
	struct buf	 b = escape("ab<cd", 2);

	UNIT_STREQ(b.data, "ab", "esc_html stops at n, before a special");
	buf_free(&b);
	b = escape("ab<cd", 3);
	UNIT_STREQ(b.data, "ab&lt;", "esc_html stops at n, after a special");
	buf_free(&b);
}

static void
test_esc_appends(void)
{
	struct buf	 b = { 0 };
	int		 rc;

	rc = buf_puts(&b, "<p>") | esc_html(&b, "1<2", 3) |
	    buf_puts(&b, "</p>");
	UNIT_CHECK(rc == 0, "esc_html appends without error");
	UNIT_STREQ(b.data, "<p>1&lt;2</p>",
	    "esc_html appends to what is there");
	buf_free(&b);
}

static void
test_esc_long(void)
{
	struct buf	 b;
	char		*in;
	size_t		 i, n = 10000;
	int		 ok = 1;

	if ((in = malloc(n)) == NULL)
		abort();
	memset(in, '<', n);
	b = escape(in, n);
	for (i = 0; ok && i < n; i++)
		ok = memcmp(b.data + 4 * i, "&lt;", 4) == 0;
	UNIT_CHECK(b.len == 4 * n && ok,
	    "10000 specials escape to 40000 bytes");
	UNIT_CHECK(b.data != NULL && b.data[b.len] == '\0',
	    "a long escape is NUL-terminated");
	buf_free(&b);
	free(in);
}

static void
test_span(void)
{
	UNIT_CHECK(esc_html_span("", 0) == 0, "span of \"\" is 0");
	UNIT_CHECK(esc_html_span("abc", 3) == 3, "span of safe text is n");
	UNIT_CHECK(esc_html_span("ab<c", 4) == 2, "span stops at <");
	UNIT_CHECK(esc_html_span("<abc", 4) == 0,
	    "span of a leading special is 0");
	UNIT_CHECK(esc_html_span("abc&", 4) == 3, "span stops at a final &");
	UNIT_CHECK(esc_html_span("a>b<", 4) == 1,
	    "span stops at the first one");
	UNIT_CHECK(esc_html_span("行政", strlen("行政")) == strlen("行政"),
	    "span of Chinese text is n");
	UNIT_CHECK(esc_html_span("案'", strlen("案'")) == strlen("案"),
	    "span counts bytes of Chinese text");
}

static void
test_span_each_special(void)
{
	static const char	 specials[] = "&<>\"'";
	char			 s[4] = "ab?";
	size_t			 i;

	for (i = 0; specials[i] != '\0'; i++) {
		s[2] = specials[i];
		UNIT_CHECK(esc_html_span(s, 3) == 2, "span stops at '%c'",
		    specials[i]);
	}
}

static void
test_span_length(void)
{
	UNIT_CHECK(esc_html_span("ab<", 2) == 2, "span does not look past n");
	UNIT_CHECK(esc_html_span("a\0<", 3) == 2, "span goes past a NUL byte");
}

/* The first special of s, byte by byte: what esc_html_span must agree with. */
static size_t
naive_span(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && esc_html_entity((unsigned char)s[i]) == NULL; i++)
		;
	return i;
}

/*
 * esc_html_span looks at eight bytes at a time: each special at each place
 * of the first three words, in ASCII and in Chinese text, and bytes next to
 * the specials' values (where a word-at-a-time test could be fooled) in
 * random strings, all agree with a byte-by-byte look.
 */
static void
test_span_words(void)
{
	static const char	 specials[] = "&<>\"'";
	static const unsigned char near[] = { 0, 1, 0x21, 0x22, 0x23, 0x25, 0x26,
	    0x27, 0x28, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x7f, 0x80, 0xa6, 0xbc,
	    0xe6, 0xff, 'a' };
	char			 s[64];
	size_t			 len, pos, i, bad = 0;
	int			 fill, k;

	for (fill = 0; fill < 2; fill++)
		for (len = 1; len <= 24; len++)
			for (pos = 0; pos < len; pos++)
				for (i = 0; specials[i] != '\0'; i++) {
					memset(s, fill ? 0xe6 : 'a', len);
					s[pos] = specials[i];
					bad += esc_html_span(s, len) != pos;
				}
	UNIT_CHECK(bad == 0, "span finds each special at each place of a word "
	    "(%zu wrong)", bad);
	srand(7);
	for (k = 0; k < 100000; k++) {
		len = (size_t)(rand() % 40);
		for (i = 0; i < len; i++)
			s[i] = (char)near[rand() % sizeof(near)];
		bad += esc_html_span(s, len) != naive_span(s, len);
	}
	UNIT_CHECK(bad == 0, "span agrees with a byte-by-byte look on random "
	    "strings (%zu wrong)", bad);
}

static void
test_entity(void)
{
	UNIT_STREQ(esc_html_entity('&'), "&amp;", "entity of &");
	UNIT_STREQ(esc_html_entity('<'), "&lt;", "entity of <");
	UNIT_STREQ(esc_html_entity('>'), "&gt;", "entity of >");
	UNIT_STREQ(esc_html_entity('"'), "&quot;", "entity of \"");
	UNIT_STREQ(esc_html_entity('\''), "&#39;", "entity of '");
	UNIT_CHECK(esc_html_entity('a') == NULL, "a has no entity");
	UNIT_CHECK(esc_html_entity('\0') == NULL, "NUL has no entity");
	UNIT_CHECK(esc_html_entity(0xE6) == NULL,
	    "a UTF-8 lead byte has no entity");
}

static void
test_buf_add(void)
{
	struct buf	 b = { 0 };
	int		 rc;

	rc = buf_add(&b, "abc", 3) | buf_add(&b, "de", 2);
	UNIT_CHECK(rc == 0 && b.len == 5, "buf_add appends bytes");
	UNIT_STREQ(b.data, "abcde", "buf_add keeps the buffer NUL-terminated");
	UNIT_CHECK(b.cap > b.len, "buf_add leaves room for the NUL");
	buf_free(&b);
}

static void
test_buf_grow(void)
{
	struct buf	 b = { 0 };
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < 1000; i++)
		rc |= buf_add(&b, "0123456789", 10);
	UNIT_CHECK(rc == 0 && b.len == 10000,
	    "buf_add grows past its first size");
	UNIT_CHECK(memcmp(b.data + 9990, "0123456789", 10) == 0 &&
	    b.data[10000] == '\0', "a grown buffer keeps its bytes");
	buf_free(&b);
}

static void
test_buf_too_large(void)
{
	struct buf	 b = { 0 };
	int		 rc;

	buf_puts(&b, "keep");
	rc = buf_add(&b, "x", (size_t)-1 / 2);
	UNIT_CHECK(rc == -1, "buf_add of SIZE_MAX/2 bytes fails");
	UNIT_STREQ(b.data, "keep",
	    "a failed buf_add leaves the buffer unchanged");
	UNIT_CHECK(b.len == 4, "a failed buf_add leaves the length unchanged");
	buf_free(&b);
}

/*
 * A size so large that len + n + 1 wraps around must still be refused.
 * It runs in a child, so that a wrong answer (a huge memcpy) fails this
 * check instead of crashing the whole program.
 */
static void
test_buf_wrapping_size(void)
{
	struct buf	 b = { 0 };
	pid_t		 pid;
	int		 status = -1;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		buf_puts(&b, "keep");
		_exit(buf_add(&b, "x", (size_t)-1) == -1 && b.len == 4 ? 0 : 1);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	UNIT_CHECK(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "buf_add of SIZE_MAX bytes fails cleanly (child status %d)",
	    status);
}

static void
test_buf_printf(void)
{
	struct buf	 b = { 0 };
	int		 rc;

	rc = buf_puts(&b, "n=") | buf_printf(&b, "%d-%s", 42, "案");
	UNIT_CHECK(rc == 0, "buf_printf succeeds");
	UNIT_STREQ(b.data, "n=42-案", "buf_printf appends formatted text");
	UNIT_CHECK(b.len == strlen("n=42-案"), "buf_printf counts its bytes");
	buf_free(&b);
}

static void
test_buf_printf_long(void)
{
	struct buf	 b = { 0 };
	int		 rc;

	rc = buf_printf(&b, "%0*d", 1000, 7);
	UNIT_CHECK(rc == 0 && b.len == 1000 && b.data[999] == '7' &&
	    b.data[1000] == '\0', "buf_printf grows for long output");
	buf_free(&b);
}

static void
test_buf_reset(void)
{
	struct buf	 b = { 0 };
	size_t		 cap;
	char		*data;

	buf_puts(&b, "hello");
	cap = b.cap;
	data = b.data;
	buf_reset(&b);
	UNIT_CHECK(b.len == 0 && b.data[0] == '\0',
	    "buf_reset empties the buffer");
	UNIT_CHECK(b.cap == cap && b.data == data,
	    "buf_reset keeps the memory");
	buf_puts(&b, "hi");
	UNIT_STREQ(b.data, "hi", "a reset buffer takes new text");
	buf_free(&b);
}

static void
test_buf_reset_empty(void)
{
	struct buf	 b = { 0 };

	buf_reset(&b);
	UNIT_CHECK(b.data == NULL && b.len == 0,
	    "buf_reset of a never-used buffer is harmless");
}

static void
test_buf_free(void)
{
	struct buf	 b = { 0 };

	buf_puts(&b, "x");
	buf_free(&b);
	UNIT_CHECK(b.data == NULL && b.len == 0 && b.cap == 0,
	    "buf_free zeroes the buffer");
	buf_free(&b);
	UNIT_CHECK(b.data == NULL, "buf_free twice is harmless");
}

/* Search marks (U+0001 open, U+0002 close) become <mark>, the rest escaped. */
static void
test_marked(void)
{
	struct buf	 b = { 0 };

	esc_marked(&b, "a<\1b&\2c", 1);
	UNIT_STREQ(b.data, "a&lt;<mark>b&amp;</mark>c", "marks become <mark>, text escaped");
	buf_reset(&b);
	esc_marked(&b, "a<\1b\2c", 0);
	UNIT_STREQ(b.data, "a<bc", "plain: marks dropped, nothing escaped");
	buf_reset(&b);
	esc_marked(&b, "\2x\1y", 1);
	UNIT_STREQ(b.data, "x<mark>y</mark>", "a stray close dropped, an open one closed");
	buf_reset(&b);
	esc_marked(&b, "\1a\1b\2\2", 1);
	UNIT_STREQ(b.data, "<mark>ab</mark>", "no nesting");
	buf_reset(&b);
	esc_marked(&b, "", 1);
	UNIT_STREQ(b.data, "", "empty");
	buf_free(&b);
}

int
main(void)
{
	test_esc_each_special();
	test_esc_all_specials();
	test_esc_mixed();
	test_esc_chinese();
	test_esc_other_bytes();
	test_esc_empty();
	test_esc_embedded_nul();
	test_esc_length_limit();
	test_esc_appends();
	test_esc_long();
	test_span();
	test_span_each_special();
	test_span_length();
	test_span_words();
	test_entity();
	test_buf_add();
	test_buf_grow();
	test_buf_too_large();
	test_buf_wrapping_size();
	test_buf_printf();
	test_buf_printf_long();
	test_buf_reset();
	test_buf_reset_empty();
	test_buf_free();
	test_marked();
	return unit_done();
}
