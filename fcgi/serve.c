/*
 * serve.c: the master process. It owns the listening socket, forks the
 * workers and supervises them:
 *
 *  - a worker that dies is replaced; one that keeps dying right after start
 *    is replaced with exponential back-off;
 *  - SIGHUP checks the snapshot now at the snapshot path, starts a new
 *    generation of workers on it and, once they are ready, retires the old
 *    ones, which finish the request in hand and exit; a snapshot that fails
 *    the check leaves the running generation alone;
 *  - SIGTERM or SIGINT retires every worker, waits for them (SIGKILL after
 *    SERVE_STOP_TIMEOUT_MS), removes the socket and exits;
 *  - the watchdog: a worker that the scoreboard (score.c) shows on one
 *    request for longer than SERVE_MAX_REQUEST_MS is killed and replaced.
 *
 * Workers are told to stop by closing their control pipe, never by a signal
 * (see worker.c); only the watchdog's SIGKILL ends a stuck one. Signals reach the master's loop through a self-pipe.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "datadir.h"
#include "export.h"
#include "log.h"
#include "priv.h"
#include "sandbox.h"
#include "score.h"
#include "serve.h"
#include "tcp.h"
#include "worker.h"

#define SERVE_SLOTS	(SERVE_MAX_WORKERS * 4)	/* current + retiring */
_Static_assert(SERVE_SLOTS <= SCORE_SLOTS, "a scoreboard slot per worker slot");

struct slot {
	pid_t		 pid;		/* 0: free */
	int		 ctl_w;		/* control pipe, write end; -1: retired */
	int		 gen;		/* generation it belongs to */
	int		 pos;		/* position in its generation */
	int		 ready;		/* has opened everything */
	int		 killed;	/* by the watchdog */
	long		 started_ms;
};

struct position {
	int		 crashes;	/* quick deaths in a row */
	long		 respawn_ms;	/* when to respawn; 0: not pending */
};

struct serve {
	struct worker_cfg cfg;
	const char	*sockpath;
	const char	*listen;	/* --listen HOST:PORT, or NULL */
	struct tcp_allow allow;		/* --allow: who may connect to it */
	ino_t		 sockino;	/* to remove only our own socket */
	const char	*pidfile;	/* --pid-file: where publish finds us */
	int		 listen_fd;
	int		 nworkers;
	int		 gen;		/* the current generation */
	long		 switch_deadline; /* retire old gen by then; 0: none */
	long		 stop_deadline;	/* SIGKILL by then; 0: not stopping */
	int		 ready_r, ready_w;
	struct slot	 slots[SERVE_SLOTS];
	struct position	 pos[SERVE_MAX_WORKERS];
	struct export_job export;	/* the sitemap and exports' writer */
	const char	*rate_log;	/* --rate-log: nginx's log of its 429s */
	uint64_t	 rate_seen;	/* 429s in it at the last look */
	uint64_t	 rate_before;	/* 429s in the logs it replaced */
};

static int	serve_sigpipe[2] = { -1, -1 };

static int	serve_alive(const struct serve *);

static long
serve_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void
serve_on_signal(int sig)
{
	unsigned char	 c = (unsigned char)sig;
	int		 saved = errno;

	(void)!write(serve_sigpipe[1], &c, 1);
	errno = saved;
}

