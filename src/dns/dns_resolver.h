/*
 * dns_resolver.h - asynchronous, DNSSEC-validating lookups on the event loop.
 *
 * A thin layer over libunbound (see unbound.h): one resolver per process,
 * bound to the caller's libevent base by watching ub_fd() and calling
 * ub_process() when it is readable.  Validation always happens here, in
 * mailtls, against the trust anchor we were given, even when queries are
 * forwarded to another resolver: a forwarder's AD bit proves nothing.
 *
 * Lifecycle: dns_resolver_new() -> dns_lookup() any number of times ->
 * callbacks run from the event loop -> dns_resolver_free() (pending lookups
 * are cancelled without their callbacks running).
 *
 * Every lookup has its own deadline; when it passes, the query is cancelled
 * and the callback gets DNS_TIMEOUT.  Exactly one callback per lookup unless
 * it was cancelled with dns_lookup_cancel().
 */
#ifndef MAILTLS_DNS_RESOLVER_H
#define MAILTLS_DNS_RESOLVER_H

#include <stddef.h>
#include <stdint.h>

struct event_base;

enum dns_outcome {
	DNS_OK,			/* records of the asked type */
	DNS_NODATA,		/* the name exists, no records of that type */
	DNS_NXDOMAIN,		/* the name does not exist */
	DNS_SERVFAIL,		/* the resolver failed (also: DNSSEC bogus) */
	DNS_REFUSED,		/* the resolver refused to answer */
	DNS_TIMEOUT,		/* no answer before the deadline */
	DNS_ERROR,		/* local failure or another rcode; see error */
	DNS_OUTCOME_COUNT
};

/* The validation state, as Unbound defines it (struct ub_result). */
enum dnssec_state {
	DNSSEC_INDETERMINATE,	/* no conclusion: lookup failed or timed out */
	DNSSEC_SECURE,		/* signed chain from the trust anchor verified */
	DNSSEC_INSECURE,	/* provably unsigned (or outside every anchor) */
	DNSSEC_BOGUS,		/* signatures present but failed to verify */
	DNSSEC_STATE_COUNT
};

struct dns_rr {
	uint8_t	*rdata;		/* wire format, names uncompressed */
	size_t	 len;
};

/* Valid only during the callback; copy what you keep. */
struct dns_answer {
	const char		*qname;
	int			 qtype;
	enum dns_outcome	 outcome;
	enum dnssec_state	 dnssec;
	int			 rcode;
	const char		*why_bogus;	/* sanitised, or NULL */
	const char		*canonname;	/* target of a CNAME chain, or NULL */
	const char		*error;		/* for DNS_ERROR, or NULL */
	size_t			 count;
	const struct dns_rr	*rrs;
};

struct dns_config {
	const char	*forwarder;	/* "IP" or "IP@PORT"; NULL: /etc/resolv.conf */
	const char	*trust_anchor;	/* file of DS/DNSKEY; NULL: the root key */
};

#define DNS_RR_A	1
#define DNS_RR_CNAME	5
#define DNS_RR_MX	15
#define DNS_RR_TXT	16
#define DNS_RR_AAAA	28
#define DNS_RR_TLSA	52

typedef void dns_callback(void *arg, const struct dns_answer *answer);

struct dns_resolver;
struct dns_lookup;

/*
 * dns_resolver_new - a resolver on base.  On failure returns NULL and writes
 * one line of explanation into err (errlen bytes).
 */
struct dns_resolver *dns_resolver_new(struct event_base *base,
    const struct dns_config *config, char *err, size_t errlen);

/*
 * dns_lookup - start looking up name/rrtype; cb runs from the event loop
 * (never from inside this call).  timeout_ms bounds the whole lookup.
 * Returns a handle for dns_lookup_cancel(), valid until cb has run, or NULL
 * if the lookup could not be started (out of memory).
 */
struct dns_lookup *dns_lookup(struct dns_resolver *r, const char *name,
    int rrtype, unsigned timeout_ms, dns_callback *cb, void *arg);

/* dns_lookup_cancel - cb will not run; the handle is freed. */
void dns_lookup_cancel(struct dns_lookup *l);

void dns_resolver_free(struct dns_resolver *r);

const char *dns_outcome_name(enum dns_outcome o);	/* "nxdomain", ... */
const char *dnssec_state_name(enum dnssec_state s);	/* "secure", ... */

#endif
