/*
 * tcp.c: FastCGI over TCP (`fazhi serve --listen HOST:PORT`), so that nginx
 * on another host can reach a backend. Only the addresses --allow lists may
 * connect: a worker accepts each connection itself, and closes one from
 * anywhere else before reading a byte of it, logging the address; the
 * connection is then handed to libfcgi (worker.c). The same list goes to
 * libfcgi as FCGI_WEB_SERVER_ADDRS, which it checks when it accepts by
 * itself (after a connection that did not begin a request).
 *
 * IPv4 only: libfcgi's own check knows no other family.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tcp.h"

/* Adds the IPv4 address s to the list. 0, or -1 (logged). */
int
tcp_allow_add(struct tcp_allow *a, const char *s)
{
	struct in_addr	 in;

	if (inet_pton(AF_INET, s, &in) != 1) {
		log_warnx("--allow %s: not an IPv4 address", s);
		return -1;
	}
	if (a->n == TCP_MAX_ALLOW) {
		log_warnx("--allow: at most %d addresses", TCP_MAX_ALLOW);
		return -1;
	}
	a->addr[a->n++] = in;
	snprintf(a->list + strlen(a->list), sizeof(a->list) - strlen(a->list),
	    "%s%s", a->n > 1 ? "," : "", inet_ntoa(in));
	return 0;
}

/*
 * Listens on hostport (IPV4:PORT), non-blocking. Returns the fd, or -1
 * (logged).
 */
int
tcp_listen(const char *hostport, int backlog)
{
	struct sockaddr_in	 sin;
	char			 host[INET_ADDRSTRLEN], *end;
	const char		*colon = strrchr(hostport, ':');
	long			 port;
	int			 fd, on = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (colon == NULL || (size_t)(colon - hostport) >= sizeof(host))
		goto bad;
	memcpy(host, hostport, (size_t)(colon - hostport));
	host[colon - hostport] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 1 || port > 65535 ||
	    inet_pton(AF_INET, host, &sin.sin_addr) != 1)
		goto bad;
	sin.sin_port = htons((uint16_t)port);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("socket");
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, backlog) == -1 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		log_warn("--listen %s", hostport);
		close(fd);
		return -1;
	}
	return fd;
bad:
	log_warnx("--listen %s: give an IPv4 address and a port, e.g. "
	    "127.0.0.1:9000", hostport);
	return -1;
}

/* Is the peer at sin in the list? */
static int
tcp_allowed(const struct tcp_allow *a, const struct sockaddr_in *sin)
{
	int	 i;

	for (i = 0; i < a->n; i++)
		if (a->addr[i].s_addr == sin->sin_addr.s_addr)
			return 1;
	return 0;
}

/*
 * Accepts one connection from listen_fd. Returns its fd when it comes from
 * an allowed address; else -1: none waiting (another worker took it), or
 * refused, closed and logged.
 */
int
tcp_accept(int listen_fd, const struct tcp_allow *a)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	char			 ip[INET_ADDRSTRLEN];
	int			 fd, on = 1;

	if ((fd = accept4(listen_fd, (struct sockaddr *)&sin, &len,
	    SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			log_warn("accept");
		return -1;
	}
	if (sin.sin_family != AF_INET || !tcp_allowed(a, &sin)) {
		log_warnx("refused a connection from %s: not in --allow",
		    inet_ntop(AF_INET, &sin.sin_addr, ip, sizeof(ip)) ? ip : "?");
		close(fd);
		return -1;
	}
	/* Answers go out whole: no delay waiting for more to send. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	return fd;
}
