/*
 * server_pool.c - shared, paced server assessments.  See server_pool.h.
 *
 * Three structures:
 *   entry   one key (address, port, name): QUEUED in its address's slot,
 *           RUNNING, or DONE (then in the LRU list of finished entries);
 *           found through a hash table on the key.
 *   slot    one address: how many of its entries run, when the last one
 *           started, the FIFO of entries waiting; a timer that starts the
 *           next one when the gap has passed; when anything last connected
 *           to it (the connection pacer, below).  Freed once idle for both
 *           gaps.
 *   wait    one request: on its entry's list until the entry is done, then
 *           on the pool's ready list, delivered by one deferred event.
 *
 * The connection pacer.  An assessment makes many connections (the
 * session, then the probe's attempts), each a probe gap after the last of
 * its own.  Two assessments of one address running at once would each
 * keep their own gap and so could connect microseconds apart; every
 * connection to the address therefore asks the slot first (slot_pace(),
 * given to the probe as probe_params.pace): the gap holds between any two
 * connection starts at the address, whichever assessment makes them.
 */
#include "check/server_pool.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include "check/check.h"
#include "dns/dns_name.h"

enum entry_state { ENTRY_QUEUED, ENTRY_RUNNING, ENTRY_DONE };

struct slot;

struct server_wait {
	struct server_pool	*pool;
	struct entry		*entry;		/* NULL once on the ready list */
	struct server_result	*result;	/* retained, once ready */
	server_pool_cb		*cb;
	void			*arg;
	TAILQ_ENTRY(server_wait) link;		/* entry's waiters or ready */
};
TAILQ_HEAD(wait_list, server_wait);

struct entry {
	struct server_pool	*pool;
	struct entry		*hnext;		/* hash chain */
	uint32_t		 hash;
	enum entry_state	 state;
	struct netaddr		 addr;
	uint16_t		 port;
	char			*name;		/* lower case */
	struct server_result	*result;	/* the pool's reference */
	void			*handle;	/* runner's, while RUNNING */
	struct slot		*slot;		/* while QUEUED or RUNNING */
	uint64_t		 done_at;	/* ms, monotonic */
	struct wait_list	 waiters;
	TAILQ_ENTRY(entry)	 link;		/* slot queue, or LRU */
};
TAILQ_HEAD(entry_list, entry);

struct slot {
	struct server_pool	*pool;
	struct slot		*hnext;
	uint32_t		 hash;
	struct netaddr		 addr;
	unsigned		 active;
	uint64_t		 last_start;	/* ms, monotonic; 0 never */
	uint64_t		 last_connect;	/* us, monotonic; 0 never */
	struct entry_list	 queue;
	struct event		*timer;
};

struct table {
	void			**v;
	size_t			  size;		/* power of two */
	size_t			  n;
};

struct server_pool {
	struct event_base	*base;
	struct server_pool_config cfg;
	struct server_runner	 runner;
	struct table		 entries;
	struct table		 slots;
	struct entry_list	 lru;		/* DONE, oldest first */
	struct wait_list	 ready;
	struct event		*ready_ev;
	int			 pumping;
	struct server_pool_stats stats;
};

/* --- time, hashing --------------------------------------------------- */

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* +1: 0 means "never" in slot.last_start */
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000 + 1;
}

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000 + 1;
}

static uint32_t
fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * 16777619u;
	return h;
}

static uint32_t
addr_hash(const struct netaddr *a)
{
	return fnv(2166136261u, a->bytes, a->family == AF_INET ? 4 : 16);
}

static int
addr_equal(const struct netaddr *a, const struct netaddr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes,
	    a->family == AF_INET ? 4 : 16) == 0;
}

static uint32_t
key_hash(const struct netaddr *a, uint16_t port, const char *lname)
{
	uint32_t h = addr_hash(a);

	h = fnv(h, &port, sizeof(port));
	return fnv(h, lname, strlen(lname));
}

/* --- a chained hash table of entries or slots (hnext is first-class) -- */

#define HNEXT(kind, x) (((struct kind *)(x))->hnext)

