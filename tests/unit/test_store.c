/*
 * test_store.c - the results store's contract (src/store/store.h), checked
 * against a real database: SQLite files in a temporary directory by
 * default (ctest: unit.store), or a PostgreSQL server when MAILTLS_TEST_PG
 * is set to a base URI without a database name
 * ("postgresql://user:pw@127.0.0.1:PORT"), in which case every test gets
 * a new database of its own (ctest: store.pg.api; tests/store/pg.sh
 * provides the server).  The same cases run on both backends; the few
 * that only make sense on one skip on the other.
 *
 * Results are built by hand (tests/store/fake_result.c): no network.
 * What a test wrote is checked through the API and, independently, with
 * SQL on the tables (sqlite3 / libpq directly).  Processes are forked where
 * the contract is about processes: a writer killed with SIGKILL mid-batch,
 * several writers starting and writing the same scan at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake_result.h"
#include "report/report.h"
#include "store/store.h"

#define NOW 1790000000		/* 2026-09-21 */
#define DAY (24 * 60 * 60)

static const char *pg_base;	/* MAILTLS_TEST_PG, or NULL: SQLite */
static char tmpdir[256];
static unsigned counter;

struct t {
	char	uri[512];
};

/* ---- databases ---- */

static void
quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static PGconn *
pg_connect(const char *uri)
{
	PGconn *c = PQconnectdb(uri);

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("cannot connect to %s: %s", uri, PQerrorMessage(c));
	PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

/* fresh_uri - a database nobody has used yet (not created for SQLite). */
static void
fresh_uri(char *buf, size_t len)
{
	char admin[512], sql[128];
	PGconn *c;
	PGresult *r;

	counter++;
	if (pg_base == NULL) {
		snprintf(buf, len, "%s/t%u.db", tmpdir, counter);
		return;
	}
	snprintf(admin, sizeof(admin), "%s/postgres", pg_base);
	snprintf(buf, len, "%s/mt_%ld_%u", pg_base, (long)getpid(), counter);
	/* Test code: the name is ours, made of digits. */
	snprintf(sql, sizeof(sql), "CREATE DATABASE mt_%ld_%u", (long)getpid(),
	    counter);
	c = pg_connect(admin);
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
}

/* q1 - the first column of the first row of sql, as an integer. */
static long long
q1(const char *uri, const char *sql)
{
	long long v = -1;

	if (pg_base != NULL) {
		PGconn *c = pg_connect(uri);
		PGresult *r = PQexec(c, sql);

		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
			fail_msg("%s: %s", sql, PQresultErrorMessage(r));
		v = PQgetisnull(r, 0, 0) ? -1 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		PQfinish(c);
	} else {
		sqlite3 *db;
		sqlite3_stmt *s;

		assert_int_equal(sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY,
		    NULL), SQLITE_OK);
		/* A writer may be committing, or the WAL being recovered. */
		sqlite3_busy_timeout(db, 10000);
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
			fail_msg("%s: %s", sql, sqlite3_errmsg(db));
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -1 :
			    sqlite3_column_int64(s, 0);
		else
			fail_msg("%s: %s", sql, sqlite3_errmsg(db));
		sqlite3_finalize(s);
		sqlite3_close(db);
	}
	return v;
}

/* sqlite_text - the first column of the first row of sql on SQLite file path. */
static void
sqlite_text(const char *path, const char *sql, char *buf, size_t len)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	buf[0] = '\0';
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* exec_sql - a statement without result, behind the store's back. */
static void
exec_sql(const char *uri, const char *sql)
{
	if (pg_base != NULL) {
		PGconn *c = pg_connect(uri);
		PGresult *r = PQexec(c, sql);

		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			fail_msg("%s: %s", sql, PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(c);
	} else {
		sqlite3 *db;

		assert_int_equal(sqlite3_open(uri, &db), SQLITE_OK);
		sqlite3_busy_timeout(db, 10000);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			fail_msg("%s: %s", sql, sqlite3_errmsg(db));
		sqlite3_close(db);
	}
}

static int
setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	fresh_uri(t->uri, sizeof(t->uri));
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	free(*state);
	return 0;
}

static struct store *
open_ok(const char *uri, enum store_open_mode mode)
{
	char err[STORE_ERR_MAX];
	struct store *st = store_open(uri, mode, err, sizeof(err));

	if (st == NULL)
		fail_msg("store_open %s: %s", uri, err);
	return st;
}

static int64_t
begin_scan(struct store *st, const char *sha, const char *options, int *resumed,
    struct store_nameset **done)
{
	struct store_scan_params p = {
		.input_path = "domains.txt", .input_sha256 = sha,
		.options = options, .version = "0.1.0-test",
		.domains_total = 1000, .now = NOW,
	};
	struct store_resume r;

	if (store_scan_begin(st, &p, &r) == -1)
		fail_msg("store_scan_begin: %s", store_error(st));
	if (resumed != NULL)
		*resumed = r.resumed;
	if (done != NULL)
		*done = r.done;
	else
		store_nameset_free(r.done);
	return r.scan_id;
}

/*
 * sample - a domain with 2 MX hosts, 3 addresses (one IPv6; one
 * enumerated: TLS 1.2 and 1.3, 4 suites) and exactly 5 findings: one on
 * the domain, one on a host, three on addresses; graded.
 */
static struct domain_result *
sample(const char *name, const char *addr_prefix)
{
	struct domain_result *d = fake_domain(name, NOW);
	struct server_result *s;
	char host[128], addr[64];
	size_t h;

	snprintf(host, sizeof(host), "mx1.%s", name);
	h = fake_host(d, host, 10);
	snprintf(addr, sizeof(addr), "%s.1", addr_prefix);
	s = fake_server(d, h, addr, SMTP_STATUS_TLS_OK);
	fake_tls(s, host, "TLSv1.3", "TLS_AES_256_GCM_SHA384", "X25519", 253,
	    NOW + 10 * DAY, 1, 1);
	fake_probe(s, "nnnnyy", 0);
	findings_add(&s->findings, F_CERT_EXPIRES_SOON, "expires in %d days", 10);
	snprintf(addr, sizeof(addr), "%s.2", addr_prefix);
	s = fake_server(d, h, addr, SMTP_STATUS_TLS_OK);
	fake_tls(s, host, "TLSv1.2", "AES256-SHA", NULL, 0, NOW + 100 * DAY, 0, 0);
	findings_add(&s->findings, F_NO_FORWARD_SECRECY, "AES256-SHA with RSA");
	findings_add(&s->findings, F_CERT_UNTRUSTED, "unable to get issuer");
	snprintf(host, sizeof(host), "mx2.%s", name);
	h = fake_host(d, host, 20);
	s = fake_server(d, h, "2a01:4f8::25", SMTP_STATUS_NO_STARTTLS);
	findings_add(&d->hosts[h].findings, F_MX_IS_CNAME, "%s is an alias", host);
	findings_add(&d->findings, F_DNSSEC_UNSIGNED, NULL);
	(void)s;
	grade_derive(d);
	return d;
}

static void
save(struct store *st, int64_t scan, struct domain_result *d)
{
	if (store_save_domain(st, scan, d) == -1)
		fail_msg("store_save_domain: %s", store_error(st));
}

static void
commit(struct store *st)
{
	if (store_commit(st) == -1)
		fail_msg("store_commit: %s", store_error(st));
}

static char *
rendered(const struct domain_result *d)
{
	json_t *j = report_json(d);
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);

	json_decref(j);
	return s;
}

/* ---- tests ---- */

