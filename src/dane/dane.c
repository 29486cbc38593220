/*
 * dane.c - DANE for SMTP (RFC 7672): TLSA parsing, lookup rules, matching.
 * See dane.h for the contract.
 *
 * Matching uses OpenSSL's DANE verifier rather than our own SHA-256/512 of
 * certificates and keys.  Why: the digest comparison is the easy part;
 * what a DANE sender decides also depends on chain building to a DANE-TA
 * trust anchor (which may be an intermediate or a root, matched by
 * certificate or by key, full data or digest), the name checks a DANE-TA
 * chain needs and DANE-EE skips, and the dates DANE-EE ignores.  Postfix,
 * the reference DANE sender, gets all of that from OpenSSL (SSL_dane_enable,
 * SSL_dane_tlsa_add, DANE_FLAG_NO_DANE_EE_NAMECHECKS), so asking the same
 * code gives the verdict such a sender reaches, bugs included.
 *
 * OpenSSL only runs DANE on an SSL object during a handshake, so the
 * verification is replayed off-line the way ssl_verify_cert_chain() does
 * it: a throwaway SSL carries the DANE state and the reference names, an
 * X509_STORE_CTX built from the presented chain gets that state with
 * X509_STORE_CTX_set0_dane() and the SSL's verify parameters, and
 * X509_verify_cert() decides.  The store is empty: PKIX usages are
 * unusable for SMTP, so no CA is ever trusted here.  Each usable record is
 * also verified alone, which tells which records matched.
 */
#include "dane/dane.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

/* --- 1. records ------------------------------------------------------------ */

int
dane_tlsa_parse(const uint8_t *rdata, size_t len, struct tlsa_record *out)
{
	memset(out, 0, sizeof(*out));
	if (len > 0)
		out->usage = rdata[0];
	if (len > 1)
		out->selector = rdata[1];
	if (len > 2)
		out->mtype = rdata[2];
	/* RFC 6698 2.1: three octets then the association data; an empty
	 * association matches nothing and OpenSSL refuses it. */
	if (len < 4) {
		out->status = TLSA_MALFORMED;
		return 0;
	}
	out->len = len - 3;
	out->data = malloc(out->len);
	if (out->data == NULL) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	memcpy(out->data, rdata + 3, out->len);

	if (out->usage > TLSA_USAGE_DANE_EE)
		out->status = TLSA_UNKNOWN_USAGE;
	else if (out->selector > TLSA_SELECTOR_SPKI)
		out->status = TLSA_UNKNOWN_SELECTOR;
	else if (out->mtype > TLSA_MTYPE_SHA512)
		out->status = TLSA_UNKNOWN_MTYPE;
	else if ((out->mtype == TLSA_MTYPE_SHA256 && out->len != 32) ||
	    (out->mtype == TLSA_MTYPE_SHA512 && out->len != 64))
		out->status = TLSA_BAD_LENGTH;
	else if (out->mtype == TLSA_MTYPE_FULL) {
		/* The same test OpenSSL's SSL_dane_tlsa_add() makes: the
		 * data must be exactly one DER object of the right kind. */
		const unsigned char *p = out->data;
		int ok = 0;

		if (out->len <= (size_t)LONG_MAX) {
			if (out->selector == TLSA_SELECTOR_CERT) {
				X509 *x = d2i_X509(NULL, &p, (long)out->len);

				ok = x != NULL && p == out->data + out->len;
				X509_free(x);
			} else {
				EVP_PKEY *k = d2i_PUBKEY(NULL, &p, (long)out->len);

				ok = k != NULL && p == out->data + out->len;
				EVP_PKEY_free(k);
			}
		}
		ERR_clear_error();
		out->status = ok ? (out->usage < TLSA_USAGE_DANE_TA ?
		    TLSA_PKIX_UNUSABLE : TLSA_USABLE) : TLSA_BAD_FULL_DATA;
	} else if (out->usage < TLSA_USAGE_DANE_TA)
		out->status = TLSA_PKIX_UNUSABLE;
	else
		out->status = TLSA_USABLE;
	return 0;
}

