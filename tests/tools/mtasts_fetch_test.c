/*
 * mtasts_fetch_test.c - the MTA-STS policy fetcher (src/mtasts/mtasts_fetch.h)
 * against the lab's nginx (tests/lab/nginx.sh, LAB.md "MTA-STS").
 *
 *   mtasts_fetch_test LAB_DIR
 *
 * Reads LAB_DIR/lab.env (LAB_CA, LAB_STS_ADDR), starts every case at once on
 * one event loop, each pinned to LAB_STS_ADDR (nothing is resolved through
 * the system), and checks each result: the error class, the HTTP facts and,
 * for fetched bodies, what the policy parser makes of them.  Prints one line
 * per case; exit status 0 when all pass, 1 otherwise, 2 on usage errors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "mtasts/mtasts.h"
#include "mtasts/mtasts_fetch.h"

static int failures;

#define CHECK(c, cond) do {						\
	if (!(cond)) {							\
		printf("  FAIL %s: %s (line %d)\n", (c)->domain, #cond,	\
		    __LINE__);						\
		failures++;						\
	}								\
} while (0)

struct fcase {
	const char		*domain;
	int			 no_ca;		/* the system store, not LAB_CA */
	unsigned		 port;
	size_t			 max_body;
	enum mtasts_fetch_error	 want;
	void			(*verify)(struct fcase *c,
				    const struct mtasts_fetch_result *r);
	int			 done;
};

static void
v_enforce(struct fcase *c, const struct mtasts_fetch_result *r)
{
	struct mtasts_policy p;

	CHECK(c, r->http_status == 200);
	CHECK(c, r->content_type != NULL && mtasts_content_type_ok(r->content_type));
	CHECK(c, r->peer != NULL && strcmp(r->peer, "127.0.4.1") == 0);
	CHECK(c, mtasts_policy_parse(r->body, r->body_len, &p) == MTASTS_POLICY_OK);
	CHECK(c, p.mode == MTASTS_MODE_ENFORCE);
	CHECK(c, p.max_age == 86400);
	CHECK(c, p.crlf && !p.lf);
	CHECK(c, mtasts_policy_mx_match(&p, "mx1.mailtls.test.") == 1);
	CHECK(c, mtasts_policy_mx_match(&p, "mx2.mailtls.test.") == 0);
	mtasts_policy_free(&p);
}

static void
v_testing(struct fcase *c, const struct mtasts_fetch_result *r)
{
	struct mtasts_policy p;

	CHECK(c, r->http_status == 200);
	CHECK(c, mtasts_policy_parse(r->body, r->body_len, &p) == MTASTS_POLICY_OK);
	CHECK(c, p.mode == MTASTS_MODE_TESTING);
	CHECK(c, p.n_mx == 2 && p.lf);
	CHECK(c, mtasts_policy_mx_match(&p, "mx1.mailtls.test") == 1);
	CHECK(c, mtasts_policy_mx_match(&p, "a.mx1.mailtls.test") == 0);
	mtasts_policy_free(&p);
}

static void
v_bad(struct fcase *c, const struct mtasts_fetch_result *r)
{
	struct mtasts_policy p;

	CHECK(c, r->http_status == 200);
	CHECK(c, mtasts_policy_parse(r->body, r->body_len, &p) ==
	    MTASTS_POLICY_BAD_MODE);
	CHECK(c, p.first_error_line == 2);
	CHECK(c, p.errors == ((1u << MTASTS_POLICY_BAD_MODE) |
	    (1u << MTASTS_POLICY_BAD_LINE) | (1u << MTASTS_POLICY_BAD_MAX_AGE)));
	mtasts_policy_free(&p);
}

static void
v_redirect(struct fcase *c, const struct mtasts_fetch_result *r)
{
	CHECK(c, r->http_status == 302);
	CHECK(c, r->location != NULL && strcmp(r->location,
	    "https://mta-sts.sts-enforce.mailtls.test/.well-known/mta-sts.txt") == 0);
	CHECK(c, r->body == NULL);
	CHECK(c, strstr(r->error_text, "redirect") != NULL);
}

static void
v_html(struct fcase *c, const struct mtasts_fetch_result *r)
{
	CHECK(c, r->http_status == 200);
	CHECK(c, r->content_type != NULL &&
	    strncmp(r->content_type, "text/html", 9) == 0);
	CHECK(c, r->body == NULL);
}

static void
v_huge(struct fcase *c, const struct mtasts_fetch_result *r)
{
	CHECK(c, r->http_status == 200);
	CHECK(c, r->body == NULL);
}

static void
v_cert(struct fcase *c, const struct mtasts_fetch_result *r)
{
	CHECK(c, r->http_status == 0);
	CHECK(c, r->error_text[0] != '\0');
}

