/*
 * policy_list.c - the --policy-file list (STARTTLS Everywhere format).
 * See policy_list.h.
 *
 * The document is parsed with Jansson, then every policy is resolved (an
 * alias replaced by its target) and copied into a sorted array, so lookups
 * are a binary search and nothing refers to the JSON afterwards.  Domain
 * names and mx entries go through dns_name_normalize(): the list is input
 * from a file, and a name that would not survive it is an error, not a
 * silently skipped row.
 */
#include "mtasts/policy_list.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns_name.h"
#include "util/sanitize.h"

struct policy_list {
	struct policy_list_entry *v;	/* sorted by domain */
	size_t			  n;
};

static int
fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* fail - one line into err; -1 for the caller to return. */
static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static void
entry_clear(struct policy_list_entry *e)
{
	size_t i;

	free(e->domain);
	for (i = 0; i < e->n_mxs; i++)
		free(e->mxs[i]);
	free(e->mxs);
	memset(e, 0, sizeof(*e));
}

void
policy_list_free(struct policy_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		entry_clear(&l->v[i]);
	free(l->v);
	free(l);
}

/*
 * fill_entry - mode and mxs of one policy object into e.  where names the
 * object in error lines ("policies.example.com").
 */
static int
fill_entry(json_t *pol, const char *where, struct policy_list_entry *e,
    char *err, size_t errlen)
{
	json_t *mode = json_object_get(pol, "mode");
	json_t *mxs = json_object_get(pol, "mxs");
	char norm[DNS_NAME_MAX + 1];
	const char *why;
	size_t i;

	if (!json_is_string(mode))
		return fail(err, errlen, "%s.mode: missing or not a string", where);
	if (strcmp(json_string_value(mode), "enforce") == 0)
		e->mode = POLICY_LIST_ENFORCE;
	else if (strcmp(json_string_value(mode), "testing") == 0)
		e->mode = POLICY_LIST_TESTING;
	else
		return fail(err, errlen, "%s.mode: not enforce or testing", where);
	if (mxs == NULL)
		return 0;
	if (!json_is_array(mxs))
		return fail(err, errlen, "%s.mxs: not an array", where);
	if (json_array_size(mxs) > POLICY_LIST_MAX_MXS)
		return fail(err, errlen, "%s.mxs: more than %u entries", where,
		    POLICY_LIST_MAX_MXS);
	if ((e->mxs = calloc(json_array_size(mxs) + 1, sizeof(*e->mxs))) == NULL)
		return fail(err, errlen, "out of memory");
	for (i = 0; i < json_array_size(mxs); i++) {
		json_t *mx = json_array_get(mxs, i);
		const char *s = json_string_value(mx);
		int suffix;

		if (s == NULL)
			return fail(err, errlen, "%s.mxs[%zu]: not a string",
			    where, i);
		suffix = s[0] == '.';
		if (dns_name_normalize(s + suffix, norm, &why) == -1)
			return fail(err, errlen, "%s.mxs[%zu]: %s", where, i, why);
		if ((e->mxs[i] = malloc(strlen(norm) + 2)) == NULL)
			return fail(err, errlen, "out of memory");
		snprintf(e->mxs[i], strlen(norm) + 2, "%s%s", suffix ? "." : "",
		    norm);
		e->n_mxs++;
	}
	return 0;
}

static int
entry_order(const void *a, const void *b)
{
	return strcmp(((const struct policy_list_entry *)a)->domain,
	    ((const struct policy_list_entry *)b)->domain);
}

