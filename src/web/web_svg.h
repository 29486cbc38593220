/*
 * web_svg.h - bar charts as inline SVG, drawn on the server, so the
 * statistics page needs no script and no external resource.
 *
 * A chart is a list of bars (label, count, a CSS class for the colour):
 * one horizontal bar per row, its length the share of total, the count
 * and percentage written beside it.  Labels are escaped (html_text());
 * colours come from classes in the stylesheet, never inline style.
 */
#ifndef MAILTLS_WEB_SVG_H
#define MAILTLS_WEB_SVG_H

#include <stddef.h>
#include <stdint.h>

struct evbuffer;

struct web_bar {
	const char	*label;
	uint64_t	 n;
	const char	*cls;		/* "bar-a", "bar-good", ... (literal) */
};

/*
 * web_svg_bars - a chart of the n bars; total: what 100 % is (0: the sum of
 * the bars).  title: the chart's accessible name (escaped).
 */
void web_svg_bars(struct evbuffer *b, const char *title,
    const struct web_bar *bars, size_t n, uint64_t total);

#endif
