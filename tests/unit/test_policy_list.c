/*
 * test_policy_list.c - the --policy-file list (mtasts/policy_list.h):
 * STARTTLS Everywhere documents, aliases, lookups, mx patterns, and one
 * clear error for each way a file can be wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mtasts/policy_list.h"

static struct policy_list *
parse_ok(const char *doc)
{
	struct policy_list *l;
	char err[256] = "";

	if (policy_list_parse(doc, strlen(doc), &l, err, sizeof(err)) != 0)
		fail_msg("parse failed: %s", err);
	return l;
}

/* parse_fails - doc is refused with an error line containing want. */
static void
parse_fails(const char *doc, const char *want)
{
	struct policy_list *l = (struct policy_list *)1;
	char err[256] = "";

	assert_int_equal(policy_list_parse(doc, strlen(doc), &l, err,
	    sizeof(err)), -1);
	assert_null(l);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
	assert_null(strchr(err, '\n'));
}

static void
test_entries_and_aliases(void **state)
{
	struct policy_list *l = parse_ok("{\"version\": \"0.1\", "
	    "\"timestamp\": \"2019-01-01T00:00:00Z\", "
	    "\"policies\": {"
	    "  \"Example.COM.\": {\"mode\": \"enforce\", \"mxs\": [\".example.com\"]},"
	    "  \"example.net\": {\"policy-alias\": \"provider\"},"
	    "  \"example.org\": {\"mode\": \"testing\"}},"
	    "\"policy-aliases\": {\"provider\": {\"mode\": \"enforce\", "
	    "  \"mxs\": [\"mx.provider.net\"]}}}");
	const struct policy_list_entry *e;

	(void)state;
	assert_int_equal(policy_list_count(l), 3);
	e = policy_list_find(l, "example.com");
	assert_non_null(e);
	assert_int_equal(e->mode, POLICY_LIST_ENFORCE);
	assert_true(policy_list_mx_match(e, "mx1.example.com."));
	assert_false(policy_list_mx_match(e, "example.com"));
	assert_false(policy_list_mx_match(e, "mx.badexample.com"));
	e = policy_list_find(l, "example.net");
	assert_non_null(e);
	assert_int_equal(e->mode, POLICY_LIST_ENFORCE);
	assert_true(policy_list_mx_match(e, "MX.provider.net"));
	assert_false(policy_list_mx_match(e, "a.mx.provider.net"));
	e = policy_list_find(l, "example.org");
	assert_non_null(e);
	assert_int_equal(e->mode, POLICY_LIST_TESTING);
	assert_int_equal(e->n_mxs, 0);
	assert_null(policy_list_find(l, "example.edu"));
	assert_null(policy_list_find(NULL, "example.com"));
	policy_list_free(l);
}

static void
test_errors(void **state)
{
	(void)state;
	parse_fails("", "line");
	parse_fails("{\"policies\": [", "line 1");
	parse_fails("[]", "no \"policies\" object");
	parse_fails("{\"policies\": 3}", "no \"policies\" object");
	parse_fails("{\"policies\": {\"a.example\": {\"mode\": \"strict\"}}}",
	    "policies.a.example.mode: not enforce or testing");
	parse_fails("{\"policies\": {\"a.example\": {}}}", "mode: missing");
	parse_fails("{\"policies\": {\"a..example\": {\"mode\": \"enforce\"}}}",
	    "policies: \"a..example\"");
	parse_fails("{\"policies\": {\"a.example\": {\"policy-alias\": \"x\"}}}",
	    "no such alias");
	parse_fails("{\"policies\": {\"a.example\": {\"mode\": \"enforce\", "
	    "\"mxs\": \".example.com\"}}}", "mxs: not an array");
	parse_fails("{\"policies\": {\"a.example\": {\"mode\": \"enforce\", "
	    "\"mxs\": [7]}}}", "mxs[0]: not a string");
	parse_fails("{\"policies\": {\"a.example\": {\"mode\": \"enforce\"}, "
	    "\"A.example\": {\"mode\": \"testing\"}}}", "listed twice");
	parse_fails("{\"policies\": {\"a.example\": {\"mode\": \"enforce\"}, "
	    "\"a.example\": {\"mode\": \"testing\"}}}", "line");
	/* a control character in a key is not echoed raw */
	parse_fails("{\"policies\": {\"a\\u001b[31m\": {\"mode\": \"enforce\"}}}",
	    "policies: \"a");
}

static void
test_load(void **state)
{
	char path[] = "/tmp/mailtls-policy-XXXXXX", err[256];
	struct policy_list *l;
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("{\"policies\": {\"mail.example\": {\"mode\": \"enforce\"}}}", f);
	fclose(f);
	assert_int_equal(policy_list_load(path, &l, err, sizeof(err)), 0);
	assert_non_null(policy_list_find(l, "mail.example"));
	policy_list_free(l);
	unlink(path);
	assert_int_equal(policy_list_load(path, &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_and_aliases),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
