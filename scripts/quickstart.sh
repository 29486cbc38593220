#!/usr/bin/env bash
# scripts/quickstart.sh - the main job on a fresh Debian 12 machine (as root):
# install what is missing, build mailtls, and show it working.
#
# This machine may have no Internet, so the demonstration checks the
# project's own test lab (tests/lab/LAB.md): real Postfix servers and a
# DNSSEC-signed zone on loopback, one domain per situation.  It prints the
# full report of a few of them, then stops the lab again.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
"$top/scripts/build.sh" "$top/build"

lab=$top/build/lab
"$top/tests/lab/lab.sh" start "$lab" --evil "$top/build/tests/tools/evil_smtpd"
trap '"$top/tests/lab/lab.sh" stop "$lab"' EXIT
# shellcheck source=/dev/null
. "$lab/lab.env"

mailtls() {
    "$top/build/src/mailtls" check --resolver "$LAB_RESOLVER" --trust-anchor "$LAB_TA" \
        --ca-file "$LAB_CA" --port "$LAB_PORT" "$@" || true
}

for d in good plain weakdh expired wrongname nullmx dane-bad sts-strong; do
    echo
    echo "################ mailtls check $d.$LAB_ZONE"
    mailtls "$d.$LAB_ZONE"
done
echo "################ mailtls check --json selfsigned.$LAB_ZONE (first lines)"
mailtls --json "selfsigned.$LAB_ZONE" | head -n 25
echo
echo "Built: $top/build/src/mailtls.  Try: $top/build/src/mailtls check --help"
