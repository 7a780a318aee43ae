/*
 * itemform.c: a content item as the console's editor form holds it, and the
 * two ways between that form and the item's XML (content/schema/case.rng,
 * guide.rng, material.rng). Each kind is a table of fields in its schema's
 * order; a field is one element (or a list of rows in a wrapper), each row
 * of one to ITEMFORM_MAX_COLS columns kept as attributes, child elements,
 * text or blocks. The flow, the template and the check need nothing else.
 *
 * The XML is made with libxml2's tree API, never by joining strings, so no
 * text a person typed can become markup. Body text is plain text in the
 * form: blocks separated by a blank line are paragraphs; a block whose
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

#include "form.h"
#include "itemform.h"
#include "xmlchar.h"

static const struct itemform_choice itemform_procedures[] = {
	{ "general", "普通程序" }, { "simple", "简易程序" }, { NULL, NULL } };
static const struct itemform_choice itemform_material_kinds[] = {
	{ "article", "文章" }, { "qa", "问答" }, { "brochure", "宣传册" },
	{ "campaign", "活动" }, { NULL, NULL } };

#define BODY_HINT	"段落之间空一行。行首“- ”为列表，“1. ”为编号列表，" \
			"“## ”为小标题；**文字** 加粗，*文字* 强调，" \
			"[文字](https://…) 为链接。"
#define COL(key, label, at, xname, input, maxlen) \
	{ key, label, at, xname, input, maxlen, NULL, NULL }
#define ONE(key, label, hint, need, input, maxlen) \
	{ key, label, hint, NULL, key, 1, need, 1, \
	    { COL("", label, ITEMFORM_TEXT, NULL, input, maxlen) } }
#define CODE(key, label, need, site, fixed) \
	{ key, label, NULL, NULL, key, 1, need, 1, \
	    { { "", label, ITEMFORM_TEXT, NULL, ITEMFORM_IN_CHOICE, 0, site, fixed } } }
#define BODY(key, label, need) \
	{ key, label, BODY_HINT, NULL, key, 1, need, 1, \
	    { COL("", label, ITEMFORM_BODY, NULL, ITEMFORM_IN_AREA, 0) } }
#define TITLE	ONE("title", "标题", NULL, "请填写标题。", ITEMFORM_IN_TEXT, 120)
#define DATES	ONE("published", "发布日期", NULL, "请填写发布日期。", \
		    ITEMFORM_IN_DATE, 0), \
		ONE("updated", "更新日期", NULL, NULL, ITEMFORM_IN_DATE, 0)
#define KEYWORDS { "keyword", "关键词", "每框一个关键词，最多 7 个。", "keywords", \
		"k", CONTENT_MAX_KEYWORDS, "请至少填写一个关键词。", 1, \
		{ COL("", "关键词", ITEMFORM_TEXT, NULL, ITEMFORM_IN_TEXT, 20) } }
/*
 * A legal basis: a law of content/laws (its id, chosen from the snapshot's
 * "laws") and the article, paragraph and item numbers `fazhi check` checks;
 * or, in a guide or material, a document outside content/laws by its title.
 */
#define BASIS(need, hint) { "law", "法律依据", hint, "basis", "law", \
		ITEMFORM_MAX_ROWS, need, 5, \
		{ { "_ref", "法律法规", ITEMFORM_ATTR, "ref", ITEMFORM_IN_CHOICE, 0, \
		    "laws", NULL }, \
		  COL("_article", "条", ITEMFORM_ATTR, "article", ITEMFORM_IN_TEXT, 8), \
		  COL("_paragraph", "款", ITEMFORM_ATTR, "paragraph", ITEMFORM_IN_TEXT, 4), \
		  COL("_item", "项", ITEMFORM_ATTR, "item", ITEMFORM_IN_TEXT, 4), \
		  COL("_title", "其他文件名称", ITEMFORM_ATTR, "title", ITEMFORM_IN_TEXT, \
		    0) } }
#define BASIS_HINT "选择法律法规，填写条号（阿拉伯数字，例如 51；“之一”写成 " \
		"276-1），款、项可不填。列表里没有的法律，要先在 content/laws/ " \
		"里添加（见内容编写指南）。"
#define BASIS_TITLE_HINT BASIS_HINT "引用 content/laws/ 以外的文件（如信用修复" \
		"的通知）时，不选法律，只填“其他文件名称”（连同书名号），条款可填在“条”里。"
