/*
 * report_json.c - the result model as JSON (schema: docs/json.md).
 *
 * Absent facts are JSON null, never omitted, so consumers can rely on every
 * key being present in every record of one schema version.
 */
#include "report/report.h"
#include "report/report_auth.h"

#include <jansson.h>
#include <stdio.h>

#include "grade/clients.h"
#include "probe/cipher_suites.h"
#include "probe/tls_parse.h"

#define DAY (24 * 60 * 60)

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
time_json(int64_t t)
{
	char buf[32];

	report_fmt_time(t, buf, sizeof(buf), 1);
	return json_string(buf);
}

static json_t *
strvec_json(const struct strvec *sv)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static json_t *
findings_json(const struct findings *f)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct finding_kind *k = finding_kind(f->v[i].id);

		json_t *refs = json_array(), *by_mta = json_object();
		size_t j;

		for (j = 0; j < FINDING_MAX_REFS; j++)
			if (k->refs[j] != NULL)
				json_array_append_new(refs, json_string(k->refs[j]));
		for (j = 0; j < MTA_COUNT; j++)
			if (k->fix_mta[j] != NULL)
				json_object_set_new(by_mta, mta_name(j),
				    json_string(k->fix_mta[j]));
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o, s:s, "
		    "s:o, s:o}",
		    "id", k->id, "severity", severity_name(k->severity),
		    "title", k->title, "detail", str_or_null(f->v[i].detail),
		    "fix", k->advice, "fix_by_mta", by_mta, "references", refs));
	}
	return a;
}

static json_t *
dns_json(const struct dns_status *st)
{
	if (!st->done)
		return json_null();
	return json_pack("{s:s, s:s, s:o, s:o, s:o}",
	    "outcome", dns_outcome_name(st->outcome),
	    "dnssec", dnssec_state_name(st->dnssec),
	    "why_bogus", str_or_null(st->why_bogus),
	    "canonical_name", str_or_null(st->canonname),
	    "error", str_or_null(st->error));
}

static json_t *
ehlo_json(int code, const struct smtp_ehlo *e)
{
	if (code != 250)
		return json_null();
	return json_pack("{s:o, s:o, s:b, s:I}",
	    "greeting", str_or_null(e->greeting),
	    "extensions", strvec_json(&e->lines),
	    "starttls", smtp_ehlo_has(e, SMTP_EXT_STARTTLS),
	    "size_limit", (json_int_t)e->size_limit);
}

static json_t *
smtp_json(const struct smtp_facts *sf)
{
	return json_pack("{s:s, s:b, s:s, s:o, s:i, s:o, s:i, s:b, s:o, s:i, "
	    "s:o, s:I, s:i, s:o, s:i}",
	    "status", smtp_status_name(sf->status),
	    "conclusive", smtp_status_conclusive(sf->status),
	    "stage", smtp_stage_name(sf->stage),
	    "error", str_or_null(sf->error),
	    "banner_code", sf->banner_code,
	    "banner", strvec_json(&sf->banner),
	    "ehlo_code", sf->ehlo_code,
	    "helo_only", sf->used_helo,
	    "ehlo", ehlo_json(sf->ehlo_code, &sf->ehlo),
	    "starttls_code", sf->starttls_code,
	    "starttls_reply", str_or_null(sf->starttls_reply),
	    "injected_bytes", (json_int_t)sf->injected_bytes,
	    "ehlo_after_tls_code", sf->ehlo_tls_code,
	    "ehlo_after_tls", ehlo_json(sf->ehlo_tls_code, &sf->ehlo_tls),
	    "elapsed_ms", (int)sf->elapsed_ms);
}

