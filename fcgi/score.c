/*
 * score.c: the scoreboard. The master maps it (shared, anonymous) before it
 * forks any worker, so every worker has it without opening anything; each
 * worker writes its own slot only: when it starts and ends a request, and
 * what it answered. The master reads the slots on a timer (the watchdog,
 * serve.c), adds a dead worker's counts to the retired ones before its slot
 * is reused, and counts its own events. Any worker prints the sum as
 * /metrics (Prometheus text format 0.0.4).
 *
 * Counters are 64-bit words that one process writes and others read with
 * relaxed atomic loads. While the master moves a slot into the retired
 * counts, seq is odd; a reader that sees it odd or changed reads again, so
 * a sum never counts a request twice or loses one, and counters never go
 * down.
 */
#include <sys/mman.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "score.h"

#define SCORE_LOAD(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define SCORE_STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define SCORE_ADD(x, v)		__atomic_fetch_add(&(x), (v), __ATOMIC_RELAXED)

struct score_slot {
	int64_t		 pid;		/* 0: free */
	int64_t		 start_ms;	/* request in hand since; 0: idle */
	char		 uri[SCORE_MAX_URI];
	struct score_counts c;
};

struct score_board {
	uint64_t	 seq;		/* odd while a slot is retired */
	uint64_t	 events[SCORE_NEVENTS];
	uint64_t	 limited;	/* nginx's 429s, as the master counts them */
	struct score_counts retired;	/* of workers gone */
	struct score_slot slot[SCORE_SLOTS];
};

static struct score_board	*score_board;
static struct score_slot	*score_mine;	/* a worker's own slot */

/* Bucket bounds, microseconds: 1 ms to 10 s. */
static const long score_bounds[SCORE_NBUCKETS] = { 1000, 2500, 5000, 10000,
    25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 10000000 };

static const int score_statuses[SCORE_NSTATUS - 1] = { 200, 301, 303, 304,
    400, 404, 405, 406, 413, 414, 429, 500 };

/* Route labels, in enum route_kind order; the last: a request not parsed. */
static const char *const score_routes[SCORE_NROUTES] = {
	[ROUTE_HOME] = "home", [ROUTE_CASES] = "cases", [ROUTE_CASE] = "case",
	[ROUTE_PUFA] = "pufa", [ROUTE_MATERIAL] = "material",
	[ROUTE_CREDIT] = "credit", [ROUTE_GUIDE] = "guide",
	[ROUTE_ABOUT] = "about", [ROUTE_SEARCH] = "search",
	[ROUTE_MODE] = "mode", [ROUTE_HEALTHZ] = "healthz",
	[ROUTE_LAWS] = "laws", [ROUTE_LAW] = "law",
	[ROUTE_CREDIT_CHECK] = "credit_check",
	[ROUTE_CREDIT_LOOKUP] = "credit_lookup",
	[ROUTE_CREDIT_ICS] = "credit_ics", [ROUTE_REDIRECT] = "redirect",
	[ROUTE_ERROR] = "error", [ROUTE_NOT_FOUND] = "not_found",
	[ROUTE_FEED] = "feed", [ROUTE_FEED_DOMAIN] = "feed_domain",
	[ROUTE_SITEMAP] = "sitemap", [ROUTE_ROBOTS] = "robots",
	[ROUTE_EXPORT] = "export", [ROUTE_API_CASES] = "api_cases",
	[ROUTE_API_CASE] = "api_case", [ROUTE_API_PUFA] = "api_pufa",
	[ROUTE_API_MATERIAL] = "api_material",
	[ROUTE_API_CREDIT] = "api_credit", [ROUTE_API_GUIDE] = "api_guide",
	[ROUTE_API_CREDIT_CHECK] = "api_credit_check",
	[ROUTE_API_CREDIT_LOOKUP] = "api_credit_lookup",
	[ROUTE_API_SEARCH] = "api_search", [ROUTE_API_LAWS] = "api_laws",
	[ROUTE_API_LAW] = "api_law", [ROUTE_API_NOT_FOUND] = "api_not_found",
	[SCORE_ROUTE_METRICS] = "metrics", [SCORE_ROUTE_INVALID] = "invalid",
};

