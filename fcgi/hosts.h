/* hosts.h: the other hosts `fazhi publish --hosts FILE` sends the snapshot to. */
#ifndef FAZHI_HOSTS_H
#define FAZHI_HOSTS_H

/* Most hosts one hosts file lists. */
#define HOSTS_MAX	16
/* Longest line of a hosts file, in bytes. */
#define HOSTS_MAX_LINE	1024

struct hosts_host {
	char	 name[64];	/* what messages call it */
	char	 dest[HOSTS_MAX_LINE];	/* rsync destination of the snapshot */
	char	 url[HOSTS_MAX_LINE];	/* its /healthz, as publish reaches it */
	char	 reload[HOSTS_MAX_LINE]; /* sh -c: makes its servers load it */
	int	 copied;	/* holds the new snapshot */
};

struct hosts {
	struct hosts_host h[HOSTS_MAX];
	int		 n;
};

int	hosts_read(const char *, struct hosts *);
int	hosts_copy(const struct hosts_host *, const char *);
int	hosts_reload(const struct hosts_host *);

#endif
