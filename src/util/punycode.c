/*
 * punycode.c - RFC 3492 Punycode and IDNA ToASCII for domain lists.  See
 * punycode.h for what is (and is not) checked.
 *
 * The encoder and decoder follow RFC 3492 section 6 step by step, with the
 * overflow checks of its section 6.4 done on uint32_t ("maxint").
 */
#include "util/punycode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dns/dns_name.h"

/* RFC 3492 section 5: the Punycode parameters. */
enum {
	PC_BASE = 36,
	PC_TMIN = 1,
	PC_TMAX = 26,
	PC_SKEW = 38,
	PC_DAMP = 700,
	PC_INITIAL_BIAS = 72,
	PC_INITIAL_N = 0x80,
};
#define PC_MAXINT UINT32_MAX

static const char ace_prefix[] = "xn--";
#define ACE_LEN 4

static int
is_scalar(uint32_t c)
{
	return c <= 0x10ffff && !(c >= 0xd800 && c <= 0xdfff);
}

/* adapt - RFC 3492 section 6.1, the bias adaptation function. */
static uint32_t
adapt(uint32_t delta, uint32_t numpoints, int firsttime)
{
	uint32_t k = 0;

	delta = firsttime ? delta / PC_DAMP : delta / 2;
	delta += delta / numpoints;
	while (delta > ((PC_BASE - PC_TMIN) * PC_TMAX) / 2) {
		delta /= PC_BASE - PC_TMIN;
		k += PC_BASE;
	}
	return k + (PC_BASE - PC_TMIN + 1) * delta / (delta + PC_SKEW);
}

/* threshold - t(k) of RFC 3492 section 6: clamp(k - bias, tmin, tmax). */
static uint32_t
threshold(uint32_t k, uint32_t bias)
{
	if (k <= bias)
		return PC_TMIN;
	if (k >= bias + PC_TMAX)
		return PC_TMAX;
	return k - bias;
}

/* Digit values 0..25 are a..z, 26..35 are 0..9. */
static char
encode_digit(uint32_t d)
{
	return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

static uint32_t
decode_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0' + 26;
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	return PC_BASE;			/* not a digit */
}

int
punycode_encode(const uint32_t *cp, size_t n, char *out, size_t outlen)
{
	uint32_t code = PC_INITIAL_N, delta = 0, bias = PC_INITIAL_BIAS;
	size_t h, b, o = 0, j;

	if (outlen > 0)
		out[0] = '\0';
	if (n >= PC_MAXINT)
		return -1;
	for (j = 0; j < n; j++) {
		if (!is_scalar(cp[j]))
			goto small;
		if (cp[j] < 0x80) {
			if (o + 1 >= outlen)
				goto small;
			out[o++] = (char)cp[j];
		}
	}
	h = b = o;
	if (b > 0) {
		if (o + 1 >= outlen)
			goto small;
		out[o++] = '-';
	}
	while (h < n) {
		uint32_t m = PC_MAXINT;

		/* The smallest code point not yet handled. */
		for (j = 0; j < n; j++)
			if (cp[j] >= code && cp[j] < m)
				m = cp[j];
		if (m - code > (PC_MAXINT - delta) / (h + 1))
			goto small;		/* overflow */
		delta += (m - code) * (uint32_t)(h + 1);
		code = m;
		for (j = 0; j < n; j++) {
			if (cp[j] < code && ++delta == 0)
				goto small;	/* overflow */
			if (cp[j] == code) {
				uint32_t q = delta, k, t;

				for (k = PC_BASE;; k += PC_BASE) {
					t = threshold(k, bias);
					if (q < t)
						break;
					if (o + 1 >= outlen)
						goto small;
					out[o++] = encode_digit(t + (q - t) %
					    (PC_BASE - t));
					q = (q - t) / (PC_BASE - t);
				}
				if (o + 1 >= outlen)
					goto small;
				out[o++] = encode_digit(q);
				bias = adapt(delta, (uint32_t)(h + 1), h == b);
				delta = 0;
				h++;
			}
		}
		delta++;
		code++;
	}
	out[o] = '\0';
	return (int)o;
small:
	if (outlen > 0)
		out[0] = '\0';
	return -1;
}

