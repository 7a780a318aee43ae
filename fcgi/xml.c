/*
 * xml.c: loads content XML, which the builder trusts no more than a request.
 * External entities, DTDs and the network are refused: a document type
 * declaration is an error, and the entity loader opens nothing but the
 * schema files while schemas load. Every problem is printed to stderr as
 * path:line:col: message (column 1 when libxml2 knows only the line), and
 * counted, so callers can report all of them and then fail.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "buf.h"
#include "xml.h"

static int	 xml_nerrors;
static int	 xml_nwarnings;
static const char *const *xml_paths;	/* report only these (xml_only) */
static int	 xml_npaths;
static char	 xml_allow[PATH_MAX];	/* the schema folder, while loading */

/* Whether problems in path are to be reported (see xml_only). */
static int
xml_wanted(const char *path)
{
	size_t	 n;
	int	 i;

	for (i = 0; i < xml_npaths; i++) {
		n = strlen(xml_paths[i]);
		while (n > 1 && xml_paths[i][n - 1] == '/')
			n--;
		if (strncmp(path, xml_paths[i], n) == 0 &&
		    (path[n] == '\0' || path[n] == '/'))
			return 1;
	}
	return xml_npaths == 0;
}

/*
 * From now on report (and count) only problems in these files or folders,
 * as they are named in paths; with n == 0, all of them.
 */
void
xml_only(const char *const *paths, int n)
{
	xml_paths = paths;
	xml_npaths = n;
}

