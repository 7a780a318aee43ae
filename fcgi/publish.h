/* publish.h: putting content before the public and taking it off again. */
#ifndef FAZHI_PUBLISH_H
#define FAZHI_PUBLISH_H

/* How long publish waits for each backend to serve the new snapshot. */
#define PUBLISH_CONFIRM_MS	10000
/* How long publish waits for the new snapshot's exports and sitemap, in ms. */
#define PUBLISH_EXPORT_MS	120000
/* Most backends (--pid, --url pairs) one publish reloads and confirms. */
#define PUBLISH_MAX_BACKENDS	16
/* Longest reason a withdrawal may give, in bytes (about 160 characters). */
#define PUBLISH_MAX_REASON	480
/*
 * How long nginx keeps a public answer (fastcgi_cache_valid in
 * nginx/fazhi-cache.conf.in and the production example; a test checks that
 * they agree). publish returns only once every copy of the old snapshot has
 * expired, so that what it reports done is done everywhere.
 */
#define PUBLISH_CACHE_SECONDS	1
/* How long an old worker may still be finishing a request begun before the
 * switch (and so still caching an answer from the old snapshot). */
#define PUBLISH_INFLIGHT_MS	500
/* Items named one by one in a publishing log line; past it, "+N more". */
#define PUBLISH_LOG_ITEMS	50

int	publish_main(int, char **);
int	publish_withdraw_main(int, char **);

#endif
