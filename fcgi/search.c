/*
 * search.c: full-text search over cases, guides and materials, for the page
 * (/search) and the API (/api/v1/search) alike, so that both give the same
 * results. The reader's text becomes an FTS5 query in ask.c and fts.c,
 * never query syntax; the filters are tags of the index; snap.c ranks and
 * marks. When the strict query finds nothing, a correction from the site's
 * vocabulary is tried, then the relaxed query (ask.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "ask.h"
#include "buf.h"
#include "fts.h"
#include "http.h"
#include "law.h"
#include "req.h"
#include "route.h"
#include "search.h"
#include "snap.h"
#include "tpl.h"

/* Notes a wrong parameter in s. Returns -1 for the caller to pass on. */
static int
search_bad(struct search *s, const char *field, const char *code,
    const char *message)
{
	s->field = field;
	s->code = code;
	s->message = message;
	return -1;
}

/* Copies the text of q into s->q without the spaces around it. */
static int
search_text(struct search *s, const char *q)
{
	size_t	 n;

	if (q == NULL)
		q = "";
	while (*q == ' ' || *q == '\t')
		q++;
	if ((n = strlen(q)) > SEARCH_MAX_QUERY)
		return search_bad(s, "q", "query_too_long",
		    "搜索内容过长，请缩短到 40 个字以内。");
	memcpy(s->q, q, n + 1);
	while (n > 0 && (s->q[n - 1] == ' ' || s->q[n - 1] == '\t'))
		s->q[--n] = '\0';
	return 0;
}

/* Is name a section that search covers? */
static int
search_section_ok(const char *name)
{
	const struct route_section *sec = route_section(name);

	return sec != NULL && strcmp(sec->name, name) == 0 &&
	    (sec->flags & ROUTE_SEC_SEARCH);
}

/*
 * Reads and checks q, section, domain, town, year and page of the request in
 * hand. Returns 0, or -1 with s->field, s->code and s->message set.
 */
int
search_read(struct req_env *env, struct search *s)
{
	const struct http_req	*req = env->req;
	const char		*p;
	char			*end = NULL;

	memset(s, 0, sizeof(*s));
	s->page = 1;
	if (search_text(s, http_param(req, "q")) == -1)
		return -1;
	s->section = http_param(req, "section");
	s->domain = http_param(req, "domain");
	s->year = http_param(req, "year");
	s->town = http_param(req, "town");
	if (s->town != NULL && *s->town == '\0')
		s->town = NULL;
	if (s->section != NULL && *s->section == '\0')
		s->section = NULL;
	if (s->domain != NULL && *s->domain == '\0')
		s->domain = NULL;
	if (s->year != NULL && *s->year == '\0')
		s->year = NULL;
	if (s->section != NULL && !search_section_ok(s->section))
		return search_bad(s, "section", "bad_filter",
		    "栏目只能是典型案例、信用修复指南或普法资料。");
	if (s->domain != NULL && !req_known_domain(env, s->domain))
		return search_bad(s, "domain", "unknown_filter_value",
		    "没有这个执法领域。");
	if (s->town != NULL && !req_known_town(env, s->town))
		return search_bad(s, "town", "unknown_filter_value",
		    "没有这个镇街。");
	if (s->year != NULL && !req_valid_year(s->year))
		return search_bad(s, "year", "bad_filter", "年份应为四位数字。");
	if ((p = http_param(req, "page")) != NULL) {
		s->paged = 1;
		s->page = *p >= '1' && *p <= '9' && strlen(p) < 6 ?
		    strtol(p, &end, 10) : 0;
		if (s->page < 1 || s->page > REQ_MAX_PAGE || end == NULL ||
		    *end != '\0')
			return search_bad(s, "page", "bad_page",
			    "页码应为 1 到 10000 之间的整数。");
	}
	return 0;
}

