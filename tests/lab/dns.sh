# shellcheck shell=bash
# tests/lab/dns.sh - the lab's DNS: signed zones and NSD on 127.0.53.1:53 (sourced).
#
# Zone keys (ECDSAP256SHA256, one KSK + one ZSK per signed zone) are made once
# per lab folder so that the trust anchor DIR/dns/mailtls.test.ds stays the
# same across restarts; the zones are re-signed at every start so that the
# good signatures are always fresh (valid from 1 day ago to +1 year) and the
# bogus child's are always expired (valid from -60 to -30 days: well past any
# validator's clock-skew allowance).  NSD runs as the invoking user and keeps
# every file (pid, xfrd state, zone list, log) under the lab folder.
# shellcheck disable=SC2153  # LAB_HOME is set by lab.sh

LAB_ZONE=mailtls.test
LAB_NS_ADDR=127.0.53.1
LAB_NS_PORT=53

# ldns_date OFFSET: a date for ldns-signzone, e.g. ldns_date '-1 day'.
ldns_date() { date -u -d "$1" +%Y%m%d%H%M%S; }

# dns_keys DNS ZONE: make ZONE's KSK and ZSK unless present; the files
# DNS/keys/ZONE.ksk and .zsk hold the key base names.
dns_keys() {
    local dns=$1 zone=$2 kind flag
    mkdir -p "$dns/keys"
    for kind in ksk zsk; do
        [ -s "$dns/keys/$zone.$kind" ] && continue
        flag=; [ $kind = ksk ] && flag=-k
        (cd "$dns/keys" && ldns-keygen -a ECDSAP256SHA256 $flag "$zone") \
            > "$dns/keys/$zone.$kind.new"
        mv "$dns/keys/$zone.$kind.new" "$dns/keys/$zone.$kind"
    done
}

# dns_key_base DNS ZONE KIND: path of ZONE's key KIND (ksk|zsk), no suffix.
dns_key_base() { echo "$1/keys/$(cat "$1/keys/$2.$3")"; }

# dns_ds DNS ZONE: the SHA-256 DS record of ZONE's KSK, in zone-file format.
dns_ds() { ldns-key2ds -n -2 "$(dns_key_base "$1" "$2" ksk).key"; }

# dns_sign DNS ZONE INCEPTION EXPIRATION: sign DNS/ZONE.zone into .zone.signed.
dns_sign() {
    local dns=$1 zone=$2
    ldns-signzone -i "$3" -e "$4" -o "$zone." \
        -f "$dns/$zone.zone.signed" "$dns/$zone.zone" \
        "$(dns_key_base "$dns" "$zone" ksk)" "$(dns_key_base "$dns" "$zone" zsk)"
}

# spki_sha256 PEM / cert_sha256 PEM: hex SHA-256 of the certificate's
# SubjectPublicKeyInfo (TLSA selector 1) or of the whole certificate (0).
spki_sha256() {
    openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER \
        | sha256sum | cut -d' ' -f1
}
cert_sha256() { openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1; }

# dns_tlsa PKI: the TLSA records that depend on this lab's keys (LAB.md,
# "DANE"), in zone-file format, for the parent zone.
dns_tlsa() {
    local pki=$1 mx1 mx2 ca
    mx1=$(spki_sha256 "$pki/mx1.pem") && mx2=$(spki_sha256 "$pki/mx2.pem") \
        && [ ${#mx1} = 64 ] && [ ${#mx2} = 64 ] || die "cannot hash $pki/mx1.pem, mx2.pem"
    echo "_25._tcp.mx1.$LAB_ZONE. TLSA 3 1 1 $mx1"
    echo "_25._tcp.dane-unusable-mx.$LAB_ZONE. TLSA 1 1 1 $mx2"
    echo "_25._tcp.dane-unusable-mx.$LAB_ZONE. TLSA 1 0 1 $(cert_sha256 "$pki/mx2.pem")"
    # DANE-TA(2) of the lab CA: valid for dane-ta-mx (its certificate
    # names it), a name mismatch for dane-ta-wrongname-mx (same server).
    ca=$(spki_sha256 "$pki/ca.pem") && [ ${#ca} = 64 ] || die "cannot hash $pki/ca.pem"
    echo "_25._tcp.dane-ta-mx.$LAB_ZONE. TLSA 2 1 1 $ca"
    echo "_25._tcp.dane-ta-wrongname-mx.$LAB_ZONE. TLSA 2 1 1 $ca"
    # TLSA for a host without STARTTLS (plain-mx's listener).
    echo "_25._tcp.dane-plain-mx.$LAB_ZONE. TLSA 3 1 1 $mx2"
}

# dns_build DIR: zone files, signatures, trust anchor and nsd.conf.
dns_build() {
    local dir=$1 dns=$1/dns serial child
    serial=$(date +%s)
    mkdir -p "$dns"
    dns_keys "$dns" "$LAB_ZONE"
    dns_keys "$dns" "bogus.$LAB_ZONE"

    for child in insecure bogus; do
        render "$LAB_HOME/templates/child.zone" "$dns/$child.$LAB_ZONE.zone" \
            ZONE="$child.$LAB_ZONE." SERIAL="$serial"
    done
    dns_sign "$dns" "bogus.$LAB_ZONE" "$(ldns_date '-60 days')" "$(ldns_date '-30 days')"

    render "$LAB_HOME/templates/$LAB_ZONE.zone" "$dns/$LAB_ZONE.zone" SERIAL="$serial"
    dns_ds "$dns" "bogus.$LAB_ZONE" >> "$dns/$LAB_ZONE.zone"
    dns_tlsa "$dir/pki" >> "$dns/$LAB_ZONE.zone"
    dns_sign "$dns" "$LAB_ZONE" "$(ldns_date '-1 day')" "$(ldns_date '+1 year')"

    # Readers may have the trust anchor open: replace it atomically.
    dns_ds "$dns" "$LAB_ZONE" > "$dns/$LAB_ZONE.ds.new"
    mv "$dns/$LAB_ZONE.ds.new" "$dns/$LAB_ZONE.ds"

    render "$LAB_HOME/templates/nsd.conf" "$dns/nsd.conf" \
        DNS="$dns" RUN="$dir/run" LOG="$dir/log"
    nsd-checkconf "$dns/nsd.conf" || die "nsd-checkconf rejected $dns/nsd.conf"
}

# dns_answers: true once NSD answers authoritatively for the lab zone.
dns_answers() {
    drill -Q @"$LAB_NS_ADDR" -p "$LAB_NS_PORT" "$LAB_ZONE" SOA 2>/dev/null \
        | grep -q hostmaster
}

nsd_start() {
    local dir=$1
    nsd -c "$dir/dns/nsd.conf" >>"$dir/log/nsd.log" 2>&1 || die "nsd did not start (see $dir/log/nsd.log)"
    wait_until 10 "NSD on $LAB_NS_ADDR:$LAB_NS_PORT" dns_answers \
        || die "NSD does not answer (see $dir/log/nsd.log)"
}

# NSD keeps its command line, which names DIR's nsd.conf.
nsd_mark() { echo "nsd -c $1/dns/nsd.conf"; }

nsd_stop() { kill_pidfile "$1/run/nsd.pid" "$(nsd_mark "$1")" nsd; }

nsd_status() { pid_alive "$1/run/nsd.pid" "$(nsd_mark "$1")" && dns_answers; }
