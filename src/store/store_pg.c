/*
 * store_pg.c - the PostgreSQL backend of the store (store.h), for scans
 * that share one database across machines (one connection per process).
 *
 * A batch is one transaction of a few statements, each taking a whole
 * table's rows of the batch as one array per column (unnest()): per-row
 * statements would cost the server tens of microseconds each.  They go
 * out in libpq pipeline mode, so a batch costs two round trips (the upserts
 * that return row ids, then the rows that need them, and COMMIT); inside
 * an explicit transaction a pipeline sync point does not commit.
 *
 * Several processes write at once, sharing server rows: store.c orders
 * every batch (servers by address, then domains by name) so row locks are
 * taken in one global order, and a batch that still loses a deadlock or a
 * serialization conflict is rolled back and sent again.
 *
 * Statements are prepared once per connection; parameters travel
 * separately (text format), never inside SQL.
 */
#include "store/store_backend.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_TRIES 5
_Static_assert(STORE_SERVER_NCOLS == 33 && STORE_DOMAIN_NCOLS == 21,
    "the unnest() arrays of S_SERVER_UPSERT and S_DOMAIN_UPSERT");
#define MAX_PARAMS 34
/* pg_advisory_xact_lock key serialising schema creation: "mailtls\0". */
#define SCHEMA_LOCK_KEY "7881983816151168000"

static const char *const stmt_name[S_COUNT] = {
	[S_SCAN_INSERT] = "mt_scan_insert",
	[S_SCAN_FIND] = "mt_scan_find",
	[S_SCAN_DONE] = "mt_scan_done",
	[S_SCAN_FINISH] = "mt_scan_finish",
	[S_SCAN_EXISTS] = "mt_scan_exists",
	[S_SCAN_GET] = "mt_scan_get",
	[S_SCAN_LATEST] = "mt_scan_latest",
	[S_SERVER_UPSERT] = "mt_server_upsert",
	[S_DOMAIN_UPSERT] = "mt_domain_upsert",
	[S_LINKS_DELETE] = "mt_links_delete",
	[S_FINDINGS_DELETE] = "mt_findings_delete",
	[S_LINK_INSERT] = "mt_link_insert",
	[S_FINDING_INSERT] = "mt_finding_insert",
	[S_STATS_DOMAINS] = "mt_stats_domains",
	[S_STATS_VERDICT] = "mt_stats_verdict",
	[S_STATS_WORST] = "mt_stats_worst",
	[S_STATS_DOMAIN_GRADES] = "mt_stats_domain_grades",
	[S_STATS_SERVERS] = "mt_stats_servers",
	[S_STATS_SERVER_GRADES] = "mt_stats_server_grades",
	[S_STATS_CLASS] = "mt_stats_class",
	[S_STATS_TLS] = "mt_stats_tls",
	[S_STATS_CIPHER] = "mt_stats_cipher",
	[S_STATS_FINDINGS] = "mt_stats_findings",
	[S_STATS_DANE] = "mt_stats_dane",
	[S_STATS_MTASTS] = "mt_stats_mtasts",
	[S_STATS_TLSRPT] = "mt_stats_tlsrpt",
	[S_EXPORT_DOMAIN] = "mt_export_domain",
	[S_EXPORT_SERVER] = "mt_export_server",
};

/* Servers some saved domain links to: see store_sqlite.c. */
#define LINKED " EXISTS (SELECT 1 FROM domain_server l WHERE l.server_id = s.id)"

/* The same statements as store_sqlite.c, in PostgreSQL's spelling. */
static const char *const stmt_sql[S_COUNT] = {
	[S_SCAN_INSERT] =
	    "INSERT INTO scan (started_at, input_path, input_sha256, options,"
	    " domains_total, version) VALUES ($1, $2, $3, $4, $5, $6)"
	    " ON CONFLICT (input_sha256, options) WHERE finished_at IS NULL"
	    " DO NOTHING RETURNING id",
	[S_SCAN_FIND] =
	    "SELECT id FROM scan WHERE input_sha256 = $1 AND options = $2"
	    " AND finished_at IS NULL",
	[S_SCAN_DONE] = "SELECT name FROM domain WHERE scan_id = $1",
	[S_SCAN_FINISH] =
	    "UPDATE scan SET finished_at = $2 WHERE id = $1"
	    " AND finished_at IS NULL",
	[S_SCAN_EXISTS] = "SELECT 1 FROM scan WHERE id = $1",
	[S_SCAN_GET] =
	    "SELECT id, started_at, finished_at, input_path, input_sha256,"
	    " options, domains_total, version FROM scan WHERE id = $1",
	[S_SCAN_LATEST] =
	    "SELECT id, started_at, finished_at, input_path, input_sha256,"
	    " options, domains_total, version FROM scan ORDER BY id DESC LIMIT 1",
	/*
	 * Writes take a whole batch per statement: one array per column,
	 * unnest()ed into rows.  Per-row statements cost the server ~50 us
	 * each; this is several times faster (docs/store.md, "Speed").
	 */
	[S_SERVER_UPSERT] =
	    "INSERT INTO server (" STORE_SERVER_COLUMNS ")"
	    " SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[],"
	    " $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[],"
	    " $9::text[], $10::int[], $11::text[], $12::int[], $13::text[],"
	    " $14::text[], $15::int[], $16::boolean[], $17::text[],"
	    " $18::bigint[], $19::boolean[], $20::text[], $21::int[],"
	    " $22::boolean[], $23::text[], $24::text[], $25::text[],"
	    " $26::text[], $27::text[], $28::text[], $29::int[], $30::int[],"
	    " $31::text[], $32::smallint[], $33::bigint[])"
	    " ON CONFLICT (scan_id, address, port) DO UPDATE SET"
	    " (" STORE_SERVER_SET ") = (" STORE_SERVER_EXCLUDED ")"
	    " RETURNING scan_id, address, port, id",
	/* xmax = 0: the row is new, so it has no old links or findings. */
	[S_DOMAIN_UPSERT] =
	    "INSERT INTO domain (" STORE_DOMAIN_COLUMNS ")"
	    " SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[],"
	    " $4::smallint[], $5::boolean[], $6::boolean[], $7::text[],"
	    " $8::text[], $9::int[], $10::int[], $11::int[], $12::int[],"
	    " $13::int[], $14::int[], $15::int[], $16::bigint[], $17::bigint[],"
	    " $18::text[], $19::smallint[], $20::text[], $21::json[])"
	    " ON CONFLICT (scan_id, name) DO UPDATE SET"
	    " (" STORE_DOMAIN_SET ") = (" STORE_DOMAIN_EXCLUDED ")"
	    " RETURNING scan_id, name, id, (xmax = 0)",
	[S_LINKS_DELETE] =
	    "DELETE FROM domain_server WHERE domain_id = ANY ($1::bigint[])",
	[S_FINDINGS_DELETE] =
	    "DELETE FROM finding WHERE domain_id = ANY ($1::bigint[])",
	[S_LINK_INSERT] =
	    "INSERT INTO domain_server (domain_id, server_id, mx_host,"
	    " preference, name_match)"
	    " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[],"
	    " $4::int[], $5::text[])"
	    " ON CONFLICT (domain_id, mx_host, server_id) DO NOTHING",
	[S_FINDING_INSERT] =
	    "INSERT INTO finding (scan_id, domain_id, server_id, mx_host,"
	    " finding, severity, detail)"
	    " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[],"
	    " $4::text[], $5::text[], $6::smallint[], $7::text[])",
	[S_STATS_DOMAINS] =
	    "SELECT count(*),"
	    " count(*) FILTER (WHERE null_mx),"
	    " count(*) FILTER (WHERE implicit_mx),"
	    " count(*) FILTER (WHERE mx_dnssec = 'secure'),"
	    " count(*) FILTER (WHERE mx_dnssec = 'insecure'),"
	    " count(*) FILTER (WHERE mx_dnssec = 'bogus'),"
	    " count(*) FILTER (WHERE addresses > 0 AND starttls_ok = addresses),"
	    " avg(score)"
	    " FROM domain WHERE scan_id = $1",
	[S_STATS_DOMAIN_GRADES] =
	    "SELECT grade, count(*) FROM domain WHERE scan_id = $1"
	    " GROUP BY grade",
	[S_STATS_VERDICT] =
	    "SELECT verdict, count(*) FROM domain WHERE scan_id = $1"
	    " GROUP BY verdict",
	[S_STATS_WORST] =
	    "SELECT worst_severity, count(*) FROM domain WHERE scan_id = $1"
	    " GROUP BY worst_severity",
	[S_STATS_SERVERS] =
	    "SELECT count(*) FILTER (WHERE enumerated),"
	    " count(*) FILTER (WHERE proto_sslv2 = 'yes'),"
	    " count(*) FILTER (WHERE proto_sslv3 = 'yes'),"
	    " count(*) FILTER (WHERE proto_tls10 = 'yes'),"
	    " count(*) FILTER (WHERE proto_tls11 = 'yes'),"
	    " count(*) FILTER (WHERE proto_tls12 = 'yes'),"
	    " count(*) FILTER (WHERE proto_tls13 = 'yes'),"
	    " avg(score)"
	    " FROM server s WHERE s.scan_id = $1 AND" LINKED,
	[S_STATS_SERVER_GRADES] =
	    "SELECT grade, count(*) FROM server s WHERE s.scan_id = $1"
	    " AND" LINKED " GROUP BY grade",
	[S_STATS_CLASS] =
	    "SELECT smtp_class, count(*) FROM server s WHERE s.scan_id = $1"
	    " AND" LINKED " GROUP BY smtp_class",
	/* Ties by name, bytewise as SQLite does. */
	[S_STATS_TLS] =
	    "SELECT tls_version, count(*) FROM server s WHERE s.scan_id = $1"
	    " AND tls_version IS NOT NULL AND" LINKED " GROUP BY tls_version"
	    " ORDER BY 2 DESC, tls_version COLLATE \"C\"",
	[S_STATS_CIPHER] =
	    "SELECT cipher, count(*) FROM server s WHERE s.scan_id = $1"
	    " AND cipher IS NOT NULL AND" LINKED " GROUP BY cipher"
	    " ORDER BY 2 DESC, cipher COLLATE \"C\" LIMIT $2",
	[S_STATS_FINDINGS] =
	    "SELECT finding, count(DISTINCT domain_id) FROM finding"
	    " WHERE scan_id = $1 GROUP BY finding"
	    " ORDER BY 2 DESC, finding COLLATE \"C\"",
	/* Authentication adoption, read from the stored report JSON
	 * (docs/json.md "authentication"); reports without it count as
	 * "not-checked". */
	[S_STATS_DANE] =
	    "SELECT k, n FROM (SELECT coalesce(report::jsonb #>>"
	    " '{authentication,dane,delivery}', 'not-checked') AS k,"
	    " count(*) AS n FROM domain WHERE scan_id = $1 GROUP BY 1) t"
	    " ORDER BY n DESC, k COLLATE \"C\"",
	[S_STATS_MTASTS] =
	    "SELECT k, n FROM (SELECT coalesce(CASE report::jsonb #>>"
	    " '{authentication,mta_sts,state}' WHEN 'policy' THEN"
	    " report::jsonb #>> '{authentication,mta_sts,policy,mode}' ELSE"
	    " report::jsonb #>> '{authentication,mta_sts,state}' END,"
	    " 'not-checked') AS k, count(*) AS n FROM domain"
	    " WHERE scan_id = $1 GROUP BY 1) t ORDER BY n DESC, k COLLATE \"C\"",
	[S_STATS_TLSRPT] =
	    "SELECT k, n FROM (SELECT coalesce(report::jsonb #>>"
	    " '{authentication,tls_rpt,error}', 'not-checked') AS k,"
	    " count(*) AS n FROM domain WHERE scan_id = $1 GROUP BY 1) t"
	    " ORDER BY n DESC, k COLLATE \"C\"",
	[S_EXPORT_DOMAIN] =
	    "SELECT d.name, d.verdict, d.worst_severity, d.null_mx,"
	    " d.implicit_mx, d.mx_outcome, d.mx_dnssec, d.mx_hosts, d.addresses,"
	    " d.starttls_ok, d.no_starttls, d.starttls_broken, d.inconclusive,"
	    " d.not_tested, d.checked_at, d.elapsed_ms,"
	    " (SELECT string_agg(DISTINCT finding, ' ' ORDER BY finding)"
	    "   FROM finding f WHERE f.domain_id = d.id),"
	    " d.report, d.grade, d.score"
	    " FROM domain d WHERE d.scan_id = $1 ORDER BY d.name COLLATE \"C\"",
	[S_EXPORT_SERVER] =
	    "SELECT s.address, s.port, s.family, s.reserved, s.smtp_status,"
	    " s.smtp_class, s.starttls_offered, s.tls_version, s.cipher,"
	    " s.cipher_bits, s.kx, s.kx_group, s.kx_bits, s.forward_secrecy,"
	    " s.cert_sha256, s.cert_not_after, s.cert_verified,"
	    " s.cert_verify_error, s.modern_refusals, s.enumerated,"
	    " s.proto_sslv2, s.proto_sslv3, s.proto_tls10, s.proto_tls11,"
	    " s.proto_tls12, s.proto_tls13, s.suites, s.dh_min_bits,"
	    " (SELECT count(DISTINCT domain_id) FROM domain_server l"
	    "   WHERE l.server_id = s.id),"
	    " (SELECT string_agg(DISTINCT mx_host, ' ' ORDER BY mx_host)"
	    "   FROM domain_server l WHERE l.server_id = s.id),"
	    " s.grade, s.score"
	    " FROM server s WHERE s.scan_id = $1 AND" LINKED
	    " ORDER BY s.address COLLATE \"C\", s.port",
};

