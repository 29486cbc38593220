/*
 * dns_name.h - domain names as users type them and as mailtls stores them.
 *
 * A name from the command line, a domain list or a web form is checked here
 * once; everything after this point handles only normalised names: ASCII,
 * lower case, no trailing dot, at most 253 characters, labels of 1 to 63
 * letters, digits and hyphens (RFC 1035 2.3.1, RFC 5321 4.1.2).  IDNs must
 * arrive in their A-label form (xn--...).
 */
#ifndef MAILTLS_DNS_NAME_H
#define MAILTLS_DNS_NAME_H

#include <stddef.h>

#define DNS_NAME_MAX 253		/* text form, no trailing dot */
#define DNS_LABEL_MAX 63

/*
 * dns_name_normalize - validate in and write its normalised form into out
 * (DNS_NAME_MAX + 1 bytes).  Returns 0 on success; -1 with *why set to a short
 * static English reason ("empty label", "name longer than 253 characters"...)
 * when in is not a usable mail domain or host name.
 */
int dns_name_normalize(const char *in, char out[DNS_NAME_MAX + 1],
    const char **why);

/* dns_name_equal - 1 when a and b are the same name (ASCII case, trailing dot ignored). */
int dns_name_equal(const char *a, const char *b);

#endif
