/*
 * history.c: an item's versions in the console, for every section it edits
 * (each function takes the section and the content id): the history page
 * (who saved each version, when, with what comment, and what happened to
 * it), what changed between any two versions field by field, restoring an
 * old version as a new draft, and deleting a draft reversibly.
 *
 * Nothing here removes anything: a restore adds a version, a delete sets
 * the item's status to "deleted" (its versions stay, and so does any file),
 * and an undelete sets it back to "draft". Each step is one audit entry,
 * in the same transaction as the change.
 *
 * A version is compared as its form shows it, not as XML: each top-level
 * element (title, keywords, facts ...) and attribute (publish-at) is one
 * field, and a field's value is its lines, one per paragraph, list item,
 * keyword or legal basis. Changed lines are found with a longest common
 * subsequence over the lines of one field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <libxml/parser.h>

#include "buf.h"
#include "console.h"
#include "history.h"
#include "itemform.h"
#include "http.h"
#include "log.h"
#include "staff.h"
#include "tpl.h"
#include "xml.h"


/* The names of fields on the form, by element (or attribute) name. */
static const struct { const char *name, *label; } history_labels[] = {
	{ "title", "标题" }, { "published", "发布日期" },
	{ "updated", "更新日期" }, { "publish-at", "定时发布" },
	{ "kind", "类型" }, { "domain", "执法领域" },
	{ "town", "乡镇（街道）" }, { "procedure", "程序类型" },
	{ "decision", "处罚决定书文号" }, { "keywords", "关键词" },
	{ "basis", "法律依据" }, { "related", "相关内容" },
	{ "summary", "摘要" }, { "applies", "适用情形" },
	{ "steps", "办理步骤" }, { "documents", "所需材料" },
	{ "where", "办理地点" }, { "faq", "常见问题" }, { "topic", "专题" },
	{ "event", "活动时间地点" }, { "body", "正文" }, { "qa", "问答" },
	{ "images", "图片" }, { "attachments", "附件" },
};

/* What starts a line of an element, so that a line reads alone. */
static const struct { const char *name, *prefix; } history_prefixes[] = {
	{ "li", "· " }, { "h", "【小标题】" }, { "q", "问：" }, { "a", "答：" },
	{ "start", "开始：" }, { "end", "结束：" }, { "place", "地点：" },
};

/* One field of a version: its lines, each ending in '\n'. */
struct history_field {
	char		 name[32];
	struct buf	 text;
	int		 nlines;
};

struct history_doc {
	struct history_field f[HISTORY_MAX_FIELDS];
	int		 n;
};

/* The label of field name on the form. */
static const char *
history_label(const char *name)
{
	const struct itemform_kind *k;
	size_t		 i;
	int		 j;

	/* the editor's own label first (itemform.c), then the elements it holds */
	for (k = itemform_kinds; k < itemform_kinds + itemform_nkinds; k++)
		for (j = 0; j < k->nfields; j++)
			if (strcmp(itemform_field_name(&k->fields[j]), name) == 0)
				return k->fields[j].label;
	for (i = 0; i < sizeof(history_labels) / sizeof(history_labels[0]); i++)
		if (strcmp(history_labels[i].name, name) == 0)
			return history_labels[i].label;
	return name;
}

/* Is n inline markup (part of its paragraph's line)? */
static int
history_inline(xmlNodePtr n)
{
	static const char *const names[] = { "strong", "em", "tel", "br", "code" };
	size_t	 i;

	if (n->type != XML_ELEMENT_NODE)
		return 1;
	if (xmlStrcmp(n->name, (const xmlChar *)"a") == 0)
		return xmlHasProp(n, (const xmlChar *)"href") != NULL;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (xmlStrcmp(n->name, (const xmlChar *)names[i]) == 0)
			return 1;
	return 0;
}

/* Is e one line: nothing in it but text and inline markup? */
static int
history_leaf(xmlNodePtr e)
{
	xmlNodePtr	 k;

	for (k = e->children; k != NULL; k = k->next)
		if (!history_inline(k))
			return 0;
	return 1;
}

