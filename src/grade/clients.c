/*
 * clients.c - the sending-MTA profiles and the handshake simulation.  See
 * clients.h; every value in the table is explained, with its source and
 * how sure it is, in docs/clients.md (keep the two in step).
 */
#include "grade/clients.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "probe/cipher_suites.h"
#include "probe/probe.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* --- the profiles ---------------------------------------------------------- */

/*
 * Postfix "medium" grade (tls_medium_cipherlist = aNULL:-aNULL:HIGH:MEDIUM:
 * +RC4:@STRENGTH, smtp_tls_ciphers = medium) as OpenSSL 3.0 with Debian 12's
 * security level 2 offers it: `openssl ciphers -s -V` on Debian 12.
 */
static const uint16_t postfix_openssl3[] = {
	0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0x00A3, 0x009F, 0xCCA9,
	0xCCA8, 0xCCAA, 0xC0AF, 0xC0AD, 0xC0A3, 0xC09F, 0xC05D, 0xC061,
	0xC057, 0xC053, 0xC024, 0xC028, 0x006B, 0x006A, 0xC073, 0xC077,
	0x00C4, 0x00C3, 0xC00A, 0xC014, 0x0039, 0x0038, 0x0088, 0x0087,
	0x009D, 0xC0A1, 0xC09D, 0xC051, 0x003D, 0x00C0, 0x0035, 0x0084,
	0xC02B, 0xC02F, 0x00A2, 0x009E, 0xC0AE, 0xC0AC, 0xC0A2, 0xC09E,
	0xC05C, 0xC060, 0xC056, 0xC052, 0xC023, 0xC027, 0x0067, 0x0040,
	0xC072, 0xC076, 0x00BE, 0x00BD, 0xC009, 0xC013, 0x0033, 0x0032,
	0x0045, 0x0044, 0x009C, 0xC0A0, 0xC09C, 0xC050, 0x003C, 0x00BA,
	0x002F, 0x0041,
};

/* Postfix >= 3.2 tls_eecdh_auto_curves (Postfix 3.7 has no FFDHE groups). */
static const char *const postfix_groups[] = {
	"x25519", "x448", "secp256r1", "secp521r1", "secp384r1",
};

/*
 * Postfix 2.10 (RHEL/CentOS 7) on OpenSSL 1.0.2: the same "medium" string
 * over 1.0.2's cipher table (3DES in HIGH, RC4 and SEED/IDEA in MEDIUM, no
 * ChaCha20, no TLS 1.3).  The order is reconstructed from @STRENGTH and
 * +RC4, not captured: approximate (docs/clients.md).
 */
static const uint16_t postfix_openssl102[] = {
	/* 256-bit */
	0x00A7, 0x006D, 0xC019, 0x003A, 0x0089, 0xC02C, 0xC030, 0x00A3,
	0x009F, 0xC028, 0xC024, 0xC014, 0xC00A, 0x006B, 0x006A, 0x0039,
	0x0038, 0x0088, 0x0087, 0x009D, 0x003D, 0x0035, 0x0084,
	/* 128-bit */
	0x00A6, 0x006C, 0xC018, 0x0034, 0x009B, 0x0046, 0xC02B, 0xC02F,
	0x00A2, 0x009E, 0xC027, 0xC023, 0xC013, 0xC009, 0x0067, 0x0040,
	0x0033, 0x0032, 0x009A, 0x0099, 0x0045, 0x0044, 0x009C, 0x003C,
	0x002F, 0x0096, 0x0041, 0x0007,
	/* 112-bit 3DES */
	0x001B, 0xC017, 0xC012, 0xC008, 0x0016, 0x0013, 0x000A,
	/* +RC4: last */
	0xC016, 0x0018, 0xC011, 0xC007, 0x0005, 0x0004,
};

/* OpenSSL 1.0.2 sends every curve it has; the common ones, its order. */
static const char *const openssl102_groups[] = {
	"sect571r1", "sect571k1", "secp521r1", "sect409k1", "sect409r1",
	"secp384r1", "sect283k1", "sect283r1", "secp256k1", "secp256r1",
	"sect239k1", "sect233k1", "sect233r1", "secp224k1", "secp224r1",
};

