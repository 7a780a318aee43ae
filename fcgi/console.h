/* console.h: `fazhi console`, the staff's private FastCGI application. */
#ifndef FAZHI_CONSOLE_H
#define FAZHI_CONSOLE_H

#include <stdint.h>
#include <sys/types.h>

#include "auth.h"
#include "staff.h"

/* Every console address starts with this; nginx sends only these to it. */
#define CONSOLE_PREFIX		"/console/"
/* A session ends after this long without a request (OWASP ASVS 3.3.2)... */
#define CONSOLE_IDLE_SECONDS	(30 * 60)
/* ...and this long after its sign-in, however busy. */
#define CONSOLE_MAX_SESSION_SECONDS (12 * 60 * 60)
/* Sign-in failures in a row after which an account is locked... */
#define CONSOLE_MAX_FAILURES	5
/* ...for this long. */
#define CONSOLE_LOCK_SECONDS	(15 * 60)
/* Sign-in failures one address may have within CONSOLE_ADDR_WINDOW... */
#define CONSOLE_ADDR_MAX_FAILURES 20
/* ...seconds, before it is refused for the rest of that window (429). */
#define CONSOLE_ADDR_WINDOW	(15 * 60)
/* How long the sign-in form's own cookie (its CSRF secret) lasts. */
#define CONSOLE_SIGNIN_COOKIE_AGE (60 * 60)
/* Items of the live snapshot listed on the dashboard, newest first. */
#define CONSOLE_DASHBOARD_ITEMS	500
/* Audit entries per page of /console/audit. */
#define CONSOLE_AUDIT_PER_PAGE	50
/* Highest page number accepted there. */
#define CONSOLE_AUDIT_MAX_PAGE	10000
/* Most entries one CSV export holds, newest first (about 15 MB). */
#define CONSOLE_AUDIT_CSV_MAX	100000
/* listen(2) backlog of the console's socket: staff are few. */
#define CONSOLE_BACKLOG		64

/* The session cookie, and the sign-in form's. */
#define CONSOLE_COOKIE		"fazhi_console"
#define CONSOLE_SIGNIN_COOKIE	"fazhi_console_signin"

/* Backends (--pid, --url pairs) the console's publishing reaches. */
#define CONSOLE_MAX_BACKENDS	16

struct snap;
struct tpl;
struct form;
struct http_req;
struct upload;

/* What the console holds for its whole life. */
struct console {
	struct staff	*staff;		/* the staff database */
	struct tpl	*tpl;		/* templates of lua/console (apart from the public ones, which never load them) */
	struct snap	*snap;		/* the live snapshot, reopened when replaced */
	const char	*snap_path;	/* --snapshot */
	dev_t		 snap_dev;	/* the file snap was opened from */
	ino_t		 snap_ino;
	const char	*clock_file;	/* --clock FILE: tests set "now" */
	const char	*content_dir;	/* --content: the XML source of truth */
	const char	*media_dir;	/* --media: uploaded files (mediapage.c) */
	const char	*luadir;	/* --lua: engine.lua and view.lua */
	const char	*public_tpldir;	/* --public-templates: the public site's, for previews */
	char		 exe[4096];	/* this program: check, publish, withdraw run it */
	const char	*pid_files[CONSOLE_MAX_BACKENDS]; /* --pid: publish's backends */
	const char	*urls[CONSOLE_MAX_BACKENDS];	/* --url: their /healthz, or NULL */
	int		 nbackends;
	const char	*hosts_file;	/* --hosts: publish's other hosts */
};

enum console_method {
	CONSOLE_GET,
	CONSOLE_HEAD,
	CONSOLE_POST,
	CONSOLE_OTHER
};

/* Most Set-Cookie headers in one answer, and the room for each. */
#define CONSOLE_MAX_COOKIES	2
#define CONSOLE_COOKIE_SIZE	256

