/*
 * mtasts.h - MTA-STS (RFC 8461): the _mta-sts TXT record, the policy file,
 * MX patterns, and what a sender that enforces the policy would do.
 *
 * Pure functions over bytes already fetched: the TXT RRset comes from
 * dns_lookup() (src/dns), the policy body from mtasts_fetch (mtasts_fetch.h).
 * Nothing here does I/O, blocks or prints; every peer string kept is
 * sanitised.
 *
 * A domain's MTA-STS, the way a sender sees it (RFC 8461 3, 5):
 *
 *   1. TXT "_mta-sts.<domain>": mtasts_txt_parse_rrset().  Records not
 *      starting with "v=STSv1" are discarded; exactly one must remain and be
 *      valid, else the domain has no MTA-STS.
 *   2. HTTPS GET https://mta-sts.<domain>/.well-known/mta-sts.txt
 *      (mtasts_fetch.h); any failure: no MTA-STS (absent a cached policy).
 *   3. The body: mtasts_policy_parse().  Every error found is recorded
 *      (policy.errors), the first one with its line number.
 *   4. For each MX host: mtasts_mx_judge() with the facts of its TLS session
 *      (listed by a pattern, STARTTLS, PKIX-valid chain, name match).
 *   5. mtasts_auth_state() gives grade.h's enum mtasts_state of an address;
 *      mtasts_domain_judge() says whether enforce-mode senders deliver.
 *
 * Lifecycle: struct mtasts_policy owns its mx patterns; zero it (or
 * mtasts_policy_parse() fills it) and release with mtasts_policy_free().
 * struct mtasts_txt owns no memory.
 */
#ifndef MAILTLS_MTASTS_H
#define MAILTLS_MTASTS_H

#include <stddef.h>
#include <stdint.h>

#include "grade/grade.h"	/* enum mtasts_state, struct auth_facts */

struct dns_rr;

/* RFC 8461 3.2: a policy body larger than this is not a policy (our bound:
 * RFC 8461 10.2 asks senders to limit it; 64 KiB is what Postfix's
 * mta-sts-resolver and Google's sender use). */
#define MTASTS_POLICY_MAX	65536u
#define MTASTS_MAX_AGE_MAX	31557600u	/* about one year, in seconds */
#define MTASTS_ID_MAX		32
#define MTASTS_MX_MAX		64		/* patterns kept; more: an error */

/* --- the TXT record ------------------------------------------------------- */

enum mtasts_txt_error {
	MTASTS_TXT_OK,
	MTASTS_TXT_NO_RECORD,	/* no record starts with "v=STSv1" */
	MTASTS_TXT_MULTIPLE,	/* more than one does: no policy (3.1) */
	MTASTS_TXT_BAD_RDATA,	/* TXT RDATA malformed (or > 4 KiB) */
	MTASTS_TXT_BAD_DELIM,	/* fields not separated by *WSP ";" *WSP */
	MTASTS_TXT_BAD_FIELD,	/* a field without "=" or without a name */
	MTASTS_TXT_NO_ID,	/* no "id=" field */
	MTASTS_TXT_BAD_ID,	/* id not 1-32 letters and digits */
	MTASTS_TXT_DUP_ID,	/* "id=" twice: which one decides a re-fetch? */
	MTASTS_TXT_BAD_EXTENSION,	/* extension name or value off-grammar */
	MTASTS_TXT_ERROR_COUNT
};

struct mtasts_txt {
	enum mtasts_txt_error	 error;
	char			 id[MTASTS_ID_MAX + 1];	/* when OK */
	size_t			 n_extensions;	/* unknown fields, ignored */
	size_t			 n_sts;		/* records starting "v=STSv1" */
	size_t			 n_other;	/* other TXT records, discarded */
};

/*
 * mtasts_txt_parse - one record's text (n bytes, the character-strings
 * already joined; may hold NUL bytes) into out (overwritten).  Returns
 * out->error.  A record that does not start with "v=STSv1" gives
 * MTASTS_TXT_NO_RECORD.
 */
enum mtasts_txt_error mtasts_txt_parse(const char *rec, size_t n,
    struct mtasts_txt *out);

/*
 * mtasts_txt_parse_rrset - the whole TXT RRset of _mta-sts.<domain>, RDATA in
 * wire format as struct dns_answer gives it.  Discards the records that do
 * not start with "v=STSv1", then parses the only one left.  Returns
 * out->error (MTASTS_TXT_NO_RECORD for an empty set).
 */
enum mtasts_txt_error mtasts_txt_parse_rrset(const struct dns_rr *rrs,
    size_t count, struct mtasts_txt *out);

/* --- the policy file ------------------------------------------------------- */

