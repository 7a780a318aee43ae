/* test_markup.c: unit tests for markup.c: body markup to HTML and text. */
/* checks: 244 */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "buf.h"
#include "http.h"
#include "markup.h"
#include "unit.h"

enum mode {
	MODE_HTML,		/* markup_html of the root's children */
	MODE_TEXT		/* markup_text of the root's children */
};

static struct buf	out;

/*
 * Parses xml and returns the HTML (or, when max > 0, the plain text of at
 * most max bytes) of its root element's children; NULL on any failure.
 * The result stays valid until the next call.
 */
static const char *
convert(const char *xml, enum mode mode, size_t max)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	int		 rc;

	buf_reset(&out);
	doc = xmlReadMemory(xml, (int)strlen(xml), "test.xml", "UTF-8",
	    XML_PARSE_NONET);
	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	if (mode == MODE_HTML)
		rc = markup_html(&out, root->children);
	else
		rc = markup_text(&out, root->children, max);
	xmlFreeDoc(doc);
	if (rc != 0)
		return NULL;
	return out.len > 0 ? out.data : "";
}

static const char *
html(const char *xml)
{
	return convert(xml, MODE_HTML, 0);
}

static const char *
text(const char *xml, size_t max)
{
	return convert(xml, MODE_TEXT, max);
}

/*
 * Returns 1 when every tag in s is one markup.c writes, and every href ends
 * at its own quote: nothing from the input can have become markup.
 */
static int
safe_tags(const char *s)
{
	static const char *const tags[] = { "<p>", "</p>", "<h3>", "</h3>",
	    "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>", "<em>", "</em>",
	    "<strong>", "</strong>", "</a>", "<cite class=\"law\">", "</cite>",
	    "<a class=\"tel\" href=\"tel:", NULL };
	const char	*q;
	int		 i;

	if (s == NULL)
		return 0;
	for (; (s = strchr(s, '<')) != NULL; s++) {
		if (strncmp(s, "<a href=\"", 9) == 0) {
			if ((q = strchr(s + 9, '"')) == NULL || q[1] != '>' ||
			    memchr(s, '<', q - s) != s)
				return 0;
			continue;
		}
		for (i = 0; tags[i] != NULL; i++)
			if (strncmp(s, tags[i], strlen(tags[i])) == 0)
				break;
		if (tags[i] == NULL)
			return 0;
	}
	return 1;
}

static void
check_html(const char *xml, const char *want, const char *what)
{
	UNIT_STREQ(html(xml), want, "markup_html: %s", what);
}

/* Checks a hostile input: its HTML is want, and holds only our own tags. */
static void
check_safe(const char *xml, const char *want, const char *what)
{
	const char	*got = html(xml);

	UNIT_STREQ(got, want, "markup_html: %s", what);
	UNIT_CHECK(safe_tags(got), "markup_html: %s has only safe tags", what);
}

static void
test_paragraph(void)
{
	check_html("<b><p>你好，世界</p></b>", "<p>你好，世界</p>\n", "p");
}

static void
test_heading(void)
{
	check_html("<b><h>案件事实</h></b>", "<h3>案件事实</h3>\n",
	    "h becomes h3");
}

static void
test_lists(void)
{
	check_html("<b><ul><li>一</li><li>二</li></ul></b>",
	    "<ul>\n<li>一</li>\n<li>二</li>\n</ul>\n", "ul with li");
	check_html("<b><ol><li>first</li></ol></b>",
	    "<ol>\n<li>first</li>\n</ol>\n", "ol with li");
}

static void
test_inline(void)
{
	check_html("<b><p>a <em>b</em> <strong>c</strong></p></b>",
	    "<p>a <em>b</em> <strong>c</strong></p>\n", "em and strong in p");
	check_html("<b><ul><li><em>重点</em>内容</li></ul></b>",
	    "<ul>\n<li><em>重点</em>内容</li>\n</ul>\n", "em in li");
}

static void
test_link_https(void)
{
	check_html("<b><p><a href=\"https://www.gov.cn/a?x=1&amp;y=2\">"
	    "政府网</a></p></b>",
	    "<p><a href=\"https://www.gov.cn/a?x=1&amp;y=2\">政府网</a></p>\n",
	    "https link, & in href escaped");
}

