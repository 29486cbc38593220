/*
 * oldtls_smtpd.c - SMTP servers that speak the TLS of 1995-2015, for the
 * mailtls test lab.
 *
 *	oldtls_smtpd --port N --cert FILE --key FILE [--pidfile FILE]
 *	    [--bind-base 127.0.3] [--verbose]
 *
 * No TLS library on Debian 12 still speaks SSL 2.0, SSL 3.0, EXPORT suites
 * or 512-bit DH, yet mailtls must recognise servers that do.  This program
 * plays four such servers, one per address BASE.1 ... BASE.4, all on the
 * same port; tests/lab/LAB.md ("Legacy TLS") is the contract:
 *
 *	BASE.1	ssl2	SSL 2.0 only (draft-hickman-netscape-ssl-00)
 *	BASE.2	ssl3	SSL 3.0 only (RFC 6101), client's suite order
 *	BASE.3	export	TLS 1.0 with EXPORT suites (RFC 2246), server order
 *	BASE.4	dh512	TLS 1.0-1.2, DHE-RSA only, 512-bit DH group
 *
 * Each is an SMTP server (banner, EHLO with STARTTLS, "220" to STARTTLS)
 * that then reads the client's hello, in TLS record format or in the
 * SSLv2 format (RFC 2246 E.2, RFC 6101 E.1), and answers as a server of
 * its era would, byte for byte: ServerHello, Certificate,
 * ServerKeyExchange when the suite needs one (signed as the version
 * says: MD5+SHA-1 for SSL 3.0 to TLS 1.1, RFC 5246 signature_algorithms
 * for TLS 1.2), ServerHelloDone; or an SSLv2 SERVER-HELLO; or the alert
 * (or the silent close) such a server sent.  It never completes a
 * handshake: after the server's first flight it stops writing, discards
 * what the client sends and closes.  A prober only ever reads that first
 * flight, which is all in clear.
 *
 * Cryptography comes from libcrypto and stays small: the RSA signature
 * over the ServerKeyExchange parameters, the temporary 512-bit RSA key
 * of RSA_EXPORT (RFC 2246 7.4.3), and g^x mod p for the DH share.
 * Everything else (parsing, version and suite negotiation, the wire
 * format) is written out here, so a bug in the code under test cannot
 * hide in a library both share.
 *
 * Design.  One poll() loop, non-blocking sockets, one struct conn per
 * client driven by enum conn_state; the state changes in conn_set_state()
 * only.  Every input is bounded (SMTP lines, the hello, the connection
 * count) and every state has a deadline, so a hostile or silent client
 * costs a slot for a while, never the process.  Logs go to stderr, one
 * line per event: "oldtls_smtpd: #ID PROFILE PEER: what".
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1		/* getopt_long(), getrandom() */
#endif

#include <sys/types.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#define NPROFILES	4
#define MAX_CONNS	128
#define LINE_MAX_LEN	1000		/* RFC 5321 4.5.3.1.4 says 512 */
#define HELLO_MAX	32768		/* longest ClientHello body we read */
#define IN_CAP		(HELLO_MAX + 8192) /* raw input: records, headers */
#define OUT_MAX		(64 * 1024)	/* one flight, or a few replies */
#define RECORD_MAX	16384		/* RFC 5246 6.2.1, RFC 6101 5.2.1 */
#define SSL2_RECORD_MAX	32767		/* 2-byte header (SSL 2.0 draft) */
#define SMTP_TIMEOUT_MS	60000		/* per command */
#define HELLO_TIMEOUT_MS 30000		/* STARTTLS to a complete hello */
#define LINGER_MS	5000		/* after our flight, until the client hangs up */

/* Protocol versions on the wire. */
#define V_SSL2		0x0002
#define V_SSL3		0x0300
#define V_TLS10		0x0301
#define V_TLS11		0x0302
#define V_TLS12		0x0303

/* Alerts (RFC 5246 7.2, RFC 7507). */
#define AL_UNEXPECTED_MESSAGE	10
#define AL_RECORD_OVERFLOW	22
#define AL_HANDSHAKE_FAILURE	40
#define AL_ILLEGAL_PARAMETER	47
#define AL_DECODE_ERROR		50
#define AL_PROTOCOL_VERSION	70
#define AL_INAPPROPRIATE_FALLBACK 86

/* Record content and handshake types (RFC 5246 6.2.1, 7.4). */
#define CT_ALERT		21
#define CT_HANDSHAKE		22
#define HT_CLIENT_HELLO		1
#define HT_SERVER_HELLO		2
#define HT_CERTIFICATE		11
#define HT_SERVER_KEY_EXCHANGE	12
#define HT_SERVER_HELLO_DONE	14

/* SSL 2.0 (draft-hickman-netscape-ssl-00, "Protocol Constant Values"). */
#define SSL2_MT_ERROR		0
#define SSL2_MT_CLIENT_HELLO	1
#define SSL2_MT_SERVER_HELLO	4
#define SSL2_PE_NO_CIPHER	0x0001
#define SSL2_CT_X509_CERTIFICATE 1
#define SSL2_CONNECTION_ID_LEN	16

/* Signalling suite values (RFC 5746 3.3, RFC 7507 4). */
#define SCSV_RENEGOTIATION	0x00ff
#define SCSV_FALLBACK		0x5600

/* Extensions (IANA) and RSA PKCS#1 v1.5 signature schemes (RFC 5246 A.4.1). */
#define EXT_SIGNATURE_ALGS	13
#define EXT_RENEGOTIATION	0xff01
#define SIG_RSA_SHA1		0x0201
#define SIG_RSA_SHA256		0x0401
#define SIG_RSA_SHA384		0x0501
#define SIG_RSA_SHA512		0x0601

/* ---- what the servers offer ------------------------------------------- */

enum kx {
	KX_RSA,			/* premaster under the certificate's key */
	KX_RSA_EXPORT,		/* temporary 512-bit RSA key in ServerKeyExchange */
	KX_DHE_RSA,		/* DH parameters signed with the certificate's key */
	KX_DHE_RSA_EXPORT	/* the same, the prime at most 512 bits */
};

struct suite {
	uint16_t	 code;
	const char	*name;		/* OpenSSL's name, for the log */
	enum kx		 kx;
	uint16_t	 min_version;
	uint16_t	 max_version;
};

/*
 * RFC 5246 A.5, RFC 2246 A.5 (EXPORT), RFC 3268 (AES), RFC 5288 (GCM).
 * RFC 4346 A.5: TLS 1.1 must not negotiate EXPORT suites; AEAD and
 * SHA-256 suites exist from TLS 1.2 on.
 */
static const struct suite suites[] = {
	{ 0x0003, "EXP-RC4-MD5",		KX_RSA_EXPORT,	V_SSL3, V_TLS10 },
	{ 0x0004, "RC4-MD5",			KX_RSA,		V_SSL3, V_TLS12 },
	{ 0x0005, "RC4-SHA",			KX_RSA,		V_SSL3, V_TLS12 },
	{ 0x0008, "EXP-DES-CBC-SHA",		KX_RSA_EXPORT,	V_SSL3, V_TLS10 },
	{ 0x000a, "DES-CBC3-SHA",		KX_RSA,		V_SSL3, V_TLS12 },
	{ 0x0014, "EXP-EDH-RSA-DES-CBC-SHA",	KX_DHE_RSA_EXPORT, V_SSL3, V_TLS10 },
	{ 0x0016, "EDH-RSA-DES-CBC3-SHA",	KX_DHE_RSA,	V_SSL3, V_TLS12 },
	{ 0x002f, "AES128-SHA",			KX_RSA,		V_SSL3, V_TLS12 },
	{ 0x0033, "DHE-RSA-AES128-SHA",		KX_DHE_RSA,	V_SSL3, V_TLS12 },
	{ 0x0039, "DHE-RSA-AES256-SHA",		KX_DHE_RSA,	V_SSL3, V_TLS12 },
	{ 0x0067, "DHE-RSA-AES128-SHA256",	KX_DHE_RSA,	V_TLS12, V_TLS12 },
	{ 0x006b, "DHE-RSA-AES256-SHA256",	KX_DHE_RSA,	V_TLS12, V_TLS12 },
	{ 0x009e, "DHE-RSA-AES128-GCM-SHA256",	KX_DHE_RSA,	V_TLS12, V_TLS12 },
	{ 0x009f, "DHE-RSA-AES256-GCM-SHA384",	KX_DHE_RSA,	V_TLS12, V_TLS12 },
};

