/*
 * web.c - the HTTP server of `mailtls serve`.  See web.h.
 *
 * One evhttp on the checks' event loop.  A request is parsed by
 * web_path_parse(), checked against the route's methods, and answered at
 * once, from the store or from the table of jobs; nothing waits for a
 * check: a running check shows as a progress page (or 202 in the API)
 * that the client reloads.
 *
 * Jobs: one entry per domain being checked, and, for a while after, per
 * domain whose check ended without a stored result (refused: only reserved
 * addresses; failed: the store could not save it), so that reloads see the
 * outcome instead of starting the check again.  The table is fixed-size;
 * running entries are never evicted (there are at most max_checks).
 */
#include "web/web.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/check.h"
#include "report/report.h"
#include "report/report_stats.h"
#include "store/store.h"
#include "web/web_html.h"
#include "web/web_limit.h"
#include "web/web_path.h"

#define JOBS_MAX	256
#define RECENT_MAX	12
#define MAX_HEADERS	8192	/* request line + headers, bytes */
#define MAX_BODY	1024	/* nothing we accept has a body */
#define IDLE_TIMEOUT_S	15
/*
 * store_stats() aggregates a whole scan (about 80 ms for 10,000 domains,
 * bench/web_bench.sh), on the loop that also runs the checks: its result is
 * kept for STATS_CACHE_S seconds, for the last STATS_CACHE_N scans asked.
 */
#define STATS_CACHE_S	30
#define STATS_CACHE_N	4

/*
 * The policy every page is sent with: nothing but our own stylesheet, no
 * script at all, forms only to ourselves, no framing.
 */
#define CSP "default-src 'none'; style-src 'self'; img-src 'self' data:; " \
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

enum job_state {
	JOB_FREE,
	JOB_RUNNING,
	JOB_REFUSED,	/* every address reserved */
	JOB_FAILED,	/* could not be saved */
};

struct web;

struct job {
	struct web	*w;
	enum job_state	 state;
	char		 domain[DNS_NAME_MAX + 1];
	struct check	*check;		/* JOB_RUNNING */
	struct timespec	 t0;		/* monotonic start */
	int64_t		 ended;		/* epoch seconds, finished states */
	char		 why[256];	/* refused / failed: one line */
};

struct stats_entry {
	int		 used;
	int64_t		 scan;		/* as asked: 0 the latest */
	double		 at;		/* monotonic seconds */
	struct store_stats s;
};

struct web {
	const struct web_config	*wc;
	struct web_env		*env;
	struct check_env	 cenv;
	struct evhttp		*http;
	struct web_limit	*limit;
	int64_t			 scan_id;	/* the web's own scan */
	size_t			 running;
	struct job		 jobs[JOBS_MAX];
	struct stats_entry	 stats[STATS_CACHE_N];
};

/* mono_now - monotonic seconds, for rate limits and cache ages. */
static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* elapsed_ms - milliseconds since t0 (monotonic). */
static unsigned
elapsed_ms(const struct timespec *t0)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned)((ts.tv_sec - t0->tv_sec) * 1000 +
	    (ts.tv_nsec - t0->tv_nsec) / 1000000);
}

/* ---- jobs ---- */

/* job_find - the live entry of domain; expired finished ones are freed. */
static struct job *
job_find(struct web *w, const char *domain)
{
	int64_t now = (int64_t)time(NULL);
	size_t i;

	for (i = 0; i < JOBS_MAX; i++) {
		struct job *j = &w->jobs[i];

		if (j->state == JOB_FREE || strcmp(j->domain, domain) != 0)
			continue;
		if (j->state != JOB_RUNNING &&
		    now - j->ended >= (int64_t)w->wc->cache_s) {
			j->state = JOB_FREE;
			return NULL;
		}
		return j;
	}
	return NULL;
}

/* job_slot - a free entry, or the oldest finished one.  NULL: all run. */
static struct job *
job_slot(struct web *w)
{
	struct job *oldest = NULL;
	size_t i;

	for (i = 0; i < JOBS_MAX; i++) {
		struct job *j = &w->jobs[i];

		if (j->state == JOB_FREE)
			return j;
		if (j->state != JOB_RUNNING &&
		    (oldest == NULL || j->ended < oldest->ended))
			oldest = j;
	}
	return oldest;
}

