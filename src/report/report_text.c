/*
 * report_text.c - the human report.  See report.h.
 *
 * Layout, top to bottom: a summary a user can stop reading after (with
 * the domain's grade); the DNS picture (MX hosts in preference order, their
 * addresses, DNSSEC state); domain findings; then one section per server
 * address with the headings users know from public checkers (its Grade
 * first, then SMTP, Certificate, Protocol, Key exchange, Cipher) and that
 * address's findings with their fixes.
 */
#include "report/report.h"
#include "report/report_auth.h"

#include "grade/clients.h"
#include "probe/cipher_suites.h"
#include "probe/tls_parse.h"

#include <string.h>
#include <time.h>

#define RULE "------------------------------------------------------------------------"
#define DAY (24 * 60 * 60)

void
report_fmt_time(int64_t t, char *buf, size_t len, int iso8601)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL) {
		snprintf(buf, len, "?");
		return;
	}
	strftime(buf, len, iso8601 ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M UTC",
	    &tm);
}

void
report_summarize(const struct domain_result *d, struct report_summary *s)
{
	size_t i, j;

	memset(s, 0, sizeof(*s));
	s->hosts = d->n_hosts;
	for (i = 0; i < d->n_hosts; i++) {
		for (j = 0; j < d->hosts[i].n_servers; j++) {
			const struct server_result *sr = d->hosts[i].servers[j];
			enum smtp_status st = sr->smtp.status;

			s->addresses++;
			if (st != SMTP_STATUS_NOT_TESTED)
				s->connections += 1 + sr->probe.connections;
			if (st == SMTP_STATUS_TLS_OK)
				s->starttls_ok++;
			else if (st == SMTP_STATUS_NO_STARTTLS)
				s->no_starttls++;
			else if (st == SMTP_STATUS_NOT_TESTED)
				s->not_tested++;
			else if (smtp_status_conclusive(st))
				s->tls_broken++;
			else
				s->inconclusive++;
		}
	}
}

static void
print_findings(FILE *out, const struct findings *f, const char *indent)
{
	static const char *const mta_words[MTA_COUNT] = {
		[MTA_POSTFIX] = "Postfix", [MTA_EXIM] = "Exim",
		[MTA_SENDMAIL] = "Sendmail", [MTA_OPENSMTPD] = "OpenSMTPD",
		[MTA_EXCHANGE] = "Exchange",
	};
	size_t i, j;

	for (i = 0; i < f->n; i++) {
		const struct finding_kind *k = finding_kind(f->v[i].id);

		fprintf(out, "%s[%s] %s (%s)\n", indent, severity_name(k->severity),
		    k->title, k->id);
		if (f->v[i].detail != NULL && f->v[i].detail[0] != '\0')
			fprintf(out, "%s    seen: %s\n", indent, f->v[i].detail);
		fprintf(out, "%s    fix:  %s\n", indent, k->advice);
		for (j = 0; j < MTA_COUNT; j++)
			if (k->fix_mta[j] != NULL)
				fprintf(out, "%s      %-10s%s\n", indent,
				    mta_words[j], k->fix_mta[j]);
		for (j = 0; j < FINDING_MAX_REFS; j++)
			if (k->refs[j] != NULL)
				fprintf(out, "%s%s%s", j == 0 ? indent : ", ",
				    j == 0 ? "    see:  " : "", k->refs[j]);
		if (k->refs[0] != NULL)
			fputc('\n', out);
	}
}

static const char *
dns_word(const struct dns_status *st)
{
	return st->done ? dns_outcome_name(st->outcome) : "not looked up";
}