struct pg {
	PGconn		*conn;
	enum store_open_mode mode;
};

/* Query parameters in text format; buffers for the numbers. */
struct params {
	const char	*v[MAX_PARAMS];
	char		 buf[MAX_PARAMS][24];
	int		 n;
};

static void
p_text(struct params *p, const char *s)
{
	p->v[p->n++] = s;
}

static void
p_int(struct params *p, long long x)
{
	snprintf(p->buf[p->n], sizeof(p->buf[p->n]), "%lld", x);
	p->v[p->n] = p->buf[p->n];
	p->n++;
}

/* pg_fail - "WHAT: the server's or libpq's message" as the store's error. */
static int
pg_fail(struct store *st, struct pg *g, const PGresult *r, const char *what)
{
	/* The primary message only: DETAIL, HINT, CONTEXT make a paragraph. */
	const char *msg = r != NULL ?
	    PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if ((msg == NULL || msg[0] == '\0') && r != NULL)
		msg = PQresultErrorMessage(r);
	if (msg == NULL || msg[0] == '\0')
		msg = PQerrorMessage(g->conn);
	if (msg == NULL || msg[0] == '\0')
		msg = "unknown error";
	return store_set_error(st, "%s: %s", what, msg);
}

/* run - a prepared statement, waited for.  The result, or NULL (error set). */
static PGresult *
run(struct store *st, struct pg *g, enum stmt_id id, const struct params *p,
    const char *what)
{
	PGresult *r = PQexecPrepared(g->conn, stmt_name[id], p ? p->n : 0,
	    p ? p->v : NULL, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(r);

	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK)
		return r;
	pg_fail(st, g, r, what);
	PQclear(r);
	return NULL;
}

/* exec - fixed SQL text (no data in it). */
static int
exec(struct store *st, struct pg *g, const char *sql, const char *what)
{
	PGresult *r = PQexec(g->conn, sql);
	ExecStatusType s = PQresultStatus(r);

	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
		PQclear(r);
		return 0;
	}
	pg_fail(st, g, r, what);
	PQclear(r);
	return -1;
}

