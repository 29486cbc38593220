/*
 * test_tls_parse.c - unit tests of the server-flight reader
 * (probe/tls_parse.h).
 *
 * The flights come from two places.  A real OpenSSL server in memory
 * (ossl_server.h) answers hellos from tls_hello.h: TLS 1.0 to 1.3, RSA
 * and ECDSA, ECDHE, DHE with RFC 7919 and older primes (512 bits
 * included), OCSP stapling, a client certificate request, a chain over
 * several records, HelloRetryRequest, refusals by alert.  What no OpenSSL
 * 3 server sends (SSLv2, SSLv3, EXPORT, PSK, SRP, explicit curves, text,
 * garbage, lying lengths) is built byte by byte below.
 *
 * On top of the per-flight checks, every flight goes through the same
 * properties: fed whole, one byte at a time or in random pieces, the
 * result is identical; *used and the byte count agree; every strict prefix
 * followed by EOF fails (closed or truncated) and never claims success;
 * and single-byte corruptions (of every byte of the first KiB, a sample
 * after it) are survived (ASan) with the same result however the bytes
 * are split.  fuzz/fuzz_tls_parse.c pushes the same properties further;
 * its seeds are these flights (see dump_seeds()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>

#include "probe/cipher_suites.h"
#include "probe/tls_hello.h"
#include "probe/tls_parse.h"
#include "ossl_server.h"

#define BUF_MAX		(128 * 1024)
#define FIXTURES_MAX	96

/* ---- a byte writer for hand-built flights ------------------------------- */

struct wr {
	uint8_t	 b[BUF_MAX];
	size_t	 n;
	size_t	 at[8];		/* open length fields */
	int	 width[8];
	int	 depth;
};

static void
put8(struct wr *w, unsigned v)
{
	assert_true(w->n < sizeof(w->b));
	w->b[w->n++] = (uint8_t)v;
}

static void
put16(struct wr *w, unsigned v)
{
	put8(w, v >> 8);
	put8(w, v & 0xff);
}

static void
putn(struct wr *w, const void *p, size_t n)
{
	assert_true(n <= sizeof(w->b) - w->n);
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void
fill(struct wr *w, unsigned byte, size_t n)
{
	while (n-- > 0)
		put8(w, byte);
}

/* open_len/close_len - a length field of width bytes around what follows. */
static void
open_len(struct wr *w, int width)
{
	assert_true(w->depth < 8);
	w->at[w->depth] = w->n;
	w->width[w->depth++] = width;
	fill(w, 0, (size_t)width);
}

static void
close_len(struct wr *w)
{
	size_t at, n;
	int width, i;

	assert_true(w->depth > 0);
	at = w->at[--w->depth];
	width = w->width[w->depth];
	n = w->n - at - (size_t)width;
	for (i = width - 1; i >= 0; i--, n >>= 8)
		w->b[at + (size_t)i] = (uint8_t)(n & 0xff);
	assert_int_equal(n, 0);		/* it fitted */
}

/* vec - a vector of n bytes with a width-byte length. */
static void
vec(struct wr *w, int width, const void *p, size_t n)
{
	open_len(w, width);
	putn(w, p, n);
	close_len(w);
}

static void
msg_begin(struct wr *w, unsigned type)
{
	put8(w, type);
	open_len(w, 3);
}

/* records - wrap hs[0..n) as records of type ct, at most frag bytes each,
 * onto out. */
static void
records(struct wr *out, unsigned ct, uint16_t version, const uint8_t *hs,
    size_t n, size_t frag)
{
	size_t off, k;

	for (off = 0; off < n; off += k) {
		k = n - off < frag ? n - off : frag;
		put8(out, ct);
		put16(out, version);
		put16(out, (unsigned)k);
		putn(out, hs + off, k);
	}
}

/* ---- fixtures ----------------------------------------------------------- */

/* A flight every property test runs over. */
struct fixture {
	char		 name[48];
	uint8_t		*d;
	size_t		 len;
	size_t		 max_bytes;	/* reader limit; 0: the default */
	enum tls_feed	 want;		/* after all of it (and EOF) */
};

static struct fixture	fixtures[FIXTURES_MAX];
static size_t		n_fixtures;

static void
add_fixture(const char *name, const uint8_t *d, size_t len, size_t max,
    enum tls_feed want)
{
	struct fixture *f;

	assert_true(n_fixtures < FIXTURES_MAX);
	f = &fixtures[n_fixtures++];
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->d = malloc(len ? len : 1);
	assert_non_null(f->d);
	memcpy(f->d, d, len);
	f->len = len;
	f->max_bytes = max;
	f->want = want;
}

/* ---- running the reader ------------------------------------------------- */

/* A tiny PRNG for piece sizes, so every run is reproducible. */
static uint32_t
prng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

enum split { SPLIT_WHOLE, SPLIT_BYTES, SPLIT_RANDOM };

struct run {
	struct tls_reader	r;
	enum tls_feed		st;
	size_t			used;	/* over all calls */
	int			eof;	/* tls_reader_eof() was needed */
};

/*
 * run - feed d[0..len) to a fresh reader in pieces, checking the feed
 * contract on every call, then EOF if it still wants more.  Free with
 * run_free().
 */
static void
run(struct run *x, const uint8_t *d, size_t len, size_t max,
    enum split how, uint32_t seed)
{
	struct tls_reader_limits lim = TLS_READER_LIMITS_DEFAULT;
	size_t off = 0, piece, used;
	const struct tls_server_flight *f;

	if (max)
		lim.max_bytes = max;
	memset(x, 0, sizeof(*x));
	assert_int_equal(tls_reader_init(&x->r, &lim), 0);
	x->st = TLS_FEED_MORE;
	seed |= 1;
	while (off < len && x->st == TLS_FEED_MORE) {
		piece = how == SPLIT_WHOLE ? len - off : how == SPLIT_BYTES ?
		    1 : 1 + prng(&seed) % 97;
		if (piece > len - off)
			piece = len - off;
		used = 999999;
		x->st = tls_reader_feed(&x->r, d + off, piece, &used);
		if (x->st == TLS_FEED_MORE)
			assert_int_equal(used, piece);	/* all of it */
		else
			assert_true(used <= piece);
		off += used;
		x->used += used;
	}
	if (x->st == TLS_FEED_MORE) {
		x->eof = 1;
		x->st = tls_reader_eof(&x->r);
		assert_int_not_equal(x->st, TLS_FEED_MORE);
	}
	/* Finished readers stay finished and take nothing more. */
	if (off < len) {
		used = 999999;
		assert_int_equal(tls_reader_feed(&x->r, d + off, len - off,
		    &used), x->st);
		assert_int_equal(used, 0);
	}
	assert_int_equal(tls_reader_eof(&x->r), x->st);
	f = tls_reader_flight(&x->r);
	assert_int_equal(f->bytes, x->used);
	assert_int_equal(f->done, x->st == TLS_FEED_DONE);
	assert_int_equal(f->error != TLS_ERR_NONE, x->st == TLS_FEED_ERROR);
	assert_true(f->certs.n_kept <= TLS_CERTS_MAX);
	assert_true(f->certs.n_kept <= f->certs.n);
	assert_true(f->hello.n_ext_types <= TLS_EXTS_MAX);
	assert_true(f->n_alerts <= TLS_ALERTS_MAX);
	assert_true(f->n_msgs <= TLS_MSGS_MAX);
	assert_true(strlen(f->plaintext) <= TLS_PLAINTEXT_MAX);
}

static void
run_free(struct run *x)
{
	tls_reader_free(&x->r);
}

/* parse - run d whole with the default limit; the flight. */
static const struct tls_server_flight *
parse(struct run *x, const uint8_t *d, size_t len)
{
	run(x, d, len, 0, SPLIT_WHOLE, 0);
	return tls_reader_flight(&x->r);
}

static int
bytes_equal(struct tls_bytes a, struct tls_bytes b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

#define SAME(field) do {						\
	if (a->field != b->field)					\
		fail_msg("%s: " #field " differs", what);		\
} while (0)
#define SAME_BYTES(field) do {						\
	if (!bytes_equal(a->field, b->field))				\
		fail_msg("%s: " #field " differs", what);		\
} while (0)

/* assert_flights_equal - everything decoded is the same. */
static void
assert_flights_equal(const struct tls_server_flight *a,
    const struct tls_server_flight *b, const char *what)
{
	size_t i;

	SAME(done); SAME(error); SAME(error_offset); SAME(bytes);
	SAME(sslv2); SAME(record_version);
	if (memcmp(&a->hello, &b->hello, sizeof(a->hello)) != 0)
		fail_msg("%s: ServerHello differs", what);
	SAME(certs.present); SAME(certs.n); SAME(certs.n_kept);
	SAME(certs.total_len);
	for (i = 0; i < a->certs.n_kept; i++)
		SAME_BYTES(certs.der[i]);
	SAME(status_present); SAME(status_type); SAME_BYTES(status_response);
	SAME(ske.present); SAME(ske.kind); SAME(ske.len);
	SAME_BYTES(ske.psk_hint); SAME_BYTES(ske.dh_p); SAME_BYTES(ske.dh_g);
	SAME_BYTES(ske.dh_ys); SAME(ske.dh_p_bits); SAME(ske.dh_group);
	SAME(ske.curve_type); SAME(ske.named_group); SAME(ske.ec_point_len);
	SAME_BYTES(ske.rsa_modulus); SAME(ske.rsa_bits);
	SAME(ske.rsa_exponent_len); SAME_BYTES(ske.srp_n);
	SAME(ske.srp_n_bits); SAME(ske.signed_params); SAME(ske.has_sig_alg);
	SAME(ske.sig_alg); SAME(ske.sig_len);
	SAME(cert_request); SAME(hello_done); SAME(tls13);
	SAME(n_msgs);
	if (memcmp(a->msg_types, b->msg_types, sizeof(a->msg_types)) != 0)
		fail_msg("%s: message types differ", what);
	SAME(n_alerts); SAME(fatal_alert);
	if (memcmp(a->alerts, b->alerts, sizeof(a->alerts)) != 0)
		fail_msg("%s: alerts differ", what);
	SAME(ssl2.present); SAME(ssl2.session_id_hit);
	SAME(ssl2.certificate_type); SAME(ssl2.version); SAME(ssl2.n_kinds);
	SAME(ssl2.n_kinds_kept); SAME_BYTES(ssl2.certificate);
	SAME(ssl2.connection_id_len); SAME(ssl2.error); SAME(ssl2.error_code);
	if (memcmp(a->ssl2.kinds, b->ssl2.kinds, sizeof(a->ssl2.kinds)) != 0)
		fail_msg("%s: SSLv2 kinds differ", what);
	if (strcmp(a->plaintext, b->plaintext) != 0)
		fail_msg("%s: plaintext differs", what);
}

/* ---- flights from a real OpenSSL server --------------------------------- */

static uint8_t	hello_buf[BUF_MAX];
static uint8_t	answer_buf[BUF_MAX];

static const uint8_t test_random[32] = { 0x42, 0x42, 0x42, 0x42 };

/*
 * ossl_flight - our hello for version with suites (NULL: every suite
 * negotiable there) to a server from ctx; the answer is in answer_buf.
 */
static size_t
ossl_flight(SSL_CTX *ctx, uint16_t version, const uint32_t *suites,
    size_t n, void (*setup)(SSL *), void (*tweak)(struct tls_hello_params *))
{
	static uint32_t all[512];
	struct tls_hello_params p;
	size_t len;

	tls_hello_params_init(&p, version, test_random);
	if (suites == NULL) {
		n = cipher_suites_for_version(version, all, 512);
		suites = all;
	}
	p.suites = suites;
	p.n_suites = n;
	p.server_name = "mx.example";
	if (tweak != NULL)
		tweak(&p);
	assert_int_equal(tls_hello_build(&p, hello_buf, sizeof(hello_buf),
	    &len), 0);
	return ossl_server_answer(ctx, hello_buf, len, answer_buf,
	    sizeof(answer_buf), NULL, NULL, setup);
}

/*
 * flight_fixture - parse answer_buf[0..len) whole, expecting want; keep
 * the bytes up to where the reader stopped as a fixture named name.
 * Returns the run (free it) so the caller can check the details.
 */
static const struct tls_server_flight *
flight_fixture(struct run *x, const char *name, size_t len,
    enum tls_feed want)
{
	const struct tls_server_flight *f = parse(x, answer_buf, len);

	if (x->st != want)
		fail_msg("%s: %s, error %s", name, x->st == TLS_FEED_DONE ?
		    "done" : "not done", tls_parse_error_name(f->error));
	add_fixture(name, answer_buf, x->used, 0, want);
	return f;
}

/* cert_der - the DER of the test certificate of kind k. */
static size_t
cert_der(enum ossl_key k, uint8_t *out, size_t cap)
{
	unsigned char *p = out;
	int n = i2d_X509(ossl_server_cert(k), NULL);

	assert_true(n > 0 && (size_t)n <= cap);
	assert_int_equal(i2d_X509(ossl_server_cert(k), &p), n);
	return (size_t)n;
}

/* dh_pkey_named - DH parameters of an OpenSSL named group ("ffdhe2048"). */
static EVP_PKEY *
dh_pkey_named(const char *group)
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	OSSL_PARAM params[2];
	EVP_PKEY *pk = NULL;

	assert_non_null(pc);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0);
	params[1] = OSSL_PARAM_construct_end();
	assert_int_equal(EVP_PKEY_paramgen_init(pc), 1);
	assert_int_equal(EVP_PKEY_CTX_set_params(pc, params), 1);
	assert_int_equal(EVP_PKEY_paramgen(pc, &pk), 1);
	EVP_PKEY_CTX_free(pc);
	return pk;
}

