/*
 * mediapage.c: the console's page of an item's images and PDF files
 * (/console/media/SECTION/ID): upload (multipart/form-data, the one body
 * of the console that is not a plain form), alt text and caption, remove;
 * and the hooks through which an item's files reach its XML (on every
 * save), `fazhi check` (the scratch content folder) and content/media/ (on
 * approval). media.c does the typing, re-encoding and naming.
 *
 * Uploaded files live in the console's media folder (--media), never in
 * content/ until their item is approved: staff and the check see them
 * there, the public site does not. A file's address in the console
 * (/console/media/file/NAME) answers only to a signed-in account, and
 * nginx sends the file from disk (X-Accel-Redirect).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <lua.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "console.h"
#include "form.h"
#include "http.h"
#include "itemform.h"
#include "media.h"
#include "route.h"
#include "staff.h"
#include "tpl.h"
#include "upload.h"
#include "xml.h"

/* The content sections whose items may have files: their folder names. */
/* The multipart body of this request: large, kept off the stack. */
static char		 mediapage_body[UPLOAD_MAX_BODY + 1];
static struct upload	 mediapage_upload;

/*
 * Reads the POST body of a multipart/form-data request (type) into form:
 * only the media page takes one, of at most UPLOAD_MAX_BODY bytes; its text
 * fields become form's, its file part c->upload's. Returns 0, or an HTTP
 * status with the error answered.
 */
int
mediapage_read(struct console_req *c, FCGX_Request *r, const char *type,
    struct form *form)
{
	char		 boundary[UPLOAD_MAX_BOUNDARY + 1];
	unsigned long	 len;
	int		 status;

	if (strncmp(c->path, CONSOLE_PREFIX "media/", 15) != 0) {
		console_error(c, 415, "只接受普通表单提交。");
		return 415;
	}
	if ((status = console_read_body(c, r, mediapage_body, UPLOAD_MAX_BODY,
	    "上传的文件过大（不能超过 10 MB）。", &len)) != 0)
		return status;
	if (upload_boundary(type, boundary, sizeof(boundary)) == -1) {
		console_error(c, 400, "上传数据的格式不正确。");
		return 400;
	}
	if ((status = upload_parse(&mediapage_upload, mediapage_body, len,
	    boundary)) != 0) {
		console_error(c, status, mediapage_upload.error);
		return status;
	}
	if ((status = upload_to_form(&mediapage_upload, form)) != 0) {
		console_error(c, status, form->error);
		return status;
	}
	c->form = form;
	c->upload = &mediapage_upload;
	return 0;
}

/* Sets t[key] = s on the table on top of the stack ("" for NULL). */
static void
mediapage_set(lua_State *L, const char *key, const char *s)
{
	lua_pushstring(L, s != NULL ? s : "");
	lua_setfield(L, -2, key);
}

/* The kind as staff call it. */
static const char *
mediapage_type_label(enum media_kind k)
{
	switch (k) {
	case MEDIA_JPEG: return "JPEG";
	case MEDIA_PNG: return "PNG";
	case MEDIA_WEBP: return "WebP";
	default: return "PDF";
	}
}

/* Pushes one file as a row of ctx.files. */
static int
mediapage_row(const struct staff_media *m, void *arg)
{
	lua_State	*L = arg;
	char		 size[32], url[128], thumb[128];
	int		 image = strcmp(m->kind, "image") == 0;

	media_size_label(m->bytes, size, sizeof(size));
	snprintf(url, sizeof(url), CONSOLE_PREFIX "media/file/%s", m->name);
	/* the smallest width, when the image has one */
	if (image && m->width > 480)
		snprintf(thumb, sizeof(thumb), CONSOLE_PREFIX "media/file/%.*s-480.%s",
		    MEDIA_HASH_HEX, m->name, media_ext(media_name_kind(m->name)));
	else
		snprintf(thumb, sizeof(thumb), "%s", url);
	lua_createtable(L, 0, 12);
	lua_pushinteger(L, m->id);
	lua_setfield(L, -2, "id");
	mediapage_set(L, "name", m->name);
	mediapage_set(L, "kind", m->kind);
	mediapage_set(L, "url", url);
	mediapage_set(L, "thumb", thumb);
	mediapage_set(L, "alt", m->alt);
	mediapage_set(L, "caption", m->caption);
	mediapage_set(L, "size", size);
	mediapage_set(L, "type", mediapage_type_label(media_name_kind(m->name)));
	mediapage_set(L, "uploader", m->uploader);
	lua_pushinteger(L, m->width);
	lua_setfield(L, -2, "width");
	lua_pushinteger(L, m->height);
	lua_setfield(L, -2, "height");
	lua_pushinteger(L, m->time);
	lua_setfield(L, -2, "time");
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	return 0;
}

