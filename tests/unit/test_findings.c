/*
 * test_findings.c - unit tests of the finding rules (check/findings.h) over
 * hand-built result models (check/result.h).
 *
 * Each test starts from a model with nothing to report (one MX host, one
 * public address, TLS 1.3, a trusted certificate naming the host, DNSSEC
 * secure), changes the one fact under test, runs findings_derive() and
 * checks which findings appear, and which must not.  Every string in the
 * model is heap-allocated: domain_result_free() frees it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/findings.h"
#include "check/result.h"
#include "model_fixture.h"


/* --- building models -------------------------------------------------------- */

/* no_tls - s never got to TLS: empty TLS facts. */
static void
no_tls(struct server_result *s)
{
	tls_facts_free(&s->tls);
}

/* clean_model - example.org, MX mx.example.org, one public address, all fine. */
static struct domain_result *
clean_model(struct server_result **sp)
{
	struct domain_result *d = new_domain("example.org");
	struct host_result *h = add_host(d, "mx.example.org", 10);
	struct server_result *s = model_server(h, "93.184.216.34");

	if (sp != NULL)
		*sp = s;
	return d;
}

/* --- checking findings ------------------------------------------------------ */

static const char *
detail_of(const struct findings *f, enum finding_id id)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].id == id)
			return f->v[i].detail;
	return NULL;
}

static void
assert_has(const struct findings *f, enum finding_id id)
{
	if (!findings_has(f, id))
		fail_msg("finding %s missing", finding_kind(id)->id);
}

static void
assert_not(const struct findings *f, enum finding_id id)
{
	if (findings_has(f, id))
		fail_msg("finding %s present (detail \"%s\")", finding_kind(id)->id,
		    detail_of(f, id) ? detail_of(f, id) : "");
}

/* assert_only - f holds exactly the n findings ids, in any order. */
static void
assert_only(const struct findings *f, const enum finding_id *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_has(f, ids[i]);
	for (i = 0; i < f->n; i++) {
		size_t j;

		for (j = 0; j < n && ids[j] != f->v[i].id; j++)
			;
		if (j == n)
			fail_msg("unexpected finding %s (detail \"%s\")",
			    finding_kind(f->v[i].id)->id,
			    f->v[i].detail ? f->v[i].detail : "");
	}
}

#define ONLY(f, ...) do {						\
	const enum finding_id ids_[] = { __VA_ARGS__ };			\
	assert_only((f), ids_, sizeof(ids_) / sizeof(ids_[0]));		\
} while (0)

static void
assert_none(const struct findings *f)
{
	assert_only(f, NULL, 0);
}

static void
assert_detail_contains(const struct findings *f, enum finding_id id,
    const char *part)
{
	const char *d = detail_of(f, id);

	assert_non_null(d);
	if (strstr(d, part) == NULL)
		fail_msg("%s: detail \"%s\" lacks \"%s\"", finding_kind(id)->id, d,
		    part);
}

/* --- the baseline ---------------------------------------------------------- */

static void
test_clean_model_has_no_findings(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	findings_derive(d, NOW);
	assert_none(&d->findings);
	assert_none(&d->hosts[0].findings);
	assert_none(&s->findings);
	assert_int_equal(domain_result_worst(d), -1);
	domain_result_free(d);
}

/* --- SMTP ------------------------------------------------------------------ */

static void
test_no_starttls(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->smtp.status = SMTP_STATUS_NO_STARTTLS;
	no_tls(s);
	findings_derive(d, NOW);
	ONLY(&s->findings, F_NO_STARTTLS);
	assert_int_equal(finding_kind(F_NO_STARTTLS)->severity, SEV_CRITICAL);
	assert_int_equal(domain_result_worst(d), SEV_CRITICAL);
	domain_result_free(d);
}

static void
test_helo_only(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->smtp.status = SMTP_STATUS_NO_STARTTLS;
	s->smtp.used_helo = 1;
	s->smtp.ehlo_code = 502;
	no_tls(s);
	findings_derive(d, NOW);
	ONLY(&s->findings, F_NO_STARTTLS, F_EHLO_HELO_ONLY);
	assert_detail_contains(&s->findings, F_EHLO_HELO_ONLY, "502");
	domain_result_free(d);
}

