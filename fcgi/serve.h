/* serve.h: the master process of `fazhi serve`. */
#ifndef FAZHI_SERVE_H
#define FAZHI_SERVE_H

/* Most workers one server runs. */
#define SERVE_MAX_WORKERS	64
/* listen(2) backlog: connections that wait while every worker is busy. */
#define SERVE_BACKLOG		1024
/* A worker that dies sooner than this after starting counts as a crash. */
#define SERVE_CRASH_WINDOW_MS	1000
/* Back-off before respawning a crashing worker: doubles from the first... */
#define SERVE_BACKOFF_MIN_MS	100
/* ...up to this. */
#define SERVE_BACKOFF_MAX_MS	5000
/* How long new workers may take to get ready before old ones retire anyway. */
#define SERVE_READY_TIMEOUT_MS	5000
/* How long workers get to finish their requests on SIGTERM before SIGKILL. */
#define SERVE_STOP_TIMEOUT_MS	4000
/*
 * The watchdog: a worker on one request longer than this is killed (and
 * replaced); a page takes milliseconds, and a render stops itself after
 * one second of CPU time (tpl.h), so only a worker stuck for good gets here.
 */
#define SERVE_MAX_REQUEST_MS	5000
/* How often the master looks at what the workers are doing. */
#define SERVE_WATCH_MS		100
/* Bytes of a line of nginx's log of 429s (--rate-log): "1" and a newline. */
#define SERVE_RATE_LINE		2

int	serve_main(int, char **);

#endif