static json_t *
cert_json(const struct cert_facts *c, int64_t now)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:s, s:i, s:i, "
	    "s:s, s:b, s:b, s:b, s:s}",
	    "subject", c->subject,
	    "issuer", c->issuer,
	    "common_name", str_or_null(c->common_name),
	    "dns_names", strvec_json(&c->dns_names),
	    "not_before", time_json(c->not_before),
	    "not_after", time_json(c->not_after),
	    "days_left", (json_int_t)((c->not_after - now) / DAY),
	    "key_type", c->key_type ? c->key_type : "unknown",
	    "key_bits", c->key_bits,
	    "key_security_bits", c->key_security_bits,
	    "signature_algorithm", c->sig_alg,
	    "signature_sha1_or_weaker", c->sig_sha1_or_worse,
	    "self_signed", c->self_signed,
	    "is_ca", c->is_ca,
	    "sha256", c->sha256);
}

static json_t *
tls_json(const struct tls_facts *t, int64_t now)
{
	json_t *chain;
	size_t i;

	if (!t->handshake_ok)
		return t->error ? json_pack("{s:b, s:s}", "handshake", 0,
		    "error", t->error) : json_null();
	chain = json_array();
	for (i = 0; i < t->chain_len; i++)
		json_array_append_new(chain, cert_json(&t->chain[i], now));
	return json_pack("{s:b, s:o, s:s, s:i, s:s, s:o, s:i, "
	    "s:{s:o, s:o, s:i, s:i}, s:b, s:o, s:b, s:o, "
	    "s:{s:b, s:o, s:o, s:o}}",
	    "handshake", 1,
	    "error", json_null(),
	    "version", t->version,
	    "version_code", t->version_code,
	    "cipher", t->cipher ? t->cipher : "",
	    "cipher_iana", str_or_null(t->cipher_iana),
	    "cipher_bits", t->cipher_bits,
	    "key_exchange",
	        "kind", str_or_null(t->kx),
	        "group", str_or_null(t->kx_group),
	        "bits", t->kx_bits,
	        "security_bits", t->kx_security_bits,
	    "forward_secrecy", t->forward_secret,
	    "signature_digest", str_or_null(t->sig_digest),
	    "secure_renegotiation", t->secure_renegotiation,
	    "modern_client_refusals", strvec_json(&t->modern_refusals),
	    "certificate",
	        "verified", t->verify_ok,
	        "verify_error", str_or_null(t->verify_error),
	        "name_match", str_or_null(t->matched_name),
	        "chain", chain);
}

static json_t *
suite_json(enum probe_version v, const struct probe_suite *ps)
{
	const struct cipher_suite *cs = cipher_suite_by_code(ps->code);
	char code[12];

	snprintf(code, sizeof(code), ps->code > 0xffff ? "0x%06x" : "0x%04x",
	    ps->code);
	return json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:i, s:b, s:b, s:b, "
	    "s:b, s:b, s:b, s:b, s:o, s:i}",
	    "version", probe_version_name(v),
	    "code", code,
	    "name", str_or_null(cs ? cipher_suite_name(cs) : NULL),
	    "openssl_name", str_or_null(cs ? cs->openssl_name : NULL),
	    "kx", cs ? cs_kx_name(cs->kx) : "?",
	    "auth", cs ? cs_auth_name(cs->auth) : "?",
	    "strength_bits", cs ? cs->strength_bits : 0,
	    "forward_secrecy", cs && (cs->flags & CS_F_FORWARD_SECRET),
	    "aead", cs && (cs->flags & CS_F_AEAD),
	    "export", cs && (cs->flags & CS_F_EXPORT),
	    "anonymous", cs && (cs->flags & CS_F_ANON),
	    "null_cipher", cs && (cs->flags & CS_F_NULL_CIPHER),
	    "rc4", cs && (cs->flags & CS_F_RC4),
	    "sweet32", cs && (cs->flags & CS_F_SWEET32),
	    "kx_group", ps->kx_group[0] ? json_string(ps->kx_group) : json_null(),
	    "kx_bits", ps->kx_bits);
}

