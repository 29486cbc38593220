/*
 * test_cipher_suites.c - unit tests of the cipher-suite registry
 * (probe/cipher_suites.h).
 *
 * Three kinds of checks.  Internal consistency: the table is sorted, every
 * entry has a name, and each flag agrees with the fields it summarises
 * (EXPORT, RC4, anon, NULL, 64-bit block, CBC vs AEAD, forward secrecy)
 * and with the IANA name it was derived from.  The lookups and
 * cipher_suites_for_version() against a plain walk of the table.  And the
 * registry against OpenSSL's own cipher table, for every suite the linked
 * OpenSSL knows: same code, same OpenSSL and standard names, same bits,
 * same AEAD-ness, key exchange and authentication, lowest version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/objects.h>
#include <openssl/ssl.h>

#include "probe/cipher_suites.h"

static const uint16_t all_versions[] = {
	TLS_V_SSL2, TLS_V_SSL3, TLS_V_TLS10, TLS_V_TLS11, TLS_V_TLS12,
	TLS_V_TLS13,
};
#define N_VERSIONS (sizeof(all_versions) / sizeof(all_versions[0]))

/* has - the IANA name contains the part s (NULL names never do). */
static int
has(const struct cipher_suite *cs, const char *s)
{
	return cs->name != NULL && strstr(cs->name, s) != NULL;
}

static int
flag(const struct cipher_suite *cs, uint32_t f)
{
	return (cs->flags & f) != 0;
}

/* Print the entry a failed check was about before cmocka stops. */
static void
whose(const struct cipher_suite *cs)
{
	print_message("entry 0x%04x %s\n", (unsigned)cs->code,
	    cipher_suite_name(cs));
}

#define CHECK(cs, cond) do {						\
	if (!(cond))							\
		whose(cs);						\
	assert_true(cond);						\
} while (0)

/* ---- the table itself --------------------------------------------------- */

static void
test_table_sorted_and_iterable(void **state)
{
	size_t i, n = cipher_suite_count();

	(void)state;
	assert_true(n > 350);
	for (i = 0; i < n; i++) {
		const struct cipher_suite *cs = cipher_suite_at(i);

		assert_non_null(cs);
		if (i > 0)
			CHECK(cs, cipher_suite_at(i - 1)->code < cs->code);
		/* by_code finds exactly this entry (binary search). */
		CHECK(cs, cipher_suite_by_code(cs->code) == cs);
	}
	assert_null(cipher_suite_at(n));
	assert_null(cipher_suite_at((size_t)-1));
}

static void
test_every_entry_named(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < cipher_suite_count(); i++) {
		const struct cipher_suite *cs = cipher_suite_at(i);

		CHECK(cs, cs->name != NULL || cs->openssl_name != NULL);
		/* Only the two private-use GOST codes lack an IANA name. */
		CHECK(cs, cs->name != NULL ||
		    cs->code == 0xff85 || cs->code == 0xff87);
		CHECK(cs, cs->ref != NULL && cs->ref[0] != '\0');
		assert_non_null(cipher_suite_name(cs));
		if (cs->name != NULL) {
			assert_string_equal(cipher_suite_name(cs), cs->name);
			CHECK(cs, cipher_suite_by_iana_name(cs->name) == cs);
		} else {
			assert_string_equal(cipher_suite_name(cs),
			    cs->openssl_name);
		}
		if (flag(cs, CS_F_SSLV2))
			CHECK(cs, strncmp(cs->name, "SSL_CK_", 7) == 0);
		else if (cs->name != NULL)
			CHECK(cs, strncmp(cs->name, "TLS_", 4) == 0);
	}
	assert_string_equal(cipher_suite_name(NULL), "unknown");
}

/* Codes: two bytes for TLS, three for SSLv2 kinds, and no collision. */
static void
test_code_spaces(void **state)
{
	size_t i, n_v2 = 0;

	(void)state;
	for (i = 0; i < cipher_suite_count(); i++) {
		const struct cipher_suite *cs = cipher_suite_at(i);

		if (flag(cs, CS_F_SSLV2)) {
			n_v2++;
			CHECK(cs, cs->code > 0xffff && cs->code <= 0xffffff);
			CHECK(cs, cs->min_version == TLS_V_SSL2 &&
			    cs->max_version == TLS_V_SSL2);
			CHECK(cs, flag(cs, CS_F_UNOFFICIAL));
			CHECK(cs, cs->mac == CS_MAC_MD5);
		} else {
			CHECK(cs, cs->code <= 0xffff);
			CHECK(cs, cs->min_version >= TLS_V_SSL3);
		}
	}
	/* The seven kinds of the SSL 2.0 draft and Microsoft's RC4_64. */
	assert_int_equal(n_v2, 8);
}

