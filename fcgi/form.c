/*
 * form.c: decodes a POST body of type application/x-www-form-urlencoded
 * (WHATWG URL, "application/x-www-form-urlencoded parsing") into fields.
 *
 * This is untrusted input, so it allocates nothing: every decoded string
 * lives in the form's own arena, and the body is never longer than
 * FORM_MAX_BODY. Decoded text must be clean UTF-8 without control
 * characters other than tab, line feed and carriage return (a textarea
 * sends those). A fuzz harness can call form_parse() alone.
 */
#include <string.h>

#include "form.h"
#include "http.h"

/* Is the decoded byte c allowed in a field? */
static int
form_allowed(unsigned char c)
{
	return c >= 0x20 ? c != 0x7F : c == '\t' || c == '\n' || c == '\r';
}

/*
 * Decodes in[0..n) ('+' is a space) to *out, NUL-terminates it and moves
 * *out past the NUL. Returns 0, or -1 with f->error set.
 */
static int
form_decode(struct form *f, const char *in, size_t n, char **out)
{
	char	*start = *out;
	long	 len;

	if ((len = http_pct_decode(in, n, start, 1)) == -1) {
		f->error = "表单数据的百分号编码不完整";
		return -1;
	}
	for (long i = 0; i < len; i++)
		if (!form_allowed((unsigned char)start[i])) {
			f->error = "表单数据含有控制字符";
			return -1;
		}
	if (!http_utf8_valid(start, (size_t)len)) {
		f->error = "表单数据不是有效的 UTF-8 编码";
		return -1;
	}
	start[len] = '\0';
	*out = start + len + 1;
	return 0;
}

/*
 * Decodes body[0..len) into f. Returns 0, or an HTTP status with f->error
 * saying why: 413 when the body is over FORM_MAX_BODY, 400 when it is
 * malformed or has more than FORM_MAX_FIELDS fields.
 */
int
form_parse(struct form *f, const char *body, size_t len)
{
	const char	*p = body, *end = body + len, *amp, *eq;
	char		*out = f->arena;
	struct form_field *fd;

	f->nfields = 0;
	f->error = NULL;
	if (len > FORM_MAX_BODY) {
		f->error = "提交的内容过多";
		return 413;
	}
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (f->nfields == FORM_MAX_FIELDS) {
			f->error = "表单字段过多";
			return 400;
		}
		fd = &f->fields[f->nfields++];
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		fd->key = out;
		if (form_decode(f, p, (size_t)(eq - p), &out) == -1)
			return 400;
		fd->val = "";
		if (eq < amp) {
			fd->val = out;
			if (form_decode(f, eq + 1, (size_t)(amp - eq - 1), &out) == -1)
				return 400;
		}
		p = amp;
	}
	return 0;
}

/* The first value of the field named key, or NULL. */
const char *
form_get(const struct form *f, const char *key)
{
	size_t	 i;

	for (i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].key, key) == 0)
			return f->fields[i].val;
	return NULL;
}
