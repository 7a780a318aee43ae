/* esc.c: HTML escaping of text and attribute values. */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "esc.h"

/*
 * The five characters that can end a text node or a quoted attribute value.
 * Escaping all five makes a string safe in both, whichever quote is used.
 */
const char *
esc_html_entity(unsigned char c)
{
	switch (c) {
	case '&':	return "&amp;";
	case '<':	return "&lt;";
	case '>':	return "&gt;";
	case '"':	return "&quot;";
	case '\'':	return "&#39;";
	default:	return NULL;
	}
}

/* The bytes esc_html_entity() names: 1 for each of the five. */
static const unsigned char esc_special[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1 };

#define ESC_ONES	0x0101010101010101ULL
#define ESC_HIGHS	0x8080808080808080ULL
/* Non-zero when some byte of w is zero (exact as to whether, not where). */
#define ESC_HASZERO(w)	(((w) - ESC_ONES) & ~(w) & ESC_HIGHS)
/* Non-zero when some byte of w is c. */
#define ESC_HAS(w, c)	ESC_HASZERO((w) ^ (ESC_ONES * (uint64_t)(c)))

/*
 * Returns the length of the prefix of s that needs no escaping: n when the
 * whole string is safe, which lets callers skip copying in the common case.
 * Pages escape a few kilobytes each, so it looks at eight bytes at a time:
 * a word of UTF-8 Chinese text is all high bytes, and a word of ASCII is
 * tested for the five at once; only a word that holds one is looked at byte
 * by byte.
 */
size_t
esc_html_span(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint64_t		 w;
	size_t			 i = 0, k;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		if ((w & ESC_HIGHS) == ESC_HIGHS)
			continue;
		if ((ESC_HAS(w, '&') | ESC_HAS(w, '<') | ESC_HAS(w, '>') |
		    ESC_HAS(w, '"') | ESC_HAS(w, '\'')) == 0)
			continue;
		for (k = 0; k < 8; k++)
			if (esc_special[p[i + k]])
				return i + k;
	}
	for (; i < n; i++)
		if (esc_special[p[i]])
			return i;
	return n;
}

/* Appends s, escaped, to b. Returns 0, or -1 when out of memory. */
int
esc_html(struct buf *b, const char *s, size_t n)
{
	const char	*ent;
	size_t		 span;

	while (n > 0) {
		span = esc_html_span(s, n);
		if (span > 0 && buf_add(b, s, span) == -1)
			return -1;
		if (span == n)
			break;
		ent = esc_html_entity((unsigned char)s[span]);
		if (buf_puts(b, ent) == -1)
			return -1;
		s += span + 1;
		n -= span + 1;
	}
	return 0;
}

/*
 * Appends s to b, where U+0001 opens and U+0002 closes a match (SQLite's
 * highlight and snippet marks): as HTML, escaped, with each match in
 * <mark>; or, when html is 0, as plain text without the marks. A mark out
 * of place is dropped, an open one closed. Returns 0, or -1 (out of memory).
 */
int
esc_marked(struct buf *b, const char *s, int html)
{
	size_t	 n;
	int	 open = 0;

	for (;;) {
		n = strcspn(s, "\1\2");
		if (n > 0 && (html ? esc_html(b, s, n) : buf_add(b, s, n)) == -1)
			return -1;
		s += n;
		if (*s == '\0')
			break;
		if ((*s == '\1') != open) {
			if (html && buf_puts(b, open ? "</mark>" : "<mark>") == -1)
				return -1;
			open = !open;
		}
		s++;
	}
	return open && html ? buf_puts(b, "</mark>") : buf_add(b, "", 0);
}
