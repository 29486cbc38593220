#!/usr/bin/env bash
# tests/store/store_cases.sh - the results store end to end: `mailtls
# check --db`, `stats` and `export` on SQLite and on the private PostgreSQL
# server of pg.sh.
#
#   store_cases.sh CASE BACKEND MAILTLS STORE_FILL TEST_STORE PG_DIR WORK LAB_DIR [TCP_RELAY]
#
# BACKEND: sqlite or pg.  CASE:
#   api       the store's unit cases (test_store) against PostgreSQL
#   cli       stats and export on a filled database: numbers, formats, errors
#   check     `check --db` on names answered without a network (.invalid,
#             .test: NXDOMAIN inside libunbound), stored as check prints them
#   kill      a writer killed with SIGKILL twice, then resumed: no loss, no
#             duplicate, no partial batch
#   badfiles  (sqlite) text file, other program's database, empty, missing,
#             directory, read-only, unreadable, corrupt
#   baduri    (pg) refused connection, wrong password, no such database,
#             not a mailtls database, malformed URI; passwords never shown
#   lab       `check --db` against the test lab's servers (needs the lab)
#   diff      `mailtls diff` of two real scans of the lab, between which
#             servers change (tcp_relay, the 9th argument, puts lab
#             servers behind one address and swaps them): every class of
#             difference, text and JSON (needs the lab)
#
# store_fill writes the way `mailtls scan` will (scan_begin/resume, batches,
# finish) with realistic results: d00000000.example ..., 3 addresses per
# domain from a pool of providers, findings derived by the engine's rules.
# Whatever the rules derive, what `stats` counts must agree with what
# `export` lists.
set -u

case_name=$1 backend=$2 mailtls=$3 fill=$4 api=$5 pgdir=$6 work=$7 lab=${8:-}
relay=${9:-}
label="$case_name/$backend"
fail() { echo "FAIL [$label]: $*" >&2; exit 1; }

mkdir -p "$work"
work=$(cd "$work" && pwd)/$case_name-$backend-$$
rm -rf "$work"
mkdir -p "$work"
trap 'chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"' EXIT
err=$work/stderr

sanitizer_check() {
    if grep -qE 'Sanitizer|runtime error:' "$1"; then
        cat "$1" >&2
        fail "sanitizer report: $2"
    fi
}

# mt ARG... - run mailtls; stdout in $out, status in $rc, stderr in $err.
mt() {
    out=$("$mailtls" "$@" 2>"$err")
    rc=$?
    sanitizer_check "$err" "mailtls $*"
}

# expect_error RC TEXT - exactly one stderr line, containing TEXT.
expect_error() {
    [ "$rc" -eq "$1" ] || fail "exit status $rc, expected $1 ($(cat "$err"))"
    [ "$(wc -l < "$err")" -eq 1 ] || fail "expected one error line, got: $(cat "$err")"
    grep -qF -- "$2" "$err" || fail "error '$(cat "$err")' lacks '$2'"
}

# run_fill ARG... - store_fill; its stdout in $work/fill.out.
run_fill() {
    "$fill" "$@" >"$work/fill.out" 2>"$work/fill.err"
    local r=$?
    sanitizer_check "$work/fill.err" "store_fill $*"
    return $r
}

# stored_form - JSON Lines from `check --json` as export prints them: the
# last report of each domain, sorted by name (bytes untouched: jq would
# reformat numbers).  Every line starts {"schema":1,"domain":"NAME", and
# '"' sorts before any character of a name, so whole lines sort by name.
stored_form() {
    awk 'match($0, /"domain":"[^"]*"/) { last[substr($0, RSTART, RLENGTH)] = $0 }
         END { for (k in last) print last[k] }' | LC_ALL=C sort
}

# jqe EXPR - must hold on $out (jq 1.6 -e accepts empty input: checked first).
jqe() {
    [ -n "$out" ] || fail "no output for: $1"
    echo "$out" | jq -e "$1" >/dev/null || { echo "$out" | head -c 3000 >&2; fail "jq: $1"; }
}

pg_env() {
    [ -r "$pgdir/pg.env" ] || fail "the PostgreSQL test server is not running ($pgdir/pg.env)"
    # shellcheck source=/dev/null
    . "$pgdir/pg.env"
}

