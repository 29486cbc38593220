/*
 * web_html.c - the pages of `mailtls serve`.  See web_html.h.
 *
 * Every page is the same frame (head(), foot()) around server-rendered
 * content.  Reports are read from their JSON with small accessors that
 * tolerate missing or mistyped keys: a stored report may come from an
 * older or newer mailtls, or from a database someone else can write, so
 * nothing in it is trusted to be well-formed, and all of it is escaped.
 */
#include "web/web_html.h"

#include <event2/buffer.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "web/web_svg.h"

/* ---- the one escaping function, and literal output ---- */

void
html_text(struct evbuffer *b, const char *s)
{
	const char *run = s;

	if (s == NULL)
		return;
	for (; *s != '\0'; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		evbuffer_add(b, run, (size_t)(s - run));
		evbuffer_add(b, rep, strlen(rep));
		run = s + 1;
	}
	evbuffer_add(b, run, (size_t)(s - run));
}

void
html_raw(struct evbuffer *b, const char *s)
{
	evbuffer_add(b, s, strlen(s));
}

void
html_fmt(struct evbuffer *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	evbuffer_add_vprintf(b, fmt, ap);
	va_end(ap);
}

/* web_fmt_age - a short, rounded age for people. */
void
web_fmt_age(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s < 90)
		snprintf(buf, len, "%lld s", (long long)s);
	else if (s < 90 * 60)
		snprintf(buf, len, "%lld min", (long long)(s + 30) / 60);
	else if (s < 36 * 3600)
		snprintf(buf, len, "%lld h", (long long)(s + 1800) / 3600);
	else
		snprintf(buf, len, "%lld days", (long long)(s + 43200) / 86400);
}

/* ---- the frame ---- */

static void
head(struct evbuffer *b, const char *title, unsigned refresh_s)
{
	html_raw(b, "<!doctype html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">"
	    "<meta name=\"color-scheme\" content=\"light dark\">");
	if (refresh_s > 0)
		html_fmt(b, "<meta http-equiv=\"refresh\" content=\"%u\">",
		    refresh_s);
	html_raw(b, "<title>");
	html_text(b, title);
	html_raw(b, " · mailtls</title>"
	    "<link rel=\"stylesheet\" href=\"/static/style.css\"></head>\n"
	    "<body><header class=\"top\"><a class=\"brand\" href=\"/\">"
	    "<span class=\"logo\" aria-hidden=\"true\">✉</span>mailtls</a>"
	    "<nav><a href=\"/\">Test a domain</a>"
	    "<a href=\"/stats\">Statistics</a></nav></header>\n<main>");
}

/* foot - the frame's bottom. */
static void
foot(struct evbuffer *b)
{
	html_raw(b, "</main>\n<footer>mailtls: how well is a domain's mail "
	    "protected in transit? Every result is also available as JSON "
	    "under <code>/api/check/DOMAIN</code> and <code>/api/stats</code>."
	    "</footer></body></html>\n");
}

/*
 * The CSS classes of a grade letter: its badge and its chart bar.  Both
 * are literals of this table, never text from a report.
 */
static const struct grade_style {
	const char	*letter, *badge, *bar;
} grade_styles[] = {
	{ "A+", "g-ap", "bar-ap" }, { "A", "g-a", "bar-a" },
	{ "A-", "g-am", "bar-am" }, { "B", "g-b", "bar-b" },
	{ "C", "g-c", "bar-c" }, { "D", "g-d", "bar-d" },
	{ "E", "g-e", "bar-e" }, { "F", "g-f", "bar-f" },
};
static const struct grade_style no_grade = { NULL, "g-none", "bar-none" };

/* grade_style - the classes of letter ("A+" ... "F"); others: no grade. */
static const struct grade_style *
grade_style(const char *letter)
{
	size_t i;

	for (i = 0; letter != NULL &&
	    i < sizeof(grade_styles) / sizeof(*grade_styles); i++)
		if (strcmp(letter, grade_styles[i].letter) == 0)
			return &grade_styles[i];
	return &no_grade;
}

/* badge - a grade letter in its coloured box; NULL: a dash. */
static void
badge(struct evbuffer *b, const char *letter, const char *size)
{
	html_raw(b, "<span class=\"grade ");
	html_raw(b, grade_style(letter)->badge);
	html_raw(b, " ");
	html_raw(b, size);
	html_raw(b, "\">");
	html_text(b, letter != NULL ? letter : "–");
	html_raw(b, "</span>");
}

/* ---- reading the report JSON defensively ---- */

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_int_t
jint(const json_t *o, const char *key, json_int_t dflt)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static int
jtrue(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

static const json_t *
jobj(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_object(v) ? v : NULL;
}

static const json_t *
jarr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_array(v) ? v : NULL;
}

/* row - one <tr> of a facts table: a literal label and escaped text. */
static void
row(struct evbuffer *b, const char *label, const char *value)
{
	html_raw(b, "<tr><th scope=\"row\">");
	html_raw(b, label);
	html_raw(b, "</th><td>");
	html_text(b, value != NULL ? value : "—");
	html_raw(b, "</td></tr>");
}

/* row_int - a row with a number. */
static void
row_int(struct evbuffer *b, const char *label, long long v)
{
	char n[32];

	snprintf(n, sizeof(n), "%lld", v);
	row(b, label, n);
}

/* row_bool - a yes/no row, green when it is the good answer. */
static void
row_bool(struct evbuffer *b, const char *label, int v, int good_if_true)
{
	html_raw(b, "<tr><th scope=\"row\">");
	html_raw(b, label);
	html_raw(b, v == good_if_true ? "</th><td><span class=\"ok\">" :
	    "</th><td><span class=\"bad\">");
	html_raw(b, v ? "yes" : "no");
	html_raw(b, "</span></td></tr>");
}

/* row_list - a JSON array of strings, comma-separated. */
static void
row_list(struct evbuffer *b, const char *label, const json_t *a)
{
	size_t i;
	json_t *v;

	html_raw(b, "<tr><th scope=\"row\">");
	html_raw(b, label);
	html_raw(b, "</th><td>");
	if (a == NULL || json_array_size(a) == 0)
		html_raw(b, "—");
	json_array_foreach(a, i, v) {
		if (i > 0)
			html_raw(b, ", ");
		html_text(b, json_is_string(v) ? json_string_value(v) : "?");
	}
	html_raw(b, "</td></tr>");
}

/* section_open - a titled card; id: a literal anchor. */
static void
section_open(struct evbuffer *b, const char *title, const char *cls)
{
	html_raw(b, "<section class=\"card ");
	html_raw(b, cls);
	html_raw(b, "\"><h3>");
	html_raw(b, title);
	html_raw(b, "</h3>");
}

/*
 * The DANE, MTA-STS and TLS-RPT sections, from the report's
 * "authentication" object (domain), "dane" (host) and "authentication"
 * (address); docs/json.md.  Every string is peer- or DNS-derived: escaped.
 */

/* delivery_class - the colour of a verdict's delivery value. */
static const char *
delivery_class(const char *d)
{
	if (d == NULL)
		return "muted";
	if (strcmp(d, "authenticated") == 0)
		return "ok";
	if (strcmp(d, "deferred") == 0)
		return "bad";
	if (strcmp(d, "partial") == 0 || strcmp(d, "unauthenticated") == 0)
		return "warn";
	return "muted";
}

/* verdict_para - "Senders that support X will ..." in its colour. */
static void
verdict_para(struct evbuffer *b, const json_t *v)
{
	html_raw(b, "<p class=\"");
	html_raw(b, delivery_class(jstr(v, "delivery")));
	html_raw(b, "\">");
	html_text(b, jstr(v, "text") != NULL ? jstr(v, "text") : "");
	html_raw(b, "</p>");
}

