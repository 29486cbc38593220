/*
 * test_tls_hello.c - unit tests of the ClientHello builder
 * (probe/tls_hello.h).
 *
 * Every hello built here is read back by a ClientHello parser written in
 * this file from the RFCs, independently of the builder: records (RFC 5246
 * 6.2.1) or the SSLv2 header (RFC 5246 E.2), the handshake header, every
 * vector length, every extension's inner lengths.  On top of that the
 * hellos go to a real OpenSSL server (ossl_server.h), which has to answer
 * with a ServerHello of the expected version and one of our suites: the
 * strongest evidence that the bytes are right, key shares included.
 *
 * The size contract is checked at every capacity below the hello's length:
 * -1 and not one byte written at or past buf + cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "probe/cipher_suites.h"
#include "probe/tls_hello.h"
#include "probe/tls_parse.h"
#include "ossl_server.h"

#define HELLO_MAX	(96 * 1024)
#define SUITES_MAX	40000
#define EXTS_MAX	64

/* Extension types (IANA), as this test knows them. */
enum {
	X_SNI = 0, X_STATUS = 5, X_GROUPS = 10, X_POINTS = 11, X_SIGALGS = 13,
	X_PADDING = 21, X_ETM = 22, X_EMS = 23, X_TICKET = 35,
	X_VERSIONS = 43, X_PSK_MODES = 45, X_KEY_SHARE = 51,
	X_RENEG = 0xff01,
};

static const uint8_t test_random[32] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

/* ---- an independent ClientHello parser ---------------------------------- */

struct ext {
	unsigned	 type;
	const uint8_t	*p;
	size_t		 len;
};

struct hello {
	int		 sslv2;		/* SSLv2 record format */
	uint16_t	 record_version;
	size_t		 n_records;
	size_t		 record_len[8];
	uint8_t		 hs[HELLO_MAX];	/* handshake message, reassembled */
	size_t		 hs_len;	/* header included */
	uint16_t	 version;
	uint8_t		 random[32];	/* SSLv2: the challenge */
	size_t		 random_len;
	size_t		 sid_len;
	uint32_t	 suites[SUITES_MAX];	/* SSLv2: 3-byte specs */
	size_t		 n_suites;
	uint8_t		 comp[16];
	size_t		 n_comp;
	int		 has_exts;
	struct ext	 ext[EXTS_MAX];
	size_t		 n_ext;
};

static unsigned
rd16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static size_t
rd24(const uint8_t *p)
{
	return (size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2];
}

/* parse_sslv2 - RFC 5246 E.2 / SSL 2.0 CLIENT-HELLO, all lengths exact. */
static void
parse_sslv2(const uint8_t *b, size_t len, struct hello *h)
{
	size_t body, specs, sid, chal, i;

	h->sslv2 = 1;
	assert_true(len >= 11);
	body = (size_t)(b[0] & 0x7f) << 8 | b[1];
	assert_int_equal(body, len - 2);	/* one record, no padding */
	assert_int_equal(b[2], 1);		/* MSG-CLIENT-HELLO */
	h->version = (uint16_t)rd16(b + 3);
	specs = rd16(b + 5);
	sid = rd16(b + 7);
	chal = rd16(b + 9);
	assert_int_equal(specs % 3, 0);
	assert_true(specs > 0);
	assert_int_equal(11 + specs + sid + chal, len);
	assert_true(chal >= 16 && chal <= 32);
	for (i = 0; i < specs / 3; i++)
		h->suites[h->n_suites++] = (uint32_t)b[11 + 3 * i] << 16 |
		    rd16(b + 12 + 3 * i);
	h->sid_len = sid;
	memcpy(h->random, b + 11 + specs + sid, chal);
	h->random_len = chal;
}

/* parse_hello - records, then the ClientHello of RFC 5246 7.4.1.2. */
static void
parse_hello(const uint8_t *b, size_t len, struct hello *h)
{
	size_t off = 0, n, end, i, elen;
	const uint8_t *m;

	memset(h, 0, sizeof(*h));
	assert_true(len > 0);
	if (b[0] & 0x80) {
		parse_sslv2(b, len, h);
		return;
	}
	while (off < len) {
		assert_true(len - off >= 5);
		assert_int_equal(b[off], 22);		/* handshake */
		if (h->n_records == 0)
			h->record_version = (uint16_t)rd16(b + off + 1);
		else	/* every record of the hello says the same */
			assert_int_equal(rd16(b + off + 1), h->record_version);
		n = rd16(b + off + 3);
		assert_true(n > 0 && n <= 16384);
		assert_true(n <= len - off - 5);
		assert_true(h->n_records < 8);
		h->record_len[h->n_records++] = n;
		assert_true(h->hs_len + n <= sizeof(h->hs));
		memcpy(h->hs + h->hs_len, b + off + 5, n);
		h->hs_len += n;
		off += 5 + n;
	}
	m = h->hs;
	assert_true(h->hs_len >= 4);
	assert_int_equal(m[0], 1);			/* client_hello */
	assert_int_equal(rd24(m + 1), h->hs_len - 4);	/* nothing after */
	end = h->hs_len;
	off = 4;
	assert_true(end - off >= 2 + 32 + 1);
	h->version = (uint16_t)rd16(m + off);
	memcpy(h->random, m + off + 2, 32);
	h->random_len = 32;
	off += 34;
	h->sid_len = m[off++];
	assert_true(h->sid_len <= 32 && end - off >= h->sid_len + 2);
	off += h->sid_len;
	n = rd16(m + off);
	off += 2;
	assert_true(n >= 2 && n % 2 == 0 && end - off >= n);
	for (i = 0; i < n / 2; i++)
		h->suites[h->n_suites++] = rd16(m + off + 2 * i);
	off += n;
	assert_true(end - off >= 1);
	h->n_comp = m[off++];
	assert_true(h->n_comp >= 1 && h->n_comp <= sizeof(h->comp));
	assert_true(end - off >= h->n_comp);
	memcpy(h->comp, m + off, h->n_comp);
	off += h->n_comp;
	if (off == end)
		return;				/* no extension block */
	h->has_exts = 1;
	assert_true(end - off >= 2);
	assert_int_equal(rd16(m + off), end - off - 2);	/* fills the rest */
	off += 2;
	while (off < end) {
		assert_true(end - off >= 4);
		elen = rd16(m + off + 2);
		assert_true(elen <= end - off - 4);
		for (i = 0; i < h->n_ext; i++)	/* RFC 5246 7.4.1.4 */
			assert_int_not_equal(h->ext[i].type, rd16(m + off));
		assert_true(h->n_ext < EXTS_MAX);
		h->ext[h->n_ext].type = rd16(m + off);
		h->ext[h->n_ext].p = m + off + 4;
		h->ext[h->n_ext].len = elen;
		h->n_ext++;
		off += 4 + elen;
	}
}

