/*
 * test_web.c - unit tests of src/web without a network: the request
 * parser (web_path.h), the rate limiter (web_limit.h), the escaping and
 * the pages (web_html.h, web_svg.h) on hostile and malformed reports.
 * The store lookups and the HTTP server are tested end to end
 * (web_cases.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <event2/buffer.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_html.h"
#include "web/web_limit.h"
#include "web/web_path.h"
#include "web/web_svg.h"

static void
parse(const char *uri, struct web_path *p)
{
	web_path_parse(uri, p);
}

static void
test_routes(void **state)
{
	struct web_path p;

	(void)state;
	parse("/", &p);
	assert_int_equal(p.route, WEB_HOME);
	parse("/?x=1", &p);
	assert_int_equal(p.route, WEB_HOME);
	parse("/static/style.css", &p);
	assert_int_equal(p.route, WEB_STYLE);
	parse("/check/Example.ORG.", &p);
	assert_int_equal(p.route, WEB_CHECK);
	assert_string_equal(p.domain, "example.org");
	assert_int_equal(p.api, 0);
	parse("/api/check/example.org", &p);
	assert_int_equal(p.route, WEB_API_CHECK);
	assert_int_equal(p.api, 1);
	parse("/api/status/example.org", &p);
	assert_int_equal(p.route, WEB_API_STATUS);
	parse("/stats?scan=42", &p);
	assert_int_equal(p.route, WEB_STATS);
	assert_int_equal(p.scan, 42);
	parse("/api/stats", &p);
	assert_int_equal(p.route, WEB_API_STATS);
	assert_int_equal(p.scan, 0);
	parse("/check?x=1&domain=+b%C3%BCcher.Example+&y", &p);
	assert_int_equal(p.route, WEB_CHECK_FORM);
	assert_string_equal(p.domain, "xn--bcher-kva.example");
	/* Percent-encoded in the path too. */
	parse("/check/b%C3%BCcher.example", &p);
	assert_string_equal(p.domain, "xn--bcher-kva.example");
	assert_string_equal(web_route_name(WEB_API_STATS), "api-stats");
}

static void
test_bad_requests(void **state)
{
	static const char *const bad[] = {
		"/check?domain=", "/check", "/check?domain=%", "/check?domain=%4",
		"/check?domain=%zz", "/check/a%00b.org", "/check/a%0Ab.org",
		"/check/", "/check/exa_mple.org", "/check/a..b", "/check/-a.org",
		"/check?domain=user%40example.org",
		"/check?domain=http%3A%2F%2Fexample.org", "/check/a%2Fb.org",
		"/check/a%20b.org", "/stats?scan=0", "/stats?scan=-1",
		"/stats?scan=x", "/stats?scan=99999999999999999999",
		"/api/stats?scan=", "/check?domain=%3Cscript%3E",
	};
	struct web_path p;
	char big[WEB_URI_MAX + 64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		parse(bad[i], &p);
		if (p.route != WEB_BAD_REQUEST)
			fail_msg("%s: route %s", bad[i], web_route_name(p.route));
		assert_non_null(p.why);
		assert_string_equal(p.domain, "");
	}
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	parse(big, &p);
	assert_int_equal(p.route, WEB_BAD_REQUEST);
	/* A 300-label domain under the URI limit: refused by the name rules. */
	memcpy(big, "/check/", 7);
	for (i = 7; i < 7 + 600; i += 2)
		memcpy(big + i, "a.", 2);
	memcpy(big + i, "org", 4);
	parse(big, &p);
	assert_int_equal(p.route, WEB_BAD_REQUEST);
}

static void
test_not_found(void **state)
{
	static const char *const nf[] = {
		"", "*", "check", "/nope", "/check/a.org/x", "/api", "/api/",
		"/api/check", "/static/", "/static/style.css/", "//", "/stats/",
		"/api/stats/x", "http://example.org/",
	};
	struct web_path p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(nf) / sizeof(*nf); i++) {
		parse(nf[i], &p);
		if (p.route != WEB_NOT_FOUND)
			fail_msg("%s: route %s", nf[i], web_route_name(p.route));
	}
}