# new_db - a URI of a database nobody has used: $db.
new_db() {
    if [ "$backend" = sqlite ]; then
        db=$work/results-$RANDOM.db
    else
        pg_env
        local name="mt_${case_name}_$$_$RANDOM"
        "$PG_BIN/psql" -q -X -v ON_ERROR_STOP=1 "$PG_BASE/postgres" \
            -c "CREATE DATABASE $name" >/dev/null || fail "cannot create database $name"
        db=$PG_BASE/$name
    fi
}

case_api() {
    pg_env
    MAILTLS_TEST_PG=$PG_BASE "$api" || fail "the store's unit cases failed on PostgreSQL"
}

case_cli() {
    local n=1000 providers=97 lines stats
    new_db
    run_fill --db "$db" --domains $n --providers $providers --batch 300 --quiet \
        || fail "store_fill: $(cat "$work/fill.err")"

    mt stats --db "$db" --json
    [ "$rc" -eq 0 ] || fail "stats --json: rc $rc: $(cat "$err")"
    stats=$out
    jqe ".domains.processed == $n and .scan.domains_total == $n and .scan.id == 1"
    jqe '.scan.finished_at != null and .scan.input_path == "store_fill"'
    jqe "([.domains.verdicts[]] | add) == $n"
    jqe "([.domains.worst_severity[]] | add) == $n"
    jqe "([.domains.mx_dnssec[]] | add) == $n"
    # Generator facts: every 10th domain signed, 1 in 100 null MX / implicit.
    jqe ".domains.mx_dnssec.secure == $((n / 10))"
    jqe ".domains.null_mx == $((n / 100)) and .domains.implicit_mx == $((n / 100))"
    # 3 addresses per provider, shared by all its domains.
    jqe ".servers.unique == $((providers * 3))"
    jqe '(.servers | .starttls_ok + .no_starttls + .starttls_broken + .inconclusive + .not_tested) == .servers.unique'
    jqe '([.servers.tls_versions[]] | add) == .servers.starttls_ok'
    jqe '.servers.top_ciphers | length > 0 and length <= 10'
    jqe '.servers.enumerated > 0 and .servers.enumerated < .servers.starttls_ok'
    jqe '.servers.protocols."TLSv1.2" > 0 and .servers.protocols.SSLv2 == 0'
    jqe '.domains.findings | length > 0'
    jqe '([.domains.grades[]] | add) == .domains.processed and ([.servers.grades[]] | add) == .servers.unique'
    jqe '.domains.grades.A > 0 and .domains.mean_score > 0 and .servers.mean_score <= 100'

    mt stats --db "$db"
    [ "$rc" -eq 0 ] || fail "stats: rc $rc"
    echo "$out" | grep -q "Domains processed .* 1,000 of 1,000" || { echo "$out" >&2; fail "text stats"; }
    echo "$out" | grep -q "Unique mail servers" || fail "text stats: servers"
    echo "$out" | grep -q "Protocols accepted (servers enumerated: " || fail "text stats: protocols"

    # Export: one report per domain, sorted, unique, agreeing with stats.
    mt export --db "$db"
    [ "$rc" -eq 0 ] || fail "export: rc $rc: $(cat "$err")"
    lines=$(echo "$out" | wc -l)
    [ "$lines" -eq $n ] || fail "export: $lines lines, expected $n"
    echo "$out" | jq -e -s "length == $n and all(.schema == 1)" >/dev/null || fail "export: invalid JSON Lines"
    echo "$out" | jq -r .domain > "$work/names"
    LC_ALL=C sort -c -u "$work/names" || fail "export: domains not sorted and unique"
    local crit none nullmx tls12 enumerated grade_a
    crit=$(echo "$out" | jq -s '[.[] | select(.summary.worst_severity == "critical")] | length')
    grade_a=$(echo "$out" | jq -s '[.[] | select(.grade.letter == "A")] | length')
    none=$(echo "$out" | jq -s '[.[] | select(.summary.worst_severity == null)] | length')
    nullmx=$(echo "$out" | jq -s '[.[] | select(.null_mx)] | length')
    out=$stats
    jqe ".domains.worst_severity.critical == $crit and .domains.worst_severity.none == $none"
    jqe ".domains.null_mx == $nullmx and .domains.grades.A == $grade_a"

    mt export --db "$db" --format csv
    [ "$rc" -eq 0 ] || fail "export csv: rc $rc"
    [ "$(echo "$out" | wc -l)" -eq $((n + 1)) ] || fail "csv: line count"
    echo "$out" | head -1 | grep -q '^domain,verdict,worst_severity,' || fail "csv header"
    echo "$out" | tr -d '\r' | awk -F, 'NF != 19 { bad++ } END { exit bad > 0 }' \
        || fail "csv: a row without 19 cells"
    echo "$out" | sed -n 2p | grep -q '^d00000000\.example,' || fail "csv: first row"

    mt export --db "$db" --per server
    [ "$rc" -eq 0 ] || fail "export per server: rc $rc"
    [ "$(echo "$out" | wc -l)" -eq $((providers * 3)) ] || fail "per server: row count"
    echo "$out" | jq -e -s 'all(.domains > 0 and (.mx_hosts | length) > 0)' >/dev/null \
        || fail "per server: domains/mx_hosts"
    echo "$out" | jq -e -s "(map(select(.smtp_class == \"starttls-ok\")) | length) == $(echo "$stats" | jq .servers.starttls_ok)" >/dev/null \
        || fail "per server: starttls-ok count differs from stats"
    enumerated=$(echo "$out" | jq -s 'map(select(.enumeration != null)) | length')
    tls12=$(echo "$out" | jq -s 'map(select(.enumeration.protocols."TLSv1.2" == "yes")) | length')
    out=$stats
    jqe ".servers.enumerated == $enumerated and .servers.protocols.\"TLSv1.2\" == $tls12"
    mt export --db "$db" --per server --format csv
    [ "$(echo "$out" | wc -l)" -eq $((providers * 3 + 1)) ] || fail "per server csv: row count"
    echo "$out" | tr -d '\r' | awk -F, 'NF != 32 { bad++ } END { exit bad > 0 }' \
        || fail "per server csv: a row without 32 cells"

    # A reader that stops early is no error worth a line.
    "$mailtls" export --db "$db" 2>"$err" | head -1 | jq -e .domain >/dev/null \
        || fail "export | head"
    [ ! -s "$err" ] || fail "export | head printed: $(cat "$err")"

    # Usage and lookup errors.
    mt export --db "$db" --scan 999
    expect_error 2 "no scan 999"
    mt stats --db "$db" --scan abc
    expect_error 2 "--scan abc: not a scan id"
    mt export --db "$db" --format xml
    expect_error 2 "--format xml"
    mt export --db "$db" --per mx
    expect_error 2 "--per mx"
    mt stats --db "$db" extra
    expect_error 2 "unexpected argument"
    mt stats --db
    expect_error 2 "missing value"

    # The same list again: a new scan (the first is finished); the old
    # one stays readable with --scan.
    run_fill --db "$db" --domains 100 --providers $providers --quiet || fail "second run"
    mt stats --db "$db" --json
    jqe '.scan.id == 2 and .domains.processed == 100'
    mt stats --db "$db" --json --scan 1
    jqe ".scan.id == 1 and .domains.processed == $n"
}

