# Every target installs what is missing first, so a fresh Debian 12 machine needs nothing else.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
BIN := $(BUILD_DIR)/retrodiffusion-mcp

.PHONY: all deps build run test clean format

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Starts the server over stdio, reading the key from RD_API_KEY.
run: build
	@echo "retrodiffusion-mcp: speaking MCP on stdin/stdout (Ctrl-D to stop); key from RD_API_KEY" >&2
	@$(BIN)

test: build
	@scripts/install-deps.sh --with-e2e
	cd $(BUILD_DIR) && ctest --output-on-failure --timeout 300

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD_DIR)