/* Each flag against the fields it summarises. */
static void
test_flags_agree_with_fields(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < cipher_suite_count(); i++) {
		const struct cipher_suite *cs = cipher_suite_at(i);
		int sig = flag(cs, CS_F_SIGNALLING);
		int block64 = cs->enc == CS_ENC_3DES_EDE_CBC ||
		    cs->enc == CS_ENC_DES_CBC || cs->enc == CS_ENC_IDEA_CBC ||
		    cs->enc == CS_ENC_RC2_CBC;
		int cbc = block64 || cs->enc == CS_ENC_AES_CBC ||
		    cs->enc == CS_ENC_CAMELLIA_CBC ||
		    cs->enc == CS_ENC_ARIA_CBC || cs->enc == CS_ENC_SEED_CBC;
		int ephemeral = cs->kx == CS_KX_DHE ||
		    cs->kx == CS_KX_ECDHE || cs->kx == CS_KX_DHE_PSK ||
		    cs->kx == CS_KX_ECDHE_PSK || cs->kx == CS_KX_ECCPWD ||
		    cs->kx == CS_KX_ANY;

		CHECK(cs, (unsigned)cs->kx < CS_KX_COUNT);
		CHECK(cs, (unsigned)cs->auth < CS_AU_COUNT);
		CHECK(cs, (unsigned)cs->enc < CS_ENC_COUNT);
		CHECK(cs, (unsigned)cs->mac < CS_MAC_COUNT);
		CHECK(cs, cs->strength_bits <= cs->key_bits);
		CHECK(cs, cs->min_version <= cs->max_version);

		CHECK(cs, flag(cs, CS_F_RC4) == (cs->enc == CS_ENC_RC4));
		CHECK(cs, flag(cs, CS_F_SWEET32) == block64);
		CHECK(cs, flag(cs, CS_F_CBC) == cbc);
		CHECK(cs, flag(cs, CS_F_AEAD) == (cs->mac == CS_MAC_AEAD));
		CHECK(cs, !(flag(cs, CS_F_AEAD) && flag(cs, CS_F_CBC)));
		CHECK(cs, flag(cs, CS_F_FORWARD_SECRET) == ephemeral);
		if (sig) {
			CHECK(cs, cs->kx == CS_KX_NULL && cs->enc == CS_ENC_NULL);
			CHECK(cs, (cs->flags & ~(uint32_t)(CS_F_SIGNALLING |
			    CS_F_RECOMMENDED)) == 0);
			continue;
		}
		CHECK(cs, flag(cs, CS_F_NULL_CIPHER) ==
		    (cs->enc == CS_ENC_NULL));
		CHECK(cs, flag(cs, CS_F_ANON) ==
		    (cs->auth == CS_AU_ANON || cs->auth == CS_AU_NULL));
		/* Key sizes: none without a cipher, an AEAD at least 128. */
		CHECK(cs, (cs->enc == CS_ENC_NULL) == (cs->key_bits == 0));
		if (flag(cs, CS_F_AEAD))
			CHECK(cs, cs->strength_bits >= 128);
		/* AEAD records need TLS 1.2 (RFC 5246 6.2.3.3). */
		if (flag(cs, CS_F_AEAD))
			CHECK(cs, cs->min_version >= TLS_V_TLS12);
		/* Export grade means weak: 40 or 56 bits, or an export kx. */
		if (flag(cs, CS_F_EXPORT))
			CHECK(cs, cs->strength_bits <= 56);
		if (cs->kx == CS_KX_RSA_EXPORT)
			CHECK(cs, flag(cs, CS_F_EXPORT));
		if (cs->strength_bits > 0 && cs->strength_bits <= 40)
			CHECK(cs, flag(cs, CS_F_EXPORT));
		/* TLS 1.3 suites say nothing of kx and auth (RFC 8446 B.4). */
		if (cs->min_version == TLS_V_TLS13)
			CHECK(cs, cs->kx == CS_KX_ANY && cs->auth == CS_AU_ANY &&
			    cs->max_version == TLS_V_TLS13);
		else
			CHECK(cs, cs->kx != CS_KX_ANY &&
			    cs->max_version <= TLS_V_TLS12);
		/* ECC needs the extensions of RFC 8422: no SSLv3. */
		if (cs->kx == CS_KX_ECDH || cs->kx == CS_KX_ECDHE ||
		    cs->auth == CS_AU_ECDSA)
			CHECK(cs, cs->min_version >= TLS_V_TLS10);
	}
}

/* kx_part - the <KX> of TLS_<KX>_WITH_..., into buf; 0 if not that shape. */
static int
kx_part(const struct cipher_suite *cs, char *buf, size_t cap)
{
	const char *w;
	size_t n;

	if (cs->name == NULL || strncmp(cs->name, "TLS_", 4) != 0 ||
	    (w = strstr(cs->name, "_WITH_")) == NULL)
		return 0;
	n = (size_t)(w - cs->name) - 4;
	if (n >= cap)
		return 0;
	memcpy(buf, cs->name + 4, n);
	buf[n] = '\0';
	return 1;
}

