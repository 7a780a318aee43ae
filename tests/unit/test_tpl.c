/* test_tpl.c: unit tests for tpl.c and lua/engine.lua: templates, sandbox. */
/* checks: 159 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lua.h>

#include "buf.h"
#include "tpl.h"
#include "unit.h"

#define LUADIR	"lua"		/* tests run from the repository root */

/* What a template names that the sandbox must not let it reach. */
static const char *const forbidden[] = { "io", "os", "load", "loadstring",
    "dofile", "loadfile", "require", "debug", "package", "collectgarbage",
    "setmetatable", "getmetatable", "rawset", "rawget", "rawequal", "rawlen",
    "_G", "print", "pcall", "xpcall", "coroutine", NULL };

static const struct {
	const char	*name;
	const char	*src;
} templates[] = {
	{ "escape", "<%= \"<b>&\\\"'\" %>" },
	{ "raw", "<%- \"<b>&amp;</b>\" %>" },
	{ "nil", "[<%= nil %>][<%= ctx.missing %>][<%- nil %>]" },
	{ "numbers", "<%= 42 %> <%= 1.5 %> <%= -3 %> <%= 2^53 %>" },
	{ "boolean", "<%= true %>/<%= false %>" },
	{ "table", "<%= {} %>" },
	{ "ctx_table", "<%= ctx %>" },
	{ "ctx", "<p><%= ctx.name %></p>" },
	{ "site", "<%= site.title %>" },
	{ "code", "<% for i = 1, 3 do %><%= i %>,<% end %>" },
	{ "line3", "one <%= 1 %>\ntwo <% if true then %>x<% end %>\n"
	    "three <% error(\"boom\") %>" },
	{ "trim", "a\n<% local y = 1 -%>\nb\n<%# a comment -%>\nc" },
	{ "list", "<ul><% for _, v in ipairs({ \"a\", \"<b>\" }) do "
	    "include(\"partials/item\", { v = v }) end %></ul>" },
	{ "partials/item", "<li><%= ctx.v %></li>" },
	{ "include_missing", "<% include(\"partials/nope\", {}) %>" },
	{ "page", "<% layout(\"layout\") %><p><%= ctx.name %></p>" },
	{ "layout", "<html><title><%= site.title %></title>"
	    "<% content() %></html>" },
	{ "layout_missing", "<% layout(\"nope\") %>x" },
	{ "fixed", "(<% fixed(\"partials/fixed\", ctx.key, ctx) %>)" },
	{ "partials/fixed", "[<%= ctx.v %>]" },
	{ "fixed_bad_key", "<% fixed(\"partials/fixed\", {}, ctx) %>" },
	{ "fixed_missing", "<% fixed(\"partials/nope\") %>" },
	{ "fixed_error", "<% fixed(\"partials/fixed_error\", \"k\", ctx) %>" },
	{ "partials/fixed_error", "<% if ctx.boom then error(\"boom\") end %>ok" },
	{ "dump_index", "<%= type((\"x\").dump) %>" },
	{ "dump_string", "<%= type(string.dump) %>" },
	{ "patterns", "<%= type((\"x\").gsub) %> <%= type((\"x\").find) %> "
	    "<%= type((\"x\").match) %> <%= type((\"x\").gmatch) %> "
	    "<%= type(string.gsub) %>" },
	{ "gsub_call", "<%= (\"x\"):gsub(\"x\", \"y\") %>" },
	{ "find_call", "<%= (\"x\"):find(\"(.-)*$\") %>" },
	{ "string_ok",
	    "<%= (\"abc\"):upper() %> <%= string.sub(\"abcdef\", 2, 3) %> "
	    "<%= (\"%d\"):format(7) %>" },
	{ "rep_small",
	    "<%= string.rep(\"ab\", 3) %> <%= (\"ab\"):rep(2, \",\") %>" },
	{ "rep_huge", "<%= string.rep(\"x\", 1e9) %>" },
	{ "rep_huge_method", "<%= (\"x\"):rep(1e9) %>" },
	{ "rep_huge_sep", "<%= string.rep(\"\", 1e9, \"ab\") %>" },
	{ "rep_over_max", "<%= #string.rep(\"x\", ctx.n) %>" },
	{ "global", "<% x = 1 %>" },
	{ "poison", "<% string.upper = nil table.concat = nil %>" },
	/* Work in C the instruction budget cannot see: a megabyte a call. */
	{ "cpu_in_c", "<% for i = 1, 400000 do local s = string.rep('ab', 524288)"
	    " end %>done" },
	/* ctx.n megabytes made in C, a few VM instructions each. */
	{ "made", "<% local n = 0 for i = 1, ctx.n do"
	    " n = n + #string.rep('a', 1048576) end %><%= n %>" },
	/* Work in C that allocates nothing: comparing two long strings. */
	{ "cpu_no_alloc", "<% local a, b = string.rep('a', 1048576),"
	    " string.rep('a', 1048576) local n = 0"
	    " while true do if a == b then n = n + 1 end end %>" },
	/* pairs() must not hand out the table behind a read-only one. */
	{ "pairs_leak", "<% local f, s = pairs(site) if type(s) == 'table' then"
	    " s.title = 'x' end for k in f, s do end %>ok" },
	{ "poison_check",
	    "<%= string.upper(\"a\") %><%= table.concat({ \"b\" }) %>" },
	{ "loop", "<% while true do end %>" },
	{ "budget_half", "<% for i = 1, ctx.n do end %>ok" },
	{ "bomb_table", "<% local t = {} for i = 1, 1e9 do t[i] = i end %>" },
	{ "bomb_string",
	    "<% local s = \"x\" for i = 1, 40 do s = s .. s end %>" },
	{ "big", "<% for i = 1, ctx.count do %><%- string.rep(\"x\", ctx.n) %>"
	    "<% end %><%- ctx.extra %>" },
	{ "error_table", "<% error({}) %>" },
	{ "utf8", "<%= utf8.char(26696) %><%= utf8.len(\"案例\") %>" },
	{ "view", "<%= date_cn(\"2023-05-16\") %>" },
	/* date_cn keeps what it wrote, up to DATES_KEPT (4096) dates. */
	{ "dates_many", "<% local s for i = 1, 4200 do "
	    "s = date_cn((1000 + i) .. \"-01-02\") end %><%= s %>|"
	    "<%= date_cn(\"5200-01-02\") %>|<%= date_cn(\"x\") %>|"
	    "<%= date_cn(\"2023-05-16\") %>|<%= date_cn(\"1001-01-02\") %>" },
	/* phone(): a number as content writes it, split for a tel: link. */
	{ "phone", "<% for _, s in ipairs({ \"0580-0000000（示例）\", \"12345\", "
	    "\"+86 580 1234567\", \"12\", \"工作日\" }) do local p = phone(s) %>"
	    "<% if p then %><%= p.href %>|<%= p.number %>|<%= p.note %><% else %>-"
	    "<% end %>;<% end %>" },
	/* The credit tools' helpers (view.lua). */
	{ "credit_from", "<%= credit_repair({ repair = \"from\", "
	    "earliest = \"2026-07-01\", fulfil_first = true }) %>" },
	{ "credit_never", "<%= credit_repair({ repair = \"never\", "
	    "max_end = \"2028-03-31\", never_kinds = { { name = \"责令停产停业\" },"
	    " { name = \"限制从业\" } } }) %>" },
	{ "credit_wait", "<%= credit_status({ status = \"wait\", "
	    "earliest = \"2027-01-02\" }) %>" },
	{ "credit_why", "<%= credit_why({ why = \"date\", decided = \"2026-04-01\","
	    " regime = { from_date = \"2026-04-01\" } }) %>" },
	{ "credit_names", "<%= tier_name(\"serious\") %><%= tier_name(\"\") %>"
	    "<%= conf_name(\"unverified\") %><%= tostring(conf_name(\"verified\")) %>" },
	{ "credit_unknown", "<%= credit_repair({ repair = \"unknown\" }, "
	    "\"向作出行政处罚决定的市场监督管理部门申请。\") %>" },
	{ "credit_unfulfilled", "<%= credit_status({ status = \"unfulfilled\" }) %>" },
	{ "credit_record", "<%= credit_record_href({ decided = \"2025-09-08\", "
	    "kind_list = { { code = \"fine\" }, { code = \"confiscate-gains\" } }, "
	    "fine = \"1000.00\", domain_code = \"ziranziyuan\", severity = \"minor\" }) %>" },
	{ "credit_pairs", "<%= url(\"/credit/check.ics\", credit_pairs({ date = "
	    "\"2026-10-15\", fine = \"30,000\", kinds = { fine = true, closure = true }, "
	    "party = \"person\" }, { { code = \"fine\" }, { code = \"closure\" }, "
	    "{ code = \"warning\" } })) %>" },
	{ "credit_regimes", "<%= regime_span({ from_date = \"2023-05-01\", until_date = "
	    "\"2026-03-31\" }) %>|<%= regime_span({ from_date = \"2026-04-01\" }) %>|"
	    "<%= regimes_counted_from({ { title = \"甲\", count_day = \"publication\" }, "
	    "{ title = \"乙\", count_day = \"decision\" } }, \"publication\") %>|"
	    "<%= regimes_counted_from({}, \"publication\") %>" },
};

