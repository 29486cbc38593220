/*
 * policy_list.h - a list of domains that require TLS, given with
 * --policy-file: the format of EFF's STARTTLS Everywhere list (version 0.1),
 * which senders such as Postfix (via starttls-policy-cli) used to refuse
 * plain-text delivery to the domains it named.
 *
 *   {
 *     "version": "0.1",
 *     "policies": {
 *       "example.com": { "mode": "enforce", "mxs": [".example.com"] },
 *       "example.net": { "policy-alias": "big-provider" }
 *     },
 *     "policy-aliases": {
 *       "big-provider": { "mode": "testing", "mxs": ["mx.provider.net"] }
 *     }
 *   }
 *
 * A domain listed in mode "enforce" requires TLS: when STARTTLS is missing
 * or fails, mailtls reports possible STARTTLS stripping on the path.
 * "testing" is recorded.  An entry with "mxs" names the MX hosts senders
 * accept for the domain; an MX host outside them is reported.  Unknown keys are ignored, as the
 * list's own tools do; anything else malformed is an error naming where.
 *
 * Lifecycle: policy_list_load() or policy_list_parse() -> lookups ->
 * policy_list_free().  Read-only after loading (shareable by checks).
 */
#ifndef MAILTLS_POLICY_LIST_H
#define MAILTLS_POLICY_LIST_H

#include <stddef.h>

#define POLICY_LIST_MAX_BYTES	(64u << 20)	/* the file, at most */
#define POLICY_LIST_MAX_MXS	64		/* per policy */

enum policy_list_mode {
	POLICY_LIST_TESTING,
	POLICY_LIST_ENFORCE,
};

struct policy_list_entry {
	char			*domain;	/* normalised, lower case */
	enum policy_list_mode	 mode;
	char			**mxs;		/* ".suffix" or exact host names */
	size_t			 n_mxs;
};

struct policy_list;

/*
 * policy_list_parse - the JSON document in buf (len bytes) into *out.  0,
 * or -1 with one line in err ("policies.example.com.mode: not enforce or
 * testing").
 */
int policy_list_parse(const char *buf, size_t len, struct policy_list **out,
    char *err, size_t errlen);

/* policy_list_load - read and parse the file at path (bounded).  0 or -1. */
int policy_list_load(const char *path, struct policy_list **out, char *err,
    size_t errlen);

/* policy_list_find - the entry of domain (normalised), or NULL. */
const struct policy_list_entry *policy_list_find(const struct policy_list *l,
    const char *domain);

/* policy_list_mx_match - 1 when host matches one of e's mxs. */
int policy_list_mx_match(const struct policy_list_entry *e, const char *host);

size_t policy_list_count(const struct policy_list *l);

/* policy_list_at - the i-th entry in domain order (i < count). */
const struct policy_list_entry *policy_list_at(const struct policy_list *l,
    size_t i);

void policy_list_free(struct policy_list *l);	/* NULL is fine */

#endif