static const struct ext *
find_ext(const struct hello *h, unsigned type)
{
	size_t i;

	for (i = 0; i < h->n_ext; i++)
		if (h->ext[i].type == type)
			return &h->ext[i];
	return NULL;
}

/* list16 - an extension that is one vector<2..2^16-2> of 16-bit values:
 * check its lengths and return its values. */
static size_t
list16(const struct ext *e, uint16_t *out, size_t cap)
{
	size_t n, i;

	assert_non_null(e);
	assert_true(e->len >= 2);
	n = rd16(e->p);
	assert_int_equal(n, e->len - 2);
	assert_int_equal(n % 2, 0);
	assert_true(n / 2 <= cap);
	for (i = 0; i < n / 2; i++)
		out[i] = (uint16_t)rd16(e->p + 2 + 2 * i);
	return n / 2;
}

/* check_ext_lengths - every extension we know is well formed inside. */
static void
check_ext_lengths(const struct hello *h)
{
	uint16_t vals[512];
	size_t i, k, off;

	for (i = 0; i < h->n_ext; i++) {
		const struct ext *e = &h->ext[i];

		switch (e->type) {
		case X_SNI:			/* RFC 6066 3 */
			assert_true(e->len >= 5);
			assert_int_equal(rd16(e->p), e->len - 2);
			assert_int_equal(e->p[2], 0);		/* host_name */
			assert_int_equal(rd16(e->p + 3), e->len - 5);
			break;
		case X_GROUPS:
		case X_SIGALGS:
			assert_true(list16(e, vals, 512) > 0);
			break;
		case X_POINTS:
			assert_true(e->len >= 2);
			assert_int_equal(e->p[0], e->len - 1);
			break;
		case X_VERSIONS:		/* RFC 8446 4.2.1 */
			assert_true(e->len >= 3);
			assert_int_equal(e->p[0], e->len - 1);
			assert_int_equal(e->p[0] % 2, 0);
			break;
		case X_KEY_SHARE:		/* RFC 8446 4.2.8 */
			assert_true(e->len >= 2);
			assert_int_equal(rd16(e->p), e->len - 2);
			for (off = 2; off < e->len; off += 4 + k) {
				assert_true(e->len - off >= 4);
				k = rd16(e->p + off + 2);
				assert_true(k > 0 && k <= e->len - off - 4);
			}
			break;
		case X_PSK_MODES:
			assert_true(e->len >= 2);
			assert_int_equal(e->p[0], e->len - 1);
			break;
		case X_STATUS:			/* RFC 6066 8 */
			assert_int_equal(e->len, 5);
			assert_int_equal(e->p[0], 1);
			break;
		case X_RENEG:			/* RFC 5746 3.2 */
			assert_int_equal(e->len, 1);
			assert_int_equal(e->p[0], 0);
			break;
		case X_ETM:
		case X_EMS:
		case X_TICKET:
			assert_int_equal(e->len, 0);
			break;
		case X_PADDING:			/* RFC 7685: zeros */
			for (k = 0; k < e->len; k++)
				assert_int_equal(e->p[k], 0);
			break;
		default:
			fail_msg("unexpected extension %u", e->type);
		}
	}
}

/* build - tls_hello_build() that must succeed, then parse it back. */
static size_t
build(const struct tls_hello_params *p, uint8_t *buf, struct hello *h)
{
	size_t len = 12345;

	assert_int_equal(tls_hello_build(p, buf, HELLO_MAX, &len), 0);
	assert_true(len > 0 && len <= HELLO_MAX);
	parse_hello(buf, len, h);
	check_ext_lengths(h);
	return len;
}

static void
build_fails(const struct tls_hello_params *p)
{
	uint8_t buf[4096];
	size_t len = 12345;

	assert_int_equal(tls_hello_build(p, buf, sizeof(buf), &len), -1);
	assert_int_equal(len, 0);
}

/* Test state: big buffers off the stack. */
struct fx {
	uint8_t		 buf[HELLO_MAX];
	uint8_t		 out[HELLO_MAX];
	struct hello	 h;
	uint32_t	 suites[SUITES_MAX];
};

static int
fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	*state = f;
	return 0;
}

static int
fx_teardown(void **state)
{
	free(*state);
	return 0;
}

/* params - defaults for version with every suite negotiable there. */
static void
params(struct fx *f, struct tls_hello_params *p, uint16_t version)
{
	size_t n = cipher_suites_for_version(version, f->suites, SUITES_MAX);

	tls_hello_params_init(p, version, test_random);
	p->suites = f->suites;
	p->n_suites = n;
}

