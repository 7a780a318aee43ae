/*
 * xmlchar.c: the characters that text pasted from Word or a web page brings
 * along, decided one by one. Each is either kept, cleaned away at build
 * (it is invisible and only ever harms: a no-break space becomes a space, a
 * zero-width space is removed, so that search finds 责令该公司 whatever was
 * pasted into it), or refused with its position, because it changes what
 * the page shows or says (a direction override, a private-use bullet that
 * shows as a box) and only a person can tell what was meant. The table
 * below is the whole policy; content/README.md shows it to staff.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlstring.h>

#include "xml.h"
#include "xmlchar.h"

enum xmlchar_fate {
	XMLCHAR_KEEP,
	XMLCHAR_SPACE,		/* becomes an ordinary space */
	XMLCHAR_DROP,		/* removed */
	XMLCHAR_REFUSE		/* an error at its line and column */
};

/* Said of every control character: none of them has a place in a page. */
#define XMLCHAR_DELETE	"删掉它", "delete it"
#define XMLCHAR_NEW_P	"删掉它，需要换行就另起一个 <p> 段落", \
			"delete it, and start a new <p> where a new line is meant"

static const struct xmlchar_rule {
	unsigned	 lo, hi;	/* code points, inclusive */
	enum xmlchar_fate fate;
	const char	*zh, *en;	/* what it is (refused ones) */
	const char	*fix_zh, *fix_en;
} xmlchar_rules[] = {
	{ 0x09, 0x0a, XMLCHAR_KEEP, NULL, NULL, NULL, NULL },
	{ 0x0d, 0x0d, XMLCHAR_KEEP, NULL, NULL, NULL, NULL },
	{ 0x07, 0x07, XMLCHAR_REFUSE, "控制字符（Word 表格的单元格结束符）",
	    "control character (the end-of-cell mark of a Word table)",
	    XMLCHAR_DELETE },
	{ 0x0b, 0x0b, XMLCHAR_REFUSE, "控制字符（垂直制表符，Word 的手动换行符）",
	    "control character (vertical tab: Word's manual line break)",
	    XMLCHAR_NEW_P },
	{ 0x0c, 0x0c, XMLCHAR_REFUSE, "控制字符（换页符，Word 的分页符）",
	    "control character (form feed: Word's page break)", XMLCHAR_NEW_P },
	{ 0x13, 0x15, XMLCHAR_REFUSE, "控制字符（Word 域代码的标记）",
	    "control character (a Word field code mark)",
	    "删掉它；在 Word 里先选中文字按 Ctrl+Shift+F9 把域转成普通文字再复制",
	    "delete it; in Word, select the text and press Ctrl+Shift+F9 to turn "
	    "fields into plain text before copying" },
	{ 0x00, 0x1f, XMLCHAR_REFUSE, "控制字符", "control character",
	    XMLCHAR_DELETE },
	{ 0x7f, 0x9f, XMLCHAR_REFUSE, "控制字符", "control character",
	    XMLCHAR_DELETE },
	{ 0xa0, 0xa0, XMLCHAR_SPACE, NULL, NULL, NULL, NULL },	/* no-break space */
	{ 0xad, 0xad, XMLCHAR_DROP, NULL, NULL, NULL, NULL },	/* soft hyphen */
	{ 0x2007, 0x2007, XMLCHAR_SPACE, NULL, NULL, NULL, NULL }, /* figure space */
	{ 0x200b, 0x200f, XMLCHAR_DROP, NULL, NULL, NULL, NULL }, /* zero-width, LRM, RLM */
	{ 0x2028, 0x2028, XMLCHAR_REFUSE, "行分隔符", "line separator",
	    XMLCHAR_NEW_P },
	{ 0x2029, 0x2029, XMLCHAR_REFUSE, "段分隔符", "paragraph separator",
	    XMLCHAR_NEW_P },
	{ 0x202a, 0x202e, XMLCHAR_REFUSE, "文字方向控制字符（能让文字倒着显示）",
	    "text-direction override (it can turn text backwards)",
	    XMLCHAR_DELETE },
	{ 0x202f, 0x202f, XMLCHAR_SPACE, NULL, NULL, NULL, NULL }, /* narrow no-break space */
	{ 0x2060, 0x2060, XMLCHAR_DROP, NULL, NULL, NULL, NULL },	/* word joiner */
	{ 0x2066, 0x2069, XMLCHAR_REFUSE, "文字方向隔离字符",
	    "text-direction isolate", XMLCHAR_DELETE },
	{ 0xe000, 0xf8ff, XMLCHAR_REFUSE,
	    "私用区字符（如 Word 的项目符号，网页上显示成方框）",
	    "private-use character (such as a Word bullet; it shows as a box)",
	    "删掉它，列表请用 <ul><li>…</li></ul>",
	    "delete it, and write a list as <ul><li>…</li></ul>" },
	{ 0xfeff, 0xfeff, XMLCHAR_DROP, NULL, NULL, NULL, NULL }, /* BOM inside text */
	{ 0xfffd, 0xfffd, XMLCHAR_REFUSE,
	    "替换字符“\xef\xbf\xbd”（文字在复制或转换编码时已经损坏）",
	    "replacement character (the text was damaged when copied or converted)",
	    "从原文重新复制这段文字", "copy this text again from the original" },
	{ 0xfffe, 0xffff, XMLCHAR_REFUSE, "非字符", "non-character", XMLCHAR_DELETE },
	{ 0xf0000, 0x10ffff, XMLCHAR_REFUSE, "私用区字符（网页上显示成方框）",
	    "private-use character (it shows as a box)", XMLCHAR_DELETE },
};

