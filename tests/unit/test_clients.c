/*
 * test_clients.c - unit tests of the sending-MTA simulation
 * (grade/clients.h) over hand-built enumerations (probe/probe.h).
 *
 * Each fixture is a struct probe_result on the stack with static suite
 * and group arrays (the simulation never frees or keeps them): a TLS 1.3
 * server, a DHE-1024-only server, an RC4-only server, the same two suites
 * under server and client order, and the checks OpenSSL 3 makes after the
 * server's choice.  The expectations for OpenSSL 3 mirror what Debian 12's
 * `openssl s_client` does against `openssl s_server` (docs/clients.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "grade/clients.h"
#include "probe/cipher_suites.h"
#include "probe/probe.h"
#include "probe/tls_parse.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
set_version(struct probe_result *p, enum probe_version v,
    struct probe_suite *suites, size_t n)
{
	p->versions[v].supported = PROBE_YES;
	p->versions[v].suites = suites;
	p->versions[v].n_suites = n;
	p->versions[v].complete = 1;
}

/* base - an enumerated server speaking nothing yet; every other version no. */
static void
base(struct probe_result *p)
{
	size_t v;

	memset(p, 0, sizeof(*p));
	p->done = 1;
	for (v = 0; v < PROBE_VERSION_COUNT; v++)
		p->versions[v].supported = PROBE_NO;
	p->server_order = PROBE_YES;
	p->secure_renegotiation = PROBE_YES;
}

static struct client_sim
sim(const struct probe_result *p, const char *id)
{
	const struct client_profile *c = clients_profile_by_id(id);
	struct client_sim s;

	assert_non_null(c);
	clients_simulate_one(p, c, &s);
	assert_ptr_equal(s.client, c);
	return s;
}

static void
assert_connects(const struct client_sim *s, uint16_t version, uint32_t suite)
{
	if (s->outcome != CLIENT_CONNECTS)
		fail_msg("%s: %s (%s)", s->client->id,
		    client_outcome_name(s->outcome), s->reason);
	assert_int_equal(s->version, version);
	assert_int_equal(s->suite, suite);
}

static void
assert_fails(const struct client_sim *s, const char *reason_part)
{
	if (s->outcome != CLIENT_FAILS)
		fail_msg("%s: %s, expected to fail with \"%s\"", s->client->id,
		    client_outcome_name(s->outcome), reason_part);
	if (strstr(s->reason, reason_part) == NULL)
		fail_msg("%s: reason \"%s\" lacks \"%s\"", s->client->id,
		    s->reason, reason_part);
}

/* --- the table ------------------------------------------------------------------ */

static void
profiles_are_sane(void **state)
{
	size_t i, j, k, n = clients_profile_count();

	(void)state;
	assert_true(n >= 8);
	assert_null(clients_profile_at(n));
	assert_null(clients_profile_by_id("no-such-client"));
	for (i = 0; i < n; i++) {
		const struct client_profile *c = clients_profile_at(i);

		assert_non_null(c);
		assert_ptr_equal(clients_profile_by_id(c->id), c);
		assert_true(c->name[0] != '\0');
		assert_true(c->min_version >= TLS_V_SSL3);
		assert_true(c->min_version <= c->max_version);
		assert_true(c->max_version <= TLS_V_TLS13);
		assert_true(c->n_suites > 0);
		assert_true(c->n_groups > 0);
		assert_true(c->max_dh_bits == 0 || c->max_dh_bits >= c->min_dh_bits);
		for (j = 0; j < c->n_suites; j++) {
			const struct cipher_suite *cs =
			    cipher_suite_by_code(c->suites[j]);

			if (cs == NULL)
				fail_msg("%s: 0x%04x not in the registry", c->id,
				    c->suites[j]);
			for (k = 0; k < j; k++)
				if (c->suites[k] == c->suites[j])
					fail_msg("%s: 0x%04x twice", c->id,
					    c->suites[j]);
		}
		for (j = 0; j < c->n_groups; j++) {
			unsigned g;
			int known = 0;

			for (g = 0; g < 0x0200 && !known; g++) {
				const char *name = tls_group_name((uint16_t)g);

				known = name != NULL &&
				    strcmp(name, c->groups[j]) == 0;
			}
			if (!known)
				fail_msg("%s: group %s unknown", c->id,
				    c->groups[j]);
		}
		for (k = 0; k < i; k++)
			assert_string_not_equal(clients_profile_at(k)->id, c->id);
	}
	assert_string_equal(client_outcome_name(CLIENT_FAILS), "fails");
	assert_string_equal(client_fallback_name(CLIENT_FALLBACK_PLAINTEXT),
	    "plaintext");
}

