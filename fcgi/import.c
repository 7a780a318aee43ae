/*
 * import.c: `fazhi import penalties FEED.xml`. Another system sends the
 * penalty records it has published as an XML feed (penalties.rng); this
 * merges them, by decision number, into the store content/penalties/
 * records.xml, which `build` reads like any content. Records that fail a
 * check are rejected one by one, with the reason; the rest go in, those
 * with a warning (a wrong check character) reported as path:line:col. The store
 * is rewritten (atomically, sorted, with libxml2's writer) only when
 * something changed, so importing the same feed twice changes nothing.
 *
 * Exit status: 0 all records taken, 2 some rejected, 1 the feed or the
 * store could not be read or written (and nothing changed).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>
#include <sqlite3.h>

#include "content.h"
#include "datadir.h"
#include "import.h"
#include "log.h"
#include "penalty.h"
#include "xml.h"

/* The columns of a record, in the order the store and the table keep them. */
static const char *const import_cols[] = { "decision-number", "party",
    "credit-code", "decision-date", "kinds", "fine", "severity", "domain",
    "fulfilled" };

struct import_counts {
	int	 added, updated, unchanged, rejected;
};

/* Today in China time, YYYY-MM-DD: records cannot be decided later. */
static void
import_today(char *dst, size_t n)
{
	time_t		 now = time(NULL) + 8 * 3600;
	struct tm	 tm;

	gmtime_r(&now, &tm);
	strftime(dst, n, "%Y-%m-%d", &tm);
}

