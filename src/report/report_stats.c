/*
 * report_stats.c - the numbers of one scan as JSON (report_stats.h), shared
 * by `mailtls stats --json` and the web's /api/stats so that both print the
 * same document.  Counting happens in the database (store_stats()); this
 * file only presents.
 */
#include "report/report_stats.h"

#include <jansson.h>

#include "report/report.h"

/* pct - n as a percentage of of (0 when of is 0). */
static double
pct(uint64_t n, uint64_t of)
{
	return of == 0 ? 0.0 : 100.0 * (double)n / (double)of;
}

/* grades_json - {"A+": n, ..., "F": n, "not_graded": n} */
static json_t *
grades_json(const uint64_t *by_letter)
{
	json_t *o = json_object();
	int l;

	for (l = GRADE_LETTER_COUNT - 1; l > GRADE_NONE; l--)
		json_object_set_new(o, grade_letter_name((enum grade_letter)l),
		    json_integer((json_int_t)by_letter[l]));
	json_object_set_new(o, "not_graded",
	    json_integer((json_int_t)by_letter[GRADE_NONE]));
	return o;
}

static json_t *
time_or_null(int64_t t)
{
	char buf[32];

	if (t == 0)
		return json_null();
	report_fmt_time(t, buf, sizeof(buf), 1);
	return json_string(buf);
}

/* counts_json - {"name": n, ...} in the store's order. */
static json_t *
counts_json(const struct store_counts *c)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < c->n; i++)
		json_object_set_new(o, c->v[i].name,
		    json_integer((json_int_t)c->v[i].n));
	return o;
}

json_t *
report_stats_json(const struct store_stats *s)
{
	json_t *verdicts = json_object(), *worst = json_object();
	json_t *versions = json_object(), *ciphers = json_array();
	json_t *protocols = json_object(), *findings = json_object();
	size_t i;
	int v;

	for (v = 0; v < STORE_VERDICT_COUNT; v++)
		json_object_set_new(verdicts, store_verdict_name((enum store_verdict)v),
		    json_integer((json_int_t)s->verdict[v]));
	for (v = SEV_COUNT - 1; v >= 0; v--)
		json_object_set_new(worst, severity_name((enum severity)v),
		    json_integer((json_int_t)s->worst[v]));
	json_object_set_new(worst, "none", json_integer((json_int_t)s->worst_none));
	for (i = 0; i < s->tls_versions.n; i++)
		json_object_set_new(versions, s->tls_versions.v[i].name,
		    json_integer((json_int_t)s->tls_versions.v[i].n));
	for (i = 0; i < s->ciphers.n; i++)
		json_array_append_new(ciphers, json_pack("{s:s, s:I}",
		    "cipher", s->ciphers.v[i].name,
		    "servers", (json_int_t)s->ciphers.v[i].n));
	for (v = 0; v < PROBE_VERSION_COUNT; v++)
		json_object_set_new(protocols,
		    probe_version_name((enum probe_version)v),
		    json_integer((json_int_t)s->protocol[v]));
	for (i = 0; i < s->findings.n; i++)
		json_object_set_new(findings, s->findings.v[i].name,
		    json_integer((json_int_t)s->findings.v[i].n));
	return json_pack("{s:{s:I, s:o, s:o, s:s, s:s, s:s, s:s, s:I},"
	    " s:{s:I, s:I, s:o, s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:o, s:o,"
	    " s:o, s:f, s:{s:o, s:o, s:o}},"
	    " s:{s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:o, s:o, s:I, s:o, s:o,"
	    " s:f}}",
	    "scan",
	        "id", (json_int_t)s->scan.id,
	        "started_at", time_or_null(s->scan.started_at),
	        "finished_at", time_or_null(s->scan.finished_at),
	        "input_path", s->scan.input_path,
	        "input_sha256", s->scan.input_sha256,
	        "options", s->scan.options,
	        "version", s->scan.version,
	        "domains_total", (json_int_t)s->scan.domains_total,
	    "domains",
	        "processed", (json_int_t)s->domains,
	        "all_starttls", (json_int_t)s->all_starttls,
	        "verdicts", verdicts,
	        "null_mx", (json_int_t)s->null_mx,
	        "implicit_mx", (json_int_t)s->implicit_mx,
	        "mx_dnssec",
	            "secure", (json_int_t)s->mx_secure,
	            "insecure", (json_int_t)s->mx_insecure,
	            "bogus", (json_int_t)s->mx_bogus,
	            "indeterminate", (json_int_t)s->mx_indeterminate,
	        "worst_severity", worst,
	        "findings", findings,
	        "grades", grades_json(s->domain_grade),
	        "mean_score", s->domain_score,
	        "authentication",
	            "dane", counts_json(&s->dane),
	            "mta_sts", counts_json(&s->mta_sts),
	            "tls_rpt", counts_json(&s->tls_rpt),
	    "servers",
	        "unique", (json_int_t)s->servers,
	        "starttls_ok", (json_int_t)s->server_class[STORE_CLASS_STARTTLS_OK],
	        "no_starttls", (json_int_t)s->server_class[STORE_CLASS_NO_STARTTLS],
	        "starttls_broken", (json_int_t)s->server_class[STORE_CLASS_BROKEN],
	        "inconclusive",
	            (json_int_t)s->server_class[STORE_CLASS_INCONCLUSIVE],
	        "not_tested", (json_int_t)s->server_class[STORE_CLASS_NOT_TESTED],
	        "starttls_percent",
	            pct(s->server_class[STORE_CLASS_STARTTLS_OK], s->servers),
	        "tls_versions", versions,
	        "top_ciphers", ciphers,
	        "enumerated", (json_int_t)s->enumerated,
	        "protocols", protocols,
	        "grades", grades_json(s->server_grade),
	        "mean_score", s->server_score);
}

