/*
 * caseform.c: a case (案例) as the console's editor form holds it, and the
 * two ways between that form and the case's XML (content/schema/case.rng).
 *
 * The XML is made with libxml2's tree API, never by joining strings, so no
 * text a person typed can become markup. Body sections are plain text in
 * the form: blocks separated by a blank line are paragraphs; a block whose
 * lines all start with "- " is a list (<ul>), "1. " a numbered list (<ol>);
 * a one-line block starting with "## " a sub-heading (<h>). Inside a
 * paragraph or list item, **text** is <strong>, *text* is <em> and
 * [text](https://…) is a link: the only markup there is. An inline <law> or
 * <tel> of a hand-written file comes back as its plain text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "caseform.h"
#include "form.h"
#include "xmlchar.h"

static const struct {
	const char	*name;		/* the element */
	const char	*label;		/* its name on the page */
	int		 required;
} caseform_sections[CASEFORM_SECTION__MAX] = {
	[CASEFORM_GIST] = { "gist", "要旨", 1 },
	[CASEFORM_FACTS] = { "facts", "基本案情", 1 },
	[CASEFORM_OUTCOME] = { "outcome", "处理结果", 1 },
	[CASEFORM_EXPLANATION] = { "explanation", "以案释法", 1 },
	[CASEFORM_CREDIT] = { "credit", "信用影响", 0 },
};

const char *
caseform_section_name(enum caseform_section s)
{
	return caseform_sections[s].name;
}

const char *
caseform_section_label(enum caseform_section s)
{
	return caseform_sections[s].label;
}

int
caseform_section_required(enum caseform_section s)
{
	return caseform_sections[s].required;
}

