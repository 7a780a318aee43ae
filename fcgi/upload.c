/*
 * upload.c: decodes a POST body of type multipart/form-data (RFC 7578, the
 * framing of RFC 2046 §5.1.1) into its parts: the console's media uploads.
 *
 * This is untrusted input. Nothing is allocated: a part's data points into
 * the body, its names are copied into the part, bounded. Every malformed
 * body is refused whole (400), never half-used: a part must be closed by a
 * delimiter, the body by the close delimiter, and each part must have a
 * Content-Disposition of form-data with a name. The file name a browser
 * sends is kept only to be shown; nothing is ever stored under it.
 * tests/unit/test_upload.c feeds it many mutated bodies, and
 * tests/fuzz/fuzz_upload.c is its libFuzzer harness.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "form.h"
#include "http.h"
#include "upload.h"

/*
 * Copies the boundary parameter of a Content-Type of multipart/form-data
 * into out (at most UPLOAD_MAX_BOUNDARY bytes, quoted or not). Returns 0,
 * or -1 when the type is another or the boundary is missing or bad.
 */
int
upload_boundary(const char *type, char *out, size_t outsz)
{
	const char	*p, *end;
	size_t		 n;

	if (type == NULL || strncasecmp(type, "multipart/form-data", 19) != 0 ||
	    (type[19] != ';' && type[19] != ' '))
		return -1;
	for (p = type + 19; (p = strchr(p, ';')) != NULL; ) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) == 0)
			break;
	}
	if (p == NULL)
		return -1;
	p += 9;
	if (*p == '"') {
		if ((end = strchr(++p, '"')) == NULL)
			return -1;
	} else
		end = p + strcspn(p, "; \t");
	n = (size_t)(end - p);
	if (n == 0 || n > UPLOAD_MAX_BOUNDARY || n >= outsz)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	/* RFC 2046's bchars: no controls, and never a space at the end */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
			return -1;
	return out[n - 1] == ' ' ? -1 : 0;
}

/*
 * Finds parameter key (name or filename) in the Content-Disposition value
 * h[0..n) and copies its value into out (quoted: up to the closing quote;
 * browsers send '"' as %22). Returns 1 when found, 0 when not, -1 when
 * malformed or too long.
 */
static int
upload_param(const char *h, size_t n, const char *key, char *out, size_t outsz)
{
	const char	*p = h, *end = h + n, *v;
	size_t		 klen = strlen(key), len;

	while (p < end) {
		if ((p = memchr(p, ';', (size_t)(end - p))) == NULL)
			return 0;
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) <= klen || strncasecmp(p, key, klen) != 0 ||
		    p[klen] != '=')
			continue;
		v = p + klen + 1;
		if (v < end && *v == '"') {
			v++;
			if ((p = memchr(v, '"', (size_t)(end - v))) == NULL)
				return -1;
		} else
			for (p = v; p < end && *p != ';' && *p != ' '; p++)
				;
		len = (size_t)(p - v);
		if (len >= outsz)
			return -1;
		memcpy(out, v, len);
		out[len] = '\0';
		return 1;
	}
	return 0;
}

/*
 * Reads the header lines h[0..n) (each ending in CRLF) of part pt. Returns
 * 0, or -1 with u->error set.
 */
static int
upload_headers(struct upload *u, struct upload_part *pt, const char *h,
    size_t n)
{
	const char	*p = h, *end = h + n, *eol, *v;
	int		 disposition = 0, r;

	while (p < end) {
		if ((eol = memmem(p, (size_t)(end - p), "\r\n", 2)) == NULL)
			eol = end;
		for (v = p; v < eol; v++)
			if ((unsigned char)*v < 0x20 && *v != '\t') {
				u->error = "上传数据的头部含有控制字符";
				return -1;
			}
		if ((size_t)(eol - p) > 20 &&
		    strncasecmp(p, "Content-Disposition:", 20) == 0) {
			for (v = p + 20; v < eol && (*v == ' ' || *v == '\t'); v++)
				;
			if (disposition++ || (size_t)(eol - v) < 9 ||
			    strncasecmp(v, "form-data", 9) != 0 ||
			    (v + 9 < eol && v[9] != ';' && v[9] != ' ')) {
				u->error = "上传数据的 Content-Disposition 不正确";
				return -1;
			}
			if (upload_param(v, (size_t)(eol - v), "name", pt->name,
			    sizeof(pt->name)) != 1 || pt->name[0] == '\0' ||
			    (r = upload_param(v, (size_t)(eol - v), "filename",
			    pt->filename, sizeof(pt->filename))) == -1) {
				u->error = "上传数据缺少字段名，或名称过长";
				return -1;
			}
			pt->is_file = r == 1;
		}
		p = eol + 2;
	}
	if (!disposition) {
		u->error = "上传数据缺少 Content-Disposition";
		return -1;
	}
	return 0;
}

