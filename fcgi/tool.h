/*
 * tool.h: the credit tools, the repair calculator and the penalty-record
 * look-up. Each computes its answer once, from the request, into a struct
 * and one Lua table; the page (page.c) renders it, the API (api.c) encodes
 * it.
 */
#ifndef FAZHI_TOOL_H
#define FAZHI_TOOL_H

#include <lua.h>

#include "credit.h"

/* Problems the calculator's form reports at once. */
#define TOOL_PROBLEMS		12
/* Longest look-up text accepted, in bytes: a decision number of 64 characters. */
#define TOOL_MAX_LOOKUP		192
/* Most records one credit code's look-up shows, newest first. */
#define TOOL_LOOKUP_RECORDS	20

struct req_env;

/* The calculator's answer to one request. */
struct tool_check {
	struct credit_input	 in;		/* the parameters as sent */
	struct credit_case	 c;		/* as read, when no problems */
	struct credit_answer	 a;		/* the answer, when no problems */
	struct credit_problem	 p[TOOL_PROBLEMS];	/* in form order */
	int			 nproblems;
	char			 early[160];	/* not_covered's message */
};

/* The look-up's reading of one request. */
struct tool_lookup {
	char		 q[TOOL_MAX_LOOKUP + 1];	/* trimmed; a code upper-cased */
	int		 is_code;	/* a credit code, not a decision number */
	const char	*problem;	/* why q cannot be looked up, or NULL */
	const char	*code;		/* problem's machine code */
	char		 warning[256];	/* about a code's check character, or "" */
	int		 n;		/* records found */
};

void	tool_check_input(struct req_env *, struct tool_check *);
int	tool_check(struct req_env *, struct tool_check *);
void	tool_push_answer(struct req_env *, const struct credit_case *,
	    const struct credit_answer *, int);
void	tool_push_kinds(lua_State *, unsigned);
int	tool_lookup(struct req_env *, struct tool_lookup *);

#endif