/* The rule for code point c, or NULL: kept as it is. */
/*
 * The rule of character c, or NULL to keep it. Printable ASCII and the
 * block from U+2070 to U+DFFF (CJK, kana, hangul ...), nearly every
 * character of the content, match no rule: they skip the table.
 */
static const struct xmlchar_rule *
xmlchar_rule(unsigned c)
{
	size_t	 i;

	if ((c >= 0x20 && c < 0x7f) || (c >= 0x2070 && c < 0xe000))
		return NULL;
	for (i = 0; i < sizeof(xmlchar_rules) / sizeof(xmlchar_rules[0]); i++)
		if (c >= xmlchar_rules[i].lo && c <= xmlchar_rules[i].hi)
			return xmlchar_rules[i].fate == XMLCHAR_KEEP ? NULL :
			    &xmlchar_rules[i];
	return NULL;
}

/* The first place of one refused character, and how often it occurs. */
struct xmlchar_seen {
	unsigned	 c;
	long		 line, col, count;
};

static void
xmlchar_report(const char *path, const struct xmlchar_seen *s)
{
	const struct xmlchar_rule *r = xmlchar_rule(s->c);
	char	 zh[64] = "", en[64] = "";

	if (s->count > 1) {
		snprintf(zh, sizeof(zh), "（本文件共 %ld 处，这是第一处）", s->count);
		snprintf(en, sizeof(en), " (%ld in this file; this is the first)",
		    s->count);
	}
	xml_error(path, s->line, s->col, "不能使用的字符 U+%04X：%s，%s%s / "
	    "character U+%04X may not be used: %s; %s%s", s->c, r->zh, r->fix_zh,
	    zh, s->c, r->en, r->fix_en, en);
}

/* Notes one refused character c at line:col in seen (n kinds so far). */
static void
xmlchar_note(struct xmlchar_seen *seen, int *n, long *more, unsigned c,
    long line, long col)
{
	int	 i;

	for (i = 0; i < *n; i++)
		if (seen[i].c == c) {
			seen[i].count++;
			return;
		}
	if (*n == XMLCHAR_MAX_KINDS) {
		(*more)++;
		return;
	}
	seen[*n].c = c;
	seen[*n].line = line;
	seen[*n].col = col;
	seen[(*n)++].count = 1;
}

