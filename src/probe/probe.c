/*
 * probe.c - the enumeration engine.  See probe.h for the contract.
 *
 * A probe is a plan of attempts run one after another against one address:
 *
 *   for each version, highest first:   SUITES  offer the candidate suites
 *                                              the version allows (at most
 *                                              SUITE_WINDOW per hello); the
 *                                              server's pick is recorded,
 *                                              removed, and the rest offered
 *                                              again; a refused window is
 *                                              dropped for the next one.
 *                                              A version whose every window
 *                                              is refused (or that gets a
 *                                              protocol_version alert) is
 *                                              "not supported".
 *   then, once each:                   ORDER   two accepted suites in
 *                                              reverse: same pick = the
 *                                              server's own order;
 *                                      GROUPS  (EC)DHE with the groups the
 *                                              server has not picked yet;
 *                                      SIGALGS TLS 1.2 signature algorithms
 *                                              not seen yet, likewise;
 *                                      COMPRESSION, FALLBACK_SCSV.
 *
 * Cost: one connection per accepted suite, plus one per window and per
 * version, plus a few: ~80 for a default Postfix, against ~150 for sslscan.
 *
 * One attempt = one SMTP session to STARTTLS (smtp_session with handoff),
 * then our ClientHello on the raw socket, then the server's clear-text
 * answer read until it says enough (tls_parse.h), then close.  An attempt
 * whose SMTP part fails temporarily (421, reset, timeout) is retried after
 * an exponentially growing pause, and the gap between attempts widens
 * (narrowing again slowly as answers come); after MAX_RETRIES the step is
 * recorded as unknown, never as "no".
 */
#include "probe/probe.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/cipher_suites.h"
#include "probe/probe_wire.h"
#include "smtp/smtp_session.h"
#include "util/sanitize.h"

#define MAX_RETRIES	3
#define BACKOFF_MS	2000	/* first pause after a temporary failure */
#define GAP_MAX_MS	10000	/* widest gap between attempts */
#define ANSWER_MAX	(128 * 1024)	/* server flight we are willing to read */
/*
 * Suites per hello.  Some servers and middleboxes fail on hellos with more
 * than 128 suites; TLS 1.2 alone has over 300 candidates, so they are
 * offered in windows and a refused window is dropped for the next one.
 */
#define SUITE_WINDOW	128

enum step {
	STEP_SUITES,
	STEP_ORDER,
	STEP_GROUPS,
	STEP_SIGALGS,
	STEP_COMPRESSION,
	STEP_FALLBACK,
	STEP_DONE
};

struct probe {
	struct event_base	*base;
	const struct probe_params *p;
	struct probe_result	*out;
	probe_done_cb		*done_cb;
	void			*arg;

	/* the plan */
	enum step		 step;
	int			 step_tried;	/* the step's one attempt was made */
	enum probe_version	 version;	/* STEP_SUITES: being enumerated */
	int			 version_done;	/* no more suites at this version */
	int			 version_cut;	/* ...because we gave up */
	uint32_t		*candidates;	/* suites still to offer */
	size_t			 n_candidates;
	uint16_t		*groups_left;	/* STEP_GROUPS */
	size_t			 n_groups_left;
	uint16_t		*sigalgs_left;	/* STEP_SIGALGS */
	size_t			 n_sigalgs_left;
	struct wire_offer	 offer;		/* the current attempt's hello */
	unsigned		 retries;	/* of the current attempt */
	unsigned		 gap_ms;	/* current pause between attempts */

	/* the current attempt */
	struct smtp_params	 sp;
	struct smtp_facts	 sf;
	struct tls_facts	 tf;
	struct smtp_session	*session;
	struct bufferevent	*raw;		/* post-STARTTLS socket */
	struct wire_reader	*reader;
	struct event		*timer;		/* gap, backoff or answer deadline */
	int			 handed_off;	/* STARTTLS done, raw socket ours */
	int			 waiting_answer;
	struct timeval		 started;
};

