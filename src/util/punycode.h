/*
 * punycode.h - RFC 3492 Punycode and the IDNA ToASCII step for domain lists.
 *
 * A domain list may hold internationalised names ("bücher.example"); DNS and
 * everything after dns_name_normalize() only know their A-label form
 * ("xn--bcher-kva.example").  idna_to_ascii() does that conversion without
 * libidn2, which is not among mailtls's dependencies:
 *
 *   - the input is checked to be strict UTF-8 (no overlong forms, no UTF-16
 *     surrogates, nothing above U+10FFFF, no truncated sequences);
 *   - labels are split at '.' and at the three other full stops IDNA treats
 *     as separators (U+3002, U+FF0E, U+FF61); one trailing separator (the
 *     root) is dropped;
 *   - ASCII letters are lower-cased; a label of ASCII only is otherwise
 *     copied as it is (host-name syntax is dns_name_normalize()'s job), except
 *     that a label starting with "xn--" must be a valid A-label: it must
 *     decode, contain a non-ASCII code point, pass the checks below, and
 *     encode back to itself;
 *   - a label with non-ASCII code points becomes "xn--" + Punycode.  Its
 *     ASCII characters must be letters, digits or hyphens, it must not start
 *     or end with a hyphen nor have "--" in its third and fourth positions
 *     (RFC 5891 4.2.3.1), and its code points must not be controls, spaces,
 *     format characters, private-use code points or noncharacters;
 *   - after conversion every label is at most 63 bytes and the name at most
 *     253 (DNS_LABEL_MAX, DNS_NAME_MAX).
 *
 * What it does NOT do: Unicode normalisation (NFC), case folding beyond
 * ASCII, UTS 46 mapping, or the IDNA2008 per-code-point (PVALID/CONTEXTJ/
 * bidi) tables.  Input must already be in the form registries publish: NFC,
 * lower case ("BÜCHER.example" gives an A-label of "bÜcher", which no
 * registry issues, so the name simply does not resolve).  Within those
 * limits it never produces a malformed A-label: every "xn--" label it
 * outputs decodes, and encodes back to the same bytes.
 *
 * Everything here is pure computation on caller buffers: no allocation,
 * no global state, safe from any thread.
 */
#ifndef MAILTLS_PUNYCODE_H
#define MAILTLS_PUNYCODE_H

#include <stddef.h>
#include <stdint.h>

/* The most code points a label of 63 bytes can hold. */
#define PUNYCODE_LABEL_CP_MAX 63

/*
 * punycode_encode - RFC 3492 section 6.3: encode the n code points cp[] into
 * out (outlen bytes, NUL-terminated), without the "xn--" prefix.  Basic code
 * points are copied as given (no case change), digits are lower case.
 * Returns the length written (excluding the NUL), or -1 when a code point is
 * not a Unicode scalar value (surrogate or > U+10FFFF), the arithmetic would
 * overflow, or out is too small (out then holds "" when outlen > 0).
 */
int punycode_encode(const uint32_t *cp, size_t n, char *out, size_t outlen);

/*
 * punycode_decode - RFC 3492 section 6.2: decode the len bytes of in (no
 * "xn--" prefix; digits in either case) into at most *n code points at cp.
 * On success returns 0 and sets *n to the number decoded.  Returns -1 when
 * in is not valid Punycode (a non-basic byte, a bad digit, a truncated
 * number, overflow), decodes to a surrogate or a code point above
 * U+10FFFF, or needs more than *n code points.
 */
int punycode_decode(const char *in, size_t len, uint32_t *cp, size_t *n);

/*
 * idna_to_ascii - convert the NUL-terminated UTF-8 name utf8_name to its
 * ASCII form (rules above) in out (outlen bytes; DNS_NAME_MAX + 1 always
 * suffices).  The result has no trailing dot; ASCII letters are lower case.
 * Returns 0 on success; -1 with a short English reason in err (errlen bytes,
 * may be 0/NULL) such as "invalid UTF-8 at byte 7", "empty label" or "label
 * longer than 63 bytes after IDNA conversion".
 */
int idna_to_ascii(const char *utf8_name, char *out, size_t outlen,
    char *err, size_t errlen);

/*
 * idna_to_unicode - the reverse for display: each "xn--" label of the ASCII
 * name ascii_name (as idna_to_ascii() outputs) is decoded to UTF-8, other
 * labels are copied.  out needs at most 4 * DNS_NAME_MAX + 1 bytes.
 * Returns 0, or -1 with a reason in err when an "xn--" label is not a valid
 * A-label by the rules above or out is too small.
 */
int idna_to_unicode(const char *ascii_name, char *out, size_t outlen,
    char *err, size_t errlen);

#endif
