/*
 * mtasts_fetch.c - MTA-STS policy fetch over libcurl's multi interface on a
 * libevent loop.  See mtasts_fetch.h.
 *
 * The glue is libcurl's "multi_socket" pattern (docs/examples/hiperfifo.c):
 * libcurl tells us which sockets to watch (sock_cb) and when to wake it up
 * (timer_cb); our events hand readiness back with curl_multi_socket_action()
 * and then collect finished transfers (check_done).  Each fetch is one easy
 * handle; its CURLOPT_PRIVATE points back at struct mtasts_fetch.
 */
#include "mtasts/mtasts_fetch.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <openssl/x509_vfy.h>

#include "dns/dns_name.h"
#include "mtasts/mtasts.h"
#include "util/sanitize.h"

#define DEFAULT_TIMEOUT_MS	30000u
#define TEXT_MAX		256

struct mtasts_fetcher {
	struct event_base	*base;
	CURLM			*multi;
	struct event		*timer;
	struct mtasts_fetch	*fetches;	/* pending, doubly linked */
};

struct mtasts_fetch {
	struct mtasts_fetcher	*f;
	struct mtasts_fetch	*prev, *next;
	CURL			*easy;		/* NULL: failed before curl */
	struct curl_slist	*resolve;
	struct event		*deferred;	/* reports an early error */
	enum mtasts_fetch_error	 early;
	char			 early_text[TEXT_MAX];
	mtasts_fetch_cb		*cb;
	void			*arg;
	int			 in_callback;
	char			*ca_file;
	char			 url[DNS_NAME_MAX + 64];
	char			 errbuf[CURL_ERROR_SIZE];
	char			*body;
	size_t			 len, cap, max;
	int			 too_large;
};

/* --- the event-loop glue ---------------------------------------------------- */

static void check_done(struct mtasts_fetcher *f);

static void
on_socket(evutil_socket_t fd, short kind, void *arg)
{
	struct mtasts_fetcher *f = arg;
	int running, action = 0;

	if (kind & EV_READ)
		action |= CURL_CSELECT_IN;
	if (kind & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	curl_multi_socket_action(f->multi, fd, action, &running);
	check_done(f);
}

static void
on_timer(evutil_socket_t fd, short kind, void *arg)
{
	struct mtasts_fetcher *f = arg;
	int running;

	(void)fd;
	(void)kind;
	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(f);
}

/* CURLMOPT_SOCKETFUNCTION: watch s as libcurl asks; socketp is its event. */
static int
sock_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct mtasts_fetcher *f = userp;
	struct event *ev = socketp;
	short kind = EV_PERSIST;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (ev != NULL)
			event_free(ev);
		curl_multi_assign(f->multi, s, NULL);
		return 0;
	}
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	if (ev != NULL) {
		event_del(ev);
		event_assign(ev, f->base, s, kind, on_socket, f);
	} else {
		if ((ev = event_new(f->base, s, kind, on_socket, f)) == NULL)
			return -1;
		curl_multi_assign(f->multi, s, ev);
	}
	return event_add(ev, NULL) == 0 ? 0 : -1;
}

/* CURLMOPT_TIMERFUNCTION: one timer for the whole multi handle. */
static int
timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct mtasts_fetcher *f = userp;
	struct timeval tv;

	(void)multi;
	if (timeout_ms < 0)
		return evtimer_del(f->timer) == 0 ? 0 : -1;
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	return evtimer_add(f->timer, &tv) == 0 ? 0 : -1;
}

/* --- fetches ---------------------------------------------------------------- */

static void
unlink_fetch(struct mtasts_fetch *x)
{
	if (x->prev != NULL)
		x->prev->next = x->next;
	else if (x->f->fetches == x)
		x->f->fetches = x->next;
	if (x->next != NULL)
		x->next->prev = x->prev;
	x->prev = x->next = NULL;
}

