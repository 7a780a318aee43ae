/* test_head.c: unit tests for head.c (an answer's status line and headers). */
/* checks: 12 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "head.h"
#include "req.h"
#include "unit.h"

static char	 buf[HEAD_MAX + 64];

/* A 303 to a location of n bytes with a cookie, like /mode's answer. */
static int
redirect(size_t n)
{
	static char	 loc[HEAD_MAX + 2];
	struct req_out	 out;

	memset(&out, 0, sizeof(out));
	memset(loc, 'a', n);
	loc[0] = '/';
	loc[n] = '\0';
	out.status = 303;
	out.type = "text/html; charset=utf-8";
	out.location = loc;
	out.cookie = "fazhi_mode=elder; Path=/";
	return head_format(&out, "", buf, sizeof(buf));
}

static void
test_whole(void)
{
	struct req_out	 out;
	int		 n;

	memset(&out, 0, sizeof(out));
	out.status = 200;
	out.type = "text/html; charset=utf-8";
	out.len = 42;
	n = head_format(&out, "ETag: \"x\"\r\n", buf, sizeof(buf));
	UNIT_CHECK(n > 0 && (size_t)n == strlen(buf), "a 200 head fits");
	UNIT_CHECK(strncmp(buf, "Status: 200 OK\r\n", 16) == 0,
	    "it starts with the status line");
	UNIT_CHECK(strstr(buf, "Content-Length: 42\r\n") != NULL &&
	    strstr(buf, "ETag: \"x\"\r\n") != NULL &&
	    strstr(buf, "Vary: Cookie\r\n") != NULL, "it has every header");
	UNIT_CHECK(n >= 4 && strcmp(buf + n - 4, "\r\n\r\n") == 0,
	    "it ends with the blank line");
	out.status = 304;
	n = head_format(&out, "", buf, sizeof(buf));
	UNIT_CHECK(n > 0 && strstr(buf, "Content-Length") == NULL &&
	    strcmp(buf + n - 4, "\r\n\r\n") == 0, "a 304 has no length");
	out.status = 429;
	n = head_format(&out, "", buf, sizeof(buf));
	UNIT_CHECK(n > 0 && strncmp(buf, "Status: 429 Too Many Requests\r\n",
	    31) == 0, "a 429 has its reason");
}

/*
 * The longest location that fits gives a whole head, Set-Cookie and
 * Cache-Control last; one byte more is refused, never cut.
 */
static void
test_limit(void)
{
	size_t	 n, fit = 0;
	int	 len;

	for (n = 1; n < HEAD_MAX; n++)
		if (redirect(n) != -1)
			fit = n;
	UNIT_CHECK(fit > HEAD_MAX - 200 && fit < HEAD_MAX,
	    "a location of up to %zu bytes fits in HEAD_MAX (%d)", fit,
	    HEAD_MAX);
	len = redirect(fit);
	UNIT_CHECK(len == HEAD_MAX - 1, "the longest head is HEAD_MAX - 1 "
	    "bytes (%d)", len);
	UNIT_CHECK(len > 0 && strstr(buf, "\r\nSet-Cookie: fazhi_mode=elder; "
	    "Path=/\r\nCache-Control: no-store\r\n") != NULL &&
	    strcmp(buf + len - 4, "\r\n\r\n") == 0,
	    "the longest head keeps Set-Cookie and Cache-Control");
	UNIT_CHECK(redirect(fit + 1) == -1, "one byte more does not fit");
	UNIT_CHECK(redirect(HEAD_MAX) == -1, "a location of HEAD_MAX bytes "
	    "does not fit");
	UNIT_CHECK(head_format(&(struct req_out){ .status = 200,
	    .type = "text/plain" }, "", buf, 10) == -1,
	    "a buffer too small is refused");
}

int
main(void)
{
	test_whole();
	test_limit();
	return unit_done();
}
