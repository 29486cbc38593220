/*
 * result.c - freeing and summarising the result model.  See result.h.
 */
#include "check/result.h"

#include <stdlib.h>
#include <string.h>

void
dns_status_free(struct dns_status *st)
{
	free(st->why_bogus);
	free(st->canonname);
	free(st->error);
}

struct server_result *
server_result_retain(struct server_result *s)
{
	s->refs++;
	return s;
}

void
server_result_release(struct server_result *s)
{
	if (s == NULL)
		return;
	if (s->refs > 0) {
		s->refs--;
		return;
	}
	smtp_facts_free(&s->smtp);
	tls_facts_free(&s->tls);
	probe_result_free(&s->probe);
	findings_free(&s->findings);
	free(s);
}

int
host_result_add_server(struct host_result *h, struct server_result *s)
{
	struct server_result **v;
	struct address_view *w;

	if ((v = realloc(h->servers, (h->n_servers + 1) * sizeof(*v))) == NULL)
		return -1;
	h->servers = v;
	if ((w = realloc(h->views, (h->n_servers + 1) * sizeof(*w))) == NULL)
		return -1;
	h->views = w;
	memset(&w[h->n_servers], 0, sizeof(*w));
	w[h->n_servers].dane.match_depth = -1;
	w[h->n_servers].mtasts = MTASTS_MX_UNKNOWN;
	h->servers[h->n_servers++] = s;
	return 0;
}

static void
host_result_free(struct host_result *h)
{
	size_t i;

	free(h->name);
	dns_status_free(&h->a);
	dns_status_free(&h->aaaa);
	for (i = 0; i < h->n_servers; i++) {
		server_result_release(h->servers[i]);
		if (h->views != NULL)
			dane_addr_free(&h->views[i].dane);
	}
	free(h->servers);
	free(h->views);
	dane_host_free(&h->dane);
	findings_free(&h->findings);
}

void
mtasts_result_free(struct mtasts_result *m)
{
	dns_status_free(&m->txt);
	free(m->fetch_error_text);
	free(m->url);
	free(m->content_type);
	free(m->location);
	free(m->peer);
	mtasts_policy_free(&m->policy);
	memset(m, 0, sizeof(*m));
}

void
domain_result_free(struct domain_result *d)
{
	size_t i;

	if (d == NULL)
		return;
	free(d->name);
	dns_status_free(&d->mx);
	for (i = 0; i < d->n_hosts; i++)
		host_result_free(&d->hosts[i]);
	free(d->hosts);
	mtasts_result_free(&d->mtasts);
	dns_status_free(&d->tlsrpt.txt);
	tlsrpt_record_free(&d->tlsrpt.record);
	findings_free(&d->findings);
	free(d);
}

static int
worst_of(const struct findings *f, int worst)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if ((int)finding_kind(f->v[i].id)->severity > worst)
			worst = (int)finding_kind(f->v[i].id)->severity;
	return worst;
}

int
domain_result_worst(const struct domain_result *d)
{
	int worst = worst_of(&d->findings, -1);
	size_t i, j;

	for (i = 0; i < d->n_hosts; i++) {
		worst = worst_of(&d->hosts[i].findings, worst);
		for (j = 0; j < d->hosts[i].n_servers; j++)
			worst = worst_of(&d->hosts[i].servers[j]->findings, worst);
	}
	return worst;
}
