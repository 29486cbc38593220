/*
 * fuzz_mtasts_policy.c - libFuzzer target for the MTA-STS parsers
 * (mtasts/mtasts.h): the policy file and the _mta-sts TXT record.
 *
 * The input is used as a policy body, as one TXT record's text, and as a
 * TXT RDATA in wire format.  Oracles beyond "no crash":
 *   - the policy result is consistent: first_error is OK exactly when the
 *     error mask is empty, and is one of the mask's bits; a valid policy has
 *     a version, a mode, max_age <= 31557600, and mx patterns (enforce and
 *     testing) that are valid, lower case, and each match themselves (a
 *     wildcard one matches "x" + its suffix);
 *   - parsing is deterministic (the same input gives the same result);
 *   - a valid TXT record has an id of 1-32 letters and digits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_resolver.h"
#include "mtasts/mtasts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

static void
check_policy(const char *body, size_t size)
{
	struct mtasts_policy p, q;
	size_t i, j;
	int rc = mtasts_policy_parse(body, size, &p);

	if (rc < 0)
		return;		/* out of memory */
	CHECK((rc == MTASTS_POLICY_OK) == (p.errors == 0));
	CHECK(rc == MTASTS_POLICY_OK || (p.errors & (1u << rc)));
	CHECK(p.n_mx <= MTASTS_MX_MAX);
	if (rc == MTASTS_POLICY_OK) {
		CHECK(mtasts_policy_valid(&p));
		CHECK(p.has_version && p.has_max_age);
		CHECK(p.mode != MTASTS_MODE_UNKNOWN);
		CHECK(p.max_age <= MTASTS_MAX_AGE_MAX);
		if (p.mode != MTASTS_MODE_NONE)
			CHECK(p.n_mx >= 1);
	}
	for (i = 0; i < p.n_mx; i++) {
		const char *m = p.mx[i];
		char host[300];

		CHECK(mtasts_mx_pattern_valid(m));
		for (j = 0; m[j] != '\0'; j++)
			CHECK(!(m[j] >= 'A' && m[j] <= 'Z'));
		if (m[0] == '*') {
			snprintf(host, sizeof(host), "x%s", m + 1);
			CHECK(mtasts_mx_pattern_match(m, host));
			CHECK(!mtasts_mx_pattern_match(m, m + 2));
		} else
			CHECK(mtasts_mx_pattern_match(m, m));
		CHECK(mtasts_policy_mx_match(&p, m[0] == '*' ? "" : m) ==
		    (m[0] == '*' ? 0 : mtasts_policy_mx_match(&p, m)));
	}
	CHECK(mtasts_policy_parse(body, size, &q) == rc);
	CHECK(q.errors == p.errors && q.n_mx == p.n_mx && q.mode == p.mode);
	mtasts_policy_free(&q);
	mtasts_policy_free(&p);
}

static void
check_txt(const char *rec, size_t size)
{
	struct mtasts_txt t;
	struct dns_rr rr;
	size_t i, n;

	if (mtasts_txt_parse(rec, size, &t) == MTASTS_TXT_OK) {
		n = strlen(t.id);
		CHECK(n >= 1 && n <= MTASTS_ID_MAX);
		for (i = 0; i < n; i++)
			CHECK((t.id[i] >= '0' && t.id[i] <= '9') ||
			    (t.id[i] >= 'a' && t.id[i] <= 'z') ||
			    (t.id[i] >= 'A' && t.id[i] <= 'Z'));
	} else
		CHECK(t.id[0] == '\0');
	rr.rdata = (uint8_t *)(uintptr_t)rec;
	rr.len = size;
	(void)mtasts_txt_parse_rrset(&rr, 1, &t);
	CHECK(t.n_sts + t.n_other <= 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);

	CHECK(copy != NULL);
	memcpy(copy, data, size);	/* an exact-size buffer for ASan */
	copy[size] = '\0';
	check_policy(copy, size);
	check_txt(copy, size);
	free(copy);
	return 0;
}