static int
serve_signals(void)
{
	struct sigaction sa;
	int		 sigs[] = { SIGHUP, SIGTERM, SIGINT, SIGCHLD }, i;

	if (pipe2(serve_sigpipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("pipe");
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = serve_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/*
 * Opens the listening unix socket at path, mode 0600 (0660 with group), after
 * making sure no other server answers there. Returns the fd, or -1 (logged).
 */
static int
serve_listen(struct serve *s, const char *group)
{
	struct sockaddr_un sun;
	struct group	*gr = NULL;
	struct stat	 st;
	mode_t		 old;
	int		 fd, probe;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(s->sockpath) >= sizeof(sun.sun_path)) {
		log_warnx("%s: socket path too long", s->sockpath);
		return -1;
	}
	strcpy(sun.sun_path, s->sockpath);
	if (group != NULL && (gr = getgrnam(group)) == NULL) {
		log_warnx("%s: no such group", group);
		return -1;
	}
	if ((probe = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("socket");
		return -1;
	}
	if (connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		log_warnx("%s: another server is already listening there",
		    s->sockpath);
		goto fail;
	}
	if (lstat(s->sockpath, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(s->sockpath);		/* stale: nobody answers */
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		log_warn("%s", s->sockpath);
		goto fail;
	}
	umask(old);
	if (gr != NULL && (chown(s->sockpath, (uid_t)-1, gr->gr_gid) == -1 ||
	    chmod(s->sockpath, 0660) == -1)) {
		log_warn("%s", s->sockpath);
		goto fail;
	}
	if (listen(fd, SERVE_BACKLOG) == -1 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1 ||
	    stat(s->sockpath, &st) == -1) {
		log_warn("%s", s->sockpath);
		goto fail;
	}
	s->sockino = st.st_ino;
	close(probe);
	return fd;
fail:
	close(probe);
	close(fd);
	return -1;
}

/* Starts a worker at position pos of the current generation. */
static int
serve_spawn(struct serve *s, int pos)
{
	struct slot	*w = NULL;
	int		 ctl[2], i;
	pid_t		 pid;

	for (i = 0; i < SERVE_SLOTS && w == NULL; i++)
		if (s->slots[i].pid == 0)
			w = &s->slots[i];
	if (w == NULL || pipe(ctl) == -1) {
		log_warn("cannot start a worker");
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_warn("fork");
		close(ctl[0]);
		close(ctl[1]);
		return -1;
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);	/* the master's handlers are not ours */
		signal(SIGCHLD, SIG_DFL);
		close(serve_sigpipe[0]);
		close(serve_sigpipe[1]);
		for (i = 0; i < SERVE_SLOTS; i++)
			if (s->slots[i].pid != 0 && s->slots[i].ctl_w != -1)
				close(s->slots[i].ctl_w);
		close(ctl[1]);
		close(s->ready_r);
		score_attach((int)(w - s->slots));
		worker_main(&s->cfg, s->listen_fd, ctl[0], s->ready_w);
	}
	close(ctl[0]);
	w->pid = pid;
	w->ctl_w = ctl[1];
	w->gen = s->gen;
	w->pos = pos;
	w->ready = 0;
	w->killed = 0;
	w->started_ms = serve_now_ms();
	return 0;
}

/* Closes the control pipe of every worker of generations before gen. */
static void
serve_retire(struct serve *s, int gen)
{
	int	 i;

	for (i = 0; i < SERVE_SLOTS; i++)
		if (s->slots[i].pid != 0 && s->slots[i].gen < gen &&
		    s->slots[i].ctl_w != -1) {
			close(s->slots[i].ctl_w);
			s->slots[i].ctl_w = -1;
		}
}

/* SIGHUP: a new generation on the newly published snapshot, if it is sound. */
static void
serve_reload(struct serve *s)
{
	int	 i;

	if (s->stop_deadline != 0)
		return;
	if (worker_check(&s->cfg) == -1) {
		log_warnx("reload refused: the new snapshot or templates do "
		    "not load; still serving the previous ones");
		score_event(SCORE_RELOAD_FAIL);
		return;
	}
	score_event(SCORE_RELOAD);
	s->gen++;
	log_info("reload: starting generation %d", s->gen);
	export_run(&s->export, &s->cfg, s->listen_fd);
	for (i = 0; i < s->nworkers; i++) {
		s->pos[i].crashes = 0;
		s->pos[i].respawn_ms = 0;
		if (serve_spawn(s, i) == -1)
			s->pos[i].respawn_ms = serve_now_ms() + SERVE_BACKOFF_MIN_MS;
	}
	s->switch_deadline = serve_now_ms() + SERVE_READY_TIMEOUT_MS;
}

/* Retires the previous generation once the current one is ready (or late). */
static void
serve_maybe_switch(struct serve *s)
{
	int	 i, ready = 0;

	if (s->switch_deadline == 0)
		return;
	for (i = 0; i < SERVE_SLOTS; i++)
		if (s->slots[i].pid != 0 && s->slots[i].gen == s->gen &&
		    s->slots[i].ready)
			ready++;
	if (ready < s->nworkers && serve_now_ms() < s->switch_deadline)
		return;
	serve_retire(s, s->gen);
	s->switch_deadline = 0;
	log_info("reload: generation %d serving (%d of %d ready)", s->gen,
	    ready, s->nworkers);
}

/* A worker of the current generation died: schedule its replacement. */
static void
serve_schedule(struct serve *s, const struct slot *w, int status)
{
	struct position	*p = &s->pos[w->pos];
	long		 now = serve_now_ms(), delay = 0;

	if (now - w->started_ms < SERVE_CRASH_WINDOW_MS) {
		p->crashes++;
		delay = SERVE_BACKOFF_MIN_MS << (p->crashes > 6 ? 6 : p->crashes - 1);
		if (delay > SERVE_BACKOFF_MAX_MS)
			delay = SERVE_BACKOFF_MAX_MS;
	} else
		p->crashes = 0;
	p->respawn_ms = now + delay;
	score_event(SCORE_RESTART);
	if (WIFSIGNALED(status))
		log_warnx("worker %d killed by signal %d; respawning in %ld ms",
		    (int)w->pid, WTERMSIG(status), delay);
	else
		log_warnx("worker %d exited with status %d; respawning in %ld ms",
		    (int)w->pid, WEXITSTATUS(status), delay);
}

/* Reaps every exited worker. */
static void
serve_reap(struct serve *s)
{
	struct slot	*w;
	pid_t		 pid;
	int		 status, i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (export_reaped(&s->export, pid, status, serve_now_ms()))
			continue;
		for (i = 0, w = NULL; i < SERVE_SLOTS && w == NULL; i++)
			if (s->slots[i].pid == pid)
				w = &s->slots[i];
		if (w == NULL)
			continue;
		score_retire((int)(w - s->slots));
		if (w->ctl_w != -1 && s->stop_deadline == 0 && w->gen == s->gen)
			serve_schedule(s, w, status);
		if (w->ctl_w != -1)
			close(w->ctl_w);
		w->pid = 0;
		w->ctl_w = -1;
	}
}

/* Reads the pids that workers write once ready. */
static void
serve_read_ready(struct serve *s)
{
	pid_t	 pid;
	int	 i;

	while (read(s->ready_r, &pid, sizeof(pid)) == sizeof(pid))
		for (i = 0; i < SERVE_SLOTS; i++)
			if (s->slots[i].pid == pid)
				s->slots[i].ready = 1;
}

static void
serve_respawn_due(struct serve *s)
{
	long	 now = serve_now_ms();
	int	 i;

	for (i = 0; i < s->nworkers; i++)
		if (s->pos[i].respawn_ms != 0 && s->pos[i].respawn_ms <= now) {
			s->pos[i].respawn_ms = 0;
			if (serve_spawn(s, i) == -1)
				s->pos[i].respawn_ms = now + SERVE_BACKOFF_MAX_MS;
		}
	if (s->export.due_ms != 0 && s->export.due_ms <= now)
		export_run(&s->export, &s->cfg, s->listen_fd);
}

/*
 * The watchdog: kills each worker that has been on one request for longer
 * than SERVE_MAX_REQUEST_MS; serve_reap replaces it. nginx answers that
 * request 502.
 */
static void
serve_watch(struct serve *s)
{
	char	 uri[SCORE_MAX_URI];
	int64_t	 now = score_now_ms(), ms;
	int	 i;

	for (i = 0; i < SERVE_SLOTS; i++) {
		if (s->slots[i].pid == 0 || s->slots[i].killed)
			continue;
		if ((ms = score_busy_ms(i, now, uri, sizeof(uri))) <=
		    SERVE_MAX_REQUEST_MS)
			continue;
		log_warnx("watchdog: worker %d has been on %s for %" PRId64
		    " ms, over %d ms: killed", (int)s->slots[i].pid, uri, ms,
		    SERVE_MAX_REQUEST_MS);
		kill(s->slots[i].pid, SIGKILL);
		s->slots[i].killed = 1;
		score_event(SCORE_KILL);
	}
}

/*
 * The requests nginx refused with 429: --rate-log is a log nginx writes one
 * line of SERVE_RATE_LINE bytes to for each (nginx/fazhi.conf.in), so its
 * size counts them. A log that shrinks was rotated: what it held is kept,
 * so the count never goes down.
 */
static void
serve_rate_count(struct serve *s)
{
	struct stat	 st;
	uint64_t	 n = 0;

	if (s->rate_log == NULL)
		return;
	if (stat(s->rate_log, &st) == 0)
		n = (uint64_t)st.st_size / SERVE_RATE_LINE;
	if (n < s->rate_seen)
		s->rate_before += s->rate_seen;
	s->rate_seen = n;
	score_limited(s->rate_before + n);
}

/* Milliseconds until the next timed event, or -1 for none. */
static int
serve_timeout(const struct serve *s)
{
	long	 next = 0, now = serve_now_ms();
	int	 i;

	for (i = 0; i < s->nworkers; i++)
		if (s->pos[i].respawn_ms != 0 &&
		    (next == 0 || s->pos[i].respawn_ms < next))
			next = s->pos[i].respawn_ms;
	if (s->switch_deadline != 0 && (next == 0 || s->switch_deadline < next))
		next = s->switch_deadline;
	if (s->stop_deadline != 0 && (next == 0 || s->stop_deadline < next))
		next = s->stop_deadline;
	if (s->export.due_ms != 0 && (next == 0 || s->export.due_ms < next))
		next = s->export.due_ms;
	if (serve_alive(s) > 0 && (next == 0 || now + SERVE_WATCH_MS < next))
		next = now + SERVE_WATCH_MS;	/* the watchdog's round */
	if (next == 0)
		return -1;
	return next <= now ? 0 : (int)(next - now);
}

static int
serve_alive(const struct serve *s)
{
	int	 i, n = 0;

	for (i = 0; i < SERVE_SLOTS; i++)
		n += s->slots[i].pid != 0;
	return n;
}

static void
serve_stop(struct serve *s)
{
	int	 i;

	if (s->stop_deadline != 0)
		return;
	log_info("stopping: letting workers finish their requests");
	s->stop_deadline = serve_now_ms() + SERVE_STOP_TIMEOUT_MS;
	serve_retire(s, s->gen + 1);
	export_stop(&s->export);
	for (i = 0; i < s->nworkers; i++)
		s->pos[i].respawn_ms = 0;
}

/* Handles the signals queued in the self-pipe. */
static void
serve_handle_signals(struct serve *s)
{
	unsigned char	 sig;

	while (read(serve_sigpipe[0], &sig, 1) == 1)
		switch (sig) {
		case SIGCHLD:
			serve_reap(s);
			break;
		case SIGHUP:
			serve_reload(s);
			break;
		default:
			serve_stop(s);
		}
}

/* The master's event loop. Returns when every worker is gone. */
static void
serve_loop(struct serve *s)
{
	struct pollfd	 p[2];
	int		 i;

	p[0].fd = serve_sigpipe[0];
	p[0].events = POLLIN;
	p[1].fd = s->ready_r;
	p[1].events = POLLIN;
	while (s->stop_deadline == 0 || serve_alive(s) > 0) {
		if (poll(p, 2, serve_timeout(s)) == -1 && errno != EINTR) {
			log_warn("poll");
			break;
		}
		serve_handle_signals(s);
		serve_watch(s);
		serve_rate_count(s);
		serve_read_ready(s);
		serve_maybe_switch(s);
		if (s->stop_deadline == 0)
			serve_respawn_due(s);
		else if (serve_now_ms() >= s->stop_deadline)
			for (i = 0; i < SERVE_SLOTS; i++)
				if (s->slots[i].pid != 0)
					kill(s->slots[i].pid, SIGKILL);
		serve_reap(s);
	}
}

static void
serve_unlink(const struct serve *s)
{
	struct stat	 st;

	if (s->sockpath != NULL && stat(s->sockpath, &st) == 0 &&
	    st.st_ino == s->sockino)
		unlink(s->sockpath);
}

/*
 * Writes the master's pid to --pid-file, so that `fazhi publish --pid` can
 * reach this backend. Returns 0, or -1 with the reason logged.
 */
static int
serve_write_pid(const struct serve *s)
{
	FILE	*f;

	if (s->pidfile == NULL)
		return 0;
	if ((f = fopen(s->pidfile, "w")) == NULL ||
	    fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) == EOF) {
		log_warn("%s", s->pidfile);
		return -1;
	}
	return 0;
}

/* Says once what sandbox the workers will enter (sandbox.c). */
static void
serve_sandbox_note(const struct worker_cfg *cfg)
{
	int	 abi = sandbox_landlock_abi();

	if (cfg->no_sandbox)
		log_warnx("--no-sandbox: workers run without seccomp or Landlock");
	else if (abi == 0)
		log_info("sandbox: seccomp; this kernel offers no Landlock, so "
		    "workers keep the file access of their user");
	else
		log_info("sandbox: seccomp and Landlock (ABI %d)%s", abi,
		    cfg->sandbox_deny != NULL ? ", one call more refused "
		    "(--sandbox-deny)" : "");
}

static int
serve_usage(void)
{
	fprintf(stderr, "usage: fazhi serve --socket PATH | --listen IPV4:PORT "
	    "--allow ADDRESS... --snapshot FILE "
	    "[--workers N] [--lua DIR] [--templates DIR] [--socket-group GROUP] "
	    "[--user NAME] [--preview] [--clock FILE] [--export DIR] "
	    "[--sitemap-urls N] "
	    "[--pid-file FILE] [--rate-log FILE] [--no-sandbox] "
	    "[--sandbox-deny CALL]\n");
	return 1;
}

/* `fazhi serve`: parses options, checks, listens, supervises. */
int
serve_main(int argc, char **argv)
{
	static struct serve s;
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "snapshot", required_argument, NULL, 'd' },
		{ "workers", required_argument, NULL, 'w' },
		{ "lua", required_argument, NULL, 'l' },
		{ "templates", required_argument, NULL, 't' },
		{ "socket-group", required_argument, NULL, 'g' },
		{ "preview", no_argument, NULL, 'P' },
		{ "clock", required_argument, NULL, 'C' },
		{ "export", required_argument, NULL, 'E' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "sitemap-urls", required_argument, NULL, 'M' },
		{ "no-sandbox", no_argument, NULL, 'N' },
		{ "sandbox-deny", required_argument, NULL, 'D' },
		{ "listen", required_argument, NULL, 'L' },
		{ "allow", required_argument, NULL, 'A' },
		{ "rate-log", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 } };
	static char	 tpldir[4096], luadir[4096];
	struct priv	 priv;
	const char	*group = NULL, *user = NULL;
	int		 c, i, pipefd[2];

	log_init("master");
	/* Every process here is single-threaded: no locks, no global counters. */
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	snprintf(luadir, sizeof(luadir), "%s/lua", datadir());
	s.cfg.luadir = luadir;
	s.nworkers = (int)sysconf(_SC_NPROCESSORS_ONLN);
	s.export.sitemap_urls = EXPORT_SITEMAP_URLS;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (c) {
		case 's': s.sockpath = optarg; break;
		case 'd': s.cfg.snapshot = optarg; break;
		case 'w': s.nworkers = atoi(optarg); break;
		case 'l': s.cfg.luadir = optarg; break;
		case 't': s.cfg.tpldir = optarg; break;
		case 'g': group = optarg; break;
		case 'P': s.cfg.preview = 1; break;
		case 'C': s.cfg.clock_file = optarg; break;
		case 'E': s.cfg.export_dir = optarg; break;
		case 'p': s.pidfile = optarg; break;
		case 'u': user = optarg; break;
		case 'M': s.export.sitemap_urls = (size_t)atol(optarg); break;
		case 'N': s.cfg.no_sandbox = 1; break;
		case 'D': s.cfg.sandbox_deny = optarg; break;
		case 'L': s.listen = optarg; break;
		case 'R': s.rate_log = optarg; break;
		case 'A':
			if (tcp_allow_add(&s.allow, optarg) == -1)
				return 1;
			break;
		default: return serve_usage();
		}
	if ((s.sockpath == NULL) == (s.listen == NULL) || s.cfg.snapshot == NULL ||
	    optind != argc)
		return serve_usage();
	if (s.listen != NULL && s.allow.n == 0) {
		log_warnx("--listen: name the web servers that may connect "
		    "with --allow ADDRESS");
		return 1;
	}
	if (s.nworkers < 1 || s.nworkers > SERVE_MAX_WORKERS) {
		log_warnx("--workers must be 1 to %d", SERVE_MAX_WORKERS);
		return 1;
	}
	if (s.export.sitemap_urls < 1 || s.export.sitemap_urls > EXPORT_SITEMAP_URLS) {
		log_warnx("--sitemap-urls must be 1 to %d", EXPORT_SITEMAP_URLS);
		return 1;
	}
	if (s.cfg.tpldir == NULL) {
		snprintf(tpldir, sizeof(tpldir), "%s/templates", s.cfg.luadir);
		s.cfg.tpldir = tpldir;
	}
	s.cfg.started = time(NULL);
	if (priv_lookup(&priv, user) == -1 || worker_check(&s.cfg) == -1 ||
	    score_open() == -1)
		return 1;
	if (s.listen != NULL) {
		s.cfg.allow = &s.allow;
		/* libfcgi's own check, when it accepts by itself (tcp.c) */
		setenv("FCGI_WEB_SERVER_ADDRS", s.allow.list, 1);
	}
	if (serve_signals() == -1 || (s.listen_fd = s.listen != NULL ?
	    tcp_listen(s.listen, SERVE_BACKLOG) : serve_listen(&s, group)) == -1)
		return 1;
	/* Root is needed no further: the socket and the pid file are open. */
	if (priv_chown(&priv, s.sockpath) == -1 || serve_write_pid(&s) == -1 ||
	    priv_drop(&priv) == -1) {
		serve_unlink(&s);
		if (s.pidfile != NULL)
			unlink(s.pidfile);
		return 1;
	}
	if (priv.name != NULL && worker_check(&s.cfg) == -1) {
		log_warnx("--user %s cannot read the snapshot or templates",
		    user);
		serve_unlink(&s);
		if (s.pidfile != NULL)
			unlink(s.pidfile);
		return 1;
	}
	if (pipe2(pipefd, O_CLOEXEC) == -1) {
		log_warn("pipe");
		return 1;
	}
	s.ready_r = pipefd[0];
	s.ready_w = pipefd[1];
	fcntl(s.ready_r, F_SETFL, O_NONBLOCK);
	for (i = 0; i < SERVE_SLOTS; i++)
		s.slots[i].ctl_w = -1;
	log_info("listening on %s with %d workers, snapshot %s%s",
	    s.listen != NULL ? s.listen : s.sockpath, s.nworkers, s.cfg.snapshot,
	    s.cfg.preview ? ", PREVIEW: drafts and future items shown" : "");
	serve_sandbox_note(&s.cfg);
	for (i = 0; i < s.nworkers; i++)
		if (serve_spawn(&s, i) == -1)
			s.pos[i].respawn_ms = serve_now_ms() + SERVE_BACKOFF_MIN_MS;
	export_run(&s.export, &s.cfg, s.listen_fd);
	serve_loop(&s);
	serve_unlink(&s);
	if (s.pidfile != NULL)
		unlink(s.pidfile);
	log_info("stopped");
	return 0;
}
