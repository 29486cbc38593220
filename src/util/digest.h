/*
 * digest.h - hex encoding, and the SHA-256 identity of a list of names.
 *
 * A scan's identity (docs/store.md) is the SHA-256 of its domain list, each
 * name followed by "\n"; the exclude list's identity is the same over its
 * canonical entries.  One function computes it for both, so the digest of
 * a list is the same wherever it is taken (scan input, store, exclude).
 */
#ifndef MAILTLS_DIGEST_H
#define MAILTLS_DIGEST_H

#include <stddef.h>

#define DIGEST_SHA256_HEX 65	/* 64 hex digits and a NUL */

/* hex_encode - n bytes as 2n lower-case hex digits and a NUL into out. */
void hex_encode(const unsigned char *in, size_t n, char *out);

/*
 * digest_names - the hex SHA-256 of names[0..n), each followed by "\n",
 * into hex (DIGEST_SHA256_HEX bytes; "" on failure).  0, or -1 (OpenSSL
 * failed).
 */
int digest_names(const char *const *names, size_t n,
    char hex[DIGEST_SHA256_HEX]);

#endif