enum mtasts_mode {
	MTASTS_MODE_UNKNOWN,	/* no valid "mode:" line */
	MTASTS_MODE_NONE,
	MTASTS_MODE_TESTING,
	MTASTS_MODE_ENFORCE,
	MTASTS_MODE_COUNT
};

/*
 * Every way a policy body can be wrong.  Each one makes the policy invalid
 * (a sender then acts as if the domain had no MTA-STS), except where noted.
 * Values are bit numbers of struct mtasts_policy.errors.
 */
enum mtasts_policy_error {
	MTASTS_POLICY_OK,
	MTASTS_POLICY_EMPTY,		/* no bytes, or only blank lines */
	MTASTS_POLICY_TOO_LARGE,	/* more than MTASTS_POLICY_MAX bytes */
	MTASTS_POLICY_BARE_CR,		/* CR not followed by LF */
	MTASTS_POLICY_BAD_LINE,		/* a line without "name:" */
	MTASTS_POLICY_BAD_KEY,		/* name not (ALPHA/DIGIT) *31(... _ - .) */
	MTASTS_POLICY_BAD_VALUE,	/* control bytes or an empty value */
	MTASTS_POLICY_NO_VERSION,
	MTASTS_POLICY_BAD_VERSION,	/* not exactly "STSv1" */
	MTASTS_POLICY_DUP_VERSION,
	MTASTS_POLICY_NO_MODE,
	MTASTS_POLICY_BAD_MODE,		/* not enforce, testing or none */
	MTASTS_POLICY_DUP_MODE,
	MTASTS_POLICY_NO_MAX_AGE,
	MTASTS_POLICY_BAD_MAX_AGE,	/* not 1-10 digits */
	MTASTS_POLICY_MAX_AGE_RANGE,	/* above 31557600 */
	MTASTS_POLICY_DUP_MAX_AGE,
	MTASTS_POLICY_NO_MX,		/* enforce or testing without "mx:" */
	MTASTS_POLICY_BAD_MX,		/* not ["*."] Domain (RFC 5321) */
	MTASTS_POLICY_TOO_MANY_MX,	/* more than MTASTS_MX_MAX */
	MTASTS_POLICY_ERROR_COUNT
};
_Static_assert(MTASTS_POLICY_ERROR_COUNT <= 32, "errors is a 32-bit mask");

struct mtasts_policy {
	uint32_t		 errors;	/* bit (1u << e) per error seen */
	enum mtasts_policy_error first_error;	/* OK: the policy is valid */
	unsigned		 first_error_line;	/* 1-based; 0: not a line's */
	int			 has_version;
	enum mtasts_mode	 mode;
	int			 has_max_age;
	uint32_t		 max_age;	/* seconds, when has_max_age */
	char			**mx;		/* lower case, no trailing dot */
	size_t			 n_mx;
	size_t			 n_extensions;	/* unknown keys, ignored */
	size_t			 n_blank_lines;	/* tolerated (not in the grammar) */
	int			 crlf;		/* some line ends with CRLF */
	int			 lf;		/* some line ends with a bare LF */
};

/*
 * mtasts_policy_parse - the body of mta-sts.txt (len bytes, not
 * NUL-terminated, CRLF or LF lines; unknown keys ignored) into out, which
 * is overwritten (call mtasts_policy_free() on an earlier content first).
 * Returns out->first_error (MTASTS_POLICY_OK, 0, when valid), or -1 when
 * out of memory (out is then zeroed).  A body over MTASTS_POLICY_MAX bytes
 * is not read at all: TOO_LARGE alone.
 */
int mtasts_policy_parse(const char *body, size_t len, struct mtasts_policy *out);

/* mtasts_policy_valid - 1 when the policy has no error. */
int mtasts_policy_valid(const struct mtasts_policy *p);

/* mtasts_policy_free - free what p owns; p is zeroed. NULL is fine. */
void mtasts_policy_free(struct mtasts_policy *p);

/* --- MX patterns (RFC 8461 4.1) ------------------------------------------- */

/*
 * mtasts_mx_pattern_valid - 1 when pattern is ["*."] Domain: letters,
 * digits, hyphens, labels of 1-63, no trailing dot, at most 253 bytes.
 */
int mtasts_mx_pattern_valid(const char *pattern);

/*
 * mtasts_mx_pattern_match - 1 when pattern covers host.  ASCII
 * case-insensitive; one trailing dot of host is ignored (MX targets come
 * with it).  "*.example.com" matches exactly one extra label:
 * "mx.example.com", not "example.com" nor "a.b.example.com".  Unlike
 * tls_name_match() (RFC 6125 for certificates), "*.com" is honoured: RFC
 * 8461 4.1 puts no floor on the labels after the wildcard.
 */
int mtasts_mx_pattern_match(const char *pattern, const char *host);

