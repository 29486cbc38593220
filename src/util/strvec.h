/*
 * strvec.h - a growable vector of owned C strings.
 *
 * Used by the result model for lists of peer text (banner lines, EHLO
 * keywords, certificate names).  The vector owns its strings.
 */
#ifndef MAILTLS_STRVEC_H
#define MAILTLS_STRVEC_H

#include <stddef.h>

struct strvec {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

/* strvec_push - append s (ownership passes to the vector).  -1 if out of memory, s then freed. */
int strvec_push(struct strvec *sv, char *s);

/* strvec_push_copy - append a copy of s.  -1 if out of memory. */
int strvec_push_copy(struct strvec *sv, const char *s);

/* strvec_contains - 1 if an element equals s, ignoring ASCII case. */
int strvec_contains(const struct strvec *sv, const char *s);

/* strvec_clear - free every string and the array; the vector is empty again. */
void strvec_clear(struct strvec *sv);

#endif