/* Counts a file (arg: an int). */
static int
mediapage_count(const struct staff_media *m, void *arg)
{
	(void)m;
	(*(int *)arg)++;
	return 0;
}

/* What a request to the page is about. */
struct mediapage_item {
	const struct itemform_kind *k;	/* its kind */
	char		 id[ROUTE_MAX_ID + 1];
	struct staff_item it;
	char		 item_name[ROUTE_MAX_ID + 16]; /* "cases/ID", for the audit log */
};

/*
 * Renders the page of item m: its files, the upload form (with the values
 * sent back and error, when a POST was refused), status.
 */
static void
mediapage_render(struct console_req *c, const struct mediapage_item *m,
    const char *error, int status)
{
	lua_State	*L = tpl_state(c->con->tpl);
	char		 editor[128] = "";

	console_ctx(c, "图片和附件");
	mediapage_set(L, "section", m->k->section);
	mediapage_set(L, "section_label", m->k->label);
	mediapage_set(L, "id", m->id);
	snprintf(editor, sizeof(editor), CONSOLE_PREFIX "%s/%s/edit",
	    m->k->section, m->id);
	mediapage_set(L, "editor", editor);
	mediapage_set(L, "done", http_param(c->http, "done"));
	if (error != NULL)
		mediapage_set(L, "error", error);
	if (c->method == CONSOLE_POST && c->upload != NULL) {
		mediapage_set(L, "alt", console_field(c, "alt"));
		mediapage_set(L, "caption", console_field(c, "caption"));
	}
	lua_pushinteger(L, MEDIA_MAX_PER_ITEM);
	lua_setfield(L, -2, "max_files");
	lua_newtable(L);
	if (staff_media_each(c->con->staff, m->it.id, mediapage_row, L) == -1) {
		lua_pop(L, 2);
		console_error(c, 500, "无法读取工作数据库。");
		return;
	}
	lua_setfield(L, -2, "files");
	console_render(c, "media", status);
}

/* Audits action on the item (detail may be NULL), in its own transaction. */
static int
mediapage_audit(struct console_req *c, const struct mediapage_item *m,
    const char *action, const char *detail)
{
	struct staff_audit	 e;

	memset(&e, 0, sizeof(e));
	e.time = c->now;
	e.account = c->me.name;
	e.address = c->addr;
	e.action = action;
	e.item = m->item_name;
	e.version = m->it.current;
	e.detail = detail;
	return staff_audit(c->con->staff, &e);
}

/* Refuses a POST with status and why (shown on the page), audited. */
static void
mediapage_refuse(struct console_req *c, const struct mediapage_item *m,
    const char *why, int status)
{
	if (staff_begin(c->con->staff) == 0) {
		if (mediapage_audit(c, m, "media-refused", why) == 0)
			staff_commit(c->con->staff);
		staff_rollback(c->con->staff);
	}
	mediapage_render(c, m, why, status);
}

/*
 * A text field of at most max bytes, with no more than white space: NULL
 * when it is empty (or only white space), too long, or absent.
 */
static const char *
mediapage_text(struct console_req *c, const char *key, size_t max)
{
	const char	*s = console_field(c, key);

	if (s == NULL || s[strspn(s, " \t\r\n")] == '\0' || strlen(s) > max)
		return NULL;
	return s;
}

/* Is the caption field, when given, short enough? */
static int
mediapage_caption_ok(struct console_req *c)
{
	const char	*s = console_field(c, "caption");

	return s == NULL || strlen(s) <= MEDIA_MAX_CAPTION;
}

