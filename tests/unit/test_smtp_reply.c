/*
 * test_smtp_reply.c - unit tests of the SMTP reply parser (smtp/smtp_reply.h).
 *
 * The contract under test: a reply is consumed up to and including its final
 * line whatever way the network splits it; *used stops after the first reply
 * so the caller sees what followed; memory is bounded by the limits, a too
 * long line failing as soon as the limit is exceeded, before any LF; peer
 * text is sanitised; a parser can be reset and reused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "smtp/smtp_reply.h"

#define LEN(s) (sizeof(s) - 1)

static const struct smtp_reply_limits default_limits = SMTP_REPLY_LIMITS_DEFAULT;

/* A parser with the given limits, or the default ones when l is NULL. */
static void
parser_init(struct smtp_reply_parser *p, const struct smtp_reply_limits *l)
{
	assert_int_equal(smtp_reply_parser_init(p, l ? l : &default_limits), 0);
}

/* The reply in p is code with exactly the n lines in want. */
static void
assert_reply(const struct smtp_reply_parser *p, int code,
    const char *const *want, size_t n)
{
	size_t i;

	assert_int_equal(p->reply.code, code);
	assert_int_equal(p->reply.lines.n, n);
	for (i = 0; i < n; i++)
		assert_string_equal(p->reply.lines.v[i], want[i]);
}

/*
 * feed_split - feed data[0..len) to a fresh parser in pieces cut at the
 * ascending offsets cuts[0..ncuts), checking that every piece but the last
 * is used whole with SMTP_PARSE_MORE.  Returns the last result; *total is
 * the bytes used over all calls.
 */
static enum smtp_parse
feed_split(struct smtp_reply_parser *p, const char *data, size_t len,
    const size_t *cuts, size_t ncuts, size_t *total)
{
	size_t start = 0, i, used;
	enum smtp_parse r = SMTP_PARSE_MORE;

	*total = 0;
	for (i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : len;

		r = smtp_reply_feed(p, data + start, end - start, &used);
		assert_true(used <= end - start);
		*total += used;
		if (i < ncuts && r != SMTP_PARSE_MORE)
			return r;	/* ended early: caller checks */
		if (r == SMTP_PARSE_MORE)
			assert_int_equal(used, end - start);
		start = end;
	}
	return r;
}

/* --- well-formed replies ------------------------------------------------ */

static void
test_single_line(void **state)
{
	static const char in[] = "220 mail.example.org ESMTP ready\r\n";
	static const char *const want[] = { "mail.example.org ESMTP ready" };
	struct smtp_reply_parser p;
	size_t used = 99;

	(void)state;
	parser_init(&p, NULL);
	assert_int_equal(smtp_reply_feed(&p, in, LEN(in), &used), SMTP_PARSE_DONE);
	assert_int_equal(used, LEN(in));
	assert_reply(&p, 220, want, 1);
	assert_int_equal(p.reply.bare_lf, 0);
	assert_int_equal(p.error, SMTP_REPLY_OK);
	smtp_reply_parser_free(&p);
}

static void
test_multi_line(void **state)
{
	static const char in[] =
	    "250-mail.example.org Hello\r\n"
	    "250-PIPELINING\r\n"
	    "250-SIZE 10240000\r\n"
	    "250 STARTTLS\r\n";
	static const char *const want[] = {
		"mail.example.org Hello", "PIPELINING", "SIZE 10240000", "STARTTLS"
	};
	struct smtp_reply_parser p;
	size_t used;

	(void)state;
	parser_init(&p, NULL);
	assert_int_equal(smtp_reply_feed(&p, in, LEN(in), &used), SMTP_PARSE_DONE);
	assert_int_equal(used, LEN(in));
	assert_reply(&p, 250, want, 4);
	smtp_reply_parser_free(&p);
}