static int
table_grow(struct table *t, size_t offset_hash, size_t offset_next)
{
	size_t size = t->size ? t->size * 2 : 64, i;
	void **v = calloc(size, sizeof(*v));

	if (v == NULL)
		return -1;
	for (i = 0; i < t->size; i++) {
		void *x = t->v[i];

		while (x != NULL) {
			void *next = *(void **)((char *)x + offset_next);
			uint32_t h = *(uint32_t *)((char *)x + offset_hash);

			*(void **)((char *)x + offset_next) = v[h & (size - 1)];
			v[h & (size - 1)] = x;
			x = next;
		}
	}
	free(t->v);
	t->v = v;
	t->size = size;
	return 0;
}

static int
table_add(struct table *t, void *x, uint32_t h, size_t offset_hash,
    size_t offset_next)
{
	if (t->n + 1 > t->size && table_grow(t, offset_hash, offset_next) == -1 &&
	    t->size == 0)
		return -1;
	*(void **)((char *)x + offset_next) = t->v[h & (t->size - 1)];
	t->v[h & (t->size - 1)] = x;
	t->n++;
	return 0;
}

static void
table_remove(struct table *t, void *x, uint32_t h, size_t offset_next)
{
	void **pp = &t->v[h & (t->size - 1)];

	while (*pp != NULL && *pp != x)
		pp = (void **)((char *)*pp + offset_next);
	if (*pp == x) {
		*pp = *(void **)((char *)x + offset_next);
		t->n--;
	}
}

#define ENTRY_ADD(t, e) table_add(t, e, (e)->hash, \
    offsetof(struct entry, hash), offsetof(struct entry, hnext))
#define ENTRY_REMOVE(t, e) table_remove(t, e, (e)->hash, \
    offsetof(struct entry, hnext))
#define SLOT_ADD(t, s) table_add(t, s, (s)->hash, \
    offsetof(struct slot, hash), offsetof(struct slot, hnext))
#define SLOT_REMOVE(t, s) table_remove(t, s, (s)->hash, \
    offsetof(struct slot, hnext))

static struct entry *
entry_find(struct server_pool *p, const struct netaddr *a, uint16_t port,
    const char *lname, uint32_t h)
{
	struct entry *e;

	if (p->entries.size == 0)
		return NULL;
	for (e = p->entries.v[h & (p->entries.size - 1)]; e != NULL; e = e->hnext)
		if (e->hash == h && e->port == port && addr_equal(&e->addr, a) &&
		    strcmp(e->name, lname) == 0)
			return e;
	return NULL;
}

static struct slot *
slot_find(struct server_pool *p, const struct netaddr *a, uint32_t h)
{
	struct slot *s;

	if (p->slots.size == 0)
		return NULL;
	for (s = p->slots.v[h & (p->slots.size - 1)]; s != NULL; s = s->hnext)
		if (s->hash == h && addr_equal(&s->addr, a))
			return s;
	return NULL;
}

/* --- the real assessment: the session, then the enumeration ---------- */

/*
 * The same sequence as check.c's server_job (without a pool): the session
 * a sender has, then, if STARTTLS was accepted (even if OpenSSL's
 * handshake then failed), the probe enumeration unless --quick.
 */
struct assess {
	struct event_base	*base;
	const struct check_config *cfg;
	struct slot		*slot;		/* the address's: its pacer */
	struct event		*pace_timer;	/* the session waits its turn */
	struct server_result	*out;
	struct smtp_params	 params;
	struct smtp_session	*session;
	struct probe_params	 probe_params;
	struct probe		*probe;
	void			(*done)(void *);
	void			*done_arg;
};

/*
 * slot_pace - may something connect to the slot's address now?  0 (and
 * the connection is recorded), or the milliseconds to wait: the gap since
 * the last connection there, by whichever assessment, is not over.  With
 * gap_ms 0 it only records "now": callers do that once connect() has
 * returned, so the gap counts from the connection itself, however late
 * the loop got there.
 */
static unsigned
slot_pace(void *arg, unsigned gap_ms)
{
	struct slot *s = arg;
	uint64_t now = now_us(), gap = (uint64_t)gap_ms * 1000;

	if (s->last_connect != 0 && now - s->last_connect < gap)
		return (unsigned)((gap - (now - s->last_connect) + 999) / 1000);
	s->last_connect = now;
	return 0;
}