static char		 dir[4096];
static struct tpl	*t;
static lua_State	*L;
static struct buf	 got;
static struct buf	 logged;	/* what the last render logged */

/* Makes a fresh folder under $TMPDIR (or /tmp) in path; returns it or NULL. */
static char *
temp_dir(char *path, size_t n)
{
	const char	*tmp = getenv("TMPDIR");

	snprintf(path, n, "%s/fazhi-test-tpl-XXXXXX", tmp ? tmp : "/tmp");
	return mkdtemp(path);
}

/* Writes src to root/name.html, making its folder when it has one. */
static int
write_template(const char *root, const char *name, const char *src)
{
	char	 path[512], *slash;
	FILE	*f;
	int	 rc;

	snprintf(path, sizeof(path), "%s/%s.html", root, name);
	slash = strrchr(path, '/');
	if (slash != NULL && slash > path + strlen(root)) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	rc = fputs(src, f) == EOF ? -1 : 0;
	return fclose(f) == EOF ? -1 : rc;
}

static int
remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes a temporary template folder and everything in it. */
static void
remove_tree(const char *path)
{
	nftw(path, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* Writes every template, the forbidden-name ones included. */
static int
write_templates(void)
{
	char	 name[64], src[128];
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < sizeof(templates) / sizeof(templates[0]); i++)
		rc |= write_template(dir, templates[i].name, templates[i].src);
	for (i = 0; forbidden[i] != NULL; i++) {
		snprintf(name, sizeof(name), "sandbox_%s", forbidden[i]);
		snprintf(src, sizeof(src), "<%%= type(%s) %%>", forbidden[i]);
		rc |= write_template(dir, name, src);
	}
	return rc;
}

/*
 * Runs tpl_render() with stderr captured into logged (and then passed on),
 * so checks can tell why a render failed.
 */
static int
render_logged(const char *name, const char **s, size_t *n)
{
	FILE	*f;
	char	 chunk[512];
	size_t	 k;
	int	 saved, rc;

	buf_reset(&logged);
	fflush(stderr);
	if ((f = tmpfile()) == NULL || (saved = dup(STDERR_FILENO)) == -1 ||
	    dup2(fileno(f), STDERR_FILENO) == -1)
		abort();
	rc = tpl_render(t, name, s, n);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&logged, chunk, k);
	fclose(f);
	if (logged.len > 0)
		fwrite(logged.data, 1, logged.len, stderr);
	return rc;
}