int
policy_list_parse(const char *buf, size_t len, struct policy_list **out,
    char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc, *policies, *aliases, *pol;
	struct policy_list *l;
	const char *key, *why;
	char norm[DNS_NAME_MAX + 1], where[DNS_NAME_MAX + 64];
	size_t i;
	int rc = -1;

	*out = NULL;
	if (len > POLICY_LIST_MAX_BYTES)
		return fail(err, errlen, "larger than %u bytes",
		    POLICY_LIST_MAX_BYTES);
	doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		char *text = sanitize_str(jerr.text, 120);

		fail(err, errlen, "line %d: %s", jerr.line, text ? text : "bad JSON");
		free(text);
		return -1;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		fail(err, errlen, "out of memory");
		goto done;
	}
	policies = json_object_get(doc, "policies");
	aliases = json_object_get(doc, "policy-aliases");
	if (!json_is_object(doc) || !json_is_object(policies)) {
		fail(err, errlen, "no \"policies\" object");
		goto done;
	}
	if (aliases != NULL && !json_is_object(aliases)) {
		fail(err, errlen, "\"policy-aliases\" is not an object");
		goto done;
	}
	if ((l->v = calloc(json_object_size(policies) + 1,
	    sizeof(*l->v))) == NULL) {
		fail(err, errlen, "out of memory");
		goto done;
	}
	json_object_foreach(policies, key, pol) {
		struct policy_list_entry *e = &l->v[l->n];
		json_t *alias;

		if (dns_name_normalize(key, norm, &why) == -1) {
			char *shown = sanitize_str(key, 64);

			fail(err, errlen, "policies: \"%s\": %s", shown ? shown :
			    "?", why);
			free(shown);
			goto done;
		}
		snprintf(where, sizeof(where), "policies.%s", norm);
		if (!json_is_object(pol)) {
			fail(err, errlen, "%s: not an object", where);
			goto done;
		}
		alias = json_object_get(pol, "policy-alias");
		if (alias != NULL) {
			const char *name = json_string_value(alias);
			json_t *target = name != NULL && aliases != NULL ?
			    json_object_get(aliases, name) : NULL;

			if (!json_is_object(target)) {
				fail(err, errlen, "%s.policy-alias: no such alias",
				    where);
				goto done;
			}
			pol = target;
		}
		if ((e->domain = strdup(norm)) == NULL) {
			fail(err, errlen, "out of memory");
			goto done;
		}
		l->n++;
		if (fill_entry(pol, where, e, err, errlen) == -1)
			goto done;
	}
	qsort(l->v, l->n, sizeof(*l->v), entry_order);
	for (i = 1; i < l->n; i++) {
		if (strcmp(l->v[i - 1].domain, l->v[i].domain) == 0) {
			fail(err, errlen, "policies: %s listed twice",
			    l->v[i].domain);
			goto done;
		}
	}
	*out = l;
	l = NULL;
	rc = 0;
done:
	policy_list_free(l);
	json_decref(doc);
	return rc;
}

int
policy_list_load(const char *path, struct policy_list **out, char *err,
    size_t errlen)
{
	FILE *f;
	char *buf;
	size_t len = 0, cap = 65536;
	int rc;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL)
		return fail(err, errlen, "%s", strerror(errno));
	if ((buf = malloc(cap)) == NULL) {
		fclose(f);
		return fail(err, errlen, "out of memory");
	}
	for (;;) {
		size_t n = fread(buf + len, 1, cap - len, f);

		len += n;
		if (len < cap) {
			if (ferror(f)) {
				free(buf);
				fclose(f);
				return fail(err, errlen, "read error");
			}
			break;
		}
		if (cap > POLICY_LIST_MAX_BYTES) {
			free(buf);
			fclose(f);
			return fail(err, errlen, "larger than %u bytes",
			    POLICY_LIST_MAX_BYTES);
		}
		cap *= 2;
		char *nb = realloc(buf, cap);
		if (nb == NULL) {
			free(buf);
			fclose(f);
			return fail(err, errlen, "out of memory");
		}
		buf = nb;
	}
	fclose(f);
	rc = policy_list_parse(buf, len, out, err, errlen);
	free(buf);
	return rc;
}

const struct policy_list_entry *
policy_list_find(const struct policy_list *l, const char *domain)
{
	size_t lo = 0, hi = l != NULL ? l->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(domain, l->v[mid].domain);

		if (c == 0)
			return &l->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int
policy_list_mx_match(const struct policy_list_entry *e, const char *host)
{
	size_t i, hl = strlen(host);

	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	for (i = 0; i < e->n_mxs; i++) {
		const char *p = e->mxs[i];
		size_t pl = strlen(p);

		if (p[0] == '.') {
			/* ".example.com" covers any name below example.com */
			if (hl > pl && strncasecmp(host + hl - pl, p, pl) == 0)
				return 1;
		} else if (hl == pl && strncasecmp(host, p, pl) == 0) {
			return 1;
		}
	}
	return 0;
}

size_t
policy_list_count(const struct policy_list *l)
{
	return l != NULL ? l->n : 0;
}

const struct policy_list_entry *
policy_list_at(const struct policy_list *l, size_t i)
{
	return &l->v[i];
}
