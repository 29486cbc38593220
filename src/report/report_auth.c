/*
 * report_auth.c - DNSSEC, DANE, MTA-STS and TLS-RPT in the reports.  See
 * report_auth.h; the JSON keys are documented in docs/json.md.
 *
 * Everything printed here was judged already (src/check/auth.c): this file
 * only chooses words and keys.  Peer strings (policy lines, URIs, TLSA
 * data) were sanitised when they entered the result model.
 */
#include "report/report_auth.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check/auth.h"
#include "util/digest.h"

/* --- shared ---------------------------------------------------------------- */

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* hex - data as lower-case hex, newly allocated (NULL: out of memory). */
static char *
hex(const uint8_t *data, size_t len)
{
	char *out = malloc(2 * len + 1);

	if (out != NULL)
		hex_encode(data, len, out);
	return out;
}

static int
dane_checked(const struct domain_result *d)
{
	size_t i;

	for (i = 0; i < d->n_hosts; i++)
		if (d->hosts[i].dane.state != DANE_HOST_PENDING)
			return 1;
	return 0;
}

/* --- JSON ------------------------------------------------------------------ */

static json_t *
verdict_json(const struct auth_verdict *v)
{
	return json_pack("{s:s, s:s}", "delivery",
	    auth_delivery_name(v->delivery), "text", v->text);
}

static json_t *
mtasts_json(const struct domain_result *d)
{
	const struct mtasts_result *m = &d->mtasts;
	const struct mtasts_policy *p = &m->policy;
	json_t *policy = json_null(), *errors;
	int e;

	if (!m->checked)
		return json_null();
	errors = json_array();
	for (e = 1; e < MTASTS_POLICY_ERROR_COUNT; e++)
		if (p->errors & (1u << e))
			json_array_append_new(errors, json_string(
			    mtasts_policy_error_name((enum mtasts_policy_error)e)));
	if (m->fetched && m->fetch_error == MTASTS_FETCH_OK) {
		json_t *mx = json_array();
		size_t i;

		for (i = 0; i < p->n_mx; i++)
			json_array_append_new(mx, json_string(p->mx[i]));
		policy = json_pack("{s:b, s:o, s:o, s:o, s:o, s:o, s:b}",
		    "valid", mtasts_policy_valid(p),
		    "mode", p->mode == MTASTS_MODE_UNKNOWN ? json_null() :
		    json_string(mtasts_mode_name(p->mode)),
		    "max_age", p->has_max_age ? json_integer(p->max_age) :
		    json_null(),
		    "mx", mx,
		    "errors", errors,
		    "first_error_line", p->first_error_line > 0 ?
		    json_integer(p->first_error_line) : json_null(),
		    "crlf", p->crlf);
	} else {
		json_decref(errors);
	}
	return json_pack("{s:s, s:{s:s, s:s, s:o, s:I, s:o}, s:o, s:o}",
	    "state", mtasts_domain_state_name(m->state),
	    "record",
	        "outcome", dns_outcome_name(m->txt.outcome),
	        "dnssec", dnssec_state_name(m->txt.dnssec),
	        "error", m->record.n_sts > 0 || m->txt.outcome == DNS_OK ?
	        json_string(mtasts_txt_error_name(m->record.error)) :
	        json_null(),
	        "records", (json_int_t)m->record.n_sts,
	        "id", m->record.error == MTASTS_TXT_OK && m->record.id[0] ?
	        json_string(m->record.id) : json_null(),
	    "fetch", !m->fetched ? json_null() : json_pack("{s:s, s:s, s:o, "
	        "s:o, s:o, s:o, s:o, s:I}",
	        "result", mtasts_fetch_error_name(m->fetch_error),
	        "text", m->fetch_error_text ? m->fetch_error_text : "",
	        "url", str_or_null(m->url),
	        "http_status", m->http_status > 0 ?
	        json_integer(m->http_status) : json_null(),
	        "content_type", str_or_null(m->content_type),
	        "location", str_or_null(m->location),
	        "peer", str_or_null(m->peer),
	        "elapsed_ms", (json_int_t)m->fetch_ms),
	    "policy", policy);
}

