/*
 * store_sqlite.c - the SQLite backend of the store (store.h), the default:
 * one file, no server.
 *
 * The file runs in WAL mode so that `stats` and `export` can read while a
 * scan writes, with synchronous=NORMAL: a commit is durable against a
 * killed process (the WAL is in the OS cache) and only the last batches
 * can be lost to a power cut, never the file's consistency.  Writers take
 * the write lock up front (BEGIN IMMEDIATE) and wait for one another with
 * busy_timeout; batches are short because store.c buffers them in memory.
 *
 * Every statement is prepared once at open and bound per row; no SQL text
 * is ever built from data.
 */
#include "store/store_backend.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "mtls": marks the file as ours for file(1) and for a second look. */
#define MAILTLS_APPLICATION_ID 0x6d746c73
#define BUSY_TIMEOUT_MS 30000

/*
 * A server row that no saved domain links to any more (the domain was
 * saved again and now reaches other addresses) is left in place, not
 * deleted: deleting it could race with a concurrent writer linking it.
 * Readers skip it.
 */
#define LINKED " EXISTS (SELECT 1 FROM domain_server l WHERE l.server_id = s.id)"

static const char *const stmt_sql[S_COUNT] = {
	[S_SCAN_INSERT] =
	    "INSERT INTO scan (started_at, input_path, input_sha256, options,"
	    " domains_total, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	    " ON CONFLICT (input_sha256, options) WHERE finished_at IS NULL"
	    " DO NOTHING RETURNING id",
	[S_SCAN_FIND] =
	    "SELECT id FROM scan WHERE input_sha256 = ?1 AND options = ?2"
	    " AND finished_at IS NULL",
	[S_SCAN_DONE] = "SELECT name FROM domain WHERE scan_id = ?1",
	[S_SCAN_FINISH] =
	    "UPDATE scan SET finished_at = ?2 WHERE id = ?1"
	    " AND finished_at IS NULL",
	[S_SCAN_EXISTS] = "SELECT 1 FROM scan WHERE id = ?1",
	[S_SCAN_GET] =
	    "SELECT id, started_at, finished_at, input_path, input_sha256,"
	    " options, domains_total, version FROM scan WHERE id = ?1",
	[S_SCAN_LATEST] =
	    "SELECT id, started_at, finished_at, input_path, input_sha256,"
	    " options, domains_total, version FROM scan ORDER BY id DESC LIMIT 1",
	[S_SERVER_UPSERT] =
	    "INSERT INTO server (" STORE_SERVER_COLUMNS ") VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	    " ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30,"
	    " ?31, ?32, ?33)"
	    " ON CONFLICT (scan_id, address, port) DO UPDATE SET"
	    " (" STORE_SERVER_SET ") = (" STORE_SERVER_EXCLUDED ")"
	    " RETURNING id",
	[S_DOMAIN_UPSERT] =
	    "INSERT INTO domain (" STORE_DOMAIN_COLUMNS ") VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	    " ?18, ?19, ?20, ?21)"
	    " ON CONFLICT (scan_id, name) DO UPDATE SET"
	    " (" STORE_DOMAIN_SET ") = (" STORE_DOMAIN_EXCLUDED ")"
	    " RETURNING id",
	[S_LINKS_DELETE] = "DELETE FROM domain_server WHERE domain_id = ?1",
	[S_FINDINGS_DELETE] = "DELETE FROM finding WHERE domain_id = ?1",
	[S_LINK_INSERT] =
	    "INSERT INTO domain_server (domain_id, server_id, mx_host,"
	    " preference, name_match) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (domain_id, mx_host, server_id) DO NOTHING",
	[S_FINDING_INSERT] =
	    "INSERT INTO finding (scan_id, domain_id, server_id, mx_host,"
	    " finding, severity, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_STATS_DOMAINS] =
	    "SELECT count(*),"
	    " count(*) FILTER (WHERE null_mx),"
	    " count(*) FILTER (WHERE implicit_mx),"
	    " count(*) FILTER (WHERE mx_dnssec = 'secure'),"
	    " count(*) FILTER (WHERE mx_dnssec = 'insecure'),"
	    " count(*) FILTER (WHERE mx_dnssec = 'bogus'),"
	    " count(*) FILTER (WHERE addresses > 0 AND starttls_ok = addresses),"
	    " avg(score)"
	    " FROM domain WHERE scan_id = ?1",
	[S_STATS_DOMAIN_GRADES] =
	    "SELECT grade, count(*) FROM domain WHERE scan_id = ?1"
	    " GROUP BY grade",
	[S_STATS_VERDICT] =
	    "SELECT verdict, count(*) FROM domain WHERE scan_id = ?1"
	    " GROUP BY verdict",
	[S_STATS_WORST] =
	    "SELECT worst_severity, count(*) FROM domain WHERE scan_id = ?1"
	    " GROUP BY worst_severity",
	/* Servers that some saved domain reaches (LINKED); see docs/store.md. */
	[S_STATS_SERVERS] =
	    "SELECT count(*) FILTER (WHERE enumerated),"
	    " count(*) FILTER (WHERE proto_sslv2 = 'yes'),"
	    " count(*) FILTER (WHERE proto_sslv3 = 'yes'),"
	    " count(*) FILTER (WHERE proto_tls10 = 'yes'),"
	    " count(*) FILTER (WHERE proto_tls11 = 'yes'),"
	    " count(*) FILTER (WHERE proto_tls12 = 'yes'),"
	    " count(*) FILTER (WHERE proto_tls13 = 'yes'),"
	    " avg(score)"
	    " FROM server s WHERE s.scan_id = ?1 AND" LINKED,
	[S_STATS_SERVER_GRADES] =
	    "SELECT grade, count(*) FROM server s WHERE s.scan_id = ?1"
	    " AND" LINKED " GROUP BY grade",
	[S_STATS_CLASS] =
	    "SELECT smtp_class, count(*) FROM server s WHERE s.scan_id = ?1"
	    " AND" LINKED " GROUP BY smtp_class",
	[S_STATS_TLS] =
	    "SELECT tls_version, count(*) FROM server s WHERE s.scan_id = ?1"
	    " AND tls_version IS NOT NULL AND" LINKED " GROUP BY tls_version"
	    " ORDER BY 2 DESC, 1",
	[S_STATS_CIPHER] =
	    "SELECT cipher, count(*) FROM server s WHERE s.scan_id = ?1"
	    " AND cipher IS NOT NULL AND" LINKED " GROUP BY cipher"
	    " ORDER BY 2 DESC, 1 LIMIT ?2",
	[S_STATS_FINDINGS] =
	    "SELECT finding, count(DISTINCT domain_id) FROM finding"
	    " WHERE scan_id = ?1 GROUP BY finding ORDER BY 2 DESC, 1",
	/* Authentication adoption, read from the stored report JSON
	 * (docs/json.md "authentication"); reports without it count as
	 * "not-checked". */
	[S_STATS_DANE] =
	    "SELECT coalesce(json_extract(report,"
	    " '$.authentication.dane.delivery'), 'not-checked'), count(*)"
	    " FROM domain WHERE scan_id = ?1 GROUP BY 1 ORDER BY 2 DESC, 1",
	[S_STATS_MTASTS] =
	    "SELECT coalesce(CASE json_extract(report,"
	    " '$.authentication.mta_sts.state') WHEN 'policy' THEN"
	    " json_extract(report, '$.authentication.mta_sts.policy.mode')"
	    " ELSE json_extract(report, '$.authentication.mta_sts.state') END,"
	    " 'not-checked'), count(*) FROM domain WHERE scan_id = ?1"
	    " GROUP BY 1 ORDER BY 2 DESC, 1",
	[S_STATS_TLSRPT] =
	    "SELECT coalesce(json_extract(report,"
	    " '$.authentication.tls_rpt.error'), 'not-checked'), count(*)"
	    " FROM domain WHERE scan_id = ?1 GROUP BY 1 ORDER BY 2 DESC, 1",
	[S_EXPORT_DOMAIN] =
	    "SELECT d.name, d.verdict, d.worst_severity, d.null_mx,"
	    " d.implicit_mx, d.mx_outcome, d.mx_dnssec, d.mx_hosts, d.addresses,"
	    " d.starttls_ok, d.no_starttls, d.starttls_broken, d.inconclusive,"
	    " d.not_tested, d.checked_at, d.elapsed_ms,"
	    " (SELECT group_concat(finding, ' ') FROM (SELECT DISTINCT finding"
	    "   FROM finding f WHERE f.domain_id = d.id ORDER BY finding)),"
	    " d.report, d.grade, d.score"
	    " FROM domain d WHERE d.scan_id = ?1 ORDER BY d.name",
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
	    " (SELECT group_concat(mx_host, ' ') FROM (SELECT DISTINCT mx_host"
	    "   FROM domain_server l WHERE l.server_id = s.id ORDER BY mx_host)),"
	    " s.grade, s.score"
	    " FROM server s WHERE s.scan_id = ?1 AND" LINKED
	    " ORDER BY s.address, s.port",
};

