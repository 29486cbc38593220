/*
 * probe_wire.c - offers to ClientHello bytes, server flights to answers.
 * See probe_wire.h.
 *
 * Every hello carries the extensions a current client sends (SNI, groups,
 * signature algorithms, renegotiation_info, extended_master_secret,
 * status_request...), so the features a server answers with can be read
 * off any accepted attempt.  TLS 1.3 hellos offer key shares for X25519
 * and P-256; a server that wants another group answers with a
 * HelloRetryRequest naming it, which is all the probe needs to know.
 */
#include "probe/probe_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/cipher_suites.h"
#include "probe/tls_hello.h"
#include "probe/tls_parse.h"

struct wire_reader {
	struct tls_reader	 tls;
	enum offer_kind		 kind;
};

static const uint16_t tls_versions[] = {
	[PROBE_SSL2] = TLS_V_SSL2,
	[PROBE_SSL3] = TLS_V_SSL3,
	[PROBE_TLS10] = TLS_V_TLS10,
	[PROBE_TLS11] = TLS_V_TLS11,
	[PROBE_TLS12] = TLS_V_TLS12,
	[PROBE_TLS13] = TLS_V_TLS13,
};
_Static_assert(sizeof(tls_versions) / sizeof(tls_versions[0]) ==
    PROBE_VERSION_COUNT, "one wire version per probe_version");

/*
 * Groups the probe asks about: every named curve and finite-field group
 * a server may still pick (RFC 8422, 7919, 8446), weak ones included.
 */
static const uint16_t probe_groups[] = {
	0x001d, 0x0017, 0x0018, 0x0019, 0x001e,		/* x25519 P-256/384/521 x448 */
	0x0100, 0x0101, 0x0102, 0x0103, 0x0104,		/* ffdhe2048..8192 */
	0x001a, 0x001b, 0x001c,				/* brainpool r1 */
	0x0015, 0x0016, 0x0013, 0x0014,			/* secp224r1/k1, secp192r1/k1 */
	0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008,
	0x0009, 0x000a, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f, 0x0010,
	0x0011, 0x0012,					/* legacy binary/prime curves */
};

static enum probe_version
probe_version_of(uint16_t wire)
{
	enum probe_version v;

	for (v = 0; v < PROBE_VERSION_COUNT; v++)
		if (tls_versions[v] == wire)
			return v;
	return PROBE_VERSION_COUNT;
}

uint32_t *
wire_candidates(enum probe_version v, size_t *n)
{
	size_t total = cipher_suites_for_version(tls_versions[v], NULL, 0);
	uint32_t *out;

	if (total > WIRE_OFFER_SUITES_MAX)
		total = WIRE_OFFER_SUITES_MAX;
	if ((out = calloc(total ? total : 1, sizeof(*out))) == NULL) {
		*n = 0;
		return NULL;
	}
	cipher_suites_for_version(tls_versions[v], out, total);
	*n = total;
	return out;
}

uint16_t *
wire_all_sigalgs(size_t *n)
{
	const uint16_t *list = tls_hello_default_sigalgs(n);
	uint16_t *out = calloc(*n ? *n : 1, sizeof(*out));

	if (out == NULL)
		*n = 0;
	else
		memcpy(out, list, *n * sizeof(*out));
	return out;
}

uint16_t *
wire_all_groups(size_t *n)
{
	uint16_t *out = malloc(sizeof(probe_groups));

	*n = out ? sizeof(probe_groups) / sizeof(probe_groups[0]) : 0;
	if (out != NULL)
		memcpy(out, probe_groups, sizeof(probe_groups));
	return out;
}

static void
offer_reset(struct wire_offer *o, enum offer_kind kind, enum probe_version v)
{
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->version = v;
}

void
wire_offer_suites(struct wire_offer *o, enum probe_version v,
    const uint32_t *suites, size_t n)
{
	offer_reset(o, OFFER_SUITES, v);
	if (n > WIRE_OFFER_SUITES_MAX)
		n = WIRE_OFFER_SUITES_MAX;
	memcpy(o->suites, suites, n * sizeof(*suites));
	o->n_suites = n;
}

