/*
 * test_scan_input.c - unit tests of the input side of `mailtls scan`:
 * Punycode and IDNA (util/punycode.h), the domain list (scan/scan_input.h)
 * and the exclude list (scan/scan_exclude.h).
 *
 * The contracts: RFC 3492's own sample strings encode and decode; names
 * with non-ASCII labels become A-labels and bad UTF-8 is refused; every
 * line rule of a list (comments, blanks, CRLF / LF / lone CR, BOM, trailing
 * dot, "RANK,NAME", 4096-byte limit, NUL bytes) holds, bad lines are
 * reported as "FILE:LINE: reason" and skipped; duplicates go, first
 * occurrence first; the shards of a list partition it; exclude entries
 * match what scan_exclude.h's table says, at the edges of every network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dns/dns_name.h"
#include "scan/scan_exclude.h"
#include "scan/scan_input.h"
#include "store/store.h"
#include "util/netaddr.h"
#include "util/punycode.h"

/* ---- Punycode: RFC 3492 section 7.1 ------------------------------------ */

struct pc_vector {
	const char	*what;
	const uint32_t	*cp;
	size_t		 n;
	const char	*puny;	/* as printed in the RFC (mixed case) */
};

static const struct pc_vector rfc3492[] = {
	{ "A Arabic (Egyptian)", (const uint32_t[]){
	    0x0644, 0x064a, 0x0647, 0x0645, 0x0627, 0x0628, 0x062a, 0x0643,
	    0x0644, 0x0645, 0x0648, 0x0634, 0x0639, 0x0631, 0x0628, 0x064a,
	    0x061f },
	  17, "egbpdaj6bu4bxfgehfvwxn" },
	{ "B Chinese (simplified)", (const uint32_t[]){
	    0x4ed6, 0x4eec, 0x4e3a, 0x4ec0, 0x4e48, 0x4e0d, 0x8bf4, 0x4e2d,
	    0x6587 },
	  9, "ihqwcrb4cv8a8dqg056pqjye" },
	{ "C Chinese (traditional)", (const uint32_t[]){
	    0x4ed6, 0x5011, 0x7232, 0x4ec0, 0x9ebd, 0x4e0d, 0x8aaa, 0x4e2d,
	    0x6587 },
	  9, "ihqwctvzc91f659drss3x8bo0yb" },
	{ "D Czech", (const uint32_t[]){
	    0x0050, 0x0072, 0x006f, 0x010d, 0x0070, 0x0072, 0x006f, 0x0073,
	    0x0074, 0x011b, 0x006e, 0x0065, 0x006d, 0x006c, 0x0075, 0x0076,
	    0x00ed, 0x010d, 0x0065, 0x0073, 0x006b, 0x0079 },
	  22, "Proprostnemluvesky-uyb24dma41a" },
	{ "E Hebrew", (const uint32_t[]){
	    0x05dc, 0x05de, 0x05d4, 0x05d4, 0x05dd, 0x05e4, 0x05e9, 0x05d5,
	    0x05d8, 0x05dc, 0x05d0, 0x05de, 0x05d3, 0x05d1, 0x05e8, 0x05d9,
	    0x05dd, 0x05e2, 0x05d1, 0x05e8, 0x05d9, 0x05ea },
	  22, "4dbcagdahymbxekheh6e0a7fei0b" },
	{ "F Hindi (Devanagari)", (const uint32_t[]){
	    0x092f, 0x0939, 0x0932, 0x094b, 0x0917, 0x0939, 0x093f, 0x0928,
	    0x094d, 0x0926, 0x0940, 0x0915, 0x094d, 0x092f, 0x094b, 0x0902,
	    0x0928, 0x0939, 0x0940, 0x0902, 0x092c, 0x094b, 0x0932, 0x0938,
	    0x0915, 0x0924, 0x0947, 0x0939, 0x0948, 0x0902 },
	  30, "i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd" },
	{ "G Japanese (kanji and hiragana)", (const uint32_t[]){
	    0x306a, 0x305c, 0x307f, 0x3093, 0x306a, 0x65e5, 0x672c, 0x8a9e,
	    0x3092, 0x8a71, 0x3057, 0x3066, 0x304f, 0x308c, 0x306a, 0x3044,
	    0x306e, 0x304b },
	  18, "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa" },
	{ "H Korean (Hangul syllables)", (const uint32_t[]){
	    0xc138, 0xacc4, 0xc758, 0xbaa8, 0xb4e0, 0xc0ac, 0xb78c, 0xb4e4,
	    0xc774, 0xd55c, 0xad6d, 0xc5b4, 0xb97c, 0xc774, 0xd574, 0xd55c,
	    0xb2e4, 0xba74, 0xc5bc, 0xb9c8, 0xb098, 0xc88b, 0xc744, 0xae4c },
	  24, "989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879ccm6fea98c" },
	{ "I Russian (Cyrillic)", (const uint32_t[]){
	    0x043f, 0x043e, 0x0447, 0x0435, 0x043c, 0x0443, 0x0436, 0x0435,
	    0x043e, 0x043d, 0x0438, 0x043d, 0x0435, 0x0433, 0x043e, 0x0432,
	    0x043e, 0x0440, 0x044f, 0x0442, 0x043f, 0x043e, 0x0440, 0x0443,
	    0x0441, 0x0441, 0x043a, 0x0438 },
	  28, "b1abfaaepdrnnbgefbaDotcwatmq2g4l" },
	{ "J Spanish", (const uint32_t[]){
	    0x0050, 0x006f, 0x0072, 0x0071, 0x0075, 0x00e9, 0x006e, 0x006f,
	    0x0070, 0x0075, 0x0065, 0x0064, 0x0065, 0x006e, 0x0073, 0x0069,
	    0x006d, 0x0070, 0x006c, 0x0065, 0x006d, 0x0065, 0x006e, 0x0074,
	    0x0065, 0x0068, 0x0061, 0x0062, 0x006c, 0x0061, 0x0072, 0x0065,
	    0x006e, 0x0045, 0x0073, 0x0070, 0x0061, 0x00f1, 0x006f, 0x006c },
	  40, "PorqunopuedensimplementehablarenEspaol-fmd56a" },
	{ "K Vietnamese", (const uint32_t[]){
	    0x0054, 0x1ea1, 0x0069, 0x0073, 0x0061, 0x006f, 0x0068, 0x1ecd,
	    0x006b, 0x0068, 0x00f4, 0x006e, 0x0067, 0x0074, 0x0068, 0x1ec3,
	    0x0063, 0x0068, 0x1ec9, 0x006e, 0x00f3, 0x0069, 0x0074, 0x0069,
	    0x1ebf, 0x006e, 0x0067, 0x0056, 0x0069, 0x1ec7, 0x0074 },
	  31, "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g" },
	{ "L 3<nen>B<gumi><kinpachi><sensei>", (const uint32_t[]){
	    0x0033, 0x5e74, 0x0042, 0x7d44, 0x91d1, 0x516b, 0x5148, 0x751f },
	  8, "3B-ww4c5e180e575a65lsy2b" },
	{ "M <amuro><namie>-with-SUPER-MONKEYS", (const uint32_t[]){
	    0x5b89, 0x5ba4, 0x5948, 0x7f8e, 0x6075, 0x002d, 0x0077, 0x0069,
	    0x0074, 0x0068, 0x002d, 0x0053, 0x0055, 0x0050, 0x0045, 0x0052,
	    0x002d, 0x004d, 0x004f, 0x004e, 0x004b, 0x0045, 0x0059, 0x0053 },
	  24, "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n" },
	{ "N Hello-Another-Way-<sorezore><no><basho>", (const uint32_t[]){
	    0x0048, 0x0065, 0x006c, 0x006c, 0x006f, 0x002d, 0x0041, 0x006e,
	    0x006f, 0x0074, 0x0068, 0x0065, 0x0072, 0x002d, 0x0057, 0x0061,
	    0x0079, 0x002d, 0x305d, 0x308c, 0x305e, 0x308c, 0x306e, 0x5834,
	    0x6240 },
	  25, "Hello-Another-Way--fc4qua05auwb3674vfr0b" },
	{ "O <hitotsu><yane><no><shita>2", (const uint32_t[]){
	    0x3072, 0x3068, 0x3064, 0x5c4b, 0x6839, 0x306e, 0x4e0b, 0x0032 },
	  8, "2-u9tlzr9756bt3uc0v" },
	{ "P Maji<de>Koi<suru>5<byou><mae>", (const uint32_t[]){
	    0x004d, 0x0061, 0x006a, 0x0069, 0x3067, 0x004b, 0x006f, 0x0069,
	    0x3059, 0x308b, 0x0035, 0x79d2, 0x524d },
	  13, "MajiKoi5-783gue6qz075azm5e" },
	{ "Q <pafii>de<runba>", (const uint32_t[]){
	    0x30d1, 0x30d5, 0x30a3, 0x30fc, 0x0064, 0x0065, 0x30eb, 0x30f3,
	    0x30d0 },
	  9, "de-jg4avhby1noc0d" },
	{ "R <sono><supiido><de>", (const uint32_t[]){
	    0x305d, 0x306e, 0x30b9, 0x30d4, 0x30fc, 0x30c9, 0x3067 },
	  7, "d9juau41awczczp" },
	{ "S -> $1.00 <-", (const uint32_t[]){
	    0x002d, 0x003e, 0x0020, 0x0024, 0x0031, 0x002e, 0x0030, 0x0030,
	    0x0020, 0x003c, 0x002d },
	  11, "-> $1.00 <--" },
};

