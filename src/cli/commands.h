/*
 * commands.h - the mailtls commands that use the results database
 * (src/store/store.h), and what they share.
 *
 *   mailtls stats  [--db URI] [--scan N] [--json]
 *   mailtls export [--db URI] [--scan N] [--format jsonl|csv]
 *                  [--per domain|server]
 *   mailtls diff   [--db URI] [--json] [--expiring DAYS] SCAN1 SCAN2
 *   mailtls check --db URI DOMAIN...     (main.c, with the helpers below)
 *
 * cmd_stats(), cmd_export() and cmd_diff() take argv as main() received
 * it minus the program name (argv[0] is the command name), write their
 * output to stdout and return the exit status: 0 done, 2 usage or
 * database error, after ONE line on stderr ("mailtls: database ./x.db:
 * file is not a database").  None ever writes to the database
 * (STORE_OPEN_READ).
 */
#ifndef MAILTLS_COMMANDS_H
#define MAILTLS_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#include "check/check.h"
#include "store/store.h"

int cmd_stats(int argc, char **argv);
int cmd_export(int argc, char **argv);
/* cmd_scan.c: `mailtls scan` (usage in the file); version: the program's. */
int cmd_scan(int argc, char **argv, const char *version);
/* cmd_diff.c: `mailtls diff SCAN1 SCAN2` (usage in the file). */
int cmd_diff(int argc, char **argv);
/* cmd_serve.c: `mailtls serve` (usage in the file; src/web). */
int cmd_serve(int argc, char **argv, const char *version);

/* ---- shared (cmd_store.c) ---- */

/* The size of a shown (password-masked) URI buffer. */
#define CMD_URI_SHOWN_MAX 1024

/*
 * cmd_store_open - open uri in mode; on failure print "mailtls: database
 * URI: WHY" and return NULL.  shown (CMD_URI_SHOWN_MAX bytes) receives the
 * URI as it may be printed, for later error lines.
 */
struct store *cmd_store_open(const char *uri, enum store_open_mode mode,
    char *shown);

/* cmd_parse_scan_id - a "--scan" value: a positive integer.  0, or -1. */
int cmd_parse_scan_id(const char *s, int64_t *id);

/* cmd_fail - print "mailtls: ..." on stderr; returns 2 (the exit status). */
int cmd_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * cmd_check_save - save the n results of one `mailtls check --db` run as
 * one scan in st: begun (or resumed, if an earlier run of the same domains
 * and options died before finishing), written in one batch, finished.
 * The scan's input is "check", its identity the domains' digest and the
 * options of cfg that change results.  shown: the URI for error lines.
 * 0, or -1 after printing one error line.
 */
int cmd_check_save(struct store *st, const char *shown,
    const struct check_config *cfg, const char *version,
    struct domain_result *const *results, size_t n);

#endif
