/*
 * export.c: the answers that would otherwise each read the whole snapshot --
 * the bulk exports (/export/<section>.json) and the sitemap (/sitemap.xml, an
 * index of sitemap-N.xml files of at most EXPORT_SITEMAP_URLS addresses) --
 * written once per snapshot and moment of visibility into a folder of their
 * own, a set, under `fazhi serve --export DIR`. nginx sends them from disk: a
 * worker only names the file (X-Accel-Redirect, api.c) and never writes.
 *
 * The writer is a child of the master, run at start, after each reload and
 * when a scheduled item's publish-at comes. What is public changes with time
 * only at those moments, so a set is named by the snapshot's id and the
 * latest publish-at that has passed (snap_last_change), which is how a worker
 * finds it. The writer writes the set of now and, ahead of time, the set of
 * the next moment (it is deterministic: the snapshot never changes), so that
 * when that moment comes the workers find its files already there; then it
 * tells the master how long until that moment, and the master runs it again
 * then to write the one after. nginx only sends a set's files through
 * fazhi's redirect (an internal location), so a set written ahead is not
 * public before its time.
 *
 * A set is written into a temporary folder and renamed into place whole, so
 * no worker ever names half a set; until the set of its snapshot and moment
 * is there (a moment after start or a reload), a worker answers 503. Sets
 * made more than EXPORT_KEEP seconds ago that are neither now's nor the next
 * are removed: a download that started from one may still be running, and
 * nginx keeps a file it has open anyway. Several backends may share the
 * folder: each writes a set only when it is missing.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "export.h"
#include "log.h"
#include "req.h"
#include "snap.h"
#include "tpl.h"
#include "worker.h"

/*
 * The name of the set of the snapshot and moment of s's clock: the
 * snapshot's id and the latest publish-at that has passed. Returns 0, or
 * -1 when it does not fit.
 */
int
export_set_name(struct snap *s, char *dst, size_t n)
{
	int	 len = snprintf(dst, n, "%s-%lld", snap_id(s),
		    (long long)snap_last_change(s));

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

/* Opens the snapshot and the templates as a worker does, preview off. */
static int
export_open(const struct worker_cfg *cfg, struct req_env *env)
{
	struct worker_cfg	 c = *cfg;

	c.preview = 0;
	return worker_open(&c, env);
}

/* Removes the folder dir of one set, and the files in it. */
static void
export_remove(const char *dir)
{
	struct dirent	*de;
	char		 file[4400];
	DIR		*d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && snprintf(file, sizeof(file), "%s/%s",
		    dir, de->d_name) < (int)sizeof(file))
			unlink(file);
	closedir(d);
	rmdir(dir);
}

/*
 * Writes the set of env's clock into root, unless it is there already.
 * Returns 0, or -1 (logged).
 */
static int
export_write_set(struct req_env *env, const char *root, size_t per_file,
    char *set, size_t setsz)
{
	char	 dir[4200], tmp[4300];

	if (export_set_name(env->snap, set, setsz) == -1 ||
	    snprintf(dir, sizeof(dir), "%s/%s", root, set) >= (int)sizeof(dir) ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp.%d", dir, (int)getpid()) >=
	    (int)sizeof(tmp))
		return -1;
	if (access(dir, F_OK) == 0)
		return 0;
	if (mkdir(tmp, 0755) == -1) {
		log_warn("%s", tmp);
		return -1;
	}
	if (api_write_exports(env, tmp, per_file) == -1) {
		log_warnx("%s: not written", dir);
		export_remove(tmp);
		return -1;
	}
	if (rename(tmp, dir) == -1) {
		export_remove(tmp);
		if (errno == EEXIST || errno == ENOTEMPTY)
			return 0;	/* another backend wrote it meanwhile */
		log_warn("rename %s", dir);
		return -1;
	}
	log_info("wrote the sitemap and exports of %s", set);
	return 0;
}

