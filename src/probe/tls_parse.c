/*
 * tls_parse.c - the bounded reader of a server's clear-text flight.  See
 * tls_parse.h.
 *
 * Two layers.  The record layer (tls_reader_feed) splits the byte stream
 * into records, checks each header before reading its body, and appends
 * handshake fragments to one buffer of limits.max_bytes allocated at init:
 * messages never move, so the views handed out stay valid.  The message
 * layer (parse_messages) decodes every complete message in that buffer as
 * soon as its last byte is in, checking the announced length against the
 * limit as soon as its 4-byte header is.  Each decoder reads through
 * struct cur, a cursor that turns any read past the end into an error.
 *
 * The first byte decides the dialect: 0x14-0x17 a TLS record, a set high
 * bit an SSLv2 2-byte header, printable ASCII a text answer (an SMTP reply
 * after STARTTLS, an HTML page), anything else garbage.
 */
#include "probe/tls_parse.h"

#include <stdlib.h>
#include <string.h>

#define RECORD_MAX	16384	/* TLSPlaintext.length (RFC 5246 6.2.1) */

/* Record content types (RFC 5246 6.2.1). */
#define CT_CHANGE_CIPHER_SPEC	20
#define CT_ALERT		21
#define CT_HANDSHAKE		22
#define CT_APPLICATION_DATA	23

/* Handshake types (RFC 5246 7.4, RFC 6066 8). */
#define HT_HELLO_REQUEST	0
#define HT_SERVER_HELLO		2
#define HT_CERTIFICATE		11
#define HT_SERVER_KEY_EXCHANGE	12
#define HT_CERTIFICATE_REQUEST	13
#define HT_SERVER_HELLO_DONE	14
#define HT_CERTIFICATE_STATUS	22

/* SSL 2.0 message types (draft-hickman-netscape-ssl-00). */
#define SSL2_MT_ERROR		0
#define SSL2_MT_SERVER_HELLO	4

/* RFC 8446 4.1.3: the random of a HelloRetryRequest, SHA-256 of
 * "HelloRetryRequest" (the unit test recomputes it). */
static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11,
	0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
	0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* ---- cursor ---------------------------------------------------------- */

/* A read cursor over one message body; err sticks once set. */
struct cur {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
	int		 err;
};

static size_t
left(const struct cur *c)
{
	return c->err ? 0 : c->len - c->off;
}

static unsigned
get8(struct cur *c)
{
	if (left(c) < 1) {
		c->err = 1;
		return 0;
	}
	return c->p[c->off++];
}

static unsigned
get16(struct cur *c)
{
	unsigned v = get8(c) << 8;

	return v | get8(c);
}

static size_t
get24(struct cur *c)
{
	size_t v = (size_t)get8(c) << 16;

	v |= (size_t)get8(c) << 8;
	return v | get8(c);
}

/* getvec - a vector with a width-byte length prefix, as a view. */
static int
getvec(struct cur *c, int width, struct tls_bytes *out)
{
	size_t n = width == 1 ? get8(c) : width == 2 ? get16(c) : get24(c);

	if (c->err || n > left(c)) {
		c->err = 1;
		return -1;
	}
	out->p = c->p + c->off;
	out->len = n;
	c->off += n;
	return 0;
}

/* ---- helpers --------------------------------------------------------- */

/* fail - record error e at the current stream position; returns ERROR. */
static enum tls_feed
fail(struct tls_reader *r, enum tls_parse_error e)
{
	if (r->out.error == TLS_ERR_NONE) {
		r->out.error = e;
		r->out.error_offset = r->out.bytes;
	}
	r->state = TLS_RS_ERROR;
	return TLS_FEED_ERROR;
}

static enum tls_feed
finish(struct tls_reader *r)
{
	r->out.done = 1;
	r->state = TLS_RS_DONE;
	return TLS_FEED_DONE;
}

/* bit_length - significant bits of a big-endian unsigned integer. */
static unsigned
bit_length(struct tls_bytes b)
{
	size_t i = 0;
	unsigned bits;
	uint8_t top;

	while (i < b.len && b.p[i] == 0)
		i++;
	if (i == b.len)
		return 0;
	for (top = b.p[i], bits = 0; top != 0; top >>= 1)
		bits++;
	return (unsigned)((b.len - i - 1) * 8) + bits;
}

/* ---- ServerHello ----------------------------------------------------- */

/* server_hello_extension - decode one extension the server answered. */
static enum tls_parse_error
server_hello_extension(struct tls_server_hello *h, unsigned type,
    const uint8_t *d, size_t n)
{
	struct cur c = { d, n, 0, 0 };

	switch (type) {
	case 43:				/* supported_versions */
		if (n != 2)
			return TLS_ERR_LENGTH_MISMATCH;
		h->supported_versions = 1;
		h->selected_version = (uint16_t)get16(&c);
		break;
	case 51:				/* key_share */
		h->key_share = 1;
		h->key_share_group = (uint16_t)get16(&c);
		if (h->hello_retry_request) {	/* RFC 8446 4.2.8: NamedGroup */
			if (n != 2)
				return TLS_ERR_LENGTH_MISMATCH;
		} else {
			struct tls_bytes k;

			if (getvec(&c, 2, &k) == -1 || left(&c) != 0)
				return TLS_ERR_LENGTH_MISMATCH;
			if (k.len == 0)
				return TLS_ERR_BAD_VALUE;
			h->key_share_len = k.len;
		}
		break;
	case 0xff01: {				/* renegotiation_info */
		struct tls_bytes rc;

		if (getvec(&c, 1, &rc) == -1 || left(&c) != 0)
			return TLS_ERR_LENGTH_MISMATCH;
		h->renegotiation_info = 1;
		h->renegotiation_info_len = rc.len;
		break;
	}
	case 11: {				/* ec_point_formats */
		struct tls_bytes f;
		size_t i;

		if (getvec(&c, 1, &f) == -1 || left(&c) != 0)
			return TLS_ERR_LENGTH_MISMATCH;
		h->ec_point_formats = 1;
		for (i = 0; i < f.len; i++)
			if (f.p[i] < 8)
				h->ec_point_format_mask |= (uint8_t)(1u << f.p[i]);
		break;
	}
	/* The rest answer with an empty body; their presence is the fact. */
	case 23: h->extended_master_secret = 1; break;
	case 5: h->status_request = 1; break;
	case 35: h->session_ticket = 1; break;
	case 22: h->encrypt_then_mac = 1; break;
	case 0: h->server_name = 1; break;
	case 16: h->alpn = 1; break;
	default: break;
	}
	return TLS_ERR_NONE;
}

/* server_hello - RFC 5246 7.4.1.3 / RFC 8446 4.1.3.  Returns 1 when it
 * ends the clear-text part (TLS 1.3, HelloRetryRequest), 0, or -error. */
