/*
 * test_dane.c - unit tests of DANE for SMTP (dane/dane.h).
 *
 * Records: well-formed, malformed and unusable RDATA.  Lookup rules: the
 * RFC 7672 2.2 decisions fed with hand-made DNS answers.  Matching: a
 * root -> intermediate -> leaf chain made in memory with OpenSSL (P-256
 * keys), and TLSA records computed from it the way an operator would
 * (`openssl x509 -pubkey | openssl pkey -pubin -outform DER | sha256sum`).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dane/dane.h"

/* --- certificates ------------------------------------------------------- */

static EVP_PKEY *
make_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	assert_non_null(k);
	return k;
}

/*
 * make_cert - a certificate for cn (and SAN DNS:cn unless ca) with key,
 * issued by issuer/ikey (NULL: self-signed), valid from from_days to
 * to_days relative to now.
 */
static X509 *
make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *ikey,
    int ca, long from_days, long to_days)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	char san[300];

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) :
	    name);
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&v3, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints,
	    ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	if (ca) {
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
	} else {
		snprintf(san, sizeof(san), "DNS:%s", cn);
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
	}
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	assert_true(X509_sign(x, ikey != NULL ? ikey : key, EVP_sha256()) > 0);
	X509_NAME_free(name);
	return x;
}

/* The lab of every matching test: root -> intermediate -> leaves. */
struct pki {
	EVP_PKEY	*root_key, *int_key, *leaf_key, *next_key, *other_key;
	X509		*root, *inter, *leaf, *other_root;
	X509		*leaf_expired, *leaf_wrongname, *leaf_soon;
};

static struct pki P;

static int
setup_pki(void **state)
{
	(void)state;
	P.root_key = make_key();
	P.int_key = make_key();
	P.leaf_key = make_key();
	P.next_key = make_key();
	P.other_key = make_key();
	P.root = make_cert("test root", P.root_key, NULL, NULL, 1, -1, 3650);
	P.inter = make_cert("test intermediate", P.int_key, P.root, P.root_key,
	    1, -1, 1825);
	P.leaf = make_cert("mx.example.net", P.leaf_key, P.inter, P.int_key, 0,
	    -1, 365);
	P.leaf_expired = make_cert("mx.example.net", P.leaf_key, P.inter,
	    P.int_key, 0, -400, -35);
	P.leaf_wrongname = make_cert("other.example.org", P.leaf_key, P.inter,
	    P.int_key, 0, -1, 365);
	P.leaf_soon = make_cert("mx.example.net", P.leaf_key, P.inter,
	    P.int_key, 0, -80, 10);
	P.other_root = make_cert("other root", P.other_key, NULL, NULL, 1, -1,
	    3650);
	return 0;
}

static int
teardown_pki(void **state)
{
	(void)state;
	EVP_PKEY_free(P.root_key);
	EVP_PKEY_free(P.int_key);
	EVP_PKEY_free(P.leaf_key);
	EVP_PKEY_free(P.next_key);
	EVP_PKEY_free(P.other_key);
	X509_free(P.root);
	X509_free(P.inter);
	X509_free(P.leaf);
	X509_free(P.leaf_expired);
	X509_free(P.leaf_wrongname);
	X509_free(P.leaf_soon);
	X509_free(P.other_root);
	return 0;
}

/* A TLSA RDATA for cert (or key when cert is NULL): usage sel mtype. */
struct rdata {
	uint8_t		 b[4096];
	size_t		 len;
};

static struct rdata
tlsa_for(unsigned usage, unsigned sel, unsigned mtype, X509 *cert,
    EVP_PKEY *key)
{
	struct rdata r;
	unsigned char *der = NULL;
	int len;
	unsigned int mdlen = 0;

	r.b[0] = (uint8_t)usage;
	r.b[1] = (uint8_t)sel;
	r.b[2] = (uint8_t)mtype;
	if (sel == 0)
		len = i2d_X509(cert, &der);
	else
		len = i2d_PUBKEY(key != NULL ? key : X509_get0_pubkey(cert),
		    &der);
	assert_true(len > 0);
	if (mtype == 0) {
		assert_true((size_t)len <= sizeof(r.b) - 3);
		memcpy(r.b + 3, der, (size_t)len);
		r.len = 3 + (size_t)len;
	} else {
		assert_true(EVP_Digest(der, (size_t)len, r.b + 3, &mdlen,
		    mtype == 1 ? EVP_sha256() : EVP_sha512(), NULL));
		r.len = 3 + mdlen;
	}
	OPENSSL_free(der);
	return r;
}

static void
chain_of(struct dane_chain *c, X509 *a, X509 *b, X509 *d)
{
	X509 *certs[3] = { a, b, d };
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < 3 && certs[i] != NULL; i++) {
		unsigned char *der = NULL;
		int len = i2d_X509(certs[i], &der);

		assert_true(len > 0);
		assert_int_equal(dane_chain_add(c, der, (size_t)len), 0);
		OPENSSL_free(der);
	}
}

/* host_with - h has done its lookup and found the RRset rd[0..n) at the
 * MX host name "mx.example.net" (canon: its CNAME target, or NULL). */
