/*
 * items.c: the console's pages for every kind of item, cases (案例), guides
 * (信用修复指南) and materials (普法资料), under /console/SECTION (the
 * kind's content folder): the list, the editor (one form per item, saved as
 * a new version every time), and review: submit, return with a comment,
 * approve and publish, withdraw. What differs between the kinds is
 * itemform.c's table of fields; the flow here is one for all. An item is
 * its kind and content id; the pages about one item are the rows of
 * items_subpages.
 *
 * Checking and publishing run the program itself as a child (scratch.c):
 * `fazhi check`, `fazhi publish`, `fazhi withdraw`, the very code path of
 * the CLI, so that what the console accepts is what the CLI accepts. A
 * draft is checked in a scratch copy of the content folder, so nothing
 * unapproved ever sits in content/.
 *
 * The two-person rule (the approver is never the last editor) and the roles
 * are checked here on every POST, whatever the page showed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lua.h>

#include "build.h"
#include "itemform.h"
#include "console.h"
#include "history.h"
#include "http.h"
#include "log.h"
#include "publish.h"
#include "route.h"
#include "scratch.h"
#include "snap.h"
#include "staff.h"
#include "tpl.h"
#include "xml.h"

/* Most bytes of a child's output kept (check's messages, publish's report). */
#define ITEMS_MAX_OUTPUT	(64u << 10)
/* Most problems shown on the editor; the check stops being useful past it. */
#define ITEMS_MAX_PROBLEMS	50
/* Longest review comment or withdrawal reason, in bytes (160 characters of
 * three bytes): a reason goes on to `fazhi withdraw`, which takes no more. */
#define ITEMS_MAX_COMMENT	PUBLISH_MAX_REASON

/* A problem of a draft: the form field it belongs to ("" : the whole case). */
struct items_problem {
	char	 field[32];
	char	 message[512];
};

struct items_check {
	struct items_problem p[ITEMS_MAX_PROBLEMS];
	int	 n;
	int	 failed;	/* the check could not run */
};

/* Adds a problem of field (copied) to ck. */
static void
items_problem(struct items_check *ck, const char *field, const char *msg)
{
	if (ck->n == ITEMS_MAX_PROBLEMS)
		return;
	snprintf(ck->p[ck->n].field, sizeof(ck->p[0].field), "%s", field);
	snprintf(ck->p[ck->n].message, sizeof(ck->p[0].message), "%s", msg);
	ck->n++;
}

/*
 * A missing element is reported where the schema noticed it (the next
 * element, or the root): shown beside the field of the element that is
 * missing instead (the message names it: "is missing <published>"), when
 * that is a field of kind k (an event's <place> is part of the event).
 */
static void
items_missing_field(const struct itemform_kind *k, const char *msg,
    char *field, size_t n)
{
	const char	*p = strstr(msg, "is missing <"), *end;
	char		 name[32];

	if (p == NULL || (end = strchr(p + 12, '>')) == NULL ||
	    (size_t)(end - p - 12) >= sizeof(name))
		return;
	snprintf(name, sizeof(name), "%.*s", (int)(end - p - 12), p + 12);
	if (itemform_has_field(k, name))
		snprintf(field, n, "%s", name);
}

/*
 * Files the messages of `fazhi check` about path (lines "path:L:C: text")
 * under the fields the lines belong to.
 */
static void
items_file_messages(const struct itemform_kind *k, struct items_check *ck,
    const char *out, const char *path, const char *xml, size_t len)
{
	const char	*p = out, *nl, *m;
	size_t		 plen = strlen(path);
	char		 field[32], msg[512];
	long		 line;

	for (; *p != '\0'; p = *nl ? nl + 1 : nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (strncmp(p, path, plen) != 0 || p[plen] != ':')
			continue;
		line = strtol(p + plen + 1, (char **)&m, 10);
		if (*m == ':')
			m = strchr(m + 1, ':');
		if (m == NULL || m >= nl)
			continue;
		m += 1 + (m[1] == ' ');
		snprintf(msg, sizeof(msg), "%.*s", (int)(nl - m), m);
		if (itemform_line_field(xml, len, line, field, sizeof(field)) == -1 ||
		    strcmp(field, "status") == 0)
			field[0] = '\0';
		items_missing_field(k, msg, field, sizeof(field));
		if (!itemform_has_field(k, field))
			field[0] = '\0';	/* never a problem the page cannot show */
		items_problem(ck, field, msg);
	}
}

/*
 * Checks the case id with this XML exactly as `fazhi check` checks a file
 * of the content folder, and fills ck with what it says.
 */
static void
items_check_xml(const struct console *con, const struct itemform_kind *k,
    const char *id, const char *xml, size_t len, struct items_check *ck)
{
	static char	 out[ITEMS_MAX_OUTPUT];
	struct scratch	 sc;
	char		 why[128];
	char		*argv[] = { "fazhi", "check", "--content", sc.dir, sc.path,
			    NULL };
	int		 rc = -1;

	if (scratch_open(&sc, con, "fazhi-check", k->section, id, xml, len) == 0)
		rc = scratch_run(con, argv, out, sizeof(out));
	if (rc == 0)
		;
	else if (rc > 0) {
		items_file_messages(k, ck, out, sc.path, xml, len);
		if (ck->n == 0)
			items_problem(ck, "", "检查没有通过，但没有给出具体位置。");
	} else {
		log_warn("checking %s", id);
		ck->failed = 1;
		snprintf(why, sizeof(why), "无法检查%s，请稍后再试。", k->this);
		items_problem(ck, "", why);
	}
	scratch_close(&sc);
}