# check --db with names libunbound answers itself (RFC 6761): no network.
case_check() {
    local names=(b.invalid a.invalid nothing.test a.invalid) want
    new_db
    mt check --db "$db" --json "${names[@]}"
    [ "$rc" -eq 2 ] || fail "check: rc $rc, expected 2 (NXDOMAIN): $(cat "$err")"
    [ ! -s "$err" ] || fail "check printed: $(cat "$err")"
    want=$(echo "$out" | stored_form)
    [ "$(echo "$want" | wc -l)" -eq 3 ] || fail "check output: $out"

    mt stats --db "$db" --json
    [ "$rc" -eq 0 ] || fail "stats: rc $rc: $(cat "$err")"
    jqe '.scan.id == 1 and .scan.input_path == "check" and .scan.domains_total == 4'
    jqe '.scan.finished_at != null and (.scan.options | startswith("check port=25 "))'
    jqe '.domains.processed == 3 and .domains.verdicts."dns-failure" == 3'
    jqe '.domains.findings."domain-nxdomain" == 3 and .servers.unique == 0'
    # Stored as check printed it (one line per domain, sorted by name).
    mt export --db "$db"
    [ "$rc" -eq 0 ] || fail "export: rc $rc"
    [ "$out" = "$want" ] || { diff <(echo "$out") <(echo "$want") >&2; fail "export differs from check --json"; }

    # Again: a new scan; the text report path saves too.
    mt check --db "$db" a.invalid
    [ "$rc" -eq 2 ] || fail "second check: rc $rc"
    echo "$out" | grep -q "mailtls report for a.invalid" || fail "text report missing"
    mt stats --db "$db" --json
    jqe '.scan.id == 2 and .domains.processed == 1'
    mt stats --db "$db" --json --scan 1
    jqe '.domains.processed == 3'

    # A database that cannot be used: one line, exit 2, nothing checked.
    if [ "$backend" = sqlite ]; then
        mt check --db "$work/no/such/dir/x.db" a.invalid
        expect_error 2 "cannot create: No such file or directory"
        [ -z "$out" ] || fail "a report was printed without a database"
        seq 1 100 > "$work/notes.txt"
        mt check --db "$work/notes.txt" a.invalid
        expect_error 2 "file is not a database"
    else
        mt check --db "postgresql://mailtls:s3cret@127.0.0.1:1/x" a.invalid
        expect_error 2 "Connection refused"
        grep -q s3cret "$err" && fail "the password was printed"
    fi
    mt check --db "" a.invalid
    expect_error 2 "--db: no database given"
}

