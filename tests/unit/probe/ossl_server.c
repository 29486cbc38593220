/*
 * ossl_server.c - a real OpenSSL server in memory.  See ossl_server.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ossl_server.h"

static EVP_PKEY	*keys[OSSL_KEY_COUNT];
static X509	*certs[OSSL_KEY_COUNT];

/* make_cert - a self-signed certificate for mx.example (cached). */
static void
make_cert(enum ossl_key k)
{
	X509_NAME *name;
	X509 *x;

	if (certs[k] != NULL)
		return;
	keys[k] = k == OSSL_KEY_RSA ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
	assert_non_null(keys[k]);
	x = X509_new();
	assert_non_null(x);
	assert_int_equal(X509_set_version(x, 2), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 1 + k), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), -3600));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 86400));
	name = X509_get_subject_name(x);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"mx.example", -1, -1, 0), 1);
	assert_int_equal(X509_set_issuer_name(x, name), 1);
	assert_int_equal(X509_set_pubkey(x, keys[k]), 1);
	assert_true(X509_sign(x, keys[k], EVP_sha256()) > 0);
	certs[k] = x;
}

X509 *
ossl_server_cert(enum ossl_key key)
{
	make_cert(key);
	return certs[key];
}

SSL_CTX *
ossl_server_ctx(enum ossl_key key)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	assert_non_null(ctx);
	make_cert(key);
	/* Measure weak configurations, as the servers we probe have them. */
	SSL_CTX_set_security_level(ctx, 0);
	assert_int_equal(SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION), 1);
	assert_int_equal(SSL_CTX_set_cipher_list(ctx,
	    "ALL:COMPLEMENTOFALL:@SECLEVEL=0"), 1);
	assert_int_equal(SSL_CTX_use_certificate(ctx, certs[key]), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(ctx, keys[key]), 1);
	/* No tickets: they only add a NewSessionTicket after our flight. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	return ctx;
}

size_t
ossl_server_answer(SSL_CTX *ctx, const uint8_t *hello, size_t len,
    uint8_t *out, size_t cap, int *version, uint16_t *cipher,
    void (*setup)(SSL *))
{
	BIO *server_end, *our_end;
	const SSL_CIPHER *c;
	SSL *ssl = SSL_new(ctx);
	size_t got = 0;
	int n;

	assert_non_null(ssl);
	/* Room for a hello split over several records, and a long chain. */
	assert_int_equal(BIO_new_bio_pair(&server_end, 256 * 1024, &our_end,
	    256 * 1024), 1);
	SSL_set_bio(ssl, server_end, server_end);
	SSL_set_accept_state(ssl);
	if (setup != NULL)
		setup(ssl);
	assert_int_equal(BIO_write(our_end, hello, (int)len), (int)len);
	(void)SSL_do_handshake(ssl);	/* wants our next flight: -1 */
	while ((n = BIO_read(our_end, out + got, (int)(cap - got))) > 0) {
		got += (size_t)n;
		assert_true(got < cap);		/* cap was big enough */
	}
	if (version != NULL)
		*version = SSL_version(ssl);
	if (cipher != NULL) {
		c = SSL_get_pending_cipher(ssl);
		if (c == NULL)
			c = SSL_get_current_cipher(ssl);
		*cipher = c ? (uint16_t)SSL_CIPHER_get_protocol_id(c) : 0;
	}
	SSL_free(ssl);
	BIO_free(our_end);
	return got;
}