/* A copy of s with leading and trailing white space removed (never NULL). */
static char *
caseform_trimmed(const char *s)
{
	size_t	 n;
	char	*d;

	if (s == NULL)
		s = "";
	s += strspn(s, " \t\r\n");
	n = strlen(s);
	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		n--;
	if ((d = malloc(n + 1)) == NULL)
		abort();	/* a few bytes: out of memory is fatal */
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Frees the strings of one legal basis. */
static void
caseform_law_free(struct caseform_law *l)
{
	free(l->ref);
	free(l->article);
	free(l->paragraph);
	free(l->item);
	free(l->title);
}

void
caseform_init(struct caseform *cf)
{
	int	 i;

	memset(cf, 0, sizeof(*cf));
	cf->title = caseform_trimmed("");
	cf->published = caseform_trimmed("");
	cf->updated = caseform_trimmed("");
	cf->domain = caseform_trimmed("");
	cf->town = caseform_trimmed("");
	cf->procedure = caseform_trimmed("");
	cf->decision = caseform_trimmed("");
	cf->publish_at = caseform_trimmed("");
	for (i = 0; i < CASEFORM_MAX_KEYWORDS; i++)
		cf->keywords[i] = caseform_trimmed("");
	for (i = 0; i < CASEFORM_SECTION__MAX; i++)
		cf->sections[i] = caseform_trimmed("");
}

void
caseform_free(struct caseform *cf)
{
	int	 i;

	free(cf->title);
	free(cf->published);
	free(cf->updated);
	free(cf->domain);
	free(cf->town);
	free(cf->procedure);
	free(cf->decision);
	free(cf->publish_at);
	for (i = 0; i < CASEFORM_MAX_KEYWORDS; i++)
		free(cf->keywords[i]);
	for (i = 0; i < CASEFORM_SECTION__MAX; i++)
		free(cf->sections[i]);
	for (i = 0; i < cf->nlaws; i++)
		caseform_law_free(&cf->laws[i]);
	for (i = 0; i < cf->nrelated; i++)
		free(cf->related[i]);
	memset(cf, 0, sizeof(*cf));
}

/* Replaces *slot with a trimmed copy of s. */
static void
caseform_set(char **slot, const char *s)
{
	free(*slot);
	*slot = caseform_trimmed(s);
}

/* The field key with a number after it (keyword3, law_title2 …). */
static const char *
caseform_nth(const struct form *f, const char *key, int n)
{
	char	 name[64];

	snprintf(name, sizeof(name), "%s%d", key, n);
	return form_get(f, name);
}

/* Body text: CRLF and CR made LF, so that blank lines are found alike. */
static char *
caseform_text(const char *s)
{
	char	*d = caseform_trimmed(s), *r, *w;

	for (r = w = d; *r != '\0'; r++)
		if (*r != '\r')
			*w++ = *r;
		else if (r[1] != '\n')
			*w++ = '\n';
	*w = '\0';
	return d;
}

/* Whether s is absent or only blanks. */
static int
caseform_blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/*
 * Adds row n of the form's legal bases (law_refN, law_articleN,
 * law_paragraphN, law_itemN, and law_titleN of the older form) to cf
 * when anything in it is filled in: an emptied row is removed.
 */
static void
caseform_law_row(struct caseform *cf, const struct form *f, int n)
{
	static const char *const keys[] = { "law_ref", "law_article",
	    "law_paragraph", "law_item", "law_title" };
	struct caseform_law	*l = &cf->laws[cf->nlaws];
	const char		*v[5];
	int			 i, any = 0;

	for (i = 0; i < 5; i++)
		any |= !caseform_blank(v[i] = caseform_nth(f, keys[i], n));
	if (!any)
		return;
	l->ref = caseform_trimmed(v[0]);
	l->article = caseform_trimmed(v[1]);
	l->paragraph = caseform_trimmed(v[2]);
	l->item = caseform_trimmed(v[3]);
	l->title = caseform_trimmed(v[4]);
	cf->nlaws++;
}

/*
 * Fills cf from the editor's POST body: every row of the repeated parts
 * that has something in it, in order; empty rows are dropped (that is how a
 * row is removed). Returns 0.
 */
int
caseform_from_post(struct caseform *cf, const struct form *f)
{
	const char	*t;
	int		 i, k = 0;

	caseform_set(&cf->title, form_get(f, "title"));
	caseform_set(&cf->published, form_get(f, "published"));
	caseform_set(&cf->updated, form_get(f, "updated"));
	caseform_set(&cf->domain, form_get(f, "domain"));
	caseform_set(&cf->town, form_get(f, "town"));
	caseform_set(&cf->procedure, form_get(f, "procedure"));
	caseform_set(&cf->decision, form_get(f, "decision"));
	caseform_set(&cf->publish_at, form_get(f, "publish_at"));
	for (i = 1; i <= CASEFORM_MAX_KEYWORDS; i++)
		if ((t = caseform_nth(f, "keyword", i)) != NULL &&
		    t[strspn(t, " \t\r\n")] != '\0')
			caseform_set(&cf->keywords[k++], t);
	for (i = 0; i < CASEFORM_SECTION__MAX; i++) {
		free(cf->sections[i]);
		cf->sections[i] = caseform_text(form_get(f, caseform_sections[i].name));
	}
	for (i = 1; i <= CASEFORM_MAX_LAWS + CASEFORM_SPARE_ROWS &&
	    cf->nlaws < CASEFORM_MAX_LAWS; i++)
		caseform_law_row(cf, f, i);
	for (i = 1; i <= CASEFORM_MAX_RELATED + CASEFORM_SPARE_ROWS &&
	    cf->nrelated < CASEFORM_MAX_RELATED; i++)
		if ((t = caseform_nth(f, "related", i)) != NULL &&
		    t[strspn(t, " \t")] != '\0')
			cf->related[cf->nrelated++] = caseform_trimmed(t);
	return 0;
}

/* Appends len bytes of s to the text of parent. */
static void
caseform_add_text(xmlNodePtr parent, const char *s, size_t len)
{
	if (len > 0)
		xmlNodeAddContentLen(parent, (const xmlChar *)s, (int)len);
}

/* Adds child name of parent holding len bytes of s as text. */
static xmlNodePtr
caseform_add_el(xmlNodePtr parent, const char *name, const char *s, size_t len)
{
	xmlNodePtr	 el = xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);

	caseform_add_text(el, s, len);
	return el;
}

/*
 * Turns the inline text s (len bytes) into text, <strong>, <em> and <a>
 * children of parent. An opening mark without its closing one is text.
 */