static void
host_with(struct dane_host_result *h, const char *host, const char *canon,
    const struct rdata *rd, size_t n)
{
	struct dns_rr rrs[8];
	struct dns_answer a;
	size_t i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++) {
		rrs[i].rdata = (uint8_t *)rd[i].b;
		rrs[i].len = rd[i].len;
	}
	memset(&a, 0, sizeof(a));
	a.qtype = DNS_RR_TLSA;
	a.outcome = DNS_OK;
	a.dnssec = DNSSEC_SECURE;
	a.count = n;
	a.rrs = rrs;
	assert_int_equal(dane_host_init(h, host, DNSSEC_SECURE, DNSSEC_SECURE,
	    canon), 0);
	assert_non_null(dane_host_next_query(h));
	assert_int_equal(dane_host_on_answer(h, &a), 0);
	assert_int_equal(h->state, DANE_HOST_TLSA);
	assert_int_equal(h->n_records, n);
}

/* match - host mx.example.net with records rd against chain a, b, d. */
static void
match(const struct rdata *rd, size_t n, X509 *a, X509 *b, X509 *d,
    struct dane_host_result *h, struct dane_addr_result *out)
{
	struct dane_chain c;

	host_with(h, "mx.example.net", NULL, rd, n);
	chain_of(&c, a, b, d);
	assert_int_equal(dane_addr_match(h, &c, out), 0);
	dane_chain_free(&c);
}

/* --- records ------------------------------------------------------------- */

static enum tlsa_status
status_of(const uint8_t *b, size_t len)
{
	struct tlsa_record r;
	enum tlsa_status s;

	assert_int_equal(dane_tlsa_parse(b, len, &r), 0);
	s = r.status;
	dane_tlsa_free(&r);
	return s;
}

static void
test_parse_good(void **state)
{
	struct rdata rd = tlsa_for(3, 1, 1, P.leaf, NULL);
	struct tlsa_record r;
	char text[200];

	(void)state;
	assert_int_equal(dane_tlsa_parse(rd.b, rd.len, &r), 0);
	assert_int_equal(r.status, TLSA_USABLE);
	assert_int_equal(r.usage, 3);
	assert_int_equal(r.selector, 1);
	assert_int_equal(r.mtype, 1);
	assert_int_equal(r.len, 32);
	assert_memory_equal(r.data, rd.b + 3, 32);
	assert_true(dane_tlsa_usable(&r));
	dane_tlsa_text(&r, text, sizeof(text));
	assert_int_equal(strlen(text), 6 + 64);
	assert_memory_equal(text, "3 1 1 ", 6);
	/* Truncated text ends with "...". */
	dane_tlsa_text(&r, text, 20);
	assert_int_equal(strlen(text), 19);
	assert_string_equal(text + 16, "...");
	dane_tlsa_free(&r);

	rd = tlsa_for(2, 0, 2, P.inter, NULL);
	assert_int_equal(status_of(rd.b, rd.len), TLSA_USABLE);
	rd = tlsa_for(3, 0, 0, P.leaf, NULL);
	assert_int_equal(status_of(rd.b, rd.len), TLSA_USABLE);
	rd = tlsa_for(2, 1, 0, P.root, NULL);
	assert_int_equal(status_of(rd.b, rd.len), TLSA_USABLE);
}

static void
test_parse_malformed(void **state)
{
	static const uint8_t three[] = { 3, 1, 1 };
	uint8_t b[80];
	struct tlsa_record r;
	size_t len;

	(void)state;
	for (len = 0; len <= 3; len++) {
		assert_int_equal(dane_tlsa_parse(three, len, &r), 0);
		assert_int_equal(r.status, TLSA_MALFORMED);
		assert_null(r.data);
		assert_false(dane_tlsa_usable(&r));
		dane_tlsa_free(&r);
	}
	memset(b, 0xab, sizeof(b));
	/* Wrong digest lengths. */
	b[0] = 3; b[1] = 1; b[2] = 1;
	assert_int_equal(status_of(b, 3 + 31), TLSA_BAD_LENGTH);
	assert_int_equal(status_of(b, 3 + 33), TLSA_BAD_LENGTH);
	assert_int_equal(status_of(b, 3 + 64), TLSA_BAD_LENGTH);
	assert_int_equal(status_of(b, 3 + 32), TLSA_USABLE);
	b[2] = 2;
	assert_int_equal(status_of(b, 3 + 32), TLSA_BAD_LENGTH);
	assert_int_equal(status_of(b, 3 + 64), TLSA_USABLE);
	/* Full data that is no certificate or key. */
	b[2] = 0;
	assert_int_equal(status_of(b, 3 + 40), TLSA_BAD_FULL_DATA);
	b[1] = 0;
	assert_int_equal(status_of(b, 3 + 40), TLSA_BAD_FULL_DATA);
	/* A certificate where a key is announced, and trailing garbage. */
	{
		struct rdata rd = tlsa_for(3, 0, 0, P.leaf, NULL);

		rd.b[1] = 1;
		assert_int_equal(status_of(rd.b, rd.len), TLSA_BAD_FULL_DATA);
		rd.b[1] = 0;
		rd.b[rd.len] = 0;
		assert_int_equal(status_of(rd.b, rd.len + 1),
		    TLSA_BAD_FULL_DATA);
	}
}