#define RELATED	{ "related", "相关内容", "从网站上已有的条目中选择。", "related", "ref", \
		ITEMFORM_MAX_ROWS, NULL, 1, \
		{ COL("", "相关条目", ITEMFORM_ATTR, "id", ITEMFORM_IN_ITEM, 0) } }
#define QUESTIONS(key, label) { key, label, "回答的写法同正文。", NULL, key, \
		ITEMFORM_MAX_ROWS, NULL, 2, \
		{ COL("_q", "问题", ITEMFORM_CHILD, "q", ITEMFORM_IN_TEXT, 0), \
		  COL("_a", "回答", ITEMFORM_CHILD_BODY, "a", ITEMFORM_IN_AREA, 0) } }

static const struct itemform_field itemform_case[] = {
	TITLE,
	DATES,
	CODE("domain", "执法领域", "请填写执法领域。", "domains", NULL),
	CODE("town", "乡镇（街道）", "请填写乡镇（街道）。", "towns", NULL),
	CODE("procedure", "程序类型", "请填写程序类型。", NULL, itemform_procedures),
	ONE("decision", "处罚决定书文号", "例如：舟普综执罚决字〔2023〕第12号。",
	    NULL, ITEMFORM_IN_TEXT, 80),
	KEYWORDS,
	BODY("gist", "要旨", "请填写“要旨”。"),
	BODY("facts", "基本案情", "请填写“基本案情”。"),
	BODY("outcome", "处理结果", "请填写“处理结果”。"),
	BASIS("请至少填写一条法律依据。", BASIS_HINT),
	BODY("explanation", "以案释法", "请填写“以案释法”。"),
	BODY("credit", "信用影响", NULL),
	RELATED,
};

static const struct itemform_field itemform_guide[] = {
	TITLE,
	DATES,
	KEYWORDS,
	BODY("summary", "摘要", "请填写“摘要”。"),
	BODY("applies", "适用范围", NULL),
	{ "step", "办理步骤", "每一步一个名称和说明，说明的写法同正文。", "steps",
	    "step", ITEMFORM_MAX_ROWS, NULL, 2,
	    { COL("_title", "步骤名称", ITEMFORM_CHILD, "title", ITEMFORM_IN_TEXT, 0),
	      COL("_body", "说明", ITEMFORM_BODY, NULL, ITEMFORM_IN_AREA, 0) } },
	{ "doc", "所需材料", "每行一项材料；可用 **文字** 加粗、[文字](https://…) 链接。",
	    "documents", "doc", ITEMFORM_MAX_ROWS, NULL, 1,
	    { COL("", "材料", ITEMFORM_INLINE, NULL, ITEMFORM_IN_TEXT, 0) } },
	BODY("where", "办理地点", NULL),
	QUESTIONS("faq", "常见问题"),
	BASIS(NULL, BASIS_TITLE_HINT),
	RELATED,
};

static const struct itemform_field itemform_material[] = {
	{ "kind", "类型", NULL, NULL, NULL, 1, "请选择类型。", 1,
	    { { "", "类型", ITEMFORM_ATTR, "kind", ITEMFORM_IN_CHOICE, 0, NULL,
	    itemform_material_kinds } } },
	TITLE,
	DATES,
	CODE("topic", "主题", "请选择主题。", "topics", NULL),
	KEYWORDS,
	BODY("summary", "摘要", "请填写“摘要”。"),
	{ "event", "活动时间和地点", "活动类资料填写；一天的活动可不填结束日期，"
	    "时间可不填。", NULL, "event", 1, NULL, 5,
	    { COL("_start", "开始日期", ITEMFORM_CHILD, "start", ITEMFORM_IN_DATE, 0),
	      COL("_start_time", "开始时间", ITEMFORM_TIME_OF, NULL, ITEMFORM_IN_TIME, 0),
	      COL("_end", "结束日期", ITEMFORM_CHILD, "end", ITEMFORM_IN_DATE, 0),
	      COL("_end_time", "结束时间", ITEMFORM_TIME_OF, NULL, ITEMFORM_IN_TIME, 0),
	      COL("_place", "地点", ITEMFORM_CHILD, "place", ITEMFORM_IN_TEXT, 0) } },
	BODY("body", "正文", NULL),
	QUESTIONS("qa", "问答"),
	BASIS(NULL, BASIS_TITLE_HINT),
	RELATED,
};

#define ITEMFORM_N(a)	((int)(sizeof(a) / sizeof((a)[0])))

