/*
 * test_grade.c - unit tests of the grading rubric (grade/grade.h,
 * docs/grading.md) over hand-built result models (check/result.h).
 *
 * Every model starts clean: one MX host, one public address, STARTTLS, a
 * TLS 1.3 handshake with ECDHE, a trusted EC certificate naming the host,
 * and an enumeration that found TLS 1.2 and 1.3 with four AEAD suites and
 * nothing wrong.  That grades A with 100 % encryption.  Each case of
 * rule_cases[] changes the facts one rule looks at, runs findings_derive()
 * and grade_derive() as check.c does, and checks
 *   - that the rule applied, with the effect its table row promises
 *     (component half, cap, A+), and the letter and score expected;
 *   - that the finding the rule points at is in the address's findings
 *     (for every rule that applied, not only the one under test);
 *   - that the points listed add up to what the score lost.
 * test_every_rule_has_a_case keeps rule_cases[] complete, and
 * test_rubric_matches_docs keeps the table and docs/grading.md in step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/findings.h"
#include "check/result.h"
#include "grade/grade.h"
#include "probe/cipher_suites.h"
#include "model_fixture.h"


#ifndef MAILTLS_GRADING_MD
#define MAILTLS_GRADING_MD "docs/grading.md"
#endif

/* --- building models -------------------------------------------------------- */

/* accept_suite - the enumeration found code at version v (answer yes). */
static void
accept_suite(struct server_result *s, enum probe_version v, uint32_t code,
    int kx_bits, const char *group)
{
	struct probe_version_result *vr = &s->probe.versions[v];
	struct probe_suite *suites;

	assert_non_null(cipher_suite_by_code(code));
	suites = realloc(vr->suites, (vr->n_suites + 1) * sizeof(*suites));
	assert_non_null(suites);
	vr->suites = suites;
	memset(&suites[vr->n_suites], 0, sizeof(suites[0]));
	suites[vr->n_suites].code = code;
	suites[vr->n_suites].kx_bits = kx_bits;
	snprintf(suites[vr->n_suites].kx_group,
	    sizeof(suites[vr->n_suites].kx_group), "%s", group ? group : "");
	vr->n_suites++;
	vr->supported = PROBE_YES;
	vr->complete = 1;
}

/* drop_version - the enumeration found version v refused. */
static void
drop_version(struct server_result *s, enum probe_version v)
{
	free(s->probe.versions[v].suites);
	s->probe.versions[v].suites = NULL;
	s->probe.versions[v].n_suites = 0;
	s->probe.versions[v].supported = PROBE_NO;
}

/* clean_enumeration - TLS 1.2 and 1.3, AEAD suites with ECDHE, all fine. */
static void
clean_enumeration(struct server_result *s)
{
	int v;

	s->probe.done = 1;
	for (v = 0; v < PROBE_VERSION_COUNT; v++)
		s->probe.versions[v].supported = PROBE_NO;
	accept_suite(s, PROBE_TLS13, 0x1302, 253, "x25519");
	accept_suite(s, PROBE_TLS13, 0x1301, 253, "x25519");
	accept_suite(s, PROBE_TLS12, 0xC030, 253, "x25519");
	accept_suite(s, PROBE_TLS12, 0xC02F, 253, "x25519");
	s->probe.server_order = PROBE_YES;
	s->probe.secure_renegotiation = PROBE_YES;
	s->probe.compression = PROBE_NO;
	s->probe.extended_master_secret = PROBE_YES;
	s->probe.ocsp_stapling = PROBE_NO;
	s->probe.fallback_scsv = PROBE_YES;
	s->probe.connections = 12;
}

static struct server_result *
add_server(struct host_result *h, const char *addr)
{
	struct server_result *s = model_server(h, addr);

	clean_enumeration(s);
	return s;
}

/* no_tls - s never got to TLS: no handshake, no enumeration. */
static void
no_tls(struct server_result *s)
{
	tls_facts_free(&s->tls);
	probe_result_free(&s->probe);
}

/* quick - s was checked with --quick: the handshake, no enumeration. */
static void
quick(struct server_result *s)
{
	probe_result_free(&s->probe);
}

/* negotiate - the handshake negotiated version (wire code) and cipher. */
static void
negotiate(struct server_result *s, int version_code, const char *version,
    const char *cipher, int bits)
{
	free(s->tls.version);
	free(s->tls.cipher);
	s->tls.version = xstrdup(version);
	s->tls.version_code = version_code;
	s->tls.cipher = xstrdup(cipher);
	s->tls.cipher_bits = bits;
}

/* The model under test: views live in hosts, view_of() finds them. */
static struct domain_result *current;

/* view_of - the address view that grades s in the current model. */
static struct address_view *
view_of(const struct server_result *s)
{
	size_t i, j;

	for (i = 0; i < current->n_hosts; i++)
		for (j = 0; j < current->hosts[i].n_servers; j++)
			if (current->hosts[i].servers[j] == s)
				return &current->hosts[i].views[j];
	fail_msg("server not in the current model");
	return NULL;
}

static struct domain_result *
clean_model(struct server_result **sp)
{
	struct domain_result *d = new_domain("example.org");

	current = d;
	struct host_result *h = add_host(d, "mx.example.org", 10);
	struct server_result *s = add_server(h, "93.184.216.34");

	if (sp != NULL)
		*sp = s;
	return d;
}

