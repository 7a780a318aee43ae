/*
 * xmlmsg.c: turns libxml2's errors into one plain message per mistake, in
 * Chinese and then English, saying what is wrong and what to type instead.
 * Two tables do it: one for well-formedness errors and one for RELAX NG
 * validity errors. A row is a libxml2 error code plus a context read from
 * the file or the document (the character at the error, the element the
 * schema expects there), and the message for that pair; the first row that
 * matches wins. Messages are templates: {1} to {8} are filled in from the
 * error and its context (see the comments above each table).
 *
 * To say what the schema expects where, rng.c reads the schema's text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>

#include "rng.h"
#include "xmlmsg.h"

#define XMLMSG_ARGS	8	/* {1} .. {8} */

/* Fills template t into out: {N} becomes a[N-1] ("" when NULL). */
static void
xmlmsg_fill(char *out, size_t n, const char *t, const char *const *a)
{
	size_t	 o = 0, l;
	int	 k;

	for (; *t != '\0' && o + 1 < n; t++) {
		if (t[0] == '{' && t[1] >= '1' && t[1] <= '0' + XMLMSG_ARGS &&
		    t[2] == '}') {
			k = t[1] - '1';
			l = a[k] ? strlen(a[k]) : 0;
			if (o + l >= n)
				l = n - o - 1;
			memcpy(out + o, a[k] ? a[k] : "", l);
			o += l;
			t += 2;
		} else
			out[o++] = *t;
	}
	out[o] = '\0';
}

/* ---- well-formedness errors ---- */

enum xmlmsg_ctx {
	XMLMSG_ANY,		/* always matches: the row for the code alone */
	XMLMSG_CURLY_QUOTE,	/* a Chinese or curly quote where " must be */
	XMLMSG_AMP,		/* a bare & in text */
	XMLMSG_LT,		/* a bare < in text */
	XMLMSG_HTML_VOID,	/* an HTML tag that is never closed: <br> */
	XMLMSG_UNCLOSED,	/* an element closed by its parent's end tag */
	XMLMSG_HTML_ENTITY,	/* &nbsp; and friends */
	XMLMSG_LEADING,		/* something before the XML declaration */
	XMLMSG_END_TAG,		/* always matches; points at the end tag */
	XMLMSG_NOTHING,		/* no element at all */
	XMLMSG_DEPTH		/* libxml2's own nesting limit */
};

/*
 * What a parse error says. {1} and {2} are libxml2's str1 and str2 (tag,
 * attribute or entity names), {3} the line in int1, {4} the character at
 * the error, {5}/{6} a replacement in Chinese/English, {7} libxml2's own
 * words.
 */