/* all_reserved - d has addresses and every one is reserved. */
static int
all_reserved(const struct domain_result *d)
{
	size_t h, s, n = 0, reserved = 0;

	for (h = 0; h < d->n_hosts; h++)
		for (s = 0; s < d->hosts[h].n_servers; s++) {
			n++;
			reserved += d->hosts[h].servers[s]->reserved != NULL;
		}
	return n > 0 && reserved == n;
}

/* stats_forget - drop the cached numbers (stats_get()). */
static void
stats_forget(struct web *w)
{
	size_t i;

	for (i = 0; i < STATS_CACHE_N; i++)
		if (w->stats[i].used) {
			store_stats_clear(&w->stats[i].s);
			w->stats[i].used = 0;
		}
}

/* save - d into the web's scan, in one batch.  0, or -1 with why set. */
static int
save(struct web *w, const struct domain_result *d, char *why, size_t len)
{
	struct store *st = w->env->store;

	if (store_begin(st) == 0 && store_save_domain(st, w->scan_id, d) == 0 &&
	    store_commit(st) == 0)
		return 0;
	snprintf(why, len, "the result could not be saved: %s", store_error(st));
	fprintf(stderr, "mailtls: serve: database %s: %s\n", w->wc->db_shown,
	    store_error(st));
	store_rollback(st);
	return -1;
}

/*
 * on_check_done - a check ended (from its own event, never inside an HTTP
 * callback): refuse it, or save it; the job then says which.
 */
static void
on_check_done(void *arg, struct domain_result *d)
{
	struct job *j = arg;
	struct web *w = j->w;

	j->check = NULL;
	w->running--;
	j->ended = (int64_t)time(NULL);
	if (!w->wc->allow_private && all_reserved(d)) {
		/* Nothing was connected to: probe_reserved is 0. */
		j->state = JOB_REFUSED;
		snprintf(j->why, sizeof(j->why), "every mail server address of "
		    "this domain is in a reserved range (loopback, private, "
		    "link-local, ...).");
	} else if (save(w, d, j->why, sizeof(j->why)) == -1) {
		j->state = JOB_FAILED;
	} else {
		j->state = JOB_FREE;	/* the store has it now */
		stats_forget(w);	/* the numbers have changed */
	}
	domain_result_free(d);
}

enum start_result {
	START_OK,
	START_LIMITED,		/* 429 */
	START_BUSY,		/* 503 */
	START_OOM,		/* 500 */
};

/*
 * start - a check of domain for client, unless one runs (then it is
 * shared, and free).  *retry: seconds for Retry-After.
 */
static enum start_result
start(struct web *w, const char *domain, const char *client, unsigned *retry)
{
	struct job *j = job_find(w, domain);

	if (j != NULL && j->state == JOB_RUNNING)
		return START_OK;
	if (w->running >= w->wc->max_checks) {
		*retry = 10;
		return START_BUSY;
	}
	if (!web_limit_take(w->limit, client, mono_now(), retry))
		return START_LIMITED;
	if (j == NULL && (j = job_slot(w)) == NULL) {
		*retry = 10;
		return START_BUSY;
	}
	memset(j, 0, sizeof(*j));
	j->w = w;
	snprintf(j->domain, sizeof(j->domain), "%s", domain);
	clock_gettime(CLOCK_MONOTONIC, &j->t0);
	j->state = JOB_RUNNING;
	if ((j->check = check_start(&w->cenv, j->domain, on_check_done, j)) == NULL) {
		j->state = JOB_FREE;
		return START_OOM;
	}
	w->running++;
	return START_OK;
}

/* ---- replies ---- */

static void
headers(struct evhttp_request *req, const char *type, int cacheable)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Content-Security-Policy", CSP);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Cache-Control", cacheable ? "public, max-age=3600" :
	    "no-store");
}

/* reason - the reason phrase of status. */
static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 202: return "Accepted";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

/*
 * reply - send status with body b.  evhttp (2.1) would send a HEAD
 * response's body too: the body is dropped here, its length kept.
 */
static void
reply(struct evhttp_request *req, int status, struct evbuffer *b)
{
	if (b != NULL &&
	    evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		char len[24];

		snprintf(len, sizeof(len), "%zu", evbuffer_get_length(b));
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Length", len);
		evbuffer_drain(b, evbuffer_get_length(b));
	}
	evhttp_send_reply(req, status, reason(status), b);
}

