/*
 * model_fixture.h - hand-built result models (check/result.h) for the unit
 * tests of the modules that judge them (findings, grades): a domain, its MX
 * hosts, and addresses that did STARTTLS and TLS 1.3 cleanly with a trusted
 * certificate naming the host.  Tests change the one fact they are about.
 * Every string is heap-allocated: domain_result_free() frees the model.
 * Failures are cmocka assertions.
 */
#ifndef MAILTLS_TEST_MODEL_FIXTURE_H
#define MAILTLS_TEST_MODEL_FIXTURE_H

#include <stdint.h>

#include "check/result.h"

#define NOW	((int64_t)1750000000)	/* 2025-06-15: the models' clock */
#define DAY	((int64_t)24 * 60 * 60)

char *xstrdup(const char *s);

/* new_domain - name, port 25, checked at NOW, MX lookup ok and secure. */
struct domain_result *new_domain(const char *name);

/* add_host - a host with A records (addresses come with model_server). */
struct host_result *add_host(struct domain_result *d, const char *name,
    int preference);

/* good_leaf - a CA-issued EC certificate for name, valid for another year. */
void good_leaf(struct cert_facts *c, const char *name);

/* model_server - an address of h that did STARTTLS and TLS 1.3 cleanly. */
struct server_result *model_server(struct host_result *h, const char *addr);

#endif
