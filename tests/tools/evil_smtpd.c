/*
 * evil_smtpd.c - hostile SMTP peers for the mailtls test lab.
 *
 *	evil_smtpd --port N --cert FILE --key FILE [--pidfile FILE]
 *	    [--bind-base 127.0.2] [--verbose]
 *
 * Real MTAs are too well behaved to show how mailtls copes with a peer that
 * stalls, floods, splits its replies at odd points, injects a reply after
 * STARTTLS (CVE-2011-0411 style) or sends markup and terminal escapes.  This
 * one process plays eleven such peers, one per address BASE.1 ... BASE.11,
 * all on the same port; tests/lab/LAB.md ("Hostile peers") is the contract.
 *
 * Design.  One libevent loop; one evconnlistener per address, whose argument
 * is the entry of the behaviours[] table for that address.  Each connection
 * is a struct conn driven by a small state machine (enum conn_state):
 *
 *	CS_NEW		accepted; the behaviour's start() picks what follows
 *	CS_SCRIPT	the peer plays a script: timed or chunked output
 *			(byte-at-a-time banners, endless continuation lines);
 *			client input waits in the buffer until it ends
 *	CS_COMMAND	one command line at a time goes to the behaviour
 *	CS_DISCARD	input is dropped until the client hangs up
 *	CS_STARTTLS	"220" queued; once flushed, TLS takes over the socket
 *	CS_HANDSHAKE	TLS handshake under way; libevent says when it is done
 *	CS_DRAIN	last reply queued; close once flushed
 *	CS_FREE		tear down when the current callback returns
 *
 * Handlers never free a connection: they move it to CS_FREE and the libevent
 * callback that called them frees it on the way out (conn_reap()), as
 * OpenSMTPD does with MTA_FREE.  Timers pace all slow output, so no
 * behaviour spins, and every output queue and input line is bounded.
 *
 * Logs go to stderr, one line per event: "evil_smtpd: #ID NAME PEER: what".
 * Tests can grep them (EARLY-TALKER, for instance).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1		/* sys/queue.h, getopt_long() */
#endif

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define NBEHAVIOURS	11
#define LINE_MAX_LEN	4096		/* longest command line we accept */
#define READ_HIWAT	(2 * LINE_MAX_LEN) /* stop reading beyond this */
#define OUT_CAP		(64 * 1024)	/* scripts pause while this is queued */
#define HUGE_LEN	(1024 * 1024)	/* the hugeline banner's x's */
#define HUGE_CHUNK	(16 * 1024)

enum conn_state {
	CS_NEW,
	CS_SCRIPT,
	CS_COMMAND,
	CS_DISCARD,
	CS_STARTTLS,
	CS_HANDSHAKE,
	CS_DRAIN,
	CS_FREE,
	CS_COUNT
};

static const char *const state_names[] = {
	[CS_NEW] = "NEW",
	[CS_SCRIPT] = "SCRIPT",
	[CS_COMMAND] = "COMMAND",
	[CS_DISCARD] = "DISCARD",
	[CS_STARTTLS] = "STARTTLS",
	[CS_HANDSHAKE] = "HANDSHAKE",
	[CS_DRAIN] = "DRAIN",
	[CS_FREE] = "FREE",
};
_Static_assert(sizeof(state_names) / sizeof(state_names[0]) == CS_COUNT,
    "state_names[] must name every conn_state");

/*
 * A script is output played over time: each piece is written `step' bytes
 * per write (0: the whole piece at once), pace_ms apart.  A looping script
 * starts over at the end and never finishes.
 */
struct script {
	const char *const	*pieces;	/* NULL-terminated */
	size_t			 step;
	int			 pace_ms;
	int			 loop;
};

struct conn;

/* A hostile peer: what it does on accept, and with each command line. */
struct behaviour {
	const char	*name;		/* NAME in evil-NAME-mx.mailtls.test */
	void		(*start)(struct conn *);	/* NULL: banner, commands */
	void		(*command)(struct conn *, const char *);
	int		 flags;
#define B_EARLY_TALKER	0x01		/* input during the banner is a fault */
};