static void
print_dns(FILE *out, const struct domain_result *d)
{
	size_t i, j;

	fprintf(out, "\nDNS\n");
	fprintf(out, "  MX lookup      %s, DNSSEC %s%s%s\n", dns_word(&d->mx),
	    dnssec_state_name(d->mx.dnssec), d->mx.why_bogus ? ": " : "",
	    d->mx.why_bogus ? d->mx.why_bogus : "");
	if (d->mx.canonname != NULL)
		fprintf(out, "                 %s is an alias of %s\n", d->name,
		    d->mx.canonname);
	if (d->null_mx)
		fprintf(out, "  MX 0 .         null MX: this domain accepts no mail\n");
	if (d->implicit_mx)
		fprintf(out, "  (no MX)        implicit MX: mail goes to %s itself\n",
		    d->name);
	for (i = 0; i < d->n_hosts; i++) {
		const struct host_result *h = &d->hosts[i];

		if (h->preference >= 0)
			fprintf(out, "  MX %-5d %s\n", h->preference, h->name);
		else
			fprintf(out, "  host     %s\n", h->name);
		if (h->a.canonname || h->aaaa.canonname)
			fprintf(out, "           alias of %s\n", h->a.canonname ?
			    h->a.canonname : h->aaaa.canonname);
		fprintf(out, "           A: %s, DNSSEC %s   AAAA: %s, DNSSEC %s\n",
		    dns_word(&h->a), dnssec_state_name(h->a.dnssec),
		    dns_word(&h->aaaa), dnssec_state_name(h->aaaa.dnssec));
		for (j = 0; j < h->n_servers; j++)
			fprintf(out, "           %s%s%s\n", h->servers[j]->addr_text,
			    h->servers[j]->reserved ? "  - " : "",
			    h->servers[j]->reserved ? h->servers[j]->reserved : "");
	}
}

static const char *
status_sentence(const struct smtp_facts *sf)
{
	switch (sf->status) {
	case SMTP_STATUS_TLS_OK: return "STARTTLS offered, TLS established";
	case SMTP_STATUS_NO_STARTTLS: return "NO STARTTLS: mail arrives in clear text";
	case SMTP_STATUS_STARTTLS_REFUSED: return "STARTTLS advertised but refused";
	case SMTP_STATUS_TLS_FAILED: return "STARTTLS accepted, TLS handshake failed";
	case SMTP_STATUS_PROTOCOL_ERROR: return "SMTP protocol error";
	case SMTP_STATUS_TEMPFAIL: return "inconclusive: temporary failure, try later";
	case SMTP_STATUS_REFUSED: return "inconclusive: the server refused the session";
	case SMTP_STATUS_TIMEOUT: return "inconclusive: timed out";
	case SMTP_STATUS_UNREACHABLE: return "inconclusive: could not connect";
	case SMTP_STATUS_NOT_TESTED: return "not tested";
	case SMTP_STATUS_HANDED_OFF: return "STARTTLS accepted (probe)";
	default: return "?";
	}
}

/*
 * print_list - items separated by ", ", wrapped before column 78 and
 * indented to column 16, where the caller's label leaves the cursor.
 */
static void
print_list(FILE *out, const char *const *items, size_t n)
{
	size_t i, col = 16;

	for (i = 0; i < n; i++) {
		size_t len = strlen(items[i]) + 2;

		if (i > 0 && col + len > 78) {
			fprintf(out, ",\n%16s", "");
			col = 16;
		} else if (i > 0)
			fprintf(out, ", ");
		fprintf(out, "%s", items[i]);
		col += len;
	}
}

static void
print_ehlo(FILE *out, const char *label, const struct smtp_ehlo *e)
{
	fprintf(out, "    %-12s", label);
	print_list(out, (const char *const *)e->lines.v, e->lines.n);
	fprintf(out, "%s\n", e->lines.n ? "" : "(no extensions)");
}

static void
print_smtp(FILE *out, const struct smtp_facts *sf)
{
	size_t i;

	fprintf(out, "  SMTP\n");
	for (i = 0; i < sf->banner.n; i++)
		fprintf(out, "    %-12s%d %s\n", i == 0 ? "Banner" : "",
		    sf->banner_code, sf->banner.v[i]);
	if (sf->used_helo)
		fprintf(out, "    %-12sEHLO refused (%d), HELO accepted\n", "EHLO",
		    sf->ehlo_code);
	else if (sf->ehlo_code == 250)
		print_ehlo(out, "EHLO", &sf->ehlo);
	if (sf->starttls_code != 0)
		fprintf(out, "    %-12s%d %s\n", "STARTTLS", sf->starttls_code,
		    sf->starttls_reply ? sf->starttls_reply : "");
	if (sf->ehlo_tls_code == 250)
		print_ehlo(out, "EHLO in TLS", &sf->ehlo_tls);
	if (sf->error != NULL)
		fprintf(out, "    %-12s%s\n", "Problem", sf->error);
}

