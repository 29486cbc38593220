/*
 * tls_hello.h - build the ClientHello of one probe attempt, byte by byte.
 *
 * OpenSSL as Debian builds it cannot offer SSLv2, SSLv3, EXPORT, RC4 or
 * most legacy suites, so the prober writes its own hellos: an SSL 2.0
 * CLIENT-HELLO or SSLv2-compatible hello (RFC 5246 E.2, RFC 6101 E.1), an
 * SSLv3 hello (RFC 6101 5.6.1.2), or a TLS 1.0-1.3 ClientHello (RFC 5246
 * 7.4.1.2, RFC 8446 4.1.2) with the extensions a probe needs.  Nothing here
 * does cryptography: the hello only has to make the server answer in clear,
 * and the server's answer is read by tls_parse.h.
 *
 * Usage: tls_hello_params_init() for a version's sensible defaults, adjust
 * the fields (suites, extensions, SNI...), then tls_hello_build() into the
 * caller's buffer.  The params only point at caller memory; nothing is
 * allocated, and the function is pure: same params, same bytes.
 *
 * The output is complete records ready for the socket: a 5-byte TLS record
 * header (or the 2-byte SSLv2 header) and the handshake message.  A TLS
 * hello longer than a record's 2^14 bytes (RFC 5246 6.2.1) is split over
 * several records; an SSLv2 one is limited to 32767 bytes.
 */
#ifndef MAILTLS_PROBE_TLS_HELLO_H
#define MAILTLS_PROBE_TLS_HELLO_H

#include <stddef.h>
#include <stdint.h>

#include "probe/cipher_suites.h"

/* Extension bits for tls_hello_params.extensions (IANA codes in comments). */
#define TLS_HELLO_EXT_SERVER_NAME	0x0001	/* 0: RFC 6066 3; needs server_name */
#define TLS_HELLO_EXT_SUPPORTED_GROUPS	0x0002	/* 10: RFC 8422 5.1.1, RFC 7919 */
#define TLS_HELLO_EXT_EC_POINT_FORMATS	0x0004	/* 11: RFC 8422 5.1.2 */
#define TLS_HELLO_EXT_SIGNATURE_ALGS	0x0008	/* 13: RFC 5246 7.4.1.4.1, RFC 8446 */
#define TLS_HELLO_EXT_RENEGOTIATION	0x0010	/* 0xff01: RFC 5746 3.2, empty */
#define TLS_HELLO_EXT_EXTENDED_MS	0x0020	/* 23: RFC 7627 */
#define TLS_HELLO_EXT_SESSION_TICKET	0x0040	/* 35: RFC 5077, empty */
#define TLS_HELLO_EXT_STATUS_REQUEST	0x0080	/* 5: RFC 6066 8, OCSP */
#define TLS_HELLO_EXT_ENCRYPT_THEN_MAC	0x0100	/* 22: RFC 7366 */
#define TLS_HELLO_EXT_SUPPORTED_VERSIONS 0x0200	/* 43: RFC 8446 4.2.1 */
#define TLS_HELLO_EXT_KEY_SHARE		0x0400	/* 51: RFC 8446 4.2.8 */
#define TLS_HELLO_EXT_PSK_MODES		0x0800	/* 45: RFC 8446 4.2.9, psk_dhe_ke */

/* Named groups (IANA "TLS Supported Groups"). */
#define TLS_GROUP_SECP256R1	0x0017
#define TLS_GROUP_SECP384R1	0x0018
#define TLS_GROUP_SECP521R1	0x0019
#define TLS_GROUP_X25519	0x001d
#define TLS_GROUP_X448		0x001e
#define TLS_GROUP_FFDHE2048	0x0100
#define TLS_GROUP_FFDHE8192	0x0104

