/*
 * test_server_pool.c - unit tests of the shared, paced server assessments
 * (check/server_pool.h).
 *
 * The pool runs on a real libevent loop with a fake runner: an
 * "assessment" is a timer of a few milliseconds that fills in a status.
 * The runner records when each one started and ended, so the cases can
 * check what the header promises: one assessment per key, the name in the
 * key, at most K at once per address, the gap between starts, the LRU
 * bound, cancellation, the short life of temporary failures, and that
 * callbacks never run inside server_pool_request().  Memory is checked by
 * the sanitizer build (every result is released).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/server_pool.h"

#define MAX_RUNS 64

/* --- the fake runner --------------------------------------------------- */

struct run {
	struct fake		*fake;
	struct event		*timer;
	struct server_result	*out;
	void			(*done)(void *);
	void			*done_arg;
	struct netaddr		 addr;
	char			 name[64];
	uint64_t		 started, ended;	/* ms */
	int			 cancelled;
};

struct fake {
	struct event_base	*base;
	unsigned		 duration_ms;
	enum smtp_status	 status;
	struct run		 runs[MAX_RUNS];
	size_t			 n;
	unsigned		 active, max_active;	/* all addresses */
	unsigned		 cancels;
};

static uint64_t
ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
on_run_timer(evutil_socket_t fd, short what, void *arg)
{
	struct run *r = arg;

	(void)fd;
	(void)what;
	r->ended = ms();
	r->fake->active--;
	r->out->smtp.status = r->fake->status;
	event_free(r->timer);
	r->timer = NULL;
	r->done(r->done_arg);
}

static void *
fake_start(void *arg, const struct server_key *key, struct server_result *out,
    void (*done)(void *), void *done_arg)
{
	struct fake *f = arg;
	struct run *r;
	struct timeval tv;

	assert_true(f->n < MAX_RUNS);
	r = &f->runs[f->n++];
	r->fake = f;
	r->out = out;
	r->done = done;
	r->done_arg = done_arg;
	r->addr = key->addr;
	snprintf(r->name, sizeof(r->name), "%s", key->name);
	r->started = ms();
	assert_memory_equal(out->addr.bytes, key->addr.bytes, 16);
	tv.tv_sec = 0;
	tv.tv_usec = (suseconds_t)f->duration_ms * 1000;
	r->timer = evtimer_new(f->base, on_run_timer, r);
	evtimer_add(r->timer, &tv);
	if (++f->active > f->max_active)
		f->max_active = f->active;
	return r;
}

static void
fake_cancel(void *arg, void *handle)
{
	struct fake *f = arg;
	struct run *r = handle;

	f->cancels++;
	f->active--;
	r->cancelled = 1;
	event_free(r->timer);
	r->timer = NULL;
}

/* --- what a caller sees ------------------------------------------------- */

struct got {
	struct server_result	*result;
	int			 calls;
};

static void
on_result(void *arg, struct server_result *r)
{
	struct got *g = arg;

	g->calls++;
	g->result = r;
}

struct env {
	struct event_base	*base;
	struct fake		 fake;
	struct server_runner	 runner;
	struct server_pool_config cfg;
	struct server_pool	*pool;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->base = event_base_new();
	e->fake.base = e->base;
	e->fake.duration_ms = 20;
	e->fake.status = SMTP_STATUS_TLS_OK;
	e->runner.start = fake_start;
	e->runner.cancel = fake_cancel;
	e->runner.arg = &e->fake;
	server_pool_config_defaults(&e->cfg);
	e->cfg.per_addr_gap_ms = 0;
	e->cfg.runner = &e->runner;
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;

	server_pool_free(e->pool);
	event_base_free(e->base);
	free(e);
	return 0;
}

static void
pool_new(struct env *e)
{
	e->pool = server_pool_new(e->base, &e->cfg);
	assert_non_null(e->pool);
}

static struct server_key
key(const char *addr, uint16_t port, const char *name)
{
	struct server_key k;

	memset(&k, 0, sizeof(k));
	assert_int_equal(netaddr_from_text(addr, &k.addr), 0);
	k.port = port;
	k.name = name;
	return k;
}

static struct server_wait *
request(struct env *e, const char *addr, const char *name, struct got *g)
{
	struct server_key k = key(addr, 25, name);
	struct server_wait *w = server_pool_request(e->pool, &k, on_result, g);

	assert_non_null(w);
	return w;
}

static void
run_loop(struct env *e)
{
	event_base_dispatch(e->base);
}

/* --- cases -------------------------------------------------------------- */

