/* auth.h: staff passwords (Argon2id), session tokens and CSRF tokens. */
#ifndef FAZHI_AUTH_H
#define FAZHI_AUTH_H

#include <stddef.h>

/*
 * Shortest password, in characters (OWASP ASVS 2.1.1 asks for 12). Long
 * passphrases in Chinese count their characters, not their bytes.
 */
#define AUTH_MIN_PASSWORD	12
/* Longest password, in bytes: Argon2id costs the same either way; this bounds input. */
#define AUTH_MAX_PASSWORD	256
/* Random bytes in a session or sign-in token (256 bits). */
#define AUTH_TOKEN_BYTES	32
/* A token as hex, with its NUL. */
#define AUTH_TOKEN_HEX		(AUTH_TOKEN_BYTES * 2 + 1)
/* A token's hash (or a CSRF token) as hex, with its NUL: 32-byte BLAKE2b. */
#define AUTH_HASH_HEX		65

int	 auth_init(void);
int	 auth_password_acceptable(const char *);
int	 auth_hash_password(const char *, char *, size_t);
int	 auth_verify_password(const char *, const char *);
void	 auth_verify_dummy(const char *);
int	 auth_new_token(char [AUTH_TOKEN_HEX]);
int	 auth_token_hash(const char *, char [AUTH_HASH_HEX]);
int	 auth_csrf_token(const char *, char [AUTH_HASH_HEX]);
int	 auth_csrf_check(const char *, const char *);

#endif