void
dane_tlsa_free(struct tlsa_record *r)
{
	if (r == NULL)
		return;
	free(r->data);
	memset(r, 0, sizeof(*r));
}

int
dane_tlsa_usable(const struct tlsa_record *r)
{
	return r->status == TLSA_USABLE;
}

char *
dane_tlsa_text(const struct tlsa_record *r, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t pos, i;
	int n;

	if (len == 0)
		return buf;
	n = snprintf(buf, len, "%u %u %u ", r->usage, r->selector, r->mtype);
	if (n < 0 || (size_t)n >= len)
		return buf;
	pos = (size_t)n;
	for (i = 0; i < r->len; i++) {
		if (pos + 3 > len) {
			/* No room for this byte and the terminator. */
			if (len >= 4)
				memcpy(buf + len - 4, "...", 4);
			return buf;
		}
		buf[pos++] = hex[r->data[i] >> 4];
		buf[pos++] = hex[r->data[i] & 15];
	}
	buf[pos] = '\0';
	return buf;
}

const char *
tlsa_status_name(enum tlsa_status s)
{
	static const char *const names[TLSA_STATUS_COUNT] = {
		[TLSA_USABLE] = "usable",
		[TLSA_MALFORMED] = "malformed",
		[TLSA_UNKNOWN_USAGE] = "unknown-usage",
		[TLSA_UNKNOWN_SELECTOR] = "unknown-selector",
		[TLSA_UNKNOWN_MTYPE] = "unknown-matching-type",
		[TLSA_BAD_LENGTH] = "bad-digest-length",
		[TLSA_BAD_FULL_DATA] = "bad-full-data",
		[TLSA_PKIX_UNUSABLE] = "pkix-unusable",
	};
	return (unsigned)s < TLSA_STATUS_COUNT ? names[s] : "?";
}

const char *
tlsa_status_text(enum tlsa_status s)
{
	static const char *const texts[TLSA_STATUS_COUNT] = {
		[TLSA_USABLE] = "usable for SMTP",
		[TLSA_MALFORMED] = "malformed: shorter than 4 bytes, no "
		    "association data",
		[TLSA_UNKNOWN_USAGE] = "unknown certificate usage: unusable",
		[TLSA_UNKNOWN_SELECTOR] = "unknown selector: unusable",
		[TLSA_UNKNOWN_MTYPE] = "unknown matching type: unusable",
		[TLSA_BAD_LENGTH] = "digest of the wrong length for its "
		    "matching type (SHA2-256: 32 bytes, SHA2-512: 64): unusable",
		[TLSA_BAD_FULL_DATA] = "full data that is not a DER "
		    "certificate (selector 0) or public key (selector 1): "
		    "unusable",
		[TLSA_PKIX_UNUSABLE] = "PKIX-TA(0) and PKIX-EE(1) are "
		    "unusable for SMTP (RFC 7672 3.1.3)",
	};
	return (unsigned)s < TLSA_STATUS_COUNT ? texts[s] : "?";
}

const char *
tlsa_usage_name(unsigned usage)
{
	static const char *const names[] = {
		"PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE"
	};
	return usage < 4 ? names[usage] : NULL;
}

/* trimmed_len - length of name without one trailing dot. */
static size_t
trimmed_len(const char *name)
{
	size_t n = strlen(name);

	return n > 1 && name[n - 1] == '.' ? n - 1 : n;
}

