/* test_itemform.c: the editor's form to XML and back, for every kind, and its limits. */
/* checks: 32 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "itemform.h"
#include "unit.h"

static struct form	 f;

/* Parses a form body given as a C string. */
static int
parse(const char *body)
{
	return form_parse(&f, body, strlen(body));
}

/* The XML of the form body for an item of section (free). */
static char *
xml_of(const char *section, const char *body, const char *action,
    struct itemform *ff)
{
	size_t	 len;

	itemform_init(ff, itemform_kind_of(section));
	parse(body);
	itemform_from_post(ff, &f, action);
	return itemform_to_xml(ff, &len);
}

/* The index of the field whose key is key, or -1. */
static int
field(const struct itemform *ff, const char *key)
{
	int	 i;

	for (i = 0; i < ff->k->nfields; i++)
		if (strcmp(ff->k->fields[i].key, key) == 0)
			return i;
	return -1;
}

/* Cell c of row r of the field whose key is key. */
static const char *
cell(const struct itemform *ff, const char *key, int r, int c)
{
	int	 i;

	for (i = 0; i < ff->k->nfields; i++)
		if (strcmp(ff->k->fields[i].key, key) == 0)
			return r < ff->f[i].n ? ff->f[i].cell[r][c] : NULL;
	return NULL;
}

static void
test_itemform_text(void)
{
	struct itemform	 ff;
	char		*x;

	x = xml_of("cases", "title=%3Cscript%3Ex%3C%2Fscript%3E&facts=a%0D%0A%0D%0Ab+**c**+*d*+%5Be%5D(%2Fcredit%2F)"
	    "&outcome=-+x%0A-+y&gist=1.+p%0A2.+q&explanation=%23%23+H%0A%0Atext", NULL, &ff);
	UNIT_CHECK(x != NULL && strstr(x, "<title>&lt;script&gt;x&lt;/script&gt;</title>") != NULL,
	    "itemform: typed markup is text in the XML");
	UNIT_CHECK(x && strstr(x, "<facts>\n    <p>a</p>\n    <p>b <strong>c</strong> <em>d</em> "
	    "<a href=\"/credit/\">e</a></p>\n  </facts>") != NULL,
	    "itemform: paragraphs at blank lines; **, * and [](): strong, em, a");
	UNIT_CHECK(x && strstr(x, "<outcome>\n    <ul>\n      <li>x</li>\n      <li>y</li>") != NULL,
	    "itemform: lines of \"- \" are a list");
	UNIT_CHECK(x && strstr(x, "<ol>\n      <li>p</li>\n      <li>q</li>") != NULL,
	    "itemform: lines of \"1. \" are a numbered list");
	UNIT_CHECK(x && strstr(x, "<h>H</h>") != NULL, "itemform: \"## \" is a sub-heading");
	UNIT_CHECK(x && strstr(x, "<published>") == NULL, "itemform: an empty field is left out");
	itemform_free(&ff);
	itemform_init(&ff, itemform_kind_of("cases"));
	UNIT_CHECK(x && itemform_from_xml(&ff, x, strlen(x)) == 0 &&
	    strcmp(itemform_value(&ff, "facts"), "a\n\nb **c** *d* [e](/credit/)") == 0 &&
	    strcmp(itemform_value(&ff, "outcome"), "- x\n- y") == 0 &&
	    strcmp(itemform_value(&ff, "gist"), "1. p\n2. q") == 0 &&
	    strcmp(itemform_value(&ff, "title"), "<script>x</script>") == 0,
	    "itemform: the XML reads back into the same form text");
	itemform_free(&ff);
	free(x);
}

static void
test_itemform_word(void)
{
	struct itemform	 ff;
	char		*x;

	/* a no-break space and a zero-width space, as Word pastes them */
	x = xml_of("cases", "title=%E6%A1%88%C2%A0%E4%BE%8B%E2%80%8B", NULL, &ff);
	UNIT_CHECK(x && strstr(x, "<title>案 例</title>") != NULL,
	    "itemform: pasted text is cleaned as the build cleans files");
	itemform_free(&ff);
	free(x);
}

