/*
 * test_dns_name.c - unit tests of domain-name validation (dns/dns_name.h).
 *
 * The contract: a normalised name is ASCII, lower case, without trailing
 * dot, at most 253 characters, with labels of 1 to 63 letters, digits and
 * hyphens that neither start nor end with a hyphen; IP literals, the root,
 * and anything else are refused with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_name.h"

/* Accepted, normalised to want. */
static void
assert_ok(const char *in, const char *want)
{
	char out[DNS_NAME_MAX + 1];
	const char *why = NULL;

	if (dns_name_normalize(in, out, &why) != 0)
		fail_msg("\"%s\" refused: %s", in, why ? why : "(no reason)");
	assert_string_equal(out, want);
}

/* Refused, with a reason containing reason_part (when not NULL). */
static void
assert_refused(const char *in, const char *reason_part)
{
	char out[DNS_NAME_MAX + 1];
	const char *why = NULL;

	if (dns_name_normalize(in, out, &why) != -1)
		fail_msg("\"%s\" accepted as \"%s\"", in, out);
	assert_non_null(why);
	assert_true(strlen(why) > 0);
	if (reason_part != NULL && strstr(why, reason_part) == NULL)
		fail_msg("\"%s\": reason \"%s\" lacks \"%s\"", in, why, reason_part);
}

/* A name of total length len made of labels of at most label_len 'a's. */
static char *
make_name(size_t len, size_t label_len)
{
	char *s = malloc(len + 2);
	size_t i, run = 0;

	assert_non_null(s);
	for (i = 0; i < len; i++) {
		/* A dot after label_len letters, never first or last. */
		if (run == label_len && i + 1 < len) {
			s[i] = '.';
			run = 0;
		} else {
			s[i] = (char)('a' + i % 26);
			run++;
		}
	}
	s[len] = '\0';
	return s;
}

static void
test_plain_names(void **state)
{
	(void)state;
	assert_ok("example.org", "example.org");
	assert_ok("mx1.mail.example.org", "mx1.mail.example.org");
	assert_ok("localhost", "localhost");		/* one label is a name */
	assert_ok("a", "a");
	assert_ok("a-b.c-d.e", "a-b.c-d.e");
	assert_ok("a--b.org", "a--b.org");
	assert_ok("xn--bcher-kva.example", "xn--bcher-kva.example");
	assert_ok("3com.com", "3com.com");
	assert_ok("0.example.org", "0.example.org");
}

static void
test_uppercase_lowered(void **state)
{
	(void)state;
	assert_ok("EXAMPLE.ORG", "example.org");
	assert_ok("Mx1.ExAmPlE.oRg", "mx1.example.org");
	assert_ok("XN--BCHER-KVA.EXAMPLE", "xn--bcher-kva.example");
}

static void
test_trailing_dot(void **state)
{
	(void)state;
	assert_ok("example.org.", "example.org");
	assert_ok("EXAMPLE.ORG.", "example.org");
	assert_refused("example.org..", "empty label");
	assert_refused(".", "root");
	assert_refused("..", NULL);
}

static void
test_empty(void **state)
{
	char out[DNS_NAME_MAX + 1];
	const char *why = NULL;

	(void)state;
	assert_refused("", "empty");
	assert_int_equal(dns_name_normalize(NULL, out, &why), -1);
	assert_non_null(why);
}

static void
test_empty_labels(void **state)
{
	(void)state;
	assert_refused("a..b", "empty label");
	assert_refused(".example.org", "empty label");
	assert_refused("example..org.", "empty label");
	assert_refused("a...", "empty label");
}

static void
test_label_lengths(void **state)
{
	char l63[64], l64[65], in[160], want[160];

	(void)state;
	memset(l63, 'A', 63);
	l63[63] = '\0';
	memset(l64, 'a', 64);
	l64[64] = '\0';

	/* 63 characters: the longest label, anywhere in the name. */
	snprintf(in, sizeof(in), "%s.org", l63);
	memset(want, 'a', 63);
	strcpy(want + 63, ".org");
	assert_ok(in, want);
	snprintf(in, sizeof(in), "mx.%s", l63);
	snprintf(want, sizeof(want), "mx.%s", l63);
	for (size_t i = 0; want[i] != '\0'; i++)
		want[i] = (char)(want[i] == 'A' ? 'a' : want[i]);
	assert_ok(in, want);

	/* 64 characters: one too many, as first, middle or last label. */
	snprintf(in, sizeof(in), "%s.org", l64);
	assert_refused(in, "63");
	snprintf(in, sizeof(in), "mx.%s.org", l64);
	assert_refused(in, "63");
	snprintf(in, sizeof(in), "mx.%s", l64);
	assert_refused(in, "63");
	snprintf(in, sizeof(in), "mx.%s.", l64);
	assert_refused(in, "63");
	assert_refused(l64, "63");
}