static json_t *
probe_json(const struct probe_result *p)
{
	json_t *protocols, *suites, *groups, *sigalgs;
	size_t v, i;

	if (!p->done)
		return json_null();
	protocols = json_object();
	suites = json_array();
	groups = json_array();
	sigalgs = json_array();
	for (v = 0; v < PROBE_VERSION_COUNT; v++) {
		json_object_set_new(protocols, probe_version_name(v),
		    json_string(probe_answer_name(p->versions[v].supported)));
		for (i = 0; i < p->versions[v].n_suites; i++)
			json_array_append_new(suites,
			    suite_json(v, &p->versions[v].suites[i]));
	}
	for (i = 0; i < p->n_groups; i++)
		json_array_append_new(groups, json_string(p->groups[i]));
	for (i = 0; i < p->n_sigalgs; i++) {
		const char *name = tls_sigalg_name(p->sigalgs[i]);
		char code[8];

		snprintf(code, sizeof(code), "0x%04x", p->sigalgs[i]);
		json_array_append_new(sigalgs, json_string(name ? name : code));
	}
	return json_pack("{s:o, s:o, s:s, s:o, s:o, s:{s:i, s:o}, s:s, s:s, s:s, "
	    "s:s, s:s, s:i, s:i, s:i, s:i, s:o}",
	    "protocols", protocols,
	    "suites", suites,
	    "server_order", probe_answer_name(p->server_order),
	    "groups", groups,
	    "signature_algorithms", sigalgs,
	    "dh", "min_bits", p->dh_bits, "known_group", str_or_null(p->dh_group),
	    "secure_renegotiation", probe_answer_name(p->secure_renegotiation),
	    "compression", probe_answer_name(p->compression),
	    "extended_master_secret", probe_answer_name(p->extended_master_secret),
	    "ocsp_stapling", probe_answer_name(p->ocsp_stapling),
	    "fallback_scsv", probe_answer_name(p->fallback_scsv),
	    "connections", (int)p->connections,
	    "temporary_failures", (int)p->temporary_failures,
	    "inconclusive_attempts", (int)p->inconclusive,
	    "elapsed_ms", (int)p->elapsed_ms,
	    "error", str_or_null(p->error));
}

/* --- grades (src/grade, docs/grading.md) ------------------------------------ */

static json_t *
letter_json(enum grade_letter l)
{
	return str_or_null(grade_letter_name(l));
}

static json_t *
rule_finding_json(const struct grade_rule *r)
{
	return r->finding != F_COUNT ? json_string(finding_kind(r->finding)->id) :
	    json_null();
}

/* grade_lists - deductions, caps and what A+ lacks, from g's hits, into the
 * arrays that are not NULL. */
static void
grade_lists(const struct grade *g, json_t *deductions, json_t *caps,
    json_t *not_a_plus)
{
	size_t i;

	for (i = 0; i < g->n_hits; i++) {
		const struct grade_rule *r = grade_rule_at(g->hits[i].rule);

		if (deductions != NULL && g->hits[i].lost20 > 0)
			json_array_append_new(deductions, json_pack(
			    "{s:s, s:s, s:f, s:o, s:s}", "rule", r->id,
			    "component", r->zero ? "all" :
			    grade_component_name(r->component),
			    "points", grade_hit_points(&g->hits[i]),
			    "finding", rule_finding_json(r), "reason", r->reason));
		if (caps != NULL && r->cap != GRADE_NONE)
			json_array_append_new(caps, json_pack(
			    "{s:s, s:s, s:o, s:s}", "rule", r->id,
			    "letter", grade_letter_name(r->cap),
			    "finding", rule_finding_json(r), "reason", r->reason));
		if (not_a_plus != NULL && r->blocks_a_plus)
			json_array_append_new(not_a_plus, json_pack(
			    "{s:s, s:o, s:s}", "rule", r->id,
			    "finding", rule_finding_json(r), "reason", r->reason));
	}
}

static json_t *
auth_json(const struct grade *g, const struct auth_facts *a)
{
	return json_pack("{s:s, s:o, s:s, s:s}",
	    "level", auth_level_name(g->auth_level),
	    "score", g->authentication >= 0 ? json_integer(g->authentication) :
	    json_null(),
	    "dane", dane_state_name(a->dane),
	    "mta_sts", mtasts_state_name(a->mtasts));
}