/* Loads the store (if any) into the penalties table. Returns 0 or -1. */
static int
import_load_store(sqlite3 *db, const char *path, xmlRelaxNGPtr rng)
{
	struct penalty	 p;
	sqlite3_stmt	*st;
	xmlDocPtr	 doc;
	xmlNodePtr	 r;
	int		 rc = 0;

	if (access(path, F_OK) == -1)
		return 0;
	if ((doc = xml_load(path, rng)) == NULL)
		return -1;
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO penalties VALUES(?1,"
	    " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1, &st, NULL) != SQLITE_OK)
		rc = -1;
	for (r = xml_child(xmlDocGetRootElement(doc), "record"); r != NULL &&
	    rc == 0; r = xml_next(r, "record")) {
		penalty_read(r, &p);
		sqlite3_bind_text(st, 1, p.number, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, p.party, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, p.code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, p.date, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, p.kinds.data, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, p.fine, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, p.severity, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 8, p.domain, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 9, p.fulfilled, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = -1;
		sqlite3_reset(st);
		penalty_free(&p);
	}
	sqlite3_finalize(st);
	xmlFreeDoc(doc);
	return rc;
}

/*
 * Merges one feed record into the table. Returns 'n' new, 'u' updated,
 * '=' unchanged, 'r' rejected (reason printed), or 0 on a database error.
 */
static int
import_record(sqlite3 *db, const char *feed, const struct penalty *p,
    const char *today)
{
	sqlite3_stmt	*st;
	const char	*why, *vals[9] = { p->number, p->party, p->code, p->date,
	    p->kinds.data, p->fine, p->severity, p->domain, p->fulfilled };
	char		 msg[256];
	int		 i, same = 1, found = 0, known = 0;

	if ((why = penalty_problem(p, today, msg, sizeof(msg))) == NULL) {
		if (sqlite3_prepare_v2(db, "SELECT 1 FROM domains WHERE code = ?1",
		    -1, &st, NULL) != SQLITE_OK)
			return 0;
		sqlite3_bind_text(st, 1, p->domain, -1, SQLITE_STATIC);
		known = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (!known)
			why = "unknown domain code (执法领域代码不在 site.xml 中)";
	}
	if (why != NULL) {
		printf("rejected %s:%ld %s: %s\n", feed, p->line, p->number, why);
		return 'r';
	}
	if ((why = penalty_warning(p, msg, sizeof(msg))) != NULL)
		xml_warning(feed, p->line, 0, "%s: %s", p->number, why);
	if (sqlite3_prepare_v2(db, "SELECT * FROM penalties WHERE number = ?1",
	    -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, p->number, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		for (i = 0; i < 9; i++) {
			const char *old = (const char *)sqlite3_column_text(st, i);
			if ((old == NULL) != (vals[i] == NULL) ||
			    (old != NULL && strcmp(old, vals[i]) != 0))
				same = 0;
		}
	}
	sqlite3_finalize(st);
	if (found && same)
		return '=';
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO penalties VALUES(?1,"
	    " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1, &st, NULL) != SQLITE_OK)
		return 0;
	for (i = 0; i < 9; i++)
		sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_STATIC);
	i = sqlite3_step(st);
	sqlite3_finalize(st);
	return i != SQLITE_DONE ? 0 : found ? 'u' : 'n';
}

/* Writes every kind of a "、"-joined list as its own <kind>. */
static void
import_write_kinds(xmlTextWriterPtr w, const char *kinds)
{
	static const char	 sep[] = "、";
	const char		*p, *q;
	char			 one[128];

	xmlTextWriterStartElement(w, BAD_CAST "kinds");
	for (p = kinds; p != NULL; p = q ? q + sizeof(sep) - 1 : NULL) {
		q = strstr(p, sep);
		snprintf(one, sizeof(one), "%.*s", q ? (int)(q - p) : (int)strlen(p), p);
		xmlTextWriterWriteElement(w, BAD_CAST "kind", BAD_CAST one);
	}
	xmlTextWriterEndElement(w);
}

/* Writes the table to path, sorted by decision date and number. */
static int
import_write(sqlite3 *db, const char *path)
{
	xmlTextWriterPtr	 w;
	sqlite3_stmt		*st;
	const char		*v;
	int			 i, rc = 0;

	if ((w = xmlNewTextWriterFilename(path, 0)) == NULL)
		return -1;
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	xmlTextWriterWriteComment(w, BAD_CAST " 行政处罚公示记录：由 fazhi import "
	    "penalties 维护，请勿手工编辑。示例数据均为虚构。 ");
	xmlTextWriterStartElement(w, BAD_CAST "penalties");
	xmlTextWriterWriteAttribute(w, BAD_CAST "source", BAD_CAST "fazhi import");
	if (sqlite3_prepare_v2(db, "SELECT * FROM penalties ORDER BY decided, "
	    "number", -1, &st, NULL) != SQLITE_OK)
		rc = -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		xmlTextWriterStartElement(w, BAD_CAST "record");
		for (i = 0; i < 9; i++) {
			if ((v = (const char *)sqlite3_column_text(st, i)) == NULL)
				continue;
			if (strcmp(import_cols[i], "kinds") == 0)
				import_write_kinds(w, v);
			else
				xmlTextWriterWriteElement(w, BAD_CAST import_cols[i],
				    BAD_CAST v);
		}
		xmlTextWriterEndElement(w);
	}
	sqlite3_finalize(st);
	if (xmlTextWriterEndDocument(w) < 0)
		rc = -1;
	xmlFreeTextWriter(w);
	return rc;
}

/* Reads and merges the feed; fills counts. Returns 0, or -1 (nothing kept). */
static int
import_feed(sqlite3 *db, const char *feed, xmlRelaxNGPtr rng,
    struct import_counts *n)
{
	struct penalty	 p;
	xmlDocPtr	 doc;
	xmlNodePtr	 r;
	char		 today[16];
	int		 rc = 0, what;

	import_today(today, sizeof(today));
	if ((doc = xml_load(feed, rng)) == NULL)
		return -1;
	sqlite3_exec(db, "CREATE TEMP TABLE seen(number TEXT PRIMARY KEY)",
	    NULL, NULL, NULL);
	for (r = xml_child(xmlDocGetRootElement(doc), "record"); r != NULL &&
	    rc == 0; r = xml_next(r, "record")) {
		penalty_read(r, &p);
		char *sql = sqlite3_mprintf("INSERT INTO seen VALUES(%Q)", p.number);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			printf("rejected %s:%ld %s: the decision number appears "
			    "twice in the feed\n", feed, p.line, p.number);
			what = 'r';
		} else
			what = import_record(db, feed, &p, today);
		sqlite3_free(sql);
		switch (what) {
		case 'n': n->added++; break;
		case 'u': n->updated++; break;
		case '=': n->unchanged++; break;
		case 'r': n->rejected++; break;
		default: rc = -1;
		}
		penalty_free(&p);
	}
	xmlFreeDoc(doc);
	return rc;
}

static int
import_usage(void)
{
	fprintf(stderr, "usage: fazhi import penalties [--content DIR] FEED.xml\n");
	return 1;
}

/* `fazhi import penalties FEED.xml`. */
int
import_main(int argc, char **argv)
{
	struct import_counts	 n = { 0, 0, 0, 0 };
	const char		*dir = "content", *feed;
	char			 store[4096], tmp[4200], schema[4200];
	xmlRelaxNGPtr		 rng = NULL;
	sqlite3			*db = NULL;
	int			 rc = 1;

	static const struct option opts[] = {
		{ "content", required_argument, NULL, 'c' }, { NULL, 0, NULL, 0 } };
	int			 c;

	log_init("import");
	if (argc < 2 || strcmp(argv[1], "penalties") != 0)
		return import_usage();
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (c == 'c')
			dir = optarg;
		else
			return import_usage();
	if (optind != argc - 1)
		return import_usage();
	feed = argv[optind];
	snprintf(store, sizeof(store), "%s/%s", dir, IMPORT_STORE_NAME);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", store, (int)getpid());
	if (datadir_path(schema, sizeof(schema) - 16, dir, "schema") == -1)
		return import_usage();
	strcat(schema, "/penalties.rng");
	xml_init();
	if ((rng = xml_schema(schema)) == NULL ||
	    sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    content_schema(db) == -1 || content_load_site(db, dir) == -1 ||
	    import_load_store(db, store, rng) == -1) {
		fprintf(stderr, "import: cannot read %s or the site description; "
		    "nothing changed\n", store);
		goto done;
	}
	if (import_feed(db, feed, rng, &n) == -1) {
		fprintf(stderr, "import: the feed %s was refused; nothing "
		    "changed\n", feed);
		goto done;
	}
	if (n.added + n.updated > 0 && (import_write(db, tmp) == -1 ||
	    rename(tmp, store) == -1)) {
		log_warn("writing %s", store);
		unlink(tmp);
		goto done;
	}
	printf("imported %s into %s: %d new, %d updated, %d unchanged, %d "
	    "rejected\n", feed, store, n.added, n.updated, n.unchanged,
	    n.rejected);
	rc = n.rejected > 0 ? 2 : 0;
done:
	sqlite3_close(db);
	xmlRelaxNGFree(rng);
	return rc;
}