static void
test_parse_unusable(void **state)
{
	uint8_t b[3 + 32];

	(void)state;
	memset(b, 0x5a, sizeof(b));
	b[1] = 1; b[2] = 1;
	b[0] = 0;
	assert_int_equal(status_of(b, sizeof(b)), TLSA_PKIX_UNUSABLE);
	b[0] = 1;
	assert_int_equal(status_of(b, sizeof(b)), TLSA_PKIX_UNUSABLE);
	b[0] = 4;
	assert_int_equal(status_of(b, sizeof(b)), TLSA_UNKNOWN_USAGE);
	b[0] = 255;
	assert_int_equal(status_of(b, sizeof(b)), TLSA_UNKNOWN_USAGE);
	b[0] = 3; b[1] = 2;
	assert_int_equal(status_of(b, sizeof(b)), TLSA_UNKNOWN_SELECTOR);
	b[1] = 255;
	assert_int_equal(status_of(b, sizeof(b)), TLSA_UNKNOWN_SELECTOR);
	b[1] = 1; b[2] = 3;
	assert_int_equal(status_of(b, sizeof(b)), TLSA_UNKNOWN_MTYPE);
	b[2] = 255;
	assert_int_equal(status_of(b, sizeof(b)), TLSA_UNKNOWN_MTYPE);
	/* Names and texts exist for every status. */
	for (int s = 0; s < TLSA_STATUS_COUNT; s++) {
		assert_non_null(tlsa_status_name(s));
		assert_non_null(tlsa_status_text(s));
		assert_string_not_equal(tlsa_status_name(s), "?");
	}
	assert_string_equal(tlsa_usage_name(3), "DANE-EE");
	assert_null(tlsa_usage_name(4));
}

static void
test_qname(void **state)
{
	char q[DANE_QNAME_MAX], longname[300];

	(void)state;
	assert_int_equal(dane_tlsa_qname("mx.example.net", q, sizeof(q)), 0);
	assert_string_equal(q, "_25._tcp.mx.example.net");
	assert_int_equal(dane_tlsa_qname("mx.example.net.", q, sizeof(q)), 0);
	assert_string_equal(q, "_25._tcp.mx.example.net");
	assert_int_equal(dane_tlsa_qname("", q, sizeof(q)), -1);
	assert_int_equal(dane_tlsa_qname(".", q, sizeof(q)), -1);
	memset(longname, 'a', 254);
	longname[254] = '\0';
	assert_int_equal(dane_tlsa_qname(longname, q, sizeof(q)), -1);
	assert_int_equal(dane_tlsa_qname("mx.example.net", q, 10), -1);
	assert_string_equal(q, "");
}

/* --- lookup rules --------------------------------------------------------- */

static struct dns_answer
answer(enum dns_outcome o, enum dnssec_state s)
{
	struct dns_answer a;

	memset(&a, 0, sizeof(a));
	a.qtype = DNS_RR_TLSA;
	a.outcome = o;
	a.dnssec = s;
	return a;
}

static void
test_lookup_not_applicable(void **state)
{
	struct dane_host_result h;

	(void)state;
	assert_int_equal(dane_host_init(&h, "mx.example.net", DNSSEC_INSECURE,
	    DNSSEC_SECURE, NULL), 0);
	assert_int_equal(h.state, DANE_HOST_NOT_APPLICABLE);
	assert_int_equal(h.why, DANE_WHY_MX_INSECURE);
	assert_null(dane_host_next_query(&h));
	dane_host_free(&h);

	assert_int_equal(dane_host_init(&h, "mx.example.net", DNSSEC_SECURE,
	    DNSSEC_INSECURE, NULL), 0);
	assert_int_equal(h.state, DANE_HOST_NOT_APPLICABLE);
	assert_int_equal(h.why, DANE_WHY_ADDR_INSECURE);
	assert_null(dane_host_next_query(&h));
	dane_host_free(&h);

	assert_int_equal(dane_host_init(&h, "mx.example.net", DNSSEC_SECURE,
	    DNSSEC_BOGUS, NULL), 0);
	assert_int_equal(h.state, DANE_HOST_LOOKUP_FAILED);
	assert_int_equal(h.why, DANE_WHY_ADDR_FAILED);
	dane_host_free(&h);

	assert_int_equal(dane_host_init(&h, "mx.example.net", DNSSEC_BOGUS,
	    DNSSEC_SECURE, NULL), 0);
	assert_int_equal(h.state, DANE_HOST_LOOKUP_FAILED);
	assert_int_equal(h.why, DANE_WHY_MX_FAILED);
	dane_host_free(&h);
}

