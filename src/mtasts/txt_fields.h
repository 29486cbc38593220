/*
 * txt_fields.h - the tag=value TXT records of MTA-STS (RFC 8461 3.1) and
 * TLS-RPT (RFC 8460 3), shared by mtasts.c and tlsrpt.c (private to
 * src/mtasts: not part of the module's public contract).
 *
 * Both RFCs use the same shape:
 *
 *   record      = version 1*(field-delim field) [field-delim]
 *   field-delim = *WSP ";" *WSP
 *   ext-name    = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 *   ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)
 *
 * Nothing here allocates or does I/O.
 */
#ifndef MAILTLS_MTASTS_TXT_FIELDS_H
#define MAILTLS_MTASTS_TXT_FIELDS_H

#include <stddef.h>
#include <stdint.h>

/*
 * txt_rdata_join - the character-strings of one TXT RDATA (wire format),
 * concatenated (RFC 7208 3.3 practice, which RFC 8461 3.1 and RFC 8460 3
 * rely on) into out (outlen bytes, NUL-terminated).  *n gets the length,
 * which may be shorter than strlen() if the record holds a NUL byte.
 * Returns 0, or -1 if the RDATA is malformed or does not fit.
 */
int txt_rdata_join(const uint8_t *rdata, size_t len, char *out,
    size_t outlen, size_t *n);

/*
 * txt_has_version - 1 when rec (n bytes) starts with the version tag ver
 * ("v=STSv1") followed by the end, ';' or WSP: the records both RFCs keep
 * when they discard "records that do not begin with" the version.
 */
int txt_has_version(const char *rec, size_t n, const char *ver);

/* One field of a record, as pointers into it (not NUL-terminated). */
struct txt_field {
	const char	*name;
	size_t		 name_len;
	const char	*value;
	size_t		 value_len;
};

enum txt_next {
	TXT_FIELD,	/* *f holds the next field */
	TXT_END,	/* no more fields */
	TXT_BAD_DELIM,	/* something other than *WSP ";" *WSP between fields */
	TXT_BAD_FIELD,	/* no "=", or an empty name */
};

/*
 * txt_next_field - the field after *pos in rec (n bytes).  Call first with
 * *pos just after the version tag; *pos advances.  The value is every byte
 * up to the next ';', less trailing WSP (TLS-RPT's rua list may hold WSP
 * around its commas); the caller checks it (txt_ext_value_ok()).
 */
enum txt_next txt_next_field(const char *rec, size_t n, size_t *pos,
    struct txt_field *f);

/* txt_ext_name_ok - 1 when the name matches ext-name above. */
int txt_ext_name_ok(const char *s, size_t n);

/* txt_ext_value_ok - 1 when the value matches ext-value above. */
int txt_ext_value_ok(const char *s, size_t n);

/* txt_field_is - 1 when f's name is exactly name (case-sensitive: %s""). */
int txt_field_is(const struct txt_field *f, const char *name);

#endif