/* Returns 1 when the last render logged a line containing s. */
static int
logged_has(const char *s)
{
	return logged.len > 0 && strstr(logged.data, s) != NULL;
}

/*
 * Renders name with the context table on top of the stack; returns a copy
 * of the page, or NULL when tpl_render() failed.
 */
static const char *
render_ctx(const char *name)
{
	const char	*s;
	size_t		 n;

	buf_reset(&got);
	if (render_logged(name, &s, &n) == -1)
		return NULL;
	buf_add(&got, s, n);
	tpl_release(t);
	return got.len > 0 ? got.data : "";
}

/* Renders name with an empty context. */
static const char *
render(const char *name)
{
	lua_newtable(L);
	return render_ctx(name);
}

/* Renders name with ctx.n set to n. */
static const char *
render_n(const char *name, lua_Integer n)
{
	lua_newtable(L);
	lua_pushinteger(L, n);
	lua_setfield(L, -2, "n");
	return render_ctx(name);
}

/* A normal render still works and the stack is back to empty. */
static void
check_alive(const char *after)
{
	UNIT_STREQ(render("escape"), "&lt;b&gt;&amp;&quot;&#39;",
	    "a render after %s still works", after);
	UNIT_CHECK(lua_gettop(L) == 0, "the stack is empty after %s", after);
}

