/*
 * mtasts.c - MTA-STS records, policies, MX patterns and verdicts (RFC 8461).
 * See mtasts.h.
 *
 * Both parsers follow the ABNF of RFC 8461 3.1 and 3.2 to the letter (keys
 * and values are case-sensitive, %s"..."), with two tolerances real policies
 * need and the RFC's own text allows: unknown keys are ignored (3.2:
 * "unknown fields SHOULD be ignored"), and blank lines, which the grammar
 * lacks but every deployed parser skips, are counted, not refused.
 */
#include "mtasts/mtasts.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns_resolver.h"
#include "mtasts/txt_fields.h"

#define TXT_BUF 4096

/* --- TXT ------------------------------------------------------------------- */

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

enum mtasts_txt_error
mtasts_txt_parse(const char *rec, size_t n, struct mtasts_txt *out)
{
	static const char ver[] = "v=STSv1";
	struct txt_field f;
	size_t pos = sizeof(ver) - 1, i;
	enum txt_next r;
	int have_id = 0;

	memset(out, 0, sizeof(*out));
	out->error = MTASTS_TXT_OK;
	if (!txt_has_version(rec, n, ver)) {
		out->error = MTASTS_TXT_NO_RECORD;
		return out->error;
	}
	while ((r = txt_next_field(rec, n, &pos, &f)) == TXT_FIELD) {
		if (txt_field_is(&f, "id")) {
			int ok = f.value_len >= 1 && f.value_len <= MTASTS_ID_MAX;

			for (i = 0; ok && i < f.value_len; i++)
				ok = is_alnum(f.value[i]);
			if (have_id) {
				out->error = MTASTS_TXT_DUP_ID;
				break;
			}
			if (!ok) {
				out->error = MTASTS_TXT_BAD_ID;
				break;
			}
			have_id = 1;
			memcpy(out->id, f.value, f.value_len);
			out->id[f.value_len] = '\0';
			continue;
		}
		if (!txt_ext_name_ok(f.name, f.name_len) ||
		    !txt_ext_value_ok(f.value, f.value_len)) {
			out->error = MTASTS_TXT_BAD_EXTENSION;
			break;
		}
		out->n_extensions++;
	}
	if (out->error == MTASTS_TXT_OK) {
		if (r == TXT_BAD_DELIM)
			out->error = MTASTS_TXT_BAD_DELIM;
		else if (r == TXT_BAD_FIELD)
			out->error = MTASTS_TXT_BAD_FIELD;
		else if (!have_id)
			out->error = MTASTS_TXT_NO_ID;
	}
	if (out->error != MTASTS_TXT_OK)
		out->id[0] = '\0';
	return out->error;
}

enum mtasts_txt_error
mtasts_txt_parse_rrset(const struct dns_rr *rrs, size_t count,
    struct mtasts_txt *out)
{
	char buf[TXT_BUF];
	size_t i, n, n_sts = 0, n_other = 0, which = 0;
	int bad_rdata = 0;

	for (i = 0; i < count; i++) {
		if (txt_rdata_join(rrs[i].rdata, rrs[i].len, buf, sizeof(buf),
		    &n) != 0) {
			bad_rdata = 1;
			continue;
		}
		if (txt_has_version(buf, n, "v=STSv1")) {
			n_sts++;
			which = i;
		} else
			n_other++;
	}
	memset(out, 0, sizeof(*out));
	if (n_sts == 1) {
		(void)txt_rdata_join(rrs[which].rdata, rrs[which].len, buf,
		    sizeof(buf), &n);
		mtasts_txt_parse(buf, n, out);
	} else if (n_sts > 1)
		out->error = MTASTS_TXT_MULTIPLE;
	else
		out->error = bad_rdata ? MTASTS_TXT_BAD_RDATA :
		    MTASTS_TXT_NO_RECORD;
	out->n_sts = n_sts;
	out->n_other = n_other;
	return out->error;
}

/* --- MX patterns ------------------------------------------------------------ */

/* domain_valid - RFC 5321 Domain: sub-domain *("." sub-domain), each
 * Let-dig [Ldh-str] (no leading or trailing hyphen), 1-63 bytes. */
static int
domain_valid(const char *s, size_t n)
{
	size_t i, start = 0;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			if (!is_alnum(s[i]) && s[i] != '-')
				return 0;
			continue;
		}
		if (i == start || i - start > 63 || s[start] == '-' ||
		    s[i - 1] == '-')
			return 0;
		start = i + 1;
	}
	return 1;
}