#define NVEC (sizeof(rfc3492) / sizeof(rfc3492[0]))

/*
 * The RFC prints the sample outputs with mixed-case annotations in the
 * digits; our encoder writes digits in lower case and basic code points as
 * given.  want_encoding() gives the exact expected bytes.
 */
static void
want_encoding(const char *puny, char *out, size_t outlen)
{
	const char *dash = strrchr(puny, '-');
	size_t i, basic = dash ? (size_t)(dash - puny) + 1 : 0;

	assert_true(strlen(puny) < outlen);
	for (i = 0; puny[i] != '\0'; i++)
		out[i] = i < basic ? puny[i] :
		    (char)((puny[i] >= 'A' && puny[i] <= 'Z') ?
		    puny[i] + 32 : puny[i]);
	out[i] = '\0';
}

static void
test_punycode_rfc3492_encode(void **state)
{
	char out[256], want[256];
	size_t i;

	(void)state;
	for (i = 0; i < NVEC; i++) {
		int n = punycode_encode(rfc3492[i].cp, rfc3492[i].n, out,
		    sizeof(out));

		want_encoding(rfc3492[i].puny, want, sizeof(want));
		if (n < 0 || strcmp(out, want) != 0)
			fail_msg("%s: got \"%s\" (%d), want \"%s\"",
			    rfc3492[i].what, out, n, want);
		assert_int_equal((size_t)n, strlen(want));
	}
}

static void
test_punycode_rfc3492_decode(void **state)
{
	uint32_t cp[128];
	char upper[256];
	size_t i, j, n;

	(void)state;
	for (i = 0; i < NVEC; i++) {
		const char *p = rfc3492[i].puny;

		n = 128;
		if (punycode_decode(p, strlen(p), cp, &n) != 0)
			fail_msg("%s: decode failed", rfc3492[i].what);
		assert_int_equal(n, rfc3492[i].n);
		for (j = 0; j < n; j++)
			assert_int_equal(cp[j], rfc3492[i].cp[j]);

		/* Digits in either case decode alike. */
		for (j = 0; p[j] != '\0'; j++)
			upper[j] = (p[j] >= 'a' && p[j] <= 'z') ?
			    (char)(p[j] - 32) : p[j];
		upper[j] = '\0';
		n = 128;
		assert_int_equal(punycode_decode(upper, j, cp, &n), 0);
		assert_int_equal(n, rfc3492[i].n);
	}
}

static void
test_punycode_errors(void **state)
{
	static const uint32_t surrogate[] = { 'a', 0xd800 };
	static const uint32_t too_big[] = { 0x110000 };
	static const uint32_t bucher[] = { 'b', 0xfc, 'c', 'h', 'e', 'r' };
	uint32_t cp[16];
	char out[16];
	size_t n;

	(void)state;
	assert_int_equal(punycode_encode(surrogate, 2, out, sizeof(out)), -1);
	assert_string_equal(out, "");
	assert_int_equal(punycode_encode(too_big, 1, out, sizeof(out)), -1);
	/* "bcher-kva" needs 10 bytes with its NUL. */
	assert_int_equal(punycode_encode(bucher, 6, out, 10), 9);
	assert_string_equal(out, "bcher-kva");
	assert_int_equal(punycode_encode(bucher, 6, out, 9), -1);
	assert_string_equal(out, "");
	assert_int_equal(punycode_encode(bucher, 6, out, 3), -1);
	assert_int_equal(punycode_encode(NULL, 0, out, 1), 0);
	assert_string_equal(out, "");

#define DECODE_FAILS(s) do {						\
	n = 16;								\
	if (punycode_decode((s), strlen(s), cp, &n) != -1)		\
		fail_msg("\"%s\" decoded", (s));			\
} while (0)
	DECODE_FAILS("bcher-kv!");		/* not a digit */
	DECODE_FAILS("z");			/* truncated number */
	DECODE_FAILS("-abc");			/* '-' is no digit */
	DECODE_FAILS("\xc3\xa9-kva");		/* non-basic before '-' */
	DECODE_FAILS("99999999999999");		/* overflow */
	DECODE_FAILS("zzzzzzzzzzzzzzzzzzzzzzzzzzzzza");	/* overflow */
	DECODE_FAILS("a-b!");