/* POST, multipart: one file, its alt text (or title) and caption. */
static void
mediapage_upload_post(struct console_req *c, struct mediapage_item *m)
{
	const struct upload_part *file = upload_file(c->upload, "file");
	struct media_info	 info;
	struct staff_media	 sm;
	const char		*alt, *why = NULL;
	char			 detail[128];
	int			 n = 0, rc;

	if (file == NULL || (file->len == 0 && file->filename[0] == '\0')) {
		mediapage_refuse(c, m, "请选择要上传的文件。", 422);
		return;
	}
	if ((alt = mediapage_text(c, "alt", MEDIA_MAX_ALT)) == NULL) {
		mediapage_refuse(c, m, "请填写替代文字（图片）或标题（PDF），不超过"
		    "100 个字：看不到图片的读者靠它了解内容。", 422);
		return;
	}
	if (!mediapage_caption_ok(c)) {
		mediapage_refuse(c, m, "图片说明太长（不超过 200 个字）。", 422);
		return;
	}
	if (staff_media_each(c->con->staff, m->it.id, mediapage_count, &n) == -1) {
		console_error(c, 500, "无法读取工作数据库。");
		return;
	}
	if (n >= MEDIA_MAX_PER_ITEM) {
		mediapage_refuse(c, m, "这一条内容的图片和附件已经达到上限，请先删除"
		    "不用的文件。", 422);
		return;
	}
	if (file->len > MEDIA_MAX_BYTES) {
		mediapage_refuse(c, m, "文件过大（不能超过 10 MB）。", 413);
		return;
	}
	if ((rc = media_store(c->con->media_dir, file->data, file->len, &info,
	    &why)) != 0) {
		if (rc == 1)
			mediapage_refuse(c, m, why, 422);
		else
			console_error(c, 500, "无法保存上传的文件，请稍后再试。");
		return;
	}
	memset(&sm, 0, sizeof(sm));
	sm.name = info.name;
	sm.kind = info.kind == MEDIA_PDF ? "attachment" : "image";
	sm.bytes = info.bytes;
	sm.width = info.width;
	sm.height = info.height;
	sm.alt = alt;
	sm.caption = console_field(c, "caption") != NULL &&
	    *console_field(c, "caption") != '\0' ? console_field(c, "caption") :
	    NULL;
	sm.uploaded_by = c->me.id;
	sm.time = c->now;
	snprintf(detail, sizeof(detail), "%s (%lld bytes)", info.name,
	    (long long)info.bytes);
	if (staff_begin(c->con->staff) == -1)
		goto fail;
	if (staff_media_add(c->con->staff, m->it.id, &sm) == -1 ||
	    mediapage_audit(c, m, "media-upload", detail) == -1 ||
	    staff_commit(c->con->staff) == -1)
		goto fail;
	console_redirectf(c, CONSOLE_PREFIX "media/%s/%s?done=uploaded",
	    m->k->section, m->id);
	return;
fail:
	staff_rollback(c->con->staff);
	console_error(c, 500, "无法保存，请稍后再试。");
}

/* POST, a plain form: action=update (alt, caption) or remove, of file media. */
static void
mediapage_change_post(struct console_req *c, struct mediapage_item *m)
{
	const char	*action = console_field(c, "action");
	const char	*alt = mediapage_text(c, "alt", MEDIA_MAX_ALT);
	const char	*cap = console_field(c, "caption");
	int64_t		 id = console_field(c, "media") ? strtoll(console_field(c,
			    "media"), NULL, 10) : 0;
	int		 remove = action != NULL && strcmp(action, "remove") == 0;
	int		 rc;

	if (action == NULL || (!remove && strcmp(action, "update") != 0)) {
		console_error(c, 400, "不认识这个操作。");
		return;
	}
	if (!remove && alt == NULL) {
		mediapage_refuse(c, m, "替代文字（或标题）不能为空，不超过 100 个字。",
		    422);
		return;
	}
	if (!remove && !mediapage_caption_ok(c)) {
		mediapage_refuse(c, m, "图片说明太长（不超过 200 个字）。", 422);
		return;
	}
	if (staff_begin(c->con->staff) == -1)
		goto fail;
	if ((rc = staff_media_set(c->con->staff, m->it.id, id, alt,
	    cap != NULL && *cap != '\0' ? cap : NULL, remove)) == -1)
		goto fail;
	if (rc == 1) {
		staff_rollback(c->con->staff);
		console_error(c, 404, "没有这个文件。");
		return;
	}
	if (mediapage_audit(c, m, remove ? "media-remove" : "media-update",
	    console_field(c, "media")) == -1 || staff_commit(c->con->staff) == -1)
		goto fail;
	console_redirectf(c, CONSOLE_PREFIX "media/%s/%s?done=%s",
	    m->k->section, m->id, remove ? "removed" :
	    "updated");
	return;
fail:
	staff_rollback(c->con->staff);
	console_error(c, 500, "无法保存，请稍后再试。");
}