/* derive - what check.c does when a check completes. */
static void
derive(struct domain_result *d)
{
	current = d;
	findings_derive(d, NOW);
	grade_derive(d);
}

/* --- checking grades ----------------------------------------------------------- */

static const struct grade_hit *
hit_of(const struct grade *g, const char *rule)
{
	size_t i;

	for (i = 0; i < g->n_hits; i++)
		if (strcmp(grade_rule_at(g->hits[i].rule)->id, rule) == 0)
			return &g->hits[i];
	return NULL;
}

static void
assert_hit(const struct grade *g, const char *rule)
{
	if (hit_of(g, rule) == NULL)
		fail_msg("rule %s did not apply", rule);
}

static void
assert_no_hit(const struct grade *g, const char *rule)
{
	if (hit_of(g, rule) != NULL)
		fail_msg("rule %s applied", rule);
}

/*
 * assert_consistent - what must hold for every graded address: each rule
 * that applied points at a finding the address has; the points listed add
 * up to what the score lost; the letter respects every cap.
 */
static void
assert_consistent(const struct server_result *s)
{
	const struct grade *g = &view_of(s)->grade;
	unsigned lost20 = 0;
	int total20 = 0, c;
	size_t i;

	if (g->letter == GRADE_NONE)
		return;
	for (i = 0; i < g->n_hits; i++) {
		const struct grade_rule *r = grade_rule_at(g->hits[i].rule);

		assert_non_null(r);
		if (r->finding != F_COUNT && !findings_has(&s->findings, r->finding))
			fail_msg("rule %s points at %s, which the address lacks",
			    r->id, finding_kind(r->finding)->id);
		if (r->cap != GRADE_NONE && g->letter > r->cap)
			fail_msg("rule %s caps at %s, letter is %s", r->id,
			    grade_letter_name(r->cap), grade_letter_name(g->letter));
		lost20 += g->hits[i].lost20;
	}
	for (c = 0; c < GRADE_COMPONENT_COUNT; c++)
		total20 += (c == GRADE_CIPHER ? 4 : 3) * (g->best[c] + g->worst[c]);
	assert_int_equal(lost20 + (unsigned)total20, 2000);
	assert_int_equal(g->encryption, (total20 + 10) / 20);
	assert_true(g->letter <= g->score_letter || g->letter == GRADE_A_PLUS);
}

/* --- one case per rule ---------------------------------------------------------- */

struct rule_case {
	const char		*rule;
	void			(*setup)(struct server_result *s);
	enum grade_letter	 letter;	/* expected */
	int			 encryption;	/* expected, -1: any */
};

static void set_no_starttls(struct server_result *s)
{
	no_tls(s);
	s->smtp.status = SMTP_STATUS_NO_STARTTLS;
	s->smtp.starttls_code = 0;
}

static void set_starttls_refused(struct server_result *s)
{
	no_tls(s);
	s->smtp.status = SMTP_STATUS_STARTTLS_REFUSED;
	s->smtp.starttls_code = 454;
	s->smtp.error = xstrdup("454 4.7.0 TLS not available");
}

static void set_tls_failed(struct server_result *s)
{
	tls_facts_free(&s->tls);
	s->tls.error = xstrdup("sslv3 alert handshake failure");
	s->smtp.status = SMTP_STATUS_TLS_FAILED;
	drop_version(s, PROBE_TLS13);
	drop_version(s, PROBE_TLS12);
	accept_suite(s, PROBE_SSL3, 0x000A, 0, NULL);
}

static void set_injection(struct server_result *s)
{
	no_tls(s);
	s->smtp.status = SMTP_STATUS_PROTOCOL_ERROR;
	s->smtp.injected_bytes = 14;
	s->smtp.error = xstrdup("14 bytes after the 220 to STARTTLS");
}

static void set_protocol_error(struct server_result *s)
{
	no_tls(s);
	s->smtp.status = SMTP_STATUS_PROTOCOL_ERROR;
	s->smtp.error = xstrdup("reply line too long");
}

static void set_sslv2(struct server_result *s) { s->probe.versions[PROBE_SSL2].supported = PROBE_YES; }
static void set_sslv3(struct server_result *s) { s->probe.versions[PROBE_SSL3].supported = PROBE_YES; }
static void set_tls10(struct server_result *s) { accept_suite(s, PROBE_TLS10, 0xC013, 253, "x25519"); }
static void set_tls11(struct server_result *s) { accept_suite(s, PROBE_TLS11, 0xC013, 253, "x25519"); }

/* only_version - the enumeration found only v, with one ECDHE CBC suite. */
static void
only_version(struct server_result *s, enum probe_version v, int code,
    const char *name)
{
	drop_version(s, PROBE_TLS13);
	drop_version(s, PROBE_TLS12);
	if (v == PROBE_SSL2)
		s->probe.versions[v].supported = PROBE_YES;
	else
		accept_suite(s, v, 0xC013, 253, "x25519");
	negotiate(s, code, name, "ECDHE-RSA-AES128-SHA", 128);
}

static void set_best_tls11(struct server_result *s) { only_version(s, PROBE_TLS11, 0x0302, "TLSv1.1"); }
static void set_best_tls10(struct server_result *s) { only_version(s, PROBE_TLS10, 0x0301, "TLSv1"); }
static void set_best_sslv3(struct server_result *s) { only_version(s, PROBE_SSL3, 0x0300, "SSLv3"); }
static void set_best_sslv2(struct server_result *s) { only_version(s, PROBE_SSL2, 0x0300, "SSLv3"); }

