/*
 * fuzz_dns_name.c - libFuzzer target for name validation and certificate
 * name matching (dns/dns_name.h, tls/tls_name.h).
 *
 * Input: "pattern\nhost" (split at the first LF; each part is used as a C
 * string, so an embedded NUL ends it).  Both parts go through
 * dns_name_normalize(), and the pair through tls_name_match().
 *
 * Oracles beyond "no crash":
 *   - dns_name_normalize() accepts exactly what a plain reference check of
 *     the header's rules accepts, and its output is normalised (lower case,
 *     LDH labels of 1..63, <= 253, no trailing dot), a fixed point, and
 *     dns_name_equal() to the input;
 *   - tls_name_match() ignores ASCII case; without '*' in the pattern it is
 *     dns_name_equal(); a wildcard matches only as the whole left-most label
 *     of a pattern with at least two more labels, and then exactly one
 *     non-empty host label.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_name.h"
#include "tls/tls_name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

static int
ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/* reference_ok - the rules of dns_name.h, checked the simple way. */
static int
reference_ok(const char *in)
{
	size_t len = strlen(in), i, start = 0;
	char buf[DNS_NAME_MAX + 1];
	unsigned char addr[16];

	if (len > 1 && in[len - 1] == '.')
		len--;
	if (len == 0 || len > DNS_NAME_MAX)
		return 0;
	for (i = 0; i <= len; i++) {
		if (i < len && in[i] != '.') {
			if (!ldh(in[i]))
				return 0;
			continue;
		}
		/* A label is in[start..i). */
		if (i == start || i - start > DNS_LABEL_MAX ||
		    in[start] == '-' || in[i - 1] == '-')
			return 0;
		start = i + 1;
	}
	memcpy(buf, in, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, addr) != 1 &&
	    inet_pton(AF_INET6, buf, addr) != 1;
}

static void
check_normalize(const char *in)
{
	char out[DNS_NAME_MAX + 1], again[DNS_NAME_MAX + 1];
	const char *why = NULL;
	int rc = dns_name_normalize(in, out, &why);
	size_t n, i, label = 0;

	CHECK(rc == 0 || rc == -1);
	CHECK(rc == (reference_ok(in) ? 0 : -1));
	if (rc == -1) {
		CHECK(why != NULL && why[0] != '\0');
		return;
	}
	n = strlen(out);
	CHECK(n >= 1 && n <= DNS_NAME_MAX);
	for (i = 0; i < n; i++) {
		if (out[i] == '.') {
			CHECK(label > 0 && out[i - 1] != '-');
			label = 0;
			continue;
		}
		CHECK(ldh(out[i]) && !(out[i] >= 'A' && out[i] <= 'Z'));
		CHECK(label > 0 || out[i] != '-');
		CHECK(++label <= DNS_LABEL_MAX);
	}
	CHECK(label > 0 && out[n - 1] != '-');
	CHECK(dns_name_normalize(out, again, &why) == 0);
	CHECK(strcmp(out, again) == 0);
	CHECK(dns_name_equal(in, out));
	CHECK(dns_name_equal(out, in));
}

/* Length without one trailing dot, as both modules count it. */
static size_t
name_len(const char *s)
{
	size_t n = strlen(s);

	return n > 1 && s[n - 1] == '.' ? n - 1 : n;
}

static void
flip_case(char *s)
{
	for (; *s != '\0'; s++)
		if (isalpha((unsigned char)*s))
			*s ^= 0x20;
}

static void
check_match(const char *pattern, const char *host, char *p2, char *h2)
{
	int m = tls_name_match(pattern, host);
	size_t plen = name_len(pattern), i, dots = 0;
	const char *hdot;

	CHECK(m == 0 || m == 1);
	strcpy(p2, pattern);
	strcpy(h2, host);
	flip_case(p2);
	CHECK(tls_name_match(p2, host) == m);
	CHECK(tls_name_match(pattern, h2) == m);

	if (plen == 0 || name_len(host) == 0) {
		CHECK(m == 0);
		return;
	}
	if (memchr(pattern, '*', plen) == NULL) {
		CHECK(m == dns_name_equal(pattern, host));
		return;
	}
	if (!m)
		return;
	/* A wildcard match: "*." + at least two labels, one label for '*'. */
	CHECK(pattern[0] == '*' && pattern[1] == '.');
	CHECK(memchr(pattern + 1, '*', plen - 1) == NULL);
	for (i = 0; i < plen; i++)
		dots += pattern[i] == '.';
	CHECK(dots >= 2);
	hdot = strchr(host, '.');
	CHECK(hdot != NULL && hdot != host);
	CHECK(dns_name_equal(pattern + 2, hdot + 1));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *lf = memchr(data, '\n', size);
	size_t plen = lf ? (size_t)(lf - data) : size;
	size_t hlen = lf ? size - plen - 1 : 0;
	char *pattern = malloc(plen + 1), *host = malloc(hlen + 1);
	char *p2 = malloc(plen + 1), *h2 = malloc(hlen + 1);

	CHECK(pattern && host && p2 && h2);
	memcpy(pattern, data, plen);
	pattern[plen] = '\0';
	if (lf != NULL)
		memcpy(host, lf + 1, hlen);
	host[hlen] = '\0';

	check_normalize(pattern);
	check_normalize(host);
	check_match(pattern, host, p2, h2);

	free(pattern);
	free(host);
	free(p2);
	free(h2);
	return 0;
}