static void
test_itemform_guide(void)
{
	struct itemform	 ff, back;
	char		*x;

	x = xml_of("guides", "title=T&step_title1=S1&step_body1=B1&step_title2=S2&step_body2=B2"
	    "&doc1=**D**&faq_q1=Q&faq_a1=A&faq_q2=Q2&faq_a2=A2&law_title1=L", NULL, &ff);
	UNIT_CHECK(x && strstr(x, "<steps>\n    <step>\n      <title>S1</title>\n      <p>B1</p>\n"
	    "    </step>") != NULL, "itemform: a guide's step is its title and its blocks");
	UNIT_CHECK(x && strstr(x, "<doc>\n      <strong>D</strong>\n    </doc>") != NULL,
	    "itemform: a document takes inline markup");
	UNIT_CHECK(x && strstr(x, "<faq>\n    <q>Q</q>\n    <a>\n      <p>A</p>") != NULL,
	    "itemform: questions are <faq> at the root, the answer blocks");
	UNIT_CHECK(x && strstr(x, "<basis>") > strstr(x, "<faq>"), "itemform: schema order");
	itemform_init(&back, ff.k);
	UNIT_CHECK(x && itemform_from_xml(&back, x, strlen(x)) == 0 &&
	    strcmp(cell(&back, "step", 1, 0), "S2") == 0 &&
	    strcmp(cell(&back, "step", 1, 1), "B2") == 0 &&
	    strcmp(cell(&back, "doc", 0, 0), "**D**") == 0 &&
	    strcmp(cell(&back, "faq", 1, 1), "A2") == 0,
	    "itemform: a guide reads back row by row");
	itemform_free(&back);
	itemform_free(&ff);
	free(x);
	/* moved up: row 2 before row 1, typed text kept */
	x = xml_of("guides", "step_title1=S1&step_title2=S2&faq_q1=Q", "up-step-2", &ff);
	UNIT_CHECK(strcmp(cell(&ff, "step", 0, 0), "S2") == 0 &&
	    strcmp(cell(&ff, "step", 1, 0), "S1") == 0, "itemform: up-KEY-N moves row N up");
	itemform_free(&ff);
	free(x);
	x = xml_of("guides", "step_title1=S1&step_title2=S2&step_title3=S3", "down-step-1", &ff);
	UNIT_CHECK(strcmp(cell(&ff, "step", 0, 0), "S2") == 0 &&
	    strcmp(cell(&ff, "step", 1, 0), "S1") == 0 &&
	    strcmp(cell(&ff, "step", 2, 0), "S3") == 0, "itemform: down-KEY-N moves row N down");
	itemform_free(&ff);
	free(x);
	x = xml_of("guides", "step_title1=S1&step_title2=S2", "del-step-1", &ff);
	UNIT_CHECK(strcmp(cell(&ff, "step", 0, 0), "S2") == 0 && cell(&ff, "step", 1, 0) == NULL,
	    "itemform: del-KEY-N removes row N");
	itemform_free(&ff);
	free(x);
	x = xml_of("guides", "step_title1=S1&step_rows=3", "add-step", &ff);
	UNIT_CHECK(itemform_rows_shown(&ff, field(&ff, "step")) == 4, "itemform: add-KEY shows one more row");
	itemform_free(&ff);
	free(x);
}

static void
test_itemform_material(void)
{
	struct itemform	 ff, back;
	char		*x;

	x = xml_of("pufa", "kind=campaign&title=T&topic=xianfa&event_start=2026-12-01"
	    "&event_start_time=09%3A00&event_end=2026-12-07&event_place=P&qa_q1=Q&qa_a1=A", NULL, &ff);
	UNIT_CHECK(x && strstr(x, "<material status=\"published\" kind=\"campaign\">") != NULL,
	    "itemform: a material's kind is an attribute of the root");
	UNIT_CHECK(x && strstr(x, "<event>\n    <start>2026-12-01T09:00:00</start>\n"
	    "    <end>2026-12-07</end>\n    <place>P</place>\n  </event>") != NULL,
	    "itemform: an event's dates, with a time when one is given");
	itemform_init(&back, ff.k);
	UNIT_CHECK(x && itemform_from_xml(&back, x, strlen(x)) == 0 &&
	    strcmp(itemform_value(&back, "kind"), "campaign") == 0 &&
	    strcmp(cell(&back, "event", 0, 0), "2026-12-01") == 0 &&
	    strcmp(cell(&back, "event", 0, 1), "09:00") == 0 &&
	    strcmp(cell(&back, "event", 0, 2), "2026-12-07") == 0 &&
	    strcmp(cell(&back, "event", 0, 3), "") == 0 &&
	    strcmp(cell(&back, "qa", 0, 0), "Q") == 0,
	    "itemform: a material reads back, the time apart from the date");
	itemform_free(&back);
	itemform_free(&ff);
	free(x);
}

