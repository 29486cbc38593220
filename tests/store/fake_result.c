/*
 * fake_result.c - hand-built domain results.  See fake_result.h.
 *
 * Out of memory aborts: these are test fixtures, and a half-built result
 * would only make a test lie.
 */
#include "fake_result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY (24 * 60 * 60)

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		abort();
	return p;
}

static char *
xstrdup(const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = strdup(s)) == NULL)
		abort();
	return p;
}

static void
push(struct strvec *sv, const char *s)
{
	if (strvec_push_copy(sv, s) == -1)
		abort();
}

struct domain_result *
fake_domain(const char *name, int64_t now)
{
	struct domain_result *d = xcalloc(1, sizeof(*d));

	d->name = xstrdup(name);
	d->port = 25;
	d->started = now;
	d->elapsed_ms = 1234;
	d->mx.done = 1;
	d->mx.outcome = DNS_OK;
	d->mx.dnssec = DNSSEC_INSECURE;
	return d;
}

size_t
fake_host(struct domain_result *d, const char *name, int preference)
{
	struct host_result *h;

	h = realloc(d->hosts, (d->n_hosts + 1) * sizeof(*h));
	if (h == NULL)
		abort();
	d->hosts = h;
	h = &d->hosts[d->n_hosts];
	memset(h, 0, sizeof(*h));
	h->name = xstrdup(name);
	h->preference = preference;
	h->a.done = h->aaaa.done = 1;
	h->a.outcome = DNS_OK;
	h->aaaa.outcome = DNS_NODATA;
	h->a.dnssec = h->aaaa.dnssec = DNSSEC_INSECURE;
	return d->n_hosts++;
}

/* ehlo - a 250 EHLO reply as Postfix sends it, STARTTLS or not. */
static void
ehlo(struct smtp_ehlo *e, int starttls)
{
	e->greeting = xstrdup("mx.example.net");
	push(&e->lines, "PIPELINING");
	push(&e->lines, "SIZE 10240000");
	if (starttls)
		push(&e->lines, "STARTTLS");
	push(&e->lines, "8BITMIME");
	e->known = 1u << SMTP_EXT_PIPELINING | 1u << SMTP_EXT_SIZE |
	    1u << SMTP_EXT_8BITMIME | (starttls ? 1u << SMTP_EXT_STARTTLS : 0);
	e->size_limit = 10240000;
}

struct server_result *
fake_server(struct domain_result *d, size_t hi, const char *addr,
    enum smtp_status status)
{
	struct host_result *h = &d->hosts[hi];
	struct server_result *s = xcalloc(1, sizeof(*s));
	struct smtp_facts *sf = &s->smtp;

	if (netaddr_from_text(addr, &s->addr) == -1)
		abort();
	netaddr_to_text(&s->addr, s->addr_text, sizeof(s->addr_text));
	s->reserved = netaddr_reserved(&s->addr);
	if (host_result_add_server(h, s) == -1)
		abort();
	if (s->addr.family == AF_INET6) {
		h->aaaa.outcome = DNS_OK;
	}

	sf->status = status;
	sf->elapsed_ms = 321;
	sf->stage = SMTP_STAGE_DONE;
	if (status == SMTP_STATUS_NOT_TESTED) {
		sf->stage = SMTP_STAGE_CONNECT;
		return s;
	}
	if (status == SMTP_STATUS_UNREACHABLE || status == SMTP_STATUS_TIMEOUT) {
		sf->stage = SMTP_STAGE_CONNECT;
		sf->error = xstrdup(status == SMTP_STATUS_TIMEOUT ?
		    "connect: timed out after 10000 ms" : "connect: refused");
		return s;
	}
	sf->banner_code = 220;
	push(&sf->banner, "mx.example.net ESMTP Postfix");
	sf->ehlo_code = 250;
	ehlo(&sf->ehlo, status != SMTP_STATUS_NO_STARTTLS);
	switch (status) {
	case SMTP_STATUS_NO_STARTTLS:
		break;
	case SMTP_STATUS_STARTTLS_REFUSED:
		sf->starttls_code = 454;
		sf->starttls_reply = xstrdup("4.7.0 TLS not available");
		sf->error = xstrdup("STARTTLS: 454 4.7.0 TLS not available");
		break;
	case SMTP_STATUS_TLS_FAILED:
		sf->starttls_code = 220;
		sf->starttls_reply = xstrdup("2.0.0 Ready to start TLS");
		sf->stage = SMTP_STAGE_TLS;
		sf->error = xstrdup("TLS handshake: sslv3 alert handshake failure");
		s->tls.error = xstrdup("sslv3 alert handshake failure");
		break;
	case SMTP_STATUS_TEMPFAIL:
		sf->error = xstrdup("EHLO: 421 4.3.2 try again later");
		break;
	default:
		sf->starttls_code = 220;
		sf->starttls_reply = xstrdup("2.0.0 Ready to start TLS");
		sf->ehlo_tls_code = 250;
		ehlo(&sf->ehlo_tls, 0);
		break;
	}
	return s;
}

