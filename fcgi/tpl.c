/*
 * tpl.c: hosts the template engine (lua/engine.lua) in a Lua state whose
 * memory, instruction count and output are capped, and whose templates see
 * only a read-only sandbox: no io, os, load, require, debug or bytecode.
 */
#include <sys/stat.h>
#include <sys/time.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lualib.h>
#include <lua-cjson.h>

#include "buf.h"
#include "esc.h"
#include "log.h"
#include "mem.h"
#include "route.h"
#include "tpl.h"

struct tpl {
	lua_State	*L;
	size_t		 mem;		/* bytes the state holds now */
	char		*luadir;	/* engine.lua and view.lua */
	char		*tpldir;	/* *.html templates, one level of subfolders */
	int		 render_ref;	/* registry ref of engine.render */
	int		 init_ref;	/* registry ref of engine.init */
	int		 helpers_ref;	/* registry ref of view.lua's table */
	int		 json_ref;	/* registry ref of cjson.encode */
	int		 top;		/* stack height to restore after a render */
	struct buf	 out[2];	/* the page, and the page it wraps */
	int		 cur;		/* out[cur] is being written */
	void		*spare[TPL_SMALL_LISTS]; /* freed small blocks, by size */
	size_t		 spared;	/* bytes held on those lists */
	long		 render_usec;	/* time in tpl_render, since asked */
	size_t		 made;		/* bytes the render in hand allocated */
	int		 overmade;	/* it went past TPL_MAX_RENDER_BYTES */
};

/*
 * The state's memory. A render makes and drops some hundred small objects
 * (tables, their parts, strings), and malloc and free cost more than the
 * rest of what they do: blocks of up to TPL_SMALL_MAX bytes are rounded up
 * to a multiple of TPL_SMALL_STEP and, once freed, kept on a list per size
 * for the next object of that size, up to TPL_SPARE_MAX bytes in all.
 * Sanitizer builds use malloc for every block, so that they still see
 * every misuse of the state's memory.
 */
#if defined(__SANITIZE_ADDRESS__)
#define TPL_PLAIN_ALLOC	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TPL_PLAIN_ALLOC	1
#endif
#endif
#ifndef TPL_PLAIN_ALLOC
#define TPL_PLAIN_ALLOC	0
#endif

/* The spare list of a small size (1 .. TPL_SMALL_MAX), and its block size. */
#define TPL_CLASS(n)		(((n) - 1) / TPL_SMALL_STEP)
#define TPL_CLASS_SIZE(c)	(((size_t)(c) + 1) * TPL_SMALL_STEP)

/* A block for n bytes (n > 0), from the spare lists when small; NULL when out. */
static void *
tpl_get(struct tpl *t, size_t n)
{
	void	*p;
	size_t	 c;

	if (TPL_PLAIN_ALLOC || n > TPL_SMALL_MAX)
		return malloc(n);
	c = TPL_CLASS(n);
	if ((p = t->spare[c]) == NULL)
		return malloc(TPL_CLASS_SIZE(c));
	memcpy(&t->spare[c], p, sizeof(p));	/* the next one */
	t->spared -= TPL_CLASS_SIZE(c);
	return p;
}

/*
 * Gives back block p, which holds at least n bytes: a small one goes on
 * its list while they hold less than TPL_SPARE_MAX bytes.
 */
static void
tpl_drop(struct tpl *t, void *p, size_t n)
{
	size_t	 c;

	if (TPL_PLAIN_ALLOC || n > TPL_SMALL_MAX ||
	    t->spared + TPL_SMALL_MAX > TPL_SPARE_MAX) {
		free(p);
		return;
	}
	c = TPL_CLASS(n);
	memcpy(p, &t->spare[c], sizeof(p));
	t->spare[c] = p;
	t->spared += TPL_CLASS_SIZE(c);
}

/* Frees every spare block. */
static void
tpl_drop_spares(struct tpl *t)
{
	void	*p, *next;
	size_t	 c;

	for (c = 0; c < TPL_SMALL_LISTS; c++)
		for (p = t->spare[c], t->spare[c] = NULL; p != NULL; p = next) {
			memcpy(&next, p, sizeof(next));
			free(p);
		}
	t->spared = 0;
}

/*
 * Moves block ptr of old bytes to a block of nsize bytes, both non-zero:
 * the same block when both round to the same small size. Returns NULL when
 * out of memory (ptr unchanged).
 */