static const uint16_t tls_versions[] = {
	TLS_V_SSL3, TLS_V_TLS10, TLS_V_TLS11, TLS_V_TLS12, TLS_V_TLS13,
};

/* ---- structure of the defaults ------------------------------------------ */

static void
test_defaults_every_tls_version(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	size_t v, i;

	for (v = 0; v < sizeof(tls_versions) / sizeof(tls_versions[0]); v++) {
		uint16_t ver = tls_versions[v];
		struct hello *h = &f->h;
		unsigned want;

		params(f, &p, ver);
		p.server_name = "mx.example.org";
		build(&p, f->buf, h);
		assert_false(h->sslv2);
		assert_int_equal(h->n_records, 1);
		/* Record version: SSLv3 for SSLv3, else TLS 1.0 (RFC 8446 5.1). */
		assert_int_equal(h->record_version,
		    ver == TLS_V_SSL3 ? TLS_V_SSL3 : TLS_V_TLS10);
		assert_int_equal(h->version,
		    ver == TLS_V_TLS13 ? TLS_V_TLS12 : ver);
		assert_memory_equal(h->random, test_random, 32);
		assert_int_equal(h->sid_len, 0);
		assert_int_equal(h->n_suites, p.n_suites);
		for (i = 0; i < p.n_suites; i++)
			assert_int_equal(h->suites[i], f->suites[i]);
		assert_int_equal(h->n_comp, 1);
		assert_int_equal(h->comp[0], 0);
		if (ver == TLS_V_SSL3) {	/* predates extensions */
			assert_false(h->has_exts);
			continue;
		}
		/* The extensions tls_hello_params_init() promises. */
		want = 0;
		for (i = 0; i < h->n_ext; i++) {
			switch (h->ext[i].type) {
			case X_SNI: want |= TLS_HELLO_EXT_SERVER_NAME; break;
			case X_GROUPS: want |= TLS_HELLO_EXT_SUPPORTED_GROUPS; break;
			case X_POINTS: want |= TLS_HELLO_EXT_EC_POINT_FORMATS; break;
			case X_SIGALGS: want |= TLS_HELLO_EXT_SIGNATURE_ALGS; break;
			case X_RENEG: want |= TLS_HELLO_EXT_RENEGOTIATION; break;
			case X_EMS: want |= TLS_HELLO_EXT_EXTENDED_MS; break;
			case X_TICKET: want |= TLS_HELLO_EXT_SESSION_TICKET; break;
			case X_STATUS: want |= TLS_HELLO_EXT_STATUS_REQUEST; break;
			case X_ETM: want |= TLS_HELLO_EXT_ENCRYPT_THEN_MAC; break;
			case X_VERSIONS: want |= TLS_HELLO_EXT_SUPPORTED_VERSIONS; break;
			case X_KEY_SHARE: want |= TLS_HELLO_EXT_KEY_SHARE; break;
			case X_PSK_MODES: want |= TLS_HELLO_EXT_PSK_MODES; break;
			case X_PADDING: break;
			}
		}
		assert_int_equal(want, p.extensions);
		assert_true(p.extensions & TLS_HELLO_EXT_SERVER_NAME);
		assert_true(p.extensions & TLS_HELLO_EXT_RENEGOTIATION);
		assert_int_equal(!!(p.extensions & TLS_HELLO_EXT_SIGNATURE_ALGS),
		    ver >= TLS_V_TLS12);
		assert_int_equal(!!(p.extensions & TLS_HELLO_EXT_KEY_SHARE),
		    ver == TLS_V_TLS13);
		assert_int_equal(!!(p.extensions &
		    TLS_HELLO_EXT_SUPPORTED_VERSIONS), ver == TLS_V_TLS13);
	}

	/* The record version can be set apart from the hello's. */
	params(f, &p, TLS_V_TLS12);
	p.record_version = TLS_V_TLS12;
	build(&p, f->buf, &f->h);
	assert_int_equal(f->h.record_version, TLS_V_TLS12);
	assert_int_equal(f->h.version, TLS_V_TLS12);
}

static void
test_defaults_sslv2(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	size_t i;

	params(f, &p, TLS_V_SSL2);
	assert_true(p.sslv2_format);
	assert_int_equal(p.extensions, 0);
	assert_int_equal(p.n_suites, 8);
	build(&p, f->buf, &f->h);
	assert_true(f->h.sslv2);
	assert_int_equal(f->h.version, TLS_V_SSL2);
	assert_int_equal(f->h.sid_len, 0);
	/* SSL 2.0 challenge: 16 bytes, the start of our random. */
	assert_int_equal(f->h.random_len, 16);
	assert_memory_equal(f->h.random, test_random, 16);
	assert_int_equal(f->h.n_suites, 8);
	for (i = 0; i < 8; i++)
		assert_int_equal(f->h.suites[i], f->suites[i]);
}

