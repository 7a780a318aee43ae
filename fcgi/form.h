/* form.h: decoding of an untrusted application/x-www-form-urlencoded body. */
#ifndef FAZHI_FORM_H
#define FAZHI_FORM_H

#include <stddef.h>

/*
 * Largest form body accepted, in bytes; a larger one gets 413. The case
 * editor's body text makes the largest forms: a long case is about 10 000
 * Chinese characters, 9 bytes each once percent-encoded. nginx's
 * client_max_body_size for the console is set to match.
 */
#define FORM_MAX_BODY		(256u << 10)
/*
 * Most fields in one form; more gets 400. The editor of a guide has about
 * 20 plus one to five per row of its repeated parts (itemform.h; a legal
 * basis has five: law, article, paragraph, item and the older form's
 * title): 20 + (5 + 2 + 1 + 2 + 1) * 22 = 262 with every row shown.
 */
#define FORM_MAX_FIELDS		320

struct form_field {
	const char	*key;	/* decoded, NUL-terminated, into the arena */
	const char	*val;	/* decoded, NUL-terminated, "" when absent */
};

struct form {
	size_t			 nfields;
	struct form_field	 fields[FORM_MAX_FIELDS];
	const char		*error;		/* why decoding failed (Chinese) */
	char			 arena[FORM_MAX_BODY + FORM_MAX_FIELDS * 2];
};

int		 form_parse(struct form *, const char *, size_t);
const char	*form_get(const struct form *, const char *);

#endif
