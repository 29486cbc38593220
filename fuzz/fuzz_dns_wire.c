/*
 * fuzz_dns_wire.c - libFuzzer target for the wire-format decoders
 * (dns/dns_wire.h): the input is a wire name, and also MX RDATA.
 *
 * Oracles beyond "no crash":
 *   - acceptance agrees with a plain reference walk of RFC 1035 3.1
 *     (labels of 0..63 bytes, in bounds, at most 255 bytes, no pointers);
 *   - the text is printable, shorter than DNS_WIRE_TEXT_MAX, and decodes
 *     back (\DDD escapes, '.' between labels) to exactly the wire bytes
 *     used: the escaping is unambiguous;
 *   - dns_wire_mx() accepts exactly a 2-byte preference followed by a name
 *     that fills the rest.
 * Output buffers are heap blocks of exactly DNS_WIRE_TEXT_MAX bytes, so
 * AddressSanitizer sees any overrun.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

/* reference_name - the wire length of a valid name at w[0..len), or 0. */
static size_t
reference_name(const uint8_t *w, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		size_t l = w[pos];

		if (l > 63 || pos + 1 + l > len)
			return 0;
		pos += 1 + l;
		if (pos > 255)
			return 0;
		if (l == 0)
			return pos;
	}
	return 0;
}

/* encode - text form back to wire; the wire length, or 0 if malformed. */
static size_t
encode(const char *text, uint8_t *w, size_t wmax)
{
	size_t pos = 0, lenpos;
	const char *s = text;

	if (strcmp(text, ".") == 0) {
		w[0] = 0;
		return 1;
	}
	for (;;) {
		lenpos = pos++;
		if (pos >= wmax)
			return 0;
		while (*s != '\0' && *s != '.') {
			unsigned v;

			if (*s == '\\') {
				if (s[1] < '0' || s[1] > '9' || s[2] < '0' ||
				    s[2] > '9' || s[3] < '0' || s[3] > '9')
					return 0;
				v = (unsigned)(s[1] - '0') * 100 +
				    (unsigned)(s[2] - '0') * 10 + (unsigned)(s[3] - '0');
				if (v > 255)
					return 0;
				s += 4;
			} else
				v = (unsigned char)*s++;
			if (pos >= wmax)
				return 0;
			w[pos++] = (uint8_t)v;
		}
		if (pos - lenpos - 1 == 0 || pos - lenpos - 1 > 63)
			return 0;	/* empty labels only at the root */
		w[lenpos] = (uint8_t)(pos - lenpos - 1);
		if (*s == '\0')
			break;
		s++;
	}
	if (pos >= wmax)
		return 0;
	w[pos++] = 0;
	return pos;
}

static void
check_name(const uint8_t *data, size_t size, char *out)
{
	size_t used = 0, ref = reference_name(data, size), i, n;
	uint8_t back[300];
	int rc = dns_wire_name(data, size, &used, out);

	CHECK(rc == 0 || rc == -1);
	CHECK((rc == 0) == (ref != 0));
	if (rc == -1)
		return;
	CHECK(used == ref);
	n = strlen(out);
	CHECK(n > 0 && n < DNS_WIRE_TEXT_MAX);
	for (i = 0; i < n; i++)
		CHECK(out[i] >= 0x20 && out[i] <= 0x7e);
	CHECK(strcmp(out, ".") == 0 || (out[0] != '.' && out[n - 1] != '.'));
	n = encode(out, back, sizeof(back));
	CHECK(n == used);
	CHECK(memcmp(back, data, used) == 0);
}

static void
check_mx(const uint8_t *data, size_t size, char *exchange, char *name)
{
	uint16_t pref = 0;
	size_t used = 0;
	int rc = dns_wire_mx(data, size, &pref, exchange);
	int want = size >= 3 && dns_wire_name(data + 2, size - 2, &used, name) == 0 &&
	    used == size - 2;

	CHECK((rc == 0) == want);
	if (rc == 0) {
		CHECK(pref == (uint16_t)(data[0] << 8 | data[1]));
		CHECK(strcmp(exchange, name) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = malloc(DNS_WIRE_TEXT_MAX);
	char *name = malloc(DNS_WIRE_TEXT_MAX);

	CHECK(out != NULL && name != NULL);
	check_name(data, size, out);
	check_mx(data, size, out, name);
	free(out);
	free(name);
	return 0;
}
