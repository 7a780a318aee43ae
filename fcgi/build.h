/* build.h: `fazhi build`: content XML -> one SQLite snapshot file, atomically. */
#ifndef FAZHI_BUILD_H
#define FAZHI_BUILD_H

/* Most keywords one item may carry (the case-library convention). */
#define BUILD_MAX_KEYWORDS	7
/* Length of the plain-text summary kept for lists, in bytes (~120 characters). */
#define BUILD_SUMMARY_BYTES	360
/* Most items of one kind in one content folder. */
#define BUILD_MAX_FILES		200000

int	build_main(int, char **);

#endif
