/*
 * tls_client.h - the TLS client mailtls speaks after STARTTLS, and what it
 * learns from one handshake.
 *
 * The client must *measure* weak servers, not refuse them: its context runs
 * at OpenSSL security level 0, allows TLS 1.0 and up, legacy renegotiation
 * and every cipher but the NULL ones, and never aborts on certificate
 * problems (SSL_VERIFY_NONE, as opportunistic senders do).  The chain is
 * still verified against the trust store and the result recorded.  What a
 * default modern client (Debian 12's OpenSSL 3: security level 2, TLS 1.2
 * minimum) would have refused is derived from the negotiated parameters and
 * recorded as reasons, e.g. "dh key too small".
 *
 * The full list of protocols and ciphers a server accepts is the probe
 * engine's job (src/probe); this module sees one handshake.
 */
#ifndef MAILTLS_TLS_CLIENT_H
#define MAILTLS_TLS_CLIENT_H

#include <stddef.h>

#include "tls/tls_cert.h"
#include "util/strvec.h"

struct ssl_st;
struct ssl_ctx_st;

struct tls_facts {
	int		 handshake_ok;
	char		*error;		/* why the handshake failed (sanitised) */
	char		*version;	/* "TLSv1.3" */
	int		 version_code;	/* 0x0304 */
	char		*cipher;	/* OpenSSL name "TLS_AES_256_GCM_SHA384" */
	char		*cipher_iana;	/* IANA name, or NULL */
	int		 cipher_bits;	/* symmetric strength */
	char		*kx;		/* "ECDHE", "DHE", "RSA", "any" (TLS 1.3) */
	char		*kx_group;	/* "X25519", "ffdhe2048", "DH", NULL */
	int		 kx_bits;	/* size of the ephemeral key (DH prime bits) */
	int		 kx_security_bits;
	int		 forward_secret;
	char		*sig_digest;	/* digest of the server's handshake signature */
	int		 secure_renegotiation;	/* RFC 5746 offered (TLS <= 1.2) */
	struct cert_facts *chain;	/* as sent, leaf first */
	size_t		 chain_len;
	int		 verify_ok;	/* chain verifies to the trust store */
	char		*verify_error;	/* X509 verify error text, or NULL */
	const char	*matched_name;	/* points into chain[0], or NULL */
	struct strvec	 modern_refusals;	/* why a default client would refuse */
};

/*
 * tls_client_ctx_new - the shared client context.  ca_file: trust store
 * (PEM bundle) or NULL for the system store.  NULL + err on failure.
 */
struct ssl_ctx_st *tls_client_ctx_new(const char *ca_file, char *err,
    size_t errlen);

/*
 * tls_client_ssl_new - one connection's SSL object with SNI server_name and
 * the chain verified for that name (recorded, never enforced).
 */
struct ssl_st *tls_client_ssl_new(struct ssl_ctx_st *ctx,
    const char *server_name);

/*
 * tls_facts_collect - after a completed handshake on ssl, fill out.
 * host: the MX name the certificate should match.  0, or -1 when out of
 * memory.
 */
int tls_facts_collect(struct ssl_st *ssl, const char *host, struct tls_facts *out);

/*
 * tls_error_text - the current OpenSSL error queue (or errno text) as one
 * sanitised line, clearing the queue.  Newly allocated.
 */
char *tls_error_text(unsigned long err, const char *fallback);

void tls_facts_free(struct tls_facts *t);

#endif