struct conn {
	LIST_ENTRY(conn)	 entry;
	const struct behaviour	*b;
	struct bufferevent	*bev;
	struct event		*timer;		/* paces scripts */
	evutil_socket_t		 fd;
	int			 fd_owned;	/* 0 once TLS owns the socket */
	int			 tls_up;	/* handshake done */
	enum conn_state		 state;
	unsigned		 id;
	char			 peer[INET6_ADDRSTRLEN + 8];

	const struct script	*script;	/* CS_SCRIPT, timed output */
	size_t			 piece, off;	/* script cursor */
	void			(*done)(struct conn *);
	void			(*fill)(struct conn *); /* CS_SCRIPT, on drain */
	size_t			 huge_left;
};

static LIST_HEAD(, conn) conns = LIST_HEAD_INITIALIZER(conns);
static struct event_base *base;
static SSL_CTX *ssl_ctx;
static struct evconnlistener *listeners[NBEHAVIOURS];
static struct event *resume_ev;		/* re-enables accept after EMFILE */
static unsigned next_id = 1;
static int verbose;

static void conn_input(struct conn *);
static void conn_commands(struct conn *);

/* Logging. */

static void __attribute__((format(printf, 2, 3)))
logc(const struct conn *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "evil_smtpd: #%u %s %s: ", c->id, c->b->name, c->peer);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
log_ssl_errors(const struct conn *c)
{
	unsigned long e;
	char buf[256];

	while ((e = bufferevent_get_openssl_error(c->bev)) != 0) {
		/* libevent queues SSL_get_error()'s code too: lib 0. */
		if (ERR_GET_LIB(e) == 0)
			snprintf(buf, sizeof(buf), "SSL_get_error() %lu", e);
		else
			ERR_error_string_n(e, buf, sizeof(buf));
		logc(c, "TLS: %s", buf);
	}
}

/* Connection state and output. */

/* conn_set_state - the one place a connection changes state. */
static void
conn_set_state(struct conn *c, enum conn_state new)
{
	if (verbose)
		logc(c, "%s -> %s", state_names[c->state], state_names[new]);
	c->state = new;
}

static void
conn_write(struct conn *c, const void *data, size_t len)
{
	if (bufferevent_write(c->bev, data, len) == -1)
		logc(c, "cannot queue %zu bytes", len);
}

