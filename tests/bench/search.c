/*
 * search.c: search latency in-process (make bench-search): serves each
 * address given, COUNT times, through req_serve as a worker would (query,
 * ranking, snippets, template), and prints p50 and p99 in microseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "req.h"
#include "snap.h"
#include "tpl.h"

static struct http_req	 req;

static int
cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Serves uri n times; prints its p50 and p99 and the answer's status. */
static void
measure(struct req_env *env, const char *label, const char *uri, long n,
    double *us)
{
	struct req_out	 out = { 0 };
	struct timespec	 t0, t1;
	long		 i;
	int		 status = 0;

	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		req_serve(env, &req, http_parse(&req, "GET", uri), &out);
		status = out.status;
		req_done(env, &out);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		us[i] = ((t1.tv_sec - t0.tv_sec) * 1e9 +
		    (t1.tv_nsec - t0.tv_nsec)) / 1e3;
	}
	req_free(&out);
	qsort(us, n, sizeof(us[0]), cmp);
	printf("%-14s p50 %8.0f us  p99 %8.0f us  status %d  %s\n", label,
	    us[n / 2], us[n * 99 / 100], status, uri);
}

int
main(int argc, char **argv)
{
	struct req_env	 env = { 0 };
	double		*us;
	long		 n;
	int		 i;

	if (argc < 4 || argc % 2 != 1) {
		fprintf(stderr, "usage: search SNAPSHOT COUNT LABEL URI ...\n");
		return 1;
	}
	n = atol(argv[2]);
	env.started = time(NULL);
	if (n < 1 || (us = calloc(n, sizeof(*us))) == NULL ||
	    (env.snap = snap_open(argv[1])) == NULL ||
	    (env.tpl = tpl_open("lua", "lua/templates")) == NULL ||
	    snap_push_site(env.snap, tpl_state(env.tpl)) == -1 ||
	    tpl_compile(env.tpl) == -1)
		return 1;
	for (i = 3; i < argc; i += 2)
		measure(&env, argv[i], argv[i + 1], n, us);
	free(us);
	return 0;
}
