/*
 * dns_resolver.c - libunbound driven by libevent.  See dns_resolver.h.
 *
 * libunbound runs its resolver in a worker thread (ub_ctx_async) and signals
 * finished queries through a pipe, ub_fd().  We watch that descriptor on the
 * caller's event base and call ub_process(), which runs our result callback
 * for every finished query; that callback translates struct ub_result into
 * struct dns_answer and hands it to the caller.  Deadlines are ours: each
 * lookup owns a timer, and whichever of timer and answer comes first wins.
 */
#include "dns/dns_resolver.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unbound.h>

#include "dns/dns_name.h"
#include "util/sanitize.h"

#define ROOT_TRUST_ANCHOR "/usr/share/dns/root.key"	/* Debian dns-root-data */

struct dns_resolver {
	struct ub_ctx	*ub;
	struct event	*readable;
	struct event_base *base;
};

struct dns_lookup {
	struct dns_resolver *r;
	int		 async_id;
	struct event	*deadline;
	dns_callback	*cb;
	void		*arg;
	int		 qtype;
	char		 qname[DNS_NAME_MAX + 2];
};

static void
on_ub_readable(evutil_socket_t fd, short what, void *arg)
{
	struct dns_resolver *r = arg;

	(void)fd;
	(void)what;
	ub_process(r->ub);
}

static int
ub_check(int rc, const char *what, char *err, size_t errlen)
{
	if (rc != 0)
		snprintf(err, errlen, "DNS resolver: %s: %s", what, ub_strerror(rc));
	return rc;
}

struct dns_resolver *
dns_resolver_new(struct event_base *base, const struct dns_config *config,
    char *err, size_t errlen)
{
	struct dns_resolver *r;
	const char *ta = config->trust_anchor ? config->trust_anchor :
	    ROOT_TRUST_ANCHOR;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->base = base;
	if ((r->ub = ub_ctx_create()) == NULL) {
		snprintf(err, errlen, "DNS resolver: cannot create libunbound context");
		goto fail;
	}
	/* Threads, not a forked process: the answer pipe is all we share. */
	if (ub_check(ub_ctx_async(r->ub, 1), "async", err, errlen))
		goto fail;
	if (config->forwarder != NULL) {
		/*
		 * The user named the server to ask, possibly on loopback or
		 * serving a private .test zone (RFC 6761): let the queries go
		 * there.  ("nodefault" is ignored when set through the API;
		 * "transparent" with no local data has the same effect.)
		 */
		if (ub_check(ub_ctx_set_option(r->ub, "do-not-query-localhost:",
		    "no"), "do-not-query-localhost", err, errlen) ||
		    ub_check(ub_ctx_set_option(r->ub, "local-zone:",
		    "test. transparent"), "local-zone", err, errlen))
			goto fail;
		if (ub_ctx_set_fwd(r->ub, config->forwarder) != 0) {
			snprintf(err, errlen, "--resolver %s: not an IP address "
			    "with an optional @port", config->forwarder);
			goto fail;
		}
	} else if (ub_ctx_resolvconf(r->ub, NULL) != 0) {
		snprintf(err, errlen, "DNS resolver: cannot read /etc/resolv.conf; "
		    "give --resolver IP");
		goto fail;
	}
	if (ub_ctx_add_ta_file(r->ub, ta) != 0) {
		snprintf(err, errlen, "DNSSEC trust anchor %s: cannot read it "
		    "(install dns-root-data or give --trust-anchor FILE)", ta);
		goto fail;
	}
	r->readable = event_new(base, ub_fd(r->ub), EV_READ | EV_PERSIST,
	    on_ub_readable, r);
	if (r->readable == NULL || event_add(r->readable, NULL) != 0) {
		snprintf(err, errlen, "DNS resolver: cannot watch libunbound's fd");
		goto fail;
	}
	return r;
fail:
	dns_resolver_free(r);
	return NULL;
}

void
dns_resolver_free(struct dns_resolver *r)
{
	if (r == NULL)
		return;
	if (r->readable != NULL)
		event_free(r->readable);
	if (r->ub != NULL)
		ub_ctx_delete(r->ub);
	free(r);
}

static void
lookup_free(struct dns_lookup *l)
{
	if (l->deadline != NULL)
		event_free(l->deadline);
	free(l);
}

static void
deliver(struct dns_lookup *l, struct dns_answer *a)
{
	a->qname = l->qname;
	a->qtype = l->qtype;
	l->cb(l->arg, a);
	lookup_free(l);
}

static enum dns_outcome
outcome_of(const struct ub_result *res)
{
	switch (res->rcode) {
	case 0:
		return res->havedata ? DNS_OK : DNS_NODATA;
	case 2:
		return DNS_SERVFAIL;
	case 3:
		return DNS_NXDOMAIN;
	case 5:
		return DNS_REFUSED;
	default:
		return DNS_ERROR;
	}
}

