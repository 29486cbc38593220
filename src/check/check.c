/*
 * check.c - one domain, end to end.  See check.h.
 *
 * A check counts what it has in flight (DNS lookups and SMTP sessions);
 * each completion may start more work (an MX answer starts the address
 * lookups, an address answer starts sessions) and decrements the count.
 * When it reaches zero the result is complete: servers are put in a stable
 * order, findings are derived, and done_cb runs from a separate event, so
 * it never runs inside libunbound's or a bufferevent's callback.
 *
 * RFC 5321 5.1 is the map: MX records sorted by preference; no MX at all
 * means the domain itself is the host (implicit MX); RFC 7505: a single
 * "MX 0 ." says the domain takes no mail.
 */
#include "check/check.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns_name.h"
#include "dns/dns_resolver.h"
#include "dns/dns_wire.h"
#include "check/auth.h"
#include "check/server_pool.h"
#include "mtasts/policy_list.h"
#include "util/sanitize.h"

/*
 * One server address: first the SMTP/TLS session a sender would have, then,
 * if it reached TLS, the enumeration of everything the server accepts.  The
 * two run one after the other, so an address never sees two connections
 * from one check at once.
 */
struct server_job {
	struct check		*c;
	struct host_result	*host;
	struct server_result	*server;
	struct smtp_params	 params;
	struct smtp_session	*session;	/* NULL once done */
	struct probe_params	 probe_params;
	struct probe		*probe;		/* NULL once done */
	struct server_wait	*wait;		/* pooled: NULL once answered */
};

/* One MX host's lookups: A and AAAA, then its TLSA lookups (DANE). */
struct host_state {
	struct check		*c;
	struct host_result	*host;
	unsigned		 addr_pending;	/* A/AAAA lookups in flight */
	struct dns_lookup	*tlsa;		/* NULL when none in flight */
};

struct addr_lookup {
	struct check		*c;
	struct host_result	*host;
	struct host_state	*hs;
	int			 rrtype;
	struct dns_lookup	*lookup;	/* NULL once answered */
};

/*
 * The domain's MTA-STS and TLS-RPT: two TXT lookups beside the MX lookup;
 * a valid _mta-sts record leads to the addresses of mta-sts.<domain> and
 * then the policy fetch over HTTPS.
 */
struct sts_state {
	struct dns_lookup	*txt;		/* _mta-sts.<domain> TXT */
	struct dns_lookup	*rpt;		/* _smtp._tls.<domain> TXT */
	struct dns_lookup	*addr[2];	/* mta-sts.<domain> A, AAAA */
	unsigned		 addr_pending;
	char			*addrs[2 * 8];	/* literals for the fetch */
	size_t			 n_addrs;
	size_t			 n_reserved;	/* addresses not used */
	struct mtasts_fetch	*fetch;
};

struct check {
	const struct check_env	*env;
	struct domain_result	*res;
	check_done_cb		*done_cb;
	void			*arg;
	size_t			 pending;
	struct dns_lookup	*mx_lookup;
	struct addr_lookup	*addr_lookups;	/* 2 per host: A, AAAA */
	struct host_state	*hosts;		/* 1 per host */
	struct sts_state	 sts;
	struct server_job	**jobs;
	size_t			 n_jobs;
	size_t			 cap_jobs;
	struct event		*complete;
	struct timeval		 started;
	const struct policy_list_entry *policy;	/* --policy-file, or NULL */
};

void
check_config_defaults(struct check_config *cfg)
{
	static const struct smtp_reply_limits limits = SMTP_REPLY_LIMITS_DEFAULT;

	memset(cfg, 0, sizeof(*cfg));
	cfg->port = 25;
	cfg->ehlo_name = "mailtls.invalid";
	cfg->dns_timeout_ms = 10000;
	cfg->connect_timeout_ms = 10000;
	cfg->reply_timeout_ms = 30000;
	cfg->tls_timeout_ms = 30000;
	cfg->max_mx_hosts = 16;
	cfg->max_addresses = 8;
	cfg->probe_reserved = 1;
	cfg->enumerate = 1;
	cfg->probe_gap_ms = 20;
	cfg->probe_max_connections = 300;
	cfg->auth = 1;
	cfg->mtasts_timeout_ms = 20000;
	cfg->limits = limits;
}

