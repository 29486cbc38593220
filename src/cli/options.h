/*
 * options.h - command-line options shared by every mailtls command.
 *
 * Parsing only: values are checked here (one clear error line on bad
 * input) and handed to the engine as a struct check_config plus the
 * resolver and trust settings.
 */
#ifndef MAILTLS_OPTIONS_H
#define MAILTLS_OPTIONS_H

#include "check/check.h"
#include "dns/dns_resolver.h"

struct options {
	struct check_config	 check;
	struct dns_config	 dns;
	const char		*ca_file;
	const char		*db;		/* --db URI: save results, or NULL */
	const char		*policy_file;	/* --policy-file, or NULL */
	int			 json;
	char			**args;		/* operands after the options */
	int			 nargs;
};

/*
 * options_parse - parse argv (starting after the command name) into o.
 * Returns 0, or -1 after printing one line "mailtls: ..." to stderr.
 */
int options_parse(int argc, char **argv, struct options *o);

struct policy_list;

/*
 * options_load_policies - load o->policy_file (NULL: none, *out NULL).  0,
 * or -1 after printing one line "mailtls: --policy-file FILE: why".
 */
int options_load_policies(const struct options *o, struct policy_list **out);

/* options_usage - the help text of the command. */
void options_usage(FILE *out);

#endif
