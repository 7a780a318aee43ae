/* mem.c: allocation wrappers that log, with failure injection for tests. */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "mem.h"

/*
 * FAZHI_FAIL_ALLOC=N in the environment makes the Nth allocation (and every one
 * after it) fail, so tests can check that each error path cleans up and says so.
 */
static long	mem_fail_at = -1;
static long	mem_count;

static int
mem_should_fail(void)
{
	const char	*s;

	if (mem_fail_at == -1) {
		s = getenv("FAZHI_FAIL_ALLOC");
		mem_fail_at = s != NULL ? strtol(s, NULL, 10) : 0;
	}
	return mem_fail_at > 0 && ++mem_count >= mem_fail_at;
}

void *
mem_realloc(void *p, size_t n)
{
	void	*q;

	if (mem_should_fail() || (q = realloc(p, n == 0 ? 1 : n)) == NULL) {
		log_warnx("out of memory (%zu bytes)", n);
		return NULL;
	}
	return q;
}

void *
mem_alloc(size_t n)
{
	return mem_realloc(NULL, n);
}

void *
mem_calloc(size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > (size_t)-1 / size) {
		log_warnx("allocation overflow (%zu x %zu)", nmemb, size);
		return NULL;
	}
	if ((p = mem_alloc(nmemb * size)) != NULL)
		memset(p, 0, nmemb * size);
	return p;
}

char *
mem_strndup(const char *s, size_t n)
{
	char	*p;

	if ((p = mem_alloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
mem_strdup(const char *s)
{
	return mem_strndup(s, strlen(s));
}

void
mem_free(void *p)
{
	free(p);
}
