#!/usr/bin/env bash
# tests/integration/check_cases.sh - `mailtls check` against the real servers
# of the test lab (tests/lab/LAB.md).
#
#   check_cases.sh CASE MAILTLS_BINARY LAB_DIR
#
# Each case checks one lab domain and asserts the facts and findings the
# report must show, on the JSON output (jq) and, where it matters to a
# reader, on the text report.  Every query goes to the lab's own name server
# (--resolver) and every connection to the lab's loopback addresses: the
# domains exist nowhere else.
set -u

case_name=$1
mailtls=$2
lab=$3
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

all_addrs='[.mx[].addresses[]]'

case $case_name in
good)
    run_check good
    expect_rc 0
    jqe '.mx_lookup.outcome == "ok" and .mx_lookup.dnssec == "secure"' "MX must validate secure"
    jqe '[.mx[].host] == ["mx1.mailtls.test", "mx2.mailtls.test"]' "two MX hosts in preference order"
    jqe '[.mx[].preference] == [10, 20]'
    jqe '[.mx[0].addresses[].address] == ["127.0.1.1", "::1"]' "mx1 has IPv4 and IPv6"
    jqe '[.mx[0].addresses[].family] == ["ipv4", "ipv6"]'
    jqe '.mx[0].dns.aaaa.dnssec == "secure"'
    jqe "$all_addrs | length == 3 and all(.smtp.status == \"tls-ok\")" "every address has working STARTTLS"
    jqe "$all_addrs | all(.tls.certificate.verified and .tls.certificate.name_match != null)"
    jqe "$all_addrs | all(.smtp.ehlo.starttls and .smtp.ehlo_after_tls_code == 250)"
    jqe "$all_addrs | all(.tls.version == \"TLSv1.3\" and .tls.forward_secrecy)"
    jqe "$all_addrs | all(.tls.modern_client_refusals == [])"
    jqe "$all_addrs | all(.reserved | startswith(\"loopback\") or startswith(\"unspecified or loopback\"))"
    jqe '.summary.starttls_ok == 3 and .summary.no_starttls == 0'
    has_finding address-reserved
    lacks_finding no-starttls
    lacks_finding cert-untrusted
    ;;
plain)
    run_check plain
    expect_rc 1
    jqe "$all_addrs | .[0].smtp.status == \"no-starttls\" and .[0].smtp.conclusive" "no-starttls"
    jqe "$all_addrs | .[0].smtp.ehlo.starttls == false and .[0].tls == null"
    has_finding no-starttls
    run_text plain
    grep -q "NO STARTTLS" <<<"$text" || fail "text report must say NO STARTTLS"
    ;;
wrongname)
    run_check wrongname
    expect_rc 0
    jqe "$all_addrs | .[0].tls.certificate.name_match == null"
    jqe "$all_addrs | .[0].tls.certificate.chain[0].dns_names == [\"other.example.net\"]"
    has_finding cert-name-mismatch
    lacks_finding cert-untrusted
    ;;
expired)
    run_check expired
    expect_rc 0
    jqe "$all_addrs | .[0].tls.certificate.verified == false"
    jqe "$all_addrs | .[0].tls.certificate.chain[0].days_left < 0"
    has_finding cert-expired
    lacks_finding cert-name-mismatch
    ;;
selfsigned)
    run_check selfsigned
    expect_rc 0
    jqe "$all_addrs | .[0].tls.certificate.chain[0].self_signed"
    jqe "$all_addrs | .[0].tls.certificate.verified == false"
    has_finding cert-self-signed
    lacks_finding cert-name-mismatch
    ;;
broken)
    run_check broken
    expect_rc 1
    jqe "$all_addrs | .[0].smtp.status == \"starttls-refused\" and .[0].smtp.starttls_code == 454"
    has_finding starttls-refused
    lacks_finding no-starttls
    ;;
wild)
    run_check wild
    expect_rc 0
    jqe "$all_addrs | .[0].tls.certificate.name_match == \"*.wild.mailtls.test\""
    lacks_finding cert-name-mismatch
    ;;