static void
not_checked(struct evbuffer *b, const char *what)
{
	html_raw(b, "<p class=\"muted\">Not checked: ");
	html_raw(b, what);
	html_raw(b, "</p>");
}

/* render_dane - the domain's DANE verdict and each host's TLSA state. */
static void
render_dane(struct evbuffer *b, const json_t *auth, const json_t *hosts)
{
	const json_t *h;
	size_t i;

	section_open(b, "DANE", "sec-dane");
	if (jobj(auth, "dane") == NULL) {
		not_checked(b, "no MX host was looked up for TLSA records "
		    "(RFC 7672).");
		html_raw(b, "</section>");
		return;
	}
	verdict_para(b, jobj(auth, "dane"));
	html_raw(b, "<table class=\"facts\">");
	json_array_foreach(hosts, i, h) {
		const json_t *d = jobj(h, "dane");

		if (d == NULL)
			continue;
		html_raw(b, "<tr><th scope=\"row\">");
		html_text(b, jstr(h, "host"));
		html_raw(b, "</th><td>");
		html_text(b, jstr(d, "state"));
		if (jstr(d, "why") != NULL) {
			html_raw(b, ": ");
			html_text(b, jstr(d, "why"));
		}
		if (jstr(d, "state") != NULL && strcmp(jstr(d, "state"),
		    "tlsa") == 0)
			html_fmt(b, " &middot; %lld of %lld record(s) usable, "
			    "%lld of %lld address(es) valid",
			    (long long)jint(d, "usable", 0),
			    (long long)json_array_size(jarr(d, "records")),
			    (long long)jint(d, "addresses_valid", 0),
			    (long long)jint(d, "addresses", 0));
		html_raw(b, "</td></tr>");
	}
	html_raw(b, "</table></section>");
}

/* render_dane_host - one host's TLSA records, each judged. */
static void
render_dane_host(struct evbuffer *b, const json_t *d)
{
	const json_t *r;
	size_t i;

	if (d == NULL || json_array_size(jarr(d, "records")) == 0)
		return;
	section_open(b, "TLSA records", "sec-dane");
	html_raw(b, "<table class=\"facts\">");
	json_array_foreach(jarr(d, "records"), i, r) {
		const char *data = jstr(r, "data");

		html_fmt(b, "<tr><th scope=\"row\">%lld %lld %lld</th><td>",
		    (long long)jint(r, "usage", -1),
		    (long long)jint(r, "selector", -1),
		    (long long)jint(r, "matching_type", -1));
		html_raw(b, "<code>");
		if (data != NULL && strlen(data) > 24) {
			char head[25];

			memcpy(head, data, 24);
			head[24] = '\0';
			html_text(b, head);
			html_raw(b, "&hellip;");
		} else {
			html_text(b, data != NULL ? data : "");
		}
		html_raw(b, "</code> <span class=\"");
		html_raw(b, jtrue(r, "usable") ? "ok" : "warn");
		html_raw(b, "\">");
		html_text(b, jstr(r, "status"));
		html_raw(b, "</span></td></tr>");
	}
	html_raw(b, "</table>");
	if (jstr(d, "rollover") != NULL && jstr(d, "rollover")[0] != '\0') {
		html_raw(b, "<p class=\"muted\">Rollover: ");
		html_text(b, jstr(d, "rollover"));
		html_raw(b, "</p>");
	}
	html_raw(b, "</section>");
}

/* render_auth_address - what DANE and MTA-STS say about one address. */
static void
render_auth_address(struct evbuffer *b, const json_t *a)
{
	const json_t *d = jobj(a, "dane");

	if (a == NULL)
		return;
	section_open(b, "Authentication", "sec-auth");
	html_raw(b, "<table class=\"facts\">");
	row(b, "DANE", jstr(a, "dane_state"));
	if (d != NULL) {
		row(b, "TLSA match", jstr(d, "state"));
		if (jstr(d, "verify_error") != NULL)
			row(b, "why", jstr(d, "verify_error"));
	}
	row(b, "MTA-STS", jstr(a, "mta_sts_state"));
	if (jstr(a, "mta_sts") != NULL)
		row(b, "policy check", jstr(a, "mta_sts"));
	html_raw(b, "</table></section>");
}

/* render_mta_sts - MTA-STS (RFC 8461): verdict, record, fetch, policy. */
static void
render_mta_sts(struct evbuffer *b, const json_t *auth)
{
	const json_t *m = jobj(auth, "mta_sts"), *fetch, *pol, *x;
	size_t i;

	section_open(b, "MTA-STS", "sec-mta-sts");
	if (m == NULL) {
		not_checked(b, "the _mta-sts record was not looked up "
		    "(RFC 8461).");
		html_raw(b, "</section>");
		return;
	}
	verdict_para(b, jobj(auth, "mta_sts_verdict"));
	fetch = jobj(m, "fetch");
	pol = jobj(m, "policy");
	html_raw(b, "<table class=\"facts\">");
	row(b, "state", jstr(m, "state"));
	row(b, "record", jstr(jobj(m, "record"), "error"));
	if (jstr(jobj(m, "record"), "id") != NULL)
		row(b, "id", jstr(jobj(m, "record"), "id"));
	if (fetch != NULL) {
		row(b, "policy fetch", jstr(fetch, "result"));
		if (jstr(fetch, "result") != NULL &&
		    strcmp(jstr(fetch, "result"), "ok") != 0)
			row(b, "why", jstr(fetch, "text"));
	}
	if (pol != NULL) {
		row(b, "mode", jstr(pol, "mode"));
		if (json_integer_value(json_object_get(pol, "max_age")) > 0)
			row_int(b, "max_age", (long long)jint(pol, "max_age", 0));
		html_raw(b, "<tr><th scope=\"row\">mx</th><td>");
		json_array_foreach(jarr(pol, "mx"), i, x) {
			if (i > 0)
				html_raw(b, ", ");
			html_text(b, json_string_value(x) ? json_string_value(x) : "");
		}
		html_raw(b, "</td></tr>");
		json_array_foreach(jarr(pol, "errors"), i, x)
			row(b, "error", json_string_value(x));
	}
	html_raw(b, "</table></section>");
}

/* render_tls_rpt - TLS-RPT (RFC 8460): where failures are reported. */
static void
render_tls_rpt(struct evbuffer *b, const json_t *auth)
{
	const json_t *t = jobj(auth, "tls_rpt"), *u;
	size_t i;

	section_open(b, "TLS-RPT", "sec-tls-rpt");
	if (t == NULL) {
		not_checked(b, "the _smtp._tls record was not looked up "
		    "(RFC 8460).");
		html_raw(b, "</section>");
		return;
	}
	html_raw(b, "<table class=\"facts\">");
	row(b, "record", jstr(t, "error"));
	json_array_foreach(jarr(t, "rua"), i, u)
		row(b, "reports to", jstr(u, "uri"));
	html_raw(b, "</table>");
	if (json_array_size(jarr(t, "rua")) == 0)
		html_raw(b, "<p class=\"muted\">Without TLS-RPT, senders cannot "
		    "tell you when TLS to your servers fails.</p>");
	html_raw(b, "</section>");
}

/* dnssec - the DNSSEC state of a lookup, coloured. */
static void
dnssec_state(struct evbuffer *b, const json_t *dns)
{
	const char *s = jstr(dns, "dnssec");

	html_raw(b, "<span class=\"");
	html_raw(b, s != NULL && strcmp(s, "secure") == 0 ? "ok" :
	    s != NULL && strcmp(s, "bogus") == 0 ? "bad" : "warn");
	html_raw(b, "\">");
	html_text(b, s != NULL ? s : "not looked up");
	html_raw(b, "</span>");
}

