/*
 * preview.c: a version of an item shown exactly as the public page will
 * show it once published, under the console's address only, to signed-in
 * staff (console.c's routing), never cached or indexed (console.c sends
 * Cache-Control: no-store and X-Robots-Tag: noindex on every answer).
 *
 * The page is the public site's own: the version is put in a scratch copy
 * of the content folder (scratch.c), `fazhi build` makes a scratch
 * snapshot of it, and the public templates (--public-templates) render the
 * item's public address from that snapshot through req.c and page.c, the code that
 * serves the public site, in preview mode (the item is shown even when its
 * publish-at time is still to come; robots are told noindex), with a
 * banner saying it is not published. The scratch folder and snapshot are
 * removed before the answer goes out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lua.h>

#include "buf.h"
#include "console.h"
#include "history.h"
#include "http.h"
#include "itemform.h"
#include "log.h"
#include "req.h"
#include "scratch.h"
#include "snap.h"
#include "staff.h"
#include "tpl.h"

static struct http_req	 preview_req;	/* large: kept off the stack */
static char		*preview_body;	/* the last preview, kept until the next */

/*
 * Renders path of the snapshot db with the public templates, in preview
 * mode with the banner and a way back to back, into the answer. 0, or -1.
 */
static int
preview_render(struct console_req *c, const char *db, const char *path,
    const char *back)
{
	const struct console	*con = c->con;
	struct req_env		 env;
	struct req_out		 out;
	lua_State		*L;
	int			 rc = -1;

	memset(&env, 0, sizeof(env));
	memset(&out, 0, sizeof(out));
	env.started = time(NULL);
	env.preview = 1;
	env.clock_file = con->clock_file;
	if ((env.snap = snap_open(db)) == NULL ||
	    (env.tpl = tpl_open(con->luadir, con->public_tpldir)) == NULL)
		goto done;
	L = tpl_state(env.tpl);
	if (snap_push_site(env.snap, L) == -1)
		goto done;
	lua_pushboolean(L, 1);
	lua_setfield(L, -2, "preview");
	lua_pushstring(L, "预览：尚未发布。这是稿件签发后公众将看到的页面，仅供内部审看。");
	lua_setfield(L, -2, "preview_banner");
	lua_pushstring(L, back);
	lua_setfield(L, -2, "preview_back");
	if (tpl_compile(env.tpl) == -1 ||
	    http_parse(&preview_req, "GET", path) != 0)
		goto done;
	req_serve(&env, &preview_req, 0, &out);
	free(preview_body);
	if ((preview_body = malloc(out.len + 1)) != NULL) {
		memcpy(preview_body, out.body, out.len);
		c->status = out.status;
		c->type = out.type;	/* a literal of req.c or page.c */
		c->body = preview_body;
		c->len = out.len;
		rc = 0;
	}
	req_done(&env, &out);
done:
	req_free(&out);
	tpl_close(env.tpl);
	snap_close(env.snap);
	return rc;
}

/*
 * GET /console/SECTION/ID/preview[?version=N]: version N of the item (its
 * latest when not given) as the public page.
 */
void
preview_page(struct console_req *c, const char *section, const char *id)
{
	char				 out[1];	/* build's report: not shown */
	const struct itemform_kind	*k = itemform_kind_of(section);
	const char			*v = http_param(c->http, "version");
	struct staff_item		 it;
	struct scratch			 sc;
	char				 db[128], path[256], back[256], *xml;
	char				*argv[] = { "fazhi", "build", "--content",
					    sc.dir, "--output", db, NULL };
	long long			 n;
	int				 rc;

	if ((rc = staff_item_get(c->con->staff, section, id, &it)) != 0) {
		console_error(c, rc == -1 ? 500 : 404, rc == -1 ? "无法读取工作"
		    "数据库。" : "这篇稿件还没有在工作台保存过：网站上的页面就是它的样子。");
		return;
	}
	n = v != NULL ? strtoll(v, NULL, 10) : (long long)it.current;
	if (n < 1 || n > it.current ||
	    (xml = staff_version_xml(c->con->staff, it.id, n)) == NULL) {
		console_error(c, 404, "没有这个版本。");
		return;
	}
	snprintf(path, sizeof(path), "%s%s", k->public, id);
	snprintf(back, sizeof(back), CONSOLE_PREFIX "%s/%s/history", section, id);
	rc = -1;
	db[0] = '\0';
	if (scratch_open(&sc, c->con, "fazhi-preview", section, id, xml,
	    strlen(xml)) == 0 &&
	    snprintf(db, sizeof(db), "%s.db", sc.dir) < (int)sizeof(db))
		rc = scratch_run(c->con, argv, out, sizeof(out));
	free(xml);
	if (rc == 0 && preview_render(c, db, path, back) == -1) {
		log_warnx("previewing %s/%s version %lld", section, id, n);
		console_error(c, 500, "无法生成预览，请稍后再试。");
	} else if (rc > 0)
		console_error(c, 422, "这个版本还不完整或有问题，无法生成网站页面的"
		    "预览。请在编辑页面查看并改正问题。");
	else if (rc == -1)
		console_error(c, 500, "无法生成预览，请稍后再试。");
	if (db[0] != '\0')
		unlink(db);
	scratch_close(&sc);
}