/* Appends s with runs of white space made one space, trimmed. */
static void
history_squeeze(struct buf *b, const char *s, int *space)
{
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			*space = 1;
			continue;
		}
		if (*space && b->len > 0 && b->data[b->len - 1] != '\n')
			buf_add(b, " ", 1);
		*space = 0;
		buf_add(b, s, 1);
	}
}

/* Appends e's attribute values (but href) to b. */
static void
history_attrs(struct buf *b, xmlNodePtr e, int *space)
{
	xmlAttrPtr	 a;
	xmlChar		*v;

	for (a = e->properties; a != NULL; a = a->next) {
		if (xmlStrcmp(a->name, (const xmlChar *)"href") == 0 ||
		    (v = xmlNodeGetContent((xmlNodePtr)a)) == NULL)
			continue;
		*space = 1;
		history_squeeze(b, (const char *)v, space);
		xmlFree(v);
	}
}

/* Ends the line begun at start: kept when it has any text, else dropped. */
static void
history_end_line(struct history_field *f, size_t start, size_t text)
{
	if (f->text.len == text) {
		f->text.len = start;
		if (f->text.data != NULL)
			f->text.data[start] = '\0';
		return;
	}
	buf_add(&f->text, "\n", 1);
	f->nlines++;
}

/* Adds e as one line of f: its prefix, attribute values and text. */
static void
history_line(struct history_field *f, xmlNodePtr e)
{
	size_t	 i, start = f->text.len, text;
	xmlChar	*t;
	int	 space = 0;

	for (i = 0; i < sizeof(history_prefixes) / sizeof(history_prefixes[0]); i++)
		if (xmlStrcmp(e->name, (const xmlChar *)history_prefixes[i].name) == 0)
			buf_puts(&f->text, history_prefixes[i].prefix);
	text = f->text.len;
	history_attrs(&f->text, e, &space);
	if ((t = xmlNodeGetContent(e)) != NULL) {
		space = f->text.len > text;
		history_squeeze(&f->text, (const char *)t, &space);
		xmlFree(t);
	}
	history_end_line(f, start, text);
}

/* Adds the lines of e's children to f: one per block, nested ones too. */
static void
history_lines(struct history_field *f, xmlNodePtr e, int depth)
{
	xmlNodePtr	 k;
	size_t		 start;
	int		 space = 0;

	for (k = e->children; k != NULL; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (history_leaf(k) || depth >= XML_MAX_DEPTH) {
			history_line(f, k);
			continue;
		}
		start = f->text.len;
		history_attrs(&f->text, k, &space);
		history_end_line(f, start, start);
		history_lines(f, k, depth + 1);
	}
}

/* The field of d named name, added when new; NULL when d is full. */
static struct history_field *
history_field(struct history_doc *d, const char *name)
{
	int	 i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->f[i].name, name) == 0)
			return &d->f[i];
	if (d->n == HISTORY_MAX_FIELDS)
		return NULL;
	snprintf(d->f[d->n].name, sizeof(d->f[0].name), "%s", name);
	return &d->f[d->n++];
}

static void
history_doc_free(struct history_doc *d)
{
	int	 i;

	for (i = 0; i < d->n; i++)
		buf_free(&d->f[i].text);
	d->n = 0;
}

/*
 * Splits a version's XML into fields. No DTD, no entities, no network:
 * a document with a document type declaration is refused. 0, or -1.
 */