/*
 * Postfix "medium" on OpenSSL 1.1.1 at its upstream default security level
 * 1: captured with OpenSSL 3.0's table at @SECLEVEL=1, which has the same
 * suites as 1.1.1 (neither builds RC4 or 3DES by default).
 */
static const uint16_t postfix_openssl111[] = {
	0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0x00A3, 0x009F, 0xCCA9,
	0xCCA8, 0xCCAA, 0xC0AF, 0xC0AD, 0xC0A3, 0xC09F, 0xC05D, 0xC061,
	0xC057, 0xC053, 0xC024, 0xC028, 0x006B, 0x006A, 0xC073, 0xC077,
	0x00C4, 0x00C3, 0xC00A, 0xC014, 0x0039, 0x0038, 0x0088, 0x0087,
	0x009D, 0xC0A1, 0xC09D, 0xC051, 0x003D, 0x00C0, 0x0035, 0x0084,
	0xC02B, 0xC02F, 0x00A2, 0x009E, 0xC0AE, 0xC0AC, 0xC0A2, 0xC09E,
	0xC05C, 0xC060, 0xC056, 0xC052, 0xC023, 0xC027, 0x0067, 0x0040,
	0xC072, 0xC076, 0x00BE, 0x00BD, 0xC009, 0xC013, 0x0033, 0x0032,
	0x0045, 0x0044, 0x009C, 0xC0A0, 0xC09C, 0xC050, 0x003C, 0x00BA,
	0x002F, 0x0041,
};

/* Sendmail without CipherList: OpenSSL's DEFAULT (1.1.1, level 1). */
static const uint16_t openssl111_default[] = {
	0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0x009F, 0xCCA9, 0xCCA8,
	0xCCAA, 0xC02B, 0xC02F, 0x009E, 0xC024, 0xC028, 0x006B, 0xC023,
	0xC027, 0x0067, 0xC00A, 0xC014, 0x0039, 0xC009, 0xC013, 0x0033,
	0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F,
};

/* OpenSSL 1.1.1's default group list. */
static const char *const openssl111_groups[] = {
	"x25519", "secp256r1", "x448", "secp521r1", "secp384r1",
};

/* GnuTLS 3.7.9 "NORMAL" (Debian 12): `gnutls-cli --priority NORMAL -l`. */
static const uint16_t gnutls_normal[] = {
	0x1302, 0x1303, 0x1301, 0x1304, 0xC02C, 0xCCA9, 0xC0AD, 0xC00A,
	0xC02B, 0xC0AC, 0xC009, 0xC030, 0xCCA8, 0xC014, 0xC02F, 0xC013,
	0x009D, 0xC09D, 0x0035, 0x009C, 0xC09C, 0x002F, 0x009F, 0xCCAA,
	0xC09F, 0x0039, 0x009E, 0xC09E, 0x0033,
};

static const char *const gnutls_groups[] = {
	"secp256r1", "secp384r1", "secp521r1", "x25519", "x448",
	"ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192",
};

/* Windows Server 2019 (Windows 10 1809) SChannel, enabled by default. */
static const uint16_t schannel_2019[] = {
	0xC02C, 0xC02B, 0xC030, 0xC02F, 0x009F, 0x009E, 0xC024, 0xC023,
	0xC028, 0xC027, 0xC00A, 0xC009, 0xC014, 0xC013, 0x009D, 0x009C,
	0x003D, 0x003C, 0x0035, 0x002F, 0x000A,
};

static const char *const schannel_groups[] = {
	"x25519", "secp256r1", "secp384r1",
};

/*
 * Exchange Online's outbound connector: assumed to offer what Microsoft
 * documents Microsoft 365 accepting over TLS 1.2 (docs/clients.md).
 */
static const uint16_t exchange_online[] = {
	0xC030, 0xC02F, 0xC02C, 0xC02B, 0xC028, 0xC027, 0xC024, 0xC023,
};

/*
 * Gmail's outbound SMTP: assumed BoringSSL defaults (no DHE at all, which
 * BoringSSL removed), in BoringSSL's order (AES-128 first).
 */
static const uint16_t boringssl_default[] = {
	0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9,
	0xCCA8, 0xC009, 0xC013, 0xC00A, 0xC014, 0x009C, 0x009D, 0x002F,
	0x0035,
};

