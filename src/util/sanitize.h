/*
 * sanitize.h - make peer-supplied text safe to store and to show.
 *
 * Everything a remote server sends (banners, EHLO lines, certificate fields,
 * DNS names) is hostile until it has passed through here.  The rule is the
 * one Postfix's posttls-finger applies: printable ASCII (0x20-0x7e) is kept,
 * every other byte becomes '?'.  The result is plain text: it still needs
 * HTML or JSON escaping where it is embedded in those formats.
 */
#ifndef MAILTLS_SANITIZE_H
#define MAILTLS_SANITIZE_H

#include <stddef.h>

/*
 * sanitize_copy - return a newly allocated, NUL-terminated sanitised copy of
 * the first len bytes of data (embedded NULs included).  At most max output
 * bytes are kept; when more were given, the copy ends in "...".  Returns NULL
 * only when memory is exhausted.  The caller frees the result.
 */
char *sanitize_copy(const void *data, size_t len, size_t max);

/* sanitize_str - sanitize_copy() of a C string, NULL in gives NULL out. */
char *sanitize_str(const char *s, size_t max);

/* sanitize_in_place - replace every unsafe byte of s with '?'. */
void sanitize_in_place(char *s);

#endif
