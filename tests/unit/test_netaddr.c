/*
 * test_netaddr.c - unit tests of address parsing and special-purpose ranges
 * (util/netaddr.h).
 *
 * Every range in netaddr.c is probed at its first and last address and
 * just outside both ends, so an off-by-one in a prefix length shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "util/netaddr.h"

/* reserved - netaddr_reserved() of a literal (which must parse). */
static const char *
reserved(const char *text)
{
	struct netaddr a;

	if (netaddr_from_text(text, &a) != 0)
		fail_msg("\"%s\" does not parse", text);
	return netaddr_reserved(&a);
}

static void
assert_reserved(const char *text, const char *what_part)
{
	const char *what = reserved(text);

	if (what == NULL)
		fail_msg("%s: not reserved, expected \"%s\"", text, what_part);
	if (strstr(what, what_part) == NULL)
		fail_msg("%s: \"%s\", expected \"%s\"", text, what, what_part);
}

static void
assert_public(const char *text)
{
	const char *what = reserved(text);

	if (what != NULL)
		fail_msg("%s: reserved as \"%s\"", text, what);
}

/* first and last address inside, and the neighbours outside (NULL: none). */
struct range_case {
	const char	*first;
	const char	*last;
	const char	*below;
	const char	*above;
	const char	*what;
};

static void
run_ranges(const struct range_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		assert_reserved(c[i].first, c[i].what);
		assert_reserved(c[i].last, c[i].what);
		if (c[i].below != NULL)
			assert_public(c[i].below);
		if (c[i].above != NULL)
			assert_public(c[i].above);
	}
}