/* render_dnssec - the DNSSEC state of the MX and address lookups. */
static void
render_dnssec(struct evbuffer *b, const json_t *r)
{
	const json_t *mx = jobj(r, "mx_lookup"), *hosts = jarr(r, "mx"), *h;
	size_t i;

	section_open(b, "DNSSEC", "sec-dnssec");
	html_raw(b, "<table class=\"facts\"><tr><th scope=\"row\">MX lookup"
	    "</th><td>");
	html_text(b, jstr(mx, "outcome"));
	html_raw(b, ", ");
	dnssec_state(b, mx);
	html_raw(b, "</td></tr>");
	if (jstr(mx, "why_bogus") != NULL)
		row(b, "why bogus", jstr(mx, "why_bogus"));
	json_array_foreach(hosts, i, h) {
		const json_t *dns = jobj(h, "dns");

		html_raw(b, "<tr><th scope=\"row\">");
		html_text(b, jstr(h, "host"));
		html_raw(b, "</th><td>A ");
		dnssec_state(b, jobj(dns, "a"));
		html_raw(b, ", AAAA ");
		dnssec_state(b, jobj(dns, "aaaa"));
		html_raw(b, "</td></tr>");
	}
	html_raw(b, "</table><p class=\"muted\">Signed MX and address records "
	    "(secure) are what DANE builds on; without them an attacker on "
	    "the path can redirect mail.</p></section>");
}

/* href_ok - a reference link is shown as a link only if it is https. */
static int
href_ok(const char *u)
{
	return u != NULL && strncmp(u, "https://", 8) == 0 &&
	    strpbrk(u, "\"'<> ") == NULL;
}

/* render_findings - findings with severity, evidence, fix per MTA, references. */
static void
render_findings(struct evbuffer *b, const json_t *findings)
{
	const json_t *f;
	size_t i;

	if (findings == NULL || json_array_size(findings) == 0)
		return;
	html_raw(b, "<ul class=\"findings\">");
	json_array_foreach(findings, i, f) {
		const char *sev = jstr(f, "severity"), *k;
		const json_t *by = jobj(f, "fix_by_mta"), *refs = jarr(f,
		    "references"), *v;
		size_t j;

		/* The class is one of our literals, whatever the report says. */
		const char *cls = sev == NULL ? "info" :
		    strcmp(sev, "critical") == 0 ? "critical" :
		    strcmp(sev, "high") == 0 ? "high" :
		    strcmp(sev, "medium") == 0 ? "medium" :
		    strcmp(sev, "low") == 0 ? "low" : "info";

		html_raw(b, "<li class=\"finding f-");
		html_raw(b, cls);
		html_raw(b, "\"><span class=\"sev sev-");
		html_raw(b, cls);
		html_raw(b, "\">");
		html_text(b, sev != NULL ? sev : "info");
		html_raw(b, "</span> <strong class=\"ftitle\">");
		html_text(b, jstr(f, "title"));
		html_raw(b, "</strong> <code class=\"fid\">");
		html_text(b, jstr(f, "id"));
		html_raw(b, "</code>");
		if (jstr(f, "detail") != NULL) {
			html_raw(b, "<p class=\"detail\">");
			html_text(b, jstr(f, "detail"));
			html_raw(b, "</p>");
		}
		html_raw(b, "<p class=\"fix\"><b>Fix:</b> ");
		html_text(b, jstr(f, "fix"));
		html_raw(b, "</p>");
		if (by != NULL && json_object_size(by) > 0) {
			html_raw(b, "<details><summary>How, per mail server "
			    "software</summary><dl class=\"bymta\">");
			json_object_foreach((json_t *)by, k, v) {
				html_raw(b, "<dt>");
				html_text(b, k);
				html_raw(b, "</dt><dd><code>");
				html_text(b, json_string_value(v));
				html_raw(b, "</code></dd>");
			}
			html_raw(b, "</dl></details>");
		}
		if (refs != NULL && json_array_size(refs) > 0) {
			html_raw(b, "<p class=\"refs\">See: ");
			json_array_foreach(refs, j, v) {
				const char *u = json_string_value(v);

				if (j > 0)
					html_raw(b, " · ");
				if (href_ok(u)) {
					html_raw(b, "<a rel=\"noopener noreferrer\" "
					    "href=\"");
					html_text(b, u);
					html_raw(b, "\">");
					html_text(b, u + 8);
					html_raw(b, "</a>");
				} else {
					html_text(b, u);
				}
			}
			html_raw(b, "</p>");
		}
		html_raw(b, "</li>");
	}
	html_raw(b, "</ul>");
}

/* render_certificate - the leaf certificate and whether it verifies. */
static void
render_certificate(struct evbuffer *b, const json_t *tls)
{
	const json_t *cert = jobj(tls, "certificate");
	const json_t *leaf = json_array_get(jarr(cert, "chain"), 0);
	char n[64];

	section_open(b, "Certificate", "sec-cert");
	if (cert == NULL) {
		html_raw(b, "<p class=\"muted\">No certificate: no TLS session."
		    "</p></section>");
		return;
	}
	html_raw(b, "<table class=\"facts\">");
	row_bool(b, "verifies", jtrue(cert, "verified"), 1);
	if (jstr(cert, "verify_error") != NULL)
		row(b, "verify error", jstr(cert, "verify_error"));
	row(b, "name matching the MX host", jstr(cert, "name_match"));
	if (leaf != NULL) {
		row(b, "subject", jstr(leaf, "subject"));
		row(b, "issuer", jstr(leaf, "issuer"));
		row_list(b, "names (SAN)", jarr(leaf, "dns_names"));
		row(b, "valid from", jstr(leaf, "not_before"));
		row(b, "valid until", jstr(leaf, "not_after"));
		row_int(b, "days left", (long long)jint(leaf, "days_left", 0));
		snprintf(n, sizeof(n), " %lld bits",
		    (long long)jint(leaf, "key_bits", 0));
		html_raw(b, "<tr><th scope=\"row\">key</th><td>");
		html_text(b, jstr(leaf, "key_type"));
		html_text(b, n);
		html_raw(b, "</td></tr>");
		row(b, "signature", jstr(leaf, "signature_algorithm"));
		row_bool(b, "self-signed", jtrue(leaf, "self_signed"), 0);
		row(b, "SHA-256", jstr(leaf, "sha256"));
	}
	html_raw(b, "</table></section>");
}

/* render_protocol - the negotiated version and, enumerated, all of them. */
static void
render_protocol(struct evbuffer *b, const json_t *tls, const json_t *en)
{
	static const char *const versions[] = { "TLSv1.3", "TLSv1.2",
	    "TLSv1.1", "TLSv1.0", "SSLv3", "SSLv2" };
	const json_t *protos = jobj(en, "protocols");
	size_t i;

	section_open(b, "Protocol", "sec-proto");
	html_raw(b, "<table class=\"facts\">");
	row(b, "negotiated", jstr(tls, "version"));
	if (protos != NULL) {
		for (i = 0; i < sizeof(versions) / sizeof(*versions); i++) {
			const char *a = jstr(protos, versions[i]);
			/* TLS 1.2+ accepted is good; older ones accepted are bad. */
			int good = (i < 2) == (a != NULL && strcmp(a, "yes") == 0);

			html_raw(b, "<tr><th scope=\"row\">");
			html_raw(b, versions[i]);
			html_raw(b, good ? "</th><td><span class=\"ok\">" :
			    "</th><td><span class=\"bad\">");
			html_text(b, a != NULL ? a : "unknown");
			html_raw(b, "</span></td></tr>");
		}
		row(b, "fallback SCSV", jstr(en, "fallback_scsv"));
		row(b, "secure renegotiation", jstr(en, "secure_renegotiation"));
		row(b, "compression", jstr(en, "compression"));
	} else {
		html_raw(b, "<tr><td colspan=\"2\" class=\"muted\">No enumeration "
		    "(quick check, or STARTTLS did not work).</td></tr>");
	}
	html_raw(b, "</table></section>");
}