int
dane_tlsa_qname(const char *host, char *out, size_t outlen)
{
	size_t n = trimmed_len(host);
	int w;

	if (outlen > 0)
		out[0] = '\0';
	if (n == 0 || strcmp(host, ".") == 0 || n > 253)
		return -1;
	w = snprintf(out, outlen, "_%d._tcp.%.*s", DANE_SMTP_PORT, (int)n,
	    host);
	if (w < 0 || (size_t)w >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

/* --- 2. the lookup --------------------------------------------------------- */

/* Worse first: the order in which address-record states combine. */
static int
sec_rank(enum dnssec_state s)
{
	switch (s) {
	case DNSSEC_BOGUS:		return 3;
	case DNSSEC_INSECURE:		return 2;
	case DNSSEC_INDETERMINATE:	return 1;
	default:			return 0;
	}
}

static int
answered(enum dns_outcome o)
{
	return o == DNS_OK || o == DNS_NODATA || o == DNS_NXDOMAIN;
}

enum dnssec_state
dane_addr_dnssec(enum dns_outcome a_outcome, enum dnssec_state a_dnssec,
    enum dns_outcome aaaa_outcome, enum dnssec_state aaaa_dnssec)
{
	enum dnssec_state worst = DNSSEC_SECURE;
	int any = 0;

	/* A bogus answer poisons the host whatever its outcome says. */
	if (a_dnssec == DNSSEC_BOGUS || aaaa_dnssec == DNSSEC_BOGUS)
		return DNSSEC_BOGUS;
	if (answered(a_outcome)) {
		any = 1;
		if (sec_rank(a_dnssec) > sec_rank(worst))
			worst = a_dnssec;
	}
	if (answered(aaaa_outcome)) {
		any = 1;
		if (sec_rank(aaaa_dnssec) > sec_rank(worst))
			worst = aaaa_dnssec;
	}
	return any ? worst : DNSSEC_INDETERMINATE;
}

static int
same_name(const char *a, const char *b)
{
	size_t na = trimmed_len(a), nb = trimmed_len(b);

	return na == nb && strncasecmp(a, b, na) == 0;
}

static char *
dup_trimmed(const char *name)
{
	size_t n = trimmed_len(name);
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, name, n);
		s[n] = '\0';
	}
	return s;
}

static void
decide(struct dane_host_result *h, enum dane_host_state st, enum dane_why why)
{
	h->state = st;
	h->why = why;
	h->next_qname[0] = '\0';
}

int
dane_host_init(struct dane_host_result *h, const char *host,
    enum dnssec_state mx_dnssec, enum dnssec_state addr_dnssec,
    const char *addr_canonname)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	h->host = dup_trimmed(host);
	if (h->host == NULL)
		return -1;
	h->state = DANE_HOST_PENDING;

	/* RFC 7672 2.2.1: with an insecure MX RRset an attacker picks the
	 * MX host, so DANE does not apply; Postfix then falls back to
	 * opportunistic TLS.  A bogus or failed MX lookup leaves nothing to
	 * deliver to, which the caller reports elsewhere. */
	if (mx_dnssec == DNSSEC_INSECURE) {
		decide(h, DANE_HOST_NOT_APPLICABLE, DANE_WHY_MX_INSECURE);
		return 0;
	}
	if (mx_dnssec != DNSSEC_SECURE) {
		decide(h, DANE_HOST_LOOKUP_FAILED, DANE_WHY_MX_FAILED);
		return 0;
	}
	/* 2.2.2/2.2.3: TLSA records are looked up only for a host whose
	 * address records (and any CNAME to them) are secure. */
	if (addr_dnssec == DNSSEC_INSECURE) {
		decide(h, DANE_HOST_NOT_APPLICABLE, DANE_WHY_ADDR_INSECURE);
		return 0;
	}
	if (addr_dnssec != DNSSEC_SECURE) {
		decide(h, DANE_HOST_LOOKUP_FAILED, DANE_WHY_ADDR_FAILED);
		return 0;
	}
	/* 2.2.3: the fully CNAME-expanded name first, then the MX name. */
	if (addr_canonname != NULL && addr_canonname[0] != '\0' &&
	    strcmp(addr_canonname, ".") != 0 &&
	    !same_name(addr_canonname, h->host))
		h->candidates[h->n_candidates++] = dup_trimmed(addr_canonname);
	h->candidates[h->n_candidates++] = dup_trimmed(h->host);
	for (i = 0; i < h->n_candidates; i++)
		if (h->candidates[i] == NULL)
			return -1;
	if (dane_tlsa_qname(h->candidates[0], h->next_qname,
	    sizeof(h->next_qname)) == -1)
		decide(h, DANE_HOST_NOT_APPLICABLE, DANE_WHY_ADDR_FAILED);
	return 0;
}

