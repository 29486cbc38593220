/*
 * netaddr.h - IP addresses as mailtls stores them, and which ones the
 * Internet cannot reach.
 *
 * An MX that points at 10.0.0.1 or ::1 receives no mail from the Internet;
 * `check` reports that, `scan` and `serve` refuse to connect there unless
 * told otherwise (a scanner must not be turned against internal networks).
 */
#ifndef MAILTLS_NETADDR_H
#define MAILTLS_NETADDR_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define NETADDR_TEXT_MAX 46	/* INET6_ADDRSTRLEN */

struct netaddr {
	int	 family;	/* AF_INET or AF_INET6 */
	uint8_t	 bytes[16];	/* network byte order; 4 used for AF_INET */
};

/*
 * netaddr_reserved - NULL when addr is globally routable unicast, else a short
 * description of the special-purpose block it is in (IANA IPv4/IPv6 Special-
 * Purpose Address Registries), e.g. "loopback (127.0.0.0/8)".
 */
const char *netaddr_reserved(const struct netaddr *addr);

/* netaddr_to_text - "192.0.2.1" or "2001:db8::1" into buf (NETADDR_TEXT_MAX). */
void netaddr_to_text(const struct netaddr *addr, char *buf, size_t len);

/* netaddr_from_text - parse an IPv4 or IPv6 literal.  0 on success, -1 if not one. */
int netaddr_from_text(const char *text, struct netaddr *addr);

/*
 * netaddr_to_sockaddr - fill ss with addr and port (host byte order).
 * Returns the length to pass to connect().
 */
socklen_t netaddr_to_sockaddr(const struct netaddr *addr, uint16_t port,
    struct sockaddr_storage *ss);

#endif
