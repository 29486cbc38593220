/*
 * fuzz_policy_list.c - libFuzzer target for the --policy-file parser
 * (mtasts/policy_list.h).
 *
 * Oracles beyond "no crash": a failure leaves no list and one error line
 * without newlines or control bytes; a success finds every entry by its own
 * (normalised) domain, in sorted order, each mx entry a name or ".name",
 * and an entry matches the hosts its patterns describe.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_name.h"
#include "mtasts/policy_list.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_list *l = NULL;
	char err[256];
	size_t i;

	err[0] = '\0';
	if (policy_list_parse((const char *)data, size, &l, err,
	    sizeof(err)) == -1) {
		CHECK(l == NULL);
		CHECK(err[0] != '\0');
		for (i = 0; err[i] != '\0'; i++)
			CHECK((unsigned char)err[i] >= 0x20 &&
			    (unsigned char)err[i] != 0x7f);
		return 0;
	}
	CHECK(l != NULL);
	for (i = 0; i < policy_list_count(l); i++) {
		const struct policy_list_entry *e = policy_list_at(l, i);
		char norm[DNS_NAME_MAX + 1], host[DNS_NAME_MAX + 8];
		const char *why;
		size_t k;

		CHECK(dns_name_normalize(e->domain, norm, &why) == 0);
		CHECK(strcmp(norm, e->domain) == 0);
		CHECK(policy_list_find(l, e->domain) == e);
		if (i > 0)
			CHECK(strcmp(policy_list_at(l, i - 1)->domain,
			    e->domain) < 0);
		CHECK(e->mode == POLICY_LIST_ENFORCE ||
		    e->mode == POLICY_LIST_TESTING);
		for (k = 0; k < e->n_mxs; k++) {
			const char *p = e->mxs[k];

			CHECK(p[0] != '\0');
			if (p[0] == '.') {
				/* ".suffix" covers a name below it */
				if (strlen(p) + 1 < sizeof(host)) {
					snprintf(host, sizeof(host), "a%s", p);
					CHECK(policy_list_mx_match(e, host));
				}
				CHECK(!policy_list_mx_match(e, p + 1) ||
				    e->n_mxs > 1);
			} else {
				CHECK(policy_list_mx_match(e, p));
			}
		}
	}
	policy_list_free(l);
	return 0;
}
