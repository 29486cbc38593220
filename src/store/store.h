/*
 * store.h - the results database: scans, domains, servers and findings,
 * in SQLite (one file, the default) or PostgreSQL (shared by machines).
 *
 * One interface, two backends behind an opaque struct store.  The URI picks
 * the backend: a plain path or "sqlite:PATH" is SQLite, "postgresql://..."
 * or "postgres://..." is PostgreSQL (libpq's URI syntax).  The schema is
 * documented in docs/store.md and written out in store_schema.c.
 *
 * What is stored per domain: the columns that stats, export and diff
 * query (verdict, worst severity, MX/DNSSEC, per server address its SMTP
 * status, TLS version, cipher, certificate expiry, enumerated protocols,
 * every finding), plus the whole report JSON (docs/json.md) so that no
 * fact the report shows is lost.
 *
 * The writer (`mailtls scan`; `mailtls check --db` does a one-batch scan):
 *
 *   st = store_open(uri, STORE_OPEN_WRITE)     creates the schema if needed
 *   store_scan_begin(st, &params, &resume)     new scan, or resume one;
 *                                              resume.done: domains saved
 *                                              already, skip them
 *   loop:  store_begin(st)
 *          store_save_domain(st, id, d) x N    copied, buffered in memory
 *          store_commit(st)                    one transaction
 *   store_scan_finish(st, id, now)
 *   store_close(st)
 *
 * Batches: store_save_domain() copies what it needs out of the result (the
 * caller may free it right away) and writes nothing; store_commit() writes
 * the whole batch in one short transaction.  A crash (kill -9) before the
 * commit loses that batch and nothing else.  Rows are keyed by (scan,
 * domain) and (scan, address, port): saving a domain again (a replayed
 * batch, a retry) replaces its rows and never duplicates them.  Several
 * processes may write the same scan at once.
 *
 * Readers (stats, export) open with STORE_OPEN_READ: nothing is created or
 * written, and a missing database is an error.
 *
 * Errors: functions return -1 (or NULL) and leave one line, never
 * containing the URI, in store_error() (store_open(): in its err buffer).
 * Callers print "mailtls: database URI: LINE" with the URI from
 * store_uri_redact() (password masked).  A failed commit writes nothing
 * of its batch.
 *
 * Not thread-safe: one struct store per thread (one connection each).
 * Everything blocks: the scan engine calls the store between event-loop
 * turns (a commit is milliseconds), or from a thread of its own.
 */
#ifndef MAILTLS_STORE_H
#define MAILTLS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "check/result.h"

#define STORE_SCHEMA_VERSION 1
#define STORE_ERR_MAX 512
#define STORE_DEFAULT_URI "./mailtls.db"
#define STORE_SHA256_HEX 65	/* 64 hex digits and a NUL */

struct store;
struct store_nameset;

enum store_open_mode {
	STORE_OPEN_READ,	/* stats, export: must exist, never written */
	STORE_OPEN_WRITE,	/* scan, check --db: created if missing */
};

/*
 * store_open - open the database named by uri.  NULL on failure, with one
 * line (without the URI) in err.  A SQLite file that is not a mailtls
 * database (a text file, another program's database) is refused and left
 * untouched; a read-only file is refused for writing at open, not at the
 * first commit.
 */
struct store *store_open(const char *uri, enum store_open_mode mode,
    char *err, size_t errlen);

/* store_close - drop an uncommitted batch and close.  NULL is fine. */
void store_close(struct store *st);

/* store_error - the last error, one line; "" if none. */
const char *store_error(const struct store *st);

/* store_backend - "sqlite" or "postgresql". */
const char *store_backend(const struct store *st);

/*
 * store_uri_redact - uri as it may be shown: the password of a PostgreSQL
 * URI (user:PASSWORD@ and password=...) replaced by "***".  Always
 * NUL-terminates buf (len > 0).
 */
void store_uri_redact(const char *uri, char *buf, size_t len);

/* ---- scans ---------------------------------------------------------- */

