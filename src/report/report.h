/*
 * report.h - a domain_result for people (text) and for programs (JSON).
 *
 * Both read only the result model; neither does I/O beyond writing to the
 * given stream.  The JSON schema is documented in docs/json.md and carries
 * its version in "schema"; a field is never renamed within one version.
 */
#ifndef MAILTLS_REPORT_H
#define MAILTLS_REPORT_H

#include <stdio.h>

#include "check/result.h"

#define REPORT_JSON_SCHEMA 1

struct json_t;

/* report_text - the human report of d, for a terminal or a file. */
void report_text(FILE *out, const struct domain_result *d);

/* report_json - d as a new JSON object (json_decref() it), NULL if out of memory. */
struct json_t *report_json(const struct domain_result *d);

/* report_summary - counts over all addresses of d, used by both reports. */
struct report_summary {
	size_t	hosts;
	size_t	addresses;
	size_t	starttls_ok;	/* STARTTLS + handshake done */
	size_t	no_starttls;
	size_t	tls_broken;	/* advertised but refused / failed / injection */
	size_t	inconclusive;
	size_t	not_tested;
	size_t	connections;	/* SMTP connections made: sessions + probes */
};
void report_summarize(const struct domain_result *d, struct report_summary *s);

/* report_fmt_time - "2026-11-23 09:50:00 UTC" (buf >= 32 bytes). */
void report_fmt_time(int64_t t, char *buf, size_t len, int iso8601);

#endif