static void schedule(struct probe *pr);

static const char *const version_names[] = {
	[PROBE_SSL2] = "SSLv2",
	[PROBE_SSL3] = "SSLv3",
	[PROBE_TLS10] = "TLSv1.0",
	[PROBE_TLS11] = "TLSv1.1",
	[PROBE_TLS12] = "TLSv1.2",
	[PROBE_TLS13] = "TLSv1.3",
};
_Static_assert(sizeof(version_names) / sizeof(version_names[0]) ==
    PROBE_VERSION_COUNT, "one name per probe_version");

const char *
probe_version_name(enum probe_version v)
{
	return v < PROBE_VERSION_COUNT ? version_names[v] : "?";
}

const char *
probe_answer_name(enum probe_answer a)
{
	return a == PROBE_YES ? "yes" : a == PROBE_NO ? "no" : "unknown";
}

/* --- timers --------------------------------------------------------- */

static void
arm(struct probe *pr, unsigned ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(pr->timer, &tv);
}

/* --- recording ------------------------------------------------------ */

static int
version_has_suite(const struct probe_version_result *vr, uint32_t code)
{
	size_t i;

	for (i = 0; i < vr->n_suites; i++)
		if (vr->suites[i].code == code)
			return 1;
	return 0;
}

static void
record_suite(struct probe *pr, enum probe_version v,
    const struct wire_answer *a)
{
	struct probe_version_result *vr = &pr->out->versions[v];
	const struct cipher_suite *cs;
	struct probe_suite *s;

	vr->supported = PROBE_YES;
	if (version_has_suite(vr, a->suite))
		return;
	s = realloc(vr->suites, (vr->n_suites + 1) * sizeof(*s));
	if (s == NULL)
		return;
	vr->suites = s;
	s = &vr->suites[vr->n_suites++];
	memset(s, 0, sizeof(*s));
	s->code = a->suite;
	s->kx_bits = a->kx_bits;
	snprintf(s->kx_group, sizeof(s->kx_group), "%s", a->kx_group);
	/*
	 * The DH facts a sender depends on come from authenticated suites:
	 * OpenSSL gives anonymous AES-128 suites a 1024-bit group of its
	 * own choosing, which says nothing about the server's DHE setup
	 * (the suites themselves get their own finding).
	 */
	cs = cipher_suite_by_code(a->suite);
	if (cs != NULL && (cs->flags & CS_F_ANON))
		return;
	if (a->dh_bits > 0 && (pr->out->dh_bits == 0 ||
	    a->dh_bits < pr->out->dh_bits)) {
		pr->out->dh_bits = a->dh_bits;
		free(pr->out->dh_group);
		pr->out->dh_group = a->dh_name[0] ? strdup(a->dh_name) : NULL;
	}
}

static void
record_extensions(struct probe *pr, const struct wire_answer *a)
{
	struct probe_result *o = pr->out;

	/* RFC 5746 and RFC 7627 are only meaningful below TLS 1.3. */
	if (a->version == PROBE_TLS13 || a->version == PROBE_SSL2)
		return;
	o->secure_renegotiation = a->reneg_info ? PROBE_YES :
	    o->secure_renegotiation == PROBE_YES ? PROBE_YES : PROBE_NO;
	o->extended_master_secret = a->ems ? PROBE_YES :
	    o->extended_master_secret == PROBE_YES ? PROBE_YES : PROBE_NO;
	if (a->ocsp_stapled)
		o->ocsp_stapling = PROBE_YES;
	else if (o->ocsp_stapling == PROBE_UNKNOWN && a->saw_flight_end)
		o->ocsp_stapling = PROBE_NO;
}

static void
add_group(struct probe *pr, const char *name)
{
	struct probe_result *o = pr->out;
	char **v;
	size_t i;

	for (i = 0; i < o->n_groups; i++)
		if (strcmp(o->groups[i], name) == 0)
			return;
	if ((v = realloc(o->groups, (o->n_groups + 1) * sizeof(*v))) == NULL)
		return;
	o->groups = v;
	if ((o->groups[o->n_groups] = strdup(name)) != NULL)
		o->n_groups++;
}

