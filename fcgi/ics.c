/* ics.c: iCalendar (RFC 5545) content lines for the calculator's event. */
#include <string.h>

#include "buf.h"
#include "ics.h"

/* Bytes of the UTF-8 character that starts with byte c (1 for a stray one). */
static size_t
ics_char_len(unsigned char c)
{
	if (c >= 0xF0)
		return 4;
	if (c >= 0xE0)
		return 3;
	if (c >= 0xC0)
		return 2;
	return 1;
}

/*
 * Appends the n bytes of line s to b, folded: after ICS_LINE_OCTETS octets
 * (the first line) or ICS_LINE_OCTETS - 1 (a continuation, which starts
 * with a space), a CRLF and a space, never inside a UTF-8 character; then
 * CRLF. Returns 0, or -1 when memory runs out.
 */
static int
ics_fold(struct buf *b, const char *s, size_t n)
{
	size_t	 i = 0, used = 0, k;
	int	 rc = 0;

	while (i < n && rc == 0) {
		k = ics_char_len((unsigned char)s[i]);
		if (k > n - i)
			k = n - i;
		if (used + k > ICS_LINE_OCTETS) {
			rc = buf_add(b, "\r\n ", 3);
			used = 1;
		}
		if (rc == 0)
			rc = buf_add(b, s + i, k);
		used += k;
		i += k;
	}
	return rc == 0 ? buf_add(b, "\r\n", 2) : -1;
}

/*
 * Appends the content line "name:value" to b, value as it is (a date, a
 * code). Returns 0, or -1 when memory runs out.
 */
int
ics_line(struct buf *b, const char *name, const char *value)
{
	struct buf	 line = { 0 };
	int		 rc;

	rc = buf_puts(&line, name) | buf_add(&line, ":", 1) |
	    buf_puts(&line, value);
	if (rc == 0)
		rc = ics_fold(b, line.data, line.len);
	buf_free(&line);
	return rc;
}

/*
 * Appends the content line "name:value" to b, value a TEXT (§3.3.11):
 * backslash, semicolon and comma escaped with a backslash, a newline as
 * "\n", other control characters dropped. Returns 0, or -1.
 */
int
ics_text(struct buf *b, const char *name, const char *value)
{
	struct buf	 line = { 0 };
	const char	*p;
	int		 rc;

	rc = buf_puts(&line, name) | buf_add(&line, ":", 1);
	for (p = value; rc == 0 && *p != '\0'; p++) {
		if (*p == '\\' || *p == ';' || *p == ',')
			rc = buf_add(&line, "\\", 1) | buf_add(&line, p, 1);
		else if (*p == '\n')
			rc = buf_add(&line, "\\n", 2);
		else if ((unsigned char)*p >= 0x20 && *p != 0x7F)
			rc = buf_add(&line, p, 1);
	}
	if (rc == 0)
		rc = ics_fold(b, line.data, line.len);
	buf_free(&line);
	return rc;
}
