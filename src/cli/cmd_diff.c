/*
 * cmd_diff.c - `mailtls diff SCAN1 SCAN2`: what changed between two scans
 * of one database.
 *
 * Domains added and removed, domains and servers whose grade changed,
 * servers that lost or gained STARTTLS, certificates of SCAN2 that expire
 * within --expiring days (30) of SCAN2's start (expired ones included),
 * and findings that appeared or went away on domains present in both.
 * The comparison happens in the database (store_diff(), docs/store.md
 * "Comparing two scans"), which hands the rows over class by class, each
 * sorted; this file only presents them, as they come, so a diff of
 * millions of rows never sits in memory: text for people, one JSON
 * object (docs/json.md, "mailtls diff") for programs.
 *
 * Exit status as `stats`: 0 the comparison was made (whatever it found),
 * 2 usage or database error after one "mailtls: ..." line.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/findings.h"
#include "cli/commands.h"
#include "report/report.h"
#include "store/store.h"
#include "util/sanitize.h"

#define DIFF_DEFAULT_DAYS 30
#define DIFF_MAX_DAYS 36500
#define DAY_SECONDS 86400

enum {
	OPT_DB = 256,
	OPT_JSON,
	OPT_EXPIRING,
	OPT_HELP,
};

static const struct option long_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "expiring", required_argument, NULL, OPT_EXPIRING },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* The JSON keys and text titles of the classes, in store_diff() order. */
static const struct {
	const char	*key;
	const char	*title;
} kinds[STORE_DIFF_KIND_COUNT] = {
	[STORE_DIFF_DOMAIN_ADDED] = { "domains_added", "Domains added" },
	[STORE_DIFF_DOMAIN_REMOVED] = { "domains_removed", "Domains removed" },
	[STORE_DIFF_DOMAIN_GRADE] = { "domain_grades", "Domain grades changed" },
	[STORE_DIFF_SERVER_GRADE] = { "server_grades", "Server grades changed" },
	[STORE_DIFF_STARTTLS_LOST] = { "starttls_lost", "STARTTLS lost" },
	[STORE_DIFF_STARTTLS_GAINED] = { "starttls_gained", "STARTTLS gained" },
	[STORE_DIFF_CERT_EXPIRING] = { "certificates_expiring",
	    "Certificates expiring" },
	[STORE_DIFF_FINDING_APPEARED] = { "findings_appeared",
	    "Findings appeared" },
	[STORE_DIFF_FINDING_GONE] = { "findings_gone", "Findings gone" },
};

struct out {
	int		 json;
	int		 kind;		/* the class being printed, -1 none */
	uint64_t	 count[STORE_DIFF_KIND_COUNT];
	int64_t		 reference;	/* SCAN2's start: days left count from it */
	int64_t		 limit;		/* expiring before this */
	int		 failed;	/* a write failed */
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: mailtls diff [--db URI] [--json] [--expiring DAYS] "
	    "SCAN1 SCAN2\n"
	    "\n"
	    "What changed from scan SCAN1 to scan SCAN2: domains added and\n"
	    "removed, grades of domains and servers, servers that lost or\n"
	    "gained STARTTLS, certificates expiring soon, findings that\n"
	    "appeared or went away.\n"
	    "\n"
	    "options:\n"
	    "  --db URI         the results database: a file (default "
	    STORE_DEFAULT_URI "),\n"
	    "                   sqlite:PATH, or postgresql://USER@HOST/DB\n"
	    "  --expiring DAYS  certificates of SCAN2 ending within DAYS days of\n"
	    "                   its start, expired ones included (default %d)\n"
	    "  --json           machine-readable output\n", DIFF_DEFAULT_DAYS);
}

/* put - text from the database, made terminal-safe. */
static void
put(const char *s)
{
	char *c = sanitize_str(s != NULL ? s : "", 1024);

	fputs(c != NULL ? c : "?", stdout);
	free(c);
}

static const char *
grade_or(const char *g)
{
	return g != NULL ? g : "not graded";
}

/* ---- text ---- */

static void
text_header(struct out *o, int kind)
{
	char when[32];

	if (kind == STORE_DIFF_CERT_EXPIRING) {
		report_fmt_time(o->limit, when, sizeof(when), 0);
		printf("\n%s (before %s)\n", kinds[kind].title, when);
	} else {
		printf("\n%s\n", kinds[kind].title);
	}
}