static void
remove_candidate(struct probe *pr, uint32_t code)
{
	size_t i;

	for (i = 0; i < pr->n_candidates; i++) {
		if (pr->candidates[i] == code) {
			memmove(&pr->candidates[i], &pr->candidates[i + 1],
			    (pr->n_candidates - i - 1) * sizeof(*pr->candidates));
			pr->n_candidates--;
			return;
		}
	}
}

/* remove_u16 - take v out of list; 1 if it was there. */
static int
remove_u16(uint16_t *list, size_t *n, uint16_t v)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (list[i] == v) {
			memmove(list + i, list + i + 1, (*n - i - 1) * sizeof(*list));
			(*n)--;
			return 1;
		}
	}
	return 0;
}

static void
add_sigalg(struct probe *pr, uint16_t sigalg)
{
	struct probe_result *o = pr->out;
	uint16_t *grown;
	size_t i;

	for (i = 0; i < o->n_sigalgs; i++)
		if (o->sigalgs[i] == sigalg)
			return;
	if ((grown = realloc(o->sigalgs, (o->n_sigalgs + 1) * sizeof(*grown))) == NULL)
		return;
	o->sigalgs = grown;
	o->sigalgs[o->n_sigalgs++] = sigalg;
}

/* drop_window - the first n candidates were refused together. */
static void
drop_window(struct probe *pr, size_t n)
{
	if (n > pr->n_candidates)
		n = pr->n_candidates;
	memmove(pr->candidates, pr->candidates + n,
	    (pr->n_candidates - n) * sizeof(*pr->candidates));
	pr->n_candidates -= n;
}

static void
remove_group(struct probe *pr, uint16_t group)
{
	size_t i;

	for (i = 0; i < pr->n_groups_left; i++) {
		if (pr->groups_left[i] == group) {
			memmove(&pr->groups_left[i], &pr->groups_left[i + 1],
			    (pr->n_groups_left - i - 1) * sizeof(uint16_t));
			pr->n_groups_left--;
			return;
		}
	}
}

/* --- the plan --------------------------------------------------------- */

/* The highest version <= 1.2 with an accepted suite, or -1. */
static int
best_legacy_version(const struct probe_result *o)
{
	int v;

	for (v = PROBE_TLS12; v >= PROBE_SSL3; v--)
		if (o->versions[v].n_suites > 0)
			return v;
	return -1;
}

/* The highest accepted version below v (for the fallback test), or -1. */
static int
lower_supported(const struct probe_result *o, int v)
{
	int w;

	for (w = v - 1; w >= PROBE_SSL3; w--)
		if (o->versions[w].n_suites > 0)
			return w;
	return -1;
}

static void
begin_version(struct probe *pr, enum probe_version v)
{
	pr->step = STEP_SUITES;
	pr->version = v;
	pr->version_done = 0;
	pr->version_cut = 0;
	free(pr->candidates);
	pr->candidates = wire_candidates(v, &pr->n_candidates);
}

static void
enter_step(struct probe *pr, enum step step)
{
	pr->step = step;
	pr->step_tried = 0;
	if (step == STEP_GROUPS) {
		free(pr->groups_left);
		pr->groups_left = wire_all_groups(&pr->n_groups_left);
	}
	if (step == STEP_SIGALGS) {
		size_t i;

		free(pr->sigalgs_left);
		pr->sigalgs_left = wire_all_sigalgs(&pr->n_sigalgs_left);
		/* Those the suite enumeration already saw need no new attempt. */
		for (i = 0; i < pr->out->n_sigalgs; i++)
			remove_u16(pr->sigalgs_left, &pr->n_sigalgs_left,
			    pr->out->sigalgs[i]);
	}
}

