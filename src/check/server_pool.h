/*
 * server_pool.h - one assessment per mail server per scan, politely.
 *
 * Many domains share a few providers' MX hosts.  A scan hands every check
 * the same pool (check_env.pool); the check then asks the pool for each
 * address instead of connecting itself:
 *
 *   key = (address, port, MX host name)
 *
 * The host name is part of the key because what a sender sees depends on
 * it: the SNI sent, and whether the certificate names the host (RFC 6125).
 * The same address reached as mx2.example and as alias.example is two
 * assessments; reached as mx2.example by a thousand domains, one.
 *
 * The first request for a key creates an entry and queues it; the pool runs
 * the assessment (the SMTP/STARTTLS session a sender has, then the probe
 * enumeration, exactly as check.c does without a pool) when the address
 * has a free slot.  Later requests attach to the entry and get the same
 * server_result, retained for them (server_result_release() when done),
 * once it is finished.
 *
 * Politeness, per address (whatever the port and name):
 *   - at most per_addr_sessions assessments at once (each assessment has
 *     one connection open at a time, so this bounds connections too);
 *   - at least per_addr_gap_ms between two assessments' starts;
 *   - the rest wait in a FIFO queue for that address.
 * Inside one assessment the probe paces its own connections (probe_gap_ms)
 * and slows down on 421s (src/probe).
 *
 * Memory: entries being assessed or waited for are bounded by the checks
 * in flight.  Finished entries stay in an LRU cache of cache_max entries so
 * that later domains reuse them; the oldest is dropped (and its result
 * freed once the last domain holding it is freed).  A dropped key seen
 * again is assessed again: size the cache for the scan (docs/scan.md has
 * the measured cost per entry).
 *
 * Temporary failures: a finished result whose SMTP status is temporary
 * (server_result_temporary()) is reused only for temp_ttl_ms; after that
 * the next request assesses again.  The scan retries such domains after at
 * least that long, so the retry meets a fresh assessment.
 *
 * Event loop: everything runs on the pool's event base; callbacks are
 * always called from an event of their own, never from inside
 * server_pool_request() or a session's callback.  Not thread-safe.
 */
#ifndef MAILTLS_SERVER_POOL_H
#define MAILTLS_SERVER_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "check/result.h"

struct event_base;
struct check_config;
struct ssl_ctx_st;

/* What an assessment is shared by.  name: the MX host name as checked. */
struct server_key {
	struct netaddr	 addr;
	uint16_t	 port;
	const char	*name;
};

/*
 * The assessment itself, replaceable for tests.  start() begins assessing
 * key into out (zeroed, addr fields filled) and returns a handle, or NULL
 * if it cannot start (out is then taken as finished, as filled).  It calls
 * done(done_arg) exactly once from the event loop unless cancel(handle)
 * is called first.
 */
struct server_runner {
	void	*(*start)(void *arg, const struct server_key *key,
		    struct server_result *out, void (*done)(void *), void *done_arg);
	void	 (*cancel)(void *arg, void *handle);
	void	*arg;
};

struct server_pool_config {
	unsigned	 per_addr_sessions;	/* K; default 2 */
	unsigned	 per_addr_gap_ms;	/* default 1000 */
	size_t		 cache_max;		/* finished entries kept; 20000 */
	unsigned	 temp_ttl_ms;		/* reuse of a temporary failure;
						   default 60000 */
	/* The real assessment's environment (ignored with a runner). */
	const struct check_config *check;
	struct ssl_ctx_st	*tls_ctx;
	/* NULL: the real assessment (session, then probe). */
	const struct server_runner *runner;
};

/* The counters a progress line shows. */
struct server_pool_stats {
	uint64_t	 requests;	/* server_pool_request() calls */
	uint64_t	 assessments;	/* started */
	uint64_t	 finished;
	uint64_t	 reused;	/* requests answered by an existing entry */
	uint64_t	 evicted;	/* finished entries dropped from the cache */
	size_t		 entries;	/* now: queued + running + cached */
	size_t		 running;
	size_t		 queued;
	size_t		 cached;
};

struct server_pool;
struct server_wait;

typedef void server_pool_cb(void *arg, struct server_result *result);

/* server_pool_config_defaults - the documented defaults. */
void server_pool_config_defaults(struct server_pool_config *cfg);

/*
 * server_pool_new - a pool on base.  cfg is copied; cfg->check and
 * cfg->tls_ctx must outlive the pool.  NULL when out of memory.
 */
struct server_pool *server_pool_new(struct event_base *base,
    const struct server_pool_config *cfg);

/*
 * server_pool_free - cancel what runs, drop every entry (results still
 * held by domains stay valid until released), cancel every waiter without
 * calling it.  NULL is fine.
 */
void server_pool_free(struct server_pool *p);

/*
 * server_pool_request - the assessment of key, for cb(arg, result).  cb
 * runs once, from the event loop, with a result retained for the caller
 * (release it).  Returns a handle for server_pool_cancel(), valid until cb
 * runs; NULL when out of memory (cb never runs).
 */
struct server_wait *server_pool_request(struct server_pool *p,
    const struct server_key *key, server_pool_cb *cb, void *arg);

/*
 * server_pool_cancel - the caller no longer wants the result: cb will not
 * run.  The assessment goes on (another domain may want it).
 */
void server_pool_cancel(struct server_wait *w);

void server_pool_get_stats(const struct server_pool *p,
    struct server_pool_stats *out);

/*
 * server_result_temporary - 1 if s is worth assessing again later: the
 * session met a temporary failure (4xx such as 421, reset) or timed out.
 */
int server_result_temporary(const struct server_result *s);

#endif
