/*
 * grade.c - the rubric of docs/grading.md as a table, and the arithmetic
 * around it.  See grade.h.
 *
 * grade_server() builds a view of one address (which versions and suite
 * classes the enumeration accepted, the smallest DH group, the certificate
 * key, the authentication level), runs every rule of rules[] on it, and
 * only then combines the effects: each half of each component takes the
 * lowest value of the rules that limit it (the first such rule in table
 * order is charged the points), the letter the lowest cap.  No rule knows
 * about another; adding one is adding a row, a test and a line in
 * docs/grading.md (test_grade.c checks that the two lists agree).
 *
 * Conditions that point at a finding use the same predicate as the rule in
 * findings.c that adds it, so the finding a grade names is in the report;
 * test_grade.c checks that too.
 */
#include "grade/grade.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check/result.h"
#include "probe/cipher_suites.h"

/* Weights of the components, in tenths: 0.3 / 0.3 / 0.4. */
static const int weight[GRADE_COMPONENT_COUNT] = {
	[GRADE_PROTOCOL] = 3,
	[GRADE_KEY_EXCHANGE] = 3,
	[GRADE_CIPHER] = 4,
};

/* Classes of accepted suites the rules look at. */
#define SC_EXPORT	0x01u
#define SC_NULL		0x02u
#define SC_RC4		0x04u
#define SC_DES		0x08u
#define SC_3DES		0x10u
#define SC_64BIT	0x20u	/* IDEA, RC2: 64-bit blocks, not DES/3DES/EXPORT */
#define SC_NO_FS	0x40u
#define SC_RC4_WEAK	0x80u	/* RC4 under 128 bits, not EXPORT (SSLv2 RC4_64) */

/* The facts of one address, as the rules see them. */
struct grade_view {
	const struct server_result *s;
	const struct tls_facts	*t;		/* NULL: no completed handshake */
	const struct probe_result *p;		/* NULL: no enumeration ran */
	int			 enumerated;	/* p accepted some version */
	int			 accepted[PROBE_VERSION_COUNT];
	int			 refused[PROBE_VERSION_COUNT];
	int			 best_version;	/* highest accepted, -1 none */
	int			 worst_version;	/* lowest accepted, -1 none */
	int			 min_dh;	/* smallest DH prime, 0 none */
	int			 cert_security;	/* leaf key strength, 0 unknown */
	int			 strongest;	/* suite strength bits, -1 none */
	int			 weakest;
	unsigned		 classes;	/* SC_* */
	const struct auth_facts	*auth;
	enum auth_level		 auth_level;
};

/* --- conditions ------------------------------------------------------------ */

static int
status_is(const struct grade_view *v, enum smtp_status st)
{
	return v->s->smtp.status == st;
}

static int c_no_starttls(const struct grade_view *v) { return status_is(v, SMTP_STATUS_NO_STARTTLS); }
static int c_starttls_refused(const struct grade_view *v) { return status_is(v, SMTP_STATUS_STARTTLS_REFUSED); }
static int c_tls_failed(const struct grade_view *v) { return status_is(v, SMTP_STATUS_TLS_FAILED); }

static int
c_injection(const struct grade_view *v)
{
	return status_is(v, SMTP_STATUS_PROTOCOL_ERROR) &&
	    v->s->smtp.injected_bytes > 0;
}

static int
c_protocol_error(const struct grade_view *v)
{
	return status_is(v, SMTP_STATUS_PROTOCOL_ERROR) &&
	    v->s->smtp.injected_bytes == 0;
}

static int c_sslv2(const struct grade_view *v) { return v->accepted[PROBE_SSL2]; }
static int c_sslv3(const struct grade_view *v) { return v->accepted[PROBE_SSL3]; }
static int c_tls10(const struct grade_view *v) { return v->accepted[PROBE_TLS10]; }

static int
c_tls11(const struct grade_view *v)
{
	return v->accepted[PROBE_TLS11] && !v->accepted[PROBE_TLS10];
}

/* Neither TLS 1.2 nor 1.3, as findings.c's no-tls12. */
static int
no_tls12(const struct grade_view *v)
{
	return v->refused[PROBE_TLS12] && v->refused[PROBE_TLS13];
}

static int c_best_tls11(const struct grade_view *v) { return no_tls12(v) && v->best_version == PROBE_TLS11; }
static int c_best_tls10(const struct grade_view *v) { return no_tls12(v) && v->best_version == PROBE_TLS10; }
static int c_best_sslv3(const struct grade_view *v) { return no_tls12(v) && v->best_version == PROBE_SSL3; }
static int c_best_sslv2(const struct grade_view *v) { return no_tls12(v) && v->best_version == PROBE_SSL2; }

static int
negotiated(const struct grade_view *v, int version_code)
{
	return !v->enumerated && v->t != NULL && v->t->version_code == version_code;
}

static int c_neg_tls11(const struct grade_view *v) { return negotiated(v, TLS_V_TLS11); }
static int c_neg_tls10(const struct grade_view *v) { return negotiated(v, TLS_V_TLS10); }
static int c_neg_sslv3(const struct grade_view *v) { return negotiated(v, TLS_V_SSL3); }

static int c_dh_below_2048(const struct grade_view *v) { return v->min_dh >= 1024 && v->min_dh < 2048; }
static int c_dh_below_1024(const struct grade_view *v) { return v->min_dh >= 512 && v->min_dh < 1024; }
static int c_dh_below_512(const struct grade_view *v) { return v->min_dh > 0 && v->min_dh < 512; }
static int c_export(const struct grade_view *v) { return (v->classes & SC_EXPORT) != 0; }

static int
c_cert_below_112(const struct grade_view *v)
{
	return v->cert_security >= 80 && v->cert_security < 112;
}

static int
c_cert_below_80(const struct grade_view *v)
{
	return v->cert_security > 0 && v->cert_security < 80;
}

