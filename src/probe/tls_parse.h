/*
 * tls_parse.h - read what a server sends in clear after our ClientHello, one
 * chunk at a time, within a fixed memory bound.
 *
 * The server's first flight is reassembled from records (RFC 5246 6.2.1: a
 * handshake message may span records, a record may hold several messages)
 * and decoded into struct tls_server_flight: ServerHello with its
 * extensions, Certificate, CertificateStatus, ServerKeyExchange,
 * CertificateRequest, ServerHelloDone, alerts; or an SSL 2.0 SERVER-HELLO
 * or ERROR.  The reader stops ("done") at the first thing that ends what
 * can be seen in clear: ServerHelloDone, a fatal alert, a TLS 1.3
 * ServerHello (all later messages are encrypted), a HelloRetryRequest, an
 * SSLv2 answer.
 *
 * Nothing the peer sends is trusted: every length is checked against what
 * arrived and against tls_reader_limits.max_bytes (all handshake bytes kept,
 * 64 KiB by default) before anything is buffered, so a 16 MiB message
 * header fails at once, not after 16 MiB.  A server that answers with text
 * ("421 ...", an HTML page) or garbage is reported as such.
 *
 * Lifecycle: tls_reader_init(), tls_reader_feed() with each chunk until it
 * returns TLS_FEED_DONE or TLS_FEED_ERROR, tls_reader_eof() if the peer
 * closes first; read the result through tls_reader_flight(), then
 * tls_reader_free().  The struct tls_bytes views in the result point into
 * the reader's buffer: they are valid until tls_reader_free().  No sockets,
 * no event loop, no allocation after init.
 */
#ifndef MAILTLS_PROBE_TLS_PARSE_H
#define MAILTLS_PROBE_TLS_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "probe/cipher_suites.h"

struct tls_reader_limits {
	size_t	max_bytes;	/* handshake bytes kept (SSLv2: the message) */
};

#define TLS_READER_LIMITS_DEFAULT { 64 * 1024 }

#define TLS_CERTS_MAX		16	/* certificates kept (more are counted) */
#define TLS_EXTS_MAX		32	/* ServerHello extension types kept */
#define TLS_ALERTS_MAX		4
#define TLS_SSL2_KINDS_MAX	32	/* SSLv2 cipher kinds kept */
#define TLS_MSGS_MAX		16	/* handshake message types kept */
#define TLS_PLAINTEXT_MAX	128	/* bytes of a text answer kept */

enum tls_feed {
	TLS_FEED_MORE,		/* all input used; the flight is not over */
	TLS_FEED_DONE,		/* the clear-text part is over; see *used */
	TLS_FEED_ERROR		/* see tls_server_flight.error */
};

enum tls_parse_error {
	TLS_ERR_NONE,
	TLS_ERR_CLOSED,		/* closed before sending one byte */
	TLS_ERR_TRUNCATED,	/* closed in the middle of a record/message */
	TLS_ERR_PLAINTEXT,	/* text, not TLS: see tls_server_flight.plaintext */
	TLS_ERR_NOT_TLS,	/* binary data that is neither TLS nor SSLv2 */
	TLS_ERR_BAD_RECORD,	/* unknown record type or version */
	TLS_ERR_RECORD_OVERFLOW,/* record longer than 2^14 (RFC 5246 6.2.1) */
	TLS_ERR_OVERSIZED,	/* more than max_bytes of handshake */
	TLS_ERR_UNEXPECTED_RECORD, /* e.g. ChangeCipherSpec, application data */
	TLS_ERR_UNEXPECTED_MESSAGE, /* handshake type out of order, unknown */
	TLS_ERR_LENGTH_MISMATCH,/* inner lengths disagree with the message */
	TLS_ERR_BAD_VALUE,	/* field out of range (session id > 32, ...) */
	TLS_ERR_DUPLICATE_EXTENSION,
	TLS_ERR_NO_MEMORY,
	TLS_ERR_COUNT
};

