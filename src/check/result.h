/*
 * result.h - the result model: everything `check` learned about a domain.
 *
 *   domain_result            the domain, its MX lookup, domain findings
 *     host_result[]          each MX host (preference order), its A/AAAA
 *       server_result*[]     each address: SMTP facts, TLS facts, findings
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
#include "dns/dns_resolver.h"
#include "grade/grade.h"
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
	struct auth_facts	 auth;		/* DANE, MTA-STS; zero: not checked */
	struct grade		 grade;		/* grade_derive(); owns no memory */
};

struct host_result {
	char			*name;
	int			 preference;	/* -1 for an implicit MX */
	struct dns_status	 a;
	struct dns_status	 aaaa;
	struct server_result	**servers;
	size_t			 n_servers;
	struct findings		 findings;
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
	struct findings		 findings;
	struct domain_grade	 grade;		/* grade_derive(); owns no memory */
};

void dns_status_free(struct dns_status *st);

/* domain_result_free - free d; its servers are released, not freed. */
void domain_result_free(struct domain_result *d);

/* server_result_retain - one more holder of s; returns s. */
struct server_result *server_result_retain(struct server_result *s);

/* server_result_release - drop one holder; the last frees s.  NULL is fine. */
void server_result_release(struct server_result *s);

/* domain_result_worst - the most severe finding anywhere in d, -1 if none. */
int domain_result_worst(const struct domain_result *d);

#endif