static void *
tpl_move(struct tpl *t, void *ptr, size_t old, size_t nsize)
{
	void	*p;

	if (TPL_PLAIN_ALLOC || (old > TPL_SMALL_MAX && nsize > TPL_SMALL_MAX))
		return realloc(ptr, nsize);
	if (old <= TPL_SMALL_MAX && nsize <= TPL_SMALL_MAX &&
	    TPL_CLASS(old) == TPL_CLASS(nsize))
		return ptr;
	if ((p = tpl_get(t, nsize)) == NULL)
		return NULL;
	memcpy(p, ptr, old < nsize ? old : nsize);
	tpl_drop(t, ptr, old);
	return p;
}

/* Set by the tick when a render has used TPL_MAX_RENDER_TICKS of CPU. */
static volatile sig_atomic_t	 tpl_overtime;
static lua_State *volatile	 tpl_running;	/* the state rendering, or NULL */

/*
 * lua_Alloc that refuses to grow the state past TPL_MEM_LIMIT, or at all
 * once the render has run out of CPU time (tpl_tick), and counts what a
 * render allocates against TPL_MAX_RENDER_BYTES: every byte that string.rep,
 * upper, table.concat, format or `..` make in C comes from here.
 */
static void *
tpl_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct tpl	*t = ud;
	size_t		 old = ptr != NULL ? osize : 0;
	void		*p;

	if (tpl_overtime && nsize > old)
		return NULL;

	if (nsize == 0) {
		if (ptr != NULL)
			tpl_drop(t, ptr, old);
		t->mem -= old;
		return NULL;
	}
	if (nsize > old && t->mem + (nsize - old) > TPL_MEM_LIMIT)
		return NULL;
	if (nsize > old && tpl_running != NULL && tpl_running == t->L) {
		if (nsize - old > TPL_MAX_RENDER_BYTES - t->made) {
			t->overmade = 1;
			return NULL;
		}
		t->made += nsize - old;
	}
	p = ptr != NULL ? tpl_move(t, ptr, old, nsize) : tpl_get(t, nsize);
	if (p == NULL)
		return nsize <= old ? ptr : NULL; /* Lua: shrinking never fails */
	t->mem = t->mem - old + nsize;
	return p;
}

/*
 * Appends n bytes to the page; a page past TPL_MAX_OUTPUT is an error. A
 * page is a few hundred of these: the common case, room in the buffer, is
 * a copy and no call.
 */
static inline void
tpl_put(lua_State *L, struct tpl *t, const char *s, size_t n)
{
	struct buf	*b = &t->out[t->cur];

	if (n < b->cap - b->len && b->len + n <= TPL_MAX_OUTPUT) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	if (b->len + n > TPL_MAX_OUTPUT)
		luaL_error(L, "page larger than %d bytes", (int)TPL_MAX_OUTPUT);
	if (buf_add(b, s, n) == -1)
		luaL_error(L, "out of memory for the page");
}

/*
 * Appends the value at idx as text: strings as they are (escaped when esc),
 * numbers in Lua's format, booleans by name, nil as nothing; anything else
 * is an error.
 */
static void
tpl_emit(lua_State *L, struct tpl *t, int idx, int esc)
{
	const char	*s, *ent;
	size_t		 n, span;
	int		 pushed = 0;

	/* Strings, and numbers (turned into strings in their slot), first. */
	if ((s = lua_tolstring(L, idx, &n)) == NULL) {
		switch (lua_type(L, idx)) {
		case LUA_TNIL:
			return;
		case LUA_TBOOLEAN:
			s = luaL_tolstring(L, idx, &n);
			pushed = 1;
			break;
		default:
			luaL_error(L, "cannot print a %s", luaL_typename(L, idx));
			return;
		}
	}
	while (esc && (span = esc_html_span(s, n)) < n) {
		tpl_put(L, t, s, span);
		ent = esc_html_entity((unsigned char)s[span]);
		tpl_put(L, t, ent, strlen(ent));
		s += span + 1;
		n -= span + 1;
	}
	tpl_put(L, t, s, n);
	if (pushed)
		lua_pop(L, 1);
}

/*
 * _w(raw, esc, raw, esc, ...): the one output call of compiled templates.
 * Odd arguments are printed as they are (template text, or fragments the
 * builder already made safe), even ones HTML-escaped.
 */
