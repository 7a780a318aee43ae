/* publish.h: putting content before the public and taking it off again. */
#ifndef FAZHI_PUBLISH_H
#define FAZHI_PUBLISH_H

/* How long publish waits for each backend to serve the new snapshot. */
#define PUBLISH_CONFIRM_MS	10000
/* Most backends (--pid, --url pairs) one publish reloads and confirms. */
#define PUBLISH_MAX_BACKENDS	16
/* Longest reason a withdrawal may give, in bytes (about 160 characters). */
#define PUBLISH_MAX_REASON	480
/* Items named one by one in a publishing log line; past it, "+N more". */
#define PUBLISH_LOG_ITEMS	50

int	publish_main(int, char **);
int	publish_withdraw_main(int, char **);

#endif
