/*
 * datadir.c: the folder of what Fazhi ships besides the program: lua/
 * (engine, helpers, templates), schema/ (the content schemas) and static/
 * (style sheets, icons, the fallback pages). It is fixed when the program
 * is built, from make's DATADIR (PREFIX/share/fazhi), and `make install`
 * puts the files there. Every command that reads them takes an option
 * naming another place (--lua, --templates), and a content folder that has
 * a schema/ or static/ folder of its own uses that one.
 */
#include <sys/stat.h>

#include <stdio.h>

#include "datadir.h"

#ifndef FAZHI_DATADIR
#define FAZHI_DATADIR	"/usr/local/share/fazhi"
#endif

const char *
datadir(void)
{
	return FAZHI_DATADIR;
}

/*
 * Writes into dst the folder name of the content folder dir when it has one,
 * else the installed one, DATADIR/name. Returns 0, or -1 when it does not fit.
 */
int
datadir_path(char *dst, size_t n, const char *dir, const char *name)
{
	struct stat	 st;
	int		 len;

	len = snprintf(dst, n, "%s/%s", dir, name);
	if (len < 0 || (size_t)len >= n)
		return -1;
	if (stat(dst, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	len = snprintf(dst, n, "%s/%s", FAZHI_DATADIR, name);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}