/* The fields against the IANA name, read here independently of the
 * generator: TLS_<KX>_WITH_<CIPHER>_<MAC>. */
static void
test_fields_agree_with_name(void **state)
{
	static const struct {
		const char	*kx;
		enum cs_kx	 want_kx;
		enum cs_auth	 want_auth;
	} kxs[] = {
		{ "RSA", CS_KX_RSA, CS_AU_RSA },
		{ "RSA_EXPORT", CS_KX_RSA_EXPORT, CS_AU_RSA },
		{ "RSA_EXPORT1024", CS_KX_RSA_EXPORT, CS_AU_RSA },
		{ "DH_DSS", CS_KX_DH, CS_AU_DSS },
		{ "DH_DSS_EXPORT", CS_KX_DH, CS_AU_DSS },
		{ "DH_RSA", CS_KX_DH, CS_AU_RSA },
		{ "DH_RSA_EXPORT", CS_KX_DH, CS_AU_RSA },
		{ "DHE_DSS", CS_KX_DHE, CS_AU_DSS },
		{ "DHE_DSS_EXPORT", CS_KX_DHE, CS_AU_DSS },
		{ "DHE_DSS_EXPORT1024", CS_KX_DHE, CS_AU_DSS },
		{ "DHE_RSA", CS_KX_DHE, CS_AU_RSA },
		{ "DHE_RSA_EXPORT", CS_KX_DHE, CS_AU_RSA },
		{ "DH_anon", CS_KX_DHE, CS_AU_ANON },
		{ "DH_anon_EXPORT", CS_KX_DHE, CS_AU_ANON },
		{ "ECDH_anon", CS_KX_ECDHE, CS_AU_ANON },
		{ "ECDH_ECDSA", CS_KX_ECDH, CS_AU_ECDSA },
		{ "ECDH_RSA", CS_KX_ECDH, CS_AU_RSA },
		{ "ECDHE_ECDSA", CS_KX_ECDHE, CS_AU_ECDSA },
		{ "ECDHE_RSA", CS_KX_ECDHE, CS_AU_RSA },
		{ "PSK", CS_KX_PSK, CS_AU_PSK },
		{ "DHE_PSK", CS_KX_DHE_PSK, CS_AU_PSK },
		{ "PSK_DHE", CS_KX_DHE_PSK, CS_AU_PSK },
		{ "RSA_PSK", CS_KX_RSA_PSK, CS_AU_RSA },
		{ "ECDHE_PSK", CS_KX_ECDHE_PSK, CS_AU_PSK },
		{ "KRB5", CS_KX_KRB5, CS_AU_KRB5 },
		{ "KRB5_EXPORT", CS_KX_KRB5, CS_AU_KRB5 },
		{ "SRP_SHA", CS_KX_SRP, CS_AU_SRP },
		{ "SRP_SHA_RSA", CS_KX_SRP, CS_AU_RSA },
		{ "SRP_SHA_DSS", CS_KX_SRP, CS_AU_DSS },
		{ "ECCPWD", CS_KX_ECCPWD, CS_AU_ECCPWD },
		{ "NULL", CS_KX_NULL, CS_AU_NULL },
		{ "GOSTR341001", CS_KX_GOST, CS_AU_GOST },
		{ "GOSTR341112_256", CS_KX_GOST, CS_AU_GOST },
	};
	size_t i, k, n_checked = 0;

	(void)state;
	for (i = 0; i < cipher_suite_count(); i++) {
		const struct cipher_suite *cs = cipher_suite_at(i);
		char kx[64];

		/* Words in the name that must show in the flags, and back. */
		CHECK(cs, has(cs, "EXPORT") == flag(cs, CS_F_EXPORT));
		if (has(cs, "_RC4_"))
			CHECK(cs, flag(cs, CS_F_RC4));
		if (has(cs, "_anon_"))
			CHECK(cs, flag(cs, CS_F_ANON) && cs->auth == CS_AU_ANON);
		if (has(cs, "_WITH_NULL_"))
			CHECK(cs, flag(cs, CS_F_NULL_CIPHER));
		if (has(cs, "_GCM") || has(cs, "_CCM") || has(cs, "CHACHA20") ||
		    has(cs, "_MGM") || has(cs, "AEGIS"))
			CHECK(cs, flag(cs, CS_F_AEAD) && !flag(cs, CS_F_CBC));
		if (has(cs, "_CBC"))
			CHECK(cs, flag(cs, CS_F_CBC) && !flag(cs, CS_F_AEAD));
		if (has(cs, "3DES") || has(cs, "_DES") || has(cs, "IDEA") ||
		    has(cs, "RC2"))
			CHECK(cs, flag(cs, CS_F_SWEET32));
		if (has(cs, "_SCSV"))
			CHECK(cs, flag(cs, CS_F_SIGNALLING));
		/* Sizes spelt out in the name. */
		if (has(cs, "AES_128") || has(cs, "CAMELLIA_128") ||
		    has(cs, "ARIA_128") || has(cs, "SEED"))
			CHECK(cs, cs->key_bits == 128 && cs->strength_bits == 128);
		if (has(cs, "AES_256") || has(cs, "CAMELLIA_256") ||
		    has(cs, "ARIA_256") || has(cs, "CHACHA20"))
			CHECK(cs, cs->key_bits == 256 && cs->strength_bits == 256);
		if (has(cs, "_40_") || has(cs, "DES40") || has(cs, "EXPORT40"))
			CHECK(cs, cs->strength_bits == 40);
		if (has(cs, "3DES") || has(cs, "DES_192_EDE3"))
			CHECK(cs, cs->key_bits == 168 && cs->strength_bits == 112);
		if (flag(cs, CS_F_AEAD))
			CHECK(cs, cs->mac == CS_MAC_AEAD);
		else if (!flag(cs, CS_F_SIGNALLING) && cs->kx != CS_KX_GOST) {
			size_t nl = cs->name ? strlen(cs->name) : 0;
			enum cs_mac want = CS_MAC_NULL;

			if (nl > 4 && strcmp(cs->name + nl - 4, "_MD5") == 0)
				want = CS_MAC_MD5;
			else if (nl > 4 && strcmp(cs->name + nl - 4, "_SHA") == 0)
				want = CS_MAC_SHA1;
			else if (nl > 7 && strcmp(cs->name + nl - 7, "_SHA256") == 0)
				want = CS_MAC_SHA256;
			else if (nl > 7 && strcmp(cs->name + nl - 7, "_SHA384") == 0)
				want = CS_MAC_SHA384;
			if (cs->code != 0x0000)
				CHECK(cs, cs->mac == want);
		}
		/* HMAC-SHA256/384 need TLS 1.2's PRF, except for PSK suites,
		 * which RFC 5487 and 5489 define for TLS 1.0 too. */
		if ((cs->mac == CS_MAC_SHA256 || cs->mac == CS_MAC_SHA384) &&
		    cs->min_version < TLS_V_TLS13)
			CHECK(cs, cs->min_version == TLS_V_TLS12 ||
			    (cs->min_version == TLS_V_TLS10 &&
			    (cs->auth == CS_AU_PSK || cs->kx == CS_KX_RSA_PSK)));

		/* RFC 9367 names TLS 1.3 GOST suites like TLS 1.2 ones, but
		 * they too leave kx and auth to the handshake. */
		if (cs->min_version == TLS_V_TLS13 || !kx_part(cs, kx, sizeof(kx)))
			continue;
		for (k = 0; k < sizeof(kxs) / sizeof(kxs[0]); k++)
			if (strcmp(kxs[k].kx, kx) == 0)
				break;
		if (k == sizeof(kxs) / sizeof(kxs[0])) {
			whose(cs);
			fail_msg("key exchange %s not in the test's list", kx);
		}
		CHECK(cs, cs->kx == kxs[k].want_kx);
		CHECK(cs, cs->auth == kxs[k].want_auth);
		n_checked++;
	}
	assert_true(n_checked > 300);
}