void
wire_offer_order(struct wire_offer *o, enum probe_version v, uint32_t first,
    uint32_t second)
{
	offer_reset(o, OFFER_ORDER, v);
	o->suites[0] = first;
	o->suites[1] = second;
	o->n_suites = 2;
}

/*
 * A groups offer needs a version and suites that use the groups: TLS 1.3
 * (every suite: key share negotiation) if the server speaks it, else the
 * ECDHE suites accepted at the best version below.  (DHE suites below 1.3
 * send their prime, not a group name; their sizes come from the suite
 * enumeration.)
 */
int
wire_offer_groups(struct wire_offer *o, const struct probe_result *r,
    const uint16_t *groups, size_t n)
{
	int v;
	size_t i;

	for (v = PROBE_TLS13; v >= PROBE_TLS10; v--) {
		const struct probe_version_result *vr = &r->versions[v];

		offer_reset(o, OFFER_GROUPS, (enum probe_version)v);
		for (i = 0; i < vr->n_suites; i++) {
			const struct cipher_suite *cs =
			    cipher_suite_by_code(vr->suites[i].code);

			if (cs != NULL && (cs->kx == CS_KX_ECDHE ||
			    cs->kx == CS_KX_ANY) &&
			    o->n_suites < WIRE_OFFER_SUITES_MAX)
				o->suites[o->n_suites++] = cs->code;
		}
		if (o->n_suites > 0)
			break;
	}
	if (o->n_suites == 0 || n == 0)
		return -1;
	if (n > WIRE_OFFER_GROUPS_MAX)
		n = WIRE_OFFER_GROUPS_MAX;
	memcpy(o->groups, groups, n * sizeof(*groups));
	o->n_groups = n;
	return 0;
}

/*
 * Signature algorithms are visible only in a TLS 1.2 ServerKeyExchange (in
 * TLS 1.3 the CertificateVerify is encrypted): offer the authenticated
 * (EC)DHE suites the server accepted at TLS 1.2 with the algorithms not
 * yet seen; each answer names one more.
 */
int
wire_offer_sigalgs(struct wire_offer *o, const struct probe_result *r,
    const uint16_t *sigalgs, size_t n)
{
	const struct probe_version_result *vr = &r->versions[PROBE_TLS12];
	size_t i;

	offer_reset(o, OFFER_SIGALGS, PROBE_TLS12);
	for (i = 0; i < vr->n_suites && o->n_suites < WIRE_OFFER_SUITES_MAX; i++) {
		const struct cipher_suite *cs = cipher_suite_by_code(vr->suites[i].code);

		if (cs != NULL && (cs->kx == CS_KX_ECDHE || cs->kx == CS_KX_DHE) &&
		    !(cs->flags & CS_F_ANON))
			o->suites[o->n_suites++] = cs->code;
	}
	if (o->n_suites == 0 || n == 0)
		return -1;
	if (n > WIRE_OFFER_SIGALGS_MAX)
		n = WIRE_OFFER_SIGALGS_MAX;
	memcpy(o->sigalgs, sigalgs, n * sizeof(*sigalgs));
	o->n_sigalgs = n;
	return 0;
}

void
wire_offer_compression(struct wire_offer *o, enum probe_version v,
    uint32_t suite)
{
	offer_reset(o, OFFER_COMPRESSION, v);
	o->suites[0] = suite;
	o->n_suites = 1;
	o->deflate = 1;
}

void
wire_offer_fallback(struct wire_offer *o, enum probe_version v, uint32_t suite)
{
	offer_reset(o, OFFER_FALLBACK, v);
	o->suites[0] = suite;
	o->n_suites = 1;
	o->fallback_scsv = 1;
}

