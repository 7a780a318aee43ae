/* caseform.h: a case (案例) as the editor form holds it, to and from its XML. */
#ifndef FAZHI_CASEFORM_H
#define FAZHI_CASEFORM_H

#include <stddef.h>

#include "content.h"

/* Keyword boxes on the form: as many as an item may carry. */
#define CASEFORM_MAX_KEYWORDS	CONTENT_MAX_KEYWORDS
/* Most legal bases one case may cite in the form. */
#define CASEFORM_MAX_LAWS	20
/* Most related items one case may name in the form. */
#define CASEFORM_MAX_RELATED	20
/* Empty rows shown below the filled ones of a repeated part. */
#define CASEFORM_SPARE_ROWS	2
/* Longest content id (the file name without .xml). */
#define CASEFORM_MAX_ID		64

/* The body sections of a case, in the order of content/schema/case.rng. */
enum caseform_section {
	CASEFORM_GIST,		/* 要旨 */
	CASEFORM_FACTS,		/* 基本案情 */
	CASEFORM_OUTCOME,	/* 处理结果 */
	CASEFORM_EXPLANATION,	/* 以案释法 */
	CASEFORM_CREDIT,	/* 信用影响, optional */
	CASEFORM_SECTION__MAX
};

/*
 * One legal basis: a law of content/laws by its id (ref) and the article,
 * paragraph (款) and item (项) numbers as content writes them ("51",
 * "276-1", "1"), which `fazhi check` checks. title is kept only for a file
 * written by hand in the older form (a title and no ref), so that it comes
 * back as it was; the form then asks for a law to be chosen.
 */
struct caseform_law {
	char	*ref;		/* a law id, or "" */
	char	*article;	/* "51", or "" */
	char	*paragraph;	/* "1", or "" */
	char	*item;		/* "2", or "" */
	char	*title;		/* 《…》 of the older form, or "" */
};

/* Every field is a string the form owns (never NULL; "" when empty). */
struct caseform {
	char		 id[CASEFORM_MAX_ID + 1];
	char		*title, *published, *updated, *domain, *town, *procedure;
	char		*decision, *publish_at;
	char		*keywords[CASEFORM_MAX_KEYWORDS];
	char		*sections[CASEFORM_SECTION__MAX]; /* plain text, see caseform.c */
	struct caseform_law laws[CASEFORM_MAX_LAWS];
	int		 nlaws;
	char		*related[CASEFORM_MAX_RELATED];
	int		 nrelated;
};

struct form;

const char	*caseform_section_name(enum caseform_section);
const char	*caseform_section_label(enum caseform_section);
int		 caseform_section_required(enum caseform_section);
void		 caseform_init(struct caseform *);
void		 caseform_free(struct caseform *);
int		 caseform_from_post(struct caseform *, const struct form *);
int		 caseform_from_xml(struct caseform *, const char *, size_t);
char		*caseform_to_xml(const struct caseform *, size_t *);
int		 caseform_line_field(const char *, size_t, long, char *, size_t);

#endif