static int
tpl_write(lua_State *L)
{
	struct tpl	*t = lua_touserdata(L, lua_upvalueindex(1));
	int		 i, n = lua_gettop(L);

	for (i = 1; i <= n; i++)
		tpl_emit(L, t, i, i % 2 == 0);
	return 0;
}

/* wrap(): starts a new page that will wrap the one just rendered (layouts). */
static int
tpl_wrap(lua_State *L)
{
	struct tpl	*t = lua_touserdata(L, lua_upvalueindex(1));

	t->cur ^= 1;
	buf_reset(&t->out[t->cur]);
	return 0;
}

/* content(): prints the wrapped page here; a layout calls it once. */
static int
tpl_content(lua_State *L)
{
	struct tpl	*t = lua_touserdata(L, lua_upvalueindex(1));
	struct buf	*inner = &t->out[t->cur ^ 1];

	tpl_put(L, t, inner->data ? inner->data : "", inner->len);
	return 0;
}

/* mark(): the length of the page being written, for since(). */
static int
tpl_mark(lua_State *L)
{
	struct tpl	*t = lua_touserdata(L, lua_upvalueindex(1));

	lua_pushinteger(L, (lua_Integer)t->out[t->cur].len);
	return 1;
}

/* since(mark): what the page being written gained after mark(), as a string. */
static int
tpl_since(lua_State *L)
{
	struct tpl	*t = lua_touserdata(L, lua_upvalueindex(1));
	struct buf	*b = &t->out[t->cur];
	lua_Integer	 m = luaL_checkinteger(L, 1);

	if (m < 0 || (size_t)m > b->len)
		return luaL_error(L, "since: no such mark");
	lua_pushlstring(L, b->data ? b->data + m : "", b->len - (size_t)m);
	return 1;
}

/* string.rep with a bound: a C loop the instruction hook cannot interrupt. */
static int
tpl_rep(lua_State *L)
{
	size_t		 n, sepn = 0;
	lua_Integer	 k = luaL_checkinteger(L, 2);

	luaL_checklstring(L, 1, &n);
	luaL_optlstring(L, 3, "", &sepn);
	/* k itself is bounded too: rep("", 1e15) is a long loop of nothing. */
	if (k > (lua_Integer)TPL_MAX_REP ||
	    (k > 0 && n + sepn > 0 && (size_t)k > TPL_MAX_REP / (n + sepn)))
		return luaL_error(L, "string.rep: result too long");
	lua_getfield(L, lua_upvalueindex(1), "rep");
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

/* Count hook: the render ran TPL_INSN_BUDGET instructions. */
static void
tpl_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	luaL_error(L, "template exceeded its budget of %d instructions",
	    TPL_INSN_BUDGET);
}

/*
 * The instruction budget, without its cost on every render. A count hook
 * sends each VM instruction through the debug library's trace path, which
 * makes a page about a sixth dearer. So renders start unhooked, and a timer
 * that counts the process's user CPU time, started once per process, ticks
 * every TPL_TICK_USEC: a tick that finds the render of the tick before still
 * running arms the count hook on it (lua_sethook may be called from a signal
 * handler). A render that outlives one whole tick thus gets TPL_INSN_BUDGET
 * more instructions; a runaway one is stopped as before. No system call is
 * made per render.
 */
static volatile sig_atomic_t	 tpl_render_seq; /* bumped as each render starts */
static volatile sig_atomic_t	 tpl_hooked;	/* the hook is armed on it */
static volatile sig_atomic_t	 tpl_ticking;	/* the timer runs in this process */
static int			 tpl_users;	/* open tpl hosts in this process */

/*
 * SIGVTALRM: arms the budget on a render that was running at the last tick
 * too, and stops one that has run TPL_MAX_RENDER_TICKS: its allocations
 * fail from now on, and the hook ends it at its next VM instruction (work
 * in C that allocates nothing, utf8.len of a long string or comparing two,
 * returns to the VM soon).
 */
