#!/usr/bin/env bash
# tests/integration/probe_oldtls_cases.sh - protocol and cipher-suite
# enumeration (src/probe) against the lab's legacy-TLS servers, oldtls_smtpd
# (tests/tools/oldtls_smtpd.c, tests/lab/LAB.md "Legacy TLS").
#
#   probe_oldtls_cases.sh CASE MAILTLS_BINARY LAB_DIR
#
# No TLS library on the machine speaks SSLv2, SSLv3, EXPORT or 512-bit DH,
# so nothing can cross-check these servers at run time: each case compares
# what mailtls enumerates with what the server's profile accepts, written
# down here from oldtls_smtpd.c's profiles[] table (one entry per case).
# OpenSSL's own handshake, mailtls's first step, fails against all four; the
# enumeration must still run and tell why.  The connections mailtls reports
# are compared with the ones the server logged.
set -u

case_name=$1
mailtls=$2
lab=$3
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

[ "${LAB_OLDTLS:-0}" = 1 ] || fail "the lab runs without oldtls_smtpd (lab.sh start ... --oldtls PATH)"

addr='.mx[0].addresses[0]'
enum="$addr.enumeration"

# oldtls_connections NAME - connections oldtls_smtpd logged for profile NAME.
oldtls_connections() {
    grep -c "^oldtls_smtpd: #[0-9]* $1 [0-9.:]*: connected\$" "$lab/log/oldtls.log"
}

# check_oldtls NAME - `mailtls check` of NAME.mailtls.test, with the facts
# every case shares: one MX, one address, OpenSSL's handshake failed, the
# enumeration ran to the end, and it made exactly the connections the
# server saw (besides check's own session).
check_oldtls() {
    local name=$1 before seen reported
    before=$(oldtls_connections "$name")
    run_check "$name"
    expect_rc 1
    jqe "[.mx[].addresses[]] | length == 1" "one address"
    jqe "$addr.smtp.status == \"tls-failed\" and $addr.smtp.stage == \"tls-handshake\"" \
        "OpenSSL cannot complete a handshake with $name-mx"
    jqe "$addr.tls.handshake == false"
    has_finding tls-handshake-failed
    jqe "$enum != null" \
        "no enumeration: mailtls must probe a server whose OpenSSL handshake failed (src/check/check.c)"
    jqe "$enum.error == null and $enum.inconclusive_attempts == 0" \
        "the enumeration must finish without giving up on any step"
    lacks_finding probe-incomplete
    reported=$(echo "$out" | jq "$enum.connections")
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        seen=$(( $(oldtls_connections "$name") - before ))
        [ "$seen" -eq $((reported + 1)) ] && break
        sleep 0.2
    done
    [ "$seen" -eq $((reported + 1)) ] \
        || fail "oldtls_smtpd logged $seen connections to $name-mx, mailtls reported $reported + 1"
}

# protocols SSLv2 SSLv3 TLSv1.0 TLSv1.1 TLSv1.2 TLSv1.3 - each yes or no.
protocols() {
    jqe "$enum.protocols == {\"SSLv2\": \"$1\", \"SSLv3\": \"$2\", \"TLSv1.0\": \"$3\", \"TLSv1.1\": \"$4\", \"TLSv1.2\": \"$5\", \"TLSv1.3\": \"$6\"}" \
        "protocols must be SSLv2=$1 SSLv3=$2 TLSv1.0=$3 TLSv1.1=$4 TLSv1.2=$5 TLSv1.3=$6"
}

# suites VERSION CODE... - the suites enumerated at VERSION, in that order
# (the server's own order), and nothing else.
suites() {
    local v=$1 want
    shift
    want=$(printf '"%s",' "$@")
    jqe "[$enum.suites[] | select(.version == \"$v\") | .code] == [${want%,}]" \
        "$v suites must be exactly: $*"
}

# only_versions VERSION... - no suite was enumerated at another version.
only_versions() {
    local want
    want=$(printf '"%s",' "$@")
    jqe "[$enum.suites[].version] | unique == ([${want%,}] | sort)" \
        "suites only at: $*"
}

# tls_error_has TEXT - OpenSSL's reason for the failed handshake is reported.
tls_error_has() {
    jqe "$addr.tls.error | test(\"$1\")" \
        "tls.error must give OpenSSL's reason ($1), not a placeholder"
}

case $case_name in
ssl2)
    # SSL 2.0 only: a TLS record gets the connection closed; an SSLv2
    # CLIENT-HELLO a SERVER-HELLO listing six cipher kinds.
    check_oldtls ssl2
    protocols yes no no no no no
    only_versions SSLv2
    suites SSLv2 0x0700c0 0x030080 0x010080 0x060040 0x040080 0x020080
    jqe "[$enum.suites[] | .openssl_name] == [\"DES-CBC3-MD5\", \"RC2-CBC-MD5\", \"RC4-MD5\", \"DES-CBC-MD5\", \"EXP-RC2-CBC-MD5\", \"EXP-RC4-MD5\"]"
    jqe "[$enum.suites[] | select(.export) | .code] == [\"0x040080\", \"0x020080\"]" \
        "the two EXPORT40 kinds are export"
    jqe "[$enum.suites[] | select(.rc4) | .code] == [\"0x010080\", \"0x020080\"]"
    jqe "$enum.dh.min_bits == 0 and $enum.groups == [] and $enum.signature_algorithms == []"
    has_finding protocol-sslv2
    has_finding suites-export
    has_finding suites-rc4
    has_finding suites-des
    has_finding suites-3des
    has_finding no-tls12
    lacks_finding protocol-sslv3
    lacks_finding dh-group-too-small
    # Last: a wrong reason must not hide the enumeration checks above.
    tls_error_has "closed the connection"
    ;;