static void
conn_puts(struct conn *c, const char *s)
{
	conn_write(c, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
conn_printf(struct conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (evbuffer_add_vprintf(bufferevent_get_output(c->bev), fmt, ap) < 0)
		logc(c, "cannot queue reply");
	va_end(ap);
}

static size_t
conn_queued(const struct conn *c)
{
	return evbuffer_get_length(bufferevent_get_output(c->bev));
}

/* conn_close - mark for teardown; conn_reap() frees it later. */
static void
conn_close(struct conn *c, const char *why)
{
	if (c->state == CS_FREE)
		return;
	logc(c, "close: %s", why);
	evtimer_del(c->timer);
	conn_set_state(c, CS_FREE);
}

/* conn_drain - close once everything queued has reached the socket. */
static void
conn_drain(struct conn *c)
{
	bufferevent_disable(c->bev, EV_READ);
	conn_set_state(c, CS_DRAIN);
	if (conn_queued(c) == 0)
		conn_close(c, "done");
}

static void
conn_free(struct conn *c)
{
	SSL *ssl;

	LIST_REMOVE(c, entry);
	event_free(c->timer);
	if (c->tls_up && (ssl = bufferevent_openssl_get_ssl(c->bev)) != NULL) {
		/* Best effort close_notify; the socket is non-blocking. */
		SSL_shutdown(ssl);
		ERR_clear_error();
	}
	/* The TLS bufferevent closes the socket itself (BEV_OPT_CLOSE_ON_FREE). */
	bufferevent_free(c->bev);
	if (c->fd_owned)
		close(c->fd);
	free(c);
}

/* conn_reap - called last by every callback: act on a CS_FREE mark. */
static void
conn_reap(struct conn *c)
{
	if (c->state == CS_FREE)
		conn_free(c);
}

/* Scripts: output paced by the connection's timer. */

static void
script_tick(struct conn *c)
{
	const struct script *s = c->script;
	const char *piece = s->pieces[c->piece];
	size_t len = strlen(piece), n = len - c->off;
	struct timeval tv = { s->pace_ms / 1000, (s->pace_ms % 1000) * 1000 };

	/* A client that stops reading must not make us queue forever. */
	if (conn_queued(c) < OUT_CAP) {
		if (s->step != 0 && s->step < n)
			n = s->step;
		conn_write(c, piece + c->off, n);
		if ((c->off += n) == len) {
			c->off = 0;
			c->piece++;
		}
		if (s->pieces[c->piece] == NULL) {
			if (!s->loop) {
				c->script = NULL;
				c->done(c);
				return;
			}
			c->piece = 0;
		}
	}
	evtimer_add(c->timer, &tv);
}

/* conn_play - play script s from now on; call done when it ends. */
static void
conn_play(struct conn *c, const struct script *s, void (*done)(struct conn *))
{
	c->script = s;
	c->piece = c->off = 0;
	c->done = done;
	conn_set_state(c, CS_SCRIPT);
	script_tick(c);
}

/* Input. */

/*
 * conn_readline - take one CRLF (or bare LF) terminated line from the input
 * into buf.  Returns 1 with a line, 0 when none is complete yet, -1 when the
 * line is longer than LINE_MAX_LEN.
 */
static int
conn_readline(struct conn *c, char *buf, size_t bufsz)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct evbuffer_ptr eol;
	size_t eol_len;

	eol = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_CRLF);
	if (eol.pos < 0)
		return evbuffer_get_length(in) > LINE_MAX_LEN ? -1 : 0;
	if ((size_t)eol.pos >= bufsz)
		return -1;
	evbuffer_remove(in, buf, (size_t)eol.pos);
	buf[eol.pos] = '\0';
	evbuffer_drain(in, eol_len);
	return 1;
}

/* is_cmd - does line start with verb, as a whole word? */
static int
is_cmd(const char *line, const char *verb)
{
	size_t n = strlen(verb);

	return strncasecmp(line, verb, n) == 0 &&
	    (line[n] == '\0' || line[n] == ' ');
}

static void
early_talker(struct conn *c)
{
	logc(c, "EARLY-TALKER");
	evtimer_del(c->timer);
	c->script = NULL;
	conn_puts(c, "554 5.5.1 EARLY-TALKER\r\n");
	conn_drain(c);
}

static void
conn_input(struct conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	char line[LINE_MAX_LEN + 1];
	int r;

	switch (c->state) {
	case CS_SCRIPT:
		if (c->b->flags & B_EARLY_TALKER && evbuffer_get_length(in) > 0)
			early_talker(c);
		else if (c->script != NULL && c->script->loop)
			evbuffer_drain(in, evbuffer_get_length(in));
		/* Otherwise it waits, bounded by READ_HIWAT, for the end. */
		break;
	case CS_COMMAND:
		/* One line at a time, even if the client pipelines. */
		while (c->state == CS_COMMAND &&
		    (r = conn_readline(c, line, sizeof(line))) != 0) {
			if (r == -1) {
				conn_close(c, "command line too long");
				break;
			}
			if (verbose)
				logc(c, "<<< %s", line);
			c->b->command(c, line);
		}
		break;
	case CS_DISCARD:
	case CS_DRAIN:
		evbuffer_drain(in, evbuffer_get_length(in));
		break;
	case CS_NEW:
	case CS_STARTTLS:
	case CS_HANDSHAKE:
	case CS_FREE:
	case CS_COUNT:
		break;
	}
}

/* conn_commands - start reading commands, beginning with any queued ones. */
static void
conn_commands(struct conn *c)
{
	conn_set_state(c, CS_COMMAND);
	conn_input(c);
}

/* Behaviours. */

static const char *
hostname(const struct conn *c, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "evil-%s-mx.mailtls.test", c->b->name);
	return buf;
}

