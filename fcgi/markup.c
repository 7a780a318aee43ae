/*
 * markup.c: body markup -> HTML. The schema already allows only p, h, ul,
 * ol, li, em, strong, a, law and tel; this file maps each to fixed HTML, escapes
 * every text and attribute, and drops anything else, so its output is safe
 * to print unescaped even if the schema were loosened by mistake.
 */
#include <string.h>

#include "buf.h"
#include "esc.h"
#include "markup.h"

static const struct {
	const char	*name;	/* element in content */
	const char	*open;	/* HTML written for it */
	const char	*close;
} markup_map[] = {
	{ "p", "<p>", "</p>\n" },
	{ "h", "<h3>", "</h3>\n" },
	{ "ul", "<ul>\n", "</ul>\n" },
	{ "ol", "<ol>\n", "</ol>\n" },
	{ "li", "<li>", "</li>\n" },
	{ "em", "<em>", "</em>" },
	{ "strong", "<strong>", "</strong>" },
};

static int
markup_attr_esc(struct buf *b, xmlNodePtr n, const char *name)
{
	xmlChar	*v = xmlGetProp(n, (const xmlChar *)name);
	int	 rc = 0;

	if (v != NULL)
		rc = esc_html(b, (const char *)v, strlen((const char *)v));
	xmlFree(v);
	return rc;
}

/*
 * A link target is http(s) or a path on this site; anything else is dropped.
 * NOTE: browsers read "/\x", "/<tab>/x" and "//x" alike, as another host.
 */
static int
markup_href_ok(const char *h)
{
	if (strncmp(h, "https://", 8) == 0 || strncmp(h, "http://", 7) == 0)
		return 1;
	return h[0] == '/' && (h[1] == '\0' || strchr("/\\\t\r\n", h[1]) == NULL);
}

/* <law title="《…》" article="…"/> -> <cite class="law">《…》…</cite> */
int
markup_law(struct buf *b, xmlNodePtr n)
{
	xmlChar	*art = xmlGetProp(n, (const xmlChar *)"article");
	int	 rc;

	rc = buf_puts(b, "<cite class=\"law\">") | markup_attr_esc(b, n, "title");
	if (art != NULL)
		rc |= esc_html(b, (const char *)art, strlen((const char *)art));
	xmlFree(art);
	return rc | buf_puts(b, "</cite>");
}

/*
 * <tel>0580-0000000</tel> -> <a class="tel" href="tel:0580-0000000">…</a>:
 * the address keeps only the digits, "+" and "-" of the number, so nothing
 * else reaches it whatever the schema let through.
 */
static int
markup_tel(struct buf *b, xmlNodePtr n)
{
	const char	*t = (n->children != NULL && n->children->type ==
	    XML_TEXT_NODE && n->children->content != NULL) ?
	    (const char *)n->children->content : "";
	int		 rc = buf_puts(b, "<a class=\"tel\" href=\"tel:");

	for (; *t != '\0'; t++)
		if ((*t >= '0' && *t <= '9') || *t == '+' || *t == '-')
			rc |= buf_add(b, t, 1);
	return rc | buf_puts(b, "\">") | markup_html(b, n->children) |
	    buf_puts(b, "</a>");
}

static int
markup_link(struct buf *b, xmlNodePtr n)
{
	xmlChar	*href = xmlGetProp(n, (const xmlChar *)"href");
	int	 rc = 0;

	if (href != NULL && markup_href_ok((const char *)href)) {
		rc = buf_puts(b, "<a href=\"") | esc_html(b, (const char *)href,
		    strlen((const char *)href)) | buf_puts(b, "\">") |
		    markup_html(b, n->children) | buf_puts(b, "</a>");
	} else
		rc = markup_html(b, n->children);
	xmlFree(href);
	return rc;
}

/* A whitespace-only text node that sits between two block elements. */
static int
markup_blank(xmlNodePtr n)
{
	const char	*s = (const char *)n->content;
	static const char *const inl[] = { "p", "h", "li", "em", "strong",
	    "a", "tel", NULL };
	int		 i;

	for (i = 0; n->parent != NULL && inl[i] != NULL; i++)
		if (strcmp((const char *)n->parent->name, inl[i]) == 0)
			return 0;	/* inside text: spaces matter */
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
			return 0;
	return 1;
}

