/*
 * test_tls_name.c - unit tests of certificate name matching (tls/tls_name.h)
 * and of the certificate facts built on it (tls/tls_cert.h).
 *
 * The certificates are made in memory with OpenSSL, each carrying exactly
 * the property under test: SANs (one with an embedded NUL), CN only, CA or
 * self-signed, RSA or EC keys, SHA-1 or SHA-256 signatures, dates after 2049
 * (GeneralizedTime).
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

#include "tls/tls_cert.h"
#include "tls/tls_name.h"

/* --- tls_name_match ------------------------------------------------------- */

struct match_case {
	const char	*pattern;
	const char	*host;
	int		 want;
};

static void
run_cases(const struct match_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tls_name_match(c[i].pattern, c[i].host) != c[i].want)
			fail_msg("tls_name_match(\"%s\", \"%s\") != %d",
			    c[i].pattern, c[i].host, c[i].want);
}

#define RUN(cases) run_cases(cases, sizeof(cases) / sizeof(cases[0]))

static void
test_exact(void **state)
{
	static const struct match_case cases[] = {
		{ "mx.example.org", "mx.example.org", 1 },
		{ "example.org", "example.org", 1 },
		{ "localhost", "localhost", 1 },
		{ "mx.example.org", "mx.example.com", 0 },
		{ "mx.example.org", "mx.example.or", 0 },
		{ "mx.example.or", "mx.example.org", 0 },
		{ "example.org", "mx.example.org", 0 },
		{ "mx.example.org", "example.org", 0 },
		{ "mx.example.org", "mx2.example.org", 0 },
		{ "mx.example.org", "xmx.example.org", 0 },
	};

	(void)state;
	RUN(cases);
}

static void
test_case_insensitive(void **state)
{
	static const struct match_case cases[] = {
		{ "MX.Example.ORG", "mx.example.org", 1 },
		{ "mx.example.org", "MX.EXAMPLE.ORG", 1 },
		{ "*.EXAMPLE.org", "A.example.ORG", 1 },
	};

	(void)state;
	RUN(cases);
}

static void
test_trailing_dots(void **state)
{
	static const struct match_case cases[] = {
		{ "mx.example.org.", "mx.example.org", 1 },
		{ "mx.example.org", "mx.example.org.", 1 },
		{ "mx.example.org.", "mx.example.org.", 1 },
		{ "*.example.org.", "a.example.org", 1 },
		{ "*.example.org", "a.example.org.", 1 },
		{ "mx.example.org..", "mx.example.org", 0 },
		{ "mx.example.org", "mx.example.org..", 0 },
	};

	(void)state;
	RUN(cases);
}

static void
test_wildcard(void **state)
{
	static const struct match_case cases[] = {
		{ "*.example.org", "a.example.org", 1 },
		{ "*.example.org", "mx-1.example.org", 1 },
		{ "*.example.org", "xn--bcher-kva.example.org", 1 },
		{ "*.a.b.c", "x.a.b.c", 1 },
		/* Exactly one label. */
		{ "*.example.org", "a.b.example.org", 0 },
		{ "*.example.org", "example.org", 0 },
		/* One non-empty label. */
		{ "*.example.org", ".example.org", 0 },
		{ "*.example.org", "..example.org", 0 },
		/* The rest must match too. */
		{ "*.example.org", "a.example.com", 0 },
		{ "*.example.org", "a.example.org.evil", 0 },
		{ "*.example.org", "a.xexample.org", 0 },
		{ "*.example.org", "aexample.org", 0 },
		{ "*.example.org", "a", 0 },
	};

	(void)state;
	RUN(cases);
}

/* "*.org" covers nothing: fewer than two labels follow the wildcard. */
static void
test_wildcard_needs_two_labels(void **state)
{
	static const struct match_case cases[] = {
		{ "*.org", "example.org", 0 },
		{ "*.org.", "example.org", 0 },
		{ "*.org", "example.org.", 0 },
		{ "*.com", "a.com", 0 },
		{ "*.local", "printer.local", 0 },
		{ "*.co.uk", "example.co.uk", 1 },	/* no public-suffix list */
	};

	(void)state;
	RUN(cases);
}