static void
test_link_http(void)
{
	check_html("<b><p><a href=\"http://example.com/\">x</a></p></b>",
	    "<p><a href=\"http://example.com/\">x</a></p>\n", "http link");
}

static void
test_link_relative(void)
{
	check_html("<b><p><a href=\"/cases/2023-001\">案例</a></p></b>",
	    "<p><a href=\"/cases/2023-001\">案例</a></p>\n",
	    "site-relative link");
}

static void
test_link_quote_in_href(void)
{
	check_safe("<b><p><a href=\"https://x.example/&quot;onmouseover=&quot;"
	    "alert(1)\">x</a></p></b>",
	    "<p><a href=\"https://x.example/&quot;onmouseover=&quot;alert(1)\">"
	    "x</a></p>\n", "a quote in href cannot end the attribute");
}

static void
test_link_dropped(void)
{
	check_safe("<b><p><a href=\"javascript:alert(1)\">点我</a></p></b>",
	    "<p>点我</p>\n", "javascript: link is plain text");
	check_safe("<b><p><a href=\"//evil.example\">x</a></p></b>",
	    "<p>x</p>\n", "protocol-relative link is plain text");
	check_safe("<b><p><a href=\"JavaScript:alert(1)\">x</a></p></b>",
	    "<p>x</p>\n", "mixed-case javascript: link is plain text");
	check_safe("<b><p><a href=\" https://x.example/\">x</a></p></b>",
	    "<p>x</p>\n", "href with a leading space is plain text");
	check_safe("<b><p><a href=\"data:text/html,&lt;script&gt;\">x</a>"
	    "</p></b>",
	    "<p>x</p>\n", "data: link is plain text");
	check_safe("<b><p><a href=\"cases/x\">x</a></p></b>",
	    "<p>x</p>\n", "path-relative link is plain text");
	check_safe("<b><p><a href=\"\">x</a></p></b>",
	    "<p>x</p>\n", "empty href is plain text");
	check_safe("<b><p><a>x</a></p></b>", "<p>x</p>\n",
	    "a without href is plain text");
}

/*
 * Browsers read "/\host" and "/<tab>/host" as "//host" (WHATWG URL: a
 * backslash is a slash in http(s) URLs, tabs and newlines are removed), so
 * these leave the site as surely as "//evil.example" does.
 */
static void
test_link_protocol_relative_variants(void)
{
	check_safe("<b><p><a href=\"/\\evil.example\">x</a></p></b>",
	    "<p>x</p>\n", "/\\ link (a browser's //) is plain text");
	check_safe("<b><p><a href=\"/&#9;/evil.example\">x</a></p></b>",
	    "<p>x</p>\n", "/<tab>/ link (a browser's //) is plain text");
	check_safe("<b><p><a href=\"/&#10;/evil.example\">x</a></p></b>",
	    "<p>x</p>\n", "/<newline>/ link (a browser's //) is plain text");
}

static void
test_link_text_escaped(void)
{
	check_safe("<b><p><a href=\"/x\">&lt;b&gt;</a></p></b>",
	    "<p><a href=\"/x\">&lt;b&gt;</a></p>\n", "link text is escaped");
}

static void
test_link_extra_attributes(void)
{
	check_safe("<b><p><a href=\"/x\" onclick=\"evil()\" style=\"x\">y</a>"
	    "</p></b>", "<p><a href=\"/x\">y</a></p>\n",
	    "link keeps only its href");
}

static void
test_law(void)
{
	check_html("<b><p>依据<law title=\"《中华人民共和国行政处罚法》\" "
	    "article=\"第三十三条\"/>处理。</p></b>",
	    "<p>依据<cite class=\"law\">《中华人民共和国行政处罚法》第三十三条"
	    "</cite>处理。</p>\n", "law citation with article");
	check_html("<b><p><law title=\"《行政许可法》\"/></p></b>",
	    "<p><cite class=\"law\">《行政许可法》</cite></p>\n",
	    "law citation without article");
	check_html("<b><p><law/></p></b>",
	    "<p><cite class=\"law\"></cite></p>\n",
	    "law citation without attributes");
}