static json_t *
tlsrpt_json(const struct tlsrpt_result *t)
{
	json_t *rua = json_array();
	size_t i;

	if (!t->checked) {
		json_decref(rua);
		return json_null();
	}
	for (i = 0; i < t->record.n_rua; i++)
		json_array_append_new(rua, json_pack("{s:s, s:s}", "scheme",
		    tlsrpt_scheme_name(t->record.rua[i].scheme), "uri",
		    t->record.rua[i].uri));
	return json_pack("{s:s, s:s, s:s, s:I, s:o}",
	    "outcome", dns_outcome_name(t->txt.outcome),
	    "dnssec", dnssec_state_name(t->txt.dnssec),
	    "error", tlsrpt_error_name(t->record.error),
	    "records", (json_int_t)t->record.n_tlsrpt,
	    "rua", rua);
}

json_t *
report_auth_json(const struct domain_result *d)
{
	struct auth_verdict dane, sts;

	auth_dane_verdict(d, &dane);
	auth_mtasts_verdict(d, &sts);
	return json_pack("{s:{s:s, s:b}, s:o, s:o, s:o, s:o, s:o}",
	    "dnssec",
	        "mx", dnssec_state_name(d->mx.dnssec),
	        "signed", d->mx.dnssec == DNSSEC_SECURE,
	    "dane", dane_checked(d) ? verdict_json(&dane) : json_null(),
	    "mta_sts", mtasts_json(d),
	    "mta_sts_verdict", d->mtasts.checked ? verdict_json(&sts) :
	    json_null(),
	    "tls_rpt", tlsrpt_json(&d->tlsrpt),
	    "policy_list", !d->policy_listed ? json_null() :
	    json_string(d->policy_enforce ? "enforce" : "testing"));
}

json_t *
report_dane_host_json(const struct host_result *h)
{
	const struct dane_host_result *dh = &h->dane;
	json_t *queries = json_array(), *records = json_array();
	char roll[128];
	size_t i;

	if (dh->state == DANE_HOST_PENDING) {
		json_decref(queries);
		json_decref(records);
		return json_null();
	}
	for (i = 0; i < dh->n_queries; i++)
		json_array_append_new(queries, json_pack("{s:s, s:s, s:s, s:o}",
		    "name", dh->queries[i].qname,
		    "outcome", dns_outcome_name(dh->queries[i].outcome),
		    "dnssec", dnssec_state_name(dh->queries[i].dnssec),
		    "canonical_name", str_or_null(dh->queries[i].canonname)));
	for (i = 0; i < dh->n_records; i++) {
		const struct tlsa_record *r = &dh->records[i];
		char *data = r->data != NULL ? hex(r->data, r->len) : NULL;

		json_array_append_new(records, json_pack("{s:i, s:o, s:i, s:i, "
		    "s:o, s:s, s:b}",
		    "usage", r->usage,
		    "usage_name", str_or_null(tlsa_usage_name(r->usage)),
		    "selector", r->selector,
		    "matching_type", r->mtype,
		    "data", str_or_null(data),
		    "status", tlsa_status_name(r->status),
		    "usable", dane_tlsa_usable(r)));
		free(data);
	}
	dane_rollover_text(dh->rollover, roll, sizeof(roll));
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:s}",
	    "state", dane_host_state_name(dh->state),
	    "why", dh->why != DANE_WHY_NONE ? json_string(dane_why_text(dh->why)) :
	    json_null(),
	    "tlsa_base", str_or_null(dh->tlsa_base),
	    "queries", queries,
	    "records", records,
	    "usable", (json_int_t)dh->n_usable,
	    "addresses", (json_int_t)dh->addresses,
	    "addresses_valid", (json_int_t)dh->addresses_valid,
	    "rollover", roll);
}

