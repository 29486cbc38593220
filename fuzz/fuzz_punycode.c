/*
 * fuzz_punycode.c - libFuzzer target for Punycode and IDNA ToASCII
 * (util/punycode.h).
 *
 * The same input is used three ways:
 *   1. as a name (up to its first NUL) for idna_to_ascii();
 *   2. as Punycode for punycode_decode();
 *   3. as code points (3 bytes each, reduced into U+0000..U+10FFFF) for
 *      punycode_encode().
 *
 * Oracles beyond "no crash":
 *   - idna_to_ascii() refuses exactly the names a reference RFC 3629 check
 *     calls bad UTF-8, with "invalid UTF-8"; on success the output is ASCII,
 *     lower case, at most 253 bytes, labels of 1..63 bytes, no trailing
 *     dot; every "xn--" label decodes to a label with a non-ASCII code point
 *     and encodes back to itself; the output is a fixed point; the output
 *     survives idna_to_unicode() and back unchanged; an ASCII input without
 *     "xn--" labels comes out lower-cased with one trailing dot dropped;
 *   - whatever punycode_decode() accepts, punycode_encode() gives back
 *     byte for byte (digits lower-cased): the encoding is unique;
 *   - whatever punycode_encode() accepts, punycode_decode() gives back;
 *     it refuses exactly the surrogates (and too small buffers).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns_name.h"
#include "util/punycode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

#define MAX_CP 256

/*
 * ref_utf8_ok - RFC 3629 / Unicode Table 3-7 well-formed byte sequences,
 * written from the table rather than from punycode.c's decoder.
 */
static int
ref_utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char a = s[i];
		size_t need;
		unsigned char lo = 0x80, hi = 0xbf;

		if (a <= 0x7f) {
			i++;
			continue;
		}
		if (a >= 0xc2 && a <= 0xdf)
			need = 1;
		else if (a == 0xe0) {
			need = 2;
			lo = 0xa0;
		} else if ((a >= 0xe1 && a <= 0xec) || a == 0xee || a == 0xef)
			need = 2;
		else if (a == 0xed) {
			need = 2;
			hi = 0x9f;
		} else if (a == 0xf0) {
			need = 3;
			lo = 0x90;
		} else if (a >= 0xf1 && a <= 0xf3)
			need = 3;
		else if (a == 0xf4) {
			need = 3;
			hi = 0x8f;
		} else
			return 0;
		if (i + need >= n)
			return 0;	/* truncated */
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (size_t k = 2; k <= need; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return 0;
		i += need + 1;
	}
	return 1;
}

static void
check_labels(const char *out)
{
	size_t n = strlen(out), i, start = 0;

	CHECK(n >= 1 && n <= DNS_NAME_MAX);
	CHECK(out[n - 1] != '.');
	for (i = 0; i <= n; i++) {
		if (i < n && out[i] != '.') {
			CHECK((unsigned char)out[i] < 0x80);
			CHECK(!(out[i] >= 'A' && out[i] <= 'Z'));
			continue;
		}
		/* The label out[start..i). */
		CHECK(i > start && i - start <= DNS_LABEL_MAX);
		if (i - start >= 4 && strncmp(out + start, "xn--", 4) == 0) {
			uint32_t cp[MAX_CP];
			size_t cn = MAX_CP, k;
			char again[DNS_LABEL_MAX + 1];
			int non_ascii = 0, e;

			CHECK(punycode_decode(out + start + 4, i - start - 4,
			    cp, &cn) == 0);
			for (k = 0; k < cn; k++)
				non_ascii |= cp[k] >= 0x80;
			CHECK(non_ascii);
			CHECK(cp[0] != '-' && cp[cn - 1] != '-');
			e = punycode_encode(cp, cn, again, sizeof(again));
			CHECK(e >= 0 && (size_t)e == i - start - 4);
			CHECK(memcmp(again, out + start + 4, (size_t)e) == 0);
		}
		start = i + 1;
	}
}

