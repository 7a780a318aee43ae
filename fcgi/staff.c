/*
 * staff.c: the staff database, one SQLite file apart from the public
 * snapshot: accounts, sessions, items and their versions, media and the
 * audit log. It is durable (WAL, synchronous=FULL: a change that was
 * answered survives a power cut) and only `fazhi console` and `fazhi user`
 * open it; public workers never do.
 *
 * The audit table is append-only. Nothing here updates or deletes it, and
 * triggers in the schema abort any UPDATE or DELETE of it, whoever tries.
 *
 * Statements are prepared per call: staff traffic is a few requests a
 * minute, and this keeps every function self-contained.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "log.h"
#include "mem.h"
#include "staff.h"

struct staff {
	sqlite3		*db;
	char		*path;		/* for messages */
};

/*
 * An item's uploaded files (media.c names them); alt is an attachment's
 * title. A removed file stays, marked, so that old versions still work.
 * (Schema 1 had this table without caption and unused: 2 makes it anew.)
 */
#define STAFF_MEDIA_TABLE \
    "CREATE TABLE media(" \
    " id INTEGER PRIMARY KEY," \
    " item INTEGER NOT NULL REFERENCES item(id)," \
    " stored_name TEXT NOT NULL," \
    " kind TEXT NOT NULL CHECK (kind IN ('image', 'attachment'))," \
    " bytes INTEGER NOT NULL," \
    " width INTEGER," \
    " height INTEGER," \
    " alt TEXT," \
    " caption TEXT," \
    " uploaded_by INTEGER NOT NULL REFERENCES account(id)," \
    " time INTEGER NOT NULL," \
    " removed INTEGER NOT NULL DEFAULT 0," \
    " UNIQUE (item, stored_name));"

static const char *const staff_schema =
    "CREATE TABLE account("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " display TEXT NOT NULL DEFAULT '',"
    " role TEXT NOT NULL CHECK (role IN ('editor', 'reviewer', 'admin')),"
    " hash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " failed INTEGER NOT NULL DEFAULT 0,"
    " locked_until INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL);"
    /* Only a hash of the token: a copy of the file opens no session. */
    "CREATE TABLE session("
    " token_hash TEXT PRIMARY KEY,"
    " account INTEGER NOT NULL REFERENCES account(id),"
    " created INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " address TEXT NOT NULL);"
    "CREATE INDEX session_account ON session(account);"
    /* An item of content/<section>/<content_id>.xml as staff work on it. */
    "CREATE TABLE item("
    " id INTEGER PRIMARY KEY,"
    " section TEXT NOT NULL,"
    " content_id TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN"
    "  ('draft', 'submitted', 'published', 'withdrawn', 'deleted')),"
    " current_version INTEGER,"
    " published_version INTEGER,"
    " UNIQUE (section, content_id));"
    /* Every save is a version; versions are never changed, only added. */
    "CREATE TABLE version("
    " item INTEGER NOT NULL REFERENCES item(id),"
    " number INTEGER NOT NULL,"
    " author INTEGER NOT NULL REFERENCES account(id),"
    " time INTEGER NOT NULL,"
    " xml TEXT NOT NULL,"
    " comment TEXT,"
    " PRIMARY KEY (item, number));"
    STAFF_MEDIA_TABLE
    /* Names, not ids, so that the log reads alone; names are never reused. */
    "CREATE TABLE audit("
    " id INTEGER PRIMARY KEY,"
    " time INTEGER NOT NULL,"
    " account TEXT NOT NULL,"
    " address TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " item TEXT,"
    " version INTEGER,"
    " detail TEXT);"
    "CREATE INDEX audit_address ON audit(address, action, time);"
    "CREATE INDEX audit_account ON audit(account, id);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

static const char *const staff_roles[STAFF_ROLE__MAX] = {
	"editor", "reviewer", "admin"
};
static const char *const staff_role_labels[STAFF_ROLE__MAX] = {
	"起草", "审核签发", "管理员"
};

const char *
staff_role_name(enum staff_role r)
{
	return r < STAFF_ROLE__MAX ? staff_roles[r] : "?";
}

/* The role's Chinese name, as the console shows it. */
const char *
staff_role_label(enum staff_role r)
{
	return r < STAFF_ROLE__MAX ? staff_role_labels[r] : "?";
}

