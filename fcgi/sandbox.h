/* sandbox.h: what a worker may still do once it serves requests. */
#ifndef FAZHI_SANDBOX_H
#define FAZHI_SANDBOX_H

#include <stddef.h>

/* Most paths a worker may read after start-up (snapshot, Lua, templates...). */
#define SANDBOX_MAX_READ	8
/* Largest prebuilt answer to a request whose worker the sandbox ends. */
#define SANDBOX_MAX_ANSWER	(256u << 10)
/* Exit status of a worker that made a forbidden system call. */
#define SANDBOX_EXIT		159

struct sandbox_cfg {
	const char	*read[SANDBOX_MAX_READ]; /* files and folders to read */
	int		 nread;
	const char	*write;		/* a folder to write into, or NULL */
	int		 listen_fd;	/* the one socket accept4 may take from */
	const char	*deny;		/* tests: one more call refused, or NULL */
};

/* The answers sandbox_request can send, chosen by the worker. */
enum sandbox_kind {
	SANDBOX_HTML,
	SANDBOX_JSON,
	SANDBOX__KINDS
};

int	sandbox_add_read(struct sandbox_cfg *, const char *);
int	sandbox_landlock_abi(void);
int	sandbox_enter(const struct sandbox_cfg *);
int	sandbox_set_answer(enum sandbox_kind, const char *, size_t);
void	sandbox_request(int, int, enum sandbox_kind);

#endif