static const char *const boringssl_groups[] = {
	"x25519", "secp256r1", "secp384r1",
};

/* Java 8 JSSE (8u161 .. 8u25x) client defaults, order as JSSE lists them. */
static const uint16_t jsse8[] = {
	0xC02C, 0xC02B, 0xC030, 0x009D, 0xC02E, 0xC032, 0x009F, 0x00A3,
	0xC02F, 0x009C, 0xC02D, 0xC031, 0x009E, 0x00A2, 0xC024, 0xC028,
	0x003D, 0xC026, 0xC02A, 0x006B, 0x006A, 0xC00A, 0xC014, 0x0035,
	0xC005, 0xC00F, 0x0039, 0x0038, 0xC023, 0xC027, 0x003C, 0xC025,
	0xC029, 0x0067, 0x0040, 0xC009, 0xC013, 0x002F, 0xC004, 0xC00E,
	0x0033, 0x0032, 0xC008, 0xC012, 0x000A, 0xC003, 0xC00D, 0x0016,
	0x0013,
};

static const char *const jsse8_groups[] = {
	"secp256r1", "secp384r1", "secp521r1",
};

#define SUITES(a)	a, N(a)
#define GROUPS(a)	a, N(a)

static const struct client_profile profiles[] = {
	{ "postfix-openssl3-debian12", "Postfix 3.7 / OpenSSL 3.0 (Debian 12)",
	  TLS_V_TLS10, TLS_V_TLS13, SUITES(postfix_openssl3),
	  GROUPS(postfix_groups), 2048, 0,
	  CLIENT_F_SECURE_RENEG | CLIENT_F_NO_SHA1_SIG,
	  CLIENT_FALLBACK_PLAINTEXT },
	{ "postfix-openssl111", "Postfix 3.x / OpenSSL 1.1.1 (level 1)",
	  TLS_V_TLS10, TLS_V_TLS13, SUITES(postfix_openssl111),
	  GROUPS(postfix_groups), 1024, 0, 0, CLIENT_FALLBACK_PLAINTEXT },
	{ "postfix-openssl102", "Postfix 2.10 / OpenSSL 1.0.2 (RHEL 7)",
	  TLS_V_TLS10, TLS_V_TLS12, SUITES(postfix_openssl102),
	  GROUPS(openssl102_groups), 768, 0, 0, CLIENT_FALLBACK_PLAINTEXT },
	{ "exim-gnutls-debian12", "Exim 4.96 / GnuTLS 3.7 (Debian 12)",
	  TLS_V_TLS10, TLS_V_TLS13, SUITES(gnutls_normal),
	  GROUPS(gnutls_groups), 1024, 0, 0, CLIENT_FALLBACK_PLAINTEXT },
	{ "sendmail-openssl111", "Sendmail 8.15 / OpenSSL 1.1.1 (level 1)",
	  TLS_V_TLS10, TLS_V_TLS13, SUITES(openssl111_default),
	  GROUPS(openssl111_groups), 1024, 0, 0, CLIENT_FALLBACK_UNKNOWN },
	{ "exchange2019-schannel", "Exchange 2019 / Windows Server 2019",
	  TLS_V_TLS10, TLS_V_TLS12, SUITES(schannel_2019),
	  GROUPS(schannel_groups), 1024, 4096, 0, CLIENT_FALLBACK_UNKNOWN },
	{ "exchange-online", "Exchange Online (Microsoft 365)",
	  TLS_V_TLS12, TLS_V_TLS12, SUITES(exchange_online),
	  GROUPS(schannel_groups), 2048, 0, CLIENT_F_UNCERTAIN,
	  CLIENT_FALLBACK_UNKNOWN },
	{ "gmail", "Gmail (BoringSSL, assumed)",
	  TLS_V_TLS10, TLS_V_TLS13, SUITES(boringssl_default),
	  GROUPS(boringssl_groups), 0, 0,
	  CLIENT_F_SECURE_RENEG | CLIENT_F_UNCERTAIN, CLIENT_FALLBACK_UNKNOWN },
	{ "java8", "Java 8 JSSE (8u161+, e.g. JavaMail)",
	  TLS_V_TLS10, TLS_V_TLS12, SUITES(jsse8),
	  GROUPS(jsse8_groups), 1024, 2048, 0, CLIENT_FALLBACK_DEFER },
};

