/*
 * rng.c: what a RELAX NG schema allows where. libxml2's compiled schema
 * validates but cannot be asked which elements may come next, so the
 * schema files are also read as plain XML: the elements (or attributes)
 * an element may hold, in order, each marked required or not. xmlmsg uses
 * it to say what is missing where, what order is wrong and which name was
 * probably meant. Patterns are followed approximately (a choice makes its
 * parts optional), which is all a message needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "rng.h"

/* A schema file and those it includes, kept for the life of the process. */
struct rng_schema {
	char			*path;
	char			*root;		/* its start element's name */
	xmlDocPtr		 docs[RNG_MAX_DOCS]; /* the file, then its includes */
	int			 ndocs;
	struct rng_schema	*next;
};

static struct rng_schema *rng_schemas;

/* Whether n is the RELAX NG element named name. */
static int
rng_is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The name attribute of n, pointing into the document ("" when absent). */
static const char *
rng_name(xmlNodePtr n)
{
	xmlAttrPtr	 a = xmlHasProp(n, (const xmlChar *)"name");

	if (a == NULL || a->children == NULL || a->children->content == NULL)
		return "";
	return (const char *)a->children->content;
}

/* The first element named name (depth first) under n, or NULL. */
static xmlNodePtr
rng_find(xmlNodePtr n, const char *name)
{
	xmlNodePtr	 f;

	for (; n != NULL; n = n->next) {
		if (rng_is(n, name))
			return n;
		if (n->type == XML_ELEMENT_NODE &&
		    (f = rng_find(n->children, name)) != NULL)
			return f;
	}
	return NULL;
}

/* Adds the files that the schema file doc includes, from folder dir. */
static void
rng_includes(struct rng_schema *s, xmlDocPtr doc, const char *dir,
    int dirlen)
{
	xmlNodePtr	 n;
	xmlChar		*href;
	char		 inc[4096];

	for (n = xmlDocGetRootElement(doc)->children; n != NULL &&
	    s->ndocs < RNG_MAX_DOCS; n = n->next) {
		if (!rng_is(n, "include") ||
		    (href = xmlGetProp(n, (const xmlChar *)"href")) == NULL)
			continue;
		/* Only a sibling file: the schema folder is all there is. */
		if (strchr((const char *)href, '/') == NULL) {
			snprintf(inc, sizeof(inc), "%.*s%s", dirlen, dir,
			    (const char *)href);
			if ((s->docs[s->ndocs] = xmlReadFile(inc, NULL,
			    XML_PARSE_NONET)) != NULL) {
				s->ndocs++;
				rng_includes(s, s->docs[s->ndocs - 1], dir, dirlen);
			}
		}
		xmlFree(href);
	}
}

/*
 * Reads the RELAX NG file path (and the files it includes, from its own
 * folder) as plain XML, once, to tell staff what it expects where. A
 * schema that cannot be read only makes messages less specific.
 */
void
rng_load(const char *path)
{
	struct rng_schema	*s;
	xmlNodePtr		 el;
	const char		*slash = strrchr(path, '/');

	for (s = rng_schemas; s != NULL; s = s->next)
		if (strcmp(s->path, path) == 0)
			return;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return;
	if ((s->path = strdup(path)) == NULL ||
	    (s->docs[0] = xmlReadFile(path, NULL, XML_PARSE_NONET)) == NULL) {
		free(s->path);
		free(s);
		return;
	}
	s->ndocs = 1;
	rng_includes(s, s->docs[0], path, slash ? (int)(slash - path + 1) : 0);
	el = rng_find(rng_find(xmlDocGetRootElement(s->docs[0]), "start"),
	    "element");
	s->root = strdup(el != NULL ? rng_name(el) : "");
	s->next = rng_schemas;
	rng_schemas = s;
}

/* The schema whose document element is root, or NULL. */
static const struct rng_schema *
rng_schema_of(const char *root)
{
	const struct rng_schema *s;

	for (s = rng_schemas; s != NULL; s = s->next)
		if (s->root != NULL && strcmp(s->root, root) == 0)
			return s;
	return NULL;
}

static void rng_walk(const struct rng_schema *, xmlNodePtr, int,
    struct rng_slots *, int);

/* Walks the <define>s called name, for a <ref>. */
static void
rng_ref(const struct rng_schema *s, const char *name, int required,
    struct rng_slots *out, int depth)
{
	xmlNodePtr	 d;
	int		 i;

	for (i = 0; i < s->ndocs; i++)
		for (d = xmlDocGetRootElement(s->docs[i])->children; d != NULL;
		    d = d->next)
			if (rng_is(d, "define") &&
			    strcmp(rng_name(d), name) == 0)
				rng_walk(s, d, required, out, depth + 1);
}

/* Lists the elements (or attributes) that the pattern under n allows, in order. */
static void
rng_walk(const struct rng_schema *s, xmlNodePtr n, int required,
    struct rng_slots *out, int depth)
{
	if (depth > RNG_MAX_REFS)
		return;
	for (n = n->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (rng_is(n, out->want) && out->n < RNG_MAX_SLOTS) {
			out->v[out->n].name = rng_name(n);
			out->v[out->n++].required = required;
		} else if (rng_is(n, "ref"))
			rng_ref(s, rng_name(n), required, out, depth);
		else if (rng_is(n, "optional") || rng_is(n, "zeroOrMore") ||
		    rng_is(n, "choice"))
			rng_walk(s, n, 0, out, depth);
		else if (rng_is(n, "oneOrMore") || rng_is(n, "group") ||
		    rng_is(n, "interleave") || rng_is(n, "mixed"))
			rng_walk(s, n, required, out, depth);
	}
}

/* The index of name in sl, or -1. */
int
rng_slot(const struct rng_slots *sl, const char *name)
{
	int	 i;

	for (i = 0; i < sl->n; i++)
		if (strcmp(sl->v[i].name, name) == 0)
			return i;
	return -1;
}

/* Whether sl allows child, or, with child NULL, anything. */
static int
rng_allows(const struct rng_slots *sl, const char *child)
{
	return child != NULL ? rng_slot(sl, child) >= 0 : sl->n > 0;
}

/*
 * The elements (or attributes: out->want) that parent may hold, in order.
 * Where the schema defines parent in several places (a <title> of a step
 * and of an item), the one that allows child is taken, else the first
 * (with child NULL, the first that allows any). root names the schema:
 * the one loaded whose start element it is. Returns 0 when none says.
 */
int
rng_allowed(const char *root, const char *parent, const char *child,
    struct rng_slots *out)
{
	const struct rng_schema *s = rng_schema_of(root);
	struct rng_slots	 one;
	xmlNodePtr		 stack[RNG_MAX_NEST], n;
	int			 i, top, found = 0;

	out->n = 0;
	for (i = 0; s != NULL && i < s->ndocs; i++) {
		top = 0;
		stack[top++] = xmlDocGetRootElement(s->docs[i]);
		while (top > 0) {
			n = stack[--top];
			for (; n != NULL; n = n->next) {
				if (n->type != XML_ELEMENT_NODE)
					continue;
				if (rng_is(n, "element") &&
				    strcmp(rng_name(n), parent) == 0) {
					one.want = out->want;
					one.n = 0;
					rng_walk(s, n, 1, &one, 0);
					if (!found || rng_allows(&one, child)) {
						*out = one;
						if (rng_allows(&one, child))
							return 1;
						found = 1;
					}
				}
				if (n->children != NULL && top < RNG_MAX_NEST)
					stack[top++] = n->children;
			}
		}
	}
	return found;
}
