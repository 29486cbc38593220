/*
 * auth.h - judge a finished check's addresses against DANE (RFC 7672) and
 * MTA-STS (RFC 8461): what a sender that insists on authenticated TLS
 * would do with each address of each MX host of this domain.
 *
 * check.c gathers the facts (TLSA RRsets per MX host, the domain's MTA-STS
 * policy, one TLS session per address with the chain as sent); auth_judge()
 * turns them into host_result.views[] (DANE match, MTA-STS verdict, the
 * auth_facts the grade reads) and the domain's MTA-STS delivery verdict.
 * It runs once, when every lookup and session is done, before
 * findings_derive() and grade_derive().  No I/O.
 */
#ifndef MAILTLS_AUTH_H
#define MAILTLS_AUTH_H

#include "check/result.h"

/*
 * auth_session_conclusive - 1 when s's SMTP session says what a sender
 * would get (TLS, or a definite lack of it); 0 for timeouts, 421s,
 * unreachable and untested addresses, about which DANE and MTA-STS say
 * nothing yet.
 */
int auth_session_conclusive(const struct server_result *s);

/*
 * auth_judge - fill every view of d from the hosts' DANE lookups (skipped
 * for a host whose lookup never ran: dane.state PENDING) and d->mtasts
 * (skipped unless checked).  0, or -1 when out of memory (the views judged
 * so far stay; the others keep "not checked").
 */
int auth_judge(struct domain_result *d);

/*
 * auth_tls_required_by - what makes TLS mandatory for senders to MX host h
 * of d, in words ("DANE (TLSA records)", "MTA-STS (enforce)", "the
 * --policy-file list"), or NULL when nothing does.  A TLSA RRset, usable
 * or not, makes TLS mandatory (RFC 7672 2.2).
 */
const char *auth_tls_required_by(const struct domain_result *d,
    const struct host_result *h);

/* --- verdicts for people: "senders that support X will (not) deliver" --- */

enum auth_delivery {
	AUTH_DELIVERY_NOT_APPLICABLE,	/* the mechanism is not in use */
	AUTH_DELIVERY_AUTHENTICATED,	/* every MX address passes */
	AUTH_DELIVERY_PARTIAL,		/* some addresses fail: senders skip
					   them and deliver to the others */
	AUTH_DELIVERY_UNAUTHENTICATED,	/* delivered, not authenticated
					   (MTA-STS testing, unusable TLSA) */
	AUTH_DELIVERY_DEFERRED,		/* senders defer all mail */
	AUTH_DELIVERY_UNKNOWN,		/* not checked, or inconclusive */
	AUTH_DELIVERY_COUNT
};

#define AUTH_VERDICT_TEXT_MAX 512

struct auth_verdict {
	enum auth_delivery	 delivery;
	char			 text[AUTH_VERDICT_TEXT_MAX];	/* one sentence */
};

/* auth_dane_verdict - what DANE senders (RFC 7672) do with d's mail. */
void auth_dane_verdict(const struct domain_result *d, struct auth_verdict *out);

/* auth_mtasts_verdict - what MTA-STS senders (RFC 8461) do with d's mail. */
void auth_mtasts_verdict(const struct domain_result *d,
    struct auth_verdict *out);

/* "not-applicable", "authenticated", "partial", ... */
const char *auth_delivery_name(enum auth_delivery a);

#endif