/*
 * Reports every refused character of data (and bytes that are not UTF-8)
 * as path:line:col, columns counted in characters as libxml2 counts them.
 * Each character is named once, where it first occurs, with its count; at
 * most XMLCHAR_MAX_KINDS of them. Returns the number of errors reported.
 */
int
xmlchar_scan(const char *path, const char *data, size_t len)
{
	struct xmlchar_seen	 seen[XMLCHAR_MAX_KINDS];
	const unsigned char	*p = (const unsigned char *)data, *end = p + len;
	long			 line = 1, col = 1, more = 0;
	int			 n = 0, i, l, c;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* a byte-order mark opens many files: fine */
	for (; p < end; p += l, col++) {
		l = end - p > 4 ? 4 : (int)(end - p);
		if ((c = xmlGetUTF8Char(p, &l)) < 0) {
			xml_error(path, line, col, "文件不是 UTF-8 编码：用 UTF-8 重新"
			    "保存（“另存为”时编码选 UTF-8） / the file is not valid "
			    "UTF-8 text: save it as UTF-8");
			return 1;
		}
		if (c == '\n') {
			line++;
			col = 0;
		} else if (xmlchar_rule((unsigned)c) != NULL &&
		    xmlchar_rule((unsigned)c)->fate == XMLCHAR_REFUSE)
			xmlchar_note(seen, &n, &more, (unsigned)c, line, col);
	}
	for (i = 0; i < n; i++)
		xmlchar_report(path, &seen[i]);
	if (more > 0)
		xml_error(path, 1, 1, "还有 %ld 处其他不能使用的字符，改好上面这些后"
		    "再检查一次 / %ld more characters of other kinds that may not "
		    "be used: fix the ones above and check again", more, more);
	return n + (more > 0);
}

/*
 * The text s with the characters to clean away cleaned, in a new string
 * (xmlFree), or NULL when there is nothing to clean.
 */
static xmlChar *
xmlchar_cleaned(const xmlChar *s)
{
	const struct xmlchar_rule *r;
	xmlChar		*out = NULL;
	size_t		 len = (size_t)xmlStrlen(s), o = 0, i;
	int		 l, c;

	for (i = 0; i < len; i += (size_t)l) {
		l = len - i > 4 ? 4 : (int)(len - i);
		if ((c = xmlGetUTF8Char(s + i, &l)) < 0)
			break;
		r = xmlchar_rule((unsigned)c);
		if (out == NULL && r != NULL && r->fate != XMLCHAR_REFUSE) {
			if ((out = xmlMalloc(len + 1)) == NULL)
				return NULL;
			memcpy(out, s, i);
			o = i;
		}
		if (out == NULL)
			continue;
		if (r == NULL || r->fate == XMLCHAR_REFUSE) {
			memcpy(out + o, s + i, (size_t)l);
			o += (size_t)l;
		} else if (r->fate == XMLCHAR_SPACE)
			out[o++] = ' ';
	}
	if (out != NULL)
		out[o] = '\0';
	return out;
}

/* Cleans the text nodes under n, attribute values included. */
static int
xmlchar_clean_node(xmlNodePtr n)
{
	xmlAttrPtr	 a;
	xmlChar		*s;

	for (; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content != NULL &&
		    (s = xmlchar_cleaned(n->content)) != NULL) {
			xmlNodeSetContent(n, s);
			xmlFree(s);
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (a = n->properties; a != NULL; a = a->next)
			if (xmlchar_clean_node(a->children) == -1)
				return -1;
		if (xmlchar_clean_node(n->children) == -1)
			return -1;
	}
	return 0;
}

/*
 * Cleans doc as the table says: no-break spaces become spaces, zero-width
 * characters and soft hyphens go. The caller has refused deep nesting, so
 * the recursion is bounded. Returns 0.
 */
int
xmlchar_clean(xmlDocPtr doc)
{
	return xmlchar_clean_node(xmlDocGetRootElement(doc));
}
