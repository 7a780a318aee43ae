/*
 * build.c: content -> snapshot. `build` writes the snapshot, `check` reports
 * every problem without writing anything; publish.c builds with the same
 * code before it swaps a snapshot in.
 *
 * A snapshot is written under a temporary name and renamed into place only
 * when the whole content set is valid, so the live one is never half new.
 */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "build.h"
#include "content.h"
#include "lists.h"
#include "log.h"
#include "pack.h"
#include "snap.h"
#include "xml.h"

/* The build's SQLite page cache, in KiB (build_pragmas). */
#define BUILD_CACHE_KIB	(64 * 1024)

struct build_opts {
	const char	*content;	/* content folder */
	const char	*output;	/* snapshot path */
	const char	*today;		/* date penalty records are checked against */
};

/* Writes the meta table: schema version, snapshot id, build time, counts. */
static int
build_meta(sqlite3 *db, const struct content_stats *st)
{
	char	 sql[512], when[32];
	time_t	 now = time(NULL);

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	snprintf(sql, sizeof(sql), "INSERT INTO meta VALUES('schema', '%s'), "
	    "('snapshot_id', '%016" PRIx64 "'), ('built_at', '%s'), "
	    "('items', '%ld'), ('penalties', '%ld')", SNAP_SCHEMA_VERSION,
	    st->hash, when, st->items, st->penalties);
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* fsyncs path (a file, or a folder so a rename in it is durable). */
void
build_fsync(const char *path)
{
	int	 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return;
	if (fsync(fd) == -1)
		log_warn("fsync %s", path);
	close(fd);
}

/* fsyncs the folder of file, so that a rename into it is durable. */
void
build_fsync_dir(const char *file)
{
	char	 dir[4096], *slash;

	snprintf(dir, sizeof(dir), "%s", file);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		build_fsync(dir);
	} else
		build_fsync(".");
}

/*
 * The settings of a build's connection. 16 KiB pages keep a section's HTML
 * inside its b-tree cell. No journal and no syncs: a failed build leaves a
 * temporary file that is removed, never a damaged snapshot (build_main
 * syncs the finished file once, before the rename). The page cache holds
 * BUILD_CACHE_KIB: with SQLite's default of 2 MiB, every insert into the
 * keys filled out of order (vocabulary, decision numbers) read and wrote
 * pages again once the snapshot outgrew it. So does the temporary database
 * (the list entries pack.c packs, the searched text), which has a cache of
 * its own.
 */
static void
build_pragmas(sqlite3 *db)
{
	char	 sql[256];

	snprintf(sql, sizeof(sql), "PRAGMA page_size=16384; PRAGMA "
	    "journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-%d; "
	    "PRAGMA temp.cache_size=-%d;", BUILD_CACHE_KIB, BUILD_CACHE_KIB);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/*
 * Builds the content folder into a database at path (":memory:" to only
 * check). Returns 0 when the content is valid and, for a file, written;
 * -1 otherwise, with the file removed.
 */
static int
build_into(const struct build_opts *o, const char *path,
    struct content_stats *st)
{
	sqlite3	*db = NULL;
	int	 rc = -1;

	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		log_warnx("%s: %s", path, sqlite3_errmsg(db));
		goto done;
	}
	/* 16 KiB pages keep a section's HTML inside its b-tree cell. */
	build_pragmas(db);
	if (content_schema(db) == -1 ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		goto done;
	if (content_load(db, o->content, o->today, st) == -1 ||
	    build_meta(db, st) == -1 || xml_errors() > 0)
		goto done;
	/* A check writes nothing: no lists to serve. */
	if (strcmp(path, ":memory:") != 0 && (lists_build(db, time(NULL)) ==
	    -1 || pack_build(db) == -1))
		goto done;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		rc = 0;
done:
	sqlite3_close(db);
	if (rc == -1 && strcmp(path, ":memory:") != 0)
		unlink(path);
	return rc;
}

/*
 * Builds the content folder into a new snapshot at path, for publish.
 * Returns 0, or -1 with every error printed and nothing left at path.
 */
int
build_write(const char *content, const char *today, const char *path,
    struct content_stats *st)
{
	struct build_opts	 o;

	memset(&o, 0, sizeof(o));
	o.content = content;
	o.today = today;
	return build_into(&o, path, st);
}

/* ", N warning(s)" when check or build warned of something, else "". */
static const char *
build_warned(void)
{
	static char	 said[32];
	int		 n = xml_warnings();

	if (n == 0)
		return "";
	snprintf(said, sizeof(said), ", %d warning%s", n, n == 1 ? "" : "s");
	return said;
}

/* Says why nothing was written. */
void
build_failed(const char *out)
{
	if (xml_errors() > 0)
		fprintf(stderr, "%d error%s; the snapshot %s was not changed\n",
		    xml_errors(), xml_errors() == 1 ? "" : "s", out);
	else
		fprintf(stderr, "build failed; the snapshot %s was not changed\n",
		    out);
}

/*
 * Writes len bytes to path atomically: a new file beside it (mode), fsync,
 * rename, fsync of the folder. Returns 0, or -1 (logged) with path unchanged.
 */
int
build_write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	char	 tmp[4096];
	int	 fd, rc = -1;

	if (build_tmpname(tmp, sizeof(tmp), path) == -1 ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) == -1) {
		log_warn("%s", path);
		return -1;
	}
	if (write(fd, data, len) == (ssize_t)len && fsync(fd) == 0)
		rc = 0;
	close(fd);
	if (rc == 0 && rename(tmp, path) == -1)
		rc = -1;
	if (rc == -1) {
		log_warn("%s", path);
		unlink(tmp);
	} else
		build_fsync_dir(path);
	return rc;
}

