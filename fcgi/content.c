/*
 * content.c: reads the content folder -- site.xml, cases/, guides/, pufa/,
 * credit/ and penalties/records.xml -- validates every file against its RELAX NG
 * schema and against the rules a schema cannot say, and fills the tables of
 * a snapshot database. Every other file under content/ (but static/ and
 * schema/) is reported too, so that none is left out without a word: an
 * error when staff may have meant it to be published, a warning for a
 * backup (content_strays). Every problem is reported as path:line:col
 * through xml_error(); callers look at xml_errors() to decide whether to
 * keep the result.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "esc.h"
#include "content.h"
#include "datadir.h"
#include "ask.h"
#include "credit.h"
#include "fts.h"
#include "import.h"
#include "law.h"
#include "log.h"
#include "markup.h"
#include "media.h"
#include "penalty.h"
#include "route.h"
#include "snap.h"
#include "xml.h"
#include "xmlmsg.h"

static const char content_tables[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE site(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE nav(href TEXT NOT NULL, label TEXT NOT NULL, ord INTEGER PRIMARY KEY);"
    "CREATE TABLE filings(href TEXT, label TEXT NOT NULL, ord INTEGER PRIMARY KEY);"
    /* Where to ask, complain or report (问题咨询与投诉): one row per channel. */
    "CREATE TABLE help(ord INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT,"
    " note TEXT, address TEXT, hours TEXT);"
    /* WITHOUT ROWID: a lookup by key is one b-tree, not an index and a table. */
    "CREATE TABLE domains(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " ord INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE towns(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " ord INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE topics(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " ord INTEGER NOT NULL) WITHOUT ROWID;"
    /* One row per case, guide or material; kind-specific columns are NULL
     * elsewhere. hash tells `publish` which items changed. */
    "CREATE TABLE items(id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
    " subkind TEXT, title TEXT NOT NULL, published TEXT NOT NULL, updated TEXT,"
    " status TEXT NOT NULL, publish_at INTEGER NOT NULL, summary TEXT NOT NULL,"
    " domain TEXT, town TEXT, procedure TEXT, topic TEXT, event_start TEXT,"
    " event_end TEXT, event_place TEXT, year INTEGER NOT NULL,"
    " source TEXT NOT NULL, hash TEXT NOT NULL,"
    " domain_name TEXT, town_name TEXT, topic_name TEXT, decision TEXT)"
    " WITHOUT ROWID;"
    /* An item's images (media.c: width and height of the largest, its
     * srcset) and attachments (size as shown), in the order of its XML. */
    "CREATE TABLE images(item_id TEXT NOT NULL, ord INTEGER NOT NULL,"
    " src TEXT NOT NULL, srcset TEXT NOT NULL, width INTEGER NOT NULL,"
    " height INTEGER NOT NULL, alt TEXT NOT NULL, caption TEXT,"
    " PRIMARY KEY(item_id, ord)) WITHOUT ROWID;"
    "CREATE TABLE attachments(item_id TEXT NOT NULL, ord INTEGER NOT NULL,"
    " href TEXT NOT NULL, title TEXT NOT NULL, type TEXT NOT NULL,"
    " bytes INTEGER NOT NULL, size TEXT NOT NULL,"
    " PRIMARY KEY(item_id, ord)) WITHOUT ROWID;"
    "CREATE TABLE related(item_id TEXT NOT NULL, ord INTEGER NOT NULL,"
    " target TEXT NOT NULL, PRIMARY KEY(item_id, ord)) WITHOUT ROWID;"
    /* Laws and regulations (content/laws): their facts, amendment history
     * and the articles the site cites. kind: law, regulation, local, rule or
     * normative; validity: current, amended or repealed. */
    "CREATE TABLE laws(id TEXT PRIMARY KEY, title TEXT NOT NULL,"
    " short TEXT NOT NULL, kind TEXT NOT NULL, kind_name TEXT NOT NULL,"
    " kind_ord INTEGER NOT NULL, validity_name TEXT NOT NULL, issuer TEXT NOT NULL,"
    " adopted TEXT NOT NULL, effective TEXT NOT NULL, validity TEXT NOT NULL,"
    " source TEXT, source_name TEXT, checked TEXT NOT NULL,"
    " checked_note TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE law_changes(law TEXT NOT NULL, ord INTEGER NOT NULL,"
    " date TEXT NOT NULL, effective TEXT, text TEXT NOT NULL,"
    " PRIMARY KEY(law, ord)) WITHOUT ROWID;"
    /* n: as content writes it (51, 276-1); ord sorts them; verified 0 has a
     * summary and no text; html: the text, escaped, one <p> a paragraph
 * and an item; text: the same as plain text, a line each;
     * shape: items per paragraph ("0,3"), for the reference check. */
    "CREATE TABLE law_articles(law TEXT NOT NULL, n TEXT NOT NULL,"
    " ord INTEGER NOT NULL, label TEXT NOT NULL, verified INTEGER NOT NULL,"
    " html TEXT, text TEXT, summary TEXT, shape TEXT NOT NULL,"
    " PRIMARY KEY(law, n)) WITHOUT ROWID;"
    /* The legal basis of each item that cites a law of content/laws, in
     * order: the article (n) and its label with paragraph and item. */
    "CREATE TABLE law_cites(item_id TEXT NOT NULL, ord INTEGER NOT NULL,"
    " law TEXT NOT NULL, n TEXT NOT NULL, label TEXT NOT NULL,"
    " PRIMARY KEY(item_id, ord)) WITHOUT ROWID;"
    "CREATE TABLE penalties(number TEXT PRIMARY KEY, party TEXT NOT NULL,"
    " credit_code TEXT, decided TEXT NOT NULL, kinds TEXT NOT NULL, fine TEXT,"
    " severity TEXT NOT NULL, domain TEXT NOT NULL, fulfilled TEXT) WITHOUT ROWID;"
    /* Credit-repair regimes (content/credit): the calculator's rules, read
     * whole by each worker (snap.c), and their texts for the pages. */
    "CREATE TABLE credit_regimes(id TEXT PRIMARY KEY, title TEXT NOT NULL,"
    " document TEXT NOT NULL, from_date TEXT NOT NULL, until_date TEXT,"
    " domains TEXT, scope TEXT, count_day TEXT NOT NULL, count_conf TEXT NOT NULL,"
    " count_text TEXT NOT NULL, default_tier TEXT, never_kinds TEXT,"
    " never_conf TEXT, never_text TEXT) WITHOUT ROWID;"
    /* list: tier, unpublished or period; the first rule that holds applies. */
    "CREATE TABLE credit_rules(regime TEXT NOT NULL, list TEXT NOT NULL,"
    " ord INTEGER NOT NULL, tier TEXT, procedure TEXT, any_kinds TEXT,"
    " only_kinds TEXT, domains TEXT, min_fine REAL, min_months INTEGER,"
    " max_months INTEGER, in_principle INTEGER NOT NULL, conf TEXT NOT NULL,"
    " text TEXT NOT NULL, PRIMARY KEY(regime, list, ord)) WITHOUT ROWID;"
    /* part: source, condition, document, where, time, note, transition,
     * unfulfilled or guide. */
    "CREATE TABLE credit_items(regime TEXT NOT NULL, part TEXT NOT NULL,"
    " ord INTEGER NOT NULL, text TEXT NOT NULL, href TEXT, conf TEXT NOT NULL,"
    " PRIMARY KEY(regime, part, ord)) WITHOUT ROWID;"
    /* Static files and their fingerprinted addresses (content/static). */
    "CREATE TABLE assets(name TEXT PRIMARY KEY, url TEXT NOT NULL) WITHOUT ROWID;"
    /* Full-text search (fts.c): title, keywords and body are searched; tags
     * (kind, domain code and year, each after FTS_TAG_MARK: one token that no
     * reader's text holds) carry the filters. The
     * docid follows the publication date, so "ORDER BY rowid DESC" is
     * newest first; search_docs holds what decides visibility. */
    "CREATE VIRTUAL TABLE search USING fts5(title, keywords, body, tags,"
    " tokenize='" FTS_TOKENIZER "');"
    "CREATE TABLE search_docs(docid INTEGER PRIMARY KEY, item_id TEXT NOT NULL,"
    " kind TEXT NOT NULL, status TEXT NOT NULL, publish_at INTEGER NOT NULL);"
    /* Decision numbers in the form fts_normalize gives, to go straight to a
     * case; tail: from the year on ("2024-7号"), as readers often type it. */
    "CREATE TABLE numbers(norm TEXT PRIMARY KEY, item_id TEXT NOT NULL,"
    " tail TEXT) WITHOUT ROWID;"
    /* The look-up's decision numbers, in the same form. */
    "CREATE TABLE penalty_numbers(norm TEXT PRIMARY KEY, number TEXT NOT NULL)"
    " WITHOUT ROWID;"
    /* The synonym list (content/search/synonyms.xml, ask.c): a word as
     * fts_normalize gives it, its official terms (tab-separated; '' for an
     * official term itself) and, for a place, its town. */
    "CREATE TABLE synonyms(word TEXT PRIMARY KEY, means TEXT NOT NULL,"
    " town TEXT) WITHOUT ROWID;"
    /* The site's vocabulary for "did you mean": keywords, the synonym
     * list's official terms, domain and town names (not what people say:
     * a correction leads to the site's words); chars: its length; item:
     * the item a keyword comes from, so that a draft's keywords are never
     * suggested (snap.c), NULL for the rest. */
    "CREATE TABLE vocab(word TEXT NOT NULL, chars INTEGER NOT NULL,"
    " item TEXT, UNIQUE(word, item));"
    /* Popular searches, as staff list them (content/search/popular.xml). */
    "CREATE TABLE popular(ord INTEGER PRIMARY KEY, q TEXT NOT NULL);"
    /* An item's list entries (enum snap_part), which pack.c packs into one
     * value per item once every item is in. */
    "CREATE TEMP TABLE parts(item_id TEXT NOT NULL, part INTEGER NOT NULL,"
    " ord INTEGER NOT NULL, a TEXT, b TEXT, c TEXT,"
    " PRIMARY KEY(item_id, part, ord)) WITHOUT ROWID;"
    "CREATE TEMP TABLE search_src(item_id TEXT PRIMARY KEY, keywords TEXT,"
    " body TEXT) WITHOUT ROWID;"
    "CREATE TEMP TABLE related_src(item_id TEXT, target TEXT, path TEXT,"
    " line INTEGER);"
    "CREATE TEMP TABLE files(id TEXT PRIMARY KEY, path TEXT NOT NULL);";

/*
 * The indexes that are not keys, made once every row is in (content_index):
 * an index filled row by row in file order takes each insert at a random
 * place, while CREATE INDEX sorts once.
 */
static const char content_indexes[] =
    "CREATE INDEX items_by_date ON items(kind, published DESC, id DESC);"
    /* The all-sections feed; the latest publish-at (Last-Modified). */
    "CREATE INDEX items_by_published ON items(published DESC, id DESC);"
    "CREATE INDEX items_by_publish_at ON items(status, publish_at);"
    "CREATE INDEX law_cites_by_law ON law_cites(law, n);"
    "CREATE INDEX penalties_by_code ON penalties(credit_code);"
    "CREATE INDEX numbers_by_tail ON numbers(tail);"
    "CREATE INDEX vocab_by_chars ON vocab(chars);";

/* A body section: the element in content, and its heading on the page. */
struct content_section {
	const char	*element;
	const char	*title;
};

static const struct content_section content_case_sections[] = {
	{ "gist", "要旨" }, { "facts", "基本案情" }, { "outcome", "处理结果" },
	{ "explanation", "以案释法" }, { "credit", "信用影响" }, { NULL, NULL } };
static const struct content_section content_guide_sections[] = {
	{ "summary", "概述" }, { "applies", "适用情形" }, { "where", "办理地点" },
	{ NULL, NULL } };
static const struct content_section content_material_sections[] = {
	{ "summary", "简介" }, { "body", "正文" }, { NULL, NULL } };

/* Ids the credit section's own pages take. */
static const char *const content_reserved[] = { "check", "lookup", NULL };

/* What content_strays says of editors' and backup files. */
#define CONTENT_TEMP	"编辑器或 Word 打开文件时留下的临时文件，不会发布：关掉编辑器后它会" \
	"消失，不然就删掉 / an editor's temporary file, not published: it goes " \
	"when the editor is closed; otherwise delete it"
#define CONTENT_BACKUP	"备份文件，不会发布：不需要就删掉，要保留就移到 content 文件夹以外 / " \
	"a backup copy, not published: delete it, or keep it outside the " \
	"content folder"

/* Segments FTS5 may hold before it must merge (its most is 2000). */
#define CONTENT_FTS_SEGMENTS	"1999"

/* Item files a second thread parses ahead of the loader (content_ahead). */
#define CONTENT_AHEAD		32

/* Statements prepared once per build: each item runs the same dozen. */
#define CONTENT_STMT_CACHE	32

