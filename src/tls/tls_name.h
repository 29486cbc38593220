/*
 * tls_name.h - does a certificate name cover a host name?  (RFC 6125 6.4,
 * as tightened by RFC 9525.)
 *
 * Only DNS names are compared, ASCII case-insensitively, without a trailing
 * dot.  A wildcard is honoured only as the whole left-most label ("*.example.
 * org"), matches exactly one non-empty label, and never matches when fewer
 * than two labels follow it ("*.org" covers nothing).
 */
#ifndef MAILTLS_TLS_NAME_H
#define MAILTLS_TLS_NAME_H

/* tls_name_match - 1 when pattern (from a certificate) covers host, else 0. */
int tls_name_match(const char *pattern, const char *host);

#endif
