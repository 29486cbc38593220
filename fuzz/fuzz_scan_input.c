/*
 * fuzz_scan_input.c - libFuzzer target for the domain list and the exclude
 * list of `mailtls scan` (scan/scan_input.h, scan/scan_exclude.h).
 *
 * Input: 1 set-up byte (shard count 1..4 from its low 2 bits, 4 address
 * bytes come from the file for scan_exclude_address()), then the bytes of a
 * list file, read through fmemopen() as scan_input_load() reads a file.
 *
 * Oracles beyond "no crash":
 *   - the load succeeds; `lines` equals a reference count of LF / CRLF /
 *     lone-CR line ends; one "t:LINE: " warning per invalid line, LINE in
 *     range; kept + invalid + duplicates <= lines;
 *   - kept names are normalised (dns_name_normalize() fixed points) and
 *     distinct; sha256 is the SHA-256 of the names joined with "\n";
 *   - the kept names written back as a list load to the same names and
 *     hash, with nothing invalid or duplicated;
 *   - the shards i/n, i = 0..n-1, are disjoint ordered subsequences whose
 *     union is the whole list, with counts that add up;
 *   - the file also goes through scan_exclude_load_stream() (any result);
 *     the kept names as an exclude file load without error and exclude
 *     every name of the list, as domains and as MX hosts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dns/dns_name.h"
#include "scan/scan_exclude.h"
#include "scan/scan_input.h"
#include "util/netaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

static FILE *
open_bytes(const uint8_t *data, size_t size)
{
	/* fmemopen() refuses an empty buffer. */
	FILE *fp = size > 0 ? fmemopen((void *)(uintptr_t)data, size, "r") :
	    fopen("/dev/null", "r");

	CHECK(fp != NULL);
	return fp;
}

/* load - data as a list; the warnings go to *warn (caller frees). */
static int
load(const uint8_t *data, size_t size, const struct scan_input_opts *base,
    struct scan_input *in, char **warn)
{
	struct scan_input_opts opts = *base;
	size_t wlen = 0;
	FILE *fp = open_bytes(data, size), *w;
	int rc;

	*warn = NULL;
	w = open_memstream(warn, &wlen);
	CHECK(w != NULL);
	opts.warn = w;
	rc = scan_input_load_stream(fp, "t", &opts, in);
	fclose(fp);
	fclose(w);
	return rc;
}