static void
default_start(struct conn *c)
{
	char host[64];

	conn_printf(c, "220 %s ESMTP\r\n", hostname(c, host, sizeof(host)));
	conn_commands(c);
}

/* plain_command - a small server without STARTTLS, and the fallback. */
static void
plain_command(struct conn *c, const char *line)
{
	char host[64];

	hostname(c, host, sizeof(host));
	if (is_cmd(line, "EHLO"))
		conn_printf(c, "250-%s\r\n250-8BITMIME\r\n250 SIZE 10240000\r\n",
		    host);
	else if (is_cmd(line, "HELO"))
		conn_printf(c, "250 %s\r\n", host);
	else if (is_cmd(line, "NOOP") || is_cmd(line, "RSET"))
		conn_puts(c, "250 2.0.0 OK\r\n");
	else if (is_cmd(line, "STARTTLS"))
		conn_puts(c, "454 4.7.0 TLS not available\r\n");
	else if (is_cmd(line, "QUIT")) {
		conn_puts(c, "221 2.0.0 Bye\r\n");
		conn_drain(c);
	} else
		conn_puts(c, "502 5.5.2 Command not implemented\r\n");
}

/* silent: accept and say nothing, ever. */
static void
silent_start(struct conn *c)
{
	conn_set_state(c, CS_DISCARD);
}

/*
 * hugeline: "220 ", 1 MiB of 'x', CRLF.  The x's are queued HUGE_CHUNK at a
 * time from the write callback, so a client that stops reading holds at
 * most one chunk in our buffer.
 */
static void
hugeline_fill(struct conn *c)
{
	static char xs[HUGE_CHUNK];
	size_t n = c->huge_left < sizeof(xs) ? c->huge_left : sizeof(xs);

	if (c->huge_left == 0) {
		c->fill = NULL;
		conn_puts(c, "\r\n");
		conn_commands(c);
		return;
	}
	if (xs[0] != 'x')
		memset(xs, 'x', sizeof(xs));
	conn_write(c, xs, n);
	c->huge_left -= n;
}

static void
hugeline_start(struct conn *c)
{
	conn_set_state(c, CS_SCRIPT);
	c->huge_left = HUGE_LEN;
	c->fill = hugeline_fill;
	conn_puts(c, "220 ");
}

/* endless: a banner that never ends, one continuation line per 50 ms. */
static const char *const endless_lines[] = {
	"220-evil-endless-mx.mailtls.test still going\r\n", NULL
};
static const struct script endless_script = { endless_lines, 0, 50, 1 };

static void
endless_start(struct conn *c)
{
	conn_play(c, &endless_script, NULL);
}

/*
 * inject: answers STARTTLS with "220" and a second reply in the same write.
 * A client that does not discard what it read before the handshake takes
 * the "250 injected" for a reply protected by TLS (RFC 3207 section 4.2,
 * CVE-2011-0411).  A client that notices hangs up; we wait for that.
 */
static void
inject_command(struct conn *c, const char *line)
{
	if (is_cmd(line, "EHLO"))
		conn_puts(c, "250-evil-inject-mx.mailtls.test\r\n"
		    "250-PIPELINING\r\n250 STARTTLS\r\n");
	else if (is_cmd(line, "STARTTLS")) {
		conn_puts(c, "220 2.0.0 ready\r\n250 injected\r\n");
		conn_set_state(c, CS_DISCARD);
	} else
		plain_command(c, line);
}

/* tempfail: 421 instead of a banner, then close. */
static void
tempfail_start(struct conn *c)
{
	conn_puts(c, "421 4.3.2 try again later\r\n");
	conn_drain(c);
}

/*
 * split: replies arrive in many segments (TCP_NODELAY is set on every
 * socket, so each write is its own segment), which breaks a reader that
 * takes one recv() for one reply.  Then a real STARTTLS, and after it an
 * EHLO reply in a single write.
 */
static const char *const split_banner[] = {
	"220-evil-split-mx.mailtls.test ESMTP\r\n"
	"220-second line\r\n"
	"220 third line\r\n", NULL
};
static const struct script split_banner_script = { split_banner, 1, 2, 0 };