/* send_html - b as an HTML page with status. */
static void
send_html(struct evhttp_request *req, int status, struct evbuffer *b)
{
	headers(req, "text/html; charset=utf-8", 0);
	reply(req, status, b);
}

/* send_json - j (stolen) as the body. */
static void
send_json(struct evhttp_request *req, int status, json_t *j)
{
	struct evbuffer *b = evbuffer_new();
	char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII |
	    JSON_PRESERVE_ORDER) : NULL;

	if (b == NULL || text == NULL) {
		evhttp_send_error(req, 500, NULL);
	} else {
		evbuffer_add(b, text, strlen(text));
		evbuffer_add(b, "\n", 1);
		headers(req, "application/json", 0);
		reply(req, status, b);
	}
	free(text);
	json_decref(j);
	if (b != NULL)
		evbuffer_free(b);
}

/* error - an error page, or {"error", "detail"} under /api/. */
static void
error(struct evhttp_request *req, int api, int status, const char *code,
    const char *title, const char *detail)
{
	struct evbuffer *b;

	if (api) {
		send_json(req, status, json_pack("{s:s, s:s}", "error", code,
		    "detail", detail));
		return;
	}
	if ((b = evbuffer_new()) == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	web_page_error(b, status, title, detail);
	send_html(req, status, b);
	evbuffer_free(b);
}

/* retry_after - a Retry-After header of s seconds (at least 1). */
static void
retry_after(struct evhttp_request *req, unsigned s)
{
	char v[16];

	snprintf(v, sizeof(v), "%u", s ? s : 1);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", v);
}

/* start_error - the answer to a check that could not start. */
static void
start_error(struct evhttp_request *req, int api, enum start_result r,
    unsigned retry)
{
	char d[160];

	retry_after(req, retry);
	switch (r) {
	case START_LIMITED:
		snprintf(d, sizeof(d), "You have started too many checks; try "
		    "again in %u s.", retry);
		error(req, api, 429, "rate-limited", "Too many checks", d);
		break;
	case START_BUSY:
		error(req, api, 503, "busy", "Busy", "The maximum number of "
		    "checks is running; try again in a few seconds.");
		break;
	default:
		error(req, api, 500, "internal", "Internal error",
		    "out of memory");
		break;
	}
}

/* redirect - 303 to prefix + domain. */
static void
redirect(struct evhttp_request *req, const char *prefix, const char *domain)
{
	char loc[16 + DNS_NAME_MAX];

	/* domain is normalised: letters, digits, '-', '.' only. */
	snprintf(loc, sizeof(loc), "%s%s", prefix, domain);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location", loc);
	headers(req, "text/plain; charset=utf-8", 0);
	evhttp_send_reply(req, 303, reason(303), NULL);
}

/* client_addr - the peer's address as text. */
static const char *
client_addr(struct evhttp_request *req)
{
	struct evhttp_connection *c = evhttp_request_get_connection(req);
	char *addr = NULL;
	ev_uint16_t port;

	if (c != NULL)
		evhttp_connection_get_peer(c, &addr, &port);
	return addr != NULL ? addr : "?";
}

/* ---- routes ---- */

static void
route_home(struct web *w, struct evhttp_request *req)
{
	struct store_recent *recent = NULL;
	struct evbuffer *b = evbuffer_new();
	size_t n = 0;

	if (b == NULL)
		return evhttp_send_error(req, 500, NULL);
	if (store_recent(w->env->store, w->scan_id, RECENT_MAX, &recent, &n) == -1)
		fprintf(stderr, "mailtls: serve: database %s: %s\n",
		    w->wc->db_shown, store_error(w->env->store));
	web_page_home(b, recent, n, (int64_t)time(NULL));
	store_recent_free(recent, n);
	send_html(req, 200, b);
	evbuffer_free(b);
}

/* lookup - the stored report of domain: 1 found, 0 none, -1 error (sent). */
static int
lookup(struct web *w, struct evhttp_request *req, int api, const char *domain,
    struct store_report *rep)
{
	int rc = store_domain_report(w->env->store, w->scan_id, domain, rep);

	if (rc == -1)
		error(req, api, 500, "database", "Database error",
		    store_error(w->env->store));
	return rc;
}

/*
 * route_check - /check/D and /api/check/D, GET and POST.  revalidate: POST,
 * which checks again once the cached result is older than the window.
 */
static void
route_check(struct web *w, struct evhttp_request *req, const struct web_path *p,
    int revalidate)
{
	struct store_report rep;
	struct job *j = job_find(w, p->domain);
	int64_t now = (int64_t)time(NULL);
	enum start_result sr;
	unsigned retry = 0;
	int found, need_check;

	if (j != NULL && j->state == JOB_REFUSED) {
		struct evbuffer *b;

		if (p->api || (b = evbuffer_new()) == NULL)
			return error(req, p->api, 403, "refused", "Refused", j->why);
		web_page_refused(b, p->domain, j->why);
		send_html(req, 403, b);
		evbuffer_free(b);
		return;
	}
	if (j != NULL && j->state == JOB_FAILED && !revalidate)
		return error(req, p->api, 500, "not-saved", "Not saved", j->why);
	if ((found = lookup(w, req, p->api, p->domain, &rep)) == -1)
		return;
	need_check = (j == NULL || j->state != JOB_RUNNING) && (!found ||
	    (revalidate && now - rep.checked_at >= (int64_t)w->wc->cache_s));
	if (need_check && (sr = start(w, p->domain, client_addr(req),
	    &retry)) != START_OK) {
		store_report_clear(&rep);
		return start_error(req, p->api, sr, retry);
	}
	j = job_find(w, p->domain);
	if (!p->api && revalidate) {
		store_report_clear(&rep);
		return redirect(req, "/check/", p->domain);
	}
	if (j != NULL && j->state == JOB_RUNNING) {
		struct evbuffer *b;

		store_report_clear(&rep);
		if (p->api) {
			retry_after(req, w->wc->refresh_s);
			return send_json(req, 202, json_pack("{s:s, s:s, s:I}",
			    "domain", p->domain, "status", "running",
			    "elapsed_ms", (json_int_t)elapsed_ms(&j->t0)));
		}
		if ((b = evbuffer_new()) == NULL)
			return evhttp_send_error(req, 500, NULL);
		web_page_progress(b, p->domain, elapsed_ms(&j->t0),
		    w->wc->refresh_s);
		send_html(req, 200, b);
		evbuffer_free(b);
		return;
	}
	if (p->api) {
		struct evbuffer *b = evbuffer_new();
		char age[24];

		if (b == NULL) {
			store_report_clear(&rep);
			return evhttp_send_error(req, 500, NULL);
		}
		/* The report as stored: the document `check --json` prints. */
		evbuffer_add(b, rep.report, strlen(rep.report));
		evbuffer_add(b, "\n", 1);
		snprintf(age, sizeof(age), "%lld", (long long)(now - rep.checked_at));
		headers(req, "application/json", 0);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Age", age);
		reply(req, 200, b);
		evbuffer_free(b);
	} else {
		json_error_t jerr;
		json_t *r = json_loads(rep.report, 0, &jerr);
		struct evbuffer *b = evbuffer_new();

		if (r == NULL || b == NULL) {
			json_decref(r);
			if (b != NULL)
				evbuffer_free(b);
			store_report_clear(&rep);
			return error(req, 0, 500, "database", "Unreadable result",
			    "the stored report is not valid JSON");
		}
		web_page_report(b, p->domain, r, rep.checked_at, now,
		    now - rep.checked_at >= (int64_t)w->wc->cache_s);
		send_html(req, 200, b);
		evbuffer_free(b);
		json_decref(r);
	}
	store_report_clear(&rep);
}

/* route_status - GET /api/status/D: running, done, refused, failed, none. */
static void
route_status(struct web *w, struct evhttp_request *req, const struct web_path *p)
{
	struct job *j = job_find(w, p->domain);
	struct store_report rep;
	char when[32];
	int found;

	if (j != NULL && j->state == JOB_RUNNING)
		return send_json(req, 200, json_pack("{s:s, s:s, s:I}", "domain",
		    p->domain, "state", "running", "elapsed_ms",
		    (json_int_t)elapsed_ms(&j->t0)));
	if (j != NULL)
		return send_json(req, 200, json_pack("{s:s, s:s, s:s}", "domain",
		    p->domain, "state", j->state == JOB_REFUSED ? "refused" :
		    "failed", "detail", j->why));
	if ((found = lookup(w, req, 1, p->domain, &rep)) == -1)
		return;
	if (found == 0)
		return send_json(req, 200, json_pack("{s:s, s:s}", "domain",
		    p->domain, "state", "none"));
	report_fmt_time(rep.checked_at, when, sizeof(when), 1);
	send_json(req, 200, json_pack("{s:s, s:s, s:s, s:s?}", "domain",
	    p->domain, "state", "done", "checked_at", when, "grade", rep.grade));
	store_report_clear(&rep);
}

/* stats_get - the numbers of scan (0: the latest), cached.  NULL: error. */
static const struct store_stats *
stats_get(struct web *w, int64_t scan)
{
	struct stats_entry *e, *oldest = &w->stats[0];
	double now = mono_now();
	size_t i;

	for (i = 0; i < STATS_CACHE_N; i++) {
		e = &w->stats[i];
		if (e->used && e->scan == scan && now - e->at < STATS_CACHE_S)
			return &e->s;
		if (!e->used || (oldest->used && e->at < oldest->at))
			oldest = e;
	}
	if (oldest->used)
		store_stats_clear(&oldest->s);
	oldest->used = 0;
	if (store_stats(w->env->store, scan, &oldest->s) == -1)
		return NULL;
	oldest->used = 1;
	oldest->scan = scan;
	oldest->at = now;
	return &oldest->s;
}

/* route_stats - /stats and /api/stats of ?scan=N, --scan, or the latest. */
static void
route_stats(struct web *w, struct evhttp_request *req, const struct web_path *p)
{
	const struct store_stats *s;
	int64_t scan = p->scan ? p->scan : w->wc->stats_scan;

	if ((s = stats_get(w, scan)) == NULL)
		return error(req, p->api, 404, "no-scan", "No such scan",
		    store_error(w->env->store));
	if (p->api) {
		send_json(req, 200, report_stats_json(s));
	} else {
		struct evbuffer *b = evbuffer_new();

		if (b == NULL) {
			evhttp_send_error(req, 500, NULL);
		} else {
			web_page_stats(b, s);
			send_html(req, 200, b);
			evbuffer_free(b);
		}
	}
}

/* route_style - the stylesheet, cacheable: it changes only with the binary. */
static void
route_style(struct evhttp_request *req)
{
	struct evbuffer *b = evbuffer_new();

	if (b == NULL)
		return evhttp_send_error(req, 500, NULL);
	evbuffer_add_reference(b, web_style_css, strlen(web_style_css), NULL,
	    NULL);
	headers(req, "text/css; charset=utf-8", 1);
	reply(req, 200, b);
	evbuffer_free(b);
}

/* handle - every request: route, method, then the route's answer. */
static void
handle(struct evhttp_request *req, void *arg)
{
	struct web *w = arg;
	struct web_path p;
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	int get = m == EVHTTP_REQ_GET || m == EVHTTP_REQ_HEAD;
	int post_ok;

	web_path_parse(evhttp_request_get_uri(req), &p);
	if (p.route == WEB_NOT_FOUND)
		return error(req, p.api, 404, "not-found", "Page not found",
		    "There is no page at this address.");
	post_ok = p.route == WEB_CHECK || p.route == WEB_API_CHECK;
	if (!get && !(post_ok && m == EVHTTP_REQ_POST)) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow",
		    post_ok ? "GET, HEAD, POST" : "GET, HEAD");
		return error(req, p.api, 405, "method-not-allowed",
		    "Method not allowed", "This page does not accept that "
		    "method.");
	}
	if (p.route == WEB_BAD_REQUEST)
		return error(req, p.api, 400, "bad-request", "Bad request", p.why);
	switch (p.route) {
	case WEB_HOME:
		return route_home(w, req);
	case WEB_STYLE:
		return route_style(req);
	case WEB_CHECK_FORM:
		return redirect(req, "/check/", p.domain);
	case WEB_CHECK:
	case WEB_API_CHECK:
		return route_check(w, req, &p, m == EVHTTP_REQ_POST);
	case WEB_API_STATUS:
		return route_status(w, req, &p);
	case WEB_STATS:
	case WEB_API_STATS:
		return route_stats(w, req, &p);
	default:
		return error(req, p.api, 404, "not-found", "Page not found",
		    "There is no page at this address.");
	}
}