struct sq {
	sqlite3		*db;
	sqlite3_stmt	*stmt[S_COUNT];
	enum store_open_mode mode;
};

struct sq_iter {
	sqlite3_stmt		*stmt;
	enum store_per		 per;
	struct store_domain_row	 d;
	struct store_server_row	 s;
};

/* sq_fail - "WHAT: sqlite's message" as the store's error; -1. */
static int
sq_fail(struct store *st, sqlite3 *db, const char *what)
{
	int code = sqlite3_errcode(db);

	if (code == SQLITE_CANTOPEN && sqlite3_system_errno(db) != 0)
		return store_set_error(st, "%s: cannot open: %s", what,
		    strerror(sqlite3_system_errno(db)));
	return store_set_error(st, "%s: %s", what, sqlite3_errmsg(db));
}

static int
exec(struct store *st, sqlite3 *db, const char *sql, const char *what)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sq_fail(st, db, what);
	return 0;
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* opt_text - a column that may be NULL. */
static const char *
opt_text(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NULL : col_text(s, i);
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const char *v = col_text(s, i);

	return strdup(v != NULL ? v : "");
}

/* done - reset s and clear its bindings: statements are reused. */
static void
done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/*
 * first_contact - read the application id: the first statement on the
 * file, which is where SQLite notices that a file is not a database.
 */
static int
first_contact(struct store *st, struct sq *q, int *app_id)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(q->db, "PRAGMA application_id", -1, &s,
	    NULL) != SQLITE_OK)
		return sq_fail(st, q->db, "cannot read");
	rc = sqlite3_step(s);
	*app_id = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW) {
		/* "file is not a database", "database disk image is malformed" */
		return store_set_error(st, "%s", sqlite3_errstr(rc));
	}
	return 0;
}

/* table_count - how many of our tables exist (0 = none, a new file). */
static int
table_count(struct store *st, struct sq *q, int *ours, int *any)
{
	sqlite3_stmt *s;
	size_t i;

	*ours = *any = 0;
	if (sqlite3_prepare_v2(q->db, "SELECT name FROM sqlite_schema"
	    " WHERE type = 'table'", -1, &s, NULL) != SQLITE_OK)
		return sq_fail(st, q->db, "cannot read the schema");
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *name = col_text(s, 0);

		(*any)++;
		for (i = 0; store_schema_tables[i] != NULL; i++)
			if (name != NULL && strcmp(name, store_schema_tables[i]) == 0)
				(*ours)++;
	}
	if (sqlite3_errcode(q->db) != SQLITE_DONE &&
	    sqlite3_errcode(q->db) != SQLITE_OK) {
		sqlite3_finalize(s);
		return sq_fail(st, q->db, "cannot read the schema");
	}
	sqlite3_finalize(s);
	return 0;
}

static int
schema_version(struct store *st, struct sq *q, int *version)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(q->db, "SELECT value FROM meta"
	    " WHERE key = 'schema_version'", -1, &s, NULL) != SQLITE_OK)
		return sq_fail(st, q->db, "cannot read the schema version");
	rc = sqlite3_step(s);
	*version = rc == SQLITE_ROW ? atoi(col_text(s, 0) ? col_text(s, 0) :
	    "0") : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return store_set_error(st, "not a mailtls database (no schema "
		    "version)");
	return 0;
}

static int
create_schema(struct store *st, struct sq *q)
{
	sqlite3_stmt *s;
	char version[16];
	size_t i;

	for (i = 0; store_schema[i].sqlite != NULL; i++)
		if (exec(st, q->db, store_schema[i].sqlite,
		    "cannot create the schema") == -1)
			return -1;
	if (sqlite3_prepare_v2(q->db, "INSERT INTO meta (key, value)"
	    " VALUES ('schema_version', ?1)", -1, &s, NULL) != SQLITE_OK)
		return sq_fail(st, q->db, "cannot create the schema");
	snprintf(version, sizeof(version), "%d", STORE_SCHEMA_VERSION);
	bind_text(s, 1, version);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		return sq_fail(st, q->db, "cannot create the schema");
	}
	sqlite3_finalize(s);
	return exec(st, q->db, "PRAGMA application_id = 1836346483",
	    "cannot create the schema");
}
_Static_assert(MAILTLS_APPLICATION_ID == 1836346483, "the PRAGMA above");
_Static_assert(STORE_SERVER_NCOLS == 33 && STORE_DOMAIN_NCOLS == 21,
    "the placeholders of S_SERVER_UPSERT and S_DOMAIN_UPSERT");

/*
 * precheck - refuse another application's SQLite file before anything is
 * written to it (even the switch to WAL mode is a write).
 */