/* One request and its answer. */
struct console_req {
	struct console		*con;
	enum console_method	 method;
	const char		*path;		/* decoded, under CONSOLE_PREFIX */
	const struct http_req	*http;		/* the query */
	const struct form	*form;		/* the POST body, or NULL */
	const struct upload	*upload;	/* a multipart body's parts, or NULL */
	const char		*cookies;	/* the Cookie header, or NULL */
	const char		*addr;		/* REMOTE_ADDR */
	int			 https;		/* came over TLS: cookies are Secure */
	int64_t			 now;		/* Unix time, or the test clock */
	/* The session, when signed in: */
	int			 signed_in;
	int			 expired;	/* its session just ran out */
	struct staff_account	 me;
	char			 token[AUTH_TOKEN_HEX];	/* the cookie's token */
	char			 csrf[AUTH_HASH_HEX];	/* its forms' CSRF token */
	/* The answer: */
	int			 status;
	const char		*type;		/* Content-Type; NULL: HTML */
	const char		*disposition;	/* Content-Disposition, or NULL */
	const char		*location;	/* for a redirect */
	const char		*accel;		/* X-Accel-Redirect: nginx sends a file */
	char			 location_buf[256]; /* console_redirectf's */
	char			 cookie[CONSOLE_MAX_COOKIES][CONSOLE_COOKIE_SIZE];
	int			 ncookies;
	const char		*body;		/* owned by the template state */
	size_t			 len;
};

int	 console_main(int, char **);

/* For the page modules (signin.c, accounts.c): */
void	 console_ctx(struct console_req *, const char *);
void	 console_setstr(struct console_req *, const char *, const char *);
void	 console_render(struct console_req *, const char *, int);
void	 console_error(struct console_req *, int, const char *);
void	 console_redirect(struct console_req *, const char *);
void	 console_redirectf(struct console_req *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 console_set_cookie(struct console_req *, const char *, const char *,
	    const char *, int);
const char *console_cookie(const struct console_req *, const char *,
	    char *, size_t);
const char *console_field(const struct console_req *, const char *);
int	 console_audit(struct console_req *, const char *, const char *,
	    const char *);
int	 console_csrf_ok(struct console_req *);
int	 console_start_session(struct console_req *, const struct staff_account *);
int	 console_reauth(struct console_req *, const char *);
int	 console_snapshot_rows(struct console_req *, int);

/* signin.c */
void	 signin_get(struct console_req *);
void	 signin_post(struct console_req *);
void	 signin_signout(struct console_req *);
void	 signin_password_get(struct console_req *);
void	 signin_password_post(struct console_req *);
int	 signin_failure(struct console_req *, struct staff_account *,
	    const char *);
const char *signin_new_password_problem(const char *, const char *);

/* auditlog.c */
void	 auditlog_page(struct console_req *);
void	 auditlog_csv(struct console_req *);
void	 auditlog_time(int64_t, char *, size_t);

/*
 * items.c: the editor and review of every kind of item. An item is its
 * kind (itemform.h: section "cases", "guides" or "pufa") and content id;
 * a page about one item is an items_item_fn in items.c's items_subpages.
 */
struct itemform_kind;
struct staff_item;
typedef void (*items_item_fn)(struct console_req *, const struct itemform_kind *,
		    const char *);
void	 items_page(struct console_req *);
int	 items_push_rows(struct console_req *, const struct itemform_kind *);
char	*items_current_xml(struct console_req *, const struct itemform_kind *,
	    const char *, const struct staff_item *, size_t *);
int	 items_audit(struct console_req *, const struct itemform_kind *,
	    const char *, const char *, int64_t, const char *);
int64_t	 items_store(struct console_req *, const struct itemform_kind *,
	    const char *, const char *, int, struct staff_item *);

struct FCGX_Request;
int	 console_read_body(struct console_req *, struct FCGX_Request *, char *,
	    unsigned long, const char *, unsigned long *);

/* mediapage.c */
int	 mediapage_read(struct console_req *, struct FCGX_Request *, const char *,
	    struct form *);
void	 mediapage_page(struct console_req *);
int	 mediapage_xml(struct console_req *, const char *, const char *, char **,
	    size_t *);
int	 mediapage_publish(const struct console *, const char *);
void	 mediapage_push_xml(struct console_req *, const char *);

/* accounts.c */
void	 accounts_list(struct console_req *);
void	 accounts_add(struct console_req *);
void	 accounts_one(struct console_req *, const char *);

#endif