static void
check_fails(const char *name, const char *what)
{
	const char	*s = render(name);

	UNIT_CHECK(s == NULL, "%s fails (template %s)", what, name);
	UNIT_CHECK(lua_gettop(L) == 0, "%s leaves the stack empty", what);
}

/* Checks that name fails, and that the log says why: with why. */
static void
check_fails_why(const char *name, const char *what, const char *why)
{
	check_fails(name, what);
	UNIT_CHECK(logged_has(why), "%s is logged with \"%s\"", what, why);
}

/* check_fails_why, timed: returns the milliseconds the failing render took. */
static long
check_fails_within(const char *name, const char *what, const char *why)
{
	struct timespec	 t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	check_fails_why(name, what, why);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
}

static void
test_escape(void)
{
	UNIT_STREQ(render("escape"), "&lt;b&gt;&amp;&quot;&#39;",
	    "<%%= %%> escapes <>&\"'");
}

static void
test_escape_ctx(void)
{
	lua_newtable(L);
	lua_pushstring(L, "<script>\"x\"</script>");
	lua_setfield(L, -2, "name");
	UNIT_STREQ(render_ctx("ctx"),
	    "<p>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</p>",
	    "ctx values are escaped");
}

static void
test_raw(void)
{
	UNIT_STREQ(render("raw"), "<b>&amp;</b>", "<%%- %%> prints as is");
}

static void
test_nil(void)
{
	UNIT_STREQ(render("nil"), "[][][]", "nil prints nothing");
}

static void
test_numbers(void)
{
	UNIT_STREQ(render("numbers"), "42 1.5 -3 9.007199254741e+15",
	    "numbers print");
	UNIT_STREQ(render("boolean"), "true/false", "booleans print");
}

static void
test_table(void)
{
	check_fails("table", "printing a table");
	check_fails("ctx_table", "printing ctx");
}

static void
test_site(void)
{
	UNIT_STREQ(render("site"), "法治", "site is visible to templates");
}

static void
test_code(void)
{
	UNIT_STREQ(render("code"), "1,2,3,", "<%% %%> runs Lua code");
}

static void
test_trim(void)
{
	UNIT_STREQ(render("trim"), "a\nb\nc",
	    "-%%> eats a newline and <%%# %%> prints nothing");
}

static void
test_include(void)
{
	UNIT_STREQ(render("list"), "<ul><li>a</li><li>&lt;b&gt;</li></ul>",
	    "include renders a partial in place");
	check_fails("include_missing", "including a missing template");
}

static void
test_layout(void)
{
	lua_newtable(L);
	lua_pushstring(L, "正文&");
	lua_setfield(L, -2, "name");
	UNIT_STREQ(render_ctx("page"),
	    "<html><title>法治</title><p>正文&amp;</p></html>",
	    "layout wraps the page");
	check_fails("layout_missing", "a missing layout");
}

/* Renders "fixed" with ctx.key (NULL: none) and ctx.v; boom for fixed_error. */
static const char *
render_fixed(const char *name, const char *key, const char *v)
{
	lua_newtable(L);
	if (key != NULL) {
		lua_pushstring(L, key);
		lua_setfield(L, -2, "key");
	}
	lua_pushstring(L, v);
	lua_setfield(L, -2, "v");
	if (v[0] == '!') {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "boom");
	}
	return render_ctx(name);
}

/*
 * fixed(name, key, args) renders a partial the first time a key is seen and
 * prints those bytes again after, up to TPL_MAX_FIXED keys per partial; past
 * them, and after a failed render, it renders each time.
 */
