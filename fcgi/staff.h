/* staff.h: the staff database: accounts, sessions, items, versions, media, audit. */
#ifndef FAZHI_STAFF_H
#define FAZHI_STAFF_H

#include <stdint.h>

/*
 * The schema this code writes, kept in PRAGMA user_version. A database of
 * another version is refused, never silently used: a later version adds a
 * migration step in staff.c for each number.
 */
#define STAFF_SCHEMA_VERSION	2
/* How long a statement waits for another process's write lock (the CLI). */
#define STAFF_BUSY_MS		5000
/* Longest account name, in bytes: ASCII letters, digits, '.', '_', '-'. */
#define STAFF_MAX_NAME		32
/* Longest display name, in bytes (about 20 Chinese characters). */
#define STAFF_MAX_DISPLAY	64
/* Longest audit detail, in bytes; longer details are cut at a character. */
#define STAFF_MAX_DETAIL	500
/* Room for a password hash in crypto_pwhash_str's format (crypto_pwhash_STRBYTES). */
#define STAFF_HASH_SIZE		128
/* Room for a session token's hash, as hex. */
#define STAFF_TOKEN_HASH_SIZE	65

enum staff_role {
	STAFF_ROLE_EDITOR,	/* 起草: drafts and submits */
	STAFF_ROLE_REVIEWER,	/* 审核签发: approves, returns, withdraws */
	STAFF_ROLE_ADMIN,	/* 管理员: accounts and the audit log */
	STAFF_ROLE__MAX
};

struct staff_account {
	int64_t		 id;			/* never reused */
	char		 name[STAFF_MAX_NAME + 1];
	char		 display[STAFF_MAX_DISPLAY + 1]; /* "" when none */
	enum staff_role	 role;
	char		 hash[STAFF_HASH_SIZE];	/* Argon2id, crypto_pwhash_str */
	int		 disabled;		/* may not sign in */
	int		 failed;		/* sign-in failures since the last success */
	int64_t		 locked_until;		/* Unix time; 0: not locked */
	int64_t		 created;		/* Unix time */
};

struct staff_session {
	int64_t		 account;		/* the account's id */
	int64_t		 created;		/* Unix time of the sign-in */
	int64_t		 last_seen;		/* Unix time of the last request */
};

/* One audit entry; item and version are NULL / 0 when not about an item. */
struct staff_audit {
	int64_t		 time;			/* Unix time */
	const char	*account;		/* who: an account name, or "cli:USER" */
	const char	*address;		/* the client's address, or "cli" */
	const char	*action;		/* signin, signin-failed, account-add ... */
	const char	*item;			/* "section/id", or NULL */
	int64_t		 version;		/* the item's version, or 0 */
	const char	*detail;		/* free text, or NULL */
};

/* What the audit log is filtered by; NULL / 0: not by that. */
struct staff_audit_filter {
	const char	*account;		/* exactly this account */
	const char	*action;		/* exactly this action */
	int64_t		 from;			/* time >= from */
	int64_t		 until;			/* time < until; 0: no end */
};

/* One audit entry as read back: id plus the fields of struct staff_audit. */
struct staff_audit_row {
	int64_t		 id;
	struct staff_audit e;
};

/* An item as staff work on it (see the item table). */
struct staff_item {
	int64_t		 id;
	char		 status[16];		/* draft, submitted, published, withdrawn */
	int64_t		 current;		/* its latest version, 0: none */
	int64_t		 published;		/* the version now public, 0: none */
	int64_t		 last_author;		/* who saved the latest version */
};

/* An item for the lists, with its latest version (valid during the callback). */
struct staff_item_row {
	const char	*content_id;
	const char	*status;
	int64_t		 current, published;
	int64_t		 author;		/* of the latest version */
	const char	*author_name;
	int64_t		 time;			/* of the latest version */
	const char	*xml;			/* of the latest version */
	const char	*last_action;		/* its last audit entry's, or NULL */
	const char	*last_detail;
};