/* Three domains, one MX: one assessment, the same result for all three. */
static void
test_shared_once(void **state)
{
	struct env *e = *state;
	struct got a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
	struct server_pool_stats st;

	pool_new(e);
	request(e, "192.0.2.1", "mx.example.net", &a);
	request(e, "192.0.2.1", "mx.example.net", &b);
	request(e, "192.0.2.1", "MX.Example.NET", &c);	/* case: same host */
	run_loop(e);
	assert_int_equal(e->fake.n, 1);
	assert_int_equal(a.calls + b.calls + c.calls, 3);
	assert_ptr_equal(a.result, b.result);
	assert_ptr_equal(a.result, c.result);
	assert_int_equal(a.result->smtp.status, SMTP_STATUS_TLS_OK);
	assert_string_equal(a.result->addr_text, "192.0.2.1");
	/* A later domain gets the finished result, from the loop. */
	request(e, "192.0.2.1", "mx.example.net", &d);
	assert_int_equal(d.calls, 0);
	run_loop(e);
	assert_int_equal(d.calls, 1);
	assert_ptr_equal(d.result, a.result);
	assert_int_equal(e->fake.n, 1);
	/* 4 holders + the pool's cache. */
	assert_int_equal(a.result->refs, 4);
	server_pool_get_stats(e->pool, &st);
	assert_int_equal(st.requests, 4);
	assert_int_equal(st.assessments, 1);
	assert_int_equal(st.reused, 3);
	assert_int_equal(st.cached, 1);
	server_result_release(a.result);
	server_result_release(b.result);
	server_result_release(c.result);
	server_result_release(d.result);
}

/* The host name and the port are part of the key: SNI and name checks. */
static void
test_name_and_port_in_key(void **state)
{
	struct env *e = *state;
	struct got a = { 0 }, b = { 0 }, c = { 0 };
	struct server_key k = key("192.0.2.1", 587, "mx.example.net");

	pool_new(e);
	request(e, "192.0.2.1", "mx.example.net", &a);
	request(e, "192.0.2.1", "alias.example.net", &b);
	assert_non_null(server_pool_request(e->pool, &k, on_result, &c));
	run_loop(e);
	assert_int_equal(e->fake.n, 3);
	assert_ptr_not_equal(a.result, b.result);
	assert_ptr_not_equal(a.result, c.result);
	server_result_release(a.result);
	server_result_release(b.result);
	server_result_release(c.result);
}

/* K = 2: never more than two assessments of one address at once, while
 * other addresses are not held up. */
static void
test_per_address_limit(void **state)
{
	struct env *e = *state;
	struct got g[8];
	char name[32];
	size_t i, j;

	memset(g, 0, sizeof(g));
	e->cfg.per_addr_sessions = 2;
	pool_new(e);
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "mx%zu.example.net", i);
		request(e, "192.0.2.1", name, &g[i]);
	}
	request(e, "192.0.2.2", "other.example.net", &g[6]);
	request(e, "192.0.2.3", "third.example.net", &g[7]);
	run_loop(e);
	assert_int_equal(e->fake.n, 8);
	/* At any run's start, count the runs of the same address in flight. */
	for (i = 0; i < e->fake.n; i++) {
		unsigned same = 0;

		for (j = 0; j < e->fake.n; j++)
			if (memcmp(&e->fake.runs[j].addr, &e->fake.runs[i].addr,
			    sizeof(struct netaddr)) == 0 &&
			    e->fake.runs[j].started <= e->fake.runs[i].started &&
			    e->fake.runs[j].ended > e->fake.runs[i].started)
				same++;
		assert_true(same <= 2);
	}
	/* 2 of the first address + the two others ran side by side. */
	assert_int_equal(e->fake.max_active, 4);
	/* FIFO per address. */
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "mx%zu.example.net", i);
		for (j = 0; j < e->fake.n; j++)
			if (strcmp(e->fake.runs[j].name, name) == 0)
				break;
		assert_true(j < e->fake.n);
	}
	for (i = 0; i < 8; i++) {
		assert_int_equal(g[i].calls, 1);
		server_result_release(g[i].result);
	}
}

/* The gap between two starts to one address holds, K or not. */
static void
test_gap_between_starts(void **state)
{
	struct env *e = *state;
	struct got g[4];
	const char *names[] = { "a.example", "b.example", "c.example", "d.example" };
	size_t i;

	memset(g, 0, sizeof(g));
	e->cfg.per_addr_sessions = 4;
	e->cfg.per_addr_gap_ms = 60;
	e->fake.duration_ms = 5;
	pool_new(e);
	for (i = 0; i < 4; i++)
		request(e, "2001:db8::25", names[i], &g[i]);
	run_loop(e);
	assert_int_equal(e->fake.n, 4);
	for (i = 1; i < 4; i++)
		assert_true(e->fake.runs[i].started - e->fake.runs[i - 1].started >= 59);
	for (i = 0; i < 4; i++)
		server_result_release(g[i].result);
}

/* The cache keeps cache_max finished entries, least recently used out;
 * a result a domain still holds survives its eviction. */