static void
test_fixed(void)
{
	char	 key[32];
	int	 i;

	UNIT_STREQ(render_fixed("fixed", "a", "<1>"), "([&lt;1&gt;])",
	    "fixed() renders a partial, escaped, the first time");
	UNIT_STREQ(render_fixed("fixed", "a", "2"), "([&lt;1&gt;])",
	    "fixed() prints the same bytes again for the same key");
	UNIT_STREQ(render_fixed("fixed", "b", "3"), "([3])",
	    "fixed() renders again for another key");
	UNIT_STREQ(render_fixed("fixed", NULL, "n"), "([n])",
	    "fixed() without a key renders once");
	UNIT_STREQ(render_fixed("fixed", NULL, "m"), "([n])",
	    "... and prints it again");
	for (i = 3; i < TPL_MAX_FIXED; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		render_fixed("fixed", key, key);
	}
	UNIT_STREQ(render_fixed("fixed", "late", "1"), "([1])",
	    "past TPL_MAX_FIXED keys, fixed() renders");
	UNIT_STREQ(render_fixed("fixed", "late", "2"), "([2])",
	    "... and renders again: nothing more is kept");
	UNIT_STREQ(render_fixed("fixed", "a", "4"), "([&lt;1&gt;])",
	    "what was kept is still printed");
	check_fails("fixed_bad_key", "fixed() with a table as key");
	check_fails("fixed_missing", "fixed() of a missing partial");
	UNIT_CHECK(render_fixed("fixed_error", NULL, "!") == NULL,
	    "fixed() of a partial that fails fails");
	UNIT_STREQ(render_fixed("fixed_error", NULL, "x"), "ok",
	    "a failed fixed() keeps nothing: the next one renders");
}

static void
test_unknown_template(void)
{
	check_fails("no-such-template", "rendering an unknown template");
}

static void
test_sandbox_names(void)
{
	char	 name[64];
	size_t	 i;

	for (i = 0; forbidden[i] != NULL; i++) {
		snprintf(name, sizeof(name), "sandbox_%s", forbidden[i]);
		UNIT_STREQ(render(name), "nil", "%s is nil in a template",
		    forbidden[i]);
	}
}

static void
test_sandbox_dump(void)
{
	UNIT_STREQ(render("dump_index"), "nil", "(\"x\").dump is nil");
	UNIT_STREQ(render("dump_string"), "nil", "string.dump is nil");
}

static void
test_sandbox_patterns(void)
{
	UNIT_STREQ(render("patterns"), "nil nil nil nil nil",
	    "pattern functions are not reachable");
	check_fails("gsub_call", "(\"x\"):gsub");
	check_fails("find_call", "(\"x\"):find");
}

static void
test_string_ok(void)
{
	UNIT_STREQ(render("string_ok"), "ABC bc 7",
	    "upper, sub and format work");
	UNIT_STREQ(render("utf8"), "案2", "utf8 functions work");
	UNIT_STREQ(render("view"), "2023年5月16日", "view helpers work");
	UNIT_STREQ(render("dates_many"), "5200年1月2日|5200年1月2日|x|2023年5月16日|"
	    "1001年1月2日", "date_cn is right past the dates it keeps, and for "
	    "what it kept");
}

static void
test_phone(void)
{
	UNIT_STREQ(render("phone"), "tel:0580-0000000|0580-0000000|（示例）;"
	    "tel:12345|12345|;tel:+865801234567|+86 580 1234567|;-;-;",
	    "phone: number, tel: address and note; too short or no number: nil");
}

