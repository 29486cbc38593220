/*
 * clients.h - "who can still deliver to you": what well-known sending MTAs
 * would get from one server, simulated from its enumeration.
 *
 * A client profile is data (the table in clients.c, documented with its
 * sources in docs/clients.md): the protocol versions a sending MTA offers,
 * its cipher suites in the order of its ClientHello (IANA codes), its
 * (EC)DH groups, the DH sizes it accepts, a few library checks that abort
 * a handshake after the server has chosen (OpenSSL 3's "dh key too small",
 * "unsafe legacy renegotiation disabled", "legacy sigalg disallowed"), and
 * what the MTA does when TLS fails: retry in clear text, or queue the mail.
 *
 * clients_simulate() is a pure function of a struct probe_result (src/probe):
 * the version is the highest both sides speak; the suite is the first of
 * the server's list the client offers when the server imposes its order,
 * else the first of the client's list the server accepts; then the client's
 * own checks may refuse it.  No I/O, no allocation: the reports call it
 * while printing (see report_text.c, report_json.c and docs/clients.md for
 * why the result is not stored).
 *
 * Profile pointers (clients_profile_at()) point into a static table and
 * stay valid for the process lifetime.
 */
#ifndef MAILTLS_CLIENTS_H
#define MAILTLS_CLIENTS_H

#include <stddef.h>
#include <stdint.h>

struct probe_result;

/* What a sending MTA does when the TLS handshake fails. */
enum client_fallback {
	CLIENT_FALLBACK_UNKNOWN,	/* not documented: see docs/clients.md */
	CLIENT_FALLBACK_PLAINTEXT,	/* reconnects and delivers in clear text */
	CLIENT_FALLBACK_DEFER,		/* the mail stays queued (or the send fails) */
	CLIENT_FALLBACK_COUNT
};

/* Checks a client makes after the server's choice (client_profile.flags). */
#define CLIENT_F_SECURE_RENEG	0x01	/* refuses servers without RFC 5746
					   ("unsafe legacy renegotiation
					   disabled", OpenSSL >= 3.0) */
#define CLIENT_F_NO_SHA1_SIG	0x02	/* refuses MD5/SHA-1 signatures on the
					   key exchange: signed (EC)DHE at TLS
					   1.0/1.1, SHA-1-only servers at 1.2
					   ("legacy sigalg disallowed") */
#define CLIENT_F_UNCERTAIN	0x04	/* the profile rests on assumptions
					   (docs/clients.md says which) */

struct client_profile {
	const char		*id;		/* stable: "postfix-openssl3-debian12" */
	const char		*name;		/* "Postfix 3.7 / OpenSSL 3.0 (Debian 12)" */
	uint16_t		 min_version;	/* TLS_V_* (probe/cipher_suites.h) */
	uint16_t		 max_version;
	const uint16_t		*suites;	/* ClientHello order, TLS 1.3 too */
	size_t			 n_suites;
	const char *const	*groups;	/* names as tls_group_name() gives */
	size_t			 n_groups;
	int			 min_dh_bits;	/* smaller DHE groups abort the handshake */
	int			 max_dh_bits;	/* larger ones too; 0: no limit */
	unsigned		 flags;		/* CLIENT_F_* */
	enum client_fallback	 on_failure;
};

size_t clients_profile_count(void);
const struct client_profile *clients_profile_at(size_t i);	/* NULL past the end */
const struct client_profile *clients_profile_by_id(const char *id);	/* or NULL */

enum client_outcome {
	CLIENT_UNKNOWN,		/* the enumeration does not tell (see reason) */
	CLIENT_CONNECTS,
	CLIENT_FAILS,
	CLIENT_OUTCOME_COUNT
};

struct client_sim {
	const struct client_profile *client;
	enum client_outcome	 outcome;
	uint16_t		 version;	/* TLS_V_*, CONNECTS only */
	uint32_t		 suite;		/* IANA code, CONNECTS only */
	char			 group[32];	/* "x25519", "ffdhe2048", "DH", "" */
	int			 kx_bits;	/* group size, 0 if none or unknown */
	int			 forward_secret;
	int			 order_assumed;	/* the server's order was unknown:
						   its list order was used */
	char			 reason[128];	/* FAILS/UNKNOWN: why, in words */
};

/*
 * clients_simulate_one - what client c gets from the server p describes,
 * into *out (overwritten).  p->done == 0 gives CLIENT_UNKNOWN.
 */
void clients_simulate_one(const struct probe_result *p,
    const struct client_profile *c, struct client_sim *out);

/*
 * clients_simulate - every profile, in table order, into out[0..cap).
 * Returns clients_profile_count() (which may exceed cap: then only cap
 * were written).
 */
size_t clients_simulate(const struct probe_result *p, struct client_sim *out,
    size_t cap);

/* Names: "connects", "fails", "unknown"; "plaintext", "defer", "unknown". */
const char *client_outcome_name(enum client_outcome o);
const char *client_fallback_name(enum client_fallback f);

#endif