static enum dnssec_state
dnssec_of(const struct ub_result *res, enum dns_outcome outcome)
{
	if (res->bogus)
		return DNSSEC_BOGUS;
	if (res->secure)
		return DNSSEC_SECURE;
	if (outcome == DNS_OK || outcome == DNS_NODATA || outcome == DNS_NXDOMAIN)
		return DNSSEC_INSECURE;
	return DNSSEC_INDETERMINATE;
}

static void
on_ub_result(void *arg, int err, struct ub_result *res)
{
	struct dns_lookup *l = arg;
	struct dns_answer a;
	struct dns_rr *rrs = NULL;
	char *why = NULL, *canon = NULL;
	char errbuf[128];
	size_t n = 0;

	memset(&a, 0, sizeof(a));
	event_del(l->deadline);
	if (err != 0 || res == NULL) {
		snprintf(errbuf, sizeof(errbuf), "libunbound: %s", ub_strerror(err));
		a.outcome = DNS_ERROR;
		a.dnssec = DNSSEC_INDETERMINATE;
		a.error = errbuf;
		deliver(l, &a);
		if (res != NULL)
			ub_resolve_free(res);
		return;
	}
	a.rcode = res->rcode;
	a.outcome = outcome_of(res);
	a.dnssec = dnssec_of(res, a.outcome);
	if (a.outcome == DNS_ERROR) {
		snprintf(errbuf, sizeof(errbuf), "DNS rcode %d", res->rcode);
		a.error = errbuf;
	}
	if (res->bogus && res->why_bogus != NULL)
		a.why_bogus = why = sanitize_str(res->why_bogus, 512);
	if (res->canonname != NULL && !dns_name_equal(res->canonname, l->qname) &&
	    (canon = sanitize_str(res->canonname, 300)) != NULL) {
		size_t clen = strlen(canon);

		if (clen > 1 && canon[clen - 1] == '.')	/* we drop the final dot */
			canon[clen - 1] = '\0';
		a.canonname = canon;
	}
	if (a.outcome == DNS_OK) {
		while (res->data[n] != NULL)
			n++;
		if ((rrs = calloc(n, sizeof(*rrs))) == NULL)
			n = 0;
		for (size_t i = 0; i < n; i++) {
			rrs[i].rdata = (uint8_t *)res->data[i];
			rrs[i].len = (size_t)res->len[i];
		}
		if (n == 0) {
			a.outcome = DNS_ERROR;
			a.error = "out of memory";
		}
	}
	a.count = n;
	a.rrs = rrs;
	deliver(l, &a);
	free(rrs);
	free(why);
	free(canon);
	ub_resolve_free(res);
}

static void
on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct dns_lookup *l = arg;
	struct dns_answer a;

	(void)fd;
	(void)what;
	ub_cancel(l->r->ub, l->async_id);
	memset(&a, 0, sizeof(a));
	a.outcome = DNS_TIMEOUT;
	a.dnssec = DNSSEC_INDETERMINATE;
	deliver(l, &a);
}

struct dns_lookup *
dns_lookup(struct dns_resolver *r, const char *name, int rrtype,
    unsigned timeout_ms, dns_callback *cb, void *arg)
{
	struct dns_lookup *l;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };

	if (strlen(name) > DNS_NAME_MAX + 1 || (l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->r = r;
	l->cb = cb;
	l->arg = arg;
	l->qtype = rrtype;
	strcpy(l->qname, name);
	if ((l->deadline = evtimer_new(r->base, on_deadline, l)) == NULL ||
	    ub_resolve_async(r->ub, l->qname, rrtype, 1 /* IN */, l,
	    on_ub_result, &l->async_id) != 0) {
		lookup_free(l);
		return NULL;
	}
	evtimer_add(l->deadline, &tv);
	return l;
}

void
dns_lookup_cancel(struct dns_lookup *l)
{
	ub_cancel(l->r->ub, l->async_id);
	lookup_free(l);
}

static const char *const outcome_names[] = {
	[DNS_OK] = "ok",
	[DNS_NODATA] = "nodata",
	[DNS_NXDOMAIN] = "nxdomain",
	[DNS_SERVFAIL] = "servfail",
	[DNS_REFUSED] = "refused",
	[DNS_TIMEOUT] = "timeout",
	[DNS_ERROR] = "error",
};
_Static_assert(sizeof(outcome_names) / sizeof(outcome_names[0]) ==
    DNS_OUTCOME_COUNT, "one name per dns_outcome");

static const char *const dnssec_names[] = {
	[DNSSEC_INDETERMINATE] = "indeterminate",
	[DNSSEC_SECURE] = "secure",
	[DNSSEC_INSECURE] = "insecure",
	[DNSSEC_BOGUS] = "bogus",
};
_Static_assert(sizeof(dnssec_names) / sizeof(dnssec_names[0]) ==
    DNSSEC_STATE_COUNT, "one name per dnssec_state");

const char *
dns_outcome_name(enum dns_outcome o)
{
	return o < DNS_OUTCOME_COUNT ? outcome_names[o] : "?";
}

const char *
dnssec_state_name(enum dnssec_state s)
{
	return s < DNSSEC_STATE_COUNT ? dnssec_names[s] : "?";
}