static int
history_doc_read(struct history_doc *d, const char *xml)
{
	xmlDocPtr		 doc;
	xmlNodePtr		 root, e;
	xmlAttrPtr		 a;
	struct history_field	*f;
	xmlChar			*v;
	int			 space;

	memset(d, 0, sizeof(*d));
	if ((doc = xmlReadMemory(xml, (int)strlen(xml), "version.xml", "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) == NULL)
		return -1;
	if (doc->intSubset != NULL || doc->extSubset != NULL ||
	    (root = xmlDocGetRootElement(doc)) == NULL) {
		xmlFreeDoc(doc);
		return -1;
	}
	for (a = root->properties; a != NULL; a = a->next) {
		if (xmlStrcmp(a->name, (const xmlChar *)"status") == 0 ||
		    (f = history_field(d, (const char *)a->name)) == NULL ||
		    (v = xmlNodeGetContent((xmlNodePtr)a)) == NULL)
			continue;
		space = 0;
		history_squeeze(&f->text, (const char *)v, &space);
		history_end_line(f, 0, 0);
		xmlFree(v);
	}
	for (e = root->children; e != NULL; e = e->next) {
		if (e->type != XML_ELEMENT_NODE ||
		    (f = history_field(d, (const char *)e->name)) == NULL)
			continue;
		if (history_leaf(e))
			history_line(f, e);
		else
			history_lines(f, e, 1);
	}
	xmlFreeDoc(doc);
	return 0;
}

/* Splits text into at most max lines (pointers into text, '\n' made NUL). */
static int
history_split(char *text, char **lines, int max)
{
	int	 n = 0;
	char	*nl;

	while (text != NULL && *text != '\0' && n < max) {
		lines[n++] = text;
		if ((nl = strchr(text, '\n')) == NULL)
			break;
		*nl = '\0';
		text = nl + 1;
	}
	return n;
}

/* Pushes {op = op, text = s} as the next row of the table on top. */
static void
history_push_op(lua_State *L, const char *op, const char *s)
{
	lua_createtable(L, 0, 2);
	lua_pushstring(L, op);
	lua_setfield(L, -2, "op");
	lua_pushstring(L, s);
	lua_setfield(L, -2, "text");
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
}

/* Pushes every line of text as a row {op = op, text = line}. */
static void
history_push_all(lua_State *L, const char *op, char *text)
{
	char	*nl;

	for (; text != NULL && *text != '\0'; text = nl + 1) {
		if ((nl = strchr(text, '\n')) == NULL) {
			history_push_op(L, op, text);
			return;
		}
		*nl = '\0';
		history_push_op(L, op, text);
	}
}

/*
 * Pushes the lines of a field that changed from old to new: kept, removed
 * and added, in order (a longest common subsequence of the lines). Past
 * HISTORY_DIFF_MAX_LINES lines on either side, every old line is removed and
 * every new one added.
 */
static void
history_push_lines(lua_State *L, char *old, int nold, char *new, int nnew)
{
	static unsigned short	 lcs[HISTORY_DIFF_MAX_LINES + 1]
				    [HISTORY_DIFF_MAX_LINES + 1];
	static char		*a[HISTORY_DIFF_MAX_LINES], *b[HISTORY_DIFF_MAX_LINES];
	int			 n, m, i, j;

	lua_newtable(L);
	if (nold > HISTORY_DIFF_MAX_LINES || nnew > HISTORY_DIFF_MAX_LINES) {
		history_push_all(L, "del", old);
		history_push_all(L, "add", new);
		return;
	}
	n = history_split(old, a, HISTORY_DIFF_MAX_LINES);
	m = history_split(new, b, HISTORY_DIFF_MAX_LINES);
	for (i = n; i >= 0; i--)
		for (j = m; j >= 0; j--)
			lcs[i][j] = i == n || j == m ? 0 : strcmp(a[i], b[j]) == 0 ?
			    lcs[i + 1][j + 1] + 1 : lcs[i + 1][j] >= lcs[i][j + 1] ?
			    lcs[i + 1][j] : lcs[i][j + 1];
	for (i = 0, j = 0; i < n || j < m; ) {
		if (i < n && j < m && strcmp(a[i], b[j]) == 0) {
			history_push_op(L, "same", a[i]);
			i++, j++;
		} else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]))
			history_push_op(L, "del", a[i++]);
		else
			history_push_op(L, "add", b[j++]);
	}
}

/* Pushes one changed field: its name, label, old and new lines. */
static void
history_push_field(lua_State *L, const char *name, struct history_field *o,
    struct history_field *n)
{
	static struct history_field none;

	o = o != NULL ? o : &none;
	n = n != NULL ? n : &none;
	lua_createtable(L, 0, 6);
	lua_pushstring(L, name);
	lua_setfield(L, -2, "name");
	lua_pushstring(L, history_label(name));
	lua_setfield(L, -2, "label");
	lua_pushboolean(L, o->nlines <= 1 && n->nlines <= 1);
	lua_setfield(L, -2, "single");
	history_push_lines(L, o->text.data, o->nlines, n->text.data, n->nlines);
	lua_setfield(L, -2, "lines");
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
}

