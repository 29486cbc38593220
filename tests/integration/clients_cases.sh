#!/usr/bin/env bash
# tests/integration/clients_cases.sh - "who can still deliver to you": the
# simulated senders (src/grade/clients.c, docs/clients.md) against the real
# client libraries on this machine, on the lab's servers.
#
#   clients_cases.sh CASE MAILTLS_BINARY LAB_DIR
#
# CASE is a lab domain.  For three profiles, mailtls's simulation (from its
# enumeration) must agree with a real handshake of the library the profile
# describes, with the same settings:
#   postfix-openssl3-debian12  openssl s_client, Postfix's "medium" cipher
#                              list, Postfix's groups, Debian's level 2:
#                              outcome, protocol and cipher suite
#   postfix-openssl111         the same at @SECLEVEL=1: outcome and protocol
#   exim-gnutls-debian12       gnutls-cli --priority NORMAL: outcome,
#                              protocol and group
# Like opportunistic senders, neither client verifies the certificate.
set -u

case_name=$1
mailtls=$2
lab=$3
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

postfix_ciphers='aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH'
postfix_groups='x25519:x448:P-256:P-521:P-384'

# sim ID FIELD - the simulation's FIELD for profile ID (first address).
sim() {
    echo "$out" | jq -r --arg id "$1" \
        ".mx[0].addresses[0].clients[] | select(.id == \$id) | .$2 // \"\""
}

# suite_code NAME - the IANA code of an OpenSSL cipher name, "0xc030".
suite_code() {
    openssl ciphers -V 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' 2>/dev/null \
        | awk -v n="$1" '$3 == n { split($1, b, ","); print tolower(b[1] substr(b[2], 3)); exit }'
}

# openssl_real EXTRA_CIPHER - "connects VERSION NAME" or "fails".
openssl_real() {
    local res ver suite
    res=$(echo QUIT | timeout 15 openssl s_client -starttls smtp \
        -connect "$addr:$LAB_PORT" -cipher "$postfix_ciphers$1" \
        -groups "$postfix_groups" -brief 2>&1)
    ver=$(echo "$res" | sed -n 's/^Protocol version: //p')
    suite=$(echo "$res" | sed -n 's/^Ciphersuite: //p')
    if [ -n "$ver" ]; then echo "connects $ver $suite"; else echo fails; fi
}

# gnutls_real - "connects VERSION GROUP" or "fails".
gnutls_real() {
    local desc ver group
    desc=$(echo QUIT | timeout 15 gnutls-cli --insecure --starttls-proto smtp \
        --priority NORMAL -p "$LAB_PORT" "$addr" 2>&1 | sed -n 's/^- Description: //p')
    [ -n "$desc" ] || { echo fails; return; }
    # (TLS1.3-X.509)-(ECDHE-SECP256R1)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)
    ver=$(echo "$desc" | sed -n 's/^(TLS1\.\([0-9]\).*/TLSv1.\1/p')
    group=$(echo "$desc" | sed -nE 's/^\([^)]*\)-\((EC)?DHE-([A-Z0-9]+)\).*/\2/p' | tr 'A-Z' 'a-z')
    echo "connects $ver $group"
}

run_check "$case_name"
[ "$rc" -le 1 ] || fail "check failed (rc=$rc)"
addr=$(echo "$out" | jq -r '.mx[0].addresses[0].address')
jqe '.mx[0].addresses[0].clients | length > 0' "no simulated senders"

# 1. Postfix / OpenSSL 3 at Debian's level 2.
real=$(openssl_real "")
read -r r_outcome r_ver r_suite <<<"$real"
s_outcome=$(sim postfix-openssl3-debian12 outcome)
[ "$s_outcome" = "$r_outcome" ] || fail "postfix-openssl3: simulated $s_outcome ($(sim postfix-openssl3-debian12 reason)), openssl s_client: $real"
if [ "$r_outcome" = connects ]; then
    [ "$(sim postfix-openssl3-debian12 version)" = "$r_ver" ] \
        || fail "postfix-openssl3: simulated $(sim postfix-openssl3-debian12 version), real $r_ver"
    [ "$(sim postfix-openssl3-debian12 code)" = "$(suite_code "$r_suite")" ] \
        || fail "postfix-openssl3: simulated $(sim postfix-openssl3-debian12 suite), real $r_suite"
fi

# 2. The same list at security level 1 (OpenSSL 1.1.1's default).
real=$(openssl_real ":@SECLEVEL=1")
read -r r_outcome r_ver _ <<<"$real"
[ "$(sim postfix-openssl111 outcome)" = "$r_outcome" ] \
    || fail "postfix-openssl111: simulated $(sim postfix-openssl111 outcome), openssl s_client @SECLEVEL=1: $real"
if [ "$r_outcome" = connects ]; then
    [ "$(sim postfix-openssl111 version)" = "$r_ver" ] \
        || fail "postfix-openssl111: simulated $(sim postfix-openssl111 version), real $r_ver"
fi

# 3. Exim / GnuTLS NORMAL.
real=$(gnutls_real)
read -r r_outcome r_ver r_group <<<"$real"
[ "$(sim exim-gnutls-debian12 outcome)" = "$r_outcome" ] \
    || fail "exim-gnutls: simulated $(sim exim-gnutls-debian12 outcome), gnutls-cli: $real"
if [ "$r_outcome" = connects ]; then
    [ "$(sim exim-gnutls-debian12 version)" = "$r_ver" ] \
        || fail "exim-gnutls: simulated $(sim exim-gnutls-debian12 version), real $r_ver"
    if [ -n "$r_group" ]; then
        sg=$(sim exim-gnutls-debian12 group)
        # GnuTLS names a custom DH prime CUSTOM1024; mailtls says "DH".
        case $r_group in custom*) r_group=DH ;; esac
        [ "$sg" = "$r_group" ] || fail "exim-gnutls: simulated group $sg, real $r_group"
    fi
fi
exit 0