static void
test_lookup_addr_dnssec(void **state)
{
	(void)state;
	assert_int_equal(dane_addr_dnssec(DNS_OK, DNSSEC_SECURE, DNS_NODATA,
	    DNSSEC_SECURE), DNSSEC_SECURE);
	assert_int_equal(dane_addr_dnssec(DNS_OK, DNSSEC_SECURE, DNS_OK,
	    DNSSEC_INSECURE), DNSSEC_INSECURE);
	assert_int_equal(dane_addr_dnssec(DNS_OK, DNSSEC_SECURE, DNS_SERVFAIL,
	    DNSSEC_BOGUS), DNSSEC_BOGUS);
	/* A timed-out AAAA does not spoil a secure A. */
	assert_int_equal(dane_addr_dnssec(DNS_OK, DNSSEC_SECURE, DNS_TIMEOUT,
	    DNSSEC_INDETERMINATE), DNSSEC_SECURE);
	assert_int_equal(dane_addr_dnssec(DNS_TIMEOUT, DNSSEC_INDETERMINATE,
	    DNS_SERVFAIL, DNSSEC_INDETERMINATE), DNSSEC_INDETERMINATE);
}

static void
test_lookup_cname_order(void **state)
{
	struct dane_host_result h;
	struct dns_answer a;
	struct rdata rd = tlsa_for(3, 1, 1, P.leaf, NULL);
	struct dns_rr rr = { rd.b, rd.len };

	(void)state;
	/* RFC 7672 2.2.3: the expanded name first, then the MX name. */
	assert_int_equal(dane_host_init(&h, "alias.example.net.", DNSSEC_SECURE,
	    DNSSEC_SECURE, "mx.example.net."), 0);
	assert_int_equal(h.n_candidates, 2);
	assert_string_equal(dane_host_next_query(&h), "_25._tcp.mx.example.net");
	a = answer(DNS_NXDOMAIN, DNSSEC_SECURE);
	assert_int_equal(dane_host_on_answer(&h, &a), 0);
	assert_int_equal(h.state, DANE_HOST_PENDING);
	assert_string_equal(dane_host_next_query(&h),
	    "_25._tcp.alias.example.net");
	a = answer(DNS_OK, DNSSEC_SECURE);
	a.count = 1;
	a.rrs = &rr;
	assert_int_equal(dane_host_on_answer(&h, &a), 0);
	assert_int_equal(h.state, DANE_HOST_TLSA);
	assert_string_equal(h.tlsa_base, "alias.example.net");
	assert_int_equal(h.n_queries, 2);
	assert_string_equal(h.queries[0].qname, "_25._tcp.mx.example.net");
	assert_int_equal(h.queries[0].outcome, DNS_NXDOMAIN);
	assert_int_equal(h.n_usable, 1);
	assert_null(dane_host_next_query(&h));
	dane_host_free(&h);

	/* Found at the expanded name: that is the base. */
	assert_int_equal(dane_host_init(&h, "alias.example.net", DNSSEC_SECURE,
	    DNSSEC_SECURE, "mx.example.net"), 0);
	assert_int_equal(dane_host_on_answer(&h, &a), 0);
	assert_int_equal(h.state, DANE_HOST_TLSA);
	assert_string_equal(h.tlsa_base, "mx.example.net");
	dane_host_free(&h);

	/* A canonname equal to the host (any case) is no CNAME. */
	assert_int_equal(dane_host_init(&h, "mx.example.net", DNSSEC_SECURE,
	    DNSSEC_SECURE, "MX.Example.NET."), 0);
	assert_int_equal(h.n_candidates, 1);
	dane_host_free(&h);
}

static void
test_lookup_outcomes(void **state)
{
	struct dane_host_result h;
	struct dns_answer a;

	(void)state;
	/* Insecure TLSA, one candidate: no DANE. */
	assert_int_equal(dane_host_init(&h, "mx.example.net", DNSSEC_SECURE,
	    DNSSEC_SECURE, NULL), 0);
	a = answer(DNS_OK, DNSSEC_INSECURE);
	assert_int_equal(dane_host_on_answer(&h, &a), 0);
	assert_int_equal(h.state, DANE_HOST_NO_TLSA);
	assert_int_equal(h.why, DANE_WHY_TLSA_INSECURE);
	dane_host_free(&h);

	/* Secure denial. */
	assert_int_equal(dane_host_init(&h, "mx.example.net", DNSSEC_SECURE,
	    DNSSEC_SECURE, NULL), 0);
	a = answer(DNS_NODATA, DNSSEC_SECURE);
	assert_int_equal(dane_host_on_answer(&h, &a), 0);
	assert_int_equal(h.state, DANE_HOST_NO_TLSA);
	assert_int_equal(h.why, DANE_WHY_TLSA_ABSENT);
	dane_host_free(&h);

	/* Bogus: hard failure, even with a candidate left. */
	assert_int_equal(dane_host_init(&h, "alias.example.net", DNSSEC_SECURE,
	    DNSSEC_SECURE, "mx.example.net"), 0);
	a = answer(DNS_SERVFAIL, DNSSEC_BOGUS);
	a.why_bogus = "signature expired";
	assert_int_equal(dane_host_on_answer(&h, &a), 0);
	assert_int_equal(h.state, DANE_HOST_LOOKUP_FAILED);
	assert_int_equal(h.why, DANE_WHY_TLSA_BOGUS);
	assert_string_equal(h.queries[0].why_bogus, "signature expired");
	assert_null(dane_host_next_query(&h));
	dane_host_free(&h);

	/* SERVFAIL or timeout: failure too. */
	assert_int_equal(dane_host_init(&h, "mx.example.net", DNSSEC_SECURE,
	    DNSSEC_SECURE, NULL), 0);
	a = answer(DNS_TIMEOUT, DNSSEC_INDETERMINATE);
	assert_int_equal(dane_host_on_answer(&h, &a), 0);
	assert_int_equal(h.state, DANE_HOST_LOOKUP_FAILED);
	assert_int_equal(h.why, DANE_WHY_TLSA_FAILED);
	dane_host_free(&h);

	/* A zeroed result frees, and names cover every state. */
	memset(&h, 0, sizeof(h));
	dane_host_free(&h);
	for (int s = 0; s < DANE_HOST_STATE_COUNT; s++)
		assert_string_not_equal(dane_host_state_name(s), "?");
	for (int w = 1; w < DANE_WHY_COUNT; w++)
		assert_true(strlen(dane_why_text(w)) > 0);
}

