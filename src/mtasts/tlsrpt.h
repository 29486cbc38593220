/*
 * tlsrpt.h - SMTP TLS Reporting (RFC 8460): the _smtp._tls.<domain> TXT
 * record, which says where senders send their daily reports of TLS
 * failures (MTA-STS and DANE).
 *
 *   record = "v=TLSRPTv1" 1*(*WSP ";" *WSP field) [*WSP ";" *WSP]
 *   field  = "rua=" uri *(*WSP "," *WSP uri) / ext-name "=" ext-value
 *   uri    = "mailto:" addr-spec / "https:" ...  (commas and semicolons
 *            inside a URI are percent-encoded)
 *
 * As for MTA-STS, records not starting with "v=TLSRPTv1" are discarded and
 * exactly one must remain (RFC 8460 3).  Pure parsing: no I/O; what is kept
 * is sanitised.  struct tlsrpt_record owns its URIs: tlsrpt_record_free().
 */
#ifndef MAILTLS_TLSRPT_H
#define MAILTLS_TLSRPT_H

#include <stddef.h>

struct dns_rr;

#define TLSRPT_RUA_MAX	16	/* URIs kept; more: an error */
#define TLSRPT_URI_MAX	1024	/* bytes per URI */

enum tlsrpt_error {
	TLSRPT_OK,
	TLSRPT_NO_RECORD,	/* no record starts with "v=TLSRPTv1" */
	TLSRPT_MULTIPLE,	/* more than one does: senders ignore them */
	TLSRPT_BAD_RDATA,	/* TXT RDATA malformed (or > 4 KiB) */
	TLSRPT_BAD_DELIM,	/* fields not separated by ";" */
	TLSRPT_BAD_FIELD,	/* a field without "=" or without a name */
	TLSRPT_NO_RUA,		/* "rua=" is required */
	TLSRPT_DUP_RUA,		/* "rua=" twice */
	TLSRPT_EMPTY_URI,	/* "rua=", or an empty item of the list */
	TLSRPT_BAD_SCHEME,	/* a URI neither mailto: nor https: */
	TLSRPT_BAD_MAILTO,	/* mailto: without local@domain */
	TLSRPT_BAD_HTTPS,	/* https: without //host */
	TLSRPT_BAD_URI_CHAR,	/* space, control or non-ASCII byte in a URI */
	TLSRPT_TOO_MANY_URIS,	/* more than TLSRPT_RUA_MAX */
	TLSRPT_BAD_EXTENSION,	/* extension name or value off-grammar */
	TLSRPT_ERROR_COUNT
};

enum tlsrpt_scheme {
	TLSRPT_MAILTO,
	TLSRPT_HTTPS,
};

struct tlsrpt_uri {
	enum tlsrpt_scheme	 scheme;
	char			*uri;		/* as published, sanitised */
};

struct tlsrpt_record {
	enum tlsrpt_error	 error;
	struct tlsrpt_uri	*rua;		/* when OK: 1..TLSRPT_RUA_MAX */
	size_t			 n_rua;
	size_t			 n_extensions;	/* unknown fields, ignored */
	size_t			 n_tlsrpt;	/* records starting "v=TLSRPTv1" */
	size_t			 n_other;	/* other records, discarded */
};

/*
 * tlsrpt_parse - one record's text (n bytes, character-strings joined)
 * into out (overwritten; free an earlier content first).  Returns
 * out->error, or -1 when out of memory (out zeroed).  On an error, rua is
 * empty.
 */
int tlsrpt_parse(const char *rec, size_t n, struct tlsrpt_record *out);

/*
 * tlsrpt_parse_rrset - the TXT RRset of _smtp._tls.<domain> (wire RDATA, as
 * struct dns_answer has it): discards other records, parses the only
 * TLSRPTv1 one.  Returns out->error or -1 (out of memory).
 */
int tlsrpt_parse_rrset(const struct dns_rr *rrs, size_t count,
    struct tlsrpt_record *out);

/* tlsrpt_record_free - free what r owns; r is zeroed.  NULL is fine. */
void tlsrpt_record_free(struct tlsrpt_record *r);

/* "ok", "no-record", ... for findings and JSON; and a sentence. */
const char *tlsrpt_error_name(enum tlsrpt_error e);
const char *tlsrpt_error_text(enum tlsrpt_error e);
const char *tlsrpt_scheme_name(enum tlsrpt_scheme s);	/* "mailto", "https" */

#endif
