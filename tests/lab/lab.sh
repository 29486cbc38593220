#!/usr/bin/env bash
# tests/lab/lab.sh - start, stop and inspect the mailtls test lab.
#
#   lab.sh start DIR [--evil PATH] [--oldtls PATH]
#                                    build everything under DIR, start, wait
#   lab.sh stop DIR                  stop every process started from DIR
#   lab.sh status DIR                exit 0 if the lab of DIR is fully up
#
# The lab (specified in tests/lab/LAB.md) is NSD with signed zones on
# 127.0.53.1:53, one Postfix instance with a listener per situation on
# 127.0.1.N:2525 and [::1]:2525, Exim with GnuTLS on 127.0.1.12:2525 (run
# from the cached .deb in a private mount namespace: exim.sh), and
# optionally evil_smtpd on 127.0.2.N:2525
# and oldtls_smtpd (SSLv2, SSLv3, EXPORT, 512-bit DH) on 127.0.3.N:2525.
# nginx serves MTA-STS policies on 127.0.4.1:443 (nginx.sh).
# Everything it generates (PKI, zones, configs, queues, logs, pid files)
# lives under DIR; nothing is written elsewhere and nothing listens outside
# loopback.  'start' writes DIR/lab.env last, once every server answers.
set -euo pipefail

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$LAB_HOME/lib.sh"
. "$LAB_HOME/pki.sh"
. "$LAB_HOME/dns.sh"
. "$LAB_HOME/postfix.sh"
. "$LAB_HOME/evil.sh"
. "$LAB_HOME/oldtls.sh"
. "$LAB_HOME/exim.sh"
. "$LAB_HOME/nginx.sh"

usage() {
    echo "usage: $0 start DIR [--evil PATH_TO_evil_smtpd] [--oldtls PATH_TO_oldtls_smtpd] | stop DIR | status DIR" >&2
    exit 2
}

# lab_dir DIR: DIR as an absolute path.  DIR ends up in Postfix and NSD
# configuration files, so only plain path characters are accepted.
lab_dir() {
    local d
    d=$(realpath -m -- "$1")
    [[ $d =~ ^[A-Za-z0-9._/+-]+$ ]] \
        || die "lab folder '$d' may only contain letters, digits and ._/+-"
    echo "$d"
}

# port_conflicts WITH_EVIL: print sockets of other processes that would
# collide with the lab's (same address and port, or a wildcard one).
port_conflicts() {
    local want="127.0.53.1:53" row
    for row in "${LAB_LISTENERS[@]}"; do want+=" ${row%% *}:$LAB_PORT"; done
    if [ "$1" = 1 ]; then want+=" ${LAB_EVIL_ADDRS[*]/%/:$LAB_PORT}"; fi
    want+=" $LAB_EXIM_ADDR:$LAB_PORT"
    want+=" 0.0.0.0:53 *:53 [::]:53 0.0.0.0:$LAB_PORT *:$LAB_PORT [::]:$LAB_PORT"
    { ss -Hltn "sport = :$LAB_PORT"; ss -Hlun "sport = :53"; } \
        | awk -v want="$want" 'BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) ok[w[i]] = 1 }
                                $4 in ok { print $4 }'
}

lab_running() { nsd_status "$1" || postfix_status "$1" || evil_alive "$1" || exim_alive "$1" \
    || oldtls_alive "$1" || nginx_alive "$1"; }

write_env() {
    local dir=$1 evil=$2 oldtls=${3:-0}
    cat > "$dir/lab.env.new" <<ENV
# mailtls test lab, written by tests/lab/lab.sh start (see tests/lab/LAB.md)
LAB_RESOLVER=$LAB_NS_ADDR@$LAB_NS_PORT
LAB_TA=$dir/dns/$LAB_ZONE.ds
LAB_CA=$dir/pki/ca.pem
LAB_PORT=$LAB_PORT
LAB_ZONE=$LAB_ZONE
LAB_EVIL=$evil
LAB_OLDTLS=$oldtls
LAB_STS_ADDR=$LAB_STS_ADDR
ENV
    mv "$dir/lab.env.new" "$dir/lab.env"   # atomic for concurrent readers
}

stop_all() {
    local dir=$1
    rm -f "$dir/lab.env"
    evil_stop "$dir"
    oldtls_stop "$dir"
    exim_stop "$dir"
    nginx_stop "$dir"
    postfix_stop "$dir"
    nsd_stop "$dir"
}

