/*
 * render.c: renders pages in-process, each COUNT times, and prints per page
 * the mean, p50 and p99 microseconds, its size and its status (make bench).
 *
 *   render SNAPSHOT URI COUNT [URI ...]
 *
 * Each page is first rendered RENDER_WARM times, not counted: a worker
 * serves from warm caches (the snapshot's pages mapped, the templates'
 * tables grown). A URI may be named for the table: home=/ prints "home"
 * before it. With
 * RENDER_SAVE set to a folder, each page's last body is written there as
 * NAME (or its number) .out, to compare two builds' pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "req.h"
#include "snap.h"
#include "tpl.h"

/* Renders of each page before the ones measured. */
#define RENDER_WARM	10

static struct http_req	 req;

static int
render_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Writes out's body to $RENDER_SAVE/name.out, when RENDER_SAVE is set. */
static void
render_save(const char *name, const struct req_out *out)
{
	static int	 seq;
	const char	*dir = getenv("RENDER_SAVE");
	char		 path[4096];
	FILE		*f;

	seq++;
	if (dir == NULL)
		return;
	if (name[0] != '\0')
		snprintf(path, sizeof(path), "%s/%s.out", dir, name);
	else
		snprintf(path, sizeof(path), "%s/%d.out", dir, seq);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "status %d\n", out->status);
	if (out->body != NULL)
		fwrite(out->body, 1, out->len, f);
	fclose(f);
}

/* Renders uri n times into us[0..n) and prints its line. */
static void
render_one(struct req_env *env, const char *arg, long n, double *us)
{
	struct req_out	 out;
	struct timespec	 t0, t1;
	const char	*uri = arg, *eq;
	char		 name[64] = "";
	size_t		 bytes = 0;
	double		 sum = 0;
	long		 i;

	memset(&out, 0, sizeof(out));
	if (arg[0] != '/' && (eq = strchr(arg, '=')) != NULL) {
		snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
		uri = eq + 1;
	}
	for (i = 0; i < RENDER_WARM; i++) {
		req_serve(env, &req, http_parse(&req, "GET", uri), &out);
		req_done(env, &out);
	}
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		req_serve(env, &req, http_parse(&req, "GET", uri), &out);
		bytes += out.len;
		if (i == n - 1)
			render_save(name, &out);
		req_done(env, &out);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		us[i] = ((t1.tv_sec - t0.tv_sec) * 1e9 +
		    (t1.tv_nsec - t0.tv_nsec)) / 1e3;
		sum += us[i];
	}
	req_free(&out);
	qsort(us, n, sizeof(*us), render_cmp);
	if (name[0] != '\0')
		printf("%-14s ", name);
	printf("%s: %.1f us per page, p50 %.1f us, p99 %.1f us, %zu bytes, "
	    "status %d\n", uri, sum / n, us[n / 2], us[(n * 99) / 100],
	    bytes / n, out.status);
}

int
main(int argc, char **argv)
{
	struct req_env	 env = { 0 };
	double		*us;
	long		 n;
	int		 i;

	if (argc < 4 || (n = atol(argv[3])) < 1) {
		fprintf(stderr, "usage: render SNAPSHOT URI COUNT [URI ...]\n");
		return 1;
	}
	env.started = time(NULL);
	env.clock_file = getenv("CLOCK_FILE");	/* as fazhi serve's tests set it */
	if ((us = calloc(n, sizeof(*us))) == NULL ||
	    (env.snap = snap_open(argv[1])) == NULL ||
	    (env.tpl = tpl_open("lua", "lua/templates")) == NULL ||
	    snap_push_site(env.snap, tpl_state(env.tpl)) == -1 ||
	    tpl_compile(env.tpl) == -1)
		return 1;
	render_one(&env, argv[2], n, us);
	for (i = 4; i < argc; i++)
		render_one(&env, argv[i], n, us);
	fflush(stdout);
	return 0;
}