/* render_kx - key exchange: kind, group, size, forward secrecy. */
static void
render_kx(struct evbuffer *b, const json_t *tls, const json_t *en)
{
	const json_t *kx = jobj(tls, "key_exchange"), *dh = jobj(en, "dh");
	char n[64];

	section_open(b, "Key exchange", "sec-kx");
	html_raw(b, "<table class=\"facts\">");
	row(b, "kind", jstr(kx, "kind"));
	row(b, "group", jstr(kx, "group"));
	if (kx != NULL) {
		snprintf(n, sizeof(n), "%lld bits (%lld-bit security)",
		    (long long)jint(kx, "bits", 0),
		    (long long)jint(kx, "security_bits", 0));
		row(b, "size", n);
	}
	if (tls != NULL)
		row_bool(b, "forward secrecy", jtrue(tls, "forward_secrecy"), 1);
	if (en != NULL) {
		row_list(b, "groups accepted", jarr(en, "groups"));
		if (dh != NULL && jint(dh, "min_bits", 0) > 0) {
			snprintf(n, sizeof(n), "%lld bits",
			    (long long)jint(dh, "min_bits", 0));
			row(b, "smallest DH prime", n);
			row(b, "known DH group", jstr(dh, "known_group"));
		}
	}
	row_list(b, "modern clients refuse", jarr(tls, "modern_client_refusals"));
	html_raw(b, "</table></section>");
}

/* render_cipher - the negotiated suite and every accepted one. */
static void
render_cipher(struct evbuffer *b, const json_t *tls, const json_t *en)
{
	const json_t *suites = jarr(en, "suites"), *s;
	char n[32];
	size_t i;

	section_open(b, "Cipher", "sec-cipher");
	html_raw(b, "<table class=\"facts\">");
	row(b, "negotiated", jstr(tls, "cipher_iana") ? jstr(tls, "cipher_iana") :
	    jstr(tls, "cipher"));
	if (tls != NULL) {
		snprintf(n, sizeof(n), "%lld bits",
		    (long long)jint(tls, "cipher_bits", 0));
		row(b, "strength", n);
	}
	if (en != NULL)
		row(b, "server's own order", jstr(en, "server_order"));
	html_raw(b, "</table>");
	if (suites != NULL && json_array_size(suites) > 0) {
		html_fmt(b, "<details><summary>%zu accepted suites</summary>"
		    "<div class=\"scroll\"><table class=\"list\"><thead><tr>"
		    "<th>version</th><th>suite</th><th>bits</th><th>kx</th>"
		    "</tr></thead><tbody>", json_array_size(suites));
		json_array_foreach(suites, i, s) {
			int weak = jtrue(s, "export") || jtrue(s, "rc4") ||
			    jtrue(s, "null_cipher") || jtrue(s, "anonymous") ||
			    jtrue(s, "sweet32");

			html_raw(b, weak ? "<tr class=\"weak\"><td>" : "<tr><td>");
			html_text(b, jstr(s, "version"));
			html_raw(b, "</td><td><code>");
			html_text(b, jstr(s, "name"));
			html_fmt(b, "</code></td><td>%lld</td><td>",
			    (long long)jint(s, "strength_bits", 0));
			html_text(b, jstr(s, "kx"));
			if (jstr(s, "kx_group") != NULL) {
				html_raw(b, " ");
				html_text(b, jstr(s, "kx_group"));
			}
			html_raw(b, "</td></tr>");
		}
		html_raw(b, "</tbody></table></div></details>");
	}
	html_raw(b, "</section>");
}

/* render_smtp - banner, EHLO, STARTTLS: server-supplied text, escaped. */
static void
render_smtp(struct evbuffer *b, const json_t *smtp)
{
	const json_t *ehlo = jobj(smtp, "ehlo");

	section_open(b, "SMTP", "sec-smtp");
	html_raw(b, "<table class=\"facts\">");
	row_list(b, "banner", jarr(smtp, "banner"));
	row(b, "EHLO greeting", jstr(ehlo, "greeting"));
	row_list(b, "extensions", jarr(ehlo, "extensions"));
	row_bool(b, "STARTTLS offered", jtrue(ehlo, "starttls"), 1);
	if (jstr(smtp, "starttls_reply") != NULL)
		row(b, "reply to STARTTLS", jstr(smtp, "starttls_reply"));
	if (jstr(smtp, "error") != NULL)
		row(b, "error", jstr(smtp, "error"));
	html_raw(b, "</table></section>");
}

/* render_clients - the simulated senders table (docs/clients.md). */
static void
render_clients(struct evbuffer *b, const json_t *clients)
{
	const json_t *c;
	size_t i;

	if (clients == NULL || json_array_size(clients) == 0)
		return;
	html_raw(b, "<section class=\"card wide sec-clients\"><h3>Sending "
	    "servers</h3><p class=\"muted\">What common sending mail servers "
	    "would negotiate with this address.</p><div class=\"scroll\">"
	    "<table class=\"list clients\"><thead><tr><th>sender</th>"
	    "<th>result</th><th>protocol</th><th>suite</th><th>note</th>"
	    "</tr></thead><tbody>");
	json_array_foreach(clients, i, c) {
		const char *o = jstr(c, "outcome");
		int ok = o != NULL && strcmp(o, "connects") == 0;

		html_raw(b, "<tr><td>");
		html_text(b, jstr(c, "name"));
		html_raw(b, ok ? "</td><td><span class=\"ok\">" :
		    o != NULL && strcmp(o, "fails") == 0 ?
		    "</td><td><span class=\"bad\">" :
		    "</td><td><span class=\"warn\">");
		html_text(b, o);
		html_raw(b, "</span></td><td>");
		html_text(b, jstr(c, "version"));
		html_raw(b, "</td><td><code>");
		html_text(b, jstr(c, "suite"));
		html_raw(b, "</code></td><td>");
		html_text(b, jstr(c, "reason"));
		if (!ok && jstr(c, "on_failure") != NULL) {
			html_raw(b, jstr(c, "reason") ? " — then: " : "then: ");
			html_text(b, jstr(c, "on_failure"));
		}
		html_raw(b, "</td></tr>");
	}
	html_raw(b, "</tbody></table></div></section>");
}

/* grade_rules - deductions and caps: why the letter is what it is. */
static void
render_grade_rules(struct evbuffer *b, const json_t *g)
{
	const json_t *caps = jarr(g, "caps"), *ded = jarr(g, "deductions"), *v;
	const json_t *plus = jarr(g, "not_a_plus");
	size_t i;

	if (json_array_size(caps) + json_array_size(ded) +
	    json_array_size(plus) == 0)
		return;
	html_raw(b, "<details class=\"rules\"><summary>Why this grade"
	    "</summary><ul>");
	json_array_foreach(caps, i, v) {
		html_raw(b, "<li>capped at <b>");
		html_text(b, jstr(v, "letter"));
		html_raw(b, "</b>: ");
		html_text(b, jstr(v, "reason"));
		html_raw(b, "</li>");
	}
	json_array_foreach(ded, i, v) {
		const json_t *p = json_object_get(v, "points");

		html_fmt(b, "<li>−%g points (", json_number_value(p));
		html_text(b, jstr(v, "component"));
		html_raw(b, "): ");
		html_text(b, jstr(v, "reason"));
		html_raw(b, "</li>");
	}
	json_array_foreach(plus, i, v) {
		html_raw(b, "<li>not A+: ");
		html_text(b, jstr(v, "reason"));
		html_raw(b, "</li>");
	}
	html_raw(b, "</ul></details>");
}

