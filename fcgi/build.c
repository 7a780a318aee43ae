/*
 * build.c: reads the content folder, validates every file, and writes the
 * snapshot: one SQLite file with the items, their pre-rendered safe HTML
 * fragments and the site description. It is written under a temporary name
 * and renamed into place only when the whole content set is valid, so a
 * failed build leaves the previous snapshot exactly as it was.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "build.h"
#include "log.h"
#include "markup.h"
#include "route.h"
#include "snap.h"
#include "xml.h"

static const char build_schema[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE site(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE nav(ord INTEGER PRIMARY KEY, label TEXT NOT NULL, href TEXT NOT NULL);"
    "CREATE TABLE filings(ord INTEGER PRIMARY KEY, label TEXT NOT NULL, href TEXT);"
    /* WITHOUT ROWID: a lookup by key is one b-tree, not an index and a table. */
    "CREATE TABLE domains(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " ord INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE towns(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " ord INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE items(id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL,"
    " published TEXT NOT NULL, updated TEXT, status TEXT NOT NULL,"
    " publish_at INTEGER NOT NULL, summary TEXT NOT NULL, domain TEXT, town TEXT,"
    " procedure TEXT, year INTEGER NOT NULL, source TEXT NOT NULL,"
    " domain_name TEXT, town_name TEXT) WITHOUT ROWID;"
    "CREATE INDEX items_by_date ON items(kind, published DESC, id DESC);"
    /* An item's lists (enum snap_part), read in one pass in page order. */
    "CREATE TABLE parts(item_id TEXT NOT NULL, part INTEGER NOT NULL,"
    " ord INTEGER NOT NULL, a TEXT NOT NULL, b TEXT, c TEXT,"
    " PRIMARY KEY(item_id, part, ord)) WITHOUT ROWID;"
    "CREATE TABLE related(item_id TEXT NOT NULL, ord INTEGER NOT NULL, target TEXT NOT NULL,"
    " PRIMARY KEY(item_id, ord)) WITHOUT ROWID;"
    "CREATE TEMP TABLE related_src(item_id TEXT, target TEXT, path TEXT, line INTEGER);"
    "CREATE TEMP TABLE files(id TEXT PRIMARY KEY);";

/* The sections of a case, in page order, with their headings. */
static const struct {
	const char	*element;
	const char	*title;
} build_case_sections[] = {
	{ "gist", "要旨" },
	{ "facts", "基本案情" },
	{ "outcome", "处理结果" },
	{ "explanation", "以案释法" },
	{ "credit", "信用影响" },
};

struct build {
	sqlite3		*db;
	const char	*content;	/* content folder */
	uint64_t	 hash;		/* FNV-1a of every input file */
	long		 items;
};

/* dst = dir/name. Returns 0, or -1 (reported) when it does not fit. */
static int
build_join(char *dst, size_t n, const char *dir, const char *name)
{
	int	 len = snprintf(dst, n, "%s/%s", dir, name);

	if (len < 0 || (size_t)len >= n) {
		xml_error(dir, 0, 0, "path too long");
		return -1;
	}
	return 0;
}

/* Runs one SQL statement with text parameters (NULL binds NULL). */
static int
build_exec(struct build *b, const char *sql, int n, const char *const *args)
{
	sqlite3_stmt	*st;
	int		 i, rc;

	if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_warnx("sqlite: %s", sqlite3_errmsg(b->db));
		return -1;
	}
	for (i = 0; i < n; i++)
		sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_warnx("sqlite: %s", sqlite3_errmsg(b->db));
		return -1;
	}
	return rc == SQLITE_ROW;
}

/* A part kind as the text BUILD_SQL binds. */
#define BUILD_PART(k)	(const char *[]){ "0", "1", "2" }[(k)]

#define BUILD_SQL(b, sql, ...) \
	build_exec((b), (sql), \
	    (int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)), \
	    (const char *[]){ __VA_ARGS__ })

/* Adds a file's name and bytes to the snapshot id. */
static void
build_hash_file(struct build *b, const char *path)
{
	unsigned char	 chunk[8192];
	size_t		 n, i;
	FILE		*f;

	for (i = 0; path[i] != '\0'; i++)
		b->hash = (b->hash ^ (unsigned char)path[i]) * 0x100000001b3ULL;
	if ((f = fopen(path, "rb")) == NULL)
		return;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		for (i = 0; i < n; i++)
			b->hash = (b->hash ^ chunk[i]) * 0x100000001b3ULL;
	fclose(f);
}