int
punycode_decode(const char *in, size_t len, uint32_t *cp, size_t *n)
{
	uint32_t code = PC_INITIAL_N, i = 0, bias = PC_INITIAL_BIAS;
	size_t b = 0, j, pos, out = 0, max = *n;

	if (len >= PC_MAXINT)
		return -1;
	/* Basic code points: everything before the last delimiter. */
	for (j = 0; j < len; j++)
		if (in[j] == '-')
			b = j;
	for (j = 0; j < b; j++) {
		if ((unsigned char)in[j] >= 0x80 || out >= max)
			return -1;
		cp[out++] = (unsigned char)in[j];
	}
	pos = b > 0 ? b + 1 : 0;
	while (pos < len) {
		uint32_t oldi = i, w = 1, k, t, digit;

		/* One generalised variable-length integer into i. */
		for (k = PC_BASE;; k += PC_BASE) {
			if (pos >= len)
				return -1;	/* truncated */
			digit = decode_digit((unsigned char)in[pos++]);
			if (digit >= PC_BASE)
				return -1;
			if (digit > (PC_MAXINT - i) / w)
				return -1;	/* overflow */
			i += digit * w;
			t = threshold(k, bias);
			if (digit < t)
				break;
			if (w > PC_MAXINT / (PC_BASE - t))
				return -1;
			w *= PC_BASE - t;
		}
		bias = adapt(i - oldi, (uint32_t)(out + 1), oldi == 0);
		if (i / (out + 1) > PC_MAXINT - code)
			return -1;
		code += i / (uint32_t)(out + 1);
		i %= (uint32_t)(out + 1);
		if (!is_scalar(code) || out >= max)
			return -1;
		memmove(cp + i + 1, cp + i, (out - i) * sizeof(*cp));
		cp[i++] = code;
		out++;
	}
	*n = out;
	return 0;
}

/* ---- IDNA ---------------------------------------------------------------- */

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * utf8_next - decode one code point of s[0..len) strictly (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF).  Returns its
 * length in bytes, 0 when the bytes there are not UTF-8.
 */
