/*
 * scan_exclude.c - the operators' opt-out list.  See scan_exclude.h.
 *
 * Names are kept in hash sets and looked up suffix by suffix (a.b.example,
 * b.example, example); networks in one set keyed by family, prefix length
 * and the masked address, looked up once per prefix length in use.
 */
#include "scan/scan_exclude.h"

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns_name.h"
#include "scan/scan_lines.h"
#include "scan/scan_set.h"
#include "util/digest.h"
#include "util/punycode.h"
#include "util/sanitize.h"

#define EXCERPT_MAX 64

struct scan_exclude {
	struct scan_set	 names;		/* "example.org": domains and MX hosts */
	struct scan_set	 mx;		/* "mx:example.org": MX hosts only */
	struct scan_set	 nets;		/* struct net_key */
	uint8_t		 v4_bits[33];	/* 1: a network of this length exists */
	uint8_t		 v6_bits[129];
	char		 why[160];
	char		**canon;	/* each distinct entry, canonical */
	size_t		 n_canon, cap_canon;
};

/* A network as a set key: family, prefix length, address with host bits 0. */
struct net_key {
	uint8_t		 family;	/* 4 or 6 */
	uint8_t		 bits;
	uint8_t		 addr[16];
};

struct scan_exclude *
scan_exclude_new(void)
{
	return calloc(1, sizeof(struct scan_exclude));
}

void
scan_exclude_free(struct scan_exclude *ex)
{
	if (ex == NULL)
		return;
	scan_set_free(&ex->names);
	scan_set_free(&ex->mx);
	scan_set_free(&ex->nets);
	while (ex->n_canon > 0)
		free(ex->canon[--ex->n_canon]);
	free(ex->canon);
	free(ex);
}

size_t
scan_exclude_count(const struct scan_exclude *ex)
{
	return ex ? ex->names.count + ex->mx.count + ex->nets.count : 0;
}

static void
net_key(struct net_key *k, int v6, const uint8_t *addr, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	memset(k, 0, sizeof(*k));
	k->family = v6 ? 6 : 4;
	k->bits = (uint8_t)bits;
	memcpy(k->addr, addr, full);
	if (rest != 0)
		k->addr[full] = (uint8_t)(addr[full] & (0xff << (8 - rest)));
}

/* remember - keep "KIND TEXT" of a new entry for scan_exclude_digest(). */
static int
remember(struct scan_exclude *ex, const char *kind, const char *text)
{
	size_t len = strlen(kind) + 1 + strlen(text) + 1;
	char *s;

	if (ex->n_canon == ex->cap_canon) {
		size_t cap = ex->cap_canon ? ex->cap_canon * 2 : 16;
		char **v = realloc(ex->canon, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		ex->canon = v;
		ex->cap_canon = cap;
	}
	if ((s = malloc(len)) == NULL)
		return -1;
	snprintf(s, len, "%s %s", kind, text);
	ex->canon[ex->n_canon++] = s;
	return 0;
}

/* is_v4_mapped - ::ffff:a.b.c.d (RFC 4291 2.5.5.2). */
static int
is_v4_mapped(const uint8_t *b)
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	return memcmp(b, prefix, sizeof(prefix)) == 0;
}

/* set_why - a reason built in ex (the caller's excerpt comes later). */
static const char *
set_why(struct scan_exclude *ex, const char *a, const char *b)
{
	snprintf(ex->why, sizeof(ex->why), "%s%s", a, b ? b : "");
	return ex->why;
}