/* SSL 2.0 cipher kinds (draft-hickman-netscape-ssl-00, "Cipher Kind"). */
#define SSL_CK_RC4_128_WITH_MD5			0x010080
#define SSL_CK_RC4_128_EXPORT40_WITH_MD5	0x020080
#define SSL_CK_RC2_128_CBC_WITH_MD5		0x030080
#define SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5	0x040080
#define SSL_CK_DES_64_CBC_WITH_MD5		0x060040
#define SSL_CK_DES_192_EDE3_CBC_WITH_MD5	0x0700c0

/*
 * DH groups, p big-endian, generator 2; each a safe prime (p and (p-1)/2
 * prime), checked when this file was written with `openssl prime`.
 */
struct dh_group {
	const char	*name;
	const uint8_t	*p;
	size_t		 len;
	uint8_t		 g;
};

/* RFC 2409 6.2, the Second Oakley Group (1024 bits). */
static const uint8_t oakley2_p[128] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xc9, 0x0f, 0xda, 0xa2, 0x21, 0x68, 0xc2, 0x34,
	0xc4, 0xc6, 0x62, 0x8b, 0x80, 0xdc, 0x1c, 0xd1,
	0x29, 0x02, 0x4e, 0x08, 0x8a, 0x67, 0xcc, 0x74,
	0x02, 0x0b, 0xbe, 0xa6, 0x3b, 0x13, 0x9b, 0x22,
	0x51, 0x4a, 0x08, 0x79, 0x8e, 0x34, 0x04, 0xdd,
	0xef, 0x95, 0x19, 0xb3, 0xcd, 0x3a, 0x43, 0x1b,
	0x30, 0x2b, 0x0a, 0x6d, 0xf2, 0x5f, 0x14, 0x37,
	0x4f, 0xe1, 0x35, 0x6d, 0x6d, 0x51, 0xc2, 0x45,
	0xe4, 0x85, 0xb5, 0x76, 0x62, 0x5e, 0x7e, 0xc6,
	0xf4, 0x4c, 0x42, 0xe9, 0xa6, 0x37, 0xed, 0x6b,
	0x0b, 0xff, 0x5c, 0xb6, 0xf4, 0x06, 0xb7, 0xed,
	0xee, 0x38, 0x6b, 0xfb, 0x5a, 0x89, 0x9f, 0xa5,
	0xae, 0x9f, 0x24, 0x11, 0x7c, 0x4b, 0x1f, 0xe6,
	0x49, 0x28, 0x66, 0x51, 0xec, 0xe6, 0x53, 0x81,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/*
 * The 512-bit prime hard-coded as get_dh512() in OpenSSL's apps/s_server.c
 * (0.9.x to 1.0.1) and in sendmail's tls.c: the DHE group of countless
 * test and mail servers until Logjam (2015).
 */
static const uint8_t s_server512_p[64] = {
	0xda, 0x58, 0x3c, 0x16, 0xd9, 0x85, 0x22, 0x89,
	0xd0, 0xe4, 0xaf, 0x75, 0x6f, 0x4c, 0xca, 0x92,
	0xdd, 0x4b, 0xe5, 0x33, 0xb8, 0x04, 0xfb, 0x0f,
	0xed, 0x94, 0xef, 0x9c, 0x8a, 0x44, 0x03, 0xed,
	0x57, 0x46, 0x50, 0xd3, 0x69, 0x99, 0xdb, 0x29,
	0xd7, 0x76, 0x27, 0x6b, 0xa2, 0xd3, 0xd4, 0x12,
	0xe2, 0x18, 0xf4, 0xdd, 0x1e, 0x08, 0x4c, 0xf6,
	0xd8, 0x00, 0x3e, 0x7c, 0x47, 0x74, 0xe8, 0x33,
};

/* The 512-bit prime of Apache 2.0's mod_ssl (ssl_engine_dh.c), which its
 * export DHE suites used. */
static const uint8_t modssl512_p[64] = {
	0xd4, 0xbc, 0xd5, 0x24, 0x06, 0xf6, 0x9b, 0x35,
	0x99, 0x4b, 0x88, 0xde, 0x5d, 0xb8, 0x96, 0x82,
	0xc8, 0x15, 0x7f, 0x62, 0xd8, 0xf3, 0x36, 0x33,
	0xee, 0x57, 0x72, 0xf1, 0x1f, 0x05, 0xab, 0x22,
	0xd6, 0xb5, 0x14, 0x5b, 0x9f, 0x24, 0x1e, 0x5a,
	0xcc, 0x31, 0xff, 0x09, 0x0a, 0x4b, 0xc7, 0x11,
	0x48, 0x97, 0x6f, 0x76, 0x79, 0x50, 0x94, 0xe7,
	0x1e, 0x79, 0x03, 0x52, 0x9f, 0x5a, 0x82, 0x4b,
};

static const struct dh_group dh_oakley2 = {
	"RFC 2409 group 2", oakley2_p, sizeof(oakley2_p), 2 };
static const struct dh_group dh_s_server512 = {
	"OpenSSL s_server/sendmail 512", s_server512_p, sizeof(s_server512_p), 2 };
static const struct dh_group dh_modssl512 = {
	"Apache 2.0 mod_ssl 512", modssl512_p, sizeof(modssl512_p), 2 };

/*
 * A server.  SSL 2.0 servers list cipher kinds; the others negotiate a
 * version between min_version and max_version and pick one of suites[]
 * (in their own order, or in the client's).  extensions: the server reads
 * ClientHello extensions, answers RFC 5746 and enforces RFC 7507; servers
 * without it ignore whatever follows the compression methods, as RFC 2246
 * 7.4.1.2 ("forward compatibility note") tells them to.
 */
struct profile {
	const char		*name;		/* NAME in NAME-mx.mailtls.test */
	int			 ssl2;
	const uint32_t		*kinds;		/* SSL 2.0, server order */
	size_t			 n_kinds;
	uint16_t		 min_version, max_version;
	const uint16_t		*suites;	/* server order */
	size_t			 n_suites;
	int			 server_order;
	const struct dh_group	*dh;		/* for DHE suites */
	int			 extensions;
};

/* OpenSSL 0.9.8's SSLv2 list, without IDEA. */
static const uint32_t ssl2_kinds[] = {
	SSL_CK_DES_192_EDE3_CBC_WITH_MD5, SSL_CK_RC2_128_CBC_WITH_MD5,
	SSL_CK_RC4_128_WITH_MD5, SSL_CK_DES_64_CBC_WITH_MD5,
	SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5, SSL_CK_RC4_128_EXPORT40_WITH_MD5,
};
static const uint16_t ssl3_suites[] = { 0x0004, 0x0005, 0x000a, 0x0016 };
static const uint16_t export_suites[] = { 0x002f, 0x0014, 0x0008, 0x0003 };
static const uint16_t dh512_suites[] = {
	0x009f, 0x009e, 0x006b, 0x0067, 0x0039, 0x0033 };

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Address BASE.N plays profiles[N - 1]. */
static const struct profile profiles[NPROFILES] = {
	{ "ssl2", 1, ssl2_kinds, NELEMS(ssl2_kinds), 0, 0, NULL, 0, 1, NULL, 0 },
	{ "ssl3", 0, NULL, 0, V_SSL3, V_SSL3,
	  ssl3_suites, NELEMS(ssl3_suites), 0, &dh_oakley2, 0 },
	{ "export", 0, NULL, 0, V_TLS10, V_TLS10,
	  export_suites, NELEMS(export_suites), 1, &dh_modssl512, 0 },
	{ "dh512", 0, NULL, 0, V_TLS10, V_TLS12,
	  dh512_suites, NELEMS(dh512_suites), 1, &dh_s_server512, 1 },
};

/* ---- connections --------------------------------------------------------- */

enum conn_state {
	CS_SMTP,	/* reading SMTP command lines */
	CS_HELLO,	/* "220" to STARTTLS sent: reading the client's hello */
	CS_FLUSH,	/* last output queued; then stop writing */
	CS_LINGER,	/* discard input until the client hangs up */
	CS_FREE,	/* close and free at the end of this loop turn */
	CS_COUNT
};

