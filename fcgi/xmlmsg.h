/* xmlmsg.h: libxml2's errors, rewritten into one plain message per mistake for the staff who made it. */
#ifndef FAZHI_XMLMSG_H
#define FAZHI_XMLMSG_H

#include <stddef.h>

#include <libxml/xmlerror.h>

/* Where a message is to be shown; the rewriting may move it to the cause. */
struct xmlmsg_at {
	long	 line, col;
};

void	xmlmsg_parser(const xmlError *, const char *, size_t, struct xmlmsg_at *,
	    char *, size_t);
int	xmlmsg_schema(const xmlError *, char *, size_t);
int	xmlmsg_distance(const char *, const char *);

#endif