/* A view into the reader's buffer; valid until tls_reader_free(). */
struct tls_bytes {
	const uint8_t	*p;
	size_t		 len;
};

/* ServerHello (RFC 5246 7.4.1.3, RFC 8446 4.1.3). */
struct tls_server_hello {
	int		 present;
	uint16_t	 record_version;	/* of the record carrying it */
	uint16_t	 legacy_version;	/* server_version field */
	uint16_t	 version;	/* negotiated: supported_versions if sent */
	uint8_t		 random[32];
	uint8_t		 session_id[32];
	size_t		 session_id_len;
	uint16_t	 cipher_suite;
	uint8_t		 compression;	/* 0 null, 1 DEFLATE */
	int		 hello_retry_request;	/* RFC 8446 4.1.3 special random */
	/* RFC 8446 4.1.3 downgrade sentinel in the random's last 8 bytes:
	 * 0 none, 0x0303 "DOWNGRD\1" (TLS 1.2), 0x0302 "DOWNGRD\0" (<= 1.1) */
	uint16_t	 downgrade;
	int		 has_extensions;	/* the extensions block was there */
	uint16_t	 ext_types[TLS_EXTS_MAX];	/* in order received */
	size_t		 n_ext_types;		/* kept */
	size_t		 n_extensions;		/* in total */

	/* Extensions understood (present = 1 when the server sent it). */
	int		 supported_versions;	/* RFC 8446 4.2.1 */
	uint16_t	 selected_version;
	int		 key_share;		/* RFC 8446 4.2.8 */
	uint16_t	 key_share_group;	/* HRR: the group asked for */
	size_t		 key_share_len;		/* public value length, 0 in HRR */
	int		 renegotiation_info;	/* RFC 5746 */
	size_t		 renegotiation_info_len;/* renegotiated_connection: 0 */
	int		 extended_master_secret;/* RFC 7627 */
	int		 status_request;	/* RFC 6066 8: will staple */
	int		 session_ticket;	/* RFC 5077 */
	int		 encrypt_then_mac;	/* RFC 7366 */
	int		 ec_point_formats;	/* RFC 8422 5.2 */
	uint8_t		 ec_point_format_mask;	/* bit n: format n offered (n<8) */
	int		 server_name;		/* RFC 6066 3: empty ack */
	int		 alpn;			/* RFC 7301, not interpreted */
};

/* Certificate (RFC 5246 7.4.2), TLS <= 1.2. */
struct tls_certificates {
	int		 present;
	size_t		 n;			/* certificates in the message */
	size_t		 n_kept;		/* min(n, TLS_CERTS_MAX) */
	struct tls_bytes der[TLS_CERTS_MAX];	/* DER, leaf first */
	size_t		 total_len;		/* certificate_list length */
};

enum tls_ske_kind {
	TLS_SKE_NONE,		/* no ServerKeyExchange */
	TLS_SKE_DH,		/* ServerDHParams (DHE, DH_anon, DHE_PSK) */
	TLS_SKE_ECDH,		/* ServerECDHParams (ECDHE, ECDH_anon, ECDHE_PSK) */
	TLS_SKE_RSA,		/* ServerRSAParams (RSA_EXPORT) */
	TLS_SKE_PSK,		/* identity hint only (PSK, RSA_PSK) */
	TLS_SKE_SRP,		/* ServerSRPParams (RFC 5054 2.8) */
	TLS_SKE_OTHER,		/* sent, but for a suite we cannot decode */
	TLS_SKE_KIND_COUNT
};