/* Are the two fields' texts the same (either may be NULL: empty)? */
static int
history_same(const struct history_field *a, const struct history_field *b)
{
	const char	*x = a && a->text.data ? a->text.data : "";
	const char	*y = b && b->text.data ? b->text.data : "";

	return strcmp(x, y) == 0;
}

/* The field of d named name, or NULL. */
static struct history_field *
history_find(struct history_doc *d, const char *name)
{
	int	 i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->f[i].name, name) == 0)
			return &d->f[i];
	return NULL;
}

/*
 * Sets ctx.diff (the table on top) to the fields that changed from the
 * version old_xml (NULL: nothing before) to new_xml, in the new version's
 * order, then those only the old one had; ctx.unchanged counts the rest.
 * Returns 0, or -1 when either cannot be read (nothing set).
 */
int
history_push_diff(struct console_req *c, const char *old_xml,
    const char *new_xml)
{
	static struct history_doc	 o, n;
	lua_State			*L = tpl_state(c->con->tpl);
	struct history_field		*f;
	int				 i, same = 0;

	if (history_doc_read(&n, new_xml) == -1)
		return -1;
	if (history_doc_read(&o, old_xml != NULL ? old_xml : "<none/>") == -1) {
		history_doc_free(&n);
		return -1;
	}
	lua_newtable(L);
	for (i = 0; i < n.n; i++) {
		f = history_find(&o, n.f[i].name);
		if (history_same(f, &n.f[i]))
			same++;
		else
			history_push_field(L, n.f[i].name, f, &n.f[i]);
	}
	for (i = 0; i < o.n; i++)
		if (history_find(&n, o.f[i].name) == NULL && o.f[i].nlines > 0)
			history_push_field(L, o.f[i].name, &o.f[i], NULL);
	lua_setfield(L, -2, "diff");
	lua_pushinteger(L, same);
	lua_setfield(L, -2, "unchanged");
	history_doc_free(&o);
	history_doc_free(&n);
	return 0;
}

/* Sets t[key] = s on the table on top of the stack. */
static void
history_set(lua_State *L, const char *key, const char *s)
{
	lua_pushstring(L, s != NULL ? s : "");
	lua_setfield(L, -2, key);
}

/* What an audit action (its part after the kind) says about a version. */
static const char *
history_state(const char *action)
{
	static const struct { const char *verb, *label; } states[] = {
		{ "save", "已保存" }, { "submit", "已提交审核" },
		{ "approve", "已签发发布" }, { "return", "已退回修改" },
		{ "withdraw", "已撤稿" }, { "restore", "由旧版本恢复" },
		{ "delete", "草稿已删除" }, { "undelete", "草稿已恢复" } };
	const char	*verb;
	size_t		 i;

	if (action == NULL || (verb = strchr(action, '-')) == NULL)
		return "";
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(verb + 1, states[i].verb) == 0)
			return states[i].label;
	return "";
}

struct history_rows {
	lua_State		*L;
	const struct staff_item	*it;
	int			 n;
	int64_t			 submitted;	/* a submitted version before it->current */
};

/* Adds one version to the rows table on top of the stack. */
static int
history_row(const struct staff_version_row *r, void *arg)
{
	struct history_rows	*rs = arg;
	lua_State		*L = rs->L;
	char			 when[32];

	if (rs->n == HISTORY_MAX_VERSIONS)
		return -1;
	auditlog_time(r->time, when, sizeof(when));
	lua_createtable(L, 0, 10);
	lua_pushinteger(L, r->number);
	lua_setfield(L, -2, "n");
	history_set(L, "author", r->author);
	history_set(L, "display", r->display[0] ? r->display : r->author);
	history_set(L, "time", when);
	if (r->comment != NULL)
		history_set(L, "comment", r->comment);
	history_set(L, "state", history_state(r->action));
	if (r->action != NULL && strstr(r->action, "-return") != NULL &&
	    r->detail != NULL)
		history_set(L, "detail", r->detail);
	lua_pushboolean(L, r->number == rs->it->current);
	lua_setfield(L, -2, "current");
	lua_pushboolean(L, r->number == rs->it->published);
	lua_setfield(L, -2, "published");
	lua_rawseti(L, -2, ++rs->n);
	return 0;
}

