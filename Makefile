# Every target installs what is missing first, so a fresh Debian 12 machine needs nothing else.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
BIN := $(BUILD_DIR)/retrodiffusion-mcp
# The builds made here are development builds: warnings are errors (RDMCP_WERROR, off in a plain
# CMake build; the sanitizer builds turn it off again, see cmake/sanitizers.cmake). A build
# directory keeps what it was first configured with (its CMakeCache.txt).
DEV_CMAKE_FLAGS ?= -DRDMCP_WERROR=ON
# The default build's debug information is line tables only (-g1): backtraces, sanitizer reports
# and profiles keep their file:line, and each file compiles in about two thirds of the time
# (tools/create_inference.cpp 10.3 s with -g, 6.7 s with -g1). Build with
# DEV_DEBUG_FLAGS="-O2 -g -DNDEBUG" for variables in a debugger.
DEV_DEBUG_FLAGS ?= -O2 -g1 -DNDEBUG
# How many CTest tests run at once. The suites wait on servers, timeouts and the simulated API
# far more than they compute (the integration suite kept 2 CPUs 97 % idle run one at a time), so
# more run at once than there are CPUs. Each test has its own processes and ports.
TEST_JOBS ?= 4

.PHONY: all deps build run run-stdio test test-fast soak clean format format-check

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(DEV_CMAKE_FLAGS) \
	    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(DEV_DEBUG_FLAGS)"

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Serves MCP over Streamable HTTP on RUN_HOST:RUN_PORT and prints how to connect a client. Each
# request brings its own key (Authorization: Bearer); the snippet points at an environment
# variable, never a literal key. `make run-stdio` serves stdin/stdout instead (key from RD_API_KEY).
RUN_HOST ?= 127.0.0.1
RUN_PORT ?= 8000
run: build
	@printf '%s\n' \
	  "retrodiffusion-mcp: MCP over Streamable HTTP at http://$(RUN_HOST):$(RUN_PORT)/mcp (Ctrl-C to stop)" \
	  "Client config (Cursor ~/.cursor/mcp.json; VS Code and others take the same url + headers):" \
	  '{' \
	  '  "mcpServers": {' \
	  '    "retrodiffusion": {' \
	  '      "url": "http://$(RUN_HOST):$(RUN_PORT)/mcp",' \
	  '      "headers": { "Authorization": "Bearer $${env:RD_API_KEY}" }' \
	  '    }' \
	  '  }' \
	  '}' >&2
	@$(BIN) --transport http --host $(RUN_HOST) --port $(RUN_PORT)

run-stdio: build
	@echo "retrodiffusion-mcp: speaking MCP on stdin/stdout (Ctrl-D to stop); key from RD_API_KEY" >&2
	@$(BIN)

# The whole suite: the default build's tests, then the same tests under AddressSanitizer +
# UndefinedBehaviorSanitizer, the concurrency tests under ThreadSanitizer, and a bounded run of
# every fuzz target (below). `make test-fast` is the first part alone.
test: format-check test-fast test-sanitizers

# The integration suite, one file at a time, takes about 4 minutes on a 2-core machine (230 s
# here), its longest file 45 s; each test may take 10 minutes, as on a loaded machine under ASan.
test-fast: build
	@scripts/install-deps.sh --with-e2e
	cd $(BUILD_DIR) && ctest -j $(TEST_JOBS) --output-on-failure --timeout 600

# The soak test for longer (SOAK_SECONDS, default 600 here; `make test` runs it for 45 s).
SOAK_SECONDS ?= 600
soak: build
	SOAK_SECONDS=$(SOAK_SECONDS) $(BUILD_DIR)/tests/soak_tests

# The sanitizer suites and the bounded fuzz runs (below), together; part of `make test`.
test-sanitizers:
	@$(MAKE) --no-print-directory test-asan test-tsan fuzz-smoke

# Every C++ file follows the committed .clang-format; `make test` (so CI) fails on a difference.
format:
	@scripts/install-deps.sh --with-format
	clang-format -i $$(git ls-files '*.cpp' '*.h')

