/*
 * scan_set.c - a set of byte strings with keys in an arena.  See scan_set.h.
 */
#include "scan/scan_set.h"

#include <stdlib.h>
#include <string.h>

/* Arena chunks start small (short exclude lists) and double up to 1 MiB. */
#define CHUNK_MIN (4 * 1024)
#define CHUNK_MAX (1024 * 1024)

struct scan_set_chunk {
	struct scan_set_chunk	*next;
	size_t			 used, size;
	char			 data[];
};

uint64_t
scan_set_hash(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	/* MurmurHash3 fmix64: every input bit reaches every output bit. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* arena_copy - a NUL-terminated copy of key in the arena, NULL if out of memory. */
static const char *
arena_copy(struct scan_set *set, const void *key, size_t len)
{
	struct scan_set_chunk *c = set->chunks;
	char *p;

	if (c == NULL || c->size - c->used < len + 1) {
		size_t size = c == NULL ? CHUNK_MIN :
		    c->size >= CHUNK_MAX ? CHUNK_MAX : c->size * 2;

		if (size < len + 1)
			size = len + 1;

		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = set->chunks;
		set->chunks = c;
	}
	p = c->data + c->used;
	memcpy(p, key, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

/* find - the slot holding key, or the empty slot where it would go. */
static struct scan_set_slot *
find(const struct scan_set *set, const void *key, size_t len, uint64_t h)
{
	size_t mask = set->cap - 1, i = (size_t)h & mask;
	uint32_t tag = (uint32_t)(h >> 32);

	for (;; i = (i + 1) & mask) {
		struct scan_set_slot *s = &set->slots[i];

		if (s->key == NULL)
			return s;
		if (s->tag == tag && s->len == len &&
		    memcmp(s->key, key, len) == 0)
			return s;
	}
}

static int
grow(struct scan_set *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64, i;
	struct scan_set_slot *old = set->slots, *slots;
	size_t oldcap = set->cap;

	if (cap > SIZE_MAX / sizeof(*slots) ||
	    (slots = calloc(cap, sizeof(*slots))) == NULL)
		return -1;
	set->slots = slots;
	set->cap = cap;
	for (i = 0; i < oldcap; i++) {
		if (old[i].key != NULL) {
			uint64_t h = scan_set_hash(old[i].key, old[i].len);

			*find(set, old[i].key, old[i].len, h) = old[i];
		}
	}
	free(old);
	return 0;
}

int
scan_set_add(struct scan_set *set, const void *key, size_t len,
    const char **stored)
{
	uint64_t h = scan_set_hash(key, len);
	struct scan_set_slot *s;

	if (len >= UINT32_MAX)
		return -1;
	if ((set->count + 1) * 2 > set->cap && grow(set) != 0)
		return -1;
	s = find(set, key, len, h);
	if (s->key != NULL) {
		if (stored != NULL)
			*stored = s->key;
		return 0;
	}
	if ((s->key = arena_copy(set, key, len)) == NULL)
		return -1;
	s->tag = (uint32_t)(h >> 32);
	s->len = (uint32_t)len;
	set->count++;
	if (stored != NULL)
		*stored = s->key;
	return 1;
}

int
scan_set_has(const struct scan_set *set, const void *key, size_t len)
{
	if (set->cap == 0)
		return 0;
	return find(set, key, len, scan_set_hash(key, len))->key != NULL;
}

void
scan_set_drop_index(struct scan_set *set)
{
	free(set->slots);
	set->slots = NULL;
	set->cap = 0;
}

void
scan_set_free(struct scan_set *set)
{
	struct scan_set_chunk *c, *next;

	scan_set_drop_index(set);
	for (c = set->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	set->chunks = NULL;
	set->count = 0;
}
