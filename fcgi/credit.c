/* credit.c: credit rules; here, the check character of a unified social credit code. */
#include <string.h>

#include "credit.h"

/* The 31 symbols of GB 32100-2015, in value order: digits, then letters but I O S V Z. */
static const char credit_symbols[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/*
 * Checks code: 18 symbols of the standard's set, positions 3-8 digits, and a
 * check character equal to 31 - (sum of value * 3^(i-1) mod 31) mod 31.
 * Returns 1 when valid, 0 when the form is wrong, and -1 when only the check
 * character is wrong, with the expected one written to *want.
 */
int
credit_code_check(const char *code, char *want)
{
	const char	*p;
	int		 i, sum = 0, weight = 1, c;

	if (strlen(code) != CREDIT_CODE_LEN)
		return 0;
	for (i = 0; i < CREDIT_CODE_LEN; i++) {
		if ((p = strchr(credit_symbols, code[i])) == NULL || code[i] == '\0')
			return 0;
		if (i >= 2 && i <= 7 && (code[i] < '0' || code[i] > '9'))
			return 0;
		if (i < CREDIT_CODE_LEN - 1) {
			sum += (int)(p - credit_symbols) * weight;
			weight = weight * 3 % 31;
		}
	}
	c = (31 - sum % 31) % 31;
	if (credit_symbols[c] == code[CREDIT_CODE_LEN - 1])
		return 1;
	if (want != NULL)
		*want = credit_symbols[c];
	return -1;
}