/* RFC 5246 E.2: TLS suites as 3-byte specs 0x00XXXX, a 32-byte challenge. */
static void
test_sslv2_compatible(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	const uint32_t suites[] = { 0xc02f, 0x002f, 0x000a };

	tls_hello_params_init(&p, TLS_V_TLS12, test_random);
	p.sslv2_format = 1;
	p.suites = suites;
	p.n_suites = 3;
	p.scsv_renegotiation = 1;
	p.scsv_fallback = 1;
	build(&p, f->buf, &f->h);
	assert_true(f->h.sslv2);
	assert_int_equal(f->h.version, TLS_V_TLS12);
	assert_int_equal(f->h.random_len, 32);
	assert_memory_equal(f->h.random, test_random, 32);
	assert_int_equal(f->h.n_suites, 5);
	assert_int_equal(f->h.suites[0], 0xc02f);
	assert_int_equal(f->h.suites[2], 0x000a);
	assert_int_equal(f->h.suites[3], 0x00ff);
	assert_int_equal(f->h.suites[4], 0x5600);

	/* TLS 1.3 cannot be offered in this format: it says TLS 1.2. */
	p.version = TLS_V_TLS13;
	build(&p, f->buf, &f->h);
	assert_int_equal(f->h.version, TLS_V_TLS12);

	/* A mix of SSLv2 kinds and TLS suites, as old clients sent. */
	{
		const uint32_t mix[] = { 0x0700c0, 0x00000a, 0x010080 };

		p.version = TLS_V_SSL3;
		p.suites = mix;
		p.n_suites = 3;
		p.scsv_renegotiation = p.scsv_fallback = 0;
		build(&p, f->buf, &f->h);
		assert_int_equal(f->h.version, TLS_V_SSL3);
		assert_int_equal(f->h.n_suites, 3);
		assert_int_equal(f->h.suites[0], 0x0700c0);
		assert_int_equal(f->h.suites[1], 0x00000a);
		assert_int_equal(f->h.suites[2], 0x010080);
	}
}

/* ---- extensions one by one ---------------------------------------------- */

static void
test_sni(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	const struct ext *e;
	char name[300];

	params(f, &p, TLS_V_TLS12);
	p.server_name = "mx1.example.org.";	/* RFC 6066 3: no dot */
	build(&p, f->buf, &f->h);
	e = find_ext(&f->h, X_SNI);
	assert_non_null(e);
	assert_int_equal(e->len, 5 + 15);
	assert_memory_equal(e->p + 5, "mx1.example.org", 15);

	/* 255 bytes is the longest DNS name; 256 is refused. */
	memset(name, 'a', sizeof(name));
	name[255] = '\0';
	p.server_name = name;
	build(&p, f->buf, &f->h);
	e = find_ext(&f->h, X_SNI);
	assert_int_equal(e->len, 5 + 255);
	name[255] = '.';
	name[256] = '\0';			/* 255 + the root dot: fine */
	build(&p, f->buf, &f->h);
	assert_int_equal(find_ext(&f->h, X_SNI)->len, 5 + 255);
	name[255] = 'a';
	build_fails(&p);			/* 256 */
	name[256] = 'a';
	name[299] = '\0';
	build_fails(&p);
	p.server_name = "";
	build_fails(&p);
	p.server_name = ".";
	build_fails(&p);

	/* No name, no extension; the bit alone is not an error. */
	p.server_name = NULL;
	build(&p, f->buf, &f->h);
	assert_null(find_ext(&f->h, X_SNI));
	/* And without the bit the name is not sent. */
	p.server_name = "mx.example";
	p.extensions &= ~(unsigned)TLS_HELLO_EXT_SERVER_NAME;
	build(&p, f->buf, &f->h);
	assert_null(find_ext(&f->h, X_SNI));
}

static void
test_groups_and_sigalgs(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	const uint16_t *def;
	uint16_t got[512];
	size_t n, ndef, i;
	const uint16_t mine[] = { 0x0017, 0x0100, 0x001d };
	const uint16_t algs[] = { 0x0401, 0x0201 };

	/* Defaults, as the accessors say: no ffdhe below TLS 1.3. */
	params(f, &p, TLS_V_TLS12);
	build(&p, f->buf, &f->h);
	def = tls_hello_default_groups(TLS_V_TLS12, &ndef);
	n = list16(find_ext(&f->h, X_GROUPS), got, 512);
	assert_int_equal(n, ndef);
	assert_memory_equal(got, def, n * 2);
	for (i = 0; i < n; i++)
		assert_false(got[i] >= 0x0100 && got[i] <= 0x01ff);
	def = tls_hello_default_sigalgs(&ndef);
	n = list16(find_ext(&f->h, X_SIGALGS), got, 512);
	assert_int_equal(n, ndef);
	assert_memory_equal(got, def, n * 2);
	/* Uncompressed points only (RFC 8422 5.1.2). */
	assert_int_equal(find_ext(&f->h, X_POINTS)->len, 2);
	assert_int_equal(find_ext(&f->h, X_POINTS)->p[1], 0);

	def = tls_hello_default_groups(TLS_V_TLS13, &ndef);
	for (i = 0; i < ndef; i++)
		if (def[i] == TLS_GROUP_FFDHE2048)
			break;
	assert_true(i < ndef);
	for (i = 0; i < ndef; i++)
		assert_non_null(tls_group_name(def[i]));

	/* The caller's lists, verbatim and in order. */
	p.groups = mine;
	p.n_groups = 3;
	p.sigalgs = algs;
	p.n_sigalgs = 2;
	build(&p, f->buf, &f->h);
	n = list16(find_ext(&f->h, X_GROUPS), got, 512);
	assert_int_equal(n, 3);
	assert_memory_equal(got, mine, sizeof(mine));
	n = list16(find_ext(&f->h, X_SIGALGS), got, 512);
	assert_int_equal(n, 2);
	assert_memory_equal(got, algs, sizeof(algs));

	/* TLS 1.0 and 1.1 hellos carry no signature_algorithms. */
	params(f, &p, TLS_V_TLS11);
	build(&p, f->buf, &f->h);
	assert_null(find_ext(&f->h, X_SIGALGS));
	assert_non_null(find_ext(&f->h, X_GROUPS));
}

