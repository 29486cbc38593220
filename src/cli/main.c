/*
 * main.c - the mailtls command line.
 *
 *   mailtls check [options] DOMAIN...
 *   mailtls stats | export ...   (the results database: commands.h)
 *   mailtls version
 *
 * main() is the only place that exits: it validates every operand before
 * any packet is sent, sets up the event loop, the resolver and the TLS
 * context, runs the checks concurrently, prints the reports in the order
 * the domains were given, and maps the results to an exit status
 * (documented in options_usage() and the README).  With --db the results
 * are also saved as one scan (cmd_check_save()); the database is opened
 * before any packet is sent, and a failure to save exits with 2.
 */
#include <event2/event.h>
#include <jansson.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "dns/dns_name.h"
#include "mtasts/mtasts_fetch.h"
#include "mtasts/policy_list.h"
#include "report/report.h"

#define MAILTLS_VERSION "0.1.0"

enum exit_status {
	EXIT_ASSESSED = 0,
	EXIT_FAILURE_FOUND = 1,
	EXIT_USAGE_OR_DNS = 2,
	EXIT_INCONCLUSIVE = 3,
};

struct run {
	struct domain_result	**results;	/* by operand index */
	size_t			  pending;
	struct event_base	 *base;
};

struct slot {
	struct run	*run;
	size_t		 index;
};

static void
on_check_done(void *arg, struct domain_result *result)
{
	struct slot *slot = arg;

	slot->run->results[slot->index] = result;
	if (--slot->run->pending == 0)
		event_base_loopbreak(slot->run->base);
}

/*
 * The exit status a domain's result deserves.  Resolution failures (the
 * domain does not exist, DNS fails, DNSSEC bogus, no server has an
 * address) come first, then any server without working STARTTLS, then
 * servers that could not be assessed.
 */
static enum exit_status
domain_status(const struct domain_result *d)
{
	struct report_summary sum;

	if (d->null_mx)
		return EXIT_ASSESSED;
	if (findings_has(&d->findings, F_DOMAIN_NXDOMAIN) ||
	    findings_has(&d->findings, F_DOMAIN_DNS_FAILURE) ||
	    findings_has(&d->findings, F_DOMAIN_DNS_TIMEOUT) ||
	    findings_has(&d->findings, F_DNSSEC_BOGUS) ||
	    findings_has(&d->findings, F_NO_MX_HOSTS) || d->n_hosts == 0)
		return EXIT_USAGE_OR_DNS;
	report_summarize(d, &sum);
	if (sum.no_starttls > 0 || sum.tls_broken > 0)
		return EXIT_FAILURE_FOUND;
	if (sum.inconclusive > 0 || sum.not_tested > 0)
		return EXIT_INCONCLUSIVE;
	return EXIT_ASSESSED;
}

static int
rank(enum exit_status s)
{
	static const int ranks[] = { 0, 2, 3, 1 };	/* 2 > 1 > 3 > 0 */

	return ranks[s];
}

static void
print_results(const struct options *o, struct domain_result **results,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!o->json) {
			report_text(stdout, results[i]);
			continue;
		}
		json_t *j = report_json(results[i]);
		/* One domain: a readable document; several: JSON Lines. */
		size_t flags = n == 1 ? JSON_INDENT(2) : JSON_COMPACT;

		if (j == NULL || json_dumpf(j, stdout, flags | JSON_ENSURE_ASCII) == -1) {
			fprintf(stderr, "mailtls: cannot write JSON for %s\n",
			    results[i]->name);
		}
		fputc('\n', stdout);
		json_decref(j);
	}
}