static const char *const split_ehlo[] = {
	"250",
	"-evil-split-mx.mailtls.test\r",	/* cut between CR and LF */
	"\n250-SIZE 1024",
	"0000\r\n250-8BITMIME\r\n250-STA",
	"RTTLS\r\n250 SMTP",
	"UTF8\r\n",
	NULL
};
static const struct script split_ehlo_script = { split_ehlo, 0, 2, 0 };

static void
split_start(struct conn *c)
{
	conn_play(c, &split_banner_script, conn_commands);
}

static void
split_command(struct conn *c, const char *line)
{
	if (is_cmd(line, "EHLO") && !c->tls_up)
		conn_play(c, &split_ehlo_script, conn_commands);
	else if (is_cmd(line, "EHLO"))
		conn_puts(c, "250-evil-split-mx.mailtls.test\r\n"
		    "250-SIZE 10240000\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n");
	else if (is_cmd(line, "STARTTLS") && c->tls_up)
		conn_puts(c, "503 5.5.1 TLS already active\r\n");
	else if (is_cmd(line, "STARTTLS")) {
		/* Read nothing more in the clear: see conn_start_tls(). */
		bufferevent_disable(c->bev, EV_READ);
		conn_puts(c, "220 2.0.0 Ready to start TLS\r\n");
		conn_set_state(c, CS_STARTTLS);
	} else
		plain_command(c, line);
}

/* noehlo: an RFC 821 server; EHLO is refused, HELO works. */
static void
noehlo_start(struct conn *c)
{
	conn_puts(c, "220 evil-noehlo-mx.mailtls.test SMTP ready\r\n");
	conn_commands(c);
}

static void
noehlo_command(struct conn *c, const char *line)
{
	if (is_cmd(line, "EHLO"))
		conn_puts(c, "502 5.5.2 EHLO not implemented\r\n");
	else if (is_cmd(line, "HELO") || is_cmd(line, "QUIT"))
		plain_command(c, line);
	else
		conn_puts(c, "502 5.5.2 Command not implemented\r\n");
}

/* reset: a TCP RST in answer to EHLO (SO_LINGER 0, then close). */
static void
reset_command(struct conn *c, const char *line)
{
	struct linger l = { 1, 0 };

	if (!is_cmd(line, "EHLO")) {
		plain_command(c, line);
		return;
	}
	if (setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) == -1)
		logc(c, "SO_LINGER: %s", strerror(errno));
	conn_close(c, "reset on EHLO");
}

/* markup: text meant to break whoever shows it unescaped. */
static void
markup_start(struct conn *c)
{
	conn_puts(c, "220 evil-markup-mx <script>alert(1)</script> "
	    "\x1b[31mred\x1b[0m \x01\x7f ESMTP\r\n");
	conn_commands(c);
}

static void
markup_command(struct conn *c, const char *line)
{
	/* Written with its length: it holds a NUL byte. */
	static const char ehlo[] =
	    "250-evil-markup-mx <script>alert(1)</script> greets you\r\n"
	    "250-X-HTML <img src=x onerror=alert(2)> &lt;b&gt; \"q\" 'q'\r\n"
	    "250-X-ANSI \x1b[31mred\x1b[0m \x1b[2J\x1b]0;owned\x07 title\r\n"
	    "250-X-CTRL \x01\x02\x08\x7f tab\there nul\0after \xff\xfe utf8\r\n"
	    "250 8BITMIME\r\n";

	if (is_cmd(line, "EHLO"))
		conn_write(c, ehlo, sizeof(ehlo) - 1);
	else
		plain_command(c, line);	/* STARTTLS: 454 */
}

/*
 * drip: one byte of banner per second, forever.  Every line is valid SMTP
 * and short, so only a deadline on the whole reply stops a client.
 */
static const char *const drip_lines[] = {
	"220-evil-drip-mx.mailtls.test drip\r\n", NULL
};
static const struct script drip_script = { drip_lines, 1, 1000, 1 };

