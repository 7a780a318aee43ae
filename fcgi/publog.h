/* publog.h: the publishing log: who published or withdrew what, when and why. */
#ifndef FAZHI_PUBLOG_H
#define FAZHI_PUBLOG_H

#include <stddef.h>

/* Longest field written to the log (a reason, a list of items), in bytes. */
#define PUBLOG_MAX_FIELD	2000

struct publog_entry {
	const char	*action;	/* publish, withdraw, or either + "-failed" */
	const char	*by;		/* the name given (--by), or NULL */
	const char	*snapshot;	/* the snapshot now live */
	const char	*items;		/* "withdrawn:ID updated:ID …", or "" */
	const char	*reason;	/* why (a withdrawal, a failure), or NULL */
};

void	publog_default(char *, size_t, const char *);
int	publog_open(const char *);
int	publog_write(int, const struct publog_entry *);
int	publog_main(int, char **);

#endif