/* status_class - the colour class of an SMTP status. */
static const char *
status_class(const char *st)
{
	if (st == NULL)
		return "warn";
	if (strcmp(st, "tls-ok") == 0)
		return "ok";
	if (strcmp(st, "no-starttls") == 0 || strcmp(st, "starttls-refused") == 0 ||
	    strcmp(st, "tls-failed") == 0 || strcmp(st, "protocol-error") == 0)
		return "bad";
	return "warn";
}

/* render_address - one address: grade, score, sections, findings, clients. */
static void
render_address(struct evbuffer *b, const json_t *a)
{
	const json_t *smtp = jobj(a, "smtp"), *tls = jobj(a, "tls");
	const json_t *en = jobj(a, "enumeration"), *g = jobj(a, "grade");
	const json_t *enc = jobj(g, "encryption");
	const char *st = jstr(smtp, "status");

	html_raw(b, "<article class=\"address\"><header class=\"addr-head\">");
	badge(b, jstr(g, "letter"), "md");
	html_raw(b, "<div><h3 class=\"addr\">");
	html_text(b, jstr(a, "address"));
	html_raw(b, "</h3><p class=\"addr-sub\"><span class=\"pill ");
	html_raw(b, status_class(st));
	html_raw(b, "\">");
	html_text(b, st);
	html_raw(b, "</span>");
	if (enc != NULL)
		html_fmt(b, " <span class=\"score\">score %lld/100</span>",
		    (long long)jint(enc, "score", 0));
	if (jstr(g, "not_graded") != NULL) {
		html_raw(b, " <span class=\"muted\">");
		html_text(b, jstr(g, "not_graded"));
		html_raw(b, "</span>");
	}
	if (jstr(a, "reserved") != NULL) {
		html_raw(b, " <span class=\"muted\">(");
		html_text(b, jstr(a, "reserved"));
		html_raw(b, ")</span>");
	}
	html_raw(b, "</p></div></header>");
	render_grade_rules(b, g);
	html_raw(b, "<div class=\"cards\">");
	render_certificate(b, tls);
	render_protocol(b, tls, en);
	render_kx(b, tls, en);
	render_cipher(b, tls, en);
	render_smtp(b, smtp);
	render_auth_address(b, jobj(a, "authentication"));
	html_raw(b, "</div>");
	if (json_array_size(jarr(a, "findings")) > 0) {
		html_raw(b, "<h4>Findings</h4>");
		render_findings(b, jarr(a, "findings"));
	}
	render_clients(b, jarr(a, "clients"));
	html_raw(b, "</article>");
}

/* render_host - one MX host and its addresses. */
static void
render_host(struct evbuffer *b, const json_t *h)
{
	const json_t *addrs = jarr(h, "addresses"), *a;
	json_int_t pref = jint(h, "preference", -1);
	size_t i;

	html_raw(b, "<section class=\"host\"><h2 class=\"hostname\">");
	html_text(b, jstr(h, "host"));
	if (pref >= 0)
		html_fmt(b, " <span class=\"muted\">MX %lld</span>",
		    (long long)pref);
	else
		html_raw(b, " <span class=\"muted\">(implicit MX)</span>");
	html_raw(b, "</h2>");
	render_findings(b, jarr(h, "findings"));
	if (jobj(h, "dane") != NULL &&
	    json_array_size(jarr(jobj(h, "dane"), "records")) > 0) {
		html_raw(b, "<div class=\"cards\">");
		render_dane_host(b, jobj(h, "dane"));
		html_raw(b, "</div>");
	}
	if (json_array_size(addrs) == 0)
		html_raw(b, "<p class=\"muted\">No address.</p>");
	json_array_foreach(addrs, i, a)
		render_address(b, a);
	html_raw(b, "</section>");
}

/* ---- pages ---- */

void
web_page_report(struct evbuffer *b, const char *domain, const json_t *r,
    int64_t checked_at, int64_t now, int can_revalidate)
{
	const json_t *g = jobj(r, "grade"), *sum = jobj(r, "summary");
	const json_t *hosts = jarr(r, "mx"), *h;
	char when[32], age[32];
	size_t i;

	head(b, domain, 0);
	report_fmt_time(checked_at, when, sizeof(when), 0);
	web_fmt_age(now - checked_at, age, sizeof(age));
	html_raw(b, "<section class=\"summary\"><div class=\"big\">");
	badge(b, jstr(g, "letter"), "lg");
	html_raw(b, "</div><div class=\"sumtext\"><h1 class=\"domain\">");
	html_text(b, domain);
	html_raw(b, "</h1><p class=\"muted\">Checked ");
	html_text(b, when);
	html_raw(b, " (");
	html_text(b, age);
	html_raw(b, " ago)</p>");
	if (jstr(g, "confidence_statement") != NULL) {
		html_raw(b, "<p>Grade confidence: ");
		html_text(b, jstr(g, "confidence_statement"));
		html_raw(b, "</p>");
	}
	if (jstr(g, "not_graded") != NULL) {
		html_raw(b, "<p>");
		html_text(b, jstr(g, "not_graded"));
		html_raw(b, "</p>");
	}
	if (sum != NULL)
		html_fmt(b, "<p class=\"counts\"><span>%lld MX host(s)</span>"
		    "<span>%lld address(es)</span><span class=\"ok\">%lld with "
		    "working STARTTLS</span><span class=\"bad\">%lld without"
		    "</span><span class=\"bad\">%lld broken</span><span "
		    "class=\"warn\">%lld inconclusive</span></p>",
		    (long long)jint(sum, "mx_hosts", 0),
		    (long long)jint(sum, "addresses", 0),
		    (long long)jint(sum, "starttls_ok", 0),
		    (long long)jint(sum, "no_starttls", 0),
		    (long long)jint(sum, "starttls_broken", 0),
		    (long long)jint(sum, "inconclusive", 0));
	html_raw(b, "<form class=\"inline\" method=\"post\" action=\"/check/");
	html_text(b, domain);
	html_raw(b, "\">");
	if (can_revalidate)
		html_raw(b, "<button type=\"submit\" class=\"secondary\">"
		    "Revalidate</button>");
	else
		html_raw(b, "<button type=\"submit\" class=\"secondary\" "
		    "disabled title=\"checked recently: served from the cache\">"
		    "Revalidate</button>");
	html_raw(b, " <a href=\"/api/check/");
	html_text(b, domain);
	html_raw(b, "\">JSON</a></form></div></section>");

	if (jtrue(r, "null_mx"))
		html_raw(b, "<p class=\"note\">This domain publishes a null MX "
		    "(RFC 7505): it accepts no mail.</p>");
	if (json_array_size(jarr(r, "findings")) > 0) {
		html_raw(b, "<h2>Domain findings</h2>");
		render_findings(b, jarr(r, "findings"));
	}
	html_raw(b, "<div class=\"cards\">");
	render_dnssec(b, r);
	render_dane(b, jobj(r, "authentication"), hosts);
	render_mta_sts(b, jobj(r, "authentication"));
	render_tls_rpt(b, jobj(r, "authentication"));
	html_raw(b, "</div>");
	json_array_foreach(hosts, i, h)
		render_host(b, h);
	foot(b);
}

