/*
 * store_backend.h - between store.c and its backends (store_sqlite.c,
 * store_pg.c); nothing outside src/store includes it.
 *
 * store.c keeps the batch: each saved domain is flattened at once into
 * rows (below), whose strings live in an arena owned by the batch.  At
 * commit it orders the rows and hands the whole batch to the backend's
 * write_batch(), which writes it in one transaction.  Backends implement
 * struct store_ops; they report errors with store_set_error() and reach
 * their own state with store_impl().
 */
#ifndef MAILTLS_STORE_BACKEND_H
#define MAILTLS_STORE_BACKEND_H

#include "store/store.h"

/* A saved domain.  Indexes, not pointers, link rows: vectors grow. */
struct store_row_domain {
	const char	*name;
	enum store_verdict verdict;
	int		 worst;		/* -1 none */
	int		 null_mx, implicit_mx;
	const char	*mx_outcome, *mx_dnssec;	/* NULL: not looked up */
	unsigned	 mx_hosts, addresses, starttls_ok, no_starttls,
			 broken, inconclusive, not_tested;
	int64_t		 checked_at;
	unsigned	 elapsed_ms;
	const char	*grade;		/* letter name, NULL: not graded */
	int		 score;		/* -1: not graded */
	const char	*grade_confidence;
	const char	*report;
	int64_t		 scan_id;
	size_t		 first_link, n_links;
	size_t		 first_finding, n_findings;
	int64_t		 db_id;		/* set by the backend while writing */
};

/* A server address as one domain saw it. */
struct store_row_server {
	int64_t		 scan_id;
	const char	*address;
	unsigned	 port;
	const char	*family;
	const char	*reserved;
	const char	*smtp_status;
	enum store_class class;
	int		 starttls_offered;
	int		 tls;		/* a handshake completed: tls_* valid */
	const char	*tls_version;
	int		 tls_version_code;
	const char	*cipher;
	int		 cipher_bits;
	const char	*kx, *kx_group;
	int		 kx_bits;
	int		 forward_secrecy;
	int		 cert_verified;
	const char	*cert_verify_error;
	int		 cert;		/* a leaf certificate: cert_* valid */
	const char	*cert_sha256;
	int64_t		 cert_not_after;
	unsigned	 modern_refusals;
	int		 enumerated;	/* probe ran: the fields below valid */
	const char	*protocol[PROBE_VERSION_COUNT];	/* answer names */
	int		 suites;
	int		 dh_min_bits;
	const char	*grade;		/* letter name, NULL: not graded */
	int		 score;		/* encryption 0-100, -1: not graded */
	unsigned	 elapsed_ms;
	size_t		 canon;		/* the copy of this server that is written */
	int64_t		 db_id;		/* of the canon copy: set while writing */
};

/* store_batch_server_id - the row id of servers[i], once written. */
#define store_batch_server_id(b, i) ((b)->servers[(b)->servers[(i)].canon].db_id)

struct store_row_link {
	size_t		 server;	/* index in servers[] */
	const char	*mx_host;
	int		 preference;	/* -1: implicit MX */
	const char	*name_match;	/* NULL: none, or no TLS */
};

struct store_row_finding {
	long		 server;	/* index in servers[], -1 none */
	const char	*mx_host;	/* NULL: a domain finding */
	const char	*id;
	int		 severity;
	const char	*detail;
};

struct store_batch {
	struct store_row_domain	 *domains;
	size_t			  n_domains;
	struct store_row_server	 *servers;
	size_t			  n_servers;
	struct store_row_link	 *links;
	size_t			  n_links;
	struct store_row_finding *findings;
	size_t			  n_findings;
	/*
	 * The write order, which every backend follows so that concurrent
	 * writers take row locks in one global order (no deadlocks): servers
	 * by (scan, address, port), then domains by (scan, name); of a server
	 * or domain saved more than once in the batch, only the last copy.
	 */
	size_t			 *server_order;
	size_t			  n_server_order;
	size_t			 *domain_order;
	size_t			  n_domain_order;
};

