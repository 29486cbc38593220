#!/usr/bin/env bash
# tests/integration/grade_cases.sh - the grades (docs/grading.md) mailtls
# gives the lab's servers (tests/lab/LAB.md).
#
#   grade_cases.sh CASE MAILTLS_BINARY LAB_DIR
#
# Each case checks the letter, the encryption score and the rules that must
# (or must not) apply, and, for every address, that each cap and deduction
# points at a finding the same address reports.
set -u

case_name=$1
mailtls=$2
lab=$3
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

all_addrs='[.mx[].addresses[]]'
addr='.mx[0].addresses[0]'

# graded_consistently - every address: rubric 1.0, and each cap and
# deduction names a finding of that address (or none, for rules whose
# findings do not exist yet).
graded_consistently() {
    jqe '.grade.rubric == "1.0"' "domain grade without rubric 1.0"
    jqe "$all_addrs | all(.grade.rubric == \"1.0\")" "address grade without rubric 1.0"
    jqe "$all_addrs | all(. as \$a | [\$a.findings[].id] as \$ids
            | [(\$a.grade.caps + \$a.grade.deductions)[] | .finding
               | select(. != null) | . as \$f | \$ids | index(\$f) != null] | all)" \
        "a cap or deduction points at a finding the address does not report"
}

# has_cap RULE FINDING - the first address is capped by RULE, for FINDING.
has_cap() {
    jqe "$addr.grade.caps | any(.rule == \"$1\" and .finding == \"$2\")" \
        "no cap $1 ($2)"
}

# no_cap_about PREFIX - no cap or deduction anywhere names a finding that
# starts with PREFIX.
no_cap_about() {
    jqe "[$all_addrs[].grade | (.caps + .deductions)[] | .finding // \"\"
          | select(startswith(\"$1\"))] | length == 0" \
        "a cap or deduction names a $1* finding"
}

case $case_name in
good)
    run_check good
    expect_rc 0
    graded_consistently
    jqe "$all_addrs | length == 3"
    jqe "$all_addrs | all(.grade.letter == \"A\" and .grade.basis == \"enumeration\")" \
        "every address of good must be A from the enumeration"
    jqe "$all_addrs | all(.grade.encryption.score == 100 and .grade.caps == [] and .grade.deductions == [])"
    # mx1 has a TLSA 3 1 1 record of its key (DANE valid), mx2 none.
    jqe "[.mx[0].addresses[].grade.authentication] | all(.level == \"dane\" and .score == 100 and .dane == \"valid\")" \
        "mx1's addresses must be DANE-authenticated"
    jqe ".mx[1].addresses[0].grade.authentication | .level == \"opportunistic\" and .score == 0 and .mta_sts == \"none\"" \
        "mx2 has neither TLSA nor MTA-STS: opportunistic"
    # Postfix's default list accepts RSA key transport: no A+.
    jqe "$all_addrs | all([.grade.not_a_plus[].rule] | index(\"suites-without-forward-secrecy\") != null)"
    jqe "[.mx[1].addresses[0].grade.not_a_plus[].rule] | index(\"not-authenticated\") != null"
    jqe '.grade.letter == "A" and .grade.encryption == 100 and .grade.confidence == "complete"'
    jqe '.grade.counts.addresses == 3 and .grade.counts.graded == 3'
    jqe '.grade.worst.host == "mx1.mailtls.test" and .grade.worst.address == "127.0.1.1"' \
        "ties go to the first address in MX order"
    run_text good
    echo "$text" | grep -q '^Grade: A  from mx1.mailtls.test \[127.0.1.1\]' \
        || fail "text report: no domain Grade line"
    [ "$(echo "$text" | grep -c '^  Grade         A ')" -eq 3 ] \
        || fail "text report: expected a Grade line per address"
    echo "$text" | grep -q '^Confidence: complete' || fail "text report: no Confidence line"
    ;;
weakdh)
    # 1024-bit DH: key exchange 80 (6 points), capped at B for the group
    # and at C because OpenSSL 3 senders refuse it.
    run_check weakdh
    expect_rc 0
    graded_consistently
    has_cap dh-below-2048 dh-group-too-small
    has_cap modern-client-refuses modern-client-refuses
    jqe "$addr.grade.letter == \"C\" and $addr.grade.encryption.score == 94"
    jqe "$addr.grade.encryption.key_exchange == 80 and $addr.grade.encryption.letter == \"A\""
    jqe "$addr.grade.deductions == [{\"rule\": \"dh-below-2048\", \"component\": \"key_exchange\", \"points\": 6, \"finding\": \"dh-group-too-small\", \"reason\": $addr.grade.deductions[0].reason}]" \
        "the only deduction is 6 points for the DH group"
    jqe '.grade.letter == "C" and (.grade.caps | any(.rule == "dh-below-2048"))'
    run_text weakdh
    echo "$text" | grep -q 'capped at B  DH group of 1024-2047 bits (dh-group-too-small)' \
        || fail "text report: the DH cap is missing"
    ;;
