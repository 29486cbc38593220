/*
 * test_mtasts.c - unit tests of MTA-STS and TLS-RPT (src/mtasts): the
 * _mta-sts TXT record, the policy file, MX patterns, verdicts and the
 * grade.h state, the _smtp._tls record, and the fetcher's pure parts
 * (Content-Type, early errors on the event loop; the network cases run
 * against the lab's nginx in tests/tools/mtasts_fetch_test.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "dns/dns_resolver.h"
#include "mtasts/mtasts.h"
#include "mtasts/mtasts_fetch.h"
#include "mtasts/tlsrpt.h"

/* --- helpers ----------------------------------------------------------------- */

static enum mtasts_txt_error
txt(const char *s)
{
	struct mtasts_txt t;

	return mtasts_txt_parse(s, strlen(s), &t);
}

/* A TXT RDATA from character-strings given as C strings (NULL-ended). */
static struct dns_rr
rr_of(const char *first, ...)
{
	struct dns_rr rr;
	uint8_t *buf = malloc(8192);
	size_t n = 0;
	const char *s;
	va_list ap;

	assert_non_null(buf);
	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *)) {
		size_t l = strlen(s);

		assert_true(l < 256);
		buf[n++] = (uint8_t)l;
		memcpy(buf + n, s, l);
		n += l;
	}
	va_end(ap);
	rr.rdata = buf;
	rr.len = n;
	return rr;
}

static void
rrs_free(struct dns_rr *rrs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rrs[i].rdata);
}

static int
policy(const char *body, struct mtasts_policy *p)
{
	return mtasts_policy_parse(body, strlen(body), p);
}

/* policy_error - the first error of body (the policy is freed). */
static enum mtasts_policy_error
policy_error(const char *body)
{
	struct mtasts_policy p;
	int rc = policy(body, &p);

	assert_true(rc >= 0);
	mtasts_policy_free(&p);
	return (enum mtasts_policy_error)rc;
}

#define GOOD_POLICY "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\n" \
	"mx: *.example.net\r\nmax_age: 604800\r\n"

/* --- TXT --------------------------------------------------------------------- */

static void
test_txt_valid(void **state)
{
	struct mtasts_txt t;
	const char *s = "v=STSv1; id=20160831085700Z;";

	(void)state;
	assert_int_equal(mtasts_txt_parse(s, strlen(s), &t), MTASTS_TXT_OK);
	assert_string_equal(t.id, "20160831085700Z");
	assert_int_equal(txt("v=STSv1;id=1"), MTASTS_TXT_OK);
	assert_int_equal(txt("v=STSv1 ;\tid=abc ; "), MTASTS_TXT_OK);
	assert_int_equal(txt("v=STSv1; id=12345678901234567890123456789012"),
	    MTASTS_TXT_OK);
	/* Extensions are tolerated and counted (RFC 8461 3.1). */
	s = "v=STSv1; id=x1; ext_1.a-b=val!ue; other=1";
	assert_int_equal(mtasts_txt_parse(s, strlen(s), &t), MTASTS_TXT_OK);
	assert_int_equal(t.n_extensions, 2);
	assert_string_equal(t.id, "x1");
}

