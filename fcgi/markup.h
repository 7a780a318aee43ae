/* markup.h: the content body markup, turned into safe HTML at build time. */
#ifndef FAZHI_MARKUP_H
#define FAZHI_MARKUP_H

#include <libxml/tree.h>

struct buf;

int	markup_html(struct buf *, xmlNodePtr);
int	markup_law(struct buf *, xmlNodePtr);
int	markup_text(struct buf *, xmlNodePtr, size_t);

#endif