ssl3)
    # SSL 3.0 only; a TLS hello is answered with version 3.0 (RFC 6101 E.1),
    # which is "no" for the TLS version offered.  The client's order rules.
    check_oldtls ssl3
    protocols no yes no no no no
    only_versions SSLv3
    jqe "[$enum.suites[] | .code] | sort == [\"0x0004\", \"0x0005\", \"0x000a\", \"0x0016\"]" \
        "SSLv3 suites must be RC4-MD5, RC4-SHA, DES-CBC3-SHA, EDH-RSA-DES-CBC3-SHA"
    jqe "$enum.server_order == \"no\"" "ssl3-mx follows the client's order"
    jqe "[$enum.suites[] | select(.kx == \"DHE\") | [.code, .kx_group, .kx_bits]] == [[\"0x0016\", \"oakley-group2-1024\", 1024]]" \
        "EDH-RSA-DES-CBC3-SHA with RFC 2409 group 2"
    jqe "$enum.dh == {\"min_bits\": 1024, \"known_group\": \"oakley-group2-1024\"}"
    jqe "$enum.secure_renegotiation == \"no\" and $enum.compression == \"no\" and $enum.extended_master_secret == \"no\""
    has_finding protocol-sslv3
    has_finding suites-rc4
    has_finding suites-3des
    has_finding dh-group-too-small
    has_finding dh-common-prime
    has_finding client-cipher-order
    has_finding no-secure-renegotiation
    has_finding no-tls12
    lacks_finding protocol-sslv2
    lacks_finding suites-export
    lacks_finding suites-des
    # Last: a wrong reason must not hide the enumeration checks above.
    tls_error_has "handshake failure"
    ;;
export)
    # TLS 1.0 only, server order: AES128-SHA, then three EXPORT suites
    # (a 512-bit temporary RSA key; Apache 2.0's 512-bit DH prime).
    check_oldtls export
    protocols no no yes no no no
    only_versions TLSv1.0
    suites TLSv1.0 0x002f 0x0014 0x0008 0x0003
    jqe "$enum.server_order == \"yes\""
    jqe "[$enum.suites[] | select(.export) | .code] == [\"0x0014\", \"0x0008\", \"0x0003\"]"
    jqe "[$enum.suites[] | .kx] == [\"RSA\", \"DHE\", \"RSA_EXPORT\", \"RSA_EXPORT\"]"
    jqe "[$enum.suites[] | select(.kx == \"DHE\") | [.kx_group, .kx_bits]] == [[\"apache-2.0-512\", 512]]"
    jqe "$enum.dh == {\"min_bits\": 512, \"known_group\": \"apache-2.0-512\"}"
    jqe "$enum.secure_renegotiation == \"no\" and $enum.compression == \"no\""
    has_finding suites-export
    has_finding suites-rc4
    has_finding dh-group-too-small
    has_finding dh-common-prime
    has_finding protocol-tls10-tls11
    has_finding no-tls12
    has_finding suites-without-forward-secrecy
    lacks_finding protocol-sslv3
    lacks_finding protocol-sslv2
    lacks_finding suites-3des
    lacks_finding client-cipher-order
    # Last: a wrong reason must not hide the enumeration checks above.
    tls_error_has "closed the connection"
    ;;
dh512)
    # TLS 1.0-1.2, DHE-RSA only, server order, the 512-bit prime of
    # OpenSSL's s_server (also sendmail's); RFC 5746 and RFC 7507 supported.
    check_oldtls dh512
    protocols no no yes yes yes no
    only_versions TLSv1.0 TLSv1.1 TLSv1.2
    suites TLSv1.2 0x009f 0x009e 0x006b 0x0067 0x0039 0x0033
    suites TLSv1.1 0x0039 0x0033
    suites TLSv1.0 0x0039 0x0033
    jqe "$enum.server_order == \"yes\""
    jqe "$enum.suites | all(.kx == \"DHE\" and .auth == \"RSA\" and .kx_group == \"openssl-512\" and .kx_bits == 512)" \
        "every suite is DHE-RSA with the 512-bit group"
    jqe "$enum.dh == {\"min_bits\": 512, \"known_group\": \"openssl-512\"}"
    jqe "$enum.signature_algorithms | sort == [\"rsa_pkcs1_sha1\", \"rsa_pkcs1_sha256\", \"rsa_pkcs1_sha384\", \"rsa_pkcs1_sha512\"]" \
        "TLS 1.2 ServerKeyExchange signed with RSA PKCS#1 v1.5 only"
    jqe "$enum.secure_renegotiation == \"yes\" and $enum.fallback_scsv == \"yes\" and $enum.compression == \"no\""
    has_finding dh-group-too-small
    has_finding dh-common-prime
    has_finding protocol-tls10-tls11
    has_finding no-tls13
    lacks_finding no-tls12
    lacks_finding suites-export
    lacks_finding suites-rc4
    lacks_finding suites-3des
    lacks_finding suites-without-forward-secrecy
    lacks_finding no-secure-renegotiation
    lacks_finding no-fallback-scsv
    # Last: a wrong reason must not hide the enumeration checks above.
    tls_error_has "dh key too small"
    ;;
*)
    fail "unknown case"
    ;;
esac
exit 0
