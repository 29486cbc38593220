/*
 * cmd_export.c - `mailtls export`: a scan's results, one record per domain
 * or per server address, as JSON Lines or CSV on stdout.
 *
 *   jsonl, per domain  the stored report of each domain, exactly as
 *                      `mailtls check --json` prints it (docs/json.md)
 *   jsonl, per server  one object per (address, port) with its facts
 *   csv                the normalised columns (docs/store.md), RFC 4180
 *
 * Rows stream from the database (store_export_next()), so a scan of
 * millions of domains exports in constant memory.  CSV cells that a
 * spreadsheet would run as a formula (=, +, -, @ first) get a leading
 * apostrophe: MX names and error texts come from the network.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "report/report.h"
#include "store/store.h"

enum format {
	FORMAT_JSONL,
	FORMAT_CSV,
};

enum {
	OPT_DB = 256,
	OPT_SCAN,
	OPT_FORMAT,
	OPT_PER,
	OPT_HELP,
};

static const struct option long_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "scan", required_argument, NULL, OPT_SCAN },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "per", required_argument, NULL, OPT_PER },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: mailtls export [--db URI] [--scan N] [--format jsonl|csv]\n"
	    "                      [--per domain|server]\n"
	    "\n"
	    "Writes a scan's results to stdout: one record per domain (default)\n"
	    "or per mail server address.  jsonl per domain is the report of\n"
	    "`mailtls check --json` (docs/json.md); csv has the normalised\n"
	    "columns (docs/store.md).\n"
	    "\n"
	    "options:\n"
	    "  --db URI          the results database: a file (default "
	    STORE_DEFAULT_URI "),\n"
	    "                    sqlite:PATH, or postgresql://USER@HOST/DB\n"
	    "  --scan N          scan N instead of the latest\n"
	    "  --format FORMAT   jsonl (default) or csv\n"
	    "  --per WHAT        domain (default) or server\n");
}

/* ---- CSV ---- */

/* csv_text - one RFC 4180 cell; NULL is an empty cell. */
static void
csv_text(FILE *out, const char *s, int last)
{
	const char *p;

	if (s != NULL) {
		int quote = strpbrk(s, ",\"\r\n") != NULL;
		int formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';

		if (quote)
			fputc('"', out);
		if (formula)
			fputc('\'', out);
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				fputc('"', out);
			fputc(*p, out);
		}
		if (quote)
			fputc('"', out);
	}
	fputs(last ? "\r\n" : ",", out);
}

static void
csv_int(FILE *out, long long v)
{
	fprintf(out, "%lld,", v);
}

/* csv_opt_int - v, or an empty cell when v < 0 (none). */
static void
csv_opt_int(FILE *out, long long v)
{
	if (v >= 0)
		fprintf(out, "%lld", v);
	fputc(',', out);
}

static void
csv_bool(FILE *out, int v)
{
	fputs(v ? "true," : "false,", out);
}

static void
csv_time(FILE *out, int64_t t)
{
	char buf[32];

	if (t != 0) {
		report_fmt_time(t, buf, sizeof(buf), 1);
		fputs(buf, out);
	}
	fputc(',', out);
}

static const char *
severity_or_null(int s)
{
	return s < 0 ? NULL : severity_name((enum severity)s);
}

static void
csv_header(FILE *out, enum store_per per)
{
	if (per == STORE_PER_DOMAIN)
		fputs("domain,verdict,worst_severity,grade,score,null_mx,implicit_mx,"
		    "mx_outcome,mx_dnssec,mx_hosts,addresses,starttls_ok,"
		    "no_starttls,starttls_broken,inconclusive,not_tested,"
		    "checked_at,elapsed_ms,findings\r\n", out);
	else
		fputs("address,port,family,reserved,smtp_status,smtp_class,"
		    "starttls_offered,tls_version,cipher,cipher_bits,kx,kx_group,"
		    "kx_bits,forward_secrecy,cert_sha256,cert_not_after,"
		    "cert_verified,cert_verify_error,modern_client_refusals,"
		    "enumerated,sslv2,sslv3,tls10,tls11,tls12,tls13,suites,"
		    "dh_min_bits,grade,score,domains,mx_hosts\r\n", out);
}

