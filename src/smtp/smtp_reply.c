/*
 * smtp_reply.c - the SMTP reply parser.  See smtp_reply.h.
 *
 * The current line is collected in a fixed buffer; when its LF arrives it is
 * checked ("NNN" + ' ', '-' or end) and its text kept, sanitised.  The reply
 * ends with the first line whose fourth byte is not '-'.
 */
#include "smtp/smtp_reply.h"

#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"

int
smtp_reply_parser_init(struct smtp_reply_parser *p,
    const struct smtp_reply_limits *limits)
{
	memset(p, 0, sizeof(*p));
	p->limits = *limits;
	if (limits->line_max == 0 || limits->line_max > SMTP_REPLY_LINE_MAX_CAP ||
	    limits->lines_max == 0)
		return -1;
	if ((p->line = malloc(limits->line_max + 1)) == NULL)	/* + CR */
		return -1;
	return 0;
}

void
smtp_reply_reset(struct smtp_reply_parser *p)
{
	strvec_clear(&p->reply.lines);
	p->reply.code = 0;
	p->reply.bare_lf = 0;
	p->error = SMTP_REPLY_OK;
	p->line_len = 0;
}

void
smtp_reply_parser_free(struct smtp_reply_parser *p)
{
	strvec_clear(&p->reply.lines);
	free(p->line);
	p->line = NULL;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * end_line - the current line (without its line end) is complete.
 * Returns 1 when it was the last line of the reply, 0 when more follow,
 * -1 on error (p->error set).
 */
static int
end_line(struct smtp_reply_parser *p)
{
	const char *l = p->line;
	size_t len = p->line_len;
	int code, last;
	char *text;

	if (len < 3 || !is_digit(l[0]) || !is_digit(l[1]) || !is_digit(l[2]) ||
	    l[0] < '2' || l[0] > '5' || (len > 3 && l[3] != ' ' && l[3] != '-')) {
		p->error = SMTP_REPLY_BAD_SYNTAX;
		return -1;
	}
	code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	if (p->reply.lines.n > 0 && code != p->reply.code) {
		p->error = SMTP_REPLY_CODE_MISMATCH;
		return -1;
	}
	if (p->reply.lines.n >= p->limits.lines_max) {
		p->error = SMTP_REPLY_TOO_MANY_LINES;
		return -1;
	}
	p->reply.code = code;
	last = len == 3 || l[3] == ' ';
	text = len > 4 ? sanitize_copy(l + 4, len - 4, p->limits.line_max) :
	    strdup("");
	if (strvec_push(&p->reply.lines, text) == -1) {
		p->error = SMTP_REPLY_NO_MEMORY;
		return -1;
	}
	p->line_len = 0;
	return last;
}

enum smtp_parse
smtp_reply_feed(struct smtp_reply_parser *p, const void *data, size_t len,
    size_t *used)
{
	const char *in = data;
	size_t i;

	if (p->error != SMTP_REPLY_OK) {
		*used = 0;
		return SMTP_PARSE_ERROR;
	}
	for (i = 0; i < len; i++) {
		int r;

		if (in[i] != '\n') {
			/*
			 * The buffer holds line_max bytes and the CR of CRLF:
			 * byte line_max + 1 may only be that CR.
			 */
			if (p->line_len == p->limits.line_max + 1 ||
			    (p->line_len == p->limits.line_max && in[i] != '\r')) {
				p->error = SMTP_REPLY_LINE_TOO_LONG;
				*used = i;
				return SMTP_PARSE_ERROR;
			}
			p->line[p->line_len++] = in[i];
			continue;
		}
		if (p->line_len > 0 && p->line[p->line_len - 1] == '\r')
			p->line_len--;
		else
			p->reply.bare_lf = 1;
		if (p->line_len > p->limits.line_max) {
			p->error = SMTP_REPLY_LINE_TOO_LONG;
			*used = i;
			return SMTP_PARSE_ERROR;
		}
		if ((r = end_line(p)) == -1) {
			*used = i + 1;
			return SMTP_PARSE_ERROR;
		}
		if (r == 1) {
			*used = i + 1;
			return SMTP_PARSE_DONE;
		}
	}
	*used = len;
	return SMTP_PARSE_MORE;
}

static const char *const error_texts[] = {
	[SMTP_REPLY_OK] = "no error",
	[SMTP_REPLY_LINE_TOO_LONG] = "reply line longer than the limit",
	[SMTP_REPLY_TOO_MANY_LINES] = "reply with more lines than the limit",
	[SMTP_REPLY_BAD_SYNTAX] = "malformed reply line (not \"NNN text\")",
	[SMTP_REPLY_CODE_MISMATCH] = "reply lines with different codes",
	[SMTP_REPLY_NO_MEMORY] = "out of memory",
};
_Static_assert(sizeof(error_texts) / sizeof(error_texts[0]) ==
    SMTP_REPLY_ERROR_COUNT, "one text per smtp_reply_error");

const char *
smtp_reply_error_text(enum smtp_reply_error e)
{
	return e < SMTP_REPLY_ERROR_COUNT ? error_texts[e] : "?";
}

char *
smtp_reply_text(const struct smtp_reply *r)
{
	size_t i, len = 1;
	char *s, *o;

	for (i = 0; i < r->lines.n; i++)
		len += strlen(r->lines.v[i]) + 1;
	if ((s = o = malloc(len)) == NULL)
		return NULL;
	for (i = 0; i < r->lines.n; i++) {
		size_t l = strlen(r->lines.v[i]);
		if (i > 0)
			*o++ = '\n';
		memcpy(o, r->lines.v[i], l);
		o += l;
	}
	*o = '\0';
	return s;
}