/* add_network - "ADDR" or "ADDR/LEN". */
static int
add_network(struct scan_exclude *ex, const char *entry, const char **why)
{
	char addr_text[NETADDR_TEXT_MAX + 1];
	const char *slash = strchr(entry, '/');
	size_t alen = slash ? (size_t)(slash - entry) : strlen(entry);
	struct netaddr a;
	struct net_key k;
	unsigned bits, max;
	int v6;

	if (alen > NETADDR_TEXT_MAX) {
		*why = "not an IP address";
		return -1;
	}
	memcpy(addr_text, entry, alen);
	addr_text[alen] = '\0';
	if (netaddr_from_text(addr_text, &a) != 0) {
		*why = slash ? "not an IP address before the '/'" :
		    "not an IP address";
		return -1;
	}
	v6 = a.family == AF_INET6;
	max = v6 ? 128 : 32;
	bits = max;
	if (slash != NULL) {
		const char *p = slash + 1;

		if (*p == '\0' || strlen(p) > 3 ||
		    strspn(p, "0123456789") != strlen(p)) {
			*why = "the prefix length after '/' is not a number";
			return -1;
		}
		bits = (unsigned)atoi(p);
		if (bits > max) {
			*why = v6 ? "an IPv6 prefix length is at most 128" :
			    "an IPv4 prefix length is at most 32";
			return -1;
		}
	}
	/* An IPv4-mapped IPv6 network is the IPv4 one. */
	if (v6 && bits >= 96 && is_v4_mapped(a.bytes)) {
		memmove(a.bytes, a.bytes + 12, 4);
		bits -= 96;
		v6 = 0;
	}
	net_key(&k, v6, a.bytes, bits);
	switch (scan_set_add(&ex->nets, &k, sizeof(k), NULL)) {
	case 1: {
		char text[NETADDR_TEXT_MAX + 8];
		struct netaddr n;

		memset(&n, 0, sizeof(n));
		n.family = v6 ? AF_INET6 : AF_INET;
		memcpy(n.bytes, k.addr, sizeof(n.bytes));
		netaddr_to_text(&n, text, NETADDR_TEXT_MAX + 1);
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
		    "/%u", bits);
		if (remember(ex, "net", text) == -1) {
			*why = "out of memory";
			return -1;
		}
		break;
	}
	case 0:
		break;
	default:
		*why = "out of memory";
		return -1;
	}
	if (v6)
		ex->v6_bits[bits] = 1;
	else
		ex->v4_bits[bits] = 1;
	return 0;
}

/* add_name - a domain or host name (IDN allowed, "*." accepted) into set. */
static int
add_name(struct scan_exclude *ex, struct scan_set *set, const char *entry,
    const char **why)
{
	char ascii[DNS_NAME_MAX + 1], norm[DNS_NAME_MAX + 1], err[128];
	const char *reason = NULL;

	if (entry[0] == '*' && entry[1] == '.')
		entry += 2;	/* "*.example.org": the name and below, as ever */
	if (entry[0] == '\0') {
		*why = "no name";
		return -1;
	}
	if (idna_to_ascii(entry, ascii, sizeof(ascii), err, sizeof(err)) != 0) {
		*why = set_why(ex, err, NULL);
		return -1;
	}
	if (dns_name_normalize(ascii, norm, &reason) != 0) {
		*why = reason;
		return -1;
	}
	switch (scan_set_add(set, norm, strlen(norm), NULL)) {
	case 1:
		if (remember(ex, set == &ex->mx ? "mx" : "name", norm) == -1) {
			*why = "out of memory";
			return -1;
		}
		break;
	case 0:
		break;
	default:
		*why = "out of memory";
		return -1;
	}
	return 0;
}

static int
canon_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
scan_exclude_digest(const struct scan_exclude *ex, char hex[65])
{
	size_t n = ex != NULL ? ex->n_canon : 0;
	char **v = NULL;
	int rc;

	if (n > 0) {
		if ((v = malloc(n * sizeof(*v))) == NULL)
			return -1;
		memcpy(v, ex->canon, n * sizeof(*v));
		qsort(v, n, sizeof(*v), canon_cmp);
	}
	rc = digest_names((const char *const *)v, n, hex);
	free(v);
	return rc;
}

int
scan_exclude_add(struct scan_exclude *ex, const char *entry, const char **why)
{
	struct netaddr a;

	if (strncasecmp(entry, "mx:", 3) == 0) {
		entry += 3;
		while (scan_lines_is_blank((unsigned char)*entry))
			entry++;
		if (*entry == '\0') {
			*why = "\"mx:\" without a host name";
			return -1;
		}
		return add_name(ex, &ex->mx, entry, why);
	}
	if (strchr(entry, '/') != NULL || netaddr_from_text(entry, &a) == 0)
		return add_network(ex, entry, why);
	/* Not an address: a name.  "1.2.3.4.5" gets the name rules' reason. */
	return add_name(ex, &ex->names, entry, why);
}

