#!/usr/bin/env bash
# Build the qpgo MEX gateway into <builddir> and run the Octave test suite.
#   bash bindings/matlab/run_tests.sh /work/main/build
# Fails loudly (non-zero exit) when octave-cli/mkoctfile are missing, the
# MEX does not compile, a test fails, or Octave dies.
set -u -o pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
builddir="${1:-$repo/build}"
builddir="$(cd "$builddir" 2>/dev/null && pwd)" || { echo "octave: FAIL: build dir '${1:-}' does not exist" >&2; exit 2; }

for tool in octave-cli mkoctfile; do
    command -v "$tool" >/dev/null 2>&1 || { echo "octave: FAIL: $tool not found (install GNU Octave: apt-get install octave octave-dev)" >&2; exit 2; }
done
[ -f "$builddir/libqpgo.so" ] || { echo "octave: FAIL: $builddir/libqpgo.so missing (run make build)" >&2; exit 2; }

mex="$builddir/qpgo_mex.mex"
echo "octave: compiling $mex"
mkoctfile --mex -Wall -Wextra -I"$repo/include" "$here/qpgo_mex.c" \
    -L"$builddir" -lqpgo -Wl,-rpath,"$builddir" -o "$mex" || { echo "octave: FAIL: MEX compilation failed" >&2; exit 1; }
rm -f "$builddir/qpgo_mex.o"

# No LD_PRELOAD / GLIBC_TUNABLES on purpose: loading libqpgo.so through
# dlopen (as MATLAB and Octave do) must work as is. (A 2 KiB __thread
# buffer in capi/errmsg.c once made it fail with "cannot allocate memory in
# static TLS block"; this suite catches a regression.)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# timeout -s KILL: an Octave that aborts can hang in its signal handler.
# --no-history: Octave 7.3 saves the command history at exit into
# ~/.local/share/octave/history and, when that directory does not exist
# (a fresh HOME, CI), ends EVERY run with "error: ignoring const
# execution_exception& while preparing to exit" -- with or without qpgo.
# Nothing is filtered: any such line, or a delete method that failed,
# fails the suite below (tests/test_exit.m covers objects alive at exit).
timeout -s KILL "${QPGO_OCTAVE_TIMEOUT:-900}" octave-cli --no-gui --norc --quiet --no-history --eval "
  addpath('$builddir'); addpath('$here'); addpath('$here/tests');
  [np, nf] = run_all();
  exit(double(nf > 0));
" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
last="$(grep -E '^octave: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)"
if [ -z "$last" ]; then
    echo "octave: FAIL: the test run ended without a summary (octave exit code $rc)" >&2
    exit 1
fi
if grep -qE 'ignoring .* while preparing to exit|error caught while executing handle class delete method' "$log"; then
    echo "octave: FAIL: Octave reported an error at exit or in a delete method (see above)" >&2
    exit 1
fi
if [ "$rc" -ne 0 ]; then
    echo "octave: FAIL (exit code $rc)" >&2
    exit 1
fi