static struct fcase cases[] = {
	{ "sts-enforce.mailtls.test", 0, 0, 0, MTASTS_FETCH_OK, v_enforce, 0 },
	{ "STS-Testing.mailtls.test.", 0, 0, 0, MTASTS_FETCH_OK, v_testing, 0 },
	{ "sts-bad-policy.mailtls.test", 0, 0, 0, MTASTS_FETCH_OK, v_bad, 0 },
	{ "sts-redirect.mailtls.test", 0, 0, 0, MTASTS_FETCH_REDIRECT, v_redirect, 0 },
	{ "sts-wrong-type.mailtls.test", 0, 0, 0, MTASTS_FETCH_CONTENT_TYPE, v_html, 0 },
	{ "sts-huge.mailtls.test", 0, 0, 0, MTASTS_FETCH_TOO_LARGE, v_huge, 0 },
	/* nginx serves sts-enforce's certificate for this name. */
	{ "sts-wrongcert.mailtls.test", 0, 0, 0, MTASTS_FETCH_CERT_NAME, v_cert, 0 },
	/* The lab CA is not in the system store. */
	{ "sts-enforce.mailtls.test", 1, 0, 0, MTASTS_FETCH_CERT_UNTRUSTED, v_cert, 0 },
	/* A small limit: the body of sts-enforce is larger. */
	{ "sts-enforce.mailtls.test", 0, 0, 40, MTASTS_FETCH_TOO_LARGE, v_huge, 0 },
	/* No server block for this name: nginx refuses the handshake. */
	{ "good.mailtls.test", 0, 0, 0, MTASTS_FETCH_TLS, v_cert, 0 },
	/* Nothing listens on 127.0.4.1:444. */
	{ "sts-enforce.mailtls.test", 0, 444, 0, MTASTS_FETCH_CONNECT, v_cert, 0 },
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void
on_result(void *arg, const struct mtasts_fetch_result *r)
{
	struct fcase *c = arg;
	int before = failures;

	c->done++;
	if (r->error != c->want) {
		printf("  FAIL %s: error %s, want %s (%s)\n", c->domain,
		    mtasts_fetch_error_name(r->error),
		    mtasts_fetch_error_name(c->want), r->error_text);
		failures++;
	} else if (c->verify != NULL)
		c->verify(c, r);
	CHECK(c, r->url != NULL && strstr(r->url, "https://mta-sts.") == r->url);
	CHECK(c, (r->error == MTASTS_FETCH_OK) == (r->body != NULL));
	printf("%s %-28s %-14s HTTP %ld  %s\n", failures == before ? "ok  " : "FAIL",
	    c->domain, mtasts_fetch_error_name(r->error), r->http_status,
	    r->error_text);
}

/* env_value - the value of KEY= in the lab.env text, copied into out. */
static int
env_value(const char *env, const char *key, char *out, size_t outlen)
{
	size_t kl = strlen(key);
	const char *p = env;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, "\n");

			if (n >= outlen)
				return -1;
			memcpy(out, p + kl + 1, n);
			out[n] = '\0';
			return 0;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -1;
}

int
main(int argc, char **argv)
{
	char path[4096], env[8192], ca[4096], addr[64], err[256];
	const char *addrs[1];
	struct event_base *base;
	struct mtasts_fetcher *f;
	size_t i, n;
	FILE *fp;

	if (argc != 2) {
		fprintf(stderr, "usage: %s LAB_DIR\n", argv[0]);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/lab.env", argv[1]);
	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "%s: cannot read %s (is the lab running?)\n",
		    argv[0], path);
		return 2;
	}
	n = fread(env, 1, sizeof(env) - 1, fp);
	env[n] = '\0';
	fclose(fp);
	if (env_value(env, "LAB_CA", ca, sizeof(ca)) != 0 ||
	    env_value(env, "LAB_STS_ADDR", addr, sizeof(addr)) != 0) {
		fprintf(stderr, "%s: LAB_CA or LAB_STS_ADDR missing in %s\n",
		    argv[0], path);
		return 2;
	}
	addrs[0] = addr;

	if ((base = event_base_new()) == NULL ||
	    (f = mtasts_fetcher_new(base, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: setup failed: %s\n", argv[0], err);
		return 2;
	}
	for (i = 0; i < N_CASES; i++) {
		struct mtasts_fetch_config cfg = {
			.ca_file = cases[i].no_ca ? NULL : ca,
			.addrs = addrs,
			.n_addrs = 1,
			.port = cases[i].port,
			.timeout_ms = 10000,
			.max_body = cases[i].max_body,
		};

		if (mtasts_fetch_start(f, cases[i].domain, &cfg, on_result,
		    &cases[i]) == NULL) {
			fprintf(stderr, "%s: out of memory\n", argv[0]);
			return 2;
		}
	}
	event_base_dispatch(base);
	for (i = 0; i < N_CASES; i++)
		if (cases[i].done != 1) {
			printf("FAIL %s: %d callbacks, want 1\n", cases[i].domain,
			    cases[i].done);
			failures++;
		}
	mtasts_fetcher_free(f);
	event_base_free(base);
	printf("%zu cases, %d failed checks\n", N_CASES, failures);
	return failures == 0 ? 0 : 1;
}