/*
 * GET /console/media/file/NAME: a stored file, to signed-in staff only,
 * sent by nginx from the media folder (its internal /_console_media/).
 * A preview's /media/NAME comes here too (nginx/fazhi.conf.in).
 */
static void
mediapage_file(struct console_req *c, const char *name)
{
	char	 base[MEDIA_NAME_SIZE], path[4096], pub[4096];
	const char *dash = strchr(name, '-'), *dot = strrchr(name, '.');

	/* HASH.ext, or a width of it: HASH-W.ext */
	if (dash != NULL && dot != NULL && dot > dash &&
	    (size_t)(dash - name) == MEDIA_HASH_HEX &&
	    strspn(dash + 1, "0123456789") == (size_t)(dot - dash - 1) &&
	    dot - dash > 1)
		snprintf(base, sizeof(base), "%.*s%s", MEDIA_HASH_HEX, name, dot);
	else
		snprintf(base, sizeof(base), "%.*s", MEDIA_NAME_SIZE - 1, name);
	snprintf(path, sizeof(path), "%s/%s", c->con->media_dir, name);
	snprintf(pub, sizeof(pub), "%s/media", c->con->content_dir);
	/* a file of content/media/ written by hand, not uploaded: copied first */
	if (strlen(name) >= MEDIA_NAME_SIZE || media_name_kind(base) == MEDIA_NONE ||
	    (access(path, R_OK) == -1 && (media_copy(pub, c->con->media_dir,
	    base) == -1 || access(path, R_OK) == -1))) {
		console_error(c, 404, "没有这个文件。");
		return;
	}
	snprintf(c->location_buf, sizeof(c->location_buf), "/_console_media/%s",
	    name);
	c->accel = c->location_buf;
	/* nginx may pass it on: the type of the file, never HTML */
	c->type = media_type(media_name_kind(base));
	c->disposition = media_name_kind(base) == MEDIA_PDF ? "attachment" : NULL;
	c->status = 200;
	c->body = "";
	c->len = 0;
}

/* Parses SECTION/ID of the path into m and finds the item. 0, or -1 (answered). */
static int
mediapage_find(struct console_req *c, const char *rest,
    struct mediapage_item *m)
{
	const char	*slash = strchr(rest, '/');
	char		 section[16];
	int		 have;

	memset(m, 0, sizeof(*m));
	if (slash != NULL && (size_t)(slash - rest) < sizeof(section)) {
		memcpy(section, rest, (size_t)(slash - rest));
		section[slash - rest] = '\0';
		m->k = itemform_kind_of(section);
	}
	if (m->k == NULL || strlen(slash + 1) > ROUTE_MAX_ID ||
	    !route_valid_id(slash + 1)) {
		console_error(c, 404, "没有这个页面。");
		return -1;
	}
	snprintf(m->id, sizeof(m->id), "%s", slash + 1);
	snprintf(m->item_name, sizeof(m->item_name), "%s/%s",
	    m->k->section, m->id);
	if ((have = staff_item_get(c->con->staff, m->k->section,
	    m->id, &m->it)) == -1) {
		console_error(c, 500, "无法读取工作数据库。");
		return -1;
	}
	if (have == 1) {
		console_error(c, 404, "工作台里还没有这一条内容：请先在编辑页保存"
		    "草稿，再上传图片和附件。");
		return -1;
	}
	return 0;
}

/*
 * /console/media/...: an item's page (GET; POST multipart to upload, or a
 * plain form to change a file), or a file. Editors and reviewers only.
 */
