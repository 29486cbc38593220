/*
 * auth.c - DANE and MTA-STS verdicts per address.  See auth.h.
 *
 * The order of the work follows a sender: DANE first (a DANE sender never
 * looks at MTA-STS for a host with a secure TLSA RRset, RFC 8461 2), each
 * address matched against the chain it presented; then the MTA-STS policy,
 * each address judged as an enforce-mode sender would (pattern, STARTTLS,
 * PKIX-valid certificate for the MX name).  Both verdicts are kept: the
 * grade takes the better authentication and any policy that fails.
 */
#include "check/auth.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
auth_session_conclusive(const struct server_result *s)
{
	switch (s->smtp.status) {
	case SMTP_STATUS_TLS_OK:
	case SMTP_STATUS_NO_STARTTLS:
	case SMTP_STATUS_STARTTLS_REFUSED:
	case SMTP_STATUS_TLS_FAILED:
	case SMTP_STATUS_PROTOCOL_ERROR:
	case SMTP_STATUS_REFUSED:
		return 1;
	default:
		return 0;
	}
}

/* judge_dane - match each address of h; 0 or -1 (out of memory). */
static int
judge_dane(struct host_result *h)
{
	const struct dane_addr_result **addrs;
	size_t j, n = 0;
	int rc = 0;

	if (h->dane.state == DANE_HOST_PENDING)
		return 0;		/* no DANE check was made */
	if ((addrs = calloc(h->n_servers ? h->n_servers : 1,
	    sizeof(*addrs))) == NULL)
		return -1;
	for (j = 0; j < h->n_servers; j++) {
		const struct server_result *s = h->servers[j];
		struct address_view *v = &h->views[j];
		struct dane_cert *certs = NULL;
		struct dane_chain chain = { NULL, 0 };
		size_t k;

		if (h->dane.state != DANE_HOST_TLSA) {
			dane_auth_fill(&h->dane, NULL, &v->auth);
			continue;
		}
		if (!auth_session_conclusive(s))
			continue;	/* nothing known: auth stays not checked */
		/* The chain as sent, borrowed from the TLS facts (not freed). */
		if (s->tls.handshake_ok && s->tls.chain_len > 0) {
			if ((certs = calloc(s->tls.chain_len,
			    sizeof(*certs))) == NULL) {
				rc = -1;
				break;
			}
			for (k = 0; k < s->tls.chain_len; k++) {
				certs[k].der = s->tls.chain[k].der;
				certs[k].len = s->tls.chain[k].der_len;
			}
			chain.certs = certs;
			chain.n = s->tls.chain_len;
		}
		if (dane_addr_match(&h->dane, &chain, &v->dane) == -1) {
			free(certs);
			rc = -1;
			break;
		}
		free(certs);
		dane_auth_fill(&h->dane, &v->dane, &v->auth);
		addrs[n++] = &v->dane;
	}
	dane_host_summarise(&h->dane, addrs, n);
	free(addrs);
	return rc;
}

static void
judge_mtasts(struct domain_result *d)
{
	struct mtasts_result *m = &d->mtasts;
	enum mtasts_mx_verdict *all;
	size_t i, j, n = 0, total = 0;

	for (i = 0; i < d->n_hosts; i++)
		total += d->hosts[i].n_servers;
	all = calloc(total ? total : 1, sizeof(*all));
	for (i = 0; i < d->n_hosts; i++) {
		struct host_result *h = &d->hosts[i];

		for (j = 0; j < h->n_servers; j++) {
			const struct server_result *s = h->servers[j];
			struct address_view *v = &h->views[j];
			struct mtasts_mx_facts f;

			v->mtasts = MTASTS_MX_UNKNOWN;
			if (m->state == MTASTS_DOMAIN_POLICY) {
				memset(&f, 0, sizeof(f));
				f.host = h->name;
				f.assessed = auth_session_conclusive(s);
				f.tls = s->smtp.status == SMTP_STATUS_TLS_OK &&
				    s->tls.handshake_ok;
				f.pkix_valid = f.tls && s->tls.verify_ok;
				f.name_match = f.tls && s->tls.matched_name != NULL;
				v->mtasts = mtasts_mx_judge(&m->policy, &f);
				if (all != NULL)
					all[n++] = v->mtasts;
			}
			v->auth.mtasts = mtasts_auth_state(m->state, &m->policy,
			    v->mtasts);
		}
	}
	m->delivery = m->state == MTASTS_DOMAIN_POLICY && all != NULL ?
	    mtasts_domain_judge(all, n) : MTASTS_DELIVERY_UNKNOWN;
	free(all);
}

