/*
 * probe_wire.h - what one probe attempt offers and what it learns, in the
 * engine's terms.
 *
 * The engine (probe.c) thinks in offers ("these suites at TLS 1.1", "these
 * groups", "DEFLATE", "a fallback hello") and answers ("accepted: suite X,
 * group Y", "refused with alert Z").  This module turns an offer into
 * ClientHello bytes (tls_hello.h) and the server's clear-text flight into
 * an answer (tls_parse.h, cipher_suites.h), so the engine never touches
 * bytes and the byte code never knows about plans.
 */
#ifndef MAILTLS_PROBE_WIRE_H
#define MAILTLS_PROBE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "probe/probe.h"

#define WIRE_HELLO_MAX		16384
#define WIRE_OFFER_SUITES_MAX	512
#define WIRE_OFFER_GROUPS_MAX	32
#define WIRE_OFFER_SIGALGS_MAX	32

enum offer_kind {
	OFFER_NONE,
	OFFER_SUITES,		/* which of these suites at this version? */
	OFFER_ORDER,		/* two accepted suites, the server's favourite last */
	OFFER_GROUPS,		/* which of these (EC)DH groups? */
	OFFER_COMPRESSION,	/* DEFLATE offered beside NULL */
	OFFER_FALLBACK,		/* a lower version with TLS_FALLBACK_SCSV */
	OFFER_SIGALGS		/* which of these signature algorithms? */
};

struct wire_offer {
	enum offer_kind		 kind;
	enum probe_version	 version;
	uint32_t		 suites[WIRE_OFFER_SUITES_MAX];
	size_t			 n_suites;
	uint16_t		 groups[WIRE_OFFER_GROUPS_MAX];	/* 0 = default list */
	size_t			 n_groups;
	uint16_t		 sigalgs[WIRE_OFFER_SIGALGS_MAX];	/* 0 = default */
	size_t			 n_sigalgs;
	int			 deflate;
	int			 fallback_scsv;
};

enum wire_kind {
	WIRE_ACCEPTED,		/* a ServerHello for our offer */
	WIRE_REFUSED,		/* an alert, or the connection closed */
	WIRE_GARBLED		/* not TLS, or malformed: see why */
};

#define WIRE_ALERT_PROTOCOL_VERSION	70
#define WIRE_ALERT_INAPPROPRIATE_FALLBACK 86

struct wire_answer {
	enum wire_kind		 kind;
	enum probe_version	 version;	/* negotiated */
	uint32_t		 suite;
	uint16_t		 group;		/* (EC)DH named group, 0 if none */
	char			 kx_group[32];	/* "x25519", "ffdhe2048", "DH" */
	int			 kx_bits;
	int			 dh_bits;	/* DHE: prime size */
	int			 has_sig_alg;	/* TLS 1.2 ServerKeyExchange named */
	uint16_t		 sig_alg;	/* ...the algorithm it signed with */
	char			 dh_name[32];	/* known prime's name, or "" */
	int			 reneg_info;	/* RFC 5746 extension answered */
	int			 ems;		/* RFC 7627 extension answered */
	int			 ocsp_stapled;	/* CertificateStatus sent */
	int			 saw_flight_end;	/* ServerHelloDone seen */
	int			 compression;	/* method 1 chosen */
	int			 alert;		/* alert description, -1 if none */
	uint32_t		*v2_kinds;	/* SSLv2 SERVER-HELLO cipher kinds */
	size_t			 n_v2_kinds;
	char			 why[256];	/* for WIRE_GARBLED */
};

enum { WIRE_NEED_MORE, WIRE_DONE };

struct wire_reader;

/* Candidate suites for version v (all the registry has for it), newly allocated. */
uint32_t *wire_candidates(enum probe_version v, size_t *n);

/* Every TLS 1.2 signature algorithm the probe asks about, newly allocated. */
uint16_t *wire_all_sigalgs(size_t *n);

/* Every group the probe asks about (IANA codes), newly allocated. */
uint16_t *wire_all_groups(size_t *n);

void wire_offer_suites(struct wire_offer *o, enum probe_version v,
    const uint32_t *suites, size_t n);
void wire_offer_order(struct wire_offer *o, enum probe_version v,
    uint32_t first, uint32_t second);
/* 0 when o holds a groups offer, -1 when no accepted suite can carry one. */
int wire_offer_groups(struct wire_offer *o, const struct probe_result *r,
    const uint16_t *groups, size_t n);
/* 0 when o holds a TLS 1.2 signature-algorithms offer, -1 when no
 * accepted suite has a signed ServerKeyExchange. */
int wire_offer_sigalgs(struct wire_offer *o, const struct probe_result *r,
    const uint16_t *sigalgs, size_t n);
void wire_offer_compression(struct wire_offer *o, enum probe_version v,
    uint32_t suite);
void wire_offer_fallback(struct wire_offer *o, enum probe_version v,
    uint32_t suite);

/* wire_build_hello - the ClientHello record(s) for o.  0 or -1. */
int wire_build_hello(const struct wire_offer *o, const char *server_name,
    uint8_t *buf, size_t cap, size_t *len);

/* The reader of the server's answer to one offer; max bounds its memory. */
struct wire_reader *wire_reader_new(const struct wire_offer *o, size_t max);

/*
 * wire_reader_feed - WIRE_NEED_MORE, or WIRE_DONE with *a filled (free it
 * with wire_answer_free()).  Always consumes all len bytes.
 */
int wire_reader_feed(struct wire_reader *r, const uint8_t *data, size_t len,
    struct wire_answer *a);

/* wire_reader_eof - the connection ended (or timed out): the answer so far. */
void wire_reader_eof(struct wire_reader *r, struct wire_answer *a);

void wire_reader_free(struct wire_reader *r);
void wire_answer_free(struct wire_answer *a);

#endif