static void
test_temp_and_perm_codes(void **state)
{
	static const struct {
		const char	*in;
		int		 code;
		const char	*text;
	} cases[] = {
		{ "421 4.3.2 Service shutting down\r\n", 421, "4.3.2 Service shutting down" },
		{ "554 5.7.1 no\r\n", 554, "5.7.1 no" },
		{ "599 x\r\n", 599, "x" },
		{ "200 x\r\n", 200, "x" },
		{ "354 go ahead\r\n", 354, "go ahead" },
	};
	size_t i, used;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct smtp_reply_parser p;

		parser_init(&p, NULL);
		assert_int_equal(smtp_reply_feed(&p, cases[i].in,
		    strlen(cases[i].in), &used), SMTP_PARSE_DONE);
		assert_reply(&p, cases[i].code, &cases[i].text, 1);
		smtp_reply_parser_free(&p);
	}
}

static void
test_code_only_line(void **state)
{
	static const char *const empty[] = { "" };
	static const char *const two[] = { "", "" };
	struct smtp_reply_parser p;
	size_t used;

	(void)state;
	parser_init(&p, NULL);
	assert_int_equal(smtp_reply_feed(&p, "250\r\n", 5, &used), SMTP_PARSE_DONE);
	assert_int_equal(used, 5);
	assert_reply(&p, 250, empty, 1);

	/* "250-" with no text continues; "250" alone ends it. */
	smtp_reply_reset(&p);
	assert_int_equal(smtp_reply_feed(&p, "250-\r\n250\r\n", 11, &used),
	    SMTP_PARSE_DONE);
	assert_int_equal(used, 11);
	assert_reply(&p, 250, two, 2);

	/* "250 " (a space, no text) is a final line with empty text. */
	smtp_reply_reset(&p);
	assert_int_equal(smtp_reply_feed(&p, "250 \r\n", 6, &used), SMTP_PARSE_DONE);
	assert_reply(&p, 250, empty, 1);
	smtp_reply_parser_free(&p);
}

static void
test_empty_feed(void **state)
{
	struct smtp_reply_parser p;
	size_t used = 99;

	(void)state;
	parser_init(&p, NULL);
	assert_int_equal(smtp_reply_feed(&p, "", 0, &used), SMTP_PARSE_MORE);
	assert_int_equal(used, 0);
	assert_int_equal(smtp_reply_feed(&p, "250 ok\r\n", 8, &used),
	    SMTP_PARSE_DONE);
	smtp_reply_parser_free(&p);
}

/* --- the network splits a reply anywhere -------------------------------- */

static const char split_in[] =
    "250-mx.example.org at your service\r\n"
    "250-SIZE 35882577\r\n"
    "250-8BITMIME\n"				/* bare LF, tolerated */
    "250-ctl\x01\x7f\xff""byte\r\n"
    "250-\r\n"
    "250 SMTPUTF8\r\n";
static const char *const split_want[] = {
	"mx.example.org at your service", "SIZE 35882577", "8BITMIME",
	"ctl???byte", "", "SMTPUTF8"
};

static void
check_split_result(struct smtp_reply_parser *p, enum smtp_parse r, size_t total)
{
	assert_int_equal(r, SMTP_PARSE_DONE);
	assert_int_equal(total, LEN(split_in));
	assert_reply(p, 250, split_want, 6);
	assert_int_equal(p->reply.bare_lf, 1);
}

static void
test_split_at_every_byte(void **state)
{
	size_t cut, total;

	(void)state;
	for (cut = 0; cut <= LEN(split_in); cut++) {
		struct smtp_reply_parser p;
		enum smtp_parse r;

		parser_init(&p, NULL);
		r = feed_split(&p, split_in, LEN(split_in), &cut, 1, &total);
		if (cut == LEN(split_in)) {
			/* The whole reply in the first piece, nothing after. */
			assert_int_equal(r, SMTP_PARSE_DONE);
			assert_int_equal(total, LEN(split_in));
			assert_reply(&p, 250, split_want, 6);
		} else
			check_split_result(&p, r, total);
		smtp_reply_parser_free(&p);
	}
}

static void
test_split_at_every_pair(void **state)
{
	size_t cuts[2], total;

	(void)state;
	for (cuts[0] = 0; cuts[0] < LEN(split_in); cuts[0]++)
		for (cuts[1] = cuts[0]; cuts[1] < LEN(split_in); cuts[1]++) {
			struct smtp_reply_parser p;

			enum smtp_parse r;

			parser_init(&p, NULL);
			r = feed_split(&p, split_in, LEN(split_in), cuts, 2, &total);
			check_split_result(&p, r, total);
			smtp_reply_parser_free(&p);
		}
}

