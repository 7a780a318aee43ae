/* http.h: decoding of the untrusted request line: method, path, query. */
#ifndef FAZHI_HTTP_H
#define FAZHI_HTTP_H

#include <stddef.h>

/* Longest REQUEST_URI (path and query, undecoded) we accept; longer gets 414. */
#define HTTP_MAX_URI		4096
/* Most query parameters in one request; more gets 400. */
#define HTTP_MAX_PARAMS		32

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_OTHER
};

struct http_param {
	const char	*key;	/* decoded, NUL-terminated, points into req->arena */
	const char	*val;	/* decoded, NUL-terminated, "" when absent */
};

struct http_req {
	enum http_method	 method;
	const char		*path;		/* decoded path, into arena */
	const char		*uri;		/* REQUEST_URI as sent, or "" */
	size_t			 nparams;
	struct http_param	 params[HTTP_MAX_PARAMS];
	const char		*error;		/* why parsing failed, for the 4xx page */
	int			 elder;		/* the elderly display mode is on */
	const char		*accept;	/* the Accept header, or NULL */
	char			 arena[HTTP_MAX_URI + 2]; /* decoded strings */
};

int		 http_parse(struct http_req *, const char *, const char *);
int		 http_utf8_valid(const char *, size_t);
long	http_pct_decode(const char *, size_t, char *, int);
const char	*http_param(const struct http_req *, const char *);
int		 http_cookie_has(const char *, const char *);

#endif