static void
csv_domain(FILE *out, const struct store_domain_row *d)
{
	csv_text(out, d->name, 0);
	csv_text(out, d->verdict, 0);
	csv_text(out, severity_or_null(d->worst_severity), 0);
	csv_text(out, d->grade, 0);
	csv_opt_int(out, d->score);
	csv_bool(out, d->null_mx);
	csv_bool(out, d->implicit_mx);
	csv_text(out, d->mx_outcome, 0);
	csv_text(out, d->mx_dnssec, 0);
	csv_int(out, d->mx_hosts);
	csv_int(out, d->addresses);
	csv_int(out, d->starttls_ok);
	csv_int(out, d->no_starttls);
	csv_int(out, d->starttls_broken);
	csv_int(out, d->inconclusive);
	csv_int(out, d->not_tested);
	csv_time(out, d->checked_at);
	csv_int(out, d->elapsed_ms);
	csv_text(out, d->findings, 1);
}

static void
csv_server(FILE *out, const struct store_server_row *s)
{
	int tls = s->tls_version != NULL, v;

	csv_text(out, s->address, 0);
	csv_int(out, s->port);
	csv_text(out, s->family, 0);
	csv_text(out, s->reserved, 0);
	csv_text(out, s->smtp_status, 0);
	csv_text(out, s->smtp_class, 0);
	csv_bool(out, s->starttls_offered);
	csv_text(out, s->tls_version, 0);
	csv_text(out, s->cipher, 0);
	if (tls)
		csv_int(out, s->cipher_bits);
	else
		fputc(',', out);
	csv_text(out, s->kx, 0);
	csv_text(out, s->kx_group, 0);
	if (tls) {
		csv_int(out, s->kx_bits);
		csv_bool(out, s->forward_secrecy);
	} else {
		fputs(",,", out);
	}
	csv_text(out, s->cert_sha256, 0);
	csv_time(out, s->cert_sha256 != NULL ? s->cert_not_after : 0);
	if (tls)
		csv_bool(out, s->cert_verified);
	else
		fputc(',', out);
	csv_text(out, s->cert_verify_error, 0);
	csv_int(out, s->modern_refusals);
	csv_bool(out, s->enumerated);
	for (v = 0; v < PROBE_VERSION_COUNT; v++)
		csv_text(out, s->protocol[v], 0);
	if (s->enumerated) {
		csv_int(out, s->suites);
		csv_int(out, s->dh_min_bits);
	} else {
		fputs(",,", out);
	}
	csv_text(out, s->grade, 0);
	csv_opt_int(out, s->score);
	csv_int(out, (long long)s->domains);
	csv_text(out, s->mx_hosts, 1);
}

/* ---- JSON Lines ---- */

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
hosts_json(const char *list)
{
	json_t *a = json_array();
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, " ");

		if (n > 0)
			json_array_append_new(a, json_stringn(p, n));
		p += n;
		p += strspn(p, " ");
	}
	return a;
}

static json_t *
enumeration_json(const struct store_server_row *s)
{
	json_t *protocols;
	int v;

	if (!s->enumerated)
		return json_null();
	protocols = json_object();
	for (v = 0; v < PROBE_VERSION_COUNT; v++)
		json_object_set_new(protocols,
		    probe_version_name((enum probe_version)v),
		    str_or_null(s->protocol[v]));
	return json_pack("{s:o, s:i, s:i}", "protocols", protocols,
	    "suites", s->suites, "dh_min_bits", s->dh_min_bits);
}

