/*
 * options.c - option parsing and validation.  See options.h.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"
#include "dns/dns_name.h"
#include "mtasts/policy_list.h"

enum {
	OPT_JSON = 256,
	OPT_RESOLVER,
	OPT_TRUST_ANCHOR,
	OPT_CA_FILE,
	OPT_PORT,
	OPT_TIMEOUT,
	OPT_EHLO,
	OPT_QUICK,
	OPT_DB,
	OPT_POLICY_FILE,
	OPT_HELP,
};

static const struct option long_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "resolver", required_argument, NULL, OPT_RESOLVER },
	{ "trust-anchor", required_argument, NULL, OPT_TRUST_ANCHOR },
	{ "ca-file", required_argument, NULL, OPT_CA_FILE },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "ehlo", required_argument, NULL, OPT_EHLO },
	{ "quick", no_argument, NULL, OPT_QUICK },
	{ "db", required_argument, NULL, OPT_DB },
	{ "policy-file", required_argument, NULL, OPT_POLICY_FILE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

void
options_usage(FILE *out)
{
	fprintf(out,
	    "usage: mailtls check [options] DOMAIN...\n"
	    "\n"
	    "Checks how well mail to DOMAIN is protected in transit: MX and\n"
	    "DNSSEC, every mail server address, SMTP, STARTTLS, TLS and the\n"
	    "certificate.\n"
	    "\n"
	    "options:\n"
	    "  --json               machine-readable output (docs/json.md)\n"
	    "  --resolver IP[@PORT] send DNS queries there, not to /etc/resolv.conf\n"
	    "                       (DNSSEC is still validated by mailtls)\n"
	    "  --trust-anchor FILE  DNSSEC trust anchor (DS or DNSKEY records)\n"
	    "                       instead of the root key\n"
	    "  --ca-file FILE       trust store for certificate verification\n"
	    "  --port N             SMTP port instead of 25\n"
	    "  --timeout SECONDS    limit for each step (connect, each reply, the\n"
	    "                       TLS handshake, each DNS lookup); default 10/30\n"
	    "  --ehlo NAME          the name mailtls gives in EHLO\n"
	    "  --quick              one TLS handshake per address; skip the\n"
	    "                       enumeration of protocols, suites and groups\n"
	    "  --db URI             also save the results, as one scan, in the\n"
	    "                       results database: a file, sqlite:PATH or\n"
	    "                       postgresql://... (docs/store.md)\n"
	    "  --policy-file FILE   a list of domains that require TLS (the\n"
	    "                       STARTTLS Everywhere JSON format): for those\n"
	    "                       in mode enforce, missing STARTTLS is\n"
	    "                       reported as possible stripping on the path\n"
	    "\n"
	    "exit status: 0 every mail server has working STARTTLS (or the domain\n"
	    "takes no mail); 1 a mail server was reached and has no working\n"
	    "STARTTLS; 2 usage error, the domain could not be resolved, or --db\n"
	    "could not save; 3 inconclusive (some server could not be assessed;\n"
	    "try later)\n");
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* fail - one error line on stderr; -1 for the caller to return. */
static int
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mailtls: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return -1;
}

static int
parse_port(const char *s, uint16_t *port)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int
parse_timeout_ms(const char *s, unsigned *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || !(v >= 0.05 && v <= 3600))
		return -1;
	*ms = (unsigned)(v * 1000 + 0.5);
	return 0;
}

static int
readable(const char *path)
{
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return 0;
	fclose(f);
	return 1;
}

int
options_parse(int argc, char **argv, struct options *o)
{
	char ehlo[DNS_NAME_MAX + 1];
	static char ehlo_name[DNS_NAME_MAX + 1];
	const char *why;
	unsigned ms;
	int c;

	memset(o, 0, sizeof(*o));
	check_config_defaults(&o->check);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_RESOLVER:
			o->dns.forwarder = optarg;
			break;
		case OPT_TRUST_ANCHOR:
			if (!readable(optarg))
				return fail("--trust-anchor %s: cannot read the file",
				    optarg);
			o->dns.trust_anchor = optarg;
			break;
		case OPT_CA_FILE:
			if (!readable(optarg))
				return fail("--ca-file %s: cannot read the file",
				    optarg);
			o->ca_file = optarg;
			break;
		case OPT_PORT:
			if (parse_port(optarg, &o->check.port) == -1)
				return fail("--port %s: not a port number (1-65535)",
				    optarg);
			break;
		case OPT_TIMEOUT:
			if (parse_timeout_ms(optarg, &ms) == -1)
				return fail("--timeout %s: not a number of seconds "
				    "(0.05 to 3600)", optarg);
			o->check.dns_timeout_ms = o->check.connect_timeout_ms =
			    o->check.reply_timeout_ms = o->check.tls_timeout_ms = ms;
			break;
		case OPT_EHLO:
			if (dns_name_normalize(optarg, ehlo, &why) == -1)
				return fail("--ehlo %s: %s", optarg, why);
			memcpy(ehlo_name, ehlo, sizeof(ehlo_name));
			o->check.ehlo_name = ehlo_name;
			break;
		case OPT_QUICK:
			o->check.enumerate = 0;
			break;
		case OPT_DB:
			if (optarg[0] == '\0')
				return fail("--db: no database given");
			o->db = optarg;
			break;
		case OPT_POLICY_FILE:
			if (!readable(optarg))
				return fail("--policy-file %s: cannot read the file",
				    optarg);
			o->policy_file = optarg;
			break;
		case 'h':
		case OPT_HELP:
			options_usage(stdout);
			exit(0);
		default:
			if (optopt != 0 && optopt < OPT_JSON)
				return fail("-%c: unknown option (see --help)", optopt);
			return fail("%s: unknown option or missing value "
			    "(see --help)", argv[optind - 1]);
		}
	}
	o->check.ca_file = o->ca_file;
	o->args = argv + optind;
	o->nargs = argc - optind;
	return 0;
}

int
options_load_policies(const struct options *o, struct policy_list **out)
{
	char err[256];

	*out = NULL;
	if (o->policy_file == NULL)
		return 0;
	if (policy_list_load(o->policy_file, out, err, sizeof(err)) == -1)
		return fail("--policy-file %s: %s", o->policy_file, err);
	return 0;
}
