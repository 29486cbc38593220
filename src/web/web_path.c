/*
 * web_path.c - the request URI of `mailtls serve` parsed into a route and
 * its arguments.  See web_path.h.
 *
 * Bounded and allocation-free: the URI is cut at WEB_URI_MAX, a decoded
 * value at WEB_VALUE_MAX bytes; anything longer is refused, not truncated,
 * so that the name checked is always the name typed.
 */
#include "web/web_path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/punycode.h"

/* A decoded path segment or query value; a domain is at most 253 bytes,
 * but its UTF-8 form (IDN) may be longer. */
#define WEB_VALUE_MAX 1024

static const char *const route_names[WEB_ROUTE_COUNT] = {
	[WEB_NOT_FOUND] = "not-found",
	[WEB_BAD_REQUEST] = "bad-request",
	[WEB_HOME] = "home",
	[WEB_STYLE] = "style",
	[WEB_CHECK_FORM] = "check-form",
	[WEB_CHECK] = "check",
	[WEB_STATS] = "stats",
	[WEB_API_CHECK] = "api-check",
	[WEB_API_STATUS] = "api-status",
	[WEB_API_STATS] = "api-stats",
};

const char *
web_route_name(enum web_route r)
{
	return (unsigned)r < WEB_ROUTE_COUNT ? route_names[r] : "?";
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * decode - percent-decode in[0..len) into out (WEB_VALUE_MAX bytes, NUL
 * terminated); plus: '+' is a space (form encoding).  -1 on a bad escape,
 * a NUL or control byte, or a value too long.
 */
static int
decode(const char *in, size_t len, int plus, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		int c = (unsigned char)in[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= len ||
			    (hi = hexval((unsigned char)in[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)in[i + 2])) < 0)
				return -1;
			c = hi << 4 | lo;
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		if (c < 0x20 || c == 0x7f)
			return -1;
		if (o + 1 >= WEB_VALUE_MAX)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

static void
bad(struct web_path *out, const char *why)
{
	out->route = WEB_BAD_REQUEST;
	out->why = why;
}

/*
 * set_domain - the decoded text as a domain: blanks around it are dropped
 * (a form field), then IDNA ToASCII and dns_name_normalize() as in `check`.
 */
static void
set_domain(struct web_path *out, char *text)
{
	char ascii[DNS_NAME_MAX + 1], err[96];
	const char *why;
	size_t len;

	while (*text == ' ' || *text == '\t')
		text++;
	len = strlen(text);
	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		text[--len] = '\0';
	if (len == 0) {
		bad(out, "no domain given");
		return;
	}
	if (strpbrk(text, " \t/\\@:") != NULL) {
		bad(out, "a domain has no blanks, slashes, '@' or ':' "
		    "(give the domain, not an address or URL)");
		return;
	}
	if (idna_to_ascii(text, ascii, sizeof(ascii), err, sizeof(err)) != 0) {
		snprintf(out->why_buf, sizeof(out->why_buf), "invalid domain: %s",
		    err);
		bad(out, out->why_buf);
		return;
	}
	if (dns_name_normalize(ascii, out->domain, &why) == -1) {
		out->domain[0] = '\0';
		snprintf(out->why_buf, sizeof(out->why_buf), "invalid domain: %s",
		    why);
		bad(out, out->why_buf);
	}
}

/* segment - a domain from the path after prefix (no further '/'). */
static void
segment(struct web_path *out, const char *seg, size_t len)
{
	char text[WEB_VALUE_MAX];

	if (len == 0) {
		bad(out, "no domain given");
		return;
	}
	if (memchr(seg, '/', len) != NULL) {
		out->route = WEB_NOT_FOUND;
		return;
	}
	if (decode(seg, len, 0, text) == -1) {
		bad(out, "the domain is not valid percent-encoded text");
		return;
	}
	set_domain(out, text);
}

/* query_get - the decoded value of key in query[0..len), 1; 0 absent; -1 bad. */
static int
query_get(const char *query, size_t len, const char *key, char *val)
{
	size_t klen = strlen(key), i = 0;

	while (i < len) {
		const char *p = query + i, *amp = memchr(p, '&', len - i);
		size_t plen = amp ? (size_t)(amp - p) : len - i;

		if (plen > klen && memcmp(p, key, klen) == 0 && p[klen] == '=')
			return decode(p + klen + 1, plen - klen - 1, 1, val) == -1 ?
			    -1 : 1;
		if (plen == klen && memcmp(p, key, klen) == 0) {
			val[0] = '\0';
			return 1;
		}
		i += plen + 1;
	}
	return 0;
}

/* scan_arg - ?scan=N on the stats pages. */
static void
scan_arg(struct web_path *out, const char *query, size_t qlen)
{
	char v[WEB_VALUE_MAX], *end;
	long long n;
	int rc = query_get(query, qlen, "scan", v);

	if (rc == 0)
		return;
	if (rc == -1 || v[0] < '0' || v[0] > '9' || strlen(v) > 15 ||
	    (n = strtoll(v, &end, 10)) < 1 || *end != '\0') {
		bad(out, "scan: not a scan number (a positive integer)");
		return;
	}
	out->scan = n;
}

static int
has_prefix(const char *path, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(path, prefix, n) == 0;
}

void
web_path_parse(const char *uri, struct web_path *out)
{
	const char *q;
	size_t len, plen, qlen;

	memset(out, 0, sizeof(*out));
	out->route = WEB_NOT_FOUND;
	len = strnlen(uri, WEB_URI_MAX + 1);
	if (len > WEB_URI_MAX) {
		bad(out, "the address is too long");
		return;
	}
	if (uri[0] != '/')
		return;
	q = memchr(uri, '?', len);
	plen = q ? (size_t)(q - uri) : len;
	qlen = q ? len - plen - 1 : 0;
	q = q ? q + 1 : "";
	out->api = has_prefix(uri, plen, "/api/");

#define IS(s) (plen == sizeof(s) - 1 && memcmp(uri, s, plen) == 0)
	if (IS("/")) {
		out->route = WEB_HOME;
	} else if (IS("/static/style.css")) {
		out->route = WEB_STYLE;
	} else if (IS("/check")) {
		char v[WEB_VALUE_MAX];
		int rc = query_get(q, qlen, "domain", v);

		out->route = WEB_CHECK_FORM;
		if (rc == 0)
			bad(out, "no domain given");
		else if (rc == -1)
			bad(out, "the domain is not valid form-encoded text");
		else
			set_domain(out, v);
	} else if (has_prefix(uri, plen, "/check/")) {
		out->route = WEB_CHECK;
		segment(out, uri + 7, plen - 7);
	} else if (IS("/stats")) {
		out->route = WEB_STATS;
		scan_arg(out, q, qlen);
	} else if (has_prefix(uri, plen, "/api/check/")) {
		out->route = WEB_API_CHECK;
		segment(out, uri + 11, plen - 11);
	} else if (has_prefix(uri, plen, "/api/status/")) {
		out->route = WEB_API_STATUS;
		segment(out, uri + 12, plen - 12);
	} else if (IS("/api/stats")) {
		out->route = WEB_API_STATS;
		scan_arg(out, q, qlen);
	}
#undef IS
}