/* dh_pkey_prime - DH parameters (p, g = 2) from a prime. */
static EVP_PKEY *
dh_pkey_prime(const BIGNUM *p)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	BIGNUM *g = BN_new();
	OSSL_PARAM *params;
	EVP_PKEY *pk = NULL;

	assert_non_null(b);
	assert_non_null(pc);
	assert_int_equal(BN_set_word(g, 2), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_P, p), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_G, g), 1);
	params = OSSL_PARAM_BLD_to_param(b);
	assert_non_null(params);
	assert_int_equal(EVP_PKEY_fromdata_init(pc), 1);
	assert_int_equal(EVP_PKEY_fromdata(pc, &pk, EVP_PKEY_KEY_PARAMETERS,
	    params), 1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(pc);
	BN_free(g);
	return pk;
}

/* dh_prime_of - p of DH parameters, as a BIGNUM the caller frees. */
static BIGNUM *
dh_prime_of(const EVP_PKEY *pk)
{
	BIGNUM *p = NULL;

	assert_int_equal(EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_FFC_P, &p),
	    1);
	return p;
}

static const uint32_t s_ecdhe_rsa[] = { 0xc02f };	/* AES128-GCM */
static const uint32_t s_dhe_rsa[] = { 0x009e };
static const uint32_t s_rsa[] = { 0x002f };
static const uint32_t s_ecdhe_ecdsa_cbc[] = { 0xc009 };
static const uint32_t s_dhe_rsa_cbc[] = { 0x0033 };
static const uint32_t s_ecdhe_ecdsa_gcm[] = { 0xc02b };

static void
test_ossl_tls12_ecdhe_rsa(void **state)
{
	SSL_CTX *ctx = ossl_server_ctx(OSSL_KEY_RSA);
	const struct tls_server_flight *f;
	uint8_t der[4096];
	size_t len, dlen = cert_der(OSSL_KEY_RSA, der, sizeof(der));
	struct run x;

	(void)state;
	len = ossl_flight(ctx, TLS_V_TLS12, s_ecdhe_rsa, 1, NULL, NULL);
	f = flight_fixture(&x, "ossl-tls12-ecdhe-rsa", len, TLS_FEED_DONE);
	assert_int_equal(x.used, len);		/* nothing after the flight */
	assert_int_equal(f->record_version, TLS_V_TLS12);
	assert_true(f->hello.present);
	assert_int_equal(f->hello.version, TLS_V_TLS12);
	assert_int_equal(f->hello.legacy_version, TLS_V_TLS12);
	assert_int_equal(f->hello.cipher_suite, 0xc02f);
	assert_int_equal(f->hello.compression, 0);
	assert_false(f->hello.hello_retry_request);
	/* A TLS 1.3 server answering a TLS 1.2 hello says so (RFC 8446
	 * 4.1.3). */
	assert_int_equal(f->hello.downgrade, TLS_V_TLS12);
	assert_true(f->hello.has_extensions);
	assert_true(f->hello.renegotiation_info);
	assert_int_equal(f->hello.renegotiation_info_len, 0);
	assert_true(f->hello.extended_master_secret);
	assert_true(f->hello.ec_point_formats);
	assert_true(f->hello.ec_point_format_mask & 1);
	assert_int_equal(f->hello.n_extensions, f->hello.n_ext_types);
	assert_true(f->certs.present);
	assert_int_equal(f->certs.n, 1);
	assert_int_equal(f->certs.total_len, dlen + 3);
	assert_int_equal(f->certs.der[0].len, dlen);
	assert_memory_equal(f->certs.der[0].p, der, dlen);
	assert_true(f->ske.present);
	assert_int_equal(f->ske.kind, TLS_SKE_ECDH);
	assert_int_equal(f->ske.curve_type, 3);
	assert_int_equal(f->ske.named_group, TLS_GROUP_X25519);
	assert_int_equal(f->ske.ec_point_len, 32);
	assert_true(f->ske.signed_params);
	assert_true(f->ske.has_sig_alg);	/* TLS 1.2 names it */
	assert_non_null(tls_sigalg_name(f->ske.sig_alg));
	assert_int_equal(f->ske.sig_len, 256);	/* RSA 2048 */
	assert_false(f->status_present);
	assert_false(f->cert_request);
	assert_true(f->hello_done);
	assert_false(f->tls13);
	assert_int_equal(f->n_msgs, 4);
	assert_memory_equal(f->msg_types, "\x02\x0b\x0c\x0e", 4);
	assert_int_equal(f->n_alerts, 0);
	run_free(&x);
	SSL_CTX_free(ctx);
}

/* Bytes of a DH parameter as OpenSSL holds it, to compare with the wire. */
static void
assert_bn_equal(const BIGNUM *bn, struct tls_bytes b)
{
	uint8_t buf[1100];
	int n = BN_bn2bin(bn, buf);

	assert_int_equal((size_t)n, b.len);
	assert_memory_equal(buf, b.p, b.len);
}

/* OpenSSL 3 refuses DH groups below 1024 bits even at security level 0;
 * this callback lets a test server serve them, as old servers did. */
static int
allow_anything(const SSL *s, const SSL_CTX *ctx, int op, int bits, int nid,
    void *other, void *ex)
{
	(void)s; (void)ctx; (void)op; (void)bits; (void)nid; (void)other;
	(void)ex;
	return 1;
}

static void
test_ossl_dhe_groups(void **state)
{
	/* What a server is configured with, and the name we must find. */
	static const struct {
		const char	*openssl;	/* named group, or NULL: dh_auto */
		int		 rfc2409;	/* BN_get_rfc2409_prime_<n> */
		const char	*want;
		unsigned	 bits;
	} cases[] = {
		{ NULL, 0, "modp2048", 2048 },	/* OpenSSL's dh_auto */
		{ "ffdhe3072", 0, "ffdhe3072", 3072 },
		{ "modp_1536", 0, "modp1536", 1536 },
		{ "modp_2048", 0, "modp2048", 2048 },
		{ "dh_1024_160", 0, "rfc5114-1024-160", 1024 },
		{ NULL, 768, "oakley-group1-768", 768 },
		{ NULL, 1024, "oakley-group2-1024", 1024 },
	};
	SSL_CTX *ctx;
	const struct tls_server_flight *f;
	size_t i, len;
	char name[48];
	struct run x;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EVP_PKEY *pk = NULL;
		BIGNUM *p = NULL;

		ctx = ossl_server_ctx(OSSL_KEY_RSA);
		SSL_CTX_set_security_callback(ctx, allow_anything);
		if (cases[i].openssl != NULL) {
			pk = dh_pkey_named(cases[i].openssl);
		} else if (cases[i].rfc2409 != 0) {
			BIGNUM *q = cases[i].rfc2409 == 768 ?
			    BN_get_rfc2409_prime_768(NULL) :
			    BN_get_rfc2409_prime_1024(NULL);

			pk = dh_pkey_prime(q);
			BN_free(q);
		} else {
			assert_int_equal(SSL_CTX_set_dh_auto(ctx, 1), 1);
		}
		if (pk != NULL) {
			p = dh_prime_of(pk);
			assert_int_equal(SSL_CTX_set0_tmp_dh_pkey(ctx, pk), 1);
		}
		len = ossl_flight(ctx, TLS_V_TLS12, s_dhe_rsa, 1, NULL, NULL);
		snprintf(name, sizeof(name), "ossl-dhe-%s", pk == NULL ?
		    "auto" : cases[i].want);
		f = flight_fixture(&x, name, len, TLS_FEED_DONE);
		assert_int_equal(f->hello.cipher_suite, 0x009e);
		assert_int_equal(f->ske.kind, TLS_SKE_DH);
		assert_int_equal(f->ske.dh_p_bits, cases[i].bits);
		assert_non_null(f->ske.dh_group);
		assert_string_equal(f->ske.dh_group, cases[i].want);
		assert_true(f->ske.dh_ys.len > 0 &&
		    f->ske.dh_ys.len <= f->ske.dh_p.len);
		if (p != NULL) {
			BIGNUM *g = NULL;

			assert_bn_equal(p, f->ske.dh_p);
			assert_int_equal(EVP_PKEY_get_bn_param(pk,
			    OSSL_PKEY_PARAM_FFC_G, &g), 1);
			assert_bn_equal(g, f->ske.dh_g);
			BN_free(g);
		} else {
			assert_int_equal(f->ske.dh_g.len, 1);
			assert_int_equal(f->ske.dh_g.p[0], 2);
		}
		assert_true(f->ske.signed_params && f->ske.has_sig_alg);
		assert_true(f->hello_done);
		run_free(&x);
		BN_free(p);
		SSL_CTX_free(ctx);
	}
}

/* The bytes of the primes the table names but OpenSSL does not know.
 * Each is checked to be a prime, so a typo here cannot pass. */
static const char *const prime_openssl_512 =
    "DA583C16D9852289D0E4AF756F4CCA92DD4BE533B804FB0FED94EF9C8A4403ED"
    "574650D36999DB29D776276BA2D3D412E218F4DD1E084CF6D8003E7C4774E833";
static const char *const prime_postfix_512 =
    "883F00AFFC0C8AB835CDE5C20F55DF063F1607BFCE1335E41C1E03F3AB17F663"
    "5063673E10D73EB4EB468C4050E691A56E0145DEC9B11F6454FAD9AB4F70BA5B";
static const char *const prime_postfix_1024 =
    "B0FEB4CFD45507E7CC88590D1726C50CA54A92238178DA88AA4C1306BF5D2F9E"
    "BC96B851009D0C0D75ADFD3BB17E714F3F91541444B830251CEBDF729C4CF189"
    "0D683F948EA4FB768918B291169001" "99668C53814E273D99E75A7AAFD5ECE27E"
    "FAED0118C2782559065C39F6CD4954AFC1B1EA4AF953D0DF6DAFD493E7BAAE9B";
static const char *const prime_apache20_512 =
    "D4BCD52406F69B35994B88DE5DB89682C8157F62D8F33633EE5772F11F05AB22"
    "D6B5145B9F241E5ACC31FF090A4BC71148976F76795094E71E7903529F5A824B";