static void
work_done(struct check *c)
{
	if (--c->pending == 0)
		event_active(c->complete, EV_TIMEOUT, 0);
}

static void
record_dns(struct dns_status *st, const struct dns_answer *a)
{
	st->done = 1;
	st->outcome = a->outcome;
	st->dnssec = a->dnssec;
	st->why_bogus = a->why_bogus ? strdup(a->why_bogus) : NULL;
	st->canonname = a->canonname ? strdup(a->canonname) : NULL;
	st->error = a->error ? sanitize_str(a->error, 200) : NULL;
}

/* --- SMTP sessions and probes --------------------------------------- */

static void
on_probe_done(void *arg)
{
	struct server_job *job = arg;

	job->probe = NULL;
	work_done(job->c);
}

static void
start_enumeration(struct server_job *job)
{
	const struct check_config *cfg = job->c->env->cfg;
	struct probe_params *pp = &job->probe_params;

	pp->addr = job->server->addr;
	pp->port = cfg->port;
	pp->ehlo_name = cfg->ehlo_name;
	pp->server_name = job->host->name;
	pp->connect_timeout_ms = cfg->connect_timeout_ms;
	pp->reply_timeout_ms = cfg->reply_timeout_ms;
	pp->gap_ms = cfg->probe_gap_ms;
	pp->max_connections = cfg->probe_max_connections;
	pp->limits = cfg->limits;
	job->probe = probe_start(job->c->env->base, pp, &job->server->probe,
	    on_probe_done, job);
	if (job->probe != NULL)
		job->c->pending++;
}

static void
on_session_done(void *arg)
{
	struct server_job *job = arg;

	job->session = NULL;
	/*
	 * Enumerate after a failed handshake too: a server that speaks only
	 * SSLv3, or only suites OpenSSL no longer has, fails OpenSSL's
	 * handshake, and the probe is what can say why.
	 */
	if (job->c->env->cfg->enumerate &&
	    (job->server->smtp.status == SMTP_STATUS_TLS_OK ||
	    job->server->smtp.status == SMTP_STATUS_TLS_FAILED))
		start_enumeration(job);
	work_done(job->c);
}

static void
start_job(struct check *c, struct host_result *h, struct server_result *srv)
{
	const struct check_config *cfg = c->env->cfg;
	struct server_job *job;

	if (c->n_jobs == c->cap_jobs) {
		size_t cap = c->cap_jobs ? c->cap_jobs * 2 : 8;
		struct server_job **v = realloc(c->jobs, cap * sizeof(*v));
		if (v == NULL)
			goto nomem;
		c->jobs = v;
		c->cap_jobs = cap;
	}
	if ((job = calloc(1, sizeof(*job))) == NULL)
		goto nomem;
	c->jobs[c->n_jobs++] = job;
	job->c = c;
	job->host = h;
	job->server = srv;
	job->params.addr = srv->addr;
	job->params.port = cfg->port;
	job->params.ehlo_name = cfg->ehlo_name;
	job->params.server_name = h->name;
	job->params.connect_timeout_ms = cfg->connect_timeout_ms;
	job->params.reply_timeout_ms = cfg->reply_timeout_ms;
	job->params.tls_timeout_ms = cfg->tls_timeout_ms;
	job->params.limits = cfg->limits;
	job->params.tls_ctx = c->env->tls_ctx;
	job->session = smtp_session_start(c->env->base, &job->params, &srv->smtp,
	    &srv->tls, on_session_done, job);
	if (job->session != NULL)
		c->pending++;
	return;
nomem:
	srv->smtp.status = SMTP_STATUS_NOT_TESTED;
	srv->smtp.error = strdup("out of memory");
}

