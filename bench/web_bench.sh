#!/usr/bin/env bash
# bench/web_bench.sh - how fast `mailtls serve` answers its pages.
#
#   bench/web_bench.sh MAILTLS_BINARY STORE_FILL_BINARY [DOMAINS [REQUESTS]]
#
# Fills a SQLite database with one scan of DOMAINS (default 10000) synthetic
# domains (tests/store/store_fill), starts `mailtls serve --scan 1` on it,
# and times REQUESTS (default 2000) sequential requests per page over one
# keep-alive connection (one curl with many URLs): the front page (the
# web's recent results), /stats and /api/stats (store_stats() of the whole
# scan, kept 30 s by the server: the first request's time is printed
# apart), a status lookup, the stylesheet, and a 404.  Prints requests per
# second and the server's peak RSS.
# No check runs: this measures the HTTP side and the store's queries.
#
# Runs in a network namespace of its own (unshare -n), loopback only.
set -euo pipefail

if [ -z "${MAILTLS_BENCH_NETNS:-}" ]; then
    exec unshare -n env MAILTLS_BENCH_NETNS=1 "$0" "$@"
fi
ip link set lo up

mailtls=$1
fill=$2
domains=${3:-10000}
n=${4:-2000}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

"$fill" --db "$work/db" --domains "$domains" --providers 97 --batch 1000 --quiet \
    >/dev/null
"$mailtls" serve --listen 127.0.0.1:8025 --db "$work/db" --scan 1 2>"$work/log" &
pid=$!
for _ in $(seq 100); do
    curl -s -o /dev/null http://127.0.0.1:8025/static/style.css && break
    sleep 0.1
done

echo "mailtls serve: $domains domains in the database, $n requests per page"
t=$(curl -s -o /dev/null -w '%{time_total}' http://127.0.0.1:8025/api/stats)
awk -v t="$t" 'BEGIN { printf "  first /api/stats (aggregates the scan): %.0f ms\n", 1000 * t }'
for path in / /stats /api/stats /api/status/example.org /static/style.css /nope; do
    urls=()
    for _ in $(seq "$n"); do urls+=("http://127.0.0.1:8025$path"); done
    start=$(date +%s.%N)
    curl -s "${urls[@]}" >/dev/null
    end=$(date +%s.%N)
    awk -v p="$path" -v n="$n" -v s="$start" -v e="$end" \
        'BEGIN { printf "  %-26s %8.0f requests/s  (%.2f ms each)\n", p, n / (e - s), 1000 * (e - s) / n }'
done
echo "  peak RSS of the server: $(awk '/VmHWM/ { print $2, $3 }' "/proc/$pid/status")"
