/*
 * cmd_scan.c - `mailtls scan`: a domain list into the results database.
 *
 *   mailtls scan [--db URI] [--concurrency N] [--shard i/n] [--exclude FILE]
 *                [--output FILE.jsonl] [--allow-reserved] [--quick]
 *                [scan tuning: --retries N --retry-delay S --batch N
 *                 --per-address K --address-gap S --cache N]
 *                [check options: --resolver --trust-anchor --ca-file --port
 *                 --timeout --ehlo] FILE|-
 *
 * Everything that can be wrong with the invocation (options, the list
 * file, the shard, the exclude file, the database) is found before the
 * first packet: one "mailtls: ..." line and exit status 2.  Invalid lines
 * of the list are reported with their line number and skipped.
 *
 * Exit status: 0 the scan finished (whatever the domains' results: see
 * `mailtls stats`); 2 usage, input or database error; 130 interrupted
 * (SIGINT/SIGTERM; run the same command again to resume).
 *
 * The scan's identity (what a rerun resumes) is the SHA-256 of the kept
 * names (after shard, duplicates and exclusions; scan_input.h) and the
 * options that change results (port, EHLO name, --quick, --allow-reserved,
 * and the exclude list's content: scan_exclude_digest()).
 */
#include <errno.h>
#include <event2/event.h>
#include <jansson.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "dns/dns_resolver.h"
#include "mtasts/mtasts_fetch.h"
#include "mtasts/policy_list.h"
#include "scan/scan.h"
#include "scan/scan_input.h"
#include "tls/tls_client.h"

struct scan_opts {
	const char	*shard;
	const char	*exclude;
	const char	*output;
	int		 allow_reserved;
	struct scan_config cfg;
};

static void
scan_usage(FILE *out)
{
	fprintf(out,
	    "usage: mailtls scan [options] FILE|-\n"
	    "\n"
	    "Checks every domain of FILE (one per line, '#' comments; '-' reads\n"
	    "standard input) and saves the results in the results database.\n"
	    "Killed or interrupted, the same command continues where it stopped.\n"
	    "\n"
	    "scan options:\n"
	    "  --db URI             results database (default " STORE_DEFAULT_URI ")\n"
	    "  --concurrency N      domains in flight (default: from the open-file\n"
	    "                       limit, at most 256)\n"
	    "  --shard i/n          only the i-th of n parts of the list (0 <= i < n)\n"
	    "  --exclude FILE       domains, networks and mx:HOSTs not to scan\n"
	    "  --output FILE.jsonl  also write one JSON record per domain as it is done\n"
	    "  --allow-reserved     connect to loopback, private and other reserved\n"
	    "                       addresses (skipped by default)\n"
	    "  --quick              one TLS session per server, no enumeration\n"
	    "  --retries N          checks again of a domain after a temporary\n"
	    "                       failure (421, timeout; default 1)\n"
	    "  --retry-delay S      seconds before such a retry (default 60)\n"
	    "  --batch N            domains per database transaction (default 100;\n"
	    "                       also committed every 2 s)\n"
	    "  --per-address K      servers of one address assessed at once (default 2)\n"
	    "  --address-gap S      seconds between two assessments' starts at one\n"
	    "                       address (default 1)\n"
	    "  --cache N            finished servers kept for reuse (default 20000,\n"
	    "                       about 6 KB each)\n"
	    "\n"
	    "check options (see mailtls check --help): --resolver --trust-anchor\n"
	    "  --ca-file --port --timeout --ehlo\n"
	    "\n"
	    "exit status: 0 the scan finished; 2 usage, input or database error;\n"
	    "130 interrupted (run again to resume)\n");
}