static void
test_txt_errors(void **state)
{
	struct mtasts_txt t;
	const char nul[] = "v=STSv1; id=ab\0c";

	(void)state;
	assert_int_equal(txt(""), MTASTS_TXT_NO_RECORD);
	assert_int_equal(txt("v=STSv2; id=1"), MTASTS_TXT_NO_RECORD);
	assert_int_equal(txt("v=stsv1; id=1"), MTASTS_TXT_NO_RECORD);
	assert_int_equal(txt("v=STSv10; id=1"), MTASTS_TXT_NO_RECORD);
	assert_int_equal(txt("v=STSv1"), MTASTS_TXT_NO_ID);
	assert_int_equal(txt("v=STSv1;"), MTASTS_TXT_NO_ID);
	assert_int_equal(txt("v=STSv1; foo=bar"), MTASTS_TXT_NO_ID);
	assert_int_equal(txt("v=STSv1 id=1"), MTASTS_TXT_BAD_DELIM);
	assert_int_equal(txt("v=STSv1; id"), MTASTS_TXT_BAD_FIELD);
	assert_int_equal(txt("v=STSv1; =1"), MTASTS_TXT_BAD_FIELD);
	assert_int_equal(txt("v=STSv1; id="), MTASTS_TXT_BAD_ID);
	assert_int_equal(txt("v=STSv1; id=a-b"), MTASTS_TXT_BAD_ID);
	assert_int_equal(txt("v=STSv1; id=a b"), MTASTS_TXT_BAD_ID);
	assert_int_equal(txt("v=STSv1; id=123456789012345678901234567890123"),
	    MTASTS_TXT_BAD_ID);
	assert_int_equal(txt("v=STSv1; id=1; id=2"), MTASTS_TXT_DUP_ID);
	assert_int_equal(txt("v=STSv1; ID=1"), MTASTS_TXT_NO_ID);	/* %s */
	assert_int_equal(txt("v=STSv1; id=1; _x=1"), MTASTS_TXT_BAD_EXTENSION);
	assert_int_equal(txt("v=STSv1; id=1; x=a=b"), MTASTS_TXT_BAD_EXTENSION);
	assert_int_equal(txt("v=STSv1; id=1; abcdefghijabcdefghijabcdefghijabc=1"),
	    MTASTS_TXT_BAD_EXTENSION);
	assert_int_equal(mtasts_txt_parse(nul, sizeof(nul) - 1, &t),
	    MTASTS_TXT_BAD_ID);
	assert_string_equal(t.id, "");
}

static void
test_txt_rrset(void **state)
{
	struct mtasts_txt t;
	struct dns_rr rrs[3];

	(void)state;
	assert_int_equal(mtasts_txt_parse_rrset(NULL, 0, &t), MTASTS_TXT_NO_RECORD);

	/* Character-strings are joined; other records are discarded. */
	rrs[0] = rr_of("v=spf1 -all", NULL);
	rrs[1] = rr_of("v=STSv1; ", "id=20190429T010101", NULL);
	assert_int_equal(mtasts_txt_parse_rrset(rrs, 2, &t), MTASTS_TXT_OK);
	assert_string_equal(t.id, "20190429T010101");
	assert_int_equal(t.n_sts, 1);
	assert_int_equal(t.n_other, 1);

	/* Two STSv1 records: none counts, even if both are valid. */
	rrs[2] = rr_of("v=STSv1; id=2", NULL);
	assert_int_equal(mtasts_txt_parse_rrset(rrs, 3, &t), MTASTS_TXT_MULTIPLE);
	assert_int_equal(t.n_sts, 2);
	rrs_free(rrs, 3);

	/* A malformed RDATA alone. */
	rrs[0] = rr_of("v=STSv1; id=1", NULL);
	rrs[0].rdata[0] = 200;
	assert_int_equal(mtasts_txt_parse_rrset(rrs, 1, &t), MTASTS_TXT_BAD_RDATA);
	rrs_free(rrs, 1);

	/* Only other records. */
	rrs[0] = rr_of("hello", NULL);
	assert_int_equal(mtasts_txt_parse_rrset(rrs, 1, &t), MTASTS_TXT_NO_RECORD);
	assert_int_equal(t.n_other, 1);
	rrs_free(rrs, 1);

	/* The one STSv1 record is invalid. */
	rrs[0] = rr_of("v=STSv1; id=!", NULL);
	assert_int_equal(mtasts_txt_parse_rrset(rrs, 1, &t), MTASTS_TXT_BAD_ID);
	rrs_free(rrs, 1);
}

/* --- policy ------------------------------------------------------------------ */

static void
test_policy_valid(void **state)
{
	struct mtasts_policy p;

	(void)state;
	assert_int_equal(policy(GOOD_POLICY, &p), MTASTS_POLICY_OK);
	assert_true(mtasts_policy_valid(&p));
	assert_int_equal(p.mode, MTASTS_MODE_ENFORCE);
	assert_int_equal(p.max_age, 604800);
	assert_int_equal(p.n_mx, 2);
	assert_string_equal(p.mx[0], "mx1.example.com");
	assert_string_equal(p.mx[1], "*.example.net");
	assert_true(p.crlf);
	assert_false(p.lf);
	mtasts_policy_free(&p);

	/* LF lines, no final newline, key order free, unknown keys ignored,
	 * trailing blanks and one blank line tolerated, mx lower-cased. */
	assert_int_equal(policy("mode: testing\nmx: MX.Example.ORG  \n\n"
	    "x-note: hello world \xc3\xa9\nversion:STSv1\nmax_age:0", &p),
	    MTASTS_POLICY_OK);
	assert_int_equal(p.mode, MTASTS_MODE_TESTING);
	assert_int_equal(p.max_age, 0);
	assert_string_equal(p.mx[0], "mx.example.org");
	assert_int_equal(p.n_extensions, 1);
	assert_int_equal(p.n_blank_lines, 1);
	assert_true(p.lf);
	mtasts_policy_free(&p);

	/* Mode none needs no mx; the largest max_age. */
	assert_int_equal(policy("version: STSv1\nmode: none\nmax_age: 31557600\n",
	    &p), MTASTS_POLICY_OK);
	assert_int_equal(p.mode, MTASTS_MODE_NONE);
	assert_int_equal(p.max_age, 31557600);
	assert_int_equal(p.n_mx, 0);
	mtasts_policy_free(&p);
}

