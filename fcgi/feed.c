/*
 * feed.c: writes Atom feeds and the sitemap with libxml2's xmlTextWriter, so
 * escaping and well-formedness are the library's job, never string pasting.
 * Pure: the caller gathers the entries; nothing here reads the snapshot.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "buf.h"
#include "feed.h"
#include "log.h"

#define ATOM_NS		"http://www.w3.org/2005/Atom"
#define SITEMAP_NS	"http://www.sitemaps.org/schemas/sitemap/0.9"

/* Formats Unix time t as an RFC 3339 date-time in UTC into dst[21]. */
static const char *
feed_time(int64_t t, char dst[21])
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	strftime(dst, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return dst;
}

/* <link rel="rel" href="href"/>, when href is set. */
static int
feed_link(xmlTextWriterPtr w, const char *rel, const char *type,
    const char *href)
{
	if (href == NULL)
		return 0;
	if (xmlTextWriterStartElement(w, BAD_CAST "link") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST rel) < 0 ||
	    (type != NULL && xmlTextWriterWriteAttribute(w, BAD_CAST "type",
	    BAD_CAST type) < 0) ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST href) < 0)
		return -1;
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* <name>text</name>, or nothing when text is NULL. */
static int
feed_element(xmlTextWriterPtr w, const char *name, const char *text)
{
	if (text == NULL)
		return 0;
	return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST text) < 0 ?
	    -1 : 0;
}

