/*
 * tls_hello.c - ClientHello builder.  See tls_hello.h.
 *
 * Everything is written through struct wbuf, a bounded writer that turns
 * any overflow into a sticky error; length prefixes are reserved first and
 * patched when their contents are done (len16_begin/len16_end), so no
 * length is ever computed twice.
 */
#include "probe/tls_hello.h"

#include <string.h>

#define RECORD_MAX	16384	/* TLSPlaintext.length <= 2^14 (RFC 5246 6.2.1) */
#define SSL2_RECORD_MAX	32767	/* 2-byte SSLv2 header (SSL 2.0 draft, "Record Header") */
#define RANDOM_LEN	32

/* Extension types (IANA "TLS ExtensionType Values"). */
#define EXT_SERVER_NAME		0
#define EXT_STATUS_REQUEST	5
#define EXT_SUPPORTED_GROUPS	10
#define EXT_EC_POINT_FORMATS	11
#define EXT_SIGNATURE_ALGS	13
#define EXT_PADDING		21
#define EXT_ENCRYPT_THEN_MAC	22
#define EXT_EXTENDED_MS		23
#define EXT_SESSION_TICKET	35
#define EXT_SUPPORTED_VERSIONS	43
#define EXT_PSK_MODES		45
#define EXT_KEY_SHARE		51
#define EXT_RENEGOTIATION	0xff01

struct wbuf {
	uint8_t	*p;
	size_t	 cap;
	size_t	 len;
	int	 err;
};

static void
put8(struct wbuf *w, unsigned v)
{
	if (w->err || w->len + 1 > w->cap) {
		w->err = 1;
		return;
	}
	w->p[w->len++] = (uint8_t)v;
}

static void
put16(struct wbuf *w, unsigned v)
{
	put8(w, (v >> 8) & 0xff);
	put8(w, v & 0xff);
}

static void
putn(struct wbuf *w, const void *data, size_t n)
{
	if (w->err || n > w->cap - w->len) {
		w->err = 1;
		return;
	}
	memcpy(w->p + w->len, data, n);
	w->len += n;
}

static void
putzero(struct wbuf *w, size_t n)
{
	if (w->err || n > w->cap - w->len) {
		w->err = 1;
		return;
	}
	memset(w->p + w->len, 0, n);
	w->len += n;
}

/* len_begin - reserve a width-byte length field; returns where it is. */
static size_t
len_begin(struct wbuf *w, int width)
{
	size_t at = w->len;

	putzero(w, (size_t)width);
	return at;
}

/* len_end - patch the field reserved at `at` with the bytes written since. */
static void
len_end(struct wbuf *w, size_t at, int width)
{
	size_t n, max = width == 1 ? 0xff : width == 2 ? 0xffff : 0xffffff;
	int i;

	if (w->err)
		return;
	n = w->len - at - (size_t)width;
	if (n > max) {
		w->err = 1;
		return;
	}
	for (i = width - 1; i >= 0; i--) {
		w->p[at + (size_t)i] = (uint8_t)(n & 0xff);
		n >>= 8;
	}
}

/* ext_begin/ext_end - one extension: type, then a 2-byte length. */
static size_t
ext_begin(struct wbuf *w, unsigned type)
{
	put16(w, type);
	return len_begin(w, 2);
}

static void
ext_end(struct wbuf *w, size_t at)
{
	len_end(w, at, 2);
}

static const uint16_t groups_tls12[] = {
	0x001d, 0x0017, 0x001e, 0x0019, 0x0018,	/* x25519 p256 x448 p521 p384 */
	0x001c, 0x001b, 0x001a,			/* brainpoolP512/384/256r1 */
	0x0016, 0x0015, 0x0013,			/* secp256k1 secp224r1 secp192r1 */
	0x000e, 0x000c, 0x000a,			/* sect571r1 sect409r1 sect283r1 */
};

static const uint16_t groups_tls13[] = {
	0x001d, 0x0017, 0x001e, 0x0019, 0x0018,
	0x0100, 0x0101, 0x0102, 0x0103, 0x0104,	/* ffdhe2048..8192 (RFC 7919) */
};

