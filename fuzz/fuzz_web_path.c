/*
 * fuzz_web_path.c - libFuzzer target for the request URIs of `mailtls
 * serve` (web/web_path.h): every byte of a request line is a client's.
 *
 * Input: the URI as a C string (an embedded NUL ends it).
 *
 * Oracles beyond "no crash":
 *   - the route is one of enum web_route; out->why is set exactly for
 *     WEB_BAD_REQUEST;
 *   - api is set exactly when the URI starts with "/api/";
 *   - a routed domain (check, check form, API check and status) is
 *     non-empty, only lower-case letters, digits, '-' and '.', and a fixed
 *     point of dns_name_normalize(): what the web checks is what `check`
 *     would check, and a Location header built from it needs no escaping;
 *   - ?scan= is 0 or a positive number below 10^15;
 *   - parsing is deterministic.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_name.h"
#include "web/web_path.h"

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
	struct web_path a, b;
	char *uri, norm[DNS_NAME_MAX + 1];
	const char *why;
	size_t i;

	if ((uri = malloc(size + 1)) == NULL)
		return 0;
	memcpy(uri, data, size);
	uri[size] = '\0';
	web_path_parse(uri, &a);
	web_path_parse(uri, &b);

	CHECK((unsigned)a.route < WEB_ROUTE_COUNT);
	CHECK((a.route == WEB_BAD_REQUEST) == (a.why != NULL));
	CHECK(a.api == (strncmp(uri, "/api/", 5) == 0 &&
	    strnlen(uri, WEB_URI_MAX + 1) <= WEB_URI_MAX));
	CHECK(a.scan >= 0 && a.scan < 1000000000000000LL);
	if (a.route == WEB_CHECK || a.route == WEB_CHECK_FORM ||
	    a.route == WEB_API_CHECK || a.route == WEB_API_STATUS) {
		CHECK(a.domain[0] != '\0');
		for (i = 0; a.domain[i] != '\0'; i++)
			CHECK((a.domain[i] >= 'a' && a.domain[i] <= 'z') ||
			    (a.domain[i] >= '0' && a.domain[i] <= '9') ||
			    a.domain[i] == '-' || a.domain[i] == '.');
		CHECK(dns_name_normalize(a.domain, norm, &why) == 0);
		CHECK(strcmp(norm, a.domain) == 0);
	}
	CHECK(a.route == b.route && a.api == b.api && a.scan == b.scan);
	CHECK(strcmp(a.domain, b.domain) == 0);
	free(uri);
	return 0;
}
