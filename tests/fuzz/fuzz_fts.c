/*
 * fuzz_fts.c: libFuzzer harness for fts.c, which reads what a reader types
 * into the search box: the tokenizer in both modes, the query builder, the
 * filter and the normalizer, and esc_marked on the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "esc.h"
#include "fts.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Every token is non-empty, at most FTS_MAX_TOKEN bytes (a pair: 8) and
 * lies inside the input. */
static int
check(void *arg, int colocated, const char *tok, int n, int start, int end)
{
	int	 len = *(int *)arg;

	(void)colocated, (void)tok;
	if (n <= 0 || n > FTS_MAX_TOKEN || start < 0 || end > len || start >= end)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 b = { 0 };
	char		*s;
	int		 n = (int)size;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fts_tokenize(s, n, FTS_DOCUMENT, check, &n);
	fts_tokenize(s, n, FTS_QUERY, check, &n);
	if (fts_query(&b, s) < 0 || fts_normalize(&b, s) < 0)
		abort();
	buf_reset(&b);
	(void)fts_filter(&b, s);
	buf_reset(&b);
	if (esc_marked(&b, s, 1) < 0 || esc_marked(&b, s, 0) < 0)
		abort();
	buf_free(&b);
	free(s);
	return 0;
}
