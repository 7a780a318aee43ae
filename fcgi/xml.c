/*
 * xml.c: loads content XML, which the builder trusts no more than a request.
 * External entities, DTDs and the network are refused: a document type
 * declaration is an error, and the entity loader opens nothing but the
 * schema files while schemas load. Every problem is printed to stderr as
 * path:line:col: message (column 1 when libxml2 knows only the line), and
 * counted, so callers can report all of them and then fail. Before libxml2
 * sees a file, empty files and refused characters are reported (xmlchar);
 * libxml2's own errors are rewritten for staff (xmlmsg), and of the
 * well-formedness errors only the first of a file is shown.
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
#include "rng.h"
#include "xmlchar.h"
#include "xmlmsg.h"

static int	 xml_nerrors;
static int	 xml_nwarnings;
/*
 * A thread parsing quietly (xml_load_quiet) counts its problems here and
 * prints none: only the thread that loads the content reports, in order.
 */
static __thread int xml_quiet;
static __thread int xml_quiet_problems;
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

	if (xml_quiet) {
		xml_quiet_problems++;
		return;
	}
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

	if (xml_quiet) {
		xml_quiet_problems++;
		return;
	}
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

/* The errors counted so far by this thread: reported, or quiet ones. */
static int
xml_count(void)
{
	return xml_quiet ? xml_quiet_problems : xml_nerrors;
}

/* The file this thread parses: its bytes, for messages that quote them. */
static __thread struct {
	const char	*data;
	size_t		 len;
	int		 errors;	/* well-formedness errors seen in it */
} xml_cur;

/*
 * libxml2's structured error handler: parse and validity errors alike,
 * rewritten by xmlmsg. Only the first well-formedness error of a file is
 * reported: the parser recovers badly, and what follows is an echo of it.
 */
