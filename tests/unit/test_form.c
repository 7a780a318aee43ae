/* test_form.c: unit tests for form.c (form bodies) and auth.c (passwords, tokens, CSRF). */
/* checks: 38 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "form.h"
#include "unit.h"

static struct form	 f;	/* large: kept off the stack */

static int
parse(const char *body)
{
	return form_parse(&f, body, strlen(body));
}

static void
test_form_fields(void)
{
	UNIT_CHECK(parse("name=wang&password=a+b%20c%26d&empty=&flag") == 0,
	    "form: a plain body decodes");
	UNIT_STREQ(form_get(&f, "name"), "wang", "form: a field");
	UNIT_STREQ(form_get(&f, "password"), "a b c&d", "form: + and %%20 are spaces, %%26 is &");
	UNIT_STREQ(form_get(&f, "empty"), "", "form: an empty value");
	UNIT_STREQ(form_get(&f, "flag"), "", "form: a field without =");
	UNIT_CHECK(form_get(&f, "missing") == NULL, "form: an absent field is NULL");
	UNIT_CHECK(parse("display=%E7%8E%8B%E7%BC%96%E8%BE%91&&x=1") == 0 &&
	    strcmp(form_get(&f, "display"), "王编辑") == 0, "form: UTF-8 text, && skipped");
	UNIT_CHECK(parse("note=line%0D%0Anext%09tab") == 0,
	    "form: a textarea's line breaks and tabs are allowed");
}

static void
test_form_refused(void)
{
	UNIT_CHECK(parse("a=%zz") == 400 && f.error != NULL, "form: a bad escape is 400");
	UNIT_CHECK(parse("a=%4") == 400, "form: a cut escape is 400");
	UNIT_CHECK(parse("a=%00") == 400, "form: NUL is refused");
	UNIT_CHECK(parse("a=%1B") == 400, "form: a control character is refused");
	UNIT_CHECK(parse("a=%C0%AF") == 400, "form: an overlong UTF-8 form is refused");
	UNIT_CHECK(parse("a=%ED%A0%80") == 400, "form: a surrogate is refused");
}

static void
test_form_limits(void)
{
	char	*body = malloc(FORM_MAX_BODY + 2);
	char	 many[FORM_MAX_FIELDS * 4 + 8] = "";
	int	 i;

	memset(body, 'x', FORM_MAX_BODY + 1);
	body[0] = 'a';
	body[1] = '=';
	UNIT_CHECK(form_parse(&f, body, FORM_MAX_BODY) == 0,
	    "form: FORM_MAX_BODY bytes are accepted");
	UNIT_CHECK(strlen(form_get(&f, "a")) == FORM_MAX_BODY - 2, "form: all of it");
	UNIT_CHECK(form_parse(&f, body, FORM_MAX_BODY + 1) == 413,
	    "form: FORM_MAX_BODY + 1 bytes are 413");
	free(body);
	for (i = 0; i < FORM_MAX_FIELDS; i++)
		strcat(many, i ? "&a=" : "a=");
	UNIT_CHECK(parse(many) == 0, "form: FORM_MAX_FIELDS fields are accepted");
	strcat(many, "&a=");
	UNIT_CHECK(parse(many) == 400, "form: one more field is 400");
}

static void
test_auth(void)
{
	char	 t1[AUTH_TOKEN_HEX], t2[AUTH_TOKEN_HEX], h[AUTH_HASH_HEX], c[AUTH_HASH_HEX];
	char	 hash[128], longpw[AUTH_MAX_PASSWORD + 2];

	UNIT_CHECK(auth_init() == 0, "auth: libsodium starts");
	UNIT_CHECK(!auth_password_acceptable("elevenchars"), "auth: 11 characters are too few");
	UNIT_CHECK(auth_password_acceptable("twelve chars"), "auth: AUTH_MIN_PASSWORD characters are enough");
	UNIT_CHECK(auth_password_acceptable("一二三四五六七八九十甲乙"),
	    "auth: twelve Chinese characters are twelve characters");
	UNIT_CHECK(!auth_password_acceptable("一二三四五六七八九十甲"),
	    "auth: eleven Chinese characters (33 bytes) are too few");
	UNIT_CHECK(!auth_password_acceptable("twelve\tchars"), "auth: control characters are refused");
	memset(longpw, 'p', sizeof(longpw));
	longpw[AUTH_MAX_PASSWORD] = '\0';
	UNIT_CHECK(auth_password_acceptable(longpw), "auth: AUTH_MAX_PASSWORD bytes are accepted");
	longpw[AUTH_MAX_PASSWORD] = 'p';
	longpw[AUTH_MAX_PASSWORD + 1] = '\0';
	UNIT_CHECK(!auth_password_acceptable(longpw), "auth: one more byte is refused");
	UNIT_CHECK(auth_hash_password("twelve chars", hash, sizeof(hash)) == 0 &&
	    strncmp(hash, "$argon2id$", 10) == 0, "auth: Argon2id");
	UNIT_CHECK(auth_verify_password(hash, "twelve chars") == 0, "auth: the right password");
	UNIT_CHECK(auth_verify_password(hash, "twelve charz") == -1, "auth: a wrong one");
	auth_new_token(t1);
	auth_new_token(t2);
	UNIT_CHECK(strlen(t1) == 64 && strcmp(t1, t2) != 0, "auth: tokens are 32 random bytes");
	UNIT_CHECK(auth_token_hash(t1, h) == 0 && strcmp(h, t1) != 0, "auth: a token's hash is not the token");
	UNIT_CHECK(auth_csrf_token(t1, c) == 0 && strcmp(c, h) != 0,
	    "auth: the CSRF token differs from the stored hash");
	UNIT_CHECK(auth_csrf_check(t1, c) == 0, "auth: the CSRF token checks");
	UNIT_CHECK(auth_csrf_check(t2, c) == -1, "auth: not for another session");
	c[0] = c[0] == 'a' ? 'b' : 'a';
	UNIT_CHECK(auth_csrf_check(t1, c) == -1, "auth: one changed character fails");
	UNIT_CHECK(auth_csrf_check(t1, NULL) == -1 && auth_csrf_check(t1, "") == -1,
	    "auth: a missing token fails");
	UNIT_CHECK(auth_token_hash("not a token", h) == -1 &&
	    auth_token_hash("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789", h) == -1,
	    "auth: only lower-case hex of the right length is a token");
}

int
main(void)
{
	test_form_fields();
	test_form_refused();
	test_form_limits();
	test_auth();
	return unit_done();
}
