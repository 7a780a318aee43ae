/*
 * fuzz_http.c: libFuzzer harness for http.c, the first code that reads what a
 * client sent. The first byte picks the method; the rest is REQUEST_URI, and
 * also a Cookie header value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct http_req	 req;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "HEAD", "POST", "" };
	char	*uri;
	size_t	 i;

	if (size == 0)
		return 0;
	if ((uri = malloc(size)) == NULL)
		return 0;
	memcpy(uri, data + 1, size - 1);
	uri[size - 1] = '\0';			/* FastCGI params are C strings */
	if (http_parse(&req, methods[data[0] % 4], uri) == 0) {
		for (i = 0; i < req.nparams; i++)
			if (http_param(&req, req.params[i].key) == NULL)
				abort();	/* a parsed key must be found */
		if (!http_utf8_valid(req.path, strlen(req.path)))
			abort();		/* a parsed path is clean UTF-8 */
	}
	(void)http_cookie_has(uri, "fazhi_mode=elder");
	free(uri);
	return 0;
}
