/*
 * fuzz_tls_parse.c - libFuzzer target for the reader of a server's
 * clear-text TLS flight (probe/tls_parse.h).
 *
 * Input: two bytes of set-up, then the bytes a server sends after our
 * ClientHello.
 *
 *   [0]  limit: &3 == 0: the default 64 KiB, 1: 64 (the minimum),
 *        2: 300, 3: 4096 bytes of handshake kept
 *   [1]  chunking: 0 = one byte per call, else pieces of 1..(&0x7f)+1
 *        bytes, the sizes drawn from a PRNG seeded with this byte
 *   [2..] the stream
 *
 * The stream is read twice, whole and in pieces, and each run is written
 * down as a transcript of everything decoded (every field, the bytes of
 * every view).  The transcripts must be identical: how the network splits
 * the bytes must not change the result, nor *used, nor the error offset.
 * Then the bytes the reader said it used are read again alone: they must
 * reach the same end, so *used is exactly what decided.  On the way the
 * header's contracts are checked: the feed/EOF statuses, counts within
 * their arrays, views inside the reader's buffer, printable plaintext,
 * what DONE implies.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/tls_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

/* A growable transcript of one run. */
struct transcript {
	uint8_t	*buf;
	size_t	 len;
	size_t	 cap;
};

static void
put(struct transcript *t, const void *p, size_t n)
{
	if (t->len + n > t->cap) {
		size_t cap = t->cap ? t->cap : 1024;

		while (cap < t->len + n)
			cap *= 2;
		t->buf = realloc(t->buf, cap);
		CHECK(t->buf != NULL);
		t->cap = cap;
	}
	memcpy(t->buf + t->len, p, n);
	t->len += n;
}

static void
num(struct transcript *t, char tag, size_t v)
{
	char s[32];
	int n = snprintf(s, sizeof(s), "%c%zu;", tag, v);

	put(t, s, (size_t)n);
}

/* view - a view's length and bytes; it must lie in the reader's buffer. */
static void
view(struct transcript *t, const struct tls_reader *r, struct tls_bytes b)
{
	if (b.len > 0) {
		CHECK(b.p >= r->buf && b.p <= r->buf + r->limits.max_bytes);
		CHECK(b.len <= (size_t)(r->buf + r->limits.max_bytes - b.p));
	}
	num(t, 'v', b.len);
	if (b.len > 0)
		put(t, b.p, b.len);
}