/*
 * What identifies a scan's input.  A run with the same input_sha256 and
 * options continues the unfinished scan of that identity; input_path is
 * only recorded (the same list read from elsewhere resumes too).  options:
 * the canonical text of the options that change results (port, EHLO
 * name, ...), chosen by the caller and compared byte for byte.  All
 * strings are required.
 */
struct store_scan_params {
	const char	*input_path;	/* as given, "-" for stdin */
	const char	*input_sha256;	/* store_digest_names() of the list */
	const char	*options;
	const char	*version;	/* mailtls version */
	uint64_t	 domains_total;	/* names in the normalised list */
	int64_t		 now;		/* epoch seconds */
};

struct store_resume {
	int64_t			 scan_id;
	int			 resumed;	/* 1: an unfinished scan continues */
	struct store_nameset	*done;		/* domains already saved; never
						   NULL on success: free it */
};

/*
 * store_scan_begin - start a scan, or resume the unfinished one with the
 * same identity.  Two processes starting the same scan at once get the
 * same scan_id (a unique index on the unfinished identity decides).
 * out->done holds every domain saved in it so far (empty for a new scan);
 * the caller frees it with store_nameset_free().  0, or -1.
 */
int store_scan_begin(struct store *st, const struct store_scan_params *p,
    struct store_resume *out);

/*
 * store_scan_done_foreach - call cb for every domain saved in scan_id,
 * streamed (nothing is held in memory).  cb returns 0 to go on, -1 to stop
 * (then this returns -1 with "stopped" as the error).  0, or -1.
 */
int store_scan_done_foreach(struct store *st, int64_t scan_id,
    int (*cb)(void *arg, const char *domain), void *arg);

/*
 * store_scan_finish - mark scan_id finished at now; the next run with the
 * same identity starts a new scan.  Finishing twice is fine.  0, or -1.
 */
int store_scan_finish(struct store *st, int64_t scan_id, int64_t now);

/* A scan row, for readers.  Strings owned; store_scan_info_clear() frees. */
struct store_scan_info {
	int64_t		 id;
	int64_t		 started_at;
	int64_t		 finished_at;	/* 0: unfinished */
	char		*input_path;
	char		*input_sha256;
	char		*options;
	char		*version;
	uint64_t	 domains_total;
};

/*
 * store_scan_get - the scan scan_id, or the latest (highest id) when
 * scan_id is 0.  0, or -1 ("no scan N" / "no scan in the database").
 */
int store_scan_get(struct store *st, int64_t scan_id,
    struct store_scan_info *out);
void store_scan_info_clear(struct store_scan_info *si);

/*
 * store_digest_names - the hex SHA-256 of names[0..n), each followed by
 * "\n": the input_sha256 of a list.  hex gets STORE_SHA256_HEX bytes.
 * 0, or -1 (OpenSSL failed).
 */
int store_digest_names(const char *const *names, size_t n,
    char hex[STORE_SHA256_HEX]);

/* ---- a set of domain names (what a resumed scan skips) -------------- */

/* store_nameset_has - 1 if name (exact bytes) is in the set, else 0. */
int store_nameset_has(const struct store_nameset *ns, const char *name);
size_t store_nameset_count(const struct store_nameset *ns);
void store_nameset_free(struct store_nameset *ns);	/* NULL is fine */

/* store_nameset_new - an empty set; NULL if out of memory. */
struct store_nameset *store_nameset_new(void);
/* store_nameset_add - add a copy of name; adding twice is a no-op.  -1 OOM. */
int store_nameset_add(struct store_nameset *ns, const char *name);

/* ---- writing results ------------------------------------------------ */

/* store_begin - start a batch.  -1 if one is open, or an export runs. */
int store_begin(struct store *st);

/*
 * store_save_domain - add d to the open batch of scan_id.  d is copied
 * (its report JSON is rendered here) and may be freed on return; nothing
 * is written until store_commit().  A domain saved twice in one batch:
 * the later copy wins.  0, or -1 (no batch open, d has no name, out of
 * memory); on -1 the batch is as it was before the call.
 */