static void
test_one_byte_at_a_time(void **state)
{
	size_t cuts[LEN(split_in) - 1], i, total;
	struct smtp_reply_parser p;
	enum smtp_parse r;

	(void)state;
	for (i = 0; i < LEN(split_in) - 1; i++)
		cuts[i] = i + 1;
	parser_init(&p, NULL);
	r = feed_split(&p, split_in, LEN(split_in), cuts, LEN(split_in) - 1,
	    &total);
	check_split_result(&p, r, total);
	smtp_reply_parser_free(&p);
}

/* An error is the same error wherever the input was split. */
static void
test_split_errors(void **state)
{
	static const struct {
		const char		*in;
		enum smtp_reply_error	 error;
	} cases[] = {
		{ "250-a\r\n251 b\r\n", SMTP_REPLY_CODE_MISMATCH },
		{ "250-a\r\nxyz\r\n", SMTP_REPLY_BAD_SYNTAX },
		{ "250-a\r\n250-b\r\n250-c\r\n250 d\r\n", SMTP_REPLY_TOO_MANY_LINES },
		{ "250-a\r\n250 0123456789abcdef\r\n", SMTP_REPLY_LINE_TOO_LONG },
	};
	const struct smtp_reply_limits l = { 16, 3 };
	size_t i, cut, total;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].in);

		for (cut = 0; cut <= len; cut++) {
			struct smtp_reply_parser p;

			parser_init(&p, &l);
			assert_int_equal(feed_split(&p, cases[i].in, len, &cut, 1,
			    &total), SMTP_PARSE_ERROR);
			assert_int_equal(p.error, cases[i].error);
			smtp_reply_parser_free(&p);
		}
	}
}

/* --- what follows a reply is left to the caller --------------------------- */

static void
test_pipelined_replies(void **state)
{
	static const char in[] = "250 2.1.0 ok\r\n250-2.1.5 ok\r\n250 more\r\n354 go\r\n";
	static const char *const first[] = { "2.1.0 ok" };
	static const char *const second[] = { "2.1.5 ok", "more" };
	static const char *const third[] = { "go" };
	struct smtp_reply_parser p;
	size_t used, off = 0;

	(void)state;
	parser_init(&p, NULL);
	assert_int_equal(smtp_reply_feed(&p, in, LEN(in), &used), SMTP_PARSE_DONE);
	assert_int_equal(used, LEN("250 2.1.0 ok\r\n"));
	assert_reply(&p, 250, first, 1);
	off += used;

	smtp_reply_reset(&p);
	assert_int_equal(smtp_reply_feed(&p, in + off, LEN(in) - off, &used),
	    SMTP_PARSE_DONE);
	assert_int_equal(used, LEN("250-2.1.5 ok\r\n250 more\r\n"));
	assert_reply(&p, 250, second, 2);
	off += used;

	smtp_reply_reset(&p);
	assert_int_equal(smtp_reply_feed(&p, in + off, LEN(in) - off, &used),
	    SMTP_PARSE_DONE);
	assert_int_equal(used, LEN("354 go\r\n"));
	assert_int_equal(off + used, LEN(in));
	assert_reply(&p, 354, third, 1);
	smtp_reply_parser_free(&p);
}

/* Bytes after "220" to STARTTLS are not consumed: the caller must see them. */
static void
test_bytes_after_reply_not_used(void **state)
{
	static const char in[] = "220 2.0.0 Ready to start TLS\r\nEHLO evil\r\n";
	struct smtp_reply_parser p;
	size_t used;

	(void)state;
	parser_init(&p, NULL);
	assert_int_equal(smtp_reply_feed(&p, in, LEN(in), &used), SMTP_PARSE_DONE);
	assert_int_equal(used, LEN("220 2.0.0 Ready to start TLS\r\n"));
	assert_int_equal(LEN(in) - used, LEN("EHLO evil\r\n"));
	assert_int_equal(p.reply.lines.n, 1);

	/* The same with a partial line after the reply. */
	smtp_reply_reset(&p);
	assert_int_equal(smtp_reply_feed(&p, "220 go\r\nX", 9, &used),
	    SMTP_PARSE_DONE);
	assert_int_equal(used, 8);
	smtp_reply_parser_free(&p);
}

