#!/usr/bin/env bash
# Runs every fuzz target of scripts/fuzz-targets.txt for FUZZTIME (10s) on top
# of its committed corpus (testdata/fuzz) and prints the inputs tried. Not part
# of `make test` (whose go test replays the committed corpora deterministically).
# With --save-corpus, copies the inputs the fuzzer found interesting from
# the Go cache into the package's testdata/fuzz (to commit them).
set -uo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
cache=$(go env GOCACHE)/fuzz
fail=0
total=0
while read -r pkg target; do
  case "$pkg" in ""|\#*) continue ;; esac
  # Minimising each new interesting input may take up to 60 s by default,
  # during which no input is tried (FuzzNPZFrameCache then looked stalled).
  out=$(go test -run XXX -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 2s "$pkg" 2>&1)
  rc=$?
  execs=$(echo "$out" | sed -n 's/.*execs: \([0-9]*\).*/\1/p' | tail -1)
  # Go writes a real crasher to <pkg>/testdata/fuzz/<target>/ and says
  # "Failing input written to"; the file is then a regression case that
  # `make test` replays (commit it). A run that only ran out of -fuzztime
  # while minimising ("context deadline exceeded") found nothing.
  if [ $rc -ne 0 ] && ! echo "$out" | grep -q 'Failing input written to' &&
     echo "$out" | grep -q 'context deadline exceeded'; then
    echo "fuzz: $pkg $target: time ran out while minimising an input (not a failure)"
    rc=0
  fi
  if [ $rc -ne 0 ]; then
    echo "$out" | tail -30
    echo "$out" | sed -n 's/.*Failing input written to \(.*\)/fuzz: new regression case \1 (commit it)/p'
    echo "fuzz: FAIL $pkg $target"
    fail=$((fail+1))
  else
    echo "fuzz: $pkg $target: ${execs:-0} inputs tried in $fuzztime"
    total=$((total+${execs:-0}))
  fi
  if [ "${1:-}" = "--save-corpus" ]; then
    mod=$(go list -m)
    src="$cache/$mod/${pkg#./}/$target"
    dst="${pkg#./}/testdata/fuzz/$target"
    mkdir -p "$dst"
    [ -d "$src" ] && ls "$src" | head -64 | while read -r f; do cp "$src/$f" "$dst/$f"; done
  fi
done < scripts/fuzz-targets.txt
echo "fuzz: $total inputs tried, $fail targets failed"
[ "$fail" -eq 0 ]
