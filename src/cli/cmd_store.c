/*
 * cmd_store.c - what the commands using the results database share, and
 * the store side of `mailtls check --db`.  See commands.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"

int
cmd_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mailtls: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return 2;
}

struct store *
cmd_store_open(const char *uri, enum store_open_mode mode, char *shown)
{
	char err[STORE_ERR_MAX];
	struct store *st;

	store_uri_redact(uri, shown, CMD_URI_SHOWN_MAX);
	if ((st = store_open(uri, mode, err, sizeof(err))) == NULL)
		cmd_fail("database %s: %s", shown, err);
	return st;
}

int
cmd_parse_scan_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < 1)
		return -1;
	*id = v;
	return 0;
}

int
cmd_check_save(struct store *st, const char *shown,
    const struct check_config *cfg, const char *version,
    struct domain_result *const *results, size_t n)
{
	struct store_scan_params p;
	struct store_resume r;
	const char **names;
	char digest[STORE_SHA256_HEX], options[512];
	size_t i;
	int rc = -1;

	if ((names = calloc(n ? n : 1, sizeof(*names))) == NULL) {
		cmd_fail("database %s: out of memory", shown);
		return -1;
	}
	for (i = 0; i < n; i++)
		names[i] = results[i]->name;
	if (store_digest_names(names, n, digest) == -1) {
		free(names);
		cmd_fail("database %s: cannot compute the input digest", shown);
		return -1;
	}
	free(names);
	/* The options that change results: the same domains with another
	 * port are another scan. */
	snprintf(options, sizeof(options), "check port=%u ehlo=%s enumerate=%d",
	    (unsigned)cfg->port, cfg->ehlo_name ? cfg->ehlo_name : "",
	    cfg->enumerate);
	memset(&p, 0, sizeof(p));
	p.input_path = "check";
	p.input_sha256 = digest;
	p.options = options;
	p.version = version;
	p.domains_total = n;
	p.now = (int64_t)time(NULL);
	if (store_scan_begin(st, &p, &r) == -1)
		goto fail;
	store_nameset_free(r.done);	/* a check saves every result again */
	if (store_begin(st) == -1)
		goto fail;
	for (i = 0; i < n; i++)
		if (store_save_domain(st, r.scan_id, results[i]) == -1)
			goto fail;
	if (store_commit(st) == -1 ||
	    store_scan_finish(st, r.scan_id, (int64_t)time(NULL)) == -1)
		goto fail;
	rc = 0;
fail:
	if (rc == -1) {
		cmd_fail("database %s: %s", shown, store_error(st));
		store_rollback(st);
	}
	return rc;
}
