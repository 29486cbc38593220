#!/usr/bin/env bash
# tests/integration/probe_cases.sh - protocol and cipher-suite enumeration
# (src/probe) against the lab's Postfix listeners.
#
#   probe_cases.sh CASE MAILTLS_BINARY LAB_DIR
#
# The enumerated suites are compared with what an independent client,
# `openssl s_client -starttls smtp`, gets accepted when it offers each suite
# on its own: against an OpenSSL server the two lists must be equal.  The
# connection count mailtls reports is compared with the connections the
# server itself logged.
set -u

case_name=$1
mailtls=$2
lab=$3
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

# openssl_accepts ADDR VERSION - the OpenSSL names of the suites the server
# at ADDR accepts with VERSION (tls1, tls1_1, tls1_2, tls1_3), one per line,
# sorted: one s_client per suite OpenSSL knows for that version.
openssl_accepts() {
    local addr=$1 ver=$2 suite list got
    if [ "$ver" = tls1_3 ]; then
        list=$(openssl ciphers -s -tls1_3 | tr ':' '\n' | grep '^TLS_')
        list="$list TLS_AES_128_CCM_SHA256 TLS_AES_128_CCM_8_SHA256"
    else
        list=$(openssl ciphers -s -"$ver" 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' \
            | tr ':' '\n' | grep -v '^TLS_')
    fi
    for suite in $list; do
        if [ "$ver" = tls1_3 ]; then
            got=$(openssl s_client -starttls smtp -connect "$addr:$LAB_PORT" \
                -tls1_3 -ciphersuites "$suite" </dev/null 2>/dev/null)
        else
            got=$(openssl s_client -starttls smtp -connect "$addr:$LAB_PORT" \
                -"$ver" -cipher "$suite:@SECLEVEL=0" </dev/null 2>/dev/null)
        fi
        echo "$got" | grep -q "Cipher is $suite\$" && echo "$suite"
    done | sort -u
}

# mailtls_suites ADDRESS_INDEX VERSION - the suites mailtls found, same form.
mailtls_suites() {
    echo "$out" | jq -r --arg v "$2" \
        "$all_addrs[$1].enumeration.suites[] | select(.version == \$v) | .openssl_name" \
        | sort -u
}

# same_suites ADDR ADDRESS_INDEX - every TLS version: mailtls == s_client.
same_suites() {
    local addr=$1 idx=$2 ver name want got
    for ver in tls1 tls1_1 tls1_2 tls1_3; do
        case $ver in
        tls1) name=TLSv1.0 ;; tls1_1) name=TLSv1.1 ;;
        tls1_2) name=TLSv1.2 ;; tls1_3) name=TLSv1.3 ;;
        esac
        want=$(openssl_accepts "$addr" $ver)
        got=$(mailtls_suites "$idx" $name)
        [ "$want" = "$got" ] || fail "$addr $name suites differ from openssl s_client:
$(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | sed 's/^</  only s_client:/; s/^>/  only mailtls:/')"
        if [ -n "$want" ]; then
            jqe "$all_addrs[$idx].enumeration.protocols[\"$name\"] == \"yes\"" "$name must be yes"
        else
            jqe "$all_addrs[$idx].enumeration.protocols[\"$name\"] == \"no\"" "$name must be no"
        fi
    done
}

# same_sigalgs ADDR ADDRESS_INDEX - the TLS 1.2 signature algorithms of an
# RSA server: mailtls's list == those s_client gets signed when it offers
# each alone (mailtls name=OpenSSL -sigalgs name).
same_sigalgs() {
    local addr=$1 idx=$2 pair want got
    want=$(for pair in rsa_pss_rsae_sha256=rsa_pss_rsae_sha256 \
            rsa_pss_rsae_sha384=rsa_pss_rsae_sha384 \
            rsa_pss_rsae_sha512=rsa_pss_rsae_sha512 \
            rsa_pss_pss_sha256=rsa_pss_pss_sha256 rsa_pkcs1_sha256=rsa_pkcs1_sha256 \
            rsa_pkcs1_sha384=rsa_pkcs1_sha384 rsa_pkcs1_sha512=rsa_pkcs1_sha512 \
            rsa_sha224=RSA+SHA224 rsa_pkcs1_sha1=RSA+SHA1; do
        openssl s_client -starttls smtp -connect "$addr:$LAB_PORT" -tls1_2 \
            -sigalgs "${pair#*=}" -cipher 'ECDHE:DHE:!aNULL:@SECLEVEL=0' \
            </dev/null 2>/dev/null | grep -q '^New, TLSv1.2, Cipher is [A-Z]' \
            && echo "${pair%%=*}"
    done | sort)
    got=$(echo "$out" | jq -r "$all_addrs[$idx].enumeration.signature_algorithms[]" | sort)
    [ "$want" = "$got" ] || fail "$addr signature algorithms: s_client [$(echo $want)], mailtls [$(echo $got)]"
}

# postfix_connections NAME - connections the Postfix listener NAME logged.
postfix_connections() {
    grep -c " $1 postfix/smtpd\[[0-9]*\]: connect from" "$lab/log/postfix.log"
}

