/*
 * web_limit.h - the per-client rate limit of `mailtls serve`: a token
 * bucket per client address.
 *
 * Each client (the peer address as text; IPv6 clients are keyed by their
 * /64, since one host holds a whole /64) has a bucket of `burst` tokens
 * that refills at `per_minute` tokens a minute; starting a check costs
 * one.  The table is fixed-size (WEB_LIMIT_SLOTS): a new client takes a
 * free slot near its hash or the least recently seen one, so memory stays
 * bounded whatever the number of clients.  The global cap on concurrent
 * checks (web.c) is what protects the machine when many addresses share
 * the work.
 */
#ifndef MAILTLS_WEB_LIMIT_H
#define MAILTLS_WEB_LIMIT_H

#define WEB_LIMIT_SLOTS 4096

struct web_limit;

/* web_limit_new - a table; NULL if out of memory.  burst >= 1. */
struct web_limit *web_limit_new(double per_minute, double burst);
void web_limit_free(struct web_limit *l);	/* NULL is fine */

/*
 * web_limit_take - take one token of client's bucket at time now (seconds,
 * monotonic).  1: allowed; 0: limited, *retry_after = whole seconds until a
 * token is back.
 */
int web_limit_take(struct web_limit *l, const char *client, double now,
    unsigned *retry_after);

#endif