static void set_neg_tls11(struct server_result *s)
{
	quick(s);
	negotiate(s, 0x0302, "TLSv1.1", "ECDHE-RSA-AES128-SHA", 128);
}

static void set_neg_tls10(struct server_result *s)
{
	quick(s);
	negotiate(s, 0x0301, "TLSv1", "ECDHE-RSA-AES128-SHA", 128);
}

static void set_neg_sslv3(struct server_result *s)
{
	quick(s);
	negotiate(s, 0x0300, "SSLv3", "ECDHE-RSA-AES128-SHA", 128);
}

static void set_dh(struct server_result *s, int bits)
{
	accept_suite(s, PROBE_TLS12, 0x009E, bits, "DH");
	s->probe.dh_bits = bits;
}

static void set_dh_1024(struct server_result *s) { set_dh(s, 1024); }
static void set_dh_768(struct server_result *s) { set_dh(s, 768); }
static void set_dh_384(struct server_result *s) { set_dh(s, 384); }
static void set_export(struct server_result *s) { accept_suite(s, PROBE_TLS10, 0x0003, 0, NULL); }

static void set_cert_key(struct server_result *s, int bits, int security)
{
	struct cert_facts *c = &s->tls.chain[0];

	free(c->key_type);
	c->key_type = xstrdup("RSA");
	c->key_bits = bits;
	c->key_security_bits = security;
}

static void set_cert_1024(struct server_result *s) { set_cert_key(s, 1024, 80); }
static void set_cert_768(struct server_result *s) { set_cert_key(s, 768, 64); }

static void set_no_fs(struct server_result *s)
{
	negotiate(s, 0x0303, "TLSv1.2", "AES256-GCM-SHA384", 256);
	free(s->tls.kx);
	s->tls.kx = xstrdup("RSA");
	s->tls.forward_secret = 0;
	accept_suite(s, PROBE_TLS12, 0x009D, 0, NULL);
}

static void set_modern_refuses(struct server_result *s)
{
	assert_int_equal(strvec_push_copy(&s->tls.modern_refusals,
	    "handshake signed with SHA1"), 0);
}

static void set_null(struct server_result *s) { accept_suite(s, PROBE_TLS12, 0x0002, 0, NULL); }
static void set_des(struct server_result *s) { accept_suite(s, PROBE_TLS12, 0x0009, 0, NULL); }
static void set_3des(struct server_result *s) { accept_suite(s, PROBE_TLS12, 0x000A, 0, NULL); }
static void set_idea(struct server_result *s) { accept_suite(s, PROBE_TLS12, 0x0007, 0, NULL); }
static void set_rc4(struct server_result *s) { accept_suite(s, PROBE_TLS12, 0x0005, 0, NULL); }
static void set_rc4_64(struct server_result *s) { accept_suite(s, PROBE_SSL2, 0x080080, 0, NULL); }

static void set_best_cipher_weak(struct server_result *s)
{
	drop_version(s, PROBE_TLS13);
	drop_version(s, PROBE_TLS12);
	accept_suite(s, PROBE_TLS12, 0xC012, 253, "x25519");
	negotiate(s, 0x0303, "TLSv1.2", "ECDHE-RSA-DES-CBC3-SHA", 112);
}

static void set_neg_cipher_56(struct server_result *s)
{
	quick(s);
	negotiate(s, 0x0303, "TLSv1.2", "EDH-RSA-DES-CBC-SHA", 56);
}

static void set_neg_cipher_112(struct server_result *s)
{
	quick(s);
	negotiate(s, 0x0303, "TLSv1.2", "ECDHE-RSA-DES-CBC3-SHA", 112);
}

static void set_compression(struct server_result *s) { s->probe.compression = PROBE_YES; }
static void set_no_reneg(struct server_result *s) { s->probe.secure_renegotiation = PROBE_NO; }
static void set_no_scsv(struct server_result *s) { s->probe.fallback_scsv = PROBE_NO; }

/* The A+ cases: DANE valid, so that only the requirement under test lacks. */
static void dane_valid(struct server_result *s)
{
	view_of(s)->auth.dane = DANE_VALID;
	view_of(s)->auth.mtasts = MTASTS_NONE;
}

static void set_no_tls13(struct server_result *s)
{
	dane_valid(s);
	drop_version(s, PROBE_TLS13);
	negotiate(s, 0x0303, "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", 256);
}

static void set_rsa_kx_suite(struct server_result *s)
{
	dane_valid(s);
	accept_suite(s, PROBE_TLS12, 0x009C, 0, NULL);
}

static void set_incomplete(struct server_result *s)
{
	dane_valid(s);
	s->probe.inconclusive = 3;
}

static void set_quick(struct server_result *s)
{
	dane_valid(s);
	quick(s);
}

static void set_nothing(struct server_result *s) { (void)s; }

static void set_opportunistic(struct server_result *s)
{
	view_of(s)->auth.dane = DANE_NONE;
	view_of(s)->auth.mtasts = MTASTS_NONE;
}

static void set_dane_fails(struct server_result *s)
{
	view_of(s)->auth.dane = DANE_FAILS;
	view_of(s)->auth.mtasts = MTASTS_NONE;
}

