/*
 * findings.c - the table of finding kinds and the rules that attach them.
 * See findings.h.
 *
 * Severities follow what the problem does to mail in transit:
 *   critical  mail travels in clear text, or senders cannot deliver at all;
 *   high      encryption is easy to defeat or breaks for common senders;
 *   medium    weak, or fails for senders that authenticate (DANE, MTA-STS);
 *   low       worth fixing, no immediate effect;
 *   info      context.
 * Certificate problems are "medium", not fatal: opportunistic senders do
 * not check certificates, but senders enforcing MTA-STS or DANE-TA do.
 */
#include "check/findings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/auth.h"
#include "check/result.h"
#include "probe/cipher_suites.h"
#include "util/sanitize.h"

#define DAY (24 * 60 * 60)
#define EXPIRY_WARN_DAYS 30
#define EXPIRY_URGENT_DAYS 14
#define MTASTS_MAX_AGE_LOW (24 * 60 * 60)	/* below: max_age too short */

/* The one cipher policy every weak-suite finding points at. */
#define FIX_WEAK_CIPHERS { \
	[MTA_POSTFIX] = "smtpd_tls_exclude_ciphers = aNULL, eNULL, EXPORT, DES, " \
		    "RC4, 3DES, MD5, IDEA, SEED", \
		[MTA_EXIM] = "OpenSSL: tls_require_ciphers = " \
		    "HIGH:!aNULL:!eNULL:!3DES:!RC4:!MD5; GnuTLS: " \
		    "NORMAL:-3DES-CBC:-ARCFOUR-128", \
		[MTA_SENDMAIL] = "O CipherList=HIGH:!aNULL:!eNULL:!3DES:!RC4:!MD5", \
		[MTA_OPENSMTPD] = "listen on ... tls pki NAME ciphers \"secure\" (the libtls " \
		    "default)", \
		[MTA_EXCHANGE] = "Disable-TlsCipherSuite -Name TLS_RSA_WITH_3DES_EDE_CBC_SHA " \
		    "(and any RC4/DES suite); SChannel " \
		    "...\\SCHANNEL\\Ciphers\\RC4 128/128 Enabled=0", \
}

/* TLS 1.2 and up only, per MTA: every finding about an old protocol. */
#define FIX_LEGACY_PROTOCOLS { \
		[MTA_POSTFIX] = "smtpd_tls_protocols = >=TLSv1.2 (Postfix < 3.6: !SSLv2, " \
		    "!SSLv3, !TLSv1, !TLSv1.1)", \
		[MTA_EXIM] = "OpenSSL: openssl_options = +no_sslv2 +no_sslv3 +no_tlsv1 " \
		    "+no_tlsv1_1; GnuTLS: tls_require_ciphers = " \
		    "NORMAL:-VERS-TLS1.0:-VERS-TLS1.1", \
		[MTA_SENDMAIL] = "O ServerSSLOptions=+SSL_OP_NO_SSLv2 +SSL_OP_NO_SSLv3 " \
		    "+SSL_OP_NO_TLSv1 +SSL_OP_NO_TLSv1_1", \
		[MTA_OPENSMTPD] = "listen on ... tls pki NAME protocols \"tlsv1.2,tlsv1.3\" " \
		    "(the libtls default \"secure\")", \
		[MTA_EXCHANGE] = "disable TLS 1.0/1.1 in SChannel: " \
		    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS " \
		    "1.0\\Server Enabled=0 (same for TLS 1.1), then reboot", \
}

/* STARTTLS with a certificate, per MTA: every finding about missing TLS. */
#define FIX_ENABLE_STARTTLS { \
		[MTA_POSTFIX] = "smtpd_tls_security_level = may; smtpd_tls_chain_files = " \
		    "/etc/postfix/mx-key.pem, /etc/postfix/mx-fullchain.pem", \
		[MTA_EXIM] = "tls_advertise_hosts = *; tls_certificate = " \
		    "/etc/exim4/mx-fullchain.pem; tls_privatekey = " \
		    "/etc/exim4/mx-key.pem", \
		[MTA_SENDMAIL] = "sendmail.mc: define(`confSERVER_CERT', " \
		    "`/etc/mail/tls/mx.crt'), define(`confSERVER_KEY', " \
		    "`/etc/mail/tls/mx.key'), define(`confCACERT', ...); " \
		    "rebuild sendmail.cf", \
		[MTA_OPENSMTPD] = "pki mx.example.org cert \"/etc/ssl/mx.crt\"; pki " \
		    "mx.example.org key \"/etc/ssl/private/mx.key\"; listen on " \
		    "egress tls pki mx.example.org", \
		[MTA_EXCHANGE] = "Enable-ExchangeCertificate -Thumbprint <thumbprint> " \
		    "-Services SMTP with a certificate naming the receive " \
		    "connector's FQDN", \
}

/* Where each MTA takes its certificate chain: every certificate finding. */
#define FIX_CERT_FILES { \
		[MTA_POSTFIX] = "smtpd_tls_chain_files = key.pem, fullchain.pem (leaf " \
		    "first, then intermediates); postfix reload after renewal", \
		[MTA_EXIM] = "tls_certificate = fullchain.pem (leaf + intermediates), " \
		    "tls_privatekey = key.pem; read per connection, no reload " \
		    "needed", \
		[MTA_SENDMAIL] = "confSERVER_CERT = the leaf, confCACERT = the " \
		    "intermediates; restart sendmail after renewal", \
		[MTA_OPENSMTPD] = "pki NAME cert \"fullchain.pem\"; pki NAME key \"key.pem\"; " \
		    "rcctl restart smtpd after renewal", \
		[MTA_EXCHANGE] = "Import-ExchangeCertificate, then " \
		    "Enable-ExchangeCertificate -Services SMTP; its names must " \
		    "include the connector FQDN", \
}

