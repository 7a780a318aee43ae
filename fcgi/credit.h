/*
 * credit.h: credit repair (信用修复): the unified social credit code
 * (GB 32100-2015), and the calculator that applies the rules of
 * content/credit/ to one penalty decision. Pure: no I/O, no allocation.
 */
#ifndef FAZHI_CREDIT_H
#define FAZHI_CREDIT_H

/* Characters in a unified social credit code. */
#define CREDIT_CODE_LEN		18
/* Regimes (rule sets) the snapshot may hold. */
#define CREDIT_MAX_REGIMES	8
/* Tier, not-published and period rules one regime may hold, each. */
#define CREDIT_MAX_RULES	8
/* Longest list of domain codes a rule names, in bytes. */
#define CREDIT_MAX_DOMAINS	256
/* Largest fine the calculator accepts, in yuan (ten billion). */
#define CREDIT_MAX_FINE		10000000000.0
/* Earliest and latest years the calculator accepts in a date. */
#define CREDIT_MIN_YEAR		1990
#define CREDIT_MAX_YEAR		2100
/* "YYYY-MM-DD" and its NUL. */
#define CREDIT_DATE_SIZE	11
/*
 * Longest fine as sent, in bytes: full-width digits take three bytes each
 * and thousands separators more, so "１０，０００，０００，０００．００"
 * must fit.
 */
#define CREDIT_MAX_FINE_TEXT	64

/* Where a code fails GB 32100-2015 (credit_code_verdict). */
enum credit_code_state {
	CREDIT_CODE_OK,
	CREDIT_CODE_LENGTH,	/* not 18 characters */
	CREDIT_CODE_CHAR,	/* a character outside the 31 (I O Z S V ...) */
	CREDIT_CODE_AREA,	/* positions 3-8 are not all digits */
	CREDIT_CODE_CHECK	/* only the check character differs */
};

/* The penalty kinds of 《中华人民共和国行政处罚法》 and the feed, as bits. */
enum credit_kind {
	CREDIT_K_WARNING,	/* 警告 */
	CREDIT_K_CRITICISM,	/* 通报批评 */
	CREDIT_K_FINE,		/* 罚款 */
	CREDIT_K_CONFISCATE_GAINS,	/* 没收违法所得 */
	CREDIT_K_CONFISCATE_PROPERTY,	/* 没收非法财物 */
	CREDIT_K_LICENCE_SUSPENDED,	/* 暂扣许可证件 */
	CREDIT_K_QUALIFICATION,	/* 降低资质等级 */
	CREDIT_K_LICENCE_REVOKED,	/* 吊销许可证件 */
	CREDIT_K_RESTRICTION,	/* 限制开展生产经营活动 */
	CREDIT_K_SUSPENSION,	/* 责令停产停业 */
	CREDIT_K_CLOSURE,	/* 责令关闭 */
	CREDIT_K_BAN,		/* 限制从业 */
	CREDIT_K__MAX
};

struct credit_kind_name {
	const char	*code;	/* in URLs, JSON and content/credit: "fine" */
	const char	*name;	/* on the page and in the feed: "罚款" */
};
extern const struct credit_kind_name credit_kinds[CREDIT_K__MAX];

enum credit_tier {
	CREDIT_TIER_UNKNOWN,	/* not given: the regime's rules assume one */
	CREDIT_TIER_MINOR,	/* 轻微 */
	CREDIT_TIER_GENERAL,	/* 一般 */
	CREDIT_TIER_SERIOUS	/* 严重 */
};

/* Who was penalised: the summary procedure's fine limit depends on it. */
enum credit_party {
	CREDIT_PARTY_UNKNOWN,	/* not given */
	CREDIT_PARTY_PERSON,	/* 公民 */
	CREDIT_PARTY_ORG	/* 法人或者其他组织 */
};

enum credit_procedure {
	CREDIT_PROC_ANY,	/* in rules: either */
	CREDIT_PROC_GENERAL,	/* 普通程序 */
	CREDIT_PROC_SIMPLE	/* 简易程序 */
};

/* How sure the source of a rule is (domain.md's [V], [P], [U]). */
enum credit_conf {
	CREDIT_CONF_VERIFIED,
	CREDIT_CONF_PARTIAL,
	CREDIT_CONF_UNVERIFIED
};

/*
 * One rule of a regime: its conditions (each unset one holds) and what it
 * says. A tier rule assigns tier; a not-published rule withholds
 * publication; a period rule gives the periods. In each list the first rule
 * whose conditions all hold applies.
 */
struct credit_rule {
	int		 ord;		/* position in its file, for the page */
	enum credit_tier tier;		/* condition, or the tier a tier rule gives */
	enum credit_procedure procedure;
	unsigned	 any_kinds;	/* one of these kinds is among the penalty's */
	unsigned	 only_kinds;	/* every kind of the penalty is among these */
	char		 domains[CREDIT_MAX_DOMAINS]; /* codes, space-separated */
	double		 min_fine;	/* the fine is at least this; < 0: none */
	int		 min_months;	/* period rules; -1 when not known */
	int		 max_months;
	int		 in_principle;	/* not published "in principle" only */
	enum credit_conf conf;
};

struct credit_regime {
	char		 id[64];	/* its file name: "ndrc-order-58" */
	char		 from[CREDIT_DATE_SIZE];	/* first day in force */
	char		 until[CREDIT_DATE_SIZE];	/* last day, or "" */
	char		 domains[CREDIT_MAX_DOMAINS];	/* scope; "" all others */
	int		 from_publication;	/* periods count from publication */
	enum credit_conf count_conf;
	enum credit_tier default_tier;	/* when no tier rule holds; UNKNOWN: ask */
	int		 transition;	/* applications made while it is in force
					   follow its conditions, documents and
					   offices, whatever the decision date */
	int		 unfulfilled;	/* past the maximum, a decision not carried
					   out follows the sector's own rules */
	unsigned	 never_early;	/* kinds that are never repaired early */
	enum credit_conf never_conf;
	int		 ntiers, nunpublished, nperiods;
	struct credit_rule tiers[CREDIT_MAX_RULES];
	struct credit_rule unpublished[CREDIT_MAX_RULES];
	struct credit_rule periods[CREDIT_MAX_RULES];
};