const struct itemform_kind itemform_kinds[] = {
	{ "case", "cases", "案例", "这篇案例", "/cases/",
	    ITEMFORM_N(itemform_case), itemform_case },
	{ "guide", "guides", "信用修复指南", "这篇指南", "/credit/",
	    ITEMFORM_N(itemform_guide), itemform_guide },
	{ "material", "pufa", "普法资料", "这份资料", "/pufa/",
	    ITEMFORM_N(itemform_material), itemform_material },
};
const int itemform_nkinds = ITEMFORM_N(itemform_kinds);

_Static_assert(ITEMFORM_N(itemform_guide) <= ITEMFORM_MAX_FIELDS,
    "ITEMFORM_MAX_FIELDS holds every kind's fields");
_Static_assert(ITEMFORM_N(itemform_case) <= ITEMFORM_MAX_FIELDS,
    "ITEMFORM_MAX_FIELDS holds every kind's fields");
_Static_assert(ITEMFORM_N(itemform_material) <= ITEMFORM_MAX_FIELDS,
    "ITEMFORM_MAX_FIELDS holds every kind's fields");

/* The kind whose section (content folder) is section, or NULL. */
const struct itemform_kind *
itemform_kind_of(const char *section)
{
	int	 i;

	for (i = 0; i < itemform_nkinds; i++)
		if (strcmp(itemform_kinds[i].section, section) == 0)
			return &itemform_kinds[i];
	return NULL;
}

/* Is name the name problems of one of k's fields are filed under? */
int
itemform_has_field(const struct itemform_kind *k, const char *name)
{
	int	 i;

	for (i = 0; i < k->nfields; i++)
		if (strcmp(itemform_field_name(&k->fields[i]), name) == 0)
			return 1;
	return 0;
}

/*
 * The name problems of field f are filed under: the element at the root
 * that holds it (as itemform_line_field finds it), or its key.
 */
const char *
itemform_field_name(const struct itemform_field *f)
{
	return f->wrap ? f->wrap : f->row ? f->row : f->key;
}

/* A copy of s with leading and trailing white space removed (never NULL). */
static char *
itemform_trimmed(const char *s)
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

/* Replaces *slot with a trimmed copy of s. */
static void
itemform_set(char **slot, const char *s)
{
	free(*slot);
	*slot = itemform_trimmed(s);
}

/* Body text: CRLF and CR made LF, so that blank lines are found alike. */
static char *
itemform_text(const char *s)
{
	char	*d = itemform_trimmed(s), *r, *w;

	for (r = w = d; *r != '\0'; r++)
		if (*r != '\r')
			*w++ = *r;
		else if (r[1] != '\n')
			*w++ = '\n';
	*w = '\0';
	return d;
}

/* Appends len bytes of s to the text of parent. */
static void
itemform_add_text(xmlNodePtr parent, const char *s, size_t len)
{
	if (len > 0)
		xmlNodeAddContentLen(parent, (const xmlChar *)s, (int)len);
}

/* Adds child name of parent holding len bytes of s as text. */
static xmlNodePtr
itemform_add_el(xmlNodePtr parent, const char *name, const char *s, size_t len)
{
	xmlNodePtr	 el = xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);

	itemform_add_text(el, s, len);
	return el;
}

/*
 * Turns the inline text s (len bytes) into text, <strong>, <em> and <a>
 * children of parent. An opening mark without its closing one is text.
 */
static void
itemform_inline(xmlNodePtr parent, const char *s, size_t len)
{
	const char	*end = s + len, *p = s, *close, *mid;
	xmlNodePtr	 a;

	while (p < end) {
		if (p + 1 < end && p[0] == '*' && p[1] == '*' &&
		    (close = memmem(p + 2, (size_t)(end - p - 2), "**", 2)) != NULL &&
		    close > p + 2) {
			itemform_add_text(parent, s, (size_t)(p - s));
			itemform_add_el(parent, "strong", p + 2, (size_t)(close - p - 2));
			s = p = close + 2;
		} else if (p[0] == '*' && (close = memchr(p + 1, '*',
		    (size_t)(end - p - 1))) != NULL && close > p + 1) {
			itemform_add_text(parent, s, (size_t)(p - s));
			itemform_add_el(parent, "em", p + 1, (size_t)(close - p - 1));
			s = p = close + 1;
		} else if (p[0] == '[' && (mid = memmem(p + 1, (size_t)(end - p - 1),
		    "](", 2)) != NULL && (close = memchr(mid + 2, ')',
		    (size_t)(end - mid - 2))) != NULL) {
			itemform_add_text(parent, s, (size_t)(p - s));
			a = itemform_add_el(parent, "a", p + 1, (size_t)(mid - p - 1));
			xmlChar *href = xmlStrndup((const xmlChar *)mid + 2,
			    (int)(close - mid - 2));
			xmlNewProp(a, (const xmlChar *)"href", href);
			xmlFree(href);
			s = p = close + 1;
		} else
			p++;
	}
	itemform_add_text(parent, s, (size_t)(end - s));
}

