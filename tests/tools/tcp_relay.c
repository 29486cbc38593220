/*
 * tcp_relay.c - a TCP relay that counts connections and can add delay:
 * what the politeness tests and the scan benchmark put between mailtls and
 * real servers.
 *
 *	tcp_relay [--rtt MS] [--log FILE] [--pidfile FILE]
 *	    LISTEN_ADDR:PORT=TARGET_ADDR:PORT ...
 *
 * Each pair is one listener: every connection accepted on LISTEN is
 * relayed, bytes untouched, to a new connection to TARGET (IPv6 in
 * brackets: [::1]:2627).  Two uses:
 *
 *   - Counting, at the server's side, what a scanner does to one address:
 *     the log has one line per accepted and per closed connection, with a
 *     monotonic time in microseconds and how many connections that
 *     listener has open at that moment:
 *
 *	T_US open LISTEN ID ACTIVE
 *	T_US close LISTEN ID ACTIVE
 *
 *     and at exit (SIGTERM, SIGINT) one summary line per listener:
 *
 *	summary LISTEN connections N max_active M
 *
 *     "close" is logged when the relay has closed both sides, i.e. after
 *     the client's close was seen: the counts can only overstate what the
 *     client had open, never understate it.
 *
 *   - Round-trip delay on loopback (this kernel has no netem): with
 *     --rtt MS every chunk of data waits MS/2 in each direction, and the
 *     connection to TARGET is made MS after the accept, so a client sees
 *     its TCP connect plus banner take 1.5 RTT as it would across a real
 *     path.  Chunks keep their order (one FIFO and one timer per
 *     direction).
 *
 * One libevent loop, bufferevents on both sides.  A side that closes (EOF
 * or error) ends the relay once what it sent has been passed on.  Each
 * direction holds at most RELAY_MAX_QUEUED bytes in flight; above that
 * the source is no longer read until the queue drains.  A test tool: never
 * installed.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#define RELAY_MAX_QUEUED (1024 * 1024)
#define RELAY_MAX_LISTENERS 4096

struct listener {
	char			 name[64];	/* LISTEN as given */
	struct sockaddr_storage	 target;
	socklen_t		 target_len;
	struct evconnlistener	*lev;
	unsigned		 active;
	unsigned		 max_active;
	uint64_t		 connections;
};

struct chunk {
	uint64_t		 due_us;
	struct evbuffer		*data;
	struct chunk		*next;
};

/* One direction of a relay: bytes read from `from` go out on `to`. */
struct pipe {
	struct relay		*r;
	struct bufferevent	*from, *to;
	struct chunk		*head, *tail;
	size_t			 queued;
	struct event		*timer;
	int			 eof;		/* from has closed */
};

struct relay {
	struct listener		*l;
	uint64_t		 id;
	struct bufferevent	*client, *server;
	struct event		*connect_timer;
	int			 connected;	/* server side is up */
	int			 closing;
	struct pipe		 up;		/* client -> server */
	struct pipe		 down;		/* server -> client */
};

static struct event_base *base;
static FILE *log_file;
static unsigned rtt_ms;
static struct listener *listeners;
static size_t n_listeners;
static uint64_t next_id;

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void
log_event(const char *what, const struct relay *r)
{
	if (log_file == NULL)
		return;
	fprintf(log_file, "%llu %s %s %llu %u\n", (unsigned long long)now_us(),
	    what, r->l->name, (unsigned long long)r->id, r->l->active);
	fflush(log_file);
}

static void pipe_flush(struct pipe *p);

static void
pipe_clear(struct pipe *p)
{
	struct chunk *c;

	while ((c = p->head) != NULL) {
		p->head = c->next;
		evbuffer_free(c->data);
		free(c);
	}
	p->tail = NULL;
	p->queued = 0;
	if (p->timer != NULL)
		event_free(p->timer);
	p->timer = NULL;
}

static void
relay_free(struct relay *r)
{
	pipe_clear(&r->up);
	pipe_clear(&r->down);
	if (r->connect_timer != NULL)
		event_free(r->connect_timer);
	if (r->client != NULL)
		bufferevent_free(r->client);
	if (r->server != NULL)
		bufferevent_free(r->server);
	r->l->active--;
	log_event("close", r);
	free(r);
}

/*
 * relay_check_end - a side has closed: once what it sent has gone out
 * (queue empty, output buffer written), end both.
 */
