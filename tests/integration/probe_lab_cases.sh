#!/usr/bin/env bash
# tests/integration/probe_lab_cases.sh - protocol, cipher-suite and group
# enumeration (src/probe) against the two lab servers built for it:
#
#   strong  strong-mx, Postfix/OpenSSL: TLS 1.2 and 1.3, ECDHE with AES-GCM or
#           ChaCha20 only, the server's cipher order
#   gnutls  gnutls-mx, Exim/GnuTLS: TLS 1.0 to 1.3, GnuTLS's NORMAL suites plus
#           RC4 and 3DES, the client's cipher order
#
#   probe_lab_cases.sh CASE MAILTLS_BINARY LAB_DIR
#
# The expected suites are not written down here: they are measured against
# the running server by a client built on the server's own TLS library, which
# offers one suite at a time, every suite that library implements, for each
# TLS version (openssl s_client for strong-mx, gnutls-cli for gnutls-mx).  A
# server cannot accept a suite its library does not implement, so the measured
# set is exactly what the server accepts, and mailtls's enumeration must equal
# it.  Groups, the cipher order, the DH group and TLS_FALLBACK_SCSV are
# measured the same way.  Only loopback addresses of the lab are contacted.
set -u

case_name=$1
mailtls=$2
lab=$3
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

addr0='.mx[0].addresses[0]'
enum="$addr0.enumeration"
versions="TLSv1.0 TLSv1.1 TLSv1.2 TLSv1.3"

# mailtls_suites VERSION - "CODE NAME" of the suites mailtls enumerated for
# VERSION, sorted by code.
mailtls_suites() {
    echo "$out" | jq -r --arg v "$1" \
        "$enum.suites[] | select(.version == \$v) | \"\\(.code) \\(.name)\"" | sort
}

# mailtls_order VERSION - the OpenSSL names in mailtls's order for VERSION.
mailtls_order() {
    echo "$out" | jq -r --arg v "$1" "$enum.suites[] | select(.version == \$v) | .openssl_name"
}

# same_set WHAT WANT GOT - fail with a readable diff unless the two sorted
# lists are equal.  WANT is the independent measurement.
same_set() {
    [ "$2" = "$3" ] || fail "$1 differ from the server's (measured):
$(diff <(echo "$2") <(echo "$3") | grep '^[<>]' | sed 's/^</  only measured:/; s/^>/  only mailtls: /')"
}

# check_suites MEASURE_FN ADDR - for each TLS version: mailtls's suites equal
# the measured ones, and the version is "yes" exactly when some suite is.
# Leaves the measured lists in measured[VERSION].
declare -A measured
check_suites() {
    local fn=$1 addr=$2 v
    for v in $versions; do
        measured[$v]=$("$fn" "$addr" "$v")
        same_set "$v suites" "${measured[$v]}" "$(mailtls_suites "$v")"
        if [ -n "${measured[$v]}" ]; then
            jqe "$enum.protocols[\"$v\"] == \"yes\"" "$v: the server accepts it, mailtls must say yes"
        else
            jqe "$enum.protocols[\"$v\"] == \"no\"" "$v: the server refuses it, mailtls must say no"
        fi
    done
}

# measure ADDR VERSION CANDIDATES_FN GROUP_FN TRY_FN - "CODE NAME" (the
# name as mailtls prints it) of each suite the server accepts on its own.
# CANDIDATES_FN VERSION lists "CODE NAME GROUP" for every suite the client
# library implements, grouped by key exchange and authentication.  Every
# suite is first offered at once, then each group whole (GROUP_FN ADDR
# VERSION NAME...): a server picks from what it is offered, so when it
# refuses a set it refuses each of its suites alone, and a refused version or
# group costs one connection instead of one per suite.  The suites of an
# accepted group are then offered one at a time (TRY_FN ADDR VERSION CODE
# NAME prints "CODE NAME" on success).
measure() {
    local addr=$1 v=$2 cand=$3 group_fn=$4 try=$5 list g
    list=$("$cand" "$v")
    # shellcheck disable=SC2046  # one argument per suite name
    "$group_fn" "$addr" "$v" $(awk '{print $2}' <<<"$list") || return 0
    # shellcheck disable=SC2013  # group keys are single words
    for g in $(awk '{print $3}' <<<"$list" | sort -u); do
        # shellcheck disable=SC2046  # one argument per suite name
        "$group_fn" "$addr" "$v" $(awk -v g="$g" '$3 == g {print $2}' <<<"$list") || continue
        awk -v g="$g" '$3 == g' <<<"$list" | each_parallel "$try" "$addr" "$v"
    done | iana_names
}