static void
print_cert(FILE *out, const struct tls_facts *t, int64_t now)
{
	const struct cert_facts *c = &t->chain[0];
	char nb[32], na[32];
	size_t i;

	report_fmt_time(c->not_before, nb, sizeof(nb), 0);
	report_fmt_time(c->not_after, na, sizeof(na), 0);
	fprintf(out, "  Certificate\n");
	fprintf(out, "    %-12s%s\n", "Subject", c->subject);
	fprintf(out, "    %-12s", "Names");
	for (i = 0; i < c->dns_names.n; i++)
		fprintf(out, "%s%s", i ? ", " : "", c->dns_names.v[i]);
	fprintf(out, "%s\n", c->dns_names.n ? "" : "(no subjectAltName)");
	fprintf(out, "    %-12s%s\n", "Name match", t->matched_name ?
	    t->matched_name : "NO - the certificate does not name the MX host");
	fprintf(out, "    %-12s%s\n", "Issuer", c->issuer);
	fprintf(out, "    %-12s%s to %s (%s%lld days)\n", "Valid", nb, na,
	    c->not_after < now ? "EXPIRED " : "",
	    (long long)((c->not_after < now ? now - c->not_after :
	    c->not_after - now) / DAY));
	fprintf(out, "    %-12s%s %d bits, signed with %s\n", "Key",
	    c->key_type ? c->key_type : "?", c->key_bits, c->sig_alg);
	fprintf(out, "    %-12s%s%s%s (chain of %zu sent)\n", "Trusted",
	    t->verify_ok ? "yes" : "NO", t->verify_ok ? "" : ": ",
	    t->verify_ok ? "" : (t->verify_error ? t->verify_error : "?"),
	    t->chain_len);
	if (c->self_signed)
		fprintf(out, "    %-12sself-signed\n", "");
	fprintf(out, "    %-12s%s\n", "SHA-256", c->sha256);
}

static void
print_tls(FILE *out, const struct tls_facts *t, int64_t now)
{
	size_t i;

	if (!t->handshake_ok) {
		if (t->error != NULL)
			fprintf(out, "  TLS\n    %-12s%s\n", "Error", t->error);
		return;
	}
	if (t->chain_len > 0)
		print_cert(out, t, now);
	fprintf(out, "  Protocol      %s\n", t->version);
	fprintf(out, "  Key exchange  %s", t->kx ? t->kx : "?");
	if (t->kx_group != NULL)
		fprintf(out, ", %s %d bits", t->kx_group, t->kx_bits);
	fprintf(out, "%s\n", t->forward_secret ? ", forward secrecy" :
	    ", NO forward secrecy");
	fprintf(out, "  Cipher        %s (%d bits)\n", t->cipher ? t->cipher : "?",
	    t->cipher_bits);
	if (t->modern_refusals.n == 0)
		fprintf(out, "  Modern client a default OpenSSL 3 sender connects\n");
	for (i = 0; i < t->modern_refusals.n; i++)
		fprintf(out, "  %-14s%s\n", i == 0 ? "Modern client" : "",
		    i == 0 ? "REFUSES this server:" : "");
	for (i = 0; i < t->modern_refusals.n; i++)
		fprintf(out, "    - %s\n", t->modern_refusals.v[i]);
}