static void
relay_check_end(struct relay *r)
{
	struct pipe *p[2] = { &r->up, &r->down };
	int i;

	if (!r->up.eof && !r->down.eof && !r->closing)
		return;
	for (i = 0; i < 2; i++) {
		if (!p[i]->eof)
			continue;
		if (p[i]->head != NULL)
			return;
		if (p[i]->to != NULL &&
		    evbuffer_get_length(bufferevent_get_output(p[i]->to)) > 0)
			return;
	}
	relay_free(r);
}

static void
on_pipe_timer(evutil_socket_t fd, short what, void *arg)
{
	struct pipe *p = arg;

	(void)fd;
	(void)what;
	pipe_flush(p);
	relay_check_end(p->r);
}

/* pipe_flush - pass on every chunk that is due; arm the timer for the next. */
static void
pipe_flush(struct pipe *p)
{
	uint64_t now = now_us();
	struct chunk *c;

	if (p->to == NULL || (p == &p->r->up && !p->r->connected))
		return;
	while ((c = p->head) != NULL && c->due_us <= now) {
		p->head = c->next;
		if (p->head == NULL)
			p->tail = NULL;
		p->queued -= evbuffer_get_length(c->data);
		bufferevent_write_buffer(p->to, c->data);
		evbuffer_free(c->data);
		free(c);
	}
	if (p->queued < RELAY_MAX_QUEUED && !p->eof)
		bufferevent_enable(p->from, EV_READ);
	if (c != NULL) {
		uint64_t wait = c->due_us - now;
		struct timeval tv = { (time_t)(wait / 1000000),
		    (suseconds_t)(wait % 1000000) };

		evtimer_add(p->timer, &tv);
	}
}

/* on_read - queue what arrived; -1 if the relay was freed (out of memory). */
static int
relay_read(struct bufferevent *bev, struct relay *r)
{
	struct pipe *p = bev == r->client ? &r->up : &r->down;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct chunk *c;

	if (evbuffer_get_length(in) == 0)
		return 0;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->data = evbuffer_new()) == NULL) {
		free(c);
		relay_free(r);
		return -1;
	}
	c->due_us = now_us() + (uint64_t)rtt_ms * 500;
	p->queued += evbuffer_get_length(in);
	evbuffer_add_buffer(c->data, in);
	if (p->tail != NULL)
		p->tail->next = c;
	else
		p->head = c;
	p->tail = c;
	if (p->queued >= RELAY_MAX_QUEUED)
		bufferevent_disable(bev, EV_READ);
	if (!evtimer_pending(p->timer, NULL))
		pipe_flush(p);
	return 0;
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	relay_read(bev, arg);
}

static void
on_write(struct bufferevent *bev, void *arg)
{
	(void)bev;
	relay_check_end(arg);
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct relay *r = arg;
	struct pipe *p = bev == r->client ? &r->up : &r->down;

	if (what & BEV_EVENT_CONNECTED) {
		r->connected = 1;
		pipe_flush(&r->up);
		return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		/* Read what is left, then pass it on before closing. */
		if (relay_read(bev, r) == -1)
			return;
		p->eof = 1;
		bufferevent_disable(bev, EV_READ);
		if (bev == r->server && !r->connected) {
			/* The target refused: nothing to pass on. */
			r->closing = 1;
			relay_free(r);
			return;
		}
		relay_check_end(r);
	}
}

static void
on_connect_timer(evutil_socket_t fd, short what, void *arg)
{
	struct relay *r = arg;

	(void)fd;
	(void)what;
	if (bufferevent_socket_connect(r->server,
	    (struct sockaddr *)&r->l->target, (int)r->l->target_len) == -1) {
		r->closing = 1;
		relay_free(r);
	}
}

