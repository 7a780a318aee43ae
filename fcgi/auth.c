/*
 * auth.c: what proves who a staff member is, with libsodium: passwords
 * hashed with Argon2id, session tokens of AUTH_TOKEN_BYTES random bytes of
 * which the database only ever sees a hash, and CSRF tokens derived from
 * the session token, so that a page can carry one without storing it.
 * Comparisons of secrets take the same time whatever the bytes.
 */
#include <string.h>

#include <sodium.h>

#include "auth.h"
#include "log.h"

/*
 * Argon2id's cost: libsodium's "interactive" limits (2 passes, 64 MiB), about
 * a tenth of a second per sign-in here. Stronger limits would make every
 * failed guess dearer for an attacker and every sign-in slower for staff;
 * the lock-out after AUTH failures is what stops online guessing.
 */
#define AUTH_PWHASH_OPS		crypto_pwhash_OPSLIMIT_INTERACTIVE
#define AUTH_PWHASH_MEM		crypto_pwhash_MEMLIMIT_INTERACTIVE

/* A hash of a random password: what an unknown account is checked against. */
static char	auth_dummy[crypto_pwhash_STRBYTES];

/*
 * Initialises libsodium and the dummy hash. Returns 0, or -1 (logged).
 */
int
auth_init(void)
{
	char	 pw[AUTH_TOKEN_HEX];

	if (sodium_init() < 0) {
		log_warnx("libsodium could not be initialised");
		return -1;
	}
	if (auth_dummy[0] != '\0')
		return 0;
	if (auth_new_token(pw) == -1 ||
	    auth_hash_password(pw, auth_dummy, sizeof(auth_dummy)) == -1)
		return -1;
	sodium_memzero(pw, sizeof(pw));
	return 0;
}

/*
 * Is pw acceptable as a new password: clean UTF-8 of at least
 * AUTH_MIN_PASSWORD characters and at most AUTH_MAX_PASSWORD bytes, no
 * control characters? Returns 1 or 0. (No composition rules: length is what
 * makes a password strong, NIST SP 800-63B 5.1.1.)
 */
int
auth_password_acceptable(const char *pw)
{
	const unsigned char	*p;
	size_t			 chars = 0;

	if (strlen(pw) > AUTH_MAX_PASSWORD)
		return 0;
	for (p = (const unsigned char *)pw; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if ((*p & 0xC0) != 0x80)	/* not a continuation byte */
			chars++;
	}
	return chars >= AUTH_MIN_PASSWORD;
}

/*
 * Hashes pw into out (at least crypto_pwhash_STRBYTES bytes): Argon2id with
 * a random salt, in the self-describing string format. Returns 0, or -1.
 */
int
auth_hash_password(const char *pw, char *out, size_t outsz)
{
	if (outsz < crypto_pwhash_STRBYTES || strlen(pw) > AUTH_MAX_PASSWORD)
		return -1;
	if (crypto_pwhash_str(out, pw, strlen(pw), AUTH_PWHASH_OPS,
	    AUTH_PWHASH_MEM) != 0) {
		log_warnx("password hashing ran out of memory");
		return -1;
	}
	return 0;
}

/* Returns 0 when pw matches hash, else -1. */
int
auth_verify_password(const char *hash, const char *pw)
{
	if (strlen(pw) > AUTH_MAX_PASSWORD)
		return -1;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0 ? 0 : -1;
}

/*
 * Does the work of a verification that fails, for an account that does not
 * exist, is disabled or is locked: the answer then takes as long as for a
 * wrong password, and its time tells nothing.
 */
void
auth_verify_dummy(const char *pw)
{
	size_t	 n = strlen(pw);

	if (crypto_pwhash_str_verify(auth_dummy, pw,
	    n > AUTH_MAX_PASSWORD ? AUTH_MAX_PASSWORD : n) == 0)
		return;		/* a random password: never happens */
}

/* A fresh random token as hex. Returns 0. */
int
auth_new_token(char hex[AUTH_TOKEN_HEX])
{
	unsigned char	 raw[AUTH_TOKEN_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, AUTH_TOKEN_HEX, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

/* Decodes a token of exactly AUTH_TOKEN_BYTES as lower-case hex. 0 or -1. */
static int
auth_token_raw(const char *hex, unsigned char raw[AUTH_TOKEN_BYTES])
{
	size_t	 n, i;

	if (hex == NULL || strlen(hex) != AUTH_TOKEN_HEX - 1)
		return -1;
	for (i = 0; i < AUTH_TOKEN_HEX - 1; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
			return -1;
	if (sodium_hex2bin(raw, AUTH_TOKEN_BYTES, hex, AUTH_TOKEN_HEX - 1,
	    NULL, &n, NULL) != 0 || n != AUTH_TOKEN_BYTES)
		return -1;
	return 0;
}

/*
 * Hashes a token (keyed by purpose, so a token's hash for one use is no
 * value for another) into hex out. Returns 0, or -1 when it is not a token.
 */
static int
auth_derive(const char *token, const char *purpose, char out[AUTH_HASH_HEX])
{
	unsigned char	 raw[AUTH_TOKEN_BYTES], h[32];
	unsigned char	 key[crypto_generichash_KEYBYTES];

	if (auth_token_raw(token, raw) == -1)
		return -1;
	memset(key, 0, sizeof(key));
	memcpy(key, purpose, strlen(purpose) < sizeof(key) ? strlen(purpose) :
	    sizeof(key));
	crypto_generichash(h, sizeof(h), raw, sizeof(raw), key, sizeof(key));
	sodium_bin2hex(out, AUTH_HASH_HEX, h, sizeof(h));
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

/* What the database keeps of a session token. 0, or -1 when not a token. */
int
auth_token_hash(const char *token, char out[AUTH_HASH_HEX])
{
	return auth_derive(token, "fazhi session", out);
}

/*
 * The CSRF token of the forms of a session (or of the sign-in form, from
 * its own cookie): the token hashed under another key. It cannot be worked
 * out without the cookie, which another site's page never sees.
 */
int
auth_csrf_token(const char *token, char out[AUTH_HASH_HEX])
{
	return auth_derive(token, "fazhi csrf", out);
}

/* Returns 0 when given is the CSRF token of token, else -1. */
int
auth_csrf_check(const char *token, const char *given)
{
	char	 want[AUTH_HASH_HEX];

	if (given == NULL || strlen(given) != AUTH_HASH_HEX - 1 ||
	    auth_csrf_token(token, want) == -1)
		return -1;
	return sodium_memcmp(want, given, AUTH_HASH_HEX - 1) == 0 ? 0 : -1;
}