static int
precheck(struct store *st, struct sq *q, int app_id)
{
	int ours, any;

	if (app_id != 0 && app_id != MAILTLS_APPLICATION_ID)
		return store_set_error(st, "not a mailtls database (another "
		    "application's SQLite file)");
	if (table_count(st, q, &ours, &any) == -1)
		return -1;
	if (ours == 0 && any > 0)
		return store_set_error(st, "not a mailtls database (other "
		    "tables, none of ours)");
	return 0;
}

/*
 * check_schema - make sure this is a mailtls database of our version,
 * creating the schema in a new (empty) file when writing.  One
 * transaction: two scans creating the same file at once both end up with
 * one schema.
 */
static int
check_schema(struct store *st, struct sq *q)
{
	int ours, any, version, write = q->mode == STORE_OPEN_WRITE;

	if (write && exec(st, q->db, "BEGIN IMMEDIATE", "cannot lock") == -1)
		return -1;
	if (table_count(st, q, &ours, &any) == -1)
		goto fail;
	if (ours == 0 && any == 0 && write) {
		if (create_schema(st, q) == -1)
			goto fail;
	} else if (ours == 0) {
		store_set_error(st, any ? "not a mailtls database (other tables, "
		    "none of ours)" : "not a mailtls database (empty)");
		goto fail;
	} else {
		if (schema_version(st, q, &version) == -1)
			goto fail;
		if (version != STORE_SCHEMA_VERSION) {
			store_set_error(st, "database schema version %d, this "
			    "mailtls uses %d", version, STORE_SCHEMA_VERSION);
			goto fail;
		}
	}
	if (write && exec(st, q->db, "COMMIT", "cannot create the schema") == -1)
		goto fail;
	return 0;
fail:
	if (write)
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * reopen_immutable - a reader that may not create the WAL index (-shm)
 * beside a WAL database (another user's results, a read-only directory)
 * cannot read it normally.  With no -wal file there is no writer and
 * nothing to recover, so the file can be read as immutable.  Otherwise the
 * first error stands.
 */
static int
reopen_immutable(struct store *st, struct sq *q, const char *path)
{
	char wal[4096], uri[4096 * 3 + 64], *o = uri;
	struct stat sb;
	const char *p;

	if ((sqlite3_errcode(q->db) & 0xff) != SQLITE_READONLY &&
	    (sqlite3_errcode(q->db) & 0xff) != SQLITE_CANTOPEN)
		return -1;
	snprintf(wal, sizeof(wal), "%s-wal", path);
	if (stat(wal, &sb) == 0 || strlen(path) > 4096)
		return -1;
	/* file: URI: every byte but the unreserved ones percent-encoded. */
	o += snprintf(o, sizeof(uri), "file:");
	for (p = path; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/._-~", c) != NULL)
			*o++ = (char)c;
		else
			o += sprintf(o, "%%%02X", c);
	}
	strcpy(o, "?immutable=1");
	sqlite3_close(q->db);
	if (sqlite3_open_v2(uri, &q->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return store_set_error(st, "%s", sqlite3_errmsg(q->db));
	return 0;
}

static void
sq_close(void *impl)
{
	struct sq *q = impl;
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(q->stmt[i]);
	sqlite3_close(q->db);
	free(q);
}

/*
 * parent_errno - why a file cannot be created at path, judged from its
 * directory (missing, not searchable, not writable), or 0.  SQLite's own
 * errno is that of its last attempt, a read-only open ("No such file").
 */
static int
parent_errno(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (access(dir, W_OK | X_OK) == -1)
		return errno;
	return 0;
}

static int
sq_open(struct store *st, const char *path, enum store_open_mode mode,
    void **impl)
{
	struct sq *q;
	struct stat sb;
	int flags, existed, app_id, e;
	size_t i;

	existed = stat(path, &sb) == 0;
	if (!existed && mode == STORE_OPEN_READ)
		return store_set_error(st, "no such database (%s)",
		    strerror(errno));
	if (existed && S_ISDIR(sb.st_mode))
		return store_set_error(st, "is a directory, not a database file");
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return store_set_error(st, "out of memory");
	q->mode = mode;
	flags = mode == STORE_OPEN_WRITE ?
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	if (sqlite3_open_v2(path, &q->db, flags | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		if (q->db == NULL)
			store_set_error(st, "out of memory");
		else if (!existed && (e = parent_errno(path)) != 0)
			store_set_error(st, "cannot create: %s", strerror(e));
		else if (sqlite3_system_errno(q->db) != 0)
			store_set_error(st, "cannot %s: %s", existed ? "open" :
			    "create", strerror(sqlite3_system_errno(q->db)));
		else
			store_set_error(st, "%s", sqlite3_errmsg(q->db));
		goto fail;
	}
	sqlite3_extended_result_codes(q->db, 0);
	/* SQLite falls back to read-only when it may not write: say so now. */
	if (mode == STORE_OPEN_WRITE && sqlite3_db_readonly(q->db, "main") == 1) {
		store_set_error(st, "database is read-only (no write permission)");
		goto fail;
	}
	sqlite3_busy_timeout(q->db, BUSY_TIMEOUT_MS);
	if (first_contact(st, q, &app_id) == -1 && (mode != STORE_OPEN_READ ||
	    reopen_immutable(st, q, path) == -1 ||
	    first_contact(st, q, &app_id) == -1))
		goto fail;
	if (precheck(st, q, app_id) == -1)
		goto fail;
	if (mode == STORE_OPEN_WRITE) {
		if (exec(st, q->db, "PRAGMA journal_mode = WAL",
		    "cannot switch to WAL mode") == -1 ||
		    exec(st, q->db, "PRAGMA synchronous = NORMAL", "pragma") == -1)
			goto fail;
	} else if (exec(st, q->db, "PRAGMA query_only = 1", "pragma") == -1) {
		goto fail;
	}
	if (exec(st, q->db, "PRAGMA foreign_keys = ON", "pragma") == -1 ||
	    exec(st, q->db, "PRAGMA cache_size = -65536", "pragma") == -1 ||
	    exec(st, q->db, "PRAGMA temp_store = MEMORY", "pragma") == -1)
		goto fail;
	if (check_schema(st, q) == -1)
		goto fail;
	for (i = 0; i < S_COUNT; i++) {
		if (sqlite3_prepare_v3(q->db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &q->stmt[i], NULL) != SQLITE_OK) {
			sq_fail(st, q->db, "cannot prepare a statement");
			goto fail;
		}
	}
	*impl = q;
	return 0;
fail:
	sq_close(q);
	/* A file we created and could not set up is not left behind. */
	if (!existed && mode == STORE_OPEN_WRITE) {
		char side[4096];

		unlink(path);
		snprintf(side, sizeof(side), "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", path);
		unlink(side);
	}
	return -1;
}

/* step_id - run an INSERT ... RETURNING id or SELECT id; 1 + *id, 0 no row, -1. */
static int
step_id(struct store *st, struct sq *q, sqlite3_stmt *s, int64_t *id,
    const char *what)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		/* RETURNING: the row is only final once the statement is done. */
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE) {
			done(s);
			return 1;
		}
	}
	done(s);
	if (rc == SQLITE_DONE)
		return 0;
	sq_fail(st, q->db, what);
	return -1;
}

static int
step_done(struct store *st, struct sq *q, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	done(s);
	if (rc != SQLITE_DONE)
		return sq_fail(st, q->db, what);
	return 0;
}

static int
sq_scan_begin(struct store *st, const struct store_scan_params *p,
    int64_t *scan_id, int *resumed)
{
	struct sq *q = store_impl(st);
	sqlite3_stmt *s;
	int rc;

	if (exec(st, q->db, "BEGIN IMMEDIATE", "cannot start the scan") == -1)
		return -1;
	s = q->stmt[S_SCAN_INSERT];
	sqlite3_bind_int64(s, 1, p->now);
	bind_text(s, 2, p->input_path);
	bind_text(s, 3, p->input_sha256);
	bind_text(s, 4, p->options);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)p->domains_total);
	bind_text(s, 6, p->version);
	if ((rc = step_id(st, q, s, scan_id, "cannot start the scan")) == -1)
		goto fail;
	*resumed = rc == 0;
	if (rc == 0) {
		/* The identity has an unfinished scan: continue that one. */
		s = q->stmt[S_SCAN_FIND];
		bind_text(s, 1, p->input_sha256);
		bind_text(s, 2, p->options);
		if ((rc = step_id(st, q, s, scan_id, "cannot find the scan")) != 1) {
			if (rc == 0)
				store_set_error(st, "cannot find the unfinished scan");
			goto fail;
		}
	}
	if (exec(st, q->db, "COMMIT", "cannot start the scan") == -1)
		goto fail;
	return 0;
fail:
	sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int
sq_scan_done_foreach(struct store *st, int64_t scan_id,
    int (*cb)(void *arg, const char *domain), void *arg)
{
	struct sq *q = store_impl(st);
	sqlite3_stmt *s = q->stmt[S_SCAN_DONE];
	int rc;

	sqlite3_bind_int64(s, 1, scan_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cb(arg, col_text(s, 0)) == -1) {
			done(s);
			return store_set_error(st, "stopped");
		}
	}
	done(s);
	if (rc != SQLITE_DONE)
		return sq_fail(st, q->db, "cannot read the domains done");
	return 0;
}