/* A wildcard counts only as the whole left-most label (RFC 9525 6.3). */
static void
test_partial_and_misplaced_wildcards(void **state)
{
	static const struct match_case cases[] = {
		{ "f*.example.org", "foo.example.org", 0 },
		{ "f*.example.org", "f.example.org", 0 },
		{ "*o.example.org", "foo.example.org", 0 },
		{ "f*o.example.org", "foo.example.org", 0 },
		{ "xn--*.example.org", "xn--bcher-kva.example.org", 0 },
		{ "**.example.org", "a.example.org", 0 },
		{ "*.*.example.org", "a.b.example.org", 0 },
		{ "a.*.example.org", "a.b.example.org", 0 },
		{ "mx.example.*", "mx.example.org", 0 },
		{ "*.example.*", "a.example.org", 0 },
		{ "mx.ex*le.org", "mx.example.org", 0 },
		/* A pattern with '*' never matches itself as a literal name either. */
		{ "f*.example.org", "f*.example.org", 0 },
		{ "a.*.example.org", "a.*.example.org", 0 },
	};

	(void)state;
	RUN(cases);
}

static void
test_bare_star_and_empty(void **state)
{
	static const struct match_case cases[] = {
		{ "*", "a", 0 },
		{ "*", "*", 0 },
		{ "*.", "a.", 0 },
		{ "*.", "a", 0 },
		{ "", "", 0 },
		{ "", "example.org", 0 },
		{ "example.org", "", 0 },
		{ "*.example.org", "", 0 },
		{ ".", "example.org", 0 },
		{ "example.org", ".", 0 },
	};

	(void)state;
	RUN(cases);
}

/* What sanitising made of "good.example.org\0.evil.org" matches nothing. */
static void
test_sanitised_nul_name(void **state)
{
	static const struct match_case cases[] = {
		{ "good.example.org?.evil.org", "good.example.org", 0 },
		{ "good.example.org?.evil.org", "evil.org", 0 },
		{ "*.example.org?.evil.org", "a.example.org", 0 },
	};

	(void)state;
	RUN(cases);
}

/* --- certificates ---------------------------------------------------------- */

static EVP_PKEY *rsa_key;	/* made once: RSA generation is slow */
static EVP_PKEY *ec_key;
static EVP_PKEY *ca_key;

static int
group_setup(void **state)
{
	(void)state;
	rsa_key = EVP_RSA_gen(2048);
	ec_key = EVP_EC_gen("P-256");
	ca_key = EVP_EC_gen("P-256");
	return rsa_key && ec_key && ca_key ? 0 : -1;
}

static int
group_teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(rsa_key);
	EVP_PKEY_free(ec_key);
	EVP_PKEY_free(ca_key);
	return 0;
}

/* A SAN: DNS name of len bytes (embedded NULs allowed), or an IP address. */
struct san {
	int		 type;		/* GEN_DNS, GEN_IPADD, GEN_EMAIL */
	const char	*value;
	size_t		 len;
};

#define DNS_SAN(s) { GEN_DNS, s, sizeof(s) - 1 }

struct cert_spec {
	EVP_PKEY		*key;		/* subject key */
	EVP_PKEY		*signer;	/* NULL: self-signed with key */
	const char *const	*subject;	/* "O", "Example", "CN", "mx", ..., NULL */
	const char *const	*issuer;	/* NULL: the subject */
	const struct san	*sans;
	size_t			 n_sans;
	time_t			 not_before;
	time_t			 not_after;
	const EVP_MD		*md;		/* NULL: SHA-256 */
	const char		*basic_constraints;	/* "CA:TRUE", or NULL */
};

static void
add_names(X509_NAME *name, const char *const *kv)
{
	for (; kv[0] != NULL; kv += 2)
		assert_int_equal(X509_NAME_add_entry_by_txt(name, kv[0], MBSTRING_ASC,
		    (const unsigned char *)kv[1], -1, -1, 0), 1);
}

static void
add_sans(X509 *x, const struct san *sans, size_t n)
{
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	size_t i;

	assert_non_null(gens);
	for (i = 0; i < n; i++) {
		GENERAL_NAME *gn = GENERAL_NAME_new();
		ASN1_STRING *s = sans[i].type == GEN_IPADD ?
		    ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();

		assert_non_null(gn);
		assert_non_null(s);
		assert_int_equal(ASN1_STRING_set(s, sans[i].value,
		    (int)sans[i].len), 1);
		GENERAL_NAME_set0_value(gn, sans[i].type, s);
		assert_true(sk_GENERAL_NAME_push(gens, gn) > 0);
	}
	assert_int_equal(X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0,
	    X509V3_ADD_DEFAULT), 1);
	GENERAL_NAMES_free(gens);
}