/* Files one required field left empty under its field. */
static void
items_missing(void *ck, const char *field, const char *msg)
{
	items_problem(ck, field, msg);
}

/*
 * Appends an audit entry: what ("save") done to the item id of kind k
 * ("case-save" on "cases/ID"), version (0: none).
 */
int
items_audit(struct console_req *c, const struct itemform_kind *k,
    const char *what, const char *id, int64_t version, const char *detail)
{
	struct staff_audit	 e;
	char			 item[ITEMFORM_MAX_ID + 16], action[64];

	snprintf(item, sizeof(item), "%s/%s", k->section, id);
	snprintf(action, sizeof(action), "%s-%s", k->kind, what);
	memset(&e, 0, sizeof(e));
	e.time = c->now;
	e.account = c->me.name;
	e.address = c->addr;
	e.action = action;
	e.item = item;
	e.version = version;
	e.detail = detail;
	return staff_audit(c->con->staff, &e);
}

/* Reads the file content/SECTION/id.xml into a new string (free), or NULL. */
static char *
items_read_file(const struct console *con, const struct itemform_kind *k,
    const char *id, size_t *len)
{
	char	 path[4096], *d = NULL;
	FILE	*f;
	long	 n;

	snprintf(path, sizeof(path), "%s/%s/%s.xml", con->content_dir, k->section,
	    id);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    n <= (long)XML_MAX_FILE && fseek(f, 0, SEEK_SET) == 0 &&
	    (d = malloc((size_t)n + 1)) != NULL) {
		if (fread(d, 1, (size_t)n, f) != (size_t)n) {
			free(d);
			d = NULL;
		} else {
			d[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return d;
}

/*
 * The XML the editor starts from: the item's latest version, or else its
 * file in content/ (an item written by hand). NULL when there is neither.
 */
char *
items_current_xml(struct console_req *c, const struct itemform_kind *k,
    const char *id, const struct staff_item *it, size_t *len)
{
	char	*xml;

	if (it != NULL && it->current > 0 && (xml = staff_version_xml(c->con->staff, it->id,
	    it->current)) != NULL) {
		*len = strlen(xml);
		return xml;
	}
	return items_read_file(c->con, k, id, len);
}

/* Is the signed-in account one that edits (editor or reviewer)? */
static int
items_may_edit(const struct console_req *c)
{
	return c->me.role == STAFF_ROLE_EDITOR || c->me.role == STAFF_ROLE_REVIEWER;
}

/* Sets t[key] = s on the table on top of the stack. */
static void
items_set(lua_State *L, const char *key, const char *s)
{
	lua_pushstring(L, s != NULL ? s : "");
	lua_setfield(L, -2, key);
}

/* Pushes the choices of column col (a fixed list) as t.choices. */
static void
items_push_choices(lua_State *L, const struct itemform_col *col)
{
	int	 i;

	if (col->site_list != NULL)
		items_set(L, "site_list", col->site_list);
	if (col->fixed == NULL)
		return;
	lua_newtable(L);
	for (i = 0; col->fixed[i].code != NULL; i++) {
		lua_createtable(L, 0, 2);
		items_set(L, "code", col->fixed[i].code);
		items_set(L, "name", col->fixed[i].name);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "choices");
}

/* The names of the inputs the template knows. */
static const char *const items_inputs[] = {
	[ITEMFORM_IN_TEXT] = "text", [ITEMFORM_IN_AREA] = "area",
	[ITEMFORM_IN_DATE] = "date", [ITEMFORM_IN_TIME] = "time",
	[ITEMFORM_IN_CHOICE] = "choice", [ITEMFORM_IN_ITEM] = "item" };

/* Pushes row r (0-based; past the filled ones: empty) of field i of ff. */
static void
items_push_row(lua_State *L, const struct itemform *ff, int i, int r)
{
	const struct itemform_field *f = &ff->k->fields[i];
	char		 name[64];
	int		 c;

	lua_createtable(L, 0, 2);
	lua_pushinteger(L, r + 1);
	lua_setfield(L, -2, "n");
	lua_createtable(L, f->ncols, 0);
	for (c = 0; c < f->ncols; c++) {
		lua_createtable(L, 0, 8);
		if (f->max == 1)
			snprintf(name, sizeof(name), "%s%s", f->key, f->cols[c].key);
		else
			snprintf(name, sizeof(name), "%s%s%d", f->key,
			    f->cols[c].key, r + 1);
		items_set(L, "name", name);
		items_set(L, "label", f->cols[c].label);
		items_set(L, "input", items_inputs[f->cols[c].input]);
		items_set(L, "value", r < ff->f[i].n ? ff->f[i].cell[r][c] : "");
		if (f->cols[c].maxlen > 0) {
			lua_pushinteger(L, f->cols[c].maxlen);
			lua_setfield(L, -2, "maxlen");
		}
		items_push_choices(L, &f->cols[c]);
		lua_rawseti(L, -2, c + 1);
	}
	lua_setfield(L, -2, "cols");
}

/*
 * Pushes ff as ctx.item: its id, kind and fields, each with its rows (for
 * the editor, all it shows: rows = 1; for reading, the filled ones: 0).
 */
static void
items_push_form(lua_State *L, const struct itemform *ff, int editing)
{
	const struct itemform_field *f;
	int		 i, r, n;

	lua_createtable(L, 0, 8);
	items_set(L, "id", ff->id);
	items_set(L, "kind", ff->k->kind);
	items_set(L, "section", ff->k->section);
	items_set(L, "label", ff->k->label);
	items_set(L, "this", ff->k->this);
	items_set(L, "public", ff->k->public);
	items_set(L, "title", itemform_value(ff, "title"));
	items_set(L, "publish_at", ff->publish_at);
	lua_createtable(L, ff->k->nfields, 0);
	for (i = 0; i < ff->k->nfields; i++) {
		f = &ff->k->fields[i];
		lua_createtable(L, 0, 10);
		items_set(L, "key", f->key);
		items_set(L, "name", itemform_field_name(f));
		items_set(L, "label", f->label);
		if (f->hint != NULL)
			items_set(L, "hint", f->hint);
		lua_pushboolean(L, f->need != NULL);
		lua_setfield(L, -2, "required");
		lua_pushboolean(L, f->max != 1);
		lua_setfield(L, -2, "repeated");
		lua_pushinteger(L, f->max);
		lua_setfield(L, -2, "max");
		n = editing ? itemform_rows_shown(ff, i) : ff->f[i].n;
		lua_createtable(L, n, 0);
		for (r = 0; r < n; r++) {
			items_push_row(L, ff, i, r);
			lua_rawseti(L, -2, r + 1);
		}
		lua_setfield(L, -2, "rows");
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "fields");
	lua_setfield(L, -2, "item");
}

/* Pushes ck as ctx.problems (field -> messages) and ctx.general. */
static void
items_push_problems(lua_State *L, const struct items_check *ck)
{
	int	 i;

	lua_createtable(L, 0, 8);
	lua_createtable(L, 4, 0);
	for (i = 0; i < ck->n; i++) {
		if (ck->p[i].field[0] == '\0') {
			lua_pushstring(L, ck->p[i].message);
			lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
			continue;
		}
		if (lua_getfield(L, -2, ck->p[i].field) != LUA_TTABLE) {
			lua_pop(L, 1);
			lua_newtable(L);
			lua_pushvalue(L, -1);
			lua_setfield(L, -4, ck->p[i].field);
		}
		lua_pushstring(L, ck->p[i].message);
		lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
		lua_pop(L, 1);
	}
	lua_setfield(L, -2, "general");
	lua_setfield(L, -2, "problems");
	lua_pushinteger(L, ck->n);
	lua_setfield(L, -2, "nproblems");
}

/* What the editor page shows besides the form. */
struct items_view {
	const char	*id;		/* NULL: a new item */
	const struct staff_item *it;	/* the item, or NULL */
	const char	*done;		/* what just happened */
	int		 status;
};

/* Pushes the status of it (or "new") as ctx.state and its label. */
static void
items_push_state(lua_State *L, const struct staff_item *it)
{
	items_set(L, "state", it ? it->status : "new");
	lua_pushinteger(L, it ? it->current : 0);
	lua_setfield(L, -2, "version");
	lua_pushinteger(L, it ? it->published : 0);
	lua_setfield(L, -2, "published_version");
}

/* Renders the editor for ff with the problems of ck. */
static void
items_editor(struct console_req *c, const struct itemform *ff,
    const struct items_check *ck, const struct items_view *v)
{
	lua_State	*L = tpl_state(c->con->tpl);
	char		 title[64];

	snprintf(title, sizeof(title), "%s%s", v->id ? "编辑" : "新建",
	    ff->k->label);
	console_ctx(c, title);
	items_push_form(L, ff, 1);
	items_push_problems(L, ck);
	items_push_state(L, v->it);
	items_set(L, "done", v->done);
	lua_pushboolean(L, v->id == NULL);
	lua_setfield(L, -2, "is_new");
	if (console_snapshot_rows(c, SNAP_Q_STAFF_ITEMS) == 0)
		lua_setfield(L, -2, "choices");
	if (console_snapshot_rows(c, SNAP_Q_LAW_CHOICES) == 0)
		lua_setfield(L, -2, "laws");	/* the legal bases' choices */
	console_render(c, "item_edit", v->status);
}

/* GET /console/SECTION/new */
static void
items_new_get(struct console_req *c, const struct itemform_kind *k)
{
	struct itemform		 ff;
	struct items_check	 ck = { .n = 0 };
	struct items_view	 v = { .status = 200 };

	itemform_init(&ff, k);
	items_editor(c, &ff, &ck, &v);
	itemform_free(&ff);
}

/* GET /console/SECTION/ID/edit: the latest version, or the file. */
static void
items_edit_get(struct console_req *c, const struct itemform_kind *k,
    const char *id)
{
	struct itemform		 ff;
	struct items_check	 ck = { .n = 0 };
	struct staff_item	 it;
	struct items_view	 v = { .id = id, .status = 200 };
	char			*xml, msg[256];
	size_t			 len = 0;
	int			 have;

	if ((have = staff_item_get(c->con->staff, k->section, id, &it)) == -1) {
		console_error(c, 500, "无法读取工作数据库。");
		return;
	}
	if ((xml = items_current_xml(c, k, id, have == 0 ? &it : NULL, &len)) ==
	    NULL) {
		snprintf(msg, sizeof(msg), "没有%s。", k->this);
		console_error(c, 404, msg);
		return;
	}
	itemform_init(&ff, k);
	snprintf(ff.id, sizeof(ff.id), "%s", id);
	if (itemform_from_xml(&ff, xml, len) == -1) {
		snprintf(msg, sizeof(msg), "%s的文件无法读取，表单是空的；保存后将"
		    "取代原文件的内容。", k->this);
		items_problem(&ck, "", msg);
	}
	v.it = have == 0 ? &it : NULL;
	v.done = http_param(c->http, "done");
	items_editor(c, &ff, &ck, &v);
	itemform_free(&ff);
	free(xml);
}

/*
 * Is id free for a new item: a valid content id that names no item of the
 * console nor a file of any content folder (ids are unique across them)?
 * NULL when it is, else why not.
 */
static const char *
items_new_id_problem(struct console_req *c, const char *id)
{
	struct staff_item	 it;
	char			 path[4096];
	int			 i;

	if (id == NULL || *id == '\0')
		return "请填写编号，例如 2026-001。";
	if (strlen(id) > ITEMFORM_MAX_ID || !route_valid_id(id))
		return "编号只能由小写字母、数字和连字符组成，例如 2026-001。";
	for (i = 0; i < itemform_nkinds; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s.xml", c->con->content_dir,
		    itemform_kinds[i].section, id);
		if (access(path, F_OK) == 0 || staff_item_get(c->con->staff,
		    itemform_kinds[i].section, id, &it) != 1)
			return "这个编号已被另一个条目使用，请换一个。";
	}
	return NULL;
}

/*
 * Saves xml as a new version of item id of kind k (a new item when it has
 * none), as a draft or, when submit, submitted; with its audit entry, in
 * one transaction. Fills *it. Returns the version number, or -1.
 */
int64_t
items_store(struct console_req *c, const struct itemform_kind *k,
    const char *id, const char *xml, int submit, struct staff_item *it)
{
	const char	*comment = console_field(c, "comment");
	int64_t		 n;
	int		 have;

	if (staff_begin(c->con->staff) == -1)
		return -1;
	if ((have = staff_item_get(c->con->staff, k->section, id, it)) == -1)
		goto fail;
	if (have == 1 && (it->id = staff_item_add(c->con->staff, k->section,
	    id)) == -1)
		goto fail;
	if ((n = staff_version_add(c->con->staff, it->id, c->me.id, c->now, xml,
	    comment)) == -1)
		goto fail;
	snprintf(it->status, sizeof(it->status), "%s", submit ? "submitted" :
	    "draft");
	if (staff_item_set(c->con->staff, it->id, it->status, n,
	    it->published) == -1 ||
	    items_audit(c, k, "save", id, n, comment) == -1 ||
	    (submit && items_audit(c, k, "submit", id, n, NULL) == -1) ||
	    staff_commit(c->con->staff) == -1)
		goto fail;
	it->current = n;
	it->last_author = c->me.id;
	return n;
fail:
	staff_rollback(c->con->staff);
	return -1;
}

/*
 * POST /console/SECTION/new and /console/SECTION/ID/edit: action=save (a
 * draft, however incomplete), submit (saved, and submitted when complete
 * and check-clean), or one on a repeated part, which saves nothing and
 * shows the form again as typed: add-KEY (one more empty row), up-KEY-N,
 * down-KEY-N (row N moved), del-KEY-N (row N removed).
 */
static void
items_edit_post(struct console_req *c, const struct itemform_kind *k,
    const char *id)
{
	struct itemform		 ff;
	static struct items_check ck;
	struct staff_item	 it;
	struct items_view	 v = { .id = id, .status = 200 };
	const char		*action = console_field(c, "action"), *why;
	char			*xml = NULL, msg[128];
	size_t			 len = 0;
	int			 submit = action && strcmp(action, "submit") == 0;
	int			 saving;

	memset(&ck, 0, sizeof(ck));
	itemform_init(&ff, k);
	itemform_from_post(&ff, c->form, action);
	saving = action != NULL && (strcmp(action, "save") == 0 || submit);
	if (id == NULL) {
		snprintf(ff.id, sizeof(ff.id), "%.*s", ITEMFORM_MAX_ID,
		    console_field(c, "id") ? console_field(c, "id") : "");
		/* a row added or moved saves nothing: the id is checked on saving */
		if (saving && (why = items_new_id_problem(c,
		    console_field(c, "id"))) != NULL)
			items_problem(&ck, "id", why);
	} else
		snprintf(ff.id, sizeof(ff.id), "%s", id);
	if (!saving || ck.n > 0) {
		v.status = ck.n > 0 ? 422 : 200;
		items_editor(c, &ff, &ck, &v);
		goto done;
	}
	if ((xml = itemform_to_xml(&ff, &len)) == NULL ||
	    mediapage_xml(c, k->section, ff.id, &xml, &len) == -1) {
		snprintf(msg, sizeof(msg), "无法生成%s的文件。", k->this);
		console_error(c, 500, msg);
		goto done;
	}
	itemform_missing(&ff, items_missing, &ck);
	items_check_xml(c->con, k, ff.id, xml, len, &ck);
	if (items_store(c, k, ff.id, xml, submit && ck.n == 0, &it) == -1) {
		console_error(c, 500, "无法保存，请稍后再试。");
		goto done;
	}
	v.id = ff.id;
	v.it = &it;
	v.done = submit ? (ck.n == 0 ? "submitted" : "not-submitted") : "saved";
	v.status = submit && ck.n > 0 ? 422 : 200;
	items_editor(c, &ff, &ck, &v);
done:
	free(xml);
	itemform_free(&ff);
}

/*
 * Runs `fazhi publish` or `fazhi withdraw` (verb; id and reason for a
 * withdrawal) on the console's content folder and snapshot, for the
 * backends it was given, recorded under the signed-in account's name.
 * Returns the exit status (0: done), with the report in out.
 */
static int
items_publish_cli(struct console_req *c, const char *verb, const char *id,
    const char *reason, char *out, size_t outsz)
{
	const struct console *con = c->con;
	char		*argv[16 + 4 * CONSOLE_MAX_BACKENDS];
	int		 n = 0, i;

	argv[n++] = "fazhi";
	argv[n++] = (char *)verb;
	argv[n++] = "--content";
	argv[n++] = (char *)con->content_dir;
	argv[n++] = "--snapshot";
	argv[n++] = (char *)con->snap_path;
	argv[n++] = "--by";
	argv[n++] = c->me.name;
	for (i = 0; i < con->nbackends; i++) {
		argv[n++] = "--pid";
		argv[n++] = (char *)con->pid_files[i];
		if (con->urls[i] != NULL) {
			argv[n++] = "--url";
			argv[n++] = (char *)con->urls[i];
		}
	}
	if (con->hosts_file != NULL) {
		argv[n++] = "--hosts";
		argv[n++] = (char *)con->hosts_file;
	}
	if (reason != NULL) {
		argv[n++] = "--reason";
		argv[n++] = (char *)reason;
		argv[n++] = "--";
		argv[n++] = (char *)id;
	}
	argv[n] = NULL;
	return scratch_run(con, argv, out, outsz);
}


/*
 * Puts version's XML in content/SECTION/id.xml and publishes. When publish
 * fails the file is put back as it was (or removed when there was none):
 * the live site and the content folder are as before. Returns 0, or -1
 * with the CLI's report in out.
 */
static int
items_publish_version(struct console_req *c, const struct itemform_kind *k,
    const char *id, const char *xml, char *out, size_t outsz)
{
	char	 path[4096], *old;
	size_t	 oldlen = 0;
	int	 rc;

	snprintf(path, sizeof(path), "%s/%s/%s.xml", c->con->content_dir,
	    k->section, id);
	/* a file there that cannot be read could not be put back: touch nothing */
	if ((old = items_read_file(c->con, k, id, &oldlen)) == NULL &&
	    access(path, F_OK) == 0) {
		snprintf(out, outsz, "无法读取现有的内容文件，没有做任何改动。");
		return -1;
	}
	if (mediapage_publish(c->con, xml) == -1) {
		snprintf(out, outsz, "无法把图片和附件复制到内容文件夹。");
		free(old);
		return -1;
	}
	if (build_write_file(path, xml, strlen(xml), 0644) == -1) {
		snprintf(out, outsz, "无法写入内容文件。");
		free(old);
		return -1;
	}
	if ((rc = items_publish_cli(c, "publish", id, NULL, out, outsz)) != 0) {
		if (old != NULL ? build_write_file(path, old, oldlen, 0644) == -1 :
		    unlink(path) == -1)
			log_warn("%s: could not be put back", path);
	}
	free(old);
	return rc == 0 ? 0 : -1;
}

/* Pushes the item's review page and renders it. */
static void
items_review_page(struct console_req *c, const struct itemform_kind *k,
    const char *id, const struct staff_item *it, const char *done,
    const char *error, const char *report, int status)
{
	lua_State		*L = tpl_state(c->con->tpl);
	struct itemform		 ff;
	struct items_check	 ck = { .n = 0 };
	char			*xml, title[64];
	size_t			 len = 0;

	itemform_init(&ff, k);
	snprintf(ff.id, sizeof(ff.id), "%s", id);
	if ((xml = items_current_xml(c, k, id, it, &len)) != NULL)
		itemform_from_xml(&ff, xml, len);
	snprintf(title, sizeof(title), "审核%s", k->label);
	console_ctx(c, title);
	items_push_form(L, &ff, 0);
	items_push_problems(L, &ck);
	items_push_state(L, it);
	mediapage_push_xml(c, xml);
	items_set(L, "done", done);
	if (error != NULL)
		items_set(L, "error", error);
	if (report != NULL)
		items_set(L, "report", report);
	lua_pushboolean(L, it != NULL && it->last_author == c->me.id);
	lua_setfield(L, -2, "own_edit");
	lua_pushboolean(L, xml != NULL && it == NULL);
	lua_setfield(L, -2, "file_only");
	if (console_snapshot_rows(c, SNAP_Q_STAFF_ITEMS) == 0)
		lua_setfield(L, -2, "choices");
	if (console_snapshot_rows(c, SNAP_Q_LAW_CHOICES) == 0)
		lua_setfield(L, -2, "laws");
	if (it != NULL)
		history_push_review(c, it);
	console_render(c, "item", status);
	itemform_free(&ff);
	free(xml);
}

/* GET /console/SECTION/ID */
static void
items_item_get(struct console_req *c, const struct itemform_kind *k,
    const char *id)
{
	struct staff_item	 it;
	size_t			 len;
	char			*xml, msg[128];
	int			 have;

	if ((have = staff_item_get(c->con->staff, k->section, id, &it)) == -1) {
		console_error(c, 500, "无法读取工作数据库。");
		return;
	}
	if (have == 1) {
		if ((xml = items_read_file(c->con, k, id, &len)) == NULL) {
			snprintf(msg, sizeof(msg), "没有%s。", k->this);
			console_error(c, 404, msg);
			return;
		}
		free(xml);
	}
	items_review_page(c, k, id, have == 0 ? &it : NULL,
	    http_param(c->http, "done"), NULL, NULL, 200);
}

/* Refuses a review action: 403 (or 409 when the state is wrong), audited. */
static void
items_refuse(struct console_req *c, const struct itemform_kind *k,
    const char *id, const char *action, int status, const char *why)
{
	char	 refused[64];

	snprintf(refused, sizeof(refused), "%s-refused", action);
	if (staff_begin(c->con->staff) == 0) {
		if (items_audit(c, k, refused, id, 0, why) == 0)
			staff_commit(c->con->staff);
		staff_rollback(c->con->staff);
	}
	console_error(c, status, why);
}

/* Records action on id (version n) and sets the item; one transaction. */
static int
items_transition(struct console_req *c, const struct itemform_kind *k,
    const char *id, struct staff_item *it, const char *status,
    int64_t published, const char *action, const char *detail)
{
	if (staff_begin(c->con->staff) == -1)
		return -1;
	if (staff_item_set(c->con->staff, it->id, status, it->current,
	    published) == -1 ||
	    items_audit(c, k, action, id, it->current, detail) == -1 ||
	    staff_commit(c->con->staff) == -1) {
		staff_rollback(c->con->staff);
		return -1;
	}
	return 0;
}

/* A comment or reason from the POST, or NULL when empty or too long. */
static const char *
items_comment(struct console_req *c, const char *key)
{
	const char	*s = console_field(c, key);

	if (s == NULL || s[strspn(s, " \t\r\n")] == '\0' ||
	    strlen(s) > ITEMS_MAX_COMMENT)
		return NULL;
	return s;
}

/* Approve: the submitted version goes to content/ and out to the public. */
static void
items_approve(struct console_req *c, const struct itemform_kind *k,
    const char *id, struct staff_item *it)
{
	static char	 out[ITEMS_MAX_OUTPUT];
	char		*xml, msg[128];

	if (it->last_author == c->me.id) {
		items_refuse(c, k, id, "approve", 403, "不能签发自己最后修改的"
		    "稿件：须由另一位审核人签发。");
		return;
	}
	if ((xml = staff_version_xml(c->con->staff, it->id, it->current)) == NULL) {
		console_error(c, 500, "无法读取待签发的版本。");
		return;
	}
	if (items_publish_version(c, k, id, xml, out, sizeof(out)) == -1) {
		free(xml);
		if (staff_begin(c->con->staff) == 0) {
			if (items_audit(c, k, "approve-failed", id, it->current,
			    out) == 0)
				staff_commit(c->con->staff);
			staff_rollback(c->con->staff);
		}
		items_review_page(c, k, id, it, NULL, "发布没有成功，线上网站和内容"
		    "文件都没有改变。稿件仍在待审核状态。", out, 500);
		return;
	}
	free(xml);
	if (items_transition(c, k, id, it, "published", it->current, "approve",
	    NULL) == -1) {
		snprintf(msg, sizeof(msg), "%s已发布，但无法记录到工作数据库。",
		    k->this);
		console_error(c, 500, msg);
		return;
	}
	console_redirectf(c, CONSOLE_PREFIX "%s/%s?done=approved", k->section, id);
}

/* Withdraw (撤稿): through `fazhi withdraw`; the item becomes withdrawn. */
static void
items_withdraw(struct console_req *c, const struct itemform_kind *k,
    const char *id, struct staff_item *it, int have)
{
	static char	 out[ITEMS_MAX_OUTPUT];
	const char	*reason = items_comment(c, "reason");
	char		 msg[128];

	if (reason == NULL) {
		items_review_page(c, k, id, have == 0 ? it : NULL, NULL, "请填写撤稿"
		    "原因（不超过160字）。", NULL, 422);
		return;
	}
	if (items_publish_cli(c, "withdraw", id, reason, out, sizeof(out)) != 0) {
		items_review_page(c, k, id, have == 0 ? it : NULL, NULL, "撤稿没有"
		    "成功，线上网站没有改变。", out, 500);
		return;
	}
	if (staff_begin(c->con->staff) == -1)
		goto fail;
	if (have == 1 && (it->id = staff_item_add(c->con->staff, k->section,
	    id)) == -1)
		goto fail;
	if (staff_item_set(c->con->staff, it->id, "withdrawn", it->current, 0) == -1 ||
	    items_audit(c, k, "withdraw", id, it->current, reason) == -1 ||
	    staff_commit(c->con->staff) == -1)
		goto fail;
	console_redirectf(c, CONSOLE_PREFIX "%s/%s?done=withdrawn", k->section, id);
	return;
fail:
	staff_rollback(c->con->staff);
	snprintf(msg, sizeof(msg), "%s已撤下，但无法记录到工作数据库。", k->this);
	console_error(c, 500, msg);
}

/*
 * POST /console/SECTION/ID: action=approve, return (with a comment) or
 * withdraw (with a reason): reviewers only, each checked here.
 */
static void
items_item_post(struct console_req *c, const struct itemform_kind *k,
    const char *id)
{
	const char		*action = console_field(c, "action");
	const char		*comment;
	struct staff_item	 it;
	char			 msg[128];
	int			 have;

	if (action == NULL || (strcmp(action, "approve") != 0 &&
	    strcmp(action, "return") != 0 && strcmp(action, "withdraw") != 0)) {
		console_error(c, 400, "不认识这个操作。");
		return;
	}
	if (c->me.role != STAFF_ROLE_REVIEWER) {
		items_refuse(c, k, id, action, 403, "只有审核人可以签发、退回或撤稿。");
		return;
	}
	if ((have = staff_item_get(c->con->staff, k->section, id, &it)) == -1) {
		console_error(c, 500, "无法读取工作数据库。");
		return;
	}
	if (strcmp(action, "withdraw") == 0) {
		items_withdraw(c, k, id, &it, have);
		return;
	}
	if (have != 0 || strcmp(it.status, "submitted") != 0) {
		snprintf(msg, sizeof(msg), "%s不在待审核状态。", k->this);
		items_refuse(c, k, id, action, 409, msg);
		return;
	}
	if (strcmp(action, "approve") == 0) {
		/* what was read is what goes out: a newer version needs reading */
		if (console_field(c, "version") == NULL || strtoll(console_field(c,
		    "version"), NULL, 10) != it.current) {
			items_refuse(c, k, id, "approve", 409, "稿件在您审阅后又有"
			    "了新版本，请重新打开审阅后再签发。");
			return;
		}
		items_approve(c, k, id, &it);
		return;
	}
	if ((comment = items_comment(c, "comment")) == NULL) {
		items_review_page(c, k, id, &it, NULL, "退回时请写明修改意见（不超过"
		    "160字）。", NULL, 422);
		return;
	}
	if (items_transition(c, k, id, &it, "draft", it.published, "return",
	    comment) == -1) {
		console_error(c, 500, "无法保存，请稍后再试。");
		return;
	}
	console_redirectf(c, CONSOLE_PREFIX "%s/%s?done=returned", k->section, id);
}

/* Label of a list state. */
static const char *
items_state_label(const char *state)
{
	static const struct { const char *state, *label; } labels[] = {
		{ "draft", "草稿" }, { "returned", "已退回" },
		{ "submitted", "待审核" }, { "published", "已发布" },
		{ "withdrawn", "已撤稿" }, { "deleted", "已删除" } };
	size_t	 i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(state, labels[i].state) == 0)
			return labels[i].label;
	return state;
}