int
mtasts_mx_pattern_valid(const char *pattern)
{
	size_t n = strlen(pattern);

	if (n >= 2 && pattern[0] == '*' && pattern[1] == '.')
		return domain_valid(pattern + 2, n - 2);
	return domain_valid(pattern, n);
}

int
mtasts_mx_pattern_match(const char *pattern, const char *host)
{
	size_t pn = strlen(pattern), hn = strlen(host);
	const char *dot;

	if (hn > 1 && host[hn - 1] == '.')
		hn--;
	if (pn == 0 || hn == 0)
		return 0;
	if (pn >= 2 && pattern[0] == '*' && pattern[1] == '.') {
		/* Exactly one non-empty label in place of "*". */
		if ((dot = memchr(host, '.', hn)) == NULL || dot == host)
			return 0;
		return hn - (size_t)(dot - host) == pn - 1 &&
		    strncasecmp(dot, pattern + 1, pn - 1) == 0;
	}
	return pn == hn && strncasecmp(pattern, host, hn) == 0;
}

size_t
mtasts_policy_mx_match(const struct mtasts_policy *p, const char *host)
{
	size_t i;

	for (i = 0; i < p->n_mx; i++)
		if (mtasts_mx_pattern_match(p->mx[i], host))
			return i + 1;
	return 0;
}

/* --- the policy file -------------------------------------------------------- */

static void
add_error(struct mtasts_policy *p, enum mtasts_policy_error e, unsigned line)
{
	if (p->errors == 0) {
		p->first_error = e;
		p->first_error_line = line;
	}
	p->errors |= 1u << e;
}

static int
value_is(const char *v, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(v, want, n) == 0;
}

/* One "key: value" line (key and value trimmed as the grammar says). */
static int
policy_field(struct mtasts_policy *p, const char *k, size_t kn,
    const char *v, size_t vn, unsigned line, int *dup_mode, int *bad_mode,
    int *bad_age, int *bad_mx)
{
	size_t i;

	for (i = 0; i < vn; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c < 0x20 || c == 0x7f) {
			add_error(p, MTASTS_POLICY_BAD_VALUE, line);
			return 0;
		}
	}
	if (value_is(k, kn, "version")) {
		if (p->has_version)
			add_error(p, MTASTS_POLICY_DUP_VERSION, line);
		else if (!value_is(v, vn, "STSv1"))
			add_error(p, MTASTS_POLICY_BAD_VERSION, line);
		p->has_version = 1;
	} else if (value_is(k, kn, "mode")) {
		enum mtasts_mode m = MTASTS_MODE_UNKNOWN;

		if (value_is(v, vn, "enforce"))
			m = MTASTS_MODE_ENFORCE;
		else if (value_is(v, vn, "testing"))
			m = MTASTS_MODE_TESTING;
		else if (value_is(v, vn, "none"))
			m = MTASTS_MODE_NONE;
		if (p->mode != MTASTS_MODE_UNKNOWN || *bad_mode) {
			add_error(p, MTASTS_POLICY_DUP_MODE, line);
			*dup_mode = 1;
		} else if (m == MTASTS_MODE_UNKNOWN) {
			add_error(p, MTASTS_POLICY_BAD_MODE, line);
			*bad_mode = 1;
		} else
			p->mode = m;
	} else if (value_is(k, kn, "max_age")) {
		uint64_t a = 0;
		int ok = vn >= 1 && vn <= 10;

		for (i = 0; ok && i < vn; i++) {
			ok = v[i] >= '0' && v[i] <= '9';
			a = a * 10 + (uint64_t)(v[i] - '0');
		}
		if (p->has_max_age || *bad_age)
			add_error(p, MTASTS_POLICY_DUP_MAX_AGE, line);
		else if (!ok) {
			add_error(p, MTASTS_POLICY_BAD_MAX_AGE, line);
			*bad_age = 1;
		} else if (a > MTASTS_MAX_AGE_MAX) {
			add_error(p, MTASTS_POLICY_MAX_AGE_RANGE, line);
			*bad_age = 1;
		} else {
			p->has_max_age = 1;
			p->max_age = (uint32_t)a;
		}
	} else if (value_is(k, kn, "mx")) {
		char *pat;

		/* No NUL here: the control-byte check above caught it. */
		if (vn > 255) {
			add_error(p, MTASTS_POLICY_BAD_MX, line);
			*bad_mx = 1;
			return 0;
		}
		if ((pat = strndup(v, vn)) == NULL)
			return -1;
		if (!mtasts_mx_pattern_valid(pat)) {
			free(pat);
			add_error(p, MTASTS_POLICY_BAD_MX, line);
			*bad_mx = 1;
			return 0;
		}
		if (p->n_mx == MTASTS_MX_MAX) {
			free(pat);
			if (!(p->errors & (1u << MTASTS_POLICY_TOO_MANY_MX)))
				add_error(p, MTASTS_POLICY_TOO_MANY_MX, line);
			return 0;
		}
		if (p->mx == NULL &&
		    (p->mx = calloc(MTASTS_MX_MAX, sizeof(*p->mx))) == NULL) {
			free(pat);
			return -1;
		}
		for (i = 0; pat[i] != '\0'; i++)
			if (pat[i] >= 'A' && pat[i] <= 'Z')
				pat[i] = (char)(pat[i] + 32);
		p->mx[p->n_mx++] = pat;
	} else {
		if (vn == 0)
			add_error(p, MTASTS_POLICY_BAD_VALUE, line);
		else
			p->n_extensions++;
	}
	return 0;
}