/* --- matching -------------------------------------------------------------- */

static void
expect_valid(const struct rdata *rd, size_t n, X509 *a, X509 *b, X509 *d,
    int depth)
{
	struct dane_host_result h;
	struct dane_addr_result r;

	match(rd, n, a, b, d, &h, &r);
	if (r.state != DANE_ADDR_VALID)
		fail_msg("not valid: %s", r.verify_error ? r.verify_error : "?");
	assert_int_equal(r.match_depth, depth);
	assert_null(r.verify_error);
	dane_addr_free(&r);
	dane_host_free(&h);
}

static void
test_match_ee(void **state)
{
	struct rdata rd[1];

	(void)state;
	rd[0] = tlsa_for(3, 1, 1, P.leaf, NULL);
	expect_valid(rd, 1, P.leaf, P.inter, P.root, 0);
	expect_valid(rd, 1, P.leaf, NULL, NULL, 0);	/* leaf alone */
	rd[0] = tlsa_for(3, 0, 1, P.leaf, NULL);
	expect_valid(rd, 1, P.leaf, P.inter, P.root, 0);
	rd[0] = tlsa_for(3, 1, 2, P.leaf, NULL);	/* SHA2-512 */
	expect_valid(rd, 1, P.leaf, P.inter, P.root, 0);
	rd[0] = tlsa_for(3, 1, 0, P.leaf, NULL);	/* full SPKI */
	expect_valid(rd, 1, P.leaf, P.inter, NULL, 0);
	rd[0] = tlsa_for(3, 0, 0, P.leaf, NULL);	/* full certificate */
	expect_valid(rd, 1, P.leaf, NULL, NULL, 0);
	/* RFC 7672 3.1.1: DANE-EE ignores the name and the dates. */
	rd[0] = tlsa_for(3, 1, 1, P.leaf, NULL);
	expect_valid(rd, 1, P.leaf_wrongname, P.inter, NULL, 0);
	expect_valid(rd, 1, P.leaf_expired, P.inter, NULL, 0);
}

static void
test_match_ta(void **state)
{
	struct rdata rd[1];

	(void)state;
	rd[0] = tlsa_for(2, 1, 1, P.root, NULL);
	expect_valid(rd, 1, P.leaf, P.inter, P.root, 2);
	rd[0] = tlsa_for(2, 1, 1, P.inter, NULL);
	expect_valid(rd, 1, P.leaf, P.inter, P.root, 1);
	expect_valid(rd, 1, P.leaf, P.inter, NULL, 1);
	rd[0] = tlsa_for(2, 0, 1, P.inter, NULL);
	expect_valid(rd, 1, P.leaf, P.inter, NULL, 1);
	rd[0] = tlsa_for(2, 0, 1, P.root, NULL);
	expect_valid(rd, 1, P.leaf, P.inter, P.root, 2);
	rd[0] = tlsa_for(2, 0, 2, P.root, NULL);
	expect_valid(rd, 1, P.leaf, P.inter, P.root, 2);
	rd[0] = tlsa_for(2, 1, 0, P.inter, NULL);
	expect_valid(rd, 1, P.leaf, P.inter, NULL, 1);
}

static void
expect_match(const struct rdata *rd, size_t n, X509 *a, X509 *b, X509 *d,
    enum dane_addr_state state, const enum dane_match *want)
{
	struct dane_host_result h;
	struct dane_addr_result r;
	size_t i;

	match(rd, n, a, b, d, &h, &r);
	assert_int_equal(r.state, state);
	assert_int_equal(r.n, n);
	for (i = 0; i < n; i++)
		if (r.matches[i] != want[i])
			fail_msg("record %zu: %s, want %s", i,
			    dane_match_name(r.matches[i]),
			    dane_match_name(want[i]));
	if (state == DANE_ADDR_NO_MATCH)
		assert_non_null(r.verify_error);
	dane_addr_free(&r);
	dane_host_free(&h);
}