static json_t *
server_grade_json(const struct address_view *view)
{
	const struct grade *g = &view->grade;
	json_t *deductions = json_array(), *caps = json_array();
	json_t *not_a_plus = json_array(), *enc;

	grade_lists(g, deductions, caps, not_a_plus);
	if (g->letter == GRADE_NONE)
		enc = json_null();
	else
		enc = json_pack("{s:i, s:o, s:f, s:f, s:f}",
		    "score", g->encryption,
		    "letter", letter_json(g->score_letter),
		    "protocol", grade_component_score(g, GRADE_PROTOCOL),
		    "key_exchange", grade_component_score(g, GRADE_KEY_EXCHANGE),
		    "cipher", grade_component_score(g, GRADE_CIPHER));
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "rubric", GRADE_RUBRIC_VERSION,
	    "letter", letter_json(g->letter),
	    "not_graded", str_or_null(g->not_graded),
	    "basis", str_or_null(grade_basis_name(g->basis)),
	    "encryption", enc,
	    "ssllabs_score", g->letter == GRADE_NONE ? json_null() :
	    json_integer(g->ssllabs),
	    "authentication", auth_json(g, &view->auth),
	    "deductions", deductions,
	    "caps", caps,
	    "not_a_plus", not_a_plus);
}

static json_t *
domain_grade_json(const struct domain_result *d)
{
	const struct domain_grade *dg = &d->grade;
	const struct host_result *h = NULL;
	const struct server_result *s = NULL;
	const struct address_view *v = NULL;
	json_t *caps = json_array();
	char conf[512];

	grade_confidence_text(dg, conf, sizeof(conf));
	if (dg->has_worst) {
		h = &d->hosts[dg->worst_host];
		s = h->servers[dg->worst_server];
		v = &h->views[dg->worst_server];
		grade_lists(&v->grade, NULL, caps, NULL);
	}
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	    "s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:s, s:s}",
	    "rubric", GRADE_RUBRIC_VERSION,
	    "letter", letter_json(dg->letter),
	    "not_graded", str_or_null(dg->not_graded),
	    "worst", s == NULL ? json_null() : json_pack("{s:s, s:s}",
	    "host", h->name, "address", s->addr_text),
	    "encryption", s == NULL ? json_null() :
	    json_integer(v->grade.encryption),
	    "ssllabs_score", s == NULL ? json_null() :
	    json_integer(v->grade.ssllabs),
	    "authentication", s == NULL ? json_null() :
	    auth_json(&v->grade, &v->auth),
	    "caps", caps,
	    "counts",
	        "addresses", (json_int_t)dg->addresses,
	        "graded", (json_int_t)dg->graded,
	        "inconclusive", (json_int_t)dg->inconclusive,
	        "not_tested", (json_int_t)dg->not_tested,
	        "handshake_only", (json_int_t)dg->handshake_only,
	        "enumeration_incomplete", (json_int_t)dg->incomplete,
	    "confidence", grade_confidence_name(dg->confidence),
	    "confidence_statement", conf);
}

/* --- sending MTAs (src/grade/clients.h, docs/clients.md) -------------------- */

/*
 * clients_json - what each simulated sender gets from this address, or null
 * without an enumeration.  Computed here, not stored: it is a pure function
 * of s->probe (see clients.h).
 */
