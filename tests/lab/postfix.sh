# shellcheck shell=bash
# tests/lab/postfix.sh - the lab's Postfix instance (sourced).
#
# One Postfix instance ('postfix -c DIR/postfix'), one smtpd listener per lab
# address on port 2525, each with its own -o overrides (host name, TLS
# certificate, protocols, ciphers, DH group).  The table below is the single
# source of truth for the listeners; LAB.md describes what each one shows.

LAB_PORT=2525

# address        host (.mailtls.test)  cert (DIR/pki/NAME.pem/.key)  profile
LAB_LISTENERS=(
  "127.0.1.1     mx1            mx1          modern"
  "[::1]         mx1            mx1          modern"
  "127.0.1.2     mx2            mx2          modern"
  "127.0.1.3     plain-mx       -            none"
  "127.0.1.4     wrongname-mx   wrongname    modern"
  "127.0.1.5     expired-mx     expired      modern"
  "127.0.1.6     selfsigned-mx  selfsigned   modern"
  "127.0.1.7     broken-mx      broken       modern"
  "127.0.1.8     mx.wild        wild         modern"
  "127.0.1.9     weakdh-mx      weakdh       weakdh"
  "127.0.1.10    legacy-mx      legacy       legacy"
  "127.0.1.11    strong-mx      strong       strong"
  "127.0.1.13    ratelimit-mx   mx2          ratelimit"
  "127.0.1.14    dane-ta-mx     dane-ta      chain"
  "127.0.1.15    weakkey-mx     weakkey      weakkey"
)

pf_conf()  { echo "$1/postfix"; }
pf_spool() { echo "$1/spool/postfix"; }

# pf_profile_opts DIR CERT PROFILE: the TLS -o settings of one listener.
#   none    no STARTTLS
#   modern  TLS 1.2+ with Postfix's default ciphers
#   weakdh  TLS 1.2 only, DHE-RSA suites only, 1024-bit DH group
#   legacy  TLS 1.0-1.2, Postfix's "medium" ciphers (CBC suites, static RSA)
#   strong  TLS 1.2+, ECDHE with AES-GCM or ChaCha20 only, server's order
#   weakkey modern with a 1024-bit RSA certificate, at security level 0
#           (Debian's level 2 would refuse to load the key)
#   chain   modern, and the lab CA sent after the leaf (DANE-TA(2) needs
#           the trust anchor in the chain: RFC 7672 3.2.1)
#   ratelimit  modern, but at most 20 connections per client and
#           anvil_rate_time_unit (main.cf: 3s); then "421 Error: too many
#           connections" (127.0.0.1 is not exempt here, unlike $mynetworks'
#           default exemption)
# The two weak ones run OpenSSL at security level 0 (tls_config_file).
pf_profile_opts() {
    local dir=$1 cert=$2 profile=$3
    local weak="tls_config_file=$dir/postfix/openssl-seclevel0.cnf"
    if [ "$profile" = none ]; then
        echo "smtpd_tls_security_level=none"
        return
    fi
    echo "smtpd_tls_security_level=may"
    if [ "$profile" = chain ]; then
        echo "smtpd_tls_cert_file=$dir/pki/$cert.chain.pem"
    else
        echo "smtpd_tls_cert_file=$dir/pki/$cert.pem"
    fi
    echo "smtpd_tls_key_file=$dir/pki/$cert.key"
    case $profile in
        modern|chain) echo "smtpd_tls_protocols=>=TLSv1.2" ;;
        weakkey) echo "$weak"
                echo "smtpd_tls_protocols=>=TLSv1.2" ;;
        ratelimit) echo "smtpd_tls_protocols=>=TLSv1.2"
                echo "smtpd_client_connection_rate_limit=20"
                echo "smtpd_client_event_limit_exceptions=" ;;
        weakdh) echo "$weak"
                echo "smtpd_tls_protocols=>=TLSv1.2,<=TLSv1.2"
                echo "smtpd_tls_ciphers=high"
                echo "tls_high_cipherlist=kDHE+aRSA"
                echo "smtpd_tls_dh1024_param_file=$dir/pki/dh1024.pem" ;;
        legacy) echo "$weak"
                echo "smtpd_tls_protocols=>=TLSv1,<=TLSv1.2"
                echo "smtpd_tls_ciphers=medium" ;;
        strong) echo "smtpd_tls_protocols=>=TLSv1.2"
                echo "smtpd_tls_ciphers=high"
                echo "tls_high_cipherlist=ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL"
                echo "tls_preempt_cipherlist=yes" ;;
        *) die "unknown listener profile '$profile'" ;;
    esac
}