void
mediapage_page(struct console_req *c)
{
	const char		*rest = c->path + strlen(CONSOLE_PREFIX "media/");
	struct mediapage_item	 m;

	if (c->me.role != STAFF_ROLE_EDITOR && c->me.role != STAFF_ROLE_REVIEWER) {
		console_error(c, 403, "管理员账号只管理账号，不能编辑内容。");
		return;
	}
	if (strncmp(rest, "file/", 5) == 0) {
		if (c->method == CONSOLE_POST)
			console_error(c, 405, "不支持这种请求方法。");
		else
			mediapage_file(c, rest + 5);
		return;
	}
	if (mediapage_find(c, rest, &m) == -1)
		return;
	if (c->method != CONSOLE_POST)
		mediapage_render(c, &m, NULL, 200);
	else if (c->upload != NULL)
		mediapage_upload_post(c, &m);
	else
		mediapage_change_post(c, &m);
}

/* Adds one file to the <images> or <attachments> element (arg: the root). */
static int
mediapage_xml_row(const struct staff_media *m, void *arg)
{
	xmlNodePtr	 root = arg, list, n;
	int		 image = strcmp(m->kind, "image") == 0;
	const char	*ln = image ? "images" : "attachments";

	for (list = root->children; list != NULL; list = list->next)
		if (list->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)list->name, ln) == 0)
			break;
	if (list == NULL && (list = xmlNewChild(root, NULL, (const xmlChar *)ln,
	    NULL)) == NULL)
		return -1;
	if ((n = xmlNewChild(list, NULL, (const xmlChar *)(image ? "image" :
	    "attachment"), NULL)) == NULL)
		return -1;
	xmlNewProp(n, (const xmlChar *)"file", (const xmlChar *)m->name);
	xmlNewProp(n, (const xmlChar *)(image ? "alt" : "title"),
	    (const xmlChar *)m->alt);
	if (image && m->caption != NULL)
		xmlNewProp(n, (const xmlChar *)"caption",
		    (const xmlChar *)m->caption);
	return 0;
}