static void
tpl_tick(int sig)
{
	static sig_atomic_t	 seen = -1;	/* the render of the last tick */
	static sig_atomic_t	 ticks;		/* ticks it has been running */
	lua_State		*L = tpl_running;
	int			 saved = errno;

	(void)sig;
	ticks = L != NULL && tpl_render_seq == seen ? ticks + 1 : 0;
	/* Once: arming again would restart the count. */
	if (L != NULL && !tpl_hooked && tpl_render_seq == seen) {
		lua_sethook(L, tpl_hook, LUA_MASKCOUNT, TPL_INSN_BUDGET);
		tpl_hooked = 1;
	}
	if (L != NULL && ticks >= TPL_MAX_RENDER_TICKS) {
		tpl_overtime = 1;
		lua_sethook(L, tpl_hook, LUA_MASKCOUNT, 1);
	}
	seen = tpl_render_seq;
	errno = saved;
}

/* A child of fork() inherits no interval timer: it starts its own. */
static void
tpl_tick_forked(void)
{
	tpl_ticking = 0;
}

/*
 * Starts the tick for this process, once. Returns 0, or -1 (logged) when it
 * cannot, and then each render is hooked from its first instruction.
 */
static int
tpl_tick_start(void)
{
	static int		 atfork, failed;
	struct sigaction	 sa;
	struct itimerval	 it;

	if (tpl_ticking)
		return 0;
	if (failed)
		return -1;
	if (!atfork && pthread_atfork(NULL, NULL, tpl_tick_forked) == 0)
		atfork = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tpl_tick;
	sa.sa_flags = SA_RESTART;	/* a tick never fails a system call */
	sigemptyset(&sa.sa_mask);
	memset(&it, 0, sizeof(it));
	it.it_interval.tv_usec = it.it_value.tv_usec = TPL_TICK_USEC;
	if (!atfork || sigaction(SIGVTALRM, &sa, NULL) == -1 ||
	    setitimer(ITIMER_VIRTUAL, &it, NULL) == -1) {
		log_warn("template budget timer");
		failed = 1;
		return -1;
	}
	tpl_ticking = 1;
	return 0;
}

/* Stops the tick when the last template host of the process closes. */
static void
tpl_tick_stop(void)
{
	struct itimerval	 it;

	if (!tpl_ticking)
		return;
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_VIRTUAL, &it, NULL);
	tpl_ticking = 0;
}

/*
 * Builds the string table templates may use, and points the string
 * metatable at it, so ("x"):rep(1e9) or s:find(evil) cannot get around the
 * sandbox. Trusted Lua keeps the full table through the global `string`.
 * Pattern functions are left out: their backtracking runs in C, beyond the
 * instruction budget.
 */
static void
tpl_safe_string(lua_State *L)
{
	static const char *const keep[] = { "byte", "char", "format", "len",
	    "lower", "upper", "sub", "reverse", NULL };
	int	 i;

	lua_getglobal(L, "string");
	lua_newtable(L);
	for (i = 0; keep[i] != NULL; i++) {
		lua_getfield(L, -2, keep[i]);
		lua_setfield(L, -2, keep[i]);
	}
	lua_pushvalue(L, -2);
	lua_pushcclosure(L, tpl_rep, 1);
	lua_setfield(L, -2, "rep");
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushvalue(L, -3);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 2);			/* metatable, "" */
	lua_remove(L, -2);		/* full string table; safe one stays */
}

/* Reads a whole file of at most TPL_MAX_SOURCE bytes into b. */
static int
tpl_read(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;
	int	 rc = -1;

	buf_reset(b);
	if ((f = fopen(path, "r")) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > TPL_MAX_SOURCE) {
			log_warnx("%s: larger than %u bytes", path, TPL_MAX_SOURCE);
			goto fail;
		}
		if (buf_add(b, chunk, n) == -1)
			goto fail;
	}
	if (!ferror(f))
		rc = 0;
fail:
	fclose(f);
	return rc;
}

/* Runs the trusted Lua file dir/name with one argument on the stack; leaves its result. */
static int
tpl_dofile(struct tpl *t, const char *name)
{
	struct buf	 src = { 0 };
	char		 path[4096];
	int		 rc = -1;

	snprintf(path, sizeof(path), "%s/%s", t->luadir, name);
	if (tpl_read(path, &src) == -1)
		goto fail;
	if (luaL_loadbufferx(t->L, src.data ? src.data : "", src.len, path,
	    "t") != LUA_OK) {
		log_warnx("%s", lua_tostring(t->L, -1));
		goto fail;
	}
	lua_insert(t->L, -2);		/* chunk below its argument */
	if (lua_pcall(t->L, 1, 1, 0) != LUA_OK) {
		log_warnx("%s", lua_tostring(t->L, -1));
		goto fail;
	}
	rc = 0;
fail:
	buf_free(&src);
	return rc;
}