static void set_mtasts_fails(struct server_result *s)
{
	view_of(s)->auth.dane = DANE_NONE;
	view_of(s)->auth.mtasts = MTASTS_ENFORCE_FAILS;
}

/*
 * Expected scores: 0.3 P + 0.3 K + 0.4 C with halves, rounded half up;
 * e.g. TLS 1.0 accepted: P = (100 + 90) / 2 = 95, 98.5 -> 99.
 */
static const struct rule_case rule_cases[] = {
	{ "no-starttls", set_no_starttls, GRADE_F, 0 },
	{ "starttls-refused", set_starttls_refused, GRADE_F, 0 },
	{ "tls-handshake-failed", set_tls_failed, GRADE_F, 0 },
	{ "starttls-injection", set_injection, GRADE_F, 0 },
	{ "smtp-protocol-error", set_protocol_error, GRADE_F, 0 },
	{ "sslv2-accepted", set_sslv2, GRADE_F, 85 },
	{ "sslv3-accepted", set_sslv3, GRADE_C, 97 },
	{ "tls10-accepted", set_tls10, GRADE_B, 99 },
	{ "tls11-accepted", set_tls11, GRADE_B, 99 },
	{ "best-tls11", set_best_tls11, GRADE_C, 99 },
	{ "best-tls10", set_best_tls10, GRADE_C, 97 },
	{ "best-sslv3", set_best_sslv3, GRADE_C, 94 },
	{ "best-sslv2", set_best_sslv2, GRADE_F, 70 },
	{ "negotiated-tls11", set_neg_tls11, GRADE_C, 99 },
	{ "negotiated-tls10", set_neg_tls10, GRADE_C, 97 },
	{ "negotiated-sslv3", set_neg_sslv3, GRADE_C, 94 },
	{ "dh-below-2048", set_dh_1024, GRADE_B, 94 },
	{ "dh-below-1024", set_dh_768, GRADE_F, 82 },
	{ "dh-below-512", set_dh_384, GRADE_F, 76 },
	{ "export-key-exchange", set_export, GRADE_F, 65 },
	{ "cert-key-below-112", set_cert_1024, GRADE_B, 94 },
	{ "cert-key-below-80", set_cert_768, GRADE_F, 82 },
	{ "no-forward-secrecy", set_no_fs, GRADE_B, 100 },
	{ "modern-client-refuses", set_modern_refuses, GRADE_C, 100 },
	{ "null-cipher", set_null, GRADE_F, 80 },
	{ "export-cipher", set_export, GRADE_F, 65 },
	{ "des-cipher", set_des, GRADE_F, 84 },
	{ "3des-cipher", set_3des, GRADE_B, 84 },
	{ "64bit-block-cipher", set_idea, GRADE_B, 100 },
	{ "rc4-cipher", set_rc4, GRADE_C, 100 },
	{ "weak-rc4-cipher", set_rc4_64, GRADE_F, 69 },
	{ "best-cipher-below-128", set_best_cipher_weak, GRADE_B, 68 },
	{ "negotiated-cipher-below-112", set_neg_cipher_56, GRADE_F, 68 },
	{ "negotiated-cipher-below-128", set_neg_cipher_112, GRADE_B, 68 },
	{ "tls-compression", set_compression, GRADE_B, 100 },
	{ "no-secure-renegotiation", set_no_reneg, GRADE_B, 100 },
	{ "no-fallback-scsv", set_no_scsv, GRADE_A_MINUS, 100 },
	{ "no-tls13", set_no_tls13, GRADE_A, 100 },
	{ "suites-without-forward-secrecy", set_rsa_kx_suite, GRADE_A, 100 },
	{ "enumeration-incomplete", set_incomplete, GRADE_A, 100 },
	{ "quick-check", set_quick, GRADE_A, 100 },
	{ "auth-not-assessed", set_nothing, GRADE_A, 100 },
	{ "not-authenticated", set_opportunistic, GRADE_A, 100 },
	{ "dane-fails", set_dane_fails, GRADE_F, 100 },
	{ "mta-sts-enforce-fails", set_mtasts_fails, GRADE_F, 100 },
};

#define N_CASES (sizeof(rule_cases) / sizeof(rule_cases[0]))

static void
test_rule(void **state)
{
	const struct rule_case *rc = *state;
	const struct grade_rule *r = grade_rule_by_id(rc->rule);
	const struct grade_hit *h;
	struct server_result *s;
	struct domain_result *d = clean_model(&s);
	const struct grade *g = &view_of(s)->grade;

	if (r == NULL)
		fail_msg("no rule %s in the table", rc->rule);
	rc->setup(s);
	derive(d);
	assert_consistent(s);
	assert_hit(g, rc->rule);
	h = hit_of(g, rc->rule);

	if (g->letter != rc->letter)
		fail_msg("%s: letter %s, expected %s", rc->rule,
		    grade_letter_name(g->letter), grade_letter_name(rc->letter));
	if (rc->encryption >= 0 && g->encryption != rc->encryption)
		fail_msg("%s: encryption %d, expected %d", rc->rule, g->encryption,
		    rc->encryption);
	if (r->zero) {
		assert_int_equal(g->encryption, 0);
		assert_int_equal(h->lost20, 2000);
		assert_int_equal(g->basis, GRADE_BASIS_SMTP);
		assert_int_equal(g->ssllabs, 0);
	}
	if (r->halves & GRADE_HALF_BEST)
		assert_true(g->best[r->component] <= r->value);
	if (r->halves & GRADE_HALF_WORST)
		assert_true(g->worst[r->component] <= r->value);
	if (r->halves != 0 && !r->zero && h->lost20 == 0)
		fail_msg("%s limits a half but was charged no points", rc->rule);
	if (r->cap != GRADE_NONE)
		assert_true(g->letter <= r->cap);
	if (r->blocks_a_plus)
		assert_true(g->letter != GRADE_A_PLUS);
	domain_result_free(d);
}