int store_save_domain(struct store *st, int64_t scan_id,
    const struct domain_result *d);

/* store_batch_size - domains in the open batch (0 when none is open). */
size_t store_batch_size(const struct store *st);

/*
 * store_commit - write the batch in one transaction and close it (also on
 * failure, when nothing of it is written).  Transient conflicts (SQLite
 * busy, a PostgreSQL deadlock) are waited out or retried inside.  An
 * empty batch is fine.  0, or -1.
 */
int store_commit(struct store *st);

/* store_rollback - drop the open batch.  No-op without one. */
void store_rollback(struct store *st);

/* ---- what the store derives from a result ---------------------------- */

/*
 * A domain's verdict: the exit status `mailtls check` gives it (0..3),
 * named.  Mirrors domain_status() in src/cli/main.c.
 */
enum store_verdict {
	STORE_VERDICT_OK,		/* every server has STARTTLS, or null MX */
	STORE_VERDICT_TLS_FAILURE,	/* a server without working STARTTLS */
	STORE_VERDICT_DNS_FAILURE,	/* the domain could not be resolved */
	STORE_VERDICT_INCONCLUSIVE,	/* a server could not be assessed */
	STORE_VERDICT_COUNT
};

/* A server address's class: the buckets of report_summarize(). */
enum store_class {
	STORE_CLASS_STARTTLS_OK,
	STORE_CLASS_NO_STARTTLS,
	STORE_CLASS_BROKEN,
	STORE_CLASS_INCONCLUSIVE,
	STORE_CLASS_NOT_TESTED,
	STORE_CLASS_COUNT
};

enum store_verdict store_verdict_of(const struct domain_result *d);
enum store_class store_class_of(const struct server_result *s);
const char *store_verdict_name(enum store_verdict v);	/* "tls-failure" */
const char *store_class_name(enum store_class c);	/* "starttls-ok" */

/* ---- stats ---------------------------------------------------------- */

struct store_count {
	char		*name;
	uint64_t	 n;
};

struct store_counts {
	struct store_count	*v;	/* most first, ties by name */
	size_t			 n;
};

/*
 * The numbers of one scan (docs/store.md, "Statistics").  Servers are the
 * unique (address, port) pairs that some saved domain's MX reaches.
 */
struct store_stats {
	struct store_scan_info	 scan;
	uint64_t		 domains;	/* processed (saved) */
	uint64_t		 verdict[STORE_VERDICT_COUNT];
	uint64_t		 worst[SEV_COUNT];	/* by worst finding */
	uint64_t		 worst_none;		/* no finding at all */
	uint64_t		 null_mx;
	uint64_t		 implicit_mx;
	uint64_t		 mx_secure;	/* MX lookup DNSSEC-validated */
	uint64_t		 mx_insecure;
	uint64_t		 mx_bogus;
	uint64_t		 mx_indeterminate;	/* incl. lookup not made */
	uint64_t		 all_starttls;	/* >= 1 address, all STARTTLS ok */
	uint64_t		 servers;
	uint64_t		 server_class[STORE_CLASS_COUNT];
	uint64_t		 domain_grade[GRADE_LETTER_COUNT];	/* by
						   letter; [GRADE_NONE]: not graded */
	double			 domain_score;	/* mean of graded domains' scores */
	uint64_t		 server_grade[GRADE_LETTER_COUNT];
	double			 server_score;	/* mean of graded servers' scores */
	uint64_t		 enumerated;	/* servers with an enumeration */
	uint64_t		 protocol[PROBE_VERSION_COUNT];	/* of those:
						   accepting the version */
	struct store_counts	 tls_versions;	/* negotiated, per server */
	struct store_counts	 ciphers;	/* top STORE_TOP_CIPHERS */
	struct store_counts	 findings;	/* domains per finding id */
	/* Authentication, domains per value (docs/store.md): */
	struct store_counts	 dane;		/* DANE verdict delivery */
	struct store_counts	 mta_sts;	/* policy mode, or state */
	struct store_counts	 tls_rpt;	/* record: ok, no-record, ... */
};

