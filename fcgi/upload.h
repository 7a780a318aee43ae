/* upload.h: decoding of an untrusted multipart/form-data body (RFC 7578). */
#ifndef FAZHI_UPLOAD_H
#define FAZHI_UPLOAD_H

#include <stddef.h>

#include "media.h"

struct form;

/*
 * Largest multipart body accepted, in bytes: one file of MEDIA_MAX_BYTES and
 * the few text fields of the upload form. nginx's client_max_body_size on
 * the console's upload address is set to match; a larger body gets 413.
 */
#define UPLOAD_MAX_BODY		(MEDIA_MAX_BYTES + (64u << 10))
/* Most parts in one body: the upload form has five. More gets 400. */
#define UPLOAD_MAX_PARTS	16
/* Most bytes of one part's header lines; browsers send about 150. */
#define UPLOAD_MAX_HEADER	2048
/* Longest boundary, in bytes (RFC 2046 §5.1.1). */
#define UPLOAD_MAX_BOUNDARY	70
/* Longest field name or file name kept, in bytes; longer gets 400. */
#define UPLOAD_MAX_NAME		255

struct upload_part {
	char		 name[UPLOAD_MAX_NAME + 1];	/* the field's name */
	char		 filename[UPLOAD_MAX_NAME + 1];	/* as sent: never used for storage */
	int		 is_file;	/* had a filename parameter */
	const char	*data;		/* into the body: not NUL-terminated */
	size_t		 len;
};

struct upload {
	size_t			 nparts;
	struct upload_part	 parts[UPLOAD_MAX_PARTS];
	const char		*error;		/* why decoding failed (Chinese) */
};

int	 upload_boundary(const char *, char *, size_t);
int	 upload_parse(struct upload *, const char *, size_t, const char *);
const struct upload_part *upload_file(const struct upload *, const char *);
int	 upload_to_form(const struct upload *, struct form *);

#endif