static void
check_idna(const char *name, size_t len)
{
	char out[DNS_NAME_MAX + 1], again[DNS_NAME_MAX + 1], err[128];
	char uni[4 * DNS_NAME_MAX + 1];
	int rc, ascii = 1, has_ace = 0;
	size_t i;

	err[0] = '\0';
	rc = idna_to_ascii(name, out, sizeof(out), err, sizeof(err));
	CHECK(rc == 0 || rc == -1);
	if (!ref_utf8_ok((const unsigned char *)name, len)) {
		CHECK(rc == -1);
		CHECK(strncmp(err, "invalid UTF-8 at byte ", 22) == 0);
	}
	if (rc == -1) {
		CHECK(err[0] != '\0');
		CHECK(out[0] == '\0');
		if (ref_utf8_ok((const unsigned char *)name, len))
			CHECK(strstr(err, "invalid UTF-8") == NULL);
		return;
	}
	check_labels(out);

	CHECK(idna_to_ascii(out, again, sizeof(again), err, sizeof(err)) == 0);
	CHECK(strcmp(out, again) == 0);

	CHECK(idna_to_unicode(out, uni, sizeof(uni), err, sizeof(err)) == 0);
	CHECK(idna_to_ascii(uni, again, sizeof(again), err, sizeof(err)) == 0);
	CHECK(strcmp(out, again) == 0);

	/* Plain ASCII: only case and one trailing dot change. */
	for (i = 0; i < len; i++) {
		ascii &= (unsigned char)name[i] < 0x80;
		if ((i == 0 || name[i - 1] == '.') &&
		    strncasecmp(name + i, "xn--", 4) == 0)
			has_ace = 1;
	}
	if (ascii && !has_ace) {
		size_t n = len;

		if (n > 1 && name[n - 1] == '.')
			n--;
		CHECK(strlen(out) == n);
		CHECK(strncasecmp(out, name, n) == 0);
	}
}

static void
check_decode(const uint8_t *data, size_t size)
{
	uint32_t cp[MAX_CP];
	size_t n = MAX_CP, i, b = 0;
	char *enc, *want;
	int e;

	if (punycode_decode((const char *)data, size, cp, &n) != 0)
		return;
	CHECK(n <= MAX_CP);
	for (i = 0; i < n; i++)
		CHECK(cp[i] <= 0x10ffff && !(cp[i] >= 0xd800 && cp[i] <= 0xdfff));
	/* Encoding back gives the input, digits in lower case. */
	for (i = 0; i < size; i++)
		if (data[i] == '-')
			b = i;
	enc = malloc(size + 2);
	want = malloc(size + 1);
	CHECK(enc != NULL && want != NULL);
	for (i = 0; i < size; i++)
		want[i] = (char)((i >= b && data[i] >= 'A' && data[i] <= 'Z') ?
		    data[i] + 32 : data[i]);
	e = punycode_encode(cp, n, enc, size + 2);
	CHECK(e >= 0 && (size_t)e == size);
	CHECK(memcmp(enc, want, size) == 0);
	free(enc);
	free(want);
}

static void
check_encode(const uint8_t *data, size_t size)
{
	uint32_t cp[MAX_CP], back[MAX_CP];
	size_t n = 0, i, bn = MAX_CP;
	int surrogate = 0, e;
	char out[MAX_CP * 8];

	for (i = 0; i + 3 <= size && n < MAX_CP; i += 3) {
		uint32_t c = ((uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 |
		    data[i + 2]) % 0x110000;

		surrogate |= c >= 0xd800 && c <= 0xdfff;
		cp[n++] = c;
	}
	e = punycode_encode(cp, n, out, sizeof(out));
	if (surrogate) {
		CHECK(e == -1);
		return;
	}
	CHECK(e >= 0);
	CHECK(out[e] == '\0');	/* U+0000 is a basic code point: no strlen() */
	CHECK(punycode_decode(out, (size_t)e, back, &bn) == 0);
	CHECK(bn == n);
	CHECK(memcmp(back, cp, n * sizeof(*cp)) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = malloc(size + 1);

	CHECK(name != NULL);
	memcpy(name, data, size);
	name[size] = '\0';
	check_idna(name, strlen(name));
	free(name);
	check_decode(data, size);
	check_encode(data, size);
	return 0;
}