/*
 * choose_offer - put the plan's next attempt into pr->offer.  Returns 0, or
 * -1 when nothing is left to ask.
 */
static int
choose_offer(struct probe *pr)
{
	struct probe_result *o = pr->out;
	int v, w;

	for (;;) {
		v = best_legacy_version(o);
		switch (pr->step) {
		case STEP_SUITES:
			if (!pr->version_done && pr->n_candidates > 0) {
				wire_offer_suites(&pr->offer, pr->version,
				    pr->candidates, pr->n_candidates < SUITE_WINDOW ?
				    pr->n_candidates : SUITE_WINDOW);
				return 0;
			}
			o->versions[pr->version].complete = !pr->version_cut;
			if (pr->version > PROBE_SSL2)
				begin_version(pr, pr->version - 1);
			else
				enter_step(pr, STEP_ORDER);
			break;
		case STEP_ORDER:
			if (!pr->step_tried && v >= 0 &&
			    o->versions[v].n_suites >= 2) {
				pr->step_tried = 1;
				/* the server's first pick last: does it insist? */
				wire_offer_order(&pr->offer, v,
				    o->versions[v].suites[1].code,
				    o->versions[v].suites[0].code);
				return 0;
			}
			enter_step(pr, STEP_GROUPS);
			break;
		case STEP_GROUPS:
			if (pr->n_groups_left > 0 && wire_offer_groups(&pr->offer,
			    o, pr->groups_left, pr->n_groups_left) == 0)
				return 0;
			enter_step(pr, STEP_SIGALGS);
			break;
		case STEP_SIGALGS:
			if (pr->n_sigalgs_left > 0 && wire_offer_sigalgs(&pr->offer,
			    o, pr->sigalgs_left, pr->n_sigalgs_left) == 0)
				return 0;
			enter_step(pr, STEP_COMPRESSION);
			break;
		case STEP_COMPRESSION:
			if (!pr->step_tried && v >= 0) {
				pr->step_tried = 1;
				wire_offer_compression(&pr->offer, v,
				    o->versions[v].suites[0].code);
				return 0;
			}
			enter_step(pr, STEP_FALLBACK);
			break;
		case STEP_FALLBACK:
			/* Below the highest version, TLS 1.3 included. */
			if (o->versions[PROBE_TLS13].n_suites > 0)
				v = PROBE_TLS13;
			if (!pr->step_tried && v >= 0 &&
			    (w = lower_supported(o, v)) >= 0) {
				pr->step_tried = 1;
				wire_offer_fallback(&pr->offer, w,
				    o->versions[w].suites[0].code);
				return 0;
			}
			enter_step(pr, STEP_DONE);
			break;
		case STEP_DONE:
			return -1;
		}
	}
}

/*
 * on_answer - what the server said to the current offer; record it and
 * move the plan on.
 */
