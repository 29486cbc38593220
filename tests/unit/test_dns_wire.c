/*
 * test_dns_wire.c - unit tests of the wire-format decoders (dns/dns_wire.h).
 *
 * Every byte is hostile: lengths are checked against what remains, names
 * over 255 bytes and compression pointers are refused, and the text form is
 * printable and bounded, odd bytes escaped as \DDD.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dns/dns_wire.h"

#define W(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

/*
 * decode - dns_wire_name() into a heap buffer of exactly DNS_WIRE_TEXT_MAX
 * bytes (so ASan sees any overrun).  Returns its result; *text is the output
 * (caller frees).
 */
static int
decode(const uint8_t *wire, size_t len, size_t *used, char **text)
{
	uint8_t *copy = malloc(len ? len : 1);	/* exact size: overreads show */
	int rc;

	assert_non_null(copy);
	memcpy(copy, wire, len);
	*text = malloc(DNS_WIRE_TEXT_MAX);
	assert_non_null(*text);
	rc = dns_wire_name(copy, len, used, *text);
	free(copy);
	return rc;
}

static void
assert_name(const uint8_t *wire, size_t len, const char *want, size_t want_used)
{
	size_t used = 0;
	char *text;

	assert_int_equal(decode(wire, len, &used, &text), 0);
	assert_string_equal(text, want);
	assert_int_equal(used, want_used);
	free(text);
}

static void
assert_bad_name(const uint8_t *wire, size_t len)
{
	size_t used = 12345;
	char *text;

	assert_int_equal(decode(wire, len, &used, &text), -1);
	free(text);
}

static void
test_root(void **state)
{
	(void)state;
	assert_name(W("\0"), ".", 1);
}

static void
test_normal_names(void **state)
{
	(void)state;
	assert_name(W("\7example\3org\0"), "example.org", 13);
	assert_name(W("\2mx\7example\3org\0"), "mx.example.org", 16);
	assert_name(W("\1a\0"), "a", 3);
	/* Case is kept: decoding is not normalising. */
	assert_name(W("\2MX\3Org\0"), "MX.Org", 8);
	/* Underscores and wildcards are ordinary in DNS data. */
	assert_name(W("\6_dmarc\1*\3org\0"), "_dmarc.*.org", 14);
}

/* Bytes after the name are not consumed. */
static void
test_used_stops_at_root(void **state)
{
	(void)state;
	assert_name(W("\3org\0\xff\xff\xff"), "org", 5);
	assert_name(W("\0\3org\0"), ".", 1);
}

static void
test_escapes(void **state)
{
	(void)state;
	/* A dot inside a label must not look like a label boundary. */
	assert_name(W("\3a.b\3org\0"), "a\\046b.org", 9);
	assert_name(W("\3a\\b\0"), "a\\092b", 5);
	assert_name(W("\3a b\0"), "a\\032b", 5);
	assert_name(W("\4\0\1\x7f\xff\0"), "\\000\\001\\127\\255", 6);
	assert_name(W("\2\r\n\0"), "\\013\\010", 4);
	assert_name(W("\1\"\0"), "\\034", 3);
	assert_name(W("\1<\0"), "\\060", 3);
	assert_name(W("\2\xc3\xbc\0"), "\\195\\188", 4);
}

static void
test_truncated(void **state)
{
	(void)state;
	assert_bad_name((const uint8_t *)"", 0);
	assert_bad_name(W("\7example"));		/* no root label */
	assert_bad_name(W("\7exampl"));			/* label runs off the end */
	assert_bad_name(W("\7example\3org"));
	assert_bad_name(W("\7example\3or"));
	assert_bad_name(W("\77"));			/* 63 announced, 0 there */
}

static void
test_compression_refused(void **state)
{
	(void)state;
	assert_bad_name(W("\xc0\x0c"));
	assert_bad_name(W("\2mx\xc0\x0c"));
	assert_bad_name(W("\x40\0"));	/* extended label type (RFC 6891) */
	assert_bad_name(W("\x80\0"));	/* reserved */
	assert_bad_name(W("\xff\0"));
}

/* Build a wire name of labels of label_len bytes, total wire length total. */
static uint8_t *
make_wire(size_t total, size_t label_len)
{
	uint8_t *w = malloc(total);
	size_t pos = 0;

	assert_non_null(w);
	while (pos < total - 1) {
		size_t l = label_len;

		if (pos + 1 + l > total - 1)
			l = total - 1 - pos - 1;
		w[pos] = (uint8_t)l;
		memset(w + pos + 1, 'a', l);
		pos += 1 + l;
	}
	w[pos] = 0;
	assert_int_equal(pos, total - 1);
	return w;
}