legacy)
    # TLS 1.0 and 1.1 beside 1.2: protocol (100 + 90) / 2, capped at B.
    run_check legacy
    expect_rc 0
    graded_consistently
    has_cap tls10-accepted protocol-tls10-tls11
    jqe "$addr.grade.letter == \"B\" and $addr.grade.encryption.score == 99 and $addr.grade.encryption.protocol == 95"
    jqe "$addr.grade.deductions | any(.rule == \"tls10-accepted\" and .points == 1.5)"
    jqe "[$addr.grade.not_a_plus[].rule] | index(\"no-tls13\") != null"
    ;;
plain)
    # No STARTTLS: 0 and F, whatever else.
    run_check plain
    expect_rc 1
    graded_consistently
    has_cap no-starttls no-starttls
    jqe "$addr.grade.letter == \"F\" and $addr.grade.encryption.score == 0 and $addr.grade.basis == \"smtp\""
    jqe "$addr.grade.deductions == [{\"rule\": \"no-starttls\", \"component\": \"all\", \"points\": 100, \"finding\": \"no-starttls\", \"reason\": $addr.grade.deductions[0].reason}]"
    jqe '.grade.letter == "F" and .grade.encryption == 0 and .grade.ssllabs_score == 0'
    ;;
selfsigned)
    # A self-signed certificate: encryption exactly as good's mx2, which
    # runs the same Postfix settings with a CA-issued certificate.
    run_check good
    want=$(echo "$out" | jq -c '.mx[1].addresses[0].grade | [.letter, .encryption, .ssllabs_score]')
    run_check selfsigned
    expect_rc 0
    graded_consistently
    has_finding cert-self-signed
    got=$(echo "$out" | jq -c "$addr.grade | [.letter, .encryption, .ssllabs_score]")
    [ "$want" = "$got" ] || fail "selfsigned graded $got, good's mx2 $want"
    jqe "$addr.grade.letter == \"A\" and $addr.grade.encryption.score == 100"
    no_cap_about cert-
    ;;
quick)
    # --quick: one handshake, no enumeration: graded, no A+, partial.
    run_check good --quick
    expect_rc 0
    graded_consistently
    jqe "$all_addrs | all(.grade.basis == \"handshake\" and .grade.letter == \"A\")"
    jqe "$all_addrs | all([.grade.not_a_plus[].rule] | index(\"quick-check\") != null)"
    jqe '.grade.confidence == "partial" and .grade.counts.handshake_only == 3'
    jqe '.grade.confidence_statement | test("one handshake")'
    ;;
inconclusive)
    # 421 at the banner: nothing to grade, and the report says why.
    run_check evil-tempfail
    expect_rc 3
    jqe "$addr.grade.letter == null and ($addr.grade.not_graded | test(\"inconclusive\"))"
    jqe "$addr.grade.encryption == null and $addr.grade.caps == []"
    jqe '.grade.letter == null and .grade.worst == null and .grade.confidence == "none"'
    jqe '.grade.counts.inconclusive == 1 and (.grade.confidence_statement | test("1 inconclusive"))'
    ;;
*)
    fail "unknown case"
    ;;
esac
exit 0
