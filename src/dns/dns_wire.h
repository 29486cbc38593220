/*
 * dns_wire.h - decode the pieces of DNS wire format mailtls reads out of
 * libunbound's answers (RFC 1035 3.1, 3.3.9; RFC 3596).
 *
 * libunbound hands over each record's RDATA with names uncompressed; the
 * decoders here still treat every byte as hostile: each length is checked
 * against what remains, compression pointers are refused, and the result is
 * always a printable, bounded string (unusual label bytes are escaped as
 * \DDD, as in zone files).
 */
#ifndef MAILTLS_DNS_WIRE_H
#define MAILTLS_DNS_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* Text form of the longest wire name: every byte escaped as \DDD. */
#define DNS_WIRE_TEXT_MAX 1024

/*
 * dns_wire_name - decode the uncompressed name at wire[0..len) into out
 * (at least DNS_WIRE_TEXT_MAX bytes): labels joined by '.', no trailing dot,
 * "." for the root.  *used is set to the wire bytes consumed.  Returns 0, or
 * -1 if the name is truncated, longer than 255 bytes or compressed.
 */
int dns_wire_name(const uint8_t *wire, size_t len, size_t *used, char *out);

/*
 * dns_wire_mx - decode MX RDATA (preference, exchange).  The exchange must
 * fill the RDATA exactly.  Returns 0 or -1 (malformed).
 */
int dns_wire_mx(const uint8_t *rdata, size_t len, uint16_t *pref, char *exchange);

#endif