static int c_no_fs(const struct grade_view *v) { return v->t != NULL && !v->t->forward_secret; }

static int
c_modern_refuses(const struct grade_view *v)
{
	return v->t != NULL && v->t->modern_refusals.n > 0;
}

static int c_null(const struct grade_view *v) { return (v->classes & SC_NULL) != 0; }
static int c_des(const struct grade_view *v) { return (v->classes & SC_DES) != 0; }
static int c_3des(const struct grade_view *v) { return (v->classes & SC_3DES) != 0; }
static int c_64bit(const struct grade_view *v) { return (v->classes & SC_64BIT) != 0; }
static int c_rc4(const struct grade_view *v) { return (v->classes & SC_RC4) != 0; }
static int c_rc4_weak(const struct grade_view *v) { return (v->classes & SC_RC4_WEAK) != 0; }

static int
c_best_cipher_below_128(const struct grade_view *v)
{
	return v->enumerated && v->strongest >= 0 && v->strongest < 128;
}

static int
c_neg_cipher_below_112(const struct grade_view *v)
{
	return !v->enumerated && v->t != NULL && v->t->cipher_bits > 0 &&
	    v->t->cipher_bits < 112;
}

static int
c_neg_cipher_below_128(const struct grade_view *v)
{
	return !v->enumerated && v->t != NULL && v->t->cipher_bits >= 112 &&
	    v->t->cipher_bits < 128;
}

static int
c_compression(const struct grade_view *v)
{
	return v->p != NULL && v->p->compression == PROBE_YES;
}

static int
c_no_secure_reneg(const struct grade_view *v)
{
	return v->p != NULL && v->p->secure_renegotiation == PROBE_NO;
}

static int
c_no_fallback_scsv(const struct grade_view *v)
{
	return v->p != NULL && v->p->fallback_scsv == PROBE_NO;
}

/* As findings.c's no-tls13: only when TLS 1.2 is not refused too. */
static int
c_no_tls13(const struct grade_view *v)
{
	return v->refused[PROBE_TLS13] && !v->refused[PROBE_TLS12];
}

static int c_suites_no_fs(const struct grade_view *v) { return (v->classes & SC_NO_FS) != 0; }

static int
c_enum_incomplete(const struct grade_view *v)
{
	return v->p != NULL && (v->p->inconclusive > 0 || v->p->error != NULL);
}

static int c_quick(const struct grade_view *v) { return !v->enumerated && v->t != NULL; }
static int c_auth_not_assessed(const struct grade_view *v) { return v->auth_level == AUTH_NOT_ASSESSED; }

static int
c_not_authenticated(const struct grade_view *v)
{
	return v->auth_level == AUTH_OPPORTUNISTIC ||
	    v->auth_level == AUTH_MTASTS_TESTING ||
	    v->auth_level == AUTH_DANE_NO_USABLE;
}

static int
c_dane_fails(const struct grade_view *v)
{
	return v->auth->dane == DANE_FAILS || v->auth->dane == DANE_LOOKUP_FAILED;
}

static int
c_mtasts_fails(const struct grade_view *v)
{
	return v->auth->mtasts == MTASTS_ENFORCE_FAILS;
}

/* --- the rubric: docs/grading.md section 4, row for row -------------------- */

#define P GRADE_PROTOCOL
#define K GRADE_KEY_EXCHANGE
#define C GRADE_CIPHER
#define BEST GRADE_HALF_BEST
#define WORST GRADE_HALF_WORST
#define BOTH GRADE_HALF_BOTH