struct items_rows {
	struct console_req *c;
	const struct itemform_kind *k;
	lua_State	*L;
	int		 n;		/* rows pushed so far */
};

/* Adds one staff item to the rows table on top of the stack. */
static int
items_row(const struct staff_item_row *r, void *arg)
{
	struct items_rows	*rs = arg;
	lua_State		*L = rs->L;
	struct itemform		 ff;
	char			 ret[64];
	int			 returned;
	const char		*state;

	snprintf(ret, sizeof(ret), "%s-return", rs->k->kind);
	returned = strcmp(r->status, "draft") == 0 && r->last_action != NULL &&
	    strcmp(r->last_action, ret) == 0;
	state = returned ? "returned" : r->status;
	itemform_init(&ff, rs->k);
	itemform_from_xml(&ff, r->xml, strlen(r->xml));
	lua_createtable(L, 0, 12);
	items_set(L, "id", r->content_id);
	items_set(L, "section", rs->k->section);
	items_set(L, "kind", rs->k->kind);
	items_set(L, "title", *itemform_value(&ff, "title") ?
	    itemform_value(&ff, "title") : "（无标题）");
	items_set(L, "state", state);
	items_set(L, "state_label", items_state_label(state));
	items_set(L, "author", r->author_name);
	lua_pushboolean(L, r->author == rs->c->me.id);
	lua_setfield(L, -2, "mine");
	lua_pushboolean(L, r->published > 0 && r->published != r->current);
	lua_setfield(L, -2, "pending");	/* public as it was; a newer version waits */
	lua_pushinteger(L, r->time);
	lua_setfield(L, -2, "time");
	if (returned)
		items_set(L, "comment", r->last_detail);
	lua_pushboolean(L, 1);
	lua_setfield(L, -3, r->content_id);	/* seen[id] = true */
	lua_rawseti(L, -2, ++rs->n);
	itemform_free(&ff);
	return 0;
}