/* Writes the page address of item kind/id into dst. Returns 0, or -1. */
static int
search_item_path(const char *kind, const char *id, char *dst, size_t n)
{
	const struct route_section *sec = route_section(kind);
	int	 w;

	if (sec == NULL || strcmp(sec->kind, kind) != 0 ||
	    !(sec->flags & ROUTE_SEC_SEARCH))
		return -1;
	w = snprintf(dst, n, "%s%s", sec->base, id);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

/*
 * Is the search an item's id or a case's decision number, as typed, with
 * no filter and no page asked for? Then writes the item's address into url
 * and returns 1; else 0.
 */
int
search_exact(struct req_env *env, const struct search *s, char *url,
    size_t n)
{
	lua_State	*L = tpl_state(env->tpl);
	struct buf	 norm = { 0 };
	const char	*id, *kind;
	int		 found = 0;

	if (s->section != NULL || s->domain != NULL || s->year != NULL ||
	    s->town != NULL || s->paged || fts_normalize(&norm, s->q) == -1)
		goto done;
	if (snap_rows(env->snap, L, SNAP_Q_SEARCH_EXACT, "ss", s->q,
	    norm.len > 0 ? norm.data : "") > 0) {
		lua_rawgeti(L, -1, 1);
		lua_getfield(L, -1, "id");
		lua_getfield(L, -2, "kind");
		id = lua_tostring(L, -2);
		kind = lua_tostring(L, -1);
		found = id != NULL && kind != NULL &&
		    search_item_path(kind, id, url, n) == 0;
		lua_pop(L, 3);
	}
	lua_pop(L, 1);
done:
	buf_free(&norm);
	return found;
}

/*
 * Sets b to expr (the reader's part, ask.c) with the filters of s, and the
 * section of kind (or NULL: all). Returns 0, or -1 (out of memory).
 */
static int
search_match(struct buf *b, const char *expr, const struct search *s,
    const char *kind)
{
	struct buf	 town = { 0 };
	int		 rc = 0;

	buf_reset(b);
	if (buf_puts(b, expr) == -1 ||
	    (s->domain != NULL && fts_filter(b, s->domain) == -1) ||
	    (s->year != NULL && fts_filter(b, s->year) == -1) ||
	    (kind != NULL && fts_filter(b, kind) == -1))
		rc = -1;
	if (rc == 0 && s->town != NULL && (buf_printf(&town, "%s%s",
	    ASK_TOWN_TAG, s->town) == -1 || fts_filter(b, town.data) == -1))
		rc = -1;
	buf_free(&town);
	return rc;
}

/* ask_parse's look-up: the synonym list of the snapshot in hand. */
static const char *
search_lookup(void *arg, const char *word, const char **town)
{
	const char	*means = NULL;

	return snap_synonym(arg, word, &means, town) == 1 ? means : NULL;
}

/* The matches of one search: the window of the newest, at most one more
 * than SEARCH_MAX_MATCHES (to tell "more"). A worker serves one request at
 * a time. */
static struct snap_hit	 search_hits[SEARCH_MAX_MATCHES + 1];

/*
 * Sets t.counts on the table on top: per section, its matches among the n
 * hits, each {section, kind, title, n, capped}; capped says the hits are
 * only the newest of more.
 */
static void
search_counts(lua_State *L, const struct snap_hit *hits, int n, int capped)
{
	const struct route_section *sec;
	size_t		 i;
	lua_Integer	 k = 0;
	int		 j, c;

	lua_createtable(L, ROUTE_NSECTIONS, 0);
	for (i = 0; i < ROUTE_NSECTIONS; i++) {
		sec = &route_sections[i];
		if (!(sec->flags & ROUTE_SEC_SEARCH))
			continue;
		for (c = 0, j = 0; j < n; j++)
			c += strcmp(hits[j].kind, sec->kind) == 0;
		lua_createtable(L, 0, 5);
		lua_pushstring(L, sec->name);
		lua_setfield(L, -2, "section");
		lua_pushstring(L, sec->kind);
		lua_setfield(L, -2, "kind");
		lua_pushstring(L, sec->title);
		lua_setfield(L, -2, "title");
		req_setint(L, "n", c);
		lua_pushboolean(L, capped);
		lua_setfield(L, -2, "capped");
		lua_rawseti(L, -2, ++k);
	}
	lua_setfield(L, -2, "counts");
}

/* Keeps the hits of kind only (NULL: all). Returns how many are left. */
static int
search_keep(struct snap_hit *hits, int n, const char *kind)
{
	int	 i, k = 0;

	for (i = 0; i < n; i++)
		if (kind == NULL || strcmp(hits[i].kind, kind) == 0)
			hits[k++] = hits[i];
	return k;
}

/* Best first: lower score, then the newer item (the larger docid). */
static int
search_order(const void *a, const void *b)
{
	const struct snap_hit	*x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->docid < y->docid ? 1 : x->docid > y->docid ? -1 : 0;
}

/* One way of asking: the reader's part of the query, and the relaxed
 * query's map (NULL for a strict one). */
struct search_try {
	struct buf	 expr, map;
	int		 terms;
	int		 relaxed;
};

/*
 * Runs t under the filters of s into search_hits: sets *capped, and *kind
 * to the section asked for. Returns the number of hits, or -1.
 */
static int
search_window(struct req_env *env, lua_State *L, const struct search *s,
    const struct search_try *t, int *capped, int counts)
{
	struct buf	 b = { 0 };
	const char	*kind = NULL, *map = t->relaxed ? t->map.data : NULL;
	int		 n;

	if (search_match(&b, t->expr.data, s, NULL) == -1 ||
	    (n = snap_search_window(env->snap, b.data, t->terms, map,
	    SEARCH_MAX_MATCHES + 1, search_hits)) < 0)
		goto fail;
	*capped = n > SEARCH_MAX_MATCHES;
	if (counts)
		search_counts(L, search_hits, n, *capped);
	if (s->section != NULL && search_section_ok(s->section))
		kind = route_section(s->section)->kind;
	if (kind != NULL && *capped) {
		if (search_match(&b, t->expr.data, s, kind) == -1 ||
		    (n = snap_search_window(env->snap, b.data, t->terms, map,
		    SEARCH_MAX_MATCHES + 1, search_hits)) < 0)
			goto fail;
		*capped = n > SEARCH_MAX_MATCHES;
	} else
		n = search_keep(search_hits, n, kind);
	buf_free(&b);
	return n;
fail:
	buf_free(&b);
	return -1;
}

/*
 * "Did you mean": the reader's words that are not listed, each checked
 * against the site's vocabulary; sets fix to the query with the first
 * correction found. Returns 1, 0 (none), or -1.
 */
static int
search_correct(struct req_env *env, const struct ask *a, struct buf *fix)
{
	struct buf	 one = { 0 };
	char		**words;
	int		 i, k, n = 0, rc = 0;

	if (a->number ||
	    (n = snap_vocab(env->snap, ASK_MIN_TYPO_CHARS, ASK_MAX_WORD_CHARS,
	    &words)) <= 0)
		return n < 0 ? -1 : 0;
	/* The words run together first: a typo can split a term in two
	 * ("信用休复" reads as 信用 and 休复). */
	buf_reset(fix);
	for (k = 0; k < a->nunit && rc == 0; k++)
		rc = buf_puts(fix, a->unit[k].phrase[0]);
	if (rc == 0 && a->nunit > 1 && (rc = ask_suggest(fix->data,
	    (const char *const *)words, n, &one)) == 1) {
		buf_reset(fix);
		rc = buf_puts(fix, one.data) == -1 ? -1 : 1;
		goto done;
	}
	for (i = 0; i < a->nunit && rc == 0; i++)
		if (!a->unit[i].listed)
			rc = ask_suggest(a->unit[i].phrase[0],
			    (const char *const *)words, n, &one);
	buf_reset(fix);
	for (k = 0; rc == 1 && k < a->nunit; k++)
		if ((k > 0 && buf_puts(fix, " ") == -1) ||
		    buf_puts(fix, k == i - 1 ? one.data : a->unit[k].phrase[0]) ==
		    -1)
			rc = -1;
done:
	buf_free(&one);
	return rc;
}

/* Sets t.expanded: [{word, means}] for each listed word of a that stood
 * for official terms or a town. */
static void
search_expanded(lua_State *L, const struct ask *a)
{
	const struct ask_unit	*u;
	struct buf		 m = { 0 };
	int			 i, k, n = 0;

	lua_createtable(L, 0, 0);
	for (i = 0; i < a->nunit; i++) {
		u = &a->unit[i];
		if (!u->listed || u->nphrase < 2)
			continue;
		buf_reset(&m);
		for (k = 1; k < u->nphrase - u->town; k++)
			if ((k > 1 && buf_puts(&m, "、") == -1) ||
			    buf_puts(&m, u->phrase[k]) == -1)
				break;
		lua_createtable(L, 0, 2);
		req_setstr(L, "word", u->phrase[0]);
		lua_pushlstring(L, m.data != NULL ? m.data : "", m.len);
		lua_setfield(L, -2, "means");
		lua_rawseti(L, -2, ++n);
	}
	buf_free(&m);
	lua_setfield(L, -2, "expanded");
}

/*
 * Finds what s asks for, into search_hits: the strict query of what was
 * typed; when that finds nothing, the strict query of the correction (if
 * one finds something: t.corrected), then the relaxed one (t.partial).
 * Sets t.suggestion, t.number, t.dropped and t.expanded. Returns the
 * number of hits, 0 for nothing searchable (*none), or -1.
 */
static int
search_find(struct req_env *env, lua_State *L, const struct search *s,
    struct search_try *t, int *capped, int *none)
{
	static struct ask	 a, fixed;
	struct buf		 fix = { 0 };
	int			 n, rc;

	*none = ask_parse(&a, s->q, search_lookup, env->snap) == 0;
	if (*none || (t->terms = ask_strict(&a, &t->expr)) <= 0)
		return *none ? 0 : -1;
	lua_pushboolean(L, a.number);
	lua_setfield(L, -2, "number");
	lua_pushboolean(L, a.dropped);
	lua_setfield(L, -2, "dropped");
	search_expanded(L, &a);
	if ((n = search_window(env, L, s, t, capped, 1)) != 0 || a.number)
		return n;
	if ((rc = search_correct(env, &a, &fix)) == 1) {
		req_setstr(L, "suggestion", fix.data);
		if (ask_parse(&fixed, fix.data, search_lookup, env->snap) > 0 &&
		    (t->terms = ask_strict(&fixed, &t->expr)) > 0 &&
		    (n = search_window(env, L, s, t, capped, 1)) > 0) {
			req_setstr(L, "corrected", fix.data);
			goto done;
		}
	}
	n = rc == -1 ? -1 : 0;
	if (n == 0 && (t->terms = ask_relaxed(&a, &t->expr, &t->map)) > 0) {
		t->relaxed = 1;
		if ((n = search_window(env, L, s, t, capped, 1)) > 0) {
			lua_pushboolean(L, 1);
			lua_setfield(L, -2, "partial");
		}
	}
done:
	buf_free(&fix);
	return n;
}

/*
 * When s->q names an article of a law of content/laws (消防法第二十八条,
 * 行政处罚法 51条), sets law on the table on top of the stack: the law's
 * id, title and short name, and the article's n, label, verified (a
 * boolean), html and summary. The results are searched as usual: the citing items hold the
 * same reference in their searched text (content.c).
 */
static void
search_law(struct req_env *env, lua_State *L, const struct search *s)
{
	char	 name[SEARCH_MAX_QUERY + 1], n[16];
	int	 at, article, sub;

	if ((at = law_query_article(s->q, &article, &sub)) <= 0)
		return;
	memcpy(name, s->q, (size_t)at);
	name[at] = '\0';
	if (snap_rows(env->snap, L, SNAP_Q_LAW_BY_NAME, "s", name) < 1) {
		lua_pop(L, 1);
		return;
	}
	lua_rawgeti(L, -1, 1);
	lua_remove(L, -2);
	if (sub > 0)
		snprintf(n, sizeof(n), "%d-%d", article, sub);
	else
		snprintf(n, sizeof(n), "%d", article);
	lua_getfield(L, -1, "id");
	if (snap_rows(env->snap, L, SNAP_Q_LAW_ARTICLE, "ss", lua_tostring(L, -1),
	    n) < 1) {
		lua_pop(L, 3);
		return;
	}
	lua_rawgeti(L, -1, 1);
	lua_getfield(L, -1, "verified");
	lua_pushboolean(L, lua_tointeger(L, -1) != 0);
	lua_setfield(L, -3, "verified");
	lua_pop(L, 1);
	lua_setfield(L, -4, "article");
	lua_pop(L, 2);
	lua_setfield(L, -2, "law");
}

/*
 * Runs search s and sets on the table on top of the stack: counts (per
 * section), total (matches shown, at most SEARCH_MAX_MATCHES), capped
 * (there are more), page, pages, per_page and results (the page's rows:
 * id, kind, title, published, summary, domain, title_html, snippet_html,
 * snippet, keywords_html when only keywords matched); and how the search
 * read the text: number, dropped, expanded, suggestion, corrected,
 * partial (search_find). Returns 0; 1 when nothing in s->q can be searched
 * (only punctuation, say); 2 when s->page is past the last page; -1 on
 * failure.
 */
int
search_run(struct req_env *env, lua_State *L, const struct search *s)
{
	struct search_try	 t = { { 0 }, { 0 }, 0, 0 };
	long			 pages, first;
	int			 rc = -1, n, capped = 0, shown, none;

	search_law(env, L, s);
	if ((n = search_find(env, L, s, &t, &capped, &none)) < 0 || none) {
		rc = none ? 1 : -1;
		goto done;
	}
	if (n == 0) {
		search_counts(L, search_hits, 0, 0);
		snap_rows(env->snap, L, SNAP_Q_POPULAR, "");
		lua_setfield(L, -2, "popular");
	}
	shown = n > SEARCH_MAX_MATCHES ? SEARCH_MAX_MATCHES : n;
	qsort(search_hits, shown, sizeof(search_hits[0]), search_order);
	pages = (shown + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE;
	lua_pushboolean(L, capped);
	lua_setfield(L, -2, "capped");
	req_setint(L, "total", shown);
	req_setint(L, "pages", pages);
	req_setint(L, "page", s->page);
	req_setint(L, "per_page", SEARCH_PER_PAGE);
	if (s->page > 1 && s->page > pages) {
		rc = 2;
		goto done;
	}
	first = (s->page - 1) * SEARCH_PER_PAGE;
	n = shown - first < SEARCH_PER_PAGE ? (int)(shown - first) : SEARCH_PER_PAGE;
	if (snap_search_items(env->snap, L, search_hits + first, n,
	    t.expr.data) == -1) {
		lua_pop(L, 1);
		goto done;
	}
	lua_setfield(L, -2, "results");
	rc = 0;
done:
	buf_free(&t.expr);
	buf_free(&t.map);
	return rc;
}