/* Sets *r from "editor", "reviewer" or "admin". Returns 0, or -1. */
int
staff_role_parse(const char *s, enum staff_role *r)
{
	int	 i;

	for (i = 0; i < STAFF_ROLE__MAX; i++)
		if (s != NULL && strcmp(s, staff_roles[i]) == 0) {
			*r = (enum staff_role)i;
			return 0;
		}
	return -1;
}

/*
 * Is name a valid account name: 1 to STAFF_MAX_NAME bytes of ASCII letters,
 * digits, '.', '_' and '-', starting with a letter? Plain ASCII, so that no
 * two names look alike and every name is safe in a log line.
 */
int
staff_valid_name(const char *name)
{
	size_t	 i, n = strlen(name);

	if (n == 0 || n > STAFF_MAX_NAME ||
	    !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
		return 0;
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') ||
		    name[i] == '.' || name[i] == '_' || name[i] == '-'))
			return 0;
	return 1;
}

static int
staff_exec(struct staff *s, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_warnx("%s: %s", s->path, err ? err : sqlite3_errmsg(s->db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* Prepares sql. Returns the statement, or NULL (logged). */
static sqlite3_stmt *
staff_prepare(struct staff *s, const char *sql)
{
	sqlite3_stmt	*st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_warnx("%s: %s", s->path, sqlite3_errmsg(s->db));
		return NULL;
	}
	return st;
}

/* Runs a statement that returns no rows, and finalizes it. Returns 0, or -1. */
static int
staff_done(struct staff *s, sqlite3_stmt *st)
{
	int	 rc = sqlite3_step(st);

	if (rc != SQLITE_DONE)
		log_warnx("%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
staff_user_version(struct staff *s, int *v)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	if ((st = staff_prepare(s, "PRAGMA user_version")) == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * Creates the schema in an empty database, or checks the version of an
 * existing one. Returns 0, or -1 (logged).
 */
static int
staff_schema_check(struct staff *s)
{
	char	 sql[64];
	int	 v;

	if (staff_exec(s, "BEGIN IMMEDIATE") == -1)
		return -1;
	if (staff_user_version(s, &v) == -1)
		goto fail;
	if (v == 0) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		    STAFF_SCHEMA_VERSION);
		if (staff_exec(s, staff_schema) == -1 || staff_exec(s, sql) == -1)
			goto fail;
	} else if (v == 1) {
		/* 1 -> 2: the media table, unused until then, anew */
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		    STAFF_SCHEMA_VERSION);
		if (staff_exec(s, "DROP TABLE media;" STAFF_MEDIA_TABLE) == -1 ||
		    staff_exec(s, sql) == -1)
			goto fail;
	} else if (v != STAFF_SCHEMA_VERSION) {
		log_warnx("%s: staff database of schema version %d, not %d",
		    s->path, v, STAFF_SCHEMA_VERSION);
		goto fail;
	}
	return staff_exec(s, "COMMIT");
fail:
	staff_exec(s, "ROLLBACK");
	return -1;
}

/*
 * Opens the staff database at path, creating it (mode 0600: it holds the
 * password hashes) with its schema when it does not exist. Returns the
 * handle, or NULL (logged).
 */
struct staff *
staff_open(const char *path)
{
	struct staff	*s;
	mode_t		 old;
	int		 rc;

	if ((s = mem_calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->path = mem_strdup(path)) == NULL)
		goto fail;
	old = umask(0077);
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL);
	umask(old);
	if (rc != SQLITE_OK) {
		log_warnx("%s: %s", path, s->db ? sqlite3_errmsg(s->db) :
		    "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, STAFF_BUSY_MS);
	if (staff_exec(s, "PRAGMA journal_mode = WAL") == -1 ||
	    staff_exec(s, "PRAGMA synchronous = FULL") == -1 ||
	    staff_exec(s, "PRAGMA foreign_keys = ON") == -1 ||
	    staff_schema_check(s) == -1)
		goto fail;
	return s;
fail:
	staff_close(s);
	return NULL;
}

void
staff_close(struct staff *s)
{
	if (s == NULL)
		return;
	sqlite3_close(s->db);
	mem_free(s->path);
	mem_free(s);
}

/*
 * One write transaction: IMMEDIATE takes the write lock at once, so a
 * read-then-write (a failure count) cannot interleave with the CLI's.
 */
int
staff_begin(struct staff *s)
{
	return staff_exec(s, "BEGIN IMMEDIATE");
}

int
staff_commit(struct staff *s)
{
	return staff_exec(s, "COMMIT");
}

void
staff_rollback(struct staff *s)
{
	if (!sqlite3_get_autocommit(s->db))
		staff_exec(s, "ROLLBACK");
}

static void
staff_copy(char *dst, size_t dstsz, const unsigned char *src)
{
	snprintf(dst, dstsz, "%s", src ? (const char *)src : "");
}

#define STAFF_ACCOUNT_COLS \
	"id, name, display, role, hash, disabled, failed, locked_until, created"

/* Fills a from a row of STAFF_ACCOUNT_COLS. */
static void
staff_account_row(sqlite3_stmt *st, struct staff_account *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	staff_copy(a->name, sizeof(a->name), sqlite3_column_text(st, 1));
	staff_copy(a->display, sizeof(a->display), sqlite3_column_text(st, 2));
	if (staff_role_parse((const char *)sqlite3_column_text(st, 3),
	    &a->role) == -1)
		a->role = STAFF_ROLE_EDITOR;	/* the CHECK makes this unreachable */
	staff_copy(a->hash, sizeof(a->hash), sqlite3_column_text(st, 4));
	a->disabled = sqlite3_column_int(st, 5);
	a->failed = sqlite3_column_int(st, 6);
	a->locked_until = sqlite3_column_int64(st, 7);
	a->created = sqlite3_column_int64(st, 8);
}

/* Steps st once into a. Returns 0 when found, 1 when not, -1 on error. */
static int
staff_account_one(struct staff *s, sqlite3_stmt *st, struct staff_account *a)
{
	int	 rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		staff_account_row(st, a);
	else if (rc != SQLITE_DONE)
		log_warnx("%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* The account named name: 0 when found, 1 when there is none, -1 on error. */
int
staff_account_get(struct staff *s, const char *name, struct staff_account *a)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "SELECT " STAFF_ACCOUNT_COLS
	    " FROM account WHERE name = ?1")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	return staff_account_one(s, st, a);
}

/* The account with this id: 0 when found, 1 when there is none, -1 on error. */
int
staff_account_by_id(struct staff *s, int64_t id, struct staff_account *a)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "SELECT " STAFF_ACCOUNT_COLS
	    " FROM account WHERE id = ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return staff_account_one(s, st, a);
}

/*
 * Adds an account. Returns 0, 1 when the name is taken, or -1 (logged).
 */
int
staff_account_add(struct staff *s, const char *name, const char *display,
    enum staff_role role, const char *hash, int64_t now)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = staff_prepare(s, "INSERT INTO account(name, display, role,"
	    " hash, created) VALUES (?1, ?2, ?3, ?4, ?5)")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, display ? display : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, staff_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return 1;
	if (rc != SQLITE_DONE) {
		log_warnx("%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/* A new password hash; also clears the failures and the lock. 0 or -1. */
int
staff_account_set_hash(struct staff *s, int64_t id, const char *hash)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "UPDATE account SET hash = ?2, failed = 0,"
	    " locked_until = 0 WHERE id = ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	return staff_done(s, st);
}

/* Disables (1) or enables (0) an account; enabling also lifts a lock. */
int
staff_account_set_disabled(struct staff *s, int64_t id, int disabled)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "UPDATE account SET disabled = ?2,"
	    " failed = 0, locked_until = 0 WHERE id = ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, disabled != 0);
	return staff_done(s, st);
}

/* Gives an account another role. 0 or -1. */
int
staff_account_set_role(struct staff *s, int64_t id, enum staff_role role)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "UPDATE account SET role = ?2 WHERE id = ?1"))
	    == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, staff_role_name(role), -1, SQLITE_STATIC);
	return staff_done(s, st);
}