static void
assess_free(struct assess *a)
{
	if (a->pace_timer != NULL)
		event_free(a->pace_timer);
	free(a);
}

static void
assess_probe_done(void *arg)
{
	struct assess *a = arg;
	void (*done)(void *) = a->done;
	void *done_arg = a->done_arg;

	assess_free(a);
	done(done_arg);
}

static void
assess_session_done(void *arg)
{
	struct assess *a = arg;
	const struct check_config *cfg = a->cfg;
	struct probe_params *pp = &a->probe_params;

	a->session = NULL;
	if (cfg->enumerate && (a->out->smtp.status == SMTP_STATUS_TLS_OK ||
	    a->out->smtp.status == SMTP_STATUS_TLS_FAILED)) {
		pp->addr = a->params.addr;
		pp->port = a->params.port;
		pp->ehlo_name = cfg->ehlo_name;
		pp->server_name = a->params.server_name;
		pp->connect_timeout_ms = cfg->connect_timeout_ms;
		pp->reply_timeout_ms = cfg->reply_timeout_ms;
		pp->gap_ms = cfg->probe_gap_ms;
		pp->max_connections = cfg->probe_max_connections;
		pp->limits = cfg->limits;
		pp->pace = slot_pace;
		pp->pace_arg = a->slot;
		a->probe = probe_start(a->base, pp, &a->out->probe,
		    assess_probe_done, a);
		if (a->probe != NULL)
			return;
	}
	assess_probe_done(a);
}

/*
 * assess_session - start the session once the pacer allows (the session
 * is a connection like the probe's); on failure the assessment ends here
 * (the result is taken as filled so far).
 */
static void
assess_session(evutil_socket_t fd, short what, void *arg)
{
	struct assess *a = arg;
	unsigned wait = slot_pace(a->slot, a->cfg->probe_gap_ms);

	(void)fd;
	(void)what;
	if (wait > 0) {
		struct timeval tv = { (time_t)(wait / 1000),
		    (suseconds_t)(wait % 1000) * 1000 };

		evtimer_add(a->pace_timer, &tv);
		return;
	}
	/* On failure smtp_session_start() has filled in why. */
	if ((a->session = smtp_session_start(a->base, &a->params,
	    &a->out->smtp, &a->out->tls, assess_session_done, a)) == NULL) {
		assess_probe_done(a);
		return;
	}
	slot_pace(a->slot, 0);
}

static void *
assess_start(void *arg, const struct server_key *key, struct server_result *out,
    void (*done)(void *), void *done_arg)
{
	struct server_pool *p = arg;
	const struct check_config *cfg = p->cfg.check;
	struct assess *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		out->smtp.status = SMTP_STATUS_NOT_TESTED;
		return NULL;
	}
	a->slot = slot_find(p, &key->addr, addr_hash(&key->addr));
	a->base = p->base;
	a->cfg = cfg;
	a->out = out;
	a->done = done;
	a->done_arg = done_arg;
	a->params.addr = key->addr;
	a->params.port = key->port;
	a->params.ehlo_name = cfg->ehlo_name;
	a->params.server_name = key->name;	/* the entry's copy: outlives a */
	a->params.connect_timeout_ms = cfg->connect_timeout_ms;
	a->params.reply_timeout_ms = cfg->reply_timeout_ms;
	a->params.tls_timeout_ms = cfg->tls_timeout_ms;
	a->params.limits = cfg->limits;
	a->params.tls_ctx = p->cfg.tls_ctx;
	/* The entry's slot exists while it runs: slot_find() cannot fail. */
	if (a->slot == NULL ||
	    (a->pace_timer = evtimer_new(p->base, assess_session, a)) == NULL) {
		out->smtp.status = SMTP_STATUS_NOT_TESTED;
		out->smtp.error = strdup("out of memory");
		assess_free(a);
		return NULL;
	}
	if (slot_pace(a->slot, cfg->probe_gap_ms) == 0) {
		a->session = smtp_session_start(p->base, &a->params, &out->smtp,
		    &out->tls, assess_session_done, a);
		if (a->session == NULL) {
			assess_free(a);
			return NULL;
		}
		slot_pace(a->slot, 0);
		return a;
	}
	/* Another assessment of the address connected less than a gap ago. */
	event_active(a->pace_timer, EV_TIMEOUT, 0);
	return a;
}