struct tls_hello_params {
	/*
	 * Highest version offered: TLS_V_SSL2 .. TLS_V_TLS13.  For TLS 1.3 the
	 * legacy_version field says TLS 1.2 and supported_versions carries the
	 * real list (RFC 8446 4.1.2); with TLS_V_SSL2 the hello is a pure SSL
	 * 2.0 CLIENT-HELLO.
	 */
	uint16_t	 version;
	/* TLS 1.3 only: supported_versions lists version down to this one
	 * (0: version alone). */
	uint16_t	 min_version;
	/* Version of the record header; 0: SSLv3 for an SSLv3 hello, TLS 1.0
	 * otherwise, which is what old servers expect (RFC 5246 E.1,
	 * RFC 8446 5.1). */
	uint16_t	 record_version;
	/* Send the hello in SSLv2 record format (RFC 5246 E.2): suites go as
	 * 3-byte cipher specs, no extensions, no compression list.  Implied
	 * by version == TLS_V_SSL2. */
	int		 sslv2_format;

	const uint8_t	*random;	/* 32 bytes (SSLv2: the challenge) */

	/* Suites in preference order: 2-byte codes, or SSLv2 kinds (codes
	 * above 0xffff), which only the SSLv2 format can carry. */
	const uint32_t	*suites;
	size_t		 n_suites;
	size_t		 max_suites;	/* offer only the first ones; 0: all */
	int		 scsv_renegotiation;	/* + TLS_EMPTY_RENEGOTIATION_INFO_SCSV */
	int		 scsv_fallback;		/* + TLS_FALLBACK_SCSV (RFC 7507) */
	int		 deflate;	/* offer DEFLATE (RFC 3749) before NULL */

	unsigned	 extensions;	/* TLS_HELLO_EXT_* (ignored for SSLv2, SSLv3) */
	const char	*server_name;	/* SNI: a DNS name, never an address */
	const uint16_t	*groups;	/* supported_groups; NULL: the default */
	size_t		 n_groups;
	const uint16_t	*sigalgs;	/* signature_algorithms; NULL: the default */
	size_t		 n_sigalgs;
	/* key_share entries (TLS 1.3); NULL: X25519 only.  Supported: x25519,
	 * secp256r1, secp384r1 (the curve generator as a fixed, valid point)
	 * and ffdhe2048..8192 (the value 2). */
	const uint16_t	*share_groups;
	size_t		 n_share_groups;

	/*
	 * F5 workaround: some F5 BIG-IP (and a few other) servers hang on a
	 * ClientHello whose handshake message is 256..511 bytes long.  With
	 * pad_f5 set, such a hello gets an RFC 7685 padding extension that
	 * makes it 512 bytes, as OpenSSL and browsers did.  pad_to pads any
	 * hello to at least that many handshake bytes.  Both need extensions
	 * (not SSLv2/SSLv3).
	 */
	int		 pad_f5;
	size_t		 pad_to;
};

/*
 * tls_hello_params_init - defaults for version: record version as above,
 * for TLS 1.0-1.2 SNI (when server_name is set later), supported_groups,
 * ec_point_formats, signature_algorithms (TLS 1.2), renegotiation_info,
 * extended_master_secret, session_ticket, status_request and
 * encrypt_then_mac; for TLS 1.3 also supported_versions, key_share (X25519)
 * and psk_key_exchange_modes.  SSLv2 and SSLv3 hellos carry no extension.
 * random may be NULL here and set before building.
 */
void tls_hello_params_init(struct tls_hello_params *p, uint16_t version,
    const uint8_t *random);

/*
 * tls_hello_build - write the hello for p into buf[0..cap) and its length
 * into *len.  Returns 0, or -1 (nothing usable in buf) when p is invalid
 * (unknown version, no random, no suite, an SSLv2 kind in a TLS hello, an
 * unsupported key_share group, a server_name longer than 255 bytes or with
 * a NUL) or cap is too small.  Never writes at or past buf + cap.
 */
int tls_hello_build(const struct tls_hello_params *p, uint8_t *buf, size_t cap,
    size_t *len);

/* The default lists, for callers that extend them (static storage). */
const uint16_t *tls_hello_default_groups(uint16_t version, size_t *n);
const uint16_t *tls_hello_default_sigalgs(size_t *n);

#endif
