/*
 * dane.h - DANE for SMTP (RFC 7672): TLSA records, their lookup rules, and
 * matching them against the chain a server presented.
 *
 * Three pieces, none of which does I/O or blocks:
 *
 *   1. Records.  dane_tlsa_parse() reads one TLSA RDATA (RFC 6698 2.1) and
 *      judges it for SMTP: DANE-TA(2) and DANE-EE(3) with a known selector
 *      and matching type and a well-formed association are usable; PKIX-TA(0)
 *      and PKIX-EE(1) are unusable for SMTP (RFC 7672 3.1.3), so are unknown
 *      parameters, wrong digest lengths and full data that does not parse.
 *
 *   2. Lookup rules (RFC 7672 2.2), per MX host, as a function of the DNS
 *      answers: the caller does the lookups with dns_resolver.
 *
 *          dane_host_init(h, host, mx_dnssec, addr_dnssec, addr_canonname);
 *          while ((q = dane_host_next_query(h)) != NULL)
 *                  ... dns_lookup(r, q, DNS_RR_TLSA, ...) ...
 *                  ... in the callback: dane_host_on_answer(h, answer);
 *          h->state is final
 *
 *      Only a secure TLSA RRset counts.  An insecure MX RRset or insecure
 *      address records mean no TLSA lookup at all (DANE does not apply); a
 *      bogus or failed TLSA lookup is a hard failure (DANE senders defer
 *      mail); an insecure TLSA RRset, or a secure denial, means "no DANE"
 *      at that name and the next candidate base domain is tried (2.2.3:
 *      first the CNAME-expanded host name, then the original MX name).
 *
 *   3. Matching, per address: dane_addr_match() checks the usable records
 *      of a host against the DER chain the server sent (leaf first), with
 *      OpenSSL's DANE verifier, as a DANE sender would, and for each record
 *      on its own (which records matched).  Rollover readiness comes out of
 *      the same pass (enum dane_rollover).  dane_auth_fill() turns a host's
 *      and an address's results into grade.h's struct auth_facts.dane.
 *
 * Ownership: every struct here owns its strings and arrays; free with the
 * matching *_free(), which also accepts a zeroed struct.  Nothing refers to
 * OpenSSL objects or DNS answers after a call returns.  Not thread-safe per
 * object; distinct objects may be used from distinct threads.
 */
#ifndef MAILTLS_DANE_H
#define MAILTLS_DANE_H

#include <stddef.h>
#include <stdint.h>

#include "dns/dns_resolver.h"
#include "grade/grade.h"

struct ssl_st;

/* RFC 7672 3.1: SMTP over MX uses port 25, whatever port mailtls probes. */
#define DANE_SMTP_PORT		25
/* "_25._tcp." + a 253-byte name + NUL, with room to spare. */
#define DANE_QNAME_MAX		300
/* A leaf matched only by DANE-EE that expires within this many days is
 * about to be replaced: see DANE_ROLL_EXPIRES_SOON. */
#define DANE_ROLLOVER_SOON_DAYS	30

/* --- 1. records ------------------------------------------------------------ */

/* Certificate usages (RFC 6698 2.1.1, names from RFC 7218). */
enum tlsa_usage {
	TLSA_USAGE_PKIX_TA = 0,
	TLSA_USAGE_PKIX_EE = 1,
	TLSA_USAGE_DANE_TA = 2,
	TLSA_USAGE_DANE_EE = 3
};

enum tlsa_selector { TLSA_SELECTOR_CERT = 0, TLSA_SELECTOR_SPKI = 1 };
enum tlsa_mtype { TLSA_MTYPE_FULL = 0, TLSA_MTYPE_SHA256 = 1, TLSA_MTYPE_SHA512 = 2 };

