/* form.h: decoding of an untrusted application/x-www-form-urlencoded body. */
#ifndef FAZHI_FORM_H
#define FAZHI_FORM_H

#include <stddef.h>

/*
 * Largest form body accepted, in bytes; a larger one gets 413. The case
 * editor's body sections are the largest forms: a long case is about 10 000
 * Chinese characters, 9 bytes each once percent-encoded. nginx's
 * client_max_body_size for the console is set to match.
 */
#define FORM_MAX_BODY		(256u << 10)
/*
 * Most fields in one form; more gets 400. The case editor has about 30 plus
 * four per legal basis (law, article, paragraph, item; five for one kept in
 * the older title form) and one per related item (CASEFORM_MAX_LAWS,
 * CASEFORM_MAX_RELATED and their spare rows): 30 + 5 * 22 + 22 = 162.
 */
#define FORM_MAX_FIELDS		192

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
