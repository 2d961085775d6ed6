#!/usr/bin/env bash
# Installs the Debian packages qpgo needs when they are missing (as root),
# and fails loudly when a tool is still missing afterwards.
set -euo pipefail
pkgs=(gcc make pkg-config libhdf5-dev hdf5-tools hdf5-filter-plugin-blosc-serial
      python3-numpy python3-pytest python3-h5py python3-pip python3-setuptools
      python3-matplotlib python3-dask python3-distributed
      octave liboctave-dev valgrind
      libdeflate0 libblosc1 libfftw3-double3)
# libdeflate0, libblosc1, libfftw3-double3: fast codecs/FFT that libqpgo
# loads with dlopen when present (tests require them; see README).
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "FAIL: missing packages ${missing[*]} and not root; install them with apt-get" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for tool in go gcc h5dump mkoctfile octave-cli /usr/bin/python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: required tool '$tool' not found" >&2; exit 1; }
done
/usr/bin/python3 -c 'import numpy, h5py, pytest, matplotlib' || { echo "FAIL: python3-numpy/h5py/pytest/matplotlib not importable by /usr/bin/python3" >&2; exit 1; }