/* --- line ends ------------------------------------------------------------ */

static void
test_bare_lf(void **state)
{
	static const char *const one[] = { "ok" };
	static const char *const two[] = { "a", "b" };
	struct smtp_reply_parser p;
	size_t used;

	(void)state;
	parser_init(&p, NULL);
	assert_int_equal(smtp_reply_feed(&p, "250 ok\n", 7, &used), SMTP_PARSE_DONE);
	assert_int_equal(used, 7);
	assert_reply(&p, 250, one, 1);
	assert_int_equal(p.reply.bare_lf, 1);

	/* Mixed: noted even when only one line ends in a bare LF. */
	smtp_reply_reset(&p);
	assert_int_equal(p.reply.bare_lf, 0);
	assert_int_equal(smtp_reply_feed(&p, "250-a\r\n250 b\n", 13, &used),
	    SMTP_PARSE_DONE);
	assert_reply(&p, 250, two, 2);
	assert_int_equal(p.reply.bare_lf, 1);

	/* CRLF throughout: not noted. */
	smtp_reply_reset(&p);
	assert_int_equal(smtp_reply_feed(&p, "250-a\r\n250 b\r\n", 14, &used),
	    SMTP_PARSE_DONE);
	assert_int_equal(p.reply.bare_lf, 0);
	smtp_reply_parser_free(&p);
}

/* A CR not followed by LF is text (sanitised), not a line end. */
static void
test_lone_cr_is_text(void **state)
{
	static const char *const want[] = { "a?b" };
	struct smtp_reply_parser p;
	size_t used;

	(void)state;
	parser_init(&p, NULL);
	assert_int_equal(smtp_reply_feed(&p, "250 a\rb\r\n", 9, &used),
	    SMTP_PARSE_DONE);
	assert_reply(&p, 250, want, 1);
	smtp_reply_parser_free(&p);
}

/* --- bounds --------------------------------------------------------------- */

#define LINE_MAX_T 16
static const struct smtp_reply_limits small_limits = { LINE_MAX_T, 5 };

/* "250 " followed by n - 4 text bytes: a line of exactly n bytes. */
static char *
line_of(size_t n, const char *end)
{
	char *s = malloc(n + strlen(end) + 1);
	size_t i;

	assert_non_null(s);
	memcpy(s, "250 ", 4);
	for (i = 4; i < n; i++)
		s[i] = (char)('a' + i % 26);
	strcpy(s + n, end);
	return s;
}

static void
test_line_at_limit(void **state)
{
	struct smtp_reply_parser p;
	size_t used;
	char *s;

	(void)state;
	/* CRLF is not counted. */
	s = line_of(LINE_MAX_T, "\r\n");
	parser_init(&p, &small_limits);
	assert_int_equal(smtp_reply_feed(&p, s, strlen(s), &used), SMTP_PARSE_DONE);
	assert_int_equal(used, LINE_MAX_T + 2);
	assert_int_equal(strlen(p.reply.lines.v[0]), LINE_MAX_T - 4);
	assert_memory_equal(p.reply.lines.v[0], s + 4, LINE_MAX_T - 4);
	smtp_reply_parser_free(&p);
	free(s);

	/* Nor is a bare LF. */
	s = line_of(LINE_MAX_T, "\n");
	parser_init(&p, &small_limits);
	assert_int_equal(smtp_reply_feed(&p, s, strlen(s), &used), SMTP_PARSE_DONE);
	smtp_reply_parser_free(&p);
	free(s);

	/* A line at the limit, its CR and LF arriving one at a time. */
	s = line_of(LINE_MAX_T, "");
	parser_init(&p, &small_limits);
	assert_int_equal(smtp_reply_feed(&p, s, LINE_MAX_T, &used), SMTP_PARSE_MORE);
	assert_int_equal(smtp_reply_feed(&p, "\r", 1, &used), SMTP_PARSE_MORE);
	assert_int_equal(smtp_reply_feed(&p, "\n", 1, &used), SMTP_PARSE_DONE);
	smtp_reply_parser_free(&p);
	free(s);
}

