/*
 * test_upload.c: unit tests for upload.c (multipart/form-data bodies) and the
 * parts of media.c that need no files (typing by content, stored names, sizes).
 * It is also upload.c's fuzz harness without libFuzzer: UPLOAD_FUZZ_ROUNDS bodies
 * mutated from good ones (bytes flipped, cut, repeated, boundaries moved), each
 * of which must be refused or decoded into parts that lie inside the body
 * (tests/fuzz/fuzz_upload.c is the same for `make fuzz`).
 */
/* checks: 63 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "media.h"
#include "upload.h"
#include "unit.h"

/* Mutated bodies the fuzz test runs (a few seconds under ASan). */
#define UPLOAD_FUZZ_ROUNDS	500000

static struct upload	 u;
static struct form	 f;	/* large: kept off the stack */

static const char good[] =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
    "0123abcd\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"alt\"\r\n\r\n"
    "执法现场\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"../../etc/a.png\"\r\n"
    "Content-Type: image/png\r\n\r\n"
    "\x89PNG\r\n\x1a\n--XyZ not a boundary\r\n"
    "--XyZ--\r\n";

static int
parse(const char *body, size_t len, const char *boundary)
{
	return upload_parse(&u, body, len, boundary);
}

static void
test_upload_good(void)
{
	const struct upload_part *p;

	UNIT_CHECK(parse(good, sizeof(good) - 1, "XyZ") == 0, "upload: a body decodes");
	UNIT_CHECK(u.nparts == 3, "upload: three parts");
	p = upload_file(&u, "file");
	UNIT_CHECK(p != NULL && p->is_file, "upload: the file part is found");
	UNIT_CHECK(p != NULL && p->len == 28 && memcmp(p->data, "\x89PNG", 4) == 0,
	    "upload: the file's bytes, a delimiter-like line inside kept");
	UNIT_STREQ(p ? p->filename : NULL, "../../etc/a.png", "upload: the name as sent (shown, never used)");
	UNIT_CHECK(upload_file(&u, "alt") == NULL, "upload: a text part is no file");
	UNIT_CHECK(upload_to_form(&u, &f) == 0, "upload: text parts become form fields");
	UNIT_STREQ(form_get(&f, "alt"), "执法现场", "upload: a UTF-8 field");
	UNIT_STREQ(form_get(&f, "csrf"), "0123abcd", "upload: the CSRF field");
	UNIT_CHECK(form_get(&f, "file") == NULL, "upload: the file is not a form field");
}

static void
test_upload_boundary(void)
{
	char	 b[UPLOAD_MAX_BOUNDARY + 1], t[256];

	UNIT_CHECK(upload_boundary("multipart/form-data; boundary=----WebKitFormBoundaryAb12",
	    b, sizeof(b)) == 0 && strcmp(b, "----WebKitFormBoundaryAb12") == 0,
	    "upload: a browser's boundary");
	UNIT_CHECK(upload_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"",
	    b, sizeof(b)) == 0 && strcmp(b, "a b") == 0, "upload: quoted, after another parameter");
	UNIT_CHECK(upload_boundary("multipart/mixed; boundary=x", b, sizeof(b)) == -1,
	    "upload: another multipart type is refused");
	UNIT_CHECK(upload_boundary("multipart/form-data", b, sizeof(b)) == -1,
	    "upload: no boundary is refused");
	UNIT_CHECK(upload_boundary("multipart/form-data; boundary=", b, sizeof(b)) == -1,
	    "upload: an empty boundary is refused");
	snprintf(t, sizeof(t), "multipart/form-data; boundary=%0*d", UPLOAD_MAX_BOUNDARY, 7);
	UNIT_CHECK(upload_boundary(t, b, sizeof(b)) == 0, "upload: UPLOAD_MAX_BOUNDARY bytes");
	snprintf(t, sizeof(t), "multipart/form-data; boundary=%0*d", UPLOAD_MAX_BOUNDARY + 1, 7);
	UNIT_CHECK(upload_boundary(t, b, sizeof(b)) == -1, "upload: UPLOAD_MAX_BOUNDARY + 1 is refused");
}