static void
test_every_rule_has_a_case(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < grade_rule_count(); i++) {
		const struct grade_rule *r = grade_rule_at(i);

		for (j = 0; j < N_CASES && strcmp(rule_cases[j].rule, r->id); j++)
			;
		if (j == N_CASES)
			fail_msg("rule %s has no case in rule_cases[]", r->id);
		for (j = i + 1; j < grade_rule_count(); j++)
			if (strcmp(grade_rule_at(j)->id, r->id) == 0)
				fail_msg("rule id %s used twice", r->id);
		assert_non_null(r->reason);
		assert_true(r->cap != GRADE_NONE || r->halves != 0 || r->zero ||
		    r->blocks_a_plus);
	}
	assert_null(grade_rule_at(grade_rule_count()));
	assert_null(grade_rule_by_id("no-such-rule"));
}

/* --- the rubric document ------------------------------------------------------ */

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/*
 * Between <!-- rules:begin --> and <!-- rules:end -->, every table row that
 * starts with "| `id`" is a rule: the set must equal the code's, and each
 * row must name the same finding and cap as the code.
 */
static void
test_rubric_matches_docs(void **state)
{
	char *doc = read_file(MAILTLS_GRADING_MD);
	char *copy = read_file(MAILTLS_GRADING_MD);
	char *begin = strstr(doc, "<!-- rules:begin -->");
	char *end = strstr(doc, "<!-- rules:end -->");
	char *line;
	size_t rows = 0, i;

	(void)state;
	assert_non_null(begin);
	assert_non_null(end);
	*end = '\0';
	if (strstr(doc, "rubric " GRADE_RUBRIC_VERSION ")") == NULL)
		fail_msg("docs/grading.md does not name rubric %s",
		    GRADE_RUBRIC_VERSION);
	for (line = strtok(begin, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		const struct grade_rule *r;
		char id[64], cells[4][256];
		char *p, *q;
		int cell;

		if (strncmp(line, "| `", 3) != 0)
			continue;
		p = line + 3;
		q = strchr(p, '`');
		assert_non_null(q);
		assert_true((size_t)(q - p) < sizeof(id));
		memcpy(id, p, (size_t)(q - p));
		id[q - p] = '\0';
		if ((r = grade_rule_by_id(id)) == NULL)
			fail_msg("docs/grading.md has rule %s, the code does not", id);
		rows++;
		/* cells after the id: when, score, cap, finding */
		p = strchr(q, '|');
		for (cell = 0; cell < 4; cell++) {
			assert_non_null(p);
			q = strchr(p + 1, '|');
			assert_non_null(q);
			snprintf(cells[cell], sizeof(cells[cell]), "%.*s",
			    (int)(q - p - 1), p + 1);
			p = q;
		}
		if (r->finding != F_COUNT) {
			char want[80];

			snprintf(want, sizeof(want), " `%s` ",
			    finding_kind(r->finding)->id);
			if (strcmp(cells[3], want) != 0)
				fail_msg("%s: docs say finding \"%s\", code %s", id,
				    cells[3], want);
		}
		if (r->cap != GRADE_NONE) {
			char want[16];

			snprintf(want, sizeof(want), " %s ", grade_letter_name(r->cap));
			if (strcmp(cells[2], want) != 0)
				fail_msg("%s: docs say cap \"%s\", code %s", id,
				    cells[2], want);
		} else if (r->blocks_a_plus) {
			assert_string_equal(cells[2], " no A+ ");
		} else {
			assert_string_equal(cells[2], " — ");
		}
		if (r->halves != 0 && !r->zero) {
			char want[16];

			snprintf(want, sizeof(want), "%d", r->value);
			if (strstr(cells[1], want) == NULL)
				fail_msg("%s: docs say score \"%s\", code %d", id,
				    cells[1], r->value);
		}
	}
	for (i = 0; i < grade_rule_count(); i++) {
		char want[80];

		snprintf(want, sizeof(want), "| `%s` |", grade_rule_at(i)->id);
		if (strstr(copy, want) == NULL)
			fail_msg("rule %s is not in docs/grading.md", grade_rule_at(i)->id);
	}
	assert_int_equal(rows, grade_rule_count());
	free(doc);
	free(copy);
}

/* --- letters, scores, authentication ------------------------------------------ */

static void
test_letter_boundaries(void **state)
{
	static const struct { int score; enum grade_letter letter; } t[] = {
		{ 100, GRADE_A }, { 80, GRADE_A }, { 79, GRADE_B }, { 65, GRADE_B },
		{ 64, GRADE_C }, { 50, GRADE_C }, { 49, GRADE_D }, { 35, GRADE_D },
		{ 34, GRADE_E }, { 20, GRADE_E }, { 19, GRADE_F }, { 0, GRADE_F },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (grade_letter_from_score(t[i].score) != t[i].letter)
			fail_msg("score %d: %s, expected %s", t[i].score,
			    grade_letter_name(grade_letter_from_score(t[i].score)),
			    grade_letter_name(t[i].letter));
	assert_null(grade_letter_name(GRADE_NONE));
	assert_string_equal(grade_letter_name(GRADE_A_PLUS), "A+");
	assert_string_equal(grade_letter_name(GRADE_A_MINUS), "A-");
	assert_true(GRADE_F < GRADE_E && GRADE_E < GRADE_D && GRADE_D < GRADE_C &&
	    GRADE_C < GRADE_B && GRADE_B < GRADE_A_MINUS &&
	    GRADE_A_MINUS < GRADE_A && GRADE_A < GRADE_A_PLUS);
}

/* The letter follows the score across a boundary: 3DES + TLS 1.0 + DH. */
static void
test_score_letters_without_caps(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	/* cipher worst 20 (3DES, cap B), key exchange 80 (DH 1024, cap B),
	 * protocol worst 90 (TLS 1.0, cap B): 0.3*95 + 0.3*80 + 0.4*60 =
	 * 76.5 -> 77, B by the score too. */
	accept_suite(s, PROBE_TLS10, 0x0016, 1024, "DH");
	s->probe.dh_bits = 1024;
	derive(d);
	assert_consistent(s);
	assert_int_equal(view_of(s)->grade.encryption, 77);
	assert_int_equal(view_of(s)->grade.score_letter, GRADE_B);
	assert_int_equal(view_of(s)->grade.letter, GRADE_B);
	assert_hit(&view_of(s)->grade, "3des-cipher");
	assert_hit(&view_of(s)->grade, "dh-below-2048");
	assert_hit(&view_of(s)->grade, "tls10-accepted");
	assert_int_equal(hit_of(&view_of(s)->grade, "3des-cipher")->lost20, 4 * 80);
	assert_int_equal(hit_of(&view_of(s)->grade, "dh-below-2048")->lost20, 3 * 20 * 2);
	assert_int_equal(hit_of(&view_of(s)->grade, "tls10-accepted")->lost20, 3 * 10);
	domain_result_free(d);
}

/* Two rules on one half: the lower value counts, the first in the table
 * is charged, the other is not listed as a deduction. */
static void
test_binding_rule_is_charged(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	s->probe.versions[PROBE_SSL3].supported = PROBE_YES;
	accept_suite(s, PROBE_TLS10, 0xC013, 253, "x25519");
	derive(d);
	assert_consistent(s);
	assert_int_equal(view_of(s)->grade.worst[GRADE_PROTOCOL], 80);
	assert_int_equal(hit_of(&view_of(s)->grade, "sslv3-accepted")->lost20, 3 * 20);
	/* tls10-accepted still caps (B) but loses no points of its own */
	assert_int_equal(hit_of(&view_of(s)->grade, "tls10-accepted")->lost20, 0);
	assert_int_equal(view_of(s)->grade.letter, GRADE_C);
	domain_result_free(d);
}

static void
test_clean_is_a_and_a_plus_with_authentication(void **state)
{
	static const struct {
		enum dane_state dane;
		enum mtasts_state mtasts;
		enum auth_level level;
		int score;
		enum grade_letter letter;
	} t[] = {
		{ DANE_NOT_CHECKED, MTASTS_NOT_CHECKED, AUTH_NOT_ASSESSED, -1, GRADE_A },
		{ DANE_NONE, MTASTS_NOT_CHECKED, AUTH_NOT_ASSESSED, -1, GRADE_A },
		{ DANE_NONE, MTASTS_NONE, AUTH_OPPORTUNISTIC, 0, GRADE_A },
		{ DANE_NONE, MTASTS_TESTING, AUTH_MTASTS_TESTING, 20, GRADE_A },
		{ DANE_NO_USABLE, MTASTS_NONE, AUTH_DANE_NO_USABLE, 40, GRADE_A },
		{ DANE_NONE, MTASTS_ENFORCE, AUTH_MTASTS_ENFORCE, 80, GRADE_A_PLUS },
		{ DANE_VALID, MTASTS_NONE, AUTH_DANE, 100, GRADE_A_PLUS },
		{ DANE_VALID, MTASTS_NOT_CHECKED, AUTH_DANE, 100, GRADE_A_PLUS },
		{ DANE_VALID, MTASTS_ENFORCE, AUTH_DANE, 100, GRADE_A_PLUS },
		{ DANE_VALID, MTASTS_ENFORCE_FAILS, AUTH_BROKEN, 0, GRADE_F },
		{ DANE_FAILS, MTASTS_ENFORCE, AUTH_BROKEN, 0, GRADE_F },
		{ DANE_LOOKUP_FAILED, MTASTS_NONE, AUTH_BROKEN, 0, GRADE_F },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct server_result *s;
		struct domain_result *d = clean_model(&s);

		view_of(s)->auth.dane = t[i].dane;
		view_of(s)->auth.mtasts = t[i].mtasts;
		derive(d);
		assert_consistent(s);
		if (view_of(s)->grade.auth_level != t[i].level || view_of(s)->grade.letter != t[i].letter)
			fail_msg("dane %s, mta-sts %s: %s %s, expected %s %s",
			    dane_state_name(t[i].dane), mtasts_state_name(t[i].mtasts),
			    auth_level_name(view_of(s)->grade.auth_level),
			    grade_letter_name(view_of(s)->grade.letter),
			    auth_level_name(t[i].level), grade_letter_name(t[i].letter));
		assert_int_equal(view_of(s)->grade.authentication, t[i].score);
		assert_int_equal(view_of(s)->grade.encryption, 100);
		assert_int_equal(view_of(s)->grade.basis, GRADE_BASIS_ENUMERATION);
		/* SSL Labs: protocol 100, key exchange 90 (P-256 ~ 3072), cipher
		 * (80 + 100) / 2: 0.3*100 + 0.3*90 + 0.4*90 = 93. */
		assert_int_equal(view_of(s)->grade.ssllabs, 93);
		domain_result_free(d);
	}
}

/* An untrusted, self-signed, expired, mismatched certificate: encryption
 * is unaffected (docs/grading.md section 1). */
static void
test_certificate_problems_do_not_touch_encryption(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);
	struct cert_facts *c;

	(void)state;
	c = &s->tls.chain[0];
	c->not_after = NOW - 10 * DAY;
	c->self_signed = 1;
	c->sig_sha1_or_worse = 1;
	s->tls.verify_ok = 0;
	s->tls.verify_error = xstrdup("self-signed certificate");
	s->tls.matched_name = NULL;
	derive(d);
	assert_true(findings_has(&s->findings, F_CERT_EXPIRED));
	assert_true(findings_has(&s->findings, F_CERT_NAME_MISMATCH));
	assert_true(findings_has(&s->findings, F_CERT_SELF_SIGNED));
	assert_consistent(s);
	assert_int_equal(view_of(s)->grade.encryption, 100);
	assert_int_equal(view_of(s)->grade.letter, GRADE_A);
	assert_int_equal(view_of(s)->grade.n_hits, 1);	/* auth-not-assessed only */
	assert_hit(&view_of(s)->grade, "auth-not-assessed");
	domain_result_free(d);
}

/* Anonymous suites lose nothing (docs/grading.md section 1, point 4). */
static void
test_anonymous_suites_lose_nothing(void **state)
{
	struct server_result *s;
	struct domain_result *d = clean_model(&s);

	(void)state;
	accept_suite(s, PROBE_TLS12, 0x00A7, 2048, "modp2048");	/* ADH-AES256-GCM */
	derive(d);
	assert_true(findings_has(&s->findings, F_SUITES_ANON));
	assert_consistent(s);
	assert_int_equal(view_of(s)->grade.encryption, 100);
	assert_int_equal(view_of(s)->grade.letter, GRADE_A);
	assert_no_hit(&view_of(s)->grade, "suites-without-forward-secrecy");
	domain_result_free(d);
}

/* Every suite of the registry with less than 128 bits loses cipher points. */
static void
test_every_weak_suite_is_charged(void **state)
{
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < cipher_suite_count(); i++) {
		const struct cipher_suite *cs = cipher_suite_at(i);
		struct server_result *s;
		struct domain_result *d;

		if (cs->strength_bits >= 128 || (cs->flags & CS_F_SIGNALLING) ||
		    cs->kx == CS_KX_NULL)
			continue;
		d = clean_model(&s);
		accept_suite(s, (cs->flags & CS_F_SSLV2) ? PROBE_SSL2 : PROBE_TLS12,
		    cs->code, 0, NULL);
		derive(d);
		assert_consistent(s);
		if (view_of(s)->grade.worst[GRADE_CIPHER] > 20)
			fail_msg("%s (%d bits): cipher worst %d", cipher_suite_name(cs),
			    cs->strength_bits, view_of(s)->grade.worst[GRADE_CIPHER]);
		if (view_of(s)->grade.letter > GRADE_B)
			fail_msg("%s (%d bits): letter %s", cipher_suite_name(cs),
			    cs->strength_bits, grade_letter_name(view_of(s)->grade.letter));
		domain_result_free(d);
		n++;
	}
	assert_true(n > 20);
}