static const struct xmlmsg_rule {
	int		 code;
	enum xmlmsg_ctx	 ctx;
	const char	*say;
} xmlmsg_parser_rules[] = {
	{ XML_ERR_ATTRIBUTE_NOT_STARTED, XMLMSG_CURLY_QUOTE,
	    "属性值两边要用英文半角引号 \"，这里用了中文引号 {4}：把两边的引号都改成 \""
	    "（如 title=\"《…》\"） / attribute values take straight quotes \", "
	    "not {4}: retype both quotes as \" (title=\"《…》\")" },
	{ XML_ERR_ATTRIBUTE_NOT_STARTED, XMLMSG_ANY,
	    "属性值两边缺少引号：写成 名称=\"值\"（如 status=\"published\"） / the "
	    "attribute value has no quotes: write name=\"value\" "
	    "(status=\"published\")" },
	{ XML_ERR_ATTRIBUTE_NOT_FINISHED, XMLMSG_ANY,
	    "属性值缺少结尾的引号 \"：补上它 / an attribute value has no closing "
	    "quote \": add it" },
	{ XML_ERR_LT_IN_ATTRIBUTE, XMLMSG_ANY,
	    "属性值里出现了 <：多半是前面的属性值少了结尾的引号 \"，请补上；要写小于号请写 "
	    "&lt; / a < inside an attribute value: most likely the value before "
	    "it lacks its closing quote \"; write a less-than sign as &lt;" },
	{ XML_ERR_ATTRIBUTE_WITHOUT_VALUE, XMLMSG_ANY,
	    "属性 {1} 没有写值：写成 {1}=\"…\" / the attribute {1} has no value: "
	    "write {1}=\"…\"" },
	{ XML_ERR_ATTRIBUTE_REDEFINED, XMLMSG_ANY,
	    "属性 {1} 写了两次：只留一个 / the attribute {1} is given twice: "
	    "keep one" },
	{ XML_ERR_ENTITYREF_SEMICOL_MISSING, XMLMSG_AMP,
	    "正文里的 & 要写成 &amp;（如“A&B”写成“A&amp;B”） / write a & in text "
	    "as &amp; (A&amp;B)" },
	{ XML_ERR_NAME_REQUIRED, XMLMSG_AMP,
	    "正文里的 & 要写成 &amp;（如“A&B”写成“A&amp;B”） / write a & in text "
	    "as &amp; (A&amp;B)" },
	{ XML_ERR_NAME_REQUIRED, XMLMSG_LT,
	    "正文里的 < 要写成 &lt;（如“<5吨”写成“&lt;5吨”），或者改用全角的“＜” / "
	    "write a < in text as &lt; (&lt;5), or use the full-width ＜" },
	{ XML_ERR_GT_REQUIRED, XMLMSG_LT,
	    "正文里的 < 要写成 &lt;（如“<5吨”写成“&lt;5吨”），或者改用全角的“＜” / "
	    "write a < in text as &lt; (&lt;5), or use the full-width ＜" },
	{ XML_ERR_SPACE_REQUIRED, XMLMSG_LT,
	    "正文里的 < 要写成 &lt;（如“<5吨”写成“&lt;5吨”），或者改用全角的“＜” / "
	    "write a < in text as &lt; (&lt;5), or use the full-width ＜" },
	{ XML_ERR_TAG_NAME_MISMATCH, XMLMSG_LT,
	    "正文里的 < 要写成 &lt;（如“<5吨”写成“&lt;5吨”），或者改用全角的“＜” / "
	    "write a < in text as &lt; (&lt;5), or use the full-width ＜" },
	{ XML_ERR_NAME_REQUIRED, XMLMSG_ANY,
	    "前一个标签没有写完，少了结尾的 >：补上 > / the tag before this "
	    "point is not finished: add its closing >" },
	{ XML_ERR_GT_REQUIRED, XMLMSG_ANY,
	    "<{1}> 标签没有写完：补上结尾的 >，两个属性之间要有空格 / the tag "
	    "<{1}> is not finished: add its closing >, with a space between "
	    "attributes" },
	{ XML_ERR_SPACE_REQUIRED, XMLMSG_ANY,
	    "两个属性之间要有空格（如 title=\"…\" article=\"…\"） / put a space "
	    "between two attributes (title=\"…\" article=\"…\")" },
	{ XML_ERR_UNDECLARED_ENTITY, XMLMSG_HTML_ENTITY,
	    "&{1}; 是网页（HTML）的写法，XML 里不能用：把它换成{5} / &{1}; is an "
	    "HTML entity, which XML does not know: replace it with {6}" },
	{ XML_ERR_UNDECLARED_ENTITY, XMLMSG_ANY,
	    "XML 里没有 &{1}; 这种写法：只能用 &amp; &lt; &gt; &quot; &apos;，其他"
	    "字符请直接输入 / XML has no entity &{1};: only &amp; &lt; &gt; "
	    "&quot; &apos; exist; type any other character itself" },
	{ XML_ERR_TAG_NAME_MISMATCH, XMLMSG_HTML_VOID,
	    "<{1}> 是网页（HTML）的标签，内容里不能用：删掉它；需要换行就另起一个 <p> "
	    "段落 / <{1}> is an HTML tag that content does not use: delete it, "
	    "and start a new <p> where a new line is meant" },
	{ XML_ERR_TAG_NAME_MISMATCH, XMLMSG_UNCLOSED,
	    "第 {3} 行的 <{1}> 没有结束：在 </{2}> 前面补上 </{1}> / <{1}> opened "
	    "on line {3} is not closed: add </{1}> before </{2}>" },
	{ XML_ERR_TAG_NAME_MISMATCH, XMLMSG_END_TAG,
	    "结束标签 </{2}> 和第 {3} 行的开始标签 <{1}> 不配对：把 </{2}> 改成 "
	    "</{1}> / the closing tag </{2}> does not match <{1}> on line {3}: "
	    "change it to </{1}>" },
	{ XML_ERR_TAG_NOT_FINISHED, XMLMSG_ANY,
	    "第 {3} 行的 <{1}> 直到文件结尾都没有结束：在文件最后补上 </{1}> / <{1}> "
	    "opened on line {3} is never closed: add </{1}> at the end" },
	{ XML_ERR_DOCUMENT_EMPTY, XMLMSG_LEADING,
	    "文件开头、<?xml 之前有多余的字符 {4}：删掉它，让文件从 <?xml 开始 / "
	    "something comes before <?xml ({4}): delete it, so that the file "
	    "begins with <?xml" },
	{ XML_ERR_RESERVED_XML_NAME, XMLMSG_LEADING,
	    "文件开头、<?xml 之前有空行或空格：删掉它们，让文件从 <?xml 开始 / blank "
	    "lines or spaces come before <?xml: delete them, so that the file "
	    "begins with <?xml" },
	{ XML_ERR_DOCUMENT_EMPTY, XMLMSG_ANY,
	    "文件里没有内容元素（如 <case>…</case>）：照 content/README.md 的示例"
	    "写完整 / the file has no root element (such as <case>…</case>): "
	    "write it as in the examples of content/README.md" },
	{ XML_ERR_DOCUMENT_END, XMLMSG_ANY,
	    "</{1}> 已经结束了整个文件，后面不能再有内容：把后面的内容移到 </{1}> "
	    "前面，或者删掉 / </{1}> ends the whole file and nothing may follow "
	    "it: move what follows inside, or delete it" },
	{ XML_ERR_HYPHEN_IN_COMMENT, XMLMSG_ANY,
	    "注释 <!-- … --> 里面不能有 --：改成一个 - 或者别的字 / a comment may "
	    "not contain --: write one - or another word" },
	{ XML_ERR_COMMENT_NOT_FINISHED, XMLMSG_ANY,
	    "注释 <!-- 没有用 --> 结束：补上 --> / a comment opened with <!-- "
	    "is never closed with -->: add it" },
	{ XML_ERR_INVALID_CHAR, XMLMSG_ANY,
	    "文件不是 UTF-8 编码：用 UTF-8 重新保存（“另存为”时编码选 UTF-8） / the "
	    "file is not valid UTF-8 text: save it as UTF-8" },
	{ XML_ERR_INVALID_ENCODING, XMLMSG_ANY,
	    "文件不是 UTF-8 编码：用 UTF-8 重新保存（“另存为”时编码选 UTF-8） / the "
	    "file is not valid UTF-8 text: save it as UTF-8" },
	{ XML_ERR_INTERNAL_ERROR, XMLMSG_DEPTH,
	    "元素套得太深（超过 256 层）：文件已损坏或不是内容文件 / elements are "
	    "nested far too deep (more than 256 levels): the file is damaged or "
	    "not content" },
	{ -1, XMLMSG_ANY,
	    "这里的 XML 写法不对（{7}）：对照 content/README.md 的示例检查这一行 / "
	    "the XML is not well-formed here ({7}): compare this line with the "
	    "examples in content/README.md" },
};