/* Inserts the code list under el (domain or town elements) into table. */
static int
build_codes(struct build *b, xmlNodePtr el, const char *child,
    const char *table)
{
	char	 sql[128], ord[16];
	xmlChar	*code;
	int	 i = 0, rc = 0;

	snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES(?1, ?2, ?3)", table);
	for (el = xml_child(el, child); el != NULL && rc == 0;
	    el = xml_next(el, child)) {
		snprintf(ord, sizeof(ord), "%d", i++);
		code = xmlGetProp(el, (const xmlChar *)"code");
		if (BUILD_SQL(b, sql, (const char *)code, xml_text(el), ord) == -1)
			rc = -1;
		xmlFree(code);
	}
	return rc;
}

/* Inserts nav items or footer filings: label text plus optional href. */
static int
build_links(struct build *b, xmlNodePtr el, const char *child,
    const char *table)
{
	char	 sql[128], ord[16];
	xmlChar	*href;
	int	 i = 0, rc = 0;

	snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES(?1, ?2, ?3)", table);
	for (el = xml_child(el, child); el != NULL && rc == 0;
	    el = xml_next(el, child)) {
		snprintf(ord, sizeof(ord), "%d", i++);
		href = xmlGetProp(el, (const xmlChar *)"href");
		if (BUILD_SQL(b, sql, ord, xml_text(el), (const char *)href) == -1)
			rc = -1;
		xmlFree(href);
	}
	return rc;
}

