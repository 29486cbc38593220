/*
 * ossl_server.h - a real OpenSSL server in memory, for the probe tests.
 *
 * The tests check our ClientHellos and our parser against an independent
 * implementation without a socket: a server SSL object sits behind a
 * memory BIO pair; the test writes its ClientHello bytes into one end and
 * reads whatever the server answers (ServerHello ... ServerHelloDone, a
 * TLS 1.3 flight, an alert) out of it.  The certificates are made at run
 * time, self-signed, so nothing is kept in files.
 *
 * Everything here aborts the test (cmocka assertions) on failure; the
 * objects are freed with the functions named below.
 */
#ifndef MAILTLS_TEST_OSSL_SERVER_H
#define MAILTLS_TEST_OSSL_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

enum ossl_key {
	OSSL_KEY_RSA,		/* RSA 2048 */
	OSSL_KEY_ECDSA,		/* P-256 */
	OSSL_KEY_COUNT
};

/*
 * ossl_server_ctx - a server context at security level 0 with every
 * cipher this OpenSSL has ("ALL:COMPLEMENTOFALL"), TLS 1.0 to 1.3, and a
 * self-signed certificate of the given key type (made once per process
 * and key type).  Free with SSL_CTX_free().
 */
SSL_CTX *ossl_server_ctx(enum ossl_key key);

/* ossl_server_cert - that certificate (owned by the module: do not free). */
X509 *ossl_server_cert(enum ossl_key key);

/*
 * ossl_server_answer - run one server SSL from ctx on the ClientHello
 * hello[0..len): write it in, let the server act once, and copy what it
 * wrote into out[0..cap).  Returns the number of bytes (0 if it sent
 * nothing; fails the test if more than cap).  If version is not NULL it
 * gets SSL_version() of the server afterwards, and cipher the protocol id
 * of SSL_get_current_cipher() (0 if none).  setup, when not NULL, is
 * called on the server SSL before the hello goes in.
 */
size_t ossl_server_answer(SSL_CTX *ctx, const uint8_t *hello, size_t len,
    uint8_t *out, size_t cap, int *version, uint16_t *cipher,
    void (*setup)(SSL *));

#endif