static int
server_hello(struct tls_reader *r, const uint8_t *b, size_t n)
{
	struct tls_server_hello *h = &r->out.hello;
	struct cur c = { b, n, 0, 0 };
	struct tls_bytes sid, exts;
	uint8_t seen[65536 / 8];

	h->present = 1;
	h->record_version = r->rec_version;
	h->legacy_version = (uint16_t)get16(&c);
	if (left(&c) < 32)
		return -TLS_ERR_LENGTH_MISMATCH;
	memcpy(h->random, b + c.off, 32);
	c.off += 32;
	if (getvec(&c, 1, &sid) == -1)
		return -TLS_ERR_LENGTH_MISMATCH;
	if (sid.len > 32)
		return -TLS_ERR_BAD_VALUE;
	memcpy(h->session_id, sid.p, sid.len);
	h->session_id_len = sid.len;
	h->cipher_suite = (uint16_t)get16(&c);
	h->compression = (uint8_t)get8(&c);
	if (c.err)
		return -TLS_ERR_LENGTH_MISMATCH;
	h->version = h->legacy_version;
	h->hello_retry_request = memcmp(h->random, hrr_random, 32) == 0;
	if (memcmp(h->random + 24, "DOWNGRD", 7) == 0) {
		if (h->random[31] == 1)
			h->downgrade = TLS_V_TLS12;
		else if (h->random[31] == 0)
			h->downgrade = TLS_V_TLS11;
	}
	if (left(&c) > 0) {
		/* RFC 5246 7.4.1.3: the block, when there, fills the rest. */
		if (getvec(&c, 2, &exts) == -1 || left(&c) != 0)
			return -TLS_ERR_LENGTH_MISMATCH;
		h->has_extensions = 1;
		memset(seen, 0, sizeof(seen));
		c = (struct cur){ exts.p, exts.len, 0, 0 };
		while (left(&c) > 0) {
			unsigned type = get16(&c);
			struct tls_bytes d;
			enum tls_parse_error e;

			if (getvec(&c, 2, &d) == -1)
				return -TLS_ERR_LENGTH_MISMATCH;
			/* RFC 5246 7.4.1.4: at most one of each type. */
			if (seen[type / 8] & (1u << (type % 8)))
				return -TLS_ERR_DUPLICATE_EXTENSION;
			seen[type / 8] |= (uint8_t)(1u << (type % 8));
			if (h->n_ext_types < TLS_EXTS_MAX)
				h->ext_types[h->n_ext_types++] = (uint16_t)type;
			h->n_extensions++;
			if ((e = server_hello_extension(h, type, d.p, d.len)) !=
			    TLS_ERR_NONE)
				return -(int)e;
		}
	}
	if (h->supported_versions)
		h->version = h->selected_version;
	if (h->version == TLS_V_TLS13 || h->hello_retry_request) {
		r->out.tls13 = 1;
		return 1;	/* RFC 8446 2: all that follows is encrypted */
	}
	return 0;
}

/* ---- Certificate, CertificateStatus ------------------------------------ */

/* certificate - RFC 5246 7.4.2: certificate_list<0..2^24-1>. */
static int
certificate(struct tls_reader *r, const uint8_t *b, size_t n)
{
	struct tls_certificates *cl = &r->out.certs;
	struct cur c = { b, n, 0, 0 };
	struct tls_bytes list, der;

	cl->present = 1;
	if (getvec(&c, 3, &list) == -1 || left(&c) != 0)
		return -TLS_ERR_LENGTH_MISMATCH;
	cl->total_len = list.len;
	c = (struct cur){ list.p, list.len, 0, 0 };
	while (left(&c) > 0) {
		if (getvec(&c, 3, &der) == -1)
			return -TLS_ERR_LENGTH_MISMATCH;
		if (der.len == 0)
			return -TLS_ERR_BAD_VALUE;	/* ASN.1Cert<1..2^24-1> */
		if (cl->n_kept < TLS_CERTS_MAX)
			cl->der[cl->n_kept++] = der;
		cl->n++;
	}
	return 0;
}

/* certificate_status - RFC 6066 8 (type 1, OCSP); RFC 6961's list (2) is
 * kept whole. */
static int
certificate_status(struct tls_reader *r, const uint8_t *b, size_t n)
{
	struct cur c = { b, n, 0, 0 };

	r->out.status_present = 1;
	r->out.status_type = (uint8_t)get8(&c);
	if (c.err)
		return -TLS_ERR_LENGTH_MISMATCH;
	if (r->out.status_type == 1) {
		if (getvec(&c, 3, &r->out.status_response) == -1 ||
		    left(&c) != 0)
			return -TLS_ERR_LENGTH_MISMATCH;
		if (r->out.status_response.len == 0)
			return -TLS_ERR_BAD_VALUE;
	} else {
		r->out.status_response.p = b + 1;
		r->out.status_response.len = n - 1;
	}
	return 0;
}

/* ---- ServerKeyExchange ------------------------------------------------- */

/* dh_params - ServerDHParams (RFC 5246 7.4.3): p, g, Ys, none empty. */
static int
dh_params(struct tls_server_key_exchange *s, struct cur *c)
{
	if (getvec(c, 2, &s->dh_p) == -1 || getvec(c, 2, &s->dh_g) == -1 ||
	    getvec(c, 2, &s->dh_ys) == -1)
		return -TLS_ERR_LENGTH_MISMATCH;
	if (s->dh_p.len == 0 || s->dh_g.len == 0 || s->dh_ys.len == 0)
		return -TLS_ERR_BAD_VALUE;
	s->kind = TLS_SKE_DH;
	s->dh_p_bits = bit_length(s->dh_p);
	s->dh_group = tls_dh_group_name(s->dh_p.p, s->dh_p.len);
	return 0;
}

/* ec_params - ServerECDHParams (RFC 8422 5.4).  Returns 1 for an explicit
 * curve, whose encoding we do not follow further. */
static int
ec_params(struct tls_server_key_exchange *s, struct cur *c)
{
	struct tls_bytes point;

	s->kind = TLS_SKE_ECDH;
	s->curve_type = (uint8_t)get8(c);
	if (c->err)
		return -TLS_ERR_LENGTH_MISMATCH;
	if (s->curve_type == 1 || s->curve_type == 2)
		return 1;		/* explicit_prime, explicit_char2 */
	if (s->curve_type != 3)
		return -TLS_ERR_BAD_VALUE;
	s->named_group = (uint16_t)get16(c);
	if (getvec(c, 1, &point) == -1)
		return -TLS_ERR_LENGTH_MISMATCH;
	if (point.len == 0)
		return -TLS_ERR_BAD_VALUE;	/* ECPoint<1..2^8-1> */
	s->ec_point_len = point.len;
	return 0;
}

/* server_key_exchange - decoded after the negotiated suite's key exchange
 * (the registry), signature per version (RFC 5246 4.7, 7.4.1.4.1). */
