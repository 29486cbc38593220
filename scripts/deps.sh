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
# Test lab: real servers and the tools that configure them.
lab_pkgs=(openssl postfix nsd ldnsutils dns-root-data iproute2 jq clang
          libclang-rt-14-dev)

missing=()
for p in "${build_pkgs[@]}" "${lab_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
