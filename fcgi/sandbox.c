/*
 * sandbox.c: what a worker may still do once it serves requests. A worker
 * handles untrusted requests; once it has opened its snapshot, compiled its
 * templates and joined the listening socket, it drops to:
 *
 *  - a seccomp-bpf allowlist (libseccomp) of the system calls serving needs:
 *    reading and writing the connections it accepts from the one listening
 *    socket, memory, time, signals for the template budget. No new sockets,
 *    no connect, no exec, no fork, no executable memory, no ptrace. Files
 *    open read-only; writing (mkdir, rename, unlink) only when a write
 *    folder is given (workers give none: the master writes the exports);
 *  - where the kernel offers it, Landlock: files and folders of the read
 *    list may be read, the write folder written, nothing else opened at all.
 *    A kernel without Landlock keeps the seccomp filter alone (the master
 *    says so once: sandbox_landlock_abi).
 *
 * A forbidden call raises SIGSYS. Its handler answers the request in hand
 * with the 500 prebuilt at start-up (sandbox_set_answer: FastCGI records
 * sent by conn_send, which is async-signal-safe), logs the call's number
 * and ends the worker with SANDBOX_EXIT; the master starts another. The
 * request never gets a half answer: the worker writes nothing to a
 * connection before its page is complete (worker.c).
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "conn.h"
#include "log.h"
#include "sandbox.h"

/* Landlock rights newer than <linux/landlock.h> of Debian 12 knows. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)	/* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV	(1ULL << 15)	/* ABI 5 */
#endif
#define SANDBOX_NET_BIND_TCP		(1ULL << 0)	/* ABI 4 */
#define SANDBOX_NET_CONNECT_TCP		(1ULL << 1)
#define SANDBOX_SCOPE_ABSTRACT_UNIX	(1ULL << 0)	/* ABI 6 */
#define SANDBOX_SCOPE_SIGNAL		(1ULL << 1)

/* struct landlock_ruleset_attr as ABI 6 has it; older kernels read less. */
struct sandbox_ruleset {
	uint64_t	 fs;
	uint64_t	 net;
	uint64_t	 scoped;
};

#define SANDBOX_FS_READ	(LANDLOCK_ACCESS_FS_READ_FILE | \
			 LANDLOCK_ACCESS_FS_READ_DIR)

/*
 * The calls a worker makes while it serves (strace of a worker under the
 * integration tests), as libseccomp names them. Calls with conditions on
 * their arguments are added by sandbox_filter.
 */
static const char *const sandbox_calls[] = {
	/* the connection in hand, and waiting for the next */
	"read", "readv", "write", "writev", "close", "shutdown",
	"getpeername", "getsockname", "setsockopt", "epoll_wait",
	"epoll_pwait", "poll", "ppoll", "select", "pselect6",
	/* memory: malloc, Lua, SQLite's map of the snapshot */
	"brk", "munmap", "mremap", "madvise",
	/* files already open, and read-only opens (sandbox_filter) */
	"fstat", "newfstatat", "statx", "lseek", "pread64", "fcntl",
	"access", "faccessat", "faccessat2", "getdents64", "readlink",
	/* time, randomness, identity; sysinfo: glibc's qsort sizes its buffer */
	"clock_gettime", "clock_getres", "gettimeofday", "time",
	"clock_nanosleep", "nanosleep", "getrandom", "getpid", "gettid",
	"getuid", "geteuid", "getgid", "getegid", "sysinfo",
	/* signals: the template budget's timer (tpl.c), this file's handler */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	"setitimer", "getitimer", "getrusage", "futex",
	/* per-request CPU limits: POSIX timers (prlimit64 on itself only below) */
	"timer_create", "timer_settime", "timer_gettime", "timer_delete",
	"setrlimit", "getrlimit",
	"exit", "exit_group",
	NULL
};

/* More calls when the worker may write into a folder (the exports). */
static const char *const sandbox_write_calls[] = {
	"mkdir", "mkdirat", "rename", "renameat", "renameat2", "unlink",
	"unlinkat", "rmdir", "ftruncate", "fsync", "fdatasync",
	NULL
};

/* The answer the SIGSYS handler sends, and where; see sandbox_request. */
static char		*sandbox_answer[SANDBOX__KINDS];
static size_t		 sandbox_answer_len[SANDBOX__KINDS];
static volatile int	 sandbox_fd = -1;
static volatile int	 sandbox_id;
static volatile int	 sandbox_kind;

/* Adds path to the files and folders cfg may read. 0, or -1 when full. */
int
sandbox_add_read(struct sandbox_cfg *cfg, const char *path)
{
	if (path == NULL)
		return 0;
	if (cfg->nread == SANDBOX_MAX_READ) {
		log_warnx("sandbox: more than %d paths to read", SANDBOX_MAX_READ);
		return -1;
	}
	cfg->read[cfg->nread++] = path;
	return 0;
}