static const char *const state_names[] = {
	[CS_SMTP] = "SMTP",
	[CS_HELLO] = "HELLO",
	[CS_FLUSH] = "FLUSH",
	[CS_LINGER] = "LINGER",
	[CS_FREE] = "FREE",
};
_Static_assert(NELEMS(state_names) == CS_COUNT,
    "state_names[] must name every conn_state");

struct conn {
	int			 fd;
	unsigned		 id;
	const struct profile	*pf;
	enum conn_state		 state;
	char			 peer[INET_ADDRSTRLEN + 8];
	uint8_t			*in;		/* IN_CAP bytes */
	size_t			 in_len;
	uint8_t			*out;		/* OUT_MAX bytes */
	size_t			 out_len, out_off;
	int64_t			 deadline;	/* monotonic ms */
};

static struct conn *conns[MAX_CONNS];
static int listeners[NPROFILES] = { -1, -1, -1, -1 };
static unsigned next_id = 1;
static int verbose;
static volatile sig_atomic_t stop_signal;
static int64_t accept_paused_until;

/* The server's identity and the keys made at start. */
static uint8_t *cert_der;
static size_t cert_der_len;
static EVP_PKEY *server_key;
static int server_key_bits;
static EVP_PKEY *export_key;		/* temporary RSA-512 (RFC 2246 7.4.3) */

