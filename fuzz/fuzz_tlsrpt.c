/*
 * fuzz_tlsrpt.c - libFuzzer target for the TLS-RPT record parser
 * (mtasts/tlsrpt.h), as text and as a TXT RDATA in wire format.
 *
 * Oracles beyond "no crash": a valid record has 1..TLSRPT_RUA_MAX URIs,
 * each non-empty, printable, without ',' ';' or spaces, starting with its
 * scheme (mailto: or https:, any case); an invalid one keeps no URI; the
 * same input parses the same way twice.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns_resolver.h"
#include "mtasts/tlsrpt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

static void
check_record(const struct tlsrpt_record *r)
{
	size_t i, j;

	if (r->error != TLSRPT_OK) {
		CHECK(r->n_rua == 0 && r->rua == NULL);
		return;
	}
	CHECK(r->n_rua >= 1 && r->n_rua <= TLSRPT_RUA_MAX);
	for (i = 0; i < r->n_rua; i++) {
		const char *u = r->rua[i].uri;

		CHECK(u != NULL && u[0] != '\0');
		for (j = 0; u[j] != '\0'; j++)
			CHECK(u[j] > 0x20 && u[j] < 0x7f && u[j] != ',' &&
			    u[j] != ';');
		if (r->rua[i].scheme == TLSRPT_MAILTO)
			CHECK(strncasecmp(u, "mailto:", 7) == 0 && strchr(u, '@'));
		else
			CHECK(strncasecmp(u, "https://", 8) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlsrpt_record a, b;
	struct dns_rr rr;
	char *copy = malloc(size + 1);
	int rc;

	CHECK(copy != NULL);
	memcpy(copy, data, size);
	copy[size] = '\0';
	if ((rc = tlsrpt_parse(copy, size, &a)) >= 0) {
		check_record(&a);
		CHECK(tlsrpt_parse(copy, size, &b) == rc);
		CHECK(b.n_rua == a.n_rua);
		tlsrpt_record_free(&b);
		tlsrpt_record_free(&a);
	}
	rr.rdata = (uint8_t *)copy;
	rr.len = size;
	if (tlsrpt_parse_rrset(&rr, 1, &a) >= 0) {
		check_record(&a);
		tlsrpt_record_free(&a);
	}
	free(copy);
	return 0;
}
