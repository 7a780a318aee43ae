/* test_conn.c: unit tests for conn.c (a FastCGI answer in one write, then the close). */
/* checks: 29 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "conn.h"
#include "unit.h"

/* What the reader found in the records of one answer. */
struct got {
	char	*data;		/* the FCGI_STDOUT content, joined */
	size_t	 len;
	int	 records;	/* FCGI_STDOUT records with content */
	int	 ended;		/* an empty FCGI_STDOUT, then FCGI_END_REQUEST */
	int	 bad;		/* a wrong version, id, type or order */
	int	 eof;		/* the connection closed after the answer */
};

/* Reads exactly n bytes from fd. 0, or -1 at EOF or error. */
static int
readn(int fd, void *p, size_t n)
{
	char	*s = p;
	ssize_t	 r;

	while (n > 0) {
		if ((r = read(fd, s, n)) <= 0)
			return -1;
		s += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Reads the records of request id's answer from fd into g. */
static void
read_answer(int fd, int id, struct got *g)
{
	unsigned char	 h[8], end[8];
	size_t		 len;
	char		 c;

	memset(g, 0, sizeof(*g));
	while (readn(fd, h, sizeof(h)) == 0) {
		len = (size_t)h[4] << 8 | h[5];
		if (h[0] != 1 || (h[2] << 8 | h[3]) != id || h[6] != 0)
			g->bad = 1;
		if (h[1] == CONN_STDOUT && len > 0) {
			g->data = realloc(g->data, g->len + len);
			if (g->data == NULL || readn(fd, g->data + g->len, len))
				abort();
			g->len += len;
			g->records++;
			continue;
		}
		if (h[1] != CONN_STDOUT || readn(fd, h, sizeof(h)) == -1 ||
		    h[1] != CONN_END_REQUEST || (h[4] << 8 | h[5]) != 8 ||
		    readn(fd, end, sizeof(end)) == -1 ||
		    memcmp(end, "\0\0\0\0\0\0\0\0", 8) != 0) {
			g->bad = 1;
			return;
		}
		g->ended = 1;
		break;
	}
	g->eof = read(fd, &c, 1) == 0;
}

/* A body of n bytes that differ along it. */
static char *
body_of(size_t n)
{
	char	*b = malloc(n + 1);
	size_t	 i;

	if (b == NULL)
		abort();
	for (i = 0; i < n; i++)
		b[i] = (char)('a' + (i * 7 + i / 65535) % 26);
	return b;
}

/* conn_send of head and a body of blen bytes, read back from a socket pair. */
static void
test_send(size_t blen)
{
	static const char head[] = "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n";
	struct got	 g;
	char		*body = body_of(blen), *want;
	size_t		 hlen = sizeof(head) - 1;
	pid_t		 pid;
	int		 sv[2], st;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1 || (pid = fork()) == -1)
		abort();
	if (pid == 0) {
		close(sv[0]);
		_exit(conn_send(sv[1], 258, head, hlen, body, blen) == 0 ? 0 : 1);
	}
	close(sv[1]);
	read_answer(sv[0], 258, &g);
	close(sv[0]);
	waitpid(pid, &st, 0);
	if ((want = malloc(hlen + blen + 1)) == NULL)
		abort();
	memcpy(want, head, hlen);
	memcpy(want + hlen, body, blen);
	UNIT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "a body of %zu bytes: conn_send returns 0", blen);
	UNIT_CHECK(!g.bad && g.ended, "a body of %zu bytes: well-formed records "
	    "of request 258, ended by an empty FCGI_STDOUT and FCGI_END_REQUEST",
	    blen);
	UNIT_CHECK(g.len == hlen + blen && memcmp(g.data, want, g.len) == 0,
	    "a body of %zu bytes: head and body arrive whole, in order", blen);
	UNIT_CHECK(g.records == 1 + (int)((blen + CONN_MAX_RECORD - 1) /
	    CONN_MAX_RECORD), "a body of %zu bytes: %d record(s) of at most "
	    "CONN_MAX_RECORD bytes (got %d)", blen,
	    1 + (int)((blen + CONN_MAX_RECORD - 1) / CONN_MAX_RECORD), g.records);
	free(g.data);
	free(want);
	free(body);
}