# each_parallel FN ARG... - "FN ARG... CODE NAME" for each "CODE NAME ..."
# line on stdin, four at a time (each is one short-lived client process and
# one server connection); their output in any order.
each_parallel() {
    local code name
    while read -r code name _; do
        "$@" "$code" "$name" &
        while [ "$(jobs -rp | wc -l)" -ge 4 ]; do wait -n; done
    done
    wait
}

# --- openssl s_client: measures the OpenSSL server strong-mx ---------------

ossl_opt() {   # VERSION -> s_client's option
    case $1 in TLSv1.0) echo -tls1 ;; TLSv1.1) echo -tls1_1 ;;
               TLSv1.2) echo -tls1_2 ;; TLSv1.3) echo -tls1_3 ;; esac
}
ossl_tls13_all=TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256

# ossl_candidates VERSION - "CODE NAME Kx=..,Au=.." of every suite this
# OpenSSL can offer with VERSION (at security level 0, NULL ciphers included).
ossl_candidates() {
    if [ "$1" = TLSv1.3 ]; then
        openssl ciphers -V -s -tls1_3 -ciphersuites "$ossl_tls13_all"
    else
        openssl ciphers -V -s "$(ossl_opt "$1")" 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'
    fi | awk '{ split($1, b, ","); printf "0x%s%s %s %s,%s\n", tolower(substr(b[1], 3)), tolower(substr(b[2], 3)), $3, $5, $6 }'
}

# ossl_pick ADDR VERSION LIST [S_CLIENT_OPTION...] - the suite the server
# picks when offered the colon-separated LIST with VERSION only; empty if
# the handshake fails.
ossl_pick() {
    local addr=$1 v=$2 list=$3 opt
    shift 3
    if [ "$v" = TLSv1.3 ]; then opt=(-ciphersuites "$list"); else opt=(-cipher "$list:@SECLEVEL=0"); fi
    timeout 10 openssl s_client -starttls smtp -connect "$addr:$LAB_PORT" -servername "$host" \
        "$(ossl_opt "$v")" "${opt[@]}" "$@" </dev/null 2>/dev/null \
        | sed -n 's/^New, [^,]*, Cipher is \([^ ]*\)$/\1/p' | grep -v '^(NONE)$'
}

ossl_accepts() { measure "$1" "$2" ossl_candidates ossl_group ossl_try; }

# ossl_group ADDR VERSION NAME... - true if the server accepts one of NAMEs.
ossl_group() {
    local addr=$1 v=$2
    shift 2
    [ -n "$(ossl_pick "$addr" "$v" "$(IFS=:; echo "$*")")" ]
}

# ossl_try ADDR VERSION CODE NAME - "CODE NAME" if the server accepts NAME alone.
ossl_try() {
    [ "$(ossl_pick "$1" "$2" "$4")" = "$4" ] && echo "$3 $4"
}

# iana_names - for each "CODE TOOL_NAME" on stdin, "CODE NAME" with the
# name from mailtls's report where it has the code (so that the lists
# compare and diffs read well), else the tool's own name; sorted.
iana_names() {
    awk 'FILENAME == ARGV[1] { name[$1] = $2; next }
         { print $1, ($1 in name) ? name[$1] : $2 " (not in mailtls'"'"'s report)" }' \
        <(echo "$out" | jq -r "$enum.suites[] | \"\\(.code) \\(.name)\"") - | sort
}