/* A few entries spelt out, so a systematic error cannot hide. */
static void
test_known_entries(void **state)
{
	const struct cipher_suite *cs;

	(void)state;
	cs = cipher_suite_by_code(0x002f);
	assert_non_null(cs);
	assert_string_equal(cs->name, "TLS_RSA_WITH_AES_128_CBC_SHA");
	assert_string_equal(cs->openssl_name, "AES128-SHA");
	assert_int_equal(cs->kx, CS_KX_RSA);
	assert_int_equal(cs->enc, CS_ENC_AES_CBC);
	assert_int_equal(cs->mac, CS_MAC_SHA1);
	assert_int_equal(cs->flags & ~CS_F_RECOMMENDED, CS_F_CBC);
	assert_int_equal(cs->min_version, TLS_V_SSL3);

	cs = cipher_suite_by_code(0xc02f);
	assert_string_equal(cs->openssl_name, "ECDHE-RSA-AES128-GCM-SHA256");
	assert_int_equal(cs->kx, CS_KX_ECDHE);
	assert_int_equal(cs->auth, CS_AU_RSA);
	assert_true(flag(cs, CS_F_AEAD | CS_F_FORWARD_SECRET));
	assert_true(flag(cs, CS_F_RECOMMENDED));
	assert_int_equal(cs->min_version, TLS_V_TLS12);

	cs = cipher_suite_by_code(0x0003);
	assert_string_equal(cs->name, "TLS_RSA_EXPORT_WITH_RC4_40_MD5");
	assert_int_equal(cs->kx, CS_KX_RSA_EXPORT);
	assert_int_equal(cs->strength_bits, 40);
	assert_true(flag(cs, CS_F_EXPORT) && flag(cs, CS_F_RC4));

	cs = cipher_suite_by_code(0x0014);
	assert_string_equal(cs->openssl_name, "EXP-DHE-RSA-DES-CBC-SHA");
	assert_int_equal(cs->kx, CS_KX_DHE);
	assert_true(flag(cs, CS_F_EXPORT) && flag(cs, CS_F_FORWARD_SECRET));

	cs = cipher_suite_by_code(0x0018);
	assert_string_equal(cs->openssl_name, "ADH-RC4-MD5");
	assert_true(flag(cs, CS_F_ANON) && flag(cs, CS_F_RC4));

	cs = cipher_suite_by_code(0x1301);
	assert_string_equal(cs->name, "TLS_AES_128_GCM_SHA256");
	assert_int_equal(cs->min_version, TLS_V_TLS13);
	assert_int_equal(cs->kx, CS_KX_ANY);

	cs = cipher_suite_by_code(0x00ff);
	assert_string_equal(cs->name, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
	assert_true(flag(cs, CS_F_SIGNALLING));
	cs = cipher_suite_by_code(0x5600);
	assert_string_equal(cs->name, "TLS_FALLBACK_SCSV");
	assert_true(flag(cs, CS_F_SIGNALLING));

	cs = cipher_suite_by_code(0x0700c0);
	assert_string_equal(cs->name, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5");
	assert_string_equal(cs->openssl_name, "DES-CBC3-MD5");
	assert_true(flag(cs, CS_F_SSLV2));
	cs = cipher_suite_by_code(0x020080);
	assert_true(flag(cs, CS_F_SSLV2 | CS_F_EXPORT));
	assert_int_equal(cs->strength_bits, 40);
}

/* ---- lookups ------------------------------------------------------------ */

static void
test_lookup_misses(void **state)
{
	(void)state;
	/* Unassigned, reserved (SSLv3 FORTEZZA), GREASE, and the 0x0080xx
	 * form of an SSLv2 kind that does not exist. */
	assert_null(cipher_suite_by_code(0x001c));
	assert_null(cipher_suite_by_code(0x0a0a));
	assert_null(cipher_suite_by_code(0xfafa));
	assert_null(cipher_suite_by_code(0xffff));
	assert_null(cipher_suite_by_code(0x090080));
	assert_null(cipher_suite_by_code(0xffffffff));
	assert_null(cipher_suite_by_iana_name(NULL));
	assert_null(cipher_suite_by_iana_name(""));
	assert_null(cipher_suite_by_iana_name("tls_rsa_with_aes_128_cbc_sha"));
	assert_null(cipher_suite_by_openssl_name(NULL));
	assert_null(cipher_suite_by_openssl_name("AES128"));
	assert_null(cipher_suite_by_openssl_name("aes128-sha"));
}

static void
test_lookup_by_openssl_name(void **state)
{
	size_t i;
	const struct cipher_suite *cs;

	(void)state;
	for (i = 0; i < cipher_suite_count(); i++) {
		const struct cipher_suite *e = cipher_suite_at(i), *f;

		if (e->openssl_name == NULL)
			continue;
		f = cipher_suite_by_openssl_name(e->openssl_name);
		assert_non_null(f);
		assert_string_equal(f->openssl_name, e->openssl_name);
		/* Shared names: the TLS suite wins over the SSLv2 kind. */
		if (f != e)
			CHECK(e, flag(e, CS_F_SSLV2) && !flag(f, CS_F_SSLV2));
	}
	cs = cipher_suite_by_openssl_name("RC4-MD5");
	assert_int_equal(cs->code, 0x0004);
	cs = cipher_suite_by_openssl_name("DES-CBC3-MD5");
	assert_int_equal(cs->code, 0x0700c0);
}

/* ---- per version -------------------------------------------------------- */

static void
test_negotiable(void **state)
{
	(void)state;
	assert_false(cipher_suite_negotiable(NULL, TLS_V_TLS12));
	assert_false(cipher_suite_negotiable(cipher_suite_by_code(0x0000),
	    TLS_V_TLS12));
	assert_false(cipher_suite_negotiable(cipher_suite_by_code(0x00ff),
	    TLS_V_TLS12));
	assert_false(cipher_suite_negotiable(cipher_suite_by_code(0x5600),
	    TLS_V_TLS13));
	assert_true(cipher_suite_negotiable(cipher_suite_by_code(0x002f),
	    TLS_V_SSL3));
	assert_true(cipher_suite_negotiable(cipher_suite_by_code(0x002f),
	    TLS_V_TLS12));
	assert_false(cipher_suite_negotiable(cipher_suite_by_code(0x002f),
	    TLS_V_TLS13));
	assert_false(cipher_suite_negotiable(cipher_suite_by_code(0x002f),
	    TLS_V_SSL2));
	assert_false(cipher_suite_negotiable(cipher_suite_by_code(0xc02f),
	    TLS_V_TLS11));
	assert_false(cipher_suite_negotiable(cipher_suite_by_code(0xc013),
	    TLS_V_SSL3));
	assert_true(cipher_suite_negotiable(cipher_suite_by_code(0xc013),
	    TLS_V_TLS10));
	assert_true(cipher_suite_negotiable(cipher_suite_by_code(0x1301),
	    TLS_V_TLS13));
	assert_false(cipher_suite_negotiable(cipher_suite_by_code(0x1301),
	    TLS_V_TLS12));
	assert_true(cipher_suite_negotiable(cipher_suite_by_code(0x010080),
	    TLS_V_SSL2));
	assert_false(cipher_suite_negotiable(cipher_suite_by_code(0x010080),
	    TLS_V_SSL3));
	/* Versions that do not exist have no suites. */
	assert_false(cipher_suite_negotiable(cipher_suite_by_code(0x002f),
	    0x0305));
}

/* contains - code is in list[0..n). */
static int
contains(const uint32_t *list, size_t n, uint32_t code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == code)
			return 1;
	return 0;
}

static void
test_for_version_matches_table(void **state)
{
	size_t v, i, n, want;
	uint32_t *out;

	(void)state;
	for (v = 0; v < N_VERSIONS; v++) {
		uint16_t ver = all_versions[v];

		n = cipher_suites_for_version(ver, NULL, 0);
		out = calloc(n + 1, sizeof(*out));
		assert_non_null(out);
		out[n] = 0xdeadbeef;
		assert_int_equal(cipher_suites_for_version(ver, out, n), n);
		assert_int_equal(out[n], 0xdeadbeef);	/* within cap */
		for (want = 0, i = 0; i < cipher_suite_count(); i++) {
			const struct cipher_suite *cs = cipher_suite_at(i);
			int in = ver >= cs->min_version &&
			    ver <= cs->max_version &&
			    !flag(cs, CS_F_SIGNALLING) && cs->code != 0;

			CHECK(cs, in == contains(out, n, cs->code));
			want += (size_t)in;
		}
		assert_int_equal(n, want);
		for (i = 1; i < n; i++)
			assert_true(out[i - 1] < out[i]);	/* code order */
		for (i = 0; i < n; i++)
			assert_true(cipher_suite_negotiable(
			    cipher_suite_by_code(out[i]), ver));
		free(out);
	}
}

static void
test_for_version_contents(void **state)
{
	uint32_t buf[512];
	size_t n, i;

	(void)state;
	n = cipher_suites_for_version(TLS_V_SSL2, buf, 512);
	assert_int_equal(n, 8);
	for (i = 0; i < n; i++)
		assert_true(buf[i] > 0xffff);

	n = cipher_suites_for_version(TLS_V_SSL3, buf, 512);
	assert_true(contains(buf, n, 0x000a));		/* 3DES */
	assert_true(contains(buf, n, 0x0003));		/* EXPORT RC4 */
	assert_false(contains(buf, n, 0xc013));		/* ECDHE */
	assert_false(contains(buf, n, 0x009c));		/* GCM */
	assert_false(contains(buf, n, 0x00ff));
	assert_false(contains(buf, n, 0x0000));

	n = cipher_suites_for_version(TLS_V_TLS10, buf, 512);
	assert_true(contains(buf, n, 0xc013));
	assert_false(contains(buf, n, 0x009c));
	assert_false(contains(buf, n, 0x003c));		/* AES128-SHA256 */
	assert_int_equal(n, cipher_suites_for_version(TLS_V_TLS11, NULL, 0));

	n = cipher_suites_for_version(TLS_V_TLS12, buf, 512);
	assert_true(contains(buf, n, 0x009c));
	assert_true(contains(buf, n, 0xcca8));		/* ECDHE-RSA-CHACHA20 */
	assert_true(contains(buf, n, 0x0003));		/* still there */
	assert_false(contains(buf, n, 0x1301));
	assert_false(contains(buf, n, 0x5600));

	n = cipher_suites_for_version(TLS_V_TLS13, buf, 512);
	for (i = 0x1301; i <= 0x1307; i++)
		assert_true(contains(buf, n, (uint32_t)i));
	assert_false(contains(buf, n, 0xc02f));
	for (i = 0; i < n; i++)
		assert_int_equal(cipher_suite_by_code(buf[i])->kx, CS_KX_ANY);

	assert_int_equal(cipher_suites_for_version(0x0305, buf, 512), 0);
	assert_int_equal(cipher_suites_for_version(0x0000, buf, 512), 0);
}

/* A cap below the total writes cap codes, the first ones, and no more. */
static void
test_for_version_cap(void **state)
{
	uint32_t all[512], part[11];
	size_t n, i;

	(void)state;
	n = cipher_suites_for_version(TLS_V_TLS12, all, 512);
	assert_true(n > 10 && n < 512);
	for (i = 0; i < 11; i++)
		part[i] = 0x5a5a5a5a;
	assert_int_equal(cipher_suites_for_version(TLS_V_TLS12, part, 10), n);
	assert_memory_equal(part, all, 10 * sizeof(uint32_t));
	assert_int_equal(part[10], 0x5a5a5a5a);
	assert_int_equal(cipher_suites_for_version(TLS_V_TLS12, part, 0), n);
}

/* ---- names -------------------------------------------------------------- */

static void
test_enum_names(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < CS_KX_COUNT; i++)
		assert_true(cs_kx_name((enum cs_kx)i)[0] != '?');
	for (i = 0; i < CS_AU_COUNT; i++)
		assert_true(cs_auth_name((enum cs_auth)i)[0] != '?');
	for (i = 0; i < CS_ENC_COUNT; i++)
		assert_true(cs_enc_name((enum cs_enc)i)[0] != '?');
	for (i = 0; i < CS_MAC_COUNT; i++)
		assert_true(cs_mac_name((enum cs_mac)i)[0] != '?');
	assert_string_equal(cs_kx_name(CS_KX_ECDHE), "ECDHE");
	assert_string_equal(cs_auth_name(CS_AU_ECDSA), "ECDSA");
	assert_string_equal(cs_enc_name(CS_ENC_AES_GCM), "AES-GCM");
	assert_string_equal(cs_mac_name(CS_MAC_SHA256), "SHA256");
	assert_string_equal(cs_kx_name(CS_KX_COUNT), "?");
	assert_string_equal(cs_auth_name((enum cs_auth)-1), "?");
	assert_string_equal(cs_enc_name(CS_ENC_COUNT), "?");
	assert_string_equal(cs_mac_name(CS_MAC_COUNT), "?");

	assert_string_equal(tls_version_name(TLS_V_SSL2), "SSLv2");
	assert_string_equal(tls_version_name(TLS_V_SSL3), "SSLv3");
	assert_string_equal(tls_version_name(TLS_V_TLS10), "TLSv1.0");
	assert_string_equal(tls_version_name(TLS_V_TLS11), "TLSv1.1");
	assert_string_equal(tls_version_name(TLS_V_TLS12), "TLSv1.2");
	assert_string_equal(tls_version_name(TLS_V_TLS13), "TLSv1.3");
	assert_string_equal(tls_version_name(0x0305), "unknown");
	assert_string_equal(tls_version_name(0x7f1c), "unknown");
}

