#!/usr/bin/env bash
# bench/scan_bench.sh - `mailtls scan` of N generated domains over M real
# TLS SMTP servers, with a round-trip delay, against sslscan and
# testssl.sh on the same servers.
#
#   bench/scan_bench.sh [-n DOMAINS] [-m SERVERS] [--rtt MS] [--peers K]
#                       [--testssl K] [--concurrency C]      (root)
#
#   -n DOMAINS     generated domains (default 10000)
#   -m SERVERS     server addresses, 127.0.10.1 ... (default 20, at most 250)
#   --rtt MS       round trip added by tcp_relay (default 50; 0: no relay)
#   --peers K      servers sslscan assesses (default 5), one after another
#   --testssl K    servers testssl.sh assesses with --file and --parallel,
#                  as bulk users run it (default 0: minutes per server)
#   --only-mem     only the memory measurement (no scan of N, no peers);
#                  its --concurrency 1 run takes M sessions one after
#                  another (-m 250 --rtt 300: about 6 minutes)
#
# Everything runs in a network namespace of its own (unshare -n) holding
# only a loopback interface, so nothing can leave the machine:
#   - NSD, authoritative for a signed zone bench.test (ldns-signzone, as
#     tests/lab/dns.sh does): dNNNNN.bench.test MX 10 mxJ.bench.test,
#     J = NNNNN mod M, mxJ A 127.0.10.J;
#   - one Postfix instance with M smtpd listeners on 127.0.10.J:2525
#     (master.cf), a certificate of its own CA for *.bench.test, anvil
#     limits off (test-servers.md);
#   - tcp_relay (tests/tools) on 127.0.10.J:25 -> 127.0.10.J:2525, adding
#     RTT/2 each way and the connect's RTT (this kernel has no netem);
#     the scanners connect to port 25.
# Measured: /usr/bin/time -v of each tool (wall, user+sys CPU, peak RSS);
# connections per server from Postfix's log.  Prints a Markdown summary;
# docs/benchmarks.md keeps the figures.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
mailtls=${MAILTLS:-$top/build/src/mailtls}
relay=${TCP_RELAY:-$top/build/tests/tools/tcp_relay}
n=10000 m=20 rtt=50 peers=5 testssl_n=0 conc=256 only_mem=0

while [ $# -gt 0 ]; do
    case $1 in
        -n) n=$2; shift 2 ;;
        -m) m=$2; shift 2 ;;
        --rtt) rtt=$2; shift 2 ;;
        --peers) peers=$2; shift 2 ;;
        --testssl) testssl_n=$2; shift 2 ;;
        --concurrency) conc=$2; shift 2 ;;
        --only-mem) only_mem=1; shift ;;
        *) echo "usage: $0 [-n DOMAINS] [-m SERVERS] [--rtt MS] [--peers K] [--testssl K] [--concurrency C] [--only-mem]" >&2; exit 2 ;;
    esac
done
[ "$m" -ge 1 ] && [ "$m" -le 250 ] || { echo "scan_bench.sh: -m 1..250" >&2; exit 2; }

if [ "${MAILTLS_BENCH_NETNS:-}" != 1 ]; then
    [ "$(id -u)" -eq 0 ] || { echo "scan_bench.sh: needs root (namespace, Postfix)" >&2; exit 2; }
    [ -x "$mailtls" ] && [ -x "$relay" ] || { echo "scan_bench.sh: build first (scripts/build.sh)" >&2; exit 2; }
    exec unshare -n env MAILTLS_BENCH_NETNS=1 "$0" -n "$n" -m "$m" --rtt "$rtt" \
        --peers "$peers" --testssl "$testssl_n" --concurrency "$conc" \
        $([ "$only_mem" = 1 ] && echo --only-mem)
fi

ip link set lo up
sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_tw_reuse=1 \
    net.ipv4.ip_local_port_range="10000 65000" 2>/dev/null || true
