#!/usr/bin/env bash
# make install into a temporary prefix, then use the installed qpgo from
# outside the repository: a C and a C++ program built only with
# `pkg-config --cflags --libs qpgo`, the Python package by PYTHONPATH, and
# the MATLAB folder from Octave. Prints "install: N passed, M failed".
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
prefix="$(mktemp -d)"
work="$(mktemp -d)"
trap 'rm -rf "$prefix" "$work"' EXIT
pass=0; fail=0
ok() { echo "install: ok: $1"; pass=$((pass+1)); }
bad() { echo "install: FAIL: $1" >&2; fail=$((fail+1)); }

make -s -C "$repo" install PREFIX="$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; bad "make install"; echo "install: $pass passed, $fail failed"; exit 1; }
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
unset QPGO_LIBRARY
[ "$(readelf -d "$prefix/lib/libqpgo.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')" = "libqpgo.so.0" ] && ok "SONAME libqpgo.so.0" || bad "SONAME"
cd "$work"
cat > c.c <<'C'
#include <stdio.h>
#include <string.h>
#include <qpgo.h>
int main(void) {
    double pha[6] = {0, 0.1, 0.2, 0.3, 0.4, 0.5};
    int64_t dims[2] = {2, 3}, shape[2];
    qpgo_handle h;
    if (qpi_new("phase", pha, 2, dims, NULL, "{\"proc_phase\": false}", &h) != QPGO_OK) return 1;
    if (qpi_shape(h, shape) != QPGO_OK || shape[0] != 2 || shape[1] != 3) return 2;
    if (qpi_close(h) != QPGO_OK) return 3;
    if (strcmp(qpgo_version(), QPGO_VERSION_STRING) != 0) return 4;
    puts("c ok");
    return 0;
}
C
gcc -std=c11 -Wall -Werror c.c $(pkg-config --cflags --libs qpgo) -o c && ./c >/dev/null && ok "C program via pkg-config" || bad "C program via pkg-config"
cat > cpp.cpp <<'CPP'
#include <qpgo.hpp>
#include <cstdio>
int main() {
    qpgo::QPImage q("phase", std::vector<double>(6, 0.25), {2, 3}, R"({"proc_phase": false})");
    try { q.meta_double("wavelength"); return 1; } catch (const qpgo::Error &e) { if (e.code() != QPGO_ERR_META_MISSING) return 2; }
    std::puts("c++ ok");
    return q.pha()[5] == 0.25 ? 0 : 3;
}
CPP
g++ -std=c++17 -Wall -Werror cpp.cpp $(pkg-config --cflags --libs qpgo) -o cpp && ./cpp >/dev/null && ok "C++ program via pkg-config" || bad "C++ program via pkg-config"
PYTHONPATH="$prefix/lib/python3/dist-packages" /usr/bin/python3 -c "
import numpy as np, qpgo, qpgo.qpimage as qpimage
assert qpgo._lib._find_library().startswith('$prefix'), qpgo._lib._find_library()
q = qpimage.QPImage(np.ones((4, 5)) * 0.5, proc_phase=False)
assert q.shape == (4, 5)
" && ok "Python package from the install" || bad "Python package from the install"
octave-cli --no-gui --norc --quiet --eval "addpath('$prefix/share/qpgo/matlab'); q = qpgo.QPImage(0.5*ones(3,4), 'proc_phase', false); assert(isequal(size(q.pha), [3 4])); q.close(); disp('octave ok')" >/dev/null 2>"$work/oct.err" \
  && ok "Octave finds the installed MATLAB folder" || { cat "$work/oct.err" >&2; bad "Octave with the installed MATLAB folder"; }
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