#undef DECODE_FAILS
	/* Valid numbers, code points that are not Unicode scalar values. */
	n = 16;
	assert_int_equal(punycode_decode("en32g", 5, cp, &n), -1); /* 110000 */
	n = 16;
	assert_int_equal(punycode_decode("ib9b", 4, cp, &n), -1);  /* D800 */
	n = 16;
	assert_int_equal(punycode_decode("zy0c", 4, cp, &n), -1);  /* DFFF */
	n = 16;
	assert_int_equal(punycode_decode("dn32g", 5, cp, &n), 0);  /* 10FFFF */
	assert_int_equal(n, 1);
	assert_int_equal(cp[0], 0x10ffff);
	n = 16;
	assert_int_equal(punycode_decode("0y0c", 4, cp, &n), 0);   /* E000 */
	assert_int_equal(cp[0], 0xe000);
	/* Capacity. */
	n = 5;
	assert_int_equal(punycode_decode("bcher-kva", 9, cp, &n), -1);
	n = 6;
	assert_int_equal(punycode_decode("bcher-kva", 9, cp, &n), 0);
	assert_int_equal(n, 6);
	assert_int_equal(cp[1], 0xfc);
	n = 16;
	assert_int_equal(punycode_decode("", 0, cp, &n), 0);
	assert_int_equal(n, 0);
	n = 16;
	assert_int_equal(punycode_decode("abc-", 4, cp, &n), 0);
	assert_int_equal(n, 3);
}

/* ---- IDNA ToASCII -------------------------------------------------------- */

static void
assert_idna(const char *in, const char *want)
{
	char out[DNS_NAME_MAX + 1], err[128] = "";

	if (idna_to_ascii(in, out, sizeof(out), err, sizeof(err)) != 0)
		fail_msg("\"%s\" refused: %s", in, err);
	assert_string_equal(out, want);
}

static void
assert_idna_refused(const char *in, const char *reason_part)
{
	char out[DNS_NAME_MAX + 1], err[128] = "";

	if (idna_to_ascii(in, out, sizeof(out), err, sizeof(err)) != -1)
		fail_msg("\"%s\" accepted as \"%s\"", in, out);
	assert_string_equal(out, "");
	assert_true(err[0] != '\0');
	if (reason_part != NULL && strstr(err, reason_part) == NULL)
		fail_msg("\"%s\": reason \"%s\" lacks \"%s\"", in, err,
		    reason_part);
}

static void
test_idna_names(void **state)
{
	(void)state;
	assert_idna("bücher.example", "xn--bcher-kva.example");
	assert_idna("münchen.de", "xn--mnchen-3ya.de");
	assert_idna("例え.テスト", "xn--r8jz45g.xn--zckzah");
	assert_idna("例え。テスト", "xn--r8jz45g.xn--zckzah");	/* U+3002 */
	assert_idna("例え．テスト", "xn--r8jz45g.xn--zckzah");	/* U+FF0E */
	assert_idna("例え｡テスト", "xn--r8jz45g.xn--zckzah");	/* U+FF61 */
	assert_idna("Bücher.EXAMPLE", "xn--bcher-kva.example");
	assert_idna("bücher.example.", "xn--bcher-kva.example");
	assert_idna("bücher.example。", "xn--bcher-kva.example");
	assert_idna("пример.рф", "xn--e1afmkfd.xn--p1ai");
	/* ASCII passes through, lower-cased. */
	assert_idna("Example.ORG", "example.org");
	assert_idna("a", "a");
	assert_idna("under_score.example", "under_score.example");
	/* A-labels in the input are checked and kept. */
	assert_idna("xn--bcher-kva.example", "xn--bcher-kva.example");
	assert_idna("büc--her.example", "xn--bc--her-n2a.example");
	assert_idna("XN--BCHER-KVA.Example", "xn--bcher-kva.example");
	/* The longest label: 55 letters and one u-umlaut make 63 bytes. */
	assert_idna("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaü.x",
	    "xn--aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-8yf.x");
}

