/*
 * fuzz_xml.c: libFuzzer harness for the content loader: hardened parsing and
 * RELAX NG validation (xml.c) of a case, then the body markup to HTML and
 * text (markup.c) for a document that passes. Run from the repository root:
 * it reads content/schema/case.rng once.
 */
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "markup.h"
#include "xml.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static xmlRelaxNGPtr	 rng;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 b = { 0 };
	xmlDocPtr	 doc;
	xmlNodePtr	 n;

	static const char *const none[] = { "/report-nothing" };

	if (rng == NULL) {
		xml_init();
		if ((rng = xml_schema("content/schema/case.rng")) == NULL)
			abort();
		xml_only(none, 1);	/* content errors are expected: not printed */
	}
	if ((doc = xml_parse("fuzz.xml", (const char *)data, size, rng)) == NULL)
		return 0;
	for (n = xmlDocGetRootElement(doc)->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE) {
			buf_reset(&b);
			markup_html(&b, n->children);
			markup_text(&b, n->children, 40);
		}
	buf_free(&b);
	xmlFreeDoc(doc);
	return 0;
}
