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
static char	 xml_allow[PATH_MAX];	/* the schema folder, while loading */

/* Prints one error as path:line:col: message and counts it. */
void
xml_error(const char *path, long line, long col, const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "%s:%ld:%ld: ", path, line > 0 ? line : 1,
	    col > 0 ? col : 1);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	xml_nerrors++;
}

/* The number of errors reported so far. */
int
xml_errors(void)
{
	return xml_nerrors;
}

/* libxml2's structured error handler: parse and validity errors alike. */
static void
xml_on_error(void *ctx, xmlErrorPtr e)
{
	const char	*path = ctx != NULL ? ctx : e->file;
	char		 msg[512];
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
	xml_error(path ? path : "(unknown)", line, e->int2, "%s", msg);
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
xml_no_doctype(const char *path, const struct buf *b)
{
	const char	*p = b->data ? strstr(b->data, "<!DOCTYPE") : NULL;
	long		 line = 1, col = 1;
	const char	*q;

	if (p == NULL)
		return 0;
	for (q = b->data; q < p; q++, col++)
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
 * Parses path and validates it against rng. Returns the document, or NULL
 * after reporting every error found.
 */
xmlDocPtr
xml_load(const char *path, xmlRelaxNGPtr rng)
{
	struct buf		 b = { 0 };
	xmlDocPtr		 doc = NULL;
	xmlRelaxNGValidCtxtPtr	 vc;
	int			 before = xml_nerrors, ok;

	if (xml_slurp(path, &b) == -1 || xml_no_doctype(path, &b) == -1)
		goto fail;
	xmlSetStructuredErrorFunc((void *)path, xml_on_error);
	doc = xmlReadMemory(b.data ? b.data : "", (int)b.len, path, "UTF-8",
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
	buf_free(&b);
	return doc;
fail:
	xmlFreeDoc(doc);
	buf_free(&b);
	return NULL;
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