/* Modern first, then SHA-1 and DSA ones, so old servers find theirs. */
static const uint16_t sigalgs_default[] = {
	0x0403, 0x0503, 0x0603,		/* ecdsa_secp256r1_sha256 .. sha512 */
	0x0807, 0x0808,			/* ed25519 ed448 */
	0x0804, 0x0805, 0x0806,		/* rsa_pss_rsae_sha256 .. 512 */
	0x0809, 0x080a, 0x080b,		/* rsa_pss_pss_sha256 .. 512 */
	0x0401, 0x0501, 0x0601,		/* rsa_pkcs1_sha256 .. 512 */
	0x0303, 0x0301, 0x0302,		/* SHA-224: ecdsa rsa dsa */
	0x0402, 0x0502, 0x0602,		/* dsa_sha256 .. 512 */
	0x0203, 0x0201, 0x0202,		/* SHA-1: ecdsa rsa dsa */
};

const uint16_t *
tls_hello_default_groups(uint16_t version, size_t *n)
{
	if (version >= TLS_V_TLS13) {
		*n = sizeof(groups_tls13) / sizeof(groups_tls13[0]);
		return groups_tls13;
	}
	/* No ffdhe groups below TLS 1.3: a server implementing RFC 7919 would
	 * then refuse DHE with its own (older) group, hiding it from us. */
	*n = sizeof(groups_tls12) / sizeof(groups_tls12[0]);
	return groups_tls12;
}

const uint16_t *
tls_hello_default_sigalgs(size_t *n)
{
	*n = sizeof(sigalgs_default) / sizeof(sigalgs_default[0]);
	return sigalgs_default;
}

void
tls_hello_params_init(struct tls_hello_params *p, uint16_t version,
    const uint8_t *random)
{
	memset(p, 0, sizeof(*p));
	p->version = version;
	p->random = random;
	if (version == TLS_V_SSL2) {
		p->sslv2_format = 1;
		return;
	}
	if (version == TLS_V_SSL3)
		return;		/* SSLv3 servers predate extensions */
	p->extensions = TLS_HELLO_EXT_SERVER_NAME |
	    TLS_HELLO_EXT_SUPPORTED_GROUPS | TLS_HELLO_EXT_EC_POINT_FORMATS |
	    TLS_HELLO_EXT_RENEGOTIATION | TLS_HELLO_EXT_EXTENDED_MS |
	    TLS_HELLO_EXT_SESSION_TICKET | TLS_HELLO_EXT_STATUS_REQUEST |
	    TLS_HELLO_EXT_ENCRYPT_THEN_MAC;
	/* RFC 5246 7.4.1.4.1: not meaningful before TLS 1.2. */
	if (version >= TLS_V_TLS12)
		p->extensions |= TLS_HELLO_EXT_SIGNATURE_ALGS;
	if (version >= TLS_V_TLS13)
		p->extensions |= TLS_HELLO_EXT_SUPPORTED_VERSIONS |
		    TLS_HELLO_EXT_KEY_SHARE | TLS_HELLO_EXT_PSK_MODES;
}

/*
 * RFC 7748 6.1: Alice's X25519 public key.  Any 32 bytes are an X25519
 * share, but a point of small order would give an all-zero secret that
 * servers reject (RFC 8446 7.4.2); a real public key never does.
 */
static const uint8_t x25519_share[32] = {
	0x85, 0x20, 0xf0, 0x09, 0x89, 0x30, 0xa7, 0x54,
	0x74, 0x8b, 0x7d, 0xdc, 0xb4, 0x3e, 0xf7, 0x5a,
	0x0d, 0xbf, 0x3a, 0x0d, 0x26, 0x38, 0x1a, 0xf4,
	0xeb, 0xa4, 0xa9, 0x8e, 0xaa, 0x9b, 0x4e, 0x6a,
};

/* The P-256 generator G, uncompressed (SEC 2 2.4.2; RFC 8446 4.2.8.2):
 * servers check that a share is on the curve, and G is. */
static const uint8_t p256_share[65] = {
	0x04,
	0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47,
	0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
	0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0,
	0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
	0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b,
	0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16,
	0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce,
	0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
};

/* The P-384 generator G, uncompressed (SEC 2 2.5.1). */
static const uint8_t p384_share[97] = {
	0x04,
	0xaa, 0x87, 0xca, 0x22, 0xbe, 0x8b, 0x05, 0x37,
	0x8e, 0xb1, 0xc7, 0x1e, 0xf3, 0x20, 0xad, 0x74,
	0x6e, 0x1d, 0x3b, 0x62, 0x8b, 0xa7, 0x9b, 0x98,
	0x59, 0xf7, 0x41, 0xe0, 0x82, 0x54, 0x2a, 0x38,
	0x55, 0x02, 0xf2, 0x5d, 0xbf, 0x55, 0x29, 0x6c,
	0x3a, 0x54, 0x5e, 0x38, 0x72, 0x76, 0x0a, 0xb7,
	0x36, 0x17, 0xde, 0x4a, 0x96, 0x26, 0x2c, 0x6f,
	0x5d, 0x9e, 0x98, 0xbf, 0x92, 0x92, 0xdc, 0x29,
	0xf8, 0xf4, 0x1d, 0xbd, 0x28, 0x9a, 0x14, 0x7c,
	0xe9, 0xda, 0x31, 0x13, 0xb5, 0xf0, 0xb8, 0xc0,
	0x0a, 0x60, 0xb1, 0xce, 0x1d, 0x7e, 0x81, 0x9d,
	0x7a, 0x43, 0x1d, 0x7c, 0x90, 0xea, 0x0e, 0x5f,
};

