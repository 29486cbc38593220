/*
 * check.h - assess one domain: MX lookup, address lookups, one SMTP/TLS
 * session per MX address (and the enumeration), then findings.  Beside
 * them: the TLSA lookups of each MX host (DANE), the domain's _mta-sts and
 * _smtp._tls records and the MTA-STS policy fetch; src/check/auth.c judges
 * every address against them when everything is in.
 *
 * Everything runs on the caller's event loop, concurrently: the address
 * lookups of all MX hosts at once, and each address's SMTP session as soon
 * as its address is known.  `scan` runs thousands of these side by side
 * with the same code.
 *
 * Ownership: check_start() returns a handle the loop owns.  done_cb runs
 * exactly once, from the event loop, and receives the finished
 * domain_result, which the callee then owns (domain_result_free()); the
 * handle is gone by then.  check_cancel() stops a check without done_cb.
 */
#ifndef MAILTLS_CHECK_H
#define MAILTLS_CHECK_H

#include <stdint.h>

#include "check/result.h"
#include "smtp/smtp_reply.h"

struct event_base;
struct dns_resolver;
struct ssl_ctx_st;
struct server_pool;
struct mtasts_fetcher;
struct policy_list;

struct check_config {
	uint16_t		 port;		/* 25 */
	const char		*ehlo_name;
	unsigned		 dns_timeout_ms;
	unsigned		 connect_timeout_ms;
	unsigned		 reply_timeout_ms;
	unsigned		 tls_timeout_ms;
	size_t			 max_mx_hosts;
	size_t			 max_addresses;	/* per host and family */
	int			 probe_reserved; /* connect to reserved addresses */
	int			 enumerate;	/* run the probe engine (src/probe) where
					   STARTTLS was accepted */
	unsigned		 probe_gap_ms;	/* between two probe connections */
	unsigned		 probe_max_connections;
	/* Authentication (DANE, MTA-STS, TLS-RPT): */
	int			 auth;		/* look up TLSA, _mta-sts, _smtp._tls
					   and fetch the MTA-STS policy */
	const char		*ca_file;	/* trust store of the policy fetch
					   (NULL: the system's) */
	unsigned		 mtasts_port;	/* 0: 443 */
	unsigned		 mtasts_timeout_ms;
	struct smtp_reply_limits limits;
};

/*
 * skip_server - asked before connecting to an address of MX host `host`:
 * NULL to go ahead, or why not (a static string, recorded as the address's
 * error with status "not tested").  `scan --exclude` uses it.
 */
typedef const char *check_skip_fn(void *arg, const char *host,
    const struct netaddr *addr);

struct check_env {
	struct event_base	*base;
	struct dns_resolver	*dns;
	struct ssl_ctx_st	*tls_ctx;
	const struct check_config *cfg;
	/* Optional (NULL: `check`'s behaviour, one session per address per
	 * check).  pool: share assessments between checks (server_pool.h). */
	struct server_pool	*pool;
	check_skip_fn		*skip;
	void			*skip_arg;
	/* The MTA-STS policy fetcher on base (mtasts_fetch.h); NULL: policies
	 * are not fetched (reported as such). */
	struct mtasts_fetcher	*fetcher;
	/* --policy-file (policy_list.h): domains that require TLS; or NULL. */
	const struct policy_list *policies;
};

typedef void check_done_cb(void *arg, struct domain_result *result);

struct check;

/*
 * check_start - assess domain (already normalised, see dns_name.h).  env and
 * env->cfg must outlive the check.  NULL when out of memory.
 */
struct check *check_start(const struct check_env *env, const char *domain,
    check_done_cb *done_cb, void *arg);

void check_cancel(struct check *c);

/* check_config_defaults - the defaults every command starts from. */
void check_config_defaults(struct check_config *cfg);

#endif