static void
caseform_inline(xmlNodePtr parent, const char *s, size_t len)
{
	const char	*end = s + len, *p = s, *close, *mid;
	xmlNodePtr	 a;

	while (p < end) {
		if (p + 1 < end && p[0] == '*' && p[1] == '*' &&
		    (close = memmem(p + 2, (size_t)(end - p - 2), "**", 2)) != NULL &&
		    close > p + 2) {
			caseform_add_text(parent, s, (size_t)(p - s));
			caseform_add_el(parent, "strong", p + 2, (size_t)(close - p - 2));
			s = p = close + 2;
		} else if (p[0] == '*' && (close = memchr(p + 1, '*',
		    (size_t)(end - p - 1))) != NULL && close > p + 1) {
			caseform_add_text(parent, s, (size_t)(p - s));
			caseform_add_el(parent, "em", p + 1, (size_t)(close - p - 1));
			s = p = close + 1;
		} else if (p[0] == '[' && (mid = memmem(p + 1, (size_t)(end - p - 1),
		    "](", 2)) != NULL && (close = memchr(mid + 2, ')',
		    (size_t)(end - mid - 2))) != NULL) {
			caseform_add_text(parent, s, (size_t)(p - s));
			a = caseform_add_el(parent, "a", p + 1, (size_t)(mid - p - 1));
			xmlChar *href = xmlStrndup((const xmlChar *)mid + 2,
			    (int)(close - mid - 2));
			xmlNewProp(a, (const xmlChar *)"href", href);
			xmlFree(href);
			s = p = close + 1;
		} else
			p++;
	}
	caseform_add_text(parent, s, (size_t)(end - s));
}

/* Does the line start as an item of a numbered list ("1. ", "12. ")? */
static size_t
caseform_ol_mark(const char *line)
{
	size_t	 n = strspn(line, "0123456789");

	return n > 0 && line[n] == '.' && line[n + 1] == ' ' ? n + 2 : 0;
}

/* Adds one block (its lines joined by '\n', len bytes) to section el. */
static void
caseform_block(xmlNodePtr el, const char *b, size_t len)
{
	const char	*p, *nl, *end = b + len;
	xmlNodePtr	 list, n;
	int		 ul = 1, ol = 1;

	for (p = b; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		ul = ul && nl - p > 2 && p[0] == '-' && p[1] == ' ';
		ol = ol && caseform_ol_mark(p) > 0;
	}
	if (memchr(b, '\n', len) == NULL && len > 3 && strncmp(b, "## ", 3) == 0) {
		caseform_add_el(el, "h", b + 3, len - 3);
		return;
	}
	if (!ul && !ol) {
		n = xmlNewChild(el, NULL, (const xmlChar *)"p", NULL);
		for (p = b; p < end; p = nl + 1) {	/* lines of a paragraph join */
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			caseform_inline(n, p, (size_t)(nl - p));
		}
		return;
	}
	list = xmlNewChild(el, NULL, (const xmlChar *)(ul ? "ul" : "ol"), NULL);
	for (p = b; p < end; p = nl + 1) {
		size_t	 skip = ul ? 2 : caseform_ol_mark(p);

		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = xmlNewChild(list, NULL, (const xmlChar *)"li", NULL);
		caseform_inline(n, p + skip, (size_t)(nl - p - skip));
	}
}

/* Adds section name with the blocks of text; nothing when text is empty. */
static void
caseform_body(xmlNodePtr root, const char *name, const char *text)
{
	const char	*p = text, *q, *line, *end;
	xmlNodePtr	 el;

	if (*text == '\0')
		return;
	el = xmlNewChild(root, NULL, (const xmlChar *)name, NULL);
	while (*p != '\0') {
		/* a block ends at a line holding only white space */
		for (q = p, line = p; ; ) {
			end = strchr(line, '\n');
			if (end == NULL) {
				q = line + strlen(line);
				break;
			}
			if (line[strspn(line, " \t")] == '\n' && line > p) {
				q = line - 1;
				break;
			}
			line = end + 1;
		}
		if (p[strspn(p, " \t\n")] == '\0')
			break;
		p += strspn(p, " \t\n");
		if (q > p)
			caseform_block(el, p, (size_t)(q - p));
		p = *q != '\0' ? q + 1 : q;
	}
}