static const struct grade_rule rules[] = {
	/* No working TLS: encryption 0. */
	{ "no-starttls", c_no_starttls, .zero = 1, .cap = GRADE_F,
	    .finding = F_NO_STARTTLS,
	    .reason = "no STARTTLS: mail arrives in clear text" },
	{ "starttls-refused", c_starttls_refused, .zero = 1, .cap = GRADE_F,
	    .finding = F_STARTTLS_REFUSED,
	    .reason = "STARTTLS advertised but refused: senders deliver in clear text" },
	{ "tls-handshake-failed", c_tls_failed, .zero = 1, .cap = GRADE_F,
	    .finding = F_TLS_HANDSHAKE_FAILED,
	    .reason = "the TLS handshake fails: senders fall back to clear text or queue" },
	{ "starttls-injection", c_injection, .zero = 1, .cap = GRADE_F,
	    .finding = F_STARTTLS_INJECTION,
	    .reason = "data injected after the 220 to STARTTLS" },
	{ "smtp-protocol-error", c_protocol_error, .zero = 1, .cap = GRADE_F,
	    .finding = F_SMTP_PROTOCOL_ERROR,
	    .reason = "the SMTP dialogue breaks before TLS" },

	/* Protocol versions (enumeration). */
	{ "sslv2-accepted", c_sslv2, .component = P, .halves = WORST, .value = 0,
	    .cap = GRADE_F, .finding = F_PROTO_SSL2,
	    .reason = "SSL 2.0 accepted" },
	{ "sslv3-accepted", c_sslv3, .component = P, .halves = WORST, .value = 80,
	    .cap = GRADE_C, .finding = F_PROTO_SSL3,
	    .reason = "SSL 3.0 accepted" },
	{ "tls10-accepted", c_tls10, .component = P, .halves = WORST, .value = 90,
	    .cap = GRADE_B, .finding = F_PROTO_TLS1_LEGACY,
	    .reason = "TLS 1.0 accepted" },
	{ "tls11-accepted", c_tls11, .component = P, .halves = WORST, .value = 95,
	    .cap = GRADE_B, .finding = F_PROTO_TLS1_LEGACY,
	    .reason = "TLS 1.1 accepted" },
	{ "best-tls11", c_best_tls11, .component = P, .halves = BEST, .value = 95,
	    .cap = GRADE_C, .finding = F_NO_TLS12,
	    .reason = "no TLS 1.2 or 1.3: the best version is TLS 1.1" },
	{ "best-tls10", c_best_tls10, .component = P, .halves = BEST, .value = 90,
	    .cap = GRADE_C, .finding = F_NO_TLS12,
	    .reason = "no TLS 1.2 or 1.3: the best version is TLS 1.0" },
	{ "best-sslv3", c_best_sslv3, .component = P, .halves = BEST, .value = 80,
	    .cap = GRADE_C, .finding = F_NO_TLS12,
	    .reason = "no TLS 1.2 or 1.3: the best version is SSL 3.0" },
	{ "best-sslv2", c_best_sslv2, .component = P, .halves = BEST, .value = 0,
	    .cap = GRADE_C, .finding = F_NO_TLS12,
	    .reason = "no TLS 1.2 or 1.3: the best version is SSL 2.0" },

	/* Protocol version (one handshake). */
	{ "negotiated-tls11", c_neg_tls11, .component = P, .halves = BOTH,
	    .value = 95, .cap = GRADE_C, .finding = F_TLS_VERSION_OLD,
	    .reason = "TLS 1.1 negotiated although TLS 1.3 was offered" },
	{ "negotiated-tls10", c_neg_tls10, .component = P, .halves = BOTH,
	    .value = 90, .cap = GRADE_C, .finding = F_TLS_VERSION_OLD,
	    .reason = "TLS 1.0 negotiated although TLS 1.3 was offered" },
	{ "negotiated-sslv3", c_neg_sslv3, .component = P, .halves = BOTH,
	    .value = 80, .cap = GRADE_C, .finding = F_TLS_VERSION_OLD,
	    .reason = "SSL 3.0 negotiated" },

	/* Key exchange. */
	{ "dh-below-2048", c_dh_below_2048, .component = K, .halves = BOTH,
	    .value = 80, .cap = GRADE_B, .finding = F_DH_WEAK,
	    .reason = "DH group of 1024-2047 bits" },
	{ "dh-below-1024", c_dh_below_1024, .component = K, .halves = BOTH,
	    .value = 40, .cap = GRADE_F, .finding = F_DH_WEAK,
	    .reason = "DH group under 1024 bits" },
	{ "dh-below-512", c_dh_below_512, .component = K, .halves = BOTH,
	    .value = 20, .cap = GRADE_F, .finding = F_DH_WEAK,
	    .reason = "DH group under 512 bits" },
	{ "export-key-exchange", c_export, .component = K, .halves = BOTH,
	    .value = 40, .cap = GRADE_F, .finding = F_SUITES_EXPORT,
	    .reason = "EXPORT suites accepted (512-bit key exchange)" },
	{ "cert-key-below-112", c_cert_below_112, .component = K, .halves = BOTH,
	    .value = 80, .cap = GRADE_B, .finding = F_CERT_WEAK_KEY,
	    .reason = "certificate key of 80-111-bit strength (RSA 1024)" },
	{ "cert-key-below-80", c_cert_below_80, .component = K, .halves = BOTH,
	    .value = 40, .cap = GRADE_F, .finding = F_CERT_WEAK_KEY,
	    .reason = "certificate key under 80-bit strength" },
	{ "no-forward-secrecy", c_no_fs, .cap = GRADE_B,
	    .finding = F_NO_FORWARD_SECRECY,
	    .reason = "the negotiated key exchange has no forward secrecy" },
	{ "modern-client-refuses", c_modern_refuses, .cap = GRADE_C,
	    .finding = F_MODERN_CLIENT_REFUSES,
	    .reason = "up-to-date senders (OpenSSL 3 defaults) refuse the handshake: "
	    "their mail goes in clear text or queues" },

	/* Ciphers. */
	{ "null-cipher", c_null, .component = C, .halves = WORST, .value = 0,
	    .cap = GRADE_F, .finding = F_SUITES_NULL,
	    .reason = "suites without encryption accepted" },
	{ "export-cipher", c_export, .component = C, .halves = WORST, .value = 20,
	    .finding = F_SUITES_EXPORT,
	    .reason = "EXPORT suites accepted (40/56-bit ciphers)" },
	{ "des-cipher", c_des, .component = C, .halves = WORST, .value = 20,
	    .cap = GRADE_F, .finding = F_SUITES_DES,
	    .reason = "single-DES suites accepted (56 bits)" },
	{ "3des-cipher", c_3des, .component = C, .halves = WORST, .value = 20,
	    .cap = GRADE_B, .finding = F_SUITES_3DES,
	    .reason = "3DES suites accepted (112 bits, 64-bit blocks)" },
	{ "64bit-block-cipher", c_64bit, .cap = GRADE_B, .finding = F_SUITES_3DES,
	    .reason = "IDEA or RC2 suites accepted (64-bit blocks, SWEET32)" },
	{ "rc4-cipher", c_rc4, .cap = GRADE_C, .finding = F_SUITES_RC4,
	    .reason = "RC4 accepted (RFC 7465)" },
	{ "weak-rc4-cipher", c_rc4_weak, .component = C, .halves = WORST,
	    .value = 20, .finding = F_SUITES_RC4,
	    .reason = "RC4 under 128 bits accepted (SSL 2.0's RC4_64)" },
	{ "best-cipher-below-128", c_best_cipher_below_128, .component = C,
	    .halves = BEST, .value = 20, .finding = F_CIPHER_WEAK,
	    .reason = "even the strongest suite has less than 128 bits" },
	{ "negotiated-cipher-below-112", c_neg_cipher_below_112, .component = C,
	    .halves = BOTH, .value = 20, .cap = GRADE_F, .finding = F_CIPHER_WEAK,
	    .reason = "the negotiated cipher has less than 112 bits" },
	{ "negotiated-cipher-below-128", c_neg_cipher_below_128, .component = C,
	    .halves = BOTH, .value = 20, .cap = GRADE_B, .finding = F_CIPHER_WEAK,
	    .reason = "the negotiated cipher has 112-127 bits (3DES)" },

	/* Other protocol features. */
	{ "tls-compression", c_compression, .cap = GRADE_B,
	    .finding = F_COMPRESSION, .reason = "TLS compression accepted (CRIME)" },
	{ "no-secure-renegotiation", c_no_secure_reneg, .cap = GRADE_B,
	    .finding = F_NO_SECURE_RENEGOTIATION,
	    .reason = "no secure renegotiation (RFC 5746)" },
	{ "no-fallback-scsv", c_no_fallback_scsv, .cap = GRADE_A_MINUS,
	    .finding = F_NO_FALLBACK_SCSV,
	    .reason = "downgrades go unnoticed (no TLS_FALLBACK_SCSV)" },

	/* What A+ needs. */
	{ "no-tls13", c_no_tls13, .blocks_a_plus = 1, .finding = F_NO_TLS13,
	    .reason = "A+ needs TLS 1.3" },
	{ "suites-without-forward-secrecy", c_suites_no_fs, .blocks_a_plus = 1,
	    .finding = F_SUITES_NO_FS,
	    .reason = "A+ needs forward secrecy on every suite" },
	{ "enumeration-incomplete", c_enum_incomplete, .blocks_a_plus = 1,
	    .finding = F_PROBE_INCOMPLETE,
	    .reason = "A+ needs a complete enumeration" },
	{ "quick-check", c_quick, .blocks_a_plus = 1, .finding = F_COUNT,
	    .reason = "A+ needs the enumeration (graded from one handshake)" },
	{ "auth-not-assessed", c_auth_not_assessed, .blocks_a_plus = 1,
	    .finding = F_COUNT,
	    .reason = "A+ needs valid DANE or MTA-STS enforce; mailtls does not "
	    "check them yet" },
	{ "not-authenticated", c_not_authenticated, .blocks_a_plus = 1,
	    .finding = F_COUNT,
	    .reason = "A+ needs valid DANE or MTA-STS enforce" },

	/* Authentication that makes senders defer. */
	{ "dane-fails", c_dane_fails, .cap = GRADE_F, .finding = F_COUNT,
	    .reason = "the address fails its TLSA records: DANE senders defer mail" },
	{ "mta-sts-enforce-fails", c_mtasts_fails, .cap = GRADE_F,
	    .finding = F_COUNT,
	    .reason = "the address fails the MTA-STS enforce policy: MTA-STS "
	    "senders defer mail" },
};