static void
assess_cancel(void *arg, void *handle)
{
	struct assess *a = handle;

	(void)arg;
	if (a->session != NULL)
		smtp_session_cancel(a->session);
	if (a->probe != NULL)
		probe_cancel(a->probe);
	assess_free(a);
}

/* --- delivering results ---------------------------------------------- */

static void
on_ready(evutil_socket_t fd, short what, void *arg)
{
	struct server_pool *p = arg;
	struct server_wait *w;

	(void)fd;
	(void)what;
	/* A callback may request or cancel: take one at a time. */
	while ((w = TAILQ_FIRST(&p->ready)) != NULL) {
		TAILQ_REMOVE(&p->ready, w, link);
		w->cb(w->arg, w->result);
		free(w);
	}
}

static void
make_ready(struct server_pool *p, struct server_wait *w, struct server_result *r)
{
	w->entry = NULL;
	w->result = server_result_retain(r);
	TAILQ_INSERT_TAIL(&p->ready, w, link);
	event_active(p->ready_ev, EV_TIMEOUT, 0);
}

/* --- entries and slots ----------------------------------------------- */

static void slot_pump(struct slot *s);

static void
entry_free(struct entry *e)
{
	server_result_release(e->result);
	free(e->name);
	free(e);
}

/* entry_drop - forget a DONE entry (LRU eviction or a stale failure). */
static void
entry_drop(struct entry *e)
{
	struct server_pool *p = e->pool;

	ENTRY_REMOVE(&p->entries, e);
	TAILQ_REMOVE(&p->lru, e, link);
	p->stats.cached--;
	entry_free(e);
}

static void
slot_free(struct slot *s)
{
	SLOT_REMOVE(&s->pool->slots, s);
	event_free(s->timer);
	free(s);
}

static void
slot_arm(struct slot *s, uint64_t delay_ms)
{
	struct timeval tv = { (time_t)(delay_ms / 1000),
	    (suseconds_t)(delay_ms % 1000) * 1000 };

	evtimer_add(s->timer, &tv);
}

static void
on_slot_timer(evutil_socket_t fd, short what, void *arg)
{
	struct slot *s = arg;

	(void)fd;
	(void)what;
	slot_pump(s);
}

static void
entry_finished(void *arg)
{
	struct entry *e = arg;
	struct server_pool *p = e->pool;
	struct slot *s = e->slot;
	struct server_wait *w;

	e->handle = NULL;
	e->state = ENTRY_DONE;
	e->slot = NULL;
	e->done_at = now_ms();
	s->active--;
	p->stats.running--;
	p->stats.finished++;
	while ((w = TAILQ_FIRST(&e->waiters)) != NULL) {
		TAILQ_REMOVE(&e->waiters, w, link);
		make_ready(p, w, e->result);
	}
	TAILQ_INSERT_TAIL(&p->lru, e, link);
	p->stats.cached++;
	while (p->stats.cached > p->cfg.cache_max) {
		p->stats.evicted++;
		entry_drop(TAILQ_FIRST(&p->lru));
	}
	if (!p->pumping)
		slot_pump(s);
}

static void
entry_run(struct entry *e)
{
	struct server_pool *p = e->pool;
	struct server_key key;

	e->state = ENTRY_RUNNING;
	e->slot->active++;
	p->stats.running++;
	p->stats.assessments++;
	key.addr = e->addr;
	key.port = e->port;
	key.name = e->name;
	e->handle = p->runner.start(p->runner.arg, &key, e->result,
	    entry_finished, e);
	if (e->handle == NULL)
		entry_finished(e);
}

/*
 * slot_idle_wait - how long an idle slot must still live: until a gap
 * after the last start, and a probe gap after the last connection (a new
 * slot for the address would know neither).  0: it may go now.
 */