static void
test_match_mismatch(void **state)
{
	static const enum dane_match no[] = { DANE_MATCH_NO };
	static const enum dane_match name[] = { DANE_MATCH_NAME_MISMATCH };
	static const enum dane_match invalid[] = { DANE_MATCH_CHAIN_INVALID };
	struct rdata rd[1];

	(void)state;
	rd[0] = tlsa_for(3, 1, 1, NULL, P.next_key);	/* another key */
	expect_match(rd, 1, P.leaf, P.inter, P.root, DANE_ADDR_NO_MATCH, no);
	rd[0] = tlsa_for(3, 1, 1, P.inter, NULL);	/* EE of a CA cert */
	expect_match(rd, 1, P.leaf, P.inter, P.root, DANE_ADDR_NO_MATCH, no);
	rd[0] = tlsa_for(2, 1, 1, P.other_root, NULL);	/* foreign TA */
	expect_match(rd, 1, P.leaf, P.inter, P.root, DANE_ADDR_NO_MATCH, no);
	/* The TA must be in the chain the server sends. */
	rd[0] = tlsa_for(2, 0, 1, P.root, NULL);
	expect_match(rd, 1, P.leaf, P.inter, NULL, DANE_ADDR_NO_MATCH, no);
	/* DANE-TA: the leaf must name the MX host (RFC 7672 3.2.2). */
	rd[0] = tlsa_for(2, 1, 1, P.inter, NULL);
	expect_match(rd, 1, P.leaf_wrongname, P.inter, NULL,
	    DANE_ADDR_NO_MATCH, name);
	/* DANE-TA: the chain below the TA is checked (dates). */
	expect_match(rd, 1, P.leaf_expired, P.inter, NULL, DANE_ADDR_NO_MATCH,
	    invalid);
	/* A digest off by one bit. */
	rd[0] = tlsa_for(3, 1, 1, P.leaf, NULL);
	rd[0].b[10] ^= 1;
	expect_match(rd, 1, P.leaf, P.inter, NULL, DANE_ADDR_NO_MATCH, no);
}

static void
test_match_which(void **state)
{
	static const enum dane_match want[] = {
		DANE_MATCH_NO, DANE_MATCH_YES, DANE_MATCH_NOT_TRIED,
		DANE_MATCH_YES, DANE_MATCH_NOT_TRIED
	};
	struct rdata rd[5];
	struct dane_host_result h;
	struct dane_addr_result r;

	(void)state;
	rd[0] = tlsa_for(3, 1, 1, NULL, P.next_key);
	rd[1] = tlsa_for(3, 1, 1, P.leaf, NULL);
	rd[2] = tlsa_for(1, 1, 1, P.leaf, NULL);	/* PKIX-EE: unusable */
	rd[3] = tlsa_for(2, 1, 1, P.inter, NULL);
	rd[4] = tlsa_for(3, 1, 1, P.leaf, NULL);
	rd[4].len--;					/* bad length */
	expect_match(rd, 5, P.leaf, P.inter, P.root, DANE_ADDR_VALID, want);
	match(rd, 5, P.leaf, P.inter, P.root, &h, &r);
	assert_int_equal(h.n_usable, 3);
	assert_int_equal(r.n_matched, 2);
	assert_int_equal(r.depths[1], 0);
	assert_int_equal(r.depths[3], 1);
	assert_int_equal(r.depths[0], -1);
	assert_int_equal(r.rollover, 0);
	dane_addr_free(&r);
	dane_host_free(&h);
}

static void
test_match_cname_names(void **state)
{
	struct rdata rd[1];
	struct dane_host_result h;
	struct dane_addr_result r;
	struct dane_chain c;
	struct dns_answer a;
	struct dns_rr rr;

	(void)state;
	/* MX alias.example.net -> CNAME mx.example.net; TLSA found at the
	 * MX name: the leaf names the expanded name, which is accepted. */
	rd[0] = tlsa_for(2, 1, 1, P.inter, NULL);
	rr.rdata = rd[0].b;
	rr.len = rd[0].len;
	assert_int_equal(dane_host_init(&h, "alias.example.net", DNSSEC_SECURE,
	    DNSSEC_SECURE, "mx.example.net"), 0);
	a = answer(DNS_NODATA, DNSSEC_SECURE);
	assert_int_equal(dane_host_on_answer(&h, &a), 0);
	a = answer(DNS_OK, DNSSEC_SECURE);
	a.count = 1;
	a.rrs = &rr;
	assert_int_equal(dane_host_on_answer(&h, &a), 0);
	assert_string_equal(h.tlsa_base, "alias.example.net");
	chain_of(&c, P.leaf, P.inter, NULL);
	assert_int_equal(dane_addr_match(&h, &c, &r), 0);
	assert_int_equal(r.state, DANE_ADDR_VALID);
	dane_addr_free(&r);
	dane_chain_free(&c);
	dane_host_free(&h);

	/* Without the CNAME, a leaf for mx.example.net does not name
	 * alias.example.net. */
	host_with(&h, "alias.example.net", NULL, rd, 1);
	chain_of(&c, P.leaf, P.inter, NULL);
	assert_int_equal(dane_addr_match(&h, &c, &r), 0);
	assert_int_equal(r.state, DANE_ADDR_NO_MATCH);
	assert_int_equal(r.matches[0], DANE_MATCH_NAME_MISMATCH);
	dane_addr_free(&r);
	dane_chain_free(&c);
	dane_host_free(&h);
}

