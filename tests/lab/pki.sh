# shellcheck shell=bash
# tests/lab/pki.sh - the lab's certificates, keys and DH parameters (sourced).
#
# Built with the openssl command only, once per lab folder (DIR/pki is kept
# between runs so that 'start' stays fast).  Everything is generated in
# DIR/pki.new and renamed to DIR/pki when complete, so an interrupted run
# never leaves a half-made PKI behind.  See LAB.md for what each file shows.

LAB_CA_SUBJECT="/O=mailtls test lab/CN=mailtls lab root CA"

# pki_ca PKI: a self-signed RSA 2048 / SHA-256 root CA plus the 'openssl ca'
# database that issues the leaves (PKI/ca/, only used while generating).
pki_ca() {
    local pki=$1
    mkdir -p "$pki/ca/issued"
    : > "$pki/ca/index.txt"
    echo 1000 > "$pki/ca/serial"
    render "$LAB_HOME/templates/ca.cnf" "$pki/ca/ca.cnf" PKI="$pki"
    openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 \
        -keyout "$pki/ca.key" -out "$pki/ca.pem" -subj "$LAB_CA_SUBJECT" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash" 2>/dev/null
}

# pki_leaf PKI NAME VALIDITY DNSNAME...: key NAME.key and certificate NAME.pem
# issued by the lab CA for the given DNS names (the first is the CN).
# VALIDITY is "-days N" or "-startdate X -enddate Y" (openssl ca syntax).
# The key is RSA of LAB_KEY_BITS bits (default 2048).
pki_leaf() {
    local pki=$1 name=$2 validity=$3 cn=$4 san="" d
    shift 3
    for d in "$@"; do san+="${san:+,}DNS:$d"; done
    cat > "$pki/ca/$name.ext" <<EXT
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $san
EXT
    openssl req -new -newkey "rsa:${LAB_KEY_BITS:-2048}" -nodes -keyout "$pki/$name.key" \
        -out "$pki/ca/$name.csr" -subj "/CN=$cn" 2>/dev/null
    # shellcheck disable=SC2086  # VALIDITY is deliberately split into words
    openssl ca -batch -notext -config "$pki/ca/ca.cnf" $validity \
        -extfile "$pki/ca/$name.ext" -in "$pki/ca/$name.csr" \
        -out "$pki/$name.pem" 2>/dev/null
}

# pki_selfsigned PKI NAME DNSNAME: a self-signed leaf (not issued by the CA).
pki_selfsigned() {
    local pki=$1 name=$2 dns=$3
    openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 1825 \
        -keyout "$pki/$name.key" -out "$pki/$name.pem" -subj "/CN=$dns" \
        -addext "basicConstraints=critical,CA:FALSE" \
        -addext "extendedKeyUsage=serverAuth" \
        -addext "subjectAltName=DNS:$dns" 2>/dev/null
}

# Leaves issued after the PKI itself: "NAME HOST [BITS]" (HOST.mailtls.test,
# RSA BITS, default 2048), each
# issued by the lab CA into a complete DIR/pki whenever NAME.pem is missing,
# so that a lab folder made by an older lab.sh keeps its CA and gains them.
LAB_LATE_LEAVES=(
  "strong   strong-mx"
  "gnutls   gnutls-mx"
  # MTA-STS policy hosts served by nginx (nginx.sh)
  "mta-sts-enforce     mta-sts.sts-enforce"
  "mta-sts-testing     mta-sts.sts-testing"
  "mta-sts-bad-policy  mta-sts.sts-bad-policy"
  "mta-sts-redirect    mta-sts.sts-redirect"
  "mta-sts-wrong-type  mta-sts.sts-wrong-type"
  "mta-sts-huge        mta-sts.sts-huge"
  "mta-sts-notlisted   mta-sts.sts-notlisted"
  "mta-sts-strong      mta-sts.sts-strong"
  # DANE-TA: sent with the CA (postfix.sh profile "chain")
  "dane-ta  dane-ta-mx"
  # a 1024-bit RSA key: OpenSSL 3 senders refuse it ("ee key too small")
  "weakkey  weakkey-mx  1024"
)

# pki_late_leaves PKI: issue the missing LAB_LATE_LEAVES (each made under a
# temporary name and renamed, so an interrupted run leaves none half-made).
pki_late_leaves() {
    local pki=$1 row name host bits
    for row in "${LAB_LATE_LEAVES[@]}"; do
        read -r name host bits <<<"$row"
        [ -s "$pki/$name.pem" ] && continue
        render "$LAB_HOME/templates/ca.cnf" "$pki/ca/ca.cnf" PKI="$pki"
        LAB_KEY_BITS=${bits:-2048} pki_leaf "$pki" "$name.new" "-days 1825" "$host.mailtls.test"
        chmod 600 "$pki/$name.new.key"
        mv "$pki/$name.new.key" "$pki/$name.key"
        mv "$pki/$name.new.pem" "$pki/$name.pem"
    done
}

# pki_generate DIR: build DIR/pki unless it is already complete.
pki_generate() {
    local final=$1/pki pki=$1/pki.new z=mailtls.test
    local valid="-days 1825"
    local expired="-startdate 20200101000000Z -enddate 20210101000000Z"
    [ -s "$final/.complete" ] && { pki_late_leaves "$final"; return 0; }
    log "generating PKI in $final (once per lab folder)"
    rm -rf "$pki" "$final"
    mkdir -p "$pki"
    chmod 755 "$pki"
    pki_ca "$pki"
    pki_leaf "$pki" mx1        "$valid" "mx1.$z"
    pki_leaf "$pki" mx2        "$valid" "mx2.$z" "implicit.$z"
    pki_leaf "$pki" wrongname  "$valid" other.example.net
    pki_leaf "$pki" expired    "$expired" "expired-mx.$z"
    pki_selfsigned "$pki" selfsigned "selfsigned-mx.$z"
    pki_leaf "$pki" broken     "$valid" "broken-mx.$z"
    # broken-mx: replace the key by one that does not match the certificate.
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
        -out "$pki/broken.key" 2>/dev/null
    pki_leaf "$pki" wild       "$valid" "*.wild.$z"
    pki_leaf "$pki" weakdh     "$valid" "weakdh-mx.$z"
    pki_leaf "$pki" legacy     "$valid" "legacy-mx.$z"
    pki_leaf "$pki" evil-split "$valid" "evil-split-mx.$z"
    openssl dhparam -out "$pki/dh1024.pem" 1024 2>/dev/null
    chmod 600 "$pki"/*.key
    date -u +%FT%TZ > "$pki/.complete"
    mv "$pki" "$final"
    pki_late_leaves "$final"
}