const char *
dane_host_next_query(const struct dane_host_result *h)
{
	if (h->state != DANE_HOST_PENDING || h->next_qname[0] == '\0')
		return NULL;
	return h->next_qname;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/* next_candidate - try the next base domain, or conclude "no TLSA". */
static void
next_candidate(struct dane_host_result *h, enum dane_why why)
{
	while (h->n_queries < h->n_candidates) {
		if (dane_tlsa_qname(h->candidates[h->n_queries], h->next_qname,
		    sizeof(h->next_qname)) == 0) {
			h->why = why;
			return;
		}
		h->n_queries++;	/* unusable name: skip it, unasked */
	}
	decide(h, DANE_HOST_NO_TLSA, why);
}

int
dane_host_on_answer(struct dane_host_result *h, const struct dns_answer *a)
{
	struct dane_query *q;
	size_t i;

	if (h->state != DANE_HOST_PENDING || h->n_queries >= h->n_candidates)
		return 0;
	q = &h->queries[h->n_queries];
	q->qname = strdup(h->next_qname);
	q->outcome = a->outcome;
	q->dnssec = a->dnssec;
	q->canonname = dup_or_null(a->canonname);
	q->why_bogus = dup_or_null(a->why_bogus);
	h->n_queries++;
	if (q->qname == NULL || (a->canonname != NULL && q->canonname == NULL) ||
	    (a->why_bogus != NULL && q->why_bogus == NULL)) {
		decide(h, DANE_HOST_LOOKUP_FAILED, DANE_WHY_TLSA_FAILED);
		return -1;
	}

	/* RFC 7672 2.2: a bogus TLSA RRset, or a lookup that failed, means
	 * the sender cannot tell whether TLSA exists: it defers. */
	if (a->dnssec == DNSSEC_BOGUS) {
		decide(h, DANE_HOST_LOOKUP_FAILED, DANE_WHY_TLSA_BOGUS);
		return 0;
	}
	if (!answered(a->outcome)) {
		decide(h, DANE_HOST_LOOKUP_FAILED, DANE_WHY_TLSA_FAILED);
		return 0;
	}
	/* 2.2.3: insecure records or no records: the next candidate. */
	if (a->dnssec != DNSSEC_SECURE) {
		next_candidate(h, DANE_WHY_TLSA_INSECURE);
		return 0;
	}
	if (a->outcome != DNS_OK) {
		next_candidate(h, DANE_WHY_TLSA_ABSENT);
		return 0;
	}
	if (a->count == 0) {
		next_candidate(h, DANE_WHY_TLSA_EMPTY);
		return 0;
	}

	h->records = calloc(a->count, sizeof(*h->records));
	if (h->records == NULL) {
		decide(h, DANE_HOST_LOOKUP_FAILED, DANE_WHY_TLSA_FAILED);
		return -1;
	}
	for (i = 0; i < a->count; i++) {
		if (dane_tlsa_parse(a->rrs[i].rdata, a->rrs[i].len,
		    &h->records[h->n_records]) == -1) {
			decide(h, DANE_HOST_LOOKUP_FAILED, DANE_WHY_TLSA_FAILED);
			return -1;
		}
		if (dane_tlsa_usable(&h->records[h->n_records]))
			h->n_usable++;
		h->n_records++;
	}
	h->tlsa_base = strdup(h->candidates[h->n_queries - 1]);
	if (h->tlsa_base == NULL) {
		decide(h, DANE_HOST_LOOKUP_FAILED, DANE_WHY_TLSA_FAILED);
		return -1;
	}
	decide(h, DANE_HOST_TLSA, DANE_WHY_NONE);
	return 0;
}

void
dane_host_free(struct dane_host_result *h)
{
	size_t i;

	if (h == NULL)
		return;
	free(h->host);
	for (i = 0; i < 2; i++) {
		free(h->candidates[i]);
		free(h->queries[i].qname);
		free(h->queries[i].canonname);
		free(h->queries[i].why_bogus);
	}
	free(h->tlsa_base);
	for (i = 0; i < h->n_records; i++)
		dane_tlsa_free(&h->records[i]);
	free(h->records);
	memset(h, 0, sizeof(*h));
}

const char *
dane_host_state_name(enum dane_host_state s)
{
	static const char *const names[DANE_HOST_STATE_COUNT] = {
		[DANE_HOST_PENDING] = "pending",
		[DANE_HOST_NOT_APPLICABLE] = "not-applicable",
		[DANE_HOST_NO_TLSA] = "no-tlsa",
		[DANE_HOST_TLSA] = "tlsa",
		[DANE_HOST_LOOKUP_FAILED] = "lookup-failed",
	};
	return (unsigned)s < DANE_HOST_STATE_COUNT ? names[s] : "?";
}

const char *
dane_why_text(enum dane_why w)
{
	static const char *const texts[DANE_WHY_COUNT] = {
		[DANE_WHY_NONE] = "",
		[DANE_WHY_MX_INSECURE] = "the MX records are not DNSSEC-signed",
		[DANE_WHY_MX_FAILED] = "the MX lookup failed or is DNSSEC-bogus",
		[DANE_WHY_ADDR_INSECURE] = "the host's address records are not "
		    "DNSSEC-signed",
		[DANE_WHY_ADDR_FAILED] = "the host's address lookup failed or "
		    "is DNSSEC-bogus",
		[DANE_WHY_TLSA_INSECURE] = "the TLSA answer is not "
		    "DNSSEC-signed",
		[DANE_WHY_TLSA_ABSENT] = "no TLSA records (proven by DNSSEC)",
		[DANE_WHY_TLSA_BOGUS] = "the TLSA answer is DNSSEC-bogus",
		[DANE_WHY_TLSA_FAILED] = "the TLSA lookup failed",
		[DANE_WHY_TLSA_EMPTY] = "the TLSA answer held no records",
	};
	return (unsigned)w < DANE_WHY_COUNT ? texts[w] : "?";
}

/* --- 3. matching ----------------------------------------------------------- */

int
dane_chain_add(struct dane_chain *c, const uint8_t *der, size_t len)
{
	struct dane_cert *n;
	uint8_t *copy;

	if (len == 0)
		return -1;
	n = realloc(c->certs, (c->n + 1) * sizeof(*c->certs));
	if (n == NULL)
		return -1;
	c->certs = n;
	copy = malloc(len);
	if (copy == NULL)
		return -1;
	memcpy(copy, der, len);
	c->certs[c->n].der = copy;
	c->certs[c->n].len = len;
	c->n++;
	return 0;
}

void
dane_chain_free(struct dane_chain *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		free(c->certs[i].der);
	free(c->certs);
	memset(c, 0, sizeof(*c));
}

static int
chain_add_x509(struct dane_chain *c, X509 *x)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);
	int rc;

	if (len <= 0)
		return -1;
	rc = dane_chain_add(c, der, (size_t)len);
	OPENSSL_free(der);
	return rc;
}