int
auth_judge(struct domain_result *d)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < d->n_hosts; i++)
		if (judge_dane(&d->hosts[i]) == -1)
			rc = -1;
	if (d->mtasts.checked)
		judge_mtasts(d);
	return rc;
}

const char *
auth_tls_required_by(const struct domain_result *d, const struct host_result *h)
{
	if (h->dane.state == DANE_HOST_TLSA)
		return "DANE (TLSA records)";
	if (d->mtasts.state == MTASTS_DOMAIN_POLICY &&
	    d->mtasts.policy.mode == MTASTS_MODE_ENFORCE)
		return "MTA-STS (enforce)";
	if (d->policy_enforce)
		return "the --policy-file list";
	return NULL;
}

/* --- verdicts ------------------------------------------------------------ */

const char *
auth_delivery_name(enum auth_delivery a)
{
	static const char *const names[AUTH_DELIVERY_COUNT] = {
		[AUTH_DELIVERY_NOT_APPLICABLE] = "not-applicable",
		[AUTH_DELIVERY_AUTHENTICATED] = "authenticated",
		[AUTH_DELIVERY_PARTIAL] = "partial",
		[AUTH_DELIVERY_UNAUTHENTICATED] = "unauthenticated",
		[AUTH_DELIVERY_DEFERRED] = "deferred",
		[AUTH_DELIVERY_UNKNOWN] = "unknown",
	};

	return (unsigned)a < AUTH_DELIVERY_COUNT ? names[a] : "?";
}