static int64_t
v_int(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 :
	    strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static double
v_double(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0.0 :
	    strtod(PQgetvalue(r, row, col), NULL);
}

static int
v_bool(const PGresult *r, int row, int col)
{
	return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}

static const char *
v_text(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* Notices ("... already exists, skipping") are not for the user's terminal. */
static void
quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* drain - read and drop whatever results are still coming. */
static void
drain(struct pg *g)
{
	PGresult *r;

	while ((r = PQgetResult(g->conn)) != NULL)
		PQclear(r);
}

static void
pg_close(void *impl)
{
	struct pg *g = impl;

	if (g == NULL)
		return;
	PQfinish(g->conn);
	free(g);
}

/*
 * check_schema - make sure this database has our schema, of our version,
 * creating it when writing and none of our tables exist.  An advisory lock
 * serialises this between processes (CREATE TABLE IF NOT EXISTS alone
 * races on the catalog).
 */
static int
check_schema(struct store *st, struct pg *g)
{
	int write = g->mode == STORE_OPEN_WRITE, ours = 0, version;
	const char *missing = NULL;
	struct params p;
	PGresult *r;
	size_t i;

	if (exec(st, g, "BEGIN", "cannot read the schema") == -1)
		return -1;
	if (write && exec(st, g, "SELECT pg_advisory_xact_lock("
	    SCHEMA_LOCK_KEY ")", "cannot lock the schema") == -1)
		goto fail;
	for (i = 0; store_schema_tables[i] != NULL; i++) {
		const char *v[1] = { store_schema_tables[i] };

		r = PQexecParams(g->conn, "SELECT to_regclass($1) IS NOT NULL",
		    1, NULL, v, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			pg_fail(st, g, r, "cannot read the schema");
			PQclear(r);
			goto fail;
		}
		if (v_bool(r, 0, 0))
			ours++;
		else if (missing == NULL)
			missing = store_schema_tables[i];
		PQclear(r);
	}
	if (ours == 0 && !write) {
		store_set_error(st, "not a mailtls database (no mailtls tables)");
		goto fail;
	}
	if (ours == 0) {
		for (i = 0; store_schema[i].pg != NULL; i++)
			if (exec(st, g, store_schema[i].pg,
			    "cannot create the schema") == -1)
				goto fail;
		memset(&p, 0, sizeof(p));
		p_int(&p, STORE_SCHEMA_VERSION);
		r = PQexecParams(g->conn, "INSERT INTO meta (key, value)"
		    " VALUES ('schema_version', $1)", 1, NULL, p.v, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_fail(st, g, r, "cannot create the schema");
			PQclear(r);
			goto fail;
		}
		PQclear(r);
		/*
		 * Reports are ~7 KB of JSON each: lz4 (PostgreSQL 14+, when
		 * built with it) compresses them several times faster than
		 * the default pglz.  Storage only; without it nothing changes.
		 */
		if (exec(st, g, "SAVEPOINT lz4", "cannot create the schema") == -1)
			goto fail;
		if (exec(st, g, "ALTER TABLE domain ALTER COLUMN report"
		    " SET COMPRESSION lz4", "lz4") == -1)
			PQclear(PQexec(g->conn, "ROLLBACK TO SAVEPOINT lz4"));
		else
			PQclear(PQexec(g->conn, "RELEASE SAVEPOINT lz4"));
	} else if (missing != NULL) {
		store_set_error(st, "not a mailtls database (table %s missing)",
		    missing);
		goto fail;
	} else {
		r = PQexec(g->conn, "SELECT value FROM meta"
		    " WHERE key = 'schema_version'");
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
			if (PQresultStatus(r) != PGRES_TUPLES_OK)
				pg_fail(st, g, r, "cannot read the schema version");
			else
				store_set_error(st, "not a mailtls database (no "
				    "schema version)");
			PQclear(r);
			goto fail;
		}
		version = atoi(PQgetvalue(r, 0, 0));
		PQclear(r);
		if (version != STORE_SCHEMA_VERSION) {
			store_set_error(st, "database schema version %d, this "
			    "mailtls uses %d", version, STORE_SCHEMA_VERSION);
			goto fail;
		}
	}
	return exec(st, g, "COMMIT", "cannot create the schema");
fail:
	PQclear(PQexec(g->conn, "ROLLBACK"));
	return -1;
}

static int
pg_open(struct store *st, const char *uri, enum store_open_mode mode,
    void **impl)
{
	/* Ours first: whatever the URI says overrides them. */
	const char *const keys[] = { "connect_timeout", "application_name",
	    "client_encoding", "dbname", NULL };
	const char *const vals[] = { "10", "mailtls", "UTF8", uri, NULL };
	struct pg *g;
	size_t i;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return store_set_error(st, "out of memory");
	g->mode = mode;
	g->conn = PQconnectdbParams(keys, vals, 1);
	if (g->conn == NULL) {
		free(g);
		return store_set_error(st, "out of memory");
	}
	if (PQstatus(g->conn) != CONNECTION_OK) {
		store_set_error(st, "%s", PQerrorMessage(g->conn));
		goto fail;
	}
	PQsetNoticeProcessor(g->conn, quiet, NULL);
	if (mode == STORE_OPEN_READ && exec(st, g,
	    "SET default_transaction_read_only = on", "cannot connect") == -1)
		goto fail;
	if (check_schema(st, g) == -1)
		goto fail;
	for (i = 0; i < S_COUNT; i++) {
		PGresult *r = PQprepare(g->conn, stmt_name[i], stmt_sql[i], 0,
		    NULL);

		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_fail(st, g, r, "cannot prepare a statement");
			PQclear(r);
			goto fail;
		}
		PQclear(r);
	}
	*impl = g;
	return 0;
fail:
	pg_close(g);
	return -1;
}

static int
pg_scan_begin(struct store *st, const struct store_scan_params *p,
    int64_t *scan_id, int *resumed)
{
	struct pg *g = store_impl(st);
	struct params q;
	PGresult *r;
	int tries;

	/*
	 * Two statements, no lock: the INSERT waits for a concurrent one with
	 * the same identity and then does nothing, and the SELECT (a new
	 * snapshot) sees the winner's row.  Only a scan finished between the
	 * two makes us go round again.
	 */
	for (tries = 0; tries < 3; tries++) {
		memset(&q, 0, sizeof(q));
		p_int(&q, p->now);
		p_text(&q, p->input_path);
		p_text(&q, p->input_sha256);
		p_text(&q, p->options);
		p_int(&q, (long long)p->domains_total);
		p_text(&q, p->version);
		if ((r = run(st, g, S_SCAN_INSERT, &q, "cannot start the scan")) == NULL)
			return -1;
		if (PQntuples(r) == 1) {
			*scan_id = v_int(r, 0, 0);
			*resumed = 0;
			PQclear(r);
			return 0;
		}
		PQclear(r);
		memset(&q, 0, sizeof(q));
		p_text(&q, p->input_sha256);
		p_text(&q, p->options);
		if ((r = run(st, g, S_SCAN_FIND, &q, "cannot find the scan")) == NULL)
			return -1;
		if (PQntuples(r) == 1) {
			*scan_id = v_int(r, 0, 0);
			*resumed = 1;
			PQclear(r);
			return 0;
		}
		PQclear(r);
	}
	return store_set_error(st, "cannot start the scan: its identity keeps "
	    "changing state");
}

/*
 * stream_sent - the rows of the query just sent (single-row mode set),
 * each handed to cb, so that millions of rows never sit in memory at once.
 * cb returning -1 cancels the query.  Reads every result to the end.
 */
static int
stream_sent(struct store *st, struct pg *g,
    int (*cb)(void *arg, const PGresult *r), void *arg, const char *what)
{
	PGresult *r;
	int rc = 0;

	while ((r = PQgetResult(g->conn)) != NULL) {
		ExecStatusType s = PQresultStatus(r);

		if (s == PGRES_SINGLE_TUPLE && rc == 0) {
			if (cb(arg, r) == -1) {
				PGcancel *c = PQgetCancel(g->conn);
				char buf[256];

				rc = store_set_error(st, "stopped");
				if (c != NULL) {
					PQcancel(c, buf, sizeof(buf));
					PQfreeCancel(c);
				}
			}
		} else if (s != PGRES_SINGLE_TUPLE && s != PGRES_TUPLES_OK &&
		    rc == 0) {
			rc = pg_fail(st, g, r, what);
		}
		PQclear(r);
	}
	return rc;
}

/* stream - run the prepared statement id row by row (stream_sent()). */
static int
stream(struct store *st, struct pg *g, enum stmt_id id, const struct params *p,
    int (*cb)(void *arg, const PGresult *r), void *arg, const char *what)
{
	if (!PQsendQueryPrepared(g->conn, stmt_name[id], p->n, p->v, NULL, NULL,
	    0) || !PQsetSingleRowMode(g->conn)) {
		drain(g);
		return pg_fail(st, g, NULL, what);
	}
	return stream_sent(st, g, cb, arg, what);
}

struct done_arg {
	int	(*cb)(void *arg, const char *domain);
	void	*arg;
};

static int
done_row(void *arg, const PGresult *r)
{
	struct done_arg *d = arg;

	return d->cb(d->arg, PQgetvalue(r, 0, 0));
}

static int
pg_scan_done_foreach(struct store *st, int64_t scan_id,
    int (*cb)(void *arg, const char *domain), void *arg)
{
	struct pg *g = store_impl(st);
	struct done_arg d = { cb, arg };
	struct params p;

	memset(&p, 0, sizeof(p));
	p_int(&p, scan_id);
	return stream(st, g, S_SCAN_DONE, &p, done_row, &d,
	    "cannot read the domains done");
}

static int
pg_scan_finish(struct store *st, int64_t scan_id, int64_t now)
{
	struct pg *g = store_impl(st);
	struct params p;
	PGresult *r;
	int changed;

	memset(&p, 0, sizeof(p));
	p_int(&p, scan_id);
	p_int(&p, now);
	if ((r = run(st, g, S_SCAN_FINISH, &p, "cannot finish the scan")) == NULL)
		return -1;
	changed = atoi(PQcmdTuples(r));
	PQclear(r);
	if (changed > 0)
		return 0;
	/* Finished already is fine; a scan that is not there is not. */
	memset(&p, 0, sizeof(p));
	p_int(&p, scan_id);
	if ((r = run(st, g, S_SCAN_EXISTS, &p, "cannot finish the scan")) == NULL)
		return -1;
	changed = PQntuples(r);
	PQclear(r);
	return changed ? 0 : store_set_error(st, "no scan %lld",
	    (long long)scan_id);
}