struct content {
	sqlite3			*db;
	struct {
		const char	*sql;		/* sqlite3_sql(st): st's own copy */
		const char	*key;		/* the caller's text, as first given */
		sqlite3_stmt	*st;
	}			 cache[CONTENT_STMT_CACHE];
	const char		*dir;
	struct content_stats	*st;
	char			 today[16];	/* YYYY-MM-DD, China time */
	struct buf		 text;		/* the item in hand's searched text */
	struct buf		 words;		/* and its keywords */
	int			 no_site;	/* site.xml failed: its codes go unchecked */
	struct content_ahead	*ahead;		/* the folder's files parsed ahead */
};

/* One file of a folder, as the thread parsing ahead left it. */
struct content_parsed {
	char		*path;		/* NULL: not an item file */
	xmlDocPtr	 doc;		/* valid and without a problem, or NULL */
	int		 ready;
};

/*
 * The thread that parses a folder's item files ahead of the loader, on the
 * other core: parsing and validating is half of loading an item, and is
 * pure. It reports nothing (xml_load_quiet): a file with any problem is
 * parsed again by the loader, which reports it in its turn, so messages
 * come as and when they did. It keeps at most CONTENT_AHEAD files ahead.
 */
struct content_ahead {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	xmlRelaxNGPtr	 rng;		/* its own copy of the schema */
	struct content_parsed *files;
	int		 n;
	int		 next;		/* the loader's next file */
	int		 stop;
};

/* The columns of items that differ by kind. */
struct content_item {
	const char	*kind, *subkind, *domain, *town, *procedure, *topic;
	const char	*event_start, *event_end, *event_place;
	const char	*decision;	/* a case's decision number, or NULL */
	xmlNodePtr	 summary;	/* its text becomes the list summary */
	const struct content_section *sections;
};

/*
 * The prepared statement for sql, from the cache when it was run before.
 * sql is compared by content: a few are built in a local buffer.
 */
static sqlite3_stmt *
content_stmt(struct content *c, const char *sql)
{
	sqlite3_stmt	*st;
	int		 i;

	/*
	 * Most are string literals, the same pointer every time: one compare
	 * instead of one per cached statement. (A local buffer may come back
	 * at the same address with other text: the text is compared too.)
	 */
	for (i = 0; i < CONTENT_STMT_CACHE && c->cache[i].sql != NULL; i++)
		if (c->cache[i].key == sql && strcmp(c->cache[i].sql, sql) == 0)
			return c->cache[i].st;
	for (i = 0; i < CONTENT_STMT_CACHE && c->cache[i].sql != NULL; i++)
		if (strcmp(c->cache[i].sql, sql) == 0)
			return c->cache[i].st;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_warnx("sqlite: %s", sqlite3_errmsg(c->db));
		return NULL;
	}
	if (i < CONTENT_STMT_CACHE) {
		c->cache[i].sql = sqlite3_sql(st);	/* lives as long as st */
		c->cache[i].key = sql;
		c->cache[i].st = st;
	}
	return st;
}

/* Finalizes the cached statements. */
static void
content_stmt_free(struct content *c)
{
	int	 i;

	for (i = 0; i < CONTENT_STMT_CACHE && c->cache[i].sql != NULL; i++) {
		sqlite3_finalize(c->cache[i].st);
		c->cache[i].sql = NULL;
		c->cache[i].key = NULL;
	}
}

/* Runs one SQL statement with text parameters (NULL binds NULL). */
static int
content_exec(struct content *c, const char *sql, int n, const char *const *args)
{
	sqlite3_stmt	*st;
	int		 i, rc, cached;

	if ((st = content_stmt(c, sql)) == NULL)
		return -1;
	cached = 0;
	for (i = 0; i < CONTENT_STMT_CACHE && c->cache[i].sql != NULL; i++)
		cached |= c->cache[i].st == st;
	for (i = 0; i < n; i++)
		sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (cached) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	} else
		sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_warnx("sqlite: %s", sqlite3_errmsg(c->db));
		return -1;
	}
	return rc == SQLITE_ROW;
}

/* CONTENT_SQL(c, sql, args...): content_exec with the arguments counted. */
#define CONTENT_SQL(c, sql, ...) \
	content_exec((c), (sql), \
	    (int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)), \
	    (const char *[]){ __VA_ARGS__ })

/* dst = dir/name. Returns 0, or -1 (reported) when it does not fit. */
static int
content_join(char *dst, size_t n, const char *dir, const char *name)
{
	int	 len = snprintf(dst, n, "%s/%s", dir, name);

	if (len < 0 || (size_t)len >= n) {
		xml_error(dir, 0, 0, "path too long");
		return -1;
	}
	return 0;
}

/*
 * One read of a file, two FNV-1a hashes: its name and bytes folded into
 * *total (the snapshot id; name is the path inside the content folder, so
 * the same content built elsewhere has the same id), and its bytes alone
 * into *own when own is not NULL (what `publish` compares). own starts over.
 */
static void
content_hash_file(uint64_t *total, uint64_t *own, const char *path,
    const char *name)
{
	unsigned char	 chunk[8192];
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 n, i;
	FILE		*f;

	for (i = 0; name[i] != '\0'; i++)
		*total = (*total ^ (unsigned char)name[i]) * 0x100000001b3ULL;
	if ((f = fopen(path, "rb")) != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			for (i = 0; i < n; i++) {
				*total = (*total ^ chunk[i]) * 0x100000001b3ULL;
				h = (h ^ chunk[i]) * 0x100000001b3ULL;
			}
		fclose(f);
	}
	if (own != NULL)
		*own = h;
}

/* Compiles schema dir/name; NULL (reported) on error. */
static xmlRelaxNGPtr
content_rng(const char *dir, const char *name)
{
	char	 path[4096];

	if (datadir_path(path, sizeof(path), dir, "schema") == -1) {
		xml_error(dir, 0, 0, "path too long");
		return NULL;
	}
	if (strlen(path) + strlen(name) + 2 > sizeof(path)) {
		xml_error(path, 0, 0, "path too long");
		return NULL;
	}
	strcat(path, "/");
	strcat(path, name);
	return xml_schema(path);
}

/*
 * Inserts the list under el into table as (attribute attr, text, position):
 * a code list (domains, towns, topics: attr "code") or links (nav items,
 * footer filings: attr "href", maybe absent). A code given twice is an
 * error: -1.
 */
static int
content_list(struct content *c, xmlNodePtr el, const char *child,
    const char *attr, const char *table)
{
	char	 sql[128], ord[16];
	xmlChar	*a;
	int	 i = 0, rc = 0;

	snprintf(sql, sizeof(sql), "INSERT OR IGNORE INTO %s VALUES(?1, ?2, ?3)",
	    table);
	for (el = xml_child(el, child); el != NULL && rc == 0;
	    el = xml_next(el, child)) {
		snprintf(ord, sizeof(ord), "%d", i++);
		a = xmlGetProp(el, (const xmlChar *)attr);
		if (CONTENT_SQL(c, sql, (const char *)a, xml_text(el), ord) == -1 ||
		    sqlite3_changes(c->db) == 0)
			rc = -1;
		xmlFree(a);
	}
	return rc;
}

/*
 * Loads the site's <help> block (问题咨询与投诉), when it has one: its title
 * into site as help_title, each channel into help. Returns 0 or -1.
 */
static int
content_help(struct content *c, xmlNodePtr help)
{
	static const char *const fields[] = { "name", "phone", "note",
	    "address", "hours" };
	const char	*v[5];
	char		 ord[16];
	xmlNodePtr	 ch, f;
	int		 i, n = 0;

	if (help == NULL)
		return 0;
	if (CONTENT_SQL(c, "INSERT INTO site VALUES('help_title', ?1)",
	    xml_text(xml_child(help, "title"))) == -1)
		return -1;
	for (ch = xml_child(help, "channel"); ch != NULL;
	    ch = xml_next(ch, "channel")) {
		for (i = 0; i < 5; i++)
			v[i] = (f = xml_child(ch, fields[i])) != NULL ?
			    xml_text(f) : NULL;
		snprintf(ord, sizeof(ord), "%d", n++);
		if (CONTENT_SQL(c, "INSERT INTO help VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
		    ord, v[0], v[1], v[2], v[3], v[4]) == -1)
			return -1;
	}
	return 0;
}

/* Loads site.xml into site, nav, filings, help, domains, towns and topics. */
static int
content_site(struct content *c)
{
	static const char *const keys[] = { "name", "short-name", "organiser",
	    "description", "url", NULL };
	static const char *const contact[] = { "address", "phone", "hours",
	    "email", NULL };
	char		 path[4096];
	xmlRelaxNGPtr	 rng;
	xmlDocPtr	 doc;
	xmlNodePtr	 root, ct;
	int		 i, rc = 0;

	if (content_join(path, sizeof(path), c->dir, "site.xml") == -1 ||
	    (rng = content_rng(c->dir, "site.rng")) == NULL)
		return -1;
	content_hash_file(&c->st->hash, NULL, path, "site.xml");
	doc = xml_load(path, rng);
	xmlRelaxNGFree(rng);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	for (i = 0; keys[i] != NULL && rc == 0; i++)
		rc = CONTENT_SQL(c, "INSERT INTO site VALUES(?1, ?2)", keys[i],
		    xml_text(xml_child(root, keys[i])));
	ct = xml_child(root, "contact");
	for (i = 0; contact[i] != NULL && rc == 0; i++)
		if (xml_child(ct, contact[i]) != NULL)
			rc = CONTENT_SQL(c, "INSERT INTO site VALUES(?1, ?2)",
			    contact[i], xml_text(xml_child(ct, contact[i])));
	if (rc == 0 && (content_list(c, xml_child(root, "nav"), "item", "href",
	    "nav") || content_list(c, xml_child(root, "filings"), "filing",
	    "href", "filings") || content_list(c, xml_child(root, "domains"),
	    "domain", "code", "domains") || content_list(c, xml_child(root,
	    "towns"), "town", "code", "towns") || content_list(c,
	    xml_child(root, "topics"), "topic", "code", "topics") ||
	    content_help(c, xml_child(root, "help"))))
		rc = -1;
	if (rc == -1)
		xml_error(path, 1, 1, "a code is listed twice, or the site "
		    "description could not be stored");
	xmlFreeDoc(doc);
	return rc == -1 ? -1 : 0;
}

/*
 * Converts an xs:dateTime to Unix time. A time without a zone is China
 * Standard Time (UTC+8), the time publicity staff live in. -1 when invalid.
 */
static long long
content_time(const char *s)
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