int
scan_exclude_load_stream(struct scan_exclude *ex, FILE *fp, const char *name,
    FILE *err)
{
	struct scan_lines *r = malloc(sizeof(*r));
	struct scan_line line;
	size_t bad = 0;
	int rc;

	if (r == NULL) {
		if (err != NULL)
			fprintf(err, "%s: out of memory\n", name);
		return -1;
	}
	scan_lines_init(r, fp);
	while ((rc = scan_lines_next(r, &line)) == 1) {
		const char *why = line.why, *text = line.raw;
		size_t len = line.rawlen;
		char *excerpt;

		if (why == NULL) {
			if (line.len == 0)
				continue;
			text = line.text;
			len = line.len;
			if (scan_exclude_add(ex, line.text, &why) == 0)
				continue;
		}
		bad++;
		if (err == NULL)
			continue;
		excerpt = sanitize_copy(text, len, EXCERPT_MAX);
		fprintf(err, "%s:%zu: %s (\"%s\")\n", name, r->lineno, why,
		    excerpt ? excerpt : "");
		free(excerpt);
	}
	if (rc < 0) {
		if (err != NULL)
			fprintf(err, "%s: read error after line %zu: %s\n",
			    name, r->lineno, strerror(r->err));
		bad++;
	}
	free(r);
	return bad == 0 ? 0 : -1;
}

int
scan_exclude_load(struct scan_exclude *ex, const char *path, FILE *err)
{
	FILE *fp;
	int rc;

	if (strcmp(path, "-") == 0)
		return scan_exclude_load_stream(ex, stdin, "<stdin>", err);
	if ((fp = fopen(path, "r")) == NULL) {
		if (err != NULL)
			fprintf(err, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = scan_exclude_load_stream(ex, fp, path, err);
	fclose(fp);
	return rc;
}

/* name_in - 1 when name or one of its parent domains is in set. */
static int
name_in(const struct scan_set *set, const char *name)
{
	char buf[DNS_NAME_MAX + 1];
	size_t len, i;
	const char *p;

	if (set->count == 0 || name == NULL)
		return 0;
	len = strlen(name);
	if (len > 1 && name[len - 1] == '.')
		len--;
	/* Entries are at most 253 bytes: skip labels until the rest fits. */
	while (len > DNS_NAME_MAX) {
		p = memchr(name, '.', len);
		if (p == NULL)
			return 0;
		len -= (size_t)(p + 1 - name);
		name = p + 1;
	}
	for (i = 0; i < len; i++)
		buf[i] = (name[i] >= 'A' && name[i] <= 'Z') ?
		    (char)(name[i] + ('a' - 'A')) : name[i];
	buf[len] = '\0';
	for (p = buf; len > 0;) {
		const char *dot;

		if (scan_set_has(set, p, len))
			return 1;
		if ((dot = memchr(p, '.', len)) == NULL)
			break;
		len -= (size_t)(dot + 1 - p);
		p = dot + 1;
	}
	return 0;
}

int
scan_exclude_domain(const struct scan_exclude *ex, const char *name)
{
	return ex != NULL && name_in(&ex->names, name);
}

int
scan_exclude_mx_host(const struct scan_exclude *ex, const char *host)
{
	return ex != NULL && (name_in(&ex->names, host) ||
	    name_in(&ex->mx, host));
}

/* in_networks - addr (4 or 16 bytes) inside a network of that family. */
static int
in_networks(const struct scan_exclude *ex, int v6, const uint8_t *addr)
{
	const uint8_t *lens = v6 ? ex->v6_bits : ex->v4_bits;
	unsigned bits, max = v6 ? 128 : 32;
	struct net_key k;

	for (bits = 0; bits <= max; bits++) {
		if (!lens[bits])
			continue;
		net_key(&k, v6, addr, bits);
		if (scan_set_has(&ex->nets, &k, sizeof(k)))
			return 1;
	}
	return 0;
}

int
scan_exclude_address(const struct scan_exclude *ex, const struct netaddr *addr)
{
	if (ex == NULL || addr == NULL || ex->nets.count == 0)
		return 0;
	if (addr->family == AF_INET)
		return in_networks(ex, 0, addr->bytes);
	if (addr->family != AF_INET6)
		return 0;
	/* ::ffff:192.0.2.1 is 192.0.2.1, and still an IPv6 address too. */
	if (is_v4_mapped(addr->bytes) && in_networks(ex, 0, addr->bytes + 12))
		return 1;
	return in_networks(ex, 1, addr->bytes);
}