weakdh)
    run_check weakdh
    expect_rc 0
    jqe "$all_addrs | .[0].tls.key_exchange.kind == \"DHE\" and .[0].tls.key_exchange.bits == 1024"
    jqe "$all_addrs | .[0].tls.modern_client_refusals | any(startswith(\"dh key too small\"))" \
        "a modern client refuses: dh key too small"
    has_finding dh-group-too-small
    has_finding modern-client-refuses
    ;;
nullmx)
    run_check nullmx
    expect_rc 0
    jqe '.null_mx and (.mx | length == 0)'
    has_finding null-mx
    ;;
implicit)
    run_check implicit
    expect_rc 0
    jqe '.implicit_mx and .mx[0].host == "implicit.mailtls.test" and .mx[0].preference == null'
    jqe "$all_addrs | .[0].smtp.status == \"tls-ok\" and .[0].tls.certificate.name_match == \"implicit.mailtls.test\""
    has_finding implicit-mx
    ;;
cname)
    run_check cname
    jqe '.mx[0].host == "alias.mailtls.test" and .mx[0].dns.a.canonical_name == "mx2.mailtls.test"'
    jqe "$all_addrs | .[0].smtp.status == \"tls-ok\""
    has_finding mx-is-cname
    ;;
nxdomain)
    run_check nxdomain
    expect_rc 2
    jqe '.mx_lookup.outcome == "nxdomain" and .mx_lookup.dnssec == "secure"' "NXDOMAIN, proven by DNSSEC"
    has_finding domain-nxdomain
    ;;
insecure)
    run_check insecure
    jqe '.mx_lookup.outcome == "ok" and .mx_lookup.dnssec == "insecure"'
    has_finding dnssec-unsigned
    ;;
bogus)
    run_check bogus
    expect_rc 2
    jqe '.mx_lookup.dnssec == "bogus" and (.mx_lookup.why_bogus | length > 0)'
    jqe '.mx | length == 0' "no server of a bogus domain is contacted"
    has_finding dnssec-bogus
    ;;
servfail)
    # The lab name server refuses names outside its zones; the resolver
    # turns that into SERVFAIL.  (Still only 127.0.53.1 is asked.)
    mt check --json --resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" \
          --timeout 3 not-served.example
    expect_rc 2
    jqe '.mx_lookup.outcome == "servfail" or .mx_lookup.outcome == "refused"'
    has_finding domain-dns-failure
    ;;
dns-timeout)
    # Nothing listens on 127.0.53.9: no answer, a clear finding, bounded time.
    mt check --json --resolver 127.0.53.9 --trust-anchor "$LAB_TA" \
          --timeout 2 good.mailtls.test
    expect_rc 2
    if echo "$out" | jq -e '.mx_lookup.outcome == "timeout"' >/dev/null; then
        has_finding domain-dns-timeout
    else
        jqe '.mx_lookup.outcome == "servfail"'
        has_finding domain-dns-failure
    fi
    ;;
evil-silent)
    run_check evil-silent --timeout 1
    expect_rc 3
    jqe "$all_addrs | .[0].smtp.status == \"timeout\" and .[0].smtp.stage == \"banner\" and (.[0].smtp.conclusive | not)"
    has_finding inconclusive
    lacks_finding no-starttls
    ;;
evil-hugeline)
    run_check evil-hugeline
    expect_rc 1
    jqe "$all_addrs | .[0].smtp.status == \"protocol-error\" and (.[0].smtp.error | test(\"longer than the limit\"))"
    has_finding smtp-protocol-error
    ;;
evil-endless)
    run_check evil-endless --timeout 2
    jqe "$all_addrs | .[0].smtp.status == \"timeout\" and (.[0].smtp.error | test(\"partial reply\"))"
    lacks_finding no-starttls
    ;;
evil-drip)
    run_check evil-drip --timeout 2
    expect_rc 3
    jqe "$all_addrs | .[0].smtp.status == \"timeout\" and .[0].smtp.stage == \"banner\""
    ;;
evil-inject)
    run_check evil-inject
    expect_rc 1
    jqe "$all_addrs | .[0].smtp.injected_bytes == 14 and .[0].tls == null" \
        "the 14 injected bytes are reported and TLS is not attempted"
    has_finding starttls-injection
    ;;
