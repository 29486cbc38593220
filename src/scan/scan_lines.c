/*
 * scan_lines.c - bounded line reader for domain and exclude lists.  See
 * scan_lines.h.
 */
#include "scan/scan_lines.h"

#include <errno.h>
#include <string.h>

void
scan_lines_init(struct scan_lines *r, FILE *fp)
{
	/* The buffers need no clearing: only what was read is looked at. */
	r->fp = fp;
	r->lineno = 0;
	r->err = 0;
	r->pos = r->len = 0;
	r->eof = r->skip_lf = r->started = 0;
}

int
scan_lines_is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* fill - make buf[pos] readable: 1, 0 at the end, -1 on a read error. */
static int
fill(struct scan_lines *r)
{
	size_t n;

	if (r->pos < r->len)
		return 1;
	if (r->eof)
		return 0;
	errno = 0;
	n = fread(r->buf, 1, sizeof(r->buf), r->fp);
	r->pos = 0;
	r->len = n;
	if (n > 0)
		return 1;
	r->eof = 1;
	if (ferror(r->fp)) {
		r->err = errno != 0 ? errno : EIO;
		return -1;
	}
	return 0;
}

int
scan_lines_next(struct scan_lines *r, struct scan_line *line)
{
	size_t total = 0, stored, start, end;
	int any = 0, rc;
	char *hash;

	for (;;) {
		const unsigned char *p, *q, *lim;
		size_t chunk, room;

		if ((rc = fill(r)) < 0)
			return -1;
		if (rc == 0) {
			if (!any)
				return 0;
			break;		/* last line without an ending */
		}
		p = r->buf + r->pos;
		lim = r->buf + r->len;
		if (r->skip_lf) {
			/* The LF of a CRLF whose CR ended the previous line. */
			r->skip_lf = 0;
			if (*p == '\n') {
				r->pos++;
				continue;
			}
		}
		any = 1;
		for (q = p; q < lim && *q != '\n' && *q != '\r'; q++)
			;
		chunk = (size_t)(q - p);
		room = total < SCAN_LINE_MAX ? SCAN_LINE_MAX - total : 0;
		if (room > 0)
			memcpy(r->line + total, p, chunk < room ? chunk : room);
		total += chunk;
		r->pos += chunk;
		if (q < lim) {
			r->skip_lf = *q == '\r';
			r->pos++;
			break;
		}
	}
	r->lineno++;
	stored = total < SCAN_LINE_MAX ? total : SCAN_LINE_MAX;
	r->line[stored] = '\0';
	start = 0;
	if (!r->started && stored >= 3 &&
	    memcmp(r->line, "\xef\xbb\xbf", 3) == 0)
		start = 3;		/* UTF-8 byte order mark */
	r->started = 1;

	memset(line, 0, sizeof(*line));
	line->raw = r->line + start;
	line->rawlen = stored - start;
	line->text = "";
	if (total > SCAN_LINE_MAX) {
		line->why = "line longer than 4096 bytes";
		return 1;
	}
	if (memchr(r->line, '\0', stored) != NULL) {
		line->why = "NUL byte in the line";
		return 1;
	}
	end = stored;
	if ((hash = memchr(r->line + start, '#', end - start)) != NULL)
		end = (size_t)(hash - r->line);
	while (start < end && scan_lines_is_blank((unsigned char)r->line[start]))
		start++;
	while (end > start && scan_lines_is_blank((unsigned char)r->line[end - 1]))
		end--;
	r->line[end] = '\0';
	line->text = r->line + start;
	line->len = end - start;
	return 1;
}