/* Parses an item's XML (a saved version, made by the editor or by hand). */
static xmlDocPtr
mediapage_parse(const char *xml)
{
	return xmlReadMemory(xml, (int)strlen(xml), "item.xml", "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

typedef int (*mediapage_ref_cb)(xmlNodePtr, void *);

/*
 * Calls cb for each <image> and <attachment> of the root's <images> and
 * <attachments>, in document order, until it returns -1. Returns that, or 0.
 */
static int
mediapage_each_ref(xmlNodePtr root, mediapage_ref_cb cb, void *arg)
{
	xmlNodePtr	 list, n;

	for (list = root->children; list != NULL; list = list->next) {
		if (list->type != XML_ELEMENT_NODE ||
		    (xmlStrcmp(list->name, (const xmlChar *)"images") != 0 &&
		    xmlStrcmp(list->name, (const xmlChar *)"attachments") != 0))
			continue;
		for (n = list->children; n != NULL; n = n->next)
			if (n->type == XML_ELEMENT_NODE && cb(n, arg) == -1)
				return -1;
	}
	return 0;
}


/* What a save adopts from the XML the item had before it. */
struct mediapage_adopt {
	struct console_req	*c;
	int64_t			 item;	/* the item's id; 0: none yet */
	xmlNodePtr		 root;	/* none yet: where the files go directly */
};

/*
 * Adopts a file the item's previous XML names but the media table does not
 * know (an <image> or <attachment> written by hand, its file in
 * content/media/): into the console's media folder and the table, or,
 * for an item the console has not saved yet, straight into the new XML.
 * So a file edited by hand keeps its pictures when staff edit it.
 */
static int
mediapage_adopt_ref(xmlNodePtr n, void *arg)
{
	struct mediapage_adopt	*a = arg;
	struct console		*con = a->c->con;
	struct media_info	 info;
	struct staff_media	 sm;
	xmlChar			*name, *alt, *cap;
	char			 pub[4096];
	int			 rc = 0, image = xmlStrcmp(n->name,
				    (const xmlChar *)"image") == 0;

	if ((name = xmlGetProp(n, (const xmlChar *)"file")) == NULL)
		return 0;
	alt = xmlGetProp(n, (const xmlChar *)(image ? "alt" : "title"));
	cap = image ? xmlGetProp(n, (const xmlChar *)"caption") : NULL;
	snprintf(pub, sizeof(pub), "%s/media", con->content_dir);
	if (media_name_kind((const char *)name) == MEDIA_NONE || alt == NULL ||
	    (a->item != 0 && staff_media_has(con->staff, a->item,
	    (const char *)name) != 0))
		goto done;
	if (media_read(con->media_dir, (const char *)name, &info) == -1 &&
	    (media_read(pub, (const char *)name, &info) == -1 ||
	    media_copy(pub, con->media_dir, (const char *)name) == -1))
		goto done;	/* no such file: the check says so */
	memset(&sm, 0, sizeof(sm));
	sm.name = info.name;
	sm.kind = image ? "image" : "attachment";
	sm.bytes = info.bytes;
	sm.width = info.width;
	sm.height = info.height;
	sm.alt = (const char *)alt;
	sm.caption = (const char *)cap;
	sm.uploaded_by = a->c->me.id;
	sm.time = a->c->now;
	rc = a->item != 0 ? staff_media_add(con->staff, a->item, &sm) :
	    mediapage_xml_row(&sm, a->root);
done:
	xmlFree(name);
	xmlFree(alt);
	xmlFree(cap);
	return rc;
}

/*
 * Adopts the files of the XML the item had before this save (its latest
 * version, or its file in content/), as mediapage_adopt_ref says. 0, or -1.
 */
static int
mediapage_adopt(struct console_req *c, const char *section, const char *id,
    const struct staff_item *it, xmlNodePtr root)
{
	struct mediapage_adopt	 a = { c, it != NULL ? it->id : 0, root };
	xmlDocPtr		 doc;
	xmlNodePtr		 prev;
	char			*xml;
	size_t			 len;
	int			 rc = 0;

	if ((xml = items_current_xml(c, itemform_kind_of(section), id, it,
	    &len)) == NULL)
		return 0;
	if ((doc = mediapage_parse(xml)) != NULL) {
		if ((prev = xmlDocGetRootElement(doc)) != NULL)
			rc = mediapage_each_ref(prev, mediapage_adopt_ref, &a);
		xmlFreeDoc(doc);
	}
	free(xml);
	return rc;
}

/*
 * Adds the files of item section/id to its XML (*xml, *len, malloc'd, as
 * the editor made it), as <images> and <attachments> before the root's
 * end tag: every save writes the files the item has now (and those of a
 * file written by hand, mediapage_adopt). *xml is replaced (the old one
 * freed) when there are files. Returns 0, or -1.
 */
int
mediapage_xml(struct console_req *c, const char *section, const char *id,
    char **xml, size_t *len)
{
	struct staff_item	 it;
	xmlDocPtr		 doc;
	xmlNodePtr		 root;
	xmlOutputBufferPtr	 b = NULL;
	const char		*end;
	char			*out;
	size_t			 at, blen;
	int			 rc = -1, have;

	if ((have = staff_item_get(c->con->staff, section, id, &it)) == -1)
		return -1;
	if ((doc = xmlNewDoc((const xmlChar *)"1.0")) == NULL)
		return -1;
	/* a document in UTF-8 has its attributes written in UTF-8, not as &#x...; */
	doc->encoding = xmlStrdup((const xmlChar *)"UTF-8");
	if ((root = xmlNewDocNode(doc, NULL, (const xmlChar *)"x", NULL)) == NULL) {
		xmlFreeDoc(doc);
		return -1;
	}
	xmlDocSetRootElement(doc, root);
	if (mediapage_adopt(c, section, id, have == 0 ? &it : NULL, root) == -1)
		goto done;
	if (have == 0 && staff_media_each(c->con->staff, it.id, mediapage_xml_row,
	    root) == -1)
		goto done;
	if (root->children == NULL) {
		rc = 0;
		goto done;
	}
	/* the root's end tag is the last "</" of the file */
	for (end = *xml + *len; end > *xml && strncmp(end, "</", 2) != 0; end--)
		;
	if (end == *xml || (b = xmlAllocOutputBuffer(NULL)) == NULL)
		goto done;
	/* UTF-8 as it is, not as character references: the file stays readable */
	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		xmlOutputBufferWriteString(b, "  ");
		xmlNodeDumpOutput(b, doc, n, 1, 1, "UTF-8");
		xmlOutputBufferWriteString(b, "\n");
	}
	xmlOutputBufferFlush(b);
	at = (size_t)(end - *xml);
	blen = xmlOutputBufferGetSize(b);
	if ((out = malloc(*len + blen + 1)) == NULL)
		goto done;
	memcpy(out, *xml, at);
	memcpy(out + at, xmlOutputBufferGetContent(b), blen);
	memcpy(out + at + blen, *xml + at, *len - at + 1);
	free(*xml);
	*xml = out;
	*len += blen;
	rc = 0;
done:
	if (b != NULL)
		xmlOutputBufferClose(b);
	xmlFreeDoc(doc);
	return rc;
}

/* Copies the file n names into content/media/ (arg: the console). */
static int
mediapage_publish_ref(xmlNodePtr n, void *arg)
{
	const struct console *con = arg;
	xmlChar		*name;
	char		 from[4096], to[4096];
	int		 rc = 0;

	if ((name = xmlGetProp(n, (const xmlChar *)"file")) == NULL)
		return 0;
	snprintf(from, sizeof(from), "%s/%s", con->media_dir, (const char *)name);
	snprintf(to, sizeof(to), "%s/media", con->content_dir);
	if (media_name_kind((const char *)name) != MEDIA_NONE &&
	    access(from, R_OK) == 0)
		rc = media_copy(con->media_dir, to, (const char *)name);
	xmlFree(name);
	return rc;
}

/*
 * Copies every file the XML of an item names (file="NAME") from the
 * console's media folder into content/media/, before the XML is written
 * there: what `fazhi publish` will then find. A name not in the media
 * folder is left for the check to report. Returns 0, or -1 (logged).
 */
int
mediapage_publish(const struct console *con, const char *xml)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	int		 rc = 0;

	if ((doc = mediapage_parse(xml)) == NULL)
		return 0;	/* the check reports it */
	if ((root = xmlDocGetRootElement(doc)) != NULL)
		rc = mediapage_each_ref(root, mediapage_publish_ref, (void *)con);
	xmlFreeDoc(doc);
	return rc;
}