/* --- fixtures ------------------------------------------------------------------- */

static void
tls13_server(void **state)
{
	struct probe_suite s13[] = {
		{ 0x1302, 253, "x25519" }, { 0x1301, 253, "x25519" },
		{ 0x1303, 253, "x25519" },
	};
	struct probe_suite s12[] = {
		{ 0xC030, 256, "secp256r1" }, { 0xC02F, 256, "secp256r1" },
	};
	char *groups[] = { "x25519", "secp256r1" };
	struct probe_result p;
	struct client_sim s;
	size_t i, n;
	struct client_sim all[32];

	(void)state;
	base(&p);
	set_version(&p, PROBE_TLS13, s13, N(s13));
	set_version(&p, PROBE_TLS12, s12, N(s12));
	p.groups = groups;
	p.n_groups = N(groups);

	s = sim(&p, "postfix-openssl3-debian12");
	assert_connects(&s, TLS_V_TLS13, 0x1302);
	assert_string_equal(s.group, "x25519");
	assert_true(s.forward_secret);
	assert_false(s.order_assumed);
	s = sim(&p, "gmail");
	assert_connects(&s, TLS_V_TLS13, 0x1302);	/* the server's order */
	s = sim(&p, "exim-gnutls-debian12");
	assert_connects(&s, TLS_V_TLS13, 0x1302);
	/* TLS 1.2 clients: the server's first ECDHE suite, on a shared curve. */
	s = sim(&p, "postfix-openssl102");
	assert_connects(&s, TLS_V_TLS12, 0xC030);
	assert_string_equal(s.group, "secp256r1");
	assert_int_equal(s.kx_bits, 256);
	/* The probe's own hello got x25519: a client without it does not. */
	s12[0].kx_group[0] = '\0';
	strcpy(s12[0].kx_group, "x25519");
	s12[0].kx_bits = 253;
	s = sim(&p, "java8");
	assert_connects(&s, TLS_V_TLS12, 0xC030);
	assert_string_equal(s.group, "secp256r1");
	assert_int_equal(s.kx_bits, 256);
	s = sim(&p, "postfix-openssl3-debian12");	/* TLS 1.3 first */
	assert_string_equal(s.group, "x25519");
	assert_int_equal(s.kx_bits, 253);
	s = sim(&p, "exchange2019-schannel");
	assert_connects(&s, TLS_V_TLS12, 0xC030);
	assert_string_equal(s.group, "x25519");
	/* Everyone gets through. */
	n = clients_simulate(&p, all, N(all));
	assert_int_equal(n, clients_profile_count());
	for (i = 0; i < n; i++)
		assert_int_equal(all[i].outcome, CLIENT_CONNECTS);
}

static void
dhe1024_only(void **state)
{
	struct probe_suite s12[] = {
		{ 0x009F, 1024, "oakley-group2-1024" },
		{ 0x0033, 1024, "oakley-group2-1024" },
	};
	struct probe_result p;
	struct client_sim s;

	(void)state;
	base(&p);
	set_version(&p, PROBE_TLS12, s12, N(s12));
	p.dh_bits = 1024;

	/* OpenSSL 3 at level 2 picks DHE, then refuses the group. */
	s = sim(&p, "postfix-openssl3-debian12");
	assert_fails(&s, "dh key too small");
	assert_int_equal(s.client->on_failure, CLIENT_FALLBACK_PLAINTEXT);
	/* Older and other stacks accept 1024 bits. */
	s = sim(&p, "postfix-openssl102");
	assert_connects(&s, TLS_V_TLS12, 0x009F);
	assert_int_equal(s.kx_bits, 1024);
	assert_true(s.forward_secret);
	s = sim(&p, "postfix-openssl111");
	assert_connects(&s, TLS_V_TLS12, 0x009F);
	s = sim(&p, "exim-gnutls-debian12");
	assert_connects(&s, TLS_V_TLS12, 0x009F);
	s = sim(&p, "java8");
	assert_connects(&s, TLS_V_TLS12, 0x009F);
	s = sim(&p, "exchange2019-schannel");
	assert_connects(&s, TLS_V_TLS12, 0x009F);
	/* BoringSSL offers no DHE at all. */
	s = sim(&p, "gmail");
	assert_fails(&s, "no shared cipher suite");

	/* The per-suite size wins over the probe-wide minimum. */
	s12[0].kx_bits = 0;
	s = sim(&p, "postfix-openssl3-debian12");
	assert_fails(&s, "1024-bit");
}