/* The verdict on one record, most fundamental problem first. */
enum tlsa_status {
	TLSA_USABLE,		/* DANE-TA(2) or DANE-EE(3), well formed */
	TLSA_MALFORMED,		/* RDATA shorter than 4 bytes (no data) */
	TLSA_UNKNOWN_USAGE,	/* usage 4-255 */
	TLSA_UNKNOWN_SELECTOR,	/* selector 2-255 */
	TLSA_UNKNOWN_MTYPE,	/* matching type 3-255 */
	TLSA_BAD_LENGTH,	/* SHA2-256 data not 32 bytes, SHA2-512 not 64 */
	TLSA_BAD_FULL_DATA,	/* matching type 0: not a DER certificate
				   (selector 0) or SubjectPublicKeyInfo (1) */
	TLSA_PKIX_UNUSABLE,	/* PKIX-TA(0)/PKIX-EE(1): unusable for SMTP
				   (RFC 7672 3.1.3) */
	TLSA_STATUS_COUNT
};

struct tlsa_record {
	uint8_t		 usage;		/* as published, even when unknown */
	uint8_t		 selector;
	uint8_t		 mtype;
	uint8_t		*data;		/* certificate association data */
	size_t		 len;
	enum tlsa_status status;
};

/*
 * dane_tlsa_parse - parse and judge one TLSA RDATA (wire format, RFC 6698
 * 2.1) into out, which is overwritten.  A malformed record still gives
 * out->status (TLSA_MALFORMED: usage/selector/mtype are whatever bytes were
 * there, data NULL).  Returns 0, or -1 when out of memory (out zeroed).
 * Free out with dane_tlsa_free().
 */
int dane_tlsa_parse(const uint8_t *rdata, size_t len, struct tlsa_record *out);

void dane_tlsa_free(struct tlsa_record *r);

/* dane_tlsa_usable - status == TLSA_USABLE. */
int dane_tlsa_usable(const struct tlsa_record *r);

/*
 * dane_tlsa_text - "3 1 1 <hex>" into buf (always terminated, truncated
 * with "..." if needed).  Returns buf.
 */
char *dane_tlsa_text(const struct tlsa_record *r, char *buf, size_t len);

/* "usable", "malformed", "unknown-usage", ..., "pkix-unusable". */
const char *tlsa_status_name(enum tlsa_status s);
/* One sentence for reports: "PKIX-EE(1) is unusable for SMTP (RFC 7672 3.1.3)". */
const char *tlsa_status_text(enum tlsa_status s);
/* "PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE", or NULL when unknown. */
const char *tlsa_usage_name(unsigned usage);

/*
 * dane_tlsa_qname - "_25._tcp.<host>" into out (DANE_QNAME_MAX bytes); a
 * trailing dot on host is dropped.  0, or -1 if host is empty or too long.
 */
int dane_tlsa_qname(const char *host, char *out, size_t outlen);

/* --- 2. the lookup, per MX host -------------------------------------------- */

enum dane_host_state {
	DANE_HOST_PENDING,		/* more TLSA lookups to make */
	DANE_HOST_NOT_APPLICABLE,	/* MX or address records not secure:
					   no TLSA lookup (see why) */
	DANE_HOST_NO_TLSA,		/* no secure TLSA RRset at any base */
	DANE_HOST_TLSA,			/* a secure TLSA RRset: records */
	DANE_HOST_LOOKUP_FAILED,	/* bogus, or the lookup failed: DANE
					   senders defer mail (RFC 7672 2.2) */
	DANE_HOST_STATE_COUNT
};

/* Why the state is what it is, for reports. */
enum dane_why {
	DANE_WHY_NONE,			/* PENDING, or TLSA found */
	DANE_WHY_MX_INSECURE,		/* MX RRset unsigned (RFC 7672 2.2.1) */
	DANE_WHY_MX_FAILED,		/* MX lookup bogus or failed */
	DANE_WHY_ADDR_INSECURE,		/* A/AAAA unsigned (2.2.2, 2.2.3) */
	DANE_WHY_ADDR_FAILED,		/* A/AAAA bogus or failed */
	DANE_WHY_TLSA_INSECURE,		/* TLSA answer not signed */
	DANE_WHY_TLSA_ABSENT,		/* secure NODATA/NXDOMAIN */
	DANE_WHY_TLSA_BOGUS,		/* TLSA answer failed validation */
	DANE_WHY_TLSA_FAILED,		/* SERVFAIL, timeout, refused, error */
	DANE_WHY_TLSA_EMPTY,		/* "secure" data with no records */
	DANE_WHY_COUNT
};

