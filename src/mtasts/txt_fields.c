/*
 * txt_fields.c - tag=value TXT records of MTA-STS and TLS-RPT.  See
 * txt_fields.h.
 */
#include "mtasts/txt_fields.h"

#include <string.h>

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

int
txt_rdata_join(const uint8_t *rdata, size_t len, char *out, size_t outlen,
    size_t *n)
{
	size_t i = 0, o = 0;

	if (outlen == 0)
		return -1;
	while (i < len) {
		size_t k = rdata[i++];

		if (k > len - i || o + k >= outlen)
			return -1;
		memcpy(out + o, rdata + i, k);
		o += k;
		i += k;
	}
	out[o] = '\0';
	*n = o;
	return 0;
}

int
txt_has_version(const char *rec, size_t n, const char *ver)
{
	size_t vl = strlen(ver);

	if (n < vl || memcmp(rec, ver, vl) != 0)
		return 0;
	return n == vl || rec[vl] == ';' || is_wsp(rec[vl]);
}

enum txt_next
txt_next_field(const char *rec, size_t n, size_t *pos, struct txt_field *f)
{
	size_t p = *pos, start, eq, end;

	while (p < n && is_wsp(rec[p]))
		p++;
	if (p == n) {
		*pos = p;
		return TXT_END;
	}
	if (rec[p] != ';')
		return TXT_BAD_DELIM;
	p++;
	while (p < n && is_wsp(rec[p]))
		p++;
	if (p == n) {			/* the optional final delimiter */
		*pos = p;
		return TXT_END;
	}
	start = p;
	while (p < n && rec[p] != ';')
		p++;
	end = p;
	while (end > start && is_wsp(rec[end - 1]))
		end--;
	for (eq = start; eq < end && rec[eq] != '='; eq++)
		;
	if (eq == end || eq == start)
		return TXT_BAD_FIELD;
	f->name = rec + start;
	f->name_len = eq - start;
	f->value = rec + eq + 1;
	f->value_len = end - eq - 1;
	*pos = p;
	return TXT_FIELD;
}

int
txt_ext_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > 32 || !is_alnum(s[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return 0;
	return 1;
}

int
txt_ext_value_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7e || c == ';' || c == '=')
			return 0;
	}
	return 1;
}

int
txt_field_is(const struct txt_field *f, const char *name)
{
	size_t l = strlen(name);

	return f->name_len == l && memcmp(f->name, name, l) == 0;
}