static int
server_key_exchange(struct tls_reader *r, const uint8_t *b, size_t n)
{
	struct tls_server_key_exchange *s = &r->out.ske;
	const struct cipher_suite *cs =
	    cipher_suite_by_code(r->out.hello.cipher_suite);
	struct cur c = { b, n, 0, 0 };
	int rc = 0, sign;

	s->present = 1;
	s->len = n;
	if (cs == NULL) {
		s->kind = TLS_SKE_OTHER;
		return 0;
	}
	switch (cs->kx) {
	case CS_KX_DHE:
		rc = dh_params(s, &c);
		break;
	case CS_KX_DHE_PSK:
		if (getvec(&c, 2, &s->psk_hint) == -1)
			return -TLS_ERR_LENGTH_MISMATCH;
		rc = dh_params(s, &c);
		break;
	case CS_KX_ECDHE:
		rc = ec_params(s, &c);
		break;
	case CS_KX_ECDHE_PSK:
		if (getvec(&c, 2, &s->psk_hint) == -1)
			return -TLS_ERR_LENGTH_MISMATCH;
		rc = ec_params(s, &c);
		break;
	case CS_KX_RSA_EXPORT: {	/* RFC 2246 7.4.3 ServerRSAParams */
		struct tls_bytes e;

		s->kind = TLS_SKE_RSA;
		if (getvec(&c, 2, &s->rsa_modulus) == -1 ||
		    getvec(&c, 2, &e) == -1)
			return -TLS_ERR_LENGTH_MISMATCH;
		if (s->rsa_modulus.len == 0 || e.len == 0)
			return -TLS_ERR_BAD_VALUE;
		s->rsa_bits = bit_length(s->rsa_modulus);
		s->rsa_exponent_len = e.len;
		break;
	}
	case CS_KX_PSK:
	case CS_KX_RSA_PSK:		/* RFC 4279 2: the hint alone */
		s->kind = TLS_SKE_PSK;
		if (getvec(&c, 2, &s->psk_hint) == -1)
			return -TLS_ERR_LENGTH_MISMATCH;
		break;
	case CS_KX_SRP: {		/* RFC 5054 2.8.1 */
		struct tls_bytes g, salt, B;

		s->kind = TLS_SKE_SRP;
		if (getvec(&c, 2, &s->srp_n) == -1 || getvec(&c, 2, &g) == -1 ||
		    getvec(&c, 1, &salt) == -1 || getvec(&c, 2, &B) == -1)
			return -TLS_ERR_LENGTH_MISMATCH;
		if (s->srp_n.len == 0 || g.len == 0 || B.len == 0)
			return -TLS_ERR_BAD_VALUE;
		s->srp_n_bits = bit_length(s->srp_n);
		break;
	}
	default:
		/* RSA, static (EC)DH, KRB5, GOST, ECCPWD: no format we decode
		 * (RFC 5246 7.4.3 even forbids it for the first ones). */
		s->kind = TLS_SKE_OTHER;
		return 0;
	}
	if (rc < 0)
		return rc;
	if (rc == 1)
		return 0;		/* explicit curve: stop here */

	/* Signed unless anonymous or PSK-authenticated. */
	sign = (cs->auth == CS_AU_RSA || cs->auth == CS_AU_DSS ||
	    cs->auth == CS_AU_ECDSA) && cs->kx != CS_KX_RSA_PSK;
	if (sign) {
		struct tls_bytes sig;

		s->signed_params = 1;
		if (r->out.hello.version >= TLS_V_TLS12) {
			s->has_sig_alg = 1;
			s->sig_alg = (uint16_t)get16(&c);
		}
		if (getvec(&c, 2, &sig) == -1)
			return -TLS_ERR_LENGTH_MISMATCH;
		s->sig_len = sig.len;
	}
	if (c.err || left(&c) != 0)
		return -TLS_ERR_LENGTH_MISMATCH;
	return 0;
}

/* ---- message layer ------------------------------------------------------ */

/* msg_rank - where a handshake type may come in a server's first flight
 * (RFC 5246 7.3 figure 1, RFC 6066 8); 0 for types not allowed there. */
static int
msg_rank(unsigned type)
{
	switch (type) {
	case HT_SERVER_HELLO:		return 1;
	case HT_CERTIFICATE:		return 2;
	case HT_CERTIFICATE_STATUS:	return 3;
	case HT_SERVER_KEY_EXCHANGE:	return 4;
	case HT_CERTIFICATE_REQUEST:	return 5;
	case HT_SERVER_HELLO_DONE:	return 6;
	default:			return 0;
	}
}

/* handle_message - one complete handshake message: 1 ends the flight, 0
 * continues, -error. */
static int
handle_message(struct tls_reader *r, unsigned type, const uint8_t *b,
    size_t n)
{
	int rank = msg_rank(type);

	if (type == HT_HELLO_REQUEST)	/* RFC 5246 7.4.1.1: may be ignored */
		return n == 0 ? 0 : -TLS_ERR_LENGTH_MISMATCH;
	if (r->out.n_msgs < TLS_MSGS_MAX)
		r->out.msg_types[r->out.n_msgs++] = (uint8_t)type;
	if (rank == 0 || rank <= r->last_msg ||
	    (r->last_msg == -1 && type != HT_SERVER_HELLO))
		return -TLS_ERR_UNEXPECTED_MESSAGE;
	r->last_msg = rank;
	switch (type) {
	case HT_SERVER_HELLO:
		return server_hello(r, b, n);
	case HT_CERTIFICATE:
		return certificate(r, b, n);
	case HT_CERTIFICATE_STATUS:
		return certificate_status(r, b, n);
	case HT_SERVER_KEY_EXCHANGE:
		return server_key_exchange(r, b, n);
	case HT_CERTIFICATE_REQUEST:
		r->out.cert_request = 1;
		return 0;
	case HT_SERVER_HELLO_DONE:
		if (n != 0)
			return -TLS_ERR_LENGTH_MISMATCH;
		r->out.hello_done = 1;
		return 1;
	}
	return -TLS_ERR_UNEXPECTED_MESSAGE;
}

/*
 * parse_messages - decode the complete messages in buf[parsed..buf_len).
 * 1 when one ended the flight, -error when one was refused (*end: the
 * buffer offset just past that message, or past the header of one too
 * big), 0 when more bytes are needed.
 */
static int
parse_messages(struct tls_reader *r, size_t *end)
{
	while (r->buf_len - r->parsed >= 4) {
		const uint8_t *m = r->buf + r->parsed;
		size_t n = (size_t)m[1] << 16 | (size_t)m[2] << 8 | m[3];
		int rc;

		/* Refuse a message we could never hold before waiting for it. */
		if (n > r->limits.max_bytes - r->parsed - 4) {
			*end = r->parsed + 4;
			return -TLS_ERR_OVERSIZED;
		}
		if (r->buf_len - r->parsed - 4 < n)
			return 0;
		rc = handle_message(r, m[0], m + 4, n);
		r->parsed += 4 + n;
		if (rc != 0) {
			*end = r->parsed;
			return rc;
		}
	}
	return 0;
}

/* ---- record layer ------------------------------------------------------- */