/* Pushes ctx.versions of it, newest first. 0, or -1 with nothing pushed. */
static int
history_push_versions(struct console_req *c, const struct staff_item *it)
{
	struct history_rows	 rs = { tpl_state(c->con->tpl), it, 0, 0 };

	lua_newtable(rs.L);
	if (staff_version_each(c->con->staff, it->id, history_row, &rs) == -1) {
		lua_pop(rs.L, 1);
		return -1;
	}
	lua_setfield(rs.L, -2, "versions");
	lua_pushinteger(rs.L, HISTORY_MAX_VERSIONS);
	lua_setfield(rs.L, -2, "versions_max");
	return 0;
}

/* Finds the latest version before it->current that was submitted. */
static int
history_find_submitted(const struct staff_version_row *r, void *arg)
{
	struct history_rows	*rs = arg;

	if (r->number < rs->it->current && r->action != NULL &&
	    (strstr(r->action, "-submit") != NULL ||
	    strstr(r->action, "-return") != NULL)) {
		rs->submitted = r->number;
		return -1;	/* the newest such: done */
	}
	return 0;
}

/*
 * For the review page: sets ctx.diff to what changed from the version now
 * public (or else the one submitted before) to the version under review,
 * with ctx.diff_from (0: a new item, every field new) and ctx.diff_to.
 * Returns 0, or -1 (nothing set).
 */
int
history_push_review(struct console_req *c, const struct staff_item *it)
{
	lua_State		*L = tpl_state(c->con->tpl);
	struct history_rows	 rs = { L, it, 0, 0 };
	char			*from = NULL, *to;
	int64_t			 base = it->published;
	int			 rc;

	if (base == 0) {
		staff_version_each(c->con->staff, it->id, history_find_submitted, &rs);
		base = rs.submitted;
	}
	/* the public version is the latest: nothing waits to be compared */
	if (it->current == 0 || base == it->current ||
	    (to = staff_version_xml(c->con->staff, it->id, it->current)) == NULL)
		return -1;
	if (base > 0)
		from = staff_version_xml(c->con->staff, it->id, base);
	if ((rc = history_push_diff(c, from, to)) == 0) {
		lua_pushinteger(L, from != NULL ? base : 0);
		lua_setfield(L, -2, "diff_from");
		lua_pushinteger(L, it->current);
		lua_setfield(L, -2, "diff_to");
	}
	free(from);
	free(to);
	return rc;
}

/* The item section/id; 404 answered when there is none. 0, or -1. */
static int
history_item(struct console_req *c, const char *section, const char *id,
    struct staff_item *it)
{
	int	 have = staff_item_get(c->con->staff, section, id, it);

	if (have == -1)
		console_error(c, 500, "无法读取工作数据库。");
	else if (have == 1)
		console_error(c, 404, "这篇稿件还没有在工作台保存过，没有版本历史。");
	return have == 0 ? 0 : -1;
}

/* Pushes the common parts of a history page: section, id, item, title. */
static void
history_ctx(struct console_req *c, const char *section, const char *id,
    const struct staff_item *it, const char *title)
{
	lua_State	*L = tpl_state(c->con->tpl);

	console_ctx(c, title);
	history_set(L, "section", section);
	history_set(L, "id", id);
	history_set(L, "state", it->status);
	lua_pushinteger(L, it->current);
	lua_setfield(L, -2, "version");
	lua_pushinteger(L, it->published);
	lua_setfield(L, -2, "published_version");
}

/* The number in parameter key of the query, or dflt when absent. */
static int64_t
history_param(struct console_req *c, const char *key, int64_t dflt)
{
	const char	*v = http_param(c->http, key);
	char		*end;
	long long	 n;

	if (v == NULL || *v == '\0')
		return dflt;
	n = strtoll(v, &end, 10);
	return *end == '\0' && n >= 0 ? (int64_t)n : -1;
}

