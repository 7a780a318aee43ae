/*
 * finish.c: ends a FastCGI request and closes its connection at once. The
 * workers use it, and so does the benchmark's bare FastCGI program
 * (tests/bench/bare.c), so that the two are compared on the same close.
 */
#include <stddef.h>

#include <fcgiapp.h>

#include "finish.h"

/* Most request-body bytes read and discarded to close a connection at once. */
#define FINISH_MAX_DRAIN	(64u << 10)

/*
 * Ends the request and closes its connection.
 *
 * NOTE: FCGX_Finish_r closes with shutdown(SHUT_WR) and then waits until nginx
 * closes its end (a TCP courtesy: unread input could make the kernel send a
 * reset). That wait kept a worker idle for a round trip through nginx on every
 * request, and cost a third of the throughput. Here the request's input is
 * read to its end first (GET has none; a body is at most nginx's
 * client_max_body_size), so nothing is left unread and FCGX_Detach can mark
 * the connection to be closed at once. Input that does not end within
 * FINISH_MAX_DRAIN bytes gets the library's careful close.
 */
void
finish_request(FCGX_Request *r)
{
	char	 junk[4096];
	size_t	 total = 0;
	int	 n;

	while (total <= FINISH_MAX_DRAIN &&
	    (n = FCGX_GetStr(junk, sizeof(junk), r->in)) > 0)
		total += (size_t)n;
	if (total <= FINISH_MAX_DRAIN && FCGX_GetError(r->in) == 0)
		FCGX_Detach(r);
	FCGX_Finish_r(r);
}
