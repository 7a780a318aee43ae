/*
 * test_ics.c: unit tests for ics.c: TEXT escaping (RFC 5545 §3.3.11) and
 * line folding at ICS_LINE_OCTETS octets without splitting a character.
 */
/* checks: 6 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "ics.h"
#include "unit.h"

static void
test_escaping(void)
{
	struct buf	 b = { 0 };

	ics_text(&b, "SUMMARY", "a,b;c\\d\ne\x01");
	UNIT_STREQ(b.data, "SUMMARY:a\\,b\\;c\\\\d\\ne\r\n",
	    "TEXT: comma, semicolon, backslash, newline escaped; controls dropped");
	buf_reset(&b);
	ics_line(&b, "DTSTART;VALUE=DATE", "20270116");
	UNIT_STREQ(b.data, "DTSTART;VALUE=DATE:20270116\r\n",
	    "a plain value is written as it is");
	buf_free(&b);
}

/* Each physical line of s (CRLF-separated) is at most max octets. */
static int
lines_within(const char *s, size_t max)
{
	const char	*end;

	for (; *s != '\0'; s = end + 2) {
		if ((end = strstr(s, "\r\n")) == NULL || (size_t)(end - s) > max)
			return 0;
	}
	return 1;
}

static void
test_folding(void)
{
	struct buf	 b = { 0 };
	char		 v[200];
	const char	*p;
	size_t		 i;

	/* "X:" + 73 octets: exactly ICS_LINE_OCTETS, not folded. */
	memset(v, 'a', ICS_LINE_OCTETS - 2);
	v[ICS_LINE_OCTETS - 2] = '\0';
	ics_line(&b, "X", v);
	UNIT_CHECK(b.len == ICS_LINE_OCTETS + 2 && strstr(b.data, "\r\n ") == NULL,
	    "a line of ICS_LINE_OCTETS octets is not folded");
	buf_reset(&b);
	v[ICS_LINE_OCTETS - 2] = 'a';
	v[ICS_LINE_OCTETS - 1] = '\0';
	ics_line(&b, "X", v);
	UNIT_CHECK(strstr(b.data, "\r\n a\r\n") != NULL && lines_within(b.data,
	    ICS_LINE_OCTETS), "ICS_LINE_OCTETS + 1 octets: the last one folded");
	buf_reset(&b);
	/* 60 three-byte characters: no fold may fall inside one. */
	for (i = 0; i < 60; i++)
		memcpy(v + 3 * i, "\xe4\xbf\xa1", 3);	/* 信 */
	v[180] = '\0';
	ics_text(&b, "DESCRIPTION", v);
	UNIT_CHECK(lines_within(b.data, ICS_LINE_OCTETS),
	    "folded lines are at most ICS_LINE_OCTETS octets");
	for (p = b.data; (p = strstr(p, "\r\n ")) != NULL; p += 3)
		if ((p[3] & 0xC0) == 0x80)
			break;
	UNIT_CHECK(p == NULL, "no fold splits a UTF-8 character");
	buf_free(&b);
}

int
main(void)
{
	test_escaping();
	test_folding();
	return unit_done();
}