static X509 *
make_cert(const struct cert_spec *sp)
{
	X509 *x = X509_new();

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 4711), 1);
	add_names(X509_get_subject_name(x), sp->subject);
	add_names(X509_get_issuer_name(x), sp->issuer ? sp->issuer : sp->subject);
	assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), sp->not_before));
	assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), sp->not_after));
	assert_int_equal(X509_set_pubkey(x, sp->key), 1);
	if (sp->n_sans > 0)
		add_sans(x, sp->sans, sp->n_sans);
	if (sp->basic_constraints != NULL) {
		X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, NULL,
		    NID_basic_constraints, sp->basic_constraints);

		assert_non_null(ext);
		assert_int_equal(X509_add_ext(x, ext, -1), 1);
		X509_EXTENSION_free(ext);
	}
	assert_true(X509_sign(x, sp->signer ? sp->signer : sp->key,
	    sp->md ? sp->md : EVP_sha256()) > 0);
	return x;
}

static void
facts_of(const struct cert_spec *sp, struct cert_facts *f)
{
	X509 *x = make_cert(sp);

	assert_int_equal(cert_facts_from_x509(x, f), 0);
	X509_free(x);		/* facts must not refer back to the X509 */
}

static const char *const mx_subject[] = {
	"C", "DE", "O", "Example Org", "CN", "mx.example.org", NULL
};
static const char good_nul[] = "good.example.org\0.evil.org";
static const struct san mx_sans[] = {
	DNS_SAN("mx.example.org"),
	DNS_SAN("*.example.net"),
	{ GEN_DNS, good_nul, sizeof(good_nul) - 1 },
	{ GEN_IPADD, "\xc0\x00\x02\x01", 4 },
	{ GEN_EMAIL, "postmaster@example.org", 22 },
};

#define NOT_BEFORE	((time_t)1700000000)	/* 2023-11-14 */
#define NOT_AFTER	((time_t)1800000000)	/* 2027-01-15 */

static void
test_cert_rsa_self_signed(void **state)
{
	const struct cert_spec sp = {
		.key = rsa_key, .subject = mx_subject, .sans = mx_sans,
		.n_sans = 5, .not_before = NOT_BEFORE, .not_after = NOT_AFTER,
		.basic_constraints = "CA:FALSE",
	};
	struct cert_facts f;

	(void)state;
	facts_of(&sp, &f);
	assert_string_equal(f.subject, "CN=mx.example.org,O=Example Org,C=DE");
	assert_string_equal(f.issuer, f.subject);
	assert_string_equal(f.common_name, "mx.example.org");
	/* Only the dNSNames, in order, the NUL made harmless. */
	assert_int_equal(f.dns_names.n, 3);
	assert_string_equal(f.dns_names.v[0], "mx.example.org");
	assert_string_equal(f.dns_names.v[1], "*.example.net");
	assert_string_equal(f.dns_names.v[2], "good.example.org?.evil.org");
	assert_true(f.not_before == NOT_BEFORE);
	assert_true(f.not_after == NOT_AFTER);
	assert_string_equal(f.key_type, "RSA");
	assert_int_equal(f.key_bits, 2048);
	assert_int_equal(f.key_security_bits, 112);
	assert_string_equal(f.sig_alg, "sha256WithRSAEncryption");
	assert_int_equal(f.sig_sha1_or_worse, 0);
	assert_int_equal(f.self_signed, 1);
	assert_int_equal(f.is_ca, 0);
	cert_facts_free(&f);
}

static void
test_cert_match_host(void **state)
{
	const struct cert_spec sp = {
		.key = ec_key, .subject = mx_subject, .sans = mx_sans,
		.n_sans = 5, .not_before = NOT_BEFORE, .not_after = NOT_AFTER,
	};
	struct cert_facts f;
	const char *m;

	(void)state;
	facts_of(&sp, &f);
	m = cert_match_host(&f, "mx.example.org");
	assert_non_null(m);
	assert_string_equal(m, "mx.example.org");
	assert_ptr_equal(m, f.dns_names.v[0]);	/* points into the facts */
	m = cert_match_host(&f, "MX.Example.Org.");
	assert_ptr_equal(m, f.dns_names.v[0]);
	m = cert_match_host(&f, "smtp.example.net");
	assert_ptr_equal(m, f.dns_names.v[1]);

	assert_null(cert_match_host(&f, "a.b.example.net"));
	assert_null(cert_match_host(&f, "example.net"));
	/* The embedded NUL: neither half is covered. */
	assert_null(cert_match_host(&f, "good.example.org"));
	assert_null(cert_match_host(&f, "evil.org"));
	/* Nor is the IP address SAN a name, nor the e-mail address. */
	assert_null(cert_match_host(&f, "192.0.2.1"));
	assert_null(cert_match_host(&f, "example.org"));
	assert_null(cert_match_host(&f, ""));
	cert_facts_free(&f);
}