static const char *const score_event_names[SCORE_NEVENTS][2] = {
	{ "fazhi_worker_restarts_total",
	    "Workers that died and were replaced." },
	{ "fazhi_worker_kills_total", "Workers the watchdog killed for "
	    "spending longer than the limit on one request." },
	{ "fazhi_reloads_total", "Reloads (SIGHUP) that started serving a new "
	    "snapshot." },
	{ "fazhi_reload_failures_total", "Reloads refused: the new snapshot "
	    "or templates did not load." },
};

int64_t
score_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Maps the board; the master calls it before the first fork. 0, or -1. */
int
score_open(void)
{
	void	*p;

	p = mmap(NULL, sizeof(*score_board), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_warn("scoreboard");
		return -1;
	}
	score_board = p;
	return 0;
}

/* In a new worker: slot i is its own. */
void
score_attach(int i)
{
	if (score_board == NULL || i < 0 || i >= SCORE_SLOTS)
		return;
	score_mine = &score_board->slot[i];
	SCORE_STORE(score_mine->start_ms, 0);
	SCORE_STORE(score_mine->pid, (int64_t)getpid());
}

/*
 * A connection is accepted: the worker is on a request from now on, though
 * it has yet to read which.
 */
void
score_accept(void)
{
	if (score_mine == NULL)
		return;
	snprintf(score_mine->uri, sizeof(score_mine->uri), "(a request not "
	    "yet read)");
	SCORE_STORE(score_mine->start_ms, score_now_ms());
}

/* No request after all: another worker took the connection, or it failed. */
void
score_idle(void)
{
	if (score_mine != NULL)
		SCORE_STORE(score_mine->start_ms, 0);
}

/* The request's address is read: uri. */
void
score_begin(const char *uri)
{
	if (score_mine == NULL)
		return;
	snprintf(score_mine->uri, sizeof(score_mine->uri), "%s",
	    uri != NULL ? uri : "-");
	if (SCORE_LOAD(score_mine->start_ms) == 0)
		SCORE_STORE(score_mine->start_ms, score_now_ms());
}

static int
score_bucket(long usec)
{
	int	 i;

	for (i = 0; i < SCORE_NBUCKETS && usec > score_bounds[i]; i++)
		;
	return i;
}

/*
 * The request ends: route (an enum route_kind or SCORE_ROUTE_*), its status, how long it took and how long rendering took (0: no
 * template ran), in microseconds.
 */
void
score_end(int route, int status, long usec, long render_usec)
{
	struct score_counts	*c;
	int			 s;

	if (score_mine == NULL)
		return;
	c = &score_mine->c;
	if (route < 0 || route >= SCORE_NROUTES)
		route = SCORE_ROUTE_INVALID;
	for (s = 0; s < SCORE_NSTATUS - 1 && score_statuses[s] != status; s++)
		;
	SCORE_ADD(c->requests[route][s], 1);
	SCORE_ADD(c->latency[score_bucket(usec)], 1);
	SCORE_ADD(c->latency_usec, (uint64_t)usec);
	if (render_usec > 0) {
		SCORE_ADD(c->render[score_bucket(render_usec)], 1);
		SCORE_ADD(c->render_usec, (uint64_t)render_usec);
	}
	SCORE_STORE(score_mine->start_ms, 0);
}

/*
 * How long the worker of slot i has been on its request at now (ms), with
 * its address in uri; 0 when idle.
 */
int64_t
score_busy_ms(int i, int64_t now, char *uri, size_t urisz)
{
	int64_t	 t;

	if (score_board == NULL || i < 0 || i >= SCORE_SLOTS)
		return 0;
	if ((t = SCORE_LOAD(score_board->slot[i].start_ms)) == 0)
		return 0;
	snprintf(uri, urisz, "%.*s", (int)sizeof(score_board->slot[i].uri) - 1,
	    score_board->slot[i].uri);
	return now > t ? now - t : 0;
}

