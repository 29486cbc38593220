#!/usr/bin/env bash
# tests/store/pg.sh - a private PostgreSQL server for the store's tests.
#
#   pg.sh start DIR    initdb DIR/data, start; writes DIR/pg.env last, once it answers
#   pg.sh stop DIR     stop it and remove DIR/data
#
# The cluster lives in DIR/data (under the build directory), listens on
# 127.0.0.1 only, on a free port above 20000 (never the default 5432), and
# on no unix socket; the superuser "mailtls" has a random password
# (scram-sha-256), so the tests go through authentication too.  PostgreSQL
# refuses to run as root: when we are root the server runs as "nobody",
# which then owns DIR/data.  Nothing here touches the system's own
# clusters (pg_lsclusters), running or not.  The server binaries come from
# the Debian package postgresql (scripts/deps.sh).
#
# DIR/pg.env:  PG_BASE=postgresql://mailtls:PASSWORD@127.0.0.1:PORT
#              (append /DBNAME; "postgres" always exists)
#              PG_DATA=DIR/data  PG_BIN=/usr/lib/postgresql/N/bin
set -euo pipefail

die() { echo "pg.sh: $*" >&2; exit 1; }

pg_bin() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
    done
    die "no PostgreSQL server found (scripts/deps.sh installs the package postgresql)"
}

# as_owner CMD... - run CMD as the cluster's owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u nobody -- "$@"
    else
        "$@"
    fi
}

free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! ss -Hltn "sport = :$port" | grep -q .; then
            echo "$port"
            return
        fi
    done
    die "no free port found"
}

cmd_start() {
    local dir=$1 bin data pw port tries
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    cmd_stop "$dir"                  # a cluster left over by a killed run
    bin=$(pg_bin)
    data=$dir/data
    mkdir -m 700 "$data"
    if [ "$(id -u)" -eq 0 ]; then
        chown nobody:nogroup "$data"
        runuser -u nobody -- test -w "$data" \
            || die "$data: the user nobody cannot reach it (a parent directory is not searchable)"
    fi
    pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    # initdb reads the password from a file; it goes as soon as initdb is done.
    (umask 077; printf '%s\n' "$pw" > "$data/pwfile")
    [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$data/pwfile"
    as_owner "$bin/initdb" -D "$data/db" -U mailtls --pwfile="$data/pwfile" \
        --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$data/initdb.log" 2>&1 \
        || { rm -f "$data/pwfile"; cat "$data/initdb.log" >&2; die "initdb failed"; }
    rm -f "$data/pwfile"
    for tries in 1 2 3 4 5; do
        port=$(free_port)
        # fsync off: a test cluster, thrown away afterwards.
        if as_owner "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories= \
                -c fsync=off -c max_connections=60" start >/dev/null 2>&1; then
            break
        fi
        [ "$tries" -eq 5 ] && { tail -20 "$data/server.log" >&2; die "the server did not start"; }
    done
    cat > "$dir/pg.env.new" <<ENV
PG_BASE=postgresql://mailtls:$pw@127.0.0.1:$port
PG_DATA=$data
PG_BIN=$bin
ENV
    chmod 600 "$dir/pg.env.new"
    mv "$dir/pg.env.new" "$dir/pg.env"
}

cmd_stop() {
    local dir=$1 data=$1/data bin
    rm -f "$dir/pg.env"
    [ -d "$data" ] || return 0
    if [ -f "$data/db/postmaster.pid" ]; then
        bin=$(pg_bin)
        as_owner "$bin/pg_ctl" -D "$data/db" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$data"
}

[ $# -eq 2 ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
case $1 in
    start) cmd_start "$2" ;;
    stop) cmd_stop "$2" ;;
    *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
