/*
 * user.c: `fazhi user add|passwd|disable|enable|list`: the administrator's
 * way to make the first account, and every account, from a shell. Each
 * change is an audit entry under "cli:" and the Unix user, in the same
 * transaction as the change. There is no default password: one is read
 * from the terminal without echo (twice), or from standard input with
 * --password-stdin for scripts.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "auth.h"
#include "log.h"
#include "staff.h"
#include "user.h"

struct user_opts {
	const char	*db;		/* --staff-db */
	const char	*role;		/* --role */
	const char	*display;	/* --display */
	int		 pw_stdin;	/* --password-stdin */
	const char	*name;		/* the account */
	char		 actor[80];	/* "cli:" and the Unix user */
};

static int
user_usage(void)
{
	fprintf(stderr,
	    "usage: fazhi user add NAME --role editor|reviewer|admin "
	    "[--display NAME] [--password-stdin] [--staff-db FILE]\n"
	    "       fazhi user passwd NAME [--password-stdin] [--staff-db FILE]\n"
	    "       fazhi user disable|enable NAME [--staff-db FILE]\n"
	    "       fazhi user list [--staff-db FILE]\n");
	return 1;
}

/*
 * Reads one line of at most AUTH_MAX_PASSWORD bytes from fd into buf
 * (without its newline). Returns 0, or -1 at end of input or when too long.
 */