static const struct finding_kind kinds[] = {
	[F_DOMAIN_NXDOMAIN] = { "domain-nxdomain", SEV_CRITICAL,
	    "The domain does not exist in DNS (NXDOMAIN)",
	    "Check the spelling. If the domain should receive mail, publish "
	    "it in DNS with MX records.",
	    .refs = { NULL } },
	[F_DOMAIN_DNS_FAILURE] = { "domain-dns-failure", SEV_HIGH,
	    "The MX lookup failed",
	    "Senders defer mail while the domain's name servers fail. Check "
	    "that every authoritative server answers for the zone.",
	    .refs = { NULL } },
	[F_DOMAIN_DNS_TIMEOUT] = { "domain-dns-timeout", SEV_HIGH,
	    "The MX lookup timed out",
	    "No answer arrived in time. Check that the domain's name servers "
	    "are reachable over UDP and TCP; senders defer mail meanwhile.",
	    .refs = { NULL } },
	[F_DNSSEC_BOGUS] = { "dnssec-bogus", SEV_CRITICAL,
	    "DNSSEC validation failed (bogus)",
	    "Validating resolvers return SERVFAIL, so senders behind them "
	    "cannot deliver. Re-sign the zone or fix the DS record at the "
	    "parent (RFC 4035).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc4035" } },
	[F_DNSSEC_UNSIGNED] = { "dnssec-unsigned", SEV_INFO,
	    "The MX records are not DNSSEC-signed",
	    "Without DNSSEC, senders cannot use DANE (RFC 7672) and an "
	    "attacker can forge MX answers. Sign the zone.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc4033",
		"https://www.rfc-editor.org/rfc/rfc7672" } },
	[F_NULL_MX] = { "null-mx", SEV_INFO,
	    "The domain declares that it accepts no mail (null MX, RFC 7505)",
	    "Nothing to do if the domain should not receive mail.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7505" } },
	[F_NULL_MX_MIXED] = { "null-mx-mixed", SEV_MEDIUM,
	    "A null MX (\".\") is published beside other MX records",
	    "RFC 7505 3: a null MX must be the only MX record. Remove it, or "
	    "remove the others.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7505" } },
	[F_IMPLICIT_MX] = { "implicit-mx", SEV_LOW,
	    "No MX records: mail goes to the domain's own address (implicit "
	    "MX, RFC 5321 5.1)",
	    "Publish an MX record naming the mail server, or a null MX "
	    "(\"MX 0 .\", RFC 7505) if the domain receives no mail.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc5321",
		"https://www.rfc-editor.org/rfc/rfc7505" } },
	[F_NO_MX_HOSTS] = { "no-mail-server", SEV_CRITICAL,
	    "No mail server of the domain has an address",
	    "Every MX host must have an A or AAAA record.",
	    .refs = { NULL } },
	[F_TOO_MANY_MX] = { "too-many-mx", SEV_LOW,
	    "More MX hosts than mailtls checks",
	    "Only the most preferred hosts were checked.",
	    .refs = { NULL } },
	[F_MX_IS_CNAME] = { "mx-is-cname", SEV_LOW,
	    "The MX host name is an alias (CNAME)",
	    "RFC 2181 10.3 and RFC 5321 5.1: an MX must name a host with "
	    "address records, not an alias. Point the MX at the canonical "
	    "name.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc2181",
		"https://www.rfc-editor.org/rfc/rfc5321" } },
	[F_MX_NO_ADDRESS] = { "mx-no-address", SEV_HIGH,
	    "The MX host has no IPv4 or IPv6 address",
	    "Add A and/or AAAA records for the host, or remove the MX record.",
	    .refs = { NULL } },
	[F_MX_ADDRESS_DNS_FAILURE] = { "mx-address-dns-failure", SEV_MEDIUM,
	    "The address lookup of the MX host failed",
	    "Check the name servers of the MX host's zone.",
	    .refs = { NULL } },
	[F_ADDRESS_RESERVED] = { "address-reserved", SEV_MEDIUM,
	    "The address is not reachable from the Internet",
	    "A loopback, private or reserved address in a public MX is a "
	    "mistake (or a test setup): senders cannot connect to it.",
	    .refs = { NULL } },
	[F_NO_STARTTLS] = { "no-starttls", SEV_CRITICAL,
	    "The server does not offer STARTTLS: mail arrives in clear text",
	    "Enable STARTTLS with a certificate (Postfix: smtpd_tls_security_"
	    "level = may, smtpd_tls_chain_files; Exim: tls_certificate, "
	    "tls_privatekey; Sendmail: CERT_DIR/confSERVER_CERT; OpenSMTPD: "
	    "listen on ... tls pki NAME). RFC 3207.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc3207",
		"https://www.rfc-editor.org/rfc/rfc7435" },
	    .fix_mta = FIX_ENABLE_STARTTLS },
	[F_STARTTLS_REFUSED] = { "starttls-refused", SEV_HIGH,
	    "The server advertises STARTTLS but refuses it",
	    "Usually a certificate or key the server cannot load (Postfix "
	    "logs \"TLS not available due to local problem\"). Senders then "
	    "deliver in clear text. Fix the TLS configuration.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc3207" },
	    .fix_mta = {
		[MTA_POSTFIX] = "check smtpd_tls_chain_files (or "
		    "smtpd_tls_cert_file/key_file) are readable; the log says "
		    "why",
		[MTA_EXIM] = "check tls_certificate/tls_privatekey; exim -bd -d+tls "
		    "shows the load error",
		[MTA_SENDMAIL] = "check confSERVER_CERT/confSERVER_KEY permissions (sendmail "
		    "refuses group-readable keys)",
		[MTA_OPENSMTPD] = "smtpd -n checks the pki lines",
		[MTA_EXCHANGE] = "Get-ExchangeCertificate: the SMTP certificate must be "
		    "valid and have its private key",
	    } },
	[F_TLS_HANDSHAKE_FAILED] = { "tls-handshake-failed", SEV_HIGH,
	    "STARTTLS was accepted but the TLS handshake failed",
	    "Senders either fall back to clear text or defer the mail. Check "
	    "the server's protocol and cipher settings and its certificate.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc3207",
		"https://www.rfc-editor.org/rfc/rfc9325" } },
	[F_STARTTLS_INJECTION] = { "starttls-injection", SEV_HIGH,
	    "Data followed the 220 reply to STARTTLS (command injection)",
	    "Something on the path, or the server, sends extra bytes after "
	    "\"220\"; a vulnerable client would act on them inside TLS "
	    "(CVE-2011-0411). Update the server software; check middleboxes.",
	    .refs = {
		"https://www.postfix.org/CVE-2011-0411.html",
		"https://www.rfc-editor.org/rfc/rfc3207" } },
	[F_SMTP_PROTOCOL_ERROR] = { "smtp-protocol-error", SEV_HIGH,
	    "The server broke the SMTP protocol",
	    "Senders will fail the same way. Check the server, and any "
	    "firewall or proxy in front of it.",
	    .refs = { NULL } },
	[F_INCONCLUSIVE] = { "inconclusive", SEV_INFO,
	    "No conclusion for this address (try again later)",
	    "Temporary refusals, timeouts and resets say nothing about "
	    "STARTTLS; check again later. If it persists, senders cannot "
	    "deliver here either.",
	    .refs = { NULL } },
	[F_EHLO_HELO_ONLY] = { "helo-only", SEV_HIGH,
	    "The server refuses EHLO and speaks only HELO",
	    "Without ESMTP (RFC 5321) there is no STARTTLS. Enable ESMTP.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc5321",
		"https://www.rfc-editor.org/rfc/rfc3207" } },
	[F_TLS_VERSION_OLD] = { "tls-version-obsolete", SEV_HIGH,
	    "The best protocol the server negotiated is older than TLS 1.2",
	    "TLS 1.0 and 1.1 are deprecated (RFC 8996) and refused by current "
	    "senders. Enable TLS 1.2 and 1.3 (Postfix: smtpd_tls_protocols = "
	    ">=TLSv1.2 only after checking your senders).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8996",
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = FIX_LEGACY_PROTOCOLS },
	[F_MODERN_CLIENT_REFUSES] = { "modern-client-refuses", SEV_HIGH,
	    "A default modern client would refuse this handshake: mail from "
	    "up-to-date senders queues",
	    "Fix the parameter named in the detail (for \"dh key too small\": "
	    "use a 2048-bit or larger DH group, or offer ECDHE).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325",
		"https://www.rfc-editor.org/rfc/rfc7919" } },
	[F_DH_WEAK] = { "dh-group-too-small", SEV_HIGH,
	    "The Diffie-Hellman group is smaller than 2048 bits",
	    "Use RFC 7919 ffdhe2048 or larger (Postfix: smtpd_tls_dh1024_"
	    "param_file with a 2048-bit group; Sendmail: DHParameters; Exim: "
	    "tls_dhparam = ffdhe2048), or prefer ECDHE.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7919",
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = {
		[MTA_POSTFIX] = "smtpd_tls_dh1024_param_file = /etc/postfix/ffdhe2048.pem "
		    "(RFC 7919 group; despite its name the parameter takes any "
		    "size), or leave it empty on Postfix >= 3.1 for the "
		    "built-in 2048-bit group",
		[MTA_EXIM] = "tls_dhparam = ffdhe2048 (or ffdhe3072); never a file with "
		    "a 1024-bit prime",
		[MTA_SENDMAIL] = "O DHParameters=/etc/mail/tls/ffdhe2048.pem",
		[MTA_OPENSMTPD] = "pki NAME dhe auto (the group then matches the key size; "
		    "\"legacy\" means 1024 bits)",
		[MTA_EXCHANGE] = "SChannel: "
		    "...\\SCHANNEL\\KeyExchangeAlgorithms\\Diffie-Hellman "
		    "ServerMinKeyBitLength=0x800, or disable the TLS_DHE_* "
		    "suites (Disable-TlsCipherSuite)",
	    } },
	[F_NO_FORWARD_SECRECY] = { "no-forward-secrecy", SEV_MEDIUM,
	    "The negotiated key exchange has no forward secrecy (RSA)",
	    "Prefer ECDHE and DHE suites, so a stolen key cannot decrypt "
	    "recorded mail.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = {
		[MTA_POSTFIX] = "tls_preempt_cipherlist = yes, and "
		    "smtpd_tls_exclude_ciphers = kRSA to drop RSA key exchange",
		[MTA_EXIM] = "OpenSSL: tls_require_ciphers = ECDHE:DHE:!aNULL:!eNULL and "
		    "openssl_options = +cipher_server_preference; GnuTLS: "
		    "NORMAL:-RSA:%SERVER_PRECEDENCE",
		[MTA_SENDMAIL] = "O CipherList=ECDHE:DHE:!aNULL:!eNULL and O "
		    "ServerSSLOptions=+SSL_OP_CIPHER_SERVER_PREFERENCE",
		[MTA_OPENSMTPD] = "listen on ... tls pki NAME ciphers \"secure\" (ECDHE/DHE "
		    "AEAD only)",
		[MTA_EXCHANGE] = "order the TLS_ECDHE_* suites first (Group Policy \"SSL "
		    "Cipher Suite Order\") and Disable-TlsCipherSuite the "
		    "TLS_RSA_WITH_* suites once no sender needs them",
	    } },
	[F_CIPHER_WEAK] = { "cipher-weak", SEV_HIGH,
	    "The negotiated cipher has less than 128-bit strength",
	    "Remove 3DES, RC4, DES and EXPORT suites from the server's list.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325",
		"https://www.rfc-editor.org/rfc/rfc7465" },
	    .fix_mta = FIX_WEAK_CIPHERS },
	[F_CERT_EXPIRED] = { "cert-expired", SEV_MEDIUM,
	    "The certificate has expired",
	    "Renew it. Senders enforcing MTA-STS or DANE-TA refuse it.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc5280",
		"https://www.rfc-editor.org/rfc/rfc8461" },
	    .fix_mta = FIX_CERT_FILES },
	[F_CERT_NOT_YET_VALID] = { "cert-not-yet-valid", SEV_MEDIUM,
	    "The certificate is not valid yet",
	    "Check the server clock and the certificate's notBefore date.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc5280" } },
	[F_CERT_EXPIRES_SOON] = { "cert-expires-soon", SEV_LOW,
	    "The certificate expires within 30 days",
	    "Renew it, and check that automatic renewal reloads the MTA.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461" },
	    .fix_mta = FIX_CERT_FILES },
	[F_CERT_NAME_MISMATCH] = { "cert-name-mismatch", SEV_MEDIUM,
	    "The certificate does not name the MX host",
	    "Add the MX host name to the certificate's subjectAltName. MTA-STS "
	    "senders check it (RFC 8461 4.2).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461",
		"https://www.rfc-editor.org/rfc/rfc6125" },
	    .fix_mta = FIX_CERT_FILES },
	[F_CERT_SELF_SIGNED] = { "cert-self-signed", SEV_LOW,
	    "The certificate is self-signed",
	    "Fine for opportunistic TLS and DANE-EE(3); senders enforcing "
	    "MTA-STS need a certificate from a public CA.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461",
		"https://www.rfc-editor.org/rfc/rfc7672" },
	    .fix_mta = FIX_CERT_FILES },
	[F_CERT_UNTRUSTED] = { "cert-untrusted", SEV_MEDIUM,
	    "The certificate chain does not verify against the trust store",
	    "Serve the full chain (leaf and intermediates) from a public CA.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461" },
	    .fix_mta = FIX_CERT_FILES },
	[F_CERT_WEAK_KEY] = { "cert-weak-key", SEV_HIGH,
	    "The certificate key is weaker than 112-bit strength",
	    "Use RSA 2048 or larger, or ECDSA P-256.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325" } },
	[F_CERT_SHA1] = { "cert-sha1-signature", SEV_MEDIUM,
	    "The certificate is signed with SHA-1 or MD5",
	    "Reissue it with a SHA-256 signature.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9155" } },
	[F_PROTO_SSL2] = { "protocol-sslv2", SEV_CRITICAL,
	    "The server accepts SSL 2.0",
	    "SSL 2.0 is broken (RFC 6176; DROWN). Disable it (Postfix: "
	    "smtpd_tls_protocols = !SSLv2, !SSLv3; Exim: tls_require_ciphers).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc6176",
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = {
		[MTA_POSTFIX] = "smtpd_tls_protocols = >=TLSv1 (Postfix < 3.6: !SSLv2, "
		    "!SSLv3); also smtpd_tls_mandatory_protocols",
		[MTA_EXIM] = "OpenSSL: openssl_options = +no_sslv2 +no_sslv3; GnuTLS: "
		    "tls_require_ciphers = NORMAL:-VERS-SSL3.0",
		[MTA_SENDMAIL] = "O ServerSSLOptions=+SSL_OP_NO_SSLv2 +SSL_OP_NO_SSLv3",
		[MTA_OPENSMTPD] = "libtls never speaks SSL: upgrade OpenSMTPD/LibreSSL",
		[MTA_EXCHANGE] = "SChannel: ...\\SCHANNEL\\Protocols\\SSL 2.0 and SSL "
		    "3.0\\Server Enabled=0",
	    } },
	[F_PROTO_SSL3] = { "protocol-sslv3", SEV_HIGH,
	    "The server accepts SSL 3.0",
	    "SSL 3.0 is broken (RFC 7568; POODLE). Disable it (Postfix: "
	    "smtpd_tls_protocols = !SSLv2, !SSLv3).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7568",
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = {
		[MTA_POSTFIX] = "smtpd_tls_protocols = >=TLSv1 (Postfix < 3.6: !SSLv2, "
		    "!SSLv3); also smtpd_tls_mandatory_protocols",
		[MTA_EXIM] = "OpenSSL: openssl_options = +no_sslv2 +no_sslv3; GnuTLS: "
		    "tls_require_ciphers = NORMAL:-VERS-SSL3.0",
		[MTA_SENDMAIL] = "O ServerSSLOptions=+SSL_OP_NO_SSLv2 +SSL_OP_NO_SSLv3",
		[MTA_OPENSMTPD] = "libtls never speaks SSL: upgrade OpenSMTPD/LibreSSL",
		[MTA_EXCHANGE] = "SChannel: ...\\SCHANNEL\\Protocols\\SSL 2.0 and SSL "
		    "3.0\\Server Enabled=0",
	    } },
	[F_PROTO_TLS1_LEGACY] = { "protocol-tls10-tls11", SEV_LOW,
	    "The server still accepts TLS 1.0 or 1.1",
	    "Deprecated by RFC 8996. Harmless while TLS 1.2+ is preferred, but "
	    "plan to disable them (Postfix: smtpd_tls_protocols = >=TLSv1.2).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8996",
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = FIX_LEGACY_PROTOCOLS },
	[F_NO_TLS12] = { "no-tls12", SEV_HIGH,
	    "The server supports neither TLS 1.2 nor TLS 1.3",
	    "Current senders refuse older versions. Upgrade the TLS library "
	    "or the MTA.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8996",
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = {
		[MTA_POSTFIX] = "rebuild or upgrade Postfix against OpenSSL >= 1.1.1",
		[MTA_EXIM] = "upgrade Exim with GnuTLS >= 3.6 or OpenSSL >= 1.1.1",
		[MTA_SENDMAIL] = "rebuild sendmail against OpenSSL >= 1.1.1",
		[MTA_OPENSMTPD] = "upgrade OpenSMTPD and LibreSSL/OpenSSL",
		[MTA_EXCHANGE] = "install current Windows updates (SChannel)",
	    } },
	[F_NO_TLS13] = { "no-tls13", SEV_INFO,
	    "The server does not support TLS 1.3",
	    "TLS 1.3 (RFC 8446) is faster and drops legacy options; it comes "
	    "with OpenSSL 1.1.1+ and GnuTLS 3.6.5+.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8446",
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = {
		[MTA_POSTFIX] = "nothing to set with OpenSSL >= 1.1.1 (unless "
		    "smtpd_tls_protocols excludes TLSv1.3)",
		[MTA_EXIM] = "GnuTLS >= 3.6.5 or OpenSSL >= 1.1.1; check "
		    "tls_require_ciphers does not drop VERS-TLS1.3",
		[MTA_SENDMAIL] = "sendmail >= 8.16 built with OpenSSL >= 1.1.1",
		[MTA_OPENSMTPD] = "OpenSMTPD >= 6.6 with LibreSSL >= 3.2 or OpenSSL >= 1.1.1",
		[MTA_EXCHANGE] = "Windows Server 2022 or later (Exchange Server SE / 2019 "
		    "CU15 supports TLS 1.3 there)",
	    } },
	[F_SUITES_EXPORT] = { "suites-export", SEV_CRITICAL,
	    "The server accepts EXPORT cipher suites",
	    "40/56-bit export suites are broken (FREAK, Logjam). Remove them: "
	    "Postfix: smtpd_tls_exclude_ciphers = EXPORT, LOW.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325",
		"https://weakdh.org/" },
	    .fix_mta = FIX_WEAK_CIPHERS },
	[F_SUITES_NULL] = { "suites-null", SEV_CRITICAL,
	    "The server accepts cipher suites without encryption (NULL)",
	    "Remove eNULL suites (Postfix: smtpd_tls_exclude_ciphers = eNULL).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = FIX_WEAK_CIPHERS },
	[F_SUITES_RC4] = { "suites-rc4", SEV_HIGH,
	    "The server accepts RC4",
	    "RC4 is prohibited by RFC 7465. Remove it (Postfix: "
	    "smtpd_tls_exclude_ciphers = RC4; Exim/GnuTLS: -ARCFOUR-128).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7465" },
	    .fix_mta = FIX_WEAK_CIPHERS },
	[F_SUITES_DES] = { "suites-des", SEV_HIGH,
	    "The server accepts single-DES suites (56-bit)",
	    "Remove DES (Postfix: smtpd_tls_exclude_ciphers = DES, LOW).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = FIX_WEAK_CIPHERS },
	[F_SUITES_3DES] = { "suites-3des", SEV_MEDIUM,
	    "The server accepts 3DES or other 64-bit block ciphers (SWEET32)",
	    "Remove 3DES, IDEA and RC2 (Postfix: smtpd_tls_exclude_ciphers = "
	    "3DES, IDEA, RC2).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325",
		"https://sweet32.info/" },
	    .fix_mta = FIX_WEAK_CIPHERS },
	[F_SUITES_ANON] = { "suites-anonymous", SEV_LOW,
	    "The server accepts anonymous (unauthenticated) suites",
	    "Only a client that offers them can use them, and opportunistic "
	    "TLS is unauthenticated anyway; senders enforcing DANE or MTA-STS "
	    "never offer them. Remove them for a cleaner profile (aNULL).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325",
		"https://www.rfc-editor.org/rfc/rfc7672" },
	    .fix_mta = {
		[MTA_POSTFIX] = "smtpd_tls_exclude_ciphers = aNULL (harmless to keep: only "
		    "clients that offer them use them)",
		[MTA_EXIM] = "OpenSSL: add :!aNULL to tls_require_ciphers; GnuTLS: "
		    "NORMAL excludes them already",
		[MTA_SENDMAIL] = "O CipherList=HIGH:!aNULL:!eNULL",
		[MTA_OPENSMTPD] = "the libtls \"secure\" list has none",
		[MTA_EXCHANGE] = "SChannel offers none",
	    } },
	[F_SUITES_NO_FS] = { "suites-without-forward-secrecy", SEV_LOW,
	    "The server accepts suites with RSA key exchange (no forward secrecy)",
	    "Clients that prefer them get no forward secrecy. Keep only ECDHE "
	    "and DHE suites, or at least prefer them.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = {
		[MTA_POSTFIX] = "tls_preempt_cipherlist = yes, and "
		    "smtpd_tls_exclude_ciphers = kRSA to drop RSA key exchange",
		[MTA_EXIM] = "OpenSSL: tls_require_ciphers = ECDHE:DHE:!aNULL:!eNULL and "
		    "openssl_options = +cipher_server_preference; GnuTLS: "
		    "NORMAL:-RSA:%SERVER_PRECEDENCE",
		[MTA_SENDMAIL] = "O CipherList=ECDHE:DHE:!aNULL:!eNULL and O "
		    "ServerSSLOptions=+SSL_OP_CIPHER_SERVER_PREFERENCE",
		[MTA_OPENSMTPD] = "listen on ... tls pki NAME ciphers \"secure\" (ECDHE/DHE "
		    "AEAD only)",
		[MTA_EXCHANGE] = "order the TLS_ECDHE_* suites first (Group Policy \"SSL "
		    "Cipher Suite Order\") and Disable-TlsCipherSuite the "
		    "TLS_RSA_WITH_* suites once no sender needs them",
	    } },
	[F_DH_COMMON_PRIME] = { "dh-common-prime", SEV_MEDIUM,
	    "The DH group is a widely shared prime of 1024 bits or less",
	    "Precomputation against common small primes is practical (Logjam, "
	    "2015). Use RFC 7919 ffdhe2048 or larger.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7919",
		"https://weakdh.org/" },
	    .fix_mta = {
		[MTA_POSTFIX] = "smtpd_tls_dh1024_param_file = /etc/postfix/ffdhe2048.pem "
		    "(RFC 7919 group; despite its name the parameter takes any "
		    "size), or leave it empty on Postfix >= 3.1 for the "
		    "built-in 2048-bit group",
		[MTA_EXIM] = "tls_dhparam = ffdhe2048 (or ffdhe3072); never a file with "
		    "a 1024-bit prime",
		[MTA_SENDMAIL] = "O DHParameters=/etc/mail/tls/ffdhe2048.pem",
		[MTA_OPENSMTPD] = "pki NAME dhe auto (the group then matches the key size; "
		    "\"legacy\" means 1024 bits)",
		[MTA_EXCHANGE] = "SChannel: "
		    "...\\SCHANNEL\\KeyExchangeAlgorithms\\Diffie-Hellman "
		    "ServerMinKeyBitLength=0x800, or disable the TLS_DHE_* "
		    "suites (Disable-TlsCipherSuite)",
	    } },
	[F_NO_SECURE_RENEGOTIATION] = { "no-secure-renegotiation", SEV_MEDIUM,
	    "The server does not support secure renegotiation (RFC 5746)",
	    "OpenSSL 3 clients refuse such servers by default. Upgrade the TLS "
	    "library.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc5746" },
	    .fix_mta = {
		[MTA_POSTFIX] = "rebuild or upgrade Postfix against OpenSSL >= 1.1.1",
		[MTA_EXIM] = "upgrade Exim with GnuTLS >= 3.6 or OpenSSL >= 1.1.1",
		[MTA_SENDMAIL] = "rebuild sendmail against OpenSSL >= 1.1.1",
		[MTA_OPENSMTPD] = "upgrade OpenSMTPD and LibreSSL/OpenSSL",
		[MTA_EXCHANGE] = "install current Windows updates (SChannel)",
	    } },
	[F_COMPRESSION] = { "tls-compression", SEV_MEDIUM,
	    "The server accepts TLS compression (CRIME)",
	    "Disable TLS-level compression (OpenSSL: SSL_OP_NO_COMPRESSION, "
	    "the default since 1.1.0).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325",
		"https://www.rfc-editor.org/rfc/rfc7457" },
	    .fix_mta = {
		[MTA_POSTFIX] = "rebuild or upgrade Postfix against OpenSSL >= 1.1.1",
		[MTA_EXIM] = "upgrade Exim with GnuTLS >= 3.6 or OpenSSL >= 1.1.1",
		[MTA_SENDMAIL] = "rebuild sendmail against OpenSSL >= 1.1.1",
		[MTA_OPENSMTPD] = "upgrade OpenSMTPD and LibreSSL/OpenSSL",
		[MTA_EXCHANGE] = "install current Windows updates (SChannel)",
	    } },
	[F_NO_FALLBACK_SCSV] = { "no-fallback-scsv", SEV_LOW,
	    "The server ignores TLS_FALLBACK_SCSV (RFC 7507)",
	    "A downgrade to an older version goes unnoticed. Upgrade the TLS "
	    "library, or disable the old versions.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7507" },
	    .fix_mta = {
		[MTA_POSTFIX] = "rebuild or upgrade Postfix against OpenSSL >= 1.1.1",
		[MTA_EXIM] = "upgrade Exim with GnuTLS >= 3.6 or OpenSSL >= 1.1.1",
		[MTA_SENDMAIL] = "rebuild sendmail against OpenSSL >= 1.1.1",
		[MTA_OPENSMTPD] = "upgrade OpenSMTPD and LibreSSL/OpenSSL",
		[MTA_EXCHANGE] = "install current Windows updates (SChannel)",
	    } },
	[F_CLIENT_ORDER] = { "client-cipher-order", SEV_INFO,
	    "The server follows the client's cipher order",
	    "Harmless when only strong suites are enabled; otherwise make the "
	    "server choose (Postfix: tls_preempt_cipherlist = yes).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc9325" },
	    .fix_mta = {
		[MTA_POSTFIX] = "tls_preempt_cipherlist = yes",
		[MTA_EXIM] = "OpenSSL: openssl_options = +cipher_server_preference; "
		    "GnuTLS: add %SERVER_PRECEDENCE to tls_require_ciphers",
		[MTA_SENDMAIL] = "O ServerSSLOptions=+SSL_OP_CIPHER_SERVER_PREFERENCE",
		[MTA_OPENSMTPD] = "libtls servers prefer their own order by default: check "
		    "that no \"ciphers\" line lists weak suites first",
		[MTA_EXCHANGE] = "SChannel always uses the server order: set it with Group "
		    "Policy \"SSL Cipher Suite Order\"",
	    } },
	[F_PROBE_INCOMPLETE] = { "probe-incomplete", SEV_INFO,
	    "The enumeration of protocols and suites is incomplete",
	    "The server stopped answering some probes (rate limits, 421). "
	    "Check again later for the full list.",
	    .refs = { NULL } },
	[F_CERT_EXPIRES_14_DAYS] = { "cert-expires-within-14-days", SEV_MEDIUM,
	    "The certificate expires within 14 days",
	    "Renew it now: automatic renewal usually runs 30 days ahead, so "
	    "it has probably failed. MTA-STS and DANE-TA senders stop "
	    "delivering once it expires.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461" },
	    .fix_mta = FIX_CERT_FILES },
	[F_ADDRESSES_DISAGREE] = { "addresses-disagree", SEV_MEDIUM,
	    "The addresses of this MX host do not behave alike",
	    "Senders pick any address (IPv4 or IPv6) of the host; each must "
	    "offer the same STARTTLS, protocols and certificate. Usually one "
	    "address reaches a different machine, or a load balancer member "
	    "was not updated.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc5321" } },
	[F_DANE_LOOKUP_FAILED] = { "dane-tlsa-lookup-failed", SEV_CRITICAL,
	    "The TLSA lookup failed: DANE senders defer all mail to this host",
	    "A signed zone must answer TLSA queries (with records or a signed "
	    "denial). Fix the zone's signatures or the name servers that "
	    "fail on TLSA queries (RFC 7672 2.2).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7672#section-2.2",
		"https://www.rfc-editor.org/rfc/rfc4035" } },
	[F_DANE_NO_MATCH] = { "dane-tlsa-mismatch", SEV_CRITICAL,
	    "No usable TLSA record matches the server's certificate: DANE "
	    "senders defer mail",
	    "Publish a TLSA record for the key the server presents (e.g. "
	    "\"3 1 1\" with the SHA-256 of its SubjectPublicKeyInfo) before "
	    "deploying a new key, and remove the old one only afterwards "
	    "(RFC 7671 8.1).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7672#section-3",
		"https://www.rfc-editor.org/rfc/rfc7671#section-8.1" },
	    .fix_mta = FIX_CERT_FILES },
	[F_DANE_NO_TLS] = { "dane-starttls-missing", SEV_CRITICAL,
	    "The host has TLSA records but STARTTLS is missing or fails: DANE "
	    "senders defer mail",
	    "TLSA records make TLS mandatory for DANE senders (RFC 7672 2.2). "
	    "Make STARTTLS work on every address, or withdraw the TLSA "
	    "records first.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7672#section-2.2",
		"https://www.rfc-editor.org/rfc/rfc3207" },
	    .fix_mta = FIX_ENABLE_STARTTLS },
	[F_DANE_UNUSABLE_RECORD] = { "dane-tlsa-unusable-record", SEV_LOW,
	    "A TLSA record is unusable for SMTP",
	    "PKIX-TA(0) and PKIX-EE(1) records are unusable for SMTP (RFC 7672 "
	    "3.1.3); malformed records are ignored. Publish DANE-EE(3) 1 1 "
	    "(or DANE-TA(2) 1 1) records instead.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7672#section-3.1.3",
		"https://www.rfc-editor.org/rfc/rfc7218" } },
	[F_DANE_NO_USABLE] = { "dane-no-usable-tlsa", SEV_MEDIUM,
	    "TLSA records are published but none is usable: TLS is mandatory "
	    "but not authenticated",
	    "DANE senders insist on TLS but cannot check the certificate. "
	    "Replace the records with DANE-EE(3) 1 1 records of the server's "
	    "key.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7672#section-2.2" } },
	[F_DANE_ROLLOVER] = { "dane-rollover-risk", SEV_LOW,
	    "The TLSA records cover only the current key: the next key "
	    "change breaks DANE",
	    "Publish a record for the next key (or the issuer, as DANE-TA) "
	    "ahead of the change, \"current + next\" (RFC 7671 8.1).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7671#section-8.1",
		"https://www.rfc-editor.org/rfc/rfc7672#section-3.1" } },
	[F_DANE_HOST_INSECURE] = { "dane-not-possible", SEV_INFO,
	    "The MX host's address records are not DNSSEC-signed: DANE cannot "
	    "apply to it",
	    "DANE needs a signed MX and signed address records for the host "
	    "(RFC 7672 2.2.2). Sign the host's zone to use DANE.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7672#section-2.2.2" } },
	[F_MTASTS_LOOKUP_FAILED] = { "mta-sts-lookup-failed", SEV_MEDIUM,
	    "The _mta-sts TXT lookup failed",
	    "Senders without a cached policy treat the domain as having no "
	    "MTA-STS. Fix the name servers (or DNSSEC signatures) answering "
	    "for _mta-sts.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461#section-3.1" } },
	[F_MTASTS_RECORD_INVALID] = { "mta-sts-record-invalid", SEV_MEDIUM,
	    "The _mta-sts TXT record is invalid: senders ignore MTA-STS",
	    "Publish exactly one record \"v=STSv1; id=<1-32 letters and "
	    "digits>\" at _mta-sts.<domain> (RFC 8461 3.1).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461#section-3.1" } },
	[F_MTASTS_FETCH_FAILED] = { "mta-sts-policy-unavailable", SEV_HIGH,
	    "The MTA-STS policy could not be fetched",
	    "Serve https://mta-sts.<domain>/.well-known/mta-sts.txt with a "
	    "valid certificate for mta-sts.<domain>, status 200, Content-Type "
	    "text/plain, no redirect (RFC 8461 3.3). Senders with a cached "
	    "policy keep applying it; new senders see none.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461#section-3.3" } },
	[F_MTASTS_POLICY_INVALID] = { "mta-sts-policy-invalid", SEV_HIGH,
	    "The MTA-STS policy file is invalid: senders ignore it",
	    "The file needs \"version: STSv1\", \"mode: enforce|testing|none\", "
	    "\"max_age: <seconds>\" and one \"mx:\" line per MX pattern, each "
	    "line \"key: value\" (RFC 8461 3.2).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461#section-3.2" } },
	[F_MTASTS_TESTING] = { "mta-sts-testing", SEV_LOW,
	    "MTA-STS is in testing mode: failures are reported, not prevented",
	    "Once the TLS-RPT reports show no failures, switch to \"mode: "
	    "enforce\" and change the id of the _mta-sts record.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461#section-5" } },
	[F_MTASTS_MODE_NONE] = { "mta-sts-mode-none", SEV_INFO,
	    "The MTA-STS policy has mode none (MTA-STS switched off)",
	    "Mode none withdraws a policy (RFC 8461 8.3). Use testing or "
	    "enforce to protect mail.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461#section-8.3" } },
	[F_MTASTS_MAX_AGE_SHORT] = { "mta-sts-max-age-short", SEV_LOW,
	    "The MTA-STS max_age is shorter than a day",
	    "A short max_age lets an attacker who blocks the policy fetch "
	    "wait for it to expire. Use weeks (RFC 8461 3.2 suggests "
	    "weeks or more, e.g. 604800 to 31557600).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461#section-3.2" } },
	[F_MTASTS_MX_NOT_LISTED] = { "mta-sts-mx-not-listed", SEV_HIGH,
	    "The MX host is not covered by any mx pattern of the MTA-STS "
	    "policy",
	    "Add an \"mx:\" line for the host (or a \"*.\" pattern covering "
	    "it); enforce-mode senders do not deliver to unlisted hosts "
	    "(RFC 8461 4.1).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461#section-4.1" } },
	[F_MTASTS_MX_FAILS] = { "mta-sts-mx-fails", SEV_HIGH,
	    "The MX address fails MTA-STS: no STARTTLS, or no valid "
	    "certificate for the MX name",
	    "MTA-STS senders require STARTTLS and a certificate that chains "
	    "to a public CA and names the MX host (RFC 8461 4.2).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461#section-4.2" },
	    .fix_mta = FIX_CERT_FILES },
	[F_MTASTS_BLOCKS_MAIL] = { "mta-sts-blocks-mail", SEV_CRITICAL,
	    "MTA-STS enforce: no MX address passes the policy, so "
	    "enforce-mode senders defer all mail",
	    "Fix the certificates or the policy's mx lines now, or switch the "
	    "policy to \"mode: testing\" (and change the record's id) until "
	    "they pass.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461#section-5" } },
	[F_TLSRPT_INVALID] = { "tls-rpt-invalid", SEV_LOW,
	    "The TLS-RPT record is invalid: senders send no reports",
	    "Publish one record \"v=TLSRPTv1; rua=mailto:tlsrpt@<domain>\" "
	    "(or an https: URI) at _smtp._tls.<domain> (RFC 8460 3).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8460#section-3" } },
	[F_TLSRPT_MISSING] = { "tls-rpt-missing", SEV_LOW,
	    "DANE or MTA-STS is deployed without TLS-RPT: failures go unseen",
	    "Publish \"v=TLSRPTv1; rua=mailto:tlsrpt@<domain>\" at "
	    "_smtp._tls.<domain> to receive daily reports of senders' TLS "
	    "failures (RFC 8460).",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8460" } },
	[F_NO_AUTHENTICATION] = { "no-authenticated-tls", SEV_LOW,
	    "Neither DANE nor MTA-STS: an active attacker can strip STARTTLS "
	    "or intercept mail unnoticed",
	    "Publish DANE TLSA records (needs DNSSEC) or an MTA-STS policy in "
	    "enforce mode, so that senders insist on authenticated TLS.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc7672",
		"https://www.rfc-editor.org/rfc/rfc8461" } },
	[F_TLS_REQUIRED_BUT_MISSING] = { "starttls-required-but-missing",
	    SEV_CRITICAL,
	    "The domain requires TLS, but STARTTLS was missing or failed "
	    "here: possible STARTTLS stripping on the path, or a "
	    "misconfigured server",
	    "Check from another network: if STARTTLS works there, something "
	    "on this path removes it (a middlebox or an attacker); if not, "
	    "the server is misconfigured and senders that honour the policy "
	    "defer mail.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc3207#section-6",
		"https://www.rfc-editor.org/rfc/rfc8461#section-1" },
	    .fix_mta = FIX_ENABLE_STARTTLS },
	[F_POLICY_LIST_MX_UNLISTED] = { "policy-list-mx-unlisted", SEV_MEDIUM,
	    "The MX host is not among the mxs the --policy-file list gives "
	    "for the domain",
	    "Senders applying the list refuse (enforce) or report (testing) "
	    "delivery to hosts it does not name: update the list's entry, or "
	    "the MX records.",
	    .refs = {
		"https://www.rfc-editor.org/rfc/rfc8461#section-4.1" } },
};
_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == F_COUNT,
    "one entry per finding_id");

