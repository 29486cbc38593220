/*
 * web.h - `mailtls serve`: the web page and JSON API, served by libevent's
 * evhttp on the same event loop as the checks it runs.
 *
 *   GET  /                   the form, why it matters, recent results
 *   GET  /check?domain=D     redirects (303) to /check/D (D normalised)
 *   GET  /check/D            the result (cached, with its age), or the
 *                            progress of a running check (which it starts
 *                            if there is no result yet)
 *   POST /check/D            revalidate: a new check unless the result is
 *                            younger than the cache window; 303 to /check/D
 *   GET  /stats[?scan=N]     the numbers of the latest scan (or N), charts
 *   GET  /api/check/D        200 the report JSON (as `check --json`), or
 *                            202 {"status": "running"} (starting it)
 *   POST /api/check/D        revalidate, as above
 *   GET  /api/status/D       {"domain", "state": running|done|refused|
 *                            failed|none, ...}
 *   GET  /api/stats[?scan=N] the JSON of `mailtls stats --json`
 *   GET  /static/style.css
 *
 * Results are saved in the store, in one scan of the web's own (input
 * "web"), which stays open across restarts; the cache is that scan.  A
 * check of a domain runs once at a time however many clients ask; starting
 * one costs a token of the client's rate limit (web_limit.h), and at most
 * max_checks run at once (503 beyond).
 *
 * Safety: unless allow_private, checks do not connect to reserved
 * addresses (check_config.probe_reserved = 0: such an address is recorded
 * "not tested" before any connection), and a domain whose every address is
 * reserved is refused (403).  Every page is escaped (web_html.h) and sent
 * with a strict Content-Security-Policy.
 *
 * Ownership: web_serve() borrows everything in env for its whole run.
 */
#ifndef MAILTLS_WEB_H
#define MAILTLS_WEB_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct dns_resolver;
struct ssl_ctx_st;
struct check_config;
struct store;

struct web_config {
	const char	*listen_host;	/* "127.0.0.1", "::" */
	uint16_t	 listen_port;
	int		 allow_private;	/* probe reserved addresses too */
	unsigned	 cache_s;	/* results younger than this are served
					   from the store, not re-checked */
	unsigned	 max_checks;	/* checks running at once */
	double		 rate_per_min;	/* check starts per client per minute */
	double		 rate_burst;
	unsigned	 refresh_s;	/* progress page reload */
	int64_t		 stats_scan;	/* /stats default: 0 the latest */
	const char	*version;	/* mailtls's, recorded with the scan */
	const char	*db_shown;	/* the database URI as it may be shown */
};

struct web_env {
	struct event_base	*base;
	struct dns_resolver	*dns;
	struct ssl_ctx_st	*tls_ctx;
	struct check_config	*cfg;	/* probe_reserved is set from
					   allow_private */
	struct store		*store;	/* opened for writing */
};

/*
 * web_serve - listen and serve until SIGINT or SIGTERM.  0 after a clean
 * stop; -1 with one line in err (cannot listen, cannot begin the web's
 * scan in the store).
 */
int web_serve(const struct web_config *wc, struct web_env *env, char *err,
    size_t errlen);

#endif