/* ---- against OpenSSL ---------------------------------------------------- */

struct ossl {
	SSL_CTX	*ctx;
	SSL	*ssl;
};

static int
ossl_setup(void **state)
{
	struct ossl *o = calloc(1, sizeof(*o));

	assert_non_null(o);
	o->ctx = SSL_CTX_new(TLS_method());
	assert_non_null(o->ctx);
	/* Everything this OpenSSL has, weak suites included. */
	SSL_CTX_set_security_level(o->ctx, 0);
	assert_int_equal(SSL_CTX_set_cipher_list(o->ctx,
	    "ALL:COMPLEMENTOFALL:@SECLEVEL=0"), 1);
	o->ssl = SSL_new(o->ctx);
	assert_non_null(o->ssl);
	*state = o;
	return 0;
}

static int
ossl_teardown(void **state)
{
	struct ossl *o = *state;

	SSL_free(o->ssl);
	SSL_CTX_free(o->ctx);
	free(o);
	return 0;
}

/* ossl_version - OpenSSL's SSL_CIPHER_get_version() text for ours. */
static const char *
ossl_version(uint16_t v)
{
	return v == TLS_V_SSL3 ? "SSLv3" : v == TLS_V_TLS10 ? "TLSv1.0" :
	    v == TLS_V_TLS12 ? "TLSv1.2" : v == TLS_V_TLS13 ? "TLSv1.3" : "?";
}