static void
drip_start(struct conn *c)
{
	conn_play(c, &drip_script, NULL);
}

/*
 * early: a banner with a 2 s pause in it.  An SMTP client must wait for
 * the whole greeting (RFC 5321 section 3.1); spam bots that do not are
 * "early talkers" (Postfix postscreen's PREGREET test).
 */
static const char *const early_banner[] = {
	"220-evil-early-mx.mailtls.test\r\n",
	"220 ready\r\n",
	NULL
};
static const struct script early_script = { early_banner, 0, 2000, 0 };

static void
early_start(struct conn *c)
{
	conn_play(c, &early_script, conn_commands);
}

/* Address BASE.N plays behaviours[N - 1]. */
static const struct behaviour behaviours[] = {
	{ "silent",	silent_start,	plain_command,	0 },
	{ "hugeline",	hugeline_start,	plain_command,	0 },
	{ "endless",	endless_start,	plain_command,	0 },
	{ "inject",	NULL,		inject_command,	0 },
	{ "tempfail",	tempfail_start,	plain_command,	0 },
	{ "split",	split_start,	split_command,	0 },
	{ "noehlo",	noehlo_start,	noehlo_command,	0 },
	{ "reset",	NULL,		reset_command,	0 },
	{ "markup",	markup_start,	markup_command,	0 },
	{ "drip",	drip_start,	plain_command,	0 },
	{ "early",	early_start,	plain_command,	B_EARLY_TALKER },
};
_Static_assert(sizeof(behaviours) / sizeof(behaviours[0]) == NBEHAVIOURS,
    "one behaviour per address");

/* libevent callbacks. */

static void conn_read_cb(struct bufferevent *, void *);
static void conn_write_cb(struct bufferevent *, void *);
static void conn_event_cb(struct bufferevent *, short, void *);

static void
conn_setup_bev(struct conn *c)
{
	bufferevent_setcb(c->bev, conn_read_cb, conn_write_cb, conn_event_cb, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, READ_HIWAT);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

/*
 * conn_start_tls - the "220" has been flushed: run TLS on the socket.
 * Whatever the client sent after STARTTLS in the clear is dropped, as
 * RFC 3207 section 4.2 requires.  The plain bufferevent does not own the
 * socket; the TLS one takes it over, and the SSL, and closes both.
 */
static void
conn_start_tls(struct conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct bufferevent *tls;
	SSL *ssl;

	if (evbuffer_get_length(in) > 0)
		logc(c, "dropping %zu bytes sent with STARTTLS",
		    evbuffer_get_length(in));
	if ((ssl = SSL_new(ssl_ctx)) == NULL) {
		conn_close(c, "SSL_new failed");
		return;
	}
	tls = bufferevent_openssl_socket_new(base, c->fd, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (tls == NULL) {
		SSL_free(ssl);
		conn_close(c, "cannot start TLS");
		return;
	}
	/* Freeing a bufferevent from its own callback is safe in libevent. */
	bufferevent_free(c->bev);
	c->bev = tls;
	c->fd_owned = 0;
	conn_setup_bev(c);
	conn_set_state(c, CS_HANDSHAKE);
}

static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	conn_input(c);
	conn_reap(c);
}

static void
conn_write_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	switch (c->state) {
	case CS_DRAIN:
		conn_close(c, "done");
		break;
	case CS_STARTTLS:
		conn_start_tls(c);
		break;
	case CS_SCRIPT:
		if (c->fill != NULL)
			c->fill(c);
		break;
	default:
		break;
	}
	conn_reap(c);
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	SSL *ssl;
	int err;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		ssl = bufferevent_openssl_get_ssl(c->bev);
		c->tls_up = 1;
		logc(c, "TLS up: %s %s", SSL_get_version(ssl),
		    SSL_get_cipher_name(ssl));
		conn_commands(c);
	} else if (what & BEV_EVENT_ERROR) {
		err = EVUTIL_SOCKET_ERROR();
		if (c->fd_owned)
			conn_close(c, evutil_socket_error_to_string(err));
		else {
			/* Also a client leaving without close_notify. */
			log_ssl_errors(c);
			conn_close(c, "TLS error");
		}
	} else if (what & BEV_EVENT_EOF)
		conn_close(c, "client closed");
	conn_reap(c);
}

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	if (c->state == CS_SCRIPT && c->script != NULL)
		script_tick(c);
	conn_reap(c);
}

