/*
 * smtp_ehlo.c - EHLO extension parsing.  See smtp_ehlo.h.
 */
#include "smtp/smtp_ehlo.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const ext_names[] = {
	[SMTP_EXT_STARTTLS] = "STARTTLS",
	[SMTP_EXT_REQUIRETLS] = "REQUIRETLS",
	[SMTP_EXT_SIZE] = "SIZE",
	[SMTP_EXT_PIPELINING] = "PIPELINING",
	[SMTP_EXT_8BITMIME] = "8BITMIME",
	[SMTP_EXT_SMTPUTF8] = "SMTPUTF8",
	[SMTP_EXT_CHUNKING] = "CHUNKING",
	[SMTP_EXT_BINARYMIME] = "BINARYMIME",
	[SMTP_EXT_DSN] = "DSN",
	[SMTP_EXT_ENHANCEDSTATUSCODES] = "ENHANCEDSTATUSCODES",
	[SMTP_EXT_AUTH] = "AUTH",
	[SMTP_EXT_DELIVERBY] = "DELIVERBY",
};
_Static_assert(sizeof(ext_names) / sizeof(ext_names[0]) == SMTP_EXT_COUNT,
    "one name per smtp_ext");

const char *
smtp_ext_name(enum smtp_ext ext)
{
	return ext < SMTP_EXT_COUNT ? ext_names[ext] : "?";
}

/* The keyword is the line up to the first space (RFC 5321 4.1.1.1 ehlo-line). */
static void
note_keyword(struct smtp_ehlo *e, const char *line)
{
	size_t klen = strcspn(line, " ");
	int i;

	for (i = 0; i < SMTP_EXT_COUNT; i++) {
		if (strlen(ext_names[i]) == klen &&
		    strncasecmp(line, ext_names[i], klen) == 0) {
			e->known |= 1u << i;
			break;
		}
	}
	if (i == SMTP_EXT_SIZE && line[klen] == ' ') {
		char *end;
		long long v = strtoll(line + klen + 1, &end, 10);
		if (end != line + klen + 1 && v > 0)
			e->size_limit = v;
	}
}

int
smtp_ehlo_parse(const struct smtp_reply *r, struct smtp_ehlo *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (r->lines.n == 0)
		return 0;
	if ((out->greeting = strdup(r->lines.v[0])) == NULL)
		return -1;
	for (i = 1; i < r->lines.n; i++) {
		if (strvec_push_copy(&out->lines, r->lines.v[i]) == -1) {
			smtp_ehlo_free(out);
			return -1;
		}
		note_keyword(out, r->lines.v[i]);
	}
	return 0;
}

int
smtp_ehlo_has(const struct smtp_ehlo *e, enum smtp_ext ext)
{
	return (e->known >> ext) & 1u;
}

void
smtp_ehlo_free(struct smtp_ehlo *e)
{
	free(e->greeting);
	strvec_clear(&e->lines);
	memset(e, 0, sizeof(*e));
}