# ossl_server_order ADDR VERSION NAMES... - the server's preference among
# NAMES: offer them all (in the given order), record the pick, drop it, repeat.
ossl_server_order() {
    local addr=$1 v=$2 pick
    shift 2
    local left=("$@")
    while [ ${#left[@]} -gt 0 ]; do
        pick=$(ossl_pick "$addr" "$v" "$(IFS=:; echo "${left[*]}")")
        [ -n "$pick" ] || fail "$v: the server refused suites it accepted one by one: ${left[*]}"
        echo "$pick"
        mapfile -t left < <(printf '%s\n' "${left[@]}" | grep -vxF "$pick")
    done
}

# --- gnutls-cli: measures the GnuTLS server gnutls-mx ----------------------

# gnutls_candidates VERSION - "CODE NAME KX" (GnuTLS names) of every suite
# GnuTLS implements for VERSION, except PSK and SRP suites (they need a
# shared secret no lab server has) and GOST ones (no GOST certificate).
gnutls_candidates() {
    gnutls-cli --list | awk -v v="$1" '
        /^TLS_/ && $1 !~ /PSK|SRP|GOST/ {
            code = tolower(sprintf("0x%s%s", substr($2, 3, 2), substr($3, 3, 2)))
            if (!(v == "TLSv1.3" ? $4 == "TLS1.3" : ($4 == "TLS1.0" || ($4 == "TLS1.2" && v == "TLSv1.2"))))
                next
            kx = "any"
            if (v != "TLSv1.3") {
                kx = "?"
                n = split("ECDHE_ECDSA ECDHE_RSA DHE_RSA DHE_DSS DH_ANON ECDH_ANON RSA", ks, " ")
                for (i = 1; i <= n; i++)
                    if (index($1, "TLS_" ks[i] "_") == 1) { kx = ks[i]; break }
            }
            print code, $1, kx
        }'
}

# gnutls_priority NAME VERSION - a priority string that offers the GnuTLS
# suite NAME and nothing else with VERSION (TLS1.0 .. TLS1.3).
gnutls_priority() {
    local rest=${1#TLS_} ver=$2 kx="" k cipher mac
    if [ "$ver" != TLS1.3 ]; then
        for k in ECDHE_ECDSA ECDHE_RSA DHE_RSA DHE_DSS DH_ANON ECDH_ANON RSA; do
            if [[ $rest == "${k}_"* ]]; then kx=$k; rest=${rest#"${k}_"}; break; fi
        done
        [ -n "$kx" ] || return 1
        case $kx in DH_ANON) kx=ANON-DH ;; ECDH_ANON) kx=ANON-ECDH ;; *) kx=${kx//_/-} ;; esac
    fi
    case $rest in
        *GCM*|*CCM*|*POLY1305*) mac=AEAD; rest=${rest%_SHA256}; rest=${rest%_SHA384} ;;
        *_SHA1) mac=SHA1; rest=${rest%_SHA1} ;;
        *_SHA256) mac=SHA256; rest=${rest%_SHA256} ;;
        *_SHA384) mac=SHA384; rest=${rest%_SHA384} ;;
        *_MD5) mac=MD5; rest=${rest%_MD5} ;;
        *) return 1 ;;
    esac
    case $rest in 3DES_EDE_CBC) cipher=3DES-CBC ;; *) cipher=${rest//_/-} ;; esac
    echo "NONE:+VERS-$ver:+$cipher:${kx:++$kx:}+$mac:+SIGN-ALL:+GROUP-ALL:+COMP-NULL"
}

# gnutls_hs ADDR PRIORITY - gnutls-cli's report of a STARTTLS handshake with
# PRIORITY; fails if the handshake does not complete.  (--insecure: the suites
# are measured here, the certificate is checked by the assertions on mailtls.
# QUIT inside TLS ends the session at once; at a bare EOF gnutls-cli lingers
# for about two seconds.)
gnutls_hs() {
    local o
    o=$(printf 'QUIT\r\n' | timeout 10 gnutls-cli --insecure --starttls-proto smtp \
        -p "$LAB_PORT" --sni-hostname "$host" --priority "$2" "$1" 2>&1) || return 1
    grep -q '^- Description: ' <<<"$o" || return 1
    echo "$o"
}

gnutls_ver() { echo "${1/v/}"; }   # TLSv1.2 -> TLS1.2

gnutls_accepts() { measure "$1" "$2" gnutls_candidates gnutls_group gnutls_try; }

# gnutls_group ADDR VERSION NAME... - true if the server accepts one of
# NAMEs, offered together (the union of their single-suite priorities).
# Also true if some NAME has no priority string: gnutls_try reports it.
gnutls_group() {
    local addr=$1 gv n prio=""
    gv=$(gnutls_ver "$2")
    shift 2
    for n in "$@"; do
        gnutls_priority "$n" "$gv" >/dev/null || return 0
        prio+="${prio:+:}$(gnutls_priority "$n" "$gv")"
    done
    gnutls_hs "$addr" "$(tr : '\n' <<<"$prio" | awk '!seen[$0]++' | paste -sd:)" >/dev/null
}

# gnutls_try ADDR VERSION CODE NAME - "CODE NAME" if the server accepts
# NAME alone.  A suite no priority string can single out is listed as
# unmeasurable, which makes the comparison fail visibly.
gnutls_try() {
    local prio
    prio=$(gnutls_priority "$4" "$(gnutls_ver "$2")") \
        || { echo "no single-suite priority for $4" >&2; echo "$3 cannot-measure-$4"; return; }
    # The priority must select exactly this suite (checked once per suite:
    # the TLS 1.2 pass covers every suite of TLS 1.0 and 1.1 as well).
    if [ "$2" = TLSv1.2 ] || [ "$2" = TLSv1.3 ]; then
        [ "$(gnutls-cli --list --priority "$prio" | awk '/^TLS_/ {print $1}')" = "$4" ] \
            || { echo "priority $prio does not select $4 alone" >&2; echo "$3 cannot-measure-$4"; return; }
    fi
    gnutls_hs "$1" "$prio" >/dev/null && echo "$3 $4"
}