#undef P
#undef K
#undef C
#undef BEST
#undef WORST
#undef BOTH

#define N_RULES (sizeof(rules) / sizeof(rules[0]))
_Static_assert(N_RULES <= GRADE_MAX_HITS, "a hit per rule fits in struct grade");

size_t
grade_rule_count(void)
{
	return N_RULES;
}

const struct grade_rule *
grade_rule_at(size_t i)
{
	return i < N_RULES ? &rules[i] : NULL;
}

const struct grade_rule *
grade_rule_by_id(const char *id)
{
	size_t i;

	for (i = 0; i < N_RULES; i++)
		if (strcmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}

/* --- authentication levels: docs/grading.md section 6 --------------------- */

static int
a_broken(const struct auth_facts *a)
{
	return a->dane == DANE_FAILS || a->dane == DANE_LOOKUP_FAILED ||
	    a->mtasts == MTASTS_ENFORCE_FAILS;
}

static int a_dane(const struct auth_facts *a) { return a->dane == DANE_VALID; }
static int a_enforce(const struct auth_facts *a) { return a->mtasts == MTASTS_ENFORCE; }
static int a_no_usable(const struct auth_facts *a) { return a->dane == DANE_NO_USABLE; }
static int a_testing(const struct auth_facts *a) { return a->mtasts == MTASTS_TESTING; }

static int
a_not_checked(const struct auth_facts *a)
{
	return a->dane == DANE_NOT_CHECKED || a->mtasts == MTASTS_NOT_CHECKED;
}

static int a_always(const struct auth_facts *a) { (void)a; return 1; }

/* The first row that applies sets the level. */
static const struct {
	enum auth_level	 level;
	int		(*applies)(const struct auth_facts *a);
} auth_rows[] = {
	{ AUTH_BROKEN, a_broken },
	{ AUTH_DANE, a_dane },
	{ AUTH_MTASTS_ENFORCE, a_enforce },
	{ AUTH_DANE_NO_USABLE, a_no_usable },
	{ AUTH_MTASTS_TESTING, a_testing },
	{ AUTH_NOT_ASSESSED, a_not_checked },
	{ AUTH_OPPORTUNISTIC, a_always },
};

static const struct {
	const char	*name;
	const char	*text;
	int		 score;		/* -1: none */
} auth_levels[] = {
	[AUTH_NOT_ASSESSED] = { "not-assessed", "not assessed (mailtls does not "
	    "check DANE and MTA-STS yet): opportunistic TLS as far as mailtls "
	    "knows", -1 },
	[AUTH_BROKEN] = { "broken", "BROKEN: a DANE or MTA-STS policy this address "
	    "fails makes senders defer mail", 0 },
	[AUTH_OPPORTUNISTIC] = { "opportunistic", "none: opportunistic TLS only "
	    "(no DANE, no MTA-STS)", 0 },
	[AUTH_MTASTS_TESTING] = { "mta-sts-testing", "MTA-STS in testing mode: "
	    "failures are reported, mail still flows", 20 },
	[AUTH_DANE_NO_USABLE] = { "dane-no-usable-tlsa", "TLSA records, none "
	    "usable: mandatory TLS without authentication", 40 },
	[AUTH_MTASTS_ENFORCE] = { "mta-sts-enforce", "MTA-STS enforce, satisfied", 80 },
	[AUTH_DANE] = { "dane", "DANE, valid", 100 },
};
_Static_assert(sizeof(auth_levels) / sizeof(auth_levels[0]) == AUTH_LEVEL_COUNT,
    "one entry per auth_level");

static enum auth_level
auth_level_of(const struct auth_facts *a)
{
	size_t i;

	for (i = 0; i < sizeof(auth_rows) / sizeof(auth_rows[0]); i++)
		if (auth_rows[i].applies(a))
			return auth_rows[i].level;
	return AUTH_NOT_ASSESSED;
}

/* --- the view --------------------------------------------------------------- */

static unsigned
suite_classes(const struct cipher_suite *cs)
{
	unsigned c = 0;

	if (cs->flags & CS_F_EXPORT)
		c |= SC_EXPORT;
	if (cs->flags & CS_F_NULL_CIPHER)
		c |= SC_NULL;
	if (cs->flags & CS_F_RC4)
		c |= SC_RC4;
	if ((cs->flags & CS_F_RC4) && cs->strength_bits < 128 &&
	    !(cs->flags & CS_F_EXPORT))
		c |= SC_RC4_WEAK;
	if (cs->enc == CS_ENC_DES_CBC && !(cs->flags & CS_F_EXPORT))
		c |= SC_DES;
	if (cs->enc == CS_ENC_3DES_EDE_CBC)
		c |= SC_3DES;
	if ((cs->flags & CS_F_SWEET32) && cs->enc != CS_ENC_DES_CBC &&
	    cs->enc != CS_ENC_3DES_EDE_CBC && !(cs->flags & CS_F_EXPORT))
		c |= SC_64BIT;
	/* As findings.c's suites-without-forward-secrecy. */
	if (!(cs->flags & (CS_F_FORWARD_SECRET | CS_F_SIGNALLING | CS_F_ANON)) &&
	    cs->kx != CS_KX_ANY)
		c |= SC_NO_FS;
	return c;
}

static void
strength_seen(struct grade_view *v, int bits)
{
	if (v->strongest < 0 || bits > v->strongest)
		v->strongest = bits;
	if (v->weakest < 0 || bits < v->weakest)
		v->weakest = bits;
}

static void
view_build(struct grade_view *v, const struct server_result *s,
    const struct auth_facts *auth)
{
	size_t ver, i;

	memset(v, 0, sizeof(*v));
	v->s = s;
	v->t = s->tls.handshake_ok ? &s->tls : NULL;
	v->p = s->probe.done ? &s->probe : NULL;
	v->best_version = v->worst_version = -1;
	v->strongest = v->weakest = -1;
	v->auth = auth;
	v->auth_level = auth_level_of(auth);

	for (ver = 0; v->p != NULL && ver < PROBE_VERSION_COUNT; ver++) {
		const struct probe_version_result *vr = &v->p->versions[ver];

		v->accepted[ver] = vr->supported == PROBE_YES;
		v->refused[ver] = vr->supported == PROBE_NO;
		if (v->accepted[ver]) {
			v->enumerated = 1;
			if (v->worst_version < 0)
				v->worst_version = (int)ver;
			v->best_version = (int)ver;
		}
		for (i = 0; i < vr->n_suites; i++) {
			const struct cipher_suite *cs =
			    cipher_suite_by_code(vr->suites[i].code);

			if (cs == NULL || (cs->flags & CS_F_SIGNALLING))
				continue;
			v->classes |= suite_classes(cs);
			strength_seen(v, cs->strength_bits);
		}
	}
	if (!v->enumerated && v->t != NULL && v->t->cipher_bits > 0)
		strength_seen(v, v->t->cipher_bits);

	/* The DH size, as findings.c's dh-group-too-small sees it. */
	if (v->p != NULL && v->p->dh_bits > 0)
		v->min_dh = v->p->dh_bits;
	if (v->t != NULL && v->t->kx != NULL && strcmp(v->t->kx, "DHE") == 0 &&
	    v->t->kx_bits > 0 && (v->min_dh == 0 || v->t->kx_bits < v->min_dh))
		v->min_dh = v->t->kx_bits;
	if (v->t != NULL && v->t->chain_len > 0)
		v->cert_security = v->t->chain[0].key_security_bits;
}

/* --- the SSL Labs-style percentage: docs/grading.md section 7 -------------- */

static const int protocol_score[PROBE_VERSION_COUNT] = {
	[PROBE_SSL2] = 0,
	[PROBE_SSL3] = 80,
	[PROBE_TLS10] = 90,
	[PROBE_TLS11] = 95,
	[PROBE_TLS12] = 100,
	[PROBE_TLS13] = 100,
};

/* Key exchange and cipher: the first row the size is below. */
static const struct { int below; int score; } ssllabs_kx[] = {
	{ 512, 20 }, { 1024, 40 }, { 2048, 80 }, { 4096, 90 }, { 1 << 30, 100 },
};
static const struct { int below; int score; } ssllabs_cipher[] = {
	{ 1, 0 }, { 128, 20 }, { 256, 80 }, { 1 << 30, 100 },
};

/* RSA-equivalent sizes of an EC group and of a strength (NIST SP 800-57). */
static const struct { int at_least; int rsa; } ec_equiv[] = {
	{ 512, 15360 }, { 384, 7680 }, { 250, 3072 }, { 224, 2048 }, { 160, 1024 },
	{ 0, 512 },
};
static const struct { int at_least; int rsa; } strength_equiv[] = {
	{ 256, 15360 }, { 192, 7680 }, { 128, 3072 }, { 112, 2048 }, { 80, 1024 },
	{ 0, 512 },
};

static int
ec_rsa_bits(int bits)
{
	size_t i;

	for (i = 0; ec_equiv[i].at_least > bits; i++)
		;
	return ec_equiv[i].rsa;
}

static int
strength_rsa_bits(int bits)
{
	size_t i;

	for (i = 0; strength_equiv[i].at_least > bits; i++)
		;
	return strength_equiv[i].rsa;
}

static int
kx_table(int bits)
{
	size_t i;

	for (i = 0; bits >= ssllabs_kx[i].below; i++)
		;
	return ssllabs_kx[i].score;
}

static int
cipher_table(int bits)
{
	size_t i;

	for (i = 0; bits >= ssllabs_cipher[i].below; i++)
		;
	return ssllabs_cipher[i].score;
}

static int
is_ffdh_group(const char *group)
{
	return group != NULL && (strncmp(group, "ffdhe", 5) == 0 ||
	    strncmp(group, "DH", 2) == 0 || strncmp(group, "modp", 4) == 0);
}

/* The RSA-equivalent size of an ephemeral key of kx_bits in group. */
static void
kx_seen(int *min, enum cs_kx kx, const char *group, int kx_bits)
{
	int bits;

	if (kx_bits <= 0)
		return;
	if (kx == CS_KX_ECDHE || kx == CS_KX_ECDHE_PSK ||
	    (kx == CS_KX_ANY && !is_ffdh_group(group)))
		bits = ec_rsa_bits(kx_bits);
	else
		return;		/* finite-field DH: v->min_dh */
	if (*min == 0 || bits < *min)
		*min = bits;
}

static int
version_index(int code)
{
	static const int codes[PROBE_VERSION_COUNT] = {
		[PROBE_SSL2] = TLS_V_SSL2, [PROBE_SSL3] = TLS_V_SSL3,
		[PROBE_TLS10] = TLS_V_TLS10, [PROBE_TLS11] = TLS_V_TLS11,
		[PROBE_TLS12] = TLS_V_TLS12, [PROBE_TLS13] = TLS_V_TLS13,
	};
	int i;

	for (i = 0; i < PROBE_VERSION_COUNT; i++)
		if (codes[i] == code)
			return i;
	return -1;
}

static int
ssllabs_score(const struct grade_view *v)
{
	int best = v->best_version, worst = v->worst_version;
	int kx = 0, p2, k, c2;
	size_t ver, i;

	if (!v->enumerated && v->t != NULL)
		best = worst = version_index(v->t->version_code);
	if (best < 0)
		return 0;
	p2 = protocol_score[best] + protocol_score[worst];

	/* Key exchange: the weakest of DH, curves, certificate, EXPORT. */
	if (v->min_dh > 0)
		kx = v->min_dh;
	for (ver = 0; v->p != NULL && ver < PROBE_VERSION_COUNT; ver++) {
		const struct probe_version_result *vr = &v->p->versions[ver];

		for (i = 0; i < vr->n_suites; i++) {
			const struct cipher_suite *cs =
			    cipher_suite_by_code(vr->suites[i].code);

			if (cs != NULL)
				kx_seen(&kx, cs->kx, vr->suites[i].kx_group,
				    vr->suites[i].kx_bits);
		}
	}
	if (v->t != NULL && v->t->kx != NULL)
		kx_seen(&kx, strcmp(v->t->kx, "ECDHE") == 0 ? CS_KX_ECDHE :
		    strcmp(v->t->kx, "any") == 0 ? CS_KX_ANY : CS_KX_NULL,
		    v->t->kx_group, v->t->kx_bits);
	if (v->t != NULL && v->t->chain_len > 0) {
		const struct cert_facts *leaf = &v->t->chain[0];
		int bits = 0;

		if (leaf->key_type != NULL && (strcmp(leaf->key_type, "RSA") == 0 ||
		    strcmp(leaf->key_type, "RSA-PSS") == 0 ||
		    strcmp(leaf->key_type, "DSA") == 0))
			bits = leaf->key_bits;
		else if (leaf->key_security_bits > 0)
			bits = strength_rsa_bits(leaf->key_security_bits);
		if (bits > 0 && (kx == 0 || bits < kx))
			kx = bits;
	}
	k = kx > 0 ? kx_table(kx) : 100;
	if ((v->classes & SC_EXPORT) && k > 40)
		k = 40;

	c2 = v->strongest < 0 ? 200 :
	    cipher_table(v->strongest) + cipher_table(v->weakest);
	return (3 * p2 + 6 * k + 4 * c2 + 10) / 20;
}

/* --- grading an address ----------------------------------------------------- */

/* Why an address is not graded, by SMTP status; NULL: it is graded. */
static const char *const not_graded_why[SMTP_STATUS_COUNT] = {
	[SMTP_STATUS_HANDED_OFF] = "no facts: the session was handed to the probe",
	[SMTP_STATUS_TEMPFAIL] = "inconclusive: temporary failure (try again later)",
	[SMTP_STATUS_REFUSED] = "inconclusive: the server refused the session "
	    "(try again later)",
	[SMTP_STATUS_TIMEOUT] = "inconclusive: timed out (try again later)",
	[SMTP_STATUS_UNREACHABLE] = "inconclusive: could not connect (try again later)",
	[SMTP_STATUS_NOT_TESTED] = "not tested",
};

enum grade_letter
grade_letter_from_score(int score)
{
	static const struct { int at_least; enum grade_letter letter; } t[] = {
		{ 80, GRADE_A }, { 65, GRADE_B }, { 50, GRADE_C }, { 35, GRADE_D },
		{ 20, GRADE_E }, { -1000, GRADE_F },
	};
	size_t i;

	for (i = 0; score < t[i].at_least; i++)
		;
	return t[i].letter;
}

void
grade_server(const struct server_result *s, const struct auth_facts *auth,
    struct grade *g)
{
	struct grade_view v;
	unsigned lost20[N_RULES];
	int applied[N_RULES];
	int bind_best[GRADE_COMPONENT_COUNT], bind_worst[GRADE_COMPONENT_COUNT];
	int zero = -1, total20 = 0, c;
	size_t i;

	memset(g, 0, sizeof(*g));
	g->auth_level = auth_level_of(auth);
	g->authentication = auth_levels[g->auth_level].score;
	if ((unsigned)s->smtp.status < SMTP_STATUS_COUNT &&
	    not_graded_why[s->smtp.status] != NULL) {
		g->not_graded = not_graded_why[s->smtp.status];
		return;
	}
	if (s->smtp.status == SMTP_STATUS_TLS_OK && !s->tls.handshake_ok) {
		g->not_graded = "no facts: TLS reported without a handshake";
		return;
	}

	view_build(&v, s, auth);
	memset(lost20, 0, sizeof(lost20));
	for (c = 0; c < GRADE_COMPONENT_COUNT; c++) {
		g->best[c] = g->worst[c] = 100;
		bind_best[c] = bind_worst[c] = -1;
	}
	for (i = 0; i < N_RULES; i++) {
		const struct grade_rule *r = &rules[i];

		applied[i] = r->applies(&v);
		if (!applied[i])
			continue;
		if (r->zero && zero < 0)
			zero = (int)i;
		if ((r->halves & GRADE_HALF_BEST) && r->value < g->best[r->component]) {
			g->best[r->component] = r->value;
			bind_best[r->component] = (int)i;
		}
		if ((r->halves & GRADE_HALF_WORST) && r->value < g->worst[r->component]) {
			g->worst[r->component] = r->value;
			bind_worst[r->component] = (int)i;
		}
	}

	if (zero >= 0) {
		g->basis = GRADE_BASIS_SMTP;
		for (c = 0; c < GRADE_COMPONENT_COUNT; c++)
			g->best[c] = g->worst[c] = 0;
		lost20[zero] = 2000;
	} else {
		g->basis = v.enumerated ? GRADE_BASIS_ENUMERATION :
		    GRADE_BASIS_HANDSHAKE;
		for (c = 0; c < GRADE_COMPONENT_COUNT; c++) {
			if (bind_best[c] >= 0)
				lost20[bind_best[c]] += (unsigned)(weight[c] *
				    (100 - g->best[c]));
			if (bind_worst[c] >= 0)
				lost20[bind_worst[c]] += (unsigned)(weight[c] *
				    (100 - g->worst[c]));
			total20 += weight[c] * (g->best[c] + g->worst[c]);
		}
	}
	g->encryption = (total20 + 10) / 20;
	g->score_letter = zero >= 0 ? GRADE_F : grade_letter_from_score(g->encryption);
	g->letter = g->score_letter;

	/* Record what applied: caps, A+ requirements, points lost. */
	for (i = 0; i < N_RULES; i++) {
		const struct grade_rule *r = &rules[i];

		if (!applied[i] || (r->cap == GRADE_NONE && !r->blocks_a_plus &&
		    lost20[i] == 0))
			continue;
		g->hits[g->n_hits].rule = (unsigned short)i;
		g->hits[g->n_hits].lost20 = (unsigned short)lost20[i];
		g->n_hits++;
		if (r->cap != GRADE_NONE && r->cap < g->letter)
			g->letter = r->cap;
	}
	if (g->letter == GRADE_A) {
		for (i = 0; i < g->n_hits && !rules[g->hits[i].rule].blocks_a_plus; i++)
			;
		if (i == g->n_hits)
			g->letter = GRADE_A_PLUS;
	}
	g->ssllabs = zero >= 0 ? 0 : ssllabs_score(&v);
}

/* --- grading the domain ----------------------------------------------------- */

/* Is a worse than b?  Lower letter, then lower encryption. */
static int
worse(const struct grade *a, const struct grade *b)
{
	if (a->letter != b->letter)
		return a->letter < b->letter;
	return a->encryption < b->encryption;
}

void
grade_domain(const struct domain_result *d, struct domain_grade *g)
{
	const struct grade *worst = NULL;
	size_t i, j;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < d->n_hosts; i++) {
		for (j = 0; j < d->hosts[i].n_servers; j++) {
			const struct server_result *s = d->hosts[i].servers[j];
			const struct grade *sg = &d->hosts[i].views[j].grade;

			g->addresses++;
			if (sg->letter == GRADE_NONE) {
				if (s->smtp.status == SMTP_STATUS_NOT_TESTED)
					g->not_tested++;
				else
					g->inconclusive++;
				continue;
			}
			g->graded++;
			if (sg->basis == GRADE_BASIS_HANDSHAKE)
				g->handshake_only++;
			if (s->probe.done && (s->probe.inconclusive > 0 ||
			    s->probe.error != NULL))
				g->incomplete++;
			if (worst == NULL || worse(sg, worst)) {
				worst = sg;
				g->has_worst = 1;
				g->worst_host = i;
				g->worst_server = j;
			}
		}
	}
	if (worst != NULL)
		g->letter = worst->letter;
	else if (d->null_mx)
		g->not_graded = "the domain accepts no mail (null MX)";
	else if (g->addresses == 0)
		g->not_graded = "no mail server address to grade (see the domain "
		    "findings)";
	else
		g->not_graded = "no address could be graded: every one was "
		    "inconclusive or not tested";
	if (g->graded == 0)
		g->confidence = GRADE_CONFIDENCE_NONE;
	else if (g->graded == g->addresses && g->handshake_only == 0 &&
	    g->incomplete == 0)
		g->confidence = GRADE_CONFIDENCE_COMPLETE;
	else
		g->confidence = GRADE_CONFIDENCE_PARTIAL;
}