static void
test_idna_refused(void **state)
{
	char name[300], out[DNS_NAME_MAX + 1], err[64];

	(void)state;
	/* Strict UTF-8. */
	assert_idna_refused("b\xc3.example", "invalid UTF-8 at byte 2");
	assert_idna_refused("\x80.example", "invalid UTF-8 at byte 1");
	assert_idna_refused("a\xc0\xaf.example", "invalid UTF-8");	/* overlong '/' */
	assert_idna_refused("a\xc1\xbf", "invalid UTF-8");
	assert_idna_refused("a\xe0\x80\xaf", "invalid UTF-8");	/* overlong 3 */
	assert_idna_refused("a\xf0\x80\x80\xaf", "invalid UTF-8");	/* overlong 4 */
	assert_idna_refused("a\xed\xa0\x80", "invalid UTF-8");	/* U+D800 */
	assert_idna_refused("a\xed\xbf\xbf", "invalid UTF-8");	/* U+DFFF */
	assert_idna_refused("a\xf4\x90\x80\x80", "invalid UTF-8");	/* U+110000 */
	assert_idna_refused("a\xf5\x80\x80\x80", "invalid UTF-8");
	assert_idna_refused("a\xff", "invalid UTF-8");
	assert_idna_refused("a\xe4\xbe", "invalid UTF-8");	/* truncated */
	/* Empty names and labels. */
	assert_idna_refused("", "empty name");
	assert_idna_refused(".", "root");
	assert_idna_refused("。", "root");
	assert_idna_refused("a..b", "empty label");
	assert_idna_refused(".a", "empty label");
	assert_idna_refused("a..", "empty label");
	assert_idna_refused("bücher。。example", "empty label");
	/* Lengths after conversion. */
	assert_idna_refused(
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaü.x",
	    "longer than 63");
	memset(name, 'a', 64);
	strcpy(name + 64, ".example");
	assert_idna_refused(name, "longer than 63");
	/* After a good label: the output is still left empty (fuzzer find). */
	strcpy(name, "ok.");
	memset(name + 3, '0', 64);
	name[67] = '\0';
	assert_idna_refused(name, "longer than 63");
	memset(name, 0, sizeof(name));
	memset(name, 'a', 254);
	assert_idna_refused(name, "longer than 63");
	/* 4 labels of 62 + 3 dots = 251, plus "ü." ... = over 253. */
	snprintf(name, sizeof(name), "%.62s.%.62s.%.62s.%.62s.ü",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_idna_refused(name, "longer than 253");
	/* Label rules of an internationalised label. */
	assert_idna_refused("-bücher.example", "starts with a hyphen");
	assert_idna_refused("bücher-.example", "ends with a hyphen");
	assert_idna_refused("bü--cher.example", "third and fourth");
	assert_idna_refused("ab--cü.example", "third and fourth");
	assert_idna_refused("bü_cher.example", "not allowed");
	assert_idna_refused("bü cher.example", "not allowed");
	assert_idna_refused("a\xc2\xa0" "b\xc3\xbc.example", "U+00A0");
	assert_idna_refused("b\xe2\x80\x8d" "ü.example", "U+200D");	/* ZWJ */
	assert_idna_refused("\xef\xbb\xbf" "bücher.example", "U+FEFF");
	assert_idna_refused("ｅｘａｍｐｌｅ.com", "full-width");
	assert_idna_refused("a\xc2\x85" "b.example", "control");	/* NEL */
	assert_idna_refused("a\xee\x80\x80.example", "private-use");
	assert_idna_refused("a\xef\xb7\x90.example", "noncharacter");
	assert_idna_refused("a\xf4\x8f\xbf\xbf.example", NULL);	/* U+10FFFF */
	/* "xn--" labels must be real A-labels. */
	assert_idna_refused("xn--abc-.example", "plain ASCII");
	assert_idna_refused("xn--.example", "not valid Punycode");
	assert_idna_refused("xn--bcher-kv!.example", "not valid Punycode");
	assert_idna_refused("xn--a.example", "U+0080");
	assert_idna_refused("xn--bcher-kva-.example", NULL);
	/* Buffers. */
	assert_int_equal(idna_to_ascii("bücher.example", out, 10, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "output buffer too small");
	assert_int_equal(idna_to_ascii("bücher.example", out, sizeof(out),
	    NULL, 0), 0);
	assert_int_equal(idna_to_ascii("b\xc3", out, sizeof(out), NULL, 0), -1);
	assert_int_equal(idna_to_ascii("bücher.example", out, sizeof(out),
	    err, 5), 0);
	assert_int_equal(idna_to_ascii("a..b", out, sizeof(out), err, 5), -1);
	assert_string_equal(err, "empt");
}

static void
test_idna_to_unicode(void **state)
{
	char out[4 * DNS_NAME_MAX + 1], back[DNS_NAME_MAX + 1], err[128];

	(void)state;
	assert_int_equal(idna_to_unicode("xn--bcher-kva.example", out,
	    sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "bücher.example");
	assert_int_equal(idna_to_unicode("xn--r8jz45g.xn--zckzah", out,
	    sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "例え.テスト");
	assert_int_equal(idna_to_ascii(out, back, sizeof(back), err,
	    sizeof(err)), 0);
	assert_string_equal(back, "xn--r8jz45g.xn--zckzah");
	assert_int_equal(idna_to_unicode("plain.example", out, sizeof(out),
	    err, sizeof(err)), 0);
	assert_string_equal(out, "plain.example");
	assert_int_equal(idna_to_unicode("xn--abc-.example", out, sizeof(out),
	    err, sizeof(err)), -1);
	assert_int_equal(idna_to_unicode("xn--bcher-kva.example", out, 8,
	    err, sizeof(err)), -1);
	assert_string_equal(out, "");
}

/* ---- Domain lists -------------------------------------------------------- */

/* A loaded list and what was reported while loading it. */
struct loaded {
	struct scan_input	 in;
	char			*warn;
	size_t			 warnlen;
	int			 rc;
};

static void
load_opts(struct loaded *l, const void *data, size_t len,
    const struct scan_input_opts *base)
{
	struct scan_input_opts opts = { 0 };
	FILE *fp, *warn;

	if (base != NULL)
		opts = *base;
	warn = open_memstream(&l->warn, &l->warnlen);
	assert_non_null(warn);
	opts.warn = warn;
	/* fmemopen() refuses a size of 0: an empty file is /dev/null. */
	fp = len > 0 ? fmemopen((void *)(uintptr_t)data, len, "r") :
	    fopen("/dev/null", "r");
	assert_non_null(fp);
	l->rc = scan_input_load_stream(fp, "t.txt", &opts, &l->in);
	fclose(fp);
	fclose(warn);
}

static void
load(struct loaded *l, const char *text)
{
	load_opts(l, text, strlen(text), NULL);
}

static void
unload(struct loaded *l)
{
	scan_input_free(&l->in);
	free(l->warn);
	memset(l, 0, sizeof(*l));
}

static void
assert_names(const struct scan_input *in, const char *const *want, size_t n)
{
	size_t i;

	if (in->count != n) {
		for (i = 0; i < in->count; i++)
			print_message("  got %s\n", in->names[i]);
		fail_msg("%zu names, want %zu", in->count, n);
	}
	for (i = 0; i < n; i++)
		assert_string_equal(in->names[i], want[i]);
}

#define NAMES(...) (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)

static void
test_list_line_rules(void **state)
{
	struct loaded l = { 0 };

	(void)state;
	load(&l,
	    "# a domain list\n"
	    "example.org\n"
	    "\n"
	    "   \t  \n"
	    "  Mail.Example.NET.  \n"
	    "\tbücher.example\t# trailing comment\n"
	    "third.example# no blank before the comment\n"
	    "#commented.example\n"
	    "crlf.example\r\n"
	    "\r\n"
	    "lonecr.example\rnext.example\n"
	    "last.example");
	assert_int_equal(l.rc, 0);
	assert_names(&l.in, NAMES("example.org", "mail.example.net",
	    "xn--bcher-kva.example", "third.example", "crlf.example",
	    "lonecr.example", "next.example", "last.example"));
	assert_int_equal(l.in.lines, 13);
	assert_int_equal(l.in.invalid, 0);
	assert_int_equal(l.in.duplicates, 0);
	assert_string_equal(l.warn, "");
	unload(&l);

	/* A BOM on the first line only; CR CR LF is two line ends. */
	load(&l, "\xef\xbb\xbf" "bom.example\r\r\nb.example\n");
	assert_int_equal(l.rc, 0);
	assert_names(&l.in, NAMES("bom.example", "b.example"));
	assert_int_equal(l.in.lines, 3);
	unload(&l);
	load(&l, "a.example\n\xef\xbb\xbf" "b.example\n");
	assert_names(&l.in, NAMES("a.example"));
	assert_int_equal(l.in.invalid, 1);
	unload(&l);

	/* The top-list CSV "RANK,NAME". */
	load(&l, "1,google.com\n2, Facebook.com\n3,\n,x.example\n1a,y.example\n");
	assert_names(&l.in, NAMES("google.com", "facebook.com"));
	assert_int_equal(l.in.invalid, 3);
	assert_non_null(strstr(l.warn, "t.txt:3: no name after the rank"));
	unload(&l);
}

static void
test_list_invalid_lines(void **state)
{
	struct loaded l = { 0 };

	(void)state;
	load(&l,
	    "good.example\n"
	    "a..b\n"
	    "exa mple.org\n"
	    "under_score.example\n"
	    "192.0.2.1\n"
	    "-lead.example\n"
	    "b\xc3.example\n"
	    "\x1b[31mred.example\n"
	    ".\n"
	    "ok.example\n");
	assert_int_equal(l.rc, 0);
	assert_names(&l.in, NAMES("good.example", "ok.example"));
	assert_int_equal(l.in.lines, 10);
	assert_int_equal(l.in.invalid, 8);
	assert_string_equal(l.warn,
	    "t.txt:2: empty label (\"a..b\")\n"
	    "t.txt:3: blank inside the name (one name per line) "
	    "(\"exa mple.org\")\n"
	    "t.txt:4: character not allowed in a host name (letters, digits, "
	    "hyphen) (\"under_score.example\")\n"
	    "t.txt:5: an IP address, not a domain name (\"192.0.2.1\")\n"
	    "t.txt:6: label starts with a hyphen (\"-lead.example\")\n"
	    "t.txt:7: invalid UTF-8 at byte 2 (\"b?.example\")\n"
	    "t.txt:8: character not allowed in a host name (letters, digits, "
	    "hyphen) (\"?[31mred.example\")\n"
	    "t.txt:9: the root is not a mail domain (\".\")\n");
	unload(&l);
}

static void
test_list_hostile(void **state)
{
	struct scan_input_opts opts = { 0 };
	struct loaded l = { 0 };
	size_t biglen = 3 * 64 * 1024 + 17, i;
	char *big = malloc(biglen + 64);
	static const char nul[] = "a.example\0b.example\nc.example\n"
	    "\0\nd.example # \0 in a comment\ne.example";

	(void)state;
	assert_non_null(big);

	/* 4096 bytes is a line; 4097 is not.  Both end in a comment. */
	memset(big, ' ', 4096);
	memcpy(big, "max.example #", 13);
	big[4096] = '\n';
	memset(big + 4097, ' ', 4097);
	memcpy(big + 4097, "over.example #", 14);
	memcpy(big + 2 * 4097, "\nnext.example\n", 15);
	load(&l, big);
	assert_names(&l.in, NAMES("max.example", "next.example"));
	assert_int_equal(l.in.lines, 3);
	assert_int_equal(l.in.invalid, 1);
	assert_non_null(strstr(l.warn, "t.txt:2: line longer than 4096 bytes "
	    "(\"over.example #"));
	unload(&l);

	/* A line far longer than the read buffer, no newline inside. */
	memset(big, 'a', biglen);
	memcpy(big + biglen, "\r\nafter.example", 16);
	load(&l, big);
	assert_names(&l.in, NAMES("after.example"));
	assert_int_equal(l.in.lines, 2);
	assert_int_equal(l.in.invalid, 1);
	unload(&l);

	/* The same without any line ending at all. */
	load_opts(&l, big, biglen, NULL);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.in.count, 0);
	assert_int_equal(l.in.lines, 1);
	assert_int_equal(l.in.invalid, 1);
	unload(&l);

	/* LF, then CRLFs, one split by the 64 KiB read buffer, then a CR. */
	for (i = 0; i < biglen; i++)
		big[i] = i % 2 ? '\r' : '\n';
	load_opts(&l, big, biglen, NULL);
	assert_int_equal(l.in.lines, (biglen + 1) / 2);
	assert_int_equal(l.in.invalid, 0);
	unload(&l);

	/* NUL bytes: the line is invalid, wherever the NUL is. */
	load_opts(&l, nul, sizeof(nul) - 1, NULL);
	assert_names(&l.in, NAMES("c.example", "e.example"));
	assert_int_equal(l.in.lines, 5);
	assert_int_equal(l.in.invalid, 3);
	assert_string_equal(l.warn,
	    "t.txt:1: NUL byte in the line (\"a.example?b.example\")\n"
	    "t.txt:3: NUL byte in the line (\"?\")\n"
	    "t.txt:4: NUL byte in the line (\"d.example # ? in a comment\")\n");
	unload(&l);

	/* Empty input, a lone newline, only comments. */
	load_opts(&l, "", 0, NULL);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.in.count, 0);
	assert_int_equal(l.in.lines, 0);
	assert_string_equal(l.in.sha256, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	unload(&l);
	load(&l, "\n");
	assert_int_equal(l.in.lines, 1);
	assert_int_equal(l.in.count, 0);
	unload(&l);
	load(&l, "\r");
	assert_int_equal(l.in.lines, 1);
	unload(&l);
	load(&l, "# nothing\n#\n");
	assert_int_equal(l.in.lines, 2);
	assert_int_equal(l.in.count, 0);
	unload(&l);

	/* warn_limit: the first N, then a count. */
	opts.warn_limit = 2;
	load_opts(&l, "a..b\nc..d\ne..f\nok.example\ng..h\n", 31, &opts);
	assert_int_equal(l.in.invalid, 4);
	assert_string_equal(l.warn,
	    "t.txt:1: empty label (\"a..b\")\n"
	    "t.txt:2: empty label (\"c..d\")\n"
	    "t.txt: 2 more invalid lines not shown\n");
	unload(&l);
	free(big);
}

static void
test_list_duplicates_and_hash(void **state)
{
	struct loaded l = { 0 }, again = { 0 };

	(void)state;
	load(&l,
	    "example.org\n"
	    "xn--bcher-kva.example\n"
	    "EXAMPLE.ORG\n"
	    "example.org.\n"
	    "bücher.example\n"
	    "mail.example.net\n"
	    "  example.org  # again\n");
	assert_int_equal(l.rc, 0);
	assert_names(&l.in, NAMES("example.org", "xn--bcher-kva.example",
	    "mail.example.net"));
	assert_int_equal(l.in.duplicates, 4);
	/* sha256("example.org\nxn--bcher-kva.example\nmail.example.net\n") */
	assert_string_equal(l.in.sha256,
	    "3ccca23104d22e00af4cc28b35b03a105188e6a2abc5f0d6d04783bdc0756cda");
	/* The store's digest of the same list is the same identity. */
	{
		char hex[STORE_SHA256_HEX];

		assert_int_equal(store_digest_names((const char *const *)
		    l.in.names, l.in.count, hex), 0);
		assert_string_equal(hex, l.in.sha256);
	}

	/* Comments, case, blanks, invalid lines and repeats: same identity. */
	load(&again, "# v2\nExample.Org\n\nxn--bcher-kva.example\nbad..name\n"
	    "example.org\nmail.example.net.\n");
	assert_string_equal(again.in.sha256, l.in.sha256);
	unload(&again);
	/* Another order: another scan. */
	load(&again, "xn--bcher-kva.example\nexample.org\nmail.example.net\n");
	assert_string_not_equal(again.in.sha256, l.in.sha256);
	unload(&again);
	unload(&l);
}

/* A generated list: n names, every 10th repeated, "x" names excluded. */
static char *
generated_list(size_t n, size_t *len)
{
	char *buf = malloc(n * 40 + 1);
	size_t i, o = 0;

	assert_non_null(buf);
	for (i = 0; i < n; i++) {
		o += (size_t)sprintf(buf + o, "%s%zu.example\n",
		    i % 17 == 0 ? "x" : "d", i);
		if (i % 10 == 9)
			o += (size_t)sprintf(buf + o, "%s%zu.Example.\n",
			    (i - 5) % 17 == 0 ? "X" : "D", i - 5);
	}
	*len = o;
	return buf;
}

static void
test_list_shards(void **state)
{
	static const unsigned counts[] = { 1, 2, 3, 7, 16 };
	struct scan_exclude *ex = scan_exclude_new();
	struct scan_input_opts opts = { 0 };
	struct loaded whole = { 0 }, part = { 0 };
	const char *why = NULL;
	size_t len, c, n = 2000;
	char *list = generated_list(n, &len);

	(void)state;
	assert_non_null(ex);
	for (c = 0; c < n; c += 17) {
		char name[32];

		snprintf(name, sizeof(name), "x%zu.example", c);
		assert_int_equal(scan_exclude_add(ex, name, &why), 0);
	}
	opts.exclude = ex;
	load_opts(&whole, list, len, &opts);
	assert_int_equal(whole.rc, 0);
	assert_int_equal(whole.in.excluded, (n + 16) / 17);
	assert_int_equal(whole.in.duplicates, n / 10);
	assert_int_equal(whole.in.count, n - (n + 16) / 17);
	assert_int_equal(whole.in.other_shard, 0);

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		unsigned k = counts[c], i;
		size_t kept = 0, dups = 0, excl = 0;
		size_t *pos = calloc(whole.in.count, sizeof(*pos));
		size_t j;

		assert_non_null(pos);
		for (i = 0; i < k; i++) {
			size_t next = 0;

			opts.shard_index = i;
			opts.shard_count = k;
			load_opts(&part, list, len, &opts);
			assert_int_equal(part.rc, 0);
			assert_int_equal(part.in.lines, whole.in.lines);
			kept += part.in.count;
			dups += part.in.duplicates;
			excl += part.in.excluded;
			assert_int_equal(part.in.count + part.in.duplicates +
			    part.in.excluded + part.in.other_shard,
			    whole.in.count + whole.in.duplicates +
			    whole.in.excluded);
			/* Balanced within 30% of an even split. */
			assert_true(part.in.count * k * 10 >= whole.in.count * 7);
			assert_true(part.in.count * k * 10 <= whole.in.count * 13);
			/*
			 * Each shard is a subsequence of the whole list, in
			 * the same order, and no name is in two shards.
			 */
			for (j = 0; j < part.in.count; j++) {
				while (next < whole.in.count &&
				    strcmp(whole.in.names[next],
				    part.in.names[j]) != 0)
					next++;
				assert_true(next < whole.in.count);
				assert_int_equal(pos[next], 0);
				pos[next] = i + 1;
				assert_int_equal(scan_shard_key(
				    part.in.names[j]) % k, i);
			}
			unload(&part);
		}
		/* The union is the whole list. */
		assert_int_equal(kept, whole.in.count);
		for (j = 0; j < whole.in.count; j++)
			assert_true(pos[j] != 0);
		assert_int_equal(dups, whole.in.duplicates);
		assert_int_equal(excl, whole.in.excluded);
		free(pos);
	}

	/* An index out of range is an error, not an empty shard. */
	opts.shard_index = 4;
	opts.shard_count = 4;
	load_opts(&part, list, len, &opts);
	assert_int_equal(part.rc, -1);
	assert_int_equal(part.in.count, 0);
	assert_non_null(strstr(part.warn, "t.txt: shard 4/4"));
	unload(&part);

	unload(&whole);
	scan_exclude_free(ex);
	free(list);
}

static void
test_shard_key_and_parse(void **state)
{
	unsigned i = 99, n = 99;
	const char *why = NULL;

	(void)state;
	/* The documented formula, as Python computes it. */
	assert_true(scan_shard_key("example.org") == 0xbfabc37432958b06ULL);

	assert_int_equal(scan_shard_parse("0/1", &i, &n, &why), 0);
	assert_int_equal(i, 0);
	assert_int_equal(n, 1);
	assert_int_equal(scan_shard_parse("3/4", &i, &n, &why), 0);
	assert_int_equal(i, 3);
	assert_int_equal(n, 4);
	assert_int_equal(scan_shard_parse("65535/65536", &i, &n, &why), 0);
	i = n = 99;
	assert_int_equal(scan_shard_parse("4/4", &i, &n, &why), -1);
	assert_non_null(strstr(why, "0 to n-1"));
	assert_int_equal(i, 99);
	assert_int_equal(scan_shard_parse("0/0", &i, &n, &why), -1);
	assert_int_equal(scan_shard_parse("0/65537", &i, &n, &why), -1);
	assert_int_equal(scan_shard_parse("99999999999999999999/3", &i, &n,
	    &why), -1);
	assert_int_equal(scan_shard_parse("", &i, &n, &why), -1);
	assert_int_equal(scan_shard_parse("1", &i, &n, &why), -1);
	assert_int_equal(scan_shard_parse("1/", &i, &n, &why), -1);
	assert_int_equal(scan_shard_parse("/2", &i, &n, &why), -1);
	assert_int_equal(scan_shard_parse("-1/2", &i, &n, &why), -1);
	assert_int_equal(scan_shard_parse(" 1/2", &i, &n, &why), -1);
	assert_int_equal(scan_shard_parse("1/2 ", &i, &n, &why), -1);
	assert_int_equal(scan_shard_parse("1/2/3", &i, &n, &why), -1);
	assert_int_equal(scan_shard_parse("1:2", &i, &n, &why), -1);
}

static void
test_list_files(void **state)
{
	struct scan_input_opts opts = { 0 };
	struct scan_input in;
	char path[] = "/tmp/test_scan_input.XXXXXX";
	char *warn = NULL;
	size_t warnlen = 0;
	int fd;

	(void)state;
	opts.warn = open_memstream(&warn, &warnlen);
	assert_non_null(opts.warn);
	assert_int_equal(scan_input_load("/nonexistent/list.txt", &opts, &in),
	    -1);
	assert_int_equal(in.count, 0);
	assert_null(in.names);
	assert_int_equal(scan_input_load("/", &opts, &in), -1);
	scan_input_free(&in);
	scan_input_free(&in);		/* twice is fine */

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "one.example\ntwo.example", 23), 23);
	close(fd);
	assert_int_equal(scan_input_load(path, &opts, &in), 0);
	assert_names(&in, NAMES("one.example", "two.example"));
	scan_input_free(&in);
	assert_int_equal(scan_input_load(path, NULL, &in), 0);
	assert_int_equal(in.count, 2);
	scan_input_free(&in);
	unlink(path);

	fclose(opts.warn);
	/* One line per failure, nothing else. */
	assert_string_equal(warn,
	    "/nonexistent/list.txt: No such file or directory\n"
	    "/: read error after line 0: Is a directory\n");
	free(warn);
}

