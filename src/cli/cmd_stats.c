/*
 * cmd_stats.c - `mailtls stats`: the aggregate numbers of one scan.
 *
 * The numbers people quote from mass scans ("N domains processed, M unique
 * mail servers, K support STARTTLS, average score, grade spread"), the
 * spread of verdicts and worst findings, protocols (from the enumeration), negotiated TLS versions and
 * ciphers, and how many domains have each finding, for a terminal or
 * (--json) for programs.  All counting happens in the database
 * (store_stats(), docs/store.md); this file only presents.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "report/report.h"
#include "report/report_stats.h"
#include "store/store.h"
#include "util/sanitize.h"

enum {
	OPT_DB = 256,
	OPT_SCAN,
	OPT_JSON,
	OPT_HELP,
};

static const struct option long_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "scan", required_argument, NULL, OPT_SCAN },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: mailtls stats [--db URI] [--scan N] [--json]\n"
	    "\n"
	    "The aggregate numbers of a scan: domains processed, unique mail\n"
	    "servers, how many have working STARTTLS, verdicts, grades and mean\n"
	    "scores, worst findings, protocols, TLS versions, ciphers and\n"
	    "findings.\n"
	    "\n"
	    "options:\n"
	    "  --db URI    the results database: a file (default " STORE_DEFAULT_URI
	    "),\n"
	    "              sqlite:PATH, or postgresql://USER@HOST/DB\n"
	    "  --scan N    scan N instead of the latest\n"
	    "  --json      machine-readable output\n");
}

/* pct - n as a percentage of of (0 when of is 0). */
static double
pct(uint64_t n, uint64_t of)
{
	return of == 0 ? 0.0 : 100.0 * (double)n / (double)of;
}

/* grouped - 1234567 as "1,234,567" (locale-independent). */
static const char *
grouped(uint64_t n, char buf[32])
{
	char raw[32];
	size_t len, i, o = 0;

	snprintf(raw, sizeof(raw), "%llu", (unsigned long long)n);
	len = strlen(raw);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = raw[i];
	}
	buf[o] = '\0';
	return buf;
}

static void
line(const char *label, uint64_t n, uint64_t of)
{
	char b[32];

	printf("  %-28s %12s  %5.1f %%\n", label, grouped(n, b), pct(n, of));
}

/* grades - the spread of letters, best first, and the mean score. */
static void
grades(const char *title, const uint64_t *by_letter, double mean,
    uint64_t of)
{
	int l;

	printf("\n%s (rubric %s; mean score of the graded: %.1f)\n", title,
	    GRADE_RUBRIC_VERSION, mean);
	for (l = GRADE_LETTER_COUNT - 1; l > GRADE_NONE; l--)
		line(grade_letter_name((enum grade_letter)l), by_letter[l], of);
	line("not graded", by_letter[GRADE_NONE], of);
}