static int
sq_scan_finish(struct store *st, int64_t scan_id, int64_t now)
{
	struct sq *q = store_impl(st);
	sqlite3_stmt *s = q->stmt[S_SCAN_FINISH];
	int64_t id;

	sqlite3_bind_int64(s, 1, scan_id);
	sqlite3_bind_int64(s, 2, now);
	if (step_done(st, q, s, "cannot finish the scan") == -1)
		return -1;
	if (sqlite3_changes(q->db) == 0) {
		/* Finished already is fine; a scan that is not there is not. */
		s = q->stmt[S_SCAN_EXISTS];
		sqlite3_bind_int64(s, 1, scan_id);
		switch (step_id(st, q, s, &id, "cannot finish the scan")) {
		case 0:
			return store_set_error(st, "no scan %lld", (long long)scan_id);
		case -1:
			return -1;
		}
	}
	return 0;
}

static int
sq_scan_get(struct store *st, int64_t scan_id, struct store_scan_info *out)
{
	struct sq *q = store_impl(st);
	sqlite3_stmt *s = q->stmt[scan_id > 0 ? S_SCAN_GET : S_SCAN_LATEST];
	int rc;

	if (scan_id > 0)
		sqlite3_bind_int64(s, 1, scan_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		out->started_at = sqlite3_column_int64(s, 1);
		out->finished_at = sqlite3_column_int64(s, 2);
		out->input_path = col_dup(s, 3);
		out->input_sha256 = col_dup(s, 4);
		out->options = col_dup(s, 5);
		out->domains_total = (uint64_t)sqlite3_column_int64(s, 6);
		out->version = col_dup(s, 7);
	}
	done(s);
	if (rc == SQLITE_DONE)
		return scan_id > 0 ? store_set_error(st, "no scan %lld",
		    (long long)scan_id) : store_set_error(st, "no scan in the "
		    "database");
	if (rc != SQLITE_ROW)
		return sq_fail(st, q->db, "cannot read the scan");
	if (out->input_path == NULL || out->input_sha256 == NULL ||
	    out->options == NULL || out->version == NULL) {
		store_scan_info_clear(out);
		return store_set_error(st, "out of memory");
	}
	return 0;
}

static int
write_server(struct store *st, struct sq *q, struct store_row_server *r)
{
	sqlite3_stmt *s = q->stmt[S_SERVER_UPSERT];

	sqlite3_bind_int64(s, 1, r->scan_id);
	bind_text(s, 2, r->address);
	sqlite3_bind_int(s, 3, (int)r->port);
	bind_text(s, 4, r->family);
	bind_text(s, 5, r->reserved);
	bind_text(s, 6, r->smtp_status);
	bind_text(s, 7, store_class_name(r->class));
	sqlite3_bind_int(s, 8, r->starttls_offered);
	if (r->tls) {
		bind_text(s, 9, r->tls_version);
		sqlite3_bind_int(s, 10, r->tls_version_code);
		bind_text(s, 11, r->cipher);
		sqlite3_bind_int(s, 12, r->cipher_bits);
		bind_text(s, 13, r->kx);
		bind_text(s, 14, r->kx_group);
		sqlite3_bind_int(s, 15, r->kx_bits);
		sqlite3_bind_int(s, 16, r->forward_secrecy);
		sqlite3_bind_int(s, 19, r->cert_verified);
		bind_text(s, 20, r->cert_verify_error);
	}
	if (r->cert) {
		bind_text(s, 17, r->cert_sha256);
		sqlite3_bind_int64(s, 18, r->cert_not_after);
	}
	sqlite3_bind_int(s, 21, (int)r->modern_refusals);
	sqlite3_bind_int(s, 22, r->enumerated);
	if (r->enumerated) {
		int v;

		for (v = 0; v < PROBE_VERSION_COUNT; v++)
			bind_text(s, 23 + v, r->protocol[v]);
		sqlite3_bind_int(s, 29, r->suites);
		sqlite3_bind_int(s, 30, r->dh_min_bits);
	}
	bind_text(s, 31, r->grade);
	if (r->score >= 0)
		sqlite3_bind_int(s, 32, r->score);
	sqlite3_bind_int64(s, 33, (sqlite3_int64)r->elapsed_ms);
	return step_id(st, q, s, &r->db_id, "cannot save a server") == 1 ? 0 : -1;
}

static int
write_domain(struct store *st, struct sq *q, struct store_batch *b,
    struct store_row_domain *r)
{
	sqlite3_stmt *s = q->stmt[S_DOMAIN_UPSERT];
	size_t i;

