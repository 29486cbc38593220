#!/usr/bin/env bash
# tests/web/web_cases.sh - `mailtls serve` over HTTP (curl + jq), against the
# real servers of the test lab (tests/lab/LAB.md).
#
#   web_cases.sh CASE MAILTLS_BINARY LAB_DIR WORK_DIR [PG_DIR]
#
# Each case starts its own `mailtls serve` on a free loopback port with the
# lab's resolver, trust anchor and CA (and --allow-private, except where the
# case is the refusal of reserved addresses), talks to it with curl, and
# stops it.  Assertions are on status codes, content types, headers, the
# JSON (schema of docs/json.md, equality with the CLI's output) and the
# HTML (escaping, grades, findings).
set -u

case_name=$1
mailtls=$2
lab=$3
workroot=$4
pgdir=${5:-}

fail() {
    echo "FAIL [web.$case_name]: $*" >&2
    [ -n "${body:-}" ] && echo "$body" | head -c 3000 >&2
    [ -s "${servelog:-/dev/null}" ] && { echo "--- serve log:" >&2; tail -20 "$servelog" >&2; }
    exit 1
}

[ -r "$lab/lab.env" ] || fail "the lab is not running ($lab/lab.env missing)"
# shellcheck source=/dev/null
. "$lab/lab.env"
Z=$LAB_ZONE
mkdir -p "$workroot"
work=$(mktemp -d "$workroot/$case_name.XXXXXX")
pid=
method_path=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        wait "$pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# serve [OPTION...] - start mailtls serve in the background on a free port:
# $base is its URL, $pid its process, $servelog its stderr.
serve() {
    local port
    servelog=$work/serve.log
    for _ in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 40000))
        "$mailtls" serve --listen "127.0.0.1:$port" --resolver "$LAB_RESOLVER" \
            --trust-anchor "$LAB_TA" --ca-file "$LAB_CA" --port "$LAB_PORT" \
            --ehlo client.mailtls.test "$@" >"$work/serve.out" 2>"$servelog" &
        pid=$!
        base=http://127.0.0.1:$port
        for _ in $(seq 50); do
            if curl -s -o /dev/null "$base/static/style.css"; then
                return 0
            fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        wait "$pid" 2>/dev/null
        pid=
        grep -q "cannot listen" "$servelog" || fail "serve did not start: $(cat "$servelog")"
    done
    fail "no free port for serve"
}

# stop - SIGTERM; serve must exit 0 and leave no sanitizer report.
stop() {
    kill -TERM "$pid"
    wait "$pid"
    local rc=$?
    pid=
    [ "$rc" -eq 0 ] || fail "serve exited with $rc after SIGTERM"
    if grep -qE 'Sanitizer|runtime error:' "$servelog"; then
        cat "$servelog" >&2
        fail "sanitizer report"
    fi
}