evil-tempfail)
    run_check evil-tempfail
    expect_rc 3
    jqe "$all_addrs | .[0].smtp.status == \"tempfail\" and .[0].smtp.banner_code == 421"
    has_finding inconclusive
    lacks_finding no-starttls
    ;;
evil-split)
    run_check evil-split
    expect_rc 0
    jqe "$all_addrs | .[0].smtp.banner == [\"evil-split-mx.mailtls.test ESMTP\", \"second line\", \"third line\"]"
    jqe "$all_addrs | .[0].smtp.ehlo.extensions == [\"SIZE 10240000\", \"8BITMIME\", \"STARTTLS\", \"SMTPUTF8\"]"
    jqe "$all_addrs | .[0].smtp.ehlo.size_limit == 10240000"
    jqe "$all_addrs | .[0].smtp.status == \"tls-ok\" and .[0].smtp.ehlo_after_tls_code == 250"
    ;;
evil-noehlo)
    run_check evil-noehlo
    expect_rc 1
    jqe "$all_addrs | .[0].smtp.helo_only and .[0].smtp.ehlo_code == 502 and .[0].smtp.status == \"no-starttls\""
    has_finding helo-only
    has_finding no-starttls
    ;;
evil-reset)
    run_check evil-reset
    expect_rc 3
    jqe "$all_addrs | .[0].smtp.status == \"tempfail\" and .[0].smtp.stage == \"ehlo\""
    lacks_finding no-starttls
    ;;
evil-markup)
    run_check evil-markup
    # Control bytes never survive: the banner reaches JSON as printable ASCII.
    jqe "$all_addrs | .[0].smtp.banner[0] | test(\"^[ -~]*$\")" "banner must be printable ASCII"
    jqe "$all_addrs | .[0].smtp.banner[0] | contains(\"?[31mred?[0m\")" "ESC must become ?"
    jqe "$all_addrs | [.[0].smtp.ehlo.extensions[] | test(\"^[ -~]*$\")] | all"
    run_text evil-markup
    if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' <<<"$text"; then
        fail "text report contains control bytes"
    fi
    ;;
evil-early)
    run_check evil-early
    expect_rc 1
    jqe "$all_addrs | .[0].smtp.banner_code == 220 and (.[0].smtp.banner | length == 2)" \
        "mailtls waits for the whole greeting"
    jqe "$all_addrs | .[0].smtp.status == \"no-starttls\""
    ;;
disagree)
    # split-mx: IPv4 reaches mx2's listener, IPv6 mx1's (other certificate).
    run_check disagree --quick
    jqe '.mx[0].addresses | length == 2 and (map(.family) == ["ipv4", "ipv6"])'
    has_finding addresses-disagree
    jqe '[.mx[0].findings[] | select(.id == "addresses-disagree") | .detail] | any(test("127.0.1.2") and test("::1"))' \
        "the finding must name both addresses"
    run_check good --quick
    lacks_finding addresses-disagree    # mx1's IPv4 and IPv6 agree
    ;;
multi)
    mt check --json --resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" \
          --ca-file "$LAB_CA" --port "$LAB_PORT" good.mailtls.test plain.mailtls.test
    expect_rc 1
    [ "$(echo "$out" | wc -l)" -eq 2 ] || fail "two domains give two JSON lines"
    [ "$(echo "$out" | jq -s -c 'map(.domain)')" = '["good.mailtls.test","plain.mailtls.test"]' ] ||
        fail "domains in argument order"
    ;;
bad-input)
    for arg in 'a..b' "$(printf 'a%.0s' $(seq 300))" '' 'bad-.example' '-x.example' 'exa mple.org' 'mx.例え.jp'; do
        mt check "$arg"; err=$(cat "$errfile")
        expect_rc 2
        [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "one error line for '$arg': $err"
        grep -q '^mailtls: ' <<<"$err" || fail "clear error for '$arg': $err"
    done
    for opts in "--port 0" "--port x" "--timeout -1" "--resolver" "--ca-file /nonexistent" \
                "--trust-anchor /nonexistent" "--bogus-option"; do
        # shellcheck disable=SC2086
        mt check $opts good.mailtls.test; err=$(cat "$errfile")
        expect_rc 2
        [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "one error line for '$opts': $err"
    done
    ;;
*)
    fail "unknown case"
    ;;
esac
echo "ok [$case_name]"