static void
fetch_free(struct mtasts_fetch *x)
{
	unlink_fetch(x);
	if (x->easy != NULL) {
		curl_multi_remove_handle(x->f->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	if (x->deferred != NULL)
		event_free(x->deferred);
	curl_slist_free_all(x->resolve);
	free(x->ca_file);
	free(x->body);
	free(x);
}

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	struct mtasts_fetch *x = userp;
	size_t n = size * nmemb;

	if (n > x->max - x->len) {
		/* Returning less than n aborts the transfer (CURLE_WRITE_ERROR). */
		x->too_large = 1;
		return 0;
	}
	if (x->len + n + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 4096;
		char *b;

		while (cap < x->len + n + 1)
			cap *= 2;
		if ((b = realloc(x->body, cap)) == NULL)
			return 0;
		x->body = b;
		x->cap = cap;
	}
	memcpy(x->body + x->len, data, n);
	x->len += n;
	x->body[x->len] = '\0';
	return n;
}

int
mtasts_content_type_ok(const char *ct)
{
	static const char want[] = "text/plain";
	size_t n = sizeof(want) - 1;

	if (ct == NULL)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, want, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* classify - the error of a finished transfer. */
static enum mtasts_fetch_error
classify(struct mtasts_fetch *x, CURLcode rc, long status, const char *ct)
{
	long verify = 0;

	switch (rc) {
	case CURLE_OK:
		break;
	case CURLE_WRITE_ERROR:
		if (!x->too_large)
			return MTASTS_FETCH_INTERNAL;	/* out of memory */
		break;
	case CURLE_FILESIZE_EXCEEDED:
		x->too_large = 1;
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		return MTASTS_FETCH_RESOLVE;
	case CURLE_COULDNT_CONNECT:
		return MTASTS_FETCH_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return MTASTS_FETCH_TIMEOUT;
	case CURLE_PEER_FAILED_VERIFICATION:
		/* libcurl checks the name itself, after OpenSSL verified the
		 * chain.  A chain failure leaves OpenSSL's code (20: unknown
		 * issuer, 10: expired...); after a name mismatch libcurl 7.88
		 * stores 1 (X509_V_ERR_UNSPECIFIED, its "!X509_V_OK"), and
		 * newer versions may store 0 or HOSTNAME_MISMATCH. */
		curl_easy_getinfo(x->easy, CURLINFO_SSL_VERIFYRESULT, &verify);
		return verify == X509_V_OK || verify == X509_V_ERR_UNSPECIFIED ||
		    verify == X509_V_ERR_HOSTNAME_MISMATCH ?
		    MTASTS_FETCH_CERT_NAME : MTASTS_FETCH_CERT_UNTRUSTED;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return MTASTS_FETCH_TLS;
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_OUT_OF_MEMORY:
	case CURLE_FAILED_INIT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return MTASTS_FETCH_INTERNAL;
	default:
		return MTASTS_FETCH_PROTOCOL;
	}
	/* An HTTP answer came (whole, or cut by our size limit). */
	if (status >= 300 && status <= 399)
		return MTASTS_FETCH_REDIRECT;
	if (status != 200)
		return MTASTS_FETCH_HTTP_STATUS;
	if (!mtasts_content_type_ok(ct))
		return MTASTS_FETCH_CONTENT_TYPE;
	if (x->too_large)
		return MTASTS_FETCH_TOO_LARGE;
	return MTASTS_FETCH_OK;
}

static void
report(struct mtasts_fetch *x, struct mtasts_fetch_result *r)
{
	x->in_callback = 1;
	x->cb(x->arg, r);
	fetch_free(x);
}

/* finish - a transfer is done: classify, call back, free. */
static void
finish(struct mtasts_fetch *x, CURLcode rc)
{
	struct mtasts_fetch_result r;
	char text[TEXT_MAX], *ct = NULL, *loc = NULL, *peer = NULL;
	char *text_s = NULL, *ct_s = NULL, *loc_s = NULL, *peer_s = NULL;
	curl_off_t us = 0;

	memset(&r, 0, sizeof(r));
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r.http_status);
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
	curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc);
	curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &peer);
	curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME_T, &us);
	r.error = classify(x, rc, r.http_status, ct);
	r.elapsed_ms = (unsigned)(us / 1000);
	r.url = x->url;
	ct_s = sanitize_str(ct, TEXT_MAX);
	loc_s = sanitize_str(loc, 1024);
	peer_s = peer != NULL && peer[0] != '\0' ? sanitize_str(peer, 64) : NULL;
	r.content_type = ct_s;
	r.location = r.http_status >= 300 && r.http_status <= 399 ? loc_s : NULL;
	r.peer = peer_s;

	switch (r.error) {
	case MTASTS_FETCH_OK:
		r.body = x->body != NULL ? x->body : "";
		r.body_len = x->len;
		snprintf(text, sizeof(text), "HTTP %ld, %zu bytes",
		    r.http_status, x->len);
		break;
	case MTASTS_FETCH_REDIRECT:
		snprintf(text, sizeof(text), "HTTP %ld redirect to %s "
		    "(MTA-STS forbids following redirects)", r.http_status,
		    loc_s != NULL ? loc_s : "(no Location)");
		break;
	case MTASTS_FETCH_HTTP_STATUS:
		snprintf(text, sizeof(text), "HTTP status %ld, not 200",
		    r.http_status);
		break;
	case MTASTS_FETCH_CONTENT_TYPE:
		snprintf(text, sizeof(text), "Content-Type %s, not text/plain",
		    ct_s != NULL ? ct_s : "missing");
		break;
	case MTASTS_FETCH_TOO_LARGE:
		snprintf(text, sizeof(text), "body larger than %zu bytes",
		    x->max);
		break;
	default:
		snprintf(text, sizeof(text), "%s", x->errbuf[0] != '\0' ?
		    x->errbuf : curl_easy_strerror(rc));
		break;
	}
	text_s = sanitize_str(text, TEXT_MAX);
	r.error_text = text_s != NULL ? text_s : "out of memory";
	/* Detach from the multi handle before calling out: the callback may
	 * add and remove handles. */
	curl_multi_remove_handle(x->f->multi, x->easy);
	report(x, &r);
	free(text_s);
	free(ct_s);
	free(loc_s);
	free(peer_s);
}