/* kx_matches - OpenSSL's key-exchange NID against ours. */
static int
kx_matches(int nid, enum cs_kx kx)
{
	switch (nid) {
	case NID_kx_rsa:	return kx == CS_KX_RSA;
	case NID_kx_dhe:	return kx == CS_KX_DHE;
	case NID_kx_ecdhe:	return kx == CS_KX_ECDHE;
	case NID_kx_psk:	return kx == CS_KX_PSK;
	case NID_kx_dhe_psk:	return kx == CS_KX_DHE_PSK;
	case NID_kx_rsa_psk:	return kx == CS_KX_RSA_PSK;
	case NID_kx_ecdhe_psk:	return kx == CS_KX_ECDHE_PSK;
	case NID_kx_srp:	return kx == CS_KX_SRP;
	case NID_kx_gost:
	case NID_kx_gost18:	return kx == CS_KX_GOST;
	case NID_kx_any:	return kx == CS_KX_ANY;
	default:		return 0;
	}
}

static int
auth_matches(int nid, enum cs_auth auth)
{
	switch (nid) {
	case NID_auth_rsa:	return auth == CS_AU_RSA;
	case NID_auth_dss:	return auth == CS_AU_DSS;
	case NID_auth_ecdsa:	return auth == CS_AU_ECDSA;
	case NID_auth_null:	return auth == CS_AU_ANON;
	case NID_auth_psk:	return auth == CS_AU_PSK;
	case NID_auth_srp:	return auth == CS_AU_SRP;
	case NID_auth_gost01:
	case NID_auth_gost12:	return auth == CS_AU_GOST;
	case NID_auth_any:	return auth == CS_AU_ANY;
	case NID_undef:		return auth == CS_AU_GOST; /* GOST 28147 */
	default:		return 0;
	}
}

