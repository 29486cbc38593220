# shellcheck shell=bash
# tests/lab/exim.sh - gnutls-mx: Exim with GnuTLS on 127.0.1.12:2525 (sourced).
#
# Exim is the Debian MTA built on GnuTLS, the only TLS library here that still
# offers RC4 and 3DES.  Its package conflicts with Postfix, so it is never
# installed: scripts/deps.sh downloads exim4-daemon-light into LAB_DEB_CACHE,
# and this script unpacks it into DIR/exim/root and runs the daemon from there
# ('exim4 -C DIR/exim/exim.conf -bd').  The binary insists on the user
# Debian-exim, which the host does not have: the daemon runs in its own mount
# namespace (unshare -m) where DIR/exim/passwd and DIR/exim/group, copies of
# the host's files plus Debian-exim, are bind-mounted over /etc/passwd and
# /etc/group.  The host's files are never touched.  Receiving processes run as
# that user, so its spool, log files and key copy are owned by its uid.
# shellcheck disable=SC2153  # LAB_HOME and LAB_PORT are set by lab.sh

LAB_EXIM_ADDR=127.0.1.12
LAB_EXIM_HOST=gnutls-mx.mailtls.test
LAB_DEB_CACHE=${MAILTLS_LAB_CACHE:-/var/cache/mailtls-lab}
# TLS 1.0-1.3; GnuTLS's NORMAL suites plus RC4 (ARCFOUR-128) and 3DES-CBC;
# the client's suite order (no %SERVER_PRECEDENCE).
LAB_EXIM_PRIORITY="NORMAL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+ARCFOUR-128:+3DES-CBC"

exim_conf() { echo "$1/exim/exim.conf"; }
exim_pidfile() { echo "$1/run/exim.pid"; }
exim_bin() { echo "$1/exim/root/usr/sbin/exim4"; }
# The daemon keeps its command line, which names DIR's configuration.
exim_mark() { echo "-C $(exim_conf "$1")"; }

# exim_ids: uid and gid of Debian-exim inside the namespace ("UID GID"):
# the first id from 64000 up that is neither a user nor a group on the host.
exim_ids() {
    local id
    for id in $(seq 64000 64999); do
        getent passwd "$id" >/dev/null || getent group "$id" >/dev/null || { echo "$id $id"; return; }
    done
    die "no free uid/gid in 64000-64999 for Debian-exim"
}

# exim_unpack DIR: DIR/exim/root holds the newest cached exim4-daemon-light.
exim_unpack() {
    local dir=$1 deb root=$1/exim/root
    deb=$(compgen -G "$LAB_DEB_CACHE/exim4-daemon-light_*.deb" | sort -V | tail -n1) \
        || die "exim4-daemon-light_*.deb not found in $LAB_DEB_CACHE (gnutls-mx needs it): run scripts/deps.sh as root, which downloads it (apt-get download; MAILTLS_LAB_CACHE overrides the folder)"
    [ "$(cat "$root/.deb" 2>/dev/null)" = "$deb" ] && [ -x "$root/usr/sbin/exim4" ] && return 0
    rm -rf "$root" "$root.new"
    mkdir -p "$root.new"
    dpkg-deb -x "$deb" "$root.new" || die "cannot unpack $deb"
    echo "$deb" > "$root.new/.deb"
    mv "$root.new" "$root"
}

# exim_build DIR: the unpacked binary, configuration, user files, spool,
# log files and the key copy (Exim reads it after giving up root).
exim_build() {
    local dir=$1 ex=$1/exim uid gid f
    read -r uid gid <<<"$(exim_ids)"
    mkdir -p "$ex/spool"
    exim_unpack "$dir"
    { grep -v '^Debian-exim:' /etc/passwd
      echo "Debian-exim:x:$uid:$gid:Exim (mailtls lab):$ex/spool:/usr/sbin/nologin"
    } > "$ex/passwd.new"
    { grep -v '^Debian-exim:' /etc/group; echo "Debian-exim:x:$gid:"; } > "$ex/group.new"
    install -m 600 -o "$uid" -g "$gid" "$dir/pki/gnutls.key" "$ex/tls.key"
    render "$LAB_HOME/templates/exim.conf" "$ex/exim.conf.new" \
        EXIM="$(exim_bin "$dir")" HOST="$LAB_EXIM_HOST" ADDR="$LAB_EXIM_ADDR" \
        PORT="$LAB_PORT" SPOOL="$ex/spool" LOG="$dir/log" RUN="$dir/run" \
        CERT="$dir/pki/gnutls.pem" KEY="$ex/tls.key" PRIORITY="$LAB_EXIM_PRIORITY"
    chmod 644 "$ex/passwd.new" "$ex/group.new" "$ex/exim.conf.new"
    for f in passwd group exim.conf; do mv "$ex/$f.new" "$ex/$f"; done
    # The receiving processes (Debian-exim) write the spool and the logs.
    local logs=("$dir/log/exim-mainlog" "$dir/log/exim-rejectlog" "$dir/log/exim-paniclog")
    touch "${logs[@]}"
    chown "$uid:$gid" "${logs[@]}"
    chmod 640 "${logs[@]}"
    chown -R "$uid:$gid" "$ex/spool"
}

exim_ready() { smtp_banner "$LAB_EXIM_ADDR" "$LAB_PORT"; }

# exim_start DIR: the daemon detaches itself (it is its own process group
# leader) and writes DIR/run/exim.pid; a configuration error makes the
# starting command fail at once.
exim_start() {
    local dir=$1
    # shellcheck disable=SC2016  # the inner script gets its own $0..$3
    setsid unshare -m --propagation private sh -c '
        mount --bind "$0/exim/passwd" /etc/passwd &&
        mount --bind "$0/exim/group" /etc/group &&
        exec "$1" -C "$2" -bd' "$dir" "$(exim_bin "$dir")" "$(exim_conf "$dir")" \
        </dev/null >>"$dir/log/exim-start.log" 2>&1 \
        || die "exim did not start (see $dir/log/exim-start.log and exim-paniclog)"
    wait_until 10 "Exim on $LAB_EXIM_ADDR:$LAB_PORT" exim_ready \
        || die "Exim not ready (see $dir/log/exim-mainlog, exim-paniclog)"
}

exim_alive() { pid_alive "$(exim_pidfile "$1")" "$(exim_mark "$1")"; }

# exim_stop DIR: TERM the daemon's process group (the daemon and the SMTP
# sessions it forked), KILL it if it lingers.
exim_stop() {
    local dir=$1 pidfile pid
    pidfile=$(exim_pidfile "$dir")
    exim_alive "$dir" || { rm -f "$pidfile"; return 0; }
    pid=$(head -n1 "$pidfile" | tr -dc 0-9)
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    wait_until 5 "Exim (pid $pid) to exit" pid_gone "$pid" \
        || kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
}

exim_status() { exim_alive "$1" && exim_ready; }
