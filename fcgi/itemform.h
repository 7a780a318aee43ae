/*
 * itemform.h: a content item (case, guide, material) as the console's editor
 * form holds it, to and from its XML. Each kind is a table of fields in the
 * order of its schema; one form, one template and one flow serve them all.
 */
#ifndef FAZHI_ITEMFORM_H
#define FAZHI_ITEMFORM_H

#include <stddef.h>

#include "content.h"

/* Most fields of one kind (a guide has 14). */
#define ITEMFORM_MAX_FIELDS	16
/* Most columns of a row (an event: start date and time, end date and time, place). */
#define ITEMFORM_MAX_COLS	5
/* Most rows of any repeated part (legal bases, steps, questions …). */
#define ITEMFORM_MAX_ROWS	20
/* Empty rows shown below the filled ones of a repeated part. */
#define ITEMFORM_SPARE_ROWS	2
/* Longest content id (the file name without .xml). */
#define ITEMFORM_MAX_ID		64

/* Where a column's value lives in the row's element. */
enum itemform_at {
	ITEMFORM_TEXT,		/* the element's text */
	ITEMFORM_BODY,		/* the element's blocks (body text) */
	ITEMFORM_INLINE,	/* the element's inline content */
	ITEMFORM_ATTR,		/* attribute xname (of the root: no row element) */
	ITEMFORM_CHILD,		/* child xname's text */
	ITEMFORM_CHILD_BODY,	/* child xname's blocks */
	ITEMFORM_TIME_OF	/* the time (hh:mm) of the column before, a CHILD */
};

/* How a column is typed in. */
enum itemform_input {
	ITEMFORM_IN_TEXT,	/* one line */
	ITEMFORM_IN_AREA,	/* body text, several paragraphs */
	ITEMFORM_IN_DATE,
	ITEMFORM_IN_TIME,
	ITEMFORM_IN_CHOICE,	/* a code: site.xml's list or a fixed one */
	ITEMFORM_IN_ITEM	/* the id of an existing item */
};

struct itemform_choice {
	const char	*code, *name;
};

struct itemform_col {
	const char	*key;		/* after the field's key in the POST: "_title" */
	const char	*label;
	enum itemform_at at;
	const char	*xname;		/* ATTR, CHILD, CHILD_BODY: its name */
	enum itemform_input input;
	int		 maxlen;	/* characters, 0: none */
	const char	*site_list;	/* CHOICE: "domains", "towns", "topics"
					 * (site.xml's), or "laws" (ctx.laws) */
	const struct itemform_choice *fixed; /* CHOICE: else these, NULL-ended */
};

struct itemform_field {
	const char	*key;		/* its POST names start with it */
	const char	*label;
	const char	*hint;		/* or NULL */
	const char	*wrap;		/* element holding the rows, or NULL */
	const char	*row;		/* a row's element; NULL: root attributes */
	int		 max;		/* most rows; 1: not repeated */
	const char	*need;		/* the message when it is left empty, or NULL */
	int		 ncols;
	struct itemform_col cols[ITEMFORM_MAX_COLS];
};

/* A kind of item: its root element, content folder and fields. */
struct itemform_kind {
	const char	*kind;		/* "case": root element, snapshot kind */
	const char	*section;	/* "cases": folder and console address */
	const char	*label;		/* 案例 */
	const char	*this;		/* 这篇案例 */
	const char	*public;	/* its public pages: "/cases/" */
	int		 nfields;
	const struct itemform_field *fields;
};

/* The rows of one field; cells the form owns, "" when empty. */
struct itemform_rows {
	int		 n;		/* rows filled (1 always when not repeated) */
	int		 shown;		/* rows the editor shows */
	char		*cell[ITEMFORM_MAX_ROWS][ITEMFORM_MAX_COLS];
};

struct itemform {
	const struct itemform_kind *k;
	char		 id[ITEMFORM_MAX_ID + 1];
	char		*publish_at;
	struct itemform_rows f[ITEMFORM_MAX_FIELDS];
};

struct form;

extern const struct itemform_kind itemform_kinds[];
extern const int itemform_nkinds;

const struct itemform_kind *itemform_kind_of(const char *);
const char	*itemform_field_name(const struct itemform_field *);
int		 itemform_has_field(const struct itemform_kind *, const char *);
void		 itemform_init(struct itemform *, const struct itemform_kind *);
void		 itemform_free(struct itemform *);
int		 itemform_from_post(struct itemform *, const struct form *,
		    const char *);
int		 itemform_from_xml(struct itemform *, const char *, size_t);
char		*itemform_to_xml(const struct itemform *, size_t *);
int		 itemform_rows_shown(const struct itemform *, int);
int		 itemform_line_field(const char *, size_t, long, char *, size_t);
const char	*itemform_value(const struct itemform *, const char *);
int		 itemform_missing(const struct itemform *,
		    void (*)(void *, const char *, const char *), void *);

#endif