/* Does the line start as an item of a numbered list ("1. ", "12. ")? */
static size_t
itemform_ol_mark(const char *line)
{
	size_t	 n = strspn(line, "0123456789");

	return n > 0 && line[n] == '.' && line[n + 1] == ' ' ? n + 2 : 0;
}

/* Adds one block (its lines joined by '\n', len bytes) to section el. */
static void
itemform_block(xmlNodePtr el, const char *b, size_t len)
{
	const char	*p, *nl, *end = b + len;
	xmlNodePtr	 list, n;
	int		 ul = 1, ol = 1;

	for (p = b; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		ul = ul && nl - p > 2 && p[0] == '-' && p[1] == ' ';
		ol = ol && itemform_ol_mark(p) > 0;
	}
	if (memchr(b, '\n', len) == NULL && len > 3 && strncmp(b, "## ", 3) == 0) {
		itemform_add_el(el, "h", b + 3, len - 3);
		return;
	}
	if (!ul && !ol) {
		n = xmlNewChild(el, NULL, (const xmlChar *)"p", NULL);
		for (p = b; p < end; p = nl + 1) {	/* lines of a paragraph join */
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			itemform_inline(n, p, (size_t)(nl - p));
		}
		return;
	}
	list = xmlNewChild(el, NULL, (const xmlChar *)(ul ? "ul" : "ol"), NULL);
	for (p = b; p < end; p = nl + 1) {
		size_t	 skip = ul ? 2 : itemform_ol_mark(p);

		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = xmlNewChild(list, NULL, (const xmlChar *)"li", NULL);
		itemform_inline(n, p + skip, (size_t)(nl - p - skip));
	}
}