static char *
dup_text(const PGresult *r, int col)
{
	const char *v = v_text(r, 0, col);

	return strdup(v != NULL ? v : "");
}

static int
pg_scan_get(struct store *st, int64_t scan_id, struct store_scan_info *out)
{
	struct pg *g = store_impl(st);
	struct params p;
	PGresult *r;

	memset(&p, 0, sizeof(p));
	if (scan_id > 0)
		p_int(&p, scan_id);
	if ((r = run(st, g, scan_id > 0 ? S_SCAN_GET : S_SCAN_LATEST, &p,
	    "cannot read the scan")) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return scan_id > 0 ? store_set_error(st, "no scan %lld",
		    (long long)scan_id) : store_set_error(st, "no scan in the "
		    "database");
	}
	out->id = v_int(r, 0, 0);
	out->started_at = v_int(r, 0, 1);
	out->finished_at = v_int(r, 0, 2);
	out->input_path = dup_text(r, 3);
	out->input_sha256 = dup_text(r, 4);
	out->options = dup_text(r, 5);
	out->domains_total = (uint64_t)v_int(r, 0, 6);
	out->version = dup_text(r, 7);
	PQclear(r);
	if (out->input_path == NULL || out->input_sha256 == NULL ||
	    out->options == NULL || out->version == NULL) {
		store_scan_info_clear(out);
		return store_set_error(st, "out of memory");
	}
	return 0;
}

/* ---- batches: column arrays in pipeline mode ---- */

/*
 * One column of a batch as a PostgreSQL array literal, passed as a text
 * parameter: {1,NULL,3} or {"a","b \"quoted\""}.  Inside the quotes only
 * " and \ are special; that escaping is the literal's syntax, the value
 * still travels apart from the SQL.
 */
struct arr {
	char	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 n;
	int	 oom;
	int	 done;
};

static void
arr_raw(struct arr *a, const char *s, size_t n)
{
	if (a->oom)
		return;
	if (a->len + n + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 4096;
		char *p;

		while (cap < a->len + n + 2)
			cap *= 2;
		if ((p = realloc(a->p, cap)) == NULL) {
			a->oom = 1;
			return;
		}
		a->p = p;
		a->cap = cap;
	}
	memcpy(a->p + a->len, s, n);
	a->len += n;
}

static void
arr_next(struct arr *a)
{
	arr_raw(a, a->n++ == 0 ? "{" : ",", 1);
}

static void
arr_null(struct arr *a)
{
	arr_next(a);
	arr_raw(a, "NULL", 4);
}

static void
arr_int(struct arr *a, long long v)
{
	char buf[24];

	arr_next(a);
	arr_raw(a, buf, (size_t)snprintf(buf, sizeof(buf), "%lld", v));
}

static void
arr_bool(struct arr *a, int v)
{
	arr_next(a);
	arr_raw(a, v ? "t" : "f", 1);
}

static void
arr_text(struct arr *a, const char *s)
{
	const char *run;

	if (s == NULL) {
		arr_null(a);
		return;
	}
	arr_next(a);
	arr_raw(a, "\"", 1);
	while (*s != '\0') {
		for (run = s; *s != '\0' && *s != '"' && *s != '\\'; s++)
			;
		arr_raw(a, run, (size_t)(s - run));
		if (*s != '\0') {
			arr_raw(a, "\\", 1);
			arr_raw(a, s++, 1);
		}
	}
	arr_raw(a, "\"", 1);
}

/* arr_done - the literal, NUL-terminated; NULL if out of memory. */
static const char *
arr_done(struct arr *a)
{
	if (!a->done) {
		if (a->n == 0)
			arr_raw(a, "{", 1);
		arr_raw(a, "}", 1);
		a->done = 1;
	}
	if (a->oom)
		return NULL;
	a->p[a->len] = '\0';
	return a->p;
}

/* Column arrays for one statement, turned into its parameters. */
struct cols {
	struct arr	 a[MAX_PARAMS];
	struct params	 p;
};

static void
cols_reset(struct cols *c)
{
	size_t i;

	for (i = 0; i < MAX_PARAMS; i++) {
		c->a[i].len = 0;
		c->a[i].n = 0;
		c->a[i].oom = 0;
		c->a[i].done = 0;
	}
}

static void
cols_free(struct cols *c)
{
	size_t i;

	for (i = 0; i < MAX_PARAMS; i++)
		free(c->a[i].p);
}

/* cols_params - the n literals as parameters; -1 if out of memory. */
static int
cols_params(struct cols *c, int n)
{
	int i;

	memset(&c->p, 0, sizeof(c->p));
	for (i = 0; i < n; i++)
		if ((c->p.v[i] = arr_done(&c->a[i])) == NULL)
			return -1;
	c->p.n = n;
	return 0;
}

struct writer {
	struct store		*st;
	struct pg		*g;
	struct store_batch	*b;
	unsigned char		*fresh;		/* per domain: the row is new */
	struct cols		 c;
	enum stmt_id		 pending[8];	/* sent since the last sync */
	int			 n_pending;
	char			 sqlstate[6];
	int			 broken;	/* the connection itself failed */
};

static void
server_row(struct cols *c, const struct store_row_server *r)
{
	struct arr *a = c->a;
	int v;

	arr_int(&a[0], r->scan_id);
	arr_text(&a[1], r->address);
	arr_int(&a[2], r->port);
	arr_text(&a[3], r->family);
	arr_text(&a[4], r->reserved);
	arr_text(&a[5], r->smtp_status);
	arr_text(&a[6], store_class_name(r->class));
	arr_bool(&a[7], r->starttls_offered);
	if (r->tls) {
		arr_text(&a[8], r->tls_version);
		arr_int(&a[9], r->tls_version_code);
		arr_text(&a[10], r->cipher);
		arr_int(&a[11], r->cipher_bits);
		arr_text(&a[12], r->kx);
		arr_text(&a[13], r->kx_group);
		arr_int(&a[14], r->kx_bits);
		arr_bool(&a[15], r->forward_secrecy);
		arr_bool(&a[18], r->cert_verified);
		arr_text(&a[19], r->cert_verify_error);
	} else {
		arr_null(&a[8]);
		arr_null(&a[9]);
		arr_null(&a[10]);
		arr_null(&a[11]);
		arr_null(&a[12]);
		arr_null(&a[13]);
		arr_null(&a[14]);
		arr_null(&a[15]);
		arr_null(&a[18]);
		arr_null(&a[19]);
	}
	if (r->cert) {
		arr_text(&a[16], r->cert_sha256);
		arr_int(&a[17], r->cert_not_after);
	} else {
		arr_null(&a[16]);
		arr_null(&a[17]);
	}
	arr_int(&a[20], r->modern_refusals);
	arr_bool(&a[21], r->enumerated);
	for (v = 0; v < PROBE_VERSION_COUNT; v++)
		arr_text(&a[22 + v], r->enumerated ? r->protocol[v] : NULL);
	if (r->enumerated) {
		arr_int(&a[28], r->suites);
		arr_int(&a[29], r->dh_min_bits);
	} else {
		arr_null(&a[28]);
		arr_null(&a[29]);
	}
	arr_text(&a[30], r->grade);
	if (r->score >= 0)
		arr_int(&a[31], r->score);
	else
		arr_null(&a[31]);
	arr_int(&a[32], r->elapsed_ms);
}

static void
domain_row(struct cols *c, const struct store_row_domain *r)
{
	struct arr *a = c->a;

	arr_int(&a[0], r->scan_id);
	arr_text(&a[1], r->name);
	arr_text(&a[2], store_verdict_name(r->verdict));
	if (r->worst >= 0)
		arr_int(&a[3], r->worst);
	else
		arr_null(&a[3]);
	arr_bool(&a[4], r->null_mx);
	arr_bool(&a[5], r->implicit_mx);
	arr_text(&a[6], r->mx_outcome);
	arr_text(&a[7], r->mx_dnssec);
	arr_int(&a[8], r->mx_hosts);
	arr_int(&a[9], r->addresses);
	arr_int(&a[10], r->starttls_ok);
	arr_int(&a[11], r->no_starttls);
	arr_int(&a[12], r->broken);
	arr_int(&a[13], r->inconclusive);
	arr_int(&a[14], r->not_tested);
	arr_int(&a[15], r->checked_at);
	arr_int(&a[16], r->elapsed_ms);
	arr_text(&a[17], r->grade);
	if (r->score >= 0)
		arr_int(&a[18], r->score);
	else
		arr_null(&a[18]);
	arr_text(&a[19], r->grade_confidence);
	arr_text(&a[20], r->report);
}