static void
schema_created_once(void **state)
{
	struct t *t = *state;
	struct store *st;
	int i;

	/* Opening for writing creates; reopening finds it; readers read. */
	for (i = 0; i < 2; i++) {
		st = open_ok(t->uri, STORE_OPEN_WRITE);
		assert_string_equal(store_backend(st), pg_base ? "postgresql" :
		    "sqlite");
		store_close(st);
	}
	st = open_ok(t->uri, STORE_OPEN_READ);
	/* A database without a scan yet: a clear answer, not zeros. */
	{
		struct store_stats ss;
		struct store_scan_info si;

		assert_int_equal(store_stats(st, 0, &ss), -1);
		assert_string_equal(store_error(st), "no scan in the database");
		assert_null(store_export_open(st, 0, STORE_PER_DOMAIN));
		assert_string_equal(store_error(st), "no scan in the database");
		assert_int_equal(store_scan_get(st, 3, &si), -1);
		assert_string_equal(store_error(st), "no scan 3");
	}
	store_close(st);
	assert_int_equal(q1(t->uri, "SELECT value FROM meta"
	    " WHERE key = 'schema_version'"), STORE_SCHEMA_VERSION);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM severity"), 5);
	if (pg_base == NULL) {
		char mode[32];

		sqlite_text(t->uri, "PRAGMA journal_mode", mode, sizeof(mode));
		assert_string_equal(mode, "wal");
	}
}

static void
reader_does_not_create(void **state)
{
	struct t *t = *state;
	char err[STORE_ERR_MAX];
	struct stat sb;

	assert_null(store_open(t->uri, STORE_OPEN_READ, err, sizeof(err)));
	if (pg_base == NULL) {
		assert_non_null(strstr(err, "no such database"));
		assert_int_equal(stat(t->uri, &sb), -1);
	} else {
		assert_string_equal(err, "not a mailtls database (no mailtls tables)");
		assert_int_equal(q1(t->uri, "SELECT count(*) FROM pg_tables"
		    " WHERE schemaname = 'public'"), 0);
	}
}

static void
save_and_read_back(void **state)
{
	struct t *t = *state;
	struct store *st = open_ok(t->uri, STORE_OPEN_WRITE);
	struct domain_result *d = sample("example.org", "5.9.0");
	struct store_iter *it;
	struct store_row row;
	char *want = rendered(d);
	/* The grades the rubric gives (whatever they are): stored as given. */
	const char *dgrade = grade_letter_name(d->grade.letter);
	const char *sgrade = grade_letter_name(d->hosts[0].views[0].grade.letter);
	int sscore = d->hosts[0].views[0].grade.encryption;
	int64_t scan = begin_scan(st, "aa", "port=25", NULL, NULL);

	assert_int_equal(store_begin(st), 0);
	save(st, scan, d);
	assert_int_equal(store_batch_size(st), 1);
	domain_result_free(d);		/* saved means copied */
	commit(st);
	assert_int_equal(store_batch_size(st), 0);
	store_close(st);

	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain"), 1);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM server"), 3);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain_server"), 3);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM finding"), 5);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM finding"
	    " WHERE server_id IS NULL AND mx_host IS NULL"), 1);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM finding"
	    " WHERE server_id IS NULL AND mx_host = 'mx2.example.org'"), 1);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM finding f"
	    " JOIN server s ON s.id = f.server_id WHERE s.address = '5.9.0.2'"), 2);
	assert_int_equal(q1(t->uri, "SELECT severity FROM finding"
	    " WHERE finding = 'dnssec-unsigned'"), finding_kind(F_DNSSEC_UNSIGNED)->severity);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain_server"
	    " WHERE preference IS NOT NULL AND name_match = 'mx1.example.org'"), 1);
	assert_int_equal(q1(t->uri, "SELECT kx_bits FROM server"
	    " WHERE address = '5.9.0.1'"), 253);
	assert_int_equal(q1(t->uri, "SELECT cert_not_after FROM server"
	    " WHERE address = '5.9.0.1'"), NOW + 10 * DAY);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM server WHERE"
	    " tls_version IS NULL AND smtp_class = 'no-starttls'"), 1);
	assert_int_equal(q1(t->uri, "SELECT addresses * 100 + starttls_ok * 10"
	    " + no_starttls FROM domain"), 321);
	/* The enumeration's facts, where there was one. */
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM server WHERE enumerated"
	    " AND proto_sslv2 = 'no' AND proto_sslv3 = 'no' AND proto_tls10 = 'no'"
	    " AND proto_tls11 = 'no' AND proto_tls12 = 'yes'"
	    " AND proto_tls13 = 'yes' AND suites = 4 AND dh_min_bits = 0"
	    " AND address = '5.9.0.1'"), 1);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM server WHERE NOT"
	    " enumerated AND proto_tls13 IS NULL AND suites IS NULL"), 2);
	/* Every fact of the report is kept: the report itself. */
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain WHERE CAST(report AS TEXT)"
	    " LIKE '%\"enumeration\":{\"protocols\":{\"SSLv2\":\"no\"%'"), 1);

	/* Export gives back the report exactly as check --json printed it. */
	st = open_ok(t->uri, STORE_OPEN_READ);
	assert_non_null(it = store_export_open(st, 0, STORE_PER_DOMAIN));
	assert_int_equal(store_export_next(it, &row), 1);
	assert_null(row.server);
	assert_string_equal(row.domain->name, "example.org");
	assert_string_equal(row.domain->verdict, "tls-failure");
	assert_int_equal(row.domain->worst_severity,
	    finding_kind(F_CERT_UNTRUSTED)->severity);
	assert_string_equal(row.domain->mx_dnssec, "insecure");
	assert_int_equal(row.domain->checked_at, NOW);
	assert_string_equal(row.domain->findings, "cert-expires-soon "
	    "cert-untrusted dnssec-unsigned mx-is-cname no-forward-secrecy");
	assert_string_equal(row.domain->report, want);
	assert_non_null(dgrade);
	assert_string_equal(row.domain->grade, dgrade);
	assert_in_range(row.domain->score, 0, 100);
	assert_int_equal(store_export_next(it, &row), 0);
	store_export_close(it);

	assert_non_null(it = store_export_open(st, scan, STORE_PER_SERVER));
	assert_int_equal(store_export_next(it, &row), 1);
	assert_string_equal(row.server->address, "2a01:4f8::25");
	assert_string_equal(row.server->smtp_class, "no-starttls");
	assert_null(row.server->tls_version);
	assert_false(row.server->enumerated);
	assert_null(row.server->protocol[PROBE_TLS13]);
	assert_int_equal(store_export_next(it, &row), 1);
	assert_string_equal(row.server->address, "5.9.0.1");
	assert_string_equal(row.server->tls_version, "TLSv1.3");
	assert_string_equal(row.server->kx_group, "X25519");
	assert_true(row.server->cert_verified);
	assert_true(row.server->forward_secrecy);
	assert_int_equal(row.server->domains, 1);
	assert_string_equal(row.server->mx_hosts, "mx1.example.org");
	assert_int_equal(row.server->cert_not_after, NOW + 10 * DAY);
	assert_true(row.server->enumerated);
	assert_string_equal(row.server->protocol[PROBE_SSL2], "no");
	assert_string_equal(row.server->protocol[PROBE_TLS12], "yes");
	assert_string_equal(row.server->protocol[PROBE_TLS13], "yes");
	assert_int_equal(row.server->suites, 4);
	assert_non_null(sgrade);
	assert_string_equal(row.server->grade, sgrade);
	assert_int_equal(row.server->score, sscore);
	assert_int_equal(store_export_next(it, &row), 1);
	assert_string_equal(row.server->cipher, "AES256-SHA");
	assert_false(row.server->forward_secrecy);
	assert_false(row.server->cert_verified);
	assert_int_equal(store_export_next(it, &row), 0);
	store_export_close(it);
	store_close(st);
	free(want);
}

