/* worker.h: a FastCGI worker process: accept, answer, repeat. */
#ifndef FAZHI_WORKER_H
#define FAZHI_WORKER_H

#include <time.h>

struct req_env;
struct tcp_allow;

struct worker_cfg {
	const char	*snapshot;	/* path of the published snapshot */
	const char	*luadir;	/* engine.lua, view.lua */
	const char	*tpldir;	/* page templates */
	time_t		 started;	/* when the server started */
	int		 preview;	/* --preview: drafts and future items too */
	const char	*clock_file;	/* --clock FILE, for tests */
	const char	*export_dir;	/* --export DIR: bulk exports, or NULL */
	int		 no_sandbox;	/* --no-sandbox: no seccomp, no Landlock */
	const char	*sandbox_deny;	/* --sandbox-deny CALL: tests */
	const struct tcp_allow *allow;	/* --listen: who may connect; else NULL */
};

int	worker_open(const struct worker_cfg *, struct req_env *);
int	worker_check(const struct worker_cfg *);
void	worker_main(const struct worker_cfg *, int, int, int)
	    __attribute__((noreturn));

#endif