/* Inserts one part row: an item's list entry (enum snap_part). */
static int
content_part(struct content *c, const char *id, enum snap_part part, int ord,
    const char *a, const char *b, const char *cc)
{
	char	 k[8], o[16];

	snprintf(k, sizeof(k), "%d", (int)part);
	snprintf(o, sizeof(o), "%d", ord);
	return CONTENT_SQL(c, "INSERT INTO parts VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	    id, k, o, a, b, cc) == -1 ? -1 : 0;
}

/*
 * Adds s (when not NULL) and the plain text of the body markup at n to the
 * searched text of the item in hand. Returns 0, or -1 when out of memory.
 */
static int
content_text(struct content *c, const char *s, xmlNodePtr n)
{
	struct buf	 t = { 0 };
	int		 rc = 0;

	if (s != NULL && *s != '\0')
		rc = buf_puts(&c->text, s) | buf_add(&c->text, " ", 1);
	if (rc == 0 && n != NULL && (rc = markup_text(&t, n, XML_MAX_FILE)) == 0 &&
	    t.len > 0)
		rc = buf_add(&c->text, t.data, t.len) | buf_add(&c->text, " ", 1);
	buf_free(&t);
	return rc ? -1 : 0;
}

/* Inserts el's body markup, rendered to safe HTML, as one part. */
static int
content_html_part(struct content *c, const char *id, enum snap_part part,
    int ord, const char *a, const char *b, xmlNodePtr body)
{
	struct buf	 html = { 0 };
	int		 rc;

	rc = markup_html(&html, body);
	if (rc == 0)
		rc = content_text(c, part == SNAP_PART_SECTION ? NULL : a, body);
	if (rc == 0)
		rc = content_part(c, id, part, ord, a, b, html.data ? html.data : "");
	buf_free(&html);
	return rc;
}

/*
 * Adds word to the vocabulary "did you mean" draws on, as a keyword of item
 * (or NULL: the site's own word). Returns 0, or -1.
 */
static int
content_vocab(struct content *c, const char *word, const char *item)
{
	struct buf	 norm = { 0 };
	int		 rc = 0;

	if (fts_normalize(&norm, word) == 0 && norm.len > 0)
		rc = CONTENT_SQL(c, "INSERT OR IGNORE INTO vocab VALUES(?1,"
		    " length(?1), ?2)", norm.data, item);
	buf_free(&norm);
	return rc == -1 ? -1 : 0;
}

/* Keywords, refusing more than CONTENT_MAX_KEYWORDS. */
static int
content_keywords(struct content *c, const char *path, const char *id,
    xmlNodePtr kws)
{
	xmlNodePtr	 k;
	int		 i = 0;

	for (k = xml_child(kws, "k"); k != NULL; k = xml_next(k, "k")) {
		if (i == CONTENT_MAX_KEYWORDS) {
			xml_error(path, xmlGetLineNo(k), 0, "too many keywords: "
			    "at most %d (关键词最多 %d 个)", CONTENT_MAX_KEYWORDS,
			    CONTENT_MAX_KEYWORDS);
			return 0;
		}
		if (content_part(c, id, SNAP_PART_KEYWORD, i++, xml_text(k), NULL,
		    NULL) == -1 || buf_puts(&c->words, xml_text(k)) == -1 ||
		    buf_add(&c->words, " ", 1) == -1 ||
		    content_vocab(c, xml_text(k), id) == -1)
			return -1;
	}
	return 0;
}

/* The body sections of an item, in page order. */
static int
content_sections(struct content *c, const char *id, xmlNodePtr root,
    const struct content_section *s)
{
	xmlNodePtr	 el;
	int		 i, rc = 0;

	for (i = 0; s[i].element != NULL && rc == 0; i++)
		if ((el = xml_child(root, s[i].element)) != NULL)
			rc = content_html_part(c, id, SNAP_PART_SECTION, i,
			    s[i].element, s[i].title, el->children);
	return rc;
}

/* A guide's steps and documents, a guide's or material's questions. */
static int
content_lists(struct content *c, const char *id, xmlNodePtr root)
{
	xmlNodePtr	 n;
	int		 i, rc = 0;

	for (i = 0, n = xml_child(xml_child(root, "steps"), "step"); n != NULL &&
	    rc == 0; n = xml_next(n, "step"), i++)
		rc = content_html_part(c, id, SNAP_PART_STEP, i,
		    xml_text(xml_child(n, "title")), NULL,
		    xml_child(n, "title")->next);
	for (i = 0, n = xml_child(xml_child(root, "documents"), "doc"); n != NULL &&
	    rc == 0; n = xml_next(n, "doc"), i++)
		rc = content_html_part(c, id, SNAP_PART_DOCUMENT, i, NULL, NULL,
		    n->children);
	for (i = 0, n = root->children; n != NULL && rc == 0; n = n->next)
		if (n->type == XML_ELEMENT_NODE && (strcmp((const char *)n->name,
		    "faq") == 0 || strcmp((const char *)n->name, "qa") == 0))
			rc = content_html_part(c, id, SNAP_PART_FAQ, i++,
			    xml_text(xml_child(n, "q")), NULL,
			    xml_child(n, "a")->children);
	return rc;
}

struct content_kind;

/* The kinds of law (law.rng), in the order /laws/ lists them. */
static const struct content_law_kind {
	const char	*code;
	const char	*name;
} content_law_kinds[] = {
	{ "law", "法律" }, { "regulation", "行政法规" },
	{ "local", "地方性法规" }, { "rule", "部门规章" },
	{ "normative", "规范性文件" },
};

/* What a law's validity is called on the pages. */
static const char *
content_validity_name(const char *v)
{
	if (strcmp(v, "current") == 0)
		return "现行有效";
	return strcmp(v, "amended") == 0 ? "已修改" : "已废止";
}

/* An article number in the form content writes it: "51", "276-1". */
static void
content_article_n(char *out, size_t n, int article, int sub)
{
	if (sub > 0)
		snprintf(out, n, "%d-%d", article, sub);
	else
		snprintf(out, n, "%d", article);
}

/* Appends the text nodes directly under n, trimmed, to text as they are
 * and to html escaped. */
static int
content_law_text(struct buf *html, struct buf *text, xmlNodePtr n)
{
	struct buf	 t = { 0 };
	const char	*p;
	size_t		 len;
	int		 rc = 0;

	for (n = n->children; n != NULL && rc == 0; n = n->next)
		if (n->type == XML_TEXT_NODE && n->content != NULL)
			rc = buf_puts(&t, (const char *)n->content);
	for (p = t.data ? t.data : "", len = t.len; len > 0 &&
	    strchr(" \t\r\n", p[len - 1]) != NULL; len--)
		;
	while (len > 0 && strchr(" \t\r\n", *p) != NULL)
		p++, len--;
	if (rc == 0)
		rc = esc_html(html, p, len);
	if (rc == 0 && text->len > 0)
		rc = buf_add(text, "\n", 1);
	if (rc == 0)
		rc = buf_add(text, p, len);
	buf_free(&t);
	return rc;
}

/*
 * An article's official text as safe HTML (a <p> for each paragraph's own
 * text, one <p class="law-item"> for each item), and its shape: the items
 * of each paragraph, "0,3". Returns 0, or -1 when out of memory.
 */
static int
content_law_html(struct buf *html, struct buf *text, char *shape, size_t size,
    xmlNodePtr art)
{
	xmlNodePtr	 p, it;
	size_t		 at = 0;
	int		 items, rc = 0;

	shape[0] = '\0';
	for (p = xml_child(art, "para"); p != NULL && rc == 0;
	    p = xml_next(p, "para")) {
		rc = buf_puts(html, "<p>") | content_law_text(html, text, p) |
		    buf_puts(html, "</p>");
		for (items = 0, it = xml_child(p, "item"); it != NULL && rc == 0;
		    it = xml_next(it, "item"), items++)
			rc = buf_puts(html, "<p class=\"law-item\">") |
			    content_law_text(html, text, it) | buf_puts(html, "</p>");
		if (at < size)
			at += (size_t)snprintf(shape + at, size - at, "%s%d",
			    at ? "," : "", items);
	}
	return rc ? -1 : 0;
}

/* One article of a law file: checked number, label, text or summary. */
static int
content_law_article(struct content *c, const char *path, const char *law,
    xmlNodePtr art)
{
	struct law_ref	 r = { 0, 0, 0, 0 };
	struct buf	 html = { 0 }, text = { 0 };
	xmlChar		*n, *ver;
	char		 label[LAW_LABEL_MAX], norm[16], ord[16], shape[128];
	int		 rc = 0, verified;

	n = xmlGetProp(art, (const xmlChar *)"n");
	ver = xmlGetProp(art, (const xmlChar *)"verified");
	verified = ver == NULL;
	if (law_article_parse((const char *)n, &r.article, &r.sub) == -1) {
		xml_error(path, xmlGetLineNo(art), 0, "条号 \"%s\" 的写法不对：用阿拉伯"
		    "数字，比如 51，“之一”写成 276-1 / article number \"%s\" is "
		    "not a number like 51 (or 276-1 for 之一)", (const char *)n,
		    (const char *)n);
		goto done;
	}
	content_article_n(norm, sizeof(norm), r.article, r.sub);
	snprintf(ord, sizeof(ord), "%d", r.article * 10 + r.sub);
	law_label(label, sizeof(label), &r);
	shape[0] = '\0';
	if (verified)
		rc = content_law_html(&html, &text, shape, sizeof(shape), art);
	if (rc == 0 && (rc = CONTENT_SQL(c, "INSERT OR IGNORE INTO law_articles"
	    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", law, norm, ord, label,
	    verified ? "1" : "0", verified ? (html.data ? html.data : "") : NULL,
	    verified ? (text.data ? text.data : "") : NULL,
	    verified ? NULL : xml_text(xml_child(art, "summary")), shape)) != -1 &&
	    sqlite3_changes(c->db) == 0)
		xml_error(path, xmlGetLineNo(art), 0, "%s写了两次：每条只写一次 / "
		    "article %s is given twice", label, norm);
	rc = rc == -1 ? -1 : 0;
done:
	xmlFree(n);
	xmlFree(ver);
	buf_free(&html);
	buf_free(&text);
	return rc;
}

/* The facts of a law file: its laws row and amendment history. */
static int
content_law_facts(struct content *c, const char *id, xmlNodePtr root)
{
	const char	*kind = xml_text(xml_child(root, "kind"));
	xmlNodePtr	 src = xml_child(root, "source"), ck, ch;
	xmlChar		*href = NULL, *date, *eff;
	char		 ord[16];
	size_t		 k;
	int		 i = 0, rc;

	for (k = 0; k < sizeof(content_law_kinds) / sizeof(content_law_kinds[0]) - 1 &&
	    strcmp(content_law_kinds[k].code, kind) != 0; k++)
		;
	snprintf(ord, sizeof(ord), "%zu", k);
	if (src != NULL)
		href = xmlGetProp(src, (const xmlChar *)"href");
	ck = xml_child(root, "checked");
	date = xmlGetProp(ck, (const xmlChar *)"date");
	rc = CONTENT_SQL(c, "INSERT INTO laws VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", id,
	    xml_text(xml_child(root, "title")), xml_text(xml_child(root, "short")),
	    kind, content_law_kinds[k].name, ord, content_validity_name(xml_text(
	    xml_child(root, "validity"))), xml_text(xml_child(root, "issuer")),
	    xml_text(xml_child(root, "adopted")),
	    xml_text(xml_child(root, "effective")),
	    xml_text(xml_child(root, "validity")), (const char *)href,
	    src != NULL ? xml_text(src) : NULL, (const char *)date, xml_text(ck));
	xmlFree(href);
	xmlFree(date);
	for (ch = xml_child(xml_child(root, "history"), "change"); ch != NULL &&
	    rc != -1; ch = xml_next(ch, "change")) {
		snprintf(ord, sizeof(ord), "%d", i++);
		date = xmlGetProp(ch, (const xmlChar *)"date");
		eff = xmlGetProp(ch, (const xmlChar *)"effective");
		rc = CONTENT_SQL(c, "INSERT INTO law_changes VALUES(?1, ?2, ?3, ?4,"
		    " ?5)", id, ord, (const char *)date, (const char *)eff,
		    xml_text(ch));
		xmlFree(date);
		xmlFree(eff);
	}
	return rc == -1 ? -1 : 0;
}

/* Loads one law file of content/laws; its id is its file name. */
static int
content_law(struct content *c, const char *path, const char *id,
    const struct content_kind *k, xmlRelaxNGPtr rng)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 root, art;
	int		 rc;

	(void)k;
	content_hash_file(&c->st->hash, NULL, path, path + strlen(c->dir));
	if (!route_valid_id(id)) {
		xml_error(path, 1, 1, "file name must be lower-case letters, "
		    "digits and '-' (it becomes the page address)");
		return 0;
	}
	if ((doc = xml_load(path, rng)) == NULL)
		return 0;
	root = xmlDocGetRootElement(doc);
	rc = content_law_facts(c, id, root);
	for (art = xml_child(xml_child(root, "articles"), "article");
	    art != NULL && rc == 0; art = xml_next(art, "article"))
		rc = content_law_article(c, path, id, art);
	xmlFreeDoc(doc);
	return rc;
}

/*
 * The first column of sql's rows nearest to word, by edit distance, into
 * out: "" when none is within max edits.
 */
static void
content_nearest(struct content *c, const char *sql, const char *word, int max,
    char *out, size_t n)
{
	sqlite3_stmt	*st;
	const char	*k;
	int		 d, best = max + 1;

	out[0] = '\0';
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW)
		if ((k = (const char *)sqlite3_column_text(st, 0)) != NULL &&
		    (d = xmlmsg_distance(k, word)) < best) {
			best = d;
			snprintf(out, n, "%s", k);
		}
	sqlite3_finalize(st);
}

/* The law id nearest to id, into out: "" when none is within 3 edits. */
static void
content_nearest_law(struct content *c, const char *id, char *out, size_t n)
{
	content_nearest(c, "SELECT id FROM laws ORDER BY id", id, 3, out, n);
}

/*
 * Reads an optional paragraph or item number attr of n into *v (0 when
 * absent). Returns 0, or -1 (reported) when it is not 1..max.
 */
static int
content_cite_number(const char *path, xmlNodePtr n, const char *attr,
    int max, int *v)
{
	xmlChar	*a = xmlGetProp(n, (const xmlChar *)attr);
	int	 rc = 0;

	*v = 0;
	if (a != NULL && law_number_parse((const char *)a, max, v) == -1) {
		xml_error(path, xmlGetLineNo(n), 0, "%s=\"%s\" 的写法不对：用 1 到 %d "
		    "的阿拉伯数字 / %s=\"%s\" is not a number from 1 to %d",
		    attr, (const char *)a, max, attr, (const char *)a, max);
		rc = -1;
	}
	xmlFree(a);
	return rc;
}

/*
 * Checks that paragraph r->paragraph and item r->item are in an article of
 * this shape ("0,3": items per paragraph; "" when its text is unverified
 * and cannot tell). Returns 1 when they are, else 0 (reported).
 */
