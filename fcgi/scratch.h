/* scratch.h: a scratch copy of the content folder with one item's draft in it, and this program run as a child. */
#ifndef FAZHI_SCRATCH_H
#define FAZHI_SCRATCH_H

#include <stddef.h>

struct console;

/* A scratch content folder: links to content/, the draft a real file. */
struct scratch {
	char	 dir[1024];	/* $TMPDIR/PREFIX-XXXXXX */
	char	 path[4096];	/* the draft's file in it */
	int	 made;		/* dir exists: scratch_close removes it */
};

int	 scratch_open(struct scratch *, const struct console *, const char *,
	    const char *, const char *, const char *, size_t);
void	 scratch_close(struct scratch *);
int	 scratch_run(const struct console *, char *const [], char *, size_t);

#endif