static const char *const prime_apache20_1024 =
    "E6969D3D495BE32C7CF180C3BDD4798E91B7818251BB055E2A2064904A79A770"
    "FA15A259CBD523A6A6EF09C43048D5A22F971F3C20129B48000E6EDD061CBC05"
    "3E371D794E5327DF611EBBBE1BAC9B5C6044CF023D76E05EEA9BAD991B13A63C"
    "974E9EF1839EB5DB125136F7262E56A8871538DFD823C6505085E21F0DD5C86B";
static const char *const prime_apache22_512 =
    "9FDB8B8A004544F0045F1737D0BA2E0B274CDF1A9F588218FB435316A16E3741"
    "71FD19D8D8F37C39BF863FD60E3E300680A3030C6E4C3757D08F70E6AA871033";
static const char *const prime_apache22_1024 =
    "D67DE440CBBBDC1936D693D34AFD0AD50C84D239A45F520BB88174CB98BCE951"
    "849F912E639C72FB13B4B4D7177E16D55AC179BA420B2A29FE324A467A635E81"
    "FF5901377BEDDCFD33168A461AAD3B72DAE8860078045B07A7DBCA7874087D15"
    "10EA9FCC9DDD330507DD62DB88AEAA747DE0F4D6E2BD68B0E7393E0F24218EB3";

/* hex_prime - a BIGNUM from hex, checked to be prime. */
static BIGNUM *
hex_prime(const char *hex)
{
	BIGNUM *p = NULL;
	BN_CTX *bc = BN_CTX_new();

	assert_true(BN_hex2bn(&p, hex) > 0);
	assert_int_equal(BN_check_prime(p, bc, NULL), 1);
	BN_CTX_free(bc);
	return p;
}

/* A 512-bit DHE group from a real server: the EXPORT-era weakness. */
static void
test_ossl_dhe_512(void **state)
{
	SSL_CTX *ctx = ossl_server_ctx(OSSL_KEY_RSA);
	BIGNUM *p = hex_prime(prime_openssl_512);
	const struct tls_server_flight *f;
	struct run x;
	size_t len;

	(void)state;
	SSL_CTX_set_security_callback(ctx, allow_anything);
	assert_int_equal(SSL_CTX_set0_tmp_dh_pkey(ctx, dh_pkey_prime(p)), 1);
	len = ossl_flight(ctx, TLS_V_TLS12, s_dhe_rsa_cbc, 1, NULL, NULL);
	f = flight_fixture(&x, "ossl-dhe-512", len, TLS_FEED_DONE);
	assert_int_equal(f->ske.kind, TLS_SKE_DH);
	assert_int_equal(f->ske.dh_p_bits, 512);
	assert_string_equal(f->ske.dh_group, "openssl-512");
	assert_bn_equal(p, f->ske.dh_p);
	run_free(&x);
	BN_free(p);
	SSL_CTX_free(ctx);
}

/* TLS 1.0/1.1: signatures without an algorithm field; plain RSA: no SKE. */
static void
test_ossl_older_versions(void **state)
{
	SSL_CTX *rsa = ossl_server_ctx(OSSL_KEY_RSA);
	SSL_CTX *ec = ossl_server_ctx(OSSL_KEY_ECDSA);
	const struct tls_server_flight *f;
	struct run x;
	size_t len;

	(void)state;
	len = ossl_flight(ec, TLS_V_TLS10, s_ecdhe_ecdsa_cbc, 1, NULL, NULL);
	f = flight_fixture(&x, "ossl-tls10-ecdhe-ecdsa", len, TLS_FEED_DONE);
	assert_int_equal(f->hello.version, TLS_V_TLS10);
	assert_int_equal(f->record_version, TLS_V_TLS10);
	assert_int_equal(f->ske.kind, TLS_SKE_ECDH);
	assert_true(f->ske.signed_params);
	assert_false(f->ske.has_sig_alg);
	assert_true(f->ske.sig_len >= 64 && f->ske.sig_len <= 72); /* DER */
	run_free(&x);

	assert_int_equal(SSL_CTX_set_dh_auto(rsa, 1), 1);
	len = ossl_flight(rsa, TLS_V_TLS11, s_dhe_rsa_cbc, 1, NULL, NULL);
	f = flight_fixture(&x, "ossl-tls11-dhe-rsa", len, TLS_FEED_DONE);
	assert_int_equal(f->hello.version, TLS_V_TLS11);
	assert_int_equal(f->ske.kind, TLS_SKE_DH);
	assert_false(f->ske.has_sig_alg);
	assert_int_equal(f->ske.sig_len, 256);
	run_free(&x);

	len = ossl_flight(rsa, TLS_V_TLS12, s_rsa, 1, NULL, NULL);
	f = flight_fixture(&x, "ossl-tls12-rsa", len, TLS_FEED_DONE);
	assert_int_equal(f->hello.cipher_suite, 0x002f);
	assert_false(f->ske.present);
	assert_int_equal(f->ske.kind, TLS_SKE_NONE);
	assert_int_equal(f->n_msgs, 3);
	assert_memory_equal(f->msg_types, "\x02\x0b\x0e", 3);
	run_free(&x);
	SSL_CTX_free(rsa);
	SSL_CTX_free(ec);
}

/* TLS 1.3: the ServerHello is all that is clear; *used stops there. */
static void
test_ossl_tls13(void **state)
{
	SSL_CTX *ctx = ossl_server_ctx(OSSL_KEY_RSA);
	const struct tls_server_flight *f;
	struct run x;
	size_t len;

	(void)state;
	len = ossl_flight(ctx, TLS_V_TLS13, NULL, 0, NULL, NULL);
	f = flight_fixture(&x, "ossl-tls13", len, TLS_FEED_DONE);
	assert_true(x.used < len);	/* CCS and encrypted records follow */
	/* The ServerHello record ends exactly where we stopped. */
	assert_int_equal(answer_buf[0], 22);
	assert_int_equal(x.used, 5 + ((size_t)answer_buf[3] << 8 |
	    answer_buf[4]));
	assert_true(f->tls13);
	assert_true(f->done);
	assert_int_equal(f->hello.legacy_version, TLS_V_TLS12);
	assert_int_equal(f->hello.version, TLS_V_TLS13);
	assert_true(f->hello.supported_versions);
	assert_int_equal(f->hello.selected_version, TLS_V_TLS13);
	assert_true(f->hello.key_share);
	assert_int_equal(f->hello.key_share_group, TLS_GROUP_X25519);
	assert_int_equal(f->hello.key_share_len, 32);
	assert_false(f->hello.hello_retry_request);
	assert_int_equal(cipher_suite_by_code(f->hello.cipher_suite)->min_version,
	    TLS_V_TLS13);
	assert_false(f->certs.present);
	assert_false(f->hello_done);
	assert_int_equal(f->n_msgs, 1);
	run_free(&x);
	SSL_CTX_free(ctx);
}

static void
share_x25519_only(struct tls_hello_params *p)
{
	static const uint16_t groups[] = { TLS_GROUP_X25519,
	    TLS_GROUP_SECP256R1 };

	p->groups = groups;
	p->n_groups = 2;
}

static void
test_ossl_hello_retry_request(void **state)
{
	SSL_CTX *ctx = ossl_server_ctx(OSSL_KEY_RSA);
	const struct tls_server_flight *f;
	struct run x;
	size_t len;

	(void)state;
	/* The server only does P-256; we sent an X25519 share. */
	assert_int_equal(SSL_CTX_set1_groups_list(ctx, "P-256"), 1);
	len = ossl_flight(ctx, TLS_V_TLS13, NULL, 0, NULL, share_x25519_only);
	f = flight_fixture(&x, "ossl-hrr", len, TLS_FEED_DONE);
	assert_true(f->hello.hello_retry_request);
	assert_true(f->tls13);
	assert_int_equal(f->hello.version, TLS_V_TLS13);
	assert_true(f->hello.key_share);
	assert_int_equal(f->hello.key_share_group, TLS_GROUP_SECP256R1);
	assert_int_equal(f->hello.key_share_len, 0);
	run_free(&x);
	SSL_CTX_free(ctx);
}

static const uint8_t fake_ocsp[] = { 0x30, 0x03, 0x0a, 0x01, 0x00 };

static int
staple(SSL *s, void *arg)
{
	unsigned char *copy = OPENSSL_memdup(fake_ocsp, sizeof(fake_ocsp));

	(void)arg;
	SSL_set_tlsext_status_ocsp_resp(s, copy, (long)sizeof(fake_ocsp));
	return SSL_TLSEXT_ERR_OK;
}

static void
test_ossl_status_and_cert_request(void **state)
{
	SSL_CTX *ctx = ossl_server_ctx(OSSL_KEY_ECDSA);
	const struct tls_server_flight *f;
	struct run x;
	size_t len;

	(void)state;
	SSL_CTX_set_tlsext_status_cb(ctx, staple);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	len = ossl_flight(ctx, TLS_V_TLS12, s_ecdhe_ecdsa_gcm, 1, NULL, NULL);
	f = flight_fixture(&x, "ossl-ocsp-certreq", len, TLS_FEED_DONE);
	assert_true(f->hello.status_request);
	assert_true(f->status_present);
	assert_int_equal(f->status_type, 1);
	assert_int_equal(f->status_response.len, sizeof(fake_ocsp));
	assert_memory_equal(f->status_response.p, fake_ocsp,
	    sizeof(fake_ocsp));
	assert_true(f->cert_request);
	assert_true(f->hello_done);
	assert_int_equal(f->msg_types[2], 22);	/* CertificateStatus */
	assert_int_equal(f->msg_types[f->n_msgs - 2], 13);
	run_free(&x);
	SSL_CTX_free(ctx);
}

/* A chain longer than a record and than TLS_CERTS_MAX. */
static void
test_ossl_long_chain(void **state)
{
	SSL_CTX *ctx = ossl_server_ctx(OSSL_KEY_RSA);
	const struct tls_server_flight *f;
	uint8_t leaf[4096], other[4096];
	size_t len, i, nl = cert_der(OSSL_KEY_RSA, leaf, sizeof(leaf));
	size_t no = cert_der(OSSL_KEY_ECDSA, other, sizeof(other));
	struct run x;

	(void)state;
	for (i = 0; i < 70; i++)
		assert_int_equal(SSL_CTX_add1_chain_cert(ctx,
		    ossl_server_cert(OSSL_KEY_ECDSA)), 1);
	len = ossl_flight(ctx, TLS_V_TLS12, s_rsa, 1, NULL, NULL);
	assert_true(len > 16384 + 5);		/* several records */
	f = flight_fixture(&x, "ossl-long-chain", len, TLS_FEED_DONE);
	assert_int_equal(f->certs.n, 71);
	assert_int_equal(f->certs.n_kept, TLS_CERTS_MAX);
	assert_int_equal(f->certs.total_len, 3 * 71 + nl + 70 * no);
	assert_memory_equal(f->certs.der[0].p, leaf, nl);
	for (i = 1; i < TLS_CERTS_MAX; i++) {
		assert_int_equal(f->certs.der[i].len, no);
		assert_memory_equal(f->certs.der[i].p, other, no);
	}
	assert_true(f->hello_done);
	run_free(&x);

	/* The same flight against a smaller limit: refused, early. */
	run(&x, answer_buf, len, 8192, SPLIT_WHOLE, 0);
	assert_int_equal(x.st, TLS_FEED_ERROR);
	assert_int_equal(tls_reader_flight(&x.r)->error, TLS_ERR_OVERSIZED);
	assert_true(tls_reader_flight(&x.r)->hello.present);
	/* It did not wait for (or take) the whole certificate message. */
	assert_true(x.used < 8192 + 200);
	run_free(&x);
	SSL_CTX_free(ctx);
}

static void
max_tls12(SSL *s)
{
	SSL_set_max_proto_version(s, TLS1_2_VERSION);
}

static void
max_tls11(SSL *s)
{
	SSL_set_max_proto_version(s, TLS1_1_VERSION);
}

static void
down_to_tls10(struct tls_hello_params *p)
{
	p->min_version = TLS_V_TLS10;
}

static void
fallback_scsv(struct tls_hello_params *p)
{
	p->scsv_fallback = 1;
}