/*
 * Keeps a copy of the CGI answer (head and body) the SIGSYS handler sends
 * for kind. Returns 0, or -1 when it is larger than SANDBOX_MAX_ANSWER or
 * cannot be copied.
 */
int
sandbox_set_answer(enum sandbox_kind kind, const char *answer, size_t len)
{
	char	*p;

	if (len > SANDBOX_MAX_ANSWER || (p = malloc(len)) == NULL)
		return -1;
	memcpy(p, answer, len);
	free(sandbox_answer[kind]);
	sandbox_answer[kind] = p;
	sandbox_answer_len[kind] = len;
	return 0;
}

/*
 * Names the request in hand: the connection fd (-1: none), its FastCGI
 * request id, and which answer fits it.
 */
void
sandbox_request(int fd, int id, enum sandbox_kind kind)
{
	sandbox_id = id;
	sandbox_kind = kind;
	sandbox_fd = fd;
}

/* write(2) until done or failed: async-signal-safe. */
static void
sandbox_write(int fd, const void *p, size_t n)
{
	const char	*s = p;
	ssize_t		 w;

	while (n > 0 && (w = write(fd, s, n)) > 0) {
		s += w;
		n -= (size_t)w;
	}
}

/* Appends the decimal digits of v to p; returns the end. Async-signal-safe. */
static char *
sandbox_digits(char *p, long v)
{
	char	 d[24];
	int	 n = 0;

	if (v < 0) {
		*p++ = '-';
		v = -v;
	}
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (n > 0)
		*p++ = d[--n];
	return p;
}

/*
 * SIGSYS from the seccomp filter: answers the request in hand with the
 * prebuilt 500, says which call it was and ends the worker.
 */
static void
sandbox_on_sigsys(int sig, siginfo_t *si, void *uc)
{
	static const char	 a[] = "worker: the sandbox refused system call ";
	static const char	 b[] = "; this worker ends\n";
	char			 line[128], *p = line;
	int			 fd = sandbox_fd, kind = sandbox_kind;

	(void)sig;
	(void)uc;
	if (fd != -1 && sandbox_answer[kind] != NULL)
		(void)conn_send(fd, sandbox_id, NULL, 0, sandbox_answer[kind],
		    sandbox_answer_len[kind]);
	memcpy(p, a, sizeof(a) - 1);
	p = sandbox_digits(p + sizeof(a) - 1, si->si_syscall);
	memcpy(p, b, sizeof(b) - 1);
	p += sizeof(b) - 1;
	log_flush();	/* the held access lines: write(2) only, and SIGSYS
			   comes at a refused call, never inside log.c */
	sandbox_write(STDERR_FILENO, line, (size_t)(p - line));
	_exit(SANDBOX_EXIT);
}

/*
 * The Landlock ABI version the kernel offers, or 0 when it has none
 * (disabled, or older than 5.13).
 */
int
sandbox_landlock_abi(void)
{
	long	 v;

	v = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	return v < 0 ? 0 : (int)v;
}

/* The filesystem rights an ABI knows. */
static uint64_t
sandbox_fs_rights(int abi)
{
	uint64_t	 r = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;	/* ABI 1 */

	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		r |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return r;
}