int
mtasts_policy_parse(const char *body, size_t len, struct mtasts_policy *out)
{
	size_t pos = 0;
	unsigned line = 0, fields = 0;
	int dup_mode = 0, bad_mode = 0, bad_age = 0, bad_mx = 0;

	memset(out, 0, sizeof(*out));
	if (len > MTASTS_POLICY_MAX) {
		add_error(out, MTASTS_POLICY_TOO_LARGE, 0);
		return (int)out->first_error;
	}
	while (pos < len) {
		const char *s = body + pos, *nl, *colon;
		size_t n, kn, vs;

		line++;
		nl = memchr(s, '\n', len - pos);
		n = nl != NULL ? (size_t)(nl - s) : len - pos;
		pos += n + (nl != NULL);
		if (nl != NULL) {
			if (n > 0 && s[n - 1] == '\r') {
				out->crlf = 1;
				n--;
			} else
				out->lf = 1;
		}
		if (memchr(s, '\r', n) != NULL) {
			add_error(out, MTASTS_POLICY_BARE_CR, line);
			continue;
		}
		while (n > 0 && is_wsp(s[n - 1]))
			n--;
		if (n == 0) {
			out->n_blank_lines++;
			continue;
		}
		fields++;
		if ((colon = memchr(s, ':', n)) == NULL) {
			add_error(out, MTASTS_POLICY_BAD_LINE, line);
			continue;
		}
		kn = (size_t)(colon - s);
		if (!txt_ext_name_ok(s, kn)) {
			add_error(out, MTASTS_POLICY_BAD_KEY, line);
			continue;
		}
		for (vs = kn + 1; vs < n && is_wsp(s[vs]); vs++)
			;
		if (policy_field(out, s, kn, s + vs, n - vs, line, &dup_mode,
		    &bad_mode, &bad_age, &bad_mx) != 0) {
			mtasts_policy_free(out);
			return -1;
		}
	}
	if (fields == 0) {
		add_error(out, MTASTS_POLICY_EMPTY, 0);
		return (int)out->first_error;
	}
	if (!out->has_version)
		add_error(out, MTASTS_POLICY_NO_VERSION, 0);
	if (out->mode == MTASTS_MODE_UNKNOWN && !bad_mode && !dup_mode)
		add_error(out, MTASTS_POLICY_NO_MODE, 0);
	if (!out->has_max_age && !bad_age &&
	    !(out->errors & (1u << MTASTS_POLICY_DUP_MAX_AGE)))
		add_error(out, MTASTS_POLICY_NO_MAX_AGE, 0);
	if ((out->mode == MTASTS_MODE_ENFORCE ||
	    out->mode == MTASTS_MODE_TESTING) && out->n_mx == 0 && !bad_mx)
		add_error(out, MTASTS_POLICY_NO_MX, 0);
	return (int)out->first_error;
}

int
mtasts_policy_valid(const struct mtasts_policy *p)
{
	return p->errors == 0;
}