/* text_server - "  ADDRESS:PORT" ([v6]:port) for server rows. */
static void
text_server(const struct store_diff_row *r)
{
	printf("  ");
	if (strchr(r->address, ':') != NULL) {
		printf("[");
		put(r->address);
		printf("]");
	} else {
		put(r->address);
	}
	printf(":%u", r->port);
}

static void
text_server_ctx(const struct store_diff_row *r)
{
	printf("  (%llu domain%s; MX ", (unsigned long long)r->domains,
	    r->domains == 1 ? "" : "s");
	put(r->mx_hosts[0] != '\0' ? r->mx_hosts : "-");
	printf(")\n");
}

static void
text_row(struct out *o, const struct store_diff_row *r)
{
	char when[32];

	switch (r->kind) {
	case STORE_DIFF_DOMAIN_ADDED:
	case STORE_DIFF_DOMAIN_REMOVED:
		printf("  ");
		put(r->domain);
		printf("  (%s)\n", grade_or(r->kind == STORE_DIFF_DOMAIN_ADDED ?
		    r->grade_after : r->grade_before));
		break;
	case STORE_DIFF_DOMAIN_GRADE:
	case STORE_DIFF_SERVER_GRADE:
		if (r->kind == STORE_DIFF_DOMAIN_GRADE) {
			printf("  ");
			put(r->domain);
		} else {
			text_server(r);
		}
		printf("  %s -> %s", grade_or(r->grade_before),
		    grade_or(r->grade_after));
		if (r->score_before >= 0 && r->score_after >= 0)
			printf(" (score %d -> %d)", r->score_before,
			    r->score_after);
		if (r->kind == STORE_DIFF_SERVER_GRADE)
			text_server_ctx(r);
		else
			printf("\n");
		break;
	case STORE_DIFF_STARTTLS_LOST:
	case STORE_DIFF_STARTTLS_GAINED:
		text_server(r);
		printf("  ");
		put(r->status_before);
		printf(" -> ");
		put(r->status_after);
		text_server_ctx(r);
		break;
	case STORE_DIFF_CERT_EXPIRING:
		text_server(r);
		report_fmt_time(r->cert_not_after, when, sizeof(when), 0);
		if (r->cert_not_after < o->reference)
			printf("  expired %s", when);
		else
			printf("  ends %s (%lld days)", when, (long long)
			    ((r->cert_not_after - o->reference) / DAY_SECONDS));
		text_server_ctx(r);
		break;
	case STORE_DIFF_FINDING_APPEARED:
	case STORE_DIFF_FINDING_GONE:
		printf("  ");
		put(r->domain);
		if (r->mx_host != NULL) {
			printf(" MX ");
			put(r->mx_host);
		}
		printf("  ");
		put(r->finding);
		if (r->severity >= 0 && r->severity < SEV_COUNT)
			printf(" (%s)", severity_name((enum severity)r->severity));
		if (r->detail != NULL && r->detail[0] != '\0') {
			printf(": ");
			put(r->detail);
		}
		printf("\n");
		break;
	default:
		break;
	}
}

