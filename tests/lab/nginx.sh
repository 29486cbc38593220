# shellcheck shell=bash
# tests/lab/nginx.sh - nginx serving MTA-STS policies over HTTPS (sourced).
#
# One nginx (Debian's package, never its own service: 'nginx -c' with a
# config under DIR) listens on 127.0.4.1:443 and answers, by SNI,
# https://mta-sts.NAME.mailtls.test/.well-known/mta-sts.txt for each NAME of
# LAB_STS_SITES, with a lab-CA certificate for that host (pki.sh's
# LAB_LATE_LEAVES).  The zone (templates/mailtls.test.zone) gives each NAME
# its _mta-sts and _smtp._tls TXT records and mta-sts.NAME A 127.0.4.1.
# Everything (config, policies, temp folders, pid, logs) lives under DIR.

LAB_STS_ADDR=127.0.4.1
LAB_STS_PORT=443

# NAME          certificate (DIR/pki/...)  what the policy URL answers
LAB_STS_SITES=(
  "sts-enforce     mta-sts-enforce    enforce"
  "sts-testing     mta-sts-testing    testing"
  "sts-bad-policy  mta-sts-bad-policy bad"
  "sts-redirect    mta-sts-redirect   redirect"
  "sts-wrong-type  mta-sts-wrong-type html"
  "sts-huge        mta-sts-huge       huge"
  "sts-wrongcert   mta-sts-enforce    enforce"
  "sts-notlisted   mta-sts-notlisted  enforce"
  "sts-strong      mta-sts-strong     strong"
)

nginx_conf() { echo "$1/nginx/nginx.conf"; }
nginx_pidfile() { echo "$1/run/nginx.pid"; }
# The master keeps "-c DIR/nginx/nginx.conf" in its process title.
nginx_mark() { echo "-c $(nginx_conf "$1")"; }

# nginx_policy KIND FILE: write the policy body of KIND.
nginx_policy() {
    local kind=$1 out=$2 i
    case $kind in
        enforce)  printf 'version: STSv1\r\nmode: enforce\r\nmx: mx1.mailtls.test\r\nmax_age: 86400\r\n' ;;
        strong)   printf 'version: STSv1\nmode: enforce\nmx: strong-mx.mailtls.test\nmax_age: 604800\n' ;;
        testing)  printf 'version: STSv1\nmode: testing\nmx: *.mailtls.test\nmx: mx2.mailtls.test\nmax_age: 604800\n' ;;
        # Three errors: mode (line 2), a line without ':' (3), max_age (4).
        bad)      printf 'version: STSv1\nmode: enforcing\nmx mx1.mailtls.test\nmax_age: 99999999999\n' ;;
        html)     printf '<html><body>version: STSv1</body></html>\n' ;;
        # 70 000+ bytes, valid but for its size (an extension line repeated).
        huge)     printf 'version: STSv1\nmode: enforce\nmx: mx1.mailtls.test\nmax_age: 86400\n'
                  for ((i = 0; i < 1100; i++)); do
                      printf 'x-padding: %064d\n' "$i"
                  done ;;
        *)        : ;;
    esac > "$out"
}

# nginx_build DIR: policies, nginx.conf.
nginx_build() {
    local dir=$1 ng=$1/nginx row name cert kind www loc
    mkdir -p "$ng/tmp" "$ng/www"
    {
        cat <<CONF
# written by tests/lab/nginx.sh; MTA-STS policies of the lab (LAB.md)
worker_processes 1;
pid $(nginx_pidfile "$dir");
error_log $dir/log/nginx-error.log;
events { worker_connections 64; }
http {
    access_log $dir/log/nginx-access.log;
    client_body_temp_path $ng/tmp/body;
    proxy_temp_path $ng/tmp/proxy;
    fastcgi_temp_path $ng/tmp/fastcgi;
    uwsgi_temp_path $ng/tmp/uwsgi;
    scgi_temp_path $ng/tmp/scgi;
    server_tokens off;
    types { text/plain txt; }
    default_type application/octet-stream;
    ssl_protocols TLSv1.2 TLSv1.3;
    # Unknown SNI: refuse the handshake.
    server {
        listen $LAB_STS_ADDR:$LAB_STS_PORT ssl default_server;
        ssl_reject_handshake on;
    }
CONF
        for row in "${LAB_STS_SITES[@]}"; do
            read -r name cert kind <<<"$row"
            www=$ng/www/$name
            mkdir -p "$www/.well-known"
            nginx_policy "$kind" "$www/.well-known/mta-sts.txt"
            case $kind in
                redirect) loc="return 302 https://mta-sts.sts-enforce.$LAB_ZONE/.well-known/mta-sts.txt;" ;;
                html)     loc="types { } default_type text/html;" ;;
                *)        loc="" ;;
            esac
            cat <<CONF
    server {
        listen $LAB_STS_ADDR:$LAB_STS_PORT ssl;
        server_name mta-sts.$name.$LAB_ZONE;
        ssl_certificate $dir/pki/$cert.pem;
        ssl_certificate_key $dir/pki/$cert.key;
        root $www;
        location = /.well-known/mta-sts.txt { $loc }
    }
CONF
        done
        echo "}"
    } > "$ng/nginx.conf.new"
    install_if_changed "$ng/nginx.conf.new" "$(nginx_conf "$dir")"
    nginx -t -q -c "$(nginx_conf "$dir")" -e "$dir/log/nginx-error.log" \
        || die "nginx -t rejected $(nginx_conf "$dir")"
}

# nginx_conflicts: other processes' sockets on our address and port.
nginx_conflicts() {
    ss -Hltn "sport = :$LAB_STS_PORT" \
        | awk -v a="$LAB_STS_ADDR:$LAB_STS_PORT" '$4 == a || $4 == "0.0.0.0:'$LAB_STS_PORT'" || $4 == "*:'$LAB_STS_PORT'" { print $4 }'
}

nginx_alive() { pid_alive "$(nginx_pidfile "$1")" "$(nginx_mark "$1")"; }

nginx_listening() { tcp_all_listening "$LAB_STS_PORT" "$LAB_STS_ADDR"; }

nginx_start() {
    local dir=$1
    # -e: the error log before the config is read (else /var/log/nginx).
    nginx -c "$(nginx_conf "$dir")" -e "$dir/log/nginx-error.log" \
        </dev/null >>"$dir/log/nginx-error.log" 2>&1 \
        || die "nginx did not start (see $dir/log/nginx-error.log)"
    wait_until 10 "nginx on $LAB_STS_ADDR:$LAB_STS_PORT" nginx_listening \
        || die "nginx does not listen (see $dir/log/nginx-error.log)"
}

nginx_stop() { kill_pidfile "$(nginx_pidfile "$1")" "$(nginx_mark "$1")" nginx; }

nginx_status() { nginx_alive "$1" && nginx_listening; }
