#!/usr/bin/env bash
# tests/integration/scan_polite.sh - per-address politeness of `mailtls
# scan`, measured at the server's side.
#
#   scan_polite.sh MAILTLS_BINARY LAB_DIR TCP_RELAY
#
# Five lab domains reach 127.0.1.2 (Postfix mx2) through five different MX
# names (mx2, implicit, alias, dane-bad-mx, dane-unusable-mx): five
# assessments of one address, each a session plus an enumeration of tens
# of connections.  tcp_relay stands in front of the listener
# (127.0.1.2:2627 -> 127.0.1.2:2525) and logs every connection it accepts
# with a monotonic microsecond time and the number open at that moment.
# The scan runs with plenty of concurrency, so every assessment is
# requested at once; what reaches the address must still be:
#   - at most --per-address connections open at any moment (each
#     assessment holds one connection at a time);
#   - at least the probe's gap (20 ms, check.c) between any two
#     connection starts, also across assessments running in parallel;
#   - every connection the reports account for (sessions + enumeration),
#     and no more.
# Measurement slack: the relay stamps accept() on its own loop, which on a
# loaded 2-core machine may run a few ms late for one connection and on
# time for the next, so two starts can look closer than they were made
# (14.6 ms seen for a 20 ms gap).  The relay runs at a real-time priority
# (chrt -f, where allowed), which keeps its error under a millisecond in a
# normal build (19.7 ms seen at worst), but not under ASan, where the relay
# itself is instrumented (17.1 ms seen, alone on the machine).  So the
# slack is half the gap: enough to tell the pacer from its absence, since
# without the shared pacer parallel assessments connect microseconds apart
# (17 us seen).
set -u
case_name=polite
mailtls=$1
lab=$2
relay=$3
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PROBE_GAP_US=20000
GAP_SLACK_US=$((PROBE_GAP_US / 2))
port=2627
Z=$LAB_ZONE
work=$(mktemp -d)
relay_pid=
cleanup() {
    [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null
    rm -rf "$work" "$errfile"
}
trap cleanup EXIT

[ -x "$relay" ] || fail "tcp_relay not given"
rt=(chrt -f 50)
if ! chrt -f 50 true 2>/dev/null; then
    rt=()
fi
"${rt[@]}" "$relay" --pidfile "$work/relay.pid" --log "$work/relay.log" \
    "127.0.1.2:$port=127.0.1.2:$LAB_PORT" 2>"$work/relay.err" &
relay_pid=$!
for _ in $(seq 100); do
    [ -s "$work/relay.pid" ] && break
    kill -0 "$relay_pid" 2>/dev/null || fail "tcp_relay: $(cat "$work/relay.err")"
    sleep 0.05
done
[ -s "$work/relay.pid" ] || fail "tcp_relay did not start"

# polite_scan K - scan the five domains with --per-address K; checks the log
# (max: the most connections open at once, for the caller).
polite_scan() {
    local k=$1 opens gap want seen
    : > "$work/relay.log"
    printf '%s\n' insecure implicit cname dane-bad dane-unusable | sed "s/\$/.$Z/" > "$work/list"
    rm -f "$work/db" "$work/out.jsonl"
    mt scan --resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" --ca-file "$LAB_CA" \
        --port "$port" --ehlo client.mailtls.test --allow-reserved --retries 0 \
        --concurrency 64 --per-address "$k" --address-gap 0.1 \
        --db "$work/db" --output "$work/out.jsonl" "$work/list"
    expect_rc 0
    grep -q "scan 1 finished: 5 of 5 domains saved" "$errfile" || fail "summary: $(cat "$errfile")"

    # The reports: 5 distinct (name, 127.0.1.2) assessments, enumerated.
    want=$(jq -r '.mx[] | .host as $h | .addresses[] | select(.address == "127.0.1.2")
                  | "\($h) \(1 + (.enumeration.connections // 0))"' "$work/out.jsonl" | sort -u)
    [ "$(echo "$want" | wc -l)" -eq 5 ] || fail "expected 5 assessments: $want"
    want=$(echo "$want" | awk '{s += $2} END {print s}')
    [ "$want" -gt 20 ] || fail "too few connections to judge ($want): was the enumeration skipped?"
    # The relay logs a close once both sides are gone: wait for the last.
    for _ in $(seq 50); do
        opens=$(grep -c " open " "$work/relay.log")
        [ "$opens" -eq "$(grep -c " close " "$work/relay.log")" ] && break
        sleep 0.1
    done
    seen=$(grep -c " open " "$work/relay.log")
    [ "$seen" -eq "$want" ] || fail "K=$k: the server saw $seen connections, the reports account for $want"

    max=$(awk '$2 == "open" { if ($5 > m) m = $5 } END { print m + 0 }' "$work/relay.log")
    [ "$max" -ge 1 ] && [ "$max" -le "$k" ] || fail "K=$k: $max connections open at once at 127.0.1.2"
    gap=$(awk '$2 == "open" { print $1 }' "$work/relay.log" | sort -n \
          | awk 'NR > 1 { d = $1 - p; if (min == "" || d < min) min = d } { p = $1 } END { print min }')
    [ "$gap" -ge $((PROBE_GAP_US - GAP_SLACK_US)) ] \
        || fail "K=$k: two connections to 127.0.1.2 only ${gap} us apart (gap ${PROBE_GAP_US} us)"
    echo "K=$k: $seen connections, at most $max open at once, closest starts ${gap} us apart"
}

polite_scan 2
# Two assessments must really have overlapped, or the gap across parallel
# assessments was not put to the test.
[ "$max" -eq 2 ] || fail "K=2: never two connections at once; nothing ran in parallel"
polite_scan 1
exit 0