static void
test_policy_errors(void **state)
{
	struct mtasts_policy p;
	char *big;

	(void)state;
	assert_int_equal(policy_error(""), MTASTS_POLICY_EMPTY);
	assert_int_equal(policy_error("\r\n\n  \n"), MTASTS_POLICY_EMPTY);
	assert_int_equal(policy_error("version: STSv1\rmode: enforce\n"),
	    MTASTS_POLICY_BARE_CR);
	assert_int_equal(policy_error("version STSv1\n"), MTASTS_POLICY_BAD_LINE);
	assert_int_equal(policy_error(" version: STSv1\n"), MTASTS_POLICY_BAD_KEY);
	assert_int_equal(policy_error("version : STSv1\n"), MTASTS_POLICY_BAD_KEY);
	assert_int_equal(policy_error("x:\nversion: STSv1\n"), MTASTS_POLICY_BAD_VALUE);
	assert_int_equal(policy_error("mode: enf\x01orce\n"), MTASTS_POLICY_BAD_VALUE);
	assert_int_equal(policy_error("mode: enforce\nmx: a.b\nmax_age: 1\n"),
	    MTASTS_POLICY_NO_VERSION);
	assert_int_equal(policy_error("version: STSv2\n"), MTASTS_POLICY_BAD_VERSION);
	assert_int_equal(policy_error("version: stsv1\n"), MTASTS_POLICY_BAD_VERSION);
	assert_int_equal(policy_error("version: STSv1\nversion: STSv1\n"),
	    MTASTS_POLICY_DUP_VERSION);
	assert_int_equal(policy_error("version: STSv1\nmx: a.b\nmax_age: 1\n"),
	    MTASTS_POLICY_NO_MODE);
	assert_int_equal(policy_error("version: STSv1\nmode: Enforce\n"),
	    MTASTS_POLICY_BAD_MODE);
	assert_int_equal(policy_error("version: STSv1\nmode: none\nmode: none\n"),
	    MTASTS_POLICY_DUP_MODE);
	assert_int_equal(policy_error("version: STSv1\nmode: none\n"),
	    MTASTS_POLICY_NO_MAX_AGE);
	assert_int_equal(policy_error("version: STSv1\nmode: none\nmax_age: -1\n"),
	    MTASTS_POLICY_BAD_MAX_AGE);
	assert_int_equal(policy_error("version: STSv1\nmode: none\nmax_age: 12345678901\n"),
	    MTASTS_POLICY_BAD_MAX_AGE);
	assert_int_equal(policy_error("version: STSv1\nmode: none\nmax_age: 31557601\n"),
	    MTASTS_POLICY_MAX_AGE_RANGE);
	assert_int_equal(policy_error("version: STSv1\nmode: none\nmax_age: 9999999999\n"),
	    MTASTS_POLICY_MAX_AGE_RANGE);
	assert_int_equal(policy_error("version: STSv1\nmode: none\nmax_age: 1\nmax_age: 1\n"),
	    MTASTS_POLICY_DUP_MAX_AGE);
	assert_int_equal(policy_error("version: STSv1\nmode: enforce\nmax_age: 1\n"),
	    MTASTS_POLICY_NO_MX);
	assert_int_equal(policy_error("version: STSv1\nmode: testing\nmax_age: 1\n"),
	    MTASTS_POLICY_NO_MX);
	assert_int_equal(policy_error("version: STSv1\nmode: enforce\nmax_age: 1\nmx: a..b\n"),
	    MTASTS_POLICY_BAD_MX);

	/* Every error is recorded, the first with its line. */
	assert_int_equal(policy("version: STSv9\nmode: strict\nmx: *.*.x\nbad\n", &p),
	    MTASTS_POLICY_BAD_VERSION);
	assert_int_equal(p.first_error_line, 1);
	assert_true(p.errors & (1u << MTASTS_POLICY_BAD_MODE));
	assert_true(p.errors & (1u << MTASTS_POLICY_BAD_MX));
	assert_true(p.errors & (1u << MTASTS_POLICY_BAD_LINE));
	assert_true(p.errors & (1u << MTASTS_POLICY_NO_MAX_AGE));
	assert_false(p.errors & (1u << MTASTS_POLICY_NO_MODE));
	assert_false(p.errors & (1u << MTASTS_POLICY_NO_MX));
	assert_false(mtasts_policy_valid(&p));
	mtasts_policy_free(&p);

	assert_int_equal(policy("version: STSv1\nmode: none\nmax_age: 1\nfoo\n", &p),
	    MTASTS_POLICY_BAD_LINE);
	assert_int_equal(p.first_error_line, 4);
	mtasts_policy_free(&p);

	/* Size: exactly 64 KiB is read, one byte more is not. */
	big = malloc(MTASTS_POLICY_MAX + 1);
	assert_non_null(big);
	memset(big, '\n', MTASTS_POLICY_MAX + 1);
	memcpy(big, GOOD_POLICY, strlen(GOOD_POLICY));
	assert_int_equal(mtasts_policy_parse(big, MTASTS_POLICY_MAX, &p),
	    MTASTS_POLICY_OK);
	mtasts_policy_free(&p);
	assert_int_equal(mtasts_policy_parse(big, MTASTS_POLICY_MAX + 1, &p),
	    MTASTS_POLICY_TOO_LARGE);
	assert_int_equal(p.errors, 1u << MTASTS_POLICY_TOO_LARGE);
	mtasts_policy_free(&p);
	free(big);
}

