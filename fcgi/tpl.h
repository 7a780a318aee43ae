/* tpl.h: the Lua template engine host: one sandboxed Lua state per worker. */
#ifndef FAZHI_TPL_H
#define FAZHI_TPL_H

#include <stddef.h>

#include <lua.h>

/* Memory one worker's Lua state may hold, templates and data included. */
#define TPL_MEM_LIMIT		(64u << 20)
/*
 * Lua VM instructions a render may run once it has outlived one whole tick
 * of TPL_TICK_USEC of CPU time; then it is stopped (tpl.c, tpl_tick).
 */
#define TPL_INSN_BUDGET		20000000
/* CPU time between two looks at the running render: 10 ms. */
#define TPL_TICK_USEC		10000
/*
 * CPU time a render may use, in ticks (1 s). Work done in C -- string.rep,
 * upper, comparing long strings -- runs few VM instructions, so the budget
 * above cannot see it; past this time the state's allocator refuses to grow
 * and the render ends at its next VM instruction (tpl.c, tpl_tick).
 */
#define TPL_MAX_RENDER_TICKS	100
/*
 * Bytes a render may allocate in all, freed or not (a page takes some tens
 * of kilobytes): what work done in C (string.rep, upper, table.concat,
 * format, `..`) produces counts here, so a loop of such calls ends long
 * before it could use TPL_MAX_RENDER_TICKS. Twice TPL_MEM_LIMIT, so that a
 * render that holds too much meets that limit first.
 */
#define TPL_MAX_RENDER_BYTES	(128u << 20)
/*
 * Outputs fixed() keeps per partial (engine.lua): a partial whose output is
 * a function of the site and a key is rendered once per key, up to this
 * many keys; past them it is rendered each time.
 */
#define TPL_MAX_FIXED		64
/*
 * The state's small blocks (tpl.c, tpl_alloc): sizes up to TPL_SMALL_MAX are
 * rounded up to a multiple of TPL_SMALL_STEP, and freed ones are kept for
 * reuse, at most TPL_SPARE_MAX bytes of them.
 */
#define TPL_SMALL_STEP		16
#define TPL_SMALL_LISTS		16
#define TPL_SMALL_MAX		(TPL_SMALL_STEP * TPL_SMALL_LISTS)
#define TPL_SPARE_MAX		(1u << 20)
/* Largest page a render may produce. */
#define TPL_MAX_OUTPUT		(4u << 20)
/* Largest template or Lua source file read at start-up. */
#define TPL_MAX_SOURCE		(1u << 20)
/* Longest string string.rep may build inside a template. */
#define TPL_MAX_REP		(1u << 20)

/*
 * lua-cjson (2.1) writes an empty table as {}: a table that must be an
 * empty JSON array holds this string instead, which tpl_json writes as [].
 * Content can never hold it: XML has no U+0000.
 */
#define TPL_JSON_EMPTY_ARRAY	"\0[]"

struct buf;
struct tpl;

struct tpl	*tpl_open(const char *, const char *);
lua_State	*tpl_state(struct tpl *);
int		 tpl_compile(struct tpl *);
int		 tpl_render(struct tpl *, const char *, const char **, size_t *);
void		 tpl_release(struct tpl *);
long		 tpl_render_usec(struct tpl *);
int		 tpl_json(struct tpl *, const char **, size_t *);
int		 tpl_json_append(struct tpl *, struct buf *);
void		 tpl_push_empty_array(lua_State *);
void		 tpl_close(struct tpl *);

#endif
