/*
 * smtp_ehlo.h - what a server's EHLO reply says it can do (RFC 5321 4.1.1.1).
 *
 * The first line of a 250 EHLO reply is the server's greeting; every further
 * line starts with an extension keyword, optionally followed by parameters.
 * Keywords are case-insensitive.  mailtls names the extensions that matter
 * for transport security and interoperability; all others are kept as text.
 */
#ifndef MAILTLS_SMTP_EHLO_H
#define MAILTLS_SMTP_EHLO_H

#include "smtp/smtp_reply.h"
#include "util/strvec.h"

enum smtp_ext {
	SMTP_EXT_STARTTLS,		/* RFC 3207 */
	SMTP_EXT_REQUIRETLS,		/* RFC 8689 */
	SMTP_EXT_SIZE,			/* RFC 1870 */
	SMTP_EXT_PIPELINING,		/* RFC 2920 */
	SMTP_EXT_8BITMIME,		/* RFC 6152 */
	SMTP_EXT_SMTPUTF8,		/* RFC 6531 */
	SMTP_EXT_CHUNKING,		/* RFC 3030 */
	SMTP_EXT_BINARYMIME,		/* RFC 3030 */
	SMTP_EXT_DSN,			/* RFC 3461 */
	SMTP_EXT_ENHANCEDSTATUSCODES,	/* RFC 2034 */
	SMTP_EXT_AUTH,			/* RFC 4954 */
	SMTP_EXT_DELIVERBY,		/* RFC 2852 */
	SMTP_EXT_COUNT
};

struct smtp_ehlo {
	char		*greeting;	/* first line, sanitised */
	unsigned	 known;		/* bit (1u << enum smtp_ext) per keyword seen */
	struct strvec	 lines;		/* every extension line, as sent (sanitised) */
	long long	 size_limit;	/* SIZE parameter; 0 = none given or "no limit" */
};

/*
 * smtp_ehlo_parse - fill out from a complete 250 reply r.  out must be zeroed
 * or freed before.  Returns 0, or -1 if out of memory (out then freed).
 */
int smtp_ehlo_parse(const struct smtp_reply *r, struct smtp_ehlo *out);

/* smtp_ehlo_has - 1 if the reply listed ext. */
int smtp_ehlo_has(const struct smtp_ehlo *e, enum smtp_ext ext);

void smtp_ehlo_free(struct smtp_ehlo *e);

/* smtp_ext_name - the keyword, "STARTTLS" ... */
const char *smtp_ext_name(enum smtp_ext ext);

#endif
