/*
 * tls_name.c - certificate name matching.  See tls_name.h.
 */
#include "tls/tls_name.h"

#include <string.h>
#include <strings.h>

/* Length of s without one trailing dot. */
static size_t
name_len(const char *s)
{
	size_t n = strlen(s);

	return n > 1 && s[n - 1] == '.' ? n - 1 : n;
}

static int
labels_after_first(const char *s, size_t len)
{
	int n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '.')
			n++;
	return n;
}

int
tls_name_match(const char *pattern, const char *host)
{
	size_t plen = name_len(pattern), hlen = name_len(host);
	const char *hdot;
	size_t hrest;

	if (plen == 0 || hlen == 0)
		return 0;
	if (pattern[0] != '*') {
		/* No partial wildcards ("f*o.example.org", RFC 9525 6.3). */
		if (memchr(pattern, '*', plen) != NULL)
			return 0;
		return plen == hlen && strncasecmp(pattern, host, plen) == 0;
	}
	if (plen < 2 || pattern[1] != '.' || memchr(pattern + 1, '*', plen - 1))
		return 0;
	if (labels_after_first(pattern, plen) < 2)
		return 0;
	if ((hdot = memchr(host, '.', hlen)) == NULL || hdot == host)
		return 0;
	hrest = hlen - (size_t)(hdot - host);
	return hrest == plen - 1 && strncasecmp(pattern + 1, hdot, hrest) == 0;
}