/* One TLSA lookup made, kept for the report. */
struct dane_query {
	char			*qname;		/* "_25._tcp.mx.example" */
	enum dns_outcome	 outcome;
	enum dnssec_state	 dnssec;
	char			*canonname;	/* the TLSA name was a CNAME */
	char			*why_bogus;
};

struct dane_host_result {
	char			*host;		/* the MX host name */
	enum dane_host_state	 state;
	enum dane_why		 why;
	char			*candidates[2];	/* TLSA base domains, in order */
	size_t			 n_candidates;
	char			 next_qname[DANE_QNAME_MAX];	/* PENDING */
	struct dane_query	 queries[2];	/* made so far, in order */
	size_t			 n_queries;
	char			*tlsa_base;	/* base domain whose RRset counts */
	struct tlsa_record	*records;	/* DANE_HOST_TLSA: the RRset */
	size_t			 n_records;
	size_t			 n_usable;
	/* dane_host_summarise(): */
	size_t			 addresses;	/* addresses judged */
	size_t			 addresses_valid;	/* a usable record matched */
	unsigned		 rollover;	/* union of DANE_ROLL_* */
};

/*
 * dane_addr_dnssec - the security of a host's address records, from its A
 * and AAAA lookups: bogus if either is bogus; indeterminate if neither
 * answered (OK, NODATA or NXDOMAIN); insecure if an answer is; else secure.
 */
enum dnssec_state dane_addr_dnssec(enum dns_outcome a_outcome,
    enum dnssec_state a_dnssec, enum dns_outcome aaaa_outcome,
    enum dnssec_state aaaa_dnssec);

/*
 * dane_host_init - start host's DANE assessment (h is overwritten).
 * mx_dnssec: the MX RRset (for an implicit MX: the MX lookup's secure
 * denial); addr_dnssec: dane_addr_dnssec() of the host's address lookups;
 * addr_canonname: the CNAME target the address lookup reported, or NULL.
 * Decides at once when no lookup is due.  0, or -1 when out of memory.
 */
int dane_host_init(struct dane_host_result *h, const char *host,
    enum dnssec_state mx_dnssec, enum dnssec_state addr_dnssec,
    const char *addr_canonname);

/*
 * dane_host_next_query - the name to look up (type TLSA) next, or NULL when
 * h->state is final.  Valid until the next call on h.
 */
const char *dane_host_next_query(const struct dane_host_result *h);

/*
 * dane_host_on_answer - feed the answer to the query of
 * dane_host_next_query() (a->qname is not compared).  Parses the records
 * of a secure RRset.  0, or -1 when out of memory (state LOOKUP_FAILED).
 */
int dane_host_on_answer(struct dane_host_result *h, const struct dns_answer *a);

void dane_host_free(struct dane_host_result *h);

const char *dane_host_state_name(enum dane_host_state s);	/* "tlsa", ... */
const char *dane_why_text(enum dane_why w);	/* one phrase, "" for NONE */

/* --- 3. matching, per address ---------------------------------------------- */

/* A certificate as the server sent it. */
struct dane_cert {
	uint8_t		*der;
	size_t		 len;
};

/* The chain as sent, leaf first. */
struct dane_chain {
	struct dane_cert *certs;
	size_t		  n;
};

/*
 * dane_chain_from_ssl - copy the DER chain the peer of ssl presented (after
 * a handshake; leaf first) into out (overwritten).  tls_facts keeps no DER,
 * so the caller does this before the SSL object goes.  0, or -1 when out of
 * memory or no certificate was sent (out empty).
 */
int dane_chain_from_ssl(struct ssl_st *ssl, struct dane_chain *out);

/* dane_chain_add - append a copy of der.  0 or -1 (out of memory). */
int dane_chain_add(struct dane_chain *c, const uint8_t *der, size_t len);

void dane_chain_free(struct dane_chain *c);

/* One record against one chain, judged alone. */
enum dane_match {
	DANE_MATCH_NOT_TRIED,		/* record not usable */
	DANE_MATCH_YES,			/* authenticates the server */
	DANE_MATCH_NO,			/* matches no certificate */
	DANE_MATCH_NAME_MISMATCH,	/* DANE-TA: the TA is in the chain but
					   the leaf does not name the host
					   (RFC 7672 3.2.2, 3.2.3) */
	DANE_MATCH_CHAIN_INVALID,	/* DANE-TA: the TA is in the chain, but
					   the chain to it fails (expired,
					   bad signature, ...) */
	DANE_MATCH_COUNT
};

