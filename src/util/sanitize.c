/*
 * sanitize.c - peer text to safe text.  See sanitize.h.
 */
#include "util/sanitize.h"

#include <stdlib.h>
#include <string.h>

static int
is_safe(unsigned char c)
{
	return c >= 0x20 && c <= 0x7e;
}

char *
sanitize_copy(const void *data, size_t len, size_t max)
{
	const unsigned char *in = data;
	int truncated = 0;
	char *out;
	size_t i;

	if (len > max) {
		len = max;
		truncated = 1;
	}
	if ((out = malloc(len + (truncated ? 4 : 1))) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		out[i] = is_safe(in[i]) ? (char)in[i] : '?';
	if (truncated) {
		memcpy(out + len, "...", 3);
		len += 3;
	}
	out[len] = '\0';
	return out;
}

char *
sanitize_str(const char *s, size_t max)
{
	if (s == NULL)
		return NULL;
	return sanitize_copy(s, strlen(s), max);
}

void
sanitize_in_place(char *s)
{
	for (; *s != '\0'; s++)
		if (!is_safe((unsigned char)*s))
			*s = '?';
}