/* ---- small helpers ------------------------------------------------------- */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* fill_random - n bytes from the kernel (getrandom(2)); -1 on failure. */
static int
fill_random(uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static void __attribute__((format(printf, 2, 3)))
logc(const struct conn *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "oldtls_smtpd: #%u %s %s: ", c->id, c->pf->name,
	    c->peer);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
log_ssl_error(const char *what)
{
	char buf[256];

	ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
	fprintf(stderr, "oldtls_smtpd: %s: %s\n", what, buf);
	ERR_clear_error();
}

static const struct suite *
suite_by_code(uint16_t code)
{
	size_t i;

	for (i = 0; i < NELEMS(suites); i++)
		if (suites[i].code == code)
			return &suites[i];
	return NULL;
}

static const char *
version_name(uint16_t v)
{
	switch (v) {
	case V_SSL2: return "SSLv2";
	case V_SSL3: return "SSLv3";
	case V_TLS10: return "TLSv1.0";
	case V_TLS11: return "TLSv1.1";
	case V_TLS12: return "TLSv1.2";
	default: return "?";
	}
}

/*
 * struct obuf - a bounded writer: an overflow sets err, which sticks, and
 * nothing is written past cap.  Length prefixes are reserved first and
 * patched when their contents are written (len_begin/len_end).
 */
struct obuf {
	uint8_t	*p;
	size_t	 len;
	size_t	 cap;
	int	 err;
};

static void
put8(struct obuf *b, unsigned v)
{
	if (b->err || b->len >= b->cap) {
		b->err = 1;
		return;
	}
	b->p[b->len++] = (uint8_t)v;
}

static void
put16(struct obuf *b, unsigned v)
{
	put8(b, (v >> 8) & 0xff);
	put8(b, v & 0xff);
}

static void
putn(struct obuf *b, const void *data, size_t n)
{
	if (b->err || n > b->cap - b->len) {
		b->err = 1;
		return;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static size_t
len_begin(struct obuf *b, int width)
{
	size_t at = b->len;
	int i;

	for (i = 0; i < width; i++)
		put8(b, 0);
	return at;
}

static void
len_end(struct obuf *b, size_t at, int width)
{
	size_t n, max = width == 1 ? 0xff : width == 2 ? 0xffff : 0xffffff;
	int i;

	if (b->err)
		return;
	n = b->len - at - (size_t)width;
	if (n > max) {
		b->err = 1;
		return;
	}
	for (i = width - 1; i >= 0; i--) {
		b->p[at + (size_t)i] = (uint8_t)(n & 0xff);
		n >>= 8;
	}
}

/* put_bn - a BIGNUM as opaque<1..2^16-1>, big-endian, no leading zeros. */
static void
put_bn(struct obuf *b, const BIGNUM *bn)
{
	int n = BN_num_bytes(bn);
	size_t at;

	if (n <= 0 || b->err || (size_t)n + 2 > b->cap - b->len) {
		b->err = 1;
		return;
	}
	at = len_begin(b, 2);
	BN_bn2bin(bn, b->p + b->len);
	b->len += (size_t)n;
	len_end(b, at, 2);
}

/* ---- output -------------------------------------------------------------- */

static void
conn_write(struct conn *c, const void *data, size_t len)
{
	if (len > OUT_MAX - c->out_len) {
		logc(c, "output full, dropping %zu bytes", len);
		return;
	}
	memcpy(c->out + c->out_len, data, len);
	c->out_len += len;
}

static void __attribute__((format(printf, 2, 3)))
conn_printf(struct conn *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		logc(c, "reply too long");
		return;
	}
	conn_write(c, buf, (size_t)n);
}

/* conn_set_state - the one place a connection changes state. */
static void
conn_set_state(struct conn *c, enum conn_state new)
{
	int64_t t = now_ms();

	if (verbose)
		logc(c, "%s -> %s", state_names[c->state], state_names[new]);
	c->state = new;
	switch (new) {
	case CS_SMTP:
		c->deadline = t + SMTP_TIMEOUT_MS;
		break;
	case CS_HELLO:
		c->deadline = t + HELLO_TIMEOUT_MS;
		break;
	case CS_FLUSH:
	case CS_LINGER:
		c->deadline = t + LINGER_MS;
		break;
	case CS_FREE:
	case CS_COUNT:
		break;
	}
}

/* conn_finish - nothing more to say: flush, stop writing, wait for EOF. */
static void
conn_finish(struct conn *c, const char *why)
{
	logc(c, "done: %s", why);
	conn_set_state(c, CS_FLUSH);
}

/*
 * put_record - data as records of content type `type`, each at most
 * RECORD_MAX bytes (RFC 5246 6.2.1), into the connection's output.
 */
static void
put_record(struct conn *c, uint8_t type, uint16_t version, const uint8_t *data,
    size_t len)
{
	do {
		size_t n = len < RECORD_MAX ? len : RECORD_MAX;
		uint8_t hdr[5] = { type, (uint8_t)(version >> 8),
		    (uint8_t)(version & 0xff), (uint8_t)(n >> 8),
		    (uint8_t)(n & 0xff) };

		conn_write(c, hdr, sizeof(hdr));
		conn_write(c, data, n);
		data += n;
		len -= n;
	} while (len > 0);
}

/* send_alert - a fatal alert (RFC 5246 7.2), then close. */
static void
send_alert(struct conn *c, uint16_t version, uint8_t description)
{
	uint8_t a[2] = { 2, description };

	put_record(c, CT_ALERT, version, a, sizeof(a));
	logc(c, "alert %u (record version 0x%04x)", description, version);
	conn_finish(c, "refused");
}

/* ---- the client's hello ------------------------------------------------ */

enum scan {
	SCAN_MORE,	/* not complete yet */
	SCAN_OK,	/* struct hello filled */
	SCAN_CLOSE,	/* not a hello we can answer: close without a word */
	SCAN_ALERT	/* malformed TLS: answer with *alert */
};

/*
 * A ClientHello, from a TLS record (RFC 5246 7.4.1.2, RFC 6101 5.6.1.2) or
 * in SSLv2 format (SSL 2.0 CLIENT-HELLO; RFC 2246 E.2).  The pointers
 * point into hs_buf, valid until the next scan.
 */
struct hello {
	int		 sslv2_format;
	uint16_t	 record_version;	/* TLS format: first record's */
	uint16_t	 version;		/* client_version */
	uint8_t		 random[32];		/* SSLv2: challenge, right-aligned */
	size_t		 challenge_len;		/* SSLv2 format */
	const uint8_t	*specs;			/* TLS: 2-byte suites; SSLv2: 3-byte */
	size_t		 specs_len;
	int		 null_compression;
	const uint8_t	*exts;			/* after the compression methods */
	size_t		 exts_len;
};

/* The handshake message being reassembled from records. */
static uint8_t hs_buf[HELLO_MAX + 4];

/* struct rd - a cursor over one message; err sticks. */
struct rd {
	const uint8_t	*p;
	size_t		 len, off;
	int		 err;
};

static size_t
rd_left(const struct rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

static unsigned
get8(struct rd *r)
{
	if (rd_left(r) < 1) {
		r->err = 1;
		return 0;
	}
	return r->p[r->off++];
}

static unsigned
get16(struct rd *r)
{
	unsigned v = get8(r) << 8;

	return v | get8(r);
}

/* getvec - a vector with a width-byte length, as pointer and length. */
static int
getvec(struct rd *r, int width, const uint8_t **p, size_t *n)
{
	size_t len = width == 1 ? get8(r) : get16(r);

	if (r->err || len > rd_left(r)) {
		r->err = 1;
		return -1;
	}
	*p = r->p + r->off;
	*n = len;
	r->off += len;
	return 0;
}

/* parse_client_hello - the body of a TLS-format ClientHello. */
static enum scan
parse_client_hello(const uint8_t *b, size_t n, struct hello *h, uint8_t *alert)
{
	struct rd r = { b, n, 0, 0 };
	const uint8_t *sid, *comp;
	size_t sid_len, comp_len, i;

	h->version = (uint16_t)get16(&r);
	if (rd_left(&r) < 32) {
		*alert = AL_DECODE_ERROR;
		return SCAN_ALERT;
	}
	memcpy(h->random, r.p + r.off, 32);
	r.off += 32;
	if (getvec(&r, 1, &sid, &sid_len) == -1 ||
	    getvec(&r, 2, &h->specs, &h->specs_len) == -1 ||
	    getvec(&r, 1, &comp, &comp_len) == -1) {
		*alert = AL_DECODE_ERROR;
		return SCAN_ALERT;
	}
	/* session_id<0..32>, cipher_suites<2..2^16-2>, compression<1..2^8-1> */
	if (sid_len > 32 || h->specs_len < 2 || h->specs_len % 2 != 0 ||
	    comp_len < 1) {
		*alert = AL_DECODE_ERROR;
		return SCAN_ALERT;
	}
	for (i = 0; i < comp_len; i++)
		if (comp[i] == 0)
			h->null_compression = 1;
	/* RFC 2246 7.4.1.2: what follows is extensions, or to be ignored. */
	h->exts = r.p + r.off;
	h->exts_len = rd_left(&r);
	return SCAN_OK;
}

/*
 * scan_tls - reassemble the ClientHello from the records in in[0..len):
 * they may split it anywhere (RFC 5246 6.2.1).  Nothing is consumed; the
 * caller scans again when more has arrived.
 */
static enum scan
scan_tls(const uint8_t *in, size_t len, struct hello *h, uint8_t *alert)
{
	size_t off = 0, got = 0, need = 0;

	if (len < 5)
		return SCAN_MORE;
	h->record_version = (uint16_t)(in[1] << 8 | in[2]);
	for (;;) {
		size_t rlen, take;

		if (len - off < 5)
			return SCAN_MORE;
		if (in[off + 1] != 3) {
			/* Not SSL 3.0 or TLS at all. */
			return SCAN_CLOSE;
		}
		rlen = (size_t)in[off + 3] << 8 | in[off + 4];
		if (in[off] != CT_HANDSHAKE || rlen == 0) {
			*alert = AL_UNEXPECTED_MESSAGE;
			return SCAN_ALERT;
		}
		if (rlen > RECORD_MAX) {
			*alert = AL_RECORD_OVERFLOW;
			return SCAN_ALERT;
		}
		if (len - off - 5 < rlen)
			return SCAN_MORE;
		take = rlen;
		if (got + take > sizeof(hs_buf))
			take = sizeof(hs_buf) - got;
		memcpy(hs_buf + got, in + off + 5, take);
		got += take;
		off += 5 + rlen;
		if (got >= 4 && need == 0) {
			if (hs_buf[0] != HT_CLIENT_HELLO) {
				*alert = AL_UNEXPECTED_MESSAGE;
				return SCAN_ALERT;
			}
			need = (size_t)hs_buf[1] << 16 |
			    (size_t)hs_buf[2] << 8 | hs_buf[3];
			if (need > HELLO_MAX) {
				*alert = AL_ILLEGAL_PARAMETER;
				return SCAN_ALERT;
			}
			need += 4;
		}
		if (need != 0 && got >= need)
			return parse_client_hello(hs_buf + 4, need - 4, h,
			    alert);
	}
}

/*
 * scan_ssl2 - an SSL 2.0 CLIENT-HELLO with a 2-byte record header, the
 * only form RFC 2246 E.2 and clients ever used for it:
 *
 *	msg-type 1, version[2], cipher-specs-length[2],
 *	session-id-length[2], challenge-length[2],
 *	cipher-specs[3 * n], session-id[0 or 16], challenge[16..32]
 */
static enum scan
scan_ssl2(const uint8_t *in, size_t len, struct hello *h)
{
	size_t rlen, sid_len;
	struct rd r;

	if (len < 2)
		return SCAN_MORE;
	rlen = (size_t)(in[0] & 0x7f) << 8 | in[1];
	if (rlen < 9 || rlen > HELLO_MAX)
		return SCAN_CLOSE;
	if (len - 2 < rlen)
		return SCAN_MORE;
	memcpy(hs_buf, in + 2, rlen);
	r = (struct rd){ hs_buf, rlen, 0, 0 };
	if (get8(&r) != SSL2_MT_CLIENT_HELLO)
		return SCAN_CLOSE;
	h->sslv2_format = 1;
	h->version = (uint16_t)get16(&r);
	h->specs_len = get16(&r);
	sid_len = get16(&r);
	h->challenge_len = get16(&r);
	if (h->specs_len == 0 || h->specs_len % 3 != 0 ||
	    (sid_len != 0 && sid_len != 16) ||
	    h->challenge_len < 16 || h->challenge_len > 32 ||
	    rd_left(&r) != h->specs_len + sid_len + h->challenge_len)
		return SCAN_CLOSE;
	h->specs = r.p + r.off;
	r.off += h->specs_len + sid_len;
	/* RFC 2246 E.2: the challenge, right-justified, is the client random. */
	memset(h->random, 0, sizeof(h->random));
	memcpy(h->random + 32 - h->challenge_len, r.p + r.off, h->challenge_len);
	h->null_compression = 1;
	return SCAN_OK;
}

/* scan_hello - what the first bytes after STARTTLS are. */
static enum scan
scan_hello(const uint8_t *in, size_t len, struct hello *h, uint8_t *alert)
{
	memset(h, 0, sizeof(*h));
	if (len == 0)
		return SCAN_MORE;
	if (in[0] == CT_HANDSHAKE)
		return scan_tls(in, len, h, alert);
	if (in[0] & 0x80)
		return scan_ssl2(in, len, h);
	/* An SMTP command, an alert first, or garbage: old servers hung up. */
	return SCAN_CLOSE;
}

/* offers_suite - does the hello list TLS suite code? */
static int
offers_suite(const struct hello *h, uint16_t code)
{
	size_t i, w = h->sslv2_format ? 3 : 2;

	for (i = 0; i + w <= h->specs_len; i += w) {
		const uint8_t *s = h->specs + i;

		if (w == 3 && s[0] != 0)
			continue;	/* an SSL 2.0 kind */
		if ((uint16_t)(s[w - 2] << 8 | s[w - 1]) == code)
			return 1;
	}
	return 0;
}

static int
offers_kind(const struct hello *h, uint32_t kind)
{
	size_t i;

	for (i = 0; i + 3 <= h->specs_len; i += 3)
		if (((uint32_t)h->specs[i] << 16 | (uint32_t)h->specs[i + 1] << 8 |
		    h->specs[i + 2]) == kind)
			return 1;
	return 0;
}

/* The extensions a server with `extensions` set reads. */
struct hello_exts {
	int		 renegotiation;		/* renegotiation_info sent */
	size_t		 renegotiation_len;	/* its renegotiated_connection */
	int		 sigalgs;		/* signature_algorithms sent */
	const uint8_t	*sigalg_list;
	size_t		 sigalg_len;
};

/* parse_exts - RFC 5246 7.4.1.4; -1 when the block is malformed. */
static int
parse_exts(const struct hello *h, struct hello_exts *e)
{
	struct rd r = { h->exts, h->exts_len, 0, 0 };
	const uint8_t *block;
	size_t block_len;

	memset(e, 0, sizeof(*e));
	if (h->sslv2_format || h->exts_len == 0)
		return 0;
	if (getvec(&r, 2, &block, &block_len) == -1 || rd_left(&r) != 0)
		return -1;
	r = (struct rd){ block, block_len, 0, 0 };
	while (rd_left(&r) > 0) {
		unsigned type = get16(&r);
		const uint8_t *d;
		size_t n;
		struct rd x;

		if (getvec(&r, 2, &d, &n) == -1)
			return -1;
		x = (struct rd){ d, n, 0, 0 };
		switch (type) {
		case EXT_RENEGOTIATION: {	/* RFC 5746 3.2 */
			const uint8_t *rc;
			size_t rc_len;

			if (getvec(&x, 1, &rc, &rc_len) == -1 || rd_left(&x) != 0)
				return -1;
			e->renegotiation = 1;
			e->renegotiation_len = rc_len;
			break;
		}
		case EXT_SIGNATURE_ALGS:	/* RFC 5246 7.4.1.4.1 */
			if (getvec(&x, 2, &e->sigalg_list, &e->sigalg_len) == -1 ||
			    rd_left(&x) != 0 || e->sigalg_len < 2 ||
			    e->sigalg_len % 2 != 0)
				return -1;
			e->sigalgs = 1;
			break;
		default:
			break;
		}
	}
	return 0;
}

/*
 * choose_sigalg - the RSA signature scheme for a TLS 1.2
 * ServerKeyExchange: our preference among what the client lists, or
 * {sha1,rsa} if it lists nothing (RFC 5246 7.4.1.4.1).  0 if none fits.
 */
static uint16_t
choose_sigalg(const struct hello_exts *e)
{
	static const uint16_t ours[] = {
		SIG_RSA_SHA256, SIG_RSA_SHA384, SIG_RSA_SHA512, SIG_RSA_SHA1 };
	size_t i, j;

	if (!e->sigalgs)
		return SIG_RSA_SHA1;
	for (i = 0; i < NELEMS(ours); i++)
		for (j = 0; j + 1 < e->sigalg_len; j += 2)
			if ((uint16_t)(e->sigalg_list[j] << 8 |
			    e->sigalg_list[j + 1]) == ours[i])
				return ours[i];
	return 0;
}

/* usable - may profile pf pick suite s at version v? */
static int
usable(const struct profile *pf, const struct suite *s, uint16_t v)
{
	if (v < s->min_version || v > s->max_version)
		return 0;
	/* RFC 2246 7.4.3 and appendix D.1: export DH at most 512 bits. */
	if (s->kx == KX_DHE_RSA_EXPORT && (pf->dh == NULL || pf->dh->len > 64))
		return 0;
	if ((s->kx == KX_DHE_RSA || s->kx == KX_DHE_RSA_EXPORT) && pf->dh == NULL)
		return 0;
	return 1;
}

/* choose_suite - the server's pick at version v, or NULL. */
static const struct suite *
choose_suite(const struct profile *pf, const struct hello *h, uint16_t v)
{
	size_t i, j, w = h->sslv2_format ? 3 : 2;

	if (pf->server_order) {
		for (i = 0; i < pf->n_suites; i++) {
			const struct suite *s = suite_by_code(pf->suites[i]);

			if (s != NULL && usable(pf, s, v) &&
			    offers_suite(h, s->code))
				return s;
		}
		return NULL;
	}
	for (j = 0; j + w <= h->specs_len; j += w) {
		const uint8_t *p = h->specs + j;
		uint16_t code = (uint16_t)(p[w - 2] << 8 | p[w - 1]);

		if (w == 3 && p[0] != 0)
			continue;
		for (i = 0; i < pf->n_suites; i++) {
			const struct suite *s = suite_by_code(pf->suites[i]);

			if (s != NULL && s->code == code && usable(pf, s, v))
				return s;
		}
	}
	return NULL;
}

/* ---- signatures and key exchange values ---------------------------------- */

/*
 * sign_params - the signature over client_random + server_random +
 * params of a ServerKeyExchange:
 *   SSL 3.0 (RFC 6101 5.6.3), TLS 1.0 and 1.1 (RFC 2246/4346 7.4.3): RSA
 *   PKCS #1 block type 1 over MD5(...) || SHA-1(...), 36 bytes, no
 *   DigestInfo (OpenSSL's md5-sha1 digest is exactly that);
 *   TLS 1.2 (RFC 5246 4.7): RSASSA-PKCS1-v1_5 with the hash of sigalg.
 * Returns the signature length, or 0 on failure.
 */
static size_t
sign_params(uint16_t version, uint16_t sigalg, const uint8_t *crandom,
    const uint8_t *srandom, const uint8_t *params, size_t plen,
    uint8_t *sig, size_t sigcap)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	const EVP_MD *hash;
	size_t siglen = sigcap;
	int ok = 0;

	if (md == NULL)
		return 0;
	if (version >= V_TLS12)
		hash = sigalg == SIG_RSA_SHA1 ? EVP_sha1() :
		    sigalg == SIG_RSA_SHA384 ? EVP_sha384() :
		    sigalg == SIG_RSA_SHA512 ? EVP_sha512() : EVP_sha256();
	else
		hash = EVP_md5_sha1();
	if (EVP_DigestSignInit(md, &pctx, hash, NULL, server_key) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_DigestSignUpdate(md, crandom, 32) == 1 &&
	    EVP_DigestSignUpdate(md, srandom, 32) == 1 &&
	    EVP_DigestSignUpdate(md, params, plen) == 1 &&
	    EVP_DigestSignFinal(md, sig, &siglen) == 1)
		ok = 1;
	else
		log_ssl_error("signing ServerKeyExchange");
	EVP_MD_CTX_free(md);
	return ok ? siglen : 0;
}

/* put_dh_params - ServerDHParams (RFC 5246 7.4.3): p, g, a fresh Ys. */
static int
put_dh_params(struct obuf *b, const struct dh_group *g)
{
	BIGNUM *p = BN_bin2bn(g->p, (int)g->len, NULL);
	BIGNUM *gen = BN_new(), *x = BN_new(), *ys = BN_new();
	BIGNUM *range = BN_new();
	BN_CTX *ctx = BN_CTX_new();
	size_t at;
	int ok = 0;

	if (p == NULL || gen == NULL || x == NULL || ys == NULL ||
	    range == NULL || ctx == NULL ||
	    BN_set_word(gen, g->g) != 1 ||
	    /* 2 <= x <= p - 2: Ys is never 1 or p - 1 */
	    BN_copy(range, p) == NULL || BN_sub_word(range, 3) != 1 ||
	    BN_priv_rand_range(x, range) != 1 || BN_add_word(x, 2) != 1 ||
	    BN_mod_exp(ys, gen, x, p, ctx) != 1) {
		log_ssl_error("DH share");
		goto out;
	}
	at = len_begin(b, 2);
	putn(b, g->p, g->len);
	len_end(b, at, 2);
	put_bn(b, gen);
	put_bn(b, ys);
	ok = !b->err;
out:
	BN_free(p);
	BN_free(gen);
	BN_clear_free(x);
	BN_free(ys);
	BN_free(range);
	BN_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* put_rsa_params - ServerRSAParams (RFC 2246 7.4.3): the temporary key. */
static int
put_rsa_params(struct obuf *b)
{
	BIGNUM *n = NULL, *e = NULL;
	int ok = 0;

	if (EVP_PKEY_get_bn_param(export_key, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
	    EVP_PKEY_get_bn_param(export_key, OSSL_PKEY_PARAM_RSA_E, &e) == 1) {
		put_bn(b, n);
		put_bn(b, e);
		ok = !b->err;
	} else {
		log_ssl_error("temporary RSA key");
	}
	BN_free(n);
	BN_free(e);
	return ok ? 0 : -1;
}

/* ---- answers ------------------------------------------------------------ */

/* put_handshake - one handshake message of type in its own record(s). */
static void
put_handshake(struct conn *c, uint16_t version, uint8_t type,
    const uint8_t *body, size_t len)
{
	uint8_t msg[4 + 2048];

	if (len > sizeof(msg) - 4) {
		/* Only the Certificate is bigger: header and body apart. */
		uint8_t *big = malloc(4 + len);

		if (big == NULL) {
			logc(c, "out of memory");
			return;
		}
		big[0] = type;
		big[1] = (uint8_t)(len >> 16);
		big[2] = (uint8_t)(len >> 8);
		big[3] = (uint8_t)len;
		memcpy(big + 4, body, len);
		put_record(c, CT_HANDSHAKE, version, big, 4 + len);
		free(big);
		return;
	}
	msg[0] = type;
	msg[1] = (uint8_t)(len >> 16);
	msg[2] = (uint8_t)(len >> 8);
	msg[3] = (uint8_t)len;
	if (len > 0)			/* ServerHelloDone has no body */
		memcpy(msg + 4, body, len);
	put_record(c, CT_HANDSHAKE, version, msg, 4 + len);
}

/*
 * answer_ssl2 - SSL 2.0 SERVER-HELLO: no session-id hit, our X.509
 * certificate, the cipher kinds both sides support (in our order), a
 * 16-byte connection id; or ERROR NO-CIPHER when none is common.
 */
static void
answer_ssl2(struct conn *c, const struct hello *h)
{
	const struct profile *pf = c->pf;
	uint8_t body[SSL2_RECORD_MAX], connid[SSL2_CONNECTION_ID_LEN];
	struct obuf b = { body, 0, sizeof(body), 0 };
	size_t i, specs_at, n = 0;

	put8(&b, SSL2_MT_SERVER_HELLO);
	put8(&b, 0);				/* SESSION-ID-HIT */
	put8(&b, SSL2_CT_X509_CERTIFICATE);
	put16(&b, V_SSL2);			/* SERVER-VERSION */
	put16(&b, (unsigned)cert_der_len);
	specs_at = len_begin(&b, 2);		/* patched below */
	put16(&b, SSL2_CONNECTION_ID_LEN);
	putn(&b, cert_der, cert_der_len);
	for (i = 0; i < pf->n_kinds; i++) {
		if (!offers_kind(h, pf->kinds[i]))
			continue;
		put8(&b, (pf->kinds[i] >> 16) & 0xff);
		put8(&b, (pf->kinds[i] >> 8) & 0xff);
		put8(&b, pf->kinds[i] & 0xff);
		n++;
	}
	if (n == 0) {
		static const uint8_t err[] = {
			0x80, 0x03, SSL2_MT_ERROR, 0x00, SSL2_PE_NO_CIPHER };

		conn_write(c, err, sizeof(err));
		conn_finish(c, "SSLv2 ERROR NO-CIPHER");
		return;
	}
	if (fill_random(connid, sizeof(connid)) == -1) {
		conn_finish(c, "no randomness");
		return;
	}
	putn(&b, connid, sizeof(connid));
	if (b.err || cert_der_len > 0xffff) {
		conn_finish(c, "SERVER-HELLO too long");
		return;
	}
	body[specs_at] = (uint8_t)((3 * n) >> 8);
	body[specs_at + 1] = (uint8_t)((3 * n) & 0xff);
	{
		uint8_t hdr[2] = { (uint8_t)(0x80 | (b.len >> 8)),
		    (uint8_t)(b.len & 0xff) };

		conn_write(c, hdr, sizeof(hdr));
		conn_write(c, body, b.len);
	}
	logc(c, "SSLv2 SERVER-HELLO, %zu cipher kinds", n);
	conn_finish(c, "flight sent");
}

/*
 * answer_tls - version and suite negotiation (RFC 6101 E.1, RFC 2246 E.1,
 * RFC 5246 E.1: the highest version both speak), then the server's first
 * flight, or the alert a server of the profile's kind sent.
 */
static void
answer_tls(struct conn *c, const struct hello *h)
{
	const struct profile *pf = c->pf;
	struct hello_exts e;
	const struct suite *s;
	uint8_t srandom[32], sid[32], body[4096], sig[1024];
	struct obuf b = { body, 0, sizeof(body), 0 };
	uint16_t v, rv, sigalg = 0;
	size_t at, params_at, siglen;
	int secure_reneg = 0;
	uint32_t t;

	/* Alerts before a version is agreed go in the client's record version. */
	rv = (h->record_version >> 8) == 3 ? h->record_version :
	    (h->version >> 8) == 3 ? h->version : V_SSL3;
	if ((h->version >> 8) != 3) {
		send_alert(c, rv, AL_PROTOCOL_VERSION);
		return;
	}
	v = h->version < pf->max_version ? h->version : pf->max_version;
	if (v < pf->min_version) {
		send_alert(c, rv, AL_PROTOCOL_VERSION);
		return;
	}
	if (!h->null_compression) {
		send_alert(c, v, AL_ILLEGAL_PARAMETER);
		return;
	}
	memset(&e, 0, sizeof(e));
	if (pf->extensions) {
		if (parse_exts(h, &e) == -1) {
			send_alert(c, v, AL_DECODE_ERROR);
			return;
		}
		/* RFC 7507 3: a downgraded retry while we speak better. */
		if (offers_suite(h, SCSV_FALLBACK) && h->version < pf->max_version) {
			send_alert(c, v, AL_INAPPROPRIATE_FALLBACK);
			return;
		}
		/* RFC 5746 3.6: initial handshake, so the field must be empty. */
		if (e.renegotiation && e.renegotiation_len != 0) {
			send_alert(c, v, AL_HANDSHAKE_FAILURE);
			return;
		}
		secure_reneg = e.renegotiation ||
		    offers_suite(h, SCSV_RENEGOTIATION);
	}
	if ((s = choose_suite(pf, h, v)) == NULL) {
		send_alert(c, v, AL_HANDSHAKE_FAILURE);
		return;
	}
	if (v >= V_TLS12 && s->kx != KX_RSA &&
	    (sigalg = choose_sigalg(&e)) == 0) {
		send_alert(c, v, AL_HANDSHAKE_FAILURE);
		return;
	}
	if (fill_random(srandom, sizeof(srandom)) == -1 ||
	    fill_random(sid, sizeof(sid)) == -1) {
		conn_finish(c, "no randomness");
		return;
	}
	/* RFC 5246 7.4.1.2: gmt_unix_time, then 28 random bytes. */
	t = (uint32_t)time(NULL);
	srandom[0] = (uint8_t)(t >> 24);
	srandom[1] = (uint8_t)(t >> 16);
	srandom[2] = (uint8_t)(t >> 8);
	srandom[3] = (uint8_t)t;

	/* ServerHello (RFC 5246 7.4.1.3, RFC 6101 5.6.1.3). */
	put16(&b, v);
	putn(&b, srandom, sizeof(srandom));
	put8(&b, sizeof(sid));
	putn(&b, sid, sizeof(sid));
	put16(&b, s->code);
	put8(&b, 0);				/* compression: null */
	if (secure_reneg) {
		/* RFC 5746 3.6: an empty renegotiation_info. */
		at = len_begin(&b, 2);
		put16(&b, EXT_RENEGOTIATION);
		put16(&b, 1);
		put8(&b, 0);
		len_end(&b, at, 2);
	}
	if (b.err) {
		conn_finish(c, "ServerHello too long");
		return;
	}
	put_handshake(c, v, HT_SERVER_HELLO, body, b.len);

	/* Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. */
	{
		size_t n = 6 + cert_der_len;
		uint8_t *cert = malloc(n);

		if (cert == NULL) {
			conn_finish(c, "out of memory");
			return;
		}
		cert[0] = (uint8_t)((cert_der_len + 3) >> 16);
		cert[1] = (uint8_t)((cert_der_len + 3) >> 8);
		cert[2] = (uint8_t)(cert_der_len + 3);
		cert[3] = (uint8_t)(cert_der_len >> 16);
		cert[4] = (uint8_t)(cert_der_len >> 8);
		cert[5] = (uint8_t)cert_der_len;
		memcpy(cert + 6, cert_der, cert_der_len);
		put_handshake(c, v, HT_CERTIFICATE, cert, n);
		free(cert);
	}

	/*
	 * ServerKeyExchange: for DHE, and for RSA_EXPORT when the
	 * certificate's key is longer than 512 bits (RFC 2246 7.4.3).
	 */
	if (s->kx != KX_RSA &&
	    !(s->kx == KX_RSA_EXPORT && server_key_bits <= 512)) {
		b = (struct obuf){ body, 0, sizeof(body), 0 };
		params_at = b.len;
		if ((s->kx == KX_RSA_EXPORT ? put_rsa_params(&b) :
		    put_dh_params(&b, pf->dh)) == -1) {
			conn_finish(c, "cannot make key exchange parameters");
			return;
		}
		siglen = sign_params(v, sigalg, h->random, srandom,
		    body + params_at, b.len - params_at, sig, sizeof(sig));
		if (siglen == 0) {
			conn_finish(c, "cannot sign");
			return;
		}
		if (v >= V_TLS12)
			put16(&b, sigalg);
		at = len_begin(&b, 2);
		putn(&b, sig, siglen);
		len_end(&b, at, 2);
		if (b.err) {
			conn_finish(c, "ServerKeyExchange too long");
			return;
		}
		put_handshake(c, v, HT_SERVER_KEY_EXCHANGE, body, b.len);
	}
	put_handshake(c, v, HT_SERVER_HELLO_DONE, NULL, 0);
	logc(c, "%s %s (client offered %s)%s", version_name(v), s->name,
	    version_name(h->version), secure_reneg ? ", RFC 5746" : "");
	conn_finish(c, "flight sent");
}

/* on_hello - the bytes after STARTTLS: wait, refuse or answer. */
static void
on_hello(struct conn *c)
{
	struct hello h;
	uint8_t alert = AL_HANDSHAKE_FAILURE;

	switch (scan_hello(c->in, c->in_len, &h, &alert)) {
	case SCAN_MORE:
		if (c->in_len == IN_CAP)
			conn_finish(c, "hello larger than our buffer");
		return;
	case SCAN_CLOSE:
		conn_finish(c, "not a hello this server understands: closing");
		return;
	case SCAN_ALERT:
		send_alert(c, (c->in_len >= 3 && c->in[1] == 3) ?
		    (uint16_t)(c->in[1] << 8 | c->in[2]) : V_SSL3, alert);
		return;
	case SCAN_OK:
		break;
	}
	c->in_len = 0;
	if (h.sslv2_format)
		logc(c, "SSLv2-format hello, version 0x%04x, %zu cipher specs",
		    h.version, h.specs_len / 3);
	else
		logc(c, "hello, version 0x%04x, %zu suites", h.version,
		    h.specs_len / 2);
	if (c->pf->ssl2) {
		/*
		 * An SSL 2.0 server reads only the SSLv2 format (and, like
		 * OpenSSL's SSLv23 method with only SSLv2 enabled, answers a
		 * v3 hello in that format in SSL 2.0); a TLS record is
		 * nonsense to it: it hangs up.
		 */
		if (h.sslv2_format)
			answer_ssl2(c, &h);
		else
			conn_finish(c, "TLS record to an SSL 2.0 server: closing");
		return;
	}
	if (h.sslv2_format && h.version < V_SSL3) {
		conn_finish(c, "SSL 2.0 hello to a server without SSL 2.0: closing");
		return;
	}
	answer_tls(c, &h);
}

/* ---- SMTP -------------------------------------------------------------- */

static const char *
hostname(const struct conn *c, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s-mx.mailtls.test", c->pf->name);
	return buf;
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
smtp_command(struct conn *c, const char *line)
{
	char host[64];

	hostname(c, host, sizeof(host));
	if (verbose)
		logc(c, "<<< %.80s", line);
	if (is_cmd(line, "EHLO"))
		conn_printf(c, "250-%s\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n"
		    "250 STARTTLS\r\n", host);
	else if (is_cmd(line, "HELO"))
		conn_printf(c, "250 %s\r\n", host);
	else if (strcasecmp(line, "STARTTLS") == 0) {
		conn_printf(c, "220 2.0.0 Ready to start TLS\r\n");
		conn_set_state(c, CS_HELLO);
	} else if (is_cmd(line, "STARTTLS"))
		conn_printf(c, "501 5.5.4 Syntax: STARTTLS\r\n");
	else if (is_cmd(line, "NOOP") || is_cmd(line, "RSET"))
		conn_printf(c, "250 2.0.0 OK\r\n");
	else if (is_cmd(line, "QUIT")) {
		conn_printf(c, "221 2.0.0 Bye\r\n");
		conn_finish(c, "QUIT");
	} else if (is_cmd(line, "MAIL") || is_cmd(line, "RCPT") ||
	    is_cmd(line, "DATA"))
		conn_printf(c, "530 5.7.0 Must issue a STARTTLS command first\r\n");
	else
		conn_printf(c, "502 5.5.2 Command not implemented\r\n");
}

/* on_smtp - every complete command line in the input, one at a time. */
static void
on_smtp(struct conn *c)
{
	char line[LINE_MAX_LEN + 1];

	while (c->state == CS_SMTP) {
		uint8_t *lf = memchr(c->in, '\n', c->in_len);
		size_t n, used;

		if (lf == NULL) {
			if (c->in_len > LINE_MAX_LEN) {
				conn_printf(c, "500 5.5.0 Line too long\r\n");
				conn_finish(c, "line too long");
			}
			return;
		}
		used = (size_t)(lf - c->in) + 1;
		n = used - 1;
		if (n > 0 && c->in[n - 1] == '\r')
			n--;
		if (n > LINE_MAX_LEN) {
			conn_printf(c, "500 5.5.0 Line too long\r\n");
			conn_finish(c, "line too long");
			return;
		}
		memcpy(line, c->in, n);
		line[n] = '\0';
		memmove(c->in, c->in + used, c->in_len - used);
		c->in_len -= used;
		if (memchr(line, '\0', n) != NULL) {
			conn_printf(c, "500 5.5.2 NUL in command\r\n");
			continue;
		}
		c->deadline = now_ms() + SMTP_TIMEOUT_MS;
		smtp_command(c, line);
	}
	if (c->state == CS_HELLO && c->in_len > 0) {
		/*
		 * Sent before our "220": pipelined in clear, never part of
		 * the TLS handshake (RFC 3207 5, CVE-2011-0411).
		 */
		logc(c, "dropping %zu bytes sent with STARTTLS", c->in_len);
		c->in_len = 0;
	}
}

/* ---- the loop ------------------------------------------------------------ */

static void
conn_free(struct conn *c)
{
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
}

static void
on_readable(struct conn *c)
{
	ssize_t n;

	if (c->state == CS_LINGER || c->state == CS_FLUSH) {
		uint8_t junk[4096];

		n = recv(c->fd, junk, sizeof(junk), 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR &&
		    errno != EWOULDBLOCK))
			conn_set_state(c, CS_FREE);
		return;
	}
	if (c->in_len == IN_CAP)
		return;			/* not polled for: see build_pollset */
	n = recv(c->fd, c->in + c->in_len, IN_CAP - c->in_len, 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR || errno == EWOULDBLOCK)
			return;
		logc(c, "read: %s", strerror(errno));
		conn_set_state(c, CS_FREE);
		return;
	}
	if (n == 0) {
		logc(c, "client closed%s", c->state == CS_HELLO ?
		    " before its hello was complete" : "");
		conn_set_state(c, CS_FREE);
		return;
	}
	c->in_len += (size_t)n;
	if (c->state == CS_SMTP)
		on_smtp(c);
	if (c->state == CS_HELLO)
		on_hello(c);
}

static void
on_writable(struct conn *c)
{
	ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
	    MSG_NOSIGNAL);

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR || errno == EWOULDBLOCK)
			return;
		if (verbose)
			logc(c, "write: %s", strerror(errno));
		conn_set_state(c, CS_FREE);
		return;
	}
	c->out_off += (size_t)n;
	if (c->out_off < c->out_len)
		return;
	c->out_off = c->out_len = 0;
	if (c->state == CS_FLUSH) {
		/* Our last word: FIN, then wait for the client's. */
		shutdown(c->fd, SHUT_WR);
		conn_set_state(c, CS_LINGER);
	}
}