static int
content_cite_shape(const char *path, long line, const char *label,
    const char *norm, const char *shape, const struct law_ref *r)
{
	const char	*p = shape;
	int		 paras = 0, items = 0, i;

	if (*shape == '\0' || r->paragraph == 0)
		return 1;
	for (i = 1; *p != '\0'; i++) {
		paras = i;
		if (i == r->paragraph)
			items = atoi(p);
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	if (r->paragraph > paras) {
		xml_error(path, line, 0, "%s只有 %d 款，没有第 %d 款 / article %s has "
		    "%d paragraph(s), not %d", label, paras, r->paragraph, norm, paras,
		    r->paragraph);
		return 0;
	}
	if (r->item > items) {
		xml_error(path, line, 0, "%s第 %d 款有 %d 项，没有第 %d 项 / "
		    "paragraph %d of article %s has %d item(s), not %d", label,
		    r->paragraph, items, r->item, r->paragraph, norm, items,
		    r->item);
		return 0;
	}
	return 1;
}

/*
 * Looks law ref up: its title and short name into title and short (which
 * hold n bytes). Returns 1 when found, 0 when not (reported), -1.
 */
static int
content_cite_law(struct content *c, const char *path, long line,
    const char *ref, char *title, char *short_name, size_t n)
{
	sqlite3_stmt	*st;
	char		 near[80];
	int		 rc;

	if ((st = content_stmt(c, "SELECT title, short FROM laws WHERE id = ?1"))
	    == NULL)
		return -1;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(title, n, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(short_name, n, "%s", (const char *)sqlite3_column_text(st,
		    1));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return -1;
	content_nearest_law(c, ref, near, sizeof(near));
	if (near[0] != '\0')
		xml_error(path, line, 0, "没有 \"%s\" 这部法律：是不是想写 %s？ / "
		    "unknown law \"%s\": did you mean %s? (content/laws lists them)",
		    ref, near, ref, near);
	else
		xml_error(path, line, 0, "没有 \"%s\" 这部法律：先在 content/laws/ "
		    "里写 %s.xml（见 content/README.md） / unknown law \"%s\": "
		    "add content/laws/%s.xml first", ref, ref, ref, ref);
	return 0;
}

/*
 * Looks article norm of law up: its shape into shape. Returns 1 when the
 * law file has it, 0 when not (reported), -1 on a database failure.
 */
static int
content_cite_article(struct content *c, const char *path, long line,
    const char *law, const char *norm, const char *label, char *shape,
    size_t n)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = content_stmt(c, "SELECT shape FROM law_articles WHERE"
	    " law = ?1 AND n = ?2")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, law, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, norm, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(shape, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return -1;
	xml_error(path, line, 0, "%s没有收在 content/laws/%s.xml 里：先把这一条"
	    "加进去 / article %s is not in content/laws/%s.xml: add it there "
	    "first", label, law, norm, law);
	return 0;
}

/*
 * One legal basis that names a law of content/laws: checked (the law, the
 * article, paragraph and item numbers), then kept as the item's basis part
 * (the law's title, the label, its id), its law_cites row and searched
 * text. Returns 0 (problems reported), or -1 on a database failure.
 */
static int
content_cite(struct content *c, const char *path, const char *id,
    xmlNodePtr n, int ord)
{
	struct law_ref	 r = { 0, 0, 0, 0 }, r2;
	char		 art_label[LAW_LABEL_MAX];
	xmlChar		*ref, *art;
	char		 title[256], short_name[256], label[LAW_LABEL_MAX];
	char		 norm[16], shape[128], o[16], quoted[272];
	char		 said[1024];
	long		 line = xmlGetLineNo(n);
	int		 rc = 0, paragraph_ok, item_ok;

	ref = xmlGetProp(n, (const xmlChar *)"ref");
	art = xmlGetProp(n, (const xmlChar *)"article");
	paragraph_ok = content_cite_number(path, n, "paragraph",
	    LAW_MAX_PARAGRAPH, &r.paragraph) == 0;
	item_ok = content_cite_number(path, n, "item", LAW_MAX_ITEM, &r.item) == 0;
	if (law_article_parse((const char *)art, &r.article, &r.sub) == -1) {
		xml_error(path, line, 0, "条号 article=\"%s\" 的写法不对：用阿拉伯数字，"
		    "比如 51，“之一”写成 276-1 / article=\"%s\" is not a number "
		    "like 51 (or 276-1 for 之一)", (const char *)art,
		    (const char *)art);
		goto done;
	}
	if (!paragraph_ok || !item_ok)
		goto done;
	if (r.item > 0 && r.paragraph == 0) {
		xml_error(path, line, 0, "写了项（item）就要写款（paragraph）：比如 "
		    "paragraph=\"1\" item=\"2\" / an item needs its paragraph");
		goto done;
	}
	if ((rc = content_cite_law(c, path, line, (const char *)ref, title,
	    short_name, sizeof(title))) != 1)
		goto done;
	content_article_n(norm, sizeof(norm), r.article, r.sub);
	law_label(label, sizeof(label), &r);
	r2 = r;
	r2.paragraph = r2.item = 0;
	law_label(art_label, sizeof(art_label), &r2);
	if ((rc = content_cite_article(c, path, line, (const char *)ref, norm,
	    art_label, shape, sizeof(shape))) != 1 ||
	    !content_cite_shape(path, line, art_label, norm, shape, &r))
		goto done;
	snprintf(o, sizeof(o), "%d", ord);
	snprintf(quoted, sizeof(quoted), "《%s》", title);
	snprintf(said, sizeof(said), "%s %s%s %s第%d条", quoted, short_name,
	    label, short_name, r.article);
	rc = CONTENT_SQL(c, "INSERT INTO law_cites VALUES(?1, ?2, ?3, ?4, ?5)",
	    id, o, (const char *)ref, norm, label) == -1 ? -1 : 0;
	if (rc == 0)
		rc = content_part(c, id, SNAP_PART_BASIS, ord, quoted, label,
		    (const char *)ref);
	if (rc == 0)
		rc = content_text(c, said, NULL);
done:
	xmlFree(ref);
	xmlFree(art);
	return rc == -1 ? -1 : 0;
}

/*
 * The legal basis, and related ids kept for the check at the end. A case
 * cites laws of content/laws by article; a guide or material may also
 * name a document by its title alone.
 */
static int
content_refs(struct content *c, const char *path, const char *id,
    xmlNodePtr root)
{
	xmlNodePtr	 n;
	xmlChar		*a, *t, *ref;
	char		 line[16];
	int		 i = 0, rc = 0;

	for (n = xml_child(xml_child(root, "basis"), "law"); n != NULL && rc == 0;
	    n = xml_next(n, "law"), i++) {
		if ((ref = xmlGetProp(n, (const xmlChar *)"ref")) != NULL) {
			xmlFree(ref);
			rc = content_cite(c, path, id, n, i);
			continue;
		}
		if (strcmp((const char *)root->name, "case") == 0)
			xml_error(path, xmlGetLineNo(n), 0, "案例的法律依据要引用"
			    "具体条文：写成 <law ref=\"法律的文件名\" article=\"条号\"/>，"
			    "法律写在 content/laws/ 里 / a case's legal basis names an "
			    "article of a law in content/laws: <law ref=\"LAW\" "
			    "article=\"N\"/>");
		t = xmlGetProp(n, (const xmlChar *)"title");
		a = xmlGetProp(n, (const xmlChar *)"article");
		rc = content_part(c, id, SNAP_PART_BASIS, i, (const char *)t,
		    (const char *)a, NULL);
		if (rc == 0)
			rc = content_text(c, (const char *)t, NULL) |
			    content_text(c, (const char *)a, NULL);
		xmlFree(t);
		xmlFree(a);
	}
	for (n = xml_child(xml_child(root, "related"), "ref"); n != NULL &&
	    rc == 0; n = xml_next(n, "ref")) {
		snprintf(line, sizeof(line), "%ld", xmlGetLineNo(n));
		t = xmlGetProp(n, (const xmlChar *)"id");
		rc = CONTENT_SQL(c, "INSERT INTO related_src VALUES(?1, ?2, ?3, ?4)",
		    id, (const char *)t, path, line) == -1 ? -1 : 0;
		xmlFree(t);
	}
	return rc;
}

/*
 * Reads back the file an <image> or <attachment> names from content/media/
 * into info; reports a missing file, or one of another type. Returns 1
 * when it is there and good, else 0.
 */
static int
content_media_file(struct content *c, const char *path, xmlNodePtr n,
    const char *name, struct media_info *info)
{
	char	 dir[4096];

	if (content_join(dir, sizeof(dir), c->dir, "media") == -1)
		return 0;
	if (media_read(dir, name, info) == 0)
		return 1;
	if (errno == ENOENT)
		xml_error(path, xmlGetLineNo(n), 0, "media/%s 不存在：图片和附件要先在"
		    "工作台上传，或放进 content/media/ / media/%s is missing: upload "
		    "it in the console, or put it in content/media/", name, name);
	else
		xml_error(path, xmlGetLineNo(n), 0, "media/%s 不是它的名字所说的类型"
		    "（或已损坏） / media/%s is not of the type its name says (or "
		    "is damaged)", name, name);
	return 0;
}

/* Is s NULL, or white space alone? */
static int
content_blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/* One <image>: its file read back, its alt text required. */
static int
content_image(struct content *c, const char *path, const char *id,
    xmlNodePtr n, int ord)
{
	struct media_info info;
	xmlChar		*file, *alt, *cap;
	char		 src[128], srcset[512], o[16], w[16], h[16];
	int		 rc = 0;

	file = xmlGetProp(n, (const xmlChar *)"file");
	alt = xmlGetProp(n, (const xmlChar *)"alt");
	cap = xmlGetProp(n, (const xmlChar *)"caption");
	if (content_blank((const char *)alt))
		xml_error(path, xmlGetLineNo(n), 0, "图片缺少替代文字（alt）：用一句话"
		    "说明图片里是什么 / the image has no alt text: say in a sentence "
		    "what it shows");
	else if (file != NULL && content_media_file(c, path, n,
	    (const char *)file, &info) && info.kind != MEDIA_PDF) {
		snprintf(src, sizeof(src), "/media/%s", info.name);
		media_srcset(&info, "/media/", srcset, sizeof(srcset));
		snprintf(o, sizeof(o), "%d", ord);
		snprintf(w, sizeof(w), "%d", info.width);
		snprintf(h, sizeof(h), "%d", info.height);
		rc = CONTENT_SQL(c, "INSERT INTO images VALUES(?1, ?2, ?3, ?4, ?5,"
		    " ?6, ?7, ?8)", id, o, src, srcset, w, h, (const char *)alt,
		    content_blank((const char *)cap) ? NULL : (const char *)cap) ==
		    -1 ? -1 : 0;
		if (rc == 0)
			rc = content_text(c, (const char *)alt, NULL);
	}
	xmlFree(file);
	xmlFree(alt);
	xmlFree(cap);
	return rc;
}

/* One <attachment>: its file read back, its title required. */
static int
content_attachment(struct content *c, const char *path, const char *id,
    xmlNodePtr n, int ord)
{
	struct media_info info;
	xmlChar		*file, *title;
	char		 href[128], size[32], bytes[32], o[16];
	int		 rc = 0;

	file = xmlGetProp(n, (const xmlChar *)"file");
	title = xmlGetProp(n, (const xmlChar *)"title");
	if (content_blank((const char *)title))
		xml_error(path, xmlGetLineNo(n), 0, "附件缺少标题（title） / the "
		    "attachment has no title");
	else if (file != NULL && content_media_file(c, path, n,
	    (const char *)file, &info)) {
		snprintf(href, sizeof(href), "/media/%s", info.name);
		media_size_label(info.bytes, size, sizeof(size));
		snprintf(bytes, sizeof(bytes), "%lld", (long long)info.bytes);
		snprintf(o, sizeof(o), "%d", ord);
		rc = CONTENT_SQL(c, "INSERT INTO attachments VALUES(?1, ?2, ?3, ?4,"
		    " 'PDF', ?5, ?6)", id, o, href, (const char *)title, bytes,
		    size) == -1 ? -1 : 0;
		if (rc == 0)
			rc = content_text(c, (const char *)title, NULL);
	}
	xmlFree(file);
	xmlFree(title);
	return rc;
}

/* The item's <images> and <attachments>. Returns 0, or -1 on a database error. */
static int
content_media(struct content *c, const char *path, const char *id,
    xmlNodePtr root)
{
	xmlNodePtr	 n;
	int		 i = 0, rc = 0;

	for (n = xml_child(xml_child(root, "images"), "image"); n != NULL &&
	    rc == 0; n = xml_next(n, "image"))
		rc = content_image(c, path, id, n, ++i);
	i = 0;
	for (n = xml_child(xml_child(root, "attachments"), "attachment");
	    n != NULL && rc == 0; n = xml_next(n, "attachment"))
		rc = content_attachment(c, path, id, n, ++i);
	return rc;
}

/*
 * The code of table nearest to code, by edit distance, into out: "" when
 * none is within 2 edits (a code is meant, not guessed).
 */
static void
content_nearest_code(struct content *c, const char *table, const char *code,
    char *out, size_t n)
{
	char	 sql[64];

	snprintf(sql, sizeof(sql), "SELECT code FROM %s ORDER BY ord", table);
	content_nearest(c, sql, code, 2, out, n);
}

/* Reports code (at line of path) when site.xml does not list it in table,
 * with the one probably meant. Returns 0, or -1 on a database failure. */
static int
content_known_code(struct content *c, const char *path, int line,
    const char *code, const char *table, const char *what, const char *zh)
{
	char	 sql[96], near[80];
	int	 rc;

	if (c->no_site)
		return 0;	/* without site.xml, every code would be unknown */
	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE code = ?1", table);
	if ((rc = CONTENT_SQL(c, sql, code)) != 0)
		return rc == -1 ? -1 : 0;
	content_nearest_code(c, table, code, near, sizeof(near));
	if (near[0] != '\0')
		xml_error(path, line, 0, "没有 \"%s\" 这个%s：是不是想写 "
		    "%s？ / unknown %s code \"%s\": did you mean %s? (site.xml lists "
		    "them)", code, zh, near, what, code, near);
	else
		xml_error(path, line, 0, "没有 \"%s\" 这个%s：用 site.xml "
		    "里列出的代码（见 content/README.md 第 4 节） / unknown %s code "
		    "\"%s\": use one listed in site.xml", code, zh, what, code);
	return 0;
}

/* Reports a code that site.xml does not list, with the one probably meant. */
static int
content_known(struct content *c, const char *path, xmlNodePtr el,
    const char *table, const char *what, const char *zh)
{
	if (el == NULL)
		return 0;
	return content_known_code(c, path, xmlGetLineNo(el), xml_text(el), table,
	    what, zh);
}

/*
 * Reports the domain, town and topic codes of an item that site.xml does not
 * list; also for an item that does not match its schema, where an element
 * holding more than text has its own schema error and is not looked up.
 */
static int
content_known_codes(struct content *c, const char *path, xmlNodePtr root)
{
	static const char *const codes[][3] = {
		{ "domain", "domains", "执法领域代码" },
		{ "town", "towns", "镇街代码" },
		{ "topic", "topics", "普法主题代码" },
	};
	xmlNodePtr	 el, n;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if ((el = xml_child(root, codes[i][0])) == NULL)
			continue;
		for (n = el->children; n != NULL; n = n->next)
			if (n->type != XML_TEXT_NODE)
				break;
		if (n == NULL && el->children != NULL)
			rc |= content_known(c, path, el, codes[i][1],
			    codes[i][0], codes[i][2]);
	}
	return rc;
}

/* The kind-specific columns of a case. */
static void
content_case(xmlNodePtr root, struct content_item *it)
{
	it->domain = xml_text(xml_child(root, "domain"));
	it->town = xml_text(xml_child(root, "town"));
	it->procedure = xml_text(xml_child(root, "procedure"));
	it->decision = xml_child(root, "decision") ?
	    xml_text(xml_child(root, "decision")) : NULL;
	it->summary = xml_child(root, "gist");
	it->sections = content_case_sections;
}

static void
content_guide(xmlNodePtr root, struct content_item *it)
{
	it->summary = xml_child(root, "summary");
	it->sections = content_guide_sections;
}

static void
content_material(xmlNodePtr root, struct content_item *it)
{
	xmlNodePtr	 ev = xml_child(root, "event");

	it->topic = xml_text(xml_child(root, "topic"));
	it->summary = xml_child(root, "summary");
	it->sections = content_material_sections;
	if (ev != NULL) {
		it->event_start = xml_text(xml_child(ev, "start"));
		it->event_end = xml_child(ev, "end") ?
		    xml_text(xml_child(ev, "end")) : NULL;
		it->event_place = xml_text(xml_child(ev, "place"));
	}
}

/* The kinds of item, each with its folder, schema and columns. */
static const struct content_kind {
	const char	*folder;
	const char	*schema;
	const char	*kind;
	void		(*columns)(xmlNodePtr, struct content_item *);
} content_kinds[] = {
	{ "cases", "case.rng", "case", content_case },
	{ "guides", "guide.rng", "guide", content_guide },
	{ "pufa", "material.rng", "material", content_material },
};

/* Inserts the items row; the publish-at time is checked here. */
static int
content_item_row(struct content *c, const char *path, const char *id,
    xmlNodePtr root, const struct content_item *it, uint64_t h)
{
	struct buf	 summary = { 0 };
	xmlChar		*status, *at, *sub;
	char		 when[32], year[8], hash[24];
	long long	 t = 0;
	int		 rc;

	status = xmlGetProp(root, (const xmlChar *)"status");
	at = xmlGetProp(root, (const xmlChar *)"publish-at");
	sub = xmlGetProp(root, (const xmlChar *)"kind");
	if (at != NULL && (t = content_time((const char *)at)) < 0) {
		xml_error(path, xmlGetLineNo(root), 0, "publish-at \"%s\" is not "
		    "a date and time like 2026-12-04T09:00:00", (const char *)at);
		t = 0;
	}
	snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)h);
	snprintf(when, sizeof(when), "%lld", t);
	snprintf(year, sizeof(year), "%.4s", xml_text(xml_child(root, "published")));
	rc = markup_text(&summary, it->summary ? it->summary->children : NULL,
	    CONTENT_SUMMARY_BYTES);
	if (rc == 0)
		rc = CONTENT_SQL(c, "INSERT INTO items VALUES(?1, ?2, ?3, ?4, ?5,"
		    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
		    " ?19, NULL, NULL, NULL, ?20)", id, it->kind, (const char *)sub,
		    xml_text(xml_child(root, "title")),
		    xml_text(xml_child(root, "published")),
		    xml_child(root, "updated") ? xml_text(xml_child(root,
		    "updated")) : NULL, (const char *)status, when,
		    summary.data ? summary.data : "", it->domain, it->town,
		    it->procedure, it->topic, it->event_start, it->event_end,
		    it->event_place, year, path, hash, it->decision) == -1 ? -1 : 0;
	xmlFree(status);
	xmlFree(at);
	xmlFree(sub);
	buf_free(&summary);
	return rc;
}

