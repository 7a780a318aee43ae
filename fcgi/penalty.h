/* penalty.h: one published penalty record (行政处罚公示), read from a feed and checked. */
#ifndef FAZHI_PENALTY_H
#define FAZHI_PENALTY_H

#include <libxml/tree.h>

#include "buf.h"

struct penalty {
	const char	*number;	/* decision number, the record's key */
	const char	*party;
	const char	*code;		/* unified social credit code, or NULL */
	const char	*date;		/* decision date, YYYY-MM-DD */
	const char	*fine;		/* yuan, or NULL */
	const char	*severity;	/* minor, general or serious */
	const char	*domain;
	const char	*fulfilled;	/* date the duties were met, or NULL */
	struct buf	 kinds;		/* penalty kinds joined by "、" */
	long		 line;		/* of the <record> in its file */
};

void		 penalty_read(xmlNodePtr, struct penalty *);
const char	*penalty_problem(const struct penalty *, const char *, char *,
		    size_t);
const char	*penalty_warning(const struct penalty *, char *, size_t);
void		 penalty_free(struct penalty *);

#endif