static int
parse_count(const char *opt, const char *s, unsigned long min,
    unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < min ||
	    v > max) {
		cmd_fail("%s %s: not a number from %lu to %lu", opt, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_seconds(const char *opt, const char *s, double max, unsigned *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || !(v >= 0 && v <= max)) {
		cmd_fail("%s %s: not a number of seconds (0 to %g)", opt, s, max);
		return -1;
	}
	*ms = (unsigned)(v * 1000 + 0.5);
	return 0;
}

/* The options only scan has, with a value (NULL: a flag). */
static const char *const with_value[] = {
	"--concurrency", "--shard", "--exclude", "--output", "--retries",
	"--retry-delay", "--batch", "--per-address", "--address-gap", "--cache",
};
/* Shared options that take a value: passed on with it. */
static const char *const shared_value[] = {
	"--resolver", "--trust-anchor", "--ca-file", "--port", "--timeout",
	"--ehlo", "--db",
};

static int
scan_option(struct scan_opts *so, const char *name, const char *v)
{
	unsigned long n;

	if (strcmp(name, "--concurrency") == 0) {
		if (parse_count(name, v, 1, 100000, &n) == -1)
			return -1;
		so->cfg.concurrency = n;
	} else if (strcmp(name, "--shard") == 0) {
		so->shard = v;
	} else if (strcmp(name, "--exclude") == 0) {
		so->exclude = v;
	} else if (strcmp(name, "--output") == 0) {
		if (*v == '\0')
			return cmd_fail("--output: no file given"), -1;
		so->output = v;
	} else if (strcmp(name, "--retries") == 0) {
		if (parse_count(name, v, 0, 10, &n) == -1)
			return -1;
		so->cfg.retries = (unsigned)n;
	} else if (strcmp(name, "--retry-delay") == 0) {
		return parse_seconds(name, v, 86400, &so->cfg.retry_delay_ms);
	} else if (strcmp(name, "--batch") == 0) {
		if (parse_count(name, v, 1, 1000000, &n) == -1)
			return -1;
		so->cfg.batch_domains = n;
	} else if (strcmp(name, "--per-address") == 0) {
		if (parse_count(name, v, 1, 64, &n) == -1)
			return -1;
		so->cfg.pool.per_addr_sessions = (unsigned)n;
	} else if (strcmp(name, "--address-gap") == 0) {
		return parse_seconds(name, v, 3600, &so->cfg.pool.per_addr_gap_ms);
	} else if (strcmp(name, "--cache") == 0) {
		if (parse_count(name, v, 1, 100000000, &n) == -1)
			return -1;
		so->cfg.pool.cache_max = n;
	}
	return 0;
}

/*
 * split_args - take scan's own options out of argv (argv[0] is "scan"),
 * leaving the shared ones and the operands in rest for options_parse().
 */
static int
split_args(int argc, char **argv, struct scan_opts *so, char **rest,
    int *nrest)
{
	int i, k = 0, operands = 0;
	size_t j;

	rest[k++] = argv[0];
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		char name[32];
		int mine = 0;

		if (operands || strcmp(a, "--") == 0) {
			operands = 1;
			rest[k++] = argv[i];
			continue;
		}
		if (strcmp(a, "--allow-reserved") == 0) {
			so->allow_reserved = 1;
			continue;
		}
		eq = strchr(a, '=');
		snprintf(name, sizeof(name), "%.*s",
		    eq ? (int)(eq - a) : (int)strlen(a), a);
		for (j = 0; j < sizeof(with_value) / sizeof(*with_value); j++)
			mine |= strcmp(name, with_value[j]) == 0;
		if (mine) {
			const char *v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;

			if (v == NULL)
				return cmd_fail("%s: missing value (see --help)", name), -1;
			if (scan_option(so, name, v) == -1)
				return -1;
			continue;
		}
		rest[k++] = argv[i];
		for (j = 0; eq == NULL && j < sizeof(shared_value) /
		    sizeof(*shared_value); j++)
			if (strcmp(a, shared_value[j]) == 0 && i + 1 < argc) {
				rest[k++] = argv[++i];
				break;
			}
	}
	rest[k] = NULL;
	*nrest = k;
	return 0;
}

/*
 * trim_jsonl - a resumed scan's output file: keep the first record of each
 * domain the database has (a record written before its batch was
 * committed, or a line cut by kill -9, goes: the domain is checked again
 * and written then).  0, or -1 after an error line.
 */
