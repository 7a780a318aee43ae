/*
 * conn.c: a FastCGI connection from nginx, around libfcgi. libfcgi reads the
 * request (its parameters and input); the caller accepts the connection and
 * this file writes the answer and closes. The workers use it, and so does the
 * benchmark's bare FastCGI program (tests/bench/bare.c), so that the two are
 * compared on the same accept, write and close.
 *
 * NOTE: accept, read, writev and close for a request, where libfcgi alone
 * also polled each new connection and wrote a page in 8 KiB pieces (waking
 * nginx for each): the caller accepts (conn_begin), and the answer goes out
 * as one writev(2) of whole records, the connection closed at once
 * (conn_answer).
 */
#include <sys/uio.h>

#include <errno.h>
#include <stddef.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "conn.h"

/* Most request-body bytes read and discarded to close a connection at once. */
#define CONN_MAX_DRAIN	(64u << 10)

/*
 * Hands r the connection fd, accepted by the caller: libfcgi's FCGX_Accept_r
 * then reads its request from it, accepting by itself only when r holds no
 * connection.
 */
void
conn_begin(FCGX_Request *r, int fd)
{
	r->ipcFd = fd;
	r->keepConnection = 1;	/* till its BEGIN_REQUEST says otherwise */
}

/* Fills the 8 bytes of a FastCGI record header: no padding. */
static void
conn_record(unsigned char *h, int type, int id, size_t len)
{
	h[0] = 1;			/* FCGI_VERSION_1 */
	h[1] = (unsigned char)type;
	h[2] = (unsigned char)(id >> 8);
	h[3] = (unsigned char)id;
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)len;
	h[6] = 0;
	h[7] = 0;
}

/*
 * writev(2) of the n vectors at v until all is written. Returns 0, or -1
 * (errno set). Vectors written are consumed.
 */
static int
conn_writev(int fd, struct iovec *v, int n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = writev(fd, v, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (; n > 0 && (size_t)w >= v->iov_len; v++, n--)
			w -= (ssize_t)v->iov_len;
		if (n > 0) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/*
 * Sends the answer of request id on fd: head (the CGI status line and
 * headers, at most CONN_MAX_RECORD bytes) and body as FCGI_STDOUT records,
 * an empty one to end the stream, then FCGI_END_REQUEST; a body of up to
 * CONN_MAX_BATCH - 1 records goes in one writev(2). Async-signal-safe: no
 * allocation and nothing but writev, so the sandbox's SIGSYS handler sends
 * its prebuilt answer with it too. Returns 0, or -1 (errno set).
 */
int
conn_send(int fd, int id, const char *head, size_t hlen, const char *body,
    size_t blen)
{
	static const unsigned char end[8] = { 0 };	/* complete, status 0 */
	unsigned char	 h[CONN_MAX_BATCH + 2][8];
	struct iovec	 v[2 * CONN_MAX_BATCH + 3];
	size_t		 len;
	int		 n, k;

	n = k = 0;
	if (hlen > 0) {
		conn_record(h[k], CONN_STDOUT, id, hlen);
		v[n++] = (struct iovec){ h[k++], 8 };
		v[n++] = (struct iovec){ (void *)head, hlen };
	}
	for (;;) {
		for (; blen > 0 && k < CONN_MAX_BATCH; body += len, blen -= len) {
			len = blen > CONN_MAX_RECORD ? CONN_MAX_RECORD : blen;
			conn_record(h[k], CONN_STDOUT, id, len);
			v[n++] = (struct iovec){ h[k++], 8 };
			v[n++] = (struct iovec){ (void *)body, len };
		}
		if (blen == 0)
			break;
		if (conn_writev(fd, v, n) == -1)
			return -1;
		n = k = 0;
	}
	conn_record(h[k], CONN_STDOUT, id, 0);
	v[n++] = (struct iovec){ h[k++], 8 };
	conn_record(h[k], CONN_END_REQUEST, id, sizeof(end));
	v[n++] = (struct iovec){ h[k++], 8 };
	v[n++] = (struct iovec){ (void *)end, sizeof(end) };
	return conn_writev(fd, v, n);
}

/*
 * Answers the request in r with head and body (conn_send), ends it and
 * closes its connection.
 *
 * NOTE: libfcgi closes with shutdown(SHUT_WR) and then waits until nginx
 * closes its end (a TCP courtesy: unread input could make the kernel send a
 * reset). That wait kept a worker idle for a round trip through nginx on every
 * request, and cost a third of the throughput. Here the request's input is
 * read to its end first (GET has none; a body is at most nginx's
 * client_max_body_size), so nothing is left unread and FCGX_Detach can mark
 * the connection to be closed at once. Input that does not end within
 * CONN_MAX_DRAIN bytes gets the library's careful close.
 */
void
conn_answer(FCGX_Request *r, const char *head, size_t hlen, const char *body,
    size_t blen)
{
	char	 junk[4096];
	size_t	 total = 0;
	int	 n;

	while (total <= CONN_MAX_DRAIN &&
	    (n = FCGX_GetStr(junk, sizeof(junk), r->in)) > 0)
		total += (size_t)n;
	if (total <= CONN_MAX_DRAIN && FCGX_GetError(r->in) == 0)
		FCGX_Detach(r);
	(void)conn_send(r->ipcFd, r->requestId, head, hlen, body, blen);
	FCGX_Free(r, 1);	/* closes; libfcgi's streams wrote nothing */
}