/* With DNS SANs present the CN is not looked at (RFC 6125 6.4.4). */
static void
test_cert_cn_ignored_with_sans(void **state)
{
	static const char *const subject[] = { "CN", "cn-only.example.org", NULL };
	static const struct san sans[] = { DNS_SAN("san.example.org") };
	const struct cert_spec sp = {
		.key = ec_key, .subject = subject, .sans = sans, .n_sans = 1,
		.not_before = NOT_BEFORE, .not_after = NOT_AFTER,
	};
	struct cert_facts f;

	(void)state;
	facts_of(&sp, &f);
	assert_string_equal(f.common_name, "cn-only.example.org");
	assert_null(cert_match_host(&f, "cn-only.example.org"));
	assert_non_null(cert_match_host(&f, "san.example.org"));
	cert_facts_free(&f);
}

/* Without DNS SANs, the (last) CN is the name. */
static void
test_cert_cn_fallback(void **state)
{
	static const char *const subject[] = {
		"CN", "first.example.org", "O", "Example", "CN", "last.example.org",
		NULL
	};
	static const struct san ip_only[] = { { GEN_IPADD, "\xc0\x00\x02\x01", 4 } };
	const struct cert_spec sp = {
		.key = ec_key, .subject = subject, .not_before = NOT_BEFORE,
		.not_after = NOT_AFTER,
	};
	struct cert_spec sp_ip = sp;
	struct cert_facts f;
	const char *m;

	(void)state;
	facts_of(&sp, &f);
	assert_int_equal(f.dns_names.n, 0);
	assert_string_equal(f.common_name, "last.example.org");
	m = cert_match_host(&f, "last.example.org");
	assert_non_null(m);
	assert_ptr_equal(m, f.common_name);
	assert_null(cert_match_host(&f, "first.example.org"));
	cert_facts_free(&f);

	/* An IP-only SAN extension is no DNS SAN: the CN still counts. */
	sp_ip.sans = ip_only;
	sp_ip.n_sans = 1;
	facts_of(&sp_ip, &f);
	assert_int_equal(f.dns_names.n, 0);
	assert_non_null(cert_match_host(&f, "last.example.org"));
	cert_facts_free(&f);
}

static void
test_cert_no_names(void **state)
{
	static const char *const subject[] = { "O", "Nameless", NULL };
	const struct cert_spec sp = {
		.key = ec_key, .subject = subject, .not_before = NOT_BEFORE,
		.not_after = NOT_AFTER,
	};
	struct cert_facts f;

	(void)state;
	facts_of(&sp, &f);
	assert_null(f.common_name);
	assert_int_equal(f.dns_names.n, 0);
	assert_string_equal(f.subject, "O=Nameless");
	assert_null(cert_match_host(&f, "mx.example.org"));
	cert_facts_free(&f);
}

/* Peer text in subject and CN comes out printable; the NUL in a CN too. */
static void
test_cert_hostile_subject(void **state)
{
	static const char *const subject[] = {
		"O", "Evil\x1b[2J Corp", "CN", "mx.example.org\x7f", NULL
	};
	const struct cert_spec sp = {
		.key = ec_key, .subject = subject, .not_before = NOT_BEFORE,
		.not_after = NOT_AFTER,
	};
	struct cert_facts f;
	size_t i;

	(void)state;
	facts_of(&sp, &f);
	for (i = 0; f.subject[i] != '\0'; i++)
		assert_true(f.subject[i] >= 0x20 && f.subject[i] <= 0x7e);
	assert_string_equal(f.common_name, "mx.example.org?");
	assert_null(cert_match_host(&f, "mx.example.org"));
	cert_facts_free(&f);
}

static void
test_cert_ec_signed_by_ca(void **state)
{
	static const char *const ca_subject[] = { "CN", "Example CA", NULL };
	static const struct san sans[] = { DNS_SAN("mx.example.org") };
	const struct cert_spec sp = {
		.key = ec_key, .signer = ca_key, .subject = mx_subject,
		.issuer = ca_subject, .sans = sans, .n_sans = 1,
		.not_before = NOT_BEFORE, .not_after = NOT_AFTER,
	};
	struct cert_facts f;

	(void)state;
	facts_of(&sp, &f);
	assert_string_equal(f.issuer, "CN=Example CA");
	assert_string_equal(f.key_type, "EC");
	assert_int_equal(f.key_bits, 256);
	assert_int_equal(f.key_security_bits, 128);
	assert_string_equal(f.sig_alg, "ecdsa-with-SHA256");
	assert_int_equal(f.self_signed, 0);
	cert_facts_free(&f);
}

