/*
 * smtp_session.h - one SMTP conversation with one server address, as a
 * sending MTA would have it, up to and through STARTTLS (RFC 5321, RFC 3207).
 *
 *   connect -> banner (220) -> EHLO (HELO if refused) -> STARTTLS -> TLS
 *   handshake -> EHLO again -> QUIT
 *
 * The session is a state machine on the caller's libevent base.  It never
 * blocks, never sends before a complete reply has arrived (Sendmail's
 * greet_pause rejects early talkers), and every step has a deadline for the
 * whole step, not an idle timer: a server that drips one byte a second still
 * fails on time.  Reply size is bounded by smtp_reply_limits.
 *
 * Observation only: the session records what happened in caller-owned
 * struct smtp_facts and struct tls_facts and does not judge it.
 *
 * Ownership: smtp_session_start() returns a session the loop owns; done_cb
 * runs exactly once, from the event loop, after the session has released
 * its sockets, and the session is gone when it runs.  smtp_session_cancel()
 * stops it without running done_cb.
 */
#ifndef MAILTLS_SMTP_SESSION_H
#define MAILTLS_SMTP_SESSION_H

#include <stdint.h>

#include "smtp/smtp_ehlo.h"
#include "smtp/smtp_reply.h"
#include "tls/tls_client.h"
#include "util/netaddr.h"
#include "util/strvec.h"

struct event_base;
struct ssl_ctx_st;

struct smtp_params {
	struct netaddr		 addr;
	uint16_t		 port;
	const char		*ehlo_name;	/* our name in EHLO/HELO */
	const char		*server_name;	/* MX host: SNI, name checks */
	unsigned		 connect_timeout_ms;
	unsigned		 reply_timeout_ms;	/* per reply, whole reply */
	unsigned		 tls_timeout_ms;	/* whole handshake */
	struct smtp_reply_limits limits;
	struct ssl_ctx_st	*tls_ctx;
	/*
	 * handoff: when set, the session does not start TLS itself.  After a
	 * clean 220 to STARTTLS it passes the connected socket to handoff(),
	 * which owns (and must close) it from then on, and the session ends
	 * with SMTP_STATUS_HANDED_OFF.  The probe engine uses this to send
	 * its own ClientHellos.  tls_ctx is then unused.
	 */
	void			(*handoff)(void *arg, int fd);
	void			*handoff_arg;
};

enum smtp_stage {
	SMTP_STAGE_CONNECT,
	SMTP_STAGE_BANNER,
	SMTP_STAGE_EHLO,
	SMTP_STAGE_HELO,
	SMTP_STAGE_STARTTLS,
	SMTP_STAGE_TLS,
	SMTP_STAGE_EHLO_TLS,
	SMTP_STAGE_QUIT,
	SMTP_STAGE_DONE,
	SMTP_STAGE_COUNT
};

/*
 * How the session ended.  The first six are conclusions about the server;
 * the rest are inconclusive: another attempt later may well succeed, and
 * none of them means "no STARTTLS".
 */
enum smtp_status {
	SMTP_STATUS_TLS_OK,		/* STARTTLS and a TLS handshake completed */
	SMTP_STATUS_HANDED_OFF,		/* STARTTLS accepted, socket given to handoff */
	SMTP_STATUS_NO_STARTTLS,	/* EHLO/HELO worked; STARTTLS not offered */
	SMTP_STATUS_STARTTLS_REFUSED,	/* offered, then STARTTLS got 4xx/5xx */
	SMTP_STATUS_TLS_FAILED,		/* STARTTLS accepted, handshake failed */
	SMTP_STATUS_PROTOCOL_ERROR,	/* broke SMTP: see error */
	SMTP_STATUS_TEMPFAIL,		/* 4xx (e.g. 421), or connection reset/closed */
	SMTP_STATUS_REFUSED,		/* 5xx before STARTTLS could be tried */
	SMTP_STATUS_TIMEOUT,		/* a step's deadline passed */
	SMTP_STATUS_UNREACHABLE,	/* TCP connection failed */
	SMTP_STATUS_NOT_TESTED,		/* not attempted (e.g. reserved address) */
	SMTP_STATUS_COUNT
};

struct smtp_facts {
	enum smtp_status status;
	enum smtp_stage	 stage;		/* the step the session ended in */
	char		*error;		/* what went wrong, one sanitised line */
	int		 banner_code;
	struct strvec	 banner;	/* lines, sanitised */
	int		 ehlo_code;
	int		 used_helo;	/* EHLO refused, HELO accepted */
	struct smtp_ehlo ehlo;
	int		 starttls_code;
	char		*starttls_reply;
	size_t		 injected_bytes;	/* sent after the 220 to STARTTLS */
	int		 ehlo_tls_code;
	struct smtp_ehlo ehlo_tls;	/* the EHLO reply inside TLS */
	unsigned	 elapsed_ms;
};

typedef void smtp_done_cb(void *arg);

/*
 * smtp_session_start - connect to p->addr and run the conversation,
 * recording into sf and tf (zeroed by the caller; they must stay valid until
 * done_cb).  p's strings must stay valid as long too.  Returns NULL, with
 * sf->status set and done_cb not to be expected, if the session could not
 * even be started (out of memory, no socket).
 */
struct smtp_session *smtp_session_start(struct event_base *base,
    const struct smtp_params *p, struct smtp_facts *sf, struct tls_facts *tf,
    smtp_done_cb *done_cb, void *arg);

/* smtp_session_cancel - stop now; done_cb will not run. */
void smtp_session_cancel(struct smtp_session *s);

/* smtp_facts_free - free what the session stored in sf. */
void smtp_facts_free(struct smtp_facts *sf);

const char *smtp_stage_name(enum smtp_stage st);	/* "banner", ... */
const char *smtp_status_name(enum smtp_status st);	/* "no-starttls", ... */

/* smtp_status_conclusive - 1 for the statuses that are facts about the server. */
int smtp_status_conclusive(enum smtp_status st);

#endif