/* ServerKeyExchange (RFC 5246 7.4.3, RFC 8422 5.4, RFC 4279, RFC 5054). */
struct tls_server_key_exchange {
	int		 present;
	enum tls_ske_kind kind;
	size_t		 len;			/* message body length */
	struct tls_bytes psk_hint;		/* *_PSK suites */
	/* DH: p, g, Ys as sent; p_bits counts from p's top set bit. */
	struct tls_bytes dh_p, dh_g, dh_ys;
	unsigned	 dh_p_bits;
	const char	*dh_group;		/* tls_dh_group_name(p) or NULL */
	/* ECDH: curve_type 3 = named_curve (1, 2: explicit curves, not
	 * decoded further: ec_point_len and the signature are then 0). */
	uint8_t		 curve_type;
	uint16_t	 named_group;
	size_t		 ec_point_len;
	/* RSA_EXPORT temporary key */
	struct tls_bytes rsa_modulus;
	unsigned	 rsa_bits;
	size_t		 rsa_exponent_len;
	/* SRP */
	struct tls_bytes srp_n;
	unsigned	 srp_n_bits;
	/* Signature: TLS 1.2 names its algorithm (RFC 5246 7.4.1.4.1). */
	int		 signed_params;
	int		 has_sig_alg;
	uint16_t	 sig_alg;
	size_t		 sig_len;
};

struct tls_alert {
	uint8_t		 level;		/* 1 warning, 2 fatal */
	uint8_t		 description;	/* tls_alert_name() */
};

/* SSL 2.0 SERVER-HELLO or ERROR (draft-hickman-netscape-ssl-00). */
struct tls_ssl2_hello {
	int		 present;	/* a SERVER-HELLO */
	int		 session_id_hit;
	uint8_t		 certificate_type;	/* 1: X.509 */
	uint16_t	 version;		/* 0x0002 */
	uint32_t	 kinds[TLS_SSL2_KINDS_MAX];	/* cipher kinds offered */
	size_t		 n_kinds;		/* in the message */
	size_t		 n_kinds_kept;
	struct tls_bytes certificate;
	size_t		 connection_id_len;
	int		 error;			/* an ERROR message instead */
	uint16_t	 error_code;		/* 1 no cipher, 2 no cert, ... */
};

struct tls_server_flight {
	int			 done;		/* TLS_FEED_DONE was returned */
	enum tls_parse_error	 error;
	size_t			 error_offset;	/* stream offset just past the
						   bytes that showed it (the
						   bytes used, however split) */
	size_t			 bytes;		/* stream bytes consumed */
	int			 sslv2;		/* the answer was SSLv2 */
	uint16_t		 record_version; /* of the first record */

	struct tls_server_hello	 hello;
	struct tls_certificates	 certs;
	int			 status_present;	/* CertificateStatus */
	uint8_t			 status_type;		/* 1: OCSP */
	struct tls_bytes	 status_response;	/* OCSPResponse DER */
	struct tls_server_key_exchange ske;
	int			 cert_request;		/* CertificateRequest */
	int			 hello_done;		/* ServerHelloDone */
	int			 tls13;		/* TLS 1.3 chosen: rest encrypted */

	uint8_t			 msg_types[TLS_MSGS_MAX];	/* in order */
	size_t			 n_msgs;
	struct tls_alert	 alerts[TLS_ALERTS_MAX];
	size_t			 n_alerts;
	int			 fatal_alert;	/* the last alert ended it */
	struct tls_ssl2_hello	 ssl2;
	char			 plaintext[TLS_PLAINTEXT_MAX + 1];
					/* TLS_ERR_PLAINTEXT: first line,
					   non-printables as '?' */
};

enum tls_reader_state {
	TLS_RS_START,		/* nothing received */
	TLS_RS_HEADER,		/* in a 5-byte record header */
	TLS_RS_BODY,		/* in a record's fragment */
	TLS_RS_SSL2_HEADER,
	TLS_RS_SSL2_BODY,
	TLS_RS_PLAINTEXT,	/* collecting the first line of a text answer */
	TLS_RS_DONE,
	TLS_RS_ERROR
};

