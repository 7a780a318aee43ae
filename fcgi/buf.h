/* buf.h: a growable byte buffer, always NUL-terminated. */
#ifndef FAZHI_BUF_H
#define FAZHI_BUF_H

#include <stddef.h>

struct buf {
	char	*data;	/* bytes, NUL-terminated when len > 0 */
	size_t	 len;	/* bytes used, without the NUL */
	size_t	 cap;	/* bytes allocated */
};

int	 buf_add(struct buf *, const void *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);

#endif