static void
print_probe(FILE *out, const struct probe_result *p)
{
	size_t v, i;
	int first = 1;

	if (!p->done)
		return;
	fprintf(out, "  Protocols     ");
	for (v = PROBE_VERSION_COUNT; v-- > 0;) {
		fprintf(out, "%s%s %s", first ? "" : ", ", probe_version_name(v),
		    probe_answer_name(p->versions[v].supported));
		first = 0;
	}
	fprintf(out, "\n  Cipher suites (%s)\n", p->server_order == PROBE_YES ?
	    "server's order" : p->server_order == PROBE_NO ?
	    "the server follows the client's order" : "order unknown");
	for (v = PROBE_VERSION_COUNT; v-- > 0;) {
		const struct probe_version_result *vr = &p->versions[v];

		if (vr->n_suites == 0)
			continue;
		fprintf(out, "    %s%s\n", probe_version_name(v),
		    vr->complete ? "" : " (incomplete)");
		for (i = 0; i < vr->n_suites; i++) {
			const struct cipher_suite *cs =
			    cipher_suite_by_code(vr->suites[i].code);

			fprintf(out, "      %-46s %3d bits", cs ?
			    cipher_suite_name(cs) : "?", cs ? cs->strength_bits : 0);
			if (vr->suites[i].kx_group[0])
				fprintf(out, "  %s", vr->suites[i].kx_group);
			if (vr->suites[i].kx_bits > 0)
				fprintf(out, " (%d bits)", vr->suites[i].kx_bits);
			fprintf(out, "\n");
		}
	}
	if (p->n_groups > 0) {
		fprintf(out, "  Groups        ");
		print_list(out, (const char *const *)p->groups, p->n_groups);
		fprintf(out, "\n");
	}
	if (p->n_sigalgs > 0) {
		const char *names[64];
		char hex[64][8];
		size_t n = p->n_sigalgs < 64 ? p->n_sigalgs : 64;

		for (i = 0; i < n; i++) {
			names[i] = tls_sigalg_name(p->sigalgs[i]);
			if (names[i] == NULL) {
				snprintf(hex[i], sizeof(hex[i]), "0x%04x",
				    p->sigalgs[i]);
				names[i] = hex[i];
			}
		}
		fprintf(out, "  Signatures    ");
		print_list(out, names, n);
		fprintf(out, " (TLS 1.2)\n");
	}
	if (p->dh_bits > 0)
		fprintf(out, "  DH group      %d bits%s%s\n", p->dh_bits,
		    p->dh_group ? ", " : "", p->dh_group ? p->dh_group : "");
	fprintf(out, "  Features      secure renegotiation %s, compression %s, "
	    "extended master secret %s,\n                OCSP stapling %s, "
	    "TLS_FALLBACK_SCSV %s\n",
	    probe_answer_name(p->secure_renegotiation),
	    probe_answer_name(p->compression),
	    probe_answer_name(p->extended_master_secret),
	    probe_answer_name(p->ocsp_stapling),
	    probe_answer_name(p->fallback_scsv));
	fprintf(out, "  Probe         %u connections, %u ms", p->connections,
	    p->elapsed_ms);
	if (p->temporary_failures > 0)
		fprintf(out, ", %u refused or unanswered and retried more slowly",
		    p->temporary_failures);
	if (p->error != NULL)
		fprintf(out, "; stopped: %s", p->error);
	fputc('\n', out);
}

/*
 * print_clients - the "Senders" table: what each simulated sending MTA
 * (src/grade/clients.h) would negotiate with this address, one line each.
 * Computed while printing: a pure function of the enumeration.
 */
static void
print_clients(FILE *out, const struct probe_result *p)
{
	struct client_sim sims[32];
	size_t n, i;

	if (!p->done)
		return;
	n = clients_simulate(p, sims, sizeof(sims) / sizeof(sims[0]));
	fprintf(out, "  Senders       simulated from the enumeration "
	    "(docs/clients.md)\n");
	for (i = 0; i < n && i < sizeof(sims) / sizeof(sims[0]); i++) {
		const struct client_sim *c = &sims[i];
		const struct cipher_suite *cs;

		fprintf(out, "    %-40s ", c->client->name);
		if (c->outcome != CLIENT_CONNECTS) {
			fprintf(out, "%s: %s", c->outcome == CLIENT_FAILS ?
			    "FAILS" : "unknown", c->reason);
			if (c->outcome == CLIENT_FAILS)
				fprintf(out, "%s", c->client->on_failure ==
				    CLIENT_FALLBACK_PLAINTEXT ?
				    " -> sends in clear text" :
				    c->client->on_failure == CLIENT_FALLBACK_DEFER ?
				    " -> mail queues" :
				    " -> clear text or queue (unknown)");
			fputc('\n', out);
			continue;
		}
		cs = cipher_suite_by_code(c->suite);
		fprintf(out, "%s %s", tls_version_name(c->version), cs == NULL ?
		    "?" : cs->openssl_name ? cs->openssl_name :
		    cipher_suite_name(cs));
		if (c->group[0] != '\0')
			fprintf(out, ", %s", c->group);
		if (c->kx_bits > 0 && strncmp(c->group, "ffdhe", 5) != 0 &&
		    strcmp(c->group, "x25519") != 0)
			fprintf(out, " %d", c->kx_bits);
		if (!c->forward_secret)
			fprintf(out, ", NO forward secrecy");
		if (c->order_assumed)
			fprintf(out, " (order assumed)");
		fputc('\n', out);
	}
}