	sqlite3_bind_int64(s, 1, r->scan_id);
	bind_text(s, 2, r->name);
	bind_text(s, 3, store_verdict_name(r->verdict));
	if (r->worst >= 0)
		sqlite3_bind_int(s, 4, r->worst);
	sqlite3_bind_int(s, 5, r->null_mx);
	sqlite3_bind_int(s, 6, r->implicit_mx);
	bind_text(s, 7, r->mx_outcome);
	bind_text(s, 8, r->mx_dnssec);
	sqlite3_bind_int(s, 9, (int)r->mx_hosts);
	sqlite3_bind_int(s, 10, (int)r->addresses);
	sqlite3_bind_int(s, 11, (int)r->starttls_ok);
	sqlite3_bind_int(s, 12, (int)r->no_starttls);
	sqlite3_bind_int(s, 13, (int)r->broken);
	sqlite3_bind_int(s, 14, (int)r->inconclusive);
	sqlite3_bind_int(s, 15, (int)r->not_tested);
	sqlite3_bind_int64(s, 16, r->checked_at);
	sqlite3_bind_int64(s, 17, (sqlite3_int64)r->elapsed_ms);
	bind_text(s, 18, r->grade);
	if (r->score >= 0)
		sqlite3_bind_int(s, 19, r->score);
	bind_text(s, 20, r->grade_confidence);
	bind_text(s, 21, r->report);
	if (step_id(st, q, s, &r->db_id, "cannot save a domain") != 1)
		return -1;

	/* A domain saved before (a replayed batch) is replaced, not added to. */
	s = q->stmt[S_LINKS_DELETE];
	sqlite3_bind_int64(s, 1, r->db_id);
	if (step_done(st, q, s, "cannot save a domain") == -1)
		return -1;
	s = q->stmt[S_FINDINGS_DELETE];
	sqlite3_bind_int64(s, 1, r->db_id);
	if (step_done(st, q, s, "cannot save a domain") == -1)
		return -1;

	s = q->stmt[S_LINK_INSERT];
	for (i = r->first_link; i < r->first_link + r->n_links; i++) {
		const struct store_row_link *l = &b->links[i];

		sqlite3_bind_int64(s, 1, r->db_id);
		sqlite3_bind_int64(s, 2, store_batch_server_id(b, l->server));
		bind_text(s, 3, l->mx_host);
		if (l->preference >= 0)
			sqlite3_bind_int(s, 4, l->preference);
		bind_text(s, 5, l->name_match);
		if (step_done(st, q, s, "cannot save a domain's servers") == -1)
			return -1;
	}
	s = q->stmt[S_FINDING_INSERT];
	for (i = r->first_finding; i < r->first_finding + r->n_findings; i++) {
		const struct store_row_finding *f = &b->findings[i];

		sqlite3_bind_int64(s, 1, r->scan_id);
		sqlite3_bind_int64(s, 2, r->db_id);
		if (f->server >= 0)
			sqlite3_bind_int64(s, 3,
			    store_batch_server_id(b, (size_t)f->server));
		bind_text(s, 4, f->mx_host);
		bind_text(s, 5, f->id);
		sqlite3_bind_int(s, 6, f->severity);
		bind_text(s, 7, f->detail);
		if (step_done(st, q, s, "cannot save a finding") == -1)
			return -1;
	}
	return 0;
}

static int
sq_write_batch(struct store *st, struct store_batch *b)
{
	struct sq *q = store_impl(st);
	size_t i;

	if (exec(st, q->db, "BEGIN IMMEDIATE", "cannot save") == -1)
		return -1;
	for (i = 0; i < b->n_server_order; i++)
		if (write_server(st, q, &b->servers[b->server_order[i]]) == -1)
			goto fail;
	for (i = 0; i < b->n_domain_order; i++)
		if (write_domain(st, q, b, &b->domains[b->domain_order[i]]) == -1)
			goto fail;
	if (exec(st, q->db, "COMMIT", "cannot save") == -1)
		goto fail;
	return 0;
fail:
	sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* group_counts - run a "SELECT key, count(*) ... GROUP BY key" statement. */
static int
group_counts(struct store *st, struct sq *q, sqlite3_stmt *s,
    int (*add)(void *arg, sqlite3_stmt *row), void *arg)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (add(arg, s) == -1) {
			done(s);
			return store_set_error(st, "out of memory");
		}
	}
	done(s);
	if (rc != SQLITE_DONE)
		return sq_fail(st, q->db, "cannot compute the statistics");
	return 0;
}

static int
add_verdict(void *arg, sqlite3_stmt *s)
{
	struct store_stats *out = arg;
	const char *name = col_text(s, 0);
	int v;

	for (v = 0; v < STORE_VERDICT_COUNT; v++)
		if (name != NULL && strcmp(name, store_verdict_name(v)) == 0)
			out->verdict[v] = (uint64_t)sqlite3_column_int64(s, 1);
	return 0;
}

static int
add_worst(void *arg, sqlite3_stmt *s)
{
	struct store_stats *out = arg;
	int rank = sqlite3_column_int(s, 0);

	if (sqlite3_column_type(s, 0) == SQLITE_NULL)
		out->worst_none = (uint64_t)sqlite3_column_int64(s, 1);
	else if (rank >= 0 && rank < SEV_COUNT)
		out->worst[rank] = (uint64_t)sqlite3_column_int64(s, 1);
	return 0;
}

static int
add_class(void *arg, sqlite3_stmt *s)
{
	struct store_stats *out = arg;
	const char *name = col_text(s, 0);
	uint64_t n = (uint64_t)sqlite3_column_int64(s, 1);
	int c;

	out->servers += n;
	for (c = 0; c < STORE_CLASS_COUNT; c++)
		if (name != NULL && strcmp(name, store_class_name(c)) == 0)
			out->server_class[c] = n;
	return 0;
}

/* add_grade - a "grade, count" row into a uint64_t[GRADE_LETTER_COUNT]. */
static int
add_grade(void *arg, sqlite3_stmt *s)
{
	uint64_t *by_letter = arg;

	by_letter[store_grade_letter(opt_text(s, 0))] +=
	    (uint64_t)sqlite3_column_int64(s, 1);
	return 0;
}

static int
add_count(void *arg, sqlite3_stmt *s)
{
	return store_counts_add(arg, col_text(s, 0),
	    (uint64_t)sqlite3_column_int64(s, 1));
}

