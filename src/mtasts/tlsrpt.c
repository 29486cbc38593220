/*
 * tlsrpt.c - the TLS-RPT TXT record (RFC 8460 3).  See tlsrpt.h.
 */
#include "mtasts/tlsrpt.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns_resolver.h"
#include "mtasts/txt_fields.h"
#include "util/sanitize.h"

#define TXT_BUF 4096

static const char version[] = "v=TLSRPTv1";

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* check_uri - one item of the rua list (n > 0 bytes, no WSP around). */
static enum tlsrpt_error
check_uri(const char *u, size_t n, enum tlsrpt_scheme *scheme)
{
	size_t i, at, end;

	for (i = 0; i < n; i++)
		if ((unsigned char)u[i] < 0x21 || (unsigned char)u[i] > 0x7e)
			return TLSRPT_BAD_URI_CHAR;
	if (n > TLSRPT_URI_MAX)
		return TLSRPT_BAD_URI_CHAR;
	if (n >= 7 && strncasecmp(u, "mailto:", 7) == 0) {
		*scheme = TLSRPT_MAILTO;
		/* addr-spec, up to an optional "?hfields" (RFC 6068). */
		for (end = 7; end < n && u[end] != '?'; end++)
			;
		for (at = 7; at < end && u[at] != '@'; at++)
			;
		if (at == 7 || at >= end - 1 ||
		    memchr(u + at + 1, '@', end - at - 1) != NULL)
			return TLSRPT_BAD_MAILTO;
		return TLSRPT_OK;
	}
	if (n >= 6 && strncasecmp(u, "https:", 6) == 0) {
		*scheme = TLSRPT_HTTPS;
		if (n < 9 || u[6] != '/' || u[7] != '/' || u[8] == '/' ||
		    u[8] == '?' || u[8] == '#' || u[8] == ':')
			return TLSRPT_BAD_HTTPS;
		return TLSRPT_OK;
	}
	return TLSRPT_BAD_SCHEME;
}

/* parse_rua - the value of "rua=" into out->rua.  0, or -1 (memory). */
static int
parse_rua(const char *v, size_t n, struct tlsrpt_record *out)
{
	size_t pos = 0;

	if ((out->rua = calloc(TLSRPT_RUA_MAX, sizeof(*out->rua))) == NULL)
		return -1;
	for (;;) {
		size_t s, e;
		enum tlsrpt_scheme scheme = TLSRPT_MAILTO;
		enum tlsrpt_error err;
		char *copy;

		while (pos < n && is_wsp(v[pos]))
			pos++;
		for (s = pos; pos < n && v[pos] != ','; pos++)
			;
		for (e = pos; e > s && is_wsp(v[e - 1]); e--)
			;
		if (e == s) {
			out->error = TLSRPT_EMPTY_URI;
			return 0;
		}
		if ((err = check_uri(v + s, e - s, &scheme)) != TLSRPT_OK) {
			out->error = err;
			return 0;
		}
		if (out->n_rua == TLSRPT_RUA_MAX) {
			out->error = TLSRPT_TOO_MANY_URIS;
			return 0;
		}
		if ((copy = sanitize_copy(v + s, e - s, TLSRPT_URI_MAX)) == NULL)
			return -1;
		out->rua[out->n_rua].scheme = scheme;
		out->rua[out->n_rua++].uri = copy;
		if (pos == n)
			return 0;
		pos++;		/* the comma */
	}
}

int
tlsrpt_parse(const char *rec, size_t n, struct tlsrpt_record *out)
{
	struct txt_field f;
	size_t pos = sizeof(version) - 1;
	enum txt_next r = TXT_END;
	int have_rua = 0;

	memset(out, 0, sizeof(*out));
	if (!txt_has_version(rec, n, version)) {
		out->error = TLSRPT_NO_RECORD;
		return out->error;
	}
	while (out->error == TLSRPT_OK &&
	    (r = txt_next_field(rec, n, &pos, &f)) == TXT_FIELD) {
		if (txt_field_is(&f, "rua")) {
			if (have_rua) {
				out->error = TLSRPT_DUP_RUA;
				break;
			}
			have_rua = 1;
			if (parse_rua(f.value, f.value_len, out) != 0) {
				tlsrpt_record_free(out);
				return -1;
			}
			continue;
		}
		if (!txt_ext_name_ok(f.name, f.name_len) ||
		    !txt_ext_value_ok(f.value, f.value_len)) {
			out->error = TLSRPT_BAD_EXTENSION;
			break;
		}
		out->n_extensions++;
	}
	if (out->error == TLSRPT_OK) {
		if (r == TXT_BAD_DELIM)
			out->error = TLSRPT_BAD_DELIM;
		else if (r == TXT_BAD_FIELD)
			out->error = TLSRPT_BAD_FIELD;
		else if (!have_rua)
			out->error = TLSRPT_NO_RUA;
	}
	if (out->error != TLSRPT_OK) {
		enum tlsrpt_error e = out->error;
		size_t ext = out->n_extensions;

		tlsrpt_record_free(out);
		out->error = e;
		out->n_extensions = ext;
	}
	return out->error;
}