/* Refuses an id that another file or one of the site's own pages has. */
static int
content_claim_id(struct content *c, const char *path, const char *id,
    const struct content_kind *k)
{
	int	 i, rc;

	if (!route_valid_id(id)) {
		xml_error(path, 1, 1, "file name must be lower-case letters, "
		    "digits and '-' (it becomes the page address)");
		return 0;
	}
	for (i = 0; strcmp(k->kind, "guide") == 0 && content_reserved[i]; i++)
		if (strcmp(id, content_reserved[i]) == 0) {
			xml_error(path, 1, 1, "\"%s\" is the address of one of "
			    "the site's own pages: rename the file", id);
			return 0;
		}
	if ((rc = CONTENT_SQL(c, "SELECT path FROM files WHERE id = ?1", id)) == 1) {
		xml_error(path, 1, 1, "id \"%s\" is already used by another file "
		    "(ids must be unique across cases, guides and pufa)", id);
		return 0;
	}
	if (rc == -1 || CONTENT_SQL(c, "INSERT INTO files VALUES(?1, ?2)", id,
	    path) == -1)
		return -1;
	return 1;
}

/* The first digit of s as a string ("" when none): where a number's tail
 * starts. */
static const char *
content_first_digit(const char *s)
{
	static char	 d[2];

	d[0] = s[strcspn(s, "0123456789")];
	return d;
}

/* Fills search_src, and numbers, for the item in hand. Returns 0, or -1. */
static int
content_search_src(struct content *c, const char *id, const char *decision)
{
	struct buf	 norm = { 0 };
	int		 rc;

	if (decision != NULL && content_text(c, decision, NULL) == -1)
		return -1;
	rc = CONTENT_SQL(c, "INSERT INTO search_src VALUES(?1, ?2, ?3)", id,
	    c->words.len ? c->words.data : "", c->text.len ? c->text.data : "");
	if (rc != -1 && decision != NULL && fts_normalize(&norm, decision) == 0 &&
	    norm.len > 0)
		rc = CONTENT_SQL(c, "INSERT OR IGNORE INTO numbers VALUES(?1, ?2,"
		    " nullif(substr(?1, nullif(instr(?1, ?3), 0)), ''))", norm.data,
		    id, content_first_digit(norm.data));
	buf_free(&norm);
	return rc == -1 ? -1 : 0;
}

static int	content_is_xml(const char *);

/* The thread parsing ahead: each file in order, CONTENT_AHEAD at most. */
static void *
content_ahead_run(void *arg)
{
	struct content_ahead	*a = arg;
	xmlDocPtr		 doc;
	int			 i, clean, stop = 0;

	for (i = 0; i < a->n && !stop; i++) {
		pthread_mutex_lock(&a->lock);
		while (!a->stop && i - a->next >= CONTENT_AHEAD)
			pthread_cond_wait(&a->cond, &a->lock);
		stop = a->stop;
		pthread_mutex_unlock(&a->lock);
		doc = NULL;
		if (!stop && a->files[i].path != NULL &&
		    (doc = xml_load_quiet(a->files[i].path, a->rng, &clean)) !=
		    NULL && !clean) {
			xmlFreeDoc(doc);
			doc = NULL;
		}
		pthread_mutex_lock(&a->lock);
		a->files[i].doc = doc;
		a->files[i].ready = 1;
		pthread_cond_broadcast(&a->cond);
		pthread_mutex_unlock(&a->lock);
	}
	return NULL;
}

/*
 * Starts parsing ahead the n entries of the folder dir that are item files.
 * Returns NULL when it cannot (then the loader parses every file itself).
 */
static struct content_ahead *
content_ahead_start(struct content *c, const char *dir, const char *schema,
    struct dirent **list, int n)
{
	struct content_ahead	*a;
	char			 path[8192];
	int			 i;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->files = calloc((size_t)n, sizeof(*a->files))) == NULL) {
		free(a);
		return NULL;
	}
	a->n = n;
	for (i = 0; i < n; i++)
		if (content_is_xml(list[i]->d_name) && snprintf(path,
		    sizeof(path), "%s/%s", dir, list[i]->d_name) <
		    (int)sizeof(path))
			a->files[i].path = strdup(path);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	if ((a->rng = content_rng(c->dir, schema)) != NULL &&
	    pthread_create(&a->thread, NULL, content_ahead_run, a) == 0)
		return a;
	xmlRelaxNGFree(a->rng);
	for (i = 0; i < n; i++)
		free(a->files[i].path);
	free(a->files);
	free(a);
	return NULL;
}

/* Stops the thread and frees what it parsed that was not taken. */
static void
content_ahead_stop(struct content_ahead *a)
{
	int	 i;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = 1;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	for (i = 0; i < a->n; i++) {
		xmlFreeDoc(a->files[i].doc);
		free(a->files[i].path);
	}
	xmlRelaxNGFree(a->rng);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->cond);
	free(a->files);
	free(a);
}

/*
 * The document of the item file path, parsed ahead when it was clean (files
 * passed over, such as a duplicate id's, are dropped), or NULL.
 */
static xmlDocPtr
content_ahead_take(struct content_ahead *a, const char *path)
{
	struct content_parsed	*f;
	xmlDocPtr		 doc = NULL;

	pthread_mutex_lock(&a->lock);
	while (a->next < a->n) {
		f = &a->files[a->next];
		while (!f->ready)
			pthread_cond_wait(&a->cond, &a->lock);
		a->next++;
		pthread_cond_broadcast(&a->cond);
		if (f->path != NULL && strcmp(f->path, path) == 0) {
			doc = f->doc;
			f->doc = NULL;
			break;
		}
		xmlFreeDoc(f->doc);
		f->doc = NULL;
	}
	pthread_mutex_unlock(&a->lock);
	return doc;
}

/*
 * Parses the item file path: the thread's document when it found it clean,
 * else here, with every problem reported.
 */
static xmlDocPtr
content_parse(struct content *c, const char *path, xmlRelaxNGPtr rng,
    int *valid)
{
	xmlDocPtr	 doc;

	if (c->ahead != NULL && (doc = content_ahead_take(c->ahead, path)) !=
	    NULL) {
		*valid = 1;
		return doc;
	}
	return xml_load_loose(path, rng, valid);
}

/* Loads one item file; its id is its file name without ".xml". */
static int
content_item(struct content *c, const char *path, const char *id,
    const struct content_kind *k, xmlRelaxNGPtr rng)
{
	struct content_item	 it;
	xmlDocPtr		 doc;
	xmlNodePtr		 root;
	uint64_t		 own;
	int			 rc, valid;

	content_hash_file(&c->st->hash, &own, path, path + strlen(c->dir));
	if ((rc = content_claim_id(c, path, id, k)) != 1)
		return rc;
	if ((doc = content_parse(c, path, rng, &valid)) == NULL)
		return 0;
	root = xmlDocGetRootElement(doc);
	if (!valid) {
		/* Its codes are checked all the same: a second mistake. */
		rc = content_known_codes(c, path, root);
		xmlFreeDoc(doc);
		return rc == -1 ? -1 : 0;
	}
	buf_reset(&c->text);
	buf_reset(&c->words);
	memset(&it, 0, sizeof(it));
	it.kind = k->kind;
	k->columns(root, &it);
	rc = content_item_row(c, path, id, root, &it, own);
	if (rc == 0)
		rc = content_known_codes(c, path, root);
	if (rc == 0)
		rc = content_keywords(c, path, id, xml_child(root, "keywords")) |
		    content_sections(c, id, root, it.sections) |
		    content_lists(c, id, root) | content_refs(c, path, id, root) |
		    content_media(c, path, id, root);
	if (rc == 0)
		rc = content_search_src(c, id, it.decision);
	c->st->items++;
	xmlFreeDoc(doc);
	return rc ? -1 : 0;
}

/* Makes the indexes of content_indexes, once the tables are filled. */
static int
content_index(struct content *c)
{
	return sqlite3_exec(c->db, content_indexes, NULL, NULL, NULL) ==
	    SQLITE_OK ? 0 : -1;
}