/* ---- the server ---- */

static void
on_signal(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

/* begin_scan - the web's own scan: one identity, resumed across restarts. */
static int
begin_scan(struct web *w, char *err, size_t errlen)
{
	static const char *const input[] = { "mailtls serve" };
	const struct check_config *cfg = w->env->cfg;
	struct store_scan_params sp;
	struct store_resume r;
	char digest[STORE_SHA256_HEX], options[512];

	if (store_digest_names(input, 1, digest) == -1) {
		snprintf(err, errlen, "cannot compute the scan identity");
		return -1;
	}
	snprintf(options, sizeof(options), "serve port=%u ehlo=%s enumerate=%d "
	    "allow_private=%d", (unsigned)cfg->port,
	    cfg->ehlo_name ? cfg->ehlo_name : "", cfg->enumerate,
	    w->wc->allow_private);
	memset(&sp, 0, sizeof(sp));
	sp.input_path = "web";
	sp.input_sha256 = digest;
	sp.options = options;
	sp.version = w->wc->version;
	sp.now = (int64_t)time(NULL);
	if (store_scan_begin(w->env->store, &sp, &r) == -1) {
		snprintf(err, errlen, "database %s: %s", w->wc->db_shown,
		    store_error(w->env->store));
		return -1;
	}
	store_nameset_free(r.done);
	w->scan_id = r.scan_id;
	return 0;
}

int
web_serve(const struct web_config *wc, struct web_env *env, char *err,
    size_t errlen)
{
	struct web *w;
	struct event *sigint = NULL, *sigterm = NULL;
	size_t i;
	int rc = -1;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	w->wc = wc;
	w->env = env;
	env->cfg->probe_reserved = wc->allow_private;
	w->cenv.base = env->base;
	w->cenv.dns = env->dns;
	w->cenv.tls_ctx = env->tls_ctx;
	w->cenv.cfg = env->cfg;
	if (begin_scan(w, err, errlen) == -1)
		goto done;
	if ((w->limit = web_limit_new(wc->rate_per_min, wc->rate_burst)) == NULL ||
	    (w->http = evhttp_new(env->base)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	evhttp_set_max_headers_size(w->http, MAX_HEADERS);
	evhttp_set_max_body_size(w->http, MAX_BODY);
	evhttp_set_timeout(w->http, IDLE_TIMEOUT_S);
	/* Every method reaches handle(), which answers 405 itself. */
	evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT |
	    EVHTTP_REQ_PATCH);
	evhttp_set_gencb(w->http, handle, w);
	if (evhttp_bind_socket(w->http, wc->listen_host, wc->listen_port) != 0) {
		snprintf(err, errlen, "cannot listen on %s port %u",
		    wc->listen_host, (unsigned)wc->listen_port);
		goto done;
	}
	if ((sigint = evsignal_new(env->base, SIGINT, on_signal, env->base)) == NULL ||
	    (sigterm = evsignal_new(env->base, SIGTERM, on_signal, env->base)) == NULL ||
	    event_add(sigint, NULL) == -1 || event_add(sigterm, NULL) == -1) {
		snprintf(err, errlen, "cannot handle signals");
		goto done;
	}
	fprintf(stderr, "mailtls: serving http://%s%s%s:%u/ (results in %s)\n",
	    strchr(wc->listen_host, ':') ? "[" : "", wc->listen_host,
	    strchr(wc->listen_host, ':') ? "]" : "", (unsigned)wc->listen_port,
	    wc->db_shown);
	event_base_dispatch(env->base);
	rc = 0;
done:
	for (i = 0; i < JOBS_MAX; i++)
		if (w->jobs[i].state == JOB_RUNNING && w->jobs[i].check != NULL)
			check_cancel(w->jobs[i].check);
	if (sigint != NULL)
		event_free(sigint);
	if (sigterm != NULL)
		event_free(sigterm);
	if (w->http != NULL)
		evhttp_free(w->http);
	web_limit_free(w->limit);
	stats_forget(w);
	free(w);
	return rc;
}