# A writer killed with SIGKILL twice at random moments, then run to the end:
# the scan resumes (same id), nothing is lost, nothing doubled.
case_kill() {
    local n=6000 batch=200 pid round done_lines
    new_db
    run_fill --db "$db" --domains 10 --providers 5 --quiet || fail "schema"
    for round in 1 2; do
        "$fill" --db "$db" --domains $n --providers 300 --batch $batch --quiet \
            >/dev/null 2>"$work/fill.err" &
        pid=$!
        sleep "0.$((3 + RANDOM % 7))"
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
    done
    mt export --db "$db" --scan 2
    [ "$rc" -eq 0 ] || fail "export after the kills: $(cat "$err")"
    done_lines=$(echo -n "$out" | grep -c . || true)
    [ $((done_lines % batch)) -eq 0 ] || fail "a partial batch survived: $done_lines rows"
    run_fill --db "$db" --domains $n --providers 300 --batch $batch \
        || fail "resume: $(cat "$work/fill.err")"
    if [ "$done_lines" -gt 0 ]; then
        grep -q "resumed scan 2: $done_lines domains done" "$work/fill.out" \
            || fail "no resume: $(cat "$work/fill.out")"
    fi
    grep -q "scan 2: $((n - done_lines)) domains saved" "$work/fill.out" \
        || fail "resume redid the wrong number: $(cat "$work/fill.out")"
    mt stats --db "$db" --json
    jqe ".scan.id == 2 and .domains.processed == $n and .scan.finished_at != null"
    mt export --db "$db"
    [ "$(echo "$out" | jq -r .domain | sort -u | wc -l)" -eq $n ] || fail "lost or doubled domains"
    [ "$(echo "$out" | wc -l)" -eq $n ] || fail "duplicate rows"
}