static void
test_limit(void **state)
{
	struct web_limit *l = web_limit_new(6, 3);
	unsigned retry = 0;
	int i;

	(void)state;
	assert_non_null(l);
	for (i = 0; i < 3; i++)
		assert_int_equal(web_limit_take(l, "192.0.2.1", 100.0, &retry), 1);
	assert_int_equal(web_limit_take(l, "192.0.2.1", 100.0, &retry), 0);
	assert_in_range(retry, 9, 11);		/* 6 a minute: one per 10 s */
	/* Another client has its own bucket. */
	assert_int_equal(web_limit_take(l, "192.0.2.2", 100.0, &retry), 1);
	/* Refill: 10 s give one token back. */
	assert_int_equal(web_limit_take(l, "192.0.2.1", 110.5, &retry), 1);
	assert_int_equal(web_limit_take(l, "192.0.2.1", 110.5, &retry), 0);
	/* IPv6: one /64 is one client. */
	for (i = 0; i < 3; i++)
		assert_int_equal(web_limit_take(l, "2001:db8:1:2:aaaa::1", 0, &retry), 1);
	assert_int_equal(web_limit_take(l, "2001:db8:1:2:bbbb::2", 0, &retry), 0);
	assert_int_equal(web_limit_take(l, "2001:db8:1:3::1", 0, &retry), 1);
	/* Many clients: the table stays bounded and keeps working. */
	for (i = 0; i < 3 * WEB_LIMIT_SLOTS; i++) {
		char a[32];

		snprintf(a, sizeof(a), "10.%d.%d.%d", i >> 16 & 255, i >> 8 & 255,
		    i & 255);
		assert_int_equal(web_limit_take(l, a, 200.0, &retry), 1);
	}
	web_limit_free(l);
}

/* text - the buffer's contents as a NUL-terminated string (free it). */
static char *
text(struct evbuffer *b)
{
	size_t n = evbuffer_get_length(b);
	char *s = malloc(n + 1);

	assert_non_null(s);
	evbuffer_copyout(b, s, n);
	s[n] = '\0';
	return s;
}

static void
test_escape(void **state)
{
	struct evbuffer *b = evbuffer_new();
	char *s;

	(void)state;
	html_text(b, "<script>alert('x')</script> & \"q\"");
	html_text(b, NULL);
	s = text(b);
	assert_string_equal(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
	    "&amp; &quot;q&quot;");
	free(s);
	evbuffer_free(b);
}

/* A report with markup in every string the network controls. */
static const char evil_report[] =
	"{\"schema\":1,\"domain\":\"x.example\",\"checked_at\":\"2026-11-23T00:00:00Z\","
	"\"mx_lookup\":{\"outcome\":\"ok\",\"dnssec\":\"<b>secure\"},"
	"\"null_mx\":false,\"summary\":{\"mx_hosts\":1,\"addresses\":1},"
	"\"findings\":[{\"id\":\"<i>id\",\"severity\":\"high\\\"><script>\","
	"\"title\":\"<script>t()</script>\",\"detail\":\"<img src=x>\","
	"\"fix\":\"</p><p>\",\"fix_by_mta\":{\"<postfix>\":\"a<b\"},"
	"\"references\":[\"javascript:alert(1)\",\"https://x\\\"onmouseover=1\","
	"\"https://www.rfc-editor.org/rfc/rfc7672\"]}],"
	"\"grade\":{\"letter\":\"<A>\",\"confidence_statement\":\"<c>\"},"
	"\"authentication\":{\"dane\":{\"delivery\":\"<d>\",\"text\":"
	"\"<script>dane()</script>\"},\"mta_sts\":{\"state\":\"<st>\","
	"\"record\":{\"error\":\"<e>\",\"id\":\"<id>\"},\"fetch\":{\"result\":"
	"\"<r>\",\"text\":\"<img>\"},\"policy\":{\"mode\":\"<m>\",\"max_age\":5,"
	"\"mx\":[\"<mx>\"],\"errors\":[\"<err>\"]}},\"mta_sts_verdict\":"
	"{\"delivery\":\"deferred\",\"text\":\"<v>\"},\"tls_rpt\":{\"error\":"
	"\"<t>\",\"rua\":[{\"uri\":\"<script>u</script>\"}]}},"
	"\"mx\":[{\"host\":\"<h>\",\"preference\":10,\"dns\":{},\"findings\":[],"
	"\"dane\":{\"state\":\"tlsa\",\"records\":[{\"usage\":3,\"selector\":1,"
	"\"matching_type\":1,\"data\":\"<ab>\",\"status\":\"<valid>\","
	"\"usable\":true}],\"rollover\":\"<roll>\"},"
	"\"addresses\":[{\"address\":\"<a>\",\"reserved\":null,"
	"\"smtp\":{\"status\":\"<s>\",\"banner\":[\"<script>alert(1)</script>\"],"
	"\"ehlo\":{\"greeting\":\"<g>\",\"extensions\":[\"X-<img>\"]}},"
	"\"tls\":{\"version\":\"<v>\",\"certificate\":{\"chain\":[{\"subject\":"
	"\"CN=<script>\",\"dns_names\":[\"<d>\"]}]}},"
	"\"enumeration\":{\"protocols\":{\"TLSv1.3\":\"<y>\"},\"suites\":"
	"[{\"name\":\"<n>\",\"version\":\"<v>\"}]},"
	"\"grade\":{\"letter\":\"F\",\"caps\":[{\"letter\":\"<F>\",\"reason\":\"<r>\"}]},"
	"\"clients\":[{\"name\":\"<c>\",\"outcome\":\"<o>\",\"reason\":\"<r>\"}],"
	"\"authentication\":{\"dane_state\":\"<ds>\",\"mta_sts_state\":\"<ms>\","
	"\"dane\":{\"state\":\"<x>\",\"verify_error\":\"<y>\"},\"mta_sts\":\"<z>\"},"
	"\"findings\":[]}]}]}";

