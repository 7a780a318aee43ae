/*
 * http.c: the request's method and URI, decoded and checked.
 *
 * This is the first code that touches what a client sent; it allocates
 * nothing, and every string it returns lives in the request's own arena.
 * A fuzz harness can call http_parse() alone.
 */
#include <string.h>

#include "http.h"

static int
http_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Returns 1 when s[0..n) is well-formed UTF-8 (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF), else 0.
 */
int
http_utf8_valid(const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, k, len;
	unsigned int		 cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0) {
			len = 2; cp = s[i] & 0x1F; min = 0x80;
		} else if ((s[i] & 0xF0) == 0xE0) {
			len = 3; cp = s[i] & 0x0F; min = 0x800;
		} else if ((s[i] & 0xF8) == 0xF0) {
			len = 4; cp = s[i] & 0x07; min = 0x10000;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

/*
 * Percent-decodes in[0..n) to out (with '+' as space when plus is set), the
 * one decoder of addresses and form bodies. The output is never longer than
 * the input and is not NUL-terminated. Returns its length, or -1 when an
 * escape is malformed.
 */
long
http_pct_decode(const char *in, size_t n, char *out, int plus)
{
	char	*o = out;
	size_t	 i;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (in[i] == '%') {
			if (n - i < 3 || (hi = http_hexval(in[i + 1])) < 0 ||
			    (lo = http_hexval(in[i + 2])) < 0)
				return -1;
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else if (plus && in[i] == '+')
			*o++ = ' ';
		else
			*o++ = in[i];
	}
	return (long)(o - out);
}

/*
 * Percent-decodes in[0..n) to *out (with '+' as space when plus is set),
 * NUL-terminates it and advances *out past the NUL. Returns 0, or -1 with
 * req->error set when an escape is malformed or the result is not clean
 * UTF-8 text.
 */
static int
http_decode(struct http_req *req, const char *in, size_t n, char **out,
    int plus)
{
	char	*start = *out;
	long	 len;

	if ((len = http_pct_decode(in, n, start, plus)) == -1) {
		req->error = "网址中的百分号编码不完整（%后应为两位十六进制数）";
		return -1;
	}
	for (long i = 0; i < len; i++)
		if ((unsigned char)start[i] < 0x20 || start[i] == 0x7F) {
			req->error = "网址中含有控制字符";
			return -1;
		}
	if (!http_utf8_valid(start, (size_t)len)) {
		req->error = "网址不是有效的 UTF-8 编码";
		return -1;
	}
	start[len] = '\0';
	*out = start + len + 1;
	return 0;
}

/* Splits "a=1&b=2" into decoded parameters. Returns 0, or an HTTP status. */
static int
http_parse_query(struct http_req *req, const char *q, size_t n, char **out)
{
	const char	*end = q + n, *amp, *eq;
	struct http_param *p;

	while (q < end) {
		if ((amp = memchr(q, '&', end - q)) == NULL)
			amp = end;
		if (amp == q) {			/* "a=1&&b=2": skip the empty one */
			q++;
			continue;
		}
		if (req->nparams == HTTP_MAX_PARAMS) {
			req->error = "查询参数过多";
			return 400;
		}
		p = &req->params[req->nparams++];
		if ((eq = memchr(q, '=', amp - q)) == NULL)
			eq = amp;
		p->key = *out;
		if (http_decode(req, q, eq - q, out, 1) == -1)
			return 400;
		p->val = "";	/* static, so "a&b" never outgrows the arena */
		if (eq < amp) {
			p->val = *out;
			if (http_decode(req, eq + 1, amp - eq - 1, out, 1) == -1)
				return 400;
		}
		q = amp;
	}
	return 0;
}

/*
 * Parses REQUEST_METHOD and REQUEST_URI (as sent: path, then an optional
 * query) into req. Returns 0 on success, else the HTTP status to answer
 * (400 or 414) with req->error saying why. The method is recorded, not
 * judged: the caller answers 405.
 */
int
http_parse(struct http_req *req, const char *method, const char *uri)
{
	const char	*qm;
	char		*out = req->arena;
	size_t		 n;

	req->path = "";
	req->uri = uri != NULL ? uri : "";
	req->nparams = 0;
	req->error = NULL;
	req->elder = 0;
	if (method != NULL && strcmp(method, "GET") == 0)
		req->method = HTTP_GET;
	else if (method != NULL && strcmp(method, "HEAD") == 0)
		req->method = HTTP_HEAD;
	else
		req->method = HTTP_OTHER;
	if (uri == NULL || uri[0] != '/') {
		req->error = "请求的网址格式不正确";
		return 400;
	}
	if ((n = strlen(uri)) > HTTP_MAX_URI) {
		req->error = "请求的网址过长";
		return 414;
	}
	if ((qm = memchr(uri, '?', n)) == NULL)
		qm = uri + n;
	req->path = out;
	if (http_decode(req, uri, qm - uri, &out, 0) == -1)
		return 400;
	if (qm < uri + n)
		return http_parse_query(req, qm + 1, uri + n - qm - 1, &out);
	return 0;
}

/* Returns the first value of the parameter named key, or NULL. */
const char *
http_param(const struct http_req *req, const char *key)
{
	size_t	 i;

	for (i = 0; i < req->nparams; i++)
		if (strcmp(req->params[i].key, key) == 0)
			return req->params[i].val;
	return NULL;
}

/*
 * Returns 1 when the Cookie header value cookies holds exactly the pair
 * "name=value" given, as one of its "; "-separated cookies.
 */
int
http_cookie_has(const char *cookies, const char *pair)
{
	size_t		 n = strlen(pair);
	const char	*p = cookies;

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if (strncmp(p, pair, n) == 0 && (p[n] == '\0' || p[n] == ';'))
			return 1;
		if ((p = strchr(p, ';')) != NULL)
			p++;
	}
	return 0;
}