static void
print_text(const struct store_stats *s)
{
	char b[32], b2[32], when[32];
	uint64_t tls_total = 0;
	size_t i;
	int v;

	printf("Scan %lld", (long long)s->scan.id);
	if (s->scan.finished_at != 0) {
		report_fmt_time(s->scan.finished_at, when, sizeof(when), 0);
		printf(", finished %s\n", when);
	} else {
		printf(", not finished\n");
	}
	report_fmt_time(s->scan.started_at, when, sizeof(when), 0);
	printf("  input    %s (%s domains, sha256 %.16s...)\n",
	    s->scan.input_path, grouped(s->scan.domains_total, b),
	    s->scan.input_sha256);
	printf("  started  %s by mailtls %s\n", when, s->scan.version);
	if (s->scan.options[0] != '\0')
		printf("  options  %s\n", s->scan.options);

	printf("\nDomains processed %33s", grouped(s->domains, b));
	if (s->scan.domains_total > 0)
		printf(" of %s (%.1f %%)", grouped(s->scan.domains_total, b2),
		    pct(s->domains, s->scan.domains_total));
	printf("\n");
	line("every server has STARTTLS", s->all_starttls, s->domains);
	for (v = 0; v < STORE_VERDICT_COUNT; v++) {
		char label[64];

		snprintf(label, sizeof(label), "verdict %s",
		    store_verdict_name((enum store_verdict)v));
		line(label, s->verdict[v], s->domains);
	}
	line("null MX (takes no mail)", s->null_mx, s->domains);
	line("implicit MX (no MX record)", s->implicit_mx, s->domains);
	line("MX DNSSEC-signed (secure)", s->mx_secure, s->domains);
	line("MX provably unsigned", s->mx_insecure, s->domains);
	line("MX DNSSEC bogus", s->mx_bogus, s->domains);
	line("MX DNSSEC indeterminate", s->mx_indeterminate, s->domains);

	printf("\nUnique mail servers (address, port) %15s\n",
	    grouped(s->servers, b));
	line("STARTTLS working", s->server_class[STORE_CLASS_STARTTLS_OK],
	    s->servers);
	line("no STARTTLS", s->server_class[STORE_CLASS_NO_STARTTLS],
	    s->servers);
	line("STARTTLS broken", s->server_class[STORE_CLASS_BROKEN], s->servers);
	line("inconclusive", s->server_class[STORE_CLASS_INCONCLUSIVE],
	    s->servers);
	line("not tested", s->server_class[STORE_CLASS_NOT_TESTED], s->servers);

	printf("\nWorst finding per domain\n");
	for (v = SEV_COUNT - 1; v >= 0; v--)
		line(severity_name((enum severity)v), s->worst[v], s->domains);
	line("none", s->worst_none, s->domains);

	grades("Grades of domains", s->domain_grade, s->domain_score,
	    s->domains);
	grades("Grades of servers", s->server_grade, s->server_score,
	    s->servers);

	for (i = 0; i < s->tls_versions.n; i++)
		tls_total += s->tls_versions.v[i].n;
	printf("\nTLS versions (servers with a handshake: %s)\n",
	    grouped(tls_total, b));
	for (i = 0; i < s->tls_versions.n; i++)
		line(s->tls_versions.v[i].name, s->tls_versions.v[i].n, tls_total);
	printf("\nTop ciphers\n");
	for (i = 0; i < s->ciphers.n; i++)
		line(s->ciphers.v[i].name, s->ciphers.v[i].n, tls_total);

	printf("\nProtocols accepted (servers enumerated: %s)\n",
	    grouped(s->enumerated, b));
	for (v = PROBE_VERSION_COUNT - 1; v >= 0; v--)
		line(probe_version_name((enum probe_version)v), s->protocol[v],
		    s->enumerated);

	printf("\nDANE (domains, by what DANE senders do)\n");
	for (i = 0; i < s->dane.n; i++)
		line(s->dane.v[i].name, s->dane.v[i].n, s->domains);
	printf("\nMTA-STS (domains, by policy mode or state)\n");
	for (i = 0; i < s->mta_sts.n; i++)
		line(s->mta_sts.v[i].name, s->mta_sts.v[i].n, s->domains);
	printf("\nTLS-RPT (domains, by record)\n");
	for (i = 0; i < s->tls_rpt.n; i++)
		line(s->tls_rpt.v[i].name, s->tls_rpt.v[i].n, s->domains);

	printf("\nFindings (domains with each)\n");
	for (i = 0; i < s->findings.n; i++)
		line(s->findings.v[i].name, s->findings.v[i].n, s->domains);
}

int
cmd_stats(int argc, char **argv)
{
	const char *uri = STORE_DEFAULT_URI;
	char shown[CMD_URI_SHOWN_MAX];
	struct store_stats s;
	struct store *st;
	int64_t scan_id = 0;
	int json = 0, c, rc = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			uri = optarg;
			break;
		case OPT_SCAN:
			if (cmd_parse_scan_id(optarg, &scan_id) == -1)
				return cmd_fail("--scan %s: not a scan id "
				    "(a positive integer)", optarg);
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			return cmd_fail("stats: %s: unknown option or missing "
			    "value (see --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_fail("stats: unexpected argument '%s' (see --help)",
		    argv[optind]);

	if ((st = cmd_store_open(uri, STORE_OPEN_READ, shown)) == NULL)
		return 2;
	if (store_stats(st, scan_id, &s) == -1) {
		rc = cmd_fail("database %s: %s", shown, store_error(st));
		store_close(st);
		return rc;
	}
	store_close(st);
	if (json) {
		json_t *j = report_stats_json(&s);

		if (j == NULL || json_dumpf(j, stdout, JSON_INDENT(2) |
		    JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER) == -1)
			rc = cmd_fail("stats: cannot write JSON");
		else
			fputc('\n', stdout);
		json_decref(j);
	} else {
		size_t i;

		/* A shared database is not trusted to hold terminal-safe text. */
		sanitize_in_place(s.scan.input_path);
		sanitize_in_place(s.scan.input_sha256);
		sanitize_in_place(s.scan.options);
		sanitize_in_place(s.scan.version);
		for (i = 0; i < s.tls_versions.n; i++)
			sanitize_in_place(s.tls_versions.v[i].name);
		for (i = 0; i < s.ciphers.n; i++)
			sanitize_in_place(s.ciphers.v[i].name);
		for (i = 0; i < s.findings.n; i++)
			sanitize_in_place(s.findings.v[i].name);
		for (i = 0; i < s.dane.n; i++)
			sanitize_in_place(s.dane.v[i].name);
		for (i = 0; i < s.mta_sts.n; i++)
			sanitize_in_place(s.mta_sts.v[i].name);
		for (i = 0; i < s.tls_rpt.n; i++)
			sanitize_in_place(s.tls_rpt.v[i].name);
		print_text(&s);
	}
	store_stats_clear(&s);
	if (fflush(stdout) == EOF || ferror(stdout))
		rc = 2;
	return rc;
}
