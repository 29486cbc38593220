/*
 * store.c - the store's front: picks the backend from the URI, keeps the
 * batch, flattens results into rows and holds the code both backends
 * share (name sets, verdicts, error lines).  See store.h.
 *
 * Batches live here, not in the backends: a result is flattened into rows
 * the moment it is saved (so the caller can free it), and the backend
 * writes the whole batch in one short transaction at commit.  Keeping the
 * transaction short matters for SQLite (one writer at a time: a batch held
 * open for T seconds would block every other writer that long) and lets
 * the PostgreSQL backend retry a batch that lost a deadlock.
 */
#include "store/store_backend.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/digest.h"

/* Strings of one batch: bump-allocated in blocks, freed together. */
struct arena_block {
	struct arena_block	*next;
	size_t			 used;
	size_t			 size;
	char			 data[];
};

#define ARENA_BLOCK (256 * 1024)

struct store {
	const struct store_ops	*ops;
	void			*impl;
	char			 err[STORE_ERR_MAX];
	int			 in_batch;
	struct store_batch	 batch;
	size_t			 cap_domains, cap_servers, cap_links, cap_findings;
	struct arena_block	*arena;
	int			 exporting;
};

/* ---- errors and small helpers ---- */

int
store_set_error(struct store *st, const char *fmt, ...)
{
	va_list ap;
	char *p, *q;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	/*
	 * One line, always: libpq's messages span lines ("...failed:
	 * Connection refused\n\tIs the server running...").  Runs of white
	 * space become one blank; none is left at the end.
	 */
	for (p = q = st->err; *p != '\0'; p++) {
		int blank = *p == '\n' || *p == '\r' || *p == '\t' || *p == ' ';

		if (blank && (q == st->err || q[-1] == ' '))
			continue;
		*q++ = blank ? ' ' : *p;
	}
	while (q > st->err && q[-1] == ' ')
		q--;
	*q = '\0';
	return -1;
}

const char *
store_error(const struct store *st)
{
	return st->err;
}

const char *
store_backend(const struct store *st)
{
	return st->ops->name;
}

void *
store_impl(const struct store *st)
{
	return st->impl;
}

int
store_counts_add(struct store_counts *c, const char *name, uint64_t n)
{
	struct store_count *v;
	char *copy;

	if ((copy = strdup(name != NULL ? name : "")) == NULL)
		return -1;
	if ((v = realloc(c->v, (c->n + 1) * sizeof(*v))) == NULL) {
		free(copy);
		return -1;
	}
	c->v = v;
	c->v[c->n].name = copy;
	c->v[c->n].n = n;
	c->n++;
	return 0;
}

enum grade_letter
store_grade_letter(const char *name)
{
	int l;

	for (l = GRADE_NONE + 1; name != NULL && l < GRADE_LETTER_COUNT; l++)
		if (strcmp(name, grade_letter_name((enum grade_letter)l)) == 0)
			return (enum grade_letter)l;
	return GRADE_NONE;
}

static void
counts_clear(struct store_counts *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].name);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* ---- URIs ---- */

static int
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int
is_pg_uri(const char *uri)
{
	return has_prefix(uri, "postgresql://") || has_prefix(uri, "postgres://");
}

/*
 * A URI scheme we do not know ("mysql://x") must not silently become a
 * SQLite file of that name; a path with a colon ("./a:b.db") still may.
 */
static int
looks_like_other_scheme(const char *uri)
{
	const char *p = uri;

	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return p != uri && strncmp(p, "://", 3) == 0;
}

