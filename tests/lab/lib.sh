# shellcheck shell=bash
# tests/lab/lib.sh - small helpers shared by the lab scripts (sourced, not run).
#
# Logging, template rendering, pid-file handling and bounded polling: the
# pieces every part of the lab (PKI, DNS, Postfix, evil_smtpd) needs, kept in
# one place so that the part scripts stay short.

log() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

need_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 \
            || die "'$c' not found (run scripts/deps.sh as root)"
    done
}

# render TEMPLATE OUT [KEY=VALUE ...]: copy TEMPLATE to OUT, replacing each
# @KEY@ with VALUE.  Values must not contain '|' (used as sed delimiter).
render() {
    local tpl=$1 out=$2 kv args=()
    shift 2
    for kv in "$@"; do
        args+=(-e "s|@${kv%%=*}@|${kv#*=}|g")
    done
    sed "${args[@]}" "$tpl" > "$out"
    if grep -q '@[A-Z_]*@' "$out"; then
        die "unreplaced placeholder in $out: $(grep -o '@[A-Z_]*@' "$out" | head -1)"
    fi
}

# install_if_changed NEW DEST: move NEW over DEST unless they are equal, so
# that an unchanged DEST keeps its time stamp (Postfix pauses for about two
# seconds at startup when main.cf was modified just before).
install_if_changed() {
    if cmp -s "$1" "$2"; then rm -f "$1"; else mv "$1" "$2"; fi
}

# pid_alive FILE MARK: true if FILE names a running process whose command
# line contains MARK.  The mark guards against stale pid files of a crashed
# run whose pid now belongs to an unrelated process.
pid_alive() {
    local pid cmdline
    [ -s "$1" ] || return 1
    pid=$(head -n1 "$1" | tr -dc 0-9)
    [ -n "$pid" ] && proc_running "$pid" || return 1
    cmdline=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null) || return 1
    [[ $cmdline == *"$2"* ]]
}

# proc_running PID: true if PID exists and is not a zombie (on this machine
# init reaps orphans lazily, so a stopped daemon may linger as a zombie).
proc_running() {
    local state
    state=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

pid_gone() { ! proc_running "$1"; }

# kill_pidfile FILE MARK NAME: TERM the process in FILE if its command line
# contains MARK (see pid_alive), wait up to 5 s, then KILL it; remove FILE.
# Safe if FILE is missing or the process is gone.
kill_pidfile() {
    local file=$1 mark=$2 name=$3 pid
    if pid_alive "$file" "$mark"; then
        pid=$(head -n1 "$file" | tr -dc 0-9)
        kill -TERM "$pid" 2>/dev/null || true
        if ! wait_until 5 "$name (pid $pid) to exit" pid_gone "$pid"; then
            log "killing $name (pid $pid)"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$file"
}

# wait_until SECONDS DESCRIPTION COMMAND...: run COMMAND every 0.1 s until it
# succeeds; fail with DESCRIPTION after SECONDS, or at once if COMMAND
# returns 2 (meaning "this will never succeed").
wait_until() {
    local secs=$1 what=$2 deadline rc
    shift 2
    deadline=$((${EPOCHREALTIME/./} + secs * 1000000))   # microseconds
    while [ "${EPOCHREALTIME/./}" -lt $deadline ]; do
        rc=0
        "$@" || rc=$?
        [ $rc -eq 0 ] && return 0
        [ $rc -eq 2 ] && return 1
        sleep 0.1
    done
    log "timed out after ${secs}s waiting for $what"
    return 1
}

# tcp_all_listening PORT ADDR...: true if every ADDR listens on PORT (TCP).
# ADDR is an IPv4 address or a bracketed IPv6 one, as ss prints them.
tcp_all_listening() {
    local port=$1 have addr
    shift
    have=$(ss -Hltn "sport = :$port" | awk '{print $4}')
    for addr in "$@"; do
        grep -qxF "$addr:$port" <<<"$have" || return 1
    done
}

# smtp_banner ADDR PORT: true if ADDR:PORT answers with a 220 greeting.
smtp_banner() {
    local addr=${1#[} line
    addr=${addr%]}
    # shellcheck disable=SC2016  # the inner script gets its own $0 $1
    line=$(timeout 3 bash -c '
        exec 3<>"/dev/tcp/$0/$1" || exit 1
        IFS= read -r -t 3 line <&3 || exit 1
        printf "QUIT\r\n" >&3
        printf "%s" "$line"' "$addr" "$2" 2>/dev/null) || return 1
    [[ $line == 220* ]]
}
