/*
 * web_html.h - the pages of `mailtls serve`, rendered on the server into
 * an evbuffer: the front page, a domain's report, the progress page of a
 * running check, the statistics, and error pages.
 *
 * Escaping is in ONE place: html_text() escapes & < > " ' and is how every
 * string that is not a literal of this program reaches a page (report
 * fields from the network or the database, domains, error texts).
 * html_raw() takes literal markup only; html_fmt() takes numbers only (no
 * %s with data).  Pages use no inline script or style (the
 * Content-Security-Policy of web.c forbids both): one stylesheet,
 * /static/style.css (web_style_css), and inline SVG charts whose colours
 * are attributes or classes.
 *
 * The report page is rendered from the report JSON (docs/json.md), the
 * same document `check --json` prints and the store keeps, so a cached and
 * a fresh result look alike, and sections the report gains later (DANE,
 * MTA-STS, TLS-RPT) show as soon as they are in it.
 */
#ifndef MAILTLS_WEB_HTML_H
#define MAILTLS_WEB_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct evbuffer;
struct json_t;

extern const char web_style_css[];

/* html_text - s escaped for text and attribute values.  NULL: nothing. */
void html_text(struct evbuffer *b, const char *s);
/* html_raw - literal markup of this program. */
void html_raw(struct evbuffer *b, const char *s);
/* html_fmt - printf for numbers and literal markup; never %s with data. */
void html_fmt(struct evbuffer *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* web_page_home - the form, why it matters, recent results (now: epoch s). */
void web_page_home(struct evbuffer *b, const struct store_recent *recent,
    size_t n, int64_t now);

/*
 * web_page_report - the report of domain.  report: its JSON; checked_at:
 * epoch seconds; fresh: 1 just checked (no age shown); can_revalidate: the
 * cache window is over, the "Revalidate" button is offered.
 */
void web_page_report(struct evbuffer *b, const char *domain,
    const struct json_t *report, int64_t checked_at, int64_t now,
    int can_revalidate);

/* web_page_progress - a check of domain runs since elapsed_ms; reloads itself. */
void web_page_progress(struct evbuffer *b, const char *domain,
    unsigned elapsed_ms, unsigned refresh_s);

/* web_page_refused - domain resolves only to addresses the service does
 * not probe (loopback, private, ...); why: one line. */
void web_page_refused(struct evbuffer *b, const char *domain, const char *why);

/* web_page_stats - the numbers of one scan, with SVG charts. */
void web_page_stats(struct evbuffer *b, const struct store_stats *s);

/* web_page_error - an error page: status (400...), title, one line of detail. */
void web_page_error(struct evbuffer *b, int status, const char *title,
    const char *detail);

/* web_fmt_age - "42 s", "5 min", "3 h", "2 days" (buf >= 32 bytes). */
void web_fmt_age(int64_t seconds, char *buf, size_t len);

#endif