/* pipe_send - one statement into the pipeline; -1 (error set) if it could not. */
static int
pipe_send(struct writer *w, enum stmt_id id, int nparams)
{
	if (cols_params(&w->c, nparams) == -1)
		return store_set_error(w->st, "out of memory");
	if (!PQsendQueryPrepared(w->g->conn, stmt_name[id], w->c.p.n, w->c.p.v,
	    NULL, NULL, 0)) {
		w->broken = 1;
		return pg_fail(w->st, w->g, NULL, "cannot save");
	}
	w->pending[w->n_pending++] = id;
	return 0;
}

/* send_command - BEGIN, COMMIT, ROLLBACK (S_COUNT marks them pending). */
static int
send_command(struct writer *w, const char *sql)
{
	if (!PQsendQueryParams(w->g->conn, sql, 0, NULL, NULL, NULL, NULL, 0)) {
		w->broken = 1;
		return pg_fail(w->st, w->g, NULL, "cannot save");
	}
	w->pending[w->n_pending++] = S_COUNT;
	return 0;
}

static const struct store_batch *find_batch;

static int
server_key_cmp(const void *key, const void *elem)
{
	const struct store_row_server *k = key;
	const struct store_row_server *e = &find_batch->servers[*(const size_t *)elem];
	int c;

	if (k->scan_id != e->scan_id)
		return k->scan_id < e->scan_id ? -1 : 1;
	if ((c = strcmp(k->address, e->address)) != 0)
		return c;
	return k->port == e->port ? 0 : k->port < e->port ? -1 : 1;
}

static int
domain_key_cmp(const void *key, const void *elem)
{
	const struct store_row_domain *k = key;
	const struct store_row_domain *e = &find_batch->domains[*(const size_t *)elem];

	if (k->scan_id != e->scan_id)
		return k->scan_id < e->scan_id ? -1 : 1;
	return strcmp(k->name, e->name);
}

/*
 * take_ids - give each written server or domain its row id, looked up by
 * key in the (sorted) write order: RETURNING promises no row order.
 */
static int
take_ids(struct writer *w, const PGresult *r, int servers)
{
	struct store_batch *b = w->b;
	size_t want = servers ? b->n_server_order : b->n_domain_order;
	const size_t *hit;
	int i;

	if ((size_t)PQntuples(r) != want)
		return store_set_error(w->st, "cannot save: %d rows written, %zu "
		    "expected", PQntuples(r), want);
	find_batch = b;
	for (i = 0; i < PQntuples(r); i++) {
		if (servers) {
			struct store_row_server k;

			k.scan_id = v_int(r, i, 0);
			k.address = PQgetvalue(r, i, 1);
			k.port = (unsigned)v_int(r, i, 2);
			hit = bsearch(&k, b->server_order, b->n_server_order,
			    sizeof(*hit), server_key_cmp);
			if (hit != NULL)
				b->servers[*hit].db_id = v_int(r, i, 3);
		} else {
			struct store_row_domain k;

			k.scan_id = v_int(r, i, 0);
			k.name = PQgetvalue(r, i, 1);
			hit = bsearch(&k, b->domain_order, b->n_domain_order,
			    sizeof(*hit), domain_key_cmp);
			if (hit != NULL) {
				b->domains[*hit].db_id = v_int(r, i, 2);
				w->fresh[*hit] = (unsigned char)v_bool(r, i, 3);
			}
		}
		if (hit == NULL) {
			find_batch = NULL;
			return store_set_error(w->st, "cannot save: the database "
			    "returned a row that is not in the batch");
		}
	}
	find_batch = NULL;
	return 0;
}

/*
 * pipe_sync - end the statements sent so far with a sync point and read their
 * results; the server and domain upserts carry row ids.  -1 on the first
 * error, whose SQLSTATE is kept for the retry decision.
 */
static int
pipe_sync(struct writer *w)
{
	PGconn *conn = w->g->conn;
	PGresult *r;
	int i, rc = 0, expect = w->n_pending;

	w->n_pending = 0;
	if (!PQpipelineSync(conn)) {
		w->broken = 1;
		return pg_fail(w->st, w->g, NULL, "cannot save");
	}
	for (i = 0; i < expect; i++) {
		while ((r = PQgetResult(conn)) != NULL) {
			ExecStatusType s = PQresultStatus(r);

			if (s == PGRES_FATAL_ERROR && rc == 0) {
				const char *code = PQresultErrorField(r,
				    PG_DIAG_SQLSTATE);

				snprintf(w->sqlstate, sizeof(w->sqlstate), "%s",
				    code != NULL ? code : "");
				rc = pg_fail(w->st, w->g, r, "cannot save");
			} else if (s == PGRES_TUPLES_OK && rc == 0 &&
			    (w->pending[i] == S_SERVER_UPSERT ||
			    w->pending[i] == S_DOMAIN_UPSERT)) {
				rc = take_ids(w, r, w->pending[i] == S_SERVER_UPSERT);
			}
			PQclear(r);
		}
	}
	r = PQgetResult(conn);
	if (r == NULL || PQresultStatus(r) != PGRES_PIPELINE_SYNC ||
	    PQstatus(conn) != CONNECTION_OK) {
		w->broken = 1;
		if (rc == 0)
			rc = pg_fail(w->st, w->g, NULL, "cannot save");
	}
	PQclear(r);
	return rc;
}

/*
 * write_once - one attempt at the batch, two round trips: BEGIN and the
 * server and domain upserts (their ids come back), then the links and
 * findings, which need those ids, and COMMIT.
 */
static int
write_once(struct writer *w)
{
	struct store_batch *b = w->b;
	size_t i, j, replaced = 0;

	if (send_command(w, "BEGIN") == -1)
		return -1;
	cols_reset(&w->c);
	for (i = 0; i < b->n_server_order; i++)
		server_row(&w->c, &b->servers[b->server_order[i]]);
	if (pipe_send(w, S_SERVER_UPSERT, STORE_SERVER_NCOLS) == -1)
		return -1;
	cols_reset(&w->c);
	for (i = 0; i < b->n_domain_order; i++)
		domain_row(&w->c, &b->domains[b->domain_order[i]]);
	if (pipe_send(w, S_DOMAIN_UPSERT, STORE_DOMAIN_NCOLS) == -1 || pipe_sync(w) == -1)
		return -1;

	/* A domain saved before (a replay) loses its old links and findings. */
	cols_reset(&w->c);
	for (i = 0; i < b->n_domain_order; i++) {
		if (!w->fresh[b->domain_order[i]]) {
			arr_int(&w->c.a[0], b->domains[b->domain_order[i]].db_id);
			replaced++;
		}
	}
	if (replaced > 0 && (pipe_send(w, S_LINKS_DELETE, 1) == -1 ||
	    pipe_send(w, S_FINDINGS_DELETE, 1) == -1))
		return -1;

	cols_reset(&w->c);
	for (i = 0; i < b->n_domain_order; i++) {
		const struct store_row_domain *r = &b->domains[b->domain_order[i]];

		for (j = r->first_link; j < r->first_link + r->n_links; j++) {
			const struct store_row_link *l = &b->links[j];

			arr_int(&w->c.a[0], r->db_id);
			arr_int(&w->c.a[1], store_batch_server_id(b, l->server));
			arr_text(&w->c.a[2], l->mx_host);
			if (l->preference >= 0)
				arr_int(&w->c.a[3], l->preference);
			else
				arr_null(&w->c.a[3]);
			arr_text(&w->c.a[4], l->name_match);
		}
	}
	if (pipe_send(w, S_LINK_INSERT, 5) == -1)
		return -1;

	cols_reset(&w->c);
	for (i = 0; i < b->n_domain_order; i++) {
		const struct store_row_domain *r = &b->domains[b->domain_order[i]];

		for (j = r->first_finding; j < r->first_finding + r->n_findings;
		    j++) {
			const struct store_row_finding *f = &b->findings[j];

			arr_int(&w->c.a[0], r->scan_id);
			arr_int(&w->c.a[1], r->db_id);
			if (f->server >= 0)
				arr_int(&w->c.a[2],
				    store_batch_server_id(b, (size_t)f->server));
			else
				arr_null(&w->c.a[2]);
			arr_text(&w->c.a[3], f->mx_host);
			arr_text(&w->c.a[4], f->id);
			arr_int(&w->c.a[5], f->severity);
			arr_text(&w->c.a[6], f->detail);
		}
	}
	if (pipe_send(w, S_FINDING_INSERT, 7) == -1 || send_command(w, "COMMIT") == -1)
		return -1;
	return pipe_sync(w);
}