# req METHOD PATH [CURL_OPTION...] - $status, $ctype, $body, headers in $work/h.
req() {
    local method=$1 path=$2; shift 2
    local out
    out=$(curl -s -X "$method" -D "$work/h" -o "$work/body" \
        -w '%{http_code} %{content_type}' "$@" "$base$path") || fail "curl $method $path failed"
    status=${out%% *}
    ctype=${out#* }
    body=$(cat "$work/body")
}
get() { req GET "$@"; }

header() { grep -i "^$1:" "$work/h" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

expect() {
    [ "$status" = "$1" ] || fail "$method_path: status $status, expected $1"
    [ -z "${2:-}" ] || [[ "$ctype" == "$2"* ]] || fail "$method_path: content type '$ctype', expected $2"
}

# at PATH - remember what is being asserted, for messages.
at() { method_path=$1; }

jqe() {
    echo "$body" | jq -e "$1" >/dev/null 2>&1 || fail "${2:-jq: $1}"
}

has() { grep -qF -- "$1" <<<"$body" || fail "${2:-body lacks: $1}"; }
lacks() { ! grep -qF -- "$1" <<<"$body" || fail "${2:-body has: $1}"; }

# wait_done DOMAIN - poll /api/check/DOMAIN until it is not 202 (90 s).
wait_done() {
    local i
    for i in $(seq 450); do
        get "/api/check/$1"
        [ "$status" != 202 ] && return 0
        sleep 0.2
    done
    fail "the check of $1 did not finish"
}

postfix_connections() {
    grep -c " $1 postfix/smtpd\[[0-9]*\]: connect from" "$lab/log/postfix.log"
}

html_common() {
    expect 200 text/html
    [ "$(header Content-Security-Policy)" = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'" ] \
        || fail "$method_path: CSP header missing or weak: $(header Content-Security-Policy)"
    [ "$(header X-Content-Type-Options)" = nosniff ] || fail "no nosniff"
    has '<meta name="viewport"' "no viewport meta (phones)"
    lacks '<script' "a page has a script element"
    lacks ' style="' "inline style (CSP forbids it)"
}

case $case_name in
routes)
    serve --allow-private --db "$work/db"
    at /; get /; html_common
    has 'Does your mail server support STARTTLS? Test it!'
    has '<form class="check" method="get" action="/check">'
    has 'No domain tested yet.'
    at HEAD/; req HEAD / -I; expect 200 text/html; lacks "<!doctype" "HEAD has a body"
    [ "$(header Content-Length)" -gt 1000 ] || fail "HEAD: Content-Length $(header Content-Length)"
    at /static/style.css; get /static/style.css; expect 200 text/css
    has 'prefers-color-scheme'
    at '/check?domain='; get "/check?domain=+Good.MailTLS.test.+"; expect 303
    [ "$(header Location)" = "/check/good.$Z" ] || fail "Location $(header Location)"
    get "/check?domain=b%C3%BCcher.example"; expect 303
    [ "$(header Location)" = "/check/xn--bcher-kva.example" ] || fail "IDN Location $(header Location)"
    at 'empty form'; get "/check?domain="; expect 400 text/html; has 'no domain given'
    at 'no domain key'; get "/check"; expect 400 text/html
    at 'bad domain'; get "/check/exa_mple.org"; expect 400 text/html; has 'invalid domain'
    at 'URL as domain'; get "/check?domain=https%3A%2F%2Fexample.org%2F"; expect 400 text/html
    at 'an address'; get "/check?domain=user%40example.org"; expect 400 text/html
    at 'NUL'; get "/api/check/a%00b.org"; expect 400 application/json
    jqe '.error == "bad-request" and (.detail | type == "string")'
    at 'markup in a bad domain'; get "/check?domain=%3Cscript%3Ex"; expect 400 text/html
    lacks '<script' "an error page echoes markup"
    at 'unknown page'; get /nope; expect 404 text/html; has 'Page not found'
    at 'unknown api'; get /api/nope; expect 404 application/json; jqe '.error == "not-found"'
    at 'deeper path'; get "/check/a.org/x"; expect 404 text/html
    at 'PUT /'; req PUT /; expect 405 text/html
    [ "$(header Allow)" = "GET, HEAD" ] || fail "Allow: $(header Allow)"
    at 'DELETE api'; req DELETE "/api/check/good.$Z"; expect 405 application/json
    [ "$(header Allow)" = "GET, HEAD, POST" ] || fail "Allow: $(header Allow)"
    jqe '.error == "method-not-allowed"'
    at 'POST /stats'; req POST /stats; expect 405 text/html
    at 'long URI'; get "/check/$(printf 'a%.0s' $(seq 9000)).org"
    [[ "$status" == 4* ]] || fail "a 9 kB URI gave $status"
    at 'many headers'
    hdrs=(); for i in $(seq 400); do hdrs+=(-H "X-Pad-$i: $(printf 'x%.0s' $(seq 40))"); done
    get / "${hdrs[@]}"
    [[ "$status" == 4* ]] || fail "16 kB of headers gave $status"
    at 'status none'; get "/api/status/good.$Z"; expect 200 application/json
    jqe ".domain == \"good.$Z\" and .state == \"none\""
    at 'bad scan'; get "/stats?scan=x"; expect 400 text/html
    at 'no such scan'; get "/api/stats?scan=999"; expect 404 application/json; jqe '.error == "no-scan"'
    at /stats; get /stats; html_common; has '<svg class="chart"'
    stop
    ;;
check)
    # A lab domain end to end: 202 while it runs, then the report, cached.
    # While a check runs (evil-silent never greets: --timeout 3 s).
    serve --allow-private --db "$work/db" --timeout 3
    s=evil-silent.$Z
    at "/api/check/$s"; get "/api/check/$s"; expect 202 application/json
    jqe ".domain == \"$s\" and .status == \"running\" and (.elapsed_ms | type == \"number\")"
    [ -n "$(header Retry-After)" ] || fail "202 without Retry-After"
    at "/check/$s (running)"; get "/check/$s"; html_common
    has '<meta http-equiv="refresh" content="2">' "the progress page does not reload itself"
    has '<progress' ; has "Checking <span class=\"domain\">$s</span>"
    at "/api/status/$s"; get "/api/status/$s"; expect 200 application/json; jqe '.state == "running"'
    d=weakdh.$Z
    at "/api/check/$d"; get "/api/check/$d"; expect 202 application/json
    wait_done "$d"
    at "/api/check/$d (done)"; expect 200 application/json
    [ -n "$(header Age)" ] || fail "no Age header"
    api=$body
    # The JSON is the CLI's: same schema, same keys at every level.
    body=$("$mailtls" check --json --resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" \
        --ca-file "$LAB_CA" --port "$LAB_PORT" --ehlo client.mailtls.test "$d")
    cli_paths=$(echo "$body" | jq -c '[paths | map(if type == "number" then 0 else . end)] | unique')
    api_paths=$(echo "$api" | jq -c '[paths | map(if type == "number" then 0 else . end)] | unique')
    [ "$cli_paths" = "$api_paths" ] || fail "the API's JSON has other keys than check --json"
    body=$api
    jqe ".schema == 1 and .domain == \"$d\" and .grade.letter == \"C\""
    jqe '[.. | objects | select(has("id") and has("fix")) | .id] | index("dh-group-too-small") != null'
    at "/check/$d (done)"; get "/check/$d"; html_common
    has '<span class="grade g-c lg">C</span>' "the domain grade badge"
    has 'dh-group-too-small' "the finding"
    has 'Fix:' ; has '<h3>Certificate</h3>'; has '<h3>Protocol</h3>'
    has '<h3>Key exchange</h3>'; has '<h3>Cipher</h3>'; has '<h3>DNSSEC</h3>'
    has '<h3>DANE</h3>'; has '<h3>MTA-STS</h3>'; has '<h3>TLS-RPT</h3>'
    has 'Sending servers' "the client table"
    has 'score 94/100'
    has 'disabled title="checked recently' "Revalidate must be off inside the cache window"
    checked=$(echo "$api" | jq -r .checked_at)
    # POST inside the cache window: served from the cache, no new check.
    at "POST /check/$d"; req POST "/check/$d"; expect 303
    [ "$(header Location)" = "/check/$d" ] || fail "Location $(header Location)"
    get "/api/status/$d"; jqe '.state == "done"' "a revalidation inside the window started a check"
    at "POST /api/check/$d"; req POST "/api/check/$d"; expect 200 application/json
    jqe ".checked_at == \"$checked\""
    at /; get /; html_common; has "href=\"/check/$d\"" "recent results list the domain"
    has '<span class="grade g-c sm">C</span>'
    # /api/stats is `mailtls stats --json` of the same database.
    wait_done "$s"
    at /api/stats; get /api/stats; expect 200 application/json; api=$body
    cli=$("$mailtls" stats --json --db "$work/db") || fail "stats --json failed"
    [ "$(echo "$cli" | jq -S .)" = "$(echo "$api" | jq -S .)" ] || fail "/api/stats differs from stats --json"
    body=$api; jqe '.domains.processed == 2 and .scan.input_path == "web"'
    at /stats; get /stats; html_common
    has '<svg class="chart"'; has 'Grades of domains'; has 'STARTTLS adoption'
    has 'TLS versions negotiated'; has '<rect class="bar bar-c"'
    stop
    # Restarted, the service finds its results again (the same scan).
    serve --allow-private --db "$work/db"
    at "/api/check/$d (restart)"; get "/api/check/$d"; expect 200 application/json
    jqe ".checked_at == \"$checked\""
    stop
    ;;
revalidate)
    # --cache 1: a result older than the window is checked again on POST.
    serve --allow-private --db "$work/db" --cache 1 --quick
    d=implicit.$Z
    get "/api/check/$d"; expect 202; wait_done "$d"; expect 200
    first=$(echo "$body" | jq -r .checked_at)
    at "/check/$d"; get "/check/$d"; html_common
    sleep 2.1
    get "/check/$d"
    has '<button type="submit" class="secondary">Revalidate</button>' "no Revalidate button after the window"
    at "POST /check/$d"; req POST "/check/$d"; expect 303
    wait_done "$d"
    [ "$(echo "$body" | jq -r .checked_at)" != "$first" ] || fail "the result was not renewed"
    stop
    ;;
shared-and-limits)
    # --rate 2: a client starts two checks a minute; asking for a running
    # check again is free (shared); the third new check is 429.
    # evil-silent never greets: its check runs for --timeout (3 s).
    serve --allow-private --db "$work/db" --rate 2 --quick --timeout 3
    at '1st check'; get "/api/check/evil-silent.$Z"; expect 202
    at 'shared'; get "/api/check/evil-silent.$Z"; expect 202
    get "/check/evil-silent.$Z"; expect 200 text/html; has '<progress'
    at '2nd check'; get "/api/check/plain.$Z"; expect 202
    at '3rd check'; get "/api/check/wild.$Z"; expect 429 application/json
    jqe '.error == "rate-limited"'
    [ "$(header Retry-After)" -ge 1 ] 2>/dev/null || fail "429 without Retry-After"
    at '3rd check html'; get "/check/wild.$Z"; expect 429 text/html
    wait_done "evil-silent.$Z"; wait_done "plain.$Z"
    stop
    # --max-checks 1: while one check runs, a second is 503.
    serve --allow-private --db "$work/db2" --max-checks 1 --timeout 4 --quick
    get "/api/check/evil-silent.$Z"; expect 202
    at 'busy'; get "/api/check/good.$Z"; expect 503 application/json
    jqe '.error == "busy"'; [ -n "$(header Retry-After)" ] || fail "503 without Retry-After"
    get "/api/check/evil-silent.$Z"; expect 202
    stop
    ;;