void
mtasts_policy_free(struct mtasts_policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n_mx; i++)
		free(p->mx[i]);
	free(p->mx);
	memset(p, 0, sizeof(*p));
}

/* --- verdicts ------------------------------------------------------------------ */

enum mtasts_mx_verdict
mtasts_mx_judge(const struct mtasts_policy *p, const struct mtasts_mx_facts *f)
{
	if (f->host == NULL || mtasts_policy_mx_match(p, f->host) == 0)
		return MTASTS_MX_NOT_LISTED;
	if (!f->assessed)
		return MTASTS_MX_UNKNOWN;
	if (!f->tls)
		return MTASTS_MX_NO_TLS;
	if (!f->pkix_valid)
		return MTASTS_MX_UNTRUSTED;
	if (!f->name_match)
		return MTASTS_MX_NAME_MISMATCH;
	return MTASTS_MX_OK;
}

enum mtasts_state
mtasts_auth_state(enum mtasts_domain_state d, const struct mtasts_policy *p,
    enum mtasts_mx_verdict v)
{
	if (d == MTASTS_DOMAIN_NOT_CHECKED)
		return MTASTS_NOT_CHECKED;
	if (d != MTASTS_DOMAIN_POLICY || p == NULL || !mtasts_policy_valid(p))
		return MTASTS_NONE;
	switch (p->mode) {
	case MTASTS_MODE_TESTING:
		return MTASTS_TESTING;
	case MTASTS_MODE_ENFORCE:
		if (v == MTASTS_MX_OK)
			return MTASTS_ENFORCE;
		if (v == MTASTS_MX_UNKNOWN)
			return MTASTS_NOT_CHECKED;
		return MTASTS_ENFORCE_FAILS;
	default:
		return MTASTS_NONE;
	}
}

enum mtasts_delivery
mtasts_domain_judge(const enum mtasts_mx_verdict *v, size_t n)
{
	size_t i, ok = 0, unknown = 0;

	for (i = 0; i < n; i++) {
		if (v[i] == MTASTS_MX_OK)
			ok++;
		else if (v[i] == MTASTS_MX_UNKNOWN)
			unknown++;
	}
	if (ok > 0)
		return ok == n ? MTASTS_DELIVERY_ALL : MTASTS_DELIVERY_SOME;
	return unknown > 0 ? MTASTS_DELIVERY_UNKNOWN : MTASTS_DELIVERY_NONE;
}

/* --- names ---------------------------------------------------------------------- */

static const char *const txt_error_names[] = {
	[MTASTS_TXT_OK] = "ok",
	[MTASTS_TXT_NO_RECORD] = "no-record",
	[MTASTS_TXT_MULTIPLE] = "multiple-records",
	[MTASTS_TXT_BAD_RDATA] = "bad-rdata",
	[MTASTS_TXT_BAD_DELIM] = "bad-delimiter",
	[MTASTS_TXT_BAD_FIELD] = "bad-field",
	[MTASTS_TXT_NO_ID] = "no-id",
	[MTASTS_TXT_BAD_ID] = "bad-id",
	[MTASTS_TXT_DUP_ID] = "duplicate-id",
	[MTASTS_TXT_BAD_EXTENSION] = "bad-extension",
};
_Static_assert(sizeof(txt_error_names) / sizeof(txt_error_names[0]) ==
    MTASTS_TXT_ERROR_COUNT, "txt_error_names");

static const char *const txt_error_texts[] = {
	[MTASTS_TXT_OK] = "valid MTA-STS record",
	[MTASTS_TXT_NO_RECORD] = "no TXT record starting with \"v=STSv1\"",
	[MTASTS_TXT_MULTIPLE] = "more than one \"v=STSv1\" record: senders ignore them all",
	[MTASTS_TXT_BAD_RDATA] = "the TXT record data is malformed",
	[MTASTS_TXT_BAD_DELIM] = "fields must be separated by \";\"",
	[MTASTS_TXT_BAD_FIELD] = "a field is not of the form name=value",
	[MTASTS_TXT_NO_ID] = "the record has no \"id=\" field",
	[MTASTS_TXT_BAD_ID] = "the id must be 1 to 32 letters and digits",
	[MTASTS_TXT_DUP_ID] = "the record has more than one \"id=\" field",
	[MTASTS_TXT_BAD_EXTENSION] = "an extension field has an invalid name or value",
};
_Static_assert(sizeof(txt_error_texts) / sizeof(txt_error_texts[0]) ==
    MTASTS_TXT_ERROR_COUNT, "txt_error_texts");

