# shellcheck shell=bash
# tests/integration/lib.sh - what every integration case script shares
# (sourced after it has set case_name, mailtls and lab): the lab environment,
# running mailtls with the lab's resolver, trust anchor and CA, and jq
# assertions on its JSON report.

fail() { echo "FAIL [$case_name]: $*" >&2; [ -n "${out:-}" ] && echo "$out" | head -c 4000 >&2; exit 1; }

[ -r "$lab/lab.env" ] || fail "the lab is not running ($lab/lab.env missing)"
# shellcheck source=/dev/null
. "$lab/lab.env"

errfile=$(mktemp)
trap 'rm -f "$errfile"' EXIT

# mt ARG... - run mailtls; stdout into $out, exit status into $rc.  A
# sanitizer report (ASan, UBSan, LeakSanitizer) on stderr fails the case
# whatever the exit status.
mt() {
    out=$("$mailtls" "$@" 2>"$errfile")
    rc=$?
    if grep -qE 'Sanitizer|runtime error:' "$errfile"; then
        cat "$errfile" >&2
        fail "sanitizer report"
    fi
}

# run_check DOMAIN [OPTION...] - JSON report into $out, exit status into $rc.
run_check() {
    local domain=$1; shift
    mt check --json --resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" \
          --ca-file "$LAB_CA" --port "$LAB_PORT" --ehlo client.mailtls.test "$@" \
          "$domain.$LAB_ZONE"
    [ -n "$out" ] || fail "no output (rc=$rc): $(cat "$errfile")"
    echo "$out" | jq -e . >/dev/null 2>&1 || fail "output is not valid JSON (rc=$rc)"
}

# run_text DOMAIN [OPTION...] - text report into $text.
run_text() {
    local domain=$1; shift
    mt check --resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" \
          --ca-file "$LAB_CA" --port "$LAB_PORT" "$@" "$domain.$LAB_ZONE"
    text=$out
}

expect_rc() { [ "$rc" -eq "$1" ] || fail "exit status $rc, expected $1"; }

# jqe EXPR [MESSAGE] - EXPR must be true on $out.  (jq 1.6 -e succeeds on
# empty input, so emptiness is checked first.)
jqe() {
    [ -n "$out" ] || fail "no output to check: ${2:-$1}"
    echo "$out" | jq -e "$1" >/dev/null || fail "${2:-expected: $1}"
}

# has_finding ID / lacks_finding ID - anywhere in the report.
has_finding() { jqe "[.. | objects | select(has(\"id\") and has(\"fix\")) | .id] | index(\"$1\") != null" "finding $1 missing"; }
lacks_finding() { jqe "[.. | objects | select(has(\"id\") and has(\"fix\")) | .id] | index(\"$1\") == null" "unexpected finding $1"; }

