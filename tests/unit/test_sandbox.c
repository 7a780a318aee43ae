/*
 * test_sandbox.c: the workers' sandbox (sandbox.c), each check in a child
 * process that enters it for real and then tries one thing: what a worker
 * does while it serves goes through; exec, fork, a new socket, writing a
 * file, executable memory, accepting from another socket end the child with
 * SANDBOX_EXIT; Landlock (when the kernel has it) keeps opens to the paths
 * given; a refused call during a request answers it with the prebuilt 500
 * as FastCGI records.
 */
/* checks: 22 */
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"
#include "unit.h"

static char	 dir[4096], readable[4200], writable[4200], outside[4200],
		 folder[4200];
static int	 pair[2];		/* a connection, as a worker holds one */
static pid_t	 parent;		/* this test, the children's parent */

/* Exit statuses of a child that tried something. */
#define DONE	0	/* it worked */
#define REFUSED	3	/* it failed with EACCES (Landlock) */
#define OTHER	4	/* it failed otherwise */

static int
try_open_read(void)
{
	int	 fd = open(readable, O_RDONLY | O_CLOEXEC);
	char	 c;

	return fd != -1 && read(fd, &c, 1) == 1 ? DONE : OTHER;
}

static int
try_serve(void)
{
	struct timespec	 ts;
	char		*p = malloc(8u << 20);	/* mmap'd by malloc */
	char		 c = 'x';

	if (p == NULL)
		return OTHER;
	memset(p, 1, 8u << 20);
	free(p);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (write(pair[0], &c, 1) != 1 || try_open_read() != DONE)
		return OTHER;
	return DONE;
}

static int
try_exec(void)
{
	char	*argv[] = { "true", NULL };

	execv("/bin/true", argv);
	return OTHER;
}

static int
try_fork(void)
{
	pid_t	 pid = fork();

	if (pid == 0)
		_exit(0);
	return pid > 0 ? DONE : OTHER;
}

static int
try_socket(void)
{
	return socket(AF_INET, SOCK_STREAM, 0) != -1 ? DONE : OTHER;
}

static int
try_write_file(void)
{
	int	 fd = open(writable, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd == -1)
		return errno == EACCES ? REFUSED : OTHER;
	close(fd);
	return DONE;
}

static int
try_write_outside(void)
{
	int	 fd = open(outside, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd == -1)
		return errno == EACCES ? REFUSED : OTHER;
	close(fd);
	return DONE;
}

static int
try_read_outside(void)
{
	int	 fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return errno == EACCES ? REFUSED : OTHER;
	close(fd);
	return DONE;
}