static const char *const policy_error_names[] = {
	[MTASTS_POLICY_OK] = "ok",
	[MTASTS_POLICY_EMPTY] = "empty",
	[MTASTS_POLICY_TOO_LARGE] = "too-large",
	[MTASTS_POLICY_BARE_CR] = "bare-cr",
	[MTASTS_POLICY_BAD_LINE] = "bad-line",
	[MTASTS_POLICY_BAD_KEY] = "bad-key",
	[MTASTS_POLICY_BAD_VALUE] = "bad-value",
	[MTASTS_POLICY_NO_VERSION] = "no-version",
	[MTASTS_POLICY_BAD_VERSION] = "bad-version",
	[MTASTS_POLICY_DUP_VERSION] = "duplicate-version",
	[MTASTS_POLICY_NO_MODE] = "no-mode",
	[MTASTS_POLICY_BAD_MODE] = "bad-mode",
	[MTASTS_POLICY_DUP_MODE] = "duplicate-mode",
	[MTASTS_POLICY_NO_MAX_AGE] = "no-max-age",
	[MTASTS_POLICY_BAD_MAX_AGE] = "bad-max-age",
	[MTASTS_POLICY_MAX_AGE_RANGE] = "max-age-too-large",
	[MTASTS_POLICY_DUP_MAX_AGE] = "duplicate-max-age",
	[MTASTS_POLICY_NO_MX] = "no-mx",
	[MTASTS_POLICY_BAD_MX] = "bad-mx",
	[MTASTS_POLICY_TOO_MANY_MX] = "too-many-mx",
};
_Static_assert(sizeof(policy_error_names) / sizeof(policy_error_names[0]) ==
    MTASTS_POLICY_ERROR_COUNT, "policy_error_names");

static const char *const policy_error_texts[] = {
	[MTASTS_POLICY_OK] = "valid policy",
	[MTASTS_POLICY_EMPTY] = "the policy file is empty",
	[MTASTS_POLICY_TOO_LARGE] = "the policy file is larger than 64 KiB",
	[MTASTS_POLICY_BARE_CR] = "a line holds a CR not followed by LF",
	[MTASTS_POLICY_BAD_LINE] = "a line is not of the form \"name: value\"",
	[MTASTS_POLICY_BAD_KEY] = "a field name is invalid",
	[MTASTS_POLICY_BAD_VALUE] = "a value is empty or holds control characters",
	[MTASTS_POLICY_NO_VERSION] = "no \"version: STSv1\" line",
	[MTASTS_POLICY_BAD_VERSION] = "the version is not \"STSv1\"",
	[MTASTS_POLICY_DUP_VERSION] = "more than one \"version:\" line",
	[MTASTS_POLICY_NO_MODE] = "no \"mode:\" line",
	[MTASTS_POLICY_BAD_MODE] = "the mode is not enforce, testing or none",
	[MTASTS_POLICY_DUP_MODE] = "more than one \"mode:\" line",
	[MTASTS_POLICY_NO_MAX_AGE] = "no \"max_age:\" line",
	[MTASTS_POLICY_BAD_MAX_AGE] = "max_age is not a number of 1 to 10 digits",
	[MTASTS_POLICY_MAX_AGE_RANGE] = "max_age is above 31557600 seconds",
	[MTASTS_POLICY_DUP_MAX_AGE] = "more than one \"max_age:\" line",
	[MTASTS_POLICY_NO_MX] = "no \"mx:\" line although the mode is enforce or testing",
	[MTASTS_POLICY_BAD_MX] = "an mx pattern is not a host name or \"*.\" and a domain",
	[MTASTS_POLICY_TOO_MANY_MX] = "more than 64 mx patterns",
};
_Static_assert(sizeof(policy_error_texts) / sizeof(policy_error_texts[0]) ==
    MTASTS_POLICY_ERROR_COUNT, "policy_error_texts");

static const char *const mode_names[] = {
	[MTASTS_MODE_UNKNOWN] = "unknown",
	[MTASTS_MODE_NONE] = "none",
	[MTASTS_MODE_TESTING] = "testing",
	[MTASTS_MODE_ENFORCE] = "enforce",
};
_Static_assert(sizeof(mode_names) / sizeof(mode_names[0]) ==
    MTASTS_MODE_COUNT, "mode_names");