/* Loads site.xml into the site, nav, filings, domains and towns tables. */
static int
build_site(struct build *b, xmlRelaxNGPtr rng)
{
	static const char *const keys[] = { "name", "short-name", "organiser",
	    "description", NULL };
	static const char *const contact[] = { "address", "phone", "hours",
	    "email", NULL };
	char		 path[4096];
	xmlDocPtr	 doc;
	xmlNodePtr	 root, c;
	int		 i, rc = 0;

	if (build_join(path, sizeof(path), b->content, "site.xml") == -1)
		return -1;
	build_hash_file(b, path);
	if ((doc = xml_load(path, rng)) == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	for (i = 0; keys[i] != NULL && rc == 0; i++)
		rc = BUILD_SQL(b, "INSERT INTO site VALUES(?1, ?2)", keys[i],
		    xml_text(xml_child(root, keys[i])));
	c = xml_child(root, "contact");
	for (i = 0; contact[i] != NULL && rc == 0; i++)
		if (xml_child(c, contact[i]) != NULL)
			rc = BUILD_SQL(b, "INSERT INTO site VALUES(?1, ?2)",
			    contact[i], xml_text(xml_child(c, contact[i])));
	if (rc == 0)
		rc = build_links(b, xml_child(root, "nav"), "item", "nav") |
		    build_links(b, xml_child(root, "filings"), "filing", "filings") |
		    build_codes(b, xml_child(root, "domains"), "domain", "domains") |
		    build_codes(b, xml_child(root, "towns"), "town", "towns");
	xmlFreeDoc(doc);
	return rc ? -1 : 0;
}

/*
 * Converts an xs:dateTime to Unix time. A time without a zone is China
 * Standard Time (UTC+8), the time publicity staff live in.
 */
static long long
build_time(const char *s)
{
	struct tm	 tm;
	const char	*p;
	long		 off = 8 * 3600;
	int		 hh, mm;

	memset(&tm, 0, sizeof(tm));
	if ((p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	if (*p == '.')
		while (*++p >= '0' && *p <= '9')
			;
	if (*p == 'Z')
		off = 0;
	else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%d:%d", &hh, &mm) == 2)
		off = (*p == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
	return (long long)timegm(&tm) - off;
}

/* Inserts the keywords of a case, refusing more than BUILD_MAX_KEYWORDS. */
static int
build_keywords(struct build *b, const char *path, const char *id,
    xmlNodePtr kws)
{
	xmlNodePtr	 k;
	char		 ord[16];
	int		 i = 0;

	for (k = xml_child(kws, "k"); k != NULL; k = xml_next(k, "k")) {
		if (i == BUILD_MAX_KEYWORDS) {
			xml_error(path, xmlGetLineNo(k), 0, "too many keywords: "
			    "at most %d (关键词最多 %d 个)", BUILD_MAX_KEYWORDS,
			    BUILD_MAX_KEYWORDS);
			return 0;
		}
		snprintf(ord, sizeof(ord), "%d", i++);
		if (BUILD_SQL(b, "INSERT INTO parts VALUES(?1, ?2, ?3, ?4, NULL,"
		    " NULL)", id, BUILD_PART(SNAP_PART_KEYWORD), ord,
		    xml_text(k)) == -1)
			return -1;
	}
	return 0;
}

/* Inserts the rendered sections of a case. */
static int
build_sections(struct build *b, const char *id, xmlNodePtr root)
{
	struct buf	 html = { 0 };
	xmlNodePtr	 el;
	char		 ord[16];
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < sizeof(build_case_sections) /
	    sizeof(build_case_sections[0]) && rc == 0; i++) {
		if ((el = xml_child(root, build_case_sections[i].element)) == NULL)
			continue;
		buf_reset(&html);
		snprintf(ord, sizeof(ord), "%zu", i);
		if (markup_html(&html, el->children) == -1 ||
		    BUILD_SQL(b, "INSERT INTO parts VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
		    id, BUILD_PART(SNAP_PART_SECTION), ord,
		    build_case_sections[i].element, build_case_sections[i].title,
		    html.data ? html.data : "") == -1)
			rc = -1;
	}
	buf_free(&html);
	return rc;
}

/* Inserts the legal basis and remembers related ids for the final check. */
static int
build_refs(struct build *b, const char *path, const char *id, xmlNodePtr root)
{
	xmlNodePtr	 n;
	xmlChar		*a, *t;
	char		 ord[16], line[16];
	int		 i = 0, rc = 0;

	for (n = xml_child(xml_child(root, "basis"), "law"); n != NULL && rc == 0;
	    n = xml_next(n, "law")) {
		snprintf(ord, sizeof(ord), "%d", i++);
		t = xmlGetProp(n, (const xmlChar *)"title");
		a = xmlGetProp(n, (const xmlChar *)"article");
		rc = BUILD_SQL(b, "INSERT INTO parts VALUES(?1, ?2, ?3, ?4, ?5,"
		    " NULL)", id, BUILD_PART(SNAP_PART_BASIS), ord,
		    (const char *)t, (const char *)a);
		xmlFree(t);
		xmlFree(a);
	}
	for (n = xml_child(xml_child(root, "related"), "ref"); n != NULL &&
	    rc == 0; n = xml_next(n, "ref")) {
		snprintf(line, sizeof(line), "%ld", xmlGetLineNo(n));
		t = xmlGetProp(n, (const xmlChar *)"id");
		rc = BUILD_SQL(b, "INSERT INTO related_src VALUES(?1, ?2, ?3, ?4)",
		    id, (const char *)t, path, line);
		xmlFree(t);
	}
	return rc == -1 ? -1 : 0;
}

/* Reports a domain or town code that site.xml does not define. */
static int
build_known(struct build *b, const char *path, xmlNodePtr el,
    const char *table, const char *what)
{
	char	 sql[96];
	int	 rc;

	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE code = ?1", table);
	if ((rc = BUILD_SQL(b, sql, xml_text(el))) == 0)
		xml_error(path, xmlGetLineNo(el), 0, "unknown %s code \"%s\": "
		    "use one listed in site.xml", what, xml_text(el));
	return rc == -1 ? -1 : 0;
}

/* Loads one case file; id is its file name without ".xml". */
static int
build_case(struct build *b, const char *path, const char *id,
    xmlRelaxNGPtr rng)
{
	struct buf	 summary = { 0 };
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	xmlChar		*status, *at;
	char		 when[32], year[8];
	long long	 t = 0;
	int		 rc = 0;

	build_hash_file(b, path);
	if (BUILD_SQL(b, "INSERT OR IGNORE INTO files VALUES(?1)", id) == -1)
		return -1;
	if (!route_valid_id(id)) {
		xml_error(path, 1, 1, "file name must be lower-case letters, "
		    "digits and '-' (it becomes the page address)");
		return 0;
	}
	if ((doc = xml_load(path, rng)) == NULL)
		return 0;
	root = xmlDocGetRootElement(doc);
	status = xmlGetProp(root, (const xmlChar *)"status");
	at = xmlGetProp(root, (const xmlChar *)"publish-at");
	if (at != NULL && (t = build_time((const char *)at)) < 0) {
		xml_error(path, xmlGetLineNo(root), 0, "publish-at \"%s\" is not "
		    "a date and time like 2026-12-04T09:00:00", (const char *)at);
		t = 0;
	}
	snprintf(when, sizeof(when), "%lld", t);
	snprintf(year, sizeof(year), "%.4s", xml_text(xml_child(root, "published")));
	markup_text(&summary, xml_child(root, "gist")->children,
	    BUILD_SUMMARY_BYTES);
	if (BUILD_SQL(b, "INSERT INTO items VALUES(?1, 'case', ?2, ?3, ?4, ?5,"
	    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULL, NULL)", id,
	    xml_text(xml_child(root, "title")),
	    xml_text(xml_child(root, "published")),
	    xml_child(root, "updated") ? xml_text(xml_child(root, "updated")) : NULL,
	    (const char *)status, when, summary.data ? summary.data : "",
	    xml_text(xml_child(root, "domain")), xml_text(xml_child(root, "town")),
	    xml_text(xml_child(root, "procedure")), year, path) == -1 ||
	    build_known(b, path, xml_child(root, "domain"), "domains",
	    "domain") == -1 ||
	    build_known(b, path, xml_child(root, "town"), "towns", "town") == -1 ||
	    build_keywords(b, path, id, xml_child(root, "keywords")) == -1 ||
	    build_sections(b, id, root) == -1 || build_refs(b, path, id, root) == -1)
		rc = -1;
	b->items++;
	xmlFree(status);
	xmlFree(at);
	buf_free(&summary);
	xmlFreeDoc(doc);
	return rc;
}

static int
build_is_xml(const struct dirent *de)
{
	size_t	 n = strlen(de->d_name);

	return de->d_name[0] != '.' && n > 4 && strcmp(de->d_name + n - 4, ".xml") == 0;
}

/* Loads every content/cases/NAME.xml, in name order. */
static int
build_cases(struct build *b, xmlRelaxNGPtr rng)
{
	struct dirent	**list;
	char		  dir[4096], path[8192], id[256];
	int		  n, i, rc = 0;

	if (build_join(dir, sizeof(dir), b->content, "cases") == -1)
		return 0;
	if ((n = scandir(dir, &list, build_is_xml, alphasort)) == -1) {
		xml_error(dir, 0, 0, "cannot read the folder: %s", strerror(errno));
		return 0;
	}
	if (n > BUILD_MAX_FILES) {
		xml_error(dir, 0, 0, "more than %d files", BUILD_MAX_FILES);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%.*s", (int)strlen(list[i]->d_name) - 4,
		    list[i]->d_name);
		if (rc == 0 && build_join(path, sizeof(path), dir,
		    list[i]->d_name) == 0 && build_case(b, path, id, rng) == -1)
			rc = -1;
		free(list[i]);
	}
	free(list);
	return rc;
}

/*
 * Reports related ids that name no content file (a file that exists but has
 * errors was reported already), then keeps the links.
 */
static int
build_check_related(struct build *b)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(b->db, "SELECT path, line, target FROM "
	    "related_src WHERE target NOT IN (SELECT id FROM files)", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW)
		xml_error((const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int(st, 1), 0, "related item \"%s\" does not "
		    "exist", (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	return sqlite3_exec(b->db, "INSERT INTO related SELECT item_id,"
	    " row_number() OVER (PARTITION BY item_id), target FROM related_src",
	    NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Copies domain and town names into items: no joins at request time. */
static int
build_names(struct build *b)
{
	return sqlite3_exec(b->db, "UPDATE items SET"
	    " domain_name = (SELECT name FROM domains WHERE code = domain),"
	    " town_name = (SELECT name FROM towns WHERE code = town)",
	    NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Writes the meta table: schema version, snapshot id, build time, count. */
static int
build_meta(struct build *b)
{
	char	 id[32], when[32], count[32];
	time_t	 now = time(NULL);

	snprintf(id, sizeof(id), "%016" PRIx64, b->hash);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	snprintf(count, sizeof(count), "%ld", b->items);
	return BUILD_SQL(b, "INSERT INTO meta VALUES('schema', ?1), "
	    "('snapshot_id', ?2), ('built_at', ?3), ('items', ?4)",
	    SNAP_SCHEMA_VERSION, id, when, count) == -1 ? -1 : 0;
}

/* fsyncs path (a file, or a folder so a rename in it is durable). */
static void
build_fsync(const char *path)
{
	int	 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return;
	if (fsync(fd) == -1)
		log_warn("fsync %s", path);
	close(fd);
}

/* Loads everything into the open database. Returns 0, or -1. */
static int
build_fill(struct build *b, const char *schemadir)
{
	xmlRelaxNGPtr	 site_rng, case_rng;
	char		 path[4096];
	int		 rc = -1;

	site_rng = build_join(path, sizeof(path), schemadir, "site.rng") ?
	    NULL : xml_schema(path);
	case_rng = build_join(path, sizeof(path), schemadir, "case.rng") ?
	    NULL : xml_schema(path);
	if (site_rng == NULL || case_rng == NULL)
		goto fail;
	if (sqlite3_exec(b->db, build_schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(b->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		log_warnx("sqlite: %s", sqlite3_errmsg(b->db));
		goto fail;
	}
	if (build_site(b, site_rng) == -1 && xml_errors() == 0)
		goto fail;
	if (build_cases(b, case_rng) == -1 || build_check_related(b) == -1 ||
	    build_names(b) == -1 || build_meta(b) == -1)
		goto fail;
	if (xml_errors() == 0 &&
	    sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		rc = 0;
fail:
	xmlRelaxNGFree(site_rng);
	xmlRelaxNGFree(case_rng);
	return rc;
}

static int
build_usage(void)
{
	fprintf(stderr, "usage: fazhi build [--content DIR] --output FILE\n");
	return 1;
}

/* `fazhi build`: content -> snapshot. Exit 0, or 1 with every error printed. */
int
build_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 } };
	struct build	 b = { .content = "content", .hash = 0xcbf29ce484222325ULL };
	const char	*out = NULL;
	char		 tmp[4096], schemadir[4096], dir[4096], *slash;
	int		 c, rc;

	log_init("build");
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1)
		switch (c) {
		case 'c': b.content = optarg; break;
		case 'o': out = optarg; break;
		default: return build_usage();
		}
	if (out == NULL || optind != argc)
		return build_usage();
	xml_init();
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", out, (int)getpid()) >=
	    (int)sizeof(tmp) || build_join(schemadir, sizeof(schemadir),
	    b.content, "schema") == -1)
		return 1;
	unlink(tmp);
	if (sqlite3_open(tmp, &b.db) != SQLITE_OK) {
		log_warnx("%s: %s", tmp, sqlite3_errmsg(b.db));
		return 1;
	}
	/* 16 KiB pages keep a section's HTML inside its b-tree cell. */
	sqlite3_exec(b.db, "PRAGMA page_size=16384; PRAGMA journal_mode=OFF;"
	    " PRAGMA synchronous=OFF;", NULL, NULL, NULL);
	rc = build_fill(&b, schemadir);
	sqlite3_close(b.db);
	if (rc == -1 || xml_errors() > 0) {
		unlink(tmp);
		if (xml_errors() > 0)
			fprintf(stderr, "%d error%s; the snapshot %s was not "
			    "changed\n", xml_errors(), xml_errors() == 1 ? "" : "s",
			    out);
		else
			fprintf(stderr, "build failed; the snapshot %s was not "
			    "changed\n", out);
		return 1;
	}
	build_fsync(tmp);
	if (rename(tmp, out) == -1) {
		log_warn("rename %s", out);
		unlink(tmp);
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s", out);
	build_fsync((slash = strrchr(dir, '/')) ? (*slash = '\0', dir) : ".");
	printf("built %s: %ld items, snapshot %016" PRIx64 "\n", out, b.items,
	    b.hash);
	return 0;
}