static void
score_sum(struct score_counts *to, const struct score_counts *from)
{
	const uint64_t	*f = (const uint64_t *)from;
	uint64_t	*t = (uint64_t *)to;
	size_t		 i;

	for (i = 0; i < sizeof(*to) / sizeof(uint64_t); i++)
		t[i] += __atomic_load_n(&f[i], __ATOMIC_RELAXED);
}

/* The master: slot i's worker is gone; keep its counts, free the slot. */
void
score_retire(int i)
{
	struct score_slot	*s;

	if (score_board == NULL || i < 0 || i >= SCORE_SLOTS)
		return;
	s = &score_board->slot[i];
	__atomic_fetch_add(&score_board->seq, 1, __ATOMIC_SEQ_CST);
	score_sum(&score_board->retired, &s->c);
	memset(s, 0, sizeof(*s));
	__atomic_fetch_add(&score_board->seq, 1, __ATOMIC_SEQ_CST);
}

/* The master counts one of its events (SCORE_RESTART ...). */
void
score_event(int e)
{
	if (score_board != NULL && e >= 0 && e < SCORE_NEVENTS)
		SCORE_ADD(score_board->events[e], 1);
}

/* The master: nginx has refused n requests with 429 so far. */
void
score_limited(uint64_t n)
{
	if (score_board != NULL)
		SCORE_STORE(score_board->limited, n);
}

/* Workers alive now, and those of them on a request. */
static void
score_workers(int *alive, int *busy)
{
	int	 i;

	*alive = *busy = 0;
	for (i = 0; i < SCORE_SLOTS; i++)
		if (SCORE_LOAD(score_board->slot[i].pid) != 0) {
			(*alive)++;
			*busy += SCORE_LOAD(score_board->slot[i].start_ms) != 0;
		}
}

/* Everything counted so far, every slot and the retired ones. */
static void
score_total(struct score_counts *c, uint64_t *events)
{
	uint64_t	 seq;
	int		 i;

	do {
		while ((seq = __atomic_load_n(&score_board->seq,
		    __ATOMIC_SEQ_CST)) % 2 == 1)
			;
		memset(c, 0, sizeof(*c));
		score_sum(c, &score_board->retired);
		for (i = 0; i < SCORE_SLOTS; i++)
			score_sum(c, &score_board->slot[i].c);
		for (i = 0; i < SCORE_NEVENTS; i++)
			events[i] = SCORE_LOAD(score_board->events[i]);
	} while (__atomic_load_n(&score_board->seq, __ATOMIC_SEQ_CST) != seq);
}

/* A histogram's lines: buckets summed up to each bound, then sum and count. */
static int
score_histogram(struct buf *b, const char *name, const uint64_t *n,
    uint64_t usec)
{
	uint64_t	 total = 0;
	int		 i, rc = 0;

	for (i = 0; i <= SCORE_NBUCKETS; i++) {
		total += n[i];
		if (i < SCORE_NBUCKETS)
			rc |= buf_printf(b, "%s_bucket{le=\"%g\"} %" PRIu64 "\n",
			    name, score_bounds[i] / 1e6, total);
		else
			rc |= buf_printf(b, "%s_bucket{le=\"+Inf\"} %" PRIu64
			    "\n", name, total);
	}
	rc |= buf_printf(b, "%s_sum %.6f\n%s_count %" PRIu64 "\n", name,
	    usec / 1e6, name, total);
	return rc;
}

/* Appends s to b as a label value: \, " and newline escaped. */
static int
score_label(struct buf *b, const char *s)
{
	int	 rc = 0;

	for (; *s != '\0' && rc == 0; s++)
		if (*s == '\\' || *s == '"')
			rc = buf_printf(b, "\\%c", *s);
		else if (*s == '\n')
			rc = buf_puts(b, "\\n");
		else
			rc = buf_add(b, s, 1);
	return rc;
}

