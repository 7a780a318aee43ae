/*
 * score.h: the scoreboard, memory shared by the master and its workers:
 * what each worker is doing now (for the watchdog) and what they have done
 * (for /metrics).
 */
#ifndef FAZHI_SCORE_H
#define FAZHI_SCORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "route.h"

/* Worker slots: the master's (serve.c, SERVE_SLOTS). */
#define SCORE_SLOTS		256
/* Bytes of the request in hand's address kept for the watchdog's log (NUL included). */
#define SCORE_MAX_URI		160
/* Routes: every enum route_kind, /metrics, and requests that did not parse. */
#define SCORE_ROUTE_METRICS	(ROUTE_API_NOT_FOUND + 1)
#define SCORE_ROUTE_INVALID	(ROUTE_API_NOT_FOUND + 2)
#define SCORE_NROUTES		(ROUTE_API_NOT_FOUND + 3)
/* Statuses counted apart; any other one counts as "other". */
#define SCORE_NSTATUS		13
/* Latency buckets, bounds in microseconds (score.c); +Inf is one more. */
#define SCORE_NBUCKETS		12

struct score_counts {
	uint64_t	 requests[SCORE_NROUTES][SCORE_NSTATUS];
	uint64_t	 latency[SCORE_NBUCKETS + 1];	/* per bucket, not summed */
	uint64_t	 latency_usec;
	uint64_t	 render[SCORE_NBUCKETS + 1];
	uint64_t	 render_usec;
};

struct buf;

int	 score_open(void);
void	 score_attach(int);
void	 score_accept(void);
void	 score_idle(void);
void	 score_begin(const char *);
void	 score_end(int, int, long, long);
int64_t	 score_busy_ms(int, int64_t, char *, size_t);
void	 score_retire(int);
void	 score_event(int);
void	 score_limited(uint64_t);
int64_t	 score_now_ms(void);
int	 score_text(struct buf *, const char *, int64_t);

/* Events of the master, for score_event. */
#define SCORE_RESTART		0	/* a worker died and was replaced */
#define SCORE_KILL		1	/* the watchdog killed a worker */
#define SCORE_RELOAD		2	/* SIGHUP: a new generation */
#define SCORE_RELOAD_FAIL	3	/* SIGHUP refused: the snapshot was bad */
#define SCORE_NEVENTS		4

#endif