/* Refusals and downgrades as OpenSSL signals them. */
static void
test_ossl_alerts_and_downgrade(void **state)
{
	SSL_CTX *ctx = ossl_server_ctx(OSSL_KEY_RSA);
	const struct tls_server_flight *f;
	static const uint32_t export_only[] = { 0x0003, 0x0006 };
	static uint32_t tls13_and_12[600];
	size_t n, len;
	struct run x;

	(void)state;
	/* No suite in common: handshake_failure. */
	len = ossl_flight(ctx, TLS_V_TLS12, export_only, 2, NULL, NULL);
	f = flight_fixture(&x, "ossl-alert-no-suite", len, TLS_FEED_DONE);
	assert_false(f->hello.present);
	assert_int_equal(f->n_alerts, 1);
	assert_int_equal(f->alerts[0].level, 2);
	assert_int_equal(f->alerts[0].description, 40);
	assert_string_equal(tls_alert_name(40), "handshake_failure");
	assert_true(f->fatal_alert);
	run_free(&x);

	/* RFC 7507: a fallback below what the server does. */
	len = ossl_flight(ctx, TLS_V_TLS11, NULL, 0, NULL, fallback_scsv);
	f = flight_fixture(&x, "ossl-alert-fallback", len, TLS_FEED_DONE);
	assert_int_equal(f->alerts[0].description, 86);
	assert_string_equal(tls_alert_name(86), "inappropriate_fallback");
	run_free(&x);

	/* RFC 8446 4.1.3: a TLS 1.3 server that negotiates less marks its
	 * random; a server whose best is TLS 1.2 or 1.1 does not. */
	len = ossl_flight(ctx, TLS_V_TLS11, NULL, 0, NULL, NULL);
	f = flight_fixture(&x, "ossl-downgrade-11", len, TLS_FEED_DONE);
	assert_int_equal(f->hello.version, TLS_V_TLS11);
	assert_int_equal(f->hello.downgrade, TLS_V_TLS11);
	run_free(&x);
	n = cipher_suites_for_version(TLS_V_TLS13, tls13_and_12, 600);
	n += cipher_suites_for_version(TLS_V_TLS12, tls13_and_12 + n, 600 - n);
	len = ossl_flight(ctx, TLS_V_TLS13, tls13_and_12, n, max_tls12,
	    down_to_tls10);
	f = flight_fixture(&x, "ossl-tls12-server", len, TLS_FEED_DONE);
	assert_int_equal(f->hello.version, TLS_V_TLS12);
	assert_int_equal(f->hello.downgrade, 0);
	assert_false(f->tls13);
	run_free(&x);
	len = ossl_flight(ctx, TLS_V_TLS13, tls13_and_12, n, max_tls11,
	    down_to_tls10);
	f = flight_fixture(&x, "ossl-tls11-server", len, TLS_FEED_DONE);
	assert_int_equal(f->hello.version, TLS_V_TLS11);
	assert_int_equal(f->hello.downgrade, 0);
	run_free(&x);
	SSL_CTX_free(ctx);
}

/* ---- hand-built flights ------------------------------------------------- */

static struct wr	hs, fl;		/* handshake stream, records */

static void
reset(void)
{
	memset(&hs, 0, sizeof(hs));
	memset(&fl, 0, sizeof(fl));
}

/* server_hello - a ServerHello into hs; exts (NULL: no block). */
static void
server_hello(uint16_t version, uint16_t suite, size_t sid_len,
    const uint8_t *random, const struct wr *exts)
{
	static const uint8_t r0[32] = { 0x5e, 0x5e };

	msg_begin(&hs, 2);
	put16(&hs, version);
	putn(&hs, random ? random : r0, 32);
	put8(&hs, (unsigned)sid_len);
	fill(&hs, 0x11, sid_len);
	put16(&hs, suite);
	put8(&hs, 0);
	if (exts != NULL)
		vec(&hs, 2, exts->b, exts->n);
	close_len(&hs);
}

static void
certificate_msg(const uint8_t *der, size_t n)
{
	msg_begin(&hs, 11);
	open_len(&hs, 3);
	vec(&hs, 3, der, n);
	close_len(&hs);
	close_len(&hs);
}

static void
hello_done(void)
{
	msg_begin(&hs, 14);
	close_len(&hs);
}

/* bin - hex to bytes; returns the length. */
static size_t
bin(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (hex[0] && hex[1]) {
		assert_true(n < cap);
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

/* dh_ske - ServerKeyExchange with ServerDHParams (p from hex, g = 2). */
static void
dh_ske(const char *p_hex, int leading_zero, const char *hint,
    size_t sig_len, int sig_alg)
{
	uint8_t p[1100];
	size_t n = bin(p_hex, p, sizeof(p));

	msg_begin(&hs, 12);
	if (hint != NULL)
		vec(&hs, 2, hint, strlen(hint));
	open_len(&hs, 2);
	if (leading_zero)
		put8(&hs, 0);
	putn(&hs, p, n);
	close_len(&hs);
	vec(&hs, 2, "\x02", 1);
	open_len(&hs, 2);
	fill(&hs, 0x33, n);			/* Ys */
	close_len(&hs);
	if (sig_alg >= 0)
		put16(&hs, (unsigned)sig_alg);
	if (sig_len > 0) {
		open_len(&hs, 2);
		fill(&hs, 0x5a, sig_len);
		close_len(&hs);
	}
	close_len(&hs);
}

static uint16_t
code_of(const char *iana)
{
	const struct cipher_suite *cs = cipher_suite_by_iana_name(iana);

	assert_non_null(cs);
	return (uint16_t)cs->code;
}

/* finish_tls - records of hs (version v, fragments of frag) into fl. */
static void
finish_tls(uint16_t v, size_t frag)
{
	records(&fl, 22, v, hs.b, hs.n, frag);
}

/* SSLv3 with an EXPORT DHE suite and the 512-bit group of old servers. */
static void
test_hand_ssl3_dhe_export(void **state)
{
	uint8_t der[4096];
	size_t dlen = cert_der(OSSL_KEY_RSA, der, sizeof(der));
	const struct tls_server_flight *f;
	uint16_t suite = code_of("TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA");
	struct run x;

	(void)state;
	reset();
	server_hello(TLS_V_SSL3, suite, 32, NULL, NULL);
	certificate_msg(der, dlen);
	dh_ske(prime_openssl_512, 0, NULL, 64, -1);	/* MD5+SHA1 RSA sig */
	hello_done();
	finish_tls(TLS_V_SSL3, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(x.used, fl.n);
	assert_int_equal(f->record_version, TLS_V_SSL3);
	assert_int_equal(f->hello.version, TLS_V_SSL3);
	assert_int_equal(f->hello.record_version, TLS_V_SSL3);
	assert_int_equal(f->hello.session_id_len, 32);
	assert_false(f->hello.has_extensions);
	assert_int_equal(f->hello.n_extensions, 0);
	assert_int_equal(f->hello.cipher_suite, 0x0014);
	assert_true(cipher_suite_by_code(0x0014)->flags & CS_F_EXPORT);
	assert_int_equal(f->ske.kind, TLS_SKE_DH);
	assert_int_equal(f->ske.dh_p_bits, 512);
	assert_string_equal(f->ske.dh_group, "openssl-512");
	assert_true(f->ske.signed_params);
	assert_false(f->ske.has_sig_alg);	/* no algorithm before 1.2 */
	assert_int_equal(f->ske.sig_len, 64);
	assert_true(f->hello_done);
	add_fixture("hand-ssl3-dhe-export", fl.b, fl.n, 0, TLS_FEED_DONE);
	run_free(&x);
}

/* RSA_EXPORT: the temporary 512-bit key of RFC 2246 7.4.3. */
static void
test_hand_rsa_export(void **state)
{
	uint8_t der[4096], mod[64];
	size_t dlen = cert_der(OSSL_KEY_RSA, der, sizeof(der));
	const struct tls_server_flight *f;
	struct run x;

	(void)state;
	memset(mod, 0xc5, sizeof(mod));
	reset();
	server_hello(TLS_V_TLS10, code_of("TLS_RSA_EXPORT_WITH_RC4_40_MD5"),
	    0, NULL, NULL);
	certificate_msg(der, dlen);
	msg_begin(&hs, 12);
	open_len(&hs, 2);
	put8(&hs, 0);				/* a leading zero: same key */
	putn(&hs, mod, sizeof(mod));
	close_len(&hs);
	vec(&hs, 2, "\x01\x00\x01", 3);
	open_len(&hs, 2);
	fill(&hs, 0x77, 256);
	close_len(&hs);
	close_len(&hs);
	hello_done();
	finish_tls(TLS_V_TLS10, 100);		/* many small records */
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->ske.kind, TLS_SKE_RSA);
	assert_int_equal(f->ske.rsa_bits, 512);
	assert_int_equal(f->ske.rsa_modulus.len, 65);
	assert_int_equal(f->ske.rsa_exponent_len, 3);
	assert_true(f->ske.signed_params);
	assert_int_equal(f->ske.sig_len, 256);
	add_fixture("hand-rsa-export", fl.b, fl.n, 0, TLS_FEED_DONE);
	run_free(&x);
}

/* Anonymous DH (EXPORT): no Certificate, unsigned parameters; the
 * Postfix 2.x default 512-bit group, sent with a leading zero. */
static void
test_hand_anon_dh(void **state)
{
	const struct tls_server_flight *f;
	struct run x;

	(void)state;
	reset();
	server_hello(TLS_V_TLS10,
	    code_of("TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA"), 0, NULL, NULL);
	dh_ske(prime_postfix_512, 1, NULL, 0, -1);
	hello_done();
	finish_tls(TLS_V_TLS10, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_false(f->certs.present);
	assert_int_equal(f->ske.kind, TLS_SKE_DH);
	assert_int_equal(f->ske.dh_p.len, 65);
	assert_int_equal(f->ske.dh_p_bits, 512);
	assert_string_equal(f->ske.dh_group, "postfix-512");
	assert_false(f->ske.signed_params);
	assert_memory_equal(f->msg_types, "\x02\x0c\x0e", 3);
	add_fixture("hand-anon-dh", fl.b, fl.n, 0, TLS_FEED_DONE);
	run_free(&x);

	/* A signature where an anonymous suite has none: refused. */
	reset();
	server_hello(TLS_V_TLS10,
	    code_of("TLS_DH_anon_WITH_AES_128_CBC_SHA"), 0, NULL, NULL);
	dh_ske(prime_postfix_1024, 0, NULL, 128, -1);
	hello_done();
	finish_tls(TLS_V_TLS10, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_ERROR);
	assert_int_equal(f->error, TLS_ERR_LENGTH_MISMATCH);
	assert_string_equal(f->ske.dh_group, "postfix-1024");
	run_free(&x);
}

/* PSK, DHE_PSK, ECDHE_PSK and SRP key exchanges. */
static void
test_hand_psk_srp(void **state)
{
	const struct tls_server_flight *f;
	struct run x;
	uint8_t n[256];

	(void)state;
	reset();
	server_hello(TLS_V_TLS12, code_of("TLS_PSK_WITH_AES_128_CBC_SHA"), 0,
	    NULL, NULL);
	msg_begin(&hs, 12);
	vec(&hs, 2, "mailhint", 8);
	close_len(&hs);
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->ske.kind, TLS_SKE_PSK);
	assert_int_equal(f->ske.psk_hint.len, 8);
	assert_memory_equal(f->ske.psk_hint.p, "mailhint", 8);
	assert_false(f->ske.signed_params);
	add_fixture("hand-psk", fl.b, fl.n, 0, TLS_FEED_DONE);
	run_free(&x);

	reset();
	server_hello(TLS_V_TLS12, code_of("TLS_DHE_PSK_WITH_AES_128_CBC_SHA"),
	    0, NULL, NULL);
	dh_ske(prime_apache22_1024, 0, "h", 0, -1);
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->ske.kind, TLS_SKE_DH);
	assert_int_equal(f->ske.psk_hint.len, 1);
	assert_string_equal(f->ske.dh_group, "apache-2.2-1024");
	assert_false(f->ske.signed_params);
	add_fixture("hand-dhe-psk", fl.b, fl.n, 0, TLS_FEED_DONE);
	run_free(&x);

	reset();
	server_hello(TLS_V_TLS12,
	    code_of("TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA"), 0, NULL, NULL);
	msg_begin(&hs, 12);
	vec(&hs, 2, "", 0);
	put8(&hs, 3);
	put16(&hs, TLS_GROUP_SECP256R1);
	open_len(&hs, 1);
	fill(&hs, 4, 65);
	close_len(&hs);
	close_len(&hs);
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->ske.kind, TLS_SKE_ECDH);
	assert_int_equal(f->ske.named_group, TLS_GROUP_SECP256R1);
	assert_int_equal(f->ske.ec_point_len, 65);
	assert_false(f->ske.signed_params);
	run_free(&x);

	/* SRP with an RSA signature (RFC 5054 2.8). */
	memset(n, 0xe7, sizeof(n));
	reset();
	server_hello(TLS_V_TLS12,
	    code_of("TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA"), 0, NULL, NULL);
	msg_begin(&hs, 12);
	vec(&hs, 2, n, 128);			/* N */
	vec(&hs, 2, "\x02", 1);			/* g */
	vec(&hs, 1, "salt", 4);
	vec(&hs, 2, n, 128);			/* B */
	put16(&hs, 0x0401);
	open_len(&hs, 2);
	fill(&hs, 1, 256);
	close_len(&hs);
	close_len(&hs);
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->ske.kind, TLS_SKE_SRP);
	assert_int_equal(f->ske.srp_n_bits, 1024);
	assert_true(f->ske.signed_params && f->ske.has_sig_alg);
	assert_int_equal(f->ske.sig_alg, 0x0401);
	add_fixture("hand-srp", fl.b, fl.n, 0, TLS_FEED_DONE);
	run_free(&x);
}