/* --- grades (src/grade, docs/grading.md) ------------------------------------ */

/* fmt_points - points lost, "6", "1.5", "0.75". */
static void
fmt_points(const struct grade_hit *h, char *buf, size_t len)
{
	if (h->lost20 % 20 == 0)
		snprintf(buf, len, "%u", h->lost20 / 20u);
	else if (h->lost20 % 2 == 0)
		snprintf(buf, len, "%.1f", grade_hit_points(h));
	else
		snprintf(buf, len, "%.2f", grade_hit_points(h));
}

static const char *
component_words(enum grade_component c)
{
	static const char *const words[GRADE_COMPONENT_COUNT] = {
		[GRADE_PROTOCOL] = "protocol",
		[GRADE_KEY_EXCHANGE] = "key exchange",
		[GRADE_CIPHER] = "cipher",
	};

	return (unsigned)c < GRADE_COMPONENT_COUNT ? words[c] : "?";
}

static void
print_rule_ref(FILE *out, const struct grade_rule *r)
{
	if (r->finding != F_COUNT)
		fprintf(out, " (%s)", finding_kind(r->finding)->id);
	else
		fprintf(out, " [%s]", r->id);
	fputc('\n', out);
}

static void
print_grade(FILE *out, const struct grade *g)
{
	size_t i;
	char pts[16], label[32];

	if (g->letter == GRADE_NONE) {
		fprintf(out, "  Grade         none: %s\n", g->not_graded ?
		    g->not_graded : "not graded");
		return;
	}
	if (g->basis == GRADE_BASIS_SMTP)
		fprintf(out, "  Grade         %-3s encryption 0%% (no usable TLS)\n",
		    grade_letter_name(g->letter));
	else
		fprintf(out, "  Grade         %-3s encryption %d%% (protocol %g, key "
		    "exchange %g, cipher %g), SSL Labs-style %d%%\n",
		    grade_letter_name(g->letter), g->encryption,
		    grade_component_score(g, GRADE_PROTOCOL),
		    grade_component_score(g, GRADE_KEY_EXCHANGE),
		    grade_component_score(g, GRADE_CIPHER), g->ssllabs);
	if (g->authentication >= 0)
		fprintf(out, "                authentication %d%%: %s\n",
		    g->authentication, auth_level_text(g->auth_level));
	else
		fprintf(out, "                authentication %s\n",
		    auth_level_text(g->auth_level));
	for (i = 0; i < g->n_hits; i++) {
		const struct grade_rule *r = grade_rule_at(g->hits[i].rule);

		if (r->cap == GRADE_NONE)
			continue;
		fprintf(out, "    capped at %-3s%s", grade_letter_name(r->cap),
		    r->reason);
		print_rule_ref(out, r);
	}
	for (i = 0; i < g->n_hits; i++) {
		const struct grade_rule *r = grade_rule_at(g->hits[i].rule);

		if (g->hits[i].lost20 == 0)
			continue;
		fmt_points(&g->hits[i], pts, sizeof(pts));
		snprintf(label, sizeof(label), "-%s point%s", pts,
		    strcmp(pts, "1") ? "s" : "");
		fprintf(out, "    %-13s", label);
		if (r->zero)
			fprintf(out, "%s", r->reason);
		else
			fprintf(out, "%s: %s", component_words(r->component),
			    r->reason);
		print_rule_ref(out, r);
	}
	for (i = 0; g->letter == GRADE_A && i < g->n_hits; i++) {
		const struct grade_rule *r = grade_rule_at(g->hits[i].rule);

		if (!r->blocks_a_plus)
			continue;
		fprintf(out, "    not A+       %s", r->reason);
		print_rule_ref(out, r);
	}
}

