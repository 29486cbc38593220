/*
 * scan_set.h - a set of byte strings for the scan input (internal).
 *
 * Duplicate detection over a million names and exclude-list lookups need a
 * set with constant-time insertion and lookup.  Keys are copied into an
 * arena owned by the set, each followed by a NUL, so string keys can be
 * used as C strings for as long as the set lives; the index (the hash
 * table) can be dropped early with scan_set_drop_index() when only the
 * stored keys are still needed.
 *
 * Open addressing with linear probing, load factor at most 1/2, FNV-1a 64
 * mixed by the MurmurHash3 finaliser (so that keys sharing low hash bits
 * still spread).  The hash is not keyed: the keys come from the operator's
 * own lists, not from peers, so nobody hostile chooses them.  Adding after
 * scan_set_drop_index() is not allowed.  Not thread-safe while
 * being written; lookups on a set nobody writes may run concurrently.
 */
#ifndef MAILTLS_SCAN_SET_H
#define MAILTLS_SCAN_SET_H

#include <stddef.h>
#include <stdint.h>

struct scan_set_slot {
	const char	*key;		/* NULL: empty slot */
	uint32_t	 tag;		/* high half of the hash */
	uint32_t	 len;
};

struct scan_set_chunk;

struct scan_set {
	struct scan_set_slot	*slots;
	size_t			 cap;	/* a power of two, or 0 */
	size_t			 count;
	struct scan_set_chunk	*chunks;
};

/* scan_set_hash - FNV-1a 64 of len bytes at key, then mixed. */
uint64_t scan_set_hash(const void *key, size_t len);

/*
 * scan_set_add - insert the len bytes at key (len < 2^32).  Returns 1 when
 * added, 0 when already present, -1 when memory ran out.  When stored is
 * not NULL it receives the set's copy (NUL-terminated).
 */
int scan_set_add(struct scan_set *set, const void *key, size_t len,
    const char **stored);

/* scan_set_has - 1 when the len bytes at key are in the set. */
int scan_set_has(const struct scan_set *set, const void *key, size_t len);

/* scan_set_drop_index - free the table; stored keys stay valid, lookups now fail. */
void scan_set_drop_index(struct scan_set *set);

/* scan_set_free - free everything; the set is empty and reusable. */
void scan_set_free(struct scan_set *set);

#endif
