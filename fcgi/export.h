/* export.h: the sitemap and the bulk exports, written once per snapshot by the master's writer. */
#ifndef FAZHI_EXPORT_H
#define FAZHI_EXPORT_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

/* Addresses in one sitemap file (the sitemaps.org protocol's limit). */
#define EXPORT_SITEMAP_URLS	50000
/* How long a superseded set is kept for downloads in progress, in seconds. */
#define EXPORT_KEEP		600
/* Room for a set's name: snapshot id, '-', the moment of visibility. */
#define EXPORT_SET_NAME		128
/* Longest wait before the writer runs again for a scheduled item, in seconds. */
#define EXPORT_MAX_WAIT		86400
/* How long after a failed write the writer runs again, in milliseconds. */
#define EXPORT_RETRY_MS		30000

struct snap;
struct worker_cfg;

/* The master's writer: one child process at a time. */
struct export_job {
	pid_t		 pid;		/* the writer running, or 0 */
	int		 fd;		/* its report: seconds to the next moment */
	int		 again;		/* run once more when it ends (a reload) */
	long		 due_ms;	/* when to run next (monotonic ms), or 0 */
	size_t		 sitemap_urls;	/* addresses a sitemap file (--sitemap-urls) */
};

int	export_set_name(struct snap *, char *, size_t);
void	export_run(struct export_job *, const struct worker_cfg *, int);
int	export_reaped(struct export_job *, pid_t, int, long);
void	export_stop(struct export_job *);

#endif