static void
xml_on_error(void *ctx, xmlErrorPtr e)
{
	const char	*path = ctx != NULL ? ctx : e->file;
	struct xmlmsg_at at = { e->line, e->int2 };
	char		 out[1024];
	size_t		 n;

	if (e->level == XML_ERR_WARNING)
		return;
	if (xml_quiet) {
		xml_quiet_problems++;
		return;
	}
	if (path == NULL)
		path = "(unknown)";
	if (at.line <= 0 && e->node != NULL)
		at.line = xmlGetLineNo((xmlNodePtr)e->node);
	if (e->domain == XML_FROM_RELAXNGV) {
		if (xmlmsg_schema(e, out, sizeof(out)))
			xml_error(path, at.line, 0, "%s", out);
	} else if (xml_cur.data != NULL) {
		if (xml_cur.errors++ > 0)
			return;
		xmlmsg_parser(e, xml_cur.data, xml_cur.len, &at, out, sizeof(out));
		xml_error(path, at.line, at.col, "%s", out);
	} else {
		snprintf(out, sizeof(out), "%s", e->message ? e->message : "error");
		n = strlen(out);
		while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
			out[--n] = '\0';
		xml_error(path, at.line, at.col, "%s", out);
	}
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
	if (rng != NULL)
		rng_load(path);
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

/*
 * Whether data holds nothing but white space (after a byte-order mark):
 * libxml2 says nothing about an empty buffer, and an empty file must not
 * pass for one that was meant to be removed.
 */
static int
xml_empty(const char *data, size_t len)
{
	size_t	 i = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

	for (; i < len; i++)
		if (strchr(" \t\r\n", data[i]) == NULL || data[i] == '\0')
			return 0;
	return 1;
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
 * against rng. Returns the document with *valid set to 1; or, after
 * reporting every error found, a well-formed document that does not match
 * rng with *valid set to 0 (for the checks that need no schema), or NULL.
 */
static xmlDocPtr
xml_parse_loose(const char *path, const char *data, size_t len,
    xmlRelaxNGPtr rng, int *valid)
{
	xmlDocPtr		 doc = NULL;
	xmlRelaxNGValidCtxtPtr	 vc;
	int			 before = xml_count(), ok;

	*valid = 0;

	if (len > XML_MAX_FILE) {
		xml_error(path, 0, 0, "file is larger than %u bytes", XML_MAX_FILE);
		return NULL;
	}
	if (xml_empty(data, len)) {
		xml_error(path, 1, 1, "文件是空的：写上内容，或者删掉这个文件（删掉文件"
		    "就是把它从网站撤下） / the file is empty: write its content, or "
		    "delete the file (which takes it off the site)");
		return NULL;
	}
	if (xml_no_doctype(path, data, len) == -1 ||
	    xmlchar_scan(path, data, len) > 0)
		return NULL;
	xmlSetStructuredErrorFunc((void *)path, xml_on_error);
	xml_cur.data = data;
	xml_cur.len = len;
	xml_cur.errors = 0;
	doc = xmlReadMemory(data, (int)len, path, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
	xml_cur.data = NULL;
	xmlSetStructuredErrorFunc(NULL, xml_on_error);
	if (doc == NULL || xml_count() > before || xml_cur.errors > 0)
		goto fail;
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		xml_error(path, 1, 1, "a document type declaration is not allowed");
		goto fail;
	}
	if (!xml_depth_ok(path, xmlDocGetRootElement(doc), 1) ||
	    xmlchar_clean(doc) == -1)
		goto fail;
	vc = xmlRelaxNGNewValidCtxt(rng);
	xmlRelaxNGSetValidStructuredErrors(vc, xml_on_error, (void *)path);
	ok = xmlRelaxNGValidateDoc(vc, doc) == 0;
	xmlRelaxNGFreeValidCtxt(vc);
	if (!ok && xml_count() == before)
		xml_error(path, 1, 1, "does not match the schema");
	*valid = ok;
	return doc;
fail:
	xmlFreeDoc(doc);
	return NULL;
}

/*
 * Parses len bytes of data, named path in messages, and validates them
 * against rng. Returns the document, or NULL after reporting every error
 * found. A fuzz harness calls this directly.
 */
xmlDocPtr
xml_parse(const char *path, const char *data, size_t len, xmlRelaxNGPtr rng)
{
	xmlDocPtr	 doc;
	int		 valid;

	if ((doc = xml_parse_loose(path, data, len, rng, &valid)) != NULL &&
	    !valid) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

/*
 * Reads path (at most XML_MAX_FILE bytes) and parses it with
 * xml_parse_loose: a document that does not match rng comes back with
 * *valid set to 0.
 */
xmlDocPtr
xml_load_loose(const char *path, xmlRelaxNGPtr rng, int *valid)
{
	struct buf	 b = { 0 };
	xmlDocPtr	 doc = NULL;

	*valid = 0;
	if (xml_slurp(path, &b) == 0)
		doc = xml_parse_loose(path, b.data ? b.data : "", b.len, rng,
		    valid);
	buf_free(&b);
	return doc;
}

/*
 * xml_load_loose without a word: for a thread that parses files ahead of
 * the one that loads them (content.c). Sets *clean when the document is
 * valid and nothing at all was found in it; otherwise the loader parses the
 * file again itself, and reports what it finds in its turn. rng must be
 * this thread's own. The caller has called xml_init.
 */
xmlDocPtr
xml_load_quiet(const char *path, xmlRelaxNGPtr rng, int *clean)
{
	xmlDocPtr	 doc;
	int		 valid;

	xml_quiet = 1;
	xml_quiet_problems = 0;
	doc = xml_load_loose(path, rng, &valid);
	*clean = doc != NULL && valid && xml_quiet_problems == 0;
	xml_quiet = 0;
	return doc;
}

/* Reads path (at most XML_MAX_FILE bytes) and parses it with xml_parse. */
xmlDocPtr
xml_load(const char *path, xmlRelaxNGPtr rng)
{
	xmlDocPtr	 doc;
	int		 valid;

	if ((doc = xml_load_loose(path, rng, &valid)) != NULL && !valid) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
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