all_addrs='[.mx[].addresses[]]'

case $case_name in
good)
    # mx1 (IPv4 and IPv6) and mx2: Postfix defaults, TLS 1.2 and 1.3.
    run_check good
    expect_rc 0
    same_suites 127.0.1.1 0
    same_suites 127.0.1.2 2
    same_sigalgs 127.0.1.2 2
    jqe "[$all_addrs[].enumeration.protocols | .SSLv2, .SSLv3] | all(. == \"no\")"
    jqe "$all_addrs | all(.enumeration.suites | map(select(.version == \"TLSv1.3\")) | length == 3)" \
        "TLS 1.3: the three default suites"
    jqe "$all_addrs | all(.enumeration.groups | index(\"x25519\") != null)" "x25519 offered"
    # OpenSSL picks RFC 3526 groups for DHE_RSA with a 2048-bit key.
    jqe "$all_addrs | all(.enumeration.dh.min_bits == 2048 and .enumeration.dh.known_group == \"modp2048\")" \
        "DH facts come from the authenticated DHE suites"
    jqe "$all_addrs | all(.enumeration.secure_renegotiation == \"yes\" and .enumeration.compression == \"no\")"
    has_finding suites-anonymous
    lacks_finding dh-group-too-small
    lacks_finding protocol-tls10-tls11
    lacks_finding no-tls13
    ;;
legacy)
    run_check legacy
    expect_rc 0
    same_suites 127.0.1.10 0
    jqe '.mx[0].addresses[0].enumeration.protocols | .["TLSv1.0"] == "yes" and .["TLSv1.1"] == "yes" and .["TLSv1.3"] == "no"'
    jqe '.mx[0].addresses[0].enumeration.fallback_scsv == "yes"' "a downgraded hello must be refused (RFC 7507)"
    has_finding protocol-tls10-tls11
    has_finding no-tls13
    has_finding suites-without-forward-secrecy
    ;;
weakdh)
    # Also the politeness contract: the connections mailtls reports are
    # exactly those the server saw (one SMTP session + the probe's).
    before=$(postfix_connections weakdh-mx)
    run_check weakdh
    expect_rc 0
    reported=$(echo "$out" | jq '.mx[0].addresses[0].enumeration.connections')
    [ "$reported" -gt 1 ] && [ "$reported" -lt 60 ] \
        || fail "$reported probe connections for 17 suites (expected 18 to 59)"
    # Postfix writes its log asynchronously: wait for it to settle.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        seen=$(( $(postfix_connections weakdh-mx) - before ))
        [ "$seen" -eq $((reported + 1)) ] && break
        sleep 0.3
    done
    [ "$seen" -eq $((reported + 1)) ] \
        || fail "server logged $seen connections, mailtls reported $reported + 1"
    jqe ".summary.connections == $seen" "summary.connections must count every connection"
    same_suites 127.0.1.9 0
    jqe '.mx[0].addresses[0].enumeration.suites | all(.kx == "DHE" and .kx_bits == 1024)' \
        "every suite uses the 1024-bit group"
    jqe '.mx[0].addresses[0].enumeration.dh.min_bits == 1024'
    has_finding dh-group-too-small
    has_finding no-tls13
    ;;
ratelimit)
    # ratelimit-mx is mx2's configuration behind Postfix's connection rate
    # limit: the probe meets 421s, must slow down and retry, and must end
    # with the same answers as against mx2, nothing given up.
    before=$(grep -c 'ratelimit-mx .*Connection rate limit exceeded' "$lab/log/postfix.log")
    run_check ratelimit
    limited=$out
    run_check mx2
    reference=$out
    out=$limited
    seen=$(( $(grep -c 'ratelimit-mx .*Connection rate limit exceeded' "$lab/log/postfix.log") - before ))
    [ "$seen" -gt 0 ] || fail "the rate limit never refused a connection: the case tests nothing"
    jqe '.mx[0].addresses[0].enumeration.temporary_failures > 0' "the 421s must be counted"
    jqe '.mx[0].addresses[0].enumeration.inconclusive_attempts == 0 and .mx[0].addresses[0].enumeration.error == null' \
        "nothing may be given up"
    lacks_finding probe-incomplete
    summary='.mx[0].addresses[0].enumeration | {protocols, suites: [.suites[] | .version + " " + .name] | sort, groups: (.groups | sort), signature_algorithms: (.signature_algorithms | sort), dh, server_order, compression, secure_renegotiation}'
    [ "$(echo "$limited" | jq -S "$summary")" = "$(echo "$reference" | jq -S "$summary")" ] \
        || fail "the rate-limited enumeration differs from mx2's: $(diff <(echo "$limited" | jq -S "$summary") <(echo "$reference" | jq -S "$summary") | head -20)"
    ;;
quick)
    # --quick: the one SMTP session of `check`, no enumeration.
    run_check implicit --quick
    expect_rc 0
    jqe '.mx[0].addresses[0].enumeration == null' "no enumeration with --quick"
    jqe '.mx[0].addresses[0].tls.version == "TLSv1.3"'
    ;;
*)
    fail "unknown case"
    ;;
esac
exit 0
