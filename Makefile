# qpgo build, test and demo. `make demo` and `make test` work on a fresh
# Debian machine as root: they install the missing system packages first.

SHELL := /bin/bash
GO ?= go
PYTHON := /usr/bin/python3
BUILD := build
LIB := $(BUILD)/libqpgo.so
export CGO_ENABLED := 1
export HDF5_PLUGIN_PATH := /usr/lib/x86_64-linux-gnu/hdf5/serial/plugins
export QPGO_LIBRARY := $(CURDIR)/$(LIB)
GOSRC := $(shell find . -name '*.go' -o -name '*.c' -o -name '*.h' | grep -v -e '^./build/' -e '^./tests/' -e '^./bindings/' -e '^./examples/') go.mod go.sum

.PHONY: all deps build header check-header bindings check-bindings demo test test-go test-c test-stream test-python test-octave test-install fuzz bench compare install clean

all: build

deps:
	@bash scripts/install-deps.sh

# The ABI major version is the SONAME suffix (see include/qpgo_types.h).
VERSION := $(shell sed -n 's/^\#define QPGO_VERSION_STRING "\(.*\)"/\1/p' include/qpgo_types.h)
MAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME := libqpgo.so.$(MAJOR)

$(LIB): $(GOSRC)
	@mkdir -p $(BUILD)
	$(GO) build -buildmode=c-shared -ldflags='-extldflags=-Wl,-soname,$(SONAME)' -o $(LIB) ./capi
	@ln -sf libqpgo.so $(BUILD)/$(SONAME)

# The generated header minus cgo's #line markers (they move with every
# edit), with each function's doc comment (arguments, error codes) added.
$(BUILD)/qpgo.h: $(LIB) scripts/header.py
	@$(PYTHON) scripts/header.py $(BUILD)/libqpgo.h capi $(BUILD)/qpgo.h

build: deps $(LIB) $(BUILD)/qpgo.h $(BUILD)/qpgo-info

# File inspector through the C ABI only (examples/qpgo_info.c).
$(BUILD)/qpgo-info: examples/qpgo_info.c $(BUILD)/qpgo.h $(LIB)
	gcc -std=c11 -Wall -Wextra -Werror -Iinclude -I$(BUILD) -o $@ examples/qpgo_info.c -L$(BUILD) -lqpgo -Wl,-rpath,$(CURDIR)/$(BUILD)

# Regenerate include/qpgo.h from the exported functions.
header: $(BUILD)/qpgo.h
	cp $(BUILD)/qpgo.h include/qpgo.h
	$(PYTHON) scripts/gen_bindings.py

# Fails when include/qpgo.h is not what cgo generates now.
check-header: $(BUILD)/qpgo.h
	@diff -u include/qpgo.h $(BUILD)/qpgo.h > /dev/null || \
	  { diff -u include/qpgo.h $(BUILD)/qpgo.h | head -40; \
	    echo "FAIL: include/qpgo.h is stale: run 'make header' and commit it"; exit 1; }
	@echo "header check: include/qpgo.h is current"

# Regenerate the ctypes prototypes of the Python bindings from the headers
# (bindings/python/qpgo/_prototypes.py; run after `make header`).
bindings:
	$(PYTHON) scripts/gen_bindings.py

# Fails when the generated Python prototypes are not what the headers give.
check-bindings:
	@$(PYTHON) scripts/gen_bindings.py --check

# The main job end to end in Python (examples/demo.py: holograms -> phase ->
# background -> QPSeries -> refocus -> imageseries stats -> PNGs in
# build/demo), then the C quick start (examples/demo.c).
demo: build
	@mkdir -p $(BUILD)/demo
	PYTHONPATH=$(CURDIR)/bindings/python $(PYTHON) examples/demo.py $(BUILD)/demo
	gcc -std=c11 -Wall -Wextra -Werror -Iinclude -o $(BUILD)/demo-c examples/demo.c -L$(BUILD) -lqpgo -Wl,-rpath,$(CURDIR)/$(BUILD) -lm
	$(BUILD)/demo-c $(BUILD)/demo/demo_c.h5

# The stages of `make test`, in order: add a new suite here (one make target
# each). Fuzz targets replay their committed corpus (testdata/fuzz) inside
# test-go as ordinary tests; open-ended fuzzing is `make fuzz`, not a stage.
TEST_STAGES := check-header check-bindings test-go test-c test-stream test-python test-hostile test-octave test-install

