/*
 * fake_result.h - domain results built by hand, for the store's tests
 * (tests/unit/test_store.c, tests/store/store_fill.c): what `check` would
 * have produced, without a network.
 *
 * Everything is heap-allocated the way check.c does it, so a result is
 * freed with domain_result_free() like a real one.  Two levels:
 *
 *   fake_domain() / fake_host() / fake_server() / fake_tls() / fake_probe()
 *       exact results for unit tests: nothing is added behind your back,
 *       findings only by findings_add();
 *   fake_realistic()
 *       a plausible domain of a large scan: 2 MX hosts, 3 addresses from
 *       a provider's pool (shared with every domain of that provider, the
 *       server facts depending on the address alone; most of them
 *       enumerated), findings_derive(), grade_derive().
 */
#ifndef MAILTLS_FAKE_RESULT_H
#define MAILTLS_FAKE_RESULT_H

#include <stdint.h>

#include "check/result.h"

/* fake_domain - name, port 25, MX lookup done (ok, insecure), no hosts. */
struct domain_result *fake_domain(const char *name, int64_t now);

/* fake_host - add an MX host (preference -1: implicit); its index. */
size_t fake_host(struct domain_result *d, const char *name, int preference);

/* fake_server - add address text to host h, ending in status. */
struct server_result *fake_server(struct domain_result *d, size_t h,
    const char *addr, enum smtp_status status);

/*
 * fake_tls - a completed handshake on s: version ("TLSv1.3"), cipher, kx
 * group and bits (kx_group NULL: RSA key exchange, no forward secrecy),
 * a leaf certificate for host expiring at not_after, verified or not,
 * covering host or not (matched_name NULL).
 */
void fake_tls(struct server_result *s, const char *host, const char *version,
    const char *cipher, const char *kx_group, int kx_bits, int64_t not_after,
    int verified, int name_matches);

/*
 * fake_probe - an enumeration on s: answers holds one letter per version
 * from SSLv2 to TLS 1.3, 'y' (two suites accepted), 'n' or '?' (unknown);
 * dh_bits the smallest DH prime seen (0: none).
 */
void fake_probe(struct server_result *s, const char *answers, int dh_bits);

/*
 * fake_realistic - domain number i of a scan over n_providers providers
 * (provider i % n_providers); see the file comment.  now: checked_at.
 */
struct domain_result *fake_realistic(const char *name, unsigned i,
    unsigned n_providers, int64_t now);

#endif
