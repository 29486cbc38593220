#!/usr/bin/env bash
# tests/integration/scan_cases.sh - `mailtls scan` against the lab: shared
# server assessments, the database and the JSON Lines output, resuming
# after kill -9, shards, bad input, exclusions, reserved addresses and
# retries of temporary failures.
#
#   scan_cases.sh CASE MAILTLS_BINARY LAB_DIR
#
# Each case works in its own temporary folder (database, lists, output).
set -u

case_name=$1
mailtls=$2
lab=$3
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

work=$(mktemp -d)
trap 'rm -rf "$work" "$errfile"' EXIT

Z=$LAB_ZONE
lab_opts=(--resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" --ca-file "$LAB_CA"
          --port "$LAB_PORT" --ehlo client.mailtls.test)

# scan ARG... - mailtls scan with the lab's options; stdout in $out, the
# exit status in $rc, stderr in $errfile (lib.sh: a sanitizer report fails).
scan() { mt scan "${lab_opts[@]}" "$@"; }

# exported DB - the domain names saved in the latest scan of DB, one a line.
exported() {
    "$mailtls" export --db "$1" --format csv | tail -n +2 | cut -d, -f1
}

# listed FILE - the names a list holds (comments, blanks dropped).
listed() { sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$1" | sort -u; }

# postfix_connections NAME - connections the Postfix listener NAME logged.
postfix_connections() {
    grep -c " $1 postfix/smtpd\[[0-9]*\]: connect from" "$lab/log/postfix.log"
}

# same_set A B WHAT - two newline lists hold the same names, each once.
same_set() {
    local a b
    a=$(echo "$1" | sed '/^$/d' | sort)
    b=$(echo "$2" | sed '/^$/d' | sort)
    [ "$(echo "$a" | uniq -d)" = "" ] || fail "$3: duplicates: $(echo "$a" | uniq -d | tr '\n' ' ')"
    [ "$(echo "$b" | uniq -d)" = "" ] || fail "$3: duplicates: $(echo "$b" | uniq -d | tr '\n' ' ')"
    [ "$a" = "$b" ] || fail "$3: sets differ: $(diff <(echo "$a") <(echo "$b") | grep '^[<>]' | tr '\n' ' ')"
}

case $case_name in
shared)
    # good, insecure (MX mx2), implicit (the domain itself) and cname
    # (alias -> mx2) all reach 127.0.1.2.  The pool's key is (address,
    # port, MX host name): good and insecure share one assessment of
    # mx2.mailtls.test; implicit.mailtls.test and alias.mailtls.test are
    # other names (other SNI, other certificate-name verdicts), one each.
    # So the listener must log exactly 3 assessments, not 4 (one per
    # domain) and not 5 (one per MX address per domain).
    printf '%s\n' good insecure implicit cname bogus nullmx plain \
        | sed "s/\$/.$Z/" > "$work/list"
    before=$(postfix_connections mx2)
    scan --allow-reserved --db "$work/db" --output "$work/out.jsonl" "$work/list"
    expect_rc 0
    grep -q "scan 1 finished: 7 of 7 domains saved" "$errfile" \
        || fail "summary line: $(cat "$errfile")"
    same_set "$(exported "$work/db")" "$(listed "$work/list")" "database"
    same_set "$(jq -r .domain "$work/out.jsonl")" "$(listed "$work/list")" "jsonl"
    jq -e . "$work/out.jsonl" >/dev/null || fail "the jsonl is not valid JSON"
    # What the records say reached 127.0.1.2, once per distinct host name.
    keys=$(jq -r '.mx[] | .host as $h | .addresses[] | select(.address == "127.0.1.2")
                  | "\($h) \(1 + (.enumeration.connections // 0))"' "$work/out.jsonl" | sort -u)
    [ "$(echo "$keys" | wc -l)" -eq 3 ] || fail "expected 3 distinct (name, address) keys: $keys"
    want=$(echo "$keys" | awk '{s += $2} END {print s}')
    for _ in $(seq 20); do
        seen=$(( $(postfix_connections mx2) - before ))
        [ "$seen" -eq "$want" ] && break
        sleep 0.3
    done
    [ "$seen" -eq "$want" ] || fail "mx2 logged $seen connections, 3 assessments make $want"
    # good and insecure got the very same assessment of mx2.
    a=$(jq -c 'select(.domain == "good.'"$Z"'") | .mx[] | select(.host == "mx2.'"$Z"'") | .addresses[0] | {tls, enumeration}' "$work/out.jsonl")
    b=$(jq -c 'select(.domain == "insecure.'"$Z"'") | .mx[0].addresses[0] | {tls, enumeration}' "$work/out.jsonl")
    [ -n "$a" ] && [ "$a" = "$b" ] || fail "good and insecure differ on mx2"
    ;;
resume)
    # kill -9 in the middle, then the same command: every domain saved
    # exactly once, in the database and in the jsonl.
    {
        printf '%s\n' good insecure implicit cname bogus nullmx plain wrongname \
            expired selfsigned broken wild weakdh legacy strong nxdomain \
            | sed "s/\$/.$Z/"
        for i in $(seq 1 5000); do echo "nx$i.$Z"; done
    } > "$work/list"
    total=$(listed "$work/list" | wc -l)
    "$mailtls" scan "${lab_opts[@]}" --allow-reserved --quick --batch 7 \
        --concurrency 2 --db "$work/db" --output "$work/out.jsonl" "$work/list" \
        >/dev/null 2>"$work/first.err" &
    pid=$!
    for _ in $(seq 1000); do
        [ -f "$work/out.jsonl" ] && [ "$(wc -l < "$work/out.jsonl")" -ge 40 ] && break
        sleep 0.01
    done
    kill -9 "$pid" 2>/dev/null || fail "the scan ended before it could be killed"
    wait "$pid" 2>/dev/null
    saved=$(exported "$work/db" | wc -l)
    [ "$saved" -gt 0 ] && [ "$saved" -lt "$total" ] \
        || fail "after kill -9: $saved of $total saved (expected some, not all)"
    scan --allow-reserved --quick --batch 7 --concurrency 2 --db "$work/db" \
        --output "$work/out.jsonl" "$work/list"
    expect_rc 0
    grep -q "scan 1 resumed: $saved of $total" "$errfile" || fail "no resume line: $(cat "$errfile")"
    grep -q "scan 1 finished: $total of $total" "$errfile" || fail "summary: $(cat "$errfile")"
    same_set "$(exported "$work/db")" "$(listed "$work/list")" "database after resume"
    same_set "$(jq -r .domain "$work/out.jsonl")" "$(listed "$work/list")" "jsonl after resume"
    # A third run of a finished scan starts a new one and saves all again.
    scan --allow-reserved --quick --db "$work/db" "$work/list"
    expect_rc 0
    grep -q "scan 2 finished: $total of $total" "$errfile" || fail "third run: $(cat "$errfile")"
    ;;