static const char *const severity_names[] = {
	[SEV_INFO] = "info",
	[SEV_LOW] = "low",
	[SEV_MEDIUM] = "medium",
	[SEV_HIGH] = "high",
	[SEV_CRITICAL] = "critical",
};
_Static_assert(sizeof(severity_names) / sizeof(severity_names[0]) == SEV_COUNT,
    "one name per severity");

const struct finding_kind *
finding_kind(enum finding_id id)
{
	return &kinds[id];
}

static const char *const mta_names[] = {
	[MTA_POSTFIX] = "postfix",
	[MTA_EXIM] = "exim",
	[MTA_SENDMAIL] = "sendmail",
	[MTA_OPENSMTPD] = "opensmtpd",
	[MTA_EXCHANGE] = "exchange",
};
_Static_assert(sizeof(mta_names) / sizeof(mta_names[0]) == MTA_COUNT,
    "one name per MTA");

const char *
mta_name(enum mta m)
{
	return (unsigned)m < MTA_COUNT ? mta_names[m] : "?";
}

const char *
severity_name(enum severity s)
{
	return s < SEV_COUNT ? severity_names[s] : "?";
}

void
findings_add(struct findings *f, enum finding_id id, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 4;
		struct finding *v = realloc(f->v, cap * sizeof(*v));
		if (v == NULL)
			return;		/* a lost finding beats a crash */
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n].id = id;
	f->v[f->n].detail = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		f->v[f->n].detail = sanitize_str(buf, sizeof(buf));
	}
	f->n++;
}

