/*
 * web_path.h - the request line of `mailtls serve`, parsed: which route a
 * URI names and the domain (or scan number) it carries.
 *
 * Everything a client sends is hostile.  web_path_parse() reads the raw
 * request URI (as evhttp hands it over, at most WEB_URI_MAX bytes), never
 * allocates, and accepts only what the routes below need: a path of known
 * segments, a percent-encoded domain, and the query keys "domain" and
 * "scan".  A domain goes through the same steps as `check` and `scan`
 * (IDNA ToASCII, then dns_name_normalize()), so the web and the CLI agree
 * on what a name is.  A fuzz target (fuzz/fuzz_web_path.c) drives it.
 *
 *   /                       WEB_HOME
 *   /static/style.css       WEB_STYLE
 *   /check?domain=D         WEB_CHECK_FORM   (redirects to /check/D)
 *   /check/D                WEB_CHECK
 *   /stats[?scan=N]         WEB_STATS
 *   /api/check/D            WEB_API_CHECK
 *   /api/status/D           WEB_API_STATUS
 *   /api/stats[?scan=N]     WEB_API_STATS
 */
#ifndef MAILTLS_WEB_PATH_H
#define MAILTLS_WEB_PATH_H

#include <stdint.h>

#include "dns/dns_name.h"

#define WEB_URI_MAX 2048

enum web_route {
	WEB_NOT_FOUND,		/* no such page: 404 */
	WEB_BAD_REQUEST,	/* a known page with a bad domain/query: 400 */
	WEB_HOME,
	WEB_STYLE,
	WEB_CHECK_FORM,
	WEB_CHECK,
	WEB_STATS,
	WEB_API_CHECK,
	WEB_API_STATUS,
	WEB_API_STATS,
	WEB_ROUTE_COUNT
};

struct web_path {
	enum web_route	 route;
	int		 api;		/* under /api/: answer errors in JSON */
	char		 domain[DNS_NAME_MAX + 1];	/* normalised, or "" */
	int64_t		 scan;		/* ?scan=N, 0: none (the latest) */
	const char	*why;		/* WEB_BAD_REQUEST: a static reason */
	char		 why_buf[128];	/* ... when it needs the detail */
};

/*
 * web_path_parse - parse uri (NUL-terminated) into out.  Never fails: an
 * unusable URI gives WEB_NOT_FOUND or WEB_BAD_REQUEST with out->why set.
 */
void web_path_parse(const char *uri, struct web_path *out);

/* web_route_name - "check", "api-stats", ... for logs and tests. */
const char *web_route_name(enum web_route r);

#endif
