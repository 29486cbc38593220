/*
 * grade.h - grades: from the facts and findings of a finished check to two
 * scores and a letter per server address and per domain, as the rubric in
 * docs/grading.md says (version GRADE_RUBRIC_VERSION).
 *
 *   encryption       0-100: what a passive listener faces (protocol 30 %,
 *                    key exchange 30 %, cipher 40 %, in the SSL Labs manner)
 *   authentication   0-100, or not assessed: what an active attacker faces
 *                    (DANE, MTA-STS; struct auth_facts)
 *   letter           A+ .. F: encryption's letter, lowered by caps, lifted
 *                    to A+ by authentication
 *
 * The rubric is a table of rules (grade_rule_at()): each row has an id, a
 * condition, its effect (a score component limited to a value, a cap on
 * the letter, "no A+") and the finding it points at, so every point lost
 * and every cap names one finding with one fix.  The table is static: rule
 * pointers stay valid for the process lifetime.
 *
 * Lifecycle: grade_derive() runs once on a finished domain_result, after
 * findings_derive() (rules point at findings the report shows), and writes
 * server_result.grade and domain_result.grade.  struct grade and struct
 * domain_grade own no memory: a zeroed one means "not graded yet", and
 * nothing needs freeing.  Nothing here does I/O or blocks.
 */
#ifndef MAILTLS_GRADE_H
#define MAILTLS_GRADE_H

#include <stddef.h>

#include "check/findings.h"

#define GRADE_RUBRIC_VERSION "1.0"

/* Letters, worst first, so that "lower" compares as worse; NONE: no grade. */
enum grade_letter {
	GRADE_NONE,
	GRADE_F,
	GRADE_E,
	GRADE_D,
	GRADE_C,
	GRADE_B,
	GRADE_A_MINUS,
	GRADE_A,
	GRADE_A_PLUS,
	GRADE_LETTER_COUNT
};

/* The three parts of the encryption score. */
enum grade_component {
	GRADE_PROTOCOL,
	GRADE_KEY_EXCHANGE,
	GRADE_CIPHER,
	GRADE_COMPONENT_COUNT
};

/* The halves of a component, (best + worst) / 2: a rule limits one or both. */
#define GRADE_HALF_BEST		1u
#define GRADE_HALF_WORST	2u
#define GRADE_HALF_BOTH		3u

/* Where the facts of a grade came from (docs/grading.md section 2). */
enum grade_basis {
	GRADE_BASIS_NONE,		/* not graded */
	GRADE_BASIS_SMTP,		/* no TLS session: the SMTP status alone */
	GRADE_BASIS_HANDSHAKE,		/* one handshake, no enumeration */
	GRADE_BASIS_ENUMERATION,	/* the enumeration and the handshake */
	GRADE_BASIS_COUNT
};

/* --- authentication facts: filled by the DANE and MTA-STS checks ---------- */

/*
 * What DANE (RFC 7672) says about one address.  Zero, DANE_NOT_CHECKED, is
 * what every address has until the DANE check exists.
 */
enum dane_state {
	DANE_NOT_CHECKED,
	DANE_NONE,		/* no TLSA, or the zone is unsigned */
	DANE_NO_USABLE,		/* TLSA present, none usable: mandatory TLS,
				   no authentication (RFC 7672 2.2) */
	DANE_VALID,		/* a usable TLSA record matches this address */
	DANE_FAILS,		/* usable TLSA, no match or no TLS: senders defer */
	DANE_LOOKUP_FAILED,	/* TLSA lookup bogus or failed: senders defer */
	DANE_STATE_COUNT
};

/* What MTA-STS (RFC 8461) says about one address; zero: not checked. */
enum mtasts_state {
	MTASTS_NOT_CHECKED,
	MTASTS_NONE,		/* no record, mode none, or no valid policy */
	MTASTS_TESTING,		/* mode testing: failures reported, mail flows */
	MTASTS_ENFORCE,		/* enforce, and this address satisfies it */
	MTASTS_ENFORCE_FAILS,	/* enforce, and this address fails it: defer */
	MTASTS_STATE_COUNT
};

struct auth_facts {
	enum dane_state		 dane;
	enum mtasts_state	 mtasts;
};

/* The authentication level of an address, from its auth_facts. */
enum auth_level {
	AUTH_NOT_ASSESSED,	/* DANE or MTA-STS not checked */
	AUTH_BROKEN,		/* a policy the address fails: senders defer */
	AUTH_OPPORTUNISTIC,	/* no DANE, no MTA-STS */
	AUTH_MTASTS_TESTING,
	AUTH_DANE_NO_USABLE,
	AUTH_MTASTS_ENFORCE,
	AUTH_DANE,
	AUTH_LEVEL_COUNT
};

/* --- the rubric ------------------------------------------------------------ */

struct grade_view;	/* the facts of one address, as the rules see them */