static void
test_name_lengths(void **state)
{
	char *s, *dotted;

	(void)state;
	/* 253 characters: the longest name, also with its trailing dot. */
	s = make_name(253, 63);
	assert_int_equal(strlen(s), 253);
	assert_ok(s, s);
	dotted = malloc(255);
	assert_non_null(dotted);
	strcpy(dotted, s);
	strcat(dotted, ".");
	assert_ok(dotted, s);
	free(dotted);
	free(s);

	/* 254: too long, even though its wire form would fit in 255 bytes. */
	s = make_name(254, 63);
	assert_refused(s, "253");
	free(s);

	s = make_name(300, 63);
	assert_refused(s, "253");
	free(s);

	s = make_name(100000, 10);
	assert_refused(s, "253");
	free(s);
}

static void
test_hyphens(void **state)
{
	(void)state;
	assert_refused("-example.org", "starts with a hyphen");
	assert_refused("example-.org", "ends with a hyphen");
	assert_refused("example.-org", "starts with a hyphen");
	assert_refused("example.org-", "ends with a hyphen");
	assert_refused("example.org-.", "ends with a hyphen");
	assert_refused("-", "hyphen");
	assert_refused("a.-.b", "hyphen");
}

static void
test_characters_not_allowed(void **state)
{
	static const char *const cases[] = {
		"_dmarc.example.org",
		"mta_sts.example.org",
		"*.example.org",
		"exa mple.org",
		"example.org ",
		" example.org",
		"example.org\n",
		"ex\tample.org",
		"user@example.org",
		"example.org:25",
		"exa/mple.org",
		"exa\\046mple.org",
		"[192.0.2.1]",
		"example.org\x7f",
		"ex\x01.org",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_refused(cases[i], "not allowed");
}

static void
test_non_ascii(void **state)
{
	(void)state;
	assert_refused("b\xc3\xbc" "cher.example", "xn--");	/* UTF-8 u-umlaut */
	assert_refused("\xff.org", "non-ASCII");
	assert_refused("example.\x80", "non-ASCII");
}

static void
test_ip_literals(void **state)
{
	(void)state;
	assert_refused("192.0.2.1", "IP address");
	assert_refused("192.0.2.1.", "IP address");
	assert_refused("127.0.0.1", "IP address");
	assert_refused("::1", NULL);			/* ':' is no name character */
	assert_refused("2001:db8::1", NULL);
	assert_refused("[2001:db8::1]", NULL);
}

/* The result is a fixed point: normalising it again changes nothing. */
static void
test_idempotent(void **state)
{
	static const char *const cases[] = {
		"EXAMPLE.ORG.", "Mx1.Example.Org", "xn--BCHER-kva.example",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char once[DNS_NAME_MAX + 1], twice[DNS_NAME_MAX + 1];
		const char *why;

		assert_int_equal(dns_name_normalize(cases[i], once, &why), 0);
		assert_int_equal(dns_name_normalize(once, twice, &why), 0);
		assert_string_equal(once, twice);
		assert_true(dns_name_equal(cases[i], once));
	}
}

static void
test_equal(void **state)
{
	(void)state;
	assert_true(dns_name_equal("example.org", "example.org"));
	assert_true(dns_name_equal("Example.ORG", "example.org"));
	assert_true(dns_name_equal("example.org.", "example.org"));
	assert_true(dns_name_equal("example.org", "EXAMPLE.ORG."));
	assert_true(dns_name_equal(".", "."));
	assert_false(dns_name_equal("example.org", "example.com"));
	assert_false(dns_name_equal("example.org", "example.or"));
	assert_false(dns_name_equal("example.org", "www.example.org"));
	assert_false(dns_name_equal("example.org..", "example.org"));
	assert_false(dns_name_equal("", "."));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_names),
		cmocka_unit_test(test_uppercase_lowered),
		cmocka_unit_test(test_trailing_dot),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_empty_labels),
		cmocka_unit_test(test_label_lengths),
		cmocka_unit_test(test_name_lengths),
		cmocka_unit_test(test_hyphens),
		cmocka_unit_test(test_characters_not_allowed),
		cmocka_unit_test(test_non_ascii),
		cmocka_unit_test(test_ip_literals),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
