/*
 * hosts.c: the other hosts `fazhi publish --hosts FILE` sends the snapshot
 * to. Each line of the file names one host:
 *
 *	NAME  DESTINATION  HEALTHZ  RELOAD-COMMAND...
 *
 * DESTINATION is where rsync copies the snapshot (user@host:/path/site.db
 * over ssh, or a local path); rsync writes a temporary file beside it and
 * renames it into place, so a server never sees half a snapshot. HEALTHZ
 * is the host's /healthz as publish reaches it (http://IPV4:PORT/...), and
 * the rest of the line a shell command that makes the host's servers load
 * the new snapshot (ssh user@host sudo systemctl reload fazhi). Blank lines
 * and lines starting with # are skipped.
 */
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hosts.h"
#include "log.h"

/*
 * Copies the next whitespace-separated field of *s into dst (n bytes) and
 * moves *s past it. Returns 0, or -1 when there is none or it does not fit.
 */
static int
hosts_field(char **s, char *dst, size_t n)
{
	size_t	 len;

	*s += strspn(*s, " \t");
	len = strcspn(*s, " \t\r\n");
	if (len == 0 || len >= n)
		return -1;
	memcpy(dst, *s, len);
	dst[len] = '\0';
	*s += len;
	return 0;
}

/* Parses one line into h. Returns 0, or -1 when it is not a host line. */
static int
hosts_parse(char *s, struct hosts_host *h)
{
	size_t	 len;

	memset(h, 0, sizeof(*h));
	if (hosts_field(&s, h->name, sizeof(h->name)) == -1 ||
	    hosts_field(&s, h->dest, sizeof(h->dest)) == -1 ||
	    hosts_field(&s, h->url, sizeof(h->url)) == -1)
		return -1;
	s += strspn(s, " \t");
	len = strcspn(s, "\r\n");
	if (len == 0 || h->dest[0] == '-' || strncmp(h->url, "http://", 7) != 0)
		return -1;
	memcpy(h->reload, s, len);
	h->reload[len] = '\0';
	return 0;
}

/*
 * Reads the hosts file at path into hs. Returns 0, or -1 with the reason on
 * stderr.
 */
int
hosts_read(const char *path, struct hosts *hs)
{
	char	 line[HOSTS_MAX_LINE + 2], *s;
	FILE	*f;
	int	 n = 0, rc = -1;

	hs->n = 0;
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (strchr(line, '\n') == NULL && strlen(line) > HOSTS_MAX_LINE) {
			fprintf(stderr, "%s:%d: longer than %d bytes\n", path, n,
			    HOSTS_MAX_LINE);
			goto done;
		}
		s = line + strspn(line, " \t");
		if (*s == '#' || *s == '\n' || *s == '\r' || *s == '\0')
			continue;
		if (hs->n == HOSTS_MAX) {
			fprintf(stderr, "%s:%d: at most %d hosts\n", path, n,
			    HOSTS_MAX);
			goto done;
		}
		if (hosts_parse(s, &hs->h[hs->n]) == -1) {
			fprintf(stderr, "%s:%d: not NAME DESTINATION "
			    "http://IPV4:PORT/healthz RELOAD-COMMAND\n", path, n);
			goto done;
		}
		hs->n++;
	}
	rc = 0;
done:
	fclose(f);
	return rc;
}

/* Runs argv and waits for it. Returns its exit status, or -1. */
static int
hosts_run(char *const argv[])
{
	pid_t	 pid;
	int	 st;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		log_warn("fork");
		return -1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Copies the snapshot at src to h (rsync). Returns 0, or -1 (said). */
int
hosts_copy(const struct hosts_host *h, const char *src)
{
	/* --ignore-times: copy even when size and time happen to agree */
	char	*argv[] = { "rsync", "--times", "--ignore-times", "--", (char *)src,
		    (char *)h->dest, NULL };
	int	 rc;

	if ((rc = hosts_run(argv)) != 0) {
		fprintf(stderr, "host %s: the snapshot could not be copied to %s "
		    "(rsync: status %d)\n", h->name, h->dest, rc);
		return -1;
	}
	return 0;
}

/* Runs h's reload command. Returns 0, or -1 (said). */
int
hosts_reload(const struct hosts_host *h)
{
	char	*argv[] = { "/bin/sh", "-c", (char *)h->reload, NULL };
	int	 rc;

	if ((rc = hosts_run(argv)) != 0) {
		fprintf(stderr, "host %s: its reload command failed (status %d): "
		    "%s\n", h->name, rc, h->reload);
		return -1;
	}
	return 0;
}