static void
test_v4_ranges(void **state)
{
	static const struct range_case cases[] = {
		{ "0.0.0.0", "0.255.255.255", NULL, "1.0.0.0", "this network" },
		{ "10.0.0.0", "10.255.255.255", "9.255.255.255", "11.0.0.0",
		  "10.0.0.0/8" },
		{ "100.64.0.0", "100.127.255.255", "100.63.255.255", "100.128.0.0",
		  "100.64.0.0/10" },
		{ "127.0.0.0", "127.255.255.255", "126.255.255.255", "128.0.0.0",
		  "loopback" },
		{ "169.254.0.0", "169.254.255.255", "169.253.255.255",
		  "169.255.0.0", "link-local" },
		{ "172.16.0.0", "172.31.255.255", "172.15.255.255", "172.32.0.0",
		  "172.16.0.0/12" },
		{ "192.0.0.0", "192.0.0.255", "191.255.255.255", "192.0.1.0",
		  "192.0.0.0/24" },
		{ "192.0.2.0", "192.0.2.255", "192.0.1.255", "192.0.3.0",
		  "192.0.2.0/24" },
		{ "192.168.0.0", "192.168.255.255", "192.167.255.255",
		  "192.169.0.0", "192.168.0.0/16" },
		{ "198.18.0.0", "198.19.255.255", "198.17.255.255", "198.20.0.0",
		  "benchmarking" },
		{ "198.51.100.0", "198.51.100.255", "198.51.99.255",
		  "198.51.101.0", "198.51.100.0/24" },
		{ "203.0.113.0", "203.0.113.255", "203.0.112.255", "203.0.114.0",
		  "203.0.113.0/24" },
		{ "224.0.0.0", "239.255.255.255", "223.255.255.255", NULL,
		  "multicast" },
		{ "240.0.0.0", "255.255.255.255", NULL, NULL, "reserved" },
	};

	(void)state;
	run_ranges(cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_v6_ranges(void **state)
{
	static const struct range_case cases[] = {
		{ "::", "::1", NULL, NULL, "::/127" },
		{ "::ffff:0.0.0.0", "::ffff:255.255.255.255", NULL, NULL,
		  "IPv4-mapped" },
		{ "100::", "100::ffff:ffff:ffff:ffff", NULL, NULL, "discard-only" },
		{ "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
		  "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::",
		  "documentation" },
		{ "2001::", "2001:0:ffff:ffff:ffff:ffff:ffff:ffff",
		  "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", NULL, "Teredo" },
		{ "2002::", "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		  "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2003::", "6to4" },
		{ "fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", NULL, NULL,
		  "unique local" },
		{ "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", NULL, NULL,
		  "link-local" },
		{ "ff00::", "ff02::1", NULL, NULL, "multicast" },
	};

	(void)state;
	run_ranges(cases, sizeof(cases) / sizeof(cases[0]));
	/* ::2 is outside ::/127 but also outside 2000::/3: still reserved. */
	assert_reserved("::2", "2000::/3");
	assert_reserved("100:0:0:1::", "2000::/3");
	assert_reserved("fec0::1", "2000::/3");		/* deprecated site-local */
	assert_reserved("4000::1", "2000::/3");
	assert_reserved("1fff:ffff::1", "2000::/3");
	assert_reserved("64:ff9b::192.0.2.1", "2000::/3");
	/* Inside 2001::/23 but outside Teredo's /32: not reserved. */
	assert_public("2001:1::1");
	assert_public("2001:4860:4860::8888");
}

/*
 * The header promises the IANA special-purpose registries.  They list the
 * IPv6 documentation block 3fff::/20 (RFC 9637) and benchmarking block
 * 2001:2::/48 (RFC 5180) as not globally reachable, the counterparts of the
 * 192.0.2.0/24 and 198.18.0.0/15 blocks the IPv4 table has.
 */
static void
test_v6_documentation_and_benchmarking(void **state)
{
	(void)state;
	assert_reserved("3fff::1", "documentation");
	assert_reserved("3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "documentation");
	assert_public("3fff:1000::1");
	assert_reserved("2001:2::1", "benchmarking");
	assert_reserved("2001:2:0:ffff:ffff:ffff:ffff:ffff", "benchmarking");
}

static void
test_public_addresses(void **state)
{
	static const char *const cases[] = {
		"1.1.1.1", "8.8.8.8", "9.9.9.9", "93.184.216.34", "192.0.3.1",
		"192.88.98.1", "198.51.101.1", "223.255.255.255", "100.63.0.1",
		"2a00:1450:4001:82b::1b", "2606:4700:4700::1111", "2003::1",
		"3ffe::1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_public(cases[i]);
}

static void
test_from_text(void **state)
{
	static const uint8_t v4[4] = { 192, 0, 2, 1 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const char *const bad[] = {
		"", "192.0.2", "192.0.2.256", "192.0.2.1.", " 192.0.2.1",
		"192.0.2.1/24", "[2001:db8::1]", "2001:db8::1%eth0", "example.org",
		"2001:db8:::1", "1.2.3.4:25", "0x7f.0.0.1",
	};
	struct netaddr a;
	size_t i;

	(void)state;
	assert_int_equal(netaddr_from_text("192.0.2.1", &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_memory_equal(a.bytes, v4, 4);
	assert_int_equal(netaddr_from_text("2001:DB8::1", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_memory_equal(a.bytes, v6, 16);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (netaddr_from_text(bad[i], &a) != -1)
			fail_msg("\"%s\" parsed as an address", bad[i]);
}

static void
test_to_text(void **state)
{
	static const char *const cases[] = {
		"192.0.2.1", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::",
		"::ffff:192.0.2.1", "fe80::1:2:3:4",
	};
	char buf[NETADDR_TEXT_MAX], tiny[4];
	struct netaddr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(netaddr_from_text(cases[i], &a), 0);
		netaddr_to_text(&a, buf, sizeof(buf));
		assert_string_equal(buf, cases[i]);
	}
	assert_int_equal(netaddr_from_text("ffff:ffff:ffff:ffff:ffff:ffff:"
	    "255.255.255.255", &a), 0);
	netaddr_to_text(&a, buf, sizeof(buf));
	assert_true(strlen(buf) < NETADDR_TEXT_MAX);

	/* Too small a buffer gives "", not a truncated address. */
	assert_int_equal(netaddr_from_text("192.0.2.1", &a), 0);
	memset(tiny, 'x', sizeof(tiny));
	netaddr_to_text(&a, tiny, sizeof(tiny));
	assert_string_equal(tiny, "");
}

static void
test_to_sockaddr(void **state)
{
	struct sockaddr_storage ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;
	struct netaddr a;

	(void)state;
	assert_int_equal(netaddr_from_text("192.0.2.1", &a), 0);
	assert_int_equal(netaddr_to_sockaddr(&a, 25, &ss), sizeof(*sin));
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(ntohs(sin->sin_port), 25);
	assert_memory_equal(&sin->sin_addr, a.bytes, 4);

	assert_int_equal(netaddr_from_text("2001:db8::25", &a), 0);
	assert_int_equal(netaddr_to_sockaddr(&a, 587, &ss), sizeof(*sin6));
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(sin6->sin6_port), 587);
	assert_memory_equal(&sin6->sin6_addr, a.bytes, 16);
	assert_int_equal(sin6->sin6_scope_id, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_ranges),
		cmocka_unit_test(test_v6_ranges),
		cmocka_unit_test(test_v6_documentation_and_benchmarking),
		cmocka_unit_test(test_public_addresses),
		cmocka_unit_test(test_from_text),
		cmocka_unit_test(test_to_text),
		cmocka_unit_test(test_to_sockaddr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