static void
test_supported_versions(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	const struct ext *e;

	params(f, &p, TLS_V_TLS13);
	build(&p, f->buf, &f->h);
	e = find_ext(&f->h, X_VERSIONS);
	assert_non_null(e);
	assert_int_equal(e->len, 3);
	assert_int_equal(rd16(e->p + 1), TLS_V_TLS13);

	p.min_version = TLS_V_TLS10;
	build(&p, f->buf, &f->h);
	e = find_ext(&f->h, X_VERSIONS);
	assert_int_equal(e->len, 9);
	assert_int_equal(rd16(e->p + 1), 0x0304);
	assert_int_equal(rd16(e->p + 3), 0x0303);
	assert_int_equal(rd16(e->p + 5), 0x0302);
	assert_int_equal(rd16(e->p + 7), 0x0301);

	p.min_version = TLS_V_SSL3;
	build(&p, f->buf, &f->h);
	assert_int_equal(find_ext(&f->h, X_VERSIONS)->len, 11);

	p.min_version = TLS_V_SSL2;		/* not a TLS version */
	build_fails(&p);
	p.min_version = 0x0305;			/* above the hello's */
	build_fails(&p);
}

/* The key share values a server checks: RFC 7748's X25519 public key,
 * the curve generators, and 2 for a finite-field group. */
static void
test_key_shares(void **state)
{
	static const uint8_t x25519_alice[32] = {
		0x85, 0x20, 0xf0, 0x09, 0x89, 0x30, 0xa7, 0x54,
		0x74, 0x8b, 0x7d, 0xdc, 0xb4, 0x3e, 0xf7, 0x5a,
		0x0d, 0xbf, 0x3a, 0x0d, 0x26, 0x38, 0x1a, 0xf4,
		0xeb, 0xa4, 0xa9, 0x8e, 0xaa, 0x9b, 0x4e, 0x6a,
	};
	static const struct {
		uint16_t	group;
		size_t		len;
	} want[] = {
		{ TLS_GROUP_X25519, 32 }, { TLS_GROUP_SECP256R1, 65 },
		{ TLS_GROUP_SECP384R1, 97 }, { TLS_GROUP_FFDHE2048, 256 },
		{ 0x0101, 384 }, { 0x0102, 512 }, { 0x0103, 768 },
		{ TLS_GROUP_FFDHE8192, 1024 },
	};
	struct fx *f = *state;
	struct tls_hello_params p;
	uint16_t groups[8];
	const struct ext *e;
	size_t i, off, k;

	params(f, &p, TLS_V_TLS13);
	build(&p, f->buf, &f->h);
	e = find_ext(&f->h, X_KEY_SHARE);
	assert_non_null(e);			/* default: X25519 alone */
	assert_int_equal(e->len, 2 + 4 + 32);
	assert_int_equal(rd16(e->p + 2), TLS_GROUP_X25519);
	assert_memory_equal(e->p + 6, x25519_alice, 32);
	assert_non_null(find_ext(&f->h, X_PSK_MODES));
	assert_int_equal(find_ext(&f->h, X_PSK_MODES)->p[1], 1);

	for (i = 0; i < 8; i++)
		groups[i] = want[i].group;
	p.share_groups = groups;
	p.n_share_groups = 8;
	build(&p, f->buf, &f->h);
	e = find_ext(&f->h, X_KEY_SHARE);
	for (i = 0, off = 2; i < 8; i++, off += 4 + k) {
		assert_int_equal(rd16(e->p + off), want[i].group);
		k = rd16(e->p + off + 2);
		assert_int_equal(k, want[i].len);
		if (want[i].group == TLS_GROUP_SECP256R1 ||
		    want[i].group == TLS_GROUP_SECP384R1)
			assert_int_equal(e->p[off + 4], 0x04);	/* uncompressed */
		if (want[i].group >= 0x0100) {		/* left-padded 2 */
			assert_int_equal(e->p[off + 4 + k - 1], 2);
			assert_int_equal(e->p[off + 4], 0);
		}
	}
	assert_int_equal(off, e->len);

	/* An empty list asks the server to name its group (RFC 8446 4.2.8). */
	p.n_share_groups = 0;
	build(&p, f->buf, &f->h);
	e = find_ext(&f->h, X_KEY_SHARE);
	assert_int_equal(e->len, 2);
	assert_int_equal(rd16(e->p), 0);

	/* A group we have no share for is refused, not sent empty. */
	groups[0] = TLS_GROUP_X448;
	p.n_share_groups = 1;
	build_fails(&p);
	groups[0] = TLS_GROUP_SECP521R1;
	build_fails(&p);
	groups[0] = 0x0105;
	build_fails(&p);
}

static void
test_scsv_deflate_max_suites(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	const uint32_t few[] = { 0x0035, 0x002f, 0x000a, 0x0005 };

	tls_hello_params_init(&p, TLS_V_TLS11, test_random);
	p.suites = few;
	p.n_suites = 4;
	p.max_suites = 2;
	p.scsv_renegotiation = 1;
	p.scsv_fallback = 1;
	p.deflate = 1;
	build(&p, f->buf, &f->h);
	assert_int_equal(f->h.n_suites, 4);
	assert_int_equal(f->h.suites[0], 0x0035);
	assert_int_equal(f->h.suites[1], 0x002f);
	assert_int_equal(f->h.suites[2], 0x00ff);	/* RFC 5746 3.3 */
	assert_int_equal(f->h.suites[3], 0x5600);	/* RFC 7507 */
	/* DEFLATE first, then NULL, which must always be there. */
	assert_int_equal(f->h.n_comp, 2);
	assert_int_equal(f->h.comp[0], 1);
	assert_int_equal(f->h.comp[1], 0);

	/* max_suites above n_suites: all of them. */
	p.max_suites = 100;
	p.scsv_fallback = 0;
	build(&p, f->buf, &f->h);
	assert_int_equal(f->h.n_suites, 5);

	/* The SCSV alone is a valid list (a renegotiation probe). */
	p.n_suites = 0;
	p.suites = NULL;
	build(&p, f->buf, &f->h);
	assert_int_equal(f->h.n_suites, 1);
	assert_int_equal(f->h.suites[0], 0x00ff);

	/* SSLv3: the SCSV is how RFC 5746 is asked for. */
	p.version = TLS_V_SSL3;
	p.extensions = TLS_HELLO_EXT_RENEGOTIATION;	/* ignored */
	p.suites = few;
	p.n_suites = 1;
	build(&p, f->buf, &f->h);
	assert_false(f->h.has_exts);
	assert_int_equal(f->h.n_suites, 2);
	assert_int_equal(f->h.suites[1], 0x00ff);
}