static int
sq_stats(struct store *st, int64_t scan_id, struct store_stats *out)
{
	struct sq *q = store_impl(st);
	sqlite3_stmt *s = q->stmt[S_STATS_DOMAINS];
	int rc;

	/* One read transaction: the numbers agree even while a scan writes. */
	if (exec(st, q->db, "BEGIN", "cannot read") == -1)
		return -1;
	sqlite3_bind_int64(s, 1, scan_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->domains = (uint64_t)sqlite3_column_int64(s, 0);
		out->null_mx = (uint64_t)sqlite3_column_int64(s, 1);
		out->implicit_mx = (uint64_t)sqlite3_column_int64(s, 2);
		out->mx_secure = (uint64_t)sqlite3_column_int64(s, 3);
		out->mx_insecure = (uint64_t)sqlite3_column_int64(s, 4);
		out->mx_bogus = (uint64_t)sqlite3_column_int64(s, 5);
		out->all_starttls = (uint64_t)sqlite3_column_int64(s, 6);
		out->domain_score = sqlite3_column_double(s, 7);
		out->mx_indeterminate = out->domains - out->mx_secure -
		    out->mx_insecure - out->mx_bogus;
	}
	done(s);
	if (rc != SQLITE_ROW) {
		sq_fail(st, q->db, "cannot compute the statistics");
		goto fail;
	}
	s = q->stmt[S_STATS_SERVERS];
	sqlite3_bind_int64(s, 1, scan_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int v;

		out->enumerated = (uint64_t)sqlite3_column_int64(s, 0);
		for (v = 0; v < PROBE_VERSION_COUNT; v++)
			out->protocol[v] = (uint64_t)sqlite3_column_int64(s, 1 + v);
		out->server_score = sqlite3_column_double(s, 7);
	}
	done(s);
	if (rc != SQLITE_ROW) {
		sq_fail(st, q->db, "cannot compute the statistics");
		goto fail;
	}
	sqlite3_bind_int64(q->stmt[S_STATS_VERDICT], 1, scan_id);
	sqlite3_bind_int64(q->stmt[S_STATS_WORST], 1, scan_id);
	sqlite3_bind_int64(q->stmt[S_STATS_CLASS], 1, scan_id);
	sqlite3_bind_int64(q->stmt[S_STATS_TLS], 1, scan_id);
	sqlite3_bind_int64(q->stmt[S_STATS_CIPHER], 1, scan_id);
	sqlite3_bind_int(q->stmt[S_STATS_CIPHER], 2, STORE_TOP_CIPHERS);
	sqlite3_bind_int64(q->stmt[S_STATS_FINDINGS], 1, scan_id);
	sqlite3_bind_int64(q->stmt[S_STATS_DANE], 1, scan_id);
	sqlite3_bind_int64(q->stmt[S_STATS_MTASTS], 1, scan_id);
	sqlite3_bind_int64(q->stmt[S_STATS_TLSRPT], 1, scan_id);
	sqlite3_bind_int64(q->stmt[S_STATS_DOMAIN_GRADES], 1, scan_id);
	sqlite3_bind_int64(q->stmt[S_STATS_SERVER_GRADES], 1, scan_id);
	if (group_counts(st, q, q->stmt[S_STATS_VERDICT], add_verdict, out) == -1 ||
	    group_counts(st, q, q->stmt[S_STATS_WORST], add_worst, out) == -1 ||
	    group_counts(st, q, q->stmt[S_STATS_CLASS], add_class, out) == -1 ||
	    group_counts(st, q, q->stmt[S_STATS_TLS], add_count,
	    &out->tls_versions) == -1 ||
	    group_counts(st, q, q->stmt[S_STATS_CIPHER], add_count,
	    &out->ciphers) == -1 ||
	    group_counts(st, q, q->stmt[S_STATS_FINDINGS], add_count,
	    &out->findings) == -1 ||
	    group_counts(st, q, q->stmt[S_STATS_DANE], add_count,
	    &out->dane) == -1 ||
	    group_counts(st, q, q->stmt[S_STATS_MTASTS], add_count,
	    &out->mta_sts) == -1 ||
	    group_counts(st, q, q->stmt[S_STATS_TLSRPT], add_count,
	    &out->tls_rpt) == -1 ||
	    group_counts(st, q, q->stmt[S_STATS_DOMAIN_GRADES], add_grade,
	    out->domain_grade) == -1 ||
	    group_counts(st, q, q->stmt[S_STATS_SERVER_GRADES], add_grade,
	    out->server_grade) == -1)
		goto fail;
	sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL);
	return 0;
fail:
	sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static void *
sq_export_open(struct store *st, int64_t scan_id, enum store_per per)
{
	struct sq *q = store_impl(st);
	struct sq_iter *it;

	if ((it = calloc(1, sizeof(*it))) == NULL) {
		store_set_error(st, "out of memory");
		return NULL;
	}
	it->per = per;
	it->stmt = q->stmt[per == STORE_PER_DOMAIN ? S_EXPORT_DOMAIN :
	    S_EXPORT_SERVER];
	/* One read transaction: a consistent snapshot while a scan writes. */
	if (exec(st, q->db, "BEGIN", "cannot read") == -1) {
		free(it);
		return NULL;
	}
	sqlite3_bind_int64(it->stmt, 1, scan_id);
	return it;
}

static int
sq_export_next(struct store *st, void *impl, struct store_row *row)
{
	struct sq *q = store_impl(st);
	struct sq_iter *it = impl;
	sqlite3_stmt *s = it->stmt;
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return sq_fail(st, q->db, "cannot read");
	if (it->per == STORE_PER_DOMAIN) {
		struct store_domain_row *d = &it->d;

		d->name = col_text(s, 0);
		d->verdict = col_text(s, 1);
		d->worst_severity = sqlite3_column_type(s, 2) == SQLITE_NULL ?
		    -1 : sqlite3_column_int(s, 2);
		d->null_mx = sqlite3_column_int(s, 3);
		d->implicit_mx = sqlite3_column_int(s, 4);
		d->mx_outcome = opt_text(s, 5);
		d->mx_dnssec = opt_text(s, 6);
		d->mx_hosts = (unsigned)sqlite3_column_int(s, 7);
		d->addresses = (unsigned)sqlite3_column_int(s, 8);
		d->starttls_ok = (unsigned)sqlite3_column_int(s, 9);
		d->no_starttls = (unsigned)sqlite3_column_int(s, 10);
		d->starttls_broken = (unsigned)sqlite3_column_int(s, 11);
		d->inconclusive = (unsigned)sqlite3_column_int(s, 12);
		d->not_tested = (unsigned)sqlite3_column_int(s, 13);
		d->checked_at = sqlite3_column_int64(s, 14);
		d->elapsed_ms = (unsigned)sqlite3_column_int64(s, 15);
		d->findings = opt_text(s, 16) ? col_text(s, 16) : "";
		d->report = col_text(s, 17);
		d->grade = opt_text(s, 18);
		d->score = sqlite3_column_type(s, 19) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(s, 19);
		row->domain = d;
	} else {
		struct store_server_row *v = &it->s;
		int k;

		v->address = col_text(s, 0);
		v->port = (unsigned)sqlite3_column_int(s, 1);
		v->family = col_text(s, 2);
		v->reserved = opt_text(s, 3);
		v->smtp_status = col_text(s, 4);
		v->smtp_class = col_text(s, 5);
		v->starttls_offered = sqlite3_column_int(s, 6);
		v->tls_version = opt_text(s, 7);
		v->cipher = opt_text(s, 8);
		v->cipher_bits = sqlite3_column_int(s, 9);
		v->kx = opt_text(s, 10);
		v->kx_group = opt_text(s, 11);
		v->kx_bits = sqlite3_column_int(s, 12);
		v->forward_secrecy = sqlite3_column_int(s, 13);
		v->cert_sha256 = opt_text(s, 14);
		v->cert_not_after = sqlite3_column_int64(s, 15);
		v->cert_verified = sqlite3_column_int(s, 16);
		v->cert_verify_error = opt_text(s, 17);
		v->modern_refusals = (unsigned)sqlite3_column_int(s, 18);
		v->enumerated = sqlite3_column_int(s, 19);
		for (k = 0; k < PROBE_VERSION_COUNT; k++)
			v->protocol[k] = opt_text(s, 20 + k);
		v->suites = sqlite3_column_int(s, 26);
		v->dh_min_bits = sqlite3_column_int(s, 27);
		v->domains = (uint64_t)sqlite3_column_int64(s, 28);
		v->mx_hosts = opt_text(s, 29) ? col_text(s, 29) : "";
		v->grade = opt_text(s, 30);
		v->score = sqlite3_column_type(s, 31) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(s, 31);
		row->server = v;
	}
	return 1;
}