static void
rc4_only(void **state)
{
	struct probe_suite s12[] = { { 0x0005, 0, "" }, { 0x0004, 0, "" } };
	struct probe_suite s10[] = { { 0x0005, 0, "" }, { 0x0004, 0, "" } };
	struct probe_result p;
	struct client_sim s;

	(void)state;
	base(&p);
	set_version(&p, PROBE_TLS12, s12, N(s12));
	set_version(&p, PROBE_TLS10, s10, N(s10));

	s = sim(&p, "postfix-openssl3-debian12");
	assert_fails(&s, "no shared cipher suite at TLSv1.2");
	s = sim(&p, "exim-gnutls-debian12");
	assert_fails(&s, "no shared cipher suite");
	s = sim(&p, "java8");
	assert_fails(&s, "no shared cipher suite");
	s = sim(&p, "exchange2019-schannel");
	assert_fails(&s, "no shared cipher suite");
	/* OpenSSL 1.0.2 still offers RC4 (last, but the server decides). */
	s = sim(&p, "postfix-openssl102");
	assert_connects(&s, TLS_V_TLS12, 0x0005);
	assert_false(s.forward_secret);
}

static void
server_versus_client_order(void **state)
{
	/* The server lists RSA key exchange first, ECDHE second. */
	struct probe_suite s12[] = {
		{ 0x009C, 0, "" }, { 0xC02F, 256, "secp256r1" },
	};
	char *groups[] = { "secp256r1" };
	struct probe_result p;
	struct client_sim s;

	(void)state;
	base(&p);
	set_version(&p, PROBE_TLS12, s12, N(s12));
	p.groups = groups;
	p.n_groups = N(groups);

	p.server_order = PROBE_YES;
	s = sim(&p, "postfix-openssl3-debian12");
	assert_connects(&s, TLS_V_TLS12, 0x009C);
	assert_false(s.forward_secret);
	assert_false(s.order_assumed);

	/* Following the client, every listed client prefers ECDHE. */
	p.server_order = PROBE_NO;
	s = sim(&p, "postfix-openssl3-debian12");
	assert_connects(&s, TLS_V_TLS12, 0xC02F);
	assert_true(s.forward_secret);
	assert_string_equal(s.group, "secp256r1");
	s = sim(&p, "exchange2019-schannel");
	assert_connects(&s, TLS_V_TLS12, 0xC02F);
	s = sim(&p, "java8");
	assert_connects(&s, TLS_V_TLS12, 0xC02F);

	/* Unknown order: the server's list order, said so. */
	p.server_order = PROBE_UNKNOWN;
	s = sim(&p, "postfix-openssl3-debian12");
	assert_connects(&s, TLS_V_TLS12, 0x009C);
	assert_true(s.order_assumed);

	/* No shared curve: servers skip ECDHE, so RSA key exchange it is. */
	groups[0] = "brainpoolP256r1";
	p.server_order = PROBE_NO;
	s = sim(&p, "postfix-openssl3-debian12");
	assert_connects(&s, TLS_V_TLS12, 0x009C);
}

static void
legacy_versions(void **state)
{
	struct probe_suite ecdhe10[] = { { 0xC014, 256, "secp256r1" } };
	struct probe_suite rsa10[] = { { 0x0035, 0, "" } };
	char *groups[] = { "secp256r1" };
	struct probe_result p;
	struct client_sim s;

	(void)state;
	base(&p);
	set_version(&p, PROBE_TLS10, ecdhe10, N(ecdhe10));
	p.groups = groups;
	p.n_groups = N(groups);

	/* OpenSSL 3 at level >= 1 refuses the MD5+SHA-1 signature. */
	s = sim(&p, "postfix-openssl3-debian12");
	assert_fails(&s, "legacy sigalg disallowed");
	s = sim(&p, "postfix-openssl111");
	assert_connects(&s, TLS_V_TLS10, 0xC014);
	s = sim(&p, "exchange-online");
	assert_fails(&s, "no common protocol: server TLSv1.0 at most");

	/* Without a signature (RSA key exchange) OpenSSL 3 connects. */
	set_version(&p, PROBE_TLS10, rsa10, N(rsa10));
	s = sim(&p, "postfix-openssl3-debian12");
	assert_connects(&s, TLS_V_TLS10, 0x0035);
	assert_false(s.forward_secret);

	/* SSL 3.0 only: no listed client speaks it. */
	base(&p);
	set_version(&p, PROBE_SSL3, rsa10, N(rsa10));
	s = sim(&p, "postfix-openssl102");
	assert_fails(&s, "no common protocol");
}