/* Accepting. */

static void
format_peer(const struct sockaddr *sa, char *buf, size_t bufsz)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	char addr[INET_ADDRSTRLEN];

	if (sa->sa_family != AF_INET ||
	    inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr)) == NULL) {
		snprintf(buf, bufsz, "?");
		return;
	}
	snprintf(buf, bufsz, "%s:%u", addr, ntohs(sin->sin_port));
}

static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	const struct behaviour *b = arg;
	struct conn *c;
	int one = 1;

	(void)l;
	(void)salen;
	/* Each write its own segment: "split" depends on it. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->timer = evtimer_new(base, timer_cb, c)) == NULL ||
	    (c->bev = bufferevent_socket_new(base, fd, 0)) == NULL) {
		fprintf(stderr, "evil_smtpd: %s: out of memory\n", b->name);
		if (c != NULL && c->timer != NULL)
			event_free(c->timer);
		free(c);
		close(fd);
		return;
	}
	c->b = b;
	c->fd = fd;
	c->fd_owned = 1;
	c->id = next_id++;
	c->state = CS_NEW;
	format_peer(sa, c->peer, sizeof(c->peer));
	LIST_INSERT_HEAD(&conns, c, entry);
	conn_setup_bev(c);
	logc(c, "connected");
	if (b->start != NULL)
		b->start(c);
	else
		default_start(c);
	conn_reap(c);
}

static void
resume_cb(evutil_socket_t fd, short what, void *arg)
{
	size_t i;

	(void)fd;
	(void)what;
	(void)arg;
	for (i = 0; i < NBEHAVIOURS; i++)
		evconnlistener_enable(listeners[i]);
}

/*
 * accept_error_cb - accept() failed.  Out of descriptors, the listening
 * socket stays readable and libevent would call us again at once: pause
 * accepting for a second instead of spinning.
 */
static void
accept_error_cb(struct evconnlistener *l, void *arg)
{
	const struct behaviour *b = arg;
	int err = EVUTIL_SOCKET_ERROR();
	struct timeval tv = { 1, 0 };
	size_t i;

	(void)l;
	fprintf(stderr, "evil_smtpd: %s: accept: %s\n", b->name,
	    evutil_socket_error_to_string(err));
	if (err != EMFILE && err != ENFILE && err != ENOBUFS && err != ENOMEM)
		return;
	for (i = 0; i < NBEHAVIOURS; i++)
		evconnlistener_disable(listeners[i]);
	evtimer_add(resume_ev, &tv);
}

/* Setup; only main() exits. */