/* Records the sign-in failures in a row and the lock (0: none). 0 or -1. */
int
staff_account_set_failures(struct staff *s, int64_t id, int failed,
    int64_t locked_until)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "UPDATE account SET failed = ?2,"
	    " locked_until = ?3 WHERE id = ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, failed);
	sqlite3_bind_int64(st, 3, locked_until);
	return staff_done(s, st);
}

/*
 * Calls cb for every account, by name. A non-zero return from cb stops the
 * walk and is returned; else 0, or -1 on a database error.
 */
int
staff_account_each(struct staff *s, staff_account_cb cb, void *arg)
{
	struct staff_account	 a;
	sqlite3_stmt		*st;
	int			 rc, out = 0;

	if ((st = staff_prepare(s, "SELECT " STAFF_ACCOUNT_COLS
	    " FROM account ORDER BY name")) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		staff_account_row(st, &a);
		if ((out = cb(&a, arg)) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_warnx("%s: %s", s->path, sqlite3_errmsg(s->db));
		out = -1;
	}
	sqlite3_finalize(st);
	return out;
}

/* Records a new session under its token's hash. 0, or -1 (logged). */
int
staff_session_add(struct staff *s, const char *token_hash, int64_t account,
    int64_t now, const char *address)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "INSERT INTO session(token_hash, account,"
	    " created, last_seen, address) VALUES (?1, ?2, ?3, ?3, ?4)")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, address, -1, SQLITE_STATIC);
	return staff_done(s, st);
}