static int
try_exec_memory(void)
{
	void	*p = mmap(NULL, 4096, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p != MAP_FAILED ? DONE : OTHER;
}

static int
try_accept_other(void)
{
	return accept(pair[0], NULL, NULL) != -1 ? DONE : OTHER;
}

static int
try_getppid(void)
{
	return syscall(SYS_getppid) > 0 ? DONE : OTHER;
}

static int
try_limit_self(void)
{
	struct rlimit	 rl = { 60, 60 };

	return prlimit(0, RLIMIT_CPU, &rl, NULL) == 0 ? DONE : OTHER;
}

static int
try_limit_other(void)
{
	struct rlimit	 rl;

	return prlimit(parent, RLIMIT_CPU, NULL, &rl) == 0 ? DONE : OTHER;
}

static int
try_getpid(void)
{
	return syscall(SYS_getpid) > 0 ? DONE : OTHER;
}

/*
 * Runs try in a child inside the sandbox of cfg. Returns its exit status,
 * or 100 + the signal that killed it.
 */
static int
run(const struct sandbox_cfg *cfg, int (*try)(void))
{
	pid_t	 pid;
	int	 st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		if (sandbox_enter(cfg) == -1)
			_exit(OTHER + 10);
		_exit(try());
	}
	if (pid == -1 || waitpid(pid, &st, 0) == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

/* A 100 000-byte answer: more than one FastCGI record. */
static char	 answer[100000];

/*
 * Reads what the child sent on the other end of the pair, and checks it is
 * the answer in FCGI_STDOUT records of request 7, an empty one, then
 * FCGI_END_REQUEST. Returns 1 when so.
 */
static int
read_records(int fd)
{
	static unsigned char	 got[200000];
	size_t			 n = 0, off = 0, body = 0, len;
	ssize_t			 r;
	int			 ended = 0, empty = 0;

	while (n < sizeof(got) && (r = read(fd, got + n, sizeof(got) - n)) > 0)
		n += (size_t)r;
	while (off + 8 <= n) {
		const unsigned char *h = got + off;

		len = (size_t)h[4] << 8 | h[5];
		if (h[0] != 1 || (h[2] << 8 | h[3]) != 7 || off + 8 + len > n)
			return 0;
		if (h[1] == 6 && len == 0)
			empty = 1;
		else if (h[1] == 6 && !empty) {
			if (body + len > sizeof(answer) ||
			    memcmp(answer + body, h + 8, len) != 0)
				return 0;
			body += len;
		} else if (h[1] == 3 && empty && len == 8)
			ended = 1;
		else
			return 0;
		off += 8 + len;
	}
	return off == n && body == sizeof(answer) && ended;
}

int
main(void)
{
	struct sandbox_cfg	 cfg, w;
	const char		*tmp = getenv("TMPDIR");
	pid_t			 pid;
	int			 st, i, fd, abi = sandbox_landlock_abi();

	parent = getpid();
	snprintf(dir, sizeof(dir), "%s/sandbox-XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL || socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == -1)
		return 1;
	snprintf(readable, sizeof(readable), "%s/site.db", dir);
	snprintf(writable, sizeof(writable), "%s/export/cases.json", dir);
	snprintf(outside, sizeof(outside), "%s/elsewhere.json", dir);
	if ((fd = open(readable, O_WRONLY | O_CREAT, 0644)) == -1 ||
	    write(fd, "x", 1) != 1 || close(fd) == -1)
		return 1;
	snprintf(folder, sizeof(folder), "%s/export", dir);
	snprintf(outside, sizeof(outside), "%s/elsewhere.json", dir);
	if (mkdir(folder, 0755) == -1)
		return 1;

	memset(&cfg, 0, sizeof(cfg));
	cfg.listen_fd = 1000;
	sandbox_add_read(&cfg, readable);

	UNIT_CHECK(run(&cfg, try_serve) == DONE,
	    "what a worker does while it serves is allowed");
	UNIT_CHECK(run(&cfg, try_exec) == SANDBOX_EXIT, "exec ends the worker");
	UNIT_CHECK(run(&cfg, try_fork) == SANDBOX_EXIT, "fork ends the worker");
	UNIT_CHECK(run(&cfg, try_socket) == SANDBOX_EXIT,
	    "a new socket ends the worker");
	UNIT_CHECK(run(&cfg, try_write_file) == SANDBOX_EXIT,
	    "opening a file to write ends a worker with no write folder");
	UNIT_CHECK(run(&cfg, try_exec_memory) == SANDBOX_EXIT,
	    "executable memory ends the worker");
	UNIT_CHECK(run(&cfg, try_accept_other) == SANDBOX_EXIT,
	    "accepting from another socket than the listening one ends the worker");
	UNIT_CHECK(run(&cfg, try_getppid) == SANDBOX_EXIT,
	    "a call outside the list (getppid) ends the worker");
	UNIT_CHECK(run(&cfg, try_getpid) == DONE, "getpid is allowed");
	UNIT_CHECK(run(&cfg, try_limit_self) == DONE,
	    "a worker may set its own CPU limit");
	UNIT_CHECK(run(&cfg, try_limit_other) == SANDBOX_EXIT,
	    "another process's limits end the worker");
	cfg.deny = "getpid";
	UNIT_CHECK(run(&cfg, try_getpid) == SANDBOX_EXIT,
	    "--sandbox-deny getpid: then getpid ends the worker");
	cfg.deny = NULL;

	/* Landlock: the files given, nothing else; without it, the user's access. */
	UNIT_CHECK(run(&cfg, try_read_outside) == (abi > 0 ? REFUSED : DONE),
	    "Landlock (ABI %d): a file outside the read list cannot be opened", abi);
	w = cfg;
	w.write = folder;
	UNIT_CHECK(run(&w, try_write_file) == DONE,
	    "with a write folder, a file in it can be written");
	UNIT_CHECK(run(&w, try_write_outside) == (abi > 0 ? REFUSED : DONE),
	    "Landlock (ABI %d): a file outside the write folder cannot be written",
	    abi);
	UNIT_CHECK(run(&w, try_exec) == SANDBOX_EXIT,
	    "with a write folder, exec still ends the worker");

	/* The request in hand gets the prebuilt answer. */
	for (i = 0; i < (int)sizeof(answer); i++)
		answer[i] = (char)('a' + i % 26);
	memcpy(answer, "Status: 500 Internal Server Error\r\n\r\n", 37);
	UNIT_CHECK(sandbox_set_answer(SANDBOX_HTML, answer, sizeof(answer)) == 0,
	    "an answer is kept");
	close(pair[0]);
	close(pair[1]);		/* a fresh connection, nothing in it yet */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == -1)
		return 1;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(pair[1]);
		if (sandbox_enter(&cfg) == -1)
			_exit(OTHER);
		sandbox_request(pair[0], 7, SANDBOX_HTML);
		_exit(try_getppid());
	}
	close(pair[0]);
	UNIT_CHECK(read_records(pair[1]), "the request gets the prebuilt answer as "
	    "FastCGI records: STDOUT in pieces of at most 65535 bytes, END_REQUEST");
	UNIT_CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == SANDBOX_EXIT, "and the worker ends with SANDBOX_EXIT");

	/* The limits. */
	UNIT_CHECK(sandbox_set_answer(SANDBOX_JSON, answer, 1) == 0 &&
	    sandbox_set_answer(SANDBOX_JSON, NULL, SANDBOX_MAX_ANSWER + 1) == -1,
	    "an answer longer than SANDBOX_MAX_ANSWER is refused");
	memset(&w, 0, sizeof(w));
	for (i = 0; i < SANDBOX_MAX_READ; i++)
		sandbox_add_read(&w, readable);
	UNIT_CHECK(w.nread == SANDBOX_MAX_READ && sandbox_add_read(&w, readable) == -1,
	    "a path past SANDBOX_MAX_READ is refused");
	UNIT_CHECK(sandbox_add_read(&w, NULL) == 0, "a path not given is no path");

	unlink(readable);
	unlink(writable);
	unlink(outside);
	rmdir(folder);
	rmdir(dir);
	return unit_done();
}
