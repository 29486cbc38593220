#!/usr/bin/env bash
# tests/integration/auth_cases.sh - DANE (RFC 7672), MTA-STS (RFC 8461) and
# TLS-RPT (RFC 8460) against the lab (tests/lab/LAB.md, "DANE" and
# "MTA-STS"): NSD serving signed TLSA and TXT records, Postfix listeners
# whose certificates match or miss them, nginx serving policies over HTTPS.
#
#   auth_cases.sh CASE MAILTLS_BINARY LAB_DIR
#
# DANE verdicts are cross-checked with OpenSSL's own DANE verifier
# (openssl s_client -dane_tlsa_rrdata) against the same server.
set -u

case_name=$1
mailtls=$2
lab=$3
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

host0='.mx[0].dane'
addr0='.mx[0].addresses[0]'

# openssl_dane ADDR TLSA_NAME RRDATA... - "ok" or "fail": does OpenSSL's
# DANE verifier accept the server at ADDR for TLSA base TLSA_NAME?
openssl_dane() {
    local addr=$1 name=$2 args=() r
    shift 2
    for r in "$@"; do args+=(-dane_tlsa_rrdata "$r"); done
    if echo QUIT | timeout 10 openssl s_client -starttls smtp -connect "$addr:$LAB_PORT" \
        -dane_tlsa_domain "$name" "${args[@]}" -verify_return_error -brief \
        >/dev/null 2>&1; then echo ok; else echo fail; fi
}

# tlsa_rrdata - the records of the first MX host, as "U S M HEX" lines.
tlsa_rrdata() {
    echo "$out" | jq -r "$host0.records[] | \"\(.usage) \(.selector) \(.matching_type) \(.data)\""
}

dane_agrees_with_openssl() {
    local addr=$1 want=$2 name rr=()
    name=$(echo "$out" | jq -r "$host0.tlsa_base")
    mapfile -t rr < <(tlsa_rrdata)
    [ ${#rr[@]} -gt 0 ] || fail "no TLSA records in the report"
    [ "$(openssl_dane "$addr" "$name" "${rr[@]}")" = "$want" ] \
        || fail "openssl s_client's DANE verification of $addr is not '$want'"
}

case $case_name in
dane-ee)
    # mx1: TLSA 3 1 1 of its key; both addresses (IPv4 and IPv6) match.
    run_check dane-good --quick
    expect_rc 0
    jqe "$host0.state == \"tlsa\" and ($host0.queries | all(.dnssec == \"secure\"))"
    jqe "$host0.records | length == 1 and .[0].usage == 3 and .[0].usable"
    jqe "[.mx[0].addresses[].authentication.dane] | length == 2 and all(.state == \"valid\" and .match_depth == 0 and .records == [\"match\"])"
    jqe '.authentication.dane.delivery == "authenticated"'
    jqe "$addr0.grade.authentication.level == \"dane\""
    has_finding dane-rollover-risk      # one record, no "next" key
    has_finding tls-rpt-missing
    lacks_finding no-authenticated-tls
    dane_agrees_with_openssl 127.0.1.1 ok
    ;;
dane-ta)
    # TLSA 2 1 1 of the lab CA; the server sends leaf + CA.
    run_check dane-ta --quick
    expect_rc 0
    jqe "$addr0.authentication.dane.state == \"valid\" and $addr0.authentication.dane.match_depth == 1"
    jqe '.authentication.dane.delivery == "authenticated"'
    dane_agrees_with_openssl 127.0.1.14 ok
    ;;
dane-ta-wrongname)
    # The same server under a name its certificate lacks: DANE-TA checks
    # names (RFC 7672 3.2.2), so DANE senders defer.
    run_check dane-ta-wrongname --quick
    jqe "$addr0.authentication.dane.state == \"no-match\" and $addr0.authentication.dane.records == [\"name-mismatch\"]"
    jqe "$addr0.authentication.dane.verify_error | test(\"hostname mismatch\")"
    jqe '.authentication.dane.delivery == "deferred"'
    jqe '.authentication.dane.text | test("will NOT deliver")'
    jqe '.grade.letter == "F"' "a DANE failure caps the grade at F"
    has_finding dane-tlsa-mismatch
    dane_agrees_with_openssl 127.0.1.14 fail
    ;;