static void
test_tel(void)
{
	check_html("<b><p>请拨打<tel>12345</tel>反映。</p></b>",
	    "<p>请拨打<a class=\"tel\" href=\"tel:12345\">12345</a>反映。</p>\n",
	    "a phone number becomes a tel: link");
	check_html("<b><li><tel>0580-0000000</tel>（示例）</li></b>",
	    "<li><a class=\"tel\" href=\"tel:0580-0000000\">0580-0000000</a>"
	    "（示例）</li>\n", "a number with an area code keeps its hyphen");
	check_safe("<b><p><tel>1\"&gt;&lt;script&gt;x:2</tel></p></b>",
	    "<p><a class=\"tel\" href=\"tel:12\">1&quot;&gt;&lt;script&gt;x:2</a>"
	    "</p>\n", "only digits, + and - reach the tel: address");
}

static void
test_law_escaped(void)
{
	check_safe("<b><p><law title=\"《&lt;script&gt;》\" "
	    "article=\"&quot;&amp;\"/></p></b>",
	    "<p><cite class=\"law\">《&lt;script&gt;》&quot;&amp;</cite></p>\n",
	    "law title and article are escaped");
}

static void
test_markup_law(void)
{
	static const char	 xml[] = "<law title=\"《行政处罚法》\" "
	    "article=\"第九条\"/>";
	struct buf		 b = { 0 };
	xmlDocPtr		 doc;
	int			 rc = -1;

	doc = xmlReadMemory(xml, sizeof(xml) - 1, "law.xml", "UTF-8",
	    XML_PARSE_NONET);
	if (doc != NULL)
		rc = markup_law(&b, xmlDocGetRootElement(doc));
	UNIT_CHECK(rc == 0, "markup_law succeeds");
	UNIT_STREQ(b.data, "<cite class=\"law\">《行政处罚法》第九条</cite>",
	    "markup_law writes one cite");
	xmlFreeDoc(doc);
	buf_free(&b);
}

static void
test_text_escaped(void)
{
	check_safe("<b><p>1 &lt; 2 &amp;&amp; 3 &gt; 2</p></b>",
	    "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2</p>\n",
	    "text with <&> is escaped");
	check_safe("<b><p>\"双\" 'single'</p></b>",
	    "<p>&quot;双&quot; &#39;single&#39;</p>\n", "quotes are escaped");
	check_safe("<b><p>&lt;script&gt;alert(1)&lt;/script&gt;</p></b>",
	    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n",
	    "an escaped script tag stays text");
}

/* Unknown elements are dropped whole: their text and children too. */
static void
test_unknown_dropped(void)
{
	check_safe("<b><p>a<script>alert(1)</script>b</p></b>", "<p>ab</p>\n",
	    "script and its text are dropped");
	check_safe("<b><div><p>inside</p></div><p>out</p></b>", "<p>out</p>\n",
	    "unknown block drops its known children");
	check_safe("<b><p>x<img src=\"x\" onerror=\"alert(1)\"/>y</p></b>",
	    "<p>xy</p>\n", "img is dropped");
	check_safe("<b><ul><div><li>x</li></div></ul></b>", "<ul>\n</ul>\n",
	    "unknown element in a list is dropped");
	check_safe("<b><p><iframe src=\"https://evil.example\">t</iframe>"
	    "</p></b>",
	    "<p></p>\n", "iframe is dropped");
	check_safe("<b><p><svg><a href=\"/x\">t</a></svg></p></b>",
	    "<p></p>\n", "known elements inside an unknown one are dropped");
	check_safe("<b><p><P>upper</P></p></b>", "<p></p>\n",
	    "element names are case-sensitive");
}

static void
test_attributes_dropped(void)
{
	check_safe("<b><p class=\"x\" onclick=\"evil()\">t</p></b>",
	    "<p>t</p>\n", "attributes of p are dropped");
	check_safe("<b><h style=\"x\">t</h></b>", "<h3>t</h3>\n",
	    "attributes of h are dropped");
}

