#!/usr/bin/env bash
# scripts/test.sh - every test, as CI runs it (as root, Debian 12).
#
#  1. install what is missing (scripts/deps.sh);
#  2. a normal build: unit tests and the integration tests against the
#     test lab (real Postfix, NSD and the hostile evil_smtpd on loopback);
#  3. the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer:
#     any sanitizer report fails the run;
#  4. the libFuzzer targets (clang), each for MAILTLS_FUZZ_SECONDS (20).
#
# The lab uses fixed loopback addresses, so the suites run one after the
# other; inside a suite, CTest runs tests in parallel.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
fuzz_seconds=${MAILTLS_FUZZ_SECONDS:-20}

"$top/scripts/deps.sh"

suite() {
    local name=$1 dir=$2; shift 2
    echo "=== $name"
    "$top/scripts/build.sh" "$dir" "$@"
    ctest --test-dir "$dir" --output-on-failure -j"$jobs" -LE fuzz
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
suite "normal build" "$top/build"
suite "sanitizers (ASan + UBSan)" "$top/build-asan" -DCMAKE_BUILD_TYPE=Debug -DMAILTLS_SANITIZE=ON

if [ -f "$top/fuzz/CMakeLists.txt" ]; then
    echo "=== fuzzing (${fuzz_seconds}s per target)"
    CC=clang "$top/scripts/build.sh" "$top/build-fuzz" -DMAILTLS_FUZZ=ON \
        -DMAILTLS_FUZZ_SECONDS="$fuzz_seconds"
    ctest --test-dir "$top/build-fuzz" --output-on-failure -j"$jobs" -L fuzz
fi
echo "=== all tests passed"
