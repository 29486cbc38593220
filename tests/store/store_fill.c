/*
 * store_fill.c - fills a results database the way `mailtls scan` will,
 * for the store's CLI tests (store_cases.sh), and times it.
 *
 *   store_fill [--db URI] [--domains N] [--providers M] [--batch B]
 *              [--fresh] [--quiet]
 *
 * Towards the store it behaves like the scan command: the input is the
 * list d00000000.example ... (N names; its identity their
 * store_digest_names() digest and the option text "providers=M"),
 * store_scan_begin() resumes an unfinished scan of that list and the names
 * it reports done are skipped, results are saved in batches of B with a
 * commit each, and the scan is finished at the end.  Results come from
 * fake_result.c's fake_realistic(): 3 addresses per domain (2 MX hosts)
 * from M providers' address pools, most enumerated, findings from the
 * engine's own findings_derive().  --fresh makes every run a new scan.
 *
 * Prints "resumed scan ID: K domains done" when resuming, then one line:
 * domains saved, seconds in store_save_domain() + store_commit() (result
 * generation excluded), domains/s.  Exit 0, or 2 after one error line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_result.h"
#include "store/store.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long
number(const char *opt, const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v == 0 || v > 10000000) {
		fprintf(stderr, "store_fill: %s %s: not a number from 1 to "
		    "10000000\n", opt, s);
		exit(2);
	}
	return v;
}

static int
fail(struct store *st, const char *shown)
{
	fprintf(stderr, "store_fill: database %s: %s\n", shown, store_error(st));
	store_close(st);
	return 2;
}

/* domain_name - name i of the list. */
static void
domain_name(unsigned long i, char buf[32])
{
	snprintf(buf, 32, "d%08lu.example", i);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "domains", required_argument, NULL, 'n' },
		{ "providers", required_argument, NULL, 'p' },
		{ "batch", required_argument, NULL, 'b' },
		{ "fresh", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char *uri = STORE_DEFAULT_URI;
	unsigned long n = 10000, providers = 1000, batch = 500;
	int fresh = 0, quiet = 0, c;
	char shown[1024], err[STORE_ERR_MAX], options[128], name[32];
	char hex[STORE_SHA256_HEX], (*names)[32];
	const char **list;
	struct store_scan_params sp;
	struct store_resume res;
	struct store *st;
	double spent = 0, t0;
	unsigned long i, saved = 0;
	int64_t now = (int64_t)time(NULL);

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': uri = optarg; break;
		case 'n': n = number("--domains", optarg); break;
		case 'p': providers = number("--providers", optarg); break;
		case 'b': batch = number("--batch", optarg); break;
		case 'f': fresh = 1; break;
		case 'q': quiet = 1; break;
		default:
			fprintf(stderr, "usage: store_fill [--db URI] [--domains N] "
			    "[--providers M] [--batch B] [--fresh] [--quiet]\n");
			return 2;
		}
	}

	/* The input's identity, as the scan command will compute it. */
	names = calloc(n, sizeof(*names));
	list = calloc(n, sizeof(*list));
	if (names == NULL || list == NULL) {
		fprintf(stderr, "store_fill: out of memory\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		domain_name(i, names[i]);
		list[i] = names[i];
	}
	if (store_digest_names(list, n, hex) == -1) {
		fprintf(stderr, "store_fill: cannot compute the digest\n");
		return 2;
	}
	free(list);
	free(names);
	if (fresh)
		snprintf(options, sizeof(options), "providers=%lu run=%lld",
		    providers, (long long)now);
	else
		snprintf(options, sizeof(options), "providers=%lu", providers);

	store_uri_redact(uri, shown, sizeof(shown));
	if ((st = store_open(uri, STORE_OPEN_WRITE, err, sizeof(err))) == NULL) {
		fprintf(stderr, "store_fill: database %s: %s\n", shown, err);
		return 2;
	}
	memset(&sp, 0, sizeof(sp));
	sp.input_path = "store_fill";
	sp.input_sha256 = hex;
	sp.options = options;
	sp.version = "test";
	sp.domains_total = n;
	sp.now = now;
	if (store_scan_begin(st, &sp, &res) == -1)
		return fail(st, shown);
	if (!quiet && res.resumed)
		printf("resumed scan %lld: %zu domains done\n",
		    (long long)res.scan_id, store_nameset_count(res.done));

	for (i = 0; i < n; i++) {
		struct domain_result *d;

		domain_name(i, name);
		if (store_nameset_has(res.done, name))
			continue;
		d = fake_realistic(name, (unsigned)i, (unsigned)providers, now);
		t0 = now_s();
		if (store_batch_size(st) == 0 && store_begin(st) == -1)
			return fail(st, shown);
		if (store_save_domain(st, res.scan_id, d) == -1)
			return fail(st, shown);
		if (store_batch_size(st) >= batch && store_commit(st) == -1)
			return fail(st, shown);
		spent += now_s() - t0;
		domain_result_free(d);
		saved++;
	}
	t0 = now_s();
	if (store_batch_size(st) > 0 && store_commit(st) == -1)
		return fail(st, shown);
	if (store_scan_finish(st, res.scan_id, now) == -1)
		return fail(st, shown);
	spent += now_s() - t0;
	store_nameset_free(res.done);
	if (!quiet)
		printf("%s: scan %lld: %lu domains saved in %.2f s: %.0f domains/s "
		    "(batch %lu)\n", store_backend(st), (long long)res.scan_id,
		    saved, spent, spent > 0 ? (double)saved / spent : 0.0, batch);
	store_close(st);
	return 0;
}
