/*
 * web_limit.c - token buckets per client address.  See web_limit.h.
 */
#include "web/web_limit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 48	/* an IPv6 address text is at most 45 bytes */
#define PROBE 8		/* slots looked at per client */

struct slot {
	char	 key[KEY_MAX];	/* "" free */
	double	 tokens;
	double	 last;		/* when tokens was computed */
};

struct web_limit {
	double		 rate;		/* tokens per second */
	double		 burst;
	struct slot	 slots[WEB_LIMIT_SLOTS];
};

struct web_limit *
web_limit_new(double per_minute, double burst)
{
	struct web_limit *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->rate = per_minute / 60.0;
	l->burst = burst < 1 ? 1 : burst;
	return l;
}

void
web_limit_free(struct web_limit *l)
{
	free(l);
}

/* client_key - the address as the key: IPv6 cut to its first 4 groups (/64). */
static void
client_key(const char *client, char key[KEY_MAX])
{
	size_t i, colons = 0;

	for (i = 0; client[i] != '\0' && i < KEY_MAX - 1; i++) {
		if (client[i] == ':' && ++colons == 4)
			break;
		key[i] = client[i];
	}
	key[i] = '\0';
	/* "2001:db8::1" has fewer groups written out: keep it whole. */
}

static uint32_t
hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

int
web_limit_take(struct web_limit *l, const char *client, double now,
    unsigned *retry_after)
{
	char key[KEY_MAX];
	struct slot *s = NULL, *oldest = NULL;
	uint32_t h;
	int i;

	client_key(client, key);
	h = hash(key);
	for (i = 0; i < PROBE; i++) {
		struct slot *c = &l->slots[(h + (uint32_t)i) % WEB_LIMIT_SLOTS];

		if (strcmp(c->key, key) == 0) {
			s = c;
			break;
		}
		if (oldest == NULL || c->key[0] == '\0' ||
		    (oldest->key[0] != '\0' && c->last < oldest->last))
			oldest = c;
	}
	if (s == NULL) {
		s = oldest;
		memcpy(s->key, key, sizeof(key));
		s->tokens = l->burst;
		s->last = now;
	}
	s->tokens += (now - s->last) * l->rate;
	if (s->tokens > l->burst)
		s->tokens = l->burst;
	s->last = now;
	if (s->tokens >= 1.0) {
		s->tokens -= 1.0;
		return 1;
	}
	*retry_after = l->rate > 0 ?
	    (unsigned)((1.0 - s->tokens) / l->rate) + 1 : 3600;
	return 0;
}