static void
sq_export_close(struct store *st, void *impl)
{
	struct sq *q = store_impl(st);
	struct sq_iter *it = impl;

	done(it->stmt);
	sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL);
	free(it);
}

static int sq_diff(struct store *st, int64_t scan_a, int64_t scan_b,
    int64_t expiring_before, store_diff_cb *cb, void *arg);
static int sq_domain_report(struct store *, int64_t, const char *,
    struct store_report *);
static int sq_recent(struct store *, int64_t, size_t, struct store_recent **,
    size_t *);

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.scan_begin = sq_scan_begin,
	.scan_done_foreach = sq_scan_done_foreach,
	.scan_finish = sq_scan_finish,
	.scan_get = sq_scan_get,
	.write_batch = sq_write_batch,
	.stats = sq_stats,
	.export_open = sq_export_open,
	.export_next = sq_export_next,
	.export_close = sq_export_close,
	.diff = sq_diff,
	.domain_report = sq_domain_report,
	.recent = sq_recent,
};

/* ---- diff (store_diff()) ---- */

/*
 * Every diff query returns the same 19 columns (NULL where a kind has
 * nothing), so one decoder serves all: domain, address, port,
 * grade_before, score_before, grade_after, score_after, class_before,
 * status_before, class_after, status_after, mx_hosts, domains,
 * cert_not_after, cert_sha256, mx_host, finding, severity, detail.
 * ?1: scan A, ?2: scan B, ?3: the expiry limit.
 */
#define DIFF_NO_SERVER " NULL, NULL,"
#define DIFF_NO_CLASS " NULL, NULL, NULL, NULL,"
#define DIFF_NO_GRADE " NULL, NULL, NULL, NULL,"
#define DIFF_NO_CTX " NULL, NULL,"
#define DIFF_NO_CERT " NULL, NULL,"
#define DIFF_NO_FINDING " NULL, NULL, NULL, NULL"
/* The MX names that reach server T in its scan, and how many domains. */
#define DIFF_CTX(t) \
	" (SELECT group_concat(mx_host, ' ') FROM (SELECT DISTINCT mx_host" \
	"   FROM domain_server l WHERE l.server_id = " t ".id ORDER BY mx_host))," \
	" (SELECT count(DISTINCT domain_id) FROM domain_server l" \
	"   WHERE l.server_id = " t ".id),"
#define DIFF_LINKED(t) \
	" EXISTS (SELECT 1 FROM domain_server l WHERE l.server_id = " t ".id)"
/* Servers of A and B with the same address and port, both linked. */
#define DIFF_BOTH_SERVERS \
	" FROM server a JOIN server b ON b.scan_id = ?2" \
	" AND b.address = a.address AND b.port = a.port" \
	" WHERE a.scan_id = ?1 AND" DIFF_LINKED("a") " AND" DIFF_LINKED("b")
#define DIFF_BROKEN "('no-starttls', 'starttls-broken')"
/* Findings of domain D (scan X) that its namesake in scan Y lacks. */
#define DIFF_FINDINGS(x, y) \
	"SELECT d.name," DIFF_NO_SERVER DIFF_NO_GRADE DIFF_NO_CLASS \
	DIFF_NO_CTX DIFF_NO_CERT " f.mx_host, f.finding, max(f.severity)," \
	" min(f.detail)" \
	" FROM finding f JOIN domain d ON d.id = f.domain_id" \
	" JOIN domain o ON o.scan_id = " y " AND o.name = d.name" \
	" WHERE d.scan_id = " x " AND NOT EXISTS (SELECT 1 FROM finding g" \
	"   WHERE g.domain_id = o.id AND g.finding = f.finding" \
	"   AND g.mx_host IS f.mx_host)" \
	" GROUP BY d.name, f.mx_host, f.finding" \
	" ORDER BY d.name, f.mx_host, f.finding"

static const char *const diff_sql[STORE_DIFF_KIND_COUNT] = {
	[STORE_DIFF_DOMAIN_ADDED] =
	    "SELECT d.name," DIFF_NO_SERVER " NULL, NULL, d.grade, d.score,"
	    DIFF_NO_CLASS DIFF_NO_CTX DIFF_NO_CERT DIFF_NO_FINDING
	    " FROM domain d WHERE d.scan_id = ?2 AND NOT EXISTS (SELECT 1"
	    " FROM domain o WHERE o.scan_id = ?1 AND o.name = d.name)"
	    " ORDER BY d.name",
	[STORE_DIFF_DOMAIN_REMOVED] =
	    "SELECT d.name," DIFF_NO_SERVER " d.grade, d.score, NULL, NULL,"
	    DIFF_NO_CLASS DIFF_NO_CTX DIFF_NO_CERT DIFF_NO_FINDING
	    " FROM domain d WHERE d.scan_id = ?1 AND NOT EXISTS (SELECT 1"
	    " FROM domain o WHERE o.scan_id = ?2 AND o.name = d.name)"
	    " ORDER BY d.name",
	[STORE_DIFF_DOMAIN_GRADE] =
	    "SELECT b.name," DIFF_NO_SERVER " a.grade, a.score, b.grade,"
	    " b.score," DIFF_NO_CLASS DIFF_NO_CTX DIFF_NO_CERT DIFF_NO_FINDING
	    " FROM domain a JOIN domain b ON b.scan_id = ?2 AND b.name = a.name"
	    " WHERE a.scan_id = ?1 AND a.grade IS NOT b.grade ORDER BY b.name",
	[STORE_DIFF_SERVER_GRADE] =
	    "SELECT NULL, b.address, b.port, a.grade, a.score, b.grade, b.score,"
	    DIFF_NO_CLASS DIFF_CTX("b") DIFF_NO_CERT DIFF_NO_FINDING
	    DIFF_BOTH_SERVERS " AND a.grade IS NOT b.grade"
	    " ORDER BY b.address, b.port",
	[STORE_DIFF_STARTTLS_LOST] =
	    "SELECT NULL, b.address, b.port," DIFF_NO_GRADE " a.smtp_class,"
	    " a.smtp_status, b.smtp_class, b.smtp_status," DIFF_CTX("b")
	    DIFF_NO_CERT DIFF_NO_FINDING
	    DIFF_BOTH_SERVERS " AND a.smtp_class = 'starttls-ok'"
	    " AND b.smtp_class IN " DIFF_BROKEN " ORDER BY b.address, b.port",
	[STORE_DIFF_STARTTLS_GAINED] =
	    "SELECT NULL, b.address, b.port," DIFF_NO_GRADE " a.smtp_class,"
	    " a.smtp_status, b.smtp_class, b.smtp_status," DIFF_CTX("b")
	    DIFF_NO_CERT DIFF_NO_FINDING
	    DIFF_BOTH_SERVERS " AND a.smtp_class IN " DIFF_BROKEN
	    " AND b.smtp_class = 'starttls-ok' ORDER BY b.address, b.port",
	[STORE_DIFF_CERT_EXPIRING] =
	    "SELECT NULL, b.address, b.port," DIFF_NO_GRADE DIFF_NO_CLASS
	    DIFF_CTX("b") " b.cert_not_after, b.cert_sha256," DIFF_NO_FINDING
	    " FROM server b WHERE b.scan_id = ?2 AND b.cert_not_after < ?3"
	    " AND" DIFF_LINKED("b")
	    " ORDER BY b.cert_not_after, b.address, b.port",
	[STORE_DIFF_FINDING_APPEARED] = DIFF_FINDINGS("?2", "?1"),
	[STORE_DIFF_FINDING_GONE] = DIFF_FINDINGS("?1", "?2"),
};