/* describe - everything decoded, with the contracts on the way. */
static void
describe(struct transcript *t, const struct tls_reader *r)
{
	const struct tls_server_flight *f = tls_reader_flight(r);
	const struct tls_server_hello *h = &f->hello;
	const struct tls_server_key_exchange *s = &f->ske;
	size_t i;

	CHECK(f->error < TLS_ERR_COUNT);
	CHECK(!(f->done && f->error != TLS_ERR_NONE));
	num(t, 'D', (size_t)f->done);
	num(t, 'E', (size_t)f->error);
	num(t, '@', f->error_offset);
	num(t, 'B', f->bytes);
	num(t, '2', (size_t)f->sslv2);
	num(t, 'R', f->record_version);

	CHECK(h->session_id_len <= 32);
	CHECK(h->n_ext_types <= TLS_EXTS_MAX);
	CHECK(h->n_ext_types <= h->n_extensions);
	put(t, h, sizeof(*h));		/* no pointers in it */

	CHECK(f->certs.n_kept <= TLS_CERTS_MAX);
	CHECK(f->certs.n_kept == (f->certs.n < TLS_CERTS_MAX ?
	    f->certs.n : TLS_CERTS_MAX) || f->error != TLS_ERR_NONE);
	num(t, 'c', (size_t)f->certs.present);
	num(t, 'n', f->certs.n);
	num(t, 'k', f->certs.n_kept);
	num(t, 't', f->certs.total_len);
	for (i = 0; i < f->certs.n_kept; i++) {
		CHECK(f->certs.der[i].len > 0);
		view(t, r, f->certs.der[i]);
	}
	num(t, 's', (size_t)f->status_present);
	num(t, 'y', f->status_type);
	view(t, r, f->status_response);

	CHECK(s->kind < TLS_SKE_KIND_COUNT);
	num(t, 'K', (size_t)s->present);
	num(t, 'k', (size_t)s->kind);
	num(t, 'l', s->len);
	view(t, r, s->psk_hint);
	view(t, r, s->dh_p);
	view(t, r, s->dh_g);
	view(t, r, s->dh_ys);
	CHECK(s->dh_p_bits <= 8 * s->dh_p.len);
	num(t, 'b', s->dh_p_bits);
	if (s->dh_group != NULL) {
		const struct tls_dh_group *g =
		    tls_dh_group_find(s->dh_p.p, s->dh_p.len);

		/* A name only for a prime of exactly that group's size. */
		CHECK(g != NULL && strcmp(g->name, s->dh_group) == 0);
		CHECK(g->bits == s->dh_p_bits);
		put(t, s->dh_group, strlen(s->dh_group));
	}
	num(t, 'C', s->curve_type);
	num(t, 'G', s->named_group);
	num(t, 'P', s->ec_point_len);
	view(t, r, s->rsa_modulus);
	CHECK(s->rsa_bits <= 8 * s->rsa_modulus.len);
	num(t, 'r', s->rsa_bits);
	num(t, 'x', s->rsa_exponent_len);
	view(t, r, s->srp_n);
	num(t, 'N', s->srp_n_bits);
	num(t, 'S', (size_t)s->signed_params);
	num(t, 'A', (size_t)s->has_sig_alg);
	num(t, 'a', s->sig_alg);
	num(t, 'L', s->sig_len);

	num(t, 'q', (size_t)f->cert_request);
	num(t, 'h', (size_t)f->hello_done);
	num(t, '3', (size_t)f->tls13);
	CHECK(f->n_msgs <= TLS_MSGS_MAX);
	num(t, 'm', f->n_msgs);
	put(t, f->msg_types, f->n_msgs);
	/* Only a ServerHello can come first. */
	CHECK(f->n_msgs == 0 || f->msg_types[0] == 2 ||
	    f->error == TLS_ERR_UNEXPECTED_MESSAGE);
	CHECK(f->n_alerts <= TLS_ALERTS_MAX);
	num(t, 'a', f->n_alerts);
	put(t, f->alerts, f->n_alerts * sizeof(f->alerts[0]));
	num(t, 'f', (size_t)f->fatal_alert);

	CHECK(f->ssl2.n_kinds_kept <= TLS_SSL2_KINDS_MAX);
	CHECK(f->ssl2.n_kinds_kept <= f->ssl2.n_kinds);
	num(t, 'p', (size_t)f->ssl2.present);
	num(t, 'i', (size_t)f->ssl2.session_id_hit);
	num(t, 'T', f->ssl2.certificate_type);
	num(t, 'V', f->ssl2.version);
	num(t, 'n', f->ssl2.n_kinds);
	for (i = 0; i < f->ssl2.n_kinds_kept; i++) {
		CHECK(f->ssl2.kinds[i] <= 0xffffff);
		num(t, 'j', f->ssl2.kinds[i]);
	}
	view(t, r, f->ssl2.certificate);
	num(t, 'I', f->ssl2.connection_id_len);
	num(t, 'e', (size_t)f->ssl2.error);
	num(t, 'o', f->ssl2.error_code);

	CHECK(strlen(f->plaintext) <= TLS_PLAINTEXT_MAX);
	for (i = 0; f->plaintext[i] != '\0'; i++)
		CHECK(f->plaintext[i] >= 0x20 && f->plaintext[i] < 0x7f);
	put(t, f->plaintext, strlen(f->plaintext) + 1);

	/* DONE means one of the things that end the clear-text part. */
	if (f->done)
		CHECK(f->hello_done || f->fatal_alert || f->tls13 ||
		    f->ssl2.present || f->ssl2.error);
	if (f->tls13)
		CHECK(h->present && (h->version == 0x0304 ||
		    h->hello_retry_request));
}