/* A legal basis: a law id and its numbers, or (guides, materials) a title. */
static void
test_itemform_laws(void)
{
	struct itemform	 ff, back;
	char		*x, *y;
	size_t		 len;

	x = xml_of("cases", "law_ref1=xiaofang-fa&law_article1=60&law_paragraph1=1&law_item1=3"
	    "&law_ref2=&law_article2=&law_ref3=xingzheng-chufa-fa&law_article3=276-1"
	    "&law_title4=%E3%80%8AX%E3%80%8B&law_article4=%E7%AC%AC%E4%B8%80%E6%9D%A1", NULL, &ff);
	UNIT_CHECK(x && strstr(x, "<basis>\n    <law ref=\"xiaofang-fa\" article=\"60\" "
	    "paragraph=\"1\" item=\"3\"/>\n    <law ref=\"xingzheng-chufa-fa\" "
	    "article=\"276-1\"/>\n    <law article=\"第一条\" title=\"《X》\"/>\n  "
	    "</basis>") != NULL, "itemform: a basis is a law id and its numbers; "
	    "an emptied row is removed; a title-only row keeps its title");
	itemform_init(&back, itemform_kind_of("cases"));
	UNIT_CHECK(x && itemform_from_xml(&back, x, strlen(x)) == 0 &&
	    strcmp(cell(&back, "law", 0, 0), "xiaofang-fa") == 0 &&
	    strcmp(cell(&back, "law", 0, 2), "1") == 0 &&
	    strcmp(cell(&back, "law", 0, 3), "3") == 0 &&
	    strcmp(cell(&back, "law", 1, 1), "276-1") == 0 &&
	    strcmp(cell(&back, "law", 1, 3), "") == 0 &&
	    strcmp(cell(&back, "law", 2, 4), "《X》") == 0,
	    "itemform: the basis reads back from the XML");
	y = itemform_to_xml(&back, &len);
	UNIT_CHECK(x && y && strcmp(x, y) == 0, "itemform: and round-trips to the same XML");
	itemform_free(&ff);
	itemform_free(&back);
	free(x);
	free(y);
}

static void
test_itemform_limits(void)
{
	struct itemform	 ff;
	char		 body[32768] = "title=x";
	const char	*doc = "<case status=\"published\">\n<title>t</title>\n"
			    "<basis>\n<law title=\"x\"/>\n</basis>\n</case>";
	size_t		 n = strlen(body);
	int		 i, nlaws = -1, nrel = -1, nkw = -1;

	for (i = 1; i <= ITEMFORM_MAX_ROWS + ITEMFORM_SPARE_ROWS; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
		    "&law_ref%d=l%d&law_article%d=%d&law_paragraph%d=1&law_item%d=2"
		    "&law_title%d=%%E3%%80%%8AL%d%%E3%%80%%8B&related%d=r%d", i, i, i, i,
		    i, i, i, i, i, i);
	for (i = 1; i <= CONTENT_MAX_KEYWORDS + 1; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "&keyword%d=k%d", i, i);
	UNIT_CHECK(parse(body) == 0, "itemform: a full form parses (%zu fields)", f.nfields);
	itemform_init(&ff, itemform_kind_of("cases"));
	itemform_from_post(&ff, &f, NULL);
	for (i = 0; i < ff.k->nfields; i++) {
		if (strcmp(ff.k->fields[i].key, "law") == 0)
			nlaws = ff.f[i].n;
		if (strcmp(ff.k->fields[i].key, "related") == 0)
			nrel = ff.f[i].n;
		if (strcmp(ff.k->fields[i].key, "keyword") == 0)
			nkw = ff.f[i].n;
	}
	UNIT_CHECK(nlaws == ITEMFORM_MAX_ROWS, "itemform: at most ITEMFORM_MAX_ROWS legal bases");
	UNIT_CHECK(nrel == ITEMFORM_MAX_ROWS, "itemform: at most ITEMFORM_MAX_ROWS related items");
	UNIT_CHECK(nkw == CONTENT_MAX_KEYWORDS && strcmp(cell(&ff, "keyword", nkw - 1, 0), "k7") == 0,
	    "itemform: CONTENT_MAX_KEYWORDS keywords, the next is not read");
	UNIT_CHECK(itemform_rows_shown(&ff, field(&ff, "keyword")) == CONTENT_MAX_KEYWORDS,
	    "itemform: never more keyword boxes than keywords taken");
	itemform_free(&ff);
	UNIT_CHECK(itemform_line_field(doc, strlen(doc), 4, body, 32) == 0 &&
	    strcmp(body, "basis") == 0, "itemform: a line inside an element is that element's field");
	for (i = 0; i < itemform_nkinds; i++)
		UNIT_CHECK(itemform_kinds[i].nfields <= ITEMFORM_MAX_FIELDS,
		    "itemform: %s has at most ITEMFORM_MAX_FIELDS fields", itemform_kinds[i].kind);
}

int
main(void)
{
	test_itemform_text();
	test_itemform_word();
	test_itemform_guide();
	test_itemform_material();
	test_itemform_laws();
	test_itemform_limits();
	return unit_done();
}
