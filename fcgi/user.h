/* user.h: `fazhi user`: staff accounts from the command line. */
#ifndef FAZHI_USER_H
#define FAZHI_USER_H

/* The staff database `fazhi user` and `fazhi console` use without --staff-db. */
#define USER_DEFAULT_DB		"build/staff.db"

int	user_main(int, char **);

#endif