static void
test_upload_refused(void)
{
	static const char *const bad[] = {
		"",
		"--XyZ--\r\n",			/* no part */
		"preamble\r\n--XyZ\r\n",	/* no delimiter first */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx",	/* never closed */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ",	/* no close */
		"--XyZ\r\n\r\nx\r\n--XyZ--",	/* no Content-Disposition */
		"--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\x01\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"
		    "Content-Disposition: form-data; name=\"b\"\r\n\r\nx\r\n--XyZ--",
		"--XyZx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--",
		NULL
	};
	const char *notutf8 = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "\xff\r\n--B--";
	const char *control = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "\x1b\r\n--B--";
	int	 i;

	for (i = 0; bad[i] != NULL; i++)
		UNIT_CHECK(parse(bad[i], strlen(bad[i]), "XyZ") == 400 && u.error != NULL,
		    "upload: malformed body %d is 400", i);
	UNIT_CHECK(parse(good, sizeof(good) - 1, "") == 400, "upload: an empty boundary is 400");
	/* a text field must be clean UTF-8 without control characters */
	UNIT_CHECK(parse(notutf8, strlen(notutf8), "B") == 0 && upload_to_form(&u, &f) == 400, "upload: a field that is not UTF-8 is 400");
	UNIT_CHECK(parse(control, strlen(control), "B") == 0 && upload_to_form(&u, &f) == 400, "upload: a control character is 400");
}

static void
test_upload_limits(void)
{
	static char	 body[UPLOAD_MAX_PARTS * 80 + 4 * UPLOAD_MAX_HEADER];
	char		*p;
	size_t		 i, n;

	UNIT_CHECK(parse(good, UPLOAD_MAX_BODY + 1, "XyZ") == 413,
	    "upload: UPLOAD_MAX_BODY + 1 bytes are 413 (read nothing)");
	for (n = UPLOAD_MAX_PARTS; n <= UPLOAD_MAX_PARTS + 1; n++) {
		p = body;
		for (i = 0; i < n; i++)
			p += sprintf(p, "--B\r\nContent-Disposition: form-data; "
			    "name=\"f%zu\"\r\n\r\nv\r\n", i);
		p += sprintf(p, "--B--\r\n");
		UNIT_CHECK(parse(body, (size_t)(p - body), "B") == (n ==
		    UPLOAD_MAX_PARTS ? 0 : 400), "upload: %zu parts (UPLOAD_MAX_PARTS %d)",
		    n, UPLOAD_MAX_PARTS);
	}
	for (n = UPLOAD_MAX_HEADER; n <= UPLOAD_MAX_HEADER + 1; n++) {
		/* header lines of exactly n bytes, their CRLFs included */
		p = body + sprintf(body, "--B\r\n");
		i = (size_t)sprintf(p, "Content-Disposition: form-data; name=\"a\"\r\nX-Pad: ");
		memset(p + i, 'x', n - i - 2);
		memcpy(p + n - 2, "\r\n\r\nv\r\n--B--", 13);
		UNIT_CHECK(parse(body, strlen(body), "B") == (n == UPLOAD_MAX_HEADER ?
		    0 : 400), "upload: a part's headers of %zu bytes (UPLOAD_MAX_HEADER %d)",
		    n, UPLOAD_MAX_HEADER);
	}
	for (n = UPLOAD_MAX_NAME; n <= UPLOAD_MAX_NAME + 1; n++) {
		p = body + sprintf(body, "--B\r\nContent-Disposition: form-data; name=\"a\"; "
		    "filename=\"");
		memset(p, 'n', n);
		sprintf(p + n, "\"\r\n\r\nv\r\n--B--");
		UNIT_CHECK(parse(body, strlen(body), "B") == (n == UPLOAD_MAX_NAME ?
		    0 : 400), "upload: a file name of %zu bytes (UPLOAD_MAX_NAME %d)",
		    n, UPLOAD_MAX_NAME);
	}
}

/* A small PRNG (xorshift), seeded: the same bodies on every run. */
static uint32_t	 fuzz_state = 2463534242u;

static uint32_t
fuzz_rand(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 17;
	fuzz_state ^= fuzz_state << 5;
	return fuzz_state;
}

/* Mutates buf[0..*len) (room for cap bytes) once, as libFuzzer's simple mutators do. */
static void
fuzz_mutate(char *buf, size_t *len, size_t cap)
{
	static const char *const tokens[] = { "\r\n", "--XyZ", "\r\n--XyZ", "--",
	    "\"", ";", "name=", "filename=", "Content-Disposition: form-data",
	    "\r\n\r\n", "\0", "\xff" };
	size_t	 at = *len ? fuzz_rand() % *len : 0, n;
	const char *t;

	switch (fuzz_rand() % 5) {
	case 0:		/* flip a byte */
		if (*len)
			buf[at] = (char)fuzz_rand();
		break;
	case 1:		/* cut */
		*len = at;
		break;
	case 2:		/* delete a run */
		n = fuzz_rand() % 16;
		if (at + n <= *len) {
			memmove(buf + at, buf + at + n, *len - at - n);
			*len -= n;
		}
		break;
	default:	/* insert a token */
		t = tokens[fuzz_rand() % (sizeof(tokens) / sizeof(tokens[0]))];
		n = *t ? strlen(t) : 1;
		if (*len + n <= cap) {
			memmove(buf + at + n, buf + at, *len - at);
			memcpy(buf + at, t, n);
			*len += n;
		}
		break;
	}
}