/* Issuer name == subject name is not enough: the signature must verify. */
static void
test_cert_same_name_other_key(void **state)
{
	const struct cert_spec sp = {
		.key = ec_key, .signer = ca_key, .subject = mx_subject,
		.not_before = NOT_BEFORE, .not_after = NOT_AFTER,
	};
	struct cert_facts f;

	(void)state;
	facts_of(&sp, &f);
	assert_string_equal(f.issuer, f.subject);
	assert_int_equal(f.self_signed, 0);
	cert_facts_free(&f);
}

static void
test_cert_ca(void **state)
{
	static const char *const subject[] = { "CN", "Example Root CA", NULL };
	const struct cert_spec sp = {
		.key = ca_key, .subject = subject, .not_before = NOT_BEFORE,
		.not_after = NOT_AFTER, .basic_constraints = "critical,CA:TRUE",
	};
	struct cert_facts f;

	(void)state;
	facts_of(&sp, &f);
	assert_int_equal(f.is_ca, 1);
	assert_int_equal(f.self_signed, 1);
	cert_facts_free(&f);
}

static void
test_cert_sha1(void **state)
{
	const struct cert_spec sp = {
		.key = rsa_key, .signer = ca_key, .subject = mx_subject,
		.not_before = NOT_BEFORE, .not_after = NOT_AFTER, .md = EVP_sha1(),
	};
	struct cert_facts f;

	(void)state;
	facts_of(&sp, &f);
	assert_string_equal(f.sig_alg, "ecdsa-with-SHA1");
	assert_int_equal(f.sig_sha1_or_worse, 1);
	cert_facts_free(&f);
}

/* Dates after 2049 are GeneralizedTime; before 1970 negative. */
static void
test_cert_dates(void **state)
{
	const struct cert_spec sp = {
		.key = ec_key, .subject = mx_subject,
		.not_before = (time_t)-86400, .not_after = (time_t)4102444800LL,
	};
	struct cert_facts f;

	(void)state;
	facts_of(&sp, &f);
	assert_true(f.not_before == -86400);		/* 1969-12-31 */
	assert_true(f.not_after == 4102444800LL);	/* 2100-01-01 */
	cert_facts_free(&f);
}

static void
test_cert_fingerprint(void **state)
{
	const struct cert_spec sp = {
		.key = ec_key, .subject = mx_subject, .not_before = NOT_BEFORE,
		.not_after = NOT_AFTER,
	};
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	char hex[65];
	struct cert_facts f;
	X509 *x = make_cert(&sp);

	(void)state;
	assert_int_equal(X509_digest(x, EVP_sha256(), md, &mdlen), 1);
	assert_int_equal(mdlen, 32);
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	assert_int_equal(cert_facts_from_x509(x, &f), 0);
	X509_free(x);
	assert_string_equal(f.sha256, hex);
	cert_facts_free(&f);
	/* Freed facts are zeroed: freeing again is harmless. */
	assert_null(f.subject);
	cert_facts_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_trailing_dots),
		cmocka_unit_test(test_wildcard),
		cmocka_unit_test(test_wildcard_needs_two_labels),
		cmocka_unit_test(test_partial_and_misplaced_wildcards),
		cmocka_unit_test(test_bare_star_and_empty),
		cmocka_unit_test(test_sanitised_nul_name),
		cmocka_unit_test(test_cert_rsa_self_signed),
		cmocka_unit_test(test_cert_match_host),
		cmocka_unit_test(test_cert_cn_ignored_with_sans),
		cmocka_unit_test(test_cert_cn_fallback),
		cmocka_unit_test(test_cert_no_names),
		cmocka_unit_test(test_cert_hostile_subject),
		cmocka_unit_test(test_cert_ec_signed_by_ca),
		cmocka_unit_test(test_cert_same_name_other_key),
		cmocka_unit_test(test_cert_ca),
		cmocka_unit_test(test_cert_sha1),
		cmocka_unit_test(test_cert_dates),
		cmocka_unit_test(test_cert_fingerprint),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
