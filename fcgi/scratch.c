/*
 * scratch.c: what checking and previewing a draft share. A draft is never
 * put in content/ before it is approved: it is checked (`fazhi check`) and
 * previewed (`fazhi build`) in a scratch copy of the content folder, made of
 * links to every file but the draft's own, which is a real file there;
 * its media/ links the console's uploaded files too (scratch_media).
 * The copy is removed when done, whatever happened.
 *
 * The CLI runs as a child (scratch_run): the very code path of `fazhi
 * check`, `build`, `publish` and `withdraw`, with its own process for
 * libxml2's global error state and the builder's memory.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "scratch.h"

/*
 * Runs this program with argv (argv[0] is ignored), its stdout and stderr
 * into out (NUL-terminated, at most outsz - 1 bytes kept). Returns the exit
 * status, or -1 when it could not run.
 */
int
scratch_run(const struct console *con, char *const argv[], char *out,
    size_t outsz)
{
	int	 fds[2], status;
	size_t	 got = 0;
	ssize_t	 n;
	pid_t	 pid;
	char	 drain[4096];

	if (pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		execv(con->exe, argv);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], got + 1 < outsz ? out + got : drain,
	    got + 1 < outsz ? outsz - 1 - got : sizeof(drain))) > 0 ||
	    (n == -1 && errno == EINTR))
		if (n > 0 && got + 1 < outsz)
			got += (size_t)n;
	out[got] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Removes a scratch folder: links, files, folders. */
static void
scratch_rmtree(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		 p[4096];

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			scratch_rmtree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * Links every entry of from into to, but skip (NULL: none) and hidden
 * files (an editor's or a half-written file); one there already is kept.
 * Returns 0, or -1.
 */
static int
scratch_link_all(const char *from, const char *to, const char *skip)
{
	DIR		*d;
	struct dirent	*de;
	char		 a[4096], b[4096], abs[4096];
	int		 rc = 0;

	if (realpath(from, abs) == NULL || (d = opendir(abs)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL && rc == 0) {
		if (de->d_name[0] == '.' ||
		    (skip != NULL && strcmp(de->d_name, skip) == 0))
			continue;
		if (snprintf(a, sizeof(a), "%s/%s", abs, de->d_name) >=
		    (int)sizeof(a) || snprintf(b, sizeof(b), "%s/%s", to,
		    de->d_name) >= (int)sizeof(b) ||
		    (symlink(a, b) == -1 && errno != EEXIST))
			rc = -1;
	}
	closedir(d);
	return rc;
}

/*
 * Makes media/ of the scratch content folder dir a folder of links to
 * content/media/ and to the console's media folder, so that a draft's
 * uploaded files are found before they are published. Returns 0, or -1.
 */
static int
scratch_media(const struct console *con, const char *dir)
{
	char	 media[4096], from[4096];

	snprintf(media, sizeof(media), "%s/media", dir);
	snprintf(from, sizeof(from), "%s/media", con->content_dir);
	if ((unlink(media) == -1 && errno != ENOENT) || mkdir(media, 0700) == -1)
		return -1;
	return (access(from, F_OK) == 0 &&
	    scratch_link_all(from, media, NULL) == -1) ||
	    (access(con->media_dir, F_OK) == 0 &&
	    scratch_link_all(con->media_dir, media, NULL) == -1) ? -1 : 0;
}

/*
 * Makes a scratch content folder $TMPDIR/PREFIX-XXXXXX (/tmp without
 * TMPDIR): the content folder's entries linked, section/ a real folder of
 * links but for id.xml, and id.xml written from xml. Fills sc; the caller calls scratch_close, failed
 * or not. Returns 0, or -1.
 */
int
scratch_open(struct scratch *sc, const struct console *con, const char *prefix,
    const char *section, const char *id, const char *xml, size_t len)
{
	char		 sec[4096], from[4096], name[256];
	const char	*tmp = getenv("TMPDIR");
	FILE		*f;
	int		 ok;

	memset(sc, 0, sizeof(*sc));
	/* Under TMPDIR when set: the tests keep their scratch inside build/. */
	if (snprintf(sc->dir, sizeof(sc->dir), "%s/%s-XXXXXX", tmp != NULL &&
	    *tmp != '\0' ? tmp : "/tmp", prefix) >=
	    (int)sizeof(sc->dir) || mkdtemp(sc->dir) == NULL)
		return -1;
	sc->made = 1;
	snprintf(sec, sizeof(sec), "%s/%s", sc->dir, section);
	snprintf(from, sizeof(from), "%s/%s", con->content_dir, section);
	if (snprintf(name, sizeof(name), "%s.xml", id) >= (int)sizeof(name) ||
	    snprintf(sc->path, sizeof(sc->path), "%s/%s", sec, name) >=
	    (int)sizeof(sc->path) ||
	    scratch_link_all(con->content_dir, sc->dir, section) == -1 ||
	    scratch_media(con, sc->dir) == -1 ||
	    mkdir(sec, 0700) == -1 ||
	    (access(from, F_OK) == 0 && scratch_link_all(from, sec, name) == -1) ||
	    (f = fopen(sc->path, "w")) == NULL)
		return -1;
	ok = fwrite(xml, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Removes the scratch folder, when it was made. */
void
scratch_close(struct scratch *sc)
{
	if (sc->made)
		scratch_rmtree(sc->dir);
	sc->made = 0;
}
