/*
 * cmd_serve.c - `mailtls serve`: the web page and JSON API (src/web).
 *
 *   mailtls serve [--listen HOST:PORT] [--db URI] [--allow-private]
 *                 [--cache SECONDS] [--max-checks N] [--rate N]
 *                 [--scan N] [check options]
 *
 * Like `scan`, everything that can be wrong with the invocation (options,
 * the database, the resolver, the listen address) is found before the
 * server starts: one "mailtls: ..." line and exit status 2.  The shared
 * check options (--resolver, --trust-anchor, --ca-file, --port, --timeout,
 * --ehlo, --quick) are passed on to options_parse().
 */
#include <errno.h>
#include <event2/event.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "dns/dns_resolver.h"
#include "tls/tls_client.h"
#include "web/web.h"

#define SERVE_DEFAULT_LISTEN "127.0.0.1:8025"

struct serve_opts {
	const char		*listen;
	struct web_config	 wc;
	char			 host[64];
};

static void
serve_usage(FILE *out)
{
	fprintf(out,
	    "usage: mailtls serve [options]\n"
	    "\n"
	    "Serves the web page (a form, the results with grades and fixes,\n"
	    "statistics with charts) and its JSON API, running checks on request\n"
	    "and keeping the results in the database.\n"
	    "\n"
	    "serve options:\n"
	    "  --listen HOST:PORT   address to serve on (default "
	    SERVE_DEFAULT_LISTEN ";\n"
	    "                       [::1]:8025 for IPv6)\n"
	    "  --db URI             results database (default " STORE_DEFAULT_URI ")\n"
	    "  --allow-private      check domains whose mail servers are on\n"
	    "                       loopback, private or other reserved addresses\n"
	    "                       (refused by default: no probing of internal\n"
	    "                       networks)\n"
	    "  --cache SECONDS      a result younger than this is shown instead of\n"
	    "                       checking again (default 600)\n"
	    "  --max-checks N       checks running at once (default 4)\n"
	    "  --rate N             checks one client may start per minute\n"
	    "                       (default 6; bursts of up to N)\n"
	    "  --scan N             /stats shows scan N (default: the latest)\n"
	    "\n"
	    "check options (see mailtls check --help): --resolver --trust-anchor\n"
	    "  --ca-file --port --timeout --ehlo --quick\n");
}

static int
parse_num(const char *opt, const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < min ||
	    v > max)
		return cmd_fail("%s %s: not a number from %lu to %lu", opt, s,
		    min, max), -1;
	*out = v;
	return 0;
}

/* parse_listen - "HOST:PORT" or "[V6]:PORT" into so->host and the port. */
static int
parse_listen(struct serve_opts *so, const char *s)
{
	const char *colon, *h = s;
	size_t hlen;
	unsigned long port;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return cmd_fail("--listen %s: expected HOST:PORT or "
			    "[IPV6]:PORT", s), -1;
		h = s + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
	} else {
		if ((colon = strrchr(s, ':')) == NULL || strchr(s, ':') != colon)
			return cmd_fail("--listen %s: expected HOST:PORT or "
			    "[IPV6]:PORT", s), -1;
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof(so->host))
		return cmd_fail("--listen %s: no host, or a host too long", s), -1;
	if (parse_num("--listen port", colon + 1, 1, 65535, &port) == -1)
		return -1;
	memcpy(so->host, h, hlen);
	so->host[hlen] = '\0';
	so->wc.listen_host = so->host;
	so->wc.listen_port = (uint16_t)port;
	return 0;
}

static const char *const with_value[] = {
	"--listen", "--cache", "--max-checks", "--rate", "--scan",
};
static const char *const shared_value[] = {
	"--resolver", "--trust-anchor", "--ca-file", "--port", "--timeout",
	"--ehlo", "--db",
};