static size_t
ref_lines(const uint8_t *d, size_t n)
{
	size_t i, lines = 0;
	int open = 0;

	for (i = 0; i < n; i++) {
		if (d[i] == '\n' || d[i] == '\r') {
			lines++;
			open = 0;
			if (d[i] == '\r' && i + 1 < n && d[i + 1] == '\n')
				i++;
		} else
			open = 1;
	}
	return lines + (size_t)open;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* joined - the names, one per line: a list file and the hashed text. */
static char *
joined(const struct scan_input *in, size_t *len, int final_lf)
{
	size_t n = 0, i, o = 0;
	char *s;

	for (i = 0; i < in->count; i++)
		n += strlen(in->names[i]) + 1;
	s = malloc(n + 1);
	CHECK(s != NULL);
	for (i = 0; i < in->count; i++) {
		size_t l = strlen(in->names[i]);

		memcpy(s + o, in->names[i], l);
		o += l;
		if (final_lf || i + 1 < in->count)
			s[o++] = '\n';
	}
	s[o] = '\0';
	*len = o;
	return s;
}

static void
check_whole(const uint8_t *data, size_t size, const struct scan_input *in,
    const char *warn)
{
	const char *p;
	size_t warnings = 0, i, len;
	char norm[DNS_NAME_MAX + 1], hex[65], *text;
	char **sorted;
	const char *why;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	CHECK(in->lines == ref_lines(data, size));
	CHECK(in->count + in->invalid + in->duplicates <= in->lines);
	CHECK(in->excluded == 0 && in->other_shard == 0);

	for (p = warn; *p != '\0'; p = strchr(p, '\n') + 1) {
		char *end;
		unsigned long line;

		CHECK(strncmp(p, "t:", 2) == 0);
		line = strtoul(p + 2, &end, 10);
		CHECK(end != p + 2 && end[0] == ':' && end[1] == ' ');
		CHECK(line >= 1 && line <= in->lines);
		CHECK(strchr(p, '\n') != NULL);
		warnings++;
	}
	CHECK(warnings == in->invalid);

	for (i = 0; i < in->count; i++) {
		CHECK(dns_name_normalize(in->names[i], norm, &why) == 0);
		CHECK(strcmp(norm, in->names[i]) == 0);
	}
	if (in->count > 1) {
		sorted = malloc(in->count * sizeof(*sorted));
		CHECK(sorted != NULL);
		memcpy(sorted, in->names, in->count * sizeof(*sorted));
		qsort(sorted, in->count, sizeof(*sorted), cmp_str);
		for (i = 1; i < in->count; i++)
			CHECK(strcmp(sorted[i - 1], sorted[i]) != 0);
		free(sorted);
	}

	/* The identity digest: each name followed by "\n", as
	 * store_digest_names() hashes a list. */
	text = joined(in, &len, 1);
	CHECK(EVP_Digest(text, len, md, &mdlen, EVP_sha256(), NULL) == 1);
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	CHECK(strcmp(hex, in->sha256) == 0);
	free(text);
}

static void
check_refeed(const struct scan_input *in)
{
	struct scan_input_opts opts = { 0 };
	struct scan_input again;
	size_t len, i;
	char *text = joined(in, &len, 1), *warn;

	CHECK(load((const uint8_t *)text, len, &opts, &again, &warn) == 0);
	CHECK(again.count == in->count);
	CHECK(again.lines == in->count);
	CHECK(again.invalid == 0 && again.duplicates == 0);
	for (i = 0; i < in->count; i++)
		CHECK(strcmp(again.names[i], in->names[i]) == 0);
	CHECK(strcmp(again.sha256, in->sha256) == 0);
	scan_input_free(&again);
	free(warn);
	free(text);
}

static void
check_shards(const uint8_t *data, size_t size, const struct scan_input *in,
    unsigned n)
{
	struct scan_input_opts opts = { 0 };
	size_t kept = 0, dups = 0, j;
	unsigned char *taken = calloc(in->count + 1, 1);
	unsigned i;

	CHECK(taken != NULL);
	opts.shard_count = n;
	for (i = 0; i < n; i++) {
		struct scan_input part;
		size_t next = 0;
		char *warn;

		opts.shard_index = i;
		CHECK(load(data, size, &opts, &part, &warn) == 0);
		CHECK(part.lines == in->lines && part.invalid == in->invalid);
		CHECK(part.count + part.duplicates + part.other_shard ==
		    in->count + in->duplicates);
		for (j = 0; j < part.count; j++) {
			while (next < in->count &&
			    strcmp(in->names[next], part.names[j]) != 0)
				next++;
			CHECK(next < in->count && !taken[next]);
			taken[next] = 1;
			CHECK(scan_shard_key(part.names[j]) % n == i);
		}
		kept += part.count;
		dups += part.duplicates;
		scan_input_free(&part);
		free(warn);
	}
	CHECK(kept == in->count);
	CHECK(dups == in->duplicates);
	free(taken);
}

static void
check_exclude(const uint8_t *data, size_t size, const struct scan_input *in,
    const uint8_t *abytes)
{
	struct scan_exclude *ex = scan_exclude_new();
	struct scan_input_opts opts = { 0 };
	struct scan_input again;
	struct netaddr a;
	size_t len, i;
	char *text, *warn;
	FILE *fp;
	int rc;

	/* The fuzzed file as an exclude list: any verdict, no crash. */
	CHECK(ex != NULL);
	fp = open_bytes(data, size);
	rc = scan_exclude_load_stream(ex, fp, "x", NULL);
	fclose(fp);
	CHECK(rc == 0 || rc == -1);
	for (i = 0; i < in->count; i++) {
		(void)scan_exclude_domain(ex, in->names[i]);
		(void)scan_exclude_mx_host(ex, in->names[i]);
	}
	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	memcpy(a.bytes, abytes, 4);
	(void)scan_exclude_address(ex, &a);
	a.family = AF_INET6;
	memset(a.bytes, 0, 10);
	a.bytes[10] = a.bytes[11] = 0xff;
	memcpy(a.bytes + 12, abytes, 4);
	(void)scan_exclude_address(ex, &a);
	scan_exclude_free(ex);

	/* The kept names as an exclude list exclude the whole list. */
	ex = scan_exclude_new();
	CHECK(ex != NULL);
	text = joined(in, &len, 1);
	fp = open_bytes((const uint8_t *)text, len);
	CHECK(scan_exclude_load_stream(ex, fp, "x", NULL) == 0);
	fclose(fp);
	CHECK(scan_exclude_count(ex) == in->count);
	for (i = 0; i < in->count; i++) {
		CHECK(scan_exclude_domain(ex, in->names[i]));
		CHECK(scan_exclude_mx_host(ex, in->names[i]));
	}
	opts.exclude = ex;
	CHECK(load(data, size, &opts, &again, &warn) == 0);
	CHECK(again.count == 0 && again.excluded == in->count);
	scan_input_free(&again);
	free(warn);
	free(text);
	scan_exclude_free(ex);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_input_opts opts = { 0 };
	struct scan_input in;
	static const uint8_t zero[4];
	unsigned shards;
	char *warn;

	if (size < 1)
		return 0;
	shards = 1 + (data[0] & 3);
	data++;
	size--;

	CHECK(load(data, size, &opts, &in, &warn) == 0);
	check_whole(data, size, &in, warn);
	free(warn);
	check_refeed(&in);
	if (shards > 1)
		check_shards(data, size, &in, shards);
	check_exclude(data, size, &in, size >= 4 ? data : zero);
	scan_input_free(&in);
	return 0;
}
