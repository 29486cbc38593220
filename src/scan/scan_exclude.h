/*
 * scan_exclude.h - who asked not to be scanned (`mailtls scan --exclude FILE`).
 *
 * A mass scan connects to servers whose operators never asked for it; some
 * of them ask to be left out, and that request must hold.  An exclude file
 * has one entry per line, with the line rules of a domain list (see
 * scan_input.h: '#' comments, blank lines, LF / CRLF / CR, surrounding
 * blanks and one trailing dot ignored, at most 4096 bytes a line):
 *
 *   example.org          a name: the domain and every name below it
 *   *.example.org        the same (the "*." is accepted and means the same)
 *   bücher.example       IDNs are converted (punycode.h)
 *   192.0.2.7            an IPv4 or IPv6 address
 *   2001:db8::25
 *   192.0.2.0/24         a network (CIDR); host bits after the prefix are
 *   2001:db8::/32        ignored: 192.0.2.9/24 excludes 192.0.2.0/24
 *   mx:mx.example.net    an MX host name and every name below it
 *
 * What each entry matches:
 *
 *   entry        scan_exclude_domain  scan_exclude_mx_host  scan_exclude_address
 *   name         name and below       name and below        -
 *   mx:NAME      -                    name and below        -
 *   address/net  -                    -                     inside the network
 *
 * A plain name also covers MX hosts under it: an operator who writes
 * "example.net" most likely means "do not touch our servers", and the
 * servers of example.net are usually named under it.  "mx:" is for hosts
 * whose domain itself may be scanned (mx:mail.protection.example covers the
 * hosts without excluding the domain protection.example's own records).
 * An IPv4-mapped IPv6 address or network (::ffff:192.0.2.0/120) is the IPv4
 * one.  When in doubt the rules exclude more, never less.
 *
 * Unlike a domain list, a bad line here is fatal: scan_exclude_load()
 * reports every bad line and fails, because skipping one would scan
 * someone who opted out.
 *
 * Lookups cost one hash probe per label of the name, and one per distinct
 * prefix length for an address, whatever the size of the list.  A loaded
 * set is read-only and may be shared by threads.
 */
#ifndef MAILTLS_SCAN_EXCLUDE_H
#define MAILTLS_SCAN_EXCLUDE_H

#include <stddef.h>
#include <stdio.h>

#include "util/netaddr.h"

struct scan_exclude;		/* opaque */

/* scan_exclude_new - an empty set.  NULL when memory is exhausted. */
struct scan_exclude *scan_exclude_new(void);

/*
 * scan_exclude_load - add the entries of the file at path ("-" for stdin) to
 * ex.  Every bad line is reported to err (when not NULL) as
 * "PATH:LINE: reason"; an unreadable file as "PATH: reason".  Returns 0 when
 * every line was good, -1 otherwise; after -1, ex holds the good entries
 * but must not be used for a scan (the caller stops).  Several files may be
 * loaded into one set.
 */
int scan_exclude_load(struct scan_exclude *ex, const char *path, FILE *err);

/* scan_exclude_load_stream - the same from an open stream (not closed), with name for messages. */
int scan_exclude_load_stream(struct scan_exclude *ex, FILE *fp,
    const char *name, FILE *err);

/*
 * scan_exclude_add - add one entry, given as the text of a line (no comment
 * or surrounding blanks).  0, or -1 with a reason in *why (a string owned
 * by ex, valid until the next call on ex).
 */
int scan_exclude_add(struct scan_exclude *ex, const char *entry,
    const char **why);

/*
 * scan_exclude_domain - 1 when the mail domain name (ASCII; case and one
 * trailing dot ignored) is excluded by a name entry, else 0.  ex NULL: 0.
 */
int scan_exclude_domain(const struct scan_exclude *ex, const char *name);

/*
 * scan_exclude_mx_host - 1 when the MX host name (ASCII, as found in DNS;
 * case and one trailing dot ignored) is excluded by a name or "mx:" entry.
 */
int scan_exclude_mx_host(const struct scan_exclude *ex, const char *host);

/* scan_exclude_address - 1 when addr is inside an excluded address or network. */
int scan_exclude_address(const struct scan_exclude *ex,
    const struct netaddr *addr);

/*
 * scan_exclude_digest - the set's identity for resuming a scan: the hex
 * SHA-256 of its distinct entries in canonical form ("name example.org",
 * "mx mx.example.net", "net 192.0.2.0/24"), sorted bytewise, each followed
 * by "\n".  Comments, order, case, IDN spelling, "*." and repeats do not
 * change it; any entry added or removed does.  hex: 65 bytes.  0, or -1
 * (out of memory, OpenSSL failed).
 */
int scan_exclude_digest(const struct scan_exclude *ex, char hex[65]);

/* scan_exclude_count - the number of distinct entries (0 for NULL). */
size_t scan_exclude_count(const struct scan_exclude *ex);

/* scan_exclude_free - free ex and everything it holds; NULL is fine. */
void scan_exclude_free(struct scan_exclude *ex);

#endif