static void
test_line_one_over_limit_with_line_end(void **state)
{
	static const char *const ends[] = { "\r\n", "\n" };
	size_t i, used;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct smtp_reply_parser p;
		char *s = line_of(LINE_MAX_T + 1, ends[i]);

		parser_init(&p, &small_limits);
		assert_int_equal(smtp_reply_feed(&p, s, strlen(s), &used),
		    SMTP_PARSE_ERROR);
		assert_int_equal(p.error, SMTP_REPLY_LINE_TOO_LONG);
		smtp_reply_parser_free(&p);
		free(s);
	}
}

/*
 * The header: "a line longer than line_max fails as soon as line_max bytes
 * have arrived without an end of line".  line_max + 1 bytes none of which is
 * CR or LF cannot be the start of a line within the limit: the parser must
 * say so now, not wait for another byte.
 */
static void
test_line_one_over_limit_fails_before_lf(void **state)
{
	struct smtp_reply_parser p;
	size_t used;
	char *s = line_of(LINE_MAX_T + 1, "");
	enum smtp_parse r;
	enum smtp_reply_error e;

	(void)state;
	parser_init(&p, &small_limits);
	r = smtp_reply_feed(&p, s, LINE_MAX_T + 1, &used);
	e = p.error;
	smtp_reply_parser_free(&p);
	free(s);
	assert_int_equal(r, SMTP_PARSE_ERROR);
	assert_int_equal(e, SMTP_REPLY_LINE_TOO_LONG);
}

/* line_max bytes, then CR, then not LF: the CR was text, the line too long. */
static void
test_line_at_limit_cr_then_more(void **state)
{
	struct smtp_reply_parser p;
	size_t used;
	char *s = line_of(LINE_MAX_T, "\rx\r\n");

	(void)state;
	parser_init(&p, &small_limits);
	assert_int_equal(smtp_reply_feed(&p, s, strlen(s), &used), SMTP_PARSE_ERROR);
	assert_int_equal(p.error, SMTP_REPLY_LINE_TOO_LONG);
	assert_true(used <= LINE_MAX_T + 1);
	smtp_reply_parser_free(&p);
	free(s);
}

/* An endless line fails within the limit however much arrives, in any pieces. */
static void
test_endless_line_bounded(void **state)
{
	enum { BIG = 100000 };
	char *big = malloc(BIG);
	struct smtp_reply_parser p;
	size_t used, total = 0, chunk;

	(void)state;
	assert_non_null(big);
	memset(big, 'A', BIG);
	memcpy(big, "220 ", 4);
	parser_init(&p, &small_limits);
	assert_int_equal(smtp_reply_feed(&p, big, BIG, &used), SMTP_PARSE_ERROR);
	assert_int_equal(p.error, SMTP_REPLY_LINE_TOO_LONG);
	assert_true(used <= LINE_MAX_T + 1);
	smtp_reply_parser_free(&p);

	/* Dripped in 3-byte pieces: the error comes in the piece that crosses. */
	parser_init(&p, &small_limits);
	for (chunk = 0; chunk < BIG; chunk += 3) {
		enum smtp_parse r = smtp_reply_feed(&p, big + chunk, 3, &used);

		total += used;
		if (r == SMTP_PARSE_ERROR)
			break;
		assert_int_equal(r, SMTP_PARSE_MORE);
	}
	assert_int_equal(p.error, SMTP_REPLY_LINE_TOO_LONG);
	assert_true(total <= LINE_MAX_T + 1);
	smtp_reply_parser_free(&p);
	free(big);
}

static void
test_too_many_lines(void **state)
{
	const struct smtp_reply_limits l = { 512, 3 };
	static const char ok[] = "250-a\r\n250-b\r\n250 c\r\n";
	static const char *const want[] = { "a", "b", "c" };
	struct smtp_reply_parser p;
	size_t used, i;

	(void)state;
	parser_init(&p, &l);
	assert_int_equal(smtp_reply_feed(&p, ok, LEN(ok), &used), SMTP_PARSE_DONE);
	assert_reply(&p, 250, want, 3);
	smtp_reply_parser_free(&p);

	/* An endless reply: fails on the line past the limit. */
	parser_init(&p, &l);
	for (i = 0; i < 1000; i++) {
		enum smtp_parse r = smtp_reply_feed(&p, "250-x\r\n", 7, &used);

		if (r == SMTP_PARSE_ERROR)
			break;
		assert_int_equal(r, SMTP_PARSE_MORE);
	}
	assert_int_equal(i, 3);
	assert_int_equal(p.error, SMTP_REPLY_TOO_MANY_LINES);
	assert_true(p.reply.lines.n <= 3);
	smtp_reply_parser_free(&p);
}