int
dane_chain_from_ssl(SSL *ssl, struct dane_chain *out)
{
	STACK_OF(X509) *sk;
	X509 *leaf;
	int i;

	memset(out, 0, sizeof(*out));
	leaf = SSL_get0_peer_certificate(ssl);
	if (leaf == NULL)
		return -1;
	if (chain_add_x509(out, leaf) == -1)
		goto fail;
	/* On the client side the stack includes the leaf (SSL_get_peer_cert_chain(3)). */
	sk = SSL_get_peer_cert_chain(ssl);
	for (i = sk != NULL ? 1 : 0; sk != NULL && i < sk_X509_num(sk); i++)
		if (chain_add_x509(out, sk_X509_value(sk, i)) == -1)
			goto fail;
	return 0;
fail:
	dane_chain_free(out);
	return -1;
}

/* The chain as OpenSSL objects. */
struct xchain {
	X509		*leaf;
	STACK_OF(X509)	*untrusted;	/* everything after the leaf */
};

static void
xchain_free(struct xchain *x)
{
	X509_free(x->leaf);
	sk_X509_pop_free(x->untrusted, X509_free);
}

/* xchain_load - 0; -1 out of memory; -2 a certificate does not parse. */
static int
xchain_load(const struct dane_chain *c, struct xchain *x)
{
	size_t i;

	memset(x, 0, sizeof(*x));
	x->untrusted = sk_X509_new_null();
	if (x->untrusted == NULL)
		return -1;
	for (i = 0; i < c->n; i++) {
		const unsigned char *p = c->certs[i].der;
		X509 *cert;

		if (c->certs[i].len > (size_t)LONG_MAX)
			return -2;
		cert = d2i_X509(NULL, &p, (long)c->certs[i].len);
		if (cert == NULL || p != c->certs[i].der + c->certs[i].len) {
			X509_free(cert);
			ERR_clear_error();
			return -2;
		}
		if (i == 0)
			x->leaf = cert;
		else if (!sk_X509_push(x->untrusted, cert)) {
			X509_free(cert);
			return -1;
		}
	}
	return 0;
}

