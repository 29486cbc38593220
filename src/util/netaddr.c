/*
 * netaddr.c - address text conversion and special-purpose ranges.
 *
 * The tables follow the IANA special-purpose registries (RFC 6890 and
 * successors).  A range is listed when no mail server reachable from the
 * Internet can live there.
 */
#include "util/netaddr.h"

#include <arpa/inet.h>
#include <string.h>

struct range {
	uint8_t		 prefix[16];
	unsigned	 bits;
	const char	*what;
};

static const struct range v4_ranges[] = {
	{ { 0 }, 8, "\"this network\" (0.0.0.0/8)" },
	{ { 10 }, 8, "private (10.0.0.0/8, RFC 1918)" },
	{ { 100, 64 }, 10, "shared address space (100.64.0.0/10, RFC 6598)" },
	{ { 127 }, 8, "loopback (127.0.0.0/8)" },
	{ { 169, 254 }, 16, "link-local (169.254.0.0/16)" },
	{ { 172, 16 }, 12, "private (172.16.0.0/12, RFC 1918)" },
	{ { 192, 0, 0 }, 24, "IETF protocol assignments (192.0.0.0/24)" },
	{ { 192, 0, 2 }, 24, "documentation (192.0.2.0/24)" },
	{ { 192, 168 }, 16, "private (192.168.0.0/16, RFC 1918)" },
	{ { 198, 18 }, 15, "benchmarking (198.18.0.0/15)" },
	{ { 198, 51, 100 }, 24, "documentation (198.51.100.0/24)" },
	{ { 203, 0, 113 }, 24, "documentation (203.0.113.0/24)" },
	{ { 224 }, 4, "multicast (224.0.0.0/4)" },
	{ { 240 }, 4, "reserved (240.0.0.0/4)" },
};

static const struct range v6_ranges[] = {
	{ { 0 }, 127, "unspecified or loopback (::/127)" },
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff }, 96,
	  "IPv4-mapped (::ffff:0:0/96)" },
	{ { 0x01, 0x00 }, 64, "discard-only (100::/64)" },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, "documentation (2001:db8::/32)" },
	{ { 0x20, 0x01, 0x00, 0x00 }, 32, "Teredo (2001::/32)" },
	{ { 0x20, 0x01, 0x00, 0x02, 0x00, 0x00 }, 48,
	  "benchmarking (2001:2::/48)" },
	{ { 0x3f, 0xff }, 20, "documentation (3fff::/20)" },
	{ { 0x20, 0x02 }, 16, "6to4 (2002::/16)" },
	{ { 0xfc }, 7, "unique local (fc00::/7)" },
	{ { 0xfe, 0x80 }, 10, "link-local (fe80::/10)" },
	{ { 0xff }, 8, "multicast (ff00::/8)" },
};

static int
prefix_match(const uint8_t *addr, const struct range *r)
{
	unsigned full = r->bits / 8, rest = r->bits % 8;

	if (memcmp(addr, r->prefix, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((addr[full] ^ r->prefix[full]) & (0xff << (8 - rest))) == 0;
}

const char *
netaddr_reserved(const struct netaddr *addr)
{
	const struct range *tab = addr->family == AF_INET ? v4_ranges : v6_ranges;
	size_t i, n = addr->family == AF_INET ?
	    sizeof(v4_ranges) / sizeof(v4_ranges[0]) :
	    sizeof(v6_ranges) / sizeof(v6_ranges[0]);

	for (i = 0; i < n; i++)
		if (prefix_match(addr->bytes, &tab[i]))
			return tab[i].what;
	/* Only 2000::/3 is allocated as global unicast. */
	if (addr->family == AF_INET6 && (addr->bytes[0] & 0xe0) != 0x20)
		return "not global unicast (outside 2000::/3)";
	return NULL;
}

void
netaddr_to_text(const struct netaddr *addr, char *buf, size_t len)
{
	if (inet_ntop(addr->family, addr->bytes, buf, (socklen_t)len) == NULL &&
	    len > 0)
		buf[0] = '\0';
}

int
netaddr_from_text(const char *text, struct netaddr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, text, addr->bytes) == 1) {
		addr->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, addr->bytes) == 1) {
		addr->family = AF_INET6;
		return 0;
	}
	return -1;
}

socklen_t
netaddr_to_sockaddr(const struct netaddr *addr, uint16_t port,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (addr->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, addr->bytes, 4);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, addr->bytes, 16);
		return sizeof(*sin6);
	}
}