static int
feed_entry(xmlTextWriterPtr w, const struct feed_entry *e)
{
	char	 t[21], pub[32];

	if (xmlTextWriterStartElement(w, BAD_CAST "entry") < 0 ||
	    feed_element(w, "id", e->id) == -1 ||
	    feed_element(w, "title", e->title) == -1 ||
	    feed_element(w, "updated", feed_time(e->updated, t)) == -1 ||
	    feed_link(w, "alternate", "text/html", e->link) == -1)
		return -1;
	if (e->published != NULL) {
		/* A publication date is a day in China: its midnight there. */
		snprintf(pub, sizeof(pub), "%.10sT00:00:00+08:00", e->published);
		if (feed_element(w, "published", pub) == -1)
			return -1;
	}
	if (xmlTextWriterStartElement(w, BAD_CAST "summary") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "text") < 0 ||
	    xmlTextWriterWriteString(w, BAD_CAST (e->summary ? e->summary : "")) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* The feed's own elements, before its entries. */
static int
feed_head(xmlTextWriterPtr w, const struct feed *f)
{
	char	 t[21];

	if (xmlTextWriterStartElement(w, BAD_CAST "feed") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST ATOM_NS) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang", BAD_CAST "zh-CN") < 0 ||
	    feed_element(w, "id", f->id) == -1 ||
	    feed_element(w, "title", f->title) == -1 ||
	    feed_element(w, "subtitle", f->subtitle) == -1 ||
	    feed_element(w, "updated", feed_time(f->updated, t)) == -1)
		return -1;
	if (xmlTextWriterStartElement(w, BAD_CAST "author") < 0 ||
	    feed_element(w, "name", f->author) == -1 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	if (feed_link(w, "self", "application/atom+xml", f->self) == -1 ||
	    feed_link(w, "alternate", "text/html", f->alternate) == -1 ||
	    feed_link(w, "first", NULL, f->first) == -1 ||
	    feed_link(w, "previous", NULL, f->previous) == -1 ||
	    feed_link(w, "next", NULL, f->next) == -1 ||
	    feed_link(w, "last", NULL, f->last) == -1)
		return -1;
	return 0;
}

/*
 * Opens a writer into a fresh libxml2 buffer. Returns the writer, or NULL
 * (logged) when memory runs out; *xb is then NULL too.
 */
static xmlTextWriterPtr
feed_open(xmlBufferPtr *xb)
{
	xmlTextWriterPtr	 w;

	if ((*xb = xmlBufferCreate()) == NULL) {
		log_warnx("feed: out of memory");
		return NULL;
	}
	if ((w = xmlNewTextWriterMemory(*xb, 0)) == NULL) {
		log_warnx("feed: out of memory");
		xmlBufferFree(*xb);
		*xb = NULL;
		return NULL;
	}
	if (xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0) {
		xmlFreeTextWriter(w);
		xmlBufferFree(*xb);
		*xb = NULL;
		return NULL;
	}
	return w;
}

/*
 * Ends the document when ok, frees the writer and appends the text to out.
 * Returns 0, or -1 (logged) when anything failed.
 */
static int
feed_close(xmlTextWriterPtr w, xmlBufferPtr xb, int ok, struct buf *out)
{
	int	 rc = -1;

	if (ok && xmlTextWriterEndDocument(w) >= 0)
		rc = 0;
	xmlFreeTextWriter(w);		/* flushes into xb */
	if (rc == 0 && buf_add(out, xmlBufferContent(xb),
	    (size_t)xmlBufferLength(xb)) == -1)
		rc = -1;
	if (rc == -1)
		log_warnx("feed: could not write the document");
	xmlBufferFree(xb);
	return rc;
}

/*
 * Writes feed f as an Atom 1.0 document (RFC 4287) and appends it to out.
 * The entries come in the order given (newest first). Returns 0, or -1
 * (logged) on a writer error or when memory runs out.
 */
int
feed_atom(const struct feed *f, struct buf *out)
{
	xmlTextWriterPtr	 w;
	xmlBufferPtr		 xb;
	size_t			 i;
	int			 ok;

	if ((w = feed_open(&xb)) == NULL)
		return -1;
	ok = feed_head(w, f) == 0;
	for (i = 0; ok && i < f->n; i++)
		ok = feed_entry(w, &f->entries[i]) == 0;
	return feed_close(w, xb, ok, out);
}

/*
 * Writes the n addresses in urls as a sitemap (sitemaps.org 0.9) and appends
 * it to out. The caller keeps n within FEED_SITEMAP_MAX. Returns 0, or -1
 * (logged).
 */
int
feed_sitemap(const struct feed_url *urls, size_t n, struct buf *out)
{
	xmlTextWriterPtr	 w;
	xmlBufferPtr		 xb;
	char			 t[21];
	size_t			 i;
	int			 ok;

	if ((w = feed_open(&xb)) == NULL)
		return -1;
	ok = xmlTextWriterStartElement(w, BAD_CAST "urlset") >= 0 &&
	    xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST SITEMAP_NS) >= 0;
	for (i = 0; ok && i < n && i < FEED_SITEMAP_MAX; i++)
		ok = xmlTextWriterStartElement(w, BAD_CAST "url") >= 0 &&
		    feed_element(w, "loc", urls[i].loc) == 0 &&
		    (urls[i].lastmod == 0 || feed_element(w, "lastmod",
		    feed_time(urls[i].lastmod, t)) == 0) &&
		    xmlTextWriterEndElement(w) >= 0;
	return feed_close(w, xb, ok, out);
}

/*
 * Writes the n sitemap files in maps as a sitemap index (sitemaps.org 0.9)
 * and appends it to out. An index, too, lists at most FEED_SITEMAP_MAX.
 * Returns 0, or -1 (logged).
 */
int
feed_sitemap_index(const struct feed_url *maps, size_t n, struct buf *out)
{
	xmlTextWriterPtr	 w;
	xmlBufferPtr		 xb;
	char			 t[21];
	size_t			 i;
	int			 ok;

	if ((w = feed_open(&xb)) == NULL)
		return -1;
	ok = xmlTextWriterStartElement(w, BAD_CAST "sitemapindex") >= 0 &&
	    xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST SITEMAP_NS) >= 0;
	for (i = 0; ok && i < n && i < FEED_SITEMAP_MAX; i++)
		ok = xmlTextWriterStartElement(w, BAD_CAST "sitemap") >= 0 &&
		    feed_element(w, "loc", maps[i].loc) == 0 &&
		    (maps[i].lastmod == 0 || feed_element(w, "lastmod",
		    feed_time(maps[i].lastmod, t)) == 0) &&
		    xmlTextWriterEndElement(w) >= 0;
	return feed_close(w, xb, ok, out);
}
