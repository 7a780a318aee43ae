/* datadir.h: where the program finds the files it ships with. */
#ifndef FAZHI_DATADIR_H
#define FAZHI_DATADIR_H

#include <stddef.h>

const char	*datadir(void);
int		 datadir_path(char *, size_t, const char *, const char *);

#endif