test: build
	@bash scripts/test-stages.sh $(TEST_STAGES)

test-go: deps
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	@# Bounded memory over 2000 frames of 1024x1024 uint16 needs its own process
	@# without the race detector (whose shadow memory would dominate the RSS).
	set -o pipefail; $(GO) test -count=1 -run '^TestStatsBoundedMemory$$' -v ./series/imageseries/ | grep -E 'peak|^(ok|FAIL|---)'
	@# The optional system libraries (FFTW, libdeflate, libblosc) have Go/zlib
	@# fallbacks: run the packages that use them once more without them.
	QPGO_NO_FFTW=1 QPGO_NO_LIBDEFLATE=1 QPGO_NO_LIBBLOSC=1 $(GO) test -count=1 ./core/... ./series/...


test-c: build
	@$(MAKE) -s -C tests/c LIBDIR=$(CURDIR)/$(BUILD) run

# Streaming acquisition: the example and the kill -9 test (SWMR and flushed mode).
test-stream: build
	@$(MAKE) -s -C tests/stream LIBDIR=$(CURDIR)/$(BUILD) run

test-python: build
	cd bindings/python && $(PYTHON) -m pytest -q -p no:cacheprovider tests

# Hostile files (issue 18): 300 mutants of every file kind (fixed seeds) and
# the crafted cases, each opened and fully read through Python and C, two
# cases at a time; per case at most 2 s of CPU, 30 s of wall time, 1 GiB of
# peak RSS, inputs unchanged; saved regression cases in tests/hostile/corpus.
test-hostile: build
	@QPGO_LIBRARY=$(CURDIR)/$(BUILD)/libqpgo.so $(PYTHON) tests/hostile/run.py --strict-classes

test-octave: build
	@bash bindings/matlab/run_tests.sh $(CURDIR)/$(BUILD)

bench: build
	@bash scripts/bench.sh

# qpgo against the installed upstream libraries (../shared/oracle/setup.sh)
# on generated inputs: holograms, QLSI, refocus, bleach correction. Prints
# SKIP and succeeds when the oracle is not installed; not a test stage (CI
# has no oracle).
compare: build
	@$(PYTHON) scripts/compare_upstream.py

# Every fuzz target for FUZZTIME (default 10s) on top of its committed corpus;
# crashers found are copied into the package's testdata/fuzz as regression
# cases; then HOSTILETIME (default 60s) of open-ended hostile-file mutation,
# failures saved into tests/hostile/corpus. Not part of `make test`'s verdict.
fuzz: deps
	@bash scripts/fuzz.sh

# make install PREFIX=/opt/qpgo: the shared library with SONAME and links,
# the headers, pkg-config file, MATLAB folder (MEX built against the
# installed library) and the Python package.
PREFIX ?= /usr/local
LIBDIR := $(PREFIX)/lib
install: build
	install -d $(LIBDIR)/pkgconfig $(PREFIX)/include $(PREFIX)/share/qpgo/matlab $(LIBDIR)/python3/dist-packages
	install -m 0755 $(LIB) $(LIBDIR)/libqpgo.so.$(VERSION)
	ln -sf libqpgo.so.$(VERSION) $(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(LIBDIR)/libqpgo.so
	install -m 0644 include/qpgo.h include/qpgo_types.h include/qpgo.hpp $(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' scripts/qpgo.pc.in > $(LIBDIR)/pkgconfig/qpgo.pc
	cp -r bindings/matlab/+qpgo $(PREFIX)/share/qpgo/matlab/
	mkoctfile --mex -I$(PREFIX)/include bindings/matlab/qpgo_mex.c -L$(LIBDIR) -lqpgo \
	  -Wl,-rpath,$(LIBDIR) -o $(PREFIX)/share/qpgo/matlab/qpgo_mex.mex
	rm -f $(PREFIX)/share/qpgo/matlab/qpgo_mex.o
	QPGO_LIBRARY=$(LIBDIR)/libqpgo.so.$(VERSION) $(PYTHON) -m pip install -q --no-build-isolation \
	  --no-deps --no-index --upgrade --target $(LIBDIR)/python3/dist-packages bindings/python
	rm -rf bindings/python/build bindings/python/*.egg-info
	@echo "installed qpgo $(VERSION) into $(PREFIX)"

# Install into a temporary prefix and use it only through pkg-config,
# PYTHONPATH and Octave's addpath, from outside the repository.
test-install: build
	@bash tests/install/run.sh

clean:
	rm -rf $(BUILD)