int
tlsrpt_parse_rrset(const struct dns_rr *rrs, size_t count,
    struct tlsrpt_record *out)
{
	char buf[TXT_BUF];
	size_t i, n, n_rpt = 0, n_other = 0, which = 0;
	int bad_rdata = 0, rc;

	for (i = 0; i < count; i++) {
		if (txt_rdata_join(rrs[i].rdata, rrs[i].len, buf, sizeof(buf),
		    &n) != 0) {
			bad_rdata = 1;
			continue;
		}
		if (txt_has_version(buf, n, version)) {
			n_rpt++;
			which = i;
		} else
			n_other++;
	}
	memset(out, 0, sizeof(*out));
	if (n_rpt == 1) {
		(void)txt_rdata_join(rrs[which].rdata, rrs[which].len, buf,
		    sizeof(buf), &n);
		if ((rc = tlsrpt_parse(buf, n, out)) < 0)
			return rc;
	} else if (n_rpt > 1)
		out->error = TLSRPT_MULTIPLE;
	else
		out->error = bad_rdata ? TLSRPT_BAD_RDATA : TLSRPT_NO_RECORD;
	out->n_tlsrpt = n_rpt;
	out->n_other = n_other;
	return out->error;
}

void
tlsrpt_record_free(struct tlsrpt_record *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n_rua; i++)
		free(r->rua[i].uri);
	free(r->rua);
	memset(r, 0, sizeof(*r));
}

static const char *const error_names[] = {
	[TLSRPT_OK] = "ok",
	[TLSRPT_NO_RECORD] = "no-record",
	[TLSRPT_MULTIPLE] = "multiple-records",
	[TLSRPT_BAD_RDATA] = "bad-rdata",
	[TLSRPT_BAD_DELIM] = "bad-delimiter",
	[TLSRPT_BAD_FIELD] = "bad-field",
	[TLSRPT_NO_RUA] = "no-rua",
	[TLSRPT_DUP_RUA] = "duplicate-rua",
	[TLSRPT_EMPTY_URI] = "empty-uri",
	[TLSRPT_BAD_SCHEME] = "bad-scheme",
	[TLSRPT_BAD_MAILTO] = "bad-mailto",
	[TLSRPT_BAD_HTTPS] = "bad-https",
	[TLSRPT_BAD_URI_CHAR] = "bad-uri-char",
	[TLSRPT_TOO_MANY_URIS] = "too-many-uris",
	[TLSRPT_BAD_EXTENSION] = "bad-extension",
};
_Static_assert(sizeof(error_names) / sizeof(error_names[0]) ==
    TLSRPT_ERROR_COUNT, "error_names");

static const char *const error_texts[] = {
	[TLSRPT_OK] = "valid TLS-RPT record",
	[TLSRPT_NO_RECORD] = "no TXT record starting with \"v=TLSRPTv1\"",
	[TLSRPT_MULTIPLE] = "more than one \"v=TLSRPTv1\" record: senders ignore them all",
	[TLSRPT_BAD_RDATA] = "the TXT record data is malformed",
	[TLSRPT_BAD_DELIM] = "fields must be separated by \";\"",
	[TLSRPT_BAD_FIELD] = "a field is not of the form name=value",
	[TLSRPT_NO_RUA] = "the record has no \"rua=\" field",
	[TLSRPT_DUP_RUA] = "the record has more than one \"rua=\" field",
	[TLSRPT_EMPTY_URI] = "the rua list has an empty item",
	[TLSRPT_BAD_SCHEME] = "a report URI is neither mailto: nor https:",
	[TLSRPT_BAD_MAILTO] = "a mailto: URI has no valid address",
	[TLSRPT_BAD_HTTPS] = "an https: URI has no host",
	[TLSRPT_BAD_URI_CHAR] = "a report URI holds spaces, control or non-ASCII bytes, or is too long",
	[TLSRPT_TOO_MANY_URIS] = "more than 16 report URIs",
	[TLSRPT_BAD_EXTENSION] = "an extension field has an invalid name or value",
};
_Static_assert(sizeof(error_texts) / sizeof(error_texts[0]) ==
    TLSRPT_ERROR_COUNT, "error_texts");

const char *
tlsrpt_error_name(enum tlsrpt_error e)
{
	return (unsigned)e < TLSRPT_ERROR_COUNT ? error_names[e] : "?";
}

const char *
tlsrpt_error_text(enum tlsrpt_error e)
{
	return (unsigned)e < TLSRPT_ERROR_COUNT ? error_texts[e] : "?";
}

const char *
tlsrpt_scheme_name(enum tlsrpt_scheme s)
{
	return s == TLSRPT_HTTPS ? "https" : "mailto";
}
