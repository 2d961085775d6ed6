#!/usr/bin/env bash
# Runs each make target given as an argument (one test stage each), prints
# how long each took and a final "suites: N passed, M failed" line counted
# from the real exit codes. Every stage runs even after one fails, so the
# summary names all failures; the exit code is non-zero when any failed.
set -uo pipefail
make=${MAKE:-make}
passed=0
failed=0
failures=()
times=()
start=$SECONDS
for stage in "$@"; do
  echo "=== stage $stage"
  t0=$SECONDS
  if $make --no-print-directory "$stage"; then
    passed=$((passed+1)); res=ok
  else
    failed=$((failed+1)); res=FAIL; failures+=("$stage")
  fi
  dt=$((SECONDS-t0))
  times+=("$(printf '%-14s %-4s %4ds' "$stage" "$res" "$dt")")
  echo "=== stage $stage: $res in ${dt}s"
done
echo "stage times:"
for line in "${times[@]}"; do echo "  $line"; done
echo "total: $((SECONDS-start))s"
[ "$failed" -eq 0 ] || echo "failed stages: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
