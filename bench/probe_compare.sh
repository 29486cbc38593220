#!/usr/bin/env bash
# bench/probe_compare.sh - connections, wall time and CPU time per server of
# a full TLS assessment: mailtls against sslscan and testssl.sh (the Debian
# packages), on the same lab servers (tests/lab/LAB.md).
#
#   bench/probe_compare.sh [SERVER...]     (root; default: every server below)
#
# Runs in a network namespace of its own (unshare -n) that holds only a
# loopback interface: the lab starts inside it and no tool can reach
# anything else, whatever it tries (testssl.sh is also told --nodns none).
# Connections are counted by the servers, from the Postfix log, not taken
# from the tools.  Prints a Markdown table; docs/benchmarks.md keeps the
# figures.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
mailtls=${MAILTLS:-$top/build/src/mailtls}

# SERVER = Postfix listener name : address : domain mailtls checks.
all_servers="mx2:127.0.1.2:mx2 strong-mx:127.0.1.11:strong legacy-mx:127.0.1.10:legacy weakdh-mx:127.0.1.9:weakdh"

if [ "${MAILTLS_BENCH_NETNS:-}" != 1 ]; then
    [ "$(id -u)" -eq 0 ] || { echo "probe_compare.sh: needs root (network namespace, lab)" >&2; exit 2; }
    [ -x "$mailtls" ] || { echo "probe_compare.sh: build first (scripts/build.sh); no $mailtls" >&2; exit 2; }
    for pkg in sslscan testssl.sh; do
        dpkg -s "$pkg" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
    done
    exec unshare -n env MAILTLS_BENCH_NETNS=1 "$0" "$@"
fi

ip link set lo up
lab=$(mktemp -d /tmp/mailtls-bench.XXXXXX)
cleanup() { "$top/tests/lab/lab.sh" stop "$lab" >/dev/null 2>&1 || true; rm -rf "$lab"; }
trap cleanup EXIT
"$top/tests/lab/lab.sh" start "$lab" >/dev/null
# shellcheck source=/dev/null
. "$lab/lab.env"

connections() { grep -c " $1 postfix/smtpd\[[0-9]*\]: connect from" "$lab/log/postfix.log" || true; }

# measure LISTENER CMD... - run CMD; print "connections wall_s cpu_s".
measure() {
    local name=$1 before after t0 t1 cpu; shift
    before=$(connections "$name")
    t0=$(date +%s.%N)
    /usr/bin/time -o "$lab/time" -f '%U %S' "$@" >/dev/null 2>&1 || true
    cpu=$(tail -1 "$lab/time")
    t1=$(date +%s.%N)
    sleep 1                             # Postfix logs asynchronously
    after=$(connections "$name")
    awk -v c=$((after - before)) -v t0="$t0" -v t1="$t1" -v cpu="$cpu" \
        'BEGIN { split(cpu, u, " "); printf "%d %.1f %.1f\n", c, t1 - t0, u[1] + u[2] }'
}

echo "| server | tool | connections | wall s | CPU s |"
echo "|---|---|---:|---:|---:|"
for server in ${*:-$all_servers}; do
    IFS=: read -r name addr domain <<<"$server"
    row() { read -r c w u; echo "| $name | $1 | $c | $w | $u |"; }
    measure "$name" "$mailtls" check --resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" \
        --ca-file "$LAB_CA" --port "$LAB_PORT" "$domain.$LAB_ZONE" | row "mailtls check"
    measure "$name" sslscan --no-colour --starttls-smtp "$addr:$LAB_PORT" | row "sslscan"
    measure "$name" testssl --nodns none --quiet --color 0 --warnings off \
        -t smtp "$addr:$LAB_PORT" | row "testssl.sh (default run)"
done