/*
 * The columns of the server and domain upserts, in the order the backends
 * bind them, and their ON CONFLICT update (row-value syntax, which SQLite
 * and PostgreSQL share): a row saved again takes the new values.
 */
#define STORE_SERVER_NCOLS 33
#define STORE_SERVER_COLUMNS \
	"scan_id, address, port, family, reserved, smtp_status, " \
	"smtp_class, starttls_offered, tls_version, " \
	"tls_version_code, cipher, cipher_bits, kx, kx_group, " \
	"kx_bits, forward_secrecy, cert_sha256, cert_not_after, " \
	"cert_verified, cert_verify_error, modern_refusals, " \
	"enumerated, proto_sslv2, proto_sslv3, proto_tls10, " \
	"proto_tls11, proto_tls12, proto_tls13, suites, dh_min_bits, " \
	"grade, score, elapsed_ms"
#define STORE_SERVER_SET \
	"family, reserved, smtp_status, smtp_class, " \
	"starttls_offered, tls_version, tls_version_code, cipher, " \
	"cipher_bits, kx, kx_group, kx_bits, forward_secrecy, " \
	"cert_sha256, cert_not_after, cert_verified, " \
	"cert_verify_error, modern_refusals, enumerated, " \
	"proto_sslv2, proto_sslv3, proto_tls10, proto_tls11, " \
	"proto_tls12, proto_tls13, suites, dh_min_bits, grade, score, " \
	"elapsed_ms"
#define STORE_SERVER_EXCLUDED \
	"excluded.family, excluded.reserved, excluded.smtp_status, " \
	"excluded.smtp_class, excluded.starttls_offered, " \
	"excluded.tls_version, excluded.tls_version_code, " \
	"excluded.cipher, excluded.cipher_bits, excluded.kx, " \
	"excluded.kx_group, excluded.kx_bits, " \
	"excluded.forward_secrecy, excluded.cert_sha256, " \
	"excluded.cert_not_after, excluded.cert_verified, " \
	"excluded.cert_verify_error, excluded.modern_refusals, " \
	"excluded.enumerated, excluded.proto_sslv2, " \
	"excluded.proto_sslv3, excluded.proto_tls10, " \
	"excluded.proto_tls11, excluded.proto_tls12, " \
	"excluded.proto_tls13, excluded.suites, " \
	"excluded.dh_min_bits, excluded.grade, excluded.score, " \
	"excluded.elapsed_ms"
#define STORE_DOMAIN_NCOLS 21
#define STORE_DOMAIN_COLUMNS \
	"scan_id, name, verdict, worst_severity, null_mx, " \
	"implicit_mx, mx_outcome, mx_dnssec, mx_hosts, addresses, " \
	"starttls_ok, no_starttls, starttls_broken, inconclusive, " \
	"not_tested, checked_at, elapsed_ms, grade, score, " \
	"grade_confidence, report"
#define STORE_DOMAIN_SET \
	"verdict, worst_severity, null_mx, implicit_mx, mx_outcome, " \
	"mx_dnssec, mx_hosts, addresses, starttls_ok, no_starttls, " \
	"starttls_broken, inconclusive, not_tested, checked_at, " \
	"elapsed_ms, grade, score, grade_confidence, report"
#define STORE_DOMAIN_EXCLUDED \
	"excluded.verdict, excluded.worst_severity, " \
	"excluded.null_mx, excluded.implicit_mx, " \
	"excluded.mx_outcome, excluded.mx_dnssec, excluded.mx_hosts, " \
	"excluded.addresses, excluded.starttls_ok, " \
	"excluded.no_starttls, excluded.starttls_broken, " \
	"excluded.inconclusive, excluded.not_tested, " \
	"excluded.checked_at, excluded.elapsed_ms, excluded.grade, " \
	"excluded.score, excluded.grade_confidence, excluded.report"