/* handshake_fragment - append in[0..n) to the message buffer and decode. */
static enum tls_feed
handshake_fragment(struct tls_reader *r, const uint8_t *in, size_t n,
    size_t *took)
{
	size_t room = r->limits.max_bytes - r->buf_len;
	size_t fit = n < room ? n : room, start = r->buf_len, end = 0;
	int rc;

	memcpy(r->buf + r->buf_len, in, fit);
	r->buf_len += fit;
	rc = parse_messages(r, &end);
	if (rc != 0) {
		/*
		 * The message that ended the flight (or broke it) was
		 * completed by this chunk: stop right after it, so that *used
		 * and error_offset do not depend on how the bytes were split.
		 */
		*took = end > start ? end - start : 0;
		r->out.bytes += *took;
		if (rc == 1)
			return finish(r);
		return fail(r, (enum tls_parse_error)-rc);
	}
	*took = fit;
	r->out.bytes += fit;
	if (fit < n)
		return fail(r, TLS_ERR_OVERSIZED);
	return TLS_FEED_MORE;
}

/* alert_byte - collect alerts (RFC 5246 7.2); a fatal one or close_notify
 * ends the flight, a warning is noted and reading goes on. */
static enum tls_feed
alert_byte(struct tls_reader *r, uint8_t byte)
{
	struct tls_alert a;

	r->alert[r->alert_len++] = byte;
	if (r->alert_len < 2)
		return TLS_FEED_MORE;
	r->alert_len = 0;
	a.level = r->alert[0];
	a.description = r->alert[1];
	if (r->out.n_alerts < TLS_ALERTS_MAX)
		r->out.alerts[r->out.n_alerts++] = a;
	if (a.level != 1 || a.description == 0) {
		r->out.fatal_alert = 1;
		return finish(r);
	}
	return TLS_FEED_MORE;
}

/* record_header - check a complete 5-byte header before its body. */
static enum tls_feed
record_header(struct tls_reader *r)
{
	const uint8_t *h = r->hdr;
	int first = r->out.record_version == 0;

	r->rec_type = h[0];
	r->rec_version = (uint16_t)(h[1] << 8 | h[2]);
	r->rec_len = (size_t)h[3] << 8 | h[4];
	r->rec_got = 0;
	r->hdr_len = 0;
	if (r->rec_type < CT_CHANGE_CIPHER_SPEC ||
	    r->rec_type > CT_APPLICATION_DATA || h[1] != 3 || h[2] > 4)
		return fail(r, first ? TLS_ERR_NOT_TLS : TLS_ERR_BAD_RECORD);
	if (first)
		r->out.record_version = r->rec_version;
	if (r->rec_len > RECORD_MAX)
		return fail(r, TLS_ERR_RECORD_OVERFLOW);
	if (r->rec_type == CT_CHANGE_CIPHER_SPEC ||
	    r->rec_type == CT_APPLICATION_DATA)
		return fail(r, TLS_ERR_UNEXPECTED_RECORD);
	r->state = TLS_RS_BODY;
	return TLS_FEED_MORE;
}

/* ---- SSLv2 ------------------------------------------------------------- */

/* ssl2_message - SERVER-HELLO or ERROR in buf[0..buf_len). */
static enum tls_feed
ssl2_message(struct tls_reader *r)
{
	struct tls_ssl2_hello *s = &r->out.ssl2;
	struct cur c = { r->buf, r->buf_len, 0, 0 };
	unsigned type = get8(&c);
	size_t cert_len, specs_len, i;

	r->out.sslv2 = 1;
	if (type == SSL2_MT_ERROR) {
		s->error = 1;
		s->error_code = (uint16_t)get16(&c);
		if (c.err || left(&c) != 0)
			return fail(r, TLS_ERR_LENGTH_MISMATCH);
		return finish(r);
	}
	s->present = 1;
	s->session_id_hit = (int)get8(&c);
	s->certificate_type = (uint8_t)get8(&c);
	s->version = (uint16_t)get16(&c);
	cert_len = get16(&c);
	specs_len = get16(&c);
	s->connection_id_len = get16(&c);
	if (c.err || left(&c) != cert_len + specs_len + s->connection_id_len)
		return fail(r, TLS_ERR_LENGTH_MISMATCH);
	if (specs_len % 3 != 0)
		return fail(r, TLS_ERR_BAD_VALUE);
	s->certificate.p = r->buf + c.off;
	s->certificate.len = cert_len;
	c.off += cert_len;
	s->n_kinds = specs_len / 3;
	for (i = 0; i < s->n_kinds; i++) {
		uint32_t k = (uint32_t)get8(&c) << 16;

		k |= (uint32_t)get16(&c);
		if (s->n_kinds_kept < TLS_SSL2_KINDS_MAX)
			s->kinds[s->n_kinds_kept++] = k;
	}
	return finish(r);
}

/* ---- plain text ---------------------------------------------------------- */

static int
is_text_byte(uint8_t b)
{
	return (b >= 0x20 && b < 0x7f) || b == '\r' || b == '\n' || b == '\t';
}

/* plaintext_byte - keep the first line of a text answer, sanitised as
 * util/sanitize does (printable ASCII kept, other bytes as '?'). */
static enum tls_feed
plaintext_byte(struct tls_reader *r, uint8_t b)
{
	r->out.bytes++;
	if (b == '\n' || r->plain_len == TLS_PLAINTEXT_MAX)
		return fail(r, TLS_ERR_PLAINTEXT);
	if (b != '\r')
		r->out.plaintext[r->plain_len++] =
		    b >= 0x20 && b < 0x7f ? (char)b : '?';
	return TLS_FEED_MORE;
}

/* ---- public -------------------------------------------------------------- */

int
tls_reader_init(struct tls_reader *r, const struct tls_reader_limits *lim)
{
	memset(r, 0, sizeof(*r));
	r->limits = *lim;
	if (r->limits.max_bytes < 64)
		r->limits.max_bytes = 64;
	r->last_msg = -1;
	r->state = TLS_RS_START;
	if ((r->buf = malloc(r->limits.max_bytes)) == NULL) {
		r->out.error = TLS_ERR_NO_MEMORY;
		r->state = TLS_RS_ERROR;
		return -1;
	}
	return 0;
}

