/*
 * fuzz_upload.c: libFuzzer harness for upload.c, which decodes the console's
 * multipart/form-data uploads (untrusted: whatever a browser, or anyone, sends).
 * The first byte picks the boundary's length, the rest is the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "http.h"
#include "upload.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct upload	 u;
static struct form	 f;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char boundary[] = "----WebKitFormBoundaryAb12Cd34Ef56";
	char		 b[sizeof(boundary)];
	const char	*body = (const char *)data + 1;
	size_t		 i, n;

	if (size == 0)
		return 0;
	n = 1 + data[0] % (sizeof(boundary) - 1);
	memcpy(b, boundary, n);
	b[n] = '\0';
	if (upload_parse(&u, body, size - 1, b) != 0)
		return 0;
	if (u.nparts == 0 || u.nparts > UPLOAD_MAX_PARTS)
		abort();
	for (i = 0; i < u.nparts; i++)
		if (u.parts[i].data < body || u.parts[i].data + u.parts[i].len >
		    body + size - 1 || u.parts[i].name[0] == '\0')
			abort();		/* a part lies inside the body */
	if (upload_to_form(&u, &f) == 0)
		for (i = 0; i < f.nfields; i++)
			if (!http_utf8_valid(f.fields[i].val, strlen(f.fields[i].val)))
				abort();	/* fields are clean UTF-8 */
	return 0;
}