/* Adds the snapshot's items of the kind the console has no item for. */
static void
items_file_rows(struct items_rows *rs)
{
	lua_State	*L = rs->L;
	lua_Integer	 i, n;

	if (console_snapshot_rows(rs->c, SNAP_Q_STAFF_ITEMS) == -1)
		return;
	n = (lua_Integer)lua_rawlen(L, -1);
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		lua_getfield(L, -1, "kind");
		lua_getfield(L, -2, "id");
		lua_rawget(L, -6);		/* seen[id] */
		if (strcmp(lua_tostring(L, -2), rs->k->kind) != 0 ||
		    lua_toboolean(L, -1)) {
			lua_pop(L, 3);
			continue;
		}
		lua_pop(L, 2);
		lua_getfield(L, -1, "status");
		lua_pushstring(L, items_state_label(lua_tostring(L, -1)));
		lua_setfield(L, -3, "state_label");
		lua_setfield(L, -2, "state");
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "file");
		lua_pushstring(L, rs->k->section);
		lua_setfield(L, -2, "section");
		lua_rawseti(L, -3, ++rs->n);
	}
	lua_pop(L, 1);
}

/*
 * Pushes every item of kind k (NULL: of every kind) staff can see: the
 * console's items, then those of the live snapshot it has no item for.
 * Returns 0, or -1 with nothing pushed.
 */