/* The temporary name a file is written under before the rename. */
int
build_tmpname(char *dst, size_t n, const char *out)
{
	int	 len = snprintf(dst, n, "%s.tmp.%d", out, (int)getpid());

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

/* Parses the options every command shares. Returns 0, or -1 on misuse. */
static int
build_opts(int argc, char **argv, struct build_opts *o)
{
	static const struct option opts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "snapshot", required_argument, NULL, 'o' },
		{ "today", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 } };
	int	 c;

	memset(o, 0, sizeof(*o));
	o->content = "content";
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1)
		switch (c) {
		case 'c': o->content = optarg; break;
		case 'o': o->output = optarg; break;
		case 't': o->today = optarg; break;
		default: return -1;
		}
	return 0;
}

/* `fazhi build`: content -> snapshot. Exit 0, or 1 with every error printed. */
int
build_main(int argc, char **argv)
{
	struct build_opts	 o;
	struct content_stats	 st;
	char			 tmp[4096];

	log_init("build");
	if (build_opts(argc, argv, &o) == -1 || o.output == NULL || optind != argc) {
		fprintf(stderr, "usage: fazhi build [--content DIR] --output FILE\n");
		return 1;
	}
	if (build_tmpname(tmp, sizeof(tmp), o.output) == -1)
		return 1;
	xml_init();
	if (build_into(&o, tmp, &st) == -1) {
		build_failed(o.output);
		return 1;
	}
	build_fsync(tmp);
	if (rename(tmp, o.output) == -1) {
		log_warn("rename %s", o.output);
		unlink(tmp);
		return 1;
	}
	build_fsync_dir(o.output);
	printf("built %s: %ld items, %ld penalty records, snapshot %016" PRIx64
	    "\n", o.output, st.items, st.penalties, st.hash);
	return 0;
}

/*
 * Checks that each of the n paths names a file or folder inside content,
 * reporting those that do not, and rewrites each as content/REST, the way
 * problems name files, so that ./content/x.xml or an absolute path finds
 * them too. Returns the number of paths reported.
 */
static int
build_check_paths(const char *content, char **paths, int n)
{
	char	 top[PATH_MAX], real[PATH_MAX], *fixed;
	size_t	 len;
	int	 i, bad = 0;

	if (realpath(content, top) == NULL)
		return 0;	/* the check itself says the folder is missing */
	len = strlen(top);
	for (i = 0; i < n; i++) {
		if (realpath(paths[i], real) == NULL) {
			xml_error(paths[i], 1, 1, "找不到这个文件或文件夹 / no such file "
			    "or folder");
			bad++;
		} else if (strncmp(real, top, len) != 0 ||
		    (real[len] != '\0' && real[len] != '/')) {
			xml_error(paths[i], 1, 1, "不在内容文件夹 %s 里，check 只检查这个"
			    "文件夹里的文件（别的内容文件夹用 --content 指定） / not inside "
			    "the content folder %s, the only one check reads (name "
			    "another with --content)", content, content);
			bad++;
		} else if (asprintf(&fixed, "%s%s", content, real + len) != -1)
			paths[i] = fixed;	/* kept until the process ends */
	}
	return bad;
}

/*
 * `fazhi check [PATH...]`: validates the whole content folder in memory and
 * prints every problem; with PATHs, only problems in those files or folders.
 */
int
build_check_main(int argc, char **argv)
{
	struct build_opts	 o;
	struct content_stats	 st;

	log_init("check");
	if (build_opts(argc, argv, &o) == -1) {
		fprintf(stderr, "usage: fazhi check [--content DIR] [PATH...]\n");
		return 1;
	}
	xml_init();
	if (build_check_paths(o.content, argv + optind, argc - optind) > 0) {
		fprintf(stderr, "%d error%s\n", xml_errors(),
		    xml_errors() == 1 ? "" : "s");
		return 1;
	}
	xml_only((const char *const *)argv + optind, argc - optind);
	if (build_into(&o, ":memory:", &st) == -1 && xml_errors() == 0) {
		fprintf(stderr, "check failed\n");
		return 1;
	}
	if (xml_errors() > 0) {
		fprintf(stderr, "%d error%s%s\n", xml_errors(),
		    xml_errors() == 1 ? "" : "s", build_warned());
		return 1;
	}
	printf("%s: %ld items and %ld penalty records, no errors%s\n",
	    o.content, st.items, st.penalties, build_warned());
	return 0;
}