json_t *
report_auth_address_json(const struct host_result *h, size_t i)
{
	const struct address_view *v = &h->views[i];
	json_t *dane = json_null(), *matches;
	size_t k;

	if (h->dane.state == DANE_HOST_TLSA &&
	    v->dane.state != DANE_ADDR_NOT_APPLICABLE) {
		char roll[128];

		matches = json_array();
		for (k = 0; k < v->dane.n; k++)
			json_array_append_new(matches, json_string(
			    dane_match_name(v->dane.matches[k])));
		dane_rollover_text(v->dane.rollover, roll, sizeof(roll));
		dane = json_pack("{s:s, s:o, s:o, s:o, s:s}",
		    "state", dane_addr_state_name(v->dane.state),
		    "records", matches,
		    "match_depth", v->dane.match_depth >= 0 ?
		    json_integer(v->dane.match_depth) : json_null(),
		    "verify_error", str_or_null(v->dane.verify_error),
		    "rollover", roll);
	}
	return json_pack("{s:s, s:s, s:o, s:o}",
	    "dane_state", dane_state_name(v->auth.dane),
	    "mta_sts_state", mtasts_state_name(v->auth.mtasts),
	    "dane", dane,
	    "mta_sts", v->mtasts == MTASTS_MX_UNKNOWN ? json_null() :
	    json_string(mtasts_mx_verdict_name(v->mtasts)));
}

/* --- text ------------------------------------------------------------------ */

static void
print_dnssec(FILE *out, const struct domain_result *d)
{
	size_t i, j;

	fprintf(out, "\nDNSSEC\n");
	fprintf(out, "  MX records      %s\n", dnssec_state_name(d->mx.dnssec));
	for (i = 0; i < d->n_hosts; i++) {
		const struct host_result *h = &d->hosts[i];

		fprintf(out, "  %-15s A %s, AAAA %s", h->name,
		    dnssec_state_name(h->a.dnssec),
		    dnssec_state_name(h->aaaa.dnssec));
		for (j = 0; j < h->dane.n_queries; j++)
			fprintf(out, "; TLSA %s %s", h->dane.queries[j].qname,
			    dnssec_state_name(h->dane.queries[j].dnssec));
		fputc('\n', out);
	}
	if (d->mtasts.checked)
		fprintf(out, "  _mta-sts TXT    %s\n",
		    dnssec_state_name(d->mtasts.txt.dnssec));
	if (d->tlsrpt.checked)
		fprintf(out, "  _smtp._tls TXT  %s\n",
		    dnssec_state_name(d->tlsrpt.txt.dnssec));
}

static void
print_dane(FILE *out, const struct domain_result *d)
{
	struct auth_verdict v;
	char buf[160];
	size_t i, k;

	fprintf(out, "\nDANE (RFC 7672)\n");
	auth_dane_verdict(d, &v);
	fprintf(out, "  Verdict         %s\n", v.text);
	for (i = 0; i < d->n_hosts; i++) {
		const struct dane_host_result *dh = &d->hosts[i].dane;

		fprintf(out, "  %-15s %s", d->hosts[i].name,
		    dane_host_state_name(dh->state));
		if (dh->why != DANE_WHY_NONE)
			fprintf(out, ": %s", dane_why_text(dh->why));
		if (dh->state == DANE_HOST_TLSA)
			fprintf(out, " at _25._tcp.%s, %zu of %zu usable, %zu of "
			    "%zu address(es) valid", dh->tlsa_base ? dh->tlsa_base :
			    d->hosts[i].name, dh->n_usable, dh->n_records,
			    dh->addresses_valid, dh->addresses);
		fputc('\n', out);
		for (k = 0; k < dh->n_records; k++)
			fprintf(out, "                  TLSA %s  (%s)\n",
			    dane_tlsa_text(&dh->records[k], buf, sizeof(buf)),
			    tlsa_status_name(dh->records[k].status));
	}
}

