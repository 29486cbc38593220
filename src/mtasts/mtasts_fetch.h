/*
 * mtasts_fetch.h - fetch an MTA-STS policy (RFC 8461 3.3) with libcurl's
 * multi interface on the caller's libevent loop.
 *
 *   GET https://mta-sts.<domain>/.well-known/mta-sts.txt
 *
 * as a sender must: HTTPS only, the certificate verified (PKIX chain to the
 * trust store, and the name mta-sts.<domain>, RFC 8461 3.3), no redirects
 * (a 3xx is a failure, reported with its Location), status 200 only,
 * Content-Type text/plain (parameters such as charset allowed), the body at
 * most MTASTS_POLICY_MAX bytes (the transfer is aborted beyond it, even
 * without a Content-Length), and one deadline for the whole exchange.
 *
 * The sockets and timers libcurl wants are watched by events on the
 * caller's event_base (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION):
 * nothing here blocks.  Name resolution: pass the addresses of
 * mta-sts.<domain> in the config (looked up by mailtls's own validating
 * resolver, or the lab's address in tests) and libcurl connects to them
 * alone (CURLOPT_RESOLVE): nothing goes to the system resolver.  Without
 * addresses, libcurl resolves the name itself (its threaded resolver).
 *
 * Lifecycle: mtasts_fetcher_new() once per event_base ->
 * mtasts_fetch_start() any number of times (fetches run in parallel) ->
 * each callback runs once from the event loop, never from inside
 * mtasts_fetch_start() -> mtasts_fetcher_free() (pending fetches are
 * cancelled without their callbacks).  A callback may start new fetches
 * and cancel other ones, but must not free the fetcher.
 */
#ifndef MAILTLS_MTASTS_FETCH_H
#define MAILTLS_MTASTS_FETCH_H

#include <stddef.h>

struct event_base;

enum mtasts_fetch_error {
	MTASTS_FETCH_OK,		/* 200, text/plain, body within the limit */
	MTASTS_FETCH_BAD_DOMAIN,	/* the domain is not a host name */
	MTASTS_FETCH_RESOLVE,		/* mta-sts.<domain> has no address */
	MTASTS_FETCH_CONNECT,		/* connection refused / unreachable */
	MTASTS_FETCH_TLS,		/* TLS handshake failed */
	MTASTS_FETCH_CERT_UNTRUSTED,	/* chain does not verify (expired,
					   unknown CA, ...): see error_text */
	MTASTS_FETCH_CERT_NAME,		/* valid chain, not for mta-sts.<domain> */
	MTASTS_FETCH_TIMEOUT,		/* the deadline passed */
	MTASTS_FETCH_REDIRECT,		/* a 3xx answer: never followed */
	MTASTS_FETCH_HTTP_STATUS,	/* any other status than 200 */
	MTASTS_FETCH_CONTENT_TYPE,	/* not text/plain, or none */
	MTASTS_FETCH_TOO_LARGE,		/* body beyond max_body */
	MTASTS_FETCH_PROTOCOL,		/* bad HTTP, connection cut, ... */
	MTASTS_FETCH_INTERNAL,		/* out of memory, libcurl setup */
	MTASTS_FETCH_ERROR_COUNT
};

struct mtasts_fetch_config {
	const char	*ca_file;	/* PEM trust store; NULL: the system's */
	const char *const *addrs;	/* IPv4/IPv6 literals of mta-sts.<domain>,
					   or NULL: libcurl resolves */
	size_t		 n_addrs;
	unsigned	 port;		/* 0: 443 (tests may use another) */
	unsigned	 timeout_ms;	/* whole fetch; 0: 30000 */
	size_t		 max_body;	/* 0: MTASTS_POLICY_MAX (mtasts.h) */
};

/* Valid only during the callback: copy what you keep. */
struct mtasts_fetch_result {
	enum mtasts_fetch_error	 error;
	const char		*error_text;	/* one sanitised line, never NULL */
	const char		*url;		/* what was fetched */
	long			 http_status;	/* 0: no HTTP answer */
	const char		*content_type;	/* sanitised, or NULL */
	const char		*location;	/* of a 3xx, sanitised, or NULL */
	const char		*body;		/* when OK (else NULL); NUL-terminated
						   after body_len, may hold NULs */
	size_t			 body_len;
	const char		*peer;		/* address connected to, or NULL */
	unsigned		 elapsed_ms;
};

typedef void mtasts_fetch_cb(void *arg, const struct mtasts_fetch_result *r);

struct mtasts_fetcher;
struct mtasts_fetch;

/*
 * mtasts_fetcher_new - a fetcher on base (calls curl_global_init() the
 * first time; single-threaded programs only).  NULL with one line in err
 * (errlen bytes) on failure.
 */
struct mtasts_fetcher *mtasts_fetcher_new(struct event_base *base,
    char *err, size_t errlen);

/*
 * mtasts_fetch_start - fetch the policy of domain (a host name, no trailing
 * dot needed).  cfg is copied; NULL means defaults.  cb runs once, from the
 * event loop.  Returns a handle for mtasts_fetch_cancel(), valid until cb
 * has run; NULL only when out of memory (an unusable domain or config is
 * reported through cb, as MTASTS_FETCH_BAD_DOMAIN / INTERNAL).
 */
struct mtasts_fetch *mtasts_fetch_start(struct mtasts_fetcher *f,
    const char *domain, const struct mtasts_fetch_config *cfg,
    mtasts_fetch_cb *cb, void *arg);

/* mtasts_fetch_cancel - stop the fetch; its callback will not run. */
void mtasts_fetch_cancel(struct mtasts_fetch *fetch);

/* mtasts_fetcher_free - cancel every pending fetch and free f.  Not from
 * inside a callback.  NULL is fine. */
void mtasts_fetcher_free(struct mtasts_fetcher *f);

/* "ok", "redirect", ... for findings and JSON. */
const char *mtasts_fetch_error_name(enum mtasts_fetch_error e);

/* mtasts_content_type_ok - 1 when a Content-Type value is text/plain
 * (case-insensitive, optional parameters after ';'). */
int mtasts_content_type_ok(const char *ct);

#endif
