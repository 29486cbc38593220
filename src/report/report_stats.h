/*
 * report_stats.h - the numbers of one scan (store_stats()) as JSON: what
 * `mailtls stats --json` prints and what `mailtls serve` answers on
 * /api/stats.  The schema is in docs/store.md ("Statistics").
 */
#ifndef MAILTLS_REPORT_STATS_H
#define MAILTLS_REPORT_STATS_H

#include "store/store.h"

struct json_t;

/* report_stats_json - s as a new JSON object (json_decref() it); NULL: OOM. */
struct json_t *report_stats_json(const struct store_stats *s);

#endif