/* HTML entities people paste, and what to type instead. */
static const struct {
	const char	*name, *zh, *en;
} xmlmsg_entities[] = {
	{ "nbsp", "普通空格", "a plain space" },
	{ "ensp", "普通空格", "a plain space" },
	{ "emsp", "普通空格", "a plain space" },
	{ "thinsp", "普通空格", "a plain space" },
	{ "ldquo", "“", "“" }, { "rdquo", "”", "”" },
	{ "lsquo", "‘", "‘" }, { "rsquo", "’", "’" },
	{ "mdash", "—", "—" }, { "ndash", "–", "–" },
	{ "hellip", "…", "…" }, { "middot", "·", "·" },
	{ "times", "×", "×" }, { "divide", "÷", "÷" },
	{ "yen", "¥", "¥" }, { "copy", "©", "©" }, { "reg", "®", "®" },
	{ "deg", "°", "°" }, { "plusmn", "±", "±" }, { "sect", "§", "§" },
	{ "laquo", "«", "«" }, { "raquo", "»", "»" }, { "bull", "•", "•" },
};

/* HTML tags written without an end tag: <br>, <hr>, <img …>. */
static const char *const xmlmsg_void[] = { "br", "hr", "img", "input", "meta",
    "link", "wbr", "area", "col", "embed", "source", "track", "param", "base",
    NULL };

/* Quotes that look like " or ' but are not. */
static const char *const xmlmsg_quotes[] = { "“", "”", "‘", "’", "＂", "＇",
    "″", "„", NULL };

/* The byte at line:col (columns in characters) of data, or NULL. */
static const char *
xmlmsg_offset(const char *data, size_t len, long line, long col)
{
	const char	*p = data, *end = data + len;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (; line > 1 && p < end; p++)
		if (*p == '\n')
			line--;
	for (; col > 1 && p < end && *p != '\n'; col--)
		for (p++; p < end && (*p & 0xc0) == 0x80; p++)
			;
	return p < end ? p : NULL;
}

