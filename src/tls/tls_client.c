/*
 * tls_client.c - the measuring TLS client.  See tls_client.h.
 */
#include "tls/tls_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"

/*
 * Everything OpenSSL can still do except the NULL ciphers: the modern
 * defaults first, then the legacy suites, so a legacy-only server still
 * completes a handshake and gets measured.
 */
#define MEASURING_CIPHERS "DEFAULT:ALL:!eNULL:@SECLEVEL=0"

/* Debian 12's default client: security level 2 = 112-bit strength. */
#define MODERN_MIN_SECURITY_BITS 112

struct ssl_ctx_st *
tls_client_ctx_new(const char *ca_file, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL) {
		snprintf(err, errlen, "TLS: cannot create a client context");
		return NULL;
	}
	SSL_CTX_set_security_level(ctx, 0);
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, MEASURING_CIPHERS) != 1) {
		snprintf(err, errlen, "TLS: cannot configure the client context");
		goto fail;
	}
	/*
	 * OpenSSL 3 refuses servers without RFC 5746 secure renegotiation;
	 * we record that instead (tls_facts.secure_renegotiation).
	 */
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT |
	    SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (ca_file != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
			snprintf(err, errlen, "--ca-file %s: not a readable PEM "
			    "certificate bundle", ca_file);
			goto fail;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		snprintf(err, errlen, "TLS: cannot load the system trust store");
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

struct ssl_st *
tls_client_ssl_new(struct ssl_ctx_st *ctx, const char *server_name)
{
	SSL *ssl = SSL_new(ctx);

	if (ssl == NULL)
		return NULL;
	if (SSL_set_tlsext_host_name(ssl, server_name) != 1) {
		SSL_free(ssl);
		return NULL;
	}
	SSL_set_connect_state(ssl);
	return ssl;
}

char *
tls_error_text(unsigned long err, const char *fallback)
{
	char buf[256];

	if (err == 0)
		err = ERR_peek_last_error();
	ERR_clear_error();
	if (err == 0)
		return sanitize_str(fallback, 256);
	ERR_error_string_n(err, buf, sizeof(buf));
	return sanitize_str(buf, 256);
}

static void
kx_facts(SSL *ssl, const SSL_CIPHER *c, struct tls_facts *out)
{
	EVP_PKEY *tmp = NULL;
	const char *kx;
	int nid;

	switch (SSL_CIPHER_get_kx_nid(c)) {
	case NID_kx_ecdhe: kx = "ECDHE"; break;
	case NID_kx_dhe: kx = "DHE"; break;
	case NID_kx_rsa: kx = "RSA"; break;
	case NID_kx_any: kx = "any"; break;	/* TLS 1.3: always (EC)DHE */
	case NID_kx_psk: kx = "PSK"; break;
	default: kx = "other"; break;
	}
	out->kx = strdup(kx);
	out->forward_secret = strcmp(kx, "RSA") != 0 && strcmp(kx, "PSK") != 0;
	if (SSL_get_peer_tmp_key(ssl, &tmp) == 1 && tmp != NULL) {
		const char *group = NULL;

		nid = SSL_get_negotiated_group(ssl);
		if (nid != NID_undef && nid != 0)
			group = SSL_group_to_name(ssl, nid);
		if (group == NULL)
			group = EVP_PKEY_get0_type_name(tmp);
		out->kx_group = sanitize_str(group ? group : "unknown", 64);
		/* TLS 1.3 suites do not name the exchange; the key does. */
		if (strcmp(out->kx, "any") == 0) {
			free(out->kx);
			out->kx = strdup(EVP_PKEY_is_a(tmp, "DH") ? "DHE" : "ECDHE");
		}
		out->kx_bits = EVP_PKEY_get_bits(tmp);
		out->kx_security_bits = EVP_PKEY_get_security_bits(tmp);
		EVP_PKEY_free(tmp);
	}
}

static void note_refusal(struct tls_facts *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note_refusal(struct tls_facts *out, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	strvec_push_copy(&out->modern_refusals, buf);
}

/*
 * What Debian 12's OpenSSL 3 client would have refused, judged from the
 * negotiated parameters (the checks OpenSSL applies at security level 2).
 */
static void
judge_modern_client(SSL *ssl, struct tls_facts *out)
{
	if (out->version_code < TLS1_2_VERSION)
		note_refusal(out, "%s is disabled (TLS 1.2 minimum; OpenSSL 3 "
		    "allows TLS 1.0/1.1 only at security level 0)", out->version);
	if (out->kx_group != NULL &&
	    out->kx_security_bits < MODERN_MIN_SECURITY_BITS)
		note_refusal(out, "%s key too small (%d-bit %s group, "
		    "%d-bit strength, needs 112)",
		    strcmp(out->kx, "DHE") == 0 ? "dh" : "ecdh", out->kx_bits,
		    out->kx_group, out->kx_security_bits);
	if (out->cipher_bits < MODERN_MIN_SECURITY_BITS)
		note_refusal(out, "cipher %s has %d-bit strength (needs 112)",
		    out->cipher, out->cipher_bits);
	if (out->sig_digest != NULL && (strcmp(out->sig_digest, "SHA1") == 0 ||
	    strcmp(out->sig_digest, "MD5") == 0 ||
	    strcmp(out->sig_digest, "MD5-SHA1") == 0))
		note_refusal(out, "handshake signed with %s", out->sig_digest);
	if (out->version_code <= TLS1_2_VERSION && !out->secure_renegotiation)
		note_refusal(out, "no secure renegotiation (RFC 5746): "
		    "\"unsafe legacy renegotiation disabled\"");
	(void)ssl;
}

static int
chain_facts(SSL *ssl, const char *host, struct tls_facts *out)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	long vr;
	int i, n = chain ? sk_X509_num(chain) : 0;

	if (n > 0 && (out->chain = calloc((size_t)n, sizeof(*out->chain))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (cert_facts_from_x509(sk_X509_value(chain, i),
		    &out->chain[i]) == -1)
			return -1;
		out->chain_len++;
	}
	vr = SSL_get_verify_result(ssl);
	out->verify_ok = n > 0 && vr == X509_V_OK;
	if (n == 0)
		out->verify_error = strdup("no certificate presented");
	else if (vr != X509_V_OK)
		out->verify_error = strdup(X509_verify_cert_error_string(vr));
	if (n > 0)
		out->matched_name = cert_match_host(&out->chain[0], host);
	return 0;
}

int
tls_facts_collect(SSL *ssl, const char *host, struct tls_facts *out)
{
	const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
	int alg_bits = 0, nid = NID_undef;

	out->handshake_ok = 1;
	out->version = strdup(SSL_get_version(ssl));
	out->version_code = SSL_version(ssl);
	if (c != NULL) {
		const char *iana = SSL_CIPHER_standard_name(c);

		out->cipher = strdup(SSL_CIPHER_get_name(c));
		out->cipher_iana = iana ? strdup(iana) : NULL;
		out->cipher_bits = SSL_CIPHER_get_bits(c, &alg_bits);
		kx_facts(ssl, c, out);
	}
	if (SSL_get_peer_signature_nid(ssl, &nid) == 1 && nid != NID_undef)
		out->sig_digest = strdup(OBJ_nid2sn(nid));
	out->secure_renegotiation = SSL_get_secure_renegotiation_support(ssl) == 1;
	if (chain_facts(ssl, host, out) == -1)
		return -1;
	judge_modern_client(ssl, out);
	return out->version && (c == NULL || out->cipher) ? 0 : -1;
}

void
tls_facts_free(struct tls_facts *t)
{
	size_t i;

	free(t->error);
	free(t->version);
	free(t->cipher);
	free(t->cipher_iana);
	free(t->kx);
	free(t->kx_group);
	free(t->sig_digest);
	for (i = 0; i < t->chain_len; i++)
		cert_facts_free(&t->chain[i]);
	free(t->chain);
	free(t->verify_error);
	strvec_clear(&t->modern_refusals);
	memset(t, 0, sizeof(*t));
}