/*
 * verify - verify x with the records of h selected by only (an index) or
 * all usable ones (only == (size_t)-1).  Sets *err to the X509 verify
 * result and *depth to the matched depth (-1 if none).  Returns 1 verified,
 * 0 not verified, -1 internal failure.
 */
static int
verify(SSL_CTX *ctx, const struct dane_host_result *h, size_t only,
    const struct xchain *x, int *err, int *depth)
{
	X509_STORE_CTX *xs = NULL;
	SSL *ssl;
	size_t i, added = 0;
	int rc = -1;

	*err = X509_V_ERR_UNSPECIFIED;
	*depth = -1;
	ssl = SSL_new(ctx);
	if (ssl == NULL)
		goto out;
	/* The reference identifiers for DANE-TA (RFC 7672 3.2.2): the TLSA
	 * base domain, the MX host name and its CNAME expansion; no partial
	 * wildcards (as Postfix). */
	if (SSL_dane_enable(ssl, h->tlsa_base != NULL ? h->tlsa_base :
	    h->host) <= 0)
		goto out;
	for (i = 0; h->tlsa_base != NULL && i < h->n_candidates; i++)
		if (!same_name(h->tlsa_base, h->candidates[i]) &&
		    !SSL_add1_host(ssl, h->candidates[i]))
			goto out;
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	/* RFC 7672 3.1.1: DANE-EE(3) binds the key; names (and dates: OpenSSL
	 * never checks them for a DANE-EE match) do not matter. */
	SSL_dane_set_flags(ssl, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
	for (i = 0; i < h->n_records; i++) {
		const struct tlsa_record *r = &h->records[i];

		if (!dane_tlsa_usable(r) || (only != (size_t)-1 && i != only))
			continue;
		if (SSL_dane_tlsa_add(ssl, r->usage, r->selector, r->mtype,
		    r->data, r->len) > 0)
			added++;
	}
	ERR_clear_error();
	if (added == 0) {
		*err = X509_V_ERR_DANE_NO_MATCH;
		rc = 0;
		goto out;
	}
	xs = X509_STORE_CTX_new();
	if (xs == NULL || !X509_STORE_CTX_init(xs, SSL_CTX_get_cert_store(ctx),
	    x->leaf, x->untrusted))
		goto out;
	/* What ssl_verify_cert_chain() does for a client. */
	if (!X509_STORE_CTX_set_default(xs, "ssl_server") ||
	    !X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(xs),
	    SSL_get0_param(ssl)))
		goto out;
	X509_STORE_CTX_set0_dane(xs, SSL_get0_dane(ssl));
	rc = X509_verify_cert(xs) > 0 ? 1 : 0;
	*err = X509_STORE_CTX_get_error(xs);
	if (rc == 1) {
		/* The DANE state lives in ssl, which reports the match. */
		SSL_set_verify_result(ssl, X509_V_OK);
		*depth = SSL_get0_dane_authority(ssl, NULL, NULL);
	}
	ERR_clear_error();
out:
	X509_STORE_CTX_free(xs);
	SSL_free(ssl);
	return rc;
}

/* days_left - whole days until the leaf's notAfter (negative: expired). */
static int
days_left(X509 *leaf)
{
	int days = 0, secs = 0;

	if (!ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(leaf)))
		return 0;
	return days;
}