static int
transient(const char *sqlstate)
{
	/* deadlock_detected, serialization_failure */
	return strcmp(sqlstate, "40P01") == 0 || strcmp(sqlstate, "40001") == 0;
}

static int
pg_write_batch(struct store *st, struct store_batch *b)
{
	struct pg *g = store_impl(st);
	struct writer *w;
	int tries, rc = -1;

	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->fresh = calloc(b->n_domains ? b->n_domains : 1, 1)) == NULL) {
		free(w);
		return store_set_error(st, "out of memory");
	}
	w->st = st;
	w->g = g;
	w->b = b;
	if (!PQenterPipelineMode(g->conn)) {
		pg_fail(st, g, NULL, "cannot save");
		goto out;
	}
	for (tries = 0; tries < BATCH_TRIES; tries++) {
		w->sqlstate[0] = '\0';
		if ((rc = write_once(w)) == 0 || w->broken)
			break;
		/*
		 * The transaction failed; whatever was queued after the error
		 * was skipped.  Read up to a sync, end it, and go again if the
		 * failure was a lost deadlock or serialization conflict.
		 */
		if (send_command(w, "ROLLBACK") == -1 || pipe_sync(w) == -1 ||
		    !transient(w->sqlstate))
			break;
	}
	if (!w->broken)
		PQexitPipelineMode(g->conn);
out:
	cols_free(&w->c);
	free(w->fresh);
	free(w);
	return rc;
}

/* ---- stats ---- */

static int
group_rows(struct store *st, struct pg *g, enum stmt_id id,
    const struct params *p, int (*add)(void *arg, const PGresult *r, int row),
    void *arg)
{
	PGresult *r;
	int i;

	if ((r = run(st, g, id, p, "cannot compute the statistics")) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		if (add(arg, r, i) == -1) {
			PQclear(r);
			return store_set_error(st, "out of memory");
		}
	}
	PQclear(r);
	return 0;
}

static int
add_verdict(void *arg, const PGresult *r, int row)
{
	struct store_stats *out = arg;
	const char *name = v_text(r, row, 0);
	int v;

	for (v = 0; v < STORE_VERDICT_COUNT; v++)
		if (name != NULL && strcmp(name, store_verdict_name(v)) == 0)
			out->verdict[v] = (uint64_t)v_int(r, row, 1);
	return 0;
}

static int
add_worst(void *arg, const PGresult *r, int row)
{
	struct store_stats *out = arg;
	int64_t rank = v_int(r, row, 0);

	if (PQgetisnull(r, row, 0))
		out->worst_none = (uint64_t)v_int(r, row, 1);
	else if (rank >= 0 && rank < SEV_COUNT)
		out->worst[rank] = (uint64_t)v_int(r, row, 1);
	return 0;
}

static int
add_class(void *arg, const PGresult *r, int row)
{
	struct store_stats *out = arg;
	const char *name = v_text(r, row, 0);
	uint64_t n = (uint64_t)v_int(r, row, 1);
	int c;

	out->servers += n;
	for (c = 0; c < STORE_CLASS_COUNT; c++)
		if (name != NULL && strcmp(name, store_class_name(c)) == 0)
			out->server_class[c] = n;
	return 0;
}

/* add_grade - a "grade, count" row into a uint64_t[GRADE_LETTER_COUNT]. */
static int
add_grade(void *arg, const PGresult *r, int row)
{
	uint64_t *by_letter = arg;

	by_letter[store_grade_letter(v_text(r, row, 0))] +=
	    (uint64_t)v_int(r, row, 1);
	return 0;
}

static int
add_count(void *arg, const PGresult *r, int row)
{
	return store_counts_add(arg, v_text(r, row, 0),
	    (uint64_t)v_int(r, row, 1));
}

static int
pg_stats(struct store *st, int64_t scan_id, struct store_stats *out)
{
	struct pg *g = store_impl(st);
	struct params p, pc;
	PGresult *r;
	int v;

	/* One snapshot for every number, even while scans write. */
	if (exec(st, g, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	    "cannot read") == -1)
		return -1;
	memset(&p, 0, sizeof(p));
	p_int(&p, scan_id);
	if ((r = run(st, g, S_STATS_DOMAINS, &p,
	    "cannot compute the statistics")) == NULL)
		goto fail;
	out->domains = (uint64_t)v_int(r, 0, 0);
	out->null_mx = (uint64_t)v_int(r, 0, 1);
	out->implicit_mx = (uint64_t)v_int(r, 0, 2);
	out->mx_secure = (uint64_t)v_int(r, 0, 3);
	out->mx_insecure = (uint64_t)v_int(r, 0, 4);
	out->mx_bogus = (uint64_t)v_int(r, 0, 5);
	out->all_starttls = (uint64_t)v_int(r, 0, 6);
	out->domain_score = v_double(r, 0, 7);
	out->mx_indeterminate = out->domains - out->mx_secure -
	    out->mx_insecure - out->mx_bogus;
	PQclear(r);
	memset(&pc, 0, sizeof(pc));
	p_int(&pc, scan_id);
	p_int(&pc, STORE_TOP_CIPHERS);
	if ((r = run(st, g, S_STATS_SERVERS, &p,
	    "cannot compute the statistics")) == NULL)
		goto fail;
	out->enumerated = (uint64_t)v_int(r, 0, 0);
	for (v = 0; v < PROBE_VERSION_COUNT; v++)
		out->protocol[v] = (uint64_t)v_int(r, 0, 1 + v);
	out->server_score = v_double(r, 0, 7);
	PQclear(r);
	if (group_rows(st, g, S_STATS_VERDICT, &p, add_verdict, out) == -1 ||
	    group_rows(st, g, S_STATS_WORST, &p, add_worst, out) == -1 ||
	    group_rows(st, g, S_STATS_CLASS, &p, add_class, out) == -1 ||
	    group_rows(st, g, S_STATS_TLS, &p, add_count,
	    &out->tls_versions) == -1 ||
	    group_rows(st, g, S_STATS_CIPHER, &pc, add_count,
	    &out->ciphers) == -1 ||
	    group_rows(st, g, S_STATS_FINDINGS, &p, add_count,
	    &out->findings) == -1 ||
	    group_rows(st, g, S_STATS_DANE, &p, add_count, &out->dane) == -1 ||
	    group_rows(st, g, S_STATS_MTASTS, &p, add_count,
	    &out->mta_sts) == -1 ||
	    group_rows(st, g, S_STATS_TLSRPT, &p, add_count,
	    &out->tls_rpt) == -1 ||
	    group_rows(st, g, S_STATS_DOMAIN_GRADES, &p, add_grade,
	    out->domain_grade) == -1 ||
	    group_rows(st, g, S_STATS_SERVER_GRADES, &p, add_grade,
	    out->server_grade) == -1)
		goto fail;
	return exec(st, g, "COMMIT", "cannot read");
fail:
	PQclear(PQexec(g->conn, "ROLLBACK"));
	return -1;
}

/* ---- export ---- */

struct pg_iter {
	enum store_per		 per;
	PGresult		*row;	/* the current row's result */
	int			 done;
	struct store_domain_row	 d;
	struct store_server_row	 s;
};