/* A 421 says nothing about STARTTLS: inconclusive, never "no STARTTLS". */
static void
test_tempfail_is_inconclusive(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->smtp.status = SMTP_STATUS_TEMPFAIL;
	s->smtp.stage = SMTP_STAGE_BANNER;
	s->smtp.banner_code = 421;
	s->smtp.error = xstrdup("banner: temporary failure 421 4.3.2 try later");
	no_tls(s);
	findings_derive(d, NOW);
	ONLY(&s->findings, F_INCONCLUSIVE);
	assert_not(&s->findings, F_NO_STARTTLS);
	assert_detail_contains(&s->findings, F_INCONCLUSIVE, "421");
	assert_int_equal(domain_result_worst(d), SEV_INFO);
	domain_result_free(d);
}

static void
test_other_inconclusive_statuses(void **state)
{
	static const enum smtp_status statuses[] = {
		SMTP_STATUS_REFUSED, SMTP_STATUS_TIMEOUT, SMTP_STATUS_UNREACHABLE,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		struct server_result *s;
		struct domain_result *d = clean_model(&s);

		s->smtp.status = statuses[i];
		no_tls(s);
		/* error left NULL: the rules must cope. */
		findings_derive(d, NOW);
		ONLY(&s->findings, F_INCONCLUSIVE);
		domain_result_free(d);
	}
}

/*
 * smtp_session.h: some statuses are conclusions about the server
 * (smtp_status_conclusive), the others are not, and none of those means
 * "no STARTTLS".  So F_INCONCLUSIVE must appear exactly for the statuses
 * that are not conclusive (NOT_TESTED aside: the address was skipped, and
 * says why with its own finding).
 */
static void
test_inconclusive_iff_not_conclusive(void **state)
{
	int st, conclusive, inconclusive, no_starttls;

	(void)state;
	for (st = 0; st < SMTP_STATUS_COUNT; st++) {
		struct server_result *s;
		struct domain_result *d = clean_model(&s);

		if (st == SMTP_STATUS_NOT_TESTED) {
			domain_result_free(d);
			continue;
		}
		s->smtp.status = (enum smtp_status)st;
		s->smtp.error = xstrdup("something happened");
		if (st != SMTP_STATUS_TLS_OK)
			no_tls(s);
		findings_derive(d, NOW);
		conclusive = smtp_status_conclusive((enum smtp_status)st);
		inconclusive = findings_has(&s->findings, F_INCONCLUSIVE);
		no_starttls = findings_has(&s->findings, F_NO_STARTTLS);
		domain_result_free(d);
		if (inconclusive == conclusive)
			fail_msg("status %s (conclusive %d): F_INCONCLUSIVE %s",
			    smtp_status_name((enum smtp_status)st), conclusive,
			    inconclusive ? "present" : "missing");
		if (!conclusive && no_starttls)
			fail_msg("status %s: F_NO_STARTTLS",
			    smtp_status_name((enum smtp_status)st));
	}
}

static void
test_not_tested(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->smtp.status = SMTP_STATUS_NOT_TESTED;
	no_tls(s);
	findings_derive(d, NOW);
	assert_none(&s->findings);
	domain_result_free(d);
}

static void
test_starttls_refused(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->smtp.status = SMTP_STATUS_STARTTLS_REFUSED;
	s->smtp.starttls_code = 454;
	s->smtp.error = xstrdup("STARTTLS advertised but refused: 454 4.7.0 TLS "
	    "not available due to local problem");
	no_tls(s);
	findings_derive(d, NOW);
	ONLY(&s->findings, F_STARTTLS_REFUSED);
	assert_detail_contains(&s->findings, F_STARTTLS_REFUSED, "454");
	domain_result_free(d);
}

static void
test_tls_failed(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->smtp.status = SMTP_STATUS_TLS_FAILED;
	s->smtp.error = xstrdup("TLS handshake failed: no shared cipher");
	no_tls(s);
	s->tls.error = xstrdup("no shared cipher");
	findings_derive(d, NOW);
	ONLY(&s->findings, F_TLS_HANDSHAKE_FAILED);
	domain_result_free(d);
}