size_t
clients_profile_count(void)
{
	return N(profiles);
}

const struct client_profile *
clients_profile_at(size_t i)
{
	return i < N(profiles) ? &profiles[i] : NULL;
}

const struct client_profile *
clients_profile_by_id(const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < N(profiles); i++)
		if (strcmp(profiles[i].id, id) == 0)
			return &profiles[i];
	return NULL;
}

static const char *const outcome_names[] = {
	[CLIENT_UNKNOWN] = "unknown",
	[CLIENT_CONNECTS] = "connects",
	[CLIENT_FAILS] = "fails",
};
_Static_assert(N(outcome_names) == CLIENT_OUTCOME_COUNT, "one name per outcome");

static const char *const fallback_names[] = {
	[CLIENT_FALLBACK_UNKNOWN] = "unknown",
	[CLIENT_FALLBACK_PLAINTEXT] = "plaintext",
	[CLIENT_FALLBACK_DEFER] = "defer",
};
_Static_assert(N(fallback_names) == CLIENT_FALLBACK_COUNT,
    "one name per fallback");

const char *
client_outcome_name(enum client_outcome o)
{
	return (unsigned)o < CLIENT_OUTCOME_COUNT ? outcome_names[o] : "?";
}

const char *
client_fallback_name(enum client_fallback f)
{
	return (unsigned)f < CLIENT_FALLBACK_COUNT ? fallback_names[f] : "?";
}

/* --- the simulation ----------------------------------------------------------- */

/* Wire versions of the probe's versions (SSLv2 is never simulated). */
static const uint16_t wire_version[PROBE_VERSION_COUNT] = {
	[PROBE_SSL2] = TLS_V_SSL2,
	[PROBE_SSL3] = TLS_V_SSL3,
	[PROBE_TLS10] = TLS_V_TLS10,
	[PROBE_TLS11] = TLS_V_TLS11,
	[PROBE_TLS12] = TLS_V_TLS12,
	[PROBE_TLS13] = TLS_V_TLS13,
};

static int
is_ffdhe(const char *group)
{
	return strncmp(group, "ffdhe", 5) == 0;
}

static int
client_has_group(const struct client_profile *c, const char *group)
{
	size_t i;

	for (i = 0; i < c->n_groups; i++)
		if (strcmp(c->groups[i], group) == 0)
			return 1;
	return 0;
}

/* group_bits - the size of a named group as the probe counts it, 0 if
 * unknown ("x25519" 253, "secp384r1" 384, "ffdhe3072" 3072). */
static int
group_bits(const char *group)
{
	int bits;

	if (strcmp(group, "x25519") == 0)
		return 253;
	if (strcmp(group, "x448") == 0)
		return 448;
	if (sscanf(group, "secp%dr1", &bits) == 1 ||
	    sscanf(group, "ffdhe%d", &bits) == 1 ||
	    sscanf(group, "sect%d", &bits) == 1)
		return bits;
	return 0;
}

/*
 * shared_group - the group the key exchange would use: the first of the
 * client's (the TLS 1.3 key share, the curve it lists first) that the
 * server accepts; ec_only for TLS 1.2 ECDHE.  "" when the server's groups
 * were not enumerated (assume one is shared), NULL when none is shared.
 */
static const char *
shared_group(const struct probe_result *p, const struct client_profile *c,
    int ec_only)
{
	size_t i, j;
	int server_ec = 0;

	for (j = 0; j < p->n_groups; j++)
		if (!is_ffdhe(p->groups[j]))
			server_ec = 1;
	if (p->n_groups == 0 || (ec_only && !server_ec))
		return "";
	for (i = 0; i < c->n_groups; i++) {
		if (ec_only && is_ffdhe(c->groups[i]))
			continue;
		for (j = 0; j < p->n_groups; j++)
			if (strcmp(c->groups[i], p->groups[j]) == 0)
				return c->groups[i];
	}
	return NULL;
}

