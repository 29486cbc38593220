# shellcheck shell=bash
# tests/lab/evil.sh - start and stop evil_smtpd, the lab's hostile peers (sourced).
#
# evil_smtpd (tests/tools/evil_smtpd.c, built elsewhere) binds 127.0.2.1 to
# 127.0.2.11 on port 2525 itself and stays in the foreground; it writes
# DIR/evil.pid.  We also record the pid we launched (DIR/run/evil.launch.pid)
# so that stop works even if it died before writing its pid file.

LAB_EVIL_ADDRS=(127.0.2.{1..11})

evil_pidfile() { echo "$1/evil.pid"; }
evil_launch_pidfile() { echo "$1/run/evil.launch.pid"; }

# evil_mark DIR: evil_smtpd's command line names DIR's pid file.
evil_mark() { echo "--pidfile $(evil_pidfile "$1")"; }

evil_alive() {
    pid_alive "$(evil_pidfile "$1")" "$(evil_mark "$1")" \
        || pid_alive "$(evil_launch_pidfile "$1")" "$(evil_mark "$1")"
}

# evil_listening: true once every evil address accepts on port 2525.
evil_listening() { tcp_all_listening "$LAB_PORT" "${LAB_EVIL_ADDRS[@]}"; }

# evil_ready DIR: listening, or fail at once if the process we launched
# has died (checked by pid alone: it may not have exec'd evil_smtpd yet).
evil_ready() {
    proc_running "$(cat "$(evil_launch_pidfile "$1")")" \
        || { log "evil_smtpd exited (see $1/log/evil.log)"; return 2; }
    evil_listening
}

evil_start() {
    local dir=$1 bin=$2
    echo "$bin" > "$dir/run/evil.path"
    setsid "$bin" --port "$LAB_PORT" \
        --cert "$dir/pki/evil-split.pem" --key "$dir/pki/evil-split.key" \
        --pidfile "$(evil_pidfile "$dir")" \
        </dev/null >>"$dir/log/evil.log" 2>&1 &
    EVIL_LAUNCHED=$!
    disown "$EVIL_LAUNCHED"   # it outlives lab.sh; no job notices
    echo "$EVIL_LAUNCHED" > "$(evil_launch_pidfile "$dir")"
    wait_until 10 "evil_smtpd on 127.0.2.1-11:$LAB_PORT" evil_ready "$dir" \
        || die "evil_smtpd not ready (see $dir/log/evil.log)"
}

# evil_stop DIR: stop evil_smtpd; a process launched by this very run (a
# failed start) is stopped even if its command line lacks the mark.
evil_stop() {
    local dir=$1
    if [ -n "${EVIL_LAUNCHED:-}" ] && proc_running "$EVIL_LAUNCHED"; then
        kill -KILL "$EVIL_LAUNCHED" 2>/dev/null || true
    fi
    kill_pidfile "$(evil_pidfile "$dir")" "$(evil_mark "$dir")" evil_smtpd
    kill_pidfile "$(evil_launch_pidfile "$dir")" "$(evil_mark "$dir")" evil_smtpd
    rm -f "$dir/run/evil.path"
}

# evil_wanted DIR: true if the running lab was started with --evil.
evil_wanted() { [ -s "$1/run/evil.path" ]; }

evil_status() { evil_alive "$1" && evil_listening; }
