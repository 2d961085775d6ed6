#!/usr/bin/env bash
# Runs every fuzz target of scripts/fuzz-targets.txt for FUZZTIME (10s) on top
# of its committed corpus (testdata/fuzz) and prints the inputs tried.
# A real crasher is one go reports with "Failing input written to
# testdata/fuzz/<Target>/<id>": go writes that file into the package's
# testdata/fuzz itself, where it stays as a regression case for `go test`
# (commit it). "context deadline exceeded" when FUZZTIME runs out while the
# fuzzer minimises an interesting input is not a failure.
# With --save-corpus, also copies the inputs the fuzzer found interesting from
# the Go cache into the package's testdata/fuzz (to commit them).
# Then open-ended hostile-file mutation (issue 18) for HOSTILETIME (default
# 60s; 0 skips it): tests/hostile/run.py --fuzz with a seed that changes per
# run (HOSTILESEED, default the time), mutants of every file kind read
# through Python and C; every failing input (crash, over time, over memory,
# changed input, wrong exception class) is saved as a regression case in
# tests/hostile/corpus/<name>/ (case.json + files), which every
# `make test-hostile` replays (commit it).
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
  crasher=$(echo "$out" | sed -n 's/.*Failing input written to \(testdata\/fuzz\/[^ ]*\).*/\1/p' | tail -1)
  if [ -n "$crasher" ]; then
    echo "$out" | tail -30
    echo "fuzz: FAIL $pkg $target: crasher saved as ${pkg#./}/$crasher (commit it as a regression case)"
    fail=$((fail+1))
  elif [ $rc -ne 0 ] && ! echo "$out" | grep -q 'context deadline exceeded'; then
    echo "$out" | tail -30
    echo "fuzz: FAIL $pkg $target (no crasher file: build or setup error)"
    fail=$((fail+1))
  else
    note=""
    [ $rc -ne 0 ] && note=" (time ran out while minimising: not a failure)"
    echo "fuzz: $pkg $target: ${execs:-0} inputs tried in $fuzztime$note"
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
hostiletime=${HOSTILETIME:-60}
if [ "${hostiletime%s}" != "0" ]; then
  lib=${QPGO_LIBRARY:-$PWD/build/libqpgo.so}
  if [ ! -f "$lib" ]; then
    make --no-print-directory build >/dev/null || { echo "fuzz: FAIL hostile: build"; fail=$((fail+1)); }
  fi
  seed=${HOSTILESEED:-$(date +%s)}
  mkdir -p tests/hostile/corpus
  out=$(QPGO_LIBRARY=$lib ${PYTHON:-/usr/bin/python3} tests/hostile/run.py --strict-classes \
        --fuzz "${hostiletime%s}" --seed "$seed" --save-failures tests/hostile/corpus 2>&1)
  rc=$?
  echo "$out" | grep -E '^  (python|c) |saved' | grep -v slowest
  tried=$(echo "$out" | sed -n 's/^  python tried \([0-9]*\).*/\1/p')
  if [ $rc -ne 0 ]; then
    echo "fuzz: FAIL hostile mutation (seed $seed): failing inputs saved in tests/hostile/corpus (commit them as regression cases)"
    fail=$((fail+1))
  else
    echo "fuzz: hostile mutation (seed $seed): ${tried:-0} mutants tried in ${hostiletime%s}s, no failure"
  fi
  total=$((total+${tried:-0}))
fi
echo "fuzz: $total inputs tried, $fail targets failed"
[ "$fail" -eq 0 ]