static void
test_policy_many_mx(void **state)
{
	struct mtasts_policy p;
	char *buf = malloc(16384);
	size_t n = 0, i;

	(void)state;
	assert_non_null(buf);
	n += (size_t)sprintf(buf + n, "version: STSv1\nmode: enforce\nmax_age: 86400\n");
	for (i = 0; i < MTASTS_MX_MAX; i++)
		n += (size_t)sprintf(buf + n, "mx: mx%zu.example.com\n", i);
	assert_int_equal(mtasts_policy_parse(buf, n, &p), MTASTS_POLICY_OK);
	assert_int_equal(p.n_mx, MTASTS_MX_MAX);
	assert_int_equal(mtasts_policy_mx_match(&p, "mx63.example.com."), 64);
	mtasts_policy_free(&p);
	n += (size_t)sprintf(buf + n, "mx: one-more.example.com\n");
	assert_int_equal(mtasts_policy_parse(buf, n, &p), MTASTS_POLICY_TOO_MANY_MX);
	assert_int_equal(p.n_mx, MTASTS_MX_MAX);
	mtasts_policy_free(&p);
	free(buf);
}

/* --- patterns ---------------------------------------------------------------- */

static void
test_patterns(void **state)
{
	static const struct {
		const char *pattern, *host;
		int want;
	} c[] = {
		{ "mail.example.com", "mail.example.com", 1 },
		{ "mail.example.com", "MAIL.Example.COM.", 1 },
		{ "mail.example.com", "mail.example.com..", 0 },
		{ "mail.example.com", "mail2.example.com", 0 },
		{ "mail.example.com", "example.com", 0 },
		{ "*.example.com", "mail.example.com", 1 },
		{ "*.example.com", "MX.EXAMPLE.COM.", 1 },
		{ "*.example.com", "example.com", 0 },
		{ "*.example.com", "a.b.example.com", 0 },
		{ "*.example.com", ".example.com", 0 },
		{ "*.example.com", "xexample.com", 0 },
		{ "*.com", "example.com", 1 },		/* unlike RFC 6125 */
		{ "*.com", "com", 0 },
		{ "example.com", "", 0 },
		{ "", "example.com", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (mtasts_mx_pattern_match(c[i].pattern, c[i].host) != c[i].want)
			fail_msg("pattern %s host %s: want %d", c[i].pattern,
			    c[i].host, c[i].want);

	assert_true(mtasts_mx_pattern_valid("mx1.example.com"));
	assert_true(mtasts_mx_pattern_valid("*.example.com"));
	assert_true(mtasts_mx_pattern_valid("localhost"));
	assert_true(mtasts_mx_pattern_valid("xn--bcher-kva.example"));
	assert_false(mtasts_mx_pattern_valid(""));
	assert_false(mtasts_mx_pattern_valid("*"));
	assert_false(mtasts_mx_pattern_valid("*."));
	assert_false(mtasts_mx_pattern_valid("*.*.example.com"));
	assert_false(mtasts_mx_pattern_valid("mx*.example.com"));
	assert_false(mtasts_mx_pattern_valid("mx.*.example.com"));
	assert_false(mtasts_mx_pattern_valid("mx.example.com."));
	assert_false(mtasts_mx_pattern_valid(".example.com"));
	assert_false(mtasts_mx_pattern_valid("-mx.example.com"));
	assert_false(mtasts_mx_pattern_valid("mx-.example.com"));
	assert_false(mtasts_mx_pattern_valid("mx_1.example.com"));
	assert_false(mtasts_mx_pattern_valid("mx.exa mple.com"));
	assert_false(mtasts_mx_pattern_valid("b\xc3\xbc" "cher.example"));
	assert_false(mtasts_mx_pattern_valid(
	    "a234567890123456789012345678901234567890123456789012345678901234.x"));
}

/* --- verdicts ------------------------------------------------------------------ */

static void
test_verdicts(void **state)
{
	struct mtasts_policy p;
	struct mtasts_mx_facts f = { "mx1.example.com.", 1, 1, 1, 1 };
	enum mtasts_mx_verdict v[3];

	(void)state;
	assert_int_equal(policy(GOOD_POLICY, &p), MTASTS_POLICY_OK);
	assert_int_equal(mtasts_mx_judge(&p, &f), MTASTS_MX_OK);
	f.name_match = 0;
	assert_int_equal(mtasts_mx_judge(&p, &f), MTASTS_MX_NAME_MISMATCH);
	f.pkix_valid = 0;
	assert_int_equal(mtasts_mx_judge(&p, &f), MTASTS_MX_UNTRUSTED);
	f.tls = 0;
	assert_int_equal(mtasts_mx_judge(&p, &f), MTASTS_MX_NO_TLS);
	f.assessed = 0;
	assert_int_equal(mtasts_mx_judge(&p, &f), MTASTS_MX_UNKNOWN);
	f.host = "mx2.example.com";
	assert_int_equal(mtasts_mx_judge(&p, &f), MTASTS_MX_NOT_LISTED);
	f = (struct mtasts_mx_facts){ "a.example.net", 1, 1, 1, 1 };
	assert_int_equal(mtasts_mx_judge(&p, &f), MTASTS_MX_OK);
	f.host = "a.b.example.net";
	assert_int_equal(mtasts_mx_judge(&p, &f), MTASTS_MX_NOT_LISTED);
	f.host = NULL;
	assert_int_equal(mtasts_mx_judge(&p, &f), MTASTS_MX_NOT_LISTED);

	/* grade.h's state of an address. */
	assert_int_equal(mtasts_auth_state(MTASTS_DOMAIN_NOT_CHECKED, NULL, MTASTS_MX_OK),
	    MTASTS_NOT_CHECKED);
	assert_int_equal(mtasts_auth_state(MTASTS_DOMAIN_NO_RECORD, NULL, MTASTS_MX_OK),
	    MTASTS_NONE);
	assert_int_equal(mtasts_auth_state(MTASTS_DOMAIN_FETCH_FAILED, NULL, MTASTS_MX_OK),
	    MTASTS_NONE);
	assert_int_equal(mtasts_auth_state(MTASTS_DOMAIN_INVALID_POLICY, &p, MTASTS_MX_OK),
	    MTASTS_NONE);
	assert_int_equal(mtasts_auth_state(MTASTS_DOMAIN_POLICY, &p, MTASTS_MX_OK),
	    MTASTS_ENFORCE);
	assert_int_equal(mtasts_auth_state(MTASTS_DOMAIN_POLICY, &p, MTASTS_MX_UNTRUSTED),
	    MTASTS_ENFORCE_FAILS);
	assert_int_equal(mtasts_auth_state(MTASTS_DOMAIN_POLICY, &p, MTASTS_MX_NOT_LISTED),
	    MTASTS_ENFORCE_FAILS);
	assert_int_equal(mtasts_auth_state(MTASTS_DOMAIN_POLICY, &p, MTASTS_MX_UNKNOWN),
	    MTASTS_NOT_CHECKED);
	p.mode = MTASTS_MODE_TESTING;
	assert_int_equal(mtasts_auth_state(MTASTS_DOMAIN_POLICY, &p, MTASTS_MX_NO_TLS),
	    MTASTS_TESTING);
	p.mode = MTASTS_MODE_NONE;
	assert_int_equal(mtasts_auth_state(MTASTS_DOMAIN_POLICY, &p, MTASTS_MX_OK),
	    MTASTS_NONE);
	mtasts_policy_free(&p);

	/* The domain: senders skip failing MX hosts (RFC 8461 5). */
	v[0] = MTASTS_MX_OK;
	v[1] = MTASTS_MX_OK;
	assert_int_equal(mtasts_domain_judge(v, 2), MTASTS_DELIVERY_ALL);
	v[1] = MTASTS_MX_NAME_MISMATCH;
	assert_int_equal(mtasts_domain_judge(v, 2), MTASTS_DELIVERY_SOME);
	v[0] = MTASTS_MX_NOT_LISTED;
	assert_int_equal(mtasts_domain_judge(v, 2), MTASTS_DELIVERY_NONE);
	v[2] = MTASTS_MX_UNKNOWN;
	assert_int_equal(mtasts_domain_judge(v, 3), MTASTS_DELIVERY_UNKNOWN);
	assert_int_equal(mtasts_domain_judge(v, 0), MTASTS_DELIVERY_NONE);
}

static void
test_names(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < MTASTS_TXT_ERROR_COUNT; i++) {
		assert_non_null(mtasts_txt_error_name(i));
		assert_non_null(mtasts_txt_error_text(i));
	}
	for (i = 0; i < MTASTS_POLICY_ERROR_COUNT; i++) {
		assert_non_null(mtasts_policy_error_name(i));
		assert_non_null(mtasts_policy_error_text(i));
	}
	for (i = 0; i < TLSRPT_ERROR_COUNT; i++) {
		assert_non_null(tlsrpt_error_name(i));
		assert_non_null(tlsrpt_error_text(i));
	}
	for (i = 0; i < MTASTS_FETCH_ERROR_COUNT; i++)
		assert_string_not_equal(mtasts_fetch_error_name(i), "?");
	assert_string_equal(mtasts_policy_error_name(MTASTS_POLICY_BAD_MX), "bad-mx");
	assert_string_equal(mtasts_mode_name(MTASTS_MODE_ENFORCE), "enforce");
	assert_string_equal(mtasts_mx_verdict_name(MTASTS_MX_NOT_LISTED), "not-listed");
	assert_string_equal(mtasts_delivery_name(MTASTS_DELIVERY_SOME), "some");
	assert_string_equal(mtasts_domain_state_name(MTASTS_DOMAIN_POLICY), "policy");
	assert_string_equal(mtasts_txt_error_name(MTASTS_TXT_ERROR_COUNT), "?");
}

/* --- TLS-RPT ------------------------------------------------------------------- */

static int
rpt(const char *s)
{
	struct tlsrpt_record r;
	int rc = tlsrpt_parse(s, strlen(s), &r);

	tlsrpt_record_free(&r);
	return rc;
}

static void
test_tlsrpt_valid(void **state)
{
	struct tlsrpt_record r;
	const char *s = "v=TLSRPTv1; rua=mailto:tlsrpt@example.com , "
	    "https://reports.example.com/tlsrpt?x=1;ext=1";

	(void)state;
	assert_int_equal(tlsrpt_parse(s, strlen(s), &r), TLSRPT_OK);
	assert_int_equal(r.n_rua, 2);
	assert_int_equal(r.rua[0].scheme, TLSRPT_MAILTO);
	assert_string_equal(r.rua[0].uri, "mailto:tlsrpt@example.com");
	assert_int_equal(r.rua[1].scheme, TLSRPT_HTTPS);
	assert_string_equal(r.rua[1].uri, "https://reports.example.com/tlsrpt?x=1");
	assert_int_equal(r.n_extensions, 1);
	assert_string_equal(tlsrpt_scheme_name(r.rua[1].scheme), "https");
	tlsrpt_record_free(&r);

	assert_int_equal(rpt("v=TLSRPTv1;rua=mailto:a@b"), TLSRPT_OK);
	assert_int_equal(rpt("v=TLSRPTv1; rua=MAILTO:a@b?subject=x;"), TLSRPT_OK);
	assert_int_equal(rpt("v=TLSRPTv1; rua=mailto:a%2Cb@c"), TLSRPT_OK);
}

static void
test_tlsrpt_errors(void **state)
{
	struct tlsrpt_record r;
	struct dns_rr rrs[3];
	char many[2048];
	size_t n, i;

	(void)state;
	assert_int_equal(rpt(""), TLSRPT_NO_RECORD);
	assert_int_equal(rpt("v=TLSRPTv2; rua=mailto:a@b"), TLSRPT_NO_RECORD);
	assert_int_equal(rpt("v=TLSRPTv1"), TLSRPT_NO_RUA);
	assert_int_equal(rpt("v=TLSRPTv1; x=1"), TLSRPT_NO_RUA);
	assert_int_equal(rpt("v=TLSRPTv1 rua=mailto:a@b"), TLSRPT_BAD_DELIM);
	assert_int_equal(rpt("v=TLSRPTv1; rua"), TLSRPT_BAD_FIELD);
	assert_int_equal(rpt("v=TLSRPTv1; rua=mailto:a@b; rua=mailto:c@d"),
	    TLSRPT_DUP_RUA);
	assert_int_equal(rpt("v=TLSRPTv1; rua="), TLSRPT_EMPTY_URI);
	assert_int_equal(rpt("v=TLSRPTv1; rua=mailto:a@b,"), TLSRPT_EMPTY_URI);
	assert_int_equal(rpt("v=TLSRPTv1; rua=mailto:a@b,,mailto:c@d"),
	    TLSRPT_EMPTY_URI);
	assert_int_equal(rpt("v=TLSRPTv1; rua=http://example.com/"),
	    TLSRPT_BAD_SCHEME);
	assert_int_equal(rpt("v=TLSRPTv1; rua=tlsrpt@example.com"),
	    TLSRPT_BAD_SCHEME);
	assert_int_equal(rpt("v=TLSRPTv1; rua=mailto:example.com"), TLSRPT_BAD_MAILTO);
	assert_int_equal(rpt("v=TLSRPTv1; rua=mailto:@example.com"), TLSRPT_BAD_MAILTO);
	assert_int_equal(rpt("v=TLSRPTv1; rua=mailto:a@"), TLSRPT_BAD_MAILTO);
	assert_int_equal(rpt("v=TLSRPTv1; rua=mailto:a@b@c"), TLSRPT_BAD_MAILTO);
	assert_int_equal(rpt("v=TLSRPTv1; rua=https:/x"), TLSRPT_BAD_HTTPS);
	assert_int_equal(rpt("v=TLSRPTv1; rua=https:///path"), TLSRPT_BAD_HTTPS);
	assert_int_equal(rpt("v=TLSRPTv1; rua=mailto:a b@c"), TLSRPT_BAD_URI_CHAR);
	assert_int_equal(rpt("v=TLSRPTv1; rua=mailto:\xc3\xa9@c"), TLSRPT_BAD_URI_CHAR);
	assert_int_equal(rpt("v=TLSRPTv1; rua=mailto:a@b; _x=1"), TLSRPT_BAD_EXTENSION);

	n = (size_t)snprintf(many, sizeof(many), "v=TLSRPTv1; rua=");
	for (i = 0; i <= TLSRPT_RUA_MAX; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "%smailto:r%zu@x",
		    i ? "," : "", i);
	assert_int_equal(rpt(many), TLSRPT_TOO_MANY_URIS);

	/* On an error, nothing is kept. */
	assert_int_equal(tlsrpt_parse("v=TLSRPTv1; rua=mailto:a@b,ftp://x",
	    strlen("v=TLSRPTv1; rua=mailto:a@b,ftp://x"), &r),
	    TLSRPT_BAD_SCHEME);
	assert_int_equal(r.n_rua, 0);
	assert_null(r.rua);
	tlsrpt_record_free(&r);

	/* The RRset. */
	assert_int_equal(tlsrpt_parse_rrset(NULL, 0, &r), TLSRPT_NO_RECORD);
	rrs[0] = rr_of("v=spf1 -all", NULL);
	rrs[1] = rr_of("v=TLSRPTv1;", "rua=mailto:r@example.com", NULL);
	assert_int_equal(tlsrpt_parse_rrset(rrs, 2, &r), TLSRPT_OK);
	assert_int_equal(r.n_rua, 1);
	assert_int_equal(r.n_other, 1);
	tlsrpt_record_free(&r);
	rrs[2] = rr_of("v=TLSRPTv1; rua=mailto:s@example.com", NULL);
	assert_int_equal(tlsrpt_parse_rrset(rrs, 3, &r), TLSRPT_MULTIPLE);
	assert_int_equal(r.n_tlsrpt, 2);
	tlsrpt_record_free(&r);
	rrs[2].rdata[0] = 255;
	assert_int_equal(tlsrpt_parse_rrset(rrs + 2, 1, &r), TLSRPT_BAD_RDATA);
	rrs_free(rrs, 3);
}

/* --- the fetcher without a network --------------------------------------------- */

static void
test_content_type(void **state)
{
	(void)state;
	assert_true(mtasts_content_type_ok("text/plain"));
	assert_true(mtasts_content_type_ok("Text/Plain; charset=utf-8"));
	assert_true(mtasts_content_type_ok("text/plain ;charset=us-ascii"));
	assert_false(mtasts_content_type_ok(NULL));
	assert_false(mtasts_content_type_ok(""));
	assert_false(mtasts_content_type_ok("text/html"));
	assert_false(mtasts_content_type_ok("text/plainx"));
	assert_false(mtasts_content_type_ok("text/plain-ish; x"));
	assert_false(mtasts_content_type_ok("application/octet-stream"));
}

struct seen {
	int			 calls;
	enum mtasts_fetch_error	 error;
	char			 text[256];
};

static void
on_result(void *arg, const struct mtasts_fetch_result *r)
{
	struct seen *s = arg;

	s->calls++;
	s->error = r->error;
	snprintf(s->text, sizeof(s->text), "%s", r->error_text);
}

static void
test_fetch_early_errors(void **state)
{
	struct event_base *base = event_base_new();
	struct mtasts_fetcher *f;
	struct mtasts_fetch *x;
	struct seen bad = { 0 }, addr = { 0 }, cancelled = { 0 }, closed = { 0 };
	const char *not_ip[] = { "127.0.0.1,evil" };
	const char *lo[] = { "127.0.0.1" };
	struct mtasts_fetch_config cfg = { 0 };
	char err[128];

	(void)state;
	assert_non_null(base);
	f = mtasts_fetcher_new(base, err, sizeof(err));
	assert_non_null(f);

	/* Reported from the loop, never from inside start. */
	assert_non_null(mtasts_fetch_start(f, "bad..domain", NULL, on_result, &bad));
	cfg.addrs = not_ip;
	cfg.n_addrs = 1;
	assert_non_null(mtasts_fetch_start(f, "example.com", &cfg, on_result, &addr));
	x = mtasts_fetch_start(f, "", NULL, on_result, &cancelled);
	assert_non_null(x);
	mtasts_fetch_cancel(x);
	/* Port 1 on loopback: nothing listens (inside a test namespace or
	 * not), so this is a refused connection, not a network access. */
	cfg.addrs = lo;
	cfg.port = 1;
	cfg.timeout_ms = 5000;
	assert_non_null(mtasts_fetch_start(f, "example.com", &cfg, on_result, &closed));
	assert_int_equal(bad.calls + addr.calls + closed.calls, 0);
	event_base_dispatch(base);

	assert_int_equal(bad.calls, 1);
	assert_int_equal(bad.error, MTASTS_FETCH_BAD_DOMAIN);
	assert_int_equal(addr.calls, 1);
	assert_int_equal(addr.error, MTASTS_FETCH_INTERNAL);
	assert_int_equal(cancelled.calls, 0);
	assert_int_equal(closed.calls, 1);
	assert_int_equal(closed.error, MTASTS_FETCH_CONNECT);

	/* Freeing with a fetch pending: no callback. */
	assert_non_null(mtasts_fetch_start(f, "example.com", &cfg, on_result, &cancelled));
	mtasts_fetcher_free(f);
	event_base_free(base);
	assert_int_equal(cancelled.calls, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_txt_valid),
		cmocka_unit_test(test_txt_errors),
		cmocka_unit_test(test_txt_rrset),
		cmocka_unit_test(test_policy_valid),
		cmocka_unit_test(test_policy_errors),
		cmocka_unit_test(test_policy_many_mx),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_tlsrpt_valid),
		cmocka_unit_test(test_tlsrpt_errors),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_fetch_early_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