static void
verdict(struct auth_verdict *out, enum auth_delivery d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
verdict(struct auth_verdict *out, enum auth_delivery d, const char *fmt, ...)
{
	va_list ap;

	out->delivery = d;
	va_start(ap, fmt);
	vsnprintf(out->text, sizeof(out->text), fmt, ap);
	va_end(ap);
}

/*
 * A DANE sender goes through the MX hosts in order: a host without a
 * secure TLSA RRset gets opportunistic TLS, a host whose TLSA lookup fails
 * is skipped, an address that fails its TLSA records is skipped.  Mail is
 * deferred only when no host is left.
 */
void
auth_dane_verdict(const struct domain_result *d, struct auth_verdict *out)
{
	size_t i, j, tlsa = 0, failed_hosts = 0, ok_hosts = 0, unknown = 0;
	size_t bad_addrs = 0, plain_hosts = 0, unusable = 0;
	const char *first_bad = NULL;
	int why_lookup = 0;		/* first_bad: its lookup failed */

	if (d->null_mx || d->n_hosts == 0) {
		verdict(out, AUTH_DELIVERY_NOT_APPLICABLE, "No MX host: DANE "
		    "does not apply.");
		return;
	}
	for (i = 0; i < d->n_hosts; i++) {
		const struct host_result *h = &d->hosts[i];
		size_t good = 0, bad = 0;

		switch (h->dane.state) {
		case DANE_HOST_PENDING:
			unknown++;
			continue;
		case DANE_HOST_LOOKUP_FAILED:
			failed_hosts++;
			tlsa++;
			if (first_bad == NULL)
				first_bad = h->name, why_lookup = 1;
			continue;
		case DANE_HOST_TLSA:
			tlsa++;
			break;
		default:
			plain_hosts++;
			continue;
		}
		if (h->dane.n_usable == 0)
			unusable++;
		for (j = 0; j < h->n_servers; j++) {
			enum dane_state st = h->views[j].auth.dane;

			if (st == DANE_VALID || st == DANE_NO_USABLE)
				good++;
			else if (st == DANE_FAILS)
				bad++;
		}
		bad_addrs += bad;
		if (good > 0)
			ok_hosts++;
		else if (bad > 0) {
			failed_hosts++;
			if (first_bad == NULL)
				first_bad = h->name;
		} else
			unknown++;
	}
	if (tlsa == 0) {
		if (unknown > 0)
			verdict(out, AUTH_DELIVERY_UNKNOWN, "DANE was not "
			    "checked for every MX host.");
		else
			verdict(out, AUTH_DELIVERY_NOT_APPLICABLE, "DANE does "
			    "not apply: %s.", dane_why_text(d->hosts[0].dane.why));
		return;
	}
	if (ok_hosts == 0 && plain_hosts == 0) {
		char because[300];

		if (failed_hosts > 0) {
			if (why_lookup)
				snprintf(because, sizeof(because), "the TLSA "
				    "lookup of MX host %s failed", first_bad);
			else
				snprintf(because, sizeof(because), "no address "
				    "of MX host %s matches its TLSA records with "
				    "working STARTTLS", first_bad);
			verdict(out, AUTH_DELIVERY_DEFERRED, "Senders that "
			    "support DANE will NOT deliver to this domain: "
			    "they defer mail, because %s.", because);
		}
		else
			verdict(out, AUTH_DELIVERY_UNKNOWN, "No MX address "
			    "could be assessed against its TLSA records.");
		return;
	}
	if (failed_hosts > 0 || bad_addrs > 0)
		verdict(out, AUTH_DELIVERY_PARTIAL, "Senders that support DANE "
		    "will deliver, but skip %zu address(es)%s%s%s.", bad_addrs,
		    first_bad ? " and MX host " : "", first_bad ? first_bad : "",
		    first_bad ? ", which fails DANE" : "");
	else if (plain_hosts > 0 || unusable > 0)
		verdict(out, AUTH_DELIVERY_UNAUTHENTICATED, "Senders that "
		    "support DANE will deliver, but %s.", plain_hosts > 0 ?
		    "some MX hosts have no TLSA records: mail to them is not "
		    "authenticated" : "no TLSA record is usable: TLS is "
		    "required but the server is not authenticated");
	else
		verdict(out, AUTH_DELIVERY_AUTHENTICATED, "Senders that support "
		    "DANE will deliver, and only over TLS to an authenticated "
		    "server.");
}

void
auth_mtasts_verdict(const struct domain_result *d, struct auth_verdict *out)
{
	const struct mtasts_result *m = &d->mtasts;

	if (!m->checked) {
		verdict(out, AUTH_DELIVERY_UNKNOWN, "MTA-STS was not checked.");
		return;
	}
	switch (m->state) {
	case MTASTS_DOMAIN_NOT_CHECKED:
		verdict(out, AUTH_DELIVERY_UNKNOWN, "The _mta-sts lookup "
		    "failed: senders without a cached policy deliver as if "
		    "there were none.");
		return;
	case MTASTS_DOMAIN_NO_RECORD:
		verdict(out, AUTH_DELIVERY_NOT_APPLICABLE, "MTA-STS does not "
		    "apply: %s.", m->record.n_sts > 0 ?
		    "the _mta-sts record is invalid" : "no _mta-sts record");
		return;
	case MTASTS_DOMAIN_FETCH_FAILED:
	case MTASTS_DOMAIN_INVALID_POLICY:
		verdict(out, AUTH_DELIVERY_NOT_APPLICABLE, "Senders that "
		    "support MTA-STS and have no cached policy deliver without "
		    "it, because the policy %s.", m->state ==
		    MTASTS_DOMAIN_FETCH_FAILED ? "could not be fetched" :
		    "is invalid");
		return;
	default:
		break;
	}
	if (m->policy.mode == MTASTS_MODE_NONE) {
		verdict(out, AUTH_DELIVERY_NOT_APPLICABLE, "The policy's mode "
		    "is none: MTA-STS is switched off.");
		return;
	}
	if (m->policy.mode == MTASTS_MODE_TESTING) {
		verdict(out, AUTH_DELIVERY_UNAUTHENTICATED, "Senders that "
		    "support MTA-STS will deliver (testing mode): %s.",
		    m->delivery == MTASTS_DELIVERY_ALL ? "every MX address "
		    "would pass enforce" : "some MX addresses would fail "
		    "enforce, and senders only report it");
		return;
	}
	switch (m->delivery) {
	case MTASTS_DELIVERY_ALL:
		verdict(out, AUTH_DELIVERY_AUTHENTICATED, "Senders that support "
		    "MTA-STS will deliver, and only over TLS to a server with "
		    "a valid certificate for its MX name.");
		break;
	case MTASTS_DELIVERY_SOME:
		verdict(out, AUTH_DELIVERY_PARTIAL, "Senders that support "
		    "MTA-STS will deliver, but skip the MX addresses that fail "
		    "the policy.");
		break;
	case MTASTS_DELIVERY_NONE:
		verdict(out, AUTH_DELIVERY_DEFERRED, "Senders that support "
		    "MTA-STS will NOT deliver to this domain: no MX address "
		    "passes the enforce policy, so they defer mail.");
		break;
	default:
		verdict(out, AUTH_DELIVERY_UNKNOWN, "No MX address could be "
		    "assessed against the MTA-STS policy.");
		break;
	}
}
