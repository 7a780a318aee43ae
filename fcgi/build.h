/* build.h: content -> snapshot: the build and check commands, and what publish shares. */
#ifndef FAZHI_BUILD_H
#define FAZHI_BUILD_H

#include <sys/types.h>

#include <stddef.h>

struct content_stats;

int	build_main(int, char **);
int	build_check_main(int, char **);
int	build_write(const char *, const char *, const char *,
	    struct content_stats *);
void	build_failed(const char *);
int	build_tmpname(char *, size_t, const char *);
int	build_write_file(const char *, const char *, size_t, mode_t);
void	build_fsync(const char *);
void	build_fsync_dir(const char *);

#endif