int
findings_has(const struct findings *f, enum finding_id id)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].id == id)
			return 1;
	return 0;
}

void
findings_free(struct findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].detail);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* --- rules ------------------------------------------------------------ */

static void
derive_dns(struct domain_result *d)
{
	const struct dns_status *mx = &d->mx;
	size_t i, with_address = 0;

	if (mx->dnssec == DNSSEC_BOGUS)
		findings_add(&d->findings, F_DNSSEC_BOGUS, "MX lookup: %s",
		    mx->why_bogus ? mx->why_bogus : "validation failed");
	else if (mx->outcome == DNS_NXDOMAIN)
		findings_add(&d->findings, F_DOMAIN_NXDOMAIN, NULL);
	else if (mx->outcome == DNS_TIMEOUT)
		findings_add(&d->findings, F_DOMAIN_DNS_TIMEOUT, NULL);
	else if (mx->outcome != DNS_OK && mx->outcome != DNS_NODATA)
		findings_add(&d->findings, F_DOMAIN_DNS_FAILURE, "MX lookup: %s%s%s",
		    dns_outcome_name(mx->outcome), mx->error ? ": " : "",
		    mx->error ? mx->error : "");
	else if (mx->dnssec == DNSSEC_INSECURE)
		findings_add(&d->findings, F_DNSSEC_UNSIGNED, NULL);
	if (d->null_mx)
		findings_add(&d->findings, F_NULL_MX, NULL);
	if (d->null_mx_mixed > 0)
		findings_add(&d->findings, F_NULL_MX_MIXED, "%zu null MX record(s) "
		    "beside %zu other MX host(s)", d->null_mx_mixed, d->n_hosts);
	if (d->implicit_mx)
		findings_add(&d->findings, F_IMPLICIT_MX, NULL);
	if (d->mx_ignored > 0)
		findings_add(&d->findings, F_TOO_MANY_MX, "%zu MX hosts not checked",
		    d->mx_ignored);

	for (i = 0; i < d->n_hosts; i++) {
		struct host_result *h = &d->hosts[i];
		const struct dns_status *fail = NULL;

		if (h->a.canonname != NULL || h->aaaa.canonname != NULL)
			findings_add(&h->findings, F_MX_IS_CNAME, "%s is an alias of %s",
			    h->name, h->a.canonname ? h->a.canonname :
			    h->aaaa.canonname);
		if (h->a.dnssec == DNSSEC_BOGUS || h->aaaa.dnssec == DNSSEC_BOGUS)
			findings_add(&h->findings, F_DNSSEC_BOGUS,
			    "address lookup of %s", h->name);
		if (h->a.outcome != DNS_OK && h->a.outcome != DNS_NODATA &&
		    h->a.outcome != DNS_NXDOMAIN)
			fail = &h->a;
		else if (h->aaaa.outcome != DNS_OK && h->aaaa.outcome != DNS_NODATA &&
		    h->aaaa.outcome != DNS_NXDOMAIN)
			fail = &h->aaaa;
		if (fail != NULL)
			findings_add(&h->findings, F_MX_ADDRESS_DNS_FAILURE,
			    "%s lookup: %s", fail == &h->a ? "A" : "AAAA",
			    dns_outcome_name(fail->outcome));
		else if (h->n_servers == 0)
			findings_add(&h->findings, F_MX_NO_ADDRESS, "%s: %s",
			    h->name, h->a.outcome == DNS_NXDOMAIN ?
			    "the name does not exist" : "no A or AAAA records");
		if (h->n_servers > 0)
			with_address++;
	}
	if (d->n_hosts > 0 && with_address == 0 && !d->null_mx)
		findings_add(&d->findings, F_NO_MX_HOSTS, NULL);
}