shard)
    printf '%s\n' good insecure implicit cname bogus nullmx plain wrongname \
        expired selfsigned broken wild weakdh legacy strong nxdomain \
        | sed "s/\$/.$Z/" > "$work/list"
    for i in 0 1; do
        scan --quick --shard "$i/2" --db "$work/db$i" "$work/list"
        expect_rc 0
    done
    s0=$(exported "$work/db0"); s1=$(exported "$work/db1")
    [ -n "$s0" ] && [ -n "$s1" ] || fail "a shard is empty: [$s0] [$s1]"
    [ -z "$(comm -12 <(echo "$s0" | sort) <(echo "$s1" | sort))" ] || fail "shards overlap"
    same_set "$(printf '%s\n%s\n' "$s0" "$s1")" "$(listed "$work/list")" "shards 0/2 + 1/2"
    # The shard is the documented one: sha256(name)[:8] % 2.
    for n in $s1; do
        k=$(printf '%s' "$n" | sha256sum | cut -c1-16)
        [ $(( 0x$k % 2 )) -eq 1 ] 2>/dev/null || [ "$(python3 -c "print(int('$k',16)%2)")" = 1 ] \
            || fail "$n is in shard 1, its key says otherwise"
    done
    ;;
bad-input)
    # An invalid line: reported with its line number, skipped, not fatal.
    printf '%s\n' "good.$Z" "# comment" "not a domain!" "" "nullmx.$Z" "-bad-.$Z" > "$work/list"
    scan --quick --db "$work/db" "$work/list"
    expect_rc 0
    grep -q "^$work/list:3: " "$errfile" || fail "line 3 not reported: $(cat "$errfile")"
    grep -q "^$work/list:6: " "$errfile" || fail "line 6 not reported: $(cat "$errfile")"
    same_set "$(exported "$work/db")" "$(printf '%s\n' "good.$Z" "nullmx.$Z")" "valid lines"
    # Whole-invocation errors: one line, exit 2, nothing written.
    printf '%s\n' "good.$Z" > "$work/list"
    scan --db "$work/db2" "$work/missing-list"
    expect_rc 2
    [ "$(wc -l < "$errfile")" -eq 1 ] || fail "unreadable list: $(cat "$errfile")"
    scan --shard 2/2 --db "$work/db2" "$work/list"
    expect_rc 2
    grep -q -- "--shard 2/2" "$errfile" && [ "$(wc -l < "$errfile")" -eq 1 ] || fail "bad shard: $(cat "$errfile")"
    scan --db "$work/no/such/dir/x.db" "$work/list"
    expect_rc 2
    [ "$(wc -l < "$errfile")" -eq 1 ] || fail "missing db dir: $(cat "$errfile")"
    [ ! -e "$work/db2" ] || fail "a database was created by a failed invocation"
    scan --concurrency 0 "$work/list"
    expect_rc 2
    scan --db "$work/db2"
    expect_rc 2
    ;;
