#!/usr/bin/env bash
# make bench: runs the Go benchmark of every workload in scripts/bench-map.txt
# and prints its ratio upstream/qpgo against ../shared/bench/reference.md.
set -uo pipefail
cd "$(dirname "$0")/.."
ref=../shared/bench/reference.md
[ -f "$ref" ] || { echo "FAIL: $ref not found" >&2; exit 1; }
benchtime=${BENCHTIME:-1s}
count=${COUNT:-3}
# Frame-stack benchmarks that run a fraction of the reference workload
# (scale > 1) are multiplied up to it.
printf '%-5s %-40s %12s %12s %8s\n' id benchmark "qpgo ms" "upstream ms" ratio
grep -v '^#' scripts/bench-map.txt | while read -r id pkg bench scale _; do
  scale=${scale:-1}
  [ -n "$id" ] || continue
  # upstream figure: the row "| id | workload | value |"; seconds tables are converted.
  up=$(awk -F'|' -v id="$id" '
    /^## imageseries/ {sec=1}
    $2 ~ "^ *"id" *$" {v=$4; gsub(/[ ,≈]/,"",v); if (sec) v=v*1000; print v; exit}' "$ref")
  # fastest of COUNT runs: on a shared machine the least disturbed one
  out=$(go test -run XXX -bench "$bench" -benchtime "$benchtime" -count "$count" "$pkg" 2>&1)
  ns=$(echo "$out" | awk '/^Benchmark/ && /ns\/op/ {for (i=1;i<=NF;i++) if ($(i+1)=="ns/op" && (m=="" || $i+0<m+0)) m=$i} END {print m}')
  if [ -z "$ns" ]; then
    printf '%-5s %-40s %12s %12s %8s\n' "$id" "${bench%\$}" missing "$up" -
    continue
  fi
  ms=$(awk -v ns="$ns" -v s="$scale" 'BEGIN{printf "%.1f", s*ns/1e6}')
  ratio=$(awk -v u="$up" -v m="$ms" 'BEGIN{ if (m>0 && u>0) printf "%.2fx", u/m; else print "-"}')
  printf '%-5s %-40s %12s %12s %8s\n' "$id" "${bench%\$}" "$ms" "$up" "$ratio"
done

# Sustained append rate of 1024x1024 float32 frames to an acquisition file
# (no upstream figure: upstream has no streaming writer).
echo
echo "append rate (series/stream, 1024x1024 float32 frames):"
go test -run XXX -bench 'BenchmarkAppend1024' -benchtime 20x ./series/stream/ 2>&1 |
  awk '/^BenchmarkAppend1024/ {for (i=1;i<=NF;i++) if ($(i+1)=="frames/s") printf "  %-50s %8.1f frames/s\n", $1, $i}'

# 2-core scaling of the whole-series parallel paths (issue: >= 1.6x).
echo
echo "2-core scaling (taskset; fastest of 5):"
bash scripts/scaling.sh

# What users see: every workload through the Python APIs, and through
# upstream in the same run when the oracle is installed (ratios; memory-bound
# workloads with the measured limit). BENCH_PY_ARGS passes options, e.g.
# "--repeat 1 --only W5,S9".
echo
echo "through Python (scripts/bench_py.py):"
${PYTHON:-/usr/bin/python3} scripts/bench_py.py ${BENCH_PY_ARGS:-}

# MATLAB/Octave timings (scripts/bench_octave.m, when present).
if [ -f scripts/bench_octave.m ]; then
  echo
  echo "through Octave (scripts/bench_octave.m):"
  if command -v octave-cli > /dev/null; then
    octave-cli --no-gui --norc --path "$PWD/scripts" --eval "bench_octave" ||
      echo "FAIL: scripts/bench_octave.m"
  else
    echo "octave-cli not installed: skipped"
  fi
fi