int
wire_build_hello(const struct wire_offer *o, const char *server_name,
    uint8_t *buf, size_t cap, size_t *len)
{
	static const uint16_t shares[] = { TLS_GROUP_X25519, TLS_GROUP_SECP256R1 };
	uint8_t random[32];
	struct tls_hello_params hp;
	size_t i;

	/* The random only has to differ between attempts, not be secret. */
	for (i = 0; i < sizeof(random); i++)
		random[i] = (uint8_t)(rand() & 0xff);
	tls_hello_params_init(&hp, tls_versions[o->version], random);
	hp.suites = o->suites;
	hp.n_suites = o->n_suites;
	hp.server_name = server_name;
	hp.deflate = o->deflate;
	hp.scsv_fallback = o->fallback_scsv;
	/* SSLv3 has no extensions: ask for RFC 5746 with the SCSV instead. */
	hp.scsv_renegotiation = o->version == PROBE_SSL3;
	hp.pad_f5 = 1;
	if (o->n_groups > 0) {
		hp.groups = o->groups;
		hp.n_groups = o->n_groups;
	}
	if (o->n_sigalgs > 0) {
		hp.sigalgs = o->sigalgs;
		hp.n_sigalgs = o->n_sigalgs;
	}
	if (o->version == PROBE_TLS13) {
		hp.share_groups = shares;
		hp.n_share_groups = sizeof(shares) / sizeof(shares[0]);
		if (o->kind == OFFER_GROUPS) {
			/* No share for any group: the server must name its pick. */
			hp.share_groups = o->groups;
			hp.n_share_groups = 0;
		}
	}
	return tls_hello_build(&hp, buf, cap, len);
}

struct wire_reader *
wire_reader_new(const struct wire_offer *o, size_t max)
{
	struct wire_reader *r = calloc(1, sizeof(*r));
	struct tls_reader_limits lim = { max };

	if (r == NULL)
		return NULL;
	r->kind = o->kind;
	if (tls_reader_init(&r->tls, &lim) == -1) {
		free(r);
		return NULL;
	}
	return r;
}

void
wire_reader_free(struct wire_reader *r)
{
	tls_reader_free(&r->tls);
	free(r);
}

void
wire_answer_free(struct wire_answer *a)
{
	free(a->v2_kinds);
	a->v2_kinds = NULL;
	a->n_v2_kinds = 0;
}

static void
answer_from_ssl2(const struct tls_server_flight *f, struct wire_answer *a)
{
	size_t i;

	if (f->ssl2.error || f->ssl2.n_kinds_kept == 0) {
		a->kind = WIRE_REFUSED;
		return;
	}
	a->kind = WIRE_ACCEPTED;
	a->version = PROBE_SSL2;
	a->suite = f->ssl2.kinds[0];
	if ((a->v2_kinds = calloc(f->ssl2.n_kinds_kept, sizeof(uint32_t))) == NULL)
		return;
	for (i = 0; i < f->ssl2.n_kinds_kept; i++)
		a->v2_kinds[i] = f->ssl2.kinds[i];
	a->n_v2_kinds = f->ssl2.n_kinds_kept;
}

/* ec_group_bits - the field size of a named curve, 0 if not one we know. */
static int
ec_group_bits(uint16_t group)
{
	switch (group) {
	case 0x0013: return 192;	/* secp192r1 */
	case 0x0015: return 224;	/* secp224r1 */
	case 0x0016: return 256;	/* secp256k1 */
	case 0x0017: return 256;	/* secp256r1 */
	case 0x0018: return 384;	/* secp384r1 */
	case 0x0019: return 521;	/* secp521r1 */
	case 0x001a: return 256;	/* brainpoolP256r1 */
	case 0x001b: return 384;	/* brainpoolP384r1 */
	case 0x001c: return 512;	/* brainpoolP512r1 */
	case 0x001d: return 253;	/* x25519, as OpenSSL counts it */
	case 0x001e: return 448;	/* x448 */
	default: return 0;
	}
}