/* Removes the sets in root but keep[0..1] made more than EXPORT_KEEP ago. */
static void
export_prune(const char *root, char keep[2][EXPORT_SET_NAME])
{
	struct dirent	*de;
	struct stat	 st;
	char		 set[4400];
	time_t		 now = time(NULL);
	DIR		*d;

	if ((d = opendir(root)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, keep[0]) == 0 ||
		    strcmp(de->d_name, keep[1]) == 0 ||
		    snprintf(set, sizeof(set), "%s/%s", root, de->d_name) >=
		    (int)sizeof(set))
			continue;
		if (stat(set, &st) == 0 && S_ISDIR(st.st_mode) &&
		    now - st.st_mtime >= EXPORT_KEEP)
			export_remove(set);
	}
	closedir(d);
}

/*
 * The writer process: writes the set of now and of the next moment, prunes,
 * and reports the seconds until that moment (0: none) on fd.
 */
static void __attribute__((noreturn))
export_child(const struct worker_cfg *cfg, size_t per_file, int fd)
{
	struct req_env	 env;
	char		 keep[2][EXPORT_SET_NAME] = { "", "" };
	int64_t		 now, next, delay = 0;
	int		 rc;

	log_init("export");
	if (export_open(cfg, &env) == -1)
		_exit(2);
	now = (int64_t)req_clock(cfg->clock_file);
	snap_clock(env.snap, now, 0);
	next = snap_int(env.snap, SNAP_Q_NEXT_CHANGE);
	rc = export_write_set(&env, cfg->export_dir, per_file, keep[0],
	    sizeof(keep[0]));
	if (rc == 0 && next > now) {
		snap_clock(env.snap, next, 0);
		rc = export_write_set(&env, cfg->export_dir, per_file, keep[1],
		    sizeof(keep[1]));
		delay = next - now;
	}
	if (rc == 0)
		export_prune(cfg->export_dir, keep);
	if (write(fd, &delay, sizeof(delay)) != sizeof(delay))
		rc = -1;
	tpl_close(env.tpl);
	snap_close(env.snap);
	_exit(rc == 0 ? 0 : 1);
}

/*
 * Starts the writer for the snapshot now at cfg's path, or, when one is
 * running, has it run again once it ends. Nothing without --export, nor in
 * preview.
 */
void
export_run(struct export_job *j, const struct worker_cfg *cfg, int listen_fd)
{
	int	 p[2];
	pid_t	 pid;

	if (cfg->export_dir == NULL || cfg->preview)
		return;
	j->due_ms = 0;
	if (j->pid != 0) {
		j->again = 1;
		return;
	}
	if (pipe2(p, O_CLOEXEC) == -1 || (pid = fork()) == -1) {
		log_warn("cannot start the export writer");
		return;
	}
	if (pid == 0) {
		/* None of the master's: no signal handlers, no workers' pipes. */
		signal(SIGHUP, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		close(listen_fd);
		close(p[0]);
		close_range(3, (unsigned)p[1] - 1, 0);
		close_range((unsigned)p[1] + 1, ~0U, 0);
		export_child(cfg, j->sitemap_urls, p[1]);
	}
	close(p[1]);
	j->pid = pid;
	j->fd = p[0];
}

/*
 * If pid is the writer, which ended with status at now_ms (monotonic):
 * schedules its next run and returns 1. Otherwise returns 0.
 */
int
export_reaped(struct export_job *j, pid_t pid, int status, long now_ms)
{
	int64_t	 delay = 0;

	if (j->pid == 0 || pid != j->pid)
		return 0;
	if (read(j->fd, &delay, sizeof(delay)) != sizeof(delay))
		delay = 0;
	close(j->fd);
	j->pid = 0;
	j->due_ms = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_warnx("the sitemap and exports were not all written; trying "
		    "again in %d s", EXPORT_RETRY_MS / 1000);
		j->due_ms = now_ms + EXPORT_RETRY_MS;
	} else if (delay > 0)
		j->due_ms = now_ms + (delay < EXPORT_MAX_WAIT ? delay :
		    EXPORT_MAX_WAIT) * 1000;
	if (j->again) {
		j->again = 0;
		j->due_ms = now_ms;
	}
	return 1;
}

/* Stops a writer that is running: its half-written folder is pruned later. */
void
export_stop(struct export_job *j)
{
	if (j->pid != 0)
		kill(j->pid, SIGTERM);
	j->due_ms = 0;
	j->again = 0;
}
