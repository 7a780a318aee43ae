/*
 * fuzz_form.c: libFuzzer harness for form.c, which decodes the console's POST
 * bodies (untrusted: whatever a browser, or anyone, sends).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "http.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct form	 f;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t	 i;

	if (form_parse(&f, (const char *)data, size) != 0)
		return 0;
	if (f.nfields > FORM_MAX_FIELDS)
		abort();
	for (i = 0; i < f.nfields; i++) {
		if (form_get(&f, f.fields[i].key) == NULL)
			abort();		/* a parsed key must be found */
		if (!http_utf8_valid(f.fields[i].val, strlen(f.fields[i].val)))
			abort();		/* values are clean UTF-8 */
	}
	return 0;
}
