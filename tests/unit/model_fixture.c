/*
 * model_fixture.c - see model_fixture.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_fixture.h"

char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

struct domain_result *
new_domain(const char *name)
{
	struct domain_result *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->name = xstrdup(name);
	d->port = 25;
	d->started = NOW;
	d->mx.done = 1;
	d->mx.outcome = DNS_OK;
	d->mx.dnssec = DNSSEC_SECURE;
	return d;
}

/* add_host - a host with A records (addresses come with add_server). */
struct host_result *
add_host(struct domain_result *d, const char *name, int preference)
{
	struct host_result *hosts, *h;

	hosts = realloc(d->hosts, (d->n_hosts + 1) * sizeof(*hosts));
	assert_non_null(hosts);
	d->hosts = hosts;
	h = &d->hosts[d->n_hosts++];
	memset(h, 0, sizeof(*h));
	h->name = xstrdup(name);
	h->preference = preference;
	h->a.done = 1;
	h->a.outcome = DNS_OK;
	h->a.dnssec = DNSSEC_SECURE;
	h->aaaa.done = 1;
	h->aaaa.outcome = DNS_NODATA;
	h->aaaa.dnssec = DNSSEC_SECURE;
	return h;
}

/* good_leaf - a CA-issued certificate for name, valid for another year. */
void
good_leaf(struct cert_facts *c, const char *name)
{
	char subject[300];

	memset(c, 0, sizeof(*c));
	snprintf(subject, sizeof(subject), "CN=%s", name);
	c->subject = xstrdup(subject);
	c->issuer = xstrdup("CN=Example Issuing CA,O=Example");
	c->common_name = xstrdup(name);
	assert_int_equal(strvec_push_copy(&c->dns_names, name), 0);
	c->not_before = NOW - 30 * DAY;
	c->not_after = NOW + 365 * DAY;
	c->key_type = xstrdup("EC");
	c->key_bits = 256;
	c->key_security_bits = 128;
	c->sig_alg = xstrdup("ecdsa-with-SHA256");
	memset(c->sha256, 'a', 64);
}

/* model_server - an address of h that did STARTTLS and TLS 1.3 cleanly. */
struct server_result *
model_server(struct host_result *h, const char *addr)
{
	struct server_result *s = calloc(1, sizeof(*s));
	struct tls_facts *t;

	assert_non_null(s);
	assert_int_equal(host_result_add_server(h, s), 0);

	assert_int_equal(netaddr_from_text(addr, &s->addr), 0);
	netaddr_to_text(&s->addr, s->addr_text, sizeof(s->addr_text));
	s->reserved = netaddr_reserved(&s->addr);

	s->smtp.status = SMTP_STATUS_TLS_OK;
	s->smtp.stage = SMTP_STAGE_DONE;
	s->smtp.banner_code = 220;
	s->smtp.ehlo_code = 250;
	s->smtp.starttls_code = 220;
	s->smtp.ehlo_tls_code = 250;

	t = &s->tls;
	t->handshake_ok = 1;
	t->version = xstrdup("TLSv1.3");
	t->version_code = 0x0304;
	t->cipher = xstrdup("TLS_AES_256_GCM_SHA384");
	t->cipher_bits = 256;
	t->kx = xstrdup("ECDHE");
	t->kx_group = xstrdup("X25519");
	t->kx_bits = 253;
	t->kx_security_bits = 128;
	t->forward_secret = 1;
	t->secure_renegotiation = 1;
	t->chain = calloc(1, sizeof(*t->chain));
	assert_non_null(t->chain);
	t->chain_len = 1;
	good_leaf(&t->chain[0], h->name);
	t->verify_ok = 1;
	t->matched_name = t->chain[0].dns_names.v[0];
	return s;
}