/* Every registry suite OpenSSL knows, field by field. */
static void
test_registry_against_openssl(void **state)
{
	struct ossl *o = *state;
	size_t i, n_known = 0;

	for (i = 0; i < cipher_suite_count(); i++) {
		const struct cipher_suite *cs = cipher_suite_at(i);
		unsigned char wire[2];
		const SSL_CIPHER *c;
		int alg_bits, bits;

		if (flag(cs, CS_F_SSLV2))
			continue;	/* OpenSSL 3 has no SSLv2 */
		wire[0] = (unsigned char)(cs->code >> 8);
		wire[1] = (unsigned char)cs->code;
		if ((c = SSL_CIPHER_find(o->ssl, wire)) == NULL)
			continue;
		n_known++;
		CHECK(cs, SSL_CIPHER_get_protocol_id(c) == cs->code);
		CHECK(cs, cs->openssl_name != NULL);
		assert_string_equal(cs->openssl_name, SSL_CIPHER_get_name(c));
		if (SSL_CIPHER_standard_name(c) != NULL)
			assert_string_equal(cs->name,
			    SSL_CIPHER_standard_name(c));
		if (flag(cs, CS_F_SIGNALLING))
			continue;	/* no cipher behind an SCSV */
		bits = SSL_CIPHER_get_bits(c, &alg_bits);
		CHECK(cs, bits == cs->strength_bits);
		CHECK(cs, alg_bits == cs->key_bits);
		CHECK(cs, SSL_CIPHER_is_aead(c) == flag(cs, CS_F_AEAD));
		CHECK(cs, kx_matches(SSL_CIPHER_get_kx_nid(c), cs->kx));
		CHECK(cs, auth_matches(SSL_CIPHER_get_auth_nid(c), cs->auth));
		assert_string_equal(SSL_CIPHER_get_version(c),
		    ossl_version(cs->min_version));
		if (SSL_CIPHER_get_cipher_nid(c) == NID_undef)
			CHECK(cs, cs->enc == CS_ENC_NULL);
	}
	/* OpenSSL 3.0 knows about 170 of them; a broken lookup finds none. */
	assert_true(n_known >= 150);
}

