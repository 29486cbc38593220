/*
 * dns_wire.c - bounded decoders for DNS wire format.  See dns_wire.h.
 */
#include "dns/dns_wire.h"

#include <ctype.h>
#include <stdio.h>

#define WIRE_NAME_MAX 255	/* RFC 1035 2.3.4 */

static int
plain_label_byte(uint8_t c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '*';
}

int
dns_wire_name(const uint8_t *wire, size_t len, size_t *used, char *out)
{
	size_t pos = 0, o = 0;

	for (;;) {
		size_t llen, i;

		if (pos >= len)
			return -1;
		llen = wire[pos];
		if (llen & 0xc0)	/* compression pointer or extended type */
			return -1;
		if (pos + 1 + llen > len || pos + 1 + llen > WIRE_NAME_MAX)
			return -1;
		if (llen == 0) {
			pos++;
			break;
		}
		if (o > 0)
			out[o++] = '.';
		for (i = 0; i < llen; i++) {
			uint8_t c = wire[pos + 1 + i];

			if (plain_label_byte(c))
				out[o++] = (char)c;
			else {
				/* \DDD: at most 4 bytes per wire byte, so 255 wire
				 * bytes stay well below DNS_WIRE_TEXT_MAX. */
				snprintf(out + o, 5, "\\%03u", c);
				o += 4;
			}
		}
		pos += 1 + llen;
	}
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	*used = pos;
	return 0;
}

int
dns_wire_mx(const uint8_t *rdata, size_t len, uint16_t *pref, char *exchange)
{
	size_t used;

	if (len < 3)
		return -1;
	*pref = (uint16_t)(rdata[0] << 8 | rdata[1]);
	if (dns_wire_name(rdata + 2, len - 2, &used, exchange) == -1)
		return -1;
	return used == len - 2 ? 0 : -1;
}
