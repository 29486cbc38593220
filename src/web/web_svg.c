/*
 * web_svg.c - horizontal bar charts as inline SVG.  See web_svg.h.
 *
 * The SVG has no viewBox: lengths are CSS pixels vertically and percentages
 * horizontally, so it takes the page's width (a phone or a desktop) while
 * the text keeps its size.  Each row is a label line (name on the left,
 * count and share on the right) above a bar on a grey track.
 */
#include "web/web_svg.h"

#include "web/web_html.h"

#define ROW_H 34

void
web_svg_bars(struct evbuffer *b, const char *title,
    const struct web_bar *bars, size_t n, uint64_t total)
{
	size_t i;

	if (total == 0)
		for (i = 0; i < n; i++)
			total += bars[i].n;
	html_fmt(b, "<svg class=\"chart\" role=\"img\" width=\"100%%\" "
	    "height=\"%zu\" xmlns=\"http://www.w3.org/2000/svg\"><title>",
	    n * ROW_H + 4);
	html_text(b, title);
	html_raw(b, "</title>");
	for (i = 0; i < n; i++) {
		double pct = total ? 100.0 * (double)bars[i].n / (double)total : 0;
		size_t y = i * ROW_H;

		html_fmt(b, "<g class=\"row\"><text class=\"label\" x=\"0\" "
		    "y=\"%zu\">", y + 14);
		html_text(b, bars[i].label);
		html_fmt(b, "</text><text class=\"count\" x=\"100%%\" y=\"%zu\" "
		    "text-anchor=\"end\">%llu (%.1f %%)</text>", y + 14,
		    (unsigned long long)bars[i].n, pct);
		html_fmt(b, "<rect class=\"track\" x=\"0\" y=\"%zu\" "
		    "width=\"100%%\" height=\"10\" rx=\"5\"/>", y + 20);
		if (bars[i].n > 0) {
			html_raw(b, "<rect class=\"bar ");
			html_raw(b, bars[i].cls ? bars[i].cls : "bar-default");
			html_fmt(b, "\" x=\"0\" y=\"%zu\" width=\"%.2f%%\" "
			    "height=\"10\" rx=\"5\"/>", y + 20,
			    pct < 0.5 ? 0.5 : pct);
		}
		html_raw(b, "</g>");
	}
	html_raw(b, "</svg>");
}