/* A file of an item (see the media table); strings valid during the call. */
struct staff_media {
	int64_t		 id;
	const char	*name;			/* stored name (media.c) */
	const char	*kind;			/* "image" or "attachment" */
	int64_t		 bytes;
	int64_t		 width, height;		/* 0 for an attachment */
	const char	*alt;			/* alt text, or an attachment's title */
	const char	*caption;		/* or NULL */
	int64_t		 uploaded_by;		/* account id */
	int64_t		 time;			/* Unix time of the upload */
	const char	*uploader;		/* account name (when read back) */
};

typedef int (*staff_media_cb)(const struct staff_media *, void *);
/* A version for the history page (valid during the callback). */
struct staff_version_row {
	int64_t		 number;
	int64_t		 time;
	const char	*author;		/* the account's name */
	const char	*display;		/* its display name, or "" */
	const char	*comment;		/* or NULL */
	const char	*action;		/* its last audit entry's action, or NULL */
	const char	*detail;		/* and that entry's detail, or NULL */
};

struct staff;
typedef int (*staff_version_cb)(const struct staff_version_row *, void *);
typedef int (*staff_item_cb)(const struct staff_item_row *, void *);
typedef int (*staff_account_cb)(const struct staff_account *, void *);
typedef int (*staff_audit_cb)(const struct staff_audit_row *, void *);

struct staff	*staff_open(const char *);
void		 staff_close(struct staff *);
int		 staff_begin(struct staff *);
int		 staff_commit(struct staff *);
void		 staff_rollback(struct staff *);

const char	*staff_role_name(enum staff_role);
const char	*staff_role_label(enum staff_role);
int		 staff_role_parse(const char *, enum staff_role *);
int		 staff_valid_name(const char *);

int		 staff_account_get(struct staff *, const char *,
		    struct staff_account *);
int		 staff_account_by_id(struct staff *, int64_t,
		    struct staff_account *);
int		 staff_account_add(struct staff *, const char *, const char *,
		    enum staff_role, const char *, int64_t);
int		 staff_account_set_hash(struct staff *, int64_t, const char *);
int		 staff_account_set_disabled(struct staff *, int64_t, int);
int		 staff_account_set_role(struct staff *, int64_t, enum staff_role);
int		 staff_account_set_failures(struct staff *, int64_t, int, int64_t);
int		 staff_account_each(struct staff *, staff_account_cb, void *);

int		 staff_session_add(struct staff *, const char *, int64_t,
		    int64_t, const char *);
int		 staff_session_get(struct staff *, const char *,
		    struct staff_session *);
int		 staff_session_touch(struct staff *, const char *, int64_t);
int		 staff_session_delete(struct staff *, const char *);
int		 staff_session_delete_account(struct staff *, int64_t);
int		 staff_session_purge(struct staff *, int64_t, int64_t);

int		 staff_audit(struct staff *, const struct staff_audit *);
int64_t		 staff_audit_count(struct staff *, const char *, const char *,
		    int64_t);
int64_t		 staff_audit_total(struct staff *, const struct staff_audit_filter *);
int		 staff_audit_each(struct staff *, const struct staff_audit_filter *,
		    int64_t, int64_t, staff_audit_cb, void *);

int		 staff_item_get(struct staff *, const char *, const char *,
		    struct staff_item *);
int64_t		 staff_item_add(struct staff *, const char *, const char *);
int		 staff_item_set(struct staff *, int64_t, const char *, int64_t,
		    int64_t);
int64_t		 staff_version_add(struct staff *, int64_t, int64_t, int64_t,
		    const char *, const char *);
char		*staff_version_xml(struct staff *, int64_t, int64_t);
int		 staff_version_each(struct staff *, int64_t, staff_version_cb,
		    void *);
int		 staff_item_each(struct staff *, const char *, staff_item_cb,
		    void *);

int		 staff_media_add(struct staff *, int64_t, const struct staff_media *);
int		 staff_media_set(struct staff *, int64_t, int64_t, const char *,
		    const char *, int);
int		 staff_media_each(struct staff *, int64_t, staff_media_cb, void *);
int		 staff_media_has(struct staff *, int64_t, const char *);

#endif
