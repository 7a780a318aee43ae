/* xml.h: hardened libxml2 loading and RELAX NG validation with file:line:col errors. */
#ifndef FAZHI_XML_H
#define FAZHI_XML_H

#include <libxml/relaxng.h>
#include <libxml/tree.h>

/* Largest content file accepted. */
#define XML_MAX_FILE		(1u << 20)
/* Deepest element nesting accepted in content. */
#define XML_MAX_DEPTH		32

void		 xml_init(void);
int		 xml_errors(void);
void		 xml_only(const char *const *, int);
void		 xml_error(const char *, long, long, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
void		 xml_warning(const char *, long, long, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
int		 xml_warnings(void);
xmlRelaxNGPtr	 xml_schema(const char *);
xmlDocPtr	 xml_load(const char *, xmlRelaxNGPtr);
xmlDocPtr	 xml_load_loose(const char *, xmlRelaxNGPtr, int *);
xmlDocPtr	 xml_load_quiet(const char *, xmlRelaxNGPtr, int *);
xmlDocPtr	 xml_parse(const char *, const char *, size_t, xmlRelaxNGPtr);
const char	*xml_text(xmlNodePtr);
xmlNodePtr	 xml_child(xmlNodePtr, const char *);
xmlNodePtr	 xml_next(xmlNodePtr, const char *);

#endif