int
items_push_rows(struct console_req *c, const struct itemform_kind *k)
{
	lua_State		*L = tpl_state(c->con->tpl);
	struct items_rows	 rs = { c, k, L, 0 };
	int			 i;

	lua_newtable(L);		/* seen: id -> true */
	lua_newtable(L);		/* the rows */
	for (i = 0; i < itemform_nkinds; i++) {
		if (k != NULL && k != &itemform_kinds[i])
			continue;
		rs.k = &itemform_kinds[i];
		if (staff_item_each(c->con->staff, rs.k->section, items_row,
		    &rs) == -1) {
			lua_pop(L, 2);
			return -1;
		}
		items_file_rows(&rs);
	}
	lua_remove(L, -2);		/* seen */
	return 0;
}

/* GET /console/SECTION?status=STATE */
static void
items_list(struct console_req *c, const struct itemform_kind *k)
{
	lua_State	*L = tpl_state(c->con->tpl);
	const char	*status = http_param(c->http, "status");

	console_ctx(c, k->label);
	if (items_push_rows(c, k) == -1) {
		lua_pop(L, 1);
		console_error(c, 500, "无法读取工作数据库。");
		return;
	}
	lua_setfield(L, -2, "rows");
	items_set(L, "filter", status ? status : "");
	items_set(L, "section", k->section);
	items_set(L, "label", k->label);
	console_render(c, "items", 200);
}

