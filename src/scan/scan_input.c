/*
 * scan_input.c - read a domain list for `mailtls scan`.  See scan_input.h.
 *
 * Each line goes: line rules (scan_lines.c) -> "RANK," prefix -> IDNA
 * (punycode.c) -> dns_name_normalize() -> shard -> duplicate set -> exclude
 * set -> kept.  Kept names live in the set's arena, so each is stored once.
 */
#include "scan/scan_input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dns/dns_name.h"
#include "scan/scan_lines.h"
#include "scan/scan_set.h"
#include "util/digest.h"
#include "util/punycode.h"
#include "util/sanitize.h"

#define EXCERPT_MAX 64		/* bytes of a bad line quoted in its message */
#define SHARD_COUNT_MAX 65536

struct scan_input_arena {
	struct scan_set	 set;	/* every name of this shard seen once */
	size_t		 cap;	/* of scan_input.names */
};

/* The state of one load. */
struct loader {
	const char			*name;
	const struct scan_input_opts	*opts;
	struct scan_input		*in;
	size_t				 lineno;
	size_t				 shown;		/* warnings printed */
	EVP_MD_CTX			*md;
};

static void
warn_line(struct loader *ld, const char *reason, const char *text, size_t len)
{
	FILE *w = ld->opts ? ld->opts->warn : NULL;
	size_t limit = ld->opts ? ld->opts->warn_limit : 0;
	char *excerpt;

	ld->in->invalid++;
	if (w == NULL || (limit != 0 && ld->shown >= limit))
		return;
	ld->shown++;
	excerpt = sanitize_copy(text, len, EXCERPT_MAX);
	fprintf(w, "%s:%zu: %s (\"%s\")\n", ld->name, ld->lineno, reason,
	    excerpt ? excerpt : "");
	free(excerpt);
}

static void
warn_file(const struct scan_input_opts *opts, const char *name,
    const char *reason)
{
	if (opts != NULL && opts->warn != NULL)
		fprintf(opts->warn, "%s: %s\n", name, reason);
}

/* keep - append the arena's copy of a name to the kept list and the hash. */
static int
keep(struct loader *ld, const char *stored, size_t len)
{
	struct scan_input *in = ld->in;

	if (in->count == in->arena->cap) {
		size_t cap = in->arena->cap ? in->arena->cap * 2 : 1024;
		char **v;

		if (cap > SIZE_MAX / sizeof(*v) ||
		    (v = realloc(in->names, cap * sizeof(*v))) == NULL)
			return -1;
		in->names = v;
		in->arena->cap = cap;
	}
	/* Each name and "\n": store_digest_names() of the kept list. */
	if (EVP_DigestUpdate(ld->md, stored, len) != 1 ||
	    EVP_DigestUpdate(ld->md, "\n", 1) != 1)
		return -1;
	/* The arena's bytes are ours; names is char ** for the caller's ease. */
	in->names[in->count++] = (char *)(uintptr_t)stored;
	return 0;
}

/*
 * one_name - the text of a non-empty, non-comment line.  0 when handled
 * (kept, skipped or reported), -1 when memory or OpenSSL failed.
 */
static int
one_name(struct loader *ld, const char *text, size_t len)
{
	const struct scan_input_opts *opts = ld->opts;
	char ascii[DNS_NAME_MAX + 1], norm[DNS_NAME_MAX + 1], err[128];
	const char *name = text, *why = NULL, *stored;
	size_t i, n;
	int rc;

	/* "RANK,NAME": the CSV of the common top lists. */
	for (i = 0; i < len && name[i] >= '0' && name[i] <= '9'; i++)
		;
	if (i > 0 && i < len && name[i] == ',') {
		name += i + 1;
		while (scan_lines_is_blank((unsigned char)*name))
			name++;
		if (*name == '\0') {
			warn_line(ld, "no name after the rank", text, len);
			return 0;
		}
	}
	for (i = 0; name[i] != '\0'; i++) {
		if (scan_lines_is_blank((unsigned char)name[i])) {
			warn_line(ld, "blank inside the name (one name per "
			    "line)", text, len);
			return 0;
		}
	}
	if (idna_to_ascii(name, ascii, sizeof(ascii), err, sizeof(err)) != 0) {
		warn_line(ld, err, text, len);
		return 0;
	}
	if (dns_name_normalize(ascii, norm, &why) != 0) {
		warn_line(ld, why, text, len);
		return 0;
	}
	n = strlen(norm);
	if (opts != NULL && opts->shard_count > 1 &&
	    scan_shard_key(norm) % opts->shard_count != opts->shard_index) {
		ld->in->other_shard++;
		return 0;
	}
	if ((rc = scan_set_add(&ld->in->arena->set, norm, n, &stored)) < 0)
		return -1;
	if (rc == 0) {
		ld->in->duplicates++;
		return 0;
	}
	if (opts != NULL && scan_exclude_domain(opts->exclude, norm)) {
		ld->in->excluded++;
		return 0;
	}
	return keep(ld, stored, n);
}