static void
test_match_bad_chain(void **state)
{
	struct rdata rd[1];
	struct dane_host_result h;
	struct dane_addr_result r;
	struct dane_chain c;
	static const uint8_t junk[] = { 0x30, 0x03, 0x02, 0x01, 0x00, 0x00 };

	(void)state;
	rd[0] = tlsa_for(3, 1, 1, P.leaf, NULL);
	host_with(&h, "mx.example.net", NULL, rd, 1);
	memset(&c, 0, sizeof(c));
	assert_int_equal(dane_chain_add(&c, junk, sizeof(junk)), 0);
	assert_int_equal(dane_addr_match(&h, &c, &r), 0);
	assert_int_equal(r.state, DANE_ADDR_NO_MATCH);
	assert_non_null(r.verify_error);
	assert_int_equal(r.matches[0], DANE_MATCH_NO);
	dane_addr_free(&r);
	dane_chain_free(&c);

	/* No TLS session. */
	assert_int_equal(dane_addr_match(&h, NULL, &r), 0);
	assert_int_equal(r.state, DANE_ADDR_NO_TLS);
	assert_int_equal(r.matches[0], DANE_MATCH_NOT_TRIED);
	dane_addr_free(&r);
	dane_host_free(&h);
}

/* --- rollover -------------------------------------------------------------- */

static unsigned
rollover_of(const struct rdata *rd, size_t n, X509 *leaf)
{
	struct dane_host_result h;
	struct dane_addr_result r;
	unsigned roll;

	match(rd, n, leaf, P.inter, P.root, &h, &r);
	assert_int_equal(r.state, DANE_ADDR_VALID);
	roll = r.rollover;
	dane_addr_free(&r);
	dane_host_free(&h);
	return roll;
}

static void
test_rollover(void **state)
{
	struct rdata rd[2];
	char text[100];

	(void)state;
	/* One 3 1 1 of the current key: single, no next. */
	rd[0] = tlsa_for(3, 1, 1, P.leaf, NULL);
	assert_int_equal(rollover_of(rd, 1, P.leaf),
	    DANE_ROLL_SINGLE_RECORD | DANE_ROLL_NO_NEXT);
	/* ... and the certificate expires in 10 days: the key may change. */
	assert_int_equal(rollover_of(rd, 1, P.leaf_soon),
	    DANE_ROLL_SINGLE_RECORD | DANE_ROLL_NO_NEXT |
	    DANE_ROLL_EXPIRES_SOON);
	/* Current + next key: ready. */
	rd[1] = tlsa_for(3, 1, 1, NULL, P.next_key);
	assert_int_equal(rollover_of(rd, 2, P.leaf), 0);
	assert_int_equal(rollover_of(rd, 2, P.leaf_soon), 0);
	/* Two records for the same key (SHA-256 and SHA-512): no next. */
	rd[1] = tlsa_for(3, 1, 2, P.leaf, NULL);
	assert_int_equal(rollover_of(rd, 2, P.leaf), DANE_ROLL_NO_NEXT);
	/* 3 0 1 only: even a same-key renewal breaks it. */
	rd[0] = tlsa_for(3, 0, 1, P.leaf, NULL);
	assert_int_equal(rollover_of(rd, 1, P.leaf), DANE_ROLL_SINGLE_RECORD |
	    DANE_ROLL_NO_NEXT | DANE_ROLL_EE_CERT_ONLY);
	/* 3 1 1 + 2 1 1 of the issuer: ready. */
	rd[0] = tlsa_for(3, 1, 1, P.leaf, NULL);
	rd[1] = tlsa_for(2, 1, 1, P.inter, NULL);
	assert_int_equal(rollover_of(rd, 2, P.leaf), 0);
	/* A single 2 1 1: one record, but a new leaf still matches. */
	assert_int_equal(rollover_of(rd + 1, 1, P.leaf),
	    DANE_ROLL_SINGLE_RECORD);

	dane_rollover_text(DANE_ROLL_SINGLE_RECORD | DANE_ROLL_NO_NEXT, text,
	    sizeof(text));
	assert_string_equal(text, "single-record, no-next-record");
	dane_rollover_text(0, text, sizeof(text));
	assert_string_equal(text, "");
}

/* --- auth facts and summary ------------------------------------------------ */