void
fake_tls(struct server_result *s, const char *host, const char *version,
    const char *cipher, const char *kx_group, int kx_bits, int64_t not_after,
    int verified, int name_matches)
{
	struct tls_facts *t = &s->tls;
	struct cert_facts *c;
	char buf[256];
	size_t i;

	t->handshake_ok = 1;
	t->version = xstrdup(version);
	t->version_code = strcmp(version, "TLSv1.3") == 0 ? 0x0304 :
	    strcmp(version, "TLSv1.2") == 0 ? 0x0303 :
	    strcmp(version, "TLSv1.1") == 0 ? 0x0302 : 0x0301;
	t->cipher = xstrdup(cipher);
	t->cipher_bits = strstr(cipher, "128") != NULL ? 128 : 256;
	if (kx_group == NULL) {
		t->kx = xstrdup("RSA");
	} else {
		t->kx = xstrdup(t->version_code == 0x0304 ? "any" :
		    strncmp(kx_group, "ffdhe", 5) == 0 || strcmp(kx_group,
		    "DH") == 0 ? "DHE" : "ECDHE");
		t->kx_group = xstrdup(kx_group);
		t->kx_bits = kx_bits;
		t->kx_security_bits = kx_bits >= 2048 || kx_bits < 1000 ? 128 : 80;
		t->forward_secret = 1;
	}
	t->sig_digest = xstrdup("SHA256");
	t->secure_renegotiation = t->version_code < 0x0304;
	if (t->kx_security_bits > 0 && t->kx_security_bits < 112)
		push(&t->modern_refusals, "dh key too small");
	if (t->version_code < 0x0303)
		push(&t->modern_refusals, "protocol version below TLS 1.2");

	t->chain = c = xcalloc(1, sizeof(*c));
	t->chain_len = 1;
	snprintf(buf, sizeof(buf), "CN=%s", host);
	c->subject = xstrdup(buf);
	c->issuer = xstrdup("CN=Fake Issuing CA,O=Example");
	c->common_name = xstrdup(host);
	push(&c->dns_names, host);
	c->not_before = not_after - 90 * DAY;
	c->not_after = not_after;
	c->key_type = xstrdup("RSA");
	c->key_bits = 2048;
	c->key_security_bits = 112;
	c->sig_alg = xstrdup("sha256WithRSAEncryption");
	/* A fingerprint that differs per address and host. */
	snprintf(buf, sizeof(buf), "%s/%s", s->addr_text, host);
	for (i = 0; i < 64; i++)
		c->sha256[i] = "0123456789abcdef"[(buf[i % strlen(buf)] + i * 7) % 16];
	c->sha256[64] = '\0';
	t->verify_ok = verified;
	if (!verified)
		t->verify_error = xstrdup("unable to get local issuer certificate");
	t->matched_name = name_matches ? c->dns_names.v[0] : NULL;
}

void
fake_probe(struct server_result *s, const char *answers, int dh_bits)
{
	/* Two suites a version could accept, by version (IANA codes). */
	static const uint32_t codes[PROBE_VERSION_COUNT][2] = {
		{ 0x010080, 0x0700c0 },		/* SSLv2 kinds */
		{ 0x000a, 0x0005 },
		{ 0xc014, 0x002f },
		{ 0xc014, 0x002f },
		{ 0xc030, 0xc02f },
		{ 0x1302, 0x1301 },
	};
	struct probe_result *p = &s->probe;
	int v, k;

	p->done = 1;
	for (v = 0; v < PROBE_VERSION_COUNT; v++) {
		struct probe_version_result *pv = &p->versions[v];

		pv->supported = answers[v] == 'y' ? PROBE_YES :
		    answers[v] == 'n' ? PROBE_NO : PROBE_UNKNOWN;
		pv->complete = 1;
		if (pv->supported != PROBE_YES)
			continue;
		pv->suites = xcalloc(2, sizeof(*pv->suites));
		pv->n_suites = 2;
		for (k = 0; k < 2; k++) {
			pv->suites[k].code = codes[v][k];
			if (v >= PROBE_TLS10 && codes[v][k] >= 0xc000) {
				pv->suites[k].kx_bits = 253;
				snprintf(pv->suites[k].kx_group,
				    sizeof(pv->suites[k].kx_group), "x25519");
			}
		}
	}
	p->server_order = PROBE_YES;
	p->dh_bits = dh_bits;
	p->secure_renegotiation = PROBE_YES;
	p->compression = PROBE_NO;
	p->extended_master_secret = PROBE_YES;
	p->ocsp_stapling = PROBE_NO;
	p->fallback_scsv = PROBE_YES;
	p->connections = 12;
	p->elapsed_ms = 900;
}

