/*
 * scan.c - the scan engine.  See scan.h.
 *
 * State: a cursor into the list (the next name to start), a fixed array of
 * in-flight items (cfg.concurrency), a FIFO of items waiting for a retry
 * (each with the time it is due), and the open store batch.  fill() starts
 * work while slots are free: due retries first, then new names.  Every
 * completion calls fill() again; the scan ends when the cursor is at the
 * end and nothing is in flight or waiting.
 */
#include "scan/scan.h"

#include <event2/event.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "report/report.h"

struct item {
	struct scan		*scan;
	const char		*name;		/* in the caller's list */
	unsigned		 attempt;	/* 0 first */
	struct check		*check;		/* NULL when not in flight */
	uint64_t		 due;		/* retry: ms, monotonic */
	struct item		*next;		/* retry queue */
};

struct scan {
	const struct scan_ctx	*ctx;
	char *const		*names;
	size_t			 n, cursor;
	const struct store_nameset *done;
	struct check_env	 env;
	struct server_pool	*pool;
	struct item		**flight;	/* concurrency slots */
	size_t			 in_flight;
	struct item		*retry_head, *retry_tail;
	size_t			 retry_n;
	struct event		*retry_timer;
	struct event		*batch_timer;
	struct event		*progress_timer;
	struct event		*sigint, *sigterm;
	int			 batch_open;
	int			 failed;	/* store failure: stop */
	int			 stopping;
	uint64_t		 started_ms;
	size_t			 progress_len;	/* chars of the last line */
	struct scan_stats	*stats;
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
arm(struct event *ev, uint64_t ms)
{
	struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000 };

	evtimer_add(ev, &tv);
}