void
web_page_home(struct evbuffer *b, const struct store_recent *recent,
    size_t n, int64_t now)
{
	char age[32];
	size_t i;

	head(b, "Test your mail server", 0);
	html_raw(b, "<section class=\"hero\"><h1>Does your mail server support "
	    "STARTTLS? Test it!</h1><p>Enter a domain: mailtls looks up its "
	    "mail servers, talks SMTP to each one the way a sending server "
	    "does, and grades the encryption it finds.</p>"
	    "<form class=\"check\" method=\"get\" action=\"/check\">"
	    "<label for=\"domain\" class=\"vh\">Domain</label>"
	    "<input id=\"domain\" name=\"domain\" type=\"text\" "
	    "inputmode=\"url\" autocomplete=\"off\" autocapitalize=\"off\" "
	    "spellcheck=\"false\" required maxlength=\"253\" "
	    "placeholder=\"example.org\">"
	    "<button type=\"submit\">Test</button></form></section>"
	    "<section class=\"why cards\">"
	    "<article class=\"card\"><h3>STARTTLS</h3><p>Mail between "
	    "servers is encrypted only if the receiving server offers "
	    "STARTTLS and the sender can agree with it on a protocol and a "
	    "cipher. Without it, every message crosses the Internet in clear "
	    "text; with weak settings, up-to-date senders refuse TLS and "
	    "fall back to clear text or queue the mail.</p></article>"
	    "<article class=\"card\"><h3>DANE</h3><p>STARTTLS alone is "
	    "opportunistic: an attacker on the path can strip it. DANE "
	    "(RFC 7672) publishes the server's key in DNSSEC-signed TLSA "
	    "records, so senders know TLS must be there and whose key to "
	    "expect.</p></article>"
	    "<article class=\"card\"><h3>MTA-STS</h3><p>For senders without "
	    "DNSSEC, MTA-STS (RFC 8461) publishes a policy over HTTPS: "
	    "require TLS with a valid certificate for these MX hosts. "
	    "TLS-RPT (RFC 8460) has senders report failures back to you."
	    "</p></article></section>");
	html_raw(b, "<section class=\"recent\"><h2>Recent results</h2>");
	if (n == 0)
		html_raw(b, "<p class=\"muted\">No domain tested yet.</p>");
	else
		html_raw(b, "<ul class=\"recent-list\">");
	for (i = 0; i < n; i++) {
		web_fmt_age(now - recent[i].checked_at, age, sizeof(age));
		html_raw(b, "<li><a href=\"/check/");
		html_text(b, recent[i].name);
		html_raw(b, "\">");
		badge(b, recent[i].grade, "sm");
		html_raw(b, "<span class=\"rname\">");
		html_text(b, recent[i].name);
		html_raw(b, "</span><span class=\"muted\">");
		html_text(b, age);
		html_raw(b, " ago</span></a></li>");
	}
	if (n > 0)
		html_raw(b, "</ul>");
	html_raw(b, "</section>");
	foot(b);
}

void
web_page_progress(struct evbuffer *b, const char *domain, unsigned elapsed_ms,
    unsigned refresh_s)
{
	head(b, domain, refresh_s);
	html_raw(b, "<section class=\"progress-page\"><h1>Checking <span "
	    "class=\"domain\">");
	html_text(b, domain);
	html_raw(b, "</span></h1><progress class=\"running\" aria-label=\""
	    "check in progress\"></progress>");
	html_fmt(b, "<p>Running for %u s. This page reloads every %u s until "
	    "the result is ready; a full check takes a few seconds to a "
	    "minute per mail server.</p>", elapsed_ms / 1000, refresh_s);
	html_raw(b, "<ol class=\"steps\"><li>MX and address lookups, with "
	    "DNSSEC validation</li><li>An SMTP session with STARTTLS to every "
	    "address</li><li>Enumeration of protocols, cipher suites and key "
	    "exchange groups, one connection at a time</li><li>Findings and "
	    "grades</li></ol></section>");
	foot(b);
}

void
web_page_refused(struct evbuffer *b, const char *domain, const char *why)
{
	head(b, "Refused", 0);
	html_raw(b, "<section class=\"error\"><h1>Refused: <span "
	    "class=\"domain\">");
	html_text(b, domain);
	html_raw(b, "</span></h1><p>");
	html_text(b, why);
	html_raw(b, "</p><p class=\"muted\">This service only connects to "
	    "public Internet addresses, so that it cannot be used to probe "
	    "internal networks.</p><p><a href=\"/\">Test another domain</a>"
	    "</p></section>");
	foot(b);
}

void
web_page_error(struct evbuffer *b, int status, const char *title,
    const char *detail)
{
	head(b, title, 0);
	html_fmt(b, "<section class=\"error\"><p class=\"status\">%d</p><h1>",
	    status);
	html_text(b, title);
	html_raw(b, "</h1><p>");
	html_text(b, detail);
	html_raw(b, "</p><p><a href=\"/\">Back to the test</a></p></section>");
	foot(b);
}

/* ---- statistics ---- */

static void
stat_tile(struct evbuffer *b, const char *label, uint64_t n, uint64_t of)
{
	html_fmt(b, "<div class=\"tile\"><span class=\"num\">%llu</span>"
	    "<span class=\"lbl\">", (unsigned long long)n);
	html_raw(b, label);
	if (of > 0)
		html_fmt(b, " (%.1f %%)", 100.0 * (double)n / (double)of);
	html_raw(b, "</span></div>");
}

/* auth_bar_class - the colour of an authentication adoption value. */
static const char *
auth_bar_class(const char *v)
{
	if (strcmp(v, "authenticated") == 0 || strcmp(v, "enforce") == 0)
		return "bar-good";
	if (strcmp(v, "deferred") == 0 || strcmp(v, "fetch-failed") == 0 ||
	    strcmp(v, "invalid-policy") == 0)
		return "bar-bad";
	if (strcmp(v, "partial") == 0 || strcmp(v, "unauthenticated") == 0 ||
	    strcmp(v, "testing") == 0)
		return "bar-warn";
	return "bar-none";
}

/* counts_chart - a card with one bar per value of c (database text:
 * escaped by web_svg_bars). */
static void
counts_chart(struct evbuffer *b, const char *heading, const char *title,
    const struct store_counts *c, uint64_t total)
{
	struct web_bar bars[12];
	size_t i, k = 0;

	for (i = 0; i < c->n && k < 12; i++)
		bars[k++] = (struct web_bar){ c->v[i].name, c->v[i].n,
		    auth_bar_class(c->v[i].name) };
	html_raw(b, "<section class=\"card chart-card\"><h3>");
	html_text(b, heading);
	html_raw(b, "</h3>");
	web_svg_bars(b, title, bars, k, total);
	html_raw(b, "</section>");
}

/* grade_chart - the spread of letters, best first, as a bar chart. */
static void
grade_chart(struct evbuffer *b, const char *title, const uint64_t *by)
{
	struct web_bar bars[GRADE_LETTER_COUNT];
	size_t k = 0;
	int l;

	for (l = GRADE_LETTER_COUNT - 1; l > GRADE_NONE; l--) {
		const char *name = grade_letter_name((enum grade_letter)l);

		bars[k].label = name;
		bars[k].n = by[l];
		bars[k].cls = grade_style(name)->bar;
		k++;
	}
	bars[k].label = "not graded";
	bars[k].n = by[GRADE_NONE];
	bars[k].cls = "bar-none";
	k++;
	html_raw(b, "<section class=\"card chart-card\"><h3>");
	html_text(b, title);
	html_raw(b, "</h3>");
	web_svg_bars(b, title, bars, k, 0);
	html_raw(b, "</section>");
}

