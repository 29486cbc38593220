/*
 * smtp_reply.h - incremental, bounded parser for SMTP replies (RFC 5321 4.2).
 *
 * A reply is one or more lines "NNN-text" ending with a line "NNN text" (or
 * just "NNN").  The network may deliver it split anywhere, or several replies
 * in one segment; the parser is fed whatever bytes arrived, consumes them up
 * to and including the final line of one reply, and reports how many bytes
 * it used, so the caller can tell what followed (pipelined replies, or bytes
 * injected after "220 ready" to STARTTLS).
 *
 * Memory is bounded by struct smtp_reply_limits whatever the peer sends: a
 * line longer than line_max fails as soon as line_max bytes have arrived
 * without an end of line, not when (if ever) the line ends.
 *
 * Lines end in CRLF; a bare LF is accepted (and noted), since refusing
 * it would make us fail servers real senders talk to.
 */
#ifndef MAILTLS_SMTP_REPLY_H
#define MAILTLS_SMTP_REPLY_H

#include <stddef.h>

#include "util/strvec.h"

struct smtp_reply_limits {
	size_t	line_max;	/* bytes per line, CRLF excluded (RFC: 512) */
	size_t	lines_max;	/* lines per reply */
};

#define SMTP_REPLY_LIMITS_DEFAULT { 4096, 200 }
#define SMTP_REPLY_LINE_MAX_CAP (1024 * 1024)	/* largest line_max accepted */

enum smtp_parse {
	SMTP_PARSE_MORE,	/* all input used, reply not complete yet */
	SMTP_PARSE_DONE,	/* one reply complete; see *used */
	SMTP_PARSE_ERROR	/* see smtp_reply_parser.error */
};

enum smtp_reply_error {
	SMTP_REPLY_OK,
	SMTP_REPLY_LINE_TOO_LONG,
	SMTP_REPLY_TOO_MANY_LINES,
	SMTP_REPLY_BAD_SYNTAX,		/* not "NNN[ -]..." */
	SMTP_REPLY_CODE_MISMATCH,	/* continuation with another code */
	SMTP_REPLY_NO_MEMORY,
	SMTP_REPLY_ERROR_COUNT
};

struct smtp_reply {
	int		code;		/* 200..599 */
	struct strvec	lines;		/* text after "NNN[ -]", sanitised */
	int		bare_lf;	/* some line ended in LF without CR */
};

struct smtp_reply_parser {
	struct smtp_reply_limits limits;
	struct smtp_reply	 reply;
	enum smtp_reply_error	 error;
	size_t			 line_len;	/* bytes of the current line so far */
	char			*line;		/* line_max + 1 bytes */
};

/*
 * smtp_reply_parser_init - ready p for a first reply.  -1 if out of memory
 * or the limits are unusable (0, or line_max > SMTP_REPLY_LINE_MAX_CAP).
 */
int smtp_reply_parser_init(struct smtp_reply_parser *p,
    const struct smtp_reply_limits *limits);

/*
 * smtp_reply_feed - parse from data[0..len).  *used is set to the bytes
 * consumed: all of them with SMTP_PARSE_MORE, up to the end of the final line
 * with SMTP_PARSE_DONE.  After DONE, p->reply holds the reply until the next
 * smtp_reply_reset().  After ERROR, p->error says why; feed no more.
 */
enum smtp_parse smtp_reply_feed(struct smtp_reply_parser *p, const void *data,
    size_t len, size_t *used);

/* smtp_reply_reset - forget the reply, keep the limits: ready for the next. */
void smtp_reply_reset(struct smtp_reply_parser *p);

void smtp_reply_parser_free(struct smtp_reply_parser *p);

/* smtp_reply_error_text - "reply line longer than the limit", ... */
const char *smtp_reply_error_text(enum smtp_reply_error e);

/* smtp_reply_text - all lines joined with '\n' (newly allocated; NULL if out of memory). */
char *smtp_reply_text(const struct smtp_reply *r);

#endif