static void
on_answer(struct probe *pr, const struct wire_answer *a)
{
	struct probe_result *o = pr->out;
	size_t i;
	int v;

	pr->retries = 0;
	if (a->kind == WIRE_ACCEPTED && a->has_sig_alg && a->version == PROBE_TLS12)
		add_sigalg(pr, a->sig_alg);
	/* Answers again: narrow the gap slowly back towards the default. */
	if (pr->gap_ms > pr->p->gap_ms) {
		pr->gap_ms -= pr->gap_ms / 10;
		if (pr->gap_ms < pr->p->gap_ms)
			pr->gap_ms = pr->p->gap_ms;
	}
	switch (pr->offer.kind) {
	case OFFER_SUITES:
		if (a->kind == WIRE_REFUSED &&
		    a->alert != WIRE_ALERT_PROTOCOL_VERSION &&
		    pr->offer.n_suites < pr->n_candidates) {
			/* None of this window: on to the next one. */
			drop_window(pr, pr->offer.n_suites);
			break;
		}
		if (a->kind != WIRE_ACCEPTED || a->version != pr->version) {
			/* Nothing more at this version (or none at all). */
			if (o->versions[pr->version].n_suites == 0)
				o->versions[pr->version].supported = PROBE_NO;
			pr->version_done = 1;
			break;
		}
		record_suite(pr, pr->version, a);
		record_extensions(pr, a);
		/* SSLv2 lists every kind it accepts in one SERVER-HELLO. */
		for (i = 0; i < a->n_v2_kinds; i++) {
			struct wire_answer k = *a;

			k.suite = a->v2_kinds[i];
			record_suite(pr, PROBE_SSL2, &k);
		}
		if (a->version == PROBE_SSL2)
			pr->version_done = 1;
		remove_candidate(pr, a->suite);
		break;
	case OFFER_ORDER:
		v = best_legacy_version(o);
		if (a->kind == WIRE_ACCEPTED && v >= 0)
			o->server_order = a->suite == o->versions[v].suites[0].code ?
			    PROBE_YES : PROBE_NO;
		break;
	case OFFER_GROUPS:
		if (a->kind == WIRE_ACCEPTED && a->group != 0) {
			add_group(pr, a->kx_group);
			remove_group(pr, a->group);
		} else {
			pr->n_groups_left = 0;
		}
		break;
	case OFFER_SIGALGS:
		if (a->kind == WIRE_ACCEPTED && a->has_sig_alg &&
		    a->version == PROBE_TLS12) {
			/* A server must pick from our list (RFC 5246
			 * 7.4.1.4.1); if it does not, stop asking. */
			if (!remove_u16(pr->sigalgs_left, &pr->n_sigalgs_left,
			    a->sig_alg))
				pr->n_sigalgs_left = 0;
		} else {
			pr->n_sigalgs_left = 0;
		}
		break;
	case OFFER_COMPRESSION:
		o->compression = a->kind == WIRE_ACCEPTED && a->compression ?
		    PROBE_YES : PROBE_NO;
		break;
	case OFFER_FALLBACK:
		if (a->kind == WIRE_REFUSED &&
		    a->alert == WIRE_ALERT_INAPPROPRIATE_FALLBACK)
			o->fallback_scsv = PROBE_YES;
		else if (a->kind == WIRE_ACCEPTED)
			o->fallback_scsv = PROBE_NO;
		break;
	case OFFER_NONE:
		break;
	}
	schedule(pr);
}

/* give_up_item - MAX_RETRIES without an answer: skip what was being asked. */
static void
give_up_item(struct probe *pr)
{
	switch (pr->offer.kind) {
	case OFFER_SUITES:
		pr->version_done = 1;
		pr->version_cut = 1;
		break;
	case OFFER_GROUPS:
		pr->n_groups_left = 0;
		break;
	case OFFER_SIGALGS:
		pr->n_sigalgs_left = 0;
		break;
	default:
		break;		/* step_tried already moves the plan on */
	}
}

/* --- one attempt ------------------------------------------------------ */

static void
end_attempt(struct probe *pr)
{
	evtimer_del(pr->timer);
	pr->waiting_answer = 0;
	if (pr->raw != NULL) {
		bufferevent_free(pr->raw);	/* closes the socket */
		pr->raw = NULL;
	}
	if (pr->reader != NULL) {
		wire_reader_free(pr->reader);
		pr->reader = NULL;
	}
	smtp_facts_free(&pr->sf);
	tls_facts_free(&pr->tf);
}

static void
finish_probe(struct probe *pr)
{
	struct timeval now, d;
	probe_done_cb *cb = pr->done_cb;
	void *arg = pr->arg;

	event_base_gettimeofday_cached(pr->base, &now);
	evutil_timersub(&now, &pr->started, &d);
	pr->out->elapsed_ms = (unsigned)(d.tv_sec * 1000 + d.tv_usec / 1000);
	pr->out->done = 1;
	probe_cancel(pr);
	cb(arg);
}