/*
 * The facts of address k (0..2) of provider p: a function of the address
 * alone, as they would be when the scan engine assesses each address once.
 */
static void
provider_server(struct domain_result *d, size_t hi, unsigned p, unsigned k,
    int64_t now)
{
	static const char *const ciphers13[] = { "TLS_AES_256_GCM_SHA384",
	    "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256" };
	enum smtp_status status = SMTP_STATUS_TLS_OK;
	struct server_result *s;
	char addr[64];
	unsigned v = p % 10;

	if (k < 2)
		snprintf(addr, sizeof(addr), "5.%u.%u.%u", p / 256 % 256, p % 256,
		    k + 1);
	else
		snprintf(addr, sizeof(addr), "2a01:4f8:%x::25", p);
	if (p % 13 == 5)
		status = SMTP_STATUS_NO_STARTTLS;
	else if (p % 31 == 3 && k == 1)
		status = SMTP_STATUS_TLS_FAILED;
	else if (p % 29 == 11 && k == 2)
		status = SMTP_STATUS_TIMEOUT;
	s = fake_server(d, hi, addr, status);
	if (status != SMTP_STATUS_TLS_OK)
		return;
	/* 4 providers in 5 are enumerated too (the rest: as with --quick). */
	if (v < 6) {
		fake_tls(s, d->hosts[hi].name, "TLSv1.3", ciphers13[p % 3],
		    p % 2 ? "X25519" : "secp256r1", 253, now +
		    ((int64_t)(p % 400) - 20) * DAY, p % 7 != 0, p % 11 != 0);
		if (p % 5 != 0)
			fake_probe(s, "nnnnyy", 0);
	} else if (v < 9) {
		fake_tls(s, d->hosts[hi].name, "TLSv1.2", v == 8 ? "AES256-SHA" :
		    "ECDHE-RSA-AES256-GCM-SHA384", v == 8 ? NULL : "X25519", 253,
		    now + ((int64_t)(p % 300) + 5) * DAY, p % 5 != 0, 1);
		if (p % 5 != 0)
			fake_probe(s, "nnyyyn", 0);
	} else {
		fake_tls(s, d->hosts[hi].name, "TLSv1", "DHE-RSA-AES128-SHA", "DH",
		    1024, now + ((int64_t)(p % 200) - 50) * DAY, 0, p % 3 != 0);
		if (p % 5 != 0)
			fake_probe(s, "nyyy?n", 1024);
	}
}

struct domain_result *
fake_realistic(const char *name, unsigned i, unsigned n_providers,
    int64_t now)
{
	struct domain_result *d = fake_domain(name, now);
	unsigned p = i % n_providers;
	char host[128];
	size_t h;

	d->elapsed_ms = 200 + i % 5000;
	if (i % 10 == 0)
		d->mx.dnssec = DNSSEC_SECURE;
	switch (i % 100) {
	case 1:		/* null MX: takes no mail */
		d->null_mx = 1;
		break;
	case 2:		/* does not exist */
		d->mx.outcome = DNS_NXDOMAIN;
		break;
	case 3:		/* no MX: the domain's own address */
		d->implicit_mx = 1;
		d->mx.outcome = DNS_NODATA;
		h = fake_host(d, name, -1);
		provider_server(d, h, p, 0, now);
		break;
	default:
		snprintf(host, sizeof(host), "mx1.provider%u.example", p);
		h = fake_host(d, host, 10);
		provider_server(d, h, p, 0, now);
		provider_server(d, h, p, 1, now);
		snprintf(host, sizeof(host), "mx2.provider%u.example", p);
		h = fake_host(d, host, 20);
		/* Many secondary MX names are aliases of the provider's. */
		if (p % 4 != 0) {
			snprintf(host, sizeof(host), "in.provider%u.example", p);
			d->hosts[h].a.canonname = xstrdup(host);
		}
		provider_server(d, h, p, 2, now);
		break;
	}
	findings_derive(d, now);
	grade_derive(d);
	return d;
}
