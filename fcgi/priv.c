/*
 * priv.c: a server started by root (`make run` as root, an init script)
 * gives up root once it has opened what only root may open: its socket and
 * pid file. It then runs as the user of --user and that user's group, with
 * no supplementary groups, and checks that root cannot be had back. The
 * files it writes later (the socket's removal, the snapshot's neighbours,
 * the staff database) must be that user's to write; it reads the rest
 * through ordinary permissions, at start and on every reload alike.
 */
#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include "log.h"
#include "priv.h"

/*
 * Looks up user name into p (name NULL: nothing asked, p->name stays NULL).
 * Refuses root itself, and a change that only root could make when not
 * root. Returns 0, or -1 (logged).
 */
int
priv_lookup(struct priv *p, const char *name)
{
	struct passwd	*pw;

	p->name = NULL;
	if (name == NULL)
		return 0;
	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		log_warnx("--user %s: no such user", name);
		return -1;
	}
	if (pw->pw_uid == 0) {
		log_warnx("--user %s: that is root; name an unprivileged user",
		    name);
		return -1;
	}
	if (geteuid() != 0 && geteuid() != pw->pw_uid) {
		log_warnx("--user %s: only root can become another user", name);
		return -1;
	}
	p->name = name;
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	return 0;
}

/*
 * Gives path (a unix socket; NULL for a TCP one) to the user, keeping its
 * group. Returns 0, or -1 (logged).
 */
int
priv_chown(const struct priv *p, const char *path)
{
	if (p->name == NULL || path == NULL || geteuid() != 0)
		return 0;
	if (chown(path, p->uid, (gid_t)-1) == -1) {
		log_warn("%s", path);
		return -1;
	}
	return 0;
}

/*
 * Becomes the user: supplementary groups, group, then user, each checked;
 * then makes sure that neither can be set back to root. Returns 0, or -1
 * (logged): the caller stops. Without --user, a root server says that it
 * keeps root, and runs on.
 */
int
priv_drop(const struct priv *p)
{
	if (p->name == NULL && geteuid() == 0)
		log_warnx("running as root: --user NAME gives root up once the "
		    "socket is open");
	if (p->name == NULL || geteuid() == p->uid)
		return 0;
	if (setgroups(0, NULL) == -1 || setresgid(p->gid, p->gid, p->gid) == -1 ||
	    setresuid(p->uid, p->uid, p->uid) == -1) {
		log_warn("--user %s", p->name);
		return -1;
	}
	if (getuid() != p->uid || geteuid() != p->uid || getgid() != p->gid ||
	    getegid() != p->gid || getgroups(0, NULL) != 0 ||
	    setuid(0) != -1 || setgid(0) != -1) {
		log_warnx("--user %s: root privileges remain", p->name);
		return -1;
	}
	log_info("running as user %s (uid %d)", p->name, (int)p->uid);
	return 0;
}