static void
test_credit_helpers(void)
{
	UNIT_STREQ(render("credit_from"), "最早可以在2026年7月1日申请信用修复，"
	    "前提是届时已履行完处罚决定。", "credit_repair: from a day, fulfil first");
	UNIT_STREQ(render("credit_never"), "不能提前修复：受到责令停产停业、限制从业"
	    "处罚的，须公示到最长公示期届满（2028年3月31日）。",
	    "credit_repair: never, naming the kinds");
	UNIT_STREQ(render("credit_wait"), "公示中；自2027年1月2日起可以申请信用修复。",
	    "credit_status: wait");
	UNIT_STREQ(render("credit_why"), "按处罚决定日期（2026年4月1日）确定：这一规定"
	    "2026年4月1日起施行。", "credit_why: by date, open-ended");
	UNIT_STREQ(render("credit_names"), "严重不清楚未经核实nil",
	    "tier_name and conf_name");
	UNIT_STREQ(render("credit_unknown"), "本站无法计算最早申请日期：这一规定的最短"
	    "公示期本站未能核实。是否可以提前停止公示由作出处罚决定的机关决定："
	    "向作出行政处罚决定的市场监督管理部门申请。",
	    "credit_repair: no date, naming who decides");
	UNIT_CHECK(strstr(render("credit_unfulfilled"), "行业主管部门的规定") != NULL,
	    "credit_status: unfulfilled past the maximum");
	UNIT_STREQ(render("credit_record"), "/credit/check?date=2025-09-08&amp;"
	    "procedure=general&amp;kind=fine&amp;kind=confiscate-gains&amp;"
	    "fine=1000.00&amp;domain=ziranziyuan&amp;tier=minor#answer",
	    "credit_record_href: the calculator filled in from a record");
	UNIT_STREQ(render("credit_pairs"), "/credit/check.ics?date=2026-10-15&amp;"
	    "party=person&amp;kind=fine&amp;kind=closure&amp;fine=30%2C000",
	    "credit_pairs: form order, kinds in list order, values encoded");
	UNIT_STREQ(render("credit_regimes"), "2023年5月1日至2026年3月31日|"
	    "2026年4月1日起|《甲》|无", "regime_span and regimes_counted_from");
}

static void
test_rep(void)
{
	const char	*s;

	UNIT_STREQ(render("rep_small"), "ababab ab,ab",
	    "a small string.rep works");
	check_fails_why("rep_huge", "string.rep(\"x\", 1e9)", "too long");
	check_fails("rep_huge_method", "(\"x\"):rep(1e9)");
	check_fails("rep_huge_sep", "string.rep(\"\", 1e9, \"ab\")");
	s = render_n("rep_over_max", TPL_MAX_REP + 1);
	UNIT_CHECK(s == NULL, "string.rep beyond TPL_MAX_REP fails");
	UNIT_STREQ(render_n("rep_over_max", TPL_MAX_REP / 4), "262144",
	    "string.rep well under TPL_MAX_REP works");
}

static void	check_compile(const char *, int, const char *);

/* A template file over TPL_MAX_SOURCE is refused; one at the limit loads. */
static void
test_source_limit(void)
{
	char	*src;

	if ((src = malloc(TPL_MAX_SOURCE + 2)) == NULL)
		abort();
	memset(src, 'x', TPL_MAX_SOURCE + 1);
	src[TPL_MAX_SOURCE + 1] = '\0';
	check_compile(src, -1, "a template of TPL_MAX_SOURCE + 1 bytes");
	src[TPL_MAX_SOURCE] = '\0';
	check_compile(src, 0, "a template of TPL_MAX_SOURCE bytes");
	free(src);
}

/* An error names the template's own line, not a line of generated Lua. */
static void
test_error_line(void)
{
	check_fails_why("line3", "an error on line 3", "line3:3: boom");
}

static void
test_globals(void)
{
	check_fails_why("global", "assigning a global", "cannot set global x");
	check_alive("assigning a global");
}

/*
 * Assigning a sandbox name (site, string, _w ...) must not reach the next
 * render; the engine makes it a compile error.
 */
static void
test_reassign(void)
{
	check_compile("<%= type(site) %>,<% site = nil %>", -1,
	    "assigning site does not compile");
	check_compile("<% string = nil %>", -1,
	    "assigning string does not compile");
	check_compile("<% _w = nil %>", -1,
	    "assigning the output function does not compile");
}

/*
 * A read-only table's pairs() gives an iterator, not the table behind it:
 * a template cannot use it to change the site for every later request.
 */
static void
test_pairs_readonly(void)
{
	UNIT_STREQ(render("pairs_leak"), "ok", "pairs over site works");
	UNIT_STREQ(render("site"), "法治", "pairs(site) did not change site");
}

/* One render must not change the library tables the next one sees. */
static void
test_no_poison(void)
{
	render("poison");
	UNIT_STREQ(render("poison_check"), "Ab",
	    "string and table cannot be changed for later renders");
}

/*
 * A loop of string.rep runs few instructions and much C: without the CPU
 * cap it would run for half a minute and succeed.
 */