static void
test_auth_fill(void **state)
{
	struct rdata rd[2];
	struct dane_host_result h;
	struct dane_addr_result r, nt;
	struct dane_chain c;
	struct auth_facts auth;
	const struct dane_addr_result *addrs[3];

	(void)state;
	/* Valid. */
	rd[0] = tlsa_for(3, 1, 1, P.leaf, NULL);
	match(rd, 1, P.leaf, P.inter, NULL, &h, &r);
	memset(&auth, 0, sizeof(auth));
	dane_auth_fill(&h, &r, &auth);
	assert_int_equal(auth.dane, DANE_VALID);
	assert_int_equal(auth.mtasts, MTASTS_NOT_CHECKED);
	/* No TLS: fails; inconclusive (NULL): untouched. */
	assert_int_equal(dane_addr_match(&h, NULL, &nt), 0);
	dane_auth_fill(&h, &nt, &auth);
	assert_int_equal(auth.dane, DANE_FAILS);
	memset(&auth, 0, sizeof(auth));
	dane_auth_fill(&h, NULL, &auth);
	assert_int_equal(auth.dane, DANE_NOT_CHECKED);
	/* Summary: one of two addresses valid. */
	addrs[0] = &r;
	addrs[1] = &nt;
	addrs[2] = NULL;
	dane_host_summarise(&h, addrs, 3);
	assert_int_equal(h.addresses, 2);
	assert_int_equal(h.addresses_valid, 1);
	assert_int_equal(h.rollover, DANE_ROLL_SINGLE_RECORD | DANE_ROLL_NO_NEXT);
	dane_addr_free(&r);
	dane_addr_free(&nt);
	dane_host_free(&h);

	/* No match. */
	rd[0] = tlsa_for(3, 1, 1, NULL, P.next_key);
	match(rd, 1, P.leaf, P.inter, NULL, &h, &r);
	dane_auth_fill(&h, &r, &auth);
	assert_int_equal(auth.dane, DANE_FAILS);
	dane_addr_free(&r);
	dane_host_free(&h);

	/* Only PKIX-EE: no usable records; without TLS, fails. */
	rd[0] = tlsa_for(1, 1, 1, P.leaf, NULL);
	rd[1] = tlsa_for(1, 0, 1, P.leaf, NULL);
	match(rd, 2, P.leaf, P.inter, NULL, &h, &r);
	assert_int_equal(h.n_usable, 0);
	assert_int_equal(r.state, DANE_ADDR_NO_USABLE);
	dane_auth_fill(&h, &r, &auth);
	assert_int_equal(auth.dane, DANE_NO_USABLE);
	dane_addr_free(&r);
	memset(&c, 0, sizeof(c));
	assert_int_equal(dane_addr_match(&h, &c, &r), 0);
	assert_int_equal(r.state, DANE_ADDR_NO_TLS);
	dane_auth_fill(&h, &r, &auth);
	assert_int_equal(auth.dane, DANE_FAILS);
	dane_addr_free(&r);
	dane_host_free(&h);

	/* Host-level outcomes decide alone. */
	assert_int_equal(dane_host_init(&h, "mx.example.net", DNSSEC_INSECURE,
	    DNSSEC_SECURE, NULL), 0);
	assert_int_equal(dane_addr_match(&h, NULL, &r), 0);
	assert_int_equal(r.state, DANE_ADDR_NOT_APPLICABLE);
	dane_auth_fill(&h, NULL, &auth);
	assert_int_equal(auth.dane, DANE_NONE);
	dane_addr_free(&r);
	dane_host_free(&h);
	assert_int_equal(dane_host_init(&h, "mx.example.net", DNSSEC_SECURE,
	    DNSSEC_SECURE, NULL), 0);
	{
		struct dns_answer a = answer(DNS_SERVFAIL, DNSSEC_BOGUS);

		assert_int_equal(dane_host_on_answer(&h, &a), 0);
	}
	dane_auth_fill(&h, NULL, &auth);
	assert_int_equal(auth.dane, DANE_LOOKUP_FAILED);
	dane_host_free(&h);
	/* Pending: untouched. */
	assert_int_equal(dane_host_init(&h, "mx.example.net", DNSSEC_SECURE,
	    DNSSEC_SECURE, NULL), 0);
	memset(&auth, 0, sizeof(auth));
	dane_auth_fill(&h, NULL, &auth);
	assert_int_equal(auth.dane, DANE_NOT_CHECKED);
	dane_host_free(&h);
	for (int s = 0; s < DANE_ADDR_STATE_COUNT; s++)
		assert_string_not_equal(dane_addr_state_name(s), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_unusable),
		cmocka_unit_test(test_qname),
		cmocka_unit_test(test_lookup_not_applicable),
		cmocka_unit_test(test_lookup_addr_dnssec),
		cmocka_unit_test(test_lookup_cname_order),
		cmocka_unit_test(test_lookup_outcomes),
		cmocka_unit_test(test_match_ee),
		cmocka_unit_test(test_match_ta),
		cmocka_unit_test(test_match_mismatch),
		cmocka_unit_test(test_match_which),
		cmocka_unit_test(test_match_cname_names),
		cmocka_unit_test(test_match_bad_chain),
		cmocka_unit_test(test_rollover),
		cmocka_unit_test(test_auth_fill),
	};

	return cmocka_run_group_tests(tests, setup_pki, teardown_pki);
}
