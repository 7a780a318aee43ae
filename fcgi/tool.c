/*
 * tool.c: the credit tools' answers. The calculator reads its parameters and
 * assesses them once (credit.c) into a struct tool_check; the look-up finds
 * the records of a decision number or credit code, each assessed as of
 * today. tool_push_answer pushes an answer as the one table that the page
 * shows and the API returns, the same fields for both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "credit.h"
#include "fts.h"
#include "http.h"
#include "req.h"
#include "snap.h"
#include "tool.h"
#include "tpl.h"

static const char *const tool_why[] = { "date", "domain", "domain_early" };
static const char *const tool_repair[] = { "not_published", "from", "never",
    "unknown", "moot" };
static const char *const tool_status[] = { "not_published", "ended",
    "can_apply", "wait", "fulfil_first", "until_end", "unfulfilled", "unknown" };

/*
 * Sets ctx.tier_rule, ctx.unpublished_rule and ctx.period_rule: the text
 * and confidence of each rule that answer a applied, all in one query.
 */
static void
tool_rules(struct req_env *env, const struct credit_answer *a)
{
	lua_State	*L = tpl_state(env->tpl);
	char		 key[32];
	int		 i, n;

	n = snap_rows(env->snap, L, SNAP_Q_CREDIT_RULES, "siii", a->regime->id,
	    (int64_t)a->tier_rule, (int64_t)(a->unpublished != NULL ?
	    a->unpublished->ord : -1), (int64_t)(a->period != NULL ?
	    a->period->ord : -1));
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		lua_getfield(L, -1, "list");
		snprintf(key, sizeof(key), "%s_rule", lua_tostring(L, -1));
		lua_pop(L, 1);
		lua_pushnil(L);			/* the rule is its text and confidence */
		lua_setfield(L, -2, "list");
		lua_setfield(L, -3, key);
	}
	lua_pop(L, 1);
}

/*
 * Sets the regime's row and its item lists (sources ... guides, one query
 * for all of them) as field key of the table on top of the stack.
 */
static void
tool_regime(struct req_env *env, const char *id, const char *key)
{
	lua_State	*L = tpl_state(env->tpl);

	snap_rows(env->snap, L, SNAP_Q_CREDIT_REGIME, "s", id);
	lua_rawgeti(L, -1, 1);
	lua_remove(L, -2);
	if (lua_type(L, -1) == LUA_TTABLE)
		snap_credit_texts(env->snap, L, id);
	lua_setfield(L, -2, key);
}

/* Pushes the names of the kinds in bits as an array. */
void
tool_push_kinds(lua_State *L, unsigned bits)
{
	int	 k, n = 0;

	lua_createtable(L, CREDIT_K__MAX, 0);
	for (k = 0; k < CREDIT_K__MAX; k++)
		if (bits & (1u << k)) {
			lua_createtable(L, 0, 2);
			req_setstr(L, "code", credit_kinds[k].code);
			req_setstr(L, "name", credit_kinds[k].name);
			lua_rawseti(L, -2, ++n);
		}
}

/* Sets key to s unless s is empty. */
static void
tool_setdate(lua_State *L, const char *key, const char *s)
{
	if (s[0] != '\0')
		req_setstr(L, key, s);
}

/*
 * Pushes the calculator's answer a for c as one table: what the page shows
 * and what the API returns, the same fields for both. full adds what one
 * answer shows in full (the decision, the kinds, the rules and regimes);
 * the look-up's records go without.
 */
void
tool_push_answer(struct req_env *env, const struct credit_case *c,
    const struct credit_answer *a, int full)
{
	lua_State	*L = tpl_state(env->tpl);
	const char	*id = a->regime->id;

	lua_createtable(L, 0, 24);
	req_setstr(L, "regime_id", id);
	req_setstr(L, "why", tool_why[a->why]);
	req_setstr(L, "tier", credit_tier_code(a->tier));
	lua_pushboolean(L, a->tier_assumed);
	lua_setfield(L, -2, "tier_assumed");
	lua_pushboolean(L, a->published);
	lua_setfield(L, -2, "published");
	req_setstr(L, "counted_from", a->base);
	lua_pushboolean(L, a->base_estimated);
	lua_setfield(L, -2, "counted_from_estimated");
	tool_setdate(L, "min_end", a->min_end);
	tool_setdate(L, "max_end", a->max_end);
	req_setstr(L, "repair", tool_repair[a->repair]);
	tool_setdate(L, "earliest", a->earliest);
	lua_pushboolean(L, a->fulfil_first);
	lua_setfield(L, -2, "fulfil_first");
	lua_pushboolean(L, a->unfulfilled);
	lua_setfield(L, -2, "unfulfilled");
	if (a->apply_regime != a->regime)
		req_setstr(L, "apply_regime_id", a->apply_regime->id);
	req_setstr(L, "status", tool_status[credit_status(a, env->today)]);
	if (a->never_kinds != 0) {
		tool_push_kinds(L, a->never_kinds);
		lua_setfield(L, -2, "never_kinds");
	}
	if (!full)
		return;
	req_setstr(L, "decided", c->decided);
	tool_push_kinds(L, c->kinds);
	lua_setfield(L, -2, "kinds");
	tool_rules(env, a);
	tool_regime(env, id, "regime");
	if (a->apply_regime != a->regime)
		tool_regime(env, a->apply_regime->id, "apply_regime");
}

