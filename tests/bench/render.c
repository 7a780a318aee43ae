/* render.c: renders one page N times in-process and prints microseconds per page (make bench). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "http.h"
#include "req.h"
#include "snap.h"
#include "tpl.h"

static struct http_req	 req;

int
main(int argc, char **argv)
{
	struct req_env	 env = { 0 };
	struct req_out	 out = { 0 };
	struct timespec	 t0, t1;
	size_t		 bytes = 0;
	long		 i, n;
	double		 us;

	if (argc != 4) {
		fprintf(stderr, "usage: render SNAPSHOT URI COUNT\n");
		return 1;
	}
	n = atol(argv[3]);
	env.started = time(NULL);
	if ((env.snap = snap_open(argv[1])) == NULL ||
	    (env.tpl = tpl_open("lua", "lua/templates")) == NULL ||
	    snap_push_site(env.snap, tpl_state(env.tpl)) == -1 ||
	    tpl_compile(env.tpl) == -1)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		req_serve(&env, &req, http_parse(&req, "GET", argv[2]), &out);
		bytes += out.len;
		req_done(&env, &out);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3;
	printf("%s: %.1f us per page, %zu bytes, status %d\n", argv[2], us / n,
	    bytes / n, out.status);
	return 0;
}