static void
test_upload_fuzz(void)
{
	static char	 buf[4096];
	size_t		 len, i, k, bad = 0, decoded = 0;
	int		 rc, m;

	for (i = 0; i < UPLOAD_FUZZ_ROUNDS; i++) {
		memcpy(buf, good, sizeof(good) - 1);
		len = sizeof(good) - 1;
		for (m = 1 + (int)(fuzz_rand() % 4); m > 0; m--)
			fuzz_mutate(buf, &len, sizeof(buf));
		rc = parse(buf, len, "XyZ");
		if (rc != 0) {
			bad += rc != 400 || u.error == NULL;
			continue;
		}
		decoded++;
		for (k = 0; k < u.nparts; k++)
			if (u.parts[k].data < buf || u.parts[k].data + u.parts[k].len >
			    buf + len || u.parts[k].name[0] == '\0' ||
			    strlen(u.parts[k].name) > UPLOAD_MAX_NAME)
				bad++;
		if (u.nparts > UPLOAD_MAX_PARTS)
			bad++;
		rc = upload_to_form(&u, &f);
		if (rc != 0 && rc != 400 && rc != 413)
			bad++;
	}
	UNIT_CHECK(bad == 0, "upload: %d mutated bodies, each refused with 400 or decoded "
	    "inside the body (%zu decoded, %zu wrong)", UPLOAD_FUZZ_ROUNDS, decoded, bad);
	UNIT_CHECK(decoded > 0 && decoded < UPLOAD_FUZZ_ROUNDS,
	    "upload: the mutations reach both answers");
}

static void
test_media_sniff(void)
{
	UNIT_CHECK(media_sniff("\xff\xd8\xff\xe0", 4) == MEDIA_JPEG, "media: JPEG by its first bytes");
	UNIT_CHECK(media_sniff("\x89PNG\r\n\x1a\n", 8) == MEDIA_PNG, "media: PNG");
	UNIT_CHECK(media_sniff("RIFF\0\0\0\0WEBPVP8 ", 16) == MEDIA_WEBP, "media: WebP");
	UNIT_CHECK(media_sniff("%PDF-1.7\n", 9) == MEDIA_PDF, "media: PDF");
	UNIT_CHECK(media_sniff("RIFF\0\0\0\0WAVEfmt ", 16) == MEDIA_NONE, "media: a WAV is no WebP");
	UNIT_CHECK(media_sniff("GIF89a\1\0\1\0", 10) == MEDIA_NONE, "media: GIF is not taken");
	UNIT_CHECK(media_sniff("<svg xmlns=", 11) == MEDIA_NONE, "media: SVG is not taken");
	UNIT_CHECK(media_sniff("<html>\xff\xd8\xff", 9) == MEDIA_NONE, "media: HTML first is nothing");
	UNIT_CHECK(media_sniff(" %PDF-1.4", 9) == MEDIA_NONE, "media: a PDF header must be first");
	UNIT_CHECK(media_sniff("\xff\xd8", 2) == MEDIA_NONE, "media: too short");
}

static void
test_media_names(void)
{
	char	 s[32];

	UNIT_CHECK(media_name_kind("0123456789abcdef0123.jpg") == MEDIA_JPEG, "media: a stored name");
	UNIT_CHECK(media_name_kind("0123456789abcdef0123.pdf") == MEDIA_PDF, "media: a PDF's name");
	UNIT_CHECK(media_name_kind("0123456789ABCDEF0123.jpg") == MEDIA_NONE, "media: upper case is no name");
	UNIT_CHECK(media_name_kind("0123456789abcdef012.jpg") == MEDIA_NONE, "media: too short");
	UNIT_CHECK(media_name_kind("0123456789abcdef0123.jpg.html") == MEDIA_NONE, "media: two extensions");
	UNIT_CHECK(media_name_kind("0123456789abcdef0123.svg") == MEDIA_NONE, "media: another type");
	UNIT_CHECK(media_name_kind("../456789abcdef0123.jpg") == MEDIA_NONE, "media: a path");
	UNIT_CHECK(media_name_kind("0123456789abcdef0123-480.jpg") == MEDIA_NONE, "media: a width is no stored name");
	media_size_label(999, s, sizeof(s));
	UNIT_STREQ(s, "999 B", "media: bytes");
	media_size_label(856000, s, sizeof(s));
	UNIT_STREQ(s, "856 KB", "media: KB");
	media_size_label(1234567, s, sizeof(s));
	UNIT_STREQ(s, "1.2 MB", "media: MB, one decimal");
}

int
main(void)
{
	test_upload_good();
	test_upload_boundary();
	test_upload_refused();
	test_upload_limits();
	test_upload_fuzz();
	test_media_sniff();
	test_media_names();
	return unit_done();
}
