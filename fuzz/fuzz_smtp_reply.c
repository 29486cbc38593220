/*
 * fuzz_smtp_reply.c - libFuzzer target for the SMTP reply parser and the EHLO
 * parser behind it (smtp/smtp_reply.h, smtp/smtp_ehlo.h).
 *
 * Input: three bytes of set-up, then the bytes a server sends.
 *
 *   [0]  line_max: &3 == 0: 4096, 1: 512, else 1 + (>> 2), i.e. 1..64
 *   [1]  lines_max: &0x80: 200, else 1 + (&0x0f)
 *   [2]  chunking: 0 = whole stream per call, else pieces of 1..(&0x3f)+1
 *        bytes, the sizes drawn from a PRNG seeded with this byte
 *   [3..] the stream
 *
 * The stream is parsed twice, once in pieces and once whole, replies one
 * after the other (reset after each DONE, stop at the first ERROR), and each
 * run writes a transcript: where every reply ended, its code, lines and
 * bare-LF flag, or where and why the parser failed.  The transcripts must be
 * identical: how the network splits the bytes must not change the result.
 * Every completed reply also goes through smtp_ehlo_parse(), and the
 * header contracts are checked on the way (codes, limits, sanitised text).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smtp/smtp_ehlo.h"
#include "smtp/smtp_reply.h"

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
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

static void
put(struct transcript *t, const void *p, size_t n)
{
	if (t->len + n > t->cap) {
		size_t cap = t->cap ? t->cap : 256;

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
put_num(struct transcript *t, char tag, size_t v)
{
	char s[32];
	int n = snprintf(s, sizeof(s), "%c%zu;", tag, v);

	put(t, s, (size_t)n);
}

static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

/* check_ehlo - the EHLO view of a complete reply agrees with the reply. */
static void
check_ehlo(const struct smtp_reply *r)
{
	struct smtp_ehlo e;
	size_t i;
	int ext;

	memset(&e, 0, sizeof(e));
	CHECK(smtp_ehlo_parse(r, &e) == 0);
	CHECK(r->lines.n > 0);
	CHECK(e.greeting != NULL && strcmp(e.greeting, r->lines.v[0]) == 0);
	CHECK(e.lines.n == r->lines.n - 1);
	for (i = 0; i < e.lines.n; i++)
		CHECK(strcmp(e.lines.v[i], r->lines.v[i + 1]) == 0);
	CHECK(e.known < (1u << SMTP_EXT_COUNT));
	CHECK(e.size_limit >= 0);
	/* Each keyword claimed is the first word of some extension line. */
	for (ext = 0; ext < SMTP_EXT_COUNT; ext++) {
		const char *name = smtp_ext_name((enum smtp_ext)ext);
		size_t nlen = strlen(name);
		int seen = 0;

		for (i = 0; i < e.lines.n && !seen; i++)
			seen = strncasecmp(e.lines.v[i], name, nlen) == 0 &&
			    (e.lines.v[i][nlen] == '\0' || e.lines.v[i][nlen] == ' ');
		CHECK(smtp_ehlo_has(&e, (enum smtp_ext)ext) == seen);
	}
	smtp_ehlo_free(&e);
}

/* check_reply - the contract of a complete reply, and its transcript. */
static void
check_reply(const struct smtp_reply_parser *p, struct transcript *t)
{
	const struct smtp_reply *r = &p->reply;
	size_t i, total = 0;
	char *text;

	CHECK(r->code >= 200 && r->code <= 599);
	CHECK(r->lines.n >= 1 && r->lines.n <= p->limits.lines_max);
	put_num(t, 'C', (size_t)r->code);
	put_num(t, 'B', (size_t)r->bare_lf);
	put_num(t, 'N', r->lines.n);
	for (i = 0; i < r->lines.n; i++) {
		size_t l = strlen(r->lines.v[i]);

		CHECK(printable(r->lines.v[i]));
		/* "NNN " + text fitted in line_max. */
		CHECK(l == 0 || l + 4 <= p->limits.line_max);
		put_num(t, 'L', l);
		put(t, r->lines.v[i], l);
		total += l;
	}
	text = smtp_reply_text(r);
	CHECK(text != NULL);
	CHECK(strlen(text) == total + r->lines.n - 1);
	free(text);
	check_ehlo(r);
}