# --- cases -------------------------------------------------------------------

case $case_name in
strong)
    addr=127.0.1.11 host=strong-mx.mailtls.test
    run_check strong
    expect_rc 0
    jqe "$addr0.address == \"$addr\" and $addr0.smtp.status == \"tls-ok\""
    jqe "$addr0.tls.certificate.verified and $addr0.tls.certificate.name_match == \"$host\"" \
        "certificate from the lab CA for $host"

    check_suites ossl_accepts "$addr"
    # The configuration (postfix.sh, profile "strong") allows exactly these;
    # the measurement above must agree, or the lab itself is wrong.
    [ -z "${measured[TLSv1.0]}${measured[TLSv1.1]}" ] || fail "lab: strong-mx accepts TLS < 1.2"
    [ "$(echo "${measured[TLSv1.2]}" | awk '{print $1}' | paste -sd' ')" = "0xc02f 0xc030 0xcca8" ] \
        || fail "lab: strong-mx TLS 1.2 suites are not ECDHE-RSA AES-GCM/ChaCha20: ${measured[TLSv1.2]}"
    # OpenSSL 3 has no SSL 2 or SSL 3 code at all: the server cannot speak them.
    jqe "$enum.protocols | .SSLv2 == \"no\" and .SSLv3 == \"no\""

    # Server order: mailtls lists each version's suites in the server's
    # order; measured by offering them in reverse and taking picks one by one.
    jqe "$enum.server_order == \"yes\"" "tls_preempt_cipherlist = yes: the server's order"
    for v in TLSv1.2 TLSv1.3; do
        mapfile -t names < <(mailtls_order "$v" | tac)
        want=$(ossl_server_order "$addr" "$v" "${names[@]}")
        [ "$want" = "$(mailtls_order "$v")" ] || fail "$v order: server $(paste -sd' ' <<<"$want"), mailtls $(mailtls_order "$v" | paste -sd' ')"
    done
    lacks_finding client-cipher-order

    jqe "$enum.suites | length > 0 and all(.forward_secrecy and .aead and (.anonymous | not) and (.rc4 | not) and (.sweet32 | not) and (.export | not) and (.null_cipher | not))" \
        "every suite: forward secrecy, AEAD, nothing weak"
    jqe "$enum.suites | map(select(.version == \"TLSv1.2\")) | all(.kx == \"ECDHE\" and .auth == \"RSA\")"
    jqe "$enum.dh.min_bits == 0" "no DHE suite, no DH group"

    # Groups (mailtls measures them with TLS 1.3): one s_client per group.
    want=$(for g in x25519 x448 P-256 P-384 P-521 ffdhe2048 ffdhe3072 ffdhe4096 ffdhe6144 ffdhe8192; do
        [ -n "$(ossl_pick "$addr" TLSv1.3 "$ossl_tls13_all" -groups "$g")" ] || continue
        case $g in P-256) echo secp256r1 ;; P-384) echo secp384r1 ;; P-521) echo secp521r1 ;; *) echo "$g" ;; esac
    done | sort)
    same_set "groups" "$want" "$(echo "$out" | jq -r "$enum.groups[]" | sort)"

    # TLS_FALLBACK_SCSV: mailtls tests it only with a version below the
    # highest TLS <= 1.2 it found, and strong-mx has none (1.2 and 1.3 only),
    # so "unknown" ("not tried") is right; it must never claim "no".  (OpenSSL
    # does refuse a TLS 1.2 hello with the SCSV here: measured below.)
    if ossl_pick "$addr" TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 -fallback_scsv >/dev/null; then
        fail "lab: strong-mx accepts a TLS 1.2 hello with TLS_FALLBACK_SCSV"
    fi
    jqe "$enum.fallback_scsv != \"no\"" "the server refuses a downgraded hello with the SCSV"

    for f in protocol-tls10-tls11 no-tls13 suites-anonymous suites-rc4 suites-3des \
             suites-without-forward-secrecy dh-group-too-small; do
        lacks_finding "$f"
    done
    ;;
