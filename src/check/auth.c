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
	if (d->policy_listed)
		return "the --policy-file list";
	return NULL;
}
