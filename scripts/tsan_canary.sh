#!/usr/bin/env bash
# The ThreadSanitizer phase's self-check: each canary in tests/actors/tsan_canary_test.cpp
# is a deliberate data race between actors. Run alone in the TSan build, with the same
# suppressions as the real run, TSan must report it (exit 66, a "data race" naming the
# canary's code). If it does not, a clean TSan run of the actor tests proves nothing,
# and this fails.
# usage: scripts/tsan_canary.sh [build dir, default build-tsan]
set -uo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build-tsan}/tests/test_actors
failed=0
for canary in tsan-canary-after-send tsan-canary-two-actors; do
  out=$(TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp halt_on_error=1 exitcode=66" \
        "$binary" "[$canary]" 2>&1)
  rc=$?
  if [ "$rc" = 66 ] && grep -q "WARNING: ThreadSanitizer: data race" <<<"$out" &&
     grep -q "tsan_canary_test.cpp" <<<"$out"; then
    echo "tsan canary $canary: reported, as it must be"
  else
    echo "tsan canary $canary: NOT reported (exit $rc): TSan would miss this race" >&2
    tail -20 <<<"$out" >&2
    failed=1
  fi
done
exit $failed