format-check:
	@scripts/install-deps.sh --with-format
	@clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.h') \
	  && echo "format-check: every C++ file follows .clang-format" \
	  || { echo "format-check: the files above differ from .clang-format; run make format" >&2; exit 1; }

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(TSAN_DIR) $(FUZZ_DIR) $(RELEASE_DIR)

# The Release build exactly as a user makes it, with plain CMake (no RDMCP_WERROR: a warning of
# another compiler version or of -O3 is not a failure there), and the unit tests it builds. CI
# runs it after `make test`. The server and the unit tests only, to keep it to a few minutes.
RELEASE_DIR ?= build-release
.PHONY: build-release
build-release: deps
	@$(call timed,build-release,set -e; \
	  cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release; \
	  cmake --build $(RELEASE_DIR) -j $(JOBS) --target retrodiffusion-mcp unit_tests; \
	  $(RELEASE_DIR)/tests/unit_tests)

# --- The Debian package (cmake/packaging.cmake), made by CPack from the Release build above.
#   package       retrodiffusion-mcp_<version>_<arch>.deb in $(RELEASE_DIR)
#   test-package  lints it (lintian) and installs it with dpkg (scripts/test-package.sh)
.PHONY: package test-package
package: deps
	@scripts/install-deps.sh --with-package
	@$(call timed,package,set -e; \
	  cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release; \
	  cmake --build $(RELEASE_DIR) -j $(JOBS) --target retrodiffusion-mcp package_files; \
	  cd $(RELEASE_DIR) && cpack -G DEB)

test-package: package
	@$(call timed,test-package,scripts/test-package.sh $(RELEASE_DIR))

# --- MCP Bundle (packaging/mcpb): the Release build's server with a manifest listing its tools
# and prompts, validated and packed by the official MCPB CLI that packaging/mcpb/package-lock.json
# pins. The bundle declares linux only: the binary links this system's (Debian 12's) libraries.
#   mcpb   builds build-release/mcpb/retrodiffusion-mcp.mcpb and prints where it is
MCPB_DIR ?= $(RELEASE_DIR)/mcpb
.PHONY: mcpb
mcpb: build-release
	@scripts/make-mcpb.sh $(RELEASE_DIR)/retrodiffusion-mcp $(MCPB_DIR) >$(MCPB_DIR).log 2>&1 \
	  || { cat $(MCPB_DIR).log >&2; echo "mcpb: FAILED (log above, in $(MCPB_DIR).log)" >&2; exit 1; }
	@echo "mcpb: $(abspath $(MCPB_DIR))/retrodiffusion-mcp.mcpb ($$(du -h $(MCPB_DIR)/retrodiffusion-mcp.mcpb | cut -f1)," \
	  "version $$(scripts/version.sh); staged in $(MCPB_DIR)/bundle)"

# --- Sanitizers and fuzzing (cmake/sanitizers.cmake), each in its own build directory so the
# default build is untouched. `make test-sanitizers` runs all three.
#   test-asan   AddressSanitizer + UndefinedBehaviorSanitizer over the whole ctest suite
#   test-tsan   ThreadSanitizer over the tests labelled concurrency (tests/sanitizers/tests.cmake)
#   fuzz-smoke  each libFuzzer target for FUZZ_SMOKE_SECONDS; `make fuzz` for FUZZ_SECONDS
# Any sanitizer report, in any process a test starts, fails the run.
# The sanitizer builds use the default compiler (gcc), which compiles whatever the default
# build does; libFuzzer needs clang.
FUZZ_CC ?= clang
FUZZ_CXX ?= clang++
ASAN_DIR ?= build-asan
TSAN_DIR ?= build-tsan
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 20
# What the concurrency tests use; nothing else is built with ThreadSanitizer.
TSAN_TARGETS ?= unit_tests integration_tests retrodiffusion-mcp
, := ,
# Prints how long a part took, and keeps its exit status.
timed = start=$$(date +%s); ( $(2) ); status=$$?; echo "$(1): $$(( $$(date +%s) - start )) s" \
        "($$( [ $$status = 0 ] && echo passed || echo FAILED))"; exit $$status

.PHONY: sanitizer-deps test-sanitizers test-asan test-tsan fuzz-smoke fuzz