/* Prints path:line:col: prefix message; returns 0 when path is filtered out. */
static int
xml_report(const char *path, long line, long col, const char *prefix,
    const char *fmt, va_list ap)
{
	if (!xml_wanted(path))
		return 0;
	fprintf(stderr, "%s:%ld:%ld: %s", path, line > 0 ? line : 1,
	    col > 0 ? col : 1, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	return 1;
}

/* Prints one error as path:line:col: message and counts it. */
void
xml_error(const char *path, long line, long col, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	xml_nerrors += xml_report(path, line, col, "", fmt, ap);
	va_end(ap);
}

/*
 * Prints one warning as path:line:col: warning: message and counts it
 * apart from the errors: a warning never fails a check or a build.
 */
void
xml_warning(const char *path, long line, long col, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	xml_nwarnings += xml_report(path, line, col, "warning: ", fmt, ap);
	va_end(ap);
}

/* The number of warnings reported so far. */
int
xml_warnings(void)
{
	return xml_nwarnings;
}

/* The number of errors reported so far. */
int
xml_errors(void)
{
	return xml_nerrors;
}

/* What each element or attribute must hold, said for the staff who write it. */
static const struct {
	const char	*name;
	const char	*hint;
} xml_hints[] = {
	{ "procedure", "must be general (普通程序) or simple (简易程序)" },
	{ "a", "a link needs href starting with http://, https:// or / "
	    "(never javascript:, data: or //)" },
	{ "law", "needs title=\"《法律全称》\" with the book-title marks" },
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

static const char *
xml_hint(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(xml_hints) / sizeof(xml_hints[0]); i++)
		if (strcmp(xml_hints[i].name, name) == 0)
			return xml_hints[i].hint;
	return "see content/README.md";
}

/*
 * Rewrites libxml2's words for the problems staff meet into theirs, in
 * out. Returns NULL for a message that only repeats the one before it.
 */
static const char *
xml_plain(const xmlError *e, const char *msg, char *out, size_t outsz)
{
	char	 a[64], b[64];
	int	 n = 0;

	if (strstr(msg, "Excessive depth") != NULL)
		return "elements are nested far too deep (more than 256 levels): "
		    "the file is damaged or not content";
	if (e->code == XML_ERR_INVALID_CHAR || e->code == XML_ERR_INVALID_ENCODING ||
	    strstr(msg, "not proper UTF-8") != NULL)
		return "the file is not valid UTF-8 text: save it as UTF-8 "
		    "(文件不是 UTF-8 编码)";
	if (e->domain != XML_FROM_RELAXNGV)
		return msg;
	/* %n after the text: sscanf counts a match before checking the rest. */
	if (sscanf(msg, "Expecting an element %63[^,], got nothing%n", a, &n) == 1 &&
	    msg[n] == '\0')
		snprintf(out, outsz, "<%s> is missing here", a);
	else if (sscanf(msg, "Expecting element %63[^,], got %63s%n", a, b, &n) == 2 &&
	    msg[n] == '\0')
		snprintf(out, outsz, "<%s> is expected here, not <%s>", a, b);
	else if (sscanf(msg, "Did not expect element %63s there%n", a, &n) == 1 &&
	    msg[n] == '\0')
		snprintf(out, outsz, "<%s> is not allowed here: is something "
		    "missing or out of order before it? (see content/README.md)", a);
	else if (sscanf(msg, "Invalid attribute %63s for element %63s%n", a, b,
	    &n) == 2 && msg[n] == '\0')
		snprintf(out, outsz, "<%s> does not take the attribute %s", b, a);
	else if (sscanf(msg, "Element %63s failed to validate attributes%n", a,
	    &n) == 1 && msg[n] == '\0')
		snprintf(out, outsz, "<%s> has a missing or wrong attribute: %s",
		    a, xml_hint(a));
	else if (sscanf(msg, "Element %63s failed to validate content%n", a,
	    &n) == 1 && msg[n] == '\0')
		snprintf(out, outsz, "<%s> holds something not allowed: %s", a,
		    xml_hint(a));
	else if (strncmp(msg, "Error validating", 16) == 0 ||
	    strstr(msg, "has extra content") != NULL)
		return NULL;	/* the cause is reported on its own */
	else
		return msg;
	return out;
}

/* libxml2's structured error handler: parse and validity errors alike. */
static void
xml_on_error(void *ctx, xmlErrorPtr e)
{
	const char	*path = ctx != NULL ? ctx : e->file, *plain;
	char		 msg[512], out[512];
	size_t		 n;
	long		 line = e->line;

	if (e->level == XML_ERR_WARNING)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (line <= 0 && e->node != NULL)
		line = xmlGetLineNo((xmlNodePtr)e->node);
	if ((plain = xml_plain(e, msg, out, sizeof(out))) != NULL)
		xml_error(path ? path : "(unknown)", line, e->int2, "%s", plain);
}

/*
 * The only entity loader: it opens files inside xml_allow (set while schemas
 * load, for their <include>s) and refuses everything else.
 */
static xmlParserInputPtr
xml_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	char	 real[PATH_MAX];
	size_t	 n = strlen(xml_allow);

	(void)id;
	if (url != NULL && n > 0 && strstr(url, "://") == NULL &&
	    realpath(url, real) != NULL && strncmp(real, xml_allow, n) == 0 &&
	    real[n] == '/')
		return xmlNewInputFromFile(ctxt, real);
	xml_error(ctxt && ctxt->input && ctxt->input->filename ?
	    ctxt->input->filename : "(xml)", ctxt && ctxt->input ?
	    ctxt->input->line : 0, 0, "refused to load external resource %s",
	    url ? url : "(none)");
	return NULL;
}

/* Installs the refusing entity loader and error handler, once. */
void
xml_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(xml_loader);
	xmlSetStructuredErrorFunc(NULL, xml_on_error);
}

/* Compiles the RELAX NG schema at path. Returns NULL (reported) on error. */
xmlRelaxNGPtr
xml_schema(const char *path)
{
	xmlRelaxNGParserCtxtPtr	 pc;
	xmlRelaxNGPtr		 rng;
	char			 dir[PATH_MAX], *slash;

	if (realpath(path, dir) == NULL) {
		xml_error(path, 0, 0, "cannot open schema");
		return NULL;
	}
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	snprintf(xml_allow, sizeof(xml_allow), "%s", dir);
	pc = xmlRelaxNGNewParserCtxt(path);
	xmlRelaxNGSetParserStructuredErrors(pc, xml_on_error, NULL);
	rng = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	xml_allow[0] = '\0';
	return rng;
}