dane-mismatch)
    run_check dane-bad --quick
    jqe "$addr0.authentication.dane.state == \"no-match\" and $addr0.authentication.dane_state == \"fails\""
    jqe '.authentication.dane.delivery == "deferred" and .grade.letter == "F"'
    jqe "$addr0.grade.caps | any(.rule == \"dane-fails\")"
    has_finding dane-tlsa-mismatch
    dane_agrees_with_openssl 127.0.1.2 fail
    ;;
dane-unusable)
    # Only PKIX-EE(1) records: unusable for SMTP, TLS still mandatory.
    run_check dane-unusable --quick
    jqe "$host0.records | length == 2 and all(.status == \"pkix-unusable\" and (.usable | not))"
    jqe "$addr0.authentication.dane_state == \"no-usable-tlsa\" and $addr0.grade.authentication.level == \"dane-no-usable-tlsa\""
    jqe '.authentication.dane.delivery == "unauthenticated"'
    jqe '.grade.letter != "F"' "unusable records do not make senders defer"
    has_finding dane-no-usable-tlsa
    has_finding dane-tlsa-unusable-record
    ;;
dane-no-starttls)
    # TLSA records on a host without STARTTLS: DANE senders defer, and the
    # report says STARTTLS may be stripped on the path.
    run_check dane-plain --quick
    expect_rc 1
    jqe "$addr0.authentication.dane.state == \"no-tls\""
    jqe '.authentication.dane.delivery == "deferred"'
    has_finding dane-starttls-missing
    has_finding starttls-required-but-missing
    jqe '[.mx[0].findings[] | select(.id == "starttls-required-but-missing") | .detail] | any(test("required by DANE"))'
    run_text dane-plain --quick
    echo "$text" | grep -q 'possible STARTTLS stripping on the path' \
        || fail "text report lacks the stripping verdict"
    ;;
dane-bogus)
    # The TLSA name is an alias into the bogus zone: a hard failure.
    run_check dane-bogus --quick
    jqe "$host0.state == \"lookup-failed\" and ($host0.queries | any(.dnssec == \"bogus\"))"
    jqe "$addr0.authentication.dane_state == \"lookup-failed\""
    jqe '.authentication.dane.delivery == "deferred" and .grade.letter == "F"'
    has_finding dane-tlsa-lookup-failed
    lacks_finding no-authenticated-tls
    ;;
dane-insecure)
    # An unsigned zone: no TLSA lookup at all (RFC 7672 2.2.1).
    run_check insecure --quick
    jqe "$host0.state == \"not-applicable\" and ($host0.queries | length == 0)"
    jqe '.authentication.dane.delivery == "not-applicable"'
    has_finding no-authenticated-tls
    ;;
sts-enforce)
    run_check sts-enforce --quick
    jqe '.authentication.mta_sts.state == "policy" and .authentication.mta_sts.record.id == "20260101T000000"'
    jqe '.authentication.mta_sts.fetch.result == "ok" and .authentication.mta_sts.fetch.http_status == 200'
    jqe '.authentication.mta_sts.policy | .valid and .mode == "enforce" and .max_age == 86400 and .mx == ["mx1.mailtls.test"] and .crlf'
    jqe "[.mx[0].addresses[].authentication] | all(.mta_sts == \"ok\" and .mta_sts_state == \"enforce\")"
    jqe '.authentication.mta_sts_verdict.delivery == "authenticated"'
    jqe '.authentication.tls_rpt | .error == "ok" and (.rua | map(.scheme) == ["mailto", "https"])'
    lacks_finding tls-rpt-missing
    ;;
sts-only)
    # strong-mx has no TLSA: MTA-STS enforce alone, with a full enumeration,
    # earns A+ (docs/grading.md).
    run_check sts-strong
    expect_rc 0
    jqe "$addr0.grade.authentication.level == \"mta-sts-enforce\" and $addr0.grade.authentication.dane == \"none\""
    jqe '.grade.letter == "A+"' "TLS 1.3, forward secrecy only and MTA-STS enforce must give A+"
    lacks_finding no-authenticated-tls
    ;;
sts-testing)
    run_check sts-testing --quick
    jqe '.authentication.mta_sts.policy.mode == "testing" and .authentication.mta_sts_verdict.delivery == "unauthenticated"'
    has_finding mta-sts-testing
    has_finding tls-rpt-invalid          # rua=http: is no TLS-RPT scheme
    ;;