/*
 * Limits too large to allocate: init either fails (-1) or gives a parser that
 * works.  line_max = SIZE_MAX ("no limit") must not wrap line_max + 1 to 0.
 */
static void
test_init_huge_line_max(void **state)
{
	const struct smtp_reply_limits l = { SIZE_MAX, 10 };
	struct smtp_reply_parser p;
	enum smtp_parse r = SMTP_PARSE_DONE;
	size_t used;
	int rc;

	(void)state;
	rc = smtp_reply_parser_init(&p, &l);
	if (rc == 0) {
		r = smtp_reply_feed(&p, "250 ok\r\n", 8, &used);
		smtp_reply_parser_free(&p);
	}
	assert_true(rc == -1 || rc == 0);
	assert_int_equal(r, SMTP_PARSE_DONE);
}

/* --- malformed replies ---------------------------------------------------- */

static void
test_bad_syntax(void **state)
{
	static const char *const cases[] = {
		"abc\r\n",
		"2500 x\r\n",
		"99 x\r\n",
		"\r\n",
		"\n",
		"25\r\n",
		"250x\r\n",
		"250_x\r\n",
		" 250 x\r\n",
		"25a x\r\n",
		"199 x\r\n",		/* codes are 2yz to 5yz */
		"650 x\r\n",
		"050 x\r\n",
		"EHLO evil\r\n",
		"250\tx\r\n",
		"+OK pop3\r\n",
	};
	size_t i, used;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct smtp_reply_parser p;

		parser_init(&p, NULL);
		assert_int_equal(smtp_reply_feed(&p, cases[i], strlen(cases[i]),
		    &used), SMTP_PARSE_ERROR);
		assert_int_equal(p.error, SMTP_REPLY_BAD_SYNTAX);
		smtp_reply_parser_free(&p);
	}
}

static void
test_code_mismatch(void **state)
{
	static const char *const cases[] = {
		"250-a\r\n251 b\r\n",
		"250-a\r\n250-b\r\n550 c\r\n",
		"220-a\r\n250\r\n",
	};
	size_t i, used;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct smtp_reply_parser p;

		parser_init(&p, NULL);
		assert_int_equal(smtp_reply_feed(&p, cases[i], strlen(cases[i]),
		    &used), SMTP_PARSE_ERROR);
		assert_int_equal(p.error, SMTP_REPLY_CODE_MISMATCH);
		smtp_reply_parser_free(&p);
	}
}

/* --- peer text is sanitised ----------------------------------------------- */

static void
test_text_sanitised(void **state)
{
	static const char in[] = "250 a\x01" "b\x7f\xff\x00" "c\ttab\x1b[31m\x80\r\n";
	static const char *const want[] = { "a?b???c?tab?[31m?" };
	struct smtp_reply_parser p;
	size_t used, i;

	(void)state;
	parser_init(&p, NULL);
	assert_int_equal(smtp_reply_feed(&p, in, LEN(in), &used), SMTP_PARSE_DONE);
	assert_int_equal(used, LEN(in));
	assert_reply(&p, 250, want, 1);
	for (i = 0; p.reply.lines.v[0][i] != '\0'; i++)
		assert_true(p.reply.lines.v[0][i] >= 0x20 &&
		    p.reply.lines.v[0][i] <= 0x7e);
	smtp_reply_parser_free(&p);
}

/* --- lifecycle ------------------------------------------------------------ */