void
store_uri_redact(const char *uri, char *buf, size_t len)
{
	const char *at, *colon, *start, *pw;
	size_t n;

	if (len == 0)
		return;
	snprintf(buf, len, "%s", uri);
	if (!is_pg_uri(uri))
		return;
	/* postgresql://user:password@host/... */
	start = strstr(uri, "://") + 3;
	at = strchr(start, '@');
	colon = strchr(start, ':');
	if (at != NULL && colon != NULL && colon < at &&
	    strcspn(start, "/?") > (size_t)(at - start)) {
		n = (size_t)(colon - uri) + 1;
		snprintf(buf, len, "%.*s***%s", (int)n, uri, at);
	}
	/* ...?password=secret&... */
	if ((pw = strstr(buf, "password=")) != NULL) {
		char tail[1024];
		const char *end = pw + strlen("password=");

		end += strcspn(end, "&");
		snprintf(tail, sizeof(tail), "%s", end);
		n = (size_t)(pw - buf) + strlen("password=");
		if (n < len)
			snprintf(buf + n, len - n, "***%s", tail);
	}
}

struct store *
store_open(const char *uri, enum store_open_mode mode, char *err,
    size_t errlen)
{
	struct store *st;
	const char *target = uri;

	if (uri == NULL || uri[0] == '\0') {
		snprintf(err, errlen, "no database given");
		return NULL;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (is_pg_uri(uri)) {
		st->ops = &store_pg_ops;
	} else if (has_prefix(uri, "sqlite:")) {
		st->ops = &store_sqlite_ops;
		target = uri + strlen("sqlite:");
		/* sqlite:///abs/path and sqlite://rel as people write them */
		if (has_prefix(target, "//"))
			target += 2;
	} else if (looks_like_other_scheme(uri)) {
		snprintf(err, errlen, "unsupported database URI (use a file path, "
		    "sqlite:PATH or postgresql://...)");
		free(st);
		return NULL;
	} else {
		st->ops = &store_sqlite_ops;
	}
	if (target[0] == '\0') {
		snprintf(err, errlen, "no database file name given");
		free(st);
		return NULL;
	}
	if (st->ops->open(st, target, mode, &st->impl) == -1) {
		snprintf(err, errlen, "%s", st->err);
		free(st);
		return NULL;
	}
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	store_rollback(st);
	free(st->batch.domains);
	free(st->batch.servers);
	free(st->batch.links);
	free(st->batch.findings);
	st->ops->close(st->impl);
	free(st);
}

/* ---- scans ---- */

static int nameset_add_cb(void *arg, const char *name);

/*
 * exporting - an export streams rows over the connection (PostgreSQL's
 * single-row mode): no other statement may go out until it is closed.
 */
static int
exporting(struct store *st)
{
	if (!st->exporting)
		return 0;
	store_set_error(st, "an export is in progress");
	return 1;
}

int
store_scan_begin(struct store *st, const struct store_scan_params *p,
    struct store_resume *out)
{
	memset(out, 0, sizeof(*out));
	if (exporting(st))
		return -1;
	if (p->input_path == NULL || p->input_sha256 == NULL ||
	    p->options == NULL || p->version == NULL)
		return store_set_error(st, "scan identity incomplete");
	if (st->ops->scan_begin(st, p, &out->scan_id, &out->resumed) == -1)
		return -1;
	if ((out->done = store_nameset_new()) == NULL)
		return store_set_error(st, "out of memory");
	if (out->resumed && st->ops->scan_done_foreach(st, out->scan_id,
	    nameset_add_cb, out->done) == -1) {
		store_nameset_free(out->done);
		out->done = NULL;
		return -1;
	}
	return 0;
}

int
store_scan_done_foreach(struct store *st, int64_t scan_id,
    int (*cb)(void *arg, const char *domain), void *arg)
{
	if (exporting(st))
		return -1;
	return st->ops->scan_done_foreach(st, scan_id, cb, arg);
}

int
store_scan_finish(struct store *st, int64_t scan_id, int64_t now)
{
	if (exporting(st))
		return -1;
	return st->ops->scan_finish(st, scan_id, now);
}

int
store_scan_get(struct store *st, int64_t scan_id, struct store_scan_info *out)
{
	memset(out, 0, sizeof(*out));
	if (exporting(st))
		return -1;
	return st->ops->scan_get(st, scan_id, out);
}

int
store_digest_names(const char *const *names, size_t n,
    char hex[STORE_SHA256_HEX])
{
	return digest_names(names, n, hex);
}

void
store_scan_info_clear(struct store_scan_info *si)
{
	free(si->input_path);
	free(si->input_sha256);
	free(si->options);
	free(si->version);
	memset(si, 0, sizeof(*si));
}

/* ---- name sets ---- */

/*
 * Open addressing over 32-bit offsets into one string arena: about 8 bytes
 * of table plus the name itself per entry, so ten million done domains
 * cost ~300 MB at worst and a lookup is one hash and usually one compare.
 */
struct ns_slot {
	uint32_t	hash;
	uint32_t	off;	/* offset + 1 in names; 0 = empty */
};

struct store_nameset {
	struct ns_slot	*slots;
	size_t		 mask;
	size_t		 n;
	char		*names;
	size_t		 names_len;
	size_t		 names_cap;
};

/* ns_hash - FNV-1a with a final mix: names share long suffixes (".com"). */
static uint64_t
ns_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

struct store_nameset *
store_nameset_new(void)
{
	struct store_nameset *ns;

	if ((ns = calloc(1, sizeof(*ns))) == NULL)
		return NULL;
	if ((ns->slots = calloc(1024, sizeof(*ns->slots))) == NULL) {
		free(ns);
		return NULL;
	}
	ns->mask = 1023;
	return ns;
}

void
store_nameset_free(struct store_nameset *ns)
{
	if (ns == NULL)
		return;
	free(ns->slots);
	free(ns->names);
	free(ns);
}

size_t
store_nameset_count(const struct store_nameset *ns)
{
	return ns->n;
}

/* ns_find - the slot holding name, or the empty slot where it belongs. */
static struct ns_slot *
ns_find(const struct store_nameset *ns, const char *name, uint64_t h)
{
	size_t i = (size_t)h & ns->mask;
	uint32_t tag = (uint32_t)(h >> 32);

	for (;; i = (i + 1) & ns->mask) {
		struct ns_slot *s = &ns->slots[i];

		if (s->off == 0)
			return s;
		if (s->hash == tag && strcmp(ns->names + s->off - 1, name) == 0)
			return s;
	}
}

static int
nameset_add_cb(void *arg, const char *name)
{
	return store_nameset_add(arg, name);
}

int
store_nameset_has(const struct store_nameset *ns, const char *name)
{
	return ns_find(ns, name, ns_hash(name))->off != 0;
}

/* ns_grow - double the table, keeping the load under 3/4. */
static int
ns_grow(struct store_nameset *ns)
{
	struct ns_slot *old = ns->slots;
	size_t old_n = ns->mask + 1, i;

	if ((ns->slots = calloc(old_n * 2, sizeof(*ns->slots))) == NULL) {
		ns->slots = old;
		return -1;
	}
	ns->mask = old_n * 2 - 1;
	for (i = 0; i < old_n; i++) {
		if (old[i].off != 0) {
			const char *name = ns->names + old[i].off - 1;

			*ns_find(ns, name, ns_hash(name)) = old[i];
		}
	}
	free(old);
	return 0;
}

int
store_nameset_add(struct store_nameset *ns, const char *name)
{
	uint64_t h = ns_hash(name);
	struct ns_slot *s = ns_find(ns, name, h);
	size_t len = strlen(name) + 1;

	if (s->off != 0)
		return 0;
	if (ns->names_len + len > UINT32_MAX - 1)
		return -1;	/* 4 GB of names: far beyond any domain list */
	if (ns->names_len + len > ns->names_cap) {
		size_t cap = ns->names_cap ? ns->names_cap * 2 : 64 * 1024;
		char *p;

		while (cap < ns->names_len + len)
			cap *= 2;
		if ((p = realloc(ns->names, cap)) == NULL)
			return -1;
		ns->names = p;
		ns->names_cap = cap;
	}
	memcpy(ns->names + ns->names_len, name, len);
	s->hash = (uint32_t)(h >> 32);
	s->off = (uint32_t)ns->names_len + 1;
	ns->names_len += len;
	ns->n++;
	if (ns->n * 4 > (ns->mask + 1) * 3 && ns_grow(ns) == -1)
		return -1;
	return 0;
}

/* ---- verdicts ---- */

static const char *const verdict_names[] = {
	[STORE_VERDICT_OK] = "ok",
	[STORE_VERDICT_TLS_FAILURE] = "tls-failure",
	[STORE_VERDICT_DNS_FAILURE] = "dns-failure",
	[STORE_VERDICT_INCONCLUSIVE] = "inconclusive",
};
_Static_assert(sizeof(verdict_names) / sizeof(verdict_names[0]) ==
    STORE_VERDICT_COUNT, "one name per verdict");

static const char *const class_names[] = {
	[STORE_CLASS_STARTTLS_OK] = "starttls-ok",
	[STORE_CLASS_NO_STARTTLS] = "no-starttls",
	[STORE_CLASS_BROKEN] = "starttls-broken",
	[STORE_CLASS_INCONCLUSIVE] = "inconclusive",
	[STORE_CLASS_NOT_TESTED] = "not-tested",
};
_Static_assert(sizeof(class_names) / sizeof(class_names[0]) ==
    STORE_CLASS_COUNT, "one name per class");

const char *
store_verdict_name(enum store_verdict v)
{
	return v < STORE_VERDICT_COUNT ? verdict_names[v] : "?";
}

const char *
store_class_name(enum store_class c)
{
	return c < STORE_CLASS_COUNT ? class_names[c] : "?";
}

enum store_verdict
store_verdict_of(const struct domain_result *d)
{
	struct report_summary sum;

	/* The same order as domain_status() in cli/main.c. */
	if (d->null_mx)
		return STORE_VERDICT_OK;
	if (findings_has(&d->findings, F_DOMAIN_NXDOMAIN) ||
	    findings_has(&d->findings, F_DOMAIN_DNS_FAILURE) ||
	    findings_has(&d->findings, F_DOMAIN_DNS_TIMEOUT) ||
	    findings_has(&d->findings, F_DNSSEC_BOGUS) ||
	    findings_has(&d->findings, F_NO_MX_HOSTS) || d->n_hosts == 0)
		return STORE_VERDICT_DNS_FAILURE;
	report_summarize(d, &sum);
	if (sum.no_starttls > 0 || sum.tls_broken > 0)
		return STORE_VERDICT_TLS_FAILURE;
	if (sum.inconclusive > 0 || sum.not_tested > 0)
		return STORE_VERDICT_INCONCLUSIVE;
	return STORE_VERDICT_OK;
}

enum store_class
store_class_of(const struct server_result *s)
{
	enum smtp_status st = s->smtp.status;

	/* The buckets of report_summarize(), per address. */
	if (st == SMTP_STATUS_TLS_OK)
		return STORE_CLASS_STARTTLS_OK;
	if (st == SMTP_STATUS_NO_STARTTLS)
		return STORE_CLASS_NO_STARTTLS;
	if (st == SMTP_STATUS_NOT_TESTED)
		return STORE_CLASS_NOT_TESTED;
	if (smtp_status_conclusive(st))
		return STORE_CLASS_BROKEN;
	return STORE_CLASS_INCONCLUSIVE;
}

/* ---- batches ---- */

static void
arena_free(struct arena_block *a)
{
	while (a != NULL) {
		struct arena_block *next = a->next;

		free(a);
		a = next;
	}
}

/* keep - a batch-owned copy of s (NULL stays NULL); NULL + *oom if out of memory. */
static const char *
keep(struct store *st, const char *s, int *oom)
{
	struct arena_block *b = st->arena;
	size_t len;
	char *p;

	if (s == NULL)
		return NULL;
	len = strlen(s) + 1;
	if (b == NULL || b->size - b->used < len) {
		size_t size = len > ARENA_BLOCK ? len : ARENA_BLOCK;

		if ((b = malloc(sizeof(*b) + size)) == NULL) {
			*oom = 1;
			return NULL;
		}
		b->size = size;
		b->used = 0;
		b->next = st->arena;
		st->arena = b;
	}
	p = b->data + b->used;
	memcpy(p, s, len);
	b->used += len;
	return p;
}

/* grow - make room for one more element of a batch vector. */
static int
grow(void **v, size_t *cap, size_t n, size_t elem)
{
	void *p;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 256;
	if ((p = realloc(*v, ncap * elem)) == NULL)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

static void
batch_reset(struct store *st)
{
	struct store_batch *b = &st->batch;

	arena_free(st->arena);
	st->arena = NULL;
	free(b->server_order);
	free(b->domain_order);
	b->server_order = b->domain_order = NULL;
	b->n_domains = b->n_servers = b->n_links = b->n_findings = 0;
	b->n_server_order = b->n_domain_order = 0;
}

int
store_begin(struct store *st)
{
	if (st->in_batch)
		return store_set_error(st, "a batch is already open");
	if (exporting(st))
		return -1;
	batch_reset(st);
	st->in_batch = 1;
	return 0;
}

size_t
store_batch_size(const struct store *st)
{
	return st->in_batch ? st->batch.n_domains : 0;
}

void
store_rollback(struct store *st)
{
	batch_reset(st);
	st->in_batch = 0;
}

static int
add_findings(struct store *st, const struct findings *f, long server,
    const char *mx_host, int *oom)
{
	struct store_batch *b = &st->batch;
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct finding_kind *k = finding_kind(f->v[i].id);
		struct store_row_finding *r;

		if (grow((void **)&b->findings, &st->cap_findings, b->n_findings,
		    sizeof(*b->findings)) == -1)
			return -1;
		r = &b->findings[b->n_findings++];
		r->server = server;
		r->mx_host = mx_host;
		r->id = k->id;		/* static table: no copy needed */
		r->severity = (int)k->severity;
		r->detail = keep(st, f->v[i].detail, oom);
	}
	return 0;
}

/* add_server - one address as a server row; its index in servers[]. */
static long
add_server(struct store *st, int64_t scan_id, uint16_t port,
    const struct server_result *s, const struct address_view *view, int *oom)
{
	struct store_batch *b = &st->batch;
	const struct tls_facts *t = &s->tls;
	struct store_row_server *r;

	if (grow((void **)&b->servers, &st->cap_servers, b->n_servers,
	    sizeof(*b->servers)) == -1)
		return -1;
	r = &b->servers[b->n_servers];
	memset(r, 0, sizeof(*r));
	r->scan_id = scan_id;
	r->address = keep(st, s->addr_text, oom);
	r->port = port;
	r->family = s->addr.family == AF_INET ? "ipv4" : "ipv6";
	r->reserved = keep(st, s->reserved, oom);
	r->smtp_status = smtp_status_name(s->smtp.status);
	r->class = store_class_of(s);
	r->starttls_offered = s->smtp.ehlo_code == 250 &&
	    smtp_ehlo_has(&s->smtp.ehlo, SMTP_EXT_STARTTLS);
	r->elapsed_ms = s->smtp.elapsed_ms;
	if (t->handshake_ok) {
		r->tls = 1;
		r->tls_version = keep(st, t->version, oom);
		r->tls_version_code = t->version_code;
		r->cipher = keep(st, t->cipher, oom);
		r->cipher_bits = t->cipher_bits;
		r->kx = keep(st, t->kx, oom);
		r->kx_group = keep(st, t->kx_group, oom);
		r->kx_bits = t->kx_bits;
		r->forward_secrecy = t->forward_secret != 0;
		r->cert_verified = t->verify_ok != 0;
		r->cert_verify_error = keep(st, t->verify_error, oom);
		r->modern_refusals = (unsigned)t->modern_refusals.n;
		if (t->chain_len > 0) {
			r->cert = 1;
			r->cert_sha256 = keep(st, t->chain[0].sha256, oom);
			r->cert_not_after = t->chain[0].not_after;
		}
	}
	if (s->probe.done) {
		const struct probe_result *p = &s->probe;
		int v, n = 0;

		r->enumerated = 1;
		for (v = 0; v < PROBE_VERSION_COUNT; v++) {
			r->protocol[v] = probe_answer_name(p->versions[v].supported);
			n += (int)p->versions[v].n_suites;
		}
		r->suites = n;
		r->dh_min_bits = p->dh_bits;
	}
	/* grade_letter_name() is static text: no copy needed. */
	r->grade = grade_letter_name(view->grade.letter);
	r->score = r->grade != NULL ? view->grade.encryption : -1;
	return (long)b->n_servers++;
}

/* render_report - the report JSON as `check --json` prints it for many domains. */
static char *
render_report(const struct domain_result *d)
{
	json_t *j = report_json(d);
	char *s;

	if (j == NULL)
		return NULL;
	s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(j);
	return s;
}

int
store_save_domain(struct store *st, int64_t scan_id,
    const struct domain_result *d)
{
	struct store_batch *b = &st->batch;
	size_t saved_servers = b->n_servers, saved_links = b->n_links;
	size_t saved_findings = b->n_findings;
	struct store_row_domain *r;
	struct report_summary sum;
	char *report;
	int oom = 0;
	size_t i, j;

	if (!st->in_batch)
		return store_set_error(st, "no batch open (store_begin)");
	if (d == NULL || d->name == NULL || d->name[0] == '\0')
		return store_set_error(st, "result without a domain name");
	if (grow((void **)&b->domains, &st->cap_domains, b->n_domains,
	    sizeof(*b->domains)) == -1)
		return store_set_error(st, "out of memory");
	if ((report = render_report(d)) == NULL)
		return store_set_error(st, "out of memory (report JSON)");
	r = &b->domains[b->n_domains];
	memset(r, 0, sizeof(*r));
	report_summarize(d, &sum);
	r->scan_id = scan_id;
	r->name = keep(st, d->name, &oom);
	r->report = keep(st, report, &oom);
	free(report);
	r->verdict = store_verdict_of(d);
	r->worst = domain_result_worst(d);
	r->null_mx = d->null_mx != 0;
	r->implicit_mx = d->implicit_mx != 0;
	if (d->mx.done) {
		r->mx_outcome = dns_outcome_name(d->mx.outcome);
		r->mx_dnssec = dnssec_state_name(d->mx.dnssec);
	}
	r->mx_hosts = (unsigned)sum.hosts;
	r->addresses = (unsigned)sum.addresses;
	r->starttls_ok = (unsigned)sum.starttls_ok;
	r->no_starttls = (unsigned)sum.no_starttls;
	r->broken = (unsigned)sum.tls_broken;
	r->inconclusive = (unsigned)sum.inconclusive;
	r->not_tested = (unsigned)sum.not_tested;
	r->checked_at = d->started;
	r->elapsed_ms = d->elapsed_ms;
	/* The domain's grade is its worst address's (docs/grading.md). */
	r->grade = grade_letter_name(d->grade.letter);
	r->score = r->grade != NULL && d->grade.has_worst ?
	    d->hosts[d->grade.worst_host].views[d->grade.worst_server].
	    grade.encryption : -1;
	r->grade_confidence = grade_confidence_name(d->grade.confidence);
	r->first_link = b->n_links;
	r->first_finding = b->n_findings;

	if (add_findings(st, &d->findings, -1, NULL, &oom) == -1)
		goto oom;
	for (i = 0; i < d->n_hosts; i++) {
		const struct host_result *h = &d->hosts[i];
		const char *host = keep(st, h->name != NULL ? h->name : "", &oom);

		if (add_findings(st, &h->findings, -1, host, &oom) == -1)
			goto oom;
		for (j = 0; j < h->n_servers; j++) {
			const struct server_result *s = h->servers[j];
			struct store_row_link *l;
			long si;

			if ((si = add_server(st, scan_id, d->port, s,
			    &h->views[j], &oom)) == -1)
				goto oom;
			if (grow((void **)&b->links, &st->cap_links, b->n_links,
			    sizeof(*b->links)) == -1)
				goto oom;
			l = &b->links[b->n_links++];
			l->server = (size_t)si;
			l->mx_host = host;
			l->preference = h->preference;
			l->name_match = s->tls.handshake_ok ?
			    keep(st, s->tls.matched_name, &oom) : NULL;
			if (add_findings(st, &s->findings, si, host, &oom) == -1)
				goto oom;
		}
	}
	if (oom)
		goto oom;
	r->n_links = b->n_links - r->first_link;
	r->n_findings = b->n_findings - r->first_finding;
	b->n_domains++;
	return 0;
oom:
	/* Forget this domain's rows; the batch stays as it was. */
	b->n_servers = saved_servers;
	b->n_links = saved_links;
	b->n_findings = saved_findings;
	return store_set_error(st, "out of memory");
}

static const struct store_batch *sort_batch;

static int
server_cmp(const void *a, const void *b)
{
	const struct store_row_server *x = &sort_batch->servers[*(const size_t *)a];
	const struct store_row_server *y = &sort_batch->servers[*(const size_t *)b];
	int c;

	if (x->scan_id != y->scan_id)
		return x->scan_id < y->scan_id ? -1 : 1;
	if ((c = strcmp(x->address, y->address)) != 0)
		return c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	/* Equal keys in save order, so the last saved copy comes last. */
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int
domain_cmp(const void *a, const void *b)
{
	const struct store_row_domain *x = &sort_batch->domains[*(const size_t *)a];
	const struct store_row_domain *y = &sort_batch->domains[*(const size_t *)b];
	int c;

	if (x->scan_id != y->scan_id)
		return x->scan_id < y->scan_id ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/*
 * order_batch - the write order (see struct store_batch).  Every copy of a
 * server learns which copy is written (canon): links and findings find
 * their server's row id through any copy.
 */
static int
order_batch(struct store_batch *b)
{
	size_t *all, i, n = 0;

	all = malloc((b->n_servers ? b->n_servers : 1) * sizeof(*all));
	b->server_order = malloc((b->n_servers ? b->n_servers : 1) *
	    sizeof(*b->server_order));
	b->domain_order = malloc((b->n_domains ? b->n_domains : 1) *
	    sizeof(*b->domain_order));
	if (all == NULL || b->server_order == NULL || b->domain_order == NULL) {
		free(all);
		return -1;
	}
	for (i = 0; i < b->n_servers; i++)
		all[i] = i;
	for (i = 0; i < b->n_domains; i++)
		b->domain_order[i] = i;
	sort_batch = b;
	qsort(all, b->n_servers, sizeof(*all), server_cmp);
	qsort(b->domain_order, b->n_domains, sizeof(*b->domain_order),
	    domain_cmp);
	sort_batch = NULL;
	for (i = 0; i < b->n_servers; i++) {
		size_t last = i;

		while (last + 1 < b->n_servers &&
		    b->servers[all[last + 1]].scan_id == b->servers[all[i]].scan_id &&
		    b->servers[all[last + 1]].port == b->servers[all[i]].port &&
		    strcmp(b->servers[all[last + 1]].address,
		    b->servers[all[i]].address) == 0)
			last++;
		for (; i <= last; i++)
			b->servers[all[i]].canon = all[last];
		i = last;
		b->server_order[n++] = all[last];
	}
	b->n_server_order = n;
	free(all);
	/* A domain saved twice: the later result replaces the earlier. */
	for (i = n = 0; i < b->n_domains; i++) {
		const struct store_row_domain *x = &b->domains[b->domain_order[i]];
		const struct store_row_domain *y = i + 1 < b->n_domains ?
		    &b->domains[b->domain_order[i + 1]] : NULL;

		if (y != NULL && y->scan_id == x->scan_id &&
		    strcmp(y->name, x->name) == 0)
			continue;
		b->domain_order[n++] = b->domain_order[i];
	}
	b->n_domain_order = n;
	return 0;
}

int
store_commit(struct store *st)
{
	int rc;

	if (!st->in_batch)
		return store_set_error(st, "no batch open (store_begin)");
	if (st->batch.n_domains == 0) {
		store_rollback(st);
		return 0;
	}
	if (order_batch(&st->batch) == -1) {
		store_rollback(st);
		return store_set_error(st, "out of memory");
	}
	rc = st->ops->write_batch(st, &st->batch);
	store_rollback(st);
	return rc;
}

/* ---- stats and export ---- */

int
store_stats(struct store *st, int64_t scan_id, struct store_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (exporting(st) || st->ops->scan_get(st, scan_id, &out->scan) == -1)
		return -1;
	if (st->ops->stats(st, out->scan.id, out) == -1) {
		store_stats_clear(out);
		return -1;
	}
	return 0;
}

void
store_stats_clear(struct store_stats *s)
{
	store_scan_info_clear(&s->scan);
	counts_clear(&s->tls_versions);
	counts_clear(&s->ciphers);
	counts_clear(&s->findings);
	counts_clear(&s->dane);
	counts_clear(&s->mta_sts);
	counts_clear(&s->tls_rpt);
}

struct store_iter {
	struct store	*st;
	void		*impl;
};

struct store_iter *
store_export_open(struct store *st, int64_t scan_id, enum store_per per)
{
	struct store_scan_info si;
	struct store_iter *it;

	if (st->in_batch || st->exporting) {
		store_set_error(st, "the store is busy (batch or export open)");
		return NULL;
	}
	if (store_scan_get(st, scan_id, &si) == -1)
		return NULL;
	scan_id = si.id;
	store_scan_info_clear(&si);
	if ((it = calloc(1, sizeof(*it))) == NULL) {
		store_set_error(st, "out of memory");
		return NULL;
	}
	it->st = st;
	if ((it->impl = st->ops->export_open(st, scan_id, per)) == NULL) {
		free(it);
		return NULL;
	}
	st->exporting = 1;
	return it;
}

int
store_export_next(struct store_iter *it, struct store_row *row)
{
	memset(row, 0, sizeof(*row));
	return it->st->ops->export_next(it->st, it->impl, row);
}

void
store_export_close(struct store_iter *it)
{
	if (it == NULL)
		return;
	it->st->ops->export_close(it->st, it->impl);
	it->st->exporting = 0;
	free(it);
}

int
store_diff(struct store *st, int64_t scan_a, int64_t scan_b,
    int64_t expiring_before, store_diff_cb *cb, void *arg)
{
	struct store_scan_info si;

	if (st->in_batch || exporting(st))
		return store_set_error(st, "the store is busy (batch or "
		    "export open)");
	if (st->ops->scan_get(st, scan_a, &si) == -1)
		return -1;
	store_scan_info_clear(&si);
	if (st->ops->scan_get(st, scan_b, &si) == -1)
		return -1;
	store_scan_info_clear(&si);
	return st->ops->diff(st, scan_a, scan_b, expiring_before, cb, arg);
}

/* ---- the web's lookups ---- */

int
store_domain_report(struct store *st, int64_t scan_id, const char *name,
    struct store_report *out)
{
	memset(out, 0, sizeof(*out));
	out->score = -1;
	if (exporting(st))
		return -1;
	return st->ops->domain_report(st, scan_id, name, out);
}

void
store_report_clear(struct store_report *r)
{
	free(r->grade);
	free(r->report);
	memset(r, 0, sizeof(*r));
	r->score = -1;
}

int
store_recent(struct store *st, int64_t scan_id, size_t limit,
    struct store_recent **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (exporting(st))
		return -1;
	return st->ops->recent(st, scan_id, limit, out, n);
}

void
store_recent_free(struct store_recent *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].grade);
	}
	free(v);
}