refused)
    # Without --allow-private: a domain whose only address is reserved (the
    # lab is all loopback) is refused, and no connection is made to it.
    serve --db "$work/db"
    before=$(postfix_connections weakdh-mx)
    d=weakdh.$Z
    get "/api/check/$d"; expect 202
    for _ in $(seq 100); do get "/api/check/$d"; [ "$status" != 202 ] && break; sleep 0.1; done
    at "/api/check/$d"; expect 403 application/json
    jqe '.error == "refused" and (.detail | test("reserved"))'
    at "/check/$d"; get "/check/$d"; expect 403 text/html; has 'Refused'
    at "/api/status/$d"; get "/api/status/$d"; jqe '.state == "refused"'
    sleep 0.5
    [ "$(postfix_connections weakdh-mx)" -eq "$before" ] || fail "connected to a reserved address"
    get /; lacks "href=\"/check/$d\"" "a refused domain is listed as a result"
    stop
    ;;
xss)
    # evil-markup's banner and EHLO carry <script>, <img onerror>: text only.
    serve --allow-private --db "$work/db" --quick
    d=evil-markup.$Z
    get "/api/check/$d"; wait_done "$d"
    at "/check/$d"; get "/check/$d"; html_common
    has '&lt;script&gt;alert(1)&lt;/script&gt;' "the banner is not shown escaped"
    lacks '<img src=x' "the EHLO markup became an element"
    has '&lt;img src=x onerror=alert(2)&gt; &amp;lt;b&amp;gt; &quot;q&quot; &#39;q&#39;'
    stop
    ;;