struct store_ops {
	const char *name;
	/* open: target is the URI without "sqlite:"; *impl on success. */
	int	(*open)(struct store *st, const char *target,
		    enum store_open_mode mode, void **impl);
	void	(*close)(void *impl);
	int	(*scan_begin)(struct store *st, const struct store_scan_params *p,
		    int64_t *scan_id, int *resumed);
	int	(*scan_done_foreach)(struct store *st, int64_t scan_id,
		    int (*cb)(void *arg, const char *domain), void *arg);
	int	(*scan_finish)(struct store *st, int64_t scan_id, int64_t now);
	int	(*scan_get)(struct store *st, int64_t scan_id,
		    struct store_scan_info *out);
	/* write_batch: one transaction; transient conflicts retried inside. */
	int	(*write_batch)(struct store *st, struct store_batch *b);
	/* stats: scan_id exists (store.c checked it). */
	int	(*stats)(struct store *st, int64_t scan_id, struct store_stats *out);
	void	*(*export_open)(struct store *st, int64_t scan_id,
		    enum store_per per);
	int	(*export_next)(struct store *st, void *it, struct store_row *row);
	void	(*export_close)(struct store *st, void *it);
	/* diff: both scans exist (store.c checked); one read snapshot. */
	int	(*diff)(struct store *st, int64_t scan_a, int64_t scan_b,
		    int64_t expiring_before, store_diff_cb *cb, void *arg);
	/* the web's lookups (store.h); scan_id exists or not, no error. */
	int	(*domain_report)(struct store *st, int64_t scan_id,
		    const char *name, struct store_report *out);
	int	(*recent)(struct store *st, int64_t scan_id, size_t limit,
		    struct store_recent **out, size_t *n);
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

/* store_impl - the backend's own state, as open() returned it. */
void *store_impl(const struct store *st);

/*
 * The statements every backend prepares, one SQL text per dialect
 * (stmt_sql[] in store_sqlite.c and store_pg.c).
 */
enum stmt_id {
	S_SCAN_INSERT,
	S_SCAN_FIND,
	S_SCAN_DONE,
	S_SCAN_FINISH,
	S_SCAN_EXISTS,
	S_SCAN_GET,
	S_SCAN_LATEST,
	S_SERVER_UPSERT,
	S_DOMAIN_UPSERT,
	S_LINKS_DELETE,
	S_FINDINGS_DELETE,
	S_LINK_INSERT,
	S_FINDING_INSERT,
	S_STATS_DOMAINS,
	S_STATS_VERDICT,
	S_STATS_WORST,
	S_STATS_DOMAIN_GRADES,
	S_STATS_SERVERS,
	S_STATS_SERVER_GRADES,
	S_STATS_CLASS,
	S_STATS_TLS,
	S_STATS_CIPHER,
	S_STATS_FINDINGS,
	S_STATS_DANE,
	S_STATS_MTASTS,
	S_STATS_TLSRPT,
	S_EXPORT_DOMAIN,
	S_EXPORT_SERVER,
	S_COUNT
};

/* store_set_error - set the error line (printf-style); always returns -1. */
int store_set_error(struct store *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* store_grade_letter - the letter of a stored grade name; NULL: GRADE_NONE. */
enum grade_letter store_grade_letter(const char *name);

/* store_counts_add - append (copy of name, n).  -1 if out of memory. */
int store_counts_add(struct store_counts *c, const char *name, uint64_t n);

/*
 * The schema: one entry per statement, SQLite and PostgreSQL side by side
 * (store_schema.c), terminated by a { NULL, NULL } entry.
 */
struct store_schema_stmt {
	const char	*sqlite;
	const char	*pg;
};
extern const struct store_schema_stmt store_schema[];

/* The tables of the schema, for "is this a mailtls database?" checks. */
extern const char *const store_schema_tables[];

/*
 * The per-version protocol columns of the server table, in enum
 * probe_version order ("proto_sslv2", ... "proto_tls13").
 */
extern const char *const store_protocol_columns[PROBE_VERSION_COUNT];

#endif
