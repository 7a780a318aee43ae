/* buf.c: growable byte buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "mem.h"

/* Makes room for n more bytes plus the NUL. Returns 0, or -1 on failure. */
static int
buf_grow(struct buf *b, size_t n)
{
	size_t	 cap;
	char	*p;

	if (n > (size_t)-1 / 2 - b->len)
		return -1;		/* checked first: len + n + 1 must not wrap */
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	if ((p = mem_realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

/* Appends n bytes. Returns 0, or -1 when out of memory (b unchanged). */
int
buf_add(struct buf *b, const void *p, size_t n)
{
	if ((n >= b->cap - b->len || b->cap == 0) && buf_grow(b, n) == -1)
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(b, n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
	return 0;
}

/* Empties the buffer but keeps its memory for reuse. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	mem_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
