/* checks: 9 */
/*
 * test_export.c: when the master runs the export writer again, from what the
 * writer reported and how it ended (export_reaped).
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdint.h>
#include <unistd.h>

#include "export.h"
#include "unit.h"

#define NOW	1000000L	/* the master's monotonic clock, in ms */

/*
 * A writer that ended with status, having reported delay seconds to the
 * next moment (report 0: it reported nothing). Returns the job afterwards.
 */
static struct export_job
reaped(int status, int report, int64_t delay, int *handled)
{
	struct export_job	 j = { 0 };
	int			 p[2];

	if (pipe(p) == -1)
		return j;
	if (report)
		(void)!write(p[1], &delay, sizeof(delay));
	close(p[1]);
	j.pid = 4242;
	j.fd = p[0];
	*handled = export_reaped(&j, 4242, status, NOW);
	return j;
}

int
main(void)
{
	struct export_job	 j, other = { .pid = 4242, .fd = -1 };
	int			 handled;

	j = reaped(W_EXITCODE(0, 0), 1, 90, &handled);
	UNIT_CHECK(handled && j.pid == 0, "the writer's end is handled");
	UNIT_CHECK(j.due_ms == NOW + 90 * 1000L,
	    "a scheduled item 90 s away: the writer runs again then");
	j = reaped(W_EXITCODE(0, 0), 1, 0, &handled);
	UNIT_CHECK(j.due_ms == 0, "nothing scheduled: no next run");
	j = reaped(W_EXITCODE(0, 0), 1, EXPORT_MAX_WAIT + 1, &handled);
	UNIT_CHECK(j.due_ms == NOW + EXPORT_MAX_WAIT * 1000L,
	    "an item past EXPORT_MAX_WAIT: the writer runs after EXPORT_MAX_WAIT");
	j = reaped(W_EXITCODE(0, 0), 1, EXPORT_MAX_WAIT - 1, &handled);
	UNIT_CHECK(j.due_ms == NOW + (EXPORT_MAX_WAIT - 1) * 1000L,
	    "an item just inside EXPORT_MAX_WAIT: the writer runs at its moment");
	j = reaped(W_EXITCODE(1, 0), 1, 90, &handled);
	UNIT_CHECK(j.due_ms == NOW + EXPORT_RETRY_MS,
	    "a failed write: the writer runs again after EXPORT_RETRY_MS");
	j = reaped(SIGKILL, 0, 0, &handled);
	UNIT_CHECK(j.due_ms == NOW + EXPORT_RETRY_MS,
	    "a writer killed before reporting: again after EXPORT_RETRY_MS");
	UNIT_CHECK(export_reaped(&other, 4243, 0, NOW) == 0 && other.pid == 4242,
	    "another child's end is not the writer's");
	other.pid = 0;
	UNIT_CHECK(export_reaped(&other, 0, 0, NOW) == 0,
	    "no writer running: nothing is handled");
	return unit_done();
}