/* put_key_share_entry - one KeyShareEntry for group; -1 if we have none. */
static int
put_key_share_entry(struct wbuf *w, uint16_t group)
{
	size_t at;

	put16(w, group);
	at = len_begin(w, 2);
	switch (group) {
	case TLS_GROUP_X25519:
		putn(w, x25519_share, sizeof(x25519_share));
		break;
	case TLS_GROUP_SECP256R1:
		putn(w, p256_share, sizeof(p256_share));
		break;
	case TLS_GROUP_SECP384R1:
		putn(w, p384_share, sizeof(p384_share));
		break;
	case 0x0100: case 0x0101: case 0x0102: case 0x0103: case 0x0104: {
		/* Y = 2, left-padded to the size of p (RFC 8446 4.2.8.1):
		 * 1 < Y < p-1 is all a server can check. */
		static const size_t bytes[] = { 256, 384, 512, 768, 1024 };

		putzero(w, bytes[group - 0x0100] - 1);
		put8(w, 2);
		break;
	}
	default:
		return -1;
	}
	len_end(w, at, 2);
	return 0;
}

/* offered_suites - how many of p->suites go into the hello. */
static size_t
offered_suites(const struct tls_hello_params *p)
{
	if (p->max_suites > 0 && p->max_suites < p->n_suites)
		return p->max_suites;
	return p->n_suites;
}

/* sni_length - the server name's length without a trailing dot (RFC 6066
 * 3), or 0 if it is unusable. */
static size_t
sni_length(const char *name)
{
	size_t n;

	if (name == NULL)
		return 0;
	n = strnlen(name, 257);
	if (n > 0 && name[n - 1] == '.')
		n--;
	return n <= 255 ? n : 0;
}