gnutls)
    addr=127.0.1.12 host=gnutls-mx.mailtls.test
    run_check gnutls
    expect_rc 0
    jqe "$addr0.address == \"$addr\" and $addr0.smtp.status == \"tls-ok\""
    jqe "$addr0.smtp.banner[0] | startswith(\"$host ESMTP\")" "Exim's banner names gnutls-mx"
    jqe "$addr0.tls.certificate.verified and $addr0.tls.certificate.name_match == \"$host\"" \
        "certificate from the lab CA for $host"

    check_suites gnutls_accepts "$addr"
    # The configuration (exim.sh, LAB_EXIM_PRIORITY) enables TLS 1.0-1.3 with
    # RC4 and 3DES; the measurement must show them, or the lab itself is wrong.
    for v in $versions; do
        [ -n "${measured[$v]}" ] || fail "lab: gnutls-mx refuses $v"
    done
    for v in TLSv1.0 TLSv1.1 TLSv1.2; do
        grep -q '_RC4_' <<<"${measured[$v]}" || fail "lab: gnutls-mx offers no RC4 suite with $v"
        grep -q '_3DES_' <<<"${measured[$v]}" || fail "lab: gnutls-mx offers no 3DES suite with $v"
    done
    # GnuTLS 3.7 has no SSL 3 (gnutls-cli --list: no VERS-SSL3.0) and no SSL 2.
    jqe "$enum.protocols | .SSLv2 == \"no\" and .SSLv3 == \"no\""

    # Each RC4 / 3DES suite is flagged as such, and only those.
    jqe "$enum.suites | all(.rc4 == (.name | test(\"_RC4_\")))" "rc4 flag exactly on RC4 suites"
    jqe "$enum.suites | all(.sweet32 == (.name | test(\"_3DES_\")))" "sweet32 flag exactly on 3DES suites"
    jqe "$enum.suites | any(.anonymous) | not"

    # Client order: two suites the server accepts, offered in both orders.
    p1="NONE:+VERS-TLS1.2:+ECDHE-RSA:+AEAD:+SIGN-ALL:+GROUP-ALL:+COMP-NULL"
    a=$(gnutls_hs "$addr" "${p1/+AEAD/+AES-128-GCM:+AES-256-GCM:+AEAD}" | grep '^- Description:') || fail "lab: handshake failed"
    b=$(gnutls_hs "$addr" "${p1/+AEAD/+AES-256-GCM:+AES-128-GCM:+AEAD}" | grep '^- Description:') || fail "lab: handshake failed"
    [[ $a == *AES-128-GCM* && $b == *AES-256-GCM* ]] || fail "lab: gnutls-mx does not follow the client's order ($a / $b)"
    jqe "$enum.server_order == \"no\"" "GnuTLS without %SERVER_PRECEDENCE follows the client's order"
    has_finding client-cipher-order

    # Groups (mailtls measures them with TLS 1.3): one gnutls-cli per group.
    want=$(gnutls-cli --list | sed -n 's/^Groups: //p' | tr -d ' ' | tr , '\n' | grep -v -e GC -e '^$' |
        while read -r g; do
            gnutls_hs "$addr" "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+$g" >/dev/null || continue
            g=${g#GROUP-}; echo "${g,,}"
        done | sort)
    same_set "groups" "$want" "$(echo "$out" | jq -r "$enum.groups[]" | sort)"

    # DHE: the group GnuTLS uses for DHE_RSA at TLS 1.2 (Exim's default).
    d=$(gnutls_hs "$addr" "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+DHE-RSA" | sed -n 's/^- Description: .*(DHE-\([A-Z0-9]*\)).*/\1/p')
    [ -n "$d" ] || fail "lab: no DHE_RSA handshake with gnutls-mx"
    d=${d,,}
    jqe "$enum.dh.known_group == \"$d\" and $enum.dh.min_bits == ${d#ffdhe}" "DHE group $d"
    jqe "$enum.suites | map(select(.kx == \"DHE\")) | length > 0 and all(.kx_group == \"$d\")"

    # TLS_FALLBACK_SCSV (RFC 7507): a TLS 1.1 hello with the SCSV is refused.
    if gnutls_hs "$addr" "NORMAL:-VERS-ALL:+VERS-TLS1.1:%FALLBACK_SCSV" >/dev/null; then
        fail "lab: gnutls-mx accepts a downgraded hello with TLS_FALLBACK_SCSV"
    fi
    jqe "$enum.fallback_scsv == \"yes\""

    has_finding protocol-tls10-tls11
    has_finding suites-rc4
    has_finding suites-3des
    has_finding suites-without-forward-secrecy
    lacks_finding suites-anonymous
    lacks_finding no-tls13
    lacks_finding dh-group-too-small
    ;;
*)
    fail "unknown case"
    ;;
esac
echo "ok [$case_name]"
