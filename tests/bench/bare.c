/*
 * bare.c: the benchmark's FastCGI limit: N processes answer with one page from
 * memory, and accept, answer and end each request as fazhi's workers do
 * (conn.c), so that the comparison measures the rendering and not the rest.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "conn.h"

#define BARE_MAX_PROCS	64

/*
 * Reads the page at path once and returns the whole answer, headers then
 * body; sets *hlen to the length of the headers and *len to the whole.
 */
static char *
bare_load(const char *path, int *hlen, int *len)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 n;
	off_t		 off;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1)
		err(1, "%s", path);
	if (st.st_size > 64 * 1024 * 1024)
		errx(1, "%s: too large", path);
	if ((buf = malloc(256 + st.st_size)) == NULL)
		err(1, NULL);
	*hlen = snprintf(buf, 256, "Status: 200 OK\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: %lld\r\n\r\n", (long long)st.st_size);
	for (off = 0; off < st.st_size; off += n)
		if ((n = read(fd, buf + *hlen + off, st.st_size - off)) <= 0)
			err(1, "%s", path);
	close(fd);
	*len = *hlen + (int)st.st_size;
	return buf;
}

/* One process: answers every request on fd with resp until it fails. */
static void
bare_serve(int fd, const char *resp, int hlen, int len)
{
	FCGX_Request	 r;
	const char	*method;
	int		 c;

	if (FCGX_InitRequest(&r, fd, 0) != 0)
		errx(1, "FCGX_InitRequest failed");
	while ((c = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) != -1) {
		conn_begin(&r, c);
		if (FCGX_Accept_r(&r) < 0)
			continue;
		method = FCGX_GetParam("REQUEST_METHOD", r.envp);
		conn_answer(&r, resp, (size_t)hlen, resp + hlen,
		    method != NULL && strcmp(method, "HEAD") == 0 ? 0 :
		    (size_t)(len - hlen));
	}
	_exit(1);
}

/*
 * usage: bare SOCKET PAGE PROCS. Runs until SIGTERM or SIGINT, or until a
 * process dies; then stops them all and removes the socket.
 */
int
main(int argc, char **argv)
{
	pid_t		 kids[BARE_MAX_PROCS];
	sigset_t	 set;
	char		*resp;
	int		 fd, i, n, sig, hlen, len;

	if (argc != 4 || (n = atoi(argv[3])) < 1 || n > BARE_MAX_PROCS) {
		fprintf(stderr, "usage: bare SOCKET PAGE PROCS (1 to %d)\n",
		    BARE_MAX_PROCS);
		return 1;
	}
	resp = bare_load(argv[2], &hlen, &len);
	if (FCGX_Init() != 0)
		errx(1, "FCGX_Init failed");
	unlink(argv[1]);
	if ((fd = FCGX_OpenSocket(argv[1], 128)) == -1)
		errx(1, "%s: cannot listen", argv[1]);

	/* Blocked here so that sigwait below misses none. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < n; i++) {
		if ((kids[i] = fork()) == -1) {
			warn("fork");
			break;
		}
		if (kids[i] == 0) {
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			bare_serve(fd, resp, hlen, len);
		}
	}
	sig = SIGCHLD;
	if (i == n)
		sigwait(&set, &sig);
	while (i-- > 0)
		kill(kids[i], SIGTERM);
	while (wait(NULL) != -1)
		continue;
	unlink(argv[1]);
	return sig == SIGCHLD;
}
