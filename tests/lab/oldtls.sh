# shellcheck shell=bash
# tests/lab/oldtls.sh - start and stop oldtls_smtpd, the lab's legacy-TLS
# servers: SSLv2, SSLv3, EXPORT suites, 512-bit DH (sourced).
#
# oldtls_smtpd (tests/tools/oldtls_smtpd.c, built elsewhere) binds 127.0.3.1
# to 127.0.3.4 on port 2525 itself and stays in the foreground; it writes
# DIR/oldtls.pid once every address listens.  As with evil_smtpd, the pid we
# launched is recorded too (DIR/run/oldtls.launch.pid), so that stop works
# even if it died before writing its pid file.  Its one certificate, for all
# four host names, is issued by the lab CA (DIR/pki/oldtls.pem and .key),
# once per lab folder.

LAB_OLDTLS_ADDRS=(127.0.3.{1..4})
LAB_OLDTLS_NAMES=(ssl2 ssl3 export dh512)	# NAME-mx.mailtls.test, in address order

oldtls_pidfile() { echo "$1/oldtls.pid"; }
oldtls_launch_pidfile() { echo "$1/run/oldtls.launch.pid"; }

# oldtls_mark DIR: oldtls_smtpd's command line names DIR's pid file.
oldtls_mark() { echo "--pidfile $(oldtls_pidfile "$1")"; }

oldtls_alive() {
    pid_alive "$(oldtls_pidfile "$1")" "$(oldtls_mark "$1")" \
        || pid_alive "$(oldtls_launch_pidfile "$1")" "$(oldtls_mark "$1")"
}

# oldtls_listening: true once every oldtls address accepts on port 2525.
oldtls_listening() { tcp_all_listening "$LAB_PORT" "${LAB_OLDTLS_ADDRS[@]}"; }

# oldtls_conflicts: listening sockets of other processes on our addresses
# (lab.sh's port_conflicts checks the wildcard ones).
oldtls_conflicts() {
    ss -Hltn "sport = :$LAB_PORT" \
        | awk -v want="${LAB_OLDTLS_ADDRS[*]/%/:$LAB_PORT}" \
            'BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) ok[w[i]] = 1 }
             $4 in ok { print $4 }'
}

# oldtls_ready DIR: listening, or fail at once if the process we launched
# has died (checked by pid alone: it may not have exec'd oldtls_smtpd yet).
oldtls_ready() {
    proc_running "$(cat "$(oldtls_launch_pidfile "$1")")" \
        || { log "oldtls_smtpd exited (see $1/log/oldtls.log)"; return 2; }
    oldtls_listening
}

# oldtls_cert DIR: DIR/pki/oldtls.pem and .key (RSA 2048, SHA-256, 5 years),
# issued by the lab CA for the four host names, unless already there.
oldtls_cert() {
    local pki=$1/pki z=mailtls.test n san=""
    [ -s "$pki/oldtls.pem" ] && [ -s "$pki/oldtls.key" ] && return 0
    for n in "${LAB_OLDTLS_NAMES[@]}"; do san+="${san:+,}DNS:$n-mx.$z"; done
    cat > "$pki/oldtls.ext.new" <<EXT
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $san
EXT
    if ! openssl req -new -newkey rsa:2048 -nodes -keyout "$pki/oldtls.key.new" \
            -out "$pki/oldtls.csr.new" -subj "/CN=${LAB_OLDTLS_NAMES[0]}-mx.$z" \
            2>/dev/null \
        || ! openssl x509 -req -in "$pki/oldtls.csr.new" -CA "$pki/ca.pem" \
            -CAkey "$pki/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
            -days 1825 -sha256 -extfile "$pki/oldtls.ext.new" \
            -out "$pki/oldtls.pem.new" 2>/dev/null; then
        die "cannot issue the oldtls_smtpd certificate in $pki"
    fi
    chmod 600 "$pki/oldtls.key.new"
    mv "$pki/oldtls.key.new" "$pki/oldtls.key"
    mv "$pki/oldtls.pem.new" "$pki/oldtls.pem"
    rm -f "$pki/oldtls.csr.new" "$pki/oldtls.ext.new"
}

oldtls_start() {
    local dir=$1 bin=$2
    oldtls_cert "$dir"
    echo "$bin" > "$dir/run/oldtls.path"
    setsid "$bin" --port "$LAB_PORT" \
        --cert "$dir/pki/oldtls.pem" --key "$dir/pki/oldtls.key" \
        --pidfile "$(oldtls_pidfile "$dir")" \
        </dev/null >>"$dir/log/oldtls.log" 2>&1 &
    OLDTLS_LAUNCHED=$!
    disown "$OLDTLS_LAUNCHED"   # it outlives lab.sh; no job notices
    echo "$OLDTLS_LAUNCHED" > "$(oldtls_launch_pidfile "$dir")"
    wait_until 10 "oldtls_smtpd on 127.0.3.1-4:$LAB_PORT" oldtls_ready "$dir" \
        || die "oldtls_smtpd not ready (see $dir/log/oldtls.log)"
}

# oldtls_stop DIR: stop oldtls_smtpd; a process launched by this very run (a
# failed start) is stopped even if its command line lacks the mark.
oldtls_stop() {
    local dir=$1
    if [ -n "${OLDTLS_LAUNCHED:-}" ] && proc_running "$OLDTLS_LAUNCHED"; then
        kill -KILL "$OLDTLS_LAUNCHED" 2>/dev/null || true
    fi
    kill_pidfile "$(oldtls_pidfile "$dir")" "$(oldtls_mark "$dir")" oldtls_smtpd
    kill_pidfile "$(oldtls_launch_pidfile "$dir")" "$(oldtls_mark "$dir")" oldtls_smtpd
    rm -f "$dir/run/oldtls.path"
}

# oldtls_wanted DIR: true if the running lab was started with --oldtls.
oldtls_wanted() { [ -s "$1/run/oldtls.path" ]; }

oldtls_status() { oldtls_alive "$1" && oldtls_listening; }