/* Explicit curves are recognised, not followed; unknown curve types fail;
 * static-key suites' ServerKeyExchange is "other". */
static void
test_hand_ec_oddities(void **state)
{
	const struct tls_server_flight *f;
	struct run x;

	(void)state;
	reset();
	server_hello(TLS_V_TLS12,
	    code_of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), 0, NULL, NULL);
	msg_begin(&hs, 12);
	put8(&hs, 1);				/* explicit_prime */
	fill(&hs, 0x99, 40);
	close_len(&hs);
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->ske.kind, TLS_SKE_ECDH);
	assert_int_equal(f->ske.curve_type, 1);
	assert_int_equal(f->ske.ec_point_len, 0);
	assert_int_equal(f->ske.sig_len, 0);
	add_fixture("hand-explicit-curve", fl.b, fl.n, 0, TLS_FEED_DONE);
	run_free(&x);

	reset();
	server_hello(TLS_V_TLS12,
	    code_of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), 0, NULL, NULL);
	msg_begin(&hs, 12);
	put8(&hs, 4);
	close_len(&hs);
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(f->error, TLS_ERR_BAD_VALUE);
	run_free(&x);

	reset();
	server_hello(TLS_V_TLS12, code_of("TLS_RSA_WITH_AES_128_CBC_SHA"), 0,
	    NULL, NULL);
	msg_begin(&hs, 12);
	fill(&hs, 0, 10);
	close_len(&hs);
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->ske.kind, TLS_SKE_OTHER);
	assert_int_equal(f->ske.len, 10);
	run_free(&x);

	/* A suite not in the registry: kept, not decoded. */
	reset();
	server_hello(TLS_V_TLS12, 0xeeee, 0, NULL, NULL);
	msg_begin(&hs, 12);
	fill(&hs, 0, 3);
	close_len(&hs);
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->ske.kind, TLS_SKE_OTHER);
	run_free(&x);
}

/* Every extension we understand, one we do not, and the cap on types. */
static void
test_hand_extensions(void **state)
{
	static struct wr ext;
	const struct tls_server_flight *f;
	struct run x;
	unsigned i;

	(void)state;
	memset(&ext, 0, sizeof(ext));
	put16(&ext, 0); put16(&ext, 0);			/* server_name */
	put16(&ext, 5); put16(&ext, 0);			/* status_request */
	put16(&ext, 11); vec(&ext, 2, "\x03\x00\x01\x02", 4);
	put16(&ext, 16); vec(&ext, 2, "\x00\x03\x02h2", 5);
	put16(&ext, 22); put16(&ext, 0);
	put16(&ext, 23); put16(&ext, 0);
	put16(&ext, 35); put16(&ext, 0);
	put16(&ext, 0xff01); vec(&ext, 2, "\x00", 1);
	put16(&ext, 0x1234); vec(&ext, 2, "xyz", 3);	/* unknown */
	reset();
	server_hello(TLS_V_TLS12, 0xc02f, 16, NULL, &ext);
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_true(f->hello.server_name && f->hello.status_request &&
	    f->hello.alpn && f->hello.encrypt_then_mac &&
	    f->hello.extended_master_secret && f->hello.session_ticket &&
	    f->hello.renegotiation_info && f->hello.ec_point_formats);
	assert_int_equal(f->hello.ec_point_format_mask, 0x07);
	assert_int_equal(f->hello.n_extensions, 9);
	assert_int_equal(f->hello.n_ext_types, 9);
	assert_int_equal(f->hello.ext_types[8], 0x1234);
	assert_false(f->hello.supported_versions);
	assert_int_equal(f->hello.session_id_len, 16);
	add_fixture("hand-extensions", fl.b, fl.n, 0, TLS_FEED_DONE);
	run_free(&x);

	/* 40 distinct unknown extensions: 32 types kept, 40 counted. */
	memset(&ext, 0, sizeof(ext));
	for (i = 0; i < 40; i++) {
		put16(&ext, 0x3000 + i);
		put16(&ext, 0);
	}
	reset();
	server_hello(TLS_V_TLS12, 0xc02f, 0, NULL, &ext);
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->hello.n_extensions, 40);
	assert_int_equal(f->hello.n_ext_types, TLS_EXTS_MAX);
	assert_int_equal(f->hello.ext_types[31], 0x3000 + 31);
	run_free(&x);

	/* An empty block is a block. */
	memset(&ext, 0, sizeof(ext));
	reset();
	server_hello(TLS_V_TLS12, 0xc02f, 0, NULL, &ext);
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_true(f->hello.has_extensions);
	assert_int_equal(f->hello.n_extensions, 0);
	run_free(&x);
}

/* hrr_random - RFC 8446 4.1.3: SHA-256("HelloRetryRequest"). */
static void
hrr_random(uint8_t out[32])
{
	SHA256((const unsigned char *)"HelloRetryRequest", 17, out);
}

static void
test_hand_hrr_and_downgrade(void **state)
{
	static struct wr ext;
	uint8_t random[32];
	const struct tls_server_flight *f;
	struct run x;

	(void)state;
	hrr_random(random);
	memset(&ext, 0, sizeof(ext));
	put16(&ext, 43); vec(&ext, 2, "\x03\x04", 2);
	put16(&ext, 51); vec(&ext, 2, "\x00\x18", 2);	/* secp384r1 */
	put16(&ext, 44); vec(&ext, 2, "\x00\x02" "ck", 4); /* cookie */
	reset();
	server_hello(TLS_V_TLS12, 0x1302, 32, random, &ext);
	finish_tls(TLS_V_TLS12, 16384);
	/* What follows an HRR is not ours to read. */
	records(&fl, 20, TLS_V_TLS12, (const uint8_t *)"\x01", 1, 1);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(x.used, fl.n - 6);
	assert_true(f->hello.hello_retry_request);
	assert_true(f->tls13);
	assert_int_equal(f->hello.key_share_group, TLS_GROUP_SECP384R1);
	assert_int_equal(f->hello.key_share_len, 0);
	assert_int_equal(f->hello.n_extensions, 3);
	add_fixture("hand-hrr", fl.b, x.used, 0, TLS_FEED_DONE);
	run_free(&x);

	/* A full key share in an HRR is a length error. */
	memset(&ext, 0, sizeof(ext));
	put16(&ext, 43); vec(&ext, 2, "\x03\x04", 2);
	put16(&ext, 51); vec(&ext, 2, "\x00\x1d\x00\x01\x09", 5);
	reset();
	server_hello(TLS_V_TLS12, 0x1301, 0, random, &ext);
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(f->error, TLS_ERR_LENGTH_MISMATCH);
	run_free(&x);

	/* The TLS 1.1-or-below sentinel ("DOWNGRD\0"). */
	memset(random, 0x61, sizeof(random));
	memcpy(random + 24, "DOWNGRD\0", 8);
	reset();
	server_hello(TLS_V_TLS11, 0x002f, 0, random, NULL);
	hello_done();
	finish_tls(TLS_V_TLS11, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->hello.downgrade, TLS_V_TLS11);
	run_free(&x);
	random[31] = 2;				/* not a sentinel */
	reset();
	server_hello(TLS_V_TLS11, 0x002f, 0, random, NULL);
	hello_done();
	finish_tls(TLS_V_TLS11, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(f->hello.downgrade, 0);
	run_free(&x);
}

/* SSL 2.0 SERVER-HELLO and ERROR. */
static void
test_hand_sslv2(void **state)
{
	uint8_t der[4096], m[8192];
	size_t dlen = cert_der(OSSL_KEY_RSA, der, sizeof(der)), n = 0;
	static const uint8_t kinds[] = {
		0x07, 0x00, 0xc0, 0x01, 0x00, 0x80, 0x02, 0x00, 0x80,
	};
	const struct tls_server_flight *f;
	struct run x;

	(void)state;
	m[n++] = 0;				/* header, patched below */
	m[n++] = 0;
	m[n++] = 4;				/* SERVER-HELLO */
	m[n++] = 0;				/* no session-id hit */
	m[n++] = 1;				/* X.509 */
	m[n++] = 0x00; m[n++] = 0x02;		/* version */
	m[n++] = (uint8_t)(dlen >> 8); m[n++] = (uint8_t)dlen;
	m[n++] = 0; m[n++] = sizeof(kinds);
	m[n++] = 0; m[n++] = 16;		/* connection-id */
	memcpy(m + n, der, dlen);
	n += dlen;
	memcpy(m + n, kinds, sizeof(kinds));
	n += sizeof(kinds);
	memset(m + n, 0xc1, 16);
	n += 16;
	m[0] = (uint8_t)(0x80 | ((n - 2) >> 8));
	m[1] = (uint8_t)(n - 2);
	f = parse(&x, m, n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(x.used, n);
	assert_true(f->sslv2);
	assert_true(f->ssl2.present);
	assert_false(f->ssl2.error);
	assert_int_equal(f->ssl2.version, TLS_V_SSL2);
	assert_int_equal(f->ssl2.certificate_type, 1);
	assert_int_equal(f->ssl2.n_kinds, 3);
	assert_int_equal(f->ssl2.n_kinds_kept, 3);
	assert_int_equal(f->ssl2.kinds[0], 0x0700c0);
	assert_int_equal(f->ssl2.kinds[1], 0x010080);
	assert_int_equal(f->ssl2.kinds[2], 0x020080);
	assert_non_null(cipher_suite_by_code(f->ssl2.kinds[2]));
	assert_true(cipher_suite_by_code(f->ssl2.kinds[2])->flags &
	    CS_F_EXPORT);
	assert_int_equal(f->ssl2.certificate.len, dlen);
	assert_memory_equal(f->ssl2.certificate.p, der, dlen);
	assert_int_equal(f->ssl2.connection_id_len, 16);
	assert_false(f->hello.present);
	add_fixture("hand-sslv2-hello", m, n, 0, TLS_FEED_DONE);
	run_free(&x);

	/* More kinds than are kept. */
	{
		size_t k, nk = TLS_SSL2_KINDS_MAX + 5;

		n = 0;
		m[n++] = 0; m[n++] = 0; m[n++] = 4; m[n++] = 0; m[n++] = 1;
		m[n++] = 0; m[n++] = 2; m[n++] = 0; m[n++] = 0;
		m[n++] = (uint8_t)((nk * 3) >> 8); m[n++] = (uint8_t)(nk * 3);
		m[n++] = 0; m[n++] = 16;
		for (k = 0; k < nk; k++) {
			m[n++] = 1; m[n++] = 0; m[n++] = (uint8_t)k;
		}
		memset(m + n, 0, 16);
		n += 16;
		m[0] = (uint8_t)(0x80 | ((n - 2) >> 8));
		m[1] = (uint8_t)(n - 2);
		f = parse(&x, m, n);
		assert_int_equal(x.st, TLS_FEED_DONE);
		assert_int_equal(f->ssl2.n_kinds, nk);
		assert_int_equal(f->ssl2.n_kinds_kept, TLS_SSL2_KINDS_MAX);
		assert_int_equal(f->ssl2.kinds[31], 0x01001f);
		run_free(&x);
	}

	/* ERROR: no cipher (draft-hickman-netscape-ssl-00, error codes). */
	f = parse(&x, (const uint8_t *)"\x80\x03\x00\x00\x01", 5);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_true(f->sslv2);
	assert_true(f->ssl2.error);
	assert_int_equal(f->ssl2.error_code, 1);
	assert_false(f->ssl2.present);
	add_fixture("hand-sslv2-error", (const uint8_t *)"\x80\x03\x00\x00\x01",
	    5, 0, TLS_FEED_DONE);
	run_free(&x);
}

/* Alerts: warnings go on, fatal ones and close_notify end, fragments
 * join. */
static void
test_hand_alerts(void **state)
{
	const struct tls_server_flight *f;
	struct run x;

	(void)state;
	reset();
	records(&fl, 21, TLS_V_TLS12, (const uint8_t *)"\x01\x70", 2, 2);
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, NULL);
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->n_alerts, 1);
	assert_int_equal(f->alerts[0].level, 1);
	assert_int_equal(f->alerts[0].description, 112);
	assert_string_equal(tls_alert_name(112), "unrecognized_name");
	assert_false(f->fatal_alert);
	assert_true(f->hello_done);
	add_fixture("hand-warning-alert", fl.b, fl.n, 0, TLS_FEED_DONE);
	run_free(&x);

	/* A fatal alert in two one-byte records, then junk never read. */
	reset();
	records(&fl, 21, TLS_V_TLS10, (const uint8_t *)"\x02\x28", 2, 1);
	fill(&fl, 0xff, 10);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(x.used, 12);
	assert_true(f->fatal_alert);
	assert_int_equal(f->alerts[0].level, 2);
	assert_int_equal(f->alerts[0].description, 40);
	add_fixture("hand-split-alert", fl.b, 12, 0, TLS_FEED_DONE);
	run_free(&x);

	/* close_notify, even at warning level, ends it. */
	reset();
	records(&fl, 21, TLS_V_TLS12, (const uint8_t *)"\x01\x00", 2, 2);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_true(f->fatal_alert);
	run_free(&x);

	/* Many warnings: the first TLS_ALERTS_MAX are kept. */
	reset();
	{
		int i;

		for (i = 0; i < 10; i++)
			records(&fl, 21, TLS_V_TLS12,
			    (const uint8_t *)"\x01\x5a", 2, 2);
	}
	records(&fl, 21, TLS_V_TLS12, (const uint8_t *)"\x02\x50", 2, 2);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->n_alerts, TLS_ALERTS_MAX);
	assert_true(f->fatal_alert);
	run_free(&x);
}