/* GET /console/SECTION/ID/history */
static void
history_page(struct console_req *c, const char *section, const char *id,
    int status, const char *error)
{
	struct staff_item	 it;

	if (history_item(c, section, id, &it) == -1)
		return;
	history_ctx(c, section, id, &it, "版本历史");
	history_set(tpl_state(c->con->tpl), "done", http_param(c->http, "done"));
	if (error != NULL)
		history_set(tpl_state(c->con->tpl), "error", error);
	if (history_push_versions(c, &it) == -1) {
		lua_pop(tpl_state(c->con->tpl), 1);
		console_error(c, 500, "无法读取工作数据库。");
		return;
	}
	console_render(c, "history", status);
}

/* GET /console/SECTION/ID/diff?from=A&to=B: B defaults to the latest, A to B - 1. */
static void
history_diff_page(struct console_req *c, const char *section, const char *id)
{
	lua_State		*L = tpl_state(c->con->tpl);
	struct staff_item	 it;
	int64_t			 from, to;
	char			*a = NULL, *b = NULL;

	if (history_item(c, section, id, &it) == -1)
		return;
	to = history_param(c, "to", it.current);
	from = history_param(c, "from", to - 1);
	if (to < 1 || to > it.current || from < 0 || from > it.current) {
		console_error(c, 404, "没有这个版本。");
		return;
	}
	if ((b = staff_version_xml(c->con->staff, it.id, to)) == NULL ||
	    (from > 0 && (a = staff_version_xml(c->con->staff, it.id,
	    from)) == NULL)) {
		free(b);
		console_error(c, 500, "无法读取这个版本。");
		return;
	}
	history_ctx(c, section, id, &it, "版本比较");
	lua_pushinteger(L, from);
	lua_setfield(L, -2, "diff_from");
	lua_pushinteger(L, to);
	lua_setfield(L, -2, "diff_to");
	if (history_push_diff(c, a, b) == -1)
		history_set(L, "error", "这两个版本中有无法读取的内容，无法逐项比较。");
	if (history_push_versions(c, &it) == -1) {
		lua_pop(L, 1);
		console_error(c, 500, "无法读取工作数据库。");
	} else
		console_render(c, "diff", 200);
	free(a);
	free(b);
}

/* Appends an audit entry about section/id, version (0: none). */
static int
history_audit(struct console_req *c, const char *section, const char *id,
    const char *verb, int64_t version, const char *detail)
{
	return items_audit(c, itemform_kind_of(section), verb, id, version, detail);
}

/* Refuses an action (409), with an audit entry "KIND-VERB-refused". */
static void
history_refuse(struct console_req *c, const char *section, const char *id,
    const char *verb, const char *why)
{
	char	 refused[32];

	snprintf(refused, sizeof(refused), "%s-refused", verb);
	if (staff_begin(c->con->staff) == 0) {
		if (history_audit(c, section, id, refused, 0, why) == 0)
			staff_commit(c->con->staff);
		staff_rollback(c->con->staff);
	}
	history_page(c, section, id, 409, why);
}

/* Restore: version n's XML saved again as the latest version, a draft. */
static void
history_restore(struct console_req *c, const char *section, const char *id,
    struct staff_item *it)
{
	const char	*v = console_field(c, "version");
	int64_t		 n = v ? strtoll(v, NULL, 10) : 0, made;
	char		*xml, comment[64];

	if (n < 1 || n > it->current) {
		console_error(c, 404, "没有这个版本。");
		return;
	}
	if ((xml = staff_version_xml(c->con->staff, it->id, n)) == NULL) {
		console_error(c, 500, "无法读取这个版本。");
		return;
	}
	snprintf(comment, sizeof(comment), "恢复第 %lld 版", (long long)n);
	if (staff_begin(c->con->staff) == -1)
		goto fail;
	if ((made = staff_version_add(c->con->staff, it->id, c->me.id, c->now,
	    xml, comment)) == -1 ||
	    staff_item_set(c->con->staff, it->id, "draft", made,
	    it->published) == -1 ||
	    history_audit(c, section, id, "restore", made, comment) == -1 ||
	    staff_commit(c->con->staff) == -1) {
		staff_rollback(c->con->staff);
		goto fail;
	}
	free(xml);
	console_redirectf(c, CONSOLE_PREFIX "%s/%s/history?done=restored",
	    section, id);
	return;
fail:
	free(xml);
	console_error(c, 500, "无法保存，请稍后再试。");
}