void
scan_config_defaults(struct scan_config *cfg)
{
	struct rlimit rl;
	size_t by_fd = 256;

	memset(cfg, 0, sizeof(*cfg));
	/*
	 * Each domain in flight holds a few descriptors at most (a session
	 * or probe connection per address being assessed; the resolver's are
	 * shared), so the open-file limit is what sizes it; the CPU rarely
	 * is (one loop; a handshake is ~1 ms of one core).
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			(void)setrlimit(RLIMIT_NOFILE, &rl);
			(void)getrlimit(RLIMIT_NOFILE, &rl);
		}
		if (rl.rlim_cur != RLIM_INFINITY)
			by_fd = rl.rlim_cur > 64 + 4 ? (size_t)(rl.rlim_cur - 64) / 4 : 1;
	}
	cfg->concurrency = by_fd < 256 ? by_fd : 256;
	cfg->batch_domains = 100;
	cfg->batch_ms = 2000;
	cfg->retries = 1;
	cfg->retry_delay_ms = 60000;
	cfg->progress = 0;
	server_pool_config_defaults(&cfg->pool);
}

/* --- the store -------------------------------------------------------- */

static int
store_fail(struct scan *s, const char *what)
{
	fprintf(stderr, "%smailtls: database %s: %s: %s\n",
	    s->progress_len ? "\n" : "", s->ctx->store_shown, what,
	    store_error(s->ctx->store));
	s->progress_len = 0;
	s->failed = 1;
	event_base_loopbreak(s->ctx->base);
	return -1;
}

static int
batch_commit(struct scan *s)
{
	if (!s->batch_open)
		return 0;
	s->batch_open = 0;
	evtimer_del(s->batch_timer);
	if (store_commit(s->ctx->store) == -1)
		return store_fail(s, "commit");
	return 0;
}

static void
on_batch_timer(evutil_socket_t fd, short what, void *arg)
{
	struct scan *s = arg;

	(void)fd;
	(void)what;
	if (batch_commit(s) == -1)
		event_base_loopbreak(s->ctx->base);
}

static int
save(struct scan *s, const struct domain_result *d)
{
	if (!s->batch_open) {
		if (store_begin(s->ctx->store) == -1)
			return store_fail(s, "begin");
		s->batch_open = 1;
		arm(s->batch_timer, s->ctx->cfg.batch_ms);
	}
	if (store_save_domain(s->ctx->store, s->ctx->scan_id, d) == -1)
		return store_fail(s, d->name);
	if (store_batch_size(s->ctx->store) >= s->ctx->cfg.batch_domains)
		return batch_commit(s);
	return 0;
}

static void
write_jsonl(struct scan *s, const struct domain_result *d)
{
	json_t *j;

	if (s->ctx->jsonl == NULL)
		return;
	j = report_json(d);
	if (j == NULL || json_dumpf(j, s->ctx->jsonl,
	    JSON_COMPACT | JSON_ENSURE_ASCII) == -1)
		fprintf(stderr, "mailtls: cannot write JSON for %s\n", d->name);
	fputc('\n', s->ctx->jsonl);
	fflush(s->ctx->jsonl);
	json_decref(j);
}

/* --- progress --------------------------------------------------------- */

static void
fmt_duration(char *buf, size_t len, double sec)
{
	unsigned long t = (unsigned long)(sec + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%luh%02lum", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(buf, len, "%lum%02lus", t / 60, t % 60);
	else
		snprintf(buf, len, "%lus", t);
}

static void
progress(struct scan *s)
{
	struct scan_stats *st = s->stats;
	struct server_pool_stats ps;
	double sec = (double)(now_ms() - s->started_ms) / 1000.0;
	uint64_t done = st->skipped + st->saved, todo = st->total - done;
	double rate = sec > 0 ? (double)st->saved / sec : 0;
	char eta[32], line[256];
	int len;

	server_pool_get_stats(s->pool, &ps);
	if (rate > 0)
		fmt_duration(eta, sizeof(eta), (double)todo / rate);
	else
		snprintf(eta, sizeof(eta), "?");
	len = snprintf(line, sizeof(line), "%llu/%llu domains (%.1f%%), "
	    "%llu servers, %.1f domains/s, ETA %s, %llu failures, "
	    "%zu retrying",
	    (unsigned long long)done, (unsigned long long)st->total,
	    st->total ? 100.0 * (double)done / (double)st->total : 100.0,
	    (unsigned long long)ps.finished, rate, eta,
	    (unsigned long long)(st->verdict[STORE_VERDICT_DNS_FAILURE] +
	    st->verdict[STORE_VERDICT_INCONCLUSIVE]), s->retry_n);
	if (len < 0)
		return;
	/* \r and pad over a longer previous line. */
	fprintf(stderr, "\r%s%*s", line,
	    s->progress_len > (size_t)len ? (int)(s->progress_len - (size_t)len) : 0, "");
	fflush(stderr);
	s->progress_len = (size_t)len;
}

static void
on_progress(evutil_socket_t fd, short what, void *arg)
{
	struct scan *s = arg;

	(void)fd;
	(void)what;
	progress(s);
	arm(s->progress_timer, 1000);
}

/* --- domains ---------------------------------------------------------- */

static void fill(struct scan *s);

static int
worth_retry(const struct domain_result *d)
{
	size_t i, j;

	if (findings_has(&d->findings, F_DOMAIN_DNS_TIMEOUT))
		return 1;
	for (i = 0; i < d->n_hosts; i++)
		for (j = 0; j < d->hosts[i].n_servers; j++)
			if (server_result_temporary(d->hosts[i].servers[j]))
				return 1;
	return 0;
}

static void
flight_remove(struct scan *s, struct item *it)
{
	size_t i;

	for (i = 0; i < s->in_flight; i++) {
		if (s->flight[i] == it) {
			s->flight[i] = s->flight[--s->in_flight];
			return;
		}
	}
}

static void
retry_push(struct scan *s, struct item *it)
{
	it->due = now_ms() + s->ctx->cfg.retry_delay_ms;
	it->next = NULL;
	if (s->retry_tail != NULL)
		s->retry_tail->next = it;
	else
		s->retry_head = it;
	s->retry_tail = it;
	s->retry_n++;
}

static void
on_check_done(void *arg, struct domain_result *d)
{
	struct item *it = arg;
	struct scan *s = it->scan;

	it->check = NULL;
	flight_remove(s, it);
	if (it->attempt < s->ctx->cfg.retries && !s->stopping && worth_retry(d)) {
		it->attempt++;
		s->stats->retried++;
		retry_push(s, it);
		domain_result_free(d);
		fill(s);
		return;
	}
	s->stats->verdict[store_verdict_of(d)]++;
	/*
	 * The record first, flushed, then the batch (which may commit now):
	 * a saved domain always has its line, and a line whose batch a kill
	 * loses is trimmed on resume (cmd_scan.c).
	 */
	if (!s->failed) {
		write_jsonl(s, d);
		if (save(s, d) == 0)
			s->stats->saved++;
	}
	domain_result_free(d);
	free(it);
	fill(s);
}

static int
start(struct scan *s, struct item *it)
{
	it->check = check_start(&s->env, it->name, on_check_done, it);
	if (it->check == NULL) {
		fprintf(stderr, "mailtls: out of memory\n");
		s->failed = 1;
		free(it);
		return -1;
	}
	s->flight[s->in_flight++] = it;
	return 0;
}

static void
on_retry_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	fill(arg);
}

static void
finish(struct scan *s)
{
	batch_commit(s);
	event_base_loopbreak(s->ctx->base);
}

/* fill - start what the free slots allow; end the scan when all is done. */
static void
fill(struct scan *s)
{
	uint64_t now = now_ms();

	if (s->failed || s->stopping) {
		if (s->in_flight == 0)
			finish(s);
		return;
	}
	while (s->in_flight < s->ctx->cfg.concurrency) {
		struct item *it = s->retry_head;

		if (it != NULL && it->due <= now) {
			s->retry_head = it->next;
			if (s->retry_head == NULL)
				s->retry_tail = NULL;
			s->retry_n--;
			if (start(s, it) == -1)
				return;
			continue;
		}
		while (s->cursor < s->n && s->done != NULL &&
		    store_nameset_has(s->done, s->names[s->cursor])) {
			s->cursor++;
			s->stats->skipped++;
		}
		if (s->cursor == s->n)
			break;
		if ((it = calloc(1, sizeof(*it))) == NULL) {
			fprintf(stderr, "mailtls: out of memory\n");
			s->failed = 1;
			return;
		}
		it->scan = s;
		it->name = s->names[s->cursor++];
		if (start(s, it) == -1)
			return;
	}
	if (s->retry_head != NULL && !evtimer_pending(s->retry_timer, NULL))
		arm(s->retry_timer, s->retry_head->due > now ?
		    s->retry_head->due - now : 0);
	if (s->in_flight == 0 && s->retry_head == NULL && s->cursor == s->n)
		finish(s);
}

static void
on_signal(evutil_socket_t fd, short what, void *arg)
{
	struct scan *s = arg;

	(void)fd;
	(void)what;
	s->stopping = 1;
	s->stats->interrupted = 1;
	event_base_loopbreak(s->ctx->base);
}

/* The check's question before connecting: has the server opted out? */
static const char *
scan_skip_server(void *arg, const char *host, const struct netaddr *addr)
{
	const struct scan_exclude *ex = arg;

	if (ex == NULL)
		return NULL;
	if (scan_exclude_mx_host(ex, host))
		return "excluded: the MX host is in the --exclude list";
	if (scan_exclude_address(ex, addr))
		return "excluded: the address is in the --exclude list";
	return NULL;
}

static void
on_start(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	fill(arg);
}

int
scan_run(const struct scan_ctx *ctx, char *const *names, size_t n,
    const struct store_nameset *done, struct scan_stats *stats)
{
	struct scan s;
	struct server_pool_config pc = ctx->cfg.pool;
	struct event *kick = NULL;
	struct item *it;
	size_t i;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	memset(stats, 0, sizeof(*stats));
	stats->total = n;
	s.ctx = ctx;
	s.names = names;
	s.n = n;
	s.done = done;
	s.stats = stats;
	s.started_ms = now_ms();
	pc.check = ctx->check;
	pc.tls_ctx = ctx->tls_ctx;
	/* A temporary failure is shared until the retry is due, no longer. */
	if (pc.temp_ttl_ms > ctx->cfg.retry_delay_ms)
		pc.temp_ttl_ms = ctx->cfg.retry_delay_ms;
	s.env.base = ctx->base;
	s.env.dns = ctx->dns;
	s.env.tls_ctx = ctx->tls_ctx;
	s.env.cfg = ctx->check;
	s.env.skip = scan_skip_server;
	s.env.skip_arg = (void *)ctx->exclude;
	s.env.fetcher = ctx->fetcher;
	s.env.policies = ctx->policies;
	if ((s.pool = server_pool_new(ctx->base, &pc)) == NULL ||
	    (s.flight = calloc(ctx->cfg.concurrency ? ctx->cfg.concurrency : 1,
	    sizeof(*s.flight))) == NULL ||
	    (s.retry_timer = evtimer_new(ctx->base, on_retry_timer, &s)) == NULL ||
	    (s.batch_timer = evtimer_new(ctx->base, on_batch_timer, &s)) == NULL ||
	    (s.progress_timer = evtimer_new(ctx->base, on_progress, &s)) == NULL ||
	    (s.sigint = evsignal_new(ctx->base, SIGINT, on_signal, &s)) == NULL ||
	    (s.sigterm = evsignal_new(ctx->base, SIGTERM, on_signal, &s)) == NULL ||
	    (kick = event_new(ctx->base, -1, 0, on_start, &s)) == NULL) {
		fprintf(stderr, "mailtls: out of memory\n");
		goto out;
	}
	s.env.pool = s.pool;
	evsignal_add(s.sigint, NULL);
	evsignal_add(s.sigterm, NULL);
	if (ctx->cfg.progress)
		arm(s.progress_timer, 1000);
	event_active(kick, EV_TIMEOUT, 0);
	event_base_dispatch(ctx->base);

	/* Stopped: by the end, a signal, or a failure.  Drop what runs. */
	for (i = 0; i < s.in_flight; i++) {
		check_cancel(s.flight[i]->check);
		free(s.flight[i]);
	}
	s.in_flight = 0;
	while ((it = s.retry_head) != NULL) {
		s.retry_head = it->next;
		free(it);
	}
	if (!s.failed)
		batch_commit(&s);
	if (ctx->cfg.progress) {
		progress(&s);
		fputc('\n', stderr);
	}
	rc = s.failed ? -1 : stats->interrupted ? 1 : 0;
out:
	if (s.pool != NULL)
		server_pool_get_stats(s.pool, &stats->servers);
	stats->seconds = (double)(now_ms() - s.started_ms) / 1000.0;
	if (s.batch_open)
		store_rollback(ctx->store);
	server_pool_free(s.pool);
	free(s.flight);
	if (s.retry_timer)
		event_free(s.retry_timer);
	if (s.batch_timer)
		event_free(s.batch_timer);
	if (s.progress_timer)
		event_free(s.progress_timer);
	if (s.sigint)
		event_free(s.sigint);
	if (s.sigterm)
		event_free(s.sigterm);
	if (kick)
		event_free(kick);
	return rc;
}

void
scan_summary(FILE *out, int64_t scan_id, const struct scan_stats *s)
{
	fprintf(out, "mailtls: scan %lld %s: %llu of %llu domains saved "
	    "(%llu by this run, %llu by an earlier one; %llu retried) in %.1f s; "
	    "%llu servers assessed, %llu requests shared; this run: %llu ok, "
	    "%llu without working STARTTLS, %llu unresolved, %llu inconclusive\n",
	    (long long)scan_id, s->interrupted ? "interrupted" : "finished",
	    (unsigned long long)(s->saved + s->skipped),
	    (unsigned long long)s->total, (unsigned long long)s->saved,
	    (unsigned long long)s->skipped, (unsigned long long)s->retried,
	    s->seconds, (unsigned long long)s->servers.finished,
	    (unsigned long long)s->servers.reused,
	    (unsigned long long)s->verdict[STORE_VERDICT_OK],
	    (unsigned long long)s->verdict[STORE_VERDICT_TLS_FAILURE],
	    (unsigned long long)s->verdict[STORE_VERDICT_DNS_FAILURE],
	    (unsigned long long)s->verdict[STORE_VERDICT_INCONCLUSIVE]);
}
