/*
 * probe.h - enumerate what one SMTP server's TLS accepts: protocol
 * versions from SSLv2 to TLS 1.3, every cipher suite per version, the
 * server's own preference order, the (EC)DH groups, and protocol facts
 * (secure renegotiation, compression, extended master secret, OCSP
 * stapling, TLS_FALLBACK_SCSV).
 *
 * Every attempt is a fresh SMTP session (banner, EHLO, STARTTLS, via
 * smtp_session's handoff) followed by one of our own ClientHellos
 * (tls_hello.h); the server's clear-text answer is parsed (tls_parse.h)
 * and the connection closed.  Attempts to one server run one at a time,
 * with a gap between them; a server that starts refusing (421, resets)
 * is given time (exponential backoff) instead of being recorded as "not
 * supported".  Suites are found with as few connections as possible:
 * offer every candidate, remove the one the server picks, repeat.
 *
 * The engine records facts only (struct probe_result); findings and
 * grades are derived elsewhere.
 *
 * Ownership: probe_start() returns a handle the loop owns; done_cb runs
 * once from the event loop with the handle already gone; probe_cancel()
 * stops without done_cb.  The result belongs to the caller throughout.
 */
#ifndef MAILTLS_PROBE_H
#define MAILTLS_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "smtp/smtp_reply.h"
#include "util/netaddr.h"

struct event_base;

/* Protocol versions in the order a report lists them. */
enum probe_version {
	PROBE_SSL2,
	PROBE_SSL3,
	PROBE_TLS10,
	PROBE_TLS11,
	PROBE_TLS12,
	PROBE_TLS13,
	PROBE_VERSION_COUNT
};

enum probe_answer {
	PROBE_UNKNOWN,		/* not tried, or every try was inconclusive */
	PROBE_YES,
	PROBE_NO
};

struct probe_suite {
	uint32_t	 code;		/* IANA code (SSLv2: 3-byte kind) */
	int		 kx_bits;	/* DH prime / EC group size seen with it, 0 */
	char		 kx_group[32];	/* "ffdhe2048", "x25519", "DH-1024", "" */
};

struct probe_version_result {
	enum probe_answer	 supported;
	struct probe_suite	*suites;	/* in the server's order when it has one */
	size_t			 n_suites;
	int			 complete;	/* enumeration finished, not cut short */
};

struct probe_result {
	int			 done;		/* the probe ran */
	struct probe_version_result versions[PROBE_VERSION_COUNT];
	enum probe_answer	 server_order;	/* the server imposes its order */
	char			**groups;	/* (EC)DH groups accepted, by name */
	size_t			 n_groups;
	uint16_t		*sigalgs;	/* TLS 1.2 signature algorithms the
						   server signs with (IANA codes) */
	size_t			 n_sigalgs;
	int			 dh_bits;	/* smallest DH prime seen, 0 if none */
	char			*dh_group;	/* known name of that prime, or NULL */
	enum probe_answer	 secure_renegotiation;
	enum probe_answer	 compression;	/* DEFLATE accepted (CRIME) */
	enum probe_answer	 extended_master_secret;
	enum probe_answer	 ocsp_stapling;
	enum probe_answer	 fallback_scsv;	/* downgrade refused as RFC 7507 says */
	unsigned		 connections;	/* TCP connections made */
	unsigned		 temporary_failures;	/* 421s, resets, timeouts: retried */
	unsigned		 inconclusive;	/* attempts that never got an answer */
	unsigned		 elapsed_ms;
	char			*error;		/* why the probe stopped early, or NULL */
};

struct probe_params {
	struct netaddr		 addr;
	uint16_t		 port;
	const char		*ehlo_name;
	const char		*server_name;	/* SNI */
	unsigned		 connect_timeout_ms;
	unsigned		 reply_timeout_ms;
	unsigned		 gap_ms;	/* pause between two attempts (the
					   probe widens it while the server
					   refuses) */
	unsigned		 max_connections;	/* hard cap per server */
	struct smtp_reply_limits limits;
	/*
	 * Optional: the pacer of everything that connects to this address
	 * (the scan's server pool), so that the gap also holds between
	 * probes and sessions of other assessments running at the same time.
	 * Before each connection the probe asks pace(pace_arg, gap_ms): 0
	 * means "connect now" (and the pacer records it), more means wait
	 * that many milliseconds and ask again.  Once connect() has returned
	 * the probe calls pace(pace_arg, 0), which only records the moment,
	 * so the gap counts from the connection itself.  NULL: only the
	 * probe's own gap, between its own attempts.
	 */
	unsigned		(*pace)(void *pace_arg, unsigned gap_ms);
	void			*pace_arg;
};

typedef void probe_done_cb(void *arg);

struct probe;

/* probe_start - enumerate p->addr into *out (zeroed by the caller). */
struct probe *probe_start(struct event_base *base, const struct probe_params *p,
    struct probe_result *out, probe_done_cb *done_cb, void *arg);

void probe_cancel(struct probe *pr);

void probe_result_free(struct probe_result *r);

const char *probe_version_name(enum probe_version v);	/* "TLSv1.2" */
const char *probe_answer_name(enum probe_answer a);	/* "yes", "no", "unknown" */

#endif