/* Sets t[key] to attribute key of n, when it has one. */
static void
mediapage_set_prop(lua_State *L, xmlNodePtr n, const char *key)
{
	xmlChar	*v;

	if ((v = xmlGetProp(n, (const xmlChar *)key)) == NULL)
		return;
	mediapage_set(L, key, (const char *)v);
	xmlFree(v);
}

/* Pushes the file n names as a row of the array on top of the stack. */
static int
mediapage_push_ref(xmlNodePtr n, void *arg)
{
	lua_State	*L = arg;
	xmlChar		*name;
	char		 url[128];

	lua_createtable(L, 0, 6);
	mediapage_set(L, "kind", (const char *)n->name);
	mediapage_set_prop(L, n, "file");
	mediapage_set_prop(L, n, "alt");
	mediapage_set_prop(L, n, "title");
	mediapage_set_prop(L, n, "caption");
	name = xmlGetProp(n, (const xmlChar *)"file");
	snprintf(url, sizeof(url), CONSOLE_PREFIX "media/file/%.64s",
	    name ? (const char *)name : "");
	xmlFree(name);
	mediapage_set(L, "url", url);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	return 0;
}

/*
 * Sets ctx.media on the table on top of the stack: the files the version's
 * XML names, in order (kind, file, url, alt or title, caption), for the
 * review page.
 */
void
mediapage_push_xml(struct console_req *c, const char *xml)
{
	lua_State	*L = tpl_state(c->con->tpl);
	xmlDocPtr	 doc;
	xmlNodePtr	 root;

	lua_newtable(L);
	if (xml != NULL && (doc = mediapage_parse(xml)) != NULL) {
		if ((root = xmlDocGetRootElement(doc)) != NULL)
			mediapage_each_ref(root, mediapage_push_ref, L);
		xmlFreeDoc(doc);
	}
	lua_setfield(L, -2, "media");
}