static void
check_done(struct mtasts_fetcher *f)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
		char *priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		if (priv != NULL)
			finish((struct mtasts_fetch *)(void *)priv,
			    msg->data.result);
	}
}

static void
on_deferred(evutil_socket_t fd, short kind, void *arg)
{
	struct mtasts_fetch *x = arg;
	struct mtasts_fetch_result r;

	(void)fd;
	(void)kind;
	memset(&r, 0, sizeof(r));
	r.error = x->early;
	r.error_text = x->early_text;
	r.url = x->url;
	report(x, &r);
}

/* fail_later - report err from the loop (never from inside start). */
static struct mtasts_fetch *
fail_later(struct mtasts_fetch *x, enum mtasts_fetch_error err,
    const char *text)
{
	if (x->easy != NULL) {
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	x->early = err;
	snprintf(x->early_text, sizeof(x->early_text), "%s", text);
	if ((x->deferred = event_new(x->f->base, -1, 0, on_deferred, x)) == NULL) {
		fetch_free(x);
		return NULL;
	}
	event_active(x->deferred, EV_TIMEOUT, 1);
	return x;
}

/* resolve_entry - "host:port:addr,addr" for CURLOPT_RESOLVE; -1 when an
 * address is not an IP literal. */
static int
resolve_entry(const char *host, unsigned port, const char *const *addrs,
    size_t n, char *out, size_t outlen)
{
	size_t i, o;
	unsigned char bin[16];
	int w;

	w = snprintf(out, outlen, "%s:%u:", host, port);
	if (w < 0 || (size_t)w >= outlen)
		return -1;
	o = (size_t)w;
	for (i = 0; i < n; i++) {
		int v6 = inet_pton(AF_INET6, addrs[i], bin) == 1;

		if (!v6 && inet_pton(AF_INET, addrs[i], bin) != 1)
			return -1;
		w = snprintf(out + o, outlen - o, v6 ? "%s[%s]" : "%s%s",
		    i > 0 ? "," : "", addrs[i]);
		if (w < 0 || (size_t)w >= outlen - o)
			return -1;
		o += (size_t)w;
	}
	return 0;
}

struct mtasts_fetch *
mtasts_fetch_start(struct mtasts_fetcher *f, const char *domain,
    const struct mtasts_fetch_config *cfg, mtasts_fetch_cb *cb, void *arg)
{
	static const struct mtasts_fetch_config defaults;
	struct mtasts_fetch *x;
	char norm[DNS_NAME_MAX + 1], host[DNS_NAME_MAX + 16], entry[2048];
	const char *why = NULL;
	unsigned port, timeout;
	CURL *e;
	int ok;

	if (cfg == NULL)
		cfg = &defaults;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	x->f = f;
	x->cb = cb;
	x->arg = arg;
	x->max = cfg->max_body ? cfg->max_body : MTASTS_POLICY_MAX;
	if ((x->next = f->fetches) != NULL)
		x->next->prev = x;
	f->fetches = x;
	port = cfg->port ? cfg->port : 443;
	timeout = cfg->timeout_ms ? cfg->timeout_ms : DEFAULT_TIMEOUT_MS;

	if (domain == NULL || dns_name_normalize(domain, norm, &why) != 0) {
		snprintf(x->url, sizeof(x->url), "(none)");
		return fail_later(x, MTASTS_FETCH_BAD_DOMAIN,
		    why != NULL ? why : "no domain");
	}
	snprintf(host, sizeof(host), "mta-sts.%s", norm);
	if (strlen(host) > DNS_NAME_MAX) {
		snprintf(x->url, sizeof(x->url), "(none)");
		return fail_later(x, MTASTS_FETCH_BAD_DOMAIN,
		    "mta-sts.<domain> is longer than 253 characters");
	}
	if (port == 443)
		snprintf(x->url, sizeof(x->url),
		    "https://%s/.well-known/mta-sts.txt", host);
	else
		snprintf(x->url, sizeof(x->url),
		    "https://%s:%u/.well-known/mta-sts.txt", host, port);
	if (port > 65535)
		return fail_later(x, MTASTS_FETCH_INTERNAL, "port out of range");
	if (cfg->n_addrs > 0) {
		if (cfg->addrs == NULL || resolve_entry(host, port, cfg->addrs,
		    cfg->n_addrs, entry, sizeof(entry)) != 0)
			return fail_later(x, MTASTS_FETCH_INTERNAL,
			    "an address to connect to is not an IP address");
		if ((x->resolve = curl_slist_append(NULL, entry)) == NULL)
			return fail_later(x, MTASTS_FETCH_INTERNAL, "out of memory");
	}
	if (cfg->ca_file != NULL && (x->ca_file = strdup(cfg->ca_file)) == NULL)
		return fail_later(x, MTASTS_FETCH_INTERNAL, "out of memory");
	if ((e = x->easy = curl_easy_init()) == NULL)
		return fail_later(x, MTASTS_FETCH_INTERNAL, "curl_easy_init failed");

	ok = curl_easy_setopt(e, CURLOPT_URL, x->url) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_PRIVATE, x) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf) == CURLE_OK &&
	    /* HTTPS only, never a redirect (RFC 8461 3.3). */
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https") == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https") == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
	        (long)CURL_HTTP_VERSION_1_1) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_USERAGENT, "mailtls") == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	    /* Each fetch on its own connection: a reused one would skip the
	     * certificate check this fetch is about. */
	    curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)timeout) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	        (curl_off_t)x->max) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, x) == CURLE_OK;
	if (ok && x->ca_file != NULL)
		/* Only the given store: no system CA directory beside it. */
		ok = curl_easy_setopt(e, CURLOPT_CAINFO, x->ca_file) == CURLE_OK &&
		    curl_easy_setopt(e, CURLOPT_CAPATH, NULL) == CURLE_OK;
	if (ok && x->resolve != NULL)
		ok = curl_easy_setopt(e, CURLOPT_RESOLVE, x->resolve) == CURLE_OK;
	if (!ok)
		return fail_later(x, MTASTS_FETCH_INTERNAL,
		    "libcurl lacks an option MTA-STS needs");
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK)
		return fail_later(x, MTASTS_FETCH_INTERNAL,
		    "curl_multi_add_handle failed");
	return x;
}