static void
on_deadline(struct conn *c)
{
	switch (c->state) {
	case CS_SMTP:
		conn_printf(c, "421 4.4.2 Timeout, closing\r\n");
		conn_finish(c, "SMTP timeout");
		break;
	case CS_HELLO:
		logc(c, "no complete hello in time");
		conn_set_state(c, CS_FREE);
		break;
	case CS_FLUSH:
	case CS_LINGER:
		conn_set_state(c, CS_FREE);
		break;
	case CS_FREE:
	case CS_COUNT:
		break;
	}
}

static void
format_peer(const struct sockaddr_in *sin, char *buf, size_t bufsz)
{
	char addr[INET_ADDRSTRLEN];

	if (inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr)) == NULL)
		snprintf(buf, bufsz, "?");
	else
		snprintf(buf, bufsz, "%s:%u", addr, ntohs(sin->sin_port));
}

static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void
on_accept(size_t li)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	struct conn *c;
	char host[64];
	size_t slot;
	int fd;

	fd = accept(listeners[li], (struct sockaddr *)&sin, &slen);
	if (fd == -1) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			fprintf(stderr, "oldtls_smtpd: accept: %s; pausing 1 s\n",
			    strerror(errno));
			accept_paused_until = now_ms() + 1000;
		}
		return;
	}
	for (slot = 0; slot < MAX_CONNS && conns[slot] != NULL; slot++)
		;
	if (slot == MAX_CONNS || set_nonblock(fd) == -1 ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->in = malloc(IN_CAP);
	c->out = malloc(OUT_MAX);
	if (c->in == NULL || c->out == NULL) {
		free(c->in);
		free(c->out);
		free(c);
		close(fd);
		return;
	}
	c->fd = fd;
	c->id = next_id++;
	c->pf = &profiles[li];
	format_peer(&sin, c->peer, sizeof(c->peer));
	conns[slot] = c;
	c->state = CS_SMTP;
	c->deadline = now_ms() + SMTP_TIMEOUT_MS;
	logc(c, "connected");
	conn_printf(c, "220 %s ESMTP oldtls_smtpd\r\n",
	    hostname(c, host, sizeof(host)));
}

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/* serve - the poll() loop, until a signal. */
static void
serve(void)
{
	struct pollfd pfd[NPROFILES + MAX_CONNS];
	struct conn *owner[NPROFILES + MAX_CONNS];

	while (!stop_signal) {
		int64_t t = now_ms(), next = t + 1000;
		size_t n = 0, i, nconns = 0;
		int timeout, r;

		for (i = 0; i < MAX_CONNS; i++)
			if (conns[i] != NULL)
				nconns++;
		for (i = 0; i < NPROFILES; i++) {
			if (nconns == MAX_CONNS || t < accept_paused_until)
				continue;
			pfd[n] = (struct pollfd){ listeners[i], POLLIN, 0 };
			owner[n++] = NULL;
		}
		for (i = 0; i < MAX_CONNS; i++) {
			struct conn *c = conns[i];
			short ev = 0;

			if (c == NULL)
				continue;
			if (c->out_len > c->out_off)
				ev |= POLLOUT;
			else if (c->state == CS_FLUSH)
				on_writable(c);	/* nothing left: shut down now */
			if (c->in_len < IN_CAP || c->state >= CS_FLUSH)
				ev |= POLLIN;
			if (c->deadline < next)
				next = c->deadline;
			pfd[n] = (struct pollfd){ c->fd, ev, 0 };
			owner[n++] = c;
		}
		timeout = next > t ? (int)(next - t) : 0;
		if (t < accept_paused_until && accept_paused_until - t < timeout)
			timeout = (int)(accept_paused_until - t);
		r = poll(pfd, n, timeout);
		if (r == -1 && errno != EINTR) {
			fprintf(stderr, "oldtls_smtpd: poll: %s\n", strerror(errno));
			return;
		}
		for (i = 0; r > 0 && i < n; i++) {
			struct conn *c = owner[i];

			if (pfd[i].revents == 0)
				continue;
			if (c == NULL) {
				size_t li;

				for (li = 0; li < NPROFILES; li++)
					if (listeners[li] == pfd[i].fd)
						on_accept(li);
				continue;
			}
			if (c->state != CS_FREE &&
			    (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				on_readable(c);
			if (c->state != CS_FREE && (pfd[i].revents & POLLOUT))
				on_writable(c);
		}
		t = now_ms();
		for (i = 0; i < MAX_CONNS; i++) {
			struct conn *c = conns[i];

			if (c == NULL)
				continue;
			if (c->state != CS_FREE && t >= c->deadline)
				on_deadline(c);
			if (c->state == CS_FREE) {
				conn_free(c);
				conns[i] = NULL;
			}
		}
	}
}

/* ---- setup; only main() exits -------------------------------------------- */

static int
listen_on(size_t i, const char *bind_base, int port)
{
	struct sockaddr_in sin;
	char addr[64];
	int fd, one = 1;

	snprintf(addr, sizeof(addr), "%s.%zu", bind_base, i + 1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "oldtls_smtpd: bad address %s\n", addr);
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 128) == -1 || set_nonblock(fd) == -1) {
		fprintf(stderr, "oldtls_smtpd: cannot listen on %s:%d (%s): %s\n",
		    addr, port, profiles[i].name, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	listeners[i] = fd;
	return 0;
}

/* load_identity - the certificate (first of FILE) and its RSA key. */
static int
load_identity(const char *cert_file, const char *key_file)
{
	FILE *fp;
	X509 *x = NULL;
	EVP_PKEY *pub;
	unsigned char *der = NULL;
	int len, ok = 0;

	if ((fp = fopen(cert_file, "r")) == NULL) {
		fprintf(stderr, "oldtls_smtpd: %s: %s\n", cert_file, strerror(errno));
		return -1;
	}
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	if ((fp = fopen(key_file, "r")) == NULL) {
		fprintf(stderr, "oldtls_smtpd: %s: %s\n", key_file, strerror(errno));
		X509_free(x);
		return -1;
	}
	server_key = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	if (x == NULL || server_key == NULL) {
		log_ssl_error("reading the certificate and key");
		goto out;
	}
	if (EVP_PKEY_get_base_id(server_key) != EVP_PKEY_RSA) {
		fprintf(stderr, "oldtls_smtpd: %s: not an RSA key\n", key_file);
		goto out;
	}
	pub = X509_get0_pubkey(x);
	if (pub == NULL || EVP_PKEY_eq(pub, server_key) != 1) {
		fprintf(stderr, "oldtls_smtpd: %s does not match %s\n",
		    key_file, cert_file);
		goto out;
	}
	server_key_bits = EVP_PKEY_get_bits(server_key);
	if ((len = i2d_X509(x, &der)) <= 0 || len > 0xffff) {
		log_ssl_error("encoding the certificate");
		goto out;
	}
	cert_der = der;
	cert_der_len = (size_t)len;
	ok = 1;
out:
	X509_free(x);
	return ok ? 0 : -1;
}

/* make_export_key - the temporary 512-bit RSA key of RSA_EXPORT suites. */
static int
make_export_key(void)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, NULL);
	int ok;

	ok = ctx != NULL && EVP_PKEY_keygen_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 512) == 1 &&
	    EVP_PKEY_keygen(ctx, &export_key) == 1;
	if (!ok)
		log_ssl_error("generating the temporary RSA-512 key");
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
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
		fprintf(stderr, "oldtls_smtpd: pidfile %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: oldtls_smtpd --port N --cert FILE --key FILE "
	    "[--pidfile FILE] [--bind-base 127.0.3] [--verbose]\n");
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
	const char *bind_base = "127.0.3";
	struct sigaction sa;
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
				fprintf(stderr, "oldtls_smtpd: bad port %s\n",
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

	setvbuf(stderr, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (load_identity(cert, key) == -1 || make_export_key() == -1)
		goto out;
	for (i = 0; i < NPROFILES; i++)
		if (listen_on(i, bind_base, (int)port) == -1)
			goto out;
	/* Last: a pidfile means every address is listening. */
	if (pidfile != NULL && write_pidfile(pidfile) == -1)
		goto out;
	fprintf(stderr, "oldtls_smtpd: listening on %s.1-%d port %ld "
	    "(RSA %d-bit certificate)\n", bind_base, NPROFILES, port,
	    server_key_bits);

	serve();
	if (stop_signal)
		fprintf(stderr, "oldtls_smtpd: signal %d, exiting\n",
		    (int)stop_signal);
	rc = 0;
	if (pidfile != NULL)
		unlink(pidfile);
out:
	for (i = 0; i < MAX_CONNS; i++)
		if (conns[i] != NULL)
			conn_free(conns[i]);
	for (i = 0; i < NPROFILES; i++)
		if (listeners[i] != -1)
			close(listeners[i]);
	EVP_PKEY_free(server_key);
	EVP_PKEY_free(export_key);
	OPENSSL_free(cert_der);
	return rc;
}
