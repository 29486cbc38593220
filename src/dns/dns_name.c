/*
 * dns_name.c - validate and normalise domain names.  See dns_name.h.
 */
#include "dns/dns_name.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "util/netaddr.h"

static int
is_ldh(unsigned char c)
{
	return isalnum(c) || c == '-';
}

int
dns_name_normalize(const char *in, char out[DNS_NAME_MAX + 1], const char **why)
{
	size_t len, i, label = 0;
	struct netaddr addr;

	if (in == NULL || (len = strlen(in)) == 0) {
		*why = "empty name";
		return -1;
	}
	if (len > 1 && in[len - 1] == '.')
		len--;			/* one trailing dot: fully qualified */
	if (len > DNS_NAME_MAX) {
		*why = "name longer than 253 characters";
		return -1;
	}
	if (len == 1 && in[0] == '.') {
		*why = "the root is not a mail domain";
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x80) {
			*why = "non-ASCII name: give its IDN A-label form (xn--...)";
			return -1;
		}
		if (c == '.') {
			if (label == 0) {
				*why = "empty label";
				return -1;
			}
			if (in[i - 1] == '-') {
				*why = "label ends with a hyphen";
				return -1;
			}
			label = 0;
			out[i] = '.';
			continue;
		}
		if (!is_ldh(c)) {
			*why = "character not allowed in a host name "
			    "(letters, digits, hyphen)";
			return -1;
		}
		if (label == 0 && c == '-') {
			*why = "label starts with a hyphen";
			return -1;
		}
		if (++label > DNS_LABEL_MAX) {
			*why = "label longer than 63 characters";
			return -1;
		}
		out[i] = (char)tolower(c);
	}
	if (label == 0) {
		*why = "empty label";
		return -1;
	}
	if (in[len - 1] == '-') {
		*why = "label ends with a hyphen";
		return -1;
	}
	out[len] = '\0';
	if (netaddr_from_text(out, &addr) == 0) {
		*why = "an IP address, not a domain name";
		return -1;
	}
	return 0;
}

int
dns_name_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 1 && a[la - 1] == '.')
		la--;
	if (lb > 1 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}