/* Sets the item's status (deleted, or draft again), audited as verb. */
static void
history_set_status(struct console_req *c, const char *section, const char *id,
    struct staff_item *it, const char *status, const char *verb)
{
	if (staff_begin(c->con->staff) == -1)
		goto fail;
	if (staff_item_set(c->con->staff, it->id, status, it->current,
	    it->published) == -1 ||
	    history_audit(c, section, id, verb, it->current, NULL) == -1 ||
	    staff_commit(c->con->staff) == -1) {
		staff_rollback(c->con->staff);
		goto fail;
	}
	console_redirectf(c, CONSOLE_PREFIX "%s/%s/history?done=%sd", section,
	    id, verb);
	return;
fail:
	console_error(c, 500, "无法保存，请稍后再试。");
}

/*
 * POST /console/SECTION/ID/history: action=restore (version=N), delete or
 * undelete. Only a draft that was never published, or is not public now,
 * is deleted: a public item is withdrawn first.
 */
static void
history_post(struct console_req *c, const char *section, const char *id)
{
	const char		*action = console_field(c, "action");
	struct staff_item	 it;

	if (action == NULL || (strcmp(action, "restore") != 0 &&
	    strcmp(action, "delete") != 0 && strcmp(action, "undelete") != 0)) {
		console_error(c, 400, "不认识这个操作。");
		return;
	}
	if (history_item(c, section, id, &it) == -1)
		return;
	if (strcmp(action, "undelete") == 0) {
		if (strcmp(it.status, "deleted") != 0)
			history_refuse(c, section, id, "undelete", "这篇稿件没有被删除。");
		else
			history_set_status(c, section, id, &it, "draft", "undelete");
		return;
	}
	if (strcmp(it.status, "deleted") == 0) {
		history_refuse(c, section, id, action, "这篇稿件已删除，请先恢复。");
		return;
	}
	if (strcmp(action, "restore") == 0) {
		history_restore(c, section, id, &it);
		return;
	}
	if (it.published > 0 || strcmp(it.status, "published") == 0)
		history_refuse(c, section, id, "delete", "已发布的稿件不能删除："
		    "请先撤稿。");
	else if (strcmp(it.status, "draft") != 0)
		history_refuse(c, section, id, "delete", "只有草稿可以删除："
		    "待审核的稿件请先退回。");
	else
		history_set_status(c, section, id, &it, "deleted", "delete");
}

/*
 * Refuses a change to a deleted item (409): its editor and review POSTs go
 * through here first. Returns 1 when refused (answered), else 0.
 */
int
history_refuse_deleted(struct console_req *c, const char *section,
    const char *id)
{
	struct staff_item	 it;

	if (staff_item_get(c->con->staff, section, id, &it) != 0 ||
	    strcmp(it.status, "deleted") != 0)
		return 0;
	console_error(c, 409, "这篇稿件已删除：请先在“版本历史”中恢复，再修改。");
	return 1;
}

/*
 * The pages under /console/SECTION/ID/ that this file answers: rest is
 * what follows the id ("/history", "/diff", "/preview"). Returns 1 when
 * answered, else 0.
 */
int
history_route(struct console_req *c, const char *section, const char *id,
    const char *rest)
{
	int	 post = c->method == CONSOLE_POST;

	if (itemform_kind_of(section) == NULL)
		return 0;
	if (strcmp(rest, "/history") == 0) {
		if (post)
			history_post(c, section, id);
		else
			history_page(c, section, id, 200, NULL);
	} else if (strcmp(rest, "/diff") == 0 || strcmp(rest, "/preview") == 0) {
		if (post)
			console_error(c, 405, "不支持这种请求方法。");
		else if (rest[1] == 'd')
			history_diff_page(c, section, id);
		else
			preview_page(c, section, id);
	} else
		return 0;
	return 1;
}
