/*
 * test_sanitize.c - unit tests of peer-text sanitising (util/sanitize.h).
 *
 * The rule: printable ASCII 0x20-0x7e is kept, every other byte becomes
 * '?', embedded NULs included; at most max bytes are kept, and a copy that
 * lost bytes ends in "...".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"

static void
test_printable_kept(void **state)
{
	char all[0x7f - 0x20 + 1], *s;
	int c;

	(void)state;
	for (c = 0x20; c <= 0x7e; c++)
		all[c - 0x20] = (char)c;
	all[sizeof(all) - 1] = '\0';
	s = sanitize_copy(all, sizeof(all) - 1, 1000);
	assert_non_null(s);
	assert_string_equal(s, all);
	free(s);
}

/* Every byte value outside 0x20-0x7e, one at a time. */
static void
test_every_unsafe_byte(void **state)
{
	int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		unsigned char in[3] = { 'a', (unsigned char)c, 'b' };
		char *s = sanitize_copy(in, 3, 10);

		assert_non_null(s);
		assert_int_equal(strlen(s), 3);
		assert_int_equal(s[1], c >= 0x20 && c <= 0x7e ? c : '?');
		free(s);
	}
}

static void
test_embedded_nul(void **state)
{
	char *s;

	(void)state;
	s = sanitize_copy("good.example.org\0.evil.org", 26, 255);
	assert_non_null(s);
	assert_string_equal(s, "good.example.org?.evil.org");
	free(s);

	s = sanitize_copy("\0\0\0", 3, 255);
	assert_string_equal(s, "???");
	free(s);
}

static void
test_terminal_escapes(void **state)
{
	static const char in[] = "\x1b[2J\x1b]0;owned\x07\r\nnext\x9b" "31m";
	char *s;

	(void)state;
	s = sanitize_copy(in, sizeof(in) - 1, 255);
	assert_non_null(s);
	assert_string_equal(s, "?[2J?]0;owned???next?31m");
	free(s);
}

static void
test_truncation(void **state)
{
	char *s;

	(void)state;
	/* Exactly max bytes: no marker. */
	s = sanitize_copy("abcdef", 6, 6);
	assert_string_equal(s, "abcdef");
	free(s);
	/* One byte more: max bytes kept, then "...". */
	s = sanitize_copy("abcdefg", 7, 6);
	assert_string_equal(s, "abcdef...");
	free(s);
	s = sanitize_copy("abc", 3, 0);
	assert_string_equal(s, "...");
	free(s);
	/* Only the first len bytes are read, whatever follows. */
	s = sanitize_copy("abcdef", 3, 10);
	assert_string_equal(s, "abc");
	free(s);
	/* Unsafe bytes are replaced before the cut. */
	s = sanitize_copy("\x01\x02\x03\x04", 4, 2);
	assert_string_equal(s, "??...");
	free(s);
}

static void
test_empty(void **state)
{
	char *s;

	(void)state;
	s = sanitize_copy("", 0, 0);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void
test_big_input(void **state)
{
	enum { BIG = 1 << 20 };
	char *in = malloc(BIG), *s;

	(void)state;
	assert_non_null(in);
	memset(in, '\xff', BIG);
	s = sanitize_copy(in, BIG, 512);
	assert_non_null(s);
	assert_int_equal(strlen(s), 512 + 3);
	assert_int_equal(s[0], '?');
	assert_string_equal(s + 512, "...");
	free(s);
	free(in);
}

static void
test_str(void **state)
{
	char *s;

	(void)state;
	assert_null(sanitize_str(NULL, 10));
	s = sanitize_str("h\xc3\xa9llo\tworld", 100);
	assert_string_equal(s, "h??llo?world");
	free(s);
	s = sanitize_str("0123456789", 4);
	assert_string_equal(s, "0123...");
	free(s);
}

static void
test_in_place(void **state)
{
	char s[] = "ok \x01\x7f\x80\xff~ end\n";
	char empty[] = "";

	(void)state;
	sanitize_in_place(s);
	assert_string_equal(s, "ok ????~ end?");
	sanitize_in_place(empty);
	assert_string_equal(empty, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printable_kept),
		cmocka_unit_test(test_every_unsafe_byte),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_terminal_escapes),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_big_input),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_in_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