/* Adds the text child name when s is not empty. */
static void
caseform_field(xmlNodePtr root, const char *name, const char *s)
{
	if (*s != '\0')
		caseform_add_el(root, name, s, strlen(s));
}

/*
 * Adds one <law> to basis: ref, article, paragraph and item when there is
 * a ref (or anything but a title: the check then says what is missing),
 * else the older form's title and article. Empty attributes are left out.
 */
static void
caseform_law_el(xmlNodePtr basis, const struct caseform_law *l)
{
	const char	*names[] = { "ref", "article", "paragraph", "item" };
	const char	*v[] = { l->ref, l->article, l->paragraph, l->item };
	xmlNodePtr	 n;
	int		 i;

	n = xmlNewChild(basis, NULL, (const xmlChar *)"law", NULL);
	if (l->ref[0] == '\0' && l->title[0] != '\0') {
		xmlNewProp(n, (const xmlChar *)"title", (const xmlChar *)l->title);
		if (l->article[0] != '\0')
			xmlNewProp(n, (const xmlChar *)"article",
			    (const xmlChar *)l->article);
		return;
	}
	for (i = 0; i < 4; i++)
		if (v[i][0] != '\0')
			xmlNewProp(n, (const xmlChar *)names[i],
			    (const xmlChar *)v[i]);
}

/* Adds the keywords, the basis and the related items that are filled in. */
static void
caseform_lists(xmlNodePtr root, const struct caseform *cf, int part)
{
	xmlNodePtr	 el, n;
	int		 i;

	if (part == 0 && cf->keywords[0][0] != '\0') {
		el = xmlNewChild(root, NULL, (const xmlChar *)"keywords", NULL);
		for (i = 0; i < CASEFORM_MAX_KEYWORDS && cf->keywords[i] &&
		    cf->keywords[i][0] != '\0'; i++)
			caseform_field(el, "k", cf->keywords[i]);
	} else if (part == 1 && cf->nlaws > 0) {
		el = xmlNewChild(root, NULL, (const xmlChar *)"basis", NULL);
		for (i = 0; i < cf->nlaws; i++)
			caseform_law_el(el, &cf->laws[i]);
	} else if (part == 2 && cf->nrelated > 0) {
		el = xmlNewChild(root, NULL, (const xmlChar *)"related", NULL);
		for (i = 0; i < cf->nrelated; i++) {
			n = xmlNewChild(el, NULL, (const xmlChar *)"ref", NULL);
			xmlNewProp(n, (const xmlChar *)"id",
			    (const xmlChar *)cf->related[i]);
		}
	}
}

/*
 * The case's XML, status="published" (what approving puts in content/),
 * with publish-at when one is set: in a new string (free) of *len bytes.
 * What is empty is left out, so that an incomplete draft still saves and
 * the check says what is missing. Returns NULL when out of memory.
 */
char *
caseform_to_xml(const struct caseform *cf, size_t *len)
{
	xmlDocPtr	 doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr	 root = xmlNewNode(NULL, (const xmlChar *)"case");
	xmlChar		*out = NULL;
	char		*ret = NULL, at[40];
	int		 n = 0, i;

	xmlDocSetRootElement(doc, root);
	xmlNewProp(root, (const xmlChar *)"status", (const xmlChar *)"published");
	if (cf->publish_at[0] != '\0') {
		/* <input type=datetime-local> gives no seconds */
		snprintf(at, sizeof(at), "%s%s", cf->publish_at,
		    strlen(cf->publish_at) == 16 ? ":00" : "");
		xmlNewProp(root, (const xmlChar *)"publish-at", (const xmlChar *)at);
	}
	caseform_field(root, "title", cf->title);
	caseform_field(root, "published", cf->published);
	caseform_field(root, "updated", cf->updated);
	caseform_field(root, "domain", cf->domain);
	caseform_field(root, "town", cf->town);
	caseform_field(root, "procedure", cf->procedure);
	caseform_field(root, "decision", cf->decision);
	caseform_lists(root, cf, 0);
	for (i = CASEFORM_GIST; i <= CASEFORM_OUTCOME; i++)
		caseform_body(root, caseform_sections[i].name, cf->sections[i]);
	caseform_lists(root, cf, 1);
	for (i = CASEFORM_EXPLANATION; i < CASEFORM_SECTION__MAX; i++)
		caseform_body(root, caseform_sections[i].name, cf->sections[i]);
	caseform_lists(root, cf, 2);
	xmlchar_clean(doc);	/* Word's paste, cleaned as the build cleans files */
	xmlDocDumpFormatMemoryEnc(doc, &out, &n, "UTF-8", 1);
	if (out != NULL && (ret = malloc((size_t)n + 1)) != NULL) {
		memcpy(ret, out, (size_t)n);
		ret[n] = '\0';
		*len = (size_t)n;
	}
	xmlFree(out);
	xmlFreeDoc(doc);
	return ret;
}