static void
kx_from_flight(const struct tls_server_flight *f, struct wire_answer *a)
{
	const struct tls_server_hello *h = &f->hello;
	const struct tls_server_key_exchange *ske = &f->ske;
	const char *name;

	if (ske->present && ske->has_sig_alg) {
		a->has_sig_alg = 1;
		a->sig_alg = ske->sig_alg;
	}
	if (a->version == PROBE_TLS13 && h->key_share) {
		a->group = h->key_share_group;
	} else if (ske->present && ske->kind == TLS_SKE_ECDH) {
		a->group = ske->named_group;
	} else if (ske->present && ske->kind == TLS_SKE_RSA) {
		/* RSA_EXPORT: a temporary (512-bit) RSA key for the exchange. */
		a->kx_bits = (int)ske->rsa_bits;
		snprintf(a->kx_group, sizeof(a->kx_group), "RSA");
		return;
	} else if (ske->present && ske->kind == TLS_SKE_DH) {
		a->dh_bits = (int)ske->dh_p_bits;
		a->kx_bits = (int)ske->dh_p_bits;
		snprintf(a->dh_name, sizeof(a->dh_name), "%s",
		    ske->dh_group ? ske->dh_group : "");
		snprintf(a->kx_group, sizeof(a->kx_group), "%s",
		    ske->dh_group ? ske->dh_group : "DH");
		return;
	}
	if (a->group == 0)
		return;
	name = tls_group_name(a->group);
	snprintf(a->kx_group, sizeof(a->kx_group), "%s", name ? name : "?");
	a->kx_bits = ec_group_bits(a->group);
	/* Finite-field groups carry their size in the name. */
	if (a->group >= 0x0100 && a->group <= 0x0104) {
		static const int ffdhe_bits[] = { 2048, 3072, 4096, 6144, 8192 };
		a->kx_bits = ffdhe_bits[a->group - 0x0100];
		a->dh_bits = a->kx_bits;
		snprintf(a->dh_name, sizeof(a->dh_name), "%s", a->kx_group);
	}
}

static void
answer_from_flight(const struct tls_server_flight *f, struct wire_answer *a)
{
	const struct tls_server_hello *h = &f->hello;

	memset(a, 0, sizeof(*a));
	a->alert = -1;
	if (f->n_alerts > 0)
		a->alert = f->alerts[f->n_alerts - 1].description;
	if (f->sslv2) {
		answer_from_ssl2(f, a);
		return;
	}
	if (!h->present) {
		if (f->error == TLS_ERR_PLAINTEXT || f->error == TLS_ERR_NOT_TLS ||
		    f->error == TLS_ERR_BAD_RECORD) {
			a->kind = WIRE_GARBLED;
			snprintf(a->why, sizeof(a->why), "%s%s%s",
			    tls_parse_error_text(f->error),
			    f->plaintext[0] ? ": " : "", f->plaintext);
		} else {
			a->kind = WIRE_REFUSED;	/* alert, or closed */
		}
		return;
	}
	a->kind = WIRE_ACCEPTED;
	a->version = probe_version_of(h->version);
	if (a->version == PROBE_VERSION_COUNT) {
		a->kind = WIRE_GARBLED;
		snprintf(a->why, sizeof(a->why), "ServerHello with unknown "
		    "version 0x%04x", h->version);
		return;
	}
	a->suite = h->cipher_suite;
	a->compression = h->compression == 1;
	a->reneg_info = h->renegotiation_info;
	a->ems = h->extended_master_secret;
	a->ocsp_stapled = f->status_present;
	a->saw_flight_end = f->hello_done;
	kx_from_flight(f, a);
}

int
wire_reader_feed(struct wire_reader *r, const uint8_t *data, size_t len,
    struct wire_answer *a)
{
	size_t used;

	if (tls_reader_feed(&r->tls, data, len, &used) == TLS_FEED_MORE)
		return WIRE_NEED_MORE;
	answer_from_flight(tls_reader_flight(&r->tls), a);
	return WIRE_DONE;
}

void
wire_reader_eof(struct wire_reader *r, struct wire_answer *a)
{
	tls_reader_eof(&r->tls);
	answer_from_flight(tls_reader_flight(&r->tls), a);
}