/* Allows rights under path (only file rights when it is a file). */
static int
sandbox_landlock_path(int ruleset, const char *path, uint64_t rights)
{
	struct landlock_path_beneath_attr pb;
	struct stat	 st;
	int		 rc;

	memset(&pb, 0, sizeof(pb));
	if ((pb.parent_fd = open(path, O_PATH | O_CLOEXEC)) == -1) {
		log_warn("sandbox: %s", path);
		return -1;
	}
	if (fstat(pb.parent_fd, &st) == 0 && !S_ISDIR(st.st_mode))
		rights &= LANDLOCK_ACCESS_FS_READ_FILE |
		    LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;
	pb.allowed_access = rights;
	rc = (int)syscall(SYS_landlock_add_rule, ruleset,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	if (rc == -1)
		log_warn("sandbox: %s", path);
	close(pb.parent_fd);
	return rc;
}

/*
 * Restricts the filesystem to the paths of cfg: read-only, except the write
 * folder. Returns 0 (also when the kernel has no Landlock), or -1 (logged).
 */
static int
sandbox_landlock(const struct sandbox_cfg *cfg)
{
	struct sandbox_ruleset	 rs;
	size_t			 size = sizeof(rs.fs);
	uint64_t		 all, write;
	int			 abi, fd, i, rc = -1;

	if ((abi = sandbox_landlock_abi()) == 0)
		return 0;
	all = sandbox_fs_rights(abi);
	/* Writing: files and folders made, removed, renamed, in the folder. */
	write = all & ~(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
	    LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
	    LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM |
	    LANDLOCK_ACCESS_FS_IOCTL_DEV);
	memset(&rs, 0, sizeof(rs));
	rs.fs = all;
	if (abi >= 4) {		/* no TCP either (seccomp refuses sockets too) */
		rs.net = SANDBOX_NET_BIND_TCP | SANDBOX_NET_CONNECT_TCP;
		size = offsetof(struct sandbox_ruleset, scoped);
	}
	if (abi >= 6) {
		rs.scoped = SANDBOX_SCOPE_ABSTRACT_UNIX | SANDBOX_SCOPE_SIGNAL;
		size = sizeof(rs);
	}
	if ((fd = (int)syscall(SYS_landlock_create_ruleset, &rs, size, 0)) == -1) {
		log_warn("sandbox: landlock_create_ruleset");
		return -1;
	}
	for (i = 0; i < cfg->nread; i++)
		if (sandbox_landlock_path(fd, cfg->read[i], SANDBOX_FS_READ) == -1)
			goto done;
	if (cfg->write != NULL &&
	    sandbox_landlock_path(fd, cfg->write, write) == -1)
		goto done;
	if (syscall(SYS_landlock_restrict_self, fd, 0) == -1) {
		log_warn("sandbox: landlock_restrict_self");
		goto done;
	}
	rc = 0;
done:
	close(fd);
	return rc;
}

/* Allows call name unless it is the one cfg->deny refuses. 0, or -1. */
static int
sandbox_allow(scmp_filter_ctx ctx, const struct sandbox_cfg *cfg,
    const char *name, unsigned int n, const struct scmp_arg_cmp *cmp)
{
	int	 nr;

	if (cfg->deny != NULL && strcmp(cfg->deny, name) == 0)
		return 0;
	if ((nr = seccomp_syscall_resolve_name(name)) == __NR_SCMP_ERROR)
		return 0;		/* not a call on this architecture */
	if (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, n, cmp) != 0) {
		log_warnx("sandbox: cannot allow %s", name);
		return -1;
	}
	return 0;
}

/* Builds and loads the seccomp filter of cfg. 0, or -1 (logged). */
static int
sandbox_filter(const struct sandbox_cfg *cfg)
{
	/* open only to read, unless there is a folder to write */
	struct scmp_arg_cmp	 rdonly = SCMP_A2(SCMP_CMP_MASKED_EQ,
				    O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY);
	/* no executable memory */
	struct scmp_arg_cmp	 noexec = SCMP_A2(SCMP_CMP_MASKED_EQ,
				    PROT_EXEC, 0);
	/* accept from the listening socket only */
	struct scmp_arg_cmp	 listen = SCMP_A0(SCMP_CMP_EQ,
				    (scmp_datum_t)cfg->listen_fd);
	/* limits of this process only */
	struct scmp_arg_cmp	 self = SCMP_A0(SCMP_CMP_EQ, 0);
	scmp_filter_ctx		 ctx;
	int			 i, rc = -1;

	if ((ctx = seccomp_init(SCMP_ACT_TRAP)) == NULL) {
		log_warnx("sandbox: seccomp_init failed");
		return -1;
	}
	for (i = 0; sandbox_calls[i] != NULL; i++)
		if (sandbox_allow(ctx, cfg, sandbox_calls[i], 0, NULL) == -1)
			goto done;
	for (i = 0; cfg->write != NULL && sandbox_write_calls[i] != NULL; i++)
		if (sandbox_allow(ctx, cfg, sandbox_write_calls[i], 0, NULL) == -1)
			goto done;
	if (sandbox_allow(ctx, cfg, "openat", cfg->write != NULL ? 0 : 1,
	    &rdonly) == -1 ||
	    sandbox_allow(ctx, cfg, "mmap", 1, &noexec) == -1 ||
	    sandbox_allow(ctx, cfg, "mprotect", 1, &noexec) == -1 ||
	    sandbox_allow(ctx, cfg, "prlimit64", 1, &self) == -1 ||
	    sandbox_allow(ctx, cfg, "accept", 1, &listen) == -1 ||
	    sandbox_allow(ctx, cfg, "accept4", 1, &listen) == -1)
		goto done;
	if (seccomp_load(ctx) != 0) {
		log_warnx("sandbox: seccomp_load failed");
		goto done;
	}
	rc = 0;
done:
	seccomp_release(ctx);
	return rc;
}

/*
 * Drops this process to the sandbox of cfg for the rest of its life.
 * Returns 0, or -1 (logged) when it could not: the worker must then not
 * serve.
 */
int
sandbox_enter(const struct sandbox_cfg *cfg)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sandbox_on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		log_warn("sandbox");
		return -1;
	}
	if (sandbox_landlock(cfg) == -1 || sandbox_filter(cfg) == -1)
		return -1;
	return 0;
}