static void
test_report_escaped(void **state)
{
	struct evbuffer *b = evbuffer_new();
	json_error_t err;
	json_t *r = json_loads(evil_report, 0, &err);
	char *s, *p;

	(void)state;
	if (r == NULL)
		fail_msg("fixture: %s", err.text);
	web_page_report(b, "x.example", r, 1000, 1060, 1);
	s = text(b);
	/* Every '<' in the page starts one of our own tags. */
	for (p = strchr(s, '<'); p != NULL; p = strchr(p + 1, '<'))
		if (!((p[1] >= 'a' && p[1] <= 'z') || p[1] == '/' || p[1] == '!'))
			fail_msg("stray '<' at: %.40s", p);
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<img"));
	assert_null(strstr(s, "<i>"));
	assert_null(strstr(s, "<b>secure"));
	assert_null(strstr(s, "href=\"javascript"));
	assert_null(strstr(s, "onmouseover=1\""));
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(s, "href=\"https://www.rfc-editor.org/rfc/rfc7672\""));
	/* The sections are there, from the report's authentication objects. */
	assert_non_null(strstr(s, "<h3>Certificate</h3>"));
	assert_non_null(strstr(s, "<h3>DANE</h3><p class=\"muted\">&lt;script&gt;dane()"));
	assert_non_null(strstr(s, "&lt;valid&gt;"));
	assert_non_null(strstr(s, "<h3>MTA-STS</h3><p class=\"bad\">&lt;v&gt;"));
	assert_non_null(strstr(s, "&lt;mx&gt;"));
	assert_non_null(strstr(s, "<h3>TLS-RPT</h3>"));
	assert_non_null(strstr(s, "&lt;script&gt;u&lt;/script&gt;"));
	assert_non_null(strstr(s, "<h3>Authentication</h3>"));
	assert_non_null(strstr(s, "&lt;y&gt;"));
	assert_non_null(strstr(s, "Revalidate</button>"));
	assert_null(strstr(s, "disabled"));
	free(s);
	json_decref(r);
	evbuffer_free(b);
}

static void
test_report_malformed(void **state)
{
	static const char *const docs[] = {
		"{}", "[]", "1", "null",
		"{\"mx\":1,\"grade\":[],\"summary\":\"x\",\"findings\":{}}",
		"{\"mx\":[1,\"x\",{\"addresses\":[null,{\"smtp\":1,\"tls\":[],"
		"\"grade\":{\"deductions\":[{\"points\":\"x\"}]},"
		"\"clients\":[1],\"findings\":[1]}]}]}",
		"{\"dane\":[[[[[[[[[[[1]]]]]]]]]]]}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
		struct evbuffer *b = evbuffer_new();
		json_t *r = json_loads(docs[i], JSON_DECODE_ANY, NULL);
		char *s;

		assert_non_null(r);
		web_page_report(b, "a.example", r, 0, 0, 0);
		s = text(b);
		assert_non_null(strstr(s, "</html>"));
		free(s);
		json_decref(r);
		evbuffer_free(b);
	}
}

static void
test_svg(void **state)
{
	struct web_bar bars[] = {
		{ "A<", 3, "bar-a" }, { "F", 1, "bar-f" }, { "none", 0, "bar-none" },
	};
	struct evbuffer *b = evbuffer_new();
	char *s;

	(void)state;
	web_svg_bars(b, "Grades & more", bars, 3, 0);
	s = text(b);
	assert_non_null(strstr(s, "<title>Grades &amp; more</title>"));
	assert_non_null(strstr(s, ">A&lt;</text>"));
	assert_non_null(strstr(s, "3 (75.0 %)"));
	assert_non_null(strstr(s, "class=\"bar bar-a\" x=\"0\" y=\"20\" width=\"75.00%\""));
	assert_non_null(strstr(s, "width=\"25.00%\""));
	assert_null(strstr(s, "bar bar-none"));	/* no bar for 0 */
	assert_null(strstr(s, "style="));
	free(s);
	evbuffer_free(b);
}

/* test_age - the ages the pages show. */
static void
test_age(void **state)
{
	char buf[32];

	(void)state;
	web_fmt_age(5, buf, sizeof(buf));
	assert_string_equal(buf, "5 s");
	web_fmt_age(600, buf, sizeof(buf));
	assert_string_equal(buf, "10 min");
	web_fmt_age(7200, buf, sizeof(buf));
	assert_string_equal(buf, "2 h");
	web_fmt_age(3 * 86400, buf, sizeof(buf));
	assert_string_equal(buf, "3 days");
	web_fmt_age(-5, buf, sizeof(buf));
	assert_string_equal(buf, "0 s");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_report_escaped),
		cmocka_unit_test(test_report_malformed),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_age),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
