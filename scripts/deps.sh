#!/usr/bin/env bash
# scripts/deps.sh - install the Debian 12 packages mailtls needs to build and to test.
#
# Idempotent: only missing packages are installed.  Package maintainer scripts
# are kept from starting system daemons (Postfix on :25, NSD on :53, ...):
# the test lab starts its own private instances on loopback and stops them
# again, and a system daemon on a wildcard address would collide with them.
set -euo pipefail

build_pkgs=(build-essential cmake pkg-config
            libssl-dev libunbound-dev libevent-dev libcurl4-openssl-dev
            libsqlite3-dev libpq-dev libjansson-dev libcmocka-dev)
# Test lab: real servers and the tools that configure them.  libidn12 is a
# library of exim4-daemon-light (below) that nothing else here pulls in;
# gnutls-bin (gnutls-cli) is the independent client of the enumeration tests.
lab_pkgs=(openssl postfix nsd ldnsutils dns-root-data iproute2 jq clang
          libclang-rt-14-dev gnutls-bin libidn12)
# The results store's tests: a private PostgreSQL server (tests/store/pg.sh;
# the package's own cluster is never started).
lab_pkgs+=(postgresql)
# MTA-STS policies over HTTPS (tests/lab/nginx.sh; the package's own server is
# never started: policy-rc.d below, and the lab runs its own nginx -c).
lab_pkgs+=(nginx)
# The web page's browser test (tests/web): headless Chromium, driven by
# playwright-core from npm (installed into $lab_cache/npm below).
lab_pkgs+=(chromium)
# Downloaded, never installed: Exim (GnuTLS) conflicts with Postfix
# (Conflicts: mail-transport-agent).  tests/lab/exim.sh unpacks the .deb into
# the lab folder and runs it from there.  MAILTLS_LAB_CACHE overrides the folder.
lab_cache=${MAILTLS_LAB_CACHE:-/var/cache/mailtls-lab}
lab_debs=(exim4-daemon-light)

# fetch_lab_debs: download the .deb of each lab_debs package into lab_cache
# unless a .deb of it is already there.
fetch_lab_debs() {
    local p want=()
    for p in "${lab_debs[@]}"; do
        compgen -G "$lab_cache/${p}_*.deb" >/dev/null || want+=("$p")
    done
    [ ${#want[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] && ! [ -w "$lab_cache" ]; then
        echo "deps.sh: ${want[*]} not in $lab_cache; run as root to download" >&2
        return 1
    fi
    echo "deps.sh: downloading ${want[*]} into $lab_cache"
    mkdir -p "$lab_cache"
    (cd "$lab_cache" && apt-get download -qq -o APT::Sandbox::User=root "${want[@]}") \
        || { apt-get update -qq && (cd "$lab_cache" && apt-get download -qq -o APT::Sandbox::User=root "${want[@]}"); } \
        || { echo "deps.sh: could not download ${want[*]}" >&2; return 1; }
}

# fetch_npm: playwright-core into $lab_cache/npm (the browser test loads it
# from there, so the tests never need the npm registry themselves).
fetch_npm() {
    [ -d "$lab_cache/npm/node_modules/playwright-core" ] && return 0
    command -v npm >/dev/null || { echo "deps.sh: npm missing" >&2; return 1; }
    echo "deps.sh: installing playwright-core into $lab_cache/npm"
    mkdir -p "$lab_cache/npm"
    npm install --prefix "$lab_cache/npm" --no-audit --no-fund \
        playwright-core@1 >/dev/null \
        || { echo "deps.sh: could not install playwright-core" >&2; return 1; }
}

missing=()
for p in "${build_pkgs[@]}" "${lab_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$p")
done
# Node.js for the browser test: Debian's, unless a node (with npm) is there.
command -v npm >/dev/null || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && { fetch_lab_debs; fetch_npm; exit; }

if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: missing packages (${missing[*]}); run as root to install them" >&2
    exit 1
fi

echo "deps.sh: installing ${missing[*]}"
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
fi
trap '[ $created_policy -eq 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT

echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fetch_lab_debs
fetch_npm
