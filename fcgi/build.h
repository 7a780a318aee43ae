/* build.h: the publishing commands: build, check and publish. */
#ifndef FAZHI_BUILD_H
#define FAZHI_BUILD_H

/* How long `publish` waits for the server to serve the new snapshot. */
#define BUILD_CONFIRM_MS	10000

int	build_main(int, char **);
int	build_check_main(int, char **);
int	build_publish_main(int, char **);

#endif