static void
derive_smtp(struct server_result *s)
{
	const struct smtp_facts *sf = &s->smtp;
	const char *error = sf->error ? sf->error : "";

	if (s->reserved != NULL)
		findings_add(&s->findings, F_ADDRESS_RESERVED, "%s is %s",
		    s->addr_text, s->reserved);
	switch (sf->status) {
	case SMTP_STATUS_TLS_OK:
	case SMTP_STATUS_HANDED_OFF:
		break;
	case SMTP_STATUS_NO_STARTTLS:
		if (sf->used_helo)
			findings_add(&s->findings, F_EHLO_HELO_ONLY,
			    "EHLO answered %d", sf->ehlo_code);
		findings_add(&s->findings, F_NO_STARTTLS, "%s",
		    sf->used_helo ? "HELO only" : "not in the EHLO reply");
		break;
	case SMTP_STATUS_STARTTLS_REFUSED:
		findings_add(&s->findings, F_STARTTLS_REFUSED, "%s", error);
		break;
	case SMTP_STATUS_TLS_FAILED:
		findings_add(&s->findings, F_TLS_HANDSHAKE_FAILED, "%s", error);
		break;
	case SMTP_STATUS_PROTOCOL_ERROR:
		findings_add(&s->findings, sf->injected_bytes > 0 ?
		    F_STARTTLS_INJECTION : F_SMTP_PROTOCOL_ERROR, "%s", error);
		break;
	case SMTP_STATUS_NOT_TESTED:
		break;
	default:
		findings_add(&s->findings, F_INCONCLUSIVE, "%s: %s",
		    smtp_status_name(sf->status), error);
		break;
	}
}

