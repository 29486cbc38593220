/*
 * scan.h - the `mailtls scan` engine: a list of domains, one event loop,
 * results into the store as they come.
 *
 *   scan_run(&ctx, names, n, done)
 *
 * One libevent loop drives everything: up to cfg.concurrency checks
 * (check.h) at once, each started as another finishes, all sharing one
 * server_pool (server_pool.h) so that an MX used by many domains is
 * assessed once, at most K at once and a gap apart per address.
 *
 * Each finished domain is
 *   - added to the store's open batch (store_save_domain()); the batch is
 *     committed, one transaction, every batch_domains domains or batch_ms
 *     milliseconds, whichever comes first, and at the end.  kill -9 loses
 *     the open batch only; the next run with the same input resumes the
 *     scan (store_scan_begin()) and skips the domains in `done`;
 *   - written at once to ctx.jsonl, when set, as one line of report JSON
 *     (docs/json.md), flushed.  A record may thus precede its commit: the
 *     caller (cmd_scan.c) trims the file to the saved domains on resume.
 * A domain with a temporary failure (a server answered 421 or timed out,
 * server_result_temporary(), or the MX lookup timed out) is not saved yet:
 * it goes to a retry queue and is checked again retry_delay_ms later, up to
 * retries times; the last attempt is saved whatever it found.
 *
 * Progress: with cfg.progress, a line on stderr, redrawn every second
 * (domains done/total, servers, rate, ETA, failures, retry queue).  A
 * summary line at the end goes to stderr in every case.
 *
 * SIGINT or SIGTERM: in-flight checks are dropped, the open batch is
 * committed, and scan_run() returns 1 (interrupted; run again to resume).
 *
 * The store is called between loop events (it blocks for a commit, which
 * is milliseconds), never from inside a bufferevent callback.
 */
#ifndef MAILTLS_SCAN_H
#define MAILTLS_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "check/check.h"
#include "check/server_pool.h"
#include "scan/scan_exclude.h"
#include "store/store.h"

struct event_base;
struct dns_resolver;
struct ssl_ctx_st;
struct mtasts_fetcher;
struct policy_list;

struct scan_config {
	size_t		 concurrency;	/* domains in flight */
	size_t		 batch_domains;	/* commit after this many: 100 */
	unsigned	 batch_ms;	/* or this long after the first: 2000 */
	unsigned	 retries;	/* extra attempts on temporary failure: 1 */
	unsigned	 retry_delay_ms;	/* 60000 */
	int		 progress;	/* progress line on stderr */
	struct server_pool_config pool;	/* per-address limits, cache */
};

struct scan_ctx {
	struct event_base	*base;
	struct dns_resolver	*dns;
	struct ssl_ctx_st	*tls_ctx;
	const struct check_config *check;
	struct scan_config	 cfg;
	const struct scan_exclude *exclude;	/* MX hosts, addresses; or NULL */
	struct mtasts_fetcher	*fetcher;	/* MTA-STS policies; or NULL */
	const struct policy_list *policies;	/* --policy-file; or NULL */
	struct store		*store;
	int64_t			 scan_id;
	FILE			*jsonl;		/* or NULL */
	const char		*store_shown;	/* the URI for error lines */
};

struct scan_stats {
	uint64_t	 total;		/* names in the list */
	uint64_t	 skipped;	/* saved by an earlier run */
	uint64_t	 saved;		/* saved by this run */
	uint64_t	 retried;	/* attempts repeated */
	uint64_t	 verdict[STORE_VERDICT_COUNT];
	struct server_pool_stats servers;
	double		 seconds;
	int		 interrupted;
};

/*
 * scan_config_defaults - the documented defaults; concurrency from the
 * open-file limit (raised to its hard limit here): min(256, (limit-64)/4).
 */
void scan_config_defaults(struct scan_config *cfg);

/*
 * scan_run - check names[0..n) except those in done (may be NULL), saving
 * into ctx->store under ctx->scan_id.  0: every name saved; 1: interrupted
 * (what was committed stays); -1: a store or memory failure, after one
 * "mailtls: ..." line on stderr.  stats filled in every case.
 */
int scan_run(const struct scan_ctx *ctx, char *const *names, size_t n,
    const struct store_nameset *done, struct scan_stats *stats);

/* scan_summary - the final line ("scan 3: ... domains ...") into out. */
void scan_summary(FILE *out, int64_t scan_id, const struct scan_stats *s);

#endif