/*
 * Collects the calculator's parameters into t->in; kind may repeat, the
 * others may not (req.c refuses them twice).
 */
void
tool_check_input(struct req_env *env, struct tool_check *t)
{
	const struct http_req	*req = env->req;
	struct credit_input	*in = &t->in;
	size_t			 i;

	memset(t, 0, sizeof(*t));
	in->date = http_param(req, "date");
	in->published = http_param(req, "published");
	in->fulfilled = http_param(req, "fulfilled");
	in->procedure = http_param(req, "procedure");
	in->fine = http_param(req, "fine");
	in->domain = http_param(req, "domain");
	in->tier = http_param(req, "tier");
	in->party = http_param(req, "party");
	for (i = 0; i < req->nparams; i++)
		if (strcmp(req->params[i].key, "kind") == 0) {
			if (in->nkinds <= CREDIT_K__MAX)
				in->kinds[in->nkinds] = req->params[i].val;
			in->nkinds++;
		}
}

/*
 * Assesses the parameters tool_check_input collected into t, once. Returns
 * the number of problems (t->p, at most TOOL_PROBLEMS); 0 with t->c and
 * t->a filled.
 */
int
tool_check(struct req_env *env, struct tool_check *t)
{
	const struct credit_rules *rules = snap_credit_rules(env->snap);
	struct credit_problem	*p = t->p;
	int			 n, rc = 0;

	n = credit_read(&t->in, env->today, &t->c, p, TOOL_PROBLEMS);
	if (t->c.domain[0] != '\0') {
		if (!req_known_domain(env, t->c.domain) && n < TOOL_PROBLEMS)
			p[n++] = (struct credit_problem){ "domain", "unknown",
			    "执法领域不在可选范围内，请从列表中选择。" };
	}
	if (n == 0 && (rc = credit_assess(rules, &t->c, &t->a)) == -1) {
		snprintf(t->early, sizeof(t->early), "本计算器只计算 %s 及以后作出的处罚"
		    "决定；更早的决定请向作出决定的机关咨询。", rules->n > 0 ?
		    rules->r[0].from : "");
		p[n++] = (struct credit_problem){ "date", "not_covered", t->early };
	} else if (n == 0 && rc == -2)
		p[n++] = (struct credit_problem){ "tier", "needed",
		    "请选择失信程度：按适用的规定，仅凭所填的处罚种类无法判断"
		    "属于轻微、一般还是严重。失信程度由作出处罚决定的机关认定，"
		    "一般写在信用修复告知书上；不清楚的，请先向该机关询问。" };
	t->nproblems = n < TOOL_PROBLEMS ? n : TOOL_PROBLEMS;
	return t->nproblems;
}

/*
 * Reads ?q= for the look-up into q (TOOL_MAX_LOOKUP + 1 bytes): spaces
 * around it dropped; letters and digits only make it a credit code
 * (*is_code), upper-cased and checked, a wrong check character only
 * written to warning. Returns NULL, or the problem, with its code in *code.
 */
static const char *
tool_lookup_query(const struct http_req *req, char *q, int *is_code,
    const char **code, char *warning, size_t warnsz)
{
	const char	*s = http_param(req, "q");
	size_t		 n, i;
	char		 want;

	*is_code = 0;
	for (s = s ? s : ""; *s == ' '; s++)
		;
	if ((n = strlen(s)) > TOOL_MAX_LOOKUP) {
		*code = "too_long";
		return "查询内容过长：请输入完整的处罚决定书文号或 18 位统一社会信用代码。";
	}
	memcpy(q, s, n + 1);
	while (n > 0 && q[n - 1] == ' ')
		q[--n] = '\0';
	if (n == 0) {
		*code = "missing";
		return "请输入处罚决定书文号或统一社会信用代码。";
	}
	for (i = 0; i < n && ((q[i] >= '0' && q[i] <= '9') ||
	    (q[i] >= 'A' && q[i] <= 'Z') || (q[i] >= 'a' && q[i] <= 'z')); i++)
		;
	if (i < n)
		return NULL;		/* a decision number: 舟普综执罚决字〔…〕 */
	*is_code = 1;
	for (i = 0; i < n; i++)
		if (q[i] >= 'a' && q[i] <= 'z')
			q[i] = (char)(q[i] - 'a' + 'A');
	switch (credit_code_verdict(q, NULL, &want)) {
	case CREDIT_CODE_LENGTH:
		*code = "invalid_code";
		return "统一社会信用代码应为 18 位。";
	case CREDIT_CODE_CHAR:
		*code = "invalid_code";
		return "统一社会信用代码只由数字和大写字母组成，不含 I、O、Z、S、V。";
	case CREDIT_CODE_AREA:
		*code = "invalid_code";
		return "统一社会信用代码的第 3 至 8 位是行政区划代码，应为数字。";
	case CREDIT_CODE_CHECK:
		snprintf(warning, warnsz, "这个代码的校验位与按国家标准计算的结果"
		    "（%c）不符。部分早期代码确实如此，仍按原样查询；请核对是否输入有误。",
		    want);
		break;
	case CREDIT_CODE_OK:
		break;
	}
	return NULL;
}