static void
rollover_facts(const struct dane_host_result *h, struct dane_addr_result *a,
    X509 *leaf)
{
	size_t i, ee_matched = 0, ee_cert_matched = 0, ta_matched = 0;

	if (h->n_usable == 1)
		a->rollover |= DANE_ROLL_SINGLE_RECORD;
	if (a->state != DANE_ADDR_VALID)
		return;
	for (i = 0; i < h->n_records; i++) {
		if (a->matches[i] != DANE_MATCH_YES)
			continue;
		if (h->records[i].usage == TLSA_USAGE_DANE_TA)
			ta_matched++;
		else {
			ee_matched++;
			if (h->records[i].selector == TLSA_SELECTOR_CERT)
				ee_cert_matched++;
		}
	}
	/* Ready for a key change: a matching DANE-TA (a new leaf from the
	 * same issuer still matches) or some usable record that does not
	 * match today (the "next" key or issuer, RFC 7671 8.1). */
	if (ta_matched == 0 && a->n_matched == h->n_usable) {
		a->rollover |= DANE_ROLL_NO_NEXT;
		if (ee_cert_matched == ee_matched)
			a->rollover |= DANE_ROLL_EE_CERT_ONLY;
		if (days_left(leaf) < DANE_ROLLOVER_SOON_DAYS)
			a->rollover |= DANE_ROLL_EXPIRES_SOON;
	}
}

int
dane_addr_match(const struct dane_host_result *h,
    const struct dane_chain *chain, struct dane_addr_result *out)
{
	struct xchain x;
	SSL_CTX *ctx = NULL;
	size_t i;
	int rc, err, depth;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	out->match_depth = -1;
	if (h->state != DANE_HOST_TLSA) {
		out->state = DANE_ADDR_NOT_APPLICABLE;
		return 0;
	}
	out->n = h->n_records;
	out->matches = calloc(h->n_records, sizeof(*out->matches));
	out->depths = calloc(h->n_records, sizeof(*out->depths));
	if (out->matches == NULL || out->depths == NULL)
		goto fail;
	for (i = 0; i < h->n_records; i++)
		out->depths[i] = -1;
	if (chain == NULL || chain->n == 0) {
		out->state = DANE_ADDR_NO_TLS;
		if (h->n_usable == 1)
			out->rollover |= DANE_ROLL_SINGLE_RECORD;
		return 0;
	}
	if (h->n_usable == 0) {
		out->state = DANE_ADDR_NO_USABLE;
		return 0;
	}

	rc = xchain_load(chain, &x);
	if (rc == -1)
		goto fail;
	if (rc == -2) {
		out->state = DANE_ADDR_NO_MATCH;
		out->verify_error = strdup("a certificate of the chain does "
		    "not parse");
		for (i = 0; i < h->n_records; i++)
			if (dane_tlsa_usable(&h->records[i]))
				out->matches[i] = DANE_MATCH_NO;
		xchain_free(&x);
		return out->verify_error != NULL ? 0 : (dane_addr_free(out), -1);
	}
	ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL || SSL_CTX_dane_enable(ctx) <= 0)
		goto fail;

	/* Each record alone: which ones match. */
	for (i = 0; i < h->n_records; i++) {
		if (!dane_tlsa_usable(&h->records[i]))
			continue;
		rc = verify(ctx, h, i, &x, &err, &depth);
		if (rc == -1)
			goto fail;
		if (rc == 1) {
			out->matches[i] = DANE_MATCH_YES;
			out->depths[i] = depth;
			out->n_matched++;
		} else if (h->records[i].usage != TLSA_USAGE_DANE_TA ||
		    err == X509_V_ERR_DANE_NO_MATCH)
			out->matches[i] = DANE_MATCH_NO;
		else if (err == X509_V_ERR_HOSTNAME_MISMATCH)
			out->matches[i] = DANE_MATCH_NAME_MISMATCH;
		else if (err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
		    err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT)
			out->matches[i] = DANE_MATCH_NO;	/* no TA in the chain */
		else
			out->matches[i] = DANE_MATCH_CHAIN_INVALID;
	}

	/* All usable records at once: what a DANE sender decides. */
	rc = verify(ctx, h, (size_t)-1, &x, &err, &depth);
	if (rc == -1)
		goto fail;
	if (rc == 1) {
		out->state = DANE_ADDR_VALID;
		out->match_depth = depth;
	} else {
		out->state = DANE_ADDR_NO_MATCH;
		out->verify_error = strdup(X509_verify_cert_error_string(err));
		if (out->verify_error == NULL)
			goto fail;
	}
	rollover_facts(h, out, x.leaf);
	xchain_free(&x);
	SSL_CTX_free(ctx);
	return 0;