void
grade_derive(struct domain_result *d)
{
	size_t i, j;

	for (i = 0; i < d->n_hosts; i++)
		for (j = 0; j < d->hosts[i].n_servers; j++)
			grade_server(d->hosts[i].servers[j],
			    &d->hosts[i].views[j].auth,
			    &d->hosts[i].views[j].grade);
	grade_domain(d, &d->grade);
}

/* --- words ------------------------------------------------------------------ */

static void
append(char *buf, size_t len, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
append(char *buf, size_t len, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*o >= len)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *o, len - *o, fmt, ap);
	va_end(ap);
	if (w > 0)
		*o += (size_t)w;
}

void
grade_confidence_text(const struct domain_grade *g, char *buf, size_t len)
{
	unsigned missing = g->inconclusive + g->not_tested;
	size_t o = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	switch (g->confidence) {
	case GRADE_CONFIDENCE_COMPLETE:
		if (g->addresses == 1)
			append(buf, len, &o, "complete: the only address was graded");
		else
			append(buf, len, &o, "complete: all %u addresses were graded",
			    g->addresses);
		return;
	case GRADE_CONFIDENCE_NONE:
		if (g->addresses == 0)
			append(buf, len, &o, "none: no mail server address");
		else
			append(buf, len, &o, "none: no address could be graded "
			    "(%u inconclusive, %u not tested); try again later",
			    g->inconclusive, g->not_tested);
		return;
	default:
		break;
	}
	append(buf, len, &o, "partial: ");
	if (missing > 0)
		append(buf, len, &o, "%u of %u address%s %s%s%s; the grade covers "
		    "the other %u and may be worse", missing, g->addresses,
		    g->addresses == 1 ? "" : "es",
		    g->inconclusive ? "inconclusive" : "",
		    g->inconclusive && g->not_tested ? " or " : "",
		    g->not_tested ? "not tested" : "", g->graded);
	if (g->handshake_only > 0)
		append(buf, len, &o, "%s%u graded from one handshake only (no "
		    "enumeration): protocols and suites beyond it are unknown",
		    missing ? "; " : "", g->handshake_only);
	if (g->incomplete > 0)
		append(buf, len, &o, "%s%u graded from an incomplete enumeration",
		    missing || g->handshake_only ? "; " : "", g->incomplete);
}