static void
sha1_signatures(void **state)
{
	struct probe_suite s12[] = { { 0xC02F, 256, "secp256r1" } };
	char *groups[] = { "secp256r1" };
	uint16_t sha1[] = { 0x0201 };		/* rsa_pkcs1_sha1 */
	uint16_t sha256[] = { 0x0201, 0x0401 };	/* + rsa_pkcs1_sha256 */
	struct probe_result p;
	struct client_sim s;

	(void)state;
	base(&p);
	set_version(&p, PROBE_TLS12, s12, N(s12));
	p.groups = groups;
	p.n_groups = N(groups);
	p.sigalgs = sha1;
	p.n_sigalgs = N(sha1);
	s = sim(&p, "postfix-openssl3-debian12");
	assert_fails(&s, "legacy sigalg");
	s = sim(&p, "exim-gnutls-debian12");
	assert_connects(&s, TLS_V_TLS12, 0xC02F);
	p.sigalgs = sha256;
	p.n_sigalgs = N(sha256);
	s = sim(&p, "postfix-openssl3-debian12");
	assert_connects(&s, TLS_V_TLS12, 0xC02F);
}

static void
renegotiation_and_dh_limits(void **state)
{
	struct probe_suite s12[] = { { 0x009F, 4096, "ffdhe4096" } };
	struct probe_result p;
	struct client_sim s;

	(void)state;
	base(&p);
	set_version(&p, PROBE_TLS12, s12, N(s12));
	p.dh_bits = 4096;

	/* Java 8 handles DH up to 2048 bits. */
	s = sim(&p, "java8");
	assert_fails(&s, "DH group too large");
	assert_int_equal(s.client->on_failure, CLIENT_FALLBACK_DEFER);
	s = sim(&p, "postfix-openssl3-debian12");
	assert_connects(&s, TLS_V_TLS12, 0x009F);
	assert_string_equal(s.group, "ffdhe4096");

	/* No RFC 5746: OpenSSL 3 refuses, 1.1.1 does not. */
	p.secure_renegotiation = PROBE_NO;
	s = sim(&p, "postfix-openssl3-debian12");
	assert_fails(&s, "unsafe legacy renegotiation");
	s = sim(&p, "postfix-openssl111");
	assert_connects(&s, TLS_V_TLS12, 0x009F);
}

static void
unknown_outcomes(void **state)
{
	struct probe_suite s12[] = { { 0x0005, 0, "" } };
	struct probe_result p;
	struct client_sim s;

	(void)state;
	memset(&p, 0, sizeof(p));
	s = sim(&p, "postfix-openssl3-debian12");	/* not enumerated */
	assert_int_equal(s.outcome, CLIENT_UNKNOWN);

	base(&p);
	s = sim(&p, "postfix-openssl3-debian12");	/* no version seen */
	assert_int_equal(s.outcome, CLIENT_UNKNOWN);

	/* A cut-short enumeration does not prove "no shared suite". */
	set_version(&p, PROBE_TLS12, s12, N(s12));
	p.versions[PROBE_TLS12].complete = 0;
	s = sim(&p, "postfix-openssl3-debian12");
	assert_int_equal(s.outcome, CLIENT_UNKNOWN);
	assert_non_null(strstr(s.reason, "incomplete"));

	/* TLS 1.3 with no shared group at all. */
	{
		struct probe_suite s13[] = { { 0x1301, 0, "" } };
		char *groups[] = { "brainpoolP256r1tls13" };

		base(&p);
		set_version(&p, PROBE_TLS13, s13, N(s13));
		p.groups = groups;
		p.n_groups = N(groups);
		s = sim(&p, "postfix-openssl3-debian12");
		assert_fails(&s, "no shared key exchange group");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(profiles_are_sane),
		cmocka_unit_test(tls13_server),
		cmocka_unit_test(dhe1024_only),
		cmocka_unit_test(rc4_only),
		cmocka_unit_test(server_versus_client_order),
		cmocka_unit_test(legacy_versions),
		cmocka_unit_test(sha1_signatures),
		cmocka_unit_test(renegotiation_and_dh_limits),
		cmocka_unit_test(unknown_outcomes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