static void
replay_replaces(void **state)
{
	struct t *t = *state;
	struct store *st = open_ok(t->uri, STORE_OPEN_WRITE);
	int64_t scan = begin_scan(st, "bb", "port=25", NULL, NULL);
	struct domain_result *d;
	size_t h;

	/* The same batch twice (a crash after the commit, replayed). */
	for (int i = 0; i < 2; i++) {
		store_begin(st);
		d = sample("example.org", "5.9.0");
		save(st, scan, d);
		domain_result_free(d);
		commit(st);
	}
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain"), 1);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM finding"), 5);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain_server"), 3);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM server"), 3);

	/* A retried domain with different results replaces the old ones. */
	store_begin(st);
	d = fake_domain("example.org", NOW + 60);
	h = fake_host(d, "mx1.example.org", 10);
	fake_tls(fake_server(d, h, "5.9.0.1", SMTP_STATUS_TLS_OK), "mx1.example.org",
	    "TLSv1.3", "TLS_AES_128_GCM_SHA256", "X25519", 253, NOW + 90 * DAY, 1, 1);
	save(st, scan, d);
	domain_result_free(d);
	commit(st);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain"), 1);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM finding"), 0);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain_server"), 1);
	assert_int_equal(q1(t->uri, "SELECT checked_at FROM domain"), NOW + 60);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain"
	    " WHERE verdict = 'ok' AND worst_severity IS NULL"), 1);
	assert_int_equal(q1(t->uri, "SELECT cert_not_after FROM server"
	    " WHERE address = '5.9.0.1'"), NOW + 90 * DAY);
	/*
	 * The servers only the old result reached stay in the table but are
	 * no longer counted or exported (docs/store.md).
	 */
	{
		struct store_stats ss;
		struct store_iter *it;
		struct store_row row;

		assert_int_equal(q1(t->uri, "SELECT count(*) FROM server"), 3);
		assert_int_equal(store_stats(st, scan, &ss), 0);
		assert_int_equal(ss.servers, 1);
		assert_int_equal(ss.server_class[STORE_CLASS_STARTTLS_OK], 1);
		assert_int_equal(ss.enumerated, 0);
		store_stats_clear(&ss);
		assert_non_null(it = store_export_open(st, scan, STORE_PER_SERVER));
		assert_int_equal(store_export_next(it, &row), 1);
		assert_string_equal(row.server->address, "5.9.0.1");
		assert_int_equal(store_export_next(it, &row), 0);
		store_export_close(it);
	}

	/* Twice within one batch: the later copy wins. */
	store_begin(st);
	d = sample("example.org", "5.9.0");
	save(st, scan, d);
	domain_result_free(d);
	d = fake_domain("example.org", NOW + 120);
	h = fake_host(d, "mx1.example.org", 10);
	fake_server(d, h, "5.9.0.3", SMTP_STATUS_NO_STARTTLS);
	findings_add(&d->hosts[h].servers[0]->findings, F_NO_STARTTLS, NULL);
	save(st, scan, d);
	domain_result_free(d);
	commit(st);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain"), 1);
	assert_int_equal(q1(t->uri, "SELECT checked_at FROM domain"), NOW + 120);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM finding"), 1);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain_server"), 1);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain"
	    " WHERE verdict = 'tls-failure'"), 1);
	store_close(st);
}

static void
servers_shared(void **state)
{
	struct t *t = *state;
	struct store *st = open_ok(t->uri, STORE_OPEN_WRITE);
	int64_t scan = begin_scan(st, "cc", "port=25", NULL, NULL);
	struct store_iter *it;
	struct store_row row;
	char name[64];
	int i, batch;

	/* 30 domains of one provider, in three batches: 3 server rows. */
	for (batch = 0; batch < 3; batch++) {
		store_begin(st);
		for (i = 0; i < 10; i++) {
			struct domain_result *d;

			snprintf(name, sizeof(name), "customer%d.example", batch * 10 + i);
			d = fake_realistic(name, 7, 1000, NOW);	/* provider 7 */
			save(st, scan, d);
			domain_result_free(d);
		}
		commit(st);
	}
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain"), 30);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM server"), 3);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain_server"), 90);
	assert_non_null(it = store_export_open(st, scan, STORE_PER_SERVER));
	for (i = 0; i < 3; i++) {
		assert_int_equal(store_export_next(it, &row), 1);
		assert_int_equal(row.server->domains, 30);
		assert_non_null(strstr(row.server->mx_hosts, "provider7.example"));
	}
	assert_int_equal(store_export_next(it, &row), 0);
	store_export_close(it);
	store_close(st);
}

static void
resume_and_finish(void **state)
{
	struct t *t = *state;
	struct store *st = open_ok(t->uri, STORE_OPEN_WRITE);
	struct store_nameset *done;
	struct domain_result *d;
	struct store_scan_info si;
	int64_t scan, again, other;
	int resumed;

	scan = begin_scan(st, "dd", "port=25", &resumed, &done);
	assert_false(resumed);
	assert_int_equal(store_nameset_count(done), 0);
	store_nameset_free(done);
	store_begin(st);
	d = sample("a.example", "5.9.1");
	save(st, scan, d);
	domain_result_free(d);
	d = sample("b.example", "5.9.1");
	save(st, scan, d);
	domain_result_free(d);
	commit(st);
	/* A batch that never got committed: as if killed. */
	store_begin(st);
	d = sample("c.example", "5.9.1");
	save(st, scan, d);
	domain_result_free(d);
	store_close(st);

	st = open_ok(t->uri, STORE_OPEN_WRITE);
	again = begin_scan(st, "dd", "port=25", &resumed, &done);
	assert_int_equal(again, scan);
	assert_true(resumed);
	assert_int_equal(store_nameset_count(done), 2);
	assert_true(store_nameset_has(done, "a.example"));
	assert_true(store_nameset_has(done, "b.example"));
	assert_false(store_nameset_has(done, "c.example"));
	store_nameset_free(done);

	/* Other options: another scan of the same list. */
	other = begin_scan(st, "dd", "port=587", &resumed, NULL);
	assert_true(other != scan);
	assert_false(resumed);

	assert_int_equal(store_scan_get(st, 0, &si), 0);
	assert_int_equal(si.id, other);
	assert_int_equal(si.finished_at, 0);
	assert_string_equal(si.options, "port=587");
	store_scan_info_clear(&si);
	assert_int_equal(store_scan_get(st, scan, &si), 0);
	assert_string_equal(si.input_path, "domains.txt");
	assert_string_equal(si.input_sha256, "dd");
	assert_string_equal(si.version, "0.1.0-test");
	assert_int_equal(si.domains_total, 1000);
	assert_int_equal(si.started_at, NOW);
	store_scan_info_clear(&si);

	/* Finished: the same input starts anew. */
	assert_int_equal(store_scan_finish(st, scan, NOW + 3600), 0);
	assert_int_equal(store_scan_finish(st, scan, NOW + 7200), 0);
	assert_int_equal(store_scan_get(st, scan, &si), 0);
	assert_int_equal(si.finished_at, NOW + 3600);
	store_scan_info_clear(&si);
	again = begin_scan(st, "dd", "port=25", &resumed, NULL);
	assert_false(resumed);
	assert_true(again != scan && again != other);

	assert_int_equal(store_scan_finish(st, 9999, NOW), -1);
	assert_string_equal(store_error(st), "no scan 9999");
	assert_int_equal(store_scan_get(st, 9999, &si), -1);
	assert_string_equal(store_error(st), "no scan 9999");
	store_close(st);
}

static int
stop_after_two(void *arg, const char *name)
{
	int *n = arg;

	(void)name;
	return ++*n == 2 ? -1 : 0;
}

