/*
 * findings.h - what is wrong (or worth knowing), in words a mail
 * administrator can act on.
 *
 * A finding is a verdict derived from observations: probes never create
 * findings, findings_derive() reads a finished struct domain_result and
 * attaches them.  Every kind has a stable id (used in JSON, docs and by
 * anyone filtering results), a severity, a one-line title and advice on the
 * fix; the table in findings.c is the only place they are defined.
 */
#ifndef MAILTLS_FINDINGS_H
#define MAILTLS_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

enum severity {
	SEV_INFO,
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
	SEV_COUNT
};

enum finding_id {
	/* domain */
	F_DOMAIN_NXDOMAIN,
	F_DOMAIN_DNS_FAILURE,
	F_DOMAIN_DNS_TIMEOUT,
	F_DNSSEC_BOGUS,
	F_DNSSEC_UNSIGNED,
	F_NULL_MX,
	F_NULL_MX_MIXED,
	F_IMPLICIT_MX,
	F_NO_MX_HOSTS,
	F_TOO_MANY_MX,
	/* MX host */
	F_MX_IS_CNAME,
	F_MX_NO_ADDRESS,
	F_MX_ADDRESS_DNS_FAILURE,
	/* server address */
	F_ADDRESS_RESERVED,
	F_NO_STARTTLS,
	F_STARTTLS_REFUSED,
	F_TLS_HANDSHAKE_FAILED,
	F_STARTTLS_INJECTION,
	F_SMTP_PROTOCOL_ERROR,
	F_INCONCLUSIVE,
	F_EHLO_HELO_ONLY,
	F_TLS_VERSION_OLD,
	F_MODERN_CLIENT_REFUSES,
	F_DH_WEAK,
	F_NO_FORWARD_SECRECY,
	F_CIPHER_WEAK,
	F_CERT_EXPIRED,
	F_CERT_NOT_YET_VALID,
	F_CERT_EXPIRES_SOON,
	F_CERT_NAME_MISMATCH,
	F_CERT_SELF_SIGNED,
	F_CERT_UNTRUSTED,
	F_CERT_WEAK_KEY,
	F_CERT_SHA1,
	/* server address, from the enumeration (src/probe) */
	F_PROTO_SSL2,
	F_PROTO_SSL3,
	F_PROTO_TLS1_LEGACY,
	F_NO_TLS12,
	F_NO_TLS13,
	F_SUITES_EXPORT,
	F_SUITES_NULL,
	F_SUITES_RC4,
	F_SUITES_DES,
	F_SUITES_3DES,
	F_SUITES_ANON,
	F_SUITES_NO_FS,
	F_DH_COMMON_PRIME,
	F_NO_SECURE_RENEGOTIATION,
	F_COMPRESSION,
	F_NO_FALLBACK_SCSV,
	F_CLIENT_ORDER,
	F_PROBE_INCOMPLETE,
	/* server address, later additions */
	F_CERT_EXPIRES_14_DAYS,
	/* MX host: its addresses compared */
	F_ADDRESSES_DISAGREE,
	/* DANE (RFC 7672), per MX host */
	F_DANE_LOOKUP_FAILED,
	F_DANE_NO_MATCH,
	F_DANE_NO_TLS,
	F_DANE_UNUSABLE_RECORD,
	F_DANE_NO_USABLE,
	F_DANE_ROLLOVER,
	F_DANE_HOST_INSECURE,
	/* MTA-STS (RFC 8461), per domain and per MX host */
	F_MTASTS_LOOKUP_FAILED,
	F_MTASTS_RECORD_INVALID,
	F_MTASTS_FETCH_FAILED,
	F_MTASTS_POLICY_INVALID,
	F_MTASTS_TESTING,
	F_MTASTS_MODE_NONE,
	F_MTASTS_MAX_AGE_SHORT,
	F_MTASTS_MX_NOT_LISTED,
	F_MTASTS_MX_FAILS,
	F_MTASTS_BLOCKS_MAIL,
	/* TLS-RPT (RFC 8460) */
	F_TLSRPT_INVALID,
	F_TLSRPT_MISSING,
	/* authentication, the domain as a whole */
	F_NO_AUTHENTICATION,
	F_TLS_REQUIRED_BUT_MISSING,
	F_POLICY_LIST_MX_UNLISTED,
	F_COUNT
};

/* The MTAs a finding's fix is spelled out for (finding_kind.fix_mta). */
enum mta {
	MTA_POSTFIX,
	MTA_EXIM,
	MTA_SENDMAIL,
	MTA_OPENSMTPD,
	MTA_EXCHANGE,
	MTA_COUNT
};

#define FINDING_MAX_REFS 2

struct finding_kind {
	const char	*id;		/* stable, e.g. "no-starttls" */
	enum severity	 severity;
	const char	*title;		/* one line: what is wrong */
	const char	*advice;	/* what to do about it, MTA-neutral */
	/* The standards that say so (RFC/BCP URLs); NULL-padded. */
	const char	*refs[FINDING_MAX_REFS];
	/* The setting to change per MTA, where it differs; NULL: nothing
	 * specific (advice says it all). */
	const char	*fix_mta[MTA_COUNT];
};

/* mta_name - "postfix", "exim", "sendmail", "opensmtpd", "exchange". */
const char *mta_name(enum mta m);

struct finding {
	enum finding_id	 id;
	char		*detail;	/* the evidence: values seen (sanitised) */
};

struct findings {
	struct finding	*v;
	size_t		 n;
	size_t		 cap;
};

const struct finding_kind *finding_kind(enum finding_id id);
const char *severity_name(enum severity s);	/* "critical", ... */

/* findings_add - append id with a printf-style detail (may be NULL). */
void findings_add(struct findings *f, enum finding_id id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* findings_has - 1 if id was added to f. */
int findings_has(const struct findings *f, enum finding_id id);

void findings_free(struct findings *f);

struct domain_result;

/*
 * findings_derive - attach findings to d, its hosts and servers, judging
 * certificate dates against now (seconds since the epoch).
 */
void findings_derive(struct domain_result *d, int64_t now);

#endif