static json_t *
clients_json(const struct probe_result *p)
{
	struct client_sim sims[32];
	json_t *a;
	size_t n, i;

	if (!p->done)
		return json_null();
	a = json_array();
	n = clients_simulate(p, sims, sizeof(sims) / sizeof(sims[0]));
	for (i = 0; i < n && i < sizeof(sims) / sizeof(sims[0]); i++) {
		const struct client_sim *c = &sims[i];
		const struct cipher_suite *cs = c->outcome == CLIENT_CONNECTS ?
		    cipher_suite_by_code(c->suite) : NULL;
		char code[8];

		snprintf(code, sizeof(code), "0x%04x", (unsigned)c->suite);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o, s:o, "
		    "s:o, s:o, s:o, s:o, s:b, s:o, s:s, s:b}",
		    "id", c->client->id,
		    "name", c->client->name,
		    "outcome", client_outcome_name(c->outcome),
		    "version", c->outcome == CLIENT_CONNECTS ?
		    json_string(tls_version_name(c->version)) : json_null(),
		    "suite", cs != NULL ? json_string(cipher_suite_name(cs)) :
		    json_null(),
		    "code", cs != NULL ? json_string(code) : json_null(),
		    "group", c->group[0] ? json_string(c->group) : json_null(),
		    "kx_bits", c->outcome == CLIENT_CONNECTS && c->kx_bits > 0 ?
		    json_integer(c->kx_bits) : json_null(),
		    "forward_secrecy", c->outcome == CLIENT_CONNECTS ?
		    json_boolean(c->forward_secret) : json_null(),
		    "order_assumed", c->order_assumed,
		    "reason", c->reason[0] ? json_string(c->reason) : json_null(),
		    "on_failure", client_fallback_name(c->client->on_failure),
		    "uncertain", (c->client->flags & CLIENT_F_UNCERTAIN) != 0));
	}
	return a;
}

static json_t *
server_json(const struct host_result *h, size_t i, int64_t now)
{
	const struct server_result *s = h->servers[i];
	const struct address_view *view = &h->views[i];

	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "address", s->addr_text,
	    "family", s->addr.family == AF_INET ? "ipv4" : "ipv6",
	    "reserved", str_or_null(s->reserved),
	    "smtp", smtp_json(&s->smtp),
	    "tls", tls_json(&s->tls, now),
	    "enumeration", probe_json(&s->probe),
	    "findings", findings_json(&s->findings),
	    "authentication", report_auth_address_json(h, i),
	    "grade", server_grade_json(view),
	    "clients", clients_json(&s->probe));
}

static json_t *
host_json(const struct host_result *h, int64_t now)
{
	json_t *servers = json_array();
	size_t i;

	for (i = 0; i < h->n_servers; i++)
		json_array_append_new(servers, server_json(h, i, now));
	return json_pack("{s:s, s:o, s:{s:o, s:o}, s:o, s:o, s:o}",
	    "host", h->name,
	    "preference", h->preference >= 0 ? json_integer(h->preference) :
	    json_null(),
	    "dns", "a", dns_json(&h->a), "aaaa", dns_json(&h->aaaa),
	    "dane", report_dane_host_json(h),
	    "addresses", servers,
	    "findings", findings_json(&h->findings));
}

json_t *
report_json(const struct domain_result *d)
{
	struct report_summary sum;
	json_t *hosts = json_array();
	int worst = domain_result_worst(d);
	size_t i;

	report_summarize(d, &sum);
	for (i = 0; i < d->n_hosts; i++)
		json_array_append_new(hosts, host_json(&d->hosts[i], d->started));
	return json_pack("{s:i, s:s, s:o, s:I, s:i, s:o, s:b, s:b, "
	    "s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}, s:o, s:o, s:o, "
	    "s:o}",
	    "schema", REPORT_JSON_SCHEMA,
	    "domain", d->name,
	    "checked_at", time_json(d->started),
	    "elapsed_ms", (json_int_t)d->elapsed_ms,
	    "port", (int)d->port,
	    "mx_lookup", dns_json(&d->mx),
	    "null_mx", d->null_mx,
	    "implicit_mx", d->implicit_mx,
	    "summary",
	        "mx_hosts", (json_int_t)sum.hosts,
	        "addresses", (json_int_t)sum.addresses,
	        "starttls_ok", (json_int_t)sum.starttls_ok,
	        "no_starttls", (json_int_t)sum.no_starttls,
	        "starttls_broken", (json_int_t)sum.tls_broken,
	        "inconclusive", (json_int_t)sum.inconclusive,
	        "not_tested", (json_int_t)sum.not_tested,
	        "connections", (json_int_t)sum.connections,
	        "worst_severity", worst < 0 ? json_null() :
	        json_string(severity_name((enum severity)worst)),
	    "findings", findings_json(&d->findings),
	    "grade", domain_grade_json(d),
	    "authentication", report_auth_json(d),
	    "mx", hosts);
}
