/*
 * strvec.c - growable vector of owned strings.  See strvec.h.
 */
#include "util/strvec.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
strvec_push(struct strvec *sv, char *s)
{
	if (s == NULL)
		return -1;
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		char **v = realloc(sv->v, cap * sizeof(*v));
		if (v == NULL) {
			free(s);
			return -1;
		}
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	return 0;
}

int
strvec_push_copy(struct strvec *sv, const char *s)
{
	return strvec_push(sv, strdup(s));
}

int
strvec_contains(const struct strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strcasecmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

void
strvec_clear(struct strvec *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}