static void
test_inconclusive_is_not_graded(void **state)
{
	static const enum smtp_status st[] = {
		SMTP_STATUS_TEMPFAIL, SMTP_STATUS_REFUSED, SMTP_STATUS_TIMEOUT,
		SMTP_STATUS_UNREACHABLE, SMTP_STATUS_NOT_TESTED,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		struct server_result *s;
		struct domain_result *d = clean_model(&s);

		no_tls(s);
		s->smtp.status = st[i];
		derive(d);
		assert_int_equal(view_of(s)->grade.letter, GRADE_NONE);
		assert_non_null(view_of(s)->grade.not_graded);
		assert_int_equal(view_of(s)->grade.n_hits, 0);
		assert_int_equal(d->grade.letter, GRADE_NONE);
		assert_int_equal(d->grade.confidence, GRADE_CONFIDENCE_NONE);
		assert_non_null(d->grade.not_graded);
		domain_result_free(d);
	}
}

/* --- the domain ---------------------------------------------------------------- */

static void
test_domain_takes_the_worst_address(void **state)
{
	struct domain_result *d = new_domain("example.org");
	struct server_result *b, *c;
	char conf[256];

	(void)state;
	add_host(d, "mx1.example.org", 10);
	add_host(d, "mx2.example.org", 20);	/* d->hosts moved: index it */
	add_server(&d->hosts[0], "93.184.216.34");
	b = add_server(&d->hosts[0], "2001:db8::25");
	c = add_server(&d->hosts[1], "93.184.216.35");
	accept_suite(b, PROBE_TLS10, 0xC013, 253, "x25519");	/* B, 99 */
	set_dh_1024(c);						/* B, 94 */
	derive(d);
	assert_int_equal(view_of(b)->grade.letter, GRADE_B);
	assert_int_equal(view_of(c)->grade.letter, GRADE_B);
	assert_int_equal(d->grade.letter, GRADE_B);
	assert_true(d->grade.has_worst);
	assert_int_equal(d->grade.worst_host, 1);	/* the backup MX counts */
	assert_int_equal(d->grade.worst_server, 0);
	assert_int_equal(d->grade.addresses, 3);
	assert_int_equal(d->grade.graded, 3);
	assert_int_equal(d->grade.confidence, GRADE_CONFIDENCE_COMPLETE);
	grade_confidence_text(&d->grade, conf, sizeof(conf));
	assert_string_equal(conf, "complete: all 3 addresses were graded");
	domain_result_free(d);
}