/* The session of a token's hash: 0 when found, 1 when none, -1 on error. */
int
staff_session_get(struct staff *s, const char *token_hash,
    struct staff_session *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = staff_prepare(s, "SELECT account, created, last_seen"
	    " FROM session WHERE token_hash = ?1")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->account = sqlite3_column_int64(st, 0);
		out->created = sqlite3_column_int64(st, 1);
		out->last_seen = sqlite3_column_int64(st, 2);
	} else if (rc != SQLITE_DONE)
		log_warnx("%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* Marks the session as seen now (its idle time starts again). 0 or -1. */
int
staff_session_touch(struct staff *s, const char *token_hash, int64_t now)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "UPDATE session SET last_seen = ?2"
	    " WHERE token_hash = ?1")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return staff_done(s, st);
}

/* Ends one session on the server. 0 or -1. */
int
staff_session_delete(struct staff *s, const char *token_hash)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "DELETE FROM session WHERE token_hash = ?1"))
	    == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	return staff_done(s, st);
}

/*
 * Deletes the sessions that have run out: seen last before idle_before, or
 * started before created_before. They are refused anyway; this keeps the
 * table to the sessions that may still be used. Returns 0, or -1.
 */
int
staff_session_purge(struct staff *s, int64_t idle_before, int64_t created_before)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "DELETE FROM session WHERE last_seen < ?1"
	    " OR created < ?2")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, idle_before);
	sqlite3_bind_int64(st, 2, created_before);
	return staff_done(s, st);
}

/* Ends every session of an account (disabled, or its password changed). */
int
staff_session_delete_account(struct staff *s, int64_t account)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "DELETE FROM session WHERE account = ?1"))
	    == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, account);
	return staff_done(s, st);
}

/*
 * Appends one entry to the audit log. The only statement that touches the
 * table is this INSERT. Returns 0, or -1 (logged): the caller then rolls
 * back what it was recording, so that nothing happens unrecorded.
 */
int
staff_audit(struct staff *s, const struct staff_audit *e)
{
	sqlite3_stmt	*st;
	char		 detail[STAFF_MAX_DETAIL + 1];
	size_t		 n;

	if ((st = staff_prepare(s, "INSERT INTO audit(time, account, address,"
	    " action, item, version, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"))
	    == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, e->time);
	sqlite3_bind_text(st, 2, e->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, e->address, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e->item, -1, SQLITE_STATIC);
	if (e->version > 0)
		sqlite3_bind_int64(st, 6, e->version);
	if (e->detail != NULL) {
		/* cut at a character boundary: never half of a UTF-8 sequence */
		snprintf(detail, sizeof(detail), "%s", e->detail);
		n = strlen(detail);
		if (strlen(e->detail) > n) {
			while (n > 0 && ((unsigned char)e->detail[n] & 0xC0) == 0x80)
				n--;
			detail[n] = '\0';
		}
		sqlite3_bind_text(st, 7, detail, -1, SQLITE_TRANSIENT);
	}
	return staff_done(s, st);
}

/*
 * How many audit entries of action came from address at or after since:
 * the per-address count of sign-in failures. Returns it, or -1 on error.
 */