enum dane_addr_state {
	DANE_ADDR_NOT_APPLICABLE,	/* the host has no TLSA RRset */
	DANE_ADDR_NO_USABLE,		/* TLSA, none usable: TLS mandatory,
					   not authenticated (RFC 7672 2.2) */
	DANE_ADDR_VALID,		/* a usable record matched */
	DANE_ADDR_NO_MATCH,		/* usable records, none matched */
	DANE_ADDR_NO_TLS,		/* TLSA, but no TLS session (no
					   STARTTLS, failed handshake) */
	DANE_ADDR_STATE_COUNT
};

/* Rollover readiness facts (bits of dane_addr_result.rollover). */
#define DANE_ROLL_SINGLE_RECORD	0x01u	/* only one usable record */
#define DANE_ROLL_NO_NEXT	0x02u	/* authenticated only by DANE-EE
					   records of the current leaf: no
					   record for a next key or issuer */
#define DANE_ROLL_EE_CERT_ONLY	0x04u	/* only DANE-EE(3) 0 x records
					   (whole certificate) matched: even a
					   same-key renewal breaks DANE */
#define DANE_ROLL_EXPIRES_SOON	0x08u	/* with NO_NEXT: the leaf expires
					   within DANE_ROLLOVER_SOON_DAYS, so
					   its replacement is due */

struct dane_addr_result {
	enum dane_addr_state	 state;
	enum dane_match		*matches;	/* one per host record */
	int			*depths;	/* chain depth that matched, -1 */
	size_t			 n;		/* = host's n_records */
	size_t			 n_matched;	/* records with DANE_MATCH_YES */
	int			 match_depth;	/* the sender's view (all usable
						   records at once): depth, -1 */
	char			*verify_error;	/* OpenSSL's reason when not
						   VALID, or NULL */
	unsigned		 rollover;	/* DANE_ROLL_* */
};

/*
 * dane_addr_match - judge one address of host h (h->state final) against
 * chain (NULL or empty: no TLS session was made).  Reference identifiers
 * for DANE-TA are the TLSA base domain, the MX host name and its CNAME
 * expansion (RFC 7672 3.2.2); DANE-EE ignores names and dates (3.1.1).
 * Verification time is now.  out is overwritten.  0, or -1 when out of memory or OpenSSL fails
 * (out zeroed).
 */
int dane_addr_match(const struct dane_host_result *h,
    const struct dane_chain *chain, struct dane_addr_result *out);

void dane_addr_free(struct dane_addr_result *a);

/*
 * dane_host_summarise - fill h->addresses, addresses_valid and rollover
 * from the results of h's addresses.
 */
void dane_host_summarise(struct dane_host_result *h,
    const struct dane_addr_result *const *addrs, size_t n);

/*
 * dane_auth_fill - set auth->dane (only that field) for one address:
 *   host NOT_APPLICABLE or NO_TLSA            DANE_NONE
 *   host LOOKUP_FAILED                        DANE_LOOKUP_FAILED
 *   TLSA, none usable, TLS made               DANE_NO_USABLE
 *   TLSA, none usable, no TLS                 DANE_FAILS (TLS is mandatory)
 *   usable, a record matched                  DANE_VALID
 *   usable, no match or no TLS                DANE_FAILS
 * a may be NULL when the host decides alone (no TLSA, failure); with
 * usable records and a == NULL (an inconclusive address) nothing is set,
 * nor while h is PENDING.
 */
void dane_auth_fill(const struct dane_host_result *h,
    const struct dane_addr_result *a, struct auth_facts *auth);

const char *dane_match_name(enum dane_match m);	/* "match", "no-match", ... */
const char *dane_addr_state_name(enum dane_addr_state s);
/* dane_rollover_text - the set bits as "single-record, no-next", into buf. */
char *dane_rollover_text(unsigned rollover, char *buf, size_t len);

#endif
