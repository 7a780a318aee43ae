/* test_xmlchar.c: unit tests for xmlchar.c (the character policy) and xmlmsg_distance. */
/* checks: 19 */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "xml.h"
#include "xmlchar.h"
#include "xmlmsg.h"
#include "unit.h"

/* The text of <p> in <p>in</p> after cleaning, copied into out. */
static const char *
cleaned(const char *in, char *out, size_t n)
{
	char		 xml[512];
	xmlDocPtr	 doc;
	xmlChar		*t, *a;

	snprintf(xml, sizeof(xml), "<p a=\"%s\">%s</p>", in, in);
	if ((doc = xmlReadMemory(xml, (int)strlen(xml), "t.xml", "UTF-8",
	    XML_PARSE_NONET)) == NULL)
		return "(not parsed)";
	xmlchar_clean(doc);
	t = xmlNodeGetContent(xmlDocGetRootElement(doc));
	a = xmlGetProp(xmlDocGetRootElement(doc), (const xmlChar *)"a");
	snprintf(out, n, "%s", strcmp((char *)t, (char *)a) == 0 ? (char *)t :
	    "(attribute cleaned otherwise)");
	xmlFree(t);
	xmlFree(a);
	xmlFreeDoc(doc);
	return out;
}

int
main(void)
{
	char	 buf[256];

	xml_init();
	UNIT_STREQ(cleaned("责令该\xe2\x80\x8b公司", buf, sizeof(buf)), "责令该公司",
	    "U+200B is removed, in text and attributes");
	UNIT_STREQ(cleaned("a\xc2\xa0" "b", buf, sizeof(buf)), "a b",
	    "U+00A0 becomes a space");
	UNIT_STREQ(cleaned("\xe2\x80\x8c\xe2\x80\x8d\xe2\x81\xa0\xef\xbb\xbf"
	    "\xc2\xad\xe2\x80\x8e\xe2\x80\x8fx", buf, sizeof(buf)), "x",
	    "U+200C U+200D U+2060 U+FEFF U+00AD U+200E U+200F are removed");
	UNIT_STREQ(cleaned("\xe2\x80\xaf" "x\xe2\x80\x87", buf, sizeof(buf)), " x ",
	    "U+202F and U+2007 become spaces");
	UNIT_STREQ(cleaned("法治　公开", buf, sizeof(buf)), "法治　公开",
	    "the ideographic space U+3000 is kept");

	UNIT_CHECK(xmlchar_scan("t.xml", "<p>ok</p>", 9) == 0, "plain text passes");
	UNIT_CHECK(xmlchar_scan("t.xml", "\xef\xbb\xbf<p/>", 7) == 0,
	    "a byte-order mark at the start passes");
	UNIT_CHECK(xmlchar_scan("t.xml", "<p>\x0b\x0b\x0c</p>", 10) == 2,
	    "U+000B twice and U+000C: two errors, one per character");
	UNIT_CHECK(xmlchar_scan("t.xml", "<p>\xe2\x80\xae</p>", 10) == 1,
	    "U+202E is refused");
	UNIT_CHECK(xmlchar_scan("t.xml", "<p>\xef\x82\xb7</p>", 10) == 1,
	    "U+F0B7 is refused");
	UNIT_CHECK(xmlchar_scan("t.xml", "<p>\xe2\x80\xa8</p>", 10) == 1,
	    "U+2028 is refused");
	UNIT_CHECK(xmlchar_scan("t.xml", "<p>\xff</p>", 8) == 1,
	    "a byte that is not UTF-8 is one error");
	UNIT_CHECK(xmlchar_scan("t.xml", "<p>\xc2\xa0\xe2\x80\x8b</p>", 12) == 0,
	    "characters the build cleans are not errors");
	UNIT_CHECK(xml_errors() == 6, "each error was reported (%d)", xml_errors());

	UNIT_CHECK(xmlmsg_distance("titel", "title") == 1, "a swap costs 1");
	UNIT_CHECK(xmlmsg_distance("outcom", "outcome") == 1, "a letter left out costs 1");
	UNIT_CHECK(xmlmsg_distance("gist", "list") == 1, "a letter changed costs 1");
	UNIT_CHECK(xmlmsg_distance("", "abc") == 3, "from nothing: the length");
	UNIT_CHECK(xmlmsg_distance("abc", "abc") == 0, "the same: 0");
	return unit_done();
}