static void
test_domain_confidence_partial(void **state)
{
	struct domain_result *d = new_domain("example.org");
	struct host_result *h = add_host(d, "mx1.example.org", 10);
	struct server_result *a = add_server(h, "93.184.216.34");
	struct server_result *b = add_server(h, "93.184.216.35");
	struct server_result *c = add_server(h, "93.184.216.36");
	char conf[512];

	(void)state;
	no_tls(a);
	a->smtp.status = SMTP_STATUS_TIMEOUT;
	quick(b);
	derive(d);
	assert_int_equal(view_of(a)->grade.letter, GRADE_NONE);
	assert_int_equal(view_of(b)->grade.basis, GRADE_BASIS_HANDSHAKE);
	assert_int_equal(view_of(c)->grade.basis, GRADE_BASIS_ENUMERATION);
	assert_int_equal(d->grade.letter, GRADE_A);
	assert_int_equal(d->grade.inconclusive, 1);
	assert_int_equal(d->grade.handshake_only, 1);
	assert_int_equal(d->grade.graded, 2);
	assert_int_equal(d->grade.confidence, GRADE_CONFIDENCE_PARTIAL);
	grade_confidence_text(&d->grade, conf, sizeof(conf));
	if (strstr(conf, "1 of 3 addresses inconclusive") == NULL ||
	    strstr(conf, "covers the other 2") == NULL ||
	    strstr(conf, "1 graded from one handshake") == NULL)
		fail_msg("confidence: \"%s\"", conf);
	domain_result_free(d);
}