pg)
    # The same service on PostgreSQL (the storepg fixture's server).
    [ -r "$pgdir/pg.env" ] || fail "the PostgreSQL test server is not running"
    # shellcheck source=/dev/null
    . "$pgdir/pg.env"
    name="mt_web_$$_$RANDOM"
    "$PG_BIN/psql" -q -X -v ON_ERROR_STOP=1 "$PG_BASE/postgres" \
        -c "CREATE DATABASE $name" >/dev/null || fail "cannot create database $name"
    db=$PG_BASE/$name
    serve --allow-private --db "$db" --quick
    d=good.$Z
    get "/api/check/$d"; wait_done "$d"; expect 200 application/json
    jqe ".domain == \"$d\" and .grade.letter != null"
    at "/check/$d"; get "/check/$d"; html_common; has "$d"
    at /; get /; has "href=\"/check/$d\""
    at /api/stats; get /api/stats; expect 200 application/json; api=$body
    cli=$("$mailtls" stats --json --db "$db") || fail "stats --json failed"
    [ "$(echo "$cli" | jq -S .)" = "$(echo "$api" | jq -S .)" ] || fail "/api/stats differs from stats --json"
    stop
    grep -q "s3cret\|$(echo "$PG_BASE" | sed -E 's|.*://[^:]*:([^@]*)@.*|\1|')" "$servelog" \
        && fail "the password appears in the log"
    ;;