/* Appends a FastCGI record of type with content p, n bytes, to b at *off. */
static void
put_record(unsigned char *b, size_t *off, int type, const void *p, size_t n)
{
	unsigned char	 h[8] = { 1, (unsigned char)type, 0, 1,
	    (unsigned char)(n >> 8), (unsigned char)n, 0, 0 };

	memcpy(b + *off, h, 8);
	memcpy(b + *off + 8, p, n);
	*off += 8 + n;
}

/*
 * nginx's side of one request with a body of inlen bytes, sent on fd in
 * records of at most 60 000 bytes, from a child. Returns the child's pid.
 */
static pid_t
send_request(int fd, size_t inlen)
{
	static const unsigned char begin[8] = { 0, 1, 0 };	/* responder, no keep */
	static const unsigned char params[] = "\016\003REQUEST_METHODGET";
	unsigned char	*b;
	char		*in = body_of(inlen);
	size_t		 off = 0, i, n;
	pid_t		 pid;

	if ((b = malloc(64 + inlen + (inlen / 60000 + 2) * 8)) == NULL)
		abort();
	put_record(b, &off, 1, begin, sizeof(begin));
	put_record(b, &off, 4, params, sizeof(params) - 1);
	put_record(b, &off, 4, "", 0);
	for (i = 0; i < inlen; i += n) {
		n = inlen - i > 60000 ? 60000 : inlen - i;
		put_record(b, &off, 5, in + i, n);
	}
	put_record(b, &off, 5, "", 0);
	if ((pid = fork()) == -1)
		abort();
	if (pid == 0)
		_exit(write(fd, b, off) == (ssize_t)off ? 0 : 1);
	free(b);
	free(in);
	return pid;
}

/*
 * A whole request through libfcgi and conn_answer: the worker's side in a
 * child, which accepts nothing itself (conn_begin hands it the connection).
 */
static void
test_answer(size_t inlen)
{
	struct got	 g;
	pid_t		 w, s;
	int		 sv[2], st, wst;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		abort();
	s = send_request(sv[0], inlen);
	if ((w = fork()) == -1)
		abort();
	if (w == 0) {
		FCGX_Request	 r;
		const char	*m;

		close(sv[0]);
		if (FCGX_Init() != 0 || FCGX_InitRequest(&r, -1, 0) != 0)
			_exit(2);
		conn_begin(&r, sv[1]);
		if (FCGX_Accept_r(&r) < 0 ||
		    (m = FCGX_GetParam("REQUEST_METHOD", r.envp)) == NULL ||
		    strcmp(m, "GET") != 0)
			_exit(3);
		conn_answer(&r, "Status: 204 No Content\r\n\r\n", 26, NULL, 0);
		_exit(r.ipcFd == -1 ? 0 : 4);
	}
	close(sv[1]);
	read_answer(sv[0], 1, &g);
	close(sv[0]);
	waitpid(w, &wst, 0);
	waitpid(s, &st, 0);
	UNIT_CHECK(WIFEXITED(wst) && WEXITSTATUS(wst) == 0,
	    "a request with %zu bytes of input: libfcgi reads it from the "
	    "connection conn_begin hands it, and conn_answer closes that "
	    "(worker exit %d)", inlen, WIFEXITED(wst) ? WEXITSTATUS(wst) : -1);
	UNIT_CHECK(!g.bad && g.ended && g.len == 26 &&
	    memcmp(g.data, "Status: 204", 11) == 0,
	    "a request with %zu bytes of input: its answer arrives whole", inlen);
	UNIT_CHECK(g.eof, "a request with %zu bytes of input: the connection "
	    "ends after the answer", inlen);
	free(g.data);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_send(0);
	test_send(10981);		/* a case page */
	test_send(CONN_MAX_RECORD);
	test_send(CONN_MAX_RECORD + 1);
	/* more records than one writev sends */
	test_send((size_t)CONN_MAX_RECORD * CONN_MAX_BATCH + 7);
	test_answer(0);			/* GET: no input */
	test_answer(1000);		/* a small body, read and dropped */
	test_answer(100000);		/* past CONN_MAX_DRAIN: the careful close */
	return unit_done();
}