/* ---- padding and record splitting --------------------------------------- */

/* hello_with - a TLS 1.2 hello offering n suites, its handshake length. */
static size_t
hs_len_with(struct fx *f, struct tls_hello_params *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		f->suites[i] = 0x0100 + (uint32_t)i;	/* any 2-byte code */
	tls_hello_params_init(p, TLS_V_TLS12, test_random);
	p->suites = f->suites;
	p->n_suites = n;
	build(p, f->buf, &f->h);
	return f->h.hs_len;
}

static void
test_pad_f5(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	size_t n, plain, padded;
	int seen_in_range = 0;

	for (n = 1; n < 300; n++) {
		plain = hs_len_with(f, &p, n);
		assert_null(find_ext(&f->h, X_PADDING));
		p.pad_f5 = 1;
		build(&p, f->buf, &f->h);
		padded = f->h.hs_len;
		if (plain < 256 || plain > 511) {
			assert_int_equal(padded, plain);
			assert_null(find_ext(&f->h, X_PADDING));
			continue;
		}
		seen_in_range = 1;
		/* Out of the range that hangs F5 servers: 512 if it can be
		 * reached, else the smallest padding extension. */
		assert_true(padded > 511);
		assert_int_equal(padded, plain <= 508 ? 512 : plain + 4);
		assert_non_null(find_ext(&f->h, X_PADDING));
		/* The padding extension comes last. */
		assert_int_equal(f->h.ext[f->h.n_ext - 1].type, X_PADDING);
	}
	assert_true(seen_in_range);
}

static void
test_pad_to_and_records(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	size_t plain, len, i, target;

	plain = hs_len_with(f, &p, 10);
	/* Exactly at a record's 2^14 and one past it. */
	for (target = 16382; target <= 16386; target++) {
		p.pad_to = target;
		len = build(&p, f->buf, &f->h);
		assert_int_equal(f->h.hs_len, target);
		assert_int_equal(f->h.n_records, target <= 16384 ? 1 : 2);
		assert_int_equal(len, target + 5 * f->h.n_records);
	}
	/* Several full records. */
	p.pad_to = 50000;
	len = build(&p, f->buf, &f->h);
	assert_int_equal(f->h.hs_len, 50000);
	assert_int_equal(f->h.n_records, 4);
	for (i = 0; i < 3; i++)
		assert_int_equal(f->h.record_len[i], 16384);
	assert_int_equal(f->h.record_len[3], 50000 - 3 * 16384);
	assert_int_equal(len, 50000 + 4 * 5);
	/* A target below the hello changes nothing; 1-3 bytes above it
	 * cost a whole empty padding extension. */
	p.pad_to = plain;
	build(&p, f->buf, &f->h);
	assert_int_equal(f->h.hs_len, plain);
	p.pad_to = plain + 1;
	build(&p, f->buf, &f->h);
	assert_int_equal(f->h.hs_len, plain + 4);
	p.pad_to = plain + 4;
	build(&p, f->buf, &f->h);
	assert_int_equal(f->h.hs_len, plain + 4);
	/* More than one extension can hold: refused. */
	p.pad_to = plain + 4 + 65536;
	build_fails(&p);

	/* Padding needs extensions: ignored for SSLv3. */
	p.version = TLS_V_SSL3;
	p.pad_to = 2000;
	build(&p, f->buf, &f->h);
	assert_true(f->h.hs_len < 2000);

	/* Padding alone opens an extension block. */
	p.version = TLS_V_TLS10;
	p.extensions = 0;
	p.pad_to = 1000;
	build(&p, f->buf, &f->h);
	assert_int_equal(f->h.hs_len, 1000);
	assert_int_equal(f->h.n_ext, 1);
}

/* Suites alone can exceed a record: the split still holds. */
static void
test_size_limits(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	size_t len, i;

	/* cipher_suites<2..2^16-2>: 32767 suites fit, 32768 do not. */
	for (i = 0; i < 32768; i++)
		f->suites[i] = 0x0a0a;
	tls_hello_params_init(&p, TLS_V_TLS12, test_random);
	p.extensions = 0;
	p.suites = f->suites;
	p.n_suites = 32767;
	len = build(&p, f->buf, &f->h);
	assert_int_equal(f->h.n_suites, 32767);
	assert_int_equal(f->h.n_records, 5);
	assert_int_equal(len, f->h.hs_len + 5 * 5);
	p.n_suites = 32768;
	build_fails(&p);
	p.n_suites = 32767;
	p.scsv_renegotiation = 1;		/* one more: too many */
	build_fails(&p);

	/* SSLv2: the 2-byte header holds 32767 bytes of message. */
	tls_hello_params_init(&p, TLS_V_TLS10, test_random);
	p.sslv2_format = 1;
	p.suites = f->suites;
	p.n_suites = (32767 - 9 - 32) / 3;
	len = build(&p, f->buf, &f->h);
	assert_true(len <= 32767 + 2);
	p.n_suites++;
	build_fails(&p);
}