static int
client_offers(const struct client_profile *c, uint32_t code)
{
	size_t i;

	for (i = 0; i < c->n_suites; i++)
		if (c->suites[i] == code)
			return 1;
	return 0;
}

static int
server_accepts(const struct probe_version_result *vr, uint32_t code)
{
	size_t i;

	for (i = 0; i < vr->n_suites; i++)
		if (vr->suites[i].code == code)
			return 1;
	return 0;
}

/*
 * usable - could the server pick code at version wire for this client: the
 * client offers it for that version and, for ECDHE at TLS 1.2 and below, the
 * two share a curve (servers skip ECDHE suites otherwise).
 */
static int
usable(const struct probe_result *p, const struct client_profile *c,
    uint16_t wire, uint32_t code)
{
	const struct cipher_suite *cs = cipher_suite_by_code(code);

	if (cs == NULL || !cipher_suite_negotiable(cs, wire) ||
	    !client_offers(c, code))
		return 0;
	if (wire < TLS_V_TLS13 && cs->kx == CS_KX_ECDHE &&
	    shared_group(p, c, 1) == NULL)
		return 0;
	return 1;
}

/* signed_kx - the server signs the key exchange ((EC)DHE, not anonymous). */
static int
signed_kx(const struct cipher_suite *cs)
{
	return (cs->kx == CS_KX_DHE || cs->kx == CS_KX_ECDHE) &&
	    (cs->auth == CS_AU_RSA || cs->auth == CS_AU_DSS ||
	    cs->auth == CS_AU_ECDSA);
}

/* sha1_only - every TLS 1.2 signature algorithm the server used is MD5 or
 * SHA-1 (RFC 5246 pairs: hash 1 = MD5, 2 = SHA-1). */
static int
sha1_only(const struct probe_result *p)
{
	size_t i;

	if (p->n_sigalgs == 0)
		return 0;
	for (i = 0; i < p->n_sigalgs; i++) {
		unsigned hash = p->sigalgs[i] >> 8;

		if (hash != 1 && hash != 2)
			return 0;
	}
	return 1;
}

static void
fail(struct client_sim *out, enum client_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct client_sim *out, enum client_outcome o, const char *fmt, ...)
{
	va_list ap;

	out->outcome = o;
	out->version = 0;
	out->suite = 0;
	out->group[0] = '\0';
	out->kx_bits = 0;
	out->forward_secret = 0;
	va_start(ap, fmt);
	vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
	va_end(ap);
}

/* pick - the suite the server chooses at version v, or NULL. */
static const struct probe_suite *
pick(const struct probe_result *p, const struct client_profile *c,
    enum probe_version v, int *order_assumed)
{
	const struct probe_version_result *vr = &p->versions[v];
	uint16_t wire = wire_version[v];
	size_t i, j;

	*order_assumed = p->server_order == PROBE_UNKNOWN;
	if (p->server_order == PROBE_NO) {
		/* The server follows the client: the client's first. */
		for (i = 0; i < c->n_suites; i++) {
			if (!server_accepts(vr, c->suites[i]) ||
			    !usable(p, c, wire, c->suites[i]))
				continue;
			for (j = 0; j < vr->n_suites; j++)
				if (vr->suites[j].code == c->suites[i])
					return &vr->suites[j];
		}
		return NULL;
	}
	for (j = 0; j < vr->n_suites; j++)
		if (usable(p, c, wire, vr->suites[j].code))
			return &vr->suites[j];
	return NULL;
}