fail:
	xchain_free(&x);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	dane_addr_free(out);
	return -1;
}

void
dane_addr_free(struct dane_addr_result *a)
{
	if (a == NULL)
		return;
	free(a->matches);
	free(a->depths);
	free(a->verify_error);
	memset(a, 0, sizeof(*a));
	a->match_depth = -1;
}

void
dane_host_summarise(struct dane_host_result *h,
    const struct dane_addr_result *const *addrs, size_t n)
{
	size_t i;

	h->addresses = 0;
	h->addresses_valid = 0;
	h->rollover = 0;
	for (i = 0; i < n; i++) {
		if (addrs[i] == NULL)
			continue;
		h->addresses++;
		if (addrs[i]->state == DANE_ADDR_VALID)
			h->addresses_valid++;
		h->rollover |= addrs[i]->rollover;
	}
}

void
dane_auth_fill(const struct dane_host_result *h,
    const struct dane_addr_result *a, struct auth_facts *auth)
{
	switch (h->state) {
	case DANE_HOST_PENDING:
	case DANE_HOST_STATE_COUNT:
		return;
	case DANE_HOST_NOT_APPLICABLE:
	case DANE_HOST_NO_TLSA:
		auth->dane = DANE_NONE;
		return;
	case DANE_HOST_LOOKUP_FAILED:
		auth->dane = DANE_LOOKUP_FAILED;
		return;
	case DANE_HOST_TLSA:
		break;
	}
	if (a == NULL)
		return;
	if (h->n_usable == 0) {
		/* RFC 7672 2.2: TLSA present, none usable: TLS is still
		 * mandatory, so no TLS at all makes senders defer. */
		auth->dane = a->state == DANE_ADDR_NO_TLS ? DANE_FAILS :
		    DANE_NO_USABLE;
		return;
	}
	auth->dane = a->state == DANE_ADDR_VALID ? DANE_VALID : DANE_FAILS;
}

const char *
dane_match_name(enum dane_match m)
{
	static const char *const names[DANE_MATCH_COUNT] = {
		[DANE_MATCH_NOT_TRIED] = "not-tried",
		[DANE_MATCH_YES] = "match",
		[DANE_MATCH_NO] = "no-match",
		[DANE_MATCH_NAME_MISMATCH] = "name-mismatch",
		[DANE_MATCH_CHAIN_INVALID] = "chain-invalid",
	};
	return (unsigned)m < DANE_MATCH_COUNT ? names[m] : "?";
}

const char *
dane_addr_state_name(enum dane_addr_state s)
{
	static const char *const names[DANE_ADDR_STATE_COUNT] = {
		[DANE_ADDR_NOT_APPLICABLE] = "not-applicable",
		[DANE_ADDR_NO_USABLE] = "no-usable-tlsa",
		[DANE_ADDR_VALID] = "valid",
		[DANE_ADDR_NO_MATCH] = "no-match",
		[DANE_ADDR_NO_TLS] = "no-tls",
	};
	return (unsigned)s < DANE_ADDR_STATE_COUNT ? names[s] : "?";
}

char *
dane_rollover_text(unsigned rollover, char *buf, size_t len)
{
	static const struct { unsigned bit; const char *name; } bits[] = {
		{ DANE_ROLL_SINGLE_RECORD, "single-record" },
		{ DANE_ROLL_NO_NEXT, "no-next-record" },
		{ DANE_ROLL_EE_CERT_ONLY, "ee-certificate-only" },
		{ DANE_ROLL_EXPIRES_SOON, "leaf-expires-soon" },
	};
	size_t i, pos = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		int w;

		if (!(rollover & bits[i].bit))
			continue;
		w = snprintf(buf + pos, len - pos, "%s%s", pos ? ", " : "",
		    bits[i].name);
		if (w < 0 || (size_t)w >= len - pos)
			break;
		pos += (size_t)w;
	}
	return buf;
}