/* Every capacity below the length fails without writing at or past it. */
static void
check_caps(struct fx *f, const struct tls_hello_params *p)
{
	size_t full, len, cap, i;

	assert_int_equal(tls_hello_build(p, f->buf, HELLO_MAX, &full), 0);
	memcpy(f->out, f->buf, full);
	for (cap = 0; cap < full; cap += cap < 600 ? 1 : 97) {
		memset(f->buf, 0xa5, full + 16);
		len = 777;
		assert_int_equal(tls_hello_build(p, f->buf, cap, &len), -1);
		assert_int_equal(len, 0);
		for (i = cap; i < full + 16; i++)
			if (f->buf[i] != 0xa5)
				fail_msg("cap %zu: byte %zu written", cap, i);
	}
	memset(f->buf, 0xa5, full + 16);
	assert_int_equal(tls_hello_build(p, f->buf, full, &len), 0);
	assert_int_equal(len, full);
	assert_memory_equal(f->buf, f->out, full);
	assert_int_equal(f->buf[full], 0xa5);
}

static void
test_capacity(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	uint8_t *exact;
	size_t len, want;

	params(f, &p, TLS_V_TLS13);
	p.server_name = "mx.example";
	check_caps(f, &p);
	params(f, &p, TLS_V_SSL2);
	check_caps(f, &p);
	params(f, &p, TLS_V_SSL3);
	check_caps(f, &p);
	params(f, &p, TLS_V_TLS12);
	p.pad_to = 40000;			/* three records */
	check_caps(f, &p);

	/* A heap buffer of exactly the size: ASan sees any overrun. */
	assert_int_equal(tls_hello_build(&p, f->buf, HELLO_MAX, &want), 0);
	exact = malloc(want);
	assert_non_null(exact);
	assert_int_equal(tls_hello_build(&p, exact, want, &len), 0);
	assert_int_equal(tls_hello_build(&p, exact, want - 1, &len), -1);
	free(exact);
}

static void
test_invalid_params(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	const uint32_t v2kind[] = { 0x002f, 0x010080 };
	const uint16_t bad[] = { 0x0000, 0x0001, 0x0200, 0x0301 - 0x02,
	    0x0305, 0x0400, 0x7f1c, 0xfefd, 0xffff };
	size_t i;

	params(f, &p, TLS_V_TLS12);
	p.random = NULL;
	build_fails(&p);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		params(f, &p, TLS_V_TLS12);
		p.version = bad[i];
		build_fails(&p);
	}

	/* No suite at all. */
	params(f, &p, TLS_V_TLS12);
	p.n_suites = 0;
	build_fails(&p);
	params(f, &p, TLS_V_SSL2);
	p.n_suites = 0;
	build_fails(&p);
	params(f, &p, TLS_V_TLS12);
	p.max_suites = 0;
	p.suites = NULL;			/* n_suites > 0 */
	build_fails(&p);

	/* An SSLv2 kind only fits the SSLv2 format. */
	tls_hello_params_init(&p, TLS_V_TLS12, test_random);
	p.suites = v2kind;
	p.n_suites = 2;
	build_fails(&p);
	p.sslv2_format = 1;
	build(&p, f->buf, &f->h);
	/* ... and a code beyond three bytes fits nowhere. */
	{
		const uint32_t huge[] = { 0x01000000 };

		p.suites = huge;
		p.n_suites = 1;
		build_fails(&p);
	}
}

/* Same params, same bytes; the random is the only thing that moves. */
static void
test_deterministic(void **state)
{
	struct fx *f = *state;
	struct tls_hello_params p;
	uint8_t other[32];
	size_t a, b, i, diff = 0;

	params(f, &p, TLS_V_TLS13);
	p.server_name = "mx.example";
	assert_int_equal(tls_hello_build(&p, f->buf, HELLO_MAX, &a), 0);
	assert_int_equal(tls_hello_build(&p, f->out, HELLO_MAX, &b), 0);
	assert_int_equal(a, b);
	assert_memory_equal(f->buf, f->out, a);
	memset(other, 0xee, sizeof(other));
	p.random = other;
	assert_int_equal(tls_hello_build(&p, f->out, HELLO_MAX, &b), 0);
	assert_int_equal(a, b);
	for (i = 0; i < a; i++)
		diff += f->buf[i] != f->out[i];
	assert_int_equal(diff, 32);
	assert_memory_equal(f->out + 5 + 4 + 2, other, 32);
}

/* ---- against OpenSSL ---------------------------------------------------- */

/* answer - the server's ServerHello for our hello, read with tls_parse. */
static void
answer(struct fx *f, SSL_CTX *ctx, const struct tls_hello_params *p,
    int *version, uint16_t *suite, struct tls_server_hello *sh)
{
	struct tls_reader_limits lim = TLS_READER_LIMITS_DEFAULT;
	struct tls_reader r;
	size_t len, got, used;

	assert_int_equal(tls_hello_build(p, f->buf, HELLO_MAX, &len), 0);
	got = ossl_server_answer(ctx, f->buf, len, f->out, HELLO_MAX,
	    version, suite, NULL);
	assert_true(got > 0);
	assert_int_equal(tls_reader_init(&r, &lim), 0);
	(void)tls_reader_feed(&r, f->out, got, &used);
	*sh = tls_reader_flight(&r)->hello;
	if (!sh->present)
		fail_msg("no ServerHello: %s, alert %d",
		    tls_parse_error_name(tls_reader_flight(&r)->error),
		    tls_reader_flight(&r)->n_alerts ?
		    tls_reader_flight(&r)->alerts[0].description : -1);
	tls_reader_free(&r);
}

/* offered - suite is among the first n of list. */
static int
offered(const uint32_t *list, size_t n, uint16_t suite)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == suite)
			return 1;
	return 0;
}

