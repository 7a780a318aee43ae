/*
 * ics.h: writing iCalendar (RFC 5545) content lines: TEXT values escaped,
 * lines folded at 75 octets without splitting a UTF-8 character, CRLF.
 */
#ifndef FAZHI_ICS_H
#define FAZHI_ICS_H

#include "buf.h"

/* Octets of a content line before it is folded (RFC 5545 §3.1). */
#define ICS_LINE_OCTETS	75

int	ics_line(struct buf *, const char *, const char *);
int	ics_text(struct buf *, const char *, const char *);

#endif