/*
 * Decodes body[0..len) with boundary into u. Returns 0, or an HTTP status
 * with u->error saying why: 413 over UPLOAD_MAX_BODY, 400 when malformed
 * or with more than UPLOAD_MAX_PARTS parts.
 */
int
upload_parse(struct upload *u, const char *body, size_t len,
    const char *boundary)
{
	char		 delim[UPLOAD_MAX_BOUNDARY + 5];
	const char	*p = body, *end = body + len, *hend, *next;
	size_t		 dlen;
	struct upload_part *pt;

	memset(u, 0, sizeof(*u));
	if (len > UPLOAD_MAX_BODY) {
		u->error = "上传的内容过多";
		return 413;
	}
	if (strlen(boundary) == 0 || strlen(boundary) > UPLOAD_MAX_BOUNDARY) {
		u->error = "上传数据的分隔符不正确";
		return 400;
	}
	/* "\r\n--boundary": the first delimiter may lack the CRLF */
	dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", boundary);
	if (len < dlen - 2 || memcmp(body, delim + 2, dlen - 2) != 0) {
		u->error = "上传数据不以分隔符开头";
		return 400;
	}
	p = body + dlen - 2;
	for (;;) {
		/* after a delimiter: "--" closes the body, else CRLF and a part */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return u->nparts > 0 ? 0 : (u->error = "上传数据是空的", 400);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;	/* transport padding */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			u->error = "上传数据的分隔符后面不是换行";
			return 400;
		}
		p += 2;
		if (u->nparts == UPLOAD_MAX_PARTS) {
			u->error = "上传数据的部分过多";
			return 400;
		}
		pt = &u->parts[u->nparts++];
		/* headers (their CRLFs counted) end at an empty line, within UPLOAD_MAX_HEADER */
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
			hend = p;
		else if ((hend = memmem(p, (size_t)(end - p) < UPLOAD_MAX_HEADER + 2 ?
		    (size_t)(end - p) : UPLOAD_MAX_HEADER + 2, "\r\n\r\n", 4)) ==
		    NULL) {
			u->error = "上传数据的头部不完整或过长";
			return 400;
		} else
			hend += 2;
		if (upload_headers(u, pt, p, (size_t)(hend - p)) == -1)
			return 400;
		p = hend + 2;
		if ((next = memmem(p, (size_t)(end - p), delim, dlen)) == NULL) {
			u->error = "上传数据不完整";
			return 400;
		}
		pt->data = p;
		pt->len = (size_t)(next - p);
		p = next + dlen;
	}
}

/* The first part that is a file and named name, or NULL. */
const struct upload_part *
upload_file(const struct upload *u, const char *name)
{
	size_t	 i;

	for (i = 0; i < u->nparts; i++)
		if (u->parts[i].is_file && strcmp(u->parts[i].name, name) == 0)
			return &u->parts[i];
	return NULL;
}

/*
 * Copies the parts that are not files into f, as form_parse would have
 * decoded them: clean UTF-8 without control characters but tab, CR and LF.
 * Returns 0, or an HTTP status with f->error set (400, 413).
 */
int
upload_to_form(const struct upload *u, struct form *f)
{
	char		*out = f->arena, *end = f->arena + sizeof(f->arena);
	const struct upload_part *pt;
	size_t		 i, j, klen;

	f->nfields = 0;
	f->error = NULL;
	for (i = 0; i < u->nparts; i++) {
		pt = &u->parts[i];
		if (pt->is_file)
			continue;
		klen = strlen(pt->name);
		if (f->nfields == FORM_MAX_FIELDS ||
		    (size_t)(end - out) < klen + pt->len + 2) {
			f->error = "表单字段过多";
			return f->nfields == FORM_MAX_FIELDS ? 400 : 413;
		}
		for (j = 0; j < pt->len; j++) {
			unsigned char c = (unsigned char)pt->data[j];

			if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' :
			    c == 0x7f) {
				f->error = "表单数据含有控制字符";
				return 400;
			}
		}
		if (!http_utf8_valid(pt->name, klen) ||
		    !http_utf8_valid(pt->data, pt->len)) {
			f->error = "表单数据不是有效的 UTF-8 编码";
			return 400;
		}
		memcpy(out, pt->name, klen + 1);
		f->fields[f->nfields].key = out;
		out += klen + 1;
		memcpy(out, pt->data, pt->len);
		out[pt->len] = '\0';
		f->fields[f->nfields++].val = out;
		out += pt->len + 1;
	}
	return 0;
}