static int
trim_jsonl(const char *path, const struct store_nameset *done)
{
	char tmp[4096];
	FILE *in, *out;
	struct store_nameset *kept;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	if ((in = fopen(path, "r")) == NULL)
		return errno == ENOENT ? 0 :
		    (cmd_fail("--output %s: %s", path, strerror(errno)), -1);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((out = fopen(tmp, "w")) == NULL || (kept = store_nameset_new()) == NULL) {
		cmd_fail("--output %s: %s", tmp, strerror(errno));
		fclose(in);
		if (out != NULL)
			fclose(out);
		return -1;
	}
	while ((len = getline(&line, &cap, in)) > 0) {
		json_t *j = json_loadb(line, (size_t)len, 0, NULL);
		const char *d = j ? json_string_value(json_object_get(j, "domain")) : NULL;

		if (d != NULL && store_nameset_has(done, d) &&
		    !store_nameset_has(kept, d) && line[len - 1] == '\n') {
			if (store_nameset_add(kept, d) == -1 ||
			    fwrite(line, 1, (size_t)len, out) != (size_t)len)
				rc = -1;
		}
		json_decref(j);
	}
	free(line);
	fclose(in);
	store_nameset_free(kept);
	if (fclose(out) != 0 || rc == -1 || rename(tmp, path) == -1) {
		cmd_fail("--output %s: cannot rewrite: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
cmd_scan(int argc, char **argv, const char *version)
{
	struct scan_opts so;
	struct options o;
	struct scan_input in;
	struct scan_input_opts io;
	struct scan_exclude *ex = NULL;
	struct store *db = NULL;
	struct store_scan_params sp;
	struct store_resume resume;
	struct scan_ctx ctx;
	struct scan_stats stats;
	struct event_base *base = NULL;
	struct dns_resolver *dns = NULL;
	SSL_CTX *tls = NULL;
	struct mtasts_fetcher *fetcher = NULL;
	struct policy_list *policies = NULL;
	FILE *jsonl = NULL;
	char **rest, db_shown[CMD_URI_SHOWN_MAX], err[512], options[640];
	const char *why;
	int i, nrest, rc, status = 2;

	memset(&so, 0, sizeof(so));
	memset(&in, 0, sizeof(in));
	memset(&resume, 0, sizeof(resume));
	scan_config_defaults(&so.cfg);
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			scan_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--") == 0)
			break;
	if ((rest = calloc((size_t)argc + 1, sizeof(*rest))) == NULL)
		return cmd_fail("out of memory");
	if (split_args(argc, argv, &so, rest, &nrest) == -1 ||
	    options_parse(nrest, rest, &o) == -1) {
		free(rest);
		return 2;
	}
	if (o.json) {
		free(rest);
		return cmd_fail("scan: --json: use --output FILE.jsonl");
	}
	if (o.nargs != 1) {
		free(rest);
		return cmd_fail("scan: %s (usage: mailtls scan [options] FILE|-)",
		    o.nargs == 0 ? "no domain list given" : "one domain list only");
	}
	o.check.probe_reserved = so.allow_reserved;
	if (options_load_policies(&o, &policies) == -1) {
		free(rest);
		return 2;
	}
	memset(&io, 0, sizeof(io));
	io.warn = stderr;
	io.warn_limit = 1000;
	if (so.shard != NULL && scan_shard_parse(so.shard, &io.shard_index,
	    &io.shard_count, &why) == -1) {
		cmd_fail("--shard %s: %s", so.shard, why);
		goto done;
	}
	if (so.exclude != NULL) {
		if ((ex = scan_exclude_new()) == NULL) {
			cmd_fail("out of memory");
			goto done;
		}
		if (scan_exclude_load(ex, so.exclude, stderr) == -1) {
			cmd_fail("--exclude %s: not usable (see above); nothing "
			    "scanned", so.exclude);
			goto done;
		}
		io.exclude = ex;
	}
	if (scan_input_load(o.args[0], &io, &in) == -1)
		goto done;	/* scan_input printed "PATH: reason" */

	if ((db = cmd_store_open(o.db ? o.db : STORE_DEFAULT_URI,
	    STORE_OPEN_WRITE, db_shown)) == NULL)
		goto done;
	snprintf(options, sizeof(options), "scan port=%u ehlo=%s enumerate=%d "
	    "reserved=%d", (unsigned)o.check.port, o.check.ehlo_name,
	    o.check.enumerate, o.check.probe_reserved);
	if (ex != NULL) {
		/*
		 * Who opted out changes which servers are "not tested": another
		 * exclude list is another scan, never a resumed one.
		 */
		char digest[65];

		if (scan_exclude_digest(ex, digest) == -1) {
			cmd_fail("out of memory");
			goto done;
		}
		snprintf(options + strlen(options), sizeof(options) -
		    strlen(options), " exclude=%s", digest);
	}
	memset(&sp, 0, sizeof(sp));
	sp.input_path = o.args[0];
	sp.input_sha256 = in.sha256;
	sp.options = options;
	sp.version = version;
	sp.domains_total = in.count;
	sp.now = (int64_t)time(NULL);
	if (store_scan_begin(db, &sp, &resume) == -1) {
		cmd_fail("database %s: %s", db_shown, store_error(db));
		goto done;
	}
	if (so.output != NULL) {
		if (resume.resumed && trim_jsonl(so.output, resume.done) == -1)
			goto done;
		if ((jsonl = fopen(so.output, resume.resumed ? "a" : "w")) == NULL) {
			cmd_fail("--output %s: %s", so.output, strerror(errno));
			goto done;
		}
	}

	if ((base = event_base_new()) == NULL) {
		cmd_fail("out of memory");
		goto done;
	}
	if ((dns = dns_resolver_new(base, &o.dns, err, sizeof(err))) == NULL ||
	    (tls = tls_client_ctx_new(o.ca_file, err, sizeof(err))) == NULL ||
	    (o.check.auth && (fetcher = mtasts_fetcher_new(base, err,
	    sizeof(err))) == NULL)) {
		cmd_fail("%s", err);
		goto done;
	}
	if (resume.resumed)
		fprintf(stderr, "mailtls: scan %lld resumed: %zu of %zu domains "
		    "already saved\n", (long long)resume.scan_id,
		    store_nameset_count(resume.done), in.count);
	memset(&ctx, 0, sizeof(ctx));
	ctx.base = base;
	ctx.dns = dns;
	ctx.tls_ctx = tls;
	ctx.check = &o.check;
	ctx.cfg = so.cfg;
	ctx.cfg.progress = isatty(STDERR_FILENO);
	ctx.exclude = ex;
	ctx.fetcher = fetcher;
	ctx.policies = policies;
	ctx.store = db;
	ctx.scan_id = resume.scan_id;
	ctx.jsonl = jsonl;
	ctx.store_shown = db_shown;
	rc = scan_run(&ctx, in.names, in.count, resume.done, &stats);
	if (rc == 0 && store_scan_finish(db, resume.scan_id,
	    (int64_t)time(NULL)) == -1) {
		cmd_fail("database %s: %s", db_shown, store_error(db));
		rc = -1;
	}
	scan_summary(stderr, resume.scan_id, &stats);
	status = rc == 0 ? 0 : rc == 1 ? 130 : 2;
done:
	if (jsonl != NULL && fclose(jsonl) != 0 && status == 0) {
		cmd_fail("--output %s: %s", so.output, strerror(errno));
		status = 2;
	}
	store_nameset_free(resume.done);
	store_close(db);
	mtasts_fetcher_free(fetcher);
	policy_list_free(policies);
	dns_resolver_free(dns);
	SSL_CTX_free(tls);
	if (base != NULL)
		event_base_free(base);
	scan_input_free(&in);
	scan_exclude_free(ex);
	free(rest);
	return status;
}
