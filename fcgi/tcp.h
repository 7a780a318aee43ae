/* tcp.h: `fazhi serve --listen HOST:PORT`: FastCGI over TCP, from listed addresses. */
#ifndef FAZHI_TCP_H
#define FAZHI_TCP_H

#include <netinet/in.h>

/* Most addresses --allow may list: the web servers in front of one backend. */
#define TCP_MAX_ALLOW	16

struct tcp_allow {
	struct in_addr	 addr[TCP_MAX_ALLOW];
	int		 n;
	char		 list[TCP_MAX_ALLOW * 16];	/* "a,b,c" for libfcgi */
};

int	tcp_allow_add(struct tcp_allow *, const char *);
int	tcp_listen(const char *, int);
int	tcp_accept(int, const struct tcp_allow *);

#endif