/* Message order and framing. */
static void
test_hand_message_layer(void **state)
{
	uint8_t der[16] = { 0x30, 0x0e };
	const struct tls_server_flight *f;
	struct run x;
	size_t sh_end;

	(void)state;
	/* HelloRequest first is ignored (RFC 5246 7.4.1.1); messages share
	 * records; what follows ServerHelloDone is left alone. */
	reset();
	msg_begin(&hs, 0);
	close_len(&hs);
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, NULL);
	certificate_msg(der, sizeof(der));
	hello_done();
	sh_end = hs.n;
	msg_begin(&hs, 4);			/* NewSessionTicket: not ours */
	fill(&hs, 0, 6);
	close_len(&hs);
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(x.used, 5 + sh_end);
	assert_int_equal(f->n_msgs, 3);
	assert_int_equal(f->msg_types[0], 2);
	add_fixture("hand-one-record", fl.b, x.used, 0, TLS_FEED_DONE);
	run_free(&x);

	/* One message over many 1-byte records. */
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 32, NULL, NULL);
	certificate_msg(der, sizeof(der));
	hello_done();
	finish_tls(TLS_V_TLS12, 1);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(x.st, TLS_FEED_DONE);
	assert_int_equal(f->certs.n, 1);
	add_fixture("hand-tiny-records", fl.b, fl.n, 0, TLS_FEED_DONE);
	run_free(&x);

	/* Out of order, repeated, unknown, or not first. */
	{
		static const struct {
			const char	*types;
		} bad[] = {
			{ "\x0b" }, { "\x02\x02" }, { "\x02\x0c\x0b" },
			{ "\x02\x63" }, { "\x0e" }, { "\x02\x0d\x0b" },
			{ "\x02\x01" }, { "\x02\x14" },
		};
		size_t i, k;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			reset();
			for (k = 0; bad[i].types[k]; k++) {
				unsigned t = (uint8_t)bad[i].types[k];

				if (t == 2)
					server_hello(TLS_V_TLS12, 0x002f, 0,
					    NULL, NULL);
				else if (t == 11)
					certificate_msg(der, sizeof(der));
				else if (t == 12)
					dh_ske(prime_openssl_512, 0, NULL, 0,
					    -1);
				else {
					msg_begin(&hs, t);
					close_len(&hs);
				}
			}
			finish_tls(TLS_V_TLS12, 16384);
			f = parse(&x, fl.b, fl.n);
			if (f->error != TLS_ERR_UNEXPECTED_MESSAGE)
				fail_msg("case %zu: %s", i,
				    tls_parse_error_name(f->error));
			run_free(&x);
		}
	}

	/* ServerHelloDone with a body. */
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, NULL);
	msg_begin(&hs, 14);
	put8(&hs, 0);
	close_len(&hs);
	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(f->error, TLS_ERR_LENGTH_MISMATCH);
	assert_true(f->hello.present);		/* kept */
	run_free(&x);
}

/* corrupt - parse a ServerHello-Certificate-Done flight after edit() and
 * expect error e. */
static void
expect_error(const char *what, enum tls_parse_error e)
{
	const struct tls_server_flight *f;
	struct run x;

	finish_tls(TLS_V_TLS12, 16384);
	f = parse(&x, fl.b, fl.n);
	if (f->error != e)
		fail_msg("%s: got %s, want %s", what,
		    tls_parse_error_name(f->error), tls_parse_error_name(e));
	assert_int_equal(x.st, TLS_FEED_ERROR);
	run_free(&x);
}

/* Inner lengths that lie. */
static void
test_hand_lying_lengths(void **state)
{
	static struct wr ext;
	uint8_t der[8] = { 0x30, 0x06 };

	(void)state;
	/* ServerHello: session id of 33, extension blocks too long or short,
	 * an extension running past its block, a duplicate. */
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 33, NULL, NULL);
	expect_error("sid 33", TLS_ERR_BAD_VALUE);

	memset(&ext, 0, sizeof(ext));
	put16(&ext, 23); put16(&ext, 0);
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, &ext);
	hs.b[hs.n - 5] += 1;			/* block length + 1 */
	expect_error("block too long", TLS_ERR_LENGTH_MISMATCH);
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, &ext);
	hs.b[hs.n - 5] -= 1;			/* block length - 1 */
	expect_error("block too short", TLS_ERR_LENGTH_MISMATCH);
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, &ext);
	hs.b[hs.n - 1] = 1;			/* ext length 1 of 0 */
	expect_error("ext too long", TLS_ERR_LENGTH_MISMATCH);

	memset(&ext, 0, sizeof(ext));
	put16(&ext, 23); put16(&ext, 0);
	put16(&ext, 23); put16(&ext, 0);
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, &ext);
	expect_error("duplicate", TLS_ERR_DUPLICATE_EXTENSION);

	memset(&ext, 0, sizeof(ext));
	put16(&ext, 43); vec(&ext, 2, "\x03\x04\x00", 3);
	reset();
	server_hello(TLS_V_TLS12, 0x1301, 0, NULL, &ext);
	expect_error("supported_versions 3", TLS_ERR_LENGTH_MISMATCH);

	memset(&ext, 0, sizeof(ext));
	put16(&ext, 43); vec(&ext, 2, "\x03\x04", 2);
	put16(&ext, 51); vec(&ext, 2, "\x00\x1d\x00\x00", 4);
	reset();
	server_hello(TLS_V_TLS12, 0x1301, 0, NULL, &ext);
	expect_error("empty key share", TLS_ERR_BAD_VALUE);

	memset(&ext, 0, sizeof(ext));
	put16(&ext, 0xff01); vec(&ext, 2, "\x05\x00", 2);
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, &ext);
	expect_error("reneg info", TLS_ERR_LENGTH_MISMATCH);

	memset(&ext, 0, sizeof(ext));
	put16(&ext, 11); vec(&ext, 2, "\x02\x00", 2);
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, &ext);
	expect_error("point formats", TLS_ERR_LENGTH_MISMATCH);

	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, NULL);
	hs.b[3] -= 1;				/* message shorter than SH */
	hs.n -= 1;
	expect_error("short hello", TLS_ERR_LENGTH_MISMATCH);

	/* Certificate: list length off, an empty certificate, an entry
	 * running past the list. */
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, NULL);
	certificate_msg(der, sizeof(der));
	hs.b[hs.n - 8 - 3 - 1] += 1;
	expect_error("cert list", TLS_ERR_LENGTH_MISMATCH);
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, NULL);
	certificate_msg(der, 0);
	expect_error("empty cert", TLS_ERR_BAD_VALUE);
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, NULL);
	certificate_msg(der, sizeof(der));
	hs.b[hs.n - 8 - 1] += 1;
	expect_error("cert entry", TLS_ERR_LENGTH_MISMATCH);

	/* CertificateStatus: OCSP with an empty response. */
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, NULL);
	certificate_msg(der, sizeof(der));
	msg_begin(&hs, 22);
	put8(&hs, 1);
	vec(&hs, 3, "", 0);
	close_len(&hs);
	expect_error("empty OCSP", TLS_ERR_BAD_VALUE);

	/* ServerKeyExchange: p running out, p empty, trailing bytes. */
	reset();
	server_hello(TLS_V_TLS12, 0x0033, 0, NULL, NULL);
	certificate_msg(der, sizeof(der));
	msg_begin(&hs, 12);
	put16(&hs, 200);
	fill(&hs, 0xff, 20);
	close_len(&hs);
	expect_error("p too long", TLS_ERR_LENGTH_MISMATCH);
	reset();
	server_hello(TLS_V_TLS12, 0x0033, 0, NULL, NULL);
	certificate_msg(der, sizeof(der));
	msg_begin(&hs, 12);
	vec(&hs, 2, "", 0);
	vec(&hs, 2, "\x02", 1);
	vec(&hs, 2, "\x02", 1);
	put16(&hs, 0x0401);
	vec(&hs, 2, "s", 1);
	close_len(&hs);
	expect_error("p empty", TLS_ERR_BAD_VALUE);
	reset();
	server_hello(TLS_V_TLS12, 0x0033, 0, NULL, NULL);
	certificate_msg(der, sizeof(der));
	dh_ske(prime_openssl_512, 0, NULL, 64, 0x0401);
	hello_done();
	hs.b[hs.n - 4 - 64 - 1] = 63;		/* sig length 63 of 64 */
	expect_error("sig short", TLS_ERR_LENGTH_MISMATCH);
}

/*
 * A refused message stops the reader right after its last byte, whatever
 * the split: *used and error_offset used to count the whole chunk that
 * completed it (the rest of the record when fed whole, one byte when fed
 * byte by byte).
 */