struct chunker {
	uint32_t	state;
	size_t		max;	/* 0: one byte at a time; SIZE_MAX: whole */
};

static size_t
next_chunk(struct chunker *c, size_t left)
{
	size_t n;

	if (c->max == SIZE_MAX)
		return left;
	if (c->max == 0)
		return 1;
	c->state ^= c->state << 13;	/* xorshift32 */
	c->state ^= c->state >> 17;
	c->state ^= c->state << 5;
	n = 1 + c->state % c->max;
	return n < left ? n : left;
}

/* run - read in[0..len) in the chunker's pieces, EOF if it wants more;
 * the final status, the bytes used, and the transcript. */
static enum tls_feed
run(size_t max_bytes, const uint8_t *in, size_t len, struct chunker *c,
    struct transcript *t, size_t *total)
{
	struct tls_reader_limits lim = TLS_READER_LIMITS_DEFAULT;
	struct tls_reader r;
	enum tls_feed st = TLS_FEED_MORE;
	size_t off = 0, used;

	lim.max_bytes = max_bytes;
	CHECK(tls_reader_init(&r, &lim) == 0);
	while (off < len && st == TLS_FEED_MORE) {
		size_t n = next_chunk(c, len - off);

		used = (size_t)-1;
		st = tls_reader_feed(&r, in + off, n, &used);
		CHECK(used <= n);
		if (st == TLS_FEED_MORE)
			CHECK(used == n);
		off += used;
	}
	if (st == TLS_FEED_MORE) {
		st = tls_reader_eof(&r);
		CHECK(st == TLS_FEED_ERROR);
		put(t, "eof", 3);
	} else if (off < len) {
		/* Finished: nothing more is taken, the status sticks. */
		used = (size_t)-1;
		CHECK(tls_reader_feed(&r, in + off, len - off, &used) == st);
		CHECK(used == 0);
	}
	CHECK(tls_reader_eof(&r) == st);
	CHECK(tls_reader_flight(&r)->bytes == off);
	CHECK(tls_reader_flight(&r)->done == (st == TLS_FEED_DONE));
	CHECK((tls_reader_flight(&r)->error != TLS_ERR_NONE) ==
	    (st == TLS_FEED_ERROR));
	num(t, 'U', off);
	describe(t, &r);
	tls_reader_free(&r);
	*total = off;
	return st;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t limits[] = { 64 * 1024, 64, 300, 4096 };
	struct chunker whole = { 0, SIZE_MAX }, pieces, again = { 0, SIZE_MAX };
	struct transcript a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	struct transcript c = { NULL, 0, 0 };
	size_t max, used_a, used_b, used_c;
	enum tls_feed st_a, st_b, st_c;

	if (size < 2)
		return 0;
	max = limits[data[0] & 3];
	pieces.state = data[1] | 0x100u;
	pieces.max = data[1] == 0 ? 0 : (size_t)(data[1] & 0x7f) + 1;
	data += 2;
	size -= 2;

	st_a = run(max, data, size, &whole, &a, &used_a);
	st_b = run(max, data, size, &pieces, &b, &used_b);
	CHECK(st_a == st_b && used_a == used_b);
	CHECK(a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0);

	/*
	 * The used bytes alone decide the same way.  Only an error found on
	 * a byte the reader did not take (the first byte of garbage, say)
	 * is not in them: that run then ends at EOF instead.
	 */
	if (used_a < size) {
		st_c = run(max, data, used_a, &again, &c, &used_c);
		CHECK(used_c == used_a);
		CHECK(st_c == st_a);
		if (c.len < 3 || memcmp(c.buf, "eof", 3) != 0)
			CHECK(c.len == a.len && memcmp(c.buf, a.buf, a.len) == 0);
		else
			CHECK(st_a == TLS_FEED_ERROR);
	}
	free(a.buf);
	free(b.buf);
	free(c.buf);
	return 0;
}