static void *
pg_export_open(struct store *st, int64_t scan_id, enum store_per per)
{
	struct pg *g = store_impl(st);
	struct pg_iter *it;
	struct params p;

	if ((it = calloc(1, sizeof(*it))) == NULL) {
		store_set_error(st, "out of memory");
		return NULL;
	}
	it->per = per;
	memset(&p, 0, sizeof(p));
	p_int(&p, scan_id);
	/* Single-row mode: rows arrive one at a time, however many there are. */
	if (!PQsendQueryPrepared(g->conn, stmt_name[per == STORE_PER_DOMAIN ?
	    S_EXPORT_DOMAIN : S_EXPORT_SERVER], p.n, p.v, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(g->conn)) {
		pg_fail(st, g, NULL, "cannot read");
		drain(g);
		free(it);
		return NULL;
	}
	return it;
}

static int
pg_export_next(struct store *st, void *impl, struct store_row *row)
{
	struct pg *g = store_impl(st);
	struct pg_iter *it = impl;
	ExecStatusType s;
	PGresult *r;

	PQclear(it->row);
	it->row = NULL;
	if (it->done)
		return 0;
	if ((r = PQgetResult(g->conn)) == NULL) {
		it->done = 1;
		return 0;
	}
	s = PQresultStatus(r);
	if (s == PGRES_TUPLES_OK) {
		/* The end: the zero-row result, then NULL. */
		PQclear(r);
		drain(g);
		it->done = 1;
		return 0;
	}
	if (s != PGRES_SINGLE_TUPLE) {
		pg_fail(st, g, r, "cannot read");
		PQclear(r);
		drain(g);
		it->done = 1;
		return -1;
	}
	it->row = r;
	if (it->per == STORE_PER_DOMAIN) {
		struct store_domain_row *d = &it->d;

		d->name = v_text(r, 0, 0);
		d->verdict = v_text(r, 0, 1);
		d->worst_severity = PQgetisnull(r, 0, 2) ? -1 :
		    (int)v_int(r, 0, 2);
		d->null_mx = v_bool(r, 0, 3);
		d->implicit_mx = v_bool(r, 0, 4);
		d->mx_outcome = v_text(r, 0, 5);
		d->mx_dnssec = v_text(r, 0, 6);
		d->mx_hosts = (unsigned)v_int(r, 0, 7);
		d->addresses = (unsigned)v_int(r, 0, 8);
		d->starttls_ok = (unsigned)v_int(r, 0, 9);
		d->no_starttls = (unsigned)v_int(r, 0, 10);
		d->starttls_broken = (unsigned)v_int(r, 0, 11);
		d->inconclusive = (unsigned)v_int(r, 0, 12);
		d->not_tested = (unsigned)v_int(r, 0, 13);
		d->checked_at = v_int(r, 0, 14);
		d->elapsed_ms = (unsigned)v_int(r, 0, 15);
		d->findings = v_text(r, 0, 16) ? v_text(r, 0, 16) : "";
		d->report = v_text(r, 0, 17);
		d->grade = v_text(r, 0, 18);
		d->score = PQgetisnull(r, 0, 19) ? -1 : (int)v_int(r, 0, 19);
		row->domain = d;
	} else {
		struct store_server_row *v = &it->s;
		int k;

		v->address = v_text(r, 0, 0);
		v->port = (unsigned)v_int(r, 0, 1);
		v->family = v_text(r, 0, 2);
		v->reserved = v_text(r, 0, 3);
		v->smtp_status = v_text(r, 0, 4);
		v->smtp_class = v_text(r, 0, 5);
		v->starttls_offered = v_bool(r, 0, 6);
		v->tls_version = v_text(r, 0, 7);
		v->cipher = v_text(r, 0, 8);
		v->cipher_bits = (int)v_int(r, 0, 9);
		v->kx = v_text(r, 0, 10);
		v->kx_group = v_text(r, 0, 11);
		v->kx_bits = (int)v_int(r, 0, 12);
		v->forward_secrecy = v_bool(r, 0, 13);
		v->cert_sha256 = v_text(r, 0, 14);
		v->cert_not_after = v_int(r, 0, 15);
		v->cert_verified = v_bool(r, 0, 16);
		v->cert_verify_error = v_text(r, 0, 17);
		v->modern_refusals = (unsigned)v_int(r, 0, 18);
		v->enumerated = v_bool(r, 0, 19);
		for (k = 0; k < PROBE_VERSION_COUNT; k++)
			v->protocol[k] = v_text(r, 0, 20 + k);
		v->suites = (int)v_int(r, 0, 26);
		v->dh_min_bits = (int)v_int(r, 0, 27);
		v->domains = (uint64_t)v_int(r, 0, 28);
		v->mx_hosts = v_text(r, 0, 29) ? v_text(r, 0, 29) : "";
		v->grade = v_text(r, 0, 30);
		v->score = PQgetisnull(r, 0, 31) ? -1 : (int)v_int(r, 0, 31);
		row->server = v;
	}
	return 1;
}

static void
pg_export_close(struct store *st, void *impl)
{
	struct pg *g = store_impl(st);
	struct pg_iter *it = impl;

	PQclear(it->row);
	if (!it->done) {
		/* Stopped early (a closed pipe): do not read the rest. */
		PGcancel *c = PQgetCancel(g->conn);
		char buf[256];

		if (c != NULL) {
			PQcancel(c, buf, sizeof(buf));
			PQfreeCancel(c);
		}
		drain(g);
	}
	free(it);
}

static int pg_diff(struct store *st, int64_t scan_a, int64_t scan_b,
    int64_t expiring_before, store_diff_cb *cb, void *arg);
static int pg_domain_report(struct store *, int64_t, const char *,
    struct store_report *);
static int pg_recent(struct store *, int64_t, size_t, struct store_recent **,
    size_t *);

const struct store_ops store_pg_ops = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.scan_begin = pg_scan_begin,
	.scan_done_foreach = pg_scan_done_foreach,
	.scan_finish = pg_scan_finish,
	.scan_get = pg_scan_get,
	.write_batch = pg_write_batch,
	.stats = pg_stats,
	.export_open = pg_export_open,
	.export_next = pg_export_next,
	.export_close = pg_export_close,
	.diff = pg_diff,
	.domain_report = pg_domain_report,
	.recent = pg_recent,
};

/* ---- diff (store_diff()) ---- */

/*
 * The queries of store_sqlite.c's diff_sql[], in PostgreSQL's spelling
 * (IS [NOT] DISTINCT FROM, string_agg, bytewise COLLATE "C", NULLs
 * first as SQLite sorts them).  The same 19 columns.
 */
#define DIFF_NO_SERVER " NULL, NULL,"
#define DIFF_NO_CLASS " NULL, NULL, NULL, NULL,"
#define DIFF_NO_GRADE " NULL, NULL, NULL, NULL,"
#define DIFF_NO_CTX " NULL, NULL,"
#define DIFF_NO_CERT " NULL, NULL,"
#define DIFF_NO_FINDING " NULL, NULL, NULL, NULL"
#define DIFF_CTX(t) \
	" (SELECT string_agg(DISTINCT mx_host, ' ' ORDER BY mx_host)" \
	"   FROM domain_server l WHERE l.server_id = " t ".id)," \
	" (SELECT count(DISTINCT domain_id) FROM domain_server l" \
	"   WHERE l.server_id = " t ".id),"
#define DIFF_LINKED(t) \
	" EXISTS (SELECT 1 FROM domain_server l WHERE l.server_id = " t ".id)"
#define DIFF_BOTH_SERVERS \
	" FROM server a JOIN server b ON b.scan_id = $2" \
	" AND b.address = a.address AND b.port = a.port" \
	" WHERE a.scan_id = $1 AND" DIFF_LINKED("a") " AND" DIFF_LINKED("b")
#define DIFF_BROKEN "('no-starttls', 'starttls-broken')"
#define DIFF_BY_ADDRESS " ORDER BY b.address COLLATE \"C\", b.port"
#define DIFF_FINDINGS(x, y) \
	"SELECT d.name," DIFF_NO_SERVER DIFF_NO_GRADE DIFF_NO_CLASS \
	DIFF_NO_CTX DIFF_NO_CERT " f.mx_host, f.finding, max(f.severity)," \
	" min(f.detail)" \
	" FROM finding f JOIN domain d ON d.id = f.domain_id" \
	" JOIN domain o ON o.scan_id = " y " AND o.name = d.name" \
	" WHERE d.scan_id = " x " AND NOT EXISTS (SELECT 1 FROM finding g" \
	"   WHERE g.domain_id = o.id AND g.finding = f.finding" \
	"   AND g.mx_host IS NOT DISTINCT FROM f.mx_host)" \
	" GROUP BY d.name, f.mx_host, f.finding" \
	" ORDER BY d.name COLLATE \"C\", f.mx_host COLLATE \"C\" NULLS FIRST," \
	" f.finding COLLATE \"C\""