static int
user_read_line(int fd, char *buf, size_t bufsz)
{
	size_t	 n = 0;
	ssize_t	 r;
	char	 c;

	for (;;) {
		if ((r = read(fd, &c, 1)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return n > 0 ? (buf[n] = '\0', 0) : -1;
		if (c == '\n')
			break;
		if (n + 1 >= bufsz)
			return -1;
		buf[n++] = c;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 0;
}

/* Prompts on the terminal and reads a line without echo. 0 or -1. */
static int
user_read_tty(int tty, const char *prompt, char *buf, size_t bufsz)
{
	struct termios	 old, quiet;
	int		 rc;

	if (tcgetattr(tty, &old) == -1)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	/* echo off before the prompt: nothing typed after it is ever shown */
	if (tcsetattr(tty, TCSAFLUSH, &quiet) == -1)
		return -1;
	(void)!write(tty, prompt, strlen(prompt));
	rc = user_read_line(tty, buf, bufsz);
	tcsetattr(tty, TCSAFLUSH, &old);
	(void)!write(tty, "\n", 1);
	return rc;
}

/*
 * Reads the new password into pw: one line of standard input, or twice from
 * the terminal, which must agree. Returns 0, or -1 with the reason printed.
 */
static int
user_read_password(const struct user_opts *o, char *pw, size_t pwsz)
{
	char	 again[AUTH_MAX_PASSWORD + 2];
	int	 tty, rc = -1;

	if (o->pw_stdin) {
		if (user_read_line(STDIN_FILENO, pw, pwsz) == -1) {
			fprintf(stderr, "user: no password on standard input\n");
			return -1;
		}
		return 0;
	}
	if ((tty = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1) {
		fprintf(stderr, "user: no terminal to read the password from; "
		    "use --password-stdin\n");
		return -1;
	}
	if (user_read_tty(tty, "New password: ", pw, pwsz) == -1 ||
	    user_read_tty(tty, "Again: ", again, sizeof(again)) == -1)
		fprintf(stderr, "user: could not read the password\n");
	else if (strcmp(pw, again) != 0)
		fprintf(stderr, "user: the two passwords differ\n");
	else
		rc = 0;
	sodium_memzero(again, sizeof(again));
	close(tty);
	return rc;
}

/*
 * Reads, checks and hashes a new password into hash. Returns 0, or -1 with
 * the reason printed.
 */
static int
user_new_hash(const struct user_opts *o, char *hash, size_t hashsz)
{
	char	 pw[AUTH_MAX_PASSWORD + 2];
	int	 rc = -1;

	if (user_read_password(o, pw, sizeof(pw)) == -1)
		goto done;
	if (!auth_password_acceptable(pw)) {
		fprintf(stderr, "user: a password needs at least %d characters "
		    "(at most %d bytes, no control characters)\n",
		    AUTH_MIN_PASSWORD, AUTH_MAX_PASSWORD);
		goto done;
	}
	rc = auth_hash_password(pw, hash, hashsz);
done:
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

/* Writes the audit entry of an account change by the CLI. 0 or -1. */
static int
user_audit(struct staff *s, const struct user_opts *o, const char *action,
    const char *detail)
{
	struct staff_audit	 e;

	memset(&e, 0, sizeof(e));
	e.time = time(NULL);
	e.account = o->actor;
	e.address = "cli";
	e.action = action;
	e.detail = detail;
	return staff_audit(s, &e);
}

static int
user_add(struct staff *s, const struct user_opts *o)
{
	enum staff_role	 role;
	char		 hash[STAFF_HASH_SIZE], detail[200];
	int		 rc;

	if (o->role == NULL || staff_role_parse(o->role, &role) == -1) {
		fprintf(stderr, "user: --role must be editor, reviewer or admin\n");
		return 1;
	}
	if (o->display != NULL && strlen(o->display) > STAFF_MAX_DISPLAY) {
		fprintf(stderr, "user: --display is longer than %d bytes\n",
		    STAFF_MAX_DISPLAY);
		return 1;
	}
	if (user_new_hash(o, hash, sizeof(hash)) == -1)
		return 1;
	if (staff_begin(s) == -1)
		return 1;
	if ((rc = staff_account_add(s, o->name, o->display, role, hash,
	    time(NULL))) == 1) {
		fprintf(stderr, "user: an account named %s already exists\n",
		    o->name);
		goto fail;
	}
	snprintf(detail, sizeof(detail), "account=%s role=%s", o->name,
	    staff_role_name(role));
	if (rc == -1 || user_audit(s, o, "account-add", detail) == -1 ||
	    staff_commit(s) == -1)
		goto fail;
	printf("added %s (%s)\n", o->name, staff_role_name(role));
	return 0;
fail:
	staff_rollback(s);
	return 1;
}

/* Loads the account named in o. 0, or 1 with the reason printed. */
static int
user_find(struct staff *s, const struct user_opts *o, struct staff_account *a)
{
	int	 rc = staff_account_get(s, o->name, a);

	if (rc == 1)
		fprintf(stderr, "user: no account named %s\n", o->name);
	return rc == 0 ? 0 : 1;
}

/* A new password; every session of the account ends. */
static int
user_passwd(struct staff *s, const struct user_opts *o)
{
	struct staff_account	 a;
	char			 hash[STAFF_HASH_SIZE], detail[80];

	if (user_find(s, o, &a) != 0 || user_new_hash(o, hash, sizeof(hash)) == -1)
		return 1;
	snprintf(detail, sizeof(detail), "account=%s", a.name);
	if (staff_begin(s) == -1)
		return 1;
	if (staff_account_set_hash(s, a.id, hash) == -1 ||
	    staff_session_delete_account(s, a.id) == -1 ||
	    user_audit(s, o, "password-reset", detail) == -1 ||
	    staff_commit(s) == -1) {
		staff_rollback(s);
		return 1;
	}
	printf("new password for %s; its sessions have ended\n", a.name);
	return 0;
}

/* Disables (its sessions end) or enables an account. */
static int
user_set_disabled(struct staff *s, const struct user_opts *o, int disabled)
{
	struct staff_account	 a;
	char			 detail[80];

	if (user_find(s, o, &a) != 0)
		return 1;
	snprintf(detail, sizeof(detail), "account=%s", a.name);
	if (staff_begin(s) == -1)
		return 1;
	if (staff_account_set_disabled(s, a.id, disabled) == -1 ||
	    (disabled && staff_session_delete_account(s, a.id) == -1) ||
	    user_audit(s, o, disabled ? "account-disable" : "account-enable",
	    detail) == -1 || staff_commit(s) == -1) {
		staff_rollback(s);
		return 1;
	}
	printf("%s %s\n", disabled ? "disabled" : "enabled", a.name);
	return 0;
}

static int
user_print(const struct staff_account *a, void *arg)
{
	int64_t	*now = arg;

	printf("%-20s %-9s %-8s %s\n", a->name, staff_role_name(a->role),
	    a->disabled ? "disabled" : a->locked_until > *now ? "locked" :
	    "active", a->display);
	return 0;
}

static int
user_list(struct staff *s)
{
	int64_t	 now = time(NULL);

	printf("%-20s %-9s %-8s %s\n", "NAME", "ROLE", "STATE", "DISPLAY");
	return staff_account_each(s, user_print, &now) == 0 ? 0 : 1;
}

/* Parses the options after the subcommand. Returns 0, or -1. */
static int
user_options(int argc, char **argv, struct user_opts *o)
{
	static const struct option opts[] = {
		{ "staff-db", required_argument, NULL, 'd' },
		{ "role", required_argument, NULL, 'r' },
		{ "display", required_argument, NULL, 'n' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct passwd	*pw;
	int		 c;

	o->db = USER_DEFAULT_DB;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'r': o->role = optarg; break;
		case 'n': o->display = optarg; break;
		case 'p': o->pw_stdin = 1; break;
		default: return -1;
		}
	}
	o->name = optind < argc ? argv[optind++] : NULL;
	if (optind != argc)
		return -1;
	pw = getpwuid(getuid());
	snprintf(o->actor, sizeof(o->actor), "cli:%s", pw ? pw->pw_name : "?");
	return 0;
}

int
user_main(int argc, char **argv)
{
	struct user_opts	 o;
	struct staff		*s;
	const char		*cmd;
	int			 rc;

	log_init("user");
	if (argc < 2)
		return user_usage();
	cmd = argv[1];
	memset(&o, 0, sizeof(o));
	if (user_options(argc - 1, argv + 1, &o) == -1)
		return user_usage();
	if ((strcmp(cmd, "list") == 0) != (o.name == NULL))
		return user_usage();
	if (o.name != NULL && !staff_valid_name(o.name)) {
		fprintf(stderr, "user: a name is 1 to %d letters, digits, '.', "
		    "'_' or '-', starting with a letter\n", STAFF_MAX_NAME);
		return 1;
	}
	if (auth_init() == -1 || (s = staff_open(o.db)) == NULL)
		return 1;
	if (strcmp(cmd, "add") == 0)
		rc = user_add(s, &o);
	else if (strcmp(cmd, "passwd") == 0)
		rc = user_passwd(s, &o);
	else if (strcmp(cmd, "disable") == 0 || strcmp(cmd, "enable") == 0)
		rc = user_set_disabled(s, &o, cmd[0] == 'd');
	else if (strcmp(cmd, "list") == 0)
		rc = user_list(s);
	else
		rc = user_usage();
	staff_close(s);
	return rc;
}