# pf_listener DIR ADDR HOST CERT PROFILE: one master.cf smtpd entry.
pf_listener() {
    local dir=$1 addr=$2 host=$3 cert=$4 profile=$5 opt
    printf '%s:%s inet n - n - - smtpd\n' "$addr" "$LAB_PORT"
    printf '  -o myhostname=%s.mailtls.test\n' "$host"
    pf_profile_opts "$dir" "$cert" "$profile" | while read -r opt; do
        printf '  -o %s\n' "$opt"
    done
}

# postfix_build DIR: main.cf, master.cf and the weak OpenSSL config.
postfix_build() {
    local dir=$1 conf spool row f addr host cert profile
    conf=$(pf_conf "$dir")
    spool=$(pf_spool "$dir")
    mkdir -p "$conf" "$spool"  # postfix creates its data_directory itself
    render "$LAB_HOME/templates/main.cf" "$conf/main.cf.new" \
        PFCONF="$conf" PFSPOOL="$spool" PFDATA="$dir/spool/postfix-data" LOG="$dir/log"
    cp "$LAB_HOME/templates/master.cf" "$conf/master.cf.new"
    for row in "${LAB_LISTENERS[@]}"; do
        read -r addr host cert profile <<<"$row"
        [ "$profile" = chain ] && cat "$dir/pki/$cert.pem" "$dir/pki/ca.pem" \
            > "$dir/pki/$cert.chain.pem"
        pf_listener "$dir" "$addr" "$host" "$cert" "$profile" >> "$conf/master.cf.new"
    done
    cp "$LAB_HOME/templates/openssl-seclevel0.cnf" "$conf/openssl-seclevel0.cnf.new"
    for f in main.cf master.cf openssl-seclevel0.cnf; do
        install_if_changed "$conf/$f.new" "$conf/$f"
    done
}

# postfix_ready: true once every listener answers with a 220 banner.
postfix_ready() {
    local row
    for row in "${LAB_LISTENERS[@]}"; do
        smtp_banner "${row%% *}" "$LAB_PORT" || return 1
    done
}

# The master's command line does not name DIR; its pid file is DIR's own.
PF_MASTER=postfix/sbin/master
pf_master_pidfile() { echo "$(pf_spool "$1")/pid/master.pid"; }

postfix_start() {
    local dir=$1
    postfix -c "$(pf_conf "$dir")" start >>"$dir/log/postfix-start.log" 2>&1 \
        || die "postfix did not start (see $dir/log/postfix-start.log and postfix.log)"
    wait_until 10 "the Postfix listeners on port $LAB_PORT" postfix_ready \
        || die "Postfix listeners not ready (see $dir/log/postfix.log)"
}

# postfix_stop DIR: stop the master and with it every smtpd it started
# (the master TERMs its process group); KILL the group if it lingers.
postfix_stop() {
    local dir=$1 pidfile pid
    pidfile=$(pf_master_pidfile "$dir")
    pid_alive "$pidfile" "$PF_MASTER" || { rm -f "$pidfile"; return 0; }
    pid=$(tr -dc 0-9 < "$pidfile")
    postfix -c "$(pf_conf "$dir")" stop >>"$dir/log/postfix-start.log" 2>&1 || true
    wait_until 6 "the Postfix master (pid $pid) to exit" pid_gone "$pid" \
        || kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
}

postfix_status() {
    pid_alive "$(pf_master_pidfile "$1")" "$PF_MASTER" && postfix_ready
}