static const char *const diff_sql[STORE_DIFF_KIND_COUNT] = {
	[STORE_DIFF_DOMAIN_ADDED] =
	    "SELECT d.name," DIFF_NO_SERVER " NULL, NULL, d.grade, d.score,"
	    DIFF_NO_CLASS DIFF_NO_CTX DIFF_NO_CERT DIFF_NO_FINDING
	    " FROM domain d WHERE d.scan_id = $2 AND NOT EXISTS (SELECT 1"
	    " FROM domain o WHERE o.scan_id = $1 AND o.name = d.name)"
	    " ORDER BY d.name COLLATE \"C\"",
	[STORE_DIFF_DOMAIN_REMOVED] =
	    "SELECT d.name," DIFF_NO_SERVER " d.grade, d.score, NULL, NULL,"
	    DIFF_NO_CLASS DIFF_NO_CTX DIFF_NO_CERT DIFF_NO_FINDING
	    " FROM domain d WHERE d.scan_id = $1 AND NOT EXISTS (SELECT 1"
	    " FROM domain o WHERE o.scan_id = $2 AND o.name = d.name)"
	    " ORDER BY d.name COLLATE \"C\"",
	[STORE_DIFF_DOMAIN_GRADE] =
	    "SELECT b.name," DIFF_NO_SERVER " a.grade, a.score, b.grade,"
	    " b.score," DIFF_NO_CLASS DIFF_NO_CTX DIFF_NO_CERT DIFF_NO_FINDING
	    " FROM domain a JOIN domain b ON b.scan_id = $2 AND b.name = a.name"
	    " WHERE a.scan_id = $1 AND a.grade IS DISTINCT FROM b.grade"
	    " ORDER BY b.name COLLATE \"C\"",
	[STORE_DIFF_SERVER_GRADE] =
	    "SELECT NULL, b.address, b.port, a.grade, a.score, b.grade, b.score,"
	    DIFF_NO_CLASS DIFF_CTX("b") DIFF_NO_CERT DIFF_NO_FINDING
	    DIFF_BOTH_SERVERS " AND a.grade IS DISTINCT FROM b.grade"
	    DIFF_BY_ADDRESS,
	[STORE_DIFF_STARTTLS_LOST] =
	    "SELECT NULL, b.address, b.port," DIFF_NO_GRADE " a.smtp_class,"
	    " a.smtp_status, b.smtp_class, b.smtp_status," DIFF_CTX("b")
	    DIFF_NO_CERT DIFF_NO_FINDING
	    DIFF_BOTH_SERVERS " AND a.smtp_class = 'starttls-ok'"
	    " AND b.smtp_class IN " DIFF_BROKEN DIFF_BY_ADDRESS,
	[STORE_DIFF_STARTTLS_GAINED] =
	    "SELECT NULL, b.address, b.port," DIFF_NO_GRADE " a.smtp_class,"
	    " a.smtp_status, b.smtp_class, b.smtp_status," DIFF_CTX("b")
	    DIFF_NO_CERT DIFF_NO_FINDING
	    DIFF_BOTH_SERVERS " AND a.smtp_class IN " DIFF_BROKEN
	    " AND b.smtp_class = 'starttls-ok'" DIFF_BY_ADDRESS,
	[STORE_DIFF_CERT_EXPIRING] =
	    "SELECT NULL, b.address, b.port," DIFF_NO_GRADE DIFF_NO_CLASS
	    DIFF_CTX("b") " b.cert_not_after, b.cert_sha256," DIFF_NO_FINDING
	    " FROM server b WHERE b.scan_id = $1 AND b.cert_not_after < $2"
	    " AND" DIFF_LINKED("b")
	    " ORDER BY b.cert_not_after, b.address COLLATE \"C\", b.port",
	[STORE_DIFF_FINDING_APPEARED] = DIFF_FINDINGS("$2", "$1"),
	[STORE_DIFF_FINDING_GONE] = DIFF_FINDINGS("$1", "$2"),
};

static int
v_opt_int(const PGresult *r, int col)
{
	return PQgetisnull(r, 0, col) ? -1 : (int)v_int(r, 0, col);
}

struct diff_arg {
	enum store_diff_kind	 kind;
	store_diff_cb		*cb;
	void			*arg;
};

static int
diff_row(void *arg, const PGresult *r)
{
	struct diff_arg *d = arg;
	struct store_diff_row row;

	memset(&row, 0, sizeof(row));
	row.kind = d->kind;
	row.domain = v_text(r, 0, 0);
	row.address = v_text(r, 0, 1);
	row.port = (unsigned)v_int(r, 0, 2);
	row.grade_before = v_text(r, 0, 3);
	row.score_before = v_opt_int(r, 4);
	row.grade_after = v_text(r, 0, 5);
	row.score_after = v_opt_int(r, 6);
	row.class_before = v_text(r, 0, 7);
	row.status_before = v_text(r, 0, 8);
	row.class_after = v_text(r, 0, 9);
	row.status_after = v_text(r, 0, 10);
	row.mx_hosts = v_text(r, 0, 11) ? v_text(r, 0, 11) :
	    (row.address != NULL ? "" : NULL);
	row.domains = (uint64_t)v_int(r, 0, 12);
	row.cert_not_after = v_int(r, 0, 13);
	row.cert_sha256 = v_text(r, 0, 14);
	row.mx_host = v_text(r, 0, 15);
	row.finding = v_text(r, 0, 16);
	row.severity = v_opt_int(r, 17);
	row.detail = v_text(r, 0, 18);
	return d->cb(d->arg, &row);
}

/*
 * diff_stream - one diff query row by row (stream_sent()), its
 * parameters separate from the text as everywhere: unnamed, not
 * prepared, as only `diff` runs them, once each.
 */
static int
diff_stream(struct store *st, struct pg *g, const struct params *p,
    struct diff_arg *d)
{
	if (!PQsendQueryParams(g->conn, diff_sql[d->kind], p->n, NULL, p->v,
	    NULL, NULL, 0) || !PQsetSingleRowMode(g->conn)) {
		drain(g);
		return pg_fail(st, g, NULL, "cannot compare the scans");
	}
	return stream_sent(st, g, diff_row, d, "cannot compare the scans");
}

static int
pg_diff(struct store *st, int64_t scan_a, int64_t scan_b,
    int64_t expiring_before, store_diff_cb *cb, void *arg)
{
	struct pg *g = store_impl(st);
	struct diff_arg d = { 0, cb, arg };
	struct params p;
	int k;

	/* One snapshot for every query, even while scans write. */
	if (exec(st, g, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	    "cannot read") == -1)
		return -1;
	for (k = 0; k < STORE_DIFF_KIND_COUNT; k++) {
		memset(&p, 0, sizeof(p));
		/* The expiry query takes (B, limit); the others (A, B). */
		if (k == STORE_DIFF_CERT_EXPIRING) {
			p_int(&p, scan_b);
			p_int(&p, expiring_before);
		} else {
			p_int(&p, scan_a);
			p_int(&p, scan_b);
		}
		d.kind = (enum store_diff_kind)k;
		if (diff_stream(st, g, &p, &d) == -1) {
			PQclear(PQexec(g->conn, "ROLLBACK"));
			return -1;
		}
	}
	return exec(st, g, "COMMIT", "cannot read");
}

/* ---- the web's lookups (store.h): rare, so parameterised per call ---- */

/* query - sql with the parameters p (values travel apart from the SQL). */
static PGresult *
query(struct store *st, struct pg *g, const char *sql, const struct params *p,
    const char *what)
{
	PGresult *r = PQexecParams(g->conn, sql, p->n, NULL, p->v, NULL, NULL, 0);

	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		return r;
	pg_fail(st, g, r, what);
	PQclear(r);
	return NULL;
}

static int
pg_domain_report(struct store *st, int64_t scan_id, const char *name,
    struct store_report *out)
{
	struct pg *g = store_impl(st);
	struct params p;
	PGresult *r;

	memset(&p, 0, sizeof(p));
	p_int(&p, scan_id);
	p_text(&p, name);
	if ((r = query(st, g, "SELECT checked_at, grade, score, report::text"
	    " FROM domain WHERE scan_id = $1 AND name = $2", &p,
	    "cannot read the domain")) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	out->checked_at = v_int(r, 0, 0);
	if (!PQgetisnull(r, 0, 1))
		out->grade = dup_text(r, 1);
	out->score = PQgetisnull(r, 0, 2) ? -1 : (int)v_int(r, 0, 2);
	out->report = dup_text(r, 3);
	PQclear(r);
	if (out->report == NULL) {
		store_report_clear(out);
		return store_set_error(st, "out of memory");
	}
	return 1;
}

static int
pg_recent(struct store *st, int64_t scan_id, size_t limit,
    struct store_recent **out, size_t *n)
{
	struct pg *g = store_impl(st);
	struct store_recent *v;
	struct params p;
	PGresult *r;
	int i, rows;

	memset(&p, 0, sizeof(p));
	p_int(&p, scan_id);
	p_int(&p, (long long)limit);
	if ((r = query(st, g, "SELECT name, grade, score, checked_at FROM domain"
	    " WHERE scan_id = $1 ORDER BY checked_at DESC, name COLLATE \"C\""
	    " LIMIT $2", &p, "cannot read recent domains")) == NULL)
		return -1;
	rows = PQntuples(r);
	if ((v = calloc(rows > 0 ? (size_t)rows : 1, sizeof(*v))) == NULL) {
		PQclear(r);
		return store_set_error(st, "out of memory");
	}
	for (i = 0; i < rows; i++) {
		v[i].name = strdup(PQgetvalue(r, i, 0));
		v[i].grade = PQgetisnull(r, i, 1) ? NULL : strdup(v_text(r, i, 1));
		v[i].score = PQgetisnull(r, i, 2) ? -1 : (int)v_int(r, i, 2);
		v[i].checked_at = v_int(r, i, 3);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)rows;
	return 0;
}