/*
 * The /metrics text into b: what every worker has counted, the master's
 * events, and the snapshot served (its id, and when it was built as Unix
 * time). Returns 0, or -1 when there is no board or memory ran out.
 */
int
score_text(struct buf *b, const char *snapshot, int64_t built_at)
{
	static struct score_counts c;	/* large: kept off the stack */
	uint64_t	 events[SCORE_NEVENTS];
	int		 r, s, i, alive, busy, rc = 0;

	if (score_board == NULL)
		return -1;
	score_total(&c, events);
	score_workers(&alive, &busy);
	rc |= buf_puts(b, "# HELP fazhi_requests_total Requests answered, by "
	    "route and status.\n# TYPE fazhi_requests_total counter\n");
	for (r = 0; r < SCORE_NROUTES; r++)
		for (s = 0; s < SCORE_NSTATUS; s++) {
			if (c.requests[r][s] == 0 || score_routes[r] == NULL)
				continue;
			if (s < SCORE_NSTATUS - 1)
				rc |= buf_printf(b, "fazhi_requests_total{route="
				    "\"%s\",status=\"%d\"} %" PRIu64 "\n",
				    score_routes[r], score_statuses[s],
				    c.requests[r][s]);
			else
				rc |= buf_printf(b, "fazhi_requests_total{route="
				    "\"%s\",status=\"other\"} %" PRIu64 "\n",
				    score_routes[r], c.requests[r][s]);
		}
	rc |= buf_puts(b, "# HELP fazhi_request_duration_seconds Time from "
	    "a request's arrival at a worker to its answer.\n"
	    "# TYPE fazhi_request_duration_seconds histogram\n");
	rc |= score_histogram(b, "fazhi_request_duration_seconds", c.latency,
	    c.latency_usec);
	rc |= buf_puts(b, "# HELP fazhi_render_duration_seconds Time spent "
	    "in page templates, per request that used one.\n"
	    "# TYPE fazhi_render_duration_seconds histogram\n");
	rc |= score_histogram(b, "fazhi_render_duration_seconds", c.render,
	    c.render_usec);
	rc |= buf_printf(b, "# HELP fazhi_rate_limited_total Requests nginx "
	    "refused with 429 (limit_req), pages and API (serve --rate-log).\n"
	    "# TYPE fazhi_rate_limited_total counter\n"
	    "fazhi_rate_limited_total %" PRIu64 "\n",
	    SCORE_LOAD(score_board->limited));
	for (i = 0; i < SCORE_NEVENTS; i++)
		rc |= buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n%s %"
		    PRIu64 "\n", score_event_names[i][0],
		    score_event_names[i][1], score_event_names[i][0],
		    score_event_names[i][0], events[i]);
	rc |= buf_printf(b, "# HELP fazhi_workers Workers running, of every "
	    "generation.\n# TYPE fazhi_workers gauge\nfazhi_workers %d\n"
	    "# HELP fazhi_workers_busy Workers on a request now (this one "
	    "included).\n# TYPE fazhi_workers_busy gauge\n"
	    "fazhi_workers_busy %d\n", alive, busy);
	rc |= buf_puts(b, "# HELP fazhi_snapshot_info The snapshot served.\n"
	    "# TYPE fazhi_snapshot_info gauge\nfazhi_snapshot_info{id=\"");
	rc |= score_label(b, snapshot != NULL ? snapshot : "");
	rc |= buf_printf(b, "\"} 1\n# HELP fazhi_snapshot_age_seconds Time "
	    "since the snapshot served was built.\n"
	    "# TYPE fazhi_snapshot_age_seconds gauge\n"
	    "fazhi_snapshot_age_seconds %" PRId64 "\n",
	    (int64_t)time(NULL) - built_at);
	return rc != 0 ? -1 : 0;
}