/* put_extensions - the extensions block; omitted when empty. */
static int
put_extensions(struct wbuf *w, const struct tls_hello_params *p,
    size_t hs_start)
{
	size_t block, at, i, n, hs_len, target = 0;
	const uint16_t *list;

	block = len_begin(w, 2);
	if ((p->extensions & TLS_HELLO_EXT_SERVER_NAME) &&
	    p->server_name != NULL) {
		size_t nl = sni_length(p->server_name);
		size_t names;

		if (nl == 0)
			return -1;
		at = ext_begin(w, EXT_SERVER_NAME);
		names = len_begin(w, 2);
		put8(w, 0);			/* host_name */
		put16(w, (unsigned)nl);
		putn(w, p->server_name, nl);
		len_end(w, names, 2);
		ext_end(w, at);
	}
	if (p->extensions & TLS_HELLO_EXT_EC_POINT_FORMATS) {
		at = ext_begin(w, EXT_EC_POINT_FORMATS);
		put8(w, 1);
		put8(w, 0);			/* uncompressed (RFC 8422 5.1.2) */
		ext_end(w, at);
	}
	if (p->extensions & TLS_HELLO_EXT_SUPPORTED_GROUPS) {
		list = p->groups;
		n = p->n_groups;
		if (list == NULL)
			list = tls_hello_default_groups(p->version, &n);
		at = ext_begin(w, EXT_SUPPORTED_GROUPS);
		i = len_begin(w, 2);
		for (size_t k = 0; k < n; k++)
			put16(w, list[k]);
		len_end(w, i, 2);
		ext_end(w, at);
	}
	if (p->extensions & TLS_HELLO_EXT_SESSION_TICKET)
		ext_end(w, ext_begin(w, EXT_SESSION_TICKET));
	if (p->extensions & TLS_HELLO_EXT_ENCRYPT_THEN_MAC)
		ext_end(w, ext_begin(w, EXT_ENCRYPT_THEN_MAC));
	if (p->extensions & TLS_HELLO_EXT_EXTENDED_MS)
		ext_end(w, ext_begin(w, EXT_EXTENDED_MS));
	if (p->extensions & TLS_HELLO_EXT_SIGNATURE_ALGS) {
		list = p->sigalgs;
		n = p->n_sigalgs;
		if (list == NULL)
			list = tls_hello_default_sigalgs(&n);
		at = ext_begin(w, EXT_SIGNATURE_ALGS);
		i = len_begin(w, 2);
		for (size_t k = 0; k < n; k++)
			put16(w, list[k]);
		len_end(w, i, 2);
		ext_end(w, at);
	}
	if (p->extensions & TLS_HELLO_EXT_STATUS_REQUEST) {
		at = ext_begin(w, EXT_STATUS_REQUEST);
		put8(w, 1);			/* ocsp */
		put16(w, 0);			/* responder_id_list */
		put16(w, 0);			/* request_extensions */
		ext_end(w, at);
	}
	if (p->extensions & TLS_HELLO_EXT_RENEGOTIATION) {
		at = ext_begin(w, EXT_RENEGOTIATION);
		put8(w, 0);			/* renegotiated_connection: empty */
		ext_end(w, at);
	}
	if (p->extensions & TLS_HELLO_EXT_SUPPORTED_VERSIONS) {
		uint16_t v, low = p->min_version ? p->min_version : p->version;

		if (low < TLS_V_SSL3 || low > p->version)
			return -1;
		at = ext_begin(w, EXT_SUPPORTED_VERSIONS);
		i = len_begin(w, 1);
		for (v = p->version; v >= low; v--)
			put16(w, v);
		len_end(w, i, 1);
		ext_end(w, at);
	}
	if (p->extensions & TLS_HELLO_EXT_PSK_MODES) {
		at = ext_begin(w, EXT_PSK_MODES);
		put8(w, 1);
		put8(w, 1);			/* psk_dhe_ke */
		ext_end(w, at);
	}
	if (p->extensions & TLS_HELLO_EXT_KEY_SHARE) {
		static const uint16_t x25519_only[] = { TLS_GROUP_X25519 };

		list = p->share_groups;
		n = p->n_share_groups;
		if (list == NULL) {
			list = x25519_only;
			n = 1;
		}
		at = ext_begin(w, EXT_KEY_SHARE);
		i = len_begin(w, 2);
		for (size_t k = 0; k < n; k++)
			if (put_key_share_entry(w, list[k]) == -1)
				return -1;
		len_end(w, i, 2);
		ext_end(w, at);
	}

	/* RFC 7685 padding, measured on the handshake message (header
	 * included) as the F5 workaround always was. */
	hs_len = w->len - hs_start;
	if (p->pad_f5 && hs_len >= 256 && hs_len <= 511)
		target = 512;
	if (p->pad_to > target)
		target = p->pad_to;
	if (!w->err && target > hs_len) {
		size_t pad = target - hs_len >= 4 ? target - hs_len - 4 : 0;

		at = ext_begin(w, EXT_PADDING);
		putzero(w, pad);
		ext_end(w, at);
	}
	if (w->len == block + 2)
		w->len = block;			/* no extension: no block */
	else
		len_end(w, block, 2);
	return 0;
}

/* frame_records - wrap the handshake bytes at buf[5..len) into records of
 * at most RECORD_MAX bytes, moving them right as headers are inserted. */
static int
frame_records(struct wbuf *w, uint16_t record_version)
{
	size_t hs = w->len - 5, nrec = (hs + RECORD_MAX - 1) / RECORD_MAX;
	size_t i;

	if (nrec == 0)
		return -1;
	if (5 * (nrec - 1) > w->cap - w->len)
		return -1;
	/* Last record first, so a move never overwrites bytes still to move. */
	for (i = nrec; i-- > 0;) {
		size_t off = i * RECORD_MAX;
		size_t n = hs - off < RECORD_MAX ? hs - off : RECORD_MAX;
		uint8_t *rec = w->p + i * (RECORD_MAX + 5);

		memmove(rec + 5, w->p + 5 + off, n);
		rec[0] = 22;			/* handshake */
		rec[1] = (uint8_t)(record_version >> 8);
		rec[2] = (uint8_t)(record_version & 0xff);
		rec[3] = (uint8_t)(n >> 8);
		rec[4] = (uint8_t)(n & 0xff);
	}
	w->len = hs + 5 * nrec;
	return 0;
}

/* build_tls - SSLv3 and TLS ClientHello (RFC 6101 5.6.1.2, RFC 5246
 * 7.4.1.2, RFC 8446 4.1.2). */