static void
derive_tls(struct server_result *s, const char *host, int64_t now)
{
	const struct tls_facts *t = &s->tls;
	const struct cert_facts *leaf;
	size_t i;

	if (!t->handshake_ok)
		return;
	if (t->version_code < 0x0303)
		findings_add(&s->findings, F_TLS_VERSION_OLD, "negotiated %s",
		    t->version ? t->version : "?");
	for (i = 0; i < t->modern_refusals.n; i++)
		findings_add(&s->findings, F_MODERN_CLIENT_REFUSES, "%s",
		    t->modern_refusals.v[i]);
	if (t->kx != NULL && strcmp(t->kx, "DHE") == 0 && t->kx_bits > 0 &&
	    t->kx_bits < 2048)
		findings_add(&s->findings, F_DH_WEAK, "%d-bit DH group", t->kx_bits);
	if (!t->forward_secret)
		findings_add(&s->findings, F_NO_FORWARD_SECRECY, "%s with %s key "
		    "exchange", t->cipher ? t->cipher : "?", t->kx ? t->kx : "?");
	if (t->cipher_bits > 0 && t->cipher_bits < 128)
		findings_add(&s->findings, F_CIPHER_WEAK, "%s: %d bits",
		    t->cipher ? t->cipher : "?", t->cipher_bits);
	if (t->chain_len == 0)
		return;
	leaf = &t->chain[0];
	if (leaf->not_after < now)
		findings_add(&s->findings, F_CERT_EXPIRED, "expired %lld days ago",
		    (long long)((now - leaf->not_after) / DAY));
	else if (leaf->not_after - now < EXPIRY_URGENT_DAYS * DAY)
		findings_add(&s->findings, F_CERT_EXPIRES_14_DAYS,
		    "expires in %lld days", (long long)((leaf->not_after - now) / DAY));
	else if (leaf->not_after - now < EXPIRY_WARN_DAYS * DAY)
		findings_add(&s->findings, F_CERT_EXPIRES_SOON,
		    "expires in %lld days", (long long)((leaf->not_after - now) / DAY));
	if (leaf->not_before > now)
		findings_add(&s->findings, F_CERT_NOT_YET_VALID, "valid from %lld "
		    "days from now", (long long)((leaf->not_before - now) / DAY));
	if (t->matched_name == NULL)
		findings_add(&s->findings, F_CERT_NAME_MISMATCH, "%s not in %s%s",
		    host, leaf->dns_names.n ? "subjectAltName " : "CN ",
		    leaf->dns_names.n ? leaf->dns_names.v[0] :
		    leaf->common_name ? leaf->common_name : "(none)");
	if (leaf->self_signed)
		findings_add(&s->findings, F_CERT_SELF_SIGNED, "%s", leaf->subject);
	else if (!t->verify_ok && leaf->not_after >= now)
		findings_add(&s->findings, F_CERT_UNTRUSTED, "%s",
		    t->verify_error ? t->verify_error : "");
	if (leaf->key_security_bits > 0 && leaf->key_security_bits < 112)
		findings_add(&s->findings, F_CERT_WEAK_KEY, "%d-bit %s key",
		    leaf->key_bits, leaf->key_type ? leaf->key_type : "?");
	if (leaf->sig_sha1_or_worse && !leaf->self_signed)
		findings_add(&s->findings, F_CERT_SHA1, "%s", leaf->sig_alg);
}