/* OpenSSL takes the default hello of each version it speaks and picks
 * one of our suites at that version. */
static void
test_openssl_accepts_defaults(void **state)
{
	static const struct {
		uint16_t	ours;
		int		openssl;
	} vers[] = {
		{ TLS_V_TLS10, TLS1_VERSION }, { TLS_V_TLS11, TLS1_1_VERSION },
		{ TLS_V_TLS12, TLS1_2_VERSION }, { TLS_V_TLS13, TLS1_3_VERSION },
	};
	struct fx *f = *state;
	struct tls_hello_params p;
	struct tls_server_hello sh;
	uint16_t suite;
	int version, k;
	size_t v;

	for (k = 0; k < OSSL_KEY_COUNT; k++) {
		SSL_CTX *ctx = ossl_server_ctx((enum ossl_key)k);

		for (v = 0; v < sizeof(vers) / sizeof(vers[0]); v++) {
			params(f, &p, vers[v].ours);
			p.server_name = "mx.example";
			p.pad_f5 = 1;
			answer(f, ctx, &p, &version, &suite, &sh);
			assert_int_equal(version, vers[v].openssl);
			assert_int_equal(sh.version, vers[v].ours);
			assert_int_equal(sh.cipher_suite, suite);
			assert_true(offered(f->suites, p.n_suites, suite));
			assert_true(cipher_suite_negotiable(
			    cipher_suite_by_code(suite), vers[v].ours));
		}
		SSL_CTX_free(ctx);
	}
}

/* Each key share we can send is one OpenSSL computes with: the server
 * answers TLS 1.3 with a share of the same group, no HelloRetryRequest. */
static void
test_openssl_accepts_key_shares(void **state)
{
	static const uint16_t groups[] = {
		TLS_GROUP_X25519, TLS_GROUP_SECP256R1, TLS_GROUP_SECP384R1,
		TLS_GROUP_FFDHE2048, 0x0101, 0x0102, 0x0103,
		TLS_GROUP_FFDHE8192,
	};
	struct fx *f = *state;
	SSL_CTX *ctx = ossl_server_ctx(OSSL_KEY_RSA);
	struct tls_hello_params p;
	struct tls_server_hello sh;
	uint16_t suite;
	int version;
	size_t i;

	assert_int_equal(SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384:"
	    "ffdhe2048:ffdhe3072:ffdhe4096:ffdhe6144:ffdhe8192"), 1);
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		params(f, &p, TLS_V_TLS13);
		p.groups = &groups[i];
		p.n_groups = 1;
		p.share_groups = &groups[i];
		p.n_share_groups = 1;
		answer(f, ctx, &p, &version, &suite, &sh);
		assert_int_equal(version, TLS1_3_VERSION);
		assert_false(sh.hello_retry_request);
		assert_true(sh.key_share);
		assert_int_equal(sh.key_share_group, groups[i]);
		assert_true(sh.key_share_len > 0);
	}
	SSL_CTX_free(ctx);
}

/* RFC 5246 E.2: OpenSSL still reads SSLv2-compatible hellos. */
static void
test_openssl_accepts_sslv2_compatible(void **state)
{
	struct fx *f = *state;
	SSL_CTX *ctx = ossl_server_ctx(OSSL_KEY_RSA);
	struct tls_hello_params p;
	struct tls_server_hello sh;
	const uint32_t suites[] = { 0x009c, 0x002f, 0x000a };
	uint16_t suite;
	int version;

	tls_hello_params_init(&p, TLS_V_TLS12, test_random);
	p.sslv2_format = 1;
	p.suites = suites;
	p.n_suites = 3;
	p.scsv_renegotiation = 1;
	answer(f, ctx, &p, &version, &suite, &sh);
	assert_int_equal(version, TLS1_2_VERSION);
	assert_int_equal(suite, 0x009c);
	assert_true(sh.renegotiation_info);	/* the SCSV was seen */
	SSL_CTX_free(ctx);
}

/* Hellos split over records, padded, with every option: still accepted. */
static void
test_openssl_accepts_big_hellos(void **state)
{
	struct fx *f = *state;
	SSL_CTX *ctx = ossl_server_ctx(OSSL_KEY_ECDSA);
	struct tls_hello_params p;
	struct tls_server_hello sh;
	uint16_t suite;
	int version;

	params(f, &p, TLS_V_TLS12);
	p.server_name = "mx.example.";
	p.pad_to = 40000;
	p.scsv_renegotiation = 1;
	p.deflate = 1;
	answer(f, ctx, &p, &version, &suite, &sh);
	assert_int_equal(version, TLS1_2_VERSION);
	assert_int_equal(sh.compression, 0);	/* OpenSSL has no DEFLATE */
	assert_true(sh.extended_master_secret);

	params(f, &p, TLS_V_TLS13);
	p.min_version = TLS_V_TLS10;
	p.pad_to = 20000;
	answer(f, ctx, &p, &version, &suite, &sh);
	assert_int_equal(version, TLS1_3_VERSION);
	assert_int_equal(sh.selected_version, TLS_V_TLS13);
	SSL_CTX_free(ctx);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_defaults_every_tls_version),
		T(test_defaults_sslv2),
		T(test_sslv2_compatible),
		T(test_sni),
		T(test_groups_and_sigalgs),
		T(test_supported_versions),
		T(test_key_shares),
		T(test_scsv_deflate_max_suites),
		T(test_pad_f5),
		T(test_pad_to_and_records),
		T(test_size_limits),
		T(test_capacity),
		T(test_invalid_params),
		T(test_deterministic),
		T(test_openssl_accepts_defaults),
		T(test_openssl_accepts_key_shares),
		T(test_openssl_accepts_sslv2_compatible),
		T(test_openssl_accepts_big_hellos),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