static void
test_domain_no_grade(void **state)
{
	struct domain_result *d = new_domain("example.org");
	char conf[256];

	(void)state;
	d->null_mx = 1;
	derive(d);
	assert_int_equal(d->grade.letter, GRADE_NONE);
	assert_false(d->grade.has_worst);
	assert_non_null(strstr(d->grade.not_graded, "null MX"));
	grade_confidence_text(&d->grade, conf, sizeof(conf));
	assert_string_equal(conf, "none: no mail server address");
	domain_result_free(d);

	d = new_domain("example.net");
	add_host(d, "mx.example.net", 10);		/* no address */
	derive(d);
	assert_int_equal(d->grade.letter, GRADE_NONE);
	assert_non_null(strstr(d->grade.not_graded, "no mail server address"));
	domain_result_free(d);
}

/* An F address makes the domain F, whatever the others. */
static void
test_domain_f_wins(void **state)
{
	struct domain_result *d = new_domain("example.org");
	struct server_result *good, *plain;

	(void)state;
	add_host(d, "mx1.example.org", 10);
	add_host(d, "backup.example.org", 50);	/* d->hosts moved: index it */
	good = add_server(&d->hosts[0], "93.184.216.34");
	plain = add_server(&d->hosts[1], "93.184.216.99");
	set_no_starttls(plain);
	derive(d);
	assert_int_equal(view_of(good)->grade.letter, GRADE_A);
	assert_int_equal(d->grade.letter, GRADE_F);
	assert_int_equal(d->grade.worst_host, 1);
	domain_result_free(d);
}

int
main(void)
{
	static struct CMUnitTest rule_tests[N_CASES];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rule_has_a_case),
		cmocka_unit_test(test_rubric_matches_docs),
		cmocka_unit_test(test_letter_boundaries),
		cmocka_unit_test(test_score_letters_without_caps),
		cmocka_unit_test(test_binding_rule_is_charged),
		cmocka_unit_test(test_clean_is_a_and_a_plus_with_authentication),
		cmocka_unit_test(test_certificate_problems_do_not_touch_encryption),
		cmocka_unit_test(test_anonymous_suites_lose_nothing),
		cmocka_unit_test(test_every_weak_suite_is_charged),
		cmocka_unit_test(test_inconclusive_is_not_graded),
		cmocka_unit_test(test_domain_takes_the_worst_address),
		cmocka_unit_test(test_domain_confidence_partial),
		cmocka_unit_test(test_domain_no_grade),
		cmocka_unit_test(test_domain_f_wins),
	};
	size_t i;
	int failed;

	for (i = 0; i < N_CASES; i++) {
		rule_tests[i].name = rule_cases[i].rule;
		rule_tests[i].test_func = test_rule;
		rule_tests[i].initial_state = (void *)&rule_cases[i];
	}
	failed = cmocka_run_group_tests_name("grade rules", rule_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("grade", tests, NULL, NULL);
	return failed;
}