static void
test_protocol_error_and_injection(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->smtp.status = SMTP_STATUS_PROTOCOL_ERROR;
	s->smtp.error = xstrdup("ehlo: reply line longer than the limit");
	no_tls(s);
	findings_derive(d, NOW);
	ONLY(&s->findings, F_SMTP_PROTOCOL_ERROR);
	domain_result_free(d);

	d = clean_model(&s);
	s->smtp.status = SMTP_STATUS_PROTOCOL_ERROR;
	s->smtp.stage = SMTP_STAGE_STARTTLS;
	s->smtp.injected_bytes = 11;
	s->smtp.error = xstrdup("11 bytes arrived with the 220 reply to STARTTLS");
	no_tls(s);
	findings_derive(d, NOW);
	ONLY(&s->findings, F_STARTTLS_INJECTION);
	domain_result_free(d);
}

static void
test_reserved_address(void **state)
{
	struct domain_result *d = new_domain("example.org");
	struct host_result *h = add_host(d, "mx.example.org", 10);
	struct server_result *lo = model_server(h, "127.0.0.1");
	struct server_result *priv = model_server(h, "10.1.2.3");

	(void)state;
	/* Skipped, as scan does; or checked anyway, as check does. */
	lo->smtp.status = SMTP_STATUS_NOT_TESTED;
	no_tls(lo);
	findings_derive(d, NOW);
	ONLY(&lo->findings, F_ADDRESS_RESERVED);
	assert_detail_contains(&lo->findings, F_ADDRESS_RESERVED, "127.0.0.1");
	assert_detail_contains(&lo->findings, F_ADDRESS_RESERVED, "loopback");
	ONLY(&priv->findings, F_ADDRESS_RESERVED);
	assert_detail_contains(&priv->findings, F_ADDRESS_RESERVED, "10.1.2.3");
	domain_result_free(d);
}

/* --- TLS parameters ----------------------------------------------------------- */