case_badfiles() {
    local f sum as=()
    [ "$(id -u)" -eq 0 ] && as=(runuser -u nobody --)
    f=$work/notes.txt
    seq 1 500 > "$f"
    sum=$(md5sum < "$f")
    mt stats --db "$f"
    expect_error 2 "mailtls: database $f: file is not a database"
    run_fill --db "$f" --domains 10 && fail "store_fill wrote into a text file"
    grep -q "file is not a database" "$work/fill.err" || fail "fill error: $(cat "$work/fill.err")"
    [ "$(md5sum < "$f")" = "$sum" ] || fail "the text file was changed"
    [ ! -e "$f-wal" ] || fail "a WAL file was left beside the text file"

    mt stats --db "$work/missing.db"
    expect_error 2 "no such database"
    [ ! -e "$work/missing.db" ] || fail "a reader created the database"
    mt export --db "sqlite:$work/missing.db"
    expect_error 2 "no such database"
    mt export --db "$work"
    expect_error 2 "is a directory"
    : > "$work/empty.db"
    mt stats --db "$work/empty.db"
    expect_error 2 "not a mailtls database"
    mt stats --db "mysql://localhost/x"
    expect_error 2 "unsupported database URI"
    run_fill --db "$work/no/such/dir/x.db" --domains 10 && fail "wrote into a missing directory"
    grep -q "cannot create: No such file or directory" "$work/fill.err" \
        || fail "fill error: $(cat "$work/fill.err")"

    # Read-only: refused to the writer, untouched, still readable.
    chmod 0755 "$work"
    run_fill --db "$work/ro.db" --domains 50 --providers 7 --quiet || fail "setup ro.db"
    chmod 0444 "$work/ro.db"
    sum=$(md5sum < "$work/ro.db")
    "${as[@]}" "$fill" --db "$work/ro.db" --domains 60 --providers 7 \
        >/dev/null 2>"$work/fill.err" && fail "wrote into a read-only database"
    grep -q "database is read-only" "$work/fill.err" || fail "fill error: $(cat "$work/fill.err")"
    [ "$(md5sum < "$work/ro.db")" = "$sum" ] || fail "the read-only database was changed"
    out=$("${as[@]}" "$mailtls" stats --db "$work/ro.db" --json 2>"$err")
    rc=$?
    [ "$rc" -eq 0 ] || fail "stats on a read-only database: $(cat "$err")"
    jqe '.domains.processed == 50'

    # Unreadable: one clear line for readers and for check --db.
    run_fill --db "$work/private.db" --domains 5 --providers 7 --quiet || fail "setup private.db"
    chmod 0 "$work/private.db"
    out=$("${as[@]}" "$mailtls" export --db "$work/private.db" 2>"$err")
    rc=$?
    expect_error 2 "Permission denied"
    out=$("${as[@]}" "$mailtls" check --db "$work/private.db" a.invalid 2>"$err")
    rc=$?
    expect_error 2 "Permission denied"

    # Corrupt: a valid database with its pages overwritten in the middle.
    run_fill --db "$work/corrupt.db" --domains 300 --providers 7 --quiet || fail "setup corrupt.db"
    dd if=/dev/urandom of="$work/corrupt.db" bs=4096 seek=3 count=30 conv=notrunc 2>/dev/null
    mt export --db "$work/corrupt.db"
    [ "$rc" -eq 2 ] || fail "export of a corrupt database: rc $rc"
    [ "$(wc -l < "$err")" -eq 1 ] || fail "corrupt: expected one error line: $(cat "$err")"
    grep -qE "malformed|not a database|not a mailtls" "$err" || fail "corrupt: $(cat "$err")"
}

