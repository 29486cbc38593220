/*
 * tls_cert.h - the facts of one X.509 certificate that a report shows.
 *
 * Every string is copied out of the certificate and sanitised (a
 * certificate is peer data like any other); nothing here refers back to
 * OpenSSL objects, so results outlive the connection.
 */
#ifndef MAILTLS_TLS_CERT_H
#define MAILTLS_TLS_CERT_H

#include <stdint.h>
#include <time.h>

#include "util/strvec.h"

struct x509_st;

struct cert_facts {
	char		*subject;	/* RFC 2253 one-line form */
	char		*issuer;
	char		*common_name;	/* last CN of the subject, or NULL */
	struct strvec	 dns_names;	/* subjectAltName dNSName entries */
	int64_t		 not_before;	/* seconds since the epoch, UTC */
	int64_t		 not_after;
	char		*key_type;	/* "RSA", "EC", "ED25519", ... */
	int		 key_bits;
	int		 key_security_bits;	/* NIST SP 800-57 strength */
	char		*sig_alg;	/* "sha256WithRSAEncryption", ... */
	int		 sig_sha1_or_worse;	/* MD5 or SHA-1 signature */
	int		 self_signed;	/* issued by itself, signature verifies */
	int		 is_ca;
	char		 sha256[65];	/* hex fingerprint of the DER encoding */
	/* The certificate as sent (DER): DANE matches TLSA records against
	 * it after the connection is gone (src/dane). */
	unsigned char	*der;
	size_t		 der_len;
};

/* cert_facts_from_x509 - fill out from cert.  0, or -1 when out of memory. */
int cert_facts_from_x509(struct x509_st *cert, struct cert_facts *out);

/*
 * cert_match_host - the name (SAN dNSName, or the CN when the certificate
 * has no DNS SANs, RFC 6125 6.4.4) that covers host, or NULL.
 */
const char *cert_match_host(const struct cert_facts *c, const char *host);

void cert_facts_free(struct cert_facts *c);

#endif