static json_t *
server_json(const struct store_server_row *s)
{
	int tls = s->tls_version != NULL, cert = s->cert_sha256 != NULL;
	char when[32];

	if (cert)
		report_fmt_time(s->cert_not_after, when, sizeof(when), 1);
	return json_pack("{s:s, s:i, s:s, s:o, s:s, s:s, s:b, s:o, s:o, s:o,"
	    " s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:I,"
	    " s:o}",
	    "address", s->address,
	    "port", (int)s->port,
	    "family", s->family,
	    "reserved", str_or_null(s->reserved),
	    "smtp_status", s->smtp_status,
	    "smtp_class", s->smtp_class,
	    "starttls_offered", s->starttls_offered,
	    "tls_version", str_or_null(s->tls_version),
	    "cipher", str_or_null(s->cipher),
	    "cipher_bits", tls ? json_integer(s->cipher_bits) : json_null(),
	    "kx", str_or_null(s->kx),
	    "kx_group", str_or_null(s->kx_group),
	    "kx_bits", tls ? json_integer(s->kx_bits) : json_null(),
	    "forward_secrecy", tls ? json_boolean(s->forward_secrecy) :
	        json_null(),
	    "cert_sha256", str_or_null(s->cert_sha256),
	    "cert_not_after", cert ? json_string(when) : json_null(),
	    "cert_verified", tls ? json_boolean(s->cert_verified) : json_null(),
	    "cert_verify_error", str_or_null(s->cert_verify_error),
	    "modern_client_refusals", (int)s->modern_refusals,
	    "enumeration", enumeration_json(s),
	    "grade", str_or_null(s->grade),
	    "score", s->score >= 0 ? json_integer(s->score) : json_null(),
	    "domains", (json_int_t)s->domains,
	    "mx_hosts", hosts_json(s->mx_hosts));
}

static int
write_row(FILE *out, enum format format, const struct store_row *row)
{
	if (format == FORMAT_CSV) {
		if (row->domain != NULL)
			csv_domain(out, row->domain);
		else
			csv_server(out, row->server);
	} else if (row->domain != NULL) {
		/* Stored as `check --json` printed it: one line, as is. */
		fputs(row->domain->report, out);
		fputc('\n', out);
	} else {
		json_t *j = server_json(row->server);

		if (j == NULL || json_dumpf(j, out, JSON_COMPACT |
		    JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER) == -1) {
			json_decref(j);
			return -1;
		}
		json_decref(j);
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}

int
cmd_export(int argc, char **argv)
{
	const char *uri = STORE_DEFAULT_URI;
	enum format format = FORMAT_JSONL;
	enum store_per per = STORE_PER_DOMAIN;
	char shown[CMD_URI_SHOWN_MAX];
	struct store_iter *it;
	struct store_row row;
	struct store *st;
	int64_t scan_id = 0;
	int c, rc = 0, n;

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
		case OPT_FORMAT:
			if (strcmp(optarg, "jsonl") == 0)
				format = FORMAT_JSONL;
			else if (strcmp(optarg, "csv") == 0)
				format = FORMAT_CSV;
			else
				return cmd_fail("--format %s: not jsonl or csv",
				    optarg);
			break;
		case OPT_PER:
			if (strcmp(optarg, "domain") == 0)
				per = STORE_PER_DOMAIN;
			else if (strcmp(optarg, "server") == 0)
				per = STORE_PER_SERVER;
			else
				return cmd_fail("--per %s: not domain or server",
				    optarg);
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			return cmd_fail("export: %s: unknown option or missing "
			    "value (see --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_fail("export: unexpected argument '%s' (see --help)",
		    argv[optind]);

	if ((st = cmd_store_open(uri, STORE_OPEN_READ, shown)) == NULL)
		return 2;
	if ((it = store_export_open(st, scan_id, per)) == NULL) {
		rc = cmd_fail("database %s: %s", shown, store_error(st));
		store_close(st);
		return rc;
	}
	if (format == FORMAT_CSV)
		csv_header(stdout, per);
	while ((n = store_export_next(it, &row)) == 1) {
		if (write_row(stdout, format, &row) == -1)
			break;
	}
	if (n == -1)
		rc = cmd_fail("database %s: %s", shown, store_error(st));
	else if (fflush(stdout) == EOF || ferror(stdout))
		/* A reader that stopped early (| head) is no reason to shout. */
		rc = errno == EPIPE ? 2 : cmd_fail("export: cannot write: %s",
		    strerror(errno));
	store_export_close(it);
	store_close(st);
	return rc;
}
