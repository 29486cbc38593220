/*
 * test_smtp_ehlo.c - unit tests of EHLO extension parsing (smtp/smtp_ehlo.h).
 *
 * Replies are built with the real reply parser, as the session does, so the
 * tests also cover the hand-over between the two modules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtp/smtp_ehlo.h"
#include "smtp/smtp_reply.h"

/* parse_n - run the len bytes of one complete reply through both parsers. */
static void
parse_n(const char *text, size_t len, struct smtp_ehlo *out)
{
	const struct smtp_reply_limits l = SMTP_REPLY_LIMITS_DEFAULT;
	struct smtp_reply_parser p;
	size_t used;

	assert_int_equal(smtp_reply_parser_init(&p, &l), 0);
	assert_int_equal(smtp_reply_feed(&p, text, len, &used), SMTP_PARSE_DONE);
	assert_int_equal(used, len);
	assert_int_equal(smtp_ehlo_parse(&p.reply, out), 0);
	smtp_reply_parser_free(&p);
}

static void
parse(const char *text, struct smtp_ehlo *out)
{
	parse_n(text, strlen(text), out);
}

static void
test_typical_postfix(void **state)
{
	struct smtp_ehlo e;

	(void)state;
	parse("250-mx.example.org\r\n"
	    "250-PIPELINING\r\n"
	    "250-SIZE 10240000\r\n"
	    "250-VRFY\r\n"
	    "250-ETRN\r\n"
	    "250-STARTTLS\r\n"
	    "250-ENHANCEDSTATUSCODES\r\n"
	    "250-8BITMIME\r\n"
	    "250-DSN\r\n"
	    "250-SMTPUTF8\r\n"
	    "250 CHUNKING\r\n", &e);
	assert_string_equal(e.greeting, "mx.example.org");
	assert_int_equal(e.lines.n, 10);
	assert_string_equal(e.lines.v[0], "PIPELINING");
	assert_string_equal(e.lines.v[9], "CHUNKING");
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_STARTTLS));
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_PIPELINING));
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_SIZE));
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_ENHANCEDSTATUSCODES));
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_8BITMIME));
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_DSN));
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_SMTPUTF8));
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_CHUNKING));
	assert_false(smtp_ehlo_has(&e, SMTP_EXT_REQUIRETLS));
	assert_false(smtp_ehlo_has(&e, SMTP_EXT_AUTH));
	assert_false(smtp_ehlo_has(&e, SMTP_EXT_BINARYMIME));
	assert_false(smtp_ehlo_has(&e, SMTP_EXT_DELIVERBY));
	assert_int_equal(e.size_limit, 10240000);
	smtp_ehlo_free(&e);
}

static void
test_every_known_keyword(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < SMTP_EXT_COUNT; i++) {
		char text[128];
		struct smtp_ehlo e;
		int j;

		snprintf(text, sizeof(text), "250-hi\r\n250 %s\r\n",
		    smtp_ext_name((enum smtp_ext)i));
		parse(text, &e);
		for (j = 0; j < SMTP_EXT_COUNT; j++)
			assert_int_equal(smtp_ehlo_has(&e, (enum smtp_ext)j), i == j);
		smtp_ehlo_free(&e);
	}
}

static void
test_keywords_case_insensitive(void **state)
{
	struct smtp_ehlo e;

	(void)state;
	parse("250-hi\r\n250-starttls\r\n250-PiPeLiNiNg\r\n250 auth PLAIN LOGIN\r\n",
	    &e);
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_STARTTLS));
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_PIPELINING));
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_AUTH));
	/* Kept as sent. */
	assert_string_equal(e.lines.v[0], "starttls");
	smtp_ehlo_free(&e);
}

/* Only the whole keyword counts: no prefixes, suffixes or look-alikes. */
static void
test_keyword_must_match_exactly(void **state)
{
	struct smtp_ehlo e;

	(void)state;
	parse("250-hi\r\n"
	    "250-STARTTLSX\r\n"
	    "250-XSTARTTLS\r\n"
	    "250-START TLS\r\n"
	    "250-STARTTL\r\n"
	    "250-AUTH=LOGIN\r\n"		/* pre-RFC 4954 syntax, not AUTH */
	    "250- STARTTLS\r\n"
	    "250 SIZE10\r\n", &e);
	assert_int_equal(e.known, 0);
	assert_int_equal(e.size_limit, 0);
	assert_int_equal(e.lines.n, 7);
	smtp_ehlo_free(&e);
}