/*
 * The pages of one item, /console/SECTION/ID and /console/SECTION/ID/NAME:
 * each gets the kind and the (valid) id. A page about an item (its
 * history, preview, media …) is one more row here.
 */
static const struct items_subpage {
	const char	*name;		/* after ID/, "" for the item's own page */
	items_item_fn	 get, post;
} items_subpages[] = {
	{ "", items_item_get, items_item_post },
	{ "edit", items_edit_get, items_edit_post },
};

/*
 * /console/SECTION and everything under it, for every kind of item (the
 * SECTION is its content folder: cases, guides, pufa). Administrators
 * manage accounts only: the content pages are refused to them.
 */
void
items_page(struct console_req *c)
{
	const char	*rest = c->path + strlen(CONSOLE_PREFIX);
	const struct itemform_kind *k;
	char		 id[ITEMFORM_MAX_ID + 1], section[16];
	const struct items_subpage *sp;
	const char	*slash;
	size_t		 n, i;
	int		 post = c->method == CONSOLE_POST;

	n = strcspn(rest, "/");
	snprintf(section, sizeof(section), "%.*s", (int)n, rest);
	if ((k = itemform_kind_of(section)) == NULL) {
		console_error(c, 404, "没有这个页面。");
		return;
	}
	if (!items_may_edit(c)) {
		console_error(c, 403, "管理员账号只管理账号，不能编辑内容。");
		return;
	}
	rest += n;
	if (*rest == '\0') {
		if (post)
			console_error(c, 405, "不支持这种请求方法。");
		else
			items_list(c, k);
		return;
	}
	rest++;		/* past "/" */
	if (strcmp(rest, "new") == 0) {
		post ? items_edit_post(c, k, NULL) : items_new_get(c, k);
		return;
	}
	slash = strchr(rest, '/');
	n = slash ? (size_t)(slash - rest) : strlen(rest);
	if (n == 0 || n > ITEMFORM_MAX_ID) {
		console_error(c, 404, "没有这个页面。");
		return;
	}
	memcpy(id, rest, n);
	id[n] = '\0';
	if (route_valid_id(id) && slash && history_route(c, k->section, id, slash))
		return;
	if (post && route_valid_id(id) && history_refuse_deleted(c, k->section, id))
		return;
	for (i = 0; route_valid_id(id) && i < sizeof(items_subpages) /
	    sizeof(items_subpages[0]); i++) {
		sp = &items_subpages[i];
		if (slash ? *sp->name == '\0' || strcmp(slash + 1, sp->name) != 0 :
		    *sp->name != '\0')
			continue;
		if ((post ? sp->post : sp->get) == NULL)
			console_error(c, 405, "不支持这种请求方法。");
		else
			(post ? sp->post : sp->get)(c, k, id);
		return;
	}
	console_error(c, 404, "没有这个页面。");
}