void
mtasts_fetch_cancel(struct mtasts_fetch *x)
{
	if (x == NULL || x->in_callback)
		return;
	fetch_free(x);
}

struct mtasts_fetcher *
mtasts_fetcher_new(struct event_base *base, char *err, size_t errlen)
{
	static int global_done;
	struct mtasts_fetcher *f;

	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			snprintf(err, errlen, "curl_global_init failed");
			return NULL;
		}
		global_done = 1;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->base = base;
	if ((f->multi = curl_multi_init()) == NULL ||
	    (f->timer = evtimer_new(base, on_timer, f)) == NULL ||
	    curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, sock_cb) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, timer_cb) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f) != CURLM_OK) {
		snprintf(err, errlen, "cannot set up libcurl's multi interface");
		mtasts_fetcher_free(f);
		return NULL;
	}
	return f;
}

void
mtasts_fetcher_free(struct mtasts_fetcher *f)
{
	if (f == NULL)
		return;
	while (f->fetches != NULL)
		fetch_free(f->fetches);
	if (f->multi != NULL)
		curl_multi_cleanup(f->multi);	/* CURL_POLL_REMOVE frees events */
	if (f->timer != NULL)
		event_free(f->timer);
	free(f);
}

static const char *const error_names[] = {
	[MTASTS_FETCH_OK] = "ok",
	[MTASTS_FETCH_BAD_DOMAIN] = "bad-domain",
	[MTASTS_FETCH_RESOLVE] = "resolve",
	[MTASTS_FETCH_CONNECT] = "connect",
	[MTASTS_FETCH_TLS] = "tls",
	[MTASTS_FETCH_CERT_UNTRUSTED] = "cert-untrusted",
	[MTASTS_FETCH_CERT_NAME] = "cert-name",
	[MTASTS_FETCH_TIMEOUT] = "timeout",
	[MTASTS_FETCH_REDIRECT] = "redirect",
	[MTASTS_FETCH_HTTP_STATUS] = "http-status",
	[MTASTS_FETCH_CONTENT_TYPE] = "content-type",
	[MTASTS_FETCH_TOO_LARGE] = "too-large",
	[MTASTS_FETCH_PROTOCOL] = "protocol",
	[MTASTS_FETCH_INTERNAL] = "internal",
};
_Static_assert(sizeof(error_names) / sizeof(error_names[0]) ==
    MTASTS_FETCH_ERROR_COUNT, "error_names");

const char *
mtasts_fetch_error_name(enum mtasts_fetch_error e)
{
	return (unsigned)e < MTASTS_FETCH_ERROR_COUNT ? error_names[e] : "?";
}
