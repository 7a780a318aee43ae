/*
 * head.c: formats the status line and headers of an answer (CGI style, as
 * FastCGI wants them). A block that does not fit its buffer is refused, not
 * cut: a cut one could lose Cache-Control or Set-Cookie, or end mid-line.
 *
 * NOTE: FCGX_FPrintF has its own printf that lacks %zu; the head is made
 * with libc's and written with FCGX_PutStr.
 */
#include <stdio.h>
#include <string.h>

#include "head.h"
#include "req.h"

const char *
head_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 301: return "Moved Permanently";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/*
 * Writes the head of out into buf (size bytes, at most HEAD_MAX used), with
 * extra (caching headers, each ending in CRLF) and the blank line that ends
 * the head. Returns its length, or -1 when it does not fit.
 */
int
head_format(const struct req_out *out, const char *extra, char *buf,
    size_t size)
{
	/* pages differ by display mode, which the cookie holds */
	const char	*vary = strncmp(out->type, "text/html", 9) == 0 ?
			    "Vary: Cookie\r\n" : "";
	int		 n;

	if (size > HEAD_MAX)
		size = HEAD_MAX;
	if (out->status == 304)		/* no body: no type, no length */
		n = snprintf(buf, size, "Status: 304 Not Modified\r\n"
		    "%s%s\r\n", extra, vary);
	else
		n = snprintf(buf, size, "Status: %d %s\r\n"
		    "Content-Type: %s\r\nContent-Length: %zu\r\n%s%s%s%s%s%s%s%s"
		    "%s\r\n",
		    out->status, head_reason(out->status), out->type, out->len,
		    extra, out->location ? "Location: " : "",
		    out->location ? out->location : "", out->location ? "\r\n" : "",
		    out->cookie ? "Set-Cookie: " : "", out->cookie ? out->cookie : "",
		    out->cookie ? "\r\nCache-Control: no-store\r\n" : "", vary,
		    out->status == 405 ? "Allow: GET, HEAD\r\n" : "");
	if (n < 0 || (size_t)n >= size)
		return -1;
	return n;
}