static void
test_other_nodes_dropped(void)
{
	check_safe("<b><p>a<!-- <script>x</script> -->b</p></b>", "<p>ab</p>\n",
	    "comments are dropped");
	check_safe("<b><p>a<?php echo 1; ?>b</p></b>", "<p>ab</p>\n",
	    "processing instructions are dropped");
	check_safe("<b><p><![CDATA[<script>x</script>]]></p></b>", "<p></p>\n",
	    "CDATA sections are dropped");
	check_safe("<!DOCTYPE b [<!ENTITY x \"&#60;i&#62;t&#60;/i&#62;\">]>"
	    "<b><p>&x;</p></b>", "<p></p>\n",
	    "entity references are dropped, never expanded into markup");
}

static void
test_blank_between_blocks(void)
{
	check_html("<b>\n  <p>一</p>\n\t<p>二</p>\r\n</b>",
	    "<p>一</p>\n<p>二</p>\n",
	    "whitespace between blocks is skipped");
	check_html("<b><ul>\n  <li>x</li>\n  <li>y</li>\n</ul></b>",
	    "<ul>\n<li>x</li>\n<li>y</li>\n</ul>\n",
	    "whitespace between list items is skipped");
}

static void
test_blank_inside_text(void)
{
	check_html("<b><p><em>a</em> <strong>b</strong></p></b>",
	    "<p><em>a</em> <strong>b</strong></p>\n",
	    "a space between inline elements is kept");
	check_html("<b><li><em>a</em> <em>b</em></li></b>",
	    "<li><em>a</em> <em>b</em></li>\n", "a space inside li is kept");
	check_html("<b><p> </p></b>", "<p> </p>\n",
	    "a blank p keeps its space");
}

static void
test_empty(void)
{
	check_html("<b></b>", "", "an empty body is empty");
	check_html("<b><p/></b>", "<p></p>\n", "an empty p");
}

static void
test_text_collapse(void)
{
	UNIT_STREQ(text("<b><p>  a \n\t b  </p></b>", 100), "a b",
	    "markup_text collapses and trims whitespace");
	UNIT_STREQ(text("<b>\n<p>一</p>\n<p>二</p>\n</b>", 100), "一 二",
	    "markup_text joins blocks with one space");
	UNIT_STREQ(text("<b><p>a<em>b</em><strong>c</strong>"
	    "<a href=\"/x\">d</a></p></b>", 100), "abcd",
	    "markup_text includes inline text");
}

static void
test_text_law(void)
{
	UNIT_STREQ(text("<b><p>依据<law title=\"《行政处罚法》\" "
	    "article=\"第三十三条\"/>处理</p></b>", 100),
	    "依据《行政处罚法》处理",
	    "markup_text includes law titles");
}

static void
test_text_escapes_nothing(void)
{
	UNIT_STREQ(text("<b><p>1 &lt; 2</p></b>", 100), "1 < 2",
	    "markup_text is plain text, not HTML");
}

static void
test_text_short(void)
{
	UNIT_STREQ(text("<b><p>行政处罚</p></b>", 100), "行政处罚",
	    "markup_text of short text is not cut");
}

/*
 * A text node right below the root, cut at every max: the result is the
 * whole characters that fit, then "…"; or, when nothing was cut, the text.
 */
static void
test_text_cut_chinese(void)
{
	static const char	 s[] = "行政处罚决定书";	/* 7 x 3 bytes */
	char			 want[64], xml[128];
	const char		*got;
	size_t			 max, keep;

	snprintf(xml, sizeof(xml), "<b>%s</b>", s);
	for (max = 1; max <= sizeof(s) + 3; max++) {
		got = text(xml, max);
		keep = max / 3 * 3;
		if (max < sizeof(s) - 1)
			snprintf(want, sizeof(want), "%.*s…", (int)keep, s);
		else
			snprintf(want, sizeof(want), "%s", s);
		UNIT_STREQ(got, want,
		    "markup_text cuts 行政处罚决定书 at max %zu", max);
		UNIT_CHECK(got != NULL && http_utf8_valid(got, strlen(got)),
		    "markup_text at max %zu is valid UTF-8", max);
	}
}