typedef int suite_test(const struct cipher_suite *cs);

static int is_export(const struct cipher_suite *cs) { return cs->flags & CS_F_EXPORT; }
static int is_null(const struct cipher_suite *cs) { return cs->flags & CS_F_NULL_CIPHER; }
static int is_rc4(const struct cipher_suite *cs) { return cs->flags & CS_F_RC4; }
static int is_anon(const struct cipher_suite *cs) { return cs->flags & CS_F_ANON; }

static int
is_des(const struct cipher_suite *cs)
{
	return cs->enc == CS_ENC_DES_CBC && !(cs->flags & CS_F_EXPORT);
}

static int
is_sweet32(const struct cipher_suite *cs)
{
	return (cs->flags & CS_F_SWEET32) && cs->enc != CS_ENC_DES_CBC;
}

static int
is_no_fs(const struct cipher_suite *cs)
{
	return !(cs->flags & (CS_F_FORWARD_SECRET | CS_F_SIGNALLING | CS_F_ANON)) &&
	    cs->kx != CS_KX_ANY;
}

/* suites_with - "A, B and N more": the accepted suites that pass test. */
static int
suites_with(const struct probe_result *p, suite_test *test, char *buf, size_t len)
{
	size_t v, i, n = 0, o = 0;

	buf[0] = '\0';
	for (v = 0; v < PROBE_VERSION_COUNT; v++) {
		for (i = 0; i < p->versions[v].n_suites; i++) {
			const struct cipher_suite *cs =
			    cipher_suite_by_code(p->versions[v].suites[i].code);
			int w;

			if (cs == NULL || !test(cs))
				continue;
			if (++n <= 3 && o < len) {
				w = snprintf(buf + o, len - o, "%s%s", n > 1 ? ", " : "",
				    cipher_suite_name(cs));
				o += w > 0 ? (size_t)w : 0;
			}
		}
	}
	if (n > 3 && o < len)
		snprintf(buf + o, len - o, " and %zu more", n - 3);
	return n > 0;
}

static void
derive_probe(struct server_result *s)
{
	const struct probe_result *p = &s->probe;
	struct findings *f = &s->findings;
	char list[256];

	if (!p->done)
		return;
	if (p->versions[PROBE_SSL2].supported == PROBE_YES)
		findings_add(f, F_PROTO_SSL2, NULL);
	if (p->versions[PROBE_SSL3].supported == PROBE_YES)
		findings_add(f, F_PROTO_SSL3, NULL);
	if (p->versions[PROBE_TLS10].supported == PROBE_YES ||
	    p->versions[PROBE_TLS11].supported == PROBE_YES)
		findings_add(f, F_PROTO_TLS1_LEGACY, "%s%s%s",
		    p->versions[PROBE_TLS10].supported == PROBE_YES ? "TLS 1.0" : "",
		    p->versions[PROBE_TLS10].supported == PROBE_YES &&
		    p->versions[PROBE_TLS11].supported == PROBE_YES ? ", " : "",
		    p->versions[PROBE_TLS11].supported == PROBE_YES ? "TLS 1.1" : "");
	if (p->versions[PROBE_TLS12].supported == PROBE_NO &&
	    p->versions[PROBE_TLS13].supported == PROBE_NO)
		findings_add(f, F_NO_TLS12, NULL);
	else if (p->versions[PROBE_TLS13].supported == PROBE_NO)
		findings_add(f, F_NO_TLS13, NULL);
	if (suites_with(p, is_export, list, sizeof(list)))
		findings_add(f, F_SUITES_EXPORT, "%s", list);
	if (suites_with(p, is_null, list, sizeof(list)))
		findings_add(f, F_SUITES_NULL, "%s", list);
	if (suites_with(p, is_rc4, list, sizeof(list)))
		findings_add(f, F_SUITES_RC4, "%s", list);
	if (suites_with(p, is_des, list, sizeof(list)))
		findings_add(f, F_SUITES_DES, "%s", list);
	if (suites_with(p, is_sweet32, list, sizeof(list)))
		findings_add(f, F_SUITES_3DES, "%s", list);
	if (suites_with(p, is_anon, list, sizeof(list)))
		findings_add(f, F_SUITES_ANON, "%s", list);
	if (suites_with(p, is_no_fs, list, sizeof(list)))
		findings_add(f, F_SUITES_NO_FS, "%s", list);
	if (p->dh_bits > 0 && p->dh_bits < 2048 &&
	    !findings_has(f, F_DH_WEAK))
		findings_add(f, F_DH_WEAK, "%d-bit DH group accepted", p->dh_bits);
	if (p->dh_group != NULL && p->dh_bits > 0 && p->dh_bits <= 1024)
		findings_add(f, F_DH_COMMON_PRIME, "%s (%d bits)", p->dh_group,
		    p->dh_bits);
	if (p->secure_renegotiation == PROBE_NO)
		findings_add(f, F_NO_SECURE_RENEGOTIATION, NULL);
	if (p->compression == PROBE_YES)
		findings_add(f, F_COMPRESSION, NULL);
	if (p->fallback_scsv == PROBE_NO)
		findings_add(f, F_NO_FALLBACK_SCSV, NULL);
	if (p->server_order == PROBE_NO)
		findings_add(f, F_CLIENT_ORDER, NULL);
	if (p->inconclusive > 0 || p->error != NULL)
		findings_add(f, F_PROBE_INCOMPLETE, "%u attempts without an "
		    "answer%s%s", p->inconclusive, p->error ? "; " : "",
		    p->error ? p->error : "");
}

/* --- authentication: DANE, MTA-STS, TLS-RPT (per domain) --------------- */

static void
derive_dane(struct host_result *h)
{
	const struct dane_host_result *dh = &h->dane;
	char buf[256];
	size_t i;

	switch (dh->state) {
	case DANE_HOST_LOOKUP_FAILED:
		findings_add(&h->findings, F_DANE_LOOKUP_FAILED, "%s: %s",
		    dh->n_queries > 0 ? dh->queries[dh->n_queries - 1].qname :
		    h->name, dane_why_text(dh->why));
		return;
	case DANE_HOST_NOT_APPLICABLE:
		if (dh->why == DANE_WHY_ADDR_INSECURE)
			findings_add(&h->findings, F_DANE_HOST_INSECURE,
			    "%s: %s", h->name, dane_why_text(dh->why));
		return;
	case DANE_HOST_TLSA:
		break;
	default:
		return;
	}
	for (i = 0; i < dh->n_records; i++)
		if (!dane_tlsa_usable(&dh->records[i]))
			findings_add(&h->findings, F_DANE_UNUSABLE_RECORD,
			    "%s: %s", dane_tlsa_text(&dh->records[i], buf,
			    sizeof(buf)), tlsa_status_text(dh->records[i].status));
	if (dh->n_usable == 0)
		findings_add(&h->findings, F_DANE_NO_USABLE, "%zu record(s) at "
		    "_25._tcp.%s, none usable", dh->n_records,
		    dh->tlsa_base ? dh->tlsa_base : h->name);
	for (i = 0; i < h->n_servers; i++) {
		const struct dane_addr_result *a = &h->views[i].dane;

		if (a->state == DANE_ADDR_NO_MATCH)
			findings_add(&h->findings, F_DANE_NO_MATCH, "%s: %s",
			    h->servers[i]->addr_text, a->verify_error ?
			    a->verify_error : "no record matched");
		else if (a->state == DANE_ADDR_NO_TLS)
			findings_add(&h->findings, F_DANE_NO_TLS, "%s: %s",
			    h->servers[i]->addr_text,
			    smtp_status_name(h->servers[i]->smtp.status));
	}
	if (dh->addresses_valid > 0 && (dh->rollover & (DANE_ROLL_NO_NEXT |
	    DANE_ROLL_EE_CERT_ONLY | DANE_ROLL_EXPIRES_SOON)) != 0)
		findings_add(&h->findings, F_DANE_ROLLOVER, "%s",
		    dane_rollover_text(dh->rollover, buf, sizeof(buf)));
}

/* derive_mtasts_host - each address of h under a valid policy. */
static void
derive_mtasts_host(const struct mtasts_result *m, struct host_result *h)
{
	const char *mode = mtasts_mode_name(m->policy.mode);
	size_t i;
	int unlisted = 0;

	for (i = 0; i < h->n_servers; i++) {
		enum mtasts_mx_verdict v = h->views[i].mtasts;

		if (v == MTASTS_MX_NOT_LISTED && !unlisted++)
			findings_add(&h->findings, F_MTASTS_MX_NOT_LISTED,
			    "%s, mode %s", h->name, mode);
		else if (v == MTASTS_MX_NO_TLS || v == MTASTS_MX_UNTRUSTED ||
		    v == MTASTS_MX_NAME_MISMATCH)
			findings_add(&h->findings, F_MTASTS_MX_FAILS,
			    "%s: %s (mode %s)", h->servers[i]->addr_text,
			    mtasts_mx_verdict_text(v), mode);
	}
}