/* The greeting line is not an extension, even when it looks like one. */
static void
test_greeting_is_not_a_keyword(void **state)
{
	struct smtp_ehlo e;

	(void)state;
	parse("250-STARTTLS\r\n250 PIPELINING\r\n", &e);
	assert_string_equal(e.greeting, "STARTTLS");
	assert_false(smtp_ehlo_has(&e, SMTP_EXT_STARTTLS));
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_PIPELINING));
	assert_int_equal(e.lines.n, 1);
	smtp_ehlo_free(&e);

	/* A one-line reply: a greeting and no extensions. */
	parse("250 mx.example.org\r\n", &e);
	assert_string_equal(e.greeting, "mx.example.org");
	assert_int_equal(e.lines.n, 0);
	assert_int_equal(e.known, 0);
	smtp_ehlo_free(&e);
}

static void
test_size_parameter(void **state)
{
	static const struct {
		const char	*line;
		long long	 want;
	} cases[] = {
		{ "SIZE 52428800", 52428800 },
		{ "size 1", 1 },
		{ "SIZE", 0 },			/* no parameter */
		{ "SIZE 0", 0 },		/* "no fixed maximum" (RFC 1870) */
		{ "SIZE -5", 0 },
		{ "SIZE abc", 0 },
		{ "SIZE ", 0 },
		{ "SIZE 9223372036854775807", 9223372036854775807LL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[128];
		struct smtp_ehlo e;

		snprintf(text, sizeof(text), "250-hi\r\n250 %s\r\n", cases[i].line);
		parse(text, &e);
		assert_true(smtp_ehlo_has(&e, SMTP_EXT_SIZE));
		assert_true(e.size_limit == cases[i].want);
		smtp_ehlo_free(&e);
	}
}

/* Hostile text arrives sanitised and stays so. */
static void
test_hostile_lines(void **state)
{
	static const char in[] =
	    "250-evil\x1b[2J\r\n250-STARTTLS\x00\r\n250-\r\n250 \xff\xfe\r\n";
	struct smtp_ehlo e;
	size_t i;

	(void)state;
	parse_n(in, sizeof(in) - 1, &e);
	assert_string_equal(e.greeting, "evil?[2J");
	assert_int_equal(e.lines.n, 3);
	assert_string_equal(e.lines.v[0], "STARTTLS?");
	assert_string_equal(e.lines.v[1], "");
	assert_string_equal(e.lines.v[2], "??");
	/* "STARTTLS\0" is not STARTTLS. */
	assert_false(smtp_ehlo_has(&e, SMTP_EXT_STARTTLS));
	for (i = 0; i < e.lines.n; i++)
		assert_true(strspn(e.lines.v[i], " !\"#$%&'()*+,-./0123456789:;<=>?@"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~")
		    == strlen(e.lines.v[i]));
	smtp_ehlo_free(&e);
}

static void
test_empty_reply(void **state)
{
	struct smtp_reply r;
	struct smtp_ehlo e;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.code = 250;
	assert_int_equal(smtp_ehlo_parse(&r, &e), 0);
	assert_null(e.greeting);
	assert_int_equal(e.lines.n, 0);
	assert_int_equal(e.known, 0);
	smtp_ehlo_free(&e);
}

/* After smtp_ehlo_free the struct is ready for another parse. */
static void
test_free_then_reuse(void **state)
{
	struct smtp_ehlo e;

	(void)state;
	parse("250-a\r\n250 STARTTLS\r\n", &e);
	smtp_ehlo_free(&e);
	assert_null(e.greeting);
	assert_int_equal(e.known, 0);
	parse("250-b\r\n250 DSN\r\n", &e);
	assert_false(smtp_ehlo_has(&e, SMTP_EXT_STARTTLS));
	assert_true(smtp_ehlo_has(&e, SMTP_EXT_DSN));
	smtp_ehlo_free(&e);
	smtp_ehlo_free(&e);	/* twice is harmless */
}

static void
test_ext_names(void **state)
{
	int i, j;

	(void)state;
	assert_string_equal(smtp_ext_name(SMTP_EXT_STARTTLS), "STARTTLS");
	assert_string_equal(smtp_ext_name(SMTP_EXT_REQUIRETLS), "REQUIRETLS");
	for (i = 0; i < SMTP_EXT_COUNT; i++) {
		assert_non_null(smtp_ext_name((enum smtp_ext)i));
		for (j = 0; j < i; j++)
			assert_string_not_equal(smtp_ext_name((enum smtp_ext)i),
			    smtp_ext_name((enum smtp_ext)j));
	}
	assert_string_equal(smtp_ext_name(SMTP_EXT_COUNT), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typical_postfix),
		cmocka_unit_test(test_every_known_keyword),
		cmocka_unit_test(test_keywords_case_insensitive),
		cmocka_unit_test(test_keyword_must_match_exactly),
		cmocka_unit_test(test_greeting_is_not_a_keyword),
		cmocka_unit_test(test_size_parameter),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_empty_reply),
		cmocka_unit_test(test_free_then_reuse),
		cmocka_unit_test(test_ext_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
