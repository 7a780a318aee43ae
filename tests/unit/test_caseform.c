/* test_caseform.c: the case editor's form to XML and back, and its limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseform.h"
#include "form.h"
#include "unit.h"

static struct form	 f;

/* Parses a form body given as a C string. */
static int
parse(const char *body)
{
	return form_parse(&f, body, strlen(body));
}

/* The XML of the form body (free). */
static char *
xml_of(const char *body, struct caseform *cf)
{
	size_t	 len;

	caseform_init(cf);
	parse(body);
	caseform_from_post(cf, &f);
	return caseform_to_xml(cf, &len);
}

static void
test_caseform_text(void)
{
	struct caseform	 cf;
	char		*x;

	x = xml_of("title=%3Cscript%3Ex%3C%2Fscript%3E&facts=a%0D%0A%0D%0Ab+**c**+*d*+%5Be%5D(%2Fcredit%2F)"
	    "&outcome=-+x%0A-+y&gist=1.+p%0A2.+q&explanation=%23%23+H%0A%0Atext", &cf);
	UNIT_CHECK(x != NULL && strstr(x, "<title>&lt;script&gt;x&lt;/script&gt;</title>") != NULL,
	    "caseform: typed markup is text in the XML");
	UNIT_CHECK(x && strstr(x, "<facts>\n    <p>a</p>\n    <p>b <strong>c</strong> <em>d</em> "
	    "<a href=\"/credit/\">e</a></p>\n  </facts>") != NULL,
	    "caseform: paragraphs at blank lines; **, * and [](): strong, em, a");
	UNIT_CHECK(x && strstr(x, "<outcome>\n    <ul>\n      <li>x</li>\n      <li>y</li>") != NULL,
	    "caseform: lines of \"- \" are a list");
	UNIT_CHECK(x && strstr(x, "<ol>\n      <li>p</li>\n      <li>q</li>") != NULL,
	    "caseform: lines of \"1. \" are a numbered list");
	UNIT_CHECK(x && strstr(x, "<h>H</h>") != NULL, "caseform: \"## \" is a sub-heading");
	UNIT_CHECK(x && strstr(x, "<published>") == NULL, "caseform: an empty field is left out");
	caseform_free(&cf);
	caseform_init(&cf);
	UNIT_CHECK(x && caseform_from_xml(&cf, x, strlen(x)) == 0 &&
	    strcmp(cf.sections[CASEFORM_FACTS], "a\n\nb **c** *d* [e](/credit/)") == 0 &&
	    strcmp(cf.sections[CASEFORM_OUTCOME], "- x\n- y") == 0 &&
	    strcmp(cf.sections[CASEFORM_GIST], "1. p\n2. q") == 0 &&
	    strcmp(cf.title, "<script>x</script>") == 0,
	    "caseform: the XML reads back into the same form text");
	caseform_free(&cf);
	free(x);
}

static void
test_caseform_word(void)
{
	struct caseform	 cf;
	char		*x;

	/* a no-break space and a zero-width space, as Word pastes them */
	x = xml_of("title=%E6%A1%88%C2%A0%E4%BE%8B%E2%80%8B", &cf);
	UNIT_CHECK(x && strstr(x, "<title>案 例</title>") != NULL,
	    "caseform: pasted text is cleaned as the build cleans files");
	caseform_free(&cf);
	free(x);
}

static void
test_caseform_laws(void)
{
	struct caseform	 cf;
	char		*x, *y;
	size_t		 len;

	x = xml_of("law_ref1=xiaofang-fa&law_article1=60&law_paragraph1=1&law_item1=3"
	    "&law_ref2=&law_article2=&law_ref3=xingzheng-chufa-fa&law_article3=276-1"
	    "&law_title4=%E3%80%8AX%E3%80%8B&law_article4=%E7%AC%AC%E4%B8%80%E6%9D%A1", &cf);
	UNIT_CHECK(x && strstr(x, "<basis>\n    <law ref=\"xiaofang-fa\" article=\"60\" "
	    "paragraph=\"1\" item=\"3\"/>\n    <law ref=\"xingzheng-chufa-fa\" "
	    "article=\"276-1\"/>\n    <law title=\"《X》\" article=\"第一条\"/>\n  "
	    "</basis>") != NULL, "caseform: a basis is a law id and its numbers; "
	    "an emptied row is removed; the older form's title comes back");
	caseform_free(&cf);
	caseform_init(&cf);
	UNIT_CHECK(x && caseform_from_xml(&cf, x, strlen(x)) == 0 && cf.nlaws == 3 &&
	    strcmp(cf.laws[0].ref, "xiaofang-fa") == 0 &&
	    strcmp(cf.laws[0].paragraph, "1") == 0 &&
	    strcmp(cf.laws[0].item, "3") == 0 &&
	    strcmp(cf.laws[1].article, "276-1") == 0 &&
	    strcmp(cf.laws[1].item, "") == 0 &&
	    strcmp(cf.laws[2].title, "《X》") == 0,
	    "caseform: the basis reads back from the XML");
	y = caseform_to_xml(&cf, &len);
	UNIT_CHECK(x && y && strcmp(x, y) == 0, "caseform: and round-trips to the same XML");
	caseform_free(&cf);
	free(x);
	free(y);
}

static void
test_caseform_limits(void)
{
	struct caseform	 cf;
	char		 body[16384] = "title=x";
	const char	*doc = "<case status=\"published\">\n<title>t</title>\n"
			    "<basis>\n<law title=\"x\"/>\n</basis>\n</case>";
	size_t		 n = strlen(body);
	int		 i;

	for (i = 1; i <= CASEFORM_MAX_LAWS + CASEFORM_SPARE_ROWS; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
		    "&law_ref%d=l%d&law_article%d=%d&law_paragraph%d=1&law_item%d=2"
		    "&law_title%d=t&related%d=r%d", i, i, i, i, i, i, i, i, i);
	for (i = 1; i <= CASEFORM_MAX_KEYWORDS + 1; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "&keyword%d=k%d", i, i);
	UNIT_CHECK(parse(body) == 0, "caseform: a full form parses (%zu fields)", f.nfields);
	caseform_init(&cf);
	caseform_from_post(&cf, &f);
	UNIT_CHECK(cf.nlaws == CASEFORM_MAX_LAWS, "caseform: at most CASEFORM_MAX_LAWS legal bases");
	UNIT_CHECK(cf.nrelated == CASEFORM_MAX_RELATED, "caseform: at most CASEFORM_MAX_RELATED related items");
	UNIT_CHECK(strcmp(cf.keywords[CASEFORM_MAX_KEYWORDS - 1], "k7") == 0,
	    "caseform: CASEFORM_MAX_KEYWORDS keyword boxes, the next is not read");
	caseform_free(&cf);
	UNIT_CHECK(caseform_line_field(doc, strlen(doc), 4, body, 32) == 0 &&
	    strcmp(body, "basis") == 0, "caseform: a line inside an element is that element's field");
}

int
main(void)
{
	test_caseform_text();
	test_caseform_word();
	test_caseform_laws();
	test_caseform_limits();
	return unit_done();
}
