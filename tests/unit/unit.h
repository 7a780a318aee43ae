/*
 * unit.h: the C unit tests' whole framework. Each check prints one TAP line
 * ("ok - name" or "not ok - name"); scripts/test counts them. A test program
 * ends with `return unit_done();`, which fails when any check failed.
 */
#ifndef FAZHI_UNIT_H
#define FAZHI_UNIT_H

#include <stdio.h>
#include <string.h>

static int	unit_failed;

#define UNIT_CHECK(cond, ...) do {					\
	int unit_c = (cond) ? 1 : 0;	/* evaluated once */		\
	if (unit_c)							\
		printf("ok - ");					\
	else {								\
		printf("not ok - ");					\
		unit_failed++;						\
	}								\
	printf(__VA_ARGS__);						\
	if (!unit_c)							\
		printf(" (%s:%d: %s)", __FILE__, __LINE__, #cond);	\
	putchar('\n');							\
	fflush(stdout);	/* whole lines: stderr shares the log file */	\
} while (0)

/* Checks two strings for equality, printing both when they differ. */
#define UNIT_STREQ(got, want, ...) do {					\
	const char *unit_g = (got), *unit_w = (want);			\
	int unit_ok = unit_g != NULL && strcmp(unit_g, unit_w) == 0;	\
	UNIT_CHECK(unit_ok, __VA_ARGS__);				\
	if (!unit_ok)							\
		printf("#   got:  \"%s\"\n#   want: \"%s\"\n",		\
		    unit_g ? unit_g : "(null)", unit_w);		\
} while (0)

/* Counts the occurrences of sub in s, each after the last. */
static inline int
unit_count(const char *s, const char *sub)
{
	int	 n = 0;

	while ((s = strstr(s, sub)) != NULL) {
		n++;
		s += strlen(sub);
	}
	return n;
}

static inline int
unit_done(void)
{
	fflush(stdout);
	return unit_failed > 0;
}

#endif