/* The column of byte q on its line (q is inside data). */
static long
xmlmsg_column(const char *data, const char *q)
{
	const char	*p = q;
	long		 col = 1;

	while (p > data && p[-1] != '\n')
		p--;
	if (p == data && q - data >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (; p < q; p++)
		col += (*p & 0xc0) != 0x80;
	return col;
}

static int
xmlmsg_listed(const char *const *list, const char *s)
{
	for (; s != NULL && *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* The character at p as itself, or as "U+FEFF" when it cannot be seen. */
static void
xmlmsg_char(char *out, size_t n, const char *p, const char *end)
{
	int	 l = end - p > 4 ? 4 : (int)(end - p), c;

	if ((c = xmlGetUTF8Char((const unsigned char *)p, &l)) < 0)
		snprintf(out, n, "?");
	else if (c <= ' ' || c == 0xfeff || (c >= 0x200b && c <= 0x200f))
		snprintf(out, n, "U+%04X", c);
	else
		snprintf(out, n, "%.*s", l, p);
}

/*
 * A < in text whose next character cannot start an XML name, or one that
 * libxml2 took for a tag because a Chinese character followed it: the
 * nearest < before at on its line, when it is one of those; else NULL.
 */
static const char *
xmlmsg_bare_lt(const char *data, const char *end, const char *at)
{
	const char	*p = at;

	while (p > data && p[-1] != '\n' && p[-1] != '<')
		p--;
	if (p == data || p[-1] != '<')
		return NULL;
	if (p == end || (unsigned char)*p >= 0x80 || *p == ' ' ||
	    (*p >= '0' && *p <= '9') || *p == '=' || *p == '\n')
		return p - 1;
	return NULL;
}

/*
 * Moves *at to the first open+name (such as "<br" or "</li") on line, at
 * or before at's column when at is on that line: the tag a message is
 * about, where libxml2 points after it.
 */
static void
xmlmsg_tag_at(const char *data, size_t len, struct xmlmsg_at *at, long line,
    const char *open, const char *name)
{
	const char	*start = xmlmsg_offset(data, len, line, 1), *p, *found = NULL;
	const char	*limit = data + len;
	size_t		 lo = strlen(open), ln;

	if (start == NULL || name == NULL)
		return;
	ln = strlen(name);
	if (line == at->line && xmlmsg_offset(data, len, line, at->col) != NULL)
		limit = xmlmsg_offset(data, len, line, at->col);
	for (p = start; p < limit && *p != '\n'; p++)
		if ((size_t)(data + len - p) > lo + ln &&
		    memcmp(p, open, lo) == 0 && memcmp(p + lo, name, ln) == 0 &&
		    strchr(" >/\t", p[lo + ln]) != NULL) {
			found = p;
			if (line != at->line)
				break;	/* the first on its line */
		}
	if (found == NULL)
		return;
	at->line = line;
	at->col = xmlmsg_column(data, found);
}

/* Whether name is open below the innermost element of the parser. */
static int
xmlmsg_open_below(const xmlError *e, const char *name)
{
	xmlParserCtxtPtr ctxt = e->ctxt;
	int		 i;

	if (ctxt == NULL || name == NULL)
		return 0;
	for (i = 0; i + 1 < ctxt->nameNr; i++)
		if (strcmp((const char *)ctxt->nameTab[i], name) == 0)
			return 1;
	return 0;
}

/* What the context of parse error e in data is; may move *at to the cause. */
static int
xmlmsg_parser_ctx(const xmlError *e, const char *data, size_t len,
    struct xmlmsg_at *at, enum xmlmsg_ctx ctx, char *ch, size_t chsz)
{
	const char	*p = xmlmsg_offset(data, len, at->line, at->col);
	const char	*end = data + len, *q;
	size_t		 i;

	switch (ctx) {
	case XMLMSG_ANY:
		return 1;
	case XMLMSG_CURLY_QUOTE:
		for (i = 0; p != NULL && xmlmsg_quotes[i] != NULL; i++)
			if ((size_t)(end - p) >= strlen(xmlmsg_quotes[i]) &&
			    memcmp(p, xmlmsg_quotes[i], strlen(xmlmsg_quotes[i])) == 0) {
				xmlmsg_char(ch, chsz, p, end);
				return 1;
			}
		return 0;
	case XMLMSG_AMP:
		q = p != NULL ? p : end;
		/* "no name": right after the &; a missing ';': after its name */
		while (e->code != XML_ERR_NAME_REQUIRED && q > data &&
		    q[-1] != '\n' && q[-1] != '&')
			q--;
		if (q == data || q[-1] != '&')
			return 0;
		at->col = xmlmsg_column(data, q - 1);
		return 1;
	case XMLMSG_LT:
		if (e->code == XML_ERR_TAG_NAME_MISMATCH)
			return e->str1 != NULL && (unsigned char)e->str1[0] >= 0x80;
		if ((q = xmlmsg_bare_lt(data, end, p != NULL ? p : end)) == NULL)
			return 0;
		at->col = xmlmsg_column(data, q);
		return 1;
	case XMLMSG_HTML_VOID:
		if (!xmlmsg_listed(xmlmsg_void, e->str1))
			return 0;
		xmlmsg_tag_at(data, len, at, e->int1, "<", e->str1);
		return 1;
	case XMLMSG_UNCLOSED:
		if (!xmlmsg_open_below(e, e->str2))
			return 0;
		xmlmsg_tag_at(data, len, at, at->line, "</", e->str2);
		return 1;
	case XMLMSG_END_TAG:
		xmlmsg_tag_at(data, len, at, at->line, "</", e->str2);
		return 1;
	case XMLMSG_HTML_ENTITY:
		for (i = 0; e->str1 != NULL && i < sizeof(xmlmsg_entities) /
		    sizeof(xmlmsg_entities[0]); i++)
			if (strcmp(xmlmsg_entities[i].name, e->str1) == 0)
				return 1;
		return 0;
	case XMLMSG_LEADING:
		q = data;
		if (len >= 3 && memcmp(q, "\xef\xbb\xbf", 3) == 0)
			q += 3;
		if (q >= end || *q == '<' || memchr(q, '<', (size_t)(end - q)) == NULL)
			return 0;
		xmlmsg_char(ch, chsz, q, end);
		at->line = at->col = 1;
		return 1;
	case XMLMSG_NOTHING:
		return 1;
	case XMLMSG_DEPTH:
		return e->int1 == (int)xmlParserMaxDepth;
	}
	return 0;
}

/* The replacement for HTML entity name, in Chinese (zh) or English. */
static const char *
xmlmsg_entity(const char *name, int zh)
{
	size_t	 i;

	for (i = 0; name != NULL && i < sizeof(xmlmsg_entities) /
	    sizeof(xmlmsg_entities[0]); i++)
		if (strcmp(xmlmsg_entities[i].name, name) == 0)
			return zh ? xmlmsg_entities[i].zh : xmlmsg_entities[i].en;
	return NULL;
}

/*
 * Rewrites well-formedness error e in data (the whole file) into out. *at
 * comes in as libxml2's position and may be moved to the cause: the & or
 * < itself, or the start of the file.
 */
void
xmlmsg_parser(const xmlError *e, const char *data, size_t len,
    struct xmlmsg_at *at, char *out, size_t n)
{
	const struct xmlmsg_rule *r;
	xmlParserCtxtPtr ctxt = e->ctxt;
	xmlNodePtr	 root;
	char		 line[24], ch[48] = "", msg[256];
	const char	*a[XMLMSG_ARGS];
	size_t		 i;

	for (i = 0; i < sizeof(xmlmsg_parser_rules) /
	    sizeof(xmlmsg_parser_rules[0]); i++) {
		r = &xmlmsg_parser_rules[i];
		if ((r->code == e->code || r->code == -1) &&
		    xmlmsg_parser_ctx(e, data, len, at, r->ctx, ch, sizeof(ch)))
			break;
	}
	snprintf(line, sizeof(line), "%d", e->int1);
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
	msg[strcspn(msg, "\n")] = '\0';
	a[0] = e->str1;
	a[1] = e->str2;
	if (e->code == XML_ERR_DOCUMENT_END && ctxt != NULL &&
	    (root = xmlDocGetRootElement(ctxt->myDoc)) != NULL)
		a[0] = (const char *)root->name;
	a[2] = line;
	a[3] = ch;
	a[4] = xmlmsg_entity(e->str1, 1);
	a[5] = xmlmsg_entity(e->str1, 0);
	a[6] = msg;
	a[7] = NULL;
	xmlmsg_fill(out, n, r->say, a);
}

/*
 * The optimal-string-alignment distance between two element names (an
 * edit, or two neighbours swapped, costs 1). libxml2, SQLite and libc have
 * none to lend; names are short ASCII, so a small table does.
 */
int
xmlmsg_distance(const char *a, const char *b)
{
	int	 d[33][33], i, j, la = (int)strlen(a), lb = (int)strlen(b), c;

	if (la > 32 || lb > 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			c = a[i - 1] != b[j - 1];
			d[i][j] = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < d[i][j])
				d[i][j] = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < d[i][j])
				d[i][j] = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[la][lb];
}

/* HTML tags and what the body markup calls the same thing. */
static const struct {
	const char	*html, *ours;
} xmlmsg_aliases[] = {
	{ "b", "strong" }, { "i", "em" }, { "u", "em" }, { "div", "p" },
	{ "h1", "h" }, { "h2", "h" }, { "h3", "h" }, { "h4", "h" },
	{ "span", NULL },
};

/*
 * The allowed name that name is probably a misspelling of, or NULL: the
 * same name in other case, the body-markup name of an HTML tag, or one
 * within 1 edit (2 for names of 6 letters or more).
 */
static const char *
xmlmsg_suggest(const struct rng_slots *sl, const char *name)
{
	const char	*best = NULL;
	size_t		 k;
	int		 i, d, bestd = 99, len = (int)strlen(name);

	for (k = 0; k < sizeof(xmlmsg_aliases) / sizeof(xmlmsg_aliases[0]); k++)
		if (strcmp(xmlmsg_aliases[k].html, name) == 0)
			return xmlmsg_aliases[k].ours != NULL &&
			    rng_slot(sl, xmlmsg_aliases[k].ours) >= 0 ?
			    xmlmsg_aliases[k].ours : NULL;
	for (i = 0; i < sl->n; i++) {
		if (strcasecmp(sl->v[i].name, name) == 0)
			return sl->v[i].name;
		d = xmlmsg_distance(sl->v[i].name, name);
		if (d < bestd) {
			bestd = d;
			best = sl->v[i].name;
		}
	}
	return len >= 3 && bestd <= (len >= 6 ? 2 : 1) ? best : NULL;
}

/* The allowed names, joined by sep ("、" or ", "), each once, into out. */
static void
xmlmsg_list(const struct rng_slots *sl, const char *sep, char *out,
    size_t n)
{
	size_t	 o = 0;
	int	 i, j, dup;

	out[0] = '\0';
	for (i = 0; i < sl->n && o < n; i++) {
		for (dup = 0, j = 0; j < i; j++)
			dup |= strcmp(sl->v[i].name, sl->v[j].name) == 0;
		if (!dup)
			o += (size_t)snprintf(out + o, n - o, strcmp(sl->want,
			    "element") == 0 ? "%s<%s>" : "%s%s", o ? sep : "",
			    sl->v[i].name);
	}
}

/* ---- validity errors ---- */

enum xmlmsg_vctx {
	XMLMSG_V_ANY,
	XMLMSG_V_QUIET,		/* repeats an error reported on its own */
	XMLMSG_V_MISSING,	/* a required element before it is absent */
	XMLMSG_V_LATER,		/* a required element before it comes later */
	XMLMSG_V_EARLIER,	/* it should come before the element before it */
	XMLMSG_V_TWICE,		/* a second one where one is allowed */
	XMLMSG_V_MISSPELT,	/* not allowed, and close to a name that is */
	XMLMSG_V_FOREIGN,	/* not allowed here at all */
	XMLMSG_V_TEXT_ONLY,	/* in an element that holds only text */
	XMLMSG_V_EMPTY,		/* an element that must hold some element is empty */
	XMLMSG_V_ATTR_MISSPELT,	/* an attribute close to one it may take */
	XMLMSG_V_ATTR_FOREIGN,	/* an attribute it may not take */
	XMLMSG_V_ATTR_NONE,	/* an attribute where none is taken */
	XMLMSG_V_STATUS,	/* a status attribute with another value */
	XMLMSG_V_NO_STATUS	/* an item without a status attribute */
};

/*
 * What a validity error says. {1} is the element in question, {2} its
 * parent, {3} the other element the mistake is about (the one missing, or
 * the one to go before or after), {4} the likely name meant, {5}/{6} the
 * names allowed, in Chinese/English lists, {7} what the element must
 * hold, {8} the attribute value given.
 */
static const struct xmlmsg_vrule {
	int		 code;
	enum xmlmsg_vctx ctx;
	const char	*say;
} xmlmsg_schema_rules[] = {
	{ XML_RELAXNG_ERR_ELEMWRONG, XMLMSG_V_MISSING,
	    "<{2}> 里缺少 <{3}>：把它加在 <{1}> 前面 / <{2}> is missing <{3}>: "
	    "add it before <{1}>" },
	{ XML_RELAXNG_ERR_ELEMWRONG, XMLMSG_V_LATER,
	    "<{1}> 的位置不对：它要写在 <{3}> 后面（元素顺序见 content/README.md） / "
	    "<{1}> is out of order: it goes after <{3}> (see content/README.md "
	    "for the order)" },
	{ XML_RELAXNG_ERR_ELEMWRONG, XMLMSG_V_EARLIER,
	    "<{1}> 的位置不对：它要写在 <{3}> 前面（元素顺序见 content/README.md） / "
	    "<{1}> is out of order: it goes before <{3}> (see content/README.md "
	    "for the order)" },
	{ XML_RELAXNG_ERR_ELEMWRONG, XMLMSG_V_TWICE,
	    "<{2}> 里只能写一个 <{1}>：删掉多余的 / <{2}> may hold only one <{1}>: "
	    "remove the extra one" },
	{ XML_RELAXNG_ERR_ELEMWRONG, XMLMSG_V_MISSPELT,
	    "<{2}> 里没有 <{1}> 这个元素：是不是想写 <{4}>？ / <{2}> has no element "
	    "<{1}>: did you mean <{4}>?" },
	{ XML_RELAXNG_ERR_ELEMWRONG, XMLMSG_V_TEXT_ONLY,
	    "<{2}> 里只能写文字，不能有 <{1}>：删掉 <{1}> 标签 / <{2}> holds only "
	    "text, not <{1}>: remove the <{1}> tags" },
	{ XML_RELAXNG_ERR_ELEMWRONG, XMLMSG_V_FOREIGN,
	    "<{1}> 不能写在 <{2}> 里，<{2}> 里能写的是 {5} / <{1}> is not allowed "
	    "in <{2}>, which may hold {6}" },
	{ XML_RELAXNG_ERR_ELEMWRONG, XMLMSG_V_ANY,
	    "<{1}> 不能写在这里：前面是不是缺了元素或顺序不对？（见 content/README.md） / "
	    "<{1}> is not allowed here: is something missing or out of order "
	    "before it? (see content/README.md)" },
	{ XML_RELAXNG_ERR_NOELEM, XMLMSG_V_MISSING,
	    "<{2}> 里缺少 <{3}>：把它加在 </{2}> 前面 / <{2}> is missing <{3}>: "
	    "add it before </{2}>" },
	{ XML_RELAXNG_ERR_NOELEM, XMLMSG_V_EMPTY,
	    "<{2}> 不能是空的，里面至少要写一个 {5} / <{2}> may not be empty: "
	    "it needs at least one of {6}" },
	{ XML_RELAXNG_ERR_NOELEM, XMLMSG_V_ANY,
	    "<{2}> 里缺少必须写的元素（见 content/README.md） / <{2}> lacks an "
	    "element it must hold (see content/README.md)" },
	{ XML_RELAXNG_ERR_ELEMNAME, XMLMSG_V_ANY,
	    "这里应该是 <{1}>，不是 <{3}> / <{1}> is expected here, not <{3}>" },
	{ XML_RELAXNG_ERR_ATTRVALID, XMLMSG_V_ATTR_MISSPELT,
	    "<{1}> 没有 {3} 这个属性：是不是想写 {4}？ / <{1}> has no attribute {3}: "
	    "did you mean {4}?" },
	{ XML_RELAXNG_ERR_INVALIDATTR, XMLMSG_V_ATTR_MISSPELT,
	    "<{1}> 没有 {3} 这个属性：是不是想写 {4}？ / <{1}> has no attribute {3}: "
	    "did you mean {4}?" },
	{ XML_RELAXNG_ERR_ATTRVALID, XMLMSG_V_ATTR_FOREIGN,
	    "<{1}> 没有 {3} 这个属性：删掉它（<{1}> 能写的属性是 {5}） / <{1}> does "
	    "not take the attribute {3}: remove it (it takes {6})" },
	{ XML_RELAXNG_ERR_INVALIDATTR, XMLMSG_V_ATTR_FOREIGN,
	    "<{1}> 没有 {3} 这个属性：删掉它（<{1}> 能写的属性是 {5}） / <{1}> does "
	    "not take the attribute {3}: remove it (it takes {6})" },
	{ XML_RELAXNG_ERR_ATTRVALID, XMLMSG_V_ATTR_NONE,
	    "<{1}> 不能带属性：删掉 {3} / <{1}> takes no attributes: remove {3}" },
	{ XML_RELAXNG_ERR_INVALIDATTR, XMLMSG_V_ATTR_NONE,
	    "<{1}> 不能带属性：删掉 {3} / <{1}> takes no attributes: remove {3}" },
	{ XML_RELAXNG_ERR_ATTRVALID, XMLMSG_V_NO_STATUS,
	    "<{1}> 缺少 status 属性：写成 <{1} status=\"published\">（发布）或 "
	    "status=\"draft\"（草稿） / <{1}> needs status=\"published\" or "
	    "status=\"draft\"" },
	{ XML_RELAXNG_ERR_ATTRVALID, XMLMSG_V_STATUS,
	    "status 只能是 published（发布）或 draft（草稿），这里写的是 \"{8}\" / "
	    "status must be published or draft, not \"{8}\"" },
	{ XML_RELAXNG_ERR_ATTRVALID, XMLMSG_V_ANY,
	    "<{1}> 的属性缺少或写错了 / <{1}> has a missing or wrong attribute: {7}" },
	{ XML_RELAXNG_ERR_CONTENTVALID, XMLMSG_V_ANY,
	    "<{1}> 的内容不符合要求 / <{1}> holds something not allowed: {7}" },
	{ XML_RELAXNG_ERR_INVALIDATTR, XMLMSG_V_ANY,
	    "<{3}> 没有 {1} 这个属性：删掉它，或者对照 content/README.md 改正拼写 / "
	    "<{3}> does not take the attribute {1}" },
	{ XML_RELAXNG_ERR_TEXTWRONG, XMLMSG_V_ANY,
	    "<{1}> 里面不能直接写文字，文字要放在它下面的元素里 / <{1}> may not hold "
	    "text directly: put the text inside one of its elements" },
	{ XML_RELAXNG_ERR_EXTRACONTENT, XMLMSG_V_QUIET, NULL },
	{ XML_RELAXNG_ERR_DATATYPE, XMLMSG_V_QUIET, NULL },
	{ XML_RELAXNG_ERR_VALUE, XMLMSG_V_QUIET, NULL },
	{ XML_RELAXNG_ERR_LIST, XMLMSG_V_QUIET, NULL },
	{ -1, XMLMSG_V_ANY, "{7}" },
};

/* What each element or attribute must hold, said for the staff who write it. */
static const struct {
	const char	*name;
	const char	*hint;
} xmlmsg_hints[] = {
	{ "procedure", "must be general (普通程序) or simple (简易程序)" },
	{ "a", "a link needs href starting with http://, https:// or / "
	    "(never javascript:, data: or //)" },
	/* Parent-qualified names first: a law file's <kind> is not a penalty's. */
	{ "law/kind", "must be law (法律), regulation (行政法规), local (地方性法规), "
	    "rule (部门规章) or normative (规范性文件)" },
	{ "law/validity", "must be current (现行有效), amended (已修改) or repealed "
	    "(已废止)" },
	{ "law", "needs ref=\"LAW\" article=\"51\" (a law of content/laws), or in "
	    "a guide or material title=\"《文件全称》\" with the book-title marks" },
	{ "case", "status must be published or draft" },
	{ "guide", "status must be published or draft" },
	{ "material", "status must be published or draft; kind must be article, "
	    "qa, brochure or campaign" },
	{ "published", "must be a date like 2024-05-16" },
	{ "updated", "must be a date like 2024-05-16" },
	{ "decision-date", "must be a date like 2024-05-16" },
	{ "fulfilled", "must be a date like 2024-05-16" },
	{ "start", "must be a date like 2026-12-01 or a time like 2026-12-01T09:00:00" },
	{ "end", "must be a date like 2026-12-07 or a time like 2026-12-07T17:00:00" },
	{ "title", "must be 2 to 120 characters" },
	{ "k", "a keyword must be 1 to 20 characters" },
	{ "severity", "must be minor, general or serious" },
	{ "credit-code", "must be 18 digits and capital letters" },
	{ "fine", "must be an amount in yuan like 2000.00" },
	{ "kind", "must be one of 警告 通报批评 罚款 没收违法所得 没收非法财物 暂扣许可证件 "
	    "降低资质等级 吊销许可证件 限制开展生产经营活动 责令停产停业 责令关闭 限制从业" },
	{ "domain", "must be a code like shirong" },
	{ "town", "must be a code like shenjiamen" },
	{ "topic", "must be a code like xianfa" },
	{ "ref", "id must be an item id like 2023-001" },
};

/* The hint for element name under parent (which may be NULL): an entry
 * "parent/name" first, then "name". */
static const char *
xmlmsg_hint(const char *name, const char *parent)
{
	char	 both[96];
	size_t	 i;

	snprintf(both, sizeof(both), "%s/%s", parent ? parent : "",
	    name ? name : "");
	for (i = 0; name != NULL && i < sizeof(xmlmsg_hints) /
	    sizeof(xmlmsg_hints[0]); i++)
		if (strcmp(xmlmsg_hints[i].name, both) == 0)
			return xmlmsg_hints[i].hint;
	for (i = 0; name != NULL && i < sizeof(xmlmsg_hints) /
	    sizeof(xmlmsg_hints[0]); i++)
		if (strcmp(xmlmsg_hints[i].name, name) == 0)
			return xmlmsg_hints[i].hint;
	return "see content/README.md";
}

/* The element sibling before (dir < 0) or after n, or NULL. */
static xmlNodePtr
xmlmsg_sibling(xmlNodePtr n, int dir)
{
	for (n = dir < 0 ? n->prev : n->next; n != NULL;
	    n = dir < 0 ? n->prev : n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

/* Whether an element sibling after n is named name. */
static int
xmlmsg_later(xmlNodePtr n, const char *name)
{
	for (n = xmlmsg_sibling(n, 1); n != NULL; n = xmlmsg_sibling(n, 1))
		if (strcmp((const char *)n->name, name) == 0)
			return 1;
	return 0;
}

/*
 * Why element x, which the schema did not expect, is where it is: the
 * context, with *other the element the mistake is about and sl what x's
 * parent may hold.
 */
static enum xmlmsg_vctx
xmlmsg_why(xmlNodePtr x, struct rng_slots *sl, const char **other)
{
	xmlNodePtr	 prev, root;
	const char	*name = (const char *)x->name;
	int		 ix, ip, k;

	root = xmlDocGetRootElement(x->doc);
	if (x->parent == NULL || x->parent->type != XML_ELEMENT_NODE ||
	    !rng_allowed((const char *)root->name,
	    (const char *)x->parent->name, name, sl))
		return XMLMSG_V_ANY;
	if ((ix = rng_slot(sl, name)) < 0) {
		if ((*other = xmlmsg_suggest(sl, name)) != NULL)
			return XMLMSG_V_MISSPELT;
		return sl->n == 0 ? XMLMSG_V_TEXT_ONLY : XMLMSG_V_FOREIGN;
	}
	prev = xmlmsg_sibling(x, -1);
	ip = prev != NULL ? rng_slot(sl, (const char *)prev->name) : -1;
	if (prev != NULL && ip < 0)
		return XMLMSG_V_ANY;	/* after an unknown one: reported itself */
	if (ix <= ip) {
		*other = (const char *)prev->name;
		return ix == ip ? XMLMSG_V_TWICE : XMLMSG_V_EARLIER;
	}
	for (k = ip + 1; k < ix; k++)
		if (sl->v[k].required) {
			*other = sl->v[k].name;
			return xmlmsg_later(x, sl->v[k].name) ? XMLMSG_V_LATER :
			    XMLMSG_V_MISSING;
		}
	return XMLMSG_V_ANY;
}

/*
 * Why element parent, which the schema says ends too early, does: the
 * first required element after its last one is missing (*other), or it
 * is empty and needs one of several.
 */
static enum xmlmsg_vctx
xmlmsg_why_short(xmlNodePtr parent, struct rng_slots *sl,
    const char **other)
{
	xmlNodePtr	 last = NULL, n;
	int		 k;

	for (n = parent->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			last = n;
	if (!rng_allowed((const char *)xmlDocGetRootElement(parent->doc)->name,
	    (const char *)parent->name, last ? (const char *)last->name : "", sl))
		return XMLMSG_V_ANY;
	k = last != NULL ? rng_slot(sl, (const char *)last->name) + 1 : 0;
	if (last != NULL && k == 0)
		return XMLMSG_V_ANY;
	for (; k < sl->n; k++)
		if (sl->v[k].required) {
			*other = sl->v[k].name;
			return XMLMSG_V_MISSING;
		}
	for (n = parent->children; n != NULL; n = n->next)
		if (n->type == XML_TEXT_NODE && !xmlIsBlankNode(n))
			return XMLMSG_V_ANY;	/* not empty: something else */
	return last == NULL && sl->n > 0 ? XMLMSG_V_EMPTY : XMLMSG_V_ANY;
}

/*
 * The first attribute of node that the schema does not let it take
 * (*given), and the one probably meant (*other), into sl's attributes.
 */
static enum xmlmsg_vctx
xmlmsg_why_attr(xmlNodePtr node, struct rng_slots *sl, const char **given,
    const char **other)
{
	xmlAttrPtr	 a;

	sl->want = "attribute";
	if (!rng_allowed((const char *)xmlDocGetRootElement(node->doc)->name,
	    (const char *)node->name, NULL, sl))
		return XMLMSG_V_ANY;
	for (a = node->properties; a != NULL; a = a->next)
		if (rng_slot(sl, (const char *)a->name) < 0) {
			*given = (const char *)a->name;
			if (sl->n == 0)
				return XMLMSG_V_ATTR_NONE;
			*other = xmlmsg_suggest(sl, *given);
			return *other != NULL ? XMLMSG_V_ATTR_MISSPELT :
			    XMLMSG_V_ATTR_FOREIGN;
		}
	return XMLMSG_V_ANY;
}

/* The context of validity error e; fills a[] with what it found. */
static enum xmlmsg_vctx
xmlmsg_schema_ctx(const xmlError *e, struct rng_slots *sl, const char **a,
    xmlChar **status)
{
	xmlNodePtr	 node = e->node;
	const char	*other = NULL, *given = NULL;
	enum xmlmsg_vctx ctx = XMLMSG_V_ANY;

	if (node == NULL || node->type != XML_ELEMENT_NODE)
		return XMLMSG_V_ANY;
	if (e->code == XML_RELAXNG_ERR_ELEMWRONG)
		ctx = xmlmsg_why(node, sl, &other);
	else if (e->code == XML_RELAXNG_ERR_NOELEM) {
		/* a wrong attribute makes libxml2 say this too: said once */
		if (xmlmsg_why_attr(node, sl, &given, &other) != XMLMSG_V_ANY)
			return XMLMSG_V_QUIET;
		sl->want = "element";
		other = NULL;
		ctx = xmlmsg_why_short(node, sl, &other);
	}
	else if (e->code == XML_RELAXNG_ERR_ATTRVALID ||
	    e->code == XML_RELAXNG_ERR_INVALIDATTR) {
		if ((ctx = xmlmsg_why_attr(node, sl, &given, &other)) !=
		    XMLMSG_V_ANY) {
			a[0] = (const char *)node->name;
			a[2] = given;
			a[3] = other;
		}
	}
	if (ctx == XMLMSG_V_ANY && e->code == XML_RELAXNG_ERR_ATTRVALID &&
	    node->parent != NULL && node->parent->type == XML_DOCUMENT_NODE) {
		*status = xmlGetProp(node, (const xmlChar *)"status");
		if (*status == NULL)
			ctx = XMLMSG_V_NO_STATUS;
		else if (strcmp((char *)*status, "published") != 0 &&
		    strcmp((char *)*status, "draft") != 0)
			ctx = XMLMSG_V_STATUS;
	}
	if (given == NULL) {
		a[2] = other;
		a[3] = other;
	}
	return ctx;
}

/*
 * Rewrites RELAX NG validity error e into out. Returns 0 when e only
 * repeats an error reported on its own (and out is untouched), else 1.
 */
int
xmlmsg_schema(const xmlError *e, char *out, size_t n)
{
	const struct xmlmsg_vrule *r;
	struct rng_slots	 sl = { .want = "element", .n = 0 };
	xmlNodePtr		 node = e->node;
	xmlChar			*status = NULL;
	char			 zh[512], en[512], msg[256];
	const char		*a[XMLMSG_ARGS] = { NULL };
	enum xmlmsg_vctx	 ctx;
	size_t			 i;

	ctx = xmlmsg_schema_ctx(e, &sl, a, &status);
	for (i = 0; i < sizeof(xmlmsg_schema_rules) /
	    sizeof(xmlmsg_schema_rules[0]); i++) {
		r = &xmlmsg_schema_rules[i];
		if ((r->code == e->code || r->code == -1) &&
		    (r->ctx == ctx || r->ctx == XMLMSG_V_ANY ||
		    r->ctx == XMLMSG_V_QUIET))
			break;
	}
	if (r->ctx == XMLMSG_V_QUIET || ctx == XMLMSG_V_QUIET) {
		xmlFree(status);
		return 0;
	}
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
	msg[strcspn(msg, "\n")] = '\0';
	xmlmsg_list(&sl, "、", zh, sizeof(zh));
	xmlmsg_list(&sl, ", ", en, sizeof(en));
	if (a[0] == NULL)
		a[0] = e->str1;
	if (node != NULL && node->type == XML_ELEMENT_NODE) {
		if (e->code == XML_RELAXNG_ERR_ELEMWRONG)
			a[0] = (const char *)node->name;
		if (node->parent != NULL && node->parent->type == XML_ELEMENT_NODE)
			a[1] = (const char *)node->parent->name;
		if (e->code == XML_RELAXNG_ERR_NOELEM)
			a[1] = (const char *)node->name;
	}
	if (e->code == XML_RELAXNG_ERR_ELEMNAME || (e->code ==
	    XML_RELAXNG_ERR_INVALIDATTR && a[2] == NULL))
		a[2] = e->str2;
	a[4] = zh;
	a[5] = en;
	a[6] = r->code == -1 ? msg : xmlmsg_hint(a[0], a[1]);
	a[7] = (const char *)status;
	xmlmsg_fill(out, n, r->say, a);
	xmlFree(status);
	return 1;
}