static int
build_tls(const struct tls_hello_params *p, struct wbuf *w)
{
	size_t hs_start, hs_len_at, at, i, n = offered_suites(p);
	uint16_t legacy = p->version > TLS_V_TLS12 ? TLS_V_TLS12 : p->version;
	uint16_t rv = p->record_version;

	if (rv == 0)
		rv = p->version == TLS_V_SSL3 ? TLS_V_SSL3 : TLS_V_TLS10;
	putzero(w, 5);				/* record header, written last */
	hs_start = w->len;
	put8(w, 1);				/* client_hello */
	hs_len_at = len_begin(w, 3);
	put16(w, legacy);
	putn(w, p->random, RANDOM_LEN);
	put8(w, 0);				/* no session to resume */

	at = len_begin(w, 2);
	for (i = 0; i < n; i++) {
		if (p->suites[i] > 0xffff)
			return -1;		/* an SSLv2 kind */
		put16(w, p->suites[i]);
	}
	if (p->scsv_renegotiation)
		put16(w, 0x00ff);		/* RFC 5746 3.3 */
	if (p->scsv_fallback)
		put16(w, 0x5600);		/* RFC 7507 4 */
	if (w->len == at + 2)
		return -1;			/* cipher_suites<2..2^16-2> */
	len_end(w, at, 2);

	if (p->deflate) {
		put8(w, 2);
		put8(w, 1);			/* DEFLATE (RFC 3749) */
		put8(w, 0);
	} else {
		put8(w, 1);
		put8(w, 0);
	}
	if (p->version >= TLS_V_TLS10 &&
	    (p->extensions != 0 || p->pad_f5 || p->pad_to > 0))
		if (put_extensions(w, p, hs_start) == -1)
			return -1;
	len_end(w, hs_len_at, 3);
	if (w->err)
		return -1;
	return frame_records(w, rv);
}

/* build_sslv2 - SSL 2.0 CLIENT-HELLO, or the SSLv2-compatible hello of
 * RFC 5246 E.2 / RFC 6101 E.1 when version is SSLv3 or later. */
static int
build_sslv2(const struct tls_hello_params *p, struct wbuf *w)
{
	size_t at, specs, i, n = offered_suites(p);
	size_t challenge = p->version == TLS_V_SSL2 ? 16 : RANDOM_LEN;
	uint16_t version = p->version > TLS_V_TLS12 ? TLS_V_TLS12 : p->version;

	at = len_begin(w, 2);			/* 2-byte header, no padding */
	put8(w, 1);				/* MSG-CLIENT-HELLO */
	put16(w, version);
	specs = len_begin(w, 2);
	put16(w, 0);				/* session-id length */
	put16(w, (unsigned)challenge);
	for (i = 0; i < n; i++) {
		uint32_t c = p->suites[i];

		if (c > 0xffffff)
			return -1;
		put8(w, (c >> 16) & 0xff);	/* 0x00 for a TLS suite */
		put8(w, (c >> 8) & 0xff);
		put8(w, c & 0xff);
	}
	if (p->scsv_renegotiation) {
		put8(w, 0);
		put16(w, 0x00ff);
	}
	if (p->scsv_fallback) {
		put8(w, 0);
		put16(w, 0x5600);
	}
	if (w->err || w->len == specs + 6)
		return -1;			/* no cipher spec */
	/* cipher-specs length sits before two 2-byte fields, so patch it
	 * by hand rather than with len_end(). */
	i = w->len - specs - 6;
	w->p[specs] = (uint8_t)(i >> 8);
	w->p[specs + 1] = (uint8_t)(i & 0xff);
	/* RFC 5246 E.2: the challenge becomes the right end of the client
	 * random; we send the leading bytes of ours. */
	putn(w, p->random, challenge);
	if (w->err)
		return -1;
	i = w->len - at - 2;
	if (i > SSL2_RECORD_MAX)
		return -1;
	w->p[at] = (uint8_t)(0x80 | (i >> 8));
	w->p[at + 1] = (uint8_t)(i & 0xff);
	return 0;
}

int
tls_hello_build(const struct tls_hello_params *p, uint8_t *buf, size_t cap,
    size_t *len)
{
	struct wbuf w = { buf, cap, 0, 0 };
	int r;

	*len = 0;
	if (p->random == NULL || (p->suites == NULL && p->n_suites > 0))
		return -1;
	if (p->version != TLS_V_SSL2 &&
	    (p->version < TLS_V_SSL3 || p->version > TLS_V_TLS13))
		return -1;
	if (p->version == TLS_V_SSL2 || p->sslv2_format)
		r = build_sslv2(p, &w);
	else
		r = build_tls(p, &w);
	if (r == -1 || w.err)
		return -1;
	*len = w.len;
	return 0;
}