cmd_start() {
    local dir evil_bin="" with_evil=0 oldtls_bin="" with_oldtls=0 conflicts
    [ $# -ge 1 ] || usage
    dir=$(lab_dir "$1"); shift
    while [ $# -gt 0 ]; do
        case $1 in
            --evil) [ $# -ge 2 ] || usage
                    evil_bin=$(realpath -m -- "$2"); with_evil=1; shift 2
                    [[ -f $evil_bin && -x $evil_bin ]] \
                        || die "evil_smtpd '$evil_bin' is not an executable file" ;;
            --oldtls) [ $# -ge 2 ] || usage
                    oldtls_bin=$(realpath -m -- "$2"); with_oldtls=1; shift 2
                    [[ -f $oldtls_bin && -x $oldtls_bin ]] \
                        || die "oldtls_smtpd '$oldtls_bin' is not an executable file" ;;
            *) usage ;;
        esac
    done
    [ "$(id -u)" -eq 0 ] || die "start needs root (NSD binds port 53, Postfix runs as its own user)"
    need_cmd openssl nsd nsd-checkconf ldns-keygen ldns-signzone ldns-key2ds drill \
        postfix runuser ss setsid timeout realpath unshare mount dpkg-deb nginx
    if [ -d "$dir" ] && lab_running "$dir"; then
        die "the lab in $dir is already running; run '$0 stop $dir' first"
    fi
    conflicts=$(port_conflicts $with_evil; nginx_conflicts; if [ $with_oldtls = 1 ]; then oldtls_conflicts; fi)
    [ -z "$conflicts" ] || die "address(es) already in use by another process (another lab folder?): $(echo "$conflicts" | tr "\n" " ")"

    mkdir -p "$dir/run" "$dir/log"
    chmod 755 "$dir"   # Postfix daemons (user postfix) must reach DIR/spool
    runuser -u postfix -- test -x "$dir" \
        || die "user postfix cannot reach $dir: use a folder whose parents are world-searchable (e.g. under /tmp)"
    stop_all "$dir"   # clear stale pid files of a crashed run
    trap 'log "start failed, stopping what was started"; stop_all "$dir"' EXIT

    pki_generate "$dir"
    dns_build "$dir"
    postfix_build "$dir"
    exim_build "$dir"
    nginx_build "$dir"
    nsd_start "$dir"
    postfix_start "$dir"
    exim_start "$dir"
    nginx_start "$dir"
    if [ $with_evil = 1 ]; then evil_start "$dir" "$evil_bin"; fi
    if [ $with_oldtls = 1 ]; then oldtls_start "$dir" "$oldtls_bin"; fi
    write_env "$dir" $with_evil $with_oldtls
    trap - EXIT
    log "running; environment in $dir/lab.env"
}

cmd_stop() {
    local dir
    [ $# -eq 1 ] || usage
    dir=$(lab_dir "$1")
    [ -d "$dir" ] || { log "no lab in $dir"; return 0; }
    stop_all "$dir"
    log "stopped"
}

# report NAME OK DETAIL: one status line; returns OK.
report() {
    printf '%-11s %-8s %s\n' "$1" "$([ "$2" = 0 ] && echo up || echo DOWN)" "$3"
    return "$2"
}

cmd_status() {
    local dir rc=0 st
    [ $# -eq 1 ] || usage
    dir=$(lab_dir "$1")
    st=0; nsd_status "$dir" || st=1
    report nsd $st "$LAB_NS_ADDR@$LAB_NS_PORT" || rc=1
    st=0; postfix_status "$dir" || st=1
    report postfix $st "${#LAB_LISTENERS[@]} listeners on port $LAB_PORT" || rc=1
    st=0; exim_status "$dir" || st=1
    report exim $st "$LAB_EXIM_ADDR:$LAB_PORT (gnutls-mx)" || rc=1
    st=0; nginx_status "$dir" || st=1
    report nginx $st "$LAB_STS_ADDR:$LAB_STS_PORT (MTA-STS policies)" || rc=1
    if evil_wanted "$dir"; then
        st=0; evil_status "$dir" || st=1
        report evil_smtpd $st "127.0.2.1-11:$LAB_PORT" || rc=1
    fi
    if oldtls_wanted "$dir"; then
        st=0; oldtls_status "$dir" || st=1
        report oldtls $st "127.0.3.1-4:$LAB_PORT" || rc=1
    fi
    [ -s "$dir/lab.env" ] || { echo "lab.env     missing"; rc=1; }
    return $rc
}

case ${1:-} in
    start)  shift; cmd_start "$@" ;;
    stop)   shift; cmd_stop "$@" ;;
    status) shift; cmd_status "$@" ;;
    *) usage ;;
esac