/* Appends s to the growing string *d. */
static void
caseform_cat(char **d, const char *s)
{
	size_t	 a = strlen(*d), b = strlen(s);
	char	*n;

	if ((n = realloc(*d, a + b + 1)) == NULL)
		abort();
	memcpy(n + a, s, b + 1);
	*d = n;
}

/* Appends the inline content of n as form text. */
static void
caseform_inline_text(char **d, xmlNodePtr n)
{
	xmlChar		*t, *href;

	for (n = n->children; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			caseform_cat(d, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		t = xmlNodeGetContent(n);
		if (xmlStrcmp(n->name, (const xmlChar *)"strong") == 0) {
			caseform_cat(d, "**");
			caseform_cat(d, (const char *)t);
			caseform_cat(d, "**");
		} else if (xmlStrcmp(n->name, (const xmlChar *)"em") == 0) {
			caseform_cat(d, "*");
			caseform_cat(d, (const char *)t);
			caseform_cat(d, "*");
		} else if (xmlStrcmp(n->name, (const xmlChar *)"a") == 0) {
			href = xmlGetProp(n, (const xmlChar *)"href");
			caseform_cat(d, "[");
			caseform_cat(d, (const char *)t);
			caseform_cat(d, "](");
			caseform_cat(d, href ? (const char *)href : "");
			caseform_cat(d, ")");
			xmlFree(href);
		} else if (xmlStrcmp(n->name, (const xmlChar *)"law") == 0) {
			xmlFree(t);
			t = xmlGetProp(n, (const xmlChar *)"title");
			caseform_cat(d, t ? (const char *)t : "");
			xmlFree(t);
			t = xmlGetProp(n, (const xmlChar *)"article");
			caseform_cat(d, t ? (const char *)t : "");
		} else
			caseform_cat(d, t ? (const char *)t : "");
		xmlFree(t);
	}
}

/* The body section el as form text (the reverse of caseform_body). */
static char *
caseform_body_text(xmlNodePtr el)
{
	char		*d = caseform_trimmed(""), num[16];
	xmlNodePtr	 b, li;
	int		 i;

	for (b = el->children; b != NULL; b = b->next) {
		if (b->type != XML_ELEMENT_NODE)
			continue;
		if (*d != '\0')
			caseform_cat(&d, "\n\n");
		if (xmlStrcmp(b->name, (const xmlChar *)"h") == 0) {
			caseform_cat(&d, "## ");
			caseform_inline_text(&d, b);
		} else if (xmlStrcmp(b->name, (const xmlChar *)"ul") == 0 ||
		    xmlStrcmp(b->name, (const xmlChar *)"ol") == 0) {
			for (li = b->children, i = 1; li != NULL; li = li->next) {
				if (li->type != XML_ELEMENT_NODE)
					continue;
				snprintf(num, sizeof(num), "%d. ", i);
				caseform_cat(&d, i > 1 ? "\n" : "");
				caseform_cat(&d, b->name[0] == 'u' ? "- " : num);
				caseform_inline_text(&d, li);
				i++;
			}
		} else
			caseform_inline_text(&d, b);
	}
	return d;
}

/* Sets *slot to the text of element n. */
static void
caseform_set_node(char **slot, xmlNodePtr n)
{
	xmlChar	*t = xmlNodeGetContent(n);

	caseform_set(slot, (const char *)t);
	xmlFree(t);
}

/* Reads one <law> of a basis into l (every field set, "" when absent). */
static void
caseform_law_node(struct caseform_law *l, xmlNodePtr n)
{
	static const char *const names[] = { "ref", "article", "paragraph",
	    "item", "title" };
	char		**slots[] = { &l->ref, &l->article, &l->paragraph,
	    &l->item, &l->title };
	xmlChar		 *v;
	int		  i;

	for (i = 0; i < 5; i++) {
		v = xmlGetProp(n, (const xmlChar *)names[i]);
		*slots[i] = caseform_trimmed((char *)v);
		xmlFree(v);
	}
}

/* Reads one child of the case root into cf. */
static void
caseform_read_child(struct caseform *cf, xmlNodePtr n)
{
	static const struct { const char *name; size_t off; } fields[] = {
		{ "title", offsetof(struct caseform, title) },
		{ "published", offsetof(struct caseform, published) },
		{ "updated", offsetof(struct caseform, updated) },
		{ "domain", offsetof(struct caseform, domain) },
		{ "town", offsetof(struct caseform, town) },
		{ "procedure", offsetof(struct caseform, procedure) },
		{ "decision", offsetof(struct caseform, decision) } };
	xmlNodePtr	 c;
	size_t		 i;
	int		 k = 0;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (xmlStrcmp(n->name, (const xmlChar *)fields[i].name) == 0) {
			caseform_set_node((char **)((char *)cf + fields[i].off), n);
			return;
		}
	for (i = 0; i < CASEFORM_SECTION__MAX; i++)
		if (xmlStrcmp(n->name, (const xmlChar *)caseform_sections[i].name)
		    == 0) {
			free(cf->sections[i]);
			cf->sections[i] = caseform_body_text(n);
			return;
		}
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		xmlChar *id = xmlGetProp(c, (const xmlChar *)"id");
		if (xmlStrcmp(n->name, (const xmlChar *)"keywords") == 0 &&
		    k < CASEFORM_MAX_KEYWORDS)
			caseform_set_node(&cf->keywords[k++], c);
		else if (xmlStrcmp(n->name, (const xmlChar *)"basis") == 0 &&
		    cf->nlaws < CASEFORM_MAX_LAWS)
			caseform_law_node(&cf->laws[cf->nlaws++], c);
		else if (xmlStrcmp(n->name, (const xmlChar *)"related") == 0 &&
		    cf->nrelated < CASEFORM_MAX_RELATED)
			cf->related[cf->nrelated++] = caseform_trimmed((char *)id);
		xmlFree(id);
	}
}