static size_t
utf8_next(const unsigned char *s, size_t len, uint32_t *c)
{
	unsigned char b0 = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, k;
	uint32_t v;

	if (b0 < 0x80) {
		*c = b0;
		return 1;
	}
	if (b0 >= 0xc2 && b0 <= 0xdf) {
		need = 1;
		v = b0 & 0x1f;
	} else if (b0 >= 0xe0 && b0 <= 0xef) {
		need = 2;
		v = b0 & 0x0f;
		if (b0 == 0xe0)
			lo = 0xa0;	/* overlong below U+0800 */
		else if (b0 == 0xed)
			hi = 0x9f;	/* U+D800..U+DFFF: surrogates */
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		need = 3;
		v = b0 & 0x07;
		if (b0 == 0xf0)
			lo = 0x90;	/* overlong below U+10000 */
		else if (b0 == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;		/* continuation, C0/C1 overlong, F5.. */
	if (len < need + 1)
		return 0;
	for (k = 1; k <= need; k++) {
		unsigned char bk = s[k];

		if (bk < (k == 1 ? lo : 0x80) || bk > (k == 1 ? hi : 0xbf))
			return 0;
		v = (v << 6) | (bk & 0x3f);
	}
	*c = v;
	return need + 1;
}

/* utf8_put - append c as UTF-8 at out[*o], within outlen (keeping a NUL). */
static int
utf8_put(uint32_t c, char *out, size_t outlen, size_t *o)
{
	unsigned char tmp[4];
	size_t n;

	if (c < 0x80) {
		tmp[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		tmp[0] = (unsigned char)(0xc0 | (c >> 6));
		tmp[1] = (unsigned char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		tmp[0] = (unsigned char)(0xe0 | (c >> 12));
		tmp[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		tmp[2] = (unsigned char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		tmp[0] = (unsigned char)(0xf0 | (c >> 18));
		tmp[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
		tmp[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		tmp[3] = (unsigned char)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (*o + n >= outlen)
		return -1;
	memcpy(out + *o, tmp, n);
	*o += n;
	return 0;
}

/* The full stops IDNA treats as label separators (RFC 3490 3.1, UTS 46). */
static int
is_dot(uint32_t c)
{
	return c == '.' || c == 0x3002 || c == 0xff0e || c == 0xff61;
}

static int
is_ldh(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/*
 * disallowed - why the non-ASCII code point c cannot be in a label, or NULL.
 * Not the IDNA2008 tables: the cheap classes that are never valid in any
 * label and that a list copied from a web page or a spreadsheet carries
 * (no-break spaces, zero-width joiners, byte order marks, full-width ASCII).
 */
static const char *
disallowed(uint32_t c)
{
	if (c < 0xa0)
		return "control character";
	if (c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	    c == 0x3000)
		return "space character";
	if (c == 0xad || c == 0x180e || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) ||
	    c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) ||
	    (c >= 0xe0000 && c <= 0xe0fff))
		return "invisible format character";
	if ((c >= 0xfe00 && c <= 0xfe0f))
		return "variation selector";
	if ((c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000)
		return "private-use code point";
	if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
		return "noncharacter";
	if (c == 0xfffc || c == 0xfffd)
		return "replacement character";
	if (c >= 0xff01 && c <= 0xff5e)
		return "full-width form (type the ASCII character)";
	return NULL;
}

/*
 * check_ulabel - the checks of punycode.h on the code points of a label that
 * will be (or was) an A-label.  0, or -1 with err set.
 */
static int
check_ulabel(const uint32_t *cp, size_t n, char *err, size_t errlen)
{
	size_t j;
	const char *why;

	if (cp[0] == '-' || cp[n - 1] == '-') {
		set_err(err, errlen, "label %s with a hyphen",
		    cp[0] == '-' ? "starts" : "ends");
		return -1;
	}
	if (n >= 4 && cp[2] == '-' && cp[3] == '-') {
		set_err(err, errlen, "internationalised label with \"--\" in "
		    "its third and fourth positions (RFC 5891 4.2.3.1)");
		return -1;
	}
	for (j = 0; j < n; j++) {
		if (cp[j] < 0x80) {
			if (!is_ldh(cp[j])) {
				set_err(err, errlen, "character not allowed "
				    "in a host name (letters, digits, hyphen)");
				return -1;
			}
		} else if ((why = disallowed(cp[j])) != NULL) {
			set_err(err, errlen, "U+%04X not allowed in a domain "
			    "name: %s", (unsigned)cp[j], why);
			return -1;
		}
	}
	return 0;
}

static int
has_ace_prefix(const char *s, size_t len)
{
	return len >= ACE_LEN && (s[0] == 'x' || s[0] == 'X') &&
	    (s[1] == 'n' || s[1] == 'N') && s[2] == '-' && s[3] == '-';
}

/*
 * check_alabel - label[0..len) (ASCII, starting "xn--") is a valid A-label:
 * it decodes to a valid label with a non-ASCII code point that encodes back
 * to the same bytes (ignoring ASCII case).  Decoded code points go to cp
 * (PUNYCODE_LABEL_CP_MAX), their number to *n.  0, or -1 with err set.
 */
static int
check_alabel(const char *label, size_t len, uint32_t *cp, size_t *n,
    char *err, size_t errlen)
{
	char again[DNS_LABEL_MAX + 1];
	size_t j;
	int has_non_ascii = 0, enc;

	*n = PUNYCODE_LABEL_CP_MAX;
	if (len > DNS_LABEL_MAX ||
	    punycode_decode(label + ACE_LEN, len - ACE_LEN, cp, n) != 0 ||
	    *n == 0) {
		set_err(err, errlen, "\"xn--\" label that is not valid "
		    "Punycode");
		return -1;
	}
	for (j = 0; j < *n; j++)
		has_non_ascii |= cp[j] >= 0x80;
	if (!has_non_ascii) {
		set_err(err, errlen, "\"xn--\" label that decodes to plain "
		    "ASCII");
		return -1;
	}
	if (check_ulabel(cp, *n, err, errlen) != 0)
		return -1;
	enc = punycode_encode(cp, *n, again, sizeof(again));
	if (enc < 0 || (size_t)enc != len - ACE_LEN ||
	    strncasecmp(again, label + ACE_LEN, len - ACE_LEN) != 0) {
		set_err(err, errlen, "\"xn--\" label that is not in its "
		    "canonical Punycode form");
		return -1;
	}
	return 0;
}

/*
 * emit_label - convert the label cp[0..n) and append it to out at *o.
 * 0, or -1 with err set.
 */
static int
emit_label(uint32_t *cp, size_t n, char *out, size_t outlen, size_t *o,
    char *err, size_t errlen)
{
	char label[DNS_LABEL_MAX + 1];
	uint32_t dec[PUNYCODE_LABEL_CP_MAX];
	size_t j, len = 0, dn;
	int ascii = 1;

	if (n == 0) {
		set_err(err, errlen, "empty label");
		return -1;
	}
	for (j = 0; j < n; j++) {
		if (cp[j] >= 'A' && cp[j] <= 'Z')
			cp[j] += 'a' - 'A';
		ascii &= cp[j] < 0x80;
	}
	if (ascii) {
		/* n <= PUNYCODE_LABEL_CP_MAX == DNS_LABEL_MAX: it fits. */
		for (j = 0; j < n; j++)
			label[len++] = (char)cp[j];
		label[len] = '\0';
		if (has_ace_prefix(label, len) &&
		    check_alabel(label, len, dec, &dn, err, errlen) != 0)
			return -1;
	} else {
		int enc;

		if (check_ulabel(cp, n, err, errlen) != 0)
			return -1;
		memcpy(label, ace_prefix, ACE_LEN);
		enc = punycode_encode(cp, n, label + ACE_LEN,
		    sizeof(label) - ACE_LEN);
		if (enc < 0) {
			set_err(err, errlen, "label longer than 63 bytes "
			    "after IDNA conversion");
			return -1;
		}
		len = ACE_LEN + (size_t)enc;
	}
	if (*o > 0) {
		if (*o + 1 >= outlen)
			goto small;
		out[(*o)++] = '.';
	}
	if (*o + len >= outlen)
		goto small;
	memcpy(out + *o, label, len);
	*o += len;
	out[*o] = '\0';
	return 0;
small:
	if (outlen > DNS_NAME_MAX)
		set_err(err, errlen, "name longer than 253 characters");
	else
		set_err(err, errlen, "output buffer too small");
	return -1;
}

int
idna_to_ascii(const char *utf8_name, char *out, size_t outlen, char *err,
    size_t errlen)
{
	const unsigned char *s = (const unsigned char *)utf8_name;
	size_t len, pos, step, n = 0, o = 0, limit;
	uint32_t cp[PUNYCODE_LABEL_CP_MAX], c;
	int toolong = 0;

	if (outlen > 0)
		out[0] = '\0';
	if (utf8_name == NULL || (len = strlen(utf8_name)) == 0) {
		set_err(err, errlen, "empty name");
		return -1;
	}
	/* Strict UTF-8 everywhere before looking at labels. */
	for (pos = 0; pos < len; pos += step) {
		if ((step = utf8_next(s + pos, len - pos, &c)) == 0) {
			set_err(err, errlen, "invalid UTF-8 at byte %zu",
			    pos + 1);
			return -1;
		}
	}
	/* One trailing separator is the root: drop it. */
	for (pos = 0, limit = len; pos < len; pos += step) {
		step = utf8_next(s + pos, len - pos, &c);
		if (pos + step == len && is_dot(c))
			limit = pos;
	}
	if (limit == 0) {
		set_err(err, errlen, "the root is not a mail domain");
		return -1;
	}
	/* The output stops at 253 characters, whatever outlen allows. */
	if (outlen > DNS_NAME_MAX + 1)
		outlen = DNS_NAME_MAX + 1;
	for (pos = 0; pos <= limit; pos += step) {
		if (pos == limit) {
			c = '.';
			step = 1;
		} else
			step = utf8_next(s + pos, limit - pos, &c);
		if (is_dot(c)) {
			if (toolong) {
				set_err(err, errlen, "label longer than 63 "
				    "bytes after IDNA conversion");
				goto fail;
			}
			if (emit_label(cp, n, out, outlen, &o, err,
			    errlen) != 0)
				goto fail;
			n = 0;
			continue;
		}
		/* More than 63 code points cannot make 63 bytes. */
		if (n == PUNYCODE_LABEL_CP_MAX)
			toolong = 1;
		else
			cp[n++] = c;
	}
	return 0;
fail:
	if (outlen > 0)
		out[0] = '\0';
	return -1;
}

int
idna_to_unicode(const char *ascii_name, char *out, size_t outlen, char *err,
    size_t errlen)
{
	uint32_t cp[PUNYCODE_LABEL_CP_MAX];
	const char *p = ascii_name, *dot;
	size_t o = 0, len, n, j;

	if (outlen == 0) {
		set_err(err, errlen, "output buffer too small");
		return -1;
	}
	out[0] = '\0';
	for (;;) {
		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		if (o > 0 || p != ascii_name) {
			if (o + 1 >= outlen)
				goto small;
			out[o++] = '.';
		}
		if (has_ace_prefix(p, len)) {
			if (check_alabel(p, len, cp, &n, err, errlen) != 0) {
				out[0] = '\0';
				return -1;
			}
			for (j = 0; j < n; j++)
				if (utf8_put(cp[j], out, outlen, &o) != 0)
					goto small;
		} else {
			if (o + len >= outlen)
				goto small;
			memcpy(out + o, p, len);
			o += len;
		}
		out[o] = '\0';
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	return 0;
small:
	out[0] = '\0';
	set_err(err, errlen, "output buffer too small");
	return -1;
}