struct chunker {
	uint32_t	state;
	size_t		max;	/* 0: everything at once */
};

static size_t
next_chunk(struct chunker *c, size_t left)
{
	size_t n;

	if (c->max == 0)
		return left;
	c->state ^= c->state << 13;	/* xorshift32 */
	c->state ^= c->state >> 17;
	c->state ^= c->state << 5;
	n = 1 + c->state % c->max;
	return n < left ? n : left;
}

/*
 * run - parse the whole stream, feeding it in the chunker's pieces, and
 * record what happened.
 */
static void
run(const struct smtp_reply_limits *limits, const uint8_t *in, size_t len,
    struct chunker *c, struct transcript *t)
{
	struct smtp_reply_parser p;
	size_t off = 0;

	if (smtp_reply_parser_init(&p, limits) == -1) {
		put(t, "nomem", 5);
		return;
	}
	while (off < len) {
		size_t n = next_chunk(c, len - off), used = 0;
		enum smtp_parse r = smtp_reply_feed(&p, in + off, n, &used);

		CHECK(used <= n);
		if (r == SMTP_PARSE_MORE) {
			CHECK(used == n);
			off += used;
			continue;
		}
		off += used;
		if (r == SMTP_PARSE_ERROR) {
			size_t line_start = off, again = 99;

			CHECK(p.error > SMTP_REPLY_OK &&
			    p.error < SMTP_REPLY_ERROR_COUNT);
			put_num(t, 'E', (size_t)p.error);
			put_num(t, '@', off);
			/* An over-long line is caught within line_max + CR. */
			if (p.error == SMTP_REPLY_LINE_TOO_LONG) {
				while (line_start > 0 && in[line_start - 1] != '\n')
					line_start--;
				CHECK(off - line_start <= limits->line_max + 1);
			}
			/* After ERROR the parser takes nothing more. */
			CHECK(smtp_reply_feed(&p, "250 x\r\n", 7, &again) ==
			    SMTP_PARSE_ERROR && again == 0);
			break;
		}
		CHECK(r == SMTP_PARSE_DONE);
		CHECK(used >= 1 && in[off - 1] == '\n');
		put_num(t, 'D', off);
		check_reply(&p, t);
		smtp_reply_reset(&p);
		CHECK(p.reply.lines.n == 0 && p.error == SMTP_REPLY_OK);
	}
	if (off == len)
		put(t, "end", 3);
	smtp_reply_parser_free(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_reply_limits limits;
	struct chunker pieces, whole = { 0, 0 };
	struct transcript a = { NULL, 0, 0 }, b = { NULL, 0, 0 };

	if (size < 3)
		return 0;
	switch (data[0] & 3) {
	case 0:
		limits.line_max = 4096;
		break;
	case 1:
		limits.line_max = 512;
		break;
	default:
		limits.line_max = 1 + (data[0] >> 2);
		break;
	}
	limits.lines_max = data[1] & 0x80 ? 200 : 1 + (data[1] & 0x0f);
	pieces.max = data[2] == 0 ? 0 : (size_t)(data[2] & 0x3f) + 1;
	pieces.state = 0x9e3779b9u ^ data[2] ^ (uint32_t)size << 8;

	run(&limits, data + 3, size - 3, &pieces, &a);
	run(&limits, data + 3, size - 3, &whole, &b);
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len) != 0) {
		fprintf(stderr, "chunked:  %.*s\nwhole:    %.*s\n", (int)a.len,
		    a.buf, (int)b.len, b.buf);
		CHECK(!"the result depends on how the input was split");
	}
	free(a.buf);
	free(b.buf);
	return 0;
}