static void
test_cpu_in_c(void)
{
	long	 ms = check_fails_within("cpu_in_c", "a loop of large string.rep",
	    "more than its budget of");

	UNIT_CHECK(ms < TPL_MAX_RENDER_TICKS * TPL_TICK_USEC / 1000,
	    "the byte budget stops it before the CPU limit (%ld ms)", ms);
	check_alive("a loop of large string.rep");
}

/*
 * What C makes counts against TPL_MAX_RENDER_BYTES: a render that makes a
 * quarter of it (string.rep of n bytes allocates 2n) passes, one that makes it all fails, and says why.
 */
static void
test_render_bytes(void)
{
	lua_Integer	 mb = TPL_MAX_RENDER_BYTES >> 20;
	const char	*s;
	char		 want[32];

	snprintf(want, sizeof(want), "%lld", (long long)(mb / 8) << 20);
	UNIT_STREQ(render_n("made", mb / 8), want,
	    "a render may make a quarter of TPL_MAX_RENDER_BYTES");
	s = render_n("made", mb + 1);
	UNIT_CHECK(s == NULL && logged_has("more than its budget of"),
	    "a render that makes TPL_MAX_RENDER_BYTES fails, logged");
	UNIT_STREQ(render_n("made", mb / 8), want,
	    "the next render gets the whole byte budget again");
}

/*
 * Work in C that allocates nothing ends at the CPU limit too: the tick
 * hooks the next VM instruction (unhooked, this ran for minutes).
 */
static void
test_cpu_no_alloc(void)
{
	long	 ms = check_fails_within("cpu_no_alloc",
	    "a loop comparing long strings", "CPU time");

	UNIT_CHECK(ms < 10 * TPL_MAX_RENDER_TICKS * TPL_TICK_USEC / 1000,
	    "it ends within ten times the CPU limit (%ld ms)", ms);
	check_alive("a loop comparing long strings");
}

static void
test_loop(void)
{
	check_fails_why("loop", "an infinite loop", "budget");
	check_alive("an infinite loop");
}

/*
 * Each render gets the whole budget: two runs of 60% of it both pass. The
 * budget binds once a render has outlived one tick of CPU time, so a render
 * that would run far past it (twenty times: seconds, unhooked) is stopped,
 * and the next one starts afresh.
 */
static void
test_budget_per_render(void)
{
	lua_Integer	 n = TPL_INSN_BUDGET / 10 * 6;
	const char	*s;

	UNIT_STREQ(render_n("budget_half", n), "ok",
	    "a render using 60%% of the budget works");
	UNIT_STREQ(render_n("budget_half", n), "ok",
	    "a second such render works: the budget is per render");
	s = render_n("budget_half", (lua_Integer)TPL_INSN_BUDGET * 20);
	UNIT_CHECK(s == NULL, "a render using twenty times the budget fails");
	UNIT_CHECK(logged_has("budget"), "it is stopped by the budget");
	UNIT_STREQ(render_n("budget_half", n), "ok",
	    "a render after a stopped one gets the whole budget again");
}

/*
 * A child of fork() inherits no interval timer: a template host opened
 * before the fork still stops a runaway render in the child (which is
 * killed by SIGALRM, failing the check, if it does not).
 */
static void
test_budget_after_fork(void)
{
	pid_t	 pid;
	int	 status = -1;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == 0) {
		alarm(20);
		_exit(render("loop") == NULL && logged_has("budget") ? 0 : 1);
	}
	UNIT_CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "an infinite loop is stopped in a forked child too");
}

/* A bomb fails, its memory is given back, and the next render works. */
static void
check_bomb(const char *name, const char *what)
{
	int	 kb;

	check_fails_why(name, what, "out of template memory");
	kb = lua_gc(L, LUA_GCCOUNT, 0);
	UNIT_CHECK(kb < 8 * 1024, "memory is given back after %s (%d KB held)",
	    what, kb);
	check_alive(what);
}

static void
test_memory_bombs(void)
{
	check_bomb("bomb_table", "a table memory bomb");
	check_bomb("bomb_string", "a string memory bomb");
}

/* Renders "big": count pieces of n bytes, then extra. */
static const char *
render_big(const char *extra)
{
	lua_newtable(L);
	lua_pushinteger(L, 16);
	lua_setfield(L, -2, "count");
	lua_pushinteger(L, TPL_MAX_OUTPUT / 16);
	lua_setfield(L, -2, "n");
	lua_pushstring(L, extra);
	lua_setfield(L, -2, "extra");
	return render_ctx("big");
}