static void
foreach_and_misuse(void **state)
{
	struct t *t = *state;
	struct store *st = open_ok(t->uri, STORE_OPEN_WRITE);
	int64_t scan = begin_scan(st, "ee", "", NULL, NULL);
	struct domain_result *d = sample("x.example", "5.9.2");
	struct store_stats s;
	char name[64];
	int i, n = 0;

	assert_int_equal(store_save_domain(st, scan, d), -1);
	assert_string_equal(store_error(st), "no batch open (store_begin)");
	assert_int_equal(store_commit(st), -1);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_begin(st), -1);
	assert_int_equal(store_commit(st), 0);		/* empty: fine */
	free(d->name);
	d->name = NULL;
	store_begin(st);
	assert_int_equal(store_save_domain(st, scan, d), -1);
	assert_string_equal(store_error(st), "result without a domain name");
	domain_result_free(d);
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "n%02d.example", i);
		d = sample(name, "5.9.2");
		save(st, scan, d);
		domain_result_free(d);
	}
	commit(st);

	/* A callback that stops: -1, and the connection is still usable. */
	assert_int_equal(store_scan_done_foreach(st, scan, stop_after_two, &n), -1);
	assert_string_equal(store_error(st), "stopped");
	assert_int_equal(n, 2);
	assert_int_equal(store_stats(st, scan, &s), 0);
	assert_int_equal(s.domains, 50);
	store_stats_clear(&s);
	store_close(st);
}

static void
export_stopped_early(void **state)
{
	struct t *t = *state;
	struct store *st = open_ok(t->uri, STORE_OPEN_WRITE);
	int64_t scan = begin_scan(st, "ff", "", NULL, NULL);
	struct store_iter *it;
	struct store_row row;
	struct store_stats s;
	char name[64];
	int i;

	store_begin(st);
	for (i = 0; i < 300; i++) {
		struct domain_result *d;

		snprintf(name, sizeof(name), "e%03d.example", i);
		d = fake_realistic(name, (unsigned)i, 50, NOW);
		save(st, scan, d);
		domain_result_free(d);
	}
	commit(st);
	/* Nothing else while an export runs. */
	assert_non_null(it = store_export_open(st, scan, STORE_PER_DOMAIN));
	assert_int_equal(store_begin(st), -1);
	assert_null(store_export_open(st, scan, STORE_PER_SERVER));
	assert_int_equal(store_stats(st, scan, &s), -1);
	assert_string_equal(store_error(st), "an export is in progress");
	store_stats_clear(&s);
	assert_int_equal(store_export_next(it, &row), 1);
	assert_string_equal(row.domain->name, "e000.example");
	assert_int_equal(store_export_next(it, &row), 1);
	assert_string_equal(row.domain->name, "e001.example");
	store_export_close(it);		/* 298 rows unread */
	assert_int_equal(store_stats(st, scan, &s), 0);
	assert_int_equal(s.domains, 300);
	assert_int_equal(s.servers, 50 * 3);
	store_stats_clear(&s);
	store_close(st);
}

static void
stats_numbers(void **state)
{
	struct t *t = *state;
	struct store *st = open_ok(t->uri, STORE_OPEN_WRITE);
	int64_t scan = begin_scan(st, "gg", "port=25", NULL, NULL), other;
	struct domain_result *d;
	struct store_stats s;
	size_t h;

	store_begin(st);
	/* ok, DNSSEC-signed, TLS 1.3 */
	d = fake_domain("ok.example", NOW);
	d->mx.dnssec = DNSSEC_SECURE;
	h = fake_host(d, "mx.ok.example", 10);
	fake_tls(fake_server(d, h, "5.1.0.1", SMTP_STATUS_TLS_OK), "mx.ok.example",
	    "TLSv1.3", "TLS_AES_256_GCM_SHA384", "X25519", 253, NOW + 90 * DAY, 1, 1);
	fake_probe(d->hosts[h].servers[0], "nnnnyy", 0);
	fake_tls(fake_server(d, h, "5.1.0.2", SMTP_STATUS_TLS_OK), "mx.ok.example",
	    "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", "X25519", 253,
	    NOW + 90 * DAY, 1, 1);
	fake_probe(d->hosts[h].servers[1], "nnyyy?", 2048);
	grade_derive(d);
	save(st, scan, d);
	domain_result_free(d);
	/* the same servers again, through another domain */
	d = fake_domain("ok2.example", NOW);
	h = fake_host(d, "mx.ok.example", 10);
	fake_tls(fake_server(d, h, "5.1.0.1", SMTP_STATUS_TLS_OK), "mx.ok.example",
	    "TLSv1.3", "TLS_AES_256_GCM_SHA384", "X25519", 253, NOW + 90 * DAY, 1, 1);
	fake_probe(d->hosts[h].servers[0], "nnnnyy", 0);
	findings_add(&d->findings, F_DNSSEC_UNSIGNED, NULL);
	grade_derive(d);
	save(st, scan, d);
	domain_result_free(d);
	/* tls-failure: no STARTTLS */
	d = fake_domain("plain.example", NOW);
	h = fake_host(d, "mx.plain.example", 10);
	fake_server(d, h, "5.1.0.3", SMTP_STATUS_NO_STARTTLS);
	findings_add(&d->hosts[h].servers[0]->findings, F_NO_STARTTLS, NULL);
	grade_derive(d);
	save(st, scan, d);
	domain_result_free(d);
	/* inconclusive, bogus-free, one TLS 1.2 with a broken one beside? no: */
	d = fake_domain("slow.example", NOW);
	h = fake_host(d, "mx.slow.example", 10);
	fake_server(d, h, "5.1.0.4", SMTP_STATUS_TIMEOUT);
	fake_server(d, h, "5.1.0.5", SMTP_STATUS_TLS_FAILED);
	findings_add(&d->hosts[h].servers[1]->findings, F_TLS_HANDSHAKE_FAILED, "x");
	grade_derive(d);
	save(st, scan, d);
	domain_result_free(d);
	/* dns-failure: bogus */
	d = fake_domain("bogus.example", NOW);
	d->mx.outcome = DNS_SERVFAIL;
	d->mx.dnssec = DNSSEC_BOGUS;
	findings_add(&d->findings, F_DNSSEC_BOGUS, "MX lookup: bad signature");
	grade_derive(d);
	save(st, scan, d);
	domain_result_free(d);
	/* null MX */
	d = fake_domain("nomail.example", NOW);
	d->null_mx = 1;
	findings_add(&d->findings, F_NULL_MX, NULL);
	grade_derive(d);
	save(st, scan, d);
	domain_result_free(d);
	/* implicit MX, MX lookup not made at all */
	d = fake_domain("implicit.example", NOW);
	d->implicit_mx = 1;
	d->mx.done = 0;
	h = fake_host(d, "implicit.example", -1);
	fake_server(d, h, "10.1.2.3", SMTP_STATUS_NOT_TESTED);
	grade_derive(d);
	save(st, scan, d);
	domain_result_free(d);
	commit(st);
	/* Another scan's data must not leak into these numbers. */
	other = begin_scan(st, "gg2", "port=25", NULL, NULL);
	store_begin(st);
	d = sample("elsewhere.example", "5.1.9");
	save(st, other, d);
	domain_result_free(d);
	commit(st);

	assert_int_equal(store_stats(st, scan, &s), 0);
	assert_int_equal(s.scan.id, scan);
	assert_int_equal(s.domains, 7);
	assert_int_equal(s.verdict[STORE_VERDICT_OK], 3);	/* ok, ok2, null MX */
	assert_int_equal(s.verdict[STORE_VERDICT_TLS_FAILURE], 2);
	assert_int_equal(s.verdict[STORE_VERDICT_DNS_FAILURE], 1);
	assert_int_equal(s.verdict[STORE_VERDICT_INCONCLUSIVE], 1);
	assert_int_equal(s.null_mx, 1);
	assert_int_equal(s.implicit_mx, 1);
	assert_int_equal(s.mx_secure, 1);
	assert_int_equal(s.mx_bogus, 1);
	assert_int_equal(s.mx_insecure, 4);
	assert_int_equal(s.mx_indeterminate, 1);
	assert_int_equal(s.all_starttls, 2);
	assert_int_equal(s.servers, 6);
	assert_int_equal(s.server_class[STORE_CLASS_STARTTLS_OK], 2);
	assert_int_equal(s.server_class[STORE_CLASS_NO_STARTTLS], 1);
	assert_int_equal(s.server_class[STORE_CLASS_BROKEN], 1);
	assert_int_equal(s.server_class[STORE_CLASS_INCONCLUSIVE], 1);
	assert_int_equal(s.server_class[STORE_CLASS_NOT_TESTED], 1);
	assert_int_equal(s.worst_none, 2);	/* ok, implicit */
	assert_int_equal(s.worst[finding_kind(F_DNSSEC_BOGUS)->severity] +
	    s.worst[finding_kind(F_NO_STARTTLS)->severity] +
	    s.worst[finding_kind(F_DNSSEC_UNSIGNED)->severity] +
	    s.worst[finding_kind(F_NULL_MX)->severity] +
	    s.worst[finding_kind(F_TLS_HANDSHAKE_FAILED)->severity] >= 5, 1);
	assert_int_equal(s.tls_versions.n, 2);
	assert_string_equal(s.tls_versions.v[0].name, "TLSv1.2");	/* tie: by name */
	assert_int_equal(s.tls_versions.v[0].n, 1);
	assert_string_equal(s.tls_versions.v[1].name, "TLSv1.3");
	assert_int_equal(s.ciphers.n, 2);
	assert_string_equal(s.scan.options, "port=25");
	/* Enumerated: 5.1.0.1 (TLS 1.2, 1.3) and 5.1.0.2 (1.0-1.2, 1.3 unknown). */
	assert_int_equal(s.enumerated, 2);
	assert_int_equal(s.protocol[PROBE_SSL2], 0);
	assert_int_equal(s.protocol[PROBE_SSL3], 0);
	assert_int_equal(s.protocol[PROBE_TLS10], 1);
	assert_int_equal(s.protocol[PROBE_TLS11], 1);
	assert_int_equal(s.protocol[PROBE_TLS12], 2);
	assert_int_equal(s.protocol[PROBE_TLS13], 1);
	/* Grades: every domain and server counted once, letters as stored. */
	{
		uint64_t dsum = 0, ssum = 0;
		int l;

		for (l = 0; l < GRADE_LETTER_COUNT; l++) {
			dsum += s.domain_grade[l];
			ssum += s.server_grade[l];
		}
		assert_int_equal(dsum, 7);
		assert_int_equal(ssum, 6);
		assert_int_equal(dsum - s.domain_grade[GRADE_NONE], q1(t->uri,
		    "SELECT count(*) FROM domain WHERE scan_id = 1"
		    " AND grade IS NOT NULL AND score IS NOT NULL"));
		assert_true(s.domain_grade[GRADE_NONE] >= 2);	/* bogus, null MX */
		assert_true(s.server_score >= 0 && s.server_score <= 100);
		assert_true(s.domain_score >= 0 && s.domain_score <= 100);
	}
	/* Domains per finding: one each, ties by id. */
	assert_int_equal(s.findings.n, 5);
	assert_string_equal(s.findings.v[0].name, "dnssec-bogus");
	assert_string_equal(s.findings.v[1].name, "dnssec-unsigned");
	assert_string_equal(s.findings.v[2].name, "no-starttls");
	assert_string_equal(s.findings.v[3].name, "null-mx");
	assert_string_equal(s.findings.v[4].name, "tls-handshake-failed");
	assert_int_equal(s.findings.v[0].n, 1);
	store_stats_clear(&s);

	/* The latest scan by default. */
	assert_int_equal(store_stats(st, 0, &s), 0);
	assert_int_equal(s.scan.id, other);
	assert_int_equal(s.domains, 1);
	assert_int_equal(s.enumerated, 1);
	assert_int_equal(s.findings.n, 5);	/* 5 ids, one domain */
	assert_int_equal(s.findings.v[0].n, 1);
	store_stats_clear(&s);
	/* A scan that does not exist. */
	assert_int_equal(store_stats(st, 999, &s), -1);
	assert_string_equal(store_error(st), "no scan 999");
	store_close(st);
}

