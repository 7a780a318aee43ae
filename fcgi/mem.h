/* mem.h: the one allocation wrapper; logs failures, and a test build can fail the Nth. */
#ifndef FAZHI_MEM_H
#define FAZHI_MEM_H

#include <stddef.h>

void	*mem_alloc(size_t);
void	*mem_calloc(size_t, size_t);
void	*mem_realloc(void *, size_t);
char	*mem_strdup(const char *);
char	*mem_strndup(const char *, size_t);
void	 mem_free(void *);

#endif