int
scan_input_load_stream(FILE *fp, const char *name,
    const struct scan_input_opts *opts, struct scan_input *in)
{
	struct loader ld = { .name = name, .opts = opts, .in = in };
	struct scan_lines *r = NULL;
	struct scan_line line;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	char msg[160];
	int rc;

	memset(in, 0, sizeof(*in));
	if (opts != NULL && opts->shard_count > 1 &&
	    opts->shard_index >= opts->shard_count) {
		snprintf(msg, sizeof(msg), "shard %u/%u: the index must be "
		    "below the count", opts->shard_index, opts->shard_count);
		warn_file(opts, name, msg);
		return -1;
	}
	if ((in->arena = calloc(1, sizeof(*in->arena))) == NULL ||
	    (r = malloc(sizeof(*r))) == NULL ||
	    (ld.md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ld.md, EVP_sha256(), NULL) != 1)
		goto nomem;
	scan_lines_init(r, fp);
	while ((rc = scan_lines_next(r, &line)) == 1) {
		ld.lineno = r->lineno;
		if (line.why != NULL)
			warn_line(&ld, line.why, line.raw, line.rawlen);
		else if (line.len > 0 && one_name(&ld, line.text, line.len) != 0)
			goto nomem;
	}
	in->lines = r->lineno;
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "read error after line %zu: %s",
		    r->lineno, strerror(r->err));
		warn_file(opts, name, msg);
		goto fail;
	}
	if (EVP_DigestFinal_ex(ld.md, digest, &dlen) != 1 || dlen != 32)
		goto nomem;
	hex_encode(digest, dlen, in->sha256);
	if (opts != NULL && opts->warn != NULL && in->invalid > ld.shown)
		fprintf(opts->warn, "%s: %zu more invalid lines not shown\n",
		    name, in->invalid - ld.shown);
	scan_set_drop_index(&in->arena->set);
	EVP_MD_CTX_free(ld.md);
	free(r);
	return 0;

nomem:
	warn_file(opts, name, "out of memory");
fail:
	EVP_MD_CTX_free(ld.md);
	free(r);
	scan_input_free(in);
	return -1;
}

int
scan_input_load(const char *path, const struct scan_input_opts *opts,
    struct scan_input *in)
{
	FILE *fp;
	int rc;

	memset(in, 0, sizeof(*in));
	if (strcmp(path, "-") == 0)
		return scan_input_load_stream(stdin, "<stdin>", opts, in);
	if ((fp = fopen(path, "r")) == NULL) {
		warn_file(opts, path, strerror(errno));
		return -1;
	}
	rc = scan_input_load_stream(fp, path, opts, in);
	fclose(fp);
	return rc;
}

void
scan_input_free(struct scan_input *in)
{
	if (in->arena != NULL) {
		scan_set_free(&in->arena->set);
		free(in->arena);
	}
	free(in->names);
	memset(in, 0, sizeof(*in));
}

uint64_t
scan_shard_key(const char *name)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	uint64_t key = 0;
	int i;

	/* Only fails when OpenSSL cannot allocate: every name goes to shard 0. */
	if (EVP_Digest(name, strlen(name), d, &dlen, EVP_sha256(), NULL) != 1)
		return 0;
	for (i = 0; i < 8; i++)
		key = key << 8 | d[i];
	return key;
}

int
scan_shard_parse(const char *text, unsigned *index, unsigned *count,
    const char **why)
{
	unsigned long v[2] = { 0, 0 };
	const char *p = text;
	int k;

	for (k = 0; k < 2; k++) {
		const char *start = p;

		while (*p >= '0' && *p <= '9') {
			v[k] = v[k] * 10 + (unsigned long)(*p - '0');
			if (v[k] > SHARD_COUNT_MAX) {
				*why = "shard numbers are at most 65536";
				return -1;
			}
			p++;
		}
		if (p == start || *p != (k == 0 ? '/' : '\0')) {
			*why = "expected i/n (two decimal numbers, e.g. 0/4)";
			return -1;
		}
		p++;
	}
	if (v[1] == 0) {
		*why = "the shard count must be at least 1";
		return -1;
	}
	if (v[0] >= v[1]) {
		*why = "the shard index i of i/n runs from 0 to n-1";
		return -1;
	}
	*index = (unsigned)v[0];
	*count = (unsigned)v[1];
	return 0;
}
