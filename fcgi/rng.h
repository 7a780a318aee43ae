/* rng.h: what a RELAX NG schema allows where, read from its text. */
#ifndef FAZHI_RNG_H
#define FAZHI_RNG_H

/* Most child elements one element's schema names (the largest has ~20). */
#define RNG_MAX_SLOTS	64
/* Deepest chain of <ref>s followed in a schema; ours use three. */
#define RNG_MAX_REFS	16
/* Deepest nesting of a schema file searched for an element; ours use 8. */
#define RNG_MAX_NEST	64
/* Most files one schema is made of; ours use three. */
#define RNG_MAX_DOCS	8

/* One element a parent may hold (or one attribute), in schema order. */
struct rng_slot {
	const char	*name;
	int		 required;	/* not optional, not one of a choice */
};

/* What one element may hold: the names, in order. */
struct rng_slots {
	const char	*want;		/* "element" or "attribute" */
	struct rng_slot	 v[RNG_MAX_SLOTS];
	int		 n;
};

void	rng_load(const char *);
int	rng_allowed(const char *, const char *, const char *,
	    struct rng_slots *);
int	rng_slot(const struct rng_slots *, const char *);

#endif