#define STORE_TOP_CIPHERS 10

/*
 * store_stats - aggregate scan_id (0: the latest scan) into out, from one
 * consistent snapshot (a scan may be writing).  Free with
 * store_stats_clear().  0, or -1.
 */
int store_stats(struct store *st, int64_t scan_id, struct store_stats *out);
void store_stats_clear(struct store_stats *s);

/* ---- export --------------------------------------------------------- */

enum store_per {
	STORE_PER_DOMAIN,
	STORE_PER_SERVER,
};

/* One domain, as stored.  Pointers valid until the next store_export_next(). */
struct store_domain_row {
	const char	*name;
	const char	*verdict;
	int		 worst_severity;	/* enum severity, -1 none */
	int		 null_mx;
	int		 implicit_mx;
	const char	*mx_outcome;		/* NULL: lookup not made */
	const char	*mx_dnssec;
	unsigned	 mx_hosts, addresses, starttls_ok, no_starttls,
			 starttls_broken, inconclusive, not_tested;
	int64_t		 checked_at;
	unsigned	 elapsed_ms;
	const char	*grade;		/* "A+" ... "F", NULL: not graded */
	int		 score;		/* the grade's score 0-100, -1: none */
	const char	*findings;	/* distinct ids, space-separated, "" none */
	const char	*report;	/* the report JSON (docs/json.md), one line */
};

/*
 * One server address.  tls_* and cipher fields are NULL/0 without a
 * completed handshake (tls_version NULL), cert_* without a certificate
 * (cert_sha256 NULL), protocol[] and the enumeration numbers without an
 * enumeration (enumerated 0).
 */
struct store_server_row {
	const char	*address;
	unsigned	 port;
	const char	*family;
	const char	*reserved;
	const char	*smtp_status;
	const char	*smtp_class;
	int		 starttls_offered;
	const char	*tls_version;
	const char	*cipher;
	int		 cipher_bits;
	const char	*kx;
	const char	*kx_group;
	int		 kx_bits;
	int		 forward_secrecy;
	const char	*cert_sha256;
	int64_t		 cert_not_after;
	int		 cert_verified;
	const char	*cert_verify_error;
	unsigned	 modern_refusals;
	int		 enumerated;
	const char	*protocol[PROBE_VERSION_COUNT];	/* "yes", "no", "unknown" */
	int		 suites;	/* accepted suites, all versions */
	int		 dh_min_bits;	/* 0: no finite-field DH */
	const char	*grade;		/* "A+" ... "F", NULL: not graded */
	int		 score;		/* encryption score 0-100, -1: none */
	uint64_t	 domains;	/* domains whose MX reaches it */
	const char	*mx_hosts;	/* distinct MX names, space-separated */
};

struct store_row {
	const struct store_domain_row	*domain;	/* per domain, else NULL */
	const struct store_server_row	*server;	/* per server, else NULL */
};

struct store_iter;

/*
 * store_export_open - stream the rows of scan_id (0: latest), ordered by
 * domain name, or by address and port (bytewise).  NULL on error.
 * Nothing else may use st until store_export_close().
 */
struct store_iter *store_export_open(struct store *st, int64_t scan_id,
    enum store_per per);

/* store_export_next - 1 and *row filled, 0 at the end, -1 on error. */
int store_export_next(struct store_iter *it, struct store_row *row);

/* store_export_close - also when stopped early.  NULL is fine. */
void store_export_close(struct store_iter *it);

/* ---- diff: what changed between two scans --------------------------- */

/*
 * The classes of difference between scan A (before) and scan B (after),
 * in the order store_diff() reports them (docs/store.md, "Comparing two
 * scans").  Domains match by name, servers by (address, port); only
 * servers some saved domain links to count, in both scans.
 */