struct grade_rule {
	const char		*id;		/* stable, e.g. "dh-below-2048" */
	int			(*applies)(const struct grade_view *v);
	int			 zero;		/* encryption score 0 (no usable TLS) */
	enum grade_component	 component;	/* with halves != 0: */
	unsigned		 halves;	/* GRADE_HALF_*, 0: no score effect */
	int			 value;		/* the half is at most this */
	enum grade_letter	 cap;		/* letter at most this; NONE: no cap */
	int			 blocks_a_plus;	/* a requirement of A+ is missing */
	enum finding_id		 finding;	/* F_COUNT: none (yet) */
	const char		*reason;	/* one line, for the reports */
};

size_t grade_rule_count(void);
const struct grade_rule *grade_rule_at(size_t i);	/* NULL past the end */
const struct grade_rule *grade_rule_by_id(const char *id);	/* or NULL */

/* --- results ------------------------------------------------------------------ */

/* One rule that applied to an address. */
struct grade_hit {
	unsigned short		 rule;		/* index for grade_rule_at() */
	unsigned short		 lost20;	/* encryption points lost, in
						   twentieths (30 = 1.5 points) */
};

#define GRADE_MAX_HITS 64

struct grade {
	enum grade_letter	 letter;	/* NONE: not graded, see not_graded */
	const char		*not_graded;	/* static text, or NULL */
	enum grade_basis	 basis;
	int			 encryption;	/* 0-100 */
	enum grade_letter	 score_letter;	/* the encryption score's letter,
						   before caps */
	int			 best[GRADE_COMPONENT_COUNT];	/* halves, 0-100 */
	int			 worst[GRADE_COMPONENT_COUNT];
	int			 ssllabs;	/* SSL Labs-style percentage */
	enum auth_level		 auth_level;
	int			 authentication;	/* 0-100, -1: not assessed */
	struct grade_hit	 hits[GRADE_MAX_HITS];	/* in table order */
	size_t			 n_hits;
};

enum grade_confidence {
	GRADE_CONFIDENCE_NONE,		/* nothing graded */
	GRADE_CONFIDENCE_PARTIAL,
	GRADE_CONFIDENCE_COMPLETE,
	GRADE_CONFIDENCE_COUNT
};

struct domain_grade {
	enum grade_letter	 letter;	/* the worst address's; NONE: none */
	const char		*not_graded;	/* static text, or NULL */
	int			 has_worst;
	size_t			 worst_host;	/* indexes into domain_result */
	size_t			 worst_server;
	unsigned		 addresses;	/* of every MX host */
	unsigned		 graded;
	unsigned		 inconclusive;	/* temporary failure, timeout, ... */
	unsigned		 not_tested;
	unsigned		 handshake_only;	/* graded from one handshake */
	unsigned		 incomplete;	/* graded, enumeration incomplete */
	enum grade_confidence	 confidence;
};

struct server_result;
struct domain_result;

/*
 * grade_server - grade one address from its facts and findings and what
 * DANE and MTA-STS say about it for the domain being graded (auth).  out
 * is overwritten.
 */
void grade_server(const struct server_result *s,
    const struct auth_facts *auth, struct grade *out);

/*
 * grade_domain - the domain's grade from its addresses' grades (grade_server
 * must have run on each).  out is overwritten.
 */
void grade_domain(const struct domain_result *d, struct domain_grade *out);

/*
 * grade_derive - grade every address of d into its host's views[] (from
 * views[].auth) and then d itself.  Call after findings_derive(); every
 * host with servers must have its views.
 */
void grade_derive(struct domain_result *d);

/* grade_letter_from_score - the base letter of an encryption score 0-100. */
enum grade_letter grade_letter_from_score(int score);

/*
 * grade_confidence_text - one sentence on how complete d's grade is, e.g.
 * "partial: 1 of 3 addresses inconclusive; ...", into buf (always
 * terminated).
 */
void grade_confidence_text(const struct domain_grade *g, char *buf, size_t len);

/* grade_hit_points - points lost of a hit, as a number (1.5). */
double grade_hit_points(const struct grade_hit *h);

/* grade_component_score - a component's score, (best + worst) / 2 (97.5). */
double grade_component_score(const struct grade *g, enum grade_component c);

/* Names: "A+", "A-", ... (NULL for GRADE_NONE); "protocol", "key_exchange",
 * "cipher"; "enumeration", ...; "complete", ...; "not-checked", ...;
 * "not-assessed", "broken", "opportunistic", ... */
const char *grade_letter_name(enum grade_letter l);
const char *grade_component_name(enum grade_component c);
const char *grade_basis_name(enum grade_basis b);
const char *grade_confidence_name(enum grade_confidence c);
const char *dane_state_name(enum dane_state s);
const char *mtasts_state_name(enum mtasts_state s);
const char *auth_level_name(enum auth_level l);
/* auth_level_text - the level in words, for the text report. */
const char *auth_level_text(enum auth_level l);

#endif