/*
 * Appends the HTML for the sibling list starting at n. Returns 0, or -1
 * when out of memory.
 */
int
markup_html(struct buf *b, xmlNodePtr n)
{
	size_t	 i;
	int	 rc = 0;

	for (; n != NULL && rc == 0; n = n->next) {
		if (n->type == XML_TEXT_NODE && markup_blank(n))
			continue;	/* layout between blocks, not text */
		if (n->type == XML_TEXT_NODE) {
			rc = esc_html(b, (const char *)n->content,
			    strlen((const char *)n->content));
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, "a") == 0) {
			rc = markup_link(b, n);
			continue;
		}
		if (strcmp((const char *)n->name, "law") == 0) {
			rc = markup_law(b, n);
			continue;
		}
		if (strcmp((const char *)n->name, "tel") == 0) {
			rc = markup_tel(b, n);
			continue;
		}
		for (i = 0; i < sizeof(markup_map) / sizeof(markup_map[0]); i++)
			if (strcmp((const char *)n->name, markup_map[i].name) == 0)
				break;
		if (i == sizeof(markup_map) / sizeof(markup_map[0]))
			continue;
		rc = buf_puts(b, markup_map[i].open) | markup_html(b, n->children) |
		    buf_puts(b, markup_map[i].close);
	}
	return rc ? -1 : 0;
}

/* Appends text, collapsing whitespace runs; stops once b holds max bytes. */
static int
markup_text_add(struct buf *b, const char *s, size_t max)
{
	for (; *s != '\0' && b->len < max; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') {
			if (b->len > 0 && b->data[b->len - 1] != ' ' &&
			    buf_add(b, " ", 1) == -1)
				return -1;
		} else if (buf_add(b, s, 1) == -1)
			return -1;
	}
	return 0;
}

/* Collects the text of the sibling list at n into b, up to max bytes. */
static int
markup_text_collect(struct buf *b, xmlNodePtr n, size_t max)
{
	xmlChar	*s;
	int	 rc = 0;

	for (; n != NULL && rc == 0 && b->len < max; n = n->next) {
		if (n->type == XML_TEXT_NODE)
			rc = markup_text_add(b, (const char *)n->content, max);
		else if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, "law") == 0) {
			s = xmlGetProp(n, (const xmlChar *)"title");
			rc = markup_text_add(b, s ? (const char *)s : "", max);
			xmlFree(s);
		} else if (n->type == XML_ELEMENT_NODE)
			rc = markup_text_collect(b, n->children, max);
	}
	return rc;
}

/* Drops a multi-byte character left incomplete at the end of b. */
static void
markup_cut_utf8(struct buf *b)
{
	size_t		 p = b->len, want;
	unsigned char	 c;

	while (p > 0 && ((unsigned char)b->data[p - 1] & 0xC0) == 0x80)
		p--;
	if (p == 0)
		return;
	c = (unsigned char)b->data[p - 1];
	want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (p - 1 + want > b->len) {
		b->len = p - 1;
		b->data[b->len] = '\0';
	}
}

/*
 * Sets b to the plain text of the sibling list at n (law citations
 * included, whitespace collapsed, paragraphs run together as Chinese text
 * does): at most max bytes, cut at a character
 * boundary and ended with "…" when the text is longer.
 */
int
markup_text(struct buf *b, xmlNodePtr n, size_t max)
{
	int	 cut;

	buf_reset(b);
	/* Two bytes more than max: spaces are collapsed, so past one of them
	 * there is text, which tells a real cut from trailing space. */
	if (markup_text_collect(b, n, max + 2) == -1)
		return -1;
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->len--;
	if ((cut = b->len > max)) {
		b->len = max;
		markup_cut_utf8(b);
		while (b->len > 0 && b->data[b->len - 1] == ' ')
			b->len--;
	}
	if (b->data != NULL)
		b->data[b->len] = '\0';
	return cut ? buf_puts(b, "…") : 0;
}
