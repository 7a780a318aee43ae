/* esc.h: HTML escaping, shared by the builder and the template engine. */
#ifndef FAZHI_ESC_H
#define FAZHI_ESC_H

#include <stddef.h>

struct buf;

size_t		 esc_html_span(const char *, size_t);
const char	*esc_html_entity(unsigned char);
int		 esc_html(struct buf *, const char *, size_t);
int		 esc_marked(struct buf *, const char *, int);

#endif