struct credit_rules {
	int			 n;
	struct credit_regime	 r[CREDIT_MAX_REGIMES];	/* by from, oldest first */
};

/* One penalty decision, as the calculator's form or a record gives it. */
struct credit_case {
	char		 decided[CREDIT_DATE_SIZE];	/* decision date */
	char		 published[CREDIT_DATE_SIZE];	/* or "" */
	char		 fulfilled[CREDIT_DATE_SIZE];	/* or "" */
	enum credit_procedure procedure;
	unsigned	 kinds;		/* bits of enum credit_kind */
	double		 fine;		/* yuan; with CREDIT_K_FINE only */
	char		 domain[64];
	enum credit_tier tier;
	enum credit_party party;
	char		 applied[CREDIT_DATE_SIZE];	/* day of applying: today */
};

/* The fields of the calculator's form, as sent (NULL when absent). */
struct credit_input {
	const char	*date, *published, *fulfilled, *procedure, *fine;
	const char	*domain, *tier, *party;
	const char	*kinds[CREDIT_K__MAX + 1];	/* each kind= value */
	int		 nkinds;	/* may exceed CREDIT_K__MAX: an error */
};

/* A field the form must show an error beside. */
struct credit_problem {
	const char	*field;		/* the parameter's name */
	const char	*code;		/* machine-readable: "missing", "order" */
	const char	*message;	/* for the reader, in Chinese */
};

/* Why a regime applies. */
enum credit_why {
	CREDIT_WHY_DATE,	/* the decision date lies in its years */
	CREDIT_WHY_DOMAIN,	/* its domain, and the date */
	CREDIT_WHY_DOMAIN_EARLY	/* the domain's own rules came later */
};

/* What can be done about publication early. */
enum credit_repair {
	CREDIT_REPAIR_NOT_PUBLISHED,	/* nothing is published */
	CREDIT_REPAIR_FROM,		/* from answer.earliest */
	CREDIT_REPAIR_NEVER,		/* a kind that is never repaired early */
	CREDIT_REPAIR_UNKNOWN,		/* the minimum period is not known */
	CREDIT_REPAIR_MOOT		/* publication ends before it could */
};

/* Where publication stands on a given day (credit_status). */
enum credit_status {
	CREDIT_ST_NOT_PUBLISHED,
	CREDIT_ST_ENDED,	/* past the maximum period */
	CREDIT_ST_CAN_APPLY,	/* may apply for repair now */
	CREDIT_ST_WAIT,		/* may apply from answer.earliest */
	CREDIT_ST_FULFIL_FIRST,	/* the decision must be carried out first */
	CREDIT_ST_UNTIL_END,	/* published until the maximum, no repair */
	CREDIT_ST_UNFULFILLED,	/* past the maximum, not carried out: the
				   sector's own rules decide */
	CREDIT_ST_UNKNOWN
};

struct credit_answer {
	const struct credit_regime *regime;	/* gives the periods */
	const struct credit_regime *apply_regime; /* gives conditions, documents,
					   offices: regime, or a later one whose
					   transition rule takes the application */
	enum credit_why	 why;
	enum credit_tier tier;		/* given, or assumed */
	int		 tier_assumed;
	int		 tier_rule;	/* ord of the tier rule used, or -1 */
	int		 published;	/* 1, or 0 when a rule withholds it */
	const struct credit_rule *unpublished;	/* that rule, or NULL */
	char		 base[CREDIT_DATE_SIZE];	/* periods count from this day */
	int		 base_estimated;	/* the decision date stands in for publication */
	const struct credit_rule *period;	/* NULL when not published */
	char		 min_end[CREDIT_DATE_SIZE];	/* "" when not known */
	char		 max_end[CREDIT_DATE_SIZE];
	enum credit_repair repair;
	char		 earliest[CREDIT_DATE_SIZE];	/* CREDIT_REPAIR_FROM */
	int		 fulfil_first;	/* no fulfilled date given */
	int		 unfulfilled;	/* there is something to carry out (not
					   only a warning), and no date given */
	unsigned	 never_kinds;	/* the kinds that make it CREDIT_REPAIR_NEVER */
};

int	credit_code_check(const char *, char *);
enum credit_code_state credit_code_verdict(const char *, int *, char *);
int	credit_kind_by_code(const char *);
int	credit_kind_by_name(const char *);
unsigned credit_kinds_by_names(const char *, const char *);
int	credit_date_valid(const char *);
/* A date that could not be computed must not be shown: callers check. */
int	credit_add_months(const char *, int, char *)
	    __attribute__((warn_unused_result));
int	credit_add_days(const char *, int, char *)
	    __attribute__((warn_unused_result));
int	credit_read(const struct credit_input *, const char *,
	    struct credit_case *, struct credit_problem *, int);
int	credit_assess(const struct credit_rules *, const struct credit_case *,
	    struct credit_answer *);
int	credit_read_amount(const char *, double *);
enum credit_status credit_status(const struct credit_answer *, const char *);
const char *credit_tier_code(enum credit_tier);
enum credit_tier credit_tier_by_code(const char *);
const char *credit_conf_code(enum credit_conf);
enum credit_conf credit_conf_by_code(const char *);

#endif