/* inconclusive - the attempt got no answer; retry later or give up. */
static void
inconclusive(struct probe *pr, const char *why)
{
	end_attempt(pr);
	/*
	 * A server that refuses (421 "too many connections", resets) is
	 * asking us to slow down: retry the same attempt after a growing
	 * pause, and keep the wider gap for the attempts after it.
	 */
	pr->out->temporary_failures++;
	pr->gap_ms = pr->gap_ms * 2 < 500 ? 500 : pr->gap_ms * 2;
	if (pr->gap_ms > GAP_MAX_MS)
		pr->gap_ms = GAP_MAX_MS;
	if (pr->retries < MAX_RETRIES) {
		unsigned ms = BACKOFF_MS << pr->retries;

		pr->retries++;
		arm(pr, ms);		/* on_timer runs the same attempt again */
		return;
	}
	pr->out->inconclusive++;
	pr->retries = 0;
	if (pr->out->error == NULL)
		pr->out->error = sanitize_str(why, 200);
	give_up_item(pr);
	schedule(pr);
}

static void
on_raw_read(struct bufferevent *bev, void *arg)
{
	struct probe *pr = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct wire_answer a;
	int rc = WIRE_NEED_MORE;

	while (evbuffer_get_length(in) > 0 && rc == WIRE_NEED_MORE) {
		struct evbuffer_iovec v;

		evbuffer_peek(in, -1, NULL, &v, 1);
		rc = wire_reader_feed(pr->reader, v.iov_base, v.iov_len, &a);
		evbuffer_drain(in, v.iov_len);
	}
	if (rc == WIRE_NEED_MORE)
		return;
	end_attempt(pr);
	on_answer(pr, &a);
	wire_answer_free(&a);
}

static void
on_raw_event(struct bufferevent *bev, short what, void *arg)
{
	struct probe *pr = arg;
	struct wire_answer a;

	(void)bev;
	(void)what;
	/* Closed or reset after our hello: the server refused it. */
	wire_reader_eof(pr->reader, &a);
	end_attempt(pr);
	on_answer(pr, &a);
	wire_answer_free(&a);
}