static void
print_mtasts(FILE *out, const struct domain_result *d)
{
	const struct mtasts_result *m = &d->mtasts;
	struct auth_verdict v;
	size_t i;

	fprintf(out, "\nMTA-STS (RFC 8461)\n");
	auth_mtasts_verdict(d, &v);
	fprintf(out, "  Verdict         %s\n", v.text);
	fprintf(out, "  Record          %s", m->txt.outcome == DNS_OK ?
	    mtasts_txt_error_text(m->record.error) :
	    dns_outcome_name(m->txt.outcome));
	if (m->record.error == MTASTS_TXT_OK && m->record.id[0])
		fprintf(out, " (id=%s)", m->record.id);
	fputc('\n', out);
	if (m->fetched) {
		fprintf(out, "  Policy fetch    %s%s%s\n",
		    mtasts_fetch_error_name(m->fetch_error),
		    m->fetch_error_text && m->fetch_error != MTASTS_FETCH_OK ?
		    ": " : "", m->fetch_error != MTASTS_FETCH_OK &&
		    m->fetch_error_text ? m->fetch_error_text : "");
		if (m->url != NULL)
			fprintf(out, "                  %s\n", m->url);
	}
	if (m->fetched && m->fetch_error == MTASTS_FETCH_OK) {
		const struct mtasts_policy *p = &m->policy;

		fprintf(out, "  Policy          %s, mode %s, max_age %s%u",
		    mtasts_policy_valid(p) ? "valid" : "INVALID",
		    mtasts_mode_name(p->mode), p->has_max_age ? "" : "(none) ",
		    p->has_max_age ? (unsigned)p->max_age : 0u);
		for (i = 0; i < p->n_mx; i++)
			fprintf(out, "%s%s", i == 0 ? ", mx " : " ", p->mx[i]);
		fputc('\n', out);
	}
}

static void
print_tlsrpt(FILE *out, const struct tlsrpt_result *t)
{
	size_t i;

	fprintf(out, "\nTLS-RPT (RFC 8460)\n");
	if (t->txt.outcome != DNS_OK && t->txt.outcome != DNS_NODATA &&
	    t->txt.outcome != DNS_NXDOMAIN) {
		fprintf(out, "  Record          lookup %s\n",
		    dns_outcome_name(t->txt.outcome));
		return;
	}
	fprintf(out, "  Record          %s\n", t->record.error == TLSRPT_OK ?
	    "valid" : tlsrpt_error_text(t->record.error));
	for (i = 0; i < t->record.n_rua; i++)
		fprintf(out, "  Reports to      %s\n", t->record.rua[i].uri);
}

void
report_auth_text(FILE *out, const struct domain_result *d)
{
	if (d->null_mx || (!dane_checked(d) && !d->mtasts.checked))
		return;
	print_dnssec(out, d);
	if (dane_checked(d))
		print_dane(out, d);
	if (d->mtasts.checked)
		print_mtasts(out, d);
	if (d->tlsrpt.checked)
		print_tlsrpt(out, &d->tlsrpt);
	if (d->policy_listed)
		fprintf(out, "\nPolicy list\n  Listed          mode %s%s\n",
		    d->policy_enforce ? "enforce" : "testing",
		    d->policy_enforce ? ": TLS is required" : "");
}

void
report_auth_text_address(FILE *out, const struct host_result *h, size_t i)
{
	const struct address_view *v = &h->views[i];

	if (h->dane.state == DANE_HOST_TLSA) {
		fprintf(out, "  DANE          %s", dane_addr_state_name(v->dane.state));
		if (v->dane.match_depth >= 0)
			fprintf(out, " (matched at depth %d, %zu of %zu records)",
			    v->dane.match_depth, v->dane.n_matched, v->dane.n);
		if (v->dane.verify_error != NULL &&
		    v->dane.state != DANE_ADDR_VALID)
			fprintf(out, ": %s", v->dane.verify_error);
		fputc('\n', out);
	}
	if (v->mtasts != MTASTS_MX_UNKNOWN)
		fprintf(out, "  MTA-STS       %s\n", mtasts_mx_verdict_text(v->mtasts));
}