/*
 * Sets t.sections on the table on top of the stack: route.c's sections, in
 * order, each {name, base, kind, title, filters, feed (or nil)}, for
 * view.lua.
 */
static void
tpl_push_sections(lua_State *L)
{
	const struct route_section *sec;
	size_t		 i, j;

	lua_createtable(L, ROUTE_NSECTIONS, 0);
	for (i = 0; i < ROUTE_NSECTIONS; i++) {
		sec = &route_sections[i];
		lua_createtable(L, 0, 6);
		lua_pushstring(L, sec->name);
		lua_setfield(L, -2, "name");
		lua_pushstring(L, sec->base);
		lua_setfield(L, -2, "base");
		lua_pushstring(L, sec->kind);
		lua_setfield(L, -2, "kind");
		lua_pushstring(L, sec->title);
		lua_setfield(L, -2, "title");
		lua_newtable(L);
		for (j = 0; sec->filters[j] != NULL; j++) {
			lua_pushstring(L, sec->filters[j]);
			lua_rawseti(L, -2, (lua_Integer)j + 1);
		}
		lua_setfield(L, -2, "filters");
		if (sec->flags & ROUTE_SEC_FEED) {
			lua_pushfstring(L, "/feeds/%s.atom", sec->name);
			lua_setfield(L, -2, "feed");
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "sections");
}

/* The table of C functions and data handed to engine.lua and view.lua. */
static void
tpl_push_host(struct tpl *t)
{
	static const luaL_Reg fns[] = { { "write", tpl_write },
	    { "wrap", tpl_wrap }, { "content", tpl_content },
	    { "mark", tpl_mark }, { "since", tpl_since }, { NULL, NULL } };
	lua_State	*L = t->L;

	lua_newtable(L);
	lua_pushlightuserdata(L, t);
	luaL_setfuncs(L, fns, 1);
	lua_pushinteger(L, TPL_MAX_FIXED);
	lua_setfield(L, -2, "max_fixed");
	tpl_push_sections(L);
	tpl_safe_string(L);
	lua_setfield(L, -2, "safe_string");
	luaL_requiref(L, "cjson", luaopen_cjson, 0);
	lua_getfield(L, -1, "encode");
	lua_pushvalue(L, -1);
	t->json_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_setfield(L, -3, "json_encode");
	lua_pop(L, 1);
}

/* Opens the libraries trusted code needs; io, os, package, debug stay closed. */
static void
tpl_openlibs(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base }, { LUA_STRLIBNAME, luaopen_string },
		{ LUA_TABLIBNAME, luaopen_table }, { LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 }, { NULL, NULL } };
	const luaL_Reg	*l;

	for (l = libs; l->name != NULL; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}
}

/*
 * Creates a worker's template host: a capped Lua state with the engine and
 * view helpers loaded from luadir. Templates are compiled by tpl_compile().
 * Returns NULL (logged) on failure.
 */
struct tpl *
tpl_open(const char *luadir, const char *tpldir)
{
	struct tpl	*t;

	if ((t = mem_calloc(1, sizeof(*t))) == NULL)
		return NULL;
	tpl_users++;
	t->render_ref = t->init_ref = t->helpers_ref = t->json_ref = LUA_NOREF;
	if ((t->luadir = mem_strdup(luadir)) == NULL ||
	    (t->tpldir = mem_strdup(tpldir)) == NULL)
		goto fail;
	if ((t->L = lua_newstate(tpl_alloc, t)) == NULL) {
		log_warnx("cannot create a Lua state");
		goto fail;
	}
	tpl_openlibs(t->L);
	tpl_push_host(t);
	lua_pushvalue(t->L, -1);
	if (tpl_dofile(t, "view.lua") == -1)
		goto fail;
	t->helpers_ref = luaL_ref(t->L, LUA_REGISTRYINDEX);
	if (tpl_dofile(t, "engine.lua") == -1)
		goto fail;
	lua_getfield(t->L, -1, "render");
	t->render_ref = luaL_ref(t->L, LUA_REGISTRYINDEX);
	lua_getfield(t->L, -1, "init");
	t->init_ref = luaL_ref(t->L, LUA_REGISTRYINDEX);
	lua_settop(t->L, 0);
	return t;
fail:
	tpl_close(t);
	return NULL;
}