sanitizer-deps:
	@scripts/install-deps.sh --with-e2e --with-sanitizers

# The stand-in for the API that the sanitizer builds run: the default build's (it is not code
# under test; see tests/CMakeLists.txt).
SIM := $(abspath $(BUILD_DIR))/tests/rd-sim
.PHONY: sim
sim: deps $(BUILD_DIR)/CMakeCache.txt
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target rd-sim

test-asan: sanitizer-deps sim
	@$(call timed,test-asan,set -e; \
	  [ -f $(ASAN_DIR)/CMakeCache.txt ] || cmake -S . -B $(ASAN_DIR) \
	      -DCMAKE_BUILD_TYPE=Debug -DRDMCP_SANITIZE=address$(,)undefined $(DEV_CMAKE_FLAGS) \
	      -DRDMCP_PREBUILT_SIM=$(SIM); \
	  cmake --build $(ASAN_DIR) -j $(JOBS); \
	  cd $(ASAN_DIR) && ctest -j $(TEST_JOBS) --output-on-failure --timeout 600)

test-tsan: sanitizer-deps sim
	@$(call timed,test-tsan,set -e; \
	  [ -f $(TSAN_DIR)/CMakeCache.txt ] || cmake -S . -B $(TSAN_DIR) \
	      -DCMAKE_BUILD_TYPE=Debug -DRDMCP_SANITIZE=thread $(DEV_CMAKE_FLAGS) \
	      -DRDMCP_PREBUILT_SIM=$(SIM); \
	  cmake --build $(TSAN_DIR) -j $(JOBS) --target $(TSAN_TARGETS); \
	  cd $(TSAN_DIR) && ctest -j $(TEST_JOBS) -L concurrency --output-on-failure --timeout 600)

$(FUZZ_DIR)/CMakeCache.txt:
	CC=$(FUZZ_CC) CXX=$(FUZZ_CXX) cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Debug -DRDMCP_FUZZ=ON \
	    -DRDMCP_UNITY_BUILD=OFF $(DEV_CMAKE_FLAGS)

fuzz-smoke: sanitizer-deps $(FUZZ_DIR)/CMakeCache.txt
	@$(call timed,fuzz-smoke,set -e; cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_targets; \
	  tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SMOKE_SECONDS))

fuzz: sanitizer-deps $(FUZZ_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_targets
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS)


# --- Container image (Dockerfile, deploy/image): built with buildah from base images made with
# debootstrap, since no Docker engine runs here and no registry is reachable. Images and base
# images are kept in /var/tmp/rdmcp-images (RDMCP_IMAGE_CACHE).
#   image       builds localhost/retrodiffusion-mcp:latest and prints its size
#   test-image  builds it, then runs two replicas against rd-sim with the official SDK clients
.PHONY: image test-image

image:
	@scripts/install-deps.sh --with-image
	@$(call timed,image,deploy/image/build.sh)

test-image: build
	@scripts/install-deps.sh --with-e2e --with-image
	@$(call timed,image,deploy/image/build.sh)
	@$(call timed,test-image,BUILD_DIR=$(abspath $(BUILD_DIR)) deploy/image/test.sh)


# --- Benchmarks (bench/, BENCHMARKS.md): retrodiffusion-mcp and the official-SDK peer
# (bench/peers, pinned by its package-lock.json) against rd-sim on loopback, and nginx serving
# our tools/list answer as a floor. Tables on stdout, JSON in bench/results/. Not a test: it
# never fails on a missed target. About 8 minutes.
#   bench   installs nginx, builds the server, the load generator (bench/*.cpp) and the peer,
#           then runs it all
# BENCH_ARGS goes to bench/run.py, e.g. BENCH_ARGS="--only http,tls --duration 10".
BENCH_ARGS ?=
.PHONY: bench

bench: build
	@scripts/install-deps.sh --with-bench
	cmake -S bench -B $(BUILD_DIR)/bench-tools -DCMAKE_BUILD_TYPE=Release $(DEV_CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD_DIR)/bench-tools -j $(JOBS)
	cd bench/peers && if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error; fi
	python3 bench/run.py --build-dir $(BUILD_DIR) $(BENCH_ARGS)