static int
serve_option(struct serve_opts *so, const char *name, const char *v)
{
	unsigned long n;

	if (strcmp(name, "--listen") == 0)
		return parse_listen(so, v);
	if (strcmp(name, "--cache") == 0) {
		if (parse_num(name, v, 0, 30 * 86400, &n) == -1)
			return -1;
		so->wc.cache_s = (unsigned)n;
	} else if (strcmp(name, "--max-checks") == 0) {
		if (parse_num(name, v, 1, 64, &n) == -1)
			return -1;
		so->wc.max_checks = (unsigned)n;
	} else if (strcmp(name, "--rate") == 0) {
		if (parse_num(name, v, 1, 10000, &n) == -1)
			return -1;
		so->wc.rate_per_min = so->wc.rate_burst = (double)n;
	} else if (strcmp(name, "--scan") == 0) {
		if (cmd_parse_scan_id(v, &so->wc.stats_scan) == -1)
			return cmd_fail("--scan %s: not a scan id (a positive "
			    "integer)", v), -1;
	}
	return 0;
}

/* split_args - serve's own options out of argv; the rest for options_parse(). */
static int
split_args(int argc, char **argv, struct serve_opts *so, char **rest,
    int *nrest)
{
	int i, k = 0;
	size_t j;

	rest[k++] = argv[0];
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		char name[32];
		int mine = 0;

		if (strcmp(a, "--allow-private") == 0 ||
		    strcmp(a, "--allow-reserved") == 0) {
			so->wc.allow_private = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			serve_usage(stdout);
			exit(0);
		}
		eq = strchr(a, '=');
		snprintf(name, sizeof(name), "%.*s",
		    eq ? (int)(eq - a) : (int)strlen(a), a);
		for (j = 0; j < sizeof(with_value) / sizeof(*with_value); j++)
			mine |= strcmp(name, with_value[j]) == 0;
		if (mine) {
			const char *v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;

			if (v == NULL)
				return cmd_fail("%s: missing value (see --help)",
				    name), -1;
			if (serve_option(so, name, v) == -1)
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

int
cmd_serve(int argc, char **argv, const char *version)
{
	struct serve_opts so;
	struct options o;
	struct web_env env;
	char **rest, err[512], shown[CMD_URI_SHOWN_MAX];
	int nrest, rc = 2;

	memset(&so, 0, sizeof(so));
	memset(&env, 0, sizeof(env));
	so.wc.cache_s = 600;
	so.wc.max_checks = 4;
	so.wc.rate_per_min = so.wc.rate_burst = 6;
	so.wc.refresh_s = 2;
	so.wc.version = version;
	if ((rest = calloc((size_t)argc + 1, sizeof(*rest))) == NULL)
		return cmd_fail("out of memory");
	if (parse_listen(&so, SERVE_DEFAULT_LISTEN) == -1 ||
	    split_args(argc, argv, &so, rest, &nrest) == -1 ||
	    options_parse(nrest, rest, &o) == -1) {
		free(rest);
		return 2;
	}
	if (o.nargs > 0) {
		cmd_fail("serve: unexpected argument '%.64s' (see --help)",
		    o.args[0]);
		free(rest);
		return 2;
	}
	if (o.json) {
		cmd_fail("serve: --json does not apply (the JSON API is under "
		    "/api/, see docs/web.md)");
		free(rest);
		return 2;
	}
	if ((env.store = cmd_store_open(o.db ? o.db : STORE_DEFAULT_URI,
	    STORE_OPEN_WRITE, shown)) == NULL)
		goto done;
	so.wc.db_shown = shown;
	if ((env.base = event_base_new()) == NULL) {
		cmd_fail("out of memory");
		goto done;
	}
	if ((env.dns = dns_resolver_new(env.base, &o.dns, err, sizeof(err))) == NULL ||
	    (env.tls_ctx = tls_client_ctx_new(o.ca_file, err, sizeof(err))) == NULL) {
		cmd_fail("%s", err);
		goto done;
	}
	env.cfg = &o.check;
	if (web_serve(&so.wc, &env, err, sizeof(err)) == -1) {
		cmd_fail("serve: %s", err);
		goto done;
	}
	rc = 0;
done:
	store_close(env.store);
	dns_resolver_free(env.dns);
	SSL_CTX_free(env.tls_ctx);
	if (env.base != NULL)
		event_base_free(env.base);
	free(rest);
	return rc;
}