static int
opt_int(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(s, i);
}

/* diff_kind - run one diff query, each row to cb.  0, or -1. */
static int
diff_kind(struct store *st, struct sq *q, enum store_diff_kind kind,
    int64_t scan_a, int64_t scan_b, int64_t expiring_before,
    store_diff_cb *cb, void *arg)
{
	struct store_diff_row row;
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(q->db, diff_sql[kind], -1, &s, NULL) != SQLITE_OK)
		return sq_fail(st, q->db, "cannot compare the scans");
	sqlite3_bind_int64(s, 1, scan_a);
	sqlite3_bind_int64(s, 2, scan_b);
	if (sqlite3_bind_parameter_count(s) >= 3)
		sqlite3_bind_int64(s, 3, expiring_before);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		row.kind = kind;
		row.domain = opt_text(s, 0);
		row.address = opt_text(s, 1);
		row.port = (unsigned)sqlite3_column_int(s, 2);
		row.grade_before = opt_text(s, 3);
		row.score_before = opt_int(s, 4);
		row.grade_after = opt_text(s, 5);
		row.score_after = opt_int(s, 6);
		row.class_before = opt_text(s, 7);
		row.status_before = opt_text(s, 8);
		row.class_after = opt_text(s, 9);
		row.status_after = opt_text(s, 10);
		row.mx_hosts = opt_text(s, 11) ? col_text(s, 11) :
		    (row.address != NULL ? "" : NULL);
		row.domains = (uint64_t)sqlite3_column_int64(s, 12);
		row.cert_not_after = sqlite3_column_int64(s, 13);
		row.cert_sha256 = opt_text(s, 14);
		row.mx_host = opt_text(s, 15);
		row.finding = opt_text(s, 16);
		row.severity = opt_int(s, 17);
		row.detail = opt_text(s, 18);
		if (cb(arg, &row) == -1) {
			sqlite3_finalize(s);
			return store_set_error(st, "stopped");
		}
	}
	if (rc != SQLITE_DONE) {
		sq_fail(st, q->db, "cannot compare the scans");
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

/*
 * sq_diff - the queries are prepared here, not at open: only `diff` runs
 * them, once each.  One read transaction: a consistent snapshot while a
 * scan writes.
 */
static int
sq_diff(struct store *st, int64_t scan_a, int64_t scan_b,
    int64_t expiring_before, store_diff_cb *cb, void *arg)
{
	struct sq *q = store_impl(st);
	int k;

	if (exec(st, q->db, "BEGIN", "cannot read") == -1)
		return -1;
	for (k = 0; k < STORE_DIFF_KIND_COUNT; k++) {
		if (diff_kind(st, q, (enum store_diff_kind)k, scan_a, scan_b,
		    expiring_before, cb, arg) == -1) {
			sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL);
	return 0;
}

/* ---- the web's lookups (store.h): rare, so prepared per call ---- */

static int
sq_domain_report(struct store *st, int64_t scan_id, const char *name,
    struct store_report *out)
{
	struct sq *q = store_impl(st);
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(q->db, "SELECT checked_at, grade, score, report"
	    " FROM domain WHERE scan_id = ?1 AND name = ?2", -1, &s,
	    NULL) != SQLITE_OK)
		return sq_fail(st, q->db, "cannot prepare a statement");
	sqlite3_bind_int64(s, 1, scan_id);
	bind_text(s, 2, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->checked_at = sqlite3_column_int64(s, 0);
		if (opt_text(s, 1) != NULL)
			out->grade = col_dup(s, 1);
		out->score = sqlite3_column_type(s, 2) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(s, 2);
		out->report = col_dup(s, 3);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return sq_fail(st, q->db, "cannot read the domain");
	if (out->report == NULL) {
		store_report_clear(out);
		return store_set_error(st, "out of memory");
	}
	return 1;
}

static int
sq_recent(struct store *st, int64_t scan_id, size_t limit,
    struct store_recent **out, size_t *n)
{
	struct sq *q = store_impl(st);
	struct store_recent *v;
	sqlite3_stmt *s = NULL;
	size_t k = 0;
	int rc;

	if ((v = calloc(limit ? limit : 1, sizeof(*v))) == NULL)
		return store_set_error(st, "out of memory");
	if (sqlite3_prepare_v2(q->db, "SELECT name, grade, score, checked_at"
	    " FROM domain WHERE scan_id = ?1 ORDER BY checked_at DESC, name"
	    " LIMIT ?2", -1, &s, NULL) != SQLITE_OK) {
		free(v);
		return sq_fail(st, q->db, "cannot prepare a statement");
	}
	sqlite3_bind_int64(s, 1, scan_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	while (k < limit && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		v[k].name = col_dup(s, 0);
		v[k].grade = opt_text(s, 1) != NULL ? col_dup(s, 1) : NULL;
		v[k].score = sqlite3_column_type(s, 2) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(s, 2);
		v[k].checked_at = sqlite3_column_int64(s, 3);
		if (v[k++].name == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(s);
	if (k < limit && rc != SQLITE_DONE) {
		store_recent_free(v, k);
		return sq_fail(st, q->db, "cannot read recent domains");
	}
	*out = v;
	*n = k;
	return 0;
}
