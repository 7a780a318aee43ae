/*
 * snapshot.h: the unit tests' shipped-content snapshot, built by `fazhi
 * build` itself (build_main) into a fresh file under TMPDIR.
 */
#ifndef FAZHI_TEST_SNAPSHOT_H
#define FAZHI_TEST_SNAPSHOT_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "build.h"

/* Builds the shipped content into a fresh snapshot at path (n bytes). */
static int
build_snapshot(char *path, size_t n)
{
	char	*argv[] = { "build", "--content", "content", "--output", path, NULL };
	int	 fd;

	snprintf(path, n, "%s/fazhi-snap-XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp");
	if ((fd = mkstemp(path)) == -1)
		return -1;
	close(fd);
	return build_main(5, argv);
}

#endif