static int
cmd_check(int argc, char **argv)
{
	struct options o;
	char (*domains)[DNS_NAME_MAX + 1] = NULL;
	struct check_env env;
	struct run run;
	struct slot *slots = NULL;
	SSL_CTX *tls = NULL;
	struct dns_resolver *dns = NULL;
	struct mtasts_fetcher *fetcher = NULL;
	struct policy_list *policies = NULL;
	struct store *db = NULL;
	char err[512], db_shown[CMD_URI_SHOWN_MAX];
	enum exit_status status = EXIT_ASSESSED;
	const char *why;
	int i;

	memset(&run, 0, sizeof(run));
	memset(&env, 0, sizeof(env));	/* no pool, no skip: one check each */
	if (options_parse(argc, argv, &o) == -1)
		return EXIT_USAGE_OR_DNS;
	if (o.nargs == 0) {
		fprintf(stderr, "mailtls: check: no domain given "
		    "(usage: mailtls check [options] DOMAIN...)\n");
		return EXIT_USAGE_OR_DNS;
	}
	if ((domains = calloc((size_t)o.nargs, sizeof(*domains))) == NULL)
		goto oom;
	for (i = 0; i < o.nargs; i++) {
		if (dns_name_normalize(o.args[i], domains[i], &why) == -1) {
			fprintf(stderr, "mailtls: invalid domain '%.64s%s': %s\n",
			    o.args[i], strlen(o.args[i]) > 64 ? "..." : "", why);
			free(domains);
			return EXIT_USAGE_OR_DNS;
		}
	}
	if (options_load_policies(&o, &policies) == -1) {
		free(domains);
		return EXIT_USAGE_OR_DNS;
	}
	if (o.db != NULL &&
	    (db = cmd_store_open(o.db, STORE_OPEN_WRITE, db_shown)) == NULL) {
		free(domains);
		policy_list_free(policies);
		return EXIT_USAGE_OR_DNS;
	}

	if ((run.base = event_base_new()) == NULL)
		goto oom;
	if ((dns = dns_resolver_new(run.base, &o.dns, err, sizeof(err))) == NULL ||
	    (tls = tls_client_ctx_new(o.ca_file, err, sizeof(err))) == NULL ||
	    (o.check.auth && (fetcher = mtasts_fetcher_new(run.base, err,
	    sizeof(err))) == NULL)) {
		fprintf(stderr, "mailtls: %s\n", err);
		status = EXIT_USAGE_OR_DNS;
		goto done;
	}
	env.base = run.base;
	env.dns = dns;
	env.tls_ctx = tls;
	env.fetcher = fetcher;
	env.policies = policies;
	env.cfg = &o.check;
	run.results = calloc((size_t)o.nargs, sizeof(*run.results));
	slots = calloc((size_t)o.nargs, sizeof(*slots));
	if (run.results == NULL || slots == NULL)
		goto oom;
	for (i = 0; i < o.nargs; i++) {
		slots[i].run = &run;
		slots[i].index = (size_t)i;
		if (check_start(&env, domains[i], on_check_done, &slots[i]) == NULL)
			goto oom;
		run.pending++;
	}
	event_base_dispatch(run.base);

	print_results(&o, run.results, (size_t)o.nargs);
	if (db != NULL && cmd_check_save(db, db_shown, &o.check, MAILTLS_VERSION,
	    run.results, (size_t)o.nargs) == -1)
		status = EXIT_USAGE_OR_DNS;
	for (i = 0; i < o.nargs; i++) {
		enum exit_status s = domain_status(run.results[i]);

		if (rank(s) > rank(status))
			status = s;
		domain_result_free(run.results[i]);
	}
done:
	free(run.results);
	free(slots);
	free(domains);
	store_close(db);
	mtasts_fetcher_free(fetcher);
	policy_list_free(policies);
	dns_resolver_free(dns);
	SSL_CTX_free(tls);
	if (run.base != NULL)
		event_base_free(run.base);
	return status;
oom:
	fprintf(stderr, "mailtls: out of memory\n");
	exit(EXIT_USAGE_OR_DNS);
}

static void
usage(FILE *out)
{
	fprintf(out, "usage: mailtls check [options] DOMAIN...\n"
	    "       mailtls scan [options] FILE|-   (mailtls scan --help)\n"
	    "       mailtls stats [--db URI] [--scan N] [--json]\n"
	    "       mailtls export [--db URI] [--scan N] [--format jsonl|csv] "
	    "[--per domain|server]\n"
	    "       mailtls diff [--db URI] [--json] [--expiring DAYS] SCAN1 SCAN2\n"
	    "       mailtls serve [--listen HOST:PORT] [--db URI]   (mailtls serve --help)\n"
	    "       mailtls version\n"
	    "Run 'mailtls check --help' for the options.\n");
}

int
main(int argc, char **argv)
{
	/* A server that closes while we write must not kill the process. */
	signal(SIGPIPE, SIG_IGN);

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE_OR_DNS;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "scan") == 0)
		return cmd_scan(argc - 1, argv + 1, MAILTLS_VERSION);
	if (strcmp(argv[1], "stats") == 0)
		return cmd_stats(argc - 1, argv + 1);
	if (strcmp(argv[1], "export") == 0)
		return cmd_export(argc - 1, argv + 1);
	if (strcmp(argv[1], "diff") == 0)
		return cmd_diff(argc - 1, argv + 1);
	if (strcmp(argv[1], "serve") == 0)
		return cmd_serve(argc - 1, argv + 1, MAILTLS_VERSION);
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("mailtls %s (%s)\n", MAILTLS_VERSION, OpenSSL_version(OPENSSL_VERSION));
		return 0;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "mailtls: unknown command '%.64s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE_OR_DNS;
}