static void
test_error_stops_after_message(void **state)
{
	uint8_t der[8] = { 0x30, 0x06 };
	enum split how;
	size_t bad_end;
	struct run x;

	(void)state;
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, NULL);
	certificate_msg(der, 0);		/* ASN.1Cert<1..>: refused */
	bad_end = 5 + hs.n;
	certificate_msg(der, sizeof(der));
	hello_done();
	finish_tls(TLS_V_TLS12, 16384);
	for (how = SPLIT_WHOLE; how <= SPLIT_RANDOM; how++) {
		run(&x, fl.b, fl.n, 0, how, 7);
		assert_int_equal(x.st, TLS_FEED_ERROR);
		assert_int_equal(tls_reader_flight(&x.r)->error,
		    TLS_ERR_BAD_VALUE);
		assert_int_equal(x.used, bad_end);
		assert_int_equal(tls_reader_flight(&x.r)->error_offset, bad_end);
		run_free(&x);
	}
	/* The same for a message header announcing too much. */
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, NULL);
	bad_end = 5 + hs.n + 4;
	put8(&hs, 11);
	put8(&hs, 0x7f);
	put16(&hs, 0);
	fill(&hs, 0, 100);
	finish_tls(TLS_V_TLS12, 16384);
	for (how = SPLIT_WHOLE; how <= SPLIT_RANDOM; how++) {
		run(&x, fl.b, fl.n, 0, how, 7);
		assert_int_equal(tls_reader_flight(&x.r)->error,
		    TLS_ERR_OVERSIZED);
		assert_int_equal(x.used, bad_end);
		assert_int_equal(tls_reader_flight(&x.r)->error_offset, bad_end);
		run_free(&x);
	}
}

/* The record layer and the first-byte dialects. */
static void
test_hand_records_and_dialects(void **state)
{
	static const struct {
		const char		*name;
		const char		*data;
		size_t			 len;
		enum tls_parse_error	 error;
		size_t			 offset;	/* error_offset */
	} cases[] = {
		{ "garbage", "\x00\x01\x02", 3, TLS_ERR_NOT_TLS, 0 },
		{ "record-version-2", "\x16\x02\x00\x00\x01\x02", 6,
		    TLS_ERR_NOT_TLS, 5 },
		{ "record-version-305", "\x16\x03\x05\x00\x01\x02", 6,
		    TLS_ERR_NOT_TLS, 5 },
		{ "record-overflow", "\x16\x03\x03\x40\x01", 5,
		    TLS_ERR_RECORD_OVERFLOW, 5 },
		{ "ccs-first", "\x14\x03\x03\x00\x01\x01", 6,
		    TLS_ERR_UNEXPECTED_RECORD, 5 },
		{ "appdata-first", "\x17\x03\x03\x00\x02zz", 7,
		    TLS_ERR_UNEXPECTED_RECORD, 5 },
		/* A message header no buffer could hold: refused at once. */
		{ "message-16m", "\x16\x03\x03\x00\x04\x02\xff\xff\xff", 9,
		    TLS_ERR_OVERSIZED, 9 },
		{ "sslv2-empty", "\x80\x00", 2, TLS_ERR_NOT_TLS, 2 },
		{ "sslv2-client-key", "\x80\x05\x02\x00\x00\x00\x00", 7,
		    TLS_ERR_NOT_TLS, 2 },
		{ "sslv2-error-long", "\x80\x04\x00\x00\x01\x00", 6,
		    TLS_ERR_LENGTH_MISMATCH, 6 },
		{ "sslv2-32k", "\xff\xff", 2, TLS_ERR_OVERSIZED, 2 },
	};
	char name[48];
	const struct tls_server_flight *f;
	struct run x;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(&x, (const uint8_t *)cases[i].data, cases[i].len, 1000,
		    SPLIT_WHOLE, 0);
		f = tls_reader_flight(&x.r);
		if (f->error != cases[i].error ||
		    f->error_offset != cases[i].offset)
			fail_msg("case %zu: %s at %zu", i,
			    tls_parse_error_name(f->error), f->error_offset);
		assert_false(f->hello.present);
		snprintf(name, sizeof(name), "hand-%s", cases[i].name);
		add_fixture(name, (const uint8_t *)cases[i].data,
		    cases[i].len, 1000, TLS_FEED_ERROR);
		run_free(&x);
	}

	/* A bad header after a good record. */
	reset();
	server_hello(TLS_V_TLS12, 0x002f, 0, NULL, NULL);
	finish_tls(TLS_V_TLS12, 16384);
	put8(&fl, 22); put16(&fl, 0x0400); put16(&fl, 1); put8(&fl, 0);
	f = parse(&x, fl.b, fl.n);
	assert_int_equal(f->error, TLS_ERR_BAD_RECORD);
	assert_int_equal(f->error_offset, fl.n - 1);
	assert_true(f->hello.present);
	run_free(&x);

	/* SSLv2 lengths that lie: specs not a multiple of 3, sums off. */
	f = parse(&x, (const uint8_t *)"\x80\x0c\x04\x00\x01\x00\x02"
	    "\x00\x00\x00\x01\x00\x00\xaa", 14);
	assert_int_equal(f->error, TLS_ERR_BAD_VALUE);
	run_free(&x);
	f = parse(&x, (const uint8_t *)"\x80\x0c\x04\x00\x01\x00\x02"
	    "\x00\x05\x00\x00\x00\x00\xaa", 14);
	assert_int_equal(f->error, TLS_ERR_LENGTH_MISMATCH);
	assert_true(f->sslv2);
	run_free(&x);
}

/* A text answer: an SMTP reply after STARTTLS, an HTTP page. */
static void
test_hand_plaintext(void **state)
{
	static const struct {
		const char	*name;
		const char	*data;
		const char	*line;
		size_t		 used;
	} cases[] = {
		{ "text-421", "421 4.7.0 Try again later\r\nmore",
		  "421 4.7.0 Try again later", 27 },
		{ "text-454-lf", "454 TLS not available\n",
		  "454 TLS not available", 22 },
		{ "text-control", "220 \x01\x7f\xff\x1b ok\r\n", "220 ???? ok",
		  13 },
		{ "text-empty-line", "\r\n", "", 2 },
		{ "text-eof", "HTTP/1.0 400 Bad", "HTTP/1.0 400 Bad", 16 },
	};
	char name[48];
	const struct tls_server_flight *f;
	char big[400];
	struct run x;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(&x, (const uint8_t *)cases[i].data, strlen(cases[i].data),
		    0, SPLIT_BYTES, 0);
		f = tls_reader_flight(&x.r);
		assert_int_equal(f->error, TLS_ERR_PLAINTEXT);
		assert_string_equal(f->plaintext, cases[i].line);
		assert_int_equal(x.used, cases[i].used);
		snprintf(name, sizeof(name), "hand-%s", cases[i].name);
		add_fixture(name, (const uint8_t *)cases[i].data,
		    strlen(cases[i].data), 0, TLS_FEED_ERROR);
		run_free(&x);
	}
	/* A line without end: cut at TLS_PLAINTEXT_MAX, not buffered on. */
	memset(big, 'A', sizeof(big));
	run(&x, (const uint8_t *)big, sizeof(big), 0, SPLIT_WHOLE, 0);
	f = tls_reader_flight(&x.r);
	assert_int_equal(f->error, TLS_ERR_PLAINTEXT);
	assert_int_equal(strlen(f->plaintext), TLS_PLAINTEXT_MAX);
	assert_int_equal(x.used, TLS_PLAINTEXT_MAX + 1);
	assert_false(x.eof);
	run_free(&x);
}

static void
test_eof_and_api(void **state)
{
	struct tls_reader_limits lim = { 1 };	/* raised to the minimum */
	struct tls_reader r;
	size_t used = 7;

	(void)state;
	assert_int_equal(tls_reader_init(&r, &lim), 0);
	assert_true(r.limits.max_bytes >= 64);
	assert_int_equal(tls_reader_feed(&r, "", 0, &used), TLS_FEED_MORE);
	assert_int_equal(used, 0);
	assert_int_equal(tls_reader_eof(&r), TLS_FEED_ERROR);
	assert_int_equal(tls_reader_flight(&r)->error, TLS_ERR_CLOSED);
	assert_string_equal(tls_parse_error_name(TLS_ERR_CLOSED), "closed");
	tls_reader_free(&r);
	tls_reader_free(&r);			/* twice is harmless */
}

/* ---- properties of every flight ----------------------------------------- */

/* Whole, byte by byte, in random pieces: one result. */
static void
test_splits_agree(void **state)
{
	struct run whole, other;
	size_t i;
	uint32_t seed;

	(void)state;
	assert_true(n_fixtures > 40);
	for (i = 0; i < n_fixtures; i++) {
		const struct fixture *fx = &fixtures[i];

		run(&whole, fx->d, fx->len, fx->max_bytes, SPLIT_WHOLE, 0);
		if (whole.st != fx->want)
			fail_msg("%s: unexpected status", fx->name);
		if (fx->want == TLS_FEED_DONE)
			assert_int_equal(whole.used, fx->len);
		run(&other, fx->d, fx->len, fx->max_bytes, SPLIT_BYTES, 0);
		assert_flights_equal(tls_reader_flight(&whole.r),
		    tls_reader_flight(&other.r), fx->name);
		assert_int_equal(other.used, whole.used);
		run_free(&other);
		for (seed = 1; seed <= 8; seed++) {
			run(&other, fx->d, fx->len, fx->max_bytes,
			    SPLIT_RANDOM, seed * 2654435761u);
			assert_flights_equal(tls_reader_flight(&whole.r),
			    tls_reader_flight(&other.r), fx->name);
			run_free(&other);
		}
		run_free(&whole);
	}
}

/* Every strict prefix, then EOF: closed or truncated, never success. */
static void
test_truncations_fail(void **state)
{
	struct run x;
	size_t i, k;

	(void)state;
	for (i = 0; i < n_fixtures; i++) {
		const struct fixture *fx = &fixtures[i];

		if (fx->want != TLS_FEED_DONE)
			continue;
		for (k = 0; k < fx->len; k++) {
			const struct tls_server_flight *f;

			/* Byte by byte now and then: it is the slow way. */
			run(&x, fx->d, k, fx->max_bytes, k % 2 == 0 ?
			    SPLIT_WHOLE : k % 16 == 1 ? SPLIT_BYTES :
			    SPLIT_RANDOM, (uint32_t)k);
			f = tls_reader_flight(&x.r);
			if (x.st != TLS_FEED_ERROR || !x.eof ||
			    f->error != (k == 0 ? TLS_ERR_CLOSED :
			    TLS_ERR_TRUNCATED))
				fail_msg("%s cut at %zu: %s", fx->name, k,
				    tls_parse_error_name(f->error));
			assert_false(f->done);
			assert_false(f->hello_done);
			run_free(&x);
		}
	}
}

/* Any one byte changed: no crash, and still the same whole or split. */
static void
test_corruptions(void **state)
{
	static const uint8_t masks[] = { 0x01, 0xff };
	static uint8_t d[BUF_MAX];
	struct run a, b;
	size_t i, k, m, stride;

	(void)state;
	for (i = 0; i < n_fixtures; i++) {
		const struct fixture *fx = &fixtures[i];

		memcpy(d, fx->d, fx->len);
		/* Long flights: every byte of the first KiB, then a sample
		 * (the fuzzer does the rest). */
		for (k = 0; k < fx->len; k += stride) {
			stride = k < 1024 ? 1 : 29;
			for (m = 0; m < sizeof(masks); m++) {
				d[k] ^= masks[m];
				run(&a, d, fx->len, fx->max_bytes, SPLIT_WHOLE, 0);
				run(&b, d, fx->len, fx->max_bytes,
				    fx->len <= 512 ? SPLIT_BYTES : SPLIT_RANDOM,
				    (uint32_t)k);
				assert_flights_equal(tls_reader_flight(&a.r),
				    tls_reader_flight(&b.r), fx->name);
				run_free(&a);
				run_free(&b);
				d[k] ^= masks[m];
			}
		}
	}
}