void
web_page_stats(struct evbuffer *b, const struct store_stats *s)
{
	struct web_bar bars[16];
	char when[32], title[96];
	uint64_t tls_total = 0;
	size_t i, k;
	int v;

	head(b, "Statistics", 0);
	report_fmt_time(s->scan.started_at, when, sizeof(when), 0);
	html_fmt(b, "<h1>Statistics</h1><p class=\"muted\">Scan %lld, started ",
	    (long long)s->scan.id);
	html_text(b, when);
	html_raw(b, " (input: ");
	html_text(b, s->scan.input_path);
	html_fmt(b, ")%s. Grades use rubric ", s->scan.finished_at ? "" :
	    ", still running or open");
	html_text(b, GRADE_RUBRIC_VERSION);
	html_raw(b, ".</p><div class=\"tiles\">");
	stat_tile(b, "domains", s->domains, 0);
	stat_tile(b, "every server with STARTTLS", s->all_starttls, s->domains);
	stat_tile(b, "unique mail servers", s->servers, 0);
	stat_tile(b, "servers with STARTTLS",
	    s->server_class[STORE_CLASS_STARTTLS_OK], s->servers);
	html_fmt(b, "<div class=\"tile\"><span class=\"num\">%.1f</span>"
	    "<span class=\"lbl\">mean domain score</span></div>",
	    s->domain_score);
	html_raw(b, "</div><div class=\"cards charts\">");

	grade_chart(b, "Grades of domains", s->domain_grade);
	grade_chart(b, "Grades of servers", s->server_grade);

	k = 0;
	bars[k++] = (struct web_bar){ "STARTTLS working",
	    s->server_class[STORE_CLASS_STARTTLS_OK], "bar-good" };
	bars[k++] = (struct web_bar){ "no STARTTLS",
	    s->server_class[STORE_CLASS_NO_STARTTLS], "bar-bad" };
	bars[k++] = (struct web_bar){ "STARTTLS broken",
	    s->server_class[STORE_CLASS_BROKEN], "bar-bad" };
	bars[k++] = (struct web_bar){ "inconclusive",
	    s->server_class[STORE_CLASS_INCONCLUSIVE], "bar-warn" };
	bars[k++] = (struct web_bar){ "not tested",
	    s->server_class[STORE_CLASS_NOT_TESTED], "bar-none" };
	html_raw(b, "<section class=\"card chart-card\"><h3>STARTTLS adoption "
	    "(servers)</h3>");
	web_svg_bars(b, "STARTTLS adoption", bars, k, s->servers);
	html_raw(b, "</section>");

	k = 0;
	bars[k++] = (struct web_bar){ "MX signed (secure)", s->mx_secure,
	    "bar-good" };
	bars[k++] = (struct web_bar){ "provably unsigned", s->mx_insecure,
	    "bar-warn" };
	bars[k++] = (struct web_bar){ "bogus", s->mx_bogus, "bar-bad" };
	bars[k++] = (struct web_bar){ "indeterminate", s->mx_indeterminate,
	    "bar-none" };
	html_raw(b, "<section class=\"card chart-card\"><h3>DNSSEC of the MX "
	    "(domains)</h3>");
	web_svg_bars(b, "DNSSEC of the MX records", bars, k, s->domains);
	html_raw(b, "</section>");

	counts_chart(b, "DANE (domains)", "What DANE senders do",
	    &s->dane, s->domains);
	counts_chart(b, "MTA-STS (domains)", "MTA-STS policy mode or state",
	    &s->mta_sts, s->domains);

	for (i = 0; i < s->tls_versions.n; i++)
		tls_total += s->tls_versions.v[i].n;
	k = 0;
	for (i = 0; i < s->tls_versions.n && k < 8; i++) {
		const char *name = s->tls_versions.v[i].name;

		bars[k++] = (struct web_bar){ name, s->tls_versions.v[i].n,
		    strcmp(name, "TLSv1.3") == 0 ? "bar-good" :
		    strcmp(name, "TLSv1.2") == 0 ? "bar-a" : "bar-bad" };
	}
	snprintf(title, sizeof(title), "TLS versions negotiated (servers "
	    "with a handshake)");
	html_raw(b, "<section class=\"card chart-card\"><h3>TLS versions "
	    "negotiated</h3>");
	web_svg_bars(b, title, bars, k, tls_total);
	html_raw(b, "</section>");

	k = 0;
	for (v = PROBE_VERSION_COUNT - 1; v >= 0 && k < 8; v--) {
		const char *name = probe_version_name((enum probe_version)v);

		bars[k++] = (struct web_bar){ name, s->protocol[v],
		    v >= PROBE_VERSION_COUNT - 2 ? "bar-good" : "bar-bad" };
	}
	html_raw(b, "<section class=\"card chart-card\"><h3>Protocols accepted "
	    "(servers enumerated)</h3>");
	web_svg_bars(b, "Protocols accepted", bars, k, s->enumerated);
	html_raw(b, "</section>");

	k = 0;
	for (i = 0; i < s->findings.n && k < 12; i++)
		bars[k++] = (struct web_bar){ s->findings.v[i].name,
		    s->findings.v[i].n, "bar-warn" };
	html_raw(b, "<section class=\"card chart-card\"><h3>Most common "
	    "findings (domains)</h3>");
	web_svg_bars(b, "Most common findings", bars, k, s->domains);
	html_raw(b, "</section></div>");
	foot(b);
}

/* ---- the stylesheet (/static/style.css) ---- */