/*
 * Data that would break SQL built from strings, kept byte for byte; and
 * numbers at the edge of the model's types.
 */
static void
hostile_strings(void **state)
{
	struct t *t = *state;
	struct store *st = open_ok(t->uri, STORE_OPEN_WRITE);
	const char *evil = "x'); DROP TABLE domain; -- \" \\ %s %n $1 ?1";
	int64_t scan = begin_scan(st, "'; DROP TABLE scan; --", evil, NULL, NULL);
	struct domain_result *d;
	struct store_iter *it;
	struct store_row row;
	char *want, big[20000];
	size_t h;

	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	d = fake_domain("quote'and\"dq.example", NOW);
	d->elapsed_ms = 4294967293u;	/* a clock that went back 3 ms */
	h = fake_host(d, evil, 10);
	fake_server(d, h, "5.2.0.1", SMTP_STATUS_NO_STARTTLS)->smtp.elapsed_ms =
	    4294967295u;
	findings_add(&d->hosts[h].servers[0]->findings, F_NO_STARTTLS, "%s", evil);
	findings_add(&d->findings, F_DNSSEC_UNSIGNED, "%s", big);
	want = rendered(d);
	store_begin(st);
	save(st, scan, d);
	domain_result_free(d);
	commit(st);

	assert_non_null(it = store_export_open(st, scan, STORE_PER_DOMAIN));
	assert_int_equal(store_export_next(it, &row), 1);
	assert_string_equal(row.domain->name, "quote'and\"dq.example");
	assert_string_equal(row.domain->report, want);
	assert_int_equal(row.domain->elapsed_ms, 4294967293u);
	store_export_close(it);
	assert_non_null(it = store_export_open(st, scan, STORE_PER_SERVER));
	assert_int_equal(store_export_next(it, &row), 1);
	assert_string_equal(row.server->mx_hosts, evil);
	store_export_close(it);
	store_close(st);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM scan"), 1);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain"), 1);
	assert_int_equal(q1(t->uri, "SELECT elapsed_ms FROM server"), 4294967295LL);
	free(want);
}

/*
 * A writer killed with SIGKILL at a random moment, mid-commit or between
 * commits: what is there is whole batches, and a resume redoes the rest.
 */
