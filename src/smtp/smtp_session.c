/*
 * smtp_session.c - the SMTP/STARTTLS conversation as a state machine.
 * See smtp_session.h for the contract.
 *
 * Shape (after OpenSMTPD's mta_session.c):
 *   enter(s, stage)   the single place the stage changes: sends the stage's
 *                     command and arms the stage's deadline;
 *   on_reply(s)       a complete reply arrived: record it and pick the next
 *                     stage, or finish;
 *   finish(s, ...)    record how it ended and schedule teardown; the socket
 *                     is freed from a separate event, never from inside a
 *                     libevent callback of that socket (Redis's
 *                     CLOSE_SCHEDULED, OpenSMTPD's MTA_FREE).
 *
 * STARTTLS hygiene (RFC 3207 5, CVE-2011-0411 and friends): after the 220
 * reply to STARTTLS, the input must be empty.  Anything the server sent with
 * it would be taken, by a careless client, as the first reply inside TLS;
 * we record it as an injection and do not start TLS on such a connection.
 *
 * The plaintext phase uses a socket bufferevent; for TLS we release it and
 * build an OpenSSL bufferevent on the same descriptor, so no byte can pass
 * from the plaintext buffer into TLS.
 */
#include "smtp/smtp_session.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/sanitize.h"

#define QUIT_TIMEOUT_MS 2000	/* we only wait politely for the 221 */

struct smtp_session {
	struct event_base	*base;
	const struct smtp_params *p;
	struct smtp_facts	*sf;
	struct tls_facts	*tf;
	smtp_done_cb		*done_cb;
	void			*arg;

	enum smtp_stage		 stage;
	int			 finished;
	evutil_socket_t		 fd;
	struct bufferevent	*bev;	/* plaintext, then TLS */
	SSL			*ssl;
	struct event		*deadline;
	struct event		*teardown;
	struct smtp_reply_parser parser;
	struct timeval		 started;
};

static void enter(struct smtp_session *s, enum smtp_stage stage);
static void on_read(struct bufferevent *bev, void *arg);
static void on_event(struct bufferevent *bev, short what, void *arg);

static const char *const stage_names[] = {
	[SMTP_STAGE_CONNECT] = "connect",
	[SMTP_STAGE_BANNER] = "banner",
	[SMTP_STAGE_EHLO] = "ehlo",
	[SMTP_STAGE_HELO] = "helo",
	[SMTP_STAGE_STARTTLS] = "starttls",
	[SMTP_STAGE_TLS] = "tls-handshake",
	[SMTP_STAGE_EHLO_TLS] = "ehlo-after-tls",
	[SMTP_STAGE_QUIT] = "quit",
	[SMTP_STAGE_DONE] = "done",
};
_Static_assert(sizeof(stage_names) / sizeof(stage_names[0]) ==
    SMTP_STAGE_COUNT, "one name per smtp_stage");

static const char *const status_names[] = {
	[SMTP_STATUS_TLS_OK] = "tls-ok",
	[SMTP_STATUS_HANDED_OFF] = "handed-off",
	[SMTP_STATUS_NO_STARTTLS] = "no-starttls",
	[SMTP_STATUS_STARTTLS_REFUSED] = "starttls-refused",
	[SMTP_STATUS_TLS_FAILED] = "tls-failed",
	[SMTP_STATUS_PROTOCOL_ERROR] = "protocol-error",
	[SMTP_STATUS_TEMPFAIL] = "tempfail",
	[SMTP_STATUS_REFUSED] = "refused",
	[SMTP_STATUS_TIMEOUT] = "timeout",
	[SMTP_STATUS_UNREACHABLE] = "unreachable",
	[SMTP_STATUS_NOT_TESTED] = "not-tested",
};
_Static_assert(sizeof(status_names) / sizeof(status_names[0]) ==
    SMTP_STATUS_COUNT, "one name per smtp_status");

const char *
smtp_stage_name(enum smtp_stage st)
{
	return st < SMTP_STAGE_COUNT ? stage_names[st] : "?";
}

const char *
smtp_status_name(enum smtp_status st)
{
	return st < SMTP_STATUS_COUNT ? status_names[st] : "?";
}

int
smtp_status_conclusive(enum smtp_status st)
{
	return st <= SMTP_STATUS_PROTOCOL_ERROR;
}