lua_State *
tpl_state(struct tpl *t)
{
	return t->L;
}

/* Reads dir's *.html into the table on top of the stack, named by path. */
static int
tpl_load_dir(struct tpl *t, const char *dir, const char *prefix, int depth)
{
	struct dirent	*de;
	struct buf	 src = { 0 };
	struct stat	 st;
	char		 path[4096], name[512];
	size_t		 n;
	DIR		*d;
	int		 rc = 0;

	if ((d = opendir(dir)) == NULL) {
		log_warn("%s", dir);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(name, sizeof(name), "%s%s", prefix, de->d_name);
		if (stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode) && depth > 0) {
			strncat(name, "/", sizeof(name) - strlen(name) - 1);
			rc = tpl_load_dir(t, path, name, depth - 1);
			continue;
		}
		n = strlen(name);
		if (n < 6 || strcmp(name + n - 5, ".html") != 0)
			continue;
		if ((rc = tpl_read(path, &src)) == 0) {
			lua_pushlstring(t->L, name, n - 5);
			lua_pushlstring(t->L, src.data ? src.data : "", src.len);
			lua_settable(t->L, -3);
		}
	}
	closedir(d);
	buf_free(&src);
	return rc;
}

/*
 * Compiles every template, with the site description on top of the stack
 * (popped) made visible to them as `site`. Then closes the loader to trusted
 * code too. Returns 0, or -1 with each template error logged.
 */
int
tpl_compile(struct tpl *t)
{
	static const char *const unsafe[] = { "load", "loadfile", "dofile",
	    "collectgarbage", "require", "print", NULL };
	lua_State	*L = t->L;
	int		 i;

	lua_rawgeti(L, LUA_REGISTRYINDEX, t->init_ref);
	lua_insert(L, -2);			/* init, site */
	lua_newtable(L);
	if (tpl_load_dir(t, t->tpldir, "", 1) == -1) {
		lua_settop(L, 0);
		return -1;
	}
	lua_insert(L, -2);			/* init, sources, site */
	lua_rawgeti(L, LUA_REGISTRYINDEX, t->helpers_ref);
	lua_insert(L, -2);			/* init, sources, helpers, site */
	if (lua_pcall(L, 3, 2, 0) != LUA_OK || !lua_toboolean(L, -2)) {
		log_warnx("templates: %s", lua_tostring(L, -1));
		lua_settop(L, 0);
		return -1;
	}
	for (i = 0; unsafe[i] != NULL; i++) {
		lua_pushnil(L);
		lua_setglobal(L, unsafe[i]);
	}
	lua_settop(L, 0);
	lua_gc(L, LUA_GCCOLLECT);
	/*
	 * Generational: the templates and site data live as long as the
	 * worker, a render's data dies young; minor collections skip the old.
	 */
	lua_gc(L, LUA_GCGEN, 0, 0);
	return 0;
}

/*
 * Renders template name with the context table on top of the stack (popped).
 * On success *out and *len hold the page, valid until tpl_release(), and it
 * returns 0. On any failure -- a Lua error, the memory cap, the instruction
 * budget, an oversized page -- it logs why, leaves the state usable for the
 * next request and returns -1.
 */
