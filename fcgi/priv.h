/* priv.h: giving up root for an unprivileged user (--user). */
#ifndef FAZHI_PRIV_H
#define FAZHI_PRIV_H

#include <sys/types.h>

struct priv {
	const char	*name;		/* NULL: no change asked for */
	uid_t		 uid;
	gid_t		 gid;
};

int	priv_lookup(struct priv *, const char *);
int	priv_chown(const struct priv *, const char *);
int	priv_drop(const struct priv *);

#endif
