/* xmlchar.h: which characters content may hold, which the build cleans away, which it refuses. */
#ifndef FAZHI_XMLCHAR_H
#define FAZHI_XMLCHAR_H

#include <stddef.h>

#include <libxml/tree.h>

/* Most different refused characters named per file; the rest are counted. */
#define XMLCHAR_MAX_KINDS	8

int	xmlchar_scan(const char *, const char *, size_t);
int	xmlchar_clean(xmlDocPtr);

#endif