static unsigned
elapsed_ms(struct smtp_session *s)
{
	struct timeval now, d;

	event_base_gettimeofday_cached(s->base, &now);
	evutil_timersub(&now, &s->started, &d);
	return (unsigned)(d.tv_sec * 1000 + d.tv_usec / 1000);
}

static void
arm_deadline(struct smtp_session *s, unsigned ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(s->deadline, &tv);
}

/*
 * finish - the conversation is over (or given up).  Records status and the
 * error once; a session that already reached a conclusion keeps it when
 * the polite QUIT afterwards fails.
 */
static void finish(struct smtp_session *s, enum smtp_status status,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
finish(struct smtp_session *s, enum smtp_status status, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (s->finished)
		return;
	s->finished = 1;
	s->sf->status = status;
	s->sf->stage = s->stage;
	if (fmt != NULL && s->sf->error == NULL) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		s->sf->error = sanitize_str(buf, sizeof(buf));
	}
	s->sf->elapsed_ms = elapsed_ms(s);
	evtimer_del(s->deadline);
	if (s->bev != NULL)
		bufferevent_disable(s->bev, EV_READ | EV_WRITE);
	event_active(s->teardown, EV_TIMEOUT, 0);
}

static void
release(struct smtp_session *s)
{
	if (s->bev != NULL)
		bufferevent_free(s->bev);
	if (s->ssl != NULL)
		SSL_free(s->ssl);
	if (s->fd != -1)
		evutil_closesocket(s->fd);
	if (s->deadline != NULL)
		event_free(s->deadline);
	if (s->teardown != NULL)
		event_free(s->teardown);
	smtp_reply_parser_free(&s->parser);
	free(s);
}

static void
on_teardown(evutil_socket_t fd, short what, void *arg)
{
	struct smtp_session *s = arg;
	smtp_done_cb *cb = s->done_cb;
	void *cbarg = s->arg;

	(void)fd;
	(void)what;
	release(s);
	cb(cbarg);
}

void
smtp_session_cancel(struct smtp_session *s)
{
	release(s);
}