static void
killed_writer(void **state)
{
	struct t *t = *state;
	struct store *st = open_ok(t->uri, STORE_OPEN_WRITE);
	struct store_nameset *done;
	const unsigned per_batch = 40;
	int64_t scan;
	long long n, f, before = 0;
	int resumed, status, round, w;
	pid_t pid;

	store_close(st);	/* schema in place before the race */
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	for (round = 0; round < 3; round++) {
		if ((pid = fork()) == 0) {
			char name[64];
			unsigned i;

			alarm(120);	/* should the parent fail to kill it */
			st = open_ok(t->uri, STORE_OPEN_WRITE);
			scan = begin_scan(st, "kill", "", NULL, NULL);
			for (i = 0;; i++) {
				struct domain_result *d;

				if (i % per_batch == 0 && store_begin(st) == -1)
					_exit(3);
				snprintf(name, sizeof(name), "r%d-%06u.example", round, i);
				d = sample(name, "5.3.0");
				if (store_save_domain(st, scan, d) == -1)
					_exit(4);
				domain_result_free(d);
				if (i % per_batch == per_batch - 1 && store_commit(st) == -1)
					_exit(5);
			}
		}
		assert_true(pid > 0);
		/*
		 * Once the writer has committed in this round (a slow machine,
		 * a sanitizer build: that may take a while), let it go on for a
		 * random moment, then kill it, likely in the middle of a batch.
		 */
		for (w = 0; w < 3000 && q1(t->uri, "SELECT count(*) FROM domain")
		    <= before; w++)
			usleep(10000);
		usleep((useconds_t)(rand() % 300000));
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		before = q1(t->uri, "SELECT count(*) FROM domain");
	}
	n = q1(t->uri, "SELECT count(*) FROM domain");
	f = q1(t->uri, "SELECT count(*) FROM finding");
	assert_true(n > 0);
	/* Every committed domain came whole; no batch came in part. */
	assert_int_equal(f, n * 5);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain_server"), n * 3);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM (SELECT 1 FROM domain"
	    " GROUP BY name HAVING count(*) > 1) x"), 0);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM scan"), 1);
	if (pg_base == NULL) {
		for (round = 0; round < 3; round++) {
			char sql[128];

			snprintf(sql, sizeof(sql), "SELECT count(*) %% %u FROM domain"
			    " WHERE name LIKE 'r%d-%%'", per_batch, round);
			assert_int_equal(q1(t->uri, sql), 0);
		}
		assert_int_equal(q1(t->uri, "SELECT count(*) FROM"
		    " pragma_integrity_check WHERE integrity_check <> 'ok'"), 0);
	}
	st = open_ok(t->uri, STORE_OPEN_WRITE);
	scan = begin_scan(st, "kill", "", &resumed, &done);
	assert_true(resumed);
	assert_int_equal(store_nameset_count(done), n);
	store_nameset_free(done);
	store_close(st);
}

/*
 * Several processes start the same scan at the same moment and write the
 * same domains (sharing every server) in different orders: one scan, no
 * duplicate, no deadlock left unresolved, every row complete.
 */
static void
concurrent_writers(void **state)
{
	struct t *t = *state;
	enum { WRITERS = 4, DOMAINS = 200, BATCH = 20 };
	int gate[2], ids[2], k, status;
	int64_t got[WRITERS];
	pid_t pids[WRITERS];
	struct store *st;

	st = open_ok(t->uri, STORE_OPEN_WRITE);
	store_close(st);
	assert_int_equal(pipe(gate), 0);
	assert_int_equal(pipe(ids), 0);
	for (k = 0; k < WRITERS; k++) {
		if ((pids[k] = fork()) == 0) {
			char name[64], c;
			int64_t scan;
			int i;

			close(gate[1]);
			st = open_ok(t->uri, STORE_OPEN_WRITE);
			(void)!read(gate[0], &c, 1);	/* all start together */
			scan = begin_scan(st, "same", "port=25", NULL, NULL);
			(void)!write(ids[1], &scan, sizeof(scan));
			for (i = 0; i < DOMAINS; i++) {
				int j = (i + k * 53) % DOMAINS;
				struct domain_result *d;

				if (i % BATCH == 0)
					store_begin(st);
				snprintf(name, sizeof(name), "c%03d.example", j);
				d = fake_realistic(name, (unsigned)j, 10, NOW);
				if (store_save_domain(st, scan, d) == -1)
					_exit(4);
				domain_result_free(d);
				if (i % BATCH == BATCH - 1 && store_commit(st) == -1) {
					fprintf(stderr, "writer %d: %s\n", k,
					    store_error(st));
					_exit(5);
				}
			}
			store_close(st);
			_exit(0);
		}
	}
	close(gate[0]);
	close(gate[1]);		/* go */
	for (k = 0; k < WRITERS; k++) {
		assert_int_equal(waitpid(pids[k], &status, 0), pids[k]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
		assert_int_equal(read(ids[0], &got[k], sizeof(got[k])),
		    (ssize_t)sizeof(got[k]));
	}
	close(ids[0]);
	close(ids[1]);
	for (k = 1; k < WRITERS; k++)
		assert_int_equal(got[k], got[0]);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM scan"), 1);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain"), DOMAINS);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM server"),
	    q1(t->uri, "SELECT count(DISTINCT server_id) FROM domain_server"));
	/* 96 normal domains x 3 links, 2 implicit x 1, 2 null/nx x 0. */
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain_server"),
	    q1(t->uri, "SELECT sum(addresses) FROM domain"));
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain d WHERE"
	    " addresses <> (SELECT count(*) FROM domain_server l"
	    " WHERE l.domain_id = d.id)"), 0);
}

/*
 * A batch that loses a deadlock is rolled back and sent again (PostgreSQL).
 * Another session locks server B, our writer locks A and waits for B
 * (seen in pg_locks), then the other session asks for A: the deadlock
 * detector, quicker on our side (deadlock_timeout 1 s against 30 s),
 * aborts our transaction; the retry waits until the other session is gone
 * and commits.
 */
static void
deadlock_retried(void **state)
{
	struct t *t = *state;
	struct store *st;
	struct domain_result *d;
	PGconn *x;
	PGresult *r;
	int64_t scan;
	long long deadlocks = 0, waiting = 0;
	int status, i;
	pid_t pid;

	if (pg_base == NULL)
		skip();
	st = open_ok(t->uri, STORE_OPEN_WRITE);
	scan = begin_scan(st, "dl", "", NULL, NULL);
	store_begin(st);
	d = sample("a.example", "5.9.0");
	save(st, scan, d);
	domain_result_free(d);
	commit(st);
	store_close(st);

	x = pg_connect(t->uri);
	PQclear(PQexec(x, "SET deadlock_timeout = '30s'"));
	PQclear(PQexec(x, "BEGIN"));
	r = PQexec(x, "SELECT 1 FROM server WHERE address = '5.9.0.2' FOR UPDATE");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	if ((pid = fork()) == 0) {
		st = open_ok(t->uri, STORE_OPEN_WRITE);
		store_begin(st);
		d = sample("b.example", "5.9.0");	/* the same servers */
		if (store_save_domain(st, scan, d) == -1 || store_commit(st) == -1) {
			fprintf(stderr, "writer: %s\n", store_error(st));
			_exit(1);
		}
		domain_result_free(d);
		store_close(st);
		_exit(0);
	}
	/* Until the writer holds A and waits for B (however slow it is). */
	for (i = 0; i < 600; i++) {
		r = PQexec(x, "SELECT count(*) FROM pg_locks WHERE NOT granted");
		waiting = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		if (waiting > 0)
			break;
		usleep(50000);
	}
	assert_true(waiting > 0);
	r = PQexec(x, "SELECT 1 FROM server WHERE address = '5.9.0.1' FOR UPDATE");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	usleep(200000);
	PQclear(PQexec(x, "ROLLBACK"));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM domain"), 2);
	assert_int_equal(q1(t->uri, "SELECT count(*) FROM finding"), 10);
	/* The server counted the deadlock (statistics arrive within ~1 s). */
	for (i = 0; i < 100 && deadlocks == 0; i++) {
		PQclear(PQexec(x, "SELECT pg_stat_clear_snapshot()"));
		r = PQexec(x, "SELECT deadlocks FROM pg_stat_database"
		    " WHERE datname = current_database()");
		deadlocks = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		if (deadlocks == 0)
			usleep(100000);
	}
	assert_true(deadlocks >= 1);
	PQfinish(x);
}

/* ---- hostile files (SQLite) and servers (PostgreSQL) ---- */