w=$(mktemp -d /tmp/mailtls-scanbench.XXXXXX)
chmod 755 "$w"
relay_pid=
cleanup() {
    [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null
    postfix -c "$w/postfix" stop >/dev/null 2>&1 || true
    [ -f "$w/nsd.pid" ] && kill "$(cat "$w/nsd.pid")" 2>/dev/null
    sleep 0.5
    rm -rf "$w"
}
trap cleanup EXIT
mkdir -p "$w/postfix" "$w/spool" "$w/log" "$w/dns"
Z=bench.test

# --- PKI: a CA and one certificate for *.bench.test ---
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=bench CA" \
    -keyout "$w/ca.key" -out "$w/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=*.$Z" -keyout "$w/mx.key" \
    -out "$w/mx.csr" 2>/dev/null
openssl x509 -req -in "$w/mx.csr" -CA "$w/ca.pem" -CAkey "$w/ca.key" \
    -CAcreateserial -days 30 -extfile <(printf 'subjectAltName=DNS:*.%s\n' "$Z") \
    -out "$w/mx.pem" 2>/dev/null

# --- DNS: the signed zone, NSD on 127.0.53.1 ---
{
    printf '$ORIGIN %s.\n$TTL 3600\n' "$Z"
    printf '@ SOA ns.%s. hostmaster.%s. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.53.1\n' "$Z" "$Z"
    for j in $(seq 1 "$m"); do printf 'mx%d A 127.0.10.%d\n' "$j" "$j"; done
    awk -v n="$n" -v m="$m" 'BEGIN { for (i = 0; i < n; i++)
        printf "d%05d MX 10 mx%d\n", i, i % m + 1 }'
} > "$w/dns/$Z.zone"
(cd "$w/dns" && ksk=$(ldns-keygen -a ECDSAP256SHA256 -k "$Z") &&
    zsk=$(ldns-keygen -a ECDSAP256SHA256 "$Z") &&
    ldns-signzone -o "$Z." "$Z.zone" "$zsk" "$ksk" >/dev/null &&
    ldns-key2ds -n -2 "$ksk.key" > ta.ds)
cat > "$w/dns/nsd.conf" <<EOF
server:
    ip-address: 127.0.53.1@53
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$w/dns"
    database: ""
    zonelistfile: "$w/nsd.zone.list"
    xfrdfile: "$w/nsd.xfrd.state"
    xfrdir: "$w"
    pidfile: "$w/nsd.pid"
    logfile: "$w/log/nsd.log"
    server-count: 1
    rrl-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: "$Z"
    zonefile: "$Z.zone.signed"
EOF
nsd -c "$w/dns/nsd.conf"

# --- Postfix: M listeners, anvil off ---
sed -e "s|@PFCONF@|$w/postfix|; s|@PFSPOOL@|$w/spool|; s|@PFDATA@|$w/pfdata|; s|@LOG@|$w/log|" \
    -e "s|^mydomain = .*|mydomain = $Z|; s|^relay_domains = .*|relay_domains = $Z|" \
    -e "s|^default_process_limit = .*|default_process_limit = 1000|" \
    "$top/tests/lab/templates/main.cf" > "$w/postfix/main.cf"
cp "$top/tests/lab/templates/master.cf" "$w/postfix/master.cf"
for j in $(seq 1 "$m"); do
    printf '127.0.10.%d:2525 inet n - n - - smtpd\n  -o myhostname=mx%d.%s\n  -o smtpd_tls_security_level=may\n  -o smtpd_tls_cert_file=%s\n  -o smtpd_tls_key_file=%s\n' \
        "$j" "$j" "$Z" "$w/mx.pem" "$w/mx.key"
done >> "$w/postfix/master.cf"
postfix -c "$w/postfix" start >/dev/null 2>&1 || { cat "$w/log/postfix.log" >&2; exit 1; }

# --- the relay: port 25 -> 2525 with the round trip ---
port=2525
if [ "$rtt" -gt 0 ]; then
    pairs=()
    for j in $(seq 1 "$m"); do pairs+=("127.0.10.$j:25=127.0.10.$j:2525"); done
    "$relay" --rtt "$rtt" --pidfile "$w/relay.pid" "${pairs[@]}" &
    relay_pid=$!
    port=25
fi
for _ in $(seq 100); do
    ok=1
    for j in 1 "$m"; do
        timeout 2 bash -c "exec 3<>/dev/tcp/127.0.10.$j/$port; head -c 3 <&3" 2>/dev/null | grep -q 220 || ok=0
    done
    [ "$ok" = 1 ] && break
    sleep 0.2
done
[ "$ok" = 1 ] || { echo "scan_bench.sh: servers not ready" >&2; exit 1; }

connects() { grep -c "postfix/smtpd\[[0-9]*\]: connect from" "$w/log/postfix.log" || true; }
# timed NAME CMD... - /usr/bin/time -v; sets wall, cpu, rss (KB).
timed() {
    local name=$1; shift
    /usr/bin/time -v -o "$w/$name.time" "$@" >"$w/$name.out" 2>"$w/$name.err" || true
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$w/$name.time")
    cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$w/$name.time")
    rss=$(awk -F': ' '/Maximum resident/ { print $2 }' "$w/$name.time")
}

awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "d%05d.bench.test\n", i }' > "$w/list"
scan_opts=(--resolver 127.0.53.1@53 --trust-anchor "$w/dns/ta.ds" --ca-file "$w/ca.pem"
           --port "$port" --allow-reserved --concurrency "$conc" --db "$w/scan.db")
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$only_mem" = 0 ]; then
echo "## scan_bench: $n domains, $m servers, RTT $rtt ms, $(date -u +%F), commit $commit, $(nproc) cores"
echo
echo "| tool | domains | servers | wall s | CPU s | peak RSS MB | domains/s | servers/s | CPU s per 1000 domains | connections per server |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for mode in full quick; do
    rm -f "$w/scan.db"*
    c0=$(connects)
    extra=()
    [ "$mode" = quick ] && extra=(--quick)
    timed "scan-$mode" "$mailtls" scan "${scan_opts[@]}" "${extra[@]}" "$w/list"
    c1=$(connects)
    saved=$("$mailtls" stats --db "$w/scan.db" --json | jq .domains.processed)
    echo "| mailtls scan${extra[*]:+ ${extra[*]}} | $saved | $m | $wall | $cpu | $((rss / 1024)) |" \
         "$(echo "$saved $wall" | awk '{ printf "%.0f", $1 / $2 }') |" \
         "$(echo "$m $wall" | awk '{ printf "%.2f", $1 / $2 }') |" \
         "$(echo "$cpu $saved" | awk '{ printf "%.2f", $1 * 1000 / $2 }') |" \
         "$(( (c1 - c0) / m )) |"
    tail -1 "$w/scan-$mode.err" | sed 's/^/    /' >&2
done
fi

# Memory per in-flight session: domains 0 .. M-1 reach M different servers,
# one session each.  With --quick and the relay's round trip every session
# stays open for several RTTs, so at --concurrency C about min(C, M)
# sessions (each with its domain's check) are in flight at once.  Reported:
# the peak RSS at C = 1 and at C = M, and their difference over M - 1.
head -n "$m" "$w/list" > "$w/list.mem"
for c in 1 "$m"; do
    rm -f "$w/scan.db"*
    timed "mem-$c" "$mailtls" scan --resolver 127.0.53.1@53 --trust-anchor "$w/dns/ta.ds" \
        --ca-file "$w/ca.pem" --port "$port" --allow-reserved --quick --concurrency "$c" \
        --db "$w/scan.db" "$w/list.mem"
    eval "rss_$c=$rss"
done
eval "hi=\$rss_$m"
echo
echo "memory: $m domains on $m servers, --quick, RTT $rtt ms: peak RSS $rss_1 KB at" \
     "--concurrency 1, $hi KB at $m: $(( (hi - rss_1) / (m > 1 ? m - 1 : 1) )) KB per in-flight session"
[ "$only_mem" = 1 ] && exit 0

# --- the peers, on the same servers through the same relay ---
if [ "$peers" -gt 0 ]; then
    c0=$(connects)
    : > "$w/targets"
    for j in $(seq 1 "$peers"); do echo "127.0.10.$j:$port" >> "$w/targets"; done
    timed sslscan bash -c "while read -r t; do sslscan --no-colour --starttls-smtp \"\$t\" >/dev/null; done < '$w/targets'"
    c1=$(connects)
    echo
    echo "| sslscan --starttls-smtp, one after another | - | $peers | $wall | $cpu | $((rss / 1024)) | - |" \
         "$(echo "$peers $wall" | awk '{ printf "%.2f", $1 / $2 }') | - | $(( (c1 - c0) / peers )) |"
fi
if [ "$testssl_n" -gt 0 ]; then
    c0=$(connects)
    : > "$w/testssl.cmds"
    for j in $(seq 1 "$testssl_n"); do
        echo "-t smtp --nodns none --quiet --color 0 127.0.10.$j:$port" >> "$w/testssl.cmds"
    done
    timed testssl testssl --file "$w/testssl.cmds" --parallel --nodns none
    c1=$(connects)
    echo "| testssl.sh -t smtp --file --parallel | - | $testssl_n | $wall | $cpu | $((rss / 1024)) | - |" \
         "$(echo "$testssl_n $wall" | awk '{ printf "%.3f", $1 / $2 }') | - | $(( (c1 - c0) / testssl_n )) |"
fi