static void
test_length_limit(void **state)
{
	size_t used;
	char *text;
	uint8_t *w;

	(void)state;
	/* 255 bytes, root label included: the longest name. */
	w = make_wire(255, 63);
	assert_int_equal(decode(w, 255, &used, &text), 0);
	assert_int_equal(used, 255);
	assert_int_equal(strlen(text), 253);
	free(text);
	free(w);

	/* 256 bytes: refused. */
	w = make_wire(256, 63);
	assert_int_equal(decode(w, 256, &used, &text), -1);
	free(text);
	free(w);

	/* A 64-byte label cannot be encoded (its length byte would be 0x40). */
	w = make_wire(66, 64);
	assert_int_equal(decode(w, 66, &used, &text), -1);
	free(text);
	free(w);
}

/* The worst case for the text form: 255 bytes, every byte escaped. */
static void
test_longest_text_fits(void **state)
{
	uint8_t w[255];
	size_t pos = 0, used, i;
	char *text;

	(void)state;
	while (pos < 254) {
		size_t l = 254 - pos - 1 < 63 ? 254 - pos - 1 : 63;

		w[pos] = (uint8_t)l;
		memset(w + pos + 1, 0xff, l);
		pos += 1 + l;
	}
	w[pos] = 0;
	assert_int_equal(decode(w, sizeof(w), &used, &text), 0);
	assert_int_equal(used, 255);
	assert_true(strlen(text) < DNS_WIRE_TEXT_MAX);
	for (i = 0; text[i] != '\0'; i++)
		assert_true(text[i] >= 0x20 && text[i] <= 0x7e);
	free(text);

	/* Many one-byte labels of odd bytes. */
	for (pos = 0; pos + 2 < 254; pos += 2) {
		w[pos] = 1;
		w[pos + 1] = '.';
	}
	w[pos] = 0;
	assert_int_equal(decode(w, pos + 1, &used, &text), 0);
	assert_int_equal(used, pos + 1);
	assert_true(strlen(text) < DNS_WIRE_TEXT_MAX);
	free(text);
}

/* --- MX RDATA ------------------------------------------------------------ */

static void
test_mx(void **state)
{
	char *exchange = malloc(DNS_WIRE_TEXT_MAX);
	uint16_t pref = 0;

	(void)state;
	assert_non_null(exchange);
	assert_int_equal(dns_wire_mx(W("\0\12\2mx\7example\3org\0"), &pref,
	    exchange), 0);
	assert_int_equal(pref, 10);
	assert_string_equal(exchange, "mx.example.org");

	assert_int_equal(dns_wire_mx(W("\xff\xfe\1a\0"), &pref, exchange), 0);
	assert_int_equal(pref, 65534);
	assert_string_equal(exchange, "a");
	free(exchange);
}

/* "MX 0 ." is the null MX (RFC 7505): valid RDATA, the root as exchange. */
static void
test_null_mx(void **state)
{
	char exchange[DNS_WIRE_TEXT_MAX];
	uint16_t pref = 99;

	(void)state;
	assert_int_equal(dns_wire_mx(W("\0\0\0"), &pref, exchange), 0);
	assert_int_equal(pref, 0);
	assert_string_equal(exchange, ".");
}

static void
test_mx_malformed(void **state)
{
	char exchange[DNS_WIRE_TEXT_MAX];
	uint16_t pref;

	(void)state;
	assert_int_equal(dns_wire_mx((const uint8_t *)"", 0, &pref, exchange), -1);
	assert_int_equal(dns_wire_mx(W("\0"), &pref, exchange), -1);
	assert_int_equal(dns_wire_mx(W("\0\12"), &pref, exchange), -1);
	/* Trailing garbage: the exchange must fill the RDATA exactly. */
	assert_int_equal(dns_wire_mx(W("\0\12\2mx\3org\0X"), &pref, exchange), -1);
	assert_int_equal(dns_wire_mx(W("\0\0\0\0"), &pref, exchange), -1);
	/* Truncated and compressed exchanges. */
	assert_int_equal(dns_wire_mx(W("\0\12\2mx\3org"), &pref, exchange), -1);
	assert_int_equal(dns_wire_mx(W("\0\12\xc0\x0c"), &pref, exchange), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_normal_names),
		cmocka_unit_test(test_used_stops_at_root),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_compression_refused),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_longest_text_fits),
		cmocka_unit_test(test_mx),
		cmocka_unit_test(test_null_mx),
		cmocka_unit_test(test_mx_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