const char web_style_css[] =
":root{--bg:#f6f7f9;--fg:#1c2330;--muted:#5d6776;--card:#fff;"
"--line:#dfe3ea;--accent:#2456d6;--ok:#137a3a;--bad:#b3261e;--warn:#a15c00;"
"--track:#e6e9ef}\n"
"@media (prefers-color-scheme:dark){:root{--bg:#11151c;--fg:#e6e9ef;"
"--muted:#9aa4b2;--card:#1a2029;--line:#2c3440;--accent:#7aa2ff;"
"--ok:#5fd38d;--bad:#ff8a80;--warn:#ffc266;--track:#2c3440}}\n"
"*{box-sizing:border-box}\n"
"html{-webkit-text-size-adjust:100%}\n"
"body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 "
"system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,"
"sans-serif}\n"
"a{color:var(--accent)}\n"
"code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
"font-size:.88em;overflow-wrap:anywhere}\n"
".top{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;"
"justify-content:space-between;padding:.8rem max(1rem,calc(50% - 36rem));"
"background:var(--card);border-bottom:1px solid var(--line)}\n"
".brand{font-weight:700;font-size:1.2rem;text-decoration:none;"
"color:var(--fg)}\n"
".logo{margin-right:.4rem;color:var(--accent)}\n"
".top nav a{margin-left:1rem;text-decoration:none;font-weight:500}\n"
"main{max-width:72rem;margin:0 auto;padding:1.2rem 1rem 3rem}\n"
"footer{max-width:72rem;margin:0 auto;padding:1rem;color:var(--muted);"
"font-size:.85rem;border-top:1px solid var(--line)}\n"
"h1{font-size:clamp(1.5rem,4vw,2.3rem);line-height:1.2;margin:.4rem 0 .8rem}\n"
"h2{font-size:1.3rem;margin:2rem 0 .6rem}\n"
"h3{font-size:1.05rem;margin:0 0 .5rem}\n"
".muted{color:var(--muted)}\n"
".ok{color:var(--ok);font-weight:600}.bad{color:var(--bad);font-weight:600}"
".warn{color:var(--warn);font-weight:600}\n"
".hero{padding:2rem 0 1rem;text-align:center}\n"
".hero p{max-width:40rem;margin:0 auto 1.2rem;color:var(--muted)}\n"
"form.check{display:flex;gap:.5rem;max-width:34rem;margin:0 auto}\n"
"form.check input{flex:1;min-width:0;font:inherit;font-size:1.1rem;"
"padding:.75rem 1rem;border:2px solid var(--line);border-radius:.6rem;"
"background:var(--card);color:var(--fg)}\n"
"form.check input:focus{outline:none;border-color:var(--accent)}\n"
"button{font:inherit;font-weight:600;padding:.75rem 1.4rem;border:0;"
"border-radius:.6rem;background:var(--accent);color:#fff;cursor:pointer}\n"
"button.secondary{padding:.45rem 1rem;background:transparent;"
"color:var(--accent);border:2px solid var(--accent)}\n"
"button[disabled]{opacity:.5;cursor:not-allowed}\n"
"form.inline{display:flex;gap:1rem;align-items:center;margin-top:.6rem}\n"
".vh{position:absolute;width:1px;height:1px;overflow:hidden;"
"clip:rect(0 0 0 0)}\n"
".cards{display:grid;gap:1rem;grid-template-columns:"
"repeat(auto-fill,minmax(min(100%,21rem),1fr));margin:1rem 0}\n"
".card{background:var(--card);border:1px solid var(--line);"
"border-radius:.8rem;padding:1rem 1.1rem;min-width:0}\n"
".card.wide{margin:1rem 0}\n"
".why .card p{margin:0;color:var(--muted)}\n"
".recent-list{list-style:none;padding:0;margin:0;display:grid;gap:.5rem;"
"grid-template-columns:repeat(auto-fill,minmax(min(100%,17rem),1fr))}\n"
".recent-list a{display:flex;gap:.7rem;align-items:center;padding:.5rem .7rem;"
"background:var(--card);border:1px solid var(--line);border-radius:.6rem;"
"text-decoration:none;color:var(--fg)}\n"
".rname{flex:1;overflow-wrap:anywhere;font-weight:500}\n"
".grade{display:inline-flex;align-items:center;justify-content:center;"
"font-weight:800;color:#fff;border-radius:.5rem;flex:none}\n"
".grade.sm{width:2.2rem;height:2.2rem;font-size:1rem}\n"
".grade.md{width:3.2rem;height:3.2rem;font-size:1.5rem}\n"
".grade.lg{width:6rem;height:6rem;font-size:3rem;border-radius:1rem}\n"
".g-ap,.g-a,.bar-ap,.bar-a{background:#1e8e3e;fill:#1e8e3e}"
".g-am,.bar-am{background:#4caf50;fill:#4caf50}"
".g-b,.bar-b{background:#9bbc2c;fill:#9bbc2c}"
".g-c,.bar-c{background:#e3a008;fill:#e3a008}"
".g-d,.bar-d{background:#ec7a08;fill:#ec7a08}"
".g-e,.bar-e{background:#d9480f;fill:#d9480f}"
".g-f,.bar-f{background:#c62828;fill:#c62828}"
".g-none,.bar-none{background:#8a94a3;fill:#8a94a3}\n"
".bar-good{fill:#1e8e3e}.bar-bad{fill:#c62828}.bar-warn{fill:#e3a008}"
".bar-default{fill:var(--accent)}\n"
".summary{display:flex;gap:1.4rem;align-items:center;flex-wrap:wrap;"
"background:var(--card);border:1px solid var(--line);border-radius:1rem;"
"padding:1.2rem}\n"
".sumtext{flex:1;min-width:14rem}.sumtext p{margin:.2rem 0}\n"
".domain{overflow-wrap:anywhere}\n"
".counts{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.92rem}\n"
".host{margin-top:2rem}\n"
".hostname{overflow-wrap:anywhere;border-bottom:2px solid var(--line);"
"padding-bottom:.3rem}\n"
".address{background:var(--card);border:1px solid var(--line);"
"border-radius:1rem;padding:1rem;margin:1rem 0}\n"
".address .card{background:var(--bg)}\n"
".addr-head{display:flex;gap:1rem;align-items:center}\n"
".addr{margin:0;font-size:1.15rem;overflow-wrap:anywhere}\n"
".addr-sub{margin:.2rem 0 0}\n"
".pill{display:inline-block;padding:.05rem .6rem;border-radius:1rem;"
"border:1px solid currentColor;font-size:.85rem}\n"
".score{font-weight:600}\n"
"table{border-collapse:collapse;width:100%}\n"
".facts th{text-align:left;font-weight:500;color:var(--muted);"
"padding:.2rem .6rem .2rem 0;vertical-align:top;width:42%}\n"
".facts td{padding:.2rem 0;overflow-wrap:anywhere}\n"
".list th,.list td{text-align:left;padding:.3rem .5rem;"
"border-bottom:1px solid var(--line);vertical-align:top}\n"
".list tr.weak td{color:var(--bad)}\n"
".scroll{overflow-x:auto}\n"
"ul.plain{margin:0;padding-left:1rem}\n"
"details summary{cursor:pointer;color:var(--accent);margin:.4rem 0}\n"
".findings{list-style:none;padding:0;margin:.5rem 0}\n"
".finding{background:var(--card);border:1px solid var(--line);"
"border-left-width:5px;border-radius:.6rem;padding:.7rem .9rem;"
"margin:.5rem 0}\n"
".finding p{margin:.3rem 0}\n"
".detail{color:var(--muted)}\n"
".fid{color:var(--muted)}\n"
".sev{display:inline-block;font-size:.75rem;font-weight:700;"
"text-transform:uppercase;padding:.05rem .45rem;border-radius:.3rem;"
"color:#fff;background:#8a94a3}\n"
".sev-critical{background:#8e0000}.sev-high{background:#c62828}"
".sev-medium{background:#d9480f}.sev-low{background:#e3a008}"
".sev-info{background:#5d6776}\n"
".f-critical{border-left-color:#8e0000}.f-high{border-left-color:#c62828}"
".f-medium{border-left-color:#d9480f}.f-low{border-left-color:#e3a008}\n"
".bymta dt{font-weight:600}.bymta dd{margin:0 0 .4rem}\n"
".refs{font-size:.85rem}\n"
".progress-page{max-width:40rem;margin:2rem auto;text-align:center}\n"
"progress.running{width:100%;height:.8rem;accent-color:var(--accent)}\n"
".steps{text-align:left;color:var(--muted)}\n"
".error{max-width:40rem;margin:2rem auto;text-align:center}\n"
".error .status{font-size:3rem;font-weight:800;color:var(--muted);"
"margin:0}\n"
".note{background:var(--card);border-left:5px solid var(--accent);"
"padding:.6rem .9rem;border-radius:.4rem}\n"
".tiles{display:grid;gap:1rem;margin:1rem 0;grid-template-columns:"
"repeat(auto-fill,minmax(min(100%,12rem),1fr))}\n"
".tile{background:var(--card);border:1px solid var(--line);"
"border-radius:.8rem;padding:1rem}\n"
".tile .num{display:block;font-size:1.8rem;font-weight:800}\n"
".tile .lbl{color:var(--muted);font-size:.9rem}\n"
"svg.chart{display:block;overflow:visible}\n"
"svg.chart text{font-size:13px;fill:var(--fg)}\n"
"svg.chart text.count{fill:var(--muted)}\n"
"svg.chart .track{fill:var(--track)}\n"
"@media (max-width:30rem){form.check{flex-direction:column}"
".grade.lg{width:4.5rem;height:4.5rem;font-size:2.2rem}"
".facts th{width:38%}}\n";