static void
test_reset_and_reuse(void **state)
{
	static const char *const ok[] = { "ok" };
	static const char *const hi[] = { "hi", "there" };
	struct smtp_reply_parser p;
	size_t used = 99;

	(void)state;
	parser_init(&p, NULL);

	/* After ERROR nothing more is accepted ... */
	assert_int_equal(smtp_reply_feed(&p, "xyz\r\n", 5, &used), SMTP_PARSE_ERROR);
	assert_int_equal(smtp_reply_feed(&p, "250 ok\r\n", 8, &used),
	    SMTP_PARSE_ERROR);
	assert_int_equal(used, 0);

	/* ... until a reset. */
	smtp_reply_reset(&p);
	assert_int_equal(p.error, SMTP_REPLY_OK);
	assert_int_equal(smtp_reply_feed(&p, "250 ok\r\n", 8, &used),
	    SMTP_PARSE_DONE);
	assert_reply(&p, 250, ok, 1);

	/* A reset in the middle of a reply forgets the partial line too. */
	smtp_reply_reset(&p);
	assert_int_equal(smtp_reply_feed(&p, "250-partial\r\n25", 15, &used),
	    SMTP_PARSE_MORE);
	smtp_reply_reset(&p);
	assert_int_equal(p.reply.lines.n, 0);
	assert_int_equal(smtp_reply_feed(&p, "220-hi\r\n220 there\r\n", 19, &used),
	    SMTP_PARSE_DONE);
	assert_reply(&p, 220, hi, 2);

	/* Limits survive a reset. */
	smtp_reply_reset(&p);
	assert_int_equal(p.limits.line_max, default_limits.line_max);
	assert_int_equal(p.limits.lines_max, default_limits.lines_max);
	assert_int_equal(p.reply.code, 0);
	assert_int_equal(p.reply.bare_lf, 0);
	smtp_reply_parser_free(&p);
	smtp_reply_parser_free(&p);	/* twice is harmless */
}

static void
test_error_text(void **state)
{
	int e, f;

	(void)state;
	for (e = 0; e < SMTP_REPLY_ERROR_COUNT; e++) {
		const char *t = smtp_reply_error_text((enum smtp_reply_error)e);

		assert_non_null(t);
		assert_true(strlen(t) > 0);
		for (f = 0; f < e; f++)
			assert_string_not_equal(t,
			    smtp_reply_error_text((enum smtp_reply_error)f));
	}
	assert_string_equal(smtp_reply_error_text(SMTP_REPLY_ERROR_COUNT), "?");
}

static void
test_reply_text(void **state)
{
	static const char in[] = "250-one\r\n250-\r\n250 three\r\n";
	struct smtp_reply_parser p;
	struct smtp_reply empty;
	size_t used;
	char *t;

	(void)state;
	parser_init(&p, NULL);
	assert_int_equal(smtp_reply_feed(&p, in, LEN(in), &used), SMTP_PARSE_DONE);
	t = smtp_reply_text(&p.reply);
	assert_non_null(t);
	assert_string_equal(t, "one\n\nthree");
	free(t);
	smtp_reply_parser_free(&p);

	memset(&empty, 0, sizeof(empty));
	t = smtp_reply_text(&empty);
	assert_non_null(t);
	assert_string_equal(t, "");
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_line),
		cmocka_unit_test(test_multi_line),
		cmocka_unit_test(test_temp_and_perm_codes),
		cmocka_unit_test(test_code_only_line),
		cmocka_unit_test(test_empty_feed),
		cmocka_unit_test(test_split_at_every_byte),
		cmocka_unit_test(test_split_at_every_pair),
		cmocka_unit_test(test_one_byte_at_a_time),
		cmocka_unit_test(test_split_errors),
		cmocka_unit_test(test_pipelined_replies),
		cmocka_unit_test(test_bytes_after_reply_not_used),
		cmocka_unit_test(test_bare_lf),
		cmocka_unit_test(test_lone_cr_is_text),
		cmocka_unit_test(test_line_at_limit),
		cmocka_unit_test(test_line_one_over_limit_with_line_end),
		cmocka_unit_test(test_line_one_over_limit_fails_before_lf),
		cmocka_unit_test(test_line_at_limit_cr_then_more),
		cmocka_unit_test(test_endless_line_bounded),
		cmocka_unit_test(test_too_many_lines),
		cmocka_unit_test(test_init_huge_line_max),
		cmocka_unit_test(test_bad_syntax),
		cmocka_unit_test(test_code_mismatch),
		cmocka_unit_test(test_text_sanitised),
		cmocka_unit_test(test_reset_and_reuse),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_reply_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
