/*
 * scan_input.h - the domain list of `mailtls scan`: read, clean, shard.
 *
 * scan_input_load() turns a file someone typed, exported or downloaded into
 * the list of normalised domain names the scan engine works through.
 *
 * Line rules (shared with scan_exclude.h):
 *   - a line ends at LF, CRLF or a lone CR; the last line needs no ending;
 *   - '#' starts a comment, on its own line or after a name;
 *   - blanks (space, tab, VT, FF) around the name and blank lines are
 *     ignored; a UTF-8 byte order mark at the start of the file is skipped;
 *   - a line longer than 4096 bytes (SCAN_LINE_MAX, without its ending) is
 *     invalid; its rest is skipped without being stored;
 *   - a line with a NUL byte is invalid.
 *
 * Domain lists only:
 *   - one name per line; "RANK,NAME" (the CSV of the Tranco, Umbrella and
 *     Alexa top lists, RANK all digits) is read as NAME;
 *   - each name goes through idna_to_ascii() (IDN to A-label, lower case,
 *     trailing dot dropped) and dns_name_normalize();
 *   - an invalid line is reported to opts->warn as "FILE:LINE: reason"
 *     followed by a sanitised excerpt of the line, counted and skipped:
 *     one bad line never stops a scan of a million.
 *
 * Each valid name then passes, in this order:
 *   1. the shard (opts->shard_count > 1): kept when
 *      scan_shard_key(name) % shard_count == shard_index, else counted in
 *      other_shard;
 *   2. duplicates: a name seen before (in this shard) is counted in
 *      duplicates; the first occurrence keeps its place;
 *   3. the exclude set (opts->exclude, scan_exclude_domain()): counted in
 *      excluded.
 * Because the shard comes first, the kept, duplicates and excluded counts
 * of the n shards add up to those of the unsharded list, and the union of
 * the n kept lists is exactly the unsharded kept list.
 *
 * The result's sha256 identifies the scan for resuming: the hex SHA-256 of
 * the kept names, each followed by "\n" (the empty list hashes ""), which
 * is what store_digest_names() computes for the same list.
 * The same file with the same shard and exclude set gives the same hash;
 * reordering, adding or removing a kept name changes it, while comments,
 * blanks, case, invalid lines and duplicates do not.
 *
 * Cost, measured on a million names (20 MB of text, one core): about
 * 1 s of CPU; 30 MB stay allocated for the kept names, 75 MB at the peak
 * of loading (the duplicate set's table, freed before returning).  Time and
 * memory are linear in the input; the line reader needs 70 KB whatever the
 * line lengths.
 */
#ifndef MAILTLS_SCAN_INPUT_H
#define MAILTLS_SCAN_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scan/scan_exclude.h"

#define SCAN_LINE_MAX 4096	/* bytes of a line, without its ending */

struct scan_input_opts {
	unsigned		 shard_index;	/* i of --shard i/n: 0 .. n-1 */
	unsigned		 shard_count;	/* n; 0 or 1: no sharding */
	const struct scan_exclude *exclude;	/* NULL: nothing excluded */
	FILE			*warn;		/* invalid lines, errors; NULL: silent */
	size_t			 warn_limit;	/* 0: report every invalid line; else
						   at most this many, then one
						   "N more invalid lines" line */
};

struct scan_input_arena;	/* private: where the names live */

struct scan_input {
	char		**names;	/* kept names, normalised, input order;
					   owned by *in (scan_input_free()),
					   not to be freed one by one */
	size_t		  count;	/* entries in names */

	size_t		  lines;	/* lines read, blank and comments included */
	size_t		  invalid;	/* lines reported invalid */
	size_t		  duplicates;	/* repeats of a name in this shard */
	size_t		  excluded;	/* names matched by the exclude set */
	size_t		  other_shard;	/* valid names of another shard */

	char		  sha256[65];	/* hex, lower case: the list's identity */

	struct scan_input_arena *arena;
};

/*
 * scan_input_load - read the list at path ("-": standard input) into *in
 * (overwritten; free it with scan_input_free() whatever the result).  opts
 * may be NULL (no shard, no exclude, silent).  Returns 0 when the list was
 * read, even if every line was invalid; -1 when the file cannot be opened
 * or read, memory runs out, or the shard is out of range: one
 * "PATH: reason" line goes to opts->warn and *in is left empty.
 */
int scan_input_load(const char *path, const struct scan_input_opts *opts,
    struct scan_input *in);

/*
 * scan_input_load_stream - the same from an open stream (not closed); name
 * is used in messages ("FILE" of "FILE:LINE"; scan_input_load() passes the
 * path, or "<stdin>" for "-").
 */
int scan_input_load_stream(FILE *fp, const char *name,
    const struct scan_input_opts *opts, struct scan_input *in);

/* scan_input_free - free the names; *in is empty again.  Safe to repeat. */
void scan_input_free(struct scan_input *in);

/*
 * scan_shard_key - the stable shard key of a normalised name: the first 8
 * bytes of SHA-256(name), big-endian.  The name is in shard
 * scan_shard_key(name) % n.  Anyone can compute it, e.g. in Python:
 *   int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % n
 * A cryptographic hash splits any list evenly, whatever n.
 */
uint64_t scan_shard_key(const char *name);

/*
 * scan_shard_parse - parse the "i/n" of --shard (decimal, 0 <= i < n,
 * 1 <= n <= 65536).  0, or -1 with a reason in why (static string).
 */
int scan_shard_parse(const char *text, unsigned *index, unsigned *count,
    const char **why);

#endif