static uint64_t
slot_idle_wait(const struct slot *s, uint64_t now, uint64_t gap)
{
	const struct check_config *cfg = s->pool->cfg.check;
	uint64_t wait = 0, conn_gap, since;

	if (s->last_start != 0 && now - s->last_start < gap)
		wait = gap - (now - s->last_start);
	if (cfg != NULL && s->last_connect != 0) {
		conn_gap = (uint64_t)cfg->probe_gap_ms * 1000;
		since = now_us() - s->last_connect;
		if (since < conn_gap && (conn_gap - since + 999) / 1000 > wait)
			wait = (conn_gap - since + 999) / 1000;
	}
	return wait;
}

/*
 * slot_pump - start what the address's limits allow now; arm the timer
 * for the next start, or for freeing the slot once it has been idle for a
 * gap (so that the gap also holds across a slot's end and rebirth).
 */
static void
slot_pump(struct slot *s)
{
	struct server_pool *p = s->pool;
	uint64_t now = now_ms(), gap = p->cfg.per_addr_gap_ms, wait;
	struct entry *e;

	p->pumping = 1;
	while ((e = TAILQ_FIRST(&s->queue)) != NULL &&
	    s->active < p->cfg.per_addr_sessions) {
		if (s->last_start != 0 && now - s->last_start < gap) {
			slot_arm(s, gap - (now - s->last_start));
			p->pumping = 0;
			return;
		}
		TAILQ_REMOVE(&s->queue, e, link);
		p->stats.queued--;
		s->last_start = now;
		entry_run(e);
	}
	p->pumping = 0;
	if (s->active > 0 || !TAILQ_EMPTY(&s->queue))
		return;
	if ((wait = slot_idle_wait(s, now, gap)) == 0)
		slot_free(s);
	else
		slot_arm(s, wait);
}

static struct slot *
slot_get(struct server_pool *p, const struct netaddr *a)
{
	uint32_t h = addr_hash(a);
	struct slot *s = slot_find(p, a, h);

	if (s != NULL)
		return s;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->pool = p;
	s->hash = h;
	s->addr = *a;
	TAILQ_INIT(&s->queue);
	if ((s->timer = evtimer_new(p->base, on_slot_timer, s)) == NULL ||
	    SLOT_ADD(&p->slots, s) == -1) {
		if (s->timer != NULL)
			event_free(s->timer);
		free(s);
		return NULL;
	}
	return s;
}

static struct entry *
entry_new(struct server_pool *p, const struct server_key *key,
    const char *lname, uint32_t h)
{
	struct entry *e = calloc(1, sizeof(*e));
	struct server_result *r;

	if (e == NULL)
		return NULL;
	e->pool = p;
	e->hash = h;
	e->addr = key->addr;
	e->port = key->port;
	TAILQ_INIT(&e->waiters);
	if ((e->name = strdup(lname)) == NULL ||
	    (e->result = r = calloc(1, sizeof(*r))) == NULL ||
	    (e->slot = slot_get(p, &key->addr)) == NULL ||
	    ENTRY_ADD(&p->entries, e) == -1) {
		struct slot *s = e->slot;

		entry_free(e);
		if (s != NULL && s->active == 0 && TAILQ_EMPTY(&s->queue) &&
		    s->last_start == 0)
			slot_free(s);
		return NULL;
	}
	r->addr = key->addr;
	netaddr_to_text(&key->addr, r->addr_text, sizeof(r->addr_text));
	r->reserved = netaddr_reserved(&key->addr);
	e->state = ENTRY_QUEUED;
	TAILQ_INSERT_TAIL(&e->slot->queue, e, link);
	p->stats.queued++;
	return e;
}

/* --- public ---------------------------------------------------------- */

void
server_pool_config_defaults(struct server_pool_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->per_addr_sessions = 2;
	cfg->per_addr_gap_ms = 1000;
	cfg->cache_max = 20000;
	cfg->temp_ttl_ms = 60000;
}