/* mtasts_policy_mx_match - index+1 of the first pattern of p covering
 * host, 0 if none. */
size_t mtasts_policy_mx_match(const struct mtasts_policy *p, const char *host);

/* --- verdicts ----------------------------------------------------------------- */

/* What the TLS session with one MX address showed (filled by the caller
 * from struct tls_facts / smtp facts). */
struct mtasts_mx_facts {
	const char	*host;		/* the MX host name, as in the MX record */
	int		 assessed;	/* 0: no conclusive session (timeout,
					   421...): nothing is known */
	int		 tls;		/* STARTTLS offered and handshake done */
	int		 pkix_valid;	/* chain verifies to the trust store
					   (tls_facts.verify_ok) */
	int		 name_match;	/* a certificate name covers host
					   (tls_facts.matched_name != NULL) */
};

enum mtasts_mx_verdict {
	MTASTS_MX_OK,		/* listed, TLS, valid chain naming the host */
	MTASTS_MX_NOT_LISTED,	/* no mx pattern covers the host */
	MTASTS_MX_NO_TLS,	/* no STARTTLS, or the handshake failed */
	MTASTS_MX_UNTRUSTED,	/* the chain does not verify */
	MTASTS_MX_NAME_MISMATCH,	/* valid chain, but not for this host */
	MTASTS_MX_UNKNOWN,	/* not assessed */
	MTASTS_MX_VERDICT_COUNT
};

/*
 * mtasts_mx_judge - would a sender applying policy p deliver to this
 * address (RFC 8461 5: pattern match, then STARTTLS with a PKIX-valid
 * certificate for the MX host, 4.2)?  The mode is not looked at: this is
 * what enforce would decide; testing reports the same failures.  p must be
 * valid.  A host not listed fails even before TLS is looked at.
 */
enum mtasts_mx_verdict mtasts_mx_judge(const struct mtasts_policy *p,
    const struct mtasts_mx_facts *f);

/* The domain's MTA-STS as a sender found it, before any MX is judged. */
enum mtasts_domain_state {
	MTASTS_DOMAIN_NOT_CHECKED,	/* TXT lookup failed / timed out */
	MTASTS_DOMAIN_NO_RECORD,	/* no (single, valid) STSv1 record */
	MTASTS_DOMAIN_FETCH_FAILED,	/* record, but no policy could be fetched */
	MTASTS_DOMAIN_INVALID_POLICY,	/* fetched, but not a valid policy */
	MTASTS_DOMAIN_POLICY,		/* a valid policy (any mode) */
	MTASTS_DOMAIN_STATE_COUNT
};

/*
 * mtasts_auth_state - grade.h's state of one address: NOT_CHECKED if the
 * domain was not checked or the address not assessed under enforce; NONE
 * without a usable policy or in mode none; TESTING in mode testing;
 * ENFORCE / ENFORCE_FAILS from v under enforce.  p is only read when d is
 * MTASTS_DOMAIN_POLICY.
 */
enum mtasts_state mtasts_auth_state(enum mtasts_domain_state d,
    const struct mtasts_policy *p, enum mtasts_mx_verdict v);

/* What enforce-mode senders do with the domain's mail. */
enum mtasts_delivery {
	MTASTS_DELIVERY_ALL,	/* every MX address passes */
	MTASTS_DELIVERY_SOME,	/* some fail; senders skip them (RFC 8461 5) */
	MTASTS_DELIVERY_NONE,	/* none passes: enforce senders defer mail */
	MTASTS_DELIVERY_UNKNOWN,	/* none passes, some not assessed */
	MTASTS_DELIVERY_COUNT
};

/* mtasts_domain_judge - from the verdicts of every MX address (n >= 0;
 * n == 0 gives NONE: nothing to deliver to). */
enum mtasts_delivery mtasts_domain_judge(const enum mtasts_mx_verdict *v,
    size_t n);

/* --- names ------------------------------------------------------------------- */

/* Stable ids for findings and JSON ("no-record", "bad-id", ...). */
const char *mtasts_txt_error_name(enum mtasts_txt_error e);
const char *mtasts_policy_error_name(enum mtasts_policy_error e);
const char *mtasts_mode_name(enum mtasts_mode m);	/* "enforce", ... */
const char *mtasts_mx_verdict_name(enum mtasts_mx_verdict v);
const char *mtasts_domain_state_name(enum mtasts_domain_state s);
const char *mtasts_delivery_name(enum mtasts_delivery d);

/* One sentence in plain words, for the reports. */
const char *mtasts_txt_error_text(enum mtasts_txt_error e);
const char *mtasts_policy_error_text(enum mtasts_policy_error e);
const char *mtasts_mx_verdict_text(enum mtasts_mx_verdict v);

#endif