static void
print_domain_grade(FILE *out, const struct domain_result *d)
{
	const struct domain_grade *dg = &d->grade;
	const struct host_result *h;
	const struct server_result *s;
	const struct grade *g;
	char conf[512];
	size_t i;
	int first = 1;

	grade_confidence_text(dg, conf, sizeof(conf));
	if (dg->letter == GRADE_NONE || !dg->has_worst) {
		fprintf(out, "Grade: none: %s (rubric %s)\nConfidence: %s\n",
		    dg->not_graded ? dg->not_graded : "not graded",
		    GRADE_RUBRIC_VERSION, conf);
		return;
	}
	h = &d->hosts[dg->worst_host];
	s = h->servers[dg->worst_server];
	g = &h->views[dg->worst_server].grade;
	fprintf(out, "Grade: %s  from %s [%s], the worst of %u graded address%s; "
	    "encryption %d%%, ", grade_letter_name(dg->letter), h->name,
	    s->addr_text, dg->graded, dg->graded == 1 ? "" : "es", g->encryption);
	if (g->authentication >= 0)
		fprintf(out, "authentication %d%% (%s), ", g->authentication,
		    auth_level_name(g->auth_level));
	else
		fprintf(out, "authentication not assessed, ");
	fprintf(out, "SSL Labs-style %d%% (rubric %s)\n", g->ssllabs,
	    GRADE_RUBRIC_VERSION);
	for (i = 0; i < g->n_hits; i++) {
		const struct grade_rule *r = grade_rule_at(g->hits[i].rule);

		if (r->cap == GRADE_NONE)
			continue;
		fprintf(out, "%s%s (%s)", first ? "Capped by: " : ", ",
		    r->finding != F_COUNT ? finding_kind(r->finding)->id : r->id,
		    grade_letter_name(r->cap));
		first = 0;
	}
	if (!first)
		fputc('\n', out);
	fprintf(out, "Confidence: %s\n", conf);
}

static void
print_server(FILE *out, const struct domain_result *d,
    const struct host_result *h, size_t i)
{
	const struct server_result *s = h->servers[i];

	fprintf(out, "\n%s\n%s [%s]:%u", RULE, h->name, s->addr_text, d->port);
	if (h->preference >= 0)
		fprintf(out, "  (MX %d)", h->preference);
	fprintf(out, "\n%s\n", RULE);
	print_grade(out, &h->views[i].grade);
	fprintf(out, "  Status        %s\n", status_sentence(&s->smtp));
	if (s->smtp.status != SMTP_STATUS_NOT_TESTED)
		print_smtp(out, &s->smtp);
	else if (s->smtp.error)
		fprintf(out, "    %s\n", s->smtp.error);
	print_tls(out, &s->tls, d->started);
	report_auth_text_address(out, h, i);
	print_probe(out, &s->probe);
	print_clients(out, &s->probe);
	if (s->findings.n > 0) {
		fprintf(out, "  Findings\n");
		print_findings(out, &s->findings, "    ");
	}
}

void
report_text(FILE *out, const struct domain_result *d)
{
	struct report_summary sum;
	char when[32];
	int worst = domain_result_worst(d);
	size_t i, j;

	report_summarize(d, &sum);
	report_fmt_time(d->started, when, sizeof(when), 0);
	fprintf(out, "mailtls report for %s  (%s, %u ms)\n", d->name, when,
	    d->elapsed_ms);
	fprintf(out, "%s\n", RULE);
	fprintf(out, "Summary: %zu mail host%s, %zu address%s: %zu with working "
	    "STARTTLS, %zu without STARTTLS, %zu with STARTTLS broken, %zu "
	    "inconclusive", sum.hosts, sum.hosts == 1 ? "" : "s", sum.addresses,
	    sum.addresses == 1 ? "" : "es", sum.starttls_ok, sum.no_starttls,
	    sum.tls_broken, sum.inconclusive);
	if (sum.not_tested)
		fprintf(out, ", %zu not tested", sum.not_tested);
	fprintf(out, "; %zu connection%s", sum.connections,
	    sum.connections == 1 ? "" : "s");
	fprintf(out, ".\nWorst finding: %s\n", worst < 0 ? "none" :
	    severity_name((enum severity)worst));
	print_domain_grade(out, d);

	print_dns(out, d);
	report_auth_text(out, d);
	if (d->findings.n > 0) {
		fprintf(out, "\nDomain findings\n");
		print_findings(out, &d->findings, "  ");
	}
	for (i = 0; i < d->n_hosts; i++) {
		const struct host_result *h = &d->hosts[i];

		if (h->findings.n > 0) {
			fprintf(out, "\nFindings for %s\n", h->name);
			print_findings(out, &h->findings, "  ");
		}
	}
	for (i = 0; i < d->n_hosts; i++)
		for (j = 0; j < d->hosts[i].n_servers; j++)
			print_server(out, d, &d->hosts[i], j);
	fprintf(out, "\n");
}