/* The pool's answer: a shared result, retained for this check. */
static void
on_pooled(void *arg, struct server_result *srv)
{
	struct server_job *job = arg;

	job->wait = NULL;
	if (host_result_add_server(job->host, srv) == -1)
		server_result_release(srv);
	work_done(job->c);
}

/* start_pooled - ask the scan's pool; 0, or -1 to test it here instead. */
static int
start_pooled(struct check *c, struct host_result *h, const struct netaddr *addr)
{
	struct server_key key;
	struct server_job *job;

	if (c->n_jobs == c->cap_jobs) {
		size_t cap = c->cap_jobs ? c->cap_jobs * 2 : 8;
		struct server_job **v = realloc(c->jobs, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		c->jobs = v;
		c->cap_jobs = cap;
	}
	if ((job = calloc(1, sizeof(*job))) == NULL)
		return -1;
	key.addr = *addr;
	key.port = c->env->cfg->port;
	key.name = h->name;
	job->c = c;
	job->host = h;
	if ((job->wait = server_pool_request(c->env->pool, &key, on_pooled,
	    job)) == NULL) {
		free(job);
		return -1;
	}
	c->jobs[c->n_jobs++] = job;
	c->pending++;
	return 0;
}

static void
add_server(struct check *c, struct host_result *h, const struct netaddr *addr)
{
	struct server_result *srv;
	const char *skip = c->env->skip != NULL ?
	    c->env->skip(c->env->skip_arg, h->name, addr) : NULL;

	if (skip == NULL && c->env->pool != NULL &&
	    (c->env->cfg->probe_reserved || netaddr_reserved(addr) == NULL) &&
	    start_pooled(c, h, addr) == 0)
		return;
	if ((srv = calloc(1, sizeof(*srv))) == NULL)
		return;
	if (host_result_add_server(h, srv) == -1) {
		free(srv);
		return;
	}
	srv->addr = *addr;
	netaddr_to_text(addr, srv->addr_text, sizeof(srv->addr_text));
	srv->reserved = netaddr_reserved(addr);
	if (skip != NULL) {
		srv->smtp.status = SMTP_STATUS_NOT_TESTED;
		srv->smtp.error = strdup(skip);
		return;
	}
	if (srv->reserved != NULL && !c->env->cfg->probe_reserved) {
		srv->smtp.status = SMTP_STATUS_NOT_TESTED;
		srv->smtp.error = strdup("reserved address not tested "
		    "(--allow-reserved tests it)");
		return;
	}
	start_job(c, h, srv);
}

/* --- DANE: TLSA lookups per MX host (RFC 7672 2.2) --------------------- */

static void next_tlsa(struct host_state *hs);

static void
on_tlsa(void *arg, const struct dns_answer *a)
{
	struct host_state *hs = arg;

	hs->tlsa = NULL;
	(void)dane_host_on_answer(&hs->host->dane, a);
	next_tlsa(hs);
	work_done(hs->c);
}

/* next_tlsa - the next lookup dane.h asks for, if any. */
static void
next_tlsa(struct host_state *hs)
{
	struct check *c = hs->c;
	const char *q = dane_host_next_query(&hs->host->dane);

	if (q == NULL)
		return;
	hs->tlsa = dns_lookup(c->env->dns, q, DNS_RR_TLSA,
	    c->env->cfg->dns_timeout_ms, on_tlsa, hs);
	if (hs->tlsa != NULL) {
		c->pending++;
	} else {
		/* Could not even ask (out of memory): a failed lookup. */
		struct dns_answer fail;

		memset(&fail, 0, sizeof(fail));
		fail.qname = q;
		fail.qtype = DNS_RR_TLSA;
		fail.outcome = DNS_ERROR;
		fail.error = "out of memory";
		(void)dane_host_on_answer(&hs->host->dane, &fail);
	}
}

/*
 * start_dane - once both address lookups of a host are answered: whether
 * DANE applies depends on the MX and address records being secure.
 */
static void
start_dane(struct host_state *hs)
{
	struct check *c = hs->c;
	struct host_result *h = hs->host;
	enum dnssec_state addr;
	const char *canon;

	if (!c->env->cfg->auth)
		return;
	addr = dane_addr_dnssec(h->a.outcome, h->a.dnssec, h->aaaa.outcome,
	    h->aaaa.dnssec);
	canon = h->a.canonname != NULL ? h->a.canonname : h->aaaa.canonname;
	if (dane_host_init(&h->dane, h->name, c->res->mx.dnssec, addr,
	    canon) == -1) {
		dane_host_free(&h->dane);	/* stays PENDING: not checked */
		return;
	}
	next_tlsa(hs);
}

/* --- address lookups -------------------------------------------------- */

static void
on_address(void *arg, const struct dns_answer *a)
{
	struct addr_lookup *al = arg;
	struct check *c = al->c;
	struct host_result *h = al->host;
	size_t i, want = al->rrtype == DNS_RR_A ? 4 : 16, added = 0;

	al->lookup = NULL;
	record_dns(al->rrtype == DNS_RR_A ? &h->a : &h->aaaa, a);
	/* A bogus answer is not an address: DANE senders would not use it. */
	for (i = 0; a->dnssec != DNSSEC_BOGUS && i < a->count; i++) {
		struct netaddr addr;

		if (a->rrs[i].len != want || added == c->env->cfg->max_addresses)
			continue;
		memset(&addr, 0, sizeof(addr));
		addr.family = al->rrtype == DNS_RR_A ? AF_INET : AF_INET6;
		memcpy(addr.bytes, a->rrs[i].rdata, want);
		add_server(c, h, &addr);
		added++;
	}
	if (--al->hs->addr_pending == 0)
		start_dane(al->hs);
	work_done(c);
}

static void
start_address_lookups(struct check *c)
{
	const struct check_config *cfg = c->env->cfg;
	struct domain_result *d = c->res;
	size_t i, k;

	c->addr_lookups = calloc(d->n_hosts * 2, sizeof(*c->addr_lookups));
	c->hosts = calloc(d->n_hosts ? d->n_hosts : 1, sizeof(*c->hosts));
	if (c->addr_lookups == NULL || c->hosts == NULL)
		return;
	for (i = 0; i < d->n_hosts; i++) {
		struct host_state *hs = &c->hosts[i];

		hs->c = c;
		hs->host = &d->hosts[i];
		/* Count both first: an answer may not start DANE early. */
		hs->addr_pending = 2;
		for (k = 0; k < 2; k++) {
			struct addr_lookup *al = &c->addr_lookups[2 * i + k];

			al->c = c;
			al->host = &d->hosts[i];
			al->hs = hs;
			al->rrtype = k == 0 ? DNS_RR_A : DNS_RR_AAAA;
			al->lookup = dns_lookup(c->env->dns, al->host->name,
			    al->rrtype, cfg->dns_timeout_ms, on_address, al);
			if (al->lookup != NULL)
				c->pending++;
			else
				hs->addr_pending--;
		}
		if (hs->addr_pending == 0)
			start_dane(hs);
	}
}

/* --- MX lookup -------------------------------------------------------- */

struct mx_entry {
	uint16_t	pref;
	char		name[DNS_WIRE_TEXT_MAX];
};

static int
mx_order(const void *a, const void *b)
{
	const struct mx_entry *x = a, *y = b;

	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	return strcasecmp(x->name, y->name);
}

static int
add_host(struct domain_result *d, const char *name, int preference)
{
	struct host_result *h = &d->hosts[d->n_hosts];
	char norm[DNS_NAME_MAX + 1];
	const char *why;

	memset(h, 0, sizeof(*h));
	h->preference = preference;
	/* Names from the wire are looked up as they are, shown sanitised. */
	h->name = dns_name_normalize(name, norm, &why) == 0 ? strdup(norm) :
	    sanitize_str(name, DNS_WIRE_TEXT_MAX);
	if (h->name == NULL)
		return -1;
	d->n_hosts++;
	return 0;
}

static void
hosts_from_mx(struct check *c, const struct dns_answer *a)
{
	struct domain_result *d = c->res;
	struct mx_entry *mx;
	size_t i, n = 0, roots = 0, limit = c->env->cfg->max_mx_hosts;

	if ((mx = calloc(a->count, sizeof(*mx))) == NULL)
		return;
	for (i = 0; i < a->count; i++) {
		if (dns_wire_mx(a->rrs[i].rdata, a->rrs[i].len, &mx[n].pref,
		    mx[n].name) == -1)
			continue;		/* malformed RDATA: skip it */
		if (strcmp(mx[n].name, ".") == 0) {
			roots++;
			continue;
		}
		n++;
	}
	if (roots > 0 && n == 0)
		d->null_mx = 1;
	else
		d->null_mx_mixed = roots;
	qsort(mx, n, sizeof(*mx), mx_order);
	if ((d->hosts = calloc(n ? n : 1, sizeof(*d->hosts))) == NULL) {
		free(mx);
		return;
	}
	for (i = 0; i < n; i++) {
		size_t j;
		int dup = 0;

		for (j = 0; j < d->n_hosts && !dup; j++)
			dup = dns_name_equal(d->hosts[j].name, mx[i].name);
		if (dup)
			continue;
		if (d->n_hosts == limit) {
			d->mx_ignored++;
			continue;
		}
		if (add_host(d, mx[i].name, mx[i].pref) == -1)
			break;
	}
	free(mx);
}

static void
on_mx(void *arg, const struct dns_answer *a)
{
	struct check *c = arg;
	struct domain_result *d = c->res;

	c->mx_lookup = NULL;
	record_dns(&d->mx, a);
	if (a->dnssec == DNSSEC_BOGUS) {
		/* Validating senders see SERVFAIL: nothing to connect to. */
	} else if (a->outcome == DNS_OK) {
		hosts_from_mx(c, a);
	} else if (a->outcome == DNS_NODATA) {
		d->implicit_mx = 1;
		if ((d->hosts = calloc(1, sizeof(*d->hosts))) != NULL)
			add_host(d, d->name, -1);
	}
	start_address_lookups(c);
	work_done(c);
}

/* --- MTA-STS (RFC 8461 3) and TLS-RPT (RFC 8460 3) ---------------------- */

static void
sts_set_fetch_failure(struct mtasts_result *m, enum mtasts_fetch_error e,
    const char *text)
{
	m->fetched = 1;
	m->fetch_error = e;
	free(m->fetch_error_text);
	m->fetch_error_text = strdup(text);
	m->state = MTASTS_DOMAIN_FETCH_FAILED;
}

static char *
strdup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
on_sts_fetch(void *arg, const struct mtasts_fetch_result *r)
{
	struct check *c = arg;
	struct mtasts_result *m = &c->res->mtasts;

	c->sts.fetch = NULL;
	m->fetched = 1;
	m->fetch_error = r->error;
	m->fetch_error_text = strdup_or_null(r->error_text);
	m->url = strdup_or_null(r->url);
	m->http_status = r->http_status;
	m->content_type = strdup_or_null(r->content_type);
	m->location = strdup_or_null(r->location);
	m->peer = strdup_or_null(r->peer);
	m->fetch_ms = r->elapsed_ms;
	if (r->error != MTASTS_FETCH_OK)
		m->state = MTASTS_DOMAIN_FETCH_FAILED;
	else if (mtasts_policy_parse(r->body, r->body_len, &m->policy) == -1)
		sts_set_fetch_failure(m, MTASTS_FETCH_INTERNAL, "out of memory");
	else
		m->state = mtasts_policy_valid(&m->policy) ?
		    MTASTS_DOMAIN_POLICY : MTASTS_DOMAIN_INVALID_POLICY;
	work_done(c);
}

/* start_sts_fetch - both address lookups of mta-sts.<domain> are done. */
static void
start_sts_fetch(struct check *c)
{
	const struct check_config *cfg = c->env->cfg;
	struct mtasts_result *m = &c->res->mtasts;
	struct mtasts_fetch_config fc;
	char why[300];

	if (c->sts.n_addrs == 0) {
		if (c->sts.n_reserved > 0)
			snprintf(why, sizeof(why), "mta-sts.%s has only "
			    "reserved addresses: not fetched (--allow-reserved "
			    "fetches)", c->res->name);
		else
			snprintf(why, sizeof(why), "mta-sts.%s has no address",
			    c->res->name);
		sts_set_fetch_failure(m, MTASTS_FETCH_RESOLVE, why);
		return;
	}
	if (c->env->fetcher == NULL) {
		sts_set_fetch_failure(m, MTASTS_FETCH_INTERNAL,
		    "no HTTPS client: the policy was not fetched");
		return;
	}
	memset(&fc, 0, sizeof(fc));
	fc.ca_file = cfg->ca_file;
	fc.addrs = (const char *const *)c->sts.addrs;
	fc.n_addrs = c->sts.n_addrs;
	fc.port = cfg->mtasts_port;
	fc.timeout_ms = cfg->mtasts_timeout_ms;
	c->sts.fetch = mtasts_fetch_start(c->env->fetcher, c->res->name, &fc,
	    on_sts_fetch, c);
	if (c->sts.fetch != NULL)
		c->pending++;
	else
		sts_set_fetch_failure(m, MTASTS_FETCH_INTERNAL, "out of memory");
}

static void
on_sts_address(void *arg, const struct dns_answer *a)
{
	struct check *c = arg;
	int v4 = a->qtype == DNS_RR_A;
	size_t i, want = v4 ? 4 : 16;

	c->sts.addr[v4 ? 0 : 1] = NULL;
	/* A bogus answer is no address: a validating sender gets SERVFAIL. */
	for (i = 0; a->dnssec != DNSSEC_BOGUS && i < a->count; i++) {
		struct netaddr addr;
		char text[NETADDR_TEXT_MAX];

		if (a->rrs[i].len != want ||
		    c->sts.n_addrs == sizeof(c->sts.addrs) / sizeof(c->sts.addrs[0]))
			continue;
		memset(&addr, 0, sizeof(addr));
		addr.family = v4 ? AF_INET : AF_INET6;
		memcpy(addr.bytes, a->rrs[i].rdata, want);
		/* Never an HTTPS request into a reserved range unless allowed
		 * (a public `serve` must not reach internal hosts). */
		if (netaddr_reserved(&addr) != NULL &&
		    !c->env->cfg->probe_reserved) {
			c->sts.n_reserved++;
			continue;
		}
		netaddr_to_text(&addr, text, sizeof(text));
		if ((c->sts.addrs[c->sts.n_addrs] = strdup(text)) != NULL)
			c->sts.n_addrs++;
	}
	if (--c->sts.addr_pending == 0)
		start_sts_fetch(c);
	work_done(c);
}

static void
on_sts_txt(void *arg, const struct dns_answer *a)
{
	struct check *c = arg;
	struct mtasts_result *m = &c->res->mtasts;
	char host[DNS_NAME_MAX + 16];
	int k;

	c->sts.txt = NULL;
	m->checked = 1;
	record_dns(&m->txt, a);
	if (a->dnssec == DNSSEC_BOGUS) {
		m->state = MTASTS_DOMAIN_NOT_CHECKED;
	} else if (a->outcome == DNS_NODATA || a->outcome == DNS_NXDOMAIN) {
		m->record.error = MTASTS_TXT_NO_RECORD;
		m->state = MTASTS_DOMAIN_NO_RECORD;
	} else if (a->outcome != DNS_OK) {
		m->state = MTASTS_DOMAIN_NOT_CHECKED;
	} else if (mtasts_txt_parse_rrset(a->rrs, a->count, &m->record) !=
	    MTASTS_TXT_OK) {
		m->state = MTASTS_DOMAIN_NO_RECORD;
	} else {
		/* The policy host's addresses, from our validating resolver:
		 * libcurl is pinned to them and never resolves by itself. */
		snprintf(host, sizeof(host), "mta-sts.%s", c->res->name);
		c->sts.addr_pending = 2;
		for (k = 0; k < 2; k++) {
			c->sts.addr[k] = dns_lookup(c->env->dns, host,
			    k == 0 ? DNS_RR_A : DNS_RR_AAAA,
			    c->env->cfg->dns_timeout_ms, on_sts_address, c);
			if (c->sts.addr[k] != NULL)
				c->pending++;
			else
				c->sts.addr_pending--;
		}
		if (c->sts.addr_pending == 0)
			start_sts_fetch(c);
	}
	work_done(c);
}

static void
on_tlsrpt_txt(void *arg, const struct dns_answer *a)
{
	struct check *c = arg;
	struct tlsrpt_result *t = &c->res->tlsrpt;

	c->sts.rpt = NULL;
	t->checked = 1;
	record_dns(&t->txt, a);
	t->record.error = TLSRPT_NO_RECORD;
	if (a->outcome == DNS_OK && a->dnssec != DNSSEC_BOGUS &&
	    tlsrpt_parse_rrset(a->rrs, a->count, &t->record) == -1)
		t->record.error = TLSRPT_NO_RECORD;
	work_done(c);
}

/* start_sts - the domain's TXT lookups, beside its MX lookup. */
static void
start_sts(struct check *c)
{
	char name[DNS_NAME_MAX + 16];

	if (!c->env->cfg->auth)
		return;
	snprintf(name, sizeof(name), "_mta-sts.%s", c->res->name);
	c->sts.txt = dns_lookup(c->env->dns, name, DNS_RR_TXT,
	    c->env->cfg->dns_timeout_ms, on_sts_txt, c);
	if (c->sts.txt != NULL)
		c->pending++;
	snprintf(name, sizeof(name), "_smtp._tls.%s", c->res->name);
	c->sts.rpt = dns_lookup(c->env->dns, name, DNS_RR_TXT,
	    c->env->cfg->dns_timeout_ms, on_tlsrpt_txt, c);
	if (c->sts.rpt != NULL)
		c->pending++;
}

/* --- completion ------------------------------------------------------- */

static int
server_order(const void *a, const void *b)
{
	const struct server_result *x = *(struct server_result *const *)a;
	const struct server_result *y = *(struct server_result *const *)b;

	if (x->addr.family != y->addr.family)
		return x->addr.family == AF_INET ? -1 : 1;
	return memcmp(x->addr.bytes, y->addr.bytes, sizeof(x->addr.bytes));
}

static void
check_free(struct check *c)
{
	size_t i;

	if (c->mx_lookup != NULL)
		dns_lookup_cancel(c->mx_lookup);
	for (i = 0; c->addr_lookups && i < c->res->n_hosts * 2; i++)
		if (c->addr_lookups[i].lookup != NULL)
			dns_lookup_cancel(c->addr_lookups[i].lookup);
	for (i = 0; c->hosts && i < c->res->n_hosts; i++)
		if (c->hosts[i].tlsa != NULL)
			dns_lookup_cancel(c->hosts[i].tlsa);
	if (c->sts.txt != NULL)
		dns_lookup_cancel(c->sts.txt);
	if (c->sts.rpt != NULL)
		dns_lookup_cancel(c->sts.rpt);
	for (i = 0; i < 2; i++)
		if (c->sts.addr[i] != NULL)
			dns_lookup_cancel(c->sts.addr[i]);
	if (c->sts.fetch != NULL)
		mtasts_fetch_cancel(c->sts.fetch);
	for (i = 0; i < c->sts.n_addrs; i++)
		free(c->sts.addrs[i]);
	for (i = 0; i < c->n_jobs; i++) {
		if (c->jobs[i]->session != NULL)
			smtp_session_cancel(c->jobs[i]->session);
		if (c->jobs[i]->probe != NULL)
			probe_cancel(c->jobs[i]->probe);
		if (c->jobs[i]->wait != NULL)
			server_pool_cancel(c->jobs[i]->wait);
		free(c->jobs[i]);
	}
	free(c->jobs);
	free(c->addr_lookups);
	free(c->hosts);
	if (c->complete != NULL)
		event_free(c->complete);
	free(c);
}

static void
on_complete(evutil_socket_t fd, short what, void *arg)
{
	struct check *c = arg;
	struct domain_result *d = c->res;
	check_done_cb *cb = c->done_cb;
	void *cbarg = c->arg;
	struct timeval now, dt;
	size_t i;

	(void)fd;
	(void)what;
	for (i = 0; i < d->n_hosts; i++) {
		qsort(d->hosts[i].servers, d->hosts[i].n_servers,
		    sizeof(*d->hosts[i].servers), server_order);
		/* A list entry with mxs names the hosts allowed to get mail. */
		d->hosts[i].policy_unlisted = c->policy != NULL &&
		    c->policy->n_mxs > 0 &&
		    !policy_list_mx_match(c->policy, d->hosts[i].name);
	}
	event_base_gettimeofday_cached(c->env->base, &now);
	evutil_timersub(&now, &c->started, &dt);
	/* The cached clock may lag the one read at the start by a few ms. */
	d->elapsed_ms = dt.tv_sec < 0 ? 0 :
	    (unsigned)(dt.tv_sec * 1000 + dt.tv_usec / 1000);
	(void)auth_judge(d);
	findings_derive(d, (int64_t)now.tv_sec);
	grade_derive(d);
	check_free(c);
	cb(cbarg, d);
}

struct check *
check_start(const struct check_env *env, const char *domain,
    check_done_cb *done_cb, void *arg)
{
	struct check *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->env = env;
	c->done_cb = done_cb;
	c->arg = arg;
	if ((c->res = calloc(1, sizeof(*c->res))) == NULL ||
	    (c->res->name = strdup(domain)) == NULL ||
	    (c->complete = event_new(env->base, -1, 0, on_complete, c)) == NULL)
		goto fail;
	c->res->port = env->cfg->port;
	if (env->policies != NULL) {
		const struct policy_list_entry *e =
		    policy_list_find(env->policies, domain);

		c->policy = e;
		c->res->policy_listed = e != NULL;
		c->res->policy_enforce = e != NULL &&
		    e->mode == POLICY_LIST_ENFORCE;
	}
	event_base_gettimeofday_cached(env->base, &c->started);
	c->res->started = (int64_t)c->started.tv_sec;
	c->mx_lookup = dns_lookup(env->dns, domain, DNS_RR_MX,
	    env->cfg->dns_timeout_ms, on_mx, c);
	if (c->mx_lookup == NULL)
		goto fail;
	c->pending = 1;
	start_sts(c);
	return c;
fail:
	domain_result_free(c->res);
	c->res = NULL;
	if (c->complete != NULL)
		event_free(c->complete);
	free(c);
	return NULL;
}

void
check_cancel(struct check *c)
{
	struct domain_result *d = c->res;

	check_free(c);
	domain_result_free(d);
}