/*
 * Fills the full-text index from items and search_src, newest last, and
 * merges it into one b-tree (queries then read one segment, not many).
 * While it fills, FTS5 merges nothing (automerge 0, and no forced merge
 * before CONTENT_FTS_SEGMENTS segments): the one merge at the end writes
 * each entry once, where merging as it goes rewrote it at every level
 * (at 100 000 items, 19 s of CPU against 11). FTS5's defaults (4, 16) are
 * put back after.
 */
static int
content_search(struct content *c)
{
	return sqlite3_exec(c->db,
	    "INSERT INTO search(search, rank) VALUES('automerge', 0);"
	    "INSERT INTO search(search, rank) VALUES('crisismerge', "
	    CONTENT_FTS_SEGMENTS ");"
	    "INSERT INTO search_docs SELECT row_number() OVER (ORDER BY published,"
	    " id), id, kind, status, publish_at FROM items;"
	    "INSERT INTO search(rowid, title, keywords, body, tags)"
	    " SELECT d.docid, i.title, s.keywords, s.body, char(30) || i.kind ||"
	    " coalesce(' ' || char(30) || i.domain, '') || ' ' || char(30) || i.year"
	    " || coalesce(' ' || char(30) || '" ASK_TOWN_TAG "' || i.town, '')"
	    " FROM search_docs d JOIN items i ON i.id = d.item_id"
	    " JOIN search_src s ON s.item_id = i.id ORDER BY d.docid;"
	    "INSERT INTO search(search) VALUES('optimize');"
	    "INSERT INTO search(search, rank) VALUES('automerge', 4);"
	    "INSERT INTO search(search, rank) VALUES('crisismerge', 16);",
	    NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Whether name is an item file name: NAME.xml, not hidden. */
static int
content_is_xml(const char *name)
{
	size_t	 n = strlen(name);

	return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

/* Every entry of a folder but "." and "..". */
static int
content_entry(const struct dirent *de)
{
	return strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
}

/* How a file that is not loaded should be named instead. */
enum content_fix {
	CONTENT_FIX_NONE,
	CONTENT_FIX_CUT,	/* x.xml.txt -> x.xml */
	CONTENT_FIX_LOWER	/* X.XML -> x.xml */
};

/*
 * Files that are not loaded, by name (fnmatch patterns, first match): each
 * is an error when staff may have meant it to be published, and a warning
 * when it is an editor's or a backup copy. %s in a message is the name the
 * file should have. content/README.md has the same table.
 */
static const struct content_stray {
	const char	*pattern;
	int		 error;		/* 1 error, 0 warning, -1 not said */
	enum content_fix fix;
	const char	*say;
} content_strays[] = {
	{ ".#*", 0, CONTENT_FIX_NONE, CONTENT_TEMP },
	{ "*.sw[op]", 0, CONTENT_FIX_NONE, CONTENT_TEMP },
	{ ".*.sw[op]", 0, CONTENT_FIX_NONE, CONTENT_TEMP },
	{ "~$*", 0, CONTENT_FIX_NONE, CONTENT_TEMP },
	{ "*~", 0, CONTENT_FIX_NONE, CONTENT_BACKUP },
	{ "#*#", 0, CONTENT_FIX_NONE, CONTENT_BACKUP },
	{ "*.bak", 0, CONTENT_FIX_NONE, CONTENT_BACKUP },
	{ "*.orig", 0, CONTENT_FIX_NONE, CONTENT_BACKUP },
	{ "*.old", 0, CONTENT_FIX_NONE, CONTENT_BACKUP },
	{ "*.rej", 0, CONTENT_FIX_NONE, CONTENT_BACKUP },
	{ "*.tmp", 0, CONTENT_FIX_NONE, CONTENT_BACKUP },
	/* what an interrupted `fazhi withdraw` leaves: x.xml.tmp.PID */
	{ "*.tmp.[0-9]*", 0, CONTENT_FIX_NONE, CONTENT_BACKUP },
	{ ".*", -1, CONTENT_FIX_NONE, NULL },	/* .gitkeep, .DS_Store */
	{ "*.[xX][mM][lL].*", 1, CONTENT_FIX_CUT,
	    "文件名后面多了一个扩展名（比如记事本加上的 .txt），这个文件不会发布：把它"
	    "改名为 %s / an extension was added after .xml (as Notepad adds "
	    ".txt), so the file is not published: rename it to %s" },
	{ "*.[xX][mM][lL]", 1, CONTENT_FIX_LOWER,
	    "扩展名要用小写的 .xml，否则不会发布：把它改名为 %s / the extension must "
	    "be a lower-case .xml, or the file is not published: rename it to %s" },
	{ "*", 1, CONTENT_FIX_NONE,
	    "这个文件夹里只放 .xml 内容文件，%s 不会发布：不需要就删掉，图片和样式放在 "
	    "static/ 里 / this folder holds only .xml content files, and %s is "
	    "not published: delete it if it is not needed (images and styles go "
	    "in static/)" },
};

/* The name a stray file should have, by fix, into out. */
static void
content_fixed_name(const char *name, enum content_fix fix, char *out,
    size_t n)
{
	size_t	 i;

	snprintf(out, n, "%s", name);
	if (fix == CONTENT_FIX_NONE)
		return;
	for (i = 0; out[i] != '\0'; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	if (fix == CONTENT_FIX_CUT && strstr(out, ".xml") != NULL)
		strstr(out, ".xml")[4] = '\0';
}

/*
 * Reports a file of an item folder that is not loaded (path, called name),
 * as content_strays says. A sub-folder is an error: nothing in it is read.
 * In the top folder (top), a file of no known kind is only a warning.
 */
static void
content_stray(const char *path, const char *name, int is_dir, int top)
{
	const struct content_stray *r;
	char	 fixed[256];
	size_t	 i;

	if (is_dir && name[0] != '.') {
		xml_error(path, 1, 1, "子文件夹里的文件不会发布：把要发布的文件移到上一层"
		    "文件夹，再删掉这个子文件夹 / files in a sub-folder are not "
		    "published: move them up one folder and remove the sub-folder");
		return;
	}
	for (i = 0; i < sizeof(content_strays) / sizeof(content_strays[0]); i++)
		/* FNM_PERIOD: only a pattern that starts with '.' matches a hidden file */
		if (fnmatch(content_strays[i].pattern, name, FNM_PERIOD) == 0)
			break;
	if (is_dir || i == sizeof(content_strays) / sizeof(content_strays[0]))
		return;
	r = &content_strays[i];
	content_fixed_name(name, r->fix, fixed, sizeof(fixed));
	if (top && strcmp(r->pattern, "*") == 0)
		xml_warning(path, 1, 1, "这不是内容文件，不会发布 / not a content "
		    "file, so not published");
	else if (r->error == 1)
		xml_error(path, 1, 1, r->say, fixed, fixed);
	else if (r->error == 0)
		xml_warning(path, 1, 1, r->say, fixed, fixed);
}

/* Loads one file of a folder: path, its id, the folder's schema. */
typedef int (*content_loader)(struct content *, const char *, const char *,
    const struct content_kind *, xmlRelaxNGPtr);

/*
 * Loads every NAME.xml of folder, in name order, with load (k is passed
 * on), refusing more than max files. Returns -1 when load did, else 0.
 */
static int
content_folder(struct content *c, const char *folder, const char *schema,
    int max, content_loader load, const struct content_kind *k)
{
	struct dirent	**list;
	xmlRelaxNGPtr	  rng;
	struct stat	  sb;
	char		  dir[4096], path[8192], id[256];
	int		  n, i, rc = 0;

	if (content_join(dir, sizeof(dir), c->dir, folder) == -1)
		return 0;
	if ((n = scandir(dir, &list, content_entry, alphasort)) == -1)
		return errno == ENOENT ? 0 : (xml_error(dir, 0, 0, "cannot read "
		    "the folder: %s", strerror(errno)), 0);
	if (n > max)
		xml_error(dir, 0, 0, "more than %d files", max);
	rng = n > 0 && n <= max ? content_rng(c->dir, schema) : NULL;
	/* Item folders (k): parsed ahead on the other core. */
	if (k != NULL && rng != NULL && n > 1)
		c->ahead = content_ahead_start(c, dir, schema, list, n);
	for (i = 0; i < n; i++) {
		if (content_join(path, sizeof(path), dir, list[i]->d_name) == 0) {
			if (!content_is_xml(list[i]->d_name) ||
			    stat(path, &sb) == -1 || !S_ISREG(sb.st_mode))
				content_stray(path, list[i]->d_name,
				    stat(path, &sb) == 0 && S_ISDIR(sb.st_mode), 0);
			else if (rc == 0 && rng != NULL) {
				snprintf(id, sizeof(id), "%.*s",
				    (int)strlen(list[i]->d_name) - 4, list[i]->d_name);
				if (load(c, path, id, k, rng) == -1)
					rc = -1;
			}
		}
		free(list[i]);
	}
	free(list);
	content_ahead_stop(c->ahead);
	c->ahead = NULL;
	xmlRelaxNGFree(rng);
	return rc;
}

/* Keeps a penalty's decision number in the form the look-up compares. */
static int
content_penalty_number(struct content *c, const char *number)
{
	struct buf	 norm = { 0 };
	int		 rc = 0;

	if (fts_normalize(&norm, number) == 0 && norm.len > 0)
		rc = CONTENT_SQL(c, "INSERT OR IGNORE INTO penalty_numbers"
		    " VALUES(?1, ?2)", norm.data, number);
	buf_free(&norm);
	return rc == -1 ? -1 : 0;
}

/*
 * Loads penalties/records.xml, the store `fazhi import penalties` keeps:
 * every record must pass penalty_problem(), with a known domain and a
 * decision number of its own; penalty_warning()s are reported and the
 * record kept.
 */
static int
content_penalties(struct content *c)
{
	struct penalty	 p;
	xmlRelaxNGPtr	 rng;
	xmlDocPtr	 doc;
	xmlNodePtr	 r;
	char		 path[4096], msg[256];
	const char	*why;
	int		 rc = 0, known = 1;

	if (content_join(path, sizeof(path), c->dir, IMPORT_STORE_NAME) == -1)
		return 0;
	if (access(path, F_OK) == -1)
		return 0;
	content_hash_file(&c->st->hash, NULL, path, IMPORT_STORE_NAME);
	if ((rng = content_rng(c->dir, "penalties.rng")) == NULL)
		return 0;
	doc = xml_load(path, rng);
	xmlRelaxNGFree(rng);
	if (doc == NULL)
		return 0;
	for (r = xml_child(xmlDocGetRootElement(doc), "record"); r != NULL &&
	    rc == 0; r = xml_next(r, "record")) {
		penalty_read(r, &p);
		if ((why = penalty_problem(&p, c->today, msg, sizeof(msg))) != NULL)
			xml_error(path, p.line, 0, "%s", why);
		else if (!c->no_site && (known = CONTENT_SQL(c, "SELECT 1 FROM "
		    "domains WHERE code = ?1", p.domain)) == 0)
			xml_error(path, p.line, 0, "unknown domain code \"%s\"",
			    p.domain);
		else if (known == -1 || CONTENT_SQL(c, "INSERT OR IGNORE INTO "
		    "penalties VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		    p.number, p.party, p.code, p.date, p.kinds.data, p.fine,
		    p.severity, p.domain, p.fulfilled) == -1)
			rc = -1;
		else if (sqlite3_changes(c->db) == 0)
			xml_error(path, p.line, 0, "decision number %s appears "
			    "twice", p.number);
		else if (content_penalty_number(c, p.number) == -1)
			rc = -1;
		else {
			c->st->penalties++;
			if ((why = penalty_warning(&p, msg, sizeof(msg))) != NULL)
				xml_warning(path, p.line, 0, "%s", why);
		}
		penalty_free(&p);
	}
	xmlFreeDoc(doc);
	return rc;
}

/* An attribute's text, pointing into the document, or NULL when absent. */
static const char *
content_prop(xmlNodePtr n, const char *name)
{
	xmlAttrPtr	 a = xmlHasProp(n, (const xmlChar *)name);

	if (a == NULL || a->children == NULL || a->children->content == NULL)
		return NULL;
	return (const char *)a->children->content;
}

/* A confidence attribute, "verified" when absent. */
static const char *
content_conf(xmlNodePtr n)
{
	const char	*c = content_prop(n, "confidence");

	return c != NULL ? c : "verified";
}

/* Reports each kind code in attribute attr of n that the calculator does not know. */
static void
content_credit_kinds(const char *path, xmlNodePtr n, const char *attr)
{
	const char	*list = content_prop(n, attr), *p, *end;
	char		 word[64];
	size_t		 len;

	for (p = list; p != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, " ");
		len = (size_t)(end - p);
		snprintf(word, sizeof(word), "%.*s", (int)len, p);
		if (len >= sizeof(word) || credit_kind_by_code(word) < 0)
			xml_error(path, xmlGetLineNo(n), 0, "unknown penalty kind "
			    "\"%s\" in %s: use one listed in content/README.md",
			    word, attr);
	}
}

/* Reports each domain code in n's domains attribute that site.xml does not list. */
static int
content_credit_domains(struct content *c, const char *path, xmlNodePtr n)
{
	const char	*list = content_prop(n, "domains"), *p, *end;
	char		 word[128];
	int		 rc;

	if (list != NULL && strlen(list) >= CREDIT_MAX_DOMAINS)
		xml_error(path, xmlGetLineNo(n), 0, "too many domains: at most "
		    "%d characters", CREDIT_MAX_DOMAINS - 1);
	for (p = list; p != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, " ");
		snprintf(word, sizeof(word), "%.*s", (int)(end - p), p);
		if ((rc = CONTENT_SQL(c, "SELECT 1 FROM domains WHERE code = ?1",
		    word)) == -1)
			return -1;
		if (rc == 0)
			xml_error(path, xmlGetLineNo(n), 0, "unknown domain code "
			    "\"%s\": use one listed in site.xml", word);
	}
	return 0;
}

/* Whether a rule element has any condition: the last period must have none. */
static int
content_credit_conditional(xmlNodePtr n)
{
	static const char *const conds[] = { "tier", "procedure", "any-kinds",
	    "only-kinds", "domains", "min-fine", NULL };
	int	 i;

	for (i = 0; conds[i] != NULL; i++)
		if (content_prop(n, conds[i]) != NULL)
			return 1;
	return 0;
}

/*
 * The rules of one list (tier-rule, not-published or period elements) of
 * a regime, checked and inserted in order.
 */
static int
content_credit_rules(struct content *c, const char *path, const char *id,
    xmlNodePtr root, const char *element, const char *list)
{
	const char	*lo, *hi;
	xmlNodePtr	 n, last = NULL;
	char		 ord[16];
	int		 i = 0, rc = 0;

	for (n = xml_child(root, element); n != NULL && rc == 0;
	    n = xml_next(n, element), i++) {
		if (i == CREDIT_MAX_RULES)
			xml_error(path, xmlGetLineNo(n), 0, "too many <%s>: at most "
			    "%d", element, CREDIT_MAX_RULES);
		content_credit_kinds(path, n, "any-kinds");
		content_credit_kinds(path, n, "only-kinds");
		lo = content_prop(n, "min-months");
		hi = content_prop(n, "max-months");
		if (lo != NULL && hi != NULL && atoi(lo) > atoi(hi))
			xml_error(path, xmlGetLineNo(n), 0, "min-months %s is more "
			    "than max-months %s", lo, hi);
		snprintf(ord, sizeof(ord), "%d", i);
		rc = content_credit_domains(c, path, n);
		if (rc == 0 && CONTENT_SQL(c, "INSERT INTO credit_rules VALUES(?1,"
		    " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", id,
		    list, ord, content_prop(n, "tier"), content_prop(n, "procedure"),
		    content_prop(n, "any-kinds"), content_prop(n, "only-kinds"),
		    content_prop(n, "domains"), content_prop(n, "min-fine"), lo, hi,
		    content_prop(n, "in-principle") ? "1" : "0", content_conf(n),
		    xml_text(n)) == -1)
			rc = -1;
		last = n;
	}
	if (strcmp(list, "period") == 0 && last != NULL &&
	    content_credit_conditional(last))
		xml_error(path, xmlGetLineNo(last), 0, "the last <period> must have "
		    "no conditions, so that every penalty finds one");
	return rc;
}

/*
 * The item lists of a regime: sources, conditions, documents, where,
 * times, notes, and the optional transition, unfulfilled and guides.
 */
/*
 * Checks that a regime's guide link, /credit/ID, names a guide of this
 * content set. Returns 0 (a missing one reported), or -1.
 */
static int
content_credit_guide(struct content *c, const char *path, xmlNodePtr n)
{
	const char	*href = content_prop(n, "href");
	int		 rc;

	rc = CONTENT_SQL(c, "SELECT path FROM files WHERE id = ?1 AND"
	    " path LIKE '%guides/%'", href + strlen("/credit/"));
	if (rc == 0)
		xml_error(path, xmlGetLineNo(n), 1, "guide \"%s\" does not exist",
		    href);
	return rc == -1 ? -1 : 0;
}

static int
content_credit_items(struct content *c, const char *path, const char *id,
    xmlNodePtr root)
{
	static const struct { const char *list, *part; } parts[] = {
		{ "conditions", "condition" }, { "documents", "document" },
		{ "where", "where" }, { "time-limits", "time" }, { "notes", "note" },
		{ "transition", "transition" }, { "unfulfilled", "unfulfilled" },
		{ "guides", "guide" } };
	xmlNodePtr	 n;
	char		 ord[16];
	size_t		 k;
	int		 i = 0, rc = 0;

	for (n = xml_child(root, "source"); n != NULL && rc == 0;
	    n = xml_next(n, "source")) {
		snprintf(ord, sizeof(ord), "%d", i++);
		rc = CONTENT_SQL(c, "INSERT INTO credit_items VALUES(?1, 'source',"
		    " ?2, ?3, ?4, ?5)", id, ord, xml_text(n), content_prop(n,
		    "href"), content_conf(n)) == -1 ? -1 : 0;
	}
	for (k = 0; k < sizeof(parts) / sizeof(parts[0]) && rc == 0; k++)
		for (i = 0, n = xml_child(xml_child(root, parts[k].list), "item");
		    n != NULL && rc == 0; n = xml_next(n, "item")) {
			snprintf(ord, sizeof(ord), "%d", i++);
			if (strcmp(parts[k].part, "guide") == 0 &&
			    content_credit_guide(c, path, n) == -1)
				return -1;
			rc = CONTENT_SQL(c, "INSERT INTO credit_items VALUES(?1, ?2,"
			    " ?3, ?4, ?5, ?6)", id, parts[k].part, ord, xml_text(n),
			    content_prop(n, "href"), content_conf(n)) == -1 ? -1 : 0;
		}
	return rc;
}

/* The regimes row of one regime file, after checking its dates and codes. */
static int
content_credit_regime(struct content *c, const char *path, const char *id,
    xmlNodePtr root)
{
	xmlNodePtr	 eff = xml_child(root, "effective"), scope, count, never;
	const char	*from = content_prop(eff, "from"), *until;

	until = content_prop(eff, "until");
	scope = xml_child(root, "scope");
	count = xml_child(root, "counted-from");
	never = xml_child(root, "never-early");
	if (until != NULL && strcmp(until, from) < 0)
		xml_error(path, xmlGetLineNo(eff), 0, "until %s is before from %s",
		    until, from);
	if (never != NULL)
		content_credit_kinds(path, never, "kinds");
	if (scope != NULL && content_credit_domains(c, path, scope) == -1)
		return -1;
	return CONTENT_SQL(c, "INSERT INTO credit_regimes VALUES(?1, ?2, ?3, ?4,"
	    " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", id,
	    xml_text(xml_child(root, "title")), xml_text(xml_child(root,
	    "document")), from, until, scope ? content_prop(scope, "domains") :
	    NULL, scope ? xml_text(scope) : NULL, content_prop(count, "day"),
	    content_conf(count), xml_text(count), xml_text(xml_child(root,
	    "default-tier")), never ? content_prop(never, "kinds") : NULL,
	    never ? content_conf(never) : NULL, never ? xml_text(never) : NULL) ==
	    -1 ? -1 : 0;
}

/* Loads one regime file of content/credit; its id is its file name. */
static int
content_credit_file(struct content *c, const char *path, const char *id,
    const struct content_kind *k, xmlRelaxNGPtr rng)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	uint64_t	 own;
	int		 rc;

	(void)k;
	content_hash_file(&c->st->hash, &own, path, path + strlen(c->dir));
	if (!route_valid_id(id)) {
		xml_error(path, 1, 1, "file name must be lower-case letters, "
		    "digits and '-'");
		return 0;
	}
	if ((doc = xml_load(path, rng)) == NULL)
		return 0;
	root = xmlDocGetRootElement(doc);
	rc = content_credit_regime(c, path, id, root);
	if (rc == 0)
		rc = content_credit_rules(c, path, id, root, "tier-rule", "tier") |
		    content_credit_rules(c, path, id, root, "not-published",
		    "unpublished") | content_credit_rules(c, path, id, root,
		    "period", "period") | content_credit_items(c, path, id, root);
	xmlFreeDoc(doc);
	return rc ? -1 : 0;
}

/*
 * Reports regimes of the same scope in force on the same day: the
 * calculator could not tell which applies.
 */
static int
content_credit_overlaps(struct content *c, const char *dir)
{
	sqlite3_stmt	*st;
	char		 path[8192];

	if (sqlite3_prepare_v2(c->db, "SELECT a.id, b.id FROM credit_regimes a"
	    " JOIN credit_regimes b ON a.id < b.id AND"
	    " coalesce(a.domains, '') = coalesce(b.domains, '') AND"
	    " a.from_date <= coalesce(b.until_date, '9999') AND"
	    " b.from_date <= coalesce(a.until_date, '9999')", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(path, sizeof(path), "%s/%s.xml", dir,
		    (const char *)sqlite3_column_text(st, 1));
		xml_error(path, 1, 1, "in force on the same days as %s.xml, for "
		    "the same domains: give one an until date",
		    (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return 0;
}

/* Loads every regime of content/credit, at most CREDIT_MAX_REGIMES. */
static int
content_credit(struct content *c)
{
	char	 dir[4096];

	if (content_folder(c, "credit", "credit.rng", CREDIT_MAX_REGIMES,
	    content_credit_file, NULL) == -1 ||
	    content_join(dir, sizeof(dir), c->dir, "credit") == -1)
		return -1;
	return content_credit_overlaps(c, dir);
}

/* ---- content/search: the synonym list and the popular searches --------- */

/*
 * Splits list (words separated by spaces) into words[] (at most max, each
 * NUL-terminated in buf). Returns their number, or max + 1 when more.
 */
static int
content_words(const char *list, char *buf, size_t size, char **words, int max)
{
	char	*p, *save = NULL;
	int	 n = 0;

	snprintf(buf, size, "%s", list);
	for (p = strtok_r(buf, " ", &save); p != NULL; p = strtok_r(NULL, " ",
	    &save))
		if (n++ < max)
			words[n - 1] = p;
	return n;
}

/*
 * Stores one word of the list: what people say (means: its official terms,
 * tab-separated, "" for an official term itself; town for a place). A word
 * listed twice gathers the terms of both. Returns 0, or -1.
 */
static int
content_synonym(struct content *c, const char *path, int line,
    const char *word, const char *means, const char *town)
{
	struct buf	 norm = { 0 };
	int		 rc = 0;

	if (fts_normalize(&norm, word) == -1)
		return -1;
	if (norm.len == 0 || xmlUTF8Strlen((const xmlChar *)norm.data) >
	    ASK_MAX_WORD_CHARS)
		xml_error(path, line, 0, "“%s”不能作为搜索词：要有文字，最多 %d 个字 / "
		    "\"%s\" cannot be a search word: it needs letters, at most %d "
		    "characters", word, ASK_MAX_WORD_CHARS, word, ASK_MAX_WORD_CHARS);
	else
		rc = CONTENT_SQL(c, "INSERT INTO synonyms VALUES(?1, ?2, ?3)"
		    " ON CONFLICT(word) DO UPDATE SET means = CASE"
		    " WHEN means = '' THEN excluded.means WHEN excluded.means = ''"
		    " THEN means ELSE means || char(9) || excluded.means END,"
		    " town = coalesce(town, excluded.town)", norm.data, means,
		    town) | (*means == '\0' ? content_vocab(c, word, NULL) : 0);
	buf_free(&norm);
	return rc == -1 ? -1 : 0;
}

/* Stores the say words of el, each standing for means (and town). */
static int
content_says(struct content *c, const char *path, xmlNodePtr el,
    const char *means, const char *town)
{
	char	 buf[256], *w[64];
	int	 n, i, rc = 0;

	n = content_words(content_prop(el, "say"), buf, sizeof(buf), w, 64);
	for (i = 0; i < n && i < 64 && rc == 0; i++)
		rc = content_synonym(c, path, xmlGetLineNo(el), w[i], means, town);
	return rc;
}

/* One <entry say="…" means="…"/>: at most ASK_MAX_MEANS official terms. */
static int
content_entry_words(struct content *c, const char *path, xmlNodePtr e)
{
	char		 buf[256], *w[ASK_MAX_MEANS + 1];
	struct buf	 means = { 0 };
	int		 n, i, rc = 0;

	n = content_words(content_prop(e, "means"), buf, sizeof(buf), w,
	    ASK_MAX_MEANS + 1);
	if (n > ASK_MAX_MEANS) {
		xml_error(path, xmlGetLineNo(e), 0, "means 最多 %d 个词：分成两条 / "
		    "means takes at most %d terms: split the entry", ASK_MAX_MEANS,
		    ASK_MAX_MEANS);
		return 0;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = (i > 0 && buf_add(&means, "\t", 1) == -1) ||
		    buf_puts(&means, w[i]) == -1 ||
		    content_synonym(c, path, xmlGetLineNo(e), w[i], "", NULL) == -1;
	if (rc == 0 && buf_add(&means, "", 0) == 0)
		rc = content_says(c, path, e, means.data, NULL);
	buf_free(&means);
	return rc ? -1 : 0;
}

static int	content_place(struct content *, const char *, xmlNodePtr,
		    const char *);

/* Loads search/synonyms.xml, when there is one. */
static int
content_synonyms(struct content *c, const char *path)
{
	xmlRelaxNGPtr	 rng;
	xmlDocPtr	 doc;
	xmlNodePtr	 d, e;
	const char	*code, *town;
	int		 rc = 0;

	if ((rng = content_rng(c->dir, "synonyms.rng")) == NULL)
		return 0;
	doc = xml_load(path, rng);
	xmlRelaxNGFree(rng);
	if (doc == NULL)
		return 0;
	for (e = xml_child(xml_child(xmlDocGetRootElement(doc), "common"),
	    "entry"); e != NULL && rc == 0; e = xml_next(e, "entry"))
		rc = content_entry_words(c, path, e);
	for (d = xml_child(xmlDocGetRootElement(doc), "domain"); d != NULL &&
	    rc == 0; d = xml_next(d, "domain")) {
		code = content_prop(d, "code");
		rc = content_known_code(c, path, xmlGetLineNo(d), code, "domains",
		    "domain", "执法领域代码");
		for (e = xml_child(d, "entry"); e != NULL && rc == 0;
		    e = xml_next(e, "entry"))
			rc = content_entry_words(c, path, e);
	}
	for (e = xml_child(xmlDocGetRootElement(doc), "place"); e != NULL &&
	    rc == 0; e = xml_next(e, "place")) {
		town = content_prop(e, "town");
		if ((rc = content_known_code(c, path, xmlGetLineNo(e), town,
		    "towns", "town", "镇街代码")) == 0)
			rc = content_place(c, path, e, town);
	}
	xmlFreeDoc(doc);
	return rc;
}

/* A <place say="…" town="…"/>: each word stands for the town's name. */
static int
content_place(struct content *c, const char *path, xmlNodePtr e,
    const char *town)
{
	sqlite3_stmt	*st;
	char		 name[256] = "";
	int		 rc;

	if (sqlite3_prepare_v2(c->db, "SELECT name FROM towns WHERE code = ?1",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, town, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(name, sizeof(name), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	rc = content_says(c, path, e, name, town);
	return rc;
}

/* Loads search/popular.xml, when there is one. */
static int
content_popular(struct content *c, const char *path)
{
	xmlRelaxNGPtr	 rng;
	xmlDocPtr	 doc;
	xmlNodePtr	 q;
	int		 rc = 0;

	if ((rng = content_rng(c->dir, "popular.rng")) == NULL)
		return 0;
	doc = xml_load(path, rng);
	xmlRelaxNGFree(rng);
	if (doc == NULL)
		return 0;
	for (q = xml_child(xmlDocGetRootElement(doc), "q"); q != NULL && rc == 0;
	    q = xml_next(q, "q"))
		rc = CONTENT_SQL(c, "INSERT INTO popular(q) VALUES(?1)", xml_text(q));
	xmlFreeDoc(doc);
	return rc == -1 ? -1 : 0;
}

/*
 * Loads content/search (both files optional: without them search finds
 * what the words typed find), and adds domain and town names to the
 * vocabulary.
 */
static int
content_search_lists(struct content *c)
{
	char	 path[4096];

	if (content_join(path, sizeof(path), c->dir, "search/synonyms.xml") == 0 &&
	    access(path, F_OK) == 0) {
		content_hash_file(&c->st->hash, NULL, path, "search/synonyms.xml");
		if (content_synonyms(c, path) == -1)
			return -1;
	}
	if (content_join(path, sizeof(path), c->dir, "search/popular.xml") == 0 &&
	    access(path, F_OK) == 0) {
		content_hash_file(&c->st->hash, NULL, path, "search/popular.xml");
		if (content_popular(c, path) == -1)
			return -1;
	}
	return sqlite3_exec(c->db, "INSERT OR IGNORE INTO vocab SELECT name,"
	    " length(name), NULL FROM domains UNION SELECT name, length(name),"
	    " NULL FROM towns",
	    NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/*
 * Gives each file in content/static an address with its content's hash,
 * /static/NAME.HASH.EXT, so it can be cached for a year: a new version gets
 * a new address. nginx serves every such address from the plain file.
 */
static int
content_assets(struct content *c)
{
	struct dirent	**list;
	char		  dir[4096], path[8192], url[512];
	const char	 *dot;
	uint64_t	  h;
	int		  n, i, rc = 0;

	if (datadir_path(dir, sizeof(dir), c->dir, "static") == -1 ||
	    (n = scandir(dir, &list, NULL, alphasort)) == -1)
		return 0;
	for (i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.' && rc == 0 &&
		    content_join(path, sizeof(path), dir, list[i]->d_name) == 0 &&
		    (dot = strrchr(list[i]->d_name, '.')) != NULL) {
			content_hash_file(&c->st->hash, &h, path, list[i]->d_name);
			snprintf(url, sizeof(url), "/static/%.*s.%08x%s",
			    (int)(dot - list[i]->d_name), list[i]->d_name,
			    (unsigned)(h & 0xffffffffu), dot);
			rc = CONTENT_SQL(c, "INSERT INTO assets VALUES(?1, ?2)",
			    list[i]->d_name, url) == -1 ? -1 : 0;
		}
		free(list[i]);
	}
	free(list);
	return rc;
}

/* Reports related ids that name no content file, then keeps the links. */
static int
content_check_related(struct content *c)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(c->db, "SELECT path, line, target FROM "
	    "related_src WHERE target NOT IN (SELECT id FROM files)", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW)
		xml_error((const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int(st, 1), 0, "related item \"%s\" does not "
		    "exist", (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	return sqlite3_exec(c->db, "INSERT INTO related SELECT item_id,"
	    " row_number() OVER (PARTITION BY item_id), target FROM related_src",
	    NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Copies code names into items: no joins at request time. */
static int
content_names(struct content *c)
{
	return sqlite3_exec(c->db, "UPDATE items SET"
	    " domain_name = (SELECT name FROM domains WHERE code = domain),"
	    " town_name = (SELECT name FROM towns WHERE code = town),"
	    " topic_name = (SELECT name FROM topics WHERE code = topic)",
	    NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Creates the snapshot's tables in db. Returns 0, or -1 (logged). */
int
content_schema(sqlite3 *db)
{
	if (fts_register(db) == -1 ||
	    sqlite3_exec(db, content_tables, NULL, NULL, NULL) != SQLITE_OK) {
		log_warnx("sqlite: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static void
content_init(struct content *c, sqlite3 *db, const char *dir,
    struct content_stats *st, const char *today)
{
	time_t		 now = time(NULL) + 8 * 3600;	/* China time */
	struct tm	 tm;

	memset(c, 0, sizeof(*c));
	memset(st, 0, sizeof(*st));
	st->hash = 0xcbf29ce484222325ULL;
	c->db = db;
	c->dir = dir;
	c->st = st;
	if (today != NULL)
		snprintf(c->today, sizeof(c->today), "%s", today);
	else {
		gmtime_r(&now, &tm);
		strftime(c->today, sizeof(c->today), "%Y-%m-%d", &tm);
	}
}

/* Loads only site.xml into db (whose tables exist): for `import`. */
int
content_load_site(sqlite3 *db, const char *dir)
{
	struct content_stats	 st;
	struct content		 c;

	int			 rc;

	content_init(&c, db, dir, &st, NULL);
	rc = content_site(&c);
	content_stmt_free(&c);
	return rc;
}

/* What the top folder holds besides item folders, and is not reported. */
static const char *const content_top[] = { "site.xml", "README.md", "laws", "cases",
    "guides", "pufa", "credit", "penalties", "schema", "static", "search",
    "media", NULL };

/* Reports a folder in the top folder that is not one of content_top's. */
static void
content_unknown_folder(const char *path, const char *name)
{
	static const char *const folders[] = { "cases", "guides", "pufa",
	    "credit", "penalties", "laws", NULL };
	const char	*near = NULL;
	int		 i;

	for (i = 0; folders[i] != NULL; i++)
		if (xmlmsg_distance(folders[i], name) <= 2)
			near = folders[i];
	if (near != NULL)
		xml_error(path, 1, 1, "没有 %s 这个文件夹，里面的文件不会发布：是不是想用 "
		    "%s/？把文件移过去 / there is no folder %s, and nothing in it is "
		    "published: did you mean %s/? move the files there", name, near,
		    name, near);
	else
		xml_error(path, 1, 1, "没有 %s 这个文件夹，里面的文件不会发布：案例放 "
		    "cases/，指南放 guides/，普法资料放 pufa/ / there is no folder %s, "
		    "and nothing in it is published: cases go in cases/, guides in "
		    "guides/, materials in pufa/", name, name);
}

/*
 * Reports what the top folder and penalties/ hold that is never loaded.
 * Other XML files in penalties/ are feeds kept for `fazhi import`: only
 * records.xml is published, as content/README.md says.
 */
static void
content_others(struct content *c, const char *folder)
{
	struct dirent	**list;
	struct stat	  sb;
	char		  dir[4096], path[8192];
	int		  n, i, k, known, is_dir;

	if (*folder == '\0')
		snprintf(dir, sizeof(dir), "%s", c->dir);
	else if (content_join(dir, sizeof(dir), c->dir, folder) == -1)
		return;
	if ((n = scandir(dir, &list, content_entry, alphasort)) == -1)
		return;
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;

		for (known = 0, k = 0; *folder == '\0' && content_top[k]; k++)
			known |= strcmp(name, content_top[k]) == 0;
		if (*folder != '\0' && content_is_xml(name))
			known = 1;
		if (!known && content_join(path, sizeof(path), dir, name) == 0) {
			is_dir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
			if (*folder == '\0' && is_dir && name[0] != '.')
				content_unknown_folder(path, name);
			else if (*folder == '\0' && content_is_xml(name))
				xml_error(path, 1, 1, "内容文件要放在 cases/、guides/、pufa/ "
				    "或 credit/ 文件夹里，直接放在这里不会发布：按内容移过去 / "
				    "content files go in cases/, guides/, pufa/ or "
				    "credit/; here it is not published: move it");
			else
				content_stray(path, name, is_dir, *folder == '\0');
		}
		free(list[i]);
	}
	free(list);
}

/* Is name a smaller width of a stored image: HASH-WIDTH.ext? */
static int
content_media_variant(const char *name)
{
	const char	*dash = strchr(name, '-'), *dot = strrchr(name, '.');
	char		 base[MEDIA_NAME_SIZE];

	if (dash == NULL || dot == NULL || dot < dash + 2 ||
	    strspn(dash + 1, "0123456789") != (size_t)(dot - dash - 1))
		return 0;
	snprintf(base, sizeof(base), "%.*s%.8s", (int)(dash - name), name, dot);
	return media_name_kind(base) != MEDIA_NONE &&
	    media_name_kind(base) != MEDIA_PDF;
}

/*
 * Reports what content/media/ holds that nginx never serves: anything but
 * the stored names of media.c (a warning; a leftover of an interrupted
 * copy, *.tmp.PID, too).
 */
static void
content_media_folder(struct content *c)
{
	struct dirent	**list;
	char		  dir[4096], path[8192];
	int		  n, i;

	if (content_join(dir, sizeof(dir), c->dir, "media") == -1 ||
	    (n = scandir(dir, &list, content_entry, alphasort)) == -1)
		return;
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;

		if (name[0] != '.' && media_name_kind(name) == MEDIA_NONE &&
		    !content_media_variant(name) &&
		    content_join(path, sizeof(path), dir, name) == 0)
			xml_warning(path, 1, 1, "media/ 里只放工作台上传的图片和附件"
			    "（名字由网站生成），这个文件不会被使用 / media/ holds "
			    "only files uploaded in the console (named by the site); "
			    "this one is never used");
		free(list[i]);
	}
	free(list);
}

/*
 * Loads the content folder dir into db, whose tables content_schema()
 * made. today (YYYY-MM-DD, or NULL for now) is the date penalty records are
 * checked against. Returns 0 when nothing failed but the content itself;
 * content errors are counted by xml_errors(). -1 on a database failure.
 */
int
content_load(sqlite3 *db, const char *dir, const char *today,
    struct content_stats *st)
{
	struct content	 c;
	size_t		 i;

	int		 rc = -1;

	content_init(&c, db, dir, st, today);
	if ((c.no_site = content_site(&c) == -1) && xml_errors() == 0)
		goto done;
	/* Laws first: the items' legal bases are checked against them. */
	if (content_folder(&c, "laws", "law.rng", CONTENT_MAX_FILES, content_law,
	    NULL) == -1)
		goto done;
	for (i = 0; i < sizeof(content_kinds) / sizeof(content_kinds[0]); i++)
		if (content_folder(&c, content_kinds[i].folder,
		    content_kinds[i].schema, CONTENT_MAX_FILES, content_item,
		    &content_kinds[i]) == -1)
			goto done;
	content_others(&c, "");
	content_others(&c, "penalties");
	content_media_folder(&c);
	if (content_credit(&c) == 0 && content_penalties(&c) == 0 &&
	    content_check_related(&c) == 0 &&
	    content_names(&c) == 0 && content_assets(&c) == 0 &&
	    content_search_lists(&c) == 0 && content_index(&c) == 0 &&
	    content_search(&c) == 0)
		rc = 0;
done:
	buf_free(&c.text);
	buf_free(&c.words);
	content_stmt_free(&c);
	return rc;
}