struct server_pool *
server_pool_new(struct event_base *base, const struct server_pool_config *cfg)
{
	struct server_pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->base = base;
	p->cfg = *cfg;
	if (p->cfg.per_addr_sessions == 0)
		p->cfg.per_addr_sessions = 1;
	if (cfg->runner != NULL) {
		p->runner = *cfg->runner;
	} else {
		p->runner.start = assess_start;
		p->runner.cancel = assess_cancel;
		p->runner.arg = p;
	}
	TAILQ_INIT(&p->lru);
	TAILQ_INIT(&p->ready);
	if ((p->ready_ev = event_new(base, -1, 0, on_ready, p)) == NULL) {
		free(p);
		return NULL;
	}
	return p;
}

void
server_pool_free(struct server_pool *p)
{
	struct server_wait *w;
	size_t i;

	if (p == NULL)
		return;
	while ((w = TAILQ_FIRST(&p->ready)) != NULL) {
		TAILQ_REMOVE(&p->ready, w, link);
		server_result_release(w->result);
		free(w);
	}
	for (i = 0; i < p->entries.size; i++) {
		struct entry *e = p->entries.v[i];

		while (e != NULL) {
			struct entry *next = e->hnext;

			if (e->state == ENTRY_RUNNING && e->handle != NULL)
				p->runner.cancel(p->runner.arg, e->handle);
			while ((w = TAILQ_FIRST(&e->waiters)) != NULL) {
				TAILQ_REMOVE(&e->waiters, w, link);
				free(w);
			}
			entry_free(e);
			e = next;
		}
	}
	for (i = 0; i < p->slots.size; i++) {
		struct slot *s = p->slots.v[i];

		while (s != NULL) {
			struct slot *next = s->hnext;

			event_free(s->timer);
			free(s);
			s = next;
		}
	}
	free(p->entries.v);
	free(p->slots.v);
	event_free(p->ready_ev);
	free(p);
}

struct server_wait *
server_pool_request(struct server_pool *p, const struct server_key *key,
    server_pool_cb *cb, void *arg)
{
	char lname[DNS_NAME_MAX + 1];
	struct server_wait *w;
	struct entry *e;
	size_t i;
	uint32_t h;

	/* Host names compare without case (RFC 4343). */
	for (i = 0; key->name[i] != '\0' && i < DNS_NAME_MAX; i++)
		lname[i] = (char)(key->name[i] >= 'A' && key->name[i] <= 'Z' ?
		    key->name[i] - 'A' + 'a' : key->name[i]);
	lname[i] = '\0';
	h = key_hash(&key->addr, key->port, lname);
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->pool = p;
	w->cb = cb;
	w->arg = arg;
	p->stats.requests++;
	e = entry_find(p, &key->addr, key->port, lname, h);
	if (e != NULL && e->state == ENTRY_DONE &&
	    server_result_temporary(e->result) &&
	    now_ms() - e->done_at >= p->cfg.temp_ttl_ms) {
		entry_drop(e);		/* stale temporary failure: try again */
		e = NULL;
	}
	if (e == NULL) {
		if ((e = entry_new(p, key, lname, h)) == NULL) {
			free(w);
			return NULL;
		}
		w->entry = e;
		TAILQ_INSERT_TAIL(&e->waiters, w, link);
		slot_pump(e->slot);
		return w;
	}
	p->stats.reused++;
	if (e->state == ENTRY_DONE) {
		TAILQ_REMOVE(&p->lru, e, link);		/* most recently used */
		TAILQ_INSERT_TAIL(&p->lru, e, link);
		make_ready(p, w, e->result);
		return w;
	}
	w->entry = e;
	TAILQ_INSERT_TAIL(&e->waiters, w, link);
	return w;
}

void
server_pool_cancel(struct server_wait *w)
{
	if (w->entry != NULL) {
		TAILQ_REMOVE(&w->entry->waiters, w, link);
	} else {
		TAILQ_REMOVE(&w->pool->ready, w, link);
		server_result_release(w->result);
	}
	free(w);
}

void
server_pool_get_stats(const struct server_pool *p, struct server_pool_stats *out)
{
	*out = p->stats;
	out->entries = p->entries.n;
}

int
server_result_temporary(const struct server_result *s)
{
	return s->smtp.status == SMTP_STATUS_TEMPFAIL ||
	    s->smtp.status == SMTP_STATUS_TIMEOUT;
}