/* The reader: treat as opaque, fields are here so it can live on the stack. */
struct tls_reader {
	struct tls_reader_limits limits;
	struct tls_server_flight out;
	enum tls_reader_state	 state;
	uint8_t			 hdr[5];
	size_t			 hdr_len;
	uint8_t			 rec_type;
	uint16_t		 rec_version;
	size_t			 rec_len, rec_got;
	uint8_t			*buf;		/* limits.max_bytes */
	size_t			 buf_len;	/* handshake bytes stored */
	size_t			 parsed;	/* up to here messages are decoded */
	uint8_t			 alert[2];
	size_t			 alert_len;
	int			 last_msg;	/* last handshake type, -1 none */
	size_t			 plain_len;
};

/* tls_reader_init - ready r for one server answer.  -1 if out of memory. */
int tls_reader_init(struct tls_reader *r, const struct tls_reader_limits *lim);

/*
 * tls_reader_feed - consume data[0..len).  *used is set to the bytes taken:
 * all of them with MORE; up to the byte that ended the clear-text part with
 * DONE; up to the offending byte with ERROR.  After DONE or ERROR further
 * calls consume nothing and return the same status.  What was decoded
 * before an error stays in the result (a ServerHello before a broken
 * Certificate, say).
 */
enum tls_feed tls_reader_feed(struct tls_reader *r, const void *data,
    size_t len, size_t *used);

/*
 * tls_reader_eof - the peer closed (or the caller gave up waiting).  Sets
 * TLS_ERR_CLOSED (nothing at all came), TLS_ERR_TRUNCATED (in the middle of
 * something) or TLS_ERR_PLAINTEXT, unless the reader was already done or
 * failed, and returns the final status.
 */
enum tls_feed tls_reader_eof(struct tls_reader *r);

/* tls_reader_flight - the result so far (never NULL). */
const struct tls_server_flight *tls_reader_flight(const struct tls_reader *r);

void tls_reader_free(struct tls_reader *r);

/* Names: "truncated", "plaintext"... and a sentence for reports. */
const char *tls_parse_error_name(enum tls_parse_error e);
const char *tls_parse_error_text(enum tls_parse_error e);

/* tls_alert_name - "handshake_failure" (RFC 8446 6, RFC 5246 7.2, RFC 7507:
 * "inappropriate_fallback"), or NULL if unassigned. */
const char *tls_alert_name(uint8_t description);

/* tls_handshake_name - "server_hello", "certificate"... or NULL. */
const char *tls_handshake_name(uint8_t type);

/* tls_group_name - "x25519", "secp256r1", "ffdhe2048"... or NULL. */
const char *tls_group_name(uint16_t group);

/* tls_sigalg_name - "rsa_pss_rsae_sha256", "ecdsa_sha1"... or NULL. */
const char *tls_sigalg_name(uint16_t sigalg);

/* tls_ske_kind_name - "DH", "ECDH"... */
const char *tls_ske_kind_name(enum tls_ske_kind k);

/* Well-known DH primes (RFC 7919, 3526, 2409, 5114, and the hard-coded
 * 512/1024-bit defaults of old OpenSSL, sendmail, Postfix and Apache). */
struct tls_dh_group {
	const char	*name;		/* "ffdhe2048", "modp2048"... */
	unsigned	 bits;
	const char	*source;	/* "RFC7919", ... */
	uint8_t		 sha256[32];	/* of p, big-endian, no leading zeros */
};

/*
 * tls_dh_group_find - the known group whose prime is p[0..len) (leading
 * zero bytes ignored), by SHA-256 of p, or NULL.  tls_dh_group_name() is
 * its name, or NULL.
 */
const struct tls_dh_group *tls_dh_group_find(const uint8_t *p, size_t len);
const char *tls_dh_group_name(const uint8_t *p, size_t len);

/* tls_dh_group_count/at - iterate the table (tests, reports). */
size_t tls_dh_group_count(void);
const struct tls_dh_group *tls_dh_group_at(size_t i);

/* tls_sha256 - SHA-256 (FIPS 180-4) of data, into out[32]: the parser's
 * own, so that this module needs nothing but libc. */
void tls_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
