# numalab's two documented entry points are `make demo` and `make test`. Both install what they
# need (apt-get, idempotent), build, and do their job on a fresh Debian 12 machine.

BUILD     ?= build
JOBS      ?= $(shell nproc)
NUMALAB   := $(BUILD)/harness/numalab
CMAKE_ARGS ?=

.PHONY: all demo test unit integration fuzz bench deps debian-kernel build clean format check-format check-layers lint

all: build

deps:
	@./scripts/install-deps

debian-kernel: deps
	@./kernels/fetch-debian-kernel

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(CMAKE_ARGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Boots the default lab (2 NUMA nodes) and prints what the guest saw; then compares the lab kernel
# with the cpuset-no-mpol-rebind series on it, DEMO_REPEAT boots each, and prints the table, the
# functional failure the series causes, and the report's path. The two lab kernels build once
# (about 8 and 2 minutes on 2 cores), then are cached.
DEMO_REPEAT ?= 3
demo: build debian-kernel
	$(NUMALAB) run lab/default.toml
	$(NUMALAB) compare lab/default.toml --kernel baseline --kernel cpuset-no-mpol-rebind --repeat $(DEMO_REPEAT)

# Unit tests in parallel, then the integration tests (real QEMU, real kernel) one at a time:
# the machine has two cores and every VM wants them.
test: build debian-kernel
	./scripts/check-format
	./scripts/check-layers
	cd $(BUILD) && ctest -L unit -j $(JOBS) --output-on-failure --no-tests=error
	./harness/fuzz/run-fuzzers --seconds 10 --build $(BUILD)/fuzz
	cd $(BUILD) && ctest -L integration --output-on-failure --no-tests=error

unit: build
	cd $(BUILD) && ctest -L unit -j $(JOBS) --output-on-failure

integration: build debian-kernel
	cd $(BUILD) && ctest -L integration --output-on-failure

# libFuzzer on every parser of untrusted input (agent protocol, console, lab files).
fuzz: deps
	./harness/fuzz/run-fuzzers --seconds $(or $(FUZZ_SECONDS),120) --build $(BUILD)/fuzz

# About 30 minutes on 2 cores: the kernel-build bench compiles the lab kernel cold twice.
bench: build debian-kernel
	/usr/bin/python3 harness/bench/boot_overhead.py --numalab $(NUMALAB)
	/usr/bin/python3 harness/bench/compare_throughput.py --numalab $(NUMALAB) \
	  $(if $(shell [ $$(nproc) -lt 8 ] && echo small),--oversubscribe)
	/usr/bin/python3 harness/bench/kernel_build.py --numalab $(NUMALAB)

# .clang-format over every tracked C++ file; make test fails when one differs (check-format).
format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

check-format:
	./scripts/check-format

# Includes go down the folder graph only (util, model at the bottom; run, cli at the top).
check-layers:
	./scripts/check-layers

# clang-tidy-16 with .clang-tidy's checks over harness/'s .cpp files (not the fuzz entry points);
# fails on any finding, naming file and line. About 45 CPU-minutes (25 minutes on 2 idle cores), so
# not part of make test; `make lint SINCE=main` checks only the files changed since main.
SINCE ?=
lint: deps $(BUILD)/CMakeCache.txt
	./scripts/lint --build $(BUILD) --jobs $(JOBS) $(if $(SINCE),--since $(SINCE))

clean:
	rm -rf $(BUILD)
