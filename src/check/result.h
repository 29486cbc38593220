/*
 * result.h - the result model: everything `check` learned about a domain.
 *
 *   domain_result            the domain, its MX lookup, MTA-STS, TLS-RPT,
 *                            domain findings
 *     host_result[]          each MX host (preference order), its A/AAAA,
 *                            its TLSA lookup (DANE)
 *       server_result*[]     each address: SMTP facts, TLS facts, findings
 *       address_view[]       the same addresses as this domain sees them:
 *                            DANE and MTA-STS verdicts, and the grade
 *
 * Why two arrays per host: under `scan` a server_result is shared by every
 * domain whose MX reaches the same (address, port, host name), and holds
 * only what the server itself showed.  DANE depends on the domain's MX
 * DNSSEC status and MTA-STS on the domain's policy, so the verdicts and the
 * grade they lead to belong to the domain: views[i] judges servers[i].
 *
 * Probes fill it, findings_derive() judges it, grade_derive() grades it
 * (src/grade), report_text and report_json print it, the store will save
 * it.  Nobody prints from inside the probes.
 * Every string in it is owned by it and sanitised.
 */
#ifndef MAILTLS_RESULT_H
#define MAILTLS_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "check/findings.h"
#include "dane/dane.h"
#include "dns/dns_resolver.h"
#include "grade/grade.h"
#include "mtasts/mtasts.h"
#include "mtasts/mtasts_fetch.h"
#include "mtasts/tlsrpt.h"
#include "probe/probe.h"
#include "smtp/smtp_session.h"
#include "tls/tls_client.h"
#include "util/netaddr.h"

/* The outcome of one DNS lookup, kept after the answer is gone. */
struct dns_status {
	int			 done;		/* the lookup was made */
	enum dns_outcome	 outcome;
	enum dnssec_state	 dnssec;
	char			*why_bogus;
	char			*canonname;	/* CNAME target, or NULL */
	char			*error;
};

/*
 * One address's assessment.  Under `scan` one server_result is shared by
 * every domain whose MX reaches the same (address, port, host name)
 * (src/check/server_pool.h): refs counts the holders beyond the first, so a
 * result made with calloc() has one owner and refs == 0.  Holders let go
 * with server_result_release(), never free().
 */
struct server_result {
	unsigned		 refs;		/* extra holders; see above */
	int			 derived;	/* findings_derive() has filled
						   findings (once per result) */
	struct netaddr		 addr;
	char			 addr_text[NETADDR_TEXT_MAX];
	const char		*reserved;	/* static text, or NULL */
	struct smtp_facts	 smtp;
	struct tls_facts	 tls;
	struct probe_result	 probe;		/* enumeration; .done = 0 if none */
	struct findings		 findings;
};

/*
 * One address as one domain sees it (see the top of the file).  Filled at
 * the end of a check, after every lookup and session is done.
 */
struct address_view {
	struct auth_facts	 auth;		/* zero: not checked */
	struct dane_addr_result	 dane;		/* host has TLSA: the match */
	enum mtasts_mx_verdict	 mtasts;	/* valid policy: the verdict,
						   else MTASTS_MX_UNKNOWN */
	struct grade		 grade;		/* grade_derive(); owns no memory */
};

struct host_result {
	char			*name;
	int			 preference;	/* -1 for an implicit MX */
	struct dns_status	 a;
	struct dns_status	 aaaa;
	struct server_result	**servers;
	struct address_view	*views;		/* n_servers of them: added with
						   host_result_add_server() */
	size_t			 n_servers;
	struct dane_host_result	 dane;		/* host.dane.state PENDING: not
						   looked up (no DANE check) */
	int			 policy_unlisted;	/* the --policy-file entry
						   of the domain has mxs, and
						   none matches this host */
	struct findings		 findings;
};

/* The domain's MTA-STS (RFC 8461), as a sender would find it. */
struct mtasts_result {
	int			 checked;	/* the TXT lookup was made */
	struct dns_status	 txt;		/* _mta-sts.<domain> TXT */
	struct mtasts_txt	 record;
	enum mtasts_domain_state state;
	/* The fetch (made when the TXT record is valid): */
	int			 fetched;
	enum mtasts_fetch_error	 fetch_error;
	char			*fetch_error_text;
	char			*url;
	long			 http_status;
	char			*content_type;
	char			*location;	/* of a redirect */
	char			*peer;
	unsigned		 fetch_ms;
	struct mtasts_policy	 policy;	/* FETCH_OK: the parsed body */
	enum mtasts_delivery	 delivery;	/* valid policy: enforce senders */
};

/* The domain's TLS-RPT record (RFC 8460). */
struct tlsrpt_result {
	int			 checked;
	struct dns_status	 txt;		/* _smtp._tls.<domain> TXT */
	struct tlsrpt_record	 record;
};

struct domain_result {
	char			*name;
	uint16_t		 port;
	int64_t			 started;	/* epoch seconds */
	unsigned		 elapsed_ms;
	struct dns_status	 mx;
	int			 null_mx;	/* "MX 0 ." alone: no mail */
	size_t			 null_mx_mixed;	/* "." beside other MX records */
	int			 implicit_mx;
	struct host_result	*hosts;
	size_t			 n_hosts;
	size_t			 mx_ignored;	/* beyond the host limit */
	struct mtasts_result	 mtasts;
	struct tlsrpt_result	 tlsrpt;
	int			 policy_listed;	/* in the --policy-file list */
	int			 policy_enforce;	/* ... in mode enforce:
						   TLS required */
	struct findings		 findings;
	struct domain_grade	 grade;		/* grade_derive(); owns no memory */
};

void dns_status_free(struct dns_status *st);

/*
 * host_result_add_server - append s (the caller's reference passes to h)
 * and its view (auth not checked, no grade).  0, or -1 when out of memory
 * (h unchanged, s still the caller's).
 */
int host_result_add_server(struct host_result *h, struct server_result *s);

/* mtasts_result_free - free what m owns; m is zeroed. */
void mtasts_result_free(struct mtasts_result *m);

/* domain_result_free - free d; its servers are released, not freed. */
void domain_result_free(struct domain_result *d);

/* server_result_retain - one more holder of s; returns s. */
struct server_result *server_result_retain(struct server_result *s);

/* server_result_release - drop one holder; the last frees s.  NULL is fine. */
void server_result_release(struct server_result *s);

/* domain_result_worst - the most severe finding anywhere in d, -1 if none. */
int domain_result_worst(const struct domain_result *d);

#endif