static void
test_output_limit(void)
{
	const char	*s = render_big("");

	UNIT_CHECK(s != NULL && got.len == TPL_MAX_OUTPUT,
	    "a page of exactly TPL_MAX_OUTPUT bytes is served");
	s = render_big("y");
	UNIT_CHECK(s == NULL, "a page of TPL_MAX_OUTPUT+1 bytes fails");
	UNIT_CHECK(logged_has("larger than"),
	    "an oversized page is logged as \"larger than\"");
	UNIT_CHECK(lua_gettop(L) == 0,
	    "an oversized page leaves the stack empty");
	check_alive("an oversized page");
}

static void
test_error_object(void)
{
	check_fails("error_table", "error({})");
	check_alive("error({})");
}

/* Compiles a folder holding the one template src; returns tpl_compile(). */
static int
compile_one(const char *src)
{
	char		 bad[4096];
	struct tpl	*bt;
	int		 rc = -2;

	if (temp_dir(bad, sizeof(bad)) == NULL)
		return -2;
	if (write_template(bad, "bad", src) == 0 &&
	    (bt = tpl_open(LUADIR, bad)) != NULL) {
		lua_newtable(tpl_state(bt));
		rc = tpl_compile(bt);
		tpl_close(bt);
	}
	remove_tree(bad);
	return rc;
}

static void
check_compile(const char *src, int want, const char *what)
{
	int	 rc = compile_one(src);

	UNIT_CHECK(rc == want, "%s: tpl_compile returns %d (got %d)", what,
	    want, rc);
}

static void
test_compile_errors(void)
{
	check_compile("<% if %>", -1, "a Lua syntax error");
	check_compile("<p><%= 1 </p>", -1, "an unclosed <%%");
	check_compile("<%= ) %>", -1, "a bad expression");
	check_compile("<p>fine</p>", 0, "a good template");
}

/* Nothing in the syntax limits how many tags a template may hold. */
static void
test_many_tags(void)
{
	struct buf	 src = { 0 };
	int		 i;

	for (i = 0; i < 300; i++)
		buf_puts(&src, "<li><%= ctx.x %></li><%- ctx.y %>\n");
	check_compile(src.data, 0, "a template of 600 output tags");
	buf_free(&src);
}

static void
test_open_missing_luadir(void)
{
	struct tpl	*bt = tpl_open("no-such-lua-dir", dir);

	UNIT_CHECK(bt == NULL, "tpl_open without engine.lua fails");
	tpl_close(bt);
}

int
main(void)
{
	int	 rc;

	if (temp_dir(dir, sizeof(dir)) == NULL) {
		perror(dir);
		return 1;
	}
	if (write_templates() == -1 || (t = tpl_open(LUADIR, dir)) == NULL) {
		UNIT_CHECK(0, "templates written and tpl_open succeeds");
		remove_tree(dir);
		return unit_done();
	}
	L = tpl_state(t);
	lua_newtable(L);
	lua_pushstring(L, "法治");
	lua_setfield(L, -2, "title");
	rc = tpl_compile(t);
	UNIT_CHECK(rc == 0, "every test template compiles");
	test_escape();
	test_escape_ctx();
	test_raw();
	test_nil();
	test_numbers();
	test_table();
	test_site();
	test_pairs_readonly();
	test_cpu_in_c();
	test_render_bytes();
	test_cpu_no_alloc();
	test_code();
	test_trim();
	test_include();
	test_layout();
	test_fixed();
	test_unknown_template();
	test_sandbox_names();
	test_sandbox_dump();
	test_sandbox_patterns();
	test_string_ok();
	test_credit_helpers();
	test_phone();
	test_rep();
	test_globals();
	test_loop();
	test_budget_per_render();
	test_budget_after_fork();
	test_memory_bombs();
	test_output_limit();
	test_error_object();
	test_reassign();
	test_error_line();
	test_source_limit();
	test_no_poison();	/* last: it may break string and table */
	test_compile_errors();
	test_many_tags();
	test_open_missing_luadir();
	tpl_close(t);
	buf_free(&got);
	buf_free(&logged);
	remove_tree(dir);
	return unit_done();
}