enum store_diff_kind {
	STORE_DIFF_DOMAIN_ADDED,	/* a domain of B that A lacks */
	STORE_DIFF_DOMAIN_REMOVED,	/* a domain of A that B lacks */
	STORE_DIFF_DOMAIN_GRADE,	/* in both, another letter (or none) */
	STORE_DIFF_SERVER_GRADE,	/* a server in both, another letter */
	STORE_DIFF_STARTTLS_LOST,	/* starttls-ok in A; no-starttls or
					   starttls-broken in B */
	STORE_DIFF_STARTTLS_GAINED,	/* the other way round */
	STORE_DIFF_CERT_EXPIRING,	/* a leaf of B ending before the limit
					   (expired ones included) */
	STORE_DIFF_FINDING_APPEARED,	/* (domain, MX host, finding id) in B
					   only, for domains in both scans */
	STORE_DIFF_FINDING_GONE,	/* in A only */
	STORE_DIFF_KIND_COUNT
};

/*
 * One difference.  Which fields are set depends on kind; the others are
 * NULL, -1 or 0.  Pointers are valid during the callback only.
 *   domain rows (ADDED, REMOVED, DOMAIN_GRADE): domain; grade_after
 *     (ADDED), grade_before (REMOVED), both (DOMAIN_GRADE), with scores;
 *   server rows (SERVER_GRADE, STARTTLS_*, CERT_EXPIRING): address, port,
 *     mx_hosts and domains as of B; grades, or smtp classes and statuses
 *     before and after, or cert_not_after and cert_sha256;
 *   finding rows: domain, mx_host (NULL: a domain finding), finding,
 *     severity (the highest among its addresses) and one detail.
 */
struct store_diff_row {
	enum store_diff_kind kind;
	const char	*domain;
	const char	*address;
	unsigned	 port;
	const char	*grade_before, *grade_after;	/* NULL: not graded */
	int		 score_before, score_after;	/* -1: none */
	const char	*class_before, *class_after;	/* smtp_class */
	const char	*status_before, *status_after;	/* smtp_status */
	const char	*mx_hosts;	/* distinct MX names, space-separated */
	uint64_t	 domains;	/* domains of B whose MX reaches it */
	int64_t		 cert_not_after;
	const char	*cert_sha256;
	const char	*mx_host;
	const char	*finding;
	int		 severity;	/* enum severity */
	const char	*detail;
};

typedef int store_diff_cb(void *arg, const struct store_diff_row *row);

/*
 * store_diff - every difference from scan_a to scan_b (both must exist),
 * by kind in enum order, each kind sorted (names and addresses bytewise;
 * certificates by expiry), from one consistent snapshot.  Certificates
 * count as expiring when their notAfter is before expiring_before (epoch
 * seconds).  cb returning -1 stops the walk (then -1, with the error
 * "stopped").  0, or -1.
 */
int store_diff(struct store *st, int64_t scan_a, int64_t scan_b,
    int64_t expiring_before, store_diff_cb *cb, void *arg);

/* ---- the web's lookups (mailtls serve, src/web) --------------------- */

/* One saved domain's report.  Strings owned; store_report_clear() frees. */
struct store_report {
	int64_t		 checked_at;	/* epoch seconds */
	char		*grade;		/* "A+" ... "F", NULL: not graded */
	int		 score;		/* -1: not graded */
	char		*report;	/* the report JSON (docs/json.md) */
};

/*
 * store_domain_report - the saved report of name in scan_id (the web's own
 * scan: the lookup uses the (scan, name) index).  1 and out filled, 0 when
 * the scan has no such domain, -1 on error.
 */
int store_domain_report(struct store *st, int64_t scan_id, const char *name,
    struct store_report *out);
void store_report_clear(struct store_report *r);

/* A recently checked domain, for the web's front page. */
struct store_recent {
	char		*name;
	char		*grade;		/* NULL: not graded */
	int		 score;		/* -1: not graded */
	int64_t		 checked_at;
};

/*
 * store_recent - the at most limit domains of scan_id checked last, newest
 * first, into a new array *out of *n entries (free with
 * store_recent_free()).  0, or -1.
 */
int store_recent(struct store *st, int64_t scan_id, size_t limit,
    struct store_recent **out, size_t *n);
void store_recent_free(struct store_recent *v, size_t n);

#endif