reserved)
    # The lab is all loopback: without --allow-reserved nothing connects.
    printf '%s\n' "weakdh.$Z" > "$work/list"
    before=$(postfix_connections weakdh-mx)
    scan --db "$work/db" --output "$work/out.jsonl" "$work/list"
    expect_rc 0
    sleep 0.5
    [ "$(postfix_connections weakdh-mx)" -eq "$before" ] || fail "connected to a reserved address"
    out=$(cat "$work/out.jsonl")
    jqe '.mx[0].addresses[0].smtp.status == "not-tested"' "status not-tested"
    jqe '.mx[0].addresses[0] | tostring | test("allow-reserved")' "the reason names --allow-reserved"
    ;;
exclude)
    printf '%s\n' "mx:mx1.$Z" "127.0.1.3" "wild.$Z" > "$work/exclude"
    printf '%s\n' good plain wild | sed "s/\$/.$Z/" > "$work/list"
    scan --allow-reserved --quick --exclude "$work/exclude" --db "$work/db" \
        --output "$work/out.jsonl" "$work/list"
    expect_rc 0
    same_set "$(jq -r .domain "$work/out.jsonl")" "$(printf '%s\n' "good.$Z" "plain.$Z")" "excluded domain"
    out=$(jq -c "select(.domain == \"good.$Z\")" "$work/out.jsonl")
    jqe "[.mx[] | select(.host == \"mx1.$Z\") | .addresses[] | .smtp.status] | length == 2 and all(. == \"not-tested\")" "mx1 excluded"
    jqe "[.mx[] | select(.host == \"mx1.$Z\") | .addresses[] | tostring | test(\"exclude\")] | all" "reason recorded"
    jqe "[.mx[] | select(.host == \"mx2.$Z\") | .addresses[0].smtp.status] == [\"tls-ok\"]" "mx2 scanned"
    out=$(jq -c "select(.domain == \"plain.$Z\")" "$work/out.jsonl")
    jqe '.mx[0].addresses[0].smtp.status == "not-tested"' "127.0.1.3 excluded"
    # The exclude list's content is part of the scan's identity (options).
    out=$("$mailtls" stats --db "$work/db" --json)
    jqe '.scan.options | test(" exclude=[0-9a-f]{64}$")' "exclude digest in the identity"
    ident1=$(echo "$out" | jq -r .scan.options)
    # The same entries, respelled and reordered: the same identity.
    printf '%s
' "# again" "wild.$Z." "127.0.1.3/32" "MX:MX1.$Z" > "$work/exclude2"
    scan --allow-reserved --quick --exclude "$work/exclude2" --db "$work/db" "$work/list"
    expect_rc 0
    [ "$("$mailtls" stats --db "$work/db" --json | jq -r .scan.options)" = "$ident1" ] \
        || fail "the same exclude entries gave another identity"
    # One entry more: another identity.
    echo "192.0.2.1" >> "$work/exclude2"
    scan --allow-reserved --quick --exclude "$work/exclude2" --db "$work/db" "$work/list"
    expect_rc 0
    [ "$("$mailtls" stats --db "$work/db" --json | jq -r .scan.options)" != "$ident1" ] \
        || fail "another exclude list kept the identity"
    # A bad exclude line is fatal: skipping it would scan someone who opted out.
    printf '%s\n' "300.1.2.3/8" > "$work/bad-exclude"
    scan --exclude "$work/bad-exclude" --db "$work/db3" "$work/list"
    expect_rc 2
    [ ! -e "$work/db3" ] || fail "a database was created despite a bad exclude file"
    ;;
tempfail)
    [ "$LAB_EVIL" = 1 ] || fail "needs the lab's evil_smtpd"
    # evil-tempfail answers 421: retried once, later, then saved once.
    printf '%s\n' "evil-tempfail.$Z" "nullmx.$Z" > "$work/list"
    scan --allow-reserved --quick --retry-delay 0.5 --db "$work/db" \
        --output "$work/out.jsonl" "$work/list"
    expect_rc 0
    grep -q "1 retried" "$errfile" || fail "no retry: $(cat "$errfile")"
    same_set "$(jq -r .domain "$work/out.jsonl")" "$(listed "$work/list")" "jsonl"
    out=$(jq -c "select(.domain == \"evil-tempfail.$Z\")" "$work/out.jsonl")
    jqe '.mx[0].addresses[0].smtp.status == "tempfail"' "still a temporary failure"
    ;;
*)
    fail "unknown case"
    ;;
esac
exit 0