/* ---- JSON: one object, written as the rows come ---- */

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
int_or_null(int v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

static json_t *
time_json(int64_t t)
{
	char buf[32];

	report_fmt_time(t, buf, sizeof(buf), 1);
	return json_string(buf);
}

/* mx_list - "a b c" as ["a", "b", "c"]. */
static json_t *
mx_list(const char *s)
{
	json_t *a = json_array();
	const char *p = s, *sp;

	while (p != NULL && *p != '\0') {
		sp = strchr(p, ' ');
		json_array_append_new(a, json_stringn(p, sp != NULL ?
		    (size_t)(sp - p) : strlen(p)));
		p = sp != NULL ? sp + 1 : NULL;
	}
	return a;
}

static json_t *
json_row(const struct out *o, const struct store_diff_row *r)
{
	json_t *j = json_object();

	if (r->domain != NULL)
		json_object_set_new(j, "domain", json_string(r->domain));
	if (r->address != NULL) {
		json_object_set_new(j, "address", json_string(r->address));
		json_object_set_new(j, "port", json_integer(r->port));
	}
	switch (r->kind) {
	case STORE_DIFF_DOMAIN_ADDED:
		json_object_set_new(j, "grade", str_or_null(r->grade_after));
		json_object_set_new(j, "score", int_or_null(r->score_after));
		break;
	case STORE_DIFF_DOMAIN_REMOVED:
		json_object_set_new(j, "grade", str_or_null(r->grade_before));
		json_object_set_new(j, "score", int_or_null(r->score_before));
		break;
	case STORE_DIFF_DOMAIN_GRADE:
	case STORE_DIFF_SERVER_GRADE:
		json_object_set_new(j, "grade_before", str_or_null(r->grade_before));
		json_object_set_new(j, "grade_after", str_or_null(r->grade_after));
		json_object_set_new(j, "score_before", int_or_null(r->score_before));
		json_object_set_new(j, "score_after", int_or_null(r->score_after));
		break;
	case STORE_DIFF_STARTTLS_LOST:
	case STORE_DIFF_STARTTLS_GAINED:
		json_object_set_new(j, "class_before", str_or_null(r->class_before));
		json_object_set_new(j, "class_after", str_or_null(r->class_after));
		json_object_set_new(j, "status_before",
		    str_or_null(r->status_before));
		json_object_set_new(j, "status_after", str_or_null(r->status_after));
		break;
	case STORE_DIFF_CERT_EXPIRING:
		json_object_set_new(j, "not_after", time_json(r->cert_not_after));
		/* Whole days from SCAN2's start, negative once expired. */
		json_object_set_new(j, "days_left", json_integer((json_int_t)
		    ((r->cert_not_after - o->reference) / DAY_SECONDS)));
		json_object_set_new(j, "expired",
		    json_boolean(r->cert_not_after < o->reference));
		json_object_set_new(j, "cert_sha256", str_or_null(r->cert_sha256));
		break;
	case STORE_DIFF_FINDING_APPEARED:
	case STORE_DIFF_FINDING_GONE:
		json_object_set_new(j, "mx_host", str_or_null(r->mx_host));
		json_object_set_new(j, "finding", str_or_null(r->finding));
		json_object_set_new(j, "severity", r->severity >= 0 &&
		    r->severity < SEV_COUNT ? json_string(severity_name(
		    (enum severity)r->severity)) : json_null());
		json_object_set_new(j, "detail", str_or_null(r->detail));
		break;
	default:
		break;
	}
	if (r->address != NULL) {
		json_object_set_new(j, "mx_hosts", mx_list(r->mx_hosts));
		json_object_set_new(j, "domains",
		    json_integer((json_int_t)r->domains));
	}
	return j;
}

/* ---- the walk ---- */

/* open_kind - close the class printed so far; open every class up to k. */
static void
open_kind(struct out *o, int k)
{
	while (o->kind < k) {
		if (o->kind >= 0) {
			if (o->json)
				printf("\n  ],\n");
			else if (o->count[o->kind] == 0)
				printf("  none\n");
		}
		o->kind++;
		if (o->kind >= STORE_DIFF_KIND_COUNT)
			return;
		if (o->json)
			printf("  \"%s\": [", kinds[o->kind].key);
		else
			text_header(o, o->kind);
	}
}

static int
on_row(void *arg, const struct store_diff_row *r)
{
	struct out *o = arg;

	open_kind(o, (int)r->kind);
	if (o->json) {
		json_t *j = json_row(o, r);
		char *s = j != NULL ? json_dumps(j, JSON_COMPACT |
		    JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER) : NULL;

		json_decref(j);
		if (s == NULL)
			return -1;
		printf("%s\n    %s", o->count[r->kind] > 0 ? "," : "", s);
		free(s);
	} else {
		text_row(o, r);
	}
	o->count[r->kind]++;
	/* A closed pipe (diff | head) ends the walk. */
	return ferror(stdout) ? -1 : 0;
}

static json_t *
scan_json(const struct store_scan_info *s)
{
	return json_pack("{s:I, s:o, s:o, s:s, s:I}",
	    "id", (json_int_t)s->id,
	    "started_at", time_json(s->started_at),
	    "finished_at", s->finished_at != 0 ? time_json(s->finished_at) :
	        json_null(),
	    "input_path", s->input_path,
	    "domains_total", (json_int_t)s->domains_total);
}

/* begin - the heading: which scans, and the expiry limit. */
static int
begin(struct out *o, const struct store_scan_info *a,
    const struct store_scan_info *b, unsigned days)
{
	char wa[32], wb[32];

	if (o->json) {
		json_t *j = json_pack("{s:i, s:o, s:o, s:i}", "schema", 1,
		    "from", scan_json(a), "to", scan_json(b),
		    "expiring_days", (int)days);
		char *s = j != NULL ? json_dumps(j, JSON_INDENT(2) |
		    JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER) : NULL;
		char *end = s != NULL ? strrchr(s, '}') : NULL;

		json_decref(j);
		if (end == NULL) {
			free(s);
			return -1;
		}
		/* Keep the object open: the classes follow. */
		while (end > s && (end[-1] == '\n' || end[-1] == ' '))
			end--;
		*end = '\0';
		printf("%s,\n", s);
		free(s);
		return 0;
	}
	report_fmt_time(a->started_at, wa, sizeof(wa), 0);
	report_fmt_time(b->started_at, wb, sizeof(wb), 0);
	printf("Scan %lld (started %s, %llu domains) -> scan %lld (started "
	    "%s, %llu domains)\n", (long long)a->id, wa,
	    (unsigned long long)a->domains_total, (long long)b->id, wb,
	    (unsigned long long)b->domains_total);
	return 0;
}

static void
finish(struct out *o)
{
	int k;

	open_kind(o, STORE_DIFF_KIND_COUNT);
	if (o->json) {
		printf("  \"counts\": {");
		for (k = 0; k < STORE_DIFF_KIND_COUNT; k++)
			printf("%s\n    \"%s\": %llu", k > 0 ? "," : "",
			    kinds[k].key, (unsigned long long)o->count[k]);
		printf("\n  }\n}\n");
		return;
	}
	printf("\nSummary:");
	for (k = 0; k < STORE_DIFF_KIND_COUNT; k++)
		printf("%s %s %llu", k > 0 ? "," : "", kinds[k].key,
		    (unsigned long long)o->count[k]);
	printf("\n");
}

int
cmd_diff(int argc, char **argv)
{
	const char *uri = STORE_DEFAULT_URI;
	char shown[CMD_URI_SHOWN_MAX], *end;
	struct store_scan_info a, b;
	struct out o;
	struct store *st;
	int64_t id_a, id_b;
	unsigned days = DIFF_DEFAULT_DAYS;
	int c, rc = 0;
	long v;

	memset(&o, 0, sizeof(o));
	o.kind = -1;
	optind = 1;
	opterr = 0;
	/* Options may follow the scan ids (GNU getopt permutes). */
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			uri = optarg;
			break;
		case OPT_JSON:
			o.json = 1;
			break;
		case OPT_EXPIRING:
			v = strtol(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' ||
			    v < 0 || v > DIFF_MAX_DAYS)
				return cmd_fail("--expiring %s: not a number of "
				    "days (0-%d)", optarg, DIFF_MAX_DAYS);
			days = (unsigned)v;
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			return cmd_fail("diff: %s: unknown option or missing "
			    "value (see --help)", argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return cmd_fail("diff: two scan ids expected, SCAN1 SCAN2 "
		    "(see --help)");
	if (cmd_parse_scan_id(argv[optind], &id_a) == -1)
		return cmd_fail("diff: %s: not a scan id (a positive integer)",
		    argv[optind]);
	if (cmd_parse_scan_id(argv[optind + 1], &id_b) == -1)
		return cmd_fail("diff: %s: not a scan id (a positive integer)",
		    argv[optind + 1]);

	if ((st = cmd_store_open(uri, STORE_OPEN_READ, shown)) == NULL)
		return 2;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (store_scan_get(st, id_a, &a) == -1 ||
	    store_scan_get(st, id_b, &b) == -1) {
		rc = cmd_fail("database %s: %s", shown, store_error(st));
		goto out;
	}
	o.reference = b.started_at;
	o.limit = b.started_at + (int64_t)days * DAY_SECONDS;
	if (!o.json) {
		sanitize_in_place(a.input_path);
		sanitize_in_place(b.input_path);
	}
	if (begin(&o, &a, &b, days) == -1) {
		rc = cmd_fail("diff: out of memory");
		goto out;
	}
	if (store_diff(st, id_a, id_b, o.limit, on_row, &o) == -1) {
		if (ferror(stdout))
			rc = 2;		/* a closed pipe: no line worth printing */
		else
			rc = cmd_fail("database %s: %s", shown, store_error(st));
		goto out;
	}
	finish(&o);
out:
	store_scan_info_clear(&a);
	store_scan_info_clear(&b);
	store_close(st);
	if (fflush(stdout) == EOF || ferror(stdout))
		rc = 2;
	return rc;
}