/* ---- Exclude lists ------------------------------------------------------- */

static struct netaddr
addr(const char *text)
{
	struct netaddr a;

	if (netaddr_from_text(text, &a) != 0)
		fail_msg("bad test address %s", text);
	return a;
}

static int
excluded_addr(const struct scan_exclude *ex, const char *text)
{
	struct netaddr a = addr(text);

	return scan_exclude_address(ex, &a);
}

static struct scan_exclude *
exclude_from(const char *text, int want_rc, char **errout)
{
	struct scan_exclude *ex = scan_exclude_new();
	FILE *fp = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	char *err = NULL;
	size_t errlen = 0;
	FILE *ef = open_memstream(&err, &errlen);
	int rc;

	assert_non_null(ex);
	assert_non_null(fp);
	assert_non_null(ef);
	rc = scan_exclude_load_stream(ex, fp, "ex.txt", ef);
	fclose(fp);
	fclose(ef);
	if (rc != want_rc)
		fail_msg("load gave %d, want %d: %s", rc, want_rc, err);
	if (errout != NULL)
		*errout = err;
	else
		free(err);
	return ex;
}

/* The exclude list's identity: its entries, not their spelling or order. */
static void
test_exclude_digest(void **state)
{
	struct scan_exclude *a, *b;
	char da[65], db[65];

	(void)state;
	a = exclude_from(
	    "example.org\n"
	    "bücher.example\n"
	    "mx:mx.example.net\n"
	    "192.0.2.7/24\n"
	    "2001:db8::/32\n", 0, NULL);
	b = exclude_from(
	    "# reordered, respelled, repeated\n"
	    "2001:DB8::1/32\n"
	    "MX: MX.Example.Net.\n"
	    "*.EXAMPLE.org\n"
	    "::ffff:192.0.2.0/120\n"
	    "xn--bcher-kva.example\n"
	    "example.org\n", 0, NULL);
	assert_int_equal(scan_exclude_digest(a, da), 0);
	assert_int_equal(scan_exclude_digest(b, db), 0);
	/* sha256 of the sorted canonical entries, each with "\n". */
	assert_string_equal(da,
	    "5f1845fa026efd92dbff111bd119dcc720e5e5898b1bff6b6beaba8f23cd29d1");
	assert_string_equal(db, da);
	/* One entry more: another identity. */
	assert_int_equal(scan_exclude_add(b, "198.51.100.1", &(const char *){
	    NULL }), 0);
	assert_int_equal(scan_exclude_digest(b, db), 0);
	assert_string_not_equal(db, da);
	/* "mx:" is not the same entry as the plain name. */
	scan_exclude_free(b);
	b = exclude_from("example.org\nbücher.example\nmx.example.net\n"
	    "192.0.2.0/24\n2001:db8::/32\n", 0, NULL);
	assert_int_equal(scan_exclude_digest(b, db), 0);
	assert_string_not_equal(db, da);
	/* Empty: the digest of nothing. */
	assert_int_equal(scan_exclude_digest(NULL, db), 0);
	assert_string_equal(db, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	scan_exclude_free(a);
	scan_exclude_free(b);
}

static void
test_exclude_names(void **state)
{
	struct scan_exclude *ex;

	(void)state;
	ex = exclude_from(
	    "# operators who asked\n"
	    "example.org\n"
	    "*.Example.NET.   # same as example.net\n"
	    "bücher.example\n"
	    "mx:mx.provider.example\n"
	    "MX: mail.other.example\n"
	    "example.org\n", 0, NULL);
	assert_int_equal(scan_exclude_count(ex), 5);

	/* A name entry: the domain and below, as domain and as MX host. */
	assert_true(scan_exclude_domain(ex, "example.org"));
	assert_true(scan_exclude_domain(ex, "EXAMPLE.org."));
	assert_true(scan_exclude_domain(ex, "a.b.example.org"));
	assert_false(scan_exclude_domain(ex, "notexample.org"));
	assert_false(scan_exclude_domain(ex, "org"));
	assert_false(scan_exclude_domain(ex, "example.org.evil"));
	assert_false(scan_exclude_domain(ex, "example.orga"));
	assert_true(scan_exclude_domain(ex, "example.net"));
	assert_true(scan_exclude_domain(ex, "www.example.net"));
	assert_true(scan_exclude_domain(ex, "xn--bcher-kva.example"));
	assert_true(scan_exclude_domain(ex, "sub.xn--bcher-kva.example"));
	assert_true(scan_exclude_mx_host(ex, "mail.example.org"));
	assert_true(scan_exclude_mx_host(ex, "mx1.example.net."));

	/* mx: entries: MX hosts and below, never domains. */
	assert_true(scan_exclude_mx_host(ex, "mx.provider.example"));
	assert_true(scan_exclude_mx_host(ex, "a.mx.provider.example"));
	assert_true(scan_exclude_mx_host(ex, "Mail.Other.Example."));
	assert_false(scan_exclude_mx_host(ex, "provider.example"));
	assert_false(scan_exclude_mx_host(ex, "mx2.provider.example"));
	assert_false(scan_exclude_domain(ex, "mx.provider.example"));
	assert_false(scan_exclude_domain(ex, "provider.example"));

	/* Odd queries. */
	assert_false(scan_exclude_domain(ex, ""));
	assert_false(scan_exclude_domain(ex, "."));
	assert_false(scan_exclude_domain(ex, ".."));
	assert_true(scan_exclude_domain(ex, ".example.org"));
	assert_true(scan_exclude_mx_host(ex, "under_score.example.org"));
	assert_false(scan_exclude_domain(NULL, "example.org"));
	assert_false(scan_exclude_mx_host(NULL, "example.org"));
	assert_int_equal(scan_exclude_count(NULL), 0);
	{
		/* A name too long for DNS still matches by its suffix. */
		char big[400];

		memset(big, 'a', sizeof(big));
		memcpy(big + 300, ".example.org", 13);
		big[150] = '.';
		assert_true(scan_exclude_domain(ex, big));
		big[150] = 'a';
		assert_true(scan_exclude_domain(ex, big));
		memcpy(big + 300, ".example.com", 13);
		assert_false(scan_exclude_domain(ex, big));
	}
	scan_exclude_free(ex);
	scan_exclude_free(NULL);
}

static void
test_exclude_networks(void **state)
{
	struct scan_exclude *ex;
	struct netaddr bad = { 0 };

	(void)state;
	ex = exclude_from(
	    "192.0.2.7\n"
	    "198.51.100.128/25\n"
	    "203.0.113.9/24      # host bits ignored: 203.0.113.0/24\n"
	    "10.0.0.0/7\n"
	    "100.64.0.1/32\n"
	    "2001:db8::/32\n"
	    "2001:db9:8000::/33\n"
	    "2001:dba::1\n"
	    "2001:dbb::/127\n"
	    "::ffff:172.16.0.0/108\n", 0, NULL);
	assert_int_equal(scan_exclude_count(ex), 10);

	assert_true(excluded_addr(ex, "192.0.2.7"));
	assert_false(excluded_addr(ex, "192.0.2.6"));
	assert_false(excluded_addr(ex, "192.0.2.8"));

	assert_false(excluded_addr(ex, "198.51.100.127"));
	assert_true(excluded_addr(ex, "198.51.100.128"));
	assert_true(excluded_addr(ex, "198.51.100.255"));
	assert_false(excluded_addr(ex, "198.51.101.0"));

	assert_true(excluded_addr(ex, "203.0.113.0"));
	assert_true(excluded_addr(ex, "203.0.113.255"));
	assert_false(excluded_addr(ex, "203.0.112.255"));
	assert_false(excluded_addr(ex, "203.0.114.0"));

	assert_false(excluded_addr(ex, "9.255.255.255"));
	assert_true(excluded_addr(ex, "10.0.0.0"));
	assert_true(excluded_addr(ex, "11.255.255.255"));
	assert_false(excluded_addr(ex, "12.0.0.0"));

	assert_true(excluded_addr(ex, "100.64.0.1"));
	assert_false(excluded_addr(ex, "100.64.0.0"));

	assert_true(excluded_addr(ex, "2001:db8::"));
	assert_true(excluded_addr(ex, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
	assert_false(excluded_addr(ex, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"));
	assert_false(excluded_addr(ex, "2001:db9:7fff:ffff:ffff:ffff:ffff:ffff"));
	assert_true(excluded_addr(ex, "2001:db9:8000::"));
	assert_true(excluded_addr(ex, "2001:db9:ffff:ffff:ffff:ffff:ffff:ffff"));
	assert_true(excluded_addr(ex, "2001:dba::1"));
	assert_false(excluded_addr(ex, "2001:dba::"));
	assert_false(excluded_addr(ex, "2001:dba::2"));
	assert_true(excluded_addr(ex, "2001:dbb::"));
	assert_true(excluded_addr(ex, "2001:dbb::1"));
	assert_false(excluded_addr(ex, "2001:dbb::2"));

	/* IPv4-mapped: the IPv4 rules, both ways. */
	assert_true(excluded_addr(ex, "::ffff:192.0.2.7"));
	assert_false(excluded_addr(ex, "::ffff:192.0.2.8"));
	assert_true(excluded_addr(ex, "172.16.0.1"));
	assert_true(excluded_addr(ex, "172.31.255.255"));
	assert_false(excluded_addr(ex, "172.32.0.0"));
	assert_true(excluded_addr(ex, "::ffff:172.20.1.1"));
	/* The same bytes as IPv4-compatible (not mapped) are not IPv4. */
	assert_false(excluded_addr(ex, "::192.0.2.7"));

	/* Names are not addresses and addresses are not names. */
	assert_false(scan_exclude_domain(ex, "192.0.2.7"));
	bad.family = AF_UNIX;
	assert_false(scan_exclude_address(ex, &bad));
	assert_false(scan_exclude_address(ex, NULL));
	assert_false(scan_exclude_address(NULL, &bad));
	scan_exclude_free(ex);

	/* /0 covers a whole family, and only that family. */
	ex = exclude_from("0.0.0.0/0\n", 0, NULL);
	assert_true(excluded_addr(ex, "0.0.0.0"));
	assert_true(excluded_addr(ex, "255.255.255.255"));
	assert_true(excluded_addr(ex, "::ffff:1.2.3.4"));
	assert_false(excluded_addr(ex, "2001:db8::1"));
	scan_exclude_free(ex);
	ex = exclude_from("::/0\n", 0, NULL);
	assert_true(excluded_addr(ex, "2001:db8::1"));
	assert_true(excluded_addr(ex, "::"));
	assert_false(excluded_addr(ex, "192.0.2.1"));
	assert_true(excluded_addr(ex, "::ffff:192.0.2.1"));
	scan_exclude_free(ex);
}

static void
test_exclude_errors_are_fatal(void **state)
{
	struct scan_exclude *ex;
	char *err = NULL, *big;
	const char *why = NULL;

	(void)state;
	ex = exclude_from(
	    "good.example\n"
	    "192.0.2.0/33\n"
	    "2001:db8::/129\n"
	    "192.0.2.0/\n"
	    "192.0.2.0/2x\n"
	    "300.1.1.1/8\n"
	    "mx:\n"
	    "exa_mple.org\n"
	    "a..b\n"
	    "b\xc3.example\n"
	    "*\n"
	    "192.0.2.0/0024\n"
	    "also-good.example\n", -1, &err);
	assert_string_equal(err,
	    "ex.txt:2: an IPv4 prefix length is at most 32 (\"192.0.2.0/33\")\n"
	    "ex.txt:3: an IPv6 prefix length is at most 128 "
	    "(\"2001:db8::/129\")\n"
	    "ex.txt:4: the prefix length after '/' is not a number "
	    "(\"192.0.2.0/\")\n"
	    "ex.txt:5: the prefix length after '/' is not a number "
	    "(\"192.0.2.0/2x\")\n"
	    "ex.txt:6: not an IP address before the '/' (\"300.1.1.1/8\")\n"
	    "ex.txt:7: \"mx:\" without a host name (\"mx:\")\n"
	    "ex.txt:8: character not allowed in a host name (letters, "
	    "digits, hyphen) (\"exa_mple.org\")\n"
	    "ex.txt:9: empty label (\"a..b\")\n"
	    "ex.txt:10: invalid UTF-8 at byte 2 (\"b?.example\")\n"
	    "ex.txt:11: character not allowed in a host name (letters, "
	    "digits, hyphen) (\"*\")\n"
	    "ex.txt:12: the prefix length after '/' is not a number "
	    "(\"192.0.2.0/0024\")\n");
	free(err);
	/* The good entries are there (the caller stops anyway). */
	assert_true(scan_exclude_domain(ex, "good.example"));
	assert_true(scan_exclude_domain(ex, "also-good.example"));
	assert_int_equal(scan_exclude_count(ex), 2);

	/* scan_exclude_add() alone. */
	assert_int_equal(scan_exclude_add(ex, "2001:db8::/128", &why), 0);
	assert_int_equal(scan_exclude_add(ex, "bü_x.example", &why), -1);
	assert_non_null(strstr(why, "not allowed"));
	assert_int_equal(scan_exclude_add(ex, "", &why), -1);
	scan_exclude_free(ex);

	/* Long lines and NUL bytes. */
	big = malloc(5000 + 32);
	assert_non_null(big);
	memset(big, 'a', 5000);
	strcpy(big + 5000, "\nok.example\n");
	ex = exclude_from(big, -1, &err);
	assert_non_null(strstr(err, "ex.txt:1: line longer than 4096 bytes"));
	assert_true(scan_exclude_domain(ex, "ok.example"));
	free(err);
	scan_exclude_free(ex);
	free(big);
	{
		static const char nul[] = "a.example\0\nb.example\n";
		FILE *fp = fmemopen((void *)(uintptr_t)nul, sizeof(nul) - 1,
		    "r");
		char *e = NULL;
		size_t elen = 0;
		FILE *ef = open_memstream(&e, &elen);

		ex = scan_exclude_new();
		assert_int_equal(scan_exclude_load_stream(ex, fp, "n", ef), -1);
		fclose(fp);
		fclose(ef);
		assert_string_equal(e, "n:1: NUL byte in the line "
		    "(\"a.example?\")\n");
		free(e);
		scan_exclude_free(ex);
	}

	/* An unreadable file. */
	ex = scan_exclude_new();
	assert_int_equal(scan_exclude_load(ex, "/nonexistent/ex.txt", NULL),
	    -1);
	scan_exclude_free(ex);

	/* An empty file is fine: nobody opted out yet. */
	ex = exclude_from("# nobody yet\n\n", 0, NULL);
	assert_int_equal(scan_exclude_count(ex), 0);
	assert_false(scan_exclude_domain(ex, "example.org"));
	assert_false(excluded_addr(ex, "192.0.2.1"));
	scan_exclude_free(ex);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_punycode_rfc3492_encode),
		cmocka_unit_test(test_punycode_rfc3492_decode),
		cmocka_unit_test(test_punycode_errors),
		cmocka_unit_test(test_idna_names),
		cmocka_unit_test(test_idna_refused),
		cmocka_unit_test(test_idna_to_unicode),
		cmocka_unit_test(test_list_line_rules),
		cmocka_unit_test(test_list_invalid_lines),
		cmocka_unit_test(test_list_hostile),
		cmocka_unit_test(test_list_duplicates_and_hash),
		cmocka_unit_test(test_list_shards),
		cmocka_unit_test(test_shard_key_and_parse),
		cmocka_unit_test(test_list_files),
		cmocka_unit_test(test_exclude_names),
		cmocka_unit_test(test_exclude_digest),
		cmocka_unit_test(test_exclude_networks),
		cmocka_unit_test(test_exclude_errors_are_fatal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