static const char *const verdict_names[] = {
	[MTASTS_MX_OK] = "ok",
	[MTASTS_MX_NOT_LISTED] = "not-listed",
	[MTASTS_MX_NO_TLS] = "no-tls",
	[MTASTS_MX_UNTRUSTED] = "untrusted",
	[MTASTS_MX_NAME_MISMATCH] = "name-mismatch",
	[MTASTS_MX_UNKNOWN] = "unknown",
};
_Static_assert(sizeof(verdict_names) / sizeof(verdict_names[0]) ==
    MTASTS_MX_VERDICT_COUNT, "verdict_names");

static const char *const verdict_texts[] = {
	[MTASTS_MX_OK] = "listed in the policy, with a valid certificate for its name",
	[MTASTS_MX_NOT_LISTED] = "no mx pattern of the policy covers this host",
	[MTASTS_MX_NO_TLS] = "no working STARTTLS",
	[MTASTS_MX_UNTRUSTED] = "the certificate chain does not verify",
	[MTASTS_MX_NAME_MISMATCH] = "the certificate does not name this host",
	[MTASTS_MX_UNKNOWN] = "not assessed",
};
_Static_assert(sizeof(verdict_texts) / sizeof(verdict_texts[0]) ==
    MTASTS_MX_VERDICT_COUNT, "verdict_texts");

static const char *const domain_state_names[] = {
	[MTASTS_DOMAIN_NOT_CHECKED] = "not-checked",
	[MTASTS_DOMAIN_NO_RECORD] = "no-record",
	[MTASTS_DOMAIN_FETCH_FAILED] = "fetch-failed",
	[MTASTS_DOMAIN_INVALID_POLICY] = "invalid-policy",
	[MTASTS_DOMAIN_POLICY] = "policy",
};
_Static_assert(sizeof(domain_state_names) / sizeof(domain_state_names[0]) ==
    MTASTS_DOMAIN_STATE_COUNT, "domain_state_names");

static const char *const delivery_names[] = {
	[MTASTS_DELIVERY_ALL] = "all",
	[MTASTS_DELIVERY_SOME] = "some",
	[MTASTS_DELIVERY_NONE] = "none",
	[MTASTS_DELIVERY_UNKNOWN] = "unknown",
};
_Static_assert(sizeof(delivery_names) / sizeof(delivery_names[0]) ==
    MTASTS_DELIVERY_COUNT, "delivery_names");

#define NAME_OF(table, v, count) \
	((unsigned)(v) < (unsigned)(count) ? (table)[v] : "?")

const char *
mtasts_txt_error_name(enum mtasts_txt_error e)
{
	return NAME_OF(txt_error_names, e, MTASTS_TXT_ERROR_COUNT);
}

const char *
mtasts_txt_error_text(enum mtasts_txt_error e)
{
	return NAME_OF(txt_error_texts, e, MTASTS_TXT_ERROR_COUNT);
}

const char *
mtasts_policy_error_name(enum mtasts_policy_error e)
{
	return NAME_OF(policy_error_names, e, MTASTS_POLICY_ERROR_COUNT);
}

const char *
mtasts_policy_error_text(enum mtasts_policy_error e)
{
	return NAME_OF(policy_error_texts, e, MTASTS_POLICY_ERROR_COUNT);
}

const char *
mtasts_mode_name(enum mtasts_mode m)
{
	return NAME_OF(mode_names, m, MTASTS_MODE_COUNT);
}

const char *
mtasts_mx_verdict_name(enum mtasts_mx_verdict v)
{
	return NAME_OF(verdict_names, v, MTASTS_MX_VERDICT_COUNT);
}

const char *
mtasts_mx_verdict_text(enum mtasts_mx_verdict v)
{
	return NAME_OF(verdict_texts, v, MTASTS_MX_VERDICT_COUNT);
}

const char *
mtasts_domain_state_name(enum mtasts_domain_state s)
{
	return NAME_OF(domain_state_names, s, MTASTS_DOMAIN_STATE_COUNT);
}

const char *
mtasts_delivery_name(enum mtasts_delivery d)
{
	return NAME_OF(delivery_names, d, MTASTS_DELIVERY_COUNT);
}