static void
test_dh_weak(void **state)
{
	static const struct {
		const char	*kx;
		int		 bits;
		int		 weak;
	} cases[] = {
		{ "DHE", 1024, 1 },
		{ "DHE", 512, 1 },
		{ "DHE", 2047, 1 },
		{ "DHE", 2048, 0 },
		{ "DHE", 4096, 0 },
		{ "DHE", 0, 0 },		/* size unknown: no claim */
		{ "ECDHE", 256, 0 },		/* EC sizes are not DH sizes */
		{ "ECDHE", 1024, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct server_result *s;
		struct domain_result *d = clean_model(&s);

		free(s->tls.version);
		s->tls.version = xstrdup("TLSv1.2");
		s->tls.version_code = 0x0303;
		free(s->tls.kx);
		s->tls.kx = xstrdup(cases[i].kx);
		s->tls.kx_bits = cases[i].bits;
		findings_derive(d, NOW);
		if (cases[i].weak) {
			ONLY(&s->findings, F_DH_WEAK);
			assert_detail_contains(&s->findings, F_DH_WEAK, "-bit");
		} else
			assert_none(&s->findings);
		domain_result_free(d);
	}
}

static void
test_tls_version_old(void **state)
{
	static const struct {
		const char	*name;
		int		 code;
		int		 old;
	} cases[] = {
		{ "SSLv3", 0x0300, 1 },
		{ "TLSv1", 0x0301, 1 },
		{ "TLSv1.1", 0x0302, 1 },
		{ "TLSv1.2", 0x0303, 0 },
		{ "TLSv1.3", 0x0304, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct server_result *s;
		struct domain_result *d = clean_model(&s);

		free(s->tls.version);
		s->tls.version = xstrdup(cases[i].name);
		s->tls.version_code = cases[i].code;
		findings_derive(d, NOW);
		if (cases[i].old) {
			ONLY(&s->findings, F_TLS_VERSION_OLD);
			assert_detail_contains(&s->findings, F_TLS_VERSION_OLD,
			    cases[i].name);
		} else
			assert_none(&s->findings);
		domain_result_free(d);
	}
}

static void
test_no_forward_secrecy(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	free(s->tls.kx);
	s->tls.kx = xstrdup("RSA");
	free(s->tls.cipher);
	s->tls.cipher = xstrdup("AES256-GCM-SHA384");
	s->tls.version_code = 0x0303;
	s->tls.forward_secret = 0;
	findings_derive(d, NOW);
	ONLY(&s->findings, F_NO_FORWARD_SECRECY);
	assert_detail_contains(&s->findings, F_NO_FORWARD_SECRECY, "RSA");
	domain_result_free(d);
}

static void
test_cipher_weak(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	free(s->tls.cipher);
	s->tls.cipher = xstrdup("DES-CBC3-SHA");
	s->tls.cipher_bits = 112;
	s->tls.version_code = 0x0303;
	findings_derive(d, NOW);
	ONLY(&s->findings, F_CIPHER_WEAK);
	assert_detail_contains(&s->findings, F_CIPHER_WEAK, "DES-CBC3-SHA");
	domain_result_free(d);

	d = clean_model(&s);
	s->tls.cipher_bits = 128;
	findings_derive(d, NOW);
	assert_none(&s->findings);
	domain_result_free(d);
}

static void
test_modern_client_refuses(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	assert_int_equal(strvec_push_copy(&s->tls.modern_refusals,
	    "dh key too small"), 0);
	assert_int_equal(strvec_push_copy(&s->tls.modern_refusals,
	    "unsupported protocol"), 0);
	findings_derive(d, NOW);
	ONLY(&s->findings, F_MODERN_CLIENT_REFUSES);
	assert_int_equal(s->findings.n, 2);	/* one per reason */
	assert_string_equal(s->findings.v[0].detail, "dh key too small");
	assert_string_equal(s->findings.v[1].detail, "unsupported protocol");
	domain_result_free(d);
}

/* Without a completed handshake the TLS facts are not judged. */
static void
test_tls_facts_ignored_without_handshake(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->smtp.status = SMTP_STATUS_TLS_FAILED;
	s->smtp.error = xstrdup("TLS handshake failed");
	s->tls.handshake_ok = 0;
	s->tls.version_code = 0x0301;
	s->tls.forward_secret = 0;
	s->tls.chain[0].not_after = NOW - 100 * DAY;
	findings_derive(d, NOW);
	ONLY(&s->findings, F_TLS_HANDSHAKE_FAILED);
	domain_result_free(d);
}

/* --- the certificate ---------------------------------------------------------- */

static void
test_cert_expired(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->tls.chain[0].not_after = NOW - 10 * DAY;
	/* An expired chain does not verify: that is not reported twice. */
	s->tls.verify_ok = 0;
	s->tls.verify_error = xstrdup("certificate has expired");
	findings_derive(d, NOW);
	ONLY(&s->findings, F_CERT_EXPIRED);
	assert_detail_contains(&s->findings, F_CERT_EXPIRED, "10 days");
	domain_result_free(d);
}

static void
test_cert_expiry_boundaries(void **state)
{
	static const struct {
		int64_t		 not_after;
		enum finding_id	 want;		/* F_COUNT: none */
	} cases[] = {
		{ NOW - 1, F_CERT_EXPIRED },
		{ NOW, F_CERT_EXPIRES_14_DAYS },	/* notAfter is inclusive */
		{ NOW + 1, F_CERT_EXPIRES_14_DAYS },
		{ NOW + 14 * DAY - 1, F_CERT_EXPIRES_14_DAYS },
		{ NOW + 14 * DAY, F_CERT_EXPIRES_SOON },
		{ NOW + 29 * DAY, F_CERT_EXPIRES_SOON },
		{ NOW + 30 * DAY - 1, F_CERT_EXPIRES_SOON },
		{ NOW + 30 * DAY, F_COUNT },
		{ NOW + 31 * DAY, F_COUNT },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct server_result *s;
		struct domain_result *d = clean_model(&s);

		s->tls.chain[0].not_after = cases[i].not_after;
		findings_derive(d, NOW);
		if (cases[i].want == F_COUNT)
			assert_none(&s->findings);
		else
			ONLY(&s->findings, cases[i].want);
		domain_result_free(d);
	}
}

static void
test_cert_not_yet_valid(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->tls.chain[0].not_before = NOW + 2 * DAY;
	s->tls.verify_ok = 0;
	s->tls.verify_error = xstrdup("certificate is not yet valid");
	findings_derive(d, NOW);
	assert_has(&s->findings, F_CERT_NOT_YET_VALID);
	assert_not(&s->findings, F_CERT_EXPIRED);
	domain_result_free(d);

	d = clean_model(&s);
	s->tls.chain[0].not_before = NOW;
	findings_derive(d, NOW);
	assert_none(&s->findings);
	domain_result_free(d);
}

static void
test_cert_name_mismatch(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	strvec_clear(&s->tls.chain[0].dns_names);
	assert_int_equal(strvec_push_copy(&s->tls.chain[0].dns_names,
	    "other.example.net"), 0);
	s->tls.matched_name = NULL;
	findings_derive(d, NOW);
	ONLY(&s->findings, F_CERT_NAME_MISMATCH);
	assert_detail_contains(&s->findings, F_CERT_NAME_MISMATCH,
	    "mx.example.org");
	assert_detail_contains(&s->findings, F_CERT_NAME_MISMATCH,
	    "other.example.net");
	domain_result_free(d);

	/* No SANs and no CN at all. */
	d = clean_model(&s);
	strvec_clear(&s->tls.chain[0].dns_names);
	free(s->tls.chain[0].common_name);
	s->tls.chain[0].common_name = NULL;
	s->tls.matched_name = NULL;
	findings_derive(d, NOW);
	ONLY(&s->findings, F_CERT_NAME_MISMATCH);
	domain_result_free(d);
}

static void
test_cert_self_signed(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->tls.chain[0].self_signed = 1;
	s->tls.verify_ok = 0;
	s->tls.verify_error = xstrdup("self-signed certificate");
	findings_derive(d, NOW);
	/* Self-signed, not also "untrusted". */
	ONLY(&s->findings, F_CERT_SELF_SIGNED);
	assert_int_equal(finding_kind(F_CERT_SELF_SIGNED)->severity, SEV_LOW);
	domain_result_free(d);
}

static void
test_cert_untrusted(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->tls.verify_ok = 0;
	s->tls.verify_error = xstrdup("unable to get local issuer certificate");
	findings_derive(d, NOW);
	ONLY(&s->findings, F_CERT_UNTRUSTED);
	assert_detail_contains(&s->findings, F_CERT_UNTRUSTED, "local issuer");
	domain_result_free(d);
}

static void
test_cert_weak_key(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	free(s->tls.chain[0].key_type);
	s->tls.chain[0].key_type = xstrdup("RSA");
	s->tls.chain[0].key_bits = 1024;
	s->tls.chain[0].key_security_bits = 80;
	findings_derive(d, NOW);
	ONLY(&s->findings, F_CERT_WEAK_KEY);
	assert_detail_contains(&s->findings, F_CERT_WEAK_KEY, "1024");
	domain_result_free(d);

	d = clean_model(&s);
	s->tls.chain[0].key_security_bits = 112;	/* RSA 2048 */
	findings_derive(d, NOW);
	assert_none(&s->findings);
	domain_result_free(d);
}

static void
test_cert_sha1(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	free(s->tls.chain[0].sig_alg);
	s->tls.chain[0].sig_alg = xstrdup("sha1WithRSAEncryption");
	s->tls.chain[0].sig_sha1_or_worse = 1;
	findings_derive(d, NOW);
	ONLY(&s->findings, F_CERT_SHA1);
	assert_detail_contains(&s->findings, F_CERT_SHA1, "sha1WithRSAEncryption");
	domain_result_free(d);

	/* A self-signed certificate's own signature proves nothing anyway. */
	d = clean_model(&s);
	s->tls.chain[0].sig_sha1_or_worse = 1;
	s->tls.chain[0].self_signed = 1;
	findings_derive(d, NOW);
	ONLY(&s->findings, F_CERT_SELF_SIGNED);
	domain_result_free(d);
}

/* --- DNS ------------------------------------------------------------------- */

static void
test_nxdomain(void **state)
{
	struct domain_result *d = new_domain("does-not-exist.example");

	(void)state;
	d->mx.outcome = DNS_NXDOMAIN;
	findings_derive(d, NOW);
	ONLY(&d->findings, F_DOMAIN_NXDOMAIN);
	assert_int_equal(domain_result_worst(d), SEV_CRITICAL);
	domain_result_free(d);
}

static void
test_dns_failures(void **state)
{
	static const struct {
		enum dns_outcome	 outcome;
		enum finding_id		 want;
	} cases[] = {
		{ DNS_SERVFAIL, F_DOMAIN_DNS_FAILURE },
		{ DNS_REFUSED, F_DOMAIN_DNS_FAILURE },
		{ DNS_ERROR, F_DOMAIN_DNS_FAILURE },
		{ DNS_TIMEOUT, F_DOMAIN_DNS_TIMEOUT },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct domain_result *d = new_domain("example.org");

		d->mx.outcome = cases[i].outcome;
		d->mx.dnssec = DNSSEC_INDETERMINATE;
		if (cases[i].outcome == DNS_ERROR)
			d->mx.error = xstrdup("rcode 5");
		findings_derive(d, NOW);
		ONLY(&d->findings, cases[i].want);
		domain_result_free(d);
	}
}

static void
test_dnssec_bogus(void **state)
{
	struct domain_result *d = new_domain("bogus.example");

	(void)state;
	d->mx.outcome = DNS_SERVFAIL;
	d->mx.dnssec = DNSSEC_BOGUS;
	d->mx.why_bogus = xstrdup("signature expired");
	findings_derive(d, NOW);
	/* Bogus, not also a plain DNS failure. */
	ONLY(&d->findings, F_DNSSEC_BOGUS);
	assert_detail_contains(&d->findings, F_DNSSEC_BOGUS, "signature expired");
	domain_result_free(d);

	/* A bogus answer of a host's address lookup. */
	d = clean_model(NULL);
	d->hosts[0].a.dnssec = DNSSEC_BOGUS;
	findings_derive(d, NOW);
	assert_has(&d->hosts[0].findings, F_DNSSEC_BOGUS);
	assert_detail_contains(&d->hosts[0].findings, F_DNSSEC_BOGUS,
	    "mx.example.org");
	domain_result_free(d);
}

static void
test_dnssec_unsigned(void **state)
{
	struct domain_result *d = clean_model(NULL);

	(void)state;
	d->mx.dnssec = DNSSEC_INSECURE;
	findings_derive(d, NOW);
	ONLY(&d->findings, F_DNSSEC_UNSIGNED);
	assert_int_equal(domain_result_worst(d), SEV_INFO);
	domain_result_free(d);
}

static void
test_null_mx(void **state)
{
	struct domain_result *d = new_domain("no-mail.example");

	(void)state;
	d->null_mx = 1;
	findings_derive(d, NOW);
	ONLY(&d->findings, F_NULL_MX);
	assert_int_equal(domain_result_worst(d), SEV_INFO);
	domain_result_free(d);
}

static void
test_null_mx_mixed(void **state)
{
	struct domain_result *d = clean_model(NULL);

	(void)state;
	d->null_mx_mixed = 1;
	findings_derive(d, NOW);
	ONLY(&d->findings, F_NULL_MX_MIXED);
	assert_detail_contains(&d->findings, F_NULL_MX_MIXED, "1 null MX");
	domain_result_free(d);
}

static void
test_implicit_mx_and_too_many(void **state)
{
	struct domain_result *d = new_domain("example.org");
	struct host_result *h;

	(void)state;
	d->mx.outcome = DNS_NODATA;
	d->implicit_mx = 1;
	h = add_host(d, "example.org", -1);
	model_server(h, "93.184.216.34");
	findings_derive(d, NOW);
	ONLY(&d->findings, F_IMPLICIT_MX);
	domain_result_free(d);

	d = clean_model(NULL);
	d->mx_ignored = 7;
	findings_derive(d, NOW);
	ONLY(&d->findings, F_TOO_MANY_MX);
	assert_detail_contains(&d->findings, F_TOO_MANY_MX, "7");
	domain_result_free(d);
}

static void
test_mx_is_cname(void **state)
{
	struct domain_result *d = clean_model(NULL);

	(void)state;
	d->hosts[0].a.canonname = xstrdup("real.example.net");
	findings_derive(d, NOW);
	ONLY(&d->hosts[0].findings, F_MX_IS_CNAME);
	assert_detail_contains(&d->hosts[0].findings, F_MX_IS_CNAME,
	    "real.example.net");
	domain_result_free(d);
}

static void
test_mx_without_address(void **state)
{
	struct domain_result *d = new_domain("example.org");
	struct host_result *h;

	(void)state;
	h = add_host(d, "gone.example.org", 10);
	h->a.outcome = DNS_NXDOMAIN;
	h->aaaa.outcome = DNS_NXDOMAIN;
	h = add_host(d, "empty.example.org", 20);
	h->a.outcome = DNS_NODATA;
	findings_derive(d, NOW);
	ONLY(&d->hosts[0].findings, F_MX_NO_ADDRESS);
	assert_detail_contains(&d->hosts[0].findings, F_MX_NO_ADDRESS,
	    "does not exist");
	ONLY(&d->hosts[1].findings, F_MX_NO_ADDRESS);
	/* No host has an address: nobody can deliver. */
	ONLY(&d->findings, F_NO_MX_HOSTS);
	assert_int_equal(domain_result_worst(d), SEV_CRITICAL);
	domain_result_free(d);

	/* One host with an address is enough for the domain. */
	d = clean_model(NULL);
	h = add_host(d, "backup.example.org", 20);
	h->a.outcome = DNS_NODATA;
	findings_derive(d, NOW);
	assert_none(&d->findings);
	ONLY(&d->hosts[1].findings, F_MX_NO_ADDRESS);
	domain_result_free(d);
}

static void
test_mx_address_lookup_failed(void **state)
{
	struct domain_result *d = new_domain("example.org");
	struct host_result *h = add_host(d, "mx.example.org", 10);

	(void)state;
	h->aaaa.outcome = DNS_TIMEOUT;
	h->a.outcome = DNS_NODATA;
	findings_derive(d, NOW);
	/* A failed lookup is not "no address". */
	ONLY(&d->hosts[0].findings, F_MX_ADDRESS_DNS_FAILURE);
	assert_detail_contains(&d->hosts[0].findings, F_MX_ADDRESS_DNS_FAILURE,
	    "AAAA");
	domain_result_free(d);
}

/* --- order, details, table ----------------------------------------------------- */

/* Most severe first; equal severities in the order the rules found them. */
static void
test_sorted_by_severity(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);
	size_t i;
	static const enum finding_id want[] = {
		F_TLS_VERSION_OLD,		/* high */
		F_MODERN_CLIENT_REFUSES,	/* high */
		F_DH_WEAK,			/* high */
		F_NO_FORWARD_SECRECY,		/* medium */
		F_CERT_NAME_MISMATCH,		/* medium */
		F_CERT_SELF_SIGNED,		/* low */
	};

	(void)state;
	s->tls.version_code = 0x0301;
	assert_int_equal(strvec_push_copy(&s->tls.modern_refusals,
	    "dh key too small"), 0);
	free(s->tls.kx);
	s->tls.kx = xstrdup("DHE");
	s->tls.kx_bits = 1024;
	s->tls.forward_secret = 0;
	s->tls.matched_name = NULL;
	s->tls.chain[0].self_signed = 1;
	findings_derive(d, NOW);
	assert_int_equal(s->findings.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < s->findings.n; i++)
		if (s->findings.v[i].id != want[i])
			fail_msg("position %zu: %s, expected %s", i,
			    finding_kind(s->findings.v[i].id)->id,
			    finding_kind(want[i])->id);
	assert_int_equal(domain_result_worst(d), SEV_HIGH);
	domain_result_free(d);
}

static void
test_domain_findings_sorted(void **state)
{
	struct domain_result *d = clean_model(NULL);
	size_t i;

	(void)state;
	d->mx.dnssec = DNSSEC_INSECURE;		/* info */
	d->implicit_mx = 1;			/* low */
	d->null_mx_mixed = 1;			/* medium */
	findings_derive(d, NOW);
	assert_int_equal(d->findings.n, 3);
	for (i = 1; i < d->findings.n; i++)
		assert_true(finding_kind(d->findings.v[i - 1].id)->severity >=
		    finding_kind(d->findings.v[i].id)->severity);
	assert_int_equal(d->findings.v[0].id, F_NULL_MX_MIXED);
	domain_result_free(d);
}

/* Details are evidence from peers: sanitised, whatever the model holds. */
static void
test_details_sanitised(void **state)
{
	struct domain_result *d = clean_model(NULL);
	const char *detail;
	size_t i;

	(void)state;
	d->hosts[0].a.canonname = xstrdup("evil\x1b[2J\n.example");
	findings_derive(d, NOW);
	detail = detail_of(&d->hosts[0].findings, F_MX_IS_CNAME);
	assert_non_null(detail);
	for (i = 0; detail[i] != '\0'; i++)
		assert_true(detail[i] >= 0x20 && detail[i] <= 0x7e);
	domain_result_free(d);
}

static void
test_findings_add_and_free(void **state)
{
	struct findings f;
	char big[2000];
	size_t i;

	(void)state;
	memset(&f, 0, sizeof(f));
	for (i = 0; i < 100; i++)
		findings_add(&f, (enum finding_id)(i % F_COUNT), "n=%zu", i);
	assert_int_equal(f.n, 100);
	assert_string_equal(f.v[99].detail, "n=99");
	findings_add(&f, F_NULL_MX, NULL);
	assert_null(f.v[100].detail);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	findings_add(&f, F_CERT_SHA1, "%s", big);
	assert_true(strlen(f.v[101].detail) < 600);
	assert_true(findings_has(&f, F_CERT_SHA1));
	findings_free(&f);
	assert_int_equal(f.n, 0);
	assert_false(findings_has(&f, F_CERT_SHA1));
	findings_free(&f);
}

static void
test_kind_table(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < F_COUNT; i++) {
		const struct finding_kind *k = finding_kind((enum finding_id)i);

		assert_non_null(k->id);
		assert_non_null(k->title);
		assert_non_null(k->advice);
		assert_true(strlen(k->id) > 0 && strlen(k->title) > 0 &&
		    strlen(k->advice) > 0);
		assert_true(k->severity < SEV_COUNT);
		/* Ids are stable identifiers: lower case, digits, '-'. */
		assert_int_equal(strspn(k->id, "abcdefghijklmnopqrstuvwxyz0123456789-"),
		    strlen(k->id));
		for (j = 0; j < i; j++)
			assert_string_not_equal(k->id,
			    finding_kind((enum finding_id)j)->id);
	}
	assert_string_equal(severity_name(SEV_INFO), "info");
	assert_string_equal(severity_name(SEV_CRITICAL), "critical");
	assert_string_equal(severity_name(SEV_COUNT), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_model_has_no_findings),
		cmocka_unit_test(test_no_starttls),
		cmocka_unit_test(test_helo_only),
		cmocka_unit_test(test_tempfail_is_inconclusive),
		cmocka_unit_test(test_other_inconclusive_statuses),
		cmocka_unit_test(test_inconclusive_iff_not_conclusive),
		cmocka_unit_test(test_not_tested),
		cmocka_unit_test(test_starttls_refused),
		cmocka_unit_test(test_tls_failed),
		cmocka_unit_test(test_protocol_error_and_injection),
		cmocka_unit_test(test_reserved_address),
		cmocka_unit_test(test_dh_weak),
		cmocka_unit_test(test_tls_version_old),
		cmocka_unit_test(test_no_forward_secrecy),
		cmocka_unit_test(test_cipher_weak),
		cmocka_unit_test(test_modern_client_refuses),
		cmocka_unit_test(test_tls_facts_ignored_without_handshake),
		cmocka_unit_test(test_cert_expired),
		cmocka_unit_test(test_cert_expiry_boundaries),
		cmocka_unit_test(test_cert_not_yet_valid),
		cmocka_unit_test(test_cert_name_mismatch),
		cmocka_unit_test(test_cert_self_signed),
		cmocka_unit_test(test_cert_untrusted),
		cmocka_unit_test(test_cert_weak_key),
		cmocka_unit_test(test_cert_sha1),
		cmocka_unit_test(test_nxdomain),
		cmocka_unit_test(test_dns_failures),
		cmocka_unit_test(test_dnssec_bogus),
		cmocka_unit_test(test_dnssec_unsigned),
		cmocka_unit_test(test_null_mx),
		cmocka_unit_test(test_null_mx_mixed),
		cmocka_unit_test(test_implicit_mx_and_too_many),
		cmocka_unit_test(test_mx_is_cname),
		cmocka_unit_test(test_mx_without_address),
		cmocka_unit_test(test_mx_address_lookup_failed),
		cmocka_unit_test(test_sorted_by_severity),
		cmocka_unit_test(test_domain_findings_sorted),
		cmocka_unit_test(test_details_sanitised),
		cmocka_unit_test(test_findings_add_and_free),
		cmocka_unit_test(test_kind_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