int64_t
staff_audit_count(struct staff *s, const char *address, const char *action,
    int64_t since)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if ((st = staff_prepare(s, "SELECT count(*) FROM audit WHERE"
	    " address = ?1 AND action = ?2 AND time >= ?3")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, address, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, since);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The WHERE clause of a filter; its parameters are ?1 .. ?4 (staff_audit_bind). */
#define STAFF_AUDIT_WHERE \
	" WHERE (?1 IS NULL OR account = ?1) AND (?2 IS NULL OR action = ?2)" \
	" AND time >= ?3 AND (?4 = 0 OR time < ?4)"

static void
staff_audit_bind(sqlite3_stmt *st, const struct staff_audit_filter *f)
{
	sqlite3_bind_text(st, 1, f->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->action, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, f->from);
	sqlite3_bind_int64(st, 4, f->until);
}

/* How many audit entries match f. Returns it, or -1 on error. */
int64_t
staff_audit_total(struct staff *s, const struct staff_audit_filter *f)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if ((st = staff_prepare(s, "SELECT count(*) FROM audit"
	    STAFF_AUDIT_WHERE)) == NULL)
		return -1;
	staff_audit_bind(st, f);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * Calls cb for the audit entries that match f, newest first, at most limit
 * of them after skipping offset. A non-zero return from cb stops the walk
 * and is returned; else 0, or -1 on a database error.
 */
int
staff_audit_each(struct staff *s, const struct staff_audit_filter *f,
    int64_t limit, int64_t offset, staff_audit_cb cb, void *arg)
{
	struct staff_audit_row	 r;
	sqlite3_stmt		*st;
	int			 rc, out = 0;

	if ((st = staff_prepare(s, "SELECT id, time, account, address, action,"
	    " item, version, detail FROM audit" STAFF_AUDIT_WHERE
	    " ORDER BY id DESC LIMIT ?5 OFFSET ?6")) == NULL)
		return -1;
	staff_audit_bind(st, f);
	sqlite3_bind_int64(st, 5, limit);
	sqlite3_bind_int64(st, 6, offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, 0);
		r.e.time = sqlite3_column_int64(st, 1);
		r.e.account = (const char *)sqlite3_column_text(st, 2);
		r.e.address = (const char *)sqlite3_column_text(st, 3);
		r.e.action = (const char *)sqlite3_column_text(st, 4);
		r.e.item = (const char *)sqlite3_column_text(st, 5);
		r.e.version = sqlite3_column_int64(st, 6);
		r.e.detail = (const char *)sqlite3_column_text(st, 7);
		if ((out = cb(&r, arg)) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_warnx("%s: %s", s->path, sqlite3_errmsg(s->db));
		out = -1;
	}
	sqlite3_finalize(st);
	return out;
}

/*
 * Finds the item section/content_id. Returns 0 and fills *it, 1 when there
 * is none, -1 (logged).
 */
int
staff_item_get(struct staff *s, const char *section, const char *cid,
    struct staff_item *it)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = staff_prepare(s, "SELECT i.id, i.status,"
	    " coalesce(i.current_version, 0), coalesce(i.published_version, 0),"
	    " coalesce(v.author, 0) FROM item i LEFT JOIN version v"
	    " ON v.item = i.id AND v.number = i.current_version"
	    " WHERE i.section = ?1 AND i.content_id = ?2")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, section, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cid, -1, SQLITE_STATIC);
	memset(it, 0, sizeof(*it));
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		it->id = sqlite3_column_int64(st, 0);
		snprintf(it->status, sizeof(it->status), "%s",
		    sqlite3_column_text(st, 1));
		it->current = sqlite3_column_int64(st, 2);
		it->published = sqlite3_column_int64(st, 3);
		it->last_author = sqlite3_column_int64(st, 4);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else {
		log_warnx("%s: %s", s->path, sqlite3_errmsg(s->db));
		rc = -1;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Adds the item section/content_id as a draft. Returns its id, or -1. */
int64_t
staff_item_add(struct staff *s, const char *section, const char *cid)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "INSERT INTO item(section, content_id,"
	    " status) VALUES (?1, ?2, 'draft')")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, section, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cid, -1, SQLITE_STATIC);
	if (staff_done(s, st) == -1)
		return -1;
	return sqlite3_last_insert_rowid(s->db);
}