static void
on_handoff(void *arg, int fd)
{
	struct probe *pr = arg;
	uint8_t hello[WIRE_HELLO_MAX];
	size_t len;

	pr->handed_off = 1;
	pr->waiting_answer = 1;
	pr->raw = bufferevent_socket_new(pr->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (pr->raw == NULL) {
		close(fd);
		arm(pr, 0);	/* on_timer: no reader, inconclusive */
		return;
	}
	if (wire_build_hello(&pr->offer, pr->p->server_name, hello,
	    sizeof(hello), &len) == -1 ||
	    (pr->reader = wire_reader_new(&pr->offer, ANSWER_MAX)) == NULL) {
		arm(pr, 0);
		return;
	}
	bufferevent_setcb(pr->raw, on_raw_read, NULL, on_raw_event, pr);
	bufferevent_enable(pr->raw, EV_READ | EV_WRITE);
	bufferevent_write(pr->raw, hello, len);
	arm(pr, pr->p->reply_timeout_ms);
}

static void
on_session_done(void *arg)
{
	struct probe *pr = arg;
	enum smtp_status st = pr->sf.status;
	char why[256];

	pr->session = NULL;
	if (pr->handed_off)
		return;			/* the raw socket carries on */
	snprintf(why, sizeof(why), "%s: %s", smtp_status_name(st),
	    pr->sf.error ? pr->sf.error : "");
	if (st == SMTP_STATUS_HANDED_OFF || smtp_status_conclusive(st)) {
		/* No STARTTLS (any more), or a local failure: stop. */
		end_attempt(pr);
		if (pr->out->error == NULL)
			pr->out->error = sanitize_str(why, 200);
		finish_probe(pr);
		return;
	}
	inconclusive(pr, why);
}

static void
run_attempt(struct probe *pr)
{
	unsigned wait;

	if (pr->out->connections >= pr->p->max_connections) {
		if (pr->out->error == NULL)
			pr->out->error = strdup("connection limit reached");
		if (pr->step == STEP_SUITES)
			pr->out->versions[pr->version].complete = 0;
		finish_probe(pr);
		return;
	}
	/* Other assessments of the address may have connected meanwhile. */
	if (pr->p->pace != NULL &&
	    (wait = pr->p->pace(pr->p->pace_arg, pr->gap_ms)) > 0) {
		arm(pr, wait);
		return;
	}
	memset(&pr->sf, 0, sizeof(pr->sf));
	memset(&pr->tf, 0, sizeof(pr->tf));
	pr->handed_off = 0;
	pr->out->connections++;
	pr->session = smtp_session_start(pr->base, &pr->sp, &pr->sf, &pr->tf,
	    on_session_done, pr);
	if (pr->session != NULL && pr->p->pace != NULL)
		pr->p->pace(pr->p->pace_arg, 0);	/* connected: now */
	if (pr->session == NULL)
		inconclusive(pr, "cannot start a session (local error)");
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct probe *pr = arg;

	(void)fd;
	(void)what;
	if (pr->waiting_answer) {
		/* The server neither answered our hello nor closed. */
		struct wire_answer a;

		if (pr->reader == NULL) {
			inconclusive(pr, "cannot build the ClientHello (local error)");
			return;
		}
		wire_reader_eof(pr->reader, &a);
		end_attempt(pr);
		if (a.kind == WIRE_ACCEPTED)
			on_answer(pr, &a);
		else
			inconclusive(pr, "no answer to the ClientHello");
		wire_answer_free(&a);
		return;
	}
	run_attempt(pr);
}

/* schedule - the plan's next attempt after the polite gap, or the end. */
static void
schedule(struct probe *pr)
{
	if (choose_offer(pr) == -1) {
		finish_probe(pr);
		return;
	}
	arm(pr, pr->gap_ms);
}

struct probe *
probe_start(struct event_base *base, const struct probe_params *p,
    struct probe_result *out, probe_done_cb *done_cb, void *arg)
{
	struct probe *pr = calloc(1, sizeof(*pr));

	if (pr == NULL)
		return NULL;
	pr->base = base;
	pr->p = p;
	pr->out = out;
	pr->done_cb = done_cb;
	pr->arg = arg;
	if ((pr->timer = evtimer_new(base, on_timer, pr)) == NULL) {
		free(pr);
		return NULL;
	}
	pr->sp.addr = p->addr;
	pr->sp.port = p->port;
	pr->sp.ehlo_name = p->ehlo_name;
	pr->sp.server_name = p->server_name;
	pr->sp.connect_timeout_ms = p->connect_timeout_ms;
	pr->sp.reply_timeout_ms = p->reply_timeout_ms;
	pr->sp.tls_timeout_ms = p->reply_timeout_ms;
	pr->sp.limits = p->limits;
	pr->sp.handoff = on_handoff;
	pr->sp.handoff_arg = pr;
	pr->gap_ms = p->gap_ms;
	event_base_gettimeofday_cached(base, &pr->started);
	begin_version(pr, PROBE_TLS13);
	schedule(pr);
	return pr;
}

void
probe_cancel(struct probe *pr)
{
	if (pr->session != NULL)
		smtp_session_cancel(pr->session);
	end_attempt(pr);
	event_free(pr->timer);
	free(pr->candidates);
	free(pr->groups_left);
	free(pr->sigalgs_left);
	free(pr);
}

void
probe_result_free(struct probe_result *r)
{
	size_t i;

	for (i = 0; i < PROBE_VERSION_COUNT; i++)
		free(r->versions[i].suites);
	for (i = 0; i < r->n_groups; i++)
		free(r->groups[i]);
	free(r->groups);
	free(r->dh_group);
	free(r->sigalgs);
	free(r->error);
	memset(r, 0, sizeof(*r));
}
