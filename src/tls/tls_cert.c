/*
 * tls_cert.c - read the report's facts out of an X509.  See tls_cert.h.
 */
#include "tls/tls_cert.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls/tls_name.h"
#include "util/digest.h"
#include "util/sanitize.h"

#define CERT_TEXT_MAX 1024	/* longest subject/issuer we keep */

static char *
name_text(const X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long len;

	if (bio == NULL)
		return NULL;
	if (X509_NAME_print_ex(bio, name, 0,
	    XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		len = BIO_get_mem_data(bio, &data);
		out = sanitize_copy(data, len > 0 ? (size_t)len : 0, CERT_TEXT_MAX);
	}
	BIO_free(bio);
	return out;
}

static char *
asn1_string_text(const ASN1_STRING *s)
{
	/* Embedded NULs become '?', so "good.org\0.evil" matches nothing. */
	return sanitize_copy(ASN1_STRING_get0_data(s),
	    (size_t)ASN1_STRING_length(s), 255);
}

static char *
last_common_name(const X509_NAME *name)
{
	int i = -1, last = -1;

	while ((i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0)
		last = i;
	if (last < 0)
		return NULL;
	return asn1_string_text(X509_NAME_ENTRY_get_data(
	    X509_NAME_get_entry(name, last)));
}

static int
collect_dns_names(X509 *cert, struct strvec *out)
{
	GENERAL_NAMES *sans = X509_get_ext_d2i(cert, NID_subject_alt_name,
	    NULL, NULL);
	int i, rc = 0;

	for (i = 0; sans != NULL && i < sk_GENERAL_NAME_num(sans); i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(sans, i);

		if (gn->type == GEN_DNS &&
		    strvec_push(out, asn1_string_text(gn->d.dNSName)) == -1) {
			rc = -1;
			break;
		}
	}
	GENERAL_NAMES_free(sans);
	return rc;
}

static int64_t
asn1_time_epoch(const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return (int64_t)timegm(&tm);
}

static void
key_facts(X509 *cert, struct cert_facts *out)
{
	EVP_PKEY *pkey = X509_get0_pubkey(cert);
	const char *type;

	if (pkey == NULL)
		return;
	type = EVP_PKEY_get0_type_name(pkey);
	out->key_type = strdup(type ? type : "unknown");
	out->key_bits = EVP_PKEY_get_bits(pkey);
	out->key_security_bits = EVP_PKEY_get_security_bits(pkey);
}

static void
signature_facts(X509 *cert, struct cert_facts *out)
{
	int nid = X509_get_signature_nid(cert), md = NID_undef, pk;

	out->sig_alg = strdup(nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
	if (OBJ_find_sigid_algs(nid, &md, &pk) == 1)
		out->sig_sha1_or_worse = md == NID_sha1 || md == NID_md5 ||
		    md == NID_md4 || md == NID_md2;
}

int
cert_facts_from_x509(X509 *cert, struct cert_facts *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_PKEY *pkey;
	int len;

	memset(out, 0, sizeof(*out));
	out->subject = name_text(X509_get_subject_name(cert));
	out->issuer = name_text(X509_get_issuer_name(cert));
	out->common_name = last_common_name(X509_get_subject_name(cert));
	if (collect_dns_names(cert, &out->dns_names) == -1)
		goto nomem;
	out->not_before = asn1_time_epoch(X509_get0_notBefore(cert));
	out->not_after = asn1_time_epoch(X509_get0_notAfter(cert));
	key_facts(cert, out);
	signature_facts(cert, out);
	pkey = X509_get0_pubkey(cert);
	out->self_signed = X509_check_issued(cert, cert) == X509_V_OK &&
	    pkey != NULL && X509_verify(cert, pkey) == 1;
	out->is_ca = X509_check_ca(cert) > 0;
	if (X509_digest(cert, EVP_sha256(), md, &mdlen) == 1 && mdlen == 32)
		hex_encode(md, mdlen, out->sha256);
	if ((len = i2d_X509(cert, &out->der)) <= 0)
		goto nomem;
	out->der_len = (size_t)len;
	if (out->subject == NULL || out->issuer == NULL || out->sig_alg == NULL)
		goto nomem;
	return 0;
nomem:
	cert_facts_free(out);
	return -1;
}

const char *
cert_match_host(const struct cert_facts *c, const char *host)
{
	size_t i;

	for (i = 0; i < c->dns_names.n; i++)
		if (tls_name_match(c->dns_names.v[i], host))
			return c->dns_names.v[i];
	if (c->dns_names.n == 0 && c->common_name != NULL &&
	    tls_name_match(c->common_name, host))
		return c->common_name;
	return NULL;
}

void
cert_facts_free(struct cert_facts *c)
{
	free(c->subject);
	free(c->issuer);
	free(c->common_name);
	strvec_clear(&c->dns_names);
	free(c->key_type);
	free(c->sig_alg);
	OPENSSL_free(c->der);
	memset(c, 0, sizeof(*c));
}
