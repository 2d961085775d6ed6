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
GOSRC := $(shell find . -name '*.go' -not -path './build/*') $(wildcard capi/*.c include/qpgo_types.h) go.mod go.sum

.PHONY: all deps build header check-header demo test test-go test-c test-python test-octave bench clean

all: build

deps:
	@bash scripts/install-deps.sh

$(LIB): $(GOSRC)
	@mkdir -p $(BUILD)
	$(GO) build -buildmode=c-shared -o $(LIB) ./capi

# The generated header minus cgo's #line markers (they move with every edit).
$(BUILD)/qpgo.h: $(LIB)
	@grep -v '^#line ' $(BUILD)/libqpgo.h > $(BUILD)/qpgo.h

build: deps $(LIB) $(BUILD)/qpgo.h

# Regenerate include/qpgo.h from the exported functions.
header: $(BUILD)/qpgo.h
	cp $(BUILD)/qpgo.h include/qpgo.h

# Fails when include/qpgo.h is not what cgo generates now.
check-header: $(BUILD)/qpgo.h
	@diff -u include/qpgo.h $(BUILD)/qpgo.h > /dev/null || \
	  { diff -u include/qpgo.h $(BUILD)/qpgo.h | head -40; \
	    echo "FAIL: include/qpgo.h is stale: run 'make header' and commit it"; exit 1; }
	@echo "header check: include/qpgo.h is current"

demo: build
	@mkdir -p $(BUILD)
	gcc -std=c11 -Wall -Wextra -Werror -Iinclude -o $(BUILD)/demo examples/demo.c -L$(BUILD) -lqpgo -Wl,-rpath,$(CURDIR)/$(BUILD) -lm
	$(BUILD)/demo $(BUILD)/demo.h5

test: build check-header test-go test-c test-python test-octave
	@echo "make test: all suites passed"

test-go: deps
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

test-c: build
	@$(MAKE) -s -C tests/c LIBDIR=$(CURDIR)/$(BUILD) run

test-python: build
	cd bindings/python && $(PYTHON) -m pytest -q -p no:cacheprovider tests

test-octave: build
	@bash bindings/matlab/run_tests.sh $(CURDIR)/$(BUILD)

bench: build
	@bash scripts/bench.sh

clean:
	rm -rf $(BUILD)