/* Parses len bytes of case XML, safely (no DTD, entities or network). */
static xmlDocPtr
caseform_parse(const char *xml, size_t len)
{
	return xmlReadMemory(xml, (int)len, "case.xml", "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/*
 * Fills cf from a case's XML (a saved version, or a file edited by hand).
 * Returns 0, or -1 when it is not a <case> document.
 */
int
caseform_from_xml(struct caseform *cf, const char *xml, size_t len)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 root, n;
	xmlChar		*at;

	if ((doc = caseform_parse(xml, len)) == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || xmlStrcmp(root->name, (const xmlChar *)"case") != 0) {
		xmlFreeDoc(doc);
		return -1;
	}
	if ((at = xmlGetProp(root, (const xmlChar *)"publish-at")) != NULL) {
		caseform_set(&cf->publish_at, (const char *)at);
		/* the form's datetime-local takes minutes at most */
		if (strlen(cf->publish_at) == 19)
			cf->publish_at[16] = '\0';
		xmlFree(at);
	}
	for (n = root->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			caseform_read_child(cf, n);
	xmlFreeDoc(doc);
	return 0;
}

/*
 * Which form field line of the XML (as made by caseform_to_xml) belongs to:
 * the element of the case that starts on it or encloses it, copied into
 * field ("title", "keywords", "facts" …); "status" for the root element's
 * own line, "" before it. Returns 0, or -1 when the XML cannot be read.
 */
int
caseform_line_field(const char *xml, size_t len, long line, char *field,
    size_t n)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 root, c;
	const char	*best = NULL;

	if ((doc = caseform_parse(xml, len)) == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root != NULL && line >= xmlGetLineNo(root))
		best = "status";
	for (c = root ? root->children : NULL; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlGetLineNo(c) <= line)
			best = (const char *)c->name;
	snprintf(field, n, "%s", best ? best : "");
	xmlFreeDoc(doc);
	return 0;
}