/* Sets an item's status and versions (0: none). Returns 0, or -1. */
int
staff_item_set(struct staff *s, int64_t id, const char *status,
    int64_t current, int64_t published)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "UPDATE item SET status = ?2,"
	    " current_version = nullif(?3, 0), published_version = nullif(?4, 0)"
	    " WHERE id = ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, current);
	sqlite3_bind_int64(st, 4, published);
	return staff_done(s, st);
}

/*
 * Adds the next version of item, xml as saved, by author. Versions are only
 * ever added. Returns its number, or -1.
 */
int64_t
staff_version_add(struct staff *s, int64_t item, int64_t author, int64_t time,
    const char *xml, const char *comment)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if ((st = staff_prepare(s, "SELECT coalesce(max(number), 0) + 1"
	    " FROM version WHERE item = ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, item);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (n == -1 || (st = staff_prepare(s, "INSERT INTO version(item, number,"
	    " author, time, xml, comment) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " nullif(?6, ''))")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, item);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_int64(st, 3, author);
	sqlite3_bind_int64(st, 4, time);
	sqlite3_bind_text(st, 5, xml, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, comment ? comment : "", -1, SQLITE_STATIC);
	return staff_done(s, st) == 0 ? n : -1;
}

/*
 * The XML of version number of item, in a new string (free), or NULL when
 * there is none or on failure (logged).
 */
char *
staff_version_xml(struct staff *s, int64_t item, int64_t number)
{
	sqlite3_stmt	*st;
	char		*xml = NULL;

	if ((st = staff_prepare(s, "SELECT xml FROM version WHERE item = ?1"
	    " AND number = ?2")) == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, item);
	sqlite3_bind_int64(st, 2, number);
	if (sqlite3_step(st) == SQLITE_ROW)
		xml = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return xml;
}

/*
 * Calls cb for every version of item, newest first, with its author and the
 * last audit entry that names it (saved, submitted, returned ...).
 */
int
staff_version_each(struct staff *s, int64_t item, staff_version_cb cb,
    void *arg)
{
	sqlite3_stmt		*st;
	struct staff_version_row r;
	int			 rc;

	if ((st = staff_prepare(s, "SELECT v.number, v.time, coalesce(a.name,"
	    " ''), coalesce(a.display, ''), v.comment, l.action, l.detail"
	    " FROM version v JOIN item i ON i.id = v.item"
	    " LEFT JOIN account a ON a.id = v.author"
	    " LEFT JOIN audit l ON l.id = (SELECT max(id) FROM audit"
	    " WHERE item = i.section || '/' || i.content_id AND"
	    " version = v.number)"
	    " WHERE v.item = ?1 ORDER BY v.number DESC")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, item);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.number = sqlite3_column_int64(st, 0);
		r.time = sqlite3_column_int64(st, 1);
		r.author = (const char *)sqlite3_column_text(st, 2);
		r.display = (const char *)sqlite3_column_text(st, 3);
		r.comment = (const char *)sqlite3_column_text(st, 4);
		r.action = (const char *)sqlite3_column_text(st, 5);
		r.detail = (const char *)sqlite3_column_text(st, 6);
		if (cb(&r, arg) == -1)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/*
 * Calls cb for every item of section, most recently changed first, with its
 * current version's author and XML and the last review comment.
 */
int
staff_item_each(struct staff *s, const char *section, staff_item_cb cb,
    void *arg)
{
	sqlite3_stmt		*st;
	struct staff_item_row	 r;
	int			 rc;

	if ((st = staff_prepare(s, "SELECT i.content_id, i.status,"
	    " coalesce(i.current_version, 0), coalesce(i.published_version, 0),"
	    " coalesce(v.author, 0), coalesce(a.name, ''), coalesce(v.time, 0),"
	    " coalesce(v.xml, ''), (SELECT action FROM audit WHERE item ="
	    " i.section || '/' || i.content_id ORDER BY id DESC LIMIT 1),"
	    " (SELECT detail FROM audit WHERE item = i.section || '/' ||"
	    " i.content_id ORDER BY id DESC LIMIT 1)"
	    " FROM item i LEFT JOIN version v ON v.item = i.id AND"
	    " v.number = i.current_version LEFT JOIN account a ON a.id = v.author"
	    " WHERE i.section = ?1 ORDER BY v.time DESC, i.id DESC")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, section, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.content_id = (const char *)sqlite3_column_text(st, 0);
		r.status = (const char *)sqlite3_column_text(st, 1);
		r.current = sqlite3_column_int64(st, 2);
		r.published = sqlite3_column_int64(st, 3);
		r.author = sqlite3_column_int64(st, 4);
		r.author_name = (const char *)sqlite3_column_text(st, 5);
		r.time = sqlite3_column_int64(st, 6);
		r.xml = (const char *)sqlite3_column_text(st, 7);
		r.last_action = (const char *)sqlite3_column_text(st, 8);
		r.last_detail = (const char *)sqlite3_column_text(st, 9);
		if (cb(&r, arg) == -1)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Adds a file to item: its stored name, kind (image, attachment), size,
 * pixels, alt text (an attachment's title), caption (or NULL). The same
 * file added to the same item again is shown again, not added twice.
 * Returns 0, or -1.
 */
int
staff_media_add(struct staff *s, int64_t item, const struct staff_media *m)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, "INSERT INTO media(item, stored_name, kind,"
	    " bytes, width, height, alt, caption, uploaded_by, time)"
	    " VALUES (?1, ?2, ?3, ?4, nullif(?5, 0), nullif(?6, 0), ?7, ?8, ?9, ?10)"
	    " ON CONFLICT(item, stored_name) DO UPDATE SET removed = 0,"
	    " alt = ?7, caption = ?8")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, item);
	sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, m->bytes);
	sqlite3_bind_int64(st, 5, m->width);
	sqlite3_bind_int64(st, 6, m->height);
	sqlite3_bind_text(st, 7, m->alt, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, m->caption, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, m->uploaded_by);
	sqlite3_bind_int64(st, 10, m->time);
	return staff_done(s, st);
}

/*
 * Sets the alt text and caption of file id of item, or marks it removed
 * (removed: 1). Returns 0, 1 when item has no such file, or -1.
 */
int
staff_media_set(struct staff *s, int64_t item, int64_t id, const char *alt,
    const char *caption, int removed)
{
	sqlite3_stmt	*st;

	if ((st = staff_prepare(s, removed ? "UPDATE media SET removed = 1"
	    " WHERE item = ?1 AND id = ?2 AND removed = 0" :
	    "UPDATE media SET alt = ?3, caption = ?4 WHERE item = ?1 AND"
	    " id = ?2 AND removed = 0")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, item);
	sqlite3_bind_int64(st, 2, id);
	if (!removed) {
		sqlite3_bind_text(st, 3, alt, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, caption, -1, SQLITE_STATIC);
	}
	if (staff_done(s, st) == -1)
		return -1;
	return sqlite3_changes(s->db) == 1 ? 0 : 1;
}

/* Calls cb for every file of item not removed, in upload order. 0, or -1. */
int
staff_media_each(struct staff *s, int64_t item, staff_media_cb cb, void *arg)
{
	sqlite3_stmt		*st;
	struct staff_media	 m;
	int			 rc;

	if ((st = staff_prepare(s, "SELECT m.id, m.stored_name, m.kind, m.bytes,"
	    " coalesce(m.width, 0), coalesce(m.height, 0), coalesce(m.alt, ''),"
	    " m.caption, m.uploaded_by, m.time, coalesce(a.name, '')"
	    " FROM media m LEFT JOIN account a ON a.id = m.uploaded_by"
	    " WHERE m.item = ?1 AND m.removed = 0 ORDER BY m.id")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, item);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m.id = sqlite3_column_int64(st, 0);
		m.name = (const char *)sqlite3_column_text(st, 1);
		m.kind = (const char *)sqlite3_column_text(st, 2);
		m.bytes = sqlite3_column_int64(st, 3);
		m.width = sqlite3_column_int64(st, 4);
		m.height = sqlite3_column_int64(st, 5);
		m.alt = (const char *)sqlite3_column_text(st, 6);
		m.caption = (const char *)sqlite3_column_text(st, 7);
		m.uploaded_by = sqlite3_column_int64(st, 8);
		m.time = sqlite3_column_int64(st, 9);
		m.uploader = (const char *)sqlite3_column_text(st, 10);
		if (cb(&m, arg) == -1)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Has item ever had the file name (removed or not)? 1, 0, or -1. */
int
staff_media_has(struct staff *s, int64_t item, const char *name)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = staff_prepare(s, "SELECT 1 FROM media WHERE item = ?1 AND"
	    " stored_name = ?2")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, item);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