static int
listen_on(size_t i, const char *bind_base, int port)
{
	struct sockaddr_in sin;
	char addr[64];
	evutil_socket_t fd;
	int one = 1;

	snprintf(addr, sizeof(addr), "%s.%zu", bind_base, i + 1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "evil_smtpd: bad address %s\n", addr);
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    evutil_make_socket_nonblocking(fd) == -1) {
		fprintf(stderr, "evil_smtpd: cannot bind %s:%d (%s): %s\n",
		    addr, port, behaviours[i].name, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	listeners[i] = evconnlistener_new(base, accept_cb,
	    (void *)&behaviours[i], LEV_OPT_CLOSE_ON_FREE, 128, fd);
	if (listeners[i] == NULL) {
		fprintf(stderr, "evil_smtpd: cannot listen on %s:%d: %s\n",
		    addr, port, strerror(errno));
		close(fd);
		return -1;
	}
	evconnlistener_set_error_cb(listeners[i], accept_error_cb);
	return 0;
}

static int
tls_setup(const char *cert, const char *key)
{
	char buf[256];

	if ((ssl_ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
	    SSL_CTX_use_certificate_chain_file(ssl_ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ssl_ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ssl_ctx) != 1) {
		ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
		fprintf(stderr, "evil_smtpd: TLS setup (%s, %s): %s\n",
		    cert, key, buf);
		return -1;
	}
	return 0;
}

/* write_pidfile - atomically, so a reader never sees a partial file. */
static int
write_pidfile(const char *path)
{
	char tmp[4096];
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fp = fopen(tmp, "w")) == NULL ||
	    fprintf(fp, "%ld\n", (long)getpid()) < 0 || fclose(fp) != 0 ||
	    rename(tmp, path) == -1) {
		fprintf(stderr, "evil_smtpd: pidfile %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	fprintf(stderr, "evil_smtpd: signal %d, exiting\n", (int)sig);
	event_base_loopexit(base, NULL);
}

static void
usage(void)
{
	fprintf(stderr, "usage: evil_smtpd --port N --cert FILE --key FILE "
	    "[--pidfile FILE] [--bind-base 127.0.2] [--verbose]\n");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "port",	required_argument,	NULL, 'p' },
		{ "cert",	required_argument,	NULL, 'c' },
		{ "key",	required_argument,	NULL, 'k' },
		{ "pidfile",	required_argument,	NULL, 'P' },
		{ "bind-base",	required_argument,	NULL, 'b' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 }
	};
	const char *cert = NULL, *key = NULL, *pidfile = NULL;
	const char *bind_base = "127.0.2";
	struct event *sigterm, *sigint;
	struct conn *c;
	char *end;
	long port = 0;
	int ch, rc = 1;
	size_t i;

	while ((ch = getopt_long(argc, argv, "p:c:k:P:b:vh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || port < 1 ||
			    port > 65535) {
				fprintf(stderr, "evil_smtpd: bad port %s\n",
				    optarg);
				return 1;
			}
			break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 'P': pidfile = optarg; break;
		case 'b': bind_base = optarg; break;
		case 'v': verbose = 1; break;
		case 'h': usage(); return 0;
		default: usage(); return 1;
		}
	}
	if (optind != argc || port == 0 || cert == NULL || key == NULL) {
		usage();
		return 1;
	}

	/* A client that hangs up must cost us an EPIPE, not our life. */
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stderr, NULL, _IOLBF, 0);

	if ((base = event_base_new()) == NULL) {
		fprintf(stderr, "evil_smtpd: event_base_new failed\n");
		return 1;
	}
	sigterm = evsignal_new(base, SIGTERM, signal_cb, NULL);
	sigint = evsignal_new(base, SIGINT, signal_cb, NULL);
	resume_ev = evtimer_new(base, resume_cb, NULL);
	if (sigterm == NULL || sigint == NULL || resume_ev == NULL ||
	    evsignal_add(sigterm, NULL) == -1 ||
	    evsignal_add(sigint, NULL) == -1) {
		fprintf(stderr, "evil_smtpd: cannot set up events\n");
		goto out;
	}
	if (tls_setup(cert, key) == -1)
		goto out;
	for (i = 0; i < NBEHAVIOURS; i++)
		if (listen_on(i, bind_base, (int)port) == -1)
			goto out;
	/* Last: a pidfile means every address is listening. */
	if (pidfile != NULL && write_pidfile(pidfile) == -1)
		goto out;
	fprintf(stderr, "evil_smtpd: listening on %s.1-%d port %ld\n",
	    bind_base, NBEHAVIOURS, port);

	event_base_dispatch(base);
	rc = 0;
	if (pidfile != NULL)
		unlink(pidfile);

out:
	while ((c = LIST_FIRST(&conns)) != NULL)
		conn_free(c);
	for (i = 0; i < NBEHAVIOURS; i++)
		if (listeners[i] != NULL)
			evconnlistener_free(listeners[i]);
	if (sigterm != NULL)
		event_free(sigterm);
	if (sigint != NULL)
		event_free(sigint);
	if (resume_ev != NULL)
		event_free(resume_ev);
	SSL_CTX_free(ssl_ctx);
	event_base_free(base);
	return rc;
}