static unsigned long
checksum(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned long h = 5381;
	int c;

	assert_non_null(f);
	while ((c = fgetc(f)) != EOF)
		h = h * 33 + (unsigned)c;
	fclose(f);
	return h;
}

static void
expect_open_error(const char *uri, enum store_open_mode mode, const char *want)
{
	char err[STORE_ERR_MAX];
	struct store *st = store_open(uri, mode, err, sizeof(err));

	if (st != NULL)
		fail_msg("store_open %s succeeded, expected \"%s\"", uri, want);
	if (strstr(err, want) == NULL)
		fail_msg("store_open %s: \"%s\", expected \"%s\"", uri, err, want);
	assert_null(strchr(err, '\n'));
}

static int
exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

static void
bad_files(void **state)
{
	struct t *t = *state;
	char path[600], side[700];
	unsigned long sum;
	FILE *f;
	int i;

	if (pg_base != NULL)
		skip();
	/* A text file. */
	snprintf(path, sizeof(path), "%s/notes.txt", tmpdir);
	assert_non_null(f = fopen(path, "w"));
	for (i = 0; i < 200; i++)
		fprintf(f, "this is not a database, line %d\n", i);
	fclose(f);
	sum = checksum(path);
	expect_open_error(path, STORE_OPEN_WRITE, "file is not a database");
	expect_open_error(path, STORE_OPEN_READ, "file is not a database");
	assert_int_equal(checksum(path), sum);
	snprintf(side, sizeof(side), "%s-wal", path);
	assert_false(exists(side));

	/* Another application's SQLite database: refused, untouched. */
	snprintf(path, sizeof(path), "%s/other.db", tmpdir);
	exec_sql(path, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts"
	    " VALUES ('x')");
	sum = checksum(path);
	expect_open_error(path, STORE_OPEN_WRITE, "not a mailtls database");
	assert_int_equal(checksum(path), sum);
	sqlite_text(path, "PRAGMA journal_mode", side, sizeof(side));
	assert_string_equal(side, "delete");		/* not switched to WAL */

	/* An empty file is an empty database: a reader finds nothing in it. */
	snprintf(path, sizeof(path), "%s/empty.db", tmpdir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	expect_open_error(path, STORE_OPEN_READ, "not a mailtls database (empty)");

	/* Missing directory, a directory: nothing created. */
	snprintf(path, sizeof(path), "%s/no/such/dir/x.db", tmpdir);
	expect_open_error(path, STORE_OPEN_WRITE,
	    "cannot create: No such file or directory");
	expect_open_error(tmpdir, STORE_OPEN_WRITE, "is a directory");

	/* A schema from the future. */
	{
		struct store *st = open_ok(t->uri, STORE_OPEN_WRITE);

		store_close(st);
		exec_sql(t->uri, "UPDATE meta SET value = '99'"
		    " WHERE key = 'schema_version'");
		expect_open_error(t->uri, STORE_OPEN_WRITE,
		    "database schema version 99, this mailtls uses 1");
		expect_open_error(t->uri, STORE_OPEN_READ, "schema version 99");
	}
}

/*
 * A database the writer may not write: refused at open, not at the first
 * commit, and left as it was; one nobody may not even read: refused with
 * a clear line.  Root may write anything, so the check runs as nobody in a
 * child when the tests run as root.
 */
static void
read_only_file(void **state)
{
	struct t *t = *state;
	char unreadable[600];
	unsigned long sum;
	struct store *st;
	int status;
	pid_t pid;

	if (pg_base != NULL)
		skip();
	st = open_ok(t->uri, STORE_OPEN_WRITE);
	store_close(st);
	assert_int_equal(chmod(t->uri, 0444), 0);
	assert_int_equal(chmod(tmpdir, 0755), 0);
	sum = checksum(t->uri);
	snprintf(unreadable, sizeof(unreadable), "%s/private.db", tmpdir);
	st = open_ok(unreadable, STORE_OPEN_WRITE);
	store_close(st);
	assert_int_equal(chmod(unreadable, 0), 0);
	if ((pid = fork()) == 0) {
		char err[STORE_ERR_MAX];

		if (geteuid() == 0 && (setgid(65534) == -1 || setuid(65534) == -1))
			_exit(10);
		st = store_open(t->uri, STORE_OPEN_WRITE, err, sizeof(err));
		if (st != NULL)
			_exit(11);
		if (strcmp(err, "database is read-only (no write permission)") != 0) {
			fprintf(stderr, "got: %s\n", err);
			_exit(12);
		}
		/* Readers are fine with it. */
		if ((st = store_open(t->uri, STORE_OPEN_READ, err, sizeof(err))) == NULL) {
			fprintf(stderr, "reader: %s\n", err);
			_exit(13);
		}
		store_close(st);
		/* A file we may not read at all: one clear line, both ways. */
		if (store_open(unreadable, STORE_OPEN_READ, err, sizeof(err)) != NULL)
			_exit(14);
		if (strstr(err, "Permission denied") == NULL ||
		    strchr(err, '\n') != NULL) {
			fprintf(stderr, "unreadable, reader: %s\n", err);
			_exit(15);
		}
		if (store_open(unreadable, STORE_OPEN_WRITE, err, sizeof(err)) != NULL)
			_exit(16);
		if (strstr(err, "Permission denied") == NULL) {
			fprintf(stderr, "unreadable, writer: %s\n", err);
			_exit(17);
		}
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(checksum(t->uri), sum);
	chmod(tmpdir, 0700);
}

static void
unreachable_server(void **state)
{
	char err[STORE_ERR_MAX], uri[600];

	(void)state;
	/* Nobody listens on port 1: one line, no password in it. */
	expect_open_error("postgresql://scan:s3cret@127.0.0.1:1/mailtls",
	    STORE_OPEN_WRITE, "Connection refused");
	assert_null(store_open("postgresql://scan:s3cret@127.0.0.1:1/mailtls",
	    STORE_OPEN_WRITE, err, sizeof(err)));
	assert_null(strstr(err, "s3cret"));
	if (pg_base == NULL)
		return;
	/* A server that refuses us. */
	snprintf(uri, sizeof(uri), "%s/postgres", pg_base);
	{
		char *at = strrchr(uri, '@'), *colon;

		assert_non_null(at);
		*at = '\0';
		colon = strrchr(uri, ':');
		assert_non_null(colon);
		snprintf(err, sizeof(err), "%s", at + 1);
		snprintf(colon + 1, sizeof(uri) - (size_t)(colon + 1 - uri),
		    "wrong-password@%s", err);
	}
	expect_open_error(uri, STORE_OPEN_READ, "password authentication failed");
}

/* ---- what needs no database ---- */

static void
nameset_basics(void **state)
{
	struct store_nameset *ns = store_nameset_new();

	(void)state;
	assert_non_null(ns);
	assert_int_equal(store_nameset_count(ns), 0);
	assert_false(store_nameset_has(ns, "example.com"));
	assert_int_equal(store_nameset_add(ns, "example.com"), 0);
	assert_int_equal(store_nameset_add(ns, "example.com"), 0);	/* no-op */
	assert_int_equal(store_nameset_add(ns, "example.net"), 0);
	assert_int_equal(store_nameset_add(ns, ""), 0);
	assert_int_equal(store_nameset_count(ns), 3);
	assert_true(store_nameset_has(ns, "example.com"));
	assert_true(store_nameset_has(ns, "example.net"));
	assert_true(store_nameset_has(ns, ""));
	/* Exact bytes: no case folding, no prefix matches. */
	assert_false(store_nameset_has(ns, "EXAMPLE.COM"));
	assert_false(store_nameset_has(ns, "example.co"));
	assert_false(store_nameset_has(ns, "example.com."));
	store_nameset_free(ns);
	store_nameset_free(NULL);
}

/* Enough names to grow the table many times over; every one found, no other. */
static void
nameset_many(void **state)
{
	struct store_nameset *ns = store_nameset_new();
	char name[64];
	unsigned i;

	(void)state;
	for (i = 0; i < 200000; i++) {
		snprintf(name, sizeof(name), "d%08u.example", i * 2);
		assert_int_equal(store_nameset_add(ns, name), 0);
	}
	assert_int_equal(store_nameset_count(ns), 200000);
	for (i = 0; i < 400000; i++) {
		snprintf(name, sizeof(name), "d%08u.example", i);
		assert_int_equal(store_nameset_has(ns, name), i % 2 == 0);
	}
	store_nameset_free(ns);
}

static void
digest(void **state)
{
	const char *names[] = { "a.example", "b.example" };
	char hex[STORE_SHA256_HEX];

	(void)state;
	/* sha256("a.example\nb.example\n"), sha256("") */
	assert_int_equal(store_digest_names(names, 2, hex), 0);
	assert_string_equal(hex, "8fb9a6ebbf9e0b506b9478b431e6e9dc"
	    "d34fc2153daea407fc818280551cfed5");
	assert_int_equal(store_digest_names(names, 0, hex), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

static void
redact(const char *in, const char *want)
{
	char buf[256];

	store_uri_redact(in, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void
uri_redaction(void **state)
{
	char tiny[8];

	(void)state;
	redact("./mailtls.db", "./mailtls.db");
	redact("sqlite:/var/lib/x:y.db", "sqlite:/var/lib/x:y.db");
	redact("postgresql://scan@db.example/mailtls",
	    "postgresql://scan@db.example/mailtls");
	redact("postgresql://scan:s3cret@db.example:5433/mailtls",
	    "postgresql://scan:***@db.example:5433/mailtls");
	redact("postgres://scan:s3cret@db.example/mailtls?sslmode=require",
	    "postgres://scan:***@db.example/mailtls?sslmode=require");
	redact("postgresql://db.example/mailtls?user=scan&password=s3cret&x=1",
	    "postgresql://db.example/mailtls?user=scan&password=***&x=1");
	redact("postgresql://db.example:5432/mailtls",
	    "postgresql://db.example:5432/mailtls");
	/* Always terminated, never overrun. */
	store_uri_redact("postgresql://scan:s3cret@db.example/x", tiny,
	    sizeof(tiny));
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
	assert_null(strstr(tiny, "s3cret"));
}

static void
uri_errors(void **state)
{
	char err[STORE_ERR_MAX];

	(void)state;
	assert_null(store_open("mysql://localhost/x", STORE_OPEN_READ, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "unsupported database URI"));
	assert_null(store_open("", STORE_OPEN_READ, err, sizeof(err)));
	assert_string_equal(err, "no database given");
	assert_null(store_open("sqlite:", STORE_OPEN_WRITE, err, sizeof(err)));
	assert_string_equal(err, "no database file name given");
	/* A path is SQLite even with a colon in it; this one does not exist. */
	assert_null(store_open("/nonexistent-dir/a:b.db", STORE_OPEN_READ, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "no such database"));
	assert_null(strchr(err, '\n'));
	/* Malformed PostgreSQL URIs: libpq's complaint, on one line. */
	assert_null(store_open("postgresql://[::1", STORE_OPEN_READ, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "IPv6 host address"));
	assert_null(strchr(err, '\n'));
	assert_null(store_open("postgresql://127.0.0.1:port/x", STORE_OPEN_READ,
	    err, sizeof(err)));
	assert_non_null(strstr(err, "port"));
	assert_null(strchr(err, '\n'));
	assert_null(store_open("postgresql://127.0.0.1/x?nosuchoption=1",
	    STORE_OPEN_READ, err, sizeof(err)));
	assert_non_null(strstr(err, "nosuchoption"));
	assert_null(strchr(err, '\n'));
}

static void
verdicts(void **state)
{
	struct domain_result *d;
	size_t h;

	(void)state;
	/* Every address with STARTTLS: ok. */
	d = fake_domain("ok.example", 1000);
	h = fake_host(d, "mx.ok.example", 10);
	fake_tls(fake_server(d, h, "5.1.1.1", SMTP_STATUS_TLS_OK),
	    "mx.ok.example", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "X25519", 253,
	    2000000, 1, 1);
	assert_int_equal(store_verdict_of(d), STORE_VERDICT_OK);
	assert_int_equal(store_class_of(d->hosts[0].servers[0]),
	    STORE_CLASS_STARTTLS_OK);
	/* One inconclusive address beside: inconclusive. */
	fake_server(d, h, "5.1.1.2", SMTP_STATUS_TIMEOUT);
	assert_int_equal(store_verdict_of(d), STORE_VERDICT_INCONCLUSIVE);
	assert_int_equal(store_class_of(d->hosts[0].servers[1]),
	    STORE_CLASS_INCONCLUSIVE);
	/* One without STARTTLS: a TLS failure, whatever else. */
	fake_server(d, h, "5.1.1.3", SMTP_STATUS_NO_STARTTLS);
	assert_int_equal(store_verdict_of(d), STORE_VERDICT_TLS_FAILURE);
	assert_int_equal(store_class_of(d->hosts[0].servers[2]),
	    STORE_CLASS_NO_STARTTLS);
	fake_server(d, h, "5.1.1.4", SMTP_STATUS_TLS_FAILED);
	assert_int_equal(store_class_of(d->hosts[0].servers[3]),
	    STORE_CLASS_BROKEN);
	fake_server(d, h, "10.0.0.1", SMTP_STATUS_NOT_TESTED);
	assert_int_equal(store_class_of(d->hosts[0].servers[4]),
	    STORE_CLASS_NOT_TESTED);
	domain_result_free(d);

	/* No hosts, or a DNS failure: dns-failure; null MX: ok. */
	d = fake_domain("gone.example", 1000);
	d->mx.outcome = DNS_NXDOMAIN;
	findings_add(&d->findings, F_DOMAIN_NXDOMAIN, NULL);
	assert_int_equal(store_verdict_of(d), STORE_VERDICT_DNS_FAILURE);
	d->null_mx = 1;
	assert_int_equal(store_verdict_of(d), STORE_VERDICT_OK);
	domain_result_free(d);

	assert_string_equal(store_verdict_name(STORE_VERDICT_TLS_FAILURE),
	    "tls-failure");
	assert_string_equal(store_class_name(STORE_CLASS_BROKEN),
	    "starttls-broken");
	assert_string_equal(store_verdict_name(STORE_VERDICT_COUNT), "?");
}

static int
group_setup(void **state)
{
	(void)state;
	pg_base = getenv("MAILTLS_TEST_PG");
	if (pg_base != NULL && pg_base[0] == '\0')
		pg_base = NULL;
	snprintf(tmpdir, sizeof(tmpdir), "%s/mailtls-store-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	char cmd[600];

	(void)state;
	chmod(tmpdir, 0700);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nameset_basics),
		cmocka_unit_test(nameset_many),
		cmocka_unit_test(digest),
		cmocka_unit_test(uri_redaction),
		cmocka_unit_test(uri_errors),
		cmocka_unit_test(verdicts),
		T(schema_created_once),
		T(reader_does_not_create),
		T(save_and_read_back),
		T(replay_replaces),
		T(servers_shared),
		T(resume_and_finish),
		T(foreach_and_misuse),
		T(export_stopped_early),
		T(stats_numbers),
		T(hostile_strings),
		T(killed_writer),
		T(concurrent_writers),
		T(deadlock_retried),
		T(bad_files),
		T(read_only_file),
		T(unreachable_server),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