double
grade_hit_points(const struct grade_hit *h)
{
	return h->lost20 / 20.0;
}

double
grade_component_score(const struct grade *g, enum grade_component c)
{
	return (g->best[c] + g->worst[c]) / 2.0;
}

const char *
grade_letter_name(enum grade_letter l)
{
	static const char *const names[GRADE_LETTER_COUNT] = {
		[GRADE_NONE] = NULL, [GRADE_F] = "F", [GRADE_E] = "E",
		[GRADE_D] = "D", [GRADE_C] = "C", [GRADE_B] = "B",
		[GRADE_A_MINUS] = "A-", [GRADE_A] = "A", [GRADE_A_PLUS] = "A+",
	};

	return (unsigned)l < GRADE_LETTER_COUNT ? names[l] : NULL;
}

const char *
grade_component_name(enum grade_component c)
{
	static const char *const names[GRADE_COMPONENT_COUNT] = {
		[GRADE_PROTOCOL] = "protocol",
		[GRADE_KEY_EXCHANGE] = "key_exchange",
		[GRADE_CIPHER] = "cipher",
	};

	return (unsigned)c < GRADE_COMPONENT_COUNT ? names[c] : "?";
}

const char *
grade_basis_name(enum grade_basis b)
{
	static const char *const names[GRADE_BASIS_COUNT] = {
		[GRADE_BASIS_NONE] = NULL,
		[GRADE_BASIS_SMTP] = "smtp",
		[GRADE_BASIS_HANDSHAKE] = "handshake",
		[GRADE_BASIS_ENUMERATION] = "enumeration",
	};

	return (unsigned)b < GRADE_BASIS_COUNT ? names[b] : NULL;
}

