/*
 * report_auth.h - the authentication part of both reports: DNSSEC, DANE,
 * MTA-STS, TLS-RPT and the verdicts ("senders that support DANE will not
 * deliver, because ...").  Internal to src/report: report_text.c and
 * report_json.c call these for their sections.
 */
#ifndef MAILTLS_REPORT_AUTH_H
#define MAILTLS_REPORT_AUTH_H

#include <stdio.h>

#include "check/result.h"

struct json_t;

/* The domain's sections, in the text report (after DNS). */
void report_auth_text(FILE *out, const struct domain_result *d);

/* One address's DANE and MTA-STS lines, in its text section. */
void report_auth_text_address(FILE *out, const struct host_result *h,
    size_t i);

/* JSON: the domain's "authentication" object. */
struct json_t *report_auth_json(const struct domain_result *d);

/* JSON: a host's "dane" object (null when DANE was not checked). */
struct json_t *report_dane_host_json(const struct host_result *h);

/* JSON: an address's "authentication" object ("dane", "mta_sts"). */
struct json_t *report_auth_address_json(const struct host_result *h, size_t i);

#endif
