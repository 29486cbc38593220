/*
 * fuzz_tlsa.c - libFuzzer target for the TLSA RDATA parser
 * (dane/dane.h: dane_tlsa_parse, dane_tlsa_text).
 *
 * Oracles beyond "no crash":
 *   - a record shorter than 4 bytes is TLSA_MALFORMED with no data;
 *   - otherwise the three parameters and the data are the input's bytes;
 *   - the verdict agrees with a plain reading of RFC 6698 2.1 and RFC 7672
 *     3.1.3 (the full-data check, which needs a DER parser, is only held
 *     to "usable implies matching type 0 parsed");
 *   - the text form is "U S M " then exactly the data in lower-case hex
 *     when it fits, else a terminated prefix ending in "...".
 * The text buffer is a heap block of exactly its size, for ASan.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dane/dane.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

static enum tlsa_status
reference(const uint8_t *d, size_t n)
{
	if (n < 4)
		return TLSA_MALFORMED;
	if (d[0] > 3)
		return TLSA_UNKNOWN_USAGE;
	if (d[1] > 1)
		return TLSA_UNKNOWN_SELECTOR;
	if (d[2] > 2)
		return TLSA_UNKNOWN_MTYPE;
	if ((d[2] == 1 && n - 3 != 32) || (d[2] == 2 && n - 3 != 64))
		return TLSA_BAD_LENGTH;
	if (d[2] == 0)
		return TLSA_STATUS_COUNT;	/* depends on the DER parse */
	return d[0] < 2 ? TLSA_PKIX_UNUSABLE : TLSA_USABLE;
}

static void
check_text(const struct tlsa_record *r, size_t cap)
{
	char *buf = malloc(cap), prefix[16];
	size_t n, p, i;

	CHECK(buf != NULL);
	dane_tlsa_text(r, buf, cap);
	n = strlen(buf);
	CHECK(n < cap);
	snprintf(prefix, sizeof(prefix), "%u %u %u ", r->usage, r->selector,
	    r->mtype);
	p = strlen(prefix);
	if (p + 2 * r->len < cap) {
		CHECK(n == p + 2 * r->len);
		CHECK(memcmp(buf, prefix, p) == 0);
		for (i = 0; i < r->len; i++) {
			char hx[3];

			snprintf(hx, sizeof(hx), "%02x", r->data[i]);
			CHECK(memcmp(buf + p + 2 * i, hx, 2) == 0);
		}
	} else if (p < cap && cap >= 4) {
		CHECK(n == cap - 1);
		CHECK(strcmp(buf + n - 3, "...") == 0);
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlsa_record r;
	enum tlsa_status want = reference(data, size);

	CHECK(dane_tlsa_parse(data, size, &r) == 0);
	if (size < 4) {
		CHECK(r.status == TLSA_MALFORMED);
		CHECK(r.data == NULL && r.len == 0);
	} else {
		CHECK(r.usage == data[0] && r.selector == data[1] &&
		    r.mtype == data[2]);
		CHECK(r.len == size - 3);
		CHECK(memcmp(r.data, data + 3, r.len) == 0);
	}
	if (want != TLSA_STATUS_COUNT)
		CHECK(r.status == want);
	else
		CHECK(r.status == TLSA_BAD_FULL_DATA ||
		    r.status == (data[0] < 2 ? TLSA_PKIX_UNUSABLE : TLSA_USABLE));
	CHECK(dane_tlsa_usable(&r) == (r.status == TLSA_USABLE));
	CHECK(strcmp(tlsa_status_name(r.status), "?") != 0);
	check_text(&r, 1 + (size % 97));
	check_text(&r, 16 + 2 * size);
	dane_tlsa_free(&r);
	return 0;
}