/* Reads path whole, refusing files over XML_MAX_FILE. */
static int
xml_slurp(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL) {
		xml_error(path, 0, 0, "cannot open the file");
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > XML_MAX_FILE) {
			fclose(f);
			xml_error(path, 0, 0, "file is larger than %u bytes",
			    XML_MAX_FILE);
			return -1;
		}
		if (buf_add(b, chunk, n) == -1) {
			fclose(f);
			xml_error(path, 0, 0, "out of memory reading the file");
			return -1;
		}
	}
	fclose(f);
	return 0;
}

/* Refuses a document type declaration before the parser sees it. */
static int
xml_no_doctype(const char *path, const char *data, size_t len)
{
	const char	*p = memmem(data, len, "<!DOCTYPE", 9);
	long		 line = 1, col = 1;
	const char	*q;

	if (p == NULL)
		return 0;
	for (q = data; q < p; q++, col++)
		if (*q == '\n') {
			line++;
			col = 0;
		}
	xml_error(path, line, col, "a document type declaration (<!DOCTYPE>) "
	    "is not allowed in content: remove it");
	return -1;
}

/* Checks nesting depth; libxml2's own limit is far higher. */
static int
xml_depth_ok(const char *path, xmlNodePtr n, int depth)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (depth > XML_MAX_DEPTH) {
			xml_error(path, xmlGetLineNo(n), 0, "elements nested "
			    "deeper than %d levels", XML_MAX_DEPTH);
			return 0;
		}
		if (!xml_depth_ok(path, n->children, depth + 1))
			return 0;
	}
	return 1;
}

/*
 * Parses len bytes of data, named path in messages, and validates them
 * against rng. Returns the document, or NULL after reporting every error
 * found. A fuzz harness calls this directly.
 */
xmlDocPtr
xml_parse(const char *path, const char *data, size_t len, xmlRelaxNGPtr rng)
{
	xmlDocPtr		 doc = NULL;
	xmlRelaxNGValidCtxtPtr	 vc;
	int			 before = xml_nerrors, ok;

	if (len > XML_MAX_FILE) {
		xml_error(path, 0, 0, "file is larger than %u bytes", XML_MAX_FILE);
		return NULL;
	}
	if (xml_no_doctype(path, data, len) == -1)
		return NULL;
	xmlSetStructuredErrorFunc((void *)path, xml_on_error);
	doc = xmlReadMemory(data, (int)len, path, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
	xmlSetStructuredErrorFunc(NULL, xml_on_error);
	if (doc == NULL || xml_nerrors > before)
		goto fail;
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		xml_error(path, 1, 1, "a document type declaration is not allowed");
		goto fail;
	}
	if (!xml_depth_ok(path, xmlDocGetRootElement(doc), 1))
		goto fail;
	vc = xmlRelaxNGNewValidCtxt(rng);
	xmlRelaxNGSetValidStructuredErrors(vc, xml_on_error, (void *)path);
	ok = xmlRelaxNGValidateDoc(vc, doc) == 0;
	xmlRelaxNGFreeValidCtxt(vc);
	if (!ok) {
		if (xml_nerrors == before)
			xml_error(path, 1, 1, "does not match the schema");
		goto fail;
	}
	return doc;
fail:
	xmlFreeDoc(doc);
	return NULL;
}

/* Reads path (at most XML_MAX_FILE bytes) and parses it with xml_parse. */
xmlDocPtr
xml_load(const char *path, xmlRelaxNGPtr rng)
{
	struct buf	 b = { 0 };
	xmlDocPtr	 doc = NULL;

	if (xml_slurp(path, &b) == 0)
		doc = xml_parse(path, b.data ? b.data : "", b.len, rng);
	buf_free(&b);
	return doc;
}

/* The text content of an element with only text in it ("" when empty). */
const char *
xml_text(xmlNodePtr n)
{
	if (n != NULL && n->children != NULL && n->children->type == XML_TEXT_NODE &&
	    n->children->content != NULL)
		return (const char *)n->children->content;
	return "";
}

/* The first element child of n named name, or NULL. */
xmlNodePtr
xml_child(xmlNodePtr n, const char *name)
{
	for (n = n ? n->children : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

/* The next element sibling of n named name, or NULL. */
xmlNodePtr
xml_next(xmlNodePtr n, const char *name)
{
	for (n = n ? n->next : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}