/*
 * Pushes the title of regime id, read from the snapshot once per request
 * and kept in the table at stack index titles: the records of one code
 * mostly share a regime.
 */
static void
tool_regime_title(struct req_env *env, int titles, const char *id)
{
	lua_State	*L = tpl_state(env->tpl);

	if (lua_getfield(L, titles, id) != LUA_TNIL)
		return;
	lua_pop(L, 1);
	snap_rows(env->snap, L, SNAP_Q_CREDIT_REGIME, "s", id);
	lua_rawgeti(L, -1, 1);
	if (lua_istable(L, -1))
		lua_getfield(L, -1, "title");
	else
		lua_pushnil(L);
	lua_replace(L, -3);		/* title, row */
	lua_pop(L, 1);
	lua_pushvalue(L, -1);
	lua_setfield(L, titles, id);
}

/*
 * Adds each record of the array on top of the stack its status as of
 * today: the calculator applied to it (summary decisions are not in the
 * feed, so as a general-procedure decision) as record.answer.
 */
static void
tool_lookup_assess(struct req_env *env, int nrows)
{
	const struct credit_rules *rules = snap_credit_rules(env->snap);
	struct credit_answer	 a;
	struct credit_case	 c;
	lua_State		*L = tpl_state(env->tpl);
	int			 i, records, titles;

	records = lua_gettop(L);
	lua_newtable(L);
	titles = lua_gettop(L);
	for (i = 1; i <= nrows; i++) {
		lua_rawgeti(L, records, i);
		memset(&c, 0, sizeof(c));
		c.procedure = CREDIT_PROC_GENERAL;
		lua_getfield(L, -1, "decided");
		snprintf(c.decided, sizeof(c.decided), "%s", lua_tostring(L, -1));
		lua_getfield(L, -2, "fulfilled");
		snprintf(c.fulfilled, sizeof(c.fulfilled), "%s",
		    lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
		lua_getfield(L, -3, "kinds");
		c.kinds = credit_kinds_by_names(lua_tostring(L, -1), "、");
		lua_getfield(L, -4, "fine");
		c.fine = lua_isstring(L, -1) ? atof(lua_tostring(L, -1)) : 0;
		lua_getfield(L, -5, "domain_code");
		snprintf(c.domain, sizeof(c.domain), "%s", lua_tostring(L, -1));
		lua_getfield(L, -6, "severity");
		c.tier = credit_tier_by_code(lua_tostring(L, -1));
		lua_pop(L, 6);
		tool_push_kinds(L, c.kinds);
		lua_setfield(L, -2, "kind_list");
		memcpy(c.applied, env->today, CREDIT_DATE_SIZE);
		if (credit_assess(rules, &c, &a) == 0) {
			tool_push_answer(env, &c, &a, 0);
			tool_regime_title(env, titles, a.regime->id);
			lua_setfield(L, -2, "regime_title");
			lua_setfield(L, -2, "answer");
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);			/* titles */
}

/*
 * /credit/lookup?q= and /api/v1/credit/lookup: reads the query into t and,
 * when it can be looked up, pushes the published penalty records by exact
 * decision number or exact credit code, each with its status today as
 * record.answer. Nothing partial, no lists of businesses. Returns 0 with
 * the records pushed (t->n of them), or -1 with t->problem set and nothing
 * pushed.
 */
int
tool_lookup(struct req_env *env, struct tool_lookup *t)
{
	lua_State	*L = tpl_state(env->tpl);
	struct buf	 norm = { 0 };

	memset(t, 0, sizeof(*t));
	t->problem = tool_lookup_query(env->req, t->q, &t->is_code, &t->code,
	    t->warning, sizeof(t->warning));
	if (t->problem != NULL)
		return -1;
	/* A decision number is compared as fts_normalize gives it: any
	 * brackets, half or full width, with or without 第. */
	if (!t->is_code)
		fts_normalize(&norm, t->q);	/* out of memory: finds nothing */
	t->n = t->is_code ? snap_rows(env->snap, L, SNAP_Q_PENALTY_CODE, "si",
	    t->q, (int64_t)TOOL_LOOKUP_RECORDS) : snap_rows(env->snap, L,
	    SNAP_Q_PENALTY_NUMBER, "s", norm.data != NULL ? norm.data : "");
	buf_free(&norm);
	tool_lookup_assess(env, t->n);
	return 0;
}