/* ---- DH groups and SHA-256 ---------------------------------------------- */

static void
check_group(const BIGNUM *p, const char *want, unsigned *seen)
{
	uint8_t b[1100], d[32];
	int n = BN_bn2bin(p, b + 1);
	const struct tls_dh_group *g;
	size_t i;

	assert_true(n > 0);
	g = tls_dh_group_find(b + 1, (size_t)n);
	if (g == NULL)
		fail_msg("%s: not found", want);
	assert_string_equal(g->name, want);
	assert_int_equal(g->bits, (unsigned)BN_num_bits(p));
	assert_string_equal(tls_dh_group_name(b + 1, (size_t)n), want);
	tls_sha256(b + 1, (size_t)n, d);
	assert_memory_equal(d, g->sha256, 32);
	/* With leading zeros, as a server may encode it: the same. */
	b[0] = 0;
	assert_ptr_equal(tls_dh_group_find(b, (size_t)n + 1), g);
	/* One bit off: not it. */
	b[n] ^= 0x02;
	assert_null(tls_dh_group_find(b + 1, (size_t)n));
	for (i = 0; i < tls_dh_group_count(); i++)
		if (tls_dh_group_at(i) == g)
			seen[i]++;
}

/* Every entry of the table recomputed from OpenSSL or the prime's bytes. */
static void
test_dh_group_table(void **state)
{
	static const struct {
		const char	*openssl;
		const char	*ours;
	} named[] = {
		{ "ffdhe2048", "ffdhe2048" }, { "ffdhe3072", "ffdhe3072" },
		{ "ffdhe4096", "ffdhe4096" }, { "ffdhe6144", "ffdhe6144" },
		{ "ffdhe8192", "ffdhe8192" }, { "modp_1536", "modp1536" },
		{ "modp_2048", "modp2048" }, { "modp_3072", "modp3072" },
		{ "modp_4096", "modp4096" }, { "modp_6144", "modp6144" },
		{ "modp_8192", "modp8192" },
		{ "dh_1024_160", "rfc5114-1024-160" },
		{ "dh_2048_224", "rfc5114-2048-224" },
		{ "dh_2048_256", "rfc5114-2048-256" },
	};
	static const char *const typed[] = {
		"openssl-512", "postfix-512", "postfix-1024", "apache-2.0-512",
		"apache-2.0-1024", "apache-2.2-512", "apache-2.2-1024",
	};
	const char *const hexes[] = {
		prime_openssl_512, prime_postfix_512, prime_postfix_1024,
		prime_apache20_512, prime_apache20_1024, prime_apache22_512,
		prime_apache22_1024,
	};
	unsigned seen[64] = { 0 };
	size_t i, j, n = tls_dh_group_count();
	BIGNUM *p;
	EVP_PKEY *pk;

	(void)state;
	assert_true(n <= 64);
	for (i = 0; i < n; i++) {
		const struct tls_dh_group *g = tls_dh_group_at(i);

		assert_non_null(g->name);
		assert_non_null(g->source);
		assert_true(g->bits >= 512 && g->bits <= 8192 &&
		    g->bits % 8 == 0);
		for (j = 0; j < i; j++) {
			assert_string_not_equal(tls_dh_group_at(j)->name,
			    g->name);
			assert_memory_not_equal(tls_dh_group_at(j)->sha256,
			    g->sha256, 32);
		}
	}
	assert_null(tls_dh_group_at(n));

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		pk = dh_pkey_named(named[i].openssl);
		p = dh_prime_of(pk);
		check_group(p, named[i].ours, seen);
		BN_free(p);
		EVP_PKEY_free(pk);
	}
	p = BN_get_rfc2409_prime_768(NULL);
	check_group(p, "oakley-group1-768", seen);
	BN_free(p);
	p = BN_get_rfc2409_prime_1024(NULL);
	check_group(p, "oakley-group2-1024", seen);
	BN_free(p);
	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		p = hex_prime(hexes[i]);
		check_group(p, typed[i], seen);
		BN_free(p);
	}
	/* Nothing in the table that no one could recompute. */
	for (i = 0; i < n; i++)
		if (seen[i] != 1)
			fail_msg("%s: verified %u times",
			    tls_dh_group_at(i)->name, seen[i]);

	assert_null(tls_dh_group_find(NULL, 0));
	assert_null(tls_dh_group_find((const uint8_t *)"\0\0", 2));
	assert_null(tls_dh_group_name((const uint8_t *)"\x17", 1));
}

static void
test_sha256(void **state)
{
	static uint8_t data[1 << 20];
	uint8_t ours[32], ref[32];
	size_t n;
	uint32_t s = 12345;

	(void)state;
	for (n = 0; n < sizeof(data); n++)
		data[n] = (uint8_t)prng(&s);
	/* Every length around the padding boundaries, then big ones. */
	for (n = 0; n <= 300; n++) {
		tls_sha256(data, n, ours);
		SHA256(data, n, ref);
		assert_memory_equal(ours, ref, 32);
	}
	tls_sha256(data, sizeof(data), ours);
	SHA256(data, sizeof(data), ref);
	assert_memory_equal(ours, ref, 32);
	/* RFC 8446 4.1.3: the HelloRetryRequest random. */
	tls_sha256("HelloRetryRequest", 17, ours);
	hrr_random(ref);
	assert_memory_equal(ours, ref, 32);
	assert_int_equal(ours[0], 0xcf);
	assert_int_equal(ours[31], 0x9c);
}

/* ---- names -------------------------------------------------------------- */

static void
test_names(void **state)
{
	static const uint16_t groups[] = {
		0x0017, 0x0018, 0x0019, 0x001d, 0x001e, 0x0100, 0x0101,
		0x0102, 0x0103, 0x0104, 0x001a, 0x001b, 0x001c,
	};
	SSL_CTX *ctx = SSL_CTX_new(TLS_method());
	SSL *ssl = SSL_new(ctx);
	size_t i, j;
	int e;

	(void)state;
	for (e = 0; e < TLS_ERR_COUNT; e++) {
		assert_non_null(tls_parse_error_name((enum tls_parse_error)e));
		assert_non_null(tls_parse_error_text((enum tls_parse_error)e));
		for (j = 0; j < (size_t)e; j++)
			assert_string_not_equal(
			    tls_parse_error_name((enum tls_parse_error)j),
			    tls_parse_error_name((enum tls_parse_error)e));
	}
	assert_string_equal(tls_parse_error_name(TLS_ERR_COUNT), "?");
	assert_string_equal(tls_parse_error_text((enum tls_parse_error)-1), "?");
	for (e = 0; e < TLS_SKE_KIND_COUNT; e++)
		assert_string_not_equal(tls_ske_kind_name((enum tls_ske_kind)e),
		    "?");
	assert_string_equal(tls_ske_kind_name(TLS_SKE_KIND_COUNT), "?");

	assert_string_equal(tls_alert_name(0), "close_notify");
	assert_string_equal(tls_alert_name(70), "protocol_version");
	assert_string_equal(tls_alert_name(71), "insufficient_security");
	assert_null(tls_alert_name(1));
	assert_null(tls_alert_name(255));
	assert_string_equal(tls_handshake_name(2), "server_hello");
	assert_string_equal(tls_handshake_name(14), "server_hello_done");
	assert_string_equal(tls_handshake_name(22), "certificate_status");
	assert_null(tls_handshake_name(3));
	assert_null(tls_handshake_name(255));
	assert_string_equal(tls_sigalg_name(0x0804), "rsa_pss_rsae_sha256");
	assert_string_equal(tls_sigalg_name(0x0403), "ecdsa_secp256r1_sha256");
	assert_string_equal(tls_sigalg_name(0x0201), "rsa_pkcs1_sha1");
	assert_null(tls_sigalg_name(0x0000));
	assert_null(tls_group_name(0x0000));
	assert_null(tls_group_name(0x0105));
	assert_null(tls_group_name(0x0022));
	assert_string_equal(tls_group_name(0x0021), "brainpoolP512r1tls13");
	assert_string_equal(tls_group_name(0x11ec), "X25519MLKEM768");
	/* The groups OpenSSL names, by the same names. */
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		const char *o = SSL_group_to_name(ssl, groups[i]);

		assert_non_null(tls_group_name(groups[i]));
		if (o != NULL && strcmp(o, tls_group_name(groups[i])) != 0 &&
		    strcasecmp(o, tls_group_name(groups[i])) != 0)
			fail_msg("group 0x%04x: ours %s, OpenSSL %s",
			    groups[i], tls_group_name(groups[i]), o);
	}
	SSL_free(ssl);
	SSL_CTX_free(ctx);
}

/*
 * dump_seeds - with PROBE_SEED_DIR set, write every flight as a seed of
 * fuzz/fuzz_tls_parse.c (its two set-up bytes first: the limit, pieces of
 * up to 17 bytes), so the corpus is made from what is tested here (all
 * but the flights over 8 KiB, which would slow the fuzzer down):
 *
 *   PROBE_SEED_DIR=fuzz/corpus/fuzz_tls_parse test_probe_tls_parse
 */
static void
dump_seeds(const char *dir)
{
	char path[512];
	size_t i;
	FILE *fp;

	for (i = 0; i < n_fixtures; i++) {
		const struct fixture *fx = &fixtures[i];
		uint8_t setup[2] = { fx->max_bytes ? 3 : 0, 0x10 };

		/* Big seeds make libFuzzer's inputs big and slow. */
		if (fx->len > 8192)
			continue;

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, fx->name) >=
		    sizeof(path))
			fail_msg("%s: path too long", dir);
		if ((fp = fopen(path, "wb")) == NULL)
			fail_msg("%s: cannot write", path);
		assert_int_equal(fwrite(setup, 1, 2, fp), 2);
		assert_int_equal(fwrite(fx->d, 1, fx->len, fp), fx->len);
		assert_int_equal(fclose(fp), 0);
	}
}

static int
group_teardown(void **state)
{
	const char *dir = getenv("PROBE_SEED_DIR");
	size_t i;

	(void)state;
	if (dir != NULL)
		dump_seeds(dir);
	for (i = 0; i < n_fixtures; i++)
		free(fixtures[i].d);
	n_fixtures = 0;
	return 0;
}

int
main(void)
{
	/* The fixture tests first: the property tests run over what they
	 * collected. */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ossl_tls12_ecdhe_rsa),
		cmocka_unit_test(test_ossl_dhe_groups),
		cmocka_unit_test(test_ossl_dhe_512),
		cmocka_unit_test(test_ossl_older_versions),
		cmocka_unit_test(test_ossl_tls13),
		cmocka_unit_test(test_ossl_hello_retry_request),
		cmocka_unit_test(test_ossl_status_and_cert_request),
		cmocka_unit_test(test_ossl_long_chain),
		cmocka_unit_test(test_ossl_alerts_and_downgrade),
		cmocka_unit_test(test_hand_ssl3_dhe_export),
		cmocka_unit_test(test_hand_rsa_export),
		cmocka_unit_test(test_hand_anon_dh),
		cmocka_unit_test(test_hand_psk_srp),
		cmocka_unit_test(test_hand_ec_oddities),
		cmocka_unit_test(test_hand_extensions),
		cmocka_unit_test(test_hand_hrr_and_downgrade),
		cmocka_unit_test(test_hand_sslv2),
		cmocka_unit_test(test_hand_alerts),
		cmocka_unit_test(test_hand_message_layer),
		cmocka_unit_test(test_hand_lying_lengths),
		cmocka_unit_test(test_error_stops_after_message),
		cmocka_unit_test(test_hand_records_and_dialects),
		cmocka_unit_test(test_hand_plaintext),
		cmocka_unit_test(test_eof_and_api),
		cmocka_unit_test(test_splits_agree),
		cmocka_unit_test(test_truncations_fail),
		cmocka_unit_test(test_corruptions),
		cmocka_unit_test(test_dh_group_table),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