int
tpl_render(struct tpl *t, const char *name, const char **out, size_t *len)
{
	lua_State	*L = t->L;
	struct timespec	 t0, t1;
	int		 rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	t->top = lua_gettop(L) - 1;
	t->cur = 0;
	buf_reset(&t->out[0]);
	lua_rawgeti(L, LUA_REGISTRYINDEX, t->render_ref);
	lua_pushstring(L, name);
	lua_rotate(L, -3, 2);			/* render, name, ctx */
	if (tpl_tick_start() == -1)
		lua_sethook(L, tpl_hook, LUA_MASKCOUNT, TPL_INSN_BUDGET);
	tpl_render_seq = (tpl_render_seq + 1) & 0xffff;
	tpl_hooked = 0;
	tpl_overtime = 0;
	t->made = 0;
	t->overmade = 0;
	tpl_running = L;
	rc = lua_pcall(L, 2, 0, 0);
	tpl_running = NULL;
	lua_sethook(L, NULL, 0, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	t->render_usec += (t1.tv_sec - t0.tv_sec) * 1000000L +
	    (t1.tv_nsec - t0.tv_nsec) / 1000;
	if (rc != LUA_OK) {
		if (tpl_overtime)
			log_warnx("template %s: used more than its CPU time (%d "
			    "ms)", name, TPL_MAX_RENDER_TICKS * TPL_TICK_USEC / 1000);
		else if (t->overmade)
			log_warnx("template %s: made more than its budget of %u "
			    "bytes", name, TPL_MAX_RENDER_BYTES);
		else
			log_warnx("template %s: %s", name, rc == LUA_ERRMEM ?
			    "out of template memory" : lua_type(L, -1) ==
			    LUA_TSTRING ? lua_tostring(L, -1) :
			    "error with a non-string value");
		tpl_overtime = 0;
		tpl_release(t);
		lua_gc(L, LUA_GCCOLLECT);
		return -1;
	}
	*out = t->out[t->cur].data ? t->out[t->cur].data : "";
	*len = t->out[t->cur].len;
	return 0;
}

/* Time spent in tpl_render since the last call, in microseconds. */
long
tpl_render_usec(struct tpl *t)
{
	long	 us = t->render_usec;

	t->render_usec = 0;
	return us;
}

/* Pushes the value that tpl_json writes as an empty JSON array. */
void
tpl_push_empty_array(lua_State *L)
{
	lua_pushlstring(L, TPL_JSON_EMPTY_ARRAY, sizeof(TPL_JSON_EMPTY_ARRAY) - 1);
}

/*
 * Appends the JSON text of the value on top of the stack (popped) to b,
 * encoded by lua-cjson, with each TPL_JSON_EMPTY_ARRAY written as [].
 * Returns 0, or -1 (logged) when the value cannot be encoded (a function,
 * a sparse array, too deep) or memory runs out.
 */
int
tpl_json_append(struct tpl *t, struct buf *b)
{
	static const char	 mark[] = "\"\\u0000[]\"";	/* as cjson writes it */
	lua_State		*L = t->L;
	const char		*s, *hit;
	size_t			 n;
	int			 rc = -1;

	lua_rawgeti(L, LUA_REGISTRYINDEX, t->json_ref);
	lua_insert(L, -2);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		log_warnx("json: %s", lua_type(L, -1) == LUA_TSTRING ?
		    lua_tostring(L, -1) : "out of memory");
		goto done;
	}
	s = lua_tolstring(L, -1, &n);
	while ((hit = memmem(s, n, mark, sizeof(mark) - 1)) != NULL) {
		if (buf_add(b, s, (size_t)(hit - s)) == -1 || buf_add(b, "[]", 2) == -1)
			goto done;
		n -= (size_t)(hit - s) + sizeof(mark) - 1;
		s = hit + sizeof(mark) - 1;
	}
	if (buf_add(b, s, n) == 0)
		rc = 0;
done:
	lua_pop(L, 1);
	return rc;
}

/*
 * Encodes the value on top of the stack (popped) as the response body, the
 * way tpl_render writes a page: *out and *len stay valid until
 * tpl_release(). Returns 0, or -1 (logged).
 */
int
tpl_json(struct tpl *t, const char **out, size_t *len)
{
	t->top = lua_gettop(t->L) - 1;
	t->cur = 0;
	buf_reset(&t->out[0]);
	if (tpl_json_append(t, &t->out[0]) == -1 ||
	    t->out[0].len > TPL_MAX_OUTPUT) {
		buf_reset(&t->out[0]);
		return -1;
	}
	*out = t->out[0].data ? t->out[0].data : "";
	*len = t->out[0].len;
	return 0;
}

/* Ends a render: drops what it left on the stack; the page stays until the next. */
void
tpl_release(struct tpl *t)
{
	lua_settop(t->L, t->top);
}

void
tpl_close(struct tpl *t)
{
	if (t == NULL)
		return;
	if (--tpl_users == 0)
		tpl_tick_stop();
	if (t->L != NULL)
		lua_close(t->L);
	tpl_drop_spares(t);
	buf_free(&t->out[0]);
	buf_free(&t->out[1]);
	mem_free(t->luadir);
	mem_free(t->tpldir);
	mem_free(t);
}