static void
on_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct listener *l = arg;
	struct relay *r;
	struct timeval tv = { (time_t)(rtt_ms / 1000),
	    (suseconds_t)(rtt_ms % 1000) * 1000 };

	(void)lev;
	(void)sa;
	(void)salen;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	r->l = l;
	r->id = ++next_id;
	l->active++;
	l->connections++;
	if (l->active > l->max_active)
		l->max_active = l->active;
	log_event("open", r);
	r->client = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	r->server = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	r->up.r = r->down.r = r;
	r->up.from = r->down.to = r->client;
	r->up.to = r->down.from = r->server;
	r->up.timer = evtimer_new(base, on_pipe_timer, &r->up);
	r->down.timer = evtimer_new(base, on_pipe_timer, &r->down);
	r->connect_timer = evtimer_new(base, on_connect_timer, r);
	if (r->client == NULL || r->server == NULL || r->up.timer == NULL ||
	    r->down.timer == NULL || r->connect_timer == NULL) {
		if (r->client == NULL)
			evutil_closesocket(fd);
		relay_free(r);
		return;
	}
	bufferevent_setcb(r->client, on_read, on_write, on_event, r);
	bufferevent_setcb(r->server, on_read, on_write, on_event, r);
	bufferevent_enable(r->client, EV_READ | EV_WRITE);
	bufferevent_enable(r->server, EV_READ | EV_WRITE);
	evtimer_add(r->connect_timer, &tv);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	(void)arg;
	event_base_loopbreak(base);
}

/* parse_addr - "A.B.C.D:PORT" or "[V6]:PORT" into ss. */
static int
parse_addr(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon, *h = text;
	size_t hl;
	long port;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if ((colon = strrchr(text, ':')) == NULL)
		return -1;
	hl = (size_t)(colon - text);
	if (text[0] == '[') {
		if (hl < 2 || text[hl - 1] != ']')
			return -1;
		h = text + 1;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port <= 0 || port > 65535)
		return -1;
	if (text[0] == '[') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			return -1;
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			return -1;
		*len = sizeof(*s4);
	}
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: tcp_relay [--rtt MS] [--log FILE] "
	    "[--pidfile FILE] LISTEN:PORT=TARGET:PORT ...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rtt", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pidfile = NULL;
	struct event *sigterm, *sigint;
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			rtt_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'l':
			if ((log_file = fopen(optarg, "a")) == NULL) {
				fprintf(stderr, "tcp_relay: %s: %s\n", optarg,
				    strerror(errno));
				return 1;
			}
			break;
		case 'p':
			pidfile = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || argc - optind > RELAY_MAX_LISTENERS)
		usage();
	signal(SIGPIPE, SIG_IGN);
	if ((base = event_base_new()) == NULL)
		return 1;
	n_listeners = (size_t)(argc - optind);
	if ((listeners = calloc(n_listeners, sizeof(*listeners))) == NULL)
		return 1;
	for (i = 0; i < n_listeners; i++) {
		struct listener *l = &listeners[i];
		char *spec = argv[optind + (int)i], *eq = strchr(spec, '=');
		struct sockaddr_storage ls;
		socklen_t ll;

		if (eq == NULL || (size_t)(eq - spec) >= sizeof(l->name))
			usage();
		*eq = '\0';
		snprintf(l->name, sizeof(l->name), "%s", spec);
		if (parse_addr(spec, &ls, &ll) == -1 ||
		    parse_addr(eq + 1, &l->target, &l->target_len) == -1) {
			fprintf(stderr, "tcp_relay: bad address in %s=%s\n",
			    spec, eq + 1);
			return 2;
		}
		l->lev = evconnlistener_new_bind(base, on_accept, l,
		    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 4096,
		    (struct sockaddr *)&ls, (int)ll);
		if (l->lev == NULL) {
			fprintf(stderr, "tcp_relay: cannot listen on %s: %s\n",
			    spec, strerror(errno));
			return 1;
		}
	}
	sigterm = evsignal_new(base, SIGTERM, on_signal, NULL);
	sigint = evsignal_new(base, SIGINT, on_signal, NULL);
	if (sigterm == NULL || sigint == NULL)
		return 1;
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	/* The pid file is written once every listener is bound: "ready". */
	if (pidfile != NULL) {
		FILE *f = fopen(pidfile, "w");

		if (f == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0 ||
		    fclose(f) != 0) {
			fprintf(stderr, "tcp_relay: %s: %s\n", pidfile,
			    strerror(errno));
			return 1;
		}
	}
	event_base_dispatch(base);
	for (i = 0; i < n_listeners; i++) {
		if (log_file != NULL)
			fprintf(log_file, "summary %s connections %llu max_active %u\n",
			    listeners[i].name,
			    (unsigned long long)listeners[i].connections,
			    listeners[i].max_active);
		evconnlistener_free(listeners[i].lev);
	}
	if (log_file != NULL)
		fclose(log_file);
	event_free(sigterm);
	event_free(sigint);
	free(listeners);
	event_base_free(base);
	return 0;
}