/* Mixed 1-, 2-, 3- and 4-byte characters, cut at every max. */
static void
test_text_cut_mixed(void)
{
	static const char	 s[] = "a©案😀b案©😀";
	char			 xml[128];
	const char		*got;
	size_t			 max;

	snprintf(xml, sizeof(xml), "<b>%s</b>", s);
	for (max = 1; max <= sizeof(s) + 3; max++) {
		got = text(xml, max);
		UNIT_CHECK(got != NULL && http_utf8_valid(got, strlen(got)),
		    "markup_text of mixed text at max %zu is valid UTF-8", max);
		UNIT_CHECK(got != NULL && strlen(got) <= max + strlen("…"),
		    "markup_text of mixed text at max %zu is at most max bytes "
		    "and …", max);
	}
}

/* The same, split into paragraphs, as in a case's <gist>. */
static void
test_text_cut_mixed_paragraphs(void)
{
	static const char	 s[] = "a©案😀b案©😀";
	char			 xml[128];
	const char		*got;
	size_t			 max;

	snprintf(xml, sizeof(xml), "<b><p>%s</p>\n<p>%s</p></b>", s, s);
	for (max = 1; max <= 2 * sizeof(s) + 4; max++) {
		got = text(xml, max);
		UNIT_CHECK(got != NULL && http_utf8_valid(got, strlen(got)),
		    "markup_text of mixed paragraphs at max %zu is valid UTF-8",
		    max);
	}
}

static void
test_text_cut_law(void)
{
	const char	*got;
	size_t		 max;
	int		 ok = 1;

	for (max = 1; max < 40; max++) {
		got = text("<b><law title=\"《中华人民共和国行政处罚法》\"/>"
		    "</b>", max);
		if (got == NULL || !http_utf8_valid(got, strlen(got)))
			ok = 0;
	}
	UNIT_CHECK(ok, "markup_text cut inside a law title is valid UTF-8");
}

/* The case summary is markup_text of <gist>'s children: paragraphs. */
static void
test_text_cut_in_paragraph(void)
{
	UNIT_STREQ(text("<gist><p>行政处罚决定书</p></gist>", 6), "行政…",
	    "markup_text cut inside a paragraph adds one …");
	UNIT_STREQ(text("<gist><p>行政</p><p>处罚决定书</p></gist>", 10),
	    "行政处…", "markup_text cut inside a second paragraph adds one …");
}

/* A cut that falls on a space must still say that text was cut. */
static void
test_text_cut_at_space(void)
{
	UNIT_STREQ(text("<b>abc def</b>", 4), "abc…",
	    "markup_text cut right after a space adds …");
	UNIT_STREQ(text("<b>abc def</b>", 5), "abc d…",
	    "markup_text cut after a word adds …");
}

static void
test_text_exact_fit(void)
{
	UNIT_STREQ(text("<b>abc</b>", 3), "abc",
	    "markup_text of exactly max bytes is not cut");
	UNIT_STREQ(text("<b>abc </b>", 3), "abc",
	    "markup_text of max bytes and a space is not cut");
}

int
main(void)
{
	LIBXML_TEST_VERSION
	test_paragraph();
	test_heading();
	test_lists();
	test_inline();
	test_link_https();
	test_link_http();
	test_link_relative();
	test_link_quote_in_href();
	test_link_dropped();
	test_link_protocol_relative_variants();
	test_link_text_escaped();
	test_link_extra_attributes();
	test_law();
	test_tel();
	test_law_escaped();
	test_markup_law();
	test_text_escaped();
	test_unknown_dropped();
	test_attributes_dropped();
	test_other_nodes_dropped();
	test_blank_between_blocks();
	test_blank_inside_text();
	test_empty();
	test_text_collapse();
	test_text_law();
	test_text_escapes_nothing();
	test_text_short();
	test_text_cut_chinese();
	test_text_cut_mixed();
	test_text_cut_mixed_paragraphs();
	test_text_cut_law();
	test_text_cut_in_paragraph();
	test_text_cut_at_space();
	test_text_exact_fit();
	buf_free(&out);
	xmlCleanupParser();
	return unit_done();
}