void
clients_simulate_one(const struct probe_result *p,
    const struct client_profile *c, struct client_sim *out)
{
	const struct probe_suite *ps;
	const struct cipher_suite *cs;
	const char *g;
	int v, best = -1, server_best = -1, dh_bits;

	memset(out, 0, sizeof(*out));
	out->client = c;
	if (!p->done) {
		fail(out, CLIENT_UNKNOWN, "no enumeration of the server");
		return;
	}
	/* The version: the highest both speak (RFC 8446 4.2.1, RFC 5246 E.1). */
	for (v = PROBE_TLS13; v >= PROBE_SSL3; v--) {
		if (p->versions[v].supported != PROBE_YES)
			continue;
		if (server_best < 0)
			server_best = v;
		if (best < 0 && wire_version[v] >= c->min_version &&
		    wire_version[v] <= c->max_version)
			best = v;
	}
	if (best < 0) {
		if (server_best < 0)
			fail(out, CLIENT_UNKNOWN, "no protocol version confirmed");
		else if (wire_version[server_best] < c->min_version)
			fail(out, CLIENT_FAILS, "no common protocol: server %s at "
			    "most, client %s at least",
			    probe_version_name(server_best),
			    tls_version_name(c->min_version));
		else
			fail(out, CLIENT_FAILS, "no common protocol: client %s "
			    "at most", tls_version_name(c->max_version));
		return;
	}
	out->version = wire_version[best];
	if (best == PROBE_TLS13 && shared_group(p, c, 0) == NULL) {
		fail(out, CLIENT_FAILS, "no shared key exchange group at TLSv1.3");
		return;
	}
	ps = pick(p, c, best, &out->order_assumed);
	if (ps == NULL) {
		if (!p->versions[best].complete)
			fail(out, CLIENT_UNKNOWN, "no shared suite found at %s, "
			    "but its enumeration is incomplete",
			    probe_version_name(best));
		else
			fail(out, CLIENT_FAILS, "no shared cipher suite at %s",
			    probe_version_name(best));
		return;
	}
	cs = cipher_suite_by_code(ps->code);	/* usable() checked it exists */

	/* The client's own checks, after the server's choice. */
	if (best < PROBE_TLS13 && (c->flags & CLIENT_F_SECURE_RENEG) &&
	    p->secure_renegotiation == PROBE_NO) {
		fail(out, CLIENT_FAILS, "unsafe legacy renegotiation disabled "
		    "(the server lacks RFC 5746)");
		return;
	}
	dh_bits = ps->kx_bits > 0 ? ps->kx_bits : p->dh_bits;
	if (cs->kx == CS_KX_DHE && dh_bits > 0 && dh_bits < c->min_dh_bits) {
		fail(out, CLIENT_FAILS, "dh key too small: %d-bit group, the "
		    "client needs %d", dh_bits, c->min_dh_bits);
		return;
	}
	if (cs->kx == CS_KX_DHE && c->max_dh_bits > 0 &&
	    dh_bits > c->max_dh_bits) {
		fail(out, CLIENT_FAILS, "DH group too large: %d bits, the client "
		    "handles %d at most", dh_bits, c->max_dh_bits);
		return;
	}
	if ((c->flags & CLIENT_F_NO_SHA1_SIG) && signed_kx(cs) &&
	    (best < PROBE_TLS12 || (best == PROBE_TLS12 && sha1_only(p)))) {
		fail(out, CLIENT_FAILS, "legacy sigalg disallowed: the server "
		    "signs with MD5/SHA-1 at %s", probe_version_name(best));
		return;
	}

	out->outcome = CLIENT_CONNECTS;
	out->version = wire_version[best];
	out->suite = ps->code;
	out->forward_secret = (cs->flags & CS_F_FORWARD_SECRET) != 0;
	if (best < PROBE_TLS13 && cs->kx != CS_KX_ECDHE) {
		/* DHE: the server alone picks the prime; RSA: no group. */
		snprintf(out->group, sizeof(out->group), "%s", ps->kx_group);
		out->kx_bits = cs->kx == CS_KX_DHE ? dh_bits : ps->kx_bits;
		return;
	}
	/*
	 * (EC)DHE by named group: the client's groups decide, not the group
	 * mailtls's own hello got (it offers more than most clients).
	 */
	g = shared_group(p, c, best < PROBE_TLS13);
	if ((g == NULL || g[0] == '\0') && ps->kx_group[0] != '\0' &&
	    client_has_group(c, ps->kx_group))
		g = ps->kx_group;
	snprintf(out->group, sizeof(out->group), "%s", g != NULL ? g : "");
	out->kx_bits = strcmp(out->group, ps->kx_group) == 0 ? ps->kx_bits :
	    group_bits(out->group);
}

size_t
clients_simulate(const struct probe_result *p, struct client_sim *out,
    size_t cap)
{
	size_t i;

	for (i = 0; i < N(profiles) && i < cap; i++)
		clients_simulate_one(p, &profiles[i], &out[i]);
	return N(profiles);
}