/* Adds the blocks of text (form text, see above) to el. */
static void
itemform_blocks(xmlNodePtr el, const char *text)
{
	const char	*p = text, *q, *line, *end;

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
			itemform_block(el, p, (size_t)(q - p));
		p = *q != '\0' ? q + 1 : q;
	}
}
/* Appends s to the growing string *d. */
static void
itemform_cat(char **d, const char *s)
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
itemform_inline_text(char **d, xmlNodePtr n)
{
	xmlChar		*t, *href;

	for (n = n->children; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			itemform_cat(d, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		t = xmlNodeGetContent(n);
		if (xmlStrcmp(n->name, (const xmlChar *)"strong") == 0) {
			itemform_cat(d, "**");
			itemform_cat(d, (const char *)t);
			itemform_cat(d, "**");
		} else if (xmlStrcmp(n->name, (const xmlChar *)"em") == 0) {
			itemform_cat(d, "*");
			itemform_cat(d, (const char *)t);
			itemform_cat(d, "*");
		} else if (xmlStrcmp(n->name, (const xmlChar *)"a") == 0) {
			href = xmlGetProp(n, (const xmlChar *)"href");
			itemform_cat(d, "[");
			itemform_cat(d, (const char *)t);
			itemform_cat(d, "](");
			itemform_cat(d, href ? (const char *)href : "");
			itemform_cat(d, ")");
			xmlFree(href);
		} else if (xmlStrcmp(n->name, (const xmlChar *)"law") == 0) {
			xmlFree(t);
			t = xmlGetProp(n, (const xmlChar *)"title");
			itemform_cat(d, t ? (const char *)t : "");
			xmlFree(t);
			t = xmlGetProp(n, (const xmlChar *)"article");
			itemform_cat(d, t ? (const char *)t : "");
		} else
			itemform_cat(d, t ? (const char *)t : "");
		xmlFree(t);
	}
}

/* The blocks of el as form text (the reverse of itemform_blocks). */
static char *
itemform_body_text(xmlNodePtr el)
{
	char		*d = itemform_trimmed(""), num[16];
	xmlNodePtr	 b, li;
	int		 i;

	for (b = el->children; b != NULL; b = b->next) {
		if (b->type != XML_ELEMENT_NODE || (xmlStrcmp(b->name,
		    (const xmlChar *)"p") != 0 && xmlStrcmp(b->name,
		    (const xmlChar *)"h") != 0 && xmlStrcmp(b->name,
		    (const xmlChar *)"ul") != 0 && xmlStrcmp(b->name,
		    (const xmlChar *)"ol") != 0))
			continue;	/* a step's <title> is its own column */
		if (*d != '\0')
			itemform_cat(&d, "\n\n");
		if (xmlStrcmp(b->name, (const xmlChar *)"h") == 0) {
			itemform_cat(&d, "## ");
			itemform_inline_text(&d, b);
		} else if (xmlStrcmp(b->name, (const xmlChar *)"ul") == 0 ||
		    xmlStrcmp(b->name, (const xmlChar *)"ol") == 0) {
			for (li = b->children, i = 1; li != NULL; li = li->next) {
				if (li->type != XML_ELEMENT_NODE)
					continue;
				snprintf(num, sizeof(num), "%d. ", i);
				itemform_cat(&d, i > 1 ? "\n" : "");
				itemform_cat(&d, b->name[0] == 'u' ? "- " : num);
				itemform_inline_text(&d, li);
				i++;
			}
		} else
			itemform_inline_text(&d, b);
	}
	return d;
}

/* Parses len bytes of item XML, safely (no DTD, entities or network). */
static xmlDocPtr
itemform_parse(const char *xml, size_t len)
{
	return xmlReadMemory(xml, (int)len, "item.xml", "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

void
itemform_init(struct itemform *ff, const struct itemform_kind *k)
{
	int	 i, c;

	memset(ff, 0, sizeof(*ff));
	ff->k = k;
	ff->publish_at = itemform_trimmed("");
	for (i = 0; i < k->nfields; i++) {
		if (k->fields[i].max != 1)
			continue;
		ff->f[i].n = 1;		/* one row, empty, always there */
		for (c = 0; c < k->fields[i].ncols; c++)
			ff->f[i].cell[0][c] = itemform_trimmed("");
	}
}

/* Frees the cells of rows from .. n of r (ncols each). */
static void
itemform_free_rows(struct itemform_rows *r, int from, int ncols)
{
	int	 i, c;

	for (i = from; i < r->n; i++)
		for (c = 0; c < ncols; c++) {
			free(r->cell[i][c]);
			r->cell[i][c] = NULL;
		}
	r->n = from;
}

void
itemform_free(struct itemform *ff)
{
	int	 i;

	free(ff->publish_at);
	for (i = 0; ff->k != NULL && i < ff->k->nfields; i++)
		itemform_free_rows(&ff->f[i], 0, ff->k->fields[i].ncols);
	memset(ff, 0, sizeof(*ff));
}

/* Is every cell of the row empty? */
static int
itemform_row_empty(char *const *row, int ncols)
{
	int	 c;

	for (c = 0; c < ncols; c++)
		if (row[c] != NULL && row[c][0] != '\0')
			return 0;
	return 1;
}

/* The POST name of column c of field f, row n (0: not repeated). */
static void
itemform_post_name(const struct itemform_field *f, int c, int n, char *name,
    size_t sz)
{
	if (n > 0)
		snprintf(name, sz, "%s%s%d", f->key, f->cols[c].key, n);
	else
		snprintf(name, sz, "%s%s", f->key, f->cols[c].key);
}

/*
 * Which row of field key the editor's action moves or removes: "up-law-3",
 * "down-law-3" or "del-law-3" (row 3); 0 when it is none of these.
 */
static int
itemform_row_action(const char *action, const char *key, int *dir)
{
	size_t	 n = strlen(key), p;

	if (action == NULL)
		return 0;
	if (strncmp(action, "up-", 3) == 0) {
		*dir = -1;
		p = 3;
	} else if (strncmp(action, "down-", 5) == 0) {
		*dir = 1;
		p = 5;
	} else if (strncmp(action, "del-", 4) == 0) {
		*dir = 0;
		p = 4;
	} else
		return 0;
	if (strncmp(action + p, key, n) != 0 || action[p + n] != '-')
		return 0;
	return (int)strtol(action + p + n + 1, NULL, 10);
}

/*
 * Reads the repeated field f from the POST into r: every row that has
 * something in it, in order, the editor's action on it done first (a row
 * moved up or down, or removed); empty rows are dropped (that is how a
 * row is removed without the button). At most f->max rows.
 */
static void
itemform_post_rows(const struct itemform_field *f, struct itemform_rows *r,
    const struct form *fm, const char *action)
{
	char		*raw[ITEMFORM_MAX_ROWS][ITEMFORM_MAX_COLS], name[64], *t;
	const char	*v;
	int		 i, c, dir = 0, at, add;

	for (i = 0; i < f->max; i++)
		for (c = 0; c < f->ncols; c++) {
			itemform_post_name(f, c, i + 1, name, sizeof(name));
			raw[i][c] = itemform_text(form_get(fm, name));
		}
	at = itemform_row_action(action, f->key, &dir) - 1;
	if (at >= 0 && at < f->max && dir == 0)
		for (c = 0; c < f->ncols; c++)
			raw[at][c][0] = '\0';
	else if (at >= 0 && at < f->max && at + dir >= 0 && at + dir < f->max)
		for (c = 0; c < f->ncols; c++) {
			t = raw[at][c];
			raw[at][c] = raw[at + dir][c];
			raw[at + dir][c] = t;
		}
	for (i = 0; i < f->max; i++) {
		if (itemform_row_empty(raw[i], f->ncols)) {
			for (c = 0; c < f->ncols; c++)
				free(raw[i][c]);
			continue;
		}
		for (c = 0; c < f->ncols; c++)
			r->cell[r->n][c] = raw[i][c];
		r->n++;
	}
	snprintf(name, sizeof(name), "%s_rows", f->key);
	add = action != NULL && strncmp(action, "add-", 4) == 0 &&
	    strcmp(action + 4, f->key) == 0;
	r->shown = (v = form_get(fm, name)) != NULL ? (int)strtol(v, NULL, 10) : 0;
	if (r->shown < 0 || r->shown > f->max)
		r->shown = 0;
	r->shown += add;
}

/*
 * Fills ff from the editor's POST body; action is the button pressed (it
 * may add, move or remove a row of a repeated part). Returns 0.
 */
int
itemform_from_post(struct itemform *ff, const struct form *fm,
    const char *action)
{
	const struct itemform_field *f;
	char		 name[64];
	int		 i, c;

	itemform_set(&ff->publish_at, form_get(fm, "publish_at"));
	for (i = 0; i < ff->k->nfields; i++) {
		f = &ff->k->fields[i];
		if (f->max != 1) {
			itemform_free_rows(&ff->f[i], 0, f->ncols);
			itemform_post_rows(f, &ff->f[i], fm, action);
			continue;
		}
		for (c = 0; c < f->ncols; c++) {
			itemform_post_name(f, c, 0, name, sizeof(name));
			free(ff->f[i].cell[0][c]);
			ff->f[i].cell[0][c] = itemform_text(form_get(fm, name));
		}
	}
	return 0;
}

/*
 * The rows the editor shows of repeated field i: the filled ones and
 * ITEMFORM_SPARE_ROWS empty ones, or as many as were asked for; never more
 * than the field takes.
 */
int
itemform_rows_shown(const struct itemform *ff, int i)
{
	const struct itemform_rows *r = &ff->f[i];
	int		 n = r->n + ITEMFORM_SPARE_ROWS;

	if (ff->k->fields[i].max == 1)
		return 1;
	if (r->shown > n)
		n = r->shown;
	return n > ff->k->fields[i].max ? ff->k->fields[i].max : n;
}

/* A date (v) with the time of the next column (hh:mm) when there is one. */
static void
itemform_when(char *d, size_t sz, const char *v, const char *time)
{
	if (time == NULL || *time == '\0')
		snprintf(d, sz, "%s", v);
	else
		snprintf(d, sz, "%sT%s%s", v, time, strlen(time) == 5 ? ":00" : "");
}

/* Adds one row of field f (cells) to parent. */
static void
itemform_row_xml(xmlNodePtr parent, const struct itemform_field *f,
    char *const *cells)
{
	xmlNodePtr	 el, ch;
	char		 when[96];
	const char	*v, *time;
	int		 c;

	el = f->row ? xmlNewChild(parent, NULL, (const xmlChar *)f->row, NULL) :
	    parent;
	for (c = 0; c < f->ncols; c++) {
		v = cells[c];
		time = c + 1 < f->ncols && f->cols[c + 1].at == ITEMFORM_TIME_OF ?
		    cells[c + 1] : NULL;
		switch (f->cols[c].at) {
		case ITEMFORM_TEXT:
			itemform_add_text(el, v, strlen(v));
			break;
		case ITEMFORM_BODY:
			itemform_blocks(el, v);
			break;
		case ITEMFORM_INLINE:
			itemform_inline(el, v, strlen(v));
			break;
		case ITEMFORM_ATTR:
			if (*v != '\0')
				xmlNewProp(el, (const xmlChar *)f->cols[c].xname,
				    (const xmlChar *)v);
			break;
		case ITEMFORM_CHILD:
			if (*v == '\0' && (time == NULL || *time == '\0'))
				break;
			if (time != NULL) {	/* a date, maybe with a time */
				itemform_when(when, sizeof(when), v, time);
				v = when;
			}
			itemform_add_el(el, f->cols[c].xname, v, strlen(v));
			break;
		case ITEMFORM_CHILD_BODY:
			if (*v == '\0')
				break;
			ch = xmlNewChild(el, NULL, (const xmlChar *)f->cols[c].xname,
			    NULL);
			itemform_blocks(ch, v);
			break;
		case ITEMFORM_TIME_OF:
			break;		/* written with the column before */
		}
	}
}

/*
 * The item's XML, status="published" (what approving puts in content/),
 * with publish-at when one is set: in a new string (free) of *len bytes.
 * What is empty is left out, so that an incomplete draft still saves and
 * the check says what is missing. Returns NULL when out of memory.
 */
char *
itemform_to_xml(const struct itemform *ff, size_t *len)
{
	const struct itemform_field *f;
	xmlDocPtr	 doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr	 root = xmlNewNode(NULL, (const xmlChar *)ff->k->kind);
	xmlNodePtr	 parent;
	xmlChar		*out = NULL;
	char		*ret = NULL, at[40];
	int		 n = 0, i, r, any;

	xmlDocSetRootElement(doc, root);
	xmlNewProp(root, (const xmlChar *)"status", (const xmlChar *)"published");
	if (ff->publish_at[0] != '\0') {
		/* <input type=datetime-local> gives no seconds */
		snprintf(at, sizeof(at), "%s%s", ff->publish_at,
		    strlen(ff->publish_at) == 16 ? ":00" : "");
		xmlNewProp(root, (const xmlChar *)"publish-at", (const xmlChar *)at);
	}
	for (i = 0; i < ff->k->nfields; i++) {
		f = &ff->k->fields[i];
		for (r = 0, any = 0; r < ff->f[i].n; r++)
			any |= !itemform_row_empty(ff->f[i].cell[r], f->ncols);
		if (!any)
			continue;
		parent = f->wrap ? xmlNewChild(root, NULL,
		    (const xmlChar *)f->wrap, NULL) : root;
		for (r = 0; r < ff->f[i].n; r++)
			if (!itemform_row_empty(ff->f[i].cell[r], f->ncols))
				itemform_row_xml(parent, f, ff->f[i].cell[r]);
	}
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

/* The first child element of n named name, or NULL. */
static xmlNodePtr
itemform_child(xmlNodePtr n, const char *name)
{
	for (n = n->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrcmp(n->name, (const xmlChar *)name) == 0)
			return n;
	return NULL;
}

/* The text of n (NULL: "") in a new string. */
static char *
itemform_node_text(xmlNodePtr n)
{
	xmlChar	*t = n ? xmlNodeGetContent(n) : NULL;
	char	*d = itemform_trimmed((const char *)t);

	xmlFree(t);
	return d;
}

/* Reads the cells of one row of field f from its element el. */
static void
itemform_row_read(const struct itemform_field *f, xmlNodePtr el, char **cells)
{
	xmlChar	*t;
	char	*T;
	int	 c;

	for (c = 0; c < f->ncols; c++) {
		free(cells[c]);
		switch (f->cols[c].at) {
		case ITEMFORM_TEXT:
			cells[c] = itemform_node_text(el);
			break;
		case ITEMFORM_BODY:
			cells[c] = itemform_body_text(el);
			break;
		case ITEMFORM_INLINE:
			T = itemform_trimmed("");
			itemform_inline_text(&T, el);
			cells[c] = itemform_trimmed(T);	/* the dump's indentation */
			free(T);
			break;
		case ITEMFORM_ATTR:
			t = xmlGetProp(el, (const xmlChar *)f->cols[c].xname);
			cells[c] = itemform_trimmed((const char *)t);
			xmlFree(t);
			break;
		case ITEMFORM_CHILD:
			cells[c] = itemform_node_text(itemform_child(el,
			    f->cols[c].xname));
			break;
		case ITEMFORM_CHILD_BODY:
			cells[c] = itemform_child(el, f->cols[c].xname) ?
			    itemform_body_text(itemform_child(el,
			    f->cols[c].xname)) : itemform_trimmed("");
			break;
		case ITEMFORM_TIME_OF:
			/* 2026-12-10T09:00:00: the date before, 09:00 here */
			T = strchr(cells[c - 1], 'T');
			cells[c] = itemform_trimmed(T ? T + 1 : "");
			if (T != NULL)
				*T = '\0';
			if (strlen(cells[c]) == 8)
				cells[c][5] = '\0';
			break;
		}
	}
}

/* Adds a row of field f read from el to r (replaces the one of a field
 * that is not repeated). */
static void
itemform_add_row(const struct itemform_field *f, struct itemform_rows *r,
    xmlNodePtr el)
{
	if (f->max == 1) {
		itemform_row_read(f, el, r->cell[0]);
		return;
	}
	if (r->n == f->max)
		return;
	itemform_row_read(f, el, r->cell[r->n++]);
}

/* Reads one child of the root into the field it belongs to. */
static void
itemform_read_child(struct itemform *ff, xmlNodePtr n)
{
	const struct itemform_field *f;
	xmlNodePtr	 c;
	int		 i;

	for (i = 0; i < ff->k->nfields; i++) {
		f = &ff->k->fields[i];
		if (f->wrap != NULL && xmlStrcmp(n->name,
		    (const xmlChar *)f->wrap) == 0) {
			for (c = n->children; c != NULL; c = c->next)
				if (c->type == XML_ELEMENT_NODE &&
				    xmlStrcmp(c->name, (const xmlChar *)f->row) == 0)
					itemform_add_row(f, &ff->f[i], c);
			return;
		}
		if (f->wrap == NULL && f->row != NULL &&
		    xmlStrcmp(n->name, (const xmlChar *)f->row) == 0) {
			itemform_add_row(f, &ff->f[i], n);
			return;
		}
	}
}

/*
 * Fills ff from the item's XML (a saved version, or a file edited by hand).
 * Returns 0, or -1 when it is not a document of ff's kind.
 */
int
itemform_from_xml(struct itemform *ff, const char *xml, size_t len)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 root, n;
	xmlChar		*at;
	int		 i;

	if ((doc = itemform_parse(xml, len)) == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || xmlStrcmp(root->name,
	    (const xmlChar *)ff->k->kind) != 0) {
		xmlFreeDoc(doc);
		return -1;
	}
	if ((at = xmlGetProp(root, (const xmlChar *)"publish-at")) != NULL) {
		itemform_set(&ff->publish_at, (const char *)at);
		/* the form's datetime-local takes minutes at most */
		if (strlen(ff->publish_at) == 19)
			ff->publish_at[16] = '\0';
		xmlFree(at);
	}
	for (i = 0; i < ff->k->nfields; i++)
		if (ff->k->fields[i].row == NULL)
			itemform_row_read(&ff->k->fields[i], root, ff->f[i].cell[0]);
	for (n = root->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			itemform_read_child(ff, n);
	xmlFreeDoc(doc);
	return 0;
}

/* The first cell of the field whose key is key ("" when none). */
const char *
itemform_value(const struct itemform *ff, const char *key)
{
	int	 i;

	for (i = 0; i < ff->k->nfields; i++)
		if (strcmp(ff->k->fields[i].key, key) == 0)
			return ff->f[i].n > 0 ? ff->f[i].cell[0][0] : "";
	return "";
}

/*
 * Calls found(arg, field name, message) for every required field left
 * empty. Returns how many there were.
 */
int
itemform_missing(const struct itemform *ff,
    void (*found)(void *, const char *, const char *), void *arg)
{
	const struct itemform_field *f;
	int	 i, r, any, n = 0;

	for (i = 0; i < ff->k->nfields; i++) {
		f = &ff->k->fields[i];
		if (f->need == NULL)
			continue;
		for (r = 0, any = 0; r < ff->f[i].n; r++)
			any |= !itemform_row_empty(ff->f[i].cell[r], f->ncols);
		if (!any) {
			found(arg, itemform_field_name(f), f->need);
			n++;
		}
	}
	return n;
}

/*
 * Which form field line of the XML (as made by itemform_to_xml) belongs
 * to: the element of the root that starts on it or encloses it, copied into
 * field ("title", "keywords", "facts" …); "status" for the root element's
 * own line, "" before it. Returns 0, or -1 when the XML cannot be read.
 */
int
itemform_line_field(const char *xml, size_t len, long line, char *field,
    size_t n)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 root, c;
	const char	*best = NULL;

	if ((doc = itemform_parse(xml, len)) == NULL)
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