static void
test_lru_bound(void **state)
{
	struct env *e = *state;
	struct got a = { 0 }, b = { 0 }, c = { 0 }, b2 = { 0 }, a2 = { 0 };
	struct server_pool_stats st;

	e->cfg.cache_max = 2;
	pool_new(e);
	request(e, "192.0.2.1", "a.example", &a);
	run_loop(e);
	request(e, "192.0.2.2", "b.example", &b);
	run_loop(e);
	request(e, "192.0.2.1", "a.example", &a2);	/* a is now the newest */
	run_loop(e);
	assert_int_equal(e->fake.n, 2);
	request(e, "192.0.2.3", "c.example", &c);	/* evicts b */
	run_loop(e);
	server_pool_get_stats(e->pool, &st);
	assert_int_equal(st.cached, 2);
	assert_int_equal(st.evicted, 1);
	assert_int_equal(b.result->refs, 0);		/* only the domain holds b */
	assert_int_equal(b.result->smtp.status, SMTP_STATUS_TLS_OK);
	request(e, "192.0.2.2", "b.example", &b2);	/* assessed again */
	run_loop(e);
	assert_int_equal(e->fake.n, 4);
	assert_ptr_not_equal(b.result, b2.result);
	server_result_release(a.result);
	server_result_release(a2.result);
	server_result_release(b.result);
	server_result_release(b2.result);
	server_result_release(c.result);
}

/* A cancelled request gets no callback; the assessment still finishes
 * and serves the next request. */
static void
test_cancel(void **state)
{
	struct env *e = *state;
	struct got a = { 0 }, b = { 0 }, c = { 0 };
	struct server_wait *wa, *wb;

	pool_new(e);
	wa = request(e, "192.0.2.1", "mx.example", &a);
	server_pool_cancel(wa);
	run_loop(e);
	assert_int_equal(a.calls, 0);
	assert_int_equal(e->fake.n, 1);
	/* Cancelled after the result is ready but before delivery. */
	wb = request(e, "192.0.2.1", "mx.example", &b);
	server_pool_cancel(wb);
	request(e, "192.0.2.1", "mx.example", &c);
	run_loop(e);
	assert_int_equal(b.calls, 0);
	assert_int_equal(c.calls, 1);
	assert_int_equal(e->fake.n, 1);
	assert_int_equal(c.result->refs, 1);		/* c and the cache */
	server_result_release(c.result);
}

/* A temporary failure is shared only for temp_ttl_ms. */
static void
test_temporary_failure_expires(void **state)
{
	struct env *e = *state;
	struct got a = { 0 }, b = { 0 }, c = { 0 };
	struct timeval tv = { 0, 80000 };

	e->cfg.temp_ttl_ms = 50;
	e->fake.status = SMTP_STATUS_TEMPFAIL;
	pool_new(e);
	request(e, "192.0.2.1", "mx.example", &a);
	run_loop(e);
	assert_true(server_result_temporary(a.result));
	request(e, "192.0.2.1", "mx.example", &b);	/* within the TTL */
	run_loop(e);
	assert_ptr_equal(a.result, b.result);
	assert_int_equal(e->fake.n, 1);
	event_base_loopexit(e->base, &tv);
	run_loop(e);
	e->fake.status = SMTP_STATUS_TLS_OK;
	request(e, "192.0.2.1", "mx.example", &c);	/* stale: again */
	run_loop(e);
	assert_int_equal(e->fake.n, 2);
	assert_int_equal(c.result->smtp.status, SMTP_STATUS_TLS_OK);
	assert_false(server_result_temporary(c.result));
	/* The stale one lives on in its holders. */
	assert_int_equal(a.result->smtp.status, SMTP_STATUS_TEMPFAIL);
	server_result_release(a.result);
	server_result_release(b.result);
	server_result_release(c.result);
}

/* Freeing the pool mid-scan cancels what runs and calls nobody. */
static void
test_free_while_running(void **state)
{
	struct env *e = *state;
	struct got a = { 0 }, b = { 0 };

	e->cfg.per_addr_sessions = 1;
	pool_new(e);
	request(e, "192.0.2.1", "a.example", &a);
	request(e, "192.0.2.1", "b.example", &b);	/* queued */
	assert_int_equal(e->fake.n, 1);
	server_pool_free(e->pool);
	e->pool = NULL;
	assert_int_equal(e->fake.cancels, 1);
	assert_int_equal(a.calls + b.calls, 0);
}

/* The reference count: a calloc'd result has one owner. */
static void
test_result_refs(void **state)
{
	struct server_result *s = calloc(1, sizeof(*s));

	(void)state;
	assert_non_null(s);
	assert_ptr_equal(server_result_retain(s), s);
	assert_int_equal(s->refs, 1);
	server_result_release(s);
	assert_int_equal(s->refs, 0);
	server_result_release(s);	/* frees: the sanitizer build checks */
	server_result_release(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shared_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_and_port_in_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_address_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_between_starts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lru_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_temporary_failure_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_while_running, setup, teardown),
		cmocka_unit_test(test_result_refs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