case_baduri() {
    pg_env
    local hostport=${PG_BASE##*@}
    mt stats --db "postgresql://mailtls:s3cret@127.0.0.1:1/mailtls"
    expect_error 2 "Connection refused"
    grep -q "s3cret" "$err" && fail "the password was printed"
    grep -qF "postgresql://mailtls:***@127.0.0.1:1/mailtls" "$err" || fail "URI not shown masked"
    mt export --db "postgresql://mailtls:wrong@$hostport/postgres"
    expect_error 2 "password authentication failed"
    grep -q ":wrong@" "$err" && fail "the password was printed"
    mt stats --db "$PG_BASE/nosuchdb"
    expect_error 2 'database "nosuchdb" does not exist'
    mt stats --db "$PG_BASE/postgres"
    expect_error 2 "not a mailtls database"
    mt stats --db "postgresql://[::1"
    expect_error 2 "IPv6 host address"
    mt export --db "postgresql://$hostport/x?password=s3cret&bogus=1"
    expect_error 2 'invalid URI query parameter: "bogus"'
    grep -q "s3cret" "$err" && fail "the password was printed"
    run_fill --db "postgres://mailtls:x@127.0.0.1:1/x" --domains 1 && fail "store_fill connected to nothing"
    grep -q "Connection refused" "$work/fill.err" || fail "fill: $(cat "$work/fill.err")"
}

# check --db against the lab: what stats and export show comes from real
# servers (a TLS 1.0-1.2 server, enumerated; no STARTTLS; expired
# certificate; null MX).
case_lab() {
    [ -r "$lab/lab.env" ] || fail "the lab is not running ($lab/lab.env missing)"
    # shellcheck source=/dev/null
    . "$lab/lab.env"
    local want
    new_db
    mt check --db "$db" --json --resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" \
        --ca-file "$LAB_CA" --port "$LAB_PORT" --ehlo client.mailtls.test \
        "legacy.$LAB_ZONE" "plain.$LAB_ZONE" "expired.$LAB_ZONE" "nullmx.$LAB_ZONE"
    [ "$rc" -eq 1 ] || fail "check: rc $rc, expected 1 (plain has no STARTTLS): $(cat "$err")"
    want=$(echo "$out" | stored_form)

    mt stats --db "$db" --json
    [ "$rc" -eq 0 ] || fail "stats: $(cat "$err")"
    jqe '.domains.processed == 4 and .domains.verdicts.ok == 3 and .domains.verdicts."tls-failure" == 1'
    jqe '.domains.verdicts.inconclusive == 0 and .domains.null_mx == 1'
    jqe '.servers.unique == 3 and .servers.starttls_ok == 2 and .servers.no_starttls == 1'
    jqe '.servers.enumerated == 2 and .servers.protocols."TLSv1.0" == 1'
    jqe '.servers.protocols."TLSv1.2" == 2 and .servers.protocols.SSLv3 == 0'
    jqe '.domains.findings."no-starttls" == 1 and .domains.findings."cert-expired" == 1'
    jqe '.domains.findings."protocol-tls10-tls11" == 1 and .domains.mx_dnssec.secure == 4'
    jqe '([.domains.grades[]] | add) == 4 and .domains.grades.F == 1 and .domains.grades.not_graded == 1'

    mt export --db "$db"
    [ "$out" = "$want" ] || { diff <(echo "$out") <(echo "$want") >&2; fail "export differs from check --json"; }
    # The grade columns hold the reports' grades.
    echo "$out" | jq -r '[.domain, (.grade.letter // ""), (.grade.encryption // "" | tostring)] | join(",")' \
        > "$work/grades.report"
    mt export --db "$db" --format csv
    echo "$out" | tr -d '\r' | awk -F, 'NR > 1 { print $1 "," $4 "," $5 }' > "$work/grades.csv"
    diff "$work/grades.report" "$work/grades.csv" >&2 || fail "csv grades differ from the reports'"
    mt export --db "$db" --per server
    out=$(echo "$out" | jq -c -s .)
    jqe 'map(.address) == ["127.0.1.10", "127.0.1.3", "127.0.1.5"]'
    jqe '.[0].enumeration.protocols."TLSv1.0" == "yes" and .[0].tls_version == "TLSv1.2"'
    jqe '.[1].smtp_class == "no-starttls" and .[1].tls_version == null and .[1].enumeration == null'
    jqe '.[2].cert_not_after == "2021-01-01T00:00:00Z" and .[2].cert_verified == false'
    jqe '.[2].cert_verify_error == "certificate has expired" and .[2].mx_hosts == ["expired-mx.mailtls.test"]'

    # Authentication adoption, counted from the stored reports.
    new_db
    mt check --db "$db" --json --quick --resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" \
        --ca-file "$LAB_CA" --port "$LAB_PORT" --ehlo client.mailtls.test \
        "dane-good.$LAB_ZONE" "sts-strong.$LAB_ZONE" "sts-testing.$LAB_ZONE"
    [ "$rc" -eq 0 ] || fail "check (auth): rc $rc: $(cat "$err")"
    mt stats --db "$db" --json
    [ "$rc" -eq 0 ] || fail "stats: $(cat "$err")"
    jqe '.domains.authentication.dane == {"authenticated": 2, "not-applicable": 1}'
    jqe '.domains.authentication.mta_sts == {"enforce": 1, "no-record": 1, "testing": 1}'
    jqe '.domains.authentication.tls_rpt == {"bad-scheme": 1, "no-record": 1, "ok": 1}'
    mt stats --db "$db"
    echo "$out" | grep -q '^MTA-STS (domains, by policy mode or state)' \
        || fail "stats text lacks the MTA-STS section"
}

# start_relay PAIR... - tcp_relay with LISTEN=TARGET pairs, up when its
# pid file appears; stop_relay ends it.
relay_pid=
start_relay() {
    rm -f "$work/relay.pid"
    "$relay" --pidfile "$work/relay.pid" --log "$work/relay.log" "$@" 2>>"$work/relay.err" &
    relay_pid=$!
    for _ in $(seq 100); do
        [ -s "$work/relay.pid" ] && return 0
        kill -0 "$relay_pid" 2>/dev/null || fail "tcp_relay did not start: $(cat "$work/relay.err")"
        sleep 0.05
    done
    fail "tcp_relay did not start in 5 s"
}
stop_relay() {
    [ -n "$relay_pid" ] || return 0
    kill "$relay_pid" 2>/dev/null
    wait "$relay_pid" 2>/dev/null
    relay_pid=
}

# Two scans of the lab through tcp_relay on PORT (one per backend: the
# sqlite and pg cases may run at once).  Between them the relay swaps
# what stands behind two addresses:
#   127.0.1.2 (implicit, cname -> alias -> mx2): mx2, then plain-mx:
#       STARTTLS lost, server and domain grades fall, no-starttls appears
#   127.0.1.3 (plain): plain-mx, then expired-mx: STARTTLS gained, an
#       expired certificate, no-starttls gone, cert-expired appears
#   127.0.1.4 (wrongname): wrongname-mx both times: no change (its
#       certificate, valid for years, only shows with a long --expiring)
# and the lists differ: nullmx only in the first, nxdomain only in the
# second.
case_diff() {
    [ -r "$lab/lab.env" ] || fail "the lab is not running ($lab/lab.env missing)"
    [ -x "$relay" ] || fail "tcp_relay not given"
    # shellcheck source=/dev/null
    . "$lab/lab.env"
    local port=2626 z=$LAB_ZONE scan_opts
    [ "$backend" = pg ] && port=2636
    scan_opts=(--resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" --ca-file "$LAB_CA"
               --port "$port" --ehlo client.mailtls.test --allow-reserved --quick
               --retries 0)
    trap 'stop_relay; chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"' EXIT
    new_db
    printf '%s\n' implicit cname plain wrongname nullmx | sed "s/\$/.$z/" > "$work/list1"
    printf '%s\n' implicit cname plain wrongname nxdomain | sed "s/\$/.$z/" > "$work/list2"

    start_relay 127.0.1.2:$port=127.0.1.2:$LAB_PORT 127.0.1.3:$port=127.0.1.3:$LAB_PORT \
        127.0.1.4:$port=127.0.1.4:$LAB_PORT
    mt scan "${scan_opts[@]}" --db "$db" "$work/list1"
    [ "$rc" -eq 0 ] || fail "scan 1: rc $rc: $(cat "$err")"
    stop_relay
    start_relay 127.0.1.2:$port=127.0.1.3:$LAB_PORT 127.0.1.3:$port=127.0.1.5:$LAB_PORT \
        127.0.1.4:$port=127.0.1.4:$LAB_PORT
    mt scan "${scan_opts[@]}" --db "$db" "$work/list2"
    [ "$rc" -eq 0 ] || fail "scan 2: rc $rc: $(cat "$err")"
    stop_relay

    mt diff --db "$db" --json 1 2
    [ "$rc" -eq 0 ] || fail "diff --json: rc $rc: $(cat "$err")"
    [ ! -s "$err" ] || fail "diff printed: $(cat "$err")"
    jqe '.schema == 1 and .from.id == 1 and .to.id == 2 and .expiring_days == 30'
    jqe ".domains_added == [{\"domain\": \"nxdomain.$z\", \"grade\": null, \"score\": null}]"
    jqe ".domains_removed | map(.domain) == [\"nullmx.$z\"]"
    # Domain grades: the two behind 127.0.1.2 fall to F; plain changes too.
    jqe ".domain_grades | map(.domain) == [\"cname.$z\", \"implicit.$z\", \"plain.$z\"]"
    jqe '.domain_grades | map(select(.domain | startswith("plain") | not)) | all(.grade_before != "F" and .grade_after == "F")'
    jqe '.server_grades | map("\(.address):\(.port)") | index("127.0.1.2:'$port'") != null'
    jqe '.server_grades | map(.address) | index("127.0.1.4") == null'
    jqe ".starttls_lost == [{\"address\": \"127.0.1.2\", \"port\": $port,
        \"class_before\": \"starttls-ok\", \"class_after\": \"no-starttls\",
        \"status_before\": \"tls-ok\", \"status_after\": \"no-starttls\",
        \"mx_hosts\": [\"alias.$z\", \"implicit.$z\"], \"domains\": 2}]"
    jqe ".starttls_gained | length == 1 and .[0].address == \"127.0.1.3\" and .[0].class_after == \"starttls-ok\""
    jqe ".starttls_gained[0].class_before == \"no-starttls\" and .starttls_gained[0].mx_hosts == [\"plain-mx.$z\"]"
    jqe '.certificates_expiring | length == 1 and .[0].address == "127.0.1.3"'
    jqe '.certificates_expiring[0] | .expired and .not_after == "2021-01-01T00:00:00Z" and .days_left < -365'
    jqe ".findings_appeared | map(select(.finding == \"no-starttls\")) | map([.domain, .mx_host]) == [[\"cname.$z\", \"alias.$z\"], [\"implicit.$z\", \"implicit.$z\"]]"
    jqe ".findings_appeared | map(select(.finding == \"cert-expired\")) | map(.domain) == [\"plain.$z\"]"
    jqe ".findings_gone | map(select(.finding == \"no-starttls\")) | map([.domain, .mx_host, .severity]) == [[\"plain.$z\", \"plain-mx.$z\", \"critical\"]]"
    jqe "[.findings_appeared[], .findings_gone[]] | map(.domain) | index(\"wrongname.$z\") == null"
    jqe '.counts.starttls_lost == 1 and .counts.domains_added == 1 and .counts.findings_appeared == (.findings_appeared | length)'

    # A long --expiring reaches wrongname's certificate (the lab's leaves
    # are valid for years); 0 keeps only what has expired.
    mt diff --db "$db" --json --expiring 36500 1 2
    jqe '.certificates_expiring | map(.address) == ["127.0.1.3", "127.0.1.4"]'
    jqe '.certificates_expiring[1] | (.expired | not) and .days_left > 30 and .mx_hosts == ["wrongname-mx.'$z'"]'
    mt diff --db "$db" --json --expiring 0 1 2
    jqe '.certificates_expiring | map(.address) == ["127.0.1.3"]'
    # The other way round, everything swaps sides.
    mt diff --db "$db" --json 2 1
    jqe "(.domains_added | map(.domain)) == [\"nullmx.$z\"] and (.domains_removed | map(.domain)) == [\"nxdomain.$z\"]"
    jqe '(.starttls_gained | map(.address)) == ["127.0.1.2"] and (.starttls_lost | map(.address)) == ["127.0.1.3"]'
    # Same scan: nothing but the certificates.
    mt diff --db "$db" --json 2 2
    jqe '.counts | .domains_added + .domains_removed + .domain_grades + .server_grades + .starttls_lost + .starttls_gained + .findings_appeared + .findings_gone == 0'

    # Text for people: the same facts.
    mt diff --db "$db" 1 2
    [ "$rc" -eq 0 ] || fail "diff: rc $rc: $(cat "$err")"
    echo "$out" | grep -q "^Scan 1 (started .*, 5 domains) -> scan 2 (started .*, 5 domains)$" || { echo "$out" >&2; fail "text heading"; }
    echo "$out" | sed -n '/^STARTTLS lost$/,/^$/p' | grep -q "^  127.0.1.2:$port  tls-ok -> no-starttls  (2 domains; MX alias.$z implicit.$z)$" \
        || { echo "$out" >&2; fail "text: STARTTLS lost"; }
    echo "$out" | sed -n '/^Certificates expiring/,/^$/p' | grep -q "^  127.0.1.3:$port  expired 2021-01-01" \
        || { echo "$out" >&2; fail "text: expiring"; }
    echo "$out" | grep -q "^Summary: domains_added 1, domains_removed 1, domain_grades 3," \
        || { echo "$out" >&2; fail "text: summary"; }

    # Bad input: one line, exit 2.
    mt diff --db "$db" 1
    expect_error 2 "two scan ids expected"
    mt diff --db "$db" 1 x
    expect_error 2 "x: not a scan id"
    mt diff --db "$db" 1 9
    expect_error 2 "no scan 9"
    mt diff --db "$db" --expiring -3 1 2
    expect_error 2 "--expiring -3: not a number of days"
    mt diff --db "$work/none.db" 1 2
    expect_error 2 "no such database"
}

case $case_name in
    api) case_api ;;
    diff) case_diff ;;
    cli) case_cli ;;
    check) case_check ;;
    kill) case_kill ;;
    badfiles) case_badfiles ;;
    baduri) case_baduri ;;
    lab) case_lab ;;
    *) fail "unknown case" ;;
esac
exit 0