const char *
grade_confidence_name(enum grade_confidence c)
{
	static const char *const names[GRADE_CONFIDENCE_COUNT] = {
		[GRADE_CONFIDENCE_NONE] = "none",
		[GRADE_CONFIDENCE_PARTIAL] = "partial",
		[GRADE_CONFIDENCE_COMPLETE] = "complete",
	};

	return (unsigned)c < GRADE_CONFIDENCE_COUNT ? names[c] : "?";
}

const char *
dane_state_name(enum dane_state s)
{
	static const char *const names[DANE_STATE_COUNT] = {
		[DANE_NOT_CHECKED] = "not-checked",
		[DANE_NONE] = "none",
		[DANE_NO_USABLE] = "no-usable-tlsa",
		[DANE_VALID] = "valid",
		[DANE_FAILS] = "fails",
		[DANE_LOOKUP_FAILED] = "lookup-failed",
	};

	return (unsigned)s < DANE_STATE_COUNT ? names[s] : "?";
}

const char *
mtasts_state_name(enum mtasts_state s)
{
	static const char *const names[MTASTS_STATE_COUNT] = {
		[MTASTS_NOT_CHECKED] = "not-checked",
		[MTASTS_NONE] = "none",
		[MTASTS_TESTING] = "testing",
		[MTASTS_ENFORCE] = "enforce",
		[MTASTS_ENFORCE_FAILS] = "enforce-fails",
	};

	return (unsigned)s < MTASTS_STATE_COUNT ? names[s] : "?";
}

const char *
auth_level_name(enum auth_level l)
{
	return (unsigned)l < AUTH_LEVEL_COUNT ? auth_levels[l].name : "?";
}

const char *
auth_level_text(enum auth_level l)
{
	return (unsigned)l < AUTH_LEVEL_COUNT ? auth_levels[l].text : "?";
}
