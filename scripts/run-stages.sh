#!/usr/bin/env bash
# Runs each make target named on the command line as one stage of `make
# test`, prints its wall time, and ends with "suites: N passed, M failed"
# (exit 1 when any stage failed). Every stage runs even after a failure,
# so one run shows everything that is broken.
set -u -o pipefail
cd "$(dirname "$0")/.."
passed=0 failed=0 failures=() report=()
start_all=$(date +%s)
for stage in "$@"; do
  echo "=== stage $stage"
  t0=$(date +%s)
  if make --no-print-directory "$stage"; then
    passed=$((passed + 1)); verdict=ok
  else
    failed=$((failed + 1)); verdict=FAIL; failures+=("$stage")
  fi
  dt=$(( $(date +%s) - t0 ))
  report+=("$(printf '  %-14s %-4s %4d s' "$stage" "$verdict" "$dt")")
  echo "=== stage $stage: $verdict in ${dt} s"
done
echo "stage times (total $(( $(date +%s) - start_all )) s):"
printf '%s\n' "${report[@]}"
[ "$failed" -eq 0 ] || echo "failed stages: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