/* Every suite OpenSSL can offer is in the registry under its name. */
static void
test_openssl_table_in_registry(void **state)
{
	struct ossl *o = *state;
	STACK_OF(SSL_CIPHER) *sk = SSL_get_ciphers(o->ssl);
	int k, n;

	assert_non_null(sk);
	n = sk_SSL_CIPHER_num(sk);
	assert_true(n > 100);
	for (k = 0; k < n; k++) {
		const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, k);
		uint32_t id = SSL_CIPHER_get_protocol_id(c);
		const struct cipher_suite *cs = cipher_suite_by_code(id);

		if (cs == NULL)
			fail_msg("OpenSSL suite 0x%04x %s not in the registry",
			    (unsigned)id, SSL_CIPHER_get_name(c));
		assert_non_null(cs->openssl_name);
		assert_string_equal(cs->openssl_name, SSL_CIPHER_get_name(c));
		assert_true(cipher_suite_by_openssl_name(
		    SSL_CIPHER_get_name(c)) == cs);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted_and_iterable),
		cmocka_unit_test(test_every_entry_named),
		cmocka_unit_test(test_code_spaces),
		cmocka_unit_test(test_flags_agree_with_fields),
		cmocka_unit_test(test_fields_agree_with_name),
		cmocka_unit_test(test_known_entries),
		cmocka_unit_test(test_lookup_misses),
		cmocka_unit_test(test_lookup_by_openssl_name),
		cmocka_unit_test(test_negotiable),
		cmocka_unit_test(test_for_version_matches_table),
		cmocka_unit_test(test_for_version_contents),
		cmocka_unit_test(test_for_version_cap),
		cmocka_unit_test(test_enum_names),
		cmocka_unit_test_setup_teardown(test_registry_against_openssl,
		    ossl_setup, ossl_teardown),
		cmocka_unit_test_setup_teardown(test_openssl_table_in_registry,
		    ossl_setup, ossl_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
