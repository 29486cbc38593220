/*
 * digest.c - hex encoding and list digests.  See digest.h.
 */
#include "util/digest.h"

#include <openssl/evp.h>
#include <string.h>

void
hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

int
digest_names(const char *const *names, size_t n, char hex[DIGEST_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t k;
	int ok;

	ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	for (k = 0; ok && k < n; k++)
		ok = EVP_DigestUpdate(ctx, names[k], strlen(names[k])) == 1 &&
		    EVP_DigestUpdate(ctx, "\n", 1) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, md, &len) == 1 && len == 32;
	EVP_MD_CTX_free(ctx);
	hex[0] = '\0';
	if (!ok)
		return -1;
	hex_encode(md, len, hex);
	return 0;
}