static void
derive_mtasts(struct domain_result *d)
{
	const struct mtasts_result *m = &d->mtasts;
	int e;
	size_t i;

	if (!m->checked)
		return;
	if (m->state == MTASTS_DOMAIN_NOT_CHECKED)
		findings_add(&d->findings, F_MTASTS_LOOKUP_FAILED, "%s",
		    m->txt.dnssec == DNSSEC_BOGUS ? "DNSSEC bogus" :
		    dns_outcome_name(m->txt.outcome));
	if (m->record.n_sts > 0 && m->record.error != MTASTS_TXT_OK)
		findings_add(&d->findings, F_MTASTS_RECORD_INVALID, "%s",
		    mtasts_txt_error_text(m->record.error));
	if (m->state == MTASTS_DOMAIN_FETCH_FAILED)
		findings_add(&d->findings, F_MTASTS_FETCH_FAILED, "%s: %s",
		    mtasts_fetch_error_name(m->fetch_error),
		    m->fetch_error_text ? m->fetch_error_text : "");
	if (m->state == MTASTS_DOMAIN_INVALID_POLICY) {
		/* Every error as its own finding; the first has its line. */
		for (e = 1; e < MTASTS_POLICY_ERROR_COUNT; e++) {
			if (!(m->policy.errors & (1u << e)))
				continue;
			if ((enum mtasts_policy_error)e == m->policy.first_error &&
			    m->policy.first_error_line > 0)
				findings_add(&d->findings, F_MTASTS_POLICY_INVALID,
				    "line %u: %s", m->policy.first_error_line,
				    mtasts_policy_error_text(
				    (enum mtasts_policy_error)e));
			else
				findings_add(&d->findings, F_MTASTS_POLICY_INVALID,
				    "%s", mtasts_policy_error_text(
				    (enum mtasts_policy_error)e));
		}
	}
	if (m->state != MTASTS_DOMAIN_POLICY)
		return;
	if (m->policy.mode == MTASTS_MODE_TESTING)
		findings_add(&d->findings, F_MTASTS_TESTING, NULL);
	else if (m->policy.mode == MTASTS_MODE_NONE)
		findings_add(&d->findings, F_MTASTS_MODE_NONE, NULL);
	if (m->policy.mode != MTASTS_MODE_NONE &&
	    m->policy.max_age < MTASTS_MAX_AGE_LOW)
		findings_add(&d->findings, F_MTASTS_MAX_AGE_SHORT, "max_age %u "
		    "seconds", (unsigned)m->policy.max_age);
	if (m->policy.mode == MTASTS_MODE_NONE)
		return;
	for (i = 0; i < d->n_hosts; i++)
		derive_mtasts_host(m, &d->hosts[i]);
	if (m->policy.mode == MTASTS_MODE_ENFORCE &&
	    m->delivery == MTASTS_DELIVERY_NONE)
		findings_add(&d->findings, F_MTASTS_BLOCKS_MAIL, "%zu MX host(s), "
		    "no address passes", d->n_hosts);
}

/* auth_checked - the DANE and MTA-STS lookups were all made. */
static int
auth_checked(const struct domain_result *d)
{
	size_t i;

	if (!d->mtasts.checked)
		return 0;
	for (i = 0; i < d->n_hosts; i++)
		if (d->hosts[i].dane.state == DANE_HOST_PENDING)
			return 0;
	return 1;
}

static void
derive_auth(struct domain_result *d)
{
	const struct mtasts_result *m = &d->mtasts;
	const struct tlsrpt_result *r = &d->tlsrpt;
	int dane = 0, sts;
	size_t i, j;

	for (i = 0; i < d->n_hosts; i++) {
		derive_dane(&d->hosts[i]);
		dane |= d->hosts[i].dane.state == DANE_HOST_TLSA ||
		    d->hosts[i].dane.state == DANE_HOST_LOOKUP_FAILED;
	}
	derive_mtasts(d);
	sts = m->state == MTASTS_DOMAIN_POLICY &&
	    (m->policy.mode == MTASTS_MODE_ENFORCE ||
	    m->policy.mode == MTASTS_MODE_TESTING);
	if (r->checked && r->record.n_tlsrpt > 0 &&
	    r->record.error != TLSRPT_OK)
		findings_add(&d->findings, F_TLSRPT_INVALID, "%s",
		    tlsrpt_error_text(r->record.error));
	else if (r->checked && r->record.n_tlsrpt == 0 && (dane || sts) &&
	    (r->txt.outcome == DNS_NODATA || r->txt.outcome == DNS_NXDOMAIN ||
	    r->txt.outcome == DNS_OK))
		findings_add(&d->findings, F_TLSRPT_MISSING, "%s",
		    dane && sts ? "DANE and MTA-STS" : dane ? "DANE" : "MTA-STS");
	if (auth_checked(d) && d->n_hosts > 0 && !d->null_mx && !dane &&
	    !(sts && m->policy.mode == MTASTS_MODE_ENFORCE))
		findings_add(&d->findings, F_NO_AUTHENTICATION, "%s",
		    sts ? "MTA-STS in testing mode only" : "no TLSA records, "
		    "no MTA-STS policy");

	/* What was published demands TLS; what we saw has none. */
	for (i = 0; i < d->n_hosts; i++) {
		struct host_result *h = &d->hosts[i];
		const char *by = auth_tls_required_by(d, h);

		if (h->policy_unlisted)
			findings_add(&h->findings, F_POLICY_LIST_MX_UNLISTED,
			    "%s, mode %s", h->name, d->policy_enforce ?
			    "enforce" : "testing");
		for (j = 0; by != NULL && j < h->n_servers; j++) {
			const struct server_result *s = h->servers[j];

			if (auth_session_conclusive(s) &&
			    s->smtp.status != SMTP_STATUS_TLS_OK)
				findings_add(&h->findings,
				    F_TLS_REQUIRED_BUT_MISSING, "%s: %s; "
				    "required by %s", s->addr_text,
				    smtp_status_name(s->smtp.status), by);
		}
	}
}

/* The facts two addresses of one host should share, as one line. */
static void
address_signature(const struct server_result *s, char *buf, size_t len)
{
	const struct tls_facts *t = &s->tls;
	char protos[PROBE_VERSION_COUNT + 1];
	size_t v;

	for (v = 0; v < PROBE_VERSION_COUNT; v++)
		protos[v] = !s->probe.done ? '?' :
		    s->probe.versions[v].supported == PROBE_YES ? 'y' : 'n';
	protos[PROBE_VERSION_COUNT] = '\0';
	snprintf(buf, len, "%s, %s, certificate %.16s, protocols %s",
	    smtp_status_name(s->smtp.status),
	    t->handshake_ok && t->version ? t->version : "no TLS",
	    t->handshake_ok && t->chain_len > 0 ? t->chain[0].sha256 : "none",
	    protos);
}

/* derive_consistency - addresses of one host that differ (IPv4 vs IPv6). */
static void
derive_consistency(struct host_result *h)
{
	char first[160], other[160];
	size_t i, ref = h->n_servers;

	for (i = 0; i < h->n_servers; i++) {
		if (!auth_session_conclusive(h->servers[i]))
			continue;
		if (ref == h->n_servers) {
			ref = i;
			address_signature(h->servers[i], first, sizeof(first));
			continue;
		}
		address_signature(h->servers[i], other, sizeof(other));
		/* An enumeration on one side only is no disagreement. */
		if (strcmp(first, other) != 0 &&
		    (!h->servers[ref]->probe.done) == (!h->servers[i]->probe.done)) {
			findings_add(&h->findings, F_ADDRESSES_DISAGREE,
			    "%s: %s; %s: %s", h->servers[ref]->addr_text, first,
			    h->servers[i]->addr_text, other);
			return;
		}
	}
}

/* Most severe first; equal severities keep the order they were found in. */
static void
sort_by_severity(struct findings *f)
{
	size_t i, j;

	for (i = 1; i < f->n; i++) {
		struct finding x = f->v[i];
		enum severity sx = kinds[x.id].severity;

		for (j = i; j > 0 && kinds[f->v[j - 1].id].severity < sx; j--)
			f->v[j] = f->v[j - 1];
		f->v[j] = x;
	}
}

void
findings_derive(struct domain_result *d, int64_t now)
{
	size_t i, j;

	derive_dns(d);
	for (i = 0; i < d->n_hosts; i++) {
		struct host_result *h = &d->hosts[i];

		for (j = 0; j < h->n_servers; j++) {
			struct server_result *s = h->servers[j];

			/* A result shared by several domains (server_pool.h)
			 * is judged once: its findings depend only on it and
			 * on h->name, which is part of what it is shared by. */
			if (s->derived)
				continue;
			s->derived = 1;
			derive_smtp(s);
			derive_tls(s, h->name, now);
			derive_probe(s);
			sort_by_severity(&s->findings);
		}
		derive_consistency(h);
	}
	derive_auth(d);
	sort_by_severity(&d->findings);
	for (i = 0; i < d->n_hosts; i++)
		sort_by_severity(&d->hosts[i].findings);
}
