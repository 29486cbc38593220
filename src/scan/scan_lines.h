/*
 * scan_lines.h - the line rules of domain and exclude lists (internal).
 *
 * One reader for both list formats, so that they cannot drift apart (the
 * rules are spelled out in scan_input.h): lines end at LF, CRLF or a lone
 * CR; a UTF-8 BOM at the start is skipped; '#' starts a comment; blanks
 * around the text are dropped; a line longer than SCAN_LINE_MAX bytes or
 * with a NUL byte is returned as invalid.  Memory is fixed: a 64 KiB read
 * buffer and one line of SCAN_LINE_MAX bytes; the rest of a longer line is
 * read and dropped.
 */
#ifndef MAILTLS_SCAN_LINES_H
#define MAILTLS_SCAN_LINES_H

#include <stddef.h>
#include <stdio.h>

#include "scan/scan_input.h"	/* SCAN_LINE_MAX */

struct scan_lines {
	FILE		*fp;
	size_t		 lineno;	/* of the line last returned */
	int		 err;		/* errno of a read error, else 0 */
	/* private */
	unsigned char	 buf[64 * 1024];
	size_t		 pos, len;
	int		 eof, skip_lf, started;
	char		 line[SCAN_LINE_MAX + 1];
};

struct scan_line {
	const char	*text;	/* comment and blanks removed, NUL-terminated */
	size_t		 len;	/* 0: nothing on the line */
	const char	*why;	/* non-NULL: the line is invalid (static string) */
	const char	*raw;	/* the stored line before trimming (for messages) */
	size_t		 rawlen;
};

/* scan_lines_init - read lines from fp (which the caller keeps and closes). */
void scan_lines_init(struct scan_lines *r, FILE *fp);

/*
 * scan_lines_next - the next line into *line (valid until the next call).
 * Returns 1 for a line (possibly empty or invalid), 0 at the end of the
 * input, -1 on a read error (r->err holds errno).
 */
int scan_lines_next(struct scan_lines *r, struct scan_line *line);

/* scan_lines_is_blank - space, tab, VT or FF. */
int scan_lines_is_blank(int c);

#endif