sts-not-listed)
    # The policy lists mx1; the domain's MX is mx2: enforce senders defer.
    run_check sts-notlisted --quick
    jqe "$addr0.authentication.mta_sts == \"not-listed\" and $addr0.authentication.mta_sts_state == \"enforce-fails\""
    jqe '.authentication.mta_sts_verdict.delivery == "deferred" and .grade.letter == "F"'
    has_finding mta-sts-mx-not-listed
    has_finding mta-sts-blocks-mail
    ;;
sts-bad-policy)
    run_check sts-bad-policy --quick
    jqe '.authentication.mta_sts.state == "invalid-policy"'
    jqe '.authentication.mta_sts.policy | (.valid | not) and .errors == ["bad-line", "bad-mode", "bad-max-age"] and .first_error_line == 2'
    jqe '[.findings[] | select(.id == "mta-sts-policy-invalid")] | length == 3' \
        "each policy error must be its own finding"
    jqe "$addr0.authentication.mta_sts_state == \"none\""
    ;;
sts-fetch)
    # Redirect, wrong media type, oversize body, certificate for another
    # name: each a fetch failure a sender would have.
    for d in "sts-redirect redirect" "sts-wrong-type content-type" \
             "sts-huge too-large" "sts-wrongcert cert-name"; do
        read -r domain want <<<"$d"
        run_check "$domain" --quick
        jqe ".authentication.mta_sts.state == \"fetch-failed\" and .authentication.mta_sts.fetch.result == \"$want\"" \
            "$domain: fetch result must be $want"
        has_finding mta-sts-policy-unavailable
    done
    run_check sts-redirect --quick
    jqe '.authentication.mta_sts.fetch.location | test("^https://mta-sts.sts-enforce")'
    ;;
policy-list)
    # --policy-file (STARTTLS Everywhere format) lists plain.mailtls.test in
    # mode enforce: missing STARTTLS there is possible stripping.
    list=$(mktemp)
    printf '{"version": "0.1", "policies": {"plain.%s": {"mode": "enforce", "mxs": [".%s"]}, "good.%s": {"policy-alias": "lab"}, "strong.%s": {"mode": "enforce", "mxs": ["mx1.%s"]}}, "policy-aliases": {"lab": {"mode": "testing"}}}' \
        "$LAB_ZONE" "$LAB_ZONE" "$LAB_ZONE" "$LAB_ZONE" "$LAB_ZONE" > "$list"
    run_check plain --quick --policy-file "$list"
    expect_rc 1
    jqe '.authentication.policy_list == "enforce"'
    has_finding starttls-required-but-missing
    jqe '[.mx[0].findings[] | select(.id == "starttls-required-but-missing") | .detail] | any(test("policy-file"))'
    lacks_finding policy-list-mx-unlisted       # plain-mx is under .mailtls.test
    run_check good --quick --policy-file "$list"
    jqe '.authentication.policy_list == "testing"'
    lacks_finding starttls-required-but-missing
    lacks_finding policy-list-mx-unlisted       # the alias names no mxs
    # strong's entry names mx1 only: its MX strong-mx is not on the list.
    run_check strong --quick --policy-file "$list"
    has_finding policy-list-mx-unlisted
    jqe '[.mx[0].findings[] | select(.id == "policy-list-mx-unlisted") | .detail] == ["strong-mx.mailtls.test, mode enforce"]'
    run_check plain --quick
    jqe '.authentication.policy_list == null'
    lacks_finding starttls-required-but-missing
    # A broken list: one error line, exit 2, no check made.
    echo '{"policies": {"plain.mailtls.test": {"mode": "strict"}}}' > "$list"
    mt check --policy-file "$list" plain.mailtls.test
    rm -f "$list"
    expect_rc 2
    [ -z "$out" ] || fail "output despite a broken --policy-file"
    [ "$(wc -l < "$errfile")" -eq 1 ] && grep -q '^mailtls: --policy-file .*: policies.plain.mailtls.test.mode: not enforce or testing$' "$errfile" \
        || fail "expected one clear error line, got: $(cat "$errfile")"
    ;;
no-sts)
    run_check good --quick
    jqe '.authentication.mta_sts.state == "no-record" and .authentication.mta_sts_verdict.delivery == "not-applicable"'
    jqe '.authentication.tls_rpt.error == "no-record"'
    run_text good --quick
    for section in DNSSEC 'DANE (RFC 7672)' 'MTA-STS (RFC 8461)' 'TLS-RPT (RFC 8460)'; do
        echo "$text" | grep -qxF "$section" || fail "text report lacks the section '$section'"
    done
    ;;
*)
    fail "unknown case"
    ;;
esac
exit 0