void
tls_reader_free(struct tls_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

const struct tls_server_flight *
tls_reader_flight(const struct tls_reader *r)
{
	return &r->out;
}

enum tls_feed
tls_reader_feed(struct tls_reader *r, const void *data, size_t len,
    size_t *used)
{
	const uint8_t *in = data;
	size_t pos = 0, take;
	enum tls_feed st = TLS_FEED_MORE;

	*used = 0;
	if (r->state == TLS_RS_DONE)
		return TLS_FEED_DONE;
	if (r->state == TLS_RS_ERROR)
		return TLS_FEED_ERROR;
	while (pos < len && st == TLS_FEED_MORE) {
		switch (r->state) {
		case TLS_RS_START:
			/* The first byte tells TLS, SSLv2, text and garbage apart. */
			if (in[pos] >= CT_CHANGE_CIPHER_SPEC &&
			    in[pos] <= CT_APPLICATION_DATA)
				r->state = TLS_RS_HEADER;
			else if (in[pos] & 0x80)
				r->state = TLS_RS_SSL2_HEADER;
			else if (is_text_byte(in[pos]))
				r->state = TLS_RS_PLAINTEXT;
			else
				st = fail(r, TLS_ERR_NOT_TLS);
			break;
		case TLS_RS_HEADER:
			take = 5 - r->hdr_len;
			if (take > len - pos)
				take = len - pos;
			memcpy(r->hdr + r->hdr_len, in + pos, take);
			r->hdr_len += take;
			pos += take;
			r->out.bytes += take;
			if (r->hdr_len == 5)
				st = record_header(r);
			break;
		case TLS_RS_BODY:
			take = r->rec_len - r->rec_got;
			if (take > len - pos)
				take = len - pos;
			if (r->rec_type == CT_HANDSHAKE) {
				size_t took = 0;

				st = handshake_fragment(r, in + pos, take, &took);
				take = took;
			} else {
				size_t i;

				for (i = 0; i < take && st == TLS_FEED_MORE; i++) {
					r->out.bytes++;
					st = alert_byte(r, in[pos + i]);
				}
				take = i;
			}
			pos += take;
			r->rec_got += take;
			if (st == TLS_FEED_MORE && r->rec_got == r->rec_len)
				r->state = TLS_RS_HEADER;
			break;
		case TLS_RS_SSL2_HEADER:
			r->hdr[r->hdr_len++] = in[pos++];
			r->out.bytes++;
			if (r->hdr_len < 2)
				break;
			r->rec_len = (size_t)(r->hdr[0] & 0x7f) << 8 | r->hdr[1];
			r->hdr_len = 0;
			if (r->rec_len == 0)
				st = fail(r, TLS_ERR_NOT_TLS);
			else if (r->rec_len > r->limits.max_bytes)
				st = fail(r, TLS_ERR_OVERSIZED);
			else
				r->state = TLS_RS_SSL2_BODY;
			break;
		case TLS_RS_SSL2_BODY:
			/* The message type comes first: anything but
			 * SERVER-HELLO or ERROR means this was not SSLv2. */
			if (r->buf_len == 0 && in[pos] != SSL2_MT_SERVER_HELLO &&
			    in[pos] != SSL2_MT_ERROR) {
				st = fail(r, TLS_ERR_NOT_TLS);
				break;
			}
			take = r->rec_len - r->buf_len;
			if (take > len - pos)
				take = len - pos;
			memcpy(r->buf + r->buf_len, in + pos, take);
			r->buf_len += take;
			pos += take;
			r->out.bytes += take;
			if (r->buf_len == r->rec_len)
				st = ssl2_message(r);
			break;
		case TLS_RS_PLAINTEXT:
			st = plaintext_byte(r, in[pos++]);
			break;
		case TLS_RS_DONE:
		case TLS_RS_ERROR:
			break;
		}
	}
	*used = pos;
	return st;
}

enum tls_feed
tls_reader_eof(struct tls_reader *r)
{
	switch (r->state) {
	case TLS_RS_DONE:
		return TLS_FEED_DONE;
	case TLS_RS_ERROR:
		return TLS_FEED_ERROR;
	case TLS_RS_START:
		return fail(r, TLS_ERR_CLOSED);
	case TLS_RS_PLAINTEXT:
		return fail(r, TLS_ERR_PLAINTEXT);
	default:
		return fail(r, TLS_ERR_TRUNCATED);
	}
}

/* ---- names --------------------------------------------------------------- */

static const char *const error_names[] = {
	[TLS_ERR_NONE] = "none",
	[TLS_ERR_CLOSED] = "closed",
	[TLS_ERR_TRUNCATED] = "truncated",
	[TLS_ERR_PLAINTEXT] = "plaintext",
	[TLS_ERR_NOT_TLS] = "not_tls",
	[TLS_ERR_BAD_RECORD] = "bad_record",
	[TLS_ERR_RECORD_OVERFLOW] = "record_overflow",
	[TLS_ERR_OVERSIZED] = "oversized",
	[TLS_ERR_UNEXPECTED_RECORD] = "unexpected_record",
	[TLS_ERR_UNEXPECTED_MESSAGE] = "unexpected_message",
	[TLS_ERR_LENGTH_MISMATCH] = "length_mismatch",
	[TLS_ERR_BAD_VALUE] = "bad_value",
	[TLS_ERR_DUPLICATE_EXTENSION] = "duplicate_extension",
	[TLS_ERR_NO_MEMORY] = "no_memory",
};
_Static_assert(sizeof(error_names) / sizeof(error_names[0]) == TLS_ERR_COUNT,
    "one name per tls_parse_error");

static const char *const error_texts[] = {
	[TLS_ERR_NONE] = "no error",
	[TLS_ERR_CLOSED] = "connection closed before any TLS data",
	[TLS_ERR_TRUNCATED] = "connection closed in the middle of the handshake",
	[TLS_ERR_PLAINTEXT] = "server answered with text, not TLS",
	[TLS_ERR_NOT_TLS] = "server answered with data that is not TLS",
	[TLS_ERR_BAD_RECORD] = "invalid TLS record header",
	[TLS_ERR_RECORD_OVERFLOW] = "TLS record longer than 2^14 bytes",
	[TLS_ERR_OVERSIZED] = "handshake larger than the limit",
	[TLS_ERR_UNEXPECTED_RECORD] = "unexpected TLS record type",
	[TLS_ERR_UNEXPECTED_MESSAGE] = "unexpected handshake message",
	[TLS_ERR_LENGTH_MISMATCH] = "inconsistent lengths in a handshake message",
	[TLS_ERR_BAD_VALUE] = "invalid value in a handshake message",
	[TLS_ERR_DUPLICATE_EXTENSION] = "extension sent twice",
	[TLS_ERR_NO_MEMORY] = "out of memory",
};
_Static_assert(sizeof(error_texts) / sizeof(error_texts[0]) == TLS_ERR_COUNT,
    "one text per tls_parse_error");

const char *
tls_parse_error_name(enum tls_parse_error e)
{
	return (unsigned)e < TLS_ERR_COUNT ? error_names[e] : "?";
}

const char *
tls_parse_error_text(enum tls_parse_error e)
{
	return (unsigned)e < TLS_ERR_COUNT ? error_texts[e] : "?";
}

/* IANA "TLS Alerts" (RFC 8446 6, RFC 5246 7.2, RFC 6066, RFC 7507, 8446). */
static const char *const alert_names[256] = {
	[0] = "close_notify",
	[10] = "unexpected_message",
	[20] = "bad_record_mac",
	[21] = "decryption_failed",
	[22] = "record_overflow",
	[30] = "decompression_failure",
	[40] = "handshake_failure",
	[41] = "no_certificate",
	[42] = "bad_certificate",
	[43] = "unsupported_certificate",
	[44] = "certificate_revoked",
	[45] = "certificate_expired",
	[46] = "certificate_unknown",
	[47] = "illegal_parameter",
	[48] = "unknown_ca",
	[49] = "access_denied",
	[50] = "decode_error",
	[51] = "decrypt_error",
	[52] = "too_many_cids_requested",
	[60] = "export_restriction",
	[70] = "protocol_version",
	[71] = "insufficient_security",
	[80] = "internal_error",
	[86] = "inappropriate_fallback",
	[90] = "user_canceled",
	[100] = "no_renegotiation",
	[109] = "missing_extension",
	[110] = "unsupported_extension",
	[111] = "certificate_unobtainable",
	[112] = "unrecognized_name",
	[113] = "bad_certificate_status_response",
	[114] = "bad_certificate_hash_value",
	[115] = "unknown_psk_identity",
	[116] = "certificate_required",
	[117] = "general_error",
	[120] = "no_application_protocol",
	[121] = "ech_required",
};

const char *
tls_alert_name(uint8_t description)
{
	return alert_names[description];
}

const char *
tls_handshake_name(uint8_t type)
{
	switch (type) {
	case 0: return "hello_request";
	case 1: return "client_hello";
	case 2: return "server_hello";
	case 4: return "new_session_ticket";
	case 8: return "encrypted_extensions";
	case 11: return "certificate";
	case 12: return "server_key_exchange";
	case 13: return "certificate_request";
	case 14: return "server_hello_done";
	case 15: return "certificate_verify";
	case 16: return "client_key_exchange";
	case 20: return "finished";
	case 22: return "certificate_status";
	default: return NULL;
	}
}

/* IANA "TLS Supported Groups" (RFC 8422, 7919, 8446, 7027, 8734). */
const char *
tls_group_name(uint16_t group)
{
	static const char *const ec[] = {
		NULL, "sect163k1", "sect163r1", "sect163r2", "sect193r1",
		"sect193r2", "sect233k1", "sect233r1", "sect239k1",
		"sect283k1", "sect283r1", "sect409k1", "sect409r1",
		"sect571k1", "sect571r1", "secp160k1", "secp160r1",
		"secp160r2", "secp192k1", "secp192r1", "secp224k1",
		"secp224r1", "secp256k1", "secp256r1", "secp384r1",
		"secp521r1", "brainpoolP256r1", "brainpoolP384r1",
		"brainpoolP512r1", "x25519", "x448", "brainpoolP256r1tls13",
		"brainpoolP384r1tls13", "brainpoolP512r1tls13",
	};
	static const char *const ffdhe[] = {
		"ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192",
	};

	if (group < sizeof(ec) / sizeof(ec[0]))
		return ec[group];
	if (group >= 0x0100 && group <= 0x0104)
		return ffdhe[group - 0x0100];
	switch (group) {
	case 0x0200: return "MLKEM512";
	case 0x0201: return "MLKEM768";
	case 0x0202: return "MLKEM1024";
	case 0x11eb: return "SecP256r1MLKEM768";
	case 0x11ec: return "X25519MLKEM768";
	case 0x11ed: return "SecP384r1MLKEM1024";
	case 0xff01: return "arbitrary_explicit_prime_curves";
	case 0xff02: return "arbitrary_explicit_char2_curves";
	default: return NULL;
	}
}

/* IANA "TLS SignatureScheme" and RFC 5246's (hash, signature) pairs. */
const char *
tls_sigalg_name(uint16_t sigalg)
{
	switch (sigalg) {
	case 0x0101: return "rsa_md5";
	case 0x0102: return "dsa_md5";
	case 0x0103: return "ecdsa_md5";
	case 0x0201: return "rsa_pkcs1_sha1";
	case 0x0202: return "dsa_sha1";
	case 0x0203: return "ecdsa_sha1";
	case 0x0301: return "rsa_sha224";
	case 0x0302: return "dsa_sha224";
	case 0x0303: return "ecdsa_sha224";
	case 0x0401: return "rsa_pkcs1_sha256";
	case 0x0402: return "dsa_sha256";
	case 0x0403: return "ecdsa_secp256r1_sha256";
	case 0x0501: return "rsa_pkcs1_sha384";
	case 0x0502: return "dsa_sha384";
	case 0x0503: return "ecdsa_secp384r1_sha384";
	case 0x0601: return "rsa_pkcs1_sha512";
	case 0x0602: return "dsa_sha512";
	case 0x0603: return "ecdsa_secp521r1_sha512";
	case 0x0804: return "rsa_pss_rsae_sha256";
	case 0x0805: return "rsa_pss_rsae_sha384";
	case 0x0806: return "rsa_pss_rsae_sha512";
	case 0x0807: return "ed25519";
	case 0x0808: return "ed448";
	case 0x0809: return "rsa_pss_pss_sha256";
	case 0x080a: return "rsa_pss_pss_sha384";
	case 0x080b: return "rsa_pss_pss_sha512";
	case 0x081a: return "ecdsa_brainpoolP256r1tls13_sha256";
	case 0x081b: return "ecdsa_brainpoolP384r1tls13_sha384";
	case 0x081c: return "ecdsa_brainpoolP512r1tls13_sha512";
	default: return NULL;
	}
}

static const char *const ske_names[] = {
	[TLS_SKE_NONE] = "none",
	[TLS_SKE_DH] = "DH",
	[TLS_SKE_ECDH] = "ECDH",
	[TLS_SKE_RSA] = "RSA",
	[TLS_SKE_PSK] = "PSK",
	[TLS_SKE_SRP] = "SRP",
	[TLS_SKE_OTHER] = "other",
};
_Static_assert(sizeof(ske_names) / sizeof(ske_names[0]) == TLS_SKE_KIND_COUNT,
    "one name per tls_ske_kind");

const char *
tls_ske_kind_name(enum tls_ske_kind k)
{
	return (unsigned)k < TLS_SKE_KIND_COUNT ? ske_names[k] : "?";
}

/* ---- known DH groups ------------------------------------------------------ */

/*
 * SHA-256 of each prime.  The RFC primes were taken from OpenSSL 3.0
 * (named DH groups "ffdhe2048".."modp_8192", "dh_1024_160".."dh_2048_256",
 * BN_get_rfc2409_prime_768/1024); the hard-coded defaults from the sources
 * named.  A prime shared by several programs has one entry, named after
 * where it came from.  tests/unit/probe/test_tls_parse.c recomputes every
 * entry from OpenSSL or from the prime's bytes, so a digest nobody can
 * reproduce does not slip in.
 */
static const struct tls_dh_group dh_groups[] = {
	{ "oakley-group1-768", 768, "RFC2409",
	  { 0xb5, 0x2b, 0xa6, 0xa3, 0x02, 0x65, 0x20, 0xa6,
	    0xc4, 0x9d, 0x37, 0xe4, 0x58, 0x76, 0x01, 0x80,
	    0x1b, 0xee, 0x50, 0x01, 0x23, 0xb3, 0x25, 0x9b,
	    0x6b, 0xf0, 0x3e, 0x7c, 0xec, 0xc3, 0xe6, 0x3d } },
	{ "oakley-group2-1024", 1024, "RFC2409",
	  { 0x3f, 0x35, 0xa3, 0xf5, 0xf6, 0xc4, 0x37, 0x6a,
	    0x74, 0x4a, 0xca, 0xd4, 0x09, 0xbb, 0x22, 0xf8,
	    0xd8, 0x97, 0xf9, 0x49, 0xd2, 0x31, 0x1d, 0x88,
	    0x5a, 0xda, 0xa8, 0x90, 0x98, 0x1b, 0x67, 0xa0 } },
	{ "modp1536", 1536, "RFC3526",
	  { 0x64, 0xfc, 0xc8, 0x3e, 0xc4, 0x03, 0x93, 0x0b,
	    0xf1, 0x83, 0x93, 0xdb, 0xc8, 0x83, 0xcc, 0xaa,
	    0x1f, 0xbb, 0x08, 0xac, 0x87, 0x6f, 0x77, 0xf7,
	    0xaa, 0x99, 0x74, 0x8c, 0xa9, 0x45, 0x01, 0x9b } },
	{ "modp2048", 2048, "RFC3526",
	  { 0xd6, 0x64, 0x36, 0xf7, 0x9b, 0xbd, 0x6b, 0x2e,
	    0x38, 0xc0, 0xff, 0xbd, 0x07, 0x9b, 0xe9, 0x04,
	    0xd2, 0x64, 0x14, 0x15, 0xe2, 0xe6, 0x71, 0x40,
	    0xe0, 0x94, 0x48, 0xbe, 0x9a, 0x60, 0x89, 0x0e } },
	{ "modp3072", 3072, "RFC3526",
	  { 0x48, 0xcf, 0x8b, 0x09, 0x2f, 0xbc, 0xe4, 0x35,
	    0x9d, 0x98, 0x71, 0xab, 0xf7, 0x4f, 0x98, 0xe2,
	    0x5b, 0x61, 0x63, 0x37, 0x9e, 0xaa, 0x15, 0xcd,
	    0x90, 0x87, 0xe8, 0x00, 0xc6, 0xd1, 0xc5, 0x5c } },
	{ "modp4096", 4096, "RFC3526",
	  { 0x4e, 0xe9, 0x51, 0x87, 0x68, 0x2b, 0xcb, 0x23,
	    0x0a, 0xd2, 0x6a, 0x95, 0x20, 0x5f, 0x69, 0x20,
	    0xe8, 0x47, 0x08, 0xf6, 0x25, 0x1b, 0x38, 0x94,
	    0x32, 0x9b, 0x09, 0xec, 0x23, 0x91, 0x9e, 0x33 } },
	{ "modp6144", 6144, "RFC3526",
	  { 0xd1, 0xbf, 0xe6, 0xd0, 0x92, 0x5c, 0xe7, 0xe4,
	    0xda, 0x26, 0x2b, 0x62, 0x86, 0x15, 0x14, 0xa7,
	    0x75, 0x5e, 0x35, 0x83, 0x1e, 0x42, 0x9f, 0x34,
	    0x3e, 0x7b, 0x86, 0x48, 0x48, 0x65, 0x7e, 0xfd } },
	{ "modp8192", 8192, "RFC3526",
	  { 0x39, 0xab, 0x4f, 0xea, 0xb9, 0x50, 0xa3, 0x12,
	    0x8f, 0xb7, 0x1a, 0xcc, 0xb9, 0xfc, 0x39, 0x65,
	    0xd8, 0x57, 0x01, 0x2e, 0x08, 0x19, 0x98, 0xa8,
	    0x59, 0x96, 0xe3, 0xea, 0x8b, 0x3c, 0x3b, 0xcf } },
	{ "ffdhe2048", 2048, "RFC7919",
	  { 0x9c, 0xd3, 0xb7, 0xf3, 0x36, 0x87, 0x2f, 0x46,
	    0xc0, 0x94, 0x28, 0xd1, 0xbb, 0xc1, 0x98, 0x77,
	    0xa4, 0xd4, 0x40, 0x51, 0x2c, 0xda, 0x8d, 0x1c,
	    0x1c, 0xf0, 0xcd, 0x6e, 0x33, 0x69, 0x89, 0x66 } },
	{ "ffdhe3072", 3072, "RFC7919",
	  { 0x0e, 0xaf, 0x67, 0xdb, 0x3a, 0x83, 0x91, 0x56,
	    0xd5, 0x01, 0x34, 0x94, 0xa5, 0x31, 0x8a, 0x77,
	    0x2b, 0x56, 0x97, 0xd2, 0x70, 0xd7, 0x21, 0xf3,
	    0x7f, 0x09, 0x2e, 0xfc, 0x69, 0xea, 0x5a, 0x17 } },
	{ "ffdhe4096", 4096, "RFC7919",
	  { 0x46, 0x48, 0x41, 0x42, 0x24, 0xac, 0x88, 0x1b,
	    0x3d, 0x0d, 0xc5, 0x9b, 0x46, 0x6f, 0x96, 0xd0,
	    0x6a, 0x55, 0x82, 0x78, 0x77, 0x68, 0x07, 0x79,
	    0x7e, 0xcf, 0x1f, 0x66, 0xff, 0x39, 0x7b, 0x3e } },
	{ "ffdhe6144", 6144, "RFC7919",
	  { 0x22, 0x7a, 0xc9, 0x06, 0x6b, 0x3d, 0xdd, 0x9e,
	    0x19, 0x36, 0x70, 0xcd, 0xa2, 0x38, 0x8f, 0xa8,
	    0x84, 0xf6, 0x5b, 0xa0, 0xcf, 0x98, 0xb7, 0x42,
	    0xd1, 0xfe, 0x77, 0xa6, 0x68, 0x7c, 0x79, 0xc7 } },
	{ "ffdhe8192", 8192, "RFC7919",
	  { 0x77, 0x0b, 0x14, 0xef, 0xaf, 0x6f, 0x04, 0x99,
	    0x29, 0xc5, 0x23, 0x11, 0x3b, 0x3f, 0xa9, 0x9a,
	    0x8d, 0x11, 0xda, 0xb1, 0xb1, 0x8a, 0xf3, 0x60,
	    0x95, 0x90, 0x12, 0x20, 0x75, 0xd1, 0x98, 0x33 } },
	{ "rfc5114-1024-160", 1024, "RFC5114",
	  { 0x44, 0xc5, 0x5c, 0xfe, 0xe5, 0xc0, 0x75, 0x92,
	    0x7c, 0xf6, 0x82, 0xda, 0x5b, 0x68, 0x1b, 0xde,
	    0xcb, 0xd5, 0xc3, 0xeb, 0x07, 0x84, 0xc1, 0x4f,
	    0x5d, 0xce, 0x76, 0x10, 0xf0, 0xef, 0x13, 0x3d } },
	{ "rfc5114-2048-224", 2048, "RFC5114",
	  { 0xbf, 0xe5, 0x45, 0x86, 0x2c, 0xa1, 0x02, 0xad,
	    0x1e, 0xed, 0xdb, 0x5f, 0xbf, 0xa5, 0xbf, 0x85,
	    0x5a, 0xc4, 0x99, 0x5c, 0x56, 0xa8, 0xb4, 0x08,
	    0xce, 0x3f, 0xe0, 0x99, 0xdc, 0xe9, 0x3a, 0x9d } },
	{ "rfc5114-2048-256", 2048, "RFC5114",
	  { 0x0b, 0x78, 0x35, 0x72, 0x2c, 0xb6, 0x19, 0x82,
	    0x76, 0x10, 0xc2, 0x54, 0x9f, 0xdd, 0xa5, 0x58,
	    0x74, 0x21, 0x68, 0x6c, 0x44, 0x09, 0xa1, 0x38,
	    0x65, 0xe7, 0x62, 0x25, 0x52, 0x2d, 0xdc, 0xc9 } },
	/* The 512-bit default of OpenSSL's s_server, which sendmail, MySQL,
	 * yaSSL and many others copied: the one a 512-bit STARTTLS server most
	 * likely has. */
	{ "openssl-512", 512,
	  "OpenSSL 0.9.x-1.0.x apps/s_server.c get_dh512; sendmail tls.c",
	  { 0xf2, 0x6e, 0x24, 0x03, 0xf3, 0xf0, 0x79, 0x46,
	    0x65, 0x44, 0x04, 0x90, 0x9f, 0x0f, 0xf8, 0x1d,
	    0x93, 0x54, 0xde, 0x17, 0x25, 0x04, 0x11, 0xb4,
	    0xc0, 0x4b, 0x89, 0xaf, 0x73, 0x17, 0x84, 0x25 } },
	/* Postfix 2.x's compiled-in primes (tls_dh.c), used unless
	 * smtpd_tls_dh512_param_file / smtpd_tls_dh1024_param_file are set. */
	{ "postfix-512", 512, "Postfix 2.x src/tls/tls_dh.c",
	  { 0x6c, 0x86, 0x38, 0x38, 0x51, 0x0b, 0xab, 0x3e,
	    0x20, 0x93, 0x06, 0x6f, 0xc1, 0x49, 0x76, 0xf0,
	    0x26, 0x5b, 0x0d, 0xa7, 0x2c, 0x46, 0x5e, 0xb3,
	    0x06, 0x01, 0x85, 0x87, 0xb5, 0xdf, 0x6b, 0x6a } },
	{ "postfix-1024", 1024, "Postfix 2.x src/tls/tls_dh.c",
	  { 0xef, 0x62, 0x7d, 0x8c, 0xc4, 0x41, 0x44, 0xf3,
	    0x6a, 0x07, 0x5d, 0x8d, 0xd8, 0x51, 0x1b, 0xbd,
	    0x27, 0x8c, 0xb5, 0xcf, 0x43, 0x8f, 0x10, 0x52,
	    0xbd, 0xbd, 0xab, 0xe7, 0x15, 0x23, 0x2c, 0x1e } },
	/* mod_ssl's built-in temporary parameters: ssl_engine_dh.c was
	 * regenerated once, so the early 2.0 releases and 2.2 differ. */
	{ "apache-2.0-512", 512, "Apache httpd 2.0 mod_ssl ssl_engine_dh.c",
	  { 0x3c, 0xdb, 0x02, 0x0b, 0x9e, 0xf2, 0x98, 0xb2,
	    0xf3, 0xf6, 0xcf, 0x5a, 0x87, 0x2a, 0xf5, 0x27,
	    0x33, 0x7b, 0xf7, 0xb9, 0xf6, 0x54, 0xb2, 0xe7,
	    0x0c, 0x49, 0xda, 0x16, 0xa4, 0xd2, 0x41, 0x37 } },
	{ "apache-2.0-1024", 1024, "Apache httpd 2.0 mod_ssl ssl_engine_dh.c",
	  { 0xf7, 0x9d, 0x1d, 0xb3, 0xc9, 0x55, 0xa2, 0x8f,
	    0xde, 0xca, 0x46, 0x26, 0x70, 0xa0, 0x71, 0x2e,
	    0xfe, 0xe4, 0xb5, 0x88, 0xc7, 0x85, 0x8e, 0x49,
	    0x43, 0x88, 0x3f, 0x90, 0x3b, 0xd1, 0x35, 0x4b } },
	{ "apache-2.2-512", 512, "Apache httpd 2.2 mod_ssl ssl_engine_dh.c",
	  { 0xdb, 0x01, 0xe7, 0x02, 0x89, 0x91, 0x66, 0xda,
	    0x28, 0xc9, 0xbc, 0x78, 0x96, 0xaf, 0x62, 0xbc,
	    0xdf, 0x0c, 0x96, 0xd0, 0xfb, 0x34, 0x19, 0x50,
	    0xba, 0x80, 0xe6, 0x8b, 0xd5, 0x1a, 0x57, 0xef } },
	{ "apache-2.2-1024", 1024, "Apache httpd 2.2 mod_ssl ssl_engine_dh.c",
	  { 0xbf, 0x91, 0x0d, 0x9d, 0xf4, 0xe0, 0xb2, 0xe7,
	    0x6c, 0xda, 0x74, 0x43, 0xf5, 0x92, 0xaa, 0x11,
	    0x8e, 0x33, 0xba, 0x2c, 0x22, 0x4e, 0xbc, 0x27,
	    0xfb, 0x89, 0x78, 0xd8, 0x73, 0xc8, 0xc2, 0xe3 } },
};

const struct tls_dh_group *
tls_dh_group_find(const uint8_t *p, size_t len)
{
	uint8_t d[32];
	size_t i;

	if (p == NULL)
		return NULL;
	while (len > 0 && *p == 0) {	/* a padded p is the same prime */
		p++;
		len--;
	}
	if (len == 0)
		return NULL;
	tls_sha256(p, len, d);
	for (i = 0; i < sizeof(dh_groups) / sizeof(dh_groups[0]); i++)
		if (dh_groups[i].bits == len * 8 &&
		    memcmp(dh_groups[i].sha256, d, 32) == 0)
			return &dh_groups[i];
	return NULL;
}

const char *
tls_dh_group_name(const uint8_t *p, size_t len)
{
	const struct tls_dh_group *g = tls_dh_group_find(p, len);

	return g != NULL ? g->name : NULL;
}

size_t
tls_dh_group_count(void)
{
	return sizeof(dh_groups) / sizeof(dh_groups[0]);
}

const struct tls_dh_group *
tls_dh_group_at(size_t i)
{
	return i < tls_dh_group_count() ? &dh_groups[i] : NULL;
}

/* ---- SHA-256 (FIPS 180-4 6.2) -------------------------------------------- */

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t
ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/* sha256_block - compress one 64-byte block into h. */
static void
sha256_block(uint32_t h[8], const uint8_t *blk)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)blk[4 * i] << 24 | (uint32_t)blk[4 * i + 1] << 16 |
		    (uint32_t)blk[4 * i + 2] << 8 | blk[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^
		    (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^
		    (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
		    ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));

		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void
tls_sha256(const void *data, size_t len, uint8_t out[32])
{
	uint32_t h[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	const uint8_t *p = data;
	uint8_t tail[128];
	uint64_t bits = (uint64_t)len * 8;
	size_t rest, tlen, i;

	for (; len >= 64; p += 64, len -= 64)
		sha256_block(h, p);
	/* Padding: 0x80, zeros, then the 64-bit length (5.1.1). */
	rest = len;
	memcpy(tail, p, rest);
	tail[rest] = 0x80;
	tlen = rest + 1 + 8 <= 64 ? 64 : 128;
	memset(tail + rest + 1, 0, tlen - rest - 1);
	for (i = 0; i < 8; i++)
		tail[tlen - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha256_block(h, tail);
	if (tlen == 128)
		sha256_block(h, tail + 64);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(h[i] >> 8);
		out[4 * i + 3] = (uint8_t)h[i];
	}
}