options)
    # Bad invocations: one line, exit 2, before anything listens.
    for args in "--listen nope" "--listen 127.0.0.1:0" "--listen 127.0.0.1:99999" \
                "--cache x" "--max-checks 0" "--rate -1" "--scan 0" "--bogus" \
                "extra-operand" "--json" "--db $work/no/such/dir/x.db"; do
        # shellcheck disable=SC2086
        timeout 20 "$mailtls" serve $args >"$work/o" 2>"$work/e"
        rc=$?
        [ "$rc" -eq 2 ] || fail "serve $args: exit $rc, expected 2"
        [ "$(wc -l <"$work/e")" -eq 1 ] || fail "serve $args: not one line: $(cat "$work/e")"
        grep -q '^mailtls: ' "$work/e" || fail "serve $args: $(cat "$work/e")"
    done
    "$mailtls" serve --help | grep -q -- '--allow-private' || fail "--help"
    # A port in use.
    serve --allow-private --db "$work/db"
    port=${base##*:}
    timeout 20 "$mailtls" serve --listen "127.0.0.1:$port" --db "$work/db2" >"$work/o" 2>"$work/e"
    rc=$?
    { [ "$rc" -eq 2 ] && grep -q "cannot listen" "$work/e"; } || fail "a port in use: exit $rc: $(cat "$work/e")"
    stop
    ;;
browser)
    # Headless Chromium: the form, the progress page, the result, /stats,
    # a hostile banner (tests/web/browser.cjs); screenshots into $ARTIFACTS.
    npm_dir=${MAILTLS_NPM:-/var/cache/mailtls-lab/npm}
    command -v node >/dev/null || fail "node is not installed (scripts/deps.sh)"
    [ -x /usr/bin/chromium ] || fail "chromium is not installed (scripts/deps.sh)"
    [ -d "$npm_dir/node_modules/playwright-core" ] \
        || fail "playwright-core is not in $npm_dir (scripts/deps.sh)"
    artifacts=${ARTIFACTS:-$workroot/artifacts}
    mkdir -p "$artifacts"
    serve --allow-private --db "$work/db"
    MAILTLS_NPM=$npm_dir HOME=$work timeout 240 node "$(dirname "$0")/browser.cjs" \
        "$base" "weakdh.$Z" C dh-group-too-small "evil-markup.$Z" "$artifacts" \
        || fail "the browser test failed"
    for f in report-desktop report-phone stats-desktop stats-phone evil-banner; do
        [ -s "$artifacts/$f.png" ] || fail "screenshot $f.png missing"
    done
    stop
    ;;
*)
    fail "unknown case"
    ;;
esac
echo "ok web.$case_name"