static void
send_line(struct smtp_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
send_line(struct smtp_session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	evbuffer_add_vprintf(bufferevent_get_output(s->bev), fmt, ap);
	va_end(ap);
	evbuffer_add(bufferevent_get_output(s->bev), "\r\n", 2);
}

/*
 * The status after an unexpected reply in a plaintext step: 4xx is
 * temporary, 5xx a refusal, anything else breaks the protocol.
 */
static void
finish_on_reply(struct smtp_session *s, int code, const char *text)
{
	const char *step = smtp_stage_name(s->stage);

	if (code >= 400 && code < 500)
		finish(s, SMTP_STATUS_TEMPFAIL, "%s: temporary failure %d %s",
		    step, code, text);
	else if (code >= 500)
		finish(s, SMTP_STATUS_REFUSED, "%s: refused with %d %s",
		    step, code, text);
	else
		finish(s, SMTP_STATUS_PROTOCOL_ERROR,
		    "%s: unexpected reply code %d %s", step, code, text);
}

/* hand_off - give the clean post-STARTTLS socket to the caller. */
static void
hand_off(struct smtp_session *s)
{
	int fd = s->fd;

	bufferevent_free(s->bev);	/* no CLOSE_ON_FREE: fd stays open */
	s->bev = NULL;
	s->fd = -1;
	finish(s, SMTP_STATUS_HANDED_OFF, NULL);
	s->p->handoff(s->p->handoff_arg, fd);
}

static void
start_tls(struct smtp_session *s)
{
	s->ssl = tls_client_ssl_new(s->p->tls_ctx, s->p->server_name);
	if (s->ssl == NULL) {
		finish(s, SMTP_STATUS_TLS_FAILED, "cannot create a TLS session "
		    "(local error)");
		return;
	}
	/* Release the plaintext buffer (it is empty: checked by the caller). */
	bufferevent_free(s->bev);
	s->bev = bufferevent_openssl_socket_new(s->base, s->fd, s->ssl,
	    BUFFEREVENT_SSL_CONNECTING, 0);
	if (s->bev == NULL) {
		finish(s, SMTP_STATUS_TLS_FAILED, "cannot start TLS (local error)");
		return;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(s->bev, 1);
	bufferevent_setcb(s->bev, on_read, NULL, on_event, s);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
}

static void
enter(struct smtp_session *s, enum smtp_stage stage)
{
	const struct smtp_params *p = s->p;

	s->stage = stage;
	smtp_reply_reset(&s->parser);
	evtimer_del(s->deadline);
	switch (stage) {
	case SMTP_STAGE_CONNECT:
		arm_deadline(s, p->connect_timeout_ms);
		return;
	case SMTP_STAGE_BANNER:
		break;
	case SMTP_STAGE_EHLO:
	case SMTP_STAGE_EHLO_TLS:
		send_line(s, "EHLO %s", p->ehlo_name);
		break;
	case SMTP_STAGE_HELO:
		send_line(s, "HELO %s", p->ehlo_name);
		break;
	case SMTP_STAGE_STARTTLS:
		send_line(s, "STARTTLS");
		break;
	case SMTP_STAGE_TLS:
		if (p->handoff != NULL) {
			hand_off(s);
			return;
		}
		arm_deadline(s, p->tls_timeout_ms);
		start_tls(s);
		return;
	case SMTP_STAGE_QUIT:
		send_line(s, "QUIT");
		arm_deadline(s, QUIT_TIMEOUT_MS);
		return;
	case SMTP_STAGE_DONE:
	case SMTP_STAGE_COUNT:
		return;
	}
	arm_deadline(s, p->reply_timeout_ms);
}

/* conclude - the verdict is known; say goodbye politely, then finish. */
static void
conclude(struct smtp_session *s, enum smtp_status status)
{
	s->sf->status = status;
	enter(s, SMTP_STAGE_QUIT);
}

static void
on_banner(struct smtp_session *s, const struct smtp_reply *r)
{
	size_t i;

	s->sf->banner_code = r->code;
	for (i = 0; i < r->lines.n; i++)
		strvec_push_copy(&s->sf->banner, r->lines.v[i]);
	if (r->code == 220)
		enter(s, SMTP_STAGE_EHLO);
	else
		finish_on_reply(s, r->code, r->lines.n ? r->lines.v[0] : "");
}

static void
on_ehlo(struct smtp_session *s, const struct smtp_reply *r)
{
	s->sf->ehlo_code = r->code;
	if (r->code >= 500 && r->code < 600) {
		/* RFC 5321 3.2: a server that does not know EHLO gets HELO. */
		enter(s, SMTP_STAGE_HELO);
		return;
	}
	if (r->code != 250) {
		finish_on_reply(s, r->code, r->lines.n ? r->lines.v[0] : "");
		return;
	}
	smtp_ehlo_free(&s->sf->ehlo);
	smtp_ehlo_parse(r, &s->sf->ehlo);
	if (smtp_ehlo_has(&s->sf->ehlo, SMTP_EXT_STARTTLS))
		enter(s, SMTP_STAGE_STARTTLS);
	else
		conclude(s, SMTP_STATUS_NO_STARTTLS);
}

static void
on_helo(struct smtp_session *s, const struct smtp_reply *r)
{
	if (r->code != 250) {
		finish_on_reply(s, r->code, r->lines.n ? r->lines.v[0] : "");
		return;
	}
	s->sf->used_helo = 1;
	conclude(s, SMTP_STATUS_NO_STARTTLS);	/* HELO has no extensions */
}

static void
on_starttls(struct smtp_session *s, const struct smtp_reply *r, size_t leftover)
{
	s->sf->starttls_code = r->code;
	free(s->sf->starttls_reply);
	s->sf->starttls_reply = smtp_reply_text(r);
	if (r->code != 220) {
		if (r->code == 421)	/* "closing channel": try again later */
			finish_on_reply(s, r->code, r->lines.n ? r->lines.v[0] : "");
		else if (r->code >= 400 && r->code < 600)
			finish(s, SMTP_STATUS_STARTTLS_REFUSED,
			    "STARTTLS advertised but refused: %d %s", r->code,
			    r->lines.n ? r->lines.v[0] : "");
		else
			finish_on_reply(s, r->code, r->lines.n ? r->lines.v[0] : "");
		return;
	}
	if (leftover > 0) {
		s->sf->injected_bytes = leftover;
		finish(s, SMTP_STATUS_PROTOCOL_ERROR, "%zu bytes arrived with the "
		    "220 reply to STARTTLS, before the TLS handshake "
		    "(STARTTLS command injection); TLS not attempted", leftover);
		return;
	}
	enter(s, SMTP_STAGE_TLS);
}

static void
on_ehlo_tls(struct smtp_session *s, const struct smtp_reply *r)
{
	s->sf->ehlo_tls_code = r->code;
	if (r->code == 250)
		smtp_ehlo_parse(r, &s->sf->ehlo_tls);
	enter(s, SMTP_STAGE_QUIT);
}

static void
on_reply(struct smtp_session *s, size_t leftover)
{
	const struct smtp_reply *r = &s->parser.reply;

	switch (s->stage) {
	case SMTP_STAGE_BANNER:
		on_banner(s, r);
		break;
	case SMTP_STAGE_EHLO:
		on_ehlo(s, r);
		break;
	case SMTP_STAGE_HELO:
		on_helo(s, r);
		break;
	case SMTP_STAGE_STARTTLS:
		on_starttls(s, r, leftover);
		break;
	case SMTP_STAGE_EHLO_TLS:
		on_ehlo_tls(s, r);
		break;
	case SMTP_STAGE_QUIT:
		finish(s, s->sf->status, NULL);
		break;
	default:
		finish(s, SMTP_STATUS_PROTOCOL_ERROR, "reply in stage %s",
		    smtp_stage_name(s->stage));
		break;
	}
}

static void
on_parse_error(struct smtp_session *s)
{
	if (s->stage == SMTP_STAGE_QUIT || s->stage == SMTP_STAGE_EHLO_TLS) {
		/* TLS already measured: a late protocol error keeps that result. */
		finish(s, s->sf->status, "%s: %s", smtp_stage_name(s->stage),
		    smtp_reply_error_text(s->parser.error));
		return;
	}
	finish(s, SMTP_STATUS_PROTOCOL_ERROR, "%s: %s (limit %zu bytes, %zu lines)",
	    smtp_stage_name(s->stage), smtp_reply_error_text(s->parser.error),
	    s->parser.limits.line_max, s->parser.limits.lines_max);
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	struct smtp_session *s = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	while (!s->finished && evbuffer_get_length(in) > 0) {
		struct evbuffer_iovec v;
		enum smtp_parse rc;
		size_t used;

		/* Once TLS starts, this plaintext buffer is no longer ours. */
		if (s->bev != bev || s->stage == SMTP_STAGE_TLS ||
		    s->stage == SMTP_STAGE_CONNECT)
			return;
		evbuffer_peek(in, -1, NULL, &v, 1);
		rc = smtp_reply_feed(&s->parser, v.iov_base, v.iov_len, &used);
		evbuffer_drain(in, used);
		if (rc == SMTP_PARSE_ERROR)
			on_parse_error(s);
		else if (rc == SMTP_PARSE_DONE)
			on_reply(s, evbuffer_get_length(in));
	}
}

static void
collect_tls_error(struct smtp_session *s, const char *fallback)
{
	unsigned long e, last = 0;

	/*
	 * libevent queues SSL_get_error()'s own value (library 0) after the
	 * real OpenSSL errors: it names nothing, so skip it.
	 */
	while ((e = bufferevent_get_openssl_error(s->bev)) != 0)
		if (ERR_GET_LIB(e) != 0)
			last = e;
	free(s->tf->error);
	s->tf->error = tls_error_text(last, fallback);
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct smtp_session *s = arg;
	int err = EVUTIL_SOCKET_ERROR();

	(void)bev;
	if (s->finished)
		return;
	if (what & BEV_EVENT_CONNECTED) {
		if (s->stage == SMTP_STAGE_CONNECT) {
			enter(s, SMTP_STAGE_BANNER);
		} else if (s->stage == SMTP_STAGE_TLS) {
			s->sf->status = SMTP_STATUS_TLS_OK;
			if (tls_facts_collect(s->ssl, s->p->server_name, s->tf) == -1) {
				finish(s, SMTP_STATUS_TLS_OK, "out of memory "
				    "recording TLS facts");
				return;
			}
			enter(s, SMTP_STAGE_EHLO_TLS);
		}
		return;
	}
	switch (s->stage) {
	case SMTP_STAGE_CONNECT:
		finish(s, SMTP_STATUS_UNREACHABLE, "connect: %s",
		    evutil_socket_error_to_string(err));
		break;
	case SMTP_STAGE_TLS:
		collect_tls_error(s, (what & BEV_EVENT_EOF) ?
		    "the server closed the connection during the handshake" :
		    evutil_socket_error_to_string(err));
		finish(s, SMTP_STATUS_TLS_FAILED, "TLS handshake failed: %s",
		    s->tf->error);
		break;
	case SMTP_STAGE_EHLO_TLS:
	case SMTP_STAGE_QUIT:
		/* The verdict stands; the server just hung up early. */
		finish(s, s->sf->status, NULL);
		break;
	default:
		if (what & BEV_EVENT_EOF)
			finish(s, SMTP_STATUS_TEMPFAIL, "%s: connection closed by "
			    "the server", smtp_stage_name(s->stage));
		else
			finish(s, SMTP_STATUS_TEMPFAIL, "%s: %s",
			    smtp_stage_name(s->stage),
			    err == ECONNRESET ? "connection reset by the server" :
			    evutil_socket_error_to_string(err));
		break;
	}
}

static void
on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct smtp_session *s = arg;
	unsigned ms;

	(void)fd;
	(void)what;
	switch (s->stage) {
	case SMTP_STAGE_EHLO_TLS:
	case SMTP_STAGE_QUIT:
		finish(s, s->sf->status, NULL);
		return;
	case SMTP_STAGE_CONNECT:
		ms = s->p->connect_timeout_ms;
		break;
	case SMTP_STAGE_TLS:
		ms = s->p->tls_timeout_ms;
		break;
	default:
		ms = s->p->reply_timeout_ms;
		break;
	}
	finish(s, SMTP_STATUS_TIMEOUT, "%s: no complete %s within %u ms%s",
	    smtp_stage_name(s->stage),
	    s->stage == SMTP_STAGE_CONNECT ? "connection" :
	    s->stage == SMTP_STAGE_TLS ? "handshake" : "reply", ms,
	    s->parser.line_len > 0 || s->parser.reply.lines.n > 0 ?
	    " (a partial reply arrived)" : "");
}

static int
open_socket(struct smtp_session *s, struct sockaddr_storage *ss, socklen_t *sslen)
{
	*sslen = netaddr_to_sockaddr(&s->p->addr, s->p->port, ss);
	s->fd = socket(ss->ss_family, SOCK_STREAM, 0);
	if (s->fd == -1)
		return -1;
	if (evutil_make_socket_nonblocking(s->fd) == -1 ||
	    evutil_make_socket_closeonexec(s->fd) == -1)
		return -1;
	return 0;
}

struct smtp_session *
smtp_session_start(struct event_base *base, const struct smtp_params *p,
    struct smtp_facts *sf, struct tls_facts *tf, smtp_done_cb *done_cb,
    void *arg)
{
	struct smtp_session *s;
	struct sockaddr_storage ss;
	socklen_t sslen;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		sf->status = SMTP_STATUS_NOT_TESTED;
		sf->error = strdup("out of memory");
		return NULL;
	}
	s->base = base;
	s->p = p;
	s->sf = sf;
	s->tf = tf;
	s->done_cb = done_cb;
	s->arg = arg;
	s->fd = -1;
	event_base_gettimeofday_cached(base, &s->started);
	if (smtp_reply_parser_init(&s->parser, &p->limits) == -1 ||
	    (s->deadline = evtimer_new(base, on_deadline, s)) == NULL ||
	    (s->teardown = event_new(base, -1, 0, on_teardown, s)) == NULL ||
	    open_socket(s, &ss, &sslen) == -1 ||
	    (s->bev = bufferevent_socket_new(base, s->fd, 0)) == NULL) {
		sf->status = SMTP_STATUS_NOT_TESTED;
		sf->error = strdup(s->fd == -1 || errno != ENOMEM ?
		    "cannot open a socket (local error)" : "out of memory");
		release(s);
		return NULL;
	}
	bufferevent_setcb(s->bev, on_read, NULL, on_event, s);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	enter(s, SMTP_STAGE_CONNECT);
	if (bufferevent_socket_connect(s->bev, (struct sockaddr *)&ss,
	    (int)sslen) == -1) {
		/* Immediate failure (e.g. no route): report it from the loop. */
		finish(s, SMTP_STATUS_UNREACHABLE, "connect: %s",
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	}
	return s;
}

void
smtp_facts_free(struct smtp_facts *sf)
{
	free(sf->error);
	strvec_clear(&sf->banner);
	smtp_ehlo_free(&sf->ehlo);
	free(sf->starttls_reply);
	smtp_ehlo_free(&sf->ehlo_tls);
	memset(sf, 0, sizeof(*sf));
}
