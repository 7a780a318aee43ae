/*
 * fuzz_credit.c: libFuzzer harness for the calculator's form reader in
 * credit.c: the input is split at NUL bytes into the form's fields (date,
 * published, fulfilled, procedure, fine, domain, tier, party, then kinds),
 * read against a fixed today; the amount reader also gets the whole input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "credit.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct credit_input	 in;
	struct credit_problem	 p[4];
	struct credit_case	 c;
	const char		*f[8 + CREDIT_K__MAX + 1], *s, *end;
	char			*buf;
	double			 v;
	int			 n = 0, k;

	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	(void)credit_read_amount(buf, &v);
	memset(f, 0, sizeof(f));
	for (s = buf, end = buf + size; s <= end && n < (int)(sizeof(f) /
	    sizeof(f[0])); s += strlen(s) + 1)
		f[n++] = s;
	memset(&in, 0, sizeof(in));
	in.date = f[0]; in.published = f[1]; in.fulfilled = f[2];
	in.procedure = f[3]; in.fine = f[4]; in.domain = f[5];
	in.tier = f[6]; in.party = f[7];
	for (k = 8; k < n; k++)
		in.kinds[in.nkinds++] = f[k];
	if (credit_read(&in, "2026-11-28", &c, p, 4) == 0 &&
	    (c.kinds == 0 || c.decided[0] == '\0'))
		abort();		/* a complete case has a date and a kind */
	free(buf);
	return 0;
}
